use k8s_openapi::api::core::v1::PodSpec;

use super::startup::{self, is_sidecar};
use crate::version::KubeVersion;

/// `lifecycle.startup` and `lifecycle.shutdown` of CONTRACT.md.
pub fn stages(spec: &PodSpec, version: KubeVersion) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let init = spec.init_containers.as_deref().unwrap_or(&[]);
    let startup = startup::stages(spec);
    let mains: Vec<String> = spec.containers.iter().map(|c| c.name.clone()).collect();
    let sidecars: Vec<String> = init
        .iter()
        .filter(|c| is_sidecar(c))
        .map(|c| c.name.clone())
        .collect();
    let shutdown = if version.at_least(29) {
        let mut s = vec![mains];
        s.extend(sidecars.into_iter().rev().map(|n| vec![n]));
        s
    } else {
        // Before 1.29 (KEP-753 alpha) sidecars are terminated as regular containers.
        let mut all = mains;
        all.extend(sidecars);
        vec![all]
    };
    (startup, shutdown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::testkit::{container as c, pod as spec};

    #[test]
    fn sidecar_declared_after_init_starts_after_it_exits() {
        let s = spec(
            vec![c("migrate", false), c("proxy", true)],
            vec![c("app", false)],
        );
        let (start, _) = stages(&s, KubeVersion::NEWEST);
        assert_eq!(
            start,
            vec![
                vec!["migrate".to_string()],
                vec!["proxy".into()],
                vec!["app".into()]
            ]
        );
    }

    #[test]
    fn sidecars_stop_after_the_main_containers_in_reverse_order() {
        let s = spec(
            vec![c("a", true), c("init", false), c("b", true)],
            vec![c("app", false), c("web", false)],
        );
        let (_, stop) = stages(&s, KubeVersion::NEWEST);
        assert_eq!(
            stop,
            vec![
                vec!["app".to_string(), "web".into()],
                vec!["b".into()],
                vec!["a".into()]
            ]
        );
    }

    #[test]
    fn before_1_29_sidecars_stop_with_the_main_containers() {
        let s = spec(vec![c("a", true)], vec![c("app", false)]);
        let (_, stop) = stages(&s, KubeVersion::new(28));
        assert_eq!(stop, vec![vec!["app".to_string(), "a".into()]]);
    }
}

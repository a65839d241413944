//! Facts about a pod spec and its names that several modules need, each answered here once.

use crate::model::RestartPolicy;
use crate::version::KubeVersion;
use k8s_openapi::api::core::v1::Container;

/// Whether an entry of `initContainers` is a native sidecar as written: `restartPolicy: Always`
/// (KEP-753; validation.go validateInitContainers). Whether the target version honours it is
/// `KubeVersion::sidecar_gate`, and [`is_native_sidecar_at`] asks both.
pub fn is_native_sidecar(c: &Container) -> bool {
    c.restart_policy.as_deref().map(RestartPolicy::parse) == Some(RestartPolicy::Always)
}

/// Whether an entry of `initContainers` runs as a native sidecar at `version`: written as one,
/// and the SidecarContainers gate on (KEP-753 kep.yaml: absent before 1.28, alpha and off at
/// 1.28, where the API server drops `restartPolicy`).
pub fn is_native_sidecar_at(c: &Container, version: KubeVersion) -> bool {
    is_native_sidecar(c) && version.sidecar_gate().enabled()
}

/// A container's command and args as one line, joined by spaces.
pub fn command_text(c: &Container) -> String {
    c.command
        .iter()
        .flatten()
        .chain(c.args.iter().flatten())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A container's command, args and env values, each followed by a space: the text its shape
/// and the addresses it calls are read from.
pub fn command_and_env_text(c: &Container) -> String {
    let mut s = String::new();
    let env = c.env.iter().flatten().filter_map(|e| e.value.as_ref());
    for part in c
        .command
        .iter()
        .flatten()
        .chain(c.args.iter().flatten())
        .chain(env)
    {
        s.push_str(part);
        s.push(' ');
    }
    s
}

/// Host forms that reach the pod's own network namespace, as `host:` prefixes of an address.
const LOOPBACK_PREFIXES: [&str; 4] = ["localhost:", "127.0.0.1:", "[::1]:", "0.0.0.0:"];

/// Ports `text` calls on loopback (`localhost:6379`, `127.0.0.1:5432`, `[::1]:8080`).
pub fn loopback_ports(text: &str) -> std::collections::BTreeSet<i32> {
    let mut ports = std::collections::BTreeSet::new();
    for host in LOOPBACK_PREFIXES {
        let mut rest = text;
        while let Some(i) = memchr::memmem::find(rest.as_bytes(), host.as_bytes()) {
            let after = &rest[i + host.len()..];
            let digits: String = after.chars().take_while(|ch| ch.is_ascii_digit()).collect();
            if let Ok(p) = digits.parse() {
                ports.insert(p);
            }
            rest = after;
        }
    }
    ports
}

/// Whether `text` names a loopback host at all, port or not. 0.0.0.0 is left out here: written
/// without a port it is mostly a bind address, not a call.
pub fn mentions_loopback(text: &str) -> bool {
    ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .any(|h| text.contains(h))
}

/// Names quoted and listed: `'a'`, `'a' and 'b'`, `'a', 'b' and 'c'` with `last` = " and ";
/// `'a', 'b', 'c'` with `last` = ", ". Empty for no names.
pub fn quote_names<S: AsRef<str>>(names: &[S], last: &str) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("'{}'", n.as_ref())).collect();
    list(&q, last)
}

/// Items listed: `a`, `a and b`, `a, b and c` with `last` = " and ". Empty for no items.
pub fn list<S: AsRef<str>>(items: &[S], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., end] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{}{last}{}", rest.join(", "), end.as_ref())
        }
    }
}

/// The `Kind/name` key of a workload, as the workload picker, the pattern overrides and the
/// reports name it.
pub fn workload_key(kind: &str, name: &str) -> String {
    format!("{kind}/{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_with_and_or_commas() {
        assert_eq!(quote_names::<&str>(&[], " and "), "");
        assert_eq!(quote_names(&["a"], " and "), "'a'");
        assert_eq!(quote_names(&["a", "b", "c"], " and "), "'a', 'b' and 'c'");
        assert_eq!(list(&["a", "b", "c"], " or "), "a, b or c");
        assert_eq!(list(&["a"], " or "), "a");
        assert_eq!(quote_names(&["a", "b", "c"], ", "), "'a', 'b', 'c'");
    }

    #[test]
    fn a_native_sidecar_is_honoured_from_1_29() {
        let mut c = Container {
            name: "proxy".into(),
            restart_policy: Some("Always".into()),
            ..Container::default()
        };
        assert!(!is_native_sidecar_at(&c, KubeVersion::new(27)));
        assert!(!is_native_sidecar_at(&c, KubeVersion::new(28)));
        assert!(is_native_sidecar_at(&c, KubeVersion::new(29)));
        c.restart_policy = Some("Never".into());
        assert!(!is_native_sidecar_at(&c, KubeVersion::new(33)));
        c.restart_policy = None;
        assert!(!is_native_sidecar_at(&c, KubeVersion::new(33)));
    }

    #[test]
    fn restart_policies_read_and_write_the_api_strings() {
        for s in ["Always", "OnFailure", "Never", "Sometimes"] {
            let p = RestartPolicy::parse(s);
            assert_eq!(p.as_str(), s);
            assert_eq!(serde_json::to_string(&p).unwrap(), format!("\"{s}\""));
        }
        assert_eq!(
            RestartPolicy::parse("always"),
            RestartPolicy::Unsupported("always".into())
        );
    }

    #[test]
    fn every_loopback_form_is_read() {
        let ports = loopback_ports("redis://localhost:6379 http://[::1]:8080 127.0.0.1:5432/x");
        assert_eq!(
            ports.into_iter().collect::<Vec<_>>(),
            vec![5432, 6379, 8080]
        );
    }
}

/// Containers the lifecycle modules' unit tests build: one shape, one place.
#[cfg(test)]
pub(crate) mod testkit {
    use k8s_openapi::api::core::v1::{Container, ExecAction, LifecycleHandler, PodSpec};

    /// A container by name, a native sidecar (restartPolicy: Always) or not.
    pub(crate) fn container(name: &str, sidecar: bool) -> Container {
        Container {
            name: name.into(),
            restart_policy: sidecar.then(|| "Always".to_string()),
            ..Default::default()
        }
    }

    /// An exec hook whose command does not matter.
    pub(crate) fn exec() -> LifecycleHandler {
        LifecycleHandler {
            exec: Some(ExecAction::default()),
            ..Default::default()
        }
    }

    /// A pod of these init containers and containers.
    pub(crate) fn pod(init: Vec<Container>, main: Vec<Container>) -> PodSpec {
        PodSpec {
            init_containers: Some(init),
            containers: main,
            ..Default::default()
        }
    }
}

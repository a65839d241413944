use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::startup::is_sidecar;
use super::{stages, timeline};
use crate::model::Variant;
use crate::version::KubeVersion;

/// The same pod with its helpers as classic containers and as native sidecars, for comparison.
/// `helpers` names the containers in `containers` that are not the app.
pub fn compare(
    spec: &PodSpec,
    helpers: &[String],
    version: KubeVersion,
    batch: bool,
) -> Option<(Variant, Variant)> {
    let init = spec.init_containers.clone().unwrap_or_default();
    let has_native = init.iter().any(is_sidecar);
    let has_classic = spec.containers.iter().any(|c| helpers.contains(&c.name));
    if !has_native && !has_classic {
        return None;
    }
    // Classic: every native sidecar becomes an entry of containers.
    let mut classic = crate::manifest::copy_pod_spec(spec);
    let (natives, plain): (Vec<Container>, Vec<Container>) =
        init.iter().cloned().partition(is_sidecar);
    classic.init_containers = Some(plain);
    classic.containers.extend(natives.into_iter().map(|mut c| {
        c.restart_policy = None;
        c.startup_probe = None;
        c
    }));
    // Native: every classic helper becomes a native sidecar after the existing init containers.
    let mut native = crate::manifest::copy_pod_spec(spec);
    let (moved, kept): (Vec<Container>, Vec<Container>) = spec
        .containers
        .iter()
        .cloned()
        .partition(|c| helpers.contains(&c.name));
    native.containers = kept;
    let mut native_init = init;
    native_init.extend(moved.into_iter().map(|mut c| {
        c.restart_policy = Some("Always".into());
        c.readiness_probe = None;
        c
    }));
    native.init_containers = Some(native_init);
    let variant = |label: &str, s: &PodSpec, v: KubeVersion| {
        let (startup, shutdown) = stages(s, v);
        let lanes = s
            .init_containers
            .iter()
            .flatten()
            .map(|c| (c.name.clone(), crate::patterns::form_of(c, true)))
            .chain(
                s.containers
                    .iter()
                    .map(|c| (c.name.clone(), crate::patterns::form_of(c, false))),
            )
            .collect();
        Variant {
            label: label.into(),
            lanes,
            startup,
            shutdown,
            timeline: timeline(s, v, batch),
        }
    };
    // Native sidecars need 1.29; compare at least there.
    let native_version = if version.at_least(29) {
        version
    } else {
        KubeVersion::new(29)
    };
    Some((
        variant("helpers as classic containers", &classic, version),
        variant("helpers as native sidecars", &native, native_version),
    ))
}

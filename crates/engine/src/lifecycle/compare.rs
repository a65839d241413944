use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::startup::is_sidecar;
use super::{stages, timeline};
use crate::manifest::{copy_container, copy_pod_spec_with};
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
    let init = spec.init_containers.as_deref().unwrap_or_default();
    let has_native = init.iter().any(is_sidecar);
    let has_classic = spec.containers.iter().any(|c| helpers.contains(&c.name));
    if !has_native && !has_classic {
        return None;
    }
    // Each variant clones every container it keeps once. Classic: every native sidecar becomes
    // an entry of containers.
    let (natives, plain): (Vec<&Container>, Vec<&Container>) =
        init.iter().partition(|c| is_sidecar(c));
    let classic_containers = spec
        .containers
        .iter()
        .map(copy_container)
        .chain(natives.into_iter().map(|c| {
            let mut c = copy_container(c);
            c.restart_policy = None;
            c.startup_probe = None;
            c
        }))
        .collect();
    let classic = copy_pod_spec_with(
        spec,
        Some(plain.into_iter().map(copy_container).collect()),
        classic_containers,
    );
    // Native: every classic helper becomes a native sidecar after the existing init containers.
    let (moved, kept): (Vec<&Container>, Vec<&Container>) = spec
        .containers
        .iter()
        .partition(|c| helpers.contains(&c.name));
    let native_init = init
        .iter()
        .map(copy_container)
        .chain(moved.into_iter().map(|c| {
            let mut c = copy_container(c);
            c.restart_policy = Some("Always".into());
            c.readiness_probe = None;
            c
        }))
        .collect();
    let native = copy_pod_spec_with(
        spec,
        Some(native_init),
        kept.into_iter().map(copy_container).collect(),
    );
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

//! Names, probes on init containers and restart policies, container by container:
//! `duplicate-container-name`, `init-container-probe`, `container-restart-policy`,
//! `native-sidecar-unsupported`.

use super::{container_steps, with, Ctx, Findings};
use crate::model::Severity;
use crate::version::Gate;
use std::collections::BTreeMap;

pub(super) fn check(ctx: &Ctx, out: &mut Findings) {
    let version = ctx.version;
    let mut seen: BTreeMap<&str, (crate::model::Section, usize)> = BTreeMap::new();
    for m in &ctx.members {
        let (section, i, c) = (m.section, m.index, m.spec);
        let steps = container_steps(section, i);
        if let Some((s0, i0)) = seen.get(c.name.as_str()) {
            out.push("duplicate-container-name", Severity::Error, Some(&c.name), &with(steps.clone(), &["name"]),
                format!("'{}' is already the name of {s0}[{i0}]: container names must be unique across containers and initContainers. Rename one.", c.name));
        } else {
            seen.insert(&c.name, (section, i));
        }
        let init = section.is_init();
        let policy = c.restart_policy.as_deref();
        if init && !crate::facts::is_native_sidecar(c) {
            for (field, present) in [
                ("livenessProbe", c.liveness_probe.is_some()),
                ("readinessProbe", c.readiness_probe.is_some()),
                ("startupProbe", c.startup_probe.is_some()),
                ("lifecycle", c.lifecycle.is_some()),
            ] {
                if present {
                    out.push("init-container-probe", Severity::Error, Some(&c.name), &with(steps.clone(), &[field]),
                        format!("init container '{}' sets {field}, which the API server forbids for init containers without restartPolicy: Always. Remove it, or make '{}' a native sidecar with restartPolicy: Always if it should keep running.", c.name, c.name));
                }
            }
        }
        let Some(p) = policy else { continue };
        let gate = version.container_restart_rules_gate();
        if init && p != "Always" && !gate.enabled() {
            out.push("container-restart-policy", Severity::Error, Some(&c.name), &with(steps.clone(), &["restartPolicy"]),
                format!("restartPolicy '{p}' on init container '{}': Kubernetes {version} supports only 'Always' here (a native sidecar). Remove it, or set Always.", c.name));
        } else if !init && !gate.enabled() {
            out.push("container-restart-policy", Severity::Error, Some(&c.name), &with(steps.clone(), &["restartPolicy"]),
                format!("restartPolicy on container '{}' in containers is forbidden at Kubernetes {version} (per-container restart policies arrive with ContainerRestartRules, beta in 1.35). To run it beside the app for the pod's whole life, move it to initContainers with restartPolicy: Always.", c.name));
        } else if !["Always", "OnFailure", "Never"].contains(&p) {
            out.push(
                "container-restart-policy",
                Severity::Error,
                Some(&c.name),
                &with(steps.clone(), &["restartPolicy"]),
                format!(
                    "restartPolicy '{p}' on '{}' is not one of Always, OnFailure, Never.",
                    c.name
                ),
            );
        }
        if init && crate::facts::is_native_sidecar(c) {
            match version.sidecar_gate() {
                Gate::Absent => out.push("native-sidecar-unsupported", Severity::Error, Some(&c.name), &with(steps.clone(), &["restartPolicy"]),
                    format!("'{}' is a native sidecar, but Kubernetes {version} has no restartPolicy on containers: the API server refuses the field (strict validation) or drops it, and then '{}' must exit before the app can start. Target 1.29 or later, or run it as a classic sidecar in containers.", c.name, c.name)),
                Gate::AlphaOff => out.push("native-sidecar-unsupported", Severity::Error, Some(&c.name), &with(steps.clone(), &["restartPolicy"]),
                    format!("'{}' is a native sidecar, but at 1.28 the SidecarContainers gate is alpha and off by default: the API server drops restartPolicy and '{}' becomes a plain init container that never exits, so the app never starts. Enable the gate, target 1.29+, or use a classic sidecar.", c.name, c.name)),
                _ => {}
            }
        }
    }
}

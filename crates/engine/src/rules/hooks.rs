//! Lifecycle hooks, stop signals and per-container restart rules, each behind its feature gate:
//! `stop-signal-ignored`, `hook-sleep-unsupported`, and the `restartPolicyRules` side of
//! `container-restart-policy`.

use super::{container_steps, with, Ctx, Findings};
use crate::model::{Section, Severity};
use crate::version::Gate;

pub(super) fn check(ctx: &Ctx, out: &mut Findings) {
    let version = ctx.version;
    for m in &ctx.members {
        let (c, steps) = (m.spec, container_steps(m.section, m.index));
        let Some(l) = &c.lifecycle else {
            rules_need_policy(ctx, m.section, m.index, c, out);
            continue;
        };
        // KEP-4960: the API server drops lifecycle.stopSignal while ContainerStopSignals is off
        // (pkg/api/pod/util.go dropDisabledFields).
        if l.stop_signal.is_some() && !version.container_stop_signals_gate().enabled() {
            let why = match version.container_stop_signals_gate() {
                Gate::Absent => format!("Kubernetes {version} has no lifecycle.stopSignal (it arrives as an alpha in 1.33)"),
                _ => format!("at Kubernetes {version} lifecycle.stopSignal needs the ContainerStopSignals feature gate, which is alpha and off by default"),
            };
            out.push("stop-signal-ignored", Severity::Warning, Some(&c.name), &with(steps.clone(), &["lifecycle", "stopSignal"]),
                format!("{why}: the API server drops it and the kubelet stops '{}' with the image's STOPSIGNAL, SIGTERM by default. Handle SIGTERM in the process, or set STOPSIGNAL in the image.", c.name));
        }
        // KEP-3960: the sleep action is dropped while PodLifecycleSleepAction is off, leaving a
        // hook without a handler, which validation refuses.
        for (field, h) in [("postStart", &l.post_start), ("preStop", &l.pre_stop)] {
            let Some(h) = h else { continue };
            if h.sleep.is_some() && !version.sleep_action_gate().enabled() {
                out.push("hook-sleep-unsupported", Severity::Error, Some(&c.name), &with(steps.clone(), &["lifecycle", field, "sleep"]),
                    format!("The sleep action of '{}''s {field} hook needs PodLifecycleSleepAction (beta and on from 1.30): at Kubernetes {version} the API server drops it and refuses a hook with no handler. Use exec with a sleep command, or target 1.30+.", c.name));
            }
        }
        rules_need_policy(ctx, m.section, m.index, c, out);
    }
}

/// KEP-5307: restartPolicyRules need the ContainerRestartRules gate and the container's own
/// restartPolicy (KEP-5307 "Container restart rules"; rules apply only beside it).
fn rules_need_policy(
    ctx: &Ctx,
    section: Section,
    index: usize,
    c: &k8s_openapi::api::core::v1::Container,
    out: &mut Findings,
) {
    let Some(rules) = &c.restart_policy_rules else {
        return;
    };
    if rules.is_empty() {
        return;
    }
    let version = ctx.version;
    let steps = with(container_steps(section, index), &["restartPolicyRules"]);
    if !version.container_restart_rules_gate().enabled() {
        out.push("container-restart-policy", Severity::Error, Some(&c.name), &steps,
            format!("restartPolicyRules on '{}' need ContainerRestartRules (alpha in 1.34, beta and on from 1.35): at Kubernetes {version} the API server drops them, and the pod's restartPolicy decides.", c.name));
    } else if c.restart_policy.is_none() {
        out.push("container-restart-policy", Severity::Error, Some(&c.name), &steps,
            format!("restartPolicyRules on '{}' need the container's own restartPolicy: set restartPolicy (Never, OnFailure or Always) beside them.", c.name));
    }
}

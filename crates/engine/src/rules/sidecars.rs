//! Helpers and their form: `classic-sidecar-in-job`, `sidecar-could-be-native`,
//! `native-sidecar-no-startup-probe`.

use super::{article, capitalize, container_steps, names, Ctx, Findings};
use crate::model::{Form, Pattern, Severity};
use std::collections::BTreeSet;

pub(super) fn check(ctx: &Ctx, out: &mut Findings) {
    helpers_in_containers(ctx, out);
    native_without_startup_probe(ctx, out);
}

fn helpers_in_containers(ctx: &Ctx, out: &mut Findings) {
    let version = ctx.version;
    let helpers = ctx
        .members
        .iter()
        .filter(|m| m.report.form == Form::Container && m.report.pattern != Pattern::App);
    for m in helpers {
        let h = m.report;
        let steps = container_steps("containers", h.index);
        if ctx.batch {
            let helper_text = if version.sidecar_gate().enabled() {
                format!("move '{}' to initContainers with restartPolicy: Always (a native sidecar), which the kubelet stops once the main containers exit", h.name)
            } else {
                "make the helper exit when the main container is done (a shared file or signal), since native sidecars need 1.29+".to_string()
            };
            // A helper the app shuts down itself (the Cloud SQL proxy's /quitquitquit) lets the
            // Job complete: then the native form is advice, not a warning.
            let stopped_by_app = ctx
                .members
                .iter()
                .filter(|o| o.section == crate::model::Section::Containers)
                .any(|o| o.signals.command.contains("quitquitquit"))
                || {
                    // or the helper stops itself when the work leaves a file behind
                    let text = &m.signals.command;
                    text.contains("-f /") && (text.contains("done") || text.contains("complete"))
                };
            if stopped_by_app {
                out.push("classic-sidecar-in-job", Severity::Info, Some(&h.name), &steps,
                    format!("'{}' is stopped when the main container's work is done (a quit endpoint or a done file), which lets the Job complete. {}, and the stop call is no longer needed.", h.name, capitalize(&helper_text)));
            } else {
                out.push("classic-sidecar-in-job", Severity::Warning, Some(&h.name), &steps,
                    format!("'{}' is {} {} in a {}'s containers: the pod succeeds only when every container exits, so if it runs forever the Job never completes. {}.", h.name, article(h.pattern.as_str()), h.pattern.as_str(), ctx.pod.kind.as_str(), capitalize(&helper_text)));
            }
        } else if version.sidecar_gate().enabled() {
            let apps = names(&ctx.app_names);
            out.push("sidecar-could-be-native", Severity::Info, Some(&h.name), &steps,
                format!("'{}' looks like {} {} in containers. As a native sidecar (initContainers with restartPolicy: Always) it would start before {apps} and stop after {apps}, so it never misses the first or the last of their work.", h.name, article(h.pattern.as_str()), h.pattern.as_str()));
        }
    }
}

fn native_without_startup_probe(ctx: &Ctx, out: &mut Findings) {
    let app_mounts: BTreeSet<&String> =
        crate::order::set(ctx.apps().flat_map(|a| &a.signals.mounts));
    let app_calls: BTreeSet<i32> = crate::order::set(
        ctx.apps()
            .flat_map(|a| a.signals.loopback_ports.iter().copied()),
    );
    for m in ctx.members.iter().filter(|m| m.section.is_init()) {
        let c = m.spec;
        if !crate::facts::is_native_sidecar_at(c, ctx.version) || c.startup_probe.is_some() {
            continue;
        }
        // The app depends on it when they share a volume or the app calls one of its ports.
        let shares = m.signals.mounts.iter().any(|v| app_mounts.contains(v));
        let serves = c
            .ports
            .iter()
            .flatten()
            .any(|p| app_calls.contains(&p.container_port));
        if !shares && !serves {
            continue;
        }
        let why = if shares {
            " and shares a volume with the app"
        } else {
            " and serves a port the app calls on localhost"
        };
        out.push("native-sidecar-no-startup-probe", Severity::Info, Some(&c.name), &container_steps("initContainers", m.index),
            format!("native sidecar '{}' has no startupProbe{why}: it counts as started the moment it runs, so the next container starts before '{}' is ready. Add a startupProbe that passes when it is.", c.name, c.name));
    }
}

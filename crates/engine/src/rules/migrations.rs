//! `init-migration-replicas`: a migration in an init container, run by every replica.

use super::{container_steps, Ctx, Findings};
use crate::manifest::Kind;
use crate::model::Severity;

pub(super) fn check(ctx: &Ctx, out: &mut Findings) {
    let pod = ctx.pod;
    let replicas = pod.replicas.unwrap_or(2);
    let hpa_max = ctx.hpas.iter().map(|h| h.max_replicas).max();
    if !(replicas > 1 || hpa_max.is_some_and(|m| m > 1) || pod.kind == Kind::DaemonSet) {
        return;
    }
    for m in ctx.members.iter().filter(|m| m.section.is_init()) {
        let c = m.spec;
        if crate::facts::is_native_sidecar(c) {
            continue;
        }
        let image = c.image.as_deref().unwrap_or("").to_ascii_lowercase();
        let text = m.signals.command.to_ascii_lowercase();
        if image.contains("flyway")
            || image.contains("liquibase")
            || text.contains("migrate")
            || text.contains("migration")
        {
            let count = match pod.replicas {
                Some(n) if pod.kind != Kind::DaemonSet => format!("{n} replicas"),
                _ => "every pod".to_string(),
            };
            out.push("init-migration-replicas", Severity::Warning, Some(&c.name), &container_steps("initContainers", m.index),
                format!("init container '{}' runs a migration, and {count}{} run it at the same time on every rollout. Run it once (a Job, a Helm hook, or a migration tool's lock).", c.name, hpa_max.map(|m| format!(" (up to {m} with the autoscaler)")).unwrap_or_default()));
        }
    }
}

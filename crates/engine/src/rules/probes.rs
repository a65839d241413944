//! Probes judged by role (a helper's probe never counts for the app, nor the reverse):
//! `app-no-readiness-probe`, `app-no-liveness-probe`, `helper-readiness-gates-pod`.

use super::{article, with, Ctx, Findings};
use crate::model::{ContainerReport, Form, Pattern, Severity};

/// Why a container was judged as it was, for the end of a finding's message.
pub(super) fn judged(c: &ContainerReport) -> String {
    let role = match (c.form, c.pattern) {
        (Form::NativeSidecar, _) => "a native sidecar".to_string(),
        (Form::Init, _) => "an init container".to_string(),
        (_, Pattern::App) => "the app".to_string(),
        (_, p) => format!("{} {} in containers", article(p.as_str()), p.as_str()),
    };
    let because = c.evidence.first().cloned().unwrap_or_default();
    format!("Judged as {role} because {because}.")
}

pub(super) fn check(ctx: &Ctx, out: &mut Findings) {
    if ctx.batch {
        return;
    }
    for m in &ctx.members {
        let (c, spec_c) = (m.report, m.spec);
        if c.form != Form::Container {
            continue;
        }
        let steps = super::container_steps(m.section, m.index);
        if c.pattern == Pattern::App {
            if spec_c.readiness_probe.is_none() {
                // An object written twice (the same file given twice) is named once, where it
                // is first named.
                let mut named = std::collections::HashSet::new();
                let targeted: Vec<String> = ctx
                    .services
                    .iter()
                    .map(|s| format!("Service '{}'", s.name))
                    .chain(ctx.hpas.iter().map(|h| format!("autoscaler '{}'", h.name)))
                    .filter(|t| named.insert(t.clone()))
                    .collect();
                let (severity, whom) = if targeted.is_empty() {
                    (Severity::Info, String::new())
                } else {
                    (
                        Severity::Warning,
                        format!(
                            " {} rel{} on it, and",
                            crate::facts::list(&targeted, " and "),
                            if targeted.len() == 1 { "ies" } else { "y" }
                        ),
                    )
                };
                out.push("app-no-readiness-probe", severity, Some(&c.name), &steps,
                    format!("'{}' has no readinessProbe:{whom} it counts as ready the moment it starts, before it can serve. Add a readinessProbe on the endpoint that shows it can. {}", c.name, judged(c)));
            }
            if spec_c.liveness_probe.is_none() {
                out.push("app-no-liveness-probe", Severity::Info, Some(&c.name), &steps,
                    format!("'{}' has no livenessProbe: if it hangs without exiting, nothing restarts it. Add one that fails only when a restart would help. {}", c.name, judged(c)));
            }
        } else if spec_c.readiness_probe.is_some() {
            out.push("helper-readiness-gates-pod", Severity::Info, Some(&c.name), &with(steps, &["readinessProbe"]),
                format!("'{}' has a readinessProbe, and a pod is ready only when every entry of containers is: if '{}' fails it, the pod leaves the Service although the app is fine. Keep it only if the app is useless without it. {}", c.name, c.name, judged(c)));
        }
    }
}

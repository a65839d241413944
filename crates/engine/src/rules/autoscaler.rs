//! `hpa-resource-metric`: autoscalers that target this workload, reported at their metric.

use super::{names, Ctx, Findings};
use crate::manifest::MetricKind;
use crate::model::{Diagnostic, Form, Severity};

pub(super) fn check(ctx: &Ctx, out: &mut Findings) {
    let version = ctx.version;
    let containers = ctx.reports;
    for h in ctx.hpas {
        for m in &h.metrics {
            let diag =
                |severity: Severity, container: Option<String>, message: String| Diagnostic {
                    rule: "hpa-resource-metric".into(),
                    severity,
                    message,
                    container,
                    line: m.line,
                    path: Some(format!("spec.metrics[{}]", m.index)),
                    file: h.file.clone(),
                    waived: None,
                    fix: None,
                    alternatives: Vec::new(),
                };
            let multi = containers.iter().filter(|c| c.form != Form::Init).count() > 1;
            if m.kind == MetricKind::Resource && multi {
                let res = m.resource.clone().unwrap_or_else(|| "cpu".into());
                let app = ctx.app_names.first().copied().unwrap_or("app");
                let how = if version.hpa_container_metrics_gate().enabled() {
                    format!("Use type: ContainerResource with container: {app} to follow the app alone.")
                } else {
                    "ContainerResource metrics need the HPAContainerMetrics gate (on by default from 1.27).".to_string()
                };
                out.push_diagnostic(diag(Severity::Warning, None, format!(
                    "HPA '{}' scales on the pod's average {res} utilisation, which mixes the app with its helpers: a busy app beside idle sidecars looks half as busy. {how}", h.name)));
            }
            if m.kind == MetricKind::ContainerResource {
                let named = m.container.clone().unwrap_or_default();
                if !version.hpa_container_metrics_gate().enabled() {
                    out.push_diagnostic(diag(Severity::Error, Some(named.clone()), format!(
                        "HPA '{}' uses a ContainerResource metric, but at Kubernetes {version} the HPAContainerMetrics gate is alpha and off: the metric is refused. Target 1.27+ or use a Resource metric.", h.name)));
                } else if !containers.iter().any(|c| c.name == named) {
                    out.push_diagnostic(diag(Severity::Warning, Some(named.clone()), format!(
                        "HPA '{}' follows container '{named}', which this pod does not have: the autoscaler cannot compute the metric. Name one of {}.", h.name, names(&containers.iter().map(|c| c.name.as_str()).collect::<Vec<_>>()))));
                }
            }
        }
    }
}

use k8s_openapi::api::core::v1::PodSpec;

use super::podstatus::StatusAt;
use super::scenarios::{self, Story};
use crate::model::{Scenario, TimelineEvent};
use crate::version::KubeVersion;

fn scenario(s: Story) -> Scenario {
    Scenario {
        id: s.id,
        title: s.title,
        events: s
            .beats
            .into_iter()
            .map(|b| TimelineEvent {
                stage: b.stage,
                container: b.container,
                kind: b.kind,
                best: b.at,
                worst: b.at,
                nominal: false,
                text: b.text,
            })
            .collect(),
        outcome: s.outcome,
        status: s.status,
    }
}

/// The what-ifs that apply to this pod, each with the statuses `kubectl get pod` shows.
/// `helpers` are the entries of `containers` that are not the app (classic helpers).
pub fn scenarios(
    spec: &PodSpec,
    helpers: &[String],
    version: KubeVersion,
    batch: bool,
) -> Vec<Scenario> {
    scenarios::stories(spec, helpers, batch, version)
        .into_iter()
        .map(scenario)
        .collect()
}

/// `lifecycle.status` and `lifecycle.completes` of CONTRACT.md.
pub fn status(
    spec: &PodSpec,
    helpers: &[String],
    version: KubeVersion,
    batch: bool,
) -> (Vec<StatusAt>, Option<bool>) {
    (
        scenarios::normal_status(spec, helpers, batch, version),
        scenarios::completes(spec, helpers, batch, version),
    )
}

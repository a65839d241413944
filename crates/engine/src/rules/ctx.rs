//! What every rule reads about one workload, built once.

use crate::manifest::{HpaObject, PodObject, ServiceObject};
use crate::model::{ContainerReport, Pattern, ResourceReport, Section};
use crate::patterns::Signals;
use crate::version::KubeVersion;
use k8s_openapi::api::core::v1::{Container, PodSpec};
use std::collections::BTreeMap;

/// One container: where it sits, its spec as read, its report (form, pattern, resources) and
/// the signals `patterns` found in it.
pub struct Member<'a> {
    pub section: Section,
    pub index: usize,
    pub spec: &'a Container,
    pub report: &'a ContainerReport,
    pub signals: &'a Signals,
}

pub struct Ctx<'a> {
    pub pod: &'a PodObject,
    pub spec: &'a PodSpec,
    pub batch: bool,
    /// `initContainers` in order, then `containers`.
    pub members: Vec<Member<'a>>,
    pub reports: &'a [ContainerReport],
    /// Reports by name (where two share a name, the later one).
    pub by_name: BTreeMap<&'a str, &'a ContainerReport>,
    /// The containers judged (or chosen) to be the app.
    pub app_names: Vec<&'a str>,
    pub report: &'a ResourceReport,
    pub version: KubeVersion,
    pub hpas: &'a [&'a HpaObject],
    pub services: &'a [&'a ServiceObject],
}

impl<'a> Ctx<'a> {
    /// `reports` and `signals` are in the order of `pod.all_containers()`.
    pub fn new(
        pod: &'a PodObject,
        reports: &'a [ContainerReport],
        signals: &'a [Signals],
        report: &'a ResourceReport,
        version: KubeVersion,
        hpas: &'a [&'a HpaObject],
        services: &'a [&'a ServiceObject],
    ) -> Self {
        let members = pod
            .all_containers()
            .zip(reports)
            .zip(signals)
            .map(|(((section, index, spec), report), signals)| Member {
                section,
                index,
                spec,
                report,
                signals,
            })
            .collect();
        Ctx {
            pod,
            spec: &pod.spec,
            batch: pod.kind.is_batch(),
            members,
            reports,
            by_name: crate::order::map(reports.iter().map(|c| (c.name.as_str(), c))),
            app_names: reports
                .iter()
                .filter(|c| c.pattern == Pattern::App)
                .map(|c| c.name.as_str())
                .collect(),
            report,
            version,
            hpas,
            services,
        }
    }

    /// The entries of `containers` that are the app.
    pub fn apps(&self) -> impl Iterator<Item = &Member<'a>> {
        self.members.iter().filter(|m| {
            m.section == Section::Containers && self.app_names.contains(&m.spec.name.as_str())
        })
    }
}

//! Waivers: a finding accepted once stays accepted (CONTRACT.md §4).
//!
//! Three sources waive findings: annotations in the manifest (`podlab.dev/ignore`), the
//! configuration file and the command line. [`crate::analyze`] applies the annotations itself, so
//! that the page honours them as the CLI does; the CLI applies the file's and the flags' waivers
//! through the same [`apply`]. A waived finding stays in the analysis with [`Waived`] set: outputs
//! decide how to show it, and it never fails a run.

use crate::manifest::PodObject;
use crate::model::{Diagnostic, Severity, Workload};
use crate::yaml::NodeKind;
use serde::Serialize;
use std::collections::BTreeMap;

/// `podlab.dev/ignore: "rule-a, rule-b"` waives rules for the whole workload;
/// `podlab.dev/ignore.<container>: "rule-a"` for that container only.
pub const IGNORE_ANNOTATION: &str = "podlab.dev/ignore";

/// Who waived a finding.
#[derive(Clone, Copy, Debug, Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum WaivedBy {
    Annotation,
    Config,
    Flag,
}

impl WaivedBy {
    pub fn as_str(&self) -> &'static str {
        match self {
            WaivedBy::Annotation => "annotation",
            WaivedBy::Config => "config",
            WaivedBy::Flag => "flag",
        }
    }
}

/// Why a finding is not held against the run.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Waived {
    pub by: WaivedBy,
    pub reason: Option<String>,
}

/// The rules a waiver covers: every rule (`*`) or one id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rules {
    All,
    One(String),
}

impl Rules {
    pub fn parse(s: &str) -> Rules {
        match s.trim() {
            "*" => Rules::All,
            id => Rules::One(id.to_string()),
        }
    }

    pub fn covers(&self, id: &str) -> bool {
        match self {
            Rules::All => true,
            Rules::One(own) => own == id,
        }
    }
}

/// Whether a waiver reaches a finding of a workload, beyond its rule: the configuration's globs on
/// containers, workloads and files, or an annotation's container.
pub type Reach<'a> = Box<dyn Fn(&Workload, &Diagnostic) -> bool + Send + Sync + 'a>;

/// One waiver: the rules it covers, who waives them and why, and the findings it reaches.
pub struct Waiver<'a> {
    pub rules: Rules,
    pub waived: Waived,
    pub reaches: Reach<'a>,
}

/// Marks each finding of the workload that a waiver covers with the first such waiver. A finding
/// already waived keeps its waiver, so the manifest's own annotations name themselves first.
pub fn apply(workload: &mut Workload, waivers: &[Waiver<'_>]) {
    let mut diagnostics = std::mem::take(&mut workload.diagnostics);
    for d in diagnostics.iter_mut().filter(|d| d.waived.is_none()) {
        if let Some(w) = waivers
            .iter()
            .find(|w| w.rules.covers(&d.rule) && (w.reaches)(workload, d))
        {
            d.waived = Some(w.waived.clone());
        }
    }
    workload.diagnostics = diagnostics;
}

/// The waivers a workload's annotations declare, from its own metadata and from its pod
/// template's (the same map for a Pod). Ids that name no rule waive nothing.
pub fn from_annotations(pod: &PodObject) -> Vec<Waiver<'static>> {
    let own = pod
        .root
        .get("metadata")
        .and_then(|m| m.get("annotations"))
        .map(|a| match &a.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .filter_map(|(k, v)| Some((k.key_text()?, v.as_str()?.to_string())))
                .collect(),
            _ => Vec::new(),
        })
        .unwrap_or_default();
    let template = pod
        .pod_annotations
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()));
    let mut out = Vec::new();
    for (key, value) in own.into_iter().chain(template) {
        let container = if key == IGNORE_ANNOTATION {
            None
        } else if let Some(name) = key
            .strip_prefix(IGNORE_ANNOTATION)
            .and_then(|rest| rest.strip_prefix('.'))
        {
            Some(name.to_string())
        } else {
            continue;
        };
        for id in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let container = container.clone();
            out.push(Waiver {
                rules: Rules::parse(id),
                waived: Waived {
                    by: WaivedBy::Annotation,
                    reason: None,
                },
                reaches: Box::new(move |_, d| {
                    container.is_none() || d.container.as_deref() == container.as_deref()
                }),
            });
        }
    }
    out
}

/// Sets each rule's severity as configured; `None` drops the rule's findings. The findings stay
/// in the analysis's order: severity first, then line.
pub fn set_severities(workload: &mut Workload, levels: &BTreeMap<String, Option<Severity>>) {
    if levels.is_empty() {
        return;
    }
    workload
        .diagnostics
        .retain(|d| !matches!(levels.get(&d.rule), Some(None)));
    for d in &mut workload.diagnostics {
        if let Some(Some(s)) = levels.get(&d.rule) {
            d.severity = *s;
        }
    }
    crate::order::sort_by(&mut workload.diagnostics, |a, b| {
        a.severity.cmp(&b.severity).then(a.line.cmp(&b.line))
    });
}

//! The analysis as plain data: what the CLI prints as JSON (CONTRACT.md §1) and what the page renders.
//! Field names are camelCase, as in the Kubernetes API. Additions beyond the contract are allowed;
//! removals and renames are not.

use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    pub tool: Tool,
    pub kubernetes_version: String,
    pub workloads: Vec<Workload>,
    pub errors: Vec<InputError>,
}

impl Analysis {
    /// Whether any workload has an error-severity finding that no waiver accepts.
    pub fn has_errors(&self) -> bool {
        self.workloads.iter().any(|w| {
            w.diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error && d.waived.is_none())
        })
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: "podlab",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// An input that could not be read: where, and what is wrong, in words.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct InputError {
    pub file: String,
    pub document: usize,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The field path the message is about, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Workload {
    pub file: String,
    pub document: usize,
    pub line: usize,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub replicas: Option<i64>,
    pub containers: Vec<ContainerReport>,
    pub resources: ResourceReport,
    pub lifecycle: Lifecycle,
    pub diagnostics: Vec<Diagnostic>,
    /// The pod's restartPolicy after defaulting (Always, OnFailure or Never).
    pub restart_policy: String,
    /// A HorizontalPodAutoscaler that targets this workload, if the input has one.
    pub autoscaler: Option<Autoscaler>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Autoscaler {
    pub name: String,
    pub line: usize,
    pub file: String,
    pub min_replicas: i64,
    pub max_replicas: i64,
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    Init,
    NativeSidecar,
    Container,
}

impl Form {
    pub fn as_str(&self) -> &'static str {
        match self {
            Form::Init => "init",
            Form::NativeSidecar => "native-sidecar",
            Form::Container => "container",
        }
    }
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Pattern {
    Init,
    Sidecar,
    Ambassador,
    Adapter,
    App,
}

impl Pattern {
    pub fn as_str(&self) -> &'static str {
        match self {
            Pattern::Init => "init",
            Pattern::Sidecar => "sidecar",
            Pattern::Ambassador => "ambassador",
            Pattern::Adapter => "adapter",
            Pattern::App => "app",
        }
    }

    pub fn parse(s: &str) -> Option<Pattern> {
        Some(match s.trim() {
            "init" => Pattern::Init,
            "sidecar" => Pattern::Sidecar,
            "ambassador" => Pattern::Ambassador,
            "adapter" => Pattern::Adapter,
            "app" => Pattern::App,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ContainerReport {
    pub name: String,
    pub image: String,
    pub section: String,
    pub index: usize,
    pub line: usize,
    pub form: Form,
    pub pattern: Pattern,
    pub confidence: f64,
    pub evidence: Vec<String>,
    /// True where an annotation or the caller chose the pattern.
    pub overridden: bool,
    /// The container's own requests and limits after API defaulting.
    pub requests: ResourceMap,
    pub limits: ResourceMap,
}

/// Resource name to value, in name order.
pub type ResourceMap = BTreeMap<String, QuantityOut>;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct QuantityOut {
    /// The canonical Kubernetes form.
    pub quantity: String,
    /// MilliValue(): ceil(value × 1000).
    pub milli: i128,
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub enum QosClass {
    Guaranteed,
    Burstable,
    BestEffort,
}

impl QosClass {
    pub fn as_str(&self) -> &'static str {
        match self {
            QosClass::Guaranteed => "Guaranteed",
            QosClass::Burstable => "Burstable",
            QosClass::BestEffort => "BestEffort",
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ResourceReport {
    pub requests: ResourceMap,
    pub limits: ResourceMap,
    pub qos: QosClass,
    /// Why the pod gets that class, in one sentence.
    pub qos_reason: String,
    /// The derivation, phase by phase.
    pub steps: Vec<Phase>,
    /// What a reader summing only `containers` would expect.
    pub naive_requests: ResourceMap,
    /// Per resource: which phase sets the effective request.
    pub winners: BTreeMap<String, String>,
    /// Requests and limits times the replica count, where it is fixed.
    pub total_requests: Option<ResourceMap>,
    pub total_limits: Option<ResourceMap>,
    /// Requests times the autoscaler's maxReplicas, where one targets the workload.
    pub max_total_requests: Option<ResourceMap>,
    /// Sentences for people, in order: how the numbers come about.
    pub explanation: Vec<String>,
}

/// One phase of the pod's life and what it holds reserved: an init container's run (with the
/// sidecars already started), the running phase, and pod-level adjustments.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Phase {
    /// "init" (a plain init container's run), "sidecar" (a sidecar's start), "running",
    /// "pod-level" (pod-level resources replace values), "overhead" (added on top).
    pub kind: String,
    pub label: String,
    /// The containers whose values make up this phase.
    pub containers: Vec<String>,
    pub requests: ResourceMap,
    pub limits: ResourceMap,
    /// Resources whose effective request this phase sets.
    pub wins: Vec<String>,
    pub text: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Lifecycle {
    pub startup: Vec<Vec<String>>,
    pub shutdown: Vec<Vec<String>>,
    pub timeline: crate::lifecycle::Timeline,
    /// What-ifs: an init container failing, a sidecar failing its startupProbe, Job completion,
    /// a rushed deletion.
    pub scenarios: Vec<crate::lifecycle::Scenario>,
    /// The same pod with its helpers as classic containers and as native sidecars.
    pub compare: Option<(crate::lifecycle::Variant, crate::lifecycle::Variant)>,
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub container: Option<String>,
    pub line: usize,
    pub path: Option<String>,
    /// The file the line is in (an autoscaler's findings may stand in another file).
    pub file: String,
    /// Set when a waiver accepts the finding (CONTRACT.md §4); such a finding never fails a run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived: Option<crate::waivers::Waived>,
}

pub fn quantity_out(q: &crate::quantity::Quantity) -> QuantityOut {
    QuantityOut {
        quantity: q.canonical(),
        milli: q.milli_value(),
    }
}

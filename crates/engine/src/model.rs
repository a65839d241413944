//! The analysis as plain data: what the CLI prints as JSON (CONTRACT.md §1) and what the page renders.
//! Field names are camelCase, as in the Kubernetes API. Additions beyond the contract are allowed;
//! removals and renames are not.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// Always this build's own name and version, also when an analysis is read back.
    #[serde(skip_deserializing, skip_serializing_if = "crate::wire::json_only")]
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
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct InputError {
    pub file: String,
    pub document: usize,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The field path the message is about, where there is one.
    #[serde(skip_serializing_if = "crate::wire::omit_none")]
    pub path: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
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
    pub restart_policy: RestartPolicy,
    /// A HorizontalPodAutoscaler that targets this workload, if the input has one.
    pub autoscaler: Option<Autoscaler>,
    /// What a Pod that carries a `status` is doing now (`live`); null otherwise.
    pub live: Option<Live>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Autoscaler {
    pub name: String,
    pub line: usize,
    pub file: String,
    pub min_replicas: i64,
    pub max_replicas: i64,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
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

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash)]
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

/// Where a container is declared in the pod spec.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum Section {
    #[serde(rename = "initContainers")]
    InitContainers,
    #[serde(rename = "containers")]
    Containers,
}

impl Section {
    /// The field name in the pod spec.
    pub fn as_str(&self) -> &'static str {
        match self {
            Section::InitContainers => "initContainers",
            Section::Containers => "containers",
        }
    }

    pub fn is_init(&self) -> bool {
        *self == Section::InitContainers
    }
}

impl AsRef<str> for Section {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Section {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ContainerReport {
    pub name: String,
    pub image: String,
    pub section: Section,
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

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct QuantityOut {
    /// The canonical Kubernetes form.
    pub quantity: String,
    /// MilliValue(): ceil(value × 1000).
    pub milli: i128,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum QosClass {
    Guaranteed,
    Burstable,
    BestEffort,
    /// A cpu or memory value is not a valid quantity, so the class cannot be known.
    Unknown,
}

impl QosClass {
    pub fn as_str(&self) -> &'static str {
        match self {
            QosClass::Guaranteed => "Guaranteed",
            QosClass::Burstable => "Burstable",
            QosClass::BestEffort => "BestEffort",
            QosClass::Unknown => "Unknown",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
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
    pub winners: BTreeMap<String, Winner>,
    /// Requests and limits times the replica count, where it is fixed.
    pub total_requests: Option<ResourceMap>,
    pub total_limits: Option<ResourceMap>,
    /// Requests times the autoscaler's maxReplicas, where one targets the workload.
    pub max_total_requests: Option<ResourceMap>,
    /// Sentences for people, in order: how the numbers come about.
    pub explanation: Vec<String>,
    /// Resources whose effective request (limit) cannot be known, because a value that goes
    /// into it is not a valid quantity: left out of the maps above, never guessed.
    #[serde(default, skip_serializing_if = "crate::wire::omit_empty")]
    pub unknown_requests: Vec<String>,
    #[serde(default, skip_serializing_if = "crate::wire::omit_empty")]
    pub unknown_limits: Vec<String>,
}

/// One phase of the pod's life and what it holds reserved: an init container's run (with the
/// sidecars already started), the running phase, and pod-level adjustments.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Phase {
    pub kind: PhaseKind,
    pub label: String,
    /// The containers whose values make up this phase.
    pub containers: Vec<String>,
    pub requests: ResourceMap,
    pub limits: ResourceMap,
    /// Resources whose effective request this phase sets.
    pub wins: Vec<String>,
    pub text: String,
}

/// The kind of a resource phase.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum PhaseKind {
    /// A plain init container's run.
    Init,
    /// A native sidecar's start.
    Sidecar,
    Running,
    /// Pod-level resources replace values.
    PodLevel,
    /// Added on top.
    Overhead,
}

/// A pod's or a container's restartPolicy (k8s.io/api/core/v1/types.go RestartPolicy and
/// ContainerRestartPolicy), serialised as the API writes it. A value the API refuses is kept as
/// written (`Unsupported`), so the output shows what the manifest says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestartPolicy {
    Always,
    OnFailure,
    Never,
    Unsupported(String),
}

impl RestartPolicy {
    pub fn parse(s: &str) -> RestartPolicy {
        match s {
            "Always" => RestartPolicy::Always,
            "OnFailure" => RestartPolicy::OnFailure,
            "Never" => RestartPolicy::Never,
            other => RestartPolicy::Unsupported(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            RestartPolicy::Always => "Always",
            RestartPolicy::OnFailure => "OnFailure",
            RestartPolicy::Never => "Never",
            RestartPolicy::Unsupported(s) => s,
        }
    }
}

impl std::fmt::Display for RestartPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RestartPolicy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RestartPolicy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(RestartPolicy::parse(&String::deserialize(d)?))
    }
}

/// The phase that sets a resource's effective request, written `init:<name>`,
/// `sidecar:<name>`, `running` or `pod-level`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Winner {
    Init(String),
    Sidecar(String),
    Running,
    PodLevel,
}

impl std::fmt::Display for Winner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Winner::Init(name) => write!(f, "init:{name}"),
            Winner::Sidecar(name) => write!(f, "sidecar:{name}"),
            Winner::Running => f.write_str("running"),
            Winner::PodLevel => f.write_str("pod-level"),
        }
    }
}

impl Serialize for Winner {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Reads back what `Display` writes.
impl<'de> Deserialize<'de> for Winner {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(match s.as_str() {
            "running" => Winner::Running,
            "pod-level" => Winner::PodLevel,
            _ => match (s.strip_prefix("init:"), s.strip_prefix("sidecar:")) {
                (Some(name), _) => Winner::Init(name.to_string()),
                (_, Some(name)) => Winner::Sidecar(name.to_string()),
                _ => return Err(serde::de::Error::custom(format!("unknown winner {s:?}"))),
            },
        })
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Lifecycle {
    pub startup: Vec<Vec<String>>,
    pub shutdown: Vec<Vec<String>>,
    /// What `kubectl get pod` shows as the pod starts where every probe passes (and completes,
    /// where it is meant to), each distinct row at its best-case second.
    pub status: Vec<crate::lifecycle::podstatus::StatusAt>,
    /// Whether a pod meant to finish (a Job, restartPolicy Never or OnFailure) does finish.
    pub completes: Option<bool>,
    pub timeline: Timeline,
    /// What-ifs: an init container failing under each restart policy, a sidecar failing its
    /// startupProbe or crash-looping, completion, a container outliving its grace period, a
    /// rushed deletion, a container's own restartPolicy; each with its statuses.
    pub scenarios: Vec<Scenario>,
    /// The same pod with its helpers as classic containers and as native sidecars.
    pub compare: Option<(Variant, Variant)>,
}

impl Lifecycle {
    /// What `kubectl get pod` shows at second `t` of a normal start.
    pub fn status_at(&self, t: i64) -> Option<&crate::lifecycle::podstatus::StatusAt> {
        crate::lifecycle::podstatus::shown_at(&self.status, t)
    }
}

/// What happens at a moment of the pod's life.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Volumes,
    Start,
    PostStart,
    Started,
    Ready,
    Running,
    Exit,
    ProbeFailed,
    PodFailed,
    PreStop,
    Sigterm,
    Sigkill,
    Stopped,
}

impl EventKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            EventKind::Volumes => "volumes",
            EventKind::Start => "start",
            EventKind::PostStart => "post-start",
            EventKind::Started => "started",
            EventKind::Ready => "ready",
            EventKind::Running => "running",
            EventKind::Exit => "exit",
            EventKind::ProbeFailed => "probe-failed",
            EventKind::PodFailed => "pod-failed",
            EventKind::PreStop => "pre-stop",
            EventKind::Sigterm => "sigterm",
            EventKind::Sigkill => "sigkill",
            EventKind::Stopped => "stopped",
        }
    }

    /// Whether the container runs from this moment on (a lane segment opens).
    pub fn starts_running(&self) -> bool {
        *self == EventKind::Start
    }

    /// Whether the container stops running at this moment (a lane segment closes).
    pub fn stops_running(&self) -> bool {
        matches!(
            self,
            EventKind::Exit | EventKind::Stopped | EventKind::Sigkill | EventKind::ProbeFailed
        )
    }
}

/// A moment in the pod's life, with the earliest and latest second it can happen at.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEvent {
    /// Index of the startup or shutdown stage this event belongs to.
    pub stage: usize,
    pub container: Option<String>,
    pub kind: EventKind,
    pub best: i64,
    pub worst: i64,
    /// True where the time stands for work podlab cannot know (an init container's run).
    pub nominal: bool,
    pub text: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    pub startup: Vec<TimelineEvent>,
    pub shutdown: Vec<TimelineEvent>,
    pub termination_grace_period_seconds: i64,
    /// Facts about this pod's lifecycle worth saying (Job completion, version effects).
    pub notes: Vec<String>,
}

/// A what-if for the pod's life, told as events: what happens, and how it ends.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Scenario {
    pub id: String,
    pub title: String,
    pub events: Vec<TimelineEvent>,
    /// How it ends: the pod phase, or why it never gets there.
    pub outcome: String,
    /// The statuses `kubectl get pod` shows on the way, with the phase; the last is how it ends.
    pub status: Vec<crate::lifecycle::podstatus::StatusAt>,
}

/// One form of a pod for the side-by-side comparison: its stages and timeline.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Variant {
    pub label: String,
    /// Its containers in declaration order (initContainers, then containers), with their form.
    pub lanes: Vec<(String, Form)>,
    pub startup: Vec<Vec<String>>,
    pub shutdown: Vec<Vec<String>>,
    pub timeline: Timeline,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
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

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
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
    #[serde(skip_serializing_if = "crate::wire::omit_none")]
    pub waived: Option<crate::waivers::Waived>,
    /// The change that resolves the finding, in the text of `file`, where one needs no value only
    /// a person knows.
    #[serde(skip_serializing_if = "crate::wire::omit_none")]
    pub fix: Option<Fix>,
    /// Other changes that also resolve it, after `fix`, which is the first choice.
    #[serde(default, skip_serializing_if = "crate::wire::omit_empty")]
    pub alternatives: Vec<Fix>,
}

/// A change to the text: what it does, in words, and its edits.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Fix {
    pub title: String,
    /// In text order, none overlapping.
    pub edits: Vec<Edit>,
}

/// Replace the text from (line, column) up to, not including, (endLine, endColumn) with
/// `newText`. Lines and columns are 1-based; columns count characters.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Edit {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub new_text: String,
}

/// A live pod: what its `status` says, as `kubectl get pod` shows it and in words.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Live {
    /// The STATUS column of `kubectl get pod` (printPod).
    pub status: String,
    /// The READY column.
    pub ready: String,
    /// The RESTARTS column's count, without "(5m ago)".
    pub restarts: i64,
    /// `status.phase` (getPhase where the status has none).
    pub phase: String,
    /// The container that holds the pod back, if one does.
    pub blocked_by: Option<String>,
    /// Every container of the spec, init containers first, with what its status says.
    pub containers: Vec<LiveContainer>,
    /// Sentences for people, most important first.
    pub explanation: Vec<String>,
    /// kubectl commands to look closer, with the pod's own names.
    pub commands: Vec<String>,
    pub resources: LiveResources,
}

/// A container's state as the kubelet reports it.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ContainerState {
    Waiting,
    Running,
    Terminated,
    /// No status for the container (not created yet), or a state without a field set.
    Unknown,
}

impl ContainerState {
    pub fn as_str(&self) -> &'static str {
        match self {
            ContainerState::Waiting => "waiting",
            ContainerState::Running => "running",
            ContainerState::Terminated => "terminated",
            ContainerState::Unknown => "unknown",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LiveContainer {
    pub name: String,
    pub section: Section,
    pub state: ContainerState,
    /// The waiting or terminated reason (CrashLoopBackOff, ImagePullBackOff, Completed, ...).
    pub reason: Option<String>,
    pub message: Option<String>,
    /// The exit code, when the container has terminated.
    pub exit_code: Option<i32>,
    pub ready: bool,
    pub started: Option<bool>,
    pub restarts: i32,
    /// `lastState.terminated`: how the previous run ended.
    pub last_termination: Option<Termination>,
    /// This container holds the pod back (`Live::blocked_by`).
    pub holds_pod_back: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Termination {
    pub reason: Option<String>,
    pub exit_code: i32,
    pub signal: Option<i32>,
    pub finished_at: Option<String>,
}

/// The requests and limits the scheduler counts for the pod now (in-place resize, KEP-1287).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LiveResources {
    pub requests: ResourceMap,
    pub limits: ResourceMap,
    /// Where the live values differ from the spec, and why.
    pub differences: Vec<String>,
    /// The PodResizePending or PodResizeInProgress condition, in words.
    pub resize: Option<String>,
}

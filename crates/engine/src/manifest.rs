//! From text to Kubernetes objects: documents, kinds, field and type checks, the typed pod spec,
//! positions.
//!
//! Decoding follows what `kubectl apply` does with a manifest: sigs.k8s.io/yaml turns each document
//! into JSON, the API types decode it, and strict field validation (kubectl's default since 1.27)
//! refuses fields the types do not have. [`crate::schema`] checks every field of the object against
//! the API types' shape and finds unknown ones; the pod spec is then decoded into k8s-openapi's
//! `PodSpec`, which the analysis reads.

use crate::model::InputError;
use crate::quantity::Quantity;
use crate::schema;
use crate::yaml::{self, Node, Pos, Step};
use k8s_openapi::api::core::v1::{Container, PodSpec};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Inputs larger than this are refused before parsing.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Pod,
    Deployment,
    StatefulSet,
    DaemonSet,
    ReplicaSet,
    ReplicationController,
    Job,
    CronJob,
    PodTemplate,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "Pod" => Kind::Pod,
            "Deployment" => Kind::Deployment,
            "StatefulSet" => Kind::StatefulSet,
            "DaemonSet" => Kind::DaemonSet,
            "ReplicaSet" => Kind::ReplicaSet,
            "ReplicationController" => Kind::ReplicationController,
            "Job" => Kind::Job,
            "CronJob" => Kind::CronJob,
            "PodTemplate" => Kind::PodTemplate,
            _ => return None,
        })
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Pod => "Pod",
            Kind::Deployment => "Deployment",
            Kind::StatefulSet => "StatefulSet",
            Kind::DaemonSet => "DaemonSet",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::ReplicationController => "ReplicationController",
            Kind::Job => "Job",
            Kind::CronJob => "CronJob",
            Kind::PodTemplate => "PodTemplate",
        }
    }

    /// The served apiVersion, and older ones that the API server no longer serves (with the
    /// release that removed them; kubernetes.io/docs/reference/using-api/deprecation-guide).
    fn api_versions(&self) -> (&'static str, &'static [(&'static str, &'static str)]) {
        match self {
            Kind::Pod | Kind::ReplicationController | Kind::PodTemplate => ("v1", &[]),
            Kind::Deployment | Kind::DaemonSet | Kind::ReplicaSet => (
                "apps/v1",
                &[
                    ("extensions/v1beta1", "1.16"),
                    ("apps/v1beta1", "1.16"),
                    ("apps/v1beta2", "1.16"),
                ],
            ),
            Kind::StatefulSet => (
                "apps/v1",
                &[("apps/v1beta1", "1.16"), ("apps/v1beta2", "1.16")],
            ),
            Kind::Job => ("batch/v1", &[]),
            Kind::CronJob => (
                "batch/v1",
                &[("batch/v1beta1", "1.25"), ("batch/v2alpha1", "1.21")],
            ),
        }
    }

    /// The object's type in the schema table.
    fn schema_root(&self) -> u16 {
        match self {
            Kind::Pod => schema::POD,
            Kind::Deployment => schema::DEPLOYMENT,
            Kind::StatefulSet => schema::STATEFUL_SET,
            Kind::DaemonSet => schema::DAEMON_SET,
            Kind::ReplicaSet => schema::REPLICA_SET,
            Kind::ReplicationController => schema::REPLICATION_CONTROLLER,
            Kind::Job => schema::JOB,
            Kind::CronJob => schema::CRON_JOB,
            Kind::PodTemplate => schema::POD_TEMPLATE,
        }
    }

    /// Where the pod spec sits in an object of this kind.
    fn spec_path(&self) -> &'static [&'static str] {
        match self {
            Kind::Pod => &["spec"],
            Kind::PodTemplate => &["template", "spec"],
            Kind::CronJob => &["spec", "jobTemplate", "spec", "template", "spec"],
            _ => &["spec", "template", "spec"],
        }
    }

    pub fn is_batch(&self) -> bool {
        matches!(self, Kind::Job | Kind::CronJob)
    }
}

/// A workload object read from the input, decoded and positioned.
#[derive(Debug)]
pub struct PodObject {
    pub file: String,
    pub document: usize,
    pub kind: Kind,
    pub name: String,
    pub namespace: Option<String>,
    pub replicas: Option<i64>,
    pub spec: PodSpec,
    /// Annotations of the pod (the template's for workloads).
    pub pod_annotations: BTreeMap<String, String>,
    /// Labels of the pod (the template's for workloads), which Services select on.
    pub pod_labels: BTreeMap<String, String>,
    pub root: Node,
    /// Steps from the object's root to its pod spec.
    pub spec_steps: Vec<Step>,
    /// Findings made while reading: unknown fields, removed API versions.
    pub read_findings: Vec<ReadFinding>,
}

/// Something found while reading that is a finding, not a failure.
#[derive(Debug, Clone)]
pub struct ReadFinding {
    pub rule: &'static str,
    pub message: String,
    pub pos: Pos,
    pub path: String,
}

impl PodObject {
    pub fn line(&self) -> usize {
        self.root.pos.line
    }

    /// Position of a path below the pod spec.
    pub fn locate_in_spec(&self, rest: &[Step]) -> Pos {
        let mut steps = self.spec_steps.clone();
        steps.extend_from_slice(rest);
        self.root.locate(&steps).0
    }

    pub fn spec_prefix(&self) -> String {
        path_text(&self.spec_steps)
    }

    /// `initContainers[i]` then `containers[i]`, with their section name and index.
    pub fn all_containers(
        &self,
    ) -> impl Iterator<Item = (crate::model::Section, usize, &Container)> {
        let init = self
            .spec
            .init_containers
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, c)| (crate::model::Section::InitContainers, i, c));
        let main = self
            .spec
            .containers
            .iter()
            .enumerate()
            .map(|(i, c)| (crate::model::Section::Containers, i, c));
        init.chain(main)
    }
}

/// A HorizontalPodAutoscaler read from the input.
#[derive(Debug, Clone)]
pub struct HpaObject {
    pub file: String,
    pub name: String,
    pub namespace: Option<String>,
    pub line: usize,
    pub target_kind: String,
    pub target_name: String,
    pub min_replicas: i64,
    pub max_replicas: i64,
    /// autoscaling/v2 metrics, with their positions.
    pub metrics: Vec<HpaMetric>,
}

#[derive(Debug, Clone)]
pub struct HpaMetric {
    pub index: usize,
    pub line: usize,
    pub kind: MetricKind,
    pub resource: Option<String>,
    pub container: Option<String>,
}

/// An autoscaling/v2 metric's `type` (k8s.io/api/autoscaling/v2/types.go MetricSourceType).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    Object,
    Pods,
    Resource,
    ContainerResource,
    External,
    /// A type the API does not define (refused by validation; no rule reads it).
    Other,
}

impl MetricKind {
    pub fn parse(s: &str) -> MetricKind {
        match s {
            "Object" => MetricKind::Object,
            "Pods" => MetricKind::Pods,
            "Resource" => MetricKind::Resource,
            "ContainerResource" => MetricKind::ContainerResource,
            "External" => MetricKind::External,
            _ => MetricKind::Other,
        }
    }
}

/// A Service in the input: what it selects.
#[derive(Debug, Clone)]
pub struct ServiceObject {
    pub name: String,
    pub namespace: Option<String>,
    pub selector: BTreeMap<String, String>,
}

impl ServiceObject {
    /// A Service selects a pod when every selector label matches; an empty selector selects
    /// nothing (its endpoints are managed by hand).
    pub fn selects(&self, pod: &PodObject) -> bool {
        !self.selector.is_empty()
            && (self.namespace.is_none()
                || pod.namespace.is_none()
                || self.namespace == pod.namespace)
            && self
                .selector
                .iter()
                .all(|(k, v)| pod.pod_labels.get(k) == Some(v))
    }
}

#[derive(Default, Debug)]
pub struct Objects {
    pub pods: Vec<PodObject>,
    pub hpas: Vec<HpaObject>,
    pub services: Vec<ServiceObject>,
    pub errors: Vec<InputError>,
}

/// Reads one input (a file or standard input) into objects and errors.
pub fn read(file: &str, text: &str, out: &mut Objects) {
    let err = |document: usize, pos: Pos, message: String, path: Option<String>| InputError {
        file: file.to_string(),
        document,
        line: pos.line.max(1),
        column: pos.column.max(1),
        message,
        path,
    };
    if text.len() > MAX_INPUT_BYTES {
        out.errors.push(err(
            0,
            Pos { line: 1, column: 1 },
            format!(
                "the input is {} MB; podlab reads at most {} MB at once",
                text.len() / 1_000_000,
                MAX_INPUT_BYTES / 1_000_000
            ),
            None,
        ));
        return;
    }
    if let Some((pos, message)) = helm_template(text) {
        out.errors.push(err(0, pos, message, None));
        return;
    }
    if let Some(offset) = text.find('\0') {
        let pos = pos_of_offset(text, offset);
        out.errors.push(err(
            0,
            pos,
            "the input holds a NUL byte: it looks like a binary file, not YAML or JSON".into(),
            None,
        ));
        return;
    }
    let (docs, yaml_error) = yaml::read_documents(text);
    for (index, doc) in docs.iter().enumerate() {
        let Some(root) = &doc.root else { continue };
        read_object(file, index, root, out, &err);
    }
    if let Some(e) = yaml_error {
        out.errors.push(err(e.document, e.pos, e.message, None));
    }
}

/// Whether an object of this kind holds other objects under `items` (`List`, and the typed lists
/// of core/v1 such as `PodList` that `kubectl get -o json` prints for one resource type).
pub fn is_list_kind(kind: &str, api_version: &str) -> bool {
    kind == "List" || kind.ends_with("List") && api_version == "v1"
}

/// Reads one object already in the tree: an item of a List read as a stream (`stream`).
pub fn read_root(file: &str, document: usize, root: &Node, out: &mut Objects) {
    let err = |document: usize, pos: Pos, message: String, path: Option<String>| InputError {
        file: file.to_string(),
        document,
        line: pos.line.max(1),
        column: pos.column.max(1),
        message,
        path,
    };
    read_object(file, document, root, out, &err);
}

type ErrFn<'a> = dyn Fn(usize, Pos, String, Option<String>) -> InputError + 'a;

fn read_object(file: &str, document: usize, root: &Node, out: &mut Objects, err: &ErrFn) {
    let not_object = || {
        "this document is not a Kubernetes object: expected a mapping with apiVersion and kind"
            .to_string()
    };
    let (Some(kind_node), Some(api_node)) = (root.get("kind"), root.get("apiVersion")) else {
        let missing = match (root.get("kind"), root.get("apiVersion")) {
            (None, None) => not_object(),
            (None, _) => "this object has no 'kind'".to_string(),
            _ => "this object has no 'apiVersion'".to_string(),
        };
        out.errors.push(err(document, root.pos, missing, None));
        return;
    };
    let (Some(kind), Some(api_version)) = (kind_node.as_str(), api_node.as_str()) else {
        out.errors.push(err(
            document,
            kind_node.pos,
            "'kind' and 'apiVersion' must be strings".into(),
            None,
        ));
        return;
    };
    if is_list_kind(kind, api_version) {
        for item in root.get("items").map(Node::items).unwrap_or(&[]) {
            read_object(file, document, item, out, err);
        }
        return;
    }
    if kind == "Service" && api_version == "v1" {
        let meta = root.get("metadata");
        let selector = root
            .get("spec")
            .and_then(|s| s.get("selector"))
            .map(|sel| match &sel.kind {
                crate::yaml::NodeKind::Map(entries) => entries
                    .iter()
                    .filter_map(|(k, v)| Some((k.key_text()?, v.key_text()?)))
                    .collect(),
                _ => BTreeMap::new(),
            })
            .unwrap_or_default();
        out.services.push(ServiceObject {
            name: meta
                .and_then(|m| m.get("name"))
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_string(),
            namespace: meta
                .and_then(|m| m.get("namespace"))
                .and_then(Node::as_str)
                .map(str::to_string),
            selector,
        });
        return;
    }
    if kind == "HorizontalPodAutoscaler" {
        match read_hpa(file, root, api_version) {
            Ok(h) => out.hpas.push(h),
            Err((pos, message, path)) => out.errors.push(err(document, pos, message, path)),
        }
        return;
    }
    let Some(kind) = Kind::parse(kind) else {
        return;
    };
    match read_workload(file, document, root, kind, api_version) {
        Ok(p) => out.pods.push(p),
        Err((pos, message, path)) => out.errors.push(err(document, pos, message, path)),
    }
}

type ReadError = (Pos, String, Option<String>);

fn read_workload(
    file: &str,
    document: usize,
    root: &Node,
    kind: Kind,
    api_version: &str,
) -> Result<PodObject, ReadError> {
    let mut findings = Vec::new();
    let (served, removed) = kind.api_versions();
    let mut json = root.to_json();
    if api_version != served {
        let pos = root
            .entry("apiVersion")
            .map(|(_, v)| v.pos)
            .unwrap_or(root.pos);
        match removed.iter().find(|(v, _)| *v == api_version) {
            Some((_, release)) => findings.push(ReadFinding {
                rule: "removed-api-version",
                message: format!(
                    "{api_version} {} is no longer served (removed in Kubernetes {release}): the API server refuses it. Use apiVersion: {served}.",
                    kind.as_str()
                ),
                pos,
                path: "apiVersion".into(),
            }),
            None => {
                return Err((pos, format!("{} is served as apiVersion {served}, not '{api_version}'", kind.as_str()), Some("apiVersion".into())))
            }
        }
        json["apiVersion"] = Value::String(served.into());
    }

    let Decoded {
        spec,
        replicas,
        labels: pod_labels,
        annotations: pod_annotations,
        unknown,
    } = decode(kind, &json).map_err(|(steps, message)| {
        let (pos, _) = root.locate(&steps);
        let path = path_text(&steps);
        let message = if path.is_empty() {
            message
        } else {
            format!("{path}: {message}")
        };
        (pos, message, Some(path))
    })?;

    for steps in unknown {
        let (pos, _) = root.locate(&steps);
        let path = path_text(&steps);
        let field = match steps.last() {
            Some(Step::Key(k)) => k.clone(),
            _ => path.clone(),
        };
        let hint = suggest_field(&field);
        findings.push(ReadFinding {
            rule: "unknown-field",
            message: format!(
                "{path}: unknown field '{field}'{hint}. kubectl's strict validation refuses it; with validation off it would be dropped silently."
            ),
            pos,
            path,
        });
    }

    let spec_steps: Vec<Step> = kind
        .spec_path()
        .iter()
        .map(|k| Step::Key(k.to_string()))
        .collect();
    if spec.containers.is_empty() {
        // validation.go validateContainers: "must have at least one container"
        let mut steps = spec_steps.clone();
        steps.push(Step::Key("containers".into()));
        let (pos, _) = root.locate(&steps);
        let path = path_text(&steps);
        return Err((
            pos,
            format!(
                "{path}: a pod needs at least one container; the API server refuses an empty list"
            ),
            Some(path),
        ));
    }
    check_quantities(&spec, root, &spec_steps)?;

    let meta = root.get("metadata");
    let name = meta
        .and_then(|m| m.get("name").or_else(|| m.get("generateName")))
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_string();
    let namespace = meta
        .and_then(|m| m.get("namespace"))
        .and_then(Node::as_str)
        .map(str::to_string);
    Ok(PodObject {
        file: file.to_string(),
        document,
        kind,
        name,
        namespace,
        replicas,
        spec,
        pod_annotations,
        pod_labels,
        root: root.clone(),
        spec_steps,
        read_findings: findings,
    })
}

/// The fields of a pod spec that the analysis reads, each decoded with its k8s-openapi type.
///
/// The schema walker has already checked the whole object, so this decoding only fills in what
/// is read: decoding the whole `PodSpec` (affinity, thirty volume sources, DNS, scheduling gates…)
/// would add about 76 KB gzip of WebAssembly to the page and nothing to the analysis. A field the
/// analysis starts to read must be added here; `lib.rs`'s test `the_pod_spec_read_is_enough`
/// compares every analysis of the corpus with one made from the fully decoded `PodSpec`.
/// Every field is an `Option`, as in k8s-openapi's decoders, so a null reads as unset.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct PodSpecRead {
    containers: Option<Vec<Container>>,
    init_containers: Option<Vec<Container>>,
    resources: Option<k8s_openapi::api::core::v1::ResourceRequirements>,
    overhead: Option<BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
    volumes: Option<Vec<VolumeRead>>,
    share_process_namespace: Option<bool>,
    termination_grace_period_seconds: Option<i64>,
    restart_policy: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct VolumeRead {
    name: Option<String>,
    empty_dir: Option<k8s_openapi::api::core::v1::EmptyDirVolumeSource>,
}

/// A copy of a pod spec read by [`read`]: the fields `PodSpecRead` fills in, the only ones set.
/// (Cloning the whole `PodSpec` would compile clone code for every type it can hold: 5 KB gzip.)
/// `PodSpecRead` has no default, so a field added to it must be added here too.
pub fn copy_pod_spec(spec: &PodSpec) -> PodSpec {
    PodSpecRead {
        containers: Some(spec.containers.clone()),
        init_containers: spec.init_containers.clone(),
        resources: spec.resources.clone(),
        overhead: spec.overhead.clone(),
        volumes: spec.volumes.as_ref().map(|vs| {
            vs.iter()
                .map(|v| VolumeRead {
                    name: Some(v.name.clone()),
                    empty_dir: v.empty_dir.clone(),
                })
                .collect()
        }),
        share_process_namespace: spec.share_process_namespace,
        termination_grace_period_seconds: spec.termination_grace_period_seconds,
        restart_policy: spec.restart_policy.clone(),
    }
    .into_pod_spec()
}

impl PodSpecRead {
    fn into_pod_spec(self) -> PodSpec {
        PodSpec {
            containers: self.containers.unwrap_or_default(),
            init_containers: self.init_containers,
            resources: self.resources,
            overhead: self.overhead,
            volumes: self.volumes.map(|vs| {
                vs.into_iter()
                    .map(|v| k8s_openapi::api::core::v1::Volume {
                        name: v.name.unwrap_or_default(),
                        empty_dir: v.empty_dir,
                        ..Default::default()
                    })
                    .collect()
            }),
            share_process_namespace: self.share_process_namespace,
            termination_grace_period_seconds: self.termination_grace_period_seconds,
            restart_policy: self.restart_policy,
            ..Default::default()
        }
    }
}

/// What the analysis needs of a workload: the pod spec, typed; the replica count (None where not
/// fixed); the pod's labels and annotations; and the paths of unknown fields.
struct Decoded {
    spec: PodSpec,
    replicas: Option<i64>,
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
    unknown: Vec<Vec<Step>>,
}

/// Checks the whole object against its API type (see [`crate::schema`]), then decodes its pod spec
/// into k8s-openapi's `PodSpec`.
fn decode(kind: Kind, json: &Value) -> Result<Decoded, (Vec<Step>, String)> {
    let unknown = schema::check(json, kind.schema_root())?;
    // Walk to the pod spec; a missing step is a missing required field (validation.go refuses a
    // workload without a template, and a template without a spec).
    let mut at = json;
    let mut steps: Vec<Step> = Vec::new();
    for key in kind.spec_path() {
        match at.get(*key) {
            Some(v) if !v.is_null() => at = v,
            _ => return Err((steps, humanize_serde(&format!("missing field `{key}`")))),
        }
        steps.push(Step::Key(key.to_string()));
    }
    let spec = PodSpecRead::deserialize(at)
        .map(PodSpecRead::into_pod_spec)
        .map_err(|e| (steps, humanize_serde(&e.to_string())))?;
    // The pod's metadata sits beside its spec.
    let mut meta = json;
    for key in &kind.spec_path()[..kind.spec_path().len() - 1] {
        meta = &meta[*key];
    }
    let strings = |field: &str| -> BTreeMap<String, String> {
        meta["metadata"][field]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    };
    let count = |path: &[&str], default: i64| {
        let mut v = json;
        for key in path {
            v = &v[*key];
        }
        Some(v.as_i64().unwrap_or(default))
    };
    let replicas = match kind {
        Kind::Pod | Kind::PodTemplate => Some(1),
        Kind::DaemonSet => None,
        Kind::Job => count(&["spec", "parallelism"], 1),
        Kind::CronJob => count(&["spec", "jobTemplate", "spec", "parallelism"], 1),
        _ => count(&["spec", "replicas"], 1),
    };
    Ok(Decoded {
        spec,
        replicas,
        labels: strings("labels"),
        annotations: strings("annotations"),
        unknown,
    })
}

/// Fields people often mistype, with the spelling the API wants.
fn suggest_field(field: &str) -> String {
    const KNOWN: &[&str] = &[
        "restartPolicy",
        "initContainers",
        "containers",
        "resources",
        "requests",
        "limits",
        "volumeMounts",
        "volumes",
        "readinessProbe",
        "livenessProbe",
        "startupProbe",
        "containerPort",
        "imagePullPolicy",
        "terminationGracePeriodSeconds",
        "serviceAccountName",
        "securityContext",
        "nodeSelector",
        "env",
        "envFrom",
        "command",
        "args",
        "ports",
        "image",
        "name",
        "lifecycle",
        "preStop",
        "postStart",
        "mountPath",
        "readOnly",
        "emptyDir",
        "configMap",
        "secret",
        "shareProcessNamespace",
        "replicas",
        "selector",
        "template",
        "metadata",
        "labels",
        "annotations",
        "workingDir",
        "periodSeconds",
        "initialDelaySeconds",
        "failureThreshold",
        "successThreshold",
        "timeoutSeconds",
        "httpGet",
        "tcpSocket",
        "exec",
        "hostNetwork",
        "tolerations",
        "affinity",
        "priorityClassName",
        "automountServiceAccountToken",
    ];
    let lower = field.to_ascii_lowercase();
    KNOWN
        .iter()
        .find(|k| {
            k.to_ascii_lowercase() == lower || edit_distance(&k.to_ascii_lowercase(), &lower) == 1
        })
        .map(|k| format!(" (did you mean '{k}'?)"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 {
        return 2;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Rewords serde's messages for people who write manifests, not Rust.
fn humanize_serde(message: &str) -> String {
    let m = message
        .replace("invalid type: ", "")
        .replace("expected i32", "expected a whole number")
        .replace("expected i64", "expected a whole number")
        .replace("expected u32", "expected a whole number")
        .replace("expected a string", "expected text")
        .replace("expected a sequence", "expected a list")
        .replace("expected a boolean", "expected true or false")
        .replace("integer `", "the number `")
        .replace("floating point `", "the number `")
        .replace("map, expected", "a mapping, but expected")
        .replace("sequence, expected", "a list, but expected");
    if let Some(field) = m
        .strip_prefix("missing field `")
        .and_then(|r| r.strip_suffix('`'))
    {
        return format!("the required field '{field}' is missing");
    }
    if m.starts_with("string \"")
        || m.starts_with("the number")
        || m.starts_with("boolean")
        || m.starts_with("a mapping")
        || m.starts_with("a list")
    {
        return format!("found {m}");
    }
    m
}

/// Every quantity in the pod spec must parse, as the API decoder requires (Quantity.UnmarshalJSON).
fn check_quantities(spec: &PodSpec, root: &Node, spec_steps: &[Step]) -> Result<(), ReadError> {
    let mut lists: Vec<(
        Vec<Step>,
        &BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
    )> = Vec::new();
    let key = |s: &str| Step::Key(s.to_string());
    for (section, list) in [
        (
            "initContainers",
            spec.init_containers.as_deref().unwrap_or(&[]),
        ),
        ("containers", &spec.containers[..]),
    ] {
        for (i, c) in list.iter().enumerate() {
            if let Some(r) = &c.resources {
                for (field, map) in [("requests", &r.requests), ("limits", &r.limits)] {
                    if let Some(m) = map {
                        lists.push((
                            vec![key(section), Step::Index(i), key("resources"), key(field)],
                            m,
                        ));
                    }
                }
            }
        }
    }
    if let Some(o) = &spec.overhead {
        lists.push((vec![key("overhead")], o));
    }
    if let Some(r) = &spec.resources {
        for (field, map) in [("requests", &r.requests), ("limits", &r.limits)] {
            if let Some(m) = map {
                lists.push((vec![key("resources"), key(field)], m));
            }
        }
    }
    for (steps, map) in lists {
        for (name, q) in map {
            if let Err(e) = Quantity::parse(&q.0) {
                let mut full = spec_steps.to_vec();
                full.extend(steps.iter().cloned());
                full.push(Step::Key(name.clone()));
                let (pos, _) = root.locate(&full);
                let path = path_text(&full);
                return Err((pos, format!("{path}: '{}' {e}", q.0), Some(path)));
            }
        }
    }
    for (i, v) in spec.volumes.iter().flatten().enumerate() {
        if let Some(q) = v.empty_dir.as_ref().and_then(|e| e.size_limit.as_ref()) {
            if let Err(e) = Quantity::parse(&q.0) {
                let mut full = spec_steps.to_vec();
                full.extend([
                    key("volumes"),
                    Step::Index(i),
                    key("emptyDir"),
                    key("sizeLimit"),
                ]);
                let (pos, _) = root.locate(&full);
                let path = path_text(&full);
                return Err((pos, format!("{path}: '{}' {e}", q.0), Some(path)));
            }
        }
    }
    Ok(())
}

fn read_hpa(file: &str, root: &Node, api_version: &str) -> Result<HpaObject, ReadError> {
    let json = root.to_json();
    let meta = root.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_string();
    let namespace = meta
        .and_then(|m| m.get("namespace"))
        .and_then(Node::as_str)
        .map(str::to_string);
    // autoscaling/v2beta1 and v2beta2 are read with the v2 shape, as before their removal they
    // converted to it; only type errors stop the read (an old field is not worth a finding here).
    let root_ty = if api_version == "autoscaling/v1" {
        schema::HPA_V1
    } else {
        schema::HPA_V2
    };
    schema::check(&json, root_ty).map_err(|(steps, message)| {
        let path = path_text(&steps);
        (
            root.locate(&steps).0,
            format!("{path}: {message}"),
            Some(path),
        )
    })?;
    let spec = root.get("spec");
    let target = spec.and_then(|s| s.get("scaleTargetRef"));
    let js = &json["spec"];
    let replicas = |v: &Value, default: i64| v.as_i64().unwrap_or(default);
    let (min, max) = (
        replicas(&js["minReplicas"], 1),
        replicas(&js["maxReplicas"], 0),
    );
    let mut metrics = Vec::new();
    if api_version != "autoscaling/v1" {
        let metric_nodes = spec
            .and_then(|s| s.get("metrics"))
            .map(Node::items)
            .unwrap_or(&[]);
        let text = |v: &Value| v.as_str().unwrap_or("").to_string();
        for (i, m) in js["metrics"].as_array().into_iter().flatten().enumerate() {
            let (resource, container) = match (&m["resource"], &m["containerResource"]) {
                (r, _) if r.is_object() => (Some(text(&r["name"])), None),
                (_, c) if c.is_object() => (Some(text(&c["name"])), Some(text(&c["container"]))),
                _ => (None, None),
            };
            metrics.push(HpaMetric {
                index: i,
                line: metric_nodes
                    .get(i)
                    .map(|n| n.pos.line)
                    .unwrap_or(root.pos.line),
                kind: MetricKind::parse(m["type"].as_str().unwrap_or("")),
                resource,
                container,
            });
        }
    }
    Ok(HpaObject {
        file: file.to_string(),
        name,
        namespace,
        line: root.pos.line,
        target_kind: target
            .and_then(|t| t.get("kind"))
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string(),
        target_name: target
            .and_then(|t| t.get("name"))
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string(),
        min_replicas: min,
        max_replicas: max,
        metrics,
    })
}

/// `spec.template.spec.containers[1].resources`
pub fn path_text(steps: &[Step]) -> String {
    let mut s = String::new();
    for step in steps {
        match step {
            Step::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

fn pos_of_offset(text: &str, offset: usize) -> Pos {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    Pos { line, column }
}

/// Finds Helm template syntax: `{{ .Values… }}`, `{{- if … }}`, `{{ include … }}` and the like.
/// Plain `{{ $labels.x }}` (Prometheus alert templates in a ConfigMap) is left alone.
fn helm_template(text: &str) -> Option<(Pos, String)> {
    let mut from = 0;
    while let Some(i) = text[from..].find("{{") {
        let start = from + i;
        let rest = &text[start + 2..];
        // Without a closing "}}", look at most 200 characters ahead (on a character boundary).
        let end = rest.find("}}").unwrap_or_else(|| {
            rest.char_indices()
                .nth(200)
                .map(|(i, _)| i)
                .unwrap_or(rest.len())
        });
        let inner = rest[..end]
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        const HELM: &[&str] = &[
            ".Values",
            ".Release",
            ".Chart",
            ".Capabilities",
            ".Files",
            ".Template",
            "include ",
            "template ",
            "define ",
            "if ",
            "else",
            "end",
            "range ",
            "with ",
            "toYaml",
            "tpl ",
            "required ",
            "default ",
            "- ",
            "$.",
            "/*",
        ];
        if HELM.iter().any(|h| inner.starts_with(h))
            || inner.contains(".Values.")
            || inner.contains("| quote")
            || inner.contains("| nindent")
        {
            let pos = pos_of_offset(text, start);
            return Some((
                pos,
                format!(
                    "this is a Helm chart template ('{{{{ {} }}}}'), not a manifest: render it first with `helm template <release> <chart>` and paste the output",
                    inner.chars().take(40).collect::<String>()
                ),
            ));
        }
        from = start + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_one(text: &str) -> Objects {
        let mut o = Objects::default();
        read("t.yaml", text, &mut o);
        o
    }

    #[test]
    fn helm_templates_get_their_own_message() {
        let o = read_one("apiVersion: apps/v1\nkind: {{ .Values.kind }}\n");
        assert_eq!(o.errors.len(), 1);
        assert!(
            o.errors[0].message.contains("helm template"),
            "{}",
            o.errors[0].message
        );
        assert_eq!((o.errors[0].line, o.errors[0].column), (2, 7));
    }

    #[test]
    fn an_unclosed_template_before_multibyte_text_is_no_panic() {
        let text = format!("{{{{{}", "Ȇ".repeat(150));
        assert!(helm_template(&text).is_none());
    }

    #[test]
    fn prometheus_templates_are_not_helm() {
        assert!(helm_template("summary: '{{ $labels.instance }} is down'").is_none());
    }

    #[test]
    fn an_invalid_quantity_names_its_path_and_line() {
        let o = read_one("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: busybox:1.37\n  - name: b\n    image: nginx:1.27\n    resources:\n      requests:\n        cpu: lots\n");
        assert!(o.pods.is_empty());
        let e = &o.errors[0];
        assert_eq!(e.message, "spec.containers[1].resources.requests.cpu: 'lots' is not a quantity (like 250m, 1.5, 512Mi or 2Gi)");
        assert_eq!(e.line, 12);
    }

    #[test]
    fn unquoted_numbers_are_quantities_as_kubectl_takes_them() {
        let o = read_one("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: busybox:1.37\n    resources:\n      requests: {cpu: 1, memory: 1e9}\n");
        assert!(o.errors.is_empty(), "{:?}", o.errors);
        let r = o.pods[0].spec.containers[0]
            .resources
            .as_ref()
            .unwrap()
            .requests
            .as_ref()
            .unwrap();
        assert_eq!(
            Quantity::parse(&r["memory"].0).unwrap().value(),
            1_000_000_000
        );
        assert_eq!(Quantity::parse(&r["cpu"].0).unwrap().milli_value(), 1000);
    }

    #[test]
    fn a_typo_is_reported_as_an_unknown_field_with_its_line() {
        let o = read_one("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - name: a\n    image: busybox:1.37\n    restartpolicy: Always\n  containers:\n  - name: b\n    image: nginx:1.27\n");
        let f = &o.pods[0].read_findings;
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, "unknown-field");
        assert_eq!(f[0].pos.line, 8);
        assert!(
            f[0].message.contains("did you mean 'restartPolicy'"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn wrong_types_name_the_path() {
        let o = read_one("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: busybox:1.37\n    env:\n    - name: X\n      value: 8080\n");
        let e = &o.errors[0];
        assert!(
            e.message.starts_with("spec.containers[0].env[0].value: "),
            "{}",
            e.message
        );
        assert_eq!(e.line, 10);
    }

    #[test]
    fn lists_yield_their_items_and_other_kinds_are_skipped() {
        let o = read_one("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    containers: [{name: a, image: x}]\n");
        assert!(o.errors.is_empty(), "{:?}", o.errors);
        assert_eq!(o.pods.len(), 1);
        assert_eq!(o.pods[0].line(), 7);
    }

    #[test]
    fn a_document_that_is_not_an_object_is_an_error() {
        let o = read_one("- just\n- a list\n");
        assert!(o.errors[0].message.contains("not a Kubernetes object"));
        let o = read_one("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"j\"}, \"spec\": {\"containers\": [{\"name\": \"a\", \"image\": \"x\"}]}}");
        assert_eq!(o.pods.len(), 1, "JSON input reads as YAML: {:?}", o.errors);
    }

    #[test]
    fn removed_api_versions_are_read_and_flagged() {
        let o = read_one("apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: x}]\n");
        assert_eq!(o.pods.len(), 1, "{:?}", o.errors);
        assert_eq!(o.pods[0].read_findings[0].rule, "removed-api-version");
    }
}

//! The pod spec as the analysis reads it: the fields it needs, decoded with k8s-openapi's types.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, PodSpec};
use serde::Deserialize;

use super::wording::humanize_serde;
use super::Kind;
use crate::schema;
use crate::yaml::json::{self, Json};
use crate::yaml::{Node, Step};

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
struct PodSpecRead<C = ContainerRead> {
    containers: Option<Vec<C>>,
    init_containers: Option<Vec<C>>,
    resources: Option<k8s_openapi::api::core::v1::ResourceRequirements>,
    overhead: Option<BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
    volumes: Option<Vec<VolumeRead>>,
    share_process_namespace: Option<bool>,
    termination_grace_period_seconds: Option<i64>,
    restart_policy: Option<String>,
}

/// The fields of a container that the analysis reads, each decoded with its k8s-openapi type, as
/// [`PodSpecRead`] reads the pod spec: k8s-openapi's own `Container` decoder was the largest
/// function of the page's WebAssembly (37 KB) and decoded what nothing reads (the security
/// context, `envFrom`, `volumeDevices`, `resizePolicy`, terminal and termination settings). The
/// schema walker has checked those; `the_pod_spec_read_is_enough` holds the analysis to the
/// fully decoded spec's.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContainerRead {
    name: Option<String>,
    image: Option<String>,
    command: Option<Vec<String>>,
    args: Option<Vec<String>>,
    env: Option<Vec<k8s_openapi::api::core::v1::EnvVar>>,
    ports: Option<Vec<k8s_openapi::api::core::v1::ContainerPort>>,
    resources: Option<k8s_openapi::api::core::v1::ResourceRequirements>,
    volume_mounts: Option<Vec<k8s_openapi::api::core::v1::VolumeMount>>,
    lifecycle: Option<k8s_openapi::api::core::v1::Lifecycle>,
    liveness_probe: Option<k8s_openapi::api::core::v1::Probe>,
    readiness_probe: Option<k8s_openapi::api::core::v1::Probe>,
    startup_probe: Option<k8s_openapi::api::core::v1::Probe>,
    restart_policy: Option<String>,
    restart_policy_rules: Option<Vec<k8s_openapi::api::core::v1::ContainerRestartRule>>,
}

impl ContainerRead {
    /// `name` is required: k8s-openapi's decoder, like every required field's, falls back to
    /// its default when it is missing (the validation rules then report it).
    fn into_container(self) -> Container {
        Container {
            name: self.name.unwrap_or_default(),
            image: self.image,
            command: self.command,
            args: self.args,
            env: self.env,
            ports: self.ports,
            resources: self.resources,
            volume_mounts: self.volume_mounts,
            lifecycle: self.lifecycle,
            liveness_probe: self.liveness_probe,
            readiness_probe: self.readiness_probe,
            startup_probe: self.startup_probe,
            restart_policy: self.restart_policy,
            restart_policy_rules: self.restart_policy_rules,
            ..Default::default()
        }
    }
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
    copy_pod_spec_with(
        spec,
        spec.init_containers.as_deref().map(copy_containers),
        copy_containers(&spec.containers),
    )
}

/// A copy of a container read by [`read`]: the fields `ContainerRead` fills in, the only ones
/// set, as [`copy_pod_spec`] copies the pod spec (k8s-openapi's `Container::clone` also copies
/// the security context, `envFrom`, devices and the rest: 5 KB of the page's first module).
/// `ContainerRead` has no default, so a field added to it must be added here too.
pub fn copy_container(c: &Container) -> Container {
    ContainerRead {
        name: Some(c.name.clone()),
        image: c.image.clone(),
        command: c.command.clone(),
        args: c.args.clone(),
        env: c.env.clone(),
        ports: c.ports.clone(),
        resources: c.resources.clone(),
        volume_mounts: c.volume_mounts.clone(),
        lifecycle: c.lifecycle.clone(),
        liveness_probe: c.liveness_probe.clone(),
        readiness_probe: c.readiness_probe.clone(),
        startup_probe: c.startup_probe.clone(),
        restart_policy: c.restart_policy.clone(),
        restart_policy_rules: c.restart_policy_rules.clone(),
    }
    .into_container()
}

/// [`copy_container`] of each.
pub fn copy_containers(cs: &[Container]) -> Vec<Container> {
    cs.iter().map(copy_container).collect()
}

/// [`copy_pod_spec`] with other containers: a variant of the pod (the what-ifs, the comparison)
/// clones each container it keeps once, and none it replaces.
pub fn copy_pod_spec_with(
    spec: &PodSpec,
    init_containers: Option<Vec<Container>>,
    containers: Vec<Container>,
) -> PodSpec {
    PodSpecRead::<Container> {
        containers: Some(containers),
        init_containers,
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
    .assemble()
}

impl PodSpecRead {
    /// The spec as read, its containers typed.
    fn into_pod_spec(self) -> PodSpec {
        let typed =
            |cs: Vec<ContainerRead>| cs.into_iter().map(ContainerRead::into_container).collect();
        PodSpecRead::<Container> {
            containers: self.containers.map(typed),
            init_containers: self.init_containers.map(typed),
            resources: self.resources,
            overhead: self.overhead,
            volumes: self.volumes,
            share_process_namespace: self.share_process_namespace,
            termination_grace_period_seconds: self.termination_grace_period_seconds,
            restart_policy: self.restart_policy,
        }
        .assemble()
    }
}

impl PodSpecRead<Container> {
    fn assemble(self) -> PodSpec {
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
pub(super) struct Decoded {
    pub(super) spec: PodSpec,
    pub(super) replicas: Option<i64>,
    pub(super) labels: BTreeMap<String, String>,
    pub(super) annotations: BTreeMap<String, String>,
    pub(super) unknown: Vec<Vec<Step>>,
}

/// Checks the whole object against its API type (see [`crate::schema`]), then decodes its pod spec
/// into k8s-openapi's `PodSpec`. The tree is read as its JSON (see [`crate::yaml::json`]).
pub(super) fn decode(kind: Kind, root: &Node) -> Result<Decoded, (Vec<Step>, String)> {
    let unknown = schema::check(root, kind.schema_root())?;
    // A value the JSON holds and that is not null.
    fn get<'n>(node: Option<&'n Node>, key: &str) -> Option<&'n Node> {
        node.and_then(|n| n.get(key)).filter(|v| !json::is_null(v))
    }
    // Walk to the pod spec; a missing step is a missing required field (validation.go refuses a
    // workload without a template, and a template without a spec).
    let mut at = root;
    let mut steps: Vec<Step> = Vec::new();
    for key in kind.spec_path() {
        match get(Some(at), key) {
            Some(v) => at = v,
            _ => return Err((steps, humanize_serde(&format!("missing field `{key}`")))),
        }
        steps.push(Step::Key(key.to_string()));
    }
    let spec = PodSpecRead::deserialize(Json::new(at))
        .map(PodSpecRead::into_pod_spec)
        .map_err(|e| (steps, humanize_serde(&e.to_string())))?;
    // The pod's metadata sits beside its spec.
    let path = kind.spec_path();
    let meta = path[..path.len() - 1]
        .iter()
        .try_fold(root, |n, key| get(Some(n), key));
    let strings = |field: &str| -> BTreeMap<String, String> {
        get(get(meta, "metadata"), field)
            .and_then(|m| json::entries(m))
            .map(|m| {
                crate::order::map(
                    m.into_iter()
                        .filter_map(|(k, v)| Some((k.into_owned(), v.as_str()?.to_string()))),
                )
            })
            .unwrap_or_default()
    };
    let count = |path: &[&str], default: i64| {
        let v = path.iter().try_fold(root, |n, key| get(Some(n), key));
        Some(v.and_then(json::as_i64).unwrap_or(default))
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

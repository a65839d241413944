//! Effective pod requests and limits, and the QoS class, exactly as upstream computes them.
//!
//! Upstream: kubernetes/component-helpers `resource/helpers.go` (`PodRequests`, `PodLimits`,
//! `AggregateContainerRequests`, `AggregateContainerLimits`, `IsSupportedPodLevelResource`),
//! `pkg/apis/core/v1/defaults.go` (`SetDefaults_Pod`, `SetDefaults_ResourceList`,
//! `defaultPodRequests`, `defaultHugePagePodLimits`) and `pkg/apis/core/v1/helper/qos/qos.go`
//! (`ComputePodQOS`). The spec-only path (no status, no resize) is the one a manifest has.

use crate::model::{Phase, PhaseKind, QosClass, ResourceMap, ResourceReport, Winner};
use crate::quantity::{quantity_out, Quantity};
use crate::version::KubeVersion;
use k8s_openapi::api::core::v1::{Container, PodSpec, ResourceRequirements};
use std::collections::BTreeMap;

/// Resource name to exact value.
pub type List = BTreeMap<String, Quantity>;

/// One container's resources after the defaulting a Pod gets when it is created.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerResources {
    pub name: String,
    /// In `initContainers` with `restartPolicy: Always` (helpers.go `isRestartableInitContainer`).
    pub restartable: bool,
    pub init: bool,
    pub requests: List,
    pub limits: List,
}

/// The pod's resource inputs after API defaulting.
#[derive(Clone, Debug, Default)]
pub struct PodResources {
    pub init_containers: Vec<ContainerResources>,
    pub containers: Vec<ContainerResources>,
    pub overhead: List,
    /// Pod-level `spec.resources`, where the PodLevelResources gate is on at the target version.
    pub pod_requests: Option<List>,
    pub pod_limits: Option<List>,
    /// Whether `spec.resources` is present at all (even empty), for the pre-1.36 QoS rule.
    pub pod_resources_present: bool,
}

/// Parses a resource list; the reader has already refused values that do not parse.
fn parse_list(
    map: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
) -> List {
    crate::order::map(
        map.into_iter()
            .flatten()
            .filter_map(|(k, v)| Quantity::parse(&v.0).ok().map(|q| (k.clone(), q))),
    )
}

/// `SetDefaults_ResourceList`: every value rounded up to milli precision.
fn round_list(list: List) -> List {
    crate::order::map(list.into_iter().map(|(k, v)| (k, v.round_up_milli())))
}

/// A container's requests and limits after `SetDefaults_ResourceList` and the
/// requests-from-limits copy of `SetDefaults_Pod`.
pub fn container_resources(c: &Container, init: bool) -> ContainerResources {
    let r = c.resources.as_ref();
    let limits = round_list(parse_list(r.and_then(|r| r.limits.as_ref())));
    let mut requests = round_list(parse_list(r.and_then(|r| r.requests.as_ref())));
    // defaults.go SetDefaults_Pod: "we only want this defaulting semantic to take place on a v1.Pod"
    for (k, v) in &limits {
        requests.entry(k.clone()).or_insert(*v);
    }
    ContainerResources {
        name: c.name.clone(),
        restartable: init && crate::facts::is_native_sidecar(c),
        init,
        requests,
        limits,
    }
}

/// helpers.go `IsSupportedPodLevelResource`: cpu, memory and hugepages-*.
pub fn is_supported_pod_level(name: &str) -> bool {
    name == "cpu" || name == "memory" || name.starts_with("hugepages-")
}

fn has_supported(list: &Option<List>) -> bool {
    list.as_ref()
        .is_some_and(|l| l.keys().any(|k| is_supported_pod_level(k)))
}

/// Builds the defaulted inputs of a pod spec at a target version.
pub fn pod_resources(spec: &PodSpec, version: KubeVersion) -> PodResources {
    let init_containers = spec
        .init_containers
        .iter()
        .flatten()
        .map(|c| container_resources(c, true))
        .collect();
    let containers = spec
        .containers
        .iter()
        .map(|c| container_resources(c, false))
        .collect();
    let overhead = round_list(parse_list(spec.overhead.as_ref()));
    let mut pod = PodResources {
        init_containers,
        containers,
        overhead,
        ..Default::default()
    };
    // With the gate off the API server drops spec.resources on create (dropDisabledFields).
    if version.pod_level_resources_gate().enabled() {
        if let Some(r) = &spec.resources {
            pod.pod_resources_present = true;
            let ResourceRequirements {
                requests, limits, ..
            } = r;
            pod.pod_requests = requests.as_ref().map(|m| round_list(parse_list(Some(m))));
            pod.pod_limits = limits.as_ref().map(|m| round_list(parse_list(Some(m))));
            default_hugepage_pod_limits(&mut pod);
            default_pod_requests(&mut pod);
        }
    }
    pod
}

/// defaults.go `defaultHugePagePodLimits`.
fn default_hugepage_pod_limits(pod: &mut PodResources) {
    let empty = |l: &Option<List>| l.as_ref().is_none_or(|l| l.is_empty());
    if empty(&pod.pod_limits) && empty(&pod.pod_requests) {
        return;
    }
    let aggregated = aggregate(pod, Field::Limits).total;
    let mut limits = pod.pod_limits.clone().unwrap_or_default();
    for (k, v) in aggregated {
        if k.starts_with("hugepages-") && !limits.contains_key(&k) {
            limits.insert(k, v);
        }
    }
    if !limits.is_empty() {
        pod.pod_limits = Some(limits);
    }
}

/// defaults.go `defaultPodRequests`: only when pod-level limits are set.
fn default_pod_requests(pod: &mut PodResources) {
    let Some(limits) = pod.pod_limits.clone().filter(|l| !l.is_empty()) else {
        return;
    };
    let mut requests = pod.pod_requests.clone().unwrap_or_default();
    let aggregated = aggregate(pod, Field::Requests).total;
    for (k, v) in aggregated {
        // IsOvercommitAllowed: native resources except hugepages
        let overcommit = !k.starts_with("hugepages-") && !k.contains('/');
        if !requests.contains_key(&k) && is_supported_pod_level(&k) && overcommit {
            requests.insert(k, v);
        }
    }
    for (k, v) in limits {
        if !requests.contains_key(&k) && is_supported_pod_level(&k) {
            requests.insert(k, v);
        }
    }
    if !requests.is_empty() {
        pod.pod_requests = Some(requests);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Requests,
    Limits,
}

/// helpers.go `addResourceList`: a missing key takes the value, a present one adds it.
fn add_list(list: &mut List, other: &List) {
    for (k, v) in other {
        list.entry(k.clone())
            .and_modify(|cur| *cur = cur.add(v))
            .or_insert(*v);
    }
}

/// helpers.go `maxResourceList`: a key is replaced only by a strictly larger value.
fn max_list(list: &mut List, other: &List) {
    for (k, v) in other {
        match list.get(k) {
            Some(cur) if v <= cur => {}
            _ => {
                list.insert(k.clone(), *v);
            }
        }
    }
}

/// The aggregation of helpers.go `aggregateContainerResourcesByFn`, with every phase kept so
/// that people can see where the numbers come from.
pub struct Aggregation {
    /// Sidecars + containers, the running phase.
    pub running: List,
    /// Each init container's use, in declaration order: (name, restartable, use).
    pub init_uses: Vec<(String, bool, List)>,
    /// max(running, each init use)
    pub total: List,
}

pub fn aggregate(pod: &PodResources, field: Field) -> Aggregation {
    let pick = |c: &ContainerResources| match field {
        Field::Requests => c.requests.clone(),
        Field::Limits => c.limits.clone(),
    };
    let mut result = List::new();
    for c in &pod.containers {
        add_list(&mut result, &pick(c));
    }
    let mut sidecars = List::new();
    let mut init_max = List::new();
    let mut init_uses = Vec::new();
    for ic in &pod.init_containers {
        let own = pick(ic);
        let use_ = if ic.restartable {
            add_list(&mut result, &own);
            add_list(&mut sidecars, &own);
            sidecars.clone()
        } else {
            let mut tmp = List::new();
            add_list(&mut tmp, &own);
            add_list(&mut tmp, &sidecars);
            tmp
        };
        max_list(&mut init_max, &use_);
        init_uses.push((ic.name.clone(), ic.restartable, use_));
    }
    let running = result.clone();
    max_list(&mut result, &init_max);
    Aggregation {
        running,
        init_uses,
        total: result,
    }
}

/// helpers.go `PodRequests` with default options (overhead included).
pub fn pod_requests(pod: &PodResources) -> List {
    let mut reqs = aggregate(pod, Field::Requests).total;
    if has_supported(&pod.pod_requests) {
        for (k, v) in pod.pod_requests.iter().flatten() {
            if is_supported_pod_level(k) {
                reqs.insert(k.clone(), *v);
            }
        }
    }
    add_list(&mut reqs, &pod.overhead);
    reqs
}

/// helpers.go `PodLimits` with default options: overhead only on non-zero existing limits.
pub fn pod_limits(pod: &PodResources) -> List {
    let mut limits = aggregate(pod, Field::Limits).total;
    if has_supported(&pod.pod_requests) || has_supported(&pod.pod_limits) {
        for (k, v) in pod.pod_limits.iter().flatten() {
            if is_supported_pod_level(k) {
                limits.insert(k.clone(), *v);
            }
        }
    }
    for (k, v) in &pod.overhead {
        if let Some(cur) = limits.get_mut(k) {
            if !cur.is_zero() {
                *cur = cur.add(v);
            }
        }
    }
    limits
}

/// qos.go `ComputePodQOS`. Only cpu and memory count; explicit zeros count as absent.
pub fn compute_qos(pod: &PodResources, version: KubeVersion) -> (QosClass, String) {
    let qos_resource = |k: &str| k == "cpu" || k == "memory";
    let pod_level_decides = if version.empty_pod_resources_ignored_for_qos() {
        has_supported(&pod.pod_requests) || has_supported(&pod.pod_limits)
    } else {
        pod.pod_resources_present
    };
    let mut requests = List::new();
    let mut limits = List::new();
    let mut guaranteed = true;
    let mut reason_not_guaranteed = String::new();
    let mut sources: Vec<(String, List, List)> = Vec::new();
    if pod_level_decides {
        sources.push((
            "pod-level resources".into(),
            pod.pod_requests.clone().unwrap_or_default(),
            pod.pod_limits.clone().unwrap_or_default(),
        ));
    } else {
        for c in pod.containers.iter().chain(pod.init_containers.iter()) {
            sources.push((
                format!("container '{}'", c.name),
                c.requests.clone(),
                c.limits.clone(),
            ));
        }
    }
    for (who, reqs, lims) in &sources {
        for (k, v) in reqs {
            if qos_resource(k) && !v.is_zero() && v.nanos() > 0 {
                add_list(&mut requests, &List::from([(k.clone(), *v)]));
            }
        }
        let mut found = Vec::new();
        for (k, v) in lims {
            if qos_resource(k) && v.nanos() > 0 {
                found.push(k.as_str());
                add_list(&mut limits, &List::from([(k.clone(), *v)]));
            }
        }
        if !(found.contains(&"cpu") && found.contains(&"memory")) && guaranteed {
            guaranteed = false;
            reason_not_guaranteed = format!("{who} does not set both cpu and memory limits");
        }
    }
    let scope = if pod_level_decides {
        "pod-level resources decide (containers are not consulted)"
    } else {
        "every container counts, init containers and sidecars included"
    };
    if requests.is_empty() && limits.is_empty() {
        return (
            QosClass::BestEffort,
            format!("No cpu or memory request or limit is set: BestEffort ({scope})."),
        );
    }
    if guaranteed {
        for (k, req) in &requests {
            if limits.get(k) != Some(req) {
                guaranteed = false;
                reason_not_guaranteed = format!(
                    "the {k} requests ({}) differ from the {k} limits",
                    req.canonical()
                );
                break;
            }
        }
    }
    if guaranteed && requests.len() == limits.len() {
        return (
            QosClass::Guaranteed,
            format!("Every cpu and memory request equals its limit: Guaranteed ({scope})."),
        );
    }
    if reason_not_guaranteed.is_empty() {
        reason_not_guaranteed = "some limits have no matching request".into();
    }
    (
        QosClass::Burstable,
        format!("Something is requested, but {reason_not_guaranteed}: Burstable ({scope})."),
    )
}

/// A list as the report prints it.
pub(crate) fn out(list: &List) -> ResourceMap {
    crate::order::map(list.iter().map(|(k, v)| (k.clone(), quantity_out(v))))
}

fn times(list: &List, n: i64) -> ResourceMap {
    crate::order::map(
        list.iter()
            .map(|(k, v)| (k.clone(), quantity_out(&v.mul(n as i128)))),
    )
}

fn list_text(list: &List) -> String {
    if list.is_empty() {
        return "nothing".into();
    }
    list.iter()
        .map(|(k, v)| format!("{k} {}", v.canonical()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Everything the report says about resources, derivation included.
pub fn report(
    pod: &PodResources,
    version: KubeVersion,
    replicas: Option<i64>,
    hpa_max: Option<i64>,
) -> ResourceReport {
    let req_agg = aggregate(pod, Field::Requests);
    let lim_agg = aggregate(pod, Field::Limits);
    let requests = pod_requests(pod);
    let limits = pod_limits(pod);
    let (qos, qos_reason) = compute_qos(pod, version);

    let mut naive = List::new();
    for c in &pod.containers {
        add_list(&mut naive, &c.requests);
    }

    let (mut winners, phase_wins) = winners(&req_agg);
    let mut steps = init_phases(&req_agg, &lim_agg, &phase_wins);
    let sidecar_names: Vec<String> = pod
        .init_containers
        .iter()
        .filter(|c| c.restartable)
        .map(|c| c.name.clone())
        .collect();
    let main_names: Vec<String> = pod.containers.iter().map(|c| c.name.clone()).collect();
    let mut running_members = sidecar_names.clone();
    running_members.extend(main_names.iter().cloned());
    steps.push(Phase {
        kind: PhaseKind::Running,
        label: "running".into(),
        containers: running_members,
        requests: out(&req_agg.running),
        limits: out(&lim_agg.running),
        wins: phase_wins[req_agg.init_uses.len()].clone(),
        text: if sidecar_names.is_empty() {
            format!(
                "The containers run together: {}.",
                list_text(&req_agg.running)
            )
        } else {
            format!(
                "The containers run beside the sidecars {} for the pod's whole life: {}.",
                quote_list(&sidecar_names),
                list_text(&req_agg.running)
            )
        },
    });
    if has_supported(&pod.pod_requests) || has_supported(&pod.pod_limits) {
        let pr = supported_pod_level(&pod.pod_requests);
        let pl = supported_pod_level(&pod.pod_limits);
        steps.push(Phase {
            kind: PhaseKind::PodLevel,
            label: "pod-level resources".into(),
            containers: Vec::new(),
            requests: out(&pr),
            limits: out(&pl),
            wins: pr.keys().cloned().collect(),
            text: format!("Pod-level spec.resources replace the containers' totals for what they name: requests {}, limits {}.", list_text(&pr), list_text(&pl)),
        });
        for k in pr.keys() {
            winners.insert(k.clone(), Winner::PodLevel);
        }
    }
    if !pod.overhead.is_empty() {
        steps.push(Phase {
            kind: PhaseKind::Overhead,
            label: "overhead".into(),
            containers: Vec::new(),
            requests: out(&pod.overhead),
            limits: BTreeMap::new(),
            wins: Vec::new(),
            text: format!(
                "spec.overhead ({}) is added on top of every request, and on top of limits that are set and non-zero.",
                list_text(&pod.overhead)
            ),
        });
    }

    let explanation = explanation(&requests, &naive, &winners, &req_agg, &sidecar_names);

    let total_requests = replicas.map(|n| times(&requests, n));
    let max_total_requests = hpa_max.map(|n| times(&requests, n));
    ResourceReport {
        requests: out(&requests),
        limits: out(&limits),
        qos,
        qos_reason,
        steps,
        naive_requests: out(&naive),
        winners,
        total_requests,
        total_limits: replicas.map(|n| times(&limits, n)),
        max_total_requests,
        explanation,
        unknown_requests: Vec::new(),
        unknown_limits: Vec::new(),
    }
}

/// Takes resources whose value somewhere is not a valid quantity out of the effective values:
/// a sum or maximum with an unknown term is unknown. The QoS class reads cpu and memory requests
/// and limits (pkg/apis/core/v1/helper/qos ComputePodQOS), so it is unknown when one is.
pub fn mark_unknown(report: &mut ResourceReport, unknown: &crate::manifest::UnknownResources) {
    let (req, lim) = (&unknown.requests, &unknown.limits);
    if req.is_empty() && lim.is_empty() {
        return;
    }
    for map in [
        Some(&mut report.requests),
        Some(&mut report.naive_requests),
        report.total_requests.as_mut(),
        report.max_total_requests.as_mut(),
    ]
    .into_iter()
    .flatten()
    {
        map.retain(|k, _| !req.contains(k));
    }
    for map in [Some(&mut report.limits), report.total_limits.as_mut()]
        .into_iter()
        .flatten()
    {
        map.retain(|k, _| !lim.contains(k));
    }
    report.winners.retain(|k, _| !req.contains(k));
    let mut all: Vec<String> = req.clone();
    all.extend(lim.iter().filter(|k| !req.contains(k)).cloned());
    let names = quote_list(&all);
    if all.iter().any(|k| k == "cpu" || k == "memory") {
        report.qos = QosClass::Unknown;
        report.qos_reason = format!(
            "The QoS class depends on every cpu and memory request and limit, and {names} has a value that is not a valid quantity: unknown until it is fixed."
        );
    }
    let mut says = Vec::new();
    if !req.is_empty() {
        says.push(format!("the effective {} request", quote_list(req)));
    }
    if !lim.is_empty() {
        says.push(format!("the effective {} limit", quote_list(lim)));
    }
    report.explanation.insert(
        0,
        format!(
            "A value is not a valid quantity, so {} cannot be known and is left out.",
            says.join(" and ")
        ),
    );
    report.unknown_requests = req.clone();
    report.unknown_limits = lim.clone();
}

/// Which phase sets each resource, and the resources each phase sets (init phases in order,
/// then the running phase).
fn winners(req_agg: &Aggregation) -> (BTreeMap<String, Winner>, Vec<Vec<String>>) {
    // Which phase sets each resource: the running phase keeps ties (maxResourceList replaces only
    // on a strictly larger value), otherwise the first init phase that reaches the maximum.
    let mut winners: BTreeMap<String, Winner> = BTreeMap::new();
    let mut phase_wins: Vec<Vec<String>> = vec![Vec::new(); req_agg.init_uses.len() + 1];
    for (k, total) in &req_agg.total {
        let running = req_agg.running.get(k);
        if running == Some(total) {
            winners.insert(k.clone(), Winner::Running);
            phase_wins[req_agg.init_uses.len()].push(k.clone());
        } else if let Some(i) = req_agg
            .init_uses
            .iter()
            .position(|(_, _, u)| u.get(k) == Some(total))
        {
            let (name, restartable, _) = &req_agg.init_uses[i];
            let winner = if *restartable {
                Winner::Sidecar(name.clone())
            } else {
                Winner::Init(name.clone())
            };
            winners.insert(k.clone(), winner);
            phase_wins[i].push(k.clone());
        }
    }

    (winners, phase_wins)
}

/// One phase per init container: a plain one's run, or a sidecar's start.
fn init_phases(
    req_agg: &Aggregation,
    lim_agg: &Aggregation,
    phase_wins: &[Vec<String>],
) -> Vec<Phase> {
    let mut steps = Vec::new();
    let mut started: Vec<String> = Vec::new();
    for (i, ((name, restartable, use_), (_, _, lim_use))) in req_agg
        .init_uses
        .iter()
        .zip(lim_agg.init_uses.iter())
        .enumerate()
    {
        let before = started.clone();
        let (kind, label, text) = if *restartable {
            started.push(name.clone());
            (
                PhaseKind::Sidecar,
                format!("{name} starts"),
                if before.is_empty() {
                    format!(
                        "Native sidecar '{name}' starts and keeps running: {}.",
                        list_text(use_)
                    )
                } else {
                    format!(
                        "Native sidecar '{name}' starts beside {}: together {}.",
                        quote_list(&before),
                        list_text(use_)
                    )
                },
            )
        } else {
            (
                PhaseKind::Init,
                format!("init: {name}"),
                if before.is_empty() {
                    format!("Init container '{name}' runs alone: {}.", list_text(use_))
                } else {
                    format!(
                        "Init container '{name}' runs while {} already run: {}.",
                        quote_list(&before),
                        list_text(use_)
                    )
                },
            )
        };
        let mut containers = before;
        containers.push(name.clone());
        steps.push(Phase {
            kind,
            label,
            containers,
            requests: out(use_),
            limits: out(lim_use),
            wins: phase_wins[i].clone(),
            text,
        });
    }
    steps
}

/// How each effective request comes about, one sentence per resource.
fn explanation(
    requests: &List,
    naive: &List,
    winners: &BTreeMap<String, Winner>,
    req_agg: &Aggregation,
    sidecar_names: &[String],
) -> Vec<String> {
    let mut explanation = Vec::new();
    for (k, total) in requests {
        let naive_v = naive.get(k).copied().unwrap_or(Quantity::ZERO);
        let sentence = if let Some(Winner::Init(name)) = winners.get(k) {
            format!(
                "{k}: {} — init container '{name}' needs more on its own than the running phase ({}), and the scheduler reserves the larger.",
                total.canonical(),
                req_agg.running.get(k).map(|q| q.canonical()).unwrap_or_else(|| "0".into())
            )
        } else if let Some(Winner::Sidecar(name)) = winners.get(k) {
            format!(
                "{k}: {} — set while the sidecars up to '{name}' start.",
                total.canonical()
            )
        } else if winners.get(k) == Some(&Winner::PodLevel) {
            format!(
                "{k}: {} — set by pod-level spec.resources.",
                total.canonical()
            )
        } else if naive_v != *total {
            format!(
                "{k}: {}, not the {} the containers ask for: {} added on top.",
                total.canonical(),
                naive_v.canonical(),
                if sidecar_names.is_empty() {
                    "overhead is".to_string()
                } else {
                    format!("the native sidecars {} are", quote_list(sidecar_names))
                }
            )
        } else {
            format!("{k}: {} — the sum of the containers.", total.canonical())
        };
        explanation.push(sentence);
    }

    explanation
}

/// The entries of a pod-level list that pod-level resources support.
fn supported_pod_level(list: &Option<List>) -> List {
    crate::order::map(
        list.iter()
            .flatten()
            .filter(|(k, _)| is_supported_pod_level(k))
            .map(|(k, v)| (k.clone(), *v)),
    )
}

fn quote_list(names: &[String]) -> String {
    crate::facts::quote_names(names, " and ")
}

/// How many pods with these requests fit on a node with this allocatable (fit.go `fitsRequest`,
/// ignoring what already runs there). None where nothing limits it.
pub fn pods_per_node(
    requests: &ResourceMap,
    allocatable: &BTreeMap<String, String>,
) -> Result<Option<(i128, String)>, String> {
    let mut best: Option<(i128, String)> = None;
    for (name, q) in requests {
        if q.milli <= 0 {
            continue;
        }
        let Some(text) = allocatable.get(name) else {
            continue;
        };
        let alloc = Quantity::parse(text.trim()).map_err(|e| format!("{name}: '{text}' {e}"))?;
        let n = alloc.milli_value() / q.milli;
        if best.as_ref().is_none_or(|(b, _)| n < *b) {
            best = Some((n, name.clone()));
        }
    }
    Ok(best)
}

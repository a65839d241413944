//! kubernetes `pkg/printers/internalversion/printers.go` `printPod`: the READY, STATUS and RESTARTS
//! cells of `kubectl get pod`, ported line for line (master, with native sidecars).

use std::collections::HashMap;

use k8s_openapi::api::core::v1::{ContainerStatus, Pod, PodSpec, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use serde::Serialize;

use super::is_restartable_init_container;

/// One row of `kubectl get pod`, without NAME and AGE.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodRow {
    /// The STATUS column, e.g. `Init:1/2`, `PodInitializing`, `Running`, `Init:CrashLoopBackOff`.
    pub status: String,
    /// The READY column, `ready/total`.
    pub ready: String,
    pub ready_containers: usize,
    pub total_containers: usize,
    /// The RESTARTS column's count.
    pub restarts: i64,
    /// When the last counted restart ended: the column's "(5m ago)", where the status says it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_restart: Option<Time>,
}

/// printPod on a whole Pod as `kubectl get pod -o yaml` prints it.
pub fn print_pod(pod: &Pod) -> PodRow {
    let empty_spec = PodSpec::default();
    let empty_status = PodStatus::default();
    print_pod_parts(
        pod.spec.as_ref().unwrap_or(&empty_spec),
        pod.status.as_ref().unwrap_or(&empty_status),
        pod.metadata.deletion_timestamp.is_some(),
    )
}

/// printPod on a spec and a status; `deleting` is `metadata.deletionTimestamp != nil`.
pub fn print_pod_parts(spec: &PodSpec, status: &PodStatus, deleting: bool) -> PodRow {
    let mut restarts: i64 = 0;
    let mut restartable_init_restarts: i64 = 0;
    let mut total = spec.containers.len();
    let mut ready = 0usize;
    let mut last_restart: Option<Time> = None;
    let mut last_restartable_init_restart: Option<Time> = None;

    let phase = status.phase.as_deref().unwrap_or("");
    let mut reason = phase.to_string();
    if let Some(r) = non_empty(&status.reason) {
        reason = r.to_string();
    }

    let conditions = status.conditions.as_deref().unwrap_or_default();
    // A pod held by schedulingGates shows SchedulingGated (printers.go, KEP-3521).
    for c in conditions {
        if c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated") {
            reason = "SchedulingGated".to_string();
        }
    }

    let init_specs = spec.init_containers.as_deref().unwrap_or_default();
    // Go's map by name: a later entry of the same name wins; a status whose name is in no spec
    // counts as a plain init container (IsRestartableInitContainer(nil) is false).
    let mut restartable_by_name: HashMap<&str, bool> = HashMap::new();
    for c in init_specs {
        restartable_by_name.insert(c.name.as_str(), is_restartable_init_container(c));
        if is_restartable_init_container(c) {
            total += 1;
        }
    }
    let restartable = |s: &ContainerStatus| {
        restartable_by_name
            .get(s.name.as_str())
            .copied()
            .unwrap_or(false)
    };

    let mut initializing = false;
    let init_statuses = status
        .init_container_statuses
        .as_deref()
        .unwrap_or_default();
    for (i, c) in init_statuses.iter().enumerate() {
        restarts += i64::from(c.restart_count);
        later(&mut last_restart, last_terminated_at(c));
        if restartable(c) {
            restartable_init_restarts += i64::from(c.restart_count);
            later(&mut last_restartable_init_restart, last_terminated_at(c));
        }
        let state = c.state.as_ref();
        let terminated = state.and_then(|s| s.terminated.as_ref());
        let waiting = state.and_then(|s| s.waiting.as_ref());
        if terminated.is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if restartable(c) && c.started == Some(true) {
            if c.ready {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = terminated {
            reason = match non_empty(&t.reason) {
                Some(r) => format!("Init:{r}"),
                None => match t.signal {
                    Some(sig) if sig != 0 => format!("Init:Signal:{sig}"),
                    _ => format!("Init:ExitCode:{}", t.exit_code),
                },
            };
        } else if let Some(r) = waiting
            .and_then(|w| non_empty(&w.reason))
            .filter(|r| *r != "PodInitializing")
        {
            reason = format!("Init:{r}");
        } else {
            reason = format!("Init:{}/{}", i, init_specs.len());
        }
        initializing = true;
        break;
    }

    if !initializing || initialized(status) {
        restarts = restartable_init_restarts;
        last_restart = last_restartable_init_restart;
        let mut has_running = false;
        let statuses = status.container_statuses.as_deref().unwrap_or_default();
        // Walked from the last container to the first, so the first container's reason wins.
        for c in statuses.iter().rev() {
            restarts += i64::from(c.restart_count);
            later(&mut last_restart, last_terminated_at(c));
            let state = c.state.as_ref();
            let terminated = state.and_then(|s| s.terminated.as_ref());
            let waiting = state.and_then(|s| s.waiting.as_ref());
            if let Some(r) = waiting.and_then(|w| non_empty(&w.reason)) {
                reason = r.to_string();
            } else if let Some(t) = terminated {
                reason = match non_empty(&t.reason) {
                    Some(r) => r.to_string(),
                    None => match t.signal {
                        Some(sig) if sig != 0 => format!("Signal:{sig}"),
                        _ => format!("ExitCode:{}", t.exit_code),
                    },
                };
            } else if c.ready && state.is_some_and(|s| s.running.is_some()) {
                has_running = true;
                ready += 1;
            }
        }
        // A pod with a container still running is not Completed.
        if reason == "Completed" && has_running {
            reason = if has_ready_condition(status) {
                "Running".to_string()
            } else {
                "NotReady".to_string()
            };
        }
    }

    // pkg/util/node NodeUnreachablePodReason.
    if deleting && status.reason.as_deref() == Some("NodeLost") {
        reason = "Unknown".to_string();
    } else if deleting && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".to_string();
    }

    PodRow {
        status: reason,
        ready: format!("{ready}/{total}"),
        ready_containers: ready,
        total_containers: total,
        restarts,
        last_restart: if restarts != 0 { last_restart } else { None },
    }
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

fn last_terminated_at(c: &ContainerStatus) -> Option<&Time> {
    c.last_state
        .as_ref()
        .and_then(|s| s.terminated.as_ref())
        .and_then(|t| t.finished_at.as_ref())
}

fn later(current: &mut Option<Time>, candidate: Option<&Time>) {
    if let Some(t) = candidate {
        if current.as_ref().is_none_or(|cur| cur < t) {
            *current = Some(t.clone());
        }
    }
}

/// printers.go `isPodInitializedConditionTrue`: the first Initialized condition decides.
fn initialized(status: &PodStatus) -> bool {
    let conditions = status.conditions.as_deref().unwrap_or_default();
    conditions
        .iter()
        .find(|c| c.type_ == "Initialized")
        .is_some_and(|c| c.status == "True")
}

/// printers.go `hasPodReadyCondition`.
fn has_ready_condition(status: &PodStatus) -> bool {
    let conditions = status.conditions.as_deref().unwrap_or_default();
    conditions
        .iter()
        .any(|c| c.type_ == "Ready" && c.status == "True")
}

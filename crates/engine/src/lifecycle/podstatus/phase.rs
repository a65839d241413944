//! kubernetes `pkg/kubelet/kubelet_pods.go` `getPhase` (master, with sidecars and KEP-5307
//! container restart rules), and `pkg/api/v1/pod/util.go` `ContainerShouldRestart`.

use k8s_openapi::api::core::v1::{Container, ContainerStatus, PodSpec};

use serde::Serialize;

use super::is_restartable_init_container;

/// `status.phase` (kubernetes `core/v1/types.go` PodPhase).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum PodPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
}

impl PodPhase {
    pub fn as_str(&self) -> &'static str {
        match self {
            PodPhase::Pending => "Pending",
            PodPhase::Running => "Running",
            PodPhase::Succeeded => "Succeeded",
            PodPhase::Failed => "Failed",
        }
    }
}

/// What getPhase reads besides the spec.
#[derive(Clone, Copy, Debug, Default)]
pub struct PhaseInput<'a> {
    /// Every container status, init and regular, looked up by name (the kubelet passes
    /// `ContainerStatuses` then `InitContainerStatuses`).
    pub statuses: &'a [ContainerStatus],
    /// The pod is being torn down for good: its containers will not restart whatever the policy.
    pub pod_is_terminal: bool,
    /// A regular container has run in the current sandbox
    /// (kubecontainer `HasAnyActiveRegularContainerStarted`).
    pub pod_has_initialized: bool,
    /// The ContainerRestartRules feature gate (KEP-5307; beta, on, from 1.35).
    pub container_restart_rules: bool,
}

/// getPhase. Static pods (which never get a terminal phase, kubernetes #116484) and the
/// RestartAllContainersOnContainerExits gate are not modelled.
pub fn pod_phase(spec: &PodSpec, input: PhaseInput<'_>) -> PodPhase {
    let find = |name: &str| input.statuses.iter().find(|s| s.name == name);
    let restart_rules = input.container_restart_rules;
    let init_containers = spec.init_containers.as_deref().unwrap_or_default();

    let mut pending_restartable_init = 0;
    let mut pending_regular_init = 0;
    let mut failed_initialization = 0;
    let mut failed_initialization_not_restartable = 0;

    for c in init_containers
        .iter()
        .filter(|c| !is_restartable_init_container(c))
    {
        let Some(s) = find(&c.name) else {
            pending_regular_init += 1;
            continue;
        };
        let state = s.state.clone().unwrap_or_default();
        if state.running.is_some() {
            pending_regular_init += 1;
        } else if let Some(t) = &state.terminated {
            if t.exit_code != 0 {
                failed_initialization += 1;
                if restart_rules && !container_should_restart(c, spec, t.exit_code) {
                    failed_initialization_not_restartable += 1;
                }
            }
        } else if state.waiting.is_some() {
            match last_terminated_exit_code(s) {
                Some(code) if code != 0 => {
                    failed_initialization += 1;
                    if !container_should_restart(c, spec, code) {
                        failed_initialization_not_restartable += 1;
                    }
                }
                Some(_) => {}
                None => pending_regular_init += 1,
            }
        } else {
            pending_regular_init += 1;
        }
    }

    let mut unknown = 0;
    let mut running = 0;
    let mut waiting = 0;
    let mut stopped = 0;
    let mut stopped_not_restartable = 0;
    let mut succeeded = 0;

    for c in init_containers
        .iter()
        .filter(|c| is_restartable_init_container(c))
    {
        let Some(s) = find(&c.name) else {
            unknown += 1;
            continue;
        };
        let state = s.state.clone().unwrap_or_default();
        if state.running.is_some() {
            if s.started != Some(true) {
                pending_restartable_init += 1;
            }
            running += 1;
        } else if state.terminated.is_some() {
            // A terminated sidecar does not count for the phase.
        } else if state.waiting.is_some() {
            if last_terminated_exit_code(s).is_none() {
                pending_restartable_init += 1;
                waiting += 1;
            }
        } else {
            pending_restartable_init += 1;
            unknown += 1;
        }
    }

    for c in &spec.containers {
        let Some(s) = find(&c.name) else {
            unknown += 1;
            continue;
        };
        let state = s.state.clone().unwrap_or_default();
        if state.running.is_some() {
            running += 1;
        } else if let Some(t) = &state.terminated {
            stopped += 1;
            if restart_rules && !container_should_restart(c, spec, t.exit_code) {
                stopped_not_restartable += 1;
            }
            if t.exit_code == 0 {
                succeeded += 1;
            }
        } else if state.waiting.is_some() {
            match last_terminated_exit_code(s) {
                Some(code) => {
                    stopped += 1;
                    if restart_rules && !container_should_restart(c, spec, code) {
                        stopped_not_restartable += 1;
                    }
                }
                None => waiting += 1,
            }
        } else {
            unknown += 1;
        }
    }

    let policy = spec.restart_policy.as_deref().unwrap_or("Always");
    if restart_rules {
        if failed_initialization_not_restartable > 0 {
            return PodPhase::Failed;
        }
    } else if failed_initialization > 0 && policy == "Never" {
        return PodPhase::Failed;
    }

    // A sidecar restarting after the regular containers ran does not put the pod back to Pending.
    if pending_regular_init > 0 || (pending_restartable_init > 0 && !input.pod_has_initialized) {
        return PodPhase::Pending;
    }
    if waiting > 0 {
        return PodPhase::Pending;
    }
    if running > 0 && unknown == 0 {
        return PodPhase::Running;
    }
    if running == 0 && stopped > 0 && unknown == 0 {
        if input.pod_is_terminal {
            return if stopped == succeeded {
                PodPhase::Succeeded
            } else {
                PodPhase::Failed
            };
        }
        if restart_rules {
            if stopped != stopped_not_restartable {
                return PodPhase::Running;
            }
            return if stopped == succeeded {
                PodPhase::Succeeded
            } else {
                PodPhase::Failed
            };
        }
        if policy == "Always" {
            return PodPhase::Running;
        }
        if stopped == succeeded {
            return PodPhase::Succeeded;
        }
        if policy == "Never" {
            return PodPhase::Failed;
        }
        // OnFailure with a failure: restarting.
        return PodPhase::Running;
    }
    PodPhase::Pending
}

fn last_terminated_exit_code(s: &ContainerStatus) -> Option<i32> {
    s.last_state
        .as_ref()
        .and_then(|l| l.terminated.as_ref())
        .map(|t| t.exit_code)
}

/// `ContainerShouldRestart` (pkg/api/v1/pod/util.go): the container's restartPolicyRules in order,
/// then its own restartPolicy, then the pod's (Always when unset).
pub fn container_should_restart(c: &Container, pod: &PodSpec, exit_code: i32) -> bool {
    if let Some(policy) = c.restart_policy.as_deref() {
        for rule in c.restart_policy_rules.as_deref().unwrap_or_default() {
            let Some(codes) = &rule.exit_codes else {
                continue;
            };
            let listed = codes
                .values
                .as_deref()
                .unwrap_or_default()
                .contains(&exit_code);
            let matched = match codes.operator.as_str() {
                "In" => listed,
                "NotIn" => !listed,
                _ => false,
            };
            if matched && rule.action == "Restart" {
                return true;
            }
            if matched {
                // findMatchingContainerRestartRule returns the first match; any other action
                // falls through to the container's policy.
                break;
            }
        }
        match policy {
            "Always" => return true,
            "OnFailure" => return exit_code != 0,
            "Never" => return false,
            _ => {}
        }
    }
    match pod.restart_policy.as_deref() {
        Some("OnFailure") => exit_code != 0,
        Some("Never") => false,
        _ => true,
    }
}

//! kubernetes `pkg/kubelet/kubelet_pods.go` `getPhase` (master, with sidecars and KEP-5307
//! container restart rules), and `pkg/api/v1/pod/util.go` `ContainerShouldRestart`.

use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::api::{ContainerState, ContainerStatus};

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
    /// The container statuses, looked up by name here and then in `init_statuses` (the kubelet
    /// passes `ContainerStatuses` then `InitContainerStatuses` as one list).
    pub statuses: &'a [ContainerStatus],
    pub init_statuses: &'a [ContainerStatus],
    /// The pod is being torn down for good: its containers will not restart whatever the policy.
    pub pod_is_terminal: bool,
    /// A regular container has run in the current sandbox
    /// (kubecontainer `HasAnyActiveRegularContainerStarted`).
    pub pod_has_initialized: bool,
    /// The ContainerRestartRules feature gate (KEP-5307; beta, on, from 1.35).
    pub container_restart_rules: bool,
}

/// getPhase. Static pods (which never get a terminal phase, kubernetes #116484) and the
/// RestartAllContainersOnContainerExits gate are not modelled. Split as getPhase reads: the regular
/// init containers, the restartable init containers, the containers, then the decision.
pub fn pod_phase(spec: &PodSpec, input: PhaseInput<'_>) -> PodPhase {
    let mut n = Counts::default();
    count_regular_init(spec, input, &mut n);
    count_restartable_init(spec, input, &mut n);
    count_containers(spec, input, &mut n);
    decide(spec, input, &n)
}

/// An absent `state`, read as Go reads a zero struct.
const NO_STATE: ContainerState = ContainerState {
    running: None,
    terminated: None,
    waiting: None,
};

/// getPhase's counters, named as there.
#[derive(Default)]
struct Counts {
    pending_restartable_init: u32,
    pending_regular_init: u32,
    failed_initialization: u32,
    failed_initialization_not_restartable: u32,
    unknown: u32,
    running: u32,
    waiting: u32,
    stopped: u32,
    stopped_not_restartable: u32,
    succeeded: u32,
}

fn find<'a>(input: PhaseInput<'a>, name: &str) -> Option<&'a ContainerStatus> {
    input
        .statuses
        .iter()
        .chain(input.init_statuses)
        .find(|s| s.name == name)
}

/// getPhase's loop over the regular init containers.
fn count_regular_init(spec: &PodSpec, input: PhaseInput<'_>, n: &mut Counts) {
    let restart_rules = input.container_restart_rules;
    for c in spec
        .init_containers
        .iter()
        .flatten()
        .filter(|c| !is_restartable_init_container(c))
    {
        let Some(s) = find(input, &c.name) else {
            n.pending_regular_init += 1;
            continue;
        };
        let state = s.state.as_ref().unwrap_or(&NO_STATE);
        if state.running.is_some() {
            n.pending_regular_init += 1;
        } else if let Some(t) = &state.terminated {
            if t.exit_code != 0 {
                n.failed_initialization += 1;
                if restart_rules && !container_should_restart(c, spec, t.exit_code) {
                    n.failed_initialization_not_restartable += 1;
                }
            }
        } else if state.waiting.is_some() {
            match last_terminated_exit_code(s) {
                Some(code) if code != 0 => {
                    n.failed_initialization += 1;
                    if !container_should_restart(c, spec, code) {
                        n.failed_initialization_not_restartable += 1;
                    }
                }
                Some(_) => {}
                None => n.pending_regular_init += 1,
            }
        } else {
            n.pending_regular_init += 1;
        }
    }
}

/// getPhase's loop over the restartable init containers (sidecars).
fn count_restartable_init(spec: &PodSpec, input: PhaseInput<'_>, n: &mut Counts) {
    for c in spec
        .init_containers
        .iter()
        .flatten()
        .filter(|c| is_restartable_init_container(c))
    {
        let Some(s) = find(input, &c.name) else {
            n.unknown += 1;
            continue;
        };
        let state = s.state.as_ref().unwrap_or(&NO_STATE);
        if state.running.is_some() {
            if s.started != Some(true) {
                n.pending_restartable_init += 1;
            }
            n.running += 1;
        } else if state.terminated.is_some() {
            // A terminated sidecar does not count for the phase.
        } else if state.waiting.is_some() {
            if last_terminated_exit_code(s).is_none() {
                n.pending_restartable_init += 1;
                n.waiting += 1;
            }
        } else {
            n.pending_restartable_init += 1;
            n.unknown += 1;
        }
    }
}

/// getPhase's loop over the entries of containers.
fn count_containers(spec: &PodSpec, input: PhaseInput<'_>, n: &mut Counts) {
    let restart_rules = input.container_restart_rules;
    for c in &spec.containers {
        let Some(s) = find(input, &c.name) else {
            n.unknown += 1;
            continue;
        };
        let state = s.state.as_ref().unwrap_or(&NO_STATE);
        if state.running.is_some() {
            n.running += 1;
        } else if let Some(t) = &state.terminated {
            n.stopped += 1;
            if restart_rules && !container_should_restart(c, spec, t.exit_code) {
                n.stopped_not_restartable += 1;
            }
            if t.exit_code == 0 {
                n.succeeded += 1;
            }
        } else if state.waiting.is_some() {
            match last_terminated_exit_code(s) {
                Some(code) => {
                    n.stopped += 1;
                    if restart_rules && !container_should_restart(c, spec, code) {
                        n.stopped_not_restartable += 1;
                    }
                }
                None => n.waiting += 1,
            }
        } else {
            n.unknown += 1;
        }
    }
}

/// getPhase's decision from its counters.
fn decide(spec: &PodSpec, input: PhaseInput<'_>, n: &Counts) -> PodPhase {
    let restart_rules = input.container_restart_rules;
    let policy = spec.restart_policy.as_deref().unwrap_or("Always");
    if restart_rules {
        if n.failed_initialization_not_restartable > 0 {
            return PodPhase::Failed;
        }
    } else if n.failed_initialization > 0 && policy == "Never" {
        return PodPhase::Failed;
    }

    // A sidecar restarting after the regular containers ran does not put the pod back to Pending.
    if n.pending_regular_init > 0 || (n.pending_restartable_init > 0 && !input.pod_has_initialized)
    {
        return PodPhase::Pending;
    }
    if n.waiting > 0 {
        return PodPhase::Pending;
    }
    if n.running > 0 && n.unknown == 0 {
        return PodPhase::Running;
    }
    if n.running == 0 && n.stopped > 0 && n.unknown == 0 {
        return all_stopped(policy, input, n);
    }
    PodPhase::Pending
}

/// getPhase when no container runs and every one has stopped.
fn all_stopped(policy: &str, input: PhaseInput<'_>, n: &Counts) -> PodPhase {
    let done = if n.stopped == n.succeeded {
        PodPhase::Succeeded
    } else {
        PodPhase::Failed
    };
    if input.pod_is_terminal {
        return done;
    }
    if input.container_restart_rules {
        if n.stopped != n.stopped_not_restartable {
            return PodPhase::Running;
        }
        return done;
    }
    if policy == "Always" {
        return PodPhase::Running;
    }
    if n.stopped == n.succeeded {
        return PodPhase::Succeeded;
    }
    if policy == "Never" {
        return PodPhase::Failed;
    }
    // OnFailure with a failure: restarting.
    PodPhase::Running
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

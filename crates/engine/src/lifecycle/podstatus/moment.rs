//! A moment of a pod's life as the kubelet would report it: each container's state turned into the
//! `status` the kubelet writes (kubelet_pods.go `convertToAPIContainerStatuses`,
//! `status/generate.go` conditions), then read back through [`print_pod_parts`] and
//! [`pod_phase`]. The timeline and the what-if scenarios describe moments; this is the only
//! place that turns them into what `kubectl get pod` shows.

use k8s_openapi::api::core::v1::PodSpec;

use super::api::{
    ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting,
    ContainerStatus, PodCondition, PodStatus,
};
use serde::Serialize;

use super::{is_restartable_init_container, pod_phase, print_pod_parts, PhaseInput, PodPhase};

/// What one container is doing at a moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContainerMoment {
    /// Not created yet: the kubelet reports its default waiting state, `PodInitializing` in a pod
    /// with init containers, else `ContainerCreating` (kubelet_pods.go `convertToAPIContainerStatuses`).
    NotStarted,
    /// Running; `started` once postStart is done and the startupProbe passed, `ready` once the
    /// readinessProbe passed.
    Running { started: bool, ready: bool },
    /// Exited, and not (yet) restarted.
    Terminated(Exit),
    /// Exited and waiting out the restart back-off (`CrashLoopBackOff`).
    BackOff(Exit),
}

/// How a container ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exit {
    pub code: i32,
    pub reason: ExitReason,
}

impl Exit {
    /// The reason the container runtime gives an ordinary exit (containerd / CRI-O: `Completed`
    /// for 0, `Error` otherwise; a SIGKILL after the grace period is exit 137, `Error`).
    pub fn code(code: i32) -> Exit {
        Exit {
            code,
            reason: if code == 0 {
                ExitReason::Completed
            } else {
                ExitReason::Error
            },
        }
    }
}

/// `state.terminated.reason` as container runtimes report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitReason {
    Completed,
    Error,
    OOMKilled,
}

impl ExitReason {
    pub fn as_str(&self) -> &'static str {
        match self {
            ExitReason::Completed => "Completed",
            ExitReason::Error => "Error",
            ExitReason::OOMKilled => "OOMKilled",
        }
    }
}

/// One container at a moment: its state and how often it was restarted so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerAt {
    pub name: String,
    pub moment: ContainerMoment,
    pub restarts: i32,
}

/// The whole pod at a moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodMoment {
    /// Containers without an entry are [`ContainerMoment::NotStarted`].
    pub containers: Vec<ContainerAt>,
    /// Every init container has exited 0 and every sidecar started at least once (the Initialized
    /// condition; it stays true while a sidecar later restarts).
    pub initialized: bool,
    /// `metadata.deletionTimestamp` is set.
    pub deleting: bool,
    /// The kubelet is tearing the pod down for good (deleted, or every main container is done
    /// under a policy that will not restart them).
    pub terminal: bool,
}

impl PodMoment {
    pub fn set(&mut self, name: &str, moment: ContainerMoment) {
        match self.containers.iter_mut().find(|c| c.name == name) {
            Some(c) => c.moment = moment,
            None => self.containers.push(ContainerAt {
                name: name.to_string(),
                moment,
                restarts: 0,
            }),
        }
    }

    pub fn restarted(&mut self, name: &str) {
        if let Some(c) = self.containers.iter_mut().find(|c| c.name == name) {
            c.restarts += 1;
        }
    }

    pub fn get(&self, name: &str) -> Option<&ContainerMoment> {
        self.containers
            .iter()
            .find(|c| c.name == name)
            .map(|c| &c.moment)
    }
}

/// What `kubectl get pod` shows at a moment, with the phase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusAt {
    /// Best-case second.
    pub at: i64,
    pub phase: PodPhase,
    pub status: String,
    pub ready: String,
    pub restarts: i64,
}

/// The `status` the kubelet would write for this moment.
pub fn pod_status(spec: &PodSpec, moment: &PodMoment, phase: Option<PodPhase>) -> PodStatus {
    let mut status = statuses(spec, moment);
    set_phase(&mut status, spec, moment, phase);
    status
}

/// The container statuses of this moment, without a phase or conditions.
fn statuses(spec: &PodSpec, moment: &PodMoment) -> PodStatus {
    let init = spec.init_containers.as_deref().unwrap_or_default();
    let has_init = !init.is_empty();
    let status_of = |name: &str| {
        let c = moment.containers.iter().find(|c| c.name == name);
        let m = c.map(|c| &c.moment).unwrap_or(&ContainerMoment::NotStarted);
        container_status(name, m, c.map_or(0, |c| c.restarts), has_init)
    };
    let init_statuses: Vec<ContainerStatus> = init.iter().map(|c| status_of(&c.name)).collect();
    let statuses: Vec<ContainerStatus> =
        spec.containers.iter().map(|c| status_of(&c.name)).collect();
    PodStatus {
        init_container_statuses: has_init.then_some(init_statuses),
        container_statuses: Some(statuses),
        ..Default::default()
    }
}

/// Sets the phase and the conditions that follow from it.
fn set_phase(status: &mut PodStatus, spec: &PodSpec, moment: &PodMoment, phase: Option<PodPhase>) {
    let init = spec.init_containers.as_deref().unwrap_or_default();
    // status/generate.go GenerateContainersReadyCondition: every container and every sidecar ready.
    let all_ready = init
        .iter()
        .filter(|c| is_restartable_init_container(c))
        .map(|c| &c.name)
        .chain(spec.containers.iter().map(|c| &c.name))
        .all(|n| {
            matches!(
                moment.get(n),
                Some(ContainerMoment::Running { ready: true, .. })
            )
        });
    let condition = |type_: &str, ok: bool| PodCondition {
        type_: type_.to_string(),
        status: if ok { "True" } else { "False" }.to_string(),
        ..Default::default()
    };
    status.phase = phase.map(|p| p.as_str().to_string());
    status.conditions = Some(vec![
        condition("Initialized", moment.initialized || init.is_empty()),
        condition("Ready", all_ready && phase == Some(PodPhase::Running)),
    ]);
}

fn container_status(
    name: &str,
    m: &ContainerMoment,
    restarts: i32,
    has_init: bool,
) -> ContainerStatus {
    let waiting = |reason: &str| ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: Some(reason.to_string()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let terminated = |e: &Exit| ContainerState {
        terminated: Some(ContainerStateTerminated {
            exit_code: e.code,
            reason: Some(e.reason.as_str().to_string()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let (state, last, started, ready) = match m {
        ContainerMoment::NotStarted => (
            waiting(if has_init {
                "PodInitializing"
            } else {
                "ContainerCreating"
            }),
            None,
            false,
            false,
        ),
        ContainerMoment::Running { started, ready } => (
            ContainerState {
                running: Some(ContainerStateRunning::default()),
                ..Default::default()
            },
            None,
            *started,
            *ready && *started,
        ),
        ContainerMoment::Terminated(e) => (terminated(e), None, false, false),
        ContainerMoment::BackOff(e) => (
            waiting("CrashLoopBackOff"),
            Some(terminated(e)),
            false,
            false,
        ),
    };
    ContainerStatus {
        name: name.to_string(),
        state: Some(state),
        last_state: last,
        started: Some(started),
        ready,
        restart_count: restarts,
        ..Default::default()
    }
}

/// STATUS, READY, RESTARTS and the phase at one moment: getPhase on the container statuses, then
/// printPod on the status the kubelet would write with that phase.
pub fn status_at(spec: &PodSpec, moment: &PodMoment, at: i64, restart_rules: bool) -> StatusAt {
    let mut status = statuses(spec, moment);
    let has_initialized = spec.containers.iter().any(|c| {
        !matches!(
            moment.get(&c.name),
            None | Some(ContainerMoment::NotStarted)
        )
    });
    let phase = pod_phase(
        spec,
        PhaseInput {
            statuses: status.container_statuses.as_deref().unwrap_or_default(),
            init_statuses: status
                .init_container_statuses
                .as_deref()
                .unwrap_or_default(),
            pod_is_terminal: moment.terminal,
            pod_has_initialized: has_initialized,
            container_restart_rules: restart_rules,
        },
    );
    set_phase(&mut status, spec, moment, Some(phase));
    let row = print_pod_parts(spec, &status, moment.deleting);
    StatusAt {
        at,
        phase,
        status: row.status,
        ready: row.ready,
        restarts: row.restarts,
    }
}

/// Appends `next` unless it shows what the last entry already shows.
pub fn push_distinct(steps: &mut Vec<StatusAt>, next: StatusAt) {
    let same = steps.last().is_some_and(|last| {
        last.status == next.status && last.ready == next.ready && last.phase == next.phase
    });
    if !same {
        steps.push(next);
    }
}

/// Something that happens to the pod at a second of its timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Happening {
    /// The container is created and runs (postStart hook and startupProbe still to pass).
    Runs(String),
    /// It counts as started: postStart done, startupProbe passed.
    Started(String),
    /// Its readinessProbe passed (or it has none).
    Ready(String),
    /// It exits (or is killed) and is not restarted yet.
    Exits(String, Exit),
    /// It exited and waits out the restart back-off.
    BacksOff(String, Exit),
    /// The kubelet runs it again after a failure: one more restart.
    Restarts(String),
    /// Every init container has exited 0 and every sidecar started.
    Initialized,
    /// `metadata.deletionTimestamp` is set.
    Deleted,
    /// The kubelet gives the pod up for good: no container is restarted any more.
    Terminal,
}

/// The statuses a pod passes through, from its happenings in time order: first the pod as
/// created (every container waiting), then the state after each container's happenings of a
/// second (what one status update of the kubelet carries; a pod-wide happening goes with the one
/// before it), without repeats.
pub fn sequence(
    spec: &PodSpec,
    happenings: &[(i64, Happening)],
    restart_rules: bool,
) -> Vec<StatusAt> {
    let mut moment = PodMoment::default();
    let mut steps = Vec::new();
    let mut sorted: Vec<&(i64, Happening)> = happenings.iter().collect();
    // Stable: happenings of one second keep the order they were given in.
    crate::order::sort_by_key(&mut sorted, |(at, _)| *at);
    let first = sorted.first().map_or(0, |(at, _)| (*at).min(0));
    push_distinct(&mut steps, status_at(spec, &moment, first, restart_rules));
    for (i, (at, h)) in sorted.iter().enumerate() {
        apply(&mut moment, h);
        let ends_update = match sorted.get(i + 1) {
            None => true,
            Some((next_at, next)) => {
                next_at != at || next.container().is_some_and(|n| Some(n) != h.container())
            }
        };
        if ends_update {
            push_distinct(&mut steps, status_at(spec, &moment, *at, restart_rules));
        }
    }
    steps
}

impl Happening {
    /// The container it happens to; None for the pod as a whole.
    pub fn container(&self) -> Option<&str> {
        match self {
            Happening::Runs(n)
            | Happening::Started(n)
            | Happening::Ready(n)
            | Happening::Exits(n, _)
            | Happening::BacksOff(n, _)
            | Happening::Restarts(n) => Some(n),
            Happening::Initialized | Happening::Deleted | Happening::Terminal => None,
        }
    }
}

fn apply(m: &mut PodMoment, h: &Happening) {
    match h {
        Happening::Runs(n) => m.set(
            n,
            ContainerMoment::Running {
                started: false,
                ready: false,
            },
        ),
        Happening::Started(n) => {
            let ready = matches!(m.get(n), Some(ContainerMoment::Running { ready: true, .. }));
            m.set(
                n,
                ContainerMoment::Running {
                    started: true,
                    ready,
                },
            );
        }
        Happening::Ready(n) => {
            let started = matches!(
                m.get(n),
                Some(ContainerMoment::Running { started: true, .. })
            );
            m.set(
                n,
                ContainerMoment::Running {
                    started,
                    ready: true,
                },
            );
        }
        Happening::Exits(n, e) => m.set(n, ContainerMoment::Terminated(*e)),
        Happening::BacksOff(n, e) => m.set(n, ContainerMoment::BackOff(*e)),
        Happening::Restarts(n) => m.restarted(n),
        Happening::Initialized => m.initialized = true,
        Happening::Deleted => m.deleting = true,
        Happening::Terminal => m.terminal = true,
    }
}

/// What a status sequence shows at second `t`: the last step at or before it (the first step
/// before the sequence begins).
pub fn shown_at(steps: &[StatusAt], t: i64) -> Option<&StatusAt> {
    steps
        .iter()
        .take_while(|s| s.at <= t)
        .last()
        .or(steps.first())
}

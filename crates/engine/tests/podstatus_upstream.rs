//! Upstream's own cases for `kubectl get pod` and the pod phase, ported as tables.
//!
//! - kubernetes `pkg/printers/internalversion/printers_test.go`: `TestPrintPod`,
//!   `TestPrintPodWithRestartableInitContainer`, `TestPrintPodConditions` (cells READY, STATUS,
//!   RESTARTS; upstream's "(10s ago)" is checked as the restart time the row picked).
//! - kubernetes `pkg/kubelet/kubelet_pods_test.go`: `TestPodPhaseWithRestartAlways`,
//!   `…AlwaysInitContainers`, `…AlwaysRestartableInitContainers`, `…AlwaysAndPodHasRun`,
//!   `…Never`, `…NeverInitContainers`, `…NeverRestartableInitContainers`, `…OnFailure`,
//!   `TestPodPhaseWithContainerRestartPolicy`, `…InitContainers`.
//!
//! Upstream builds specs with `make([]api.Container, n)` (unnamed containers); so do these.

use k8s_openapi::api::core::v1::{Container, PodSpec};
use podlab_engine::podstatus::{
    pod_phase, print_pod_parts, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, PhaseInput, PodCondition, PodPhase, PodStatus, Time,
};

const NOW: i64 = 1_780_000_000;

fn ago(seconds: i64) -> Time {
    Time::from_second(NOW - seconds)
}

fn running() -> Option<ContainerState> {
    Some(ContainerState {
        running: Some(ContainerStateRunning::default()),
        ..Default::default()
    })
}

fn waiting(reason: &str) -> Option<ContainerState> {
    Some(ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: (!reason.is_empty()).then(|| reason.to_string()),
            ..Default::default()
        }),
        ..Default::default()
    })
}

fn terminated(exit_code: i32, reason: &str) -> Option<ContainerState> {
    Some(ContainerState {
        terminated: Some(ContainerStateTerminated {
            exit_code,
            reason: (!reason.is_empty()).then(|| reason.to_string()),
            ..Default::default()
        }),
        ..Default::default()
    })
}

fn last_finished(seconds_ago: i64) -> Option<ContainerState> {
    Some(ContainerState {
        terminated: Some(ContainerStateTerminated {
            finished_at: Some(ago(seconds_ago)),
            ..Default::default()
        }),
        ..Default::default()
    })
}

fn st(
    name: &str,
    ready: bool,
    restarts: i32,
    state: Option<ContainerState>,
    last: Option<ContainerState>,
) -> ContainerStatus {
    ContainerStatus {
        name: name.to_string(),
        ready,
        restart_count: restarts,
        state,
        last_state: last,
        ..Default::default()
    }
}

fn started(mut s: ContainerStatus, started: bool) -> ContainerStatus {
    s.started = Some(started);
    s
}

fn unnamed(n: usize) -> Vec<Container> {
    vec![Container::default(); n]
}

fn sidecar(name: &str) -> Container {
    Container {
        name: name.to_string(),
        restart_policy: Some("Always".to_string()),
        ..Default::default()
    }
}

fn named(name: &str) -> Container {
    Container {
        name: name.to_string(),
        ..Default::default()
    }
}

fn cond(type_: &str, status: &str, reason: Option<&str>) -> PodCondition {
    PodCondition {
        type_: type_.to_string(),
        status: status.to_string(),
        reason: reason.map(str::to_string),
        ..Default::default()
    }
}

struct Row {
    spec: PodSpec,
    status: PodStatus,
    deleting: bool,
    /// READY, STATUS, RESTARTS count, and how many seconds ago the shown restart was.
    expect: (&'static str, &'static str, i64, Option<i64>),
}

fn row(init: Vec<Container>, containers: Vec<Container>, status: PodStatus) -> Row {
    Row {
        spec: PodSpec {
            init_containers: (!init.is_empty()).then_some(init),
            containers,
            ..Default::default()
        },
        status,
        deleting: false,
        expect: ("", "", 0, None),
    }
}

impl Row {
    fn expect(mut self, ready: &'static str, status: &'static str, restarts: i64) -> Self {
        self.expect = (ready, status, restarts, None);
        self
    }
    fn ago(mut self, seconds: i64) -> Self {
        self.expect.3 = Some(seconds);
        self
    }
    fn deleting(mut self) -> Self {
        self.deleting = true;
        self
    }
}

fn status(phase: &str, init: Vec<ContainerStatus>, containers: Vec<ContainerStatus>) -> PodStatus {
    PodStatus {
        phase: (!phase.is_empty()).then(|| phase.to_string()),
        init_container_statuses: (!init.is_empty()).then_some(init),
        container_statuses: (!containers.is_empty()).then_some(containers),
        ..Default::default()
    }
}

fn with_conditions(mut s: PodStatus, conditions: Vec<PodCondition>) -> PodStatus {
    s.conditions = Some(conditions);
    s
}

fn with_reason(mut s: PodStatus, reason: &str) -> PodStatus {
    s.reason = Some(reason.to_string());
    s
}

fn check(name: &str, rows: Vec<Row>) {
    for (i, r) in rows.into_iter().enumerate() {
        let got = print_pod_parts(&r.spec, &r.status, r.deleting);
        let (ready, status, restarts, when) = r.expect;
        assert_eq!(
            (got.ready.as_str(), got.status.as_str(), got.restarts),
            (ready, status, restarts),
            "{name} case {i}"
        );
        assert_eq!(
            got.last_restart,
            when.map(ago),
            "{name} case {i}: restart time"
        );
    }
}

/// printers_test.go TestPrintPod (test1 … test20).
#[test]
fn upstream_test_print_pod() {
    let none = None;
    let rows = vec![
        // test1: name, containers, restarts, ready
        row(
            vec![],
            unnamed(2),
            status(
                "podPhase",
                vec![],
                vec![
                    st("", true, 3, running(), none.clone()),
                    st("", false, 3, None, None),
                ],
            ),
        )
        .expect("1/2", "podPhase", 6),
        // test2: a container error overwrites the pod phase
        row(
            vec![],
            unnamed(2),
            status(
                "podPhase",
                vec![],
                vec![
                    st("", true, 3, running(), None),
                    st("", false, 3, waiting("ContainerWaitingReason"), None),
                ],
            ),
        )
        .expect("1/2", "ContainerWaitingReason", 6),
        // test3: the first container overwrites the rest
        row(
            vec![],
            unnamed(2),
            status(
                "podPhase",
                vec![],
                vec![
                    st("", false, 3, waiting("ContainerWaitingReason"), None),
                    st(
                        "",
                        false,
                        3,
                        terminated(0, "ContainerTerminatedReason"),
                        None,
                    ),
                ],
            ),
        )
        .expect("0/2", "ContainerWaitingReason", 6),
        // test4: ready is not enough for reporting running
        row(
            vec![],
            unnamed(2),
            status(
                "podPhase",
                vec![],
                vec![
                    st("", true, 3, running(), None),
                    st("", true, 3, None, None),
                ],
            ),
        )
        .expect("1/2", "podPhase", 6),
        // test5: the pod's reason wins over its phase
        row(
            vec![],
            unnamed(2),
            with_reason(
                status(
                    "podPhase",
                    vec![],
                    vec![
                        st("", true, 3, running(), None),
                        st("", true, 3, None, None),
                    ],
                ),
                "podReason",
            ),
        )
        .expect("1/2", "podReason", 6),
        // test6: one running, one completed, no Ready condition
        row(
            vec![],
            unnamed(2),
            status(
                "Running",
                vec![],
                vec![
                    st("", true, 3, terminated(0, "Completed"), None),
                    st("", true, 3, running(), None),
                ],
            ),
        )
        .expect("1/2", "NotReady", 6),
        // test6 (second): the same with the Ready condition
        row(
            vec![],
            unnamed(2),
            with_conditions(
                status(
                    "Running",
                    vec![],
                    vec![
                        st("", true, 3, terminated(0, "Completed"), None),
                        st("", true, 3, running(), None),
                    ],
                ),
                vec![cond("Ready", "True", None)],
            ),
        )
        .expect("1/2", "Running", 6),
        // test7: one init container restarting, one container not running
        row(
            unnamed(1),
            unnamed(1),
            status(
                "podPhase",
                vec![st("", false, 3, running(), last_finished(10))],
                vec![st("", false, 0, waiting(""), None)],
            ),
        )
        .expect("0/1", "Init:0/1", 3)
        .ago(10),
        // test8: two init containers, one restarting, the other not running
        row(
            unnamed(2),
            unnamed(1),
            status(
                "podPhase",
                vec![
                    st("", false, 3, running(), last_finished(10)),
                    st("", false, 0, waiting(""), None),
                ],
                vec![st("", false, 0, waiting(""), None)],
            ),
        )
        .expect("0/1", "Init:0/2", 3)
        .ago(10),
        // test9: one completed without restarts, the other restarting
        row(
            unnamed(2),
            unnamed(1),
            status(
                "podPhase",
                vec![
                    st("", false, 0, terminated(0, ""), None),
                    st("", false, 3, running(), last_finished(10)),
                ],
                vec![st("", false, 0, waiting(""), None)],
            ),
        )
        .expect("0/1", "Init:1/2", 3)
        .ago(10),
        // test10: one completed with restarts, the other restarting
        row(
            unnamed(2),
            unnamed(1),
            status(
                "podPhase",
                vec![
                    st("", false, 2, terminated(0, ""), last_finished(120)),
                    st("", false, 3, running(), last_finished(10)),
                ],
                vec![st("", false, 0, waiting(""), None)],
            ),
        )
        .expect("0/1", "Init:1/2", 5)
        .ago(10),
        // test11: init completed with restarts, one container restarting
        row(
            unnamed(1),
            unnamed(1),
            status(
                "Running",
                vec![st("", false, 2, terminated(0, ""), last_finished(120))],
                vec![st("", false, 4, running(), last_finished(20))],
            ),
        )
        .expect("0/1", "Running", 4)
        .ago(20),
        // test12: a container that restarted 5d ago
        row(
            vec![],
            unnamed(1),
            status(
                "Running",
                vec![],
                vec![st("", true, 3, running(), last_finished(5 * 86400))],
            ),
        )
        .expect("1/1", "Running", 3)
        .ago(5 * 86400),
        // test13: one never restarted, the other restarted 10d ago
        row(
            vec![],
            unnamed(2),
            status(
                "Running",
                vec![],
                vec![
                    st("", true, 0, running(), None),
                    st("", true, 3, running(), last_finished(10 * 86400)),
                ],
            ),
        )
        .expect("2/2", "Running", 3)
        .ago(10 * 86400),
        // test14: restarted 5d and 20d ago: the latest shows
        row(
            vec![],
            unnamed(2),
            status(
                "Running",
                vec![],
                vec![
                    st("", true, 6, running(), last_finished(5 * 86400)),
                    st("", true, 3, running(), last_finished(20 * 86400)),
                ],
            ),
        )
        .expect("2/2", "Running", 9)
        .ago(5 * 86400),
        // test15: PodScheduled with reason SchedulingGated
        row(
            vec![],
            unnamed(2),
            with_conditions(
                status("podPhase", vec![], vec![]),
                vec![cond("PodScheduled", "False", Some("SchedulingGated"))],
            ),
        )
        .expect("0/2", "SchedulingGated", 0),
        // test16: succeeded
        row(
            vec![],
            unnamed(1),
            status(
                "Succeeded",
                vec![],
                vec![st("", false, 0, terminated(0, "Completed"), None)],
            ),
        )
        .expect("0/1", "Completed", 0),
        // test17: failed
        row(
            vec![],
            unnamed(1),
            status(
                "Failed",
                vec![],
                vec![st("", false, 0, terminated(1, "Error"), None)],
            ),
        )
        .expect("0/1", "Error", 0),
        // test18: succeeded, then deleted: a terminal pod is not Terminating
        row(
            vec![],
            unnamed(1),
            status(
                "Succeeded",
                vec![],
                vec![st("", false, 0, terminated(0, "Completed"), None)],
            ),
        )
        .deleting()
        .expect("0/1", "Completed", 0),
        // test19: running, deleted
        row(
            vec![],
            unnamed(1),
            status("Running", vec![], vec![st("", false, 0, running(), None)]),
        )
        .deleting()
        .expect("0/1", "Terminating", 0),
        // test20: pending, deleted
        row(vec![], unnamed(1), status("Pending", vec![], vec![]))
            .deleting()
            .expect("0/1", "Terminating", 0),
    ];
    assert_eq!(rows.len(), 21);
    check("TestPrintPod", rows);
}

/// printers_test.go TestPrintPodWithRestartableInitContainer.
#[test]
fn upstream_test_print_pod_with_restartable_init_container() {
    let sidecars = || vec![sidecar("restartable-init-1"), sidecar("restartable-init-2")];
    let rows = vec![
        // two sidecars, the first running but not started
        row(
            sidecars(),
            unnamed(1),
            with_conditions(
                status(
                    "Pending",
                    vec![
                        started(
                            st("restartable-init-1", false, 3, running(), last_finished(10)),
                            false,
                        ),
                        started(st("restartable-init-2", false, 0, waiting(""), None), false),
                    ],
                    vec![st("", false, 0, waiting(""), None)],
                ),
                vec![cond("Initialized", "False", None)],
            ),
        )
        .expect("0/3", "Init:0/2", 3)
        .ago(10),
        // the first started, the second running but not started
        row(
            sidecars(),
            unnamed(1),
            with_conditions(
                status(
                    "Pending",
                    vec![
                        started(
                            st("restartable-init-1", false, 3, running(), last_finished(10)),
                            true,
                        ),
                        started(st("restartable-init-2", false, 0, running(), None), false),
                    ],
                    vec![st("", false, 0, waiting(""), None)],
                ),
                vec![cond("Initialized", "False", None)],
            ),
        )
        .expect("0/3", "Init:1/2", 3)
        .ago(10),
        // both started, the container running
        row(
            sidecars(),
            unnamed(1),
            with_conditions(
                status(
                    "Running",
                    vec![
                        started(
                            st("restartable-init-1", false, 3, running(), last_finished(10)),
                            true,
                        ),
                        started(st("restartable-init-2", false, 0, running(), None), true),
                    ],
                    vec![st("", true, 4, running(), last_finished(20))],
                ),
                vec![cond("Initialized", "True", None)],
            ),
        )
        .expect("1/3", "Running", 7)
        .ago(10),
        // both sidecars ended 137, the container completed
        row(
            sidecars(),
            unnamed(1),
            with_conditions(
                status(
                    "Succeeded",
                    vec![
                        started(
                            st(
                                "restartable-init-1",
                                false,
                                3,
                                terminated(137, "Error"),
                                last_finished(10),
                            ),
                            false,
                        ),
                        started(
                            st(
                                "restartable-init-2",
                                false,
                                0,
                                terminated(137, "Error"),
                                None,
                            ),
                            false,
                        ),
                    ],
                    vec![st(
                        "",
                        false,
                        4,
                        terminated(0, "Completed"),
                        last_finished(20),
                    )],
                ),
                vec![cond("Initialized", "True", None)],
            ),
        )
        .expect("0/3", "Completed", 7)
        .ago(10),
        // statuses for containers that are in no spec
        row(
            vec![named("init1"), sidecar("sidecar1")],
            vec![named("container1")],
            status(
                "Running",
                vec![
                    st("initinvalid", false, 0, None, None),
                    st("init1", false, 0, None, None),
                    st("sidecar1", false, 0, None, None),
                ],
                vec![
                    st("containerinvalid", false, 0, None, None),
                    st("container1", false, 0, None, None),
                ],
            ),
        )
        .expect("0/2", "Init:0/2", 0),
    ];
    check("TestPrintPodWithRestartableInitContainer", rows);
}

/// printers_test.go TestPrintPodConditions (the cells; row conditions are not modelled).
#[test]
fn upstream_test_print_pod_conditions() {
    let statuses = || {
        vec![
            st("", true, 3, running(), None),
            st("", false, 3, None, None),
        ]
    };
    let rows = vec![
        row(vec![], unnamed(2), status("Running", vec![], statuses())).expect("1/2", "Running", 6),
        row(vec![], unnamed(2), status("Succeeded", vec![], statuses())).expect(
            "1/2",
            "Succeeded",
            6,
        ),
        row(vec![], unnamed(2), status("Failed", vec![], statuses())).expect("1/2", "Failed", 6),
    ];
    check("TestPrintPodConditions", rows);
}

/// The exit-code and signal forms printPod builds when a terminated state has no reason.
#[test]
fn terminated_without_reason_shows_exit_code_or_signal() {
    let mut signal = terminated(137, "");
    signal.as_mut().unwrap().terminated.as_mut().unwrap().signal = Some(9);
    let rows = vec![
        row(
            unnamed(1),
            unnamed(1),
            status(
                "Pending",
                vec![st("", false, 0, terminated(3, ""), None)],
                vec![],
            ),
        )
        .expect("0/1", "Init:ExitCode:3", 0),
        row(
            unnamed(1),
            unnamed(1),
            status(
                "Pending",
                vec![st("", false, 0, signal.clone(), None)],
                vec![],
            ),
        )
        .expect("0/1", "Init:Signal:9", 0),
        row(
            unnamed(1),
            unnamed(1),
            status(
                "Pending",
                vec![st(
                    "",
                    false,
                    4,
                    waiting("CrashLoopBackOff"),
                    last_finished(30),
                )],
                vec![],
            ),
        )
        .expect("0/1", "Init:CrashLoopBackOff", 4)
        .ago(30),
        row(
            unnamed(1),
            unnamed(1),
            status(
                "Pending",
                vec![st("", false, 0, terminated(1, "Error"), None)],
                vec![],
            ),
        )
        .expect("0/1", "Init:Error", 0),
        row(
            unnamed(1),
            unnamed(1),
            status(
                "Pending",
                vec![st("", false, 0, waiting("PodInitializing"), None)],
                vec![],
            ),
        )
        .expect("0/1", "Init:0/1", 0),
        row(
            vec![],
            unnamed(1),
            status(
                "Running",
                vec![],
                vec![st("", false, 0, terminated(2, ""), None)],
            ),
        )
        .expect("0/1", "ExitCode:2", 0),
        row(
            vec![],
            unnamed(1),
            status("Running", vec![], vec![st("", false, 0, signal, None)]),
        )
        .expect("0/1", "Signal:9", 0),
        row(
            vec![],
            unnamed(1),
            with_reason(
                status("Running", vec![], vec![st("", false, 0, running(), None)]),
                "NodeLost",
            ),
        )
        .deleting()
        .expect("0/1", "Unknown", 0),
    ];
    check("exit code and signal forms", rows);
}

// ---- kubelet_pods_test.go getPhase ----

fn waiting_last(name: &str, exit_code: i32) -> ContainerStatus {
    st(name, false, 0, waiting(""), terminated(exit_code, ""))
}
fn run(name: &str) -> ContainerStatus {
    st(name, false, 0, running(), None)
}
fn started_state(name: &str) -> ContainerStatus {
    started(run(name), true)
}
fn stopped(name: &str) -> ContainerStatus {
    st(name, false, 0, terminated(0, ""), None)
}
fn succeeded(name: &str) -> ContainerStatus {
    stopped(name)
}
fn failed(name: &str) -> ContainerStatus {
    st(name, false, 0, terminated(-1, ""), None)
}
fn wait(name: &str) -> ContainerStatus {
    st(name, false, 0, waiting(""), None)
}

fn phase_spec(init: Vec<Container>, containers: Vec<Container>, policy: &str) -> PodSpec {
    PodSpec {
        init_containers: (!init.is_empty()).then_some(init),
        containers,
        restart_policy: Some(policy.to_string()),
        ..Default::default()
    }
}

/// (statuses, podIsTerminal, podHasInitialized, expected, upstream case name)
type PhaseCase = (Vec<ContainerStatus>, bool, bool, PodPhase, &'static str);

fn check_phase(test: &str, spec: &PodSpec, cases: Vec<PhaseCase>) {
    // Upstream runs these with the ContainerRestartRules gate at its default (on since 1.35);
    // without the gate every case here gives the same phase.
    for restart_rules in [true, false] {
        for (statuses, terminal, initialized, want, name) in &cases {
            let got = pod_phase(
                spec,
                PhaseInput {
                    statuses,
                    init_statuses: &[],
                    pod_is_terminal: *terminal,
                    pod_has_initialized: *initialized,
                    container_restart_rules: restart_rules,
                },
            );
            assert_eq!(got, *want, "{test}: {name} (restart rules {restart_rules})");
        }
    }
}

fn ab() -> Vec<Container> {
    vec![named("containerA"), named("containerB")]
}

#[test]
fn upstream_test_pod_phase_with_restart_always() {
    use PodPhase::*;
    let spec = phase_spec(vec![], ab(), "Always");
    check_phase(
        "TestPodPhaseWithRestartAlways",
        &spec,
        vec![
            (vec![], false, false, Pending, "waiting"),
            (
                vec![run("containerA"), run("containerB")],
                false,
                false,
                Running,
                "all running",
            ),
            (
                vec![stopped("containerA"), stopped("containerB")],
                false,
                false,
                Running,
                "all stopped with restart always",
            ),
            (
                vec![succeeded("containerA"), succeeded("containerB")],
                true,
                false,
                Succeeded,
                "all succeeded with restart always, but the pod is terminal",
            ),
            (
                vec![succeeded("containerA"), failed("containerB")],
                true,
                false,
                Failed,
                "all stopped with restart always, but the pod is terminal",
            ),
            (
                vec![run("containerA"), stopped("containerB")],
                false,
                false,
                Running,
                "mixed state #1 with restart always",
            ),
            (
                vec![run("containerA")],
                false,
                false,
                Pending,
                "mixed state #2 with restart always",
            ),
            (
                vec![run("containerA"), wait("containerB")],
                false,
                false,
                Pending,
                "mixed state #3 with restart always",
            ),
            (
                vec![run("containerA"), waiting_last("containerB", 0)],
                false,
                false,
                Running,
                "backoff crashloop container with restart always",
            ),
        ],
    );
}

#[test]
fn upstream_test_pod_phase_with_restart_always_init_containers() {
    use PodPhase::*;
    let spec = phase_spec(vec![named("containerX")], ab(), "Always");
    check_phase(
        "TestPodPhaseWithRestartAlwaysInitContainers",
        &spec,
        vec![
            (vec![], false, false, Pending, "empty, waiting"),
            (
                vec![run("containerX")],
                false,
                false,
                Pending,
                "init container running",
            ),
            (
                vec![failed("containerX")],
                false,
                false,
                Pending,
                "init container terminated non-zero",
            ),
            (
                vec![waiting_last("containerX", 0)],
                false,
                false,
                Pending,
                "init container waiting, terminated zero",
            ),
            (
                vec![waiting_last("containerX", -1)],
                false,
                false,
                Pending,
                "init container waiting, terminated non-zero",
            ),
            (
                vec![wait("containerX")],
                false,
                false,
                Pending,
                "init container waiting, not terminated",
            ),
            (
                vec![
                    succeeded("containerX"),
                    run("containerA"),
                    run("containerB"),
                ],
                false,
                false,
                Running,
                "init container succeeded",
            ),
        ],
    );
}

#[test]
fn upstream_test_pod_phase_with_restart_always_restartable_init_containers() {
    use PodPhase::*;
    let spec = phase_spec(vec![sidecar("containerX")], ab(), "Always");
    check_phase("TestPodPhaseWithRestartAlwaysRestartableInitContainers", &spec, vec![
        (vec![], false, false, Pending, "empty, waiting"),
        (vec![run("containerX")], false, false, Pending, "restartable init container running"),
        (vec![stopped("containerX")], false, false, Pending, "restartable init container stopped"),
        (vec![waiting_last("containerX", 0)], false, false, Pending, "restartable init container waiting, terminated zero"),
        (vec![waiting_last("containerX", -1)], false, false, Pending, "restartable init container waiting, terminated non-zero"),
        (vec![wait("containerX")], false, false, Pending, "restartable init container waiting, not terminated"),
        (vec![started_state("containerX"), run("containerA")], false, true, Pending, "restartable init container started, 1/2 regular container running"),
        (vec![started_state("containerX"), run("containerA"), run("containerB")], false, true, Running, "restartable init container started, all regular containers running"),
        (vec![run("containerX"), run("containerA"), run("containerB")], false, true, Running, "restartable init container running, all regular containers running"),
        (vec![stopped("containerX"), run("containerA"), run("containerB")], false, true, Running, "restartable init container stopped, all regular containers running"),
        (vec![waiting_last("containerX", 0), run("containerA"), run("containerB")], false, true, Running, "backoff crashloop restartable init container, all regular containers running"),
        (vec![failed("containerX"), succeeded("containerA"), succeeded("containerB")], true, true, Succeeded, "all regular containers succeeded and restartable init container failed with restart always, but the pod is terminal"),
        (vec![succeeded("containerX"), succeeded("containerA"), succeeded("containerB")], true, true, Succeeded, "all regular containers succeeded and restartable init container succeeded with restart always, but the pod is terminal"),
        (vec![run("containerX"), run("containerA"), run("containerB")], false, false, Pending, "re-initializing the pod after the sandbox is recreated"),
    ]);
}

#[test]
fn upstream_test_pod_phase_with_restart_always_and_pod_has_run() {
    use PodPhase::*;
    let spec = phase_spec(
        vec![named("containerX"), sidecar("containerY")],
        vec![named("containerA")],
        "Always",
    );
    check_phase("TestPodPhaseWithRestartAlwaysAndPodHasRun", &spec, vec![
        (vec![run("containerX"), run("containerY"), run("containerA")], false, false, Pending, "regular init containers, restartable init container and regular container are all running"),
        (vec![run("containerX"), run("containerY"), stopped("containerA")], false, false, Pending, "regular containers is stopped, restartable init container and regular int container are both running"),
        (vec![succeeded("containerX"), run("containerY"), stopped("containerA")], false, false, Pending, "re-created sandbox: regular init container is succeeded, restartable init container is running, old regular containers is stopped"),
        (vec![succeeded("containerX"), run("containerY"), stopped("containerA")], false, true, Running, "regular init container is succeeded, restartable init container is running, regular containers is stopped"),
        (vec![succeeded("containerX"), run("containerY"), run("containerA")], false, true, Running, "regular init container is succeeded, restartable init container and regular containers are both running"),
    ]);
}

#[test]
fn upstream_test_pod_phase_with_restart_never() {
    use PodPhase::*;
    let spec = phase_spec(vec![], ab(), "Never");
    check_phase(
        "TestPodPhaseWithRestartNever",
        &spec,
        vec![
            (vec![], false, false, Pending, "waiting"),
            (
                vec![run("containerA"), run("containerB")],
                false,
                false,
                Running,
                "all running with restart never",
            ),
            (
                vec![succeeded("containerA"), succeeded("containerB")],
                false,
                false,
                Succeeded,
                "all succeeded with restart never",
            ),
            (
                vec![failed("containerA"), failed("containerB")],
                false,
                false,
                Failed,
                "all failed with restart never",
            ),
            (
                vec![run("containerA"), succeeded("containerB")],
                false,
                false,
                Running,
                "mixed state #1 with restart never",
            ),
            (
                vec![run("containerA")],
                false,
                false,
                Pending,
                "mixed state #2 with restart never",
            ),
            (
                vec![run("containerA"), wait("containerB")],
                false,
                false,
                Pending,
                "mixed state #3 with restart never",
            ),
        ],
    );
}

#[test]
fn upstream_test_pod_phase_with_restart_never_init_containers() {
    use PodPhase::*;
    let spec = phase_spec(vec![named("containerX")], ab(), "Never");
    check_phase(
        "TestPodPhaseWithRestartNeverInitContainers",
        &spec,
        vec![
            (vec![], false, false, Pending, "empty, waiting"),
            (
                vec![run("containerX")],
                false,
                false,
                Pending,
                "init container running",
            ),
            (
                vec![failed("containerX")],
                false,
                false,
                Failed,
                "init container terminated non-zero",
            ),
            (
                vec![waiting_last("containerX", 0)],
                false,
                false,
                Pending,
                "init container waiting, terminated zero",
            ),
            (
                vec![waiting_last("containerX", -1)],
                false,
                false,
                Failed,
                "init container waiting, terminated non-zero",
            ),
            (
                vec![wait("containerX")],
                false,
                false,
                Pending,
                "init container waiting, not terminated",
            ),
            (
                vec![
                    succeeded("containerX"),
                    run("containerA"),
                    run("containerB"),
                ],
                false,
                false,
                Running,
                "init container succeeded",
            ),
        ],
    );
}

#[test]
fn upstream_test_pod_phase_with_restart_never_restartable_init_containers() {
    use PodPhase::*;
    let spec = phase_spec(vec![sidecar("containerX")], ab(), "Never");
    check_phase("TestPodPhaseWithRestartNeverRestartableInitContainers", &spec, vec![
        (vec![], false, false, Pending, "empty, waiting"),
        (vec![run("containerX")], false, false, Pending, "restartable init container running"),
        (vec![stopped("containerX")], false, false, Pending, "restartable init container stopped"),
        (vec![waiting_last("containerX", 0)], false, false, Pending, "restartable init container waiting, terminated zero"),
        (vec![waiting_last("containerX", -1)], false, false, Pending, "restartable init container waiting, terminated non-zero"),
        (vec![wait("containerX")], false, false, Pending, "restartable init container waiting, not terminated"),
        (vec![started_state("containerX"), run("containerA")], false, true, Pending, "restartable init container started, one main container running"),
        (vec![started_state("containerX"), succeeded("containerA"), succeeded("containerB")], false, true, Running, "restartable init container started, main containers succeeded"),
        (vec![run("containerX"), succeeded("containerA"), succeeded("containerB")], false, true, Running, "restartable init container re-running, main containers succeeded"),
        (vec![succeeded("containerX"), succeeded("containerA"), succeeded("containerB")], false, true, Succeeded, "all containers succeeded"),
        (vec![failed("containerX"), succeeded("containerA"), succeeded("containerB")], false, true, Succeeded, "restartable init container terminated non-zero, main containers succeeded"),
        (vec![waiting_last("containerX", 0), succeeded("containerA"), succeeded("containerB")], false, true, Succeeded, "backoff crashloop restartable init container, main containers succeeded"),
        (vec![waiting_last("containerX", -1), succeeded("containerA"), succeeded("containerB")], false, true, Succeeded, "backoff crashloop with non-zero restartable init container, main containers succeeded"),
    ]);
}

#[test]
fn upstream_test_pod_phase_with_restart_on_failure() {
    use PodPhase::*;
    let spec = phase_spec(vec![], ab(), "OnFailure");
    check_phase(
        "TestPodPhaseWithRestartOnFailure",
        &spec,
        vec![
            (vec![], false, false, Pending, "waiting"),
            (
                vec![run("containerA"), run("containerB")],
                false,
                false,
                Running,
                "all running with restart onfailure",
            ),
            (
                vec![succeeded("containerA"), succeeded("containerB")],
                false,
                false,
                Succeeded,
                "all succeeded with restart onfailure",
            ),
            (
                vec![failed("containerA"), failed("containerB")],
                false,
                false,
                Running,
                "all failed with restart never",
            ),
            (
                vec![run("containerA"), succeeded("containerB")],
                false,
                false,
                Running,
                "mixed state #1 with restart onfailure",
            ),
            (
                vec![run("containerA")],
                false,
                false,
                Pending,
                "mixed state #2 with restart onfailure",
            ),
            (
                vec![run("containerA"), wait("containerB")],
                false,
                false,
                Pending,
                "mixed state #3 with restart onfailure",
            ),
            (
                vec![run("containerA"), waiting_last("containerB", 0)],
                false,
                false,
                Running,
                "backoff crashloop container with restart onfailure",
            ),
        ],
    );
}

fn with_policy(name: &str, policy: &str) -> Container {
    Container {
        name: name.to_string(),
        restart_policy: Some(policy.to_string()),
        ..Default::default()
    }
}

/// TestPodPhaseWithContainerRestartPolicy and …InitContainers run with the gate on and
/// podHasInitialized true.
fn check_rules(test: &str, cases: Vec<(&str, PodSpec, Vec<ContainerStatus>, PodPhase)>) {
    for (name, spec, statuses, want) in cases {
        let got = pod_phase(
            &spec,
            PhaseInput {
                statuses: &statuses,
                init_statuses: &[],
                pod_is_terminal: false,
                pod_has_initialized: true,
                container_restart_rules: true,
            },
        );
        assert_eq!(got, want, "{test}: {name}");
    }
}

#[test]
fn upstream_test_pod_phase_with_container_restart_policy() {
    use PodPhase::*;
    check_rules(
        "TestPodPhaseWithContainerRestartPolicy",
        vec![
            (
                "container with restart policy Never failed",
                phase_spec(
                    vec![],
                    vec![with_policy("failed-container", "Never")],
                    "Always",
                ),
                vec![failed("failed-container")],
                Failed,
            ),
            (
                "container with restart policy OnFailure failed",
                phase_spec(
                    vec![],
                    vec![with_policy("failed-container", "OnFailure")],
                    "Always",
                ),
                vec![failed("failed-container")],
                Running,
            ),
            (
                "container with restart policy Always failed",
                phase_spec(
                    vec![],
                    vec![with_policy("failed-container", "Always")],
                    "Always",
                ),
                vec![failed("failed-container")],
                Running,
            ),
            (
                "At least one container with restartable container-level restart policy failed",
                phase_spec(
                    vec![],
                    vec![with_policy("containerA", "Always"), named("containerB")],
                    "Never",
                ),
                vec![succeeded("containerA"), failed("containerB")],
                Running,
            ),
            (
                "All containers without restartable container-level restart policy failed",
                phase_spec(
                    vec![],
                    vec![
                        with_policy("containerA", "Never"),
                        with_policy("containerB", "OnFailure"),
                    ],
                    "Always",
                ),
                vec![failed("containerA"), succeeded("containerB")],
                Failed,
            ),
            (
                "All containers succeeded",
                phase_spec(
                    vec![],
                    vec![
                        with_policy("containerA", "Never"),
                        with_policy("containerB", "OnFailure"),
                    ],
                    "Always",
                ),
                vec![succeeded("containerA"), succeeded("containerB")],
                Succeeded,
            ),
        ],
    );
}

#[test]
fn upstream_test_pod_phase_with_container_restart_policy_init_containers() {
    use PodPhase::*;
    check_rules(
        "TestPodPhaseWithContainerRestartPolicyInitContainers",
        vec![
            (
                "init container with restart policy Never failed",
                phase_spec(
                    vec![with_policy("failed-container", "Never")],
                    vec![named("container")],
                    "Always",
                ),
                vec![failed("failed-container")],
                Failed,
            ),
            (
                "init container with restart policy OnFailure failed",
                phase_spec(
                    vec![with_policy("failed-container", "OnFailure")],
                    vec![named("container")],
                    "Never",
                ),
                vec![failed("failed-container")],
                Pending,
            ),
            (
                "container with restart policy Always failed",
                phase_spec(
                    vec![with_policy("failed-container", "Always")],
                    vec![named("container")],
                    "Never",
                ),
                vec![failed("failed-container")],
                Pending,
            ),
        ],
    );
}

/// Without the gate a container's own policy is not read: the pod's Always keeps restarting it.
#[test]
fn container_restart_policy_needs_the_gate() {
    let spec = phase_spec(vec![], vec![with_policy("c", "Never")], "Always");
    let statuses = [failed("c")];
    let phase = |rules| {
        pod_phase(
            &spec,
            PhaseInput {
                statuses: &statuses,
                pod_has_initialized: true,
                container_restart_rules: rules,
                ..Default::default()
            },
        )
    };
    assert_eq!(phase(true), PodPhase::Failed);
    assert_eq!(phase(false), PodPhase::Running);
}

// ---- moments: the kubelet's statuses for a moment, read back through printPod ----

mod moments {
    use super::*;
    use podlab_engine::podstatus::{status_at, ContainerMoment, Exit, PodMoment};

    fn show(spec: &PodSpec, m: &PodMoment) -> (String, String, PodPhase) {
        let s = status_at(spec, m, 0, true);
        (s.status, s.ready, s.phase)
    }

    fn spec3() -> PodSpec {
        PodSpec {
            init_containers: Some(vec![named("migrate"), sidecar("proxy")]),
            containers: vec![named("app")],
            restart_policy: Some("Always".into()),
            ..Default::default()
        }
    }

    fn up(ready: bool) -> ContainerMoment {
        ContainerMoment::Running {
            started: true,
            ready,
        }
    }

    #[test]
    fn a_normal_start_reads_init_then_pod_initializing_then_running() {
        use PodPhase::*;
        let spec = spec3();
        let mut m = PodMoment::default();
        m.set(
            "migrate",
            ContainerMoment::Running {
                started: true,
                ready: false,
            },
        );
        assert_eq!(show(&spec, &m), ("Init:0/2".into(), "0/2".into(), Pending));
        m.set("migrate", ContainerMoment::Terminated(Exit::code(0)));
        m.set(
            "proxy",
            ContainerMoment::Running {
                started: false,
                ready: false,
            },
        );
        assert_eq!(show(&spec, &m), ("Init:1/2".into(), "0/2".into(), Pending));
        m.set("proxy", up(true));
        m.initialized = true;
        assert_eq!(
            show(&spec, &m),
            ("PodInitializing".into(), "1/2".into(), Pending)
        );
        m.set(
            "app",
            ContainerMoment::Running {
                started: true,
                ready: false,
            },
        );
        assert_eq!(show(&spec, &m), ("Running".into(), "1/2".into(), Running));
        m.set("app", up(true));
        assert_eq!(show(&spec, &m), ("Running".into(), "2/2".into(), Running));
    }

    #[test]
    fn a_pod_without_init_containers_is_container_creating_first() {
        let spec = PodSpec {
            containers: vec![named("app")],
            ..Default::default()
        };
        assert_eq!(
            show(&spec, &PodMoment::default()),
            ("ContainerCreating".into(), "0/1".into(), PodPhase::Pending)
        );
    }

    #[test]
    fn a_sidecar_crash_looping_beside_a_running_app_shows_init_crash_loop_back_off() {
        let spec = spec3();
        let mut m = PodMoment {
            initialized: true,
            ..Default::default()
        };
        m.set("migrate", ContainerMoment::Terminated(Exit::code(0)));
        m.set("proxy", ContainerMoment::BackOff(Exit::code(1)));
        m.set("app", up(true));
        m.restarted("proxy");
        m.restarted("proxy");
        let s = status_at(&spec, &m, 0, true);
        assert_eq!(
            (s.status.as_str(), s.ready.as_str(), s.phase, s.restarts),
            ("Init:CrashLoopBackOff", "1/2", PodPhase::Running, 2)
        );
    }

    #[test]
    fn a_job_pod_completes_once_its_sidecar_is_stopped() {
        let mut spec = spec3();
        spec.restart_policy = Some("Never".into());
        let mut m = PodMoment {
            initialized: true,
            ..Default::default()
        };
        m.set("migrate", ContainerMoment::Terminated(Exit::code(0)));
        m.set("proxy", up(true));
        m.set("app", ContainerMoment::Terminated(Exit::code(0)));
        assert_eq!(
            show(&spec, &m),
            ("Completed".into(), "1/2".into(), PodPhase::Running)
        );
        m.set("proxy", ContainerMoment::Terminated(Exit::code(137)));
        m.terminal = true;
        assert_eq!(
            show(&spec, &m),
            ("Completed".into(), "0/2".into(), PodPhase::Succeeded)
        );
    }

    #[test]
    fn a_container_killed_after_its_grace_period_fails_the_pod_under_never() {
        let spec = PodSpec {
            containers: vec![named("app")],
            restart_policy: Some("Never".into()),
            ..Default::default()
        };
        let mut m = PodMoment {
            terminal: true,
            deleting: true,
            ..Default::default()
        };
        m.set("app", ContainerMoment::Terminated(Exit::code(137)));
        assert_eq!(
            show(&spec, &m),
            ("Error".into(), "0/1".into(), PodPhase::Failed)
        );
        m.set("app", up(true));
        m.terminal = false;
        assert_eq!(
            show(&spec, &m),
            ("Terminating".into(), "1/1".into(), PodPhase::Running)
        );
    }

    /// CONTRACT.md §1's example: a sidecar whose startupProbe passes at 2 s, then the app. The
    /// status update between the two (the sidecar started, the app not yet created) reads
    /// PodInitializing, which the contract's short example leaves out.
    #[test]
    fn the_sequence_shows_each_status_update() {
        use podlab_engine::podstatus::{sequence, Happening::*};
        let spec = PodSpec {
            init_containers: Some(vec![sidecar("proxy")]),
            containers: vec![named("app")],
            ..Default::default()
        };
        let h = vec![
            (0, Runs("proxy".into())),
            (2, Started("proxy".into())),
            (2, Ready("proxy".into())),
            (2, Initialized),
            (2, Runs("app".into())),
            (2, Started("app".into())),
            (2, Ready("app".into())),
        ];
        let got: Vec<(i64, PodPhase, String, String)> = sequence(&spec, &h, true)
            .into_iter()
            .map(|s| (s.at, s.phase, s.status, s.ready))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    0,
                    PodPhase::Pending,
                    "Init:0/1".to_string(),
                    "0/2".to_string()
                ),
                (
                    2,
                    PodPhase::Pending,
                    "PodInitializing".to_string(),
                    "1/2".to_string()
                ),
                (
                    2,
                    PodPhase::Running,
                    "Running".to_string(),
                    "2/2".to_string()
                ),
            ]
        );
    }

    #[test]
    fn the_status_at_a_second_is_the_last_step_at_or_before_it() {
        use podlab_engine::podstatus::{shown_at, StatusAt};
        let step = |at, status: &str| StatusAt {
            at,
            phase: PodPhase::Pending,
            status: status.into(),
            ready: "0/1".into(),
            restarts: 0,
        };
        let steps = vec![
            step(0, "Init:0/1"),
            step(3, "PodInitializing"),
            step(5, "Running"),
        ];
        let at = |t| shown_at(&steps, t).map(|s| s.status.as_str());
        assert_eq!(at(-1), Some("Init:0/1"));
        assert_eq!(at(2), Some("Init:0/1"));
        assert_eq!(at(3), Some("PodInitializing"));
        assert_eq!(at(99), Some("Running"));
        assert_eq!(shown_at(&[], 3), None);
    }
}

//! Scenarios of kubernetes `test/e2e_node/container_lifecycle_test.go`, held against podlab's
//! model of the kubelet: each test names the upstream `ginkgo.It` (and its `When`) it ports.
//! Upstream runs real pods and compares the log times of starts and exits; here the same
//! questions are put to the start and stop timings and to the statuses `kubectl get pod` shows.

use k8s_openapi::api::core::v1::PodSpec;
use podlab_engine::podstatus::{
    sequence, status_at, ContainerMoment, Exit, Happening, PodMoment, PodPhase,
};
use podlab_engine::startup::{self, Start};
use podlab_engine::termination::{self, Stop};
use serde_json::json;

fn spec(v: serde_json::Value) -> PodSpec {
    serde_json::from_value(v).expect("a pod spec")
}

fn c(name: &str) -> serde_json::Value {
    json!({"name": name, "image": "busybox"})
}

fn sidecar(name: &str) -> serde_json::Value {
    json!({"name": name, "image": "busybox", "restartPolicy": "Always"})
}

fn start<'a>(starts: &'a [Start], name: &str) -> &'a Start {
    starts.iter().find(|s| s.name == name).unwrap()
}

fn stop<'a>(stops: &'a [Stop], name: &str) -> &'a Stop {
    stops.iter().find(|s| s.name == name).unwrap()
}

/// `results.StartsBefore(a, b)` and `ExitsBefore(a, b)` for init containers: b starts only once
/// a has exited (in the best and in the worst case).
fn exits_before_start(starts: &[Start], a: &str, b: &str) {
    let (a, b) = (start(starts, a), start(starts, b));
    assert!(
        a.start.0 < b.start.0 || a.started.0 <= b.start.0,
        "{} before {}",
        a.name,
        b.name
    );
    assert!(
        a.started.0 <= b.start.0 && a.started.1 <= b.start.1,
        "{} exits before {} starts",
        a.name,
        b.name
    );
}

fn moment(pairs: &[(&str, ContainerMoment)]) -> PodMoment {
    let mut m = PodMoment::default();
    for (n, s) in pairs {
        m.set(n, s.clone());
    }
    m
}

fn running() -> ContainerMoment {
    ContainerMoment::Running {
        started: true,
        ready: true,
    }
}

fn show(spec: &PodSpec, m: &PodMoment) -> (PodPhase, String) {
    let s = status_at(spec, m, 0, true);
    (s.phase, s.status)
}

#[test]
fn should_launch_init_container_serially_before_a_regular_container() {
    let s = spec(json!({
        "restartPolicy": "Never",
        "initContainers": [c("init-1"), c("init-2"), c("init-3")],
        "containers": [{"name": "regular-1", "image": "busybox", "startupProbe": {"exec": {"command": ["test", "-f", "started"]}}}]
    }));
    let st = startup::starts(&s);
    exits_before_start(&st, "init-1", "init-2");
    exits_before_start(&st, "init-2", "init-3");
    exits_before_start(&st, "init-3", "regular-1");
}

#[test]
fn should_not_launch_regular_containers_if_an_init_container_fails() {
    let s = spec(json!({
        "restartPolicy": "Never",
        "initContainers": [c("init-1")],
        "containers": [c("regular-1")]
    }));
    let m = moment(&[("init-1", ContainerMoment::Terminated(Exit::code(1)))]);
    assert_eq!(show(&s, &m), (PodPhase::Failed, "Init:Error".to_string()));
}

#[test]
fn should_run_init_container_to_completion_before_call_to_post_start_of_regular_container() {
    let s = spec(json!({
        "restartPolicy": "Never",
        "initContainers": [c("init-1")],
        "containers": [{"name": "regular-1", "image": "busybox",
            "lifecycle": {"postStart": {"exec": {"command": ["sh", "-c", "echo"]}}}}]
    }));
    let st = startup::starts(&s);
    let regular = start(&st, "regular-1");
    assert!(start(&st, "init-1").started.1 <= regular.start.0);
    assert!(regular.post_start_end.is_some());
}

#[test]
fn should_restart_failing_container_when_pod_restart_policy_is_always() {
    let s = spec(json!({"restartPolicy": "Always", "containers": [c("regular-1")]}));
    let mut m = moment(&[("regular-1", ContainerMoment::BackOff(Exit::code(1)))]);
    for _ in 0..3 {
        m.restarted("regular-1");
    }
    let st = status_at(&s, &m, 0, true);
    assert_eq!(
        (st.phase, st.status.as_str(), st.restarts),
        (PodPhase::Running, "CrashLoopBackOff", 3)
    );
}

#[test]
fn should_not_launch_second_container_before_post_start_of_the_first_container_completed() {
    let s = spec(json!({
        "restartPolicy": "Never",
        "containers": [
            {"name": "regular-1", "image": "busybox",
             "lifecycle": {"postStart": {"exec": {"command": ["sh", "-c", "sleep 1"]}}}},
            c("regular-2")
        ]
    }));
    let st = startup::starts(&s);
    let hook_end = start(&st, "regular-1").post_start_end.unwrap();
    assert!(hook_end.0 <= start(&st, "regular-2").start.0);
    assert!(hook_end.1 <= start(&st, "regular-2").start.1);
    assert_eq!(
        startup::stages(&s),
        vec![vec!["regular-1".to_string()], vec!["regular-2".to_string()]]
    );
}

#[test]
fn shouldnt_restart_init_containers_upon_regular_container_restart() {
    let s = spec(json!({
        "restartPolicy": "Always",
        "initContainers": [c("init-1"), c("init-2"), c("init-3")],
        "containers": [c("regular-1")]
    }));
    let done = ContainerMoment::Terminated(Exit::code(0));
    let mut m = moment(&[
        ("init-1", done.clone()),
        ("init-2", done.clone()),
        ("init-3", done),
        ("regular-1", ContainerMoment::BackOff(Exit::code(255))),
    ]);
    m.initialized = true;
    m.restarted("regular-1");
    let st = status_at(&s, &m, 0, true);
    assert_eq!(
        (st.phase, st.status.as_str(), st.restarts),
        (PodPhase::Running, "CrashLoopBackOff", 1)
    );
}

/// When "a pod cannot terminate gracefully": "should respect termination grace period seconds"
/// and "… with long-running preStop hook".
#[test]
fn should_respect_termination_grace_period_seconds() {
    let plain = spec(json!({"terminationGracePeriodSeconds": 30, "containers": [c("busybox")]}));
    assert_eq!(
        stop(&termination::stops(&plain, 30, true), "busybox").gone,
        (0, 30)
    );
    let hooked = spec(json!({"terminationGracePeriodSeconds": 30, "containers": [
        {"name": "busybox", "image": "busybox", "lifecycle": {"preStop": {"exec": {"command": ["sleep", "10000"]}}}}
    ]}));
    // The hook is cut off at the grace period; the 2-second minimum follows.
    assert_eq!(
        stop(&termination::stops(&hooked, 30, true), "busybox").gone,
        (0, 32)
    );
}

fn three_and_two() -> PodSpec {
    spec(json!({
        "restartPolicy": "Never",
        "initContainers": [c("init-1"), sidecar("restartable-init-1"), c("init-2"), sidecar("restartable-init-2"), c("init-3")],
        "containers": [c("regular-1")]
    }))
}

/// When "using a Pod with restartPolicy=Never, three init container and two restartable init
/// containers": every `It` of the ordering.
#[test]
fn three_init_containers_and_two_restartable_init_containers_start_in_order() {
    let s = three_and_two();
    let st = startup::starts(&s);
    // "should run the first init container to completion before starting first restartable init container"
    exits_before_start(&st, "init-1", "restartable-init-1");
    // "should start first restartable init container before starting second init container"
    assert!(start(&st, "restartable-init-1").start.0 <= start(&st, "init-2").start.0);
    // "should run second init container to completion before starting second restartable init container"
    exits_before_start(&st, "init-2", "restartable-init-2");
    // "should start second restartable init container before third init container"
    assert!(start(&st, "restartable-init-2").start.0 <= start(&st, "init-3").start.0);
    // "should run third init container to completion before starting regular container"
    exits_before_start(&st, "init-3", "regular-1");
    // "should run both restartable init containers and a regular container together": sidecars
    // are stopped only after the regular container.
    let stops = termination::stops(&s, 30, true);
    let regular_gone = stop(&stops, "regular-1").gone;
    for n in ["restartable-init-1", "restartable-init-2"] {
        assert!(stop(&stops, n).signal.0 >= regular_gone.0, "{n}");
    }
}

/// "should finish and produce log": the pod Succeeds once regular-1 exits 0 and the sidecars
/// are stopped, whatever their exit codes.
#[test]
fn three_init_containers_and_two_restartable_init_containers_finish() {
    let s = three_and_two();
    let st = startup::starts(&s);
    let mut h = startup::happenings(&st);
    let done = start(&st, "regular-1").ready.unwrap().0 + 1;
    h.push((done, Happening::Exits("regular-1".into(), Exit::code(0))));
    h.push((done, Happening::Terminal));
    for n in ["restartable-init-1", "restartable-init-2"] {
        h.push((
            done,
            Happening::Exits(n.into(), Exit::code(termination::SIGKILL_EXIT_CODE)),
        ));
    }
    let last = sequence(&s, &h, true).pop().unwrap();
    assert_eq!(
        (last.phase, last.status.as_str()),
        (PodPhase::Succeeded, "Completed")
    );
}

/// When "using a restartable init container in a Pod with restartPolicy=Never" / "a restartable
/// init container starts and exits with exit code 1 continuously": "should complete a Pod
/// successfully" — the sidecar is restarted whatever the pod's policy and its failures never
/// fail the pod.
#[test]
fn a_restartable_init_container_exiting_1_continuously_does_not_fail_a_never_pod() {
    let s = spec(json!({
        "restartPolicy": "Never",
        "initContainers": [sidecar("restartable-init-1"), c("init-1")],
        "containers": [c("regular-1")]
    }));
    let mut m = moment(&[
        (
            "restartable-init-1",
            ContainerMoment::BackOff(Exit::code(1)),
        ),
        ("init-1", ContainerMoment::Terminated(Exit::code(0))),
        ("regular-1", running()),
    ]);
    m.initialized = true;
    assert_eq!(show(&s, &m).0, PodPhase::Running);
    m.set("regular-1", ContainerMoment::Terminated(Exit::code(0)));
    m.set(
        "restartable-init-1",
        ContainerMoment::Terminated(Exit::code(1)),
    );
    m.terminal = true;
    assert_eq!(show(&s, &m), (PodPhase::Succeeded, "Completed".to_string()));
}

/// When "using a restartable init container in a Pod with restartPolicy=Never" / "an Init
/// container before restartable init container fails": "should mark a Pod as failed", "should
/// not start restartable init container".
#[test]
fn an_init_container_before_a_restartable_init_container_fails_under_never() {
    let s = spec(json!({
        "restartPolicy": "Never",
        "initContainers": [c("init-1"), sidecar("restartable-init-1")],
        "containers": [c("regular-1")]
    }));
    let m = moment(&[("init-1", ContainerMoment::Terminated(Exit::code(1)))]);
    assert_eq!(show(&s, &m), (PodPhase::Failed, "Init:Error".to_string()));
}

/// When "an Init container after restartable init container fails" (restartPolicy=Never): the
/// pod fails with the sidecar still running beside the failed init container.
#[test]
fn an_init_container_after_a_restartable_init_container_fails_under_never() {
    let s = spec(json!({
        "restartPolicy": "Never",
        "initContainers": [sidecar("restartable-init-1"), c("init-1")],
        "containers": [c("regular-1")]
    }));
    let m = moment(&[
        ("restartable-init-1", running()),
        ("init-1", ContainerMoment::Terminated(Exit::code(1))),
    ]);
    assert_eq!(show(&s, &m), (PodPhase::Failed, "Init:Error".to_string()));
}

/// When "using a restartable init container in a Pod with restartPolicy=Always" / "an Init
/// container before restartable init container continuously fails": "should continuously run
/// Pod keeping it Pending", "should have Init container restartCount greater than 0".
#[test]
fn an_init_container_continuously_failing_under_always_keeps_the_pod_pending() {
    let s = spec(json!({
        "restartPolicy": "Always",
        "initContainers": [c("init-1"), sidecar("restartable-init-1")],
        "containers": [c("regular-1")]
    }));
    let mut m = moment(&[("init-1", ContainerMoment::BackOff(Exit::code(1)))]);
    for _ in 0..3 {
        m.restarted("init-1");
    }
    let st = status_at(&s, &m, 0, true);
    assert_eq!(
        (st.phase, st.status.as_str(), st.restarts),
        (PodPhase::Pending, "Init:CrashLoopBackOff", 3)
    );
}

/// "should launch restartable init containers serially considering the startup probe".
#[test]
fn should_launch_restartable_init_containers_serially_considering_the_startup_probe() {
    let probe = json!({"exec": {"command": ["test", "-f", "started"]}});
    let s = spec(json!({
        "restartPolicy": "Never",
        "initContainers": [
            {"name": "restartable-init-1", "image": "busybox", "restartPolicy": "Always", "startupProbe": probe},
            {"name": "restartable-init-2", "image": "busybox", "restartPolicy": "Always", "startupProbe": probe}
        ],
        "containers": [c("regular-1")]
    }));
    let st = startup::starts(&s);
    let first = start(&st, "restartable-init-1");
    assert_eq!(start(&st, "restartable-init-2").start, first.started);
    assert_eq!(
        start(&st, "regular-1").start,
        start(&st, "restartable-init-2").started
    );
}

/// "should terminate sidecars in reverse order after all main containers have exited": in the best case each sidecar gets its signal
/// only once the main containers and the sidecars declared after it are gone.
#[test]
fn should_terminate_sidecars_in_reverse_order_after_all_main_containers_have_exited() {
    let s = spec(json!({
        "restartPolicy": "Never",
        "initContainers": [sidecar("restartable-init-1"), sidecar("restartable-init-2"), sidecar("restartable-init-3")],
        "containers": [{"name": "regular-1", "image": "busybox",
            "lifecycle": {"preStop": {"sleep": {"seconds": 5}}}}]
    }));
    let stops = termination::stops(&s, 30, true);
    let signal = |n| stop(&stops, n).signal.0;
    assert!(signal("restartable-init-3") >= stop(&stops, "regular-1").gone.0);
    assert!(signal("restartable-init-2") >= stop(&stops, "restartable-init-3").gone.0);
    assert!(signal("restartable-init-1") >= stop(&stops, "restartable-init-2").gone.0);
}

/// "should terminate sidecars simultaneously if prestop doesn't exit".
#[test]
fn should_terminate_sidecars_simultaneously_if_prestop_doesnt_exit() {
    let forever =
        json!({"preStop": {"exec": {"command": ["sh", "-c", "while true; do sleep 1; done"]}}});
    let side = |n: &str| json!({"name": n, "image": "busybox", "restartPolicy": "Always", "lifecycle": forever});
    let s = spec(json!({
        "restartPolicy": "Never",
        "initContainers": [side("restartable-init-1"), side("restartable-init-2"), side("restartable-init-3")],
        "containers": [c("regular-1")]
    }));
    let stops = termination::stops(&s, 30, true);
    for n in [
        "restartable-init-1",
        "restartable-init-2",
        "restartable-init-3",
    ] {
        // "expected PostStart N to live for ~32 seconds": 30 seconds + the 2-second minimum.
        assert_eq!(stop(&stops, n).gone.1, 32, "{n}");
    }
}

/// "should call sidecar container PreStop hook simultaneously".
#[test]
fn should_call_sidecar_container_pre_stop_hook_simultaneously() {
    let hook = json!({"preStop": {"exec": {"command": ["sh", "-c", "sleep 1"]}}});
    let side = |n: &str| json!({"name": n, "image": "busybox", "restartPolicy": "Always", "lifecycle": hook});
    let s = spec(json!({
        "restartPolicy": "Never",
        "initContainers": [side("restartable-init-1"), side("restartable-init-2"), side("restartable-init-3")],
        "containers": [c("regular-1")]
    }));
    let stops = termination::stops(&s, 30, true);
    for n in [
        "restartable-init-1",
        "restartable-init-2",
        "restartable-init-3",
    ] {
        let st = stop(&stops, n);
        assert!(st.pre_stop.is_some(), "{n}");
        // Every hook starts at the pod's termination, not after the main containers.
        assert_eq!(st.pre_stop_end.unwrap().0, 0, "{n}");
    }
}

/// The same answers reach the analysis: `lifecycle.status`, `status_at`, `completes` and each
/// scenario's statuses. "should not launch regular containers if an init container fails", read
/// from a manifest.
#[test]
fn the_analysis_carries_the_statuses_of_the_start_and_of_every_what_if() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: initcontainer-test-pod-failure}\nspec:\n  restartPolicy: Never\n  initContainers:\n  - {name: init-1, image: busybox}\n  containers:\n  - {name: regular-1, image: busybox}\n";
    let a = podlab_engine::analyze_text("t.yaml", yaml, &podlab_engine::Options::default());
    let l = &a.workloads[0].lifecycle;
    assert_eq!(l.status_at(0).unwrap().status, "Init:0/1");
    assert_eq!(l.status_at(1).unwrap().status, "Running");
    assert_eq!(l.completes, Some(true));
    let never = l
        .scenarios
        .iter()
        .find(|s| s.id == "init-fails-never")
        .unwrap();
    let last = never.status.last().unwrap();
    assert_eq!(
        (last.status.as_str(), last.phase),
        ("Init:Error", PodPhase::Failed)
    );
    assert!(!never
        .events
        .iter()
        .any(|e| e.container.as_deref() == Some("regular-1")));
}

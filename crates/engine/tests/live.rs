//! Live pods: a Pod that carries a `status`, written as `kubectl get pod -o yaml` prints it, gets
//! `live`: the `kubectl get pod` columns (the printPod port), the container that holds it back,
//! each container's state, findings, and the requests the scheduler counts now.
//!
//! Where each status shape comes from is said above each test: the kubelet and scheduler code
//! that writes it, and upstream tests that assert it.

use podlab_engine::{analyze_text, ContainerState, KubeVersion, Options, Workload};

fn workload(yaml: &str) -> Workload {
    let a = analyze_text("pod.yaml", yaml, &Options::default());
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    assert_eq!(a.workloads.len(), 1);
    a.workloads.into_iter().next().unwrap()
}

fn rules(w: &Workload) -> Vec<&str> {
    w.diagnostics
        .iter()
        .filter(|d| d.rule.starts_with("live-"))
        .map(|d| d.rule.as_str())
        .collect()
}

const SPEC: &str = "spec:
  initContainers:
  - name: migrate
    image: example/migrate:2.1
  - name: proxy
    image: envoyproxy/envoy:v1.30.1
    restartPolicy: Always
    startupProbe:
      httpGet: {path: /ready, port: 15021}
  containers:
  - name: app
    image: example/web:1.6.0
    resources:
      requests: {cpu: 250m, memory: 256Mi}
      limits: {memory: 512Mi}
    volumeMounts:
    - {name: cache, mountPath: /cache}
  volumes:
  - name: cache
    emptyDir: {medium: Memory}
";

fn pod(status: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-7d9c\n  namespace: shop\n{SPEC}status:\n{status}")
}

// kuberuntime_manager.go doBackOff writes the waiting reason CrashLoopBackOff and the message
// "back-off 5m0s restarting failed container=…"; printers_test.go TestPrintPod
// "Init:CrashLoopBackOff" shows the column.
const INIT_CRASH: &str = "  conditions:
  - {lastProbeTime: null, lastTransitionTime: \"2026-11-30T08:00:00Z\", message: 'containers with incomplete status: [migrate proxy]', reason: ContainersNotInitialized, status: \"False\", type: Initialized}
  - {lastProbeTime: null, lastTransitionTime: \"2026-11-30T08:00:00Z\", status: \"True\", type: PodScheduled}
  initContainerStatuses:
  - containerID: containerd://4f1c
    image: example/migrate:2.1
    imageID: example/migrate@sha256:4f1c
    lastState:
      terminated:
        containerID: containerd://4f1c
        exitCode: 1
        finishedAt: \"2026-11-30T08:04:10Z\"
        reason: Error
        startedAt: \"2026-11-30T08:04:09Z\"
    name: migrate
    ready: false
    restartCount: 5
    started: false
    state:
      waiting:
        message: back-off 2m40s restarting failed container=migrate pod=web-7d9c_shop(0b9e)
        reason: CrashLoopBackOff
  - image: envoyproxy/envoy:v1.30.1
    imageID: \"\"
    lastState: {}
    name: proxy
    ready: false
    restartCount: 0
    started: false
    state:
      waiting: {reason: PodInitializing}
  containerStatuses:
  - image: example/web:1.6.0
    imageID: \"\"
    lastState: {}
    name: app
    ready: false
    restartCount: 0
    started: false
    state:
      waiting: {reason: PodInitializing}
  phase: Pending
  qosClass: Burstable
  startTime: \"2026-11-30T08:00:00Z\"
";

#[test]
fn an_init_container_crash_looping_holds_the_pod_and_names_its_logs() {
    let w = workload(&pod(INIT_CRASH));
    let l = w.live.as_ref().unwrap();
    assert_eq!(
        (l.status.as_str(), l.ready.as_str(), l.restarts),
        ("Init:CrashLoopBackOff", "0/2", 5)
    );
    assert_eq!(l.phase, "Pending");
    assert_eq!(l.blocked_by.as_deref(), Some("migrate"));
    assert_eq!(rules(&w), ["live-init-failing"]);
    let d = w
        .diagnostics
        .iter()
        .find(|d| d.rule == "live-init-failing")
        .unwrap();
    assert!(d.message.contains("exit code 1 (Error)"), "{}", d.message);
    assert!(
        d.message
            .contains("kubectl logs web-7d9c -n shop -c migrate --previous"),
        "{}",
        d.message
    );
    // The line of migrate's entry in initContainerStatuses.
    assert_eq!(d.line, 31);
    assert!(l
        .commands
        .contains(&"kubectl logs web-7d9c -n shop -c migrate --previous".to_string()));
    let m = &l.containers[0];
    assert!(m.holds_pod_back);
    assert_eq!(m.restarts, 5);
    assert_eq!(m.last_termination.as_ref().unwrap().exit_code, 1);
    assert_eq!(m.reason.as_deref(), Some("CrashLoopBackOff"));
    assert!(!l.containers[1].holds_pod_back);
}

// A sidecar whose startupProbe fails is killed and restarted (prober_manager, kuberuntime
// computeInitContainerActions); e2e container_lifecycle_test.go "should restart a sidecar
// whose startup probe fails" shows started: false while it runs.
#[test]
fn a_sidecar_failing_its_startup_probe_holds_the_app_back() {
    let status = "  initContainerStatuses:
  - containerID: containerd://aa
    image: example/migrate:2.1
    imageID: x
    lastState: {}
    name: migrate
    ready: false
    restartCount: 0
    started: false
    state:
      terminated: {containerID: containerd://aa, exitCode: 0, finishedAt: \"2026-11-30T08:00:05Z\", reason: Completed, startedAt: \"2026-11-30T08:00:01Z\"}
  - containerID: containerd://bb
    image: envoyproxy/envoy:v1.30.1
    imageID: x
    lastState:
      terminated: {containerID: containerd://b0, exitCode: 137, finishedAt: \"2026-11-30T08:01:05Z\", reason: Error, startedAt: \"2026-11-30T08:00:06Z\"}
    name: proxy
    ready: false
    restartCount: 2
    started: false
    state:
      running: {startedAt: \"2026-11-30T08:01:06Z\"}
  containerStatuses:
  - {image: example/web:1.6.0, imageID: \"\", lastState: {}, name: app, ready: false, restartCount: 0, started: false, state: {waiting: {reason: PodInitializing}}}
  phase: Pending
";
    let w = workload(&pod(status));
    let l = w.live.as_ref().unwrap();
    assert_eq!(
        (l.status.as_str(), l.ready.as_str(), l.restarts),
        ("Init:1/2", "0/2", 2)
    );
    assert_eq!(l.blocked_by.as_deref(), Some("proxy"));
    assert_eq!(rules(&w), ["live-startup-probe-failing"]);
    assert_eq!(l.containers[1].state, ContainerState::Running);
    assert_eq!(
        l.containers[1].last_termination.as_ref().unwrap().exit_code,
        137
    );
}

// getPhase (kubelet_pods.go) keeps the pod Running while any entry of containers runs; printPod
// shows NotReady for a Completed container beside a running one without the Ready condition.
#[test]
fn a_classic_helper_keeps_a_finished_jobs_pod_running() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: report-x7k2p
  namespace: batch
  ownerReferences:
  - {apiVersion: batch/v1, kind: Job, name: report, uid: 1a2b, controller: true, blockOwnerDeletion: true}
spec:
  restartPolicy: Never
  containers:
  - name: report
    image: example/report:3.0
  - name: cloud-sql-proxy
    image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0
    args: [--port=5432, project:region:db]
status:
  conditions:
  - {lastProbeTime: null, lastTransitionTime: \"2026-11-30T08:10:00Z\", reason: PodCompleted, status: \"False\", type: Ready}
  containerStatuses:
  - containerID: containerd://p
    image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0
    imageID: x
    lastState: {}
    name: cloud-sql-proxy
    ready: true
    restartCount: 0
    started: true
    state:
      running: {startedAt: \"2026-11-30T08:00:00Z\"}
  - containerID: containerd://r
    image: example/report:3.0
    imageID: x
    lastState: {}
    name: report
    ready: false
    restartCount: 0
    started: false
    state:
      terminated: {containerID: containerd://r, exitCode: 0, finishedAt: \"2026-11-30T08:10:00Z\", reason: Completed, startedAt: \"2026-11-30T08:00:01Z\"}
  phase: Running
";
    let w = workload(yaml);
    let l = w.live.as_ref().unwrap();
    assert_eq!((l.status.as_str(), l.ready.as_str()), ("NotReady", "1/2"));
    assert_eq!(l.blocked_by.as_deref(), Some("cloud-sql-proxy"));
    assert_eq!(rules(&w), ["live-helper-blocks-completion"]);
    assert_eq!(l.containers[0].exit_code, Some(0));
}

// The runtime reports OOMKilled with exit code 137 (kuberuntime_container.go
// toKubeContainerStatus); the kubelet keeps it as lastState after the restart.
#[test]
fn an_oom_killed_app_names_its_limit_and_the_memory_volume_it_writes() {
    let status = "  initContainerStatuses:
  - {containerID: containerd://a, image: example/migrate:2.1, imageID: x, lastState: {}, name: migrate, ready: false, restartCount: 0, started: false,
     state: {terminated: {containerID: containerd://a, exitCode: 0, finishedAt: \"2026-11-30T08:00:05Z\", reason: Completed, startedAt: \"2026-11-30T08:00:01Z\"}}}
  - {containerID: containerd://b, image: envoyproxy/envoy:v1.30.1, imageID: x, lastState: {}, name: proxy, ready: true, restartCount: 0, started: true, state: {running: {startedAt: \"2026-11-30T08:00:06Z\"}}}
  containerStatuses:
  - containerID: containerd://c
    image: example/web:1.6.0
    imageID: x
    lastState:
      terminated: {containerID: containerd://c0, exitCode: 137, finishedAt: \"2026-11-30T09:12:44Z\", reason: OOMKilled, startedAt: \"2026-11-30T08:00:07Z\"}
    name: app
    ready: true
    restartCount: 3
    started: true
    state:
      running: {startedAt: \"2026-11-30T09:12:45Z\"}
  phase: Running
";
    let w = workload(&pod(status));
    let l = w.live.as_ref().unwrap();
    assert_eq!(
        (l.status.as_str(), l.ready.as_str(), l.restarts),
        ("Running", "2/2", 3)
    );
    assert_eq!(l.blocked_by, None);
    assert_eq!(rules(&w), ["live-oom-killed"]);
    let d = w
        .diagnostics
        .iter()
        .find(|d| d.rule == "live-oom-killed")
        .unwrap();
    assert!(d.message.contains("memory limit of 512Mi"), "{}", d.message);
    assert!(
        d.message.contains("emptyDir 'cache' at /cache"),
        "{}",
        d.message
    );
    let app = &l.containers[2];
    assert_eq!(
        app.last_termination.as_ref().unwrap().reason.as_deref(),
        Some("OOMKilled")
    );
}

// pkg/kubelet/images/image_manager.go: ErrImagePull, then ImagePullBackOff with "Back-off pulling
// image …"; printers_test.go shows the waiting reason as STATUS.
#[test]
fn an_image_pull_failure_is_the_status_and_a_finding() {
    let status = "  initContainerStatuses:
  - {containerID: containerd://a, image: example/migrate:2.1, imageID: x, lastState: {}, name: migrate, ready: false, restartCount: 0, started: false,
     state: {terminated: {containerID: containerd://a, exitCode: 0, finishedAt: \"2026-11-30T08:00:05Z\", reason: Completed, startedAt: \"2026-11-30T08:00:01Z\"}}}
  - {containerID: containerd://b, image: envoyproxy/envoy:v1.30.1, imageID: x, lastState: {}, name: proxy, ready: true, restartCount: 0, started: true, state: {running: {startedAt: \"2026-11-30T08:00:06Z\"}}}
  containerStatuses:
  - image: example/web:1.6.0
    imageID: \"\"
    lastState: {}
    name: app
    ready: false
    restartCount: 0
    started: false
    state:
      waiting:
        message: Back-off pulling image \"example/web:1.6.0\"
        reason: ImagePullBackOff
  phase: Pending
";
    let w = workload(&pod(status));
    let l = w.live.as_ref().unwrap();
    assert_eq!(
        (l.status.as_str(), l.ready.as_str()),
        ("ImagePullBackOff", "1/2")
    );
    assert_eq!(l.blocked_by.as_deref(), Some("app"));
    assert_eq!(rules(&w), ["live-image-pull"]);
}

// pkg/scheduler/schedule_one.go handleSchedulingFailure: PodScheduled False, reason
// Unschedulable, message "0/N nodes are available: …".
#[test]
fn an_unschedulable_pod_says_why_from_its_condition() {
    let status = "  conditions:
  - lastProbeTime: null
    lastTransitionTime: \"2026-11-30T08:00:00Z\"
    message: '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.'
    reason: Unschedulable
    status: \"False\"
    type: PodScheduled
  phase: Pending
  qosClass: Burstable
";
    let w = workload(&pod(status));
    let l = w.live.as_ref().unwrap();
    assert_eq!(
        (l.status.as_str(), l.ready.as_str(), l.restarts),
        ("Pending", "0/2", 0)
    );
    assert_eq!(l.blocked_by, None);
    assert_eq!(rules(&w), ["live-unschedulable"]);
    assert!(
        l.explanation[0].contains("3 Insufficient cpu"),
        "{:?}",
        l.explanation
    );
}

// pkg/kubelet/eviction/eviction_manager.go: phase Failed, reason Evicted, message from
// helpers.go evictionMessage ("The node was low on resource: memory. …").
#[test]
fn an_evicted_pod_is_failed_for_good() {
    let status = "  message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 42Mi. Container app was using 1Gi, request is 256Mi, has larger consumption of memory. '
  phase: Failed
  reason: Evicted
  startTime: \"2026-11-30T08:00:00Z\"
";
    let w = workload(&pod(status));
    let l = w.live.as_ref().unwrap();
    assert_eq!((l.status.as_str(), l.phase.as_str()), ("Evicted", "Failed"));
    assert_eq!(rules(&w), ["live-evicted"]);
}

// metadata.deletionTimestamp marks the end of the grace period (registry/core/pod strategy
// CheckGracefulDelete); printPod shows Terminating; a finalizer keeps the object past it.
#[test]
fn a_pod_terminating_past_its_grace_period_says_what_holds_it() {
    let yaml = pod("  containerStatuses:
  - containerID: containerd://c
    image: example/web:1.6.0
    imageID: x
    lastState: {}
    name: app
    ready: true
    restartCount: 0
    started: true
    state:
      running: {startedAt: \"2026-11-30T08:05:00Z\"}
  conditions:
  - {lastProbeTime: null, lastTransitionTime: \"2026-11-30T08:06:00Z\", status: \"True\", type: Ready}
  phase: Running
")
    .replace(
        "  namespace: shop\n",
        "  namespace: shop\n  deletionTimestamp: \"2026-11-30T08:05:30Z\"\n  deletionGracePeriodSeconds: 30\n  finalizers: [example.com/drain]\n",
    );
    let w = workload(&yaml);
    let l = w.live.as_ref().unwrap();
    assert_eq!(l.status, "Terminating");
    assert_eq!(l.blocked_by.as_deref(), Some("app"));
    let d = w
        .diagnostics
        .iter()
        .find(|d| d.rule == "live-terminating")
        .unwrap();
    assert_eq!(d.severity, podlab_engine::Severity::Warning);
    assert!(d.message.contains("past its grace period"), "{}", d.message);
    assert!(d.message.contains("example.com/drain"), "{}", d.message);
}

// component-helpers resource/helpers.go PodRequests with UseStatusResources: a container counts
// max(spec, status.resources, allocatedResources) (determineContainerReqs); helpers_test.go
// TestPodResourceRequests "resized, infeasible" / "resized, in progress" cases.
#[test]
fn a_resize_in_progress_counts_the_larger_of_spec_allocated_and_actual() {
    let status = "  conditions:
  - {lastProbeTime: null, lastTransitionTime: \"2026-11-30T08:00:00Z\", status: \"True\", type: PodResizeInProgress}
  initContainerStatuses:
  - {containerID: containerd://a, image: example/migrate:2.1, imageID: x, lastState: {}, name: migrate, ready: false, restartCount: 0, started: false,
     state: {terminated: {containerID: containerd://a, exitCode: 0, finishedAt: \"2026-11-30T08:00:05Z\", reason: Completed, startedAt: \"2026-11-30T08:00:01Z\"}}}
  - {containerID: containerd://b, image: envoyproxy/envoy:v1.30.1, imageID: x, lastState: {}, name: proxy, ready: true, restartCount: 0, started: true, state: {running: {startedAt: \"2026-11-30T08:00:06Z\"}}}
  containerStatuses:
  - allocatedResources: {cpu: 500m, memory: 256Mi}
    containerID: containerd://c
    image: example/web:1.6.0
    imageID: x
    lastState: {}
    name: app
    ready: true
    resources:
      requests: {cpu: 250m, memory: 256Mi}
      limits: {memory: 512Mi}
    restartCount: 0
    started: true
    state:
      running: {startedAt: \"2026-11-30T08:00:07Z\"}
  phase: Running
";
    let w = workload(&pod(status));
    let l = w.live.as_ref().unwrap();
    assert_eq!(w.resources.requests["cpu"].quantity, "250m");
    assert_eq!(l.resources.requests["cpu"].quantity, "500m");
    assert_eq!(l.resources.requests["memory"].quantity, "256Mi");
    assert!(l
        .resources
        .resize
        .as_deref()
        .unwrap()
        .starts_with("PodResizeInProgress"));
    assert!(l.resources.differences[0].contains("'app' cpu: the spec asks 250m, the kubelet reports 500m allocated and 250m running; the scheduler counts 500m"), "{:?}", l.resources.differences);
    // Before 1.33 the scheduler reads the spec alone.
    let old = analyze_text(
        "pod.yaml",
        &pod(status),
        &Options {
            kubernetes_version: KubeVersion::new(32),
            ..Options::default()
        },
    );
    let old = old.workloads[0].live.as_ref().unwrap();
    assert_eq!(old.resources.requests["cpu"].quantity, "250m");
}

#[test]
fn a_healthy_pod_says_so_and_has_no_live_finding() {
    let status = "  initContainerStatuses:
  - {containerID: containerd://a, image: example/migrate:2.1, imageID: x, lastState: {}, name: migrate, ready: false, restartCount: 0, started: false,
     state: {terminated: {containerID: containerd://a, exitCode: 0, finishedAt: \"2026-11-30T08:00:05Z\", reason: Completed, startedAt: \"2026-11-30T08:00:01Z\"}}}
  - {containerID: containerd://b, image: envoyproxy/envoy:v1.30.1, imageID: x, lastState: {}, name: proxy, ready: true, restartCount: 0, started: true, state: {running: {startedAt: \"2026-11-30T08:00:06Z\"}}}
  containerStatuses:
  - {containerID: containerd://c, image: example/web:1.6.0, imageID: x, lastState: {}, name: app, ready: true, restartCount: 0, started: true, state: {running: {startedAt: \"2026-11-30T08:00:07Z\"}}}
  phase: Running
";
    let w = workload(&pod(status));
    let l = w.live.as_ref().unwrap();
    assert_eq!(
        (l.status.as_str(), l.ready.as_str(), l.restarts),
        ("Running", "2/2", 0)
    );
    assert!(rules(&w).is_empty(), "{:?}", rules(&w));
    assert_eq!(l.blocked_by, None);
    assert_eq!(
        l.explanation,
        ["Every container is where it should be: 2/2 ready."]
    );
}

#[test]
fn a_pod_without_status_or_with_an_empty_one_is_not_live() {
    assert!(workload(&format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: a}}\n{SPEC}"
    ))
    .live
    .is_none());
    assert!(
        workload(&pod("  {}\n").replace("status:\n  {}", "status: {}"))
            .live
            .is_none()
    );
}

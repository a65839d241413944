//! QoS class and API defaulting, through the manifest reader as a user would meet them.
//! Upstream: pkg/apis/core/v1/helper/qos/qos.go ComputePodQOS; pkg/apis/core/v1/defaults.go.

use podlab_engine::{analyze_text, KubeVersion, Options, QosClass};

fn pod(spec: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{spec}")
}

fn analyse(spec: &str, version: u32) -> podlab_engine::Workload {
    let a = analyze_text(
        "p.yaml",
        &pod(spec),
        &Options {
            kubernetes_version: KubeVersion::new(version),
            ..Default::default()
        },
    );
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    a.workloads.into_iter().next().unwrap()
}

#[test]
fn limits_alone_are_copied_into_requests_so_the_pod_is_guaranteed() {
    let w = analyse("  containers:\n  - {name: a, image: \"x:1\", resources: {limits: {cpu: 500m, memory: 128Mi}}}\n", 37);
    assert_eq!(w.resources.qos, QosClass::Guaranteed);
    assert_eq!(w.resources.requests["cpu"].quantity, "500m");
    assert_eq!(w.containers[0].requests["memory"].quantity, "128Mi");
}

#[test]
fn an_init_container_without_resources_makes_a_guaranteed_pod_burstable() {
    let w = analyse(
        "  initContainers:\n  - {name: i, image: \"x:1\"}\n  containers:\n  - {name: a, image: \"x:1\", resources: {limits: {cpu: 1, memory: 1Gi}}}\n",
        37,
    );
    assert_eq!(w.resources.qos, QosClass::Burstable);
}

#[test]
fn a_sidecar_counts_for_qos_like_any_container() {
    let w = analyse(
        "  initContainers:\n  - {name: s, image: \"x:1\", restartPolicy: Always, resources: {limits: {cpu: 100m, memory: 64Mi}}}\n  containers:\n  - {name: a, image: \"x:1\", resources: {limits: {cpu: 1, memory: 1Gi}}}\n",
        37,
    );
    assert_eq!(w.resources.qos, QosClass::Guaranteed);
}

#[test]
fn no_resources_anywhere_is_best_effort() {
    let w = analyse("  containers:\n  - {name: a, image: \"x:1\"}\n", 37);
    assert_eq!(w.resources.qos, QosClass::BestEffort);
    assert!(w.resources.requests.is_empty());
}

#[test]
fn explicit_zero_requests_count_as_absent_for_qos() {
    let w = analyse(
        "  containers:\n  - {name: a, image: \"x:1\", resources: {requests: {cpu: \"0\"}}}\n",
        37,
    );
    assert_eq!(w.resources.qos, QosClass::BestEffort);
    // but the explicit key is kept in the effective requests, as upstream keeps it
    assert_eq!(w.resources.requests["cpu"].milli, 0);
}

#[test]
fn values_are_rounded_up_to_milli_precision() {
    let w = analyse(
        "  containers:\n  - {name: a, image: \"x:1\", resources: {requests: {cpu: 100u}}}\n",
        37,
    );
    assert_eq!(w.resources.requests["cpu"].quantity, "1m");
}

#[test]
fn pod_level_resources_decide_qos_and_requests_from_1_34() {
    let spec = "  resources: {limits: {cpu: 2, memory: 2Gi}}\n  containers:\n  - {name: a, image: \"x:1\", resources: {requests: {cpu: 500m, memory: 256Mi}}}\n";
    let w = analyse(spec, 34);
    // defaultPodRequests: cpu and memory from the containers' aggregate
    assert_eq!(w.resources.requests["cpu"].quantity, "500m");
    assert_eq!(w.resources.limits["memory"].quantity, "2Gi");
    assert_eq!(w.resources.qos, QosClass::Burstable);
    // before 1.34 the gate is off: the API server drops spec.resources
    let old = analyse(spec, 33);
    assert!(!old.resources.limits.contains_key("cpu"));
}

#[test]
fn pod_level_limits_alone_make_pod_level_requests_equal_so_guaranteed() {
    let w = analyse("  resources: {limits: {cpu: 1, memory: 1Gi}}\n  containers:\n  - {name: a, image: \"x:1\"}\n", 37);
    assert_eq!(w.resources.qos, QosClass::Guaranteed);
    assert_eq!(w.resources.requests["memory"].quantity, "1Gi");
}

#[test]
fn empty_pod_level_resources_stopped_deciding_qos_in_1_36() {
    let spec = "  resources: {}\n  containers:\n  - {name: a, image: \"x:1\", resources: {limits: {cpu: 1, memory: 1Gi}}}\n";
    assert_eq!(
        analyse(spec, 35).resources.qos,
        QosClass::BestEffort,
        "kubernetes issue #135082"
    );
    assert_eq!(
        analyse(spec, 36).resources.qos,
        QosClass::Guaranteed,
        "fixed by PR #137150"
    );
}

#[test]
fn overhead_is_added_to_requests_and_to_set_limits_only() {
    let w = analyse(
        "  overhead: {cpu: 250m, memory: 120Mi}\n  containers:\n  - {name: a, image: \"x:1\", resources: {requests: {cpu: 1, memory: 1Gi}, limits: {cpu: 2}}}\n",
        37,
    );
    assert_eq!(w.resources.requests["cpu"].quantity, "1250m");
    assert_eq!(w.resources.requests["memory"].quantity, "1144Mi");
    assert_eq!(w.resources.limits["cpu"].quantity, "2250m");
    assert!(!w.resources.limits.contains_key("memory"));
}

#[test]
fn totals_multiply_by_replicas_and_by_the_autoscaler_maximum() {
    let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - {name: web, image: \"x:1\", resources: {requests: {cpu: 250m, memory: 100Mi}}}\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 3\n  maxReplicas: 10\n  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}\n";
    let a = analyze_text("d.yaml", yaml, &Options::default());
    let w = &a.workloads[0];
    assert_eq!(
        w.resources.total_requests.as_ref().unwrap()["cpu"].quantity,
        "750m"
    );
    assert_eq!(
        w.resources.max_total_requests.as_ref().unwrap()["memory"].quantity,
        "1000Mi"
    );
    assert_eq!(w.autoscaler.as_ref().unwrap().max_replicas, 10);
    // one container: the pod average is the app's, so no hpa-resource-metric finding
    assert!(w
        .diagnostics
        .iter()
        .all(|d| d.rule != "hpa-resource-metric"));
}

//! Spec-only cases of kubernetes `staging/src/k8s.io/component-helpers/resource/helpers_test.go`,
//! ported as tables. Upstream calls the helpers on raw pods (no API defaulting), and so do these
//! tests: the inputs are built directly, without the requests-from-limits copy.
//! Cases that need pod status (in-place resize) or non-default options other than
//! ExcludeOverhead are left out: a manifest has no status.

use podlab_engine::quantity::Quantity;
use podlab_engine::resources::{
    aggregate, is_supported_pod_level, pod_limits, pod_requests, ContainerResources, Field, List,
    PodResources,
};

fn list(pairs: &[(&str, &str)]) -> List {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Quantity::parse(v).unwrap()))
        .collect()
}

fn container(req: &[(&str, &str)], lim: &[(&str, &str)]) -> ContainerResources {
    ContainerResources {
        name: "c".into(),
        restartable: false,
        init: false,
        requests: list(req),
        limits: list(lim),
    }
}

fn init(req: &[(&str, &str)], lim: &[(&str, &str)]) -> ContainerResources {
    ContainerResources {
        init: true,
        ..container(req, lim)
    }
}

fn sidecar(req: &[(&str, &str)], lim: &[(&str, &str)]) -> ContainerResources {
    ContainerResources {
        init: true,
        restartable: true,
        ..container(req, lim)
    }
}

fn pod(
    init_containers: Vec<ContainerResources>,
    containers: Vec<ContainerResources>,
    overhead: &[(&str, &str)],
) -> PodResources {
    PodResources {
        init_containers,
        containers,
        overhead: list(overhead),
        ..Default::default()
    }
}

/// equality.Semantic.DeepEqual on ResourceLists: same keys, values equal by Cmp.
fn assert_same(got: &List, want: &[(&str, &str)], case: &str) {
    let want = list(want);
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "{case}: keys"
    );
    for (k, v) in &want {
        assert_eq!(
            got[k],
            *v,
            "{case}: {k} is {} not {}",
            got[k].canonical(),
            v.canonical()
        );
    }
}

/// getPod(): the same resources on one container and one init container, plus overhead.
fn get_pod(
    cpu_req: &str,
    cpu_lim: &str,
    mem_req: &str,
    mem_lim: &str,
    cpu_oh: &str,
    mem_oh: &str,
) -> PodResources {
    let pick = |pairs: [(&'static str, &str); 2]| -> Vec<(&'static str, String)> {
        pairs
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k, v.to_string()))
            .collect()
    };
    let req = pick([("cpu", cpu_req), ("memory", mem_req)]);
    let lim = pick([("cpu", cpu_lim), ("memory", mem_lim)]);
    let oh = pick([("cpu", cpu_oh), ("memory", mem_oh)]);
    let as_ref = |v: &Vec<(&'static str, String)>| {
        v.iter().map(|(k, q)| (*k, q.clone())).collect::<Vec<_>>()
    };
    let r = as_ref(&req);
    let l = as_ref(&lim);
    let o = as_ref(&oh);
    let r: Vec<(&str, &str)> = r.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let l: Vec<(&str, &str)> = l.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let o: Vec<(&str, &str)> = o.iter().map(|(k, v)| (*k, v.as_str())).collect();
    pod(vec![init(&r, &l)], vec![container(&r, &l)], &o)
}

#[test]
fn test_pod_requests_and_limits() {
    type Case<'a> = (
        &'a str,
        PodResources,
        Vec<(&'a str, &'a str)>,
        Vec<(&'a str, &'a str)>,
    );
    let cases: Vec<Case> = vec![
        (
            "just-limit-no-overhead",
            get_pod("", "9", "", "", "", ""),
            vec![],
            vec![("cpu", "9")],
        ),
        (
            "just-overhead",
            get_pod("", "", "", "", "5", "5"),
            vec![("cpu", "5"), ("memory", "5")],
            vec![],
        ),
        (
            "req-and-overhead",
            get_pod("1", "", "10", "", "5", "5"),
            vec![("cpu", "6"), ("memory", "15")],
            vec![],
        ),
        (
            "all-req-lim-and-overhead",
            get_pod("1", "2", "10", "12", "5", "5"),
            vec![("cpu", "6"), ("memory", "15")],
            vec![("cpu", "7"), ("memory", "17")],
        ),
        (
            "req-some-lim-and-overhead",
            get_pod("1", "2", "10", "", "5", "5"),
            vec![("cpu", "6"), ("memory", "15")],
            vec![("cpu", "7")],
        ),
    ];
    for (name, p, req, lim) in cases {
        assert_same(&pod_requests(&p), &req, name);
        assert_same(&pod_limits(&p), &lim, name);
    }
}

#[test]
fn test_pod_requests_and_limits_without_overhead() {
    let two = || {
        vec![
            container(
                &[("cpu", "1"), ("memory", "5")],
                &[("cpu", "2"), ("memory", "10")],
            ),
            container(
                &[("cpu", "4"), ("memory", "12")],
                &[("cpu", "8"), ("memory", "24")],
            ),
        ]
    };
    let cases = vec![
        (
            "two container no overhead - should just be sum of containers",
            pod(vec![], two(), &[]),
            vec![("cpu", "5"), ("memory", "17")],
            vec![("cpu", "10"), ("memory", "34")],
        ),
        (
            "two container with overhead - shouldn't consider overhead",
            pod(vec![], two(), &[("cpu", "3"), ("memory", "8")]),
            vec![("cpu", "5"), ("memory", "17")],
            vec![("cpu", "10"), ("memory", "34")],
        ),
        (
            "two container with overhead, massive init - should just be the largest init",
            pod(
                vec![
                    init(
                        &[("cpu", "1"), ("memory", "5")],
                        &[("cpu", "1"), ("memory", "5")],
                    ),
                    init(
                        &[("cpu", "40"), ("memory", "120")],
                        &[("cpu", "80"), ("memory", "240")],
                    ),
                ],
                two(),
                &[("cpu", "3"), ("memory", "8")],
            ),
            vec![("cpu", "40"), ("memory", "120")],
            vec![("cpu", "80"), ("memory", "240")],
        ),
    ];
    for (name, p, req, lim) in cases {
        // ExcludeOverhead: the container aggregation alone
        assert_same(&aggregate(&p, Field::Requests).total, &req, name);
        assert_same(&aggregate(&p, Field::Limits).total, &lim, name);
    }
}

/// A named case: the pod's resources and the expected totals, as upstream's tables write them.
type Case = (
    &'static str,
    PodResources,
    Vec<(&'static str, &'static str)>,
);

/// The same with two expected totals (requests and limits).
type Case2 = (
    &'static str,
    PodResources,
    Vec<(&'static str, &'static str)>,
    Vec<(&'static str, &'static str)>,
);

#[test]
fn test_pod_resource_requests() {
    let cases: Vec<Case> = vec![
        (
            "nil options, larger init container",
            pod(
                vec![init(&[("cpu", "4")], &[])],
                vec![container(&[("cpu", "1")], &[])],
                &[],
            ),
            vec![("cpu", "4")],
        ),
        (
            "nil options, larger containers",
            pod(
                vec![init(&[("cpu", "2")], &[])],
                vec![
                    container(&[("cpu", "2")], &[]),
                    container(&[("cpu", "3")], &[]),
                ],
                &[],
            ),
            vec![("cpu", "5")],
        ),
        (
            "pod overhead included",
            pod(
                vec![init(&[("cpu", "2")], &[("cpu", "2")])],
                vec![
                    container(&[("cpu", "2")], &[]),
                    container(&[("cpu", "3")], &[]),
                ],
                &[("cpu", "1"), ("memory", "1Gi")],
            ),
            vec![("cpu", "6"), ("memory", "1Gi")],
        ),
        (
            "resized, infeasible, but don't use status",
            pod(vec![], vec![container(&[("cpu", "4")], &[])], &[]),
            vec![("cpu", "4")],
        ),
        (
            "resized, restartable init container, infeasible, but don't use status",
            pod(vec![sidecar(&[("cpu", "4")], &[])], vec![], &[]),
            vec![("cpu", "4")],
        ),
        (
            "restartable init container",
            pod(
                vec![sidecar(&[("cpu", "1")], &[])],
                vec![container(&[("cpu", "1")], &[])],
                &[],
            ),
            vec![("cpu", "2")],
        ),
        (
            "multiple restartable init containers",
            pod(
                vec![
                    init(&[("cpu", "5")], &[]),
                    sidecar(&[("cpu", "1")], &[]),
                    sidecar(&[("cpu", "2")], &[]),
                    sidecar(&[("cpu", "3")], &[]),
                ],
                vec![container(&[("cpu", "1")], &[])],
                &[],
            ),
            vec![("cpu", "7")],
        ),
        (
            "multiple restartable and regular init containers",
            pod(
                vec![
                    init(&[("cpu", "5")], &[]),
                    sidecar(&[("cpu", "1")], &[]),
                    sidecar(&[("cpu", "2")], &[]),
                    init(&[("cpu", "5")], &[]),
                    sidecar(&[("cpu", "3")], &[]),
                ],
                vec![container(&[("cpu", "1")], &[])],
                &[],
            ),
            vec![("cpu", "8")],
        ),
        (
            "restartable-init, init and regular",
            pod(
                vec![sidecar(&[("cpu", "10")], &[]), init(&[("cpu", "200")], &[])],
                vec![container(&[("cpu", "100")], &[])],
                &[],
            ),
            vec![("cpu", "210")],
        ),
    ];
    for (name, p, want) in cases {
        assert_same(&pod_requests(&p), &want, name);
    }
}

#[test]
fn test_pod_resource_limits() {
    let cases: Vec<Case> = vec![
        ("nil options, larger init container", pod(vec![init(&[], &[("cpu", "4")])], vec![container(&[], &[("cpu", "1")])], &[]), vec![("cpu", "4")]),
        ("nil options, larger containers", pod(vec![init(&[], &[("cpu", "2")])], vec![container(&[], &[("cpu", "2")]), container(&[], &[("cpu", "3")])], &[]), vec![("cpu", "5")]),
        (
            "pod overhead included",
            pod(vec![init(&[], &[("cpu", "2")])], vec![container(&[], &[("cpu", "2")]), container(&[], &[("cpu", "3")])], &[("cpu", "1"), ("memory", "1Gi")]),
            // overhead is only added to non-zero limits, so there will be no expected memory limit
            vec![("cpu", "6")],
        ),
        ("no limited containers should result in no limits for the pod", pod(vec![], vec![container(&[], &[])], &[]), vec![]),
        (
            "one limited and one unlimited container should result in the limited container's limits for the pod",
            pod(vec![], vec![container(&[], &[("cpu", "2"), ("memory", "2Gi")]), container(&[], &[])], &[]),
            vec![("cpu", "2"), ("memory", "2Gi")],
        ),
        (
            "one limited and one unlimited init container should result in the limited init container's limits for the pod",
            pod(vec![init(&[], &[("cpu", "2"), ("memory", "2Gi")]), init(&[], &[])], vec![container(&[], &[("cpu", "1"), ("memory", "1Gi")])], &[]),
            vec![("cpu", "2"), ("memory", "2Gi")],
        ),
        ("restartable init container", pod(vec![sidecar(&[], &[("cpu", "1")])], vec![container(&[], &[("cpu", "1")])], &[]), vec![("cpu", "2")]),
        (
            "multiple restartable init containers",
            pod(vec![init(&[], &[("cpu", "5")]), sidecar(&[], &[("cpu", "1")]), sidecar(&[], &[("cpu", "2")]), sidecar(&[], &[("cpu", "3")])], vec![container(&[], &[("cpu", "1")])], &[]),
            vec![("cpu", "7")],
        ),
        (
            "multiple restartable and regular init containers",
            pod(
                vec![init(&[], &[("cpu", "5")]), sidecar(&[], &[("cpu", "1")]), sidecar(&[], &[("cpu", "2")]), init(&[], &[("cpu", "5")]), sidecar(&[], &[("cpu", "3")])],
                vec![container(&[], &[("cpu", "1")])],
                &[],
            ),
            vec![("cpu", "8")],
        ),
        ("restartable-init, init and regular", pod(vec![sidecar(&[], &[("cpu", "10")]), init(&[], &[("cpu", "200")])], vec![container(&[], &[("cpu", "100")])], &[]), vec![("cpu", "210")]),
        ("pod scaled down, don't use status", pod(vec![], vec![container(&[], &[("memory", "1Gi")])], &[]), vec![("memory", "1Gi")]),
        ("pod scaled down with restartable init containers, don't use status", pod(vec![sidecar(&[], &[("memory", "1Gi")])], vec![], &[]), vec![("memory", "1Gi")]),
    ];
    for (name, p, want) in cases {
        assert_same(&pod_limits(&p), &want, name);
    }
}

#[test]
fn test_is_pod_level_resources_set() {
    // IsPodLevelResourcesSet: at least one supported resource in requests or limits
    let set = |req: &[(&str, &str)], lim: &[(&str, &str)]| {
        list(req)
            .keys()
            .chain(list(lim).keys())
            .any(|k| is_supported_pod_level(k))
    };
    assert!(!set(&[], &[]), "empty resources struct");
    assert!(
        !set(&[("ephemeral-storage", "1Mi")], &[]),
        "only unsupported resource requests set"
    );
    assert!(
        !set(&[], &[("ephemeral-storage", "1Mi")]),
        "only unsupported resource limits set"
    );
    assert!(
        set(&[("ephemeral-storage", "1Mi"), ("cpu", "1m")], &[]),
        "unsupported and supported resources requests set"
    );
    assert!(
        set(&[], &[("ephemeral-storage", "1Mi"), ("cpu", "1m")]),
        "unsupported and supported resources limits set"
    );
    assert!(is_supported_pod_level("hugepages-2Mi"));
    assert!(!is_supported_pod_level("storage"));
}

#[test]
fn test_pod_level_resource_requests() {
    let with_pod = |mut p: PodResources, req: &[(&str, &str)], lim: &[(&str, &str)]| {
        p.pod_requests = (!req.is_empty()).then(|| list(req));
        p.pod_limits = (!lim.is_empty()).then(|| list(lim));
        p.pod_resources_present = true;
        p
    };
    let c32 = || container(&[("memory", "3Mi"), ("cpu", "2m")], &[]);
    let cases: Vec<Case> = vec![
        ("nil", pod(vec![], vec![], &[]), vec![]),
        ("pod level memory resource", with_pod(pod(vec![], vec![], &[]), &[("memory", "2Mi")], &[]), vec![("memory", "2Mi")]),
        (
            "pod level memory and container level cpu resources",
            with_pod(pod(vec![], vec![container(&[("cpu", "2m")], &[])], &[]), &[("memory", "2Mi")], &[]),
            vec![("memory", "2Mi"), ("cpu", "2m")],
        ),
        (
            "pod level unsupported resources set at both pod-level and container-level",
            with_pod(pod(vec![], vec![container(&[("storage", "3Mi")], &[])], &[]), &[("storage", "2Mi")], &[]),
            vec![("storage", "3Mi")],
        ),
        (
            "pod level unsupported resources set at pod-level",
            with_pod(pod(vec![], vec![container(&[("memory", "3Mi")], &[])], &[]), &[("storage", "2Mi")], &[]),
            vec![("memory", "3Mi")],
        ),
        ("only container level resources set", pod(vec![], vec![c32()], &[]), vec![("memory", "3Mi"), ("cpu", "2m")]),
        (
            "both container-level and pod-level resources set",
            with_pod(pod(vec![], vec![c32()], &[]), &[("memory", "6Mi"), ("cpu", "8m")], &[]),
            vec![("memory", "6Mi"), ("cpu", "8m")],
        ),
        (
            "container-level resources and init container set",
            pod(vec![init(&[("memory", "5Mi"), ("cpu", "4m")], &[])], vec![c32()], &[]),
            vec![("memory", "5Mi"), ("cpu", "4m")],
        ),
        (
            "container-level resources and sidecar container set",
            pod(vec![sidecar(&[("memory", "5Mi"), ("cpu", "4m")], &[])], vec![c32()], &[]),
            vec![("memory", "8Mi"), ("cpu", "6m")],
        ),
        (
            "container-level resources, init and sidecar container set",
            pod(vec![sidecar(&[("memory", "5Mi"), ("cpu", "4m")], &[]), init(&[("memory", "6Mi"), ("cpu", "8m")], &[])], vec![c32()], &[]),
            vec![("memory", "11Mi"), ("cpu", "12m")],
        ),
        (
            "pod-level resources, container-level resources, init and sidecar container set",
            with_pod(pod(vec![sidecar(&[("memory", "5Mi"), ("cpu", "4m")], &[]), init(&[("memory", "6Mi"), ("cpu", "8m")], &[])], vec![c32()], &[]), &[("memory", "15Mi"), ("cpu", "18m")], &[]),
            vec![("memory", "15Mi"), ("cpu", "18m")],
        ),
        (
            "pod-level resources, hugepage request/limit single page size",
            with_pod(pod(vec![], vec![], &[]), &[("memory", "10Mi"), ("hugepages-2Mi", "2Mi")], &[("hugepages-2Mi", "2Mi")]),
            vec![("memory", "10Mi"), ("hugepages-2Mi", "2Mi")],
        ),
        (
            "pod-level resources, hugepage request/limit multiple page sizes",
            with_pod(pod(vec![], vec![], &[]), &[("cpu", "1"), ("hugepages-2Mi", "2Mi"), ("hugepages-1Gi", "1Gi")], &[("hugepages-2Mi", "2Mi"), ("hugepages-1Gi", "1Gi")]),
            vec![("cpu", "1"), ("hugepages-2Mi", "2Mi"), ("hugepages-1Gi", "1Gi")],
        ),
        (
            "pod-level resources, container-level resources, hugepage request/limit single page size",
            with_pod(pod(vec![], vec![container(&[("hugepages-2Mi", "6Mi")], &[("hugepages-2Mi", "6Mi")])], &[]), &[("cpu", "1"), ("hugepages-2Mi", "10Mi")], &[("hugepages-2Mi", "10Mi")]),
            vec![("cpu", "1"), ("hugepages-2Mi", "10Mi")],
        ),
        (
            "pod-level resources, container-level resources, hugepage request/limit multiple page sizes",
            with_pod(
                pod(vec![], vec![container(&[("cpu", "1"), ("hugepages-1Gi", "2Gi")], &[("hugepages-1Gi", "2Gi")])], &[]),
                &[("cpu", "1"), ("hugepages-2Mi", "10Mi"), ("hugepages-1Gi", "2Gi")],
                &[("hugepages-2Mi", "10Mi"), ("hugepages-1Gi", "2Gi")],
            ),
            vec![("cpu", "1"), ("hugepages-2Mi", "10Mi"), ("hugepages-1Gi", "2Gi")],
        ),
        (
            "pod-level resources, container-level resources, hugepage request/limit multiple page sizes between pod-level and container-level",
            with_pod(
                pod(vec![], vec![container(&[("memory", "4Mi"), ("hugepages-1Gi", "1Gi")], &[("hugepages-1Gi", "1Gi")])], &[]),
                &[("cpu", "1"), ("hugepages-2Mi", "10Mi")],
                &[("hugepages-2Mi", "10Mi")],
            ),
            vec![("cpu", "1"), ("memory", "4Mi"), ("hugepages-2Mi", "10Mi"), ("hugepages-1Gi", "1Gi")],
        ),
    ];
    for (name, p, want) in cases {
        assert_same(&pod_requests(&p), &want, name);
    }
}

/// The article's example, end to end through the manifest reader: three native sidecars at 100m
/// and an app at 500m reserve 800m, not 500m.
#[test]
fn three_sidecars_and_an_app_reserve_800m_not_500m() {
    let yaml = r#"
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - {name: a, image: "x:1", restartPolicy: Always, resources: {requests: {cpu: 100m}}}
  - {name: b, image: "x:1", restartPolicy: Always, resources: {requests: {cpu: 100m}}}
  - {name: c, image: "x:1", restartPolicy: Always, resources: {requests: {cpu: 100m}}}
  containers:
  - {name: app, image: "x:1", resources: {requests: {cpu: 500m}}}
"#;
    let a = podlab_engine::analyze_text("p.yaml", yaml, &Default::default());
    let r = &a.workloads[0].resources;
    assert_eq!(r.requests["cpu"].milli, 800);
    assert_eq!(r.requests["cpu"].quantity, "800m");
    assert_eq!(r.naive_requests["cpu"].milli, 500);
    assert_eq!(r.winners["cpu"], podlab_engine::Winner::Running);
}

#[test]
fn test_aggregate_container_requests_and_limits() {
    let cases: Vec<Case2> = vec![
        (
            "one container with limits",
            pod(vec![], vec![container(&[], &[("cpu", "9")])], &[]),
            vec![],
            vec![("cpu", "9")],
        ),
        (
            "two containers with limits",
            pod(
                vec![],
                vec![
                    container(&[], &[("cpu", "9")]),
                    container(&[], &[("cpu", "9")]),
                ],
                &[],
            ),
            vec![],
            vec![("cpu", "18")],
        ),
        (
            "one container with requests",
            pod(vec![], vec![container(&[("cpu", "9")], &[])], &[]),
            vec![("cpu", "9")],
            vec![],
        ),
        (
            "two containers with requests",
            pod(
                vec![],
                vec![
                    container(&[("cpu", "9")], &[]),
                    container(&[("cpu", "9")], &[]),
                ],
                &[],
            ),
            vec![("cpu", "18")],
            vec![],
        ),
        (
            "regular and init containers with requests",
            pod(
                vec![init(&[("cpu", "9")], &[])],
                vec![container(&[("cpu", "9")], &[])],
                &[],
            ),
            vec![("cpu", "9")],
            vec![],
        ),
        (
            "regular, init and sidecar containers with requests",
            pod(
                vec![sidecar(&[("cpu", "8")], &[]), init(&[("cpu", "6")], &[])],
                vec![container(&[("cpu", "9")], &[])],
                &[],
            ),
            vec![("cpu", "17")],
            vec![],
        ),
        (
            "regular and init containers with limits",
            pod(
                vec![init(&[], &[("cpu", "9")])],
                vec![container(&[], &[("cpu", "9")])],
                &[],
            ),
            vec![],
            vec![("cpu", "9")],
        ),
        (
            "regular, init and sidecar containers with limits",
            pod(
                vec![sidecar(&[], &[("cpu", "8")]), init(&[], &[("cpu", "6")])],
                vec![container(&[], &[("cpu", "9")])],
                &[],
            ),
            vec![],
            vec![("cpu", "17")],
        ),
    ];
    for (name, p, req, lim) in cases {
        assert_same(&aggregate(&p, Field::Requests).total, &req, name);
        assert_same(&aggregate(&p, Field::Limits).total, &lim, name);
    }
}

#[test]
fn test_is_supported_pod_level_resource() {
    for (name, expected) in [
        ("cpu", true),
        ("memory", true),
        ("ephemeral-storage", false),
        ("hugepages-2Mi", true),
        ("hugepages-1Gi", true),
    ] {
        assert_eq!(is_supported_pod_level(name), expected, "{name}");
    }
}

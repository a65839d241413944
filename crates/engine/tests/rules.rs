//! Every rule of the catalogue has a manifest that fires it and one that must not.

use podlab_engine::{analyze_text, rules::CATALOGUE, KubeVersion, Options, Severity};

fn findings(yaml: &str, version: u32) -> Vec<(String, Severity, usize)> {
    let a = analyze_text(
        "t.yaml",
        yaml,
        &Options {
            kubernetes_version: KubeVersion::new(version),
            ..Default::default()
        },
    );
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    a.workloads
        .iter()
        .flat_map(|w| {
            w.diagnostics
                .iter()
                .map(|d| (d.rule.clone(), d.severity, d.line))
        })
        .collect()
}

fn pod(spec: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{spec}")
}

fn deployment(replicas: u32, spec: &str) -> String {
    let indented: String = spec.lines().map(|l| format!("      {l}\n")).collect();
    format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: d}}}}\n  template:\n    metadata: {{labels: {{app: d}}}}\n    spec:\n{indented}")
}

fn job(spec: &str) -> String {
    let indented: String = spec.lines().map(|l| format!("      {l}\n")).collect();
    format!("apiVersion: batch/v1\nkind: Job\nmetadata: {{name: j}}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n{indented}")
}

const RES: &str = "resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}";

fn c(name: &str, extra: &str) -> String {
    format!("  - {{name: {name}, image: \"example/{name}:1.0\", {RES}{extra}}}\n")
}

/// (rule, version, fires, must not fire, expected severity)
fn cases() -> Vec<(&'static str, u32, String, String, Severity)> {
    let app = c("app", "");
    vec![
        ("unknown-field", 37, pod(&format!("  containers:\n{app}  restartpolicy: Always\n")), pod(&format!("  containers:\n{app}  restartPolicy: Always\n")), Severity::Error),
        (
            "removed-api-version",
            37,
            deployment(1, &format!("containers:\n{app}")).replace("apps/v1\nkind: Deployment", "extensions/v1beta1\nkind: Deployment"),
            deployment(1, &format!("containers:\n{app}")),
            Severity::Error,
        ),
        (
            "init-container-probe",
            37,
            pod(&format!("  initContainers:\n{}  containers:\n{app}", c("init", ", readinessProbe: {exec: {command: [\"true\"]}}"))),
            pod(&format!("  initContainers:\n{}  containers:\n{app}", c("init", ", restartPolicy: Always, readinessProbe: {exec: {command: [\"true\"]}}, startupProbe: {exec: {command: [\"true\"]}}"))),
            Severity::Error,
        ),
        (
            "container-restart-policy",
            34,
            pod(&format!("  containers:\n{}", c("app", ", restartPolicy: Always"))),
            pod(&format!("  containers:\n{}", c("app", ", restartPolicy: Always"))).replace("restartPolicy: Always}", "}"),
            Severity::Error,
        ),
        (
            "stop-signal-ignored",
            37,
            pod(&format!("  containers:\n{}", c("app", ", lifecycle: {stopSignal: SIGUSR1}"))),
            pod(&format!("  containers:\n{}", c("app", ", lifecycle: {preStop: {sleep: {seconds: 5}}}"))),
            Severity::Warning,
        ),
        (
            "hook-sleep-unsupported",
            29,
            pod(&format!("  containers:\n{}", c("app", ", lifecycle: {preStop: {sleep: {seconds: 5}}}"))),
            pod(&format!("  containers:\n{}", c("app", ", lifecycle: {preStop: {exec: {command: [sleep, \"5\"]}}}"))),
            Severity::Error,
        ),
        (
            "native-sidecar-unsupported",
            28,
            pod(&format!("  initContainers:\n{}  containers:\n{app}", c("proxy", ", restartPolicy: Always, startupProbe: {tcpSocket: {port: 8080}}"))),
            pod(&format!("  initContainers:\n{}  containers:\n{app}", c("setup", ""))),
            Severity::Error,
        ),
        ("duplicate-container-name", 37, pod(&format!("  initContainers:\n{app}  containers:\n{app}")), pod(&format!("  initContainers:\n{}  containers:\n{app}", c("setup", ""))), Severity::Error),
        (
            "port-conflict",
            37,
            pod(&format!("  containers:\n{}{}", c("app", ", ports: [{containerPort: 8080}]"), c("proxy", ", ports: [{containerPort: 8080}]"))),
            pod(&format!("  containers:\n{}{}", c("app", ", ports: [{containerPort: 8080}]"), c("proxy", ", ports: [{containerPort: 15001}]"))),
            Severity::Warning,
        ),
        (
            "classic-sidecar-in-job",
            37,
            job(&format!("containers:\n{}{}", c("report", ""), c("log-shipper", ", args: [\"tail -F /work/log\"]"))),
            job(&format!("initContainers:\n{}containers:\n{}", c("log-shipper", ", restartPolicy: Always, startupProbe: {tcpSocket: {port: 2020}}"), c("report", ""))),
            Severity::Warning,
        ),
        (
            "sidecar-could-be-native",
            37,
            deployment(2, &format!("containers:\n{}{}", c("app", ""), c("log-shipper", ""))),
            deployment(2, &format!("containers:\n{}{}", c("app", ""), c("log-shipper", ""))),
            Severity::Info,
        ),
        (
            "native-sidecar-no-startup-probe",
            37,
            pod(&format!("  initContainers:\n{}  containers:\n{}", c("proxy", ", restartPolicy: Always, ports: [{containerPort: 6379}]"), c("app", ", env: [{name: R, value: \"localhost:6379\"}]"))),
            // the same sidecar that the app does not depend on
            pod(&format!("  initContainers:\n{}  containers:\n{app}", c("proxy", ", restartPolicy: Always, ports: [{containerPort: 6379}]"))),
            Severity::Info,
        ),
        (
            "app-no-readiness-probe",
            37,
            deployment(2, &format!("containers:\n{app}")) + "---\napiVersion: v1\nkind: Service\nmetadata: {name: d}\nspec:\n  selector: {app: d}\n  ports: [{port: 80}]\n",
            deployment(2, &format!("containers:\n{}", c("app", ", readinessProbe: {httpGet: {path: /ready, port: 8080}}"))) + "---\napiVersion: v1\nkind: Service\nmetadata: {name: d}\nspec:\n  selector: {app: d}\n  ports: [{port: 80}]\n",
            Severity::Warning,
        ),
        (
            "app-no-liveness-probe",
            37,
            deployment(2, &format!("containers:\n{app}")),
            deployment(2, &format!("containers:\n{}", c("app", ", livenessProbe: {httpGet: {path: /live, port: 8080}}"))),
            Severity::Info,
        ),
        (
            "helper-readiness-gates-pod",
            37,
            deployment(2, &format!("containers:\n{}{}", c("app", ""), c("log-shipper", ", readinessProbe: {httpGet: {path: /ready, port: 2020}}"))),
            deployment(2, &format!("initContainers:\n{}containers:\n{}", c("log-shipper", ", restartPolicy: Always, readinessProbe: {httpGet: {path: /ready, port: 2020}}"), c("app", ""))),
            Severity::Info,
        ),
        (
            "sidecar-missing-requests",
            37,
            pod(&format!("  initContainers:\n  - {{name: proxy, image: \"example/proxy:1\", restartPolicy: Always}}\n  containers:\n{app}")),
            pod(&format!("  initContainers:\n{}  containers:\n{app}", c("proxy", ", restartPolicy: Always"))),
            Severity::Warning,
        ),
        (
            "init-sets-reservation",
            37,
            pod("  initContainers:\n  - {name: migrate, image: \"example/migrate:1\", resources: {requests: {cpu: 2, memory: 64Mi}}}\n  containers:\n  - {name: app, image: \"example/app:1\", resources: {requests: {cpu: 500m, memory: 256Mi}}}\n"),
            pod("  initContainers:\n  - {name: migrate, image: \"example/migrate:1\", resources: {requests: {cpu: 100m, memory: 64Mi}}}\n  containers:\n  - {name: app, image: \"example/app:1\", resources: {requests: {cpu: 500m, memory: 256Mi}}}\n"),
            Severity::Info,
        ),
        (
            "memory-emptydir",
            37,
            pod("  containers:\n  - {name: app, image: \"example/app:1\", resources: {requests: {cpu: 1, memory: 1Gi}}, volumeMounts: [{name: scratch, mountPath: /scratch}]}\n  volumes:\n  - {name: scratch, emptyDir: {medium: Memory}}\n"),
            pod("  containers:\n  - {name: app, image: \"example/app:1\", resources: {requests: {cpu: 1, memory: 1Gi}, limits: {memory: 1Gi}}, volumeMounts: [{name: scratch, mountPath: /scratch}]}\n  volumes:\n  - {name: scratch, emptyDir: {medium: Memory, sizeLimit: 64Mi}}\n"),
            Severity::Warning,
        ),
        ("share-process-namespace", 37, pod(&format!("  shareProcessNamespace: true\n  containers:\n{app}")), pod(&format!("  containers:\n{app}")), Severity::Info),
        (
            "hpa-resource-metric",
            37,
            deployment(2, &format!("containers:\n{}{}", c("app", ""), c("log-shipper", ""))) + "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: d}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d}\n  maxReplicas: 5\n  metrics:\n  - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}}\n",
            deployment(2, &format!("containers:\n{}{}", c("app", ""), c("log-shipper", ""))) + "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: d}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d}\n  maxReplicas: 5\n  metrics:\n  - {type: ContainerResource, containerResource: {name: cpu, container: app, target: {type: Utilization, averageUtilization: 60}}}\n",
            Severity::Warning,
        ),
        (
            "unrelated-containers",
            37,
            pod(&format!("  containers:\n{}{}", c("web", ""), c("worker", ""))),
            pod("  containers:\n  - {name: web, image: \"example/web:1\", resources: {requests: {cpu: 1, memory: 1Gi}}, volumeMounts: [{name: shared, mountPath: /s}]}\n  - {name: worker, image: \"example/worker:1\", resources: {requests: {cpu: 1, memory: 1Gi}}, volumeMounts: [{name: shared, mountPath: /s}]}\n  volumes: [{name: shared, emptyDir: {}}]\n"),
            Severity::Info,
        ),
        (
            "helper-outweighs-app",
            37,
            pod("  containers:\n  - {name: app, image: \"example/app:1\", resources: {requests: {cpu: 100m, memory: 64Mi}}}\n  - {name: proxy, image: \"envoyproxy/envoy:v1.31.0\", resources: {requests: {cpu: 1, memory: 64Mi}}}\n"),
            pod("  containers:\n  - {name: app, image: \"example/app:1\", resources: {requests: {cpu: 1, memory: 64Mi}}}\n  - {name: proxy, image: \"envoyproxy/envoy:v1.31.0\", resources: {requests: {cpu: 100m, memory: 64Mi}}}\n"),
            Severity::Info,
        ),
        ("missing-requests", 37, pod("  containers:\n  - {name: app, image: \"example/app:1\"}\n"), pod(&format!("  containers:\n{app}")), Severity::Warning),
        (
            "requests-exceed-limits",
            37,
            pod("  containers:\n  - {name: app, image: \"example/app:1\", resources: {requests: {cpu: 2, memory: 1Gi}, limits: {cpu: 1}}}\n"),
            pod("  containers:\n  - {name: app, image: \"example/app:1\", resources: {requests: {cpu: 1, memory: 1Gi}, limits: {cpu: 1}}}\n"),
            Severity::Error,
        ),
        ("unpinned-image", 37, pod(&format!("  containers:\n  - {{name: app, image: \"nginx\", {RES}}}\n")), pod(&format!("  containers:\n  - {{name: app, image: \"registry:5000/nginx:1.27\", {RES}}}\n")), Severity::Warning),
        (
            "duplicate-key",
            37,
            pod("  containers:\n  - name: app\n    image: \"example/app:1\"\n    resources: {requests: {cpu: 1}}\n    resources: {requests: {cpu: 1, memory: 1Gi}}\n"),
            pod("  containers:\n  - name: app\n    image: \"example/app:1\"\n    resources: {requests: {cpu: 1, memory: 1Gi}}\n"),
            Severity::Error,
        ),
        ("invalid-quantity", 37, pod("  containers:\n  - {name: app, image: \"example/app:1\", resources: {requests: {cpu: __PILLAR__CPU__, memory: 1Gi}}}\n"), pod(&format!("  containers:\n{app}")), Severity::Error),
        ("invalid-value", 37, pod(&format!("  containers:\n{}", c("app", ", env: [{name: X, value: 8080}]"))), pod(&format!("  containers:\n{}", c("app", ", env: [{name: X, value: \"8080\"}]"))), Severity::Error),
        ("negative-quantity", 37, pod("  containers:\n  - {name: app, image: \"example/app:1\", resources: {requests: {cpu: -1, memory: 1Gi}}}\n"), pod(&format!("  containers:\n{app}")), Severity::Error),
        ("invalid-name", 37, pod(&format!("  containers:\n{}", c("Приложение_Main", ""))), pod(&format!("  containers:\n{app}")), Severity::Error),
        ("invalid-port", 37, pod(&format!("  containers:\n{}", c("app", ", ports: [{name: http_port, containerPort: 80}]"))), pod(&format!("  containers:\n{}", c("app", ", ports: [{name: http, containerPort: 80}]"))), Severity::Error),
        ("invalid-volume-mount", 37, pod(&format!("  containers:\n{}", c("app", ", volumeMounts: [{name: data, mountPath: /data}]"))), pod(&format!("  containers:\n{}  volumes: [{{name: data, emptyDir: {{}}}}]\n", c("app", ", volumeMounts: [{name: data, mountPath: /data}]"))), Severity::Error),
        ("duplicate-volume-name", 37, pod(&format!("  containers:\n{app}  volumes: [{{name: data, emptyDir: {{}}}}, {{name: data, emptyDir: {{}}}}]\n")), pod(&format!("  containers:\n{app}  volumes: [{{name: data, emptyDir: {{}}}}, {{name: cache, emptyDir: {{}}}}]\n")), Severity::Error),
        ("pod-restart-policy", 37, deployment(1, &format!("restartPolicy: Never\ncontainers:\n{app}")), deployment(1, &format!("restartPolicy: Always\ncontainers:\n{app}")), Severity::Error),
        ("dropped-field", 33, pod(&format!("  resources: {{requests: {{cpu: 1}}}}\n  containers:\n{app}")), pod(&format!("  containers:\n{app}")), Severity::Warning),
        (
            "init-migration-replicas",
            37,
            deployment(3, &format!("initContainers:\n  - {{name: migrate, image: \"flyway/flyway:11\", args: [migrate], {RES}}}\ncontainers:\n{app}")),
            deployment(1, &format!("initContainers:\n  - {{name: migrate, image: \"flyway/flyway:11\", args: [migrate], {RES}}}\ncontainers:\n{app}")),
            Severity::Warning,
        ),
    ]
}

#[test]
fn every_rule_fires_on_its_manifest_and_not_on_its_fix() {
    let cases = cases();
    // The live-* rules read a pod's status: tests/live.rs has a case for each (and a healthy pod
    // on which none fires).
    for rule in CATALOGUE.iter().filter(|r| !r.id.starts_with("live-")) {
        assert!(
            cases.iter().any(|c| c.0 == rule.id),
            "rule {} has no test case",
            rule.id
        );
    }
    for (rule, version, fires, clean, severity) in cases {
        let got = findings(&fires, version);
        let hit = got.iter().find(|(r, _, _)| r == rule);
        let hit = hit
            .unwrap_or_else(|| panic!("{rule} did not fire at 1.{version}; got {got:?}\n{fires}"));
        assert_eq!(hit.1, severity, "{rule} severity");
        assert!(hit.2 >= 1, "{rule} has a line");
        if rule == "sidecar-could-be-native" {
            // The same manifest at 1.28 (native sidecars off by default) must not suggest them.
            assert!(
                findings(&clean, 28).iter().all(|(r, _, _)| r != rule),
                "{rule} fired at 1.28"
            );
        } else {
            let got = findings(&clean, version);
            assert!(
                got.iter().all(|(r, _, _)| r != rule),
                "{rule} fired on its fix: {got:?}\n{clean}"
            );
        }
    }
}

#[test]
fn findings_point_at_the_offending_line() {
    let yaml = pod(&format!(
        "  containers:\n{}  - name: web\n    image: nginx:latest\n    {RES}\n",
        c("app", "")
    ));
    let got = findings(&yaml, 37);
    let unpinned = got.iter().find(|(r, _, _)| r == "unpinned-image").unwrap();
    assert_eq!(unpinned.2, 8, "the image line");
}

#[test]
fn a_classic_helper_the_app_stops_itself_is_advice_not_a_warning() {
    let yaml = job(&format!(
        "containers:\n  - {{name: report, image: \"example/report:1\", {RES}, command: [sh, -c, \"run && curl -X POST localhost:9091/quitquitquit\"]}}\n  - {{name: cloud-sql-proxy, image: \"gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1\", args: [\"--quitquitquit\"], {RES}}}\n"
    ));
    let got = findings(&yaml, 37);
    let hit = got
        .iter()
        .find(|(r, _, _)| r == "classic-sidecar-in-job")
        .unwrap();
    assert_eq!(hit.1, Severity::Info);
}

#[test]
fn a_sidecar_without_requests_says_by_how_much_the_reservation_would_change() {
    let yaml = pod("  initContainers:\n  - {name: proxy, image: \"example/proxy:1\", restartPolicy: Always}\n  containers:\n  - {name: app, image: \"example/app:1\", resources: {requests: {cpu: 500m, memory: 256Mi}}}\n");
    let a = analyze_text("t.yaml", &yaml, &Options::default());
    let d = a.workloads[0]
        .diagnostics
        .iter()
        .find(|d| d.rule == "sidecar-missing-requests")
        .unwrap();
    assert!(d.message.contains("cpu 500m → 600m"), "{}", d.message);
    assert!(d.message.contains("memory 256Mi → 384Mi"), "{}", d.message);
    assert!(
        d.message.contains("Judged as a native sidecar because"),
        "{}",
        d.message
    );
    assert!(a.workloads[0]
        .diagnostics
        .iter()
        .all(|d| d.rule != "missing-requests" || d.container.as_deref() != Some("proxy")));
}

#[test]
fn a_helper_probe_never_counts_for_the_app() {
    // The helper has a readinessProbe; the app has none: the app is still told it lacks one.
    let yaml = deployment(
        2,
        &format!(
            "containers:\n{}{}",
            c("app", ""),
            c(
                "log-shipper",
                ", readinessProbe: {httpGet: {path: /ready, port: 2020}}"
            )
        ),
    );
    let got = findings(&yaml, 37);
    assert!(got.iter().any(|(r, _, _)| r == "app-no-readiness-probe"));
}

/// KEP-5307: restartPolicyRules need the gate (beta from 1.35) and the container's restartPolicy.
#[test]
fn restart_policy_rules_need_the_gate_and_a_container_restart_policy() {
    let rules = "restartPolicyRules: [{action: Restart, exitCodes: {operator: In, values: [42]}}]";
    let with_policy = pod(&format!(
        "  containers:\n{}",
        c("app", &format!(", restartPolicy: Never, {rules}"))
    ));
    let without = pod(&format!(
        "  containers:\n{}",
        c("app", &format!(", {rules}"))
    ));
    let fired = |yaml: &str, v| {
        findings(yaml, v)
            .iter()
            .filter(|f| f.0 == "container-restart-policy")
            .count()
    };
    assert_eq!(fired(&with_policy, 37), 0);
    assert_eq!(fired(&without, 37), 1);
    // At 1.34 the rules are dropped, and restartPolicy itself is refused too.
    assert_eq!(fired(&with_policy, 34), 2);
}

/// issue 14: `cpu: -1` is refused, never read as a -1 request with QoS BestEffort; an unfilled
/// placeholder costs only its value: the workload is still analysed, the resource is unknown.
#[test]
fn a_bad_quantity_costs_only_that_value() {
    for bad in ["-1", "__PILLAR__CPU__", "{{cpu}}x"] {
        let yaml = pod(&format!("  containers:\n  - {{name: app, image: \"example/app:1\", resources: {{requests: {{cpu: \"{bad}\", memory: 1Gi}}, limits: {{memory: 1Gi}}}}}}\n{}", c("web", "")));
        let a = analyze_text("t.yaml", &yaml, &Options::default());
        assert!(a.errors.is_empty(), "{bad}: {:?}", a.errors);
        let w = &a.workloads[0];
        assert_eq!(w.containers.len(), 2, "{bad}");
        let r = &w.resources;
        assert!(!r.requests.contains_key("cpu"), "{bad}: {:?}", r.requests);
        assert_eq!(r.unknown_requests, vec!["cpu".to_string()], "{bad}");
        assert!(r.unknown_limits.is_empty(), "{bad}");
        assert_eq!(r.qos.as_str(), "Unknown", "{bad}");
        // memory is known: 1Gi + 64Mi
        assert_eq!(r.requests["memory"].quantity, "1088Mi", "{bad}");
        assert_eq!(r.limits["memory"].quantity, "1088Mi", "{bad}");
        let d = w
            .diagnostics
            .iter()
            .find(|d| d.rule.ends_with("-quantity"))
            .expect(bad);
        assert_eq!(d.line, 6, "{bad}");
        assert_eq!(d.severity, Severity::Error);
    }
}

/// kubectl refuses a key written twice; the finding names both lines.
#[test]
fn a_key_written_twice_names_both_lines() {
    let yaml = pod("  containers:\n  - name: app\n    image: \"example/app:1\"\n    resources: {requests: {cpu: 1}}\n    resources: {requests: {cpu: 2}}\n");
    let a = analyze_text("t.yaml", &yaml, &Options::default());
    let d = &a.workloads[0]
        .diagnostics
        .iter()
        .find(|d| d.rule == "duplicate-key")
        .unwrap();
    assert_eq!(d.line, 9);
    assert!(
        d.message
            .contains("mapping key \"resources\" already defined at line 8"),
        "{}",
        d.message
    );
    assert_eq!(d.path.as_deref(), Some("spec.containers[0].resources"));
}

/// validation.go: container names, port names and numbers, mounts, metadata.name.
#[test]
fn what_the_api_server_validates_is_an_error_at_its_line() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: My_Pod}\nspec:\n  initContainers:\n  - {name: Init, image: \"x:1\"}\n  containers:\n  - name: app\n    image: \"x:1\"\n    ports: [{name: http, containerPort: 0}, {name: http, containerPort: 70000, protocol: tcp}]\n    volumeMounts: [{name: nope, mountPath: /a}, {name: v, mountPath: /a}]\n  volumes: [{name: v, emptyDir: {}}]\n";
    let a = analyze_text("t.yaml", yaml, &Options::default());
    let mut got: Vec<(String, usize)> = a.workloads[0]
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.rule.clone(), d.line))
        .collect();
    got.sort();
    let want: Vec<(String, usize)> = [
        ("invalid-name", 3),
        ("invalid-name", 6),
        ("invalid-port", 10),
        ("invalid-port", 10),
        ("invalid-port", 10),
        ("invalid-port", 10),
        ("invalid-volume-mount", 11),
        ("invalid-volume-mount", 11),
    ]
    .iter()
    .map(|(r, l)| (r.to_string(), *l))
    .collect();
    assert_eq!(got, want);
}

/// A bad limit with a request written beside it leaves the request known: defaulting copies a
/// limit only into a request that is not written (kube-dns.yaml.in's memory limit placeholder).
#[test]
fn a_bad_limit_leaves_a_written_request_known() {
    let yaml = pod("  containers:\n  - {name: app, image: \"example/app:1\", resources: {requests: {cpu: 100m, memory: 70Mi}, limits: {memory: 'dns_memory_limit'}}}\n  - {name: web, image: \"example/web:1\", resources: {limits: {cpu: 'x'}}}\n");
    let a = analyze_text("t.yaml", &yaml, &Options::default());
    let r = &a.workloads[0].resources;
    assert_eq!(r.requests["memory"].quantity, "70Mi");
    assert!(
        !r.requests.contains_key("cpu"),
        "web's cpu request would default to its bad limit"
    );
    assert_eq!(r.unknown_requests, vec!["cpu".to_string()]);
    assert_eq!(
        r.unknown_limits,
        vec!["memory".to_string(), "cpu".to_string()]
    );
    assert!(r.limits.is_empty());
    assert_eq!(r.qos.as_str(), "Unknown");
}

/// issue 14: the same manifests at every supported version, analysed as the API server stores
/// them. A native sidecar (50m) beside an app (200m): before 1.29 the API server drops its
/// restartPolicy (1.28: util.go dropDisabledFields; 1.27: no such field), so it is a plain init
/// container and the pod requests max(50m, 200m) = 200m; from 1.29, 50m + 200m = 250m.
/// Pod-level resources: an unknown field before 1.32, dropped at 1.32-1.33, counted from 1.34.
#[test]
fn every_version_analyses_the_pod_as_stored() {
    let sidecar = pod("  initContainers:\n  - {name: proxy, image: \"example/proxy:1\", restartPolicy: Always, resources: {requests: {cpu: 50m, memory: 8Mi}}}\n  containers:\n  - {name: app, image: \"example/app:1\", resources: {requests: {cpu: 200m, memory: 64Mi}}}\n");
    let pod_level = pod("  resources: {requests: {cpu: 1, memory: 1Gi}}\n  containers:\n  - {name: app, image: \"example/app:1\", resources: {requests: {cpu: 200m, memory: 64Mi}}}\n");
    for version in KubeVersion::all() {
        let opts = Options {
            kubernetes_version: version,
            ..Default::default()
        };
        let native = version.at_least(29);
        let w = &analyze_text("t.yaml", &sidecar, &opts).workloads[0];
        let cpu = &w.resources.requests["cpu"].quantity;
        assert_eq!(cpu, if native { "250m" } else { "200m" }, "{version}");
        let form = w.containers[0].form.as_str();
        assert_eq!(
            form,
            if native { "native-sidecar" } else { "init" },
            "{version}"
        );
        let startup: Vec<Vec<String>> = w.lifecycle.startup.clone();
        assert_eq!(
            startup,
            vec![vec!["proxy".to_string()], vec!["app".to_string()]],
            "{version}"
        );
        let shutdown_has_proxy = w.lifecycle.shutdown.iter().flatten().any(|n| n == "proxy");
        assert_eq!(
            shutdown_has_proxy, native,
            "{version}: a plain init container is not stopped"
        );
        let explained = w
            .diagnostics
            .iter()
            .any(|d| d.rule == "native-sidecar-unsupported");
        assert_eq!(explained, !native, "{version}");

        let w = &analyze_text("t.yaml", &pod_level, &opts).workloads[0];
        let cpu = &w.resources.requests["cpu"].quantity;
        assert_eq!(
            cpu,
            if version.at_least(34) { "1" } else { "200m" },
            "{version}"
        );
        let rules: Vec<&str> = w.diagnostics.iter().map(|d| d.rule.as_str()).collect();
        let expected = match version.minor {
            0..=31 => Some("unknown-field"),
            32 | 33 => Some("dropped-field"),
            _ => None,
        };
        for r in ["unknown-field", "dropped-field"] {
            assert_eq!(
                rules.contains(&r),
                expected == Some(r),
                "{version}: {rules:?}"
            );
        }
    }
}

/// A quantity of the wrong type (a list) is unknown too, never read as absent.
#[test]
fn a_wrong_typed_quantity_is_unknown() {
    let yaml = pod("  containers:\n  - {name: app, image: \"example/app:1\", resources: {requests: {cpu: [1], memory: 1Gi}}}\n");
    let a = analyze_text("t.yaml", &yaml, &Options::default());
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    let w = &a.workloads[0];
    assert_eq!(w.resources.unknown_requests, vec!["cpu".to_string()]);
    assert_eq!(w.resources.qos.as_str(), "Unknown");
    let d = w
        .diagnostics
        .iter()
        .find(|d| d.rule == "invalid-value")
        .unwrap();
    assert_eq!(d.line, 6);
}

/// batch validation: a Job's pods must not restart Always, which an unset policy defaults to.
#[test]
fn a_job_without_a_restart_policy_is_refused() {
    let yaml = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: \"x:1\"}]\n";
    let a = analyze_text("t.yaml", yaml, &Options::default());
    let d = a.workloads[0]
        .diagnostics
        .iter()
        .find(|d| d.rule == "pod-restart-policy")
        .unwrap();
    assert!(
        d.message.contains("the default when unset"),
        "{}",
        d.message
    );
}

/// A value of the wrong type costs only itself: it is an `invalid-value` finding, and no rule
/// judges the default the decoder leaves in its place (containerPort 0, "must be between 1 and
/// 65535"), in a Pod or below a Deployment's template. Other findings at other paths stay.
#[test]
fn a_value_taken_out_is_not_judged_again() {
    let ports = "  - name: app\n    image: \"example/app:1\"\n    ports:\n    - {containerPort: http}\n    - {containerPort: 70000}\n";
    let unindented: String = ports.lines().map(|l| format!("{}\n", &l[2..])).collect();
    for yaml in [
        pod(&format!("  containers:\n{ports}")),
        deployment(1, &format!("containers:\n{unindented}")),
    ] {
        let a = analyze_text("t.yaml", &yaml, &Options::default());
        assert!(a.errors.is_empty(), "{:?}", a.errors);
        let mut at: Vec<(String, String)> = a.workloads[0]
            .diagnostics
            .iter()
            .filter(|d| d.path.as_deref().is_some_and(|p| p.contains("ports")))
            .map(|d| (d.rule.clone(), d.path.clone().unwrap_or_default()))
            .collect();
        at.sort();
        let prefix = if yaml.contains("Deployment") {
            "spec.template.spec"
        } else {
            "spec"
        };
        assert_eq!(
            at,
            [
                (
                    "invalid-port".to_string(),
                    format!("{prefix}.containers[0].ports[1].containerPort")
                ),
                (
                    "invalid-value".to_string(),
                    format!("{prefix}.containers[0].ports[0].containerPort")
                ),
            ],
            "{yaml}"
        );
    }
}

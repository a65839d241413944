//! The changes findings offer (`Diagnostic::fix`, `alternatives`): each one, on every example and
//! corpus file where it applies, resolves its finding and touches nothing else.

mod common;

use podlab_engine::fix::{apply, fix_all, map_line};
use podlab_engine::{analyze_text, Analysis, Diagnostic, Edit, Fix, Form, KubeVersion, Options};
use std::path::PathBuf;

fn at(minor: u32) -> Options {
    Options {
        kubernetes_version: KubeVersion::new(minor),
        ..Options::default()
    }
}

const VERSIONS: [u32; 4] = [28, 31, 34, KubeVersion::NEWEST.minor];

fn inputs() -> Vec<PathBuf> {
    let mut all = common::files("../../static/examples");
    all.extend(common::corpus("files"));
    all
}

/// Moves change a container's index, so these findings are matched by rule and container.
fn moves(rule: &str) -> bool {
    matches!(
        rule,
        "classic-sidecar-in-job" | "sidecar-could-be-native" | "native-sidecar-unsupported"
    )
}

fn same_finding(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.rule == b.rule
        && a.container == b.container
        && a.file == b.file
        && (moves(&a.rule) || a.path == b.path)
}

fn form_of(a: &Analysis, workload: usize, name: &str) -> Option<Form> {
    a.workloads[workload]
        .containers
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.form)
}

/// The lines no edit touches, in order.
fn untouched(text: &str, edits: &[Edit]) -> Vec<String> {
    text.split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| {
            let l = i + 1;
            !edits.iter().any(|e| {
                let whole = e.column == 1 && e.end_column == 1;
                if whole {
                    l >= e.line && l < e.end_line
                } else {
                    l >= e.line && l <= e.end_line
                }
            })
        })
        .map(|(_, s)| s.to_string())
        .collect()
}

fn is_subsequence(small: &[String], big: &[String]) -> bool {
    let mut it = big.iter();
    small.iter().all(|s| it.any(|b| b == s))
}

/// What `fix` should leave a container as.
fn intended(d: &Diagnostic, f: &Fix) -> Option<Form> {
    match d.rule.as_str() {
        "classic-sidecar-in-job" | "sidecar-could-be-native" => Some(Form::NativeSidecar),
        "native-sidecar-unsupported" => Some(Form::Container),
        "init-container-probe" if f.title.contains("native sidecar") => Some(Form::NativeSidecar),
        "init-container-probe" => Some(Form::Init),
        _ => None,
    }
}

#[test]
fn every_fix_resolves_its_finding_and_changes_nothing_else() {
    let mut checked = std::collections::BTreeMap::<String, usize>::new();
    for path in inputs() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let name = common::name(&path);
        for minor in VERSIONS {
            let options = at(minor);
            let before = analyze_text(&name, &text, &options);
            for (wi, w) in before.workloads.iter().enumerate() {
                for d in &w.diagnostics {
                    for f in d.fix.iter().chain(&d.alternatives) {
                        let ctx = format!("{name} at 1.{minor}: {} ({})", d.rule, f.title);
                        let fixed = apply(&text, &f.edits).unwrap_or_else(|e| panic!("{ctx}: {e}"));
                        assert_ne!(fixed, text, "{ctx}: no change");
                        let after = analyze_text(&name, &fixed, &options);
                        assert_eq!(
                            after.errors, before.errors,
                            "{ctx}: the result must read\n{fixed}"
                        );
                        assert_eq!(after.workloads.len(), before.workloads.len(), "{ctx}");
                        let aw = &after.workloads[wi];
                        assert!(
                            !aw.diagnostics.iter().any(|x| same_finding(x, d)),
                            "{ctx}: the finding remains\n{fixed}"
                        );
                        for x in aw
                            .diagnostics
                            .iter()
                            .filter(|x| x.severity == podlab_engine::Severity::Error)
                        {
                            assert!(
                                w.diagnostics
                                    .iter()
                                    .any(|y| y.rule == x.rule && y.container == x.container),
                                "{ctx}: a new error {}: {}\n{fixed}",
                                x.rule,
                                x.message
                            );
                        }
                        if let (Some(form), Some(c)) = (intended(d, f), &d.container) {
                            assert_eq!(form_of(&after, wi, c), Some(form), "{ctx}\n{fixed}");
                        }
                        assert!(
                            is_subsequence(
                                &untouched(&text, &f.edits),
                                &fixed
                                    .split_inclusive('\n')
                                    .map(str::to_string)
                                    .collect::<Vec<_>>()
                            ),
                            "{ctx}: a line outside the edits changed\n{fixed}"
                        );
                        if moves(&d.rule) {
                            // The lines removed come back, re-indented, in the same order.
                            let removed: Vec<String> = text
                                .lines()
                                .enumerate()
                                .filter(|(i, _)| {
                                    f.edits.iter().any(|e| {
                                        e.new_text.is_empty()
                                            && i + 1 >= e.line
                                            && i + 1 < e.end_line
                                    })
                                })
                                .map(|(_, l)| l.trim().to_string())
                                .filter(|l| {
                                    !l.starts_with("restartPolicy:")
                                        && !l.is_empty()
                                        && l != "initContainers:"
                                })
                                .collect();
                            let inserted: Vec<String> = f
                                .edits
                                .iter()
                                .flat_map(|e| e.new_text.lines())
                                .map(|l| l.trim().to_string())
                                .collect();
                            assert!(
                                is_subsequence(&removed, &inserted),
                                "{ctx}: the container's lines are not all moved"
                            );
                        }
                        *checked.entry(d.rule.clone()).or_default() += 1;
                    }
                }
            }
        }
    }
    eprintln!("fixes checked: {checked:?}");
    for rule in [
        "classic-sidecar-in-job",
        "sidecar-could-be-native",
        "native-sidecar-unsupported",
        "init-container-probe",
        "hpa-resource-metric",
        "container-restart-policy",
        "memory-emptydir",
    ] {
        assert!(
            checked.get(rule).copied().unwrap_or(0) > 0,
            "no {rule} fix was checked: {checked:?}"
        );
    }
}

/// Every fix, applied together until none is left, gives text that still reads, at every version.
#[test]
fn applying_all_fixes_to_the_corpus_always_reads() {
    let mut changed = 0;
    for path in inputs() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let name = common::name(&path);
        for minor in VERSIONS {
            let options = at(minor);
            let before = analyze_text(&name, &text, &options);
            let out = fix_all(
                &[podlab_engine::Source {
                    name: &name,
                    text: &text,
                }],
                &options,
                &[],
            );
            let (fixed, applied) = &out[0];
            let after = analyze_text(&name, fixed, &options);
            assert_eq!(after.errors, before.errors, "{name} at 1.{minor}\n{fixed}");
            assert_eq!(after.workloads.len(), before.workloads.len());
            // Nothing is left to fix, and the fixed text is a fixpoint.
            let again = fix_all(
                &[podlab_engine::Source {
                    name: &name,
                    text: fixed,
                }],
                &options,
                &[],
            );
            assert_eq!(&again[0].0, fixed, "{name} at 1.{minor}: {applied:?}");
            if !applied.is_empty() {
                changed += 1;
            }
        }
    }
    assert!(changed > 20, "{changed}");
}

fn one_fix(text: &str, minor: u32, rule: &str) -> (Diagnostic, String) {
    let a = analyze_text("t.yaml", text, &at(minor));
    let d = a
        .workloads
        .iter()
        .flat_map(|w| &w.diagnostics)
        .find(|d| d.rule == rule)
        .unwrap_or_else(|| panic!("no {rule}"))
        .clone();
    let f = d.fix.clone().unwrap_or_else(|| panic!("{rule} has no fix"));
    let fixed = apply(text, &f.edits).unwrap();
    (d, fixed)
}

fn job(extra_init: &str) -> String {
    format!(
        "apiVersion: batch/v1
kind: Job
metadata: {{name: j}}
spec:
  template:
    spec:
      restartPolicy: Never
{extra_init}      containers:
      # the report
      - name: report
        image: r:1
        command: [\"sh\", \"-c\", \"psql -h 127.0.0.1 -p 5432\"]
      - name: proxy   # the database proxy
        image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0
        ports:
        - containerPort: 5432
        args:
        - --port=5432
        - |
          multi
            line
"
    )
}

#[test]
fn a_classic_helper_in_a_job_becomes_a_native_sidecar_and_the_job_completes() {
    let text = job("");
    let (_, fixed) = one_fix(&text, 31, "classic-sidecar-in-job");
    assert_eq!(
        fixed,
        "apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: proxy   # the database proxy
        image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0
        ports:
        - containerPort: 5432
        args:
        - --port=5432
        - |
          multi
            line
        restartPolicy: Always
      containers:
      # the report
      - name: report
        image: r:1
        command: [\"sh\", \"-c\", \"psql -h 127.0.0.1 -p 5432\"]
"
    );
    let a = analyze_text("t.yaml", &fixed, &at(31));
    let completes = a.workloads[0]
        .lifecycle
        .scenarios
        .iter()
        .find(|s| s.id == "job-completes")
        .unwrap();
    assert!(
        completes.outcome.contains("The Job completes"),
        "{}",
        completes.outcome
    );
    // Where the version has no native sidecars there is no such change.
    let a = analyze_text("t.yaml", &text, &at(28));
    assert!(a.workloads[0]
        .diagnostics
        .iter()
        .all(|d| d.rule != "classic-sidecar-in-job" || d.fix.is_none()));
}

#[test]
fn the_sidecar_goes_before_the_init_container_that_calls_it_at_the_lists_indentation() {
    let init = "      initContainers:
        -   name: first
            image: busybox:1.37
        -   name: migrate
            image: m:1
            command: [\"sh\", \"-c\", \"migrate --db 127.0.0.1:5432\"]
";
    let (d, fixed) = one_fix(&job(init), 31, "classic-sidecar-in-job");
    assert!(d.fix.unwrap().title.contains("before 'migrate'"));
    assert!(
        fixed.contains(
            "            image: busybox:1.37
        -   name: proxy   # the database proxy
              image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0"
        ) || fixed.contains(
            "            image: busybox:1.37
        - name: proxy   # the database proxy
          image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0
"
        ),
        "{fixed}"
    );
    let a = analyze_text("t.yaml", &fixed, &at(31));
    let names: Vec<&str> = a.workloads[0]
        .containers
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["first", "proxy", "migrate", "report"]);
}

#[test]
fn crlf_text_keeps_its_line_breaks() {
    let text = job("").replace('\n', "\r\n");
    let (_, fixed) = one_fix(&text, 31, "classic-sidecar-in-job");
    assert!(!fixed.replace("\r\n", "").contains('\n'), "{fixed:?}");
    assert_eq!(
        analyze_text("t.yaml", &fixed, &at(31)).workloads[0].containers[0].form,
        Form::NativeSidecar
    );
}

#[test]
fn flow_style_containers_get_no_move() {
    let text = "apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: report, image: r:1}, {name: shipper, image: fluent/fluent-bit:3.2.2}]
";
    let a = analyze_text("t.yaml", text, &at(31));
    let d = a.workloads[0]
        .diagnostics
        .iter()
        .find(|d| d.rule == "classic-sidecar-in-job")
        .unwrap();
    assert!(d.fix.is_none());
}

#[test]
fn a_native_sidecar_becomes_classic_before_1_29_and_the_empty_list_goes() {
    let text = "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: shipper
    image: fluent/fluent-bit:3.2.2
    restartPolicy: Always
  containers:
  - name: app
    image: a:1
";
    let (_, fixed) = one_fix(text, 28, "native-sidecar-unsupported");
    assert_eq!(
        fixed,
        "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: shipper
    image: fluent/fluent-bit:3.2.2
  - name: app
    image: a:1
"
    );
}

#[test]
fn an_init_container_probe_has_two_fixes() {
    let text = "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: warm
    image: w:1
    livenessProbe:
      exec:
        command:
        - \"true\"
    env: []
  containers:
  - name: app
    image: a:1
";
    let a = analyze_text("t.yaml", text, &at(31));
    let d = a.workloads[0]
        .diagnostics
        .iter()
        .find(|d| d.rule == "init-container-probe")
        .unwrap();
    let remove = apply(text, &d.fix.as_ref().unwrap().edits).unwrap();
    assert_eq!(
        remove,
        text.replace(
            "    livenessProbe:\n      exec:\n        command:\n        - \"true\"\n",
            ""
        )
    );
    assert_eq!(d.alternatives.len(), 1);
    let native = apply(text, &d.alternatives[0].edits).unwrap();
    assert_eq!(
        native,
        text.replace("    env: []\n", "    env: []\n    restartPolicy: Always\n")
    );
    // Before native sidecars, only removing it is offered.
    let a = analyze_text("t.yaml", text, &at(28));
    let d = a.workloads[0]
        .diagnostics
        .iter()
        .find(|d| d.rule == "init-container-probe")
        .unwrap();
    assert!(d.fix.is_some() && d.alternatives.is_empty());
}

#[test]
fn a_restart_policy_the_version_forbids_is_removed() {
    let text = "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: a:1
    restartPolicy: Never
";
    let (_, fixed) = one_fix(text, 31, "container-restart-policy");
    assert_eq!(fixed, text.replace("    restartPolicy: Never\n", ""));
    // A value that is not a policy needs a person: from 1.35 the field is allowed.
    let bad = text.replace("Never", "Sometimes");
    let a = analyze_text("t.yaml", &bad, &at(KubeVersion::NEWEST.minor));
    let d = a.workloads[0]
        .diagnostics
        .iter()
        .find(|d| d.rule == "container-restart-policy")
        .unwrap();
    assert!(d.fix.is_none());
}

#[test]
fn a_memory_emptydir_gets_the_sum_of_its_writers_limits() {
    let text = |ed: &str| {
        format!(
            "apiVersion: v1
kind: Pod
metadata: {{name: p}}
spec:
  containers:
  - name: a
    image: a:1
    resources: {{limits: {{memory: 1Gi}}}}
    volumeMounts: [{{name: v, mountPath: /v}}]
  - name: b
    image: b:1
    resources: {{limits: {{memory: 64Mi}}}}
    volumeMounts: [{{name: v, mountPath: /v}}]
  volumes:
  - name: v
{ed}"
        )
    };
    let block = text("    emptyDir:\n      medium: Memory\n");
    let (d, fixed) = one_fix(&block, 31, "memory-emptydir");
    assert_eq!(
        fixed,
        text("    emptyDir:\n      medium: Memory\n      sizeLimit: 1088Mi\n")
    );
    assert_eq!(
        d.fix.unwrap().title,
        "Set sizeLimit: 1088Mi (the sum of the memory limits of 'a' and 'b', its writers)"
    );
    let flow = text("    emptyDir: {medium: Memory}\n");
    let (_, fixed) = one_fix(&flow, 31, "memory-emptydir");
    assert_eq!(
        fixed,
        text("    emptyDir: {medium: Memory, sizeLimit: 1088Mi}\n")
    );
    // Without a limit on a writer the size is a person's choice.
    let open = block.replace("    resources: {limits: {memory: 64Mi}}\n", "");
    let a = analyze_text("t.yaml", &open, &at(31));
    assert!(a.workloads[0]
        .diagnostics
        .iter()
        .filter(|d| d.rule == "memory-emptydir")
        .all(|d| d.fix.is_none()));
}

#[test]
fn an_autoscaler_on_the_pod_average_follows_the_app_in_block_and_flow_style() {
    let pod = "apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: nginx:1.27.3}
      - {name: shipper, image: fluent/fluent-bit:3.2.2}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  metrics:
";
    let block = format!("{pod}  - type: Resource\n    resource:\n      name: cpu\n      target: {{type: Utilization, averageUtilization: 60}}\n");
    let (_, fixed) = one_fix(&block, 31, "hpa-resource-metric");
    assert_eq!(fixed, format!("{pod}  - type: ContainerResource\n    containerResource:\n      container: web\n      name: cpu\n      target: {{type: Utilization, averageUtilization: 60}}\n"));
    let flow = format!("{pod}  - {{type: \"Resource\", resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 60}}}}}}\n");
    let (_, fixed) = one_fix(&flow, 31, "hpa-resource-metric");
    assert_eq!(fixed, format!("{pod}  - {{type: \"ContainerResource\", containerResource: {{container: web, name: cpu, target: {{type: Utilization, averageUtilization: 60}}}}}}\n"));
}

#[test]
fn lines_follow_the_edits_and_moved_lines_move() {
    let text = job("");
    let a = analyze_text("t.yaml", &text, &at(31));
    let f = a.workloads[0]
        .diagnostics
        .iter()
        .find_map(|d| d.fix.clone())
        .unwrap();
    let fixed = apply(&text, &f.edits).unwrap();
    let old: Vec<&str> = text.lines().collect();
    let new: Vec<&str> = fixed.lines().collect();
    for (i, l) in old.iter().enumerate() {
        let to = map_line(&text, &f.edits, i + 1).unwrap_or_else(|| panic!("line {} lost", i + 1));
        assert_eq!(new[to - 1].trim(), l.trim(), "line {} went to {to}", i + 1);
    }
}

#[test]
fn overlapping_or_outside_edits_are_refused() {
    let e = |line, column, end_line, end_column| Edit {
        line,
        column,
        end_line,
        end_column,
        new_text: "x".into(),
    };
    assert!(apply("ab\ncd\n", &[e(1, 1, 2, 1), e(1, 2, 1, 3)]).is_err());
    assert!(apply("ab\n", &[e(5, 1, 5, 1)]).is_err());
    assert_eq!(
        apply("ab\ncd\n", &[e(2, 2, 2, 3), e(1, 1, 1, 1)]).unwrap(),
        "xab\ncx\n"
    );
    assert_eq!(apply("ab\n", &[e(2, 1, 2, 1)]).unwrap(), "ab\nx");
}

#[test]
fn a_container_written_with_anchors_or_aliases_is_not_moved() {
    let text = "apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - &report
        name: report
        image: r:1
      - name: shipper
        image: fluent/fluent-bit:3.2.2
        env: &env
        - {name: A, value: b}
";
    let a = analyze_text("t.yaml", text, &at(31));
    let d = a.workloads[0]
        .diagnostics
        .iter()
        .find(|d| d.rule == "classic-sidecar-in-job")
        .unwrap();
    assert!(d.fix.is_none());
    // Without the anchor it moves.
    let plain = text.replace(" &env", "");
    let a = analyze_text("t.yaml", &plain, &at(31));
    let d = a.workloads[0]
        .diagnostics
        .iter()
        .find(|d| d.rule == "classic-sidecar-in-job")
        .unwrap();
    assert!(d.fix.is_some());
}

#[test]
fn a_pod_inside_a_list_moves_at_its_own_indentation() {
    let text = "apiVersion: v1
kind: List
items:
  - apiVersion: batch/v1
    kind: Job
    metadata: {name: j}
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report
              image: r:1
            - name: shipper
              image: fluent/fluent-bit:3.2.2
";
    let (_, fixed) = one_fix(text, 31, "classic-sidecar-in-job");
    assert_eq!(
        fixed,
        text.replace(
            "          containers:\n            - name: report\n              image: r:1\n            - name: shipper\n              image: fluent/fluent-bit:3.2.2\n",
            "          initContainers:\n            - name: shipper\n              image: fluent/fluent-bit:3.2.2\n              restartPolicy: Always\n          containers:\n            - name: report\n              image: r:1\n"
        )
    );
}

/// The editor's offsets count UTF-16 code units: applying the changes there gives `apply`'s text.
#[test]
fn editor_changes_count_utf16_units() {
    use podlab_engine::fix::utf16_changes;
    let text = "# 🚀 ünïcode\nab\ncd\n";
    let e = |line, column, end_line, end_column, t: &str| Edit {
        line,
        column,
        end_line,
        end_column,
        new_text: t.into(),
    };
    let edits = [
        e(1, 3, 1, 4, "X"),
        e(2, 1, 3, 1, ""),
        e(4, 1, 4, 1, "end\n"),
    ];
    let changes = utf16_changes(text, &edits).unwrap();
    let mut units: Vec<u16> = text.encode_utf16().collect();
    for c in changes.iter().rev() {
        units.splice(c.from..c.to, c.insert.encode_utf16());
    }
    assert_eq!(
        String::from_utf16(&units).unwrap(),
        apply(text, &edits).unwrap()
    );
    assert_eq!(changes[0].from, 2);
    assert_eq!(changes[0].to, 4);
    assert!(utf16_changes(text, &[e(9, 1, 9, 1, "")]).is_err());
}

/// Over every fix of every example and corpus file: a line kept or moved is found where it went.
#[test]
fn every_line_maps_to_itself_after_every_fix() {
    let mut mapped = 0;
    for path in inputs() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let name = common::name(&path);
        for minor in [28, 31] {
            let a = analyze_text(&name, &text, &at(minor));
            for f in a
                .workloads
                .iter()
                .flat_map(|w| &w.diagnostics)
                .filter(|d| d.file == name)
                .flat_map(|d| d.fix.iter().chain(&d.alternatives))
            {
                let fixed = apply(&text, &f.edits).unwrap();
                let new: Vec<&str> = fixed.lines().collect();
                for (i, l) in text.lines().enumerate() {
                    let n = i + 1;
                    let partial = f.edits.iter().any(|e| {
                        !(e.column == 1 && e.end_column == 1) && n >= e.line && n <= e.end_line
                    });
                    let deleted = f.edits.iter().any(|e| {
                        e.column == 1 && e.end_column == 1 && n >= e.line && n < e.end_line
                    });
                    if l.trim().is_empty() || partial {
                        continue;
                    }
                    let to = map_line(&text, &f.edits, n);
                    let ctx = format!("{name} at 1.{minor}, {}: line {n} went to {to:?}", f.title);
                    match to {
                        Some(to) => {
                            assert_eq!(new.get(to - 1).map(|s| s.trim()), Some(l.trim()), "{ctx}");
                            mapped += 1;
                        }
                        None => assert!(deleted, "{ctx}"),
                    }
                }
            }
        }
    }
    assert!(mapped > 1000, "{mapped}");
}

/// The page's first analysis leaves the fixes and the lifecycle out
/// (`Options::leave_out_fixes`, `leave_out_lifecycle`) and finds everything else the same: the
/// same findings, in the same order, with the same words.
#[test]
fn leaving_the_fixes_and_the_lifecycle_out_changes_nothing_else() {
    let mut fixable = 0;
    for path in inputs() {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = common::name(&path);
        for minor in VERSIONS {
            let with = analyze_text(&name, &text, &at(minor));
            let without = analyze_text(
                &name,
                &text,
                &Options {
                    leave_out_fixes: true,
                    leave_out_lifecycle: true,
                    ..at(minor)
                },
            );
            let mut stripped = with.clone();
            for w in &mut stripped.workloads {
                assert!(
                    !w.lifecycle.startup.is_empty(),
                    "{name}: a lifecycle to leave out"
                );
                w.lifecycle = Default::default();
                for d in &mut w.diagnostics {
                    fixable += usize::from(d.fix.is_some());
                    d.fix = None;
                    d.alternatives.clear();
                }
            }
            assert_eq!(stripped, without, "{name} at 1.{minor}");
        }
    }
    assert!(fixable > 0, "no input has a finding with a fix");
}

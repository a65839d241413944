//! Every manifest of ../shared/corpus is analysed: no crash, a result or a clear message; the
//! Helm templates in reject/ are refused with their own message; no error-severity finding on the
//! corpus, whose manifests are real and deployed, except the placeholders and the test fixture
//! listed, which the API server would refuse too.

use podlab_engine::{analyze_text, Options, Severity};
mod common;

use common::{corpus, name};
use std::path::Path;

#[test]
fn every_corpus_manifest_is_analysed() {
    let files = corpus("files");
    assert_eq!(files.len(), 56);
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let a = analyze_text(&name(f), &text, &Options::default());
        // Templates with placeholders left in: each placeholder costs only its value (issue 14).
        let expected: &[&str] = match name(f).as_str() {
            // memory: 'dns_memory_limit': memory is unknown, the rest is analysed.
            "kubernetes__kube-dns.yaml.in" => &["invalid-quantity"],
            // Names left as <YOUR-...> placeholders, which the API server refuses.
            "cloudsqlproxy__pgbouncer_deployment.yaml" => &["invalid-name"],
            "cloudsqlproxy__proxy_with_http_health_check.yaml" => {
                &["invalid-name", "invalid-name", "invalid-name"]
            }
            "cloudsqlproxy__proxy_with_workload_identity.yaml" => &["invalid-name", "invalid-name"],
            // A test fixture: contour-config and one more mount name no volume of the pod.
            "linkerd2__inject_contour.golden.yml" => {
                &["invalid-volume-mount", "invalid-volume-mount"]
            }
            _ => &[],
        };
        assert!(a.errors.is_empty(), "{}: {:?}", name(f), a.errors);
        assert!(!a.workloads.is_empty(), "{}: no workload found", name(f));
        for w in &a.workloads {
            assert!(!w.containers.is_empty());
            assert!(w.line >= 1);
            for c in &w.containers {
                assert!(
                    c.line > w.line,
                    "{}: container {} at line {} before its workload",
                    name(f),
                    c.name,
                    c.line
                );
            }
            let errors: Vec<_> = w
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            let rules: Vec<&str> = errors.iter().map(|d| d.rule.as_str()).collect();
            assert_eq!(
                rules,
                expected,
                "{}: error findings on a real manifest: {errors:#?}",
                name(f)
            );
        }
    }
}

#[test]
fn helm_templates_are_refused_with_their_own_message() {
    for f in corpus("reject") {
        let text = std::fs::read_to_string(&f).unwrap();
        let a = analyze_text(&name(&f), &text, &Options::default());
        assert!(a.workloads.is_empty());
        assert_eq!(a.errors.len(), 1);
        assert!(
            a.errors[0].message.contains("helm template"),
            "{}",
            a.errors[0].message
        );
    }
}

/// Prints the form and pattern of every container of every corpus file, for review
/// (`cargo test -p podlab-engine --test corpus -- --nocapture patterns`).
#[test]
fn patterns_of_the_corpus() {
    let mut rows = String::new();
    for f in corpus("files") {
        let text = std::fs::read_to_string(&f).unwrap();
        let a = analyze_text(&name(&f), &text, &Options::default());
        for w in &a.workloads {
            for c in &w.containers {
                rows.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    name(&f),
                    podlab_engine::workload_key(&w.kind, &w.name),
                    c.name,
                    c.form.as_str(),
                    c.pattern.as_str(),
                ));
            }
            // Every workload has at least one app, and an app is never an init container.
            assert!(
                w.containers
                    .iter()
                    .any(|c| c.pattern == podlab_engine::Pattern::App),
                "{}: {} has no app",
                name(&f),
                w.name
            );
        }
    }
    // The expected form and pattern of every container of the corpus, one per line:
    // file, Kind/name, container, form, pattern. PODLAB_BLESS=1 rewrites it.
    let table = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus_patterns.tsv");
    if std::env::var_os("PODLAB_BLESS").is_some() {
        std::fs::write(&table, &rows).unwrap();
    }
    let expected = std::fs::read_to_string(&table).unwrap_or_default();
    let differ: Vec<(&str, &str)> = expected
        .lines()
        .zip(rows.lines())
        .filter(|(e, r)| e != r)
        .collect();
    assert!(
        differ.is_empty() && expected.lines().count() == rows.lines().count(),
        "expected / found: {differ:#?} ({} rows expected, {} found)",
        expected.lines().count(),
        rows.lines().count()
    );
}

/// The page's built-in examples read cleanly and each shows what it was written to show.
#[test]
fn built_in_examples_show_their_point() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/examples");
    let expect: &[(&str, &str)] = &[
        ("native-sidecar.yaml", ""),
        ("init-migration.yaml", "init-migration-replicas"),
        ("ambassador.yaml", "sidecar-could-be-native"),
        ("adapter.yaml", "sidecar-could-be-native"),
        ("job-classic-sidecar.yaml", "classic-sidecar-in-job"),
        ("job-native-sidecar.yaml", ""),
        ("hpa-pod-average.yaml", "hpa-resource-metric"),
        ("memory-emptydir.yaml", "memory-emptydir"),
        ("unrelated-containers.yaml", "unrelated-containers"),
        ("init-container-mistakes.yaml", "init-container-probe"),
    ];
    for (file, rule) in expect {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let a = analyze_text(file, &text, &Options::default());
        assert!(a.errors.is_empty(), "{file}: {:?}", a.errors);
        let rules: Vec<&str> = a
            .workloads
            .iter()
            .flat_map(|w| w.diagnostics.iter().map(|d| d.rule.as_str()))
            .collect();
        if rule.is_empty() {
            assert!(
                a.workloads.iter().all(|w| w
                    .diagnostics
                    .iter()
                    .all(|d| d.severity != Severity::Error && d.severity != Severity::Warning)),
                "{file}: {rules:?}"
            );
        } else {
            assert!(rules.contains(rule), "{file}: {rule} not in {rules:?}");
        }
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        expect.len(),
        "every example is checked here"
    );
}

//! Waivers by annotation (CONTRACT.md §4), applied inside `analyze` so that every reader of the
//! analysis, the page included, sees them; and the same `apply` the CLI uses for its file and flags.

use podlab_engine::waivers::{self, Rules, Waived, WaivedBy, Waiver};
use podlab_engine::{analyze_text, Diagnostic, Options, Severity, Workload};
use std::collections::BTreeMap;

/// Two containers without requests: `missing-requests` on each, `unpinned-image` on `proxy`.
fn deployment(own: &str, template: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations: {{{own}}}
spec:
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata:
      labels: {{app: web}}
      annotations: {{{template}}}
    spec:
      containers:
      - name: app
        image: example/web:1.0
      - name: istio-proxy
        image: istio/proxyv2
"
    )
}

fn workload(own: &str, template: &str) -> Workload {
    let a = analyze_text("w.yaml", &deployment(own, template), &Options::default());
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    a.workloads.into_iter().next().unwrap()
}

fn find<'a>(w: &'a Workload, rule: &str, container: &str) -> &'a Diagnostic {
    w.diagnostics
        .iter()
        .find(|d| d.rule == rule && d.container.as_deref() == Some(container))
        .unwrap_or_else(|| panic!("no {rule} on {container}: {:#?}", w.diagnostics))
}

fn annotation() -> Option<Waived> {
    Some(Waived {
        by: WaivedBy::Annotation,
        reason: None,
    })
}

#[test]
fn without_annotations_nothing_is_waived() {
    let w = workload("", "");
    assert!(find(&w, "missing-requests", "app").waived.is_none());
    assert!(w.diagnostics.iter().all(|d| d.waived.is_none()));
}

#[test]
fn the_workloads_own_annotation_waives_a_rule_for_every_container() {
    let w = workload("podlab.dev/ignore: \"missing-requests, unknown-rule\"", "");
    assert_eq!(find(&w, "missing-requests", "app").waived, annotation());
    assert_eq!(
        find(&w, "missing-requests", "istio-proxy").waived,
        annotation()
    );
    assert!(find(&w, "unpinned-image", "istio-proxy").waived.is_none());
}

#[test]
fn a_container_annotation_on_the_pod_template_waives_for_that_container_only() {
    let w = workload(
        "",
        "podlab.dev/ignore.istio-proxy: \"missing-requests,unpinned-image\"",
    );
    assert_eq!(
        find(&w, "missing-requests", "istio-proxy").waived,
        annotation()
    );
    assert_eq!(
        find(&w, "unpinned-image", "istio-proxy").waived,
        annotation()
    );
    assert!(find(&w, "missing-requests", "app").waived.is_none());
}

#[test]
fn a_star_waives_every_rule_and_a_container_star_only_that_containers_findings() {
    let all = workload("", "podlab.dev/ignore: '*'");
    assert!(!all.diagnostics.is_empty());
    assert!(all.diagnostics.iter().all(|d| d.waived == annotation()));

    let one = workload("podlab.dev/ignore.app: '*'", "");
    for d in &one.diagnostics {
        let expected = if d.container.as_deref() == Some("app") {
            annotation()
        } else {
            None
        };
        assert_eq!(d.waived, expected, "{d:?}");
    }
}

#[test]
fn other_annotations_with_the_same_prefix_waive_nothing() {
    let w = workload("podlab.dev/ignored: '*', podlab.dev/ignore-all: '*'", "");
    assert!(w.diagnostics.iter().all(|d| d.waived.is_none()));
}

#[test]
fn waived_is_serialised_only_when_set() {
    let w = workload("", "podlab.dev/ignore.istio-proxy: missing-requests");
    let json = serde_json::to_value(&w).unwrap();
    let diags = json["diagnostics"].as_array().unwrap();
    let waived: Vec<_> = diags.iter().filter(|d| d.get("waived").is_some()).collect();
    assert_eq!(waived.len(), 1, "{diags:#?}");
    assert_eq!(
        waived[0]["waived"],
        serde_json::json!({"by": "annotation", "reason": null})
    );
    assert_eq!(waived[0]["container"], "istio-proxy");
}

#[test]
fn a_later_waiver_does_not_replace_the_first() {
    let mut w = workload("", "podlab.dev/ignore.istio-proxy: missing-requests");
    let reason = Some("sized by the mesh injector".to_string());
    waivers::apply(
        &mut w,
        &[Waiver {
            rules: Rules::parse("missing-requests"),
            waived: Waived {
                by: WaivedBy::Config,
                reason: reason.clone(),
            },
            reaches: Box::new(|w, _| w.kind == "Deployment"),
        }],
    );
    assert_eq!(
        find(&w, "missing-requests", "istio-proxy").waived,
        annotation()
    );
    assert_eq!(
        find(&w, "missing-requests", "app").waived,
        Some(Waived {
            by: WaivedBy::Config,
            reason
        })
    );
}

#[test]
fn a_waiver_that_does_not_reach_the_workload_waives_nothing() {
    let mut w = workload("", "");
    waivers::apply(
        &mut w,
        &[Waiver {
            rules: Rules::All,
            waived: Waived {
                by: WaivedBy::Flag,
                reason: None,
            },
            reaches: Box::new(|w, _| w.kind == "StatefulSet"),
        }],
    );
    assert!(w.diagnostics.iter().all(|d| d.waived.is_none()));
}

#[test]
fn severities_are_set_per_rule_and_off_drops_the_findings() {
    let mut w = workload("", "");
    assert_eq!(
        find(&w, "missing-requests", "app").severity,
        Severity::Warning
    );
    let levels = BTreeMap::from([
        ("missing-requests".to_string(), Some(Severity::Error)),
        ("unpinned-image".to_string(), None),
    ]);
    waivers::set_severities(&mut w, &levels);
    assert_eq!(
        find(&w, "missing-requests", "app").severity,
        Severity::Error
    );
    assert!(w.diagnostics.iter().all(|d| d.rule != "unpinned-image"));
    assert!(w
        .diagnostics
        .windows(2)
        .all(|p| p[0].severity <= p[1].severity));
}

#[test]
fn sarif_carries_a_suppression_with_the_reason() {
    let mut a = analyze_text(
        "w.yaml",
        &deployment("", "podlab.dev/ignore.istio-proxy: unpinned-image"),
        &Options::default(),
    );
    let reason = Some("sized by the mesh injector".to_string());
    waivers::apply(
        &mut a.workloads[0],
        &[Waiver {
            rules: Rules::parse("missing-requests"),
            waived: Waived {
                by: WaivedBy::Config,
                reason,
            },
            reaches: Box::new(|_, d| d.container.as_deref() == Some("app")),
        }],
    );
    let sarif = podlab_engine::sarif::to_sarif(&a);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let by_rule = |rule: &str, container: &str| {
        results
            .iter()
            .find(|r| {
                r["ruleId"] == rule
                    && r["partialFingerprints"]["podlab/v1"]
                        .as_str()
                        .unwrap()
                        .contains(&format!(":{container}:"))
            })
            .unwrap()
    };
    let config = &by_rule("missing-requests", "app")["suppressions"];
    assert_eq!(config[0]["kind"], "external");
    assert_eq!(config[0]["justification"], "sized by the mesh injector");
    let annotation = &by_rule("unpinned-image", "istio-proxy")["suppressions"];
    assert_eq!(annotation[0]["kind"], "inSource");
    assert!(annotation[0].get("justification").is_none());
    assert!(by_rule("missing-requests", "istio-proxy")
        .get("suppressions")
        .is_none());
}

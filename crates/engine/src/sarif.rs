//! SARIF 2.1.0 for code-scanning (GitHub and others): the rule catalogue as tool metadata, each
//! finding as a result with its file and line, input errors as tool notifications.
//! Spec: OASIS SARIF 2.1.0 (sarif-v2.1.0-os), sections 3.13 (run), 3.19 (toolComponent), 3.27 (result).

use crate::model::{Analysis, Severity};
use crate::rules::CATALOGUE;
use crate::waivers::WaivedBy;
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Turns a file name into a SARIF artifact URI (relative paths stay relative to the run's root).
fn uri(file: &str) -> String {
    if file == "-" {
        return "stdin".into();
    }
    file.trim_start_matches("./")
        .replace('\\', "/")
        .replace(' ', "%20")
}

pub fn to_sarif(a: &Analysis) -> Value {
    let rules: Vec<Value> = CATALOGUE
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id.split('-').map(|w| { let mut c = w.chars(); c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default() }).collect::<String>(),
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": format!("{} Versions: {}. Upstream: {}.", r.summary, r.versions, r.source)},
                "helpUri": r.docs,
                "help": {"text": format!("{} See {}", r.summary, r.docs)},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"tags": ["kubernetes", "multi-container-pods"], "versions": r.versions, "upstream": r.source},
            })
        })
        .collect();
    let mut results = Vec::new();
    for w in &a.workloads {
        for d in &w.diagnostics {
            let index = CATALOGUE.iter().position(|r| r.id == d.rule);
            let mut result = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&d.file)},
                        "region": {"startLine": d.line.max(1)},
                    },
                    "logicalLocations": [{"name": format!("{}/{}", w.kind, w.name), "kind": "object"}],
                }],
                "partialFingerprints": {"podlab/v1": format!("{}:{}/{}:{}:{}", d.rule, w.kind, w.name, d.container.as_deref().unwrap_or(""), d.path.as_deref().unwrap_or(""))},
            });
            if let Some(i) = index {
                result["ruleIndex"] = json!(i);
            }
            // §3.55 fix: the first choice, then the alternatives.
            let fixes: Vec<Value> = d
                .fix
                .iter()
                .chain(&d.alternatives)
                .map(|f| {
                    json!({
                        "description": {"text": f.title},
                        "artifactChanges": [{
                            "artifactLocation": {"uri": uri(&d.file)},
                            "replacements": f.edits.iter().map(|e| json!({
                                "deletedRegion": {"startLine": e.line, "startColumn": e.column, "endLine": e.end_line, "endColumn": e.end_column},
                                "insertedContent": {"text": e.new_text},
                            })).collect::<Vec<_>>(),
                        }],
                    })
                })
                .collect();
            if !fixes.is_empty() {
                result["fixes"] = json!(fixes);
            }
            if let Some(waived) = &d.waived {
                // SARIF 3.35: a suppression written beside the code (an annotation in the
                // manifest) is "inSource"; one kept elsewhere (a configuration file, a flag) is
                // "external". An accepted suppression hides the result from code scanning.
                let kind = match waived.by {
                    WaivedBy::Annotation => "inSource",
                    WaivedBy::Config | WaivedBy::Flag => "external",
                };
                let mut suppression = json!({"kind": kind, "status": "accepted", "properties": {"by": waived.by.as_str()}});
                if let Some(reason) = &waived.reason {
                    suppression["justification"] = json!(reason);
                }
                result["suppressions"] = json!([suppression]);
            }
            results.push(result);
        }
    }
    let notifications: Vec<Value> = a
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": {"text": e.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&e.file)}, "region": {"startLine": e.line.max(1), "startColumn": e.column.max(1)}}}],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "podlab",
                "version": a.tool.version,
                "informationUri": "https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/",
                "rules": rules,
            }},
            "invocations": [{"executionSuccessful": a.errors.is_empty(), "toolExecutionNotifications": notifications}],
            // Edits count columns in characters (§3.14.23; the default is UTF-16 code units).
            "columnKind": "unicodeCodePoints",
            "properties": {"kubernetesVersion": a.kubernetes_version},
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_become_results_with_rule_metadata_and_regions() {
        let a = crate::analyze_text("k8s/job.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: nginx}\n", &Default::default());
        let s = to_sarif(&a);
        assert_eq!(s["version"], "2.1.0");
        let run = &s["runs"][0];
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().unwrap().len(),
            CATALOGUE.len()
        );
        let r = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == "unpinned-image")
            .unwrap();
        assert_eq!(r["level"], "warning");
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "k8s/job.yaml"
        );
        assert_eq!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            6
        );
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][idx]["id"], "unpinned-image");
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    }

    #[test]
    fn a_fix_becomes_fixes_with_replacements() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - name: w\n    image: w:1\n    readinessProbe: {exec: {command: [x]}}\n  containers:\n  - {name: a, image: a:1}\n";
        let a = crate::analyze_text("p.yaml", text, &Default::default());
        let s = to_sarif(&a);
        assert_eq!(s["runs"][0]["columnKind"], "unicodeCodePoints");
        let r = s["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == "init-container-probe")
            .unwrap();
        let fixes = r["fixes"].as_array().unwrap();
        assert_eq!(fixes.len(), 2);
        assert_eq!(
            fixes[0]["description"]["text"],
            "Remove readinessProbe from 'w'"
        );
        let change = &fixes[0]["artifactChanges"][0];
        assert_eq!(change["artifactLocation"]["uri"], "p.yaml");
        assert_eq!(
            change["replacements"][0],
            json!({"deletedRegion": {"startLine": 8, "startColumn": 1, "endLine": 9, "endColumn": 1}, "insertedContent": {"text": ""}})
        );
        assert_eq!(
            fixes[1]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
            "    restartPolicy: Always\n"
        );
    }

    #[test]
    fn input_errors_are_notifications() {
        let a = crate::analyze_text("bad.yaml", "a: [\n", &Default::default());
        let s = to_sarif(&a);
        let n = &s["runs"][0]["invocations"][0];
        assert_eq!(n["executionSuccessful"], false);
        assert_eq!(n["toolExecutionNotifications"][0]["level"], "error");
    }
}

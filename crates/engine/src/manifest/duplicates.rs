use super::{path_text, PodObject, ReadFinding};
use crate::yaml::{Node, Pos, Step};

/// Keys written twice, as findings on the workload whose object holds them. kubectl decodes YAML
/// strictly (sigs.k8s.io/yaml YAMLToJSONStrict, go-yaml's strict mode) and refuses such a file;
/// the analysis goes on with the later value, as a lenient decoder keeps it. A key written twice
/// in an object podlab does not analyse is not reported.
pub(super) fn duplicate_keys(duplicates: &[crate::yaml::DuplicateKey], pods: &mut [PodObject]) {
    for d in duplicates {
        for pod in pods.iter_mut() {
            let mut steps = Vec::new();
            if key_path(&pod.root, d.pos, &mut steps) {
                let path = path_text(&steps);
                pod.read_findings.push(ReadFinding {
                    rule: "duplicate-key",
                    message: format!(
                        "{path}: mapping key \"{}\" already defined at line {}: kubectl's strict YAML decoding refuses the file; a lenient reader keeps only this later value. Merge the two into one.",
                        d.key, d.first_line
                    ),
                    pos: d.pos,
                    path,
                });
                break;
            }
        }
    }
}

/// The path to the mapping key written at `pos`, if the tree holds one there.
fn key_path(node: &Node, pos: Pos, steps: &mut Vec<Step>) -> bool {
    match &node.kind {
        crate::yaml::NodeKind::Map(entries) => {
            for (k, v) in entries {
                let Some(text) = k.key_text() else { continue };
                steps.push(Step::Key(text));
                if k.pos == pos || key_path(v, pos, steps) {
                    return true;
                }
                steps.pop();
            }
            false
        }
        crate::yaml::NodeKind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                steps.push(Step::Index(i));
                if key_path(item, pos, steps) {
                    return true;
                }
                steps.pop();
            }
            false
        }
        _ => false,
    }
}

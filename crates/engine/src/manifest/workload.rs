//! A workload object (Pod, Deployment, Job, ...): its apiVersion checked, decoded leniently (a
//! value of the wrong type costs only itself), its unknown fields and bad quantities found.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::pod_spec::{decode, Decoded};
use super::quantities::{check_quantities, UnknownResources};
use super::wording::suggest_field;
use super::{metadata_text, path_text, Kind, ReadError};
use crate::yaml::json;
use crate::yaml::{Node, NodeKind, Pos, Step};

/// A workload object read from the input, decoded and positioned.
#[derive(Debug)]
pub struct PodObject {
    pub file: String,
    pub document: usize,
    pub kind: Kind,
    pub name: String,
    pub namespace: Option<String>,
    pub replicas: Option<i64>,
    pub spec: PodSpec,
    /// Annotations of the pod (the template's for workloads).
    pub pod_annotations: BTreeMap<String, String>,
    /// Labels of the pod (the template's for workloads), which Services select on.
    pub pod_labels: BTreeMap<String, String>,
    pub root: Node,
    /// Steps from the object's root to its pod spec.
    pub spec_steps: Vec<Step>,
    /// Findings made while reading: unknown fields, removed API versions, keys written twice,
    /// bad quantities.
    pub read_findings: Vec<ReadFinding>,
    /// Resources named with a value that is not a valid quantity; the value is left out of the
    /// spec, and the analysis shows the resource as unknown.
    pub unknown_resources: UnknownResources,
}

/// Something found while reading that is a finding, not a failure.
#[derive(Debug, Clone)]
pub struct ReadFinding {
    pub rule: &'static str,
    pub message: String,
    pub pos: Pos,
    pub path: String,
}

impl PodObject {
    pub fn line(&self) -> usize {
        self.root.pos.line
    }

    /// Position of a path below the pod spec.
    pub fn locate_in_spec(&self, rest: &[Step]) -> Pos {
        let mut steps = self.spec_steps.clone();
        steps.extend_from_slice(rest);
        self.root.locate(&steps).0
    }

    pub fn spec_prefix(&self) -> String {
        path_text(&self.spec_steps)
    }

    /// `initContainers[i]` then `containers[i]`, with their section name and index.
    pub fn all_containers(
        &self,
    ) -> impl Iterator<Item = (crate::model::Section, usize, &Container)> {
        let init = self
            .spec
            .init_containers
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, c)| (crate::model::Section::InitContainers, i, c));
        let main = self
            .spec
            .containers
            .iter()
            .enumerate()
            .map(|(i, c)| (crate::model::Section::Containers, i, c));
        init.chain(main)
    }
}

/// How many wrong-typed values one object may have before it is refused as a whole (each costs
/// one more decoding of the object).
const MAX_BAD_VALUES: usize = 20;

/// The value at a path of the tree read as its JSON (see [`crate::yaml::json`]).
fn value_at<'v>(mut v: &'v Node, steps: &[Step]) -> Option<&'v Node> {
    for step in steps {
        v = match step {
            Step::Key(k) => v.get(k)?,
            Step::Index(i) => v.items().get(*i)?,
        };
    }
    Some(v)
}

/// Takes the value at a path out of its mapping, as `serde_json::Map::remove` takes its key out
/// of the JSON: every entry written with that key goes.
fn remove_at(mut v: &mut Node, steps: &[Step]) {
    let Some((Step::Key(last), parents)) = steps.split_last() else {
        return;
    };
    for step in parents {
        let next = match (step, &mut v.kind) {
            (Step::Key(k), NodeKind::Map(entries)) => entries
                .iter_mut()
                .rev()
                .find(|(key, _)| key.key_is(k))
                .map(|(_, v)| v),
            (Step::Index(i), NodeKind::Seq(items)) => items.get_mut(*i),
            _ => None,
        };
        let Some(next) = next else { return };
        v = next;
    }
    if let NodeKind::Map(entries) = &mut v.kind {
        entries.retain(|(key, _)| !key.key_is(last));
    }
}

pub(super) fn read_workload(
    file: &str,
    document: usize,
    tree: Node,
    kind: Kind,
    api_version: &str,
) -> Result<PodObject, ReadError> {
    let root = &tree;
    let mut findings = Vec::new();
    let served = kind.api_versions().0;
    if api_version != served {
        findings.push(check_api_version(root, kind, api_version)?);
    }

    let (decoded, bad_values) = decode_leniently(kind, root, &mut findings);
    let Decoded {
        spec,
        replicas,
        labels: pod_labels,
        annotations: pod_annotations,
        unknown,
    } = decoded.map_err(|(steps, message)| ReadError::at_path(root, &steps, message))?;

    for steps in unknown {
        findings.push(unknown_field(root, kind, &steps));
    }

    let spec_steps: Vec<Step> = kind
        .spec_path()
        .iter()
        .map(|k| Step::Key(k.to_string()))
        .collect();
    if spec.containers.is_empty() {
        // validation.go validateContainers: "must have at least one container"
        let mut steps = spec_steps.clone();
        steps.push(Step::Key("containers".into()));
        return Err(ReadError::at_path(
            root,
            &steps,
            "a pod needs at least one container; the API server refuses an empty list",
        ));
    }
    let mut spec = spec;
    let mut unknown_resources = check_quantities(&mut spec, root, &spec_steps, &mut findings);
    count_bad_quantities(&bad_values, &spec_steps, &mut unknown_resources);

    let meta = root.get("metadata");
    let name = meta
        .and_then(|m| m.get("name").or_else(|| m.get("generateName")))
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_string();
    let namespace = metadata_text(root, "namespace").map(str::to_string);
    Ok(PodObject {
        file: file.to_string(),
        document,
        kind,
        name,
        namespace,
        replicas,
        spec,
        pod_annotations,
        pod_labels,
        root: tree,
        spec_steps,
        read_findings: findings,
        unknown_resources,
    })
}

/// An apiVersion other than the served one: a finding where it is one the API server no longer
/// serves, an error otherwise.
fn check_api_version(root: &Node, kind: Kind, api_version: &str) -> Result<ReadFinding, ReadError> {
    let (served, removed) = kind.api_versions();
    let pos = root
        .entry("apiVersion")
        .map(|(_, v)| v.pos)
        .unwrap_or(root.pos);
    match removed.iter().find(|(v, _)| *v == api_version) {
        Some((_, release)) => Ok(ReadFinding {
            rule: "removed-api-version",
            message: format!(
                "{api_version} {} is no longer served (removed in Kubernetes {release}): the API server refuses it. Use apiVersion: {served}.",
                kind.as_str()
            ),
            pos,
            path: "apiVersion".into(),
        }),
        None => {
            Err(ReadError {
                pos,
                message: format!("{} is served as apiVersion {served}, not '{api_version}'", kind.as_str()),
                path: Some("apiVersion".into()),
            })
        }
    }
}

/// A decoded workload, or the path and message of what stops it.
type Decoding = Result<Decoded, (Vec<Step>, String)>;

/// Decodes the object; a value of the wrong type is left out, and its path returned.
fn decode_leniently(
    kind: Kind,
    root: &Node,
    findings: &mut Vec<ReadFinding>,
) -> (Decoding, Vec<Vec<Step>>) {
    // A value of the wrong type costs only itself: it becomes a finding and reads as unset (as a
    // null does in the API types' decoders), and the object is decoded again without it. What
    // cannot be left out (a missing required field, the pod spec itself) still fails the object.
    let mut bad_values: Vec<Vec<Step>> = Vec::new();
    // The tree without the values taken out: a copy, made at the first (values of the wrong type
    // are rare, and the tree itself keeps every position for what is reported).
    let mut pruned: Option<Node> = None;
    let decoded = loop {
        let tree = pruned.as_ref().unwrap_or(root);
        match decode(kind, tree) {
            Ok(d) => break Ok(d),
            Err((steps, message)) => {
                // Anything below the top level can go, except the pod spec and the fields that
                // lead to it (`spec`, `spec.template`): `spec.replicas: three` costs only itself.
                let spec_path = kind.spec_path();
                let leads_to_pod_spec = steps.len() <= spec_path.len()
                    && steps
                        .iter()
                        .zip(spec_path)
                        .all(|(s, k)| matches!(s, Step::Key(x) if x == k));
                let deeper = steps.len() > 1 && !leads_to_pod_spec;
                let present = value_at(tree, &steps).is_some_and(|v| !json::is_null(v));
                let in_mapping = match steps.split_last() {
                    Some((Step::Key(_), rest)) => {
                        value_at(tree, rest).is_some_and(|p| matches!(p.kind, NodeKind::Map(_)))
                    }
                    _ => false,
                };
                match present && in_mapping {
                    // Taken out, not nulled: a map of quantities or strings takes no null.
                    true if deeper && bad_values.len() < MAX_BAD_VALUES => {
                        remove_at(pruned.get_or_insert_with(|| root.clone()), &steps);
                        bad_values.push(steps.clone());
                        let (pos, _) = root.locate(&steps);
                        let path = path_text(&steps);
                        findings.push(ReadFinding {
                            rule: "invalid-value",
                            message: format!("{path}: {message}; the API server cannot decode it, and podlab reads the rest without it."),
                            pos,
                            path,
                        });
                    }
                    _ => break Err((steps, message)),
                }
            }
        }
    };
    (decoded, bad_values)
}

/// A field the API type does not have, with the field a typo meant.
fn unknown_field(root: &Node, kind: Kind, steps: &[Step]) -> ReadFinding {
    let (pos, _) = root.locate(steps);
    let path = path_text(steps);
    let field = match steps.last() {
        Some(Step::Key(k)) => k.clone(),
        _ => path.clone(),
    };
    let hint = suggest_field(&field, kind.schema_root(), steps);
    ReadFinding {
        rule: "unknown-field",
        message: format!(
            "{path}: unknown field '{field}'{hint}. kubectl's strict validation refuses it; with validation off it would be dropped silently."
        ),
        pos,
        path,
    }
}

fn count_bad_quantities(
    bad_values: &[Vec<Step>],
    spec_steps: &[Step],
    unknown_resources: &mut UnknownResources,
) {
    // A quantity of the wrong type is unknown like an unreadable one. Whether a request was
    // written beside a bad limit is not looked at here: both count as unknown.
    for steps in bad_values {
        if let [.., Step::Key(field), Step::Key(name)] = &steps[..] {
            let under_spec = steps.starts_with(spec_steps);
            match field.as_str() {
                "requests" if under_spec => unknown_resources.add_request(name.clone()),
                "limits" | "overhead" if under_spec => {
                    unknown_resources.add_request(name.clone());
                    unknown_resources.add_limit(name.clone());
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::manifest::read_one;

    #[test]
    fn wrong_types_name_the_path() {
        let o = read_one("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: busybox:1.37\n    env:\n    - name: X\n      value: 8080\n");
        // One bad value costs only itself: the pod is read, the value is a finding.
        assert!(o.errors.is_empty(), "{:?}", o.errors);
        let f = &o.pods[0].read_findings[0];
        assert_eq!(f.rule, "invalid-value");
        assert!(
            f.message.starts_with("spec.containers[0].env[0].value: "),
            "{}",
            f.message
        );
        assert_eq!((f.pos.line, f.pos.column), (10, 7));
        // A workload's own field outside the pod spec costs only itself too.
        let o = read_one("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: three\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      containers: [{name: a, image: x}]\n");
        assert!(o.errors.is_empty(), "{:?}", o.errors);
        let f = &o.pods[0].read_findings[0];
        assert_eq!(f.rule, "invalid-value");
        assert!(f.message.starts_with("spec.replicas: "), "{}", f.message);
        assert_eq!((f.pos.line, f.pos.column), (5, 3));
        // The pod spec, and what leads to it, cannot be left out.
        for bad in [
            "spec: 5",
            "spec:\n  template: 5",
            "spec:\n  template:\n    spec: 5",
        ] {
            let o = read_one(&format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d}}\n{bad}\n"
            ));
            assert!(
                o.pods.is_empty() && o.errors.len() == 1,
                "{bad}: {:?}",
                o.errors
            );
        }
        // A required field cannot be left out: the object is refused as before.
        let o = read_one("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - image: busybox:1.37\n");
        assert_eq!(o.pods.len() + o.errors.len(), 1);
    }

    #[test]
    fn removed_api_versions_are_read_and_flagged() {
        let o = read_one("apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: x}]\n");
        assert_eq!(o.pods.len(), 1, "{:?}", o.errors);
        assert_eq!(o.pods[0].read_findings[0].rule, "removed-api-version");
    }
}

//! From text to Kubernetes objects: documents, kinds, field and type checks, the typed pod spec,
//! positions.
//!
//! Decoding follows what `kubectl apply` does with a manifest: sigs.k8s.io/yaml turns each document
//! into JSON, the API types decode it, and strict field validation (kubectl's default since 1.27)
//! refuses fields the types do not have. [`crate::schema`] checks every field of the object against
//! the API types' shape and finds unknown ones; the pod spec is then decoded into k8s-openapi's
//! `PodSpec`, which the analysis reads.
//!
//! One file per concern: `kind` (the workload kinds and where their pod spec sits), `workload`
//! (reading one workload object), `pod_spec` (the fields of the pod spec the analysis reads),
//! `quantities` (bad quantities), `wording` (typo suggestions, serde's messages reworded), `hpa`
//! and `service` (the objects read beside workloads), `duplicates` (keys written twice),
//! `helm` (chart templates), `read_error` and `position` (where a problem is).

mod duplicates;
mod helm;
mod hpa;
mod kind;
mod pod_spec;
mod position;
mod quantities;
mod read_error;
mod service;
mod wording;
mod workload;

use duplicates::duplicate_keys;
use helm::helm_template;
use hpa::read_hpa;
pub use hpa::{HpaMetric, HpaObject, MetricKind};
pub use kind::Kind;
pub use pod_spec::{copy_container, copy_containers, copy_pod_spec, copy_pod_spec_with};
pub use position::path_text;
use position::pos_of_offset;
pub use quantities::UnknownResources;
use read_error::ReadError;
use service::read_service;
pub use service::{ServiceIndex, ServiceObject};
use workload::read_workload;
pub use workload::{PodObject, ReadFinding};

use crate::model::InputError;
use crate::yaml::{self, Node, Pos};

/// Inputs larger than this are refused before parsing.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

#[derive(Default, Debug)]
pub struct Objects {
    pub pods: Vec<PodObject>,
    pub hpas: Vec<HpaObject>,
    pub services: Vec<ServiceObject>,
    pub errors: Vec<InputError>,
}

/// Reads one input (a file or standard input) into objects and errors.
pub fn read(file: &str, text: &str, out: &mut Objects) {
    match refused(file, text) {
        Some(e) => out.errors.push(e),
        None => read_accepted(file, text, out),
    }
}

/// Why an input is not read at all: too large, a Helm template, a binary file.
fn refused(file: &str, text: &str) -> Option<InputError> {
    let refused = |e: ReadError| Some(e.in_input(file, 0));
    if text.len() > MAX_INPUT_BYTES {
        return refused(ReadError::at(
            Pos { line: 1, column: 1 },
            format!(
                "the input is {} MB; podlab reads at most {} MB at once",
                text.len() / 1_000_000,
                MAX_INPUT_BYTES / 1_000_000
            ),
        ));
    }
    if let Some(e) = helm_template(text) {
        return refused(e);
    }
    if let Some(offset) = text.find('\0') {
        return refused(ReadError::at(
            pos_of_offset(text, offset),
            "the input holds a NUL byte: it looks like a binary file, not YAML or JSON",
        ));
    }
    None
}

fn read_accepted(file: &str, text: &str, out: &mut Objects) {
    let (docs, yaml_error) = yaml::read_documents(text);
    // Each document is read on its own (on every core for a long input), its tree moved into
    // the objects it holds.
    let read = crate::parallel::map_owned(docs, |index, doc| read_document(file, index, doc));
    for objects in read {
        out.pods.extend(objects.pods);
        out.hpas.extend(objects.hpas);
        out.services.extend(objects.services);
        out.errors.extend(objects.errors);
    }
    if let Some(e) = yaml_error {
        out.errors
            .push(ReadError::at(e.pos, e.message).in_input(file, e.document));
    }
}

/// The inputs as [`crate::Reading`] holds them: the autoscalers and Services of every input, and
/// in input order each workload read, each error, and (for a long input) each workload document
/// left to be read when it is analysed.
#[derive(Default)]
pub struct Units {
    pub units: Vec<Unit>,
    pub hpas: Vec<HpaObject>,
    pub services: Vec<ServiceObject>,
}

pub enum Unit {
    Pod(Box<PodObject>),
    Error(InputError),
    /// A workload's document in a long input, read again when the workload is analysed.
    #[cfg(feature = "parallel")]
    Later(Later),
}

/// Where a workload's document is: input number `source`, its index in that input's stream, and
/// its segment of the text.
#[cfg(feature = "parallel")]
pub struct Later {
    pub source: usize,
    pub document: usize,
    pub segment: yaml::Segment,
}

impl Units {
    fn add(&mut self, objects: Objects) {
        let units = objects.pods.into_iter().map(|p| Unit::Pod(Box::new(p)));
        self.units.extend(units);
        self.units
            .extend(objects.errors.into_iter().map(Unit::Error));
        self.hpas.extend(objects.hpas);
        self.services.extend(objects.services);
    }
}

/// Reads input number `source` as [`read`] does, into `out`. A long input is read on every core
/// document by document, each only as far as its top level, which tells its kind. A workload
/// keeps only its place ([`Later`]): [`read_later`] reads it whole when the workload is
/// analysed, so that the trees of a long input are never all held at once. Lists, Services and
/// autoscalers are read whole at once, since any workload may need them; any other document is
/// done with its top level.
#[cfg_attr(not(feature = "parallel"), allow(unused_variables))]
pub fn read_units(source: usize, file: &str, text: &str, out: &mut Units) {
    if let Some(e) = refused(file, text) {
        out.units.push(Unit::Error(e));
        return;
    }
    #[cfg(feature = "parallel")]
    {
        // A document's top level tells what it is: a workload's tree is built when the workload
        // is analysed, a List's, a Service's or an autoscaler's now; any other document is read
        // from its top level alone (a kind podlab does not read, or an error found there).
        let placed = yaml::read_each(text, yaml::Extent::TopLevel, |document, segment, doc| {
            let later = Later {
                source,
                document,
                segment,
            };
            match doc.root.as_ref().map(what) {
                Some(What::Workload(..)) => Err(later),
                Some(What::List | What::Service | What::Autoscaler(_)) => {
                    Ok(read_later(file, text, &later))
                }
                Some(What::Refused(_) | What::Other) | None => {
                    Ok(read_document(file, document, doc))
                }
            }
        });
        if let Some(placed) = placed {
            for p in placed {
                match p {
                    Ok(objects) => out.add(objects),
                    Err(later) => out.units.push(Unit::Later(later)),
                }
            }
            return;
        }
    }
    let mut objects = Objects::default();
    read_accepted(file, text, &mut objects);
    out.add(objects);
}

/// A document that [`read_units`] placed, read whole from its input's `text`.
#[cfg(feature = "parallel")]
pub fn read_later(file: &str, text: &str, later: &Later) -> Objects {
    match yaml::read_segment(text, later.segment) {
        Some(doc) => read_document(file, later.document, doc),
        // Not reached: the same text read the same way the first time.
        None => Objects {
            errors: vec![ReadError::at(
                Pos {
                    line: later.segment.line() + 1,
                    column: 1,
                },
                "this document could not be read again",
            )
            .in_input(file, later.document)],
            ..Objects::default()
        },
    }
}

/// The objects of document `index` of an input, and the keys written twice in its workloads.
fn read_document(file: &str, index: usize, doc: yaml::Document) -> Objects {
    let mut objects = Objects::default();
    if let Some(root) = doc.root {
        read_object(file, index, root, &mut objects);
        duplicate_keys(&doc.duplicates, &mut objects.pods);
    }
    objects
}

/// Whether an object of this kind holds other objects under `items` (`List`, and the typed lists
/// of core/v1 such as `PodList` that `kubectl get -o json` prints for one resource type).
pub fn is_list_kind(kind: &str, api_version: &str) -> bool {
    kind == "List" || kind.ends_with("List") && api_version == "v1"
}

/// `metadata.<field>` of an object, where it is text.
fn metadata_text<'a>(root: &'a Node, field: &str) -> Option<&'a str> {
    root.get("metadata")?.get(field)?.as_str()
}

/// Reads one object already in the tree: an item of a List read as a stream (`stream`).
pub fn read_root(file: &str, document: usize, root: Node, out: &mut Objects) {
    read_object(file, document, root, out);
}

/// What [`read_object`] does with a document, from its kind and apiVersion.
enum What {
    Refused(ReadError),
    List,
    Service,
    Autoscaler(String),
    Workload(Kind, String),
    /// A kind podlab does not analyse.
    Other,
}

fn what(root: &Node) -> What {
    let not_object = || {
        "this document is not a Kubernetes object: expected a mapping with apiVersion and kind"
            .to_string()
    };
    let (Some(kind_node), Some(api_node)) = (root.get("kind"), root.get("apiVersion")) else {
        let missing = match (root.get("kind"), root.get("apiVersion")) {
            (None, None) => not_object(),
            (None, _) => "this object has no 'kind'".to_string(),
            _ => "this object has no 'apiVersion'".to_string(),
        };
        return What::Refused(ReadError::at(root.pos, missing));
    };
    let (Some(kind), Some(api_version)) = (kind_node.as_str(), api_node.as_str()) else {
        return What::Refused(ReadError::at(
            kind_node.pos,
            "'kind' and 'apiVersion' must be strings",
        ));
    };
    if is_list_kind(kind, api_version) {
        return What::List;
    }
    if kind == "Service" && api_version == "v1" {
        return What::Service;
    }
    if kind == "HorizontalPodAutoscaler" {
        return What::Autoscaler(api_version.to_string());
    }
    match Kind::parse(kind) {
        Some(kind) => What::Workload(kind, api_version.to_string()),
        None => What::Other,
    }
}

fn read_object(file: &str, document: usize, mut root: Node, out: &mut Objects) {
    let err = |e: ReadError| e.in_input(file, document);
    match what(&root) {
        What::Refused(e) => out.errors.push(err(e)),
        What::List => {
            for item in root.take_items() {
                read_object(file, document, item, out);
            }
        }
        What::Service => out.services.push(read_service(&root)),
        What::Autoscaler(api_version) => match read_hpa(file, &root, &api_version) {
            Ok(h) => out.hpas.push(h),
            Err(e) => out.errors.push(err(e)),
        },
        What::Workload(kind, api_version) => {
            match read_workload(file, document, root, kind, &api_version) {
                Ok(p) => out.pods.push(p),
                Err(e) => out.errors.push(err(e)),
            }
        }
        What::Other => {}
    }
}

#[cfg(test)]
fn read_one(text: &str) -> Objects {
    let mut o = Objects::default();
    read("t.yaml", text, &mut o);
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_yield_their_items_and_other_kinds_are_skipped() {
        let o = read_one("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    containers: [{name: a, image: x}]\n");
        assert!(o.errors.is_empty(), "{:?}", o.errors);
        assert_eq!(o.pods.len(), 1);
        assert_eq!(o.pods[0].line(), 7);
    }

    #[test]
    fn a_document_that_is_not_an_object_is_an_error() {
        let o = read_one("- just\n- a list\n");
        assert!(o.errors[0].message.contains("not a Kubernetes object"));
        let o = read_one("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"j\"}, \"spec\": {\"containers\": [{\"name\": \"a\", \"image\": \"x\"}]}}");
        assert_eq!(o.pods.len(), 1, "JSON input reads as YAML: {:?}", o.errors);
    }
}

//! The shape of every object podlab reads, field by field, as the API types define it.
//!
//! `kubectl apply` sends the JSON of a document to the API server, which decodes it into the API
//! types and, with strict field validation (kubectl's default since 1.27), refuses fields the types
//! do not have. [`check`] does the same against a table generated from k8s-openapi's own JSON
//! schemas (`schema/table.rs`, kept current by `tests/schema_table.rs`): it reports the first value
//! of the wrong type, with its path, and lists every unknown field. Walking a table instead of
//! decoding every object into its typed struct keeps the page's WebAssembly small and quick to
//! compile; the pod spec, which the analysis reads, is still decoded into k8s-openapi's `PodSpec`.
//!
//! What each shape accepts is what k8s-openapi's decoders accept:
//! - a field that is present but null is left unset (every field decodes into an `Option`);
//! - a missing field is never an error (required fields fall back to their default);
//! - `Quantity` takes a string or any number (`cpu: 1`, `memory: 1e9`), `IntOrString` a string
//!   or a 32-bit integer, integers must be whole and in range, `Time` is an RFC 3339 timestamp.

use std::borrow::Cow;

use crate::yaml::{json, Node, NodeKind, Step};

#[rustfmt::skip]
mod table;

pub use table::{
    CRON_JOB, DAEMON_SET, DEPLOYMENT, HPA_V1, HPA_V2, JOB, POD, POD_TEMPLATE,
    REPLICATION_CONTROLLER, REPLICA_SET, STATEFUL_SET,
};

/// What a field holds on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Str,
    Int32,
    Int64,
    Num,
    Bool,
    IntOrStr,
    Quantity,
    Time,
    /// Base64 text (`format: byte`).
    Bytes,
    /// Free-form JSON (FieldsV1, RawExtension).
    Any,
    /// An object of the type at this index of the table.
    Obj(u16),
    List(&'static Shape),
    Map(&'static Shape),
}

/// An object type: its fields, sorted by name.
pub struct Ty(pub &'static [(&'static str, Shape)]);

impl Ty {
    fn field(&self, name: &str) -> Option<Shape> {
        self.0
            .binary_search_by(|(f, _)| (*f).cmp(name))
            .ok()
            .map(|i| self.0[i].1)
    }
}

/// A value of the wrong type: where it is, and what is wrong, in words.
pub type Mismatch = (Vec<Step>, String);

/// Checks a document's tree, read as its JSON (see [`crate::yaml::json`]), against the object
/// type `root`. Returns the paths of unknown fields, or the first value of the wrong type (in the
/// order the JSON's keys are stored).
pub fn check(value: &Node, root: u16) -> Result<Vec<Vec<Step>>, Mismatch> {
    let mut walk = Walk {
        path: Vec::new(),
        unknown: Vec::new(),
    };
    walk.value(value, Shape::Obj(root))?;
    Ok(walk.unknown)
}

/// The fields of the object that holds the last step of `path` (an unknown field's path, from
/// [`check`] on the type `root`): what a typo there may have meant. Empty where the path does not
/// lead through typed objects.
pub fn fields_beside(root: u16, path: &[Step]) -> impl Iterator<Item = &'static str> {
    let mut shape = Shape::Obj(root);
    for step in &path[..path.len().saturating_sub(1)] {
        shape = match (shape, step) {
            (Shape::Obj(ty), Step::Key(k)) => match table::TYPES[ty as usize].field(k) {
                Some(s) => s,
                None => Shape::Any,
            },
            (Shape::Map(item), Step::Key(_)) | (Shape::List(item), Step::Index(_)) => *item,
            _ => Shape::Any,
        };
    }
    let fields: &'static [(&'static str, Shape)] = match shape {
        Shape::Obj(ty) => table::TYPES[ty as usize].0,
        _ => &[],
    };
    fields.iter().map(|(name, _)| *name)
}

/// A step of the path being walked, borrowing the key: a path is made owned only when reported.
enum At<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

struct Walk<'a> {
    path: Vec<At<'a>>,
    unknown: Vec<Vec<Step>>,
}

impl<'a> Walk<'a> {
    fn here(&self) -> Vec<Step> {
        self.path
            .iter()
            .map(|at| match at {
                At::Key(k) => Step::Key(k.to_string()),
                At::Index(i) => Step::Index(*i),
            })
            .collect()
    }

    fn fail(&self, value: &Node, expected: &str) -> Result<(), Mismatch> {
        Err((
            self.here(),
            format!("found {}, expected {expected}", describe(value)),
        ))
    }

    fn value(&mut self, value: &'a Node, shape: Shape) -> Result<(), Mismatch> {
        let text = value.as_str();
        let number = matches!(value.kind, NodeKind::Int(_))
            || matches!(value.kind, NodeKind::Float(f) if f.is_finite());
        match shape {
            Shape::Any => Ok(()),
            Shape::Str => match text {
                Some(_) => Ok(()),
                _ => self.fail(value, "text"),
            },
            Shape::Bool => match value.kind {
                NodeKind::Bool(_) => Ok(()),
                _ => self.fail(value, "true or false"),
            },
            Shape::Num => match number {
                true => Ok(()),
                _ => self.fail(value, "a number"),
            },
            Shape::Int32 => self.integer(value, i32::MIN as i64, i32::MAX as i64),
            Shape::Int64 => self.integer(value, i64::MIN, i64::MAX),
            Shape::IntOrStr => match text {
                Some(_) => Ok(()),
                None if number => self.integer(value, i32::MIN as i64, i32::MAX as i64),
                _ => self.fail(value, "a whole number or text"),
            },
            Shape::Quantity => match text.is_some() || number {
                true => Ok(()),
                _ => self.fail(value, "a quantity (like 250m, 1.5, 512Mi or 2Gi)"),
            },
            Shape::Time => match text {
                Some(s) if is_rfc3339(s) => Ok(()),
                Some(s) => Err((
                    self.here(),
                    format!("'{s}' is not a timestamp (like 2025-01-31T12:00:00Z)"),
                )),
                _ => self.fail(value, "a timestamp (like 2025-01-31T12:00:00Z)"),
            },
            Shape::Bytes => {
                use base64::Engine;
                match text {
                    Some(s) if base64::engine::general_purpose::STANDARD.decode(s).is_ok() => {
                        Ok(())
                    }
                    _ => self.fail(value, "base64 text"),
                }
            }
            Shape::List(item) => {
                let NodeKind::Seq(items) = &value.kind else {
                    return self.fail(value, "a list");
                };
                for (i, v) in items.iter().enumerate() {
                    self.path.push(At::Index(i));
                    self.value(v, *item)?;
                    self.path.pop();
                }
                Ok(())
            }
            Shape::Map(item) => {
                let Some(entries) = json::entries(value) else {
                    return self.fail(value, "a mapping");
                };
                for (k, v) in entries {
                    self.path.push(At::Key(k));
                    self.value(v, *item)?;
                    self.path.pop();
                }
                Ok(())
            }
            Shape::Obj(ty) => {
                let Some(entries) = json::entries(value) else {
                    return self.fail(value, "a mapping");
                };
                let ty = &table::TYPES[ty as usize];
                for (k, v) in entries {
                    let field = ty.field(&k);
                    self.path.push(At::Key(k));
                    match field {
                        // A null field decodes as unset.
                        Some(_) if json::is_null(v) => {}
                        Some(shape) => self.value(v, shape)?,
                        // An unknown field with a null value is dropped by every reader; not worth a word.
                        None if json::is_null(v) => {}
                        None => self.unknown.push(self.here()),
                    }
                    self.path.pop();
                }
                Ok(())
            }
        }
    }

    fn integer(&self, value: &Node, min: i64, max: i64) -> Result<(), Mismatch> {
        match value.kind {
            NodeKind::Int(i) if (min..=max).contains(&i) => Ok(()),
            NodeKind::Int(i) => Err((
                self.here(),
                format!("{i} is out of range: expected a whole number from {min} to {max}"),
            )),
            _ => self.fail(value, "a whole number"),
        }
    }
}

/// A value as a person would name it in an error message.
fn describe(value: &Node) -> String {
    match &value.kind {
        NodeKind::Null => "nothing (null)".into(),
        NodeKind::Float(f) if !f.is_finite() => "nothing (null)".into(),
        NodeKind::Bool(b) => format!("{b}"),
        NodeKind::Int(i) => format!("the number {i}"),
        NodeKind::Float(f) => format!("the number {}", serde_json::Number::from_f64(*f).unwrap()),
        NodeKind::Str(s) => {
            let short: String = s.chars().take(40).collect();
            let more = if short.len() < s.len() { "…" } else { "" };
            format!("the text \"{short}{more}\"")
        }
        NodeKind::Seq(_) => "a list".into(),
        NodeKind::Map(_) => "a mapping".into(),
    }
}

/// RFC 3339 date-time, as metav1.Time decodes it (Go's time.RFC3339): `2006-01-02T15:04:05Z07:00`,
/// with optional fractional seconds ([`crate::podstatus::Time::parse`]).
fn is_rfc3339(s: &str) -> bool {
    crate::podstatus::Time::parse(s).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// The tree of a JSON value, as a document holding it reads.
    fn tree(v: &Value) -> Node {
        crate::json::read_value(v.to_string().as_bytes(), Default::default()).unwrap()
    }

    fn check(v: &Value, root: u16) -> Result<Vec<Vec<Step>>, Mismatch> {
        super::check(&tree(v), root)
    }

    #[test]
    fn timestamps_are_rfc3339() {
        for ok in [
            "2025-01-31T12:00:00Z",
            "2025-01-31T12:00:00.123456Z",
            "2025-01-31T12:00:00+01:00",
            "2025-01-31t12:00:00z",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "2025-01-31",
            "2025-13-01T00:00:00Z",
            "2025-01-31T12:00:00",
            "2025-01-31T12:00:00.Z",
            "2025-01-31T12:00:00+0100",
            "yesterday",
            "",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn integers_must_be_whole_and_in_range() {
        let port = |v: Value| {
            check(
                &json!({"spec": {"containers": [{"name": "a", "ports": [{"containerPort": v}]}]}}),
                POD,
            )
        };
        assert!(port(json!(8080)).is_ok());
        let (path, message) = port(json!(3_000_000_000u64)).unwrap_err();
        assert_eq!(path.len(), 6);
        assert!(message.contains("out of range"), "{message}");
        assert!(port(json!(80.5)).unwrap_err().1.contains("whole number"));
        assert!(port(json!("http"))
            .unwrap_err()
            .1
            .contains("the text \"http\""));
    }

    #[test]
    fn quantities_take_numbers_and_int_or_string_takes_both() {
        let pod = json!({"spec": {"containers": [{"name": "a",
            "resources": {"requests": {"cpu": 1, "memory": 1e9}, "limits": {"cpu": "2"}},
            "readinessProbe": {"httpGet": {"port": "http"}},
            "livenessProbe": {"tcpSocket": {"port": 8080}}}]}});
        assert_eq!(check(&pod, POD), Ok(vec![]));
        let bad = json!({"spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": [1]}}}]}});
        assert!(check(&bad, POD).is_err());
    }

    #[test]
    fn unknown_fields_are_listed_and_nulls_are_unset() {
        let pod = json!({"metadata": {"name": "p", "creationTimestamp": null},
            "spec": {"containers": [{"name": "a", "restartpolicy": "Always", "image": null}], "nodeSelecter": {}}});
        let unknown = check(&pod, POD).unwrap();
        assert_eq!(
            unknown,
            vec![
                vec![
                    Step::Key("spec".into()),
                    Step::Key("containers".into()),
                    Step::Index(0),
                    Step::Key("restartpolicy".into())
                ],
                vec![Step::Key("spec".into()), Step::Key("nodeSelecter".into())],
            ]
        );
    }

    #[test]
    fn free_form_fields_take_anything() {
        let pod = json!({"metadata": {"managedFields": [{"fieldsV1": {"f:spec": {"x": [1, null]}},
            "time": "2025-01-31T12:00:00Z"}]}, "spec": {"containers": [{"name": "a"}]}});
        assert_eq!(check(&pod, POD), Ok(vec![]));
    }
}

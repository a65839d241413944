//! The analysis as it crosses from the page's analysis worker to its main thread: postcard, a
//! compact format that writes a struct's fields by position. Reading it back needs no field-name
//! matching, which keeps the page's WebAssembly smaller than reading the JSON would, and it is
//! quicker to read on the main thread.
//!
//! The JSON leaves out empty optional fields (`skip_serializing_if`); a positional format must
//! write every field, so while [`to_bytes`] runs, [`whole`] is true and the model's skip
//! functions below keep every field. `tool` is the other way round: never read back, so never
//! written on the wire.

use crate::model::Analysis;
use std::cell::Cell;

thread_local! {
    static WHOLE: Cell<bool> = const { Cell::new(false) };
}

/// True while the wire form is written: every field goes out.
fn whole() -> bool {
    WHOLE.with(Cell::get)
}

/// `skip_serializing_if` for an optional field the JSON leaves out when it is empty.
pub(crate) fn omit_none<T>(v: &Option<T>) -> bool {
    v.is_none() && !whole()
}

/// `skip_serializing_if` for a list the JSON leaves out when it is empty.
pub(crate) fn omit_empty<T>(v: &[T]) -> bool {
    v.is_empty() && !whole()
}

/// `skip_serializing_if` for a field that is never read back: written to JSON only.
pub(crate) fn json_only<T>(_: &T) -> bool {
    whole()
}

/// The analysis in the wire form.
pub fn to_bytes(analysis: &Analysis) -> Vec<u8> {
    struct Whole;
    impl Drop for Whole {
        fn drop(&mut self) {
            WHOLE.with(|w| w.set(false));
        }
    }
    WHOLE.with(|w| w.set(true));
    let _whole = Whole;
    postcard::to_allocvec(analysis).unwrap_or_default()
}

/// Reads back what [`to_bytes`] wrote (from this same build: the form has no version).
pub fn from_bytes(bytes: &[u8]) -> Result<Analysis, postcard::Error> {
    postcard::from_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_still_leaves_out_empty_fields_and_the_wire_keeps_them() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx\n";
        let a = crate::analyze_text("p.yaml", text, &crate::Options::default());
        let json = serde_json::to_value(&a).unwrap();
        assert!(json["tool"].is_object());
        let d = &json["workloads"][0]["diagnostics"][0];
        assert!(d.is_object(), "{json}");
        assert!(
            d.get("waived").is_none() && d.get("alternatives").is_none(),
            "{d}"
        );
        let bytes = to_bytes(&a);
        assert_eq!(from_bytes(&bytes).unwrap(), a);
        assert!(!whole());
        assert_eq!(serde_json::to_value(&a).unwrap(), json);
    }

    #[test]
    fn the_model_skips_fields_only_through_these_functions() {
        // Any other skip would leave a field out of the wire form, and its reader would take
        // the next field's bytes for it.
        // A field skipped only when read (`skip_deserializing`) must not be written either.
        let model = include_str!("model.rs");
        let skips: Vec<&str> = model.lines().filter(|l| l.contains("skip")).collect();
        assert!(skips.len() >= 7, "{skips:?}");
        for l in skips {
            let rest = l
                .replace("skip_serializing_if = \"crate::wire::", "")
                .replace("skip_deserializing", "");
            assert!(!rest.contains("skip"), "{l}");
            assert!(
                !l.contains("skip_deserializing") || l.contains("crate::wire::json_only"),
                "{l}"
            );
        }
    }

    #[test]
    fn a_cut_answer_is_an_error_not_a_panic() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx\n";
        let bytes = to_bytes(&crate::analyze_text(
            "p.yaml",
            text,
            &crate::Options::default(),
        ));
        for n in 0..bytes.len() {
            assert!(from_bytes(&bytes[..n]).is_err(), "{n}");
        }
    }
}

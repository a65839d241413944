//! podlab files: the link's JSON, pretty-printed, with a `format` marker; and what else a file
//! dropped on the page may hold (a saved link, a bare manifest).

use super::link::{decode, LinkError};
use super::payload::Payload;

/// The largest file the page and the CLI open.
pub const MAX_FILE: usize = 16 * 1024 * 1024;
/// What a podlab file says it is, so opening one is never mistaken for a manifest.
pub const FILE_FORMAT: &str = "podlab/v1";

/// A manifest with its notes (or a whole deck) as a file: the link's JSON, pretty-printed, with
/// a `format` marker. People share it where links get cut.
pub fn to_file(payload: &Payload) -> String {
    let mut v = serde_json::to_value(payload).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("format".into(), FILE_FORMAT.into());
    }
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

/// What a file dropped on the page or given to `podlab link encode` holds: a podlab file, a
/// podlab link, or else a manifest (YAML or JSON) on its own.
pub fn from_file(text: &str) -> Result<Payload, LinkError> {
    if text.len() > MAX_FILE {
        return Err(LinkError::FileTooLarge);
    }
    let trimmed = text.trim();
    if trimmed.starts_with('{') {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(trimmed) {
            if let Some(format) = v.get("format") {
                if format.as_str() != Some(FILE_FORMAT) {
                    return Err(LinkError::UnknownFileFormat(format.to_string()));
                }
                return serde_json::from_value(v).map_err(|e| LinkError::Json(e.to_string()));
            }
        }
    }
    if !trimmed.contains('\n') && trimmed.contains("#v") {
        return decode(trimmed);
    }
    Ok(Payload {
        manifest: text.to_string(),
        ..Payload::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::link::link;
    use crate::share::payload::tests::{deck, sample};

    #[test]
    fn files_round_trip_and_other_text_opens_as_a_manifest() {
        let p = Payload::of_deck(deck());
        let f = to_file(&p);
        assert!(f.contains("\"format\": \"podlab/v1\""));
        assert_eq!(from_file(&f).unwrap(), p);
        // A link saved in a file opens too.
        assert_eq!(
            from_file(&link("https://x.org/", &sample())).unwrap(),
            sample()
        );
        // A manifest, YAML or JSON, is the manifest.
        let yaml = "apiVersion: v1\nkind: Pod\n";
        assert_eq!(from_file(yaml).unwrap().manifest, yaml);
        let json = r#"{"apiVersion": "v1", "kind": "Pod"}"#;
        assert_eq!(from_file(json).unwrap().manifest, json);
        assert!(from_file(json).unwrap().notes.is_empty());
        // A file from a newer podlab is refused, not misread.
        assert!(matches!(
            from_file(r#"{"format": "podlab/v9", "manifest": ""}"#),
            Err(LinkError::UnknownFileFormat(_))
        ));
        assert!(matches!(
            from_file(r#"{"format": "podlab/v1", "manifest": 3}"#),
            Err(LinkError::Json(_))
        ));
        assert_eq!(
            from_file(&" ".repeat(MAX_FILE + 1)),
            Err(LinkError::FileTooLarge)
        );
    }
}

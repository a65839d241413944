//! Share links (CONTRACT.md §2): `<base-url>#v1/<payload>`, the payload being base64url without
//! padding of raw DEFLATE of a UTF-8 JSON object. Everything lives in the URL fragment, so no
//! server ever sees a manifest. Decoding is bounded: at most 4 MiB once inflated.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// The most a link may inflate to.
pub const MAX_INFLATED: usize = 4 * 1024 * 1024;
/// Links longer than this get cut by many chat apps and mail clients.
pub const LONG_LINK: usize = 2000;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub line: Option<usize>,
    pub container: Option<String>,
    pub text: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Payload {
    pub manifest: String,
    #[serde(default)]
    pub notes: Vec<Note>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes_version: Option<String>,
    /// Page state worth restoring (selected workload, open panels, questionnaire answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<serde_json::Value>,
    /// A lesson deck for a workshop. `manifest` and `notes` then hold the first lesson, so a
    /// reader that knows no decks still opens something sensible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deck: Option<Deck>,
}

/// Ordered annotated manifests: a workshop in one link or file.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Deck {
    pub title: String,
    pub lessons: Vec<Lesson>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Lesson {
    pub title: String,
    /// What the presenter says before the reveal; plain text, paragraphs split by blank lines.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    pub manifest: String,
    #[serde(default)]
    pub notes: Vec<Note>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes_version: Option<String>,
    /// Learners classify each container before the analysis is revealed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub quiz: bool,
}

impl Deck {
    /// Blanks what looks like a secret in every lesson.
    pub fn redact(&mut self) {
        for l in &mut self.lessons {
            l.manifest = redact(&l.manifest);
        }
    }
}

impl Payload {
    /// What looks like a secret anywhere the payload would carry it: every lesson of a deck
    /// (named in `what`), or else the manifest.
    pub fn secrets(&self) -> Vec<SecretHit> {
        match &self.deck {
            Some(d) => d
                .lessons
                .iter()
                .enumerate()
                .flat_map(|(i, l)| {
                    find_secrets(&l.manifest).into_iter().map(move |mut h| {
                        h.what = format!("{} (lesson {}, {})", h.what, i + 1, l.title);
                        h
                    })
                })
                .collect(),
            None => find_secrets(&self.manifest),
        }
    }

    /// Blanks what looks like a secret in the manifest and in every lesson.
    pub fn redact(&mut self) {
        self.manifest = redact(&self.manifest);
        if let Some(d) = &mut self.deck {
            d.redact();
        }
    }

    /// A payload that opens a deck at its first lesson.
    pub fn of_deck(deck: Deck) -> Payload {
        let first = deck.lessons.first().cloned().unwrap_or_default();
        Payload {
            manifest: first.manifest,
            notes: first.notes,
            kubernetes_version: first.kubernetes_version,
            view: None,
            deck: Some(deck),
        }
    }
}

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

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("this link carries no podlab content (nothing after '#')")]
    Empty,
    #[error("this link was made by a newer podlab (format '{0}'); this version reads v1 links")]
    UnknownVersion(String),
    #[error("this link is damaged: it is not valid base64url (was it cut short, or changed by a chat app?)")]
    Base64,
    #[error("this link is damaged or cut short: its compressed data does not inflate")]
    Inflate,
    #[error("this link would inflate to more than 4 MiB; podlab refuses it")]
    TooLarge,
    #[error("this link's content is not a podlab share: {0}")]
    Json(String),
    #[error("this file is larger than 16 MiB; podlab opens files up to that size")]
    FileTooLarge,
    #[error(
        "this file was made by a newer podlab (format {0}); this version opens podlab/v1 files"
    )]
    UnknownFileFormat(String),
}

/// The fragment part of a link: `v1/<payload>`.
pub fn encode(payload: &Payload) -> String {
    let json = serde_json::to_vec(payload).unwrap_or_default();
    let deflated = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("v1/{}", URL_SAFE_NO_PAD.encode(deflated))
}

/// A whole link: the base URL (its own fragment dropped) and `#v1/...`.
pub fn link(base_url: &str, payload: &Payload) -> String {
    let base = base_url.split('#').next().unwrap_or("");
    format!("{base}#{}", encode(payload))
}

/// Reads a link, a fragment (`#v1/...`) or a bare `v1/...`.
pub fn decode(link: &str) -> Result<Payload, LinkError> {
    let fragment = match link.find('#') {
        Some(i) => &link[i + 1..],
        None => link,
    }
    .trim();
    if fragment.is_empty() {
        return Err(LinkError::Empty);
    }
    let (version, data) = fragment.split_once('/').unwrap_or((fragment, ""));
    if version != "v1" {
        return Err(LinkError::UnknownVersion(
            version.chars().take(12).collect(),
        ));
    }
    // Some chat apps keep '=' padding or percent-encode; accept both.
    let data = data
        .trim_end_matches('=')
        .replace("%3D", "")
        .replace("%2F", "/");
    let deflated = URL_SAFE_NO_PAD
        .decode(data.as_bytes())
        .map_err(|_| LinkError::Base64)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_INFLATED)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
            _ => LinkError::Inflate,
        })?;
    serde_json::from_slice(&json).map_err(|e| LinkError::Json(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Payload {
        Payload {
            manifest: "apiVersion: v1\nkind: Pod\n".into(),
            notes: vec![Note {
                line: Some(2),
                container: None,
                text: "a Pod".into(),
            }],
            kubernetes_version: Some("1.33".into()),
            view: None,
            deck: None,
        }
    }

    fn deck() -> Deck {
        Deck {
            title: "Sidecars".into(),
            lessons: vec![
                Lesson {
                    title: "One".into(),
                    text: "First.".into(),
                    manifest: "kind: Pod\n".into(),
                    notes: vec![Note {
                        line: None,
                        container: Some("app".into()),
                        text: "the app".into(),
                    }],
                    kubernetes_version: Some("1.29".into()),
                    quiz: true,
                },
                Lesson {
                    title: "Two".into(),
                    manifest: "kind: Job\n".into(),
                    ..Lesson::default()
                },
            ],
        }
    }

    #[test]
    fn a_deck_travels_in_a_link_and_opens_at_its_first_lesson() {
        let p = Payload::of_deck(deck());
        assert_eq!(p.manifest, "kind: Pod\n");
        assert_eq!(p.notes[0].container.as_deref(), Some("app"));
        assert_eq!(p.kubernetes_version.as_deref(), Some("1.29"));
        let back = decode(&link("https://example.org/", &p)).unwrap();
        assert_eq!(back, p);
        // Fields left at their defaults stay out of the link.
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json.matches("\"quiz\"").count(), 1, "{json}");
        assert!(!json.contains("\"text\":\"\""), "{json}");
    }

    #[test]
    fn secrets_are_found_and_redacted_in_every_lesson_once() {
        let secret = "kind: Pod\nspec:\n  containers:\n  - env:\n    - name: DB_PASSWORD\n      value: hunter2\n";
        let mut d = deck();
        d.lessons[1].manifest = secret.into();
        d.lessons[0].manifest = secret.into();
        let mut p = Payload::of_deck(d);
        // The first lesson is also the payload's manifest: it is reported once, not twice.
        let hits = p.secrets();
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert!(hits[1].what.contains("lesson 2, Two"), "{}", hits[1].what);
        p.redact();
        assert!(!p.manifest.contains("hunter2"));
        let d = p.deck.unwrap();
        assert!(d.lessons.iter().all(|l| !l.manifest.contains("hunter2")));
    }

    #[test]
    fn links_without_a_deck_still_decode() {
        // A v1 link made before decks existed.
        let old = encode(&sample());
        assert_eq!(decode(&old).unwrap().deck, None);
    }

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

    #[test]
    fn round_trips_through_a_link() {
        let l = link("https://example.org/podlab/#old", &sample());
        assert!(l.starts_with("https://example.org/podlab/#v1/"));
        assert!(!l.contains('=') && !l.contains('+'));
        assert_eq!(decode(&l).unwrap(), sample());
        assert_eq!(decode(&encode(&sample())).unwrap(), sample());
    }

    #[test]
    fn damaged_links_get_clear_errors() {
        let l = encode(&sample());
        assert_eq!(decode(""), Err(LinkError::Empty));
        assert_eq!(
            decode("#v9/abc"),
            Err(LinkError::UnknownVersion("v9".into()))
        );
        assert_eq!(decode("#v1/!!!"), Err(LinkError::Base64));
        assert!(matches!(
            decode(&l[..l.len() / 2]),
            Err(LinkError::Inflate) | Err(LinkError::Base64)
        ));
        let not_deflate = URL_SAFE_NO_PAD.encode(b"hello world, not deflate");
        assert!(decode(&format!("v1/{not_deflate}")).is_err());
        let not_payload =
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b"[1,2]", 6));
        assert!(matches!(
            decode(&format!("v1/{not_payload}")),
            Err(LinkError::Json(_))
        ));
    }

    #[test]
    fn a_deflate_bomb_is_refused() {
        let zeros = vec![b' '; 64 * 1024 * 1024];
        let bomb = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&zeros, 9));
        assert!(bomb.len() < 200_000);
        assert_eq!(decode(&format!("v1/{bomb}")), Err(LinkError::TooLarge));
    }

    #[test]
    fn every_truncation_of_a_link_is_refused_with_a_message() {
        let l = encode(&sample());
        assert_eq!(decode(&l).as_ref(), Ok(&sample()));
        for cut in 0..l.len() {
            let e = decode(&l[..cut]).expect_err("a cut link is refused");
            let message = e.to_string();
            let expected = match cut {
                0 => "carries no podlab content",
                1 => "made by a newer podlab",
                _ => "damaged",
            };
            assert!(message.contains(expected), "cut at {cut}: {message}");
        }
    }
}

/// Something in a manifest that looks like a secret, and where.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SecretHit {
    pub line: usize,
    pub what: String,
}

fn secret_name(name: &str) -> bool {
    let n = name.to_ascii_uppercase().replace(['-', '.'], "_");
    [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "ACCESS_KEY",
        "CREDENTIAL",
        "AUTH",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// What [`redact`] leaves in place of a secret.
const REDACTED: &str = "REDACTED";

/// A value [`redact`] has already blanked (a block scalar becomes lines of REDACTED).
fn already_redacted(value: &str) -> bool {
    value
        .lines()
        .all(|l| l.trim().is_empty() || l.trim() == REDACTED)
}

/// Finds what a manifest should not carry into a link: Secret data, literal env values named like
/// passwords or tokens, private keys. Values already redacted are not reported again.
pub fn find_secrets(text: &str) -> Vec<SecretHit> {
    use crate::yaml::{read_documents, Node, NodeKind};
    let mut hits = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.contains("-----BEGIN") && line.contains("PRIVATE KEY") {
            hits.push(SecretHit {
                line: i + 1,
                what: "a private key".into(),
            });
        }
    }
    fn walk(n: &Node, hits: &mut Vec<SecretHit>) {
        match &n.kind {
            NodeKind::Map(entries) => {
                let is_secret = n.get("kind").and_then(Node::as_str) == Some("Secret");
                for (k, v) in entries {
                    let key = k.key_text().unwrap_or_default();
                    if is_secret && (key == "data" || key == "stringData") {
                        if let NodeKind::Map(items) = &v.kind {
                            for (dk, dv) in items {
                                if dv.as_str().is_some_and(already_redacted) {
                                    continue;
                                }
                                hits.push(SecretHit {
                                    line: dv.pos.line,
                                    what: format!(
                                        "Secret {key} '{}'",
                                        dk.key_text().unwrap_or_default()
                                    ),
                                });
                            }
                        }
                    }
                    walk(v, hits);
                }
                // env: [{name: DB_PASSWORD, value: "..."}]
                if let (Some(name), Some(value)) =
                    (n.get("name").and_then(Node::as_str), n.get("value"))
                {
                    if secret_name(name)
                        && value
                            .as_str()
                            .is_some_and(|s| !s.is_empty() && !already_redacted(s))
                    {
                        hits.push(SecretHit {
                            line: value.pos.line,
                            what: format!("the value of {name}"),
                        });
                    }
                }
            }
            NodeKind::Seq(items) => items.iter().for_each(|i| walk(i, hits)),
            _ => {}
        }
    }
    for doc in read_documents(text).0 {
        if let Some(root) = &doc.root {
            walk(root, &mut hits);
        }
    }
    hits.sort_by_key(|h| h.line);
    hits.dedup_by_key(|h| h.line);
    hits
}

/// Replaces every value `find_secrets` finds with REDACTED, keeping the manifest's shape (and
/// every line number), so the link still shows the same pod.
pub fn redact(text: &str) -> String {
    let lines_to_redact: std::collections::BTreeSet<usize> =
        find_secrets(text).into_iter().map(|h| h.line).collect();
    let mut out = Vec::new();
    let mut in_block: Option<usize> = None; // indentation of a block scalar or key being blanked
    for (i, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if let Some(block) = in_block {
            if line.trim().is_empty() || indent > block {
                out.push(if line.trim().is_empty() {
                    String::new()
                } else {
                    format!("{}{REDACTED}", " ".repeat(indent))
                });
                continue;
            }
            in_block = None;
        }
        if line.contains("-----BEGIN") {
            out.push(format!("{}{REDACTED}", " ".repeat(indent)));
            in_block = Some(indent.saturating_sub(1));
            continue;
        }
        if lines_to_redact.contains(&(i + 1)) {
            if let Some(colon) = line.find(": ") {
                let value = line[colon + 2..].trim();
                if value.starts_with('|') || value.starts_with('>') {
                    out.push(format!("{}: |", &line[..colon]));
                    in_block = Some(indent);
                } else {
                    out.push(format!("{}: \"{REDACTED}\"", &line[..colon]));
                }
                continue;
            }
            out.push(format!("{}{REDACTED}", " ".repeat(indent)));
            continue;
        }
        out.push(line.to_string());
    }
    let mut s = out.join("\n");
    if text.ends_with('\n') {
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod secret_tests {
    use super::*;

    const WITH_SECRETS: &str = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata:\n  password: aHVudGVyMg==\nstringData:\n  tls.key: |\n    -----BEGIN PRIVATE KEY-----\n    MIIEvQIBADANBg\n    -----END PRIVATE KEY-----\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: x:1\n    env:\n    - name: DB_PASSWORD\n      value: hunter2\n    - name: LOG_LEVEL\n      value: debug\n    - name: API_TOKEN\n      valueFrom: {secretKeyRef: {name: db, key: token}}\n";

    #[test]
    fn finds_secret_data_password_values_and_private_keys() {
        let hits = find_secrets(WITH_SECRETS);
        let lines: Vec<usize> = hits.iter().map(|h| h.line).collect();
        assert!(lines.contains(&5), "{hits:?}");
        assert!(lines.contains(&8), "{hits:?}");
        assert!(lines.contains(&21), "{hits:?}");
        assert!(!lines.contains(&23), "LOG_LEVEL is not a secret");
        assert!(
            !hits.iter().any(|h| h.what.contains("API_TOKEN")),
            "valueFrom carries no secret"
        );
    }

    #[test]
    fn redaction_removes_the_values_and_keeps_the_shape() {
        let r = redact(WITH_SECRETS);
        assert!(
            !r.contains("hunter2") && !r.contains("aHVudGVyMg==") && !r.contains("MIIEvQ"),
            "{r}"
        );
        assert_eq!(r.lines().count(), WITH_SECRETS.lines().count());
        // What was redacted is not reported again, so sharing the redacted text warns of nothing.
        assert_eq!(find_secrets(&r), vec![], "{r}");
        assert_eq!(redact(&r), r);
        let a = crate::analyze_text("r.yaml", &r, &Default::default());
        assert!(a.errors.is_empty(), "{:?}\n{r}", a.errors);
        assert!(r.contains("value: debug"));
    }
}

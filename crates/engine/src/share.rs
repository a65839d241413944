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

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
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
        }
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
    fn every_truncation_of_a_link_is_an_error_or_the_payload_never_a_panic() {
        let l = encode(&sample());
        for cut in 0..l.len() {
            let _ = decode(&l[..cut]);
        }
    }
}

//! The link codec: `v1/` + base64url (no padding) of raw DEFLATE of the payload's JSON.
//! Decoding is bounded: at most 4 MiB once inflated.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::payload::Payload;

/// The most a link may inflate to.
pub const MAX_INFLATED: usize = 4 * 1024 * 1024;
/// Links longer than this get cut by many chat apps and mail clients.
pub const LONG_LINK: usize = 2000;

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
    use crate::share::payload::tests::sample;

    #[test]
    fn links_without_a_deck_still_decode() {
        // A v1 link made before decks existed.
        let old = encode(&sample());
        assert_eq!(decode(&old).unwrap().deck, None);
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

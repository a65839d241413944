//! Share links (CONTRACT.md §2), podlab files and secrets. A link is `<base-url>#v1/<payload>`,
//! the payload being base64url without padding of raw DEFLATE of a UTF-8 JSON object. Everything
//! lives in the URL fragment, so no server ever sees a manifest.
//!
//! - `payload`: what a link or a file carries (a manifest, notes, a deck of lessons).
//! - `link`: the link codec, bounded to 4 MiB once inflated, and its errors.
//! - `file`: podlab files, and what else a file dropped on the page may hold.
//! - `secrets`: finding and redacting what should not travel in a link.

mod file;
mod link;
mod payload;
mod secrets;

pub use file::{from_file, to_file, FILE_FORMAT, MAX_FILE};
pub use link::{decode, encode, link, LinkError, LONG_LINK, MAX_INFLATED};
pub use payload::{Deck, Lesson, Note, Payload};
pub use secrets::{find_secrets, redact, SecretHit};

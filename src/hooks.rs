//! Custom hooks: the page's behaviour over time (window listeners, timers, the address bar),
//! kept out of the components that render.

pub mod address;
pub mod file_drop;
pub mod playback;
pub mod presenter_keys;
pub mod worker;

pub use address::{is_link, use_address_sync};
pub use file_drop::{use_file_drop, FileDrop};
pub use playback::{use_playback, Playback};
pub use presenter_keys::use_presenter_keys;
pub use worker::use_analysis_worker;

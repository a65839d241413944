//! Any string as a share link or an opened file: a payload or a clear error, never a panic or
//! unbounded memory.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(link) = std::str::from_utf8(data) {
        let _ = podlab_engine::share::decode(link);
        let _ = podlab_engine::share::decode(&format!("#v1/{link}"));
        let _ = podlab_engine::share::from_file(link);
    }
});

//! Any text through the whole analysis: it must return, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let a = podlab_engine::analyze_text("fuzz.yaml", text, &Default::default());
        for e in &a.errors {
            assert!(e.line >= 1 && e.column >= 1);
        }
    }
});

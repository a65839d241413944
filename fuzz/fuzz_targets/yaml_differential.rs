//! Any text through the fast YAML reader and through libyaml-safer: wherever the fast reader
//! reads a document, both must give the same tree, positions and duplicate keys.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        // read_documents adds a final line break; the readers see text that ends with one.
        let text = format!("{text}\n");
        if let Err(diff) = podlab_engine::yaml::differential(&text) {
            panic!("the readers differ on {text:?}:\n{diff}");
        }
    }
});

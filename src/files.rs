//! Saving a manifest with its notes (or a deck) as a file, and opening files picked or dropped.
//! Everything stays in the browser: saving hands the browser a blob, opening reads a local file.

use podlab_engine::share::MAX_FILE;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Offers `text` as a download called `name`.
pub fn save(name: &str, text: &str) {
    let run = || -> Option<()> {
        let parts = js_sys::Array::of1(&JsValue::from_str(text));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/json");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let document = web_sys::window()?.document()?;
        let a: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
        a.set_href(&url);
        a.set_download(name);
        a.click();
        web_sys::Url::revoke_object_url(&url).ok()
    };
    run();
}

/// Reads a picked or dropped file as UTF-8 text and hands over the text or why it could not be
/// read. Files larger than podlab opens are refused before a byte is read.
pub fn read(file: web_sys::File, done: impl FnOnce(Result<String, String>) + 'static) {
    let size = file.size();
    if size > MAX_FILE as f64 {
        done(Err(format!(
            "{} is {:.1} MiB; the page opens files up to 16 MiB. `podlab analyze` on the command line reads a List of any size (`kubectl get pods -A -o json`).",
            file.name(),
            size / 1048576.0
        )));
        return;
    }
    let name = file.name();
    wasm_bindgen_futures::spawn_local(async move {
        let result = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => {
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                String::from_utf8(bytes).map_err(|e| {
                    format!(
                        "{name} is not UTF-8 text (the byte at offset {} is not valid UTF-8); manifests are text",
                        e.utf8_error().valid_up_to()
                    )
                })
            }
            Err(_) => Err(format!("{name} could not be read")),
        };
        done(result);
    });
}

/// The first file of a drop, if any.
pub fn dropped(e: &web_sys::DragEvent) -> Option<web_sys::File> {
    e.data_transfer()?.files()?.get(0)
}

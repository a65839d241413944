//! Renders the page's first view at build time: the app's own components, natively through
//! Yew's server-side rendering, showing the engine's analysis of the default example. Trunk's
//! pre_build hook runs it; `web/post-build.mjs` puts the markup into `index.html`, where the app
//! replaces it when the WebAssembly starts (`podlab_web::run`).
//!
//! Usage: `cargo run --features ssr --bin podlab-prerender -- OUT.html`

use podlab_web::App;
use std::process::ExitCode;
use yew::LocalServerRenderer;

/// The markup of `App`'s first view, as a fresh page without a link shows it.
fn first_view() -> std::io::Result<String> {
    let rt = tokio::runtime::Builder::new_current_thread().build()?;
    let local = tokio::task::LocalSet::new();
    let renderer = LocalServerRenderer::<App>::new().hydratable(false);
    Ok(at_rest(&local.block_on(&rt, renderer.render())))
}

/// The view until the app runs: its controls do nothing, so they say so. Buttons, selects,
/// inputs and other focusable elements are `inert` (neither clicked nor focused); the editor's
/// textarea is `readonly`, so the manifest can still be read, scrolled and selected, as can
/// the rest of the page.
///
/// Yew escapes `<` and `>` in text and in attribute values, so every `<` opens a tag and the
/// next `>` closes it.
fn at_rest(markup: &str) -> String {
    let mut out = String::with_capacity(markup.len() + 1024);
    let mut rest = markup;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + len + 1];
        rest = &rest[start + len + 1..];
        let name_len = tag[1..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .unwrap_or(0);
        let (open, attrs) = tag.split_at(1 + name_len);
        let added = match &open[1..] {
            "button" | "select" | "input" => " inert",
            "textarea" => " readonly",
            _ if attrs.contains(" tabindex=\"") => " inert",
            _ => "",
        };
        out.push_str(open);
        out.push_str(added);
        out.push_str(attrs);
    }
    out.push_str(rest);
    out
}

fn main() -> ExitCode {
    let Some(out) = std::env::args_os().nth(1) else {
        eprintln!("usage: podlab-prerender OUT.html");
        return ExitCode::from(2);
    };
    let markup = match first_view() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("podlab-prerender: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Written only when it changed, so a watching `trunk serve` is not woken for nothing.
    if std::fs::read_to_string(&out).is_ok_and(|old| old == markup) {
        return ExitCode::SUCCESS;
    }
    let path = std::path::Path::new(&out);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Err(e) = std::fs::write(path, markup) {
        eprintln!("podlab-prerender: {}: {e}", out.to_string_lossy());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::first_view;

    #[test]
    fn controls_are_inert_and_the_editor_read_only() {
        let html = super::at_rest(concat!(
            r#"<div class="a"><button data-testid="b" title="x &gt; y">Go</button>"#,
            r#"<input type="file"><select><option value="1">1</option></select>"#,
            r#"<div role="group" tabindex="0"><span>t</span></div>"#,
            r#"<textarea class="e">a: &lt;b&gt;</textarea><br/></div>"#
        ));
        assert_eq!(
            html,
            concat!(
                r#"<div class="a"><button inert data-testid="b" title="x &gt; y">Go</button>"#,
                r#"<input inert type="file"><select inert><option value="1">1</option></select>"#,
                r#"<div inert role="group" tabindex="0"><span>t</span></div>"#,
                r#"<textarea readonly class="e">a: &lt;b&gt;</textarea><br/></div>"#
            )
        );
    }

    #[test]
    fn the_first_view_holds_the_default_examples_analysis() {
        let html = first_view().unwrap();
        // The default example's four containers, their effective requests and the lifecycle.
        assert_eq!(
            html.matches(r#"data-testid="container-card""#).count(),
            4,
            "{html}"
        );
        assert!(html.contains(r#"data-container="log-shipper""#));
        assert!(html.contains(r#"data-testid="effective-requests""#));
        assert!(html.contains(r#"data-milli="800""#));
        assert!(html.contains(r#"data-testid="lifecycle-stage""#));
        // The editor's text is in the textarea, escaped.
        assert!(html.contains("<textarea readonly"));
        assert!(!html.contains("<button data"), "every button is inert");
        assert!(html.contains("name: storefront"));
    }
}

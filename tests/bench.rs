//! Engine speed in the browser: the built-in examples (the same files the native bench reads
//! with `cargo run --release -p podlab-engine --example bench static/examples`) and a generated
//! 2,000-line input, analysed in headless Chromium. Ignored by the regular tests; run by
//! `scripts/bench`, which builds it in release:
//! `cargo test --release -p podlab-web --target wasm32-unknown-unknown --test bench -- --include-ignored`

use podlab_engine::{analyze_text, Options};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

/// The median of one run, in milliseconds, over about 200 ms of runs (at least 5).
fn measure(mut f: impl FnMut()) -> f64 {
    let mut times = Vec::new();
    let start = now();
    while now() - start < 200.0 || times.len() < 5 {
        let t = now();
        f();
        times.push(now() - t);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    times[times.len() / 2]
}

#[wasm_bindgen_test]
#[ignore]
fn engine_speed_in_the_browser() {
    let options = Options::default();
    let mut inputs: Vec<(String, String)> = podlab_web::examples::EXAMPLES
        .iter()
        .map(|e| (format!("{}.yaml", e.id), e.text.to_string()))
        .collect();
    let base = podlab_web::examples::by_id("native-sidecar").unwrap().text;
    let lines = base.lines().count();
    let big = (0..2000 / lines + 1)
        .map(|i| base.replace("name: storefront\n", &format!("name: storefront-{i}\n")))
        .collect::<Vec<_>>()
        .join("---\n");
    inputs.push(("generated, 2,000 lines".into(), big));
    let mut out = String::from("| manifest | bytes | median time | MB/s |\n|---|---:|---:|---:|\n");
    let (mut bytes, mut ms) = (0usize, 0f64);
    for (name, text) in &inputs {
        let a = analyze_text("m.yaml", text, &options);
        assert!(!a.workloads.is_empty(), "{name}");
        let t = measure(|| {
            analyze_text("m.yaml", text, &options);
        });
        bytes += text.len();
        ms += t;
        out += &format!(
            "| {name} | {} | {:.0} µs | {:.1} |\n",
            text.len(),
            t * 1000.0,
            text.len() as f64 / 1e6 / (t / 1000.0)
        );
    }
    out += &format!(
        "\nOverall {:.1} MB/s.\n",
        bytes as f64 / 1e6 / (ms / 1000.0)
    );
    console_log!("{out}");
}

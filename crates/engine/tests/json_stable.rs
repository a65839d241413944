//! The analysis of every corpus manifest (../shared/corpus, reject/ included), every built-in
//! example and every workshop manifest, at 1.28, 1.31 and the newest version, serialised as the
//! CLI's `-o json` prints it, must equal the golden file in `tests/golden/`. A change of behaviour
//! on purpose is blessed with `PODLAB_BLESS=1 cargo test -p podlab-engine --test json_stable`.

mod common;

use podlab_engine::{analyze_text, KubeVersion, Options};
use std::path::{Path, PathBuf};

const VERSIONS: [KubeVersion; 3] = [
    KubeVersion::new(28),
    KubeVersion::new(31),
    KubeVersion::NEWEST,
];

fn inputs() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for (prefix, dir) in [
        ("corpus", "../../../shared/corpus/files"),
        ("reject", "../../../shared/corpus/reject"),
        ("examples", "../../static/examples"),
        ("workshop", "../../static/workshop"),
    ] {
        for path in common::files(dir) {
            out.push((format!("{prefix}__{}.json", common::name(&path)), path));
        }
    }
    out.sort();
    out
}

/// What the CLI prints with `-o json`, once per version.
fn render(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let name = common::name(path);
    let mut out = String::new();
    for v in VERSIONS {
        let options = Options {
            kubernetes_version: v,
            ..Options::default()
        };
        let a = analyze_text(&name, &text, &options);
        out.push_str(&serde_json::to_string_pretty(&a).unwrap());
        out.push('\n');
    }
    out
}

#[test]
fn the_json_output_is_unchanged() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = std::env::var_os("PODLAB_BLESS").is_some();
    let inputs = inputs();
    assert!(inputs.len() >= 70, "{} inputs", inputs.len());
    let mut changed = Vec::new();
    for (golden_name, path) in &inputs {
        let now = render(path);
        let file = golden.join(golden_name);
        if bless {
            std::fs::write(&file, &now).unwrap();
            continue;
        }
        let before = std::fs::read_to_string(&file).unwrap_or_default();
        if before != now {
            changed.push(golden_name.clone());
        }
    }
    assert!(
        changed.is_empty(),
        "the JSON changed for {changed:?}; if on purpose, rerun with PODLAB_BLESS=1"
    );
}

/// Every input at every version comes back equal, field for field, from its JSON and from the wire
/// form the page's analysis worker sends to the main thread (`podlab_engine::wire`).
#[test]
fn every_analysis_reads_back_from_its_json_and_its_wire_form() {
    let mut checked = 0;
    for (_, path) in inputs() {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for v in VERSIONS {
            let options = Options {
                kubernetes_version: v,
                ..Options::default()
            };
            let a = analyze_text(&common::name(&path), &text, &options);
            let json = serde_json::to_string(&a).unwrap();
            let back: podlab_engine::Analysis =
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                back == a,
                "{} at {v} reads back differently",
                path.display()
            );
            // The page's worker sends the same analysis in the wire form (wire.rs).
            let wire = podlab_engine::wire::from_bytes(&podlab_engine::wire::to_bytes(&a))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                wire == a,
                "{} at {v} reads back differently from the wire",
                path.display()
            );
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                json,
                "the wire form leaks into the JSON"
            );
            checked += a.workloads.len();
        }
    }
    assert!(checked > 200, "{checked} workloads");
}

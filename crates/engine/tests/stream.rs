//! A List read as a stream gives what the same List read whole gives: the same workloads, the
//! same findings, the same errors, at the same lines and columns. The Lists are made of every
//! document of ../shared/corpus, as kubectl prints them (JSON with four-space indents; YAML with
//! the items at the left margin) and in other shapes.

use podlab_engine::stream::{self, Opened, Piece};
use podlab_engine::{analyze_text, yaml, Analysis, Options};
use std::io::Read;
use std::path::Path;

/// Every document of the corpus, as text, leaving out autoscalers and Services: a stream
/// analyses each item alone, so they would not meet the workloads they belong to.
fn corpus_documents() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/files");
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut docs = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let mut doc = String::new();
        for line in text.lines().chain(std::iter::once("---")) {
            if line.starts_with("---") {
                let has_content = doc
                    .lines()
                    .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
                // Nested Lists count too: their items meet each other.
                let json = yaml::read_documents(&doc)
                    .0
                    .into_iter()
                    .find_map(|d| d.root)
                    .map(|r| r.to_json().to_string())
                    .unwrap_or_default();
                let skipped = json.contains(r#""kind":"HorizontalPodAutoscaler""#)
                    || json.contains(r#""kind":"Service""#);
                if has_content && !skipped {
                    docs.push(std::mem::take(&mut doc));
                }
                doc.clear();
            } else {
                doc.push_str(line);
                doc.push('\n');
            }
        }
    }
    assert!(docs.len() > 60, "{} documents", docs.len());
    docs
}

/// kubectl's YAML: `- ` before an item's first line, two spaces before the others.
fn yaml_list(docs: &[String]) -> String {
    let mut out = String::from("apiVersion: v1\nitems:\n");
    for d in docs {
        for (i, line) in d.lines().enumerate() {
            let prefix = if i == 0 { "- " } else { "  " };
            if line.is_empty() {
                out.push('\n');
            } else {
                out.push_str(prefix);
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.push_str("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
    out
}

/// kubectl's JSON: `json.MarshalIndent` with four spaces (pkg/printers JSONPrinter).
fn json_list(docs: &[String]) -> String {
    let items: Vec<serde_json::Value> = docs
        .iter()
        .filter_map(|d| {
            let (roots, _) = yaml::read_documents(d);
            roots.into_iter().find_map(|r| r.root).map(|r| r.to_json())
        })
        .collect();
    let list = serde_json::json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}});
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(&list, &mut ser).unwrap();
    String::from_utf8(buf).unwrap()
}

/// A reader that hands out a few bytes at a time, so that every cut falls across reads.
struct Trickle<'a>(&'a [u8], usize);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.1.min(self.0.len()).min(buf.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

fn pieces(reader: impl Read) -> Vec<Piece> {
    match stream::open(reader).unwrap() {
        Opened::Stream(items) => items.collect(),
        Opened::Whole(..) => panic!("not read as a stream"),
    }
}

fn streamed(reader: impl Read) -> Analysis {
    let options = Options::default();
    let mut out = analyze_text("-", "", &options);
    for p in pieces(reader) {
        let a = p.analyze("-", &options);
        out.workloads.extend(a.workloads);
        out.errors.extend(a.errors);
    }
    out
}

fn assert_same(text: &str, chunk: usize) {
    let whole = analyze_text("-", text, &Options::default());
    let stream = streamed(Trickle(text.as_bytes(), chunk));
    assert!(whole.workloads.len() > 60, "{}", whole.workloads.len());
    assert_eq!(whole.workloads.len(), stream.workloads.len());
    for (w, s) in whole.workloads.iter().zip(&stream.workloads) {
        // A streamed item keeps no text of its own, so it is offered no fixes (lib.rs
        // analyze_object); everything else is the same.
        assert!(s.diagnostics.iter().all(|d| d.fix.is_none()));
        let mut w = w.clone();
        for d in &mut w.diagnostics {
            d.fix = None;
            d.alternatives.clear();
        }
        let (a, b) = (
            serde_json::to_value(&w).unwrap(),
            serde_json::to_value(s).unwrap(),
        );
        if a != b {
            for (k, v) in a.as_object().unwrap() {
                assert_eq!(v, &b[k], "{} at line {}: {k}", w.name, w.line);
            }
        }
    }
    assert_eq!(whole.errors, stream.errors);
}

#[test]
fn a_json_list_streamed_equals_the_list_read_whole() {
    let docs = corpus_documents();
    assert_same(&json_list(&docs), 1 << 20);
    assert_same(&json_list(&docs), 7);
}

#[test]
fn a_yaml_list_streamed_equals_the_list_read_whole() {
    let docs = corpus_documents();
    let text = yaml_list(&docs);
    assert_same(&text, 1 << 20);
    assert_same(&text, 5);
}

#[test]
fn items_beyond_the_first_megabytes_keep_their_lines() {
    // More than the reader's chunk, so that bytes already analysed are dropped on the way.
    let docs = corpus_documents();
    let many: Vec<String> = docs.iter().cycle().take(docs.len() * 12).cloned().collect();
    let json = json_list(&many);
    assert!(json.len() > 3 << 20, "{}", json.len());
    assert_same(&json, 1 << 16);
    let yaml = yaml_list(&many);
    assert!(yaml.len() > 2 << 20, "{}", yaml.len());
    assert_same(&yaml, 1 << 16);
}

#[test]
fn an_indented_yaml_sequence_and_comments_between_items_stream_too() {
    let text = "# kubectl get pods -o yaml\napiVersion: v1\nkind: PodList\nitems:\n  # first\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: a}\n    spec:\n      containers: [{name: c, image: x:1}]\n\n  -\n    apiVersion: v1\n    kind: Pod\n    metadata:\n      name: b\n    spec:\n      containers:\n      - name: c\n        image: x:1\nmetadata: {}\n";
    let whole = analyze_text("-", text, &Options::default());
    let stream = streamed(text.as_bytes());
    assert_eq!(whole, stream);
    assert_eq!(
        stream
            .workloads
            .iter()
            .map(|w| (w.name.as_str(), w.line))
            .collect::<Vec<_>>(),
        [("a", 6), ("b", 13)]
    );
}

#[test]
fn documents_after_a_yaml_list_are_read_with_their_lines() {
    let text = "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec:\n    containers: [{name: c, image: x:1}]\nkind: List\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers: [{name: c, image: x:1}]\n";
    let whole = analyze_text("-", text, &Options::default());
    let stream = streamed(text.as_bytes());
    assert_eq!(whole, stream);
    assert_eq!(stream.workloads[1].document, 1);
    assert_eq!(stream.workloads[1].line, 10);
}

fn errors(text: &str) -> Vec<(usize, usize, String)> {
    streamed(text.as_bytes())
        .errors
        .into_iter()
        .map(|e| (e.line, e.column, e.message))
        .collect()
}

#[test]
fn a_list_cut_short_says_where() {
    let text = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"a\"}, \"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"x:1\"}]}},\n        {\"apiVersion\": \"v1\",\n";
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].0, e[0].1), (6, 1), "{e:?}");
    assert!(e[0].2.contains("cut short"), "{e:?}");
    // The item before it is analysed all the same.
    assert_eq!(streamed(text.as_bytes()).workloads.len(), 1);
}

#[test]
fn a_syntax_error_inside_an_item_points_at_its_line_in_the_input() {
    let text = "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n  {\"apiVersion\": \"v1\", \"kind\": \"Pod\",\n   \"metadata\": {\"name\": \"a\",}}\n]}\n";
    // JSON is read as JSON, as kubectl's decoder reads it: the trailing comma YAML's flow style
    // would let through is an error.
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].0, e[0].1), (3, 29), "{e:?}");
    assert!(
        e[0].2
            .starts_with("JSON syntax error: expected a string key"),
        "{e:?}"
    );
}

#[test]
fn a_streamed_object_of_another_kind_is_an_error_at_its_kind() {
    let text = "{\"apiVersion\": \"apps/v1\", \"items\": [], \"kind\": \"Deployment\"}";
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].0, e[0].1), (1, 48), "{e:?}");
    let text = "{\"items\": []}";
    assert_eq!(
        errors(text)[0].2,
        "this document is not a Kubernetes object: expected a mapping with apiVersion and kind"
    );
}

#[test]
fn content_after_the_list_is_an_error() {
    let text = "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": []}\n{}";
    assert_eq!(errors(text)[0].0, 2);
}

#[test]
fn anything_but_a_list_is_read_whole() {
    for text in [
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n",
        "{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}",
        "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": {}}",
        "apiVersion: v1\nkind: List\nitems: []\n",
        "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: List\nitems:\n- a: 1\n",
        "{broken",
        "",
    ] {
        match stream::open(text.as_bytes()).unwrap() {
            Opened::Whole(mut bytes, mut rest) => {
                rest.read_to_end(&mut bytes).unwrap();
                assert_eq!(bytes, text.as_bytes());
            }
            Opened::Stream(_) => panic!("{text}: streamed"),
        }
    }
}

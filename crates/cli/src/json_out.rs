//! `-o json` for a whole analysis, written as `serde_json::to_string_pretty` writes it, byte for
//! byte, but with the workloads serialised on every core and written in order.

use crate::stream::indent_rest;
use podlab_engine::{Analysis, Workload};
use std::io::{self, Write};

/// Below this many workloads one thread serialises them all: threads cost more than they save.
const MIN_PARALLEL: usize = 256;

/// Writes the analysis as pretty JSON followed by a line break.
pub fn write(out: &mut impl Write, analysis: &Analysis) -> io::Result<()> {
    let skeleton = Analysis {
        tool: analysis.tool.clone(),
        kubernetes_version: analysis.kubernetes_version.clone(),
        workloads: Vec::new(),
        errors: analysis.errors.clone(),
    };
    let head = serde_json::to_string_pretty(&skeleton).map_err(io::Error::other)?;
    const EMPTY: &str = "\n  \"workloads\": [],";
    let Some(cut) = head.find(EMPTY).filter(|_| !analysis.workloads.is_empty()) else {
        return writeln!(out, "{head}");
    };
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    out.write_all(head[..cut].as_bytes())?;
    out.write_all(b"\n  \"workloads\": [")?;
    let mut first = true;
    for chunk in serialised(&analysis.workloads) {
        for body in chunk? {
            out.write_all(if first { b"\n    " } else { b",\n    " })?;
            out.write_all(body.as_bytes())?;
            first = false;
        }
    }
    out.write_all(b"\n  ],")?;
    out.write_all(head[cut + EMPTY.len()..].as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Each workload as pretty JSON indented to its place in the array, in order, in chunks.
fn serialised(workloads: &[Workload]) -> Vec<io::Result<Vec<String>>> {
    let one = |chunk: &[Workload]| -> io::Result<Vec<String>> {
        chunk
            .iter()
            .map(|w| {
                serde_json::to_string_pretty(w)
                    .map(|s| indent_rest(&s, 4))
                    .map_err(io::Error::other)
            })
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || workloads.len() < MIN_PARALLEL {
        return vec![one(workloads)];
    }
    let size = workloads.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = workloads
            .chunks(size)
            .map(|chunk| scope.spawn(move || one(chunk)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("a JSON writer thread failed")))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use podlab_engine::{analyze, Options, Source};

    fn check(text: &str) {
        let analysis = analyze(
            &[Source {
                name: "x.yaml",
                text,
            }],
            &Options::default(),
        );
        let mut mine = Vec::new();
        write(&mut mine, &analysis).unwrap();
        let expected = serde_json::to_string_pretty(&analysis).unwrap() + "\n";
        assert_eq!(String::from_utf8(mine).unwrap(), expected);
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: \"x\\ny\"\n";
        check(pod);
        check("");
        check("a: [1\n");
        let many: String = (0..2 * MIN_PARALLEL)
            .map(|i| pod.replace("name: p", &format!("name: p{i}")))
            .collect::<Vec<_>>()
            .join("---\n");
        check(&many);
        check(&format!("{many}---\nbroken: [\n"));
    }
}

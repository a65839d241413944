//! Engine speed: every corpus manifest, and a generated 5 MB multi-document input.
//! `cargo run --release -p podlab-engine --example bench [CORPUS_DIR]`
//! Prints a Markdown table; BENCHMARKS.md keeps the last numbers.

use podlab_engine::{analyze_text, Options};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Runs `f` repeatedly for about `budget` and returns the median time of one run.
fn measure(budget: Duration, mut f: impl FnMut()) -> Duration {
    let mut times = Vec::new();
    let start = Instant::now();
    while start.elapsed() < budget || times.len() < 5 {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/corpus/files"
            ))
        });
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus directory")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let opts = Options::default();
    println!("| manifest | bytes | workloads | median time | MB/s |");
    println!("|---|---:|---:|---:|---:|");
    let mut total_bytes = 0usize;
    let mut total_time = Duration::ZERO;
    let mut per_file = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let workloads = analyze_text(&name, &text, &opts).workloads.len();
        let t = measure(Duration::from_millis(200), || {
            std::hint::black_box(analyze_text(&name, &text, &opts));
        });
        total_bytes += text.len();
        total_time += t;
        per_file.push(t);
        println!(
            "| {name} | {} | {workloads} | {:.1} µs | {:.1} |",
            text.len(),
            t.as_secs_f64() * 1e6,
            text.len() as f64 / t.as_secs_f64() / 1e6
        );
    }
    per_file.sort();
    println!();
    println!(
        "Corpus: {} files, {} bytes; median {:.1} µs per manifest, slowest {:.1} µs; {:.1} MB/s overall.",
        files.len(),
        total_bytes,
        per_file[per_file.len() / 2].as_secs_f64() * 1e6,
        per_file.last().unwrap().as_secs_f64() * 1e6,
        total_bytes as f64 / total_time.as_secs_f64() / 1e6
    );

    // A generated multi-document input of about 5 MB: the corpus concatenated until it is that big.
    let mut big = String::new();
    'outer: loop {
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap();
            if text.contains("{{") || f.extension().is_some_and(|e| e == "in") {
                continue;
            }
            big.push_str("---\n");
            big.push_str(&text);
            big.push('\n');
            if big.len() > 5 * 1024 * 1024 {
                break 'outer;
            }
        }
    }
    let a = analyze_text("big.yaml", &big, &opts);
    let t = measure(Duration::from_secs(3), || {
        std::hint::black_box(analyze_text("big.yaml", &big, &opts));
    });
    println!(
        "Generated input: {} bytes, {} workloads, {} errors; {:.0} ms, {:.1} MB/s.",
        big.len(),
        a.workloads.len(),
        a.errors.len(),
        t.as_secs_f64() * 1e3,
        big.len() as f64 / t.as_secs_f64() / 1e6
    );
}

//! `podlab analyze` on a List of any size, such as `kubectl get pods -A -o json` of a cluster.
//!
//! The engine cuts the List into items (`podlab_engine::stream`); here they are parsed and
//! analysed on every core and printed in input order as they finish. At most a few items per core
//! are in flight at once (tickets handed back as each is printed), so memory follows the largest
//! item, not the input. Threads are std's scoped threads and channels: the work is a plain
//! fan-out and fan-in, which needs no pool crate.

use crate::summary;
use crate::text;
use crate::Output;
use podlab_engine::fleet::Tally;
use podlab_engine::stream::{Items, Piece};
use podlab_engine::{Analysis, Diagnostic, InputError, Options, Tool, Workload};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::process::ExitCode;
use std::sync::{mpsc, Mutex};

/// Indents every line but the first by `n` spaces: a pretty-printed JSON value placed inside
/// another at that depth reads as if printed with it (JSON strings hold no raw line breaks).
pub fn indent_rest(s: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    s.replace('\n', &format!("\n{pad}"))
}

/// What to do with each workload and how to print.
pub struct How<'a> {
    pub output: Output,
    pub summary_only: bool,
    /// Severities from the configuration and waivers, applied to each workload as it comes.
    pub prepare: &'a dyn Fn(&mut Workload),
    /// Whether a finding makes the exit status 1.
    pub fails: &'a dyn Fn(&Diagnostic) -> bool,
}

pub enum Done {
    /// Printed as it came (text, JSON); the exit status (CONTRACT.md §1).
    Printed(ExitCode),
    /// Outputs that need everything at once (SARIF, JUnit, GitHub): the whole analysis.
    Collected(Analysis),
}

/// Prints the analysis of a streamed List as it comes, or collects it.
pub fn run<R: Read + Send>(file: &str, items: Items<R>, options: &Options, how: How) -> Done {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    run_with(&mut out, items, options, how, &|piece: Piece| {
        piece.analyze(file, options)
    })
}

/// [`run`], printing to `out`, each item analysed by `analyze` on any thread.
fn run_with<R: Read + Send>(
    out: &mut impl Write,
    items: Items<R>,
    options: &Options,
    how: How,
    analyze: &(dyn Fn(Piece) -> Analysis + Sync),
) -> Done {
    let How {
        output,
        summary_only,
        prepare,
        fails,
    } = how;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let window = workers * 4;
    let colour = crate::colour();
    let mut printer = Printer {
        output,
        summary_only,
        colour,
        tally: Tally::default(),
        errors: Vec::new(),
        printed: 0,
        has_error_finding: false,
        kept: Vec::new(),
        version: options.kubernetes_version.to_string(),
        prepare,
        fails,
    };
    printer.start(out);
    let (piece_tx, piece_rx) = mpsc::sync_channel::<(usize, Piece)>(window);
    let piece_rx = Mutex::new(piece_rx);
    std::thread::scope(|s| {
        let (done_tx, done_rx) = mpsc::channel::<(usize, std::thread::Result<Analysis>)>();
        let (ticket_tx, ticket_rx) = mpsc::sync_channel::<()>(window);
        for _ in 0..window {
            let _ = ticket_tx.send(());
        }
        s.spawn(move || {
            for (i, piece) in items.enumerate() {
                if ticket_rx.recv().is_err() || piece_tx.send((i, piece)).is_err() {
                    break;
                }
            }
        });
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let piece_rx = &piece_rx;
            s.spawn(move || loop {
                let next = match piece_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => break,
                };
                let Ok((i, piece)) = next else { break };
                // A panic (a defect) goes to the printer, which raises it: the other threads
                // then stop, rather than wait for an item that never comes.
                let analysed =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyze(piece)));
                if done_tx.send((i, analysed)).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        let mut pending = BTreeMap::new();
        let mut next = 0;
        for (i, a) in done_rx {
            let a = a.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            pending.insert(i, a);
            while let Some(a) = pending.remove(&next) {
                printer.item(out, a);
                next += 1;
                let _ = ticket_tx.send(());
            }
        }
    });
    printer.finish(out)
}

struct Printer<'a> {
    output: Output,
    summary_only: bool,
    colour: bool,
    tally: Tally,
    errors: Vec<InputError>,
    printed: usize,
    has_error_finding: bool,
    /// Workloads kept for outputs that need them all at once (SARIF).
    kept: Vec<Workload>,
    version: String,
    prepare: &'a dyn Fn(&mut Workload),
    fails: &'a dyn Fn(&Diagnostic) -> bool,
}

impl Printer<'_> {
    fn skeleton(&self) -> Analysis {
        Analysis {
            tool: Tool::default(),
            kubernetes_version: self.version.clone(),
            workloads: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn start(&self, out: &mut impl Write) {
        if let Output::Json = self.output {
            let head = serde_json::to_string_pretty(&self.skeleton()).unwrap_or_default();
            let cut = head.find("\n  \"workloads\"").unwrap_or(head.len());
            let _ = write!(out, "{}", &head[..cut]);
            if !self.summary_only {
                let _ = write!(out, "\n  \"workloads\": [");
            }
        }
    }

    fn item(&mut self, out: &mut impl Write, mut a: Analysis) {
        self.errors.append(&mut a.errors);
        for mut w in a.workloads {
            (self.prepare)(&mut w);
            self.tally.add(&w);
            self.has_error_finding |= w.diagnostics.iter().any(|d| (self.fails)(d));
            if self.summary_only && matches!(self.output, Output::Text | Output::Json) {
                continue;
            }
            match self.output {
                Output::Json => {
                    let sep = if self.printed == 0 {
                        "\n    "
                    } else {
                        ",\n    "
                    };
                    let body = serde_json::to_string_pretty(&w).unwrap_or_default();
                    let _ = write!(out, "{sep}{}", indent_rest(&body, 4));
                }
                Output::Text => {
                    if self.printed > 0 {
                        let _ = writeln!(out);
                    }
                    let mut one = self.skeleton();
                    one.workloads.push(w);
                    let _ = write!(out, "{}", text::render(&one, self.colour));
                }
                Output::Sarif | Output::Junit | Output::Github => self.kept.push(w),
            }
            self.printed += 1;
        }
    }

    fn finish(mut self, out: &mut impl Write) -> Done {
        let summary = self.tally.summary();
        match self.output {
            Output::Json => {
                if !self.summary_only {
                    let close = if self.printed == 0 { "]" } else { "\n  ]" };
                    let _ = write!(out, "{close},");
                } else {
                    let body = serde_json::to_string_pretty(&summary).unwrap_or_default();
                    let _ = write!(out, "\n  \"summary\": {},", indent_rest(&body, 2));
                }
                let errors = serde_json::to_string_pretty(&self.errors).unwrap_or_default();
                let _ = writeln!(out, "\n  \"errors\": {}\n}}", indent_rest(&errors, 2));
            }
            Output::Text => {
                let mut rest = self.skeleton();
                rest.errors = self.errors.clone();
                if self.printed > 0 || self.summary_only {
                    if !rest.errors.is_empty() {
                        let _ = write!(out, "{}", text::render(&rest, self.colour));
                    }
                } else {
                    let _ = write!(out, "{}", text::render(&rest, self.colour));
                }
                if self.summary_only || summary.workloads > summary::AUTOMATIC {
                    if self.printed > 0 {
                        let _ = writeln!(out);
                    }
                    let _ = write!(out, "{}", summary::render(&summary, self.colour));
                }
            }
            Output::Sarif | Output::Junit | Output::Github => {
                let mut all = self.skeleton();
                all.workloads = std::mem::take(&mut self.kept);
                all.errors = std::mem::take(&mut self.errors);
                return Done::Collected(all);
            }
        }
        let _ = out.flush();
        if !self.errors.is_empty() {
            for e in &self.errors {
                eprintln!("{}:{}:{}: {}", e.file, e.line, e.column, e.message);
            }
            return Done::Printed(ExitCode::from(2));
        }
        if self.has_error_finding {
            return Done::Printed(ExitCode::from(1));
        }
        Done::Printed(ExitCode::SUCCESS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn list(n: usize) -> Vec<u8> {
        let pods: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"{{"apiVersion": "v1", "kind": "Pod", "metadata": {{"name": "p{i}"}}, "spec": {{"containers": [{{"name": "app", "image": "nginx"}}]}}}}"#
                )
            })
            .collect();
        format!(
            r#"{{"apiVersion": "v1", "kind": "List", "items": [{}]}}"#,
            pods.join(",")
        )
        .into_bytes()
    }

    /// Runs the stream of `n` pods, the item numbered `panics_at` (in the order analysed)
    /// panicking; whether the run panicked, or none if it did not end within a minute.
    fn run_panicking(n: usize, panics_at: usize) -> Option<bool> {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(move || {
                let Ok(podlab_engine::stream::Opened::Stream(items)) =
                    podlab_engine::stream::open(std::io::Cursor::new(list(n)))
                else {
                    panic!("not read as a stream");
                };
                let options = Options::default();
                let calls = AtomicUsize::new(0);
                let analyze = |piece: Piece| {
                    assert_ne!(calls.fetch_add(1, Ordering::SeqCst), panics_at, "a defect");
                    piece.analyze("-", &options)
                };
                let how = How {
                    output: Output::Json,
                    summary_only: false,
                    prepare: &|_| {},
                    fails: &|_| false,
                };
                let mut out = Vec::new();
                let done = run_with(&mut out, items, &options, how, &analyze);
                assert!(matches!(done, Done::Printed(_)));
                assert_eq!(
                    String::from_utf8_lossy(&out)
                        .matches("\"kind\": \"Pod\"")
                        .count(),
                    n
                );
            });
            let _ = tx.send(outcome.is_err());
        });
        rx.recv_timeout(std::time::Duration::from_secs(60)).ok()
    }

    /// An item whose analysis panics (a defect) ends the run with that panic, rather than
    /// leaving the printer waiting for it while the other threads wait for tickets.
    #[test]
    fn a_panic_while_analysing_an_item_ends_the_run() {
        assert_eq!(run_panicking(100, usize::MAX), Some(false));
        for at in [0, 1, 50, 99] {
            assert_eq!(run_panicking(100, at), Some(true), "item {at}");
        }
    }
}

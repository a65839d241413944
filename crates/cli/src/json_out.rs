//! `-o json` for a whole analysis, written as `serde_json::to_string_pretty` writes it, byte for
//! byte, but with the workloads serialised on every core (by `pretty`), a batch at a time, and
//! written in order.

use crate::pretty::Pretty;
use podlab_engine::{Analysis, InputError};
use serde::Serialize;
use std::io::{self, Write};

/// Below this many workloads one thread makes and serialises them all: threads cost more than
/// they save (the engine's own threshold for analysing on every core).
const MIN_PARALLEL: usize = 32;

/// Writes the analysis as pretty JSON followed by a line break.
pub fn write(out: &mut impl Write, analysis: &Analysis) -> io::Result<()> {
    let head = Analysis {
        tool: analysis.tool.clone(),
        kubernetes_version: analysis.kubernetes_version.clone(),
        workloads: Vec::new(),
        errors: analysis.errors.clone(),
    };
    write_each(
        out,
        &head,
        analysis.workloads.len(),
        |i| [&analysis.workloads[i]],
        Vec::new,
    )
}

/// Writes as pretty JSON, followed by a line break, the analysis `head` (whose own workloads
/// are empty) with the workloads of `count` parts: the `i`th part's are `part(i)`, made when they
/// are written and dropped after. The errors are the head's, then those `errors()` returns once
/// every part is written.
pub fn write_each<W: Serialize, P: IntoIterator<Item = W>>(
    out: &mut impl Write,
    head: &Analysis,
    count: usize,
    part: impl Fn(usize) -> P + Sync,
    errors: impl FnOnce() -> Vec<InputError>,
) -> io::Result<()> {
    const EMPTY: &str = "\n  \"workloads\": [],";
    // What stands before the workloads does not depend on the errors, which come after them.
    let before = serde_json::to_string_pretty(&Analysis {
        errors: Vec::new(),
        ..head.clone()
    })
    .map_err(io::Error::other)?;
    let Some(cut) = before.find(EMPTY) else {
        return Err(io::Error::other(
            "the analysis is not the shape the writer expects",
        ));
    };
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    out.write_all(&before.as_bytes()[..cut])?;
    out.write_all(b"\n  \"workloads\": [")?;
    let any = write_workloads(&mut out, count, part)?;
    out.write_all(if any { b"\n  ]," } else { b"]," })?;
    let mut tail = head.clone();
    tail.errors.extend(errors());
    let after = serde_json::to_string_pretty(&tail).map_err(io::Error::other)?;
    let Some(cut) = after.find(EMPTY) else {
        return Err(io::Error::other(
            "the analysis is not the shape the writer expects",
        ));
    };
    out.write_all(&after.as_bytes()[cut + EMPTY.len()..])?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Parts a thread makes and serialises into one buffer before it is written, at most: few
/// enough that the buffers in flight stay a few megabytes whatever the input (a 5 MB input's
/// whole JSON is about 40 MB, and growing memory that size cost more in the kernel than the
/// writing itself), and small enough that the threads finish together. A shorter input is cut
/// into a few batches a thread.
const BATCH: usize = 16;

/// Batches a thread may have made and not yet written, on average.
const AHEAD: usize = 3;

/// What each spare buffer holds from the start: a batch of the corpus's workloads takes about
/// 600 KB, and a buffer grown by doubling instead copied itself a dozen times. Memory not
/// written is never touched, so a short input pays nothing for it.
const BATCH_BYTES: usize = 1 << 20;

/// The parts' workloads as pretty JSON at their depth in the document, separated as in the
/// array, in order; whether there was any. Each thread takes the next batch as soon as it is
/// free (workloads differ tenfold in cost, so batches dealt out in turn left one thread idle
/// while the other finished its share), and the batches are written in order as they come.
fn write_workloads<W: Serialize, P: IntoIterator<Item = W>>(
    out: &mut impl Write,
    count: usize,
    part: impl Fn(usize) -> P + Sync,
) -> io::Result<bool> {
    let part = &part;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let size = BATCH.min(count.div_ceil(4 * cores)).max(1);
    // Each workload is written after a comma; the first comma of the array is left out.
    let one = |batch: usize, mut buf: Vec<u8>| -> io::Result<Vec<u8>> {
        buf.clear();
        for i in batch * size..((batch + 1) * size).min(count) {
            for w in part(i) {
                buf.extend_from_slice(b",\n    ");
                w.serialize(&mut Pretty::at(&mut buf, 2))
                    .map_err(io::Error::other)?;
            }
        }
        Ok(buf)
    };
    let any = std::cell::Cell::new(false);
    let mut write = |buf: &[u8]| -> io::Result<()> {
        let skip = usize::from(!any.get() && !buf.is_empty());
        any.set(any.get() || !buf.is_empty());
        out.write_all(&buf[skip..])
    };
    let batches = count.div_ceil(size);
    let threads = cores.min(batches);
    if threads < 2 || count < MIN_PARALLEL {
        let mut buf = Vec::new();
        for batch in 0..batches {
            buf = one(batch, buf)?;
            write(&buf)?;
        }
        return Ok(any.get());
    }
    // A thread takes a buffer first, then the next batch: batches are taken in order, so the
    // one the writer waits for is always being made, and at most `window` are made and not yet
    // written. Written buffers go back to be filled again (fresh memory costs more here than
    // the serialising itself).
    let window = threads * AHEAD;
    let (spare, buffers) = std::sync::mpsc::sync_channel::<Vec<u8>>(window);
    for _ in 0..window {
        let _ = spare.send(Vec::with_capacity(BATCH_BYTES));
    }
    let buffers = std::sync::Mutex::new(buffers);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (made, done) = std::sync::mpsc::channel::<(usize, io::Result<Vec<u8>>)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (made, buffers, next, one) = (made.clone(), &buffers, &next, &one);
            scope.spawn(move || {
                // Until the writer stops (done, or an error): nothing more is wanted then.
                while let Some(buf) = spare_buffer(buffers) {
                    let batch = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if batch >= batches {
                        break;
                    }
                    // A panic (a defect) still reaches the writer as this batch's failure, so
                    // that it stops instead of waiting for the batch; the scope then re-raises it.
                    let result =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| one(batch, buf)));
                    let (sent, panic) = match result {
                        Ok(made) => (made, None),
                        Err(panic) => (Err(writer_failed()), Some(panic)),
                    };
                    if made.send((batch, sent)).is_err() {
                        break;
                    }
                    if let Some(panic) = panic {
                        std::panic::resume_unwind(panic);
                    }
                }
            });
        }
        drop(made);
        // The writer's channels close when this returns, which stops the threads.
        let (spare, done) = (spare, done);
        let mut pending = std::collections::BTreeMap::new();
        let mut at = 0;
        while at < batches {
            let Ok((batch, buf)) = done.recv() else {
                return Err(writer_failed());
            };
            pending.insert(batch, buf);
            while let Some(buf) = pending.remove(&at) {
                let buf = buf?;
                write(&buf)?;
                at += 1;
                let _ = spare.send(buf);
            }
        }
        Ok(any.get())
    })
}

fn writer_failed() -> io::Error {
    io::Error::other("a JSON writer thread failed")
}

/// A buffer to fill, once one is spare; none once the writer has stopped.
fn spare_buffer(buffers: &std::sync::Mutex<std::sync::mpsc::Receiver<Vec<u8>>>) -> Option<Vec<u8>> {
    let buffers = buffers.lock().ok()?;
    buffers.recv().ok()
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
        // A last batch shorter than the others, and a batch count no multiple of the threads.
        let odd: String = (0..8 * BATCH + 3)
            .map(|i| pod.replace("name: p", &format!("name: p{i}")))
            .collect::<Vec<_>>()
            .join("---\n");
        check(&odd);
    }

    /// A workload whose making panics (a defect) ends the writing with that panic, on every
    /// thread count, rather than leaving the writer waiting for its batch.
    #[test]
    fn a_panic_while_making_a_part_ends_the_writing() {
        for panics_at in [0, 5, 100, 199] {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let head = Analysis {
                    tool: Default::default(),
                    kubernetes_version: "1.34".into(),
                    workloads: Vec::new(),
                    errors: Vec::new(),
                };
                let outcome = std::panic::catch_unwind(|| {
                    let part = |i: usize| {
                        assert_ne!(i, panics_at, "a defect");
                        [i]
                    };
                    write_each(&mut Vec::new(), &head, 200, part, Vec::new)
                });
                let _ = tx.send(outcome.is_err());
            });
            let panicked = rx.recv_timeout(std::time::Duration::from_secs(60));
            assert_eq!(panicked, Ok(true), "part {panics_at}");
        }
    }
}

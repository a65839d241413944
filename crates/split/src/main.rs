//! `podlab-split`, the command: see the library (lib.rs) for what a split is.
//!
//! ```text
//! podlab-split names NAMED.wasm INDICES.json     # the names of the functions at these indices
//! podlab-split split NAMED.wasm KEEP.txt FIRST.wasm SECOND.wasm [SLOTS.txt]
//! ```
use anyhow::{bail, Context, Result};
use std::collections::HashSet;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("names") if args.len() == 4 => names(&args[2], &args[3]),
        Some("split") if (6..=7).contains(&args.len()) => split(&args[2], &args[3], &args[4], &args[5], args.get(6)),
        _ => bail!(
            "usage: podlab-split names NAMED.wasm INDICES.json\n       podlab-split split NAMED.wasm KEEP.txt FIRST.wasm SECOND.wasm [SLOTS.txt]"
        ),
    }
}

fn read(path: &str) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| path.to_string())
}

/// Prints the names of the functions at the indices a JSON array of numbers gives, one per line.
fn names(wasm: &str, indices: &str) -> Result<()> {
    let text = String::from_utf8(read(indices)?).context(indices.to_string())?;
    let wanted: HashSet<usize> = text
        .trim_matches(|c: char| c == '[' || c == ']' || c.is_whitespace())
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim()
                .parse()
                .with_context(|| format!("{indices}: not an index: {s}"))
        })
        .collect::<Result<_>>()?;
    for name in podlab_split::names(&read(wasm)?, &wanted)? {
        println!("{name}");
    }
    Ok(())
}

/// Writes the two modules, and with SLOTS the moved functions' names by slot (the number the
/// import `podlab.later` gets, which tells which function was needed early).
fn split(input: &str, keep: &str, first: &str, second: &str, slots: Option<&String>) -> Result<()> {
    let keep_text = String::from_utf8(read(keep)?).context(keep.to_string())?;
    let keep: HashSet<String> = keep_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    let s = podlab_split::split(&read(input)?, &keep)?;
    eprintln!(
        "podlab-split: {} of the profile's {} functions in this build; {} functions stay, {} move; first {} bytes, second {} bytes",
        s.found,
        keep.len(),
        s.stay,
        s.moved.len(),
        s.first.len(),
        s.second.len()
    );
    std::fs::write(first, &s.first).with_context(|| first.to_string())?;
    std::fs::write(second, &s.second).with_context(|| second.to_string())?;
    if let Some(path) = slots {
        let lines: Vec<String> = s
            .moved
            .iter()
            .enumerate()
            .map(|(i, n)| format!("{i}\t{n}\n"))
            .collect();
        std::fs::write(path, lines.concat()).with_context(|| path.to_string())?;
    }
    Ok(())
}

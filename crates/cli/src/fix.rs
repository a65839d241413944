//! `podlab fix`: applies the changes findings offer and prints the result or rewrites the files.

use podlab_engine::{KubeVersion, Options, Source};
use std::io::{Read, Write};
use std::process::ExitCode;

pub fn run(files: Vec<String>, rules: Vec<String>, write: bool, version: KubeVersion) -> ExitCode {
    let files = if files.is_empty() {
        vec!["-".to_string()]
    } else {
        files
    };
    if write && files.iter().any(|f| f == "-") {
        eprintln!("podlab: --write needs files: standard input cannot be rewritten");
        return ExitCode::from(2);
    }
    for r in &rules {
        if !podlab_engine::rules::CATALOGUE.iter().any(|c| c.id == r) {
            eprintln!("podlab: unknown rule '{r}' (podlab rules lists them)");
            return ExitCode::from(2);
        }
    }
    let mut texts = Vec::with_capacity(files.len());
    for f in &files {
        let read = if f == "-" {
            let mut s = String::new();
            std::io::stdin()
                .take(podlab_engine::manifest::MAX_INPUT_BYTES as u64 + 1)
                .read_to_string(&mut s)
                .map(|_| s)
        } else {
            std::fs::read_to_string(f)
        };
        match read {
            Ok(s) => texts.push(s),
            Err(e) => {
                eprintln!("podlab: cannot read {f}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let sources: Vec<Source> = files
        .iter()
        .zip(&texts)
        .map(|(n, t)| Source { name: n, text: t })
        .collect();
    let options = Options {
        kubernetes_version: version,
        ..Default::default()
    };
    let errors = podlab_engine::analyze(&sources, &options).errors;
    for e in &errors {
        eprintln!("{}:{}:{}: {}", e.file, e.line, e.column, e.message);
    }
    let fixed = podlab_engine::fix::fix_all(&sources, &options, &rules);
    let mut stdout = std::io::stdout().lock();
    for ((file, (text, applied)), before) in files.iter().zip(&fixed).zip(&texts) {
        for title in applied {
            eprintln!("{file}: {title}");
        }
        if write {
            if text != before {
                if let Err(e) = std::fs::write(file, text) {
                    eprintln!("podlab: cannot write {file}: {e}");
                    return ExitCode::from(2);
                }
            }
        } else {
            let _ = stdout.write_all(text.as_bytes());
        }
    }
    if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

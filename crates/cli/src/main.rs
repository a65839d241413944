//! `podlab`: the engine on the command line, for reviews and CI.
//!
//! Exit status (CONTRACT.md §1): 0 analysed with no error-severity finding; 1 at least one
//! error-severity finding; 2 an input could not be read or parsed, or a usage error.

use clap::{Parser, Subcommand, ValueEnum};
use podlab_engine::{analyze, Analysis, KubeVersion, Options, Severity, Source};
use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

mod fix;
mod text;

#[derive(Parser)]
#[command(
    name = "podlab",
    version,
    about = "Understand Kubernetes multi-container pods: patterns, effective resources, lifecycle, pitfalls"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse manifests (files, or standard input with '-' or no file)
    Analyze {
        /// Files to read; '-' or none reads standard input
        files: Vec<String>,
        #[arg(short, long, value_enum, default_value_t = Output::Text)]
        output: Output,
        /// Target cluster version, 1.27 to the newest supported
        #[arg(long = "kubernetes-version", value_name = "MAJOR.MINOR", value_parser = parse_version)]
        kubernetes_version: Option<KubeVersion>,
    },
    /// Apply the fixes findings offer: print the result, or rewrite the files with --write
    Fix {
        files: Vec<String>,
        /// Only this rule's fixes; repeatable
        #[arg(long = "rule", value_name = "RULE")]
        rules: Vec<String>,
        #[arg(long)]
        write: bool,
        #[arg(long = "kubernetes-version", value_name = "MAJOR.MINOR", value_parser = parse_version)]
        kubernetes_version: Option<KubeVersion>,
    },
    /// Make or read a share link (the manifest travels in the URL fragment)
    Link {
        #[command(subcommand)]
        action: LinkAction,
    },
    /// Print the diagnostic catalogue
    Rules {
        #[arg(short, long, value_enum, default_value_t = RulesOutput::Text)]
        output: RulesOutput,
    },
}

#[derive(Subcommand)]
enum LinkAction {
    /// Print a link that carries FILE (or standard input): a manifest, or a podlab file saved by
    /// the page with its notes or a whole lesson deck
    Encode {
        file: Option<String>,
        /// A JSON list of notes: [{"line": 12, "container": null, "text": "..."}]
        #[arg(long)]
        notes: Option<String>,
        /// Where the page is served
        #[arg(long = "base-url", default_value = "http://127.0.0.1:8080/")]
        base_url: String,
        #[arg(long = "kubernetes-version", value_name = "MAJOR.MINOR", value_parser = parse_version)]
        kubernetes_version: Option<KubeVersion>,
    },
    /// Print the manifest a link carries (its notes too with -o json)
    Decode {
        link: String,
        #[arg(short, long, value_enum, default_value_t = RulesOutput::Text)]
        output: RulesOutput,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Output {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesOutput {
    Text,
    Json,
}

fn parse_version(s: &str) -> Result<KubeVersion, String> {
    s.parse()
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Analyze {
            files,
            output,
            kubernetes_version,
        } => run_analyze(files, output, kubernetes_version.unwrap_or_default()),
        Command::Fix {
            files,
            rules,
            write,
            kubernetes_version,
        } => fix::run(files, rules, write, kubernetes_version.unwrap_or_default()),
        Command::Link { action } => run_link(action),
        Command::Rules { output } => {
            let mut out = std::io::stdout().lock();
            let _ = match output {
                RulesOutput::Json => writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(podlab_engine::rules::CATALOGUE)
                        .unwrap_or_default()
                ),
                RulesOutput::Text => {
                    for r in podlab_engine::rules::CATALOGUE {
                        let _ = writeln!(
                            out,
                            "{:<32} {:<8} {}\n{:<41} versions: {}; source: {}",
                            r.id,
                            r.severity.as_str(),
                            r.summary,
                            "",
                            r.versions,
                            r.source
                        );
                    }
                    Ok(())
                }
            };
            ExitCode::SUCCESS
        }
    }
}

fn run_analyze(files: Vec<String>, output: Output, version: KubeVersion) -> ExitCode {
    let files = if files.is_empty() {
        vec!["-".to_string()]
    } else {
        files
    };
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut read_failures: Vec<podlab_engine::InputError> = Vec::new();
    for f in &files {
        let bytes = if f == "-" {
            let mut buf = Vec::new();
            std::io::stdin()
                .take(podlab_engine::manifest::MAX_INPUT_BYTES as u64 + 1)
                .read_to_end(&mut buf)
                .map(|_| buf)
        } else {
            std::fs::read(f)
        };
        match bytes {
            Err(e) => read_failures.push(podlab_engine::InputError {
                file: f.clone(),
                document: 0,
                line: 1,
                column: 1,
                message: format!("cannot read {f}: {e}"),
                path: None,
            }),
            Ok(b) => match String::from_utf8(b) {
                Ok(s) => texts.push((f.clone(), s)),
                Err(e) => {
                    let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                    let line = valid.iter().filter(|&&c| c == b'\n').count() + 1;
                    let column = valid.iter().rev().take_while(|&&c| c != b'\n').count() + 1;
                    read_failures.push(podlab_engine::InputError {
                        file: f.clone(),
                        document: 0,
                        line,
                        column,
                        message: "the input is not valid UTF-8 text: it looks like a binary file"
                            .into(),
                        path: None,
                    });
                }
            },
        }
    }
    let sources: Vec<Source> = texts
        .iter()
        .map(|(n, t)| Source { name: n, text: t })
        .collect();
    let options = Options {
        kubernetes_version: version,
        ..Default::default()
    };
    let mut analysis: Analysis = analyze(&sources, &options);
    read_failures.extend(std::mem::take(&mut analysis.errors));
    analysis.errors = read_failures;

    let mut stdout = std::io::stdout().lock();
    match output {
        Output::Json => {
            let _ = writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&analysis).unwrap_or_default()
            );
        }
        Output::Sarif => {
            let sarif = podlab_engine::sarif::to_sarif(&analysis);
            let _ = writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&sarif).unwrap_or_default()
            );
        }
        Output::Text => {
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let _ = write!(stdout, "{}", text::render(&analysis, colour));
        }
    }
    if !analysis.errors.is_empty() {
        for e in &analysis.errors {
            eprintln!("{}:{}:{}: {}", e.file, e.line, e.column, e.message);
        }
        return ExitCode::from(2);
    }
    if analysis
        .workloads
        .iter()
        .any(|w| w.diagnostics.iter().any(|d| d.severity == Severity::Error))
    {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn fail(message: String) -> ExitCode {
    eprintln!("podlab: {message}");
    ExitCode::from(2)
}

fn run_link(action: LinkAction) -> ExitCode {
    use podlab_engine::share;
    match action {
        LinkAction::Encode {
            file,
            notes,
            base_url,
            kubernetes_version,
        } => {
            let manifest = match file.as_deref() {
                None | Some("-") => {
                    let mut s = String::new();
                    if let Err(e) = std::io::stdin().read_to_string(&mut s) {
                        return fail(format!("cannot read standard input: {e}"));
                    }
                    s
                }
                Some(f) => match std::fs::read_to_string(f) {
                    Ok(s) => s,
                    Err(e) => return fail(format!("cannot read {f}: {e}")),
                },
            };
            let mut payload = match share::from_file(&manifest) {
                Ok(p) => p,
                Err(e) => return fail(e.to_string()),
            };
            let notes: Vec<share::Note> = match notes {
                None => Vec::new(),
                Some(path) => match std::fs::read_to_string(&path)
                    .map_err(|e| e.to_string())
                    .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
                {
                    Ok(n) => n,
                    Err(e) => return fail(format!("cannot read notes from {path}: {e}")),
                },
            };
            for hit in payload.secrets() {
                eprintln!("podlab: warning: line {}: {} would travel in the link (run the manifest through a redaction first, or share a file)", hit.line, hit.what);
            }
            payload.notes.extend(notes);
            if let Some(v) = kubernetes_version {
                payload.kubernetes_version = Some(v.to_string());
            }
            let link = share::link(&base_url, &payload);
            println!("{link}");
            if link.len() > share::LONG_LINK {
                eprintln!(
                    "podlab: the link is {} characters; chat apps often cut links past about {}",
                    link.len(),
                    share::LONG_LINK
                );
            }
            ExitCode::SUCCESS
        }
        LinkAction::Decode { link, output } => match share::decode(&link) {
            Ok(p) => {
                match output {
                    RulesOutput::Json => {
                        println!("{}", serde_json::to_string_pretty(&p).unwrap_or_default())
                    }
                    RulesOutput::Text => print!("{}", p.manifest),
                }
                ExitCode::SUCCESS
            }
            Err(e) => fail(e.to_string()),
        },
    }
}

//! `podlab`: the engine on the command line, for reviews and CI.
//!
//! Exit status (CONTRACT.md §1): 0 analysed with no finding at or above `--fail-on` (default
//! error) that is not waived; 1 at least one such finding; 2 an input could not be read or parsed,
//! the configuration is invalid, or a usage error.

use clap::{Parser, Subcommand, ValueEnum};
use config::{Config, FailOn};
use podlab_engine::waivers::{Rules, Waived, WaivedBy, Waiver};
use podlab_engine::{analyze, Analysis, Diagnostic, KubeVersion, Options, Source, Workload};
use std::io::{IsTerminal, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: alloc::Mimalloc = alloc::Mimalloc;

mod alloc;
mod config;
mod fix;
mod github;
mod json_out;
mod junit;
mod pretty;
mod stream;
mod summary;
mod text;
mod walk;

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
    /// Analyse manifests (files, directories read recursively, or standard input with '-' or no file)
    Analyze {
        /// Files or directories to read; '-' or none reads standard input
        files: Vec<String>,
        #[arg(short, long, value_enum, default_value_t = Output::Text)]
        output: Output,
        /// Target cluster version, 1.27 to the newest supported (default: the configuration's, else the newest)
        #[arg(long = "kubernetes-version", value_name = "MAJOR.MINOR", value_parser = parse_version)]
        kubernetes_version: Option<KubeVersion>,
        /// The configuration file (default: the nearest .podlab.yaml in the current directory or a parent)
        #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
        config: Option<PathBuf>,
        /// Read no configuration file
        #[arg(long = "no-config")]
        no_config: bool,
        /// The lowest severity that makes the exit status 1 (default: the configuration's, else error)
        #[arg(long = "fail-on", value_enum, value_name = "SEVERITY")]
        fail_on: Option<FailOn>,
        /// Waive a rule ("*" for every rule), for the containers a glob matches with RULE=GLOB; repeatable
        #[arg(long = "ignore", value_name = "RULE[=CONTAINER-GLOB]", value_parser = parse_ignore)]
        ignore: Vec<FlagIgnore>,
        /// Skip named files that hold no Kubernetes object, as a directory walk does (for hooks
        /// that pass every staged YAML file)
        #[arg(long = "skip-non-kubernetes")]
        skip_non_kubernetes: bool,
        /// Print a summary of all workloads instead of each one: pods by status, what holds
        /// them back, and the sidecar tax per namespace
        #[arg(long)]
        summary: bool,
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
    Junit,
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesOutput {
    Text,
    Json,
}

fn parse_version(s: &str) -> Result<KubeVersion, String> {
    s.parse()
}

/// `--ignore RULE[=CONTAINER-GLOB]`.
#[derive(Clone, Debug)]
struct FlagIgnore {
    rules: Rules,
    containers: Option<globset::GlobMatcher>,
}

fn parse_ignore(s: &str) -> Result<FlagIgnore, String> {
    let (rule, glob) = match s.split_once('=') {
        Some((r, g)) => (r.trim(), Some(g.trim())),
        None => (s.trim(), None),
    };
    if rule != "*" && !podlab_engine::rules::CATALOGUE.iter().any(|r| r.id == rule) {
        return Err(format!(
            "unknown rule id '{rule}' (podlab rules lists them)"
        ));
    }
    let containers = match glob {
        Some(g) => Some(
            config::glob(g)
                .map_err(|e| format!("'{g}' is not a glob: {}", e.kind()))?
                .compile_matcher(),
        ),
        None => None,
    };
    Ok(FlagIgnore {
        rules: Rules::parse(rule),
        containers,
    })
}

fn main() -> ExitCode {
    alloc::no_huge_pages();
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
            config,
            no_config,
            fail_on,
            ignore,
            skip_non_kubernetes,
            summary,
        } => {
            let config = match (no_config, config) {
                (true, _) => Ok(Config::default()),
                (false, Some(path)) => config::load(&path),
                (false, None) => match std::env::current_dir()
                    .ok()
                    .and_then(|d| config::discover(&d))
                {
                    Some(path) => config::load(&path),
                    None => Ok(Config::default()),
                },
            };
            let config = match config {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("podlab: {e}");
                    return ExitCode::from(2);
                }
            };
            run_analyze(Run {
                files,
                output,
                version: kubernetes_version
                    .or(config.kubernetes_version)
                    .unwrap_or_default(),
                fail_on: fail_on.or(config.fail_on).unwrap_or(FailOn::Error),
                ignore,
                skip_non_kubernetes,
                summary,
                config,
            })
        }
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

/// One `podlab analyze`: the command line's choices over the configuration's.
struct Run {
    files: Vec<String>,
    output: Output,
    version: KubeVersion,
    fail_on: FailOn,
    ignore: Vec<FlagIgnore>,
    skip_non_kubernetes: bool,
    summary: bool,
    config: Config,
}

/// Whether the text report is coloured: on a terminal, unless NO_COLOR is set.
fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Reads the rest of an input after `start`, up to the limit of a whole read.
fn read_rest(mut start: Vec<u8>, rest: impl Read) -> std::io::Result<Vec<u8>> {
    // `stream::open_sized` made room for the whole file already: nothing grows or moves here.
    let limit = (podlab_engine::manifest::MAX_INPUT_BYTES + 1).saturating_sub(start.len());
    rest.take(limit as u64).read_to_end(&mut start)?;
    Ok(start)
}

fn run_analyze(run: Run) -> ExitCode {
    let names = if run.files.is_empty() {
        vec!["-".to_string()]
    } else {
        run.files.clone()
    };
    let options = Options {
        kubernetes_version: run.version,
        // The findings-only reports and the summary show no lifecycle: it is not computed.
        leave_out_lifecycle: run.summary
            || matches!(run.output, Output::Sarif | Output::Junit | Output::Github),
        ..Default::default()
    };
    let waivers = waivers(&run.ignore, &run.config);
    let prepare = |w: &mut podlab_engine::Workload| {
        podlab_engine::waivers::set_severities(w, &run.config.rules);
        podlab_engine::waivers::apply(w, &waivers);
    };
    let fails = |d: &podlab_engine::Diagnostic| d.waived.is_none() && run.fail_on.fails(d.severity);
    // One input that is a List (`kubectl get pods -A -o json`) is read as a stream, whatever its
    // size; anything else is read whole, as before.
    let mut preread: Option<std::io::Result<Vec<u8>>> = None;
    let mut collected: Option<Analysis> = None;
    if names.len() == 1 && !std::path::Path::new(&names[0]).is_dir() {
        let f = &names[0];
        let mut size = None;
        let input: std::io::Result<Box<dyn Read + Send>> = if f == "-" {
            Ok(Box::new(std::io::stdin()))
        } else {
            std::fs::File::open(f).map(|file| {
                size = file
                    .metadata()
                    .ok()
                    .filter(|m| m.is_file())
                    .map(|m| m.len());
                Box::new(file) as Box<dyn Read + Send>
            })
        };
        match input.and_then(|input| podlab_engine::stream::open_sized(input, size)) {
            Ok(podlab_engine::stream::Opened::Stream(items)) => {
                let how = stream::How {
                    output: run.output,
                    summary_only: run.summary,
                    prepare: &prepare,
                    fails: &fails,
                };
                match stream::run(f, items, &options, how) {
                    stream::Done::Printed(code) => return code,
                    stream::Done::Collected(a) => collected = Some(a),
                }
            }
            Ok(podlab_engine::stream::Opened::Whole(start, rest)) => {
                preread = Some(read_rest(start, rest))
            }
            Err(e) => preread = Some(Err(e)),
        }
    }
    let inputs = if collected.is_some() {
        Vec::new()
    } else {
        walk::expand(&names)
    };
    let (texts, mut read_failures, mut read) =
        read_inputs(inputs, preread, run.skip_non_kubernetes);
    let sources: Vec<Source> = texts
        .iter()
        .map(|(n, t)| Source { name: n, text: t })
        .collect();
    if collected.is_none() && matches!(run.output, Output::Json) && !run.summary {
        return json_each(&sources, &options, read_failures, &prepare, &fails);
    }
    let analysis = match collected {
        Some(a) => {
            read = names.clone();
            a
        }
        None => {
            let mut analysis: Analysis = analyze(&sources, &options);
            read_failures.extend(std::mem::take(&mut analysis.errors));
            analysis.errors = read_failures;
            for w in &mut analysis.workloads {
                prepare(w);
            }
            analysis
        }
    };
    // The process ends after this: leaving the analysis to the operating system saves its drop.
    let analysis = std::mem::ManuallyDrop::new(analysis);

    print_analysis(&run, &analysis, &read);
    if !analysis.errors.is_empty() {
        for e in &analysis.errors {
            eprintln!("{}:{}:{}: {}", e.file, e.line, e.column, e.message);
        }
        return ExitCode::from(2);
    }
    let fails = analysis.workloads.iter().any(|w| {
        w.diagnostics
            .iter()
            .any(|d| d.waived.is_none() && run.fail_on.fails(d.severity))
    });
    if fails {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// `-o json` of the whole inputs: each workload is analysed when its turn to be written comes
/// (on every core) and dropped once written, so that the analysis is never held whole.
fn json_each(
    sources: &[Source],
    options: &Options,
    mut errors: Vec<podlab_engine::InputError>,
    prepare: &(dyn Fn(&mut podlab_engine::Workload) + Sync),
    fails: &(dyn Fn(&podlab_engine::Diagnostic) -> bool + Sync),
) -> ExitCode {
    let reading = podlab_engine::read(sources, options);
    // The process ends after this: leaving what was read to the operating system saves its drop.
    let reading = std::mem::ManuallyDrop::new(reading);
    let head = Analysis {
        tool: Default::default(),
        kubernetes_version: options.kubernetes_version.to_string(),
        workloads: Vec::new(),
        errors: std::mem::take(&mut errors),
    };
    let failed = std::sync::atomic::AtomicBool::new(false);
    // Each part's input errors, by part, as the parts are made on the writer's threads.
    let found = std::sync::Mutex::new(Vec::new());
    let part = |i: usize| {
        let part = reading.part(i);
        if !part.errors.is_empty() {
            found
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((i, part.errors));
        }
        let mut workloads = part.workloads;
        for w in &mut workloads {
            prepare(w);
            if w.diagnostics.iter().any(fails) {
                failed.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        workloads
    };
    let in_order = |mut found: Vec<(usize, Vec<podlab_engine::InputError>)>| {
        found.sort_by_key(|(i, _)| *i);
        found.into_iter().flat_map(|(_, e)| e).collect::<Vec<_>>()
    };
    let written = json_out::write_each(
        &mut std::io::stdout().lock(),
        &head,
        reading.len(),
        part,
        || in_order(found.lock().unwrap_or_else(|e| e.into_inner()).clone()),
    );
    errors = head.errors;
    match written {
        Ok(()) => errors.extend(in_order(
            found.into_inner().unwrap_or_else(|e| e.into_inner()),
        )),
        Err(e) => {
            // A closed pipe (`| head`) ends the output early; anything else is worth saying.
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                eprintln!("podlab: {e}");
            }
            // The exit code still answers for every workload and input error, as when the
            // output is read whole.
            let mut fails_any = false;
            for i in 0..reading.len() {
                let part = reading.part(i);
                errors.extend(part.errors);
                for mut w in part.workloads {
                    prepare(&mut w);
                    fails_any |= w.diagnostics.iter().any(fails);
                }
            }
            failed.store(fails_any, std::sync::atomic::Ordering::Relaxed);
        }
    }
    if !errors.is_empty() {
        for e in &errors {
            eprintln!("{}:{}:{}: {}", e.file, e.line, e.column, e.message);
        }
        return ExitCode::from(2);
    }
    if failed.into_inner() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// Reads each input as text: the texts, what could not be read, and the names read. `preread`
/// is the first input when it was already read while looking for a stream.
fn read_inputs(
    inputs: Vec<walk::Input>,
    mut preread: Option<std::io::Result<Vec<u8>>>,
    skip_non_kubernetes: bool,
) -> (
    Vec<(String, String)>,
    Vec<podlab_engine::InputError>,
    Vec<String>,
) {
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut read_failures: Vec<podlab_engine::InputError> = Vec::new();
    let mut read: Vec<String> = Vec::new();
    for input in inputs {
        let f = &input.name;
        let bytes = if let Some(b) = preread.take() {
            b
        } else if f == "-" {
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
                Ok(s) if (input.walked || skip_non_kubernetes) && !walk::is_kubernetes(&s) => {
                    continue
                }
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
        read.push(f.clone());
    }
    (texts, read_failures, read)
}

/// Prints the analysis in the format asked for.
fn print_analysis(run: &Run, analysis: &Analysis, read: &[String]) {
    let mut stdout = std::io::stdout().lock();
    let _ = match run.output {
        Output::Json if run.summary => {
            let s = summary::of(&analysis.workloads);
            let mut head = analysis.clone();
            head.workloads.clear();
            let body = serde_json::to_string_pretty(&head).unwrap_or_default();
            let errors = serde_json::to_string_pretty(&head.errors).unwrap_or_default();
            let cut = body.find("\n  \"workloads\"").unwrap_or(body.len());
            writeln!(
                stdout,
                "{},\n  \"summary\": {},\n  \"errors\": {}\n}}",
                &body[..cut],
                stream::indent_rest(&serde_json::to_string_pretty(&s).unwrap_or_default(), 2),
                stream::indent_rest(&errors, 2)
            )
        }
        Output::Json => json_out::write(&mut stdout, analysis),
        Output::Sarif => writeln!(
            stdout,
            "{}",
            serde_json::to_string_pretty(&podlab_engine::sarif::to_sarif(analysis))
                .unwrap_or_default()
        ),
        Output::Junit => write!(stdout, "{}", junit::render(analysis, read, run.fail_on)),
        Output::Github => write!(stdout, "{}", github::render(analysis)),
        Output::Text => {
            let colour = colour();
            if run.summary {
                let mut errors_only = analysis.clone();
                errors_only.workloads.clear();
                if !errors_only.errors.is_empty() {
                    let _ = write!(stdout, "{}", text::render(&errors_only, colour));
                }
            } else {
                let _ = write!(stdout, "{}", text::render(analysis, colour));
            }
            if run.summary || analysis.workloads.len() > summary::AUTOMATIC {
                if !run.summary {
                    let _ = writeln!(stdout);
                }
                let s = summary::of(&analysis.workloads);
                write!(stdout, "{}", summary::render(&s, colour))
            } else {
                Ok(())
            }
        }
    };
}

/// The command line's waivers, then the configuration's: the first that covers a finding names
/// itself, so flags win over the file.
fn waivers<'a>(flags: &'a [FlagIgnore], config: &'a Config) -> Vec<Waiver<'a>> {
    let mut out: Vec<Waiver<'a>> = flags
        .iter()
        .map(|f| Waiver {
            rules: f.rules.clone(),
            waived: Waived {
                by: WaivedBy::Flag,
                reason: None,
            },
            reaches: Box::new(move |_, d: &Diagnostic| match &f.containers {
                Some(g) => d.container.as_deref().is_some_and(|c| g.is_match(c)),
                None => true,
            }),
        })
        .collect();
    let dir = config.dir().map(normalize);
    for i in &config.ignore {
        let dir = dir.clone();
        out.push(Waiver {
            rules: i.rules.clone(),
            waived: Waived {
                by: WaivedBy::Config,
                reason: i.reason.clone(),
            },
            reaches: Box::new(move |w: &Workload, d: &Diagnostic| {
                let containers = i
                    .containers
                    .as_ref()
                    .is_none_or(|g| d.container.as_deref().is_some_and(|c| g.is_match(c)));
                let workloads = i
                    .workloads
                    .as_ref()
                    .is_none_or(|g| g.is_match(format!("{}/{}", w.kind, w.name)));
                let files = i.files.as_ref().is_none_or(|g| {
                    dir.as_deref()
                        .and_then(|dir| relative(&w.file, dir))
                        .is_some_and(|f| g.is_match(f))
                });
                containers && workloads && files
            }),
        });
    }
    out
}

/// A path made absolute and free of `.` and `..`, without following links (the globs are about
/// the names people wrote).
fn normalize(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A file's path relative to `dir`, with `/` between segments, if it lies below `dir`.
fn relative(file: &str, dir: &Path) -> Option<String> {
    if file == "-" {
        return None;
    }
    let rel = normalize(Path::new(file))
        .strip_prefix(dir)
        .ok()?
        .to_path_buf();
    let parts: Vec<&str> = rel
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<_>>()?;
    Some(parts.join("/"))
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

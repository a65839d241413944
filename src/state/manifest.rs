//! The manifest in the editor: its text and target version, its analysis, and the last
//! analysis that found a workload (shown dimmed while the text does not parse).

use super::State;
use podlab_engine::share;
use podlab_engine::{analyze_text, Analysis, KubeVersion, Options, Pattern, Workload};
use std::collections::BTreeMap;
use std::rc::Rc;

#[derive(Clone, PartialEq)]
pub struct Manifest {
    pub text: Rc<String>,
    pub version: KubeVersion,
    /// The analysis of the current text.
    pub analysis: Rc<Analysis>,
    /// The last analysis that found a workload; shown dimmed while the text does not parse.
    pub shown: Rc<Analysis>,
    /// `Kind/name` of the workload on screen.
    pub selected: Option<String>,
    /// Bumped when the text is replaced from outside the editor (an example), so it reloads.
    pub text_revision: u32,
    /// A line to move the editor to, with a counter so the same line can be asked twice.
    pub goto: Option<(usize, u32)>,
    /// Patterns the reader chose: workload key → container → pattern.
    pub overrides: BTreeMap<String, BTreeMap<String, Pattern>>,
    /// Numbers each change of what is analysed (text, version, overrides), from one counter
    /// for the whole page, so an answer never matches a change of another manifest.
    pub seq: u32,
    /// The change `analysis` belongs to: below `seq` while the worker is analysing.
    pub analysed_seq: u32,
}

#[derive(Clone)]
pub enum ManifestAction {
    /// Typed in the editor: analysed at once, here.
    Edit(String),
    /// Typed in the editor, to be analysed in the worker (`crate::analysis_worker`): the text
    /// changes now, its analysis comes as `Analysed`.
    Typed(String),
    /// The worker's analysis of change `seq`; dropped if the screen already shows a newer one.
    Analysed(u32, Rc<Analysis>),
    /// The worker could not analyse change `seq`: analysed here if it is still the latest.
    Unanswered(u32),
    /// Replaced from outside the editor.
    Load(String),
    SetVersion(KubeVersion),
    Select(String),
    Goto(usize),
    Override {
        workload: String,
        container: String,
        pattern: Option<Pattern>,
    },
    /// Blanks what looks like a secret in the text and in every lesson of an open deck; notes stay.
    Redact,
    /// The code of the panels below the containers is in: analysed again, whole, with the
    /// findings' fixes and the lifecycle that the first analysis left out (`crate::analyse_whole`).
    Whole,
}

impl Manifest {
    pub fn new(text: &str) -> Self {
        let version = KubeVersion::NEWEST;
        let text = Rc::new(text.to_string());
        crate::rescue::keep(&text);
        let analysis = Rc::new(analyse(&text, version, &BTreeMap::new()));
        let seq = next_seq();
        Manifest {
            text,
            version,
            shown: analysis.clone(),
            analysis,
            selected: None,
            text_revision: 0,
            goto: None,
            overrides: BTreeMap::new(),
            seq,
            analysed_seq: seq,
        }
    }

    /// Whether the worker is analysing a change the screen does not show yet.
    pub fn awaiting(&self) -> bool {
        self.analysed_seq < self.seq
    }

    /// Whether what is shown is older than the text (the text does not parse right now).
    pub fn stale(&self) -> bool {
        !Rc::ptr_eq(&self.analysis, &self.shown)
    }

    pub fn workload(&self) -> Option<&Workload> {
        let ws = &self.shown.workloads;
        self.selected
            .as_ref()
            .and_then(|key| ws.iter().find(|w| &workload_key(w) == key))
            .or_else(|| ws.first())
    }

    pub(super) fn reanalyse(&mut self) {
        crate::rescue::keep(&self.text);
        self.seq = next_seq();
        let analysis = Rc::new(analyse(&self.text, self.version, &self.overrides));
        self.take(self.seq, analysis);
    }

    fn take(&mut self, seq: u32, analysis: Rc<Analysis>) {
        // Keep the last good picture while the text is broken.
        if !analysis.workloads.is_empty() || analysis.errors.is_empty() {
            self.shown = analysis.clone();
        }
        self.analysis = analysis;
        self.analysed_seq = seq;
    }

    /// Replaces the text from outside the editor, which reloads it.
    pub(super) fn replace(&mut self, text: String) {
        self.text = Rc::new(text);
        self.text_revision += 1;
    }

    fn set_override(&mut self, workload: String, container: String, pattern: Option<Pattern>) {
        let entry = self.overrides.entry(workload).or_default();
        match pattern {
            Some(p) => {
                entry.insert(container, p);
            }
            None => {
                entry.remove(&container);
            }
        }
    }
}

impl State {
    pub fn workload(&self) -> Option<&Workload> {
        self.manifest.workload()
    }

    pub(super) fn reanalyse(mut self) -> Self {
        self.manifest.reanalyse();
        self
    }

    pub(super) fn reduce_manifest(mut self, action: ManifestAction) -> Self {
        let m = &mut self.manifest;
        match action {
            ManifestAction::Edit(text) => {
                m.text = Rc::new(text);
                // Typing moves on from a link or file that could not be opened.
                self.origin.link_error = None;
                self.edited().reanalyse()
            }
            ManifestAction::Typed(text) => {
                m.text = Rc::new(text);
                crate::rescue::keep(&m.text);
                m.seq = next_seq();
                self.origin.link_error = None;
                self.edited()
            }
            ManifestAction::Analysed(seq, analysis) => {
                // Answers come in order; one older than the screen (an example loaded, the
                // version changed meanwhile) is dropped.
                if seq > m.analysed_seq && seq <= m.seq {
                    m.take(seq, analysis);
                }
                self
            }
            ManifestAction::Unanswered(seq) => {
                if seq == m.seq && m.awaiting() {
                    self.reanalyse()
                } else {
                    self
                }
            }
            ManifestAction::Load(text) => self.show_own(text, Vec::new()),
            ManifestAction::SetVersion(v) => {
                m.version = v;
                self.reanalyse()
            }
            ManifestAction::Whole => self.reanalyse(),
            ManifestAction::Select(key) => {
                m.selected = Some(key);
                self
            }
            ManifestAction::Goto(line) => {
                let n = m.goto.map(|(_, n)| n + 1).unwrap_or(0);
                m.goto = Some((line, n));
                self
            }
            ManifestAction::Override {
                workload,
                container,
                pattern,
            } => {
                m.set_override(workload, container, pattern);
                self.reanalyse()
            }
            ManifestAction::Redact => {
                if let Some(d) = &self.deck.deck {
                    let mut d = (**d).clone();
                    d.redact();
                    self.deck.deck = Some(Rc::new(d));
                }
                let redacted = share::redact(&self.manifest.text);
                self.manifest.replace(redacted);
                self.reanalyse()
            }
        }
    }
}

fn next_seq() -> u32 {
    thread_local! {
        static SEQ: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }
    SEQ.with(|s| {
        s.set(s.get() + 1);
        s.get()
    })
}

pub fn workload_key(w: &Workload) -> String {
    format!("{}/{}", w.kind, w.name)
}

/// The most the page analyses: beyond it one analysis would hold the page for seconds. The CLI
/// reads up to the engine's own limit.
pub const PAGE_MAX_BYTES: usize = 4 * 1024 * 1024;
/// From this size on the editor hands its text over when typing pauses, not on every key.
/// 32 KiB is about 1,000 lines: analysing more takes longer than a frame (see BENCHMARKS.md).
pub const LARGE_BYTES: usize = 32 * 1024;
/// From this size on, once the analysis worker runs, typing is analysed there: a few
/// milliseconds of analysis, which is what larger inputs take, would hold up the keyboard.
pub const WORKER_BYTES: usize = 4 * 1024;

/// The analysis the page shows for a text, whether it runs here or in the worker.
pub fn analyse(
    text: &str,
    version: KubeVersion,
    overrides: &BTreeMap<String, BTreeMap<String, Pattern>>,
) -> Analysis {
    let options = Options {
        kubernetes_version: version,
        pattern_overrides: overrides.clone(),
        leave_out_fixes: !crate::analyses_whole(),
        leave_out_lifecycle: !crate::analyses_whole(),
    };
    if text.len() > PAGE_MAX_BYTES {
        let mut a = analyze_text("manifest.yaml", "", &options);
        a.errors.push(podlab_engine::InputError {
            file: "manifest.yaml".into(),
            document: 0,
            line: 1,
            column: 1,
            message: format!(
                "the input is {:.1} MB; the page analyses up to {} MB so it stays responsive. Run `podlab analyze` on the file for larger inputs: it reads a List of any size (`kubectl get pods -A -o json`).",
                text.len() as f64 / 1e6,
                PAGE_MAX_BYTES / (1024 * 1024)
            ),
            path: None,
        });
        return a;
    }
    analyze_text("manifest.yaml", text, &options)
}

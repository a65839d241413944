//! All page state in one place, changed only by actions through one reducer.

use podlab_engine::share::{self, Note, Payload};
use podlab_engine::{analyze_text, Analysis, KubeVersion, Options, Pattern};
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
pub struct State {
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
    pub overrides: BTreeMap<String, BTreeMap<String, Pattern>>,
    /// Notes that came with a shared link.
    pub notes: Rc<Vec<Note>>,
    /// Why the link in the address bar could not be opened.
    pub link_error: Option<String>,
    /// Questionnaire answers, (question id, choice id) in order.
    pub answers: Rc<Vec<(String, String)>>,
    /// Answers taken back with Back, newest last, for Forward.
    pub undone: Rc<Vec<(String, String)>>,
    pub questionnaire_open: bool,
}

pub enum Action {
    /// Typed in the editor.
    Edit(String),
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
    /// A share link's fragment was opened (on load, or through back and forward).
    OpenLink(String),
    ToggleQuestionnaire,
    AddNote(Note),
    RemoveNote(usize),
    /// Answers a question; any answer to it and after it is replaced.
    Answer(String, String),
    /// Goes back one question, or to a given question.
    Back(Option<String>),
    Forward,
    Restart,
}

impl State {
    pub fn new(text: &str) -> Self {
        let version = KubeVersion::NEWEST;
        let analysis = Rc::new(run(text, version, &BTreeMap::new()));
        State {
            text: Rc::new(text.to_string()),
            version,
            shown: analysis.clone(),
            analysis,
            selected: None,
            text_revision: 0,
            goto: None,
            overrides: BTreeMap::new(),
            notes: Rc::new(Vec::new()),
            link_error: None,
            answers: Rc::new(Vec::new()),
            undone: Rc::new(Vec::new()),
            questionnaire_open: false,
        }
    }

    /// The share payload for what is on screen.
    pub fn payload(&self) -> Payload {
        let view = (!self.answers.is_empty() || self.questionnaire_open)
            .then(|| serde_json::json!({"answers": *self.answers, "questionnaire": self.questionnaire_open}));
        Payload {
            manifest: (*self.text).clone(),
            notes: (*self.notes).clone(),
            kubernetes_version: Some(self.version.to_string()),
            view,
            deck: None,
        }
    }

    /// Whether what is shown is older than the text (the text does not parse right now).
    pub fn stale(&self) -> bool {
        !Rc::ptr_eq(&self.analysis, &self.shown)
    }

    pub fn workload(&self) -> Option<&podlab_engine::Workload> {
        let ws = &self.shown.workloads;
        self.selected
            .as_ref()
            .and_then(|key| ws.iter().find(|w| &workload_key(w) == key))
            .or_else(|| ws.first())
    }

    fn reanalyse(mut self) -> Self {
        let analysis = Rc::new(run(&self.text, self.version, &self.overrides));
        // Keep the last good picture while the text is broken.
        if !analysis.workloads.is_empty() || analysis.errors.is_empty() {
            self.shown = analysis.clone();
        }
        self.analysis = analysis;
        self
    }
}

pub fn workload_key(w: &podlab_engine::Workload) -> String {
    format!("{}/{}", w.kind, w.name)
}

fn run(
    text: &str,
    version: KubeVersion,
    overrides: &BTreeMap<String, BTreeMap<String, Pattern>>,
) -> Analysis {
    let options = Options {
        kubernetes_version: version,
        pattern_overrides: overrides.clone(),
    };
    analyze_text("manifest.yaml", text, &options)
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let s = match action {
            Action::Edit(text) => {
                if *s.text == text {
                    return self;
                }
                s.text = Rc::new(text);
                s.reanalyse()
            }
            Action::OpenLink(fragment) => match share::decode(&fragment) {
                Ok(p) => {
                    if let Some(v) = p.kubernetes_version.as_deref().and_then(|v| v.parse().ok()) {
                        s.version = v;
                    }
                    s.text = Rc::new(p.manifest);
                    s.notes = Rc::new(p.notes);
                    let view = p.view.unwrap_or_default();
                    s.answers = Rc::new(
                        serde_json::from_value(view["answers"].clone()).unwrap_or_default(),
                    );
                    s.questionnaire_open = view["questionnaire"].as_bool().unwrap_or(false);
                    s.link_error = None;
                    s.text_revision += 1;
                    s.selected = None;
                    s.reanalyse()
                }
                Err(e) => {
                    // A damaged link opens an empty editor with the reason, never a crash.
                    s.text = Rc::new(String::new());
                    s.notes = Rc::new(Vec::new());
                    s.link_error = Some(e.to_string());
                    s.text_revision += 1;
                    s.reanalyse()
                }
            },
            Action::AddNote(note) => {
                let mut notes = (*s.notes).clone();
                notes.push(note);
                notes.sort_by_key(|n| n.line.unwrap_or(0));
                s.notes = Rc::new(notes);
                s
            }
            Action::RemoveNote(i) => {
                let mut notes = (*s.notes).clone();
                if i < notes.len() {
                    notes.remove(i);
                }
                s.notes = Rc::new(notes);
                s
            }
            Action::ToggleQuestionnaire => {
                s.questionnaire_open = !s.questionnaire_open;
                s
            }
            Action::Answer(question, answer) => {
                let mut answers = (*s.answers).clone();
                if let Some(i) = answers.iter().position(|(q, _)| *q == question) {
                    answers.truncate(i);
                }
                let mut undone = (*s.undone).clone();
                // Answering as before keeps the way forward; answering differently drops it.
                if undone.last() == Some(&(question.clone(), answer.clone())) {
                    undone.pop();
                } else {
                    undone.clear();
                }
                answers.push((question, answer));
                s.answers = Rc::new(answers);
                s.undone = Rc::new(undone);
                s
            }
            Action::Back(to) => {
                let mut answers = (*s.answers).clone();
                let keep = match to.and_then(|q| answers.iter().position(|(a, _)| *a == q)) {
                    Some(i) => i,
                    None => answers.len().saturating_sub(1),
                };
                let mut undone = (*s.undone).clone();
                undone.extend(answers.drain(keep..).rev());
                s.answers = Rc::new(answers);
                s.undone = Rc::new(undone);
                s
            }
            Action::Forward => {
                let mut undone = (*s.undone).clone();
                if let Some(a) = undone.pop() {
                    let mut answers = (*s.answers).clone();
                    answers.push(a);
                    s.answers = Rc::new(answers);
                }
                s.undone = Rc::new(undone);
                s
            }
            Action::Restart => {
                s.answers = Rc::new(Vec::new());
                s.undone = Rc::new(Vec::new());
                s
            }
            Action::Load(text) => {
                s.link_error = None;
                s.notes = Rc::new(Vec::new());
                s.text = Rc::new(text);
                s.text_revision += 1;
                s.selected = None;
                s.reanalyse()
            }
            Action::SetVersion(v) => {
                s.version = v;
                s.reanalyse()
            }
            Action::Select(key) => {
                s.selected = Some(key);
                s
            }
            Action::Goto(line) => {
                let n = s.goto.map(|(_, n)| n + 1).unwrap_or(0);
                s.goto = Some((line, n));
                s
            }
            Action::Override {
                workload,
                container,
                pattern,
            } => {
                let entry = s.overrides.entry(workload).or_default();
                match pattern {
                    Some(p) => {
                        entry.insert(container, p);
                    }
                    None => {
                        entry.remove(&container);
                    }
                }
                s.reanalyse()
            }
        };
        Rc::new(s)
    }
}

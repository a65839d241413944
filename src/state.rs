//! All page state in one place, changed only by actions through one reducer.

use podlab_engine::share::{self, Deck, Note, Payload};
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
    /// Why the link in the address bar, or a file, could not be opened (the whole sentence).
    pub link_error: Option<String>,
    /// The text came from a link or a file.
    pub from_link: bool,
    /// ...and has been edited since: it is the reader's own copy now.
    pub own_copy: bool,
    /// A workshop deck, and the lesson on screen.
    pub deck: Option<Rc<Deck>>,
    pub lesson: usize,
    /// The presenter view: large type, the analysis revealed one section at a time.
    pub presenting: bool,
    /// How many analysis sections the presenter has revealed.
    pub reveal: usize,
    /// Quiz answers (container name → choice id), whether they were checked, hints shown.
    pub quiz: Rc<BTreeMap<String, String>>,
    pub quiz_checked: bool,
    pub hints: Rc<BTreeMap<String, usize>>,
    /// Bumped when a step deserves its own history entry (a lesson change), so Back returns.
    pub history: u32,
    /// The manifest and notes on screen before a link, file or deck replaced them: Back to an
    /// address without a link brings them back.
    pub before_link: Option<Rc<(String, Vec<Note>)>>,
    /// Questionnaire answers, (question id, choice id) in order.
    pub answers: Rc<Vec<(String, String)>>,
    /// Answers taken back with Back, newest last, for Forward.
    pub undone: Rc<Vec<(String, String)>>,
    pub questionnaire_open: bool,
}

#[derive(Clone)]
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
    /// Back or forward reached an address without a link: what was on screen before the first
    /// link, file or deck comes back (the default example when nothing was).
    LeaveLink,
    ToggleQuestionnaire,
    /// Blanks what looks like a secret in the text and in every lesson of an open deck; notes stay.
    Redact,
    AddNote(Note),
    RemoveNote(usize),
    EditNote(usize, String),
    /// A file was opened (picker or drop): its text, or why it could not be read.
    OpenFile(Result<String, String>),
    /// Opens a deck at its first lesson (the built-in workshop).
    OpenDeck(Deck),
    GotoLesson(usize),
    /// Starts a deck whose first lesson is what the editor holds.
    NewDeck,
    SetDeckTitle(String),
    SetLessonTitle(String),
    SetLessonText(String),
    SetLessonQuiz(bool),
    /// Adds a lesson after the current one, starting from a copy of its manifest, and opens it.
    AddLesson,
    RemoveLesson,
    /// Moves the current lesson one place earlier (-1) or later (+1).
    MoveLesson(isize),
    CloseDeck,
    TogglePresent,
    /// Reveals one more analysis section (or, with everything shown, moves to the next lesson).
    RevealNext,
    RevealPrev,
    QuizAnswer(String, String),
    QuizCheck,
    QuizHint(String),
    QuizReset,
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
            from_link: false,
            own_copy: false,
            deck: None,
            lesson: 0,
            presenting: false,
            reveal: 0,
            quiz: Rc::new(BTreeMap::new()),
            quiz_checked: false,
            hints: Rc::new(BTreeMap::new()),
            history: 0,
            before_link: None,
            answers: Rc::new(Vec::new()),
            undone: Rc::new(Vec::new()),
            questionnaire_open: false,
        }
    }

    /// The share payload for what is on screen.
    pub fn payload(&self) -> Payload {
        let mut view = serde_json::Map::new();
        if !self.answers.is_empty() || self.questionnaire_open {
            view.insert("answers".into(), serde_json::json!(*self.answers));
            view.insert("questionnaire".into(), self.questionnaire_open.into());
        }
        let deck = self.committed_deck();
        if deck.is_some() {
            view.insert("lesson".into(), self.lesson.into());
            if self.presenting {
                view.insert("present".into(), true.into());
            }
        }
        Payload {
            manifest: (*self.text).clone(),
            notes: (*self.notes).clone(),
            kubernetes_version: Some(self.version.to_string()),
            view: (!view.is_empty()).then_some(serde_json::Value::Object(view)),
            deck,
        }
    }

    /// The open deck with the lesson on screen as edited (its text, notes and version).
    pub fn committed_deck(&self) -> Option<Deck> {
        let mut d = (**self.deck.as_ref()?).clone();
        if let Some(l) = d.lessons.get_mut(self.lesson) {
            l.manifest = (*self.text).clone();
            l.notes = (*self.notes).clone();
            l.kubernetes_version = Some(self.version.to_string());
        }
        Some(d)
    }

    /// Changes the open deck through `f`, the lesson on screen committed first.
    fn edit_deck(mut self, f: impl FnOnce(&mut Deck, usize)) -> Self {
        if let Some(mut d) = self.committed_deck() {
            f(&mut d, self.lesson);
            self.deck = Some(Rc::new(d));
            self.own_copy |= self.from_link;
        }
        self
    }

    /// The line a note belongs to: its own, or its container's in the workload on screen.
    pub fn note_line(&self, n: &Note) -> Option<usize> {
        n.line.or_else(|| {
            let name = n.container.as_deref()?;
            self.workload()?
                .containers
                .iter()
                .find(|c| c.name == name)
                .map(|c| c.line)
        })
    }

    /// A click handler that sends `action`.
    pub fn on<E>(this: &UseReducerHandle<State>, action: Action) -> Callback<E> {
        let d = this.dispatcher();
        Callback::from(move |_| d.dispatch(action.clone()))
    }

    /// The lesson on screen, when a deck is open.
    pub fn current_lesson(&self) -> Option<&share::Lesson> {
        self.deck.as_ref().and_then(|d| d.lessons.get(self.lesson))
    }

    /// Whether learners still have to answer this lesson's quiz before the analysis shows.
    pub fn quiz_pending(&self) -> bool {
        self.current_lesson().is_some_and(|l| l.quiz) && !self.quiz_checked
    }

    /// Whether analysis section `n` (0 containers, 1 resources, 2 lifecycle, 3 findings) shows.
    pub fn reveals(&self, n: usize) -> bool {
        if self.quiz_pending() {
            return false;
        }
        !self.presenting || n < self.reveal
    }

    /// Opens what a link or a file carried.
    fn open_payload(mut self, p: Payload) -> Self {
        if self.deck.is_none() && !self.from_link {
            self.before_link = Some(Rc::new(((*self.text).clone(), (*self.notes).clone())));
        }
        let view = p.view.clone().unwrap_or_default();
        self.deck = p.deck.map(Rc::new);
        self.lesson = view["lesson"].as_u64().unwrap_or(0) as usize;
        self.presenting = self.deck.is_some() && view["present"].as_bool().unwrap_or(false);
        let lesson = self.current_lesson().cloned();
        let (manifest, notes, version) = match lesson {
            Some(l) => (l.manifest, l.notes, l.kubernetes_version),
            None => (p.manifest, p.notes, p.kubernetes_version),
        };
        self.answers = Rc::new(serde_json::from_value(view["answers"].clone()).unwrap_or_default());
        self.questionnaire_open = view["questionnaire"].as_bool().unwrap_or(false);
        self.link_error = None;
        self.from_link = true;
        self.own_copy = false;
        self.show(manifest, notes, version.as_deref())
    }

    /// Puts a manifest and its notes on screen from outside the editor (a link, a file, a lesson,
    /// an example): the editor reloads, the quiz and the reveal start afresh.
    fn show(mut self, manifest: String, notes: Vec<Note>, version: Option<&str>) -> Self {
        if let Some(v) = version.and_then(|v| v.parse().ok()) {
            self.version = v;
        }
        self.text = Rc::new(manifest);
        self.notes = Rc::new(notes);
        self.text_revision += 1;
        self.selected = None;
        let mut s = self.reset_lesson_view().reanalyse();
        // The last good picture belongs to another manifest: a broken one shows only its errors.
        s.shown = s.analysis.clone();
        s
    }

    /// Puts a manifest of the reader's own on screen (an example, a starter, what was there
    /// before a link): any deck, presenter view and link state are left behind.
    fn show_own(mut self, manifest: String, notes: Vec<Note>) -> Self {
        self.deck = None;
        self.presenting = false;
        self.link_error = None;
        self.from_link = false;
        self.own_copy = false;
        self.show(manifest, notes, None)
    }

    /// A fresh look at a lesson: quiz unanswered, nothing revealed yet.
    fn reset_lesson_view(mut self) -> Self {
        self.quiz = Rc::new(BTreeMap::new());
        self.quiz_checked = false;
        self.hints = Rc::new(BTreeMap::new());
        self.reveal = 0;
        self
    }

    fn goto_lesson(mut self, i: usize) -> Self {
        // Edits to the lesson being left stay with it.
        self.deck = self.committed_deck().map(Rc::new);
        let Some(l) = self.deck.as_ref().and_then(|d| d.lessons.get(i)).cloned() else {
            return self;
        };
        self.lesson = i;
        self.history += 1;
        self.show(l.manifest, l.notes, l.kubernetes_version.as_deref())
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

/// The most the page analyses: beyond it one analysis would hold the page for seconds. The CLI
/// reads up to the engine's own limit.
pub const PAGE_MAX_BYTES: usize = 4 * 1024 * 1024;
/// From this size on the editor hands its text over when typing pauses, not on every key.
/// 32 KiB is about 1,000 lines: analysing more takes longer than a frame (see BENCHMARKS.md).
pub const LARGE_BYTES: usize = 32 * 1024;

fn run(
    text: &str,
    version: KubeVersion,
    overrides: &BTreeMap<String, BTreeMap<String, Pattern>>,
) -> Analysis {
    let options = Options {
        kubernetes_version: version,
        pattern_overrides: overrides.clone(),
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
                // Typing moves on from a link or file that could not be opened.
                s.link_error = None;
                if s.from_link {
                    s.own_copy = true;
                }
                s.reanalyse()
            }
            Action::OpenLink(fragment) => match share::decode(&fragment) {
                Ok(p) => s.open_payload(p),
                Err(e) => {
                    // A damaged link opens an empty editor with the reason, never a crash.
                    s.text = Rc::new(String::new());
                    s.notes = Rc::new(Vec::new());
                    s.deck = None;
                    s.presenting = false;
                    s.link_error = Some(format!("This link could not be opened: {e}"));
                    s.text_revision += 1;
                    s.reanalyse()
                }
            },
            Action::LeaveLink if s.deck.is_none() && !s.from_link => s,
            Action::LeaveLink => {
                let (text, notes) = s
                    .before_link
                    .take()
                    .map(|b| (*b).clone())
                    .unwrap_or_else(|| (crate::examples::default_text().to_string(), Vec::new()));
                s.show_own(text, notes)
            }
            Action::OpenFile(read) => {
                match read.and_then(|t| share::from_file(&t).map_err(|e| e.to_string())) {
                    Ok(p) => s.open_payload(p),
                    Err(e) => {
                        // The editor keeps what it had: a bad file must not cost the user their text.
                        s.link_error = Some(format!("This file could not be opened: {e}"));
                        s
                    }
                }
            }
            Action::OpenDeck(deck) => {
                let mut s = s.open_payload(Payload::of_deck(deck));
                // Built in, not brought by a link: editing it needs no "own copy" notice.
                s.from_link = false;
                s.history += 1;
                s
            }
            Action::GotoLesson(i) => s.goto_lesson(i),
            Action::NewDeck => {
                let title = s
                    .workload()
                    .map(|w| format!("{} {}", w.kind, w.name))
                    .unwrap_or_else(|| "Lesson 1".into());
                let deck = Deck {
                    title: "A new workshop".into(),
                    lessons: vec![share::Lesson {
                        title,
                        manifest: (*s.text).clone(),
                        notes: (*s.notes).clone(),
                        kubernetes_version: Some(s.version.to_string()),
                        ..share::Lesson::default()
                    }],
                };
                s.deck = Some(Rc::new(deck));
                s.lesson = 0;
                s.history += 1;
                s.reset_lesson_view()
            }
            Action::SetDeckTitle(t) => s.edit_deck(|d, _| d.title = t),
            Action::SetLessonTitle(t) => s.edit_deck(|d, i| d.lessons[i].title = t),
            Action::SetLessonText(t) => s.edit_deck(|d, i| d.lessons[i].text = t),
            Action::SetLessonQuiz(q) => {
                let s = s.edit_deck(|d, i| d.lessons[i].quiz = q);
                s.reset_lesson_view()
            }
            Action::AddLesson => {
                let s = s.edit_deck(|d, i| {
                    let mut copy = d.lessons[i].clone();
                    copy.title = format!("Lesson {}", d.lessons.len() + 1);
                    copy.text = String::new();
                    copy.quiz = false;
                    d.lessons.insert(i + 1, copy);
                });
                let next = s.lesson + 1;
                s.goto_lesson(next)
            }
            Action::RemoveLesson => {
                let at = s.lesson;
                let s = s.edit_deck(|d, i| {
                    if d.lessons.len() > 1 {
                        d.lessons.remove(i);
                    }
                });
                let last = s.deck.as_ref().map_or(0, |d| d.lessons.len() - 1);
                let mut s = s;
                // goto_lesson commits the lesson on screen first: point it at the lesson that
                // took the removed one's place, so nothing is written over it.
                s.lesson = usize::MAX;
                s.goto_lesson(at.min(last))
            }
            Action::MoveLesson(by) => {
                let at = s.lesson;
                let to = at.checked_add_signed(by);
                let len = s.deck.as_ref().map_or(0, |d| d.lessons.len());
                match to.filter(|t| *t < len) {
                    Some(to) => {
                        let mut s = s.edit_deck(|d, i| d.lessons.swap(i, to));
                        s.lesson = to;
                        s.history += 1;
                        s
                    }
                    None => s,
                }
            }
            Action::Redact => {
                if let Some(d) = &s.deck {
                    let mut d = (**d).clone();
                    d.redact();
                    s.deck = Some(Rc::new(d));
                }
                s.text = Rc::new(share::redact(&s.text));
                s.text_revision += 1;
                s.reanalyse()
            }
            Action::CloseDeck => {
                s.deck = None;
                s.presenting = false;
                s.reset_lesson_view()
            }
            Action::TogglePresent => {
                s.presenting = !s.presenting && s.deck.is_some();
                s.reveal = 0;
                s
            }
            Action::RevealNext => {
                if s.quiz_pending() {
                    s
                } else if s.reveal < 4 {
                    s.reveal += 1;
                    s
                } else {
                    let next = s.lesson + 1;
                    s.goto_lesson(next)
                }
            }
            Action::RevealPrev => {
                if s.reveal > 0 && s.presenting {
                    s.reveal -= 1;
                    s
                } else if s.lesson > 0 {
                    let prev = s.lesson - 1;
                    s.goto_lesson(prev)
                } else {
                    s
                }
            }
            Action::QuizAnswer(container, choice) => {
                let mut q = (*s.quiz).clone();
                q.insert(container, choice);
                s.quiz = Rc::new(q);
                s
            }
            Action::QuizCheck => {
                s.quiz_checked = true;
                s.reveal = 1;
                s
            }
            Action::QuizHint(container) => {
                let mut h = (*s.hints).clone();
                *h.entry(container).or_default() += 1;
                s.hints = Rc::new(h);
                s
            }
            Action::QuizReset => s.reset_lesson_view(),
            Action::EditNote(i, text) => {
                s.own_copy |= s.from_link;
                let mut notes = (*s.notes).clone();
                if let Some(n) = notes.get_mut(i) {
                    n.text = text;
                }
                s.notes = Rc::new(notes);
                s
            }
            Action::AddNote(note) => {
                s.own_copy |= s.from_link;
                let mut notes = (*s.notes).clone();
                notes.push(note);
                // Line notes in line order; container notes after them, as added.
                notes.sort_by_key(|n| n.line.unwrap_or(usize::MAX));
                s.notes = Rc::new(notes);
                s
            }
            Action::RemoveNote(i) => {
                s.own_copy |= s.from_link;
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
            Action::Load(text) => s.show_own(text, Vec::new()),
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

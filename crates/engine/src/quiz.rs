//! The workshop quiz: learners name each container's pattern before the analysis is revealed.
//! Grading compares their choice with the pattern the engine found, and accepts either sidecar
//! form for a sidecar: the pattern is the container's role, and both forms play it.

use crate::model::{ContainerReport, Form, Pattern};

/// The choices a learner has for one container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Init,
    NativeSidecar,
    ClassicSidecar,
    Ambassador,
    Adapter,
    App,
}

impl Choice {
    pub const ALL: [Choice; 6] = [
        Choice::Init,
        Choice::NativeSidecar,
        Choice::ClassicSidecar,
        Choice::Ambassador,
        Choice::Adapter,
        Choice::App,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Choice::Init => "init",
            Choice::NativeSidecar => "native-sidecar",
            Choice::ClassicSidecar => "classic-sidecar",
            Choice::Ambassador => "ambassador",
            Choice::Adapter => "adapter",
            Choice::App => "app",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Choice::Init => "init container",
            Choice::NativeSidecar => "sidecar (native)",
            Choice::ClassicSidecar => "sidecar (classic)",
            Choice::Ambassador => "ambassador",
            Choice::Adapter => "adapter",
            Choice::App => "the app",
        }
    }

    pub fn parse(id: &str) -> Option<Choice> {
        Choice::ALL.into_iter().find(|c| c.id() == id)
    }
}

/// The verdict on one answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grade {
    pub right: bool,
    /// One or two sentences: why, in the learner's terms.
    pub remark: String,
}

fn form_words(form: Form) -> &'static str {
    match form {
        Form::NativeSidecar => "an init container with restartPolicy: Always (the native form)",
        Form::Init => "an init container that runs to completion",
        Form::Container => "a regular entry in containers",
    }
}

/// Grades `choice` for container `c` as the engine classified it.
pub fn grade(choice: Choice, c: &ContainerReport) -> Grade {
    let right = matches!(
        (c.pattern, choice),
        (Pattern::Init, Choice::Init)
            | (
                Pattern::Sidecar,
                Choice::NativeSidecar | Choice::ClassicSidecar
            )
            | (Pattern::Ambassador, Choice::Ambassador)
            | (Pattern::Adapter, Choice::Adapter)
            | (Pattern::App, Choice::App)
    );
    let shape = form_words(c.form);
    let what = pattern_words(c.pattern);
    let remark = match (right, c.pattern, choice) {
        (true, Pattern::Sidecar, Choice::NativeSidecar) if c.form == Form::Container => format!(
            "Right: a sidecar. Here it is written as {shape}; as a native sidecar it would start before the app and stop after it."
        ),
        (true, Pattern::Sidecar, Choice::ClassicSidecar) if c.form == Form::NativeSidecar => format!(
            "Right: a sidecar. Here it is written as {shape}, which starts it before the app and stops it after."
        ),
        (true, Pattern::Init | Pattern::App, _) => format!("Right: {what}."),
        (true, _, _) => format!("Right: {what}. It is written as {shape}."),
        (false, Pattern::Ambassador | Pattern::Adapter, Choice::NativeSidecar | Choice::ClassicSidecar) => {
            format!("Close: it runs beside the app like a sidecar, but it is {what}.")
        }
        (false, _, _) => format!("Not quite: it is {what}."),
    };
    Grade { right, remark }
}

fn pattern_words(p: Pattern) -> &'static str {
    match p {
        Pattern::Init => "an init container: it prepares the pod and must finish before the next one starts",
        Pattern::Sidecar => "a sidecar: it adds a capability to the app for the pod's whole life",
        Pattern::Ambassador => "an ambassador: it stands in for something outside the pod, and the app talks to it on localhost",
        Pattern::Adapter => "an adapter: it turns what the app emits into the shape the outside world expects",
        Pattern::App => "the app itself: the reason the pod exists",
    }
}

/// The pattern with its article, for sentences: "an ambassador", "the app".
pub fn pattern_name(p: Pattern) -> &'static str {
    match p {
        Pattern::Init => "an init container",
        Pattern::Sidecar => "a sidecar",
        Pattern::Ambassador => "an ambassador",
        Pattern::Adapter => "an adapter",
        Pattern::App => "the app",
    }
}

/// Hints, mildest first: where the container is declared, then the engine's own evidence.
pub fn hints(c: &ContainerReport) -> Vec<String> {
    let mut out = vec![format!(
        "Look at how it is declared: {}.",
        form_words(c.form)
    )];
    out.extend(c.evidence.iter().take(2).cloned());
    out
}

/// The score of a set of answers, as (right, total).
pub fn score(answers: &[(Choice, &ContainerReport)]) -> (usize, usize) {
    let right = answers.iter().filter(|(ch, c)| grade(*ch, c).right).count();
    (right, answers.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{analyze_text, Options};

    const POD: &str = r#"apiVersion: v1
kind: Pod
metadata: {name: quiz}
spec:
  initContainers:
  - name: migrate
    image: flyway/flyway:10
  - name: log-shipper
    image: fluent/fluent-bit:3.0
    restartPolicy: Always
  containers:
  - name: app
    image: example/shop:1.0
  - name: metrics
    image: prom/statsd-exporter:v0.26.0
  - name: tail
    image: busybox:1.36
    command: ["sh", "-c", "tail -F /var/log/app.log"]
"#;

    fn containers() -> Vec<ContainerReport> {
        let a = analyze_text("q.yaml", POD, &Options::default());
        a.workloads[0].containers.clone()
    }

    fn by_name<'a>(cs: &'a [ContainerReport], n: &str) -> &'a ContainerReport {
        cs.iter().find(|c| c.name == n).unwrap()
    }

    #[test]
    fn either_sidecar_form_is_right_for_a_sidecar() {
        let cs = containers();
        let shipper = by_name(&cs, "log-shipper");
        assert_eq!(shipper.pattern, Pattern::Sidecar);
        assert!(grade(Choice::NativeSidecar, shipper).right);
        let classic = grade(Choice::ClassicSidecar, shipper);
        assert!(classic.right);
        assert!(classic.remark.contains("native form"), "{}", classic.remark);
        assert!(!grade(Choice::Init, shipper).right);
        assert!(!grade(Choice::App, shipper).right);
    }

    #[test]
    fn other_patterns_need_their_own_answer() {
        let cs = containers();
        let migrate = by_name(&cs, "migrate");
        assert!(grade(Choice::Init, migrate).right);
        assert!(!grade(Choice::NativeSidecar, migrate).right);
        let app = by_name(&cs, "app");
        assert!(grade(Choice::App, app).right);
        let metrics = by_name(&cs, "metrics");
        assert_eq!(metrics.pattern, Pattern::Adapter);
        let close = grade(Choice::ClassicSidecar, metrics);
        assert!(!close.right);
        assert!(close.remark.starts_with("Close"), "{}", close.remark);
        assert!(grade(Choice::Adapter, metrics).right);
    }

    #[test]
    fn the_score_counts_right_answers_and_hints_start_with_the_form() {
        let cs = containers();
        let answers: Vec<(Choice, &ContainerReport)> = vec![
            (Choice::Init, by_name(&cs, "migrate")),
            (Choice::ClassicSidecar, by_name(&cs, "log-shipper")),
            (Choice::NativeSidecar, by_name(&cs, "app")),
        ];
        assert_eq!(score(&answers), (2, 3));
        let h = hints(by_name(&cs, "log-shipper"));
        assert!(h[0].contains("restartPolicy: Always"));
        assert!(h.len() >= 2);
        for c in Choice::ALL {
            assert_eq!(Choice::parse(c.id()), Some(c));
        }
    }
}

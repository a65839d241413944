//! The checks behind the diagnostic catalogue, one file per group of rules.
//!
//! [`Ctx`] is built once per workload; every group reads it and adds to one [`Findings`], which
//! is sorted once, here.

mod autoscaler;
mod catalogue;
mod containers;
mod ctx;
mod hooks;
mod images;
mod migrations;
mod ports;
mod probes;
mod requests;
mod sidecars;
mod validation;
mod volumes;

pub use catalogue::{rule, Rule, CATALOGUE};
pub use ctx::{Ctx, Member};

use crate::manifest::PodObject;
use crate::model::{Diagnostic, Severity};
use crate::yaml::Step;

/// Every finding for one workload, by severity, then line; ties keep the order the groups
/// below find them in.
pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Findings::new(ctx.pod);
    out.read_findings();
    validation::check(ctx, &mut out);
    containers::check(ctx, &mut out);
    hooks::check(ctx, &mut out);
    ports::check(ctx, &mut out);
    sidecars::check(ctx, &mut out);
    volumes::check(ctx, &mut out);
    requests::check(ctx, &mut out);
    migrations::check(ctx, &mut out);
    autoscaler::check(ctx, &mut out);
    // The checks that judge each container by its role.
    requests::check_sidecars(ctx, &mut out);
    probes::check(ctx, &mut out);
    requests::check_init_reservation(ctx, &mut out);
    let mut out = out.out;
    crate::order::sort_by(&mut out, |a, b| {
        a.severity.cmp(&b.severity).then(a.line.cmp(&b.line))
    });
    out
}

/// Collects findings for one workload.
pub struct Findings<'a> {
    pod: &'a PodObject,
    out: Vec<Diagnostic>,
}

impl<'a> Findings<'a> {
    fn new(pod: &'a PodObject) -> Self {
        Findings {
            pod,
            out: Vec::new(),
        }
    }

    /// What the manifest reader found (unknown fields, removed apiVersions).
    fn read_findings(&mut self) {
        for r in &self.pod.read_findings {
            self.out.push(Diagnostic {
                rule: r.rule.to_string(),
                severity: rule(r.rule).severity,
                message: r.message.clone(),
                container: None,
                line: r.pos.line,
                path: Some(r.path.clone()),
                file: self.pod.file.clone(),
                waived: None,
                fix: None,
                alternatives: Vec::new(),
            });
        }
    }

    /// A finding at `steps` below the pod spec.
    fn push(
        &mut self,
        id: &'static str,
        severity: Severity,
        container: Option<&str>,
        steps: &[Step],
        message: String,
    ) {
        let pos = self.pod.locate_in_spec(steps);
        let mut path = self.pod.spec_prefix();
        let rest = crate::manifest::path_text(steps);
        if !rest.is_empty() {
            if !path.is_empty() && !rest.starts_with('[') {
                path.push('.');
            }
            path.push_str(&rest);
        }
        // A value of the wrong type was taken out (`invalid-value`): what a rule sees there is
        // the decoder's default, not what was written, and the value has its finding already.
        if self
            .pod
            .read_findings
            .iter()
            .any(|r| r.rule == "invalid-value" && r.path == path)
        {
            return;
        }
        self.out.push(Diagnostic {
            rule: id.to_string(),
            severity,
            message,
            container: container.map(str::to_string),
            line: pos.line,
            path: Some(path),
            file: self.pod.file.clone(),
            waived: None,
            fix: None,
            alternatives: Vec::new(),
        });
    }

    /// An error at a position outside the pod spec (the object's metadata).
    fn push_at(&mut self, id: &'static str, pos: crate::yaml::Pos, path: &str, message: String) {
        self.out.push(Diagnostic {
            rule: id.to_string(),
            severity: rule(id).severity,
            message,
            container: None,
            line: pos.line,
            path: Some(path.to_string()),
            file: self.pod.file.clone(),
            waived: None,
            fix: None,
            alternatives: Vec::new(),
        });
    }

    /// A finding located elsewhere (an autoscaler's metric).
    fn push_diagnostic(&mut self, d: Diagnostic) {
        self.out.push(d);
    }
}

fn key(s: &str) -> Step {
    Step::Key(s.to_string())
}

fn container_steps(section: impl AsRef<str>, index: usize) -> Vec<Step> {
    vec![key(section.as_ref()), Step::Index(index)]
}

fn with(mut base: Vec<Step>, more: &[&str]) -> Vec<Step> {
    base.extend(more.iter().map(|s| key(s)));
    base
}

fn names(list: &[&str]) -> String {
    if list.is_empty() {
        return "the app".into();
    }
    crate::facts::quote_names(list, " and ")
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

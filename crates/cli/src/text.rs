//! The human report, shaped like `kubectl describe`: labelled sections, indented details.

use podlab_engine::{Analysis, ResourceMap, Severity, Workload};
use std::fmt::Write;

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn severity(&self, s: Severity) -> String {
        match s {
            Severity::Error => self.paint("31;1", "error"),
            Severity::Warning => self.paint("33", "warning"),
            Severity::Info => self.paint("36", "info"),
        }
    }
}

fn list(map: &ResourceMap) -> String {
    if map.is_empty() {
        return "<none>".into();
    }
    map.iter()
        .map(|(k, v)| format!("{k}: {}", v.quantity))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn render(a: &Analysis, colour: bool) -> String {
    let st = Style { on: colour };
    let mut o = String::new();
    for (i, w) in a.workloads.iter().enumerate() {
        if i > 0 {
            o.push('\n');
        }
        workload(&mut o, w, &st, &a.kubernetes_version);
    }
    for e in &a.errors {
        let _ = writeln!(
            o,
            "{}: {}:{}:{}: {}",
            st.paint("31;1", "error"),
            e.file,
            e.line,
            e.column,
            e.message
        );
    }
    if a.workloads.is_empty() && a.errors.is_empty() {
        o.push_str("No workload found (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate).\n");
    }
    o
}

fn workload(o: &mut String, w: &Workload, st: &Style, version: &str) {
    let _ = writeln!(o, "{} {}", st.bold("Name:"), w.name);
    let _ = writeln!(o, "{:<14}{} ({}:{})", "Kind:", w.kind, w.file, w.line);
    if let Some(ns) = &w.namespace {
        let _ = writeln!(o, "{:<14}{ns}", "Namespace:");
    }
    let _ = writeln!(
        o,
        "{:<14}{}",
        "Replicas:",
        w.replicas
            .map(|r| r.to_string())
            .unwrap_or_else(|| "one per node".into())
    );
    if let Some(h) = &w.autoscaler {
        let _ = writeln!(
            o,
            "{:<14}{} ({}–{} replicas)",
            "Autoscaler:", h.name, h.min_replicas, h.max_replicas
        );
    }
    let _ = writeln!(o, "{:<14}Kubernetes {version}", "Target:");
    containers(o, w, st);
    resources(o, &w.resources, st);
    lifecycle(o, w, st);
    if let Some(l) = &w.live {
        live(o, l, st);
    }
    findings(o, w, st);
}

fn containers(o: &mut String, w: &Workload, st: &Style) {
    let _ = writeln!(o, "{}", st.bold("Containers:"));
    for c in &w.containers {
        let _ = writeln!(o, "  {}:", c.name);
        let _ = writeln!(o, "    {:<12}{}", "Image:", c.image);
        let _ = writeln!(
            o,
            "    {:<12}{} ({}[{}], line {})",
            "Form:",
            c.form.as_str(),
            c.section,
            c.index,
            c.line
        );
        let _ = writeln!(
            o,
            "    {:<12}{} ({:.0}%)",
            "Pattern:",
            c.pattern.as_str(),
            c.confidence * 100.0
        );
        for e in &c.evidence {
            let _ = writeln!(o, "      - {e}");
        }
        let _ = writeln!(o, "    {:<12}{}", "Requests:", list(&c.requests));
        let _ = writeln!(o, "    {:<12}{}", "Limits:", list(&c.limits));
    }
}

/// The effective resources and how they are derived.
fn resources(o: &mut String, r: &podlab_engine::ResourceReport, st: &Style) {
    let _ = writeln!(o, "{}", st.bold("Effective resources:"));
    let _ = writeln!(o, "  {:<12}{}", "Requests:", list(&r.requests));
    let _ = writeln!(o, "  {:<12}{}", "Limits:", list(&r.limits));
    let _ = writeln!(
        o,
        "  {:<12}{} — {}",
        "QoS Class:",
        r.qos.as_str(),
        r.qos_reason
    );
    let _ = writeln!(o, "  Derivation:");
    for p in &r.steps {
        let wins = if p.wins.is_empty() {
            String::new()
        } else {
            format!("  ← sets {}", p.wins.join(", "))
        };
        let _ = writeln!(o, "    {:<24}{}{}", p.label, list(&p.requests), wins);
    }
    let _ = writeln!(
        o,
        "    {:<24}{}",
        "(containers alone)",
        list(&r.naive_requests)
    );
    for e in &r.explanation {
        let _ = writeln!(o, "  {e}");
    }
    if let Some(t) = &r.total_requests {
        let _ = writeln!(o, "  {:<12}{}", "× replicas:", list(t));
    }
    if let Some(t) = &r.max_total_requests {
        let _ = writeln!(o, "  {:<12}{}", "× HPA max:", list(t));
    }
}

fn lifecycle(o: &mut String, w: &Workload, st: &Style) {
    let _ = writeln!(o, "{}", st.bold("Lifecycle:"));
    let stage = |s: &Vec<Vec<String>>| {
        s.iter()
            .map(|g| g.join(" + "))
            .collect::<Vec<_>>()
            .join("  →  ")
    };
    let _ = writeln!(o, "  {:<12}{}", "Start:", stage(&w.lifecycle.startup));
    let _ = writeln!(o, "  {:<12}{}", "Stop:", stage(&w.lifecycle.shutdown));
    // kubectl get pod as the pod starts: STATUS READY (phase) at each best-case second.
    let steps = |steps: &[podlab_engine::podstatus::StatusAt]| {
        steps
            .iter()
            .map(|s| format!("{} s {} {} ({})", s.at, s.status, s.ready, s.phase.as_str()))
            .collect::<Vec<_>>()
            .join("  →  ")
    };
    let _ = writeln!(o, "  {:<12}{}", "Status:", steps(&w.lifecycle.status));
    if let Some(done) = w.lifecycle.completes {
        let _ = writeln!(
            o,
            "  {:<12}{}",
            "Completes:",
            if done {
                "yes"
            } else {
                "no: a helper in containers never exits"
            }
        );
    }
    for n in &w.lifecycle.timeline.notes {
        let _ = writeln!(o, "  {n}");
    }
    for s in &w.lifecycle.scenarios {
        let _ = writeln!(o, "  {:<12}{}", "What if:", s.title);
        let _ = writeln!(o, "  {:<12}{}", "", steps(&s.status));
        let _ = writeln!(o, "  {:<12}{}", "", s.outcome);
    }
}

fn findings(o: &mut String, w: &Workload, st: &Style) {
    let _ = writeln!(o, "{}", st.bold("Findings:"));
    // Waived findings are counted, not listed: the report shows what still needs a decision.
    let (waived, shown): (Vec<_>, Vec<_>) = w.diagnostics.iter().partition(|d| d.waived.is_some());
    if shown.is_empty() {
        let _ = writeln!(o, "  <none>");
    }
    for d in shown {
        let who = d
            .container
            .as_ref()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  {} {}{} ({}:{})",
            st.severity(d.severity),
            d.rule,
            who,
            d.file,
            d.line
        );
        let _ = writeln!(o, "    {}", d.message);
    }
    if !waived.is_empty() {
        let mut rules: Vec<&str> = waived.iter().map(|d| d.rule.as_str()).collect();
        rules.sort_unstable();
        rules.dedup();
        let _ = writeln!(
            o,
            "  {} waived (not listed; -o json shows them): {}",
            waived.len(),
            rules.join(", ")
        );
    }
}

/// A live pod: the `kubectl get pod` columns, what holds it back, and how to look closer.
fn live(o: &mut String, l: &podlab_engine::Live, st: &Style) {
    let _ = writeln!(
        o,
        "{} {}  READY {}  RESTARTS {}  (phase {})",
        st.bold("Live:"),
        l.status,
        l.ready,
        l.restarts,
        l.phase
    );
    if let Some(b) = &l.blocked_by {
        let _ = writeln!(o, "  {:<12}{b}", "Held by:");
    }
    for c in &l.containers {
        let reason = c
            .reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let last = c
            .last_termination
            .as_ref()
            .map(|t| {
                format!(
                    ", last exit {}{}",
                    t.exit_code,
                    t.reason
                        .as_deref()
                        .map(|r| format!(" {r}"))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  {:<20}{}{reason}, {} restarts{last}",
            c.name,
            c.state.as_str(),
            c.restarts
        );
    }
    for e in &l.explanation {
        let _ = writeln!(o, "  {e}");
    }
    for c in &l.commands {
        let _ = writeln!(o, "  $ {c}");
    }
}

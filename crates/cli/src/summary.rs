//! The summary of many workloads in the text report (`--summary`, and at the end of a report of
//! more than [`AUTOMATIC`] workloads). The numbers are the engine's (`podlab_engine::fleet`).

use podlab_engine::fleet::{Summary, Tally, Tax};
use podlab_engine::Workload;
use std::fmt::Write;

/// Past this many workloads the text report ends with the summary on its own.
pub const AUTOMATIC: usize = 5;

/// The containers holding pods back that the text lists; JSON has them all.
const SHOWN: usize = 20;

/// All workloads of a report at once.
pub fn of(workloads: &[Workload]) -> Summary {
    let mut t = Tally::default();
    for w in workloads {
        t.add(w);
    }
    t.summary()
}

fn percent(permille: i64) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}

pub fn render(s: &Summary, colour: bool) -> String {
    let bold = |t: &str| {
        if colour {
            format!("\x1b[1m{t}\x1b[0m")
        } else {
            t.to_string()
        }
    };
    let mut o = String::new();
    let live = if s.live > 0 {
        format!(" ({} live pods)", s.live)
    } else {
        String::new()
    };
    let _ = writeln!(o, "{} {} workloads{live}", bold("Summary:"), s.workloads);
    if !s.by_status.is_empty() {
        let _ = writeln!(o, "{}", bold("Pods by status:"));
        for (status, n) in &s.by_status {
            let _ = writeln!(o, "  {status:<40}{n:>8}");
        }
    }
    if !s.blocked_by.is_empty() {
        let _ = writeln!(o, "{}", bold("Holding pods back:"));
        for b in s.blocked_by.iter().take(SHOWN) {
            let _ = writeln!(o, "  {:<40}{:>8}  {}", b.container, b.pods, b.status);
        }
        if s.blocked_by.len() > SHOWN {
            let rest: usize = s.blocked_by[SHOWN..].iter().map(|b| b.pods).sum();
            let _ = writeln!(
                o,
                "  ... {} more containers, holding {rest} pods (-o json --summary lists them all)",
                s.blocked_by.len() - SHOWN
            );
        }
    }
    let _ = writeln!(
        o,
        "{}",
        bold("Sidecar tax (requests of sidecars and helpers, against the apps'):")
    );
    let _ = writeln!(
        o,
        "  {:<24}{:>8}  {:<18}{:>12}{:>12}{:>9}",
        "NAMESPACE", "PODS", "RESOURCE", "HELPERS", "APPS", "SHARE"
    );
    let mut row = |name: &str, t: &Tax| {
        let mut resources: Vec<&String> = t.helpers.keys().chain(t.apps.keys()).collect();
        resources.sort();
        resources.dedup();
        if resources.is_empty() {
            let _ = writeln!(o, "  {name:<24}{:>8}  <no requests>", t.pods);
        }
        for (i, r) in resources.into_iter().enumerate() {
            let (ns, pods) = if i == 0 {
                (name, t.pods.to_string())
            } else {
                ("", String::new())
            };
            let q = |m: &podlab_engine::ResourceMap| {
                m.get(r).map_or("0".to_string(), |v| v.quantity.clone())
            };
            let share = t.helper_permille.get(r).copied().unwrap_or(0);
            let _ = writeln!(
                o,
                "  {ns:<24}{pods:>8}  {r:<18}{:>12}{:>12}{:>9}",
                q(&t.helpers),
                q(&t.apps),
                percent(share)
            );
        }
    };
    for (ns, t) in &s.namespaces {
        row(if ns.is_empty() { "<none>" } else { ns }, t);
    }
    if let Some(t) = &s.total {
        row("(all)", t);
    }
    o
}

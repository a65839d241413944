//! `-o junit`: JUnit XML as Jenkins and GitLab read it (CONTRACT.md §1).
//!
//! One `testsuite` per input file, one `testcase` per workload named `Kind/name`. A finding at or
//! above `--fail-on` is a `failure` (one each, in the analysis's order); a workload whose findings
//! are all waived or below the threshold passes, and is marked `skipped` when a waiver made it
//! pass. Every finding, waived or not, is also written to the case's `system-out`, so a reader
//! that shows only the first failure (Jenkins) still shows them all. An input that could not be
//! read is a case with an `error`.
//! The shape follows the Ant JUnit schema that both read (testsuites > testsuite > testcase >
//! failure | error | skipped, system-out).

use crate::config::FailOn;
use podlab_engine::{Analysis, Diagnostic};
use std::fmt::Write;

/// Escapes text for XML 1.0 content and attribute values. Characters XML 1.0 cannot carry at
/// all, even escaped (most C0 controls), become U+FFFD.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' | '\n' | '\r' => {
                let _ = write!(o, "&#{};", c as u32);
            }
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

/// Escapes text between tags, where line breaks stay readable as they are.
fn escape_text(s: &str) -> String {
    escape(s).replace("&#10;", "\n").replace("&#9;", "\t")
}

fn line(d: &Diagnostic) -> String {
    let who = d
        .container
        .as_ref()
        .map(|c| format!(" [{c}]"))
        .unwrap_or_default();
    let waived = match &d.waived {
        Some(w) => match &w.reason {
            Some(r) => format!(" (waived by {}: {r})", w.by.as_str()),
            None => format!(" (waived by {})", w.by.as_str()),
        },
        None => String::new(),
    };
    format!(
        "{}:{}: {} {}{who}: {}{waived}",
        d.file,
        d.line,
        d.severity.as_str(),
        d.rule,
        d.message
    )
}

#[derive(Default)]
struct Suite {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
    body: String,
}

/// `files` are the inputs in the order they were named; each gets a suite, even one without a
/// workload, so that every file read shows in the report.
pub fn render(a: &Analysis, files: &[String], fail_on: FailOn) -> String {
    let mut suites: Vec<(String, Suite)> = files
        .iter()
        .map(|f| (f.clone(), Suite::default()))
        .collect();
    let mut suite = |file: &str| -> usize {
        match suites.iter().position(|(f, _)| f == file) {
            Some(i) => i,
            None => {
                suites.push((file.to_string(), Suite::default()));
                suites.len() - 1
            }
        }
    };
    let mut cases: Vec<(usize, String, usize, usize, bool)> = Vec::new();
    for w in &a.workloads {
        let i = suite(&w.file);
        let name = format!("{}/{}", w.kind, w.name);
        let mut body = String::new();
        let failing: Vec<&Diagnostic> = w
            .diagnostics
            .iter()
            .filter(|d| d.waived.is_none() && fail_on.fails(d.severity))
            .collect();
        let waived = w.diagnostics.iter().filter(|d| d.waived.is_some()).count();
        for d in &failing {
            let _ = writeln!(
                body,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                escape(&d.rule),
                escape(&d.message),
                escape_text(&line(d))
            );
        }
        let skipped = failing.is_empty() && waived > 0;
        if skipped {
            let _ = writeln!(
                body,
                "      <skipped message=\"{}\"/>",
                escape(&format!(
                    "{waived} finding{} waived",
                    if waived == 1 { "" } else { "s" }
                ))
            );
        }
        if !w.diagnostics.is_empty() {
            let all: Vec<String> = w.diagnostics.iter().map(line).collect();
            let _ = writeln!(
                body,
                "      <system-out>{}</system-out>",
                escape_text(&all.join("\n"))
            );
        }
        cases.push((i, format!(
            "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"0\">\n{body}    </testcase>\n",
            escape(&name),
            escape(&w.file),
            escape(&w.file),
            w.line
        ), failing.len(), 0, skipped));
    }
    for e in &a.errors {
        let i = suite(&e.file);
        let name = format!("{} (document {})", e.file, e.document);
        let text = format!("{}:{}:{}: {}", e.file, e.line, e.column, e.message);
        cases.push((
            i,
            format!(
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"0\">\n      <error type=\"input\" message=\"{}\">{}</error>\n    </testcase>\n",
                escape(&name),
                escape(&e.file),
                escape(&e.file),
                e.line,
                escape(&e.message),
                escape_text(&text)
            ),
            0,
            1,
            false,
        ));
    }
    for (i, body, failures, errors, skipped) in cases {
        let s = &mut suites[i].1;
        s.tests += 1;
        s.failures += usize::from(failures > 0);
        s.errors += errors;
        s.skipped += usize::from(skipped);
        s.body.push_str(&body);
    }
    let (mut tests, mut failures, mut errors, mut skipped) = (0, 0, 0, 0);
    let mut out = String::new();
    for (file, s) in &suites {
        tests += s.tests;
        failures += s.failures;
        errors += s.errors;
        skipped += s.skipped;
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\">",
            escape(file),
            s.tests,
            s.failures,
            s.errors,
            s.skipped
        );
        out.push_str(&s.body);
        out.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"podlab\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"0\">\n{out}</testsuites>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_replaces_what_xml_cannot_carry() {
        assert_eq!(
            escape("a<b>&\"c'\t\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#9;&#10;"
        );
        assert_eq!(escape("bell\u{7} nul\0"), "bell\u{FFFD} nul\u{FFFD}");
        assert_eq!(escape("ünïcödé ✓"), "ünïcödé ✓");
    }
}

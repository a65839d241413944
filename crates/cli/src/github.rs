//! `-o github`: GitHub Actions workflow commands, one per finding that no waiver accepts
//! (`::error file=PATH,line=N,title=RULE::MESSAGE`; warning → `::warning`, info → `::notice`),
//! so each shows as an annotation on the pull request's diff. Input errors are `::error`s too.
//! Escaping follows actions/toolkit packages/core/src/command.ts: `escapeData` for the message,
//! `escapeProperty` for the properties.

use podlab_engine::{Analysis, Severity};
use std::fmt::Write;

/// command.ts escapeData: `%`, `\r`, `\n`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// command.ts escapeProperty: escapeData, then `:` and `,`, which separate properties.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(
    o: &mut String,
    name: &str,
    file: &str,
    line: usize,
    column: Option<usize>,
    title: &str,
    message: &str,
) {
    let mut props = Vec::new();
    // Standard input has no file to annotate.
    if file != "-" {
        props.push(format!("file={}", escape_property(file)));
        props.push(format!("line={line}"));
        if let Some(c) = column {
            props.push(format!("col={c}"));
        }
    }
    props.push(format!("title={}", escape_property(title)));
    let _ = writeln!(o, "::{name} {}::{}", props.join(","), escape_data(message));
}

pub fn render(a: &Analysis) -> String {
    let mut o = String::new();
    for w in &a.workloads {
        for d in w.diagnostics.iter().filter(|d| d.waived.is_none()) {
            let name = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let message = match &d.container {
                Some(c) => format!("{}/{} [{c}]: {}", w.kind, w.name, d.message),
                None => format!("{}/{}: {}", w.kind, w.name, d.message),
            };
            command(&mut o, name, &d.file, d.line, None, &d.rule, &message);
        }
    }
    for e in &a.errors {
        command(
            &mut o,
            "error",
            &e.file,
            e.line,
            Some(e.column),
            "podlab",
            &e.message,
        );
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    /// actions/toolkit packages/core/__tests__/command.test.ts: "command escapes message" and
    /// "command escapes property".
    #[test]
    fn escapes_as_the_toolkit_does() {
        assert_eq!(
            escape_data("percent % percent % cr \r cr \r lf \n lf \n"),
            "percent %25 percent %25 cr %0D cr %0D lf %0A lf %0A"
        );
        assert_eq!(escape_data("%25 %0D %0A"), "%2525 %250D %250A");
        assert_eq!(
            escape_property("prop1:value,with,commas%\r\n"),
            "prop1%3Avalue%2Cwith%2Ccommas%25%0D%0A"
        );
    }
}

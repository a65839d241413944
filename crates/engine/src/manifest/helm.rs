//! Helm chart templates, recognised before parsing so they get their own message.

use super::{pos_of_offset, ReadError};

/// Finds Helm template syntax: `{{ .Values… }}`, `{{- if … }}`, `{{ include … }}` and the like.
/// Plain `{{ $labels.x }}` (Prometheus alert templates in a ConfigMap) is left alone.
pub(super) fn helm_template(text: &str) -> Option<ReadError> {
    let mut from = 0;
    // memmem: `str::find` with a two-byte needle reads a long input several times slower.
    while let Some(i) = memchr::memmem::find(&text.as_bytes()[from..], b"{{") {
        let start = from + i;
        let rest = &text[start + 2..];
        // Without a closing "}}", look at most 200 characters ahead (on a character boundary).
        let end = rest.find("}}").unwrap_or_else(|| {
            rest.char_indices()
                .nth(200)
                .map(|(i, _)| i)
                .unwrap_or(rest.len())
        });
        let inner = rest[..end]
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        const HELM: &[&str] = &[
            ".Values",
            ".Release",
            ".Chart",
            ".Capabilities",
            ".Files",
            ".Template",
            "include ",
            "template ",
            "define ",
            "if ",
            "else",
            "end",
            "range ",
            "with ",
            "toYaml",
            "tpl ",
            "required ",
            "default ",
            "- ",
            "$.",
            "/*",
        ];
        if HELM.iter().any(|h| inner.starts_with(h))
            || inner.contains(".Values.")
            || inner.contains("| quote")
            || inner.contains("| nindent")
        {
            return Some(ReadError::at(
                pos_of_offset(text, start),
                format!(
                    "this is a Helm chart template ('{{{{ {} }}}}'), not a manifest: render it first with `helm template <release> <chart>` and paste the output",
                    inner.chars().take(40).collect::<String>()
                ),
            ));
        }
        from = start + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::read_one;

    #[test]
    fn helm_templates_get_their_own_message() {
        let o = read_one("apiVersion: apps/v1\nkind: {{ .Values.kind }}\n");
        assert_eq!(o.errors.len(), 1);
        assert!(
            o.errors[0].message.contains("helm template"),
            "{}",
            o.errors[0].message
        );
        assert_eq!((o.errors[0].line, o.errors[0].column), (2, 7));
    }

    #[test]
    fn an_unclosed_template_before_multibyte_text_is_no_panic() {
        let text = format!("{{{{{}", "Ȇ".repeat(150));
        assert!(helm_template(&text).is_none());
    }

    #[test]
    fn prometheus_templates_are_not_helm() {
        assert!(helm_template("summary: '{{ $labels.instance }} is down'").is_none());
    }
}

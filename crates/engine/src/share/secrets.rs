//! Finding and redacting what a manifest should not carry into a link.

use serde::Serialize;

/// Something in a manifest that looks like a secret, and where.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SecretHit {
    pub line: usize,
    pub what: String,
}

fn secret_name(name: &str) -> bool {
    let n = name.to_ascii_uppercase().replace(['-', '.'], "_");
    [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "ACCESS_KEY",
        "CREDENTIAL",
        "AUTH",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// What [`redact`] leaves in place of a secret.
const REDACTED: &str = "REDACTED";

/// A value [`redact`] has already blanked (a block scalar becomes lines of REDACTED).
fn already_redacted(value: &str) -> bool {
    value
        .lines()
        .all(|l| l.trim().is_empty() || l.trim() == REDACTED)
}

/// Finds what a manifest should not carry into a link: Secret data, literal env values named like
/// passwords or tokens, private keys. Values already redacted are not reported again.
pub fn find_secrets(text: &str) -> Vec<SecretHit> {
    use crate::yaml::{read_documents, Node, NodeKind};
    let mut hits = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.contains("-----BEGIN") && line.contains("PRIVATE KEY") {
            hits.push(SecretHit {
                line: i + 1,
                what: "a private key".into(),
            });
        }
    }
    fn walk(n: &Node, hits: &mut Vec<SecretHit>) {
        match &n.kind {
            NodeKind::Map(entries) => {
                let is_secret = n.get("kind").and_then(Node::as_str) == Some("Secret");
                for (k, v) in entries {
                    let key = k.key_text().unwrap_or_default();
                    if is_secret && (key == "data" || key == "stringData") {
                        if let NodeKind::Map(items) = &v.kind {
                            for (dk, dv) in items {
                                if dv.as_str().is_some_and(already_redacted) {
                                    continue;
                                }
                                hits.push(SecretHit {
                                    line: dv.pos.line,
                                    what: format!(
                                        "Secret {key} '{}'",
                                        dk.key_text().unwrap_or_default()
                                    ),
                                });
                            }
                        }
                    }
                    walk(v, hits);
                }
                // env: [{name: DB_PASSWORD, value: "..."}]
                if let (Some(name), Some(value)) =
                    (n.get("name").and_then(Node::as_str), n.get("value"))
                {
                    if secret_name(name)
                        && value
                            .as_str()
                            .is_some_and(|s| !s.is_empty() && !already_redacted(s))
                    {
                        hits.push(SecretHit {
                            line: value.pos.line,
                            what: format!("the value of {name}"),
                        });
                    }
                }
            }
            NodeKind::Seq(items) => items.iter().for_each(|i| walk(i, hits)),
            _ => {}
        }
    }
    for doc in read_documents(text).0 {
        if let Some(root) = &doc.root {
            walk(root, &mut hits);
        }
    }
    crate::order::sort_by_key(&mut hits, |h| h.line);
    hits.dedup_by_key(|h| h.line);
    hits
}

/// Replaces every value `find_secrets` finds with REDACTED, keeping the manifest's shape (and
/// every line number), so the link still shows the same pod.
pub fn redact(text: &str) -> String {
    let lines_to_redact = crate::order::set(find_secrets(text).into_iter().map(|h| h.line));
    let mut out = Vec::new();
    let mut in_block: Option<usize> = None; // indentation of a block scalar or key being blanked
    for (i, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if let Some(block) = in_block {
            if line.trim().is_empty() || indent > block {
                out.push(if line.trim().is_empty() {
                    String::new()
                } else {
                    format!("{}{REDACTED}", " ".repeat(indent))
                });
                continue;
            }
            in_block = None;
        }
        if line.contains("-----BEGIN") {
            out.push(format!("{}{REDACTED}", " ".repeat(indent)));
            in_block = Some(indent.saturating_sub(1));
            continue;
        }
        if lines_to_redact.contains(&(i + 1)) {
            if let Some(colon) = line.find(": ") {
                let value = line[colon + 2..].trim();
                if value.starts_with('|') || value.starts_with('>') {
                    out.push(format!("{}: |", &line[..colon]));
                    in_block = Some(indent);
                } else {
                    out.push(format!("{}: \"{REDACTED}\"", &line[..colon]));
                }
                continue;
            }
            out.push(format!("{}{REDACTED}", " ".repeat(indent)));
            continue;
        }
        out.push(line.to_string());
    }
    let mut s = out.join("\n");
    if text.ends_with('\n') {
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const WITH_SECRETS: &str = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata:\n  password: aHVudGVyMg==\nstringData:\n  tls.key: |\n    -----BEGIN PRIVATE KEY-----\n    MIIEvQIBADANBg\n    -----END PRIVATE KEY-----\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: x:1\n    env:\n    - name: DB_PASSWORD\n      value: hunter2\n    - name: LOG_LEVEL\n      value: debug\n    - name: API_TOKEN\n      valueFrom: {secretKeyRef: {name: db, key: token}}\n";

    #[test]
    fn finds_secret_data_password_values_and_private_keys() {
        let hits = find_secrets(WITH_SECRETS);
        let lines: Vec<usize> = hits.iter().map(|h| h.line).collect();
        assert!(lines.contains(&5), "{hits:?}");
        assert!(lines.contains(&8), "{hits:?}");
        assert!(lines.contains(&21), "{hits:?}");
        assert!(!lines.contains(&23), "LOG_LEVEL is not a secret");
        assert!(
            !hits.iter().any(|h| h.what.contains("API_TOKEN")),
            "valueFrom carries no secret"
        );
    }

    #[test]
    fn redaction_removes_the_values_and_keeps_the_shape() {
        let r = redact(WITH_SECRETS);
        assert!(
            !r.contains("hunter2") && !r.contains("aHVudGVyMg==") && !r.contains("MIIEvQ"),
            "{r}"
        );
        assert_eq!(r.lines().count(), WITH_SECRETS.lines().count());
        // What was redacted is not reported again, so sharing the redacted text warns of nothing.
        assert_eq!(find_secrets(&r), vec![], "{r}");
        assert_eq!(redact(&r), r);
        let a = crate::analyze_text("r.yaml", &r, &Default::default());
        assert!(a.errors.is_empty(), "{:?}\n{r}", a.errors);
        assert!(r.contains("value: debug"));
    }
}

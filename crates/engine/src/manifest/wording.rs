//! Messages for people who write manifests: typo suggestions and serde's errors reworded.

use crate::schema;
use crate::yaml::Step;

/// The field a typo meant, from the fields the schema table gives the object it sits in: one
/// spelled the same but for case, or else the first one edit away.
pub(super) fn suggest_field(field: &str, root: u16, path: &[Step]) -> String {
    let lower = field.to_ascii_lowercase();
    let known: Vec<&str> = schema::fields_beside(root, path).collect();
    known
        .iter()
        .find(|k| k.to_ascii_lowercase() == lower)
        .or_else(|| {
            known
                .iter()
                .find(|k| edit_distance(&k.to_ascii_lowercase(), &lower) == 1)
        })
        .map(|k| format!(" (did you mean '{k}'?)"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 {
        return 2;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Rewords serde's messages for people who write manifests, not Rust.
pub(super) fn humanize_serde(message: &str) -> String {
    let m = message
        .replace("invalid type: ", "")
        .replace("expected i32", "expected a whole number")
        .replace("expected i64", "expected a whole number")
        .replace("expected u32", "expected a whole number")
        .replace("expected a string", "expected text")
        .replace("expected a sequence", "expected a list")
        .replace("expected a boolean", "expected true or false")
        .replace("integer `", "the number `")
        .replace("floating point `", "the number `")
        .replace("map, expected", "a mapping, but expected")
        .replace("sequence, expected", "a list, but expected");
    if let Some(field) = m
        .strip_prefix("missing field `")
        .and_then(|r| r.strip_suffix('`'))
    {
        return format!("the required field '{field}' is missing");
    }
    if m.starts_with("string \"")
        || m.starts_with("the number")
        || m.starts_with("boolean")
        || m.starts_with("a mapping")
        || m.starts_with("a list")
    {
        return format!("found {m}");
    }
    m
}

#[cfg(test)]
mod tests {
    use crate::manifest::read_one;

    #[test]
    fn a_typo_is_reported_as_an_unknown_field_with_its_line() {
        let o = read_one("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - name: a\n    image: busybox:1.37\n    restartpolicy: Always\n  containers:\n  - name: b\n    image: nginx:1.27\n");
        let f = &o.pods[0].read_findings;
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, "unknown-field");
        assert_eq!(f[0].pos.line, 8);
        assert!(
            f[0].message.contains("did you mean 'restartPolicy'"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn typo_suggestions_come_from_the_fields_of_the_object_the_typo_sits_in() {
        let o = read_one("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      schedulerNme: s\n      containers:\n      - name: b\n        image: nginx:1.27\n        terminationMessagePolcy: File\n        volumeMount: []\n        zzz: 1\n");
        let messages: Vec<&str> = o.pods[0]
            .read_findings
            .iter()
            .map(|f| f.message.as_str())
            .collect();
        // Unknown fields are listed in key order; the last one is close to no field of a container.
        let expected = [
            "(did you mean 'terminationMessagePolicy'?)",
            "(did you mean 'volumeMounts'?)",
            "unknown field 'zzz'. kubectl",
            "'schedulerNme' (did you mean 'schedulerName'?)",
        ];
        assert_eq!(messages.len(), expected.len(), "{messages:?}");
        for (m, e) in messages.iter().zip(expected) {
            assert!(m.contains(e), "{m}");
        }
    }
}

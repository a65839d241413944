//! What a link or a file carries: a manifest with its notes, or a deck of lessons.

use serde::{Deserialize, Serialize};

use super::secrets::{find_secrets, redact, SecretHit};

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub line: Option<usize>,
    pub container: Option<String>,
    pub text: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Payload {
    pub manifest: String,
    #[serde(default)]
    pub notes: Vec<Note>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes_version: Option<String>,
    /// Page state worth restoring (selected workload, open panels, questionnaire answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<serde_json::Value>,
    /// A lesson deck for a workshop. `manifest` and `notes` then hold the first lesson, so a
    /// reader that knows no decks still opens something sensible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deck: Option<Deck>,
}

/// Ordered annotated manifests: a workshop in one link or file.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Deck {
    pub title: String,
    pub lessons: Vec<Lesson>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Lesson {
    pub title: String,
    /// What the presenter says before the reveal; plain text, paragraphs split by blank lines.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    pub manifest: String,
    #[serde(default)]
    pub notes: Vec<Note>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes_version: Option<String>,
    /// Learners classify each container before the analysis is revealed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub quiz: bool,
}

impl Deck {
    /// Blanks what looks like a secret in every lesson.
    pub fn redact(&mut self) {
        for l in &mut self.lessons {
            l.manifest = redact(&l.manifest);
        }
    }
}

impl Payload {
    /// What looks like a secret anywhere the payload would carry it: every lesson of a deck
    /// (named in `what`), or else the manifest.
    pub fn secrets(&self) -> Vec<SecretHit> {
        match &self.deck {
            Some(d) => d
                .lessons
                .iter()
                .enumerate()
                .flat_map(|(i, l)| {
                    find_secrets(&l.manifest).into_iter().map(move |mut h| {
                        h.what = format!("{} (lesson {}, {})", h.what, i + 1, l.title);
                        h
                    })
                })
                .collect(),
            None => find_secrets(&self.manifest),
        }
    }

    /// Blanks what looks like a secret in the manifest and in every lesson.
    pub fn redact(&mut self) {
        self.manifest = redact(&self.manifest);
        if let Some(d) = &mut self.deck {
            d.redact();
        }
    }

    /// A payload that opens a deck at its first lesson.
    pub fn of_deck(deck: Deck) -> Payload {
        let first = deck.lessons.first().cloned().unwrap_or_default();
        Payload {
            manifest: first.manifest,
            notes: first.notes,
            kubernetes_version: first.kubernetes_version,
            view: None,
            deck: Some(deck),
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::share::link::{decode, link};

    pub(in crate::share) fn sample() -> Payload {
        Payload {
            manifest: "apiVersion: v1\nkind: Pod\n".into(),
            notes: vec![Note {
                line: Some(2),
                container: None,
                text: "a Pod".into(),
            }],
            kubernetes_version: Some("1.33".into()),
            view: None,
            deck: None,
        }
    }

    pub(in crate::share) fn deck() -> Deck {
        Deck {
            title: "Sidecars".into(),
            lessons: vec![
                Lesson {
                    title: "One".into(),
                    text: "First.".into(),
                    manifest: "kind: Pod\n".into(),
                    notes: vec![Note {
                        line: None,
                        container: Some("app".into()),
                        text: "the app".into(),
                    }],
                    kubernetes_version: Some("1.29".into()),
                    quiz: true,
                },
                Lesson {
                    title: "Two".into(),
                    manifest: "kind: Job\n".into(),
                    ..Lesson::default()
                },
            ],
        }
    }

    #[test]
    fn a_deck_travels_in_a_link_and_opens_at_its_first_lesson() {
        let p = Payload::of_deck(deck());
        assert_eq!(p.manifest, "kind: Pod\n");
        assert_eq!(p.notes[0].container.as_deref(), Some("app"));
        assert_eq!(p.kubernetes_version.as_deref(), Some("1.29"));
        let back = decode(&link("https://example.org/", &p)).unwrap();
        assert_eq!(back, p);
        // Fields left at their defaults stay out of the link.
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json.matches("\"quiz\"").count(), 1, "{json}");
        assert!(!json.contains("\"text\":\"\""), "{json}");
    }

    #[test]
    fn secrets_are_found_and_redacted_in_every_lesson_once() {
        let secret = "kind: Pod\nspec:\n  containers:\n  - env:\n    - name: DB_PASSWORD\n      value: hunter2\n";
        let mut d = deck();
        d.lessons[1].manifest = secret.into();
        d.lessons[0].manifest = secret.into();
        let mut p = Payload::of_deck(d);
        // The first lesson is also the payload's manifest: it is reported once, not twice.
        let hits = p.secrets();
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert!(hits[1].what.contains("lesson 2, Two"), "{}", hits[1].what);
        p.redact();
        assert!(!p.manifest.contains("hunter2"));
        let d = p.deck.unwrap();
        assert!(d.lessons.iter().all(|l| !l.manifest.contains("hunter2")));
    }
}

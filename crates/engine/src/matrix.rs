//! The decision matrix for multi-container pods, as a questionnaire: from a need to a pattern,
//! the reasons, the pitfalls that apply, and a starting manifest that podlab analyses cleanly.

use crate::model::{Analysis, Form, Pattern};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub id: &'static str,
    pub label: &'static str,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    pub id: &'static str,
    pub text: &'static str,
    pub help: &'static str,
    pub choices: Vec<Choice>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Recommendation {
    /// One of the CONTRACT.md §3 values: init, native-sidecar, classic-sidecar, ambassador,
    /// adapter, native-sidecar-startup-probe, job-init, job-native-sidecar, separate-deployment,
    /// separate-pods.
    pub pattern: &'static str,
    pub title: &'static str,
    /// The answers that decided it, in words.
    pub why: Vec<String>,
    /// Pitfalls that apply, each with the podlab rule that watches for it (if any).
    pub pitfalls: Vec<(Option<&'static str>, &'static str)>,
    pub starter: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Step {
    Ask { question: Question },
    Done { recommendation: Recommendation },
}

fn q(
    id: &'static str,
    text: &'static str,
    help: &'static str,
    choices: &[(&'static str, &'static str)],
) -> Question {
    Question {
        id,
        text,
        help,
        choices: choices
            .iter()
            .map(|(id, label)| Choice { id, label })
            .collect(),
    }
}

fn question(id: &str) -> Question {
    match id {
        "need" => q("need", "What do you need beside your app?", "Pick the dominant requirement; the follow-ups refine it.", &[
            ("setup", "Set-up that must finish before the app starts (migrate, wait, fetch config)"),
            ("helper", "A long-lived helper running beside the app (log shipper, config reloader)"),
            ("proxy", "Something to proxy the app's outbound traffic (TLS, sharding, a mesh)"),
            ("translate", "Something to translate the app's output (logs, metrics) for the platform"),
            ("gate", "To hold the app back until a helper is ready"),
            ("batch", "A batch job that needs a helper"),
            ("fleet", "A proxy shared by many apps, with heavy traffic"),
            ("unrelated", "To run two apps that are related but do not share anything"),
        ]),
        "version" => q("version", "Which Kubernetes version do your clusters run?", "Native sidecars are on by default from 1.29 (beta) and GA in 1.33.", &[
            ("new", "1.29 or newer"),
            ("old", "1.28 or older"),
        ]),
        "workload" => q("workload", "Does the app run to completion, or keep serving?", "Jobs finish; a pod only succeeds when every entry of containers exits.", &[
            ("service", "It keeps serving (a Deployment, StatefulSet, DaemonSet)"),
            ("job", "It runs to completion (a Job or CronJob)"),
        ]),
        "share" => q("share", "How do the helper and the app work together?", "A pod is for containers that share files, localhost or their fate.", &[
            ("files", "They share files (a volume)"),
            ("localhost", "They talk over localhost"),
            ("neither", "Neither: they only belong to the same team or product"),
        ]),
        "scale" => q("scale", "Must the helper scale with the app, one per replica?", "Containers in a pod scale together; a busy helper cannot scale on its own.", &[
            ("together", "Yes, one beside each replica is right"),
            ("apart", "No, it has its own load and should scale on its own"),
        ]),
        "wait" => q("wait", "Must the app wait until the helper is ready?", "Only a native sidecar's startupProbe can hold the app back.", &[
            ("yes", "Yes, the app fails without it"),
            ("no", "No, the app copes if the helper is a moment late"),
        ]),
        "when" => q("when", "When does the job need its helper?", "Work before the job is an init container; a helper during the job must stop when the job is done.", &[
            ("before", "Before the work starts (fetch input, wait for a database)"),
            ("during", "While the work runs (a proxy, a log shipper)"),
        ]),
        _ => q("need", "", "", &[]),
    }
}

fn label(question_id: &str, answer: &str) -> String {
    let qn = question(question_id);
    qn.choices
        .iter()
        .find(|c| c.id == answer)
        .map(|c| c.label.to_string())
        .unwrap_or_else(|| answer.to_string())
}

/// The next step for the answers so far, given as (question id, choice id) in order. Answers to
/// questions the path no longer asks are ignored, so changing an earlier answer updates the path.
pub fn next(answers: &[(String, String)]) -> Step {
    let get = |id: &str| {
        answers
            .iter()
            .rev()
            .find(|(q, _)| q == id)
            .map(|(_, a)| a.as_str())
    };
    let ask = |id: &str| Step::Ask {
        question: question(id),
    };
    let Some(need) = get("need") else {
        return ask("need");
    };
    let why = |ids: &[&str]| {
        ids.iter()
            .filter_map(|id| get(id).map(|a| format!("{} — {}", question(id).text, label(id, a))))
            .collect::<Vec<_>>()
    };
    let is_job = get("workload") == Some("job") || get("need") == Some("batch");
    let done = |pattern: &'static str, ids: &[&str]| Step::Done {
        recommendation: recommendation(pattern, why(ids), is_job),
    };
    match need {
        "setup" => match get("workload") {
            None => ask("workload"),
            Some("job") => done("job-init", &["need", "workload"]),
            Some(_) => done("init", &["need", "workload"]),
        },
        "helper" => match (
            get("share"),
            get("scale"),
            get("workload"),
            get("version"),
            get("wait"),
        ) {
            (None, ..) => ask("share"),
            (Some("neither"), ..) => done("separate-pods", &["need", "share"]),
            (_, None, ..) => ask("scale"),
            (_, Some("apart"), ..) => done("separate-deployment", &["need", "share", "scale"]),
            (_, _, None, ..) => ask("workload"),
            (_, _, _, None, _) => ask("version"),
            (_, _, _, Some("old"), _) => {
                done("classic-sidecar", &["need", "share", "workload", "version"])
            }
            (_, _, Some("job"), _, _) => done(
                "job-native-sidecar",
                &["need", "share", "workload", "version"],
            ),
            (_, _, _, _, None) => ask("wait"),
            (_, _, _, _, Some("yes")) => done(
                "native-sidecar-startup-probe",
                &["need", "share", "version", "wait"],
            ),
            _ => done(
                "native-sidecar",
                &["need", "share", "scale", "version", "wait"],
            ),
        },
        "proxy" => match get("scale") {
            None => ask("scale"),
            Some("apart") => done("separate-deployment", &["need", "scale"]),
            Some(_) => done("ambassador", &["need", "scale"]),
        },
        "translate" => match get("share") {
            None => ask("share"),
            Some("neither") => done("separate-pods", &["need", "share"]),
            Some(_) => done("adapter", &["need", "share"]),
        },
        "gate" => match get("version") {
            None => ask("version"),
            Some("old") => done("classic-sidecar", &["need", "version"]),
            Some(_) => done("native-sidecar-startup-probe", &["need", "version"]),
        },
        "batch" => match (get("when"), get("version")) {
            (None, _) => ask("when"),
            (Some("before"), _) => done("job-init", &["need", "when"]),
            (_, None) => ask("version"),
            (_, Some("old")) => done("classic-sidecar", &["need", "when", "version"]),
            _ => done("job-native-sidecar", &["need", "when", "version"]),
        },
        "fleet" => done("separate-deployment", &["need"]),
        _ => done("separate-pods", &["need"]),
    }
}

fn recommendation(pattern: &'static str, why: Vec<String>, is_job: bool) -> Recommendation {
    let (title, pitfalls): (&'static str, Vec<(Option<&'static str>, &'static str)>) = match pattern {
        "init" => ("An init container", vec![
            (Some("init-migration-replicas"), "Every replica runs it on every rollout, at the same time: make it idempotent or run migrations once."),
            (Some("init-container-probe"), "Init containers take no probes or lifecycle hooks."),
        ]),
        "job-init" => ("A Job with an init container", vec![
            (None, "With restartPolicy Never, a failing init container fails the pod; the Job's backoffLimit decides what happens next."),
        ]),
        "native-sidecar" => ("A native sidecar (initContainers with restartPolicy: Always)", vec![
            (Some("native-sidecar-no-startup-probe"), "Without a startupProbe it counts as started at once, so the app may start first."),
            (Some("sidecar-missing-requests"), "Its requests count in every phase after it starts: set them."),
        ]),
        "native-sidecar-startup-probe" => ("A native sidecar with a startupProbe", vec![
            (None, "Only the startupProbe (and postStart) holds the app back; a readinessProbe does not."),
            (Some("sidecar-missing-requests"), "Its requests count in every phase after it starts: set them."),
        ]),
        "classic-sidecar" => ("A classic sidecar in containers", vec![
            (None, "Before 1.29 nothing orders it against the app: make the app retry until the helper answers."),
            (Some("classic-sidecar-in-job"), "In a Job it keeps the pod running forever unless it exits when the work is done."),
        ]),
        "job-native-sidecar" => ("A Job with a native sidecar", vec![
            (None, "The kubelet stops the sidecar when the main containers exit; its exit code does not fail the pod."),
            (Some("classic-sidecar-in-job"), "Never put the helper in containers: the Job would never complete."),
        ]),
        "ambassador" => ("An ambassador proxy beside the app", vec![
            (Some("port-conflict"), "It shares the pod's network: its port must not clash with the app's."),
            (Some("hpa-resource-metric"), "An autoscaler on the pod's average mixes the proxy in; follow the app with a ContainerResource metric."),
        ]),
        "adapter" => ("An adapter beside the app", vec![
            (None, "It is glue between two contracts: version it with the app, or metrics vanish silently."),
            (Some("helper-outweighs-app"), "Keep its requests in proportion to the app's."),
        ]),
        "separate-deployment" => ("A separate Deployment behind a Service", vec![
            (None, "Containers in a pod scale together; a shared, busy proxy needs its own replicas."),
        ]),
        _ => ("Separate pods", vec![
            (Some("unrelated-containers"), "Being related is no reason to share a pod: they could not scale or restart apart."),
        ]),
    };
    let starter = if pattern == "classic-sidecar" && is_job {
        classic_job_starter()
    } else {
        starter(pattern)
    };
    Recommendation {
        pattern,
        title,
        why,
        pitfalls,
        starter,
    }
}

const RES_APP: &str =
    "resources:\n          requests: {cpu: 250m, memory: 256Mi}\n          limits: {memory: 256Mi}";
const RES_HELPER: &str =
    "resources:\n          requests: {cpu: 50m, memory: 64Mi}\n          limits: {memory: 64Mi}";

fn deployment(name: &str, pod_spec: &str) -> String {
    format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n{pod_spec}")
}

fn job(name: &str, pod_spec: &str) -> String {
    format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\nspec:\n  backoffLimit: 2\n  template:\n    spec:\n      restartPolicy: Never\n{pod_spec}")
}

fn app(name: &str, extra: &str) -> String {
    format!("      - name: {name}\n        image: registry.example.com/{name}:1.0.0\n{extra}        readinessProbe:\n          httpGet: {{path: /ready, port: 8080}}\n        {RES_APP}\n")
}

/// A starting manifest for a recommendation, written to analyse cleanly.
pub fn starter(pattern: &str) -> String {
    let startup = "        startupProbe:\n          httpGet: {path: /ready, port: 9000}\n          periodSeconds: 2\n          failureThreshold: 30\n";
    let shared = "        volumeMounts:\n        - {name: shared, mountPath: /shared}\n";
    let volume = "      volumes:\n      - name: shared\n        emptyDir: {}\n";
    let helper = |name: &str, image: &str, extra: &str| {
        format!("      - name: {name}\n        image: {image}\n{extra}        {RES_HELPER}\n")
    };
    let header = format!("# Starting point from podlab's questionnaire: {pattern}. Rename, set your images, measure, adjust.\n");
    let body = match pattern {
        "init" => deployment("web", &format!(
            "      initContainers:\n{}      containers:\n{}",
            helper("wait-for-db", "busybox:1.37", "        command: [\"sh\", \"-c\", \"until nc -z db 5432; do sleep 2; done\"]\n"),
            app("web", "")
        )),
        "job-init" => job("report", &format!(
            "      initContainers:\n{}      containers:\n      - name: report\n        image: registry.example.com/report:1.0.0\n{shared}        {RES_APP}\n{volume}",
            helper("fetch-input", "busybox:1.37", &format!("        command: [\"sh\", \"-c\", \"wget -O /shared/input.csv http://files/input.csv\"]\n{shared}"))
        )),
        "native-sidecar" | "native-sidecar-startup-probe" => deployment("web", &format!(
            "      initContainers:\n{}      containers:\n{}{volume}",
            helper("log-shipper", "grafana/promtail:3.4.0", &format!("        restartPolicy: Always\n{startup}{shared}")),
            app("web", shared)
        )),
        "classic-sidecar" => deployment("web", &format!(
            "      containers:\n{}{}{volume}",
            app("web", shared),
            helper("log-shipper", "grafana/promtail:3.4.0", shared)
        )),
        "job-native-sidecar" => job("report", &format!(
            "      initContainers:\n{}      containers:\n      - name: report\n        image: registry.example.com/report:1.0.0\n{shared}        {RES_APP}\n{volume}",
            helper("log-shipper", "fluent/fluent-bit:3.2.2", &format!("        restartPolicy: Always\n{startup}{shared}"))
        )),
        "ambassador" => deployment("web", &format!(
            "      initContainers:\n{}      containers:\n{}",
            helper("redis-ambassador", "kuiken/twemproxy:0.5", &format!("        restartPolicy: Always\n        ports:\n        - containerPort: 6379\n{}", startup.replace("httpGet: {path: /ready, port: 9000}", "tcpSocket: {port: 6379}"))),
            app("web", "        env:\n        - {name: REDIS_URL, value: \"redis://localhost:6379\"}\n")
        )),
        "adapter" => deployment("web", &format!(
            "      containers:\n{}{}",
            app("web", "        ports:\n        - {name: jolokia, containerPort: 8778}\n"),
            helper("jmx-exporter", "bitnami/jmx-exporter:1.0.1", "        ports:\n        - {name: metrics, containerPort: 5556}\n")
        )),
        "separate-deployment" => format!(
            "{}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: egress-proxy\nspec:\n  selector: {{app: egress-proxy}}\n  ports:\n  - port: 3128\n---\n{}",
            deployment("egress-proxy", &format!("      containers:\n{}", app("egress-proxy", ""))),
            deployment("web", &format!("      containers:\n{}", app("web", "        env:\n        - {name: HTTPS_PROXY, value: \"http://egress-proxy:3128\"}\n")))
        ),
        _ => format!(
            "{}---\n{}",
            deployment("billing-api", &format!("      containers:\n{}", app("billing-api", ""))),
            deployment("notifications", &format!("      containers:\n{}", app("notifications", "")))
        ),
    };
    let body = if pattern == "classic-sidecar" {
        // Before 1.29 the classic form is the only one; a pod annotation records that choice.
        body.replace("    metadata:\n      labels: {app: web}\n", "    metadata:\n      labels: {app: web}\n      annotations: {podlab.dev/patterns: \"log-shipper=sidecar\"}\n")
    } else {
        body
    };
    format!("{header}{body}")
}

/// Before 1.29 a Job's helper must stop itself: the work leaves a file, the helper watches for it.
fn classic_job_starter() -> String {
    let shared = "        volumeMounts:\n        - {name: shared, mountPath: /shared}\n";
    format!(
        "# Starting point from podlab's questionnaire: classic-sidecar in a Job (before 1.29).\n{}",
        job(
            "report",
            &format!(
                "      containers:\n      - name: report\n        image: registry.example.com/report:1.0.0\n        command: [\"sh\", \"-c\", \"run-report && touch /shared/done\"]\n{shared}        {RES_APP}\n      - name: log-shipper\n        image: fluent/fluent-bit:3.2.2\n        command: [\"sh\", \"-c\", \"fluent-bit -c /etc/fluent-bit.conf & until [ -f /shared/done ]; do sleep 1; done; kill %1\"]\n{shared}        {RES_HELPER}\n      volumes:\n      - name: shared\n        emptyDir: {{}}\n"
            )
        )
    )
}

/// Where the manifest on screen disagrees with the answers given.
pub fn check(answers: &[(String, String)], analysis: &Analysis) -> Vec<String> {
    let get = |id: &str| {
        answers
            .iter()
            .rev()
            .find(|(q, _)| q == id)
            .map(|(_, a)| a.as_str())
    };
    let Step::Done { recommendation } = next(answers) else {
        return vec!["Answer the questions first.".into()];
    };
    let Some(w) = analysis.workloads.first() else {
        return vec!["The editor holds no workload to check.".into()];
    };
    let mut out = Vec::new();
    let is_job = w.kind == "Job" || w.kind == "CronJob";
    let natives: Vec<&str> = w
        .containers
        .iter()
        .filter(|c| c.form == Form::NativeSidecar)
        .map(|c| c.name.as_str())
        .collect();
    let classic_helpers: Vec<&str> = w
        .containers
        .iter()
        .filter(|c| c.form == Form::Container && c.pattern != Pattern::App)
        .map(|c| c.name.as_str())
        .collect();
    let apps = w
        .containers
        .iter()
        .filter(|c| c.pattern == Pattern::App)
        .count();
    let p = recommendation.pattern;
    if (get("workload") == Some("job") || get("need") == Some("batch")) && !is_job {
        out.push(format!(
            "You answered that it runs to completion, but {} is a {}, not a Job or CronJob.",
            w.name, w.kind
        ));
    }
    if get("workload") == Some("service") && is_job {
        out.push(format!(
            "You answered that it keeps serving, but {} is a {}.",
            w.name, w.kind
        ));
    }
    if matches!(
        p,
        "native-sidecar" | "native-sidecar-startup-probe" | "job-native-sidecar"
    ) {
        if natives.is_empty() {
            out.push(match classic_helpers.first() {
                Some(h) => format!("The recommendation is a native sidecar, but '{h}' is a classic container in containers: move it to initContainers with restartPolicy: Always."),
                None => "The recommendation is a native sidecar, but the manifest has none.".to_string(),
            });
        }
        if p == "native-sidecar-startup-probe" {
            let spec_has_probe = analysis.workloads[0]
                .diagnostics
                .iter()
                .all(|d| d.rule != "native-sidecar-no-startup-probe");
            if !natives.is_empty() && !spec_has_probe {
                out.push("You need the app held back, but a native sidecar has no startupProbe: without one it counts as started at once.".into());
            }
        }
    }
    if get("version") == Some("old") && !natives.is_empty() {
        out.push(format!("You target 1.28 or older, but {} {} a native sidecar, which those versions refuse or drop.", natives.join(", "), if natives.len() == 1 { "is" } else { "are" }));
    }
    if matches!(p, "init" | "job-init") && !w.containers.iter().any(|c| c.form == Form::Init) {
        out.push("The recommendation is an init container, but the manifest has none.".into());
    }
    if p == "separate-pods" && apps > 1 {
        out.push(format!(
            "You said the containers share nothing, yet {} runs {apps} apps in one pod.",
            w.name
        ));
    }
    if p == "separate-deployment"
        && (natives.len() + classic_helpers.len()) > 0
        && get("need") != Some("helper")
    {
        out.push(
            "The recommendation is a separate Deployment, but the proxy runs inside the app's pod."
                .into(),
        );
    }
    if is_job && !classic_helpers.is_empty() && p != "classic-sidecar" && p != "job-init" {
        out.push(format!(
            "'{}' is a classic container in a Job: it keeps the Job from completing.",
            classic_helpers[0]
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Walks every path through the questionnaire; returns (answers, pattern) for each end.
    fn all_paths() -> Vec<(Vec<(String, String)>, &'static str)> {
        let mut out = Vec::new();
        let mut stack: Vec<Vec<(String, String)>> = vec![vec![]];
        while let Some(answers) = stack.pop() {
            assert!(answers.len() <= 6, "a path runs too long: {answers:?}");
            match next(&answers) {
                Step::Done { recommendation } => out.push((answers, recommendation.pattern)),
                Step::Ask { question } => {
                    assert!(!question.choices.is_empty());
                    assert!(
                        !answers.iter().any(|(q, _)| q == question.id),
                        "{} asked twice",
                        question.id
                    );
                    for c in &question.choices {
                        let mut a = answers.clone();
                        a.push((question.id.to_string(), c.id.to_string()));
                        stack.push(a);
                    }
                }
            }
        }
        out
    }

    #[test]
    fn every_path_ends_in_a_recommendation_and_every_row_is_reachable() {
        let paths = all_paths();
        assert!(paths.len() >= 15);
        for p in [
            "init",
            "native-sidecar",
            "classic-sidecar",
            "ambassador",
            "adapter",
            "native-sidecar-startup-probe",
            "job-init",
            "job-native-sidecar",
            "separate-deployment",
            "separate-pods",
        ] {
            assert!(paths.iter().any(|(_, r)| *r == p), "{p} is not reachable");
        }
    }

    #[test]
    fn every_starter_manifest_analyses_cleanly() {
        for (answers, pattern) in all_paths() {
            let Step::Done { recommendation } = next(&answers) else {
                unreachable!()
            };
            assert!(!recommendation.why.is_empty());
            let version = if answers.iter().any(|(q, a)| q == "version" && a == "old") {
                crate::KubeVersion::new(28)
            } else {
                crate::KubeVersion::NEWEST
            };
            let a = crate::analyze_text(
                "starter.yaml",
                &recommendation.starter,
                &crate::Options {
                    kubernetes_version: version,
                    ..Default::default()
                },
            );
            assert!(a.errors.is_empty(), "{pattern}: {:?}", a.errors);
            assert!(!a.workloads.is_empty());
            for w in &a.workloads {
                let loud: Vec<_> = w
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity != crate::Severity::Info)
                    .map(|d| (&d.rule, &d.message))
                    .collect();
                assert!(
                    loud.is_empty(),
                    "{pattern} at {version}: {loud:#?}\n{}",
                    recommendation.starter
                );
            }
            assert!(
                check(&answers, &a).is_empty(),
                "{pattern}: the starter disagrees with its own answers: {:?}",
                check(&answers, &a)
            );
        }
    }

    #[test]
    fn every_pitfall_names_a_rule_of_the_catalogue() {
        for (answers, _) in all_paths() {
            let Step::Done { recommendation } = next(&answers) else {
                unreachable!()
            };
            for (rule, _) in recommendation.pitfalls {
                if let Some(id) = rule {
                    assert!(
                        crate::rules::CATALOGUE.iter().any(|r| r.id == id),
                        "{id} is not a rule"
                    );
                }
            }
        }
    }

    #[test]
    fn changing_an_earlier_answer_changes_the_path() {
        let mut answers = vec![
            ("need".to_string(), "setup".to_string()),
            ("workload".to_string(), "job".to_string()),
        ];
        assert!(
            matches!(next(&answers), Step::Done { ref recommendation } if recommendation.pattern == "job-init")
        );
        answers[0].1 = "proxy".into();
        assert!(matches!(next(&answers), Step::Ask { ref question } if question.id == "scale"));
    }

    #[test]
    fn check_finds_a_classic_helper_where_a_job_native_sidecar_was_asked_for() {
        let answers: Vec<(String, String)> =
            [("need", "batch"), ("when", "during"), ("version", "new")]
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
        let manifest = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - {name: report, image: \"x/report:1\"}\n      - {name: log-shipper, image: \"fluent/fluent-bit:3.2.2\"}\n";
        let a = crate::analyze_text("j.yaml", manifest, &Default::default());
        let found = check(&answers, &a);
        assert!(
            found
                .iter()
                .any(|m| m.contains("'log-shipper' is a classic container")),
            "{found:?}"
        );
    }
}

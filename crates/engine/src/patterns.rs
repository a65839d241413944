//! Which pattern each container follows, and the evidence for it.
//!
//! The form (init, native sidecar, container) is read from the spec. The pattern is weighed from
//! structure first (section, restartPolicy, who shares what with whom over volumes and loopback),
//! then from a small knowledge base of well-known images. Structure beats names: an Envoy that is a
//! pod's only container is its app.

use crate::facts;
use crate::model::{Form, Pattern};
use k8s_openapi::api::core::v1::{Container, PodSpec};
use std::collections::{BTreeMap, BTreeSet};

/// A well-known image: what it usually is beside an app, and why.
struct Known {
    needle: &'static str,
    pattern: Pattern,
    reason: &'static str,
}

/// The table of well-known images, kept as data in `known_images.tsv`.
fn known_table() -> &'static [Known] {
    static TABLE: std::sync::OnceLock<Vec<Known>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("known_images.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut f = l.splitn(3, '\t');
                let (needle, pattern, reason) = (f.next()?, f.next()?, f.next()?);
                Some(Known {
                    needle,
                    pattern: Pattern::parse(pattern)?,
                    reason,
                })
            })
            .collect()
    })
}

fn known(image: &str) -> Option<&'static Known> {
    let repo = image.split('@').next().unwrap_or(image);
    let repo = match repo.rfind(':') {
        Some(i) if !repo[i..].contains('/') => &repo[..i],
        _ => repo,
    };
    let repo = repo.to_ascii_lowercase();
    known_table().iter().find(|k| repo.contains(k.needle))
}

/// A service-mesh data-plane proxy (Istio, Linkerd, Kuma), injected by the mesh.
pub fn is_mesh_proxy(image: &str) -> bool {
    known(image).is_some_and(|k| k.reason.contains("service mesh"))
}

/// A classification before resources are attached.
#[derive(Clone, Debug, PartialEq)]
pub struct Classified {
    pub form: Form,
    pub pattern: Pattern,
    pub confidence: f64,
    pub evidence: Vec<String>,
    pub overridden: bool,
    /// What the container's text and mounts say; the rules read these too.
    pub signals: Signals,
}

/// What a container's command, args, env and mounts say, computed once per container.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Signals {
    /// The command and args, joined by spaces.
    pub command: String,
    /// The command, args and env values: the text the shapes are looked for in.
    pub words: String,
    /// Ports it calls on loopback (`localhost:6379`).
    pub loopback_ports: BTreeSet<i32>,
    /// Whether its text names a loopback host at all.
    pub mentions_loopback: bool,
    /// The volumes it mounts.
    pub mounts: BTreeSet<String>,
}

/// The signals of one container.
pub fn signals(c: &Container) -> Signals {
    let words = words(c);
    Signals {
        command: facts::command_text(c),
        mentions_loopback: facts::mentions_loopback(&words),
        loopback_ports: loopback_ports(c),
        mounts: mounts(c),
        words,
    }
}

pub fn form_of(c: &Container, init: bool) -> Form {
    match (init, facts::is_native_sidecar(c)) {
        (true, true) => Form::NativeSidecar,
        (true, false) => Form::Init,
        (false, _) => Form::Container,
    }
}

fn words(c: &Container) -> String {
    facts::command_and_env_text(c)
}

/// Ports a container talks to on loopback (`localhost:6379`, `127.0.0.1:5432`).
fn loopback_ports(c: &Container) -> BTreeSet<i32> {
    facts::loopback_ports(&words(c))
}

fn container_ports(c: &Container) -> Vec<(i32, Option<String>)> {
    c.ports
        .iter()
        .flatten()
        .map(|p| (p.container_port, p.name.clone()))
        .collect()
}

fn mounts(c: &Container) -> BTreeSet<String> {
    crate::order::set(c.volume_mounts.iter().flatten().map(|m| m.name.clone()))
}

/// `podlab.dev/patterns: "name=ambassador,other=adapter"` on the pod template.
pub fn overrides_from_annotations(
    annotations: &BTreeMap<String, String>,
) -> BTreeMap<String, Pattern> {
    let mut out = BTreeMap::new();
    if let Some(v) = annotations.get("podlab.dev/patterns") {
        for pair in v.split(',') {
            if let Some((name, pattern)) = pair.split_once('=') {
                if let Some(p) = Pattern::parse(pattern) {
                    out.insert(name.trim().to_string(), p);
                }
            }
        }
    }
    out
}

/// Classifies every container of a pod: `initContainers` in order, then `containers`.
pub fn classify(
    spec: &PodSpec,
    annotations: &BTreeMap<String, String>,
    overrides: &BTreeMap<String, Pattern>,
) -> Vec<Classified> {
    let init = spec.init_containers.as_deref().unwrap_or(&[]);
    let mains = &spec.containers;
    let metrics_port: Option<i32> = annotations
        .get("prometheus.io/port")
        .and_then(|p| p.parse().ok());

    // Which main containers are helpers by name of image; the rest are app candidates.
    let main_known: Vec<Option<&Known>> = mains
        .iter()
        .map(|c| known(&c.image.clone().unwrap_or_default()))
        .collect();
    let unknown: Vec<usize> = (0..mains.len())
        .filter(|&i| main_known[i].is_none_or(|k| k.pattern == Pattern::Init))
        .collect();
    // Among containers no image marks, a helper's shape (tail -F, a helper's name) still tells.
    // A container that only reads (readOnly) a volume that a sibling writes serves that sibling.
    let reads_what_others_write = |i: usize| {
        mains[i]
            .volume_mounts
            .iter()
            .flatten()
            .filter(|m| m.read_only == Some(true))
            .any(|m| {
                mains.iter().enumerate().any(|(j, o)| {
                    j != i
                        && o.volume_mounts
                            .iter()
                            .flatten()
                            .any(|om| om.name == m.name && om.read_only != Some(true))
                })
            })
    };
    let shaped: Vec<usize> = unknown
        .iter()
        .copied()
        .filter(|&i| !helper_shape(&mains[i]) && !reads_what_others_write(i))
        .collect();
    let app_candidates: Vec<usize> = if mains.len() == 1 {
        vec![0]
    } else if !shaped.is_empty() {
        shaped
    } else {
        unknown
    };
    // With every main container known as a helper, the first one is what the pod is for
    // (a gateway whose proxy is the workload, an exporter deployed on its own).
    let apps: Vec<usize> = if app_candidates.is_empty() && !mains.is_empty() {
        vec![0]
    } else {
        app_candidates
    };
    let app_names: Vec<String> = apps.iter().map(|&i| mains[i].name.clone()).collect();
    let app_mounts = crate::order::set(apps.iter().flat_map(|&i| mounts(&mains[i])));
    let app_loopback = crate::order::set(apps.iter().flat_map(|&i| loopback_ports(&mains[i])));
    let app_ports = crate::order::set(
        apps.iter()
            .flat_map(|&i| container_ports(&mains[i]).into_iter().map(|(p, _)| p)),
    );

    let app = AppView {
        names: app_names,
        mounts: app_mounts,
        loopback: app_loopback,
        ports: app_ports,
        metrics_port,
    };

    let mut out = Vec::new();
    for c in init {
        let form = form_of(c, true);
        let mut cl = if form == Form::Init {
            classify_init(c, form)
        } else {
            classify_helper(c, form, &app)
        };
        apply_override(&mut cl, &c.name, overrides);
        cl.signals = signals(c);
        out.push(cl);
    }
    for (i, c) in mains.iter().enumerate() {
        let mut cl = if apps.contains(&i) {
            classify_app(c, mains.len(), apps.len())
        } else {
            classify_helper(c, Form::Container, &app)
        };
        apply_override(&mut cl, &c.name, overrides);
        cl.signals = signals(c);
        out.push(cl);
    }
    out
}
/// What the helpers are judged against: the app containers and what they call and share.
struct AppView {
    names: Vec<String>,
    mounts: BTreeSet<String>,
    loopback: BTreeSet<i32>,
    ports: BTreeSet<i32>,
    /// The pod's `prometheus.io/port` annotation.
    metrics_port: Option<i32>,
}

/// A container that is not the app (and not a plain init container): which helper it is.
fn classify_helper(c: &Container, form: Form, app: &AppView) -> Classified {
    let mut evidence = Vec::new();
    let mut pattern = Pattern::Sidecar;
    let mut confidence: f64 = 0.5;
    if form == Form::NativeSidecar {
        evidence.push("restartPolicy: Always in initContainers: a native sidecar that runs for the pod's whole life".to_string());
        confidence = 0.7;
    }
    let k = known(c.image.as_deref().unwrap_or(""));
    if k.is_none() && helper_shape(c) {
        evidence.push(helper_shape_reason(c));
        confidence = confidence.max(0.6);
        if rewrites_what_it_follows(&words(c)) {
            pattern = Pattern::Adapter;
            evidence.push("pipes what it follows through a rewrite: it turns the app's output into another format".to_string());
            confidence = confidence.max(0.75);
        }
    }
    if let Some(k) = k.filter(|k| k.pattern != Pattern::Init) {
        pattern = k.pattern;
        evidence.push(format!(
            "image {}: {}",
            c.image.as_deref().unwrap_or(""),
            k.reason
        ));
        confidence = 0.9;
    }
    let ports = container_ports(c);
    if let Some((p, _)) = ports.iter().find(|(p, _)| app.loopback.contains(p)) {
        pattern = Pattern::Ambassador;
        evidence.push(format!("the app talks to localhost:{p}, which this container serves: the app's traffic goes through it"));
        confidence = confidence.max(0.85);
    }
    let metric_port = ports.iter().find(|(p, name)| {
        Some(*p) == app.metrics_port
            || name
                .as_deref()
                .is_some_and(|n| n.contains("metric") || n.starts_with("prom"))
    });
    let reads_app_port = loopback_ports(c).iter().any(|p| app.ports.contains(p));
    if let Some((p, name)) = metric_port {
        if pattern != Pattern::Ambassador || k.is_none() {
            pattern = Pattern::Adapter;
            let label = name
                .clone()
                .map(|n| format!("port '{n}' ({p})"))
                .unwrap_or_else(|| format!("port {p}"));
            evidence.push(format!("exposes {label} for scraping: it presents the app's state in the platform's format"));
            confidence = confidence.max(if reads_app_port { 0.9 } else { 0.75 });
        }
    } else if reads_app_port && pattern == Pattern::Sidecar && k.is_none() {
        pattern = Pattern::Adapter;
        evidence.push("reads the app's own port over localhost".to_string());
        confidence = confidence.max(0.7);
    }
    let read_only: Vec<String> = c
        .volume_mounts
        .iter()
        .flatten()
        .filter(|m| m.read_only == Some(true) && app.mounts.contains(&m.name))
        .map(|m| m.name.clone())
        .collect();
    if !read_only.is_empty() && k.is_none() && !helper_shape(c) {
        evidence.push(format!(
            "only reads {} that {} write{}",
            quoted(&read_only),
            quoted(&app.names),
            if app.names.len() == 1 { "s" } else { "" }
        ));
        confidence = confidence.max(0.65);
    }
    let shared: Vec<String> = mounts(c).intersection(&app.mounts).cloned().collect();
    if !shared.is_empty() {
        evidence.push(format!(
            "shares the volume{} {} with {}",
            if shared.len() > 1 { "s" } else { "" },
            quoted(&shared),
            quoted(&app.names)
        ));
        confidence = confidence.max(0.7);
    }
    if evidence.is_empty()
        || (form == Form::Container && evidence.len() == 1 && shared.is_empty() && k.is_none())
    {
        evidence.push(format!(
            "runs beside {} without being what the pod is for",
            quoted(&app.names)
        ));
    }
    Classified {
        form,
        pattern,
        confidence,
        evidence,
        overridden: false,
        signals: Signals::default(),
    }
}

/// A plain init container: what its command says it does.
fn classify_init(c: &Container, form: Form) -> Classified {
    let mut evidence = vec!["in initContainers without restartPolicy: Always: runs to completion before the next container starts".to_string()];
    if let Some(k) = known(c.image.as_deref().unwrap_or("")) {
        evidence.push(format!(
            "image {}: {}",
            c.image.as_deref().unwrap_or(""),
            k.reason
        ));
    }
    let text = words(c);
    if text.contains("until ") || text.contains("nc -z") || text.contains("nslookup") {
        evidence.push("waits in a loop for a dependency to answer".to_string());
    }
    if text.contains("chown ") || text.contains("chmod ") {
        evidence.push(
            "fixes file ownership or permissions on a volume before the app uses it".to_string(),
        );
    }
    if text.contains("migrate") || text.contains("migration") {
        evidence.push("runs a database migration".to_string());
    }
    if text.contains("cp ")
        || text.contains("wget ")
        || text.contains("curl ")
        || text.contains("git clone")
    {
        evidence.push("fetches or copies files for the app into a shared volume".to_string());
    }
    Classified {
        form,
        pattern: Pattern::Init,
        confidence: 1.0,
        evidence,
        overridden: false,
        signals: Signals::default(),
    }
}

/// An entry of `containers` that is (one of) the app.
fn classify_app(c: &Container, mains_len: usize, apps_len: usize) -> Classified {
    let mut evidence = Vec::new();
    if mains_len == 1 {
        evidence.push("the pod's only entry in containers".to_string());
    } else if apps_len > 1 {
        evidence.push(format!(
            "one of {} containers that no sign marks as a helper",
            apps_len
        ));
    } else {
        evidence.push("the container the others serve".to_string());
    }
    if let Some(k) = known(c.image.as_deref().unwrap_or("")) {
        if mains_len == 1 || apps_len == 1 {
            evidence.push(format!(
                "its image is usually a helper ({}), but here it is what the pod runs",
                k.reason
            ));
        }
    }
    let confidence = if mains_len == 1 {
        0.95
    } else if apps_len == 1 {
        0.8
    } else {
        0.5
    };
    Classified {
        form: Form::Container,
        pattern: Pattern::App,
        confidence,
        evidence,
        overridden: false,
        signals: Signals::default(),
    }
}

const HELPER_NAMES: &[&str] = &[
    "log-shipper",
    "logshipper",
    "sidecar",
    "proxy",
    "exporter",
    "sync",
    "reloader",
    "forwarder",
    "collector",
];

/// `tail -f`, `tail -F`, `tail -n+1 -F`: following a file another container writes.
fn follows_a_file(text: &str) -> bool {
    text.split(['|', ';', '&']).any(|cmd| {
        let mut words = cmd.split_whitespace();
        words.any(|w| w == "tail")
            && cmd
                .split_whitespace()
                .any(|w| w == "-f" || w == "-F" || w == "--follow" || w.starts_with("--follow="))
    })
}

/// `tail -F log | while read …`, `| sed`, `| awk`, `| jq`: following a file and rewriting it.
fn rewrites_what_it_follows(text: &str) -> bool {
    follows_a_file(text)
        && text.split('|').skip(1).any(|stage| {
            let first = stage.split_whitespace().next().unwrap_or("");
            matches!(
                first,
                "while" | "sed" | "awk" | "jq" | "gawk" | "perl" | "python" | "python3"
            )
        })
}

/// A container whose command or name says it serves another: `tail -F`, a shipper, a proxy.
fn helper_shape(c: &Container) -> bool {
    let text = words(c);
    follows_a_file(&text)
        || HELPER_NAMES
            .iter()
            .any(|n| c.name.to_ascii_lowercase().contains(n))
}

fn helper_shape_reason(c: &Container) -> String {
    let text = words(c);
    if follows_a_file(&text) {
        "follows a file with tail -F: it streams what another container writes".to_string()
    } else {
        format!("its name '{}' is a helper's name", c.name)
    }
}

fn apply_override(cl: &mut Classified, name: &str, overrides: &BTreeMap<String, Pattern>) {
    if let Some(p) = overrides.get(name) {
        if *p != cl.pattern {
            cl.evidence.insert(
                0,
                format!(
                    "chosen as {} by podlab.dev/patterns or in the page",
                    p.as_str()
                ),
            );
        }
        cl.pattern = *p;
        cl.confidence = 1.0;
        cl.overridden = true;
    }
}

fn quoted(names: &[String]) -> String {
    facts::quote_names(names, ", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(yaml_containers: &str) -> PodSpec {
        let v: serde_json::Value = serde_json::from_str(yaml_containers).unwrap();
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_lone_envoy_is_the_app() {
        let s = pod(r#"{"containers":[{"name":"envoy","image":"envoyproxy/envoy:v1.31"}]}"#);
        let c = classify(&s, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(c[0].pattern, Pattern::App);
    }

    #[test]
    fn a_container_named_init_in_containers_is_not_an_init_container() {
        let s = pod(
            r#"{"containers":[{"name":"app","image":"web"},{"name":"init","image":"busybox"}]}"#,
        );
        let c = classify(&s, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(c[1].form, Form::Container);
        assert_ne!(c[1].pattern, Pattern::Init);
    }

    #[test]
    fn loopback_wiring_makes_an_ambassador() {
        let s = pod(
            r#"{"containers":[{"name":"app","image":"api","env":[{"name":"REDIS_URL","value":"redis://localhost:6379"}]},{"name":"proxy","image":"kuiken/twemproxy:0.5","ports":[{"containerPort":6379}]}]}"#,
        );
        let c = classify(&s, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(c[0].pattern, Pattern::App);
        assert_eq!(c[1].pattern, Pattern::Ambassador);
        assert!(c[1].evidence.iter().any(|e| e.contains("localhost:6379")));
    }

    #[test]
    fn a_metrics_port_makes_an_adapter() {
        let s = pod(
            r#"{"containers":[{"name":"legacy","image":"legacy:5","ports":[{"containerPort":8778}]},{"name":"jmx","image":"bitnami/jmx-exporter:1.0.1","ports":[{"containerPort":5556,"name":"prom-metrics"}]}]}"#,
        );
        let c = classify(&s, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(c[1].pattern, Pattern::Adapter);
    }

    #[test]
    fn annotation_overrides_a_pattern() {
        let s =
            pod(r#"{"containers":[{"name":"app","image":"web"},{"name":"helper","image":"x"}]}"#);
        let ann = BTreeMap::from([(
            "podlab.dev/patterns".to_string(),
            "helper=ambassador".to_string(),
        )]);
        let ov = overrides_from_annotations(&ann);
        let c = classify(&s, &ann, &ov);
        assert_eq!(c[1].pattern, Pattern::Ambassador);
        assert!(c[1].overridden);
    }

    #[test]
    fn a_log_streamer_is_a_sidecar_and_a_rewriting_one_an_adapter() {
        let s = pod(
            r#"{"containers":[{"name":"count","image":"busybox:1.28","args":["sh","-c","while true; do date >> /var/log/1.log; sleep 1; done"]},{"name":"count-log-1","image":"busybox:1.28","args":["/bin/sh","-c","tail -n+1 -f /var/log/1.log"]}]}"#,
        );
        let c = classify(&s, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(
            (c[0].pattern, c[1].pattern),
            (Pattern::App, Pattern::Sidecar)
        );
        let s = pod(
            r#"{"initContainers":[{"name":"adapter","image":"busybox:1.27","restartPolicy":"Always","command":["sh","-c","tail -F /var/log/app/raw.log | while read line; do echo adapted; done"]}],"containers":[{"name":"main-app","image":"busybox:1.27"}]}"#,
        );
        let c = classify(&s, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(c[0].pattern, Pattern::Adapter);
    }

    #[test]
    fn a_proxy_deployment_whose_other_container_is_a_known_helper_has_the_proxy_as_its_app() {
        let s = pod(
            r#"{"containers":[{"name":"envoy","image":"envoyproxy/envoy:v1.2.3"},{"name":"shutdown-manager","image":"docker.io/envoyproxy/gateway-dev:latest"}]}"#,
        );
        let c = classify(&s, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(
            (c[0].pattern, c[1].pattern),
            (Pattern::App, Pattern::Sidecar)
        );
    }
}

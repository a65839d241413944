//! podlab-engine: Kubernetes multi-container pod semantics for people.
//!
//! Text in, plain data out: [`analyze`] reads manifests and returns an [`Analysis`] with, for every
//! workload, each container's form and pattern, the effective requests and limits as the scheduler
//! computes them (with the derivation), the QoS class, the start and stop order with a timeline,
//! and findings. The CLI prints it; the page renders it. Nothing here knows about browsers.

pub mod debug;
pub mod facts;
pub mod fix;
pub mod fleet;
pub mod json;
pub mod lifecycle;
pub mod live;
pub mod manifest;
pub mod matrix;
pub mod model;
pub mod order;
mod parallel;
pub mod patterns;
pub mod quantity;
pub mod quiz;
pub mod resources;
pub mod rules;
pub mod sarif;
pub mod schema;
pub mod share;
pub mod stream;
pub mod version;
pub mod waivers;
pub mod wire;
pub mod yaml;

pub use facts::workload_key;
// The lifecycle's parts keep their public paths (`podlab_engine::podstatus`, ...).
pub use lifecycle::{podstatus, scenarios, startup, termination};
pub use model::*;
pub use quantity::quantity_out;
pub use version::KubeVersion;

use std::collections::BTreeMap;

/// One input: a file name (or "-") and its text.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub kubernetes_version: KubeVersion,
    /// Pattern choices made outside the manifest (the page's override menu), per
    /// `Kind/name` and container name. Annotations in the manifest come first, these win over them.
    pub pattern_overrides: BTreeMap<String, BTreeMap<String, Pattern>>,
    /// Findings without the changes that resolve them (`Diagnostic::fix`, `alternatives`): the
    /// page's first analysis, whose findings are drawn later, so that the code that finds the
    /// changes is not among what a first visit downloads first (the page's `src/app.rs`).
    pub leave_out_fixes: bool,
    /// Workloads without their lifecycle (`Workload::lifecycle` empty: no stages, timeline,
    /// statuses, what-ifs or comparison), for the same reason: the page draws it later.
    pub leave_out_lifecycle: bool,
}

/// Reads and analyses every input.
pub fn analyze(sources: &[Source<'_>], options: &Options) -> Analysis {
    let reading = read(sources, options);
    // Each workload is analysed on its own; the CLI spreads a long input over every core.
    let indices: Vec<usize> = (0..reading.len()).collect();
    let parts = parallel::map(&indices, |&i| reading.part(i));
    let (mut workloads, mut errors) = (Vec::new(), Vec::new());
    for part in parts {
        workloads.extend(part.workloads);
        errors.extend(part.errors);
    }
    Analysis {
        tool: Tool::default(),
        kubernetes_version: options.kubernetes_version.to_string(),
        workloads,
        errors,
    }
}

/// Reads every input, not analysed yet: [`Reading::part`] then analyses the inputs a part at a
/// time, so that a caller can write each analysis out and drop it (the CLI's `-o json`). With the
/// `parallel` feature a long input keeps only where each workload's document is, and reads it
/// again when the workload is analysed.
pub fn read<'a>(sources: &'a [Source<'a>], options: &'a Options) -> Reading<'a> {
    let mut units = manifest::Units::default();
    for (i, s) in sources.iter().enumerate() {
        manifest::read_units(i, s.name, s.text, &mut units);
    }
    Reading {
        services: manifest::ServiceIndex::new(&units.services),
        units,
        sources,
        options,
        texts: fix::Texts::new(sources),
    }
}

/// Inputs read, not analysed yet: in input order, parts that each hold a workload or an error.
pub struct Reading<'a> {
    units: manifest::Units,
    /// `units.services` by their selectors.
    services: manifest::ServiceIndex,
    #[cfg_attr(not(feature = "parallel"), allow(dead_code))]
    sources: &'a [Source<'a>],
    options: &'a Options,
    texts: fix::Texts<'a>,
}

/// What one part of the inputs holds, analysed: workloads and input errors, each in input order.
#[derive(Default)]
pub struct Part {
    pub workloads: Vec<Workload>,
    pub errors: Vec<InputError>,
}

impl Reading<'_> {
    /// How many parts the inputs are in. The workloads of every part, in turn, are the
    /// analysis' workloads in input order, and so are their errors.
    pub fn len(&self) -> usize {
        self.units.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.units.is_empty()
    }

    /// The `i`th part analysed, its workloads with the autoscalers and Services of every input
    /// that apply to them.
    pub fn part(&self, i: usize) -> Part {
        match &self.units.units[i] {
            manifest::Unit::Pod(pod) => Part {
                workloads: vec![self.workload(pod)],
                errors: Vec::new(),
            },
            manifest::Unit::Error(e) => Part {
                workloads: Vec::new(),
                errors: vec![e.clone()],
            },
            #[cfg(feature = "parallel")]
            manifest::Unit::Later(later) => {
                let source = &self.sources[later.source];
                let objects = manifest::read_later(source.name, source.text, later);
                Part {
                    workloads: objects.pods.iter().map(|p| self.workload(p)).collect(),
                    errors: objects.errors,
                }
            }
        }
    }

    fn workload(&self, pod: &manifest::PodObject) -> Workload {
        let units = &self.units;
        let hpas: Vec<&manifest::HpaObject> = units
            .hpas
            .iter()
            .filter(|h| {
                h.target_kind == pod.kind.as_str()
                    && h.target_name == pod.name
                    && (h.namespace.is_none()
                        || pod.namespace.is_none()
                        || h.namespace == pod.namespace)
            })
            .collect();
        let services = self.services.selecting(&units.services, pod);
        let options = self.options;
        analyze_pod(
            pod,
            &hpas,
            &services,
            options,
            options.kubernetes_version,
            &self.texts,
        )
    }
}

/// Analyses one object already read into the tree: an item of a List read as a stream
/// ([`stream`]). Autoscalers and Services are matched only to workloads in the same call, so an
/// item is analysed on its own.
pub fn analyze_object(
    file: &str,
    document: usize,
    root: yaml::Node,
    options: &Options,
) -> Analysis {
    let mut objects = manifest::Objects::default();
    manifest::read_root(file, document, root, &mut objects);
    let units = manifest::Units {
        units: Vec::new(),
        hpas: objects.hpas,
        services: objects.services,
    };
    // An item read as a stream keeps no text of its own, so it is offered no fixes.
    let reading = Reading {
        services: manifest::ServiceIndex::new(&units.services),
        units,
        sources: &[],
        options,
        texts: fix::Texts::new(&[]),
    };
    Analysis {
        tool: Tool::default(),
        kubernetes_version: options.kubernetes_version.to_string(),
        errors: objects.errors,
        workloads: objects.pods.iter().map(|p| reading.workload(p)).collect(),
    }
}

/// Convenience for one text.
pub fn analyze_text(name: &str, text: &str, options: &Options) -> Analysis {
    analyze(&[Source { name, text }], options)
}

fn analyze_pod(
    pod: &manifest::PodObject,
    hpas: &[&manifest::HpaObject],
    services: &[&manifest::ServiceObject],
    options: &Options,
    version: KubeVersion,
    texts: &fix::Texts,
) -> Workload {
    let overrides = pattern_overrides(pod, options);
    // Everything but the rules reads the pod as the API server would store it; the rules read
    // what is written and explain the difference.
    let stored = stored_spec(&pod.spec, version);
    let spec = stored.as_ref().unwrap_or(&pod.spec);
    let classified = patterns::classify(spec, &pod.pod_annotations, &overrides);
    let pod_res = resources::pod_resources(spec, version);
    let (containers, signals) = container_reports(pod, spec, classified);
    let hpa = hpas.iter().max_by_key(|h| h.max_replicas);
    let mut resources =
        resources::report(&pod_res, version, pod.replicas, hpa.map(|h| h.max_replicas));
    resources::mark_unknown(&mut resources, &pod.unknown_resources);
    let lifecycle = if options.leave_out_lifecycle {
        Lifecycle::default()
    } else {
        lifecycle_of(spec, &containers, version, pod.kind.is_batch())
    };
    let ctx = rules::Ctx::new(
        pod,
        &containers,
        &signals,
        &resources,
        version,
        hpas,
        services,
    );
    let mut diagnostics = rules::check(&ctx);
    if !options.leave_out_fixes {
        fix::attach(&ctx, texts, &mut diagnostics);
    }
    let live = live::read(pod, &containers, version).map(|(live, findings)| {
        diagnostics.extend(findings);
        live
    });
    // defaults.go SetDefaults_PodSpec: an unset restartPolicy is Always.
    let restart_policy = pod
        .spec
        .restart_policy
        .as_deref()
        .map_or(model::RestartPolicy::Always, model::RestartPolicy::parse);
    let mut workload = Workload {
        file: pod.file.clone(),
        document: pod.document,
        line: pod.line(),
        kind: pod.kind.as_str().to_string(),
        name: pod.name.clone(),
        namespace: pod.namespace.clone(),
        replicas: pod.replicas,
        containers,
        resources,
        lifecycle,
        diagnostics,
        restart_policy,
        autoscaler: hpa.map(|h| Autoscaler {
            name: h.name.clone(),
            line: h.line,
            file: h.file.clone(),
            min_replicas: h.min_replicas,
            max_replicas: h.max_replicas,
        }),
        live,
    };
    waivers::apply(&mut workload, &waivers::from_annotations(pod));
    workload
}

/// The patterns named on the pod template, then those given in the options for this workload.
fn pattern_overrides(
    pod: &manifest::PodObject,
    options: &Options,
) -> BTreeMap<String, model::Pattern> {
    let mut overrides = patterns::overrides_from_annotations(&pod.pod_annotations);
    if let Some(extra) = options
        .pattern_overrides
        .get(&facts::workload_key(pod.kind.as_str(), &pod.name))
    {
        overrides.extend(extra.iter().map(|(k, v)| (k.clone(), *v)));
    }
    overrides
}

/// Each container of the stored spec with its form, pattern and resources, and the signals
/// `patterns` found in it.
fn container_reports(
    pod: &manifest::PodObject,
    spec: &k8s_openapi::api::core::v1::PodSpec,
    classified: Vec<patterns::Classified>,
) -> (Vec<ContainerReport>, Vec<patterns::Signals>) {
    let mut signals = Vec::with_capacity(classified.len());
    let stored_containers = spec
        .init_containers
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, c)| (Section::InitContainers, i, c))
        .chain(
            spec.containers
                .iter()
                .enumerate()
                .map(|(i, c)| (Section::Containers, i, c)),
        );
    let containers: Vec<ContainerReport> = stored_containers
        .zip(classified)
        .map(|((section, index, c), cl)| {
            signals.push(cl.signals);
            let own = resources::container_resources(c, section.is_init());
            let out = resources::out;
            ContainerReport {
                name: c.name.clone(),
                image: c.image.clone().unwrap_or_default(),
                section,
                index,
                line: pod
                    .locate_in_spec(&[
                        yaml::Step::Key(section.as_str().into()),
                        yaml::Step::Index(index),
                    ])
                    .line,
                form: cl.form,
                pattern: cl.pattern,
                confidence: cl.confidence,
                evidence: cl.evidence,
                overridden: cl.overridden,
                requests: out(&own.requests),
                limits: out(&own.limits),
            }
        })
        .collect();
    (containers, signals)
}

/// The stages, timeline, statuses, what-ifs and comparison of the stored spec.
fn lifecycle_of(
    spec: &k8s_openapi::api::core::v1::PodSpec,
    containers: &[ContainerReport],
    version: KubeVersion,
    batch: bool,
) -> Lifecycle {
    let (startup, shutdown) = lifecycle::stages(spec, version);
    let timeline = lifecycle::timeline(spec, version, batch);
    let helpers: Vec<String> = containers
        .iter()
        .filter(|c| c.form == Form::Container && c.pattern != Pattern::App)
        .map(|c| c.name.clone())
        .collect();
    // Completion is decided by role and form: an entry of containers that is an app exits, a
    // classic helper never does.
    let scenarios = lifecycle::scenarios(spec, &helpers, version, batch);
    let (status, completes) = lifecycle::status(spec, &helpers, version, batch);
    let compare = lifecycle::compare(spec, &helpers, version, batch);
    Lifecycle {
        startup,
        shutdown,
        status,
        completes,
        timeline,
        scenarios,
        compare,
    }
}

/// The pod spec as the API server would store it at `version`, where that differs from what is
/// written: with the SidecarContainers gate absent or off (before 1.29), an init container's
/// restartPolicy is dropped (pkg/api/pod/util.go dropDisabledFields; before 1.28 the field does
/// not exist, and a lenient decoder drops it the same way), so it runs as a plain init container.
/// Pod-level `spec.resources` with its gate off is left out by `resources::pod_resources`.
fn stored_spec(
    spec: &k8s_openapi::api::core::v1::PodSpec,
    version: KubeVersion,
) -> Option<k8s_openapi::api::core::v1::PodSpec> {
    if version.sidecar_gate().enabled()
        || !spec
            .init_containers
            .iter()
            .flatten()
            .any(|c| c.restart_policy.is_some())
    {
        return None;
    }
    let mut stored = manifest::copy_pod_spec(spec);
    for c in stored.init_containers.iter_mut().flatten() {
        c.restart_policy = None;
    }
    Some(stored)
}

/// The files of the shared corpus (beside the repository), sorted. Only the tests of the
/// `parallel` feature read them.
#[cfg(test)]
#[cfg_attr(not(feature = "parallel"), allow(dead_code))]
fn corpus_files() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/files");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("the corpus sits beside the repository")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::PodSpec;
    use std::path::Path;

    /// `manifest` decodes only the pod spec fields the analysis reads. Every analysis of the
    /// corpus, the examples and the workshop, at every supported version, must equal the one made
    /// from the whole `PodSpec` as k8s-openapi decodes it; reading a new field without decoding
    /// it fails here. And a copy of the spec as read (`copy_pod_spec`, `copy_container`) equals it.
    #[test]
    fn the_pod_spec_read_is_enough() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in [
            "../../../shared/corpus/files",
            "../../static/examples",
            "../../static/workshop",
        ] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                files.push(e.unwrap().path());
            }
        }
        files.sort();
        let mut compared = 0;
        for f in &files {
            let Ok(text) = std::fs::read_to_string(f) else {
                continue;
            };
            let mut objects = manifest::Objects::default();
            manifest::read("t.yaml", &text, &mut objects);
            for pod in objects.pods.iter_mut() {
                // The copies the what-ifs make (fields read, only) are the spec as read.
                assert_eq!(
                    manifest::copy_pod_spec(&pod.spec),
                    pod.spec,
                    "{}",
                    f.display()
                );
                let mut json = pod.root.to_json();
                for step in &pod.spec_steps {
                    if let yaml::Step::Key(k) = step {
                        json = json[k.as_str()].take();
                    }
                }
                let full: PodSpec = serde_json::from_value(json).unwrap();
                for minor in [27, 28, 29, 33, 37] {
                    let options = Options {
                        kubernetes_version: KubeVersion::new(minor),
                        ..Options::default()
                    };
                    let version = options.kubernetes_version;
                    let read = analyze_pod(pod, &[], &[], &options, version, &fix::Texts::new(&[]));
                    let read_spec = std::mem::replace(&mut pod.spec, full.clone());
                    let whole =
                        analyze_pod(pod, &[], &[], &options, version, &fix::Texts::new(&[]));
                    pod.spec = read_spec;
                    assert_eq!(
                        serde_json::to_value(&read).unwrap(),
                        serde_json::to_value(&whole).unwrap(),
                        "{}: {} at 1.{minor}",
                        f.display(),
                        pod.name
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared > 300, "{compared} analyses compared");
    }

    /// A Service or autoscaler written twice (the same file given twice) is named once in the
    /// finding about the app's readiness, and three of them are listed with commas.
    #[test]
    fn objects_written_twice_are_named_once() {
        let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app, image: example/web:1}]\n";
        let service = |name: &str| {
            format!("---\napiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec:\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n")
        };
        let hpa = "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: scale}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 4\n";
        let message = |text: &str| {
            let a = analyze_text("t.yaml", text, &Options::default());
            a.workloads[0]
                .diagnostics
                .iter()
                .find(|d| d.rule == "app-no-readiness-probe")
                .expect("the finding")
                .message
                .clone()
        };
        let twice = format!("{deployment}{}{}{hpa}", service("front"), service("front"));
        assert!(
            message(&twice).starts_with(
                "'app' has no readinessProbe: Service 'front' and autoscaler 'scale' rely on it,"
            ),
            "{}",
            message(&twice)
        );
        let three = format!("{deployment}{}{}{hpa}", service("front"), service("back"));
        assert!(
            message(&three).starts_with("'app' has no readinessProbe: Service 'front', Service 'back' and autoscaler 'scale' rely on it,"),
            "{}",
            message(&three)
        );
    }

    /// A long input keeps only where each workload's document is, and reads it again when the
    /// workload is analysed: the analysis must be the one made from every document read at once,
    /// with Services and autoscalers written before and after the workloads they apply to, Lists,
    /// read errors, keys written twice and documents that are not objects.
    #[cfg(feature = "parallel")]
    #[test]
    fn a_long_input_read_again_document_by_document_is_the_whole_analysis() {
        let files = crate::corpus_files();
        let extra = [
            "kind: Service\napiVersion: v1\nmetadata: {name: before}\nspec:\n  selector: {app: late}\n  ports: [{port: 80, targetPort: 8080}]\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: late}\nspec:\n  selector: {matchLabels: {app: late}}\n  template:\n    metadata: {labels: {app: late}}\n    spec:\n      containers:\n      - name: app\n        image: app:1\n        image: app:2\n",
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: late}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: late}\n  minReplicas: 1\n  maxReplicas: 3\n",
            "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: removed}\nspec: {}\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: odd}\nspec: 3\n",
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: listed}\n  spec: {containers: [{name: a, image: a}]}\n",
            "just a string\n",
            "kind: Pod\n",
            "<<: {apiVersion: v1, kind: Pod}\nmetadata: {name: merged}\nspec:\n  containers:\n  - name: a\n    image: a:1\n",
            "kind: Service\n<<:\n- apiVersion: v1\nmetadata: {name: merged}\nspec:\n  selector: {app: late}\n",
        ];
        let mut text = String::from("# a comment before the first document\n");
        while text.len() < 600 * 1024 {
            for f in &files {
                let t = std::fs::read_to_string(f).unwrap();
                if t.contains("{{") {
                    continue;
                }
                text.push_str("---\n");
                text.push_str(&t);
                text.push('\n');
            }
            for e in extra {
                text.push_str("---\n");
                text.push_str(e);
            }
        }
        let options = Options::default();
        let sources = [Source {
            name: "long.yaml",
            text: &text,
        }];
        let placed = read(&sources, &options);
        let later = |r: &Reading| {
            r.units
                .units
                .iter()
                .filter(|u| matches!(u, manifest::Unit::Later(_)))
                .count()
        };
        assert!(later(&placed) > 100, "{} placed", later(&placed));
        // The same text but for its last line break, which leaves it to be read at once.
        let at_once = [Source {
            name: "long.yaml",
            text: &text[..text.len() - 1],
        }];
        assert_eq!(later(&read(&at_once, &options)), 0);
        let (a, b) = (analyze(&sources, &options), analyze(&at_once, &options));
        assert!(
            a.workloads.len() > 100 && a.errors.len() >= 8,
            "{} workloads, {} errors",
            a.workloads.len(),
            a.errors.len()
        );
        let late = a.workloads.iter().find(|w| w.name == "late").unwrap();
        assert!(late.autoscaler.is_some());
        assert!(late
            .diagnostics
            .iter()
            .any(|d| d.message.contains("Service 'before'")));
        assert_eq!(a, b);
    }
}

//! The diagnostic catalogue and the checks behind it.
//!
//! Severities follow upstream: what the API server rejects is an error; what it warns about, or
//! what bites in production, is a warning; advice is info.

use crate::manifest::{HpaObject, PodObject};
use crate::model::{ContainerReport, Diagnostic, Form, Pattern, Severity};
use crate::quantity::Quantity;
use crate::version::{Gate, KubeVersion};
use crate::yaml::Step;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One rule of the catalogue.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// The versions it applies to, in words.
    pub versions: &'static str,
    /// Where the behaviour comes from upstream.
    pub source: &'static str,
    /// Kubernetes documentation for the fix.
    pub docs: &'static str,
}

pub const CATALOGUE: &[Rule] = &[
    Rule { id: "unknown-field", severity: Severity::Error, summary: "A field the Kubernetes API does not have (often a typo); strict validation refuses it.", versions: "all", source: "kubectl --validate=strict (default since 1.27); apiserver field validation", docs: "https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation" },
    Rule { id: "removed-api-version", severity: Severity::Error, summary: "The apiVersion is no longer served.", versions: "all supported", source: "kubernetes.io deprecation guide", docs: "https://kubernetes.io/docs/reference/using-api/deprecation-guide/" },
    Rule { id: "init-container-probe", severity: Severity::Error, summary: "A plain init container sets a probe or lifecycle hook, which the API server forbids.", versions: "all", source: "pkg/apis/core/validation/validation.go validateInitContainers", docs: "https://kubernetes.io/docs/concepts/workloads/pods/init-containers/" },
    Rule { id: "container-restart-policy", severity: Severity::Error, summary: "restartPolicy on a container where the target version does not allow it, or with a value it does not support.", versions: "all; app containers may set it from 1.35 (ContainerRestartRules beta)", source: "validation.go validateInitContainers / validateContainers; KEP-5307", docs: "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restart-policy" },
    Rule { id: "native-sidecar-unsupported", severity: Severity::Error, summary: "A native sidecar on a version where the SidecarContainers gate is absent or off: the field is refused or dropped and the sidecar blocks startup.", versions: "before 1.29", source: "KEP-753; pkg/api/pod/util.go dropDisabledFields", docs: "https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/" },
    Rule { id: "duplicate-container-name", severity: Severity::Error, summary: "Two containers share a name across containers and initContainers.", versions: "all", source: "validation.go validateInitContainers / validateContainers (field.Duplicate)", docs: "https://kubernetes.io/docs/concepts/workloads/pods/" },
    Rule { id: "port-conflict", severity: Severity::Warning, summary: "Two containers declare the same port: a hostPort clash is rejected (error); a containerPort clash is warned about and fails at bind time.", versions: "all", source: "validation.go AccumulateUniqueHostPorts; pkg/api/pod/warnings.go", docs: "https://kubernetes.io/docs/concepts/services-networking/" },
    Rule { id: "classic-sidecar-in-job", severity: Severity::Warning, summary: "A long-running helper in a Job's containers keeps the pod, and so the Job, from ever completing.", versions: "all; the native fix needs 1.29+", source: "pkg/kubelet/kubelet_pods.go getPhase; KEP-753", docs: "https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#jobs-with-sidecar-containers" },
    Rule { id: "sidecar-could-be-native", severity: Severity::Info, summary: "A helper in containers could be a native sidecar: started before the app, stopped after it.", versions: "1.29 and later", source: "KEP-753", docs: "https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/" },
    Rule { id: "native-sidecar-no-startup-probe", severity: Severity::Info, summary: "A native sidecar without a startupProbe counts as started as soon as it runs, so the app may start before it is ready.", versions: "1.29 and later", source: "kuberuntime_container.go computeInitContainerActions", docs: "https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/" },
    Rule { id: "memory-emptydir", severity: Severity::Warning, summary: "A memory-backed emptyDir counts against the memory of the container that writes it; without a sizeLimit or limits it can take the node's memory.", versions: "all", source: "pkg/volume/emptydir/empty_dir.go calculateEmptyDirMemorySize; KEP-1967", docs: "https://kubernetes.io/docs/concepts/storage/volumes/#emptydir" },
    Rule { id: "share-process-namespace", severity: Severity::Info, summary: "shareProcessNamespace lets every container see and signal every other container's processes.", versions: "all", source: "PodSpec.shareProcessNamespace", docs: "https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/" },
    Rule { id: "hpa-resource-metric", severity: Severity::Warning, summary: "An HPA scales a multi-container pod on the pod's average; a ContainerResource metric follows the app alone.", versions: "ContainerResource: beta 1.27, GA 1.30", source: "KEP-1610; HPAContainerMetrics feature gate", docs: "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#container-resource-metrics" },
    Rule { id: "unrelated-containers", severity: Severity::Info, summary: "Containers that share no volume and no localhost port may belong in separate pods.", versions: "all", source: "multi-container pod design guidance", docs: "https://kubernetes.io/docs/concepts/workloads/pods/#how-pods-manage-multiple-containers" },
    Rule { id: "helper-outweighs-app", severity: Severity::Info, summary: "A helper requests more than the app it serves.", versions: "all", source: "component-helpers resource/helpers.go PodRequests", docs: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/" },
    Rule { id: "missing-requests", severity: Severity::Warning, summary: "A container sets no cpu or memory request: the scheduler reserves nothing for it.", versions: "all", source: "pkg/scheduler/framework/plugins/noderesources/fit.go", docs: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/" },
    Rule { id: "requests-exceed-limits", severity: Severity::Error, summary: "A request is larger than its limit, which the API server rejects.", versions: "all", source: "validation.go ValidateResourceRequirements", docs: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/" },
    Rule { id: "unpinned-image", severity: Severity::Warning, summary: "An image without a tag or with :latest changes under you between pulls.", versions: "all", source: "Container.image (defaults to :latest); imagePullPolicy defaulting", docs: "https://kubernetes.io/docs/concepts/containers/images/#image-names" },
    Rule { id: "app-no-readiness-probe", severity: Severity::Warning, summary: "The app has no readinessProbe: it gets traffic the moment it starts, ready or not (a warning where a Service or an autoscaler relies on it, advice otherwise).", versions: "all", source: "pkg/kubelet/prober; endpoints follow pod readiness", docs: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/" },
    Rule { id: "app-no-liveness-probe", severity: Severity::Info, summary: "The app has no livenessProbe: a hung process is never restarted.", versions: "all", source: "pkg/kubelet/prober", docs: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/" },
    Rule { id: "helper-readiness-gates-pod", severity: Severity::Info, summary: "A classic helper's readinessProbe counts for the whole pod: when it fails, the pod leaves the Service even though the app is fine.", versions: "all", source: "pkg/kubelet/status PodReady = all containers ready", docs: "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-conditions" },
    Rule { id: "sidecar-missing-requests", severity: Severity::Warning, summary: "A native sidecar without requests understates every phase after it starts.", versions: "1.29 and later", source: "component-helpers resource/helpers.go PodRequests (sidecars are added to later init containers and to the running phase)", docs: "https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#resource-sharing-within-containers" },
    Rule { id: "init-sets-reservation", severity: Severity::Info, summary: "A plain init container asks for more than the running pod, so it alone sets the pod's reservation for its whole life.", versions: "all", source: "component-helpers resource/helpers.go PodRequests (max of init use and running phase)", docs: "https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers" },
    Rule { id: "init-migration-replicas", severity: Severity::Warning, summary: "A migration in an init container runs once per replica, concurrently.", versions: "all", source: "init containers run per pod", docs: "https://kubernetes.io/docs/concepts/workloads/pods/init-containers/" },
];

pub fn rule(id: &str) -> &'static Rule {
    CATALOGUE
        .iter()
        .find(|r| r.id == id)
        .expect("every emitted rule id is in the catalogue")
}

/// Collects findings for one workload.
pub struct Findings<'a> {
    pub pod: &'a PodObject,
    pub out: Vec<Diagnostic>,
}

impl<'a> Findings<'a> {
    fn push(
        &mut self,
        id: &'static str,
        severity: Severity,
        container: Option<&str>,
        steps: &[Step],
        message: String,
    ) {
        let pos = self.pod.locate_in_spec(steps);
        let mut path = self.pod.spec_prefix();
        let rest = crate::manifest::path_text(steps);
        if !rest.is_empty() {
            if !path.is_empty() && !rest.starts_with('[') {
                path.push('.');
            }
            path.push_str(&rest);
        }
        self.out.push(Diagnostic {
            rule: id.to_string(),
            severity,
            message,
            container: container.map(str::to_string),
            line: pos.line,
            path: Some(path),
            file: self.pod.file.clone(),
            waived: None,
        });
    }
}

fn key(s: &str) -> Step {
    Step::Key(s.to_string())
}

fn container_steps(section: &str, index: usize) -> Vec<Step> {
    vec![key(section), Step::Index(index)]
}

fn with(mut base: Vec<Step>, more: &[&str]) -> Vec<Step> {
    base.extend(more.iter().map(|s| key(s)));
    base
}

pub fn check(
    pod: &PodObject,
    containers: &[ContainerReport],
    version: KubeVersion,
    hpas: &[&HpaObject],
) -> Vec<Diagnostic> {
    let mut f = Findings {
        pod,
        out: Vec::new(),
    };
    for r in &pod.read_findings {
        let rl = rule(r.rule);
        f.out.push(Diagnostic {
            rule: r.rule.to_string(),
            severity: rl.severity,
            message: r.message.clone(),
            container: None,
            line: r.pos.line,
            path: Some(r.path.clone()),
            file: pod.file.clone(),
            waived: None,
        });
    }
    let spec = &pod.spec;
    let is_batch = pod.kind.is_batch();

    // Names, probes and restart policies, container by container.
    let mut seen: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    for (section, i, c) in pod.all_containers() {
        let steps = container_steps(section, i);
        if let Some((s0, i0)) = seen.get(c.name.as_str()) {
            f.push("duplicate-container-name", Severity::Error, Some(&c.name), &with(steps.clone(), &["name"]),
                format!("'{}' is already the name of {s0}[{i0}]: container names must be unique across containers and initContainers. Rename one.", c.name));
        } else {
            seen.insert(&c.name, (section, i));
        }
        let init = section == "initContainers";
        let policy = c.restart_policy.as_deref();
        if init && policy != Some("Always") {
            for (field, present) in [
                ("livenessProbe", c.liveness_probe.is_some()),
                ("readinessProbe", c.readiness_probe.is_some()),
                ("startupProbe", c.startup_probe.is_some()),
                ("lifecycle", c.lifecycle.is_some()),
            ] {
                if present {
                    f.push("init-container-probe", Severity::Error, Some(&c.name), &with(steps.clone(), &[field]),
                        format!("init container '{}' sets {field}, which the API server forbids for init containers without restartPolicy: Always. Remove it, or make '{}' a native sidecar with restartPolicy: Always if it should keep running.", c.name, c.name));
                }
            }
        }
        if let Some(p) = policy {
            let gate = version.container_restart_rules_gate();
            if init && p != "Always" && !gate.enabled() {
                f.push("container-restart-policy", Severity::Error, Some(&c.name), &with(steps.clone(), &["restartPolicy"]),
                    format!("restartPolicy '{p}' on init container '{}': Kubernetes {version} supports only 'Always' here (a native sidecar). Remove it, or set Always.", c.name));
            } else if !init && !gate.enabled() {
                f.push("container-restart-policy", Severity::Error, Some(&c.name), &with(steps.clone(), &["restartPolicy"]),
                    format!("restartPolicy on container '{}' in containers is forbidden at Kubernetes {version} (per-container restart policies arrive with ContainerRestartRules, beta in 1.35). To run it beside the app for the pod's whole life, move it to initContainers with restartPolicy: Always.", c.name));
            } else if !["Always", "OnFailure", "Never"].contains(&p) {
                f.push(
                    "container-restart-policy",
                    Severity::Error,
                    Some(&c.name),
                    &with(steps.clone(), &["restartPolicy"]),
                    format!(
                        "restartPolicy '{p}' on '{}' is not one of Always, OnFailure, Never.",
                        c.name
                    ),
                );
            }
            if init && p == "Always" {
                match version.sidecar_gate() {
                    Gate::Absent => f.push("native-sidecar-unsupported", Severity::Error, Some(&c.name), &with(steps.clone(), &["restartPolicy"]),
                        format!("'{}' is a native sidecar, but Kubernetes {version} has no restartPolicy on containers: the API server refuses the field (strict validation) or drops it, and then '{}' must exit before the app can start. Target 1.29 or later, or run it as a classic sidecar in containers.", c.name, c.name)),
                    Gate::AlphaOff => f.push("native-sidecar-unsupported", Severity::Error, Some(&c.name), &with(steps.clone(), &["restartPolicy"]),
                        format!("'{}' is a native sidecar, but at 1.28 the SidecarContainers gate is alpha and off by default: the API server drops restartPolicy and '{}' becomes a plain init container that never exits, so the app never starts. Enable the gate, target 1.29+, or use a classic sidecar.", c.name, c.name)),
                    _ => {}
                }
            }
        }
    }

    // Ports: hostPort clashes among regular containers are rejected; containerPort clashes warned.
    let mut host_ports: BTreeMap<(String, String, i32), String> = BTreeMap::new();
    let mut container_ports: BTreeMap<(i32, String), String> = BTreeMap::new();
    for (section, i, c) in pod.all_containers() {
        for (pi, p) in c.ports.iter().flatten().enumerate() {
            let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
            let steps = vec![key(section), Step::Index(i), key("ports"), Step::Index(pi)];
            if let Some(hp) = p.host_port.filter(|h| *h != 0) {
                // AccumulateUniqueHostPorts: regular containers together, each init container alone
                if section == "containers" {
                    let k = (proto.clone(), p.host_ip.clone().unwrap_or_default(), hp);
                    if let Some(other) = host_ports.get(&k) {
                        f.push("port-conflict", Severity::Error, Some(&c.name), &steps,
                            format!("hostPort {hp}/{proto} of '{}' is already used by '{other}': the API server rejects duplicate host ports. Give one of them another hostPort.", c.name));
                    } else {
                        host_ports.insert(k, c.name.clone());
                    }
                }
            }
            let k = (p.container_port, proto.clone());
            match container_ports.get(&k) {
                Some(other) if other != &c.name => {
                    f.push("port-conflict", Severity::Warning, Some(&c.name), &steps,
                        format!("containerPort {}/{proto} of '{}' is also declared by '{other}': containers share the pod's network, so only one can bind it (the API server warns about this). Use another port.", p.container_port, c.name));
                }
                _ => {
                    container_ports.insert(k, c.name.clone());
                }
            }
        }
    }

    // Patterns and what follows from them.
    let by_name: BTreeMap<&str, &ContainerReport> =
        containers.iter().map(|c| (c.name.as_str(), c)).collect();
    let app_names: Vec<&str> = containers
        .iter()
        .filter(|c| c.pattern == Pattern::App)
        .map(|c| c.name.as_str())
        .collect();
    let helpers_in_containers: Vec<&ContainerReport> = containers
        .iter()
        .filter(|c| c.form == Form::Container && c.pattern != Pattern::App)
        .collect();
    for h in &helpers_in_containers {
        let steps = container_steps("containers", h.index);
        if is_batch {
            let helper_text = if version.sidecar_gate().enabled() {
                format!("move '{}' to initContainers with restartPolicy: Always (a native sidecar), which the kubelet stops once the main containers exit", h.name)
            } else {
                "make the helper exit when the main container is done (a shared file or signal), since native sidecars need 1.29+".to_string()
            };
            // A helper the app shuts down itself (the Cloud SQL proxy's /quitquitquit) lets the
            // Job complete: then the native form is advice, not a warning.
            let stopped_by_app = spec.containers.iter().any(|c| {
                let text = command_text(c);
                text.contains("quitquitquit")
            }) || {
                // or the helper stops itself when the work leaves a file behind
                let c = &spec.containers[h.index];
                let text = command_text(c);
                text.contains("-f /") && (text.contains("done") || text.contains("complete"))
            };
            if stopped_by_app {
                f.push("classic-sidecar-in-job", Severity::Info, Some(&h.name), &steps,
                    format!("'{}' is stopped when the main container's work is done (a quit endpoint or a done file), which lets the Job complete. {}, and the stop call is no longer needed.", h.name, capitalize(&helper_text)));
            } else {
                f.push("classic-sidecar-in-job", Severity::Warning, Some(&h.name), &steps,
                    format!("'{}' is {} {} in a {}'s containers: the pod succeeds only when every container exits, so if it runs forever the Job never completes. {}.", h.name, article(h.pattern.as_str()), h.pattern.as_str(), pod.kind.as_str(), capitalize(&helper_text)));
            }
        } else if version.sidecar_gate().enabled() {
            f.push("sidecar-could-be-native", Severity::Info, Some(&h.name), &steps,
                format!("'{}' looks like {} {} in containers. As a native sidecar (initContainers with restartPolicy: Always) it would start before {} and stop after {}, so it never misses the first or the last of their work.", h.name, article(h.pattern.as_str()), h.pattern.as_str(), names(&app_names), names(&app_names)));
        }
    }
    let app_mounts: BTreeSet<String> = spec
        .containers
        .iter()
        .filter(|c| app_names.contains(&c.name.as_str()))
        .flat_map(|c| c.volume_mounts.iter().flatten().map(|m| m.name.clone()))
        .collect();
    for (i, c) in spec.init_containers.iter().flatten().enumerate() {
        if c.restart_policy.as_deref() == Some("Always")
            && c.startup_probe.is_none()
            && version.sidecar_gate().enabled()
        {
            let shares = c
                .volume_mounts
                .iter()
                .flatten()
                .any(|m| app_mounts.contains(&m.name));
            // The app depends on it when they share a volume or the app calls one of its ports.
            let app_text: String = spec
                .containers
                .iter()
                .filter(|a| app_names.contains(&a.name.as_str()))
                .flat_map(|a| {
                    a.command
                        .iter()
                        .flatten()
                        .chain(a.args.iter().flatten())
                        .chain(a.env.iter().flatten().filter_map(|e| e.value.as_ref()))
                })
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            let serves = c.ports.iter().flatten().any(|p| {
                let port = p.container_port.to_string();
                ["localhost:", "127.0.0.1:"]
                    .iter()
                    .any(|h| app_text.contains(&format!("{h}{port}")))
            });
            if !shares && !serves {
                continue;
            }
            let why = if shares {
                " and shares a volume with the app"
            } else {
                " and serves a port the app calls on localhost"
            };
            f.push("native-sidecar-no-startup-probe", Severity::Info, Some(&c.name), &container_steps("initContainers", i),
                format!("native sidecar '{}' has no startupProbe{why}: it counts as started the moment it runs, so the next container starts before '{}' is ready. Add a startupProbe that passes when it is.", c.name, c.name));
        }
    }

    // Memory-backed emptyDir
    for (vi, v) in spec.volumes.iter().flatten().enumerate() {
        let Some(ed) = &v.empty_dir else { continue };
        if ed.medium.as_deref() != Some("Memory") {
            continue;
        }
        let writers: Vec<&str> = pod
            .all_containers()
            .filter(|(_, _, c)| {
                c.volume_mounts
                    .iter()
                    .flatten()
                    .any(|m| m.name == v.name && m.read_only != Some(true))
            })
            .map(|(_, _, c)| c.name.as_str())
            .collect();
        let unlimited: Vec<&str> = writers
            .iter()
            .copied()
            .filter(|n| {
                by_name
                    .get(n)
                    .is_none_or(|c| !c.limits.contains_key("memory"))
            })
            .collect();
        let steps = vec![key("volumes"), Step::Index(vi)];
        let who = if writers.is_empty() {
            "the containers".to_string()
        } else {
            names(&writers)
        };
        // A mesh proxy's tmpfs holds its own certificates and bootstrap: small and written by
        // injected code, so an unbounded size is advice there, not a warning.
        let mesh_only = !unlimited.is_empty()
            && unlimited.iter().all(|n| {
                by_name
                    .get(n)
                    .is_some_and(|c| crate::patterns::is_mesh_proxy(&c.image))
            });
        if ed.size_limit.is_none() && !unlimited.is_empty() && !mesh_only {
            f.push("memory-emptydir", Severity::Warning, None, &steps,
                format!("emptyDir '{}' is memory-backed (tmpfs) with no sizeLimit, and {} that can write to it set no memory limit: it may grow to the node's allocatable memory, invisible to the scheduler. Set sizeLimit, and memory limits with room for it.", v.name, names(&unlimited)));
        } else if ed.size_limit.is_none() && mesh_only {
            f.push("memory-emptydir", Severity::Info, None, &steps,
                format!("emptyDir '{}' is memory-backed (tmpfs) and written by the mesh proxy {}, which sets no memory limit: its files count as the proxy's memory with no bound but the node's. They are small certificates and bootstrap files; a sizeLimit would make that explicit.", v.name, names(&unlimited)));
        } else if ed.size_limit.is_none() {
            f.push("memory-emptydir", Severity::Info, None, &steps,
                format!("emptyDir '{}' is memory-backed (tmpfs): what {who} write into it counts as their memory, up to the pod's memory limit. Set sizeLimit to bound it, and leave room for it in the writers' limits.", v.name));
        } else if !unlimited.is_empty() {
            f.push("memory-emptydir", Severity::Warning, None, &steps,
                format!("emptyDir '{}' is memory-backed (tmpfs): files written into it count against the memory of the container that writes them, and {} set no memory limit to account for it.", v.name, names(&unlimited)));
        }
    }

    if spec.share_process_namespace == Some(true) {
        f.push("share-process-namespace", Severity::Info, None, &[key("shareProcessNamespace")],
            "shareProcessNamespace: true lets every container see, and signal, every other container's processes (and read their /proc, environment included). Keep it for debugging or for helpers that must signal the app.".into());
    }

    // Unrelated containers: several apps sharing nothing.
    if app_names.len() > 1
        && spec.init_containers.as_ref().is_none_or(|v| {
            v.iter()
                .all(|c| c.restart_policy.as_deref() != Some("Always"))
        })
    {
        let apps: Vec<_> = spec
            .containers
            .iter()
            .filter(|c| app_names.contains(&c.name.as_str()))
            .collect();
        let shares_volume = {
            let mut seen = BTreeSet::new();
            let mut shared = false;
            for c in &apps {
                for m in c.volume_mounts.iter().flatten() {
                    if !seen.insert(m.name.clone()) {
                        shared = true;
                    }
                }
            }
            shared
        };
        let talks_loopback = apps.iter().any(|c| {
            let text: String = c
                .args
                .iter()
                .flatten()
                .chain(c.command.iter().flatten())
                .chain(c.env.iter().flatten().filter_map(|e| e.value.as_ref()))
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            text.contains("localhost") || text.contains("127.0.0.1")
        });
        if !shares_volume && !talks_loopback && !pod.spec.share_process_namespace.unwrap_or(false) {
            f.push("unrelated-containers", Severity::Info, None, &[key("containers")],
                format!("{} share no volume and no localhost traffic: if they do not need to live and die together, separate pods (or Deployments) let each scale and restart on its own.", names(&app_names)));
        }
    }

    // Resources per container.
    let app_cpu: i128 = containers
        .iter()
        .filter(|c| c.pattern == Pattern::App)
        .filter_map(|c| c.requests.get("cpu"))
        .map(|q| q.milli)
        .sum();
    let app_mem: i128 = containers
        .iter()
        .filter(|c| c.pattern == Pattern::App)
        .filter_map(|c| c.requests.get("memory"))
        .map(|q| q.milli)
        .sum();
    for (section, i, c) in pod.all_containers() {
        let steps = container_steps(section, i);
        let report = by_name.get(c.name.as_str());
        let r = c.resources.as_ref();
        for (res, req) in r.and_then(|r| r.requests.as_ref()).into_iter().flatten() {
            if let Some(lim) = r.and_then(|r| r.limits.as_ref()).and_then(|l| l.get(res)) {
                if let (Ok(rq), Ok(lq)) = (Quantity::parse(&req.0), Quantity::parse(&lim.0)) {
                    if rq.round_up_milli() > lq.round_up_milli() {
                        f.push("requests-exceed-limits", Severity::Error, Some(&c.name), &with(steps.clone(), &["resources", "requests", res]),
                            format!("'{}' requests {res} {} but limits it to {}: the API server rejects a request above its limit. Raise the limit or lower the request.", c.name, rq.canonical(), lq.canonical()));
                    }
                }
            }
        }
        if let Some(rep) = report {
            let missing: Vec<&str> = ["cpu", "memory"]
                .into_iter()
                .filter(|k| !rep.requests.contains_key(*k))
                .collect();
            // Native sidecars have their own rule with the numbers (sidecar-missing-requests).
            let own_rule = rep.form == Form::NativeSidecar && version.sidecar_gate().enabled();
            if !missing.is_empty() && !own_rule {
                let role = match rep.form {
                    Form::Init => "init container",
                    Form::NativeSidecar => "native sidecar",
                    Form::Container => "container",
                };
                let consequence = if rep.form == Form::NativeSidecar {
                    " A native sidecar's requests count in every phase after it starts, so leaving them out understates all of them."
                } else {
                    ""
                };
                f.push("missing-requests", Severity::Warning, Some(&c.name), &with(steps.clone(), &["resources"]),
                    format!("{role} '{}' requests no {}: the scheduler reserves nothing for it, so the node can be overcommitted.{consequence} Set requests from observed use.", c.name, missing.join(" or ")));
            }
            if rep.pattern != Pattern::App && rep.form != Form::Init && !app_names.is_empty() {
                let cpu = rep.requests.get("cpu").map(|q| q.milli).unwrap_or(0);
                let mem = rep.requests.get("memory").map(|q| q.milli).unwrap_or(0);
                let over: Vec<&str> = [
                    ("cpu", cpu > app_cpu && app_cpu > 0),
                    ("memory", mem > app_mem && app_mem > 0),
                ]
                .into_iter()
                .filter(|(_, b)| *b)
                .map(|(n, _)| n)
                .collect();
                if !over.is_empty() {
                    f.push("helper-outweighs-app", Severity::Info, Some(&c.name), &with(steps.clone(), &["resources"]),
                        format!("{} '{}' requests more {} than {} it serves. If that is its real use, check it belongs in this pod; if not, lower its requests.", rep.pattern.as_str(), c.name, over.join(" and "), names(&app_names)));
                }
            }
        }
        if let Some(image) = &c.image {
            let last = image.rsplit('/').next().unwrap_or(image);
            if !image.contains('@') && (!last.contains(':') || last.ends_with(":latest")) {
                f.push("unpinned-image", Severity::Warning, Some(&c.name), &with(steps.clone(), &["image"]),
                    format!("image '{image}' of '{}' {}: each node may pull a different build. Pin a version tag or a digest (@sha256:…).", c.name, if last.ends_with(":latest") { "is :latest" } else { "has no tag, so it means :latest" }));
            }
        }
    }

    // Migrations in init containers, run by every replica.
    let replicas = pod.replicas.unwrap_or(2);
    let hpa_max = hpas.iter().map(|h| h.max_replicas).max();
    if replicas > 1
        || hpa_max.is_some_and(|m| m > 1)
        || pod.kind == crate::manifest::Kind::DaemonSet
    {
        for (i, c) in spec.init_containers.iter().flatten().enumerate() {
            if c.restart_policy.as_deref() == Some("Always") {
                continue;
            }
            let image = c.image.as_deref().unwrap_or("").to_ascii_lowercase();
            let text = command_text(c).to_ascii_lowercase();
            if image.contains("flyway")
                || image.contains("liquibase")
                || text.contains("migrate")
                || text.contains("migration")
            {
                let count = match pod.replicas {
                    Some(n) if pod.kind != crate::manifest::Kind::DaemonSet => {
                        format!("{n} replicas")
                    }
                    _ => "every pod".to_string(),
                };
                f.push("init-migration-replicas", Severity::Warning, Some(&c.name), &container_steps("initContainers", i),
                    format!("init container '{}' runs a migration, and {count}{} run it at the same time on every rollout. Run it once (a Job, a Helm hook, or a migration tool's lock).", c.name, hpa_max.map(|m| format!(" (up to {m} with the autoscaler)")).unwrap_or_default()));
            }
        }
    }

    // Autoscalers that target this workload.
    for h in hpas {
        for m in &h.metrics {
            let diag =
                |severity: Severity, container: Option<String>, message: String| Diagnostic {
                    rule: "hpa-resource-metric".into(),
                    severity,
                    message,
                    container,
                    line: m.line,
                    path: Some(format!("spec.metrics[{}]", m.index)),
                    file: h.file.clone(),
                    waived: None,
                };
            let multi = containers.iter().filter(|c| c.form != Form::Init).count() > 1;
            if m.kind == "Resource" && multi {
                let res = m.resource.clone().unwrap_or_else(|| "cpu".into());
                let app = app_names.first().copied().unwrap_or("app");
                let how = if version.hpa_container_metrics_gate().enabled() {
                    format!("Use type: ContainerResource with container: {app} to follow the app alone.")
                } else {
                    "ContainerResource metrics need the HPAContainerMetrics gate (on by default from 1.27).".to_string()
                };
                f.out.push(diag(Severity::Warning, None, format!(
                    "HPA '{}' scales on the pod's average {res} utilisation, which mixes the app with its helpers: a busy app beside idle sidecars looks half as busy. {how}", h.name)));
            }
            if m.kind == "ContainerResource" {
                let named = m.container.clone().unwrap_or_default();
                if !version.hpa_container_metrics_gate().enabled() {
                    f.out.push(diag(Severity::Error, Some(named.clone()), format!(
                        "HPA '{}' uses a ContainerResource metric, but at Kubernetes {version} the HPAContainerMetrics gate is alpha and off: the metric is refused. Target 1.27+ or use a Resource metric.", h.name)));
                } else if !containers.iter().any(|c| c.name == named) {
                    f.out.push(diag(Severity::Warning, Some(named.clone()), format!(
                        "HPA '{}' follows container '{named}', which this pod does not have: the autoscaler cannot compute the metric. Name one of {}.", h.name, names(&containers.iter().map(|c| c.name.as_str()).collect::<Vec<_>>()))));
                }
            }
        }
    }

    f.out
        .sort_by(|a, b| a.severity.cmp(&b.severity).then(a.line.cmp(&b.line)));
    f.out
}

fn names(list: &[&str]) -> String {
    let q: Vec<String> = list.iter().map(|n| format!("'{n}'")).collect();
    match q.len() {
        0 => "the app".into(),
        1 => q[0].clone(),
        n => format!("{} and {}", q[..n - 1].join(", "), q[n - 1]),
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Checks that judge each container by its role: a helper's probe never counts for the app, nor
/// the reverse.
pub fn check_roles(
    pod: &PodObject,
    containers: &[ContainerReport],
    report: &crate::model::ResourceReport,
    version: KubeVersion,
    hpas: &[&HpaObject],
    services: &[&crate::manifest::ServiceObject],
) -> Vec<Diagnostic> {
    let mut f = Findings {
        pod,
        out: Vec::new(),
    };
    let spec = &pod.spec;
    let batch = pod.kind.is_batch();
    let judged = |c: &ContainerReport| {
        let role = match (c.form, c.pattern) {
            (Form::NativeSidecar, _) => "a native sidecar".to_string(),
            (Form::Init, _) => "an init container".to_string(),
            (_, Pattern::App) => "the app".to_string(),
            (_, p) => format!("{} {} in containers", article(p.as_str()), p.as_str()),
        };
        let because = c.evidence.first().cloned().unwrap_or_default();
        format!("Judged as {role} because {because}.")
    };
    for c in containers {
        let spec_c = match c.section.as_str() {
            "initContainers" => spec.init_containers.as_ref().and_then(|v| v.get(c.index)),
            _ => spec.containers.get(c.index),
        };
        let Some(spec_c) = spec_c else { continue };
        let steps = container_steps(&c.section, c.index);
        if c.pattern == Pattern::App && c.form == Form::Container && !batch {
            if spec_c.readiness_probe.is_none() {
                let targeted: Vec<String> = services
                    .iter()
                    .map(|s| format!("Service '{}'", s.name))
                    .chain(hpas.iter().map(|h| format!("autoscaler '{}'", h.name)))
                    .collect();
                let (severity, whom) = if targeted.is_empty() {
                    (Severity::Info, String::new())
                } else {
                    (
                        Severity::Warning,
                        format!(
                            " {} rel{} on it, and",
                            targeted.join(" and "),
                            if targeted.len() == 1 { "ies" } else { "y" }
                        ),
                    )
                };
                f.push("app-no-readiness-probe", severity, Some(&c.name), &steps,
                    format!("'{}' has no readinessProbe:{whom} it counts as ready the moment it starts, before it can serve. Add a readinessProbe on the endpoint that shows it can. {}", c.name, judged(c)));
            }
            if spec_c.liveness_probe.is_none() {
                f.push("app-no-liveness-probe", Severity::Info, Some(&c.name), &steps,
                    format!("'{}' has no livenessProbe: if it hangs without exiting, nothing restarts it. Add one that fails only when a restart would help. {}", c.name, judged(c)));
            }
        }
        if c.form == Form::Container
            && c.pattern != Pattern::App
            && !batch
            && spec_c.readiness_probe.is_some()
        {
            f.push("helper-readiness-gates-pod", Severity::Info, Some(&c.name), &with(steps.clone(), &["readinessProbe"]),
                format!("'{}' has a readinessProbe, and a pod is ready only when every entry of containers is: if '{}' fails it, the pod leaves the Service although the app is fine. Keep it only if the app is useless without it. {}", c.name, c.name, judged(c)));
        }
        if c.form == Form::NativeSidecar && version.sidecar_gate().enabled() {
            let missing: Vec<&str> = ["cpu", "memory"]
                .into_iter()
                .filter(|k| !c.requests.contains_key(*k))
                .collect();
            if !missing.is_empty() {
                // What the pod would reserve with a typical sidecar request instead of nothing.
                let typical = [("cpu", "100m"), ("memory", "128Mi")];
                let mut pr = crate::resources::pod_resources(spec, version);
                if let Some(sc) = pr.init_containers.get_mut(c.index) {
                    for (k, v) in typical.iter().filter(|(k, _)| missing.contains(k)) {
                        sc.requests.insert(
                            k.to_string(),
                            crate::quantity::Quantity::parse(v)
                                .unwrap_or(crate::quantity::Quantity::ZERO),
                        );
                    }
                }
                let with_typical = crate::resources::pod_requests(&pr);
                let change: Vec<String> = missing
                    .iter()
                    .map(|k| {
                        let now = report
                            .requests
                            .get(*k)
                            .map(|q| q.quantity.clone())
                            .unwrap_or_else(|| "0".into());
                        let then = with_typical
                            .get(*k)
                            .map(|q| q.canonical())
                            .unwrap_or_else(|| "0".into());
                        format!("{k} {now} → {then}")
                    })
                    .collect();
                let assumed: Vec<String> = typical
                    .iter()
                    .filter(|(k, _)| missing.contains(k))
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect();
                f.push("sidecar-missing-requests", Severity::Warning, Some(&c.name), &with(steps.clone(), &["resources"]),
                    format!("native sidecar '{}' requests no {}, yet it runs beside every container after it, so the pod's reservation leaves it out. With a typical {} the effective request would be {}. Set its requests from observed use. {}", c.name, missing.join(" or "), assumed.join(" / "), change.join(", "), judged(c)));
            }
        }
    }
    // One finding per init container, naming every resource it sets.
    let mut by_init: Vec<(&str, Vec<String>)> = Vec::new();
    for (res, who) in &report.winners {
        let Some(name) = who.strip_prefix("init:") else {
            continue;
        };
        let total = report
            .requests
            .get(res)
            .map(|q| q.quantity.clone())
            .unwrap_or_default();
        let running = report
            .steps
            .iter()
            .find(|p| p.kind == "running")
            .and_then(|p| p.requests.get(res))
            .map(|q| q.quantity.clone())
            .unwrap_or_else(|| "0".into());
        let text = format!("{res} {total} (the running pod needs {running})");
        match by_init.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push(text),
            None => by_init.push((name, vec![text])),
        }
    }
    for (name, sets) in by_init {
        let Some(c) = containers
            .iter()
            .find(|c| c.name == name && c.form == Form::Init)
        else {
            continue;
        };
        f.push("init-sets-reservation", Severity::Info, Some(name), &with(container_steps("initContainers", c.index), &["resources"]),
            format!("init container '{name}' asks for more than the running pod: {}. The scheduler reserves that for the pod's whole life. If it needs that much only briefly, that is the price; otherwise lower its request. {}", sets.join(", "), judged(c)));
    }
    f.out
}

/// A container's command and args as one line of text.
fn command_text(c: &k8s_openapi::api::core::v1::Container) -> String {
    c.command
        .iter()
        .flatten()
        .chain(c.args.iter().flatten())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

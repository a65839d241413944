//! The diagnostic catalogue as data: id, severity, summary, versions, upstream source, docs.
//!
//! Severities follow upstream: what the API server rejects is an error; what it warns about, or
//! what bites in production, is a warning; advice is info.

use crate::model::Severity;
use serde::Serialize;

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
    Rule { id: "stop-signal-ignored", severity: Severity::Warning, summary: "lifecycle.stopSignal where the ContainerStopSignals gate is absent or off: the API server drops it and the image's STOPSIGNAL (SIGTERM by default) is sent.", versions: "all; alpha (off) from 1.33", source: "KEP-4960; pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer", docs: "https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/" },
    Rule { id: "hook-sleep-unsupported", severity: Severity::Error, summary: "A postStart or preStop hook uses the sleep action where PodLifecycleSleepAction is absent or off: the action is dropped and a hook with no handler is refused.", versions: "before 1.30", source: "KEP-3960; pkg/api/pod/util.go dropDisabledFields; validation.go validateHandler", docs: "https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-implementations" },
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

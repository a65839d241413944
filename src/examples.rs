//! Built-in manifests, written for podlab, compiled into the page so loading one makes no request.

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub text: &'static str,
}

pub const EXAMPLES: &[Example] = &[
    Example {
        id: "native-sidecar",
        title: "Native sidecars beside a web app (800m, not 500m)",
        text: include_str!("../static/examples/native-sidecar.yaml"),
    },
    Example {
        id: "init-migration",
        title: "Init containers: wait, then migrate",
        text: include_str!("../static/examples/init-migration.yaml"),
    },
    Example {
        id: "ambassador",
        title: "Ambassador: twemproxy in front of Redis",
        text: include_str!("../static/examples/ambassador.yaml"),
    },
    Example {
        id: "adapter",
        title: "Adapter: a JMX exporter for a legacy app",
        text: include_str!("../static/examples/adapter.yaml"),
    },
    Example {
        id: "job-classic-sidecar",
        title: "Pitfall: a classic sidecar keeps a Job running",
        text: include_str!("../static/examples/job-classic-sidecar.yaml"),
    },
    Example {
        id: "job-native-sidecar",
        title: "Fix: the same Job with a native sidecar",
        text: include_str!("../static/examples/job-native-sidecar.yaml"),
    },
    Example {
        id: "hpa-pod-average",
        title: "Pitfall: an autoscaler on the pod's average CPU",
        text: include_str!("../static/examples/hpa-pod-average.yaml"),
    },
    Example {
        id: "memory-emptydir",
        title: "Pitfall: a memory-backed emptyDir without bounds",
        text: include_str!("../static/examples/memory-emptydir.yaml"),
    },
    Example {
        id: "unrelated-containers",
        title: "Pitfall: two unrelated apps in one pod",
        text: include_str!("../static/examples/unrelated-containers.yaml"),
    },
    Example {
        id: "init-container-mistakes",
        title: "Mistakes the API server rejects",
        text: include_str!("../static/examples/init-container-mistakes.yaml"),
    },
];

pub const DEFAULT: &str = "native-sidecar";

pub fn by_id(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

/// The manifest the page opens with.
pub fn default_text() -> &'static str {
    by_id(DEFAULT).map(|e| e.text).unwrap_or("")
}

//! The built-in workshop: a lesson deck written for podlab, compiled into the page. It walks the
//! four patterns, native against classic sidecars, the requests the scheduler reserves, the
//! pitfalls, and reading a live pod that is stuck. Notes attach to containers by name, so they stay put when a line moves.

use podlab_engine::share::{Deck, Lesson, Note};

fn note(container: &str, text: &str) -> Note {
    Note {
        line: None,
        container: Some(container.into()),
        text: text.into(),
    }
}

fn lesson(title: &str, text: &str, manifest: &str, notes: Vec<Note>, quiz: bool) -> Lesson {
    Lesson {
        title: title.into(),
        text: text.into(),
        manifest: manifest.into(),
        notes,
        kubernetes_version: None,
        quiz,
    }
}

pub fn deck() -> Deck {
    Deck {
        title: "Multi-container pods in ten steps".into(),
        lessons: vec![
            lesson(
                "Init containers: get ready, then start",
                "Init containers run one at a time, in the order written, and each must finish before the next begins. Only when the last one has succeeded do the app containers start.\n\nBefore the reveal: name each container's pattern.",
                include_str!("../static/examples/init-migration.yaml"),
                vec![
                    note("wait-for-db", "Blocks until the database answers. If it never does, the pod stays in Init and never serves."),
                    note("migrate", "Needs more memory than the app: watch what that does to the pod's requests."),
                ],
                true,
            ),
            lesson(
                "The classic sidecar",
                "A sidecar adds something the app lacks, here log shipping, and lives as long as the app does. Written as a second entry in containers, it starts alongside the app, with nothing making the app wait for it, and the kubelet stops both at the same moment.",
                include_str!("../static/workshop/classic-sidecar.yaml"),
                vec![note("log-shipper", "Reads the app's log files through the shared emptyDir volume.")],
                true,
            ),
            lesson(
                "The native sidecar",
                "Since Kubernetes 1.29 (on by default; generally available in 1.33) a sidecar can be an init container with restartPolicy: Always. It starts before the app (after its startup probe passes, when it has one), restarts on its own if it dies, and stops only after the app has stopped.\n\nWhich container is which, and in what order do they start?",
                include_str!("../static/examples/native-sidecar.yaml"),
                vec![note("log-shipper", "restartPolicy: Always inside initContainers: that one line makes this a native sidecar.")],
                true,
            ),
            lesson(
                "The ambassador",
                "An ambassador is a sidecar that stands in for something outside the pod. The app talks to localhost; the ambassador knows where the real service is and how to reach it.",
                include_str!("../static/examples/ambassador.yaml"),
                vec![note("redis-ambassador", "The app only ever sees localhost:6379; the shards behind it can change freely.")],
                true,
            ),
            lesson(
                "The adapter",
                "An adapter is a sidecar that translates what the app emits into the shape the outside world expects, such as JMX metrics turned into Prometheus metrics, without touching the app.",
                include_str!("../static/examples/adapter.yaml"),
                vec![note("jmx-exporter", "Serves what the app exposes as JMX on a port that Prometheus scrapes.")],
                true,
            ),
            lesson(
                "What the scheduler reserves",
                "The scheduler does not add up every container. Init containers run one at a time, so only the largest phase counts; a native sidecar keeps running, so it adds to every phase that starts after it.\n\nWork out the pod's cpu request before the reveal, then compare with the derivation.",
                include_str!("../static/workshop/effective-requests.yaml"),
                vec![
                    note("seed-cache", "1 cpu on its own, plus the sidecar that is already running."),
                    note("log-agent", "Counts in every later phase, because it keeps running."),
                ],
                false,
            ),
            lesson(
                "Pitfall: a Job that never completes",
                "A Job completes when its pod succeeds, and its pod succeeds when every container has exited. A classic sidecar never exits by itself, so the Job hangs after its work is done.",
                include_str!("../static/examples/job-classic-sidecar.yaml"),
                vec![note("log-shipper", "Still running after report has finished: the pod never reaches Succeeded.")],
                false,
            ),
            lesson(
                "The fix: a native sidecar in the Job",
                "The same Job, with the shipper as a native sidecar. When report exits, the kubelet stops the sidecar and the Job completes.",
                include_str!("../static/examples/job-native-sidecar.yaml"),
                vec![note("log-shipper", "Stopped by the kubelet once report has exited.")],
                true,
            ),
            lesson(
                "Reading a stuck pod",
                "Paste a pod as kubectl get pod -o yaml prints it, status included, and the page reads the status the way kubectl does. Init:CrashLoopBackOff means an init container keeps failing: the kubelet waits longer before each retry, and nothing after it starts.\n\nBefore the reveal: which container holds the pod back, and which command shows why?",
                include_str!("../static/workshop/stuck-pod.yaml"),
                vec![
                    note("migrate", "Restarted 5 times; its last run exited 1. Its logs from that run are behind --previous."),
                    note("app", "Still PodInitializing: it waits for every init container, however healthy it is."),
                ],
                false,
            ),
            lesson(
                "Pitfall: two apps in one pod",
                "Containers belong in one pod when they must share its life: its network, its volumes, its node. Two apps that merely talk to each other cannot scale, restart or roll out separately when packed together.",
                include_str!("../static/examples/unrelated-containers.yaml"),
                vec![note("notifications-worker", "Has its own life: it belongs in its own Deployment.")],
                false,
            ),
        ],
    }
}

//! The kubectl commands that help debug a workload's containers, with their real names.

use crate::model::{Form, Workload};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Command {
    pub what: String,
    pub command: String,
}

/// `kubectl logs` and `exec` accept `kind/name` for workloads and pick one of their pods;
/// `describe` and `debug` want a pod, found here through the workload's own selector.
pub fn cheat_sheet(w: &Workload) -> Vec<Command> {
    let ns = w
        .namespace
        .as_ref()
        .map(|n| format!(" -n {n}"))
        .unwrap_or_default();
    let target = format!("{}/{}", w.kind.to_ascii_lowercase(), w.name);
    let pod = if w.kind == "Pod" {
        w.name.clone()
    } else {
        "$POD".to_string()
    };
    let mut out = Vec::new();
    if w.kind != "Pod" {
        let finder = match w.kind.as_str() {
            "CronJob" => format!("POD=$(kubectl get pods{ns} -l batch.kubernetes.io/job-name -o name | grep {} | head -1)", w.name),
            "PodTemplate" => format!("POD=<a pod created from {}>", w.name),
            _ => format!("POD=$(kubectl get pods{ns} -o name | grep '^pod/{}-' | head -1)", w.name),
        };
        out.push(Command {
            what: "Pick one of its pods".into(),
            command: finder,
        });
    }
    let logs_target = if matches!(w.kind.as_str(), "CronJob" | "PodTemplate") {
        pod.clone()
    } else {
        target
    };
    out.push(Command {
        what: "See each container's state and the pod's events".into(),
        command: format!("kubectl describe pod {pod}{ns}"),
    });
    for c in &w.containers {
        let role = match c.form {
            Form::Init => "init container",
            Form::NativeSidecar => "native sidecar",
            Form::Container => "container",
        };
        out.push(Command {
            what: format!("Logs of {role} '{}'", c.name),
            command: format!("kubectl logs {logs_target}{ns} -c {}", c.name),
        });
        out.push(Command {
            what: format!("Logs of '{}' before its last restart", c.name),
            command: format!("kubectl logs {logs_target}{ns} -c {} --previous", c.name),
        });
        if c.form != Form::Init {
            out.push(Command {
                what: format!("A shell in '{}'", c.name),
                command: format!("kubectl exec -it {logs_target}{ns} -c {} -- sh", c.name),
            });
            out.push(Command {
                what: format!("Debug '{}' when its image has no shell (an ephemeral container sharing its processes)", c.name),
                command: format!("kubectl debug -it {pod}{ns} --image=busybox:1.37 --target={} -- sh", c.name),
            });
        }
    }
    out
}

//! A pod as it is now: what `kubectl get pod X -o yaml` says in `status`, in words.
//!
//! The STATUS, READY and RESTARTS columns come from
//! [`crate::lifecycle::podstatus::print_pod_parts`], the
//! port of kubectl's printPod that the timeline uses too. On top of it: each container's state,
//! restarts and last termination; the one container that holds the pod back (an init container
//! that has not exited 0, a sidecar that has not started, an app that is not running or not
//! ready, a classic helper keeping a finished Job's pod alive, a container outliving its grace
//! period); findings for the states that need a person (rule ids `live-*`); the kubectl commands
//! to look closer, with the pod's own names; and the requests the scheduler counts for the pod
//! now, which in-place resize (KEP-1287) may have moved away from the spec.
//!
//! Status shapes, as the kubelet and the scheduler write them:
//! - `waiting.reason: CrashLoopBackOff`, message `back-off 5m0s restarting failed container=…`:
//!   pkg/kubelet/kuberuntime/kuberuntime_manager.go `doBackOff`; the back-off doubles from 10 s to
//!   at most 5 minutes (pkg/kubelet/kubelet.go `MaxContainerBackOff`).
//! - `ErrImagePull`, `ImagePullBackOff`, `InvalidImageName`, `ErrImageNeverPull`:
//!   pkg/kubelet/images/types.go.
//! - `terminated.reason: OOMKilled`, exit code 137: set by the runtime, passed on by
//!   pkg/kubelet/kuberuntime/kuberuntime_container.go `toKubeContainerStatus`.
//! - `PodScheduled` False with reason `Unschedulable`: pkg/scheduler/schedule_one.go
//!   `handleSchedulingFailure` (v1.PodReasonUnschedulable).
//! - `status.reason: Evicted`: pkg/kubelet/eviction/eviction_manager.go (`Reason = "Evicted"`,
//!   message from helpers.go `evictionMessage`).
//! - `PodResizePending` (reasons `Deferred`, `Infeasible`) and `PodResizeInProgress` conditions,
//!   `containerStatuses[].allocatedResources` and `.resources`: KEP-1287, pkg/kubelet/status.

use crate::lifecycle::podstatus::api::{ContainerStatus, PodCondition, PodStatus, Time};
use crate::lifecycle::podstatus::{pod_phase, print_pod_parts, PhaseInput};
use crate::manifest::{Kind, PodObject};
use crate::model::{
    ContainerReport, ContainerState, Diagnostic, Form, Live, LiveContainer, LiveResources, Pattern,
    Severity, Termination,
};
use crate::quantity::Quantity;
use crate::resources::{self, List};
use crate::version::KubeVersion;
use crate::yaml::{Node, NodeKind, Step};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The image pull failures of pkg/kubelet/images/types.go.
const IMAGE_REASONS: &[&str] = &[
    "ErrImagePull",
    "ImagePullBackOff",
    "InvalidImageName",
    "ErrImageNeverPull",
    "ImageInspectError",
    "RegistryUnavailable",
    "SignatureValidationFailed",
];

/// What a container status says, with where it stands in the input.
struct Seen<'a> {
    report: &'a ContainerReport,
    status: Option<&'a ContainerStatus>,
    /// `status.initContainerStatuses[i]` or `status.containerStatuses[i]`.
    steps: Vec<Step>,
}

fn time_text(t: &Time) -> Option<String> {
    Some(t.to_string())
}

fn state_of(s: Option<&ContainerStatus>) -> (ContainerState, Option<String>, Option<String>) {
    let Some(st) = s.and_then(|s| s.state.as_ref()) else {
        return (ContainerState::Unknown, None, None);
    };
    if let Some(w) = &st.waiting {
        (ContainerState::Waiting, w.reason.clone(), w.message.clone())
    } else if st.running.is_some() {
        (ContainerState::Running, None, None)
    } else if let Some(t) = &st.terminated {
        (
            ContainerState::Terminated,
            t.reason.clone(),
            t.message.clone(),
        )
    } else {
        (ContainerState::Unknown, None, None)
    }
}

fn last_termination(s: Option<&ContainerStatus>) -> Option<Termination> {
    let t = s?.last_state.as_ref()?.terminated.as_ref()?;
    Some(Termination {
        reason: t.reason.clone(),
        exit_code: t.exit_code,
        signal: t.signal.filter(|s| *s != 0),
        finished_at: t.finished_at.as_ref().and_then(time_text),
    })
}

fn current_termination(s: Option<&ContainerStatus>) -> Option<Termination> {
    let t = s?.state.as_ref()?.terminated.as_ref()?;
    Some(Termination {
        reason: t.reason.clone(),
        exit_code: t.exit_code,
        signal: t.signal.filter(|s| *s != 0),
        finished_at: t.finished_at.as_ref().and_then(time_text),
    })
}

fn exit_words(t: &Termination) -> String {
    let how = match t.signal {
        Some(sig) => format!("signal {sig}"),
        None => format!("exit code {}", t.exit_code),
    };
    match &t.reason {
        Some(r) if !r.is_empty() => format!("{how} ({r})"),
        _ => how,
    }
}

fn condition<'a>(status: &'a PodStatus, type_: &str) -> Option<&'a PodCondition> {
    status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == type_)
}

/// Reads a Pod's `status`, when it carries one that says anything.
pub fn read(
    pod: &PodObject,
    containers: &[ContainerReport],
    version: KubeVersion,
) -> Option<(Live, Vec<Diagnostic>)> {
    if pod.kind != Kind::Pod {
        return None;
    }
    let node = pod.root.get("status")?;
    // `kubectl create --dry-run=client -o yaml` prints `status: {}`: nothing is running. Said
    // here, before the status is decoded, so that a manifest without a live status runs none of
    // what follows (the page loads that code after its first analysis: crates/split).
    if matches!(&node.kind, NodeKind::Map(entries) if entries.is_empty()) {
        return None;
    }
    read_status(pod, node, containers, version)
}

/// [`read`] of a Pod whose `status` has entries.
#[inline(never)]
fn read_status(
    pod: &PodObject,
    node: &Node,
    containers: &[ContainerReport],
    version: KubeVersion,
) -> Option<(Live, Vec<Diagnostic>)> {
    let status = PodStatus::deserialize(crate::yaml::json::Json::new(node)).ok()?;
    if status == PodStatus::default() {
        return None;
    }
    let meta = pod.root.get("metadata");
    let meta_str = |k: &str| {
        meta.and_then(|m| m.get(k))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let deletion = meta_str("deletionTimestamp");
    let row = print_pod_parts(&pod.spec, &status, deletion.is_some());
    let init_statuses = status
        .init_container_statuses
        .as_deref()
        .unwrap_or_default();
    let main_statuses = status.container_statuses.as_deref().unwrap_or_default();
    let phase = phase_of(
        pod,
        status.phase.as_deref(),
        init_statuses,
        main_statuses,
        version,
    );
    let seen = seen_statuses(containers, init_statuses, main_statuses);

    let mut w = Words::new(pod);
    let mut blocked_by: Option<String> = None;

    let unschedulable = evicted_or_unschedulable(&mut w, &status);
    let initialized = has_initialized(main_statuses);
    if !unschedulable && !initialized {
        blocked_by = init_holding_back(&mut w, &seen);
    }

    // The entries of containers, once initialisation is through.
    if blocked_by.is_none() && !unschedulable {
        blocked_by = main_holding_back(&mut w, &seen, &phase);
    }

    oom_killed(&mut w, &seen);

    helper_blocks_completion(&mut w, &seen, deletion.is_some(), &mut blocked_by);

    if let Some(deadline) = &deletion {
        terminating(&mut w, &seen, &status, deadline, &mut blocked_by);
    }

    if w.explanation.is_empty() && w.findings.is_empty() {
        w.explanation.push(match phase.as_str() {
            "Running" => format!(
                "Every container is where it should be: {} ready.",
                row.ready
            ),
            "Succeeded" => "Every container has finished successfully.".into(),
            p => format!("The pod is {p}."),
        });
    }
    w.commands.dedup();
    if w.commands.is_empty() {
        w.commands.push(w.describe.clone());
    }

    let live_containers = live_containers(&seen, blocked_by.as_deref());

    let resources = live_resources(pod, &status, version);
    let mut explanation: Vec<String> = w.findings.iter().map(|d| d.message.clone()).collect();
    explanation.extend(w.explanation);
    explanation.extend(resources.differences.iter().cloned());
    let live = Live {
        status: row.status,
        ready: row.ready,
        restarts: row.restarts,
        phase,
        blocked_by,
        containers: live_containers,
        explanation,
        commands: w.commands,
        resources,
    };
    Some((live, w.findings))
}

/// Whether the pod was evicted or cannot be scheduled, said in `w`; true when unschedulable.
fn evicted_or_unschedulable(w: &mut Words, status: &PodStatus) -> bool {
    let scheduled = condition(status, "PodScheduled");
    let unschedulable = scheduled
        .is_some_and(|c| c.status == "False" && c.reason.as_deref() == Some("Unschedulable"));

    if status.reason.as_deref() == Some("Evicted") {
        // eviction_manager.go: the pod is Failed for good; its controller makes a new one.
        w.finding(
            "live-evicted",
            Severity::Warning,
            None,
            &[Step::Key("status".into())],
            format!(
                "The kubelet evicted this pod: {} An evicted pod stays Failed and is not restarted; its controller, if it has one, creates a replacement. Requests close to actual use (and limits) keep the kubelet from picking it under node pressure.",
                status.message.as_deref().unwrap_or("the node ran low on a resource.").trim()
            ),
        );
    } else if unschedulable {
        w.finding(
            "live-unschedulable",
            Severity::Warning,
            None,
            &[Step::Key("status".into())],
            format!(
                "No node can take this pod (PodScheduled is False, reason Unschedulable): {} The scheduler places the pod on its effective requests (below), which count native sidecars for the whole pod's life.",
                scheduled.and_then(|c| c.message.as_deref()).unwrap_or("").trim()
            ),
        );
        w.commands.push(w.describe.clone());
    }
    unschedulable
}

/// Once an entry of containers has run, initialisation is over (the kubelet's
/// HasAnyActiveRegularContainerStarted), whatever the init statuses say.
fn has_initialized(main_statuses: &[ContainerStatus]) -> bool {
    main_statuses.iter().any(|s| {
        s.state
            .as_ref()
            .is_some_and(|st| st.running.is_some() || st.terminated.is_some())
            || s.last_state
                .as_ref()
                .is_some_and(|st| st.terminated.is_some())
    })
}

/// The pod's phase as written, or as getPhase reads it from the container statuses.
fn phase_of(
    pod: &PodObject,
    written: Option<&str>,
    init_statuses: &[ContainerStatus],
    main_statuses: &[ContainerStatus],
    version: KubeVersion,
) -> String {
    match written {
        Some(p) if !p.is_empty() => p.to_string(),
        _ => pod_phase(
            &pod.spec,
            PhaseInput {
                statuses: main_statuses,
                init_statuses,
                pod_is_terminal: false,
                pod_has_initialized: false,
                container_restart_rules: version.container_restart_rules_gate().enabled(),
            },
        )
        .as_str()
        .to_string(),
    }
}

/// Each container's status, if the pod has one for it, and where that stands in the input.
fn seen_statuses<'a>(
    containers: &'a [ContainerReport],
    init_statuses: &'a [ContainerStatus],
    main_statuses: &'a [ContainerStatus],
) -> Vec<Seen<'a>> {
    containers
        .iter()
        .map(|c| {
            let (list, key) = if c.section.is_init() {
                (init_statuses, "initContainerStatuses")
            } else {
                (main_statuses, "containerStatuses")
            };
            let found = list.iter().position(|s| s.name == c.name);
            Seen {
                report: c,
                status: found.map(|i| &list[i]),
                steps: match found {
                    Some(i) => vec![
                        Step::Key("status".into()),
                        Step::Key(key.into()),
                        Step::Index(i),
                    ],
                    None => vec![Step::Key("status".into())],
                },
            }
        })
        .collect()
}

/// Init containers, in order: the first that is not done holds everything after it. Returns
/// its name, having said why in `w`.
fn init_holding_back(w: &mut Words, seen: &[Seen]) -> Option<String> {
    let pod = w.pod;
    for s in seen.iter().filter(|s| s.report.section.is_init()) {
        let name = s.report.name.as_str();
        let (state, reason, _) = state_of(s.status);
        let restarts = s.status.map_or(0, |s| s.restart_count);
        let last = last_termination(s.status).or_else(|| current_termination(s.status));
        let sidecar = s.report.form == Form::NativeSidecar;
        if !sidecar {
            // kuberuntime_container.go computeInitContainerActions: an init container is
            // done once it has exited 0.
            if matches!(current_termination(s.status), Some(t) if t.exit_code == 0) {
                continue;
            }
        } else if s.status.and_then(|s| s.started) == Some(true) {
            continue;
        }
        if w.image_pull(s, reason.as_deref()) {
            return Some(name.to_string());
        }
        let failed = state == ContainerState::Terminated
            || reason.as_deref() == Some("CrashLoopBackOff")
            || state != ContainerState::Running
                && last.as_ref().is_some_and(|t| t.exit_code != 0)
                && restarts > 0;
        if sidecar && !failed {
            let has_probe = pod
                .spec
                .init_containers
                .iter()
                .flatten()
                .find(|c| c.name == name)
                .is_some_and(|c| c.startup_probe.is_some());
            if state == ContainerState::Running && has_probe {
                let again = if restarts > 0 {
                    format!(" It has been restarted {restarts} times: the kubelet kills a container whose startupProbe fails failureThreshold times in a row, and a sidecar is restarted whatever the pod's restartPolicy.")
                } else {
                    String::new()
                };
                w.finding("live-startup-probe-failing", Severity::Warning, Some(name), &s.steps,
                    format!("Native sidecar '{name}' is running but has not passed its startupProbe (started: false), so the containers after it have not started.{again} The probe's failures are in the pod's events."));
                w.commands.push(w.describe.clone());
            } else {
                w.explanation.push(format!(
                    "Native sidecar '{name}' has not started yet; the containers after it wait for it."
                ));
            }
            return Some(name.to_string());
        }
        if failed {
            let how = last
                .as_ref()
                .map(|t| format!(" It last exited with {}", exit_words(t)))
                .unwrap_or_default();
            let role = if sidecar {
                "Native sidecar"
            } else {
                "Init container"
            };
            let wait = if pod.spec.restart_policy.as_deref() == Some("Never") && !sidecar {
                " Under restartPolicy Never the pod has failed: it is not retried.".to_string()
            } else {
                format!(" The kubelet restarts it with a growing back-off (10 s doubling to 5 minutes); it has restarted {restarts} times, and nothing after it starts until it {}.", if sidecar { "starts" } else { "exits 0" })
            };
            w.finding(
                "live-init-failing",
                Severity::Warning,
                Some(name),
                &s.steps,
                format!(
                    "{role} '{name}' keeps failing.{how}.{wait} Its last output: {}",
                    w.logs(name)
                ),
            );
            w.commands.push(w.logs(name));
            w.commands.push(w.describe.clone());
        } else if state == ContainerState::Running {
            w.explanation.push(format!(
                "Init container '{name}' is running; the next container starts once it exits 0."
            ));
        } else {
            w.explanation.push(format!(
                "Init container '{name}' is waiting to start{}.",
                reason.map(|r| format!(" ({r})")).unwrap_or_default()
            ));
        }
        return Some(name.to_string());
    }
    None
}

/// The entries of containers: the first that holds the pod back, having said why in `w`.
fn main_holding_back(w: &mut Words, seen: &[Seen], phase: &str) -> Option<String> {
    let mut blocked_by: Option<String> = None;
    for s in seen.iter().filter(|s| !s.report.section.is_init()) {
        let name = s.report.name.as_str();
        let (state, reason, message) = state_of(s.status);
        let restarts = s.status.map_or(0, |s| s.restart_count);
        if w.image_pull(s, reason.as_deref()) {
            blocked_by.get_or_insert_with(|| name.to_string());
            continue;
        }
        match state {
            ContainerState::Waiting if reason.as_deref() == Some("CrashLoopBackOff") => {
                let how = last_termination(s.status)
                    .map(|t| format!(" It last exited with {}.", exit_words(&t)))
                    .unwrap_or_default();
                w.finding("live-crash-loop", Severity::Warning, Some(name), &s.steps,
                    format!("Container '{name}' is crash-looping (CrashLoopBackOff, {restarts} restarts).{how} The kubelet restarts it with a growing back-off (10 s doubling to 5 minutes). Its last output: {}", w.logs(name)));
                w.commands.push(w.logs(name));
                blocked_by.get_or_insert_with(|| name.to_string());
            }
            ContainerState::Waiting => {
                let r = reason.unwrap_or_else(|| "waiting".into());
                let m = message.map(|m| format!(": {m}")).unwrap_or_default();
                w.explanation
                    .push(format!("Container '{name}' has not started ({r}{m})."));
                blocked_by.get_or_insert_with(|| name.to_string());
            }
            ContainerState::Running if !s.status.is_some_and(|s| s.ready) => {
                w.explanation.push(format!(
                    "Container '{name}' is running but not ready: its readinessProbe has not passed, so the pod gets no Service traffic."
                ));
                if phase == "Running" {
                    blocked_by.get_or_insert_with(|| name.to_string());
                }
            }
            _ => {}
        }
    }
    blocked_by
}

/// OOMKilled, now or last time: say which limit and which memory-backed volume.
fn oom_killed(w: &mut Words, seen: &[Seen]) {
    let pod = w.pod;
    for s in seen {
        let t = current_termination(s.status)
            .filter(|t| t.reason.as_deref() == Some("OOMKilled"))
            .or_else(|| {
                last_termination(s.status).filter(|t| t.reason.as_deref() == Some("OOMKilled"))
            });
        if t.is_none() {
            continue;
        }
        let name = s.report.name.as_str();
        let limit = s
            .report
            .limits
            .get("memory")
            .map(|q| format!("its memory limit of {}", q.quantity))
            .unwrap_or_else(|| "the node's memory (it sets no memory limit)".into());
        let spec_c = pod
            .all_containers()
            .find(|(_, _, c)| c.name == name)
            .map(|(_, _, c)| c);
        let tmpfs: Vec<String> = pod
            .spec
            .volumes
            .iter()
            .flatten()
            .filter(|v| v.empty_dir.as_ref().and_then(|e| e.medium.as_deref()) == Some("Memory"))
            .filter_map(|v| {
                let m = spec_c?
                    .volume_mounts
                    .iter()
                    .flatten()
                    .find(|m| m.name == v.name && m.read_only != Some(true))?;
                let size = v
                    .empty_dir
                    .as_ref()
                    .and_then(|e| e.size_limit.as_ref())
                    .map(|q| format!(", sizeLimit {}", q.0))
                    .unwrap_or_default();
                Some(format!("'{}' at {}{size}", v.name, m.mount_path))
            })
            .collect();
        let volumes = if tmpfs.is_empty() {
            String::new()
        } else {
            // empty_dir.go: a medium: Memory emptyDir is tmpfs, charged to the writer's cgroup.
            format!(
                " It writes the memory-backed emptyDir {}: what it holds counts against the same limit.",
                tmpfs.join(" and ")
            )
        };
        w.finding("live-oom-killed", Severity::Warning, Some(name), &s.steps,
            format!("Container '{name}' was OOMKilled (exit code 137): it used more than {limit}.{volumes} Raise the limit, or find what grows."));
    }
}

/// A pod meant to finish: the apps are done, a classic helper still runs.
fn helper_blocks_completion(
    w: &mut Words,
    seen: &[Seen],
    deleting: bool,
    blocked_by: &mut Option<String>,
) {
    let pod = w.pod;
    let finishes = pod
        .spec
        .restart_policy
        .as_deref()
        .is_some_and(|p| p != "Always");
    if finishes && !deleting {
        let apps_done = seen
            .iter()
            .filter(|s| !s.report.section.is_init() && s.report.pattern == Pattern::App)
            .all(|s| current_termination(s.status).is_some());
        let helper = seen.iter().find(|s| {
            !s.report.section.is_init()
                && s.report.pattern != Pattern::App
                && state_of(s.status).0 == ContainerState::Running
        });
        if let (true, Some(h)) = (apps_done, helper) {
            let name = h.report.name.as_str();
            *blocked_by = Some(name.to_string());
            // kubelet_pods.go getPhase: the pod is Running while any container in containers runs.
            w.finding("live-helper-blocks-completion", Severity::Warning, Some(name), &h.steps,
                format!("The app has finished, but '{name}' in containers is still running, so the pod stays Running and its Job never completes (getPhase counts every entry of containers). Make '{name}' a native sidecar (initContainers with restartPolicy: Always, 1.29+): the kubelet stops it once the app exits."));
        }
    }
}

/// A deletion under way: its grace period, what still runs, finalizers.
fn terminating(
    w: &mut Words,
    seen: &[Seen],
    status: &PodStatus,
    deadline: &str,
    blocked_by: &mut Option<String>,
) {
    let meta = w.pod.root.get("metadata");
    let grace = meta
        .and_then(|m| m.get("deletionGracePeriodSeconds"))
        .map(|g| g.to_json().to_string())
        .unwrap_or_else(|| "its".into());
    let running: Vec<&str> = seen
        .iter()
        .filter(|s| state_of(s.status).0 == ContainerState::Running)
        .map(|s| s.report.name.as_str())
        .collect();
    let finalizers: Vec<String> = meta
        .and_then(|m| m.get("finalizers"))
        .map(|f| {
            f.items()
                .iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    // RFC 3339 times in UTC compare as text.
    let latest = latest_time(status);
    let past = latest.as_deref().is_some_and(|l| l > deadline);
    let mut message = format!(
        "Deletion was requested with a grace period of {grace} seconds, ending at {deadline}: the kubelet runs preStop hooks, sends each container its stop signal, and kills what still runs when the period ends (SIGKILL, exit code 137)."
    );
    if !running.is_empty() {
        if blocked_by.is_none() {
            *blocked_by = running.first().map(|n| n.to_string());
        }
        message.push_str(&format!(" Still running: {}.", running.join(", ")));
    }
    if past {
        message.push_str(&format!(
            " The status was written at {} , after that time: the pod is past its grace period.",
            latest.unwrap_or_default()
        ));
    }
    if !finalizers.is_empty() {
        message.push_str(&format!(
            " Finalizers keep the object until their controllers remove them: {}.",
            finalizers.join(", ")
        ));
    }
    message.push_str(
        " A pod stuck past its grace period usually stands on a node that no longer answers.",
    );
    let severity = if past || !finalizers.is_empty() {
        Severity::Warning
    } else {
        Severity::Info
    };
    w.finding(
        "live-terminating",
        severity,
        blocked_by.as_deref(),
        &[Step::Key("metadata".into())],
        message,
    );
}

/// Each container as the live view lists it.
fn live_containers(seen: &[Seen], blocked_by: Option<&str>) -> Vec<LiveContainer> {
    seen.iter()
        .map(|s| {
            let (state, reason, message) = state_of(s.status);
            let t = current_termination(s.status);
            LiveContainer {
                name: s.report.name.clone(),
                section: s.report.section,
                state,
                reason,
                message,
                exit_code: t.as_ref().map(|t| t.exit_code),
                ready: s.status.is_some_and(|s| s.ready),
                started: s.status.and_then(|s| s.started),
                restarts: s.status.map_or(0, |s| s.restart_count),
                last_termination: last_termination(s.status),
                holds_pod_back: blocked_by == Some(s.report.name.as_str()),
            }
        })
        .collect()
}

/// The latest RFC 3339 time the status carries: conditions and container states.
fn latest_time(status: &PodStatus) -> Option<String> {
    let mut times: Vec<String> = Vec::new();
    for c in status.conditions.iter().flatten() {
        times.extend(c.last_transition_time.as_ref().and_then(time_text));
    }
    let all = status
        .container_statuses
        .iter()
        .flatten()
        .chain(status.init_container_statuses.iter().flatten());
    for s in all {
        for st in [s.state.as_ref(), s.last_state.as_ref()]
            .into_iter()
            .flatten()
        {
            if let Some(r) = &st.running {
                times.extend(r.started_at.as_ref().and_then(time_text));
            }
            if let Some(t) = &st.terminated {
                times.extend(t.finished_at.as_ref().and_then(time_text));
            }
        }
    }
    times.into_iter().max()
}

struct Words<'a> {
    pod: &'a PodObject,
    explanation: Vec<String>,
    findings: Vec<Diagnostic>,
    commands: Vec<String>,
    /// `<pod> -n <namespace>`, as kubectl commands name the pod.
    target: String,
    /// `kubectl describe pod …` for this pod.
    describe: String,
}

impl<'a> Words<'a> {
    fn new(pod: &'a PodObject) -> Words<'a> {
        let ns = pod
            .namespace
            .as_ref()
            .map(|n| format!(" -n {n}"))
            .unwrap_or_default();
        let target = format!("{}{ns}", pod.name);
        Words {
            pod,
            explanation: Vec::new(),
            findings: Vec::new(),
            describe: format!("kubectl describe pod {target}"),
            commands: Vec::new(),
            target,
        }
    }

    /// The command that prints a container's previous output.
    fn logs(&self, c: &str) -> String {
        format!("kubectl logs {} -c {c} --previous", self.target)
    }

    fn finding(
        &mut self,
        rule: &str,
        severity: Severity,
        container: Option<&str>,
        steps: &[Step],
        message: String,
    ) {
        let (pos, _) = self.pod.root.locate(steps);
        self.findings.push(Diagnostic {
            rule: rule.to_string(),
            severity,
            message,
            container: container.map(str::to_string),
            line: pos.line,
            path: Some(crate::manifest::path_text(steps)),
            file: self.pod.file.clone(),
            waived: None,
            fix: None,
            alternatives: Vec::new(),
        });
    }

    /// An image pull failure; true when there is one.
    fn image_pull(&mut self, s: &Seen, reason: Option<&str>) -> bool {
        let Some(r) = reason.filter(|r| IMAGE_REASONS.contains(r)) else {
            return false;
        };
        let name = s.report.name.as_str();
        let message = s
            .status
            .and_then(|s| s.state.as_ref())
            .and_then(|st| st.waiting.as_ref())
            .and_then(|w| w.message.clone())
            .map(|m| format!(" ({m})"))
            .unwrap_or_default();
        self.finding("live-image-pull", Severity::Warning, Some(name), &s.steps,
            format!("Container '{name}' cannot pull its image '{}': {r}{message}. Check the name and tag, and that the node may pull from the registry (imagePullSecrets). The pull's errors are in the pod's events.", s.report.image));
        true
    }
}

fn max_into(into: &mut List, other: &List) {
    for (k, v) in other {
        match into.get(k) {
            Some(q) if q.nanos() >= v.nanos() => {}
            _ => {
                into.insert(k.clone(), *v);
            }
        }
    }
}

fn parse_map(
    m: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
) -> List {
    crate::order::map(
        m.into_iter()
            .flatten()
            .filter_map(|(k, v)| Quantity::parse(&v.0).ok().map(|q| (k.clone(), q))),
    )
}

/// The requests and limits the scheduler counts for the pod now: component-helpers
/// resource/helpers.go `PodRequests`/`PodLimits` with `UseStatusResources`, where each
/// container's values come from `determineContainerReqs`/`determineContainerLimits`.
fn live_resources(pod: &PodObject, status: &PodStatus, version: KubeVersion) -> LiveResources {
    let spec_res = resources::pod_resources(&pod.spec, version);
    let mut live = spec_res.clone();
    // InPlacePodVerticalScaling: beta and on by default from 1.33 (KEP-1287); before it the
    // scheduler reads the spec alone.
    let in_place = version.at_least(33);
    let pending = condition(status, "PodResizePending");
    let in_progress = condition(status, "PodResizeInProgress");
    // helpers.go IsPodResizeInfeasible.
    let infeasible = pending.is_some_and(|c| c.reason.as_deref() == Some("Infeasible"));
    let mut differences = Vec::new();
    if in_place {
        let statuses = |init: bool| {
            if init {
                status
                    .init_container_statuses
                    .as_deref()
                    .unwrap_or_default()
            } else {
                status.container_statuses.as_deref().unwrap_or_default()
            }
        };
        for (list, init) in [
            (&mut live.init_containers, true),
            (&mut live.containers, false),
        ] {
            for c in list.iter_mut() {
                // helpers.go: for init containers only the restartable ones read their status.
                if init && !c.restartable {
                    continue;
                }
                let Some(cs) = statuses(init).iter().find(|s| s.name == c.name) else {
                    continue;
                };
                let Some(actual) = &cs.resources else {
                    continue;
                };
                let actual_req = parse_map(actual.requests.as_ref());
                let allocated = parse_map(cs.allocated_resources.as_ref());
                let mut req = if infeasible {
                    actual_req.clone()
                } else {
                    let mut r = c.requests.clone();
                    max_into(&mut r, &actual_req);
                    r
                };
                max_into(&mut req, &allocated);
                let actual_lim = parse_map(actual.limits.as_ref());
                let lim = if infeasible {
                    actual_lim
                } else {
                    let mut l = c.limits.clone();
                    max_into(&mut l, &actual_lim);
                    l
                };
                for (k, v) in &req {
                    let spec_v = c.requests.get(k);
                    if spec_v.map(Quantity::nanos) != Some(v.nanos()) {
                        differences.push(format!(
                            "'{}' {k}: the spec asks {}, the kubelet reports {} allocated and {} running; the scheduler counts {} (the larger, KEP-1287).",
                            c.name,
                            spec_v.map_or("nothing".into(), Quantity::canonical),
                            allocated.get(k).map_or("nothing".into(), Quantity::canonical),
                            actual_req.get(k).map_or("nothing".into(), Quantity::canonical),
                            v.canonical()
                        ));
                    }
                }
                c.requests = req;
                c.limits = lim;
            }
        }
    }
    let resize = match (pending, in_progress) {
        (Some(p), _) => Some(format!(
            "PodResizePending ({}){}",
            p.reason.as_deref().unwrap_or(""),
            p.message
                .as_ref()
                .map(|m| format!(": {m}"))
                .unwrap_or_default()
        )),
        (None, Some(_)) => Some("PodResizeInProgress: the kubelet is applying a resize".into()),
        _ => None,
    };
    if let Some(r) = &resize {
        differences.push(format!("A resize is under way: {r}."));
    }
    let out = resources::out;
    LiveResources {
        requests: out(&resources::pod_requests(&live)),
        limits: out(&resources::pod_limits(&live)),
        differences,
        resize,
    }
}

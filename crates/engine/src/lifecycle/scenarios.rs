//! What-ifs of a pod's life, told as beats on the lanes and as the statuses `kubectl get pod`
//! shows on the way: an init container failing under each restart policy, a sidecar failing its
//! startupProbe, a sidecar crash-looping beside the app, a container outliving its grace period,
//! a rushed deletion, the pod completing (or not) when it is meant to finish, a container's own
//! restart policy (KEP-5307). Every beat that changes what the kubelet reports carries the
//! [`Happening`] it stands for, so the status sequence is read from the same story.
//!
//! Upstream: kuberuntime_container.go `computeInitContainerActions` (init failures, sidecar
//! restarts whatever the pod's policy), kuberuntime_manager.go `computePodActions` (`KillPod`
//! once no main container will run again) and `doBackOff` (the first restart at once, then
//! 10 s doubling to 5 min: kubelet.go `initialBackOffPeriod`, `MaxContainerBackOff`),
//! prober (a failed startupProbe kills the container; its preStop hook runs),
//! `kubelet_pods.go` getPhase.
//!
//! This file holds the beats, the teller and the list of what-ifs that apply; each what-if is told
//! in its own file: `init`, `sidecars`, `deletion`, `own_policy`, `completion` (which also answers
//! `completes` and the normal start's statuses).

mod completion;
mod deletion;
mod init;
mod own_policy;
mod sidecars;

use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::podstatus::{container_should_restart, sequence, Exit, Happening, PodPhase, StatusAt};
use super::startup::{self, Role, Start};
use super::termination::{self, HookAction, SIGKILL_EXIT_CODE};
use crate::model::EventKind;
use crate::version::KubeVersion;
use completion::job_completes;
pub use completion::{completes, normal_status};
use deletion::deleted;
pub use deletion::stop_signal_words;
use init::init_fails;
use own_policy::own_policy;
use sidecars::{sidecar_crash_loops, sidecar_startup_fails};

/// A moment of a what-if, on a container's lane (or the pod's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Beat {
    pub stage: usize,
    pub container: Option<String>,
    pub kind: EventKind,
    pub at: i64,
    pub text: String,
    /// What the kubelet reports from here on, if this beat changes it.
    pub happening: Option<Happening>,
}

/// One what-if.
#[derive(Clone, Debug, PartialEq)]
pub struct Story {
    pub id: String,
    pub title: String,
    pub beats: Vec<Beat>,
    pub outcome: String,
    /// The statuses `kubectl get pod` shows on the way, with the phase.
    pub status: Vec<StatusAt>,
}

/// The kubelet's first restart of a failed container comes at once; after that it waits 10 s,
/// doubling up to 5 minutes (kuberuntime_manager.go `doBackOff`; kubelet.go
/// `initialBackOffPeriod = 10 s`, `MaxContainerBackOff = 300 s`).
pub const BACKOFF: [i64; 3] = [0, 10, 20];

/// Nominal seconds of work a main container does before it finishes, where it finishes.
pub const WORK_SECONDS: i64 = 5;

/// The pod's restartPolicy as the API defaults it (Always), or as a Job requires it.
pub fn pod_policy(spec: &PodSpec, batch: bool) -> &str {
    spec.restart_policy
        .as_deref()
        .unwrap_or(if batch { "Never" } else { "Always" })
}

struct Teller<'a> {
    spec: &'a PodSpec,
    /// Shared, so that the beats of a start can be told while reading the starts.
    starts: std::rc::Rc<[Start]>,
    beats: Vec<Beat>,
}

impl<'a> Teller<'a> {
    /// The best-case second by which every container that gets ready is ready.
    fn all_ready(&self) -> i64 {
        self.starts
            .iter()
            .filter_map(|s| s.ready.map(|r| r.0))
            .max()
            .unwrap_or(0)
    }

    fn new(spec: &'a PodSpec) -> Self {
        Teller {
            spec,
            starts: startup::starts(spec).into(),
            beats: Vec::new(),
        }
    }

    fn stage_of(&self, name: &str) -> usize {
        self.starts
            .iter()
            .find(|s| s.name == name)
            .map_or(0, |s| s.stage)
    }

    fn beat(&mut self, name: &str, kind: EventKind, at: i64, text: String, h: Option<Happening>) {
        let stage = self.stage_of(name);
        self.beats.push(Beat {
            stage,
            container: Some(name.to_string()),
            kind,
            at,
            text,
            happening: h,
        });
    }

    fn pod_beat(&mut self, kind: EventKind, at: i64, text: String, h: Option<Happening>) {
        self.beats.push(Beat {
            stage: 0,
            container: None,
            kind,
            at,
            text,
            happening: h,
        });
    }

    fn happening(&mut self, at: i64, h: Happening) {
        // A change in what the kubelet reports that has no beat of its own.
        self.beats.push(Beat {
            stage: 0,
            container: None,
            kind: EventKind::Running,
            at,
            text: String::new(),
            happening: Some(h),
        });
    }

    /// The normal start of every container before `until` (by declaration index), best case.
    fn start_before(&mut self, until: usize) {
        let starts = std::rc::Rc::clone(&self.starts);
        let last_init = starts.iter().rfind(|x| x.role != Role::Main);
        for s in starts.iter().take(until) {
            self.normal_start(s, last_init == Some(s));
        }
    }

    /// `s` starts, is started and ready as on a normal start; after the last init container
    /// (`last_init`) the pod is initialized.
    fn normal_start(&mut self, s: &Start, last_init: bool) {
        let n = &s.name;
        self.beat(
            n,
            EventKind::Start,
            s.start.0,
            [n, " starts."].concat(),
            Some(Happening::Runs(n.clone())),
        );
        match s.role {
            Role::Init => self.beat(
                n,
                EventKind::Exit,
                s.started.0,
                [n, " exits 0."].concat(),
                Some(Happening::Exits(n.clone(), Exit::code(0))),
            ),
            Role::Sidecar | Role::Main => {
                self.beat(
                    n,
                    EventKind::Started,
                    s.started.0,
                    [n, " is started."].concat(),
                    Some(Happening::Started(n.clone())),
                );
                if let Some(r) = s.ready {
                    self.beat(
                        n,
                        EventKind::Ready,
                        r.0,
                        [n, " is ready."].concat(),
                        Some(Happening::Ready(n.clone())),
                    );
                }
            }
        }
        if s.role != Role::Main && last_init {
            self.happening(s.started.0, Happening::Initialized);
        }
    }

    fn finish(self, id: &str, title: String, outcome: String, restart_rules: bool) -> Story {
        let happenings: Vec<(i64, Happening)> = self
            .beats
            .iter()
            .filter_map(|b| b.happening.clone().map(|h| (b.at, h)))
            .collect();
        let status = sequence(self.spec, &happenings, restart_rules);
        let beats = self
            .beats
            .into_iter()
            .filter(|b| !b.text.is_empty())
            .collect();
        Story {
            id: id.to_string(),
            title,
            beats,
            outcome,
            status,
        }
    }
}

fn mains(spec: &PodSpec) -> Vec<&str> {
    spec.containers.iter().map(|c| c.name.as_str()).collect()
}

fn sidecars(spec: &PodSpec) -> Vec<&Container> {
    spec.init_containers
        .iter()
        .flatten()
        .filter(|c| startup::is_sidecar(c))
        .collect()
}

pub fn grace_of(spec: &PodSpec) -> i64 {
    spec.termination_grace_period_seconds
        .unwrap_or(termination::DEFAULT_GRACE_PERIOD_SECONDS)
        .clamp(0, termination::MAX_SECONDS)
}

pub fn hook_words(h: HookAction) -> String {
    match h {
        HookAction::Exec => "exec".to_string(),
        HookAction::HttpGet => "httpGet".to_string(),
        HookAction::Sleep(s) => format!("sleep {s} s"),
        HookAction::TcpSocket => "tcpSocket, which the kubelet does not run".to_string(),
    }
}

/// Every what-if that applies to this pod.
pub fn stories(
    spec: &PodSpec,
    helpers: &[String],
    batch: bool,
    version: KubeVersion,
) -> Vec<Story> {
    let mut out = Vec::new();
    if spec.containers.is_empty() {
        return out;
    }
    let rules = version.container_restart_rules_gate().enabled();
    let policy = pod_policy(spec, batch).to_string();
    if let Some(i) = spec
        .init_containers
        .iter()
        .flatten()
        .position(|c| !startup::is_sidecar(c))
    {
        // One copy of the pod, its restartPolicy set in turn.
        let mut s = crate::manifest::copy_pod_spec(spec);
        for p in ["Never", "OnFailure", "Always"] {
            s.restart_policy = Some(p.to_string());
            out.push(init_fails(spec, &s, i, p, p == policy, rules));
        }
    }
    if version.sidecar_gate().enabled() {
        if let Some(s) = sidecars(spec)
            .into_iter()
            .find(|c| c.startup_probe.is_some())
        {
            out.push(sidecar_startup_fails(spec, &s.name, rules));
        }
        if let Some(s) = sidecars(spec).first() {
            out.push(sidecar_crash_loops(spec, &s.name, rules));
        }
    }
    if completes(spec, helpers, batch, version).is_some() {
        out.push(job_completes(spec, helpers, batch, version));
    }
    out.push(deleted(
        spec,
        version,
        "grace-exceeded",
        grace_of(spec),
        rules,
    ));
    out.push(deleted(spec, version, "short-grace", 5, rules));
    if rules {
        if let Some(c) = spec.containers.iter().find(|c| c.restart_policy.is_some()) {
            out.push(own_policy(spec, &c.name, batch, rules));
        }
    }
    out
}

/// The phase a story ends in.
pub fn final_phase(story: &Story) -> Option<PodPhase> {
    story.status.last().map(|s| s.phase)
}

#[cfg(test)]
mod testkit {
    pub(super) use super::*;
    pub(super) use serde_json::json;

    pub(super) fn spec(v: serde_json::Value) -> PodSpec {
        serde_json::from_value(v).unwrap()
    }

    pub(super) fn seq(st: &[StatusAt]) -> Vec<(i64, String, String, &'static str)> {
        st.iter()
            .map(|s| (s.at, s.status.clone(), s.ready.clone(), s.phase.as_str()))
            .collect()
    }

    pub(super) fn story<'a>(all: &'a [Story], id: &str) -> &'a Story {
        all.iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no story {id}"))
    }

    pub(super) fn mesh() -> PodSpec {
        spec(json!({
            "initContainers": [
                {"name": "migrate", "image": "m"},
                {"name": "proxy", "image": "p", "restartPolicy": "Always",
                 "startupProbe": {"httpGet": {"port": 15021}, "periodSeconds": 2, "failureThreshold": 3},
                 "lifecycle": {"preStop": {"sleep": {"seconds": 3}}}}
            ],
            "containers": [{"name": "app", "image": "a"}]
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::testkit::*;

    /// Seconds as large as the API allows are read as a bound, never overflow.
    #[test]
    fn the_largest_settings_neither_panic_nor_wrap() {
        let max = i64::MAX;
        let s = spec(json!({
            "terminationGracePeriodSeconds": max,
            "restartPolicy": "Never",
            "initContainers": [{"name": "side", "image": "x", "restartPolicy": "Always",
                "startupProbe": {"exec": {"command": ["x"]}, "initialDelaySeconds": i32::MAX,
                    "periodSeconds": i32::MAX, "failureThreshold": i32::MAX,
                    "terminationGracePeriodSeconds": max},
                "lifecycle": {"postStart": {"sleep": {"seconds": max}}, "preStop": {"sleep": {"seconds": max}}}}],
            "containers": [{"name": "app", "image": "x",
                "lifecycle": {"postStart": {"sleep": {"seconds": max}}, "preStop": {"sleep": {"seconds": i64::MIN}}}},
                {"name": "two", "image": "x"}]
        }));
        let all = stories(&s, &[], false, KubeVersion::NEWEST);
        assert!(all
            .iter()
            .all(|x| x.status.windows(2).all(|w| w[0].at <= w[1].at)));
        let normal = normal_status(&s, &[], false, KubeVersion::NEWEST);
        assert!(normal.iter().all(|x| x.at >= 0));
    }
}

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

use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::podstatus::{container_should_restart, sequence, Exit, Happening, PodPhase, StatusAt};
use super::startup::{self, Role, Start};
use super::termination::{self, HookAction, SIGKILL_EXIT_CODE};
use crate::version::KubeVersion;

/// A moment of a what-if, on a container's lane (or the pod's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Beat {
    pub stage: usize,
    pub container: Option<String>,
    pub kind: BeatKind,
    pub at: i64,
    pub text: String,
    /// What the kubelet reports from here on, if this beat changes it.
    pub happening: Option<Happening>,
}

/// The kinds of beats, named as the timeline's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BeatKind {
    Start,
    PostStart,
    Started,
    Ready,
    Running,
    Exit,
    ProbeFailed,
    PodFailed,
    PreStop,
    Sigterm,
    Sigkill,
    Stopped,
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
    starts: Vec<Start>,
    beats: Vec<Beat>,
}

impl<'a> Teller<'a> {
    fn new(spec: &'a PodSpec) -> Self {
        Teller {
            spec,
            starts: startup::starts(spec),
            beats: Vec::new(),
        }
    }

    fn stage_of(&self, name: &str) -> usize {
        self.starts
            .iter()
            .find(|s| s.name == name)
            .map_or(0, |s| s.stage)
    }

    fn beat(&mut self, name: &str, kind: BeatKind, at: i64, text: String, h: Option<Happening>) {
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

    fn pod_beat(&mut self, kind: BeatKind, at: i64, text: String, h: Option<Happening>) {
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
            kind: BeatKind::Running,
            at,
            text: String::new(),
            happening: Some(h),
        });
    }

    /// The normal start of every container before `until` (by declaration index), best case.
    fn start_before(&mut self, until: usize) {
        let starts: Vec<Start> = self.starts.iter().take(until).cloned().collect();
        for s in &starts {
            self.normal_start(s);
        }
    }

    fn normal_start(&mut self, s: &Start) {
        let n = &s.name;
        self.beat(
            n,
            BeatKind::Start,
            s.start.0,
            format!("{n} starts."),
            Some(Happening::Runs(n.clone())),
        );
        match s.role {
            Role::Init => self.beat(
                n,
                BeatKind::Exit,
                s.started.0,
                format!("{n} exits 0."),
                Some(Happening::Exits(n.clone(), Exit::code(0))),
            ),
            Role::Sidecar | Role::Main => {
                self.beat(
                    n,
                    BeatKind::Started,
                    s.started.0,
                    format!("{n} is started."),
                    Some(Happening::Started(n.clone())),
                );
                if let Some(r) = s.ready {
                    self.beat(
                        n,
                        BeatKind::Ready,
                        r.0,
                        format!("{n} is ready."),
                        Some(Happening::Ready(n.clone())),
                    );
                }
            }
        }
        if s.role != Role::Main && self.starts.iter().rfind(|x| x.role != Role::Main) == Some(s) {
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

/// Whether a pod that is meant to finish does finish (`lifecycle.completes`): None where it is
/// not meant to (restartPolicy Always, outside a Job). It finishes when every entry of
/// `containers` that is not a helper exits and is not run again, and no classic helper (an entry
/// of `containers` that never exits) is left running; native sidecars are stopped by the kubelet
/// once the main containers are done.
pub fn completes(
    spec: &PodSpec,
    helpers: &[String],
    batch: bool,
    version: KubeVersion,
) -> Option<bool> {
    let policy = pod_policy(spec, batch);
    let rules = version.container_restart_rules_gate().enabled();
    // An app that exits 0 is run again under Always (or under its own policy, KEP-5307).
    let restarted_on_success = |c: &Container| {
        if rules {
            container_should_restart(c, spec, 0)
        } else {
            policy == "Always"
        }
    };
    let meant_to_finish = batch
        || policy != "Always"
        || (rules && spec.containers.iter().any(|c| !restarted_on_success(c)));
    if !meant_to_finish {
        return None;
    }
    Some(
        spec.containers
            .iter()
            .all(|c| !helpers.contains(&c.name) && !restarted_on_success(c)),
    )
}

/// The statuses `kubectl get pod` shows on a normal start where every probe passes, then, where
/// the pod is meant to finish, through its completion (CONTRACT.md `lifecycle.status`).
pub fn normal_status(
    spec: &PodSpec,
    helpers: &[String],
    batch: bool,
    version: KubeVersion,
) -> Vec<StatusAt> {
    let rules = version.container_restart_rules_gate().enabled();
    if !version.sidecar_gate().enabled() && !sidecars(spec).is_empty() {
        return blocked_by_unsupported_sidecar(spec, rules);
    }
    let mut t = Teller::new(spec);
    t.start_before(usize::MAX);
    if completes(spec, helpers, batch, version).is_some() {
        completion(&mut t, helpers, version);
    }
    t.finish("", String::new(), String::new(), rules).status
}

/// Before 1.29 (SidecarContainers off) the API server drops `restartPolicy` from init
/// containers: a sidecar is a plain init container that never exits, and the pod never gets
/// past it.
fn blocked_by_unsupported_sidecar(spec: &PodSpec, rules: bool) -> Vec<StatusAt> {
    let mut plain = crate::manifest::copy_pod_spec(spec);
    let first = spec
        .init_containers
        .iter()
        .flatten()
        .position(startup::is_sidecar)
        .unwrap_or(0);
    if let Some(init) = plain.init_containers.as_mut() {
        for c in init.iter_mut() {
            c.restart_policy = None;
        }
    }
    let mut t = Teller::new(&plain);
    t.start_before(first);
    let s = t.starts[first].clone();
    t.beat(
        &s.name,
        BeatKind::Start,
        s.start.0,
        String::new(),
        Some(Happening::Runs(s.name.clone())),
    );
    t.finish("", String::new(), String::new(), rules).status
}

/// The main containers finish their work; native sidecars are then stopped; classic helpers keep
/// running.
fn completion(t: &mut Teller<'_>, helpers: &[String], version: KubeVersion) {
    let spec = t.spec;
    let rules = version.container_restart_rules_gate().enabled();
    let done = t
        .starts
        .iter()
        .filter(|s| s.role == Role::Main)
        .filter_map(|s| s.ready.map(|r| r.0))
        .max()
        .unwrap_or(0)
        + WORK_SECONDS;
    let mut all_done = true;
    for c in &spec.containers {
        let n = c.name.clone();
        if helpers.contains(&n) {
            all_done = false;
            t.beat(&n, BeatKind::Running, done, format!("{n} is an entry of containers that never exits: nothing stops it, and the pod waits for it."), None);
            continue;
        }
        let again = if rules {
            container_should_restart(c, spec, 0)
        } else {
            pod_policy(spec, false) == "Always"
        };
        t.beat(
            &n,
            BeatKind::Exit,
            done,
            format!("{n} finishes its work and exits 0."),
            Some(Happening::Exits(n.clone(), Exit::code(0))),
        );
        if again {
            all_done = false;
        }
    }
    if !all_done {
        return;
    }
    // computePodActions: no main container will run again, so KillPod; sidecars are stopped in
    // reverse order after their preStop hooks.
    t.happening(done, Happening::Terminal);
    let ordered = version.sidecar_gate().enabled();
    let grace = grace_of(spec);
    let stops = termination::stops(&main_less(spec), grace, ordered);
    for s in stops.iter().filter(|s| s.sidecar) {
        let n = s.name.clone();
        if let Some(h) = s.pre_stop {
            t.beat(
                &n,
                BeatKind::PreStop,
                done,
                format!("{n} runs its preStop hook ({}).", hook_words(h)),
                None,
            );
        }
        t.beat(
            &n,
            BeatKind::Sigterm,
            done + s.signal.0,
            format!("The main containers are done: {n} gets SIGTERM."),
            None,
        );
        t.beat(
            &n,
            BeatKind::Stopped,
            done + s.gone.0,
            format!("{n} exits; a sidecar's exit code does not count."),
            Some(Happening::Exits(n.clone(), Exit::code(0))),
        );
    }
}

/// The spec without its main containers: once they are done only the sidecars are left to stop.
fn main_less(spec: &PodSpec) -> PodSpec {
    let mut s = crate::manifest::copy_pod_spec(spec);
    s.containers.clear();
    s
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
        for p in ["Never", "OnFailure", "Always"] {
            out.push(init_fails(spec, i, p, p == policy, rules));
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

fn init_fails(spec: &PodSpec, i: usize, policy: &str, yours: bool, rules: bool) -> Story {
    let mut s = crate::manifest::copy_pod_spec(spec);
    s.restart_policy = Some(policy.to_string());
    let mut t = Teller::new(&s);
    t.start_before(i);
    let st = t.starts[i].clone();
    let n = st.name.clone();
    let mains = mains(spec).join(", ");
    t.beat(
        &n,
        BeatKind::Start,
        st.start.0,
        format!("{n} starts."),
        Some(Happening::Runs(n.clone())),
    );
    let mut at = st.start.0 + startup::NOMINAL_SECONDS;
    let fail = Exit::code(1);
    t.beat(
        &n,
        BeatKind::Exit,
        at,
        format!("{n} exits with code 1."),
        Some(Happening::Exits(n.clone(), fail)),
    );
    let outcome = if policy == "Never" {
        t.pod_beat(BeatKind::PodFailed, at, "restartPolicy is Never: the kubelet gives the pod up; it fails and no main container ever starts.".into(), Some(Happening::Terminal));
        let running: Vec<String> = s
            .init_containers
            .iter()
            .flatten()
            .take(i)
            .filter(|c| startup::is_sidecar(c))
            .map(|c| c.name.clone())
            .collect();
        for sn in running {
            t.beat(
                &sn,
                BeatKind::Stopped,
                at,
                format!("{sn} is stopped with the pod."),
                Some(Happening::Exits(sn.clone(), Exit::code(0))),
            );
        }
        format!("Failed: an init container failed under restartPolicy Never; {mains} never start.")
    } else {
        for (k, wait) in BACKOFF.iter().enumerate() {
            if *wait > 0 {
                t.beat(
                    &n,
                    BeatKind::Exit,
                    at + 1,
                    format!("{n} waits out a {wait} s back-off (CrashLoopBackOff)."),
                    Some(Happening::BacksOff(n.clone(), fail)),
                );
            }
            at += wait.max(&1);
            t.beat(
                &n,
                BeatKind::Start,
                at,
                format!("The kubelet runs {n} again (restart {}).", k + 1),
                Some(Happening::Runs(n.clone())),
            );
            t.happening(at, Happening::Restarts(n.clone()));
            at += startup::NOMINAL_SECONDS;
            t.beat(
                &n,
                BeatKind::Exit,
                at,
                format!("{n} fails again."),
                Some(Happening::Exits(n.clone(), fail)),
            );
        }
        t.beat(
            &n,
            BeatKind::Exit,
            at + 1,
            format!("{n} waits out a growing back-off, up to 5 minutes."),
            Some(Happening::BacksOff(n.clone(), fail)),
        );
        format!("Pending for ever (Init:CrashLoopBackOff): under restartPolicy {policy} the kubelet retries '{n}' with a growing back-off; {mains} wait and never start until it exits 0.")
    };
    let yours = if yours { " (this pod's policy)" } else { "" };
    t.finish(
        &format!("init-fails-{}", policy.to_ascii_lowercase()),
        format!("{n} exits non-zero, restartPolicy {policy}{yours}"),
        outcome,
        rules,
    )
}

fn sidecar_startup_fails(spec: &PodSpec, name: &str, rules: bool) -> Story {
    let mut t = Teller::new(spec);
    let i = t.starts.iter().position(|s| s.name == name).unwrap_or(0);
    t.start_before(i);
    let st = t.starts[i].clone();
    let c = sidecars(spec)
        .into_iter()
        .find(|c| c.name == name)
        .cloned()
        .unwrap_or_default();
    let probe = c.startup_probe.clone().unwrap_or_default();
    // The failureThreshold-th failure comes at initialDelaySeconds + periodSeconds × (threshold − 1).
    let give_up = startup::probe_window(&probe).1;
    // A failed startupProbe kills with the probe's terminationGracePeriodSeconds, else the pod's.
    let grace = probe
        .termination_grace_period_seconds
        .unwrap_or_else(|| grace_of(spec))
        .clamp(0, termination::MAX_SECONDS);
    let pre_stop = termination::pre_stop(&c);
    let mut at = st.start.0;
    for (round, wait) in BACKOFF.iter().copied().enumerate() {
        t.beat(name, BeatKind::Start, at, if round == 0 { format!("{name} starts; its startupProbe begins.") } else { format!("The kubelet starts {name} again, whatever the pod's restartPolicy (restart {round}).") }, Some(Happening::Runs(name.to_string())));
        if round > 0 {
            t.happening(at, Happening::Restarts(name.to_string()));
        }
        at += give_up;
        t.beat(
            name,
            BeatKind::ProbeFailed,
            at,
            format!("{name} fails its startupProbe failureThreshold times: the kubelet kills it."),
            None,
        );
        let hook = pre_stop.map(|h| h.span(grace).0).unwrap_or(0);
        if let Some(h) = pre_stop {
            t.beat(
                name,
                BeatKind::PreStop,
                at,
                format!(
                    "{name} runs its preStop hook ({}) before it is stopped.",
                    hook_words(h)
                ),
                None,
            );
        }
        t.beat(
            name,
            BeatKind::Sigterm,
            at + hook,
            format!("{name} gets SIGTERM."),
            None,
        );
        at += hook;
        let exit = Exit::code(termination::SIGTERM_EXIT_CODE);
        t.beat(
            name,
            BeatKind::Stopped,
            at,
            format!("{name} is stopped (exit 143)."),
            Some(Happening::Exits(name.to_string(), exit)),
        );
        if wait > 0 {
            t.happening(at + 1, Happening::BacksOff(name.to_string(), exit));
        }
        at += wait.max(1);
    }
    t.finish(
        "sidecar-startup-fails",
        format!("{name} never passes its startupProbe"),
        format!("Pending for ever: '{name}' is killed (its preStop hook run) and started again with a growing back-off whatever the pod's restartPolicy; nothing declared after it starts until its startupProbe passes."),
        rules,
    )
}

fn sidecar_crash_loops(spec: &PodSpec, name: &str, rules: bool) -> Story {
    let mut t = Teller::new(spec);
    t.start_before(usize::MAX);
    let up = t
        .starts
        .iter()
        .filter_map(|s| s.ready.map(|r| r.0))
        .max()
        .unwrap_or(0)
        + WORK_SECONDS;
    let fail = Exit::code(1);
    let mut at = up;
    for (k, wait) in BACKOFF.iter().enumerate() {
        t.beat(
            name,
            BeatKind::Exit,
            at,
            format!("{name} crashes (exit 1) while the app runs on."),
            Some(Happening::Exits(name.to_string(), fail)),
        );
        if *wait > 0 {
            t.happening(at + 1, Happening::BacksOff(name.to_string(), fail));
        }
        at += wait.max(&1);
        t.beat(
            name,
            BeatKind::Start,
            at,
            format!(
                "The kubelet restarts {name} whatever the pod's restartPolicy (restart {}).",
                k + 1
            ),
            Some(Happening::Runs(name.to_string())),
        );
        t.happening(at, Happening::Restarts(name.to_string()));
        t.happening(at, Happening::Started(name.to_string()));
        t.happening(at, Happening::Ready(name.to_string()));
        at += 2;
    }
    t.beat(
        name,
        BeatKind::Exit,
        at,
        format!("{name} crashes again; the back-off grows to 5 minutes."),
        Some(Happening::Exits(name.to_string(), fail)),
    );
    t.happening(at + 1, Happening::BacksOff(name.to_string(), fail));
    t.finish(
        "sidecar-crash-loop",
        format!("{name} crash-loops beside the running app"),
        format!("Running, shown as Init:CrashLoopBackOff: kubectl reports the crash-looping sidecar '{name}' first, READY counts it out, RESTARTS counts its restarts; the pod stays Running and the app keeps serving."),
        rules,
    )
}

fn job_completes(spec: &PodSpec, helpers: &[String], batch: bool, version: KubeVersion) -> Story {
    let rules = version.container_restart_rules_gate().enabled();
    let mut t = Teller::new(spec);
    t.start_before(usize::MAX);
    completion(&mut t, helpers, version);
    let stuck: Vec<&str> = spec
        .containers
        .iter()
        .filter(|c| helpers.contains(&c.name))
        .map(|c| c.name.as_str())
        .collect();
    let outcome = if !stuck.is_empty() {
        format!(
            "Running for ever: the pod finishes only when every entry of containers has exited, and {} never {}{}.",
            stuck.join(", "),
            if stuck.len() == 1 { "does" } else { "do" },
            if batch { ", so the Job never completes" } else { "" }
        )
    } else if completes(spec, helpers, batch, version) == Some(true) {
        let sidecars = sidecars(spec);
        if sidecars.is_empty() {
            "Succeeded: every container exited 0.".to_string()
        } else {
            format!(
                "Succeeded: the main containers exited 0 and the kubelet stopped the native sidecar{}; their exit codes do not count.{}",
                if sidecars.len() == 1 { "" } else { "s" },
                if batch { " The Job completes." } else { "" }
            )
        }
    } else {
        "Running: a container exits 0 and is started again under its restart policy.".to_string()
    };
    t.finish("job-completes", "The work finishes".into(), outcome, rules)
}

/// `kubectl delete` while every container ignores its stop signal: each holds on until SIGKILL.
fn deleted(spec: &PodSpec, version: KubeVersion, id: &str, grace: i64, rules: bool) -> Story {
    let mut t = Teller::new(spec);
    t.start_before(usize::MAX);
    let up = t
        .starts
        .iter()
        .filter_map(|s| s.ready.map(|r| r.0))
        .max()
        .unwrap_or(0)
        + 1;
    t.pod_beat(
        BeatKind::Sigterm,
        up,
        format!(
            "kubectl delete{}: the pod is Terminating.",
            if id == "short-grace" {
                format!(" --grace-period={grace}")
            } else {
                String::new()
            }
        ),
        Some(Happening::Deleted),
    );
    t.happening(up, Happening::Terminal);
    let ordered = version.sidecar_gate().enabled();
    let signal = stop_signal_words(spec, version);
    let stops = termination::stops(spec, grace, ordered);
    let mut last = up;
    for s in &stops {
        let n = s.name.clone();
        if let Some(h) = s.pre_stop {
            t.beat(
                &n,
                BeatKind::PreStop,
                up,
                format!("{n} runs its preStop hook ({}) at once.", hook_words(h)),
                None,
            );
        }
        t.beat(
            &n,
            BeatKind::Sigterm,
            up + s.signal.1,
            format!(
                "{n} gets {signal}{}.",
                if s.sidecar && ordered {
                    " once it is its turn or its wait runs out"
                } else {
                    ""
                }
            ),
            None,
        );
        t.beat(
            &n,
            BeatKind::Sigkill,
            up + s.gone.1,
            format!(
                "{n} is still running {} s later: SIGKILL, exit 137.",
                s.kill_after.1
            ),
            Some(Happening::Exits(n.clone(), Exit::code(SIGKILL_EXIT_CODE))),
        );
        last = last.max(up + s.gone.1);
    }
    let title = if id == "short-grace" {
        format!("kubectl delete --grace-period={grace}")
    } else {
        format!("Every container ignores {signal} for its {grace} s grace period")
    };
    let sidecar_note = if ordered && !sidecars(spec).is_empty() {
        " Every container's timer runs from the deletion in parallel: sidecars waiting for their turn get the 2-second minimum once the grace period is spent, all at the same moment."
    } else {
        ""
    };
    t.finish(
        id,
        title,
        format!("Gone {} s after the deletion: every container killed with SIGKILL (exit 137, Error); the pod ends Failed.{sidecar_note}", last - up),
        rules,
    )
}

/// The stop signal the kubelet sends: the container's `lifecycle.stopSignal` needs the
/// ContainerStopSignals gate (KEP-4960: alpha 1.33, off by default); otherwise the image's
/// STOPSIGNAL, SIGTERM by default.
pub fn stop_signal_words(spec: &PodSpec, version: KubeVersion) -> String {
    let set = spec
        .containers
        .iter()
        .filter_map(|c| c.lifecycle.as_ref().and_then(|l| l.stop_signal.clone()))
        .next();
    match set {
        Some(s) if version.container_stop_signals_gate().enabled() => s,
        _ => "SIGTERM".to_string(),
    }
}

/// KEP-5307: a container with its own restartPolicy exits 1.
fn own_policy(spec: &PodSpec, name: &str, batch: bool, rules: bool) -> Story {
    let mut t = Teller::new(spec);
    t.start_before(usize::MAX);
    let c = spec
        .containers
        .iter()
        .find(|c| c.name == name)
        .cloned()
        .unwrap_or_default();
    let code = c
        .restart_policy_rules
        .iter()
        .flatten()
        .filter_map(|r| r.exit_codes.as_ref())
        .filter(|e| e.operator == "In")
        .find_map(|e| e.values.as_ref().and_then(|v| v.first().copied()))
        .unwrap_or(1);
    let at = t
        .starts
        .iter()
        .filter_map(|s| s.ready.map(|r| r.0))
        .max()
        .unwrap_or(0)
        + WORK_SECONDS;
    let exit = Exit::code(code);
    let again = container_should_restart(&c, spec, code);
    t.beat(
        name,
        BeatKind::Exit,
        at,
        format!("{name} exits with code {code}."),
        Some(Happening::Exits(name.to_string(), exit)),
    );
    if again {
        t.beat(
            name,
            BeatKind::Start,
            at + 1,
            format!("Its own restart policy restarts {name} in place."),
            Some(Happening::Runs(name.to_string())),
        );
        t.happening(at + 1, Happening::Restarts(name.to_string()));
        t.happening(at + 1, Happening::Started(name.to_string()));
        t.happening(at + 1, Happening::Ready(name.to_string()));
    } else if !spec.containers.iter().any(|o| o.name != name) {
        t.happening(at, Happening::Terminal);
    }
    let policy = pod_policy(spec, batch);
    let own = c.restart_policy.clone().unwrap_or_default();
    let outcome = if again {
        format!("{name} is restarted: its rules and its restartPolicy {own} decide, not the pod's {policy}.")
    } else {
        format!("{name} stays exited: its restartPolicy {own} (and its rules) decide, not the pod's {policy}.")
    };
    t.finish(
        "container-restart-policy",
        format!("{name} exits {code} under its own restartPolicy {own}"),
        outcome,
        rules,
    )
}

/// The phase a story ends in.
pub fn final_phase(story: &Story) -> Option<PodPhase> {
    story.status.last().map(|s| s.phase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(v: serde_json::Value) -> PodSpec {
        serde_json::from_value(v).unwrap()
    }

    fn seq(st: &[StatusAt]) -> Vec<(i64, String, String, &'static str)> {
        st.iter()
            .map(|s| (s.at, s.status.clone(), s.ready.clone(), s.phase.as_str()))
            .collect()
    }

    fn story<'a>(all: &'a [Story], id: &str) -> &'a Story {
        all.iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no story {id}"))
    }

    fn mesh() -> PodSpec {
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

    #[test]
    fn an_init_failure_fails_the_pod_under_never_and_loops_otherwise() {
        let all = stories(&mesh(), &[], false, KubeVersion::NEWEST);
        let never = story(&all, "init-fails-never");
        assert_eq!(
            seq(&never.status).last().unwrap(),
            &(1, "Init:Error".to_string(), "0/2".to_string(), "Failed")
        );
        for id in ["init-fails-onfailure", "init-fails-always"] {
            let s = story(&all, id);
            assert!(
                s.status.iter().all(|x| x.phase == PodPhase::Pending),
                "{id}"
            );
            assert!(
                s.status.iter().any(|x| x.status == "Init:CrashLoopBackOff"),
                "{id}"
            );
            assert_eq!(s.status.last().unwrap().restarts, 3, "{id}");
        }
        assert!(story(&all, "init-fails-always")
            .title
            .ends_with("(this pod's policy)"));
    }

    /// container_lifecycle_test.go "should call the container's preStop hook and not launch
    /// next container if the restartable init container's startup probe fails".
    #[test]
    fn a_sidecar_failing_its_startup_probe_is_restarted_with_its_pre_stop_run() {
        let all = stories(&mesh(), &[], false, KubeVersion::NEWEST);
        let s = story(&all, "sidecar-startup-fails");
        assert!(s.status.iter().all(|x| x.phase == PodPhase::Pending));
        assert!(s.status.iter().any(|x| x.status == "Init:CrashLoopBackOff"));
        assert!(s.status.iter().all(|x| x.ready == "0/2"));
        let failed = s
            .beats
            .iter()
            .find(|b| b.kind == BeatKind::ProbeFailed)
            .unwrap();
        // Failures at 0, 2 and 4 s after the start at 1 s: given up at 5 s.
        assert_eq!(failed.at, 5);
        assert!(s
            .beats
            .iter()
            .any(|b| b.kind == BeatKind::PreStop && b.at == 5));
        assert!(!s
            .beats
            .iter()
            .any(|b| b.container.as_deref() == Some("app")));
    }

    #[test]
    fn a_sidecar_crash_looping_beside_the_app_reads_init_crash_loop_back_off_while_running() {
        let all = stories(&mesh(), &[], false, KubeVersion::NEWEST);
        let s = story(&all, "sidecar-crash-loop");
        let steps = seq(&s.status);
        assert!(steps.contains(&(
            10,
            "Init:CrashLoopBackOff".to_string(),
            "1/2".to_string(),
            "Running"
        )));
        // The sidecar's first crash shows as Init:Error; the app keeps the pod Running.
        assert!(steps.contains(&(6, "Init:Error".to_string(), "1/2".to_string(), "Running")));
        let running = s
            .status
            .iter()
            .position(|x| x.phase == PodPhase::Running)
            .unwrap();
        assert!(s.status[running..]
            .iter()
            .all(|x| x.phase == PodPhase::Running));
    }

    #[test]
    fn a_container_outliving_its_grace_period_is_killed_137_and_the_pod_fails() {
        let mut never = mesh();
        never.restart_policy = Some("Never".into());
        let all = stories(&never, &[], false, KubeVersion::NEWEST);
        let s = story(&all, "grace-exceeded");
        let steps = seq(&s.status);
        assert!(steps.contains(&(2, "Terminating".to_string(), "2/2".to_string(), "Running")));
        // The app is killed at 30 s; the proxy waits for its turn until the grace period is
        // spent, then gets the 2-second minimum.
        assert_eq!(
            steps.last().unwrap(),
            &(34, "Error".to_string(), "0/2".to_string(), "Failed")
        );
        let short = story(&all, "short-grace");
        assert_eq!(short.status.last().unwrap().at, 2 + 5 + 2);
    }

    #[test]
    fn completion_is_decided_by_role_not_by_position() {
        let two_apps = spec(json!({"restartPolicy": "Never", "containers": [
            {"name": "extract", "image": "e"}, {"name": "load", "image": "l"}]}));
        assert_eq!(
            completes(&two_apps, &[], false, KubeVersion::NEWEST),
            Some(true)
        );
        let all = stories(&two_apps, &[], false, KubeVersion::NEWEST);
        let done = story(&all, "job-completes");
        assert_eq!(
            seq(&done.status).last().unwrap(),
            &(5, "Completed".to_string(), "0/2".to_string(), "Succeeded")
        );
        let helper = vec!["load".to_string()];
        assert_eq!(
            completes(&two_apps, &helper, true, KubeVersion::NEWEST),
            Some(false)
        );
        let stuck = stories(&two_apps, &helper, true, KubeVersion::NEWEST);
        let s = story(&stuck, "job-completes");
        assert_eq!(
            seq(&s.status).last().unwrap(),
            &(5, "NotReady".to_string(), "1/2".to_string(), "Running")
        );
        assert!(s.outcome.starts_with("Running for ever"));
        let deployment = spec(json!({"containers": [{"name": "web", "image": "w"}]}));
        assert_eq!(
            completes(&deployment, &[], false, KubeVersion::NEWEST),
            None
        );
    }

    #[test]
    fn a_job_with_a_native_sidecar_completes_once_the_sidecar_is_stopped() {
        let mut job = mesh();
        job.restart_policy = Some("Never".into());
        let steps = seq(&normal_status(&job, &[], true, KubeVersion::NEWEST));
        let want = [
            (0, "Init:0/2", "0/2", "Pending"),
            (1, "Init:1/2", "0/2", "Pending"),
            (1, "PodInitializing", "1/2", "Pending"),
            (1, "Running", "2/2", "Running"),
            // The app's work is done; the sidecar still runs, so the pod is still Running.
            (6, "Completed", "1/2", "Running"),
            // The proxy's preStop sleep of 3 s runs first; then SIGTERM.
            (9, "Completed", "0/2", "Succeeded"),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(a, s, r, p)| (*a, s.to_string(), r.to_string(), *p))
            .collect();
        assert_eq!(steps, want);
    }

    #[test]
    fn before_1_29_a_sidecar_blocks_the_pod_in_init() {
        let st = normal_status(&mesh(), &[], false, KubeVersion::new(28));
        assert_eq!(
            seq(&st).last().unwrap(),
            &(1, "Init:1/2".to_string(), "0/1".to_string(), "Pending"),
            "restartPolicy dropped: a plain init container that never exits, not counted in READY"
        );
    }

    /// KEP-5307: a container's own restartPolicy decides, from 1.35.
    #[test]
    fn a_container_with_restart_policy_never_stays_exited_in_an_always_pod() {
        let s = spec(json!({"containers": [
            {"name": "once", "image": "o", "restartPolicy": "Never"},
            {"name": "web", "image": "w"}]}));
        let all = stories(&s, &[], false, KubeVersion::NEWEST);
        let own = story(&all, "container-restart-policy");
        assert_eq!(
            seq(&own.status).last().unwrap(),
            &(5, "Error".to_string(), "1/2".to_string(), "Running")
        );
        assert!(!stories(&s, &[], false, KubeVersion::new(34))
            .iter()
            .any(|x| x.id == "container-restart-policy"));
    }

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

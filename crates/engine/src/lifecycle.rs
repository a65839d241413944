//! The order in which a pod's containers start and stop, and a timeline for people to follow.
//!
//! Upstream: kubelet `pkg/kubelet/kuberuntime/kuberuntime_container.go`
//! (`computeInitContainerActions`: init containers strictly in declaration order; a plain one gates
//! on exit 0, a restartable one on being started: postStart done and startupProbe passed) and
//! `kuberuntime_termination_order.go` (main containers first, then sidecars in reverse declaration
//! order, serially, since 1.29). Grace periods: `killContainer`, `minimumGracePeriodInSeconds = 2`.

pub use crate::model::{EventKind, Scenario, Timeline, TimelineEvent, Variant};
use crate::version::KubeVersion;
use k8s_openapi::api::core::v1::{Container, PodSpec, Probe};

/// Probe defaults (pkg/apis/core/v1/defaults.go `SetDefaults_Probe`): period 10 s, failure 3.
fn probe_window(p: &Probe) -> (i64, i64) {
    let delay = p.initial_delay_seconds.unwrap_or(0) as i64;
    let period = p.period_seconds.unwrap_or(10).max(1) as i64;
    let failures = p.failure_threshold.unwrap_or(3).max(1) as i64;
    // Best: the first probe succeeds. Worst: the last probe before the container is given up on.
    (delay, delay + period * (failures - 1))
}

fn is_sidecar(c: &Container) -> bool {
    crate::facts::is_native_sidecar(c)
}

/// `lifecycle.startup` and `lifecycle.shutdown` of CONTRACT.md.
pub fn stages(spec: &PodSpec, version: KubeVersion) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let init = spec.init_containers.as_deref().unwrap_or(&[]);
    let mut startup: Vec<Vec<String>> = init.iter().map(|c| vec![c.name.clone()]).collect();
    let mains: Vec<String> = spec.containers.iter().map(|c| c.name.clone()).collect();
    startup.push(mains.clone());
    let sidecars: Vec<String> = init
        .iter()
        .filter(|c| is_sidecar(c))
        .map(|c| c.name.clone())
        .collect();
    let shutdown = if version.at_least(29) {
        let mut s = vec![mains];
        s.extend(sidecars.into_iter().rev().map(|n| vec![n]));
        s
    } else {
        // Before 1.29 (KEP-753 alpha) sidecars are terminated as regular containers.
        let mut all = mains;
        all.extend(sidecars);
        vec![all]
    };
    (startup, shutdown)
}

pub fn timeline(spec: &PodSpec, version: KubeVersion, batch: bool) -> Timeline {
    // The pod's grace period is one budget shared by every container.
    let grace = spec.termination_grace_period_seconds.unwrap_or(30).max(0);
    Timeline {
        startup: startup_events(spec),
        shutdown: shutdown_events(spec, version, grace),
        termination_grace_period_seconds: grace,
        notes: timeline_notes(spec, version, batch),
    }
}

/// From scheduling to every container ready: init containers one by one, then the containers.
fn startup_events(spec: &PodSpec) -> Vec<TimelineEvent> {
    let init = spec.init_containers.as_deref().unwrap_or(&[]);
    let mut startup = Vec::new();
    let (mut best, mut worst) = (0i64, 0i64);
    startup.push(TimelineEvent {
        stage: 0,
        container: None,
        kind: EventKind::Volumes,
        best: 0,
        worst: 0,
        nominal: false,
        text: "The pod is scheduled; its volumes are set up and the sandbox gets its network."
            .into(),
    });
    for (stage, c) in init.iter().enumerate() {
        let name = c.name.clone();
        let ev = |kind: EventKind, b: i64, w: i64, nominal: bool, text: String| TimelineEvent {
            stage,
            container: Some(name.clone()),
            kind,
            best: b,
            worst: w,
            nominal,
            text,
        };
        startup.push(ev(
            EventKind::Start,
            best,
            worst,
            false,
            format!("{name} starts."),
        ));
        if is_sidecar(c) {
            if c.lifecycle
                .as_ref()
                .and_then(|l| l.post_start.as_ref())
                .is_some()
            {
                startup.push(ev(EventKind::PostStart, best, worst, false, format!("{name} runs its postStart hook; nothing after it starts until the hook is done.")));
            }
            let (b, w) = c.startup_probe.as_ref().map(probe_window).unwrap_or((0, 0));
            best += b;
            worst += w;
            let text = if c.startup_probe.is_some() {
                format!("{name} passes its startupProbe: it counts as started and the next container may start.")
            } else {
                format!("{name} is running (no startupProbe): it counts as started at once and the next container starts.")
            };
            startup.push(ev(EventKind::Started, best, worst, false, text));
        } else {
            // Init work takes as long as it takes; one nominal second keeps the picture readable.
            best += 1;
            worst += 1;
            startup.push(ev(
                EventKind::Exit,
                best,
                worst,
                true,
                format!("{name} exits 0; the next container may start."),
            ));
        }
    }
    let main_stage = init.len();
    for c in &spec.containers {
        let name = c.name.clone();
        let ev = |kind: EventKind, b: i64, w: i64, text: String| TimelineEvent {
            stage: main_stage,
            container: Some(name.clone()),
            kind,
            best: b,
            worst: w,
            nominal: false,
            text,
        };
        startup.push(ev(
            EventKind::Start,
            best,
            worst,
            format!("{name} starts together with the other main containers."),
        ));
        let (sb, sw) = c.startup_probe.as_ref().map(probe_window).unwrap_or((0, 0));
        if c.startup_probe.is_some() {
            startup.push(ev(
                EventKind::Started,
                best + sb,
                worst + sw,
                format!("{name} passes its startupProbe; liveness and readiness probes begin."),
            ));
        }
        let (rb, rw) = c
            .readiness_probe
            .as_ref()
            .map(probe_window)
            .unwrap_or((0, 0));
        let text = if c.readiness_probe.is_some() {
            format!("{name} passes its readinessProbe and is ready.")
        } else {
            format!("{name} is ready as soon as it runs (no readinessProbe).")
        };
        startup.push(ev(EventKind::Ready, best + sb + rb, worst + sw + rw, text));
    }
    startup
}

/// From deletion to every container stopped, within the grace period.
fn shutdown_events(spec: &PodSpec, version: KubeVersion, grace: i64) -> Vec<TimelineEvent> {
    let init = spec.init_containers.as_deref().unwrap_or(&[]);
    let (_, shutdown_stages) = stages(spec, version);
    let mut shutdown = Vec::new();
    let ordered = version.at_least(29);
    for c in spec
        .containers
        .iter()
        .chain(init.iter().filter(|c| is_sidecar(c)))
    {
        if c.lifecycle
            .as_ref()
            .and_then(|l| l.pre_stop.as_ref())
            .is_some()
        {
            let stage = shutdown_stages
                .iter()
                .position(|s| s.contains(&c.name))
                .unwrap_or(0);
            shutdown.push(TimelineEvent {
                stage,
                container: Some(c.name.clone()),
                kind: EventKind::PreStop,
                best: 0,
                worst: 0,
                nominal: false,
                text: format!("{} runs its preStop hook at once (sidecars' hooks run now too, before their SIGTERM).", c.name),
            });
        }
    }
    for c in &spec.containers {
        shutdown.push(TimelineEvent {
            stage: 0,
            container: Some(c.name.clone()),
            kind: EventKind::Sigterm,
            best: 0,
            worst: 0,
            nominal: false,
            text: format!("{} gets SIGTERM (after its preStop hook, if any).", c.name),
        });
        shutdown.push(TimelineEvent {
            stage: 0,
            container: Some(c.name.clone()),
            kind: EventKind::Stopped,
            best: 0,
            worst: grace.max(2),
            nominal: false,
            text: format!(
                "{} exits, or is killed with SIGKILL when the {grace} s grace period runs out.",
                c.name
            ),
        });
    }
    let sidecars: Vec<&Container> = init.iter().filter(|c| is_sidecar(c)).collect();
    let mut prev_worst = grace.max(2);
    for (k, c) in sidecars.iter().rev().enumerate() {
        let stage = if ordered { k + 1 } else { 0 };
        let (term_best, term_worst) = if ordered { (0, prev_worst) } else { (0, 0) };
        // killContainer: what is left of the grace period, but never less than 2 s.
        let remaining = (grace - term_worst).max(2);
        let stop_worst = term_worst + remaining;
        shutdown.push(TimelineEvent {
            stage,
            container: Some(c.name.clone()),
            kind: EventKind::Sigterm,
            best: term_best,
            worst: term_worst,
            nominal: false,
            text: if ordered {
                format!("{} gets SIGTERM once the main containers{} have stopped.", c.name, if k == 0 { "" } else { " and the sidecars declared after it" })
            } else {
                format!("{} gets SIGTERM together with the main containers (before 1.29 sidecars are not ordered).", c.name)
            },
        });
        shutdown.push(TimelineEvent {
            stage,
            container: Some(c.name.clone()),
            kind: EventKind::Stopped,
            best: term_best,
            worst: stop_worst,
            nominal: false,
            text: format!(
                "{} exits, or gets SIGKILL after {} s more (the 2-second minimum applies).",
                c.name, remaining
            ),
        });
        if ordered {
            prev_worst = stop_worst;
        }
    }
    shutdown
}

/// Facts about this pod's lifecycle worth saying.
fn timeline_notes(spec: &PodSpec, version: KubeVersion, batch: bool) -> Vec<String> {
    let init = spec.init_containers.as_deref().unwrap_or(&[]);
    let sidecars: Vec<&Container> = init.iter().filter(|c| is_sidecar(c)).collect();
    let mut notes = Vec::new();
    let classic_helpers = spec.containers.len() > 1;
    if batch {
        if !sidecars.is_empty() {
            notes.push("When every main container has exited, the kubelet stops the native sidecars and the pod can succeed: the Job completes.".into());
        }
        if classic_helpers {
            notes.push("A Job's pod succeeds only when every entry of containers exits: a helper there that never exits keeps the Job running forever.".into());
        }
    }
    if !sidecars.is_empty() && !version.at_least(29) {
        notes.push(format!("At Kubernetes {version} sidecars are not stopped in order: they get SIGTERM together with the main containers."));
    }
    notes
}

/// The segments in which each container runs, for drawing its lane: from each start to the next
/// exit, stop, kill or failed probe, or to `end` while still running. `moments` are (second,
/// container, kind) in time order; containers come out in the order they first appear.
pub fn lane_segments<'a>(
    moments: impl IntoIterator<Item = (f64, Option<&'a str>, EventKind)>,
    end: f64,
) -> Vec<(&'a str, Vec<(f64, f64)>)> {
    // Per container: its closed segments and the start of an open one.
    type Lane<'n> = (&'n str, Vec<(f64, f64)>, Option<f64>);
    let mut lanes: Vec<Lane> = Vec::new();
    for (at, container, kind) in moments {
        let Some(name) = container else { continue };
        let i = match lanes.iter().position(|(n, _, _)| *n == name) {
            Some(i) => i,
            None => {
                lanes.push((name, Vec::new(), None));
                lanes.len() - 1
            }
        };
        let (_, segments, open) = &mut lanes[i];
        if kind.starts_running() && open.is_none() {
            *open = Some(at);
        } else if kind.stops_running() {
            if let Some(s) = open.take() {
                segments.push((s, at));
            }
        }
    }
    lanes
        .into_iter()
        .map(|(name, mut segments, open)| {
            if let Some(s) = open {
                segments.push((s, end));
            }
            (name, segments)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::Container;

    fn c(name: &str, sidecar: bool) -> Container {
        Container {
            name: name.into(),
            restart_policy: sidecar.then(|| "Always".to_string()),
            ..Default::default()
        }
    }

    fn spec(init: Vec<Container>, main: Vec<Container>) -> PodSpec {
        PodSpec {
            init_containers: Some(init),
            containers: main,
            ..Default::default()
        }
    }

    #[test]
    fn sidecar_declared_after_init_starts_after_it_exits() {
        let s = spec(
            vec![c("migrate", false), c("proxy", true)],
            vec![c("app", false)],
        );
        let (start, _) = stages(&s, KubeVersion::NEWEST);
        assert_eq!(
            start,
            vec![
                vec!["migrate".to_string()],
                vec!["proxy".into()],
                vec!["app".into()]
            ]
        );
    }

    #[test]
    fn sidecars_stop_after_the_main_containers_in_reverse_order() {
        let s = spec(
            vec![c("a", true), c("init", false), c("b", true)],
            vec![c("app", false), c("web", false)],
        );
        let (_, stop) = stages(&s, KubeVersion::NEWEST);
        assert_eq!(
            stop,
            vec![
                vec!["app".to_string(), "web".into()],
                vec!["b".into()],
                vec!["a".into()]
            ]
        );
    }

    #[test]
    fn before_1_29_sidecars_stop_with_the_main_containers() {
        let s = spec(vec![c("a", true)], vec![c("app", false)]);
        let (_, stop) = stages(&s, KubeVersion::new(28));
        assert_eq!(stop, vec![vec!["app".to_string(), "a".into()]]);
    }

    #[test]
    fn startup_probe_settings_give_best_and_worst_seconds() {
        let mut side = c("log", true);
        side.startup_probe = Some(Probe {
            initial_delay_seconds: Some(2),
            period_seconds: Some(2),
            failure_threshold: Some(30),
            ..Default::default()
        });
        let t = timeline(
            &spec(vec![side], vec![c("app", false)]),
            KubeVersion::NEWEST,
            false,
        );
        let started = t
            .startup
            .iter()
            .find(|e| e.kind == EventKind::Started)
            .unwrap();
        assert_eq!((started.best, started.worst), (2, 2 + 2 * 29));
        let app = t
            .startup
            .iter()
            .find(|e| e.kind == EventKind::Start && e.container.as_deref() == Some("app"))
            .unwrap();
        assert_eq!((app.best, app.worst), (2, 60));
    }

    #[test]
    fn sidecars_get_at_least_two_seconds_after_the_grace_period_is_spent() {
        let mut s = spec(vec![c("a", true), c("b", true)], vec![c("app", false)]);
        s.termination_grace_period_seconds = Some(10);
        let t = timeline(&s, KubeVersion::NEWEST, false);
        let stop = |n: &str| {
            t.shutdown
                .iter()
                .find(|e| e.kind == EventKind::Stopped && e.container.as_deref() == Some(n))
                .unwrap()
                .worst
        };
        assert_eq!(stop("app"), 10);
        assert_eq!(stop("b"), 12);
        assert_eq!(stop("a"), 14);
    }
}

/// The kubelet's crash-loop back-off: 10 s, doubling, at most 300 s
/// (pkg/kubelet/kubelet.go `initialBackOffPeriod`/`MaxContainerBackOff`).
const BACKOFF: [i64; 3] = [10, 20, 40];

fn event(stage: usize, container: &str, kind: EventKind, at: i64, text: String) -> TimelineEvent {
    TimelineEvent {
        stage,
        container: Some(container.to_string()),
        kind,
        best: at,
        worst: at,
        nominal: false,
        text,
    }
}

fn policy_of(spec: &PodSpec, batch: bool) -> &str {
    spec.restart_policy
        .as_deref()
        .unwrap_or(if batch { "Never" } else { "Always" })
}

fn policy_is_restart(p: &str) -> bool {
    p == "Always" || p == "OnFailure"
}

/// The scenarios that apply to this pod: failures, Job completion, a rushed deletion.
pub fn scenarios(spec: &PodSpec, version: KubeVersion, batch: bool) -> Vec<Scenario> {
    let mut out = Vec::new();
    if spec.containers.is_empty() {
        return out;
    }
    init_failure(spec, batch, &mut out);
    sidecar_startup_failure(spec, &mut out);
    job_completion(spec, version, batch, &mut out);
    rushed_deletion(spec, version, &mut out);
    out
}

/// An init container that exits non-zero, under restartPolicy Never and Always.
fn init_failure(spec: &PodSpec, batch: bool, out: &mut Vec<Scenario>) {
    let init = spec.init_containers.as_deref().unwrap_or(&[]);
    let mains: Vec<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
    // An init container that exits non-zero (kuberuntime_container.go computeInitContainerActions),
    // under both restart policies, since the difference is the lesson.
    if let Some((i, c)) = init.iter().enumerate().find(|(_, c)| !is_sidecar(c)) {
        for policy in ["Never", "Always"] {
            let mut events = vec![
                event(
                    i,
                    &c.name,
                    EventKind::Start,
                    0,
                    format!("{} starts.", c.name),
                ),
                event(
                    i,
                    &c.name,
                    EventKind::Exit,
                    1,
                    format!("{} exits with code 1.", c.name),
                ),
            ];
            let outcome = if policy == "Never" {
                events.push(TimelineEvent {
                    stage: i,
                    container: None,
                    kind: EventKind::PodFailed,
                    best: 1,
                    worst: 1,
                    nominal: false,
                    text: "restartPolicy is Never: the kubelet kills the pod, which fails; no main container ever starts.".into(),
                });
                "Failed: an init container failed under restartPolicy Never.".to_string()
            } else {
                let mut t = 1;
                for (n, wait) in BACKOFF.iter().enumerate() {
                    t += wait;
                    events.push(event(
                        i,
                        &c.name,
                        EventKind::Start,
                        t,
                        format!(
                            "After a {wait} s back-off the kubelet runs {} again (attempt {}).",
                            c.name,
                            n + 2
                        ),
                    ));
                    t += 1;
                    events.push(event(
                        i,
                        &c.name,
                        EventKind::Exit,
                        t,
                        format!(
                            "{} fails again; the back-off doubles, up to 5 minutes.",
                            c.name
                        ),
                    ));
                }
                format!(
                    "Pending (Init:CrashLoopBackOff): under restartPolicy Always (or OnFailure) the kubelet retries '{}' with a growing back-off; {} wait and never start until it exits 0.",
                    c.name,
                    mains.join(", ")
                )
            };
            let yours = if policy == "Always" && policy_is_restart(policy_of(spec, batch))
                || policy == "Never" && policy_of(spec, batch) == "Never"
            {
                " (this pod's policy)"
            } else {
                ""
            };
            out.push(Scenario {
                id: format!("init-fails-{}", policy.to_ascii_lowercase()),
                title: format!("{} exits non-zero, restartPolicy {policy}{yours}", c.name),
                events,
                outcome,
            });
        }
    }
}

/// A native sidecar that never passes its startupProbe.
fn sidecar_startup_failure(spec: &PodSpec, out: &mut Vec<Scenario>) {
    let init = spec.init_containers.as_deref().unwrap_or(&[]);
    // A sidecar that never passes its startupProbe.
    if let Some((i, c)) = init
        .iter()
        .enumerate()
        .find(|(_, c)| is_sidecar(c) && c.startup_probe.is_some())
    {
        let (_, worst) = probe_window(c.startup_probe.as_ref().unwrap());
        let period = c
            .startup_probe
            .as_ref()
            .and_then(|p| p.period_seconds)
            .unwrap_or(10) as i64;
        let give_up = worst + period;
        let mut events = vec![event(
            i,
            &c.name,
            EventKind::Start,
            0,
            format!("{} starts; its startupProbe begins.", c.name),
        )];
        events.push(event(
            i,
            &c.name,
            EventKind::ProbeFailed,
            give_up,
            format!(
                "{} fails its startupProbe failureThreshold times: the kubelet kills it.",
                c.name
            ),
        ));
        events.push(event(
            i,
            &c.name,
            EventKind::Start,
            give_up + BACKOFF[0],
            format!(
                "{} is started again after a back-off; the containers after it still wait.",
                c.name
            ),
        ));
        out.push(Scenario {
            id: "sidecar-startup-fails".into(),
            title: format!("{} never passes its startupProbe", c.name),
            events,
            outcome: format!(
                "Pending: '{}' is restarted with a growing back-off whatever the pod's restartPolicy, and nothing declared after it starts until its startupProbe passes.",
                c.name
            ),
        });
    }
}

/// How a Job's pod completes, or does not.
fn job_completion(spec: &PodSpec, version: KubeVersion, batch: bool, out: &mut Vec<Scenario>) {
    let init = spec.init_containers.as_deref().unwrap_or(&[]);
    let mains: Vec<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
    let main_stage = init.len();
    // Job completion: main containers exit 0; native sidecars are then stopped; classic helpers are not.
    if batch {
        let sidecars: Vec<&Container> = init.iter().filter(|c| is_sidecar(c)).collect();
        let mut events = Vec::new();
        let mut t = 5;
        let helpers: Vec<&str> = mains.iter().copied().skip(1).collect();
        events.push(event(
            main_stage,
            mains[0],
            EventKind::Exit,
            t,
            format!("{} finishes its work and exits 0.", mains[0]),
        ));
        let outcome = if !helpers.is_empty() {
            for h in &helpers {
                events.push(event(main_stage, h, EventKind::Running, t, format!("{h} is an entry of containers: nothing stops it, and the pod waits for it to exit.")));
            }
            format!(
                "Running forever: the pod succeeds only when every entry of containers has exited, and {} keep{} running, so the Job never completes.",
                helpers.join(", "),
                if helpers.len() == 1 { "s" } else { "" }
            )
        } else if !sidecars.is_empty() && version.sidecar_gate().enabled() {
            for (k, s) in sidecars.iter().rev().enumerate() {
                t += 1;
                events.push(event(main_stage + 1 + k, &s.name, EventKind::Sigterm, t, format!("The main containers are done: the kubelet stops native sidecar {} (in reverse order).", s.name)));
            }
            "Succeeded: the main containers exited 0 and the kubelet stopped the native sidecars; their exit codes do not count. The Job completes.".to_string()
        } else {
            "Succeeded: every container exited 0.".to_string()
        };
        out.push(Scenario {
            id: "job-completes".into(),
            title: "The Job's work finishes".into(),
            events,
            outcome,
        });
    }
}

/// A deletion with a short grace period.
fn rushed_deletion(spec: &PodSpec, version: KubeVersion, out: &mut Vec<Scenario>) {
    let init = spec.init_containers.as_deref().unwrap_or(&[]);
    let mains: Vec<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
    // Deletion with a short grace period: the main containers use it up, sidecars get 2 s each.
    let short = 5;
    let mut events = Vec::new();
    for m in &mains {
        events.push(event(
            0,
            m,
            EventKind::Sigterm,
            0,
            format!("{m} gets SIGTERM."),
        ));
        events.push(event(
            0,
            m,
            EventKind::Sigkill,
            short,
            format!("{m} is still running when the {short} s grace period ends: SIGKILL."),
        ));
    }
    let mut t = short;
    if version.at_least(29) {
        for (k, s) in init.iter().filter(|c| is_sidecar(c)).rev().enumerate() {
            events.push(event(
                k + 1,
                &s.name,
                EventKind::Sigterm,
                t,
                format!(
                    "{} gets SIGTERM with the 2-second minimum, since the grace period is spent.",
                    s.name
                ),
            ));
            t += 2;
            events.push(event(
                k + 1,
                &s.name,
                EventKind::Sigkill,
                t,
                format!("{} gets SIGKILL.", s.name),
            ));
        }
    }
    out.push(Scenario {
        id: "short-grace".into(),
        title: format!("kubectl delete --grace-period={short}"),
        events,
        outcome: format!("Deleted after {t} s: a grace period the main containers exhaust leaves each sidecar only the 2-second minimum, one after the other."),
    });
}

#[cfg(test)]
mod scenario_tests {
    use super::*;

    fn c(name: &str, sidecar: bool) -> Container {
        Container {
            name: name.into(),
            restart_policy: sidecar.then(|| "Always".to_string()),
            ..Default::default()
        }
    }

    #[test]
    fn an_init_failure_fails_the_pod_only_under_restart_policy_never() {
        let mut s = PodSpec {
            init_containers: Some(vec![c("migrate", false)]),
            containers: vec![c("app", false)],
            ..Default::default()
        };
        s.restart_policy = Some("Never".into());
        let all = scenarios(&s, KubeVersion::NEWEST, false);
        let never = all.iter().find(|x| x.id == "init-fails-never").unwrap();
        assert!(never.outcome.starts_with("Failed"));
        assert!(never.title.ends_with("(this pod's policy)"));
        let always = all.iter().find(|x| x.id == "init-fails-always").unwrap();
        assert!(always
            .outcome
            .starts_with("Pending (Init:CrashLoopBackOff)"));
        assert!(!always.title.ends_with("(this pod's policy)"));
    }

    #[test]
    fn a_job_with_a_native_sidecar_completes_and_with_a_classic_helper_does_not() {
        let native = PodSpec {
            init_containers: Some(vec![c("shipper", true)]),
            containers: vec![c("report", false)],
            ..Default::default()
        };
        let s = scenarios(&native, KubeVersion::NEWEST, true);
        assert!(s
            .iter()
            .find(|x| x.id == "job-completes")
            .unwrap()
            .outcome
            .starts_with("Succeeded"));
        let classic = PodSpec {
            containers: vec![c("report", false), c("shipper", false)],
            ..Default::default()
        };
        let s = scenarios(&classic, KubeVersion::NEWEST, true);
        assert!(s
            .iter()
            .find(|x| x.id == "job-completes")
            .unwrap()
            .outcome
            .starts_with("Running forever"));
    }

    #[test]
    fn a_sidecar_failing_its_startup_probe_is_restarted() {
        let mut side = c("proxy", true);
        side.startup_probe = Some(Probe {
            period_seconds: Some(5),
            failure_threshold: Some(3),
            ..Default::default()
        });
        let s = PodSpec {
            init_containers: Some(vec![side]),
            containers: vec![c("app", false)],
            ..Default::default()
        };
        let sc = scenarios(&s, KubeVersion::NEWEST, false);
        let f = sc.iter().find(|x| x.id == "sidecar-startup-fails").unwrap();
        let failed = f
            .events
            .iter()
            .find(|e| e.kind == EventKind::ProbeFailed)
            .unwrap();
        assert_eq!(
            failed.best, 15,
            "three failures at 0, 5 and 10 s; given up at 15 s"
        );
        // The kubelet restarts it after the first crash-loop back-off (10 s), whatever the
        // pod's restartPolicy, and nothing after it starts meanwhile.
        let kinds: Vec<(Option<&str>, EventKind, i64)> = f
            .events
            .iter()
            .map(|e| (e.container.as_deref(), e.kind, e.best))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (Some("proxy"), EventKind::Start, 0),
                (Some("proxy"), EventKind::ProbeFailed, 15),
                (Some("proxy"), EventKind::Start, 25),
            ]
        );
        assert!(
            f.outcome.starts_with("Pending: 'proxy' is restarted"),
            "{}",
            f.outcome
        );
    }
}

/// The same pod with its helpers as classic containers and as native sidecars, for comparison.
/// `helpers` names the containers in `containers` that are not the app.
pub fn compare(
    spec: &PodSpec,
    helpers: &[String],
    version: KubeVersion,
    batch: bool,
) -> Option<(Variant, Variant)> {
    let init = spec.init_containers.clone().unwrap_or_default();
    let has_native = init.iter().any(is_sidecar);
    let has_classic = spec.containers.iter().any(|c| helpers.contains(&c.name));
    if !has_native && !has_classic {
        return None;
    }
    // Classic: every native sidecar becomes an entry of containers.
    let mut classic = crate::manifest::copy_pod_spec(spec);
    let (natives, plain): (Vec<Container>, Vec<Container>) =
        init.iter().cloned().partition(is_sidecar);
    classic.init_containers = Some(plain);
    classic.containers.extend(natives.into_iter().map(|mut c| {
        c.restart_policy = None;
        c.startup_probe = None;
        c
    }));
    // Native: every classic helper becomes a native sidecar after the existing init containers.
    let mut native = crate::manifest::copy_pod_spec(spec);
    let (moved, kept): (Vec<Container>, Vec<Container>) = spec
        .containers
        .iter()
        .cloned()
        .partition(|c| helpers.contains(&c.name));
    native.containers = kept;
    let mut native_init = init;
    native_init.extend(moved.into_iter().map(|mut c| {
        c.restart_policy = Some("Always".into());
        c.readiness_probe = None;
        c
    }));
    native.init_containers = Some(native_init);
    let variant = |label: &str, s: &PodSpec, v: KubeVersion| {
        let (startup, shutdown) = stages(s, v);
        let lanes = s
            .init_containers
            .iter()
            .flatten()
            .map(|c| (c.name.clone(), crate::patterns::form_of(c, true)))
            .chain(
                s.containers
                    .iter()
                    .map(|c| (c.name.clone(), crate::patterns::form_of(c, false))),
            )
            .collect();
        Variant {
            label: label.into(),
            lanes,
            startup,
            shutdown,
            timeline: timeline(s, v, batch),
        }
    };
    // Native sidecars need 1.29; compare at least there.
    let native_version = if version.at_least(29) {
        version
    } else {
        KubeVersion::new(29)
    };
    Some((
        variant("helpers as classic containers", &classic, version),
        variant("helpers as native sidecars", &native, native_version),
    ))
}

#[cfg(test)]
mod lane_tests {
    use super::*;

    #[test]
    fn a_lane_runs_from_each_start_to_its_exit_and_stays_open_to_the_end() {
        use EventKind::*;
        let moments = [
            (0.0, None, Volumes),
            (1.0, Some("init"), Start),
            (3.0, Some("init"), Exit),
            (4.0, Some("app"), Start),
            (5.0, Some("app"), Start),
            (6.0, Some("app"), ProbeFailed),
            (9.0, Some("app"), Start),
            (10.0, Some("app"), Sigterm),
            (12.0, Some("side"), Start),
            (13.0, Some("side"), Sigkill),
        ];
        assert_eq!(
            lane_segments(moments, 20.0),
            vec![
                ("init", vec![(1.0, 3.0)]),
                ("app", vec![(4.0, 6.0), (9.0, 20.0)]),
                ("side", vec![(12.0, 13.0)]),
            ]
        );
    }
}

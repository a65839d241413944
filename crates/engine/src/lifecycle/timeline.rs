use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::scenarios::{self, hook_words};
use super::stages;
use super::startup::{self, is_sidecar, Role};
use super::termination::{self, HookAction};
use crate::model::{EventKind, Timeline, TimelineEvent};
use crate::version::KubeVersion;

fn hook_text(h: HookAction) -> String {
    match h {
        HookAction::Sleep(s) => format!("sleeps {s} s"),
        HookAction::Exec => {
            "runs a command (its time is the command's; one nominal second here)".into()
        }
        HookAction::HttpGet => {
            "calls an HTTP endpoint (its time is the endpoint's; one nominal second here)".into()
        }
        HookAction::TcpSocket => "is a tcpSocket hook, which the kubelet does not run".into(),
    }
}

pub fn timeline(spec: &PodSpec, version: KubeVersion, batch: bool) -> Timeline {
    let grace = scenarios::grace_of(spec);
    Timeline {
        startup: startup_events(spec),
        shutdown: shutdown_events(spec, version, grace),
        termination_grace_period_seconds: grace,
        notes: timeline_notes(spec, version, batch),
    }
}

/// The start, from `startup`'s timings: each container's start, postStart hook, started and ready.
fn startup_events(spec: &PodSpec) -> Vec<TimelineEvent> {
    let mut startup = vec![TimelineEvent {
        stage: 0,
        container: None,
        kind: EventKind::Volumes,
        best: 0,
        worst: 0,
        nominal: false,
        text: "The pod is scheduled; its volumes are set up and the sandbox gets its network."
            .into(),
    }];
    let starts = startup::starts(spec);
    let next_of = |i: usize| starts.get(i + 1).map(|n| n.name.clone());
    for (i, s) in starts.iter().enumerate() {
        let name = s.name.clone();
        let ev = |kind: EventKind, (best, worst): (i64, i64), nominal: bool, text: String| {
            TimelineEvent {
                stage: s.stage,
                container: Some(name.clone()),
                kind,
                best,
                worst,
                nominal,
                text,
            }
        };
        let prev_main = (i > 0 && starts[i - 1].role == Role::Main).then(|| &starts[i - 1]);
        let next_main = starts.get(i + 1).is_some_and(|n| n.role == Role::Main);
        let start_text = match (s.role, prev_main) {
            (Role::Main, Some(p)) if p.post_start.is_some() => {
                format!("{name} starts once {}'s postStart hook is done.", p.name)
            }
            (Role::Main, Some(p)) => format!("{name} starts right after {}.", p.name),
            (Role::Main, None) if next_main => format!(
                "{name} starts; the kubelet starts the entries of containers one after another, in order."
            ),
            _ => format!("{name} starts."),
        };
        startup.push(ev(EventKind::Start, s.start, false, start_text));
        if let Some(h) = s.post_start {
            let waits = match (s.role, next_of(i)) {
                (_, Some(n)) => format!("; {n} waits for it"),
                (_, None) => String::new(),
            };
            startup.push(ev(
                EventKind::PostStart,
                s.start,
                s.nominal,
                format!(
                    "{name} runs its postStart hook, which {}{waits}.",
                    hook_text(h)
                ),
            ));
        }
        match s.role {
            Role::Init => startup.push(ev(
                EventKind::Exit,
                s.started,
                true,
                format!("{name} exits 0; the next container may start."),
            )),
            Role::Sidecar => {
                let text = if s.startup_probe {
                    format!("{name} passes its startupProbe: it counts as started and the next container may start.")
                } else if s.post_start.is_some() {
                    format!("{name}'s postStart hook is done (no startupProbe): it counts as started and the next container starts.")
                } else {
                    format!("{name} is running (no startupProbe): it counts as started at once and the next container starts.")
                };
                startup.push(ev(EventKind::Started, s.started, s.nominal, text));
                push_ready(&mut startup, s, &ev);
            }
            Role::Main => {
                if s.startup_probe {
                    startup.push(ev(
                        EventKind::Started,
                        s.started,
                        s.nominal,
                        format!(
                            "{name} passes its startupProbe; liveness and readiness probes begin."
                        ),
                    ));
                }
                push_ready(&mut startup, s, &ev);
            }
        }
    }

    startup
}

/// The stop, from `termination`'s timings: the pod's grace period is every container's own
/// budget, timed in parallel.
fn shutdown_events(spec: &PodSpec, version: KubeVersion, grace: i64) -> Vec<TimelineEvent> {
    let (_, shutdown_stages) = stages(spec, version);
    let ordered = version.at_least(29);
    let signal = scenarios::stop_signal_words(spec, version);
    let stage_of = |n: &str| {
        shutdown_stages
            .iter()
            .position(|s| s.iter().any(|x| x == n))
            .unwrap_or(0)
    };
    let mut shutdown = Vec::new();
    let stops = termination::stops(spec, grace, ordered);
    for s in &stops {
        let ev = |kind: EventKind, (best, worst): (i64, i64), text: String| TimelineEvent {
            stage: stage_of(&s.name),
            container: Some(s.name.clone()),
            kind,
            best,
            worst,
            nominal: false,
            text,
        };
        if let (Some(h), Some(end)) = (s.pre_stop, s.pre_stop_end) {
            shutdown.push(ev(
                EventKind::PreStop,
                (0, 0),
                format!(
                    "{} runs its preStop hook ({}) at once{}; it ends by {} s at the latest, and its time comes out of the grace period.",
                    s.name,
                    hook_words(h),
                    if s.sidecar { ", before its turn" } else { "" },
                    end.1
                ),
            ));
        }
        let sig_text = if s.sidecar && ordered {
            format!("{} gets {signal} once the main containers and the sidecars declared after it are gone, or when its wait runs out at {grace} s.", s.name)
        } else if s.sidecar {
            format!("{} gets {signal} together with the main containers (before 1.29 sidecars are not ordered).", s.name)
        } else {
            format!(
                "{} gets {signal}{}.",
                s.name,
                if s.pre_stop.is_some() {
                    " once its preStop hook is done"
                } else {
                    ""
                }
            )
        };
        shutdown.push(ev(EventKind::Sigterm, s.signal, sig_text));
        shutdown.push(ev(
            EventKind::Stopped,
            s.gone,
            format!(
                "{} exits, or gets SIGKILL {} s after its signal{}.",
                s.name,
                s.kill_after.1,
                if s.kill_after.1 == termination::MINIMUM_GRACE_PERIOD_SECONDS
                    && grace > 0
                    && s.signal.1 >= grace - 1
                {
                    " (the 2-second minimum, since the grace period is spent)"
                } else {
                    ""
                }
            ),
        ));
    }

    shutdown
}

fn timeline_notes(spec: &PodSpec, version: KubeVersion, batch: bool) -> Vec<String> {
    let sidecars: Vec<&Container> = spec
        .init_containers
        .iter()
        .flatten()
        .filter(|c| is_sidecar(c))
        .collect();
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
    if let Some(c) = spec.containers.iter().find(|c| startup::has_post_start(c)) {
        if spec.containers.len() > 1 {
            notes.push(format!("{}'s postStart hook holds back the entries of containers declared after it: the kubelet starts them one after another (kuberuntime_manager.go SyncPod).", c.name));
        }
    }
    let set_signal = spec
        .containers
        .iter()
        .chain(sidecars.iter().copied())
        .any(|c| {
            c.lifecycle
                .as_ref()
                .is_some_and(|l| l.stop_signal.is_some())
        });
    if set_signal && !version.container_stop_signals_gate().enabled() {
        notes.push(format!("lifecycle.stopSignal needs the ContainerStopSignals feature gate (alpha since 1.33, off by default): at {version} the kubelet sends the image's STOPSIGNAL, SIGTERM by default."));
    }
    notes
}

fn push_ready<F>(out: &mut Vec<TimelineEvent>, s: &startup::Start, ev: &F)
where
    F: Fn(EventKind, (i64, i64), bool, String) -> TimelineEvent,
{
    let Some(r) = s.ready else { return };
    let text = if s.readiness_probe {
        format!("{} passes its readinessProbe and is ready.", s.name)
    } else {
        format!(
            "{} is ready as soon as it is started (no readinessProbe).",
            s.name
        )
    };
    out.push(ev(EventKind::Ready, r, s.nominal, text));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::testkit::{container as c, pod as spec};
    use k8s_openapi::api::core::v1::Probe;

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

    /// kuberuntime_termination_order_test.go TestTerminationOrderingObeysGrace: each container's
    /// wait is its own timer of the grace period, so once the app has used it up both sidecars
    /// get the 2-second minimum at the same moment (podlab used to give them 2 s one after the
    /// other: 12 and 14 s).
    #[test]
    fn sidecars_get_the_two_second_minimum_together_after_the_grace_period_is_spent() {
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
        assert_eq!(stop("a"), 12);
    }

    #[test]
    fn hooks_are_on_their_lanes() {
        let mut proxy = c("proxy", false);
        proxy.lifecycle = Some(k8s_openapi::api::core::v1::Lifecycle {
            post_start: Some(k8s_openapi::api::core::v1::LifecycleHandler {
                sleep: Some(k8s_openapi::api::core::v1::SleepAction { seconds: 3 }),
                ..Default::default()
            }),
            pre_stop: Some(k8s_openapi::api::core::v1::LifecycleHandler {
                exec: Some(Default::default()),
                ..Default::default()
            }),
            ..Default::default()
        });
        let t = timeline(
            &spec(vec![], vec![proxy, c("app", false)]),
            KubeVersion::NEWEST,
            false,
        );
        let at = |kind, n: &str, list: &[TimelineEvent]| {
            list.iter()
                .find(|e| e.kind == kind && e.container.as_deref() == Some(n))
                .map(|e| (e.stage, e.best, e.worst))
        };
        assert_eq!(
            at(EventKind::PostStart, "proxy", &t.startup),
            Some((0, 0, 0))
        );
        assert_eq!(at(EventKind::Start, "app", &t.startup), Some((1, 3, 3)));
        assert_eq!(
            at(EventKind::PreStop, "proxy", &t.shutdown),
            Some((0, 0, 0))
        );
        // A preStop hook that runs to the end of the grace period leaves the 2-second minimum.
        assert_eq!(
            at(EventKind::Stopped, "proxy", &t.shutdown),
            Some((0, 0, 32))
        );
        assert!(t
            .notes
            .iter()
            .any(|n| n.starts_with("proxy's postStart hook holds back")));
    }
}

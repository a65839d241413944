//! A native sidecar failing its startupProbe, and one crash-looping beside the app.

use super::*;

pub(super) fn sidecar_startup_fails(spec: &PodSpec, name: &str, rules: bool) -> Story {
    let mut t = Teller::new(spec);
    let i = t.starts.iter().position(|s| s.name == name).unwrap_or(0);
    t.start_before(i);
    let st = t.starts[i].clone();
    let c = sidecars(spec)
        .into_iter()
        .find(|c| c.name == name)
        .map(crate::manifest::copy_container)
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
        t.beat(name, EventKind::Start, at, if round == 0 { format!("{name} starts; its startupProbe begins.") } else { format!("The kubelet starts {name} again, whatever the pod's restartPolicy (restart {round}).") }, Some(Happening::Runs(name.to_string())));
        if round > 0 {
            t.happening(at, Happening::Restarts(name.to_string()));
        }
        at += give_up;
        t.beat(
            name,
            EventKind::ProbeFailed,
            at,
            format!("{name} fails its startupProbe failureThreshold times: the kubelet kills it."),
            None,
        );
        let hook = pre_stop.map(|h| h.span(grace).0).unwrap_or(0);
        if let Some(h) = pre_stop {
            t.beat(
                name,
                EventKind::PreStop,
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
            EventKind::Sigterm,
            at + hook,
            format!("{name} gets SIGTERM."),
            None,
        );
        at += hook;
        let exit = Exit::code(termination::SIGTERM_EXIT_CODE);
        t.beat(
            name,
            EventKind::Stopped,
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

pub(super) fn sidecar_crash_loops(spec: &PodSpec, name: &str, rules: bool) -> Story {
    let mut t = Teller::new(spec);
    t.start_before(usize::MAX);
    let up = t.all_ready() + WORK_SECONDS;
    let fail = Exit::code(1);
    let mut at = up;
    for (k, wait) in BACKOFF.iter().enumerate() {
        t.beat(
            name,
            EventKind::Exit,
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
            EventKind::Start,
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
        EventKind::Exit,
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

#[cfg(test)]
mod tests {
    use crate::lifecycle::scenarios::testkit::*;

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
            .find(|b| b.kind == EventKind::ProbeFailed)
            .unwrap();
        // Failures at 0, 2 and 4 s after the start at 1 s: given up at 5 s.
        assert_eq!(failed.at, 5);
        assert!(s
            .beats
            .iter()
            .any(|b| b.kind == EventKind::PreStop && b.at == 5));
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
}

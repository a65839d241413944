//! A deletion: the grace period, preStop hooks, the stop signal, and what is killed.

use super::*;

/// `kubectl delete` while every container ignores its stop signal: each holds on until SIGKILL.
pub(super) fn deleted(
    spec: &PodSpec,
    version: KubeVersion,
    id: &str,
    grace: i64,
    rules: bool,
) -> Story {
    let mut t = Teller::new(spec);
    t.start_before(usize::MAX);
    let up = t.all_ready() + 1;
    t.pod_beat(
        EventKind::Sigterm,
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
                EventKind::PreStop,
                up,
                format!("{n} runs its preStop hook ({}) at once.", hook_words(h)),
                None,
            );
        }
        t.beat(
            &n,
            EventKind::Sigterm,
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
            EventKind::Sigkill,
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

#[cfg(test)]
mod tests {
    use crate::lifecycle::scenarios::testkit::*;

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
}

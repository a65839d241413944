//! An init container failing, under each restart policy.

use super::*;

/// `s` is `spec` with its restartPolicy set to `policy`.
pub(super) fn init_fails(
    spec: &PodSpec,
    s: &PodSpec,
    i: usize,
    policy: &str,
    yours: bool,
    rules: bool,
) -> Story {
    debug_assert_eq!(s.restart_policy.as_deref(), Some(policy));
    let mut t = Teller::new(s);
    t.start_before(i);
    let st = t.starts[i].clone();
    let n = st.name.clone();
    let mains = mains(spec).join(", ");
    t.beat(
        &n,
        EventKind::Start,
        st.start.0,
        format!("{n} starts."),
        Some(Happening::Runs(n.clone())),
    );
    let mut at = st.start.0 + startup::NOMINAL_SECONDS;
    let fail = Exit::code(1);
    t.beat(
        &n,
        EventKind::Exit,
        at,
        format!("{n} exits with code 1."),
        Some(Happening::Exits(n.clone(), fail)),
    );
    let outcome = if policy == "Never" {
        t.pod_beat(EventKind::PodFailed, at, "restartPolicy is Never: the kubelet gives the pod up; it fails and no main container ever starts.".into(), Some(Happening::Terminal));
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
                EventKind::Stopped,
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
                    EventKind::Exit,
                    at + 1,
                    format!("{n} waits out a {wait} s back-off (CrashLoopBackOff)."),
                    Some(Happening::BacksOff(n.clone(), fail)),
                );
            }
            at += wait.max(&1);
            t.beat(
                &n,
                EventKind::Start,
                at,
                format!("The kubelet runs {n} again (restart {}).", k + 1),
                Some(Happening::Runs(n.clone())),
            );
            t.happening(at, Happening::Restarts(n.clone()));
            at += startup::NOMINAL_SECONDS;
            t.beat(
                &n,
                EventKind::Exit,
                at,
                format!("{n} fails again."),
                Some(Happening::Exits(n.clone(), fail)),
            );
        }
        t.beat(
            &n,
            EventKind::Exit,
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

#[cfg(test)]
mod tests {
    use crate::lifecycle::scenarios::testkit::*;

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
}

//! Whether a pod meant to finish does finish, decided by role and form, and the statuses of a
//! normal start.

use super::*;

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
        EventKind::Start,
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
            t.beat(&n, EventKind::Running, done, format!("{n} is an entry of containers that never exits: nothing stops it, and the pod waits for it."), None);
            continue;
        }
        let again = if rules {
            container_should_restart(c, spec, 0)
        } else {
            pod_policy(spec, false) == "Always"
        };
        t.beat(
            &n,
            EventKind::Exit,
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
                EventKind::PreStop,
                done,
                format!("{n} runs its preStop hook ({}).", hook_words(h)),
                None,
            );
        }
        t.beat(
            &n,
            EventKind::Sigterm,
            done + s.signal.0,
            format!("The main containers are done: {n} gets SIGTERM."),
            None,
        );
        t.beat(
            &n,
            EventKind::Stopped,
            done + s.gone.0,
            format!("{n} exits; a sidecar's exit code does not count."),
            Some(Happening::Exits(n.clone(), Exit::code(0))),
        );
    }
}

/// The spec without its main containers: once they are done only the sidecars are left to stop.
fn main_less(spec: &PodSpec) -> PodSpec {
    crate::manifest::copy_pod_spec_with(
        spec,
        spec.init_containers
            .as_deref()
            .map(crate::manifest::copy_containers),
        Vec::new(),
    )
}

pub(super) fn job_completes(
    spec: &PodSpec,
    helpers: &[String],
    batch: bool,
    version: KubeVersion,
) -> Story {
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

#[cfg(test)]
mod tests {
    use crate::lifecycle::scenarios::testkit::*;

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
}

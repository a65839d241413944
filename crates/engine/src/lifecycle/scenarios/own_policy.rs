//! A container's own restartPolicy (KEP-5307).

use super::*;

/// KEP-5307: a container with its own restartPolicy exits 1.
pub(super) fn own_policy(spec: &PodSpec, name: &str, batch: bool, rules: bool) -> Story {
    let mut t = Teller::new(spec);
    t.start_before(usize::MAX);
    let c = spec
        .containers
        .iter()
        .find(|c| c.name == name)
        .map(crate::manifest::copy_container)
        .unwrap_or_default();
    let code = c
        .restart_policy_rules
        .iter()
        .flatten()
        .filter_map(|r| r.exit_codes.as_ref())
        .filter(|e| e.operator == "In")
        .find_map(|e| e.values.as_ref().and_then(|v| v.first().copied()))
        .unwrap_or(1);
    let at = t.all_ready() + WORK_SECONDS;
    let exit = Exit::code(code);
    let again = container_should_restart(&c, spec, code);
    t.beat(
        name,
        EventKind::Exit,
        at,
        format!("{name} exits with code {code}."),
        Some(Happening::Exits(name.to_string(), exit)),
    );
    if again {
        t.beat(
            name,
            EventKind::Start,
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

#[cfg(test)]
mod tests {
    use crate::lifecycle::scenarios::testkit::*;

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
}

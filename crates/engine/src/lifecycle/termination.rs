//! How the kubelet stops a pod's containers, second by second.
//!
//! Upstream: kubernetes `pkg/kubelet/kuberuntime/kuberuntime_container.go`
//! (`killContainersWithSyncResult`: every container is killed in its own goroutine, at once;
//! `killContainer`: the pod's grace period, minus the preStop hook's run, minus the wait for its
//! turn, never less than `minimumGracePeriodInSeconds = 2`, then `StopContainer`: the stop signal,
//! SIGKILL when that time is up) and `kuberuntime_termination_order.go` (`waitForTurn`: a sidecar
//! waits for every main container and every sidecar declared after it, for at most what is left
//! of its grace period; each container's timer runs on its own, in parallel).

use k8s_openapi::api::core::v1::{Container, LifecycleHandler, PodSpec};

use super::podstatus::{Exit, Happening};

/// The longest span podlab counts in (about 31 years): longer settings are read as this, so that
/// sums of seconds never overflow, whatever the input.
pub const MAX_SECONDS: i64 = 1_000_000_000;

/// kuberuntime_container.go `minimumGracePeriodInSeconds`.
pub const MINIMUM_GRACE_PERIOD_SECONDS: i64 = 2;

/// pkg/apis/core/v1/defaults.go `SetDefaults_PodSpec`: 30 s.
pub const DEFAULT_GRACE_PERIOD_SECONDS: i64 = 30;

/// The action a lifecycle hook runs (core/v1 `LifecycleHandler`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookAction {
    Exec,
    HttpGet,
    /// The `sleep` action (KEP-3960, PodLifecycleSleepAction): exactly this many seconds.
    Sleep(i64),
    /// Deprecated, accepted for compatibility and never run by the kubelet.
    TcpSocket,
}

impl HookAction {
    pub fn of(h: &LifecycleHandler) -> Option<HookAction> {
        if let Some(s) = &h.sleep {
            Some(HookAction::Sleep(s.seconds.clamp(0, MAX_SECONDS)))
        } else if h.exec.is_some() {
            Some(HookAction::Exec)
        } else if h.http_get.is_some() {
            Some(HookAction::HttpGet)
        } else if h.tcp_socket.is_some() {
            Some(HookAction::TcpSocket)
        } else {
            None
        }
    }

    /// How long the hook holds its container up: the best and worst seconds, with `limit` the
    /// longest the kubelet lets it run (the grace period for preStop).
    pub fn span(&self, limit: i64) -> (i64, i64) {
        match *self {
            HookAction::Sleep(s) => (s.min(limit), s.min(limit)),
            // A command or a request takes what it takes; at worst it is cut off at the limit.
            HookAction::Exec | HookAction::HttpGet => (0, limit),
            HookAction::TcpSocket => (0, 0),
        }
    }
}

pub fn post_start(c: &Container) -> Option<HookAction> {
    c.lifecycle
        .as_ref()
        .and_then(|l| l.post_start.as_ref())
        .and_then(HookAction::of)
}

pub fn pre_stop(c: &Container) -> Option<HookAction> {
    c.lifecycle
        .as_ref()
        .and_then(|l| l.pre_stop.as_ref())
        .and_then(HookAction::of)
}

/// One container's way out, in seconds from the moment the kubelet starts killing the pod,
/// each as (best, worst): best when every container exits as soon as it is signalled, worst
/// when every one holds on until SIGKILL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stop {
    pub name: String,
    pub sidecar: bool,
    pub pre_stop: Option<HookAction>,
    /// When its preStop hook ends (it starts at 0 for every container, sidecars included).
    pub pre_stop_end: Option<(i64, i64)>,
    /// When it gets its stop signal (SIGTERM, or the image's STOPSIGNAL).
    pub signal: (i64, i64),
    /// The time it is given between the signal and SIGKILL (never under 2 s).
    pub kill_after: (i64, i64),
    /// When it is gone: best, it exits at the signal; worst, SIGKILL.
    pub gone: (i64, i64),
}

/// Every running container's stop: the main containers and the native sidecars (plain init
/// containers have exited). `ordered`: sidecars are stopped after the main containers, in
/// reverse order (the SidecarContainers gate, 1.29+, and at least one sidecar).
pub fn stops(spec: &PodSpec, grace: i64, ordered: bool) -> Vec<Stop> {
    let grace = grace.clamp(0, MAX_SECONDS);
    let sidecars: Vec<&Container> = spec
        .init_containers
        .iter()
        .flatten()
        .filter(|c| crate::facts::is_native_sidecar(c))
        .collect();
    let mut out: Vec<Stop> = spec
        .containers
        .iter()
        .map(|c| stop_one(c, false, grace, None))
        .collect();
    let mut later: Vec<Stop> = Vec::new();
    for c in sidecars.iter().rev() {
        let deps = if ordered {
            // Every main container, and every sidecar declared after this one.
            let (b, w) = out
                .iter()
                .chain(later.iter())
                .fold((0, 0), |(b, w), s| (b.max(s.gone.0), w.max(s.gone.1)));
            Some((b, w))
        } else {
            None
        };
        later.push(stop_one(c, true, grace, deps));
    }
    // Sidecars listed in declaration order.
    later.reverse();
    out.extend(later);
    out
}

fn stop_one(c: &Container, sidecar: bool, grace: i64, deps_gone: Option<(i64, i64)>) -> Stop {
    // killContainer runs the preStop hook only while there is grace left.
    let pre_stop = pre_stop(c).filter(|_| grace > 0);
    let hook = pre_stop.map(|h| h.span(grace));
    let (hb, hw) = hook.unwrap_or((0, 0));
    // waitForTurn: until the containers it waits for are gone, for at most what is left.
    let turn = |hook_end: i64, deps: i64| {
        if hook_end >= grace {
            hook_end
        } else {
            deps.max(hook_end).min(grace)
        }
    };
    let signal = match deps_gone {
        Some((db, dw)) => (turn(hb, db), turn(hw, dw)),
        None => (hb, hw),
    };
    let after = |t: i64| (grace - t).max(MINIMUM_GRACE_PERIOD_SECONDS);
    let kill_after = (after(signal.0), after(signal.1));
    Stop {
        name: c.name.clone(),
        sidecar,
        pre_stop,
        pre_stop_end: hook,
        signal,
        kill_after,
        gone: (signal.0, signal.1.saturating_add(kill_after.1)),
    }
}

/// Exit status of a process ended by SIGTERM's default action (128 + 15), reported as `Error`.
pub const SIGTERM_EXIT_CODE: i32 = 143;

/// Exit status of a process killed with SIGKILL (128 + 9), which runtimes report as `Error`.
pub const SIGKILL_EXIT_CODE: i32 = 137;

/// What `kubectl get pod` sees of the stop, `from` seconds into the timeline: each container
/// gone at its best second (exiting 0 at its signal) or its worst (SIGKILL, 137).
pub fn happenings(stops: &[Stop], from: i64, worst: bool) -> Vec<(i64, Happening)> {
    let mut out: Vec<(i64, Happening)> = stops
        .iter()
        .map(|s| {
            if worst {
                (
                    from + s.gone.1,
                    Happening::Exits(s.name.clone(), Exit::code(SIGKILL_EXIT_CODE)),
                )
            } else {
                (
                    from + s.gone.0,
                    Happening::Exits(s.name.clone(), Exit::code(0)),
                )
            }
        })
        .collect();
    crate::order::sort_by_key(&mut out, |(at, _)| *at);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Lifecycle, SleepAction};

    use crate::facts::testkit::{container as c, exec, pod as spec};

    fn with_pre_stop(mut c: Container, h: LifecycleHandler) -> Container {
        c.lifecycle = Some(Lifecycle {
            pre_stop: Some(h),
            ..Default::default()
        });
        c
    }

    fn gone(stops: &[Stop], name: &str) -> (i64, i64) {
        stops.iter().find(|s| s.name == name).unwrap().gone
    }

    /// kuberuntime_termination_order_test.go TestTerminationOrderingObeysGrace: the main
    /// containers use the grace period up; every sidecar's wait runs out at the same moment and
    /// each gets the 2-second minimum, so all are gone together.
    #[test]
    fn sidecars_share_the_grace_period_in_parallel() {
        let s = spec(
            vec![c("a", true), c("b", true), c("c", true)],
            vec![c("app", false)],
        );
        let stops = stops(&s, 10, true);
        assert_eq!(gone(&stops, "app"), (0, 10));
        for n in ["a", "b", "c"] {
            assert_eq!(gone(&stops, n), (0, 12), "{n}");
        }
    }

    /// container_lifecycle_test.go "should terminate sidecars simultaneously if prestop doesn't
    /// exit": preStop hooks that never end use the 30 s up; the 2 s minimum follows; ~32 s each.
    #[test]
    fn pre_stop_hooks_that_never_end_take_grace_plus_two_seconds() {
        let s = spec(
            vec![
                with_pre_stop(c("restartable-init-1", true), exec()),
                with_pre_stop(c("restartable-init-2", true), exec()),
                with_pre_stop(c("restartable-init-3", true), exec()),
            ],
            vec![c("regular-1", false)],
        );
        let stops = stops(&s, DEFAULT_GRACE_PERIOD_SECONDS, true);
        for n in [
            "restartable-init-1",
            "restartable-init-2",
            "restartable-init-3",
        ] {
            let st = stops.iter().find(|s| s.name == n).unwrap();
            assert_eq!(
                st.pre_stop_end,
                Some((0, 30)),
                "{n}: preStop starts at once"
            );
            assert_eq!(st.gone.1, 32, "{n}");
        }
    }

    /// The best case keeps the order: main containers, then sidecars in reverse order.
    #[test]
    fn in_the_best_case_sidecars_wait_for_the_main_containers_and_later_sidecars() {
        let sleep = |s| LifecycleHandler {
            sleep: Some(SleepAction { seconds: s }),
            ..Default::default()
        };
        let s = spec(
            vec![c("a", true), with_pre_stop(c("b", true), sleep(1))],
            vec![with_pre_stop(c("app", false), sleep(5))],
        );
        let stops = stops(&s, 30, true);
        assert_eq!(gone(&stops, "app").0, 5);
        assert_eq!(gone(&stops, "b").0, 5);
        assert_eq!(gone(&stops, "a").0, 5);
        let unordered = super::stops(&s, 30, false);
        assert_eq!(gone(&unordered, "b").0, 1);
        assert_eq!(gone(&unordered, "a").0, 0);
    }

    /// "should respect termination grace period seconds with long-running preStop hook".
    #[test]
    fn a_long_pre_stop_hook_ends_with_the_two_second_minimum() {
        let s = spec(vec![], vec![with_pre_stop(c("busybox", false), exec())]);
        assert_eq!(gone(&stops(&s, 30, true), "busybox"), (0, 32));
        let plain = spec(vec![], vec![c("busybox", false)]);
        assert_eq!(gone(&stops(&plain, 30, true), "busybox"), (0, 30));
    }
}

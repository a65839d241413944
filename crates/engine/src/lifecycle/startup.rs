//! How the kubelet starts a pod's containers, second by second.
//!
//! Upstream: kubernetes `pkg/kubelet/kuberuntime/kuberuntime_container.go`
//! `computeInitContainerActions` (init containers strictly in declaration order: a plain one
//! gates on exit 0, a sidecar on being started: postStart done and startupProbe passed) and
//! `kuberuntime_manager.go` `SyncPod` step 7 (the entries of `containers` started one after
//! another, `startContainer` running each one's postStart hook before it returns, so an entry
//! after one with a postStart hook waits for that hook; e2e container_lifecycle_test.go "should
//! not launch second container before PostStart of the first container completed").

use k8s_openapi::api::core::v1::{Container, PodSpec, Probe};

use super::podstatus::{Exit, Happening};
use super::termination::{post_start, HookAction};

/// Which list a container is in, and how it behaves there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A plain init container: runs to completion.
    Init,
    /// A native sidecar: an init container with `restartPolicy: Always`.
    Sidecar,
    /// An entry of `containers`.
    Main,
}

/// One container's start, each moment as (best, worst) seconds from the pod's start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Start {
    pub name: String,
    pub role: Role,
    /// Index into the startup stages.
    pub stage: usize,
    pub start: (i64, i64),
    pub post_start: Option<HookAction>,
    /// When its postStart hook is done.
    pub post_start_end: Option<(i64, i64)>,
    /// When it counts as started: postStart done and startupProbe passed. For a plain init
    /// container, when it exits 0.
    pub started: (i64, i64),
    /// When its readinessProbe passes (or at once without one); None for a plain init container.
    pub ready: Option<(i64, i64)>,
    pub startup_probe: bool,
    pub readiness_probe: bool,
    /// True where the times stand for work podlab cannot know: an init container's run, an exec
    /// or httpGet postStart hook (one nominal second each).
    pub nominal: bool,
}

/// An init container's work and an exec or httpGet hook take as long as they take; one nominal
/// second keeps the picture readable.
pub const NOMINAL_SECONDS: i64 = 1;

/// Probe defaults (pkg/apis/core/v1/defaults.go `SetDefaults_Probe`): period 10 s, failure
/// threshold 3. Best: the first probe passes at initialDelaySeconds. Worst: the last one before
/// the container is given up on.
pub fn probe_window(p: &Probe) -> (i64, i64) {
    let delay = i64::from(p.initial_delay_seconds.unwrap_or(0).max(0));
    let period = i64::from(p.period_seconds.unwrap_or(10).max(1));
    let failures = i64::from(p.failure_threshold.unwrap_or(3).max(1));
    let max = super::termination::MAX_SECONDS;
    (delay.min(max), (delay + period * (failures - 1)).min(max))
}

pub use crate::facts::is_native_sidecar as is_sidecar;

pub fn has_post_start(c: &Container) -> bool {
    post_start(c).is_some()
}

/// `lifecycle.startup` of CONTRACT.md: each init container its own stage, then the entries of
/// `containers`, a stage closed by each entry with a postStart hook.
pub fn stages(spec: &PodSpec) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = spec
        .init_containers
        .iter()
        .flatten()
        .map(|c| vec![c.name.clone()])
        .collect();
    let mut current: Vec<String> = Vec::new();
    for c in &spec.containers {
        current.push(c.name.clone());
        if post_start(c).is_some() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn hook_span(h: HookAction) -> ((i64, i64), bool) {
    match h {
        HookAction::Sleep(s) => ((s, s), false),
        HookAction::TcpSocket => ((0, 0), false),
        HookAction::Exec | HookAction::HttpGet => ((NOMINAL_SECONDS, NOMINAL_SECONDS), true),
    }
}

fn add(a: (i64, i64), b: (i64, i64)) -> (i64, i64) {
    (a.0.saturating_add(b.0), a.1.saturating_add(b.1))
}

fn max(a: (i64, i64), b: (i64, i64)) -> (i64, i64) {
    (a.0.max(b.0), a.1.max(b.1))
}

/// Every container's start, in declaration order (initContainers, then containers).
pub fn starts(spec: &PodSpec) -> Vec<Start> {
    let mut out = Vec::new();
    let mut at = (0i64, 0i64);
    let mut stage = 0;
    for c in spec.init_containers.iter().flatten() {
        let start = at;
        if is_sidecar(c) {
            let s = running(c, Role::Sidecar, stage, start);
            at = s.started;
            out.push(s);
        } else {
            let started = add(start, (NOMINAL_SECONDS, NOMINAL_SECONDS));
            at = started;
            out.push(Start {
                name: c.name.clone(),
                role: Role::Init,
                stage,
                start,
                post_start: None,
                post_start_end: None,
                started,
                ready: None,
                startup_probe: false,
                readiness_probe: false,
                nominal: true,
            });
        }
        stage += 1;
    }
    for c in &spec.containers {
        let s = running(c, Role::Main, stage, at);
        if let Some(end) = s.post_start_end {
            // SyncPod starts the next entry only once this one's postStart hook returned.
            at = end;
            stage += 1;
        }
        out.push(s);
    }
    out
}

fn running(c: &Container, role: Role, stage: usize, start: (i64, i64)) -> Start {
    let hook = post_start(c);
    let (post_start_end, nominal) = match hook {
        Some(h) => {
            let (span, nominal) = hook_span(h);
            (Some(add(start, span)), nominal)
        }
        None => (None, false),
    };
    // The startupProbe's clock starts with the container; it counts as started once both the
    // hook and the probe are through [inference: the prober runs beside the hook].
    let probe = c.startup_probe.as_ref().map(probe_window).unwrap_or((0, 0));
    let started = max(post_start_end.unwrap_or(start), add(start, probe));
    // Readiness probes begin once the startupProbe has passed (prober worker).
    let readiness = c
        .readiness_probe
        .as_ref()
        .map(probe_window)
        .unwrap_or((0, 0));
    Start {
        name: c.name.clone(),
        role,
        stage,
        start,
        post_start: hook,
        post_start_end,
        started,
        ready: Some(add(started, readiness)),
        startup_probe: c.startup_probe.is_some(),
        readiness_probe: c.readiness_probe.is_some(),
        nominal,
    }
}

/// What `kubectl get pod` sees happen on a normal start, at the best-case seconds: each
/// container runs, counts as started and ready (a plain init container exits 0), and the pod is
/// Initialized when the last init container lets the next one start.
pub fn happenings(starts: &[Start]) -> Vec<(i64, Happening)> {
    let mut out = Vec::new();
    let mut initialized_at = None;
    for s in starts {
        out.push((s.start.0, Happening::Runs(s.name.clone())));
        match s.role {
            Role::Init => out.push((s.started.0, Happening::Exits(s.name.clone(), Exit::code(0)))),
            Role::Sidecar | Role::Main => {
                out.push((s.started.0, Happening::Started(s.name.clone())));
                if let Some(r) = s.ready {
                    out.push((r.0, Happening::Ready(s.name.clone())));
                }
            }
        }
        if s.role != Role::Main {
            initialized_at = Some(s.started.0);
        }
    }
    if let Some(at) = initialized_at {
        out.push((at, Happening::Initialized));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Lifecycle, LifecycleHandler, SleepAction};

    use crate::facts::testkit::{container as c, exec, pod as spec};

    fn with_post_start(mut c: Container, h: LifecycleHandler) -> Container {
        c.lifecycle = Some(Lifecycle {
            post_start: Some(h),
            ..Default::default()
        });
        c
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// container_lifecycle_test.go "should not launch second container before PostStart of the
    /// first container completed".
    #[test]
    fn a_post_start_hook_closes_its_stage() {
        let s = spec(
            vec![],
            vec![
                with_post_start(c("regular-1", false), exec()),
                c("regular-2", false),
            ],
        );
        assert_eq!(
            stages(&s),
            vec![names(&["regular-1"]), names(&["regular-2"])]
        );
        let st = starts(&s);
        assert_eq!(st[0].post_start_end, Some((1, 1)));
        assert_eq!(
            st[1].start,
            (1, 1),
            "regular-2 starts once the hook is done"
        );
        assert_eq!(st[1].stage, 1);
    }

    /// Istio's holdApplicationUntilProxyStarts: the proxy first, its postStart hook waits for it.
    #[test]
    fn entries_without_hooks_start_together() {
        let sleep = LifecycleHandler {
            sleep: Some(SleepAction { seconds: 3 }),
            ..Default::default()
        };
        let s = spec(
            vec![],
            vec![
                with_post_start(c("istio-proxy", false), sleep),
                c("app", false),
                c("metrics", false),
            ],
        );
        assert_eq!(
            stages(&s),
            vec![names(&["istio-proxy"]), names(&["app", "metrics"])]
        );
        let st = starts(&s);
        assert_eq!((st[1].start, st[2].start), ((3, 3), (3, 3)));
    }

    /// "should launch init container serially before a regular container", and a sidecar
    /// declared after an init container starts after it exits.
    #[test]
    fn init_containers_start_one_after_another() {
        let s = spec(
            vec![
                c("init-1", false),
                c("restartable-init-1", true),
                c("init-2", false),
            ],
            vec![c("regular-1", false)],
        );
        let st = starts(&s);
        let at: Vec<i64> = st.iter().map(|s| s.start.0).collect();
        assert_eq!(at, vec![0, 1, 1, 2]);
        assert_eq!(
            stages(&s),
            vec![
                names(&["init-1"]),
                names(&["restartable-init-1"]),
                names(&["init-2"]),
                names(&["regular-1"])
            ]
        );
    }

    /// "should launch restartable init containers serially considering the startup probe".
    #[test]
    fn a_sidecar_gates_the_next_container_on_its_startup_probe() {
        let mut side = c("restartable-init-1", true);
        side.startup_probe = Some(Probe {
            initial_delay_seconds: Some(2),
            period_seconds: Some(2),
            failure_threshold: Some(30),
            ..Default::default()
        });
        let s = spec(
            vec![side, c("restartable-init-2", true)],
            vec![c("regular-1", false)],
        );
        let st = starts(&s);
        assert_eq!(st[0].started, (2, 2 + 2 * 29));
        assert_eq!(st[1].start, (2, 60));
        assert_eq!(st[2].start, (2, 60));
    }

    #[test]
    fn a_normal_start_reads_as_kubectl_shows_it() {
        use crate::lifecycle::podstatus::{sequence, PodPhase::*};
        let mut proxy = c("proxy", true);
        proxy.startup_probe = Some(Probe {
            initial_delay_seconds: Some(2),
            ..Default::default()
        });
        let mut app = c("app", false);
        app.readiness_probe = Some(Probe {
            initial_delay_seconds: Some(5),
            ..Default::default()
        });
        let s = spec(vec![c("migrate", false), proxy], vec![app]);
        let got: Vec<_> = sequence(&s, &happenings(&starts(&s)), true)
            .into_iter()
            .map(|s| (s.at, s.phase, s.status, s.ready))
            .collect();
        let want = vec![
            (0, Pending, "Init:0/2", "0/2"),
            (1, Pending, "Init:1/2", "0/2"),
            // The proxy is started and ready; the app is not created yet.
            (3, Pending, "PodInitializing", "1/2"),
            (3, Running, "Running", "1/2"),
            (8, Running, "Running", "2/2"),
        ];
        let want: Vec<_> = want
            .into_iter()
            .map(|(a, p, s, r)| (a, p, s.to_string(), r.to_string()))
            .collect();
        assert_eq!(got, want);
    }
}

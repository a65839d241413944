//! kubernetes `pkg/printers/internalversion/printers.go` `printPod`: the READY, STATUS and RESTARTS
//! cells of `kubectl get pod`, ported line for line (master, with native sidecars).

use k8s_openapi::api::core::v1::PodSpec;

use super::api::{ContainerStatus, Pod, PodStatus, Time};
use serde::Serialize;

use super::is_restartable_init_container;

/// One row of `kubectl get pod`, without NAME and AGE.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodRow {
    /// The STATUS column, e.g. `Init:1/2`, `PodInitializing`, `Running`, `Init:CrashLoopBackOff`.
    pub status: String,
    /// The READY column, `ready/total`.
    pub ready: String,
    pub ready_containers: usize,
    pub total_containers: usize,
    /// The RESTARTS column's count.
    pub restarts: i64,
    /// When the last counted restart ended: the column's "(5m ago)", where the status says it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_restart: Option<Time>,
}

/// The lines kubectl prints for a table of cells: cli-runtime's `printers.GetNewTabWriter`
/// (`pkg/printers/tabwriter.go`: minimal width 6, padding 3, padded with spaces). Each column but
/// the last is as wide as its widest cell, counted in characters as Go's tabwriter counts them,
/// plus the padding, and at least the minimal width; the last is not padded.
pub fn table_lines(rows: &[&[&str]]) -> Vec<String> {
    const MIN_WIDTH: usize = 6;
    const PADDING: usize = 3;
    let columns = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns.saturating_sub(1))
        .map(|i| {
            let widest = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0);
            (widest + PADDING).max(MIN_WIDTH)
        })
        .collect();
    rows.iter()
        .map(|r| {
            let mut line = String::new();
            for (i, cell) in r.iter().enumerate() {
                line.push_str(cell);
                if let Some(&w) = widths.get(i).filter(|_| i + 1 < r.len()) {
                    let pad = w.saturating_sub(cell.chars().count());
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            line
        })
        .collect()
}

/// printPod on a whole Pod as `kubectl get pod -o yaml` prints it.
pub fn print_pod(pod: &Pod) -> PodRow {
    let empty_spec = PodSpec::default();
    let empty_status = PodStatus::default();
    print_pod_parts(
        pod.spec.as_ref().unwrap_or(&empty_spec),
        pod.status.as_ref().unwrap_or(&empty_status),
        pod.metadata.deletion_timestamp.is_some(),
    )
}

/// printPod on a spec and a status; `deleting` is `metadata.deletionTimestamp != nil`. Split as
/// printPod reads: the init container statuses, then (once initialised) the containers'.
pub fn print_pod_parts(spec: &PodSpec, status: &PodStatus, deleting: bool) -> PodRow {
    let mut tally = Tally::default();
    let mut total = spec.containers.len();

    let phase = status.phase.as_deref().unwrap_or("");
    let mut reason = phase.to_string();
    if let Some(r) = non_empty(&status.reason) {
        reason = r.to_string();
    }

    let conditions = status.conditions.as_deref().unwrap_or_default();
    // A pod held by schedulingGates shows SchedulingGated (printers.go, KEP-3521).
    for c in conditions {
        if c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated") {
            reason = "SchedulingGated".to_string();
        }
    }

    let init_specs = spec.init_containers.as_deref().unwrap_or_default();
    // Go's map by name: a later entry of the same name wins; a status whose name is in no spec
    // counts as a plain init container (IsRestartableInitContainer(nil) is false). A pod has a
    // few init containers: looked up from the last, not hashed.
    let restartable = |name: &str| {
        init_specs
            .iter()
            .rev()
            .find(|c| c.name == name)
            .is_some_and(is_restartable_init_container)
    };
    total += init_specs
        .iter()
        .filter(|c| is_restartable_init_container(c))
        .count();

    let init_reason = walk_init(status, init_specs.len(), &restartable, &mut tally);
    let initializing = init_reason.is_some();
    if let Some(r) = init_reason {
        reason = r;
    }
    if !initializing || initialized(status) {
        walk_containers(status, &mut tally, &mut reason);
    }

    // pkg/util/node NodeUnreachablePodReason.
    if deleting && status.reason.as_deref() == Some("NodeLost") {
        reason = "Unknown".to_string();
    } else if deleting && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".to_string();
    }

    let Tally {
        restarts,
        ready,
        last_restart,
        ..
    } = tally;
    PodRow {
        status: reason,
        ready: ratio(ready, total),
        ready_containers: ready,
        total_containers: total,
        restarts,
        last_restart: if restarts != 0 { last_restart } else { None },
    }
}

/// printPod's running counts.
#[derive(Default)]
struct Tally {
    restarts: i64,
    restartable_init_restarts: i64,
    ready: usize,
    last_restart: Option<Time>,
    last_restartable_init_restart: Option<Time>,
}

/// printPod's loop over the init container statuses: the reason of the first one still
/// initialising (`Init:…`), if any.
fn walk_init(
    status: &PodStatus,
    init_count: usize,
    restartable: &dyn Fn(&str) -> bool,
    t: &mut Tally,
) -> Option<String> {
    let restartable = |s: &ContainerStatus| restartable(s.name.as_str());
    let init_statuses = status
        .init_container_statuses
        .as_deref()
        .unwrap_or_default();
    for (i, c) in init_statuses.iter().enumerate() {
        t.restarts += i64::from(c.restart_count);
        later(&mut t.last_restart, last_terminated_at(c));
        if restartable(c) {
            t.restartable_init_restarts += i64::from(c.restart_count);
            later(&mut t.last_restartable_init_restart, last_terminated_at(c));
        }
        let state = c.state.as_ref();
        let terminated = state.and_then(|s| s.terminated.as_ref());
        let waiting = state.and_then(|s| s.waiting.as_ref());
        if terminated.is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if restartable(c) && c.started == Some(true) {
            if c.ready {
                t.ready += 1;
            }
            continue;
        }
        let reason = if let Some(t) = terminated {
            match non_empty(&t.reason) {
                Some(r) => format!("Init:{r}"),
                None => match t.signal {
                    Some(sig) if sig != 0 => format!("Init:Signal:{sig}"),
                    _ => format!("Init:ExitCode:{}", t.exit_code),
                },
            }
        } else if let Some(r) = waiting
            .and_then(|w| non_empty(&w.reason))
            .filter(|r| *r != "PodInitializing")
        {
            format!("Init:{r}")
        } else {
            format!("Init:{}/{}", i, init_count)
        };
        return Some(reason);
    }
    None
}

/// printPod's loop over the container statuses, once initialisation is through.
fn walk_containers(status: &PodStatus, t: &mut Tally, reason: &mut String) {
    t.restarts = t.restartable_init_restarts;
    t.last_restart = t.last_restartable_init_restart.take();
    let mut has_running = false;
    let statuses = status.container_statuses.as_deref().unwrap_or_default();
    // Walked from the last container to the first, so the first container's reason wins.
    for c in statuses.iter().rev() {
        t.restarts += i64::from(c.restart_count);
        later(&mut t.last_restart, last_terminated_at(c));
        let state = c.state.as_ref();
        let terminated = state.and_then(|s| s.terminated.as_ref());
        let waiting = state.and_then(|s| s.waiting.as_ref());
        if let Some(r) = waiting.and_then(|w| non_empty(&w.reason)) {
            *reason = r.to_string();
        } else if let Some(term) = terminated {
            *reason = match non_empty(&term.reason) {
                Some(r) => r.to_string(),
                None => match term.signal {
                    Some(sig) if sig != 0 => format!("Signal:{sig}"),
                    _ => format!("ExitCode:{}", term.exit_code),
                },
            };
        } else if c.ready && state.is_some_and(|s| s.running.is_some()) {
            has_running = true;
            t.ready += 1;
        }
    }
    // A pod with a container still running is not Completed.
    if reason == "Completed" && has_running {
        *reason = if has_ready_condition(status) {
            "Running".to_string()
        } else {
            "NotReady".to_string()
        };
    }
}

/// `format!("{ready}/{total}")`, without the formatting machinery: it is written for every
/// moment of every timeline.
fn ratio(ready: usize, total: usize) -> String {
    let mut s = String::with_capacity(8);
    for (i, n) in [ready, total].into_iter().enumerate() {
        if i == 1 {
            s.push('/');
        }
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut n = n;
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        s.extend(digits[at..].iter().map(|&d| char::from(d)));
    }
    s
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

fn last_terminated_at(c: &ContainerStatus) -> Option<&Time> {
    c.last_state
        .as_ref()
        .and_then(|s| s.terminated.as_ref())
        .and_then(|t| t.finished_at.as_ref())
}

fn later(current: &mut Option<Time>, candidate: Option<&Time>) {
    if let Some(t) = candidate {
        if current.as_ref().is_none_or(|cur| cur < t) {
            *current = Some(*t);
        }
    }
}

/// printers.go `isPodInitializedConditionTrue`: the first Initialized condition decides.
fn initialized(status: &PodStatus) -> bool {
    let conditions = status.conditions.as_deref().unwrap_or_default();
    conditions
        .iter()
        .find(|c| c.type_ == "Initialized")
        .is_some_and(|c| c.status == "True")
}

/// printers.go `hasPodReadyCondition`.
fn has_ready_condition(status: &PodStatus) -> bool {
    let conditions = status.conditions.as_deref().unwrap_or_default();
    conditions
        .iter()
        .any(|c| c.type_ == "Ready" && c.status == "True")
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_are_laid_out_as_kubectl_lays_them_out() {
        // What `kubectl get pod` prints (cli-runtime's tab writer): three spaces after the
        // widest cell of each column, the last column as it is.
        let lines = super::table_lines(&[
            &["NAME", "READY", "STATUS", "RESTARTS"],
            &["nightly-report", "2/2", "Running", "0"],
        ]);
        assert_eq!(
            lines,
            [
                "NAME             READY   STATUS    RESTARTS",
                "nightly-report   2/2     Running   0",
            ]
        );
        // A column at least 6 wide; characters, not bytes, counted.
        let lines = super::table_lines(&[&["A", "B"], &["日本", "x"]]);
        assert_eq!(lines, ["A     B", "日本    x"]);
    }

    use super::ratio;

    #[test]
    fn ready_is_written_as_go_formats_it() {
        for (ready, total) in [
            (0, 0),
            (0, 1),
            (9, 10),
            (10, 10),
            (123, 4567),
            (usize::MAX, 7),
        ] {
            assert_eq!(ratio(ready, total), format!("{ready}/{total}"));
        }
    }
}

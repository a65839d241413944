//! The order in which a pod's containers start and stop, a timeline for people to follow, the
//! statuses `kubectl get pod` shows on the way, and what-ifs.
//!
//! The kubelet's timings come from `startup` (kuberuntime_container.go
//! `computeInitContainerActions`; kuberuntime_manager.go `SyncPod`: the entries of `containers`
//! one after another, each postStart hook before the next) and `termination`
//! (kuberuntime_container.go `killContainer`, kuberuntime_termination_order.go `waitForTurn`:
//! every container's timer of the pod's grace period in parallel, then the 2-second minimum).
//! The statuses are read from the same moments by `podstatus` (printPod, getPhase); the what-ifs
//! are told by `scenarios`. The other files turn them into what the page and CLI show: `stages`
//! (who starts and stops together), `timeline` (the events of a start and a stop), `lanes` (when
//! each container runs, for drawing), `what_ifs` (the stories as scenarios, the normal status) and
//! `compare` (the pod with its helpers as classic containers and as native sidecars).

mod compare;
mod lanes;
pub mod podstatus;
pub mod scenarios;
mod stages;
pub mod startup;
pub mod termination;
mod timeline;
mod what_ifs;

pub use crate::model::{EventKind, Scenario, Timeline, TimelineEvent, Variant};
pub use compare::compare;
pub use lanes::lane_segments;
pub use stages::stages;
pub use timeline::timeline;
pub use what_ifs::{scenarios, status};

//! What `kubectl get pod` shows and which phase the kubelet reports, from a pod and its status.
//!
//! Two pure ports, each table-tested against upstream's own cases:
//! - [`print_pod`]: kubernetes `pkg/printers/internalversion/printers.go` `printPod`, the STATUS,
//!   READY and RESTARTS columns (native sidecars count in READY and in `Init:x/y`).
//! - [`pod_phase`]: kubernetes `pkg/kubelet/kubelet_pods.go` `getPhase`, the phase the kubelet
//!   computes from the container statuses (sidecars, container restart rules).
//!
//! Both take the shapes `kubectl get pod -o yaml` prints (k8s-openapi's `PodSpec`, and the status
//! types of [`api`]), so a status read from a live pod and a status made up for a moment of the
//! timeline go through the same code.

pub mod api;
mod moment;
mod phase;
mod print;

pub use api::{
    ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting,
    ContainerStatus, Pod, PodCondition, PodStatus, Time,
};
pub use moment::{
    pod_status, push_distinct, sequence, shown_at, status_at, ContainerAt, ContainerMoment, Exit,
    ExitReason, Happening, PodMoment, StatusAt,
};
pub use phase::{container_should_restart, pod_phase, PhaseInput, PodPhase};
pub use print::{print_pod, print_pod_parts, table_lines, PodRow};

/// kubernetes `pkg/api/v1/pod/util.go` `IsRestartableInitContainer`.
use crate::facts::is_native_sidecar as is_restartable_init_container;

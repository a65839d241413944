//! What containers share: `memory-emptydir`, `share-process-namespace`, `unrelated-containers`.

use super::{key, names, Ctx, Findings};
use crate::model::Severity;
use crate::yaml::Step;
use std::collections::BTreeSet;

pub(super) fn check(ctx: &Ctx, out: &mut Findings) {
    memory_empty_dirs(ctx, out);
    if ctx.spec.share_process_namespace == Some(true) {
        out.push("share-process-namespace", Severity::Info, None, &[key("shareProcessNamespace")],
            "shareProcessNamespace: true lets every container see, and signal, every other container's processes (and read their /proc, environment included). Keep it for debugging or for helpers that must signal the app.".into());
    }
    unrelated_containers(ctx, out);
}

fn memory_empty_dirs(ctx: &Ctx, out: &mut Findings) {
    for (vi, v) in ctx.spec.volumes.iter().flatten().enumerate() {
        let Some(ed) = &v.empty_dir else { continue };
        if ed.medium.as_deref() != Some("Memory") {
            continue;
        }
        let writers: Vec<&str> = ctx
            .members
            .iter()
            .filter(|m| {
                m.spec
                    .volume_mounts
                    .iter()
                    .flatten()
                    .any(|vm| vm.name == v.name && vm.read_only != Some(true))
            })
            .map(|m| m.spec.name.as_str())
            .collect();
        let unlimited: Vec<&str> = writers
            .iter()
            .copied()
            .filter(|n| {
                ctx.by_name
                    .get(n)
                    .is_none_or(|c| !c.limits.contains_key("memory"))
            })
            .collect();
        let steps = vec![key("volumes"), Step::Index(vi)];
        let who = if writers.is_empty() {
            "the containers".to_string()
        } else {
            names(&writers)
        };
        // A mesh proxy's tmpfs holds its own certificates and bootstrap: small and written by
        // injected code, so an unbounded size is advice there, not a warning.
        let mesh_only = !unlimited.is_empty()
            && unlimited.iter().all(|n| {
                ctx.by_name
                    .get(n)
                    .is_some_and(|c| crate::patterns::is_mesh_proxy(&c.image))
            });
        if ed.size_limit.is_none() && !unlimited.is_empty() && !mesh_only {
            out.push("memory-emptydir", Severity::Warning, None, &steps,
                format!("emptyDir '{}' is memory-backed (tmpfs) with no sizeLimit, and {} that can write to it set no memory limit: it may grow to the node's allocatable memory, invisible to the scheduler. Set sizeLimit, and memory limits with room for it.", v.name, names(&unlimited)));
        } else if ed.size_limit.is_none() && mesh_only {
            out.push("memory-emptydir", Severity::Info, None, &steps,
                format!("emptyDir '{}' is memory-backed (tmpfs) and written by the mesh proxy {}, which sets no memory limit: its files count as the proxy's memory with no bound but the node's. They are small certificates and bootstrap files; a sizeLimit would make that explicit.", v.name, names(&unlimited)));
        } else if ed.size_limit.is_none() {
            out.push("memory-emptydir", Severity::Info, None, &steps,
                format!("emptyDir '{}' is memory-backed (tmpfs): what {who} write into it counts as their memory, up to the pod's memory limit. Set sizeLimit to bound it, and leave room for it in the writers' limits.", v.name));
        } else if !unlimited.is_empty() {
            out.push("memory-emptydir", Severity::Warning, None, &steps,
                format!("emptyDir '{}' is memory-backed (tmpfs): files written into it count against the memory of the container that writes them, and {} set no memory limit to account for it.", v.name, names(&unlimited)));
        }
    }
}

/// Several apps sharing nothing.
fn unrelated_containers(ctx: &Ctx, out: &mut Findings) {
    let has_native_sidecar = ctx
        .spec
        .init_containers
        .as_ref()
        .is_some_and(|v| v.iter().any(crate::facts::is_native_sidecar));
    if ctx.app_names.len() <= 1 || has_native_sidecar {
        return;
    }
    let mut seen = BTreeSet::new();
    let shares_volume = ctx
        .apps()
        .flat_map(|a| &a.signals.mounts)
        .any(|v| !seen.insert(v));
    let talks_loopback = ctx.apps().any(|a| a.signals.mentions_loopback);
    if !shares_volume && !talks_loopback && !ctx.spec.share_process_namespace.unwrap_or(false) {
        out.push("unrelated-containers", Severity::Info, None, &[key("containers")],
            format!("{} share no volume and no localhost traffic: if they do not need to live and die together, separate pods (or Deployments) let each scale and restart on its own.", names(&ctx.app_names)));
    }
}

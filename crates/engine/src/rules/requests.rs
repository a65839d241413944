//! Requests and limits: `requests-exceed-limits`, `missing-requests`, `helper-outweighs-app`,
//! `sidecar-missing-requests`, `init-sets-reservation`.

use super::{container_steps, names, with, Ctx, Findings, Member};
use crate::model::{Form, Pattern, PhaseKind, Severity, Winner};
use crate::quantity::Quantity;

/// Container by container; each container's image is checked in the same pass.
pub(super) fn check(ctx: &Ctx, out: &mut Findings) {
    let app_total = |res: &str| -> i128 {
        ctx.reports
            .iter()
            .filter(|c| c.pattern == Pattern::App)
            .filter_map(|c| c.requests.get(res))
            .map(|q| q.milli)
            .sum()
    };
    let (app_cpu, app_mem) = (app_total("cpu"), app_total("memory"));
    for m in &ctx.members {
        exceeding_limits(m, out);
        if let Some(rep) = ctx.by_name.get(m.spec.name.as_str()) {
            missing(ctx, m, rep.form, rep, out);
            if rep.pattern != Pattern::App && rep.form != Form::Init && !ctx.app_names.is_empty() {
                let cpu = rep.requests.get("cpu").map(|q| q.milli).unwrap_or(0);
                let mem = rep.requests.get("memory").map(|q| q.milli).unwrap_or(0);
                let over: Vec<&str> = [
                    ("cpu", cpu > app_cpu && app_cpu > 0),
                    ("memory", mem > app_mem && app_mem > 0),
                ]
                .into_iter()
                .filter(|(_, b)| *b)
                .map(|(n, _)| n)
                .collect();
                if !over.is_empty() {
                    let c = m.spec;
                    out.push("helper-outweighs-app", Severity::Info, Some(&c.name), &with(container_steps(m.section, m.index), &["resources"]),
                        format!("{} '{}' requests more {} than {} it serves. If that is its real use, check it belongs in this pod; if not, lower its requests.", rep.pattern.as_str(), c.name, over.join(" and "), names(&ctx.app_names)));
                }
            }
        }
        super::images::check_container(m, out);
    }
}

fn exceeding_limits(m: &Member, out: &mut Findings) {
    let c = m.spec;
    let r = c.resources.as_ref();
    for (res, req) in r.and_then(|r| r.requests.as_ref()).into_iter().flatten() {
        let Some(lim) = r.and_then(|r| r.limits.as_ref()).and_then(|l| l.get(res)) else {
            continue;
        };
        if let (Ok(rq), Ok(lq)) = (Quantity::parse(&req.0), Quantity::parse(&lim.0)) {
            if rq.round_up_milli() > lq.round_up_milli() {
                out.push("requests-exceed-limits", Severity::Error, Some(&c.name), &with(container_steps(m.section, m.index), &["resources", "requests", res]),
                    format!("'{}' requests {res} {} but limits it to {}: the API server rejects a request above its limit. Raise the limit or lower the request.", c.name, rq.canonical(), lq.canonical()));
            }
        }
    }
}

fn missing(
    ctx: &Ctx,
    m: &Member,
    form: Form,
    rep: &crate::model::ContainerReport,
    out: &mut Findings,
) {
    let missing: Vec<&str> = ["cpu", "memory"]
        .into_iter()
        .filter(|k| !rep.requests.contains_key(*k))
        .collect();
    // Native sidecars have their own rule with the numbers (sidecar-missing-requests).
    let own_rule = form == Form::NativeSidecar && ctx.version.sidecar_gate().enabled();
    if missing.is_empty() || own_rule {
        return;
    }
    let role = match form {
        Form::Init => "init container",
        Form::NativeSidecar => "native sidecar",
        Form::Container => "container",
    };
    let consequence = if form == Form::NativeSidecar {
        " A native sidecar's requests count in every phase after it starts, so leaving them out understates all of them."
    } else {
        ""
    };
    let c = m.spec;
    out.push("missing-requests", Severity::Warning, Some(&c.name), &with(container_steps(m.section, m.index), &["resources"]),
        format!("{role} '{}' requests no {}: the scheduler reserves nothing for it, so the node can be overcommitted.{consequence} Set requests from observed use.", c.name, missing.join(" or ")));
}

/// A native sidecar without requests, with what a typical request would change.
pub(super) fn check_sidecars(ctx: &Ctx, out: &mut Findings) {
    if !ctx.version.sidecar_gate().enabled() {
        return;
    }
    for m in ctx
        .members
        .iter()
        .filter(|m| m.report.form == Form::NativeSidecar)
    {
        let c = m.report;
        let missing: Vec<&str> = ["cpu", "memory"]
            .into_iter()
            .filter(|k| !c.requests.contains_key(*k))
            .collect();
        if missing.is_empty() {
            continue;
        }
        // What the pod would reserve with a typical sidecar request instead of nothing.
        let typical = [("cpu", "100m"), ("memory", "128Mi")];
        let mut pr = crate::resources::pod_resources(ctx.spec, ctx.version);
        if let Some(sc) = pr.init_containers.get_mut(c.index) {
            for (k, v) in typical.iter().filter(|(k, _)| missing.contains(k)) {
                sc.requests
                    .insert(k.to_string(), Quantity::parse(v).unwrap_or(Quantity::ZERO));
            }
        }
        let with_typical = crate::resources::pod_requests(&pr);
        let change: Vec<String> = missing
            .iter()
            .map(|k| {
                let now = ctx
                    .report
                    .requests
                    .get(*k)
                    .map(|q| q.quantity.clone())
                    .unwrap_or_else(|| "0".into());
                let then = with_typical
                    .get(*k)
                    .map(|q| q.canonical())
                    .unwrap_or_else(|| "0".into());
                format!("{k} {now} → {then}")
            })
            .collect();
        let assumed: Vec<String> = typical
            .iter()
            .filter(|(k, _)| missing.contains(k))
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        out.push("sidecar-missing-requests", Severity::Warning, Some(&c.name), &with(container_steps(m.section, m.index), &["resources"]),
            format!("native sidecar '{}' requests no {}, yet it runs beside every container after it, so the pod's reservation leaves it out. With a typical {} the effective request would be {}. Set its requests from observed use. {}", c.name, missing.join(" or "), assumed.join(" / "), change.join(", "), super::probes::judged(c)));
    }
}

/// One finding per init container that sets the pod's reservation, naming every resource it sets.
pub(super) fn check_init_reservation(ctx: &Ctx, out: &mut Findings) {
    let report = ctx.report;
    let mut by_init: Vec<(&str, Vec<String>)> = Vec::new();
    for (res, who) in &report.winners {
        let Winner::Init(name) = who else {
            continue;
        };
        let total = report
            .requests
            .get(res)
            .map(|q| q.quantity.clone())
            .unwrap_or_default();
        let running = report
            .steps
            .iter()
            .find(|p| p.kind == PhaseKind::Running)
            .and_then(|p| p.requests.get(res))
            .map(|q| q.quantity.clone())
            .unwrap_or_else(|| "0".into());
        let text = format!("{res} {total} (the running pod needs {running})");
        match by_init.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push(text),
            None => by_init.push((name, vec![text])),
        }
    }
    for (name, sets) in by_init {
        let Some(c) = ctx
            .reports
            .iter()
            .find(|c| c.name == name && c.form == Form::Init)
        else {
            continue;
        };
        out.push("init-sets-reservation", Severity::Info, Some(name), &with(container_steps("initContainers", c.index), &["resources"]),
            format!("init container '{name}' asks for more than the running pod: {}. The scheduler reserves that for the pod's whole life. If it needs that much only briefly, that is the price; otherwise lower its request. {}", sets.join(", "), super::probes::judged(c)));
    }
}

//! `port-conflict`: hostPort clashes among regular containers are rejected; containerPort
//! clashes are warned about.

use super::{key, Ctx, Findings};
use crate::model::{Section, Severity};
use crate::yaml::Step;
use std::collections::BTreeMap;

pub(super) fn check(ctx: &Ctx, out: &mut Findings) {
    let mut host_ports: BTreeMap<(String, String, i32), String> = BTreeMap::new();
    let mut container_ports: BTreeMap<(i32, String), String> = BTreeMap::new();
    for m in &ctx.members {
        let (section, i, c) = (m.section, m.index, m.spec);
        for (pi, p) in c.ports.iter().flatten().enumerate() {
            let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
            let steps = vec![
                key(section.as_str()),
                Step::Index(i),
                key("ports"),
                Step::Index(pi),
            ];
            if let Some(hp) = p.host_port.filter(|h| *h != 0) {
                // AccumulateUniqueHostPorts: regular containers together, each init container alone
                if section == Section::Containers {
                    let k = (proto.clone(), p.host_ip.clone().unwrap_or_default(), hp);
                    if let Some(other) = host_ports.get(&k) {
                        out.push("port-conflict", Severity::Error, Some(&c.name), &steps,
                            format!("hostPort {hp}/{proto} of '{}' is already used by '{other}': the API server rejects duplicate host ports. Give one of them another hostPort.", c.name));
                    } else {
                        host_ports.insert(k, c.name.clone());
                    }
                }
            }
            let k = (p.container_port, proto.clone());
            match container_ports.get(&k) {
                Some(other) if other != &c.name => {
                    out.push("port-conflict", Severity::Warning, Some(&c.name), &steps,
                        format!("containerPort {}/{proto} of '{}' is also declared by '{other}': containers share the pod's network, so only one can bind it (the API server warns about this). Use another port.", p.container_port, c.name));
                }
                _ => {
                    container_ports.insert(k, c.name.clone());
                }
            }
        }
    }
}

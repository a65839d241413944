//! A summary of many workloads at once: a cluster's worth of `kubectl get pods -A -o json`.
//!
//! What a reader of hundreds of pods wants first: how many pods stand in each `kubectl get pod`
//! STATUS, which containers hold pods back, and the fleet's sidecar tax: what sidecars and other
//! helpers ask the scheduler for, against what the apps ask for, per namespace and in total.
//! Quantities are summed exactly (`quantity`), never in floating point.
//!
//! The tax counts the containers that run beside the app for the pod's whole life: native
//! sidecars and classic helpers (every container whose pattern is not the app). Plain init
//! containers are left out: they have exited before the app starts, and what they reserve is in
//! the pod's effective requests only where it exceeds the running phase (`init-sets-reservation`).
//! A workload counts once per replica where the count is fixed; a DaemonSet counts one pod.

use crate::quantity::Quantity;
use crate::{quantity_out, Form, Pattern, ResourceMap, Workload};
use serde::Serialize;
use std::collections::BTreeMap;

/// Requests of apps and of helpers, summed.
#[derive(Clone, Debug, Default, PartialEq)]
struct Sums {
    pods: i64,
    apps: BTreeMap<String, Quantity>,
    helpers: BTreeMap<String, Quantity>,
}

impl Sums {
    fn add(&mut self, other: &Sums) {
        self.pods += other.pods;
        for (into, from) in [
            (&mut self.apps, &other.apps),
            (&mut self.helpers, &other.helpers),
        ] {
            for (k, v) in from {
                let e = into.entry(k.clone()).or_insert(Quantity::ZERO);
                *e = e.add(v);
            }
        }
    }

    fn out(&self) -> Tax {
        let map = |m: &BTreeMap<String, Quantity>| -> ResourceMap {
            m.iter()
                .map(|(k, v)| (k.clone(), quantity_out(v)))
                .collect()
        };
        let share = self
            .helpers
            .iter()
            .map(|(k, h)| {
                let total = h.add(self.apps.get(k).unwrap_or(&Quantity::ZERO));
                (k.clone(), permille(h.nanos(), total.nanos()))
            })
            .collect();
        Tax {
            pods: self.pods,
            apps: map(&self.apps),
            helpers: map(&self.helpers),
            helper_permille: share,
        }
    }
}

/// part / whole in thousandths, rounded half up, in integers.
fn permille(part: i128, whole: i128) -> i64 {
    if whole <= 0 {
        return 0;
    }
    i64::try_from((part.saturating_mul(2000) + whole) / (2 * whole)).unwrap_or(i64::MAX)
}

/// The sidecar tax of a group of pods.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Tax {
    /// Pods counted (replicas summed).
    pub pods: i64,
    /// Requests of the app containers.
    pub apps: ResourceMap,
    /// Requests of the native sidecars and classic helpers.
    pub helpers: ResourceMap,
    /// Per resource: the helpers' part of apps and helpers together, in thousandths.
    pub helper_permille: BTreeMap<String, i64>,
}

/// A container that holds pods back, and how many.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Blocker {
    pub container: String,
    /// Why, as `kubectl get pod` shows it (the pod's STATUS).
    pub status: String,
    pub pods: usize,
}

/// What `--summary` prints.
#[derive(Clone, Debug, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub workloads: usize,
    /// Workloads with a `status` (live pods).
    pub live: usize,
    /// Live pods per `kubectl get pod` STATUS, most first.
    pub by_status: Vec<(String, usize)>,
    /// Containers holding live pods back, most first.
    pub blocked_by: Vec<Blocker>,
    /// The sidecar tax per namespace (`""` for objects without one).
    pub namespaces: BTreeMap<String, Tax>,
    pub total: Option<Tax>,
}

/// Adds workloads one at a time (in any number), then gives the [`Summary`].
#[derive(Default)]
pub struct Tally {
    workloads: usize,
    live: usize,
    by_status: BTreeMap<String, usize>,
    blocked_by: BTreeMap<(String, String), usize>,
    namespaces: BTreeMap<String, Sums>,
}

impl Tally {
    pub fn add(&mut self, w: &Workload) {
        self.workloads += 1;
        // A DaemonSet's replicas are one per node: count one pod.
        let pods = w.replicas.unwrap_or(1).max(0);
        let mut s = Sums {
            pods,
            ..Sums::default()
        };
        for c in &w.containers {
            let into = match (c.form, c.pattern) {
                (Form::Init, _) => continue,
                (_, Pattern::App) => &mut s.apps,
                _ => &mut s.helpers,
            };
            for (k, v) in &c.requests {
                let Ok(q) = Quantity::parse(&v.quantity) else {
                    continue;
                };
                let e = into.entry(k.clone()).or_insert(Quantity::ZERO);
                *e = e.add(&q.mul(pods as i128));
            }
        }
        self.namespaces
            .entry(w.namespace.clone().unwrap_or_default())
            .or_default()
            .add(&s);
        if let Some(live) = &w.live {
            self.add_live(&live.status, live.blocked_by.as_deref());
        }
    }

    /// Counts a live pod: its STATUS, and the container that holds it back, if one does.
    pub fn add_live(&mut self, status: &str, blocked_by: Option<&str>) {
        self.live += 1;
        *self.by_status.entry(status.to_string()).or_default() += 1;
        if let Some(c) = blocked_by {
            *self
                .blocked_by
                .entry((c.to_string(), status.to_string()))
                .or_default() += 1;
        }
    }

    pub fn summary(&self) -> Summary {
        let mut by_status: Vec<(String, usize)> = self
            .by_status
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        crate::order::sort_by(&mut by_status, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut blocked_by: Vec<Blocker> = self
            .blocked_by
            .iter()
            .map(|((c, s), n)| Blocker {
                container: c.clone(),
                status: s.clone(),
                pods: *n,
            })
            .collect();
        crate::order::sort_by(&mut blocked_by, |a, b| {
            b.pods.cmp(&a.pods).then(a.container.cmp(&b.container))
        });
        let mut total = Sums::default();
        for s in self.namespaces.values() {
            total.add(s);
        }
        Summary {
            workloads: self.workloads,
            live: self.live,
            by_status,
            blocked_by,
            namespaces: self
                .namespaces
                .iter()
                .map(|(k, v)| (k.clone(), v.out()))
                .collect(),
            total: (self.workloads > 0).then(|| total.out()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{analyze_text, Options};

    #[test]
    fn the_tax_sums_helpers_against_apps_exactly_per_namespace() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 3\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      initContainers:\n      - {name: migrate, image: m:1, resources: {requests: {cpu: '4'}}}\n      - {name: proxy, image: envoyproxy/envoy:v1.30, restartPolicy: Always, resources: {requests: {cpu: 100m, memory: 64Mi}}}\n      containers:\n      - {name: app, image: shop:1, resources: {requests: {cpu: 250m, memory: 256Mi}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: a:1, resources: {requests: {cpu: 1m}}}\n";
        let a = analyze_text("t", text, &Options::default());
        let mut t = Tally::default();
        a.workloads.iter().for_each(|w| t.add(w));
        let s = t.summary();
        let shop = &s.namespaces["shop"];
        assert_eq!(shop.pods, 3);
        assert_eq!(shop.helpers["cpu"].quantity, "300m");
        assert_eq!(shop.helpers["memory"].quantity, "192Mi");
        assert_eq!(shop.apps["cpu"].quantity, "750m");
        // 300m of 1050m.
        assert_eq!(shop.helper_permille["cpu"], 286);
        let total = s.total.unwrap();
        assert_eq!(total.pods, 4);
        assert_eq!(total.apps["cpu"].quantity, "751m");
        assert_eq!(s.namespaces[""].helpers, ResourceMap::new());
    }

    #[test]
    fn live_pods_count_by_status_most_first() {
        let mut t = Tally::default();
        t.add_live("Running", None);
        t.add_live("Init:CrashLoopBackOff", Some("migrate"));
        t.add_live("Running", None);
        let s = t.summary();
        assert_eq!(
            s.by_status,
            [
                ("Running".to_string(), 2),
                ("Init:CrashLoopBackOff".to_string(), 1)
            ]
        );
        assert_eq!(s.blocked_by[0].container, "migrate");
    }
}

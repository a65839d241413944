//! Every quantity of the pod spec checked: a bad one is a finding, taken out, and its resource
//! counted as unknown.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::PodSpec;

use super::{path_text, ReadFinding};
use crate::quantity::Quantity;
use crate::yaml::{Node, Step};

/// Resources whose effective request or limit cannot be known, because a value that goes into it
/// is not a valid quantity.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct UnknownResources {
    pub requests: Vec<String>,
    pub limits: Vec<String>,
}

impl UnknownResources {
    pub(super) fn add_request(&mut self, name: String) {
        if !self.requests.contains(&name) {
            self.requests.push(name);
        }
    }

    pub(super) fn add_limit(&mut self, name: String) {
        if !self.limits.contains(&name) {
            self.limits.push(name);
        }
    }
}

/// Every quantity in the pod spec must parse, as the API decoder requires (Quantity.UnmarshalJSON),
/// and be non-negative (validation.go ValidateNonnegativeQuantity, through
/// ValidateResourceQuantityValue; validateVolumeSource for an emptyDir's sizeLimit). A bad value
/// costs only itself: it becomes a finding and is taken out of the spec, and its resource name is
/// returned, so that the analysis shows that resource as unknown instead of guessing it.
pub(super) fn check_quantities(
    spec: &mut PodSpec,
    root: &Node,
    spec_steps: &[Step],
    findings: &mut Vec<ReadFinding>,
) -> UnknownResources {
    type Map = BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>;
    let key = |s: &str| Step::Key(s.to_string());
    let judge = |steps: Vec<Step>, value: &str, findings: &mut Vec<ReadFinding>| -> bool {
        let (rule, problem) = match Quantity::parse(value) {
            Err(e) => ("invalid-quantity", format!("'{value}' {e}")),
            Ok(q) if q.nanos() < 0 => (
                "negative-quantity",
                format!("'{value}' is negative: the API server refuses it (must be greater than or equal to 0)"),
            ),
            Ok(_) => return true,
        };
        let mut full = spec_steps.to_vec();
        full.extend(steps);
        let (pos, _) = root.locate(&full);
        let path = path_text(&full);
        findings.push(ReadFinding {
            rule,
            message: format!("{path}: {problem}; podlab counts this value as unknown."),
            pos,
            path,
        });
        false
    };
    // The names whose value in `map` is bad, taken out of it.
    let check_map = |base: Vec<Step>, map: &mut Option<Map>, findings: &mut Vec<ReadFinding>| {
        let mut bad = Vec::new();
        if let Some(m) = map {
            m.retain(|name, q| {
                let mut steps = base.clone();
                steps.push(Step::Key(name.clone()));
                let ok = judge(steps, &q.0, findings);
                if !ok {
                    bad.push(name.clone());
                }
                ok
            });
        }
        bad
    };
    let mut unknown = UnknownResources::default();
    // A bad limit leaves the request unknown too where none is written: API defaulting would
    // have copied the limit (pkg/apis/core/v1/defaults.go SetDefaults_Pod; for pod-level
    // resources, defaults.go setPodLevelResourcesDefaults).
    let resources = |base: Vec<Step>,
                     r: &mut k8s_openapi::api::core::v1::ResourceRequirements,
                     findings: &mut Vec<ReadFinding>,
                     unknown: &mut UnknownResources| {
        let with = |field: &str| {
            let mut steps = base.clone();
            steps.push(key(field));
            steps
        };
        let bad_requests = check_map(with("requests"), &mut r.requests, findings);
        let bad_limits = check_map(with("limits"), &mut r.limits, findings);
        for name in bad_requests {
            unknown.add_request(name);
        }
        for name in bad_limits {
            if !r.requests.as_ref().is_some_and(|m| m.contains_key(&name)) {
                unknown.add_request(name.clone());
            }
            unknown.add_limit(name);
        }
    };
    for (section, list) in [
        (
            "initContainers",
            spec.init_containers.as_deref_mut().unwrap_or(&mut []),
        ),
        ("containers", &mut spec.containers[..]),
    ] {
        for (i, c) in list.iter_mut().enumerate() {
            if let Some(r) = &mut c.resources {
                let base = vec![key(section), Step::Index(i), key("resources")];
                resources(base, r, findings, &mut unknown);
            }
        }
    }
    if let Some(r) = &mut spec.resources {
        resources(vec![key("resources")], r, findings, &mut unknown);
    }
    // Overhead is added to requests and to limits (component-helpers PodRequests / PodLimits).
    for name in check_map(vec![key("overhead")], &mut spec.overhead, findings) {
        unknown.add_request(name.clone());
        unknown.add_limit(name);
    }
    for (i, v) in spec.volumes.iter_mut().flatten().enumerate() {
        if let Some(e) = v.empty_dir.as_mut() {
            if let Some(q) = &e.size_limit {
                let steps = vec![
                    key("volumes"),
                    Step::Index(i),
                    key("emptyDir"),
                    key("sizeLimit"),
                ];
                if !judge(steps, &q.0, findings) {
                    e.size_limit = None;
                }
            }
        }
    }
    unknown
}

#[cfg(test)]
mod tests {
    use crate::manifest::read_one;
    use crate::quantity::Quantity;

    #[test]
    fn an_invalid_quantity_names_its_path_and_line() {
        let o = read_one("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: busybox:1.37\n  - name: b\n    image: nginx:1.27\n    resources:\n      requests:\n        cpu: lots\n");
        // One bad value costs only that value: the pod is read, the value is a finding.
        assert!(o.errors.is_empty(), "{:?}", o.errors);
        let pod = &o.pods[0];
        assert_eq!(pod.unknown_resources.requests, ["cpu"]);
        assert!(pod.unknown_resources.limits.is_empty());
        let f = &pod.read_findings[0];
        assert_eq!(f.rule, "invalid-quantity");
        assert_eq!(f.message, "spec.containers[1].resources.requests.cpu: 'lots' is not a quantity (like 250m, 1.5, 512Mi or 2Gi); podlab counts this value as unknown.");
        assert_eq!((f.pos.line, f.pos.column), (12, 9));
        assert!(pod.spec.containers[1]
            .resources
            .as_ref()
            .unwrap()
            .requests
            .as_ref()
            .unwrap()
            .is_empty());
    }

    #[test]
    fn unquoted_numbers_are_quantities_as_kubectl_takes_them() {
        let o = read_one("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: busybox:1.37\n    resources:\n      requests: {cpu: 1, memory: 1e9}\n");
        assert!(o.errors.is_empty(), "{:?}", o.errors);
        let r = o.pods[0].spec.containers[0]
            .resources
            .as_ref()
            .unwrap()
            .requests
            .as_ref()
            .unwrap();
        assert_eq!(
            Quantity::parse(&r["memory"].0).unwrap().value(),
            1_000_000_000
        );
        assert_eq!(Quantity::parse(&r["cpu"].0).unwrap().milli_value(), 1000);
    }
}

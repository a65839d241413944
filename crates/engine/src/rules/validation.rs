//! What the API server's validation refuses and a static reading can see, rule by rule from
//! pkg/apis/core/validation/validation.go (`ValidatePodSpec` and what it calls) and the workload
//! kinds' own validation: `invalid-name`, `invalid-port`, `invalid-volume-mount`,
//! `duplicate-volume-name`, `pod-restart-policy`. Negative and unreadable quantities and keys
//! written twice are found while reading (`manifest`).

use super::{container_steps, key, with, Ctx, Findings};
use crate::manifest::Kind;
use crate::model::Severity;
use crate::yaml::Step;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn check(ctx: &Ctx, out: &mut Findings) {
    metadata_name(ctx, out);
    let volumes = volumes(ctx, out);
    restart_policy(ctx, out);
    pod_level_resources(ctx, out);
    for m in &ctx.members {
        let (section, i, c) = (m.section, m.index, m.spec);
        let steps = container_steps(section, i);
        // validateContainerCommon: "name" is Required, else ValidateDNS1123Label.
        if let Some(problem) = dns1123_label(&c.name) {
            out.push("invalid-name", Severity::Error, Some(&c.name), &with(steps.clone(), &["name"]),
                format!("{section}[{i}].name '{}' {problem}: the API server refuses it (validation.go validateContainerCommon, ValidateDNS1123Label).", c.name));
        }
        ports(c, &steps, out);
        mounts(c, &steps, &volumes, out);
    }
}

/// The names the kinds' validation requires of `metadata.name`: a DNS subdomain for every kind
/// podlab reads (ValidatePodName, apps ValidateDeploymentName / ValidateReplicaSetName /
/// ValidateStatefulSetName / ValidateDaemonSetName, batch ValidateReplicationControllerName for
/// Job and CronJob, ValidatePodTemplate), and for a CronJob at most 52 characters, so that the
/// Jobs it names with a timestamp suffix stay valid (batch validation ValidateCronJobCreate).
fn metadata_name(ctx: &Ctx, out: &mut Findings) {
    let Some(node) = ctx.pod.root.get("metadata").and_then(|m| m.get("name")) else {
        return;
    };
    let Some(name) = node.as_str() else { return };
    let problem = dns1123_subdomain(name).or_else(|| {
        (ctx.pod.kind == Kind::CronJob && name.chars().count() > 52)
            .then(|| "must be no more than 52 characters".to_string())
    });
    if let Some(problem) = problem {
        out.push_at(
            "invalid-name",
            node.pos,
            "metadata.name",
            format!("metadata.name '{name}' {problem}: the API server refuses the {} (ValidateObjectMeta with the kind's name check, apimachinery NameIsDNSSubdomain).", ctx.pod.kind.as_str()),
        );
    }
}

/// validateVolumes: each name is Required, a DNS-1123 label, and unique. Returns the names.
fn volumes<'a>(ctx: &Ctx<'a>, out: &mut Findings) -> BTreeSet<&'a str> {
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, v) in ctx.spec.volumes.iter().flatten().enumerate() {
        let steps = vec![key("volumes"), Step::Index(i), key("name")];
        if let Some(problem) = dns1123_label(&v.name) {
            out.push("invalid-name", Severity::Error, None, &steps,
                format!("volumes[{i}].name '{}' {problem}: the API server refuses it (validation.go validateVolumes, ValidateDNS1123Label).", v.name));
        }
        if let Some(first) = names.get(v.name.as_str()) {
            out.push("duplicate-volume-name", Severity::Error, None, &steps,
                format!("volumes[{i}].name '{}' is already the name of volumes[{first}]: volume names must be unique (validation.go validateVolumes, field.Duplicate). Rename one.", v.name));
        } else {
            names.insert(&v.name, i);
        }
    }
    let mut known: BTreeSet<&'a str> = crate::order::set(names.into_keys());
    // The StatefulSet controller adds a volume per volumeClaimTemplate to each pod it creates
    // (pkg/controller/statefulset/stateful_set_utils.go updateStorage), so mounts may name them.
    if ctx.pod.kind == Kind::StatefulSet {
        let templates = ctx
            .pod
            .root
            .get("spec")
            .and_then(|s| s.get("volumeClaimTemplates"));
        for t in templates.map(crate::yaml::Node::items).unwrap_or(&[]) {
            if let Some(name) = t
                .get("metadata")
                .and_then(|m| m.get("name"))
                .and_then(crate::yaml::Node::as_str)
            {
                known.insert(name);
            }
        }
    }
    known
}

/// validateRestartPolicy: Always, OnFailure or Never; a Job's pods must not restart Always (batch
/// validation validatePodTemplateSpecForJob); the other controllers' pods must restart Always
/// (apps validation ValidatePodTemplateSpecForReplicaSet / ForStatefulSet, DaemonSet the same).
fn restart_policy(ctx: &Ctx, out: &mut Findings) {
    // An unset policy is defaulted to Always before validation (v1 defaults.go SetDefaults_PodSpec),
    // which a Job refuses.
    let p = ctx.spec.restart_policy.as_deref().unwrap_or("Always");
    let steps = [key("restartPolicy")];
    let supported: &[&str] = match ctx.pod.kind {
        Kind::Pod | Kind::PodTemplate => &["Always", "OnFailure", "Never"],
        Kind::Job | Kind::CronJob => &["OnFailure", "Never"],
        _ => &["Always"],
    };
    if !supported.contains(&p) {
        let list = supported.join(", ");
        let written = if ctx.spec.restart_policy.is_some() {
            ""
        } else {
            " (the default when unset)"
        };
        out.push("pod-restart-policy", Severity::Error, None, &steps,
            format!("restartPolicy '{p}'{written} is not supported for a {}: the API server accepts only {list} here (validation.go validateRestartPolicy and the kind's pod template validation).", ctx.pod.kind.as_str()));
    }
}

/// Pod-level `spec.resources` before PodLevelResources existed (before 1.32) is a field the API
/// does not know; with the gate alpha and off (1.32, 1.33) the API server drops it on create
/// (pkg/api/pod/util.go dropDisabledPodLevelResources). Either way the analysis leaves it out.
fn pod_level_resources(ctx: &Ctx, out: &mut Findings) {
    if ctx.spec.resources.is_none() {
        return;
    }
    let version = ctx.version;
    let steps = [key("resources")];
    match version.pod_level_resources_gate() {
        crate::version::Gate::Absent => out.push("unknown-field", Severity::Error, None, &steps,
            format!("spec.resources: Kubernetes {version} has no pod-level resources (PodLevelResources arrives as alpha in 1.32): kubectl's strict validation refuses the field; with validation off it would be dropped silently. podlab leaves it out. Set resources on each container instead.")),
        crate::version::Gate::AlphaOff => out.push("dropped-field", Severity::Warning, None, &steps,
            format!("spec.resources: at Kubernetes {version} the PodLevelResources gate is alpha and off by default, so the API server drops pod-level resources on create (util.go dropDisabledPodLevelResources); podlab analyses the pod without them. Enable the gate, target 1.34 or later, or set resources on each container.")),
        _ => {}
    }
}

/// validateContainerPorts: a name is an IANA_SVC_NAME and unique in the container; containerPort
/// and hostPort lie in 1..=65535 (IsValidPortNum); protocol is TCP, UDP or SCTP.
fn ports(c: &k8s_openapi::api::core::v1::Container, steps: &[Step], out: &mut Findings) {
    let mut names = BTreeSet::new();
    for (pi, p) in c.ports.iter().flatten().enumerate() {
        let at = |field: &str| {
            let mut s = steps.to_vec();
            s.extend([key("ports"), Step::Index(pi), key(field)]);
            s
        };
        if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty()) {
            let problems = port_name(name);
            if !problems.is_empty() {
                out.push("invalid-port", Severity::Error, Some(&c.name), &at("name"),
                    format!("port name '{name}' of '{}' {}: the API server refuses it (validation.go validateContainerPorts, IsValidPortName).", c.name, problems.join("; ")));
            } else if !names.insert(name) {
                out.push("invalid-port", Severity::Error, Some(&c.name), &at("name"),
                    format!("port name '{name}' appears twice in '{}': port names must be unique within a container (validation.go validateContainerPorts, field.Duplicate).", c.name));
            }
        }
        // containerPort 0 is "Required", anything else outside the range "Invalid".
        if !(1..=65535).contains(&p.container_port) {
            out.push("invalid-port", Severity::Error, Some(&c.name), &at("containerPort"),
                format!("containerPort {} of '{}' must be between 1 and 65535, inclusive (validation.go validateContainerPorts, IsValidPortNum).", p.container_port, c.name));
        }
        if let Some(hp) = p.host_port.filter(|h| *h != 0 && !(1..=65535).contains(h)) {
            out.push("invalid-port", Severity::Error, Some(&c.name), &at("hostPort"),
                format!("hostPort {hp} of '{}' must be between 1 and 65535, inclusive (validation.go validateContainerPorts, IsValidPortNum).", c.name));
        }
        if let Some(proto) = p.protocol.as_deref() {
            if !["TCP", "UDP", "SCTP"].contains(&proto) {
                out.push("invalid-port", Severity::Error, Some(&c.name), &at("protocol"),
                    format!("protocol '{proto}' of '{}' is not supported: use TCP, UDP or SCTP, in capitals (validation.go validateContainerPorts, supportedPortProtocols).", c.name));
            }
        }
    }
}

/// validateVolumeMounts: each mount names a volume of the pod, and no two mounts of a container
/// share a mountPath ("must be unique").
fn mounts(
    c: &k8s_openapi::api::core::v1::Container,
    steps: &[Step],
    volumes: &BTreeSet<&str>,
    out: &mut Findings,
) {
    let mut paths = BTreeSet::new();
    for (mi, m) in c.volume_mounts.iter().flatten().enumerate() {
        let at = |field: &str| {
            let mut s = steps.to_vec();
            s.extend([key("volumeMounts"), Step::Index(mi), key(field)]);
            s
        };
        if !m.name.is_empty() && !volumes.contains(m.name.as_str()) {
            out.push("invalid-volume-mount", Severity::Error, Some(&c.name), &at("name"),
                format!("'{}' mounts the volume '{}', which the pod does not declare in volumes: the API server refuses it (validation.go validateVolumeMounts, field.NotFound). Add the volume or fix the name.", c.name, m.name));
        }
        if !m.mount_path.is_empty() && !paths.insert(m.mount_path.as_str()) {
            out.push("invalid-volume-mount", Severity::Error, Some(&c.name), &at("mountPath"),
                format!("'{}' mounts two volumes at {}: a mountPath must be unique within a container (validation.go validateVolumeMounts).", c.name, m.mount_path));
        }
    }
}

const DNS1123_LABEL_MAX: usize = 63;
const DNS1123_SUBDOMAIN_MAX: usize = 253;

/// apimachinery/pkg/util/validation IsDNS1123Label: at most 63 characters of `[a-z0-9-]`,
/// starting and ending with a letter or digit. The messages are upstream's.
pub fn dns1123_label(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("is required".into());
    }
    let mut problems = Vec::new();
    if s.chars().count() > DNS1123_LABEL_MAX {
        problems.push(format!(
            "must be no more than {DNS1123_LABEL_MAX} characters"
        ));
    }
    if !is_label(s) {
        problems.push("must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (a lowercase RFC 1123 label, e.g. 'my-name' or '123-abc')".to_string());
    }
    (!problems.is_empty()).then(|| problems.join(" and "))
}

/// IsDNS1123Subdomain: at most 253 characters, labels of `[a-z0-9-]` joined by dots.
pub fn dns1123_subdomain(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("is required".into());
    }
    let mut problems = Vec::new();
    if s.chars().count() > DNS1123_SUBDOMAIN_MAX {
        problems.push(format!(
            "must be no more than {DNS1123_SUBDOMAIN_MAX} characters"
        ));
    }
    if !s.split('.').all(is_label) {
        problems.push("must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (a lowercase RFC 1123 subdomain, e.g. 'example.com')".to_string());
    }
    (!problems.is_empty()).then(|| problems.join(" and "))
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
fn is_label(s: &str) -> bool {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    !s.is_empty()
        && s.chars().all(|c| alnum(c) || c == '-')
        && s.chars().next().is_some_and(alnum)
        && s.chars().last().is_some_and(alnum)
}

/// apimachinery/pkg/util/validation IsValidPortName (IANA_SVC_NAME), its messages in its order.
pub fn port_name(s: &str) -> Vec<&'static str> {
    let mut errs = Vec::new();
    if s.chars().count() > 15 {
        errs.push("must be no more than 15 characters");
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !s.chars().any(|c| c.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)");
    }
    if s.contains("--") {
        errs.push("must not contain consecutive hyphens");
    }
    if s.starts_with('-') || s.ends_with('-') {
        errs.push("must not begin or end with a hyphen");
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cases TestIsDNS1123Label and TestIsDNS1123Subdomain share: valid as both.
    const GOOD_AS_BOTH: &[&str] = &[
        "a",
        "ab",
        "abc",
        "a1",
        "a-1",
        "a--1--2--b",
        "0",
        "01",
        "012",
        "1a",
        "1-a",
        "1--a--b--2",
    ];

    /// Invalid as both: upper case, dashes at the ends, underscores, dots at the ends, spaces.
    const BAD_AS_BOTH: &[&str] = &[
        "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a",
        "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "1.", ".1", " ", "a ", " a", "a b", "1 ", " 1",
        "1 2",
    ];

    /// apimachinery/pkg/util/validation/validation_test.go TestIsDNS1123Label.
    #[test]
    fn dns1123_labels_as_upstream() {
        for good in GOOD_AS_BOTH.iter().copied().chain([&*"a".repeat(63)]) {
            assert_eq!(dns1123_label(good), None, "{good}");
        }
        for bad in BAD_AS_BOTH.iter().copied().chain([
            "a.b",
            "1.2",
            &"a".repeat(64),
            "Приложение_Main",
            "😀",
        ]) {
            assert!(dns1123_label(bad).is_some(), "{bad}");
        }
    }

    /// validation_test.go TestIsDNS1123Subdomain.
    #[test]
    fn dns1123_subdomains_as_upstream() {
        for good in GOOD_AS_BOTH.iter().copied().chain([
            "a.a",
            "ab.a",
            "abc.a",
            "a1.a",
            "a-1.a",
            "a--1--2--b.a",
            "a.1",
            "ab.1",
            "abc.1",
            "a1.1",
            "a-1.1",
            "a--1--2--b.1",
            "0.a",
            "01.a",
            "012.a",
            "1a.a",
            "1-a.a",
            "1--a--b--2",
            "0.1",
            "01.1",
            "012.1",
            "1a.1",
            "1-a.1",
            "1--a--b--2.1",
            "a.b.c.d.e",
            "aa.bb.cc.dd.ee",
            "1.2.3.4.5",
            "11.22.33.44.55",
            &"a".repeat(253),
        ]) {
            assert_eq!(dns1123_subdomain(good), None, "{good}");
        }
        for bad in BAD_AS_BOTH.iter().copied().chain([
            "a..b",
            "1..2",
            "A.a",
            "aB.a",
            "ab.A",
            "A1.a",
            "a1.A",
            "A.1",
            "aB.1",
            "A1.1",
            "1A.1",
            "0.A",
            "01.A",
            "012.A",
            "1A.a",
            "1a.A",
            "A.B.C.D.E",
            "AA.BB.CC.DD.EE",
            "a.B.c.d.e",
            "aa.bB.cc.dd.ee",
            "a@b",
            "a,b",
            "a_b",
            "a;b",
            "a:b",
            "a%b",
            "a?b",
            "a$b",
            &"a".repeat(254),
        ]) {
            assert!(dns1123_subdomain(bad).is_some(), "{bad}");
        }
    }

    /// validation_test.go TestIsValidPortName.
    #[test]
    fn port_names_as_upstream() {
        for good in [
            "telnet",
            "re-mail-ck",
            "pop3",
            "a",
            "a-1",
            "1-a",
            "a-1-b-2-c",
            "1-a-2-b-3",
        ] {
            assert!(port_name(good).is_empty(), "{good}");
        }
        for bad in [
            "longerthan15characters",
            "",
            &"a".repeat(16),
            "12345",
            "1-2-3-4",
            "-begin",
            "end-",
            "two--hyphens",
            "whois++",
        ] {
            assert!(!port_name(bad).is_empty(), "{bad}");
        }
    }
}

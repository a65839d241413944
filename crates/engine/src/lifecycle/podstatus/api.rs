//! The parts of a pod's `status` that printPod, getPhase and the live view read, in the shapes
//! and with the field names of k8s-openapi's `PodStatus`, `ContainerStatus`, `ContainerState` and
//! `PodCondition` (kubernetes `staging/src/k8s.io/api/core/v1/types.go`).
//!
//! Why not k8s-openapi's own: its `metav1.Time` holds a `jiff::Timestamp`, and decoding one
//! brings a whole date-time library into the page (about a tenth of its WebAssembly). Here a
//! timestamp is read as apimachinery's `Time.UnmarshalJSON` reads it (`time.Parse(time.RFC3339)`)
//! and printed as k8s-openapi prints it (`%Y-%m-%dT%H:%M:%SZ`, in UTC).
//!
//! Decoding is lenient where k8s-openapi's is strict: a missing `name` or `image`, or a timestamp
//! that does not parse, costs that value only (the schema check reports it with its place), not
//! the whole status.

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::api::core::v1::ResourceRequirements;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A Pod as `kubectl get pod -o yaml` prints it, as far as printPod reads it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Pod {
    pub metadata: PodMetadata,
    pub spec: Option<k8s_openapi::api::core::v1::PodSpec>,
    pub status: Option<PodStatus>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodMetadata {
    #[serde(deserialize_with = "lenient_time")]
    pub deletion_timestamp: Option<Time>,
}

/// `status` of a Pod.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodStatus {
    pub phase: Option<String>,
    pub reason: Option<String>,
    pub message: Option<String>,
    pub conditions: Option<Vec<PodCondition>>,
    pub init_container_statuses: Option<Vec<ContainerStatus>>,
    pub container_statuses: Option<Vec<ContainerStatus>>,
    pub ephemeral_container_statuses: Option<Vec<ContainerStatus>>,
    pub nominated_node_name: Option<String>,
    pub qos_class: Option<String>,
    #[serde(deserialize_with = "lenient_time")]
    pub start_time: Option<Time>,
}

/// One of `status.conditions`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodCondition {
    #[serde(rename = "type")]
    pub type_: String,
    pub status: String,
    pub reason: Option<String>,
    pub message: Option<String>,
    #[serde(deserialize_with = "lenient_time")]
    pub last_transition_time: Option<Time>,
    #[serde(deserialize_with = "lenient_time")]
    pub last_probe_time: Option<Time>,
}

/// One of `status.initContainerStatuses`, `containerStatuses` or `ephemeralContainerStatuses`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerStatus {
    pub name: String,
    pub image: String,
    pub ready: bool,
    pub started: Option<bool>,
    pub restart_count: i32,
    pub state: Option<ContainerState>,
    pub last_state: Option<ContainerState>,
    pub resources: Option<ResourceRequirements>,
    pub allocated_resources: Option<BTreeMap<String, Quantity>>,
}

/// `state` or `lastState`: at most one of the three is set.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ContainerState {
    pub running: Option<ContainerStateRunning>,
    pub terminated: Option<ContainerStateTerminated>,
    pub waiting: Option<ContainerStateWaiting>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerStateRunning {
    #[serde(deserialize_with = "lenient_time")]
    pub started_at: Option<Time>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerStateTerminated {
    pub exit_code: i32,
    pub signal: Option<i32>,
    pub reason: Option<String>,
    pub message: Option<String>,
    #[serde(deserialize_with = "lenient_time")]
    pub started_at: Option<Time>,
    #[serde(deserialize_with = "lenient_time")]
    pub finished_at: Option<Time>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ContainerStateWaiting {
    pub reason: Option<String>,
    pub message: Option<String>,
}

/// `metav1.Time`: seconds and nanoseconds since the Unix epoch, in UTC.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    seconds: i64,
    nanos: u32,
}

impl Time {
    /// The time `seconds` after the Unix epoch.
    pub fn from_second(seconds: i64) -> Time {
        Time { seconds, nanos: 0 }
    }

    pub fn as_second(&self) -> i64 {
        self.seconds
    }

    /// An RFC 3339 date-time as Go's `time.Parse(time.RFC3339, s)` reads it
    /// (`format_rfc3339.go` `parseRFC3339`): `2006-01-02T15:04:05Z07:00`, fractional seconds
    /// optional (digits past the ninth dropped), the day checked against its month. Like the
    /// schema check (`schema.rs`), a lower-case `t` or `z` is taken, and a leap second `:60` is
    /// read as `:59`.
    pub fn parse(s: &str) -> Option<Time> {
        let b = s.as_bytes();
        let num = |from: usize, n: usize| -> Option<i64> {
            let part = b.get(from..from + n)?;
            part.iter()
                .all(u8::is_ascii_digit)
                .then(|| part.iter().fold(0, |acc, d| acc * 10 + i64::from(d - b'0')))
        };
        let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
        let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
        let separators = b[4] == b'-'
            && b[7] == b'-'
            && matches!(b[10], b'T' | b't')
            && b[13] == b':'
            && b[16] == b':';
        if !separators
            || !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let mut i = 19;
        let mut nanos = 0u32;
        if b.get(i) == Some(&b'.') {
            let start = i + 1;
            i = start;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                if i - start < 9 {
                    nanos = nanos * 10 + u32::from(b[i] - b'0');
                }
                i += 1;
            }
            if i == start {
                return None;
            }
            for _ in (i - start)..9 {
                nanos *= 10;
            }
        }
        let offset = match b.get(i)? {
            b'Z' | b'z' if i + 1 == b.len() => 0,
            sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
                let (h, m) = (num(i + 1, 2)?, num(i + 4, 2)?);
                if h > 23 || m > 59 {
                    return None;
                }
                let minutes = h * 60 + m;
                if *sign == b'-' {
                    -minutes
                } else {
                    minutes
                }
            }
            _ => return None,
        };
        let days = days_from_civil(year, month, day);
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second.min(59) - offset * 60;
        Some(Time { seconds, nanos })
    }
}

/// k8s-openapi's `Time` serialises as `%Y-%m-%dT%H:%M:%SZ`: whole seconds, in UTC.
impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.seconds.div_euclid(86_400);
        let rest = self.seconds.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rest / 3_600,
            rest / 60 % 60,
            rest % 60
        )
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A timestamp that does not parse is left out (the schema check reports it), as is `null`.
fn lenient_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Time>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(v.as_ref().and_then(|v| v.as_str()).and_then(Time::parse))
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time as OpenApiTime;

    /// The same text through k8s-openapi's `Time` (jiff) and through this one: the same instant,
    /// printed the same; and the same refusals.
    #[test]
    fn time_reads_and_prints_as_k8s_openapi() {
        for s in [
            "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59Z",
            "2025-01-31T12:00:00.123456789Z",
            "2025-01-31T12:00:00.5+05:30",
            "2025-01-31T00:10:00-01:00",
            "1969-12-31T23:59:59Z",
            "2000-03-01T00:00:00Z",
            "2100-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z",
            "2025-01-31t12:00:00z",
        ] {
            let ours = Time::parse(s).unwrap_or_else(|| panic!("{s} refused"));
            let theirs: OpenApiTime = serde_json::from_value(serde_json::json!(s)).unwrap();
            assert_eq!(
                serde_json::to_value(ours).unwrap(),
                serde_json::to_value(&theirs).unwrap(),
                "{s}"
            );
            assert_eq!(ours.as_second(), theirs.0.as_second(), "{s}");
            assert_eq!(ours.nanos as i32, theirs.0.subsec_nanosecond(), "{s}");
        }
        for bad in [
            "2025-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-01-31T24:00:00Z",
            "2025-01-31T12:00:00",
            "2025-01-31T12:00:00.Z",
            "2025-01-31",
            "",
        ] {
            assert_eq!(Time::parse(bad), None, "{bad}");
            assert!(
                serde_json::from_value::<OpenApiTime>(serde_json::json!(bad)).is_err(),
                "k8s-openapi reads {bad}"
            );
        }
        // Go's RFC3339 wants a `T` and the colon in the offset; jiff does not.
        for go_refuses in ["2025-01-31T12:00:00+0100", "2025-01-31 12:00:00Z"] {
            assert_eq!(Time::parse(go_refuses), None, "{go_refuses}");
        }
    }

    /// Every field here is k8s-openapi's, under its name: a status written by k8s-openapi with
    /// each of them set reads back whole.
    #[test]
    fn the_fields_are_k8s_openapis() {
        use k8s_openapi::api::core::v1 as k;
        use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
        let t = |s: &str| serde_json::from_value::<OpenApiTime>(serde_json::json!(s)).unwrap();
        let at = "2025-01-31T12:00:00Z";
        let requests = BTreeMap::from([("cpu".to_string(), Quantity("100m".into()))]);
        let status = |name: &str| k::ContainerStatus {
            name: name.into(),
            image: "nginx".into(),
            ready: true,
            started: Some(true),
            restart_count: 3,
            state: Some(k::ContainerState {
                running: Some(k::ContainerStateRunning {
                    started_at: Some(t(at)),
                }),
                waiting: Some(k::ContainerStateWaiting {
                    reason: Some("r".into()),
                    message: Some("m".into()),
                }),
                ..Default::default()
            }),
            last_state: Some(k::ContainerState {
                terminated: Some(k::ContainerStateTerminated {
                    exit_code: 137,
                    signal: Some(9),
                    reason: Some("OOMKilled".into()),
                    message: Some("m".into()),
                    started_at: Some(t(at)),
                    finished_at: Some(t(at)),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            resources: Some(k::ResourceRequirements {
                requests: Some(requests.clone()),
                ..Default::default()
            }),
            allocated_resources: Some(requests.clone()),
            ..Default::default()
        };
        let pod = k::Pod {
            metadata: meta::ObjectMeta {
                deletion_timestamp: Some(t(at)),
                ..Default::default()
            },
            spec: Some(k::PodSpec::default()),
            status: Some(k::PodStatus {
                phase: Some("Running".into()),
                reason: Some("r".into()),
                message: Some("m".into()),
                nominated_node_name: Some("n".into()),
                qos_class: Some("Burstable".into()),
                start_time: Some(t(at)),
                conditions: Some(vec![k::PodCondition {
                    type_: "Ready".into(),
                    status: "True".into(),
                    reason: Some("r".into()),
                    message: Some("m".into()),
                    last_probe_time: Some(t(at)),
                    last_transition_time: Some(t(at)),
                    ..Default::default()
                }]),
                init_container_statuses: Some(vec![status("i")]),
                container_statuses: Some(vec![status("c")]),
                ephemeral_container_statuses: Some(vec![status("e")]),
                ..Default::default()
            }),
        };
        let ours: Pod = serde_json::from_value(serde_json::to_value(&pod).unwrap()).unwrap();
        let at = Time::parse(at);
        assert_eq!(ours.metadata.deletion_timestamp, at);
        let st = ours.status.unwrap();
        assert_eq!(
            (
                st.phase.as_deref(),
                st.reason.as_deref(),
                st.message.as_deref()
            ),
            (Some("Running"), Some("r"), Some("m"))
        );
        assert_eq!(st.nominated_node_name.as_deref(), Some("n"));
        assert_eq!(
            (st.qos_class.as_deref(), st.start_time),
            (Some("Burstable"), at)
        );
        let c = &st.conditions.unwrap()[0];
        assert_eq!((c.type_.as_str(), c.status.as_str()), ("Ready", "True"));
        assert_eq!(
            (c.reason.as_deref(), c.message.as_deref()),
            (Some("r"), Some("m"))
        );
        assert_eq!((c.last_probe_time, c.last_transition_time), (at, at));
        for (list, name) in [
            (st.init_container_statuses, "i"),
            (st.container_statuses, "c"),
            (st.ephemeral_container_statuses, "e"),
        ] {
            let s = &list.unwrap()[0];
            assert_eq!((s.name.as_str(), s.image.as_str()), (name, "nginx"));
            assert_eq!((s.ready, s.started, s.restart_count), (true, Some(true), 3));
            let state = s.state.as_ref().unwrap();
            assert_eq!(state.running.as_ref().unwrap().started_at, at);
            let w = state.waiting.as_ref().unwrap();
            assert_eq!(
                (w.reason.as_deref(), w.message.as_deref()),
                (Some("r"), Some("m"))
            );
            let x = s.last_state.as_ref().unwrap().terminated.as_ref().unwrap();
            assert_eq!((x.exit_code, x.signal), (137, Some(9)));
            assert_eq!(
                (x.reason.as_deref(), x.message.as_deref()),
                (Some("OOMKilled"), Some("m"))
            );
            assert_eq!((x.started_at, x.finished_at), (at, at));
            let r = s.resources.as_ref().unwrap().requests.as_ref().unwrap();
            assert_eq!(r, &requests);
            assert_eq!(s.allocated_resources.as_ref(), Some(&requests));
        }
    }

    #[test]
    fn later_is_greater() {
        let a = Time::parse("2025-01-31T12:00:00.1Z").unwrap();
        let b = Time::parse("2025-01-31T12:00:00.2Z").unwrap();
        let c = Time::parse("2025-01-31T13:00:00+01:00").unwrap();
        assert!(a < b && c < a);
    }

    /// One bad timestamp costs that timestamp, not the status.
    #[test]
    fn a_bad_timestamp_costs_only_itself() {
        let s: ContainerStatus = serde_json::from_value(serde_json::json!({
            "name": "app", "ready": true, "restartCount": 2,
            "lastState": {"terminated": {"exitCode": 1, "finishedAt": "yesterday"}},
            "state": {"running": {"startedAt": "2025-01-31T12:00:00Z"}}
        }))
        .unwrap();
        assert_eq!(s.restart_count, 2);
        let t = s.last_state.unwrap().terminated.unwrap();
        assert_eq!((t.exit_code, t.finished_at), (1, None));
        assert_eq!(
            s.state
                .unwrap()
                .running
                .unwrap()
                .started_at
                .unwrap()
                .to_string(),
            "2025-01-31T12:00:00Z"
        );
    }
}

use crate::schema;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Pod,
    Deployment,
    StatefulSet,
    DaemonSet,
    ReplicaSet,
    ReplicationController,
    Job,
    CronJob,
    PodTemplate,
}

impl Kind {
    pub(super) fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "Pod" => Kind::Pod,
            "Deployment" => Kind::Deployment,
            "StatefulSet" => Kind::StatefulSet,
            "DaemonSet" => Kind::DaemonSet,
            "ReplicaSet" => Kind::ReplicaSet,
            "ReplicationController" => Kind::ReplicationController,
            "Job" => Kind::Job,
            "CronJob" => Kind::CronJob,
            "PodTemplate" => Kind::PodTemplate,
            _ => return None,
        })
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Pod => "Pod",
            Kind::Deployment => "Deployment",
            Kind::StatefulSet => "StatefulSet",
            Kind::DaemonSet => "DaemonSet",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::ReplicationController => "ReplicationController",
            Kind::Job => "Job",
            Kind::CronJob => "CronJob",
            Kind::PodTemplate => "PodTemplate",
        }
    }

    /// The served apiVersion, and older ones that the API server no longer serves (with the
    /// release that removed them; kubernetes.io/docs/reference/using-api/deprecation-guide).
    pub(super) fn api_versions(&self) -> (&'static str, &'static [(&'static str, &'static str)]) {
        match self {
            Kind::Pod | Kind::ReplicationController | Kind::PodTemplate => ("v1", &[]),
            Kind::Deployment | Kind::DaemonSet | Kind::ReplicaSet => (
                "apps/v1",
                &[
                    ("extensions/v1beta1", "1.16"),
                    ("apps/v1beta1", "1.16"),
                    ("apps/v1beta2", "1.16"),
                ],
            ),
            Kind::StatefulSet => (
                "apps/v1",
                &[("apps/v1beta1", "1.16"), ("apps/v1beta2", "1.16")],
            ),
            Kind::Job => ("batch/v1", &[]),
            Kind::CronJob => (
                "batch/v1",
                &[("batch/v1beta1", "1.25"), ("batch/v2alpha1", "1.21")],
            ),
        }
    }

    /// The object's type in the schema table.
    pub(super) fn schema_root(&self) -> u16 {
        match self {
            Kind::Pod => schema::POD,
            Kind::Deployment => schema::DEPLOYMENT,
            Kind::StatefulSet => schema::STATEFUL_SET,
            Kind::DaemonSet => schema::DAEMON_SET,
            Kind::ReplicaSet => schema::REPLICA_SET,
            Kind::ReplicationController => schema::REPLICATION_CONTROLLER,
            Kind::Job => schema::JOB,
            Kind::CronJob => schema::CRON_JOB,
            Kind::PodTemplate => schema::POD_TEMPLATE,
        }
    }

    /// Where the pod spec sits in an object of this kind.
    pub(super) fn spec_path(&self) -> &'static [&'static str] {
        match self {
            Kind::Pod => &["spec"],
            Kind::PodTemplate => &["template", "spec"],
            Kind::CronJob => &["spec", "jobTemplate", "spec", "template", "spec"],
            _ => &["spec", "template", "spec"],
        }
    }

    pub fn is_batch(&self) -> bool {
        matches!(self, Kind::Job | Kind::CronJob)
    }
}

//! The target Kubernetes version and the feature gates that depend on it.

use std::fmt;
use std::str::FromStr;

/// A Kubernetes minor release, 1.27 to the newest podlab knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    pub minor: u32,
}

impl KubeVersion {
    pub const OLDEST: KubeVersion = KubeVersion { minor: 27 };
    pub const NEWEST: KubeVersion = KubeVersion { minor: 37 };

    pub const fn new(minor: u32) -> Self {
        KubeVersion { minor }
    }

    /// Every supported version, oldest first.
    pub fn all() -> impl Iterator<Item = KubeVersion> {
        (Self::OLDEST.minor..=Self::NEWEST.minor).map(KubeVersion::new)
    }

    pub fn at_least(&self, minor: u32) -> bool {
        self.minor >= minor
    }

    /// SidecarContainers: alpha 1.28 (off), beta 1.29 (on), GA 1.33 (KEP-753 kep.yaml).
    pub fn sidecar_gate(&self) -> Gate {
        match self.minor {
            0..=27 => Gate::Absent,
            28 => Gate::AlphaOff,
            29..=32 => Gate::BetaOn,
            _ => Gate::Ga,
        }
    }

    /// PodLevelResources: alpha 1.32–1.33 (off), beta 1.34 (on) (KEP-2837; feature-gates page).
    pub fn pod_level_resources_gate(&self) -> Gate {
        match self.minor {
            0..=31 => Gate::Absent,
            32 | 33 => Gate::AlphaOff,
            _ => Gate::BetaOn,
        }
    }

    /// HPAContainerMetrics: alpha 1.20 (off), beta 1.27 (on), GA 1.30 (KEP-1610).
    pub fn hpa_container_metrics_gate(&self) -> Gate {
        match self.minor {
            0..=19 => Gate::Absent,
            20..=26 => Gate::AlphaOff,
            27..=29 => Gate::BetaOn,
            _ => Gate::Ga,
        }
    }

    /// ContainerRestartRules: alpha 1.34 (off), beta 1.35 (on) (KEP-5307; feature-gates page).
    pub fn container_restart_rules_gate(&self) -> Gate {
        match self.minor {
            0..=33 => Gate::Absent,
            34 => Gate::AlphaOff,
            _ => Gate::BetaOn,
        }
    }

    /// ContainerStopSignals: alpha 1.33 (off), beta targeted for 1.38 (KEP-4960 kep.yaml;
    /// pkg/features/kube_features.go).
    pub fn container_stop_signals_gate(&self) -> Gate {
        match self.minor {
            0..=32 => Gate::Absent,
            _ => Gate::AlphaOff,
        }
    }

    /// PodLifecycleSleepAction (the `sleep` hook action): alpha 1.29 (off), beta 1.30 (on), GA
    /// 1.34 (KEP-3960; pkg/features/kube_features.go).
    pub fn sleep_action_gate(&self) -> Gate {
        match self.minor {
            0..=28 => Gate::Absent,
            29 => Gate::AlphaOff,
            30..=33 => Gate::BetaOn,
            _ => Gate::Ga,
        }
    }

    /// PodLevelResourcesFixKubeletQOSClass: empty pod-level resources stop deciding QoS from 1.36
    /// (kubernetes PR #137150).
    pub fn empty_pod_resources_ignored_for_qos(&self) -> bool {
        self.minor >= 36
    }
}

/// The state of a feature gate at a version, with default settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    Absent,
    AlphaOff,
    BetaOn,
    Ga,
}

impl Gate {
    pub fn enabled(&self) -> bool {
        matches!(self, Gate::BetaOn | Gate::Ga)
    }
}

impl Default for KubeVersion {
    fn default() -> Self {
        Self::NEWEST
    }
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1.{}", self.minor)
    }
}

impl FromStr for KubeVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().trim_start_matches('v');
        let mut parts = s.split('.');
        let (major, minor) = (parts.next(), parts.next());
        let minor: u32 = match (major, minor) {
            (Some("1"), Some(m)) => m
                .parse()
                .map_err(|_| format!("'{s}' is not a version like 1.33"))?,
            _ => return Err(format!("'{s}' is not a version like 1.33")),
        };
        let v = KubeVersion::new(minor);
        if v < Self::OLDEST || v > Self::NEWEST {
            return Err(format!(
                "podlab knows Kubernetes {} to {}; '{s}' is outside that range",
                Self::OLDEST,
                Self::NEWEST
            ));
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_bounds_versions() {
        assert_eq!("1.33".parse::<KubeVersion>().unwrap(), KubeVersion::new(33));
        assert_eq!(
            "v1.29".parse::<KubeVersion>().unwrap(),
            KubeVersion::new(29)
        );
        assert!("1.26".parse::<KubeVersion>().is_err());
        assert!("2.0".parse::<KubeVersion>().is_err());
        assert!("1.x".parse::<KubeVersion>().is_err());
    }

    #[test]
    fn sidecar_gate_follows_kep_753() {
        assert_eq!(KubeVersion::new(27).sidecar_gate(), Gate::Absent);
        assert_eq!(KubeVersion::new(28).sidecar_gate(), Gate::AlphaOff);
        assert!(KubeVersion::new(29).sidecar_gate().enabled());
        assert_eq!(KubeVersion::new(33).sidecar_gate(), Gate::Ga);
    }
}

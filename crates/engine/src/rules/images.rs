//! `unpinned-image`: an image without a tag or with :latest.

use super::{container_steps, with, Findings, Member};
use crate::model::Severity;

pub(super) fn check_container(m: &Member, out: &mut Findings) {
    let c = m.spec;
    let Some(image) = &c.image else { return };
    let last = image.rsplit('/').next().unwrap_or(image);
    if !image.contains('@') && (!last.contains(':') || last.ends_with(":latest")) {
        out.push("unpinned-image", Severity::Warning, Some(&c.name), &with(container_steps(m.section, m.index), &["image"]),
            format!("image '{image}' of '{}' {}: each node may pull a different build. Pin a version tag or a digest (@sha256:…).", c.name, if last.ends_with(":latest") { "is :latest" } else { "has no tag, so it means :latest" }));
    }
}

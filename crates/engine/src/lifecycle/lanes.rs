use crate::model::EventKind;

/// The segments in which each container runs, for drawing its lane: from each start to the next
/// exit, stop, kill or failed probe, or to `end` while still running. `moments` are (second,
/// container, kind) in time order; containers come out in the order they first appear.
pub fn lane_segments<'a>(
    moments: impl IntoIterator<Item = (f64, Option<&'a str>, EventKind)>,
    end: f64,
) -> Vec<(&'a str, Vec<(f64, f64)>)> {
    // Per container: its closed segments and the start of an open one.
    type Lane<'n> = (&'n str, Vec<(f64, f64)>, Option<f64>);
    let mut lanes: Vec<Lane> = Vec::new();
    for (at, container, kind) in moments {
        let Some(name) = container else { continue };
        let i = match lanes.iter().position(|(n, _, _)| *n == name) {
            Some(i) => i,
            None => {
                lanes.push((name, Vec::new(), None));
                lanes.len() - 1
            }
        };
        let (_, segments, open) = &mut lanes[i];
        if kind.starts_running() && open.is_none() {
            *open = Some(at);
        } else if kind.stops_running() {
            if let Some(s) = open.take() {
                segments.push((s, at));
            }
        }
    }
    lanes
        .into_iter()
        .map(|(name, mut segments, open)| {
            if let Some(s) = open {
                segments.push((s, end));
            }
            (name, segments)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lane_runs_from_each_start_to_its_exit_and_stays_open_to_the_end() {
        use EventKind::*;
        let moments = [
            (0.0, None, Volumes),
            (1.0, Some("init"), Start),
            (3.0, Some("init"), Exit),
            (4.0, Some("app"), Start),
            (5.0, Some("app"), Start),
            (6.0, Some("app"), ProbeFailed),
            (9.0, Some("app"), Start),
            (10.0, Some("app"), Sigterm),
            (12.0, Some("side"), Start),
            (13.0, Some("side"), Sigkill),
        ];
        assert_eq!(
            lane_segments(moments, 20.0),
            vec![
                ("init", vec![(1.0, 3.0)]),
                ("app", vec![(4.0, 6.0), (9.0, 20.0)]),
                ("side", vec![(12.0, 13.0)]),
            ]
        );
    }
}

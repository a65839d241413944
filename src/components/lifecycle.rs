use crate::hooks::{use_playback, Playback};
use crate::state::State;
use podlab_engine::lifecycle::{
    lane_segments, EventKind, Scenario, Timeline, TimelineEvent, Variant,
};
use podlab_engine::podstatus::{shown_at, StatusAt};
use podlab_engine::{Form, Lifecycle as Stages};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

/// Seconds of quiet between the pod running and `kubectl delete`, so the two halves read apart.
const PAUSE_BEFORE_DELETE: i64 = 3;

/// One moment on the time axis, with the stage (across start and stop) it belongs to.
#[derive(Clone, PartialEq)]
struct Moment {
    at: f64,
    stage: usize,
    container: Option<String>,
    kind: EventKind,
    text: String,
}

fn moments(events: &[TimelineEvent], worst: bool, offset: f64, stage_offset: usize) -> Vec<Moment> {
    events
        .iter()
        .map(|e| Moment {
            at: offset + if worst { e.worst } else { e.best } as f64,
            stage: e.stage + stage_offset,
            container: e.container.clone(),
            kind: e.kind,
            text: e.text.clone(),
        })
        .collect()
}

/// The pod's life as moments: start-up, then deletion after a pause.
fn life(t: &Timeline, startup_stages: usize, worst: bool) -> Vec<Moment> {
    let start = moments(&t.startup, worst, 0.0, 0);
    let end_of_start = start.iter().map(|m| m.at).fold(0.0, f64::max);
    let delete_at = end_of_start + PAUSE_BEFORE_DELETE as f64;
    let mut all = start;
    all.push(Moment {
        at: delete_at,
        stage: startup_stages,
        container: None,
        // Pod-wide (no container), so it draws as a line across the lanes, not on one.
        kind: EventKind::Sigterm,
        text: format!(
            "kubectl delete: the pod is terminating, with a {} s grace period.",
            t.termination_grace_period_seconds
        ),
    });
    all.extend(moments(&t.shutdown, worst, delete_at, startup_stages));
    // Within a second, in stage order: sidecars whose timers end together still stop in turn.
    podlab_engine::order::sort_by(&mut all, |a, b| {
        a.at.total_cmp(&b.at).then(a.stage.cmp(&b.stage))
    });
    all
}

/// At most 20 characters of a lane's name, cut between characters (a byte index could fall
/// inside one), so a long name does not run into the chart; the full name is its tooltip.
fn lane_label(name: &str) -> String {
    if name.chars().count() > 20 {
        format!("{}…", name.chars().take(19).collect::<String>())
    } else {
        name.to_string()
    }
}

/// Seconds between ticks: a round step giving at most a dozen ticks, however long the timeline
/// (a grace period may be any 64-bit number of seconds; a tick per two minutes of it would
/// never finish drawing).
fn tick_step(total: f64) -> f64 {
    let rough = (total / 12.0).max(1.0);
    let nice = [1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0];
    if let Some(s) = nice.into_iter().find(|s| *s >= rough) {
        return s;
    }
    // Beyond ten minutes a tick: a power of ten times 1, 2 or 5.
    let ten = 10f64.powf(rough.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * ten)
        .find(|s| *s >= rough)
        .unwrap_or(rough)
}

/// The timeline drawing: a lane per container, segments while it runs, markers at events, a
/// playhead at `now`.
/// `here`: the lane of the container a live pod is held back by, marked "it is here now".
fn chart(
    lanes: &[(String, Form)],
    moments: &[Moment],
    now: f64,
    label: &str,
    here: Option<&str>,
) -> Html {
    let total = moments.iter().map(|m| m.at).fold(1.0, f64::max) + 2.0;
    let (left, width, row) = (150.0, 560.0, 26.0);
    let x = |t: f64| left + t / total * (width - left - 10.0);
    let height = lanes.len() as f64 * row + 34.0;
    let step = tick_step(total);
    let lane_of = |name: &str| lanes.iter().position(|(n, _)| n == name);
    let segs = lane_segments(
        moments
            .iter()
            .map(|m| (m.at, m.container.as_deref(), m.kind)),
        total - 1.0,
    );
    html! {
        <svg class="timeline" width="100%" viewBox={format!("0 0 {width} {height}")} role="img" aria-label={label.to_string()}>
            { for (0..=((total / step) as usize)).map(|i| {
                let t = i as f64 * step;
                html! { <g class="tick">
                    <line x1={format!("{:.1}", x(t))} x2={format!("{:.1}", x(t))} y1="0" y2={format!("{:.1}", height - 18.0)} />
                    <text x={format!("{:.1}", x(t))} y={format!("{:.1}", height - 4.0)}>{ format!("{t} s") }</text>
                </g> }
            }) }
            { for lanes.iter().enumerate().map(|(i, (name, form))| {
                let y = i as f64 * row;
                let mine: Vec<&Moment> = moments.iter().filter(|m| m.container.as_deref() == Some(name)).collect();
                let segments = segs.iter().find(|(n, _)| *n == name.as_str()).map(|(_, s)| s.as_slice()).unwrap_or(&[]);
                let is_here = here == Some(name.as_str());
                html! { <g class={classes!("lane", format!("form-{}", form.as_str()), is_here.then_some("here"))} data-lane={name.clone()}>
                    if is_here {
                        <rect class="here-band" x="0" y={format!("{:.1}", y + 2.0)} width={format!("{width}")} height="22" rx="4" />
                    }
                    <text class="lane-label" x="0" y={format!("{:.1}", y + 17.0)}><title>{ name }</title>{ lane_label(name) }</text>
                    { for segments.iter().map(|(s, e)| {
                        // Not `clamp`: it panics when the bounds cross, and a timeline is input.
                        let done = now.max(*s).min(*e);
                        html! { <>
                            <rect class="seg" x={format!("{:.1}", x(*s))} y={format!("{:.1}", y + 6.0)} width={format!("{:.1}", (x(*e) - x(*s)).max(1.0))} height="14" rx="3" />
                            <rect class="seg-done" x={format!("{:.1}", x(*s))} y={format!("{:.1}", y + 6.0)} width={format!("{:.1}", (x(done) - x(*s)).max(0.0))} height="14" rx="3" />
                        </> }
                    }) }
                    { for mine.iter().map(|m| html! {
                        { mark(m, x(m.at), y + 13.0, m.at <= now) }
                    }) }
                    if is_here {
                        <text class="here-label" data-testid="live-here" x={format!("{:.1}", width - 6.0)} y={format!("{:.1}", y + 17.0)} text-anchor="end">{"it is here now"}</text>
                    }
                </g> }
            }) }
            { for moments.iter().filter(|m| m.container.is_none() || m.container.as_deref().and_then(lane_of).is_none()).map(|m| html! {
                <line class="pod-event" x1={format!("{:.1}", x(m.at))} x2={format!("{:.1}", x(m.at))} y1="0" y2={format!("{:.1}", height - 18.0)}><title>{ &m.text }</title></line>
            }) }
            if now <= total { <line class="playhead" x1={format!("{:.1}", x(now))} x2={format!("{:.1}", x(now))} y1="0" y2={format!("{:.1}", height - 18.0)} /> }
        </svg>
    }
}

/// A moment on its lane: a hook (postStart, preStop) as a diamond, so it reads apart from the
/// container's own starts and stops; anything else as a dot.
fn mark(m: &Moment, cx: f64, cy: f64, past: bool) -> Html {
    let class = classes!(
        "mark",
        format!("mark-{}", m.kind.as_str()),
        past.then_some("past")
    );
    if matches!(m.kind, EventKind::PostStart | EventKind::PreStop) {
        let d = format!("M{:.1} {:.1} l5 5 l-5 5 l-5 -5 z", cx, cy - 5.0);
        html! { <path class={classes!(class, "hook")} data-hook={m.kind.as_str()} d={d}><title>{ &m.text }</title></path> }
    } else {
        html! { <circle class={class} cx={format!("{cx:.1}")} cy={format!("{cy:.1}")} r="4"><title>{ &m.text }</title></circle> }
    }
}

/// The `kubectl get pod` line at the playhead: the engine's status for the current second.
fn pod_status_line(name: &str, status: Option<&StatusAt>) -> Html {
    let Some(s) = status else { return html! {} };
    html! {
        <div class="pod-status" data-testid="pod-status" data-status={s.status.clone()} data-ready={s.ready.clone()}
            data-phase={s.phase.as_str()} data-restarts={s.restarts.to_string()} aria-live="polite">
            <pre class="kubectl" aria-label={format!("kubectl get pod: {} {} {} restarts, phase {}", s.status, s.ready, s.restarts, s.phase.as_str())}>
                { crate::components::kubectl_rows(name, &s.ready, &s.status, s.restarts) }
            </pre>
        </div>
    }
}

/// A scenario's statuses in order, as `kubectl get pod -w` would print them.
fn status_sequence(steps: &[StatusAt], now: f64) -> Html {
    // The same row `shown_at` picks: the last one reached, else the first.
    let second = now.floor() as i64;
    let current = steps.iter().rposition(|s| s.at <= second).unwrap_or(0);
    html! {
        <ol class="status-seq" data-testid="scenario-statuses" aria-label="What kubectl get pod shows, in order">
            { for steps.iter().enumerate().map(|(i, s)| html! {
                <li data-status={s.status.clone()} data-ready={s.ready.clone()} data-at={s.at.to_string()}
                    class={classes!((i == current).then_some("now"))} aria-current={(i == current).then_some("step")}>
                    <span class="at">{ format!("{} s", s.at) }</span>{ format!("{} {} ({})", s.ready, s.status, s.phase.as_str()) }
                </li>
            }) }
        </ol>
    }
}

/// The start and stop order, animated along the time axis, with scenarios and a comparison.
#[function_component]
pub fn Lifecycle(props: &Props) -> Html {
    let state = &props.state;
    let worst = use_state(|| false);
    let scenario = use_state(|| None::<String>);
    let comparing = use_state(|| false);
    let w = state.workload();
    let l = w.map(|w| &w.lifecycle);
    let chosen = l.and_then(|l| {
        let id = scenario.as_ref()?;
        l.scenarios.iter().find(|s| &s.id == id)
    });
    let moments: Vec<Moment> = match (l, chosen) {
        (_, Some(s)) => {
            let mut m = moments(&s.events, false, 0.0, 0);
            podlab_engine::order::sort_by(&mut m, |a, b| a.at.total_cmp(&b.at));
            m
        }
        (Some(l), None) => life(&l.timeline, l.startup.len(), *worst),
        (None, None) => Vec::new(),
    };
    // Hooks run on every render, so the clock comes before the early return.
    let clock = use_playback(Rc::new(moments.iter().map(|m| m.at).collect()));
    let (Some(w), Some(l)) = (w, l) else {
        return html! {};
    };
    let lanes: Vec<(String, Form)> = w
        .containers
        .iter()
        .map(|c| (c.name.clone(), c.form))
        .collect();
    let on_case = {
        let (worst, reset) = (worst.clone(), clock.reset.clone());
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            reset.emit(());
            worst.set(el.value() == "worst");
        })
    };
    let on_scenario = {
        let (scenario, reset) = (scenario.clone(), clock.reset.clone());
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let v = el.value();
            reset.emit(());
            scenario.set((!v.is_empty()).then_some(v));
        })
    };
    let on_compare = {
        let comparing = comparing.clone();
        Callback::from(move |_| comparing.set(!*comparing))
    };
    let passed: Vec<&Moment> = moments.iter().take(clock.cursor).collect();
    // The engine's status at the playhead's second (a scenario has its own sequence).
    let second = clock.now.floor() as i64;
    let status = match chosen {
        Some(s) => shown_at(&s.status, second),
        None => l.status_at(second),
    };
    let end = moments.iter().map(|m| m.at).fold(0.0, f64::max);
    html! {
        <section class="panel" aria-labelledby="lifecycle-h">
            <h2 id="lifecycle-h">{"Lifecycle"}</h2>
            { controls(&clock, end, chosen.is_none().then_some((*worst, on_case))) }
            <div class="scenarios">
                <label class="field">
                    <span>{"What if…"}</span>
                    <select data-testid="lifecycle-scenario" onchange={on_scenario}>
                        <option value="" selected={scenario.is_none()}>{"normal start and deletion"}</option>
                        { for l.scenarios.iter().map(|s| html! {
                            <option value={s.id.clone()} selected={scenario.as_deref() == Some(s.id.as_str())}>{ &s.title }</option>
                        }) }
                    </select>
                </label>
                if l.compare.is_some() {
                    <button class="tab" data-testid="lifecycle-compare" aria-pressed={comparing.to_string()} onclick={on_compare}>{"Compare classic and native"}</button>
                }
            </div>
            <div data-testid="lifecycle" class="lifecycle">
                { chart(&lanes, &moments, clock.now, &format!("Timeline of {}", w.name), w.live.as_ref().and_then(|l| l.blocked_by.as_deref())) }
                { pod_status_line(&w.name, status) }
                if let Some(s) = chosen { { status_sequence(&s.status, clock.now) } }
                <ol class="event-log" aria-live="polite" aria-label="What happened">
                    { for passed.iter().rev().take(6).map(|m| html! {
                        <li><span class="at">{ format!("{:.0} s", m.at) }</span>{ &m.text }</li>
                    }) }
                </ol>
                { stages(l, chosen, &passed) }
            </div>
            if *comparing {
                if let Some((classic, native)) = &l.compare {
                    <div class="compare" data-testid="lifecycle-comparison">
                        { variant(classic) }
                        { variant(native) }
                    </div>
                }
            }
        </section>
    }
}

/// Play, step, reset, speed, best or worst case (`case`, for the normal timeline only), and
/// the scrubber. Space plays or pauses, the right arrow steps, Home resets, when they have focus.
fn controls(clock: &Playback, end: f64, case: Option<(bool, Callback<Event>)>) -> Html {
    let onkeydown = {
        let (play, pause, step, reset, playing) = (
            clock.play.clone(),
            clock.pause.clone(),
            clock.step.clone(),
            clock.reset.clone(),
            clock.playing,
        );
        Callback::from(move |e: KeyboardEvent| {
            let target: web_sys::Element = e.target_unchecked_into();
            if matches!(target.tag_name().as_str(), "SELECT" | "INPUT" | "BUTTON") {
                return;
            }
            let action = match e.key().as_str() {
                " " if playing => &pause,
                " " => &play,
                "ArrowRight" => &step,
                "Home" => &reset,
                _ => return,
            };
            e.prevent_default();
            action.emit(());
        })
    };
    let scrub = clock.scrub.reform(|e: InputEvent| {
        let el: web_sys::HtmlInputElement = e.target_unchecked_into();
        el.value().parse().unwrap_or(0.0)
    });
    let on_speed = clock.set_speed.reform(|e: Event| {
        let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
        el.value().parse().unwrap_or(1.0)
    });
    html! {
        <div class="controls" role="group" aria-label="Lifecycle animation" tabindex="0" {onkeydown}>
            if clock.playing {
                <button data-testid="lifecycle-pause" onclick={clock.pause.reform(|_| ())}>{"Pause"}</button>
            } else {
                <button data-testid="lifecycle-play" onclick={clock.play.reform(|_| ())}>{"Play"}</button>
            }
            <button data-testid="lifecycle-step" onclick={clock.step.reform(|_| ())} title="Next event (→)">{"Step"}</button>
            <button data-testid="lifecycle-reset" onclick={clock.reset.reform(|_| ())} title="Back to the start (Home)">{"Reset"}</button>
            <label class="field"><span>{"speed"}</span>
                <select data-testid="lifecycle-speed" onchange={on_speed} aria-label="Animation speed">
                    { for [0.5, 1.0, 2.0, 4.0].iter().map(|s| html! { <option value={s.to_string()} selected={(clock.speed - s).abs() < 1e-9}>{ format!("{s}×") }</option> }) }
                </select>
            </label>
            if let Some((worst, on_case)) = case {
                <label class="field"><span>{"timing"}</span>
                    <select data-testid="lifecycle-case" onchange={on_case} aria-label="Best or worst case">
                        <option value="best" selected={!worst}>{"best case"}</option>
                        <option value="worst" selected={worst}>{"worst case"}</option>
                    </select>
                </label>
            }
            <input data-testid="lifecycle-scrub" type="range" min="0" max={format!("{end}")} step="0.1" value={format!("{:.1}", clock.now)} oninput={scrub} aria-label="Time in seconds" />
            <span class="clock" data-testid="lifecycle-clock">{ format!("{:.1} s", clock.now) }</span>
        </div>
    }
}

/// The start and stop stages, the ones the playhead has reached marked (on the normal
/// timeline; a scenario has its own order).
fn stages(l: &Stages, chosen: Option<&Scenario>, passed: &[&Moment]) -> Html {
    let current = passed
        .iter()
        .filter(|m| m.container.is_some())
        .map(|m| m.stage)
        .max();
    let stage = |index: usize, names: &Vec<String>, phase: &'static str| {
        let reached = chosen.is_none()
            && passed
                .iter()
                .any(|m| m.stage == index && m.container.is_some());
        html! {
            <li class={classes!("stage", reached.then_some("done"), (chosen.is_none() && current == Some(index)).then_some("now"))}
                data-testid="lifecycle-stage" data-stage={index.to_string()} data-phase={phase}
                data-containers={names.join(",")}>
                <span class="stage-n">{ index + 1 }</span>
                { for names.iter().map(|n| html! { <span class="chip">{ n }</span> }) }
            </li>
        }
    };
    let after_start = l.startup.len();
    html! {
        <>
            if let Some(s) = chosen {
                <p class="outcome" data-testid="scenario-outcome">{ &s.outcome }</p>
            }
            <h3>{"Start"}</h3>
            <ol class="stages">{ for l.startup.iter().enumerate().map(|(i, s)| stage(i, s, "startup")) }</ol>
            <h3>{ format!("Stop (grace period {} s)", l.timeline.termination_grace_period_seconds) }</h3>
            <ol class="stages">{ for l.shutdown.iter().enumerate().map(|(i, s)| stage(after_start + i, s, "shutdown")) }</ol>
            <ul class="notes">{ for l.timeline.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
        </>
    }
}

/// One side of the classic-and-native comparison.
fn variant(v: &Variant) -> Html {
    let m = life(&v.timeline, v.startup.len(), false);
    html! {
        <div class="variant">
            <h4>{ &v.label }</h4>
            { chart(&v.lanes, &m, f64::MAX, &v.label, None) }
            <p class="quiet">{ format!("Start: {}", v.startup.iter().map(|s| s.join(" + ")).collect::<Vec<_>>().join(" → ")) }</p>
            <p class="quiet">{ format!("Stop: {}", v.shutdown.iter().map(|s| s.join(" + ")).collect::<Vec<_>>().join(" → ")) }</p>
            <ul class="notes">{ for v.timeline.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_labels_are_cut_between_characters() {
        // Cut at byte 19 these panicked: the byte falls inside a character.
        for name in [
            "приложение-основное-длинное",
            "应用程序容器名称很长的一个名字啊还要更长一些",
        ] {
            let label = lane_label(name);
            assert_eq!(label.chars().count(), 20, "{label}");
            assert!(label.ends_with('…'));
        }
        assert_eq!(lane_label("app"), "app");
    }

    #[test]
    fn a_timeline_of_any_length_has_at_most_a_dozen_ticks() {
        for total in [3.0, 40.0, 1_500.0, 1e6, 9.2e18] {
            let ticks = total / tick_step(total);
            assert!(ticks <= 12.0, "{total}: {ticks}");
        }
        // Short timelines keep their steps.
        assert_eq!(tick_step(40.0), 5.0);
        assert_eq!(tick_step(700.0), 60.0);
    }
}

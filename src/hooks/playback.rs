//! The lifecycle animation's clock: play, pause, step from event to event, reset and scrub
//! along a list of event times. With reduced motion, play jumps from event to event.

use gloo_timers::callback::Interval;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

const TICK_MS: u32 = 40;
/// With reduced motion: one event per step, slow enough to read.
const STEP_MS: u32 = 800;

/// Where the animation is, and what moves it.
pub struct Playback {
    /// Seconds on the time axis.
    pub now: f64,
    /// How many events have happened: several can share a second, and Step takes them one by one.
    pub cursor: usize,
    pub playing: bool,
    pub speed: f64,
    pub play: Callback<()>,
    pub pause: Callback<()>,
    pub step: Callback<()>,
    pub reset: Callback<()>,
    pub scrub: Callback<f64>,
    pub set_speed: Callback<f64>,
}

/// A clock over `times` (the events' seconds, in order).
#[hook]
pub fn use_playback(times: Rc<Vec<f64>>) -> Playback {
    let now = use_state(|| 0.0f64);
    let cursor = use_state(|| 0usize);
    let playing = use_state(|| None::<Rc<Interval>>);
    let speed = use_state(|| 1.0f64);
    let end = times.iter().copied().fold(0.0, f64::max);
    let passed = |times: &[f64], t: f64| times.iter().filter(|x| **x <= t + 1e-9).count();

    let stop = {
        let playing = playing.clone();
        move || playing.set(None)
    };
    let play = {
        let (now, cursor, playing, speed, times) = (
            now.clone(),
            cursor.clone(),
            playing.clone(),
            *speed,
            times.clone(),
        );
        Callback::from(move |_: ()| {
            let t = Rc::new(Cell::new(if *now >= end { 0.0 } else { *now }));
            let (now, cursor, stopper, times) =
                (now.clone(), cursor.clone(), playing.clone(), times.clone());
            let stepwise = reduced_motion();
            let interval = Interval::new(if stepwise { STEP_MS } else { TICK_MS }, move || {
                let next = if stepwise {
                    times
                        .iter()
                        .copied()
                        .find(|x| *x > t.get() + 1e-9)
                        .unwrap_or(end)
                } else {
                    (t.get() + speed * TICK_MS as f64 / 1000.0).min(end)
                };
                t.set(next);
                now.set(next);
                cursor.set(passed(&times, next));
                if next >= end {
                    stopper.set(None);
                }
            });
            playing.set(Some(Rc::new(interval)));
        })
    };
    let pause = {
        let stop = stop.clone();
        Callback::from(move |_: ()| stop())
    };
    let step = {
        let (now, cursor, times, stop) = (now.clone(), cursor.clone(), times.clone(), stop.clone());
        Callback::from(move |_: ()| {
            stop();
            // One more event (several can share a second); after the last, back to the start.
            let next = if *cursor >= times.len() {
                0
            } else {
                *cursor + 1
            };
            cursor.set(next);
            now.set(
                next.checked_sub(1)
                    .and_then(|i| times.get(i))
                    .copied()
                    .unwrap_or(0.0),
            );
        })
    };
    let reset = {
        let (now, cursor, stop) = (now.clone(), cursor.clone(), stop.clone());
        Callback::from(move |_: ()| {
            stop();
            now.set(0.0);
            cursor.set(0);
        })
    };
    let scrub = {
        let (now, cursor, times) = (now.clone(), cursor.clone(), times.clone());
        Callback::from(move |t: f64| {
            stop();
            now.set(t);
            cursor.set(passed(&times, t));
        })
    };
    let set_speed = {
        let speed = speed.clone();
        Callback::from(move |s: f64| speed.set(s))
    };
    Playback {
        now: *now,
        cursor: *cursor,
        playing: playing.is_some(),
        speed: *speed,
        play,
        pause,
        step,
        reset,
        scrub,
        set_speed,
    }
}

fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

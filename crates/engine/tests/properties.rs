//! Properties of the resource math that must hold for any pod (proptest).

use podlab_engine::quantity::Quantity;
use podlab_engine::resources::{
    aggregate, pod_requests, ContainerResources, Field, List, PodResources,
};
use proptest::prelude::*;

fn res(milli_cpu: u32, mib: u32) -> List {
    let mut l = List::new();
    l.insert(
        "cpu".into(),
        Quantity::parse(&format!("{milli_cpu}m")).unwrap(),
    );
    l.insert(
        "memory".into(),
        Quantity::parse(&format!("{mib}Mi")).unwrap(),
    );
    l
}

fn container(init: bool, restartable: bool, (cpu, mem): (u32, u32)) -> ContainerResources {
    ContainerResources {
        name: "c".into(),
        init,
        restartable,
        requests: res(cpu, mem),
        limits: List::new(),
    }
}

prop_compose! {
    fn pods()(
        init in prop::collection::vec((any::<bool>(), (0u32..4000, 0u32..4096)), 0..6),
        main in prop::collection::vec((0u32..4000, 0u32..4096), 1..5),
    ) -> PodResources {
        PodResources {
            init_containers: init.into_iter().map(|(sidecar, r)| container(true, sidecar, r)).collect(),
            containers: main.into_iter().map(|r| container(false, false, r)).collect(),
            ..Default::default()
        }
    }
}

proptest! {
    #[test]
    fn effective_requests_are_never_below_any_phase(pod in pods()) {
        let agg = aggregate(&pod, Field::Requests);
        let total = pod_requests(&pod);
        for (k, v) in &agg.running {
            prop_assert!(total[k] >= *v, "{k}: {} below the running phase {}", total[k], v);
        }
        for (_, _, phase) in &agg.init_uses {
            for (k, v) in phase {
                prop_assert!(total[k] >= *v);
            }
        }
    }

    #[test]
    fn adding_a_sidecar_never_lowers_the_requests(pod in pods(), at in 0usize..6, r in (0u32..2000, 0u32..2048)) {
        let before = pod_requests(&pod);
        let mut with = pod.clone();
        let at = at.min(with.init_containers.len());
        with.init_containers.insert(at, container(true, true, r));
        let after = pod_requests(&with);
        for (k, v) in &before {
            prop_assert!(after[k] >= *v, "{k}: {} fell to {}", v, after[k]);
        }
    }

    #[test]
    fn effective_requests_are_at_most_the_sum_of_every_container(pod in pods()) {
        let total = pod_requests(&pod);
        let mut sum = List::new();
        for c in pod.init_containers.iter().chain(pod.containers.iter()) {
            for (k, v) in &c.requests {
                let cur = sum.get(k).copied().unwrap_or(Quantity::ZERO);
                sum.insert(k.clone(), cur.add(v));
            }
        }
        for (k, v) in &total {
            prop_assert!(*v <= sum[k]);
        }
    }

    #[test]
    fn with_only_sidecars_the_requests_are_the_plain_sum(main in prop::collection::vec((0u32..4000, 0u32..4096), 1..4), sidecars in prop::collection::vec((0u32..4000, 0u32..4096), 0..4)) {
        let pod = PodResources {
            init_containers: sidecars.iter().map(|r| container(true, true, *r)).collect(),
            containers: main.iter().map(|r| container(false, false, *r)).collect(),
            ..Default::default()
        };
        let cpu: u64 = main.iter().chain(sidecars.iter()).map(|(c, _)| *c as u64).sum();
        prop_assert_eq!(pod_requests(&pod)["cpu"].milli_value(), cpu as i128);
    }

    #[test]
    fn quantities_parse_to_their_canonical_form_and_back(n in 0i64..10_000_000_000, suffix in prop::sample::select(vec!["", "m", "k", "M", "G", "Ki", "Mi", "Gi", "n", "u"])) {
        let q = Quantity::parse(&format!("{n}{suffix}")).unwrap();
        let again = Quantity::parse(&q.canonical()).unwrap();
        prop_assert_eq!(q, again);
        prop_assert_eq!(q.canonical(), again.canonical());
    }

    #[test]
    fn the_quantity_parser_never_panics(s in "\\PC{0,24}") {
        let _ = Quantity::parse(&s);
    }
}

//! Hostile input gets an error with a position, never a panic, a hang or unbounded memory.

use podlab_engine::{analyze_text, Options};

fn analyse(text: &str) -> podlab_engine::Analysis {
    analyze_text("hostile.yaml", text, &Options::default())
}

fn pod_with(containers: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n{containers}")
}

#[test]
fn an_alias_bomb_is_refused() {
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..15 {
        let p = i - 1;
        text.push_str(&format!("  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    let a = analyse(&text);
    assert_eq!(a.errors.len(), 1);
    assert!(
        a.errors[0].message.contains("alias bomb"),
        "{}",
        a.errors[0].message
    );
}

#[test]
fn deep_nesting_is_refused() {
    for text in [
        "[".repeat(200_000),
        "a:\n".to_string()
            + " b:\n"
            + &(0..5000)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i + 2)))
                .collect::<String>(),
    ] {
        let a = analyse(&text);
        assert_eq!(a.errors.len(), 1, "{:?}", a.errors.first());
        assert!(a.errors[0].line >= 1 && a.errors[0].column >= 1);
    }
}

#[test]
fn nul_bytes_are_named() {
    let a = analyse("apiVersion: v1\nkind: Pod\x00\n");
    assert_eq!(a.errors[0].line, 2);
    assert!(a.errors[0].message.contains("NUL"));
}

#[test]
fn absurd_numbers_get_messages() {
    let a = analyse(&pod_with(
        "  - name: a\n    image: x:1\n    resources: {requests: {cpu: 1e100}}\n",
    ));
    // Past what podlab computes exactly (10^29): a finding on that value; the pod is still read.
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    let d = &a.workloads[0].diagnostics[0];
    assert_eq!(d.rule, "invalid-quantity");
    assert!(d.message.contains("too large"), "{}", d.message);
    let a = analyse(&pod_with(
        "  - name: a\n    image: x:1\n    ports: [{containerPort: 99999999999999}]\n",
    ));
    // A number too large for its field costs only that value.
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    let d = &a.workloads[0].diagnostics;
    let bad = d.iter().find(|d| d.rule == "invalid-value").unwrap();
    assert!(
        bad.message
            .starts_with("spec.containers[0].ports[0].containerPort"),
        "{}",
        bad.message
    );
    let a = analyse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 2147483647\n  selector: {}\n  template:\n    spec:\n      containers: [{name: a, image: \"x:1\", resources: {requests: {memory: 8Ei}}}]\n");
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    // the total saturates instead of wrapping
    let total = &a.workloads[0].resources.total_requests.as_ref().unwrap()["memory"];
    assert!(total.milli > 0);
}

#[test]
fn thousands_of_documents_are_read() {
    let doc = pod_with("  - {name: a, image: \"x:1\"}\n");
    let text = (0..3000)
        .map(|_| doc.clone())
        .collect::<Vec<_>>()
        .join("---\n");
    let a = analyse(&text);
    assert!(a.errors.is_empty());
    assert_eq!(a.workloads.len(), 3000);
    assert_eq!(a.workloads[2999].document, 2999);
}

#[test]
fn too_many_documents_are_refused_after_the_limit() {
    let text = "---\na: 1\n".repeat(podlab_engine::yaml::MAX_DOCUMENTS + 10);
    let a = analyse(&text);
    assert!(a.errors.iter().any(|e| e.message.contains("documents")));
}

#[test]
fn a_50_megabyte_input_is_analysed_or_refused_cleanly() {
    let big_value = "x".repeat(1024);
    let mut text = pod_with("  - name: a\n    image: x:1\n    env:\n");
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&format!("    - {{name: V, value: \"{big_value}\"}}\n"));
    }
    let a = analyse(&text);
    assert_eq!(a.workloads.len() + a.errors.len(), 1);
}

#[test]
fn scalars_where_mappings_belong_are_located() {
    let a = analyse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: 5\n");
    assert_eq!(a.errors[0].line, 5);
    assert!(
        a.errors[0].message.starts_with("spec.containers: "),
        "{}",
        a.errors[0].message
    );
    let a = analyse("just a string\n");
    assert!(a.errors[0].message.contains("not a Kubernetes object"));
}

#[test]
fn an_empty_container_list_is_refused_not_a_panic() {
    for spec in [
        "  containers: []\n",
        "  initContainers: [{name: a, image: \"x:1\"}]\n",
        "  containers:\n",
    ] {
        let a = analyse(&format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{spec}"
        ));
        assert_eq!(a.errors.len(), 1, "{spec}: {:?}", a.errors);
        assert!(
            a.errors[0].message.contains("at least one container"),
            "{spec}: {}",
            a.errors[0].message
        );
        assert!(a.workloads.is_empty());
    }
}

#[test]
fn five_hundred_containers_are_analysed() {
    let containers: String = (0..500)
        .map(|i| {
            format!("  - {{name: c{i}, image: \"x:1\", resources: {{requests: {{cpu: 1m}}}}}}\n")
        })
        .collect();
    let a = analyse(&pod_with(&containers));
    assert!(a.errors.is_empty());
    assert_eq!(a.workloads[0].containers.len(), 500);
    assert_eq!(a.workloads[0].resources.requests["cpu"].quantity, "500m");
}

/// Every corpus manifest, cut short at many points and with characters swapped for YAML's own
/// punctuation, must give a result or a located error and never panic.
#[test]
fn mutated_corpus_manifests_never_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/files");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut runs = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let bytes = text.as_bytes();
        let step = (bytes.len() / 40).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            if let Ok(prefix) = std::str::from_utf8(&bytes[..cut]) {
                let a = analyse(prefix);
                for e in &a.errors {
                    assert!(e.line >= 1 && e.column >= 1);
                }
                runs += 1;
            }
        }
        for _ in 0..40 {
            let mut mutated = bytes.to_vec();
            for _ in 0..3 {
                let i = (next() as usize) % mutated.len();
                if mutated[i].is_ascii() {
                    let alphabet = b":-[]{}&*!|>'\"#%@ \n\t0";
                    mutated[i] = alphabet[(next() as usize) % alphabet.len()];
                }
            }
            if let Ok(s) = String::from_utf8(mutated) {
                let _ = analyse(&s);
                runs += 1;
            }
        }
    }
    assert!(runs > 4000, "{runs}");
}

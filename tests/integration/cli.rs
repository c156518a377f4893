use std::process::Command;

use dynamodel::cli;

pub fn run(args: &[&str]) -> (u8, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::run(&args, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn asset(id: &str) -> String {
    crate::root()
        .join(format!("assets/models/{id}.dynamodel.json"))
        .display()
        .to_string()
}

#[test]
fn check_passes_the_redesign() {
    let (code, out, _) = run(&["check", &asset("ecommerce")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Errors (0)"), "{out}");
    assert!(out.contains("AP38"), "the resolution is printed: {out}");
    assert!(out.contains("begins_with(SK, :sk)"), "{out}");
}

#[test]
fn check_fails_the_first_draft_with_exit_code_1() {
    let (code, out, _) = run(&["check", &asset("ecommerce-initial")]);
    assert_eq!(code, 1);
    assert!(out.contains("conventions.entity-prefix"), "{out}");
}

#[test]
fn unreadable_files_exit_2_with_the_name() {
    let (code, _, err) = run(&["check", "/nope/missing.dynamodel.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nope/missing.dynamodel.json"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.dynamodel.json");
    std::fs::write(&bad, "{\"format_version\": 1,").unwrap();
    let (code, _, err) = run(&["check", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.dynamodel.json:1:"), "{err}");
}

#[test]
fn json_output_is_stable_and_machine_readable() {
    let (code, out, _) = run(&["check", &asset("ecommerce-initial"), "--format", "json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        for field in ["rule", "severity", "location", "message", "hint"] {
            assert!(!f[field].is_null(), "{field} missing in {f}");
        }
    }
    assert_eq!(doc["resolutions"].as_array().unwrap().len(), 48);
    let (_, again, _) = run(&["check", &asset("ecommerce-initial"), "--format=json"]);
    assert_eq!(out, again);
}

#[test]
fn bad_usage_exits_2() {
    let (code, _, err) = run(&["check", "--format", "yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("yaml"));
}

#[test]
fn the_binary_checks_the_bundled_model_by_default() {
    let out = Command::new(env!("CARGO_BIN_EXE_dynamodel"))
        .arg("check")
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.starts_with("assets/models/ecommerce.dynamodel.json"),
        "{stdout}"
    );
}

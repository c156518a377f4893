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
fn bad_usage_exits_2_and_names_the_option() {
    let (code, out, err) = run(&["check", "--format", "yaml"]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.contains("invalid value 'yaml' for '--format <FORMAT>'"),
        "{err}"
    );
    assert!(err.contains("[possible values: text, json]"), "{err}");
    let (code, _, err) = run(&["diff", "a.json", "b.json", "--bogus"]);
    assert_eq!(code, 2);
    assert!(err.contains("unexpected argument '--bogus'"), "{err}");
}

const SUBCOMMANDS: [&str; 7] = [
    "check",
    "export",
    "import",
    "fix",
    "diff",
    "deploy",
    "completions",
];

#[test]
fn every_subcommand_has_help_on_stdout() {
    for sub in SUBCOMMANDS {
        for args in [[sub, "--help"], [sub, "-h"], ["help", sub]] {
            let (code, out, err) = run(&args);
            assert_eq!(code, 0, "{args:?}: {err}");
            assert_eq!(err, "", "{args:?}");
            assert!(
                out.contains(&format!("Usage: dynamodel {sub} ")),
                "{args:?}: {out}"
            );
        }
    }
    let (code, out, _) = run(&["deploy", "--help"]);
    assert_eq!(code, 0);
    for option in ["--endpoint <URL>", "--allow-remote", "--seed <N>", "--plan"] {
        assert!(out.contains(option), "{option}: {out}");
    }
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    for sub in SUBCOMMANDS {
        assert!(out.contains(&format!("\n  {sub} ")), "{sub}: {out}");
    }
}

#[test]
fn the_version_is_the_crates() {
    for flag in ["--version", "-V"] {
        let (code, out, err) = run(&[flag]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out, format!("dynamodel {}\n", env!("CARGO_PKG_VERSION")));
    }
}

#[test]
fn a_mistyped_subcommand_is_not_a_file_and_gets_a_suggestion() {
    let (code, out, err) = run(&["chekc", "model.json"]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("unrecognized subcommand 'chekc'"), "{err}");
    assert!(
        err.contains("a similar subcommand exists: 'check'"),
        "{err}"
    );
    // The binary decides between the window and a subcommand: no window here.
    let output = Command::new(env!("CARGO_BIN_EXE_dynamodel"))
        .args(["deploi", "model.json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("a similar subcommand exists: 'deploy'"),
        "{stderr}"
    );
}

#[test]
fn a_model_file_without_a_subcommand_is_checked() {
    let (code, out, _) = run(&[&asset("ecommerce-initial")]);
    assert_eq!(code, 1);
    assert!(out.contains("conventions.entity-prefix"), "{out}");
}

#[test]
fn completions_are_generated_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _dynamodel"),
        ("zsh", "#compdef dynamodel"),
        ("fish", "complete -c dynamodel"),
    ] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell}: {out}");
        for word in ["deploy", "completions", "allow-remote", "nosql-workbench"] {
            assert!(out.contains(word), "{shell} completes {word}");
        }
    }
    let (code, _, err) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
}

/// An endpoint on this machine where nothing listens.
fn endpoint_nobody_answers() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn a_deploy_error_is_printed_once() {
    let endpoint = endpoint_nobody_answers();
    let model = asset("ecommerce");
    let args = ["deploy", model.as_str(), "--endpoint", endpoint.as_str()];
    let (code, out, err) = run(&args);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.matches("Could not reach DynamoDB").count(), 1, "{err}");
    assert!(
        out.contains("Error: Could not reach DynamoDB"),
        "the report: {out}"
    );
    // The binary, whose stderr is a pipe here: plain lines, no progress bar.
    let output = Command::new(env!("CARGO_BIN_EXE_dynamodel"))
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr, err);
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

/// A NoSQL Workbench file whose embedded dynamodel model is of a newer format is
/// refused naming that field of the source, not the output the import would
/// have written; nothing is written.
#[test]
fn an_embedded_model_of_a_newer_format_is_refused_by_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let exported = dir.path().join("shop.json");
    let (code, _, err) = run(&[
        "export",
        &asset("ecommerce"),
        "--to",
        "nosql-workbench",
        "-o",
        exported.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let mut file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    file["dynamodel"]["model"]["format_version"] = serde_json::json!(99);
    std::fs::write(&exported, file.to_string()).unwrap();
    let out = dir.path().join("out.dynamodel.json");
    let (code, _, err) = run(&[
        "import",
        exported.to_str().unwrap(),
        "--from",
        "nosql-workbench",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("shop.json") && err.contains("dynamodel.model.format_version"),
        "{err}"
    );
    assert!(
        err.contains("99 is newer than this dynamodel understands"),
        "{err}"
    );
    assert!(!err.contains("out.dynamodel.json"), "{err}");
    assert!(!out.exists());
}

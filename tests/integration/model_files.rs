use std::fs;
use std::path::Path;

use dynamodel::model::{self, LoadError, Model};

fn load_text(text: &str) -> Result<Model, LoadError> {
    model::load_str(text, Path::new("shop.dynamodel.json"))
}

#[test]
fn broken_json_names_file_line_and_column() {
    let err = load_text("{\n  \"format_version\": 1,\n  \"name\": \"x\"\n  \"tables\": []\n}")
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("shop.dynamodel.json:4:"), "{msg}");
    assert!(matches!(err, LoadError::Syntax { line: 4, .. }));
}

#[test]
fn wrong_types_name_the_field_path() {
    let text = r#"{"format_version": 1, "name": "x", "tables": [
        {"name": "T", "partition_key": {"name": "PK", "type": "X"}}]}"#;
    let err = load_text(text).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("tables[0].partition_key.type"), "{msg}");
    assert!(msg.starts_with("shop.dynamodel.json:2:"), "{msg}");
}

#[test]
fn missing_fields_are_named() {
    let text = r#"{"format_version": 1, "name": "x", "access_patterns": [{"id": "AP1"}]}"#;
    let msg = load_text(text).unwrap_err().to_string();
    assert!(msg.contains("access_patterns[0]"), "{msg}");
    assert!(msg.contains("description"), "{msg}");
}

#[test]
fn future_versions_are_refused_clearly() {
    let err = load_text(r#"{"format_version": 7, "name": "x"}"#).unwrap_err();
    assert!(matches!(
        err,
        LoadError::UnsupportedVersion { found: 7, .. }
    ));
    assert!(err.to_string().contains("newer than this dynamodel"));
    let err = load_text(r#"{"name": "x"}"#).unwrap_err();
    assert!(matches!(err, LoadError::MissingVersion { .. }));
}

#[test]
fn unreadable_files_are_named() {
    let err = model::load(Path::new("/nonexistent/dir/m.dynamodel.json")).unwrap_err();
    assert!(
        err.to_string()
            .contains("/nonexistent/dir/m.dynamodel.json")
    );
}

#[test]
fn save_is_atomic_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.dynamodel.json");
    let mut m = Model::new("First");
    model::save(&m, &path).unwrap();
    m.name = "Second".into();
    model::save(&m, &path).unwrap();
    assert_eq!(model::load(&path).unwrap().name, "Second");
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["m.dynamodel.json"]);
}

#[test]
fn a_failed_save_names_the_path_and_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dir").join("m.dynamodel.json");
    let err = model::save(&Model::new("x"), &missing).unwrap_err();
    assert!(err.to_string().contains("no-such-dir"), "{err}");
}

/// Past a stated bound, a model file is refused with the field that is past it,
/// by the loader and by `check` (exit 2), before any work is done on it.
#[test]
fn a_model_past_a_bound_is_refused_naming_the_field() {
    let mut value: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(crate::root().join("assets/models/ecommerce.dynamodel.json")).unwrap(),
    )
    .unwrap();
    let gsi = value["tables"][0]["gsis"][0].clone();
    value["tables"][0]["gsis"] = serde_json::Value::Array(vec![gsi; 1001]);
    let err = load_text(&value.to_string()).unwrap_err().to_string();
    assert!(
        err.ends_with("field `tables[0].gsis`: 1001 GSIs, more than the 1000 dynamodel reads"),
        "{err}"
    );
    let dir = std::env::temp_dir().join(format!("dynamodel-bounds-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let file = dir.join("huge.dynamodel.json");
    fs::write(&file, value.to_string()).unwrap();
    let (code, _, err) = crate::cli::run(&["check", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("huge.dynamodel.json") && err.contains("tables[0].gsis"),
        "{err}"
    );
    fs::remove_dir_all(&dir).unwrap();
}

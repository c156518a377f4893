//! From a MySQL schema to a migration contract in the workbench: File ▸ Import ▸
//! MySQL schema…, each attribute's source edited in the entity editor, the
//! suggested patterns confirmed, File ▸ Export ▸ Migration contract….

use dynamodel::export::ImportFormat;
use dynamodel::model::{Model, Source};
use dynamodel::ui::{Command, Selection, Workbench};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use super::{open, retype, run, select, shows};

/// File ▸ Import ▸ MySQL schema…, through the menus, with the workshop's schema.
fn import_workshop_schema(harness: &mut Harness<'_, Workbench>) {
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Import").click();
    harness.run();
    harness.get_by_label("MySQL schema…").click();
    harness.run();
    assert_eq!(
        harness.state().dialog_title().as_deref(),
        Some("Import MySQL schema (schema.sql)")
    );
    let schema = crate::shared().join("workshop/schema.sql");
    retype(harness, "Import file path", schema.to_str().unwrap());
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Import")
        .click();
    harness.run();
    let title = harness.state().dialog_title().unwrap_or_default();
    assert!(title.starts_with("Imported"), "the import notes: {title}");
    harness.get_by_label("OK").click();
    harness.run();
}

fn model<'a>(harness: &'a Harness<'_, Workbench>) -> &'a Model {
    harness.state().document().model()
}

/// The text the field labelled `label` shows.
fn field_value(harness: &Harness<'_, Workbench>, label: &str) -> String {
    let node = harness.get_by_label(label);
    node.accesskit_node()
        .value()
        .unwrap_or_default()
        .to_string()
}

fn source_of(harness: &Harness<'_, Workbench>, entity: &str, attribute: &str) -> Option<Source> {
    let entity = model(harness).entity(entity).unwrap();
    entity.attribute(attribute).unwrap().source.clone()
}

#[test]
fn the_workshop_schema_imports_with_its_sources_and_suggested_patterns() {
    let mut harness = open("ecommerce");
    import_workshop_schema(&mut harness);
    let m = model(&harness);
    assert_eq!(m.entities.len(), 6, "one entity per table of schema.sql");
    let suggested = m.access_patterns.iter().filter(|p| p.suggested).count();
    assert!(suggested > 0, "the schema's patterns come suggested");
    assert!(
        harness.query_all_by_label("suggested").count() > 0,
        "the model tree marks suggested patterns"
    );

    select(&mut harness, |m| Selection::entity(m, "users"));
    harness.run();
    // Each attribute's source in short, and the key's source under its template.
    assert_eq!(
        field_value(&harness, "Attribute email source"),
        "users.email"
    );
    assert!(shows(&harness, "from users.id"));
    let not_null = harness.get_by_label("Attribute email NOT NULL");
    assert_eq!(
        not_null.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True),
        "email is NOT NULL in schema.sql"
    );
}

#[test]
fn sources_are_edited_in_the_entity_editor_and_undone() {
    let mut harness = open("ecommerce");
    import_workshop_schema(&mut harness);
    select(&mut harness, |m| Selection::entity(m, "users"));
    harness.run();
    let before = model(&harness).clone();

    retype(
        &mut harness,
        "Attribute email source format",
        "EMAIL#{email}",
    );
    let source = source_of(&harness, "users", "email").unwrap();
    let t = source.transformation.clone().expect("a transformation");
    assert_eq!(
        (t.kind.as_str(), t.format.as_deref()),
        ("string-format", Some("EMAIL#{email}"))
    );
    assert_eq!(
        field_value(&harness, "Attribute email source format"),
        "EMAIL#{email}"
    );

    retype(&mut harness, "Attribute email source", "accounts.mail");
    let source = source_of(&harness, "users", "email").unwrap();
    assert_eq!(
        (source.table.as_str(), source.column.as_str()),
        ("accounts", "mail")
    );
    assert!(source.transformation.is_some(), "the format stays");

    retype(&mut harness, "Source table", "customers");
    assert_eq!(
        model(&harness).entity("users").unwrap().source_table,
        "customers"
    );

    let unique = model(&harness)
        .entity("users")
        .unwrap()
        .attribute("email")
        .unwrap()
        .unique;
    harness.get_by_label("Attribute email UNIQUE").click();
    harness.run();
    let entity = model(&harness).entity("users").unwrap();
    assert_eq!(entity.attribute("email").unwrap().unique, !unique);

    // Four edits (typing in one field is one step), each undone in turn.
    for _ in 0..4 {
        run(&mut harness, Command::Undo);
    }
    assert_eq!(model(&harness), &before, "every change was an edit");
}

#[test]
fn a_suggested_pattern_is_confirmed_in_its_editor() {
    let mut harness = open("ecommerce");
    import_workshop_schema(&mut harness);
    let id = model(&harness)
        .access_patterns
        .iter()
        .find(|p| p.suggested)
        .unwrap()
        .id
        .clone();
    select(&mut harness, |m| Selection::pattern(m, &id));
    harness.run();
    let marks = harness.query_all_by_label("suggested").count();
    harness.get_by_label("Confirm").click();
    harness.run();
    let pattern = |h: &Harness<'_, Workbench>| {
        model(h)
            .access_patterns
            .iter()
            .find(|p| p.id == id)
            .unwrap()
            .suggested
    };
    assert!(!pattern(&harness), "confirmed");
    assert!(harness.query_by_label("Confirm").is_none());
    assert_eq!(
        harness.query_all_by_label("suggested").count(),
        marks - 2,
        "neither the editor nor the tree marks it any more"
    );
    run(&mut harness, Command::Undo);
    assert!(pattern(&harness), "suggested again after undo");
}

#[test]
fn a_migration_contract_is_exported_from_the_file_menu() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("migrationContract.json");
    let mut harness = open("ecommerce");
    import_workshop_schema(&mut harness);
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Export").click();
    harness.run();
    harness.get_by_label("Migration contract…").click();
    harness.run();
    assert_eq!(
        harness.state().dialog_title().as_deref(),
        Some("Export Migration contract (migrationContract.json)")
    );
    retype(&mut harness, "Export file path", path.to_str().unwrap());
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Export")
        .click();
    harness.run();
    let text = std::fs::read_to_string(&path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).expect("the contract is JSON");
    assert_eq!(json["tables"].as_array().map(Vec::len), Some(6), "{text}");
    assert!(text.contains("\"source_column\": \"email\""), "{text}");
    let back = dynamodel::export::import(&path, ImportFormat::MigrationContract)
        .expect("the contract reads back");
    assert_eq!(back.model.entities.len(), 6);
}

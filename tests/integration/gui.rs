//! The real workbench, driven through its accessibility tree (egui_kittest).

use dynamodel::model::{AccessPattern, Edit, Generator, Model};
use dynamodel::ui::{Command, Selection, StartOptions, Tab, Workbench};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod compare;
mod deploy_plan;
mod sources;

fn open(sample: &'static str) -> Harness<'static, Workbench> {
    open_sized(sample, egui::vec2(1500.0, 950.0))
}

/// The workbench on a bundled sample in a window of `size`.
fn open_sized(sample: &'static str, size: egui::Vec2) -> Harness<'static, Workbench> {
    let mut harness = Harness::builder().with_size(size).build_eframe(move |cc| {
        Workbench::new(
            cc,
            StartOptions {
                sample: Some(sample),
                use_storage: false,
                recovery_dir: None,
                ..StartOptions::default()
            },
        )
    });
    harness.run();
    harness
}

/// Selects the element `pick` names in the open model (selections are by identity).
fn select(harness: &mut Harness<'_, Workbench>, pick: impl FnOnce(&Model) -> Selection) {
    let selection = pick(harness.state().document().model());
    assert_ne!(selection, Selection::None, "the element is in the model");
    harness.state_mut().select(selection);
}

/// The selection `pick` names in the open model, to compare with the app's.
fn named(harness: &Harness<'_, Workbench>, pick: impl FnOnce(&Model) -> Selection) -> Selection {
    let selection = pick(harness.state().document().model());
    assert_ne!(selection, Selection::None, "the element is in the model");
    selection
}

fn findings_with(harness: &mut Harness<'_, Workbench>, rule: &str) -> usize {
    let doc = harness.state_mut().document_mut();
    doc.analysis()
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .count()
}

/// Replaces the text of the field labelled `label` as a user would: focus, select all, type.
fn retype(harness: &mut Harness<'_, Workbench>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

#[test]
fn the_first_draft_shows_the_entity_prefix_finding() {
    let harness = open("ecommerce-initial");
    let labels = harness
        .query_all_by_label_contains("conventions.entity-prefix")
        .count();
    assert!(
        labels > 0,
        "the Checks panel lists the entity-prefix finding"
    );
}

#[test]
fn fixing_the_partition_key_template_clears_the_finding() {
    let mut harness = open("ecommerce-initial");
    select(&mut harness, |m| Selection::entity(m, "User"));
    harness.run();
    let before = findings_with(&mut harness, "conventions.entity-prefix");
    retype(&mut harness, "User PK template", "{user_id}");
    assert_eq!(
        harness
            .state()
            .document()
            .model()
            .entity("User")
            .unwrap()
            .keys["PK"],
        "{user_id}"
    );
    let after = findings_with(&mut harness, "conventions.entity-prefix");
    assert_eq!(after, before - 1, "User's prefix finding is gone");
    assert!(
        harness
            .query_all_by_label_contains("User[PK] = `USER_{user_id}`")
            .next()
            .is_none()
    );
}

#[test]
fn adding_a_gsi_named_by_status_shows_the_naming_finding_and_undo_removes_it() {
    let mut harness = open("ecommerce");
    assert_eq!(findings_with(&mut harness, "conventions.gsi-naming"), 0);
    add_gsi_to_orders(&mut harness);
    assert_eq!(
        harness.state().selection(),
        &named(&harness, |m| Selection::index(m, "Orders", "GSI2"))
    );
    retype(&mut harness, "Index name", "ByStatus");
    assert_eq!(findings_with(&mut harness, "conventions.gsi-naming"), 1);
    assert!(
        harness
            .query_all_by_label_contains("`ByStatus`")
            .next()
            .is_some()
    );
    // Undo the rename (one step for the whole word), then the GSI itself.
    harness.state_mut().document_mut().seal();
    let ctx = harness.ctx.clone();
    harness.state_mut().run_command(&ctx, Command::Undo);
    harness.run();
    assert_eq!(findings_with(&mut harness, "conventions.gsi-naming"), 0);
    assert!(
        harness
            .query_all_by_label_contains("`ByStatus`")
            .next()
            .is_none()
    );
    assert!(
        has_gsi(&harness, "Orders", "GSI2"),
        "one undo takes back the rename only"
    );
}

#[test]
fn the_coverage_matrix_shows_which_index_serves_a_pattern() {
    let mut harness = open("ecommerce");
    select(&mut harness, |m| Selection::pattern(m, "AP38"));
    harness.state_mut().set_tab(Tab::Coverage);
    harness.run();
    harness.get_by_label("Index coverage");
    assert!(
        harness.query_by_label("AP38 serves Users").is_some(),
        "the cart is read from the Users base table"
    );
    assert!(
        harness
            .query_by_label("AP38 not used by Users/GSI1")
            .is_some()
    );
    assert!(
        harness.query_by_label("AP39 updated by Users").is_some(),
        "adding to the cart writes the base table"
    );
    // Choosing another pattern brings its row into view.
    select(&mut harness, |m| Selection::pattern(m, "AP2"));
    harness.run();
    assert!(
        harness.query_by_label("AP2 serves Users/GSI1").is_some(),
        "login by username uses GSI1"
    );
    assert!(harness.query_by_label("AP2 could serve Users").is_none());
    harness.get_by_label("AP3 serves Users/GSI2").click();
    harness.run();
    assert_eq!(
        harness.state().selection(),
        &named(&harness, |m| Selection::pattern(m, "AP3"))
    );
}

#[test]
fn new_after_an_edit_asks_about_unsaved_changes() {
    let mut harness = open("ecommerce");
    add_gsi_to_orders(&mut harness);
    assert!(harness.state().document().is_dirty());
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("New Ctrl+N").click();
    harness.run();
    assert_eq!(
        harness.state().dialog_title().as_deref(),
        Some("Unsaved changes")
    );
    assert!(harness.query_by_label("Discard changes").is_some());
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(harness.state().dialog_title(), None);
    assert!(
        has_gsi(&harness, "Orders", "GSI2"),
        "the model stays as it was"
    );
}

fn open_with(options: StartOptions) -> Harness<'static, Workbench> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .build_eframe(move |cc| Workbench::new(cc, options));
    harness.run();
    harness
}

fn has_gsi(harness: &Harness<'_, Workbench>, table: &str, gsi: &str) -> bool {
    let model = harness.state().document().model();
    model.table(table).is_some_and(|t| t.gsi(gsi).is_some())
}

/// Selects the Orders table and clicks its "Add GSI" button in the editor.
fn add_gsi_to_orders(harness: &mut Harness<'_, Workbench>) {
    select(harness, |m| Selection::table(m, "Orders"));
    harness.run();
    harness.get_by_label("Add GSI").click();
    harness.run();
}

fn has_entity(harness: &Harness<'_, Workbench>, name: &str) -> bool {
    harness.state().document().model().entity(name).is_some()
}

fn run(harness: &mut Harness<'_, Workbench>, command: Command) {
    let ctx = harness.ctx.clone();
    harness.state_mut().run_command(&ctx, command);
    harness.run();
}

#[test]
fn a_broken_file_shows_an_error_naming_it_and_the_model_stays_open() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.dynamodel.json");
    std::fs::write(&bad, "{\"format_version\": 1, \"name\": ").unwrap();
    let mut harness = open("ecommerce");
    let before = harness.state().document().model().clone();
    run(&mut harness, Command::Open);
    assert_eq!(harness.state().dialog_title().as_deref(), Some("Open"));
    harness.get_by_label("Model file path").focus();
    harness
        .get_by_label("Model file path")
        .type_text(bad.to_str().unwrap());
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Open")
        .click();
    harness.run();
    let title = harness.state().dialog_title().unwrap();
    assert!(title.contains("broken.dynamodel.json"), "{title}");
    assert!(
        harness
            .query_all_by_label_contains("broken.dynamodel.json:1:")
            .next()
            .is_some(),
        "the message names file, line and column"
    );
    assert_eq!(harness.state().document().model(), &before);
    harness.get_by_label("OK").click();
    harness.run();
    assert_eq!(harness.state().dialog_title(), None);
}

#[test]
fn save_as_writes_the_model_and_clears_the_unsaved_marker() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.dynamodel.json");
    let mut harness = open("ecommerce");
    add_gsi_to_orders(&mut harness);
    assert!(
        harness.state().window_title().starts_with('●'),
        "{}",
        harness.state().window_title()
    );
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::S,
    );
    harness.run();
    assert_eq!(harness.state().dialog_title().as_deref(), Some("Save As"));
    retype(&mut harness, "Model file path", path.to_str().unwrap());
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Save")
        .click();
    harness.run();
    assert_eq!(harness.state().dialog_title(), None);
    let saved = dynamodel::model::load(&path).unwrap();
    assert_eq!(&saved, harness.state().document().model());
    assert!(!harness.state().document().is_dirty());
    assert!(
        harness
            .state()
            .window_title()
            .starts_with("shop.dynamodel.json"),
        "{}",
        harness.state().window_title()
    );
}

#[test]
fn a_failed_save_keeps_the_changes_and_says_why() {
    let mut harness = open("ecommerce");
    add_gsi_to_orders(&mut harness);
    run(&mut harness, Command::SaveAs);
    retype(
        &mut harness,
        "Model file path",
        "/nonexistent-dir/shop.dynamodel.json",
    );
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Save")
        .click();
    harness.run();
    let title = harness.state().dialog_title().unwrap();
    assert!(
        title.contains("/nonexistent-dir/shop.dynamodel.json"),
        "{title}"
    );
    assert!(harness.state().document().is_dirty());
}

#[test]
fn keyboard_undo_redo_and_delete() {
    let mut harness = open("ecommerce");
    select(&mut harness, |m| Selection::entity(m, "SellerProfile"));
    harness.run();
    harness.key_press(egui::Key::Delete);
    harness.run();
    assert!(!has_entity(&harness, "SellerProfile"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert!(has_entity(&harness, "SellerProfile"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    harness.run();
    assert!(!has_entity(&harness, "SellerProfile"));
}

/// The settings and egui's memory (panel widths, open sections) go to the
/// workbench's own files, written whole, and come back on the next start.
#[test]
fn ui_state_is_kept_in_the_workbench_s_own_files() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings.json");
    let options = || StartOptions {
        sample: Some("ecommerce"),
        use_storage: true,
        settings_file: Some(settings.clone()),
        recovery_dir: None,
        ..StartOptions::default()
    };
    let probe = egui::Id::unique("state-probe");
    let mut first = open_with(options());
    first.ctx.data_mut(|d| d.insert_persisted(probe, 42u32));
    first.state_mut().save_state();
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["settings.json", "ui-memory.ron"],
        "and no temp file"
    );
    drop(first);

    let second = open_with(options());
    assert_eq!(
        second.ctx.data_mut(|d| d.get_persisted::<u32>(probe)),
        Some(42),
        "egui's memory came back from ui-memory.ron"
    );
}

#[test]
fn autosave_is_offered_back_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let options = || StartOptions {
        sample: Some("ecommerce"),
        use_storage: false,
        recovery_dir: Some(dir.path().to_path_buf()),
        ..StartOptions::default()
    };
    let mut first = open_with(options());
    add_gsi_to_orders(&mut first);
    first.state_mut().write_recovery();
    drop(first); // the window dies without saving

    let mut second = open_with(options());
    assert_eq!(
        second.state().dialog_title().as_deref(),
        Some("Recover unsaved changes")
    );
    second.get_by_label("Restore").click();
    second.run();
    let model = second.state().document().model();
    assert!(
        model.table("Orders").unwrap().gsi("GSI2").is_some(),
        "the unsaved GSI is back"
    );
    assert!(second.state().document().is_dirty());
}

#[test]
fn rename_from_the_tree_context_menu_updates_every_reference() {
    let mut harness = open("ecommerce");
    harness.get_by_label("📄 User").click_secondary();
    harness.run();
    harness.get_by_label("Rename…").click();
    harness.run();
    assert!(
        harness.get_by_label("Entity name").is_focused(),
        "the name field takes the cursor"
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Entity name").type_text("Customer");
    harness.run();
    let model = harness.state().document().model();
    assert!(model.entity("Customer").is_some());
    assert!(
        model
            .pattern("AP2")
            .unwrap()
            .entities
            .contains(&"Customer".to_string())
    );
    assert_eq!(
        harness.state().selection(),
        &named(&harness, |m| Selection::entity(m, "Customer"))
    );
    // The whole rename is one undo step.
    harness.get_by_label("Entity name").hover();
    harness.state_mut().document_mut().seal();
    run(&mut harness, Command::Undo);
    assert!(harness.state().document().model().entity("User").is_some());
}

#[test]
fn the_aggregate_view_groups_sample_items_and_shows_sparse_indexes() {
    let mut harness = open("ecommerce");
    select(&mut harness, |m| Selection::table(m, "Users"));
    harness.state_mut().set_tab(Tab::Aggregate);
    harness.run();
    let summary = |h: &Harness<'_, Workbench>| {
        h.query_all_by_label_contains(" items in ")
            .map(|n| format!("{n:?}"))
            .next()
            .unwrap_or_default()
    };
    assert!(
        summary(&harness).contains("15 items in"),
        "{}",
        summary(&harness)
    );
    let links = |h: &Harness<'_, Workbench>, name: &str| {
        h.query_all_by_role_and_label(egui::accesskit::Role::Link, name)
            .count()
    };
    assert_eq!(
        links(&harness, "CartItem"),
        5,
        "cart lines share the users' table"
    );
    harness.get_by_label("GSI1").click();
    harness.run();
    let s = summary(&harness);
    assert!(
        s.contains("5 items in 5 partitions"),
        "only users write GSI1PK: {s}"
    );
    assert_eq!(links(&harness, "CartItem"), 0);
    assert_eq!(links(&harness, "User"), 5);
    // More samples of one entity.
    harness.get_by_label("Users (table)").click();
    harness.run();
    select(&mut harness, |m| Selection::table(m, "Users"));
    let counts = harness.get_by_label("Samples of CartItem");
    counts.focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Samples of CartItem").type_text("12");
    harness.key_press(egui::Key::Enter);
    harness.run();
    let s = summary(&harness);
    let number_before = |text: &str, marker: &str| -> usize {
        text.find(marker)
            .map(|end| {
                let digits: String = text[..end]
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                digits
                    .chars()
                    .rev()
                    .collect::<String>()
                    .parse()
                    .unwrap_or(0)
            })
            .unwrap_or(0)
    };
    let shown = number_before(&s, " items in");
    let dropped = number_before(&s, " CartItem dropped");
    assert_eq!(
        shown + dropped,
        22,
        "5 users, 5 seller profiles, 12 cart lines: {s}"
    );
}

#[test]
fn zoom_shortcuts_change_and_keep_the_zoom() {
    let mut harness = open("ecommerce");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Equals);
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Equals);
    harness.run();
    assert!(
        (harness.ctx.zoom_factor() - 1.2).abs() < 0.01,
        "{}",
        harness.ctx.zoom_factor()
    );
    assert!(harness.query_by_label("zoom 120%").is_some());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num0);
    harness.run();
    assert!((harness.ctx.zoom_factor() - 1.0).abs() < 0.01);
}

#[test]
fn file_export_writes_the_model_document() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dynamodb_data_model.md");
    let mut harness = open("ecommerce");
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Export").click();
    harness.run();
    harness.get_by_label("Data model document…").click();
    harness.run();
    let title = harness.state().dialog_title().unwrap();
    assert!(title.starts_with("Export Data model document"), "{title}");
    retype(&mut harness, "Export file path", path.to_str().unwrap());
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Export")
        .click();
    harness.run();
    let written = std::fs::read_to_string(&path).unwrap();
    let expected = dynamodel::export::markdown::export(
        harness.state().document().model(),
        &dynamodel::export::ExportOptions::default(),
    )
    .text;
    assert_eq!(written, expected);
    assert!(
        !harness.state().document().is_dirty(),
        "exporting does not save the model"
    );
}

/// File ▸ Import ▸ NoSQL Workbench, with `path` typed into the dialog.
fn import_nosql_workbench(harness: &mut Harness<'_, Workbench>, path: &std::path::Path) {
    run(
        harness,
        Command::Import(dynamodel::export::ImportFormat::NosqlWorkbench),
    );
    retype(harness, "Import file path", path.to_str().unwrap());
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Import")
        .click();
    harness.run();
}

#[test]
fn file_import_opens_a_nosql_workbench_model_as_unsaved() {
    let fixture = crate::shared().join("fixtures/nosql-workbench/SessionManagementSchema.json");
    let mut harness = open("ecommerce");
    import_nosql_workbench(&mut harness, &fixture);
    let model = harness.state().document().model();
    assert!(model.table("Users").is_none(), "the shop is replaced");
    assert!(!model.tables.is_empty());
    assert!(
        harness.state().document().is_dirty(),
        "an import is not saved yet"
    );
    let title = harness.state().dialog_title().unwrap_or_default();
    assert!(
        title.starts_with("Imported"),
        "the import report is shown: {title}"
    );
}

#[test]
fn a_malformed_import_keeps_the_open_model() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"ModelName\": 3}").unwrap();
    let mut harness = open("ecommerce");
    let before = harness.state().document().model().clone();
    import_nosql_workbench(&mut harness, &bad);
    let title = harness.state().dialog_title().unwrap();
    assert!(title.contains("bad.json"), "{title}");
    assert_eq!(harness.state().document().model(), &before);
}

#[test]
fn the_document_preview_renders_the_model_document() {
    let mut harness = open("ecommerce");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    harness.run();
    assert_eq!(harness.state().tab(), Tab::Document);
    assert!(
        harness
            .query_all_by_label_contains("DynamoDB Data Model")
            .next()
            .is_some()
    );
    assert!(
        harness
            .query_all_by_label_contains("Design Philosophy")
            .next()
            .is_some()
    );
    assert!(harness.query_by_label("Export…").is_some());
}

#[test]
fn the_deploy_tab_runs_every_pattern_against_dynamodb_local() {
    let endpoint = crate::deploy::local_endpoint();
    let mut harness = open("ecommerce");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num7);
    harness.run();
    assert_eq!(harness.state().tab(), Tab::Deploy);
    retype(&mut harness, "Endpoint", endpoint);
    let prefix = format!("{}-gui-", std::process::id());
    let _cleanup = crate::deploy::DropTables::new(endpoint, &prefix);
    retype(&mut harness, "Table name prefix", &prefix);
    harness.get_by_label("Deploy, seed & verify").click();
    harness.step();
    let start = std::time::Instant::now();
    while harness.state_mut().deploy_state().is_running() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(180),
            "the deploy job finishes"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.step();
    }
    harness.run();
    let state = harness.state_mut().deploy_state();
    assert_eq!(state.error, None);
    let report = state.report.clone().expect("a report");
    let verify = report.verify.expect("the job verified");
    let failed: Vec<_> = verify
        .results
        .iter()
        .filter(|r| r.outcome == dynamodel::deploy::PatternOutcome::Failed)
        .map(|r| format!("{}: {}", r.pattern, r.detail))
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    // The results table is on screen, and a row leads to its pattern.
    assert!(harness.query_all_by_label_contains("✔ pass").count() > 5);
    assert!(
        harness
            .query_all_by_label_contains("Access patterns: ")
            .next()
            .is_some()
    );
    harness.get_by_label("AP2").click();
    harness.run();
    assert_eq!(
        harness.state().selection(),
        &named(&harness, |m| Selection::pattern(m, "AP2"))
    );
}

#[test]
fn time_to_live_and_the_stream_are_set_in_the_table_editor() {
    let mut harness = open("ecommerce");
    select(&mut harness, |m| Selection::table(m, "Users"));
    harness.run();
    harness.get_by_label("Time to live").click();
    harness.run();
    let ttl = |h: &Harness<'_, Workbench>| {
        h.state()
            .document()
            .model()
            .table("Users")
            .unwrap()
            .ttl
            .clone()
    };
    assert_eq!(ttl(&harness).unwrap().attribute, "expires_at");
    // No entity of Users carries `expires_at` yet: the check says nothing expires.
    assert_eq!(findings_with(&mut harness, "ttl.unused"), 1);
    retype(&mut harness, "Time-to-live attribute", "created_at");
    assert_eq!(ttl(&harness).unwrap().attribute, "created_at");
    // User.created_at is an ISO-8601 string: DynamoDB would never expire the items.
    assert_eq!(findings_with(&mut harness, "ttl.unused"), 0);
    assert!(findings_with(&mut harness, "ttl.not-a-number") >= 1);
    harness.get_by_label("Stream").click();
    harness.run();
    assert_eq!(
        harness
            .state()
            .document()
            .model()
            .table("Users")
            .unwrap()
            .stream,
        Some(dynamodel::model::StreamView::NewAndOldImages)
    );
    assert!(harness.query_by_label("Stream view type").is_some());
}

#[test]
fn the_entity_editor_shows_whole_templates_and_names() {
    let mut harness = open_sized("ecommerce", egui::vec2(1280.0, 720.0));
    select(&mut harness, |m| Selection::entity(m, "Order"));
    harness.run();
    harness.run();
    // Inside the editor's grids the fields keep their widths from the first frame
    // on: a template of 30 characters and an attribute name of 12 are readable.
    let template = harness.get_by_label("Order GSI1SK template").rect();
    assert!(template.width() >= 250.0, "{template:?}");
    let name = harness.get_by_label("Attribute total_amount name").rect();
    assert!(name.width() >= 120.0, "{name:?}");
    // And they stay beside the Checks panel, not under it.
    let checks_panel = harness.get_by_label("Filter").rect().left();
    for rect in [template, name, harness.get_by_label("Entity name").rect()] {
        assert!(
            rect.right() <= checks_panel,
            "{rect:?} ends at {checks_panel}"
        );
    }
}

/// Focuses the field labelled `label`, empties it, then types `text` one
/// character a frame, calling `check` on the model after every frame.
fn type_slowly(
    harness: &mut Harness<'_, Workbench>,
    label: &str,
    text: &str,
    mut check: impl FnMut(&Harness<'_, Workbench>, &str),
) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.key_press(egui::Key::Backspace);
    harness.run();
    check(harness, "");
    for (n, c) in text.char_indices() {
        harness.get_by_label(label).type_text(&c.to_string());
        harness.run();
        check(harness, &text[..n + c.len_utf8()]);
    }
}

fn undo_with_the_keyboard(harness: &mut Harness<'_, Workbench>) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
}

fn shows(harness: &Harness<'_, Workbench>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

fn duplicates<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = std::collections::BTreeSet::new();
    names.filter(|n| !seen.insert(*n)).collect()
}

#[test]
fn typing_a_table_name_through_a_taken_one_never_makes_two_tables() {
    let mut harness = open("ecommerce");
    let start = harness.state().document().model().clone();
    let orders = start.table_uid("Orders").unwrap();
    select(&mut harness, |m| Selection::table(m, "Orders"));
    harness.run();
    type_slowly(&mut harness, "Table name", "Users2", |h, typed| {
        let model = h.state().document().model();
        let twice = duplicates(model.tables.iter().map(|t| t.name.as_str()));
        assert!(
            twice.is_empty(),
            "after typing {typed:?}: two tables {twice:?}"
        );
        let name = &model.table_by_uid(orders).unwrap().name;
        for entity in ["Order", "OrderItem"] {
            assert_eq!(
                &model.entity(entity).unwrap().table,
                name,
                "after typing {typed:?}: {entity} stays with its table"
            );
        }
        match typed {
            "" => assert!(shows(h, "a table needs a name"), "the draft says why"),
            "Users" => {
                assert_eq!(name, "User", "the taken name is not applied");
                assert!(shows(h, "table `Users` already exists"));
                assert_eq!(
                    h.get_by_label("Table name").value().as_deref(),
                    Some("Users"),
                    "the field keeps what was typed"
                );
            }
            typed => assert_eq!(name, typed),
        }
    });
    let model = harness.state().document().model();
    assert_eq!(model.table_by_uid(orders).unwrap().name, "Users2");
    assert_eq!(
        model.table("Users"),
        start.table("Users"),
        "Users untouched"
    );
    assert_eq!(
        harness.state().selection(),
        &Selection::Table(orders),
        "the selection follows the table through the renames"
    );
    undo_with_the_keyboard(&mut harness);
    assert_eq!(
        harness.state().document().model(),
        &start,
        "one undo takes the whole rename back"
    );
}

#[test]
fn leaving_a_name_field_with_a_refused_name_shows_the_models_name_again() {
    let mut harness = open("ecommerce");
    let start = harness.state().document().model().clone();
    select(&mut harness, |m| Selection::table(m, "Orders"));
    harness.run();
    retype(&mut harness, "Table name", "Users");
    assert!(shows(&harness, "table `Users` already exists"));
    assert_eq!(harness.state().document().model(), &start);
    assert_eq!(harness.state().document().undo_label(), None, "no step");
    harness.get_by_label("Table description").focus();
    harness.run();
    harness.run();
    assert_eq!(
        harness.get_by_label("Table name").value().as_deref(),
        Some("Orders")
    );
    assert!(!shows(&harness, "already exists"));
}

#[test]
fn typing_a_key_template_keeps_the_keystrokes_the_model_refuses() {
    let mut harness = open("ecommerce");
    let start = harness.state().document().model().clone();
    select(&mut harness, |m| Selection::entity(m, "Order"));
    harness.run();
    let field = "Order GSI1SK template";
    type_slowly(&mut harness, field, "ORDER#{order_id}", |h, typed| {
        let model = h.state().document().model();
        let template = model.entity("Order").unwrap().keys.get("GSI1SK").cloned();
        assert_eq!(
            h.get_by_label(field).value().as_deref(),
            Some(typed),
            "the field shows every keystroke"
        );
        match typed.find('{') {
            // An empty template keeps Order out of the sparse index.
            _ if typed.is_empty() => assert_eq!(template, None),
            Some(_) if !typed.ends_with('}') => {
                assert_eq!(template.as_deref(), Some("ORDER#"), "{typed:?} is refused")
            }
            _ => assert_eq!(template.as_deref(), Some(typed)),
        }
    });
    undo_with_the_keyboard(&mut harness);
    assert_eq!(harness.state().document().model(), &start);
}

#[test]
fn typing_a_pattern_id_through_a_taken_one_keeps_both_patterns() {
    let mut harness = open("ecommerce");
    let start = harness.state().document().model().clone();
    let ap20 = start.pattern("AP20").unwrap().clone();
    let ap2 = start.pattern("AP2").unwrap().clone();
    select(&mut harness, |m| Selection::pattern(m, "AP20"));
    harness.run();
    type_slowly(&mut harness, "Pattern id", "AP200", |h, typed| {
        let model = h.state().document().model();
        let twice = duplicates(model.access_patterns.iter().map(|p| p.id.as_str()));
        assert!(
            twice.is_empty(),
            "after typing {typed:?}: two patterns {twice:?}"
        );
        let renamed = model.pattern_by_uid(ap20.uid.get()).unwrap();
        assert_eq!(renamed.description, ap20.description);
        assert_eq!(
            model.pattern("AP2").unwrap(),
            &ap2,
            "after typing {typed:?}: AP2 keeps its description and all"
        );
        if typed == "AP2" {
            assert_eq!(renamed.id, "AP");
            assert!(shows(h, "access pattern id `AP2` already exists"));
        }
    });
    let model = harness.state().document().model();
    let renamed = model.pattern("AP200").unwrap();
    assert_eq!(renamed.description, "Get all categories flat list");
    assert_eq!(
        renamed,
        &AccessPattern {
            id: "AP200".into(),
            ..ap20
        }
    );
    undo_with_the_keyboard(&mut harness);
    assert_eq!(harness.state().document().model(), &start);
}

#[test]
fn typing_an_entity_name_through_a_taken_one_leaves_the_other_entity_alone() {
    let mut harness = open("ecommerce");
    let start = harness.state().document().model().clone();
    let order = start.entity_uid("Order").unwrap();
    let order_item = start.entity("OrderItem").unwrap().clone();
    select(&mut harness, |m| Selection::entity(m, "Order"));
    harness.run();
    type_slowly(&mut harness, "Entity name", "OrderItems", |h, typed| {
        let model = h.state().document().model();
        let twice = duplicates(model.entities.iter().map(|e| e.name.as_str()));
        assert!(
            twice.is_empty(),
            "after typing {typed:?}: two entities {twice:?}"
        );
        let item = model.entity("OrderItem").unwrap();
        assert_eq!(
            item.uid.get(),
            order_item.uid.get(),
            "after typing {typed:?}"
        );
        assert_eq!(
            (&item.table, &item.keys, item.attributes.len()),
            (
                &order_item.table,
                &order_item.keys,
                order_item.attributes.len()
            )
        );
        if typed == "OrderItem" {
            assert_eq!(model.entity_by_uid(order).unwrap().name, "OrderIte");
            assert!(shows(h, "entity `OrderItem` already exists"));
        }
    });
    let model = harness.state().document().model();
    assert_eq!(model.entity_by_uid(order).unwrap().name, "OrderItems");
    assert_eq!(
        model.pattern("AP31").unwrap().entities,
        ["OrderItems", "OrderItem"],
        "patterns follow the renamed entity, and only it"
    );
    let mut expected = order_item.clone();
    for attr in &mut expected.attributes {
        // OrderItem.order_id takes its sample values from the renamed entity.
        if let Some(Generator::Reference { entity, .. }) = &mut attr.generator
            && entity == "Order"
        {
            *entity = "OrderItems".into();
        }
    }
    assert_eq!(model.entity("OrderItem").unwrap(), &expected);
    undo_with_the_keyboard(&mut harness);
    assert_eq!(harness.state().document().model(), &start);
}

#[test]
fn renaming_a_gsi_moves_its_pins_and_deleting_leaves_no_pattern_on_a_missing_entity() {
    let mut harness = open("ecommerce");
    let start = harness.state().document().model().clone();
    let ap30 = start.pattern_uid("AP30").unwrap();
    select(&mut harness, |m| Selection::pattern(m, "AP30"));
    harness.run();
    harness.get_by_label("Pinned index").click();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "GSI1")
        .click();
    harness.run();
    let pin = |h: &Harness<'_, Workbench>| {
        let model = h.state().document().model();
        model.pattern_by_uid(ap30).unwrap().index.clone()
    };
    assert_eq!(pin(&harness).as_deref(), Some("GSI1"));

    select(&mut harness, |m| Selection::index(m, "Orders", "GSI1"));
    harness.run();
    type_slowly(&mut harness, "Index name", "ByUser", |h, typed| {
        if !typed.is_empty() {
            assert_eq!(
                pin(h).as_deref(),
                Some(typed),
                "the pin follows each keystroke"
            );
        }
    });
    assert_eq!(pin(&harness).as_deref(), Some("ByUser"));

    let dangling = |h: &Harness<'_, Workbench>| -> Vec<String> {
        let model = h.state().document().model();
        model
            .access_patterns
            .iter()
            .flat_map(|p| p.entities.iter().map(move |e| (p, e)))
            .filter(|(_, e)| model.entity(e).is_none())
            .map(|(p, e)| format!("{} names {e}", p.id))
            .collect()
    };
    select(&mut harness, |m| Selection::entity(m, "SellerProfile"));
    run(&mut harness, Command::Delete);
    assert!(!has_entity(&harness, "SellerProfile"));
    assert_eq!(dangling(&harness), Vec::<String>::new());
    select(&mut harness, |m| Selection::table(m, "Orders"));
    run(&mut harness, Command::Delete);
    let model = harness.state().document().model();
    assert!(model.table("Orders").is_none());
    assert!(model.entity("Order").is_none() && model.entity("OrderItem").is_none());
    assert_eq!(dangling(&harness), Vec::<String>::new());
    assert_eq!(
        model.pattern_by_uid(ap30).unwrap().index,
        None,
        "a pattern left without its entity is pinned nowhere"
    );
    for _ in 0..4 {
        run(&mut harness, Command::Undo);
    }
    assert_eq!(harness.state().document().model(), &start);
}

#[test]
fn the_editors_show_whole_names_and_templates_at_150_percent() {
    let mut harness = open_sized("ecommerce", egui::vec2(1280.0, 720.0));
    for _ in 0..5 {
        run(&mut harness, Command::ZoomIn);
    }
    assert!((harness.ctx.zoom_factor() - 1.5).abs() < 0.01);
    // A long attribute name: its field grows to show all of it.
    let long = "total_amount_including_taxes_and_shipping";
    let doc = harness.state_mut().document_mut();
    let total = doc
        .model()
        .attribute_element("Order", "total_amount")
        .unwrap();
    doc.apply(&Edit::Rename {
        element: total,
        name: long.into(),
    })
    .unwrap();
    select(&mut harness, |m| Selection::entity(m, "Order"));
    harness.run();
    harness.run();
    let text_width = |h: &Harness<'_, Workbench>, text: &str| {
        let font = egui::TextStyle::Body.resolve(&h.ctx.global_style());
        h.ctx.fonts_mut(|f| {
            f.layout_no_wrap(text.to_string(), font, egui::Color32::WHITE)
                .size()
                .x
        })
    };
    let points = |h: &Harness<'_, Workbench>, label: &str| h.get_by_label(label).rect();
    let checks_panel = points(&harness, "Filter").left();
    for (label, text) in [
        ("Entity name", "Order"),
        ("Order GSI1SK template", "ORDER#{created_at}#{order_id}"),
        (&format!("Attribute {long} name"), long),
    ] {
        let rect = points(&harness, label);
        let needed = text_width(&harness, text);
        assert!(
            rect.width() >= needed,
            "{label}: {rect:?} is narrower than its {needed} points of text"
        );
        assert!(
            rect.left() >= 0.0 && rect.right() <= checks_panel,
            "{label}: {rect:?} is beside the Checks panel at {checks_panel}"
        );
    }
}

#[test]
fn the_fix_button_renames_a_misnamed_gsi_in_one_undo_step() {
    let mut harness = open("ecommerce-initial");
    let original = dynamodel::model::to_json(harness.state().document().model()).unwrap();
    let naming = findings_with(&mut harness, "conventions.gsi-naming");
    harness
        .get_by_label("Fix: Rename Users/EmailIndex to GSI1")
        .click();
    harness.run();
    assert!(has_gsi(&harness, "Users", "GSI1"));
    assert!(!has_gsi(&harness, "Users", "EmailIndex"));
    assert_eq!(
        findings_with(&mut harness, "conventions.gsi-naming"),
        naming - 1
    );
    undo_with_the_keyboard(&mut harness);
    let model = harness.state().document().model();
    assert_eq!(dynamodel::model::to_json(model).unwrap(), original);
}

#[test]
fn fix_all_clears_the_first_drafts_naming_and_prefix_errors_in_one_step() {
    let mut harness = open("ecommerce-initial");
    let original = dynamodel::model::to_json(harness.state().document().model()).unwrap();
    harness.get_by_label("Fix all safe findings").click();
    harness.run();
    assert_eq!(findings_with(&mut harness, "conventions.gsi-naming"), 0);
    assert_eq!(findings_with(&mut harness, "conventions.entity-prefix"), 0);
    assert_eq!(
        harness
            .state()
            .document()
            .model()
            .entity("Order")
            .unwrap()
            .keys["PK"],
        "{order_id}"
    );
    undo_with_the_keyboard(&mut harness);
    let model = harness.state().document().model();
    assert_eq!(dynamodel::model::to_json(model).unwrap(), original);
}

#[test]
fn presentation_mode_hides_the_side_panels_and_f5_brings_them_back() {
    let mut harness = open("ecommerce");
    assert!(shows(&harness, "Checks") && shows(&harness, "Access patterns"));
    harness.key_press(egui::Key::F5);
    harness.run();
    assert!(!shows(&harness, "Access patterns"), "the tree is hidden");
    assert!(
        harness.query_by_label("Checks").is_none(),
        "the checks are hidden"
    );
    assert!(shows(&harness, "Leave presentation (F5)"));
    harness.get_by_label("Leave presentation (F5)").click();
    harness.run();
    assert!(shows(&harness, "Access patterns") && shows(&harness, "Checks"));
    // Outside presentation mode each side panel hides on its own.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::B);
    harness.run();
    assert!(!shows(&harness, "Access patterns"));
    assert!(shows(&harness, "Checks"));
}

/// The accessible names (set with `name_widget`, not the visible text) that
/// start with `prefix`.
fn names_starting(harness: &Harness<'_, Workbench>, prefix: &str) -> Vec<String> {
    use egui_kittest::kittest::{By, NodeT};
    harness
        .query_all(By::new().predicate(|n| n.label().is_some_and(|l| l.starts_with(prefix))))
        .map(|n| n.accesskit_node().label().unwrap_or_default())
        .collect()
}

/// The one accessible name that starts with `prefix`.
fn name_starting(harness: &Harness<'_, Workbench>, prefix: &str) -> String {
    let names = names_starting(harness, prefix);
    assert_eq!(names.len(), 1, "one node named {prefix}…: {names:?}");
    names[0].clone()
}

/// Where the node whose accessible name is `name` starts on the x axis.
fn left_of(harness: &Harness<'_, Workbench>, name: &str) -> f32 {
    use egui_kittest::kittest::By;
    harness
        .get(By::new().predicate(|n| n.label().as_deref() == Some(name)))
        .rect()
        .min
        .x
}

#[test]
fn a_selected_pattern_shows_the_sample_items_its_request_returns() {
    let mut harness = open("ecommerce");
    select(&mut harness, |m| Selection::pattern(m, "AP38"));
    // Selecting a pattern scrolls the model tree to it (an animation).
    harness.run_steps(30);
    harness.get_by_label("Show items").click_accesskit();
    harness.run();
    harness.run();
    assert_eq!(harness.state().tab(), Tab::Aggregate);
    // AP38 reads a user's cart: Query Users, PK = email, begins_with(SK, "CART#").
    // Of the 5 default cart lines, 2 belong to amelia.johnson5 (CartItem 0 and 3)
    // and 2 to harper.schmidt2; amelia's email sorts first. Her partition holds
    // her User (#META), SellerProfile (#SELLER) and 2 cart lines: 4 items, of
    // which the request returns (and reads) the 2 cart lines.
    assert_eq!(
        name_starting(&harness, "Pattern items summary"),
        "Pattern items summary: returns 2 of 4 items in the partition; reads 2"
    );
    assert_eq!(names_starting(&harness, "Returned item").len(), 2);
    assert_eq!(names_starting(&harness, "Read and dropped item").len(), 0);
    let request = name_starting(&harness, "Pattern request");
    assert!(
        request.contains(r#"PK = "amelia.johnson5@example.com" AND begins_with(SK, "CART#")"#),
        "{request}"
    );
    let command = name_starting(&harness, "Pattern command");
    assert!(
        command.contains("aws dynamodb query --table-name Users")
            && command.contains("amelia.johnson5@example.com")
            && command.contains("--limit 4"),
        "{command}"
    );
    harness.get_by_label("Copy command").click();
    harness.run();

    // An order's collection on the Orders table: the order and its 2 lines.
    select(&mut harness, |m| Selection::pattern(m, "AP31"));
    harness.run_steps(30);
    assert_eq!(
        name_starting(&harness, "Pattern items summary"),
        "Pattern items summary: returns 3 of 3 items in the partition; reads 3"
    );
    assert_eq!(names_starting(&harness, "Returned item").len(), 3);

    // Turned off, the view is the plain one again.
    harness.get_by_label("Show pattern items").click();
    harness.run();
    assert!(names_starting(&harness, "Pattern items summary").is_empty());
    assert_eq!(names_starting(&harness, "Returned item").len(), 0);
}

#[test]
fn the_aggregate_views_key_columns_stay_while_the_attributes_scroll_sideways() {
    let mut harness = open("ecommerce");
    select(&mut harness, |m| Selection::table(m, "Users"));
    harness.state_mut().set_tab(Tab::Aggregate);
    harness.run();
    // The picker names the table it shows, not "All tables".
    let picker = harness.get_by_label("aggregate table");
    assert_eq!(picker.value().as_deref(), Some("Users"), "{picker:?}");
    let x = left_of;
    let pk = x(&harness, "Frozen key column PK");
    let sk = x(&harness, "Frozen key column SK");
    let entity = x(&harness, "Frozen column Entity");
    let username = harness.get_by_label("username").rect().min.x;
    assert!(pk < sk && sk < entity && entity < username);
    // The last attribute column (the Users table shows 14: the users' 10, then
    // the cart lines' product_id, quantity, price and added_at).
    harness.get_by_label("added_at").scroll_to_me();
    harness.run();
    assert!(
        harness.get_by_label("username").rect().min.x < username - 100.0,
        "the attribute columns scrolled sideways"
    );
    assert_eq!(
        x(&harness, "Frozen key column PK"),
        pk,
        "the key columns stay"
    );
    assert_eq!(x(&harness, "Frozen key column SK"), sk);
    assert_eq!(x(&harness, "Frozen column Entity"), entity);
}

#[test]
fn the_diagram_selects_what_is_clicked_and_shows_what_is_selected() {
    use egui::accesskit::Toggled;
    use egui_kittest::kittest::NodeT;
    let mut harness = open("ecommerce");
    run(&mut harness, Command::ShowTab(Tab::Diagram));
    harness.run();
    assert!(shows(&harness, "Diagram canvas"));
    // Clicking the Order box selects the entity everywhere.
    harness.get_by_label("Diagram entity:Order").click();
    harness.run();
    let order = named(&harness, |m| Selection::entity(m, "Order"));
    assert_eq!(*harness.state().selection(), order);
    // Selecting a pattern elsewhere marks its box as the selected one.
    select(&mut harness, |m| Selection::pattern(m, "AP2"));
    harness.run();
    let ap2 = harness.get_by_label("Diagram pattern:AP2");
    assert_eq!(ap2.accesskit_node().toggled(), Some(Toggled::True));
    let order_box = harness.get_by_label("Diagram entity:Order");
    assert_eq!(order_box.accesskit_node().toggled(), Some(Toggled::False));
    // A GSI box selects the index.
    harness.get_by_label("Diagram index:Orders/GSI1").click();
    harness.run();
    let gsi = named(&harness, |m| Selection::index(m, "Orders", "GSI1"));
    assert_eq!(*harness.state().selection(), gsi);
}

/// Where each node named in `names` starts on the x axis.
fn lefts_of(harness: &Harness<'_, Workbench>, names: &[&str]) -> Vec<f32> {
    names.iter().map(|name| left_of(harness, name)).collect()
}

#[test]
fn the_key_maps_entity_column_stays_while_the_key_columns_scroll_sideways() {
    let mut harness = open_sized("ecommerce", egui::vec2(1440.0, 900.0));
    run(&mut harness, Command::ShowTab(Tab::KeyMap));
    let entities = [
        "Key map entity User",
        "Key map entity CartItem",
        "Key map entity SellerProfile",
    ];
    let frozen = lefts_of(&harness, &entities);
    // The Users table's last key column (PK, SK, GSI1PK, GSI2PK, GSI3PK) is
    // past the right edge; the wheel over the key cells scrolls them sideways.
    let last = "Key map User GSI3PK";
    let before = left_of(&harness, last);
    let over = harness.get_by_label("Key map User SK").rect().center();
    harness.hover_at(egui::pos2(over.x as f32, over.y as f32));
    harness.run();
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(-400.0, 0.0),
        modifiers: egui::Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    harness.run();
    let after = left_of(&harness, last);
    assert!(
        after < before - 50.0,
        "the key columns scrolled sideways: {before} -> {after}"
    );
    assert_eq!(
        lefts_of(&harness, &entities),
        frozen,
        "the entity column stays"
    );
    assert!(
        frozen[0] < after,
        "the entity column is left of the scrolled cells"
    );
}

#[test]
fn the_coverage_pattern_column_stays_while_the_index_columns_scroll_sideways() {
    let mut harness = open_sized("ecommerce", egui::vec2(1440.0, 900.0));
    run(&mut harness, Command::ShowTab(Tab::Coverage));
    // Three tables have a GSI1: each header names its table.
    let headers = [
        "Users/GSI1",
        "Users/GSI2",
        "Users/GSI3",
        "Products/GSI1",
        "Products/GSI2",
        "Orders/GSI1",
    ];
    let lefts = lefts_of(&harness, &headers);
    // Narrow columns: more than 4 of the 9 indexes fit beside the patterns at
    // 1440 px, left of the Checks panel.
    let checks = harness.get_by_label("⛔ 0 errors").rect().min.x as f32;
    let fit = lefts.iter().filter(|&&x| x + 64.0 <= checks).count();
    assert!(
        fit >= 4,
        "{fit} GSI headers fit: {lefts:?}, Checks at {checks}"
    );
    let patterns = [
        "AP1 Create user account",
        "AP2 Authenticate user by username",
        "AP3 Get user profile by user ID",
    ];
    let frozen = lefts_of(&harness, &patterns);
    let last = "Orders/GSI1";
    let before = left_of(&harness, last);
    harness.get_by_label(last).scroll_to_me();
    harness.run();
    let after = left_of(&harness, last);
    assert!(
        after < before - 20.0,
        "the index columns scrolled sideways: {before} -> {after}"
    );
    assert!(after + 64.0 <= checks, "the last index is in view");
    assert_eq!(
        lefts_of(&harness, &patterns),
        frozen,
        "the pattern column stays"
    );
    assert!(frozen[0] < left_of(&harness, "Users/GSI1"));
    // The cells scrolled with their header.
    let cell = left_of(&harness, "AP1 not used by Orders/GSI1");
    assert!(
        (cell - after).abs() < 1.0,
        "cell at {cell}, header at {after}"
    );
}

#[test]
fn a_new_pattern_is_scrolled_into_view_in_the_tree() {
    let mut harness = open_sized("ecommerce", egui::vec2(1280.0, 720.0));
    assert!(!shows(&harness, "AP48  "), "the list starts at the top");
    run(&mut harness, Command::AddPattern);
    harness.run();
    harness.run();
    assert!(shows(&harness, "AP49  New access pattern"));
}

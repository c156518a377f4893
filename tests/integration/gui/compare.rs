//! The Compare tab: the open model against another version of the design.

use dynamodel::analysis::compare::{ChangeKind, Verdict};
use dynamodel::model::{Edit, Element};
use dynamodel::ui::{Command, Selection, Tab};
use egui_kittest::kittest::Queryable;

use super::{named, open, run, shows};

/// File ▸ Compare with sample ▸ `title (bundled)`.
fn compare_with_sample_from_the_menu(
    harness: &mut egui_kittest::Harness<'_, dynamodel::ui::Workbench>,
    title: &str,
) {
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Compare with sample").click();
    harness.run();
    harness.get_by_label(&format!("{title} (bundled)")).click();
    harness.run();
}

#[test]
fn the_redesign_against_the_first_draft_shows_each_patterns_plan_and_verdict() {
    let mut harness = open("ecommerce");
    assert!(harness.state().comparison().is_none());
    harness.state_mut().set_tab(Tab::Compare);
    harness.run();
    assert!(
        shows(
            &harness,
            "Nothing is compared yet. Choose File › Compare with…"
        ),
        "the empty tab says how to start"
    );
    harness.state_mut().set_tab(Tab::Editor);
    harness.run();
    let first_draft = dynamodel::model::samples::sample("ecommerce-initial")
        .unwrap()
        .title;
    compare_with_sample_from_the_menu(&mut harness, first_draft);
    // Starting a comparison shows it; the tab button leads there too.
    harness.get_by_label("Compare").click();
    harness.run();
    assert_eq!(harness.state().tab(), Tab::Compare);

    let comparison = harness.state().comparison().expect("compared").clone();
    let ap1 = comparison.patterns.iter().find(|p| p.id == "AP1").unwrap();
    assert!(ap1.before.is_some() && ap1.after.is_some(), "{ap1:?}");
    assert!(
        comparison
            .patterns
            .iter()
            .any(|p| p.verdict == Verdict::NewlyServed),
        "the redesign serves patterns the first draft scanned for"
    );
    // The summary: verdict counts, the cost before and after, the findings, the migration.
    for (verdict, n) in comparison.verdict_counts() {
        let text = format!("{n} {}", verdict.label());
        assert!(harness.query_by_label(&text).is_some(), "{text}");
    }
    assert!(shows(&harness, "Monthly cost: $"));
    assert!(shows(&harness, "findings fixed"));
    assert!(shows(&harness, "Migration: "));
    // The pattern table: a row per pattern, its verdict and its plan on both sides.
    harness.get_by_label("AP1");
    assert!(
        harness
            .query_all_by_label(ap1.verdict.label())
            .next()
            .is_some(),
        "AP1's verdict ({}) is in the table",
        ap1.verdict.label()
    );
    let after = ap1.after.as_ref().unwrap();
    assert!(
        shows(&harness, &after.key_condition),
        "{}",
        after.key_condition
    );

    // A row selects its pattern in the open model; the editor then shows it.
    harness.get_by_label("AP1").click();
    harness.run();
    let ap1_selection = named(&harness, |m| Selection::pattern(m, "AP1"));
    assert_eq!(harness.state().selection(), &ap1_selection);
    assert_eq!(harness.state().tab(), Tab::Compare, "the comparison stays");
    harness.get_by_label("Editor").click();
    harness.run();
    let description = &harness
        .state()
        .document()
        .model()
        .pattern("AP1")
        .unwrap()
        .description;
    assert!(shows(&harness, &format!("AP1 — {description}")));
}

#[test]
fn a_comparison_with_the_last_saved_version_follows_edits() {
    let mut harness = open("ecommerce");
    harness.get_by_label("File").click();
    harness.run();
    harness
        .get_by_label("Compare with last saved version")
        .click();
    harness.run();
    assert_eq!(harness.state().tab(), Tab::Compare);
    assert!(
        harness.state().comparison().unwrap().is_equivalent(),
        "nothing changed since the model was opened"
    );
    assert!(shows(&harness, "The two designs do the same"));
    assert!(harness.query_by_label("Structure (0)").is_some());

    // Rename a GSI: the baseline shares the open model's identities, so the
    // comparison sees a rename, not a GSI removed and another added.
    let gsi1 = {
        let model = harness.state().document().model();
        model.index_element("Users", "GSI1").unwrap()
    };
    harness
        .state_mut()
        .document_mut()
        .apply(&Edit::Rename {
            element: gsi1,
            name: "ByUsername".into(),
        })
        .unwrap();
    harness.run();
    let comparison = harness.state().comparison().unwrap().clone();
    assert!(!comparison.is_equivalent());
    let renamed: Vec<_> = comparison
        .structure
        .iter()
        .filter(|c| c.kind == ChangeKind::Renamed)
        .collect();
    assert_eq!(renamed.len(), 1, "{:#?}", comparison.structure);
    assert_eq!(renamed[0].path, "Users/ByUsername");
    assert!(!shows(&harness, "The two designs do the same"));

    harness.get_by_label("Structure (1)").click();
    harness.run();
    assert!(shows(&harness, "was Users/GSI1"));
    // The structural row selects the renamed GSI, by identity.
    harness.get_by_label("Users/ByUsername").click();
    harness.run();
    let Element::Index { table, index } = gsi1 else {
        panic!("{gsi1:?}")
    };
    assert_eq!(
        harness.state().selection(),
        &Selection::Index { table, index }
    );

    // Undo: the same as the saved version again.
    run(&mut harness, Command::Undo);
    assert!(harness.state().comparison().unwrap().is_equivalent());
    run(&mut harness, Command::StopComparing);
    assert!(harness.state().comparison().is_none());
    assert_ne!(harness.state().tab(), Tab::Compare);
}

#[test]
fn an_unreadable_file_to_compare_with_is_named_and_the_model_stays() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.dynamodel.json");
    std::fs::write(&bad, "{\"format_version\": 1, \"name\": ").unwrap();
    let mut harness = open("ecommerce");
    let before = harness.state().document().model().clone();
    run(&mut harness, Command::CompareWithFile);
    assert_eq!(
        harness.state().dialog_title().as_deref(),
        Some("Compare with")
    );
    super::retype(&mut harness, "File to compare with", bad.to_str().unwrap());
    // The dialog's button, made after the tab of the same name.
    harness
        .query_all_by_role_and_label(egui::accesskit::Role::Button, "Compare")
        .last()
        .unwrap()
        .click();
    harness.run();
    let title = harness.state().dialog_title().unwrap();
    assert_eq!(title, format!("Could not compare with {}", bad.display()));
    assert!(shows(&harness, "broken.dynamodel.json:1:"));
    assert_eq!(harness.state().document().model(), &before);
    assert!(harness.state().comparison().is_none());
    harness.get_by_label("OK").click();
    harness.run();

    // A NoSQL Workbench model is compared with as File ▸ Import reads it.
    let workbench = crate::shared().join("fixtures/nosql-workbench/SessionManagementSchema.json");
    let ctx = harness.ctx.clone();
    harness.state_mut().compare_with_path(&ctx, &workbench);
    harness.run();
    assert_eq!(harness.state().dialog_title(), None);
    let comparison = harness.state().comparison().expect("compared");
    assert!(
        comparison
            .patterns
            .iter()
            .any(|p| p.verdict == Verdict::Added),
        "the shop's patterns are not in the session store"
    );
    assert_eq!(harness.state().document().model(), &before);
}

//! The Deploy tab's plan and result without an endpoint: a pure plan against
//! a described table that differs, and a report of tables updated in place.

use std::collections::BTreeMap;

use dynamodel::deploy::{DeployPlan, DeployReport, TableSpec, TablesReport};
use dynamodel::ui::Tab;
use egui_kittest::kittest::Queryable;

use super::{open, shows};

#[test]
fn a_differing_table_lists_its_steps_and_whether_deploy_runs_them() {
    let mut harness = open("ecommerce");
    let model = harness.state().document().model().clone();
    let wanted: Vec<TableSpec> = model.tables.iter().map(TableSpec::from_model).collect();
    let with_gsi = wanted
        .iter()
        .find(|t| !t.gsis.is_empty())
        .expect("a table with a GSI")
        .clone();
    // The endpoint lacks the table's first GSI and has one the model dropped.
    let mut have = with_gsi.clone();
    let missing = have.gsis.remove(0).name;
    let mut stale = with_gsi.gsis[0].clone();
    stale.name = "RetiredIndex".into();
    have.gsis.push(stale);
    let existing = BTreeMap::from([(have.name.clone(), have)]);
    let plan = DeployPlan::new(wanted, &existing, &[]);
    let table = with_gsi.name.clone();
    harness.state_mut().deploy_state().plan = Some(plan);
    harness.state_mut().deploy_state().report = Some(DeployReport {
        target: "DynamoDB Local at http://localhost:8000".into(),
        tables: Some(TablesReport {
            updated: vec![table.clone()],
            ..TablesReport::default()
        }),
        ..DeployReport::default()
    });
    harness.state_mut().set_tab(Tab::Deploy);
    harness.run();

    assert!(shows(&harness, &format!("create GSI {missing} on {table}")));
    assert!(shows(&harness, "(deploy runs it)"));
    assert!(shows(
        &harness,
        &format!("delete GSI RetiredIndex of {table}")
    ));
    assert!(shows(&harness, "(only with recreate, on a local endpoint)"));
    assert!(
        harness
            .query_by_label(
                "Allow deleting or remaking GSIs and rebuilding re-keyed tables (local endpoint only)"
            )
            .is_some(),
        "the recreate checkbox says what it allows"
    );
    assert!(shows(&harness, "1 updated in place"));
    assert!(shows(
        &harness,
        &format!("Updated in place (items kept): {table}")
    ));
}

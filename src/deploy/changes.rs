//! The steps a deploy plan carries for a table the endpoint already has: the
//! migration's own steps ([`crate::analysis::compare::table_steps`], from what the
//! endpoint describes to what the model asks for), each marked with whether
//! deploy takes it in place, only with recreate, or not at all. Pure.

use serde::{Deserialize, Serialize};

pub use crate::analysis::compare::Action;
use crate::model::schema::TableSpec;

/// Whether deploy takes a step.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum StepMode {
    /// On the existing table, keeping its items (UpdateTable, UpdateTimeToLive).
    InPlace,
    /// It deletes something (an index, or the table to build it again): only
    /// with recreate, and only on a local endpoint.
    Recreate,
    /// Deploy never takes it (it moves items, or drops a table the model lacks).
    NotRun,
}

impl StepMode {
    pub fn text(self) -> &'static str {
        match self {
            StepMode::InPlace => "deploy runs it",
            StepMode::Recreate => "only with recreate, on a local endpoint",
            StepMode::NotRun => "deploy does not run it",
        }
    }
}

/// One step of a table's migration, as the plan shows it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TableStep {
    #[serde(flatten)]
    pub action: Action,
    pub deploy: StepMode,
    /// `create GSI GSI1 on Orders`.
    pub description: String,
}

impl TableStep {
    fn new(action: Action, deploy: StepMode) -> TableStep {
        TableStep {
            description: action.describe(),
            action,
            deploy,
        }
    }

    /// `create GSI GSI1 on Orders (deploy runs it)`.
    pub fn text(&self) -> String {
        format!("{} ({})", self.description, self.deploy.text())
    }
}

/// The steps from `have` (the endpoint's table, if any) to `want` (the model's),
/// each with how deploy takes it. `differences` are the plan's own comparison: a
/// difference no migration step makes (a key attribute's type, say) is a rebuild.
pub fn table_steps(
    have: Option<&TableSpec>,
    want: &TableSpec,
    differences: &[String],
) -> Vec<TableStep> {
    let mut actions = crate::analysis::compare::table_steps(have, Some(want));
    if have.is_some() && actions.is_empty() && !differences.is_empty() {
        actions.push(Action::RebuildTable {
            table: want.name.clone(),
            reasons: differences.to_vec(),
        });
    }
    // A GSI deleted and created again (new keys or projection): its create waits
    // for the delete, so it needs recreate too.
    let deleted: Vec<&str> = actions
        .iter()
        .filter_map(|a| match a {
            Action::DeleteGsi { index, .. } => Some(index.as_str()),
            _ => None,
        })
        .collect();
    let modes: Vec<StepMode> = actions
        .iter()
        .map(|a| match a {
            Action::CreateGsi { index, .. } if deleted.contains(&index.as_str()) => {
                StepMode::Recreate
            }
            Action::CreateTable { .. }
            | Action::CreateGsi { .. }
            | Action::UpdateGsiCapacity { .. }
            | Action::UpdateBilling { .. }
            | Action::UpdateTimeToLive { .. }
            | Action::UpdateStream { .. } => StepMode::InPlace,
            Action::RebuildTable { .. } | Action::DeleteGsi { .. } => StepMode::Recreate,
            Action::CopyItems { .. }
            | Action::RewriteItems { .. }
            | Action::DeleteItems { .. }
            | Action::DeleteTable { .. } => StepMode::NotRun,
        })
        .collect();
    actions
        .into_iter()
        .zip(modes)
        .map(|(action, mode)| TableStep::new(action, mode))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::deploy::plan::{DeployPlan, TableAction, TableSpec};
    use crate::deploy::test_support::bundled;
    use crate::model::{KeyType, Projection, StreamView};

    /// The bundled workshop model's tables as the model asks for them.
    fn ecommerce() -> Vec<TableSpec> {
        bundled("ecommerce")
            .tables
            .iter()
            .map(TableSpec::from_model)
            .collect()
    }

    fn spec<'a>(specs: &'a mut [TableSpec], name: &str) -> &'a mut TableSpec {
        specs.iter_mut().find(|s| s.name == name).unwrap()
    }

    /// The plan of the model against an endpoint holding `endpoint`.
    fn plan(endpoint: Vec<TableSpec>) -> DeployPlan {
        let names: Vec<String> = endpoint.iter().map(|s| s.name.clone()).collect();
        let existing: BTreeMap<String, TableSpec> =
            endpoint.into_iter().map(|s| (s.name.clone(), s)).collect();
        DeployPlan::new(ecommerce(), &existing, &names)
    }

    fn actions(plan: &DeployPlan, table: &str) -> Vec<(Action, StepMode)> {
        let t = plan.tables.iter().find(|t| t.table == table).unwrap();
        t.steps
            .iter()
            .map(|s| (s.action.clone(), s.deploy))
            .collect()
    }

    #[test]
    fn a_missing_gsi_is_created_in_place() {
        let mut endpoint = ecommerce();
        spec(&mut endpoint, "Orders")
            .gsis
            .retain(|g| g.name != "GSI1");
        let plan = plan(endpoint);
        assert_eq!(
            actions(&plan, "Orders"),
            [(
                Action::CreateGsi {
                    table: "Orders".into(),
                    index: "GSI1".into()
                },
                StepMode::InPlace
            )]
        );
        assert!(plan.needing_recreate().is_empty());
        let orders = plan.tables.iter().find(|t| t.table == "Orders").unwrap();
        assert!(!orders.rebuilds());
        assert_eq!(
            orders.endpoint.as_ref().map(|e| e.gsis.len()),
            Some(orders.spec.gsis.len() - 1)
        );
        let summary = plan.summary();
        let at = summary
            .iter()
            .position(|l| l.starts_with("table Orders differs: GSI GSI1"))
            .unwrap_or_else(|| panic!("{summary:?}"));
        assert_eq!(
            summary[at + 1],
            "  1. create GSI GSI1 on Orders (deploy runs it)"
        );
        assert!(summary.contains(&"table Users is up to date".to_string()));
    }

    #[test]
    fn a_reshaped_or_dropped_gsi_needs_recreate() {
        let mut endpoint = ecommerce();
        let users = spec(&mut endpoint, "Users");
        // The endpoint's GSI1 projects only keys; the model's projects all.
        users.gsis[0].projection = Projection::KeysOnly;
        users.gsis.push(legacy_index());
        users.ttl = Some("expires_at".into());
        let plan = plan(endpoint);
        assert_eq!(
            actions(&plan, "Users"),
            [
                (
                    Action::DeleteGsi {
                        table: "Users".into(),
                        index: "GSI1".into()
                    },
                    StepMode::Recreate
                ),
                (
                    Action::CreateGsi {
                        table: "Users".into(),
                        index: "GSI1".into()
                    },
                    StepMode::Recreate
                ),
                (
                    Action::UpdateTimeToLive {
                        table: "Users".into(),
                        from: Some("expires_at".into()),
                        to: None
                    },
                    StepMode::InPlace
                ),
                (
                    Action::DeleteGsi {
                        table: "Users".into(),
                        index: "Legacy".into()
                    },
                    StepMode::Recreate
                ),
            ]
        );
        let blocked = plan.needing_recreate();
        assert_eq!(blocked.len(), 1);
        assert_eq!(blocked[0].0.table, "Users");
        let named: Vec<_> = blocked[0]
            .1
            .iter()
            .map(|s| s.description.as_str())
            .collect();
        assert_eq!(
            named,
            [
                "delete GSI GSI1 of Users",
                "create GSI GSI1 on Users",
                "delete GSI Legacy of Users"
            ]
        );
        assert!(plan.summary().contains(
            &"  1. delete GSI GSI1 of Users (only with recreate, on a local endpoint)".to_string()
        ));
    }

    #[test]
    fn time_to_live_streams_and_billing_change_in_place() {
        let mut endpoint = ecommerce();
        let products = spec(&mut endpoint, "Products");
        products.stream = Some(StreamView::KeysOnly);
        products.billing = crate::model::Billing::Provisioned {
            read_capacity: 5,
            write_capacity: 5,
        };
        for g in &mut products.gsis {
            g.provisioned = Some(crate::model::ProvisionedThroughput {
                read_capacity: 5,
                write_capacity: 5,
            });
        }
        let plan = plan(endpoint);
        let steps = actions(&plan, "Products");
        assert!(steps.iter().all(|(_, mode)| *mode == StepMode::InPlace));
        let kinds: Vec<String> = steps.iter().map(|(a, _)| a.describe()).collect();
        assert_eq!(
            kinds,
            [
                "switch Products from provisioned to on-demand",
                "stream on Products: KEYS_ONLY → off"
            ]
        );
        assert!(plan.needing_recreate().is_empty());
    }

    #[test]
    fn a_new_key_schema_rebuilds_the_table_and_a_gsi_key_of_another_type_remakes_the_gsi() {
        let mut endpoint = ecommerce();
        spec(&mut endpoint, "Users").sort_key = None;
        // A GSI key attribute of another type: DynamoDB makes the index again.
        let orders = spec(&mut endpoint, "Orders");
        let gsi1sk = orders
            .attributes
            .iter_mut()
            .find(|a| a.name == "GSI1SK")
            .unwrap();
        gsi1sk.key_type = KeyType::N;
        let plan = plan(endpoint);
        let users = actions(&plan, "Users");
        assert!(
            matches!(
                users.as_slice(),
                [(Action::RebuildTable { .. }, StepMode::Recreate)]
            ),
            "{users:?}"
        );
        assert!(
            plan.tables
                .iter()
                .any(|t| t.table == "Users" && t.rebuilds())
        );
        let orders: Vec<(String, StepMode)> = actions(&plan, "Orders")
            .into_iter()
            .map(|(a, m)| (a.describe(), m))
            .collect();
        assert_eq!(
            orders,
            [
                ("delete GSI GSI1 of Orders".to_string(), StepMode::Recreate),
                ("create GSI GSI1 on Orders".to_string(), StepMode::Recreate)
            ]
        );
        assert_eq!(plan.needing_recreate().len(), 2);
    }

    #[test]
    fn new_and_identical_tables_plan_as_before() {
        let mut endpoint = ecommerce();
        endpoint.retain(|s| s.name != "Products");
        let plan = plan(endpoint);
        let products = plan.tables.iter().find(|t| t.table == "Products").unwrap();
        assert_eq!(products.action, TableAction::Create);
        assert_eq!(
            actions(&plan, "Products"),
            [(
                Action::CreateTable {
                    table: "Products".into()
                },
                StepMode::InPlace
            )]
        );
        assert!(actions(&plan, "Users").is_empty());
        assert_eq!(products.endpoint, None);
    }

    #[test]
    fn steps_survive_json_with_their_action_flattened() {
        let mut endpoint = ecommerce();
        let orders = spec(&mut endpoint, "Orders");
        orders.gsis.retain(|g| g.name != "GSI1");
        orders.stream = Some(StreamView::NewImage);
        let plan = plan(endpoint);
        let json = serde_json::to_value(&plan).unwrap();
        let orders = json["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table"] == "Orders")
            .unwrap();
        assert_eq!(orders["action"], "differs");
        assert_eq!(
            orders["steps"][0],
            serde_json::json!({
                "action": "create_gsi",
                "table": "Orders",
                "index": "GSI1",
                "deploy": "in_place",
                "description": "create GSI GSI1 on Orders"
            })
        );
        assert_eq!(orders["steps"][1]["from"], "NEW_IMAGE");
        let back: DeployPlan = serde_json::from_value(json).unwrap();
        assert_eq!(back, plan);
    }

    /// An index the endpoint has and the model does not.
    fn legacy_index() -> crate::model::schema::IndexSpec {
        crate::model::schema::IndexSpec {
            name: "Legacy".into(),
            partition_key: vec!["legacy_pk".into()],
            sort_key: vec![],
            projection: Projection::KeysOnly,
            provisioned: None,
        }
    }
}

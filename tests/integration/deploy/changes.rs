//! A design change applied to tables DynamoDB Local already has: the plan lists
//! the migration's steps, deploy takes those DynamoDB makes in place (a new GSI
//! backfilled from the items, time to live, streams, billing) and the ones that
//! delete something only with recreate — checking every table before it changes
//! any.

use std::time::Instant;

use aws_sdk_dynamodb::types::{IndexStatus, Select};
use dynamodel::analysis::{self, sample_items};
use dynamodel::deploy::plan::with_table_prefix;
use dynamodel::deploy::{Action, DeployPlan, StepMode, TableAction, TablePlan};
use dynamodel::model::{KeyAttribute, StreamView};

use super::*;

/// Items seeded per entity before the GSI is added.
const SEEDED: usize = 200;

fn table<'a>(model: &'a mut Model, name: &str) -> &'a mut Table {
    model.tables.iter_mut().find(|t| t.name == name).unwrap()
}

fn planned<'a>(plan: &'a DeployPlan, table: &str) -> &'a TablePlan {
    plan.tables
        .iter()
        .find(|t| t.table == table)
        .unwrap_or_else(|| panic!("{table} in {:?}", plan.summary()))
}

fn steps(plan: &TablePlan) -> Vec<(Action, StepMode)> {
    plan.steps
        .iter()
        .map(|s| (s.action.clone(), s.deploy))
        .collect()
}

/// The patterns the analysis serves from `table`'s index `index`.
fn patterns_on(model: &Model, table: &str, index: &str) -> Vec<String> {
    analysis::analyze(model)
        .resolutions
        .iter()
        .filter(|r| {
            r.plan
                .as_ref()
                .is_some_and(|p| &*p.table == table && p.index.as_deref() == Some(index))
        })
        .map(|r| r.pattern.to_string())
        .collect()
}

/// Entries in a GSI, counted with a paginated Scan (DescribeTable's ItemCount
/// may lag on DynamoDB Local); also whether the index is ACTIVE and done.
fn index_entries(endpoint: &str, table: &str, index: &str) -> (u64, bool) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = local_client(endpoint);
        let described = client.describe_table().table_name(table).send().await;
        let described = described.unwrap().table.unwrap();
        let gsi = described
            .global_secondary_indexes()
            .iter()
            .find(|g| g.index_name() == Some(index))
            .unwrap_or_else(|| panic!("{table} has no {index}: {described:?}"));
        let ready =
            gsi.index_status() == Some(&IndexStatus::Active) && gsi.backfilling() != Some(true);
        let mut count = 0;
        let mut start = None;
        loop {
            let page = client
                .scan()
                .table_name(table)
                .index_name(index)
                .select(Select::Count)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .unwrap();
            count += page.count() as u64;
            match page.last_evaluated_key {
                Some(key) if !key.is_empty() => start = Some(key),
                _ => break,
            }
        }
        (count, ready)
    })
}

#[test]
fn a_gsi_the_table_lacks_is_created_and_backfilled_from_the_items_that_carry_its_keys() {
    let full = model("ecommerce");
    let mut lacking = full.clone();
    table(&mut lacking, "Orders")
        .gsis
        .retain(|g| g.name != "GSI1");
    let target = local_target("newgsi");
    let orders = format!("{}Orders", target.table_prefix);
    let counts = SampleCounts::uniform(SEEDED);

    // The tables without Orders/GSI1, holding the items the full design writes
    // (the entities keep their GSI1PK and GSI1SK templates): orders already
    // carry the new index's keys.
    let first = complete(Job::Deploy { recreate: false }, &lacking, &target);
    assert_eq!(first.tables.unwrap().created.len(), 3);
    let seeded = complete(
        Job::Seed {
            counts: counts.clone(),
        },
        &full,
        &target,
    );
    let seed = seeded.seed.unwrap();
    assert_eq!(seed.items_written, seed.items_total);
    let samples = sample_items::generate(&with_table_prefix(&full, &target.table_prefix), &counts);
    let in_orders = samples.table_items(&orders).count() as u64;
    let carrying = samples
        .table_items(&orders)
        .filter(|(_, item)| item.contains_key("GSI1PK") && item.contains_key("GSI1SK"))
        .count() as u64;
    assert!(
        carrying > 0 && carrying < in_orders,
        "a sparse index: {carrying} of {in_orders}"
    );

    // Without the index the patterns it serves fail.
    let on_gsi1 = patterns_on(&full, "Orders", "GSI1");
    assert!(!on_gsi1.is_empty());
    let before = complete(Job::Verify, &full, &target).verify.unwrap();
    for id in &on_gsi1 {
        let result = before.result(id).unwrap();
        assert_eq!(result.outcome, PatternOutcome::Failed, "{result:?}");
    }

    // The plan: one step on Orders, taken in place; the other tables match.
    let plan = complete(Job::Plan, &full, &target).plan.unwrap();
    let orders_plan = planned(&plan, &orders);
    assert_eq!(
        steps(orders_plan),
        [(
            Action::CreateGsi {
                table: orders.clone(),
                index: "GSI1".into()
            },
            StepMode::InPlace
        )]
    );
    assert!(plan.needing_recreate().is_empty());
    assert_eq!(
        plan.tables
            .iter()
            .filter(|t| t.action == TableAction::Identical)
            .count(),
        2
    );
    assert!(
        plan.summary().contains(&format!(
            "  1. create GSI GSI1 on {orders} (deploy runs it)"
        )),
        "{:?}",
        plan.summary()
    );

    // `dynamodel deploy --plan` says the same, as text and as JSON.
    let plan_args = |format: &str| {
        cli(&[
            "deploy",
            "assets/models/ecommerce.dynamodel.json",
            "--endpoint",
            &target.endpoint,
            "--table-prefix",
            &target.table_prefix,
            "--plan",
            "--format",
            format,
        ])
    };
    let (code, out, err) = plan_args("text");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("table {orders} differs: GSI GSI1 (partition GSI1PK, sort GSI1SK) is missing on the endpoint\n    1. create GSI GSI1 on {orders} (deploy runs it)")),
        "{out}"
    );
    let (code, out, err) = plan_args("json");
    assert_eq!(code, 0, "{err}");
    let from_cli: DeployReport = serde_json::from_str(&out).unwrap();
    assert_eq!(from_cli.plan.as_ref(), Some(&plan));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let step = &json["plan"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == orders.as_str())
        .unwrap()["steps"][0];
    assert_eq!(step["action"], "create_gsi");
    assert_eq!(step["deploy"], "in_place");

    // Deploy without recreate creates it and waits for the backfill.
    let started = Instant::now();
    let (deployed, events) = run(Job::Deploy { recreate: false }, &full, &target);
    let wall = started.elapsed();
    let deployed = deployed.unwrap();
    assert_eq!(deployed.error, None, "{}", deployed.text());
    let tables = deployed.tables.as_ref().unwrap();
    assert_eq!(tables.updated, std::slice::from_ref(&orders));
    assert!(tables.created.is_empty() && tables.recreated.is_empty());
    assert_eq!(tables.unchanged.len(), 2);
    assert_eq!(tables.steps.len(), 1);
    assert_eq!(
        tables.steps[0].description,
        format!("create GSI GSI1 on {orders}")
    );
    let label = format!("Table {orders}: create GSI GSI1 on {orders}");
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Step { label: l, .. } if *l == label)),
        "{events:?}"
    );
    assert!(deployed.text().contains("1 updated"), "{}", deployed.text());

    let (entries, ready) = index_entries(&target.endpoint, &orders, "GSI1");
    assert!(ready, "the deploy returned before the index was ACTIVE");
    assert_eq!(entries, carrying, "every item with GSI1PK and GSI1SK");
    eprintln!(
        "create GSI1 on Orders and backfill {carrying} of {in_orders} items ({} seeded in all): \
         {:.0} ms in the step, {:.0} ms for the deploy job (wall {:.0} ms)",
        seed.items_written,
        tables.steps[0].elapsed_ms,
        deployed.elapsed_ms,
        wall.as_secs_f64() * 1000.0
    );

    // Every pattern the index serves now passes, and the tables match the model.
    let after = complete(Job::Verify, &full, &target).verify.unwrap();
    for id in &on_gsi1 {
        let result = after.result(id).unwrap();
        assert_eq!(result.outcome, PatternOutcome::Passed, "{result:?}");
        assert_eq!(result.index.as_deref(), Some("GSI1"), "{result:?}");
    }
    assert!(after.all_passed(), "{:?}", after.results);
    assert!(complete(Job::Plan, &full, &target).plan.unwrap().is_noop());
}

#[test]
fn a_changed_gsi_shows_in_the_plan_and_only_recreate_applies_it() {
    let model = model("ecommerce");
    let target = local_target("changed");
    complete(Job::Deploy { recreate: false }, &model, &target);
    let mut changed = model.clone();
    users_table(&mut changed).gsis[0].projection = Projection::KeysOnly;
    // A new table too, before it: deploy must not create it while another table
    // is refused.
    changed
        .tables
        .insert(0, Table::new("Audit", KeyAttribute::string("PK")));
    let users = format!("{}Users", target.table_prefix);
    let audit = format!("{}Audit", target.table_prefix);

    let plan = complete(Job::Plan, &changed, &target).plan.unwrap();
    let differing: Vec<_> = plan.differing().collect();
    assert_eq!(differing.len(), 1);
    assert_eq!(differing[0].table, users);
    assert_eq!(
        differing[0].action,
        TableAction::Differs {
            differences: vec![
                "GSI GSI1 projection: KEYS_ONLY in the model, ALL on the endpoint".into()
            ]
        }
    );
    // A new projection is a new index: deleted, then created again.
    let gsi1 = |action: fn(String, String) -> Action| action(users.clone(), "GSI1".into());
    assert_eq!(
        steps(differing[0]),
        [
            (
                gsi1(|table, index| Action::DeleteGsi { table, index }),
                StepMode::Recreate
            ),
            (
                gsi1(|table, index| Action::CreateGsi { table, index }),
                StepMode::Recreate
            ),
        ]
    );
    assert_eq!(planned(&plan, &audit).action, TableAction::Create);

    let (refused, _) = run(Job::Deploy { recreate: false }, &changed, &target);
    let refused = refused.unwrap();
    let error = refused
        .error
        .clone()
        .expect("a step that deletes stops the deploy");
    assert!(matches!(error, DeployError::TableDiffers { .. }));
    let text = error.to_string();
    assert!(
        text.contains(&format!("table {users} exists with another schema"))
            && text.contains("GSI GSI1 projection")
            && text.contains(&format!(
                "needs recreate to delete GSI GSI1 of {users}, then create GSI GSI1 on {users}"
            ))
            && text.contains("nothing was changed"),
        "{text}"
    );
    let tables = refused.tables.unwrap();
    assert!(
        tables.created.is_empty(),
        "checked before creating: {tables:?}"
    );
    assert_eq!(tables.unchanged.len(), 2);
    // Nothing changed: the same plan as before.
    assert_eq!(complete(Job::Plan, &changed, &target).plan.unwrap(), plan);

    let applied = complete(Job::Deploy { recreate: true }, &changed, &target);
    let tables = applied.tables.unwrap();
    assert_eq!(tables.created, [audit]);
    assert_eq!(tables.updated, std::slice::from_ref(&users));
    assert!(tables.recreated.is_empty(), "a GSI step keeps the table");
    let taken: Vec<_> = tables.steps.iter().map(|s| s.description.clone()).collect();
    assert_eq!(
        taken,
        [
            format!("delete GSI GSI1 of {users}"),
            format!("create GSI GSI1 on {users}")
        ]
    );
    assert!(
        complete(Job::Plan, &changed, &target)
            .plan
            .unwrap()
            .is_noop()
    );
}

#[test]
fn a_new_key_schema_rebuilds_the_table_with_recreate_only() {
    let model = model("ecommerce");
    let target = local_target("rekeyed");
    complete(Job::Deploy { recreate: false }, &model, &target);
    let mut rekeyed = model.clone();
    table(&mut rekeyed, "Orders").sort_key = None;
    let orders = format!("{}Orders", target.table_prefix);
    let plan = complete(Job::Plan, &rekeyed, &target).plan.unwrap();
    assert!(
        matches!(
            steps(planned(&plan, &orders)).as_slice(),
            [(Action::RebuildTable { .. }, StepMode::Recreate)]
        ),
        "{:?}",
        plan.summary()
    );
    let (refused, _) = run(Job::Deploy { recreate: false }, &rekeyed, &target);
    let error = refused.unwrap().error.unwrap();
    assert!(
        error
            .to_string()
            .contains(&format!("needs recreate to rebuild table {orders}")),
        "{error}"
    );
    let rebuilt = complete(Job::Deploy { recreate: true }, &rekeyed, &target);
    assert_eq!(rebuilt.tables.unwrap().recreated, [orders]);
    assert!(
        complete(Job::Plan, &rekeyed, &target)
            .plan
            .unwrap()
            .is_noop()
    );
}

#[test]
fn time_to_live_and_streams_are_deployed_compared_and_changed_in_place() {
    use dynamodel::model::{AttrType, Attribute, Generator, TimeToLive, TimestampFormat};
    let mut model = model("ecommerce");
    let users = users_table(&mut model);
    users.ttl = Some(TimeToLive {
        attribute: "expires_at".into(),
    });
    users.stream = Some(StreamView::NewAndOldImages);
    let cart = model
        .entities
        .iter_mut()
        .find(|e| e.name == "CartItem")
        .unwrap();
    let mut expires = Attribute::new("expires_at", AttrType::N);
    expires.generator = Some(Generator::Timestamp {
        from: "2030-01-01".into(),
        to: "2030-12-31".into(),
        format: TimestampFormat::EpochSeconds,
    });
    cart.attributes.push(expires);
    let target = local_target("ttl");
    let report = complete(all(2), &model, &target);
    assert!(report.verify.unwrap().all_passed());
    // Described back (DescribeTable + DescribeTimeToLive): identical, TTL and stream included.
    let plan = complete(Job::Plan, &model, &target).plan.unwrap();
    assert!(plan.is_noop(), "{:?}", plan.summary());
    let users_spec = &plan
        .tables
        .iter()
        .find(|t| t.table.ends_with("Users"))
        .unwrap()
        .spec;
    assert_eq!(users_spec.ttl.as_deref(), Some("expires_at"));
    // A model without time to live and with another stream view differs …
    let mut changed = model.clone();
    users_table(&mut changed).ttl = None;
    users_table(&mut changed).stream = Some(StreamView::KeysOnly);
    let plan = complete(Job::Plan, &changed, &target).plan.unwrap();
    let users = plan
        .tables
        .iter()
        .find(|t| t.table.ends_with("Users"))
        .unwrap();
    match &users.action {
        TableAction::Differs { differences } => assert_eq!(
            differences,
            &[
                "time to live: off in the model, on `expires_at` on the endpoint",
                "stream: KEYS_ONLY in the model, NEW_AND_OLD_IMAGES on the endpoint"
            ]
        ),
        other => panic!("{other:?}"),
    }
    assert!(
        users.steps.iter().all(|s| s.deploy == StepMode::InPlace),
        "{:?}",
        users.steps
    );
    // … and deploy changes both in place, keeping the items; then back again.
    for (design, steps_taken) in [(&changed, 2), (&model, 2)] {
        let deployed = complete(Job::Deploy { recreate: false }, design, &target);
        let tables = deployed.tables.unwrap();
        assert_eq!(tables.updated.len(), 1, "{tables:?}");
        assert_eq!(tables.steps.len(), steps_taken, "{tables:?}");
        let plan = complete(Job::Plan, design, &target).plan.unwrap();
        assert!(plan.is_noop(), "{:?}", plan.summary());
    }
    assert!(
        complete(Job::Verify, &model, &target)
            .verify
            .unwrap()
            .all_passed()
    );
}

#[test]
fn billing_and_gsi_capacity_change_in_place() {
    use dynamodel::model::Billing;
    let model = model("ecommerce");
    let target = local_target("billing");
    complete(Job::Deploy { recreate: false }, &model, &target);
    let mut provisioned = model.clone();
    table(&mut provisioned, "Orders").billing = Billing::Provisioned {
        read_capacity: 5,
        write_capacity: 3,
    };
    let orders = format!("{}Orders", target.table_prefix);
    let plan = complete(Job::Plan, &provisioned, &target).plan.unwrap();
    let kinds: Vec<String> = planned(&plan, &orders)
        .steps
        .iter()
        .map(|s| s.description.clone())
        .collect();
    assert_eq!(
        kinds,
        [
            format!("switch {orders} from on-demand to provisioned"),
            format!("update the capacity of GSI GSI1 of {orders}")
        ]
    );
    let mut bigger = provisioned.clone();
    table(&mut bigger, "Orders").gsis[0].provisioned =
        Some(dynamodel::model::ProvisionedThroughput {
            read_capacity: 7,
            write_capacity: 4,
        });
    for design in [&provisioned, &bigger, &model] {
        let deployed = complete(Job::Deploy { recreate: false }, design, &target);
        assert_eq!(
            deployed.tables.unwrap().updated,
            std::slice::from_ref(&orders)
        );
        let plan = complete(Job::Plan, design, &target).plan.unwrap();
        assert!(plan.is_noop(), "{:?}", plan.summary());
    }
}

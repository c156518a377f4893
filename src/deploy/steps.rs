//! The steps of a job, in order — plan, deploy, seed, verify — each filling in
//! its section of the report as it goes, so a step that stops part-way leaves
//! what it did on record.

use std::collections::BTreeMap;
use std::time::Instant;

use super::client::{self, Dynamo};
use super::plan::differences;
use super::{
    Cancel, DeployError, DeployPlan, DeployReport, Event, Job, SeedReport, StepMode, StepTaken,
    TableAction, TableDifferences, TablePlan, TableSpec, TablesReport, VerifyReport, millis, seed,
    verify,
};
use crate::analysis::{self, sample_items, sample_items::SampleCounts};
use crate::model::Model;

/// What every step works with.
pub struct Steps<'a> {
    pub model: &'a Model,
    pub dynamo: &'a Dynamo,
    pub on_event: &'a mut dyn FnMut(Event),
    pub cancel: &'a Cancel,
    pub report: &'a mut DeployReport,
}

impl Steps<'_> {
    /// Plans, then runs the job's steps.
    pub async fn run(mut self, job: Job) -> Result<(), DeployError> {
        let plan = self.plan().await?;
        self.report.plan = Some(plan.clone());
        (self.on_event)(Event::Planned(plan.clone()));
        match job {
            Job::Plan => Ok(()),
            Job::Deploy { recreate } => self.deploy(&plan, recreate).await,
            Job::Seed { counts } => {
                require_tables(&plan)?;
                self.seed(&counts).await
            }
            Job::Verify => {
                require_tables(&plan)?;
                self.verify(&SampleCounts::default()).await
            }
            Job::All { recreate, counts } => {
                self.deploy(&plan, recreate).await?;
                self.seed(&counts).await?;
                self.verify(&counts).await
            }
        }
    }

    fn step(&mut self, label: impl Into<String>, done: usize, total: usize) {
        (self.on_event)(Event::Step {
            label: label.into(),
            done: done as u64,
            total: total as u64,
        });
    }

    fn log(&mut self, line: String) {
        (self.on_event)(Event::Log(line));
    }

    /// Reads the endpoint's tables (ListTables, DescribeTable of those the model
    /// names) and compares them with the model's.
    async fn plan(&mut self) -> Result<DeployPlan, DeployError> {
        const LABEL: &str = "Reading the endpoint's tables";
        let total = self.model.tables.len();
        self.step(LABEL, 0, total);
        let names = self.dynamo.list_tables().await?;
        let mut existing = BTreeMap::new();
        for (done, table) in self.model.tables.iter().enumerate() {
            if names.contains(&table.name) {
                existing.insert(table.name.clone(), self.dynamo.describe(&table.name).await?);
            }
            self.step(LABEL, done + 1, total);
        }
        let wanted = self
            .model
            .tables
            .iter()
            .map(TableSpec::from_model)
            .collect();
        let plan = DeployPlan::new(wanted, &existing, &names);
        let count = |action: fn(&TableAction) -> bool| {
            plan.tables.iter().filter(|t| action(&t.action)).count()
        };
        self.log(format!(
            "Plan: {} to create, {} up to date, {} with another schema",
            count(|a| *a == TableAction::Create),
            count(|a| *a == TableAction::Identical),
            count(|a| matches!(a, TableAction::Differs { .. })),
        ));
        for t in plan.differing() {
            if let TableAction::Differs { differences } = &t.action {
                self.log(format!(
                    "Table {} differs: {}",
                    t.table,
                    differences.join("; ")
                ));
            }
            for (n, step) in t.steps.iter().enumerate() {
                self.log(format!("  {}. {}", n + 1, step.text()));
            }
        }
        Ok(plan)
    }

    /// Creates the missing tables and takes the steps of the differing ones.
    /// Every table is checked first: when one needs a step only recreate allows
    /// (and recreate was not given, or the endpoint is not local), nothing is
    /// changed at all.
    async fn deploy(&mut self, plan: &DeployPlan, recreate: bool) -> Result<(), DeployError> {
        let started = Instant::now();
        // `run` refuses recreate on any other endpoint; this says it again.
        let recreate = recreate && self.dynamo.local;
        let mut tables = TablesReport::default();
        if let Err(e) = check_every_table(plan, recreate, self.dynamo.local) {
            tables.unchanged = plan
                .tables
                .iter()
                .filter(|t| t.action == TableAction::Identical)
                .map(|t| t.table.clone())
                .collect();
            self.report.tables = Some(tables);
            return Err(e);
        }
        let total = plan.tables.len();
        for (done, t) in plan.tables.iter().enumerate() {
            // What is done so far stays on record if this table fails.
            tables.elapsed_ms = millis(started);
            self.report.tables = Some(tables.clone());
            if self.cancel.is_cancelled() {
                return Err(DeployError::Cancelled);
            }
            self.step(format!("Deploying table {}", t.table), done, total);
            match &t.action {
                TableAction::Identical => tables.unchanged.push(t.table.clone()),
                TableAction::Create => {
                    self.log(format!("Creating table {}", t.table));
                    self.dynamo.create(&t.spec).await?;
                    tables.created.push(t.table.clone());
                }
                // Only with recreate, checked above.
                TableAction::Differs { .. } if t.rebuilds() => {
                    self.log(format!("Recreating table {}", t.table));
                    self.dynamo.delete(&t.table).await?;
                    self.dynamo.create(&t.spec).await?;
                    tables.recreated.push(t.table.clone());
                }
                TableAction::Differs { .. } => {
                    self.update(t, &mut tables).await?;
                    tables.updated.push(t.table.clone());
                }
            }
        }
        tables.elapsed_ms = millis(started);
        self.report.tables = Some(tables);
        self.step("Tables deployed", total, total);
        Ok(())
    }

    /// Takes a differing table's steps in order, then reads the table again: it
    /// must now be the model's.
    async fn update(
        &mut self,
        t: &TablePlan,
        tables: &mut TablesReport,
    ) -> Result<(), DeployError> {
        let Some(have) = &t.endpoint else {
            return Err(DeployError::MissingTables {
                tables: vec![t.table.clone()],
            });
        };
        let total = t.steps.len();
        for (done, step) in t.steps.iter().enumerate() {
            if self.cancel.is_cancelled() {
                return Err(DeployError::Cancelled);
            }
            let label = format!("Table {}: {}", t.table, step.description);
            self.step(label, done, total);
            self.log(format!("Updating table {}: {}", t.table, step.description));
            let started = Instant::now();
            let outcome = self
                .dynamo
                .take_step(&step.action, &t.spec, have, self.cancel)
                .await;
            let elapsed_ms = millis(started);
            outcome?;
            self.log(format!("{} done in {elapsed_ms:.0} ms", step.description));
            tables.steps.push(StepTaken {
                table: t.table.clone(),
                description: step.description.clone(),
                elapsed_ms,
            });
            // A table that fails on a later step keeps the steps it took on record.
            self.report.tables = Some(tables.clone());
        }
        let now = self.dynamo.describe(&t.table).await?;
        let left = differences(&t.spec, &now);
        if left.is_empty() {
            Ok(())
        } else {
            Err(DeployError::StillDiffers {
                table: t.table.clone(),
                differences: left,
            })
        }
    }

    async fn seed(&mut self, counts: &SampleCounts) -> Result<(), DeployError> {
        let started = Instant::now();
        let mut samples = sample_items::generate(self.model, counts);
        // An entity of a table the model lacks has nowhere to go (the checks say so).
        samples
            .entities
            .retain(|e| self.model.table(&e.table).is_some());
        let seeded = self.report.seed.insert(SeedReport::default());
        let result = seed::seed(self.dynamo, &samples, self.on_event, self.cancel, seeded).await;
        seeded.elapsed_ms = millis(started);
        result
    }

    async fn verify(&mut self, counts: &SampleCounts) -> Result<(), DeployError> {
        let started = Instant::now();
        let analysis = analysis::analyze(self.model);
        let verified = self.report.verify.insert(VerifyReport::default());
        let result = verify::verify(
            self.dynamo,
            self.model,
            &analysis,
            counts,
            self.on_event,
            self.cancel,
            verified,
        )
        .await;
        verified.elapsed_ms = millis(started);
        result
    }
}

/// Every table against what the endpoint has, before any is changed: a table
/// with a step this deploy may not take (one that deletes, without recreate or
/// on a remote endpoint; one deploy never takes) stops it, and so does a table
/// whose CreateTable cannot be built. Nothing is changed when one fails, whatever
/// its place among the others.
fn check_every_table(plan: &DeployPlan, recreate: bool, local: bool) -> Result<(), DeployError> {
    if !recreate {
        let blocked = plan.needing_recreate();
        if !blocked.is_empty() {
            return Err(DeployError::TableDiffers {
                tables: blocked
                    .into_iter()
                    .map(|(t, steps)| TableDifferences {
                        table: t.table.clone(),
                        differences: match &t.action {
                            TableAction::Differs { differences } => differences.clone(),
                            _ => Vec::new(),
                        },
                        steps: steps.iter().map(|s| s.description.clone()).collect(),
                    })
                    .collect(),
                can_recreate: local,
            });
        }
    }
    for t in &plan.tables {
        // A rebuilt table is created afresh; otherwise deploy takes each step.
        if !t.rebuilds()
            && let Some(step) = t.steps.iter().find(|s| s.deploy == StepMode::NotRun)
        {
            return Err(DeployError::Rejected {
                operation: "deploy".into(),
                element: format!("table `{}`", t.table),
                message: format!(
                    "deploy does not take the step `{}` on an existing table; nothing was changed",
                    step.description
                ),
            });
        }
        if t.action == TableAction::Create || t.rebuilds() {
            client::check_create(&t.spec)?;
        }
    }
    Ok(())
}

/// Seeding and verifying need the tables: say which are missing.
fn require_tables(plan: &DeployPlan) -> Result<(), DeployError> {
    let missing: Vec<String> = plan.to_create().map(|t| t.table.clone()).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(DeployError::MissingTables { tables: missing })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::deploy::test_support::bundled;
    use crate::deploy::{Action, TableStep};

    /// The workshop model against an endpoint that has only its last table, with
    /// another sort key: the tables before it are to be created.
    fn last_rekeyed() -> DeployPlan {
        let wanted: Vec<TableSpec> = bundled("ecommerce")
            .tables
            .iter()
            .map(TableSpec::from_model)
            .collect();
        let mut have = wanted.last().unwrap().clone();
        have.sort_key = Some("elsewhere".into());
        let names = vec![have.name.clone()];
        let existing = BTreeMap::from([(have.name.clone(), have)]);
        DeployPlan::new(wanted, &existing, &names)
    }

    #[test]
    fn every_table_is_checked_before_any_is_changed() {
        let plan = last_rekeyed();
        assert_eq!(plan.to_create().count(), plan.tables.len() - 1);
        let last = plan.tables.last().unwrap().table.clone();
        let Err(DeployError::TableDiffers {
            tables,
            can_recreate,
        }) = check_every_table(&plan, false, true)
        else {
            panic!("a table that needs recreate stops the deploy")
        };
        assert!(can_recreate);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].table, last);
        assert_eq!(tables[0].steps.len(), 1);
        assert!(
            tables[0].steps[0].starts_with(&format!("rebuild table {last} (")),
            "{:?}",
            tables[0].steps
        );
        // With recreate the rebuild is taken.
        assert_eq!(check_every_table(&plan, true, true), Ok(()));
        // A step deploy never takes stops it too, recreate or not.
        let mut never = plan.clone();
        let first = &mut never.tables[0];
        first.action = TableAction::Differs {
            differences: vec!["items".into()],
        };
        first.steps = vec![TableStep {
            action: Action::DeleteItems {
                table: first.table.clone(),
                entity: "User".into(),
            },
            deploy: StepMode::NotRun,
            description: "delete items".into(),
        }];
        let error = check_every_table(&never, true, true).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("deploy does not take the step `delete items`"),
            "{error}"
        );
    }
}

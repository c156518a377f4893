//! What a deploy job did, kept with the open model, printed by the CLI and shown
//! in the markdown's Validation Results. Serializable; a job that failed part-way
//! still leaves one, with `error` set.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{DeployError, DeployPlan};
use crate::export::markdown::{LiveOutcome, LivePatternResult, LiveRun};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct DeployReport {
    /// "DynamoDB Local at http://localhost:8000".
    pub target: String,
    pub endpoint: String,
    /// Whether the endpoint is this machine.
    pub local: bool,
    /// What the endpoint had when the job started (every job plans first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<DeployPlan>,
    /// What deploying did to the tables; `None` when the job did not deploy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<TablesReport>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<SeedReport>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify: Option<VerifyReport>,
    /// Why the job stopped before its end; the sections above say how far it got.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<DeployError>,
    pub elapsed_ms: f64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct TablesReport {
    pub created: Vec<String>,
    /// Changed in place by their plan's steps (items kept).
    #[serde(default)]
    pub updated: Vec<String>,
    /// Deleted and created again (local endpoints, when asked).
    pub recreated: Vec<String>,
    pub unchanged: Vec<String>,
    /// The steps taken on existing tables, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepTaken>,
    pub elapsed_ms: f64,
}

/// One migration step deploy took on an existing table.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct StepTaken {
    pub table: String,
    /// `create GSI GSI1 on Orders`.
    pub description: String,
    /// From the request to DynamoDB saying it is done (a GSI's backfill included).
    pub elapsed_ms: f64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct SeedReport {
    /// Items per entity in model order: how many were generated, how many written.
    pub entities: Vec<EntitySeed>,
    pub items_total: u64,
    pub items_written: u64,
    /// BatchWriteItem requests sent, retries of unprocessed items included.
    pub requests: u64,
    /// Items DynamoDB returned unprocessed and that were sent again.
    pub retried_items: u64,
    pub elapsed_ms: f64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct EntitySeed {
    pub entity: String,
    pub table: String,
    pub items: u64,
    pub written: u64,
    /// Items left out because their primary key repeated another's.
    pub duplicate_keys: u64,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PatternOutcome {
    Passed,
    Failed,
    /// Served outside DynamoDB: nothing to run.
    Outside,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PatternResult {
    pub pattern: String,
    pub description: String,
    pub outcome: PatternOutcome,
    /// The operation sent, e.g. `Query` (`None` when nothing was sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    /// The request as sent: expression and bound values, or the key.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub request: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_returned: Option<u64>,
    /// Items returned per entity (`?`: fits no entity of the model).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub entities: BTreeMap<String, u64>,
    /// Capacity units the call consumed, as DynamoDB reported them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumed_capacity: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
    /// What was checked, or why the pattern failed (DynamoDB's own message included).
    pub detail: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct VerifyReport {
    /// One per access pattern, in model order.
    pub results: Vec<PatternResult>,
    pub elapsed_ms: f64,
}

impl VerifyReport {
    pub fn count(&self, outcome: PatternOutcome) -> usize {
        self.results.iter().filter(|r| r.outcome == outcome).count()
    }

    pub fn all_passed(&self) -> bool {
        self.count(PatternOutcome::Failed) == 0
    }

    pub fn result(&self, pattern: &str) -> Option<&PatternResult> {
        self.results.iter().find(|r| r.pattern == pattern)
    }
}

impl DeployReport {
    /// The last verification as the markdown's Validation Results take it;
    /// `None` when this job did not verify.
    pub fn to_live_run(&self) -> Option<LiveRun> {
        let verify = self.verify.as_ref()?;
        Some(LiveRun {
            target: self.target.clone(),
            results: verify
                .results
                .iter()
                .map(|r| LivePatternResult {
                    pattern: r.pattern.clone(),
                    outcome: match r.outcome {
                        PatternOutcome::Passed => LiveOutcome::Passed,
                        PatternOutcome::Failed => LiveOutcome::Failed,
                        PatternOutcome::Outside => LiveOutcome::Skipped,
                    },
                    items_returned: r.items_returned,
                    consumed_capacity: r.consumed_capacity,
                    latency_ms: r.latency_ms,
                    detail: r.detail.clone(),
                })
                .collect(),
        })
    }

    /// A later job's sections over this one's (the CLI runs deploy, then seed).
    pub fn merge(&mut self, later: DeployReport) {
        self.target = later.target;
        self.endpoint = later.endpoint;
        self.local = later.local;
        self.plan = self.plan.take().or(later.plan);
        self.tables = later.tables.or(self.tables.take());
        self.seed = later.seed.or(self.seed.take());
        self.verify = later.verify.or(self.verify.take());
        self.error = later.error.or(self.error.take());
        self.elapsed_ms += later.elapsed_ms;
    }

    /// Whether every step ran and every pattern verified passed (or was outside).
    pub fn succeeded(&self) -> bool {
        self.error.is_none() && self.verify.as_ref().is_none_or(VerifyReport::all_passed)
    }

    /// The report as text, one line per step and per pattern.
    pub fn text(&self) -> String {
        let mut out = vec![format!("Target: {}", self.target)];
        if let Some(plan) = &self.plan {
            out.push("Plan:".to_string());
            out.extend(plan.summary().into_iter().map(|l| format!("  {l}")));
            if !plan.other_tables.is_empty() {
                out.push(format!(
                    "  also on the endpoint (left alone): {}",
                    plan.other_tables.join(", ")
                ));
            }
        }
        if let Some(t) = &self.tables {
            out.push(format!(
                "Tables: {} created, {} updated, {} recreated, {} unchanged ({:.0} ms)",
                t.created.len(),
                t.updated.len(),
                t.recreated.len(),
                t.unchanged.len(),
                t.elapsed_ms
            ));
            for step in &t.steps {
                out.push(format!(
                    "  {} ({:.0} ms)",
                    step.description, step.elapsed_ms
                ));
            }
        }
        if let Some(s) = &self.seed {
            out.push(format!(
                "Seed: {} of {} items written in {} requests ({} retried) ({:.0} ms)",
                s.items_written, s.items_total, s.requests, s.retried_items, s.elapsed_ms
            ));
        }
        if let Some(v) = &self.verify {
            out.push(format!(
                "Verify: {} passed, {} failed, {} outside DynamoDB ({:.0} ms)",
                v.count(PatternOutcome::Passed),
                v.count(PatternOutcome::Failed),
                v.count(PatternOutcome::Outside),
                v.elapsed_ms
            ));
            for r in &v.results {
                let icon = match r.outcome {
                    PatternOutcome::Passed => "✔ passed",
                    PatternOutcome::Failed => "✘ FAILED",
                    PatternOutcome::Outside => "☁ outside",
                };
                let on = match (&r.call, &r.index, &r.table) {
                    (Some(call), Some(index), _) => format!("{call} {index}"),
                    (Some(call), None, Some(table)) => format!("{call} {table}"),
                    (Some(call), None, None) => call.clone(),
                    (None, ..) => String::new(),
                };
                let mut numbers = Vec::new();
                if let Some(c) = r.consumed_capacity {
                    numbers.push(format!("{c} CU"));
                }
                if let Some(ms) = r.latency_ms {
                    numbers.push(format!("{ms:.1} ms"));
                }
                out.push(format!(
                    "  {:<5} {:<10} {:<32} {:<18} {}",
                    r.pattern,
                    icon,
                    on,
                    numbers.join(", "),
                    r.detail
                ));
            }
        }
        if let Some(e) = &self.error {
            out.push(format!("Error: {e}"));
        }
        out.push(format!("Done in {:.0} ms", self.elapsed_ms));
        out.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(pattern: &str, outcome: PatternOutcome) -> PatternResult {
        PatternResult {
            pattern: pattern.into(),
            description: String::new(),
            outcome,
            call: Some("Query".into()),
            table: Some("Users".into()),
            index: None,
            request: String::new(),
            items_returned: Some(2),
            entities: BTreeMap::new(),
            consumed_capacity: Some(0.5),
            latency_ms: Some(1.25),
            detail: "returned 2 User".into(),
        }
    }

    #[test]
    fn a_verification_becomes_the_markdowns_live_run() {
        let mut report = DeployReport {
            target: "DynamoDB Local at http://localhost:8000".into(),
            ..DeployReport::default()
        };
        assert_eq!(report.to_live_run(), None);
        report.verify = Some(VerifyReport {
            results: vec![
                result("AP1", PatternOutcome::Passed),
                result("AP2", PatternOutcome::Outside),
                result("AP3", PatternOutcome::Failed),
            ],
            elapsed_ms: 3.0,
        });
        let run = report.to_live_run().unwrap();
        assert_eq!(run.target, report.target);
        let outcomes: Vec<_> = run.results.iter().map(|r| r.outcome).collect();
        assert_eq!(
            outcomes,
            [
                LiveOutcome::Passed,
                LiveOutcome::Skipped,
                LiveOutcome::Failed
            ]
        );
        assert_eq!(run.results[0].consumed_capacity, Some(0.5));
        assert!(!report.succeeded());
        assert!(report.text().contains("AP3   ✘ FAILED"));
    }

    #[test]
    fn reports_survive_json_and_merge_in_order() {
        let mut first = DeployReport {
            tables: Some(TablesReport {
                created: vec!["Users".into()],
                ..TablesReport::default()
            }),
            elapsed_ms: 2.0,
            ..DeployReport::default()
        };
        let later = DeployReport {
            seed: Some(SeedReport {
                items_total: 10,
                items_written: 10,
                ..SeedReport::default()
            }),
            error: Some(DeployError::Cancelled),
            elapsed_ms: 3.0,
            ..DeployReport::default()
        };
        first.merge(later);
        assert!(first.tables.is_some() && first.seed.is_some());
        assert_eq!(first.elapsed_ms, 5.0);
        let json = serde_json::to_string(&first).unwrap();
        let back: DeployReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, first);
    }
}

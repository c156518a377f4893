//! The deploy plan, pure: the CreateTable input each table of the model asks for,
//! compared with what the endpoint describes. No SDK types here — `client.rs`
//! translates both ways.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::changes::{Action, StepMode, TableStep};
pub use crate::export::schema::{IndexSpec, TableSpec, normalized};
use crate::model::{Billing, Model, Projection, ProvisionedThroughput};

/// Which element of a table a DynamoDB message is about: an index it names, else
/// the table.
pub fn element_in(spec: &TableSpec, message: &str) -> String {
    let named = |i: &&IndexSpec| {
        message
            .match_indices(i.name.as_str())
            .any(|(at, _)| whole_word(message, at, i.name.len()))
    };
    if let Some(g) = spec.gsis.iter().find(named) {
        return format!("GSI `{}` of table `{}`", g.name, spec.name);
    }
    if let Some(l) = spec.lsis.iter().find(named) {
        return format!("LSI `{}` of table `{}`", l.name, spec.name);
    }
    // DynamoDB often names the kind of index but not which one.
    let lower = message.to_ascii_lowercase().replace(' ', "");
    for (kind, words, indexes) in [
        ("GSI", "globalsecondaryind", &spec.gsis),
        ("LSI", "localsecondaryind", &spec.lsis),
    ] {
        if lower.contains(words) {
            let duplicate = indexes
                .iter()
                .enumerate()
                .find(|(i, x)| indexes[..*i].iter().any(|y| y.name == x.name));
            return match duplicate {
                Some((_, d)) => format!("{kind} `{}` of table `{}`", d.name, spec.name),
                None => format!("the {kind}s of table `{}`", spec.name),
            };
        }
    }
    format!("table `{}`", spec.name)
}

fn whole_word(text: &str, at: usize, len: usize) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    !text[..at].chars().next_back().is_some_and(word)
        && !text[at + len..].chars().next().is_some_and(word)
}

/// The model with `prefix` before every table name (and every reference to one).
pub fn with_table_prefix(model: &Model, prefix: &str) -> Model {
    let mut model = model.clone();
    if prefix.is_empty() {
        return model;
    }
    let renamed: Vec<String> = model.tables.iter().map(|t| t.name.clone()).collect();
    for table in &mut model.tables {
        table.name = format!("{prefix}{}", table.name);
    }
    for entity in &mut model.entities {
        entity.table = format!("{prefix}{}", entity.table);
    }
    for pattern in &mut model.access_patterns {
        if let Some(index) = &mut pattern.index
            && renamed.contains(index)
        {
            *index = format!("{prefix}{index}");
        }
    }
    model
}

/// What deploying would do to one table of the model.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum TableAction {
    /// The endpoint has no table of that name.
    Create,
    /// The endpoint's table has exactly the model's schema.
    Identical,
    /// The endpoint's table has another schema: the table's `steps` make it the
    /// model's (those that delete something only with recreate, local only).
    Differs { differences: Vec<String> },
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TablePlan {
    pub table: String,
    #[serde(flatten)]
    pub action: TableAction,
    /// What turns the endpoint's table into the model's, in order: `create table`
    /// for a new one, none for an identical one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<TableStep>,
    /// The schema the model asks for.
    pub spec: TableSpec,
    /// The schema the endpoint describes, when it has the table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<TableSpec>,
}

impl TablePlan {
    /// The steps deploy takes only when `recreate` is allowed (or never).
    pub fn needs_recreate(&self) -> impl Iterator<Item = &TableStep> {
        self.steps.iter().filter(|s| s.deploy != StepMode::InPlace)
    }

    /// Whether the table is built again (deleted and created) rather than changed.
    pub fn rebuilds(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s.action, Action::RebuildTable { .. }))
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct DeployPlan {
    /// One per table of the model, in model order.
    pub tables: Vec<TablePlan>,
    /// Tables on the endpoint the model does not have (left alone), sorted.
    pub other_tables: Vec<String>,
}

impl DeployPlan {
    /// Compares the model's tables with what the endpoint has: `existing` holds
    /// the described schema of every endpoint table the model names.
    pub fn new(
        wanted: Vec<TableSpec>,
        existing: &BTreeMap<String, TableSpec>,
        endpoint_tables: &[String],
    ) -> DeployPlan {
        let tables = wanted
            .into_iter()
            .map(|spec| {
                let have = existing.get(&spec.name);
                let action = match have {
                    None => TableAction::Create,
                    Some(have) => {
                        let differences = differences(&spec, have);
                        if differences.is_empty() {
                            TableAction::Identical
                        } else {
                            TableAction::Differs { differences }
                        }
                    }
                };
                let steps = match &action {
                    TableAction::Identical => Vec::new(),
                    TableAction::Create => super::changes::table_steps(None, &spec, &[]),
                    TableAction::Differs { differences } => {
                        super::changes::table_steps(have, &spec, differences)
                    }
                };
                TablePlan {
                    table: spec.name.clone(),
                    action,
                    steps,
                    spec,
                    endpoint: have.cloned(),
                }
            })
            .collect::<Vec<_>>();
        let mut other_tables: Vec<String> = endpoint_tables
            .iter()
            .filter(|n| !tables.iter().any(|t| &t.table == *n))
            .cloned()
            .collect();
        other_tables.sort();
        DeployPlan {
            tables,
            other_tables,
        }
    }

    /// Deploying would change nothing.
    pub fn is_noop(&self) -> bool {
        self.tables
            .iter()
            .all(|t| t.action == TableAction::Identical)
    }

    pub fn to_create(&self) -> impl Iterator<Item = &TablePlan> {
        self.tables
            .iter()
            .filter(|t| t.action == TableAction::Create)
    }

    pub fn differing(&self) -> impl Iterator<Item = &TablePlan> {
        self.tables
            .iter()
            .filter(|t| matches!(t.action, TableAction::Differs { .. }))
    }

    /// The differing tables with a step deploy takes only with recreate, each
    /// with those steps: deploy without recreate stops on them before it changes
    /// anything.
    pub fn needing_recreate(&self) -> Vec<(&TablePlan, Vec<&TableStep>)> {
        self.differing()
            .map(|t| (t, t.needs_recreate().collect::<Vec<_>>()))
            .filter(|(_, steps)| !steps.is_empty())
            .collect()
    }

    /// One line per table — `create table Users`, `table Users is up to date`,
    /// `table Orders differs: …` — and under a differing table one line per step
    /// with whether deploy runs it.
    pub fn summary(&self) -> Vec<String> {
        let mut out = Vec::new();
        for t in &self.tables {
            match &t.action {
                TableAction::Create => out.push(format!("create table {}", t.table)),
                TableAction::Identical => out.push(format!("table {} is up to date", t.table)),
                TableAction::Differs { differences } => {
                    out.push(format!(
                        "table {} differs: {}",
                        t.table,
                        differences.join("; ")
                    ));
                    for (n, step) in t.steps.iter().enumerate() {
                        out.push(format!("  {}. {}", n + 1, step.text()));
                    }
                }
            }
        }
        out
    }
}

/// How the endpoint's table differs from the model's, in words; empty when identical.
pub fn differences(want: &TableSpec, have: &TableSpec) -> Vec<String> {
    let mut out = Vec::new();
    let want_keys = keys_text(
        std::slice::from_ref(&want.partition_key),
        want.sort_key.as_slice(),
    );
    let have_keys = keys_text(
        std::slice::from_ref(&have.partition_key),
        have.sort_key.as_slice(),
    );
    if want_keys != have_keys {
        out.push(format!(
            "key schema: {want_keys} in the model, {have_keys} on the endpoint"
        ));
    }
    for a in &want.attributes {
        if let Some(b) = have.attributes.iter().find(|b| b.name == a.name)
            && b.key_type != a.key_type
        {
            out.push(format!(
                "attribute {}: type {} in the model, {} on the endpoint",
                a.name,
                a.key_type.as_str(),
                b.key_type.as_str()
            ));
        }
    }
    if want.billing != have.billing {
        out.push(format!(
            "billing: {} in the model, {} on the endpoint",
            billing_text(&want.billing),
            billing_text(&have.billing)
        ));
    }
    let provisioned = matches!(want.billing, Billing::Provisioned { .. });
    index_differences("GSI", &want.gsis, &have.gsis, provisioned, &mut out);
    index_differences("LSI", &want.lsis, &have.lsis, false, &mut out);
    if want.ttl != have.ttl {
        out.push(format!(
            "time to live: {} in the model, {} on the endpoint",
            ttl_text(want.ttl.as_deref()),
            ttl_text(have.ttl.as_deref())
        ));
    }
    if want.stream != have.stream {
        let text = |s: Option<crate::model::StreamView>| s.map_or("no stream", |v| v.as_str());
        out.push(format!(
            "stream: {} in the model, {} on the endpoint",
            text(want.stream),
            text(have.stream)
        ));
    }
    out
}

fn ttl_text(attribute: Option<&str>) -> String {
    attribute.map_or_else(|| "off".to_string(), |a| format!("on `{a}`"))
}

fn index_differences(
    kind: &str,
    want: &[IndexSpec],
    have: &[IndexSpec],
    compare_capacity: bool,
    out: &mut Vec<String>,
) {
    for w in want {
        let Some(h) = have.iter().find(|h| h.name == w.name) else {
            out.push(format!(
                "{kind} {} ({}) is missing on the endpoint",
                w.name,
                keys_text(&w.partition_key, &w.sort_key)
            ));
            continue;
        };
        let (wk, hk) = (
            keys_text(&w.partition_key, &w.sort_key),
            keys_text(&h.partition_key, &h.sort_key),
        );
        if wk != hk {
            out.push(format!(
                "{kind} {} keys: {wk} in the model, {hk} on the endpoint",
                w.name
            ));
        }
        if normalized(&w.projection) != normalized(&h.projection) {
            out.push(format!(
                "{kind} {} projection: {} in the model, {} on the endpoint",
                w.name,
                projection_text(&normalized(&w.projection)),
                projection_text(&normalized(&h.projection))
            ));
        }
        if compare_capacity && w.provisioned != h.provisioned {
            out.push(format!(
                "{kind} {} capacity: {} in the model, {} on the endpoint",
                w.name,
                capacity_text(w.provisioned),
                capacity_text(h.provisioned)
            ));
        }
    }
    for h in have {
        if !want.iter().any(|w| w.name == h.name) {
            out.push(format!(
                "{kind} {} ({}) is on the endpoint but not in the model",
                h.name,
                keys_text(&h.partition_key, &h.sort_key)
            ));
        }
    }
}

/// `partition PK, sort SK` (`partition A+B` for multi-attribute keys).
pub fn keys_text(partition: &[String], sort: &[String]) -> String {
    let mut text = format!("partition {}", partition.join("+"));
    if !sort.is_empty() {
        text.push_str(&format!(", sort {}", sort.join("+")));
    }
    text
}

pub fn billing_text(billing: &Billing) -> String {
    match billing {
        Billing::OnDemand => "on demand".to_string(),
        Billing::Provisioned {
            read_capacity,
            write_capacity,
        } => format!("provisioned ({read_capacity} RCU, {write_capacity} WCU)"),
    }
}

fn capacity_text(capacity: Option<ProvisionedThroughput>) -> String {
    match capacity {
        Some(c) => format!("{} RCU, {} WCU", c.read_capacity, c.write_capacity),
        None => "none".to_string(),
    }
}

pub fn projection_text(projection: &Projection) -> String {
    match projection {
        Projection::Include { attributes } => format!("INCLUDE {}", attributes.join(", ")),
        other => other.label().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Gsi, KeyAttribute, KeyType, Lsi, Table};

    fn users() -> Table {
        let mut t = Table::new("Users", KeyAttribute::string("PK"));
        t.sort_key = Some(KeyAttribute::string("SK"));
        t.gsis.push(Gsi {
            uid: Default::default(),
            name: "GSI1".into(),
            partition_key: vec![KeyAttribute::string("GSI1PK")],
            sort_key: vec![KeyAttribute::new("GSI1SK", KeyType::N)],
            projection: Projection::Include {
                attributes: vec!["b".into(), "a".into()],
            },
            provisioned: None,
        });
        t.lsis.push(Lsi {
            uid: Default::default(),
            name: "ByDate".into(),
            sort_key: KeyAttribute::string("created_at"),
            projection: Projection::KeysOnly,
        });
        t
    }

    #[test]
    fn the_create_input_defines_only_key_attributes() {
        let spec = TableSpec::from_model(&users());
        let names: Vec<_> = spec.attributes.iter().map(|a| a.name.as_str()).collect();
        // Schema order: the table's keys, then each index's.
        assert_eq!(names, ["PK", "SK", "GSI1PK", "GSI1SK", "created_at"]);
        assert_eq!(spec.attributes[3].key_type, KeyType::N);
        assert_eq!(spec.lsis[0].partition_key, ["PK"]);
        // INCLUDE keeps the model's order (comparisons sort it).
        assert_eq!(
            spec.gsis[0].projection,
            Projection::Include {
                attributes: vec!["b".into(), "a".into()]
            }
        );
        assert_eq!(spec.gsis[0].provisioned, None);
    }

    #[test]
    fn provisioned_gsis_inherit_the_table_capacity() {
        let mut t = users();
        t.billing = Billing::Provisioned {
            read_capacity: 5,
            write_capacity: 2,
        };
        let spec = TableSpec::from_model(&t);
        assert_eq!(
            spec.gsis[0].provisioned,
            Some(ProvisionedThroughput {
                read_capacity: 5,
                write_capacity: 2
            })
        );
    }

    #[test]
    fn identical_tables_have_no_differences() {
        let spec = TableSpec::from_model(&users());
        let mut described = spec.clone();
        // DynamoDB may list the INCLUDE attributes in any order.
        described.gsis[0].projection = Projection::Include {
            attributes: vec!["b".into(), "a".into()],
        };
        assert!(differences(&spec, &described).is_empty());
        let plan = DeployPlan::new(
            vec![spec.clone()],
            &BTreeMap::from([("Users".to_string(), described)]),
            &["Users".to_string(), "Audit".to_string()],
        );
        assert!(plan.is_noop());
        assert_eq!(plan.other_tables, ["Audit"]);
        assert_eq!(plan.summary(), ["table Users is up to date"]);
    }

    #[test]
    fn every_kind_of_difference_is_named() {
        let want = TableSpec::from_model(&users());
        let mut have = want.clone();
        have.sort_key = None;
        have.attributes[3].key_type = KeyType::S;
        have.billing = Billing::Provisioned {
            read_capacity: 1,
            write_capacity: 1,
        };
        have.gsis[0].projection = Projection::All;
        have.gsis[0].sort_key.clear();
        have.gsis.push(IndexSpec {
            name: "Old".into(),
            partition_key: vec!["x".into()],
            sort_key: vec![],
            projection: Projection::All,
            provisioned: None,
        });
        have.lsis.clear();
        let d = differences(&want, &have);
        assert_eq!(
            d,
            [
                "key schema: partition PK, sort SK in the model, partition PK on the endpoint",
                "attribute GSI1SK: type N in the model, S on the endpoint",
                "billing: on demand in the model, provisioned (1 RCU, 1 WCU) on the endpoint",
                "GSI GSI1 keys: partition GSI1PK, sort GSI1SK in the model, partition GSI1PK on the endpoint",
                "GSI GSI1 projection: INCLUDE a, b in the model, ALL on the endpoint",
                "GSI Old (partition x) is on the endpoint but not in the model",
                "LSI ByDate (partition PK, sort created_at) is missing on the endpoint",
            ]
        );
    }

    #[test]
    fn a_plan_sorts_tables_into_create_identical_and_differs() {
        let users = TableSpec::from_model(&users());
        let orders = TableSpec::from_model(&Table::new("Orders", KeyAttribute::string("PK")));
        let mut changed = users.clone();
        changed.gsis[0].projection = Projection::KeysOnly;
        let plan = DeployPlan::new(
            vec![users.clone(), orders],
            &BTreeMap::from([("Users".to_string(), changed)]),
            &["Users".to_string()],
        );
        assert!(!plan.is_noop());
        assert_eq!(
            plan.to_create().map(|t| &t.table).collect::<Vec<_>>(),
            ["Orders"]
        );
        let differing: Vec<_> = plan.differing().collect();
        assert_eq!(differing.len(), 1);
        assert_eq!(
            differing[0].action,
            TableAction::Differs {
                differences: vec![
                    "GSI GSI1 projection: INCLUDE a, b in the model, KEYS_ONLY on the endpoint"
                        .into()
                ]
            }
        );
    }

    #[test]
    fn messages_are_traced_to_the_index_they_name() {
        let spec = TableSpec::from_model(&users());
        assert_eq!(
            element_in(
                &spec,
                "One or more parameter values were invalid: GSI1 has a bad key"
            ),
            "GSI `GSI1` of table `Users`"
        );
        assert_eq!(
            element_in(&spec, "Index ByDate: invalid projection"),
            "LSI `ByDate` of table `Users`"
        );
        assert_eq!(
            element_in(&spec, "GSI12 is not GSI1X"),
            "table `Users`",
            "only whole names count"
        );
        assert_eq!(
            element_in(&spec, "Too many Global Secondary Indexes"),
            "the GSIs of table `Users`"
        );
        let mut twice = spec.clone();
        twice.gsis.push(twice.gsis[0].clone());
        assert_eq!(
            element_in(&twice, "Two global secondary indices have the same name"),
            "GSI `GSI1` of table `Users`"
        );
    }

    #[test]
    fn a_prefix_renames_tables_and_their_references() {
        let mut model = Model::new("m");
        model.tables.push(users());
        let mut e = crate::model::Entity::new("User", "Users");
        e.keys.insert("PK".into(), "{email}".into());
        model.entities.push(e);
        let mut p = crate::model::AccessPattern::new("AP1", "d", crate::model::Operation::Query);
        p.index = Some("Users".into());
        model.access_patterns.push(p);
        let renamed = with_table_prefix(&model, "t1-");
        assert_eq!(renamed.tables[0].name, "t1-Users");
        assert_eq!(renamed.entities[0].table, "t1-Users");
        assert_eq!(
            renamed.access_patterns[0].index.as_deref(),
            Some("t1-Users")
        );
        assert_eq!(with_table_prefix(&model, ""), model);
    }
}

//! What the change does: each access pattern's plan before and after, the
//! findings fixed and introduced, the cost, and the partitions that crossed a
//! limit.

use crate::analysis::fxhash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::Serialize;

use super::matching::Matching;
use crate::analysis::cost::{READ_PRICE_PER_MILLION, SECONDS_PER_MONTH, WRITE_PRICE_PER_MILLION};
use crate::analysis::{Analysis, Finding, Location, Resolution, Status};
use crate::model::{AccessPattern, Model, Uid};

/// How a pattern fares in the new design against the old.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Served by a key condition now; a filter, a scan or nothing before.
    NewlyServed,
    /// Still not served as asked, but closer (a scan became a filtered query).
    Improved,
    Cheaper,
    Same,
    Dearer,
    /// Served before, no longer.
    NoLongerServed,
    /// Further from served than before (a filtered query became a scan).
    Worse,
    Added,
    Removed,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::NewlyServed => "newly served",
            Verdict::Improved => "improved",
            Verdict::Cheaper => "cheaper",
            Verdict::Same => "same",
            Verdict::Dearer => "dearer",
            Verdict::NoLongerServed => "no longer served",
            Verdict::Worse => "worse",
            Verdict::Added => "added",
            Verdict::Removed => "removed",
        }
    }

    /// Better, worse or neither, for colouring.
    pub fn tone(self) -> Tone {
        match self {
            Verdict::NewlyServed | Verdict::Improved | Verdict::Cheaper => Tone::Better,
            Verdict::Dearer | Verdict::NoLongerServed | Verdict::Worse => Tone::Worse,
            Verdict::Same | Verdict::Added | Verdict::Removed => Tone::Neutral,
        }
    }

    pub const ALL: [Verdict; 9] = [
        Verdict::NewlyServed,
        Verdict::Improved,
        Verdict::Cheaper,
        Verdict::Same,
        Verdict::Dearer,
        Verdict::NoLongerServed,
        Verdict::Worse,
        Verdict::Added,
        Verdict::Removed,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Better,
    Neutral,
    Worse,
}

/// How one design runs a pattern.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PlanSummary {
    pub status: Status,
    /// `Query`, `GetItem`, `PutItem`… (a read's call, a write's operation).
    pub call: String,
    /// `Users/GSI1`; a write lists every index it updates.
    pub index: String,
    /// `PK = :email AND begins_with(SK, :sk)`, with a filter when one is needed;
    /// for a pattern not served, why.
    pub key_condition: String,
    /// Items read per call (reads).
    pub items_read: f64,
    pub read_units: f64,
    pub write_units: f64,
    /// Average requests a second times the units of one call, priced on demand
    /// over a 730-hour month.
    pub monthly_cost: f64,
}

impl PlanSummary {
    fn of(pattern: &AccessPattern, r: &Resolution) -> PlanSummary {
        let write_units: f64 = r.writes.iter().map(|w| w.write_units).sum();
        let (call, index, key_condition, items_read, read_units) = match (&r.plan, r.status) {
            (_, Status::Outside) => (
                "—".to_string(),
                "outside DynamoDB".to_string(),
                pattern.outside_dynamodb.clone().unwrap_or_default(),
                0.0,
                0.0,
            ),
            (_, Status::Write) => {
                let key = r
                    .plan
                    .as_ref()
                    .map_or_else(String::new, |p| p.key_condition.expression());
                (
                    pattern.operation.as_str().to_string(),
                    r.write_targets(),
                    key,
                    0.0,
                    0.0,
                )
            }
            (Some(plan), _) => {
                let mut condition = plan.key_condition.expression();
                if !plan.filters.is_empty() {
                    if !condition.is_empty() {
                        condition.push_str("; ");
                    }
                    condition.push_str(&format!("filter {}", plan.filters.join(", ")));
                }
                (
                    plan.call.as_str().to_string(),
                    plan.qualified_label(),
                    condition,
                    plan.items_read,
                    plan.read_units,
                )
            }
            (None, _) => (
                "—".to_string(),
                String::new(),
                r.problem.clone().unwrap_or_default(),
                0.0,
                0.0,
            ),
        };
        let per_call = per_call_cost(read_units, write_units);
        PlanSummary {
            status: r.status,
            call,
            index,
            key_condition,
            items_read,
            read_units,
            write_units,
            monthly_cost: pattern.average_rps.max(0.0) * per_call * SECONDS_PER_MONTH,
        }
    }

    /// The on-demand price of one call.
    pub fn per_call_cost(&self) -> f64 {
        per_call_cost(self.read_units, self.write_units)
    }

    fn runs_like(&self, other: &PlanSummary) -> bool {
        self.call == other.call
            && self.index == other.index
            && self.key_condition == other.key_condition
    }
}

fn per_call_cost(read_units: f64, write_units: f64) -> f64 {
    (read_units * READ_PRICE_PER_MILLION + write_units * WRITE_PRICE_PER_MILLION) / 1e6
}

/// How far a status is from served as asked: 0 served (or a write, or outside
/// DynamoDB), 1 needs a filter, 2 needs a scan, 3 unresolved.
fn distance(status: Status) -> u8 {
    match status {
        Status::Served | Status::Write | Status::Outside => 0,
        Status::NeedsFilter => 1,
        Status::NeedsScan => 2,
        Status::Unresolved => 3,
    }
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PatternChange {
    /// The pattern's id in the new design (the old one's when removed).
    pub id: String,
    /// The old id of a renumbered pattern.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_id: Option<String>,
    pub description: String,
    pub verdict: Verdict,
    pub before: Option<PlanSummary>,
    pub after: Option<PlanSummary>,
    /// Whether the call, index or key condition changed.
    pub plan_changed: bool,
    /// Changes to the pattern itself (rates, items, inputs, entities, pin).
    pub definition: Vec<String>,
    #[serde(skip)]
    pub target: Option<Uid>,
}

pub fn pattern_changes(
    old: &Model,
    old_analysis: &Analysis,
    new: &Model,
    new_analysis: &Analysis,
    matching: &Matching,
) -> Vec<PatternChange> {
    matching
        .patterns
        .iter()
        .map(|pair| {
            fn side<'a>(
                model: &'a Model,
                analysis: &Analysis,
                i: usize,
            ) -> (&'a AccessPattern, Option<PlanSummary>) {
                let p = &model.access_patterns[i];
                let summary = analysis
                    .resolution_at(i, &p.id)
                    .map(|r| PlanSummary::of(p, r));
                (p, summary)
            }
            let before = pair.old.map(|o| side(old, old_analysis, o));
            let after = pair.new.map(|n| side(new, new_analysis, n));
            let (id, old_id, description, target) = match (&before, &after) {
                (Some((a, _)), Some((b, _))) => (
                    b.id.clone(),
                    (a.id != b.id).then(|| a.id.clone()),
                    b.description.clone(),
                    Some(b.uid.get()),
                ),
                (None, Some((b, _))) => {
                    (b.id.clone(), None, b.description.clone(), Some(b.uid.get()))
                }
                (Some((a, _)), None) => (a.id.clone(), None, a.description.clone(), None),
                (None, None) => unreachable!("a pair has at least one side"),
            };
            let definition = match (&before, &after) {
                (Some((a, _)), Some((b, _))) => definition_changes(a, b),
                _ => Vec::new(),
            };
            let before_plan = before.and_then(|(_, s)| s);
            let after_plan = after.and_then(|(_, s)| s);
            let verdict = match (pair.old, pair.new, &before_plan, &after_plan) {
                (None, _, _, _) => Verdict::Added,
                (_, None, _, _) => Verdict::Removed,
                (_, _, Some(a), Some(b)) => verdict(a, b),
                _ => Verdict::Same,
            };
            let plan_changed = match (&before_plan, &after_plan) {
                (Some(a), Some(b)) => !a.runs_like(b),
                _ => false,
            };
            PatternChange {
                id,
                old_id,
                description,
                verdict,
                before: before_plan,
                after: after_plan,
                plan_changed,
                definition,
                target,
            }
        })
        .collect()
}

fn verdict(before: &PlanSummary, after: &PlanSummary) -> Verdict {
    let (a, b) = (distance(before.status), distance(after.status));
    if b < a {
        return if b == 0 {
            Verdict::NewlyServed
        } else {
            Verdict::Improved
        };
    }
    if b > a {
        return if a == 0 {
            Verdict::NoLongerServed
        } else {
            Verdict::Worse
        };
    }
    let (x, y) = (before.per_call_cost(), after.per_call_cost());
    let tolerance = 1e-9 * x.abs().max(y.abs());
    if y < x - tolerance {
        Verdict::Cheaper
    } else if y > x + tolerance {
        Verdict::Dearer
    } else {
        Verdict::Same
    }
}

fn definition_changes(a: &AccessPattern, b: &AccessPattern) -> Vec<String> {
    let mut out = Vec::new();
    let mut differ = |what: &str, x: String, y: String| {
        if x != y {
            out.push(format!("{what} {x} → {y}"));
        }
    };
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".into()
        } else {
            v.join(", ")
        }
    };
    differ(
        "operation",
        a.operation.as_str().into(),
        b.operation.as_str().into(),
    );
    differ("entities", list(&a.entities), list(&b.entities));
    differ("inputs", list(&a.inputs), list(&b.inputs));
    let range = |p: &AccessPattern| {
        p.range.as_ref().map_or_else(
            || "none".into(),
            |r| format!("{} {}", r.attribute, r.op.as_str()),
        )
    };
    differ("range", range(a), range(b));
    differ("items", a.items.to_string(), b.items.to_string());
    differ("peak RPS", a.peak_rps.to_string(), b.peak_rps.to_string());
    differ(
        "average RPS",
        a.average_rps.to_string(),
        b.average_rps.to_string(),
    );
    differ(
        "consistency",
        format!("{:?}", a.consistency).to_lowercase(),
        format!("{:?}", b.consistency).to_lowercase(),
    );
    let pin = |p: &AccessPattern| p.index.clone().unwrap_or_else(|| "none".into());
    differ("pinned index", pin(a), pin(b));
    let outside = |p: &AccessPattern| p.outside_dynamodb.clone().unwrap_or_else(|| "no".into());
    differ("outside DynamoDB", outside(a), outside(b));
    out
}

/// A finding as the comparison reports it.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct FindingRef {
    pub rule: &'static str,
    pub severity: crate::analysis::Severity,
    pub location: String,
    pub message: String,
}

impl FindingRef {
    fn of(f: &Finding) -> FindingRef {
        FindingRef {
            rule: f.rule,
            severity: f.severity,
            location: f.location.path(),
            message: f.message.clone(),
        }
    }
}

#[derive(Serialize, Clone, Debug, PartialEq, Default)]
pub struct FindingChanges {
    /// The old design's findings the new one no longer has.
    pub fixed: Vec<FindingRef>,
    /// The new design's findings the old one did not have.
    pub introduced: Vec<FindingRef>,
    /// Findings both have.
    pub unchanged: usize,
}

/// Old names → new names, for reading an old finding's location in the new design.
pub struct Renames {
    tables: HashMap<String, String>,
    indexes: HashMap<(String, String), (String, String)>,
    entities: HashMap<String, String>,
    patterns: HashMap<String, String>,
}

impl Renames {
    pub fn new(old: &Model, new: &Model, matching: &Matching) -> Self {
        let mut tables = HashMap::default();
        let mut indexes = HashMap::default();
        for (o, n) in matching.tables.iter().filter_map(|p| p.both()) {
            let (a, b) = (&old.tables[o], &new.tables[n]);
            tables.insert(a.name.clone(), b.name.clone());
            if let Some(pairs) = matching.indexes_of(o) {
                for (x, y) in pairs.gsis.iter().filter_map(|p| p.both()) {
                    indexes.insert(
                        (a.name.clone(), a.gsis[x].name.clone()),
                        (b.name.clone(), b.gsis[y].name.clone()),
                    );
                }
                for (x, y) in pairs.lsis.iter().filter_map(|p| p.both()) {
                    indexes.insert(
                        (a.name.clone(), a.lsis[x].name.clone()),
                        (b.name.clone(), b.lsis[y].name.clone()),
                    );
                }
            }
        }
        let entities = matching
            .entities
            .iter()
            .filter_map(|p| p.both())
            .map(|(o, n)| (old.entities[o].name.clone(), new.entities[n].name.clone()))
            .collect();
        let patterns = matching
            .patterns
            .iter()
            .filter_map(|p| p.both())
            .map(|(o, n)| {
                (
                    old.access_patterns[o].id.clone(),
                    new.access_patterns[n].id.clone(),
                )
            })
            .collect();
        Renames {
            tables,
            indexes,
            entities,
            patterns,
        }
    }

    pub fn table(&self, name: &str) -> String {
        self.tables
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }

    /// The new (table, index) of an old one; `index` `None` is the base table.
    pub fn index(&self, table: &str, index: Option<&str>) -> (String, Option<String>) {
        match index {
            None => (self.table(table), None),
            Some(i) => match self.indexes.get(&(table.to_string(), i.to_string())) {
                Some((t, i)) => (t.clone(), Some(i.clone())),
                None => (self.table(table), Some(i.to_string())),
            },
        }
    }

    fn entity(&self, name: &str) -> String {
        self.entities
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }

    fn location(&self, location: &Location) -> String {
        let moved = match location {
            Location::Model => return location.path(),
            Location::Table { table } => Location::table(&self.table(table)),
            Location::Index { table, index } => {
                let (t, i) = self.index(table, Some(index));
                Location::index(&t, &i.unwrap_or_default())
            }
            Location::Entity { entity } => Location::entity(&self.entity(entity)),
            Location::Attribute { entity, attribute } => {
                Location::attribute(&self.entity(entity), &**attribute)
            }
            Location::Template {
                entity,
                key_attribute,
            } => Location::template(&self.entity(entity), &**key_attribute),
            Location::Pattern { pattern } => Location::pattern(
                &self
                    .patterns
                    .get(&**pattern)
                    .cloned()
                    .unwrap_or_else(|| pattern.to_string()),
            ),
        };
        moved.path()
    }
}

/// Findings are the same when rule, place (read in the new design's names) and
/// message agree; then, for what is left, when rule and place agree (the message
/// quotes a figure or name that changed).
pub fn finding_changes(old: &Analysis, new: &Analysis, renames: &Renames) -> FindingChanges {
    let old_keys: Vec<(&str, String)> = old
        .findings
        .iter()
        .map(|f| (f.rule, renames.location(&f.location)))
        .collect();
    let new_keys: Vec<(&str, String)> = new
        .findings
        .iter()
        .map(|f| (f.rule, f.location.path()))
        .collect();
    let mut old_left = vec![true; old.findings.len()];
    let mut new_left = vec![true; new.findings.len()];
    let mut unchanged = 0;
    // Exact matches first.
    let mut exact: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::default();
    for (i, f) in new.findings.iter().enumerate().rev() {
        exact
            .entry((f.rule, new_keys[i].1.as_str(), f.message.as_str()))
            .or_default()
            .push(i);
    }
    for (i, f) in old.findings.iter().enumerate() {
        if let Some(j) = exact
            .get_mut(&(f.rule, old_keys[i].1.as_str(), f.message.as_str()))
            .and_then(Vec::pop)
        {
            old_left[i] = false;
            new_left[j] = false;
            unchanged += 1;
        }
    }
    let mut by_place: HashMap<(&str, &str), Vec<usize>> = HashMap::default();
    for i in (0..new.findings.len()).rev().filter(|&i| new_left[i]) {
        by_place
            .entry((new_keys[i].0, new_keys[i].1.as_str()))
            .or_default()
            .push(i);
    }
    for i in 0..old.findings.len() {
        if old_left[i]
            && let Some(j) = by_place
                .get_mut(&(old_keys[i].0, old_keys[i].1.as_str()))
                .and_then(Vec::pop)
        {
            old_left[i] = false;
            new_left[j] = false;
            unchanged += 1;
        }
    }
    FindingChanges {
        fixed: (0..old.findings.len())
            .filter(|&i| old_left[i])
            .map(|i| FindingRef::of(&old.findings[i]))
            .collect(),
        introduced: (0..new.findings.len())
            .filter(|&i| new_left[i])
            .map(|i| FindingRef::of(&new.findings[i]))
            .collect(),
        unchanged,
    }
}

/// Monthly cost of one index (or table, or everything) before and after.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct CostRow {
    /// `Orders/GSI1`, `Orders`, or the old label of something removed.
    pub label: String,
    pub table: String,
    /// `None` for the base table.
    pub index: Option<String>,
    pub before: Option<f64>,
    pub after: Option<f64>,
}

impl CostRow {
    pub fn delta(&self) -> f64 {
        self.after.unwrap_or(0.0) - self.before.unwrap_or(0.0)
    }
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct CostChanges {
    /// Each index of the new design (base tables included), then what only the
    /// old one had.
    pub rows: Vec<CostRow>,
    /// One per table, the same way.
    pub tables: Vec<CostRow>,
    /// Each design's own total.
    pub before: f64,
    pub after: f64,
}

impl CostChanges {
    pub fn delta(&self) -> f64 {
        self.after - self.before
    }
}

pub fn cost_changes(old: &Analysis, new: &Analysis, renames: &Renames) -> CostChanges {
    let mut rows: Vec<CostRow> = new
        .costs
        .rows
        .iter()
        .map(|r| CostRow {
            label: r.label(),
            table: r.table.clone(),
            index: r.index.clone(),
            before: None,
            after: Some(r.total()),
        })
        .collect();
    let position: HashMap<(String, Option<String>), usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.table.clone(), r.index.clone()), i))
        .collect();
    for r in &old.costs.rows {
        let key = renames.index(&r.table, r.index.as_deref());
        match position.get(&key) {
            Some(&i) => *rows[i].before.get_or_insert(0.0) += r.total(),
            None => rows.push(CostRow {
                label: r.label(),
                table: r.table.clone(),
                index: r.index.clone(),
                before: Some(r.total()),
                after: None,
            }),
        }
    }
    let mut tables: Vec<CostRow> = Vec::new();
    for r in &rows {
        let table = match (&r.after, &r.before) {
            (Some(_), _) => r.table.clone(),
            (None, _) => renames.table(&r.table),
        };
        let gone = r.after.is_none() && !new.costs.rows.iter().any(|n| n.table == table);
        let label = table.clone();
        let row = match tables
            .iter_mut()
            .find(|t| t.table == table && (t.after.is_none()) == gone)
        {
            Some(row) => row,
            None => {
                tables.push(CostRow {
                    label,
                    table,
                    index: None,
                    before: None,
                    after: None,
                });
                tables.last_mut().expect("just pushed")
            }
        };
        if let Some(b) = r.before {
            *row.before.get_or_insert(0.0) += b;
        }
        if let Some(a) = r.after {
            *row.after.get_or_insert(0.0) += a;
        }
    }
    CostChanges {
        rows,
        tables,
        before: old.costs.total(),
        after: new.costs.total(),
    }
}

/// A partition load that crossed DynamoDB's per-partition limit, either way.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PartitionChange {
    /// `Orders/GSI1` in the new design's names.
    pub index: String,
    /// The partition key's template: `{status}`.
    pub key: String,
    /// `read` or `write`.
    pub load: &'static str,
    /// Share of the limit one partition takes (1.0 is the limit).
    pub before: Option<f64>,
    pub after: Option<f64>,
}

impl PartitionChange {
    pub fn now_hot(&self) -> bool {
        self.after.is_some_and(|s| s >= 1.0)
    }
}

pub fn partition_changes(
    old: &Analysis,
    new: &Analysis,
    renames: &Renames,
) -> Vec<PartitionChange> {
    type Shares = (f64, f64);
    let mut before: HashMap<(String, String), Shares> = HashMap::default();
    for g in &old.partitions.groups {
        let (t, i) = renames.index(&g.table, g.index.as_deref());
        let label = i.map_or_else(|| t.clone(), |i| format!("{t}/{i}"));
        before.insert((label, g.key.clone()), (g.read_share(), g.write_share()));
    }
    let mut out = Vec::new();
    let mut seen: HashSet<(String, String)> = HashSet::default();
    for g in &new.partitions.groups {
        let key = (g.label(), g.key.clone());
        let old_shares = before.get(&key).copied();
        crossed(
            &mut out,
            &key,
            old_shares,
            Some((g.read_share(), g.write_share())),
        );
        seen.insert(key);
    }
    let mut gone: Vec<_> = before
        .into_iter()
        .filter(|(k, _)| !seen.contains(k))
        .collect();
    gone.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, shares) in gone {
        crossed(&mut out, &key, Some(shares), None);
    }
    out
}

fn crossed(
    out: &mut Vec<PartitionChange>,
    (index, key): &(String, String),
    before: Option<(f64, f64)>,
    after: Option<(f64, f64)>,
) {
    let hot = |s: Option<f64>| s.is_some_and(|s| s >= 1.0);
    for (load, pick) in [("read", 0usize), ("write", 1)] {
        let get = |s: Option<(f64, f64)>| s.map(|(r, w)| if pick == 0 { r } else { w });
        let (b, a) = (get(before), get(after));
        if hot(b) != hot(a) {
            out.push(PartitionChange {
                index: index.clone(),
                key: key.clone(),
                load,
                before: b,
                after: a,
            });
        }
    }
}

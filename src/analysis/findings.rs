//! Findings are data: every check returns the same structured, sorted list that the
//! GUI, the CLI, the exporters and the tests read.

use super::fxhash::FxHashMap as HashMap;

use serde::Serialize;

use std::borrow::Cow;
use std::cell::OnceCell;

use super::context::Context;
use super::{IntoName, Name};
use crate::model::Edit;

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The model element a finding is about.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, Hash)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Location {
    Model,
    Table {
        table: Name,
    },
    Index {
        table: Name,
        index: Name,
    },
    Entity {
        entity: Name,
    },
    Attribute {
        entity: Name,
        attribute: Name,
    },
    /// The template an entity writes into a key attribute.
    Template {
        entity: Name,
        key_attribute: Name,
    },
    Pattern {
        pattern: Name,
    },
}

impl Location {
    // Each takes a shared name (no copy) or text.
    pub fn table(table: impl IntoName) -> Self {
        Location::Table {
            table: table.into_name(),
        }
    }

    pub fn index(table: impl IntoName, index: impl IntoName) -> Self {
        Location::Index {
            table: table.into_name(),
            index: index.into_name(),
        }
    }

    pub fn entity(entity: impl IntoName) -> Self {
        Location::Entity {
            entity: entity.into_name(),
        }
    }

    pub fn attribute(entity: impl IntoName, attribute: impl IntoName) -> Self {
        Location::Attribute {
            entity: entity.into_name(),
            attribute: attribute.into_name(),
        }
    }

    pub fn template(entity: impl IntoName, key_attribute: impl IntoName) -> Self {
        Location::Template {
            entity: entity.into_name(),
            key_attribute: key_attribute.into_name(),
        }
    }

    pub fn pattern(pattern: impl IntoName) -> Self {
        Location::Pattern {
            pattern: pattern.into_name(),
        }
    }

    /// A short human path: `Users`, `Users/GSI1`, `User`, `User.email`, `User[PK]`, `AP3`.
    pub fn path(&self) -> String {
        match self {
            Location::Model => "model".to_string(),
            Location::Table { table } => format!("table {table}"),
            Location::Index { table, index } => format!("index {table}/{index}"),
            Location::Entity { entity } => format!("entity {entity}"),
            Location::Attribute { entity, attribute } => format!("attribute {entity}.{attribute}"),
            Location::Template {
                entity,
                key_attribute,
            } => format!("template {entity}[{key_attribute}]"),
            Location::Pattern { pattern } => format!("pattern {pattern}"),
        }
    }

    /// Orders locations as the model lists its elements: tables, entities, patterns.
    fn sort_key(&self, pos: &Positions) -> (u8, usize, usize, Option<Name>) {
        match self {
            Location::Model => (0, 0, 0, None),
            Location::Table { table } => (1, pos.table(table), 0, None),
            Location::Index { table, index } => (
                1,
                pos.table(table),
                pos.index(table, index).unwrap_or(usize::MAX),
                None,
            ),
            Location::Entity { entity } => (2, pos.entity(entity), 0, None),
            Location::Attribute { entity, attribute } => (
                2,
                pos.entity(entity),
                1 + pos.attribute(entity, attribute).unwrap_or(usize::MAX - 1),
                None,
            ),
            Location::Template {
                entity,
                key_attribute,
            } => (
                2,
                pos.entity(entity),
                usize::MAX,
                Some(key_attribute.clone()),
            ),
            Location::Pattern { pattern } => {
                (3, pos.pattern(pattern).unwrap_or(usize::MAX), 0, None)
            }
        }
    }
}

/// Where each named element stands in the model, for sorting. Tables and entities
/// come from the analysis context; the rest is indexed only when a finding needs it.
struct Positions<'a, 'm> {
    ctx: &'a Context<'m>,
    indexes: OnceCell<HashMap<(&'m str, &'m str), usize>>,
    attributes: OnceCell<HashMap<(&'m str, &'m str), usize>>,
    patterns: OnceCell<HashMap<&'m str, usize>>,
}

impl<'a, 'm> Positions<'a, 'm> {
    fn new(ctx: &'a Context<'m>) -> Self {
        Positions {
            ctx,
            indexes: OnceCell::new(),
            attributes: OnceCell::new(),
            patterns: OnceCell::new(),
        }
    }

    fn table(&self, name: &str) -> usize {
        self.ctx.table_index(name).unwrap_or(usize::MAX)
    }

    fn entity(&self, name: &str) -> usize {
        self.ctx.entity_index(name).unwrap_or(usize::MAX)
    }

    fn index(&self, table: &str, index: &str) -> Option<usize> {
        let model = self.ctx.model;
        self.indexes
            .get_or_init(|| {
                let mut map = HashMap::default();
                for t in &model.tables {
                    let names = t
                        .gsis
                        .iter()
                        .map(|g| g.name.as_str())
                        .chain(t.lsis.iter().map(|l| l.name.as_str()));
                    for (j, n) in names.enumerate() {
                        map.entry((t.name.as_str(), n)).or_insert(j + 1);
                    }
                }
                map
            })
            .get(&(table, index))
            .copied()
    }

    fn attribute(&self, entity: &str, attribute: &str) -> Option<usize> {
        let model = self.ctx.model;
        self.attributes
            .get_or_init(|| {
                let mut map = HashMap::default();
                for e in &model.entities {
                    for (j, a) in e.attributes.iter().enumerate() {
                        map.entry((e.name.as_str(), a.name.as_str())).or_insert(j);
                    }
                }
                map
            })
            .get(&(entity, attribute))
            .copied()
    }

    fn pattern(&self, id: &str) -> Option<usize> {
        let model = self.ctx.model;
        self.patterns
            .get_or_init(|| {
                let mut map = HashMap::default();
                map.reserve(model.access_patterns.len());
                for (i, ap) in model.access_patterns.iter().enumerate() {
                    map.entry(ap.id.as_str()).or_insert(i);
                }
                map
            })
            .get(id)
            .copied()
    }
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub location: Location,
    pub message: String,
    /// Most hints are fixed text: borrowed, not copied into every finding.
    pub hint: Cow<'static, str>,
    /// The mechanical remedy, where there is one (boxed: most findings have none).
    #[serde(skip)]
    pub fix: Option<Box<Fix>>,
}

/// A finding's remedy as edits of the model, applied as one undo step.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// What it does, for a button and for `dynamodel fix`: "Rename Users/EmailIndex to GSI1".
    pub label: String,
    /// One line per element it changes, for the preview: "User[PK]: `USER_{user_id}` becomes `{user_id}`".
    pub changes: Vec<String>,
    pub edit: Edit,
    /// `dynamodel fix` applies it unasked: it renames or rewrites, and cannot
    /// lose an index, an attribute or an item the model holds.
    pub safe: bool,
}

impl Finding {
    pub fn new(
        rule: &'static str,
        severity: Severity,
        location: Location,
        message: impl Into<String>,
        hint: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            rule,
            severity,
            location,
            message: message.into(),
            hint: hint.into(),
            fix: None,
        }
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(Box::new(fix));
        self
    }
}

/// What findings sort by: severity, where their element stands in the model, rule.
type SortKey = (Severity, (u8, usize, usize, Option<Name>), &'static str);

fn sort_key(finding: &Finding, positions: &Positions) -> SortKey {
    (
        finding.severity,
        finding.location.sort_key(positions),
        finding.rule,
    )
}

/// Sorts findings by severity, then by where their element stands in the model, then by rule.
pub fn sort_findings(findings: &mut [Finding], ctx: &Context) {
    let positions = Positions::new(ctx);
    // Stable: findings of one rule on one element keep the order the rule gave them.
    findings.sort_by_cached_key(|f| sort_key(f, &positions));
}

/// Findings sorted as `sort_findings` sorts them, each with its key, ready for
/// `merge_sorted`: two threads can each sort the findings they made.
pub struct SortedFindings(Vec<(SortKey, Finding)>);

pub fn sorted_with_keys(findings: Vec<Finding>, ctx: &Context) -> SortedFindings {
    let positions = Positions::new(ctx);
    let mut keyed: Vec<(SortKey, Finding)> = findings
        .into_iter()
        .map(|f| (sort_key(&f, &positions), f))
        .collect();
    // Stable, as in `sort_findings`.
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    SortedFindings(keyed)
}

/// Merges two sorted lists into the order `sort_findings` gives `first` followed by
/// `second`: on equal keys, `first` comes first.
pub fn merge_sorted(first: SortedFindings, second: SortedFindings) -> Vec<Finding> {
    let mut out = Vec::with_capacity(first.0.len() + second.0.len());
    let mut a = first.0.into_iter().peekable();
    let mut b = second.0.into_iter().peekable();
    loop {
        let take_first = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.0 <= y.0,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        let next = if take_first { a.next() } else { b.next() };
        out.extend(next.map(|(_, f)| f));
    }
    out
}

/// Counts of findings by severity.
#[derive(Serialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Self {
        let mut c = Counts::default();
        for f in findings {
            match f.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

//! The design checks: one rule family per file. Each rule pushes structured
//! findings; `RULES` lists every rule id with its family and what it looks for.

mod consolidation;
mod conventions;
mod coverage;
mod gsi;
mod integrity;
mod limits;
mod partition;
mod sort_keys;
mod ttl;

use super::context::Context;
use super::findings::{Finding, Location, Severity};
use super::partitions::PartitionReport;
use super::resolve::Resolution;
use super::{IndexUsage, Name};
use crate::model::{AccessPattern, IndexView};

/// What every rule family reads.
pub struct Input<'a, 'm> {
    pub ctx: &'a Context<'m>,
    pub resolutions: &'a [Resolution],
}

/// One access pattern, as the rules that look at patterns one by one read it.
#[derive(Clone, Copy)]
pub struct PatternInput<'a> {
    /// Position in the model.
    pub position: usize,
    pub pattern: &'a AccessPattern,
    pub resolution: &'a Resolution,
    /// The pattern's id, shared.
    pub id: &'a Name,
}

/// A rule's id, family and one-line purpose, for help texts and documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: &'static str,
    pub family: &'static str,
    pub summary: &'static str,
}

macro_rules! rules {
    ($($id:literal, $family:literal, $summary:literal;)*) => {
        pub const RULES: &[RuleInfo] = &[$(RuleInfo { id: $id, family: $family, summary: $summary }),*];
    };
}

rules! {
    "model.duplicate-name", "Model", "Two tables, indexes, entities, attributes or patterns share a name";
    "model.unknown-table", "Model", "An entity is stored in a table that does not exist";
    "model.missing-key", "Model", "An entity writes no template for its table's partition or sort key";
    "model.template-syntax", "Model", "A key template does not parse";
    "model.unknown-attribute", "Model", "A key template names an attribute the entity does not have";
    "model.unknown-key-attribute", "Model", "An entity writes a key attribute its table has no index for";
    "model.unknown-entity", "Model", "An access pattern names an entity that does not exist";
    "model.unknown-input", "Model", "An access pattern's input is no attribute of its entities";
    "limits.name", "Hard limits", "Table and index names: 3-255 characters of A-Z a-z 0-9 _ . -";
    "limits.gsi-count", "Hard limits", "At most 20 GSIs per table";
    "limits.lsi-count", "Hard limits", "At most 5 LSIs per table";
    "limits.projected-attributes", "Hard limits", "At most 100 INCLUDE-projected attributes per table";
    "limits.key-type", "Hard limits", "Key attributes are S, N or B, and an N key holds only a number";
    "limits.key-type-conflict", "Hard limits", "One attribute name with two types among a table's keys";
    "limits.item-size", "Hard limits", "Items up to 400 KB (warning past 100 KB)";
    "limits.key-size", "Hard limits", "Partition key values up to 2,048 bytes, sort key values up to 1,024";
    "limits.lsi-without-sort-key", "Hard limits", "An LSI needs a table with a sort key";
    "limits.multi-attribute-key", "Hard limits", "GSI keys have 1-4 partition and 0-4 sort attributes";
    "limits.attribute-name", "Hard limits", "Attribute names are 1 to 65,535 bytes";
    "conventions.entity-prefix", "Conventions", "No entity prefix such as USER# or PROD_ on partition-key values";
    "conventions.gsi-naming", "Conventions", "GSIs named GSI1, GSI2, ... without gaps";
    "conventions.expected-table", "Conventions", "Every table the conventions expect exists";
    "conventions.expected-gsi", "Conventions", "Every GSI the conventions expect exists";
    "coverage.no-entity", "Coverage", "An access pattern names no entity";
    "coverage.scan", "Coverage", "An access pattern needs a Scan";
    "coverage.filter", "Coverage", "An access pattern reads more than it returns and filters the rest";
    "coverage.pinned-index", "Coverage", "The index a pattern is pinned to cannot serve it";
    "coverage.write-key", "Coverage", "An update or delete does not know the full primary key";
    "coverage.get-as-query", "Coverage", "A GetItem pattern that only a Query can serve";
    "coverage.items-estimate", "Coverage", "A read returns more items than the model's estimates put under its key condition";
    "gsi.unused", "GSI optimisation", "A GSI that serves no access pattern";
    "gsi.duplicate", "GSI optimisation", "Two GSIs with the same key schema";
    "gsi.redundant", "GSI optimisation", "A GSI whose patterns the base table already serves";
    "partition.hot", "Partitions", "Load on one partition past half of 3,000 RCU / 1,000 WCU";
    "partition.constant-key", "Partitions", "Every item of an entity in one partition";
    "partition.low-cardinality", "Partitions", "A partition key with few distinct values over many items";
    "sort-key.range-attribute", "Sort keys", "A range condition on an attribute that is not the sort key's next placeholder";
    "sort-key.number-width", "Sort keys", "A number in a string sort key without fixed width";
    "sort-key.date-format", "Sort keys", "A date in a sort key that is not ISO-8601";
    "consolidation.item-collection", "Consolidation", "A pattern reads entities from different tables or partitions";
    "ttl.attribute", "Time to live", "Time to live is on but names no attribute";
    "ttl.not-a-number", "Time to live", "The time-to-live attribute is not a Number of epoch seconds, so items never expire";
    "ttl.unused", "Time to live", "No entity of the table carries its time-to-live attribute";
}

/// The rule families that read the model and the resolutions only: they can run
/// while index usage and partition load are still being worked out.
pub fn run_on_resolutions(input: &Input, out: &mut Vec<Finding>) {
    integrity::check(input, out);
    limits::check(input, out);
    if input.ctx.model.profile == crate::model::Profile::Workshop {
        conventions::check_workshop(input, out);
    }
    conventions::check_expected(input, out);
    sort_keys::check(input, out);
    ttl::check(input, out);
    // The rules that look at one pattern at a time share one pass: on a large model
    // the patterns and resolutions do not stay in the cache from one pass to the next.
    let ctx = input.ctx;
    for (position, ((pattern, resolution), id)) in ctx
        .model
        .access_patterns
        .iter()
        .zip(input.resolutions)
        .zip(&ctx.pattern_ids)
        .enumerate()
    {
        let at = PatternInput {
            position,
            pattern,
            resolution,
            id,
        };
        integrity::check_pattern(input, at, out);
        coverage::check_pattern(input, at, out);
        sort_keys::check_pattern(input, at, out);
        consolidation::check_pattern(input, at, out);
    }
    debug_assert_known_rules(out);
}

/// The rule families that read index usage and partition load too.
pub fn run_on_load(
    input: &Input,
    usage: &[IndexUsage],
    partitions: &PartitionReport,
    out: &mut Vec<Finding>,
) {
    gsi::check(input, usage, out);
    partition::check(input, partitions, out);
    debug_assert_known_rules(out);
}

fn debug_assert_known_rules(out: &[Finding]) {
    debug_assert!(
        out.iter().all(|f| RULES.iter().any(|r| r.id == f.rule)),
        "a finding names a rule missing from RULES"
    );
}

fn finding(
    rule: &'static str,
    severity: Severity,
    location: Location,
    message: impl Into<String>,
    hint: impl Into<std::borrow::Cow<'static, str>>,
) -> Finding {
    Finding::new(rule, severity, location, message, hint)
}

/// `1,234,567` for readable counts in messages (written straight into the message).
pub(crate) fn thousands(value: f64) -> Thousands {
    Thousands(value)
}

#[derive(Clone, Copy)]
pub(crate) struct Thousands(f64);

impl std::fmt::Display for Thousands {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.write(&mut [0u8; 32], true))
    }
}

impl Thousands {
    /// Writes the number, with or without separators, into the end of `buf` and
    /// returns it as text.
    fn write(self, buf: &mut [u8; 32], separators: bool) -> &str {
        let rounded = self.0.round();
        let mut n = rounded.abs().min(u64::MAX as f64) as u64;
        // 20 digits, 6 separators and a sign at most, written from the right.
        let mut at = buf.len();
        let mut digits = 0;
        loop {
            if separators && digits > 0 && digits % 3 == 0 {
                at -= 1;
                buf[at] = b',';
            }
            at -= 1;
            buf[at] = b'0' + (n % 10) as u8;
            n /= 10;
            digits += 1;
            if n == 0 {
                break;
            }
        }
        if rounded < 0.0 {
            at -= 1;
            buf[at] = b'-';
        }
        // Only ASCII digits, commas and a minus sign were written.
        std::str::from_utf8(&buf[at..]).unwrap_or_default()
    }
}

/// A finding's message, put together piece by piece: on a large model thousands
/// of findings are written on every check, and `format!` costs several times more.
pub(crate) struct Message(String);

impl Message {
    pub(crate) fn new() -> Self {
        Message(String::with_capacity(160))
    }

    /// Appends text.
    pub(crate) fn s(mut self, text: &str) -> Self {
        self.0.push_str(text);
        self
    }

    /// Appends a count as `thousands` writes it.
    pub(crate) fn n(mut self, value: f64) -> Self {
        self.0
            .push_str(Thousands(value).write(&mut [0u8; 32], true));
        self
    }

    /// Appends a whole number without separators, as `{}` writes it.
    pub(crate) fn u(mut self, value: u32) -> Self {
        self.0
            .push_str(Thousands(f64::from(value)).write(&mut [0u8; 32], false));
        self
    }
}

impl From<Message> for String {
    fn from(m: Message) -> String {
        m.0
    }
}

#[cfg(test)]
mod tests;

/// An index as findings name it, with its table (several tables have a GSI1):
/// `Orders/GSI1`, or `Orders` for the base table.
fn index_label(view: &IndexView) -> String {
    match view.name {
        Some(name) => format!("{}/{name}", view.table.name),
        None => view.table.name.clone(),
    }
}

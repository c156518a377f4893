//! Access-pattern resolution: which index serves each pattern, and with what key
//! condition, exactly as DynamoDB would be asked.

use serde::Serialize;

use super::Name;
use super::context::Context;
use crate::model::template::segments_text;
use crate::model::{AccessPattern, Consistency, IndexKind, Operation, RangeOp, Segment, Template};

/// DynamoDB reads in 4 KB units and writes in 1 KB units.
pub const READ_UNIT_BYTES: f64 = 4096.0;
pub const WRITE_UNIT_BYTES: f64 = 1024.0;

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A key condition selects exactly what the pattern asks for.
    Served,
    /// The key condition reads more than the pattern returns; a filter drops the rest.
    NeedsFilter,
    /// No index has the partition key bound: the pattern scans.
    NeedsScan,
    /// Served by something other than DynamoDB.
    Outside,
    /// A write; `writes` lists the indexes it updates.
    Write,
    /// The pattern cannot be resolved (unknown entity, pinned index that cannot serve it).
    Unresolved,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Served => "served",
            Status::NeedsFilter => "needs filter",
            Status::NeedsScan => "needs scan",
            Status::Outside => "outside DynamoDB",
            Status::Write => "write",
            Status::Unresolved => "unresolved",
        }
    }
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOp {
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "BETWEEN")]
    Between,
    #[serde(rename = "begins_with")]
    BeginsWith,
}

impl KeyOp {
    /// The condition on `attribute` as DynamoDB writes it, with `first` (and for
    /// BETWEEN `second`) as the values: placeholders or concrete sample values.
    pub fn condition(self, attribute: &str, first: &str, second: &str) -> String {
        match self {
            KeyOp::Eq => format!("{attribute} = {first}"),
            KeyOp::Lt => format!("{attribute} < {first}"),
            KeyOp::Le => format!("{attribute} <= {first}"),
            KeyOp::Gt => format!("{attribute} > {first}"),
            KeyOp::Ge => format!("{attribute} >= {first}"),
            KeyOp::Between => format!("{attribute} BETWEEN {first} AND {second}"),
            KeyOp::BeginsWith => format!("begins_with({attribute}, {first})"),
        }
    }
}

/// A named value of a key condition, as a template over the pattern's inputs
/// (`{email}`, `CART#`, `ORDER#{created_at}`), so a caller can bind it to real values.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct KeyValue {
    pub name: String,
    pub template: String,
}

/// The one or two values of a key-condition part (two for BETWEEN), kept inline:
/// thousands of plans need no list of their own. Reads as a slice; serialises as a list.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct KeyValues {
    items: [KeyValue; 2],
    len: u8,
}

impl KeyValues {
    pub fn one(value: KeyValue) -> Self {
        KeyValues {
            items: [value, KeyValue::default()],
            len: 1,
        }
    }

    pub fn two(first: KeyValue, second: KeyValue) -> Self {
        KeyValues {
            items: [first, second],
            len: 2,
        }
    }
}

impl std::ops::Deref for KeyValues {
    type Target = [KeyValue];

    fn deref(&self) -> &[KeyValue] {
        &self.items[..usize::from(self.len)]
    }
}

impl<'a> IntoIterator for &'a KeyValues {
    type Item = &'a KeyValue;
    type IntoIter = std::slice::Iter<'a, KeyValue>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl Serialize for KeyValues {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct KeyPart {
    pub attribute: Name,
    pub op: KeyOp,
    pub values: KeyValues,
}

impl KeyPart {
    fn expression(&self) -> String {
        let a = &self.attribute;
        let v = |i: usize| self.values.get(i).map(|v| v.name.as_str()).unwrap_or("?");
        self.op.condition(a, v(0), v(1))
    }
}

/// A key condition: equality on every partition-key attribute, then at most the
/// sort-key parts DynamoDB allows.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct KeyCondition {
    pub parts: Vec<KeyPart>,
}

impl KeyCondition {
    /// `PK = :email AND begins_with(SK, :sk)`
    pub fn expression(&self) -> String {
        self.parts
            .iter()
            .map(KeyPart::expression)
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// `:email = {email}, :sk = "CART#"`: each value's template; literal-only values quoted.
    pub fn values_text(&self) -> String {
        self.values()
            .map(|v| format!("{} = {}", v.name, display_template(&v.template)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn values(&self) -> impl Iterator<Item = &KeyValue> {
        self.parts.iter().flat_map(|p| p.values.iter())
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// Shows a value template: a pure literal in quotes (with invisible characters
/// escaped), anything with placeholders as it is. An upper bound that ends in the
/// highest character (what a range "up to and including every key that starts
/// with R" needs) is shown as R followed by `…`: no escape sequence, and the two
/// ends of a BETWEEN stay apart (`R` and `R…`).
pub fn display_template(template: &str) -> String {
    let (body, open_ended) = match template.strip_suffix(AFTER) {
        Some(body) => (body, true),
        None => (template, false),
    };
    let escaped: String = body
        .chars()
        .map(|c| {
            if c.is_control() || c == AFTER {
                format!("\\u{{{:X}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect();
    let mut shown = if body.contains('{') && !body.contains("{{") {
        escaped
    } else {
        format!("\"{escaped}\"")
    };
    if open_ended {
        shown.push_str("… (and every key that starts with it)");
    }
    shown
}

/// One way to run a read pattern: an index, a call and its key condition.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Plan {
    pub table: Name,
    /// The GSI/LSI name; `None` for the base table.
    pub index: Option<Name>,
    pub kind: IndexKind,
    #[serde(skip)]
    pub table_pos: usize,
    /// Position of the index in the table's index list (0 = base table).
    #[serde(skip)]
    pub index_pos: usize,
    pub call: Operation,
    pub key_condition: KeyCondition,
    /// Attributes a filter expression must test (entity type included when the
    /// key condition cannot tell entities apart).
    pub filters: Vec<String>,
    /// Whether the key condition returns only the pattern's entities.
    pub selective: bool,
    /// Estimated items read per call: never fewer than the pattern returns.
    pub items_read: f64,
    /// Items of the pattern's own entities that the key condition's partition holds,
    /// by the model's estimates (item counts over distinct values), before any page
    /// limit. Fewer than the pattern returns means the estimates contradict it.
    pub partition_items: f64,
    /// Read capacity units consumed per call.
    pub read_units: f64,
}

impl Plan {
    /// The index name as DynamoDB names it, or the table name for the base table.
    pub fn index_label(&self) -> &str {
        self.index.as_deref().unwrap_or(&self.table)
    }

    /// The index with its table, as people read it when several tables have a
    /// GSI1: `Orders/GSI1`, or `Orders` for the base table.
    pub fn qualified_label(&self) -> String {
        match &self.index {
            Some(index) => format!("{}/{index}", self.table),
            None => self.table.to_string(),
        }
    }

    /// How many items the call reads for each item the pattern keeps.
    pub fn amplification(&self, returned: u32) -> f64 {
        self.items_read / f64::from(returned.max(1))
    }

    pub fn needs_filter(&self) -> bool {
        !self.filters.is_empty() || !self.selective
    }

    fn status(&self) -> Status {
        if self.call == Operation::Scan {
            Status::NeedsScan
        } else if self.needs_filter() {
            Status::NeedsFilter
        } else {
            Status::Served
        }
    }

    fn rank(&self) -> (Status, u64, u64, u8, usize) {
        let kind = match self.kind {
            IndexKind::Table => 0,
            IndexKind::Lsi => 1,
            IndexKind::Gsi => 2,
        };
        (
            self.status(),
            (self.read_units * 1000.0) as u64,
            (self.items_read * 1000.0) as u64,
            kind,
            self.index_pos,
        )
    }
}

/// An index a write updates, with the write units one call spends on it.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct WriteTarget {
    pub table: Name,
    pub index: Option<Name>,
    #[serde(skip)]
    pub table_pos: usize,
    #[serde(skip)]
    pub index_pos: usize,
    pub entity: Name,
    /// Position of the entity in the model.
    #[serde(skip)]
    pub entity_pos: usize,
    pub write_units: f64,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Resolution {
    pub pattern: Name,
    pub status: Status,
    /// The chosen plan for a read.
    pub plan: Option<Plan>,
    /// Other indexes that could serve the read, best first.
    pub alternatives: Vec<Plan>,
    /// For writes: every index the write updates.
    pub writes: Vec<WriteTarget>,
    /// Why the pattern is unresolved, or the pinned index rejected.
    pub problem: Option<String>,
    /// A remark on how the pattern runs (e.g. a GetItem that must run as a Query).
    pub note: Option<String>,
}

impl WriteTarget {
    /// `Orders/GSI1`, or `Orders` for the base table.
    pub fn label(&self) -> String {
        match &self.index {
            Some(index) => format!("{}/{index}", self.table),
            None => self.table.to_string(),
        }
    }
}

impl Resolution {
    /// The indexes a write updates, each once, in order: `Users, Users/GSI1`.
    pub fn write_targets(&self) -> String {
        let mut targets: Vec<String> = Vec::new();
        for w in &self.writes {
            let label = w.label();
            if !targets.contains(&label) {
                targets.push(label);
            }
        }
        targets.join(", ")
    }

    fn new(pattern: &Name, status: Status) -> Self {
        Resolution {
            pattern: pattern.clone(),
            status,
            plan: None,
            alternatives: Vec::new(),
            writes: Vec::new(),
            problem: None,
            note: None,
        }
    }

    fn unresolved(pattern: &Name, problem: String) -> Self {
        let mut r = Resolution::new(pattern, Status::Unresolved);
        r.problem = Some(problem);
        r
    }
}

/// Resolves every pattern of the model, in model order.
pub fn resolve_all(ctx: &Context) -> Vec<Resolution> {
    (0..ctx.model.access_patterns.len())
        .map(|i| resolve(ctx, i))
        .collect()
}

/// `resolve_all`, the second half of the patterns on another thread.
pub fn resolve_all_on_two_threads(ctx: &Context) -> Vec<Resolution> {
    super::in_two_halves(ctx.model.access_patterns.len(), |range| {
        range.map(|i| resolve(ctx, i)).collect()
    })
}

/// Resolves the access pattern at `position` in the model.
pub fn resolve(ctx: &Context, position: usize) -> Resolution {
    let pattern = &ctx.model.access_patterns[position];
    let id = &ctx.pattern_ids[position];
    if pattern.outside_dynamodb.is_some() {
        return Resolution::new(id, Status::Outside);
    }
    let Some(primary) = pattern.primary_entity() else {
        return Resolution::unresolved(id, "names no entity".to_string());
    };
    let Some(e) = ctx.primary_entity(position) else {
        return Resolution::unresolved(id, format!("entity `{primary}` does not exist"));
    };
    // The entities the pattern names that exist, the primary one first.
    let named: Named = ctx.known_entities(position).collect();
    let Some(t) = ctx.entities[e].table else {
        return Resolution::unresolved(
            id,
            format!(
                "entity `{primary}` is stored in table `{}`, which does not exist",
                ctx.entities[e].entity.table
            ),
        );
    };
    if pattern.operation.is_write() {
        return resolve_write(ctx, pattern, &named, id, e, t);
    }
    resolve_read(ctx, pattern, &named, id, e, t)
}

/// Positions of the entities a pattern names: one or two, usually.
type Named = smallvec::SmallVec<[usize; 4]>;

fn resolve_write(
    ctx: &Context,
    pattern: &AccessPattern,
    entities: &[usize],
    id: &Name,
    e: usize,
    t: usize,
) -> Resolution {
    let mut r = Resolution::new(id, Status::Write);
    let per_entity_items = f64::from(pattern.items.max(1)) / entities.len().max(1) as f64;
    let factor = if pattern.operation == Operation::TransactWriteItems {
        2.0
    } else {
        1.0
    };
    for &w in entities {
        let Some(wt) = ctx.entities[w].table else {
            continue;
        };
        let info = &ctx.entities[w];
        for (ix, index) in ctx.tables[wt].index_names.iter().enumerate() {
            if !info.in_index[ix] {
                continue;
            }
            let units = (info.index_size[ix] / WRITE_UNIT_BYTES).ceil().max(1.0);
            r.writes.push(WriteTarget {
                table: ctx.tables[wt].name.clone(),
                index: index.clone(),
                table_pos: wt,
                index_pos: ix,
                entity: info.name.clone(),
                entity_pos: w,
                write_units: units * per_entity_items.max(1.0) * factor,
            });
        }
    }
    if matches!(
        pattern.operation,
        Operation::UpdateItem | Operation::DeleteItem
    ) {
        let missing = unbound_primary_key(ctx, pattern, e, t);
        if !missing.is_empty() {
            r.problem = Some(format!(
                "{} needs the full primary key, but {} {} not among the inputs",
                pattern.operation.as_str(),
                join_code(&missing),
                if missing.len() == 1 { "is" } else { "are" }
            ));
        }
    }
    r
}

/// Placeholders of the base table's key templates that the pattern does not know.
pub(crate) fn unbound_primary_key(
    ctx: &Context,
    pattern: &AccessPattern,
    e: usize,
    t: usize,
) -> Vec<String> {
    let mut missing = Vec::new();
    for key in ctx.tables[t].indexes[0].key_attributes() {
        if let Some(tpl) = ctx.template(e, &key.name) {
            for name in tpl.placeholders() {
                if !pattern.inputs.iter().any(|i| i == name) && !missing.iter().any(|m| m == name) {
                    missing.push(name.to_string());
                }
            }
        }
    }
    missing
}

fn join_code(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn resolve_read(
    ctx: &Context,
    pattern: &AccessPattern,
    named: &[usize],
    id: &Name,
    e: usize,
    t: usize,
) -> Resolution {
    // Usually one or two indexes can serve a pattern.
    let mut plans: Vec<Plan> = Vec::with_capacity(2);
    // Why each index cannot serve: read only to explain a pinned index.
    let explain = pattern.index.is_some();
    let mut rejections: Vec<(usize, String)> = Vec::new();
    let mut note = None;
    let indexes = &ctx.tables[t].indexes;

    match pattern.operation {
        Operation::GetItem | Operation::BatchGetItem => match get_item_plan(ctx, pattern, e, t) {
            Ok(plan) => plans.push(plan),
            Err(why) => {
                rejections.push((0, why.clone()));
                note = Some(format!(
                    "{} needs the full primary key of {}: {why}",
                    pattern.operation.as_str(),
                    ctx.tables[t].indexes[0].table.name
                ));
            }
        },
        Operation::Scan => {}
        _ => {}
    }
    if plans.is_empty() && pattern.operation != Operation::Scan {
        for ix in 0..indexes.len() {
            match query_plan(ctx, pattern, named, e, t, ix, explain) {
                Ok(plan) => plans.push(plan),
                Err(why) => {
                    if explain && !rejections.iter().any(|(i, _)| *i == ix) {
                        rejections.push((ix, why));
                    }
                }
            }
        }
        if let (Some(n), Some(best)) = (note.as_mut(), plans.iter().min_by_key(|p| p.rank())) {
            n.push_str(&format!(
                "; it runs as a Query on {}",
                best.qualified_label()
            ));
        }
    }
    if plans.is_empty() || pattern.operation == Operation::Scan {
        plans.push(scan_plan(ctx, pattern, named, e, t));
    }
    plans.sort_by_key(Plan::rank);

    let mut r = Resolution::new(id, Status::Unresolved);
    r.note = note;
    if let Some(pinned) = &pattern.index {
        let pos = plans.iter().position(|p| p.index_label() == pinned);
        match pos {
            Some(pos) => {
                let plan = plans.remove(pos);
                r.status = plan.status();
                r.plan = Some(plan);
            }
            None => {
                let known = indexes.iter().position(|ix| ix.display_name() == pinned);
                let why = match known {
                    None => format!(
                        "pinned index `{pinned}` is not an index of table `{}`",
                        ctx.tables[t].indexes[0].table.name
                    ),
                    Some(ix) => {
                        let reason = rejections
                            .iter()
                            .find(|(i, _)| *i == ix)
                            .map(|(_, w)| w.clone())
                            .unwrap_or_else(|| "it cannot serve this pattern".to_string());
                        format!("pinned index `{pinned}` cannot serve it: {reason}")
                    }
                };
                r.problem = Some(why);
            }
        }
    } else {
        let plan = plans.remove(0);
        r.status = plan.status();
        r.plan = Some(plan);
    }
    plans.retain(|p| p.call != Operation::Scan || r.plan.is_none());
    // Most patterns have no alternative: keep no buffer for them.
    plans.shrink_to_fit();
    r.alternatives = plans;
    r
}

fn index_plan_base(ctx: &Context, t: usize, ix: usize, call: Operation) -> Plan {
    let info = &ctx.tables[t];
    Plan {
        table: info.name.clone(),
        index: info.index_names[ix].clone(),
        kind: info.indexes[ix].kind,
        table_pos: t,
        index_pos: ix,
        call,
        // A partition-key and a sort-key condition, usually; none for a Scan.
        key_condition: KeyCondition {
            parts: if call == Operation::Scan {
                Vec::new()
            } else {
                Vec::with_capacity(2)
            },
        },
        filters: Vec::new(),
        selective: true,
        items_read: 0.0,
        partition_items: 0.0,
        read_units: 0.0,
    }
}

fn read_units(bytes: f64, consistency: Consistency) -> f64 {
    let units = (bytes / READ_UNIT_BYTES).ceil().max(1.0);
    match consistency {
        Consistency::Strong => units,
        Consistency::Eventual => units / 2.0,
    }
}

fn get_item_plan(
    ctx: &Context,
    pattern: &AccessPattern,
    e: usize,
    t: usize,
) -> Result<Plan, String> {
    let info = &ctx.entities[e];
    if !info.in_index[0] {
        return Err("the entity has no valid template for every key attribute".into());
    }
    let missing = unbound_primary_key(ctx, pattern, e, t);
    if !missing.is_empty() {
        return Err(format!(
            "{} {} not among the inputs",
            join_code(&missing),
            if missing.len() == 1 { "is" } else { "are" }
        ));
    }
    let mut plan = index_plan_base(ctx, t, 0, pattern.operation);
    let mut used = Bound::default();
    for key in ctx.tables[t].indexes[0].key_attributes() {
        let tpl = ctx.template(e, &key.name).ok_or("missing template")?;
        used.extend(tpl.placeholders());
        plan.key_condition.parts.push(KeyPart {
            attribute: ctx.key_name(t, &key.name),
            op: KeyOp::Eq,
            values: KeyValues::one(key_value(
                &plan.key_condition.parts,
                &key.name,
                tpl.to_string(),
                "",
            )),
        });
    }
    plan.filters = unused_inputs(pattern, &used, None);
    let items = f64::from(pattern.items.max(1));
    plan.items_read = if pattern.operation == Operation::BatchGetItem {
        items
    } else {
        1.0
    };
    plan.partition_items = plan.items_read;
    plan.read_units = read_units(info.index_size[0], pattern.consistency) * plan.items_read;
    Ok(plan)
}

/// The attribute of a template that is one placeholder and nothing else.
fn lone_placeholder(template: &str) -> Option<&str> {
    let inner = template.strip_prefix('{')?.strip_suffix('}')?;
    if inner.contains(['{', '}']) {
        return None;
    }
    Some(inner.split(':').next().unwrap_or(inner))
}

/// A value for a key condition, named `:email` for a lone placeholder and `:sk`
/// otherwise, numbered past the names the condition's earlier parts gave. (The two
/// values of one part end in `_from` and `_to`, so they never meet.)
fn key_value(before: &[KeyPart], key_attribute: &str, template: String, suffix: &str) -> KeyValue {
    let base = lone_placeholder(&template).unwrap_or(key_attribute);
    let mut name = String::with_capacity(base.len() + suffix.len() + 3);
    name.push(':');
    name.extend(base.chars().map(|c| {
        if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '_'
        }
    }));
    name.push_str(suffix);
    let taken = |name: &str| {
        before
            .iter()
            .flat_map(|p| &p.values)
            .any(|v| v.name == name)
    };
    if taken(&name) {
        let stem = name.len();
        let mut n = 2;
        loop {
            name.truncate(stem);
            name.push_str(&n.to_string());
            if !taken(&name) {
                break;
            }
            n += 1;
        }
    }
    KeyValue { name, template }
}

/// The attributes a key condition binds, each once, in the order it binds them.
#[derive(Default)]
struct Bound<'a>(Vec<&'a str>);

impl<'a> Bound<'a> {
    fn insert(&mut self, name: &'a str) {
        if !self.contains(name) {
            self.0.push(name);
        }
    }

    fn extend(&mut self, names: impl IntoIterator<Item = &'a str>) {
        for name in names {
            self.insert(name);
        }
    }

    fn contains(&self, name: &str) -> bool {
        self.0.contains(&name)
    }
}

fn unused_inputs(pattern: &AccessPattern, used: &Bound, range: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = pattern
        .inputs
        .iter()
        .filter(|i| !used.contains(i))
        .cloned()
        .collect();
    if let Some(r) = range
        && !used.contains(r)
        && !out.iter().any(|o| o == r)
    {
        out.push(r.to_string());
    }
    out
}

/// The entities the pattern reads that can be answered together with the primary
/// one from index `ix`: same table, present in the index, same partition.
fn collection_members(ctx: &Context, named: &[usize], e: usize, ix: usize) -> Named {
    let mut members = Named::new();
    members.push(e);
    for &o in named.iter().skip(1) {
        if o != e
            && ctx.entities[o].table == ctx.entities[e].table
            && ctx.entities[o].in_index.get(ix) == Some(&true)
            && ctx.share_partition(e, o, ix)
            && !members.contains(&o)
        {
            members.push(o);
        }
    }
    members
}

/// Builds the Query plan on index `ix`, or says why it cannot serve (in words only
/// when `explain` is set: the reasons are read only for pinned patterns).
fn query_plan(
    ctx: &Context,
    pattern: &AccessPattern,
    named: &[usize],
    e: usize,
    t: usize,
    ix: usize,
    explain: bool,
) -> Result<Plan, String> {
    let reject = |why: &dyn Fn() -> String| Err(if explain { why() } else { String::new() });
    let view = &ctx.tables[t].indexes[ix];
    let info = &ctx.entities[e];
    if !info.in_index[ix] {
        return reject(&|| {
            let missing: Vec<String> = view
                .key_attributes()
                .filter(|k| ctx.template(e, &k.name).is_none())
                .map(|k| k.name.clone())
                .collect();
            format!(
                "entity `{}` writes no {} (sparse index)",
                info.entity.name,
                join_code(&missing)
            )
        });
    }
    if view.kind == IndexKind::Gsi && pattern.consistency == Consistency::Strong {
        return reject(&|| {
            "GSIs are eventually consistent; the pattern asks for strong reads".into()
        });
    }
    let is_input = |name: &str| pattern.inputs.iter().any(|i| i == name);
    // Cheap test first: most indexes of a table cannot serve a given pattern.
    for key in &view.partition_key {
        let tpl = ctx.template(e, &key.name).ok_or("missing template")?;
        if tpl
            .placeholders()
            .any(|p| !pattern.inputs.iter().any(|i| i == p))
        {
            return reject(&|| {
                let unbound: Vec<String> = tpl
                    .placeholders()
                    .filter(|p| !is_input(p))
                    .map(str::to_string)
                    .collect();
                format!(
                    "partition key {} needs {}, not among the inputs",
                    key.name,
                    join_code(&unbound)
                )
            });
        }
    }
    let mut plan = index_plan_base(ctx, t, ix, Operation::Query);
    let mut used = Bound::default();
    for key in &view.partition_key {
        let tpl = ctx.template(e, &key.name).ok_or("missing template")?;
        used.extend(tpl.placeholders());
        plan.key_condition.parts.push(KeyPart {
            attribute: ctx.key_name(t, &key.name),
            op: KeyOp::Eq,
            values: KeyValues::one(key_value(
                &plan.key_condition.parts,
                &key.name,
                tpl.to_string(),
                "",
            )),
        });
    }

    let members = collection_members(ctx, named, e, ix);
    let range = pattern.range.as_ref().filter(|r| !is_input(&r.attribute));
    let mut range_applied = false;
    // The literal text every value the sort-key condition admits starts with.
    let mut condition_prefix: Option<String> = None;

    if members.len() > 1 {
        // An item collection: the common literal prefix of the members' sort keys.
        if let Some(first_sk) = view.sort_key.first() {
            let prefixes: Vec<&str> = members
                .iter()
                .filter_map(|&m| ctx.template(m, &first_sk.name))
                .map(Template::leading_literal)
                .collect();
            let common = common_prefix(&prefixes);
            if !common.is_empty() {
                plan.key_condition.parts.push(KeyPart {
                    attribute: ctx.key_name(t, &first_sk.name),
                    op: KeyOp::BeginsWith,
                    values: KeyValues::one(key_value(
                        &plan.key_condition.parts,
                        &first_sk.name,
                        escape_literal(&common),
                        "",
                    )),
                });
            }
            condition_prefix = Some(common);
        }
    } else {
        for (k, key) in view.sort_key.iter().enumerate() {
            let tpl = ctx.template(e, &key.name).ok_or("missing template")?;
            let stop = tpl.segments.iter().position(
                |s| matches!(s, Segment::Placeholder { attribute, .. } if !is_input(attribute)),
            );
            let Some(stop) = stop else {
                used.extend(tpl.placeholders());
                plan.key_condition.parts.push(KeyPart {
                    attribute: ctx.key_name(t, &key.name),
                    op: KeyOp::Eq,
                    values: KeyValues::one(key_value(
                        &plan.key_condition.parts,
                        &key.name,
                        tpl.to_string(),
                        "",
                    )),
                });
                if k == 0 {
                    condition_prefix = Some(tpl.leading_literal().to_string());
                }
                continue;
            };
            let bound = &tpl.segments[..stop];
            let prefix_text = segments_text(bound);
            used.extend(bound.iter().filter_map(|s| match s {
                Segment::Placeholder { attribute, .. } => Some(attribute.as_ref()),
                Segment::Literal(_) => None,
            }));
            let next = match &tpl.segments[stop] {
                Segment::Placeholder { attribute, .. } => attribute.as_ref(),
                Segment::Literal(_) => "",
            };
            if let Some(range) = range.filter(|r| r.attribute == next) {
                let with_value = segments_text(&tpl.segments[..=stop]);
                // The value up to the range attribute, and up to the separator after it.
                let rest = &tpl.segments[stop + 1..];
                let separated = match rest.first() {
                    Some(Segment::Literal(l)) => format!("{with_value}{}", escape_literal(l)),
                    _ => with_value.clone(),
                };
                let shared = ctx.partition_mates(e, ix).next().is_some();
                let part = range_part(
                    &plan.key_condition.parts,
                    ctx.key_name(t, &key.name),
                    range.op,
                    &prefix_text,
                    RangeValue {
                        value: with_value,
                        separated,
                        continues: !rest.is_empty(),
                    },
                    shared && !prefix_text.is_empty(),
                );
                plan.key_condition.parts.push(part);
                used.insert(next);
                range_applied = true;
            } else if !prefix_text.is_empty() {
                plan.key_condition.parts.push(KeyPart {
                    attribute: ctx.key_name(t, &key.name),
                    op: KeyOp::BeginsWith,
                    values: KeyValues::one(key_value(
                        &plan.key_condition.parts,
                        &key.name,
                        prefix_text,
                        "",
                    )),
                });
            }
            if k == 0 {
                condition_prefix = Some(match bound.first() {
                    Some(Segment::Literal(l)) => l.to_string(),
                    _ => String::new(),
                });
            }
            break;
        }
    }

    // Entities outside the pattern that the condition cannot exclude.
    let first_sk = view.sort_key.first().map(|k| k.name.as_str());
    let intruders: Vec<usize> = ctx
        .partition_mates(e, ix)
        .filter(|o| !members.contains(o))
        .filter(|&o| match (first_sk, &condition_prefix) {
            (Some(sk), Some(prefix)) => ctx
                .template(o, sk)
                .is_none_or(|other| could_start_with(other, prefix)),
            _ => true,
        })
        .collect();
    plan.selective = intruders.is_empty();
    plan.filters = unused_inputs(
        pattern,
        &used,
        if range_applied {
            None
        } else {
            range.map(|r| r.attribute.as_str())
        },
    );

    // Items of the pattern's entities under the key condition's equality parts:
    // a range narrows them to a part the model cannot tell, so it is left out here.
    let range_attribute = range
        .filter(|_| range_applied)
        .map(|r| r.attribute.as_str());
    let mut held = 0.0;
    for &m in &members {
        let m_items = ctx.entities[m].entity.item_count.max(1) as f64;
        held += if m != e {
            m_items / ctx.partitions(m, ix)
        } else {
            let entity = ctx.entities[m].entity;
            m_items
                / ctx.distinct_of(
                    m,
                    used.0
                        .iter()
                        .copied()
                        .filter(|n| Some(*n) != range_attribute && entity.attribute(n).is_some()),
                )
        };
    }
    plan.partition_items = held;
    let returned = f64::from(pattern.items.max(1));
    // A key condition that selects exactly the pattern's items (a range included)
    // reads one page of them: what the pattern returns (the call's Limit). A filter,
    // or other entities it cannot tell apart, make it read the whole condition: the
    // partition, as the model cannot tell how much of it a range covers. Never
    // fewer than returned: where the estimates say the partition holds fewer, a
    // check says so.
    let exact = plan.filters.is_empty() && intruders.is_empty();
    let mut items = if exact || (range_applied && plan.filters.is_empty()) {
        returned
    } else {
        held
    };
    for &o in &intruders {
        items += ctx.entities[o].entity.item_count.max(1) as f64 / ctx.partitions(o, ix);
    }
    plan.items_read = items.max(returned);
    let size: f64 = members
        .iter()
        .chain(intruders.iter())
        .map(|&m| ctx.entities[m].index_size[ix])
        .fold(0.0, f64::max);
    plan.read_units = read_units(plan.items_read * size, pattern.consistency);
    Ok(plan)
}

/// The sort-key value up to the range attribute's placeholder, and what follows it.
struct RangeValue {
    /// `ORDER#{created_at}`
    value: String,
    /// `ORDER#{created_at}#`: up to the separator after the placeholder.
    separated: String,
    /// Whether the sort key goes on after the placeholder (`#{order_id}`).
    continues: bool,
}

/// Sorts after every value that starts with the text before it (the highest
/// character DynamoDB's UTF-8 byte order can meet in a key).
const AFTER: char = '\u{FFFF}';

fn range_part(
    before: &[KeyPart],
    attribute: Name,
    op: RangeOp,
    prefix: &str,
    range: RangeValue,
    bound_within_prefix: bool,
) -> KeyPart {
    let RangeValue {
        value,
        separated,
        continues,
    } = range;
    let key: &str = &attribute;
    // When the key goes on after the range attribute, "up to and including R"
    // must take in every key that starts with R: bound it just past them.
    let through = if continues {
        format!("{value}{AFTER}")
    } else {
        value.clone()
    };
    let one = |template: String| KeyValues::one(key_value(before, key, template, ""));
    let between = |from: String, to: String| {
        KeyValues::two(
            key_value(before, key, from, "_from"),
            key_value(before, key, to, "_to"),
        )
    };
    let (op, values) = match op {
        RangeOp::Eq if continues => (KeyOp::BeginsWith, one(separated)),
        RangeOp::Eq => (KeyOp::Eq, one(value)),
        RangeOp::BeginsWith => (KeyOp::BeginsWith, one(value)),
        RangeOp::Between => (KeyOp::Between, between(value, through)),
        // A bare comparison would run past the entity's own prefix into other
        // entities' items; bound it inside the prefix instead.
        RangeOp::Gt | RangeOp::Ge if bound_within_prefix => {
            let from = if op == RangeOp::Gt { through } else { value };
            (KeyOp::Between, between(from, format!("{prefix}{AFTER}")))
        }
        RangeOp::Lt | RangeOp::Le if bound_within_prefix => {
            let to = if op == RangeOp::Le { through } else { value };
            (KeyOp::Between, between(prefix.to_string(), to))
        }
        RangeOp::Lt => (KeyOp::Lt, one(value)),
        RangeOp::Le => (KeyOp::Le, one(through)),
        RangeOp::Gt => (KeyOp::Gt, one(through)),
        RangeOp::Ge => (KeyOp::Ge, one(value)),
    };
    KeyPart {
        attribute,
        op,
        values,
    }
}

fn escape_literal(text: &str) -> String {
    if text.contains(['{', '}']) {
        text.replace('{', "{{").replace('}', "}}")
    } else {
        text.to_string()
    }
}

fn common_prefix(items: &[&str]) -> String {
    let Some(first) = items.first() else {
        return String::new();
    };
    let mut len = first.len();
    for other in &items[1..] {
        len = first
            .char_indices()
            .zip(other.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(len);
    }
    first[..len].to_string()
}

/// Whether some value of `template` can start with `prefix`.
pub fn could_start_with(template: &Template, prefix: &str) -> bool {
    if prefix.is_empty() {
        return true;
    }
    let leading = template.leading_literal();
    if leading.starts_with(prefix) {
        return true;
    }
    // The literal runs out before the prefix does: a placeholder right after it
    // could supply the rest; a template that ends there cannot.
    prefix.starts_with(leading) && !template.is_constant()
}

fn scan_plan(ctx: &Context, pattern: &AccessPattern, named: &[usize], e: usize, t: usize) -> Plan {
    // The pattern's entities that live in the scanned table: one in another
    // table (or in none) has no item here.
    let members: Named = named
        .iter()
        .copied()
        .filter(|&m| ctx.entities[m].table == Some(t))
        .collect();
    let ix = pattern
        .index
        .as_deref()
        .and_then(|pinned| {
            ctx.tables[t]
                .indexes
                .iter()
                .position(|v| v.display_name() == pinned)
        })
        .filter(|&ix| ctx.entities[e].in_index[ix])
        .unwrap_or(0);
    let mut plan = index_plan_base(ctx, t, ix, Operation::Scan);
    plan.filters = unused_inputs(
        pattern,
        &Bound::default(),
        pattern.range.as_ref().map(|r| r.attribute.as_str()),
    );
    let others = ctx.tables[t]
        .entities
        .iter()
        .any(|&o| !members.contains(&o) && ctx.entities[o].in_index[ix]);
    plan.selective = !others;
    plan.partition_items = members
        .iter()
        .filter(|&&m| ctx.entities[m].in_index[ix])
        .map(|&m| ctx.entities[m].entity.item_count as f64)
        .sum();
    plan.items_read = ctx.index_items(t, ix).max(f64::from(pattern.items.max(1)));
    let bytes: f64 = ctx.tables[t]
        .entities
        .iter()
        .filter(|&&o| ctx.entities[o].in_index[ix])
        .map(|&o| ctx.entities[o].entity.item_count as f64 * ctx.entities[o].index_size[ix])
        .sum();
    plan.read_units = read_units(bytes, pattern.consistency);
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_compatibility() {
        fn t(s: &str) -> Template<'_> {
            Template::parse(s).unwrap()
        }
        assert!(could_start_with(&t("ORDER#{id}"), "ORDER#"));
        assert!(!could_start_with(&t("#META"), "CART#"));
        assert!(could_start_with(&t("{id}"), "CART#"));
        assert!(could_start_with(&t("CA{x}"), "CART#"));
        assert!(!could_start_with(&t("CA"), "CART#"));
        assert!(could_start_with(&t("#META"), ""));
    }

    #[test]
    fn common_prefixes() {
        assert_eq!(common_prefix(&["ITEM#", "ITEM#X"]), "ITEM#");
        assert_eq!(common_prefix(&["#META", "ITEM#"]), "");
        assert_eq!(common_prefix(&[]), "");
    }

    #[test]
    fn value_display() {
        assert_eq!(display_template("CART#"), "\"CART#\"");
        assert_eq!(display_template("{email}"), "{email}");
        assert_eq!(
            display_template("X\u{FFFF}"),
            "\"X\"… (and every key that starts with it)"
        );
        assert_eq!(
            display_template("ORDER#{created_at}\u{FFFF}"),
            "ORDER#{created_at}… (and every key that starts with it)"
        );
        assert_eq!(display_template("\u{1}"), "\"\\u{1}\"");
    }

    use crate::analysis::test_support::{analysis, base, entity, pattern};
    use serde_json::json;

    fn plan_of(value: &serde_json::Value, id: &str) -> (Status, Plan) {
        let a = analysis(value);
        let r = a.resolution(id).expect("pattern resolved").clone();
        (r.status, r.plan.expect("a plan"))
    }

    /// The templates of a plan's key-condition values, in order.
    fn value_templates(plan: &Plan) -> Vec<&str> {
        plan.key_condition
            .values()
            .map(|v| v.template.as_str())
            .collect()
    }

    #[test]
    fn get_item_binds_the_whole_primary_key() {
        let (status, plan) = plan_of(&base(), "AP1");
        assert_eq!(status, Status::Served);
        assert_eq!(plan.call, Operation::GetItem);
        assert_eq!(plan.key_condition.expression(), "PK = :email AND SK = :sk");
        assert_eq!(
            plan.key_condition.values_text(),
            ":email = {email}, :sk = \"#PROFILE\""
        );
    }

    #[test]
    fn range_inside_a_shared_partition_stays_within_the_prefix() {
        let (status, plan) = plan_of(&base(), "AP2");
        assert_eq!(status, Status::Served);
        assert_eq!(plan.index, None);
        assert_eq!(
            plan.key_condition.expression(),
            "PK = :email AND SK BETWEEN :sk_from AND :sk_to"
        );
        let values = value_templates(&plan);
        assert_eq!(
            values,
            [
                "{email}",
                "ORDER#{created_at}",
                "ORDER#{created_at}\u{FFFF}"
            ],
            "the upper bound takes in every order of the last day"
        );
        assert!(plan.selective);
    }

    #[test]
    fn begins_with_selects_one_entity_of_a_collection() {
        let mut m = base();
        pattern(&mut m, "AP2")
            .as_object_mut()
            .unwrap()
            .remove("range");
        let (status, plan) = plan_of(&m, "AP2");
        assert_eq!(status, Status::Served);
        assert_eq!(
            plan.key_condition.expression(),
            "PK = :email AND begins_with(SK, :sk)"
        );
        assert_eq!(
            plan.key_condition.values_text(),
            ":email = {email}, :sk = \"ORDER#\""
        );
    }

    #[test]
    fn a_gsi_serves_what_the_base_table_cannot() {
        let a = analysis(&base());
        let r = a.resolution("AP3").unwrap();
        let plan = r.plan.as_ref().unwrap();
        assert_eq!(plan.index.as_deref(), Some("GSI1"));
        assert_eq!(
            plan.key_condition.expression(),
            "GSI1PK = :order_id AND GSI1SK = :gsi1sk"
        );
        // The base table needs the email, which AP3 does not know.
        assert!(r.alternatives.iter().all(|p| p.index.is_some()));
        let usage = a
            .index_usage
            .iter()
            .find(|u| u.index.as_deref() == Some("GSI1"))
            .unwrap();
        assert_eq!(usage.reads, [Name::from("AP3")]);
    }

    #[test]
    fn a_sort_key_without_type_marker_needs_a_filter() {
        let mut m = base();
        entity(&mut m, "Order")["keys"]["SK"] = json!("{created_at}#{order_id}");
        pattern(&mut m, "AP2")
            .as_object_mut()
            .unwrap()
            .remove("range");
        let (status, plan) = plan_of(&m, "AP2");
        assert_eq!(status, Status::NeedsFilter);
        assert!(!plan.selective, "Customer's #PROFILE shares the partition");
        assert!(plan.items_read > 10.0);
    }

    #[test]
    fn an_item_collection_is_one_query() {
        let mut m = base();
        pattern(&mut m, "AP2")["entities"] = json!(["Customer", "Order"]);
        pattern(&mut m, "AP2")
            .as_object_mut()
            .unwrap()
            .remove("range");
        let (status, plan) = plan_of(&m, "AP2");
        assert_eq!(status, Status::Served);
        assert_eq!(plan.key_condition.expression(), "PK = :email");
    }

    #[test]
    fn unbound_partition_key_means_scan() {
        let mut m = base();
        pattern(&mut m, "AP3")["inputs"] = json!([]);
        let (status, plan) = plan_of(&m, "AP3");
        assert_eq!(status, Status::NeedsScan);
        assert_eq!(plan.call, Operation::Scan);
        assert!(plan.key_condition.is_empty());
    }

    /// Found by the long fuzz run: a scan read the pattern's entities of other
    /// tables as if they were in the scanned one (their items counted, and one
    /// in no table panicked looking up its index entry).
    #[test]
    fn a_scan_counts_only_the_scanned_table_s_entities() {
        let mut m = base();
        m["tables"].as_array_mut().unwrap().push(json!({
            "name": "Other",
            "partition_key": {"name": "id", "type": "S"},
            "billing": {"mode": "on_demand"}
        }));
        let entities = m["entities"].as_array_mut().unwrap();
        entities.push(json!({
            "name": "Audit", "table": "Other",
            "attributes": [{"name": "id", "type": "S", "size": 10}],
            "keys": {"id": "{id}"}, "item_count": 5000
        }));
        entities.push(json!({
            "name": "Lost", "table": "Nowhere",
            "attributes": [{"name": "id", "type": "S", "size": 10}],
            "keys": {"PK": "{id}"}, "item_count": 7
        }));
        let p = pattern(&mut m, "AP3");
        p["inputs"] = json!([]);
        p["entities"] = json!(["Order", "Audit", "Lost"]);
        let (status, plan) = plan_of(&m, "AP3");
        assert_eq!(status, Status::NeedsScan);
        assert_eq!(plan.call, Operation::Scan);
        assert_eq!(plan.partition_items, 100_000.0, "the orders only");
    }

    #[test]
    fn strong_reads_cannot_use_a_gsi() {
        let mut m = base();
        pattern(&mut m, "AP3")["consistency"] = json!("strong");
        let (status, _) = plan_of(&m, "AP3");
        assert_eq!(status, Status::NeedsScan);
    }

    #[test]
    fn a_pinned_index_wins_or_is_reported() {
        let mut m = base();
        pattern(&mut m, "AP3")["index"] = json!("Shop");
        let a = analysis(&m);
        let r = a.resolution("AP3").unwrap();
        assert_eq!(r.status, Status::Unresolved);
        assert!(
            r.problem.as_deref().unwrap().contains("GSI1PK")
                || r.problem.as_deref().unwrap().contains("email")
        );
        assert_eq!(r.alternatives[0].index.as_deref(), Some("GSI1"));
    }

    #[test]
    fn ranges_after_unknown_placeholders_are_filtered() {
        let mut m = base();
        entity(&mut m, "Order")["keys"]["SK"] = json!("ORDER#{status}#{created_at}");
        let (status, plan) = plan_of(&m, "AP2");
        assert_eq!(status, Status::NeedsFilter);
        assert_eq!(plan.filters, ["created_at"]);
        assert_eq!(
            plan.key_condition.expression(),
            "PK = :email AND begins_with(SK, :sk)"
        );
    }

    #[test]
    fn comparisons_without_neighbours_stay_plain() {
        let mut m = base();
        entity(&mut m, "Customer")["keys"]["PK"] = json!("{name}");
        pattern(&mut m, "AP1")["inputs"] = json!(["name"]);
        pattern(&mut m, "AP2")["range"] = json!({"attribute": "created_at", "op": ">="});
        let (_, plan) = plan_of(&m, "AP2");
        assert_eq!(plan.key_condition.expression(), "PK = :email AND SK >= :sk");
    }

    #[test]
    fn equality_on_a_leading_placeholder_is_a_prefix() {
        let mut m = base();
        pattern(&mut m, "AP2")["range"] = json!({"attribute": "created_at", "op": "="});
        let (_, plan) = plan_of(&m, "AP2");
        assert_eq!(
            plan.key_condition.expression(),
            "PK = :email AND begins_with(SK, :sk)"
        );
        let values = value_templates(&plan);
        assert_eq!(values, ["{email}", "ORDER#{created_at}#"]);
    }

    #[test]
    fn strict_comparisons_skip_every_key_with_that_value() {
        let mut m = base();
        entity(&mut m, "Customer")["keys"]["PK"] = json!("{name}");
        pattern(&mut m, "AP1")["inputs"] = json!(["name"]);
        pattern(&mut m, "AP2")["range"] = json!({"attribute": "created_at", "op": ">"});
        let (_, plan) = plan_of(&m, "AP2");
        assert_eq!(plan.key_condition.expression(), "PK = :email AND SK > :sk");
        let sk = plan.key_condition.values().nth(1).unwrap();
        assert_eq!(sk.template, "ORDER#{created_at}\u{FFFF}");
    }

    #[test]
    fn writes_map_to_every_index_they_update() {
        let a = analysis(&base());
        let r = a.resolution("AP4").unwrap();
        assert_eq!(r.status, Status::Write);
        let targets: Vec<_> = r.writes.iter().map(|w| w.index.as_deref()).collect();
        assert_eq!(targets, [None, Some("GSI1")]);
        let mut m = base();
        pattern(&mut m, "AP4")["operation"] = json!("TransactWriteItems");
        let t = analysis(&m);
        let tr = t.resolution("AP4").unwrap();
        assert_eq!(tr.writes[0].write_units, 2.0 * r.writes[0].write_units);
    }
}

//! Deterministic sample items: each entity's attributes filled by their
//! generators, foreign keys taken from the generated items of the entity they
//! reference, and every key attribute rendered from the entity's templates.
//!
//! The same model and counts give byte-identical items on every run and every
//! machine: each value is seeded from the entity, the attribute and the item's
//! index. Items whose primary key repeats one already generated in the table are
//! retried with other values, and dropped (and counted) when that fails, so the
//! set can be written to DynamoDB as it is.

mod dates;
pub mod index;
mod values;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::model::{
    AttrValue, Attribute, Entity, Generator, Item, KeyType, Model, Template, base64, is_number,
};
use values::{Rng, default_generator, fnv1a, raw, seed, typed};

/// Items per entity when nothing else is asked for.
pub const DEFAULT_COUNT: usize = 5;

/// How often an item whose primary key is taken is regenerated before it is dropped.
const MAX_ATTEMPTS: u32 = 32;

/// How deep references to references are followed.
const MAX_REFERENCE_DEPTH: usize = 8;

/// The most sample items made of one entity: what a file or an argument asks
/// for beyond this is refused, naming where it came from.
pub const MAX_SAMPLE_ITEMS: usize = 100_000;

/// How many items to make of each entity (never fewer than its example items).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleCounts {
    pub default: usize,
    pub per_entity: BTreeMap<String, usize>,
}

impl Default for SampleCounts {
    fn default() -> Self {
        Self::uniform(DEFAULT_COUNT)
    }
}

impl SampleCounts {
    pub fn uniform(count: usize) -> Self {
        SampleCounts {
            default: count,
            per_entity: BTreeMap::new(),
        }
    }

    pub fn with(mut self, entity: impl Into<String>, count: usize) -> Self {
        self.per_entity.insert(entity.into(), count);
        self
    }

    pub fn of(&self, entity: &str) -> usize {
        self.per_entity.get(entity).copied().unwrap_or(self.default)
    }
}

/// The items of one entity.
#[derive(Clone, Debug, PartialEq)]
pub struct EntitySamples {
    pub entity: String,
    pub table: String,
    pub items: Vec<Item>,
    /// Items left out because no retry found a primary key not yet taken.
    pub duplicate_keys: usize,
}

/// Sample items of every entity, in model order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SampleSet {
    pub entities: Vec<EntitySamples>,
}

impl SampleSet {
    pub fn entity(&self, name: &str) -> Option<&EntitySamples> {
        self.entities.iter().find(|e| e.entity == name)
    }

    pub fn items_of(&self, entity: &str) -> &[Item] {
        self.entity(entity)
            .map(|e| e.items.as_slice())
            .unwrap_or(&[])
    }

    /// Every item stored in `table`, with its entity, entities in model order.
    pub fn table_items<'a>(
        &'a self,
        table: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a Item)> + 'a {
        self.entities
            .iter()
            .filter(move |e| e.table == table)
            .flat_map(|e| e.items.iter().map(move |i| (e.entity.as_str(), i)))
    }

    pub fn len(&self) -> usize {
        self.entities.iter().map(|e| e.items.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Generates `counts` items of every entity of the model.
pub fn generate(model: &Model, counts: &SampleCounts) -> SampleSet {
    let plans: Vec<EntityPlan> = model
        .entities
        .iter()
        // Example items are the user's own data: all of them, then generated ones.
        .map(|e| EntityPlan::new(model, e, counts.of(&e.name).max(e.example_items.len())))
        .collect();
    let by_name: HashMap<&str, usize> = plans
        .iter()
        .enumerate()
        .rev()
        .map(|(i, p)| (p.entity.name.as_str(), i))
        .collect();
    let mut generation = Generation {
        plans: &plans,
        by_name,
        done: vec![None; plans.len()],
        taken: HashMap::new(),
    };
    for e in generation.order() {
        let samples = generation.entity(e);
        generation.done[e] = Some(samples);
    }
    SampleSet {
        entities: generation.done.into_iter().flatten().collect(),
    }
}

/// What one entity's items are made of, prepared once.
struct EntityPlan<'m> {
    entity: &'m Entity,
    count: usize,
    hash: u64,
    attributes: Vec<AttributePlan<'m>>,
    keys: Vec<KeyPlan<'m>>,
    /// Positions in `keys` of the base table's partition and sort key.
    primary: Vec<usize>,
    table: Option<usize>,
}

struct AttributePlan<'m> {
    attribute: &'m Attribute,
    hash: u64,
    generator: Generator,
}

struct KeyPlan<'m> {
    name: String,
    key_type: KeyType,
    template: Template<'m>,
}

impl<'m> EntityPlan<'m> {
    fn new(model: &'m Model, entity: &'m Entity, count: usize) -> Self {
        let attributes = entity
            .attributes
            .iter()
            .map(|a| AttributePlan {
                attribute: a,
                hash: fnv1a(&a.name),
                generator: a.generator.clone().unwrap_or_else(|| default_generator(a)),
            })
            .collect();
        let table_pos = model.tables.iter().position(|t| t.name == entity.table);
        let mut keys = Vec::new();
        let mut primary = Vec::new();
        if let Some(table) = table_pos.map(|t| &model.tables[t]) {
            let base: Vec<&str> = std::iter::once(&table.partition_key)
                .chain(table.sort_key.iter())
                .map(|k| k.name.as_str())
                .collect();
            for index in table.indexes() {
                for key in index.key_attributes() {
                    if keys.iter().any(|k: &KeyPlan| k.name == key.name) {
                        continue;
                    }
                    let Some(Ok(template)) = entity.parsed_key_template(&key.name) else {
                        continue;
                    };
                    if base.contains(&key.name.as_str()) {
                        primary.push(keys.len());
                    }
                    keys.push(KeyPlan {
                        name: key.name.clone(),
                        key_type: key.key_type,
                        template,
                    });
                }
            }
        }
        EntityPlan {
            entity,
            count,
            hash: fnv1a(&entity.name),
            attributes,
            keys,
            primary,
            table: table_pos,
        }
    }

    fn attribute(&self, name: &str) -> Option<&AttributePlan<'m>> {
        self.attributes.iter().find(|a| a.attribute.name == name)
    }
}

struct Generation<'p, 'm> {
    plans: &'p [EntityPlan<'m>],
    by_name: HashMap<&'m str, usize>,
    done: Vec<Option<EntitySamples>>,
    /// Primary keys already written, per table.
    taken: HashMap<usize, HashSet<String>>,
}

impl Generation<'_, '_> {
    /// Entities after the entities they reference, otherwise in model order, so
    /// foreign keys can be taken from finished items.
    fn order(&self) -> Vec<usize> {
        fn visit(g: &Generation, e: usize, state: &mut [u8], out: &mut Vec<usize>) {
            if state[e] != 0 {
                return;
            }
            state[e] = 1;
            for a in &g.plans[e].attributes {
                if let Generator::Reference { entity, .. } = &a.generator
                    && let Some(&t) = g.by_name.get(entity.as_str())
                {
                    visit(g, t, state, out);
                }
            }
            state[e] = 2;
            out.push(e);
        }
        let mut state = vec![0u8; self.plans.len()];
        let mut out = Vec::with_capacity(self.plans.len());
        for e in 0..self.plans.len() {
            visit(self, e, &mut state, &mut out);
        }
        out
    }

    fn entity(&mut self, e: usize) -> EntitySamples {
        let plans = self.plans;
        let plan = &plans[e];
        // Counts are checked where they are read; this bounds what is reserved
        // up front whatever the caller passed.
        let mut items: Vec<Item> = Vec::with_capacity(plan.count.min(MAX_SAMPLE_ITEMS));
        let mut duplicate_keys = 0;
        for index in 0..plan.count {
            let example = plan.entity.example_items.get(index);
            let mut attempt = 0;
            loop {
                let item = match example {
                    Some(item) => item.clone(),
                    None => self.item(e, index, attempt, &items),
                };
                if self.claim(e, &item) {
                    items.push(item);
                    break;
                }
                attempt += 1;
                if example.is_some() || attempt >= MAX_ATTEMPTS {
                    duplicate_keys += 1;
                    break;
                }
            }
        }
        EntitySamples {
            entity: plan.entity.name.clone(),
            table: plan.entity.table.clone(),
            items,
            duplicate_keys,
        }
    }

    /// Records the item's primary key in its table; false when it is taken.
    fn claim(&mut self, e: usize, item: &Item) -> bool {
        let plan = &self.plans[e];
        let Some(table) = plan.table else { return true };
        if plan.primary.is_empty() {
            return true;
        }
        let mut key = String::new();
        for &k in &plan.primary {
            let name = &plan.keys[k].name;
            let value = item
                .get(name)
                .map(|v| v.to_json().to_string())
                .unwrap_or_default();
            key.push_str(&value);
            key.push('\u{0}');
        }
        self.taken.entry(table).or_default().insert(key)
    }

    fn item(&self, e: usize, index: usize, attempt: u32, earlier: &[Item]) -> Item {
        let plan = &self.plans[e];
        let mut item = Item::new();
        // Retries walk the references like the digits of a counter (the first
        // reference fastest), so every combination of parents is reachable: two
        // references moved in step would only ever try a diagonal of them.
        let mut walk = attempt as usize;
        for a in &plan.attributes {
            let value = match &a.generator {
                // A retry walks on to the next parent instead of drawing again, so
                // a free key is found whenever one is within reach.
                Generator::Reference { entity, attribute } => {
                    let pool = self.pool(entity);
                    let offset = walk % pool;
                    walk /= pool;
                    let mut rng = Rng::new(seed(plan.hash, a.hash, index, 0));
                    self.reference(e, entity, attribute, &mut rng, offset, earlier)
                }
                g => {
                    let mut rng = Rng::new(seed(plan.hash, a.hash, index, attempt));
                    self.value(g, a.attribute, &mut rng, index)
                }
            };
            let mut rng = Rng::new(seed(plan.hash, a.hash, index, attempt));
            let value = value.map(|v| retype(v, a.attribute, &mut rng));
            if let Some(v) = value {
                item.insert(a.attribute.name.clone(), v);
            }
        }
        self.render_keys(plan, index, attempt, &mut item);
        item
    }

    fn value(
        &self,
        generator: &Generator,
        attribute: &Attribute,
        rng: &mut Rng,
        index: usize,
    ) -> Option<AttrValue> {
        let first = raw(generator, rng, index);
        Some(typed(first, attribute.attr_type, rng, |rng| {
            raw(generator, rng, index)
        }))
    }

    /// How many items of `entity` a reference can pick from.
    fn pool(&self, entity: &str) -> usize {
        match self.by_name.get(entity) {
            Some(&t) => {
                let done = self.done[t].as_ref().map_or(0, |s| s.items.len());
                self.plans[t].count.max(done).max(1)
            }
            None => 1,
        }
    }

    /// A foreign key: the attribute's value on one of the referenced entity's
    /// items — a finished one where it exists, else the value that item would get.
    fn reference(
        &self,
        e: usize,
        entity: &str,
        attribute: &str,
        rng: &mut Rng,
        offset: usize,
        earlier: &[Item],
    ) -> Option<AttrValue> {
        let &t = self.by_name.get(entity)?;
        let finished = match &self.done[t] {
            Some(samples) => samples.items.as_slice(),
            None if t == e => earlier,
            None => &[],
        };
        let pool = self.plans[t].count.max(finished.len()).max(1);
        let j = (rng.below(pool as u64) as usize + offset) % pool;
        if let Some(v) = finished.get(j).and_then(|item| item.get(attribute)) {
            return Some(v.clone());
        }
        self.pure(t, attribute, j, 1)
    }

    /// The value attribute `name` of entity `t` gets on item `j` at the first attempt.
    fn pure(&self, t: usize, name: &str, j: usize, depth: usize) -> Option<AttrValue> {
        let plan = &self.plans[t];
        if let Some(v) = plan
            .entity
            .example_items
            .get(j)
            .and_then(|item| item.get(name))
        {
            return Some(v.clone());
        }
        let a = plan.attribute(name)?;
        let mut rng = Rng::new(seed(plan.hash, a.hash, j, 0));
        match &a.generator {
            Generator::Reference { entity, attribute } if depth < MAX_REFERENCE_DEPTH => {
                let &u = self.by_name.get(entity.as_str())?;
                let pool = self.plans[u].count.max(1);
                let k = rng.below(pool as u64) as usize;
                self.pure(u, attribute, k, depth + 1)
            }
            Generator::Reference { .. } => {
                let fallback = default_generator(a.attribute);
                self.value(&fallback, a.attribute, &mut rng, j)
            }
            g => self.value(g, a.attribute, &mut rng, j),
        }
    }

    /// Writes every key attribute the entity has a template for.
    fn render_keys(&self, plan: &EntityPlan, index: usize, attempt: u32, item: &mut Item) {
        let mut rendered = Vec::with_capacity(plan.keys.len());
        for key in &plan.keys {
            if let Some(attr) = key.template.single_placeholder()
                && let Some(v) = item.get(attr)
                && v.attr_type().as_str() == key.key_type.as_str()
            {
                rendered.push((key.name.clone(), v.clone()));
                continue;
            }
            let text = key.template.render(|name| {
                item.get(name).and_then(AttrValue::key_text).or_else(|| {
                    // A placeholder the entity has no attribute for: make up a value
                    // so the key still renders (the checks report the template).
                    let stand_in = Attribute::new(name, crate::model::AttrType::S);
                    let mut rng = Rng::new(seed(plan.hash, fnv1a(name), index, attempt));
                    raw_text(&default_generator(&stand_in), &mut rng, index)
                })
            });
            if let Some(text) = text {
                rendered.push((key.name.clone(), key_value(text, key.key_type)));
            }
        }
        item.extend(rendered);
    }
}

/// A rendered key in its key attribute's type (a number key that does not hold
/// a number stays a string, which the checks report).
pub fn key_value(text: String, key_type: KeyType) -> AttrValue {
    match key_type {
        KeyType::S => AttrValue::S(text),
        KeyType::N if is_number(&text) => AttrValue::N(text),
        KeyType::N => AttrValue::S(text),
        KeyType::B => AttrValue::B(base64(text.as_bytes())),
    }
}

/// Renders a template — a key template, or a key condition value's template —
/// with an item's values: how a pattern's call is bound to a sample item.
pub fn bind(template: &str, item: &Item) -> Option<String> {
    if template.is_empty() {
        return Some(String::new());
    }
    Template::parse(template)
        .ok()?
        .render(|name| item.get(name).and_then(AttrValue::key_text))
}

fn raw_text(generator: &Generator, rng: &mut Rng, index: usize) -> Option<String> {
    match raw(generator, rng, index) {
        values::Raw::Text(s) | values::Raw::Number(s) => Some(s),
        values::Raw::Bool(b) => Some(b.to_string()),
    }
}

/// A referenced value in the referencing attribute's type (they usually agree).
fn retype(value: AttrValue, attribute: &Attribute, rng: &mut Rng) -> AttrValue {
    if value.attr_type() == attribute.attr_type {
        return value;
    }
    let raw = match &value {
        AttrValue::Bool(b) => values::Raw::Bool(*b),
        AttrValue::N(n) => values::Raw::Number(n.clone()),
        other => values::Raw::Text(other.key_text().unwrap_or_else(|| other.display())),
    };
    let again = raw.clone();
    typed(raw, attribute.attr_type, rng, move |_| again.clone())
}

#[cfg(test)]
mod tests;

//! A model prepared for analysis: templates parsed once, names looked up by hash,
//! sizes and cardinalities estimated. Every rule reads this instead of re-parsing.

use super::Name;
use std::hash::{Hash, Hasher};

use super::fxhash::{FxHashMap as HashMap, FxHasher};

use crate::model::{
    Entity, Generator, IndexKind, IndexView, Model, Projection, Segment, Template, TemplateError,
};

/// The storage overhead DynamoDB adds to every item and index entry.
pub const ITEM_OVERHEAD_BYTES: f64 = 100.0;

pub struct Context<'m> {
    pub model: &'m Model,
    pub tables: Vec<TableInfo<'m>>,
    pub entities: Vec<EntityInfo<'m>>,
    /// Each access pattern's id, shared by everything the analysis says about it.
    pub pattern_ids: Vec<Name>,
    /// The entities each pattern names, looked up once: `pattern_spans[p]` is the
    /// part of `entity_refs` for pattern `p` (`None` where no entity has the name).
    entity_refs: Vec<Option<u32>>,
    pattern_spans: Vec<(u32, u32)>,
    table_by_name: HashMap<&'m str, usize>,
    entity_by_name: HashMap<&'m str, usize>,
}

pub struct TableInfo<'m> {
    /// The table's name, shared by every plan, load and finding about it.
    pub name: Name,
    /// Base table first, then GSIs, then LSIs.
    pub indexes: Vec<IndexView<'m>>,
    /// Each index's name, parallel to `indexes` (`None` for the base table).
    pub index_names: Vec<Option<Name>>,
    /// Every key attribute of the table and its indexes, each once.
    pub key_names: Vec<&'m str>,
    /// The same names, shared (parallel to `key_names`).
    key_name_shared: Vec<Name>,
    /// The entities stored in this table, in model order.
    pub entities: Vec<usize>,
}

pub struct EntityInfo<'m> {
    pub entity: &'m Entity,
    /// The entity's name, shared.
    pub name: Name,
    pub table: Option<usize>,
    /// Key attribute name → the parsed template this entity writes into it.
    pub templates: Templates<'m>,
    /// Whether the entity has an item in each index of its table (parallel to `TableInfo::indexes`).
    pub in_index: Vec<bool>,
    /// Estimated item size in bytes, keys included.
    pub item_size: f64,
    /// Estimated size of the entity's entry in each index of its table.
    pub index_size: Vec<f64>,
    /// The partition-key shape in each index of its table, as an id: two entities
    /// with the same id can share partitions (`None` where a template is missing or broken).
    pub pk_shapes: Vec<Option<u32>>,
    /// Estimated distinct partitions the entity occupies in each index of its table.
    pub partitions: Vec<f64>,
}

impl<'m> Context<'m> {
    pub fn new(model: &'m Model) -> Self {
        Self::build(model, false)
    }

    /// `new`, with the entities prepared on two threads when `parallel` is set.
    pub fn build(model: &'m Model, parallel: bool) -> Self {
        let mut table_by_name = HashMap::default();
        for (i, t) in model.tables.iter().enumerate() {
            table_by_name.entry(t.name.as_str()).or_insert(i);
        }
        let mut entity_by_name = HashMap::default();
        for (i, e) in model.entities.iter().enumerate() {
            entity_by_name.entry(e.name.as_str()).or_insert(i);
        }
        let mut tables: Vec<TableInfo> = model
            .tables
            .iter()
            .map(|t| {
                let indexes = t.indexes();
                let key_names = t.key_attribute_names();
                TableInfo {
                    name: Name::from(t.name.as_str()),
                    index_names: indexes.iter().map(|v| v.name.map(Name::from)).collect(),
                    key_name_shared: key_names.iter().map(|&n| Name::from(n)).collect(),
                    indexes,
                    key_names,
                    entities: Vec::new(),
                }
            })
            .collect();
        let placed: Vec<Option<usize>> = model
            .entities
            .iter()
            .map(|entity| table_by_name.get(entity.table.as_str()).copied())
            .collect();
        for (ei, table) in placed.iter().enumerate() {
            if let Some(ti) = table {
                tables[*ti].entities.push(ei);
            }
        }
        let prepare = |range: std::ops::Range<usize>| {
            range
                .map(|ei| {
                    let entity = &model.entities[ei];
                    match placed[ei] {
                        Some(ti) => EntityInfo::new(
                            entity,
                            Some(ti),
                            &tables[ti].key_names,
                            &tables[ti].indexes,
                        ),
                        None => EntityInfo::unplaced(entity),
                    }
                })
                .collect::<Vec<_>>()
        };
        let n = model.entities.len();
        let entities = if parallel {
            super::in_two_halves(n, prepare)
        } else {
            prepare(0..n)
        };
        let mut entity_refs = Vec::with_capacity(model.access_patterns.len() * 5 / 4);
        let pattern_spans = model
            .access_patterns
            .iter()
            .map(|p| {
                let start = entity_refs.len() as u32;
                entity_refs.extend(
                    p.entities
                        .iter()
                        .map(|n| entity_by_name.get(n.as_str()).map(|&e| e as u32)),
                );
                (start, entity_refs.len() as u32)
            })
            .collect();
        let mut ctx = Context {
            model,
            entity_refs,
            pattern_spans,
            tables,
            entities,
            pattern_ids: model
                .access_patterns
                .iter()
                .map(|p| Name::from(p.id.as_str()))
                .collect(),
            table_by_name,
            entity_by_name,
        };
        let mut shape_ids: Vec<Vec<Option<u32>>> = Vec::with_capacity(ctx.entities.len());
        {
            // Each distinct shape is kept once, in `kept`; buckets by hash point at them.
            let mut kept: Vec<ShapePart> = Vec::new();
            let mut buckets: HashMap<u64, Vec<(std::ops::Range<usize>, u32)>> = HashMap::default();
            let mut shape: Vec<ShapePart> = Vec::new();
            let mut next = 0u32;
            for e in 0..ctx.entities.len() {
                let indexes = ctx.entities[e]
                    .table
                    .map_or(0, |t| ctx.tables[t].indexes.len());
                let mut ids = Vec::with_capacity(indexes);
                for ix in 0..indexes {
                    if !ctx.has_partition_templates(e, ix) {
                        ids.push(None);
                        continue;
                    }
                    shape.clear();
                    shape.extend(ctx.partition_shape(e, ix));
                    let mut hasher = FxHasher::default();
                    shape.hash(&mut hasher);
                    let bucket = buckets.entry(hasher.finish()).or_default();
                    let id = match bucket.iter().find(|(at, _)| kept[at.clone()] == shape[..]) {
                        Some((_, id)) => *id,
                        None => {
                            let at = kept.len()..kept.len() + shape.len();
                            kept.extend_from_slice(&shape);
                            bucket.push((at, next));
                            next += 1;
                            next - 1
                        }
                    };
                    ids.push(Some(id));
                }
                shape_ids.push(ids);
            }
        }
        for (info, shapes) in ctx.entities.iter_mut().zip(shape_ids) {
            info.pk_shapes = shapes;
        }
        ctx
    }

    /// Whether entities `a` and `b` (of one table) can write items into the same
    /// partition of index `ix`.
    pub fn share_partition(&self, a: usize, b: usize, ix: usize) -> bool {
        match (
            self.entities[a].pk_shapes.get(ix),
            self.entities[b].pk_shapes.get(ix),
        ) {
            (Some(Some(x)), Some(Some(y))) => x == y,
            _ => false,
        }
    }

    /// The other entities of `e`'s table that share its partitions in index `ix`.
    pub fn partition_mates(&self, e: usize, ix: usize) -> impl Iterator<Item = usize> + '_ {
        let table = self.entities[e].table;
        table
            .map(|t| self.tables[t].entities.as_slice())
            .unwrap_or(&[])
            .iter()
            .copied()
            .filter(move |&o| {
                o != e
                    && self.entities[o].in_index.get(ix) == Some(&true)
                    && self.share_partition(e, o, ix)
            })
    }

    /// Estimated distinct values of one attribute of entity `e`.
    pub fn attribute_distinct(&self, e: usize, name: &str) -> f64 {
        attribute_distinct(self.entities[e].entity, name)
    }

    /// Estimated distinct combinations of some attributes of entity `e`.
    pub fn distinct_of<'a>(&self, e: usize, names: impl IntoIterator<Item = &'a str>) -> f64 {
        distinct_of(self.entities[e].entity, names)
    }

    pub fn table_index(&self, name: &str) -> Option<usize> {
        self.table_by_name.get(name).copied()
    }

    pub fn entity_index(&self, name: &str) -> Option<usize> {
        self.entity_by_name.get(name).copied()
    }

    /// The entities the pattern at position `p` names, in its order: each one's
    /// position, or `None` where no entity has that name.
    pub fn pattern_entities(&self, p: usize) -> impl Iterator<Item = Option<usize>> + '_ {
        let (start, end) = self.pattern_spans[p];
        self.entity_refs[start as usize..end as usize]
            .iter()
            .map(|e| e.map(|e| e as usize))
    }

    /// The entities the pattern at position `p` names that exist.
    pub fn known_entities(&self, p: usize) -> impl Iterator<Item = usize> + '_ {
        self.pattern_entities(p).flatten()
    }

    /// The first entity the pattern at position `p` names, if it exists.
    pub fn primary_entity(&self, p: usize) -> Option<usize> {
        self.pattern_entities(p).next().flatten()
    }

    /// The parsed template entity `e` writes into `key_attribute`, if it parses.
    pub fn template(&self, e: usize, key_attribute: &str) -> Option<&Template<'m>> {
        self.entities[e]
            .templates
            .get(key_attribute)
            .and_then(|r| r.as_ref().ok())
    }

    /// How many distinct values a template takes across the entity's items.
    pub fn distinct_values(&self, e: usize, template: &Template) -> f64 {
        self.distinct_of(e, template.placeholders())
    }

    /// Distinct partitions the entity occupies in index `ix` of its table.
    pub fn partitions(&self, e: usize, ix: usize) -> f64 {
        self.entities[e].partitions.get(ix).copied().unwrap_or(1.0)
    }

    /// The value domain a placeholder draws from: references are followed to
    /// their source attribute, so `Product.category_id` and `Category.parent_id`
    /// that both reference `Category.category_id` share a domain.
    pub fn domain<'a>(&'a self, e: usize, attribute: &'a str) -> &'a str {
        let mut entity = self.entities[e].entity;
        let mut attr = attribute;
        for _ in 0..8 {
            match entity.attribute(attr).and_then(|a| a.generator.as_ref()) {
                Some(Generator::Reference {
                    entity: target,
                    attribute: target_attr,
                }) => match self.entity_index(target) {
                    Some(t) => {
                        entity = self.entities[t].entity;
                        attr = target_attr;
                    }
                    None => break,
                },
                _ => break,
            }
        }
        attr
    }

    /// The shape of a template for partition sharing: literals kept, placeholders
    /// replaced by their domain. Two entities whose partition-key templates have
    /// the same shape can land in the same partition.
    fn shape<'a>(
        &'a self,
        e: usize,
        template: &'a Template,
    ) -> impl Iterator<Item = ShapePart<'a>> {
        template.segments.iter().map(move |s| match s {
            Segment::Literal(l) => ShapePart::Literal(l),
            Segment::Placeholder { attribute, .. } => ShapePart::Domain(self.domain(e, attribute)),
        })
    }

    /// Whether entity `e` writes a parsed template into every partition-key
    /// attribute of index `ix`.
    fn has_partition_templates(&self, e: usize, ix: usize) -> bool {
        self.entities[e].table.is_some_and(|t| {
            self.tables[t].indexes[ix]
                .partition_key
                .iter()
                .all(|k| self.template(e, &k.name).is_some())
        })
    }

    /// The partition-key shape of entity `e` in index `ix`, its key attributes'
    /// shapes one after the other (only meaningful where `has_partition_templates`).
    fn partition_shape(&self, e: usize, ix: usize) -> impl Iterator<Item = ShapePart<'_>> {
        let keys = match self.entities[e].table {
            Some(t) => self.tables[t].indexes[ix].partition_key.as_slice(),
            None => &[],
        };
        keys.iter().enumerate().flat_map(move |(i, k)| {
            let separator = (i > 0).then_some(ShapePart::Next);
            separator.into_iter().chain(
                self.template(e, &k.name)
                    .into_iter()
                    .flat_map(move |tpl| self.shape(e, tpl)),
            )
        })
    }

    /// The partition key as entity `e` writes it in index `ix`: `{email}`, or
    /// `{a} + {b}` for a multi-attribute key.
    pub fn partition_key_text(&self, e: usize, ix: usize) -> String {
        use std::fmt::Write;
        let keys = match self.entities[e].table {
            Some(t) => self.tables[t].indexes[ix].partition_key.as_slice(),
            None => &[],
        };
        let mut text = String::with_capacity(32);
        for (i, tpl) in keys
            .iter()
            .filter_map(|k| self.template(e, &k.name))
            .enumerate()
        {
            if i > 0 {
                text.push_str(" + ");
            }
            // Writing into a String cannot fail.
            let _ = write!(text, "{tpl}");
        }
        text
    }

    /// Total items held by index `ix` of table `t`.
    pub fn index_items(&self, t: usize, ix: usize) -> f64 {
        self.tables[t]
            .entities
            .iter()
            .filter(|&&e| self.entities[e].in_index[ix])
            .map(|&e| self.entities[e].entity.item_count as f64)
            .sum()
    }

    pub fn index_name(&self, t: usize, ix: usize) -> Option<&'m str> {
        self.tables[t].indexes[ix].name
    }

    /// The shared name of one of table `t`'s key attributes.
    pub fn key_name(&self, t: usize, name: &str) -> Name {
        let info = &self.tables[t];
        match info.key_names.iter().position(|&k| k == name) {
            Some(i) => info.key_name_shared[i].clone(),
            None => Name::from(name),
        }
    }
}

/// The templates an entity writes into its table's key attributes, in the table's
/// key-attribute order: a short list, searched by pointer before by text, since the
/// names asked for are mostly the very strings the list was built from.
#[derive(Default)]
pub struct Templates<'m>(Vec<KeyTemplate<'m>>);

/// The template an entity writes into one key attribute.
struct KeyTemplate<'m> {
    key: &'m str,
    parsed: Result<Template<'m>, TemplateError>,
    /// Estimated size in bytes of the value it renders (0 if it does not parse).
    size: f64,
}

impl<'m> Templates<'m> {
    fn find(&self, key_attribute: &str) -> Option<&KeyTemplate<'m>> {
        let same = |k: &str| {
            std::ptr::eq(k.as_ptr(), key_attribute.as_ptr()) && k.len() == key_attribute.len()
        };
        self.0
            .iter()
            .find(|t| same(t.key))
            .or_else(|| self.0.iter().find(|t| t.key == key_attribute))
    }

    pub fn get(&self, key_attribute: &str) -> Option<&Result<Template<'m>, TemplateError>> {
        self.find(key_attribute).map(|t| &t.parsed)
    }

    /// Estimated size of the value written into `key_attribute` (0 without a valid template).
    pub fn value_size(&self, key_attribute: &str) -> f64 {
        self.find(key_attribute).map_or(0.0, |t| t.size)
    }

    pub fn contains_key(&self, key_attribute: &str) -> bool {
        self.get(key_attribute).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'m str, &Result<Template<'m>, TemplateError>)> {
        self.0.iter().map(|t| (t.key, &t.parsed))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum ShapePart<'a> {
    Literal(&'a str),
    Domain(&'a str),
    /// Between the shapes of two key attributes.
    Next,
}

impl<'m> EntityInfo<'m> {
    fn unplaced(entity: &'m Entity) -> Self {
        EntityInfo {
            entity,
            name: Name::from(entity.name.as_str()),
            table: None,
            templates: Templates::default(),
            in_index: Vec::new(),
            item_size: attributes_size(entity),
            index_size: Vec::new(),
            pk_shapes: Vec::new(),
            partitions: Vec::new(),
        }
    }

    fn new(
        entity: &'m Entity,
        table: Option<usize>,
        key_names: &[&'m str],
        indexes: &[IndexView<'m>],
    ) -> Self {
        let mut templates = Templates(Vec::with_capacity(key_names.len()));
        for &key in key_names {
            if let Some(parsed) = entity.parsed_key_template(key) {
                let size = parsed.as_ref().map_or(0.0, |t| template_size(entity, t));
                templates.0.push(KeyTemplate { key, parsed, size });
            }
        }
        // A key attribute's name and value, where the entity writes a valid template.
        let key_size = |name: &str| match templates.find(name) {
            Some(t) if t.parsed.is_ok() => t.size + name.len() as f64,
            _ => 0.0,
        };
        // Key attributes that are not plain copies of an entity attribute add to the item.
        let extra_keys: f64 = templates
            .0
            .iter()
            .filter(|t| t.parsed.is_ok() && entity.attribute(t.key).is_none())
            .map(|t| t.size + t.key.len() as f64)
            .sum();
        let item_size = attributes_size(entity) + extra_keys;
        let in_index: Vec<bool> = indexes
            .iter()
            .map(|ix| {
                ix.key_attributes()
                    .all(|k| matches!(templates.get(&k.name), Some(Ok(_))))
            })
            .collect();
        let base_keys: f64 = indexes[0].key_attributes().map(|k| key_size(&k.name)).sum();
        let index_size = indexes
            .iter()
            .map(|ix| match (ix.kind, ix.projection) {
                (IndexKind::Table, _) | (_, Some(Projection::All)) | (_, None) => item_size,
                (_, Some(p)) => {
                    let own_keys: f64 = ix.key_attributes().map(|k| key_size(&k.name)).sum();
                    let included: f64 = match p {
                        Projection::Include { attributes } => attributes
                            .iter()
                            .filter_map(|a| entity.attribute(a))
                            .map(|a| a.name.len() as f64 + f64::from(a.value_size()))
                            .sum(),
                        _ => 0.0,
                    };
                    (base_keys + own_keys + included).min(item_size)
                }
            })
            .collect();
        let items = entity.item_count.max(1) as f64;
        let partitions = indexes
            .iter()
            .map(|ix| {
                let mut product = 1.0f64;
                for k in &ix.partition_key {
                    if let Some(Ok(tpl)) = templates.get(&k.name) {
                        product *= distinct_of(entity, tpl.placeholders());
                    }
                }
                product.min(items).max(1.0)
            })
            .collect();
        EntityInfo {
            entity,
            name: Name::from(entity.name.as_str()),
            table,
            templates,
            in_index,
            item_size,
            index_size,
            pk_shapes: Vec::new(),
            partitions,
        }
    }
}

/// Estimated distinct values of one attribute of an entity.
fn attribute_distinct(entity: &Entity, name: &str) -> f64 {
    let items = entity.item_count.max(1) as f64;
    let d = match entity.attribute(name) {
        Some(a) if a.attr_type == crate::model::AttrType::Bool => 2.0,
        Some(a) => match (a.distinct_values, &a.generator) {
            (Some(d), _) => d as f64,
            (None, Some(Generator::Choice { values, .. })) => values.len() as f64,
            (None, Some(Generator::Constant { .. })) => 1.0,
            (None, Some(Generator::Boolean { .. })) => 2.0,
            _ => items,
        },
        None => items,
    };
    d.clamp(1.0, items)
}

/// Estimated distinct combinations of some attributes of an entity.
fn distinct_of<'a>(entity: &Entity, names: impl IntoIterator<Item = &'a str>) -> f64 {
    let items = entity.item_count.max(1) as f64;
    let mut product = 1.0f64;
    for name in names {
        product *= attribute_distinct(entity, name);
    }
    product.clamp(1.0, items)
}

fn attributes_size(entity: &Entity) -> f64 {
    entity
        .attributes
        .iter()
        .map(|a| a.name.len() as f64 + f64::from(a.value_size()))
        .sum()
}

/// Estimated size in bytes of the value a template renders.
pub fn template_size(entity: &Entity, template: &Template) -> f64 {
    template
        .segments
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => l.len() as f64,
            Segment::Placeholder {
                attribute, width, ..
            } => {
                let size = entity
                    .attribute(attribute)
                    .map(|a| a.value_size())
                    .unwrap_or(20);
                f64::from(size.max(u32::from(width.unwrap_or(0))))
            }
        })
        .sum()
}

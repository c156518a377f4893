//! A model prepared for analysis: templates parsed once, names looked up by hash,
//! sizes and cardinalities estimated. Every rule reads this instead of re-parsing.

use std::collections::BTreeMap;

use super::Name;
use super::fxhash::FxHashMap as HashMap;

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
    pub templates: BTreeMap<&'m str, Result<Template, TemplateError>>,
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
        let mut entities = Vec::with_capacity(model.entities.len());
        for (ei, entity) in model.entities.iter().enumerate() {
            let table = table_by_name.get(entity.table.as_str()).copied();
            let info = match table {
                Some(ti) => {
                    tables[ti].entities.push(ei);
                    EntityInfo::new(entity, Some(ti), &tables[ti].key_names, &tables[ti].indexes)
                }
                None => EntityInfo::unplaced(entity),
            };
            entities.push(info);
        }
        let mut ctx = Context {
            model,
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
        let mut partitions: Vec<Vec<f64>> = Vec::with_capacity(ctx.entities.len());
        {
            let mut ids: HashMap<Vec<Vec<ShapePart>>, u32> = HashMap::default();
            for e in 0..ctx.entities.len() {
                let indexes = ctx.entities[e]
                    .table
                    .map_or(0, |t| ctx.tables[t].indexes.len());
                shape_ids.push(
                    (0..indexes)
                        .map(|ix| {
                            ctx.partition_shape(e, ix).map(|shape| {
                                let next = ids.len() as u32;
                                *ids.entry(shape).or_insert(next)
                            })
                        })
                        .collect(),
                );
                partitions.push((0..indexes).map(|ix| ctx.count_partitions(e, ix)).collect());
            }
        }
        for (info, (shapes, counts)) in ctx
            .entities
            .iter_mut()
            .zip(shape_ids.into_iter().zip(partitions))
        {
            info.pk_shapes = shapes;
            info.partitions = counts;
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
        let entity = self.entities[e].entity;
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

    /// Estimated distinct combinations of some attributes of entity `e`.
    pub fn distinct_of<'a>(&self, e: usize, names: impl IntoIterator<Item = &'a str>) -> f64 {
        let items = self.entities[e].entity.item_count.max(1) as f64;
        let mut product = 1.0f64;
        for name in names {
            product *= self.attribute_distinct(e, name);
        }
        product.clamp(1.0, items)
    }

    pub fn table_index(&self, name: &str) -> Option<usize> {
        self.table_by_name.get(name).copied()
    }

    pub fn entity_index(&self, name: &str) -> Option<usize> {
        self.entity_by_name.get(name).copied()
    }

    /// The parsed template entity `e` writes into `key_attribute`, if it parses.
    pub fn template(&self, e: usize, key_attribute: &str) -> Option<&Template> {
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

    fn count_partitions(&self, e: usize, ix: usize) -> f64 {
        let Some(t) = self.entities[e].table else {
            return 1.0;
        };
        let index = &self.tables[t].indexes[ix];
        let mut product = 1.0f64;
        for k in &index.partition_key {
            if let Some(tpl) = self.template(e, &k.name) {
                product *= self.distinct_values(e, tpl);
            }
        }
        product
            .min(self.entities[e].entity.item_count.max(1) as f64)
            .max(1.0)
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
    pub fn shape<'a>(&'a self, e: usize, template: &'a Template) -> Vec<ShapePart<'a>> {
        template
            .segments
            .iter()
            .map(|s| match s {
                Segment::Literal(l) => ShapePart::Literal(l),
                Segment::Placeholder { attribute, .. } => {
                    ShapePart::Domain(self.domain(e, attribute))
                }
            })
            .collect()
    }

    /// The partition-key shape of entity `e` in index `ix` (one entry per key attribute).
    pub fn partition_shape(&self, e: usize, ix: usize) -> Option<Vec<Vec<ShapePart<'_>>>> {
        let t = self.entities[e].table?;
        self.tables[t].indexes[ix]
            .partition_key
            .iter()
            .map(|k| self.template(e, &k.name).map(|tpl| self.shape(e, tpl)))
            .collect()
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

    /// The shared name of index `ix` of table `t` (`None` for the base table).
    pub fn index_name_shared(&self, t: usize, ix: usize) -> Option<Name> {
        self.tables[t].index_names[ix].clone()
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ShapePart<'a> {
    Literal(&'a str),
    Domain(&'a str),
}

impl<'m> EntityInfo<'m> {
    fn unplaced(entity: &'m Entity) -> Self {
        EntityInfo {
            entity,
            name: Name::from(entity.name.as_str()),
            table: None,
            templates: BTreeMap::new(),
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
        let mut templates = BTreeMap::new();
        for &name in key_names {
            if let Some(text) = entity.key_template(name) {
                templates.insert(name, Template::parse(&text));
            }
        }
        let key_sizes: HashMap<&str, f64> = templates
            .iter()
            .filter_map(|(k, t)| {
                t.as_ref()
                    .ok()
                    .map(|t| (*k, template_size(entity, t) + k.len() as f64))
            })
            .collect();
        // Key attributes that are not plain copies of an entity attribute add to the item.
        let extra_keys: f64 = key_sizes
            .iter()
            .filter(|(k, _)| entity.attribute(k).is_none())
            .map(|(_, s)| *s)
            .sum();
        let item_size = attributes_size(entity) + extra_keys;
        let in_index: Vec<bool> = indexes
            .iter()
            .map(|ix| {
                ix.key_attributes()
                    .all(|k| matches!(templates.get(k.name.as_str()), Some(Ok(_))))
            })
            .collect();
        let base_keys: f64 = indexes[0]
            .key_attributes()
            .map(|k| key_sizes.get(k.name.as_str()).copied().unwrap_or(0.0))
            .sum();
        let index_size = indexes
            .iter()
            .map(|ix| match (ix.kind, ix.projection) {
                (IndexKind::Table, _) | (_, Some(Projection::All)) | (_, None) => item_size,
                (_, Some(p)) => {
                    let own_keys: f64 = ix
                        .key_attributes()
                        .map(|k| key_sizes.get(k.name.as_str()).copied().unwrap_or(0.0))
                        .sum();
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
        EntityInfo {
            entity,
            name: Name::from(entity.name.as_str()),
            table,
            templates,
            in_index,
            item_size,
            index_size,
            pk_shapes: Vec::new(),
            partitions: Vec::new(),
        }
    }
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

//! Every change to a model is an `Edit`: a value that names its target by
//! identity, can be printed, tested without a window, attached to a finding as
//! its fix, and replayed. `Model::apply` is the one place edits are carried out:
//! it validates the edit first and either applies it whole, with every cascade
//! (pins, templates, projections, inputs, references, conventions), or refuses
//! it with a message and leaves the model untouched.

mod apply;
mod cascade;
mod names;
#[cfg(test)]
mod tests;

use super::{
    AccessPattern, AttrType, Attribute, Billing, Consistency, Entity, Generator, Gsi, Item,
    KeyAttribute, KeyType, Lsi, Operation, Profile, Projection, ProvisionedThroughput,
    RangeCondition, SortOrder, StreamView, Table, TimeToLive, Uid,
};
use crate::model::{Position, Source};

pub use names::{FreshNames, unique_name};

/// A model element, by identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Element {
    Table(Uid),
    /// A GSI or LSI of a table.
    Index {
        table: Uid,
        index: Uid,
    },
    Entity(Uid),
    Attribute {
        entity: Uid,
        attribute: Uid,
    },
    Pattern(Uid),
}

#[derive(Clone, Debug, PartialEq)]
pub enum NewIndex {
    Gsi(Gsi),
    Lsi(Lsi),
}

/// A change to the model as a whole.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelChange {
    Name(String),
    Description(String),
    TradeOffs(String),
    Profile(Profile),
    /// Moves a diagram node (by its id, `table:Users`) to a position, or with
    /// `None` gives it back to the automatic layout.
    DiagramPosition {
        node: String,
        position: Option<Position>,
    },
}

/// A change to one field of a table. Its key attributes are renamed with
/// `Edit::RenameKeyAttribute`, which carries the new name into every index and
/// template.
#[derive(Clone, Debug, PartialEq)]
pub enum TableChange {
    Description(String),
    Billing(Billing),
    PartitionKeyType(KeyType),
    /// Adds, removes or retypes the sort key. Adding one gives every entity of
    /// the table a template for it; removing it drops those templates.
    SortKey(Option<KeyAttribute>),
    Ttl(Option<TimeToLive>),
    Stream(Option<StreamView>),
}

/// A change to one field of a GSI or LSI.
#[derive(Clone, Debug, PartialEq)]
pub enum IndexChange {
    Projection(Projection),
    /// A GSI's partition key attributes (1–4).
    PartitionKey(Vec<KeyAttribute>),
    /// A GSI's sort key attributes (0–4), or an LSI's one.
    SortKey(Vec<KeyAttribute>),
    /// A GSI's own throughput on a provisioned table.
    Provisioned(Option<ProvisionedThroughput>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum EntityChange {
    Description(String),
    ItemCount(u64),
    ExampleItems(Vec<Item>),
    /// The relational table the entity's items come from (empty: unknown).
    SourceTable(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum AttributeChange {
    Type(AttrType),
    Size(Option<u32>),
    DistinctValues(Option<u64>),
    Generator(Option<Generator>),
    Description(String),
    /// Where the values come from in the relational source.
    Source(Option<Source>),
    NotNull(bool),
    Unique(bool),
}

#[derive(Clone, Debug, PartialEq)]
pub enum PatternChange {
    Description(String),
    Operation(Operation),
    /// The entities the pattern reads or writes; inputs and a range that none of
    /// them has any more are dropped with the change.
    Entities(Vec<String>),
    Inputs(Vec<String>),
    Range(Option<RangeCondition>),
    Sort(SortOrder),
    Items(u32),
    PeakRps(f64),
    AverageRps(f64),
    Consistency(Consistency),
    OutsideDynamodb(Option<String>),
    /// Pins the pattern to an index of its table (the table's name for the
    /// base table), or unpins it.
    Index(Option<String>),
    Notes(String),
    /// Marks a suggested pattern confirmed (or suggested again).
    Suggested(bool),
}

/// One change to a model.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    Model(ModelChange),
    AddTable(Table),
    AddIndex {
        table: Uid,
        index: NewIndex,
    },
    /// Adds an entity to the table its `table` field names.
    AddEntity(Entity),
    AddAttribute {
        entity: Uid,
        attribute: Attribute,
    },
    AddPattern(AccessPattern),
    /// Copies a table (with its entities), an entity or a pattern under a fresh name.
    Duplicate(Element),
    Remove(Element),
    Rename {
        element: Element,
        name: String,
    },
    /// Renames a key attribute of a table in each of its indexes and in its
    /// entities' templates and example items.
    RenameKeyAttribute {
        table: Uid,
        from: String,
        to: String,
    },
    MoveEntity {
        entity: Uid,
        table: Uid,
    },
    /// Sets (or, with `None`, removes) the template an entity writes into a key attribute.
    SetTemplate {
        entity: Uid,
        key: String,
        template: Option<String>,
    },
    Table {
        table: Uid,
        change: TableChange,
    },
    Index {
        table: Uid,
        index: Uid,
        change: IndexChange,
    },
    Entity {
        entity: Uid,
        change: EntityChange,
    },
    Attribute {
        entity: Uid,
        attribute: Uid,
        change: AttributeChange,
    },
    Pattern {
        pattern: Uid,
        change: PatternChange,
    },
    /// Several edits as one step: all of them or none.
    Batch {
        label: String,
        edits: Vec<Edit>,
    },
}

/// What applying an edit did.
#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    /// A short description for the undo menu: "Rename table Orders to Carts".
    pub label: String,
    /// The element the edit created (added or duplicated), to select it.
    pub created: Option<Element>,
}

/// Why an edit was refused. The model is as it was.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EditError {
    /// The target is no longer in the model.
    #[error("{0} is no longer in the model")]
    Missing(String),
    /// A name another element of the same kind already has.
    #[error("{kind} `{name}` already exists")]
    Taken { kind: &'static str, name: String },
    #[error("{0}")]
    Invalid(String),
}

impl EditError {
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        EditError::Invalid(message.into())
    }
}

impl Edit {
    /// Edits of the same field of the same element in a row (typing) share this
    /// key: the history makes them one undo step.
    pub fn merge_key(&self) -> Option<String> {
        let key = match self {
            // Dragging a node sends a position per frame: one undo step per node.
            Edit::Model(ModelChange::DiagramPosition { node, .. }) => {
                format!("diagram position {node}")
            }
            Edit::Model(change) => format!("model {}", model_field(change)),
            Edit::Rename { element, .. } => format!("rename {element:?}"),
            Edit::RenameKeyAttribute { table, .. } => format!("rename key of {table}"),
            Edit::SetTemplate { entity, key, .. } => format!("template {entity} {key}"),
            Edit::Table { table, change } => format!("{table} {}", table_field(change)),
            Edit::Index { index, change, .. } => format!("{index} {}", index_field(change)),
            Edit::Entity { entity, change } => format!("{entity} {}", entity_field(change)),
            Edit::Attribute {
                attribute, change, ..
            } => format!("{attribute} {}", attribute_field(change)),
            Edit::Pattern { pattern, change } => {
                format!("{pattern} {}", pattern_field(change))
            }
            _ => return None,
        };
        Some(key)
    }
}

fn model_field(change: &ModelChange) -> &'static str {
    match change {
        ModelChange::Name(_) => "name",
        ModelChange::Description(_) => "description",
        ModelChange::TradeOffs(_) => "trade-offs",
        ModelChange::Profile(_) => "profile",
        ModelChange::DiagramPosition { .. } => "diagram layout",
    }
}

fn table_field(change: &TableChange) -> &'static str {
    match change {
        TableChange::Description(_) => "description",
        TableChange::Billing(_) => "billing",
        TableChange::PartitionKeyType(_) => "partition key type",
        TableChange::SortKey(_) => "sort key",
        TableChange::Ttl(_) => "time to live",
        TableChange::Stream(_) => "stream",
    }
}

fn index_field(change: &IndexChange) -> &'static str {
    match change {
        IndexChange::Projection(_) => "projection",
        IndexChange::PartitionKey(_) => "partition key",
        IndexChange::SortKey(_) => "sort key",
        IndexChange::Provisioned(_) => "throughput",
    }
}

fn entity_field(change: &EntityChange) -> &'static str {
    match change {
        EntityChange::Description(_) => "description",
        EntityChange::ItemCount(_) => "item count",
        EntityChange::ExampleItems(_) => "example items",
        EntityChange::SourceTable(_) => "source table",
    }
}

fn attribute_field(change: &AttributeChange) -> &'static str {
    match change {
        AttributeChange::Type(_) => "type",
        AttributeChange::Size(_) => "size",
        AttributeChange::DistinctValues(_) => "distinct values",
        AttributeChange::Generator(_) => "sample values",
        AttributeChange::Description(_) => "description",
        AttributeChange::Source(_) => "source",
        AttributeChange::NotNull(_) => "NOT NULL",
        AttributeChange::Unique(_) => "UNIQUE",
    }
}

fn pattern_field(change: &PatternChange) -> &'static str {
    match change {
        PatternChange::Description(_) => "description",
        PatternChange::Operation(_) => "operation",
        PatternChange::Entities(_) => "entities",
        PatternChange::Inputs(_) => "inputs",
        PatternChange::Range(_) => "range condition",
        PatternChange::Sort(_) => "sort order",
        PatternChange::Items(_) => "items per call",
        PatternChange::PeakRps(_) => "peak RPS",
        PatternChange::AverageRps(_) => "average RPS",
        PatternChange::Consistency(_) => "consistency",
        PatternChange::OutsideDynamodb(_) => "where it is served",
        PatternChange::Index(_) => "pinned index",
        PatternChange::Notes(_) => "notes",
        PatternChange::Suggested(_) => "suggested mark",
    }
}

/// Finding elements by identity, and identities by name.
impl super::Model {
    pub fn table_pos(&self, table: Uid) -> Option<usize> {
        self.tables.iter().position(|t| t.uid.get() == table)
    }

    pub fn entity_pos(&self, entity: Uid) -> Option<usize> {
        self.entities.iter().position(|e| e.uid.get() == entity)
    }

    pub fn pattern_pos(&self, pattern: Uid) -> Option<usize> {
        self.access_patterns
            .iter()
            .position(|p| p.uid.get() == pattern)
    }

    pub fn table_by_uid(&self, table: Uid) -> Option<&Table> {
        self.table_pos(table).map(|t| &self.tables[t])
    }

    pub fn entity_by_uid(&self, entity: Uid) -> Option<&Entity> {
        self.entity_pos(entity).map(|e| &self.entities[e])
    }

    pub fn pattern_by_uid(&self, pattern: Uid) -> Option<&AccessPattern> {
        self.pattern_pos(pattern).map(|p| &self.access_patterns[p])
    }

    /// The identity of the table called `name` (the first, should two share it).
    pub fn table_uid(&self, name: &str) -> Option<Uid> {
        self.table(name).map(|t| t.uid.get())
    }

    pub fn entity_uid(&self, name: &str) -> Option<Uid> {
        self.entity(name).map(|e| e.uid.get())
    }

    pub fn pattern_uid(&self, id: &str) -> Option<Uid> {
        self.pattern(id).map(|p| p.uid.get())
    }

    /// The GSI or LSI called `index` of the table called `table`.
    pub fn index_element(&self, table: &str, index: &str) -> Option<Element> {
        let t = self.table(table)?;
        let index = t
            .gsis
            .iter()
            .map(|g| (&g.name, g.uid))
            .chain(t.lsis.iter().map(|l| (&l.name, l.uid)))
            .find(|(name, _)| *name == index)?
            .1;
        Some(Element::Index {
            table: t.uid.get(),
            index: index.get(),
        })
    }

    pub fn attribute_element(&self, entity: &str, attribute: &str) -> Option<Element> {
        let e = self.entity(entity)?;
        let a = e.attribute(attribute)?;
        Some(Element::Attribute {
            entity: e.uid.get(),
            attribute: a.uid.get(),
        })
    }

    /// Whether `element` is in the model.
    pub fn contains(&self, element: Element) -> bool {
        self.element_name(element).is_some()
    }

    /// The name (an access pattern's id) of an element of the model.
    pub fn element_name(&self, element: Element) -> Option<&str> {
        match element {
            Element::Table(t) => self.table_by_uid(t).map(|t| t.name.as_str()),
            Element::Index { table, index } => {
                let t = self.table_by_uid(table)?;
                t.gsis
                    .iter()
                    .find(|g| g.uid.get() == index)
                    .map(|g| g.name.as_str())
                    .or_else(|| {
                        t.lsis
                            .iter()
                            .find(|l| l.uid.get() == index)
                            .map(|l| l.name.as_str())
                    })
            }
            Element::Entity(e) => self.entity_by_uid(e).map(|e| e.name.as_str()),
            Element::Attribute { entity, attribute } => self
                .entity_by_uid(entity)?
                .attributes
                .iter()
                .find(|a| a.uid.get() == attribute)
                .map(|a| a.name.as_str()),
            Element::Pattern(p) => self.pattern_by_uid(p).map(|p| p.id.as_str()),
        }
    }

    /// Gives every element that shares its identity with an earlier one (a copy
    /// made outside `apply`) an identity of its own.
    pub fn renew_duplicate_ids(&mut self) {
        let mut seen = std::collections::HashSet::new();
        let mut check = |id: &mut super::ElementId| {
            if !seen.insert(id.get()) {
                id.renew();
            }
        };
        for t in &mut self.tables {
            check(&mut t.uid);
            t.gsis.iter_mut().for_each(|g| check(&mut g.uid));
            t.lsis.iter_mut().for_each(|l| check(&mut l.uid));
        }
        for e in &mut self.entities {
            check(&mut e.uid);
            e.attributes.iter_mut().for_each(|a| check(&mut a.uid));
        }
        self.access_patterns
            .iter_mut()
            .for_each(|p| check(&mut p.uid));
    }
}

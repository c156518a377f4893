//! Entities and key templates guessed from items, for the formats that carry
//! items but not templates. A key value such as `comm#2023-04-30T12:00:24#comm1`
//! is split at `#`; segments every item shares become literals, segments equal
//! to an attribute become that attribute's placeholder (`comm#{comm_date}#{comm_id}`),
//! and the rest are named from a hint (NoSQL Workbench's key alias) or from the
//! literal before them. Every guess is reported.

mod group;
mod keys;

use std::collections::{BTreeMap, HashSet};

use super::{NoteKind, Report};
use crate::model::{AttrType, Attribute, Entity, Item, KeyAttribute, Table};
pub use group::{group_items, pascal};
use keys::{ValueIndex, guess_key};

/// What an importer knows about an entity besides its items.
#[derive(Default)]
pub struct Hints<'a> {
    /// Key attribute name → the source's own description of its value, e.g.
    /// NoSQL Workbench's `SubId#SKU` (or a template, as dynamodel exports it).
    pub aliases: BTreeMap<&'a str, &'a str>,
    /// The entity's attributes as the source declares them, in order.
    pub attributes: Vec<(String, AttrType)>,
}

/// Builds an entity of `table` from its items: attributes, key templates, and
/// the items kept as example items. `others` are the table's other items, for
/// naming a partition key after an attribute another entity holds. (The
/// importers infer a whole table at once with [`entities`].)
#[cfg(test)]
pub fn entity(
    table: &Table,
    name: &str,
    items: Vec<Item>,
    others: &[&Item],
    hints: &Hints,
    at: &str,
    report: &mut Report,
) -> Entity {
    let index = ValueIndex::new(others.iter().map(|item| (0, *item)).collect());
    let mut entity = infer_entity(table, name, &items, (&index, usize::MAX), hints, at, report);
    entity.example_items = items;
    entity
}

/// An entity to infer with [`entities`]: its name, items, hints, and where the
/// source has it (for the report).
pub struct Group<'a> {
    pub name: String,
    pub items: Vec<Item>,
    pub hints: Hints<'a>,
    pub at: String,
}

/// The entities of a table, each as [`entity`] builds it with the others'
/// items as `others`; the other items' values are indexed once for all of
/// them, so the cost is linear in the table's items, however many entities.
/// `before_each` is called with each group's number before its entity is
/// inferred (to report it).
pub fn entities(
    table: &Table,
    groups: Vec<Group>,
    mut before_each: impl FnMut(usize, &Group, &mut Report),
    report: &mut Report,
) -> Vec<Entity> {
    let index = ValueIndex::new(
        groups
            .iter()
            .enumerate()
            .flat_map(|(g, group)| group.items.iter().map(move |item| (g, item)))
            .collect(),
    );
    let mut built = Vec::with_capacity(groups.len());
    for (g, group) in groups.iter().enumerate() {
        before_each(g, group, report);
        built.push(infer_entity(
            table,
            &group.name,
            &group.items,
            (&index, g),
            &group.hints,
            &group.at,
            report,
        ));
    }
    drop(index);
    built
        .into_iter()
        .zip(groups)
        .map(|(mut entity, group)| {
            entity.example_items = group.items;
            entity
        })
        .collect()
}

/// An entity from its items, without the items; `others` indexes the table's
/// items, and the number of the entity's own group among them.
fn infer_entity(
    table: &Table,
    name: &str,
    items: &[Item],
    others: (&ValueIndex, usize),
    hints: &Hints,
    at: &str,
    report: &mut Report,
) -> Entity {
    let mut entity = Entity::new(name, &table.name);
    let base: Vec<&KeyAttribute> = std::iter::once(&table.partition_key)
        .chain(table.sort_key.iter())
        .collect();
    let all_keys = table.key_attribute_names();
    // The entity's attribute names, kept beside its list: one lookup per
    // name, however many attributes the items hold.
    let mut declared: HashSet<String> = HashSet::new();

    for (attr, t) in &hints.attributes {
        if !base.iter().any(|k| &k.name == attr) && declared.insert(attr.clone()) {
            entity.attributes.push(Attribute::new(attr, *t));
        }
    }
    for item in items {
        for (attr, value) in item {
            if !all_keys.contains(&attr.as_str()) && !declared.contains(attr) {
                declared.insert(attr.clone());
                entity
                    .attributes
                    .push(Attribute::new(attr, value.attr_type()));
            }
        }
    }

    let mut bound: Vec<(String, Vec<Option<String>>)> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for index in table.indexes() {
        for key in index.key_attributes() {
            if !seen.insert(&key.name) {
                continue;
            }
            let is_base = base.iter().any(|k| k.name == key.name);
            let is_declared = declared.contains(&key.name);
            // Naming a key after another entity's attribute is for the keys
            // that put items into a collection: the table's own.
            let guess = guess_key(
                key,
                &all_keys,
                items,
                is_base.then_some(others),
                &entity,
                &bound,
                hints.aliases.get(key.name.as_str()).copied(),
            );
            let Some(guess) = guess else {
                if is_base {
                    report.push(
                        NoteKind::Inferred,
                        at,
                        format!(
                            "no item and no alias shows what {name} writes into `{}`: no template",
                            key.name
                        ),
                    );
                }
                continue;
            };
            if !is_base && !guess.structured {
                // A plain value: the key is an attribute of the entity itself.
                if !is_declared && items.iter().any(|i| i.contains_key(&key.name)) {
                    declared.insert(key.name.clone());
                    entity
                        .attributes
                        .push(Attribute::new(&key.name, attr_type(key)));
                }
                continue;
            }
            if !is_base && is_declared {
                declared.remove(&key.name);
                entity.attributes.retain(|a| a.name != key.name);
            }
            for (attr, t) in &guess.new_attributes {
                if declared.insert(attr.clone()) {
                    entity.attributes.push(Attribute::new(attr, *t));
                }
            }
            report.push(
                NoteKind::Inferred,
                at,
                format!(
                    "{name} writes `{}` into `{}` ({})",
                    guess.template, key.name, guess.how
                ),
            );
            bound.extend(guess.bound);
            entity.keys.insert(key.name.clone(), guess.template);
        }
    }
    entity
}

fn attr_type(key: &KeyAttribute) -> AttrType {
    match key.key_type {
        crate::model::KeyType::S => AttrType::S,
        crate::model::KeyType::N => AttrType::N,
        crate::model::KeyType::B => AttrType::B,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AttrValue;

    pub(super) fn item(pairs: &[(&str, &str)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), AttrValue::S(v.to_string())))
            .collect()
    }

    pub(super) fn table() -> Table {
        let mut t = Table::new("Complaints", KeyAttribute::string("PK"));
        t.sort_key = Some(KeyAttribute::string("SK"));
        t
    }

    #[test]
    fn segments_become_literals_and_attributes() {
        let items = vec![
            item(&[
                ("PK", "C1"),
                ("SK", "comm#2023-01-01#c1"),
                ("comm_date", "2023-01-01"),
                ("comm_id", "c1"),
            ]),
            item(&[
                ("PK", "C2"),
                ("SK", "comm#2023-02-01#c2"),
                ("comm_date", "2023-02-01"),
                ("comm_id", "c2"),
            ]),
        ];
        let meta = item(&[("PK", "C1"), ("SK", "metadata"), ("complaint_id", "C1")]);
        let meta2 = item(&[("PK", "C2"), ("SK", "metadata"), ("complaint_id", "C2")]);
        let mut report = Report::default();
        let e = entity(
            &table(),
            "Comm",
            items,
            &[&meta, &meta2],
            &Hints::default(),
            "x",
            &mut report,
        );
        assert_eq!(e.keys["SK"], "comm#{comm_date}#{comm_id}");
        assert_eq!(
            e.keys["PK"], "{complaint_id}",
            "named after the other entity's attribute"
        );
        assert!(e.attribute("complaint_id").is_some());
        assert_eq!(e.example_items.len(), 2);
        assert_eq!(report.of_kind(NoteKind::Inferred).count(), 2, "{report:?}");
    }

    #[test]
    fn aliases_name_what_the_items_cannot() {
        let items = vec![item(&[
            ("PK", "ACC#123"),
            ("SK", "SUB#123#SKU#999"),
            ("SKU", "999"),
        ])];
        let hints = Hints {
            aliases: [("PK", "AccountId"), ("SK", "SubId#SKU")]
                .into_iter()
                .collect(),
            attributes: vec![("SKU".into(), AttrType::S)],
        };
        let e = entity(
            &table(),
            "Subscription",
            items,
            &[],
            &hints,
            "x",
            &mut Report::default(),
        );
        assert_eq!(e.keys["PK"], "ACC#{AccountId}");
        assert_eq!(e.keys["SK"], "SUB#{SubId}#SKU#{SKU}");
        let names: Vec<_> = e.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["SKU", "AccountId", "SubId"]);
    }

    #[test]
    fn a_value_repeated_from_another_key_reuses_its_name() {
        let items = vec![item(&[("PK", "player001"), ("SK", "#METADATA#player001")])];
        let hints = Hints {
            aliases: [("PK", "playerID"), ("SK", "#METEADATA#playerID")]
                .into_iter()
                .collect(),
            attributes: Vec::new(),
        };
        let e = entity(
            &table(),
            "Metadata",
            items,
            &[],
            &hints,
            "x",
            &mut Report::default(),
        );
        assert_eq!(e.keys["PK"], "{playerID}");
        assert_eq!(e.keys["SK"], "#METADATA#{playerID}");
    }

    #[test]
    fn without_items_the_alias_is_read_as_a_template() {
        let hints = Hints {
            aliases: [("PK", "playerID"), ("SK", "ITEMS#ItemID")]
                .into_iter()
                .collect(),
            attributes: Vec::new(),
        };
        let e = entity(
            &table(),
            "Items",
            Vec::new(),
            &[],
            &hints,
            "x",
            &mut Report::default(),
        );
        assert_eq!(e.keys["PK"], "{playerID}");
        assert_eq!(e.keys["SK"], "ITEMS#{ItemID}");
        // A dynamodel alias is a template already.
        let hints = Hints {
            aliases: [("PK", "{email}"), ("SK", "CART#{product_id}")]
                .into_iter()
                .collect(),
            attributes: Vec::new(),
        };
        let e = entity(
            &table(),
            "CartItem",
            Vec::new(),
            &[],
            &hints,
            "x",
            &mut Report::default(),
        );
        assert_eq!(e.keys["SK"], "CART#{product_id}");
        assert!(e.attribute("product_id").is_some());
    }

    #[test]
    fn a_sort_key_names_data_not_another_keys_attribute() {
        // labs-flights-fares: the sort key repeats `flight`, and so does GSI2PK,
        // which becomes the template `{flight}` itself.
        let mut t = table();
        t.gsis.push(crate::model::Gsi {
            uid: Default::default(),
            name: "GSI2".into(),
            partition_key: vec![KeyAttribute::string("GSI2PK")],
            sort_key: Vec::new(),
            projection: crate::model::Projection::All,
            provisioned: None,
        });
        let items = vec![
            item(&[
                ("PK", "Smith"),
                ("SK", "2021#150"),
                ("GSI2PK", "150"),
                ("flight", "150"),
            ]),
            item(&[
                ("PK", "Parker"),
                ("SK", "2022#160"),
                ("GSI2PK", "160"),
                ("flight", "160"),
            ]),
        ];
        let hints = Hints {
            aliases: Default::default(),
            attributes: vec![
                ("GSI2PK".into(), AttrType::S),
                ("flight".into(), AttrType::S),
            ],
        };
        let e = entity(
            &t,
            "Booking",
            items,
            &[],
            &hints,
            "x",
            &mut Report::default(),
        );
        assert_eq!(e.keys["SK"], "{sk}#{flight}");
        assert_eq!(e.keys["GSI2PK"], "{flight}");
        assert!(e.attribute("GSI2PK").is_none());
    }

    #[test]
    fn gsi_keys_that_copy_an_attribute_stay_attributes() {
        let mut t = table();
        t.gsis.push(crate::model::Gsi {
            uid: Default::default(),
            name: "ByCustomer".into(),
            partition_key: vec![KeyAttribute::string("customer_id")],
            sort_key: vec![KeyAttribute::string("GSI1SK")],
            projection: crate::model::Projection::All,
            provisioned: None,
        });
        let items = vec![item(&[
            ("PK", "O1"),
            ("SK", "#META"),
            ("customer_id", "c9"),
            ("created", "2024"),
            ("GSI1SK", "ORDER#2024"),
        ])];
        let e = entity(
            &t,
            "Order",
            items,
            &[],
            &Hints::default(),
            "x",
            &mut Report::default(),
        );
        assert!(!e.keys.contains_key("customer_id"));
        assert!(e.attribute("customer_id").is_some());
        assert_eq!(e.keys["GSI1SK"], "ORDER#{created}");
        assert!(e.attribute("GSI1SK").is_none());
    }
}

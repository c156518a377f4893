//! Which entity an item read back from DynamoDB belongs to, told from its
//! primary key and the entities' key templates, and whether a read returned what
//! its pattern asks for. Pure.

use std::collections::BTreeMap;

use super::calls::bind_key;
use crate::model::{AccessPattern, AttrValue, Item, KeyType, Model, Segment, Template};

/// Tells entities apart by the templates of their table's primary key.
pub struct Classifier {
    /// Table name to its entities, in model order.
    tables: BTreeMap<String, Vec<EntityKeys>>,
}

struct EntityKeys {
    entity: String,
    /// The base table's partition and sort key: name, type and the entity's template.
    keys: Vec<(String, KeyType, String, Template<'static>)>,
}

impl Classifier {
    pub fn new(model: &Model) -> Self {
        let mut tables: BTreeMap<String, Vec<EntityKeys>> = BTreeMap::new();
        for entity in &model.entities {
            let Some(table) = model.table(&entity.table) else {
                continue;
            };
            let mut keys = Vec::new();
            for key in std::iter::once(&table.partition_key).chain(table.sort_key.iter()) {
                let Some(text) = entity.key_template(&key.name) else {
                    continue;
                };
                let parsed = Template::parse(&text).map(Template::into_owned);
                if let Ok(template) = parsed {
                    keys.push((key.name.clone(), key.key_type, text.into_owned(), template));
                }
            }
            tables
                .entry(table.name.clone())
                .or_default()
                .push(EntityKeys {
                    entity: entity.name.clone(),
                    keys,
                });
        }
        Classifier { tables }
    }

    /// The entity an item of `table` belongs to: the first whose key templates,
    /// rendered with the item's own attributes, give its keys; else the first
    /// whose templates' literal text fits them (for projections without those
    /// attributes); else none.
    pub fn entity_of(&self, table: &str, item: &Item) -> Option<&str> {
        let entities = self.tables.get(table)?;
        let fits = |e: &&EntityKeys, exact: bool| {
            !e.keys.is_empty()
                && e.keys.iter().all(|(name, key_type, text, template)| {
                    let Some(value) = item.get(name) else {
                        return false;
                    };
                    if exact {
                        bind_key(text, *key_type, item).is_ok_and(|v| &v == value)
                    } else {
                        key_text(value).is_some_and(|t| matches(&template.segments, &t))
                    }
                })
        };
        entities
            .iter()
            .find(|e| fits(e, true))
            .or_else(|| entities.iter().find(|e| fits(e, false)))
            .map(|e| e.entity.as_str())
    }
}

fn key_text(value: &AttrValue) -> Option<String> {
    match value {
        AttrValue::S(s) | AttrValue::N(s) => Some(s.clone()),
        AttrValue::B(b) => super::convert::base64_decode(b)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        _ => None,
    }
}

/// Whether `text` has the template's shape: its literals where they stand, and
/// at least one character for each placeholder.
fn matches(segments: &[Segment], text: &str) -> bool {
    match segments.split_first() {
        None => text.is_empty(),
        Some((Segment::Literal(l), rest)) => text
            .strip_prefix(l.as_ref())
            .is_some_and(|t| matches(rest, t)),
        Some((Segment::Placeholder { .. }, rest)) => text
            .char_indices()
            .skip(1)
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .filter(|&i| i > 0)
            .any(|i| matches(rest, &text[i..])),
    }
}

/// Whether a read's items are what the pattern asks for, and why not.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub passed: bool,
    pub detail: String,
    /// Items returned per entity; `?` counts items that fit no entity.
    pub entities: BTreeMap<String, u64>,
}

/// Judges the items a read returned: at least `expected` items (each key of a
/// Get/BatchGet), at least one of the pattern's primary entity, and no item of
/// an entity the pattern does not read.
pub fn verdict(
    classifier: &Classifier,
    table: &str,
    pattern: &AccessPattern,
    items: &[Item],
    expected: usize,
) -> Verdict {
    let mut entities: BTreeMap<String, u64> = BTreeMap::new();
    for item in items {
        let name = classifier.entity_of(table, item).unwrap_or("?");
        *entities.entry(name.to_string()).or_default() += 1;
    }
    let primary = pattern.primary_entity().unwrap_or_default();
    let foreign: Vec<String> = entities
        .iter()
        .filter(|(e, _)| !pattern.entities.contains(e))
        .map(|(e, n)| {
            if e == "?" {
                format!("{n} that fit no entity of the model")
            } else {
                format!("{n} `{e}`")
            }
        })
        .collect();
    let got = entities.get(primary).copied().unwrap_or(0);
    let counted = counts_text(&entities);
    let (passed, detail) = if items.len() < expected.max(1) {
        let what = if items.is_empty() {
            "no item".to_string()
        } else {
            format!("{} of {expected} items", items.len())
        };
        (
            false,
            format!("returned {what}; expected {} `{primary}`", expected.max(1)),
        )
    } else if !foreign.is_empty() {
        (
            false,
            format!(
                "returned {counted}: {} besides `{primary}` — the key condition cannot tell them apart",
                foreign.join(", ")
            ),
        )
    } else if got == 0 {
        (false, format!("returned {counted} but no `{primary}`"))
    } else {
        (true, format!("returned {counted}"))
    };
    Verdict {
        passed,
        detail,
        entities,
    }
}

/// `2 Order, 3 OrderItem`.
pub fn counts_text(entities: &BTreeMap<String, u64>) -> String {
    entities
        .iter()
        .map(|(e, n)| format!("{n} {e}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::test_support::{bundled, s};
    use crate::model::Operation;

    fn keys(pk: &str, sk: &str) -> Item {
        Item::from([("PK".to_string(), s(pk)), ("SK".to_string(), s(sk))])
    }

    #[test]
    fn template_shapes() {
        fn t(s: &str) -> Vec<Segment<'_>> {
            Template::parse(s).unwrap().segments.into_vec()
        }
        assert!(matches(&t("CART#{product_id}"), "CART#p-1"));
        assert!(!matches(&t("CART#{product_id}"), "CART#"));
        assert!(!matches(&t("#META"), "#SELLER"));
        assert!(matches(&t("ORDER#{a}#{b}"), "ORDER#2025#x#y"));
        assert!(!matches(&t("ORDER#{a}#{b}"), "ORDER#2025"));
        assert!(matches(&t("{email}"), "é@x"));
    }

    #[test]
    fn entities_sharing_a_partition_are_told_apart() {
        let c = Classifier::new(&bundled("ecommerce"));
        assert_eq!(c.entity_of("Users", &keys("a@x", "#META")), Some("User"));
        assert_eq!(
            c.entity_of("Users", &keys("a@x", "#SELLER")),
            Some("SellerProfile")
        );
        assert_eq!(
            c.entity_of("Users", &keys("a@x", "CART#p1")),
            Some("CartItem")
        );
        assert_eq!(c.entity_of("Users", &keys("a@x", "OTHER")), None);
        assert_eq!(
            c.entity_of("Products", &keys("CATEGORIES", "c-1")),
            Some("Category")
        );
        assert_eq!(c.entity_of("Nope", &keys("a", "b")), None);
    }

    #[test]
    fn rendering_with_the_items_attributes_wins_over_shape() {
        let model = bundled("ecommerce-initial");
        let c = Classifier::new(&model);
        // Carts: PK {user_id}, SK {product_id} — any two strings fit the shape.
        let mut line = keys("u1", "p1");
        assert_eq!(c.entity_of("Carts", &line), Some("CartItem"));
        line.insert("user_id".into(), s("u1"));
        line.insert("product_id".into(), s("p1"));
        assert_eq!(c.entity_of("Carts", &line), Some("CartItem"));
    }

    fn pattern(entities: &[&str]) -> AccessPattern {
        let mut p = AccessPattern::new("AP", "d", Operation::Query);
        p.entities = entities.iter().map(|e| e.to_string()).collect();
        p
    }

    #[test]
    fn a_read_passes_with_only_its_entities() {
        let c = Classifier::new(&bundled("ecommerce"));
        let p = pattern(&["CartItem"]);
        let lines = [keys("a", "CART#1"), keys("a", "CART#2")];
        let v = verdict(&c, "Users", &p, &lines, 1);
        assert!(v.passed, "{v:?}");
        assert_eq!(v.detail, "returned 2 CartItem");

        let mixed = [keys("a", "CART#1"), keys("a", "#META")];
        let v = verdict(&c, "Users", &p, &mixed, 1);
        assert!(!v.passed);
        assert_eq!(
            v.detail,
            "returned 1 CartItem, 1 User: 1 `User` besides `CartItem` — the key condition cannot tell them apart"
        );
        assert!(verdict(&c, "Users", &pattern(&["CartItem", "User"]), &mixed, 1).passed);

        let v = verdict(&c, "Users", &p, &[], 1);
        assert_eq!(v.detail, "returned no item; expected 1 `CartItem`");
        let v = verdict(&c, "Users", &p, &lines, 5);
        assert_eq!(v.detail, "returned 2 of 5 items; expected 5 `CartItem`");
        let v = verdict(&c, "Users", &pattern(&["CartItem"]), &[keys("a", "zz")], 1);
        assert!(v.detail.contains("1 that fit no entity"), "{}", v.detail);
    }
}

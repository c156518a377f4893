//! Scratch items: what write patterns are verified on. A copy of a seeded item
//! with fresh values behind its primary key, so it disturbs none of the seeded
//! ones, and every key attribute rendered again from the entity's templates. Pure.

use super::calls::bind_key;
use crate::model::{AttrValue, Entity, Item, Model, Table, Template, base64};

/// The primary key (partition and sort key) of an item of `table`.
pub fn primary_key(table: &Table, item: &Item) -> Result<Item, String> {
    let mut key = Item::new();
    for k in std::iter::once(&table.partition_key).chain(table.sort_key.iter()) {
        let value = item
            .get(&k.name)
            .ok_or_else(|| format!("the item has no key attribute `{}`", k.name))?;
        key.insert(k.name.clone(), value.clone());
    }
    Ok(key)
}

/// An item of `entity` that does not disturb the seeded ones: `base` with the
/// values behind its primary key changed (`shared` values, e.g. a transaction's
/// common inputs, are taken as they are), and every key attribute rendered again.
pub fn scratch_item(
    model: &Model,
    entity: &Entity,
    base: &Item,
    n: usize,
    shared: &Item,
) -> Result<Item, String> {
    let table = model
        .table(&entity.table)
        .ok_or_else(|| format!("table `{}` is not in the model", entity.table))?;
    let mut item = base.clone();
    for (name, value) in shared {
        if entity.attribute(name).is_some() {
            item.insert(name.clone(), value.clone());
        }
    }
    for key in std::iter::once(&table.partition_key).chain(table.sort_key.iter()) {
        let Some(template) = entity.key_template(&key.name) else {
            continue;
        };
        let Ok(template) = Template::parse(&template) else {
            continue;
        };
        for name in template.placeholders() {
            if !shared.contains_key(name) {
                let fresh = scratch_value(base.get(name), n);
                item.insert(name.to_string(), fresh);
            }
        }
    }
    let primary = [Some(&table.partition_key), table.sort_key.as_ref()];
    for index in table.indexes() {
        for key in index.key_attributes() {
            let Some(template) = entity.key_template(&key.name) else {
                continue;
            };
            match bind_key(&template, key.key_type, &item) {
                Ok(value) => {
                    item.insert(key.name.clone(), value);
                }
                Err(why) if primary.contains(&Some(key)) => {
                    return Err(format!("cannot make a scratch `{}`: {why}", entity.name));
                }
                // Not in this (sparse) index.
                Err(_) => {
                    item.remove(&key.name);
                }
            }
        }
    }
    Ok(item)
}

/// A value no seeded item has: `text-dynamodel-verify-0`, a number far off.
pub fn scratch_value(value: Option<&AttrValue>, n: usize) -> AttrValue {
    let n64 = n as i64 + 1;
    match value {
        Some(AttrValue::S(s)) => AttrValue::S(format!("{s}-dynamodel-verify-{n}")),
        Some(AttrValue::N(text)) => match (text.parse::<i64>(), text.parse::<f64>()) {
            (Ok(i), _) => AttrValue::N(i.saturating_add(1_000_000_007 * n64).to_string()),
            (_, Ok(f)) => AttrValue::N(format!("{}", f + 1.0e9 * n64 as f64)),
            _ => AttrValue::N((1_000_000_007 * n64).to_string()),
        },
        Some(AttrValue::B(b)) => {
            AttrValue::B(base64(format!("dynamodel-verify-{n}-{b}").as_bytes()))
        }
        Some(other) => other.clone(),
        None => AttrValue::S(format!("dynamodel-verify-{n}")),
    }
}

/// The attribute an UpdateItem sets on a scratch item: the entity's first
/// attribute that no key is made of (set to the value it has), or a marker.
pub fn update_target(model: &Model, entity: &Entity, item: &Item) -> (String, AttrValue) {
    let keyed: Vec<String> = model
        .table(&entity.table)
        .map(|t| {
            let mut names: Vec<String> = t
                .key_attribute_names()
                .into_iter()
                .map(str::to_string)
                .collect();
            for name in t.key_attribute_names() {
                if let Some(template) = entity.key_template(name)
                    && let Ok(template) = Template::parse(&template)
                {
                    names.extend(template.placeholders().map(str::to_string));
                }
            }
            names
        })
        .unwrap_or_default();
    entity
        .attributes
        .iter()
        .filter(|a| !keyed.contains(&a.name))
        .find_map(|a| item.get(&a.name).map(|v| (a.name.clone(), v.clone())))
        .unwrap_or_else(|| ("dynamodel_verified".to_string(), AttrValue::Bool(true)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::test_support::{bundled, item, s};

    #[test]
    fn scratch_items_get_fresh_keys_and_keep_shared_inputs() {
        let model = bundled("ecommerce");
        let user = model.entity("User").unwrap();
        let base = item(&[
            ("email", s("ana@example.com")),
            ("username", s("ana")),
            ("user_id", s("u1")),
            ("PK", s("ana@example.com")),
            ("SK", s("#META")),
            ("GSI1PK", s("ana")),
            ("GSI2PK", s("u1")),
        ]);
        let scratch = scratch_item(&model, user, &base, 3, &Item::new()).unwrap();
        assert_eq!(scratch["email"], s("ana@example.com-dynamodel-verify-3"));
        assert_eq!(scratch["PK"], s("ana@example.com-dynamodel-verify-3"));
        assert_eq!(scratch["SK"], s("#META"));
        assert_eq!(scratch["GSI1PK"], s("ana"), "index keys are rendered again");
        let table = model.table("Users").unwrap();
        assert_ne!(primary_key(table, &scratch), primary_key(table, &base));

        let seller = model.entity("SellerProfile").unwrap();
        let shared = item(&[("email", scratch["email"].clone())]);
        let profile = scratch_item(&model, seller, &Item::new(), 0, &shared).unwrap();
        assert_eq!(
            profile["PK"], scratch["PK"],
            "the transaction's input is shared"
        );
        assert_eq!(profile["SK"], s("#SELLER"));
        assert!(!profile.contains_key("GSI3PK"), "no seller_id: not in GSI3");
    }

    #[test]
    fn scratch_values_differ_from_every_seeded_value() {
        assert_eq!(
            scratch_value(Some(&AttrValue::N("42".into())), 0),
            AttrValue::N("1000000049".into())
        );
        assert_eq!(
            scratch_value(Some(&AttrValue::N("1.5".into())), 1),
            AttrValue::N("2000000001.5".into())
        );
        assert_eq!(scratch_value(None, 2), s("dynamodel-verify-2"));
        assert!(matches!(
            scratch_value(Some(&AttrValue::B("AA==".into())), 0),
            AttrValue::B(b) if b != "AA=="
        ));
    }

    #[test]
    fn updates_set_an_attribute_no_key_is_made_of() {
        let model = bundled("ecommerce");
        let cart = model.entity("CartItem").unwrap();
        let line = item(&[
            ("email", s("a")),
            ("product_id", s("p")),
            ("quantity", AttrValue::N("2".into())),
        ]);
        assert_eq!(
            update_target(&model, cart, &line),
            ("quantity".to_string(), AttrValue::N("2".into()))
        );
        assert_eq!(
            update_target(&model, cart, &item(&[("email", s("a"))])).0,
            "dynamodel_verified"
        );
    }
}

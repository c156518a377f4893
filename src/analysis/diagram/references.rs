//! References between entities, inferred from the attributes that carry another
//! entity's key: `CartItem.product_id` → Product, whose items are identified
//! by `product_id` alone.

use crate::analysis::context::Context;
use crate::analysis::fxhash::FxHashMap as HashMap;
use crate::model::Generator;

/// One dashed edge: entity `from` carries the key of entity `to` in `attributes`.
pub struct Reference<'m> {
    pub from: usize,
    pub to: usize,
    pub attributes: Vec<&'m str>,
}

/// Every reference, by entity in model order, then by target in the order the
/// entity's attributes name them.
///
/// An entity is identified by an attribute when the keys it writes into the
/// base table, or else into one of its indexes, name that attribute and no
/// other (`User` by `email` for `PK = {email}`, `SK = #META`). An attribute of
/// that name in another entity refers to it; when several entities are
/// identified by one attribute, the base table's identification wins, then
/// the entity whose name the attribute starts with (`seller_id` →
/// SellerProfile), then the first in the model. An attribute whose sample
/// values are drawn from another entity's refers to that one.
pub fn infer<'m>(ctx: &Context<'m>) -> Vec<Reference<'m>> {
    // Attribute name → (rank, entity): rank 0 for the base table, 1 for an index.
    let mut candidates: HashMap<&'m str, Vec<(u8, usize)>> = HashMap::default();
    for (e, info) in ctx.entities.iter().enumerate() {
        let Some(t) = info.table else { continue };
        let table = &ctx.tables[t];
        let mut best: Vec<(u8, &'m str)> = Vec::new();
        for (ix, view) in table.indexes.iter().enumerate() {
            if !info.in_index.get(ix).copied().unwrap_or(false) {
                continue;
            }
            if let Some(attribute) =
                sole_placeholder(ctx, e, view.key_attributes().map(|k| k.name.as_str()))
            {
                let rank = u8::from(ix > 0);
                if !best.iter().any(|(_, a)| *a == attribute) {
                    best.push((rank, attribute));
                }
            }
        }
        for (rank, attribute) in best {
            candidates.entry(attribute).or_default().push((rank, e));
        }
    }
    let owners: HashMap<&'m str, usize> = candidates
        .into_iter()
        .map(|(attribute, found)| (attribute, owner(ctx, attribute, &found)))
        .collect();

    let mut out = Vec::new();
    for (e, info) in ctx.entities.iter().enumerate() {
        let first = out.len();
        for attribute in &info.entity.attributes {
            let explicit = match &attribute.generator {
                Some(Generator::Reference { entity, .. }) => ctx.entity_index(entity),
                _ => None,
            };
            let Some(to) = explicit.or_else(|| owners.get(attribute.name.as_str()).copied()) else {
                continue;
            };
            if to == e {
                continue;
            }
            let mine: &mut [Reference] = &mut out[first..];
            match mine.iter_mut().find(|r| r.to == to) {
                Some(r) => r.attributes.push(attribute.name.as_str()),
                None => out.push(Reference {
                    from: e,
                    to,
                    attributes: vec![attribute.name.as_str()],
                }),
            }
        }
    }
    out
}

/// The one attribute the entity's templates for these key attributes name, if
/// they name exactly one (and every one of them parses).
fn sole_placeholder<'m>(
    ctx: &Context<'m>,
    e: usize,
    keys: impl Iterator<Item = &'m str>,
) -> Option<&'m str> {
    let mut found: Option<&'m str> = None;
    for key in keys {
        let template = ctx.entities[e].templates.get(key)?.as_ref().ok()?;
        for placeholder in template.placeholders() {
            match found {
                None => found = Some(lookup(ctx, e, placeholder)?),
                Some(a) if a == placeholder => {}
                Some(_) => return None,
            }
        }
    }
    found
}

/// The placeholder's name as the entity's own text (the template borrows it),
/// so that it outlives this call.
fn lookup<'m>(ctx: &Context<'m>, e: usize, name: &str) -> Option<&'m str> {
    let entity = ctx.entities[e].entity;
    entity.attribute(name).map(|a| a.name.as_str()).or_else(|| {
        entity
            .keys
            .values()
            .find_map(|t| t.find(name).map(|at| &t[at..at + name.len()]))
    })
}

fn owner(ctx: &Context, attribute: &str, found: &[(u8, usize)]) -> usize {
    let best_rank = found.iter().map(|(r, _)| *r).min().unwrap_or(0);
    let stem = stem(attribute);
    let ranked = || {
        found
            .iter()
            .filter(|(r, _)| *r == best_rank)
            .map(|(_, e)| *e)
    };
    ranked()
        .find(|&e| {
            let name = ctx.entities[e]
                .entity
                .name
                .to_lowercase()
                .replace(['_', '-'], "");
            !stem.is_empty() && (name.starts_with(&stem) || stem.starts_with(&name))
        })
        .or_else(|| ranked().min())
        .unwrap_or(found[0].1)
}

/// `seller_id` → `seller`, `productId` → `product`.
fn stem(attribute: &str) -> String {
    let lower = attribute.to_lowercase();
    let trimmed = ["_id", "-id", "id", "_key", "key"]
        .iter()
        .find_map(|suffix| lower.strip_suffix(suffix))
        .unwrap_or(&lower);
    trimmed.replace(['_', '-'], "")
}

//! Helpers the deploy module's unit tests share.

use crate::model::{AttrValue, Item, Model, samples};

/// A bundled model, e.g. `ecommerce`.
pub fn bundled(id: &str) -> Model {
    samples::sample(id).unwrap().load().unwrap()
}

pub fn s(text: &str) -> AttrValue {
    AttrValue::S(text.to_string())
}

pub fn item(pairs: &[(&str, AttrValue)]) -> Item {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

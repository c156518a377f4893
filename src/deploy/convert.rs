//! The model's values and items as the SDK's `AttributeValue`s, and back.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use crate::model::{AttrValue, Item, base64};

pub fn to_sdk(value: &AttrValue) -> AttributeValue {
    let blob = |b: &str| Blob::new(base64_decode(b).unwrap_or_else(|| b.as_bytes().to_vec()));
    match value {
        AttrValue::S(s) => AttributeValue::S(s.clone()),
        AttrValue::N(n) => AttributeValue::N(n.clone()),
        AttrValue::B(b) => AttributeValue::B(blob(b)),
        AttrValue::Bool(b) => AttributeValue::Bool(*b),
        AttrValue::Null => AttributeValue::Null(true),
        AttrValue::M(m) => AttributeValue::M(to_sdk_item(m)),
        AttrValue::L(l) => AttributeValue::L(l.iter().map(to_sdk).collect()),
        AttrValue::SS(v) => AttributeValue::Ss(v.clone()),
        AttrValue::NS(v) => AttributeValue::Ns(v.clone()),
        AttrValue::BS(v) => AttributeValue::Bs(v.iter().map(|b| blob(b)).collect()),
    }
}

pub fn to_sdk_item(item: &BTreeMap<String, AttrValue>) -> HashMap<String, AttributeValue> {
    item.iter().map(|(k, v)| (k.clone(), to_sdk(v))).collect()
}

pub fn from_sdk(value: &AttributeValue) -> AttrValue {
    match value {
        AttributeValue::S(s) => AttrValue::S(s.clone()),
        AttributeValue::N(n) => AttrValue::N(n.clone()),
        AttributeValue::B(b) => AttrValue::B(base64(b.as_ref())),
        AttributeValue::Bool(b) => AttrValue::Bool(*b),
        AttributeValue::M(m) => AttrValue::M(from_sdk_item(m)),
        AttributeValue::L(l) => AttrValue::L(l.iter().map(from_sdk).collect()),
        AttributeValue::Ss(v) => AttrValue::SS(v.clone()),
        AttributeValue::Ns(v) => AttrValue::NS(v.clone()),
        AttributeValue::Bs(v) => AttrValue::BS(v.iter().map(|b| base64(b.as_ref())).collect()),
        // NULL, and any type a newer DynamoDB adds.
        _ => AttrValue::Null,
    }
}

pub fn from_sdk_item(item: &HashMap<String, AttributeValue>) -> Item {
    item.iter().map(|(k, v)| (k.clone(), from_sdk(v))).collect()
}

/// Decodes standard base64 (padding optional); `None` if it is not base64.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    fn sextet(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let body = text.trim_end_matches('=').as_bytes();
    if body.len() % 4 == 1 || text.len() - body.len() > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= sextet(c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for bytes in [
            &b""[..],
            b"f",
            b"fo",
            b"foo",
            b"foob",
            b"fooba",
            b"foobar",
            &[0, 255, 7],
        ] {
            assert_eq!(base64_decode(&base64(bytes)).as_deref(), Some(bytes));
        }
        assert_eq!(base64_decode("Zm9v"), Some(b"foo".to_vec()));
        assert_eq!(base64_decode("Zg"), Some(b"f".to_vec()));
        assert_eq!(base64_decode("Z"), None);
        assert_eq!(base64_decode("Zm9v!"), None);
    }

    #[test]
    fn values_round_trip_through_the_sdk() {
        let item: Item = [
            ("s", AttrValue::S("x".into())),
            ("n", AttrValue::N("1.5".into())),
            ("b", AttrValue::B(base64(b"\x00\x01"))),
            ("bool", AttrValue::Bool(true)),
            ("null", AttrValue::Null),
            ("l", AttrValue::L(vec![AttrValue::S("a".into())])),
            ("ss", AttrValue::SS(vec!["a".into(), "b".into()])),
            ("ns", AttrValue::NS(vec!["1".into()])),
            ("bs", AttrValue::BS(vec![base64(b"z")])),
            (
                "m",
                AttrValue::M(BTreeMap::from([("k".into(), AttrValue::N("2".into()))])),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let sdk = to_sdk_item(&item);
        assert_eq!(sdk["b"], AttributeValue::B(Blob::new(vec![0, 1])));
        assert_eq!(from_sdk_item(&sdk), item);
    }
}

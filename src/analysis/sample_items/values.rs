//! Values from generators: a small seeded PRNG (no external crate, so every
//! machine gives the same bytes), the name and word lists, dates, and the
//! conversion of a generated value to the attribute's DynamoDB type.

use std::collections::BTreeMap;

use super::dates::{DEFAULT_FROM, DEFAULT_TO, format_instant, parse_instant};
use crate::model::{AttrType, AttrValue, Attribute, Generator, TimestampFormat, base64, is_number};

/// splitmix64: tiny, fast, and good enough to spread sample values.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `min..=max` (the bounds in either order).
    pub fn between(&mut self, min: i64, max: i64) -> i64 {
        let (lo, hi) = if min <= max { (min, max) } else { (max, min) };
        let span = (i128::from(hi) - i128::from(lo) + 1) as u128;
        let pick = (u128::from(self.next_u64()) * span) >> 64;
        (i128::from(lo) + pick as i128) as i64
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len() as u64) as usize]
    }
}

/// The splitmix64 finaliser.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a: a stable hash of a name (std's hashers may change between releases).
pub fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// The seed of one attribute of one item: a pure function of the entity, the
/// attribute, the item's index and the attempt (retries after a key collision).
pub fn seed(entity: u64, attribute: u64, index: usize, attempt: u32) -> u64 {
    mix(entity ^ mix(attribute ^ mix(index as u64 ^ (u64::from(attempt) << 48))))
}

const FIRST_NAMES: &[&str] = &[
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Amelia",
    "Oliver",
    "Ava",
    "Elijah",
    "Sophia",
    "Mateo",
    "Isabella",
    "Lucas",
    "Mia",
    "Levi",
    "Charlotte",
    "Ezra",
    "Harper",
    "James",
    "Luna",
    "Aiden",
    "Chloe",
    "Kai",
    "Nora",
    "Hugo",
    "Ingrid",
    "Ravi",
    "Yuki",
    "Amara",
    "Tomas",
    "Leila",
];
const LAST_NAMES: &[&str] = &[
    "Smith", "Garcia", "Johnson", "Brown", "Nguyen", "Martinez", "Miller", "Davis", "Lopez",
    "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Walker",
    "Hall", "Young", "Patel", "Kim", "Silva", "Novak", "Okafor", "Schmidt", "Rossi", "Tanaka",
];
const WORDS: &[&str] = &[
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipiscing",
    "elit",
    "sed",
    "do",
    "eiusmod",
    "tempor",
    "incididunt",
    "ut",
    "labore",
    "et",
    "dolore",
    "magna",
    "aliqua",
    "enim",
    "ad",
    "minim",
    "veniam",
    "quis",
    "nostrud",
    "exercitation",
    "ullamco",
    "laboris",
    "nisi",
    "aliquip",
    "ex",
    "ea",
    "commodo",
    "consequat",
    "duis",
    "aute",
    "irure",
    "in",
    "reprehenderit",
    "voluptate",
    "velit",
    "esse",
    "cillum",
    "fugiat",
    "nulla",
    "pariatur",
    "excepteur",
    "sint",
    "occaecat",
    "cupidatat",
    "non",
    "proident",
    "sunt",
    "culpa",
    "qui",
    "officia",
    "deserunt",
    "mollit",
    "anim",
    "id",
    "est",
    "laborum",
];
const DOMAINS: &[&str] = &["example.com", "example.org", "example.net"];

/// A generated value before it takes the attribute's type.
#[derive(Clone, Debug, PartialEq)]
pub enum Raw {
    Text(String),
    Number(String),
    Bool(bool),
}

/// Runs a generator (anything but `Reference`, which the caller resolves).
pub fn raw(generator: &Generator, rng: &mut Rng, index: usize) -> Raw {
    let n = index + 1;
    match generator {
        Generator::Uuid => Raw::Text(uuid(rng)),
        Generator::Sequence { prefix, width } => {
            Raw::Text(format!("{prefix}{n:0width$}", width = usize::from(*width)))
        }
        Generator::Email => {
            let (first, last) = (rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
            let domain = rng.pick(DOMAINS);
            Raw::Text(format!(
                "{}.{}{n}@{domain}",
                first.to_lowercase(),
                last.to_lowercase()
            ))
        }
        Generator::Username => {
            let (first, last) = (rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
            Raw::Text(format!(
                "{}{}{n}",
                first.to_lowercase(),
                last.to_lowercase()
            ))
        }
        Generator::FirstName => Raw::Text(rng.pick(FIRST_NAMES).to_string()),
        Generator::LastName => Raw::Text(rng.pick(LAST_NAMES).to_string()),
        Generator::FullName => Raw::Text(format!(
            "{} {}",
            rng.pick(FIRST_NAMES),
            rng.pick(LAST_NAMES)
        )),
        Generator::Words { min, max } => Raw::Text(words(rng, *min, *max)),
        Generator::Integer { min, max } => Raw::Number(rng.between(*min, *max).to_string()),
        Generator::Decimal { min, max, scale } => Raw::Number(decimal(rng, *min, *max, *scale)),
        Generator::Boolean { true_ratio } => Raw::Bool(rng.unit() < *true_ratio),
        Generator::Timestamp { from, to, format } => {
            let lo = parse_instant(from).unwrap_or(DEFAULT_FROM);
            let hi = parse_instant(to).unwrap_or(DEFAULT_TO);
            Raw::Text(format_instant(rng.between(lo, hi), format))
        }
        Generator::Choice { values, weights } => {
            Raw::Text(choice(rng, values, weights).unwrap_or_default())
        }
        Generator::Constant { value } => Raw::Text(value.clone()),
        Generator::Reference { .. } => Raw::Text(String::new()),
        Generator::Url { prefix } => {
            let prefix = if prefix.is_empty() {
                "https://example.com/"
            } else {
                prefix
            };
            Raw::Text(format!("{prefix}{:012x}", rng.next_u64() >> 16))
        }
    }
}

fn uuid(rng: &mut Rng) -> String {
    let (a, b) = (rng.next_u64(), rng.next_u64());
    // Version 4, RFC 4122 variant.
    let a = (a & !0xF000) | 0x4000;
    let b = (b & !(0xC << 60)) | (0x8 << 60);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFFF,
        b >> 48,
        b & 0xFFFF_FFFF_FFFF
    )
}

fn words(rng: &mut Rng, min: u16, max: u16) -> String {
    let (lo, hi) = (min.min(max), min.max(max));
    let count = rng.between(i64::from(lo.max(1)), i64::from(hi.max(1)));
    let mut out = String::new();
    for i in 0..count {
        let w = rng.pick(WORDS);
        if i == 0 {
            let mut chars = w.chars();
            if let Some(c) = chars.next() {
                out.extend(c.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(w);
        }
    }
    out
}

/// A decimal in `[min, max]` with `scale` digits after the point, computed in
/// integer steps so the text is the same on every machine.
fn decimal(rng: &mut Rng, min: f64, max: f64, scale: u8) -> String {
    let scale = scale.min(9);
    let factor = 10f64.powi(i32::from(scale));
    let (lo, hi) = if min <= max { (min, max) } else { (max, min) };
    let lo = (lo * factor).ceil().clamp(-9.0e15, 9.0e15) as i64;
    let hi = (hi * factor).floor().clamp(-9.0e15, 9.0e15) as i64;
    let steps = rng.between(lo, hi.max(lo));
    if scale == 0 {
        return steps.to_string();
    }
    let digits = steps.unsigned_abs().to_string();
    let width = usize::from(scale) + 1;
    let padded = format!("{digits:0>width$}");
    let (int, frac) = padded.split_at(padded.len() - usize::from(scale));
    let sign = if steps < 0 { "-" } else { "" };
    format!("{sign}{int}.{frac}")
}

fn choice(rng: &mut Rng, values: &[String], weights: &[u32]) -> Option<String> {
    if values.is_empty() {
        return None;
    }
    let weight = |i: usize| u64::from(weights.get(i).copied().unwrap_or(1));
    let total: u64 = (0..values.len()).map(weight).sum();
    if weights.is_empty() || total == 0 {
        return Some(values[rng.below(values.len() as u64) as usize].clone());
    }
    let mut ticket = rng.below(total);
    for (i, v) in values.iter().enumerate() {
        if ticket < weight(i) {
            return Some(v.clone());
        }
        ticket -= weight(i);
    }
    values.last().cloned()
}

/// The generator an attribute without one gets, guessed from its name and type.
pub fn default_generator(attribute: &Attribute) -> Generator {
    let name = attribute.name.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    let ends = |words: &[&str]| words.iter().any(|w| name.ends_with(w));
    match attribute.attr_type {
        AttrType::Bool => return Generator::Boolean { true_ratio: 0.5 },
        AttrType::N => {
            return if has(&["price", "amount", "total", "cost", "balance", "rate"]) {
                Generator::Decimal {
                    min: 1.0,
                    max: 500.0,
                    scale: 2,
                }
            } else if has(&["time", "date", "ttl", "expires"]) || ends(&["_at"]) {
                Generator::Timestamp {
                    from: "2024-01-01".into(),
                    to: "2025-12-31".into(),
                    format: TimestampFormat::EpochSeconds,
                }
            } else {
                Generator::Integer { min: 0, max: 1000 }
            };
        }
        _ => {}
    }
    if has(&["email", "e_mail"]) {
        Generator::Email
    } else if has(&["username", "user_name", "login", "nickname", "handle"]) {
        Generator::Username
    } else if has(&["first_name", "firstname", "given_name"]) {
        Generator::FirstName
    } else if has(&["last_name", "lastname", "surname", "family_name"]) {
        Generator::LastName
    } else if has(&["full_name", "fullname", "author", "customer_name"]) {
        Generator::FullName
    } else if has(&["url", "uri", "link", "avatar", "image"]) {
        Generator::Url {
            prefix: String::new(),
        }
    } else if ends(&["_at", "date", "time", "timestamp"]) {
        Generator::Timestamp {
            from: "2024-01-01".into(),
            to: "2025-12-31".into(),
            format: TimestampFormat::Iso8601,
        }
    } else if name == "id" || ends(&["_id", "id", "uuid", "token"]) {
        Generator::Uuid
    } else if has(&["price", "amount", "total", "cost"]) {
        Generator::Decimal {
            min: 1.0,
            max: 500.0,
            scale: 2,
        }
    } else if has(&["count", "quantity", "qty"]) {
        Generator::Integer { min: 1, max: 100 }
    } else if has(&["status", "state"]) {
        Generator::Choice {
            values: vec!["active".into(), "pending".into(), "closed".into()],
            weights: Vec::new(),
        }
    } else if has(&["description", "text", "comment", "body", "notes"]) {
        Generator::Words { min: 5, max: 15 }
    } else {
        Generator::Words { min: 1, max: 3 }
    }
}

/// Gives a generated value the attribute's DynamoDB type. `more` makes further
/// values for sets and lists.
pub fn typed(
    raw: Raw,
    attr_type: AttrType,
    rng: &mut Rng,
    mut more: impl FnMut(&mut Rng) -> Raw,
) -> AttrValue {
    let text = |r: &Raw| match r {
        Raw::Text(s) | Raw::Number(s) => s.clone(),
        Raw::Bool(b) => b.to_string(),
    };
    let number = |r: &Raw, rng: &mut Rng| match r {
        Raw::Number(n) => n.clone(),
        Raw::Text(s) if is_number(s) => s.clone(),
        Raw::Bool(b) => u8::from(*b).to_string(),
        Raw::Text(_) => rng.between(0, 1000).to_string(),
    };
    let mut several = |first: Raw, rng: &mut Rng, each: &dyn Fn(&Raw, &mut Rng) -> String| {
        let mut out = vec![each(&first, rng)];
        for _ in 0..rng.below(3) {
            let v = each(&more(rng), rng);
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out
    };
    match attr_type {
        AttrType::S => AttrValue::S(text(&raw)),
        AttrType::N => AttrValue::N(number(&raw, rng)),
        AttrType::B => AttrValue::B(base64(text(&raw).as_bytes())),
        AttrType::Bool => AttrValue::Bool(match &raw {
            Raw::Bool(b) => *b,
            Raw::Text(s) if s.eq_ignore_ascii_case("true") => true,
            Raw::Text(s) if s.eq_ignore_ascii_case("false") => false,
            _ => rng.unit() < 0.5,
        }),
        AttrType::Null => AttrValue::Null,
        AttrType::SS => AttrValue::SS(several(raw, rng, &|r, _| text(r))),
        AttrType::NS => AttrValue::NS(several(raw, rng, &|r, rng| number(r, rng))),
        AttrType::BS => AttrValue::BS(several(raw, rng, &|r, _| base64(text(r).as_bytes()))),
        AttrType::L => AttrValue::L(
            several(raw, rng, &|r, _| text(r))
                .into_iter()
                .map(AttrValue::S)
                .collect(),
        ),
        AttrType::M => {
            let mut map = BTreeMap::new();
            map.insert("value".to_string(), AttrValue::S(text(&raw)));
            map.insert(
                "count".to_string(),
                AttrValue::N(rng.between(1, 100).to_string()),
            );
            AttrValue::M(map)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prng_is_fixed() {
        let mut rng = Rng::new(42);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        // splitmix64's published sequence for seed 42.
        assert_eq!(first[0], 0xBDD7_3226_2FEB_6E95);
        assert_eq!(fnv1a(""), 0xCBF2_9CE4_8422_2325);
        for _ in 0..1000 {
            let v = rng.between(-3, 3);
            assert!((-3..=3).contains(&v));
            assert!(rng.below(7) < 7);
        }
    }

    #[test]
    fn decimals_keep_their_scale_and_bounds() {
        let mut rng = Rng::new(7);
        for _ in 0..500 {
            let d = decimal(&mut rng, 1.0, 500.0, 2);
            let v: f64 = d.parse().unwrap();
            assert!((1.0..=500.0).contains(&v), "{d}");
            assert_eq!(d.split('.').nth(1).map(str::len), Some(2), "{d}");
        }
        assert_eq!(decimal(&mut rng, -0.05, -0.05, 2), "-0.05");
        assert_eq!(decimal(&mut rng, 3.0, 3.0, 0), "3");
    }

    #[test]
    fn weighted_choices_follow_their_weights() {
        let mut rng = Rng::new(1);
        let values = vec!["a".to_string(), "b".to_string()];
        let a = (0..1000)
            .filter(|_| choice(&mut rng, &values, &[9, 1]).as_deref() == Some("a"))
            .count();
        assert!((850..=950).contains(&a), "{a}");
        assert_eq!(choice(&mut rng, &[], &[]), None);
    }

    #[test]
    fn uuids_look_like_version_4() {
        let u = uuid(&mut Rng::new(3));
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
    }

    #[test]
    fn defaults_follow_names_and_types() {
        let g = |name: &str, t: AttrType| default_generator(&Attribute::new(name, t));
        assert_eq!(g("Email", AttrType::S), Generator::Email);
        assert_eq!(g("customer_id", AttrType::S), Generator::Uuid);
        assert!(matches!(
            g("created_at", AttrType::S),
            Generator::Timestamp { .. }
        ));
        assert!(matches!(g("price", AttrType::N), Generator::Decimal { .. }));
        assert!(matches!(
            g("flag", AttrType::Bool),
            Generator::Boolean { .. }
        ));
        assert!(matches!(g("title", AttrType::S), Generator::Words { .. }));
    }
}

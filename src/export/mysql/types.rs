//! A MySQL column type → the DynamoDB type of the attribute, an estimate of
//! its average size in bytes, and how sample values are made.
//!
//! Sizes: a Number takes about one byte per two significant digits plus one
//! (TINYINT 2, SMALLINT 3, MEDIUMINT 4, INT 5, BIGINT 8, DECIMAL(p,s) p/2+1,
//! FLOAT 5, DOUBLE 9); `VARCHAR(n)` half of `n` (at least 1: a column is
//! rarely full), `CHAR(n)` all of `n` (it is padded); TINYTEXT 100, TEXT
//! 1000, MEDIUMTEXT 4000, LONGTEXT 8000 (a DynamoDB item holds 400 KB in all);
//! blobs the same; `BINARY(n)` n, `VARBINARY(n)` n/2; a timestamp 20
//! (`2025-03-14T09:26:53Z`), a date 10; an ENUM its values' average length;
//! JSON 200.

use sqlparser::ast::{BinaryLength, CharacterLength, DataType, EnumMember, ExactNumberInfo};

use crate::model::{AttrType, Generator, TimestampFormat};

/// What a column type becomes.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    pub attr_type: AttrType,
    pub size: u32,
    pub generator: Option<Generator>,
    /// The number of values the type allows, when it is small (an ENUM's).
    pub distinct_values: Option<u64>,
    /// Said in the report: a type read in a looser sense.
    pub note: Option<String>,
}

impl Mapped {
    fn of(attr_type: AttrType, size: u64) -> Mapped {
        Mapped {
            attr_type,
            size: size.clamp(1, 400 * 1024) as u32,
            generator: None,
            distinct_values: None,
            note: None,
        }
    }

    fn noted(mut self, note: String) -> Mapped {
        self.note = Some(note);
        self
    }
}

/// The span of generated timestamps, as the entity editor proposes it.
fn timestamp(format: TimestampFormat) -> Generator {
    Generator::Timestamp {
        from: "2024-01-01".into(),
        to: "2025-12-31".into(),
        format,
    }
}

/// Half the declared length, at least 1.
fn half(n: u64) -> u64 {
    (n / 2).max(1)
}

fn chars(length: &Option<CharacterLength>, default: u64) -> u64 {
    match length {
        Some(CharacterLength::IntegerLength { length, .. }) => *length,
        _ => default,
    }
}

fn digits(info: &ExactNumberInfo, default: u64) -> u64 {
    match info {
        ExactNumberInfo::None => default,
        ExactNumberInfo::Precision(p) | ExactNumberInfo::PrecisionAndScale(p, _) => *p,
    }
}

pub fn map(data_type: &DataType) -> Mapped {
    use DataType as T;
    match data_type {
        // MySQL's BOOLEAN is TINYINT(1).
        T::Bool
        | T::Boolean
        | T::TinyInt(Some(1))
        | T::TinyIntUnsigned(Some(1))
        | T::Bit(Some(1)) => {
            let mut m = Mapped::of(AttrType::Bool, 1);
            m.generator = Some(Generator::Boolean { true_ratio: 0.5 });
            m.distinct_values = Some(2);
            m
        }
        T::TinyInt(_) | T::TinyIntUnsigned(_) | T::UTinyInt => Mapped::of(AttrType::N, 2),
        T::SmallInt(_)
        | T::SmallIntUnsigned(_)
        | T::Int2(_)
        | T::Int2Unsigned(_)
        | T::USmallInt => Mapped::of(AttrType::N, 3),
        T::MediumInt(_) | T::MediumIntUnsigned(_) => Mapped::of(AttrType::N, 4),
        T::Int(_)
        | T::Integer(_)
        | T::IntUnsigned(_)
        | T::IntegerUnsigned(_)
        | T::Int4(_)
        | T::Int4Unsigned(_)
        | T::Signed
        | T::SignedInteger
        | T::Unsigned
        | T::UnsignedInteger => Mapped::of(AttrType::N, 5),
        T::BigInt(_) | T::BigIntUnsigned(_) | T::Int8(_) | T::Int8Unsigned(_) | T::UBigInt => {
            Mapped::of(AttrType::N, 8)
        }
        T::Decimal(info)
        | T::DecimalUnsigned(info)
        | T::Numeric(info)
        | T::Dec(info)
        | T::DecUnsigned(info) => Mapped::of(AttrType::N, digits(info, 10) / 2 + 1),
        T::Float(_) | T::FloatUnsigned(_) | T::Float4 | T::Real | T::RealUnsigned => {
            Mapped::of(AttrType::N, 5)
        }
        T::Double(_)
        | T::DoubleUnsigned(_)
        | T::DoublePrecision
        | T::DoublePrecisionUnsigned
        | T::Float8 => Mapped::of(AttrType::N, 9),
        T::Bit(n) => Mapped::of(AttrType::N, half(n.unwrap_or(1).div_ceil(3)) + 1),
        T::Zerofill(inner) => map(inner),
        T::Varchar(n) | T::Nvarchar(n) | T::CharacterVarying(n) | T::CharVarying(n) => {
            Mapped::of(AttrType::S, half(chars(n, 255)))
        }
        T::Char(n) | T::Character(n) => Mapped::of(AttrType::S, chars(n, 1)),
        T::TinyText => Mapped::of(AttrType::S, 100),
        T::Text => Mapped::of(AttrType::S, 1000),
        T::MediumText => Mapped::of(AttrType::S, 4000),
        T::LongText => Mapped::of(AttrType::S, 8000),
        T::Timestamp(precision, _) | T::Datetime(precision) => {
            let mut m = Mapped::of(AttrType::S, 20 + precision.map_or(0, |p| p + 1));
            m.generator = Some(timestamp(TimestampFormat::Iso8601));
            m
        }
        T::Date => {
            let mut m = Mapped::of(AttrType::S, 10);
            m.generator = Some(timestamp(TimestampFormat::IsoDate));
            m
        }
        T::Time(..) => Mapped::of(AttrType::S, 8),
        T::Enum(members, _) => {
            let values: Vec<String> = members
                .iter()
                .map(|m| match m {
                    EnumMember::Name(name) | EnumMember::NamedValue(name, _) => name.clone(),
                })
                .collect();
            let total: usize = values.iter().map(String::len).sum();
            let mut m = Mapped::of(AttrType::S, (total / values.len().max(1)) as u64);
            m.distinct_values = Some(values.len() as u64);
            if !values.is_empty() {
                m.generator = Some(Generator::Choice {
                    values,
                    weights: Vec::new(),
                });
            }
            m
        }
        T::Set(values) => {
            let total: usize = values.iter().map(String::len).sum();
            let mut m = Mapped::of(AttrType::SS, total.div_ceil(2) as u64);
            m.distinct_values = Some(1u64 << values.len().min(63));
            m.noted(format!(
                "SET({}) read as a string set (SS) of its members",
                values.join(", ")
            ))
        }
        T::JSON | T::JSONB => Mapped::of(AttrType::M, 200),
        T::TinyBlob => Mapped::of(AttrType::B, 100),
        T::Blob(_) => Mapped::of(AttrType::B, 1000),
        T::MediumBlob => Mapped::of(AttrType::B, 4000),
        T::LongBlob => Mapped::of(AttrType::B, 8000),
        T::Binary(n) => Mapped::of(AttrType::B, n.unwrap_or(1)),
        T::Varbinary(n) => {
            let length = match n {
                Some(BinaryLength::IntegerLength { length }) => *length,
                _ => 255,
            };
            Mapped::of(AttrType::B, half(length))
        }
        T::Custom(name, _) if name.to_string().eq_ignore_ascii_case("year") => {
            Mapped::of(AttrType::N, 3)
        }
        other => Mapped::of(AttrType::S, AttrType::S.default_size() as u64).noted(format!(
            "type {other} has no DynamoDB counterpart: read as a String"
        )),
    }
}

//! The key template language: literals and `{attribute}` placeholders.
//!
//! `ORDER#{created_at}#{order_id}` writes the literal `ORDER#`, the value of
//! `created_at`, a `#`, and the value of `order_id`. `{price:08}` left-pads the
//! value with zeros to eight characters, so that numbers sort as text. `{{` and
//! `}}` stand for literal braces.

use std::borrow::Cow;
use std::fmt;

use smallvec::SmallVec;

/// A part of a template. Parsed segments borrow the template text: only a literal
/// with escaped braces (`{{`) owns its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    Literal(Cow<'a, str>),
    Placeholder {
        attribute: Cow<'a, str>,
        /// Zero-padding width, from `{name:0W}`.
        width: Option<u8>,
        /// 1-based character column of the attribute name in the template.
        column: usize,
    },
}

/// A parsed key template. It borrows the text it was parsed from and keeps up to
/// four segments inline, so parsing the templates of a large model allocates
/// nothing; `into_owned` detaches it from the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template<'a> {
    pub segments: SmallVec<[Segment<'a>; 4]>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateErrorKind {
    Empty,
    UnclosedBrace,
    UnexpectedCloseBrace,
    EmptyPlaceholder,
    InvalidName(String),
    InvalidWidth(String),
    AdjacentPlaceholders,
}

/// A parse error with the 1-based character column where it was found.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {kind}")]
pub struct TemplateError {
    pub column: usize,
    pub kind: TemplateErrorKind,
}

impl fmt::Display for TemplateErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateErrorKind::Empty => write!(f, "the template is empty"),
            TemplateErrorKind::UnclosedBrace => {
                write!(f, "unbalanced '{{': add the closing '}}'")
            }
            TemplateErrorKind::UnexpectedCloseBrace => {
                write!(f, "unbalanced '}}': write '}}}}' for a literal brace")
            }
            TemplateErrorKind::EmptyPlaceholder => {
                write!(f, "empty placeholder '{{}}': name an attribute")
            }
            TemplateErrorKind::InvalidName(name) => write!(
                f,
                "'{name}' is not an attribute name (letters, digits, '_', '-', '.')"
            ),
            TemplateErrorKind::InvalidWidth(width) => write!(
                f,
                "'{width}' is not a padding width: write {{name:08}} for eight digits"
            ),
            TemplateErrorKind::AdjacentPlaceholders => write!(
                f,
                "two placeholders with nothing between them cannot be told apart: put a separator such as '#' between them"
            ),
        }
    }
}

/// An error that the template refers to an attribute the entity does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownAttribute {
    pub column: usize,
    pub attribute: String,
}

impl<'a> Template<'a> {
    pub fn parse(text: &'a str) -> Result<Template<'a>, TemplateError> {
        if text.is_empty() {
            return Err(TemplateError {
                column: 1,
                kind: TemplateErrorKind::Empty,
            });
        }
        let mut segments = SmallVec::new();
        let mut literal = Literal::default();
        let bytes = text.as_bytes();
        // Byte offset, characters before it, and where the pending literal text starts.
        let (mut at, mut chars_before, mut literal_from) = (0usize, 0usize, 0usize);
        while at < bytes.len() {
            let c = bytes[at];
            let column = chars_before + 1;
            match c {
                b'{' | b'}' if bytes.get(at + 1) == Some(&c) => {
                    literal.push(&text[literal_from..=at]);
                    at += 2;
                    chars_before += 2;
                    literal_from = at;
                }
                b'}' => {
                    return Err(TemplateError {
                        column,
                        kind: TemplateErrorKind::UnexpectedCloseBrace,
                    });
                }
                b'{' => {
                    literal.push(&text[literal_from..at]);
                    let rest = &text[at + 1..];
                    // Byte searches: the braces and the colon are ASCII.
                    let Some(close) = rest.bytes().position(|b| b == b'}') else {
                        return Err(TemplateError {
                            column,
                            kind: TemplateErrorKind::UnclosedBrace,
                        });
                    };
                    let inner = &rest[..close];
                    if let Some(pos) = inner.bytes().position(|b| b == b'{') {
                        return Err(TemplateError {
                            column: column + 1 + inner[..pos].chars().count(),
                            kind: TemplateErrorKind::UnclosedBrace,
                        });
                    }
                    let (name, width) = match inner.bytes().position(|b| b == b':') {
                        Some(colon) => (&inner[..colon], Some(&inner[colon + 1..])),
                        None => (inner, None),
                    };
                    let name = name.trim();
                    if name.is_empty() {
                        return Err(TemplateError {
                            column,
                            kind: TemplateErrorKind::EmptyPlaceholder,
                        });
                    }
                    if !is_attribute_name(name) {
                        return Err(TemplateError {
                            column: column + 1,
                            kind: TemplateErrorKind::InvalidName(name.to_string()),
                        });
                    }
                    let width = match width {
                        None => None,
                        Some(w) => Some(parse_width(w).ok_or_else(|| TemplateError {
                            column: column + 2 + name.chars().count(),
                            kind: TemplateErrorKind::InvalidWidth(w.to_string()),
                        })?),
                    };
                    if literal.is_empty()
                        && matches!(segments.last(), Some(Segment::Placeholder { .. }))
                    {
                        return Err(TemplateError {
                            column,
                            kind: TemplateErrorKind::AdjacentPlaceholders,
                        });
                    }
                    if !literal.is_empty() {
                        segments.push(Segment::Literal(literal.take()));
                    }
                    segments.push(Segment::Placeholder {
                        attribute: Cow::Borrowed(name),
                        width,
                        column: column + 1,
                    });
                    // Past the placeholder and its closing brace: a valid name and
                    // width are ASCII, but spaces trimmed off the name may not be.
                    at += inner.len() + 2;
                    chars_before += if inner.is_ascii() {
                        inner.len()
                    } else {
                        inner.chars().count()
                    } + 2;
                    literal_from = at;
                }
                _ => {
                    at += 1;
                    // Count characters by their first byte, not by continuation bytes.
                    if c & 0xC0 != 0x80 {
                        chars_before += 1;
                    }
                }
            }
        }
        literal.push(&text[literal_from..]);
        if !literal.is_empty() {
            segments.push(Segment::Literal(literal.take()));
        }
        Ok(Template { segments })
    }

    /// The template `{attribute}`: what an entity writes into a key attribute it
    /// has an attribute of the same name for.
    pub fn placeholder(attribute: &'a str) -> Template<'a> {
        let mut segments = SmallVec::new();
        segments.push(Segment::Placeholder {
            attribute: Cow::Borrowed(attribute),
            width: None,
            column: 2,
        });
        Template { segments }
    }

    /// The same template, owning its text.
    pub fn into_owned(self) -> Template<'static> {
        Template {
            segments: self.segments.into_iter().map(Segment::into_owned).collect(),
        }
    }

    /// The attributes this template reads, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Placeholder { attribute, .. } => Some(attribute.as_ref()),
            Segment::Literal(_) => None,
        })
    }

    pub fn is_constant(&self) -> bool {
        self.placeholders().next().is_none()
    }

    /// The literal text before the first placeholder (empty if it starts with one).
    pub fn leading_literal(&self) -> &str {
        match self.segments.first() {
            Some(Segment::Literal(l)) => l,
            _ => "",
        }
    }

    /// The template is exactly one placeholder, so the key value is the attribute's value.
    pub fn single_placeholder(&self) -> Option<&str> {
        match self.segments.as_slice() {
            [Segment::Placeholder { attribute, .. }] => Some(attribute),
            _ => None,
        }
    }

    /// Placeholders naming attributes that `known` does not contain.
    pub fn unknown_attributes(&self, known: impl Fn(&str) -> bool) -> Vec<UnknownAttribute> {
        self.segments
            .iter()
            .filter_map(|s| match s {
                Segment::Placeholder {
                    attribute, column, ..
                } if !known(attribute) => Some(UnknownAttribute {
                    column: *column,
                    attribute: attribute.to_string(),
                }),
                _ => None,
            })
            .collect()
    }

    /// Renders the template with values for its placeholders; `None` if a value is missing.
    pub fn render(&self, value: impl Fn(&str) -> Option<String>) -> Option<String> {
        let mut out = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Literal(l) => out.push_str(l),
                Segment::Placeholder {
                    attribute, width, ..
                } => {
                    let v = value(attribute)?;
                    out.push_str(&pad(&v, *width));
                }
            }
        }
        Some(out)
    }
}

impl Template<'_> {
    /// Reads a key value back into the placeholders' values, the inverse of
    /// `render`: `USER#u1` against `USER#{user_id}` gives `user_id = u1`. Each
    /// placeholder holds at least one character and runs to the next place its
    /// following literal occurs (to the end's literal, for a template that ends in
    /// one); a value padded to its placeholder's width (`{price:08}`) loses the
    /// padding zeros. `None` when the value does not have the template's shape
    /// (another literal, a missing separator). Linear in the value's length for
    /// each segment.
    pub fn match_value<'v>(&self, value: &'v str) -> Option<Vec<(&str, &'v str)>> {
        let mut out = Vec::new();
        let mut rest = value;
        let mut segments = self.segments.iter().peekable();
        while let Some(segment) = segments.next() {
            match segment {
                Segment::Literal(l) => rest = rest.strip_prefix(l.as_ref())?,
                Segment::Placeholder {
                    attribute, width, ..
                } => {
                    // A placeholder is never empty: look for the next literal past
                    // the value's first character.
                    let first = rest.chars().next()?.len_utf8();
                    let end = match segments.peek() {
                        Some(Segment::Literal(next)) => {
                            let last = segments.clone().nth(1).is_none();
                            if last {
                                rest.len().checked_sub(next.len()).filter(|&at| {
                                    at >= first
                                        && rest.is_char_boundary(at)
                                        && rest[at..] == *next.as_ref()
                                })?
                            } else {
                                first + rest[first..].find(next.as_ref())?
                            }
                        }
                        _ => rest.len(),
                    };
                    let (mut taken, after) = rest.split_at(end);
                    if let Some(width) = width
                        && taken.len() == usize::from(*width)
                    {
                        let digits = taken.trim_start_matches('0');
                        // Keep one zero before nothing or a decimal point.
                        if digits.len() < taken.len() {
                            taken = if digits.is_empty() || digits.starts_with('.') {
                                &taken[taken.len() - digits.len() - 1..]
                            } else {
                                digits
                            };
                        }
                    }
                    out.push((attribute.as_ref(), taken));
                    rest = after;
                }
            }
        }
        rest.is_empty().then_some(out)
    }
}

/// Left-pads a value with zeros to `width` characters (a minus sign stays in front).
pub fn pad(value: &str, width: Option<u8>) -> String {
    let Some(width) = width else {
        return value.to_string();
    };
    let width = usize::from(width);
    let len = value.chars().count();
    if len >= width {
        return value.to_string();
    }
    let zeros = "0".repeat(width - len);
    match value.strip_prefix('-') {
        Some(rest) => format!("-{zeros}{rest}"),
        None => format!("{zeros}{value}"),
    }
}

fn parse_width(text: &str) -> Option<u8> {
    let digits = text.strip_prefix('0')?;
    let w: u8 = digits.parse().ok()?;
    (1..=64).contains(&w).then_some(w)
}

pub fn is_attribute_name(name: &str) -> bool {
    // Every allowed character is ASCII, so bytes can be tested one by one.
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(c) if c.is_ascii_alphabetic() || c == b'_')
        && bytes.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
}

impl<'a> Segment<'a> {
    pub fn into_owned(self) -> Segment<'static> {
        match self {
            Segment::Literal(l) => Segment::Literal(Cow::Owned(l.into_owned())),
            Segment::Placeholder {
                attribute,
                width,
                column,
            } => Segment::Placeholder {
                attribute: Cow::Owned(attribute.into_owned()),
                width,
                column,
            },
        }
    }
}

/// The literal text being gathered between placeholders: a slice of the template
/// until an escaped brace splits it, then a string of its own.
#[derive(Default)]
struct Literal<'a>(Cow<'a, str>);

impl<'a> Literal<'a> {
    fn push(&mut self, piece: &'a str) {
        if self.0.is_empty() {
            self.0 = Cow::Borrowed(piece);
        } else if !piece.is_empty() {
            self.0.to_mut().push_str(piece);
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn take(&mut self) -> Cow<'a, str> {
        std::mem::take(&mut self.0)
    }
}

impl fmt::Display for Template<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_segments(&self.segments, f)
    }
}

/// The template text of some segments (a part of a template), as `Display` writes it.
pub fn segments_text(segments: &[Segment]) -> String {
    let mut out = String::with_capacity(32);
    // Writing into a String cannot fail.
    let _ = write_segments(segments, &mut out);
    out
}

fn write_segments(segments: &[Segment], out: &mut impl fmt::Write) -> fmt::Result {
    for segment in segments {
        match segment {
            Segment::Literal(l) if l.contains(['{', '}']) => {
                for c in l.chars() {
                    match c {
                        '{' => out.write_str("{{")?,
                        '}' => out.write_str("}}")?,
                        c => out.write_char(c)?,
                    }
                }
            }
            Segment::Literal(l) => out.write_str(l)?,
            Segment::Placeholder {
                attribute, width, ..
            } => {
                out.write_char('{')?;
                out.write_str(attribute)?;
                if let Some(w) = width {
                    write!(out, ":0{w}")?;
                }
                out.write_char('}')?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Segment<'_> {
        Segment::Literal(Cow::Borrowed(s))
    }

    fn names<'a>(t: &'a Template<'_>) -> Vec<&'a str> {
        t.placeholders().collect()
    }

    #[test]
    fn parses_literals_and_placeholders() {
        let t = Template::parse("ORDER#{created_at}#{order_id}").unwrap();
        assert_eq!(t.segments.len(), 4);
        assert_eq!(t.segments[0], lit("ORDER#"));
        assert_eq!(names(&t), ["created_at", "order_id"]);
        assert_eq!(t.leading_literal(), "ORDER#");
        assert!(!t.is_constant());
    }

    #[test]
    fn single_placeholder_and_constant() {
        assert_eq!(
            Template::parse("{email}").unwrap().single_placeholder(),
            Some("email")
        );
        let meta = Template::parse("#META").unwrap();
        assert!(meta.is_constant());
        assert_eq!(meta.single_placeholder(), None);
    }

    #[test]
    fn placeholder_columns_point_at_the_name() {
        let t = Template::parse("CART#{product_id}").unwrap();
        match &t.segments[1] {
            Segment::Placeholder { column, .. } => assert_eq!(*column, 7),
            other => panic!("expected a placeholder, got {other:?}"),
        }
    }

    #[test]
    fn width_pads_numbers() {
        let t = Template::parse("PRICE#{price:08}").unwrap();
        let out = t.render(|_| Some("1999".into())).unwrap();
        assert_eq!(out, "PRICE#00001999");
        assert_eq!(pad("-5", Some(4)), "-005");
        assert_eq!(t.to_string(), "PRICE#{price:08}");
    }

    #[test]
    fn escaped_braces_are_literals() {
        let t = Template::parse("a{{b}}#{x}").unwrap();
        assert_eq!(t.segments[0], lit("a{b}#"));
        assert_eq!(t.to_string(), "a{{b}}#{x}");
    }

    #[test]
    fn unbalanced_open_brace_reports_its_column() {
        let err = Template::parse("USER#{email").unwrap_err();
        assert_eq!(err.column, 6);
        assert_eq!(err.kind, TemplateErrorKind::UnclosedBrace);
        assert!(err.to_string().starts_with("column 6: unbalanced '{'"));
    }

    #[test]
    fn nested_open_brace_is_reported_where_it_stands() {
        let err = Template::parse("{a{b}").unwrap_err();
        assert_eq!(err.column, 3);
        assert_eq!(err.kind, TemplateErrorKind::UnclosedBrace);
    }

    #[test]
    fn stray_close_brace() {
        let err = Template::parse("ORDER}#").unwrap_err();
        assert_eq!(err.column, 6);
        assert_eq!(err.kind, TemplateErrorKind::UnexpectedCloseBrace);
    }

    #[test]
    fn empty_and_invalid_placeholders() {
        assert_eq!(
            Template::parse("A#{}").unwrap_err().kind,
            TemplateErrorKind::EmptyPlaceholder
        );
        let err = Template::parse("A#{1abc}").unwrap_err();
        assert_eq!(err.kind, TemplateErrorKind::InvalidName("1abc".into()));
        assert_eq!(err.column, 4);
        assert_eq!(
            Template::parse("").unwrap_err().kind,
            TemplateErrorKind::Empty
        );
        assert!(matches!(
            Template::parse("{price:8}").unwrap_err().kind,
            TemplateErrorKind::InvalidWidth(_)
        ));
    }

    #[test]
    fn adjacent_placeholders_are_ambiguous() {
        let err = Template::parse("{a}{b}").unwrap_err();
        assert_eq!(err.kind, TemplateErrorKind::AdjacentPlaceholders);
        assert_eq!(err.column, 4);
    }

    #[test]
    fn unknown_attribute_columns() {
        let t = Template::parse("USER#{emial}").unwrap();
        let unknown = t.unknown_attributes(|a| a == "email");
        assert_eq!(
            unknown,
            vec![UnknownAttribute {
                column: 7,
                attribute: "emial".into()
            }]
        );
        assert!(t.unknown_attributes(|a| a == "emial").is_empty());
    }

    #[test]
    fn key_values_read_back_into_placeholders() {
        let t = Template::parse("ORDER#{created_at}#{order_id}").unwrap();
        assert_eq!(
            t.match_value("ORDER#2024-05-01#o-9"),
            Some(vec![("created_at", "2024-05-01"), ("order_id", "o-9")])
        );
        assert_eq!(t.match_value("CART#x"), None, "another literal");
        assert_eq!(
            t.match_value("ORDER#2024-05-01"),
            None,
            "a missing separator"
        );
        assert_eq!(t.match_value("ORDER##o"), None, "an empty value");
        let t = Template::parse("USER#{user_id}").unwrap();
        assert_eq!(t.match_value("USER#u1#x"), Some(vec![("user_id", "u1#x")]));
        let t = Template::parse("PRODUCT#{price:010}").unwrap();
        assert_eq!(
            t.match_value("PRODUCT#0000123.45"),
            Some(vec![("price", "123.45")])
        );
        assert_eq!(
            t.match_value("PRODUCT#0000000000"),
            Some(vec![("price", "0")])
        );
        assert_eq!(
            t.match_value("PRODUCT#00000000.5"),
            Some(vec![("price", "0.5")])
        );
        let t = Template::parse("#META").unwrap();
        assert_eq!(t.match_value("#META"), Some(vec![]));
        assert_eq!(t.match_value("#METADATA"), None);
        // A value that holds the separator itself, and a template ending in a literal.
        let t = Template::parse("{a}#{b}").unwrap();
        assert_eq!(t.match_value("#x#y"), Some(vec![("a", "#x"), ("b", "y")]));
        let t = Template::parse("CUSTOMER#{id}#").unwrap();
        assert_eq!(t.match_value("CUSTOMER#a#b#"), Some(vec![("id", "a#b")]));
        assert_eq!(t.match_value("CUSTOMER##"), None);
        // Padding is read back only from a value of the padded width; no panic on
        // a value that starts with a decimal point.
        let t = Template::parse("P#{price:08}").unwrap();
        assert_eq!(t.match_value("P#.5"), Some(vec![("price", ".5")]));
        assert_eq!(t.match_value("P#."), Some(vec![("price", ".")]));
        assert_eq!(t.match_value("P#000123"), Some(vec![("price", "000123")]));
        assert_eq!(t.match_value("P#é"), Some(vec![("price", "é")]));
        let t = Template::parse("{a}é{b}").unwrap();
        assert_eq!(t.match_value("ééé"), Some(vec![("a", "é"), ("b", "é")]));
    }

    #[test]
    fn render_needs_every_value() {
        let t = Template::parse("{a}#{b}").unwrap();
        assert_eq!(t.render(|n| (n == "a").then(|| "1".to_string())), None);
    }
}

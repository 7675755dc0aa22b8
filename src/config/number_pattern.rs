//! The grammar of the configured certificate-number pattern, such as
//! `{年份}{期次:02}{序号:04}`: parsed (and checked) when the configuration is read, formatted
//! for each certificate by the numbering rules of the model.

use thiserror::Error;

/// One piece of a number pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Literal text copied as is.
    Text(String),
    /// A field, zero-padded to `width` digits (0 = no padding).
    Field { field: Field, width: usize },
}

/// The fields a number pattern may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// The year the course ended.
    Year,
    /// The class number (期次) taken from the course name, e.g. 12 from 第12期….
    Session,
    /// The certificate's position within its course, from 1, in (学院, 班级, 学号) order.
    Sequence,
}

/// A parsed, validated certificate-number pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberPattern {
    pieces: Vec<Piece>,
}

/// The values one generated number is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberParts {
    /// The year the course ended.
    pub year: i32,
    /// The class number (期次), 0 when the course name has none.
    pub session: u32,
    /// The position within the course, from 1.
    pub sequence: u32,
}

/// A number pattern that cannot be used; the message says, in Chinese, what to change.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NumberPatternError {
    /// A `{` without its `}`.
    #[error("缺少与「{{」配对的「}}」")]
    Unclosed,
    /// A `}` without its `{`.
    #[error("多出的「}}」")]
    Unopened,
    /// A width that is not `:01` … `:12`.
    #[error("「{{{spec}}}」的位数应写成 :02、:04 这样")]
    Width {
        /// The field as written, e.g. `序号:x`.
        spec: String,
    },
    /// A field the pattern cannot use.
    #[error("不认识的字段「{name}」，可用的字段有 {{年份}} {{期次}} {{序号}}")]
    UnknownField {
        /// The field as written.
        name: String,
    },
    /// No `{序号}`: numbers within a course would repeat.
    #[error("必须包含 {{序号}}，否则同一期的证书编号会重复")]
    NoSequence,
}

impl NumberPattern {
    /// Parses a pattern; the error says, in Chinese, what is wrong.
    pub fn parse(pattern: &str) -> Result<NumberPattern, NumberPatternError> {
        let mut pieces = Vec::new();
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_string()));
            }
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or(NumberPatternError::Unclosed)?;
            let spec = &after[..close];
            let (name, width) = match spec.split_once(':') {
                Some((name, width)) => {
                    let width: usize = width
                        .trim_start_matches('0')
                        .parse()
                        .ok()
                        .filter(|w| (1..=12).contains(w))
                        .ok_or_else(|| NumberPatternError::Width { spec: spec.into() })?;
                    (name, width)
                }
                None => (spec, 0),
            };
            let field = match name.trim() {
                "年份" => Field::Year,
                "期次" => Field::Session,
                "序号" => Field::Sequence,
                other => {
                    return Err(NumberPatternError::UnknownField { name: other.into() });
                }
            };
            pieces.push(Piece::Field { field, width });
            rest = &after[close + 1..];
        }
        if rest.contains('}') {
            return Err(NumberPatternError::Unopened);
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        if !pieces.iter().any(|p| {
            matches!(
                p,
                Piece::Field {
                    field: Field::Sequence,
                    ..
                }
            )
        }) {
            return Err(NumberPatternError::NoSequence);
        }
        Ok(NumberPattern { pieces })
    }

    /// The number for these parts.
    pub fn format(&self, parts: NumberParts) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Field { field, width } => {
                    let value = match field {
                        Field::Year => parts.year as i64,
                        Field::Session => parts.session as i64,
                        Field::Sequence => parts.sequence as i64,
                    };
                    out.push_str(&format!("{value:0width$}", width = *width));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_pattern_formats_as_documented() {
        let p = NumberPattern::parse("{年份}{期次:02}{序号:04}").unwrap();
        let n = p.format(NumberParts {
            year: 2025,
            session: 12,
            sequence: 7,
        });
        assert_eq!(n, "2025120007");
    }

    #[test]
    fn literal_text_is_kept() {
        let p = NumberPattern::parse("党校〔{年份}〕第{序号:03}号").unwrap();
        let n = p.format(NumberParts {
            year: 2025,
            session: 0,
            sequence: 42,
        });
        assert_eq!(n, "党校〔2025〕第042号");
    }

    #[test]
    fn bad_patterns_are_explained() {
        assert!(
            NumberPattern::parse("{年份}{班号}")
                .unwrap_err()
                .to_string()
                .contains("班号")
        );
        assert!(
            NumberPattern::parse("{年份}")
                .unwrap_err()
                .to_string()
                .contains("序号")
        );
        assert!(
            NumberPattern::parse("{序号")
                .unwrap_err()
                .to_string()
                .contains("}")
        );
        assert!(
            NumberPattern::parse("{序号:x}")
                .unwrap_err()
                .to_string()
                .contains(":04")
        );
    }
}

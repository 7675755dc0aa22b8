//! Where each document goes inside the archive: file-name sanitising, the configurable path
//! pattern (`{学院}/{党支部}/{学号}_{姓名}/{文档名}.pdf`) and de-duplication of colliding paths.
//!
//! Every path produced here is relative, uses `/` as separator and consists of components that
//! are valid file names on Windows, macOS and Linux, whatever the spreadsheet cells held.

use foldhash::{HashSet, HashSetExt};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The default archive layout of SPEC.md: one folder per student under college and branch.
pub const DEFAULT_PATTERN: &str = "{学院}/{党支部}/{学号}_{姓名}/{文档名}.pdf";

/// Longest path component, in UTF-8 bytes: 33 CJK characters or 100 ASCII ones. Well below
/// the 255-byte limit of common Linux file systems and the 255 UTF-16 units of NTFS, and
/// short enough that a few nested folders stay under the 260 characters of a Windows path
/// that old Explorer extractors can create.
pub const MAX_COMPONENT_BYTES: usize = 100;

/// Longest file extension (after the last `.`) that truncation keeps intact.
const MAX_EXTENSION_CHARS: usize = 10;

/// Characters Windows forbids in file names (`/` also separates components everywhere).
const FORBIDDEN: [char; 9] = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

/// Device names Windows reserves whatever the extension (`CON.pdf` cannot be created).
const RESERVED_NAMES: [&str; 6] = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

/// A mistake in a path pattern, found when the pattern is parsed or expanded.
///
/// Patterns come from the user's configuration, so the messages say what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// The pattern is empty or blank.
    #[error("输出路径模式为空，请填写，例如 {DEFAULT_PATTERN}")]
    EmptyPattern,
    /// A `{field}` names no known field.
    #[error("输出路径模式 {pattern} 中的字段 {{{field}}} 不存在；可用的字段：{known}")]
    UnknownField {
        /// The pattern as written.
        pattern: String,
        /// The unknown field name.
        field: String,
        /// The known field names, joined with `、`.
        known: String,
    },
    /// A `{` without its closing `}`.
    #[error(
        "输出路径模式 {pattern} 中有未闭合的 {{；字段请写成 {{字段名}}，字面的花括号请写成 {{{{"
    )]
    UnclosedBrace {
        /// The pattern as written.
        pattern: String,
    },
    /// A `}` without an opening `{`.
    #[error("输出路径模式 {pattern} 中有多余的 }}；字面的花括号请写成 }}}}")]
    StrayBrace {
        /// The pattern as written.
        pattern: String,
    },
    /// `{}` with nothing inside.
    #[error("输出路径模式 {pattern} 中有空的 {{}}，请在花括号中写字段名")]
    EmptyField {
        /// The pattern as written.
        pattern: String,
    },
    /// A segment between separators is empty (leading, trailing or doubled `/`).
    #[error("输出路径模式 {pattern} 中有空的一级路径（开头、结尾或连续的 /），请删除多余的 /")]
    EmptySegment {
        /// The pattern as written.
        pattern: String,
    },
}

/// Makes `raw` a safe single path component (file or folder name) on every common system.
///
/// - path separators and characters Windows forbids (`/ \ : * ? " < > |`) become `_`;
/// - control and invisible formatting characters (zero-width spaces, bidi overrides that could
///   disguise an extension) are dropped; any run of white space becomes one ASCII space;
/// - runs of dots become one dot, so no component is or contains `..`;
/// - leading and trailing dots and spaces are removed (Windows drops trailing ones silently);
/// - at most [`MAX_COMPONENT_BYTES`] UTF-8 bytes, cut between characters and keeping a
///   short extension such as `.pdf`;
/// - Windows device names (`CON`, `nul.pdf`, `COM1`, `LPT9` …) get a `_` after the base name;
/// - an empty result becomes `_`.
pub fn sanitize_component(raw: &str) -> String {
    let cleaned = clean_chars(raw);
    let trimmed = trim_ends(&cleaned);
    let capped = truncate_keeping_extension(trimmed, MAX_COMPONENT_BYTES);
    let trimmed = trim_ends(&capped);
    let safe = avoid_reserved_name(trimmed);
    if safe.is_empty() {
        "_".to_owned()
    } else {
        safe
    }
}

/// Replaces forbidden characters, drops invisible ones, collapses white space and dot runs.
fn clean_chars(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = if FORBIDDEN.contains(&c) {
            '_'
        } else if c.is_whitespace() {
            ' '
        } else if c.is_control() || is_invisible_format(c) {
            continue;
        } else {
            c
        };
        if (c == ' ' || c == '.') && out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Invisible formatting characters (Unicode category Cf in common use): zero-width spaces and
/// joiners, bidi marks and overrides, the BOM, the soft hyphen and the tag characters.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// Strips leading and trailing spaces and dots.
fn trim_ends(s: &str) -> &str {
    s.trim_matches(|c: char| c == '.' || c.is_whitespace())
}

/// The extension of a file name (without the dot), if it is short, ASCII alphanumeric and
/// follows a non-empty stem.
fn extension(name: &str) -> Option<(&str, &str)> {
    let (stem, ext) = name.rsplit_once('.')?;
    let ext_ok = !ext.is_empty()
        && ext.chars().count() <= MAX_EXTENSION_CHARS
        && ext.chars().all(|c| c.is_ascii_alphanumeric());
    (ext_ok && !stem.is_empty()).then_some((stem, ext))
}

/// Cuts `name` to at most `max` UTF-8 bytes, between characters; a short extension is kept
/// and the stem cut instead.
fn truncate_keeping_extension(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_owned();
    }
    match extension(name) {
        Some((stem, ext)) => {
            let stem = prefix_within(stem, max.saturating_sub(ext.len() + 1));
            format!("{}.{ext}", trim_ends(stem))
        }
        None => prefix_within(name, max).to_owned(),
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends between characters.
fn prefix_within(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Appends `_` to the base name (before the first dot) if Windows reserves it as a device.
fn avoid_reserved_name(name: &str) -> String {
    let (base, rest) = match name.find('.') {
        Some(i) => name.split_at(i),
        None => (name, ""),
    };
    if is_reserved_base(base.trim_end()) {
        format!("{base}_{rest}")
    } else {
        name.to_owned()
    }
}

/// Whether Windows treats `base` as a device name: CON, PRN, AUX, NUL, CONIN$, CONOUT$,
/// COM0–COM9 and LPT0–LPT9 (also with superscript digits ¹²³), in any letter case.
fn is_reserved_base(base: &str) -> bool {
    let upper = base.to_ascii_uppercase();
    if RESERVED_NAMES.contains(&upper.as_str()) {
        return true;
    }
    let mut chars = upper.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let digit = chars.next();
    (prefix == "COM" || prefix == "LPT")
        && chars.next().is_none()
        && matches!(digit, Some('0'..='9' | '¹' | '²' | '³'))
}

/// Cleans one inserted field value: like [`sanitize_component`] but an empty value stays empty
/// (the whole component decides about `_`) and no reserved-name handling (the component does).
fn sanitize_value(raw: &str) -> String {
    let cleaned = clean_chars(raw);
    prefix_within(cleaned.trim(), MAX_COMPONENT_BYTES).to_owned()
}

/// The fields a document gives the path pattern of the configuration (`文档` is short for
/// `文档名`).
pub const PATH_FIELDS: &[&str] = &[
    "学院",
    "专业",
    "党支部",
    "班级",
    "学号",
    "姓名",
    "文档名",
    "文档",
    "年度",
];

/// Checks a configured path pattern: its syntax, and that it uses only [`PATH_FIELDS`].
pub fn check_document_pattern(pattern: &str) -> Result<PathPattern, LayoutError> {
    let parsed = PathPattern::parse(pattern)?;
    parsed.check_fields(PATH_FIELDS.iter().copied())?;
    Ok(parsed)
}

/// One piece of a pattern segment.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Text written in the pattern.
    Literal(String),
    /// A `{field}` to be replaced by a value.
    Field(String),
}

/// A parsed path pattern such as [`DEFAULT_PATTERN`]: parse once (and report mistakes when the
/// configuration is loaded), then expand for every document.
///
/// Syntax: `{name}` inserts the field `name`; `/` (or `\`) separates folders; `{{` and `}}`
/// write literal braces. Everything else is literal text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern {
    source: String,
    segments: Vec<Vec<Piece>>,
}

impl PathPattern {
    /// Parses `pattern`, reporting unbalanced braces, empty `{}` and empty segments.
    pub fn parse(pattern: &str) -> Result<Self, LayoutError> {
        if pattern.trim().is_empty() {
            return Err(LayoutError::EmptyPattern);
        }
        let segments = pattern
            .split(['/', '\\'])
            .map(|segment| parse_segment(segment, pattern))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PathPattern {
            source: pattern.to_owned(),
            segments,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The field names the pattern uses, in order of first appearance, without repeats.
    pub fn fields(&self) -> Vec<&str> {
        let mut seen = Vec::new();
        for piece in self.segments.iter().flatten() {
            if let Piece::Field(name) = piece
                && !seen.contains(&name.as_str())
            {
                seen.push(name.as_str());
            }
        }
        seen
    }

    /// Checks that every field of the pattern is among `known`, so that a typo in the
    /// configuration is reported before any document is typeset.
    pub fn check_fields<'a>(
        &self,
        known: impl IntoIterator<Item = &'a str> + Clone,
    ) -> Result<(), LayoutError> {
        for field in self.fields() {
            if !known.clone().into_iter().any(|k| k == field) {
                return Err(self.unknown_field(field, known.clone()));
            }
        }
        Ok(())
    }

    /// The relative archive path for one document: every `{field}` replaced by its sanitised
    /// value, every component sanitised with [`sanitize_component`] (an empty one becomes `_`).
    pub fn expand(&self, fields: &BTreeMap<String, String>) -> Result<String, LayoutError> {
        self.expand_by(
            |name| fields.get(name).map(String::as_str),
            fields.keys().map(String::as_str),
        )
    }

    /// [`PathPattern::expand`] with each field's value from `value` (`None` for a field it
    /// does not know; `known` names those it does, for the message): a province's plan
    /// expands a hundred thousand paths, and builds no map of fields for each.
    pub fn expand_by<'v, 'k>(
        &self,
        value: impl Fn(&str) -> Option<&'v str>,
        known: impl IntoIterator<Item = &'k str>,
    ) -> Result<String, LayoutError> {
        let mut path = String::new();
        for (i, segment) in self.segments.iter().enumerate() {
            let mut component = String::new();
            for piece in segment {
                match piece {
                    Piece::Literal(text) => component.push_str(text),
                    Piece::Field(name) => match value(name) {
                        Some(value) => component.push_str(&sanitize_value(value)),
                        None => return Err(self.unknown_field(name, known)),
                    },
                }
            }
            if i > 0 {
                path.push('/');
            }
            path.push_str(&sanitize_component(&component));
        }
        Ok(path)
    }

    /// The pattern without the field `name`: its `{name}` is removed from every component
    /// together with the separators (`_`, `-`, spaces) that joined it to the rest; a
    /// component left empty holds `{fallback}` instead. `{学号}_{姓名}` without 姓名 is
    /// `{学号}`; `{姓名}` alone with fallback 学号 is `{学号}`.
    pub fn without_field(&self, name: &str, fallback: &str) -> PathPattern {
        let is_field = |p: &Piece| matches!(p, Piece::Field(f) if f == name);
        let is_separator = |p: &Piece| matches!(p, Piece::Literal(t) if t.chars().all(|c| matches!(c, '_' | '-' | ' ' | '　')));
        let segments = self
            .segments
            .iter()
            .map(|segment| {
                if !segment.iter().any(is_field) {
                    return segment.clone();
                }
                let mut kept: Vec<Piece> = Vec::new();
                for (i, piece) in segment.iter().enumerate() {
                    let next_to_field = (i > 0 && is_field(&segment[i - 1]))
                        || segment.get(i + 1).is_some_and(is_field);
                    if is_field(piece) || (is_separator(piece) && next_to_field) {
                        continue;
                    }
                    kept.push(piece.clone());
                }
                let only_literal_dots = kept
                    .iter()
                    .all(|p| matches!(p, Piece::Literal(t) if t.starts_with('.')));
                if only_literal_dots {
                    kept.insert(0, Piece::Field(fallback.to_owned()));
                }
                kept
            })
            .collect();
        PathPattern {
            source: self.source.clone(),
            segments,
        }
    }

    fn unknown_field<'a>(
        &self,
        field: &str,
        known: impl IntoIterator<Item = &'a str>,
    ) -> LayoutError {
        let known: Vec<&str> = known.into_iter().collect();
        LayoutError::UnknownField {
            pattern: self.source.clone(),
            field: field.to_owned(),
            known: if known.is_empty() {
                "（无）".to_owned()
            } else {
                known.join("、")
            },
        }
    }
}

/// Parses one segment (between separators) of `pattern` into literal text and fields.
fn parse_segment(segment: &str, pattern: &str) -> Result<Vec<Piece>, LayoutError> {
    if segment.trim().is_empty() {
        return Err(LayoutError::EmptySegment {
            pattern: pattern.to_owned(),
        });
    }
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = segment.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '}' => {
                return Err(LayoutError::StrayBrace {
                    pattern: pattern.to_owned(),
                });
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some('{') | None => {
                            return Err(LayoutError::UnclosedBrace {
                                pattern: pattern.to_owned(),
                            });
                        }
                        Some(c) => name.push(c),
                    }
                }
                let name = name.trim();
                if name.is_empty() {
                    return Err(LayoutError::EmptyField {
                        pattern: pattern.to_owned(),
                    });
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Field(name.to_owned()));
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}

/// Expands `pattern` for one document; see [`PathPattern::expand`]. An unknown field is an
/// error naming it, so configuration validation can call this with sample fields early.
pub fn expand_pattern(
    pattern: &str,
    fields: &BTreeMap<String, String>,
) -> Result<String, LayoutError> {
    PathPattern::parse(pattern)?.expand(fields)
}

/// Makes archive paths unique, deterministically, keeping input order and length.
///
/// The first occurrence of a path keeps it; later ones get `（2）`, `（3）` … before the
/// extension (`张三/登记表.pdf` → `张三/登记表（2）.pdf`), skipping numbers whose result is taken
/// by any input path. Paths are compared ignoring letter case, because Windows and macOS would
/// overwrite one file with the other when extracting.
pub fn unique_paths<S: AsRef<str>>(paths: &[S]) -> Vec<String> {
    let mut out: Vec<String> = paths.iter().map(|p| p.as_ref().to_owned()).collect();
    make_paths_unique(&mut out);
    out
}

/// [`unique_paths`] in place: the paths that repeat one before them are renamed, the others
/// are left as they are (and not copied: a province's plan has a hundred thousand).
pub fn make_paths_unique(paths: &mut [String]) {
    let renamed: Vec<(usize, String)> = {
        // One pass finds the repeats; every path's key is then taken, so that a new name
        // never meets a path further on. Most plans have no repeat and stop here.
        let mut taken: HashSet<Cow<'_, str>> = HashSet::with_capacity(paths.len());
        let repeats: Vec<usize> = (0..paths.len())
            .filter(|&i| !taken.insert(case_key(&paths[i])))
            .collect();
        let mut renamed = Vec::with_capacity(repeats.len());
        for i in repeats {
            let path = &paths[i];
            let (dir, file) = match path.rsplit_once('/') {
                Some((dir, file)) => (format!("{dir}/"), file),
                None => (String::new(), path.as_str()),
            };
            let (stem, ext) = match file.rsplit_once('.') {
                Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
                _ => (file, String::new()),
            };
            let mut n: u64 = 2;
            let candidate = loop {
                let mut candidate = String::with_capacity(path.len() + 8);
                // Writing to a String cannot fail.
                let _ = write!(candidate, "{dir}{stem}（{n}）{ext}");
                if taken.insert(Cow::Owned(case_key(&candidate).into_owned())) {
                    break candidate;
                }
                n += 1;
            };
            renamed.push((i, candidate));
        }
        renamed
    };
    for (i, path) in renamed {
        paths[i] = path;
    }
}

/// What two paths are compared by when letter case is ignored (as Windows and macOS do): the
/// path in lower case — the path itself, not copied, when lowering changes nothing (a path of
/// Chinese names and digits).
pub fn case_key(path: &str) -> Cow<'_, str> {
    let caseless = path.chars().all(|c| {
        let mut lower = c.to_lowercase();
        lower.next() == Some(c) && lower.next().is_none()
    });
    if caseless {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(path.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn sample() -> BTreeMap<String, String> {
        fields(&[
            ("学院", "计算机学院"),
            ("党支部", "本科生第一党支部"),
            ("学号", "2021010101"),
            ("姓名", "张三"),
            ("文档名", "入党积极分子登记表"),
        ])
    }

    #[test]
    fn forbidden_characters_become_underscores() {
        assert_eq!(
            sanitize_component(r#"a/b\c:d*e?f"g<h>i|j"#),
            "a_b_c_d_e_f_g_h_i_j"
        );
    }

    #[test]
    fn control_and_invisible_characters_are_dropped_and_white_space_collapsed() {
        assert_eq!(sanitize_component("张\u{0}三\u{7}"), "张三");
        assert_eq!(sanitize_component("张\u{200B}三"), "张三");
        // A right-to-left override could make `fdp.exe` look like `exe.pdf`.
        assert_eq!(sanitize_component("a\u{202E}fdp.exe"), "afdp.exe");
        assert_eq!(sanitize_component("第一\t\n\r党支部"), "第一 党支部");
        assert_eq!(sanitize_component("张\u{3000}\u{3000}三"), "张 三");
    }

    #[test]
    fn dots_and_spaces_are_trimmed_and_dot_runs_collapsed() {
        assert_eq!(sanitize_component("  .hidden. "), "hidden");
        assert_eq!(sanitize_component(".."), "_");
        assert_eq!(sanitize_component("."), "_");
        assert_eq!(sanitize_component("a..b"), "a.b");
        assert_eq!(sanitize_component("../../etc"), "_._etc");
        assert!(!sanitize_component("x/../y").contains(".."));
    }

    #[test]
    fn empty_input_becomes_underscore() {
        assert_eq!(sanitize_component(""), "_");
        assert_eq!(sanitize_component("   "), "_");
        assert_eq!(sanitize_component("\u{200B}"), "_");
    }

    #[test]
    fn windows_device_names_are_made_safe() {
        assert_eq!(sanitize_component("CON"), "CON_");
        assert_eq!(sanitize_component("nul.pdf"), "nul_.pdf");
        assert_eq!(sanitize_component("Com1"), "Com1_");
        assert_eq!(sanitize_component("LPT9.txt"), "LPT9_.txt");
        assert_eq!(sanitize_component("COM¹"), "COM¹_");
        assert_eq!(sanitize_component("aux .tar.gz"), "aux _.tar.gz");
        // Not reserved: longer names and other numbers.
        assert_eq!(sanitize_component("CONSOLE"), "CONSOLE");
        assert_eq!(sanitize_component("COM10"), "COM10");
        assert_eq!(sanitize_component("会议CON"), "会议CON");
    }

    #[test]
    fn long_components_are_cut_between_characters_keeping_the_extension() {
        let long = "党".repeat(200);
        let cut = sanitize_component(&long);
        assert_eq!(cut.chars().count(), 33, "{cut}");
        assert!(cut.len() <= MAX_COMPONENT_BYTES);
        assert!(cut.chars().all(|c| c == '党'));

        let file = format!("{}.pdf", "表".repeat(200));
        let cut = sanitize_component(&file);
        assert!(cut.len() <= MAX_COMPONENT_BYTES && cut.len() > MAX_COMPONENT_BYTES - 3);
        assert!(cut.ends_with("表.pdf"));
        assert_eq!(
            sanitize_component(&"a".repeat(150)).len(),
            MAX_COMPONENT_BYTES
        );
    }

    #[test]
    fn truncation_does_not_leave_a_trailing_dot_or_space() {
        let name = format!("{}. 尾巴", "a".repeat(MAX_COMPONENT_BYTES - 1));
        let cut = sanitize_component(&name);
        assert_eq!(cut, "a".repeat(MAX_COMPONENT_BYTES - 1));
    }

    #[test]
    fn default_pattern_expands_to_the_spec_layout() {
        let path = expand_pattern(DEFAULT_PATTERN, &sample());
        assert_eq!(
            path.as_deref(),
            Ok("计算机学院/本科生第一党支部/2021010101_张三/入党积极分子登记表.pdf")
        );
    }

    #[test]
    fn values_cannot_add_components_or_escape() {
        let mut f = sample();
        f.insert("学院".into(), "../../etc".into());
        f.insert("党支部".into(), "a/b\\c".into());
        let path = expand_pattern(DEFAULT_PATTERN, &f).unwrap_or_default();
        assert_eq!(path.split('/').count(), 4, "{path}");
        assert!(
            path.split('/')
                .all(|c| c != ".." && c != "." && !c.is_empty())
        );
        assert!(path.starts_with("_._etc/a_b_c/"), "{path}");
    }

    #[test]
    fn empty_values_give_an_underscore_component() {
        let mut f = sample();
        f.insert("党支部".into(), "  ".into());
        let path = expand_pattern(DEFAULT_PATTERN, &f).unwrap_or_default();
        assert_eq!(path, "计算机学院/_/2021010101_张三/入党积极分子登记表.pdf");
    }

    #[test]
    fn unknown_field_is_an_error_naming_it() {
        let err = expand_pattern("{学院}/{班级}/{姓名}.pdf", &sample());
        match err {
            Err(LayoutError::UnknownField { field, known, .. }) => {
                assert_eq!(field, "班级");
                assert!(known.contains("学院"));
            }
            other => panic!("expected UnknownField, got {other:?}"),
        }
        let message = expand_pattern("{班级}", &sample())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("{班级}"), "{message}");
    }

    #[test]
    fn malformed_patterns_are_rejected() {
        let p = |s: &str| PathPattern::parse(s).err();
        assert_eq!(p(""), Some(LayoutError::EmptyPattern));
        assert!(matches!(
            p("{学院"),
            Some(LayoutError::UnclosedBrace { .. })
        ));
        assert!(matches!(
            p("{学{院}"),
            Some(LayoutError::UnclosedBrace { .. })
        ));
        assert!(matches!(p("学院}"), Some(LayoutError::StrayBrace { .. })));
        assert!(matches!(p("{ }"), Some(LayoutError::EmptyField { .. })));
        assert!(matches!(
            p("/{学院}"),
            Some(LayoutError::EmptySegment { .. })
        ));
        assert!(matches!(
            p("{学院}//x"),
            Some(LayoutError::EmptySegment { .. })
        ));
        assert!(matches!(
            p("{学院}/"),
            Some(LayoutError::EmptySegment { .. })
        ));
    }

    #[test]
    fn escaped_braces_and_backslash_separators() {
        let f = sample();
        assert_eq!(expand_pattern("{{{姓名}}}", &f).as_deref(), Ok("{张三}"));
        assert_eq!(
            expand_pattern(r"{学院}\{姓名}.pdf", &f).as_deref(),
            Ok("计算机学院/张三.pdf")
        );
    }

    #[test]
    fn fields_and_check_fields() {
        let pattern = PathPattern::parse("{学院}/{学号}_{姓名}/{学号}.pdf");
        let pattern = pattern.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pattern.fields(), vec!["学院", "学号", "姓名"]);
        assert_eq!(pattern.check_fields(["学院", "学号", "姓名", "x"]), Ok(()));
        assert!(matches!(
            pattern.check_fields(["学院", "学号"]),
            Err(LayoutError::UnknownField { field, .. }) if field == "姓名"
        ));
    }

    #[test]
    fn expanded_component_is_capped_keeping_the_extension() {
        let mut f = sample();
        f.insert("文档名".into(), "表".repeat(300));
        let path = expand_pattern("{学号}_{文档名}.pdf", &f).unwrap_or_default();
        assert!(path.len() <= MAX_COMPONENT_BYTES && path.len() > MAX_COMPONENT_BYTES - 3);
        assert!(
            path.starts_with("2021010101_表") && path.ends_with("表.pdf"),
            "{path}"
        );
    }

    #[test]
    fn a_field_can_be_left_out_with_its_separators() {
        let f = sample();
        let p = PathPattern::parse("{学院}/{学号}_{姓名}/{姓名}.pdf").unwrap();
        let without = p.without_field("姓名", "学号");
        assert_eq!(
            without.expand(&f).as_deref(),
            Ok("计算机学院/2021010101/2021010101.pdf")
        );
        let p = PathPattern::parse("{姓名}-{文档名}.pdf").unwrap();
        assert_eq!(
            p.without_field("姓名", "学号").expand(&f).as_deref(),
            Ok("入党积极分子登记表.pdf")
        );
    }

    #[test]
    fn unique_paths_numbers_repeats_in_input_order() {
        let input = [
            "a/x.pdf", "a/y.pdf", "a/x.pdf", "b/x.pdf", "a/x.pdf", "a/noext",
        ];
        let mut input = input.to_vec();
        input.push("a/noext");
        assert_eq!(
            unique_paths(&input),
            vec![
                "a/x.pdf",
                "a/y.pdf",
                "a/x（2）.pdf",
                "b/x.pdf",
                "a/x（3）.pdf",
                "a/noext",
                "a/noext（2）",
            ]
        );
    }

    #[test]
    fn unique_paths_never_takes_a_name_present_in_the_input() {
        let input = ["x.pdf", "x.pdf", "x（2）.pdf"];
        let out = unique_paths(&input);
        assert_eq!(out, vec!["x.pdf", "x（3）.pdf", "x（2）.pdf"]);
    }

    #[test]
    fn unique_paths_ignores_letter_case() {
        let out = unique_paths(&["A/Report.pdf", "a/report.PDF"]);
        assert_eq!(out, vec!["A/Report.pdf", "a/report（2）.PDF"]);
    }

    #[test]
    fn unique_paths_keeps_unique_input_unchanged() {
        let input = vec!["b.pdf".to_owned(), "a.pdf".to_owned()];
        assert_eq!(unique_paths(&input), input);
        assert!(unique_paths::<&str>(&[]).is_empty());
    }
}

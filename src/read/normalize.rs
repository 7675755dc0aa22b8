//! Text normalisation shared by header matching, sheet-name keywords, footer detection and
//! the value parsers: full-width → half-width, whitespace removal, trailing hint removal.

/// Converts full-width ASCII variants (U+FF01–U+FF5E) to ASCII and the ideographic space
/// (U+3000) to a plain space; everything else is kept. Chinese input methods often produce
/// `（`, `：`, `１２３` where ASCII was meant.
pub fn to_half_width(s: &str) -> String {
    s.chars().map(half_width_char).collect()
}

/// One character of [`to_half_width`].
pub fn half_width_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// True for characters that count as blank in a cell: Unicode whitespace (incl. U+3000 and
/// U+00A0) and the invisible zero-width space / BOM that copy-paste leaves behind.
pub fn is_blank_char(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}')
}

/// Trims blank characters (see [`is_blank_char`]) from both ends.
pub fn trim_blank(s: &str) -> &str {
    s.trim_matches(is_blank_char)
}

/// Half-width conversion plus removal of every blank character: the form in which sheet
/// names and footer prefixes are compared (`制 表 人：` → `制表人:`).
pub fn normalize_text(s: &str) -> String {
    s.chars()
        .map(half_width_char)
        .filter(|c| !is_blank_char(*c))
        .collect()
}

/// Normalises a header for matching: [`normalize_text`], then drops required-field markers
/// (`*`) and trailing bracketed hints such as `（年月）`, `(必填)`, `【文本】`, `[yyyy-mm-dd]`
/// (repeatedly, as long as something is left): `出生日期（年月）` → `出生日期`. A bracketed
/// semester is part of the name, not a hint: `民主生活会（上学期）` → `民主生活会上学期`
/// (also 第一学期/秋季学期; 第二学期/春季学期 → 下学期).
pub fn normalize_header(s: &str) -> String {
    let mut h: String = normalize_text(s).chars().filter(|c| *c != '*').collect();
    for (hint, term) in [
        ("上学期", "上学期"),
        ("第一学期", "上学期"),
        ("秋季学期", "上学期"),
        ("下学期", "下学期"),
        ("第二学期", "下学期"),
        ("春季学期", "下学期"),
    ] {
        for (open, close) in [("(", ")"), ("[", "]"), ("【", "】"), ("〔", "〕")] {
            // Stripped piece by piece: no string is built for the 24 tries (this runs for
            // every cell of every row that is checked for a repeated header).
            if let Some(stem) = h
                .strip_suffix(close)
                .and_then(|h| h.strip_suffix(hint))
                .and_then(|h| h.strip_suffix(open))
                && !stem.is_empty()
            {
                return format!("{stem}{term}");
            }
        }
    }
    while let Some(last) = h.chars().last() {
        let open = match last {
            ')' => '(',
            ']' => '[',
            '】' => '【',
            '〕' => '〔',
            _ => break,
        };
        match h.rfind(open) {
            Some(i) if i > 0 => h.truncate(i),
            _ => break,
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_normalise() {
        assert_eq!(normalize_header("出生日期（年月）"), "出生日期");
        assert_eq!(normalize_header(" 姓　名 "), "姓名");
        assert_eq!(normalize_header("*学号"), "学号");
        assert_eq!(normalize_header("学时【数字】(必填)"), "学时");
        assert_eq!(normalize_header("（备注）"), "(备注)");
        assert_eq!(normalize_header("ＩＤ［x］"), "ID");
        assert_eq!(normalize_header("民主生活会（上学期）"), "民主生活会上学期");
        assert_eq!(normalize_header("社会实践(第二学期)"), "社会实践下学期");
        assert_eq!(normalize_text("制 表 人："), "制表人:");
    }
}

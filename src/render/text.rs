//! Text helpers the templates use through filters: cutting a long text so that its last
//! lines stay on one page with the signature under it, and telling a value that surely sets
//! on one line (so that its grid row may have a fixed height).

/// Whether `text` surely sets on one line `ems` em wide in the forms' body faces (Noto Serif SC
/// regular or bold): the sum of an upper bound of each character's advance, plus room for
/// kerning, is at most `ems`. A template gives such a row a fixed height, which typst lays out
/// once instead of measuring it first: the row looks the same.
///
/// The bounds come from the faces' advance widths: digits at most 0.596 em, other printable
/// ASCII and Latin-1 at most 1.091 em (W in bold), CJK ideographs, CJK punctuation and
/// full-width forms exactly 1 em. Any other character — a line break, a control character, a
/// character the faces lack (drawn from HanaMinB or an added face, whose taller metrics would
/// make an auto-height row higher) — means "not surely".
pub fn fits_line(text: &str, ems: f64) -> bool {
    /// Room left for kerning and the invisible spacing of the forms' show rules.
    const SLACK: f64 = 0.3;
    let mut width = 0.0;
    for c in text.chars() {
        let Some(advance) = max_advance(c) else {
            return false;
        };
        width += advance;
        if width + SLACK > ems {
            return false;
        }
    }
    true
}

/// An upper bound of `c`'s advance in em in Noto Serif SC regular and bold, for the
/// characters both faces have and set no higher than a line of CJK text; `None` for the rest.
fn max_advance(c: char) -> Option<f64> {
    match c {
        '0'..='9' => Some(0.6),
        ' '..='~' | '\u{A0}'..='\u{FF}' => Some(1.1),
        // General punctuation the faces have: dashes, quotes, bullets, ellipsis.
        '\u{2010}'..='\u{2027}'
            if !matches!(
                c,
                '\u{2017}' | '\u{201B}' | '\u{201F}' | '\u{2023}' | '\u{2024}'
            ) =>
        {
            Some(1.1)
        }
        // CJK punctuation, Extension A, the unified ideographs, full-width forms.
        '\u{3000}'..='\u{303F}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{FF01}'..='\u{FF60}' => Some(1.0),
        _ => None,
    }
}

/// About how many lines paragraphs take in a box `line` Chinese characters wide: first lines
/// indented by 2, an ASCII character counted as half a Chinese one. An estimate for sizing
/// the blank room of a box (it ignores punctuation squeezed at line ends), not a measure.
pub fn line_count<S: AsRef<str>>(paragraphs: &[S], line: usize) -> usize {
    paragraphs
        .iter()
        .map(|p| {
            let halves: usize = p
                .as_ref()
                .chars()
                .map(|c| if c.is_ascii() { 1 } else { 2 })
                .sum();
            (halves + 4).div_ceil(2 * line.max(1))
        })
        .sum()
}

/// A long text's paragraphs cut in two for a ruled box that flows across pages: the `head`,
/// which may break anywhere, and the `tail` — its last lines — which is kept on one page with
/// what follows (an opinion box, a signature row), so that no signature stands alone at the top
/// of a page. The tail is the last paragraph when it has at most `max` characters; else the
/// last sentences of the last paragraph that fit in `max` (or its last `max` characters
/// when no sentence does), and `continued` says the tail's first line continues the head's
/// last paragraph (it gets no indent).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SplitText {
    /// The paragraphs that may break across pages.
    pub head: Vec<String>,
    /// The last lines, kept with what follows.
    pub tail: Vec<String>,
    /// Whether the tail's first paragraph is the end of the head's last paragraph.
    pub continued: bool,
}

/// Splits paragraphs into a [`SplitText`]; a text of at most `whole` characters stays whole in
/// the tail (it fits on a page with what follows).
pub fn split_tail(paragraphs: &[String], whole: usize, max: usize) -> SplitText {
    let total: usize = paragraphs.iter().map(|p| p.chars().count()).sum();
    let Some((last, before)) = paragraphs.split_last() else {
        return SplitText::default();
    };
    if total <= whole {
        return SplitText {
            head: Vec::new(),
            tail: paragraphs.to_vec(),
            continued: false,
        };
    }
    let chars: Vec<char> = last.chars().collect();
    if chars.len() <= max {
        return SplitText {
            head: before.to_vec(),
            tail: vec![last.clone()],
            continued: false,
        };
    }
    // The earliest sentence end from which the rest has at most `max` characters; a sentence
    // end is 。！？； (the cut comes after it, and after a closing quote that follows).
    let from = chars.len() - max;
    let mut cut = None;
    for i in from.saturating_sub(1)..chars.len().saturating_sub(1) {
        if "。！？；".contains(chars[i]) {
            let mut at = i + 1;
            while at < chars.len() && "”’」』）".contains(chars[at]) {
                at += 1;
            }
            if at >= from && at < chars.len() {
                cut = Some(at);
                break;
            }
        }
    }
    let cut = cut.unwrap_or(from);
    let mut head = before.to_vec();
    head.push(chars[..cut].iter().collect());
    SplitText {
        head,
        tail: vec![chars[cut..].iter().collect()],
        continued: true,
    }
}

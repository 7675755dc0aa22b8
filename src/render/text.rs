//! Text helpers the templates use through filters: cutting a long text so that its last
//! lines stay on one page with the signature under it, and telling a value that surely sets
//! on one line (so that its grid row may have a fixed height).

/// Whether `text` surely sets on one line `ems` em wide in the forms' body faces: at most
/// `ems` characters (no glyph of Noto Serif/Sans SC is wider than 1 em), none of them a line
/// break or a control character, and none outside the Basic Multilingual Plane or in the
/// private-use area (those are drawn from HanaMinB or an added face, whose taller metrics
/// would make an auto-height row higher). A template gives such a row a fixed height, which
/// typst lays out once instead of measuring it first: the row looks the same.
pub fn fits_line(text: &str, ems: usize) -> bool {
    let mut count = 0;
    for c in text.chars() {
        count += 1;
        if count > ems
            || c.is_control()
            || u32::from(c) > 0xFFFF
            || ('\u{E000}'..='\u{F8FF}').contains(&c)
        {
            return false;
        }
    }
    true
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

//! Belt and braces for missing characters: typst draws an empty box (glyph 0, `.notdef`) for a
//! character no font has and warns about nothing, so walk the laid-out pages and collect the
//! characters that ended up as glyph 0 — and the private-use characters (造字) that an
//! embedded face drew with a glyph of its own, which is just as wrong.

use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;

use super::coverage::is_private_use;
use super::fonts::FontSet;

/// What the walk found.
#[derive(Debug, Default)]
pub struct MissingGlyphs {
    /// The characters, each once, in order of first appearance.
    pub chars: Vec<char>,
    /// Whether some glyph is `.notdef` (PDF/A forbids that).
    pub notdef: bool,
}

/// The characters of `document` drawn as glyph 0, or private-use characters no user face
/// covers. Whitespace and control characters are ignored.
pub fn missing_glyphs(document: &PagedDocument, fonts: &FontSet) -> MissingGlyphs {
    let mut found = MissingGlyphs::default();
    for page in document.pages() {
        walk(&page.frame, fonts, &mut found);
    }
    found
}

/// Collects the missing characters of `frame` and its sub-frames into `found`.
fn walk(frame: &Frame, fonts: &FontSet, found: &mut MissingGlyphs) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => walk(&group.frame, fonts, found),
            FrameItem::Text(text) => {
                for glyph in &text.glyphs {
                    let Some(chars) = text.text.get(glyph.range()) else {
                        continue;
                    };
                    let notdef = glyph.id == 0;
                    found.notdef |= notdef;
                    for c in chars.chars() {
                        let missing = if notdef {
                            !c.is_whitespace() && !c.is_control()
                        } else {
                            is_private_use(c) && !fonts.covers(c)
                        };
                        if missing && !found.chars.contains(&c) {
                            found.chars.push(c);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

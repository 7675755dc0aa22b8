//! The union of the loaded faces' Unicode coverage as a bit set over all code points, so a
//! "does any font have this character?" question costs one bit test instead of a walk over
//! every face's run-length coverage list (which is what typst's own `Coverage` does).

use typst::text::Font;

/// Number of Unicode code points (U+0000..=U+10FFFF).
const CODE_POINTS: usize = 0x11_0000;

/// A set of code points (136 KiB, built once per run).
pub struct Coverage {
    /// One bit per code point.
    bits: Vec<u64>,
}

impl Coverage {
    /// The code points covered by at least one of `fonts`, except private-use code points of
    /// the first `trusted_pua_from` faces (the embedded ones): their private-use glyphs are
    /// whatever their makers put there, never a university's 造字. Private-use code points
    /// count only when a user-supplied face (the institution's 造字 font) has them.
    pub fn of_fonts(fonts: &[Font], trusted_pua_from: usize) -> Self {
        let mut bits = vec![0u64; CODE_POINTS / 64];
        for (index, font) in fonts.iter().enumerate() {
            for cp in font.info().coverage.iter() {
                if index < trusted_pua_from && char::from_u32(cp).is_some_and(is_private_use) {
                    continue;
                }
                let cp = cp as usize;
                if let Some(word) = bits.get_mut(cp / 64) {
                    *word |= 1 << (cp % 64);
                }
            }
        }
        Self { bits }
    }

    /// Whether `c` is in the set.
    pub fn contains(&self, c: char) -> bool {
        let cp = c as usize;
        self.bits
            .get(cp / 64)
            .is_some_and(|word| word & (1 << (cp % 64)) != 0)
    }
}

/// Whether `c` is in a private-use area (U+E000–U+F8FF and planes 15–16), where 造字 live.
pub fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
}

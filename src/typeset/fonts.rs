//! Fonts: the faces embedded in the binary plus the user's optional font directories, loaded
//! once per run into typst [`Font`]s, a [`FontBook`] and a coverage set.
//!
//! System fonts are never scanned: the same input must give the same bytes on every machine,
//! whatever happens to be installed there.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

use super::coverage::Coverage;
use super::error::SetupError;

/// 宋体-style serif for body text (regular and bold faces embedded).
pub const FAMILY_SERIF: &str = "Noto Serif SC";
/// 黑体-style sans serif for headings.
pub const FAMILY_SANS: &str = "Noto Sans SC";
/// 楷体-style face, customary on certificates.
pub const FAMILY_KAI: &str = "LXGW WenKai";
/// Fallback for rare names in CJK Extension B and beyond (e.g. 𠈌); list it last in a font
/// stack so ordinary characters keep the main face.
pub const FAMILY_RARE: &str = "HanaMinB";

/// Every embedded family, in the order templates usually list them.
pub const EMBEDDED_FAMILIES: [&str; 4] = [FAMILY_SERIF, FAMILY_SANS, FAMILY_KAI, FAMILY_RARE];

/// One font file compiled into the binary.
struct Embedded {
    /// The file name under `assets/fonts`, for messages and tests.
    name: &'static str,
    /// The file's bytes.
    data: &'static [u8],
}

macro_rules! embed {
    ($name:literal) => {
        Embedded {
            name: $name,
            data: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/", $name)),
        }
    };
}

/// The embedded font files. Their order is the order of the font book (it only matters for
/// ties in typst's fallback choice, which the fixed order keeps deterministic).
const EMBEDDED: [Embedded; 5] = [
    embed!("NotoSerifSC-Regular.ttf"),
    embed!("NotoSerifSC-Bold.ttf"),
    embed!("NotoSansSC-Regular.ttf"),
    embed!("LXGWWenKai-Regular.ttf"),
    embed!("HanaMinB.ttf"),
];

/// The embedded faces, parsed once per process (parsing reads every cmap) and
/// shared by every [`FontSet`] built afterwards.
static EMBEDDED_FONTS: LazyLock<Vec<Font>> = LazyLock::new(|| {
    EMBEDDED
        .iter()
        .flat_map(|file| Font::iter(Bytes::new(file.data)))
        .collect()
});

/// The fonts of one run: embedded faces first, then the faces found in the user's font
/// directories (sorted by path, so the order never depends on the file system).
pub struct FontSet {
    /// Every face; its index is the index typst asks [`typst::World::font`] for.
    fonts: Vec<Font>,
    /// Metadata of every face, in the same order.
    book: LazyHash<FontBook>,
    /// The union of every face's Unicode coverage, for [`FontSet::missing_chars`].
    coverage: Coverage,
    /// Files in the user's directories that looked like fonts but held no usable face.
    skipped: Vec<PathBuf>,
}

impl FontSet {
    /// Loads the embedded fonts plus every `.ttf`/`.otf`/`.ttc`/`.otc` file found (recursively)
    /// in `extra_dirs`. A directory that cannot be read is an error; a file that is not a
    /// usable font is skipped and listed in [`FontSet::skipped`].
    pub fn load(extra_dirs: &[PathBuf]) -> Result<Self, SetupError> {
        let mut fonts: Vec<Font> = EMBEDDED_FONTS.clone();
        let embedded = fonts.len();
        let mut skipped = Vec::new();
        for dir in extra_dirs {
            let mut files = Vec::new();
            collect_font_files(dir, &mut files)?;
            files.sort();
            for path in files {
                let data = std::fs::read(&path).map_err(|source| SetupError::FontFile {
                    path: path.clone(),
                    source,
                })?;
                let before = fonts.len();
                fonts.extend(Font::iter(Bytes::new(data)));
                if fonts.len() == before {
                    skipped.push(path);
                }
            }
        }
        let book = FontBook::from_fonts(&fonts);
        let coverage = Coverage::of_fonts(&fonts, embedded);
        Ok(Self {
            fonts,
            book: LazyHash::new(book),
            coverage,
            skipped,
        })
    }

    /// The font book typst selects faces from.
    pub fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    /// The face with the given font-book index (cheap: a reference-counted handle).
    pub fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    /// How many faces are loaded (embedded and user).
    pub fn len(&self) -> usize {
        self.fonts.len()
    }

    /// Whether no face is loaded (never the case: the embedded faces are always there).
    pub fn is_empty(&self) -> bool {
        self.fonts.is_empty()
    }

    /// The family names a template may use in `text(font: ..)`, as the fonts spell them,
    /// sorted and without duplicates (embedded and user families alike).
    pub fn families(&self) -> Vec<String> {
        self.book
            .families()
            .map(|(family, _)| family.to_string())
            .collect()
    }

    /// Whether a family of that name is loaded (case-insensitive, as typst matches it).
    pub fn has_family(&self, family: &str) -> bool {
        self.book.contains_family(&family.to_lowercase())
    }

    /// The characters of `text` that no loaded face covers, each once, in order of first
    /// appearance. Whitespace, control characters and default-ignorable code points (joiners,
    /// variation selectors) need no glyph and are never reported. Private-use characters
    /// (造字, U+E000–U+F8FF, planes 15–16) are reported unless a user-supplied face has them:
    /// a few embedded faces have private-use glyphs (U+E003, U+E500–E507, U+F061 …), but those
    /// are their makers' symbols, not the university's 造字.
    ///
    /// One bit test per character: cheap enough to run on every data value.
    pub fn missing_chars(&self, text: &str) -> Vec<char> {
        let mut missing: Vec<char> = Vec::new();
        for c in text.chars() {
            // The bit test first: nearly every character is covered, and the default-ignorable
            // test behind `needs_glyph` is a search in a Unicode table.
            if self.coverage.contains(c) || !needs_glyph(c) || missing.contains(&c) {
                continue;
            }
            missing.push(c);
        }
        missing
    }

    /// Whether some loaded face has a glyph for `c` (private-use: only user faces count).
    pub fn covers(&self, c: char) -> bool {
        self.coverage.contains(c) || !needs_glyph(c)
    }

    /// Files in the user's font directories that held no usable face (they were ignored).
    pub fn skipped(&self) -> &[PathBuf] {
        &self.skipped
    }
}

/// Whether `c` is drawn with a glyph (and so must be covered by some face).
fn needs_glyph(c: char) -> bool {
    !(c.is_whitespace() || c.is_control() || typst::text::is_default_ignorable(c))
}

/// Whether the file name has a font extension typst can read.
fn is_font_file(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            matches!(
                ext.to_ascii_lowercase().as_str(),
                "ttf" | "otf" | "ttc" | "otc"
            )
        })
}

/// Collects the font files under `dir`, recursively (symbolic links to directories are not
/// followed, so a link cycle cannot loop).
fn collect_font_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), SetupError> {
    let entries = std::fs::read_dir(dir).map_err(|source| SetupError::FontDir {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| SetupError::FontDir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect_font_files(&path, out)?;
        } else if is_font_file(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// The embedded font files' names and sizes, for diagnostics (`--version`-style listings).
pub fn embedded_files() -> impl Iterator<Item = (&'static str, usize)> {
    EMBEDDED.iter().map(|file| (file.name, file.data.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> FontSet {
        FontSet::load(&[]).expect("embedded fonts load")
    }

    #[test]
    fn every_embedded_file_has_a_face() {
        for file in &EMBEDDED {
            assert!(
                Font::iter(Bytes::new(file.data)).next().is_some(),
                "{} has no face",
                file.name
            );
        }
    }

    #[test]
    fn family_constants_match_the_fonts() {
        let fonts = set();
        for family in EMBEDDED_FAMILIES {
            assert!(
                fonts.has_family(family),
                "{family} not in {:?}",
                fonts.families()
            );
        }
        assert_eq!(fonts.families().len(), EMBEDDED_FAMILIES.len());
    }

    #[test]
    fn coverage_of_common_and_rare_chars() {
        let fonts = set();
        assert_eq!(fonts.missing_chars("汉A 1，。·\t\n"), Vec::<char>::new());
        // 𠈌 (U+2020C, Extension B) is only in HanaMinB.
        assert!(fonts.covers('\u{2020C}'));
        assert_eq!(fonts.missing_chars("张\u{2020C}"), Vec::<char>::new());
        // Private use (造字) is never covered, and reported once.
        assert_eq!(
            fonts.missing_chars("李\u{E000}明\u{E000}\u{F8FF}"),
            vec!['\u{E000}', '\u{F8FF}']
        );
        // Joiners and variation selectors need no glyph.
        assert!(fonts.missing_chars("葛\u{E0100}\u{200D}").is_empty());
    }

    #[test]
    fn a_missing_font_dir_is_an_error() {
        let err = FontSet::load(&[PathBuf::from("/nonexistent/dangjian-fonts")]);
        assert!(matches!(err, Err(SetupError::FontDir { .. })));
    }

    #[test]
    fn user_dirs_skip_non_fonts() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("broken.ttf"), b"not a font").expect("write");
        std::fs::write(dir.path().join("readme.txt"), b"hello").expect("write");
        let fonts = FontSet::load(&[dir.path().to_path_buf()]).expect("load");
        assert_eq!(fonts.skipped().len(), 1);
        assert_eq!(fonts.len(), set().len());
    }
}

//! Joining several documents' typst sources into one document, typeset in one compile (a
//! student's filing packet, a print volume), never by merging PDF bytes: the result is one
//! PDF/A file like any single document.
//!
//! Each document is put in its own content block, so its set and show rules end with it,
//! after a page break, between a `#metadata(i) <dj-doc>` and a `#metadata(i) <dj-doc-end>`
//! marker (`i` its 0-based place), with its page counter reset at its start. The shared
//! `form.typ` reads the markers to number a form's pages on its own (第2页 共3页) and to find
//! the parts of its split boxes; a cover and 目录 before the documents read them to count
//! each document's pages — all in the one compile.

use std::fmt::Write as _;

/// How documents are joined.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JoinOptions {
    /// Each document starts on an odd page: a blank page pads a document of an odd page
    /// count (for double-sided printing), the last one included.
    pub duplex: bool,
    /// Number the pages of the documents continuously at the bottom right (the archive page
    /// numbers of a filing packet), from the first document's first page on; the front
    /// matter (cover, 目录) is not numbered.
    pub archive_numbers: bool,
}

/// The label of a joined document's start marker.
pub const DOC_START: &str = "dj-doc";
/// The label of a joined document's end marker.
pub const DOC_END: &str = "dj-doc-end";

/// The continuous page number at the bottom right of every page from the first document on,
/// in the page foreground so that pages without a footer (a form's own cover) have it too.
const ARCHIVE_NUMBERS: &str = r#"#set page(foreground: context {
  let first = query(<dj-doc>)
  if first.len() > 0 and here().page() >= first.first().location().page() {
    let n = here().page() - first.first().location().page() + 1
    place(bottom + right, dx: -1cm, dy: -0.45cm,
      text(font: ("Noto Serif SC", "HanaMinB"), size: 10.5pt, str(n)))
  }
})
"#;

/// One typst source: `front` (a cover and 目录, if any) and then every one of `parts`, each
/// starting on a new page (an odd one with [`JoinOptions::duplex`]). `title`, a typst string
/// literal (quoted and escaped), is the PDF's title: set last, it overrides the parts' own.
pub fn join_sources(
    title: &str,
    front: Option<&str>,
    parts: &[String],
    options: JoinOptions,
) -> String {
    let size = front.map_or(0, str::len) + parts.iter().map(|p| p.len() + 120).sum::<usize>();
    let mut out = String::with_capacity(size + ARCHIVE_NUMBERS.len() + 64);
    if options.archive_numbers {
        out.push_str(ARCHIVE_NUMBERS);
    }
    let break_to = if options.duplex {
        "#pagebreak(weak: true, to: \"odd\")\n"
    } else {
        "#pagebreak(weak: true)\n"
    };
    if let Some(front) = front {
        out.push_str("#[\n");
        out.push_str(front);
        out.push_str("\n]\n");
    }
    for (i, part) in parts.iter().enumerate() {
        out.push_str(break_to);
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            "#[\n#metadata({i}) <{DOC_START}>\n#counter(page).update(1)\n{part}\n#metadata({i}) <{DOC_END}>\n]\n"
        );
    }
    if options.duplex && !parts.is_empty() {
        // Pad the last document too: a blank page after an odd page count.
        out.push_str("#pagebreak(weak: true, to: \"odd\")\n");
    }
    let _ = writeln!(out, "#set document(title: {title})");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_is_scoped_marked_and_on_a_new_page() {
        let joined = join_sources(
            "\"档案\"",
            Some("封面"),
            &["#set text(red)\nA".into(), "B".into()],
            JoinOptions::default(),
        );
        assert!(joined.starts_with("#[\n封面\n]\n"), "{joined}");
        assert_eq!(joined.matches("#pagebreak(weak: true)").count(), 2);
        assert!(joined.contains(
            "#metadata(1) <dj-doc>\n#counter(page).update(1)\nB\n#metadata(1) <dj-doc-end>\n]"
        ));
        assert!(!joined.contains("foreground"));
        assert!(
            joined.ends_with("#set document(title: \"档案\")\n"),
            "{joined}"
        );
    }

    #[test]
    fn duplex_starts_parts_on_odd_pages_and_pads_the_last() {
        let joined = join_sources(
            "\"卷\"",
            None,
            &["A".into()],
            JoinOptions {
                duplex: true,
                archive_numbers: true,
            },
        );
        assert!(joined.contains("to: \"odd\""));
        assert_eq!(joined.matches("to: \"odd\"").count(), 2);
        assert!(joined.contains("foreground"));
    }
}

//! Escaping data for typst, so that a value such as `#read("/etc/passwd")`, `]` or `$x$`
//! prints literally instead of being run as typst code.

/// Escapes text for typst *markup* (inside `[...]` or at the top level): every ASCII
/// punctuation character gets a backslash (typst treats `\` + any non-space character as that
/// character), and line breaks become typst line breaks so multi-line cells keep their lines.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\\n");
            }
            '\n' => out.push_str("\\\n"),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            // Other control characters have no place in a printed form.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Writes text as a typst *string literal* (with quotes), for use in code such as
/// `#let name = {{ name | str }}`.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_specials_are_escaped() {
        assert_eq!(
            escape_markup("#read(\"/etc/passwd\")"),
            "\\#read\\(\\\"\\/etc\\/passwd\\\"\\)"
        );
        assert_eq!(
            escape_markup("$x$ * _a_ @b <c> ]"),
            "\\$x\\$ \\* \\_a\\_ \\@b \\<c\\> \\]"
        );
        assert_eq!(escape_markup("张三"), "张三");
        assert_eq!(escape_markup("a\nb"), "a\\\nb");
        assert_eq!(escape_markup("a\r\nb"), "a\\\nb");
        assert_eq!(escape_markup("C:\\x"), "C\\:\\\\x");
    }

    #[test]
    fn string_literals_escape_quotes_and_backslashes() {
        assert_eq!(string_literal("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }
}

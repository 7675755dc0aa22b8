//! The class number (期次) of a course, read from its name: it numbers certificates.

/// The class number (期次) in a course name: 12 from `第12期入党积极分子培训班` or
/// `2025年第十二期…`; `None` when the name holds none.
pub fn session_number(course: &str) -> Option<u32> {
    let start = course.find('第')? + '第'.len_utf8();
    let tail = &course[start..];
    let end = tail.find('期')?;
    let digits = tail[..end].trim();
    digits
        .parse::<u32>()
        .ok()
        .or_else(|| chinese_numeral(digits))
}

/// Parses a small Chinese numeral (一 … 九十九, 一百 …) as used in class numbers.
fn chinese_numeral(text: &str) -> Option<u32> {
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c);
    let mut total = 0u32;
    let mut current = 0u32;
    let mut seen = false;
    for c in text.chars() {
        seen = true;
        if let Some(d) = digit(c) {
            current = d as u32;
        } else {
            let unit = match c {
                '十' => 10,
                '百' => 100,
                _ => return None,
            };
            total += current.max(1) * unit;
            current = 0;
        }
    }
    seen.then_some(total + current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_numbers_in_arabic_and_chinese() {
        assert_eq!(session_number("第12期入党积极分子培训班"), Some(12));
        assert_eq!(session_number("2025年第十二期发展对象培训班"), Some(12));
        assert_eq!(session_number("第五期发展对象培训班"), Some(5));
        assert_eq!(session_number("第二十期"), Some(20));
        assert_eq!(session_number("入党积极分子培训班"), None);
    }
}

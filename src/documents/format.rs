//! How dates, numbers, names and long texts are printed on the forms — in one place, so that
//! every form writes a date the same way in the same kind of cell.

use crate::model::student::Student;
use crate::model::value::PartialDate;
use std::sync::Arc;

pub use crate::model::value::number_text;

/// A date in the body of a form or on a certificate: `2025年3月8日`, or `2025年3月` when only
/// the month is known.
pub fn date_cn(d: PartialDate) -> String {
    match d.day() {
        Some(day) => format!("{}年{}月{}日", d.year(), d.month(), day),
        None => format!("{}年{}月", d.year(), d.month()),
    }
}

/// A 出生年月 in the body of a form: `2003年5月` (the day is not printed).
pub fn month_cn(d: PartialDate) -> String {
    format!("{}年{}月", d.year(), d.month())
}

/// A date in a grid cell: `2021年03月08日`, or `2021年03月` when only the month is known.
pub fn full_date(d: PartialDate) -> String {
    d.to_string()
}

/// A 出生年月: `2003年05月` (the day is not printed).
pub fn year_month(d: PartialDate) -> String {
    format!("{}年{:02}月", d.year(), d.month())
}

/// A date in a narrow table column: `2025.03.08`, or `2025.03` when only the month is known.
pub fn dotted(d: PartialDate) -> String {
    match d.day() {
        Some(day) => format!("{}.{:02}.{:02}", d.year(), d.month(), day),
        None => dotted_month(d),
    }
}

/// A year and month in a table column: `1975.03`.
pub fn dotted_month(d: PartialDate) -> String {
    format!("{}.{:02}", d.year(), d.month())
}

/// A date as in a file name: `2025-03-01`, or `2025-03` for a month-only date.
pub fn iso_date(d: PartialDate) -> String {
    match d.day() {
        Some(day) => format!("{:04}-{:02}-{day:02}", d.year(), d.month()),
        None => format!("{:04}-{:02}", d.year(), d.month()),
    }
}

/// A date in Chinese numerals, as under a seal: `二〇二五年四月二十六日`.
pub fn date_cn_numerals(d: PartialDate) -> String {
    let digits: String = d
        .year()
        .to_string()
        .chars()
        .map(|c| small_numeral(c.to_digit(10).unwrap_or(0)))
        .collect();
    let mut out = format!("{digits}年{}月", numeral_1_to_31(d.month()));
    if let Some(day) = d.day() {
        out.push_str(&format!("{}日", numeral_1_to_31(day)));
    }
    out
}

/// 0 → 〇, 1 → 一 … 9 → 九.
fn small_numeral(n: u32) -> char {
    ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'][n.min(9) as usize]
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 31 → 三十一.
fn numeral_1_to_31(n: u32) -> String {
    let (tens, ones) = (n / 10, n % 10);
    let mut out = String::new();
    if tens > 1 {
        out.push(small_numeral(tens));
    }
    if tens > 0 {
        out.push('十');
    }
    if ones > 0 || tens == 0 {
        out.push(small_numeral(ones));
    }
    out
}

/// 所在党支部 as printed: `文学院学生第1党支部` — the college's name before the branch unless
/// the branch already names it (see [`Student::branch_full`]).
pub fn branch_full(s: &Student) -> String {
    s.branch_full()
}

/// A long text cut into paragraphs at its line breaks: lines trimmed (also of the
/// full-width spaces people type to indent), blank lines dropped.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

pub use crate::render::text::{SplitText, line_count, split_tail};

/// About how many lines a text takes in a box `line` Chinese characters wide (see
/// [`line_count`]).
pub fn estimated_lines(text: &str, line: usize) -> usize {
    line_count(&paragraphs(text), line)
}

/// An optional text as a record holds it: its own (`Option<String>`) or a copy shared with
/// other rows (`Option<Arc<str>>`, see [`crate::model::intern::Interner`]).
pub trait OptionalText {
    /// The text, if any.
    fn text(&self) -> Option<&str>;
}

impl OptionalText for Option<String> {
    fn text(&self) -> Option<&str> {
        self.as_deref()
    }
}

impl OptionalText for Option<Arc<str>> {
    fn text(&self) -> Option<&str> {
        self.as_deref()
    }
}

/// An optional text as printed: empty when missing.
pub fn opt(value: &dyn OptionalText) -> &str {
    value.text().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u32, day: Option<u32>) -> PartialDate {
        PartialDate::new(year, month, day).unwrap()
    }

    #[test]
    fn dates_as_printed() {
        assert_eq!(date_cn(d(2025, 3, Some(8))), "2025年3月8日");
        assert_eq!(date_cn(d(2025, 3, None)), "2025年3月");
        assert_eq!(full_date(d(2021, 3, Some(8))), "2021年03月08日");
        assert_eq!(year_month(d(2003, 5, Some(12))), "2003年05月");
        assert_eq!(dotted(d(2025, 3, Some(8))), "2025.03.08");
        assert_eq!(dotted(d(1975, 3, None)), "1975.03");
        assert_eq!(iso_date(d(2025, 3, Some(1))), "2025-03-01");
        assert_eq!(iso_date(d(2025, 11, None)), "2025-11");
    }

    #[test]
    fn dates_in_chinese_numerals() {
        assert_eq!(
            date_cn_numerals(d(2025, 4, Some(26))),
            "二〇二五年四月二十六日"
        );
        assert_eq!(date_cn_numerals(d(2030, 10, Some(1))), "二〇三〇年十月一日");
        assert_eq!(
            date_cn_numerals(d(2025, 12, Some(31))),
            "二〇二五年十二月三十一日"
        );
        assert_eq!(date_cn_numerals(d(2025, 11, None)), "二〇二五年十一月");
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_short_text_is_all_tail() {
        let p = strings(&["甲乙。", "丙丁。"]);
        let s = split_tail(&p, 100, 10);
        assert_eq!((s.head.len(), s.tail, s.continued), (0, p, false));
        assert_eq!(split_tail(&[], 100, 10), SplitText::default());
    }

    #[test]
    fn the_tail_is_the_last_paragraph_or_its_last_sentences() {
        let p = strings(&["一二三四五六七八九十。", "短的结尾。"]);
        let s = split_tail(&p, 5, 10);
        assert_eq!(s.head, strings(&["一二三四五六七八九十。"]));
        assert_eq!(s.tail, strings(&["短的结尾。"]));
        assert!(!s.continued);
        let p = strings(&["第一句话很长很长。第二句。「第三句。」末句。"]);
        let s = split_tail(&p, 5, 10);
        assert_eq!(s.head, strings(&["第一句话很长很长。第二句。"]));
        assert_eq!(s.tail, strings(&["「第三句。」末句。"]));
        assert!(s.continued);
        // No sentence end near the end: the last `max` characters.
        let p = strings(&["一二三四五六七八九十一二三四五"]);
        let s = split_tail(&p, 5, 4);
        assert_eq!(s.tail, strings(&["二三四五"]));
        assert_eq!(s.head, strings(&["一二三四五六七八九十一"]));
    }

    #[test]
    fn lines_are_estimated_per_paragraph() {
        assert_eq!(estimated_lines("", 37), 0);
        assert_eq!(estimated_lines("政审合格。", 37), 1);
        assert_eq!(estimated_lines(&"合".repeat(35), 37), 1);
        assert_eq!(estimated_lines(&"合".repeat(36), 37), 2);
        assert_eq!(estimated_lines("甲\n乙\n\n丙", 37), 3);
        assert_eq!(estimated_lines(&"x".repeat(70), 37), 1);
    }

    #[test]
    fn paragraphs_follow_the_line_breaks() {
        assert_eq!(
            paragraphs("　　第一段。\r\n\n 第二段。\n"),
            vec!["第一段。".to_string(), "第二段。".to_string()]
        );
        assert!(paragraphs("").is_empty());
    }
}

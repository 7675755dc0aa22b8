//! Helpers shared by the document context builders: dates as printed on Chinese forms, and
//! the list of data fields a document prints (for the glyph-coverage check).

use crate::model::value::PartialDate;

/// A date as written in the body of a form: `2025年3月8日`, or `2025年3月` for month precision.
pub fn date_cn(d: PartialDate) -> String {
    match d.day() {
        Some(day) => format!("{}年{}月{}日", d.year(), d.month(), day),
        None => format!("{}年{}月", d.year(), d.month()),
    }
}

/// A date in Chinese numerals, as under a seal: `二〇二五年四月二十六日`.
pub fn date_cn_numerals(d: PartialDate) -> String {
    let digits: String = d
        .year()
        .to_string()
        .chars()
        .map(|c| match c {
            '0' => '〇',
            c => small_numeral(c.to_digit(10).unwrap_or(0)),
        })
        .collect();
    let mut out = format!("{digits}年{}月", numeral_1_to_31(d.month()));
    if let Some(day) = d.day() {
        out.push_str(&format!("{}日", numeral_1_to_31(day)));
    }
    out
}

/// 1 → 一 … 9 → 九 (0 → 〇).
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

/// The data fields a document prints, as (Chinese field name, value), checked against the
/// fonts before typesetting so that no character silently prints as an empty box.
pub type PrintedFields<'a> = Vec<(&'static str, &'a str)>;

/// Adds to `printed` those of the optional `fields` that have a value, in order.
pub fn push_present<'a, const N: usize>(
    printed: &mut PrintedFields<'a>,
    fields: [(&'static str, &'a Option<String>); N],
) {
    printed.extend(
        fields
            .into_iter()
            .filter_map(|(field, value)| Some((field, value.as_deref()?))),
    );
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
}

//! Parsing one cell value into a typed value (dates, IDs, names, scores …).
//!
//! Every parser is a pure function of one [`Cell`] with the same shape, [`Parsed<T>`]:
//! - `Ok(None)` for an empty cell — whether the column is required is the caller's business;
//! - `Ok(Some(value))` for a usable value;
//! - `Err(message)` otherwise: a Chinese sentence saying what is wrong and what is expected.
//!   The caller wraps it in a [`crate::problem::Problem`] naming the cell, the column and the
//!   value ([`cell_text`] gives the value as the user sees it).
//!
//! Excel error cells (`#N/A`, `#REF!` …) are an error in every parser, with the same message.
//! Text is compared after converting full-width characters to ASCII and removing blanks, so
//! `２００３年５月`, ` 男 `, `24 学时` are all understood.

use crate::read::Cell;
use crate::read::cell::format_number;
use crate::read::normalize::{half_width_char, is_blank_char, trim_blank};
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// The result of parsing one cell: `Ok(None)` when empty, `Err` with a Chinese message.
pub type Parsed<T> = Result<Option<T>, String>;

/// The cell as a user sees it in Excel, for messages and the manifest: numbers without `.0` or
/// exponent (`1.2e10` → `12000000000`), date cells as `2003-05-12`, errors as `#N/A`.
pub fn cell_text(cell: &Cell) -> String {
    cell.to_string()
}

/// The message for an Excel error cell, shared by all parsers.
pub fn error_cell_message(code: &str) -> String {
    if code == Cell::UNCALCULATED {
        return "单元格是公式，但文件中没有它的计算结果（文件由程序生成，未在 Excel/WPS 中计算过）；请用 Excel/WPS 打开并保存一次，或改为实际内容".to_string();
    }
    format!("单元格是 Excel 错误值 {code}（通常是公式出错），请改为实际内容")
}

/// `Err` for an Excel error cell, `Ok` otherwise.
fn reject_error(cell: &Cell) -> Result<(), String> {
    match cell {
        Cell::Error(code) => Err(error_cell_message(code)),
        _ => Ok(()),
    }
}

/// Text with full-width characters made ASCII and every blank removed: the form in which
/// short values (dates, IDs, 男/女 …) are recognised.
fn compact(text: &str) -> String {
    text.chars()
        .map(half_width_char)
        .filter(|c| !is_blank_char(*c))
        .collect()
}

/// A whole number held in a float, if it is one and fits an `i64` exactly.
fn as_whole(x: f64) -> Option<i64> {
    (x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15).then_some(x as i64)
}

// ---------------------------------------------------------------------------------------------
// Plain text

/// Trimmed text; numbers and dates as the user sees them ([`cell_text`]); Windows line breaks
/// become `\n` (long texts such as 谈话内容 keep their line breaks).
pub fn parse_text(cell: &Cell) -> Parsed<String> {
    reject_error(cell)?;
    let text = match cell {
        Cell::Empty => return Ok(None),
        Cell::Text(t) => trim_blank(t).replace("\r\n", "\n").replace('\r', "\n"),
        other => cell_text(other),
    };
    Ok((!text.is_empty()).then_some(text))
}

// ---------------------------------------------------------------------------------------------
// Dates

/// Earliest and latest year accepted in a date: anything outside is a typing error.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Excel serial numbers read as dates when a number lands in a date column: 1920-01-01 to
/// 2100-12-31. Smaller numbers are more likely typing errors than dates of the 1900s.
const SERIALS: std::ops::RangeInclusive<i64> = 7_306..=73_415;

/// The accepted date forms, for error messages.
const DATE_FORMS: &str = "应写作 2003-05-12、2003/5/12、2003.05.12、2003年5月12日 或 20030512；只有年月时写 2003-05、2003.5、2003年5月 或 200305";

/// A date that may be known only to the month (出生年月 is often just 2003年05月).
///
/// Ordered chronologically; a month-only date sorts before every full date of that month.
/// Always a real calendar date: only [`PartialDate::new`] and the parsers create one.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct PartialDate {
    year: i32,
    month: u32,
    day: Option<u32>,
}

impl PartialDate {
    /// A date from its parts, `None` unless it exists in the calendar (2003-02-30 does not).
    pub fn new(year: i32, month: u32, day: Option<u32>) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, day.unwrap_or(1))?;
        Some(PartialDate { year, month, day })
    }

    /// A full date.
    pub fn from_date(date: NaiveDate) -> Self {
        PartialDate {
            year: date.year(),
            month: date.month(),
            day: Some(date.day()),
        }
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The day of the month, or `None` for a month-only date.
    pub fn day(self) -> Option<u32> {
        self.day
    }

    /// True when only the year and month are known.
    pub fn is_month_only(self) -> bool {
        self.day.is_none()
    }

    /// The date itself, or the first day of its month for a month-only date.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, self.day.unwrap_or(1)).unwrap_or_default()
    }

    /// The date itself, or the last day of its month for a month-only date (for rules that
    /// must hold whatever the unknown day is).
    pub fn last_day(self) -> NaiveDate {
        if self.day.is_some() {
            return self.first_day();
        }
        let (y, m) = if self.month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        };
        NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or_default()
    }
}

/// `2003年05月12日`, or `2003年05月` for a month-only date.
/// A number as people write and print it: 16, 24.5.
pub fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(d) => write!(f, "{}年{:02}月{:02}日", self.year, self.month, d),
            None => write!(f, "{}年{:02}月", self.year, self.month),
        }
    }
}

/// A date: an Excel date cell, an Excel serial number (e.g. 37753), a number typed as
/// `20030512` / `200305` / `2003.05`, or text in the forms of `DATE_FORMS` (full-width
/// digits allowed, a trailing time such as ` 00:00:00` ignored). Month-only stays month-only.
pub fn parse_date(cell: &Cell) -> Parsed<PartialDate> {
    reject_error(cell)?;
    match cell {
        Cell::Empty => Ok(None),
        Cell::DateTime(dt) => {
            let date = dt.date();
            if YEARS.contains(&date.year()) {
                Ok(Some(PartialDate::from_date(date)))
            } else {
                Err(format!("日期 {date} 的年份不合理（应在 1900–2100 之间）"))
            }
        }
        Cell::Int(i) => date_from_number(*i as f64).map(Some),
        Cell::Float(x) => date_from_number(*x).map(Some),
        Cell::Bool(_) => Err(format!("不是日期（单元格是 TRUE/FALSE），{DATE_FORMS}")),
        Cell::Text(t) => parse_date_text(t).map(Some),
        Cell::Error(_) => Ok(None),
    }
}

/// A number in a date column: `20030512`, `200305`, an Excel serial, or `2003.05`.
fn date_from_number(x: f64) -> Result<PartialDate, String> {
    let shown = format_number(x);
    if let Some(n) = as_whole(x) {
        if (19_000_101..=21_001_231).contains(&n) {
            return parse_date_text(&shown);
        }
        if (190_001..=210_012).contains(&n) {
            return parse_date_text(&shown);
        }
        if (1900..=2100).contains(&n) {
            return Err(format!("只有年份 {n}，缺少月份；{DATE_FORMS}"));
        }
        if SERIALS.contains(&n) {
            return Ok(date_from_serial(n));
        }
        return Err(format!("数字 {shown} 不是日期；{DATE_FORMS}"));
    }
    if !x.is_finite() || x < 0.0 {
        return Err(format!("数字 {shown} 不是日期；{DATE_FORMS}"));
    }
    // 2003.05 typed into a General cell: a year and a month.
    if (1900.0..2101.0).contains(&x) {
        if let Some((year, frac)) = shown.split_once('.')
            && frac.len() == 1
            && frac == "1"
        {
            return Err(format!(
                "数字 {shown} 无法确定是 {year}年1月 还是 {year}年10月（Excel 会把 {year}.10 存成 {year}.1）；请写成 {year}年10月 或 {year}-10，或把单元格设为文本后重新输入"
            ));
        }
        return parse_date_text(&shown);
    }
    // A serial with a time of day.
    let day = x.floor() as i64;
    if SERIALS.contains(&day) {
        return Ok(date_from_serial(day));
    }
    Err(format!("数字 {shown} 不是日期；{DATE_FORMS}"))
}

/// An Excel (1900 system) serial day number within [`SERIALS`] → its date.
fn date_from_serial(serial: i64) -> PartialDate {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    let date = epoch
        .checked_add_days(chrono::Days::new(serial.unsigned_abs()))
        .unwrap_or(epoch);
    PartialDate::from_date(date)
}

/// A date written as text.
fn parse_date_text(text: &str) -> Result<PartialDate, String> {
    let half: String = text.chars().map(half_width_char).collect();
    let half = trim_blank(&half).trim_start_matches('\'');
    // Drop a trailing time: `2003-05-12 00:00:00`, `2003-05-12T08:30`.
    let date_part = match half.split_once([' ', 'T']) {
        Some((d, t))
            if !t.is_empty()
                && t.trim()
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ':' || c == '.') =>
        {
            d
        }
        _ => half,
    };
    let s = compact(date_part);
    let unknown = || format!("无法识别为日期；{DATE_FORMS}");
    if s.is_empty() {
        return Err(unknown());
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
        return match s.len() {
            8 => date_parts(num(0..4), num(4..6), num(6..8).map(Some)),
            6 => date_parts(num(0..4), num(4..6), Some(None)),
            4 => Err(format!("只有年份 {s}，缺少月份；{DATE_FORMS}")),
            _ => Err(unknown()),
        };
    }

    // year SEP month [SEP day [日|号]] [月]
    let mut rest = s.as_str();
    let year = take_digits(&mut rest, 4, 4).ok_or_else(unknown)?;
    let sep1 = take_char(&mut rest).ok_or_else(unknown)?;
    if !matches!(sep1, '-' | '/' | '.' | '年') {
        return Err(unknown());
    }
    let month = take_digits(&mut rest, 1, 2).ok_or_else(unknown)?;
    let chinese = sep1 == '年';
    let day = match take_char(&mut rest) {
        None => None,
        Some('月') if chinese && rest.is_empty() => None,
        Some(sep2) => {
            let sep_ok = if chinese { sep2 == '月' } else { sep2 == sep1 };
            if !sep_ok {
                return Err(unknown());
            }
            let day = take_digits(&mut rest, 1, 2).ok_or_else(unknown)?;
            match take_char(&mut rest) {
                None => {}
                Some('日' | '号') if chinese && rest.is_empty() => {}
                Some(_) => return Err(unknown()),
            }
            Some(day)
        }
    };
    date_parts(Some(year), Some(month), Some(day))
}

/// Validates parsed parts; `None` parts mean the text could not be read at all.
fn date_parts(
    year: Option<u32>,
    month: Option<u32>,
    day: Option<Option<u32>>,
) -> Result<PartialDate, String> {
    let (Some(year), Some(month), Some(day)) = (year, month, day) else {
        return Err(format!("无法识别为日期；{DATE_FORMS}"));
    };
    let year = year as i32;
    if !YEARS.contains(&year) {
        return Err(format!("年份 {year} 不合理（应在 1900–2100 之间）"));
    }
    if !(1..=12).contains(&month) {
        return Err(format!("月份 {month} 不存在（应为 1–12）"));
    }
    PartialDate::new(year, month, day).ok_or_else(|| {
        format!(
            "日期不存在：{year}年{month}月没有{}日",
            day.unwrap_or_default()
        )
    })
}

/// Takes `min..=max` ASCII digits from the front of `rest`.
fn take_digits(rest: &mut &str, min: usize, max: usize) -> Option<u32> {
    let len = rest.chars().take_while(char::is_ascii_digit).count();
    if len < min || len > max {
        return None;
    }
    let (digits, tail) = rest.split_at(len);
    *rest = tail;
    digits.parse().ok()
}

/// Takes one character from the front of `rest`.
fn take_char(rest: &mut &str) -> Option<char> {
    let c = rest.chars().next()?;
    *rest = &rest[c.len_utf8()..];
    Some(c)
}

// ---------------------------------------------------------------------------------------------
// Student IDs, names

/// The message for a long number Excel has already rounded.
fn lost_digits(what: &str, shown: &str) -> String {
    format!(
        "{what}被 Excel 存成了数字（显示为 {shown}）：Excel 只保留 15 位有效数字，多出的末尾几位已经丢失，无法恢复。请把该列的单元格格式设为「文本」，再重新输入（或在号码前加英文单引号 '）"
    )
}

/// True for text such as `1.10101E+17`, a long number Excel printed in scientific notation.
fn is_scientific(s: &str) -> bool {
    let upper = s.to_ascii_uppercase();
    match upper.split_once('E') {
        Some((mantissa, exp)) => {
            !mantissa.is_empty()
                && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
                && exp
                    .trim_start_matches(['+', '-'])
                    .chars()
                    .all(|c| c.is_ascii_digit())
                && exp.len() > 1
        }
        None => false,
    }
}

/// The message for a 学号 of 0: never a real one, and what a formula written by a program
/// that does not calculate (XlsxWriter, rust_xlsxwriter) holds as its placeholder result.
const ZERO_STUDENT_ID: &str = "学号不能是 0；若该单元格是公式，文件中保存的可能只是未计算的占位结果，请用 Excel/WPS 打开并保存一次，或改为实际学号";

/// A student number (学号): text (letters, digits, `-`, `_`), or a whole number printed
/// without `.0` or exponent. Negative or fractional numbers, and numbers too long for Excel
/// to keep exactly, are errors.
pub fn parse_student_id(cell: &Cell) -> Parsed<String> {
    reject_error(cell)?;
    let expected = "学号应由数字或字母组成";
    match cell {
        Cell::Empty | Cell::Error(_) => Ok(None),
        Cell::Int(0) => Err(ZERO_STUDENT_ID.to_string()),
        Cell::Int(i) if *i > 0 => Ok(Some(i.to_string())),
        Cell::Int(i) => Err(format!("学号不能是负数 {i}")),
        Cell::Float(x) => match as_whole(*x) {
            Some(0) => Err(ZERO_STUDENT_ID.to_string()),
            Some(n) if n > 0 && *x < 1e15 => Ok(Some(n.to_string())),
            _ if x.is_finite() && *x >= 1e15 => Err(lost_digits("学号", &format_number(*x))),
            _ => Err(format!("{expected}，不能是 {}", format_number(*x))),
        },
        Cell::DateTime(_) => Err(format!(
            "{expected}；单元格被设成了日期格式（显示为 {}），请把该列设为「文本」后重新输入",
            cell_text(cell)
        )),
        Cell::Bool(_) => Err(format!("{expected}，不能是 TRUE/FALSE")),
        Cell::Text(t) => {
            let s = compact(t);
            let s = s.trim_start_matches('\'');
            if s.is_empty() {
                return Ok(None);
            }
            if is_scientific(s) {
                return Err(lost_digits("学号", s));
            }
            if s.chars().all(|c| c == '0') {
                return Err(ZERO_STUDENT_ID.to_string());
            }
            if s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                Ok(Some(s.to_string()))
            } else {
                Err(format!("{expected}，不应含有其他字符"))
            }
        }
    }
}

/// True for CJK characters (ideographs, radicals, kana, hangul, CJK punctuation): spaces next
/// to them in a name are alignment padding.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Middle-dot look-alikes used in transliterated names (阿卜杜·热依木), unified to U+00B7.
const MIDDLE_DOTS: &[char] = &[
    '\u{00B7}', '\u{2022}', '\u{2027}', '\u{30FB}', '\u{FF65}', '\u{0387}', '\u{2219}', '\u{22C5}',
    '\u{16EB}', '\u{2E31}', '\u{FF0E}',
];

/// Normalises a person's name (SPEC.md): trimmed; blanks next to Chinese characters or a
/// middle dot removed (`张　三` → `张三`), other blank runs collapsed to one space
/// (`John  Smith` → `John Smith`); middle-dot variants (• ‧ ・ ･ …) → `·` (U+00B7).
pub fn normalize_name(name: &str) -> String {
    let chars: Vec<char> = trim_blank(name)
        .chars()
        .map(|c| if MIDDLE_DOTS.contains(&c) { '·' } else { c })
        .collect();
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !is_blank_char(c) {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_blank_char(chars[i]) {
            i += 1;
        }
        let before = start.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i).copied();
        let joins = |c: Option<char>| c.is_some_and(|c| is_cjk(c) || c == '·');
        if !(joins(before) || joins(after)) {
            out.push(' ');
        }
    }
    out
}

/// A person's name, normalised by [`normalize_name`]. Numbers, dates and TRUE/FALSE are
/// errors (usually a shifted column).
pub fn parse_name(cell: &Cell) -> Parsed<String> {
    reject_error(cell)?;
    match cell {
        Cell::Empty | Cell::Error(_) => Ok(None),
        Cell::Text(t) => {
            let name = normalize_name(t);
            Ok((!name.is_empty()).then_some(name))
        }
        other => Err(format!(
            "姓名应为文字，不能是 {}（是否填错了列？）",
            cell_text(other)
        )),
    }
}

/// Contacts (培养联系人): one or two names separated by `、` `，` `,` `/` `;` or spaces.
/// Spaces separate only when every part is at least two characters long, so a name padded for
/// alignment (`张 三`) stays one name. More than two names is an error.
pub fn parse_contacts(cell: &Cell) -> Parsed<Vec<String>> {
    let Some(text) = parse_text(cell)? else {
        return Ok(None);
    };
    let separators = ['、', '，', ',', '/', '／', ';', '；', '\n'];
    let mut names: Vec<String> = text
        .split(separators)
        .map(normalize_name)
        .filter(|n| !n.is_empty())
        .collect();
    if names.len() == 1 {
        let parts: Vec<String> = text
            .split(is_blank_char)
            .map(normalize_name)
            .filter(|n| !n.is_empty())
            .collect();
        if parts.len() > 1 && parts.iter().all(|p| p.chars().count() >= 2) {
            names = parts;
        }
    }
    match names.len() {
        0 => Ok(None),
        1 | 2 => Ok(Some(names)),
        n => Err(format!(
            "培养联系人应为一到两人，这里有 {n} 人（用「、」分隔）"
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// ID cards

/// A checked 18-character resident ID number (GB 11643) and what it encodes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct IdCard {
    /// The 18 characters, with a final `x` made `X`.
    pub number: String,
    /// The date of birth encoded in characters 7–14.
    pub birth: NaiveDate,
    /// True when the 17th digit is odd (male).
    pub male: bool,
}

/// The GB 11643 (ISO 7064 MOD 11-2) check character for the first 17 digits, or `None` when
/// they are not 17 ASCII digits.
pub fn id_check_char(first17: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    CHECK.get((sum % 11) as usize).copied()
}

/// A resident ID number: 18 characters, the last may be `x`/`X`, valid embedded birth date,
/// valid check character. A numeric cell is an error (Excel has already dropped the last
/// digits); so is a 15-digit old-style number (the 18-digit one is asked for).
pub fn parse_id_card(cell: &Cell) -> Parsed<IdCard> {
    reject_error(cell)?;
    let text = match cell {
        Cell::Empty | Cell::Error(_) => return Ok(None),
        Cell::Int(_) | Cell::Float(_) => {
            let shown = cell_text(cell);
            if shown.len() == 15 && shown.chars().all(|c| c.is_ascii_digit()) {
                return Err(old_id_message());
            }
            return Err(lost_digits("身份证号", &shown));
        }
        Cell::DateTime(_) | Cell::Bool(_) => {
            return Err(format!("应为 18 位身份证号码，不能是 {}", cell_text(cell)));
        }
        Cell::Text(t) => t,
    };
    let s = compact(text);
    let s = s.trim_start_matches('\'');
    if s.is_empty() {
        return Ok(None);
    }
    if is_scientific(s) {
        return Err(lost_digits("身份证号", s));
    }
    let number = s.to_ascii_uppercase();
    let len = number.chars().count();
    if len == 15 && number.chars().all(|c| c.is_ascii_digit()) {
        return Err(old_id_message());
    }
    if len != 18 {
        return Err(format!("身份证号应为 18 位，这里是 {len} 位"));
    }
    let (first17, last) = number.split_at(17);
    if !first17.chars().all(|c| c.is_ascii_digit())
        || !last.chars().all(|c| c.is_ascii_digit() || c == 'X')
    {
        return Err("身份证号只能由数字组成（最后一位可以是 X）".to_string());
    }
    let birth = NaiveDate::parse_from_str(&number[6..14], "%Y%m%d")
        .ok()
        .filter(|d| YEARS.contains(&d.year()))
        .ok_or_else(|| {
            format!(
                "身份证号第 7–14 位的出生日期 {} 不是有效日期，请核对号码",
                &number[6..14]
            )
        })?;
    let expected = id_check_char(first17).ok_or("身份证号只能由数字组成")?;
    if !last.starts_with(expected) {
        return Err(format!(
            "身份证号校验位不符：按 GB 11643 计算最后一位应为 {expected}，表中是 {last}；请核对号码是否抄错"
        ));
    }
    let male = number[16..17]
        .parse::<u32>()
        .map(|d| d % 2 == 1)
        .unwrap_or(false);
    Ok(Some(IdCard {
        number,
        birth,
        male,
    }))
}

/// The message for a 15-digit (pre-1999) ID number.
fn old_id_message() -> String {
    "这是 15 位的旧身份证号，请改填 18 位身份证号码".to_string()
}

// ---------------------------------------------------------------------------------------------
// Sex, ethnicity, stage

/// 性别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Sex {
    /// 男.
    Male,
    /// 女.
    Female,
}

impl Sex {
    /// 男 or 女.
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

/// 男/女, also 男性/女性, M/F, Male/Female (any case).
pub fn parse_sex(cell: &Cell) -> Parsed<Sex> {
    let Some(text) = parse_text(cell)? else {
        return Ok(None);
    };
    match compact(&text).to_ascii_lowercase().as_str() {
        "男" | "男性" | "m" | "male" => Ok(Some(Sex::Male)),
        "女" | "女性" | "f" | "female" => Ok(Some(Sex::Female)),
        _ => Err("性别应为「男」或「女」".to_string()),
    }
}

/// The 56 ethnic groups of China (GB 3304 order).
pub const ETHNIC_GROUPS: [&str; 56] = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
];

/// A text of one of the fixed tables ([`ETHNIC_GROUPS`], [`POLITICAL_STATUSES`]): shared, never
/// copied. (A name of its own also keeps serde from taking an `Option<&'static str>` field for
/// one borrowed from the bytes read, see [`super::static_text`].)
pub type TableText = &'static str;

/// One of the 56 groups, with or without the final 族 (`汉` → 汉族, `维吾尔` → 维吾尔族).
pub fn parse_ethnicity(cell: &Cell) -> Parsed<&'static str> {
    let Some(text) = parse_text(cell)? else {
        return Ok(None);
    };
    let s = compact(&text);
    let with_suffix = format!("{s}族");
    ETHNIC_GROUPS
        .iter()
        .find(|g| **g == s || **g == with_suffix)
        .map(|g| Some(*g))
        .ok_or_else(|| "民族应为 56 个民族之一，如「汉族」「回族」「维吾尔族」".to_string())
}

/// 发展阶段: the stages of becoming a member, in order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Stage {
    /// 入党申请人.
    Applicant,
    /// 入党积极分子.
    Activist,
    /// 发展对象.
    Candidate,
    /// 预备党员.
    Probationary,
    /// 正式党员.
    Full,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 5] = [
        Stage::Applicant,
        Stage::Activist,
        Stage::Candidate,
        Stage::Probationary,
        Stage::Full,
    ];

    /// The Chinese name (入党申请人 …).
    pub fn label(self) -> &'static str {
        match self {
            Stage::Applicant => "入党申请人",
            Stage::Activist => "入党积极分子",
            Stage::Candidate => "发展对象",
            Stage::Probationary => "预备党员",
            Stage::Full => "正式党员",
        }
    }
}

/// A stage: its name, or 中共党员/党员 (→ 正式党员), 中共预备党员 (→ 预备党员), 积极分子,
/// 申请人. 共青团员/群众 (a 政治面貌, not a stage) get a specific message.
pub fn parse_stage(cell: &Cell) -> Parsed<Stage> {
    let Some(text) = parse_text(cell)? else {
        return Ok(None);
    };
    let s = compact(&text);
    let stage = match s.as_str() {
        "入党申请人" | "申请人" | "申请入党" => Stage::Applicant,
        "入党积极分子" | "积极分子" => Stage::Activist,
        "发展对象" => Stage::Candidate,
        "预备党员" | "中共预备党员" => Stage::Probationary,
        "正式党员" | "中共党员" | "党员" => Stage::Full,
        _ => {
            let expected = "应为 入党申请人、入党积极分子、发展对象、预备党员 或 正式党员";
            return Err(if ["共青团员", "团员", "群众"].contains(&s.as_str()) {
                format!("「{s}」是政治面貌，不是发展阶段；{expected}，或留空（按各阶段日期推算）")
            } else {
                format!("发展阶段{expected}")
            });
        }
    };
    Ok(Some(stage))
}

/// The 13 standard 政治面貌 (共产党员网), in their usual order.
pub const POLITICAL_STATUSES: [&str; 13] = [
    "中共党员",
    "中共预备党员",
    "共青团员",
    "民革党员",
    "民盟盟员",
    "民建会员",
    "民进会员",
    "农工党党员",
    "致公党党员",
    "九三学社社员",
    "台盟盟员",
    "无党派人士",
    "群众",
];

/// A 政治面貌 cell of the roster. Many ledgers write the 发展阶段 in this column (入党积极分子,
/// 发展对象 …), so a stage is accepted too: the value is then the stage, and the 政治面貌 is
/// printed only when it is one of [`POLITICAL_STATUSES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoliticalStatus {
    /// One of [`POLITICAL_STATUSES`], when the cell names one.
    pub status: Option<&'static str>,
    /// The stage the cell implies (中共党员 → 正式党员, 入党积极分子 → 入党积极分子 …).
    pub stage: Option<Stage>,
}

/// A 政治面貌: one of the 13 standard values (团员 → 共青团员, 党员 → 中共党员, 预备党员 →
/// 中共预备党员) or a 发展阶段 written in its place.
pub fn parse_political_status(cell: &Cell) -> Parsed<PoliticalStatus> {
    let Some(text) = parse_text(cell)? else {
        return Ok(None);
    };
    let s = compact(&text);
    let status = match s.as_str() {
        "团员" | "共青团员" | "中国共产主义青年团团员" => Some("共青团员"),
        "党员" | "中共党员" | "中国共产党党员" | "正式党员" => Some("中共党员"),
        "预备党员" | "中共预备党员" => Some("中共预备党员"),
        other => POLITICAL_STATUSES.iter().find(|v| **v == other).copied(),
    };
    let stage = match status {
        Some("中共党员") => Some(Stage::Full),
        Some("中共预备党员") => Some(Stage::Probationary),
        Some(_) => None,
        None => parse_stage(cell).ok().flatten(),
    };
    if status.is_none() && stage.is_none() {
        return Err(
            "政治面貌应为 中共党员、中共预备党员、共青团员、群众 等 13 种之一（或发展阶段，如 入党积极分子）"
                .to_string(),
        );
    }
    Ok(Some(PoliticalStatus { status, stage }))
}

/// The 文化程度 accepted, as printed; other spellings map onto them (本科 → 大学本科 …).
const EDUCATION: [&str; 10] = [
    "博士研究生",
    "硕士研究生",
    "研究生",
    "大学本科",
    "大学专科",
    "中等专科",
    "高中",
    "职业高中",
    "初中",
    "小学",
];

/// A 文化程度 (学历): one of `EDUCATION` or a usual short form (本科, 大专, 博士, 硕士, 中专 …),
/// optionally followed by 在读 / 毕业 / 肄业, which is kept (大学本科在读).
pub fn parse_education(cell: &Cell) -> Parsed<String> {
    let Some(text) = parse_text(cell)? else {
        return Ok(None);
    };
    let s = compact(&text);
    let (level, suffix) = ["在读", "毕业", "肄业"]
        .iter()
        .find_map(|suf| s.strip_suffix(suf).map(|l| (l, *suf)))
        .unwrap_or((s.as_str(), ""));
    let level = match level {
        "博士" => "博士研究生",
        "硕士" => "硕士研究生",
        "本科" | "大本" => "大学本科",
        "专科" | "大专" => "大学专科",
        "中专" => "中等专科",
        "职高" => "职业高中",
        other => match EDUCATION.iter().find(|e| **e == other) {
            Some(e) => e,
            None => {
                return Err(
                    "文化程度应为 研究生、大学本科、大学专科、高中 等（可加“在读”），如「大学本科在读」"
                        .to_string(),
                );
            }
        },
    };
    Ok(Some(format!("{level}{suffix}")))
}

/// A pass/fail result (政审结论): 合格 → true, 不合格 → false.
pub fn parse_pass(cell: &Cell) -> Parsed<bool> {
    let Some(text) = parse_text(cell)? else {
        return Ok(None);
    };
    match compact(&text).as_str() {
        "合格" | "通过" => Ok(Some(true)),
        "不合格" | "不通过" => Ok(Some(false)),
        _ => Err("应为「合格」或「不合格」（审查的文字结论请写在「审查结论」列）".to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers: hours, scores, counts, years

/// A number written as text, after removing one of the given unit suffixes.
fn number_in_text(text: &str, suffixes: &[&str]) -> Option<f64> {
    let s = compact(text);
    let mut s = s.as_str();
    for suffix in suffixes {
        if let Some(stripped) = s.strip_suffix(suffix) {
            s = stripped;
            break;
        }
    }
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return None;
    }
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A number from a numeric cell, or from text with an optional unit suffix.
fn number(cell: &Cell, suffixes: &[&str]) -> Result<Option<f64>, ()> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Int(i) => Ok(Some(*i as f64)),
        Cell::Float(x) if x.is_finite() => Ok(Some(*x)),
        Cell::Text(t) => number_in_text(t, suffixes).map(Some).ok_or(()),
        _ => Err(()),
    }
}

/// 学时: a number ≥ 0, also text `24`, `24学时`, `24 课时`, `24小时`.
pub fn parse_hours(cell: &Cell) -> Parsed<f64> {
    reject_error(cell)?;
    let expected = "学时应为不小于 0 的数字，如 24 或 24学时";
    match number(cell, &["学时", "课时", "小时", "h", "H"]) {
        Ok(Some(x)) if x >= 0.0 => Ok(Some(x)),
        Ok(None) => Ok(None),
        _ => Err(expected.to_string()),
    }
}

/// A grade given instead of exam points.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Grade {
    /// 不合格 (also 不及格, 未通过).
    Fail,
    /// 合格 (also 及格, 通过).
    Pass,
    /// 良好.
    Good,
    /// 优秀.
    Excellent,
}

impl Grade {
    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Grade::Fail => "不合格",
            Grade::Pass => "合格",
            Grade::Good => "良好",
            Grade::Excellent => "优秀",
        }
    }

    /// True for every grade but 不合格.
    pub fn passed(self) -> bool {
        self != Grade::Fail
    }
}

/// An exam result (成绩): points 0–100 or a grade.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Score {
    /// Points, 0–100.
    Points(f64),
    /// A grade.
    Grade(Grade),
}

/// Points as Excel shows them (`85`, `85.5`), grades by name.
impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Score::Points(p) => f.write_str(&format_number(*p)),
            Score::Grade(g) => f.write_str(g.label()),
        }
    }
}

/// 成绩: a number 0–100 (also text `85`, `85分`), or 优秀/良好/合格/不合格 (及格/通过 →
/// 合格, 不及格/未通过 → 不合格).
pub fn parse_score(cell: &Cell) -> Parsed<Score> {
    reject_error(cell)?;
    let expected = "成绩应为 0–100 的分数，或 优秀、良好、合格、不合格";
    if let Cell::Text(t) = cell {
        let grade = match compact(t).as_str() {
            "优秀" | "优" => Some(Grade::Excellent),
            "良好" | "良" => Some(Grade::Good),
            "合格" | "及格" | "通过" => Some(Grade::Pass),
            "不合格" | "不及格" | "未通过" => Some(Grade::Fail),
            _ => None,
        };
        if let Some(g) = grade {
            return Ok(Some(Score::Grade(g)));
        }
    }
    match number(cell, &["分"]) {
        Ok(Some(x)) if (0.0..=100.0).contains(&x) => Ok(Some(Score::Points(x))),
        Ok(Some(x)) => Err(format!("分数 {} 超出 0–100；{expected}", format_number(x))),
        Ok(None) => Ok(None),
        Err(()) => Err(expected.to_string()),
    }
}

/// 评定等次 / 自评等次 of the democratic appraisal.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum AppraisalGrade {
    /// 不合格.
    Unqualified,
    /// 基本合格.
    BasicallyQualified,
    /// 合格.
    Qualified,
    /// 优秀.
    Excellent,
}

impl AppraisalGrade {
    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            AppraisalGrade::Unqualified => "不合格",
            AppraisalGrade::BasicallyQualified => "基本合格",
            AppraisalGrade::Qualified => "合格",
            AppraisalGrade::Excellent => "优秀",
        }
    }
}

/// 优秀 / 合格 / 基本合格 / 不合格 (with or without 党员/等次 around them is not accepted).
pub fn parse_appraisal_grade(cell: &Cell) -> Parsed<AppraisalGrade> {
    let Some(text) = parse_text(cell)? else {
        return Ok(None);
    };
    match compact(&text).as_str() {
        "优秀" => Ok(Some(AppraisalGrade::Excellent)),
        "合格" => Ok(Some(AppraisalGrade::Qualified)),
        "基本合格" => Ok(Some(AppraisalGrade::BasicallyQualified)),
        "不合格" => Ok(Some(AppraisalGrade::Unqualified)),
        _ => Err("等次应为 优秀、合格、基本合格 或 不合格".to_string()),
    }
}

/// A whole number ≥ 0 (票数 …), also text `12` or `12票`/`12次`/`12人`.
pub fn parse_count(cell: &Cell) -> Parsed<u32> {
    reject_error(cell)?;
    let expected = "应为不小于 0 的整数";
    match number(cell, &["票", "次", "人", "篇", "个", "场"]) {
        Ok(Some(x)) => as_whole(x)
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| expected.to_string()),
        Ok(None) => Ok(None),
        Err(()) => Err(expected.to_string()),
    }
}

/// An item of the 七个一 list: done or not, or how many times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum YesNoCount {
    /// 是 / 有 / √.
    Yes,
    /// 否 / 无 / ×.
    No,
    /// A number of times.
    Count(u32),
}

impl YesNoCount {
    /// True for `Yes` or a count above zero.
    pub fn done(self) -> bool {
        match self {
            YesNoCount::Yes => true,
            YesNoCount::No => false,
            YesNoCount::Count(n) => n > 0,
        }
    }
}

/// 是/否, 有/无, √/×, Y/N, TRUE/FALSE, or a count (`2`, `2次`).
pub fn parse_yes_no_count(cell: &Cell) -> Parsed<YesNoCount> {
    reject_error(cell)?;
    let expected = "应为 是/否（或 √/×），或次数如 2";
    match cell {
        Cell::Bool(b) => {
            return Ok(Some(if *b { YesNoCount::Yes } else { YesNoCount::No }));
        }
        Cell::Text(t) => match compact(t).to_ascii_lowercase().as_str() {
            "是" | "有" | "√" | "✓" | "✔" | "y" | "yes" | "已完成" | "完成" => {
                return Ok(Some(YesNoCount::Yes));
            }
            "否" | "无" | "×" | "✗" | "✘" | "x" | "n" | "no" | "未完成" => {
                return Ok(Some(YesNoCount::No));
            }
            _ => {}
        },
        _ => {}
    }
    parse_count(cell)
        .map(|n| n.map(YesNoCount::Count))
        .map_err(|_| expected.to_string())
}

/// 年度: a four-digit year 1900–2100, also `2025年`, `2025年度`, `2025.0`.
pub fn parse_year(cell: &Cell) -> Parsed<i32> {
    reject_error(cell)?;
    let expected = "年度应为四位年份，如 2025";
    if let Cell::DateTime(_) = cell {
        return Err(format!(
            "{expected}；单元格被设成了日期格式（显示为 {}），若输入的是年份，请把单元格格式改为「常规」后重新输入",
            cell_text(cell)
        ));
    }
    match number(cell, &["年度", "年"]) {
        Ok(Some(x)) => as_whole(x)
            .and_then(|n| i32::try_from(n).ok())
            .filter(|y| YEARS.contains(y))
            .map(Some)
            .ok_or_else(|| expected.to_string()),
        Ok(None) => Ok(None),
        Err(()) => Err(expected.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn date(y: i32, m: u32, d: Option<u32>) -> PartialDate {
        PartialDate::new(y, m, d).unwrap()
    }

    #[test]
    fn cell_text_reads_like_excel() {
        assert_eq!(cell_text(&Cell::Float(1.2e10)), "12000000000");
        assert_eq!(cell_text(&Cell::Float(85.0)), "85");
        assert_eq!(cell_text(&Cell::Float(85.5)), "85.5");
        assert_eq!(cell_text(&Cell::Float(0.1 + 0.2)), "0.3");
        assert_eq!(cell_text(&Cell::Int(-3)), "-3");
        let dt = NaiveDateTime::parse_from_str("2003-05-12 00:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(cell_text(&Cell::DateTime(dt)), "2003-05-12");
        assert_eq!(cell_text(&Cell::Error("#N/A".into())), "#N/A");
        assert_eq!(cell_text(&Cell::Empty), "");
    }

    #[test]
    fn dates_in_every_form() {
        let full = date(2003, 5, Some(12));
        let month = date(2003, 5, None);
        for s in [
            "2003-05-12",
            "2003-5-12",
            "2003/5/12",
            "2003.05.12",
            "2003年5月12日",
            "2003年05月12日",
            "2003年5月12号",
            "20030512",
            "２００３年５月１２日",
            " 2003-05-12 00:00:00",
            "2003-05-12T08:30:00",
        ] {
            assert_eq!(parse_date(&text(s)), Ok(Some(full)), "{s}");
        }
        for s in [
            "2003.5",
            "2003.05",
            "2003-5",
            "2003/5",
            "2003年5月",
            "200305",
            "2003年05月",
        ] {
            assert_eq!(parse_date(&text(s)), Ok(Some(month)), "{s}");
        }
        let dt = NaiveDate::from_ymd_opt(2003, 5, 12)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert_eq!(parse_date(&Cell::DateTime(dt)), Ok(Some(full)));
        assert_eq!(parse_date(&Cell::Int(37753)), Ok(Some(full)));
        assert_eq!(parse_date(&Cell::Float(37753.5)), Ok(Some(full)));
        assert_eq!(parse_date(&Cell::Int(20030512)), Ok(Some(full)));
        assert_eq!(parse_date(&Cell::Int(200305)), Ok(Some(month)));
        assert_eq!(parse_date(&Cell::Float(2003.05)), Ok(Some(month)));
        assert_eq!(
            parse_date(&Cell::Float(2003.12)),
            Ok(Some(date(2003, 12, None)))
        );
        assert_eq!(parse_date(&Cell::Empty), Ok(None));
    }

    #[test]
    fn bad_dates_are_explained() {
        let err = parse_date(&text("2003-02-30")).unwrap_err();
        assert!(err.contains("不存在"), "{err}");
        assert!(
            parse_date(&text("2003-13-01"))
                .unwrap_err()
                .contains("月份")
        );
        assert!(
            parse_date(&text("1850-01-01"))
                .unwrap_err()
                .contains("年份")
        );
        assert!(
            parse_date(&text("5/12/2003"))
                .unwrap_err()
                .contains("2003-05-12")
        );
        assert!(parse_date(&text("2003-05/12")).is_err());
        assert!(parse_date(&text("2003")).unwrap_err().contains("缺少月份"));
        assert!(parse_date(&text("明年")).is_err());
        assert!(
            parse_date(&Cell::Int(2003))
                .unwrap_err()
                .contains("缺少月份")
        );
        assert!(parse_date(&Cell::Int(12)).is_err());
        assert!(
            parse_date(&Cell::Float(2003.1))
                .unwrap_err()
                .contains("10月")
        );
        assert_eq!(parse_date(&text("2003.1")), Ok(Some(date(2003, 1, None))));
        assert!(parse_date(&Cell::Bool(true)).is_err());
        assert!(
            parse_date(&Cell::Error("#REF!".into()))
                .unwrap_err()
                .contains("#REF!")
        );
    }

    #[test]
    fn partial_dates_order_and_print() {
        let month = date(2003, 5, None);
        let full = date(2003, 5, Some(12));
        assert!(month < full);
        assert!(full < date(2003, 6, None));
        assert_eq!(month.to_string(), "2003年05月");
        assert_eq!(full.to_string(), "2003年05月12日");
        assert_eq!(
            month.first_day(),
            NaiveDate::from_ymd_opt(2003, 5, 1).unwrap()
        );
        assert_eq!(
            month.last_day(),
            NaiveDate::from_ymd_opt(2003, 5, 31).unwrap()
        );
        assert_eq!(
            date(2024, 12, None).last_day(),
            NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()
        );
        assert!(PartialDate::new(2003, 2, Some(29)).is_none());
        assert!(PartialDate::new(2004, 2, Some(29)).is_some());
    }

    #[test]
    fn text_and_errors() {
        assert_eq!(parse_text(&text("a\r\nb")), Ok(Some("a\nb".into())));
        assert_eq!(parse_text(&Cell::Float(3.0)), Ok(Some("3".into())));
        assert_eq!(parse_text(&Cell::Empty), Ok(None));
        assert_eq!(
            parse_text(&Cell::Error("#N/A".into())),
            Err("单元格是 Excel 错误值 #N/A（通常是公式出错），请改为实际内容".into())
        );
        // Uniform error handling across parsers.
        let e = Cell::Error("#VALUE!".into());
        assert!(parse_name(&e).is_err());
        assert!(parse_student_id(&e).is_err());
        assert!(parse_id_card(&e).is_err());
        assert!(parse_sex(&e).is_err());
        assert!(parse_score(&e).is_err());
        assert!(parse_count(&e).is_err());
        assert!(parse_year(&e).is_err());
        assert!(parse_yes_no_count(&e).is_err());
        assert!(parse_contacts(&e).is_err());
    }

    #[test]
    fn student_ids() {
        assert_eq!(
            parse_student_id(&Cell::Float(2021010101.0)),
            Ok(Some("2021010101".into()))
        );
        assert_eq!(parse_student_id(&Cell::Int(2021)), Ok(Some("2021".into())));
        assert_eq!(
            parse_student_id(&text(" S2021-01 ")),
            Ok(Some("S2021-01".into()))
        );
        assert_eq!(parse_student_id(&text("'0021")), Ok(Some("0021".into())));
        assert!(parse_student_id(&Cell::Float(12.5)).is_err());
        assert!(parse_student_id(&Cell::Int(-1)).is_err());
        for zero in [Cell::Int(0), Cell::Float(0.0), text("000")] {
            assert!(
                parse_student_id(&zero)
                    .unwrap_err()
                    .contains("学号不能是 0"),
                "{zero:?}"
            );
        }
        assert!(
            parse_student_id(&Cell::Float(1.2e17))
                .unwrap_err()
                .contains("15 位")
        );
        assert!(
            parse_student_id(&text("2.0210101E+11"))
                .unwrap_err()
                .contains("15 位")
        );
        assert!(parse_student_id(&text("张三")).is_err());
    }

    #[test]
    fn names() {
        assert_eq!(normalize_name(" 张　三 "), "张三");
        assert_eq!(normalize_name("张 三 丰"), "张三丰");
        assert_eq!(normalize_name("阿卜杜 • 热依木"), "阿卜杜·热依木");
        assert_eq!(normalize_name("阿卜杜・热依木"), "阿卜杜·热依木");
        assert_eq!(normalize_name("阿卜杜‧热依木"), "阿卜杜·热依木");
        assert_eq!(normalize_name("阿卜杜･热依木"), "阿卜杜·热依木");
        assert_eq!(normalize_name("John   Smith"), "John Smith");
        assert_eq!(parse_name(&text("  ")), Ok(None));
        assert!(parse_name(&Cell::Int(5)).is_err());
    }

    #[test]
    fn contacts() {
        let two = Ok(Some(vec!["李明".to_string(), "王芳".to_string()]));
        assert_eq!(parse_contacts(&text("李明、王芳")), two);
        assert_eq!(parse_contacts(&text("李明，王芳")), two);
        assert_eq!(parse_contacts(&text("李明/王芳")), two);
        assert_eq!(parse_contacts(&text("李明 王芳")), two);
        assert_eq!(
            parse_contacts(&text("李 明")),
            Ok(Some(vec!["李明".to_string()]))
        );
        assert!(parse_contacts(&text("甲乙、丙丁、戊己")).is_err());
    }

    /// A valid synthetic ID: area 110101, the birth date, sequence 123, computed check char.
    fn id(birth: &str, seq: &str) -> String {
        let first17 = format!("110101{birth}{seq}");
        format!("{first17}{}", id_check_char(&first17).unwrap())
    }

    #[test]
    fn id_cards() {
        let number = id("19900307", "123");
        let card = parse_id_card(&text(&number)).unwrap().unwrap();
        assert_eq!(card.birth, NaiveDate::from_ymd_opt(1990, 3, 7).unwrap());
        assert!(card.male);
        let female = parse_id_card(&text(&id("20030512", "002")))
            .unwrap()
            .unwrap();
        assert!(!female.male);
        // Find a sequence whose check char is X and accept lower-case x.
        let with_x = (0..1000)
            .map(|n| id("20010101", &format!("{n:03}")))
            .find(|s| s.ends_with('X'))
            .unwrap();
        let lower = with_x.to_lowercase();
        assert_eq!(
            parse_id_card(&text(&lower)).unwrap().unwrap().number,
            with_x
        );
        // Known published example (GB 11643 appendix style).
        assert_eq!(id_check_char("11010519491231002"), Some('X'));
        // Wrong check digit.
        let mut bad = number.clone();
        let last = bad.pop().unwrap();
        bad.push(if last == '0' { '1' } else { '0' });
        assert!(parse_id_card(&text(&bad)).unwrap_err().contains("校验位"));
        // Invalid birth date.
        let bad_birth = id("19901345", "123");
        assert!(
            parse_id_card(&text(&bad_birth))
                .unwrap_err()
                .contains("出生日期")
        );
        // Length and characters.
        assert!(parse_id_card(&text("12345")).unwrap_err().contains("18 位"));
        assert!(parse_id_card(&text("11010119900307123A")).is_err());
        assert!(
            parse_id_card(&text("110101900307123"))
                .unwrap_err()
                .contains("15 位")
        );
        // Numeric cells: digits already lost.
        let err = parse_id_card(&Cell::Float(110101199003071230.0)).unwrap_err();
        assert!(
            err.contains("15 位有效数字") && err.contains("文本"),
            "{err}"
        );
        assert!(
            parse_id_card(&text("1.10101E+17"))
                .unwrap_err()
                .contains("文本")
        );
        assert!(
            parse_id_card(&Cell::Int(110101900307123))
                .unwrap_err()
                .contains("18 位")
        );
    }

    #[test]
    fn sex_ethnicity_stage() {
        assert_eq!(parse_sex(&text("男")), Ok(Some(Sex::Male)));
        assert_eq!(parse_sex(&text("女性")), Ok(Some(Sex::Female)));
        assert_eq!(parse_sex(&text("F")), Ok(Some(Sex::Female)));
        assert!(parse_sex(&text("1")).is_err());
        assert_eq!(ETHNIC_GROUPS.len(), 56);
        let unique: std::collections::BTreeSet<_> = ETHNIC_GROUPS.iter().collect();
        assert_eq!(unique.len(), 56);
        assert_eq!(parse_ethnicity(&text("汉")), Ok(Some("汉族")));
        assert_eq!(parse_ethnicity(&text("汉族")), Ok(Some("汉族")));
        assert_eq!(parse_ethnicity(&text("维吾尔")), Ok(Some("维吾尔族")));
        assert_eq!(parse_ethnicity(&text("蒙古")), Ok(Some("蒙古族")));
        assert!(parse_ethnicity(&text("火星族")).is_err());
        assert_eq!(parse_stage(&text("中共党员")), Ok(Some(Stage::Full)));
        assert_eq!(
            parse_stage(&text("中共预备党员")),
            Ok(Some(Stage::Probationary))
        );
        assert_eq!(
            parse_stage(&text("入党积极分子")),
            Ok(Some(Stage::Activist))
        );
        assert!(
            parse_stage(&text("共青团员"))
                .unwrap_err()
                .contains("政治面貌")
        );
        assert!(Stage::Applicant < Stage::Activist && Stage::Probationary < Stage::Full);
        assert_eq!(Stage::Candidate.label(), "发展对象");
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_hours(&text("24学时")), Ok(Some(24.0)));
        assert_eq!(parse_hours(&text("24 学时")), Ok(Some(24.0)));
        assert_eq!(parse_hours(&Cell::Float(12.5)), Ok(Some(12.5)));
        assert!(parse_hours(&Cell::Int(-1)).is_err());
        assert!(parse_hours(&text("很多")).is_err());

        assert_eq!(parse_score(&Cell::Int(85)), Ok(Some(Score::Points(85.0))));
        assert_eq!(parse_score(&text("85分")), Ok(Some(Score::Points(85.0))));
        assert_eq!(
            parse_score(&text("优秀")),
            Ok(Some(Score::Grade(Grade::Excellent)))
        );
        assert_eq!(
            parse_score(&text("及格")),
            Ok(Some(Score::Grade(Grade::Pass)))
        );
        assert_eq!(
            parse_score(&text("不合格")),
            Ok(Some(Score::Grade(Grade::Fail)))
        );
        assert!(parse_score(&Cell::Int(101)).unwrap_err().contains("0–100"));
        assert!(parse_score(&text("A")).is_err());
        assert_eq!(Score::Points(85.5).to_string(), "85.5");

        assert_eq!(
            parse_appraisal_grade(&text("基本合格")),
            Ok(Some(AppraisalGrade::BasicallyQualified))
        );
        assert!(parse_appraisal_grade(&text("良好")).is_err());

        assert_eq!(parse_count(&Cell::Float(12.0)), Ok(Some(12)));
        assert_eq!(parse_count(&text("12票")), Ok(Some(12)));
        assert!(parse_count(&Cell::Float(1.5)).is_err());
        assert!(parse_count(&Cell::Int(-2)).is_err());

        assert_eq!(parse_yes_no_count(&text("是")), Ok(Some(YesNoCount::Yes)));
        assert_eq!(parse_yes_no_count(&text("×")), Ok(Some(YesNoCount::No)));
        assert_eq!(parse_yes_no_count(&text("√")), Ok(Some(YesNoCount::Yes)));
        assert_eq!(parse_yes_no_count(&text("无")), Ok(Some(YesNoCount::No)));
        assert_eq!(
            parse_yes_no_count(&Cell::Int(3)),
            Ok(Some(YesNoCount::Count(3)))
        );
        assert_eq!(
            parse_yes_no_count(&text("2次")),
            Ok(Some(YesNoCount::Count(2)))
        );
        assert!(parse_yes_no_count(&text("也许")).is_err());
        assert!(!YesNoCount::Count(0).done());

        assert_eq!(parse_year(&Cell::Int(2025)), Ok(Some(2025)));
        assert_eq!(parse_year(&Cell::Float(2025.0)), Ok(Some(2025)));
        assert_eq!(parse_year(&text("2025年")), Ok(Some(2025)));
        assert_eq!(parse_year(&text("2025年度")), Ok(Some(2025)));
        assert!(parse_year(&text("25")).is_err());
        let dt = NaiveDate::from_ymd_opt(1905, 7, 17)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert!(
            parse_year(&Cell::DateTime(dt))
                .unwrap_err()
                .contains("常规")
        );
    }

    #[test]
    fn political_status_and_stage_words() {
        let st = |t: &str| parse_political_status(&text(t));
        assert_eq!(
            st("团员"),
            Ok(Some(PoliticalStatus {
                status: Some("共青团员"),
                stage: None
            }))
        );
        assert_eq!(
            st("中共预备党员"),
            Ok(Some(PoliticalStatus {
                status: Some("中共预备党员"),
                stage: Some(Stage::Probationary)
            }))
        );
        assert_eq!(
            st("入党积极分子"),
            Ok(Some(PoliticalStatus {
                status: None,
                stage: Some(Stage::Activist)
            }))
        );
        assert!(st("党员积极分子").unwrap_err().contains("政治面貌应为"));
    }

    #[test]
    fn education_levels() {
        assert_eq!(parse_education(&text("本科")), Ok(Some("大学本科".into())));
        assert_eq!(
            parse_education(&text("大学本科在读")),
            Ok(Some("大学本科在读".into()))
        );
        assert_eq!(parse_education(&text("大专")), Ok(Some("大学专科".into())));
        assert!(
            parse_education(&text("很高"))
                .unwrap_err()
                .contains("文化程度")
        );
        assert_eq!(parse_pass(&text("不合格")), Ok(Some(false)));
        assert!(parse_pass(&text("经审查合格")).is_err());
    }
}

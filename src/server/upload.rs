//! The form of a request (`multipart/form-data`) → the inputs and the [`Choices`] of a job,
//! exactly the choices the command line takes as flags. Every field is bounded and checked;
//! uploaded files stay in memory.

use super::error::ApiError;
use crate::job::Choices;
use crate::read::{Input, distinct_names, not_a_data_file};
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;

/// Most files in one request.
pub const MAX_FILES: usize = 20;
/// Most fields in one request, files included.
const MAX_FIELDS: usize = 64;
/// Longest text field, in bytes.
const MAX_TEXT_BYTES: usize = 1000;
/// Longest file name kept, in characters.
const MAX_NAME_CHARS: usize = 100;

/// The fields a form may have, for the message about an unknown one.
pub const FIELDS: &str = "data（文件，可多个）、docs（文书，可多个）、year、strict、gbk_names、include_hidden、print、duplex";

/// What a request asks for.
#[derive(Debug)]
pub struct Upload {
    /// The uploaded files, named as uploaded (a repeated name gets `（2）`).
    pub inputs: Vec<Input>,
    /// The choices, as from the command line.
    pub choices: Choices,
}

impl Upload {
    /// Bytes uploaded, for the log.
    pub fn bytes(&self) -> usize {
        self.inputs.iter().map(|i| i.bytes.len()).sum()
    }
}

/// Reads the whole form. `upload_mb` names the limit in the 413 message; `max_file_bytes`
/// is `[limits] input_mb`.
pub async fn read_form(
    mut form: Multipart,
    upload_mb: u64,
    max_file_bytes: u64,
) -> Result<Upload, ApiError> {
    let failed = |e: MultipartError| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large(upload_mb),
        _ => ApiError::bad_request(format!("上传的数据不完整或格式有误：{}", e.body_text())),
    };
    let mut inputs = Vec::new();
    let mut choices = Choices::default();
    let mut fields = 0;
    while let Some(field) = form.next_field().await.map_err(failed)? {
        fields += 1;
        if fields > MAX_FIELDS {
            return Err(ApiError::bad_request(format!(
                "表单字段过多（超过 {MAX_FIELDS} 个）"
            )));
        }
        let name = field.name().unwrap_or("").to_string();
        if name == "data" {
            let Some(file_name) = field.file_name().map(clean_name) else {
                return Err(ApiError::bad_request("字段 data 应为上传的文件"));
            };
            if inputs.len() == MAX_FILES {
                return Err(ApiError::bad_request(format!(
                    "一次最多上传 {MAX_FILES} 个文件"
                )));
            }
            let bytes = field.bytes().await.map_err(failed)?;
            if bytes.len() as u64 > max_file_bytes {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too-large",
                    format!(
                        "{file_name} 超过单个文件的上限 {} MB（dangjian.toml 的 [limits] input_mb）",
                        max_file_bytes / 1_048_576
                    ),
                ));
            }
            if let Some(why) = not_a_data_file(&file_name, &bytes) {
                return Err(ApiError::not_a_workbook(&file_name, &why));
            }
            inputs.push(Input {
                name: file_name,
                bytes: bytes.to_vec(),
            });
            continue;
        }
        let text = field.bytes().await.map_err(failed)?;
        if text.len() > MAX_TEXT_BYTES {
            return Err(ApiError::bad_request(format!(
                "字段 {name} 过长（超过 {MAX_TEXT_BYTES} 字节）"
            )));
        }
        let text = String::from_utf8_lossy(&text).trim().to_string();
        match name.as_str() {
            "docs" => choices.documents.extend(
                text.split([',', '，', ' ', '、'])
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            ),
            "year" if text.is_empty() => choices.year = None,
            "year" => choices.year = Some(parse_year(&text)?),
            "strict" => choices.strict = parse_flag(&name, &text)?,
            "gbk_names" => choices.gbk_names = parse_flag(&name, &text)?,
            "include_hidden" => choices.include_hidden = parse_flag(&name, &text)?,
            "print" => choices.print = parse_flag(&name, &text)?,
            "duplex" => choices.duplex = parse_flag(&name, &text)?,
            _ => {
                return Err(ApiError::bad_request(format!(
                    "不认识的字段「{}」；可用的有：{FIELDS}",
                    clean_name(&name)
                )));
            }
        }
    }
    if inputs.is_empty() {
        return Err(ApiError::bad_request(
            "没有上传数据文件：请用字段 data 上传 .xlsx、.xls、.ods 或 .csv 表格",
        ));
    }
    let names = distinct_names(&inputs);
    for (input, name) in inputs.iter_mut().zip(names) {
        input.name = name;
    }
    Ok(Upload { inputs, choices })
}

/// The base name of an uploaded file (some browsers send a whole Windows path), control
/// characters dropped, shortened.
fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let name: String = base
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    if name.trim().is_empty() {
        "上传的文件".to_string()
    } else {
        name
    }
}

/// A year between 1900 and 2200.
fn parse_year(text: &str) -> Result<i32, ApiError> {
    text.parse::<i32>()
        .ok()
        .filter(|y| (1900..=2200).contains(y))
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "year 应为年度，如 2025（收到「{}」）",
                clean_name(text)
            ))
        })
}

/// A checkbox: `1`/`true`/`on`/`yes` or `0`/`false`/`off`/`no`/empty.
fn parse_flag(name: &str, text: &str) -> Result<bool, ApiError> {
    match text.to_ascii_lowercase().as_str() {
        "1" | "true" | "on" | "yes" => Ok(true),
        "" | "0" | "false" | "off" | "no" => Ok(false),
        _ => Err(ApiError::bad_request(format!(
            "{name} 应为 true 或 false（收到「{}」）",
            clean_name(text)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_folders_and_controls() {
        assert_eq!(clean_name(r"C:\Users\李\台账.xlsx"), "台账.xlsx");
        assert_eq!(clean_name("a/b\u{7}c.csv"), "bc.csv");
        assert_eq!(clean_name("  "), "上传的文件");
    }

    #[test]
    fn years_and_flags_are_checked() {
        assert_eq!(parse_year("2025").unwrap(), 2025);
        assert!(parse_year("25年").is_err());
        assert!(parse_flag("strict", "on").unwrap());
        assert!(!parse_flag("strict", "").unwrap());
        assert!(parse_flag("strict", "maybe").is_err());
    }
}

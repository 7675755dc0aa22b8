//! What a file's bytes look like, to pick a reader and, when reading fails, to tell the user
//! in plain Chinese what the file seems to be.

/// The supported formats, for messages.
pub(crate) const SUPPORTED: &str = "支持 .xlsx .xlsm .xls .xlsb .ods .csv";

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sniff {
    /// Zero bytes.
    Empty,
    /// A zip container (xlsx, xlsm, xlsb, ods — or docx, a plain zip …).
    Zip,
    /// An OLE compound file (xls, or an encrypted xlsx).
    Cfb,
    /// An HTML page (some systems export HTML tables named `.xls`).
    Html,
    /// Excel 2003 XML spreadsheet (also exported under `.xls`).
    XmlSpreadsheet,
    /// A PDF file.
    Pdf,
    /// Text without NUL bytes (CSV, TXT …).
    Text,
    /// Anything else.
    Binary,
}

/// Classifies bytes by their magic numbers and, for text, by their first few KB.
pub(crate) fn sniff(bytes: &[u8]) -> Sniff {
    if bytes.is_empty() {
        return Sniff::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Sniff::Zip;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Sniff::Cfb;
    }
    if bytes.starts_with(b"%PDF") {
        return Sniff::Pdf;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) && !has_utf16_bom(head) {
        return Sniff::Binary;
    }
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let contains = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    if contains(b"urn:schemas-microsoft-com:office:spreadsheet") {
        return Sniff::XmlSpreadsheet;
    }
    let trimmed = lower
        .strip_prefix(&[0xEF, 0xBB, 0xBF])
        .unwrap_or(&lower)
        .trim_ascii_start();
    if trimmed.starts_with(b"<") && (contains(b"<html") || contains(b"<table")) {
        return Sniff::Html;
    }
    let controls = head
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    if controls * 100 > head.len() && !has_utf16_bom(head) {
        return Sniff::Binary;
    }
    Sniff::Text
}

/// True when the bytes start with a UTF-16 byte-order mark.
pub(crate) fn has_utf16_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// What a zip container holds, judged by the member names near its start.
pub(crate) fn zip_content(bytes: &[u8]) -> &'static str {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let contains = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if contains(b"word/") {
        "Word 文档（.docx），不是电子表格"
    } else if contains(b"ppt/") {
        "PowerPoint 演示文稿（.pptx），不是电子表格"
    } else if contains(b"xl/") || contains(b"opendocument.spreadsheet") {
        "Excel/ODS 工作簿，但内容已损坏（可能下载或复制不完整）"
    } else {
        "zip 压缩包，不是 Excel 工作簿（如果里面装着表格，请先解压）"
    }
}

/// The Chinese explanation of why a file could not be read as a workbook.
pub(crate) fn describe_unreadable(bytes: &[u8]) -> String {
    let what = match sniff(bytes) {
        Sniff::Empty => "文件是空的（0 字节）".to_string(),
        Sniff::Zip => format!("文件是{}", zip_content(bytes)),
        Sniff::Cfb => "文件看起来是旧版 Excel（.xls）或其他 Office 文件，但无法解析（可能已损坏，或是 Word/PowerPoint 文件）".to_string(),
        Sniff::Html => "文件实际是网页（HTML）表格，不是真正的 Excel 文件（一些系统导出的 .xls 就是这样）。请用 Excel 或 WPS 打开后「另存为」.xlsx".to_string(),
        Sniff::XmlSpreadsheet => "文件是 Excel 2003 XML 表格，不是真正的 .xls 文件。请用 Excel 或 WPS 打开后「另存为」.xlsx".to_string(),
        Sniff::Pdf => "文件是 PDF 文档，不是电子表格".to_string(),
        Sniff::Text => "文件是纯文本，不是 Excel 工作簿（可能是 CSV 或 TXT 改了扩展名）。如果是逗号分隔的表格，请把扩展名改为 .csv".to_string(),
        Sniff::Binary => "文件不是有效的 Excel 工作簿（可能已损坏，或是改了扩展名的其他文件）".to_string(),
    };
    format!("无法读取：{what}。{SUPPORTED}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs() {
        assert_eq!(sniff(b""), Sniff::Empty);
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniff::Zip);
        assert_eq!(sniff(b"\xEF\xBB\xBF<html><table>"), Sniff::Html);
        assert_eq!(sniff("学号,姓名\n1,张三\n".as_bytes()), Sniff::Text);
        assert_eq!(sniff(&[0u8, 1, 2, 3, 200, 17]), Sniff::Binary);
        assert_eq!(sniff(b"%PDF-1.7"), Sniff::Pdf);
    }
}

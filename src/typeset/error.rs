//! Errors of the typeset stage, with Chinese-led messages that name the template and the line
//! of the generated typst source, so a template author can find the mistake.

use std::fmt;
use std::path::PathBuf;

/// Why the shared [`Typesetter`](super::Typesetter) could not be built (fatal for the run).
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// A font directory given by the user cannot be read.
    #[error("无法读取字体目录 {}：{source}", path.display())]
    FontDir {
        /// The directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A font file in a user font directory cannot be read.
    #[error("无法读取字体文件 {}：{source}", path.display())]
    FontFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A support file's virtual path is not a valid typst path (or is reserved).
    #[error("模板支持文件路径 {path} 无效：{reason}")]
    SupportPath {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The configured date is not a valid calendar date for typst.
    #[error("日期设置无效（typst 只接受公元 -9999 至 9999 年的日期）")]
    Date,
    /// Typst refused the PDF/A settings (cannot happen with the fixed PDF/A-2b choice).
    #[error("PDF/A 设置无效：{0}")]
    Pdf(String),
}

/// Why one document could not be typeset: the row's document is refused, the run goes on.
#[derive(Debug, Clone, thiserror::Error)]
pub enum TypesetError {
    /// Typst rejected the generated source (syntax, evaluation or layout errors, or a font
    /// family that is not loaded).
    #[error("{}", join(diagnostics))]
    Compile {
        /// The template the source was generated from.
        template: String,
        /// Every error, in typst's order (at least one).
        diagnostics: Vec<Diagnostic>,
    },
    /// The document was laid out but could not be written as PDF.
    #[error("{}", join(diagnostics))]
    Export {
        /// The template the source was generated from.
        template: String,
        /// Every error (at least one).
        diagnostics: Vec<Diagnostic>,
    },
    /// The document needed more time or memory than its budget (see [`Budget`](super::Budget)).
    #[error("{}", over_budget(template, over))]
    OverBudget {
        /// The template the source was generated from.
        template: String,
        /// Which budget it went over.
        over: super::OverBudget,
    },
    /// Typst panicked (a bug in typst, caught so that only this document is refused).
    #[error("模板 {template} 排版时 typst 内部出错：{message}")]
    Internal {
        /// The template the source was generated from.
        template: String,
        /// The panic message.
        message: String,
    },
}

impl TypesetError {
    /// Names, in each diagnostic of the generated source, the template file's line that
    /// wrote it (see [`Diagnostic::locate_in_template`]).
    pub fn locate_in_template(&mut self, template_source: &str) {
        if let TypesetError::Compile { diagnostics, .. }
        | TypesetError::Export { diagnostics, .. } = self
        {
            for d in diagnostics {
                d.locate_in_template(template_source);
            }
        }
    }

    /// The individual diagnostics, for listing them one per line (none for `Internal`).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            TypesetError::Compile { diagnostics, .. }
            | TypesetError::Export { diagnostics, .. } => diagnostics,
            TypesetError::Internal { .. } | TypesetError::OverBudget { .. } => &[],
        }
    }

    /// The template the failing source was generated from.
    pub fn template(&self) -> &str {
        match self {
            TypesetError::Compile { template, .. }
            | TypesetError::Export { template, .. }
            | TypesetError::Internal { template, .. }
            | TypesetError::OverBudget { template, .. } => template,
        }
    }
}

/// Joins diagnostics one per line.
fn join(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(Diagnostic::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// One typst error or warning, located in the generated source or a support file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The template the document's source was generated from (e.g. `certificate.typ.j2`).
    pub template: String,
    /// `None` when the problem is in the generated source; the support file's virtual path
    /// (e.g. `/common.typ`) when it is there.
    pub file: Option<String>,
    /// 1-based line, when typst could locate the problem.
    pub line: Option<usize>,
    /// 1-based column (in characters), when typst could locate the problem.
    pub column: Option<usize>,
    /// Typst's message (English), or ours.
    pub message: String,
    /// Typst's hints plus ours.
    pub hints: Vec<String>,
    /// The text of the offending line (trimmed, shortened), to show what the template produced.
    pub code: Option<String>,
    /// For a problem inside a support file: the line of the generated source whose call led
    /// there.
    pub called_from_line: Option<usize>,
    /// For a problem in the generated source: the line of the template file that wrote the
    /// offending line, when it can be told (its text occurs on exactly one template line).
    pub template_line: Option<usize>,
}

impl Diagnostic {
    /// Finds [`Diagnostic::template_line`] in the template's source: the one line whose text
    /// (trimmed) is the offending line's (or begins like its shortened excerpt).
    pub fn locate_in_template(&mut self, template_source: &str) {
        if self.file.is_some() {
            return;
        }
        let Some(code) = &self.code else { return };
        let matches = |line: &str| match code.strip_suffix('…') {
            Some(prefix) => line.starts_with(prefix),
            None => line == code,
        };
        let mut found = template_source
            .lines()
            .enumerate()
            .filter(|(_, line)| matches(line.trim()))
            .map(|(i, _)| i + 1);
        if let (Some(line), None) = (found.next(), found.next()) {
            self.template_line = Some(line);
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "模板 {} ", self.template)?;
        match &self.file {
            None => f.write_str("生成的排版代码")?,
            Some(file) => write!(f, "使用的支持文件 {file} ")?,
        }
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "第 {line} 行第 {column} 列")?,
            (Some(line), None) => write!(f, "第 {line} 行")?,
            _ => f.write_str("排版出错")?,
        }
        if let Some(line) = self.template_line {
            write!(f, "（模板文件第 {line} 行）")?;
        }
        write!(f, "：{}", self.message)?;
        if let Some(line) = self.called_from_line {
            write!(f, "（由生成代码第 {line} 行调用）")?;
        }
        if !self.hints.is_empty() {
            write!(f, "（提示：{}）", self.hints.join("；"))?;
        }
        if let Some(code) = &self.code {
            write!(f, "［该行：{code}］")?;
        }
        Ok(())
    }
}

/// The message for a document stopped for its budget, with the setting that raises it.
fn over_budget(template: &str, over: &super::OverBudget) -> String {
    match over {
        super::OverBudget::Time(time) => format!(
            "模板 {template} 排版超过每份文书的时间上限 {} 秒，已停止；请删减内容，或在 dangjian.toml 的 [limits] 中调大 typeset_seconds",
            time.as_secs_f64()
        ),
        super::OverBudget::Memory(bytes) => format!(
            "模板 {template} 排版时内存超过上限 {} MB，已停止；请删减内容，或在 dangjian.toml 的 [limits] 中调大 typeset_memory_mb",
            bytes >> 20
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic(code: &str) -> Diagnostic {
        Diagnostic {
            template: "t.typ.j2".into(),
            file: None,
            line: Some(3),
            column: Some(6),
            message: "unknown variable: pag".into(),
            hints: Vec::new(),
            code: Some(code.into()),
            called_from_line: None,
            template_line: None,
        }
    }

    #[test]
    fn the_template_line_is_named_when_the_line_is_unique() {
        let template = "{# note #}\n#set text(size: 9pt)\n  #set pag(paper: \"a4\")\n{{ x }}\n";
        let mut d = diagnostic("#set pag(paper: \"a4\")");
        d.locate_in_template(template);
        assert_eq!(d.template_line, Some(3));
        assert!(
            d.to_string().contains("第 3 行第 6 列（模板文件第 3 行）"),
            "{d}"
        );
        // A line written twice (or by a loop) is not guessed.
        let mut d = diagnostic("#set text(size: 9pt)");
        d.locate_in_template(&format!("{template}#set text(size: 9pt)\n"));
        assert_eq!(d.template_line, None);
    }
}

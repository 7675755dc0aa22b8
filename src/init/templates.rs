//! `templates export`: the built-in templates and their support files as editable files, and
//! a guide (模板说明.md) to the variables each template receives. The variables are listed
//! from the real contexts of the template workbook's example student, so the guide can never
//! name a variable a template does not get.

use super::TEMPLATE_FILE;
use super::workbook::template_xlsx;
use crate::config::Config;
use crate::documents::{self, DocumentKind, Run, Scope};
use crate::model::certificate::plan_certificates;
use crate::read::Input;
use minijinja::value::{Value, ValueKind};

/// The name of the guide written beside the templates.
pub const GUIDE_FILE: &str = "模板说明.md";

/// Longest example value shown in the guide, in characters.
const EXAMPLE_CHARS: usize = 24;

/// Every file `templates export` writes: each built-in template, each support file, the guide.
pub fn template_files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = documents::builtin_templates()
        .map(|t| (t.name.to_string(), t.source.as_bytes().to_vec()))
        .collect();
    for (name, source) in documents::SUPPORT_FILES {
        files.push((name.to_string(), source.as_bytes().to_vec()));
    }
    files.push((GUIDE_FILE.to_string(), guide().into_bytes()));
    files
}

/// The guide: how overrides work, then per template the variables it receives with an example.
pub fn guide() -> String {
    let mut out = String::from(
        "# 模板说明\n\n\
本目录是 dangjian 内置模板的副本。修改后用 `dangjian render … --templates 本目录` 生成文书：\n\
目录中的文件按文件名替换内置的同名文件，未修改的文件可以删除（删除后使用内置版本）。\n\n\
- `*.typ.j2` 是 [minijinja](https://docs.rs/minijinja) 模板，输出 typst 排版代码；`{{ 变量 }}` 插入数据，\n\
  `{% if … %}`、`{% for … %}` 控制结构。数据中的字符会自动转义，不会被当作 typst 代码执行。\n\
- 需要在 typst 代码中写成字符串时用 `{{ 变量 | str }}`（生成带引号的 typst 字符串）。\n\
- `{% set s = 段落列表 | keep_tail(整段上限, 尾部上限) %}` 把长文本分成可跨页的 `s.head` 和与签字栏同页的 `s.tail`（不超过整段上限字的文本整段放在 tail）；\n\
  `{{ 段落列表 | line_count(每行字数) }}` 估算段落列表排成几行（首行缩进 2 字，英文数字按半字计），用于定留白高度；\n\
  `{% if 值 | fits_line(宽度) %}` 判断值是否肯定排成一行（宽度以 em 计，可带小数），是则表格行可写固定行高\n\
  `line-row(内边距)`（见登记表、谈话记录模板），排版更快、版面不变；`{% if [[值, 格宽厘米], …] | fit_cells(内边距pt, 字号pt) %}`\n\
  对一行的各格同时判断。\n\
- `form.typ` 是各表格共用的 typst 模块（页面、表格、签字栏），模板以 `#import \"/form.typ\": *` 引用；\n\
  本目录中的其他文件（如校徽图片、自定义模块）也可用 `/文件名` 引用，模板不能读取目录以外的文件。\n\
- 模板有错时，生成会停止（退出码 2），错误信息写明模板文件名和行号。\n\
- 引用不存在的变量是错误（不会静默印成空白）。没有数据的可选字段是空字符串，表格中留空供手写。\n\n\
下面列出每个模板收到的变量，示例值取自 `dangjian init` 生成的台账模板中的示例学生。\n\
`列表[]` 表示一个列表，其下缩进的是每一项的字段。\n",
    );
    let contexts = example_contexts();
    for kind in DocumentKind::ALL {
        out.push_str(&format!(
            "\n## {}（{}，每份对应{}）\n\n",
            kind.template(),
            kind.label(),
            kind.document().made_from()
        ));
        match contexts.iter().find(|(k, _)| k == kind) {
            Some((_, context)) => {
                out.push_str("| 变量 | 示例值 |\n|---|---|\n");
                describe(context, "", &mut out);
            }
            None => out.push_str("（示例数据不产生这种文书，无法列出变量。）\n"),
        }
    }
    out
}

/// The template context of the first document of each kind the template workbook's example
/// rows make.
fn example_contexts() -> Vec<(DocumentKind, Value)> {
    let Ok(bytes) = template_xlsx() else {
        return Vec::new();
    };
    let config = Config::default();
    let ds = crate::model::load(
        &[Input {
            name: TEMPLATE_FILE.to_string(),
            bytes,
        }],
        &config,
    );
    let certificates = plan_certificates(&ds, &config);
    let run = Run {
        config: &config,
        scope: &Scope::default(),
        certificates: &certificates,
    };
    let mut out = Vec::new();
    for &kind in DocumentKind::ALL {
        let mut first = None;
        kind.document().select(&ds, &run, &mut |d| {
            first.get_or_insert((d.student.id.clone(), d.key));
        });
        let context =
            first.and_then(|(student, key)| kind.document().context(&ds, &run, &student, key));
        if let Some(context) = context {
            out.push((kind, context));
        }
    }
    out
}

/// Appends one table row per leaf of a context value; a list shows its first item's fields.
fn describe(value: &Value, path: &str, out: &mut String) {
    match value.kind() {
        ValueKind::Map => {
            let Ok(keys) = value.try_iter() else { return };
            for key in keys {
                let name = key.to_string();
                let child = value.get_attr(&name).unwrap_or_default();
                let path = if path.is_empty() {
                    name
                } else {
                    format!("{path}.{name}")
                };
                describe(&child, &path, out);
            }
        }
        ValueKind::Seq => {
            let first = value
                .get_item_by_index(0)
                .ok()
                .filter(|v| !v.is_undefined());
            match first {
                Some(item) if matches!(item.kind(), ValueKind::Map | ValueKind::Seq) => {
                    out.push_str(&format!(
                        "| `{path}[]` | 列表，共 {} 项 |\n",
                        value.len().unwrap_or(0)
                    ));
                    describe(&item, &format!("{path}[]"), out);
                }
                Some(item) => out.push_str(&format!(
                    "| `{path}[]` | 列表，如 {} |\n",
                    example_text(&item)
                )),
                None => out.push_str(&format!("| `{path}[]` | 列表（示例中为空） |\n")),
            }
        }
        _ => out.push_str(&format!("| `{path}` | {} |\n", example_text(value))),
    }
}

/// An example value as shown in the guide: shortened, one line, `|` escaped.
fn example_text(value: &Value) -> String {
    let text = if value.is_none() || value.is_undefined() {
        "（空）".to_string()
    } else if value.kind() == ValueKind::String && value.as_str() == Some("") {
        "（空字符串）".to_string()
    } else {
        value.to_string()
    };
    let mut shown: String = text
        .chars()
        .take(EXAMPLE_CHARS)
        .map(|c| match c {
            '\n' | '\r' => ' ',
            '|' => '¦',
            c => c,
        })
        .collect();
    if text.chars().count() > EXAMPLE_CHARS {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_lists_every_template_with_its_variables() {
        let guide = guide();
        for kind in DocumentKind::ALL {
            assert!(
                guide.contains(&format!("## {}", kind.template())),
                "{guide}"
            );
        }
        assert!(!guide.contains("示例数据不产生"), "{guide}");
        assert!(guide.contains("| `student.name` | 李明 |"), "{guide}");
    }

    #[test]
    fn every_builtin_file_is_exported() {
        let files = template_files();
        for t in documents::builtin_templates() {
            assert!(
                files
                    .iter()
                    .any(|(n, b)| n == t.name && b == t.source.as_bytes())
            );
        }
        assert!(files.iter().any(|(n, _)| n == "form.typ"));
    }
}

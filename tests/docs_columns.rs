//! The column reference docs/数据表与列.md must describe exactly the sheet kinds, name
//! keywords, columns, aliases and required flags of `src/read/kinds.rs`: a column or alias
//! added to the reader without the doc (or left in the doc after removal) fails here.

use std::collections::BTreeMap;

use dangjian::read::SheetKind;

const DOC: &str = include_str!("../docs/数据表与列.md");

/// One table row of a section: aliases (empty for `—`) and the 必填/可选 cell.
struct DocColumn {
    aliases: Vec<String>,
    required: String,
}

/// The `## <label>` sections of the doc: their text.
fn sections() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in DOC.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            if let Some((t, body)) = current.take() {
                out.insert(t, body);
            }
            current = Some((title.trim().to_string(), String::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    if let Some((t, body)) = current {
        out.insert(t, body);
    }
    out
}

/// The column rows of a section's table, by column name.
fn columns(section: &str) -> BTreeMap<String, DocColumn> {
    let mut out = BTreeMap::new();
    for line in section.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // "| a | b | c | d | e |" splits into 7 parts with empty ends.
        if cells.len() != 7 || cells[1] == "列名" || cells[1].starts_with("---") {
            continue;
        }
        let aliases = if cells[2] == "—" {
            Vec::new()
        } else {
            cells[2].split('、').map(|a| a.trim().to_string()).collect()
        };
        let previous = out.insert(
            cells[1].to_string(),
            DocColumn {
                aliases,
                required: cells[3].to_string(),
            },
        );
        assert!(previous.is_none(), "列 {} 在文档中出现两次", cells[1]);
    }
    out
}

#[test]
fn the_doc_has_a_section_for_every_sheet_kind_with_its_name_keywords() {
    let sections = sections();
    for kind in SheetKind::ALL {
        let section = sections
            .get(kind.label())
            .unwrap_or_else(|| panic!("docs/数据表与列.md 缺少一节 “## {}”", kind.label()));
        let line = section
            .lines()
            .find_map(|l| l.strip_prefix("表名关键词："))
            .unwrap_or_else(|| panic!("“{}”一节缺少“表名关键词：”一行", kind.label()));
        let listed: Vec<&str> = line.split('、').map(str::trim).collect();
        assert_eq!(
            listed,
            kind.name_keywords(),
            "“{}”一节的表名关键词与程序不一致",
            kind.label()
        );
    }
}

#[test]
fn every_column_alias_and_required_flag_of_the_reader_is_in_the_doc_and_nothing_else() {
    let sections = sections();
    for kind in SheetKind::ALL {
        let doc = columns(&sections[kind.label()]);
        for spec in kind.columns() {
            let col = doc.get(spec.name).unwrap_or_else(|| {
                panic!(
                    "docs/数据表与列.md 的“{}”一节缺少列 {}",
                    kind.label(),
                    spec.name
                )
            });
            assert_eq!(
                col.aliases,
                spec.aliases,
                "“{}”一节中 {} 的别名与程序不一致",
                kind.label(),
                spec.name
            );
            let expected = if spec.required { "必填" } else { "可选" };
            assert_eq!(
                col.required,
                expected,
                "“{}”一节中 {} 应为{expected}",
                kind.label(),
                spec.name
            );
        }
        for name in doc.keys() {
            assert!(
                kind.column(name).is_some(),
                "docs/数据表与列.md 的“{}”一节列出了程序不认识的列 {name}",
                kind.label()
            );
        }
        assert_eq!(doc.len(), kind.columns().len(), "{}", kind.label());
    }
}

#[test]
fn the_readme_points_to_the_column_reference() {
    let readme = include_str!("../README.md");
    assert!(
        readme.contains("docs/数据表与列.md"),
        "README.md 应链接 docs/数据表与列.md"
    );
}

#[test]
fn every_column_named_by_a_length_limit_is_a_column_the_reader_knows() {
    use dangjian::config::TextKind;
    let known: Vec<&str> = SheetKind::ALL
        .iter()
        .flat_map(|kind| kind.columns().iter().map(|c| c.name))
        .collect();
    for column in TextKind::LONG_COLUMNS
        .iter()
        .chain(&TextKind::NAME_COLUMNS)
        .chain(&TextKind::ID_COLUMNS)
    {
        assert!(
            known.contains(column),
            "{column} is given a length limit but is no column of any sheet"
        );
    }
}

//! Rendering: one minijinja environment holding the document templates (the built-in ones,
//! or overrides of them file by file from a user directory), producing typst markup. Every
//! value inserted from the data is escaped for typst by the environment's formatter, so the
//! data can never run typst code.

pub mod escape;
pub mod text;

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, State};
use std::collections::BTreeMap;
use thiserror::Error;

/// Typographic points in a centimetre (72 pt to the inch).
const POINTS_PER_CM: f64 = 72.0 / 2.54;

/// The auto-escape mode name for typst templates.
const TYPST_ESCAPE: &str = "typst";

/// A template could not be loaded or rendered; the message names the template and line.
#[derive(Debug, Error)]
pub enum RenderError {
    /// A template has a syntax error or failed while rendering.
    #[error("模板 {template} 出错：{detail}")]
    Template {
        /// The template's file name.
        template: String,
        /// minijinja's description, with the line.
        detail: String,
    },
}

/// The template environment, built once per run and shared by all threads.
pub struct Renderer {
    /// The minijinja environment with every template loaded.
    env: Environment<'static>,
    /// Every template's source by name, for naming a template line in typst's errors.
    sources: BTreeMap<String, String>,
}

impl Renderer {
    /// Builds the environment from templates, file name → source (the built-in templates
    /// with the user's overrides put in their place by the caller).
    pub fn new(templates: BTreeMap<String, String>) -> Result<Renderer, RenderError> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".typ.j2") || name.ends_with(".typ") {
                AutoEscape::Custom(TYPST_ESCAPE.into())
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(typst_formatter);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.add_filter("str", |value: Value| {
            Value::from_safe_string(escape::string_literal(&value_text(&value)))
        });
        // `{% set s = opinion | keep_tail(700, 200) %}`: a paragraph list cut into the part that
        // may break across pages and the last lines kept with the signature (see
        // [`text::split_tail`]): `s.head`, `s.tail`, `s.continued`.
        env.add_filter(
            "keep_tail",
            |paragraphs: Vec<String>, whole: usize, max: usize| {
                Value::from(minijinja::value::Serde(text::split_tail(
                    &paragraphs,
                    whole,
                    max,
                )))
            },
        );
        // `{{ s.head | line_count(30) }}`: about how many lines a paragraph list takes in a box
        // 30 characters wide (see [`text::line_count`]), to size the blank room of a box.
        env.add_filter("line_count", |paragraphs: Vec<String>, line: usize| {
            text::line_count(&paragraphs, line)
        });
        // `{% if student.name | fits_line(10) %}`: the value surely sets on one line 10 em wide
        // (see [`text::fits_line`]); none and undefined are empty, so they fit.
        env.add_filter("fits_line", |value: Value, ems: f64| {
            text::fits_line(&value_text(&value), ems)
        });
        // `{% if [[name, 2.5], [class, 6.7]] | fit_cells(4, 10.5) %}`: every value surely sets on
        // one line in its table cell, given as its width in cm, with `4` pt of inset on each side
        // and `10.5` pt text — so that the row may have a fixed height.
        env.add_filter(
            "fit_cells",
            |cells: Vec<Value>, inset_pt: f64, size_pt: f64| -> Result<bool, minijinja::Error> {
                for cell in &cells {
                    let (value, cm) = (cell.get_item_by_index(0)?, cell.get_item_by_index(1)?);
                    let cm = f64::try_from(cm).map_err(|_| {
                        minijinja::Error::new(
                            minijinja::ErrorKind::InvalidOperation,
                            "fit_cells: each cell is [value, width in cm]",
                        )
                    })?;
                    let ems = (cm * POINTS_PER_CM - 2.0 * inset_pt) / size_pt;
                    if !text::fits_line(&value_text(&value), ems) {
                        return Ok(false);
                    }
                }
                Ok(true)
            },
        );
        for (name, source) in &templates {
            env.add_template_owned(name.clone(), source.clone())
                .map_err(|e| template_error(name, &e))?;
        }
        Ok(Renderer {
            env,
            sources: templates,
        })
    }

    /// A template's source, as loaded.
    pub fn source(&self, template: &str) -> Option<&str> {
        self.sources.get(template).map(String::as_str)
    }

    /// Renders a template with a context into typst markup.
    pub fn render(&self, template: &str, context: &Value) -> Result<String, RenderError> {
        let tmpl = self
            .env
            .get_template(template)
            .map_err(|e| template_error(template, &e))?;
        tmpl.render(context)
            .map_err(|e| template_error(template, &e))
    }
}

/// Text of a value as printed (none/undefined print as nothing).
fn value_text(value: &Value) -> String {
    if value.is_none() || value.is_undefined() {
        String::new()
    } else {
        value.to_string()
    }
}

/// The formatter: values are escaped for typst markup unless the template marked them safe.
fn typst_formatter(
    out: &mut minijinja::Output,
    state: &mut State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    let escaping = matches!(state.auto_escape(), AutoEscape::Custom(name) if name == TYPST_ESCAPE);
    let text = value_text(value);
    let written = if escaping && !value.is_safe() {
        escape::escape_markup(&text)
    } else {
        text
    };
    out.write_str(&written)
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
}

/// A minijinja error as a message naming the template and the line.
fn template_error(template: &str, e: &minijinja::Error) -> RenderError {
    let mut detail = e.to_string();
    if let Some(line) = e.line() {
        detail = format!("第 {line} 行：{detail}");
    }
    RenderError::Template {
        template: template.to_string(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_str(source: &str, ctx: Value) -> String {
        let overrides = BTreeMap::from([("t.typ.j2".to_string(), source.to_string())]);
        Renderer::new(overrides)
            .unwrap()
            .render("t.typ.j2", &ctx)
            .unwrap()
    }

    #[test]
    fn values_are_escaped_for_typst() {
        let ctx = minijinja::context! { name => "#read(\"/etc/passwd\")]" };
        assert_eq!(
            render_str("学员 {{ name }}", ctx),
            "学员 \\#read\\(\\\"\\/etc\\/passwd\\\"\\)\\]"
        );
    }

    #[test]
    fn the_str_filter_makes_a_string_literal() {
        let ctx = minijinja::context! { name => "a\"b" };
        assert_eq!(
            render_str("#let n = {{ name | str }}", ctx),
            "#let n = \"a\\\"b\""
        );
    }

    #[test]
    fn fits_line_tells_values_that_surely_set_on_one_line() {
        let ctx = minijinja::context! {
            name => "张三",
            id => "2021001234",
            branch => "马克思主义学院学生第一党支部",
            rare => "张𠀋",
            made => "张\u{E001}",
            broken => "张\n三",
            missing => (),
            wide => "WWWWWWWWW",
        };
        let source = "{{ name | fits_line(10) }} {{ id | fits_line(10) }} \
            {{ branch | fits_line(10) }} {{ rare | fits_line(10) }} {{ made | fits_line(10) }} \
            {{ broken | fits_line(10) }} {{ missing | fits_line(10) }} {{ id | fits_line(6.5) }} \
            {{ wide | fits_line(9) }} {{ wide | fits_line(10.5) }} {{ id | fits_line(6.0) }}";
        assert_eq!(
            render_str(source, ctx),
            "True True False False False False True True False True False"
        );
    }

    #[test]
    fn line_count_estimates_the_lines_of_a_paragraph_list() {
        // 28 characters + the 2-character indent fill a 30-character line; the 29th wraps.
        // Latin letters count half; an empty paragraph is a line; a width of 0 is taken as 1.
        let ctx = minijinja::context! {
            text => vec!["合".repeat(28), "合".repeat(29), "x".repeat(56), String::new()],
            empty => Vec::<String>::new(),
        };
        let source = "{{ text | line_count(30) }} {{ empty | line_count(30) }} \
            {{ text | line_count(0) }}";
        assert_eq!(render_str(source, ctx), "5 0 93");
    }

    #[test]
    fn fit_cells_converts_each_cell_width_to_ems() {
        // 2.5 cm − 2 × 4 pt = 62.9 pt = 5.99 em of 10.5 pt: five characters fit, six do not.
        let ctx = minijinja::context! { five => "入党积极分", six => "入党积极分子" };
        let source = "{{ [[five, 2.5], [\"\", 1]] | fit_cells(4, 10.5) }} \
            {{ [[five, 2.5], [six, 2.5]] | fit_cells(4, 10.5) }} {{ [] | fit_cells(4, 10.5) }}";
        assert_eq!(render_str(source, ctx), "True False True");
        let overrides = BTreeMap::from([(
            "t.typ.j2".to_string(),
            "{{ [[\"x\", \"wide\"]] | fit_cells(4, 10.5) }}".to_string(),
        )]);
        let err = Renderer::new(overrides)
            .unwrap()
            .render("t.typ.j2", &minijinja::context! {})
            .unwrap_err()
            .to_string();
        assert!(err.contains("[value, width in cm]"), "{err}");
    }

    #[test]
    fn template_errors_name_the_template_and_line() {
        let overrides = BTreeMap::from([("bad.typ.j2".to_string(), "a\n{{ x".to_string())]);
        let err = Renderer::new(overrides).err().unwrap().to_string();
        assert!(err.contains("bad.typ.j2"), "{err}");
        assert!(err.contains("第 2 行"), "{err}");
    }

    #[test]
    fn unknown_variables_are_errors_not_blanks() {
        let overrides = BTreeMap::from([("t.typ.j2".to_string(), "{{ nmae }}".to_string())]);
        let r = Renderer::new(overrides).unwrap();
        let err = r.render("t.typ.j2", &minijinja::context! {}).unwrap_err();
        assert!(err.to_string().contains("t.typ.j2"));
    }
}

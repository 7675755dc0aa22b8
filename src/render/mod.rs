//! Rendering: one minijinja environment holding the document templates (built in, or
//! overridden file by file from a user directory), producing typst markup. Every value
//! inserted from the data is escaped for typst by the environment's formatter, so the data
//! can never run typst code.

pub mod activist_registration;
pub mod annual_appraisal;
pub mod certificate;
pub mod context;
pub mod escape;
pub mod political_review;
pub mod talk_record;

use crate::config::Config;
use crate::document::DocumentKind;
use crate::model::certificate::Certificate;
use crate::model::dataset::Dataset;
use crate::plan::{Draft, PlanOptions};
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, State};
use std::collections::BTreeMap;
use thiserror::Error;

/// The templates compiled into the binary: file name → source.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    (
        "certificate.typ.j2",
        include_str!("../../templates/certificate.typ.j2"),
    ),
    (
        "activist-registration.typ.j2",
        include_str!("../../templates/activist-registration.typ.j2"),
    ),
    (
        "talk-record.typ.j2",
        include_str!("../../templates/talk-record.typ.j2"),
    ),
    (
        "political-review.typ.j2",
        include_str!("../../templates/political-review.typ.j2"),
    ),
    (
        "annual-appraisal.typ.j2",
        include_str!("../../templates/annual-appraisal.typ.j2"),
    ),
];

/// The drafts of one document kind other than the certificate (whose numbering needs the
/// rules' plan first).
pub fn drafts<'a>(
    kind: DocumentKind,
    ds: &'a Dataset,
    config: &Config,
    options: &PlanOptions,
) -> Vec<Draft<'a>> {
    match kind {
        DocumentKind::Certificate => Vec::new(),
        DocumentKind::ActivistRegistration => activist_registration::drafts(ds, config, options),
        DocumentKind::TalkRecord => talk_record::drafts(ds, config, options),
        DocumentKind::PoliticalReview => political_review::drafts(ds, config, options),
        DocumentKind::AnnualAppraisal => annual_appraisal::drafts(ds, config, options),
    }
}

/// Which records one document's template context is built from: kept by the plan instead
/// of the context itself, so that contexts exist only while their document is being made.
#[derive(Debug, Clone, PartialEq)]
pub enum ContextSource {
    /// A certificate as the rules issued it (course result, number, date).
    Certificate(Certificate),
    /// The activist registration form of the student with this 学号.
    ActivistRegistration {
        /// 学号.
        student: String,
    },
    /// One talk record.
    TalkRecord {
        /// Index of the talk in [`Dataset::talks`].
        talk: usize,
        /// Its number among the student's talks (1-based, by date).
        number: usize,
        /// How many talks the student has.
        count: usize,
    },
    /// One political review.
    PoliticalReview {
        /// Index of the review in [`Dataset::reviews`].
        review: usize,
    },
    /// One annual appraisal.
    AnnualAppraisal {
        /// Index of the appraisal in [`Dataset::appraisals`].
        appraisal: usize,
    },
}

/// Builds the template context a source names; `None` when its records are not in the
/// dataset.
pub fn context(ds: &Dataset, config: &Config, source: &ContextSource) -> Option<Value> {
    match source {
        ContextSource::Certificate(cert) => certificate::context(ds, cert, config),
        ContextSource::ActivistRegistration { student } => {
            activist_registration::context(ds, config, student)
        }
        &ContextSource::TalkRecord {
            talk,
            number,
            count,
        } => talk_record::context(ds, talk, number, count),
        &ContextSource::PoliticalReview { review } => political_review::context(ds, review),
        &ContextSource::AnnualAppraisal { appraisal } => annual_appraisal::context(ds, appraisal),
    }
}

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
}

impl Renderer {
    /// Builds the environment from the built-in templates, replacing those the user overrides
    /// (`overrides`: file name → source, e.g. from `--templates DIR`).
    pub fn new(overrides: &BTreeMap<String, String>) -> Result<Renderer, RenderError> {
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
        let mut sources: BTreeMap<String, String> = BUILTIN_TEMPLATES
            .iter()
            .map(|(name, source)| (name.to_string(), source.to_string()))
            .collect();
        for (name, source) in overrides {
            sources.insert(name.clone(), source.clone());
        }
        for (name, source) in sources {
            env.add_template_owned(name.clone(), source)
                .map_err(|e| template_error(&name, &e))?;
        }
        Ok(Renderer { env })
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
        Renderer::new(&overrides)
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
    fn template_errors_name_the_template_and_line() {
        let overrides = BTreeMap::from([("bad.typ.j2".to_string(), "a\n{{ x".to_string())]);
        let err = Renderer::new(&overrides).err().unwrap().to_string();
        assert!(err.contains("bad.typ.j2"), "{err}");
        assert!(err.contains("第 2 行"), "{err}");
    }

    #[test]
    fn unknown_variables_are_errors_not_blanks() {
        let overrides = BTreeMap::from([("t.typ.j2".to_string(), "{{ nmae }}".to_string())]);
        let r = Renderer::new(&overrides).unwrap();
        let err = r.render("t.typ.j2", &minijinja::context! {}).unwrap_err();
        assert!(err.to_string().contains("t.typ.j2"));
    }
}

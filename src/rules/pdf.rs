//! The rules report as a PDF: the template `rules-report.typ.j2` (minijinja → typst, every
//! value escaped) typeset by the engine's typesetter, with the summary per 学院/党支部, a bar
//! chart of the stages per 学院 drawn in typst, the findings and the statistics.

use super::RulesReport;
use super::stats::{BranchRow, GradeRow};
use crate::engine::{DocumentError, Engine};
use crate::render::Renderer;
use serde::Serialize;
use std::collections::BTreeMap;

/// The template's file name (in messages).
pub const TEMPLATE: &str = "rules-report.typ.j2";
/// The template's source, compiled into the binary.
const SOURCE: &str = include_str!("../../templates/rules-report.typ.j2");
/// Most findings listed in the PDF; the .xlsx has them all.
pub const MAX_LISTED: usize = 1000;
/// The longest bar of the chart, in per mille of its column.
const LONGEST_BAR: usize = 850;

/// What the template receives.
#[derive(Debug, Serialize)]
struct Context<'a> {
    /// The data files, joined.
    sources: String,
    /// 数据截至, as printed.
    as_of: String,
    /// Students in the roster.
    students: usize,
    /// All findings.
    total: usize,
    /// Findings listed.
    shown: usize,
    /// The rules with their counts.
    rules: &'a [super::RuleSummary],
    /// The stage names.
    stage_labels: &'a [&'static str],
    /// The grade names.
    grade_labels: &'a [&'static str],
    /// Per 学院/党支部.
    branches: &'a [BranchRow],
    /// The chart: per 学院, one bar per stage.
    chart: Vec<ChartRow>,
    /// The findings listed.
    findings: Vec<FindingRow>,
    /// Per course, the rate as printed.
    courses: Vec<BTreeMap<&'static str, String>>,
    /// Per branch and year.
    grades: &'a [GradeRow],
}

/// One 学院 of the chart.
#[derive(Debug, Serialize)]
struct ChartRow {
    /// 学院.
    college: String,
    /// One bar per stage.
    bars: Vec<Bar>,
}

/// One bar.
#[derive(Debug, Serialize)]
struct Bar {
    /// Students.
    count: usize,
    /// Its length, in per mille of the column (an integer: typst code gets no escaped dot).
    permille: usize,
}

/// One finding as printed.
#[derive(Debug, Serialize)]
struct FindingRow {
    /// The rule's name.
    rule: &'static str,
    /// 学号.
    student_id: String,
    /// 姓名.
    name: String,
    /// 学院 党支部.
    branch: String,
    /// The cells, without the file name when there is one file.
    cells: String,
    /// What was found.
    found: String,
    /// What is expected.
    expected: String,
}

/// The report's PDF. `sources` names the data files read.
pub fn report_pdf(
    engine: &Engine,
    report: &RulesReport,
    sources: &[String],
) -> Result<Vec<u8>, DocumentError> {
    let markup = markup(report, sources)?;
    let typeset = engine
        .typesetter()
        .compile_pdf(markup, TEMPLATE)
        .map_err(|mut e| {
            e.locate_in_template(SOURCE);
            e
        })?;
    Ok(typeset.pdf)
}

/// The report's typst markup.
pub fn markup(
    report: &RulesReport,
    sources: &[String],
) -> Result<String, crate::render::RenderError> {
    let renderer = Renderer::new(BTreeMap::from([(TEMPLATE.to_string(), SOURCE.to_string())]))?;
    let st = &report.statistics;
    let max = st
        .colleges
        .iter()
        .flat_map(|c| c.stages)
        .max()
        .unwrap_or(0)
        .max(1);
    let chart = st
        .colleges
        .iter()
        .map(|c| ChartRow {
            college: c.college.clone(),
            bars: c
                .stages
                .iter()
                .map(|&count| Bar {
                    count,
                    permille: count * LONGEST_BAR / max,
                })
                .collect(),
        })
        .collect();
    let one_file = sources.len() == 1;
    let findings = report
        .findings
        .iter()
        .take(MAX_LISTED)
        .map(|f| FindingRow {
            rule: f.rule.label(),
            student_id: f.student_id.clone(),
            name: f.name.clone(),
            branch: format!("{} {}", f.college, f.branch),
            cells: super::cells_text(&f.cells, !one_file),
            found: f.found.clone(),
            expected: f.expected.clone(),
        })
        .collect();
    let courses = st
        .courses
        .iter()
        .map(|c| {
            BTreeMap::from([
                ("course", c.course.clone()),
                ("course_type", c.course_type.clone()),
                ("participants", c.participants.to_string()),
                ("passed", c.passed.to_string()),
                ("rate", format!("{:.1}%", c.rate)),
            ])
        })
        .collect();
    let context = Context {
        sources: sources.join("、"),
        as_of: report
            .as_of
            .map(|d| d.format("%Y年%-m月%-d日").to_string())
            .unwrap_or_else(|| "—".to_string()),
        students: st.branches.iter().map(|b| b.students).sum(),
        total: report.findings.len(),
        shown: report.findings.len().min(MAX_LISTED),
        rules: &report.rules,
        stage_labels: &st.stage_labels,
        grade_labels: &st.grade_labels,
        branches: &st.branches,
        chart,
        findings,
        courses,
        grades: &st.grades,
    };
    renderer.render(
        TEMPLATE,
        &minijinja::Value::from(minijinja::value::Serde(&context)),
    )
}

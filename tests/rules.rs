//! `check --rules`: each procedure rule on a ledger that keeps it and on one that breaks it,
//! with the cells the finding names; the thresholds of `[rules]`; the report files.

mod support;

use dangjian::config::Config;
use dangjian::model::procedure::Rule;
use dangjian::read::Input;
use dangjian::rules::{Finding, check_rules};
use support::*;

/// One sheet of the test ledger: its name, header and rows.
struct Sheet {
    name: &'static str,
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Sheet {
    fn new(name: &'static str, header: &[&'static str], rows: &[&[&str]]) -> Sheet {
        Sheet {
            name,
            header: header.to_vec(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        }
    }

    /// Sets a cell of a data row (0-based) by column name.
    fn set(&mut self, row: usize, column: &str, value: &str) {
        let c = self.header.iter().position(|h| *h == column).unwrap();
        self.rows[row][c] = value.to_string();
    }
}

/// A consistent ledger: one 正式党员 whose data keep every rule.
struct Ledger {
    roster: Sheet,
    training: Sheet,
    talks: Sheet,
    reviews: Sheet,
    appraisals: Sheet,
}

impl Ledger {
    fn new() -> Ledger {
        Ledger {
            roster: Sheet::new(
                "花名册",
                &[
                    "学号",
                    "姓名",
                    "性别",
                    "出生日期",
                    "学院",
                    "党支部",
                    "申请入党日期",
                    "确定积极分子日期",
                    "确定发展对象日期",
                    "接收预备党员日期",
                    "转正日期",
                ],
                &[&[
                    "2021010101",
                    "李明",
                    "男",
                    "2003-05-12",
                    "示范学院",
                    "学生第一党支部",
                    "2021-10-08",
                    "2022-03-15",
                    "2023-04-10",
                    "2023-11-20",
                    "2024-11-20",
                ]],
            ),
            training: Sheet::new(
                "党校培训",
                &[
                    "学号",
                    "姓名",
                    "培训班",
                    "培训类别",
                    "开始日期",
                    "结束日期",
                    "学时",
                    "成绩",
                    "证书编号",
                ],
                &[&[
                    "2021010101",
                    "李明",
                    "第3期发展对象培训班",
                    "发展对象",
                    "2023-05-08",
                    "2023-05-12",
                    "24",
                    "86",
                    "",
                ]],
            ),
            talks: Sheet::new(
                "谈话记录",
                &["学号", "姓名", "谈话日期", "谈话人", "谈话类型"],
                &[&["2021010101", "李明", "2021-10-20", "王芳", "入党申请人谈话"]],
            ),
            reviews: Sheet::new(
                "政治审查",
                &["学号", "姓名", "审查日期", "审查结论"],
                &[&["2021010101", "李明", "2023-06-15", "政治审查合格"]],
            ),
            appraisals: Sheet::new(
                "民主评议",
                &["学号", "姓名", "年度", "评定等次", "学习学时"],
                &[&["2021010101", "李明", "2024", "合格", "36"]],
            ),
        }
    }

    /// The workbook's bytes.
    fn xlsx(&self) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("台账.xlsx");
        let sheets: Vec<SheetSpec<'_>> = [
            &self.roster,
            &self.training,
            &self.talks,
            &self.reviews,
            &self.appraisals,
        ]
        .iter()
        .map(|s| (s.name, &s.header[..], s.rows.clone()))
        .collect();
        write_xlsx(&path, &sheets);
        std::fs::read(path).unwrap()
    }

    /// The findings of `check --rules` on it, with a configuration.
    fn findings_with(&self, config: &Config) -> Vec<Finding> {
        let input = Input {
            name: "台账.xlsx".to_string(),
            bytes: self.xlsx(),
        };
        let ds = dangjian::load(&[input], config);
        assert_eq!(
            ds.count(dangjian::problem::Severity::Error),
            0,
            "{:?}",
            ds.problems().collect::<Vec<_>>()
        );
        check_rules(&ds, config).findings
    }

    /// The findings with the default configuration.
    fn findings(&self) -> Vec<Finding> {
        self.findings_with(&Config::default())
    }
}

/// The cells of the findings of one rule, as `sheet!A1`.
fn cells_of(findings: &[Finding], rule: Rule) -> Vec<Vec<String>> {
    findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| {
            f.cells
                .iter()
                .map(|l| match l {
                    dangjian::problem::Location::Cell(c) => format!("{}!{}", c.sheet, c.a1()),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_consistent_ledger_keeps_every_rule() {
    let findings = Ledger::new().findings();
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn age_at_application() {
    let mut l = Ledger::new();
    l.roster.set(0, "出生日期", "2003-10-08");
    assert!(
        cells_of(&l.findings(), Rule::Age).is_empty(),
        "18 on the day of the application"
    );
    l.roster.set(0, "出生日期", "2003-10-09");
    let f = l.findings();
    assert_eq!(cells_of(&f, Rule::Age), [["花名册!G2", "花名册!D2"]]);
    let finding = f.iter().find(|f| f.rule == Rule::Age).unwrap();
    assert_eq!(
        (finding.student_id.as_str(), finding.name.as_str()),
        ("2021010101", "李明")
    );
    assert!(finding.found.contains("17 周岁"), "{}", finding.found);
    assert!(
        finding.expected.contains("年满 18 周岁"),
        "{}",
        finding.expected
    );
}

#[test]
fn activist_after_application() {
    let mut l = Ledger::new();
    l.roster.set(0, "确定积极分子日期", "2021-10-08");
    assert!(cells_of(&l.findings(), Rule::ActivistAfterApplication).is_empty());
    l.roster.set(0, "确定积极分子日期", "2021-10-07");
    assert_eq!(
        cells_of(&l.findings(), Rule::ActivistAfterApplication),
        [["花名册!H2", "花名册!G2"]]
    );
}

#[test]
fn a_year_from_activist_to_candidate() {
    let mut l = Ledger::new();
    l.roster.set(0, "确定发展对象日期", "2023-03-15");
    assert!(cells_of(&l.findings(), Rule::CandidateAfterActivist).is_empty());
    l.roster.set(0, "确定发展对象日期", "2023-03-14");
    assert_eq!(
        cells_of(&l.findings(), Rule::CandidateAfterActivist),
        [["花名册!I2", "花名册!H2"]]
    );
}

#[test]
fn candidate_training_hours_days_and_presence() {
    let mut l = Ledger::new();
    l.training.set(0, "学时", "20");
    assert_eq!(
        cells_of(&l.findings(), Rule::CandidateTraining),
        [["党校培训!G2"]]
    );
    let mut l = Ledger::new();
    l.training.set(0, "结束日期", "2023-05-10");
    assert!(
        cells_of(&l.findings(), Rule::CandidateTraining).is_empty(),
        "3 days"
    );
    l.training.set(0, "结束日期", "2023-05-09");
    assert_eq!(
        cells_of(&l.findings(), Rule::CandidateTraining),
        [["党校培训!E2", "党校培训!F2"]]
    );
    let mut l = Ledger::new();
    l.training.set(0, "培训类别", "入党积极分子");
    l.training.set(0, "培训班", "第8期入党积极分子培训班");
    assert_eq!(
        cells_of(&l.findings(), Rule::CandidateTraining),
        [["花名册!J2"]],
        "a received member without a 发展对象 course"
    );
}

#[test]
fn a_political_review_before_reception() {
    let mut l = Ledger::new();
    l.reviews.set(0, "审查日期", "2023-11-20");
    assert!(cells_of(&l.findings(), Rule::ReviewBeforeReception).is_empty());
    l.reviews.set(0, "审查日期", "2023-11-21");
    assert_eq!(
        cells_of(&l.findings(), Rule::ReviewBeforeReception),
        [["花名册!J2", "政治审查!C2"]]
    );
    l.reviews.rows.clear();
    assert_eq!(
        cells_of(&l.findings(), Rule::ReviewBeforeReception),
        [["花名册!J2"]]
    );
}

#[test]
fn reception_after_candidacy() {
    let mut l = Ledger::new();
    l.roster.set(0, "接收预备党员日期", "2023-04-10");
    l.roster.set(0, "转正日期", "2024-04-10");
    l.reviews.set(0, "审查日期", "2023-04-01");
    assert!(cells_of(&l.findings(), Rule::ReceptionAfterCandidate).is_empty());
    l.roster.set(0, "接收预备党员日期", "2023-04-09");
    assert_eq!(
        cells_of(&l.findings(), Rule::ReceptionAfterCandidate),
        [["花名册!J2", "花名册!I2"]]
    );
}

#[test]
fn a_year_of_probation() {
    let mut l = Ledger::new();
    l.roster.set(0, "转正日期", "2024-11-19");
    assert_eq!(
        cells_of(&l.findings(), Rule::Probation),
        [["花名册!K2", "花名册!J2"]]
    );
}

#[test]
fn a_talk_within_a_month_of_the_application() {
    let mut l = Ledger::new();
    l.talks.set(0, "谈话日期", "2021-11-08");
    assert!(
        cells_of(&l.findings(), Rule::TalkAfterApplication).is_empty(),
        "a month to the day"
    );
    l.talks.set(0, "谈话日期", "2021-11-09");
    assert_eq!(
        cells_of(&l.findings(), Rule::TalkAfterApplication),
        [["花名册!G2", "谈话记录!C2"]]
    );
    l.talks.rows.clear();
    assert_eq!(
        cells_of(&l.findings(), Rule::TalkAfterApplication),
        [["花名册!G2"]]
    );
}

#[test]
fn a_recent_application_is_not_yet_due_for_its_talk() {
    let mut l = Ledger::new();
    l.talks.rows.clear();
    // The latest date of the data is the application itself: the month has not passed.
    l.roster.set(0, "申请入党日期", "2025-06-01");
    l.roster.set(0, "确定积极分子日期", "");
    l.roster.set(0, "确定发展对象日期", "");
    l.roster.set(0, "接收预备党员日期", "");
    l.roster.set(0, "转正日期", "");
    l.training.rows.clear();
    l.reviews.rows.clear();
    l.appraisals.rows.clear();
    assert!(cells_of(&l.findings(), Rule::TalkAfterApplication).is_empty());
}

#[test]
fn thirty_two_hours_a_year_for_full_members() {
    let mut l = Ledger::new();
    l.appraisals.set(0, "学习学时", "32");
    assert!(cells_of(&l.findings(), Rule::MemberHours).is_empty());
    l.appraisals.set(0, "学习学时", "30");
    assert_eq!(
        cells_of(&l.findings(), Rule::MemberHours),
        [["民主评议!E2"]]
    );
    // Without the column, the courses that ended that year count.
    l.appraisals.set(0, "学习学时", "");
    l.training.rows.push(
        [
            "2021010101",
            "李明",
            "2024年党员集中轮训",
            "党员",
            "2024-03-01",
            "2024-03-05",
            "16",
            "合格",
            "",
        ]
        .map(String::from)
        .to_vec(),
    );
    assert_eq!(
        cells_of(&l.findings(), Rule::MemberHours),
        [["民主评议!C2", "党校培训!G3"]]
    );
    l.training.set(1, "学时", "40");
    assert!(cells_of(&l.findings(), Rule::MemberHours).is_empty());
}

#[test]
fn one_appraisal_a_year() {
    let mut l = Ledger::new();
    l.appraisals.rows.push(l.appraisals.rows[0].clone());
    assert_eq!(
        cells_of(&l.findings(), Rule::YearlyAppraisal),
        [["民主评议!C2", "民主评议!C3"]]
    );
    // A second member appraised in 2025: the first lacks a 2025 appraisal.
    let mut l = Ledger::new();
    let mut other = l.roster.rows[0].clone();
    other[0] = "2021010102".into();
    other[1] = "王红".into();
    l.roster.rows.push(other);
    l.appraisals.rows.push(
        ["2021010102", "王红", "2025", "合格", "36"]
            .map(String::from)
            .to_vec(),
    );
    let f = l.findings();
    let missing: Vec<_> = f
        .iter()
        .filter(|f| f.rule == Rule::YearlyAppraisal)
        .collect();
    assert_eq!(missing.len(), 2, "{missing:#?}");
    assert_eq!(
        (
            missing[0].student_id.as_str(),
            missing[0].found.contains("2025")
        ),
        ("2021010101", true)
    );
    assert_eq!(cells_of(&f, Rule::YearlyAppraisal)[0], ["花名册!J2"]);
    assert_eq!(
        (
            missing[1].student_id.as_str(),
            missing[1].found.contains("2024")
        ),
        ("2021010102", true)
    );
}

#[test]
fn certificates_only_for_passed_exams() {
    let mut l = Ledger::new();
    l.training.set(0, "证书编号", "2023030001");
    assert!(cells_of(&l.findings(), Rule::CertificatePassed).is_empty());
    l.training.set(0, "成绩", "55");
    assert_eq!(
        cells_of(&l.findings(), Rule::CertificatePassed),
        [["党校培训!I2", "党校培训!H2"]]
    );
}

#[test]
fn thresholds_come_from_the_rules_section() {
    let config = Config::from_toml(
        "dangjian.toml",
        "[rules]\nmin_age = 19\nmember_hours_per_year = 40\n",
    )
    .unwrap();
    let f = Ledger::new().findings_with(&config);
    assert_eq!(cells_of(&f, Rule::Age), [["花名册!G2", "花名册!D2"]]);
    assert_eq!(cells_of(&f, Rule::MemberHours), [["民主评议!E2"]]);
    let age = f.iter().find(|f| f.rule == Rule::Age).unwrap();
    assert!(age.expected.contains("年满 19 周岁"), "{}", age.expected);
    // The same thresholds give the warnings on reading.
    let input = Input {
        name: "台账.xlsx".to_string(),
        bytes: Ledger::new().xlsx(),
    };
    let ds = dangjian::load(&[input], &config);
    let warnings: Vec<String> = ds.problems().map(|p| p.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("台账.xlsx › 花名册 › G2") && w.contains("19 周岁")),
        "{warnings:#?}"
    );
    let e = Config::from_toml("a.toml", "[rules]\nmin_age = 300\n").unwrap_err();
    assert!(e.to_string().contains("rules.min_age"), "{e}");
}

#[test]
fn check_rules_prints_a_table_and_writes_the_pdf_and_xlsx() {
    let mut l = Ledger::new();
    l.roster.set(0, "出生日期", "2004-01-01");
    l.appraisals.set(0, "学习学时", "20");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("台账.xlsx"), l.xlsx()).unwrap();
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--rules",
            "--data",
            "台账.xlsx",
            "--out",
            "检查报告.pdf",
        ],
    );
    assert_eq!(r.code, 1, "findings: exit 1\n{}", r.all());
    assert!(r.stdout.contains("发现 2 条问题"), "{}", r.stdout);
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("申请入党年龄") && l.contains("2021010101"))
        .unwrap_or_else(|| panic!("{}", r.stdout));
    assert!(
        line.contains("台账.xlsx › 花名册 › G2") && line.contains("应递交入党申请书时年满 18 周岁"),
        "{line}"
    );

    let pdf = std::fs::read(dir.path().join("检查报告.pdf")).unwrap();
    let text = squeeze(&pdf_text(&pdf));
    for expected in [
        "发展党员程序检查报告",
        "申请入党年龄",
        "花名册›G2",
        "示范学院",
        "各学院发展阶段分布",
        "党校培训合格率",
        "民主评议等次分布",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }

    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(dir.path().join("检查报告.xlsx")).unwrap();
    let rows = wb.worksheet_range("问题清单").unwrap();
    let cells: Vec<Vec<String>> = rows
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(cells[0][..4], ["序号", "规则", "学号", "姓名"]);
    assert_eq!(cells.len(), 3, "{cells:?}");
    assert!(
        cells
            .iter()
            .any(|r| r[1] == "党员年度学时" && r[6].contains("民主评议 › E2"))
    );

    // Same ledger, same reports.
    let before = (
        pdf,
        std::fs::read(dir.path().join("检查报告.xlsx")).unwrap(),
    );
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--rules",
            "--data",
            "台账.xlsx",
            "--out",
            "检查报告2.pdf",
        ],
    );
    assert_eq!(r.code, 1);
    let after = (
        std::fs::read(dir.path().join("检查报告2.pdf")).unwrap(),
        std::fs::read(dir.path().join("检查报告2.xlsx")).unwrap(),
    );
    assert!(before == after, "deterministic");
}

#[test]
fn the_report_never_overwrites_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::new().xlsx();
    std::fs::write(dir.path().join("台账.xlsx"), &ledger).unwrap();
    // `--out 台账.pdf` would write its .xlsx over the ledger.
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--rules",
            "--data",
            "台账.xlsx",
            "--out",
            "台账.pdf",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("就是输入的数据文件"), "{}", r.stderr);
    assert_eq!(std::fs::read(dir.path().join("台账.xlsx")).unwrap(), ledger);
    assert!(!dir.path().join("台账.pdf").exists());
    // The report files belong to --rules.
    let r = run_in(
        dir.path(),
        &["check", "--data", "台账.xlsx", "--out", "r.pdf"],
    );
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(!dir.path().join("r.pdf").exists());
}

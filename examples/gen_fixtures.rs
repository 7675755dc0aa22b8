//! Regenerates every input fixture under `fixtures/` (sample, injection, rare and bad
//! files), checks them by reading them back with calamine, and rewrites
//! `fixtures/expected_problems.csv` and the generated part of `fixtures/README.md`.
//!
//! ```text
//! cargo run --example gen_fixtures               # xlsx / csv / bad files
//! cargo run --example gen_fixtures -- --convert  # also .xls/.ods via fixtures/convert.sh
//! ```
//!
//! Output is deterministic: running it twice gives byte-identical files (the
//! LibreOffice conversions excepted).

#[path = "../fixtures/generator/mod.rs"]
mod generator;

use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use calamine::{CellErrorType, Data, Reader};
use chrono::Datelike;
use generator::{
    Cell, Column, CourseKind, DateFormat, DateStyle, Rng, RosterOptions, Score, SheetData, Stage,
    Student, TrainingOptions, TrainingRecord, course, course_after, reference_date,
};

/// Seed of every fixture.
const SEED: u64 = 20_250_630;

/// The injection string planted in 专业, 备注 and 培训班.
const INJECTION: &str = r"$x$ * @ref <tag> \ ] [ # // /* _";

/// Size of the oversized cell (10 MiB of UTF-8).
const BIG_CELL_BYTES: usize = 10 * 1024 * 1024;

/// One planted problem, for README.md and expected_problems.csv.
struct Expect {
    file: String,
    sheet: String,
    cell: String,
    column: String,
    value: String,
    severity: &'static str,
    expected: String,
}

/// Everything the generator produces, kept in memory until checked.
#[derive(Default)]
struct Build {
    files: BTreeMap<String, Vec<u8>>,
    expects: Vec<Expect>,
    facts: Vec<String>,
}

impl Build {
    fn add(&mut self, path: &str, bytes: Vec<u8>) {
        self.files.insert(path.to_string(), bytes);
    }

    #[allow(clippy::too_many_arguments)]
    fn expect(
        &mut self,
        file: &str,
        sheet: &str,
        cell: String,
        column: &str,
        value: &str,
        severity: &'static str,
        expected: &str,
    ) {
        self.expects.push(Expect {
            file: file.to_string(),
            sheet: sheet.to_string(),
            cell,
            column: column.to_string(),
            value: value.to_string(),
            severity,
            expected: expected.to_string(),
        });
    }

    /// Records a problem at data row `i`, column `key` of `sheet`.
    fn expect_at(
        &mut self,
        file: &str,
        sheet: &SheetData,
        i: usize,
        key: &str,
        severity: &'static str,
        expected: &str,
    ) {
        let value = sheet.get(i, key).display();
        let header = sheet.columns[sheet.col(key)].header.clone();
        self.expect(
            file,
            &sheet.name,
            sheet.cell_ref(i, key),
            &header,
            &value,
            severity,
            expected,
        );
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let convert = std::env::args().any(|a| a == "--convert");

    let build = build_all();
    let again = build_all();
    assert_eq!(build.files, again.files, "generation is not deterministic");

    for (path, bytes) in &build.files {
        let full = root.join(path);
        fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        fs::write(&full, bytes).unwrap_or_else(|e| panic!("write {}: {e}", full.display()));
        println!("{:>12}  fixtures/{path}", bytes.len());
    }
    write_expectations(&root, &build);

    if convert {
        let status = std::process::Command::new("bash")
            .arg(root.join("convert.sh"))
            .status()
            .expect("run convert.sh");
        assert!(status.success(), "convert.sh failed");
    }
    verify(&root);
    println!(
        "ok: {} files, {} planted problems",
        build.files.len(),
        build.expects.len()
    );
}

fn build_all() -> Build {
    let mut b = Build::default();
    sample(&mut b);
    injection(&mut b);
    rare(&mut b);
    bad(&mut b);
    b
}

// ---------------------------------------------------------------------------
// Sample
// ---------------------------------------------------------------------------

/// The exam course of a student, if they sit the 第12期/第5期 exam.
fn exam_course(s: &Student) -> Option<generator::Course> {
    match s.stage {
        Stage::Activist => s
            .activist_on
            .map(|d| course_after(CourseKind::Activist, d))
            .filter(|c| c.period == 12),
        Stage::Candidate => s
            .candidate_on
            .map(|d| course_after(CourseKind::Candidate, d))
            .filter(|c| c.period == 5),
        _ => None,
    }
}

/// Makes the special students of the sample; returns the indices of the six students
/// whose roster row gets a planted problem.
fn sample_students() -> (Vec<Student>, Vec<usize>) {
    let mut st = generator::students(78, SEED);
    let mut rng = Rng::derive(SEED, "sample-specials");
    let in_exam: Vec<bool> = st.iter().map(|s| exam_course(s).is_some()).collect();

    // 阿依古丽·买买提: a 外国语学院 student sitting the exam; the roster writes `•`.
    let uy = (0..st.len())
        .filter(|&i| in_exam[i] && st[i].college == "外国语学院")
        .max_by_key(|&i| !st[i].male)
        .expect("a 外国语学院 exam student");
    {
        let s = &mut st[uy];
        s.male = false;
        s.name = "阿依古丽·买买提".to_string();
        s.roster_name = Some("阿依古丽\u{2022}买买提".to_string());
        s.ethnicity = "维吾尔族".to_string();
        s.native_place = "新疆乌鲁木齐".to_string();
        s.reissue_id("650102", &mut rng);
    }
    // 王芳, written `王  芳` (two spaces for alignment) in the roster.
    let wf = (0..st.len())
        .find(|&i| in_exam[i] && i != uy && !st[i].male && st[i].college == "计算机科学与技术学院")
        .expect("a female computer-science exam student");
    st[wf].name = "王芳".to_string();
    st[wf].roster_name = Some("王  芳".to_string());

    // Guarantee a few two- and four-character names.
    let specials = [uy, wf];
    let count =
        |st: &[Student], n: usize| st.iter().filter(|s| s.name.chars().count() == n).count();
    let forced4 = [("欧阳思远", true), ("司马若琳", false)];
    let mut k = 0;
    for i in (5..st.len()).step_by(17) {
        if count(&st, 4) >= 2 || k >= forced4.len() {
            break;
        }
        if !specials.contains(&i) && st[i].male == forced4[k].1 {
            st[i].name = forced4[k].0.to_string();
            k += 1;
        }
    }
    let forced2 = ["李娜", "张强", "刘洋"];
    let mut k = 0;
    for i in (3..st.len()).step_by(11) {
        if count(&st, 2) >= 3 || k >= forced2.len() {
            break;
        }
        if !specials.contains(&i) && st[i].name.chars().count() == 3 {
            st[i].name = forced2[k].to_string();
            st[i].male = k > 0;
            let area = st[i].id_number[..6].to_string();
            st[i].reissue_id(&area, &mut rng);
            k += 1;
        }
    }

    // Six students (not sitting the exam) get one roster problem each, spread out.
    let mut bad = Vec::new();
    for target in [4usize, 17, 30, 43, 57, 70] {
        let i = (target..st.len())
            .chain(0..target)
            .find(|&i| !in_exam[i] && !specials.contains(&i) && !bad.contains(&i))
            .expect("a student outside the exam");
        bad.push(i);
    }
    (st, bad)
}

fn sample(b: &mut Build) {
    let (students, bad) = sample_students();

    // --- 花名册.xlsx ------------------------------------------------------
    let file = "sample/花名册.xlsx";
    let opts = RosterOptions {
        sheet_name: "2025年学生党员花名册".to_string(),
        title: vec![
            "江城大学2025年学生入党积极分子及党员花名册".to_string(),
            "填报单位：党委学生工作部（盖章）\u{3000}\u{3000}\u{3000}\u{3000}填报时间：2025年6月30日"
                .to_string(),
        ],
        aliases: true,
        date_style: DateStyle::Mixed(SEED),
        footer_gap: 1,
        footer: vec!["制表人：张老师".to_string(), "填表日期：2025年6月30日".to_string()],
    };
    let mut roster = generator::roster_sheet(&students, &opts);
    // 马克思主义学院 typed its 学号 as numbers.
    for (i, s) in students.iter().enumerate() {
        if s.college == "马克思主义学院" {
            let n: f64 = s.student_no.parse().expect("numeric 学号");
            roster.set(i, "学号", Cell::Number(n));
        }
    }
    // Blank rows in the middle (inserted after the numbering, as a user would).
    roster.insert_blank(52);
    roster.insert_blank(26);
    let row_of = |sheet: &SheetData, s: &Student| {
        sheet
            .find("学号", &s.student_no)
            .or_else(|| sheet.find("姓名", s.name_in_roster()))
            .expect("row of student")
    };
    let st = |k: usize| &students[bad[k]];

    // 1. impossible date
    let r = row_of(&roster, st(0));
    let y = st(0).birth_date.format("%Y");
    roster.set(r, "出生日期", Cell::text(format!("{y}-02-30")));
    b.expect_at(
        file,
        &roster,
        r,
        "出生日期",
        "错误",
        "日期不存在（2月没有30日）",
    );
    // 2. wrong check digit
    let r = row_of(&roster, st(1));
    let good = &st(1).id_number;
    let wrong = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']
        .into_iter()
        .find(|&c| !good.ends_with(c))
        .expect("another check char");
    let id = format!("{}{wrong}", &good[..17]);
    roster.set(r, "身份证号", Cell::text(&id));
    b.expect_at(
        file,
        &roster,
        r,
        "身份证号",
        "警告",
        &format!(
            "身份证号校验位错误（应为 {}；SPEC 将身份证号的各项检查列为警告）",
            &good[17..]
        ),
    );
    // 3. ID birth date disagrees with 出生日期 (one year off)
    let r = row_of(&roster, st(2));
    let shown = st(2)
        .birth_date
        .with_year(st(2).birth_date.year() - 1)
        .unwrap_or(st(2).birth_date - chrono::Duration::days(365));
    roster.set(r, "出生日期", Cell::Date(shown, DateFormat::Iso));
    b.expect_at(
        file,
        &roster,
        r,
        "出生日期",
        "警告",
        &format!(
            "出生日期与身份证号 {} 中的出生日期 {} 不一致",
            st(2).id_number,
            st(2).birth_date.format("%Y-%m-%d")
        ),
    );
    // 4. #N/A error cell (a failed VLOOKUP pasted as formula)
    let r = row_of(&roster, st(3));
    roster.set(r, "民族", Cell::na());
    b.expect_at(
        file,
        &roster,
        r,
        "民族",
        "错误",
        "单元格是 Excel 错误值 #N/A",
    );
    // 5. missing 学号
    let r = row_of(&roster, st(4));
    roster.set(r, "学号", Cell::Empty);
    b.expect_at(
        file,
        &roster,
        r,
        "学号",
        "错误",
        &format!("缺少必填的学号（该行姓名 {}）", st(4).name_in_roster()),
    );
    // 6. unknown 性别
    let r = row_of(&roster, st(5));
    roster.set(r, "性别", Cell::text("未知"));
    b.expect_at(file, &roster, r, "性别", "错误", "性别只能是 男 或 女");

    // Month-only birth dates could hide a check; the warning row is a full date cell.
    b.facts.push(format!(
        "`sample/花名册.xlsx` › `{}`: title rows 1–2, header row {}, {} students in rows {}–{} \
         with blank rows {} and {}, footer `制表人：张老师` in A{} and `填表日期：2025年6月30日` in A{} \
         (one blank row before them). 学号 of 马克思主义学院 rows are numeric cells; all other \
         学号 and every 身份证号 are text. Names written `阿依古丽•买买提` (U+2022) in {} and \
         `王  芳` in {} normalise to `阿依古丽·买买提` / `王芳` used by every other sheet.",
        roster.name,
        roster.header_row_number(),
        students.len(),
        roster.row_number(0),
        roster.row_number(roster.rows.len() - 1),
        roster.row_number(26),
        roster.row_number(53),
        roster.footer_row_number(0),
        roster.footer_row_number(1),
        roster.cell_ref(row_of(&roster, students.iter().find(|s| s.name.contains('·')).expect("uy")), "姓名"),
        roster.cell_ref(row_of(&roster, students.iter().find(|s| s.name == "王芳").expect("wf")), "姓名"),
    ));
    let stages: Vec<String> = [
        Stage::Activist,
        Stage::Candidate,
        Stage::Probationary,
        Stage::Full,
    ]
    .iter()
    .map(|&g| {
        format!(
            "{} {}",
            g.political_label(),
            students.iter().filter(|s| s.stage == g).count()
        )
    })
    .collect();
    b.facts
        .push(format!("Stages (政治面貌 column): {}.", stages.join("，")));
    b.add(file, generator::workbook_xlsx(&[roster]));

    // --- 党校成绩.xlsx ----------------------------------------------------
    let file = "sample/党校成绩.xlsx";
    let mut exam = generator::training_exam(&students, SEED);
    exam.sort_by_key(|r| r.course.category != "入党积极分子");
    force_grades(&mut exam);
    let activists: Vec<usize> = (0..exam.len())
        .filter(|&i| exam[i].course.category == "入党积极分子")
        .collect();
    let candidates: Vec<usize> = (0..exam.len())
        .filter(|&i| exam[i].course.category == "发展对象")
        .collect();
    assert!(
        activists.len() >= 12 && candidates.len() >= 4,
        "exam too small"
    );
    let is_special = |r: &TrainingRecord| r.name == "王芳" || r.name.contains('·');
    let pick = |list: &[usize], from: usize| -> usize {
        list[from..]
            .iter()
            .copied()
            .find(|&i| !is_special(&exam[i]))
            .expect("row")
    };
    let a_fail55 = pick(&activists, 2);
    let a_failword = pick(&activists, 5);
    let a_105 = pick(&activists, 8);
    let a_baddate = pick(&activists, 10);
    let a_cert = pick(&activists, 1);
    let c_20 = pick(&candidates, 1);
    exam[a_fail55].score = Score::Points(55.0);
    exam[a_failword].score = Score::Grade("不合格".to_string());
    exam[a_cert].certificate_no = Some("江党校结〔2025〕088号".to_string());
    exam[c_20].hours = 20.0;
    // Name typo: first row (not special, not planted) whose name has a homophone swap.
    let swaps = [
        ('明', '铭'),
        ('文', '雯'),
        ('静', '婧'),
        ('丽', '莉'),
        ('杰', '洁'),
        ('宇', '雨'),
        ('浩', '皓'),
        ('婷', '亭'),
        ('思', '斯'),
        ('晨', '辰'),
        ('欣', '馨'),
        ('佳', '嘉'),
        ('伟', '玮'),
        ('涛', '韬'),
        ('琳', '林'),
        ('颖', '莹'),
        ('峰', '锋'),
        ('雪', '雲'),
    ];
    let planted = [a_fail55, a_failword, a_105, a_baddate, a_cert, c_20];
    let (a_name, roster_name, typo) = activists
        .iter()
        .chain(candidates.iter())
        .filter(|&&i| !planted.contains(&i) && !is_special(&exam[i]))
        .find_map(|&i| {
            let n = &exam[i].name;
            swaps
                .iter()
                .find(|(from, _)| n.chars().skip(1).any(|c| c == *from))
                .map(|(f, t)| {
                    let mut done = false;
                    let typo: String = n
                        .chars()
                        .enumerate()
                        .map(|(k, c)| {
                            if k > 0 && c == *f && !done {
                                done = true;
                                *t
                            } else {
                                c
                            }
                        })
                        .collect();
                    (i, n.clone(), typo)
                })
        })
        .expect("a name with a homophone");
    exam[a_name].name = typo.clone();
    // A student who is not in the roster, inserted among the 积极分子.
    let outsider_at = activists[activists.len() / 2];
    let mut outsider = exam[outsider_at].clone();
    outsider.student_no = "2023110299".to_string();
    outsider.name = "孙浩然".to_string();
    outsider.score = Score::Points(81.0);
    assert!(students.iter().all(|s| s.student_no != outsider.student_no));
    exam.insert(outsider_at, outsider);
    let shift = |i: usize| if i >= outsider_at { i + 1 } else { i };
    let (a_fail55, a_failword, a_105, a_baddate, a_cert, c_20, a_name) = (
        shift(a_fail55),
        shift(a_failword),
        shift(a_105),
        shift(a_baddate),
        shift(a_cert),
        shift(c_20),
        shift(a_name),
    );

    let topts = TrainingOptions {
        sheet_name: "党校第12期结业考试成绩".to_string(),
        title: vec![
            "江城大学党校第12期入党积极分子培训班、第5期发展对象培训班结业考试成绩".to_string(),
        ],
        aliases: true,
        date_style: DateStyle::Mixed(SEED),
    };
    let mut training = generator::training_sheet(&exam, &topts);
    training.set(a_105, "成绩", Cell::Number(105.0));
    training.set(a_baddate, "结束日期", Cell::text("2025-04-31"));
    b.expect_at(
        file,
        &training,
        a_105,
        "成绩",
        "错误",
        "成绩应在 0–100 之间",
    );
    b.expect_at(
        file,
        &training,
        a_baddate,
        "结束日期",
        "错误",
        "日期不存在（4月没有31日）",
    );
    b.expect_at(
        file,
        &training,
        outsider_at,
        "学号",
        "错误",
        "学号不在花名册中（该行不发证）",
    );
    b.expect_at(
        file,
        &training,
        a_name,
        "姓名",
        "错误",
        &format!("姓名与花名册不一致（花名册为 {roster_name}）"),
    );
    b.expect_at(
        file,
        &training,
        a_fail55,
        "成绩",
        "不发证",
        "成绩 55 低于及格线 60，不发结业证书",
    );
    b.expect_at(
        file,
        &training,
        a_failword,
        "成绩",
        "不发证",
        "成绩 不合格，不发结业证书",
    );
    b.expect_at(
        file,
        &training,
        c_20,
        "学时",
        "不发证",
        "发展对象培训学时 20 少于 24 学时，不发结业证书",
    );
    b.expect_at(
        file,
        &training,
        a_cert,
        "证书编号",
        "提示",
        "证书编号已给出，证书使用该编号（其余行自动编号）",
    );
    let refused = 8;
    b.facts.push(format!(
        "`sample/党校成绩.xlsx` › `{}`: title row 1, header row 2, {} data rows {}–{} ({} 第12期入党积极分子培训班 \
         rows incl. the outsider, {} 第5期发展对象培训班 rows). Expected certificates: {} \
         (every row except the {} rows listed below); the 证书编号 column is empty except {}.",
        training.name,
        training.rows.len(),
        training.row_number(0),
        training.row_number(training.rows.len() - 1),
        activists.len() + 1,
        candidates.len(),
        training.rows.len() - refused,
        refused,
        training.cell_ref(a_cert, "证书编号"),
    ));

    // Second kind of sheet in the same workbook: a few talks of exam students.
    let exam_nos: Vec<&str> = exam.iter().map(|r| r.student_no.as_str()).collect();
    let talks: Vec<generator::Talk> = generator::talks(&students, SEED)
        .into_iter()
        .filter(|t| {
            exam_nos.contains(&t.student_no.as_str()) && t.student_no != exam[a_name].student_no
        })
        .take(5)
        .collect();
    let talk_sheet = generator::talks_sheet(&talks, "谈话记录");
    let notes = SheetData::free_text(
        "填表说明",
        &[
            "填表说明",
            "1. 学号、姓名须与学院花名册一致，学号请设置为文本格式。",
            "2. 成绩填写百分制分数，免考或考查课程填写“合格/不合格”。",
            "3. 结业证书编号由党校统一生成，无需填写；补发证书请填写原编号。",
            "4. 发展对象培训班累计学时不少于24学时（不少于3天）。",
            "5. 本表请于结业考试后一周内报送党校办公室。",
        ],
    );
    b.facts.push(format!(
        "`sample/党校成绩.xlsx` also holds `谈话记录` ({} valid talk rows, rows 2–{}) and `填表说明` \
         (free text, an unrecognised sheet → reported, not fatal).",
        talk_sheet.rows.len(),
        talk_sheet.row_number(talk_sheet.rows.len() - 1)
    ));
    b.expect(
        file,
        "填表说明",
        "—".to_string(),
        "—",
        "",
        "提示",
        "无法识别的工作表，跳过并报告（不影响其他工作表）",
    );
    b.add(
        file,
        generator::workbook_xlsx(&[training.clone(), talk_sheet, notes]),
    );

    // --- CSV variants of the training sheet -------------------------------
    let csv = generator::sheet_csv(&training);
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&csv);
    assert!(!unmappable, "training CSV not representable in GBK");
    b.add("sample/党校成绩_GBK.csv", gbk.into_owned());
    b.add(
        "sample/党校成绩_UTF8_BOM.csv",
        format!("\u{FEFF}{csv}").into_bytes(),
    );
    b.add("sample/党校成绩_UTF8.csv", csv.clone().into_bytes());
    for f in [
        "党校成绩_GBK.csv",
        "党校成绩_UTF8_BOM.csv",
        "党校成绩_UTF8.csv",
    ] {
        for e in b
            .expects
            .iter()
            .filter(|e| e.file == "sample/党校成绩.xlsx" && e.sheet == training.name)
            .map(|e| Expect {
                file: format!("sample/{f}"),
                sheet: "—".to_string(),
                cell: e.cell.clone(),
                column: e.column.clone(),
                value: e.value.clone(),
                severity: e.severity,
                expected: e.expected.clone(),
            })
            .collect::<Vec<_>>()
        {
            b.expects.push(e);
        }
    }

    // --- 学生党建台账.xlsx ------------------------------------------------
    ledger(b, &students);
}

/// Makes sure the exam holds at least one 合格, 良好 and 优秀 (on ordinary rows).
fn force_grades(exam: &mut [TrainingRecord]) {
    for (k, word) in ["合格", "良好", "优秀"].into_iter().enumerate() {
        if !exam
            .iter()
            .any(|r| r.score == Score::Grade(word.to_string()))
        {
            let i = 3 + 4 * k;
            exam[i].score = Score::Grade(word.to_string());
        }
    }
}

fn ledger(b: &mut Build, students: &[Student]) {
    let file = "sample/学生党建台账.xlsx";
    // The ledger's students carry the optional columns of the official forms (most of them).
    let students = &generator::with_forms(students, SEED);
    let mut sheets = generator::ledger_sheets(students, SEED);
    let mut rng = Rng::derive(SEED, "ledger-specials");

    // One 入党前谈话 of a member becomes a ≥ 3 000-character record.
    let talk = &mut sheets[2];
    let member = students
        .iter()
        .find(|s| s.stage == Stage::Full && s.college == "马克思主义学院")
        .expect("a full member");
    let i = (0..talk.rows.len())
        .find(|&i| {
            talk.get(i, "学号").display() == member.student_no
                && talk.get(i, "谈话类型").display() == "入党前谈话"
        })
        .expect("入党前谈话 of member");
    let (date, talker, recorder) = match (
        talk.get(i, "谈话日期"),
        talk.get(i, "谈话人"),
        talk.get(i, "记录人"),
    ) {
        (Cell::Date(d, _), t, r) => (*d, t.display(), r.display()),
        _ => unreachable!(),
    };
    let long = generator::long_talk(member, date, &talker, &recorder);
    assert!(long.content.chars().count() >= 3000);
    talk.set(i, "谈话内容", Cell::text(&long.content));
    b.facts.push(format!(
        "`sample/学生党建台账.xlsx` › `谈话记录` {}: a {}-character 入党前谈话 with {} line breaks \
         (student {} {}).",
        talk.cell_ref(i, "谈话内容"),
        long.content.chars().count(),
        long.content.matches('\n').count(),
        member.student_no,
        member.name
    ));
    let mut per: BTreeMap<&str, usize> = BTreeMap::new();
    for r in 0..talk.rows.len() {
        let cell = talk.get(r, "学号").display();
        *per.entry(
            students
                .iter()
                .find(|s| s.student_no == cell)
                .map_or("", |s| s.student_no.as_str()),
        )
        .or_default() += 1;
    }
    let max = per.values().max().copied().unwrap_or(0);
    b.facts.push(format!(
        "`谈话记录`: {} talks for {} students (up to {} talks per student).",
        talk.rows.len(),
        per.len(),
        max
    ));

    // A political review of a student who is only 入党积极分子.
    let staff = generator::Staff::new(students, SEED);
    let activist = students
        .iter()
        .rev()
        .find(|s| s.stage == Stage::Activist)
        .expect("an activist");
    let review = generator::review_for(
        activist,
        reference_date() - chrono::Duration::days(12),
        &mut rng,
        &staff,
    );
    let rs = &mut sheets[3];
    let one = generator::reviews_sheet(&[review], "x");
    rs.rows.push(one.rows[0].clone());
    let last = rs.rows.len() - 1;
    b.expect_at(
        file,
        &sheets[3].clone(),
        last,
        "学号",
        "警告",
        &format!(
            "{} 仍是入党积极分子（未确定为发展对象），却有政治审查记录",
            activist.name
        ),
    );

    // One student with 12 relatives.
    let big_family = students
        .iter()
        .find(|s| s.stage == Stage::Probationary)
        .expect("a probationary member");
    let mut relatives = generator::relatives(students, SEED);
    let pos = relatives
        .iter()
        .position(|r| r.student_no == big_family.student_no)
        .expect("relatives");
    relatives.retain(|r| r.student_no != big_family.student_no);
    let twelve = generator::relatives_for(big_family, 12, &mut rng);
    assert_eq!(twelve.len(), 12);
    for (k, r) in twelve.into_iter().enumerate() {
        relatives.insert(pos + k, r);
    }
    let mut family = generator::relatives_sheet(&relatives, "家庭成员");
    family.title = sheets[4].title.clone();
    b.facts.push(format!(
        "`家庭成员`: {} rows; {} {} has 12 relatives (rows {}–{}), everyone else 3–5.",
        family.rows.len(),
        big_family.student_no,
        big_family.name,
        family.row_number(pos),
        family.row_number(pos + 11)
    ));
    sheets[4] = family;

    // Appraisal: one branch/year with inconsistent vote totals; one member below 32 学时.
    let ap = &mut sheets[5];
    let branch_of = |no: &str| {
        students
            .iter()
            .find(|s| s.student_no == no)
            .map(|s| (s.college.clone(), s.branch.clone()))
            .expect("student")
    };
    let mut groups: BTreeMap<(String, String, String), Vec<usize>> = BTreeMap::new();
    for i in 0..ap.rows.len() {
        let (c, br) = branch_of(&ap.get(i, "学号").display());
        groups
            .entry((ap.get(i, "年度").display(), c, br))
            .or_default()
            .push(i);
    }
    let ((year, college, branch), rows) = groups
        .iter()
        .find(|(k, v)| k.0 == "2025" && v.len() >= 3)
        .map(|(k, v)| (k.clone(), v.clone()))
        .expect("a branch with ≥ 3 appraisals");
    let total = |ap: &SheetData, i: usize| -> f64 {
        ["优秀票", "合格票", "基本合格票", "不合格票"]
            .iter()
            .map(|k| match ap.get(i, k) {
                Cell::Number(n) => *n,
                _ => 0.0,
            })
            .sum()
    };
    let t0 = total(ap, rows[0]);
    let odd = rows[1];
    let ok = match ap.get(odd, "合格票") {
        Cell::Number(n) => *n,
        _ => unreachable!(),
    };
    ap.set(odd, "合格票", Cell::Number(ok + 2.0));
    // Its 应参评/实参评人数 stay blank, so that the planted total is the row's only problem.
    if ap.has_col("实参评人数") {
        ap.set(odd, "应参评人数", Cell::Empty);
        ap.set(odd, "实参评人数", Cell::Empty);
    }
    let ap_snapshot = ap.clone();
    b.expect_at(
        file,
        &ap_snapshot,
        odd,
        "合格票",
        "警告",
        &format!(
            "{college}{branch} {year} 年度其他各行票数合计为 {t0}，此行合计为 {}（票数不一致）",
            t0 + 2.0
        ),
    );
    // A full member during the whole appraisal year (转正 in an earlier year).
    let low = (0..ap.rows.len())
        .find(|&i| {
            let no = ap.get(i, "学号").display();
            let year: i32 = ap.get(i, "年度").display().parse().expect("year");
            i != odd
                && students
                    .iter()
                    .any(|s| s.student_no == no && s.full_on.is_some_and(|d| d.year() < year))
        })
        .expect("an appraisal of a full member");
    ap.set(low, "学习学时", Cell::Number(28.0));
    let ap_snapshot = ap.clone();
    b.expect_at(
        file,
        &ap_snapshot,
        low,
        "学习学时",
        "警告",
        "正式党员每年学习培训不少于 32 学时（此行 28，该生上一年已转正）",
    );
    b.facts.push(format!(
        "`民主评议`: {} rows (年度 2024 and 2025, members only). Within every 党支部 and 年度 the four \
         vote counts add up to the same total, except {college}{branch} {year} (see below).",
        ap.rows.len()
    ));
    let blank: Vec<String> = students
        .iter()
        .filter(|s| s.forms.is_none())
        .map(|s| format!("{} {}（{}）", s.student_no, s.name, s.stage.label()))
        .collect();
    b.facts.push(format!(
        "Form columns: {} of {} students have the optional columns of the official forms \
         (花名册 政治面貌…党小组意见, 谈话人意见/谈话方式/谈话主题/备注, 政治审查 政治面貌/审查内容/政审结论, \
         民主评议 per-semester 七个一/个人总结/互评意见/群众评议意见/应参评人数/实参评人数/备注) and 4–5 \
         `简历` rows; these {} leave them blank: {}.",
        students.len() - blank.len(),
        students.len(),
        blank.len(),
        blank.join("，")
    ));
    let counts: Vec<String> = sheets
        .iter()
        .map(|s| format!("`{}` {}", s.name, s.rows.len()))
        .collect();
    b.facts.push(format!(
        "`sample/学生党建台账.xlsx` sheets and data rows (title row 1, header row 2, data from row 3): {}.",
        counts.join("，")
    ));
    b.add(file, generator::workbook_xlsx(&sheets));
}

// ---------------------------------------------------------------------------
// Injection and rare characters
// ---------------------------------------------------------------------------

/// Activists of a fresh cohort who sit the 第12期 exam (so a certificate follows).
fn exam_activists(seed: u64, n: usize) -> Vec<Student> {
    let pool = generator::students(60, seed);
    let picked: Vec<Student> = pool
        .into_iter()
        .filter(|s| s.stage == Stage::Activist && exam_course(s).is_some())
        .take(n)
        .collect();
    assert_eq!(picked.len(), n, "not enough exam activists");
    picked
}

fn passing_training(students: &[Student]) -> Vec<TrainingRecord> {
    students
        .iter()
        .enumerate()
        .map(|(k, s)| TrainingRecord {
            student_no: s.student_no.clone(),
            name: s.name.clone(),
            course: course(CourseKind::Activist, 2025, false),
            hours: 16.0,
            score: Score::Points(80.0 + k as f64),
            certificate_no: None,
        })
        .collect()
}

fn injection(b: &mut Build) {
    let file = "injection/注入.xlsx";
    let mut st = exam_activists(SEED + 1, 4);
    st[0].name = r#"#read("/etc/passwd")]"#.to_string();
    st[1].major = INJECTION.to_string();
    st[1].remark = INJECTION.to_string();
    let mut tr = passing_training(&st);
    tr[1].course.name = format!("第12期入党积极分子培训班{INJECTION}");
    let roster = generator::roster_sheet(&st, &RosterOptions::default());
    let training = generator::training_sheet(&tr, &TrainingOptions::default());
    for (sheet, i, key) in [
        (&roster, 0, "姓名"),
        (&training, 0, "姓名"),
        (&roster, 1, "专业"),
        (&roster, 1, "备注"),
        (&training, 1, "培训班"),
    ] {
        b.expect_at(
            file,
            sheet,
            i,
            key,
            "无",
            "合法数据：原样打印在证书/登记表中，不得被 typst 解释；4 人均应得到结业证书",
        );
    }
    b.add(file, generator::workbook_xlsx(&[roster, training]));
}

fn rare(b: &mut Build) {
    let file = "rare/生僻字.xlsx";
    let mut st = exam_activists(SEED + 2, 3);
    st[0].name = "陈\u{2020C}明".to_string();
    st[1].name = "张\u{E000}婷".to_string();
    st[1].male = false;
    let area = st[1].id_number[..6].to_string();
    let mut rng = Rng::derive(SEED, "rare");
    st[1].reissue_id(&area, &mut rng);
    let roster = generator::roster_sheet(&st, &RosterOptions::default());
    let training = generator::training_sheet(&passing_training(&st), &TrainingOptions::default());
    b.expect_at(
        file,
        &roster,
        0,
        "姓名",
        "警告",
        "U+2020C（CJK 扩展 B）：字体无此字时报告学生、字段和码位；证书照常生成",
    );
    b.expect(
        file,
        &roster.name,
        roster.cell_ref(1, "姓名"),
        "姓名",
        "张<U+E000>婷",
        "错误",
        "U+E000（私用区，Windows 造字）：没有字体覆盖，该生的文书不生成（不印空白方框），报告学生、字段和码位；--font-path rare/造字字体 提供含该字的字体后照常生成",
    );
    b.add(file, generator::workbook_xlsx(&[roster, training]));
}

// ---------------------------------------------------------------------------
// Bad files
// ---------------------------------------------------------------------------

fn small_roster(seed: u64, n: usize) -> (Vec<Student>, SheetData) {
    let st: Vec<Student> = generator::students(n, seed);
    let sheet = generator::roster_sheet(&st, &RosterOptions::default());
    (st, sheet)
}

fn bad(b: &mut Build) {
    // 损坏.xlsx: a valid workbook cut in the middle of the zip.
    let (_, sheet) = small_roster(SEED + 10, 12);
    let whole = generator::workbook_xlsx(&[sheet]);
    let cut = whole[..whole.len() / 2].to_vec();
    b.expect(
        "bad/损坏.xlsx",
        "—",
        "—".into(),
        "—",
        &format!("{} of {} bytes", cut.len(), whole.len()),
        "错误",
        "文件已损坏（zip 被截断），无法打开；报告文件名，不崩溃",
    );
    b.add("bad/损坏.xlsx", cut);

    // 改名的文本.xlsx: plain UTF-8 text with an xlsx name.
    let txt = "关于做好2025年上半年学生党员发展工作的通知\r\n\r\n各学院党总支：\r\n\
               根据校党委工作安排，现将2025年上半年学生党员发展工作有关事项通知如下。\r\n\
               一、请各党总支于6月20日前报送发展对象名单及政治审查材料。\r\n\
               二、花名册请使用附件模板填写，学号、身份证号列设置为文本格式。\r\n\
               \r\n党委组织部\r\n2025年5月30日\r\n";
    b.add("bad/改名的文本.xlsx", txt.as_bytes().to_vec());
    b.expect(
        "bad/改名的文本.xlsx",
        "—",
        "—".into(),
        "—",
        "UTF-8 text",
        "错误",
        "不是 xlsx 文件（内容是文本），无法打开",
    );

    // 随机字节.xls
    let mut rng = Rng::derive(SEED, "random-bytes");
    let bytes: Vec<u8> = (0..8192).map(|_| rng.next_u64() as u8).collect();
    assert!(!bytes.starts_with(&[0xD0, 0xCF]) && !bytes.starts_with(b"PK"));
    b.add("bad/随机字节.xls", bytes);
    b.expect(
        "bad/随机字节.xls",
        "—",
        "—".into(),
        "—",
        "8192 random bytes",
        "错误",
        "不是 xls 文件，无法打开",
    );

    // 空表.xlsx
    b.add(
        "bad/空表.xlsx",
        generator::workbook_xlsx(&[SheetData::new("花名册", Vec::new())]),
    );
    b.expect(
        "bad/空表.xlsx",
        "花名册",
        "—".into(),
        "—",
        "",
        "错误",
        "工作表为空（没有表头），报告而不崩溃",
    );

    // 只有表头.xlsx
    b.add(
        "bad/只有表头.xlsx",
        generator::workbook_xlsx(&[generator::roster_sheet(&[], &RosterOptions::default())]),
    );
    b.expect(
        "bad/只有表头.xlsx",
        "花名册",
        "A1".into(),
        "—",
        "",
        "提示",
        "只有表头行（第1行），没有数据行；不生成任何文档",
    );

    // 超大单元格.xlsx: 备注 of row 3 holds 10 MiB; rust_xlsxwriter refuses > 32 767
    // characters, so a placeholder is written and sharedStrings.xml is patched.
    let (_, mut sheet) = small_roster(SEED + 11, 5);
    const PLACEHOLDER: &str = "@@BIG_CELL@@";
    sheet.set(1, "备注", Cell::text(PLACEHOLDER));
    let cell = sheet.cell_ref(1, "备注");
    let xlsx = generator::workbook_xlsx(&[sheet]);
    let unit = "该同志在校期间表现良好，积极参加各项活动。";
    let mut big = String::with_capacity(BIG_CELL_BYTES + unit.len());
    while big.len() < BIG_CELL_BYTES {
        big.push_str(unit);
    }
    let chars = big.chars().count();
    let patched = patch_zip_entry(&xlsx, "xl/sharedStrings.xml", |xml| {
        let n = xml.matches(PLACEHOLDER).count();
        assert_eq!(n, 1);
        xml.replace(PLACEHOLDER, &big)
    });
    b.add("bad/超大单元格.xlsx", patched);
    b.expect(
        "bad/超大单元格.xlsx",
        "花名册",
        cell,
        "备注",
        &format!("{} bytes / {chars} characters", big.len()),
        "错误",
        "单元格超过 Excel 上限 32767 字符；报告该单元格（或截断并警告），不得耗尽内存或卡死",
    );

    // 百万空行.xlsx: 5 rows, then exactly 1 000 000 blank rows, then one cell.
    let (_, mut sheet) = small_roster(SEED + 12, 5);
    sheet.footer_gap = 1_000_000;
    sheet.footer = vec!["制表人：张老师".to_string()];
    let far = sheet.footer_row_number(0);
    b.expect(
        "bad/百万空行.xlsx",
        "花名册",
        format!("A{far}"),
        "—",
        "制表人：张老师",
        "提示",
        "数据在第2–6行；其后 1 000 000 个空行（第7–1000006行）再有一个表尾单元格；应快速读完，5 行数据正常",
    );
    b.add("bad/百万空行.xlsx", generator::workbook_xlsx(&[sheet]));

    // 数字身份证.xlsx: 身份证号 typed into a General column → numbers with 15 digits.
    let (st, mut sheet) = small_roster(SEED + 13, 8);
    let file = "bad/数字身份证.xlsx";
    for (i, s) in st.iter().enumerate() {
        if s.id_number.ends_with('X') {
            continue; // Excel keeps an ID ending in X as text
        }
        let digits15 = format!("{}000", &s.id_number[..15]);
        sheet.set(
            i,
            "身份证号",
            Cell::Number(digits15.parse().expect("number")),
        );
    }
    let numeric: Vec<usize> = (0..st.len())
        .filter(|&i| matches!(sheet.get(i, "身份证号"), Cell::Number(_)))
        .collect();
    assert!(numeric.len() >= 6);
    for &i in &numeric {
        let s = &st[i];
        let shown = match sheet.get(i, "身份证号") {
            Cell::Number(n) => format!("{n:e} (number; true ID {})", s.id_number),
            _ => unreachable!(),
        };
        let e = Expect {
            file: file.into(),
            sheet: sheet.name.clone(),
            cell: sheet.cell_ref(i, "身份证号"),
            column: "身份证号".into(),
            value: shown,
            severity: "错误",
            expected: "身份证号是数字单元格，末几位已丢失；请将该列设为文本后重新录入".into(),
        };
        b.expects.push(e);
    }
    b.add(file, generator::workbook_xlsx(&[sheet]));

    // 缺少必填列.xlsx
    let (_, mut sheet) = small_roster(SEED + 14, 6);
    sheet.remove_column("党支部");
    b.add("bad/缺少必填列.xlsx", generator::workbook_xlsx(&[sheet]));
    b.expect(
        "bad/缺少必填列.xlsx",
        "花名册",
        "—".into(),
        "党支部",
        "",
        "错误",
        "花名册缺少必填列“党支部”（别名 所在支部/支部/所在党支部）；找不到表头行，整表报告",
    );

    // 不认识的表.xlsx
    let mut pay = SheetData::new(
        "工资表",
        ["工号", "姓名", "部门", "基本工资", "绩效工资", "应发合计"]
            .iter()
            .map(|k| Column::new(k, 12.0))
            .collect(),
    );
    let mut rng = Rng::derive(SEED, "pay");
    for k in 0..6 {
        let base = rng.range(4000, 9000) as f64;
        let bonus = rng.range(1000, 5000) as f64;
        pay.rows.push(vec![
            Cell::text(format!("T{:04}", 1001 + k)),
            Cell::text(generator::names::adult_name(&mut rng)),
            Cell::text(["财务处", "后勤处", "图书馆"][k % 3]),
            Cell::Number(base),
            Cell::Number(bonus),
            Cell::Formula {
                formula: format!("D{0}+E{0}", k + 2),
                result: format!("{}", base + bonus),
            },
        ]);
    }
    b.add("bad/不认识的表.xlsx", generator::workbook_xlsx(&[pay]));
    b.expect(
        "bad/不认识的表.xlsx",
        "工资表",
        "—".into(),
        "—",
        "",
        "错误",
        "无法识别的工作表（名称和表头都不属于任何一类）；报告，不猜测；没有可处理的数据",
    );

    // 日期错误.xlsx
    let file = "bad/日期错误.xlsx";
    let (_, mut sheet) = small_roster(SEED + 15, 6);
    for (i, key, value, why) in [
        (0, "出生日期", "2003-13-01", "月份 13 不存在"),
        (1, "申请入党日期", "明年", "不是日期"),
        (2, "出生日期", "2003年2月30日", "2月没有30日"),
        (
            3,
            "出生日期",
            "12/05/2003",
            "不支持的日期格式（日/月还是月/日不明确）",
        ),
    ] {
        sheet.set(i, key, Cell::text(value));
        b.expect_at(file, &sheet, i, key, "错误", &format!("日期无效：{why}"));
    }
    b.add(file, generator::workbook_xlsx(&[sheet]));

    // GBK无BOM乱码.csv: GBK text with byte sequences invalid in both UTF-8 and GB18030.
    let (st, _) = small_roster(SEED + 16, 4);
    let rows = generator::training_sheet(
        &passing_training(&st),
        &TrainingOptions {
            date_style: DateStyle::Excel(DateFormat::Slash),
            ..TrainingOptions::default()
        },
    );
    let mut csv = generator::sheet_csv(&rows);
    let name = st[2].name.clone();
    csv = csv.replacen(&name, "@@BAD@@", 1);
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&csv);
    assert!(!unmappable);
    let gbk = gbk.into_owned();
    let at = find(&gbk, b"@@BAD@@").expect("placeholder");
    let mut bytes = gbk[..at].to_vec();
    bytes.extend_from_slice(&[0xFF, 0xFE, 0x81, 0x20, 0xC2]);
    bytes.extend_from_slice(&gbk[at + 7..]);
    for enc in [encoding_rs::UTF_8, encoding_rs::GB18030] {
        assert!(
            enc.decode_without_bom_handling_and_without_replacement(&bytes)
                .is_none(),
            "{} decodes the bad CSV",
            enc.name()
        );
    }
    b.expect(
        "bad/GBK无BOM乱码.csv",
        "—",
        "B4".into(),
        "姓名",
        &format!("bytes FF FE 81 20 C2 at offset {at}"),
        "错误",
        "既不是 UTF-8 也不是 GBK/GB18030：报告编码无法识别（最好指出第4行），不输出乱码",
    );
    b.add("bad/GBK无BOM乱码.csv", bytes);
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Rewrites one entry of a zip (deflated, fixed 1980 timestamps, same entry order).
fn patch_zip_entry(zip_bytes: &[u8], entry: &str, f: impl FnOnce(&str) -> String) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip_bytes)).expect("read zip");
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut f = Some(f);
    for k in 0..archive.len() {
        let mut file = archive.by_index(k).expect("entry");
        let name = file.name().expect("entry name").into_owned();
        let mut data = Vec::new();
        file.read_to_end(&mut data).expect("inflate");
        if name == entry {
            let text = String::from_utf8(data).expect("utf-8 xml");
            data = (f.take().expect("one entry"))(&text).into_bytes();
        }
        writer.start_file(name, options).expect("start entry");
        writer.write_all(&data).expect("write entry");
    }
    assert!(f.is_none(), "entry {entry} not found");
    writer.finish().expect("finish zip").into_inner()
}

// ---------------------------------------------------------------------------
// Expectations
// ---------------------------------------------------------------------------

fn write_expectations(root: &Path, b: &Build) {
    let mut csv = String::from("file,sheet,cell,column,value,severity,expected\n");
    let q = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    for e in &b.expects {
        let fields = [
            &e.file,
            &e.sheet,
            &e.cell,
            &e.column,
            &e.value,
            e.severity,
            &e.expected,
        ];
        csv.push_str(&fields.iter().map(|f| q(f)).collect::<Vec<_>>().join(","));
        csv.push('\n');
    }
    fs::write(root.join("expected_problems.csv"), csv).expect("write expected_problems.csv");

    let mut md = String::new();
    md.push_str("### Facts\n\n");
    for f in &b.facts {
        md.push_str(&format!("- {f}\n"));
    }
    md.push_str("\n### Planted problems\n\n");
    md.push_str(
        "| file | sheet | cell | column (header as written) | value | severity | expected |\n",
    );
    md.push_str("|---|---|---|---|---|---|---|\n");
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    for e in b
        .expects
        .iter()
        .filter(|e| !e.file.ends_with(".csv") || e.file.starts_with("bad/"))
    {
        let value = if e.value.chars().count() > 60 {
            format!("{}…", e.value.chars().take(60).collect::<String>())
        } else {
            e.value.clone()
        };
        md.push_str(&format!(
            "| {} | {} | {} | {} | `{}` | {} | {} |\n",
            cell(&e.file),
            cell(&e.sheet),
            cell(&e.cell),
            cell(&e.column),
            cell(&value).replace('`', "'"),
            e.severity,
            cell(&e.expected)
        ));
    }
    md.push_str(
        "\nThe three CSV variants of the training sheet hold the same problems in the same cells \
         as `sample/党校成绩.xlsx` › `党校第12期结业考试成绩` (they are in `expected_problems.csv`).\n",
    );
    let readme = root.join("README.md");
    let old = fs::read_to_string(&readme).unwrap_or_default();
    const BEGIN: &str = "<!-- BEGIN GENERATED (gen_fixtures) -->";
    const END: &str = "<!-- END GENERATED -->";
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(a), Some(z)) if a < z => {
            format!("{}{BEGIN}\n\n{md}\n{}", &old[..a], &old[z..])
        }
        _ => format!("{old}\n{BEGIN}\n\n{md}\n{END}\n"),
    };
    fs::write(readme, new).expect("write README.md");
}

// ---------------------------------------------------------------------------
// Read-back checks (calamine, as the tool reads them)
// ---------------------------------------------------------------------------

fn verify(root: &Path) {
    let p = |s: &str| -> PathBuf { root.join(s) };

    // Sample roster: title kept, #N/A read as an error, dates as dates, numeric 学号.
    let mut wb = calamine::open_workbook_auto(p("sample/花名册.xlsx")).expect("open roster");
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).expect("roster range");
    let text_at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert!(matches!(text_at(0, 0), Data::String(ref s) if s.contains("花名册")));
    let mut na = 0;
    let mut dates = 0;
    let mut floats = 0;
    for row in range.rows() {
        for c in row {
            match c {
                Data::Error(CellErrorType::NA) => na += 1,
                Data::DateTime(_) => dates += 1,
                Data::Float(_) => floats += 1,
                _ => {}
            }
        }
    }
    assert_eq!(na, 1, "#N/A cell");
    assert!(dates > 50 && floats > 10, "dates {dates}, numbers {floats}");

    // Every date format used by the generator must come back as a date.
    let mut wb = calamine::open_workbook_auto(p("sample/党校成绩.xlsx")).expect("open training");
    assert_eq!(
        wb.sheet_names(),
        vec!["党校第12期结业考试成绩", "谈话记录", "填表说明"]
    );
    let range = wb.worksheet_range("党校第12期结业考试成绩").expect("range");
    assert!(
        range
            .rows()
            .flatten()
            .any(|c| matches!(c, Data::DateTime(_)))
    );

    // Oversized cell.
    let mut wb = calamine::open_workbook_auto(p("bad/超大单元格.xlsx")).expect("open big");
    let range = wb.worksheet_range("花名册").expect("range");
    let longest = range
        .rows()
        .flatten()
        .map(|c| match c {
            Data::String(s) => s.len(),
            _ => 0,
        })
        .max()
        .unwrap_or(0);
    assert!(longest >= BIG_CELL_BYTES, "big cell {longest}");

    // Numeric IDs are numbers.
    let mut wb = calamine::open_workbook_auto(p("bad/数字身份证.xlsx")).expect("open ids");
    let range = wb.worksheet_range("花名册").expect("range");
    let id_col = range
        .rows()
        .next()
        .expect("header")
        .iter()
        .position(|c| *c == Data::String("身份证号".into()))
        .expect("身份证号 column") as u32;
    assert!(matches!(
        range.get_value((1, id_col)),
        Some(Data::Float(_)) | Some(Data::String(_))
    ));
    assert!(
        range
            .rows()
            .skip(1)
            .any(|r| matches!(r[id_col as usize], Data::Float(_)))
    );

    // The far cell, via the streaming reader (a dense range would be huge).
    let mut xlsx: calamine::Xlsx<_> =
        calamine::open_workbook(p("bad/百万空行.xlsx")).expect("open far");
    let mut reader = xlsx.worksheet_cells_reader("花名册").expect("cells");
    let mut last = (0, 0);
    while let Some(c) = reader.next_cell().expect("cell") {
        last = c.get_position();
    }
    assert_eq!(last, (1_000_006, 0), "far cell position");

    // Broken files must not open.
    for f in ["bad/损坏.xlsx", "bad/改名的文本.xlsx", "bad/随机字节.xls"] {
        assert!(calamine::open_workbook_auto(p(f)).is_err(), "{f} opened");
    }

    // LibreOffice conversions, when present: same text cells (titles, footers, bad values),
    // same number of date cells, and the #N/A cell.
    for (src, conv) in [
        ("sample/花名册.xlsx", "sample/花名册.xls"),
        ("sample/花名册.xlsx", "sample/花名册.ods"),
        ("sample/党校成绩.xlsx", "sample/党校成绩.xls"),
        ("sample/党校成绩.xlsx", "sample/党校成绩.ods"),
    ] {
        if !p(conv).exists() {
            println!("note: {conv} missing (run fixtures/convert.sh)");
            continue;
        }
        let first = |f: &str| {
            let mut wb = calamine::open_workbook_auto(p(f)).expect("open");
            let names = wb.sheet_names();
            let range = wb.worksheet_range(&names[0]).expect("range");
            (names, range)
        };
        let (names_a, a) = first(src);
        let (names_b, b) = first(conv);
        assert_eq!(names_a, names_b, "{conv}: sheet names");
        let strings = |r: &calamine::Range<Data>| -> Vec<(usize, usize, String)> {
            r.cells()
                .filter_map(|(i, j, c)| match c {
                    Data::String(s) if s != "#N/A" => Some((i, j, s.clone())),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(strings(&a), strings(&b), "{conv}: text cells differ");
        let dates = |r: &calamine::Range<Data>| {
            r.cells()
                .filter(|(_, _, c)| matches!(c, Data::DateTime(_) | Data::DateTimeIso(_)))
                .count()
        };
        assert_eq!(dates(&a), dates(&b), "{conv}: date cells differ");
        let err = a
            .cells()
            .find(|(_, _, c)| matches!(c, Data::Error(_)))
            .map(|(i, j, _)| (i as u32, j as u32));
        let note = err.map_or(String::new(), |pos| {
            format!(
                "; {}{} reads as {:?}",
                generator::col_letters(pos.1 as usize),
                pos.0 + 1,
                b.get_value(pos)
            )
        });
        println!(
            "checked {conv}: {} text cells and {} date cells as in the xlsx{note}",
            strings(&b).len(),
            dates(&b)
        );
    }
}

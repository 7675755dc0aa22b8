//! The run's configuration (`dangjian.toml`): the issuing organisation, the pass rules, the
//! certificate-number pattern, the archive layout and extra header aliases. Every key has a
//! sensible default, so the tool works with no configuration at all.

pub mod number_pattern;

use crate::bundle::layout::check_document_pattern;
use crate::typeset::Budget;
use number_pattern::NumberPattern;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use thiserror::Error;

/// Everything a user can configure. Unknown keys are refused, so a typo never passes silently.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The issuing organisations: school, party school, organisation department.
    pub organization: OrganizationConfig,
    /// The certificate: issuer, seal, pass rule, numbering.
    pub certificate: CertificateConfig,
    /// The archive: where each document goes.
    pub output: OutputConfig,
    /// Extra header names per standard column, e.g. `学号 = ["学生证号"]`.
    pub aliases: BTreeMap<String, Vec<String>>,
    /// Bounds on what a run takes in.
    pub limits: LimitsConfig,
    /// How workbooks are read.
    pub read: ReadConfig,
    /// The thresholds of the procedure rules (`check --rules`).
    pub rules: RulesConfig,
    /// The web service (`dangjian serve`).
    pub server: ServerConfig,
}

/// The thresholds of the procedure rules of recruiting a member (SPEC.md › Rules, from the
/// seed and 《中国共产党发展党员工作细则》), checked as warnings on reading and listed by
/// `check --rules`. The defaults are the national rules; a school may be stricter.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RulesConfig {
    /// Least age at 申请入党日期: 18.
    pub min_age: u32,
    /// Least whole years from 确定积极分子 to 确定发展对象: 1.
    pub activist_years: u32,
    /// Least 学时 of the 发展对象 training: 24.
    pub candidate_training_hours: f64,
    /// Least days of the 发展对象 training (开始 to 结束, both counted): 3.
    pub candidate_training_days: u32,
    /// Least whole years from 接收预备党员 to 转正 (the probation): 1.
    pub probation_years: u32,
    /// Most months from 申请入党 to the first talk with the applicant: 1.
    pub talk_within_months: u32,
    /// Least 学时 of training a full member has each year: 32.
    pub member_hours_per_year: f64,
}

impl Default for RulesConfig {
    fn default() -> Self {
        RulesConfig {
            min_age: 18,
            activist_years: 1,
            candidate_training_hours: 24.0,
            candidate_training_days: 3,
            probation_years: 1,
            talk_within_months: 1,
            member_hours_per_year: 32.0,
        }
    }
}

/// Bounds of the web service: each request, and how many run at once.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Largest request (all uploaded files together), in MB: 50.
    pub upload_mb: u64,
    /// Longest a request may take, upload and download included, in seconds: 1800.
    pub timeout_s: u64,
    /// Jobs (checks and renders) run at once; 0 (the default) = one per core.
    pub max_jobs: usize,
    /// Jobs that may wait for a free place; one more is answered 503 at once: 8.
    pub queue: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            upload_mb: 50,
            timeout_s: 1800,
            max_jobs: 0,
            queue: 8,
        }
    }
}

/// How workbooks are read.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ReadConfig {
    /// Read hidden sheets too (`--include-hidden`); by default they are skipped with a
    /// warning, since a hidden sheet is often a stale copy.
    pub include_hidden: bool,
}

/// Bounds on what a run takes in, so that no input can take unbounded memory or time.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Largest input file, in MB (default 100: a 100 000-row workbook is about 10 MB).
    pub input_mb: u64,
    /// Most characters in a name (姓名, 谈话人 …): 50.
    pub name_chars: usize,
    /// Most characters in an identifier (学号, 身份证号, 证书编号, 联系电话): 40.
    pub id_chars: usize,
    /// Most characters in any other short field (学院, 培训班, 谈话地点 …): 200.
    pub short_text_chars: usize,
    /// Most characters in a long text (谈话内容, 本人政治表现, 审查结论, 评语, 备注 …):
    /// 10 000, about ten printed pages.
    pub long_text_chars: usize,
    /// Most pages one document may have once typeset: 60.
    pub pages_per_document: usize,
    /// Longest time one document may take to typeset, in seconds: 30 (the longest the
    /// built-in forms take, at the field limits, is well under a second).
    pub typeset_seconds: u64,
    /// Most MB of memory (resident) the run may hold while typesetting: 4096. Past it, the document
    /// typesetting longest is stopped and refused; the others go on.
    pub typeset_memory_mb: u64,
    /// Most rows in one sheet: 200 000 (a whole university's ledger fits many times over).
    pub rows_per_sheet: u32,
    /// Most MB a workbook's parts may take once inflated: 512 (a 4 MB xlsx that inflates to
    /// 4 GB is refused before it is read).
    pub unzipped_mb: u64,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            input_mb: 100,
            name_chars: 50,
            id_chars: 40,
            short_text_chars: 200,
            long_text_chars: 10_000,
            pages_per_document: 60,
            typeset_seconds: 30,
            typeset_memory_mb: 4096,
            rows_per_sheet: 200_000,
            unzipped_mb: 512,
        }
    }
}

/// What kind of text a column holds, for its length limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A person's name.
    Name,
    /// An identifier or number.
    Id,
    /// A short field.
    Short,
    /// A long free text.
    Long,
}

impl TextKind {
    /// The columns of long free text (opinions, summaries, talk contents …).
    pub const LONG_COLUMNS: [&'static str; 14] = [
        "谈话内容",
        "谈话人意见",
        "本人政治表现",
        "审查结论",
        "审查方式",
        "评语",
        "备注",
        "个人总结",
        "互评意见",
        "奖惩情况",
        "群众评议意见",
        "审查内容",
        "团组织推优意见",
        "党小组意见",
    ];

    /// The columns of people's names.
    pub const NAME_COLUMNS: [&'static str; 6] =
        ["姓名", "成员姓名", "谈话人", "记录人", "审查人", "证明人"];

    /// The columns of identifiers.
    pub const ID_COLUMNS: [&'static str; 4] = ["学号", "身份证号", "证书编号", "联系电话"];

    /// The kind of a standard column.
    pub fn of(column: &str) -> TextKind {
        if TextKind::NAME_COLUMNS.contains(&column) {
            TextKind::Name
        } else if TextKind::ID_COLUMNS.contains(&column) {
            TextKind::Id
        } else if TextKind::LONG_COLUMNS.contains(&column) {
            TextKind::Long
        } else {
            TextKind::Short
        }
    }

    /// The setting that bounds it, for messages.
    pub fn setting(self) -> &'static str {
        match self {
            TextKind::Name => "name_chars",
            TextKind::Id => "id_chars",
            TextKind::Short => "short_text_chars",
            TextKind::Long => "long_text_chars",
        }
    }
}

impl LimitsConfig {
    /// The most characters a column's cell may hold.
    pub fn chars(&self, kind: TextKind) -> usize {
        match kind {
            TextKind::Name => self.name_chars,
            TextKind::Id => self.id_chars,
            TextKind::Short => self.short_text_chars,
            TextKind::Long => self.long_text_chars,
        }
    }

    /// The largest input file, in bytes.
    pub fn input_bytes(&self) -> u64 {
        self.input_mb.saturating_mul(1_048_576)
    }

    /// What typesetting one document may take.
    pub fn typeset_budget(&self) -> Budget {
        Budget {
            time: Some(Duration::from_secs(self.typeset_seconds)),
            heap_bytes: Some(
                usize::try_from(self.typeset_memory_mb.saturating_mul(1_048_576))
                    .unwrap_or(usize::MAX),
            ),
        }
    }
}

/// The organisations named on the forms. Each is derived from the school when not given
/// (`东方理工大学` → `中共东方理工大学委员会党校`, `中共东方理工大学委员会组织部`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct OrganizationConfig {
    /// The school, e.g. `东方理工大学`.
    pub school: String,
    /// The party school (党校), issuer of the 结业证书; `certificate.issuer` also sets it.
    pub party_school: String,
    /// The organisation department (组织部), whose imprint (`…组织部制`) the 登记表 carries.
    pub organization_department: String,
}

/// An organisation a document names, read from the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Issuer {
    /// The party school (the certificate's 落款).
    PartySchool,
    /// The organisation department (the imprint of the 登记表).
    OrganizationDepartment,
}

impl Issuer {
    /// The setting that names it, for messages: `organization.party_school`.
    pub fn setting(self) -> &'static str {
        match self {
            Issuer::PartySchool => "organization.party_school",
            Issuer::OrganizationDepartment => "organization.organization_department",
        }
    }

    /// Its Chinese name, for messages: 党校名称.
    pub fn label(self) -> &'static str {
        match self {
            Issuer::PartySchool => "党校名称",
            Issuer::OrganizationDepartment => "组织部名称",
        }
    }
}

/// Settings of the 党校结业证书.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CertificateConfig {
    /// The party school issuing the certificate, e.g. `中共××大学委员会党校`.
    pub issuer: String,
    /// The seal's text (usually the issuer), for templates that print a seal guide; the
    /// built-in certificate prints none: the real seal is stamped over its 落款.
    pub seal_text: String,
    /// Lowest passing score (inclusive).
    pub pass_mark: f64,
    /// Minimum hours per course type (培训类别); types not listed need 0 hours.
    pub min_hours: BTreeMap<String, f64>,
    /// Pattern of generated certificate numbers; fields 年份, 期次, 序号 with an optional
    /// zero-padded width such as `{序号:04}`.
    pub number_pattern: String,
    /// Fixed issue date (`2025-06-30`); when absent, each certificate is dated at its course's end.
    pub issue_date: Option<String>,
}

/// Settings of the archive.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct OutputConfig {
    /// Path of each document inside the zip; fields 学院, 党支部, 班级, 学号, 姓名, 文档名, 年度.
    pub path_pattern: String,
}

/// The default issuer when none is configured: the neutral placeholder used on printed forms.
pub const DEFAULT_ISSUER: &str = "中共××大学委员会党校";

impl Default for CertificateConfig {
    fn default() -> Self {
        CertificateConfig {
            issuer: DEFAULT_ISSUER.to_string(),
            seal_text: String::new(),
            pass_mark: 60.0,
            // 发展对象 training: at least 3 days or 24 学时 (seed, 《发展党员工作细则》).
            min_hours: BTreeMap::from([("发展对象".to_string(), 24.0)]),
            number_pattern: "{年份}{期次:02}{序号:04}".to_string(),
            issue_date: None,
        }
    }
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig {
            path_pattern: "{学院}/{党支部}/{学号}_{姓名}/{文档名}.pdf".to_string(),
        }
    }
}

/// A configuration that cannot be used; the message says what to change.
#[derive(Debug, Error, PartialEq)]
pub enum ConfigError {
    /// The configuration file could not be read.
    #[error("无法读取配置文件 {}：{message}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        message: String,
    },
    /// The TOML could not be parsed or holds an unknown key or a wrong type.
    #[error("配置文件 {file} 有误：{message}")]
    Syntax {
        /// The configuration file's name.
        file: String,
        /// What the TOML parser said.
        message: String,
    },
    /// A value is out of range or malformed.
    #[error("配置文件 {file} 中 {key} 的值「{value}」无效：{expected}")]
    Value {
        /// The configuration file's name.
        file: String,
        /// The key, e.g. `certificate.pass_mark`.
        key: String,
        /// The value given.
        value: String,
        /// What is expected.
        expected: String,
    },
    /// The layout given on the command line (`--layout`) is not a valid path pattern.
    #[error("--layout 的路径模式「{pattern}」无效：{reason}")]
    Layout {
        /// The pattern given.
        pattern: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// The file looked for in the current directory when no configuration is named.
pub const DEFAULT_FILE: &str = "dangjian.toml";

/// The configuration of a run: the file named (`--config`), else [`DEFAULT_FILE`] in the
/// current directory if there is one, else the defaults. Also returns the file used, if any.
pub fn discover(named: Option<&Path>) -> Result<(Config, Option<PathBuf>), ConfigError> {
    let path = match named {
        Some(path) => path.to_owned(),
        None if Path::new(DEFAULT_FILE).exists() => PathBuf::from(DEFAULT_FILE),
        None => return Ok((Config::default(), None)),
    };
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Read {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let config = Config::from_toml(&path.display().to_string(), &text)?;
    Ok((config, Some(path)))
}

impl Config {
    /// Parses and checks a configuration file's text. `file` names it in messages.
    pub fn from_toml(file: &str, text: &str) -> Result<Config, ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Syntax {
            file: file.to_string(),
            message: e.to_string().trim().to_string(),
        })?;
        config.validate(file)?;
        Ok(config)
    }

    /// The name of an issuing organisation: as configured, else derived from the school
    /// (`中共{school}委员会党校` / `…组织部`), else — for the organisation department — from a
    /// configured party school of a committee (`中共X委员会党校` → `中共X委员会组织部`);
    /// `None` when nothing names it, so that no placeholder is printed silently.
    pub fn issuer(&self, which: Issuer) -> Option<String> {
        let o = &self.organization;
        let given = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let school = given(&o.school);
        match which {
            Issuer::PartySchool => given(&o.party_school)
                .or_else(|| given(&self.certificate.issuer).filter(|i| i != DEFAULT_ISSUER))
                .or_else(|| school.map(|s| format!("中共{s}委员会党校"))),
            Issuer::OrganizationDepartment => given(&o.organization_department)
                .or_else(|| school.map(|s| format!("中共{s}委员会组织部")))
                .or_else(|| {
                    let party_school = self.issuer(Issuer::PartySchool)?;
                    let prefix = party_school.strip_suffix("委员会党校")?;
                    (!prefix.is_empty()).then(|| format!("{prefix}委员会组织部"))
                }),
        }
    }

    /// The seal text, falling back to the party school (or the placeholder issuer).
    pub fn seal_text(&self) -> String {
        if self.certificate.seal_text.trim().is_empty() {
            self.issuer(Issuer::PartySchool)
                .unwrap_or_else(|| self.certificate.issuer.clone())
        } else {
            self.certificate.seal_text.clone()
        }
    }

    /// Checks values a type cannot express (ranges, patterns, dates).
    pub fn validate(&self, file: &str) -> Result<(), ConfigError> {
        let bad = |key: &str, value: String, expected: &str| ConfigError::Value {
            file: file.to_string(),
            key: key.to_string(),
            value,
            expected: expected.to_string(),
        };
        let c = &self.certificate;
        if !(0.0..=100.0).contains(&c.pass_mark) {
            return Err(bad(
                "certificate.pass_mark",
                c.pass_mark.to_string(),
                "应为 0 到 100 之间的分数",
            ));
        }
        for (kind, hours) in &c.min_hours {
            if !hours.is_finite() || *hours < 0.0 {
                return Err(bad(
                    &format!("certificate.min_hours.{kind}"),
                    hours.to_string(),
                    "应为不小于 0 的学时数",
                ));
            }
        }
        let l = &self.limits;
        for (key, value) in [
            ("limits.input_mb", l.input_mb as usize),
            ("limits.name_chars", l.name_chars),
            ("limits.id_chars", l.id_chars),
            ("limits.short_text_chars", l.short_text_chars),
            ("limits.long_text_chars", l.long_text_chars),
            ("limits.pages_per_document", l.pages_per_document),
            ("limits.rows_per_sheet", l.rows_per_sheet as usize),
            ("limits.unzipped_mb", l.unzipped_mb as usize),
            ("limits.typeset_seconds", l.typeset_seconds as usize),
            ("limits.typeset_memory_mb", l.typeset_memory_mb as usize),
            ("server.upload_mb", self.server.upload_mb as usize),
            ("server.timeout_s", self.server.timeout_s as usize),
        ] {
            if value == 0 {
                return Err(bad(key, "0".into(), "应为不小于 1 的数"));
            }
        }
        let r = &self.rules;
        for (key, value) in [
            ("rules.candidate_training_hours", r.candidate_training_hours),
            ("rules.member_hours_per_year", r.member_hours_per_year),
        ] {
            if !value.is_finite() || value < 0.0 {
                return Err(bad(key, value.to_string(), "应为不小于 0 的学时数"));
            }
        }
        for (key, value, max) in [
            ("rules.min_age", r.min_age, 100),
            ("rules.activist_years", r.activist_years, 50),
            (
                "rules.candidate_training_days",
                r.candidate_training_days,
                366,
            ),
            ("rules.probation_years", r.probation_years, 50),
            ("rules.talk_within_months", r.talk_within_months, 120),
        ] {
            if value > max {
                return Err(bad(
                    key,
                    value.to_string(),
                    &format!("应为 0 到 {max} 之间的整数"),
                ));
            }
        }
        if c.issuer.trim().is_empty() {
            return Err(bad("certificate.issuer", c.issuer.clone(), "不能为空"));
        }
        if let Some(date) = &c.issue_date
            && chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err()
        {
            return Err(bad(
                "certificate.issue_date",
                date.clone(),
                "应为 2025-06-30 这样的日期",
            ));
        }
        if let Err(e) = NumberPattern::parse(&c.number_pattern) {
            return Err(bad(
                "certificate.number_pattern",
                c.number_pattern.clone(),
                &e.to_string(),
            ));
        }
        if let Err(e) = check_document_pattern(&self.output.path_pattern) {
            return Err(bad(
                "output.path_pattern",
                self.output.path_pattern.clone(),
                &e.to_string(),
            ));
        }
        Ok(())
    }

    /// Sets the archive layout from the command line (`--layout`), checked like the
    /// configuration's `output.path_pattern`.
    pub fn set_path_pattern(&mut self, pattern: String) -> Result<(), ConfigError> {
        if let Err(e) = check_document_pattern(&pattern) {
            return Err(ConfigError::Layout {
                pattern,
                reason: e.to_string(),
            });
        }
        self.output.path_pattern = pattern;
        Ok(())
    }

    /// The issue date configured, if any.
    pub fn issue_date(&self) -> Option<chrono::NaiveDate> {
        self.certificate
            .issue_date
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    }

    /// The minimum hours for a course type (培训类别), 0 when not configured.
    pub fn min_hours(&self, course_type: &str) -> f64 {
        self.certificate
            .min_hours
            .get(course_type)
            .copied()
            .unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let c = Config::from_toml("dangjian.toml", "").unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.min_hours("发展对象"), 24.0);
        assert_eq!(c.min_hours("入党积极分子"), 0.0);
        assert_eq!(c.seal_text(), DEFAULT_ISSUER);
    }

    #[test]
    fn values_are_read() {
        let c = Config::from_toml(
            "dangjian.toml",
            "[certificate]\nissuer = \"中共东方理工大学委员会党校\"\npass_mark = 70\nissue_date = \"2025-06-30\"\n[certificate.min_hours]\n\"入党积极分子\" = 16\n[aliases]\n\"学号\" = [\"学生证号\"]\n",
        )
        .unwrap();
        assert_eq!(c.certificate.issuer, "中共东方理工大学委员会党校");
        assert_eq!(
            c.issuer(Issuer::OrganizationDepartment).as_deref(),
            Some("中共东方理工大学委员会组织部")
        );
        assert_eq!(c.certificate.pass_mark, 70.0);
        assert_eq!(c.min_hours("入党积极分子"), 16.0);
        assert_eq!(c.issue_date().unwrap().to_string(), "2025-06-30");
        assert_eq!(c.aliases["学号"], vec!["学生证号".to_string()]);
    }

    #[test]
    fn typos_and_bad_values_are_refused_in_chinese() {
        let e = Config::from_toml("a.toml", "[certificate]\nisuer = \"x\"\n").unwrap_err();
        assert!(e.to_string().starts_with("配置文件 a.toml 有误"), "{e}");
        let e = Config::from_toml("a.toml", "[certificate]\npass_mark = 160\n").unwrap_err();
        assert!(e.to_string().contains("certificate.pass_mark"), "{e}");
        let e = Config::from_toml("a.toml", "[certificate]\nissue_date = \"明天\"\n").unwrap_err();
        assert!(e.to_string().contains("2025-06-30"), "{e}");
        let e = Config::from_toml("a.toml", "[certificate]\nnumber_pattern = \"{班号}\"\n")
            .unwrap_err();
        assert!(e.to_string().contains("班号"), "{e}");
    }

    #[test]
    fn issuers_come_from_the_settings_or_the_school() {
        let c = Config::default();
        assert_eq!(c.issuer(Issuer::PartySchool), None);
        assert_eq!(c.issuer(Issuer::OrganizationDepartment), None);
        let c = Config::from_toml("a.toml", "[organization]\nschool = \"东方理工大学\"\n").unwrap();
        assert_eq!(
            c.issuer(Issuer::PartySchool).as_deref(),
            Some("中共东方理工大学委员会党校")
        );
        assert_eq!(
            c.issuer(Issuer::OrganizationDepartment).as_deref(),
            Some("中共东方理工大学委员会组织部")
        );
        let c = Config::from_toml(
            "a.toml",
            "[organization]\nschool = \"东方理工大学\"\nparty_school = \"东方理工大学党校\"\norganization_department = \"党委组织部\"\n",
        )
        .unwrap();
        assert_eq!(
            c.issuer(Issuer::PartySchool).as_deref(),
            Some("东方理工大学党校")
        );
        assert_eq!(
            c.issuer(Issuer::OrganizationDepartment).as_deref(),
            Some("党委组织部")
        );
        // A party school that is not a committee's names no organisation department.
        let c =
            Config::from_toml("a.toml", "[certificate]\nissuer = \"东方学院分党校\"\n").unwrap();
        assert_eq!(c.issuer(Issuer::OrganizationDepartment), None);
    }
}

//! The commented `dangjian.toml` that `init` writes: every setting with its default value
//! and a line of Chinese explaining it. A test proves it parses to [`Config::default`] and
//! names every setting the configuration has.
//!
//! [`Config::default`]: crate::config::Config

/// The text of the commented configuration file.
pub const CONFIG_TOML: &str = r#"# dangjian 配置文件（TOML 格式）。下面每一项都是默认值，按需修改；删去某项即使用默认值。
# 以 # 开头的是说明。文件须保存为 UTF-8 编码。

[organization]
# 学校名称，如 "东方理工大学"。党校、组织部名称未填写时由它推出：
# 中共东方理工大学委员会党校、中共东方理工大学委员会组织部。
school = ""
# 党校名称（结业证书的落款）；留空则由 school 推出。
party_school = ""
# 组织部名称（入党积极分子登记表封面的“××组织部制”）；留空则由 school 推出。
organization_department = ""

[certificate]
# 发证党校（旧写法，与 organization.party_school 相同；两者都填时以 party_school 为准）。
issuer = "中共××大学委员会党校"
# 印章文字，留空则用党校名称（内置证书模板不印印章，留白供实际盖章）。
seal_text = ""
# 及格线：成绩（分数）不低于此值才发证书。
pass_mark = 60.0
# 证书编号规则：{年份}、{期次}（培训班名称中的“第n期”）、{序号}，可写位数如 {序号:04}。
number_pattern = "{年份}{期次:02}{序号:04}"
# 统一的发证日期，如 "2025-06-30"；不写则每张证书用其培训班的结束日期。
# issue_date = "2025-06-30"

[certificate.min_hours]
# 各培训类别发证所需的最少学时；未列出的类别不设下限。
"发展对象" = 24.0
# "入党积极分子" = 16.0

[output]
# 压缩包内每份文书的路径；可用 {学院} {党支部} {班级} {学号} {姓名} {文档名} {年度}。
path_pattern = "{学院}/{党支部}/{学号}_{姓名}/{文档名}.pdf"

[aliases]
# 额外的表头写法：标准列名 = ["表中的写法", …]，如：
# "学号" = ["学生证号"]
# "党支部" = ["所属支部"]

[limits]
# 单个输入文件的最大体积（MB）。
input_mb = 100
# 姓名类字段的最多字数。
name_chars = 50
# 学号、身份证号、证书编号、联系电话的最多字符数。
id_chars = 40
# 其他短字段（学院、培训班、谈话地点等）的最多字数。
short_text_chars = 200
# 长文本（谈话内容、审查结论、评语、备注等）的最多字数。
long_text_chars = 10000
# 每份文书排版后的最多页数。
pages_per_document = 60
# 每份文书排版的最长时间（秒），超过即停止并拒绝该文书，其余照常生成。
typeset_seconds = 30
# 排版时整个进程最多占用的内存（MB），超过时停下排版最久的那一份。
typeset_memory_mb = 4096
# 每个工作表的最多行数。
rows_per_sheet = 200000
# 工作簿解压后的最大体积（MB），防止“压缩炸弹”。
unzipped_mb = 512

[read]
# 是否也读取隐藏的工作表（默认跳过并提示；命令行 --include-hidden 同）。
include_hidden = false

[rules]
# 发展党员程序检查（dangjian check --rules）的标准，默认值为《中国共产党发展党员工作细则》的规定。
# 递交入党申请书时须年满的周岁数。
min_age = 18
# 确定为发展对象距确定为入党积极分子须满的年数。
activist_years = 1
# 发展对象培训的最少学时。
candidate_training_hours = 24.0
# 发展对象培训的最少天数（开始、结束当天都计入）。
candidate_training_days = 3
# 预备期：转正距接收为预备党员须满的年数。
probation_years = 1
# 收到入党申请书后须在几个月内派人谈话。
talk_within_months = 1
# 正式党员每年集中培训的最少学时。
member_hours_per_year = 32.0

[server]
# 网页服务（dangjian serve）：一次请求上传文件的总大小上限（MB）。
upload_mb = 50
# 每个请求（上传、生成、下载）的最长时间（秒）。
timeout_s = 1800
# 同时处理的任务数；0 表示每个 CPU 核心一个。
max_jobs = 0
# 可排队等待的任务数；再多的请求立即得到 503（忙）。
queue = 8
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn the_written_configuration_is_the_defaults() {
        let parsed = Config::from_toml("dangjian.toml", CONFIG_TOML).unwrap();
        assert_eq!(parsed, Config::default());
    }

    /// Every setting the configuration has is written (uncommented), so a user sees them all.
    #[test]
    fn every_setting_is_written() {
        let defaults = toml::to_string(&Config::default()).unwrap();
        let table: toml::Table = toml::from_str(&defaults).unwrap();
        let written: toml::Table = toml::from_str(CONFIG_TOML).unwrap();
        let mut missing = Vec::new();
        for (section, keys) in &table {
            let Some(keys) = keys.as_table() else {
                continue;
            };
            for key in keys.keys() {
                let present = written
                    .get(section)
                    .and_then(|s| s.as_table())
                    .is_some_and(|s| s.contains_key(key));
                if !present {
                    missing.push(format!("{section}.{key}"));
                }
            }
        }
        assert!(missing.is_empty(), "not in the template: {missing:?}");
        assert!(
            CONFIG_TOML.contains("# issue_date = "),
            "issue_date shown commented"
        );
    }
}

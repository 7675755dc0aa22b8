//! Any text below a roster header loads into a dataset: every row is listed with what
//! became of it, and nothing panics.
#![no_main]

use dangjian::config::Config;
use dangjian::read::Input;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = "学号,姓名,性别,出生日期,学院,党支部,身份证号,发展阶段\n"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(data);
    let input = Input {
        name: "花名册.csv".into(),
        bytes,
    };
    let _ = dangjian::load(&[input], &Config::default());
});

//! Writes a generated 学生党建台账.xlsx (all seven sheet kinds, form columns) for N students, the same
//! ledger the throughput bench's `render all` part uses, so a scaled run can be repeated
//! with the CLI and measured (e.g. `/usr/bin/time -v dangjian render all …`).
//!
//! ```text
//! cargo run --release --example gen_ledger -- 2000 /tmp/台账2000.xlsx
//! ```

#[path = "../fixtures/generator/mod.rs"]
mod generator;

/// Seed of the bench's ledger (benches/throughput.rs).
const SEED: u64 = 20_250_630;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(n), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: gen_ledger N OUT.xlsx");
        std::process::exit(2);
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("N must be a number of students, not {n:?}");
        std::process::exit(2);
    };
    let bytes = generator::ledger_xlsx(&generator::students(n, SEED), SEED);
    if let Err(e) = std::fs::write(&out, &bytes) {
        eprintln!("cannot write {out}: {e}");
        std::process::exit(1);
    }
    println!("{n} students → {out} ({} bytes)", bytes.len());
}

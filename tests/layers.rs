//! The library's stages import only the stages before them: no import loop between top-level
//! modules, so that each stage can be read, tested and replaced on its own. Adding a module
//! means giving it a layer here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The top-level modules of `src/lib.rs`, lowest layer first: a module may use only modules
/// of a lower layer (and itself).
const LAYERS: &[&[&str]] = &[
    &["problem", "memory"],
    &["typeset", "render"],
    &["bundle"],
    &["config", "read"],
    &["model"],
    &["documents"],
    &["plan", "engine", "init"],
    &["pipeline", "rules"],
    &["job"],
    &["server"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// Every `.rs` file of a module: `src/<m>.rs` or everything under `src/<m>/`.
fn files_of(src: &Path, module: &str) -> Vec<PathBuf> {
    let single = src.join(format!("{module}.rs"));
    if single.exists() {
        return vec![single];
    }
    let mut out = Vec::new();
    let mut dirs = vec![src.join(module)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("module directory") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

/// The top-level modules a file names as `crate::<module>`, outside comments.
fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let name: String = rest[at + 7..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
            rest = &rest[at + 7..];
        }
    }
    out
}

#[test]
fn every_module_has_a_layer() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("lib.rs");
    for line in lib.lines() {
        if let Some(name) = line.strip_prefix("pub mod ") {
            let name = name.trim_end_matches(';');
            assert!(layer_of(name).is_some(), "give `{name}` a layer in LAYERS");
        }
    }
}

#[test]
fn stages_import_only_the_stages_before_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (layer, modules) in LAYERS.iter().enumerate() {
        for module in *modules {
            for file in files_of(&src, module) {
                let text = std::fs::read_to_string(&file).expect("source");
                for used in uses(&text) {
                    if used == *module {
                        continue;
                    }
                    match layer_of(&used) {
                        Some(l) if l < layer => {}
                        _ => wrong.push(format!(
                            "{} (layer {layer}) uses crate::{used}",
                            file.display()
                        )),
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_scan_sees_imports() {
    let found =
        uses("use crate::model::dataset::Dataset;\n// crate::job\nlet x = crate::plan::plan(");
    assert_eq!(
        found,
        BTreeSet::from(["model".to_string(), "plan".to_string()])
    );
}

//! The minimum height of an unbreakable box in the built-in forms is a stack strut, which typst
//! lays out once, instead of a grid row, which it measures first and then lays out again —
//! only because that changes nothing on the page: every form of the sample ledger has each of
//! its words in the same place when a `form.typ` override makes every strut a grid row again.

mod support;

use support::*;

/// The built-in `form.typ` with `at-least` always a grid row (as every strut was before).
fn with_grid_struts(form: &str) -> String {
    let start = form
        .find("#let at-least(")
        .expect("form.typ defines at-least");
    let end = start
        + form[start..]
            .find("\n}\n")
            .expect("at-least ends with a closing brace")
        + 3;
    format!(
        "{}#let at-least(min, body, breakable: true) = grid(columns: (0pt, 1fr), box(height: min), body)\n{}",
        &form[..start],
        &form[end..]
    )
}

#[test]
fn forms_look_the_same_with_grid_struts() {
    let form = include_str!("../templates/form.typ");
    let grid = with_grid_struts(form);
    assert!(
        form.contains("stack(dir: ltr, box(height: min)") && !grid.contains("stack(dir: ltr"),
        "the stack strut is found and replaced"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let templates = dir.path().join("grid");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(templates.join("form.typ"), grid).unwrap();
    let kinds = [
        "talk-record",
        "political-review",
        "activist-registration",
        "annual-appraisal",
    ];
    let stack = render_sample(dir.path(), &kinds, &[], "stack.zip");
    let grid = render_sample(dir.path(), &kinds, &["--templates", "grid"], "grid.zip");
    assert_eq!(stack.len(), 327 + 48 + 78 + 69);
    assert_eq!(
        stack.keys().collect::<Vec<_>>(),
        grid.keys().collect::<Vec<_>>()
    );
    let paths: Vec<&String> = stack.keys().collect();
    // Two threads: pdftotext runs once per form and version.
    std::thread::scope(|scope| {
        for half in paths.chunks(paths.len().div_ceil(2)) {
            let (stack, grid) = (&stack, &grid);
            scope.spawn(move || {
                for path in half {
                    assert_eq!(
                        word_boxes(&stack[*path]),
                        word_boxes(&grid[*path]),
                        "{path} looks different with grid struts"
                    );
                }
            });
        }
    });
}

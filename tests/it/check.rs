//! Front-end tests: valid programs check clean, invalid ones get Go's diagnostics.

use insta::assert_snapshot;

use toyc::diag::Style;

use crate::support::{
    NESTING_DEPTH, check_file, check_text, check_text_in, deep_nesting_cases, file_name, toy_files,
};

/// Error cases whose output differs from Go's on purpose or for a known reason, with why.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    (
        "missing_main",
        "Go's linker reports it without a position; toyc reports it at 1:1",
    ),
    (
        "syntax_missing_package_clause",
        "the go command words it; toyc words it as the compiler does",
    ),
    (
        "syntax_keyword_as_identifier",
        "FIXME: the LALR parser recovers differently and reports a second error",
    ),
    (
        "syntax_unbalanced_parens_in_expression",
        "FIXME: Go's recursive-descent recovery reports a follow-up error toyc skips",
    ),
    (
        "syntax_statement_before_case",
        "Go's parser also reports the follow-up `unexpected }, expected :`; toyc's recovery skips it",
    ),
    (
        "syntax_unterminated_raw_string",
        "FIXME: Go type-checks the truncated file; toyc stops at the syntax error",
    ),
    (
        "named_results_mixed_with_unnamed",
        "FIXME: the parser reports `mixed named and unnamed parameters` at the type's `func`; \
         Go reports `missing parameter name` at its `(`, once per list",
    ),
];

#[test]
fn run_corpus_programs_check_clean() {
    for path in toy_files("tests/data/run") {
        let out = check_file(&path);
        assert_eq!(out, "", "{} should check clean", path.display());
    }
}

#[test]
fn examples_check_clean() {
    for path in toy_files("examples") {
        let out = check_file(&path);
        assert_eq!(out, "", "{} should check clean", path.display());
    }
}

#[test]
fn error_cases_match_snapshots() {
    insta::glob!("../data/check/err", "*.toy", |path| {
        assert_snapshot!(check_file(path));
    });
}

#[test]
fn unsupported_cases_match_snapshots() {
    insta::glob!("../data/check/unsupported", "*.toy", |path| {
        let out = check_file(path);
        assert!(!out.is_empty(), "{} must be rejected", path.display());
        assert_snapshot!(out);
    });
}

/// Every error case must be reported as Go reports it (recorded in `NAME.go-errors` by
/// `tests/oracle/record.sh`), apart from the listed known differences.
#[test]
fn error_cases_match_go() {
    let mut mismatches = Vec::new();
    for path in toy_files("tests/data/check/err") {
        let stem = path
            .file_stem()
            .expect("a file")
            .to_string_lossy()
            .into_owned();
        let name = file_name(&path);
        let expected_path = path.with_extension("go-errors");
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", expected_path.display()));
        let ours: String = check_file(&path)
            .lines()
            .map(|line| {
                let line = line.strip_prefix(&format!("{name}:")).unwrap_or(line);
                line.replace(&format!("{name}:"), &format!("./{stem}.go:")) + "\n"
            })
            .collect();
        let known = KNOWN_DIFFERENCES.iter().any(|(case, _)| *case == stem);
        if (ours == expected) == known {
            mismatches.push(format!(
                "{stem}: {}\n--- toyc\n{ours}--- go\n{expected}",
                if known {
                    "now matches Go: drop it from KNOWN_DIFFERENCES"
                } else {
                    "differs"
                }
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn deep_nesting_checks_or_is_diagnosed() {
    for (name, text, _) in deep_nesting_cases() {
        let out = check_text("deep.toy", &text);
        assert_eq!(
            out, "",
            "{name} nested {NESTING_DEPTH} deep should check clean"
        );
    }
}

/// Past `MAX_NESTING` levels the checker gives up on the declaration that nests too deeply:
/// it reports where the limit was reached, and nothing of that declaration after it, since
/// what was skipped would make any such error a guess (`x` and `fmt`, used only in the
/// skipped part, would seem unused). Errors found before, and in other declarations, stay.
#[test]
fn nesting_too_deeply_is_reported_where_the_limit_is_reached_and_alone() {
    let depth = toyc::types::check::MAX_NESTING as usize + 1;
    let text = format!(
        "package main\n\nimport \"fmt\"\n\nfunc main() {{\n\tvar s string = 1\n\tx := 1\n\t{}fmt.Println(x){}\n\tvar t string = 2\n}}\n\nfunc other() {{\n\ty := 1\n}}\n",
        "{".repeat(depth),
        "}".repeat(depth)
    );
    let out = check_text("deep.toy", &text);
    // Each `{` opens a block one level deeper; the last one is one level too many.
    let column = 2 + depth - 1;
    assert_eq!(
        out,
        format!(
            "deep.toy:6:17: cannot use 1 (untyped int constant) as string value in variable declaration\n\
             deep.toy:8:{column}: program nested too deeply\n\
             deep.toy:13:2: declared and not used: y\n"
        )
    );
}

#[test]
fn too_many_errors_stops_at_ten_like_go() {
    let body: String = (0..15).map(|idx| format!("\tundefined{idx}()\n")).collect();
    let out = check_text(
        "many.toy",
        &format!("package main\n\nfunc main() {{\n{body}}}\n"),
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 11, "{out}");
    assert_eq!(lines[10], "many.toy:13:2: too many errors");
}

#[test]
fn closures_are_named_as_go_names_them_and_list_their_captures() {
    let text = "package main

func outer() func() int {
	a, b := 1, 2
	inc := func() {
		a++
		func() { b += a }()
	}
	inc()
	return func() int { return b }
}

func main() {
	println(outer()())
}
";
    let source = toyc::diag::SourceFile::new("closures.toy", text);
    let (checked, diags) = toyc::driver::front_end(&source);
    assert!(diags.is_empty(), "{diags:?}");
    let checked = checked.expect("a valid program");
    let info = &checked.info;
    let summary: Vec<String> = info
        .funcs
        .iter()
        .map(|func| {
            let captures: Vec<&str> = func
                .captures
                .iter()
                .map(|&obj| checked.file.names.name(info.obj(obj).name))
                .collect();
            let parent = func
                .parent
                .map(|parent| info.funcs[parent.0 as usize].name.as_str());
            format!("{} parent={parent:?} captures={captures:?}", func.name)
        })
        .collect();
    assert_eq!(
        summary,
        [
            "outer parent=None captures=[]",
            "main parent=None captures=[]",
            "outer.func1 parent=Some(\"outer\") captures=[\"a\", \"b\"]",
            "outer.func1.1 parent=Some(\"outer.func1\") captures=[\"b\", \"a\"]",
            "outer.func2 parent=Some(\"outer\") captures=[\"b\"]",
        ]
    );
}

#[test]
fn package_variables_are_initialized_in_dependency_order() {
    // The example of Go's specification: the order is d, b, c, a.
    let text = "package main

var (
	a = c + b
	b = f()
	c = f()
	d = 3
)

func f() int {
	d++
	return d
}

func main() {
	println(a, b, c, d)
}
";
    let source = toyc::diag::SourceFile::new("order.toy", text);
    let (checked, diags) = toyc::driver::front_end(&source);
    assert!(diags.is_empty(), "{diags:?}");
    let checked = checked.expect("a valid program");
    let order: Vec<&str> = checked
        .info
        .init_order
        .iter()
        .map(|&obj| checked.file.names.name(checked.info.obj(obj).name))
        .collect();
    assert_eq!(order, ["d", "b", "c", "a"]);
}

/// A rich excerpt shows at most `EXCERPT_WIDTH` characters of a source line, around the
/// error, so an error at the end of a line of 300 KB prints a few hundred bytes (it printed
/// the line, then as many spaces before the caret). The short form is Go's, unchanged.
#[test]
fn rich_excerpts_cut_long_lines_around_the_error() {
    let line = format!("\tprintln(\"{}\", z)", "a".repeat(300_000));
    let text = format!("package main\n\nfunc main() {{\n{line}\n}}\n");
    let column = line.find(" z)").expect("the error is on the line") + 2;
    assert_eq!(
        check_text("long.toy", &text),
        format!("long.toy:4:{column}: undefined: z\n")
    );
    let rich = check_text_in("long.toy", &text, Style::Rich);
    assert!(rich.len() < 1000, "{} bytes:\n{rich}", rich.len());
    assert!(rich.contains(&format!("long.toy:4:{column}")), "{rich}");
    // The error is near the end of the line: the window is the line's last characters.
    let shown = &line[line.len() - toyc::diag::EXCERPT_WIDTH..];
    assert!(rich.contains(&format!("4 │ …{shown}\n")), "{rich}");

    // So does `toyc check` itself, in colour.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("long.toy");
    std::fs::write(&file, &text).expect("the file is written");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_toyc"))
        .args(["check", "--color", "always"])
        .arg(&file)
        .output()
        .expect("toyc runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.len() < 2000, "{} bytes", out.stderr.len());
}

/// How a cut line looks: the window stays on the primary label; a note that falls outside
/// it points at the `…` that stands for its part of the line.
#[test]
fn rich_excerpt_of_long_lines() {
    let digits = "0123456789".repeat(40);
    let text = format!(
        "package main\n\nfunc main() {{\n\tvar x = \"{digits}\"; var x = 2\n\tprintln(\"{digits}\", z, \"{digits}\")\n}}\n"
    );
    assert_snapshot!(check_text_in("long.toy", &text, Style::Rich));
}

/// A file that is not UTF-8 gets Go's scanner error at the first bad byte of each line
/// (recorded from `go build`), with exit status 1, not a refusal to read it.
#[test]
fn invalid_utf8_is_reported_where_go_reports_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("bad.toy");
    let text: &[u8] =
        b"package main\n\nfunc main() {\n\tprintln(\"\xff\")\n\tprintln(\"a\xfe\xfdb\", \"\xc3\")\n}\n";
    std::fs::write(&file, text).expect("the file is written");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_toyc"))
        .arg("check")
        .arg(&file)
        .output()
        .expect("toyc runs");
    let stderr = String::from_utf8(out.stderr).expect("messages are UTF-8");
    let path = file.display();
    assert_eq!(
        stderr,
        format!("{path}:4:11: invalid UTF-8 encoding\n{path}:5:12: invalid UTF-8 encoding\n")
    );
    assert_eq!(out.status.code(), Some(1));
}

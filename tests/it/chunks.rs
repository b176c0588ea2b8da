//! Parsing on several threads gives exactly the serial parse: the same tree, node numbers
//! and symbols included, and the same errors.

use toyc::diag::{Diagnostics, SourceFile};
use toyc::syntax::{chunks, parse};
use toyc::workload::{Shape, generate};

use crate::support::corpus;

/// Parses `text` serially and in chunks of at least `min_chunk` bytes, and returns both
/// results as text: the tree's `Debug` form and the errors.
fn both(name: &str, text: &str, min_chunk: usize) -> (String, String) {
    let source = SourceFile::new(name, text);
    let run = |parse: &dyn Fn(&mut Diagnostics) -> Option<toyc::syntax::ast::File>| {
        let mut diags = Diagnostics::default();
        let tree = parse(&mut diags);
        format!("{tree:#?}\n{:?}", diags.sorted())
    };
    toyc::driver::with_large_stack(|| {
        (
            run(&|diags| parse::parse(&source, diags)),
            run(&|diags| chunks::parse(&source, diags, 4, min_chunk)),
        )
    })
}

#[test]
fn every_corpus_file_parses_alike_in_chunks() {
    let mut cut = 0;
    for (dir, name, text) in corpus() {
        // One byte: a chunk at every top-level declaration the cut allows.
        let (serial, chunked) = both(&name, &text, 1);
        assert_eq!(serial, chunked, "{dir}/{name}");
        cut += usize::from(chunks::starts(&text, 4, 1).len() > 1);
    }
    assert!(cut > 200, "only {cut} corpus files were cut into chunks");
}

#[test]
fn generated_programs_parse_alike_in_chunks() {
    for shape in Shape::ALL {
        let text = generate(shape, 60, 3);
        let starts = chunks::starts(&text, 4, 1);
        // Four chunks, or three where one huge function spans two shares of the file.
        assert!(starts.len() >= 3, "{shape:?}: {starts:?}");
        for &start in &starts[1..] {
            let line = &text[start..];
            assert!(
                text[..start].ends_with('\n')
                    && ["func ", "var ", "const "]
                        .iter()
                        .any(|kw| line.starts_with(kw)),
                "{shape:?}: a cut at {:?}",
                &line[..line.len().min(20)]
            );
        }
        let (serial, chunked) = both("gen.toy", &text, 1);
        assert_eq!(serial, chunked, "{shape:?}");
    }
}

#[test]
fn a_byte_order_mark_and_odd_cuts_parse_alike() {
    let cases = [
        "\u{FEFF}package main\n\nfunc f() {}\n\nfunc main() { f() }\n",
        // A `func` inside brackets, after a `;` in a statement, or in a type is no cut.
        "package main\n\nvar f = func() int { return 1 }\n\nfunc g() { var h func(); _ = h; func() {}() }\n\nfunc main() { g(); _ = f }\n",
        // A cut before an error: the whole file is parsed again and reports as a serial parse.
        "package main\n\nfunc f() {\n\nfunc main() { f() }\n",
        "package main\n\nfunc f() { x := }\n\nvar y = 1 +\n\nfunc main() {}\n",
        "package main\n\nfunc f() {}\n\nimport \"fmt\"\n\nfunc main() { fmt.Println() }\n",
        "package main\n\nfunc f() {}\n}\nfunc main() {}\n",
        // Cuts inside a raw string, a block comment and a function body.
        "package main\n\nvar s = `a\nfunc f() {}\n`\n\nfunc main() { println(s) }\n",
        "package main\n\n/* a\nfunc f() {}\n*/\nfunc main() {}\n",
        "package main\n\nfunc main() {\nfunc() { println() }()\n}\n",
        // A lexical error in a chunk: the serial parse reports it, and a tree is still built.
        "package main\n\nfunc f() string { return \"\\q\" }\n\nfunc main() { println(f()) }\n",
    ];
    for text in cases {
        let (serial, chunked) = both("case.toy", text, 1);
        assert_eq!(serial, chunked, "{text}");
    }
}

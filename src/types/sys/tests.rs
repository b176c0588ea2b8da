//! Tests of the intrinsics' checks in the runtime mode of the checker.

use crate::diag::{Diagnostics, SourceFile};
use crate::syntax::parse;
use crate::types::check_runtime;

/// Checks `text` as the runtime's source and returns its errors in Go's short form.
fn runtime_errors(text: &str) -> Vec<String> {
    let source = SourceFile::new("rt.toy", text);
    let mut diags = Diagnostics::default();
    let file = parse::parse(&source, &mut diags).expect("the source parses");
    check_runtime(&source, &file, &mut diags);
    diags
        .sorted()
        .iter()
        .map(|diag| source.short(diag))
        .collect()
}

#[test]
fn intrinsics_check_as_calls_of_their_signatures() {
    let errors = runtime_errors(
        "package runtime\n\
         \n\
         import \"sys\"\n\
         \n\
         func f(p sys.Ptr, s string) int {\n\
         \tq := sys.Add(p, 1)\n\
         \tvar z sys.Ptr\n\
         \tz = sys.StringData(s)\n\
         \tsys.StoreByte(z, 0, 'a')\n\
         \treturn sys.Load(q, 8) + int(sys.LoadByte(z, 0))\n\
         }\n\
         \n\
         func g(p sys.Ptr, s string, n int) sys.Ptr {\n\
         \tsys.Memmove(p, sys.StringData(s), len(s))\n\
         \tsys.PrintString(s)\n\
         \tsys.PrintInt(n)\n\
         \tif n < 0 {\n\
         \t\tsys.PanicMakeSliceLen()\n\
         \t\tsys.PanicMakeSliceCap()\n\
         \t\tsys.PanicGrowSlice()\n\
         \t}\n\
         \treturn sys.Zerobase()\n\
         }\n",
    );
    assert_eq!(errors, Vec::<String>::new());
}

#[test]
fn a_raw_address_is_no_integer() {
    let errors = runtime_errors(
        "package runtime\n\
         \n\
         import \"sys\"\n\
         \n\
         func f(p sys.Ptr, s string) int {\n\
         \tsys.Nope(p)\n\
         \tsys.StoreByte(p, 0, 300)\n\
         \tvar n int = sys.StringData(s)\n\
         \treturn n + sys.Add(p, 1)\n\
         }\n",
    );
    assert_eq!(
        errors,
        [
            "rt.toy:6:6: undefined: sys.Nope",
            "rt.toy:7:22: cannot use 300 (untyped int constant) as byte value in argument to sys.StoreByte (overflows)",
            "rt.toy:8:14: cannot use sys.StringData(s) (value of type sys.Ptr) as int value in variable declaration",
            "rt.toy:9:9: invalid operation: n + sys.Add(p, 1) (mismatched types int and sys.Ptr)",
        ]
    );
}

#[test]
fn only_the_runtime_imports_sys() {
    let source = SourceFile::new(
        "main.toy",
        "package main\n\nimport \"sys\"\n\nfunc main() { sys.Add(nil, 0) }\n",
    );
    let mut diags = Diagnostics::default();
    let file = parse::parse(&source, &mut diags).expect("the source parses");
    crate::types::check(&source, &file, &mut diags, 1, usize::MAX);
    let errors: Vec<String> = diags
        .sorted()
        .iter()
        .map(|diag| source.short(diag))
        .collect();
    assert_eq!(
        errors,
        ["main.toy:3:8: importing \"sys\" is not supported (only \"fmt\" is)"]
    );
}

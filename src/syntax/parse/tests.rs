//! Unit tests of the parser: the shape of binary expressions, which `State::binary` builds by
//! precedence as the operators come.

use super::*;
use crate::diag::SourceFile;
use crate::syntax::ast::{Decl, Expr, ExprKind, File};

/// Returns `expr` with every operation in parentheses (parenthesized expressions in
/// brackets).
fn shape(file: &File, expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Name(sym) => file.names.name(*sym).to_string(),
        ExprKind::Int => "1".to_string(),
        ExprKind::Paren(inner) => format!("[{}]", shape(file, inner)),
        ExprKind::Unary(op, inner) => format!("({op:?} {})", shape(file, inner)),
        ExprKind::Binary(op, binary) => {
            let [x, y] = &binary.operands;
            assert_eq!((expr.span.lo, expr.span.hi), (x.span.lo, y.span.hi));
            format!("({} {op:?} {})", shape(file, x), shape(file, y))
        }
        other => format!("{other:?}"),
    }
}

/// Parses `var v = expr` and returns the shape of `expr`; `shape` checks that every
/// operation's span runs from its first operand to its last.
fn parsed(expr: &str) -> String {
    let source = SourceFile::new("t.toy", format!("package main\n\nvar v = {expr}\n"));
    let mut diags = Diagnostics::default();
    let file = parse(&source, &mut diags).expect("the expression parses");
    assert!(diags.sorted().is_empty());
    let Decl::Var(specs) = &file.decls[0] else {
        panic!("a var declaration")
    };
    let value = &specs[0].values[0];
    assert_eq!(
        &source.text[value.span.lo as usize..value.span.hi as usize],
        expr
    );
    shape(&file, value)
}

#[test]
fn binary_operators_bind_by_go_precedence() {
    assert_eq!(
        parsed("a || b && c == d + e * f"),
        "(a LOr (b LAnd (c Eq (d Add (e Mul f)))))"
    );
    assert_eq!(
        parsed("a * b + c * d - e"),
        "(((a Mul b) Add (c Mul d)) Sub e)"
    );
    assert_eq!(parsed("a + b << c"), "(a Add (b Shl c))");
    assert_eq!(parsed("a << b + c"), "((a Shl b) Add c)");
    assert_eq!(
        parsed("a == b || c < d && e"),
        "((a Eq b) LOr ((c Lt d) LAnd e))"
    );
}

#[test]
fn equal_precedence_associates_to_the_left() {
    assert_eq!(parsed("a - b - c"), "((a Sub b) Sub c)");
    assert_eq!(parsed("a / b * c % d"), "(((a Div b) Mul c) Rem d)");
    assert_eq!(
        parsed("a &^ b & c | d ^ e"),
        "((((a AndNot b) And c) Or d) Xor e)"
    );
}

#[test]
fn parentheses_and_unary_operators_keep_their_operands_together() {
    assert_eq!(parsed("(a + b) * c"), "([(a Add b)] Mul c)");
    assert_eq!(parsed("a * (b + c)"), "(a Mul [(b Add c)])");
    assert_eq!(parsed("-a * b"), "((Neg a) Mul b)");
    assert_eq!(parsed("a * -b + c"), "((a Mul (Neg b)) Add c)");
    assert_eq!(parsed("!a && b || c"), "(((Not a) LAnd b) LOr c)");
}

//! Prints expressions back as Go source, in the short form Go's messages quote them.
//!
//! Function bodies print as `{…}`, as Go's `syntax.String` prints them; names and literals
//! print as written, from the source: a name's span is exactly its text, so printing needs
//! no symbol table and works while the parser still builds one.

use crate::diag::Span;
use crate::syntax::ast::{Expr, ExprKind, Param, Signature, TypeExpr};

/// Returns `expr`, a node of the tree parsed from `src`, as Go's error messages show it.
pub fn expr_string(src: &str, expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(src, expr, &mut out);
    out
}

fn text(src: &str, span: Span) -> &str {
    &src[span.lo as usize..span.hi as usize]
}

fn write_expr(src: &str, expr: &Expr, out: &mut String) {
    match &expr.kind {
        ExprKind::Name(_)
        | ExprKind::Int
        | ExprKind::Float
        | ExprKind::Rune
        | ExprKind::Str
        | ExprKind::Bad => out.push_str(text(src, expr.span)),
        ExprKind::FuncLit(lit) => {
            out.push_str("func");
            write_signature(src, &lit.sig, out);
            out.push_str(if lit.body.stmts.is_empty() {
                " {}"
            } else {
                " {…}"
            });
        }
        ExprKind::FuncType(sig) => {
            out.push_str("func");
            write_signature(src, sig, out);
        }
        ExprKind::Paren(inner) => {
            out.push('(');
            write_expr(src, inner, out);
            out.push(')');
        }
        ExprKind::Unary(op, operand) => {
            out.push_str(op.text());
            write_expr(src, operand, out);
        }
        ExprKind::Binary(op, binary) => {
            let [left, right] = &binary.operands;
            write_expr(src, left, out);
            out.push(' ');
            out.push_str(op.text());
            out.push(' ');
            write_expr(src, right, out);
        }
        ExprKind::Call(call) => {
            write_expr(src, &call.callee, out);
            out.push('(');
            for (idx, arg) in call.args.iter().enumerate() {
                if idx > 0 {
                    out.push_str(", ");
                }
                write_expr(src, arg, out);
            }
            out.push(')');
        }
        ExprKind::Selector(selector) => {
            write_expr(src, &selector.base, out);
            out.push('.');
            out.push_str(text(src, selector.name.span));
        }
    }
}

fn write_signature(src: &str, sig: &Signature, out: &mut String) {
    write_params(src, &sig.params, out);
    match sig.results.as_slice() {
        [] => {}
        [single] if single.name.is_none() => {
            out.push(' ');
            write_type(src, &single.ty, out);
        }
        results => {
            out.push(' ');
            write_params(src, results, out);
        }
    }
}

/// Writes `(a, b int, s string)`: names as grouped in the source, then types.
fn write_params(src: &str, params: &[Param], out: &mut String) {
    out.push('(');
    for (idx, param) in params.iter().enumerate() {
        if idx > 0 {
            out.push_str(", ");
        }
        if let Some(name) = param.name {
            out.push_str(text(src, name.span));
            if param.shares_type {
                continue;
            }
            out.push(' ');
        }
        if param.variadic {
            out.push_str("...");
        }
        write_type(src, &param.ty, out);
    }
    out.push(')');
}

fn write_type(src: &str, ty: &TypeExpr, out: &mut String) {
    match ty {
        TypeExpr::Name(name) => out.push_str(text(src, name.span)),
        TypeExpr::Func(sig) => {
            out.push_str("func");
            write_signature(src, sig, out);
        }
    }
}

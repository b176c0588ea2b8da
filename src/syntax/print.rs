//! Prints expressions back as Go source, in the short form Go's messages quote them.
//!
//! Function bodies print as `{…}`, as Go's `syntax.String` prints them; literals print as
//! written.

use crate::syntax::ast::{Expr, ExprKind, Interner, Param, Signature, TypeExpr};

/// Returns `expr` as Go's error messages show it.
pub fn expr_string(src: &str, names: &Interner, expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(src, names, expr, &mut out);
    out
}

fn write_expr(src: &str, names: &Interner, expr: &Expr, out: &mut String) {
    match &expr.kind {
        ExprKind::Name(name) => out.push_str(names.name(*name)),
        ExprKind::Int | ExprKind::Float | ExprKind::Rune | ExprKind::Str(_) | ExprKind::Bad => {
            out.push_str(&src[expr.span.lo as usize..expr.span.hi as usize]);
        }
        ExprKind::FuncLit(lit) => {
            out.push_str("func");
            write_signature(names, &lit.sig, out);
            out.push_str(if lit.body.stmts.is_empty() {
                " {}"
            } else {
                " {…}"
            });
        }
        ExprKind::FuncType(sig) => {
            out.push_str("func");
            write_signature(names, sig, out);
        }
        ExprKind::Paren(inner) => {
            out.push('(');
            write_expr(src, names, inner, out);
            out.push(')');
        }
        ExprKind::Unary(op, operand) => {
            out.push_str(op.text());
            write_expr(src, names, operand, out);
        }
        ExprKind::Binary(op, left, right, _) => {
            write_expr(src, names, left, out);
            out.push(' ');
            out.push_str(op.text());
            out.push(' ');
            write_expr(src, names, right, out);
        }
        ExprKind::Call(callee, args) => {
            write_expr(src, names, callee, out);
            out.push('(');
            for (idx, arg) in args.iter().enumerate() {
                if idx > 0 {
                    out.push_str(", ");
                }
                write_expr(src, names, arg, out);
            }
            out.push(')');
        }
        ExprKind::Selector(base, field) => {
            write_expr(src, names, base, out);
            out.push('.');
            out.push_str(names.name(field.name));
        }
    }
}

fn write_signature(names: &Interner, sig: &Signature, out: &mut String) {
    write_params(names, &sig.params, out);
    match sig.results.as_slice() {
        [] => {}
        [single] if single.name.is_none() => {
            out.push(' ');
            write_type(names, &single.ty, out);
        }
        results => {
            out.push(' ');
            write_params(names, results, out);
        }
    }
}

/// Writes `(a, b int, s string)`: names as grouped in the source, then types.
fn write_params(names: &Interner, params: &[Param], out: &mut String) {
    out.push('(');
    for (idx, param) in params.iter().enumerate() {
        if idx > 0 {
            out.push_str(", ");
        }
        if let Some(name) = param.name {
            out.push_str(names.name(name.name));
            if param.shares_type {
                continue;
            }
            out.push(' ');
        }
        if param.variadic {
            out.push_str("...");
        }
        write_type(names, &param.ty, out);
    }
    out.push(')');
}

fn write_type(names: &Interner, ty: &TypeExpr, out: &mut String) {
    match ty {
        TypeExpr::Name(name) => out.push_str(names.name(name.name)),
        TypeExpr::Func(sig) => {
            out.push_str("func");
            write_signature(names, sig, out);
        }
    }
}

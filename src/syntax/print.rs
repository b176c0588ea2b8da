//! Prints expressions back as Go source, in the short form Go's messages quote them.
//!
//! Function bodies print as `{…}`, as Go's `syntax.String` prints them; names and literals
//! print as written, from the source: a name's span is exactly its text, so printing needs
//! no symbol table and works while the parser still builds one.

use crate::diag::Span;
use crate::syntax::ast::{
    ChanDir, Expr, ExprKind, Param, Signature, TypeExpr, TypeLit, TypeLitKind,
};

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
        | ExprKind::Imag
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
        ExprKind::Type(lit) => write_type_lit(src, lit, out),
        ExprKind::Composite(lit) => {
            if let Some(ty) = &lit.ty {
                write_expr(src, ty, out);
            }
            out.push_str(if lit.elems.is_empty() { "{}" } else { "{…}" });
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
            write_list(src, &call.args, out);
            if call.dots.is_some() {
                out.push_str("...");
            }
            out.push(')');
        }
        ExprKind::Selector(selector) => {
            write_expr(src, &selector.base, out);
            out.push('.');
            out.push_str(text(src, selector.name.span));
        }
        ExprKind::Index(pair) => {
            let [base, index] = &**pair;
            write_expr(src, base, out);
            out.push('[');
            write_expr(src, index, out);
            out.push(']');
        }
        ExprKind::Instance(instance) => {
            write_expr(src, &instance.base, out);
            out.push('[');
            write_list(src, &instance.args, out);
            out.push(']');
        }
        ExprKind::Slice(slice) => {
            write_expr(src, &slice.base, out);
            out.push('[');
            let bounds = [&slice.lo, &slice.hi, &slice.max];
            let n_bounds = if slice.max.is_some() { 3 } else { 2 };
            for (idx, bound) in bounds.into_iter().take(n_bounds).enumerate() {
                if idx > 0 {
                    out.push(':');
                }
                if let Some(bound) = bound {
                    write_expr(src, bound, out);
                }
            }
            out.push(']');
        }
        ExprKind::TypeAssert(assert) => {
            write_expr(src, &assert.base, out);
            out.push_str(".(");
            write_type(src, &assert.ty, out);
            out.push(')');
        }
        ExprKind::TypeGuard(base) => {
            write_expr(src, base, out);
            out.push_str(".(type)");
        }
        ExprKind::KeyValue(pair) => {
            let [key, value] = &**pair;
            write_expr(src, key, out);
            out.push_str(": ");
            write_expr(src, value, out);
        }
    }
}

/// Writes `a, b, c`.
fn write_list(src: &str, exprs: &[Expr], out: &mut String) {
    for (idx, expr) in exprs.iter().enumerate() {
        if idx > 0 {
            out.push_str(", ");
        }
        write_expr(src, expr, out);
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
        TypeExpr::Qualified(qualified) => {
            out.push_str(text(src, qualified.pkg.span));
            out.push('.');
            out.push_str(text(src, qualified.name.span));
        }
        TypeExpr::Instance(instance) => {
            write_type(src, &instance.base, out);
            out.push('[');
            write_list(src, &instance.args, out);
            out.push(']');
        }
        TypeExpr::Func(sig) => {
            out.push_str("func");
            write_signature(src, sig, out);
        }
        TypeExpr::Literal(lit) => write_type_lit(src, lit, out),
    }
}

/// Writes a type literal; struct and interface bodies print as `{…}`, as Go's short form.
fn write_type_lit(src: &str, lit: &TypeLit, out: &mut String) {
    match &lit.kind {
        TypeLitKind::Slice(elem) => {
            out.push_str("[]");
            write_type(src, elem, out);
        }
        TypeLitKind::Array(len, elem) => {
            out.push('[');
            match len {
                Some(len) => write_expr(src, len, out),
                None => out.push_str("..."),
            }
            out.push(']');
            write_type(src, elem, out);
        }
        TypeLitKind::Pointer(base) => {
            out.push('*');
            write_type(src, base, out);
        }
        TypeLitKind::Map(key, value) => {
            out.push_str("map[");
            write_type(src, key, out);
            out.push(']');
            write_type(src, value, out);
        }
        TypeLitKind::Chan(dir, elem) => {
            out.push_str(match dir {
                ChanDir::Both => "chan ",
                ChanDir::Send => "chan<- ",
                ChanDir::Recv => "<-chan ",
            });
            write_type(src, elem, out);
        }
        TypeLitKind::Struct(fields) => {
            out.push_str(if fields.is_empty() {
                "struct{}"
            } else {
                "struct{…}"
            });
        }
        TypeLitKind::Interface(elems) => {
            out.push_str(if elems.is_empty() {
                "interface{}"
            } else {
                "interface{…}"
            });
        }
        TypeLitKind::Union(terms) => {
            for (idx, term) in terms.iter().enumerate() {
                if idx > 0 {
                    out.push_str(" | ");
                }
                if term.tilde {
                    out.push('~');
                }
                write_type(src, &term.ty, out);
            }
        }
    }
}

//! The one walk over the syntax tree, after Go's `syntax.Inspect` (`syntax/walk.go`).
//!
//! [`inspect`] calls a function on a node and then, in source order, on every node below it:
//! declarations, signatures, blocks, statements, expressions and identifiers, function
//! literals' bodies included. Phases that need something from a whole subtree (the nodes to
//! renumber after a parallel parse, the function literals of a body, the variables a body
//! assigns) take it from here rather than walking the tree themselves, so which children a
//! node has is written down once, and a new kind of node is walked by every phase as soon as
//! it is walked here. [`inspect_mut`] is the same walk over a tree it may change
//! (`syntax::chunks` shifts node numbers with it).
//!
//! Every node is visited once, with one exception: a type written once for a group of
//! parameters (`a, b int`) or of type parameters (`[K, V any]`) is held by each of them, as
//! a copy with the same node numbers (`Param::shares_type`), and is visited with each, so
//! that a change reaches every copy.
//!
//! Both walks are made by one macro from one description of the tree, as syn makes `Visit`
//! and `VisitMut`: the description is written once, and only the kind of reference differs.
//! Every match in it is exhaustive and every node is taken apart field by field, without
//! `..`, so a new kind of node or a new field is a compile error here until the walk covers
//! it. The walks are generic over the function they call (no dynamic dispatch) and allocate
//! nothing; the chunk renumbering on the parallel parse path runs on them.
//!
//! What the walk does not do: it keeps no state and evaluates nothing, so the checker's and
//! the SSA builder's own recursions, which give meaning to each kind in turn, stay theirs.
//! It cannot skip a subtree: every user so far needs all of it. The call on a node comes
//! before its children, and nothing is called after them.

use crate::syntax::ast::{
    Binary, Block, Call, CaseClause, CommClause, Composite, ConstSpec, Decl, Expr, ExprKind, Field,
    File, ForHeader, ForStmt, FuncDecl, FuncLit, Ident, IfStmt, Import, Instance, InstanceExpr,
    InterfaceElem, Param, Qualified, SelectStmt, Selector, SendStmt, Signature, SliceExpr, Stmt,
    SwitchStmt, Term, TypeAssert, TypeDecl, TypeExpr, TypeLit, TypeLitKind, TypeSpec,
    TypeSwitchStmt, VarSpec,
};

/// Defines a node type, its `inspect` function and the walk behind it, for shared references
/// (no `mut` given: `$lt` is the tree's lifetime `'a`, declared by `[$generic]`, and the
/// caller's function may keep what it is shown) or for exclusive ones (`mut`: `$lt` is
/// `'_`, and each node is lent to the caller's function in turn).
macro_rules! walk {
    (
        $(#[$node_doc:meta])* $node:ident,
        $(#[$inspect_doc:meta])* $inspect:ident,
        $module:ident,
        $lt:lifetime,
        [$($generic:lifetime)?]
        $(, $mut:tt)?
    ) => {
        $(#[$node_doc])*
        pub enum $node<'a> {
            /// The file: its package name, imports and declarations.
            File(&'a $($mut)? File),
            /// A top-level declaration.
            Decl(&'a $($mut)? Decl),
            /// The parameters and results of a function, a literal or a function type.
            Signature(&'a $($mut)? Signature),
            /// A function body, or the block of an `if`, a `for` or a block statement.
            Block(&'a $($mut)? Block),
            /// A statement: of a block or a `case` clause, or a header's (`if x := f(); …`).
            Stmt(&'a $($mut)? Stmt),
            /// An expression; a name used as a value is an expression, not an [`Ident`].
            Expr(&'a $($mut)? Expr),
            /// An identifier that is not an expression: a declared name, a parameter, a type
            /// name, a label, a selected name, the package name or an import's name.
            Ident(&'a $($mut)? Ident),
        }

        $(#[$inspect_doc])*
        pub fn $inspect$(<$generic>)?(
            root: $node<$lt>,
            mut f: impl FnMut($node<$lt>),
        ) {
            match root {
                $node::File(file) => $module::file(file, &mut f),
                $node::Decl(decl) => $module::decl(decl, &mut f),
                $node::Signature(sig) => $module::signature(sig, &mut f),
                $node::Block(block) => $module::block(block, &mut f),
                $node::Stmt(stmt) => $module::stmt(stmt, &mut f),
                $node::Expr(expr) => $module::expr(expr, &mut f),
                $node::Ident(ident) => $module::ident(ident, &mut f),
            }
        }

        /// The walk: one function per kind of node, each calling `f` on its node and then
        /// walking its children in source order.
        mod $module {
            use super::*;

            pub(super) fn file<$($generic,)? F: FnMut($node<$lt>)>(
                file: &$lt $($mut)? File,
                f: &mut F,
            ) {
                f($node::File(& $($mut)? *file));
                let File {
                    package,
                    imports,
                    decls,
                    n_nodes: _,
                    names: _,
                } = file;
                ident(package, f);
                for import in & $($mut)? imports[..] {
                    let Import {
                        alias,
                        path: _,
                        span: _,
                    } = import;
                    if let Some(alias) = alias {
                        ident(alias, f);
                    }
                }
                for decl_node in & $($mut)? decls[..] {
                    decl(decl_node, f);
                }
            }

            pub(super) fn decl<$($generic,)? F: FnMut($node<$lt>)>(
                decl: &$lt $($mut)? Decl,
                f: &mut F,
            ) {
                f($node::Decl(& $($mut)? *decl));
                match decl {
                    Decl::Func(func) => {
                        let FuncDecl {
                            recv,
                            name,
                            tparams,
                            sig,
                            body,
                        } = & $($mut)? **func;
                        if let Some(recv) = recv {
                            param(recv, f);
                        }
                        ident(name, f);
                        for tparam in & $($mut)? tparams[..] {
                            param(tparam, f);
                        }
                        signature(sig, f);
                        if let Some(body) = body {
                            block(body, f);
                        }
                    }
                    Decl::Var(specs) => {
                        for spec in & $($mut)? specs[..] {
                            var_spec(spec, f);
                        }
                    }
                    Decl::Const(specs) => {
                        for spec in & $($mut)? specs[..] {
                            const_spec(spec, f);
                        }
                    }
                    Decl::Type(decl) => type_decl(decl, f),
                    Decl::Bad => {}
                }
            }

            pub(super) fn signature<$($generic,)? F: FnMut($node<$lt>)>(
                sig: &$lt $($mut)? Signature,
                f: &mut F,
            ) {
                f($node::Signature(& $($mut)? *sig));
                let Signature {
                    params,
                    results,
                    span: _,
                } = sig;
                let all = (& $($mut)? params[..]).into_iter().chain(& $($mut)? results[..]);
                for param_node in all {
                    param(param_node, f);
                }
            }

            fn param<$($generic,)? F: FnMut($node<$lt>)>(
                param: &$lt $($mut)? Param,
                f: &mut F,
            ) {
                let Param {
                    name,
                    ty,
                    variadic: _,
                    shares_type: _,
                } = param;
                if let Some(name) = name {
                    ident(name, f);
                }
                type_expr(ty, f);
            }

            fn type_expr<$($generic,)? F: FnMut($node<$lt>)>(
                ty: &$lt $($mut)? TypeExpr,
                f: &mut F,
            ) {
                match ty {
                    TypeExpr::Name(name) => ident(name, f),
                    TypeExpr::Qualified(qualified) => {
                        let Qualified { pkg, name } = & $($mut)? **qualified;
                        ident(pkg, f);
                        ident(name, f);
                    }
                    TypeExpr::Instance(instance) => {
                        let Instance { base, args, span: _ } = & $($mut)? **instance;
                        type_expr(base, f);
                        exprs(args, f);
                    }
                    TypeExpr::Func(sig) => signature(sig, f),
                    TypeExpr::Literal(lit) => type_lit(lit, f),
                }
            }

            fn type_lit<$($generic,)? F: FnMut($node<$lt>)>(
                lit: &$lt $($mut)? TypeLit,
                f: &mut F,
            ) {
                let TypeLit { kind, span: _ } = lit;
                match kind {
                    TypeLitKind::Slice(elem)
                    | TypeLitKind::Pointer(elem)
                    | TypeLitKind::Chan(_, elem) => type_expr(elem, f),
                    TypeLitKind::Array(len, elem) => {
                        if let Some(len) = len {
                            expr(len, f);
                        }
                        type_expr(elem, f);
                    }
                    TypeLitKind::Map(key, value) => {
                        type_expr(key, f);
                        type_expr(value, f);
                    }
                    TypeLitKind::Struct(fields) => {
                        for field in & $($mut)? fields[..] {
                            let Field { names, ty, tag: _ } = field;
                            for name in & $($mut)? names[..] {
                                ident(name, f);
                            }
                            type_expr(ty, f);
                        }
                    }
                    TypeLitKind::Interface(elems) => {
                        for elem in & $($mut)? elems[..] {
                            match elem {
                                InterfaceElem::Method(name, sig) => {
                                    ident(name, f);
                                    signature(sig, f);
                                }
                                InterfaceElem::Type(ty) => type_expr(ty, f),
                            }
                        }
                    }
                    TypeLitKind::Union(terms) => {
                        for term in & $($mut)? terms[..] {
                            let Term { tilde: _, ty } = term;
                            type_expr(ty, f);
                        }
                    }
                }
            }

            fn type_decl<$($generic,)? F: FnMut($node<$lt>)>(
                decl: &$lt $($mut)? TypeDecl,
                f: &mut F,
            ) {
                let TypeDecl { span: _, specs } = decl;
                for spec in & $($mut)? specs[..] {
                    let TypeSpec {
                        name,
                        tparams,
                        alias: _,
                        ty,
                    } = spec;
                    ident(name, f);
                    for tparam in & $($mut)? tparams[..] {
                        param(tparam, f);
                    }
                    type_expr(ty, f);
                }
            }

            fn var_spec<$($generic,)? F: FnMut($node<$lt>)>(
                spec: &$lt $($mut)? VarSpec,
                f: &mut F,
            ) {
                let VarSpec { names, ty, values } = spec;
                for name in & $($mut)? names[..] {
                    ident(name, f);
                }
                if let Some(ty) = ty {
                    type_expr(ty, f);
                }
                exprs(values, f);
            }

            fn const_spec<$($generic,)? F: FnMut($node<$lt>)>(
                spec: &$lt $($mut)? ConstSpec,
                f: &mut F,
            ) {
                let ConstSpec {
                    names,
                    ty,
                    values,
                    iota: _,
                } = spec;
                for name in & $($mut)? names[..] {
                    ident(name, f);
                }
                if let Some(ty) = ty {
                    type_expr(ty, f);
                }
                exprs(values, f);
            }

            pub(super) fn block<$($generic,)? F: FnMut($node<$lt>)>(
                block: &$lt $($mut)? Block,
                f: &mut F,
            ) {
                f($node::Block(& $($mut)? *block));
                let Block { stmts, span: _ } = block;
                for stmt_node in & $($mut)? stmts[..] {
                    stmt(stmt_node, f);
                }
            }

            pub(super) fn stmt<$($generic,)? F: FnMut($node<$lt>)>(
                stmt_node: &$lt $($mut)? Stmt,
                f: &mut F,
            ) {
                f($node::Stmt(& $($mut)? *stmt_node));
                match stmt_node {
                    Stmt::Expr(value) => expr(value, f),
                    Stmt::Var(specs) => {
                        for spec in & $($mut)? specs[..] {
                            var_spec(spec, f);
                        }
                    }
                    Stmt::Const(specs) => {
                        for spec in & $($mut)? specs[..] {
                            const_spec(spec, f);
                        }
                    }
                    Stmt::Type(decl) => type_decl(decl, f),
                    Stmt::Define { lhs, rhs, span: _ } => {
                        exprs(lhs, f);
                        exprs(rhs, f);
                    }
                    Stmt::Assign {
                        lhs,
                        op: _,
                        rhs,
                        span: _,
                    } => {
                        exprs(lhs, f);
                        exprs(rhs, f);
                    }
                    Stmt::IncDec {
                        target,
                        inc: _,
                        span: _,
                    } => expr(target, f),
                    Stmt::Block(inner) => block(inner, f),
                    Stmt::If(if_stmt) => {
                        let IfStmt {
                            span: _,
                            init,
                            cond,
                            then,
                            els,
                        } = & $($mut)? **if_stmt;
                        if let Some(init) = init {
                            stmt(init, f);
                        }
                        expr(cond, f);
                        block(then, f);
                        if let Some(els) = els {
                            stmt(els, f);
                        }
                    }
                    Stmt::For(for_stmt) => {
                        let ForStmt {
                            span: _,
                            header,
                            body,
                        } = & $($mut)? **for_stmt;
                        match header {
                            ForHeader::Clause { init, cond, post } => {
                                if let Some(init) = init {
                                    stmt(init, f);
                                }
                                if let Some(cond) = cond {
                                    expr(cond, f);
                                }
                                if let Some(post) = post {
                                    stmt(post, f);
                                }
                            }
                            ForHeader::Range {
                                key,
                                value,
                                define: _,
                                expr: ranged,
                            } => {
                                if let Some(key) = key {
                                    expr(key, f);
                                }
                                if let Some(value) = value {
                                    expr(value, f);
                                }
                                expr(ranged, f);
                            }
                        }
                        block(body, f);
                    }
                    Stmt::Switch(switch) => {
                        let SwitchStmt {
                            span: _,
                            init,
                            tag,
                            clauses,
                            rbrace: _,
                        } = & $($mut)? **switch;
                        if let Some(init) = init {
                            stmt(init, f);
                        }
                        if let Some(tag) = tag {
                            expr(tag, f);
                        }
                        for clause in & $($mut)? clauses[..] {
                            case_clause(clause, f);
                        }
                    }
                    Stmt::TypeSwitch(switch) => {
                        let TypeSwitchStmt {
                            span: _,
                            init,
                            bind,
                            guard,
                            clauses,
                            rbrace: _,
                        } = & $($mut)? **switch;
                        if let Some(init) = init {
                            stmt(init, f);
                        }
                        if let Some(bind) = bind {
                            ident(bind, f);
                        }
                        expr(guard, f);
                        for clause in & $($mut)? clauses[..] {
                            case_clause(clause, f);
                        }
                    }
                    Stmt::Select(select) => {
                        let SelectStmt { span: _, clauses } = & $($mut)? **select;
                        for clause in & $($mut)? clauses[..] {
                            let CommClause {
                                span: _,
                                comm,
                                body,
                            } = clause;
                            if let Some(comm) = comm {
                                stmt(comm, f);
                            }
                            for stmt_node in & $($mut)? body[..] {
                                stmt(stmt_node, f);
                            }
                        }
                    }
                    Stmt::GoDefer {
                        is_go: _,
                        call,
                        span: _,
                    } => expr(call, f),
                    Stmt::Send(send) => {
                        let SendStmt {
                            chan,
                            value,
                            span: _,
                        } = & $($mut)? **send;
                        expr(chan, f);
                        expr(value, f);
                    }
                    Stmt::Goto { label, span: _ } => ident(label, f),
                    Stmt::Fallthrough(_) => {}
                    Stmt::Return { results, span: _ } => exprs(results, f),
                    Stmt::Branch {
                        is_break: _,
                        label,
                        span: _,
                    } => {
                        if let Some(label) = label {
                            ident(label, f);
                        }
                    }
                    Stmt::Labeled { label, stmt: inner } => {
                        ident(label, f);
                        stmt(inner, f);
                    }
                    Stmt::Empty | Stmt::Bad => {}
                }
            }

            fn case_clause<$($generic,)? F: FnMut($node<$lt>)>(
                clause: &$lt $($mut)? CaseClause,
                f: &mut F,
            ) {
                let CaseClause {
                    span: _,
                    exprs: values,
                    body,
                } = clause;
                if let Some(values) = values {
                    exprs(values, f);
                }
                for stmt_node in & $($mut)? body[..] {
                    stmt(stmt_node, f);
                }
            }

            fn exprs<$($generic,)? F: FnMut($node<$lt>)>(
                list: &$lt $($mut)? [Expr],
                f: &mut F,
            ) {
                for value in list {
                    expr(value, f);
                }
            }

            pub(super) fn expr<$($generic,)? F: FnMut($node<$lt>)>(
                value: &$lt $($mut)? Expr,
                f: &mut F,
            ) {
                f($node::Expr(& $($mut)? *value));
                let Expr {
                    id: _,
                    span: _,
                    kind,
                } = value;
                match kind {
                    ExprKind::Name(_)
                    | ExprKind::Int
                    | ExprKind::Float
                    | ExprKind::Imag
                    | ExprKind::Rune
                    | ExprKind::Str
                    | ExprKind::Bad => {}
                    ExprKind::FuncLit(lit) => {
                        let FuncLit { sig, body } = & $($mut)? **lit;
                        signature(sig, f);
                        block(body, f);
                    }
                    ExprKind::FuncType(sig) => signature(sig, f),
                    ExprKind::Paren(inner) | ExprKind::Unary(_, inner) => expr(inner, f),
                    ExprKind::Binary(_, binary) => {
                        let Binary {
                            operands: [left, right],
                            op_span: _,
                        } = & $($mut)? **binary;
                        expr(left, f);
                        expr(right, f);
                    }
                    ExprKind::Call(call) => {
                        let Call {
                            callee,
                            args,
                            dots: _,
                        } = & $($mut)? **call;
                        expr(callee, f);
                        exprs(args, f);
                    }
                    ExprKind::Selector(selector) => {
                        let Selector { base, name } = & $($mut)? **selector;
                        expr(base, f);
                        ident(name, f);
                    }
                    ExprKind::Type(lit) => type_lit(lit, f),
                    ExprKind::Composite(lit) => {
                        let Composite {
                            ty,
                            elems,
                            rbrace: _,
                        } = & $($mut)? **lit;
                        if let Some(ty) = ty {
                            expr(ty, f);
                        }
                        exprs(elems, f);
                    }
                    ExprKind::Index(pair) | ExprKind::KeyValue(pair) => {
                        let [left, right] = & $($mut)? **pair;
                        expr(left, f);
                        expr(right, f);
                    }
                    ExprKind::Instance(instance) => {
                        let InstanceExpr { base, args } = & $($mut)? **instance;
                        expr(base, f);
                        exprs(args, f);
                    }
                    ExprKind::Slice(slice) => {
                        let SliceExpr {
                            base,
                            lo,
                            hi,
                            max,
                        } = & $($mut)? **slice;
                        expr(base, f);
                        for bound in [lo, hi, max].into_iter().flatten() {
                            expr(bound, f);
                        }
                    }
                    ExprKind::TypeAssert(assert) => {
                        let TypeAssert { base, ty } = & $($mut)? **assert;
                        expr(base, f);
                        type_expr(ty, f);
                    }
                    ExprKind::TypeGuard(inner) => expr(inner, f),
                }
            }

            pub(super) fn ident<$($generic,)? F: FnMut($node<$lt>)>(
                name: &$lt $($mut)? Ident,
                f: &mut F,
            ) {
                f($node::Ident(name));
            }
        }
    };
}

walk!(
    /// A node of the tree, as [`inspect`] shows it.
    #[derive(Clone, Copy)]
    Node,
    /// Calls `f` on `root` and on every node below it, each before its children, children in
    /// source order. `f` may keep the nodes it is shown: they live as long as the tree.
    inspect,
    shared,
    'a,
    ['a]
);

walk!(
    /// A node of the tree, as [`inspect_mut`] lends it.
    NodeMut,
    /// Calls `f` on `root` and on every node below it, in [`inspect`]'s order, lending each
    /// in turn; `f` may change a node, and the walk goes on into the children it left.
    inspect_mut,
    exclusive,
    '_,
    [],
    mut
);

#[cfg(test)]
mod tests;

//! Statements, as types2's `stmt.go`: blocks and their scopes, `if`, `for` and its range
//! clause, `switch` and its duplicate cases, `return` (bare with named results), and the
//! nesting limit on statements.
//!
//! Assignments and short variable declarations are in `assignments`, declarations in
//! `decl`; labels, `break` and `continue` were checked by `branches` before the body.

use crate::diag::Span;
use crate::syntax::ast::{self, Block, Expr, ExprKind, ForHeader, Ident, Stmt, unparen};
use crate::types::check::Checker;
use crate::types::constant::ConstValue;
use crate::types::object::ObjKind;
use crate::types::operand::{Mode, Operand};
use crate::types::ty::{self, INVALID, TypeId};

impl<'a> Checker<'a> {
    pub(crate) fn stmt_list(&mut self, stmts: &'a [Stmt]) {
        for stmt in stmts {
            self.stmt(stmt);
        }
    }

    fn block(&mut self, block: &'a Block) {
        self.state.scopes.push();
        self.stmt_list(&block.stmts);
        self.state.scopes.pop();
    }

    fn stmt(&mut self, stmt: &'a Stmt) {
        // A statement with no position holds nothing to check, so it cannot nest deeper.
        let Some(pos) = stmt_pos(stmt) else {
            return;
        };
        if !self.enter(pos) {
            return;
        }
        self.stmt_inner(stmt);
        self.leave();
    }

    fn stmt_inner(&mut self, stmt: &'a Stmt) {
        match stmt {
            // `stmt` skips them: they have no position.
            Stmt::Empty | Stmt::Bad => {}
            Stmt::Expr(expr) => self.expr_stmt(expr),
            Stmt::Var(specs) => {
                let owner = self.current_func();
                for spec in specs {
                    self.var_spec(spec, owner, None);
                }
            }
            Stmt::Const(specs) => {
                for spec_idx in 0..specs.len() {
                    self.const_spec(specs, spec_idx, None);
                }
            }
            Stmt::Define { lhs, rhs, span } => self.short_var_decl(lhs, rhs, *span),
            Stmt::Assign {
                lhs, op: None, rhs, ..
            } => self.assign_vars(lhs, rhs),
            Stmt::Assign {
                lhs,
                op: Some(op),
                rhs,
                span,
            } => {
                // The target is checked even when the operation is wrong, as in Go.
                let mut x = self.binary(None, *op, &lhs[0], &rhs[0], *span);
                self.assign_var(&lhs[0], &mut x, "assignment");
            }
            Stmt::IncDec { target, inc, .. } => {
                let mut x = self.expr(target);
                if x.mode == Mode::Invalid {
                    return;
                }
                if !ty::is_integer(x.ty) {
                    let op = if *inc { "++" } else { "--" };
                    let ty = self.state.info.types.display(x.ty);
                    let text = self.expr_text(target);
                    self.error(
                        target.span,
                        format!("invalid operation: {text}{op} (non-numeric type {ty})"),
                    );
                } else {
                    x.mode = Mode::Value;
                    self.assign_var(target, &mut x, "assignment");
                }
            }
            Stmt::Block(block) => self.block(block),
            Stmt::If(if_stmt) => {
                self.state.scopes.push();
                if let Some(init) = &if_stmt.init {
                    self.stmt(init);
                }
                self.condition(&if_stmt.cond, "if statement");
                self.block(&if_stmt.then);
                if let Some(els) = &if_stmt.els {
                    self.stmt(els);
                }
                self.state.scopes.pop();
            }
            Stmt::For(for_stmt) => self.for_stmt(for_stmt),
            Stmt::Switch(switch) => self.switch_stmt(switch),
            Stmt::Return { results, span } => self.return_stmt(results, *span),
            Stmt::Branch { .. } => {}
            Stmt::Labeled { stmt, .. } => self.stmt(stmt),
            Stmt::Type(decl) => {
                self.type_decl(decl);
                self.env.too_deep = true;
            }
            Stmt::TypeSwitch(switch) => {
                self.unsupported(switch.span, "type switches are not supported");
            }
            Stmt::Select(select) => self.unsupported(select.span, "select is not supported"),
            Stmt::GoDefer { is_go, call, span } => {
                let keyword = if *is_go { "go" } else { "defer" };
                if matches!(unparen(call).kind, ExprKind::Call(_)) {
                    self.unsupported(*span, &format!("{keyword} is not supported"));
                } else {
                    self.error(
                        call.span,
                        format!("expression in {keyword} must be function call"),
                    );
                }
            }
            Stmt::Send(send) => self.unsupported(send.span, "channels are not supported"),
            Stmt::Goto { span, .. } => self.unsupported(*span, "goto is not supported"),
            Stmt::Fallthrough(span) => self.unsupported(*span, "fallthrough is not supported"),
        }
    }

    /// Checks `return`: its values against the results, as an assignment to them. A bare
    /// `return` is allowed only with named results, and returns them: each must be the
    /// variable its name denotes there, or Go reports the declaration that hides it.
    fn return_stmt(&mut self, results: &'a [Expr], span: Span) {
        let Some(func) = self.env.funcs.last() else {
            return;
        };
        let targets: Vec<Option<TypeId>> = func.results.iter().map(|&ty| Some(ty)).collect();
        if !results.is_empty() {
            self.assign_values(
                &targets,
                results,
                Some(span),
                |checker, x, target, context| checker.init_var(x, target, context),
            );
            return;
        }
        if func.named_results.is_empty() {
            if !targets.is_empty() {
                self.return_error(span, &targets, &[]);
            }
            return;
        }
        for obj in func.named_results.clone() {
            let object = self.state.info.obj(obj);
            let (name, ty) = (object.name, object.ty);
            if name == self.state.blank {
                continue;
            }
            let Some(alt) = self.state.scopes.lookup(name).filter(|&alt| alt != obj) else {
                continue;
            };
            // Go describes the result, at the position of what hides it.
            let text = self.name(name);
            let ty = self.state.info.types.display(ty);
            let alt_span = self.state.info.obj(alt).span;
            self.error_with_notes(
                span,
                format!("result parameter {text} not in scope at return"),
                vec![(alt_span, format!("inner declaration of var {text} {ty}"))],
            );
        }
    }

    fn condition(&mut self, cond: &'a Expr, what: &str) {
        let x = self.expr(cond);
        if x.mode != Mode::Invalid && !ty::is_boolean(x.ty) {
            self.error(cond.span, format!("non-boolean condition in {what}"));
        }
    }

    fn expr_stmt(&mut self, expr: &'a Expr) {
        let (x, is_call) = self.raw_expr_stmt(expr);
        let message = match x.mode {
            Mode::Invalid => return,
            Mode::Builtin(_) => "must be called",
            Mode::TypeExpr => "is not an expression",
            _ if is_call => return,
            _ => "is not used",
        };
        let desc = self.operand_string(&x);
        self.error(expr.span, format!("{desc} {message}"));
    }

    fn for_stmt(&mut self, for_stmt: &'a ast::ForStmt) {
        self.state.scopes.push();
        match &for_stmt.header {
            ForHeader::Clause { init, cond, post } => {
                if let Some(init) = init {
                    self.stmt(init);
                }
                if let Some(cond) = cond {
                    self.condition(cond, "for statement");
                }
                if let Some(post) = post {
                    if let Stmt::Define { span, .. } = **post {
                        self.error(
                            span,
                            "syntax error: cannot declare in post statement of for loop",
                        );
                    } else {
                        self.stmt(post);
                    }
                }
            }
            ForHeader::Range {
                key,
                value,
                define,
                expr,
            } => self.range_clause(key.as_ref(), value.as_ref(), *define, expr, for_stmt.span),
        }
        self.block(&for_stmt.body);
        self.state.scopes.pop();
    }

    fn range_clause(
        &mut self,
        key: Option<&'a Expr>,
        value: Option<&'a Expr>,
        define: bool,
        expr: &'a Expr,
        for_span: Span,
    ) {
        let mut x = self.expr(expr);
        // Go describes the range expression as written, before it takes its type; only an
        // assignment (not a definition) can need it.
        let range_desc = (!define).then(|| self.operand_string(&x));
        // The types of the key and of the value.
        let mut elem_ty = INVALID;
        let mut value_ty = INVALID;
        let slice_elem = self.state.info.types.slice_elem(x.ty);
        if x.mode != Mode::Invalid {
            if let Some(slice_elem) = slice_elem {
                elem_ty = ty::INT;
                value_ty = slice_elem;
            } else if !ty::is_integer(x.ty) {
                if ty::is_string(x.ty) {
                    self.error(expr.span, "range over a string is not supported");
                } else if self.state.info.types.func(x.ty).is_some() {
                    self.error(expr.span, "range over a function is not supported");
                } else {
                    let desc = self.operand_string(&x);
                    self.error(expr.span, format!("cannot range over {desc}"));
                }
            } else if let Some(value) = value {
                let desc = self.operand_string(&x);
                self.error(
                    value.span,
                    format!("range over {desc} permits only one iteration variable"),
                );
            } else if ty::is_untyped(x.ty) {
                // An untyped rune's default type is rejected by `assignment`.
                let target = ty::default_type(x.ty);
                self.assignment(&mut x, target, "range clause");
                if x.mode != Mode::Invalid {
                    elem_ty = target;
                }
            } else {
                // Ranging over an integer yields values of its type (`byte` too).
                elem_ty = x.ty;
            }
        }
        let vars: Vec<(&'a Expr, TypeId)> = key
            .map(|key| (key, elem_ty))
            .into_iter()
            .chain(value.map(|value| (value, value_ty)))
            .collect();
        if !define {
            for (target, elem_ty) in vars {
                if let Some(target_ty) = self.lhs_type(target)
                    && elem_ty != INVALID
                    && !self.state.info.types.identical(target_ty, elem_ty)
                    && target_ty != INVALID
                {
                    let target_name = self.state.info.types.display(target_ty);
                    if slice_elem.is_some() {
                        // Go assigns each iteration value of a slice as `target = value`.
                        let text = self.expr_text(target);
                        let elem_name = self.state.info.types.display(elem_ty);
                        self.error(
                            target.span,
                            format!(
                                "cannot use {text} (value of type {elem_name}) as {target_name} value in assignment"
                            ),
                        );
                    } else {
                        let range_desc = range_desc.as_deref().unwrap_or_default();
                        self.error(
                            expr.span,
                            format!(
                                "cannot use {range_desc} as {target_name} value in range clause"
                            ),
                        );
                    }
                }
            }
            return;
        }
        // The variables are declared even when the range expression is wrong, so that their
        // uses are not reported again.
        let mut any_new = false;
        for (target, elem_ty) in vars {
            let ExprKind::Name(name) = target.kind else {
                let text = self.expr_text(target);
                self.error(target.span, format!("non-name {text} on left side of :="));
                continue;
            };
            any_new |= name != self.state.blank;
            let ident = Ident {
                id: target.id,
                name,
                span: target.span,
            };
            let owner = self.current_func();
            let kind = ObjKind::Var {
                owner,
                is_param: false,
            };
            let obj = self.new_obj(name, target.span, elem_ty, kind);
            self.declare_local(ident, obj);
        }
        if !any_new {
            self.error(for_span, "no new variables on left side of :=");
        }
    }

    fn switch_stmt(&mut self, switch: &'a ast::SwitchStmt) {
        self.state.scopes.push();
        if let Some(init) = &switch.init {
            self.stmt(init);
        }
        let mut tag = match &switch.tag {
            Some(tag) => {
                let mut x = self.expr(tag);
                if x.mode != Mode::Invalid {
                    if x.mode == Mode::Nil {
                        self.error(tag.span, "use of untyped nil in switch expression");
                        x.mode = Mode::Invalid;
                    } else {
                        let ty = ty::default_type(x.ty);
                        self.assignment(&mut x, ty, "switch expression");
                    }
                }
                x
            }
            None => Operand::constant_bool(true, switch.span),
        };
        if tag.mode == Mode::Constant {
            // A constant tag is compared as a value.
            tag.mode = Mode::Value;
        }
        let mut seen_default: Option<Span> = None;
        let mut seen_values: Vec<(ConstValue, TypeId, Span)> = Vec::new();
        for clause in &switch.clauses {
            match &clause.exprs {
                None => {
                    if let Some(first) = seen_default {
                        let pos = self.source.position(first);
                        self.error(clause.span, format!("multiple defaults (first at {pos})"));
                    } else {
                        seen_default = Some(clause.span);
                    }
                }
                Some(exprs) => {
                    for expr in exprs {
                        self.case_value(&tag, switch.tag.as_ref(), expr, &mut seen_values);
                    }
                }
            }
            self.state.scopes.push();
            self.stmt_list(&clause.body);
            self.state.scopes.pop();
        }
        self.state.scopes.pop();
    }

    fn case_value(
        &mut self,
        tag: &Operand<'a>,
        tag_expr: Option<&'a Expr>,
        expr: &'a Expr,
        seen: &mut Vec<(ConstValue, TypeId, Span)>,
    ) {
        let mut x = self.expr(expr);
        if x.mode == Mode::Invalid || tag.mode == Mode::Invalid {
            return;
        }
        let mut y = tag.clone();
        let ok = self.compare_case(&mut x, &mut y, tag_expr, expr);
        if !ok || x.mode != Mode::Constant {
            return;
        }
        let Some(value) = x.val.clone() else {
            return;
        };
        if matches!(value, ConstValue::Bool(_)) {
            return;
        }
        if let Some((_, _, first)) = seen
            .iter()
            .find(|(other, other_ty, _)| *other == value && *other_ty == x.ty)
        {
            let first = *first;
            let desc = self.operand_string(&x);
            self.error_with_notes(
                expr.span,
                format!("duplicate case {desc} in expression switch"),
                vec![(first, "previous case".to_string())],
            );
            return;
        }
        // Go's note points at the node's own position: a binary expression's operator, a
        // call's opening parenthesis.
        let pos = match &expr.kind {
            ExprKind::Binary(_, binary) => binary.op_span,
            ExprKind::Call(call) => {
                let after = call.callee.span.hi as usize;
                let offset = self.source.text[after..].find('(').unwrap_or(0);
                Span::new(after + offset, after + offset + 1)
            }
            _ => expr.span,
        };
        seen.push((value, x.ty, pos));
    }
}

/// Returns where a statement starts, as far as the tree keeps it, for
/// [`NESTED_TOO_DEEPLY`]; `None` for a statement that holds nothing (`;`, `var ()`).
fn stmt_pos(stmt: &Stmt) -> Option<Span> {
    match stmt {
        Stmt::Expr(expr) => Some(expr.span),
        Stmt::Var(specs) => specs
            .first()
            .and_then(|spec| spec.names.first())
            .map(|name| name.span),
        Stmt::Const(specs) => specs
            .first()
            .and_then(|spec| spec.names.first())
            .map(|name| name.span),
        Stmt::Define { lhs, span, .. } | Stmt::Assign { lhs, span, .. } => {
            Some(lhs.first().map_or(*span, |target| target.span))
        }
        Stmt::IncDec { target, .. } => Some(target.span),
        Stmt::Block(block) => Some(block.lbrace()),
        Stmt::If(if_stmt) => Some(if_stmt.span),
        Stmt::For(for_stmt) => Some(for_stmt.span),
        Stmt::Switch(switch) => Some(switch.span),
        Stmt::Return { span, .. } | Stmt::Branch { span, .. } => Some(*span),
        Stmt::Labeled { label, .. } => Some(label.span),
        Stmt::Type(decl) => Some(decl.span),
        Stmt::TypeSwitch(switch) => Some(switch.span),
        Stmt::Select(select) => Some(select.span),
        Stmt::GoDefer { span, .. } | Stmt::Goto { span, .. } | Stmt::Fallthrough(span) => {
            Some(*span)
        }
        Stmt::Send(send) => Some(send.chan.span),
        Stmt::Empty | Stmt::Bad => None,
    }
}

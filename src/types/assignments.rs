//! Assignments, as types2's `assignments.go`: assignability of one value to a type, the
//! pairing of values with variables or results (a single call may provide several), and
//! the statements that assign: `=`, `op=`, `++`, `--`, `:=`, and `return`.
//!
//! Count mismatches are reported once, in Go's words (`assignment mismatch: 2 variables but
//! f returns 1 value`, `not enough return values` with the types had and wanted).

use crate::diag::Span;
use crate::syntax::ast::{Expr, ExprKind, Ident, Symbol, unparen};
use crate::types::check::Checker;
use crate::types::object::ObjKind;
use crate::types::operand::{Mode, Operand};
use crate::types::ty::{self, INVALID, TypeId, UNTYPED_BOOL, UNTYPED_NIL};

impl<'a> Checker<'a> {
    /// Checks that `x` can be assigned to a variable of type `target` in `context`, converting
    /// an untyped `x`, as Go's `assignment`.
    pub(crate) fn assignment(&mut self, x: &mut Operand<'a>, target: TypeId, context: &str) {
        let taken = std::mem::replace(x, Operand::placeholder(x.span));
        *x = self.single_value(taken);
        if x.mode == Mode::Invalid || target == INVALID {
            return;
        }
        if target == ty::UNTYPED_RUNE {
            // Callers ask for an untyped operand's default type (`x := 'a'`,
            // `fmt.Println('a')`); an untyped rune's is `rune`, which Toy lacks.
            let desc = self.operand_string(x);
            self.unsupported(
                x.span,
                &format!("rune, the default type of {desc}, is not supported"),
            );
            x.mode = Mode::Invalid;
            return;
        }
        if ty::is_untyped(x.ty) {
            if x.mode == Mode::Nil && !self.state.info.types.nil_able(target) {
                let desc = self.operand_string(x);
                self.cannot_use(x, &desc, target, context, "");
                return;
            }
            // `implicit_type` leaves `x` as it was when it fails, so the description is
            // made only for the error.
            if let Err(overflow) = self.implicit_type(x, target) {
                let before = self.operand_string(x);
                let suffix = if overflow { " (overflows)" } else { "" };
                self.cannot_use(x, &before, target, context, suffix);
                return;
            }
        }
        if !self.state.info.types.identical(x.ty, target) {
            let desc = self.operand_string(x);
            self.cannot_use(x, &desc, target, context, "");
        }
    }

    /// Reports Go's `cannot use X as T value in CONTEXT` for `x`, described as `desc`, and
    /// invalidates it.
    fn cannot_use(
        &mut self,
        x: &mut Operand<'a>,
        desc: &str,
        target: TypeId,
        context: &str,
        suffix: &str,
    ) {
        let target_name = self.state.info.types.display(target);
        self.error(
            x.span,
            format!("cannot use {desc} as {target_name} value in {context}{suffix}"),
        );
        x.mode = Mode::Invalid;
    }

    /// Type-checks initial values for `n_vars` variables of type `declared` (or inferred),
    /// returning each variable's type. `ret_span` is set for a return statement.
    pub(crate) fn init_vars(
        &mut self,
        declared: Option<TypeId>,
        n_vars: usize,
        values: &'a [Expr],
        ret_span: Option<Span>,
    ) -> Vec<TypeId> {
        let targets = vec![declared; n_vars];
        self.assign_values(&targets, values, ret_span, |checker, x, target, context| {
            checker.init_var(x, target, context)
        })
    }

    pub(crate) fn init_var(
        &mut self,
        x: &mut Operand<'a>,
        declared: Option<TypeId>,
        context: &str,
    ) -> TypeId {
        if x.mode == Mode::Invalid {
            return declared.unwrap_or(INVALID);
        }
        match declared {
            Some(ty) => {
                if ty != INVALID {
                    self.assignment(x, ty, context);
                }
                ty
            }
            None => {
                if x.mode == Mode::Nil {
                    self.error(x.span, format!("use of untyped nil in {context}"));
                    return INVALID;
                }
                let target = ty::default_type(x.ty);
                self.assignment(x, target, context);
                if x.mode == Mode::Invalid {
                    INVALID
                } else {
                    target
                }
            }
        }
    }

    /// Pairs `values` with `targets` as Go's `initVars` and `assignVars` do (a single call may
    /// provide several values), calling `assign` for each pair and reporting count mismatches.
    pub(crate) fn assign_values(
        &mut self,
        targets: &[Option<TypeId>],
        values: &'a [Expr],
        ret_span: Option<Span>,
        mut assign: impl FnMut(&mut Checker<'a>, &mut Operand<'a>, Option<TypeId>, &str) -> TypeId,
    ) -> Vec<TypeId> {
        let n_targets = targets.len();
        let context = if ret_span.is_some() {
            "return statement"
        } else if n_targets > 1 {
            "multiple assignment"
        } else {
            "assignment"
        };
        let invalid = |targets: &[Option<TypeId>]| {
            targets
                .iter()
                .map(|t| t.unwrap_or(INVALID))
                .collect::<Vec<_>>()
        };
        let is_call = values.len() == 1 && matches!(unparen(&values[0]).kind, ExprKind::Call(..));
        if n_targets == values.len() && !is_call {
            let mut types = Vec::with_capacity(n_targets);
            for (value, &target) in values.iter().zip(targets) {
                let mut x = self.expr(value);
                types.push(assign(self, &mut x, target, context));
            }
            return types;
        }
        if values.len() != 1 {
            let operands: Vec<Operand<'a>> = values.iter().map(|value| self.raw(value)).collect();
            if operands.iter().all(|x| x.mode != Mode::Invalid) {
                match ret_span {
                    Some(span) => self.return_error(span, targets, &operands),
                    None => self.assign_error(values, n_targets, values.len()),
                }
            }
            return invalid(targets);
        }
        let operands = self.multi_expr(&values[0]);
        if operands.len() == n_targets {
            let mut types = Vec::with_capacity(n_targets);
            for (mut x, &target) in operands.into_iter().zip(targets) {
                types.push(assign(self, &mut x, target, context));
            }
            return types;
        }
        if operands.first().is_some_and(|x| x.mode != Mode::Invalid) {
            match ret_span {
                Some(span) => self.return_error(span, targets, &operands),
                None => self.assign_error(values, n_targets, operands.len()),
            }
        }
        invalid(targets)
    }

    fn assign_error(&mut self, values: &'a [Expr], n_vars: usize, n_values: usize) {
        let vars = measure(n_vars, "variable");
        let vals = measure(n_values, "value");
        let first = &values[0];
        if values.len() == 1
            && let ExprKind::Call(call) = &unparen(first).kind
        {
            let callee = self.expr_text(&call.callee);
            self.error(
                first.span,
                format!("assignment mismatch: {vars} but {callee} returns {vals}"),
            );
            return;
        }
        self.error(
            first.span,
            format!("assignment mismatch: {vars} but {vals}"),
        );
    }

    pub(crate) fn return_error(
        &mut self,
        ret_span: Span,
        targets: &[Option<TypeId>],
        values: &[Operand<'a>],
    ) {
        let (at, qualifier) = if values.len() > targets.len() {
            (values[targets.len()].span, "too many")
        } else if let Some(last) = values.last() {
            (last.span, "not enough")
        } else {
            (ret_span, "not enough")
        };
        let have: Vec<TypeId> = values.iter().map(|x| x.ty).collect();
        let want: Vec<TypeId> = targets.iter().map(|t| t.unwrap_or(INVALID)).collect();
        let message = format!(
            "{qualifier} return values\n\thave {}\n\twant {}",
            self.types_summary(&have),
            self.types_summary(&want)
        );
        self.error(at, message);
    }

    /// Formats types as Go's `typesSummary`: untyped numbers as `number`.
    pub(crate) fn types_summary(&self, types: &[TypeId]) -> String {
        self.types_summary_with(types, false, false)
    }

    /// Writes Go's summary of `types`, the last one as `...T` when `variadic` (a variadic
    /// parameter of type `[]T`) or as `T...` when `dots` (an argument written with `...`).
    pub(crate) fn types_summary_with(
        &self,
        types: &[TypeId],
        variadic: bool,
        dots: bool,
    ) -> String {
        let parts: Vec<String> = types
            .iter()
            .enumerate()
            .map(|(idx, &ty)| {
                let last = idx + 1 == types.len();
                let text = match ty {
                    INVALID => "unknown type".to_string(),
                    ty::UNTYPED_INT | ty::UNTYPED_RUNE => "number".to_string(),
                    UNTYPED_BOOL => "bool".to_string(),
                    ty::UNTYPED_STRING => "string".to_string(),
                    UNTYPED_NIL => "nil".to_string(),
                    other => match self.state.info.types.slice_elem(other) {
                        Some(elem) if variadic && last => {
                            format!("...{}", self.state.info.types.display(elem))
                        }
                        _ => self.state.info.types.display(other),
                    },
                };
                if dots && last {
                    format!("{text}...")
                } else {
                    text
                }
            })
            .collect();
        format!("({})", parts.join(", "))
    }

    pub(crate) fn short_var_decl(&mut self, lhs: &'a [Expr], rhs: &'a [Expr], span: Span) {
        let owner = self.current_func();
        let depth = self.state.scopes.depth();
        let mut seen: Vec<Symbol> = Vec::new();
        // Per left-hand side: the type of a variable this scope already has (`None` for a new
        // or erroneous one), and the name to declare if it is new.
        let mut targets: Vec<Option<TypeId>> = Vec::with_capacity(lhs.len());
        let mut new_names: Vec<Option<Ident>> = Vec::with_capacity(lhs.len());
        let mut has_err = false;
        for target in lhs {
            let (target_ty, new_name) = self.define_target(target, depth, &mut seen);
            has_err |= target_ty.is_none() && new_name.is_none();
            targets.push(target_ty);
            new_names.push(new_name);
        }
        let types = self.assign_values(&targets, rhs, None, |checker, x, target, context| {
            checker.init_var(x, target, context)
        });
        let mut any_new = false;
        for (idx, ident) in new_names.into_iter().enumerate() {
            let Some(ident) = ident else {
                continue;
            };
            let ty = types.get(idx).copied().unwrap_or(INVALID);
            let obj = self.new_obj(
                ident.name,
                ident.span,
                ty,
                ObjKind::Var {
                    owner,
                    is_param: false,
                },
            );
            if ident.name != self.state.blank {
                any_new = true;
            }
            self.declare_local(ident, obj);
        }
        if !any_new && !has_err {
            self.error(span, "no new variables on left side of :=");
        }
    }

    /// Classifies one left-hand side of `:=`: an existing variable of the current scope (its
    /// type), a new name, or an error (reported; both `None`).
    fn define_target(
        &mut self,
        target: &'a Expr,
        depth: u32,
        seen: &mut Vec<Symbol>,
    ) -> (Option<TypeId>, Option<Ident>) {
        let ExprKind::Name(name) = target.kind else {
            let text = self.expr_text(target);
            self.error(target.span, format!("non-name {text} on left side of :="));
            // Go still evaluates it, reporting undefined names.
            self.raw(target);
            return (None, None);
        };
        let ident = Ident {
            id: target.id,
            name,
            span: target.span,
        };
        if name == self.state.blank {
            return (None, Some(ident));
        }
        if seen.contains(&name) {
            let message = format!("{} repeated on left side of :=", self.name(name));
            self.error(target.span, message);
            return (None, None);
        }
        seen.push(name);
        let Some((obj, obj_depth)) = self.state.scopes.lookup_depth(name) else {
            return (None, Some(ident));
        };
        if obj_depth != depth {
            return (None, Some(ident));
        }
        self.nodes.set_obj(target.id, obj);
        if let ObjKind::Var { .. } = self.state.info.obj(obj).kind {
            return (Some(self.state.info.obj(obj).ty), None);
        }
        self.error(target.span, format!("cannot assign to {}", self.name(name)));
        (None, None)
    }

    pub(crate) fn assign_vars(&mut self, lhs: &'a [Expr], rhs: &'a [Expr]) {
        let blanks: Vec<bool> = lhs.iter().map(|target| is_blank(self, target)).collect();
        let targets: Vec<Option<TypeId>> = lhs.iter().map(|target| self.lhs_type(target)).collect();
        let mut blanks = blanks.into_iter();
        self.assign_values(&targets, rhs, None, |checker, x, target, context| {
            // A target that is neither valid nor blank was reported by `lhs_type`.
            let blank = blanks.next().unwrap_or(false);
            if target.is_some() || blank {
                checker.assign_to(x, target, context);
            }
            INVALID
        });
    }

    /// Returns the type of an assignment target without counting it as a use; `None` for the
    /// blank identifier or an invalid target (already reported).
    pub(crate) fn lhs_type(&mut self, target: &'a Expr) -> Option<TypeId> {
        if is_blank(self, target) {
            self.nodes.set_ty(target.id, INVALID);
            return None;
        }
        if let ExprKind::Name(name) = unparen(target).kind
            && let Some(obj) = self.state.scopes.lookup(name)
            && let ObjKind::Var { .. } = self.state.info.obj(obj).kind
        {
            let used = self.state.used[obj.0 as usize];
            let x = self.expr(target);
            self.state.used[obj.0 as usize] = used;
            return (x.mode != Mode::Invalid).then_some(x.ty);
        }
        let x = self.expr(target);
        match x.mode {
            Mode::Invalid => None,
            Mode::Variable => Some(x.ty),
            _ => {
                let text = self.expr_text(target);
                self.error(
                    target.span,
                    format!(
                        "cannot assign to {text} (neither addressable nor a map index expression)"
                    ),
                );
                None
            }
        }
    }

    /// Assigns `x` to a target whose type `lhs_type` found; `None` is the blank identifier.
    fn assign_to(&mut self, x: &mut Operand<'a>, target_ty: Option<TypeId>, context: &str) {
        if x.mode == Mode::Invalid {
            return;
        }
        match target_ty {
            None => {
                // The blank identifier takes any value, converted to its default type.
                // Go names the blank identifier in a single assignment only.
                let context = if context == "assignment" {
                    "assignment to _ identifier".to_string()
                } else {
                    context.to_string()
                };
                if x.mode == Mode::Nil {
                    self.error(x.span, format!("use of untyped nil in {context}"));
                    return;
                }
                let ty = ty::default_type(x.ty);
                self.assignment(x, ty, &context);
            }
            Some(ty) => self.assignment(x, ty, context),
        }
    }

    /// Assigns `x` to `target` for `op=` and `++`: the target is evaluated again as an
    /// assignment target.
    pub(crate) fn assign_var(&mut self, target: &'a Expr, x: &mut Operand<'a>, context: &str) {
        let target_ty = self.lhs_type(target);
        if target_ty.is_some() {
            self.assign_to(x, target_ty, context);
        }
    }
}

fn measure(n: usize, unit: &str) -> String {
    if n == 1 {
        format!("{n} {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

fn is_blank(checker: &Checker<'_>, expr: &Expr) -> bool {
    matches!(unparen(expr).kind, ExprKind::Name(name) if name == checker.state.blank)
}

//! Composite literals, as types2's `literals.go`: `[]T{…}`, keyed (`[]int{5: 1, 2}`), and
//! with the element type left out of nested literals (`[][]int{{1}, {2, 3}}`). A literal of
//! any other type is rejected: Toy has no structs, arrays or maps yet.

use rustc_hash::FxHashSet;

use crate::syntax::ast::{Composite, Expr, ExprKind};
use crate::types::check::Checker;
use crate::types::expr::is_rejected;
use crate::types::operand::{Mode, Operand};
use crate::types::ty::{INVALID, TypeId};

impl<'a> Checker<'a> {
    /// Checks a composite literal; `hint` is the element type of the literal that holds it,
    /// which a literal without a type takes.
    pub(crate) fn composite(
        &mut self,
        expr: &'a Expr,
        lit: &'a Composite,
        hint: Option<TypeId>,
    ) -> Operand<'a> {
        let ty = match (&lit.ty, hint) {
            (Some(ty_expr), _) => {
                let t = self.raw(ty_expr);
                // A type already reported says nothing of its elements (a struct's keys
                // are field names), so they are not checked.
                if is_rejected(&t) {
                    return Operand::invalid(expr);
                }
                if t.mode != Mode::TypeExpr {
                    self.not_a_type(ty_expr, &t);
                    self.skip_elems(lit);
                    return Operand::invalid(expr);
                }
                t.ty
            }
            (None, Some(hint)) => hint,
            (None, None) => {
                self.unsupported(expr.span, "composite literals are not supported");
                return Operand::invalid(expr);
            }
        };
        let Some(elem) = self.state.info.types.slice_elem(ty) else {
            let name = self.state.info.types.display(ty);
            self.error(expr.span, format!("invalid composite literal type {name}"));
            self.skip_elems(lit);
            return Operand::invalid(expr);
        };
        let mut seen = FxHashSet::default();
        let mut next = 0i64;
        for element in &lit.elems {
            let value = match &element.kind {
                ExprKind::KeyValue(pair) => {
                    let [key, value] = &**pair;
                    match self.index(key, None) {
                        Some(Some(index)) => {
                            self.check_duplicate(element, index, &mut seen);
                            next = index;
                        }
                        Some(None) => {
                            let text = self.expr_text(key);
                            self.error(
                                element.span,
                                format!("index {text} must be integer constant"),
                            );
                        }
                        None => {}
                    }
                    value
                }
                _ => {
                    self.check_duplicate(element, next, &mut seen);
                    element
                }
            };
            next = next.saturating_add(1);
            let mut x = self.element(value, elem);
            self.assignment(&mut x, elem, "array or slice literal");
            if let ExprKind::KeyValue(_) = element.kind {
                self.nodes.set_ty(element.id, elem);
            }
        }
        Operand::new(Mode::Value, ty, expr)
    }

    /// Reports Go's `duplicate index` when `index` was given an element already.
    fn check_duplicate(&mut self, element: &'a Expr, index: i64, seen: &mut FxHashSet<i64>) {
        if !seen.insert(index) {
            self.error(
                element.span,
                format!("duplicate index {index} in array or slice literal"),
            );
        }
    }

    /// Checks an element of a literal whose elements are of type `elem`: a literal without
    /// a type takes it.
    fn element(&mut self, value: &'a Expr, elem: TypeId) -> Operand<'a> {
        let ExprKind::Composite(lit) = &value.kind else {
            return self.expr(value);
        };
        if lit.ty.is_some() {
            return self.expr(value);
        }
        if elem == INVALID {
            self.skip_elems(lit);
            return Operand::invalid(value);
        }
        if !self.enter(value.span) {
            return Operand::invalid(value);
        }
        let x = self.composite(value, lit, Some(elem));
        self.record(&x);
        self.leave();
        x
    }

    /// Checks the elements of a literal whose type is wrong, for their own errors.
    fn skip_elems(&mut self, lit: &'a Composite) {
        for element in &lit.elems {
            match &element.kind {
                ExprKind::KeyValue(pair) => {
                    self.raw(&pair[0]);
                    self.element(&pair[1], INVALID);
                }
                _ => {
                    self.element(element, INVALID);
                }
            }
        }
    }
}

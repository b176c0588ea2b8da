//! The order of evaluation within a statement, as gc's `order` pass fixes it.
//!
//! Within a statement, calls (and `len`, `min`, `max`, `&&`, `||`) are made first, left to
//! right, and plain variables are read afterwards: [`Builder::hoist`] makes the calls and
//! keeps their results, and `eval` then uses them where the calls stand. gc's `order` hoists
//! calls out of expressions into temporaries before the statement, so `g + f()` sees what
//! `f` did to `g`. One exception, also gc's: an operand of `fmt.Print`, `Println`,
//! `Printf` or `Sprintf` of type bool or byte that is not a variable or a constant is
//! evaluated where it stands among the calls (gc copies it into a temporary to take its
//! address for the conversion to `any`), so
//! `fmt.Println(n == 0, f())` compares before `f` runs. The Go spec leaves this order open;
//! gc, the oracle, fixes it.

use crate::syntax::ast::{BinOp, Expr, ExprKind, unparen};
use crate::types::object::{Builtin, ObjKind};
use crate::types::ty::{self, TypeId};

use super::{Builder, Words};

impl<'a> Builder<'a> {
    /// Evaluates a whole expression in gc's order: first every call in it (and every `&&`
    /// and `||`), left to right, then the rest. gc's `order` pass hoists calls out of
    /// expressions into temporaries before the statement, so a variable a call changes is
    /// read after the call: `g + f()` adds `f()` to the `g` that `f` left.
    pub(super) fn expr(&mut self, expr: &Expr) -> Words {
        self.hoist(expr);
        self.eval(expr)
    }

    /// [`Builder::expr`], converted to type `ty`.
    pub(super) fn expr_as(&mut self, expr: &Expr, ty: TypeId) -> Words {
        self.hoist(expr);
        self.eval_as(expr, ty)
    }

    /// Makes the calls in `expr` and evaluates its `&&` and `||` operations, left to right,
    /// keeping the results for `eval`. Conversions are not calls: only their arguments'
    /// calls are made.
    pub(super) fn hoist(&mut self, expr: &Expr) {
        if self.info.const_value(expr.id).is_some() || self.hoisted.contains_key(&expr.id) {
            return;
        }
        match &expr.kind {
            ExprKind::Paren(inner) | ExprKind::Unary(_, inner) => self.hoist(inner),
            ExprKind::Binary(BinOp::LAnd | BinOp::LOr, ..) => {
                let words = self.eval(expr);
                self.hoisted.insert(expr.id, words);
            }
            ExprKind::Binary(_, binary) => {
                self.hoist(&binary.operands[0]);
                self.hoist(&binary.operands[1]);
            }
            ExprKind::Call(call) => {
                if self.is_call(&call.callee) {
                    let words = self.call_expr(&call.callee, &call.args, call.dots.is_some());
                    self.hoisted.insert(expr.id, words);
                } else {
                    let to_interface = matches!(unparen(&call.callee).kind, ExprKind::Selector(..));
                    call.args
                        .iter()
                        .for_each(|arg| self.hoist_operand(arg, to_interface));
                }
            }
            // Evaluating these calls nothing: a literal's body runs when its closure is
            // called, and a selector is `fmt.Print` or `fmt.Println`, a callee.
            ExprKind::Name(_)
            | ExprKind::Int
            | ExprKind::Float
            | ExprKind::Rune
            | ExprKind::Str
            | ExprKind::FuncLit(_)
            | ExprKind::FuncType(_)
            | ExprKind::Selector(_)
            | ExprKind::Bad => {}
            ExprKind::Type(_) => {}
            ExprKind::Index(pair) => {
                self.hoist(&pair[0]);
                self.hoist(&pair[1]);
            }
            ExprKind::Slice(slice) => {
                self.hoist(&slice.base);
                for bound in [&slice.lo, &slice.hi, &slice.max].into_iter().flatten() {
                    self.hoist(bound);
                }
            }
            ExprKind::Composite(lit) => lit.elems.iter().for_each(|elem| self.hoist(elem)),
            // A key is a constant index.
            ExprKind::KeyValue(pair) => self.hoist(&pair[1]),
            ExprKind::Imag
            | ExprKind::Instance(_)
            | ExprKind::TypeAssert(_)
            | ExprKind::TypeGuard(_) => unreachable!("the checker rejects {:?}", expr.kind),
        }
    }

    /// [`Builder::hoist`] for an operand of a built-in; `to_interface` for `fmt.Print` and
    /// `fmt.Println`, whose operands gc converts to `any`.
    pub(super) fn hoist_operand(&mut self, arg: &Expr, to_interface: bool) {
        self.hoist(arg);
        // gc's `order` copies an operand converted to an interface into a temporary where
        // it stands among the calls when the conversion takes its address (a bool or a
        // byte: `convTnoptr`), unless it is a variable (addressable) or a constant:
        // `fmt.Println(n == 0, f())` compares before `f` runs, while
        // `fmt.Println(n, f())` and `fmt.Println(b, f())` read after it.
        if to_interface
            && !self.hoisted.contains_key(&arg.id)
            && self.converts_by_address(self.type_of(arg))
            && self.info.const_value(arg.id).is_none()
            && !self.is_variable(arg)
        {
            let words = self.eval(arg);
            self.hoisted.insert(arg.id, words);
        }
    }

    /// Reports whether gc converts a value of type `ty` to an interface by passing its
    /// address to the runtime (`dataWordFuncName`'s `needsaddr`): every type but a word
    /// without pointers (`convT64`), a string or a slice (`convTstring`, `convTslice`),
    /// and a pointer-shaped value (a function), which is its own data word.
    fn converts_by_address(&self, ty: TypeId) -> bool {
        let types = &self.info.types;
        let word_without_pointers = types.size(ty) == 8 && !types.has_pointers(ty);
        let sole_string_or_slice = ty::is_string(ty) || types.slice_elem(ty).is_some();
        let pointer_shaped = types.func(ty).is_some();
        !(word_without_pointers || sole_string_or_slice || pointer_shaped)
    }

    /// Reports whether `expr` is a variable, which gc reads where it is used.
    fn is_variable(&self, expr: &Expr) -> bool {
        let expr = unparen(expr);
        matches!(expr.kind, ExprKind::Name(_))
            && self
                .info
                .obj_of(expr.id)
                .is_some_and(|obj| matches!(self.info.obj(obj).kind, ObjKind::Var { .. }))
    }

    /// Reports whether gc's `order` pass moves a call of `callee` ahead of its statement:
    /// function calls, and the built-ins `len`, `cap`, `min`, `max`, `make`, `append` and
    /// `copy`, which it orders as calls; not conversions.
    fn is_call(&self, callee: &Expr) -> bool {
        let callee = unparen(callee);
        match &callee.kind {
            ExprKind::FuncType(_) | ExprKind::Type(_) => false,
            // Of the selectors, `fmt.Sprintf` is a call; `fmt.Print`, `Println` and `Printf`
            // are statements, and the intrinsics of `sys` are operations.
            ExprKind::Selector(selector) => self.file.names.name(selector.name.name) == "Sprintf",
            ExprKind::Name(_) => match self
                .info
                .obj_of(callee.id)
                .map(|obj| &self.info.obj(obj).kind)
            {
                Some(ObjKind::Builtin(builtin)) => {
                    matches!(
                        builtin,
                        Builtin::Len
                            | Builtin::Cap
                            | Builtin::Min
                            | Builtin::Max
                            | Builtin::Make
                            | Builtin::Append
                            | Builtin::Copy
                    )
                }
                Some(ObjKind::TypeName) => false,
                _ => true,
            },
            _ => true,
        }
    }

    /// Evaluates a list of expressions as one statement does: all their calls first, left
    /// to right, then the values; each converted to its type if given.
    pub(super) fn expr_list(&mut self, exprs: &[(&Expr, Option<TypeId>)]) -> Vec<Words> {
        for (expr, _) in exprs {
            self.hoist(expr);
        }
        exprs
            .iter()
            .map(|&(expr, ty)| match ty {
                Some(ty) => self.eval_as(expr, ty),
                None => self.eval(expr),
            })
            .collect()
    }
}

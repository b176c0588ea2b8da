//! Expressions once their calls are made (`eval`): constants and constant strings,
//! variables, operators with their run-time checks (a zero divisor, a negative shift
//! count), and function literals, which become closures and new units.

use std::sync::Arc;

use smallvec::SmallVec;

use crate::ssa::func::{Runtime, Sym, ValueId};
use crate::ssa::op::Op;
use crate::syntax::ast::{BinOp, Expr, ExprKind, UnOp};
use crate::types::constant::ConstValue;
use crate::types::object::ObjKind;
use crate::types::ty::{self, TypeId};
use crate::types::{FuncId, Info};

use super::{Builder, Capture, Known, Unit, VarLoc, Words};

impl<'a> Builder<'a> {
    /// Evaluates `expr` converted to type `ty` (only `nil` and untyped values need it),
    /// using the results of calls `hoist` already made.
    pub(super) fn eval_as(&mut self, expr: &Expr, ty: TypeId) -> Words {
        if self.info.const_value(expr.id).is_none() && self.type_of(expr) == ty::UNTYPED_NIL {
            return self.zero(self.words_of(ty));
        }
        self.eval(expr)
    }

    /// Evaluates `expr`, using the results `hoist` already computed (calls, `&&`, `||`,
    /// and the bool and byte operands of `fmt.Print*` and `fmt.Sprintf`).
    pub(super) fn eval(&mut self, expr: &Expr) -> Words {
        if !self.hoisted.is_empty()
            && let Some(words) = self.hoisted.remove(&expr.id)
        {
            return words;
        }
        if let Some(value) = self.info.const_value(expr.id) {
            return match value {
                ConstValue::Bool(b) => SmallVec::from_slice(&[self.constant(i64::from(*b))]),
                ConstValue::Int(_) => {
                    let v = value.to_i64().expect("the checker bounds typed constants");
                    SmallVec::from_slice(&[self.constant(v)])
                }
                ConstValue::Str(string) => self.string_lit(string.bytes()),
            };
        }
        match &expr.kind {
            ExprKind::Paren(inner) => self.eval(inner),
            ExprKind::Name(_) => {
                let obj = self.info.obj_of(expr.id).expect("a resolved name");
                match &self.info.obj(obj).kind {
                    ObjKind::Var { .. } => self.read_obj(obj),
                    ObjKind::Func(func) => {
                        let func = *func;
                        SmallVec::from_slice(&[self.addr(Sym::FuncValue(func))])
                    }
                    ObjKind::Nil => self.zero(self.words_of(self.type_of(expr))),
                    _ => self.zero(1),
                }
            }
            ExprKind::FuncLit(_) => self.func_lit(expr),
            ExprKind::Unary(op, inner) => {
                let x = self.eval(inner)[0];
                let op = match op {
                    UnOp::Plus => return SmallVec::from_slice(&[x]),
                    UnOp::Neg => Op::Neg,
                    UnOp::Not => Op::Not,
                    UnOp::BitNot => Op::Com,
                    UnOp::Deref | UnOp::Addr | UnOp::Recv => {
                        unreachable!("pointers and channels are rejected by the checker")
                    }
                };
                let result = self.value(op, 0, &[x]);
                SmallVec::from_slice(&[self.wrap(self.type_of(expr), result)])
            }
            ExprKind::Binary(BinOp::LAnd | BinOp::LOr, ..) => {
                let result = self.new_var(1);
                let then = self.new_block();
                let els = self.new_block();
                let join = self.new_block();
                self.cond(expr, then, els);
                self.seal(then);
                self.seal(els);
                self.cur = Some(then);
                let one = self.constant(1);
                self.write(result, one);
                self.jump(join);
                self.cur = Some(els);
                let zero = self.constant(0);
                self.write(result, zero);
                self.jump(join);
                self.seal(join);
                self.cur = Some(join);
                SmallVec::from_slice(&[self.read(result)])
            }
            ExprKind::Binary(op, binary) => {
                let [lhs, rhs] = &binary.operands;
                let (lty, rty) = (self.type_of(lhs), self.type_of(rhs));
                let operand_ty = if op.is_comparison() {
                    // `f == nil`: the untyped side takes the other's type.
                    if lty == ty::UNTYPED_NIL { rty } else { lty }
                } else {
                    self.type_of(expr)
                };
                let x = self.eval_as(lhs, operand_ty);
                let y = if matches!(op, BinOp::Shl | BinOp::Shr) {
                    self.eval(rhs)
                } else {
                    self.eval_as(rhs, operand_ty)
                };
                self.binary_words(*op, operand_ty, &x, &y, Some(rhs))
            }
            ExprKind::Call(call) => self.call_expr(&call.callee, &call.args, call.dots.is_some()),
            ExprKind::Index(pair) => self.index(&pair[0], &pair[1]),
            ExprKind::Slice(slice) => self.slice_expr(slice),
            ExprKind::Composite(lit) => self.composite(lit, self.type_of(expr)),
            _ => unreachable!("the checker rejects {:?}", expr.kind),
        }
    }

    pub(super) fn binary_words(
        &mut self,
        op: BinOp,
        ty: TypeId,
        x: &[ValueId],
        y: &[ValueId],
        rhs: Option<&Expr>,
    ) -> Words {
        if op.is_comparison() {
            return SmallVec::from_slice(&[self.compare(op, ty, x, y)]);
        }
        if ty::is_string(ty) {
            // Only `+` is defined on strings.
            return self.call_runtime(Runtime::Concat, &[x[0], x[1], y[0], y[1]]);
        }
        let (x, y) = (x[0], y[0]);
        // A byte lives in its word zero-extended (see `wrap`). Of the operators, only these
        // can leave 0..=255 and need the word truncated again: `& | ^ &^` of two such
        // words stay in range, and so do `/ %` and `>>`, which, on non-negative words,
        // give the unsigned answers with the signed instructions (a count of 64 or more
        // shifts right to 0, as for any non-negative word).
        let wraps = matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Shl);
        let divisor_known = rhs
            .and_then(|rhs| self.info.const_value(rhs.id))
            .is_some_and(|value| !value.is_zero());
        let op = match op {
            BinOp::Add => Op::Add,
            BinOp::Sub => Op::Sub,
            BinOp::Mul => Op::Mul,
            BinOp::And => Op::And,
            BinOp::Or => Op::Or,
            BinOp::Xor => Op::Xor,
            BinOp::AndNot => Op::AndNot,
            BinOp::Div | BinOp::Rem => {
                if !divisor_known {
                    let zero = self.constant(0);
                    let is_zero = self.value(Op::Eq, 0, &[y, zero]);
                    self.check(is_zero, Runtime::PanicDivide);
                }
                if op == BinOp::Div { Op::Div } else { Op::Mod }
            }
            BinOp::Shl | BinOp::Shr => {
                let count_known = rhs.and_then(|rhs| self.info.const_value(rhs.id)).is_some();
                if !count_known {
                    let zero = self.constant(0);
                    let negative = self.value(Op::Lt, 0, &[y, zero]);
                    self.check(negative, Runtime::PanicShift);
                }
                if op == BinOp::Shl { Op::Shl } else { Op::Shr }
            }
            _ => unreachable!("{op:?} is handled elsewhere"),
        };
        let result = self.value(op, 0, &[x, y]);
        let result = if wraps { self.wrap(ty, result) } else { result };
        SmallVec::from_slice(&[result])
    }

    /// Returns `value`, a word computed for a value of type `ty`, as a value of that type
    /// lives in its word: a `byte` zero-extended from its low 8 bits (`ZeroExt8`), which
    /// wraps the arithmetic to 8 bits; any other type's word as it is. Every operation
    /// that can leave 0..=255 goes through here, so a byte's word never holds more, and
    /// signed comparisons, division and `>>` of byte words give the unsigned answers.
    pub(super) fn wrap(&mut self, ty: TypeId, value: ValueId) -> ValueId {
        if ty::is_byte(ty) {
            self.value(Op::ZeroExt8, 0, &[value])
        } else {
            value
        }
    }

    pub(super) fn compare(
        &mut self,
        op: BinOp,
        ty: TypeId,
        x: &[ValueId],
        y: &[ValueId],
    ) -> ValueId {
        let op = match op {
            BinOp::Eq => Op::Eq,
            BinOp::Ne => Op::Ne,
            BinOp::Lt => Op::Lt,
            BinOp::Le => Op::Le,
            BinOp::Gt => Op::Gt,
            BinOp::Ge => Op::Ge,
            _ => unreachable!("not a comparison"),
        };
        if ty::is_string(ty) {
            let order = self.call_runtime(Runtime::CmpString, &[x[0], x[1], y[0], y[1]])[0];
            let zero = self.constant(0);
            return self.value(op, 0, &[order, zero]);
        }
        self.value(op, 0, &[x[0], y[0]])
    }

    fn func_lit(&mut self, expr: &Expr) -> Words {
        let func = self.info.lit_funcs[&expr.id];
        let captures = &self.info.funcs[func.0 as usize].captures;
        if captures.is_empty() {
            self.add_unit(func, Vec::new());
            let closure = self.addr(Sym::FuncValue(func));
            self.known.insert(
                closure,
                Known {
                    func,
                    env: Vec::new(),
                    words: Words::new(),
                },
            );
            return SmallVec::from_slice(&[closure]);
        }
        let env: Vec<Capture> = captures
            .iter()
            .map(|&obj| Capture {
                obj,
                by_ref: match self.env.get(&obj) {
                    Some(&by_ref) => by_ref,
                    None => self.boxed.contains(&obj),
                },
            })
            .collect();
        let words = closure_pointers(self.info, &env);
        let typ = words.contains(&true).then_some(Sym::Closure(func));
        let closure = self.alloc(words.len() as u32, typ);
        let code = self.addr(Sym::Func(func));
        self.value(Op::Store, 0, &[closure, code]);
        let mut off = 8;
        let mut captured = Words::new();
        for capture in &env {
            let words: Words = if capture.by_ref {
                match self.var_loc(capture.obj) {
                    VarLoc::Cell { var, .. } => SmallVec::from_slice(&[self.read(var)]),
                    _ => unreachable!("a variable captured by reference lives in a cell"),
                }
            } else {
                self.read_obj(capture.obj)
            };
            for word in words {
                self.value(Op::Store, off, &[closure, word]);
                captured.push(word);
                off += 8;
            }
        }
        self.add_unit(func, env.clone());
        self.known.insert(
            closure,
            Known {
                func,
                env,
                words: captured,
            },
        );
        SmallVec::from_slice(&[closure])
    }

    /// Lists literal `func` as a unit this function creates, unless the literal belongs to
    /// an inlined function, whose own unit lists it.
    fn add_unit(&mut self, func: FuncId, env: Vec<Capture>) {
        if !self.in_inlined_decl {
            self.closures.push(Unit::Func { func, env });
        }
    }

    /// Returns the words of a constant string. The unit keeps the checker's bytes, shared
    /// (a constant used in many functions is never copied per use).
    pub(super) fn string_lit(&mut self, bytes: &Arc<[u8]>) -> Words {
        if bytes.is_empty() {
            let zero = self.constant(0);
            return SmallVec::from_slice(&[zero, zero]);
        }
        let same = |s: &Arc<[u8]>| Arc::ptr_eq(s, bytes) || **s == **bytes;
        let idx = match self.f.strings.iter().position(same) {
            Some(idx) => idx,
            None => {
                self.f.strings.push(Arc::clone(bytes));
                self.f.strings.len() - 1
            }
        };
        let ptr = self.addr(Sym::Str(idx as u32));
        let len = self.constant(bytes.len() as i64);
        SmallVec::from_slice(&[ptr, len])
    }
}

/// Returns the words of a closure object with captures `env`, true where one is a pointer:
/// the code pointer, which a collector need not follow (it addresses code), then each
/// capture, a cell's address or the captured value's words.
pub(crate) fn closure_pointers(info: &Info, env: &[Capture]) -> Vec<bool> {
    let mut words = vec![false];
    for capture in env {
        if capture.by_ref {
            words.push(true);
        } else {
            words.extend_from_slice(info.types.word_pointers(info.obj(capture.obj).ty));
        }
    }
    words
}

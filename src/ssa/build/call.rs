//! Calls: of functions, of closure values, of the runtime, and of the built-ins, plus
//! conversions, which change no bits.
//!
//! Run-time checks are explicit control flow: a divisor compared with zero, a shift count
//! with zero, a function value with nil, each branching to a block that calls the runtime's
//! panic and never returns (`BlockKind::Exit`, made by `check`).

use smallvec::SmallVec;

use crate::ssa::abi::Convention;
use crate::ssa::func::{Runtime, Sym, ValueId};
use crate::ssa::op::{BlockKind, Op};
use crate::syntax::ast::{BinOp, Expr, ExprKind, unparen};
use crate::types::object::{Builtin, ObjKind};
use crate::types::sys::Intrinsic;
use crate::types::ty::{self, TypeId};

use super::{Builder, Words};

impl<'a> Builder<'a> {
    /// Ends the current block with a call to a runtime function that never returns.
    pub(super) fn call_noreturn(&mut self, rt: Runtime, args: &[ValueId]) {
        self.call_runtime(rt, args);
        let block = self.cur.take().expect("code is reachable");
        self.f.blocks[block.0 as usize].kind = BlockKind::Exit;
    }

    /// Branches to a panic block calling `rt` when `cond` holds, and continues after it.
    pub(super) fn check(&mut self, cond: ValueId, rt: Runtime) {
        let fail = self.new_block();
        let ok = self.new_block();
        self.branch(cond, fail, ok);
        self.seal(fail);
        self.seal(ok);
        self.cur = Some(fail);
        self.call_noreturn(rt, &[]);
        self.cur = Some(ok);
    }

    pub(super) fn call_runtime(&mut self, rt: Runtime, args: &[ValueId]) -> Words {
        let sym = self.f.sym(Sym::Runtime(rt));
        self.call(Op::StaticCall, sym, None, args, rt.results())
    }

    fn call(
        &mut self,
        op: Op,
        sym: i64,
        callee: Option<ValueId>,
        args: &[ValueId],
        results: &[bool],
    ) -> Words {
        let call = match callee {
            Some(fv) => {
                let operands: Vec<ValueId> =
                    std::iter::once(fv).chain(args.iter().copied()).collect();
                self.value(op, 0, &operands)
            }
            None => self.value(op, sym, args),
        };
        let convention = Convention::of_call(&self.f, self.f.value(call));
        let out = convention.stack_words(args.len() as u32, results.len() as u32);
        self.f.out_words = self.f.out_words.max(out);
        results
            .iter()
            .enumerate()
            .map(|(idx, &ptr)| self.typed_value(Op::LoadResult, idx as i64, &[], ptr))
            .collect()
    }

    /// Builds the call of `callee` with `args`: a conversion, a built-in, a top-level
    /// function called or inlined, or a closure value called or inlined.
    pub(super) fn call_expr(&mut self, callee: &Expr, args: &[Expr], spread: bool) -> Words {
        let callee = unparen(callee);
        match &callee.kind {
            ExprKind::FuncType(_) | ExprKind::Type(_) => {
                return self.conversion(self.type_of(callee), args);
            }
            ExprKind::Selector(selector) => {
                // The checker admits only `fmt.Print`, `fmt.Println` and, in the runtime,
                // the intrinsics of `sys`, whose names are none of those.
                let name = self.file.names.name(selector.name.name);
                let builtin = match (name, Intrinsic::from_name(name)) {
                    (_, Some(intrinsic)) => Builtin::Sys(intrinsic),
                    ("Println", None) => Builtin::FmtPrintln,
                    ("Printf", None) => Builtin::FmtPrintf,
                    ("Sprintf", None) => Builtin::FmtSprintf,
                    _ => Builtin::FmtPrint,
                };
                return self.builtin(builtin, args, spread);
            }
            ExprKind::Name(_) => {
                let obj = self.info.obj_of(callee.id).expect("a resolved callee");
                match &self.info.obj(obj).kind {
                    ObjKind::Builtin(builtin) => return self.builtin(*builtin, args, spread),
                    ObjKind::TypeName => return self.conversion(self.type_of(callee), args),
                    ObjKind::Func(func) => {
                        let func = *func;
                        let fty = self.type_of(callee);
                        args.iter().for_each(|arg| self.hoist(arg));
                        let arg_words = self.args(fty, args, spread);
                        if self.inlinable(func) {
                            return self.inline(func, &arg_words);
                        }
                        let results = self.result_pointers(fty);
                        let sym = self.f.sym(Sym::Func(func));
                        return self.call(Op::StaticCall, sym, None, &arg_words, &results);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        let fty = self.type_of(callee);
        self.hoist(callee);
        args.iter().for_each(|arg| self.hoist(arg));
        let fv = self.eval(callee)[0];
        let arg_words = self.args(fty, args, spread);
        // A closure made here needs no nil check, and its body can replace the call.
        if let Some(known) = self.known.get(&fv)
            && self.lit_inlinable(known.func)
        {
            let known = known.clone();
            return self.inline_lit(&known, &arg_words);
        }
        let zero = self.constant(0);
        let is_nil = self.value(Op::Eq, 0, &[fv, zero]);
        self.check(is_nil, Runtime::PanicNil);
        let results = self.result_pointers(fty);
        self.call(Op::ClosureCall, 0, Some(fv), &arg_words, &results)
    }

    /// Converts `args[0]` to `target`. Most conversions change no bits (`int(b)` of a
    /// byte's zero-extended word, `string(s)`, function types); `byte(i)` truncates, and
    /// `string(i)` of an integer encodes it (a constant one was folded by the checker).
    fn conversion(&mut self, target: TypeId, args: &[Expr]) -> Words {
        let from = self.type_of(&args[0]);
        let mut words = self.eval(&args[0]);
        if ty::is_string(target) && ty::is_integer(from) {
            return self.call_runtime(Runtime::IntString, &[words[0]]);
        }
        if ty::is_string(from) && self.info.types.slice_elem(target).is_some() {
            let constant = self.info.const_value(args[0].id).is_some();
            return self.string_to_bytes(&words, constant);
        }
        if ty::is_string(target) && self.info.types.slice_elem(from).is_some() {
            return self.bytes_to_string(&words);
        }
        if ty::is_integer(from) && !ty::is_byte(from) {
            words[0] = self.wrap(target, words[0]);
        }
        words
    }

    /// Returns the result words of a function of type `fty`, true where one is a pointer.
    fn result_pointers(&self, fty: TypeId) -> SmallVec<[bool; 4]> {
        let func = self.info.types.func(fty).expect("a function type");
        let types = &self.info.types;
        func.results
            .iter()
            .flat_map(|&ty| types.word_pointers(ty).iter().copied())
            .collect()
    }

    /// Evaluates the arguments of a call of a function of type `fty` into its argument
    /// words. The values a variadic function takes for its last parameter are packed into a
    /// new slice (none: a nil slice), unless `spread` passes one as it is (`f(s...)`: the
    /// callee shares the caller's array, as in Go).
    fn args(&mut self, fty: TypeId, args: &[Expr], spread: bool) -> Words {
        let func = self.info.types.func(fty).expect("a function type");
        let (params, variadic) = (func.params.clone(), func.variadic && !spread);
        // Each argument's type and words: `f(g())` passes g's results.
        let tuple = match args {
            [arg] => self.tuple_types(arg),
            _ => None,
        };
        let values: Vec<(TypeId, Words)> = match tuple {
            Some(tuple) => {
                let words = self.eval(&args[0]);
                let mut at = 0;
                tuple
                    .into_iter()
                    .map(|ty| {
                        let n = self.words_of(ty) as usize;
                        at += n;
                        (ty, SmallVec::from_slice(&words[at - n..at]))
                    })
                    .collect()
            }
            None => args
                .iter()
                .enumerate()
                .map(|(idx, arg)| {
                    let ty = match params.get(idx) {
                        Some(&ty) if !variadic || idx + 1 < params.len() => ty,
                        _ => self
                            .info
                            .types
                            .slice_elem(params[params.len() - 1])
                            .expect("a variadic parameter is a slice"),
                    };
                    (ty, self.eval_as(arg, ty))
                })
                .collect(),
        };
        if !variadic {
            return values.into_iter().flat_map(|(_, words)| words).collect();
        }
        let fixed = params.len() - 1;
        let mut words: Words = values[..fixed]
            .iter()
            .flat_map(|(_, words)| words.iter().copied())
            .collect();
        let elem = self
            .info
            .types
            .slice_elem(params[fixed])
            .expect("a variadic parameter is a slice");
        let rest: Vec<Words> = values[fixed..]
            .iter()
            .map(|(_, words)| words.clone())
            .collect();
        words.extend(self.pack(elem, &rest));
        words
    }

    /// Evaluates the arguments of a built-in, each with its (default) type; their calls are
    /// made first. `to_interface` for `fmt.Print` and `fmt.Println`, whose operands gc
    /// converts to `any`.
    pub(super) fn builtin_args(
        &mut self,
        args: &[Expr],
        to_interface: bool,
    ) -> Vec<(TypeId, Words)> {
        for arg in args {
            self.hoist_operand(arg, to_interface);
        }
        if let [arg] = args
            && let Some(tuple) = self.tuple_types(arg)
        {
            let words = self.eval(arg);
            let mut at = 0;
            return tuple
                .into_iter()
                .map(|ty| {
                    let n = self.words_of(ty) as usize;
                    at += n;
                    (ty, SmallVec::from_slice(&words[at - n..at]))
                })
                .collect();
        }
        args.iter()
            .map(|arg| {
                let ty = ty::default_type(self.type_of(arg));
                (ty, self.eval_as(arg, ty))
            })
            .collect()
    }

    pub(super) fn tuple_types(&self, expr: &Expr) -> Option<Vec<TypeId>> {
        match self.info.types.get(self.type_of(expr)) {
            ty::Type::Tuple(elems) => Some(elems.clone()),
            _ => None,
        }
    }

    /// Prints a value as the built-in `println` does: a slice as `[len/cap]0xptr`.
    fn print_value(&mut self, ty: TypeId, words: &[ValueId]) {
        let rt = if ty::is_string(ty) {
            Runtime::PrintString
        } else if ty::is_boolean(ty) {
            Runtime::PrintBool
        } else if self.info.types.func(ty).is_some() {
            Runtime::PrintPointer
        } else if self.info.types.slice_elem(ty).is_some() {
            Runtime::PrintSlice
        } else {
            Runtime::PrintInt
        };
        self.call_runtime(rt, words);
    }

    /// Prints a value as `fmt.Print` does: a slice element by element.
    pub(super) fn fmt_print_value(&mut self, ty: TypeId, words: &[ValueId]) {
        if self.info.types.slice_elem(ty).is_some() {
            self.fmt_print_slice(ty, words);
        } else {
            self.print_value(ty, words);
        }
    }

    /// `min` or `max` of strings, compared byte-wise: each operand in turn replaces the one
    /// kept so far if it orders before it (`min`) or after it (`max`).
    fn min_max_string(&mut self, builtin: Builtin, values: &[(TypeId, Words)]) -> Words {
        let kept = self.new_var(2);
        self.write(kept, values[0].1[0]);
        self.write(kept + 1, values[0].1[1]);
        let op = if builtin == Builtin::Min {
            BinOp::Lt
        } else {
            BinOp::Gt
        };
        for (_, y) in &values[1..] {
            let x = [self.read(kept), self.read(kept + 1)];
            let replace = self.compare(op, ty::STRING, y, &x);
            let then = self.new_block();
            let join = self.new_block();
            self.branch(replace, then, join);
            self.seal(then);
            self.cur = Some(then);
            self.write(kept, y[0]);
            self.write(kept + 1, y[1]);
            self.jump(join);
            self.seal(join);
            self.cur = Some(join);
        }
        SmallVec::from_slice(&[self.read(kept), self.read(kept + 1)])
    }

    fn builtin(&mut self, builtin: Builtin, args: &[Expr], spread: bool) -> Words {
        match builtin {
            Builtin::Sys(intrinsic) => self.intrinsic(intrinsic, args),
            Builtin::FmtPrintf | Builtin::FmtSprintf => self.fmt_printf(builtin, args),
            // A string's length and a slice's are both the second word.
            Builtin::Len => {
                let s = self.expr(&args[0]);
                SmallVec::from_slice(&[s[1]])
            }
            Builtin::Cap => {
                let s = self.expr(&args[0]);
                SmallVec::from_slice(&[s[2]])
            }
            Builtin::Make => {
                args[1..].iter().for_each(|arg| self.hoist(arg));
                self.make(self.type_of(&args[0]), args)
            }
            Builtin::Append => {
                args.iter().for_each(|arg| self.hoist(arg));
                self.append(args, spread)
            }
            Builtin::Copy => {
                args.iter().for_each(|arg| self.hoist(arg));
                self.copy(args)
            }
            Builtin::Min | Builtin::Max => {
                let values = self.builtin_args(args, false);
                if ty::is_string(values[0].0) {
                    return self.min_max_string(builtin, &values);
                }
                let op = if builtin == Builtin::Min {
                    Op::Min
                } else {
                    Op::Max
                };
                let mut acc = values[0].1[0];
                for (_, words) in &values[1..] {
                    acc = self.value(op, 0, &[acc, words[0]]);
                }
                SmallVec::from_slice(&[acc])
            }
            Builtin::Panic => {
                let values = self.builtin_args(args, false);
                let (ty, words) = &values[0];
                let rt = if ty::is_string(*ty) {
                    Runtime::PanicString
                } else if ty::is_boolean(*ty) {
                    Runtime::PanicBool
                } else {
                    Runtime::PanicInt
                };
                self.call_noreturn(rt, words);
                SmallVec::new()
            }
            Builtin::Print | Builtin::Println | Builtin::FmtPrint | Builtin::FmtPrintln => {
                let to_interface = matches!(builtin, Builtin::FmtPrint | Builtin::FmtPrintln);
                let values = self.builtin_args(args, to_interface);
                let fd = if matches!(builtin, Builtin::Print | Builtin::Println) {
                    2
                } else {
                    1
                };
                let fd = self.constant(fd);
                self.call_runtime(Runtime::PrintLock, &[fd]);
                let newline = matches!(builtin, Builtin::Println | Builtin::FmtPrintln);
                for (idx, (ty, words)) in values.iter().enumerate() {
                    if idx > 0 {
                        let space = match builtin {
                            Builtin::Print => false,
                            // fmt.Print spaces operands only when neither is a string.
                            Builtin::FmtPrint => {
                                !ty::is_string(*ty) && !ty::is_string(values[idx - 1].0)
                            }
                            _ => true,
                        };
                        if space {
                            self.call_runtime(Runtime::PrintSp, &[]);
                        }
                    }
                    if to_interface {
                        self.fmt_print_value(*ty, words);
                    } else {
                        self.print_value(*ty, words);
                    }
                }
                if newline {
                    self.call_runtime(Runtime::PrintNl, &[]);
                }
                self.call_runtime(Runtime::PrintUnlock, &[]);
                SmallVec::new()
            }
        }
    }
}

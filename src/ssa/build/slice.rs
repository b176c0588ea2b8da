//! Slices, as gc's `ssagen` builds them: a slice is three words (pointer, length,
//! capacity), its elements lie `TypeTable::size` bytes apart in an array on the heap, and
//! an element is loaded and stored word by word.
//!
//! Bounds are checked by explicit branches to panic blocks (as the zero-divisor check):
//! `0 <= i < len` is one unsigned comparison, `i <u len`, whose failure calls Go's
//! `panicIndex(i, len)`; a slice expression checks its bounds from the right, as gc does
//! (`max <=u cap`, `hi <=u max`, `lo <=u hi`). `make` calls `makeslice`; `append` stores in
//! place when the capacity suffices and calls `growslice` otherwise (gc's inline fast path
//! of `walkAppend`); `copy` calls `memmove` for the shorter length.
//!
//! A sliced array's pointer is advanced by `lo` elements only when the result's capacity is
//! not zero (gc's `Slicemask`), so it never points past its array.

use smallvec::SmallVec;

use crate::ssa::func::{Runtime, ValueId};
use crate::ssa::op::Op;
use crate::syntax::ast::{Composite, Expr, ExprKind, SliceExpr};
use crate::types::ObjId;
use crate::types::ty::{self, TypeId};

use super::{Builder, Words};

/// Where an assignment stores: a variable, an element, or nowhere (`_`).
pub(super) enum Place {
    /// A variable.
    Var(ObjId),
    /// The element of type `ty` at `addr`.
    Elem { addr: ValueId, ty: TypeId },
    /// The blank identifier.
    Blank,
}

impl<'a> Builder<'a> {
    /// Returns the element type of the slice type `ty`; a string's is `byte`.
    fn elem_of(&self, ty: TypeId) -> TypeId {
        if ty::is_string(ty) {
            return ty::BYTE;
        }
        self.info
            .types
            .slice_elem(ty)
            .expect("the checker accepts only slices and strings here")
    }

    /// Continues when `in_bounds` holds and branches to a panic block calling `rt(args)`
    /// when it does not.
    fn check_bounds(&mut self, in_bounds: ValueId, rt: Runtime, args: &[ValueId]) {
        let fail = self.new_block();
        let ok = self.new_block();
        self.branch(in_bounds, ok, fail);
        self.seal(fail);
        self.seal(ok);
        self.cur = Some(fail);
        self.call_noreturn(rt, args);
        self.cur = Some(ok);
    }

    /// Returns the address of element `idx` of the array at `ptr`, elements `size` bytes
    /// apart.
    fn elem_addr(&mut self, ptr: ValueId, idx: ValueId, size: i64) -> ValueId {
        let size = self.constant(size);
        let offset = self.value(Op::Mul, 0, &[idx, size]);
        self.value(Op::Add, 0, &[ptr, offset])
    }

    /// Loads an element of type `ty` from `addr`: a one-byte value with a byte load, any
    /// other word by word.
    pub(super) fn load_value(&mut self, addr: ValueId, ty: TypeId) -> Words {
        if self.info.types.size(ty) == 1 {
            return SmallVec::from_slice(&[self.value(Op::Load8, 0, &[addr])]);
        }
        self.load_words(addr, ty)
    }

    /// Loads the words of a value of type `ty` at `addr`, one `Load` each.
    pub(super) fn load_words(&mut self, addr: ValueId, ty: TypeId) -> Words {
        let types = &self.info.types;
        types
            .word_pointers(ty)
            .iter()
            .enumerate()
            .map(|(word, &ptr)| self.typed_value(Op::Load, 8 * word as i64, &[addr], ptr))
            .collect()
    }

    /// Stores `words`, an element of type `ty`, at `addr`.
    pub(super) fn store_value(&mut self, addr: ValueId, ty: TypeId, words: &[ValueId]) {
        if self.info.types.size(ty) == 1 {
            self.value(Op::Store8, 0, &[addr, words[0]]);
            return;
        }
        for (word, &value) in words.iter().enumerate() {
            self.value(Op::Store, 8 * word as i64, &[addr, value]);
        }
    }

    /// Returns the address of the element `s[i]` denotes, bounds checked, and its type.
    fn index_addr(&mut self, base: &Expr, index: &Expr) -> (ValueId, TypeId) {
        let elem = self.elem_of(self.type_of(base));
        let s = self.eval(base);
        let i = self.eval(index)[0];
        let in_range = self.value(Op::ULt, 0, &[i, s[1]]);
        self.check_bounds(in_range, Runtime::PanicIndex, &[i, s[1]]);
        let size = self.info.types.size(elem);
        (self.elem_addr(s[0], i, size), elem)
    }

    /// Evaluates `s[i]`.
    pub(super) fn index(&mut self, base: &Expr, index: &Expr) -> Words {
        let (addr, elem) = self.index_addr(base, index);
        self.load_value(addr, elem)
    }

    /// Returns where an assignment to `target` stores, evaluating the operands of an index
    /// (their calls were made by `hoist`).
    pub(super) fn place(&mut self, target: &Expr) -> Place {
        let target = crate::syntax::ast::unparen(target);
        if let ExprKind::Index(pair) = &target.kind {
            let (addr, ty) = self.index_addr(&pair[0], &pair[1]);
            return Place::Elem { addr, ty };
        }
        match self.info.obj_of(target.id) {
            Some(obj) => Place::Var(obj),
            None => Place::Blank,
        }
    }

    /// Reads what `place` holds.
    pub(super) fn read_place(&mut self, place: &Place) -> Words {
        match *place {
            Place::Var(obj) => self.read_obj(obj),
            Place::Elem { addr, ty } => self.load_value(addr, ty),
            Place::Blank => unreachable!("the blank identifier is never read"),
        }
    }

    /// Stores `words` in `place`.
    pub(super) fn write_place(&mut self, place: &Place, words: &[ValueId]) {
        match *place {
            Place::Var(obj) => self.write_obj(obj, words),
            Place::Elem { addr, ty } => self.store_value(addr, ty, words),
            Place::Blank => {}
        }
    }

    /// Evaluates `s[lo:hi]` or `s[lo:hi:max]`, its bounds checked as gc checks them. A
    /// string's capacity is its length, and its result has no capacity word.
    pub(super) fn slice_expr(&mut self, slice: &SliceExpr) -> Words {
        let base_ty = self.type_of(&slice.base);
        let is_string = ty::is_string(base_ty);
        let elem = self.elem_of(base_ty);
        let s = self.eval(&slice.base);
        let lo = slice.lo.as_ref().map(|lo| self.eval(lo)[0]);
        let hi = slice.hi.as_ref().map(|hi| self.eval(hi)[0]);
        let max = slice.max.as_ref().map(|max| self.eval(max)[0]);
        let (len, cap) = if is_string {
            (s[1], s[1])
        } else {
            (s[1], s[2])
        };
        let hi_rt = if is_string {
            Runtime::PanicSliceAlen
        } else {
            Runtime::PanicSliceAcap
        };
        let (hi, max) = match max {
            Some(max) => {
                let hi = hi.expect("a three-index slice has its middle index");
                self.bound_check(max, cap, Runtime::PanicSlice3Acap);
                self.bound_check(hi, max, Runtime::PanicSlice3B);
                (hi, max)
            }
            None => {
                let hi = match hi {
                    Some(hi) => {
                        self.bound_check(hi, cap, hi_rt);
                        hi
                    }
                    None => len,
                };
                (hi, cap)
            }
        };
        let lo_rt = if slice.max.is_some() {
            Runtime::PanicSlice3C
        } else {
            Runtime::PanicSliceB
        };
        let (ptr, new_len, new_cap) = match lo {
            Some(lo) => {
                self.bound_check(lo, hi, lo_rt);
                let new_len = self.value(Op::Sub, 0, &[hi, lo]);
                // A string's result is tested by its length, as gc does.
                let new_cap = if is_string {
                    new_len
                } else {
                    self.value(Op::Sub, 0, &[max, lo])
                };
                // The pointer moves only when the slice keeps some capacity: all ones
                // when `new_cap > 0`, zero when it is 0.
                let neg = self.value(Op::Neg, 0, &[new_cap]);
                let sixty_three = self.constant(63);
                let mask = self.value(Op::Shr, 1, &[neg, sixty_three]);
                let size = self.info.types.size(elem);
                let size = self.constant(size);
                let offset = self.value(Op::Mul, 0, &[lo, size]);
                let offset = self.value(Op::And, 0, &[offset, mask]);
                (self.value(Op::Add, 0, &[s[0], offset]), new_len, new_cap)
            }
            None => (s[0], hi, max),
        };
        if is_string {
            return SmallVec::from_slice(&[ptr, new_len]);
        }
        SmallVec::from_slice(&[ptr, new_len, new_cap])
    }

    /// Checks `0 <= x <= y`, calling `rt(x, y)` when it does not hold.
    fn bound_check(&mut self, x: ValueId, y: ValueId, rt: Runtime) {
        let ok = self.value(Op::ULe, 0, &[x, y]);
        self.check_bounds(ok, rt, &[x, y]);
    }

    /// Evaluates a composite literal `[]T{…}` of type `ty`: a new array of as many
    /// elements as its highest index and one, the elements stored in order.
    pub(super) fn composite(&mut self, lit: &Composite, ty: TypeId) -> Words {
        let elem = self.elem_of(ty);
        let mut len = 0i64;
        let mut next = 0i64;
        for element in &lit.elems {
            if let ExprKind::KeyValue(pair) = &element.kind {
                next = self.const_index(&pair[0]);
            }
            next += 1;
            len = len.max(next);
        }
        let size = self.info.types.size(elem);
        let n = self.constant(len);
        let ptr = self.make_array(elem, n, n);
        next = 0;
        for element in &lit.elems {
            let value = match &element.kind {
                ExprKind::KeyValue(pair) => {
                    next = self.const_index(&pair[0]);
                    &pair[1]
                }
                _ => element,
            };
            let words = self.element(value, elem);
            let at = self.constant(next * size);
            let addr = self.value(Op::Add, 0, &[ptr, at]);
            self.store_value(addr, elem, &words);
            next += 1;
        }
        SmallVec::from_slice(&[ptr, n, n])
    }

    /// Evaluates an element of a literal whose elements have type `elem`: a literal without
    /// a type takes it.
    fn element(&mut self, value: &Expr, elem: TypeId) -> Words {
        if let ExprKind::Composite(lit) = &value.kind
            && lit.ty.is_none()
        {
            return self.composite(lit, elem);
        }
        self.eval_as(value, elem)
    }

    /// Returns a new slice of the `values` of type `elem`, in order: the last argument of a
    /// variadic function; a nil slice when there are none, as Go passes.
    pub(super) fn pack(&mut self, elem: TypeId, values: &[Words]) -> Words {
        if values.is_empty() {
            return self.zero(3);
        }
        let size = self.info.types.size(elem);
        let n = self.constant(values.len() as i64);
        let ptr = self.make_array(elem, n, n);
        for (idx, words) in values.iter().enumerate() {
            let at = self.constant(idx as i64 * size);
            let addr = self.value(Op::Add, 0, &[ptr, at]);
            self.store_value(addr, elem, words);
        }
        SmallVec::from_slice(&[ptr, n, n])
    }

    /// Returns the value of a literal's constant index.
    fn const_index(&self, key: &Expr) -> i64 {
        self.info
            .const_value(key.id)
            .and_then(|value| value.to_i64())
            .expect("the checker requires constant indexes")
    }

    /// Allocates the array of a slice of `cap` elements of type `elem` (`len` of them in
    /// use), with Go's checks, through `makeslice`.
    fn make_array(&mut self, elem: TypeId, len: ValueId, cap: ValueId) -> ValueId {
        let size = self.info.types.size(elem);
        let size = self.constant(size);
        let typ = self.type_word(elem);
        self.call_runtime(Runtime::MakeSlice, &[size, len, cap, typ])[0]
    }

    /// Evaluates `make(T, len)` or `make(T, len, cap)`.
    pub(super) fn make(&mut self, ty: TypeId, args: &[Expr]) -> Words {
        let elem = self.elem_of(ty);
        let len = self.eval_as(&args[1], crate::types::ty::INT)[0];
        let cap = match args.get(2) {
            Some(cap) => self.eval_as(cap, crate::types::ty::INT)[0],
            None => len,
        };
        let ptr = self.make_array(elem, len, cap);
        SmallVec::from_slice(&[ptr, len, cap])
    }

    /// Evaluates `append(s, values…)` (`spread`: `append(s, t...)`), as gc's `walkAppend`:
    /// the new elements go in place when the capacity suffices, else into the array
    /// `growslice` returns.
    pub(super) fn append(&mut self, args: &[Expr], spread: bool) -> Words {
        let ty = self.type_of(&args[0]);
        let elem = self.elem_of(ty);
        let size = self.info.types.size(elem);
        let s = self.eval(&args[0]);
        let (added, values): (ValueId, Vec<Words>) = if spread {
            let t = self.eval_as(&args[1], ty);
            (t[1], vec![t])
        } else {
            let values: Vec<Words> = args[1..]
                .iter()
                .map(|arg| self.eval_as(arg, elem))
                .collect();
            (self.constant(values.len() as i64), values)
        };
        let new_len = self.value(Op::Add, 0, &[s[1], added]);
        // The array and capacity after the growth, if any.
        let slice = self.new_var(2);
        self.write(slice, s[0]);
        self.write(slice + 1, s[2]);
        let fits = self.value(Op::ULe, 0, &[new_len, s[2]]);
        let grow = self.new_block();
        let join = self.new_block();
        self.branch(fits, join, grow);
        self.seal(grow);
        self.cur = Some(grow);
        let size_word = self.constant(size);
        let typ = self.type_word(elem);
        let grown = self.call_runtime(
            Runtime::GrowSlice,
            &[s[0], new_len, s[2], s[1], size_word, typ],
        );
        self.write(slice, grown[0]);
        self.write(slice + 1, grown[1]);
        self.jump(join);
        self.seal(join);
        self.cur = Some(join);
        let ptr = self.read(slice);
        let cap = self.read(slice + 1);
        let end = self.elem_addr(ptr, s[1], size);
        if spread {
            let t = &values[0];
            let size_word = self.constant(size);
            let bytes = self.value(Op::Mul, 0, &[t[1], size_word]);
            self.call_runtime(Runtime::MemMove, &[end, t[0], bytes]);
        } else {
            for (idx, words) in values.iter().enumerate() {
                let at = self.constant(idx as i64 * size);
                let addr = self.value(Op::Add, 0, &[end, at]);
                self.store_value(addr, elem, words);
            }
        }
        SmallVec::from_slice(&[ptr, new_len, cap])
    }

    /// Evaluates `[]byte(s)`, the words `s` of a string: a new array. Of a constant string,
    /// gc allocates exactly its bytes (`walkStringToBytes`); of any other, Go's
    /// `rawbyteslice` rounds the capacity up to a size class, as `growslice` does.
    pub(super) fn string_to_bytes(&mut self, s: &[ValueId], constant: bool) -> Words {
        let zero = self.constant(0);
        let (ptr, cap) = if constant {
            (self.call_runtime(Runtime::Alloc, &[s[1], zero])[0], s[1])
        } else {
            let one = self.constant(1);
            let grown = self.call_runtime(Runtime::GrowSlice, &[zero, s[1], zero, zero, one, zero]);
            (grown[0], grown[1])
        };
        self.call_runtime(Runtime::MemMove, &[ptr, s[0], s[1]]);
        SmallVec::from_slice(&[ptr, s[1], cap])
    }

    /// Evaluates `string(bs)`, the words `bs` of a byte slice: a copy of its bytes.
    pub(super) fn bytes_to_string(&mut self, bs: &[ValueId]) -> Words {
        let no_type = self.descriptor(None);
        let ptr = self.call_runtime(Runtime::Alloc, &[bs[1], no_type])[0];
        self.call_runtime(Runtime::MemMove, &[ptr, bs[0], bs[1]]);
        SmallVec::from_slice(&[ptr, bs[1]])
    }

    /// Evaluates `copy(dst, src)`: the shorter length's elements, moved as by `memmove`.
    pub(super) fn copy(&mut self, args: &[Expr]) -> Words {
        let elem = self.elem_of(self.type_of(&args[0]));
        let size = self.info.types.size(elem);
        let dst = self.eval(&args[0]);
        let src = self.eval(&args[1]);
        let n = self.value(Op::Min, 0, &[dst[1], src[1]]);
        let size = self.constant(size);
        let bytes = self.value(Op::Mul, 0, &[n, size]);
        self.call_runtime(Runtime::MemMove, &[dst[0], src[0], bytes]);
        SmallVec::from_slice(&[n])
    }

    /// Prints the slice `words` of type `ty` as `fmt` does: `[e1 e2]`, each element as
    /// `fmt` prints its type.
    pub(super) fn fmt_print_slice(&mut self, ty: TypeId, words: &[ValueId]) {
        let elem = self.elem_of(ty);
        let size = self.info.types.size(elem);
        self.print_lit(b"[");
        let counter = self.new_var(1);
        let zero = self.constant(0);
        self.write(counter, zero);
        let header = self.new_block();
        let body = self.new_block();
        let exit = self.new_block();
        self.jump(header);
        self.cur = Some(header);
        let i = self.read(counter);
        let more = self.value(Op::Lt, 0, &[i, words[1]]);
        self.branch(more, body, exit);
        self.seal(body);
        self.cur = Some(body);
        let i = self.read(counter);
        let zero = self.constant(0);
        let first = self.value(Op::Eq, 0, &[i, zero]);
        let space = self.new_block();
        let elem_block = self.new_block();
        self.branch(first, elem_block, space);
        self.seal(space);
        self.cur = Some(space);
        self.call_runtime(Runtime::PrintSp, &[]);
        self.jump(elem_block);
        self.seal(elem_block);
        self.cur = Some(elem_block);
        let addr = self.elem_addr(words[0], i, size);
        let value = self.load_value(addr, elem);
        self.fmt_print_value(elem, &value);
        let one = self.constant(1);
        let next = self.value(Op::Add, 0, &[i, one]);
        self.write(counter, next);
        self.jump(header);
        self.seal(header);
        self.seal(exit);
        self.cur = Some(exit);
        self.print_lit(b"]");
    }

    /// Prints the bytes `text` (a string constant of the unit).
    fn print_lit(&mut self, text: &[u8]) {
        let bytes: std::sync::Arc<[u8]> = text.into();
        let words = self.string_lit(&bytes);
        self.call_runtime(Runtime::PrintString, &words);
    }
}

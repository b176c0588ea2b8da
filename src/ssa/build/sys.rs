//! The runtime's intrinsics (`types::sys`), lowered to the operations they stand for: a
//! load or store of the right width at an address plus an offset, an addition, the words of
//! a string taken apart or put together, the address of the runtime's data, the calls of
//! the allocator, `memmove`, the print buffer's `printstring`, `printint` and the assembly
//! panics. Nothing
//! here is a call of its own, so an intrinsic costs its operations and a function that uses
//! none pays nothing.
//!
//! The arguments are evaluated in order after the calls among them are made, as the
//! operands of an operator are: an intrinsic is an operation, not a call (`order::is_call`
//! does not hoist a selector's call).

use smallvec::SmallVec;

use crate::ssa::func::{Runtime, Sym, ValueId};
use crate::ssa::op::Op;
use crate::syntax::ast::Expr;
use crate::types::sys::Intrinsic;

use super::{Builder, Words};

impl Builder<'_> {
    /// Builds the call of `intrinsic` with `args`.
    pub(super) fn intrinsic(&mut self, intrinsic: Intrinsic, args: &[Expr]) -> Words {
        for arg in args {
            self.hoist(arg);
        }
        let words: Vec<Words> = args.iter().map(|arg| self.eval(arg)).collect();
        let word = |idx: usize| words[idx][0];
        match intrinsic {
            // The one allocation entry point, told whether the object holds pointers.
            Intrinsic::Alloc => self.call_runtime(Runtime::Alloc, &[word(0), word(1)]),
            Intrinsic::LoadByte => {
                let at = self.offset(word(0), word(1));
                SmallVec::from_slice(&[self.value(Op::Load8, 0, &[at])])
            }
            Intrinsic::StoreByte => {
                let at = self.offset(word(0), word(1));
                self.value(Op::Store8, 0, &[at, word(2)]);
                SmallVec::new()
            }
            Intrinsic::Load => {
                let at = self.offset(word(0), word(1));
                SmallVec::from_slice(&[self.value(Op::Load, 0, &[at])])
            }
            Intrinsic::Store => {
                let at = self.offset(word(0), word(1));
                self.value(Op::Store, 0, &[at, word(2)]);
                SmallVec::new()
            }
            Intrinsic::LoadPtr => {
                let at = self.offset(word(0), word(1));
                SmallVec::from_slice(&[self.typed_value(Op::Load, 0, &[at], true)])
            }
            Intrinsic::Add => SmallVec::from_slice(&[self.offset(word(0), word(1))]),
            // An address is its integer: the two differ only to the checker.
            Intrinsic::Addr | Intrinsic::StringData | Intrinsic::SliceData => {
                SmallVec::from_slice(&[word(0)])
            }
            Intrinsic::MakeString => SmallVec::from_slice(&[word(0), word(1)]),
            // A `rep movsb` in assembly: Toy has no instruction for it.
            Intrinsic::Memmove => {
                self.call_runtime(Runtime::MemMove, &[word(0), word(1), word(2)]);
                SmallVec::new()
            }
            Intrinsic::Zerobase => SmallVec::from_slice(&[self.addr(Sym::Runtime(Runtime::Data))]),
            // The panics stay assembly: they share the print buffer and exit.
            Intrinsic::PanicMakeSliceLen => self.call_runtime(Runtime::PanicMakeSliceLen, &[]),
            Intrinsic::PanicMakeSliceCap => self.call_runtime(Runtime::PanicMakeSliceCap, &[]),
            Intrinsic::PanicGrowSlice => self.call_runtime(Runtime::PanicGrowSlice, &[]),
            // The print buffer stays assembly, and so does `printint`, which the assembly's
            // panics call (ARCHITECTURE.md says why).
            Intrinsic::PrintString => self.call_runtime(Runtime::PrintString, &words[0]),
            Intrinsic::PrintInt => self.call_runtime(Runtime::PrintInt, &[word(0)]),
            Intrinsic::Syscall => {
                let args: Vec<ValueId> = words.iter().map(|arg| arg[0]).collect();
                self.call_runtime(Runtime::Syscall, &args)
            }
            // Memory the runtime mapped for itself: the collector ignores an address
            // outside the heap, so a word of it may as well count as a pointer.
            Intrinsic::AsPtr => SmallVec::from_slice(&[word(0)]),
            Intrinsic::Heap => {
                let data = self.addr(Sym::Runtime(Runtime::Data));
                let off = self.constant(crate::amd64::runtime::HEAP);
                SmallVec::from_slice(&[self.offset(data, off)])
            }
            Intrinsic::Envp => {
                let data = self.addr(Sym::Runtime(Runtime::Data));
                let off = self.constant(crate::amd64::runtime::ENVP);
                let at = self.offset(data, off);
                SmallVec::from_slice(&[self.typed_value(Op::Load, 0, &[at], true)])
            }
            Intrinsic::Functab => {
                SmallVec::from_slice(&[self.addr(Sym::Runtime(Runtime::Functab))])
            }
            Intrinsic::SaveRegs => self.call_runtime(Runtime::SaveRegs, &[word(0)]),
            Intrinsic::Memclr => self.call_runtime(Runtime::MemClr, &[word(0), word(1)]),
            Intrinsic::Throw => self.call_runtime(Runtime::Throw, &words[0]),
        }
    }

    /// Returns the address `off` bytes past `p`; `lower` folds a constant offset into the
    /// byte load or store that uses it.
    fn offset(&mut self, p: ValueId, off: ValueId) -> ValueId {
        self.value(Op::Add, 0, &[p, off])
    }
}

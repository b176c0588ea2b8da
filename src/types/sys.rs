//! The intrinsics of package `sys`, which only the runtime's own source may import: what
//! the runtime, written in Toy, needs and Toy cannot say (raw memory, the allocator, the
//! bulk copy, the print buffer and the panics written in assembly).
//!
//! A call of an intrinsic is checked as a call of a function with the intrinsic's
//! signature ([`Intrinsic::signature`]); the SSA builder lowers it to existing operations
//! (`ssa::build::sys`), so it costs what the operations cost and nothing per function
//! that does not use it.
//!
//! `sys.Ptr` is a raw address: a type of its own, one word, distinct from `int`, so that
//! the garbage collector to come can tell the words that are addresses from those that are
//! not. No operator applies to it; `sys.Add` moves it.

use crate::syntax::ast::Expr;
use crate::types::check::Checker;
use crate::types::operand::{Mode, Operand};
use crate::types::ty::{BYTE, FuncType, INT, INVALID, STRING, Type, TypeId};

/// An intrinsic of package `sys`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Intrinsic {
    /// `sys.Alloc(size int, typ sys.Ptr) sys.Ptr`: `size` zeroed bytes, the one allocation
    /// entry point; `typ` is the descriptor of what the block holds (an array of it when
    /// `size` is larger), which tells the collector the words to follow, or nil when it
    /// holds no addresses.
    Alloc,
    /// `sys.LoadByte(p sys.Ptr, off int) byte`: the byte at `p + off`.
    LoadByte,
    /// `sys.StoreByte(p sys.Ptr, off int, b byte)`: stores `b` at `p + off`.
    StoreByte,
    /// `sys.Load(p sys.Ptr, off int) int`: the word at `p + off`.
    Load,
    /// `sys.Store(p sys.Ptr, off int, v int)`: stores the word `v` at `p + off`.
    Store,
    /// `sys.LoadPtr(p sys.Ptr, off int) sys.Ptr`: the address stored at `p + off`.
    LoadPtr,
    /// `sys.Add(p sys.Ptr, n int) sys.Ptr`: the address `n` bytes past `p`.
    Add,
    /// `sys.Addr(p sys.Ptr) int`: the address as an integer (`%p`; 0 for nil).
    Addr,
    /// `sys.SliceData(b []byte) sys.Ptr`: the address of the array of `b`.
    SliceData,
    /// `sys.StringData(s string) sys.Ptr`: the address of the bytes of `s`.
    StringData,
    /// `sys.MakeString(p sys.Ptr, n int) string`: the string of the `n` bytes at `p`, which
    /// nothing may change afterwards.
    MakeString,
    /// `sys.Memmove(dst, src sys.Ptr, n int)`: copies `n` bytes from `src` to `dst`, which
    /// may overlap (the call of the assembly `runtime.memmove`, a `rep movsb`).
    Memmove,
    /// `sys.Zerobase() sys.Ptr`: Go's `zerobase`, the address of every allocation of no
    /// bytes, which is not nil (the runtime's data).
    Zerobase,
    /// `sys.PanicMakeSliceLen()`: Go's `panicmakeslicelen`, the assembly panic.
    PanicMakeSliceLen,
    /// `sys.PanicMakeSliceCap()`: Go's `panicmakeslicecap`.
    PanicMakeSliceCap,
    /// `sys.PanicGrowSlice()`: `growslice: len out of range`.
    PanicGrowSlice,
    /// `sys.PrintString(s string)`: appends `s` to the print statement's buffer (the call of
    /// the assembly `printstring`).
    PrintString,
    /// `sys.PrintInt(v int)`: appends `v` in decimal (the call of the assembly `printint`).
    PrintInt,
    /// `sys.Syscall(num, a1, a2, a3, a4, a5, a6 int) int`: Linux system call `num`, its
    /// raw result (a negative errno on failure).
    Syscall,
    /// `sys.AsPtr(a int) sys.Ptr`: the address `a`, which must not be in the heap: memory
    /// the runtime mapped for itself.
    AsPtr,
    /// `sys.Heap() sys.Ptr`: the heap's state, a block of the runtime's data that the
    /// allocator lays out.
    Heap,
    /// `sys.Envp() sys.Ptr`: the process's environment as the kernel passed it.
    Envp,
    /// `sys.Functab() sys.Ptr`: the function table the linker writes.
    Functab,
    /// `sys.SaveRegs(buf sys.Ptr)`: stores the callee-saved registers, the return address
    /// and the stack pointer of the call in the 8 words at `buf`.
    SaveRegs,
    /// `sys.Memclr(p sys.Ptr, n int)`: zeroes `n` bytes at `p`.
    Memclr,
    /// `sys.Throw(s string)`: Go's `throw`: `fatal error: s` on standard error, exit 2.
    Throw,
}

/// A type in an intrinsic's signature: a basic type, or `sys.Ptr` or `[]byte`, interned
/// on demand.
#[derive(Clone, Copy)]
enum Param {
    Basic(TypeId),
    Ptr,
    Bytes,
}

impl Intrinsic {
    /// Returns the intrinsic `sys.NAME`, if there is one.
    pub fn from_name(name: &str) -> Option<Intrinsic> {
        Some(match name {
            "Alloc" => Intrinsic::Alloc,
            "LoadByte" => Intrinsic::LoadByte,
            "StoreByte" => Intrinsic::StoreByte,
            "Load" => Intrinsic::Load,
            "Store" => Intrinsic::Store,
            "LoadPtr" => Intrinsic::LoadPtr,
            "Add" => Intrinsic::Add,
            "Addr" => Intrinsic::Addr,
            "SliceData" => Intrinsic::SliceData,
            "StringData" => Intrinsic::StringData,
            "MakeString" => Intrinsic::MakeString,
            "Memmove" => Intrinsic::Memmove,
            "Zerobase" => Intrinsic::Zerobase,
            "PanicMakeSliceLen" => Intrinsic::PanicMakeSliceLen,
            "PanicMakeSliceCap" => Intrinsic::PanicMakeSliceCap,
            "PanicGrowSlice" => Intrinsic::PanicGrowSlice,
            "PrintString" => Intrinsic::PrintString,
            "PrintInt" => Intrinsic::PrintInt,
            "Syscall" => Intrinsic::Syscall,
            "AsPtr" => Intrinsic::AsPtr,
            "Heap" => Intrinsic::Heap,
            "Envp" => Intrinsic::Envp,
            "Functab" => Intrinsic::Functab,
            "SaveRegs" => Intrinsic::SaveRegs,
            "Memclr" => Intrinsic::Memclr,
            "Throw" => Intrinsic::Throw,
            _ => return None,
        })
    }

    /// Returns the name as the runtime writes it (`sys.Alloc`).
    pub fn name(self) -> &'static str {
        match self {
            Intrinsic::Alloc => "sys.Alloc",
            Intrinsic::LoadByte => "sys.LoadByte",
            Intrinsic::StoreByte => "sys.StoreByte",
            Intrinsic::Load => "sys.Load",
            Intrinsic::Store => "sys.Store",
            Intrinsic::LoadPtr => "sys.LoadPtr",
            Intrinsic::Add => "sys.Add",
            Intrinsic::Addr => "sys.Addr",
            Intrinsic::SliceData => "sys.SliceData",
            Intrinsic::StringData => "sys.StringData",
            Intrinsic::MakeString => "sys.MakeString",
            Intrinsic::Memmove => "sys.Memmove",
            Intrinsic::Zerobase => "sys.Zerobase",
            Intrinsic::PanicMakeSliceLen => "sys.PanicMakeSliceLen",
            Intrinsic::PanicMakeSliceCap => "sys.PanicMakeSliceCap",
            Intrinsic::PanicGrowSlice => "sys.PanicGrowSlice",
            Intrinsic::PrintString => "sys.PrintString",
            Intrinsic::PrintInt => "sys.PrintInt",
            Intrinsic::Syscall => "sys.Syscall",
            Intrinsic::AsPtr => "sys.AsPtr",
            Intrinsic::Heap => "sys.Heap",
            Intrinsic::Envp => "sys.Envp",
            Intrinsic::Functab => "sys.Functab",
            Intrinsic::SaveRegs => "sys.SaveRegs",
            Intrinsic::Memclr => "sys.Memclr",
            Intrinsic::Throw => "sys.Throw",
        }
    }

    /// Returns the parameter types and the result type, if any.
    fn signature(self) -> (&'static [Param], Option<Param>) {
        use Param::{Basic, Bytes, Ptr};
        match self {
            Intrinsic::Alloc => (&[Basic(INT), Ptr], Some(Ptr)),
            Intrinsic::LoadByte => (&[Ptr, Basic(INT)], Some(Basic(BYTE))),
            Intrinsic::StoreByte => (&[Ptr, Basic(INT), Basic(BYTE)], None),
            Intrinsic::Load => (&[Ptr, Basic(INT)], Some(Basic(INT))),
            Intrinsic::Store => (&[Ptr, Basic(INT), Basic(INT)], None),
            Intrinsic::LoadPtr => (&[Ptr, Basic(INT)], Some(Ptr)),
            Intrinsic::Add => (&[Ptr, Basic(INT)], Some(Ptr)),
            Intrinsic::Addr => (&[Ptr], Some(Basic(INT))),
            Intrinsic::SliceData => (&[Bytes], Some(Ptr)),
            Intrinsic::StringData => (&[Basic(STRING)], Some(Ptr)),
            Intrinsic::MakeString => (&[Ptr, Basic(INT)], Some(Basic(STRING))),
            Intrinsic::Memmove => (&[Ptr, Ptr, Basic(INT)], None),
            Intrinsic::Zerobase => (&[], Some(Ptr)),
            Intrinsic::PanicMakeSliceLen
            | Intrinsic::PanicMakeSliceCap
            | Intrinsic::PanicGrowSlice => (&[], None),
            Intrinsic::PrintString => (&[Basic(STRING)], None),
            Intrinsic::PrintInt => (&[Basic(INT)], None),
            Intrinsic::Syscall => (&[Basic(INT); 7], Some(Basic(INT))),
            Intrinsic::AsPtr => (&[Basic(INT)], Some(Ptr)),
            Intrinsic::Heap | Intrinsic::Envp | Intrinsic::Functab => (&[], Some(Ptr)),
            Intrinsic::SaveRegs => (&[Ptr], None),
            Intrinsic::Memclr => (&[Ptr, Basic(INT)], None),
            Intrinsic::Throw => (&[Basic(STRING)], None),
        }
    }
}

impl<'a> Checker<'a> {
    /// Returns the type `sys.Ptr`.
    pub(crate) fn sys_ptr(&mut self) -> TypeId {
        self.state.info.types.intern(Type::Ptr)
    }

    /// Checks a call of `intrinsic` with `args`, as a call of a function of its signature.
    pub(crate) fn intrinsic(
        &mut self,
        expr: &'a Expr,
        intrinsic: Intrinsic,
        args: &'a [Expr],
    ) -> Operand<'a> {
        let (params, result) = intrinsic.signature();
        let mut ty = |param: Param| match param {
            Param::Basic(ty) => ty,
            Param::Ptr => self.sys_ptr(),
            Param::Bytes => self.state.info.types.intern(Type::Slice(BYTE)),
        };
        let params: Vec<TypeId> = params.iter().map(|&param| ty(param)).collect();
        let result = result.map(ty);
        let func = FuncType {
            params,
            results: result.into_iter().collect(),
            param_names: Box::new([]),
            result_names: Box::new([]),
            variadic: false,
        };
        self.arguments(expr, intrinsic.name(), &func, args, false);
        match result {
            Some(result) => Operand::new(Mode::Value, result, expr),
            None => Operand::new(Mode::NoValue, INVALID, expr),
        }
    }
}

#[cfg(test)]
mod tests;

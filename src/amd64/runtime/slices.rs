//! The runtime's slice functions that stay assembly, in the same conventions as the rest of
//! the runtime (Go's ABI0: arguments, then results, on the stack above the return address):
//! Go's `memmove` and the bounds panics of `panic.go` and `error.go`. `makeslice` and
//! `growslice` are Toy (`crate::runtime`, `slices.toy`) and call `memmove` and the panics of
//! `make` and `append` here.
//!
//! - `memmove(dst, src, n)`: copies `n` bytes, the areas overlapping or not (`copy`).
//! - The bounds panics, one function per form of Go's message (`panicIndex(x, y)`,
//!   `panicSliceAcap`, …): `x`, signed, is the bad index; when it is negative the message
//!   leaves out `y`, as Go's `boundsNegErrorFmt`.
//! - `panicmakeslicelen`, `panicmakeslicecap`, `panicgrowslice`: Go's messages.
//!
//! These functions are linked only into programs that use them (`Runtime::ON_DEMAND`).

use iced_x86::Code;
use iced_x86::code_asm::*;

use super::{end_panic, print_text, start_panic};
use crate::amd64::asm::Asm;
use crate::ssa::{Runtime, Sym};

/// The text of one bounds panic: `runtime error: {head}{x}{tail}{y}]`, or, when `x` is
/// negative, `runtime error: {head}{x}{neg_tail}`.
struct BoundsMessage {
    head: &'static [u8],
    tail: &'static [u8],
    neg_tail: &'static [u8],
}

/// Returns the message of bounds panic `rt`, as Go's `boundsErrorFmt`.
fn bounds_message(rt: Runtime) -> BoundsMessage {
    let (head, tail, neg_tail): (&[u8], &[u8], &[u8]) = match rt {
        Runtime::PanicIndex => (b"index out of range [", b"] with length ", b"]"),
        Runtime::PanicSliceAlen => (b"slice bounds out of range [:", b"] with length ", b"]"),
        Runtime::PanicSliceAcap => (b"slice bounds out of range [:", b"] with capacity ", b"]"),
        Runtime::PanicSliceB => (b"slice bounds out of range [", b":", b":]"),
        Runtime::PanicSlice3Alen => (b"slice bounds out of range [::", b"] with length ", b"]"),
        Runtime::PanicSlice3Acap => (b"slice bounds out of range [::", b"] with capacity ", b"]"),
        Runtime::PanicSlice3B => (b"slice bounds out of range [:", b":", b":]"),
        Runtime::PanicSlice3C => (b"slice bounds out of range [", b":", b"::]"),
        _ => unreachable!("{rt:?} is not a bounds panic"),
    };
    BoundsMessage {
        head,
        tail,
        neg_tail,
    }
}

/// Assembles the bounds panic `rt(x, y)`.
pub(super) fn panic_bounds(asm: &mut Asm, rt: Runtime) {
    let message = bounds_message(rt);
    let negative = asm.new_label();
    start_panic(asm);
    let mut head = b"runtime error: ".to_vec();
    head.extend_from_slice(message.head);
    print_text(asm, &head);
    asm.ins(|a| a.push(qword_ptr(rsp + 8)));
    asm.call_sym(Sym::Runtime(Runtime::PrintInt));
    asm.ins(|a| a.pop(rax));
    asm.ins(|a| a.cmp(qword_ptr(rsp + 8), 0));
    asm.jump(Code::Jl_rel8_64, negative);
    print_text(asm, message.tail);
    asm.ins(|a| a.push(qword_ptr(rsp + 16)));
    asm.call_sym(Sym::Runtime(Runtime::PrintInt));
    asm.ins(|a| a.pop(rax));
    // The forms whose `y` is a bound written in brackets close them after it.
    if message.tail.ends_with(b":") {
        let close: &[u8] = if rt == Runtime::PanicSlice3C {
            b":]"
        } else {
            b"]"
        };
        print_text(asm, close);
    }
    end_panic(asm);
    asm.place(negative);
    print_text(asm, message.neg_tail);
    end_panic(asm);
}

/// Assembles a panic with a fixed runtime error message (`makeslice: len out of range`).
pub(super) fn panic_message(asm: &mut Asm, message: &[u8]) {
    start_panic(asm);
    let mut text = b"runtime error: ".to_vec();
    text.extend_from_slice(message);
    print_text(asm, &text);
    end_panic(asm);
}

/// `memmove(dst, src, n)`. Up to 32 bytes, as Go's `memmove`, by loads of the first and
/// the last bytes (overlapping when `n` is not a power of two), all made before any
/// store, so that overlapping operands move right either way; `rep movsb`, which takes
/// tens of cycles to start, only beyond, backwards when the destination overlaps the
/// source's end.
pub(super) fn memmove(asm: &mut Asm) {
    let forward = asm.new_label();
    let large = asm.new_label();
    let done = asm.new_label();
    asm.ins(|a| a.mov(rdi, qword_ptr(rsp + 8)));
    asm.ins(|a| a.mov(rsi, qword_ptr(rsp + 16)));
    asm.ins(|a| a.mov(rcx, qword_ptr(rsp + 24)));
    asm.ins(|a| a.cmp(rcx, 32));
    asm.jump(Code::Ja_rel8_64, large);
    // Each size range: its lower bound, and the moves of its loads and stores, from the
    // start and back from the end.
    type Moves = fn(&mut Asm);
    let small: [(i32, Moves); 5] = [
        (17, |asm| {
            asm.ins(|a| a.mov(rax, qword_ptr(rsi)));
            asm.ins(|a| a.mov(rdx, qword_ptr(rsi + 8)));
            asm.ins(|a| a.mov(r8, qword_ptr(rsi + rcx - 16)));
            asm.ins(|a| a.mov(r9, qword_ptr(rsi + rcx - 8)));
            asm.ins(|a| a.mov(qword_ptr(rdi), rax));
            asm.ins(|a| a.mov(qword_ptr(rdi + 8), rdx));
            asm.ins(|a| a.mov(qword_ptr(rdi + rcx - 16), r8));
            asm.ins(|a| a.mov(qword_ptr(rdi + rcx - 8), r9));
        }),
        (9, |asm| {
            asm.ins(|a| a.mov(rax, qword_ptr(rsi)));
            asm.ins(|a| a.mov(rdx, qword_ptr(rsi + rcx - 8)));
            asm.ins(|a| a.mov(qword_ptr(rdi), rax));
            asm.ins(|a| a.mov(qword_ptr(rdi + rcx - 8), rdx));
        }),
        (5, |asm| {
            asm.ins(|a| a.mov(eax, dword_ptr(rsi)));
            asm.ins(|a| a.mov(edx, dword_ptr(rsi + rcx - 4)));
            asm.ins(|a| a.mov(dword_ptr(rdi), eax));
            asm.ins(|a| a.mov(dword_ptr(rdi + rcx - 4), edx));
        }),
        (3, |asm| {
            asm.ins(|a| a.mov(ax, word_ptr(rsi)));
            asm.ins(|a| a.mov(dx, word_ptr(rsi + rcx - 2)));
            asm.ins(|a| a.mov(word_ptr(rdi), ax));
            asm.ins(|a| a.mov(word_ptr(rdi + rcx - 2), dx));
        }),
        (1, |asm| {
            asm.ins(|a| a.mov(al, byte_ptr(rsi)));
            asm.ins(|a| a.mov(dl, byte_ptr(rsi + rcx - 1)));
            asm.ins(|a| a.mov(byte_ptr(rdi), al));
            asm.ins(|a| a.mov(byte_ptr(rdi + rcx - 1), dl));
        }),
    ];
    for (lower, moves) in small {
        let next = asm.new_label();
        asm.ins(|a| a.cmp(rcx, lower));
        asm.jump(Code::Jb_rel8_64, next);
        moves(asm);
        asm.ins(|a| a.ret());
        asm.place(next);
    }
    // No bytes.
    asm.jump(Code::Jmp_rel8_64, done);
    asm.place(large);
    asm.ins(|a| a.cmp(rdi, rsi));
    asm.jump(Code::Jbe_rel8_64, forward);
    asm.ins(|a| a.lea(rax, qword_ptr(rsi + rcx)));
    asm.ins(|a| a.cmp(rdi, rax));
    asm.jump(Code::Jae_rel8_64, forward);
    asm.ins(|a| a.lea(rsi, qword_ptr(rsi + rcx - 1)));
    asm.ins(|a| a.lea(rdi, qword_ptr(rdi + rcx - 1)));
    asm.ins(|a| a.std());
    asm.ins(|a| a.rep().movsb());
    asm.ins(|a| a.cld());
    asm.ins(|a| a.ret());
    asm.place(forward);
    asm.ins(|a| a.rep().movsb());
    asm.place(done);
    asm.ins(|a| a.ret());
}

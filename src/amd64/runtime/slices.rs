//! The runtime's slice functions, Go's `runtime/slice.go`, `msize.go` and the bounds
//! panics of `panic.go` and `error.go`, in the same conventions as the rest of the runtime
//! (Go's ABI0: arguments, then results, on the stack above the return address).
//!
//! - `makeslice(size, len, cap, pointers) ptr`: checks `len` and `cap` against Go's limit (`maxAlloc`
//!   bytes, 2^48 on linux/amd64) and allocates `cap * size` zeroed bytes; no bytes at all
//!   give Go's `zerobase`, an address that is not nil (here `runtime.data`).
//! - `growslice(ptr, newlen, oldcap, oldlen, size, pointers) (ptr, newcap)`: a new array for
//!   an `append` that does not fit, with Go's capacity (`nextslicecap`, then `roundupsize`
//!   to a size class, with room for the malloc header Go gives pointerful objects over 512
//!   bytes), the old elements copied over.
//! - `memmove(dst, src, n)`: copies `n` bytes, the areas overlapping or not (`copy`).
//! - The bounds panics, one function per form of Go's message (`panicIndex(x, y)`,
//!   `panicSliceAcap`, …): `x`, signed, is the bad index; when it is negative the message
//!   leaves out `y`, as Go's `boundsNegErrorFmt`.
//! - `printslice(ptr, len, cap)`: `println`'s `[len/cap]0xptr`.
//!
//! Every allocation goes through `mallocgc` (`Runtime::Alloc`). These functions are linked
//! only into programs that use them (`Runtime::ON_DEMAND`).

use iced_x86::Code;
use iced_x86::code_asm::*;

use super::{end_panic, lea_data, print_text, start_panic};
use crate::amd64::asm::Asm;
use crate::ssa::{Runtime, Sym};

/// Go's `maxAlloc` on linux/amd64: no allocation may be larger.
const MAX_ALLOC: u64 = 1 << 48;

/// Go's size classes (`SizeClassToSize` of `sizeclasses.go`): a small object takes the
/// smallest that holds it, and nothing takes class 0 (`[]byte("")` has capacity 0).
const SIZE_CLASSES: [u16; 68] = [
    0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320,
    352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792,
    2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728,
    10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672,
    32768,
];

/// Go's `maxSmallSize`: larger objects are rounded up to whole pages.
const MAX_SMALL_SIZE: i32 = 32768;
/// Go's `mallocHeaderSize`.
const MALLOC_HEADER: i32 = 8;
/// Go's `minSizeForMallocHeader`: pointerful objects larger than this carry a header.
const MIN_SIZE_FOR_HEADER: i32 = 512;
/// Go's page size.
const PAGE_SIZE: i32 = 8192;

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

/// `makeslice(size, len, cap, pointers) ptr`.
pub(super) fn makeslice(asm: &mut Asm) {
    let bad_len = asm.new_label();
    let bad_cap = asm.new_label();
    let empty = asm.new_label();
    // RAX: the most elements of this size an allocation may hold.
    asm.ins(|a| a.mov(rax, MAX_ALLOC));
    asm.ins(|a| a.xor(edx, edx));
    asm.ins(|a| a.div(qword_ptr(rsp + 8)));
    asm.ins(|a| a.mov(rcx, qword_ptr(rsp + 16)));
    asm.ins(|a| a.cmp(rcx, rax));
    asm.jump(Code::Ja_rel8_64, bad_len);
    asm.ins(|a| a.mov(rdx, qword_ptr(rsp + 24)));
    asm.ins(|a| a.cmp(rdx, rax));
    asm.jump(Code::Ja_rel8_64, bad_cap);
    asm.ins(|a| a.cmp(rcx, rdx));
    asm.jump(Code::Jg_rel8_64, bad_cap);
    asm.ins(|a| a.imul_2(rdx, qword_ptr(rsp + 8)));
    asm.ins(|a| a.test(rdx, rdx));
    asm.jump(Code::Je_rel8_64, empty);
    asm.ins(|a| a.sub(rsp, 24));
    // Now the arguments are at rsp+32.., the result at rsp+64.
    asm.ins(|a| a.mov(qword_ptr(rsp), rdx));
    asm.ins(|a| a.mov(rax, qword_ptr(rsp + 56)));
    asm.ins(|a| a.mov(qword_ptr(rsp + 8), rax));
    asm.call_sym(Sym::Runtime(Runtime::Alloc));
    asm.ins(|a| a.mov(rax, qword_ptr(rsp + 16)));
    asm.ins(|a| a.add(rsp, 24));
    asm.ins(|a| a.mov(qword_ptr(rsp + 40), rax));
    asm.ins(|a| a.ret());
    asm.place(empty);
    lea_data(asm, 0, 0);
    asm.ins(|a| a.mov(qword_ptr(rsp + 40), rax));
    asm.ins(|a| a.ret());
    asm.place(bad_len);
    asm.call_sym(Sym::Runtime(Runtime::PanicMakeSliceLen));
    asm.place(bad_cap);
    asm.call_sym(Sym::Runtime(Runtime::PanicMakeSliceCap));
}

/// `growslice(ptr, newlen, oldcap, oldlen, size, pointers) (ptr, newcap)`, as Go's
/// `growslice`: the capacity from `nextslicecap`, rounded up by `roundupsize`; `newlen` is
/// more than `oldcap`, or 0 from a nil slice (`[]byte(s)` of an empty string, as Go's
/// `rawbyteslice(0)`: capacity 0).
pub(super) fn growslice(asm: &mut Asm) {
    let bad = asm.new_label();
    let use_len = asm.new_label();
    let use_double = asm.new_label();
    let grow = asm.new_label();
    let have = asm.new_label();
    let no_header = asm.new_label();
    let scan = asm.new_label();
    let large = asm.new_label();
    let rounded = asm.new_label();
    let classes: Vec<u8> = SIZE_CLASSES
        .iter()
        .flat_map(|size| size.to_le_bytes())
        .collect();
    let table = asm.data(&classes);
    asm.ins(|a| a.mov(rax, qword_ptr(rsp + 16)));
    asm.ins(|a| a.test(rax, rax));
    asm.jump(Code::Js_rel8_64, bad);
    // nextslicecap: RCX the new capacity, RAX the length asked for.
    asm.ins(|a| a.mov(rcx, qword_ptr(rsp + 24)));
    asm.ins(|a| a.lea(rdx, qword_ptr(rcx + rcx)));
    asm.ins(|a| a.cmp(rax, rdx));
    asm.jump(Code::Jg_rel8_64, use_len);
    asm.ins(|a| a.cmp(rcx, 256));
    asm.jump(Code::Jl_rel8_64, use_double);
    asm.place(grow);
    asm.ins(|a| a.lea(rdx, qword_ptr(rcx + 768)));
    asm.ins(|a| a.sar(rdx, 2));
    asm.ins(|a| a.add(rcx, rdx));
    asm.ins(|a| a.cmp(rcx, rax));
    asm.jump(Code::Jb_rel8_64, grow);
    asm.ins(|a| a.test(rcx, rcx));
    asm.jump(Code::Jle_rel8_64, use_len);
    asm.jump(Code::Jmp_rel8_64, have);
    asm.place(use_double);
    asm.ins(|a| a.mov(rcx, rdx));
    asm.jump(Code::Jmp_rel8_64, have);
    asm.place(use_len);
    asm.ins(|a| a.mov(rcx, rax));
    asm.place(have);
    // The bytes: RAX = newcap * size, at most MAX_ALLOC.
    asm.ins(|a| a.mov(rax, rcx));
    asm.ins(|a| a.mul(qword_ptr(rsp + 40)));
    asm.jump(Code::Jo_rel8_64, bad);
    asm.ins(|a| a.mov(rdx, MAX_ALLOC));
    asm.ins(|a| a.cmp(rax, rdx));
    asm.jump(Code::Ja_rel8_64, bad);
    // roundupsize(RAX): RCX the size asked of the allocator, a header included.
    asm.ins(|a| a.mov(rcx, rax));
    asm.ins(|a| a.cmp(rcx, MAX_SMALL_SIZE - MALLOC_HEADER));
    asm.jump(Code::Ja_rel8_64, large);
    asm.ins(|a| a.cmp(qword_ptr(rsp + 48), 0));
    asm.jump(Code::Je_rel8_64, no_header);
    asm.ins(|a| a.cmp(rcx, MIN_SIZE_FOR_HEADER));
    asm.jump(Code::Jbe_rel8_64, no_header);
    asm.ins(|a| a.add(rcx, MALLOC_HEADER));
    asm.place(no_header);
    asm.lea_label(2, table); // rdx
    asm.place(scan);
    asm.ins(|a| a.movzx(r8d, word_ptr(rdx)));
    asm.ins(|a| a.add(rdx, 2));
    asm.ins(|a| a.cmp(r8, rcx));
    asm.jump(Code::Jb_rel8_64, scan);
    // The class's size less the header.
    asm.ins(|a| a.sub(rcx, rax));
    asm.ins(|a| a.sub(r8, rcx));
    asm.ins(|a| a.mov(rax, r8));
    asm.jump(Code::Jmp_rel8_64, rounded);
    asm.place(large);
    asm.ins(|a| a.add(rcx, PAGE_SIZE - 1));
    asm.ins(|a| a.and(rcx, -PAGE_SIZE));
    asm.ins(|a| a.mov(rax, rcx));
    asm.place(rounded);
    // The capacity the rounded size holds, and its bytes.
    asm.ins(|a| a.xor(edx, edx));
    asm.ins(|a| a.div(qword_ptr(rsp + 40)));
    asm.ins(|a| a.mov(qword_ptr(rsp + 64), rax));
    asm.ins(|a| a.mul(qword_ptr(rsp + 40)));
    asm.ins(|a| a.sub(rsp, 24));
    // Now the arguments are at rsp+32.., the results at rsp+80 and rsp+88.
    asm.ins(|a| a.mov(qword_ptr(rsp), rax));
    asm.ins(|a| a.mov(rax, qword_ptr(rsp + 72)));
    asm.ins(|a| a.mov(qword_ptr(rsp + 8), rax));
    asm.call_sym(Sym::Runtime(Runtime::Alloc));
    asm.ins(|a| a.mov(rdi, qword_ptr(rsp + 16)));
    asm.ins(|a| a.mov(qword_ptr(rsp + 80), rdi));
    asm.ins(|a| a.mov(rsi, qword_ptr(rsp + 32)));
    asm.ins(|a| a.mov(rcx, qword_ptr(rsp + 56)));
    asm.ins(|a| a.imul_2(rcx, qword_ptr(rsp + 64)));
    asm.ins(|a| a.rep().movsb());
    asm.ins(|a| a.add(rsp, 24));
    asm.ins(|a| a.ret());
    asm.place(bad);
    asm.call_sym(Sym::Runtime(Runtime::PanicGrowSlice));
}

/// `memmove(dst, src, n)`: backwards when the destination overlaps the source's end.
pub(super) fn memmove(asm: &mut Asm) {
    let forward = asm.new_label();
    asm.ins(|a| a.mov(rdi, qword_ptr(rsp + 8)));
    asm.ins(|a| a.mov(rsi, qword_ptr(rsp + 16)));
    asm.ins(|a| a.mov(rcx, qword_ptr(rsp + 24)));
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
    asm.ins(|a| a.ret());
}

/// `printslice(ptr, len, cap)`: `[len/cap]0xptr`, as Go's `printslice`.
pub(super) fn printslice(asm: &mut Asm) {
    print_text(asm, b"[");
    asm.ins(|a| a.push(qword_ptr(rsp + 16)));
    asm.call_sym(Sym::Runtime(Runtime::PrintInt));
    asm.ins(|a| a.pop(rax));
    print_text(asm, b"/");
    asm.ins(|a| a.push(qword_ptr(rsp + 24)));
    asm.call_sym(Sym::Runtime(Runtime::PrintInt));
    asm.ins(|a| a.pop(rax));
    print_text(asm, b"]");
    asm.ins(|a| a.push(qword_ptr(rsp + 8)));
    asm.call_sym(Sym::Runtime(Runtime::PrintPointer));
    asm.ins(|a| a.pop(rax));
    asm.ins(|a| a.ret());
}

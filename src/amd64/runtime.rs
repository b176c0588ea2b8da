//! The runtime every executable carries, written in x86-64 assembly through the same
//! assembler as compiled code, one unit per function.
//!
//! Why assembly and not Toy: Level 1 Toy has no bytes, pointers or slices, so a runtime in
//! Toy would be little more than calls to intrinsics (load a byte, store a byte, syscall);
//! these few dozen instructions per function say the same thing directly. When Level 2
//! brings `[]byte`, printing and string operations can move to Toy.
//!
//! Conventions: Go's ABI0 as compiled code uses (arguments and results on the stack above
//! the return address), no stack check (the guard keeps `GUARD_SLACK` bytes of room below
//! it, which these leaf-like functions never exceed), and only the registers compiled code
//! treats as clobbered by a call (RAX, RCX, RDX, RSI, RDI, R8–R11). Internal helpers
//! (`printbytes`, `flush`) take their operands in registers.
//!
//! Output: print statements collect their text in a buffer and write it with one `write`
//! per statement (`printlock` … `printunlock`), the way Go's runtime and `fmt` write one
//! line at a time; the buffer is flushed early when full.

use iced_x86::Code;
use iced_x86::code_asm::*;

use crate::amd64::emit::{Asm, MachineCode, SMALL_FRAME};
use crate::ssa::{Runtime, Sym};

/// Size of the main stack: Go's limit is 1,000,000,000 bytes.
pub const STACK_SIZE: i64 = 1 << 30;
/// Room below the stack guard, for the largest frame that checks `rsp` directly and for
/// the runtime's own frames.
const GUARD_SLACK: i64 = 2 * SMALL_FRAME;
/// Size of each heap arena.
const ARENA: i64 = 64 << 20;
/// Size of the print buffer.
const BUF_SIZE: i64 = 8192;

// Offsets in `runtime.data`.
const GUARD: i64 = 0;
const HEAP_PTR: i64 = 8;
const HEAP_END: i64 = 16;
const FD: i64 = 24;
const LEN: i64 = 32;
const BUF: i64 = 64;
/// Size of `runtime.data`.
pub const DATA_SIZE: u64 = (BUF + BUF_SIZE) as u64;

const DATA: Sym = Sym::Runtime(Runtime::Data);

const SYS_WRITE: u32 = 1;
const SYS_MMAP: u32 = 9;
const SYS_EXIT_GROUP: u32 = 231;

fn ok(result: Result<(), iced_x86::IcedError>) {
    result.expect("the runtime's instructions are valid");
}

/// Assembles runtime function `rt` (not `Data`, which is zero-initialized memory).
pub fn assemble(rt: Runtime) -> MachineCode {
    let mut asm = Asm::default();
    match rt {
        Runtime::Entry => entry(&mut asm),
        Runtime::Alloc => alloc(&mut asm),
        Runtime::Concat => concat(&mut asm),
        Runtime::CmpString => cmpstring(&mut asm),
        Runtime::PrintLock => {
            ok(asm.a.mov(rax, qword_ptr(rsp + 8)));
            store(&mut asm, FD);
            ok(asm.a.xor(eax, eax));
            store(&mut asm, LEN);
            ok(asm.a.ret());
        }
        Runtime::PrintUnlock => {
            asm.call_sym(Sym::Runtime(Runtime::Flush));
            ok(asm.a.ret());
        }
        Runtime::PrintString => {
            ok(asm.a.mov(rsi, qword_ptr(rsp + 8)));
            ok(asm.a.mov(rcx, qword_ptr(rsp + 16)));
            asm.call_sym(Sym::Runtime(Runtime::PrintBytes));
            ok(asm.a.ret());
        }
        Runtime::PrintInt => printint(&mut asm),
        Runtime::PrintPointer => printpointer(&mut asm),
        Runtime::PrintBool => {
            ok(asm.a.mov(rax, qword_ptr(rsp + 8)));
            print_bool_rax(&mut asm);
            ok(asm.a.ret());
        }
        Runtime::PrintSp => {
            print_text(&mut asm, b" ");
            ok(asm.a.ret());
        }
        Runtime::PrintNl => {
            print_text(&mut asm, b"\n");
            ok(asm.a.ret());
        }
        Runtime::PrintBytes => printbytes(&mut asm),
        Runtime::Flush => flush(&mut asm),
        Runtime::PanicDivide => fatal(
            &mut asm,
            b"panic: runtime error: integer divide by zero\n",
            true,
        ),
        Runtime::PanicShift => fatal(
            &mut asm,
            b"panic: runtime error: negative shift amount\n",
            true,
        ),
        Runtime::PanicNil => fatal(
            &mut asm,
            b"panic: runtime error: invalid memory address or nil pointer dereference\n\
              [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x0]\n",
            true,
        ),
        Runtime::StackOverflow => fatal(
            &mut asm,
            b"runtime: goroutine stack exceeds 1000000000-byte limit\n\
              fatal error: stack overflow\n",
            false,
        ),
        Runtime::PanicInt => {
            start_panic(&mut asm);
            ok(asm.a.push(qword_ptr(rsp + 8)));
            asm.call_sym(Sym::Runtime(Runtime::PrintInt));
            ok(asm.a.pop(rax));
            end_panic(&mut asm);
        }
        Runtime::PanicBool => {
            start_panic(&mut asm);
            ok(asm.a.mov(rax, qword_ptr(rsp + 8)));
            print_bool_rax(&mut asm);
            end_panic(&mut asm);
        }
        Runtime::PanicString => panicstring(&mut asm),
        Runtime::Data => unreachable!("runtime.data is data, not code"),
    }
    asm.finish()
}

/// `mov [data + off], rax`.
fn store(asm: &mut Asm, off: i64) {
    asm.rip(Code::Mov_rm64_r64, 0, DATA, off, true);
}

/// `mov reg, [data + off]`.
fn load(asm: &mut Asm, reg: u8, off: i64) {
    asm.rip(Code::Mov_r64_rm64, reg, DATA, off, false);
}

/// `lea reg, [data + off]`.
fn lea_data(asm: &mut Asm, reg: u8, off: i64) {
    asm.rip(Code::Lea_r64_m, reg, DATA, off, false);
}

fn syscall(asm: &mut Asm, number: u32) {
    ok(asm.a.mov(eax, number));
    ok(asm.a.syscall());
}

fn exit(asm: &mut Asm, status: u32) {
    ok(asm.a.mov(edi, status));
    syscall(asm, SYS_EXIT_GROUP);
}

/// Emits `text` after the code and loads its address into RSI and its length into RCX,
/// then calls `printbytes`.
fn print_text(asm: &mut Asm, text: &[u8]) {
    let data = asm.data(text);
    ok(asm.a.lea(rsi, ptr(data)));
    ok(asm.a.mov(ecx, text.len() as u32));
    asm.call_sym(Sym::Runtime(Runtime::PrintBytes));
}

fn print_bool_rax(asm: &mut Asm) {
    let mut is_false = asm.a.create_label();
    let mut done = asm.a.create_label();
    ok(asm.a.test(rax, rax));
    ok(asm.a.je(is_false));
    print_text(asm, b"true");
    ok(asm.a.jmp(done));
    asm.place_label(&mut is_false);
    print_text(asm, b"false");
    asm.place_label(&mut done);
    ok(asm.a.nop());
}

/// `_rt0`: maps the main stack, sets the guard, runs `main.init` and `main.main`, exits 0.
fn entry(asm: &mut Asm) {
    ok(asm.a.xor(edi, edi));
    ok(asm.a.mov(rsi, STACK_SIZE));
    ok(asm.a.mov(edx, 3u32)); // PROT_READ | PROT_WRITE
    ok(asm.a.mov(r10d, 0x4022u32)); // MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE
    ok(asm.a.mov(r8, -1i64));
    ok(asm.a.xor(r9d, r9d));
    syscall(asm, SYS_MMAP);
    let mut mapped = asm.a.create_label();
    ok(asm.a.cmp(rax, -4096));
    ok(asm.a.jb(mapped));
    exit(asm, 2);
    asm.place_label(&mut mapped);
    ok(asm.a.lea(rcx, qword_ptr(rax + GUARD_SLACK as i32)));
    ok(asm.a.mov(rdx, rax));
    ok(asm.a.mov(rax, rcx));
    store(asm, GUARD);
    ok(asm.a.mov(rax, STACK_SIZE));
    ok(asm.a.lea(rsp, qword_ptr(rdx + rax)));
    asm.call_sym(Sym::Init);
    asm.call_sym(Sym::Main);
    exit(asm, 0);
}

/// `mallocgc(size) ptr`: bump allocation from mmap'd arenas; memory is zero and never freed.
fn alloc(asm: &mut Asm) {
    let mut retry = asm.a.create_label();
    let mut slow = asm.a.create_label();
    let mut mapped = asm.a.create_label();
    ok(asm.a.mov(rcx, qword_ptr(rsp + 8)));
    ok(asm.a.add(rcx, 7));
    ok(asm.a.and(rcx, -8));
    asm.place_label(&mut retry);
    load(asm, 0, HEAP_PTR);
    ok(asm.a.lea(rdx, qword_ptr(rax + rcx)));
    load(asm, 7, HEAP_END); // rdi
    ok(asm.a.cmp(rdx, rdi));
    ok(asm.a.ja(slow));
    ok(asm.a.mov(rdi, rax));
    ok(asm.a.mov(rax, rdx));
    store(asm, HEAP_PTR);
    ok(asm.a.mov(qword_ptr(rsp + 16), rdi));
    ok(asm.a.ret());
    asm.place_label(&mut slow);
    // A new arena of max(ARENA, size) bytes. The syscall clobbers RCX, so the size waits
    // in the argument slot.
    ok(asm.a.mov(qword_ptr(rsp + 8), rcx));
    ok(asm.a.mov(rsi, ARENA));
    ok(asm.a.cmp(rcx, rsi));
    ok(asm.a.cmova(rsi, rcx));
    ok(asm.a.xor(edi, edi));
    ok(asm.a.mov(edx, 3u32));
    ok(asm.a.mov(r10d, 0x22u32)); // MAP_PRIVATE | MAP_ANONYMOUS
    ok(asm.a.mov(r8, -1i64));
    ok(asm.a.xor(r9d, r9d));
    syscall(asm, SYS_MMAP);
    ok(asm.a.cmp(rax, -4096));
    ok(asm.a.jb(mapped));
    print_text(asm, b"fatal error: out of memory\n");
    asm.call_sym(Sym::Runtime(Runtime::Flush));
    exit(asm, 2);
    asm.place_label(&mut mapped);
    store(asm, HEAP_PTR);
    ok(asm.a.add(rax, rsi));
    store(asm, HEAP_END);
    ok(asm.a.mov(rcx, qword_ptr(rsp + 8)));
    ok(asm.a.jmp(retry));
}

/// `concatstring2(p1, n1, p2, n2) (p, n)`.
fn concat(asm: &mut Asm) {
    let mut both = asm.a.create_label();
    let mut first_only = asm.a.create_label();
    // Arguments at rsp+8..40, results at rsp+40 and rsp+48.
    ok(asm.a.cmp(qword_ptr(rsp + 16), 0));
    ok(asm.a.jne(first_only));
    ok(asm.a.mov(rax, qword_ptr(rsp + 24)));
    ok(asm.a.mov(qword_ptr(rsp + 40), rax));
    ok(asm.a.mov(rax, qword_ptr(rsp + 32)));
    ok(asm.a.mov(qword_ptr(rsp + 48), rax));
    ok(asm.a.ret());
    asm.place_label(&mut first_only);
    ok(asm.a.cmp(qword_ptr(rsp + 32), 0));
    ok(asm.a.jne(both));
    ok(asm.a.mov(rax, qword_ptr(rsp + 8)));
    ok(asm.a.mov(qword_ptr(rsp + 40), rax));
    ok(asm.a.mov(rax, qword_ptr(rsp + 16)));
    ok(asm.a.mov(qword_ptr(rsp + 48), rax));
    ok(asm.a.ret());
    asm.place_label(&mut both);
    ok(asm.a.mov(rax, qword_ptr(rsp + 16)));
    ok(asm.a.add(rax, qword_ptr(rsp + 32)));
    ok(asm.a.sub(rsp, 16));
    // Now the arguments are at rsp+24.., the results at rsp+56 and rsp+64.
    ok(asm.a.mov(qword_ptr(rsp), rax));
    ok(asm.a.mov(qword_ptr(rsp + 64), rax));
    asm.call_sym(Sym::Runtime(Runtime::Alloc));
    ok(asm.a.mov(rdi, qword_ptr(rsp + 8)));
    ok(asm.a.mov(qword_ptr(rsp + 56), rdi));
    ok(asm.a.mov(rsi, qword_ptr(rsp + 24)));
    ok(asm.a.mov(rcx, qword_ptr(rsp + 32)));
    ok(asm.a.rep().movsb());
    ok(asm.a.mov(rsi, qword_ptr(rsp + 40)));
    ok(asm.a.mov(rcx, qword_ptr(rsp + 48)));
    ok(asm.a.rep().movsb());
    ok(asm.a.add(rsp, 16));
    ok(asm.a.ret());
}

/// `cmpstring(p1, n1, p2, n2) int`: -1, 0 or 1 by bytes, then by length.
fn cmpstring(asm: &mut Asm) {
    let mut top = asm.a.create_label();
    let mut tail = asm.a.create_label();
    let mut less = asm.a.create_label();
    let mut greater = asm.a.create_label();
    ok(asm.a.mov(rsi, qword_ptr(rsp + 8)));
    ok(asm.a.mov(rcx, qword_ptr(rsp + 16)));
    ok(asm.a.mov(rdi, qword_ptr(rsp + 24)));
    ok(asm.a.mov(rdx, qword_ptr(rsp + 32)));
    ok(asm.a.mov(r8, rcx));
    ok(asm.a.cmp(r8, rdx));
    ok(asm.a.cmova(r8, rdx));
    ok(asm.a.xor(r9d, r9d));
    asm.place_label(&mut top);
    ok(asm.a.cmp(r9, r8));
    ok(asm.a.jae(tail));
    ok(asm.a.movzx(eax, byte_ptr(rsi + r9)));
    ok(asm.a.movzx(r10d, byte_ptr(rdi + r9)));
    ok(asm.a.cmp(eax, r10d));
    ok(asm.a.jb(less));
    ok(asm.a.ja(greater));
    ok(asm.a.inc(r9));
    ok(asm.a.jmp(top));
    asm.place_label(&mut tail);
    ok(asm.a.cmp(rcx, rdx));
    ok(asm.a.jb(less));
    ok(asm.a.ja(greater));
    ok(asm.a.mov(qword_ptr(rsp + 40), 0));
    ok(asm.a.ret());
    asm.place_label(&mut less);
    ok(asm.a.mov(qword_ptr(rsp + 40), -1));
    ok(asm.a.ret());
    asm.place_label(&mut greater);
    ok(asm.a.mov(qword_ptr(rsp + 40), 1));
    ok(asm.a.ret());
}

/// `printbytes`: appends RCX bytes at RSI to the buffer, flushing it when full. Clobbers
/// RAX, RCX, RDX, RSI, RDI, R11; keeps R8–R10.
fn printbytes(asm: &mut Asm) {
    let mut top = asm.a.create_label();
    let mut room = asm.a.create_label();
    let mut done = asm.a.create_label();
    asm.place_label(&mut top);
    ok(asm.a.test(rcx, rcx));
    ok(asm.a.je(done));
    load(asm, 0, LEN);
    ok(asm.a.mov(edx, BUF_SIZE as u32));
    ok(asm.a.sub(rdx, rax));
    ok(asm.a.jne(room));
    ok(asm.a.push(rsi));
    ok(asm.a.push(rcx));
    asm.call_sym(Sym::Runtime(Runtime::Flush));
    ok(asm.a.pop(rcx));
    ok(asm.a.pop(rsi));
    ok(asm.a.jmp(top));
    asm.place_label(&mut room);
    ok(asm.a.cmp(rdx, rcx));
    ok(asm.a.cmova(rdx, rcx));
    lea_data(asm, 7, BUF);
    ok(asm.a.add(rdi, rax));
    ok(asm.a.sub(rcx, rdx));
    ok(asm.a.add(rax, rdx));
    store(asm, LEN);
    ok(asm.a.xchg(rcx, rdx));
    ok(asm.a.rep().movsb());
    ok(asm.a.mov(rcx, rdx));
    ok(asm.a.jmp(top));
    asm.place_label(&mut done);
    ok(asm.a.ret());
}

/// `flush`: writes the buffer to the statement's file descriptor and empties it.
fn flush(asm: &mut Asm) {
    let mut top = asm.a.create_label();
    let mut done = asm.a.create_label();
    lea_data(asm, 6, BUF);
    load(asm, 2, LEN);
    asm.place_label(&mut top);
    ok(asm.a.test(rdx, rdx));
    ok(asm.a.je(done));
    load(asm, 7, FD);
    syscall(asm, SYS_WRITE);
    ok(asm.a.test(rax, rax));
    ok(asm.a.jle(done));
    ok(asm.a.add(rsi, rax));
    ok(asm.a.sub(rdx, rax));
    ok(asm.a.jmp(top));
    asm.place_label(&mut done);
    ok(asm.a.xor(eax, eax));
    store(asm, LEN);
    ok(asm.a.ret());
}

/// Loads the argument into RAX and makes a 32-byte buffer on the stack, filled backwards
/// from its end, which RDI points at.
fn begin_digits(asm: &mut Asm) {
    ok(asm.a.mov(rax, qword_ptr(rsp + 8)));
    ok(asm.a.sub(rsp, 32));
    ok(asm.a.lea(rdi, qword_ptr(rsp + 32)));
}

/// Prints the buffer from RDI to its end, drops it and returns.
fn end_digits(asm: &mut Asm) {
    ok(asm.a.mov(rsi, rdi));
    ok(asm.a.lea(rcx, qword_ptr(rsp + 32)));
    ok(asm.a.sub(rcx, rdi));
    asm.call_sym(Sym::Runtime(Runtime::PrintBytes));
    ok(asm.a.add(rsp, 32));
    ok(asm.a.ret());
}

/// `printint(x)`: decimal, with a minus sign if negative.
fn printint(asm: &mut Asm) {
    let mut positive = asm.a.create_label();
    let mut digit = asm.a.create_label();
    let mut unsigned = asm.a.create_label();
    begin_digits(asm);
    ok(asm.a.mov(r8, rax));
    ok(asm.a.test(rax, rax));
    ok(asm.a.jns(positive));
    // The magnitude as unsigned; right for MinInt64 too.
    ok(asm.a.neg(rax));
    asm.place_label(&mut positive);
    ok(asm.a.mov(ecx, 10u32));
    asm.place_label(&mut digit);
    ok(asm.a.xor(edx, edx));
    ok(asm.a.div(rcx));
    ok(asm.a.add(dl, b'0' as i32));
    ok(asm.a.dec(rdi));
    ok(asm.a.mov(byte_ptr(rdi), dl));
    ok(asm.a.test(rax, rax));
    ok(asm.a.jne(digit));
    ok(asm.a.test(r8, r8));
    ok(asm.a.jns(unsigned));
    ok(asm.a.dec(rdi));
    ok(asm.a.mov(byte_ptr(rdi), b'-' as i32));
    asm.place_label(&mut unsigned);
    end_digits(asm);
}

/// `printpointer(p)`: `0x` and lowercase hexadecimal digits, as Go prints pointers.
fn printpointer(asm: &mut Asm) {
    let mut digit = asm.a.create_label();
    let mut letter = asm.a.create_label();
    let mut stored = asm.a.create_label();
    begin_digits(asm);
    asm.place_label(&mut digit);
    ok(asm.a.mov(edx, eax));
    ok(asm.a.and(edx, 15));
    ok(asm.a.cmp(edx, 10));
    ok(asm.a.jae(letter));
    ok(asm.a.add(edx, b'0' as i32));
    ok(asm.a.jmp(stored));
    asm.place_label(&mut letter);
    ok(asm.a.add(edx, (b'a' - 10) as i32));
    asm.place_label(&mut stored);
    ok(asm.a.dec(rdi));
    ok(asm.a.mov(byte_ptr(rdi), dl));
    ok(asm.a.shr(rax, 4));
    ok(asm.a.jne(digit));
    ok(asm.a.dec(rdi));
    ok(asm.a.mov(byte_ptr(rdi), b'x' as i32));
    ok(asm.a.dec(rdi));
    ok(asm.a.mov(byte_ptr(rdi), b'0' as i32));
    end_digits(asm);
}

/// Points the (empty) print buffer at standard error.
fn to_stderr(asm: &mut Asm) {
    ok(asm.a.mov(eax, 2u32));
    store(asm, FD);
    ok(asm.a.xor(eax, eax));
    store(asm, LEN);
}

/// Starts writing a panic message to standard error.
fn start_panic(asm: &mut Asm) {
    to_stderr(asm);
    print_text(asm, b"panic: ");
}

/// Ends a panic message with the start of Go's goroutine trace and exits with status 2.
fn end_panic(asm: &mut Asm) {
    print_text(asm, b"\n\ngoroutine 1 [running]:\nmain.main()\n");
    asm.call_sym(Sym::Runtime(Runtime::Flush));
    exit(asm, 2);
}

/// Writes `message` (and a goroutine header if `trace`) to standard error; exits with 2.
fn fatal(asm: &mut Asm, message: &[u8], trace: bool) {
    to_stderr(asm);
    print_text(asm, message);
    if trace {
        print_text(asm, b"\ngoroutine 1 [running]:\nmain.main()\n");
    }
    asm.call_sym(Sym::Runtime(Runtime::Flush));
    exit(asm, 2);
}

/// `gopanicstring(p, n)`: the string with each newline followed by a tab, as Go's
/// `printpanicval` indents continuation lines.
fn panicstring(asm: &mut Asm) {
    let mut top = asm.a.create_label();
    let mut next = asm.a.create_label();
    let mut done = asm.a.create_label();
    start_panic(asm);
    ok(asm.a.mov(r8, qword_ptr(rsp + 8)));
    ok(asm.a.mov(r9, qword_ptr(rsp + 16)));
    asm.place_label(&mut top);
    ok(asm.a.test(r9, r9));
    ok(asm.a.je(done));
    ok(asm.a.mov(rsi, r8));
    ok(asm.a.mov(ecx, 1u32));
    asm.call_sym(Sym::Runtime(Runtime::PrintBytes));
    ok(asm.a.cmp(byte_ptr(r8), 10));
    ok(asm.a.jne(next));
    print_text(asm, b"\t");
    asm.place_label(&mut next);
    ok(asm.a.inc(r8));
    ok(asm.a.dec(r9));
    ok(asm.a.jmp(top));
    asm.place_label(&mut done);
    end_panic(asm);
}

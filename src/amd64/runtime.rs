//! The part of the runtime written in x86-64 assembly, through the same assembler as
//! compiled code, one unit per function.
//!
//! Why assembly: Level 1 Toy had no bytes, so the runtime was written here. It moves to Toy
//! (`crate::runtime`) a function at a time: `intstring` first, then string concatenation
//! and comparison, `makeslice` and `growslice`, the printing of booleans, pointers and
//! slices; what
//! must stay here (the entry point, the stack overflow report, the raw
//! system calls) is listed in ARCHITECTURE.md.
//!
//! Conventions: Go's ABI0 as compiled code uses (arguments and results on the stack above
//! the return address), no stack check (the guard keeps `GUARD_SLACK` bytes of room below
//! it, which these leaf-like functions never exceed), and only the registers compiled code
//! treats as clobbered by a call (RAX, RCX, RDX, RSI, RDI, R8–R11). Internal helpers
//! (`printbytes`, `flush`) take their operands in registers.
//!
//! Output: print statements collect their text in a buffer and write it with one `write`
//! per statement (`printlock` … `printunlock`), the way Go's runtime and `fmt` write one
//! line at a time; the buffer is flushed early when full. Every panic and fatal error
//! empties the buffer and points it at standard error first, as Go's runtime writes them
//! to fd 2 whatever the program printed last.
//!
//! Broken pipes, as Go (measured with Go 1.27 on Linux, a program writing to a pipe whose
//! reader has gone): Go's runtime catches SIGPIPE and does nothing with it, so the `write`
//! fails with EPIPE instead of killing the process. What happens next depends on who
//! wrote. `print`/`println` and panic messages go through the runtime's own `write`,
//! which ignores every error: the program carries on (a panic still exits with status 2).
//! `fmt.Print`/`Println` write through `os.Stdout`, whose `epipecheck` calls
//! `runtime.sigpipe` on EPIPE for fds 1 and 2: it unblocks SIGPIPE, restores its default
//! action and raises it, so the process dies of SIGPIPE (shells show status 141), even
//! when it was started with SIGPIPE ignored. Toy writes fd 1 only from `fmt` and fd 2
//! only from the runtime, so the rule here is by descriptor: `entry` ignores SIGPIPE, and
//! `flush` dies of SIGPIPE on EPIPE from fd 1 and drops every other failed write.

use iced_x86::Code;
use iced_x86::code_asm::*;

use crate::amd64::asm::Asm;
use crate::amd64::emit::{MachineCode, SMALL_FRAME};
use crate::ssa::{Runtime, Sym};

mod slices;

/// Size of the main stack: Go's limit is 1,000,000,000 bytes.
const STACK_SIZE: i64 = 1 << 30;
/// The smallest main stack `entry` settles for when `STACK_SIZE` is refused (an address
/// space limit, `ulimit -v`). It is 8 times `GUARD_SLACK`, so thousands of frames still
/// fit. Going lower would buy little: a process that cannot map the last probe, twice
/// this size (see `map_stack`), cannot reserve the heap (`runtime/malloc.toy`) either, so
/// it could not concatenate a single string.
const MIN_STACK: i64 = 1 << 20;
/// Room below the stack guard, for the largest frame that checks `rsp` directly and for
/// the runtime's own frames.
const GUARD_SLACK: i64 = 2 * SMALL_FRAME;
/// Size of the print buffer.
const BUF_SIZE: i64 = 8192;

// Offsets in `runtime.data`.
const GUARD: i64 = 0;
/// The process's environment, `envp` as the kernel passed it (`sys.Envp`).
pub const ENVP: i64 = 8;
const FD: i64 = 24;
const LEN: i64 = 32;
/// The size of the main stack that `entry` kept.
const STACK: i64 = 40;
const BUF: i64 = 64;
/// The heap's state, which the allocator and collector written in Toy lay out
/// (`sys.Heap`, `runtime/malloc.toy`).
pub const HEAP: i64 = BUF + BUF_SIZE;
/// Size of the heap's state.
const HEAP_SIZE: i64 = 4096;
/// Size of `runtime.data`.
pub const DATA_SIZE: u64 = (HEAP + HEAP_SIZE) as u64;

const DATA: Sym = Sym::Runtime(Runtime::Data);

const SYS_WRITE: u32 = 1;
const SYS_MMAP: u32 = 9;
const SYS_MUNMAP: u32 = 11;
const SYS_RT_SIGACTION: u32 = 13;
const SYS_RT_SIGPROCMASK: u32 = 14;
const SYS_GETPID: u32 = 39;
const SYS_KILL: u32 = 62;
const SYS_EXIT_GROUP: u32 = 231;

const SIGPIPE: u32 = 13;
const SIG_DFL: i32 = 0;
const SIG_IGN: i32 = 1;
const SIG_UNBLOCK: u32 = 1;
/// The kernel's signal set size, in bytes (`_NSIG / 8`).
const SIGSET_SIZE: u32 = 8;
const EPIPE: i32 = 32;

/// Assembles runtime function `rt` (not `Data`, which is zero-initialized memory).
pub fn assemble(rt: Runtime) -> MachineCode {
    let mut asm = Asm::default();
    match rt {
        Runtime::Entry => entry(&mut asm),
        Runtime::Syscall => syscall6(&mut asm),
        Runtime::SaveRegs => saveregs(&mut asm),
        Runtime::MemClr => memclr(&mut asm),
        Runtime::Throw => throw(&mut asm),
        Runtime::Alloc
        | Runtime::Concat
        | Runtime::CmpString
        | Runtime::IntString
        | Runtime::Sprintf
        | Runtime::MakeSlice
        | Runtime::GrowSlice
        | Runtime::PrintBool
        | Runtime::PrintPointer
        | Runtime::PrintSlice => {
            unreachable!("{} is written in Toy", rt.name())
        }
        Runtime::PrintLock => {
            asm.ins(|a| a.mov(rax, qword_ptr(rsp + 8)));
            store(&mut asm, FD);
            asm.ins(|a| a.xor(eax, eax));
            store(&mut asm, LEN);
            asm.ins(|a| a.ret());
        }
        Runtime::PrintUnlock => {
            asm.call_sym(Sym::Runtime(Runtime::Flush));
            asm.ins(|a| a.ret());
        }
        Runtime::PrintString => {
            asm.ins(|a| a.mov(rsi, qword_ptr(rsp + 8)));
            asm.ins(|a| a.mov(rcx, qword_ptr(rsp + 16)));
            asm.call_sym(Sym::Runtime(Runtime::PrintBytes));
            asm.ins(|a| a.ret());
        }
        Runtime::PrintInt => printint(&mut asm),
        Runtime::PrintSp => {
            print_text(&mut asm, b" ");
            asm.ins(|a| a.ret());
        }
        Runtime::PrintNl => {
            print_text(&mut asm, b"\n");
            asm.ins(|a| a.ret());
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
        Runtime::StackOverflow => morestack(&mut asm),
        Runtime::PanicInt => {
            start_panic(&mut asm);
            asm.ins(|a| a.push(qword_ptr(rsp + 8)));
            asm.call_sym(Sym::Runtime(Runtime::PrintInt));
            asm.ins(|a| a.pop(rax));
            end_panic(&mut asm);
        }
        Runtime::PanicBool => {
            start_panic(&mut asm);
            asm.ins(|a| a.mov(rax, qword_ptr(rsp + 8)));
            print_bool_rax(&mut asm);
            end_panic(&mut asm);
        }
        Runtime::PanicString => panicstring(&mut asm),
        Runtime::Data | Runtime::Functab => unreachable!("{} is data, not code", rt.name()),
        Runtime::MemMove => slices::memmove(&mut asm),
        Runtime::PanicIndex
        | Runtime::PanicSliceAlen
        | Runtime::PanicSliceAcap
        | Runtime::PanicSliceB
        | Runtime::PanicSlice3Alen
        | Runtime::PanicSlice3Acap
        | Runtime::PanicSlice3B
        | Runtime::PanicSlice3C => slices::panic_bounds(&mut asm, rt),
        Runtime::PanicMakeSliceLen => {
            slices::panic_message(&mut asm, b"makeslice: len out of range")
        }
        Runtime::PanicMakeSliceCap => {
            slices::panic_message(&mut asm, b"makeslice: cap out of range")
        }
        Runtime::PanicGrowSlice => slices::panic_message(&mut asm, b"growslice: len out of range"),
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
    asm.ins(|a| a.mov(eax, number));
    asm.ins(|a| a.syscall());
}

fn exit(asm: &mut Asm, status: u32) {
    asm.ins(|a| a.mov(edi, status));
    syscall(asm, SYS_EXIT_GROUP);
}

/// Emits `text` after the code and loads its address into RSI and its length into RCX,
/// then calls `printbytes`.
fn print_text(asm: &mut Asm, text: &[u8]) {
    let data = asm.data(text);
    asm.lea_label(6, data);
    asm.ins(|a| a.mov(ecx, text.len() as u32));
    asm.call_sym(Sym::Runtime(Runtime::PrintBytes));
}

fn print_bool_rax(asm: &mut Asm) {
    let is_false = asm.new_label();
    let done = asm.new_label();
    asm.ins(|a| a.test(rax, rax));
    asm.jump(Code::Je_rel8_64, is_false);
    print_text(asm, b"true");
    asm.jump(Code::Jmp_rel8_64, done);
    asm.place(is_false);
    print_text(asm, b"false");
    asm.place(done);
}

/// `_rt0`: records the environment, ignores SIGPIPE (see the module comment), maps the
/// main stack, runs
/// `main.init` and `main.main`, exits 0.
fn entry(asm: &mut Asm) {
    // The kernel's stack: argc, the argv pointers and a null, then envp.
    asm.ins(|a| a.mov(rax, qword_ptr(rsp)));
    asm.ins(|a| a.lea(rax, qword_ptr(rsp + rax * 8 + 16)));
    store(asm, ENVP);
    set_sigpipe(asm, SIG_IGN);
    map_stack(asm);
    asm.call_sym(Sym::Init);
    asm.call_sym(Sym::Main);
    exit(asm, 0);
}

/// Sets SIGPIPE's action to `handler` (`SIG_DFL` or `SIG_IGN`, which need no restorer)
/// with `rt_sigaction`, building the kernel's `struct sigaction` (handler, flags,
/// restorer, mask) on the stack.
fn set_sigpipe(asm: &mut Asm, handler: i32) {
    for _ in 0..3 {
        asm.ins(|a| a.push(0));
    }
    asm.ins(|a| a.push(handler));
    asm.ins(|a| a.mov(edi, SIGPIPE));
    asm.ins(|a| a.mov(rsi, rsp));
    asm.ins(|a| a.xor(edx, edx));
    asm.ins(|a| a.mov(r10d, SIGSET_SIZE));
    syscall(asm, SYS_RT_SIGACTION);
    asm.ins(|a| a.add(rsp, 32));
}

/// Maps the main stack, switches `rsp` to its top and records its guard and size in
/// `runtime.data`; reports a fatal error if no workable stack can be had.
///
/// `STACK_SIZE` is reserved, not committed (`MAP_NORESERVE`), so it normally costs
/// nothing. An address space limit below about 1 GiB refuses it (`ulimit -v 1000000`,
/// under which Go's executables run); then the size halves until one maps, down to
/// twice `MIN_STACK`, and the lower half of that one is given back. The first size that
/// maps after twice it was refused is more than half of the free address space, so
/// keeping all of it could leave the heap almost nothing; keeping half leaves the heap at
/// least as much as the stack. Go's goroutine stacks live on the heap and fail to grow
/// when an allocation fails, so `morestack` reports running out of memory then, as Go
/// does under such a limit.
///
/// Invariant: the guard is the kept stack's lowest address plus `GUARD_SLACK`, and
/// `[data + STACK]` its size, so overflow detection matches the stack actually mapped.
fn map_stack(asm: &mut Asm) {
    let probe = asm.new_label();
    let mapped = asm.new_label();
    let kept = asm.new_label();
    // RBX: the size asked for; the syscalls keep it.
    asm.ins(|a| a.mov(ebx, STACK_SIZE as u32));
    asm.place(probe);
    asm.ins(|a| a.xor(edi, edi));
    asm.ins(|a| a.mov(rsi, rbx));
    asm.ins(|a| a.mov(edx, 3u32)); // PROT_READ | PROT_WRITE
    asm.ins(|a| a.mov(r10d, 0x4022u32)); // MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE
    asm.ins(|a| a.mov(r8, -1i64));
    asm.ins(|a| a.xor(r9d, r9d));
    syscall(asm, SYS_MMAP);
    asm.ins(|a| a.cmp(rax, -4096));
    asm.jump(Code::Jb_rel8_64, mapped);
    asm.ins(|a| a.shr(rbx, 1));
    asm.ins(|a| a.cmp(rbx, (2 * MIN_STACK) as i32));
    asm.jump(Code::Jae_rel8_64, probe);
    fatal(asm, b"fatal error: cannot allocate the main stack\n", false);
    asm.place(mapped);
    asm.ins(|a| a.cmp(rbx, STACK_SIZE as i32));
    asm.jump(Code::Je_rel8_64, kept);
    // A smaller size: keep the upper half (the stack grows down from the top). Should
    // `munmap` fail, the lower half merely stays mapped and unused.
    asm.ins(|a| a.shr(rbx, 1));
    asm.ins(|a| a.mov(r12, rax));
    asm.ins(|a| a.mov(rdi, rax));
    asm.ins(|a| a.mov(rsi, rbx));
    syscall(asm, SYS_MUNMAP);
    asm.ins(|a| a.lea(rax, qword_ptr(r12 + rbx)));
    asm.place(kept);
    // RAX: the stack's lowest address; RBX: its size.
    asm.ins(|a| a.mov(rdx, rax));
    asm.ins(|a| a.lea(rax, qword_ptr(rdx + GUARD_SLACK as i32)));
    store(asm, GUARD);
    asm.ins(|a| a.mov(rax, rbx));
    store(asm, STACK);
    asm.ins(|a| a.lea(rsp, qword_ptr(rdx + rbx)));
}

/// `syscall6(num, a1, ..., a6) r`: the system call, its result as the kernel returns it.
fn syscall6(asm: &mut Asm) {
    asm.ins(|a| a.mov(rax, qword_ptr(rsp + 8)));
    asm.ins(|a| a.mov(rdi, qword_ptr(rsp + 16)));
    asm.ins(|a| a.mov(rsi, qword_ptr(rsp + 24)));
    asm.ins(|a| a.mov(rdx, qword_ptr(rsp + 32)));
    asm.ins(|a| a.mov(r10, qword_ptr(rsp + 40)));
    asm.ins(|a| a.mov(r8, qword_ptr(rsp + 48)));
    asm.ins(|a| a.mov(r9, qword_ptr(rsp + 56)));
    asm.ins(|a| a.syscall());
    asm.ins(|a| a.mov(qword_ptr(rsp + 64), rax));
    asm.ins(|a| a.ret());
}

/// `saveregs(buf)`: the callee-saved registers as its caller holds them, in the order of
/// `regalloc::CALLEE_SAVED` (BX, BP, R12–R15), then the return address and the caller's
/// stack pointer during the call. A leaf: it changes none of them first.
fn saveregs(asm: &mut Asm) {
    asm.ins(|a| a.mov(rax, qword_ptr(rsp + 8)));
    asm.ins(|a| a.mov(qword_ptr(rax), rbx));
    asm.ins(|a| a.mov(qword_ptr(rax + 8), rbp));
    asm.ins(|a| a.mov(qword_ptr(rax + 16), r12));
    asm.ins(|a| a.mov(qword_ptr(rax + 24), r13));
    asm.ins(|a| a.mov(qword_ptr(rax + 32), r14));
    asm.ins(|a| a.mov(qword_ptr(rax + 40), r15));
    asm.ins(|a| a.mov(rcx, qword_ptr(rsp)));
    asm.ins(|a| a.mov(qword_ptr(rax + 48), rcx));
    asm.ins(|a| a.lea(rcx, qword_ptr(rsp + 8)));
    asm.ins(|a| a.mov(qword_ptr(rax + 56), rcx));
    asm.ins(|a| a.ret());
}

/// `memclrNoHeapPointers(p, n)`: `rep stosb`, which is quick on large blocks; the
/// allocator clears small objects itself.
fn memclr(asm: &mut Asm) {
    asm.ins(|a| a.mov(rdi, qword_ptr(rsp + 8)));
    asm.ins(|a| a.mov(rcx, qword_ptr(rsp + 16)));
    asm.ins(|a| a.xor(eax, eax));
    asm.ins(|a| a.rep().stosb());
    asm.ins(|a| a.ret());
}

/// `throw(p, n)`: Go's `throw`, `fatal error: ` and the message on standard error, and
/// exit status 2.
fn throw(asm: &mut Asm) {
    to_stderr(asm);
    print_text(asm, b"fatal error: ");
    asm.ins(|a| a.mov(rsi, qword_ptr(rsp + 8)));
    asm.ins(|a| a.mov(rcx, qword_ptr(rsp + 16)));
    asm.call_sym(Sym::Runtime(Runtime::PrintBytes));
    print_text(asm, b"\n");
    asm.call_sym(Sym::Runtime(Runtime::Flush));
    exit(asm, 2);
}

/// `printbytes`: appends RCX bytes at RSI to the buffer, flushing it when full. Clobbers
/// RAX, RCX, RDX, RSI, RDI, R11; keeps R8–R10.
fn printbytes(asm: &mut Asm) {
    let top = asm.new_label();
    let room = asm.new_label();
    let done = asm.new_label();
    asm.place(top);
    asm.ins(|a| a.test(rcx, rcx));
    asm.jump(Code::Je_rel8_64, done);
    load(asm, 0, LEN);
    asm.ins(|a| a.mov(edx, BUF_SIZE as u32));
    asm.ins(|a| a.sub(rdx, rax));
    asm.jump(Code::Jne_rel8_64, room);
    asm.ins(|a| a.push(rsi));
    asm.ins(|a| a.push(rcx));
    asm.call_sym(Sym::Runtime(Runtime::Flush));
    asm.ins(|a| a.pop(rcx));
    asm.ins(|a| a.pop(rsi));
    asm.jump(Code::Jmp_rel8_64, top);
    asm.place(room);
    asm.ins(|a| a.cmp(rdx, rcx));
    asm.ins(|a| a.cmova(rdx, rcx));
    lea_data(asm, 7, BUF);
    asm.ins(|a| a.add(rdi, rax));
    asm.ins(|a| a.sub(rcx, rdx));
    asm.ins(|a| a.add(rax, rdx));
    store(asm, LEN);
    asm.ins(|a| a.xchg(rcx, rdx));
    asm.ins(|a| a.rep().movsb());
    asm.ins(|a| a.mov(rcx, rdx));
    asm.jump(Code::Jmp_rel8_64, top);
    asm.place(done);
    asm.ins(|a| a.ret());
}

/// `flush`: writes the buffer to the statement's file descriptor and empties it. A failed
/// write drops the rest of the buffer, except that EPIPE on standard output kills the
/// process with SIGPIPE (the module comment says why).
fn flush(asm: &mut Asm) {
    let top = asm.new_label();
    let failed = asm.new_label();
    let done = asm.new_label();
    lea_data(asm, 6, BUF);
    load(asm, 2, LEN);
    asm.place(top);
    asm.ins(|a| a.test(rdx, rdx));
    asm.jump(Code::Je_rel8_64, done);
    load(asm, 7, FD);
    syscall(asm, SYS_WRITE);
    asm.ins(|a| a.test(rax, rax));
    asm.jump(Code::Jle_rel8_64, failed);
    asm.ins(|a| a.add(rsi, rax));
    asm.ins(|a| a.sub(rdx, rax));
    asm.jump(Code::Jmp_rel8_64, top);
    asm.place(failed);
    asm.ins(|a| a.cmp(rax, -EPIPE));
    asm.jump(Code::Jne_rel8_64, done);
    // The syscall keeps RDI, the descriptor.
    asm.ins(|a| a.cmp(edi, 1));
    asm.jump(Code::Jne_rel8_64, done);
    die_of_sigpipe(asm);
    asm.place(done);
    asm.ins(|a| a.xor(eax, eax));
    store(asm, LEN);
    asm.ins(|a| a.ret());
}

/// Kills the process with SIGPIPE as Go's `dieFromSignal` ends up doing: the default
/// action, the signal unblocked (the mask is inherited across `exec`), raised; and should
/// the process survive it, an exit with 128 + SIGPIPE, the shell's status for a death by
/// that signal.
fn die_of_sigpipe(asm: &mut Asm) {
    set_sigpipe(asm, SIG_DFL);
    asm.ins(|a| a.push(1 << (SIGPIPE - 1)));
    asm.ins(|a| a.mov(edi, SIG_UNBLOCK));
    asm.ins(|a| a.mov(rsi, rsp));
    asm.ins(|a| a.xor(edx, edx));
    asm.ins(|a| a.mov(r10d, SIGSET_SIZE));
    syscall(asm, SYS_RT_SIGPROCMASK);
    syscall(asm, SYS_GETPID);
    asm.ins(|a| a.mov(edi, eax));
    asm.ins(|a| a.mov(esi, SIGPIPE));
    syscall(asm, SYS_KILL);
    exit(asm, 128 + SIGPIPE);
}

/// Loads the argument into RAX and makes a 32-byte buffer on the stack, filled backwards
/// from its end, which RDI points at.
fn begin_digits(asm: &mut Asm) {
    asm.ins(|a| a.mov(rax, qword_ptr(rsp + 8)));
    asm.ins(|a| a.sub(rsp, 32));
    asm.ins(|a| a.lea(rdi, qword_ptr(rsp + 32)));
}

/// Prints the buffer from RDI to its end, drops it and returns.
fn end_digits(asm: &mut Asm) {
    asm.ins(|a| a.mov(rsi, rdi));
    asm.ins(|a| a.lea(rcx, qword_ptr(rsp + 32)));
    asm.ins(|a| a.sub(rcx, rdi));
    asm.call_sym(Sym::Runtime(Runtime::PrintBytes));
    asm.ins(|a| a.add(rsp, 32));
    asm.ins(|a| a.ret());
}

/// `printint(x)`: decimal, with a minus sign if negative.
fn printint(asm: &mut Asm) {
    let positive = asm.new_label();
    let digit = asm.new_label();
    let unsigned = asm.new_label();
    begin_digits(asm);
    asm.ins(|a| a.mov(r8, rax));
    asm.ins(|a| a.test(rax, rax));
    asm.jump(Code::Jns_rel8_64, positive);
    // The magnitude as unsigned; right for MinInt64 too.
    asm.ins(|a| a.neg(rax));
    asm.place(positive);
    asm.ins(|a| a.mov(ecx, 10u32));
    asm.place(digit);
    asm.ins(|a| a.xor(edx, edx));
    asm.ins(|a| a.div(rcx));
    asm.ins(|a| a.add(dl, b'0' as i32));
    asm.ins(|a| a.dec(rdi));
    asm.ins(|a| a.mov(byte_ptr(rdi), dl));
    asm.ins(|a| a.test(rax, rax));
    asm.jump(Code::Jne_rel8_64, digit);
    asm.ins(|a| a.test(r8, r8));
    asm.jump(Code::Jns_rel8_64, unsigned);
    asm.ins(|a| a.dec(rdi));
    asm.ins(|a| a.mov(byte_ptr(rdi), b'-' as i32));
    asm.place(unsigned);
    end_digits(asm);
}

/// Points the (empty) print buffer at standard error.
fn to_stderr(asm: &mut Asm) {
    asm.ins(|a| a.mov(eax, 2u32));
    store(asm, FD);
    asm.ins(|a| a.xor(eax, eax));
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

/// `morestack()`: the stack guard was crossed. With the full `STACK_SIZE`, Go's stack
/// overflow; with a smaller stack (an address space limit refused the full one, see
/// `map_stack`), Go's out of memory, as Go's runtime fails to allocate a larger stack
/// under such a limit before it reaches its stack limit.
fn morestack(asm: &mut Asm) {
    let limited = asm.new_label();
    to_stderr(asm);
    load(asm, 0, STACK);
    asm.ins(|a| a.cmp(rax, STACK_SIZE as i32));
    asm.jump(Code::Jne_rel8_64, limited);
    print_text(
        asm,
        b"runtime: goroutine stack exceeds 1000000000-byte limit\n\
          fatal error: stack overflow\n",
    );
    asm.call_sym(Sym::Runtime(Runtime::Flush));
    exit(asm, 2);
    asm.place(limited);
    print_text(
        asm,
        b"runtime: out of memory: cannot grow the stack beyond ",
    );
    load(asm, 0, STACK);
    asm.ins(|a| a.push(rax));
    asm.call_sym(Sym::Runtime(Runtime::PrintInt));
    asm.ins(|a| a.pop(rax));
    print_text(asm, b" bytes\nfatal error: out of memory\n");
    asm.call_sym(Sym::Runtime(Runtime::Flush));
    exit(asm, 2);
}

/// `gopanicstring(p, n)`: the string with each newline followed by a tab, as Go's
/// `printpanicval` indents continuation lines.
fn panicstring(asm: &mut Asm) {
    let top = asm.new_label();
    let next = asm.new_label();
    let done = asm.new_label();
    start_panic(asm);
    asm.ins(|a| a.mov(r8, qword_ptr(rsp + 8)));
    asm.ins(|a| a.mov(r9, qword_ptr(rsp + 16)));
    asm.place(top);
    asm.ins(|a| a.test(r9, r9));
    asm.jump(Code::Je_rel8_64, done);
    asm.ins(|a| a.mov(rsi, r8));
    asm.ins(|a| a.mov(ecx, 1u32));
    asm.call_sym(Sym::Runtime(Runtime::PrintBytes));
    asm.ins(|a| a.cmp(byte_ptr(r8), 10));
    asm.jump(Code::Jne_rel8_64, next);
    print_text(asm, b"\t");
    asm.place(next);
    asm.ins(|a| a.inc(r8));
    asm.ins(|a| a.dec(r9));
    asm.jump(Code::Jmp_rel8_64, top);
    asm.place(done);
    end_panic(asm);
}

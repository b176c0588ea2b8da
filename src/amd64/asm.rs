//! The assembler under emission: instructions are built with iced-x86's `CodeAssembler`,
//! encoded with its `Encoder`, and laid out here, with labels, jumps sized short or near,
//! and the fields that the linker or this module fills in.
//!
//! Most instructions do not depend on their address, and a worker's functions repeat the
//! same few hundred of them (moves between the same registers, frame accesses, the
//! prologue and the epilogue). Their bytes are memoized per worker, keyed by the
//! instruction as the emitter states it: the `CodeAssembler` method that builds it and its
//! operands ([`Key`]). On a hit nothing is built or encoded; on a miss the method builds
//! the instruction, the encoder encodes it once, and its bytes are kept. The memo only
//! saves work: the bytes are the encoder's, so the code does not depend on which worker
//! compiled which function before.
//!
//! Layout: the bytes of every instruction but the jumps to labels go to one buffer as they
//! come; a jump is recorded with the place it goes in that buffer, and so is every label,
//! each place counting the jumps before it. `finish` sizes the jumps: each starts short
//! (rel8) and becomes near (rel32) when its displacement does not fit, until nothing
//! changes (sizes only grow, so this ends); then it interleaves the jumps' bytes with the
//! buffer and fills in the fields that refer to labels.
//!
//! A reference to a symbol is a rel32 field, always the last four bytes of its instruction
//! (no instruction here has both such a field and an immediate); it is left zero, for the
//! linker.

use iced_x86::code_asm::*;
use iced_x86::{Code, Encoder, IcedError, Instruction, MemoryOperand, Register};
use rustc_hash::FxHashMap;
use std::cell::RefCell;

use crate::amd64::emit::{MachineCode, SafePoint, SymReloc};
use crate::ssa::Sym;

/// The registers by hardware number.
pub const GPR64: [AsmRegister64; 16] = [
    rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15,
];
/// The low bytes of the registers, by hardware number.
pub const GPR8: [AsmRegister8; 16] = [
    al, cl, dl, bl, spl, bpl, sil, dil, r8b, r9b, r10b, r11b, r12b, r13b, r14b, r15b,
];
/// The low halves of the registers, by hardware number.
pub const GPR32: [AsmRegister32; 16] = [
    eax, ecx, edx, ebx, esp, ebp, esi, edi, r8d, r9d, r10d, r11d, r12d, r13d, r14d, r15d,
];
const REGISTERS: [Register; 16] = [
    Register::RAX,
    Register::RCX,
    Register::RDX,
    Register::RBX,
    Register::RSP,
    Register::RBP,
    Register::RSI,
    Register::RDI,
    Register::R8,
    Register::R9,
    Register::R10,
    Register::R11,
    Register::R12,
    Register::R13,
    Register::R14,
    Register::R15,
];

/// A far address the encoder is given for a symbol, so that it picks rel32 forms; the
/// field is left for the linker.
const FAR: u64 = 0x4000_0000;

/// A place in the code that jumps and RIP-relative loads may refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label(u32);

/// The memory operand the emitter uses: `qword ptr [base + disp]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mem {
    /// The base register, by hardware number.
    pub base: u8,
    /// The displacement.
    pub disp: i32,
}

/// An operand of a memoized instruction: its bits in the memo's key, and its form for the
/// `CodeAssembler`. The bits tell every value of the type apart.
pub trait Operand: Copy {
    /// The operand as the `CodeAssembler` takes it.
    type Asm;
    /// Returns the operand's bits for the key.
    fn bits(self) -> u64;
    /// Returns the operand as the `CodeAssembler` takes it.
    fn asm(self) -> Self::Asm;
}

macro_rules! register_operand {
    ($($ty:ty),*) => {$(
        impl Operand for $ty {
            type Asm = $ty;
            fn bits(self) -> u64 {
                Register::from(self) as u64
            }
            fn asm(self) -> $ty {
                self
            }
        }
    )*};
}
register_operand!(AsmRegister64, AsmRegister32, AsmRegister8);

macro_rules! immediate_operand {
    ($($ty:ty => $unsigned:ty),*) => {$(
        impl Operand for $ty {
            type Asm = $ty;
            fn bits(self) -> u64 {
                u64::from(self as $unsigned)
            }
            fn asm(self) -> $ty {
                self
            }
        }
    )*};
}
immediate_operand!(i32 => u32, u32 => u32, i64 => u64);

impl Operand for Mem {
    type Asm = AsmMemoryOperand;
    fn bits(self) -> u64 {
        u64::from(self.base) | u64::from(self.disp as u32) << 8
    }
    fn asm(self) -> AsmMemoryOperand {
        qword_ptr(GPR64[self.base as usize] + self.disp)
    }
}

/// A byte in memory, `byte ptr [base + disp]`: the operand of a one-byte load (`movzx`)
/// or store.
#[derive(Clone, Copy, Debug)]
pub struct ByteMem {
    /// The base register, by hardware number.
    pub base: u8,
    /// The displacement.
    pub disp: i32,
}

impl Operand for ByteMem {
    type Asm = AsmMemoryOperand;
    fn bits(self) -> u64 {
        // Bit 40 keeps a byte operand's key apart from the quad's of the same address.
        u64::from(self.base) | u64::from(self.disp as u32) << 8 | 1 << 40
    }
    fn asm(self) -> AsmMemoryOperand {
        byte_ptr(GPR64[self.base as usize] + self.disp)
    }
}

/// A memory operand `[base + index * scale]`, by hardware register numbers; `scale` is 1,
/// 2, 4 or 8. Only `lea` reads it.
#[derive(Clone, Copy, Debug)]
pub struct Index {
    /// The register added.
    pub base: u8,
    /// The register scaled.
    pub index: u8,
    /// What `index` is multiplied by.
    pub scale: u8,
}

impl Operand for Index {
    type Asm = AsmMemoryOperand;
    fn bits(self) -> u64 {
        // The top bit tells an `Index` from a `Mem`, whose bits stop at bit 40: both are
        // `AsmMemoryOperand`s to the same `CodeAssembler` methods.
        1 << 63 | u64::from(self.base) | u64::from(self.index) << 8 | u64::from(self.scale) << 16
    }
    fn asm(self) -> AsmMemoryOperand {
        qword_ptr(GPR64[self.base as usize] + GPR64[self.index as usize] * u32::from(self.scale))
    }
}

/// A memory operand `[base + index * scale + disp]` of a quad or, if `byte`, of a byte:
/// an element of an array, loaded or stored.
#[derive(Clone, Copy, Debug)]
pub struct IndexMem {
    /// The register added.
    pub base: u8,
    /// The register scaled.
    pub index: u8,
    /// What `index` is multiplied by: 1, 2, 4 or 8.
    pub scale: u8,
    /// The displacement.
    pub disp: i32,
    /// Whether the operand is a byte rather than a quad.
    pub byte: bool,
}

impl Operand for IndexMem {
    type Asm = AsmMemoryOperand;
    fn bits(self) -> u64 {
        // Bit 62 tells an `IndexMem` from a `Mem`, a `ByteMem` (bits below 41) and an
        // `Index` (bit 63).
        1 << 62
            | u64::from(self.byte) << 61
            | u64::from(self.scale) << 48
            | u64::from(self.index) << 40
            | u64::from(self.base) << 32
            | u64::from(self.disp as u32)
    }
    fn asm(self) -> AsmMemoryOperand {
        let address = GPR64[self.base as usize]
            + GPR64[self.index as usize] * u32::from(self.scale)
            + self.disp;
        if self.byte {
            byte_ptr(address)
        } else {
            qword_ptr(address)
        }
    }
}

/// A memoized instruction: the address of the `CodeAssembler` method that builds it (one
/// instantiation per operand types) and its operands' bits.
///
/// Equal keys build equal instructions: the same method with the same operands. The
/// address of a function is not guaranteed to be unique, but the ways it may fail are
/// harmless here: a function with two addresses only costs the memo a second entry, and
/// two functions share an address only when the compiler folded identical code, which
/// builds the same instruction from the same operands.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    build: usize,
    x: u64,
    y: u64,
}

/// `Key::build` of the instructions built here rather than by a `CodeAssembler` method: no
/// function lives in the first page of memory.
const CALL_SYM: usize = 1;
/// See `CALL_SYM`.
const RIP: usize = 2;
/// See `CALL_SYM`.
const LEA_LABEL: usize = 3;

type Build0 = fn(&mut CodeAssembler) -> Result<(), IcedError>;
type Build1<T> = fn(&mut CodeAssembler, T) -> Result<(), IcedError>;
type Build2<T, U> = fn(&mut CodeAssembler, T, U) -> Result<(), IcedError>;
type Build3 = fn(&mut CodeAssembler, AsmRegister64, AsmRegister64, i32) -> Result<(), IcedError>;

/// The bytes of instructions that do not depend on their address, shared by the functions
/// one worker compiles.
#[derive(Default)]
struct EncodeMemo {
    index: FxHashMap<Key, Encoded>,
    /// Per jump form, its bytes with a displacement of zero, which `finish` overwrites: the
    /// displacement is the last field of a relative branch.
    jumps: FxHashMap<Code, Encoded>,
}

/// The bytes of one instruction (at most fifteen on x86-64), kept in place so that a hit
/// copies a fixed sixteen bytes rather than calling `memcpy` for three or four.
#[derive(Clone, Copy)]
struct Encoded {
    bytes: [u8; 15],
    len: u8,
}

impl Encoded {
    fn new(bytes: &[u8]) -> Encoded {
        let mut encoded = Encoded {
            bytes: [0; 15],
            len: bytes.len() as u8,
        };
        encoded.bytes[..bytes.len()].copy_from_slice(bytes);
        encoded
    }

    /// Appends the bytes to `out`.
    fn append(&self, out: &mut Vec<u8>) {
        let end = out.len() + usize::from(self.len);
        out.extend_from_slice(&self.bytes);
        out.truncate(end);
    }
}

/// The most instructions a worker's memo holds before it starts afresh, which bounds its
/// memory (about 48 bytes an entry).
const MEMO_ENTRIES: usize = 1 << 16;

thread_local! {
    /// The worker's assembler between functions: its memo, and its buffers emptied but
    /// with their memory kept, so that assembling a function allocates only its result.
    static SPARE: RefCell<Option<Asm>> = const { RefCell::new(None) };
}

/// A place in the code buffer: an offset, and how many jumps come before it.
#[derive(Clone, Copy, Debug)]
struct Place {
    offset: u32,
    jumps: u32,
}

/// Where a label is.
#[derive(Clone, Copy, Debug)]
enum Target {
    Unplaced,
    Code(Place),
    /// At this offset of the constant data after the code.
    Data(u32),
}

/// A jump to a label.
struct Jump {
    /// Where it goes in the code buffer.
    offset: u32,
    /// The short form (`Jne_rel8_64`, `Jmp_rel8_64`, …).
    short: Code,
    label: Label,
}

/// One function's code as it is assembled.
pub struct Asm {
    /// Builds the instructions the memo has not seen; empty between instructions.
    a: CodeAssembler,
    encoder: Encoder,
    memo: EncodeMemo,
    /// The code, jumps to labels left out.
    code: Vec<u8>,
    jumps: Vec<Jump>,
    labels: Vec<Target>,
    /// The end of every instruction with a rel32 field for a symbol: the symbol and the
    /// offset in it.
    refs: Vec<(Place, Sym, i64)>,
    /// The end of every instruction with a rel32 field for a label.
    label_refs: Vec<(Place, Label)>,
    /// Per call with a stack map, its end: the map's registers and the end of its frame
    /// words in `live_words`.
    safepoints: Vec<(Place, u16, u32)>,
    live_words: Vec<u32>,
    data: Vec<u8>,
    /// `finish`'s tables: per jump, its size, and the size of the jumps before it.
    sizes: Vec<u32>,
    before: Vec<u32>,
}

impl Default for Asm {
    fn default() -> Asm {
        let mut asm = SPARE.take().unwrap_or_else(|| Asm {
            a: CodeAssembler::new(64).expect("64-bit mode"),
            encoder: Encoder::new(64),
            memo: EncodeMemo::default(),
            code: Vec::new(),
            jumps: Vec::new(),
            labels: Vec::new(),
            refs: Vec::new(),
            label_refs: Vec::new(),
            safepoints: Vec::new(),
            live_words: Vec::new(),
            data: Vec::new(),
            sizes: Vec::new(),
            before: Vec::new(),
        });
        if asm.memo.index.len() + asm.memo.jumps.len() > MEMO_ENTRIES {
            asm.memo = EncodeMemo::default();
        }
        asm
    }
}

fn ok(result: Result<(), IcedError>) {
    result.expect("the emitter builds valid instructions");
}

impl Asm {
    /// Returns a new label, to place with `place`.
    pub fn new_label(&mut self) -> Label {
        self.labels.push(Target::Unplaced);
        Label(self.labels.len() as u32 - 1)
    }

    /// Places `label` at the next instruction (or the end of the code).
    pub fn place(&mut self, label: Label) {
        self.labels[label.0 as usize] = Target::Code(self.here());
    }

    fn here(&self) -> Place {
        Place {
            offset: self.code.len() as u32,
            jumps: self.jumps.len() as u32,
        }
    }

    /// Emits a jump to `label` of the given short form (`Code::Jne_rel8_64`,
    /// `Code::Jmp_rel8_64`, …): short or near, as far as the label turns out to be.
    pub fn jump(&mut self, short: Code, label: Label) {
        debug_assert!(short.is_jcc_short() || short.is_jmp_short());
        self.jumps.push(Jump {
            offset: self.code.len() as u32,
            short,
            label,
        });
    }

    /// Emits an instruction without operands.
    pub fn op0(&mut self, build: Build0) {
        let key = Key {
            build: build as usize,
            x: 0,
            y: 0,
        };
        self.memo(key, build);
    }

    /// Emits an instruction of one operand.
    pub fn op1<T: Operand>(&mut self, build: Build1<T::Asm>, x: T) {
        let key = Key {
            build: build as usize,
            x: x.bits(),
            y: 0,
        };
        self.memo(key, |a| build(a, x.asm()));
    }

    /// Emits an instruction of two operands.
    pub fn op2<T: Operand, U: Operand>(&mut self, build: Build2<T::Asm, U::Asm>, x: T, y: U) {
        let key = Key {
            build: build as usize,
            x: x.bits(),
            y: y.bits(),
        };
        self.memo(key, |a| build(a, x.asm(), y.asm()));
    }

    /// Emits an instruction of two registers and an immediate (`imul r, r, imm`).
    pub fn op3(&mut self, build: Build3, x: AsmRegister64, y: AsmRegister64, z: i32) {
        let key = Key {
            build: build as usize,
            x: x.bits() | y.bits() << 8,
            y: z.bits(),
        };
        self.memo(key, |a| build(a, x, y, z));
    }

    /// Emits an instruction that does not depend on its address, from the memo or built by
    /// `build` and encoded.
    fn memo(&mut self, key: Key, build: impl FnOnce(&mut CodeAssembler) -> Result<(), IcedError>) {
        if let Some(encoded) = self.memo.index.get(&key) {
            encoded.append(&mut self.code);
            return;
        }
        ok(build(&mut self.a));
        let instr = self.take_instruction();
        let encoded = self.remember(&instr, false);
        self.memo.index.insert(key, encoded);
    }

    /// Emits an instruction, built by `build`, that does not depend on its address,
    /// without the memo: for code assembled once, such as the runtime's.
    pub fn ins(&mut self, build: impl FnOnce(&mut CodeAssembler) -> Result<(), IcedError>) {
        ok(build(&mut self.a));
        let instr = self.take_instruction();
        self.remember(&instr, false);
    }

    fn take_instruction(&mut self) -> Instruction {
        let instrs = self.a.instructions();
        debug_assert_eq!(instrs.len(), 1, "one instruction at a time");
        let instr = instrs[0];
        self.a.reset();
        debug_assert!(
            !instr.is_ip_rel_memory_operand() && !instr.is_call_near(),
            "{instr} depends on its address"
        );
        instr
    }

    /// Encodes `instr` at address 0, appends its bytes to the code and returns them (the
    /// last four zeroed if `rel32` says they are a field for the linker).
    fn remember(&mut self, instr: &Instruction, rel32: bool) -> Encoded {
        let len = self
            .encoder
            .encode(instr, 0)
            .expect("the instruction encodes");
        let mut bytes = self.encoder.take_buffer();
        if rel32 {
            bytes[len - 4..].fill(0);
        }
        let encoded = Encoded::new(&bytes);
        self.code.extend_from_slice(&bytes);
        bytes.clear();
        self.encoder.set_buffer(bytes);
        encoded
    }

    /// Emits an instruction with a rel32 field for a symbol, memoized under `key`, and
    /// records the reference.
    fn with_field(&mut self, key: Key, instr: impl FnOnce() -> Instruction, sym: Sym, off: i64) {
        match self.memo.index.get(&key) {
            Some(encoded) => encoded.append(&mut self.code),
            None => {
                let encoded = self.remember(&instr(), true);
                self.memo.index.insert(key, encoded);
            }
        }
        let end = self.here();
        self.refs.push((end, sym, off));
    }

    /// Emits `call sym`.
    pub fn call_sym(&mut self, sym: Sym) {
        let key = Key {
            build: CALL_SYM,
            x: 0,
            y: 0,
        };
        let instr = || Instruction::with_branch(Code::Call_rel32_64, FAR).expect("a call");
        self.with_field(key, instr, sym, 0);
    }

    /// Gives the call just emitted a stack map: the callee-saved registers `regs` (a mask
    /// by hardware number) and the frame words `words` (counted from the stack pointer
    /// during the call) hold the pointers live across it.
    pub fn safepoint(&mut self, regs: u16, words: impl Iterator<Item = u32>) {
        self.live_words.extend(words);
        let end = self.live_words.len() as u32;
        self.safepoints.push((self.here(), regs, end));
    }

    /// Emits `code reg, [rip + sym + off]` (or `code [rip + sym + off], reg` when
    /// `mem_first`); the instruction must have no immediate.
    pub fn rip(&mut self, code: Code, reg: u8, sym: Sym, off: i64, mem_first: bool) {
        let key = Key {
            build: RIP,
            x: code as u64,
            y: u64::from(reg) | u64::from(mem_first) << 8,
        };
        let instr = || {
            let mem = MemoryOperand::with_base_displ(Register::RIP, FAR as i64);
            let reg = REGISTERS[reg as usize];
            let instr = if mem_first {
                Instruction::with2(code, mem, reg)
            } else {
                Instruction::with2(code, reg, mem)
            };
            instr.expect("a RIP-relative form")
        };
        self.with_field(key, instr, sym, off);
    }

    /// Places `bytes` after the instructions and returns their label.
    pub fn data(&mut self, bytes: &[u8]) -> Label {
        self.labels.push(Target::Data(self.data.len() as u32));
        self.data.extend_from_slice(bytes);
        Label(self.labels.len() as u32 - 1)
    }

    /// Emits `lea reg, [rip + label]`.
    pub fn lea_label(&mut self, reg: u8, label: Label) {
        let key = Key {
            build: LEA_LABEL,
            x: u64::from(reg),
            y: 0,
        };
        match self.memo.index.get(&key) {
            Some(encoded) => encoded.append(&mut self.code),
            None => {
                let mem = MemoryOperand::with_base_displ(Register::RIP, FAR as i64);
                let instr = Instruction::with2(Code::Lea_r64_m, REGISTERS[reg as usize], mem)
                    .expect("a RIP-relative lea");
                let encoded = self.remember(&instr, true);
                self.memo.index.insert(key, encoded);
            }
        }
        let end = self.here();
        self.label_refs.push((end, label));
    }

    /// Lays the code out and returns it with its relocations.
    pub fn finish(mut self) -> MachineCode {
        // Per jump, its size, starting short; `before[j]` is the size of the jumps before
        // jump `j`.
        let mut sizes = std::mem::take(&mut self.sizes);
        let mut before = std::mem::take(&mut self.before);
        sizes.clear();
        sizes.resize(self.jumps.len(), 2);
        before.clear();
        before.resize(self.jumps.len() + 1, 0);
        loop {
            for idx in 0..self.jumps.len() {
                before[idx + 1] = before[idx] + sizes[idx];
            }
            let code_len = self.code.len() as u32 + before[self.jumps.len()];
            let mut grew = false;
            for (idx, jump) in self.jumps.iter().enumerate() {
                if sizes[idx] != 2 {
                    continue;
                }
                let end = jump.offset + before[idx] + 2;
                let target = self.target(jump.label, &before, code_len);
                if i8::try_from(i64::from(target) - i64::from(end)).is_err() {
                    sizes[idx] = if jump.short.is_jmp_short() { 5 } else { 6 };
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
        let code_len = self.code.len() as u32 + before[self.jumps.len()];
        let mut bytes = Vec::with_capacity(code_len as usize + self.data.len());
        let mut copied = 0;
        for (idx, jump) in self.jumps.iter().enumerate() {
            bytes.extend_from_slice(&self.code[copied..jump.offset as usize]);
            copied = jump.offset as usize;
            let code = if sizes[idx] == 2 {
                jump.short
            } else {
                jump.short.as_near_branch()
            };
            let end = bytes.len() as u32 + sizes[idx];
            let target = self.target(jump.label, &before, code_len);
            let disp = (i64::from(target) - i64::from(end)) as i32;
            let mut encoded = match self.memo.jumps.get(&code) {
                Some(&template) => template,
                None => {
                    let instr = Instruction::with_branch(code, u64::from(sizes[idx]))
                        .expect("a jump to a label");
                    self.encoder.encode(&instr, 0).expect("the jump encodes");
                    let mut bytes = self.encoder.take_buffer();
                    let template = Encoded::new(&bytes);
                    bytes.clear();
                    self.encoder.set_buffer(bytes);
                    self.memo.jumps.insert(code, template);
                    template
                }
            };
            let len = usize::from(encoded.len);
            if sizes[idx] == 2 {
                encoded.bytes[len - 1] = disp as i8 as u8;
            } else {
                encoded.bytes[len - 4..len].copy_from_slice(&disp.to_le_bytes());
            }
            debug_assert_eq!(u32::from(encoded.len), sizes[idx]);
            encoded.append(&mut bytes);
        }
        bytes.extend_from_slice(&self.code[copied..]);
        bytes.extend_from_slice(&self.data);
        let at = |place: Place| place.offset + before[place.jumps as usize];
        for &(end, label) in &self.label_refs {
            let end = at(end);
            let disp = self.target(label, &before, code_len) as i32 - end as i32;
            bytes[end as usize - 4..end as usize].copy_from_slice(&disp.to_le_bytes());
        }
        let relocs = self
            .refs
            .iter()
            .map(|&(end, sym, off)| SymReloc {
                offset: at(end) - 4,
                kind: crate::obj::link::RelocKind::Pc32,
                sym,
                addend: off - 4,
            })
            .collect();
        let mut start = 0;
        let safepoints = self
            .safepoints
            .iter()
            .map(|&(end, regs, words_end)| {
                let safepoint = SafePoint {
                    ret: at(end),
                    regs,
                    words: (start, words_end),
                };
                start = words_end;
                safepoint
            })
            .collect();
        let live_words = std::mem::take(&mut self.live_words);
        self.sizes = sizes;
        self.before = before;
        self.code.clear();
        self.jumps.clear();
        self.labels.clear();
        self.refs.clear();
        self.label_refs.clear();
        self.safepoints.clear();
        self.data.clear();
        SPARE.set(Some(self));
        MachineCode {
            bytes,
            code_len,
            relocs,
            safepoints,
            live_words,
            frame: 0,
            saved: 0,
        }
    }

    /// Returns the offset of `label` in the laid-out code, given the jumps' sizes.
    fn target(&self, label: Label, before: &[u32], code_len: u32) -> u32 {
        match self.labels[label.0 as usize] {
            Target::Code(place) => place.offset + before[place.jumps as usize],
            Target::Data(offset) => code_len + offset,
            Target::Unplaced => panic!("a jump to a label never placed"),
        }
    }
}

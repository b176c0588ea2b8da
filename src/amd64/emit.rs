//! Emission: an allocated SSA function to x86-64 machine code, through iced-x86's
//! `CodeAssembler` (Go's `ssaGenValue`/`ssaGenBlock` in `amd64/ssa.go`).
//!
//! The calling conventions are those of `ssa::abi`: compiled functions pass their first
//! argument and result words in registers, the runtime everything on the stack, in the
//! caller's outgoing area at `[rsp]` on the call. The closure pointer travels in RDX, and
//! BX, BP, R12–R15 survive calls. The frame, from `rsp` up:
//!
//! ```text
//! [outgoing stack args/results: out_words] [spill slots] [saved registers]
//! [return address] [incoming stack args] [incoming stack results]
//! ```
//!
//! Register arguments and the closure pointer move to their locations on entry, a call's
//! arguments into their registers just before it and its results out of them just after
//! it, and a function's results into theirs before the epilogue: each as one parallel move.
//!
//! The prologue compares `rsp` with `runtime.stackguard` and calls `runtime.morestack`
//! (which reports the overflow and exits) when it is below, as Go's prologues do.
//!
//! A phi is implemented by copies at the end of each predecessor, as one parallel move
//! (cycles broken through RAX). References to other functions and data are relocations
//! against `Sym`s: a rel32 field is always the last four bytes of its instruction.

use iced_x86::code_asm::*;
use iced_x86::{
    Code, Decoder, DecoderOptions, Encoder, Formatter, Instruction, IntelFormatter, MemoryOperand,
    Register,
};

use rustc_hash::FxHashMap;
use smallvec::SmallVec;
use std::cell::RefCell;

use crate::ssa::abi::Convention;
use crate::ssa::regalloc::{Loc, RAX, RCX, RDX};
use crate::ssa::{BlockId, BlockKind, Cond, Func, Op, Sym, ValueId};

/// A place in the code that the linker fills with a symbol's address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SymReloc {
    /// Offset of the field in the code.
    pub offset: u32,
    /// What the field holds: rel32 from the field's end (`Pc32`) or an absolute address.
    pub kind: crate::obj::link::RelocKind,
    /// The symbol.
    pub sym: Sym,
    /// Added to the symbol's address.
    pub addend: i64,
}

/// A function's machine code.
#[derive(Clone, Debug, Default)]
pub struct MachineCode {
    /// The bytes, with relocated fields zero: instructions, then any constant data.
    pub bytes: Vec<u8>,
    /// Where the instructions end and the data begins.
    pub code_len: u32,
    /// The fields to relocate.
    pub relocs: Vec<SymReloc>,
}

/// The registers by hardware number.
const GPR64: [AsmRegister64; 16] = [
    rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15,
];
const GPR8: [AsmRegister8; 16] = [
    al, cl, dl, bl, spl, bpl, sil, dil, r8b, r9b, r10b, r11b, r12b, r13b, r14b, r15b,
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

/// Copies to make at once, (source, destination); few enough to stay inline.
type Moves = SmallVec<[(Src, Loc); 8]>;

/// How `Asm::finish` places an instruction.
#[derive(Clone, Copy, Debug)]
enum Placed {
    /// Its bytes do not depend on its address: taken from the worker's memo (or encoded
    /// once) during sizing, at this offset of the sizing pass's byte buffer.
    Fixed(u32),
    /// A jump to a label: short or near, encoded last.
    LabelJump,
    /// RIP-relative or a call: encoded at its address.
    Relative,
}

/// The source of a copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Src {
    Loc(Loc),
    Const(i64),
}

/// A far address the assembler encodes for an unresolved symbol, so that it picks rel32
/// forms; the field is overwritten by the relocation.
const FAR: u64 = 0x4000_0000;

/// A frame larger than this checks `rsp - frame` against the guard, not `rsp`; the runtime
/// keeps this much room below the guard.
pub const SMALL_FRAME: i64 = 64 * 1024;

/// The largest frame a function that calls nothing may have without checking the stack
/// (Go's `StackSmall`): with its caller's frame it stays within the room below the guard.
const LEAF_FRAME: i64 = 128;

/// The bytes of instructions whose encoding does not depend on their address, by
/// instruction, shared by the functions one worker compiles. Functions repeat the same
/// few hundred instructions (moves between the same registers, frame accesses, the
/// prologue and epilogue), and a lookup costs a small fraction of an `Encoder::encode`.
/// The memo only saves work: the bytes are those the encoder gives, so the code does not
/// depend on which worker compiled which function before.
#[derive(Default)]
struct EncodeMemo {
    /// Per instruction: where its bytes start in `bytes`, and their length.
    index: FxHashMap<MemoKey, (u32, u8)>,
    bytes: Vec<u8>,
}

/// An instruction as a memo key. Equal keys are equal instructions (iced's `PartialEq`,
/// which compares every field that the encoding depends on); the hash reads the few
/// fields that tell the instructions of a function apart, two words for the hasher: with
/// iced's field-by-field `Hash`, a lookup cost three quarters of an encoding.
#[derive(PartialEq, Eq)]
struct MemoKey(Instruction);

impl std::hash::Hash for MemoKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let i = &self.0;
        state.write_u64(
            u64::from(i.code() as u16)
                | u64::from(i.op0_register() as u8) << 16
                | u64::from(i.op1_register() as u8) << 24
                | u64::from(i.memory_base() as u8) << 32
                | u64::from(i.memory_index() as u8) << 40,
        );
        state.write_u64(i.memory_displacement64() ^ u64::from(i.immediate32()) << 32);
    }
}

/// The most instructions a worker's memo holds before it starts afresh, which bounds its
/// memory (about 64 bytes an entry).
const MEMO_ENTRIES: usize = 1 << 16;

thread_local! {
    static ENCODE_MEMO: RefCell<EncodeMemo> = RefCell::default();
}

/// A `CodeAssembler` that also records references to symbols.
pub struct Asm {
    /// The assembler.
    pub a: CodeAssembler,
    /// (instruction index, symbol, offset in the symbol) for every rel32 reference.
    refs: Vec<(usize, Sym, i64)>,
    /// Instruction count when the last label was placed.
    label_at: Option<usize>,
    /// Constant data placed after the instructions, each at its label.
    data: Vec<(CodeLabel, Vec<u8>)>,
}

/// Appends the bytes of `instr`, which does not depend on its address, to `out` and
/// returns their length: from the memo, or from the encoder, remembered.
fn memo_encode(
    memo: &mut EncodeMemo,
    encoder: &mut Encoder,
    instr: &Instruction,
    out: &mut Vec<u8>,
) -> u32 {
    let key = MemoKey(*instr);
    if let Some(&(start, len)) = memo.index.get(&key) {
        out.extend_from_slice(&memo.bytes[start as usize..start as usize + usize::from(len)]);
        return u32::from(len);
    }
    let len = encoder.encode(instr, 0).expect("the instruction encodes");
    // The instruction's bytes end the encoder's buffer.
    let bytes = encoder.take_buffer();
    let new = &bytes[bytes.len() - len..];
    let start = memo.bytes.len() as u32;
    memo.bytes.extend_from_slice(new);
    out.extend_from_slice(new);
    memo.index.insert(key, (start, len as u8));
    encoder.set_buffer(bytes);
    len as u32
}

impl Default for Asm {
    fn default() -> Asm {
        Asm {
            a: CodeAssembler::new(64).expect("64-bit mode"),
            refs: Vec::new(),
            label_at: None,
            data: Vec::new(),
        }
    }
}

impl Asm {
    /// Assembles the code and returns it with its relocations.
    ///
    /// The encoding is done here, with iced-x86's `Encoder`, rather than by the
    /// `CodeAssembler`'s block encoder, which encodes every instruction twice and boxes
    /// each one: on the hot path that was a fifth of the whole build. Jumps to labels start
    /// short and become near only when their displacement does not fit, until nothing
    /// changes (sizes only grow, so this ends).
    pub fn finish(mut self) -> MachineCode {
        let n_code = self.n_instructions();
        for (mut label, bytes) in std::mem::take(&mut self.data) {
            self.place_label(&mut label);
            ok(self.a.db(&bytes));
        }
        let mut instrs = self.a.take_instructions();
        // The code assembler marks a labelled instruction by setting its IP to the label's
        // id, and refers to a label by its id where an address goes; symbols outside the
        // function are at FAR, far above any id.
        let mut label_at: Vec<u32> = Vec::new();
        for (idx, instr) in instrs.iter().enumerate() {
            let id = instr.ip() as usize;
            if id != 0 {
                if label_at.len() <= id {
                    label_at.resize(id + 1, u32::MAX);
                }
                label_at[id] = idx as u32;
            }
        }
        // Sizes, and the bytes of every instruction that does not depend on its place.
        let mut encoder = Encoder::new(64);
        let mut kinds = Vec::with_capacity(instrs.len());
        let mut sizes = Vec::with_capacity(instrs.len());
        let mut fixed_bytes = Vec::new();
        ENCODE_MEMO.with_borrow_mut(|memo| {
            if memo.index.len() > MEMO_ENTRIES {
                *memo = EncodeMemo::default();
            }
            for instr in &mut instrs {
                let is_label_jump = (instr.is_jmp_short_or_near() || instr.is_jcc_short_or_near())
                    && instr.near_branch_target() < FAR;
                let (kind, size) = if is_label_jump {
                    instr.as_short_branch();
                    (Placed::LabelJump, 2)
                } else if instr.is_ip_rel_memory_operand() || instr.is_call_near() {
                    let size = encoder.encode(instr, 0).expect("the instruction encodes");
                    (Placed::Relative, size as u32)
                } else {
                    let at = fixed_bytes.len() as u32;
                    let len = memo_encode(memo, &mut encoder, instr, &mut fixed_bytes);
                    (Placed::Fixed(at), len)
                };
                kinds.push(kind);
                sizes.push(size);
            }
        });
        // Offsets, growing jumps that do not reach.
        let mut offsets = vec![0u32; instrs.len() + 1];
        loop {
            for idx in 0..instrs.len() {
                offsets[idx + 1] = offsets[idx] + sizes[idx];
            }
            let mut grew = false;
            for (idx, instr) in instrs.iter_mut().enumerate() {
                if !matches!(kinds[idx], Placed::LabelJump) || sizes[idx] != 2 {
                    continue;
                }
                let target = offsets[label_at[instr.near_branch_target() as usize] as usize];
                let displacement = i64::from(target) - i64::from(offsets[idx + 1]);
                if i8::try_from(displacement).is_err() {
                    instr.as_near_branch();
                    sizes[idx] = if instr.is_jmp_near() { 5 } else { 6 };
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
        // The bytes, each placed instruction encoded at its address.
        let mut bytes = Vec::with_capacity(offsets[instrs.len()] as usize);
        for (idx, instr) in instrs.iter_mut().enumerate() {
            let at = u64::from(offsets[idx]);
            match kinds[idx] {
                Placed::Fixed(start) => {
                    let (start, len) = (start as usize, sizes[idx] as usize);
                    bytes.extend_from_slice(&fixed_bytes[start..start + len]);
                }
                placed => {
                    let label_offset = |id: u64| u64::from(offsets[label_at[id as usize] as usize]);
                    if let Placed::LabelJump = placed {
                        instr.set_near_branch64(label_offset(instr.near_branch_target()));
                    } else if instr.is_ip_rel_memory_operand()
                        && instr.ip_rel_memory_address() < FAR
                    {
                        instr
                            .set_memory_displacement64(label_offset(instr.ip_rel_memory_address()));
                    }
                    encoder.set_buffer(std::mem::take(&mut bytes));
                    let size = encoder.encode(instr, at).expect("the instruction encodes");
                    debug_assert_eq!(size as u32, sizes[idx]);
                    bytes = encoder.take_buffer();
                }
            }
        }
        let mut relocs = Vec::with_capacity(self.refs.len());
        for &(idx, sym, off) in &self.refs {
            let field = offsets[idx + 1] - 4;
            bytes[field as usize..offsets[idx + 1] as usize].fill(0);
            relocs.push(SymReloc {
                offset: field,
                kind: crate::obj::link::RelocKind::Pc32,
                sym,
                addend: off - 4,
            });
        }
        MachineCode {
            bytes,
            code_len: offsets[n_code],
            relocs,
        }
    }

    /// Returns the label of `bytes`, placed after the instructions.
    pub fn data(&mut self, bytes: &[u8]) -> CodeLabel {
        let label = self.a.create_label();
        self.data.push((label, bytes.to_vec()));
        label
    }

    fn n_instructions(&self) -> usize {
        self.a.instructions().len()
    }

    /// Places `label` on the next instruction (a `nop` separates two labels that would
    /// otherwise share one, which the assembler does not allow).
    pub fn place_label(&mut self, label: &mut CodeLabel) {
        if self.label_at == Some(self.n_instructions()) {
            ok(self.a.nop());
        }
        self.label_at = Some(self.n_instructions());
        ok(self.a.set_label(label));
    }

    /// Emits `call sym`.
    pub fn call_sym(&mut self, sym: Sym) {
        let idx = self.n_instructions();
        ok(self.a.call(FAR));
        self.refs.push((idx, sym, 0));
    }

    /// Emits `code reg, [rip + sym + off]` (or `code [rip + sym + off], reg` when
    /// `mem_first`); the instruction must have no immediate.
    pub fn rip(&mut self, code: Code, reg: u8, sym: Sym, off: i64, mem_first: bool) {
        let idx = self.n_instructions();
        let mem = MemoryOperand::with_base_displ(Register::RIP, FAR as i64);
        let instr = if mem_first {
            Instruction::with2(code, mem, REGISTERS[reg as usize])
        } else {
            Instruction::with2(code, REGISTERS[reg as usize], mem)
        };
        ok(self.a.add_instruction(instr.expect("a RIP-relative form")));
        self.refs.push((idx, sym, off));
    }
}

struct Emitter<'a> {
    f: &'a Func,
    asm: Asm,
    /// Per block (indexed by `BlockId`): its label.
    labels: Vec<CodeLabel>,
    /// Per block: the block a jump to it really goes to (itself, unless it is empty).
    forward: Vec<BlockId>,
    frame: i64,
    args_base: i64,
}

fn ok(result: Result<(), iced_x86::IcedError>) {
    result.expect("the emitter builds valid instructions");
}

/// Emits `f`, which must have been through register allocation.
pub fn emit(f: &Func) -> MachineCode {
    let frame = 8 * i64::from(f.out_words + f.frame.n_slots);
    let n_saved = f.frame.saved.len() as i64;
    let mut e = Emitter {
        f,
        asm: Asm::default(),
        labels: Vec::new(),
        forward: Vec::new(),
        frame,
        args_base: frame + 8 * n_saved + 8,
    };
    e.labels = (0..f.blocks.len())
        .map(|_| e.asm.a.create_label())
        .collect();
    // As Go's assembler marks them NOSPLIT: a function that calls nothing and has a small
    // frame skips the stack check. Its caller passed its own check with a frame of at most
    // SMALL_FRAME, and the runtime keeps twice that below the guard.
    let leaf = frame <= LEAF_FRAME
        && f.order.iter().all(|&block| {
            f.block(block)
                .values
                .iter()
                .all(|&v| !f.value(v).op.is_call())
        });
    let mut overflow = e.asm.a.create_label();
    e.prologue(&overflow, leaf);
    e.entry_moves();
    e.forward = forwarding(f);
    let emitted: Vec<BlockId> = f
        .order
        .iter()
        .copied()
        .filter(|&block| e.forward[block.0 as usize] == block)
        .collect();
    for (idx, &block) in emitted.iter().enumerate() {
        let next = emitted.get(idx + 1).copied();
        // Nothing jumps to the entry; its label would only cost a `nop` where the next
        // block's label follows at once.
        if !f.block(block).preds.is_empty() {
            e.asm.place_label(&mut e.labels[block.0 as usize]);
        }
        e.block(block, next);
    }
    if !leaf {
        e.asm.place_label(&mut overflow);
        e.asm
            .call_sym(Sym::Runtime(crate::ssa::Runtime::StackOverflow));
    }
    e.asm.finish()
}

impl Emitter<'_> {
    fn prologue(&mut self, overflow: &CodeLabel, leaf: bool) {
        let guard = Sym::Runtime(crate::ssa::Runtime::Data);
        if !leaf {
            if self.frame > SMALL_FRAME {
                ok(self.asm.a.lea(rax, qword_ptr(rsp - self.frame as i32)));
                self.asm.rip(Code::Cmp_r64_rm64, RAX, guard, 0, false);
            } else {
                self.asm.rip(Code::Cmp_r64_rm64, 4, guard, 0, false);
            }
            ok(self.asm.a.jbe(*overflow));
        }
        for &reg in &self.f.frame.saved {
            ok(self.asm.a.push(GPR64[reg as usize]));
        }
        if self.frame > 0 {
            ok(self.asm.a.sub(rsp, self.frame as i32));
        }
    }

    /// Moves the register arguments and the closure pointer to their locations.
    fn entry_moves(&mut self) {
        let mut moves = Moves::new();
        for &v in &self.f.block(self.f.entry()).values {
            let value = self.f.value(v);
            let from = match value.op {
                Op::Arg => Convention::INTERNAL.reg(value.aux as u32),
                Op::ClosurePtr => Some(RDX),
                _ => None,
            };
            if let Some(from) = from {
                moves.push((Src::Loc(Loc::Reg(from)), self.loc(v)));
            }
        }
        self.parallel_move(moves);
    }

    fn epilogue(&mut self) {
        if self.frame > 0 {
            ok(self.asm.a.add(rsp, self.frame as i32));
        }
        for &reg in self.f.frame.saved.iter().rev() {
            ok(self.asm.a.pop(GPR64[reg as usize]));
        }
        ok(self.asm.a.ret());
    }

    fn loc(&self, v: ValueId) -> Loc {
        self.f.locs[v.0 as usize].expect("an allocated value")
    }

    fn slot_mem(&self, slot: u32) -> AsmMemoryOperand {
        qword_ptr(rsp + (8 * (i64::from(self.f.out_words) + i64::from(slot))) as i32)
    }

    /// Returns where a copy of `v` reads from: its location, or the constant itself for a
    /// constant that register allocation left to be materialized at each use.
    fn src(&self, v: ValueId) -> Src {
        match self.f.locs[v.0 as usize] {
            Some(loc) => Src::Loc(loc),
            None => {
                debug_assert_eq!(self.f.value(v).op, Op::Const);
                Src::Const(self.f.value(v).aux)
            }
        }
    }

    /// Returns a register holding `v`: its own, or `scratch` loaded from its slot or with
    /// its constant.
    fn use_reg(&mut self, v: ValueId, scratch: u8) -> u8 {
        match self.src(v) {
            Src::Loc(Loc::Reg(reg)) => reg,
            Src::Loc(Loc::Slot(slot)) => {
                let mem = self.slot_mem(slot);
                ok(self.asm.a.mov(GPR64[scratch as usize], mem));
                scratch
            }
            Src::Const(c) => {
                self.mov_const(scratch, c);
                scratch
            }
        }
    }

    /// Returns the register to compute `v` into: its own, or RAX if it lives in a slot.
    fn def_reg(&self, v: ValueId) -> u8 {
        match self.loc(v) {
            Loc::Reg(reg) => reg,
            Loc::Slot(_) => RAX,
        }
    }

    /// Stores RAX to `v`'s slot if that is where it lives.
    fn def_done(&mut self, v: ValueId) {
        if let Loc::Slot(slot) = self.loc(v) {
            let mem = self.slot_mem(slot);
            ok(self.asm.a.mov(mem, rax));
        }
    }

    fn mov_reg(&mut self, dst: u8, src: u8) {
        if dst != src {
            ok(self.asm.a.mov(GPR64[dst as usize], GPR64[src as usize]));
        }
    }

    /// Loads `v` into register `dst`.
    fn load_into(&mut self, dst: u8, v: ValueId) {
        let reg = self.use_reg(v, dst);
        self.mov_reg(dst, reg);
    }

    fn mov_const(&mut self, dst: u8, c: i64) {
        let reg = GPR64[dst as usize];
        if c == 0 {
            let reg32 = gpr32_of(dst);
            ok(self.asm.a.xor(reg32, reg32));
        } else if let Ok(c32) = u32::try_from(c) {
            ok(self.asm.a.mov(gpr32_of(dst), c32));
        } else if let Ok(c32) = i32::try_from(c) {
            ok(self.asm.a.mov(reg, c32 as i64));
        } else {
            ok(self.asm.a.mov(reg, c));
        }
    }

    fn block(&mut self, block: BlockId, next: Option<BlockId>) {
        let b = self.f.block(block);
        for (idx, &v) in b.values.iter().enumerate() {
            let op = self.f.value(v).op;
            if op.is_call() {
                self.call(v, &b.values[idx + 1..]);
            } else if op == Op::SetResult {
                if idx == 0 || self.f.value(b.values[idx - 1]).op != Op::SetResult {
                    self.set_results(&b.values[idx..]);
                }
            } else {
                self.value(v);
            }
        }
        match b.kind {
            BlockKind::Plain => {
                let succ = b.succs[0];
                self.phi_moves(block, succ);
                let target = self.forward[succ.0 as usize];
                if next != Some(target) {
                    ok(self.asm.a.jmp(self.labels[target.0 as usize]));
                }
            }
            BlockKind::If => {
                let control = b.control.expect("an If has a control");
                let reg = self.use_reg(control, RAX);
                let r = GPR64[reg as usize];
                ok(self.asm.a.test(r, r));
                self.branch(Cond::Ne, b.succs[0], b.succs[1], next);
            }
            BlockKind::IfCmp(cond) => self.branch(cond, b.succs[0], b.succs[1], next),
            BlockKind::Ret => self.epilogue(),
            BlockKind::Exit => {}
        }
    }

    fn branch(&mut self, cond: Cond, then: BlockId, els: BlockId, next: Option<BlockId>) {
        let (then, els) = (self.forward[then.0 as usize], self.forward[els.0 as usize]);
        let (then_label, els_label) = (self.labels[then.0 as usize], self.labels[els.0 as usize]);
        if next == Some(then) {
            self.jcc(cond.negate(), els_label);
        } else {
            self.jcc(cond, then_label);
            if next != Some(els) {
                ok(self.asm.a.jmp(els_label));
            }
        }
    }

    fn jcc(&mut self, cond: Cond, label: CodeLabel) {
        ok(match cond {
            Cond::Eq => self.asm.a.je(label),
            Cond::Ne => self.asm.a.jne(label),
            Cond::Lt => self.asm.a.jl(label),
            Cond::Le => self.asm.a.jle(label),
            Cond::Gt => self.asm.a.jg(label),
            Cond::Ge => self.asm.a.jge(label),
        });
    }

    /// Emits the copies that give `succ`'s phis their values on the edge from `block`.
    fn phi_moves(&mut self, block: BlockId, succ: BlockId) {
        let s = self.f.block(succ);
        let Some(pred_idx) = s.preds.iter().position(|&p| p == block) else {
            return;
        };
        let mut moves = Moves::new();
        for &phi in &s.values {
            let value = self.f.value(phi);
            if value.op != Op::Phi {
                break;
            }
            moves.push((self.src(value.args[pred_idx]), self.loc(phi)));
        }
        self.parallel_move(moves);
    }

    /// Performs the copies `moves` (source, destination) as if all at once: destinations
    /// are distinct; a cycle is broken through RAX, so no source or destination is RAX, and
    /// no copy is from slot to slot when RDX is a destination.
    fn parallel_move(&mut self, all: Moves) {
        let mut moves: SmallVec<[(Loc, Loc); 8]> = SmallVec::new();
        let mut consts: SmallVec<[(i64, Loc); 4]> = SmallVec::new();
        for (src, dst) in all {
            match src {
                Src::Loc(src) if src != dst => moves.push((src, dst)),
                Src::Loc(_) => {}
                Src::Const(c) => consts.push((c, dst)),
            }
        }
        while !moves.is_empty() {
            let ready = moves
                .iter()
                .position(|&(_, dst)| moves.iter().all(|&(src, _)| src != dst));
            match ready {
                Some(idx) => {
                    let (src, dst) = moves.remove(idx);
                    self.move_loc(src, dst);
                }
                None => {
                    // Every destination is still to be read: a cycle. Save one
                    // destination in RAX and read it from there.
                    let (_, dst) = moves[0];
                    self.move_loc(dst, Loc::Reg(RAX));
                    for (src, _) in &mut moves {
                        if *src == dst {
                            *src = Loc::Reg(RAX);
                        }
                    }
                }
            }
        }
        // Constants read nothing, so they go last, into destinations no copy reads now.
        for (c, dst) in consts {
            match dst {
                Loc::Reg(reg) => self.mov_const(reg, c),
                Loc::Slot(slot) => {
                    let mem = self.slot_mem(slot);
                    match i32::try_from(c) {
                        Ok(c32) => ok(self.asm.a.mov(mem, c32)),
                        Err(_) => {
                            self.mov_const(RAX, c);
                            ok(self.asm.a.mov(mem, rax));
                        }
                    }
                }
            }
        }
    }

    /// Emits call `v` and the moves of its results, the `LoadResult`s at the head of `rest`.
    fn call(&mut self, v: ValueId, rest: &[ValueId]) {
        let value = self.f.value(v);
        let convention = Convention::of_call(self.f, value);
        let is_closure = value.op == Op::ClosureCall;
        let words = &value.args[usize::from(is_closure)..];
        let n_args = words.len() as u32;
        // Stack words first, while every register still holds its value.
        let mut moves = Moves::new();
        for (word, &arg) in words.iter().enumerate() {
            match convention.reg(word as u32) {
                Some(reg) => moves.push((self.src(arg), Loc::Reg(reg))),
                None => {
                    let mem = qword_ptr(rsp + convention.arg_offset(word as u32) as i32);
                    self.store(mem, arg);
                }
            }
        }
        if is_closure {
            moves.push((self.src(value.args[0]), Loc::Reg(RDX)));
        }
        self.parallel_move(moves);
        if is_closure {
            ok(self.asm.a.call(qword_ptr(rdx)));
        } else {
            self.asm.call_sym(self.f.syms[value.aux as usize]);
        }
        let n_results = rest
            .iter()
            .take_while(|&&r| self.f.value(r).op == Op::LoadResult)
            .count();
        let results = &rest[..n_results];
        let mut moves = Moves::new();
        for &r in results {
            let word = self.f.value(r).aux as u32;
            if let Some(reg) = convention.reg(word) {
                moves.push((Src::Loc(Loc::Reg(reg)), self.loc(r)));
            }
        }
        self.parallel_move(moves);
        // Stack results last: their destinations may be result registers just read.
        for &r in results {
            let word = self.f.value(r).aux as u32;
            if convention.reg(word).is_none() {
                let d = self.def_reg(r);
                let off = convention.result_offset(n_args, word);
                ok(self
                    .asm
                    .a
                    .mov(GPR64[d as usize], qword_ptr(rsp + off as i32)));
                self.def_done(r);
            }
        }
    }

    /// Stores `v` at `mem`: a constant as an immediate when it fits, anything else through
    /// its register or RAX.
    fn store(&mut self, mem: AsmMemoryOperand, v: ValueId) {
        match self.src(v) {
            Src::Const(c) if i32::try_from(c).is_ok() => ok(self.asm.a.mov(mem, c as i32)),
            _ => {
                let reg = self.use_reg(v, RAX);
                ok(self.asm.a.mov(mem, GPR64[reg as usize]));
            }
        }
    }

    /// Puts this function's results, the `SetResult`s `group` (the end of a `Ret` block),
    /// where the caller finds them.
    fn set_results(&mut self, group: &[ValueId]) {
        let convention = Convention::INTERNAL;
        let mut moves = Moves::new();
        for &v in group {
            let value = self.f.value(v);
            let word = value.aux as u32;
            match convention.reg(word) {
                Some(reg) => moves.push((self.src(value.args[0]), Loc::Reg(reg))),
                None => {
                    let off = self.args_base + convention.result_offset(self.f.arg_words, word);
                    self.store(qword_ptr(rsp + off as i32), value.args[0]);
                }
            }
        }
        self.parallel_move(moves);
    }

    fn move_loc(&mut self, src: Loc, dst: Loc) {
        match (src, dst) {
            (Loc::Reg(s), Loc::Reg(d)) => self.mov_reg(d, s),
            (Loc::Slot(s), Loc::Reg(d)) => {
                let mem = self.slot_mem(s);
                ok(self.asm.a.mov(GPR64[d as usize], mem));
            }
            (Loc::Reg(s), Loc::Slot(d)) => {
                let mem = self.slot_mem(d);
                ok(self.asm.a.mov(mem, GPR64[s as usize]));
            }
            (Loc::Slot(s), Loc::Slot(d)) => {
                let (from, to) = (self.slot_mem(s), self.slot_mem(d));
                ok(self.asm.a.mov(rdx, from));
                ok(self.asm.a.mov(to, rdx));
            }
        }
    }

    /// Prepares a two-operand instruction `d = x op y`: returns (d, y's register), with x
    /// already in d and y in a register other than d.
    fn two_operand(&mut self, v: ValueId, x: ValueId, y: ValueId) -> (u8, u8) {
        let d = self.def_reg(v);
        let mut yr = self.use_reg(y, RDX);
        if yr == d && self.loc(x) != Loc::Reg(d) {
            self.mov_reg(RDX, yr);
            yr = RDX;
        }
        self.load_into(d, x);
        (d, yr)
    }

    fn value(&mut self, v: ValueId) {
        let value = self.f.value(v);
        let args = &value.args;
        let aux = value.aux;
        match value.op {
            // A constant without a location is materialized where it is used.
            Op::Const if self.f.locs[v.0 as usize].is_none() => {}
            Op::Const => {
                let d = self.def_reg(v);
                self.mov_const(d, aux);
                self.def_done(v);
            }
            Op::Addr => {
                let d = self.def_reg(v);
                let sym = self.f.syms[aux as usize];
                self.asm.rip(Code::Lea_r64_m, d, sym, 0, false);
                self.def_done(v);
            }
            Op::Arg => {
                // Register arguments are in place since the entry moves.
                if Convention::INTERNAL.reg(aux as u32).is_none() {
                    let d = self.def_reg(v);
                    let off = self.args_base + Convention::INTERNAL.arg_offset(aux as u32);
                    ok(self
                        .asm
                        .a
                        .mov(GPR64[d as usize], qword_ptr(rsp + off as i32)));
                    self.def_done(v);
                }
            }
            Op::Copy => {
                let d = self.def_reg(v);
                self.load_into(d, args[0]);
                self.def_done(v);
            }
            Op::Add | Op::Sub | Op::Mul | Op::And | Op::Or | Op::Xor => {
                let (x, y) = (args[0], args[1]);
                // A commutative operation whose second operand already sits in the
                // destination needs no copy.
                let (x, y) =
                    if value.op.is_commutative() && self.loc(y) == Loc::Reg(self.def_reg(v)) {
                        (y, x)
                    } else {
                        (x, y)
                    };
                let (d, yr) = self.two_operand(v, x, y);
                let (dr, yr) = (GPR64[d as usize], GPR64[yr as usize]);
                ok(match value.op {
                    Op::Add => self.asm.a.add(dr, yr),
                    Op::Sub => self.asm.a.sub(dr, yr),
                    Op::Mul => self.asm.a.imul_2(dr, yr),
                    Op::And => self.asm.a.and(dr, yr),
                    Op::Or => self.asm.a.or(dr, yr),
                    _ => self.asm.a.xor(dr, yr),
                });
                self.def_done(v);
            }
            Op::AndNot => {
                let yr = self.use_reg(args[1], RDX);
                self.mov_reg(RCX, yr);
                ok(self.asm.a.not(rcx));
                let d = self.def_reg(v);
                self.load_into(d, args[0]);
                ok(self.asm.a.and(GPR64[d as usize], rcx));
                self.def_done(v);
            }
            Op::Min | Op::Max => {
                let (d, yr) = self.two_operand(v, args[0], args[1]);
                let (dr, yr) = (GPR64[d as usize], GPR64[yr as usize]);
                ok(self.asm.a.cmp(dr, yr));
                ok(if value.op == Op::Min {
                    self.asm.a.cmovg(dr, yr)
                } else {
                    self.asm.a.cmovl(dr, yr)
                });
                self.def_done(v);
            }
            Op::Div | Op::Mod => self.div(v, value.op, args[0], args[1]),
            Op::DivConst | Op::ModConst => {
                self.div_const(v, value.op == Op::ModConst, args[0], aux)
            }
            Op::Shl | Op::Shr => {
                let yr = self.use_reg(args[1], RCX);
                self.mov_reg(RCX, yr);
                let d = self.def_reg(v);
                if value.op == Op::Shr {
                    // Counts of 64 or more shift by 63: all sign bits.
                    ok(self.asm.a.mov(edx, 63u32));
                    ok(self.asm.a.cmp(rcx, 64));
                    ok(self.asm.a.cmovae(rcx, rdx));
                    self.load_into(d, args[0]);
                    ok(self.asm.a.sar(GPR64[d as usize], cl));
                } else {
                    self.load_into(d, args[0]);
                    ok(self.asm.a.shl(GPR64[d as usize], cl));
                    ok(self.asm.a.xor(edx, edx));
                    ok(self.asm.a.cmp(rcx, 64));
                    ok(self.asm.a.cmovae(GPR64[d as usize], rdx));
                }
                self.def_done(v);
            }
            Op::Neg | Op::Com | Op::Not => {
                let d = self.def_reg(v);
                self.load_into(d, args[0]);
                let dr = GPR64[d as usize];
                ok(match value.op {
                    Op::Neg => self.asm.a.neg(dr),
                    Op::Com => self.asm.a.not(dr),
                    _ => self.asm.a.xor(dr, 1),
                });
                self.def_done(v);
            }
            Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                let xr = self.use_reg(args[0], RAX);
                let yr = self.use_reg(args[1], RDX);
                ok(self.asm.a.cmp(GPR64[xr as usize], GPR64[yr as usize]));
                let d = self.def_reg(v);
                let d8 = GPR8[d as usize];
                ok(match value.op.cond().expect("a comparison") {
                    Cond::Eq => self.asm.a.sete(d8),
                    Cond::Ne => self.asm.a.setne(d8),
                    Cond::Lt => self.asm.a.setl(d8),
                    Cond::Le => self.asm.a.setle(d8),
                    Cond::Gt => self.asm.a.setg(d8),
                    Cond::Ge => self.asm.a.setge(d8),
                });
                ok(self.asm.a.movzx(GPR64[d as usize], d8));
                self.def_done(v);
            }
            Op::AddConst => {
                let d = self.def_reg(v);
                match self.loc(args[0]) {
                    Loc::Reg(x) if x != d => {
                        ok(self
                            .asm
                            .a
                            .lea(GPR64[d as usize], qword_ptr(GPR64[x as usize] + aux as i32)));
                    }
                    _ => {
                        self.load_into(d, args[0]);
                        ok(self.asm.a.add(GPR64[d as usize], aux as i32));
                    }
                }
                self.def_done(v);
            }
            Op::MulConst => {
                let d = self.def_reg(v);
                let x = self.use_reg(args[0], RAX);
                ok(self
                    .asm
                    .a
                    .imul_3(GPR64[d as usize], GPR64[x as usize], aux as i32));
                self.def_done(v);
            }
            Op::AndConst | Op::OrConst | Op::XorConst => {
                let d = self.def_reg(v);
                self.load_into(d, args[0]);
                let dr = GPR64[d as usize];
                ok(match value.op {
                    Op::AndConst => self.asm.a.and(dr, aux as i32),
                    Op::OrConst => self.asm.a.or(dr, aux as i32),
                    _ => self.asm.a.xor(dr, aux as i32),
                });
                self.def_done(v);
            }
            Op::ShlConst | Op::SarConst => {
                let d = self.def_reg(v);
                self.load_into(d, args[0]);
                let dr = GPR64[d as usize];
                ok(if value.op == Op::ShlConst {
                    self.asm.a.shl(dr, aux as u32)
                } else {
                    self.asm.a.sar(dr, aux as u32)
                });
                self.def_done(v);
            }
            Op::Cmp => {
                let xr = self.use_reg(args[0], RAX);
                let yr = self.use_reg(args[1], RDX);
                ok(self.asm.a.cmp(GPR64[xr as usize], GPR64[yr as usize]));
            }
            Op::CmpConst => {
                let xr = GPR64[self.use_reg(args[0], RAX) as usize];
                // Against zero, `test` sets the same flags (OF and CF clear) in fewer bytes.
                ok(if aux == 0 {
                    self.asm.a.test(xr, xr)
                } else {
                    self.asm.a.cmp(xr, aux as i32)
                });
            }
            Op::Load => {
                let base = self.use_reg(args[0], RAX);
                let d = self.def_reg(v);
                ok(self.asm.a.mov(
                    GPR64[d as usize],
                    qword_ptr(GPR64[base as usize] + aux as i32),
                ));
                self.def_done(v);
            }
            Op::Store => {
                let base = self.use_reg(args[0], RAX);
                let val = self.use_reg(args[1], RDX);
                ok(self.asm.a.mov(
                    qword_ptr(GPR64[base as usize] + aux as i32),
                    GPR64[val as usize],
                ));
            }
            // Emitted elsewhere: see `entry_moves`, `call` and `set_results`.
            Op::ClosurePtr | Op::LoadResult | Op::SetResult | Op::StaticCall | Op::ClosureCall => {}
            Op::Phi => {}
        }
    }

    fn div(&mut self, v: ValueId, op: Op, x: ValueId, y: ValueId) {
        let divisor = self.f.value(y);
        let minus_one_possible = !(divisor.op == Op::Const && divisor.aux != -1);
        let yr = self.use_reg(y, RCX);
        let yreg = GPR64[yr as usize];
        self.load_into(RAX, x);
        let mut done = self.asm.a.create_label();
        if minus_one_possible {
            // x86 traps on MinInt64 / -1; Go defines it as MinInt64 (and % as 0).
            let mut divide = self.asm.a.create_label();
            ok(self.asm.a.cmp(yreg, -1));
            ok(self.asm.a.jne(divide));
            if op == Op::Div {
                ok(self.asm.a.neg(rax));
            } else {
                ok(self.asm.a.xor(eax, eax));
            }
            ok(self.asm.a.jmp(done));
            self.asm.place_label(&mut divide);
        }
        ok(self.asm.a.cqo());
        ok(self.asm.a.idiv(yreg));
        if op == Op::Mod {
            ok(self.asm.a.mov(rax, rdx));
        }
        self.asm.place_label(&mut done);
        let d = self.def_reg(v);
        if d == RAX {
            // The label needs an instruction; a value in a slot gets its store next.
            self.def_done(v);
        } else {
            self.mov_reg(d, RAX);
            self.def_done(v);
        }
    }
}

impl Emitter<'_> {
    /// Divides by constant `d` (not 0, 1 or -1; within 32 bits) without `IDIV`: the quotient
    /// ends in RDX, then the remainder is `x - q*d`.
    fn div_const(&mut self, v: ValueId, is_mod: bool, x: ValueId, d: i64) {
        let xr = self.use_reg(x, RCX);
        let xreg = GPR64[xr as usize];
        if d > 0 && (d as u64).is_power_of_two() {
            // q = (x + (x < 0 ? d-1 : 0)) >> k, rounding toward zero.
            let k = d.trailing_zeros();
            ok(self.asm.a.mov(rdx, xreg));
            ok(self.asm.a.sar(rdx, 63));
            ok(self.asm.a.shr(rdx, 64 - k));
            ok(self.asm.a.add(rdx, xreg));
            if is_mod {
                ok(self.asm.a.and(rdx, -d as i32));
            } else {
                ok(self.asm.a.sar(rdx, k));
            }
        } else {
            let (magic, shift) = magic(d);
            ok(self.asm.a.mov(rax, magic));
            ok(self.asm.a.imul(xreg));
            if d > 0 && magic < 0 {
                ok(self.asm.a.add(rdx, xreg));
            } else if d < 0 && magic > 0 {
                ok(self.asm.a.sub(rdx, xreg));
            }
            if shift > 0 {
                ok(self.asm.a.sar(rdx, shift));
            }
            ok(self.asm.a.mov(rax, rdx));
            ok(self.asm.a.shr(rax, 63));
            ok(self.asm.a.add(rdx, rax));
            if is_mod {
                ok(self.asm.a.imul_3(rdx, rdx, d as i32));
            }
        }
        let dst = self.def_reg(v);
        if is_mod {
            // The power-of-two path left x rounded down to a multiple of d; the magic path
            // left q*d. Either way the remainder is x minus it.
            self.mov_reg(RAX, xr);
            ok(self.asm.a.sub(rax, rdx));
            self.mov_reg(dst, RAX);
        } else {
            self.mov_reg(dst, RDX);
        }
        self.def_done(v);
    }
}

/// Returns the magic multiplier and shift for signed 64-bit division by `d`
/// (Hacker's Delight, 10-1; `|d| >= 2`).
fn magic(d: i64) -> (i64, u32) {
    const TWO63: u64 = 1 << 63;
    let ad = d.unsigned_abs();
    let t = TWO63 + ((d as u64) >> 63);
    let anc = t - 1 - t % ad;
    let mut p = 63u32;
    let (mut q1, mut r1) = (TWO63 / anc, TWO63 - (TWO63 / anc) * anc);
    let (mut q2, mut r2) = (TWO63 / ad, TWO63 - (TWO63 / ad) * ad);
    loop {
        p += 1;
        q1 = q1.wrapping_mul(2);
        r1 = r1.wrapping_mul(2);
        if r1 >= anc {
            q1 = q1.wrapping_add(1);
            r1 = r1.wrapping_sub(anc);
        }
        q2 = q2.wrapping_mul(2);
        r2 = r2.wrapping_mul(2);
        if r2 >= ad {
            q2 = q2.wrapping_add(1);
            r2 = r2.wrapping_sub(ad);
        }
        let delta = ad - r2;
        if !(q1 < delta || (q1 == delta && r1 == 0)) {
            break;
        }
    }
    let m = q2.wrapping_add(1) as i64;
    (if d < 0 { m.wrapping_neg() } else { m }, p - 64)
}

/// Returns, per block, where a jump to it should go: past blocks that are empty jumps
/// (no values, no phi copies to make), so they cost neither a `jmp` nor a `nop` (Go's
/// `trim`).
fn forwarding(f: &Func) -> Vec<BlockId> {
    // An empty jump whose phi copies all move a value onto itself needs no code.
    let is_empty_jump = |block: BlockId| {
        let b = f.block(block);
        if b.kind != BlockKind::Plain || !b.values.is_empty() || block == f.entry() {
            return false;
        }
        let succ = f.block(b.succs[0]);
        let Some(pred_idx) = succ.preds.iter().position(|&p| p == block) else {
            return false;
        };
        succ.values
            .iter()
            .take_while(|&&v| f.value(v).op == Op::Phi)
            .all(|&phi| f.locs[phi.0 as usize] == f.locs[f.value(phi).args[pred_idx].0 as usize])
    };
    let mut forward: Vec<BlockId> = (0..f.blocks.len() as u32).map(BlockId).collect();
    for &block in &f.order {
        let mut target = block;
        // A chain of empty jumps can be a cycle (`for {}`): give up after as many steps as
        // there are blocks, and keep the block itself.
        for _ in 0..f.order.len() {
            if !is_empty_jump(target) {
                break;
            }
            target = f.block(target).succs[0];
        }
        if is_empty_jump(target) {
            target = block;
        }
        forward[block.0 as usize] = target;
    }
    forward
}

fn gpr32_of(reg: u8) -> AsmRegister32 {
    const GPR32: [AsmRegister32; 16] = [
        eax, ecx, edx, ebx, esp, ebp, esi, edi, r8d, r9d, r10d, r11d, r12d, r13d, r14d, r15d,
    ];
    GPR32[reg as usize]
}

/// Returns the listing of `code` (Go's `-S` form: offset, instruction), naming the symbols
/// its relocations refer to with `sym_name`.
pub fn listing(code: &MachineCode, sym_name: &dyn Fn(Sym) -> String) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let (instructions, data) = code.bytes.split_at(code.code_len as usize);
    let mut decoder = Decoder::with_ip(64, instructions, 0, DecoderOptions::NONE);
    let mut formatter = IntelFormatter::new();
    formatter.options_mut().set_first_operand_char_index(8);
    formatter.options_mut().set_uppercase_hex(false);
    let mut text = String::new();
    let mut instr = Instruction::default();
    while decoder.can_decode() {
        decoder.decode_out(&mut instr);
        text.clear();
        let start = instr.ip() as u32;
        let end = start + instr.len() as u32;
        let reloc = code
            .relocs
            .iter()
            .find(|reloc| reloc.offset >= start && reloc.offset < end);
        match reloc {
            Some(reloc) if instr.mnemonic() == iced_x86::Mnemonic::Call => {
                let _ = write!(text, "call    {}", sym_name(reloc.sym));
            }
            Some(reloc) => {
                formatter.format(&instr, &mut text);
                let _ = write!(text, "    ; {}", sym_name(reloc.sym));
            }
            None => formatter.format(&instr, &mut text),
        }
        let _ = writeln!(out, "  {start:#06x}  {text}");
    }
    if !data.is_empty() {
        let _ = writeln!(
            out,
            "  {:#06x}  data    \"{}\"",
            code.code_len,
            data.escape_ascii()
        );
    }
    out
}

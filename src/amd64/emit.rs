//! Emission: an allocated SSA function to x86-64 machine code, through the assembler of
//! `amd64::asm` (Go's `ssaGenValue`/`ssaGenBlock` in `amd64/ssa.go`).
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
use iced_x86::{Code, Decoder, DecoderOptions, Formatter, IcedError, Instruction, IntelFormatter};

use smallvec::SmallVec;

use crate::amd64::asm::{Asm, ByteMem, GPR8, GPR32, GPR64, Index, IndexMem, Label, Mem, Operand};
use crate::ssa::abi::Convention;
use crate::ssa::regalloc::{Loc, RAX, RCX, RDX, REG_NAMES};
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
    /// The calls with pointers live across them, in code order, with their stack maps.
    pub safepoints: Vec<SafePoint>,
    /// The frame words of each safepoint's map, one list after another.
    pub live_words: Vec<u32>,
    /// The frame as the collector unwinds it: the bytes the prologue reserves below the
    /// saved registers (0 for assembly, which the collector never meets mid-call).
    pub frame: u32,
    /// The callee-saved registers the prologue pushes, a mask by hardware number: they
    /// are pushed in increasing order, so the lowest is nearest the reserved bytes.
    pub saved: u16,
}

/// A call's stack map in the machine code (`regalloc::stackmap`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SafePoint {
    /// The offset of the call's return address: the end of the call instruction.
    pub ret: u32,
    /// The callee-saved registers holding live pointers, a mask by hardware number.
    pub regs: u16,
    /// Where its frame words start and end in [`MachineCode::live_words`]: words counted
    /// from the stack pointer during the call (the return address not included), each
    /// holding a live pointer.
    pub words: (u32, u32),
}

impl MachineCode {
    /// Returns the frame words of `safepoint`'s map.
    pub fn live_words_of(&self, safepoint: &SafePoint) -> &[u32] {
        &self.live_words[safepoint.words.0 as usize..safepoint.words.1 as usize]
    }
}

/// The stack pointer, by hardware number.
const RSP: u8 = 4;

/// Copies to make at once, (source, destination); few enough to stay inline.
type Moves = SmallVec<[(Src, Loc); 8]>;

/// The source of a copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Src {
    Loc(Loc),
    Const(i64),
}

/// A frame larger than this checks `rsp - frame` against the guard, not `rsp`; the runtime
/// keeps this much room below the guard.
pub const SMALL_FRAME: i64 = 64 * 1024;

/// The largest frame a function that calls nothing may have without checking the stack
/// (Go's `StackSmall`): with its caller's frame it stays within the room below the guard.
const LEAF_FRAME: i64 = 128;

/// Builds an instruction of two 64-bit registers.
type RegReg = fn(&mut CodeAssembler, AsmRegister64, AsmRegister64) -> Result<(), IcedError>;

/// What a conditional move compares to set its flags.
#[derive(Clone, Copy)]
enum Compare {
    /// `args.0` with `args.1` (`CMPQ`, or `TESTQ` against a constant 0).
    Cmp(ValueId, ValueId),
    /// `args.0 & args.1` with zero (`TESTQ`; with a constant mask, `TESTQconst`).
    Test(ValueId, ValueId),
}

struct Emitter<'a> {
    f: &'a Func,
    asm: Asm,
    /// Per block (indexed by `BlockId`): its label.
    labels: Vec<Label>,
    /// Per block: the block a jump to it really goes to (itself, unless it is empty).
    forward: Vec<BlockId>,
    frame: i64,
    args_base: i64,
    /// The next of the function's stack maps, in layout order like the calls.
    next_map: usize,
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
        next_map: 0,
    };
    e.labels = (0..f.blocks.len()).map(|_| e.asm.new_label()).collect();
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
    let overflow = e.asm.new_label();
    e.prologue(overflow, leaf);
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
        e.asm.place(e.labels[block.0 as usize]);
        e.block(block, next);
    }
    debug_assert_eq!(
        e.next_map,
        f.stack_maps.maps.len(),
        "a stack map's call is emitted"
    );
    if !leaf {
        e.asm.place(overflow);
        e.asm
            .call_sym(Sym::Runtime(crate::ssa::Runtime::StackOverflow));
    }
    let mut code = e.asm.finish();
    code.frame = frame as u32;
    code.saved = f.frame.saved.iter().fold(0, |mask, &reg| mask | 1 << reg);
    debug_assert!(
        f.frame.saved.is_sorted(),
        "the prologue pushes in increasing order"
    );
    code
}

impl Emitter<'_> {
    fn prologue(&mut self, overflow: Label, leaf: bool) {
        let guard = Sym::Runtime(crate::ssa::Runtime::Data);
        if !leaf {
            if self.frame > SMALL_FRAME {
                let below = Mem {
                    base: RSP,
                    disp: -(self.frame as i32),
                };
                self.asm.op2(CodeAssembler::lea, rax, below);
                self.asm.rip(Code::Cmp_r64_rm64, RAX, guard, 0, false);
            } else {
                self.asm.rip(Code::Cmp_r64_rm64, RSP, guard, 0, false);
            }
            self.asm.jump(Code::Jbe_rel8_64, overflow);
        }
        for &reg in &self.f.frame.saved {
            self.asm.op1(CodeAssembler::push, GPR64[reg as usize]);
        }
        if self.frame > 0 {
            self.asm.op2(CodeAssembler::sub, rsp, self.frame as i32);
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
        self.parallel_move(&moves);
    }

    fn epilogue(&mut self) {
        if self.frame > 0 {
            self.asm.op2(CodeAssembler::add, rsp, self.frame as i32);
        }
        for &reg in self.f.frame.saved.iter().rev() {
            self.asm.op1(CodeAssembler::pop, GPR64[reg as usize]);
        }
        self.asm.op0(CodeAssembler::ret);
    }

    fn loc(&self, v: ValueId) -> Loc {
        self.f.locs[v.0 as usize].expect("an allocated value")
    }

    fn slot_mem(&self, slot: u32) -> Mem {
        Mem {
            base: RSP,
            disp: (8 * (i64::from(self.f.out_words) + i64::from(slot))) as i32,
        }
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
                self.asm
                    .op2(CodeAssembler::mov, GPR64[scratch as usize], mem);
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
            self.asm.op2(CodeAssembler::mov, mem, rax);
        }
    }

    fn mov_reg(&mut self, dst: u8, src: u8) {
        if dst != src {
            self.asm
                .op2(CodeAssembler::mov, GPR64[dst as usize], GPR64[src as usize]);
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
            let reg32 = GPR32[dst as usize];
            self.asm.op2(CodeAssembler::xor, reg32, reg32);
        } else if let Ok(c32) = u32::try_from(c) {
            self.asm.op2(CodeAssembler::mov, GPR32[dst as usize], c32);
        } else if let Ok(c32) = i32::try_from(c) {
            self.asm.op2(CodeAssembler::mov, reg, c32 as i64);
        } else {
            self.asm.op2(CodeAssembler::mov, reg, c);
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
                    self.asm
                        .jump(Code::Jmp_rel8_64, self.labels[target.0 as usize]);
                }
            }
            BlockKind::If => {
                let control = b.control.expect("an If has a control");
                let reg = self.use_reg(control, RAX);
                let r = GPR64[reg as usize];
                self.asm.op2(CodeAssembler::test, r, r);
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
                self.asm.jump(Code::Jmp_rel8_64, els_label);
            }
        }
    }

    fn jcc(&mut self, cond: Cond, label: Label) {
        let short = match cond {
            Cond::Eq => Code::Je_rel8_64,
            Cond::Ne => Code::Jne_rel8_64,
            Cond::Lt => Code::Jl_rel8_64,
            Cond::Le => Code::Jle_rel8_64,
            Cond::Gt => Code::Jg_rel8_64,
            Cond::Ge => Code::Jge_rel8_64,
            Cond::ULt => Code::Jb_rel8_64,
            Cond::ULe => Code::Jbe_rel8_64,
            Cond::UGt => Code::Ja_rel8_64,
            Cond::UGe => Code::Jae_rel8_64,
        };
        self.asm.jump(short, label);
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
        self.parallel_move(&moves);
    }

    /// Performs the copies `moves` (source, destination) as if all at once: destinations
    /// are distinct; a cycle is broken through RAX, so no source or destination is RAX, and
    /// no copy is from slot to slot when RDX is a destination.
    fn parallel_move(&mut self, all: &[(Src, Loc)]) {
        if all.is_empty() {
            return;
        }
        let mut moves: SmallVec<[(Loc, Loc); 8]> = SmallVec::new();
        let mut consts: SmallVec<[(i64, Loc); 4]> = SmallVec::new();
        for &(src, dst) in all {
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
                        Ok(c32) => self.asm.op2(CodeAssembler::mov, mem, c32),
                        Err(_) => {
                            self.mov_const(RAX, c);
                            self.asm.op2(CodeAssembler::mov, mem, rax);
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
                    let mem = Mem {
                        base: RSP,
                        disp: convention.arg_offset(word as u32) as i32,
                    };
                    self.store(mem, arg, false, RAX);
                }
            }
        }
        if is_closure {
            moves.push((self.src(value.args[0]), Loc::Reg(RDX)));
        }
        self.parallel_move(&moves);
        if is_closure {
            self.asm
                .op1(CodeAssembler::call, Mem { base: RDX, disp: 0 });
        } else {
            self.asm.call_sym(self.f.syms[value.aux as usize]);
        }
        let maps = &self.f.stack_maps;
        if let Some(map) = maps.maps.get(self.next_map)
            && map.call == v
        {
            let out_words = self.f.out_words;
            let words = maps.slots_of(map).iter().map(|&slot| out_words + slot);
            self.asm.safepoint(map.regs, words);
            self.next_map += 1;
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
        self.parallel_move(&moves);
        // Stack results last: their destinations may be result registers just read.
        for &r in results {
            let word = self.f.value(r).aux as u32;
            if convention.reg(word).is_none() {
                let d = self.def_reg(r);
                let off = convention.result_offset(n_args, word);
                let mem = Mem {
                    base: RSP,
                    disp: off as i32,
                };
                self.asm.op2(CodeAssembler::mov, GPR64[d as usize], mem);
                self.def_done(r);
            }
        }
    }

    /// Stores `v` at `mem`, its word or, if `byte`, its low byte: a constant as an immediate
    /// when it fits, anything else through its register or `scratch`.
    fn store<M: Operand<Asm = AsmMemoryOperand>>(
        &mut self,
        mem: M,
        v: ValueId,
        byte: bool,
        scratch: u8,
    ) {
        match self.src(v) {
            // A byte store writes the constant's low byte, as the register's.
            Src::Const(c) if byte => self.asm.op2(CodeAssembler::mov, mem, i32::from(c as i8)),
            Src::Const(c) if i32::try_from(c).is_ok() => {
                self.asm.op2(CodeAssembler::mov, mem, c as i32)
            }
            Src::Const(_) | Src::Loc(_) => {
                let reg = self.use_reg(v, scratch) as usize;
                if byte {
                    self.asm.op2(CodeAssembler::mov, mem, GPR8[reg]);
                } else {
                    self.asm.op2(CodeAssembler::mov, mem, GPR64[reg]);
                }
            }
        }
    }

    /// Returns the operand `[base + scale * index + disp]` of an indexed load or store,
    /// `scale` 1 for a byte and 8 for a word, its registers loaded into RAX and RCX where
    /// the values are in slots.
    fn index_mem(&mut self, base: ValueId, index: ValueId, disp: i64, byte: bool) -> IndexMem {
        IndexMem {
            base: self.use_reg(base, RAX),
            index: self.use_reg(index, RCX),
            scale: if byte { 1 } else { 8 },
            disp: disp as i32,
            byte,
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
                    let mem = Mem {
                        base: RSP,
                        disp: off as i32,
                    };
                    self.store(mem, value.args[0], false, RAX);
                }
            }
        }
        self.parallel_move(&moves);
    }

    fn move_loc(&mut self, src: Loc, dst: Loc) {
        match (src, dst) {
            (Loc::Reg(s), Loc::Reg(d)) => self.mov_reg(d, s),
            (Loc::Slot(s), Loc::Reg(d)) => {
                let mem = self.slot_mem(s);
                self.asm.op2(CodeAssembler::mov, GPR64[d as usize], mem);
            }
            (Loc::Reg(s), Loc::Slot(d)) => {
                let mem = self.slot_mem(d);
                self.asm.op2(CodeAssembler::mov, mem, GPR64[s as usize]);
            }
            (Loc::Slot(s), Loc::Slot(d)) => {
                let (from, to) = (self.slot_mem(s), self.slot_mem(d));
                self.asm.op2(CodeAssembler::mov, rdx, from);
                self.asm.op2(CodeAssembler::mov, to, rdx);
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

    /// Emits `v = if compare satisfies cond { yes } else { no }`: the compare, `no` into
    /// the result's register, then `CMOVcc` of `yes`. A load after the compare must leave
    /// the flags alone (`mov`, never the `xor` that `mov_const` writes for 0), so `no` is
    /// loaded first where the compare reads nothing from the result's register.
    fn select(&mut self, v: ValueId, compare: Compare, cond: Cond, yes: ValueId, no: ValueId) {
        // With `yes` already in the result's register, the move goes the other way.
        let d = self.def_reg(v);
        let (cond, yes, no) = if self.loc_is_reg(yes, d) && !self.loc_is_reg(no, d) {
            (cond.negate(), no, yes)
        } else {
            (cond, yes, no)
        };
        // A result in a slot is built in RCX: RAX and RDX are the compare's scratch
        // registers.
        let target = if self.loc(v) == Loc::Reg(d) { d } else { RCX };
        let (Compare::Cmp(x, y) | Compare::Test(x, y)) = compare;
        let early = self.loc_is_reg(no, target)
            || !(self.loc_is_reg(x, target) || self.loc_is_reg(y, target));
        if early {
            self.load_into(target, no);
        }
        match compare {
            Compare::Cmp(x, y) => {
                let xr = GPR64[self.use_reg(x, RAX) as usize];
                match self.src(y) {
                    Src::Const(0) => self.asm.op2(CodeAssembler::test, xr, xr),
                    Src::Const(c) if i32::try_from(c).is_ok() => {
                        self.asm.op2(CodeAssembler::cmp, xr, c as i32)
                    }
                    _ => {
                        let yr = self.use_reg(y, RDX);
                        self.asm.op2(CodeAssembler::cmp, xr, GPR64[yr as usize]);
                    }
                }
            }
            Compare::Test(x, y) => match self.src(y) {
                Src::Const(mask) if i32::try_from(mask).is_ok() => {
                    let xr = self.use_reg(x, RAX);
                    self.test_const(xr, mask);
                }
                _ => {
                    let xr = self.use_reg(x, RAX);
                    let yr = self.use_reg(y, RDX);
                    self.asm
                        .op2(CodeAssembler::test, GPR64[xr as usize], GPR64[yr as usize]);
                }
            },
        }
        if !early {
            self.load_keeping_flags(target, no);
        }
        let yr = if let Src::Loc(Loc::Reg(reg)) = self.src(yes) {
            reg
        } else {
            self.load_keeping_flags(RDX, yes);
            RDX
        };
        let build: RegReg = match cond {
            Cond::Eq => CodeAssembler::cmove,
            Cond::Ne => CodeAssembler::cmovne,
            Cond::Lt => CodeAssembler::cmovl,
            Cond::Le => CodeAssembler::cmovle,
            Cond::Gt => CodeAssembler::cmovg,
            Cond::Ge => CodeAssembler::cmovge,
            Cond::ULt => CodeAssembler::cmovb,
            Cond::ULe => CodeAssembler::cmovbe,
            Cond::UGt => CodeAssembler::cmova,
            Cond::UGe => CodeAssembler::cmovae,
        };
        self.asm
            .op2(build, GPR64[target as usize], GPR64[yr as usize]);
        self.mov_reg(d, target);
        self.def_done(v);
    }

    /// Loads `v` into register `dst` with `mov`s only, which leave the flags as they are.
    fn load_keeping_flags(&mut self, dst: u8, v: ValueId) {
        match self.src(v) {
            Src::Loc(Loc::Reg(reg)) => self.mov_reg(dst, reg),
            Src::Loc(Loc::Slot(slot)) => {
                let mem = self.slot_mem(slot);
                self.asm.op2(CodeAssembler::mov, GPR64[dst as usize], mem);
            }
            Src::Const(c) => match u32::try_from(c) {
                Ok(c32) => self.asm.op2(CodeAssembler::mov, GPR32[dst as usize], c32),
                Err(_) => self.asm.op2(CodeAssembler::mov, GPR64[dst as usize], c),
            },
        }
    }

    /// Emits `test` of register `r` with the 32-bit `mask` in the shortest form that sees
    /// every bit of the mask: a byte, then a long (its upper half zero), then the
    /// sign-extended quad.
    fn test_const(&mut self, r: u8, mask: i64) {
        let r = r as usize;
        if (0..=0xff).contains(&mask) {
            self.asm.op2(CodeAssembler::test, GPR8[r], mask as i32);
        } else if (0..=i64::from(i32::MAX)).contains(&mask) {
            self.asm.op2(CodeAssembler::test, GPR32[r], mask as i32);
        } else {
            self.asm.op2(CodeAssembler::test, GPR64[r], mask as i32);
        }
    }

    /// Reports whether `v` lives in register `reg`.
    fn loc_is_reg(&self, v: ValueId, reg: u8) -> bool {
        matches!(self.src(v), Src::Loc(Loc::Reg(r)) if r == reg)
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
                    let mem = Mem {
                        base: RSP,
                        disp: off as i32,
                    };
                    self.asm.op2(CodeAssembler::mov, GPR64[d as usize], mem);
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
                let build: RegReg = match value.op {
                    Op::Add => CodeAssembler::add,
                    Op::Sub => CodeAssembler::sub,
                    Op::Mul => CodeAssembler::imul_2,
                    Op::And => CodeAssembler::and,
                    Op::Or => CodeAssembler::or,
                    _ => CodeAssembler::xor,
                };
                self.asm.op2(build, dr, yr);
                self.def_done(v);
            }
            Op::AndNot => {
                let yr = self.use_reg(args[1], RDX);
                self.mov_reg(RCX, yr);
                self.asm.op1(CodeAssembler::not, rcx);
                let d = self.def_reg(v);
                self.load_into(d, args[0]);
                self.asm.op2(CodeAssembler::and, GPR64[d as usize], rcx);
                self.def_done(v);
            }
            Op::Min | Op::Max => {
                let (d, yr) = self.two_operand(v, args[0], args[1]);
                let (dr, yr) = (GPR64[d as usize], GPR64[yr as usize]);
                self.asm.op2(CodeAssembler::cmp, dr, yr);
                let build: RegReg = if value.op == Op::Min {
                    CodeAssembler::cmovg
                } else {
                    CodeAssembler::cmovl
                };
                self.asm.op2(build, dr, yr);
                self.def_done(v);
            }
            Op::Div | Op::Mod => self.div(v, value.op, args[0], args[1]),
            Op::CondSelect => self.select(
                v,
                Compare::Test(args[2], args[2]),
                Cond::Ne,
                args[0],
                args[1],
            ),
            Op::CMovTest => self.select(
                v,
                Compare::Test(args[0], args[1]),
                Cond::from_aux(aux),
                args[2],
                args[3],
            ),
            Op::CMov => self.select(
                v,
                Compare::Cmp(args[0], args[1]),
                Cond::from_aux(aux),
                args[2],
                args[3],
            ),
            Op::Lea => {
                // `lea` reads both operands before it writes: `d` may be either.
                let base = self.use_reg(args[0], RCX);
                let index = self.use_reg(args[1], RDX);
                let d = self.def_reg(v);
                let mem = Index {
                    base,
                    index,
                    scale: aux as u8,
                };
                self.asm.op2(CodeAssembler::lea, GPR64[d as usize], mem);
                self.def_done(v);
            }
            Op::DivConst | Op::ModConst => {
                self.div_const(v, value.op == Op::ModConst, args[0], aux)
            }
            Op::Shl | Op::Shr => {
                let yr = self.use_reg(args[1], RCX);
                self.mov_reg(RCX, yr);
                let d = self.def_reg(v);
                // A bounded count is below 64: the instruction's own masking is exact, and
                // the fix-up for larger counts is left out.
                let bounded = aux == 1;
                if value.op == Op::Shr {
                    if !bounded {
                        // Counts of 64 or more shift by 63: all sign bits.
                        self.asm.op2(CodeAssembler::mov, edx, 63u32);
                        self.asm.op2(CodeAssembler::cmp, rcx, 64);
                        self.asm.op2(CodeAssembler::cmovae, rcx, rdx);
                    }
                    self.load_into(d, args[0]);
                    self.asm.op2(CodeAssembler::sar, GPR64[d as usize], cl);
                } else {
                    self.load_into(d, args[0]);
                    self.asm.op2(CodeAssembler::shl, GPR64[d as usize], cl);
                    if !bounded {
                        // Counts of 64 or more give 0.
                        self.asm.op2(CodeAssembler::xor, edx, edx);
                        self.asm.op2(CodeAssembler::cmp, rcx, 64);
                        self.asm.op2(CodeAssembler::cmovae, GPR64[d as usize], rdx);
                    }
                }
                self.def_done(v);
            }
            Op::Neg | Op::Com | Op::Not => {
                let d = self.def_reg(v);
                self.load_into(d, args[0]);
                let dr = GPR64[d as usize];
                match value.op {
                    Op::Neg => self.asm.op1(CodeAssembler::neg, dr),
                    Op::Com => self.asm.op1(CodeAssembler::not, dr),
                    _ => self.asm.op2(CodeAssembler::xor, dr, 1),
                }
                self.def_done(v);
            }
            Op::ZeroExt8 => {
                // `movzx` reads its source before it writes: `d` may be the operand's register.
                // Writing the 32-bit register clears the upper half too, and needs no REX.W.
                let x = self.use_reg(args[0], RAX);
                let d = self.def_reg(v);
                self.asm
                    .op2(CodeAssembler::movzx, GPR32[d as usize], GPR8[x as usize]);
                self.def_done(v);
            }
            Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::ULt | Op::ULe => {
                let xr = self.use_reg(args[0], RAX);
                let yr = self.use_reg(args[1], RDX);
                self.asm
                    .op2(CodeAssembler::cmp, GPR64[xr as usize], GPR64[yr as usize]);
                let d = self.def_reg(v);
                let d8 = GPR8[d as usize];
                let build: fn(&mut CodeAssembler, AsmRegister8) -> Result<(), IcedError> =
                    match value.op.cond().expect("a comparison") {
                        Cond::Eq => CodeAssembler::sete,
                        Cond::Ne => CodeAssembler::setne,
                        Cond::Lt => CodeAssembler::setl,
                        Cond::Le => CodeAssembler::setle,
                        Cond::Gt => CodeAssembler::setg,
                        Cond::Ge => CodeAssembler::setge,
                        Cond::ULt => CodeAssembler::setb,
                        Cond::ULe => CodeAssembler::setbe,
                        Cond::UGt => CodeAssembler::seta,
                        Cond::UGe => CodeAssembler::setae,
                    };
                self.asm.op1(build, d8);
                self.asm.op2(CodeAssembler::movzx, GPR64[d as usize], d8);
                self.def_done(v);
            }
            Op::AddConst => {
                let d = self.def_reg(v);
                match self.loc(args[0]) {
                    Loc::Reg(x) if x != d => {
                        let mem = Mem {
                            base: x,
                            disp: aux as i32,
                        };
                        self.asm.op2(CodeAssembler::lea, GPR64[d as usize], mem);
                    }
                    _ => {
                        self.load_into(d, args[0]);
                        self.asm
                            .op2(CodeAssembler::add, GPR64[d as usize], aux as i32);
                    }
                }
                self.def_done(v);
            }
            Op::MulConst => {
                let d = self.def_reg(v);
                let x = self.use_reg(args[0], RAX);
                self.asm.op3(
                    CodeAssembler::imul_3,
                    GPR64[d as usize],
                    GPR64[x as usize],
                    aux as i32,
                );
                self.def_done(v);
            }
            Op::AndConst | Op::OrConst | Op::XorConst => {
                let d = self.def_reg(v);
                self.load_into(d, args[0]);
                let dr = GPR64[d as usize];
                let build: fn(&mut CodeAssembler, AsmRegister64, i32) -> Result<(), IcedError> =
                    match value.op {
                        Op::AndConst => CodeAssembler::and,
                        Op::OrConst => CodeAssembler::or,
                        _ => CodeAssembler::xor,
                    };
                self.asm.op2(build, dr, aux as i32);
                self.def_done(v);
            }
            Op::ShlConst | Op::SarConst => {
                let d = self.def_reg(v);
                self.load_into(d, args[0]);
                let dr = GPR64[d as usize];
                if value.op == Op::ShlConst {
                    self.asm.op2(CodeAssembler::shl, dr, aux as u32);
                } else {
                    self.asm.op2(CodeAssembler::sar, dr, aux as u32);
                }
                self.def_done(v);
            }
            Op::Cmp => {
                let xr = self.use_reg(args[0], RAX);
                let yr = self.use_reg(args[1], RDX);
                self.asm
                    .op2(CodeAssembler::cmp, GPR64[xr as usize], GPR64[yr as usize]);
            }
            Op::CmpConst => {
                let xr = GPR64[self.use_reg(args[0], RAX) as usize];
                // Against zero, `test` sets the same flags (OF and CF clear) in fewer bytes.
                if aux == 0 {
                    self.asm.op2(CodeAssembler::test, xr, xr);
                } else {
                    self.asm.op2(CodeAssembler::cmp, xr, aux as i32);
                }
            }
            Op::Test => {
                let xr = self.use_reg(args[0], RAX);
                let yr = self.use_reg(args[1], RDX);
                self.asm
                    .op2(CodeAssembler::test, GPR64[xr as usize], GPR64[yr as usize]);
            }
            Op::TestConst => {
                let r = self.use_reg(args[0], RAX);
                self.test_const(r, aux);
            }
            Op::Load => {
                let base = self.use_reg(args[0], RAX);
                let d = self.def_reg(v);
                let mem = Mem {
                    base,
                    disp: aux as i32,
                };
                self.asm.op2(CodeAssembler::mov, GPR64[d as usize], mem);
                self.def_done(v);
            }
            Op::Store => {
                let base = self.use_reg(args[0], RAX);
                let mem = Mem {
                    base,
                    disp: aux as i32,
                };
                self.store(mem, args[1], false, RDX);
            }
            Op::Load8 => {
                let base = self.use_reg(args[0], RAX);
                let d = self.def_reg(v);
                let mem = ByteMem {
                    base,
                    disp: aux as i32,
                };
                self.asm.op2(CodeAssembler::movzx, GPR64[d as usize], mem);
                self.def_done(v);
            }
            Op::Store8 => {
                let base = self.use_reg(args[0], RAX);
                let mem = ByteMem {
                    base,
                    disp: aux as i32,
                };
                self.store(mem, args[1], true, RDX);
            }
            Op::LoadIdx8 | Op::Load8Idx1 => {
                let byte = value.op == Op::Load8Idx1;
                let mem = self.index_mem(args[0], args[1], aux, byte);
                let d = self.def_reg(v);
                if byte {
                    self.asm.op2(CodeAssembler::movzx, GPR64[d as usize], mem);
                } else {
                    self.asm.op2(CodeAssembler::mov, GPR64[d as usize], mem);
                }
                self.def_done(v);
            }
            Op::StoreIdx8 | Op::Store8Idx1 => {
                let byte = value.op == Op::Store8Idx1;
                let mem = self.index_mem(args[0], args[1], aux, byte);
                self.store(mem, args[2], byte, RDX);
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
        let done = self.asm.new_label();
        if minus_one_possible {
            // x86 traps on MinInt64 / -1; Go defines it as MinInt64 (and % as 0).
            let divide = self.asm.new_label();
            self.asm.op2(CodeAssembler::cmp, yreg, -1);
            self.asm.jump(Code::Jne_rel8_64, divide);
            if op == Op::Div {
                self.asm.op1(CodeAssembler::neg, rax);
            } else {
                self.asm.op2(CodeAssembler::xor, eax, eax);
            }
            self.asm.jump(Code::Jmp_rel8_64, done);
            self.asm.place(divide);
        }
        self.asm.op0(CodeAssembler::cqo);
        self.asm.op1(CodeAssembler::idiv, yreg);
        if op == Op::Mod {
            self.asm.op2(CodeAssembler::mov, rax, rdx);
        }
        self.asm.place(done);
        let d = self.def_reg(v);
        self.mov_reg(d, RAX);
        self.def_done(v);
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
            self.asm.op2(CodeAssembler::mov, rdx, xreg);
            self.asm.op2(CodeAssembler::sar, rdx, 63);
            self.asm.op2(CodeAssembler::shr, rdx, 64 - k);
            self.asm.op2(CodeAssembler::add, rdx, xreg);
            if is_mod {
                self.asm.op2(CodeAssembler::and, rdx, -d as i32);
            } else {
                self.asm.op2(CodeAssembler::sar, rdx, k);
            }
        } else {
            let (magic, shift) = magic(d);
            self.asm.op2(CodeAssembler::mov, rax, magic);
            self.asm.op1(CodeAssembler::imul, xreg);
            if d > 0 && magic < 0 {
                self.asm.op2(CodeAssembler::add, rdx, xreg);
            } else if d < 0 && magic > 0 {
                self.asm.op2(CodeAssembler::sub, rdx, xreg);
            }
            if shift > 0 {
                self.asm.op2(CodeAssembler::sar, rdx, shift);
            }
            self.asm.op2(CodeAssembler::mov, rax, rdx);
            self.asm.op2(CodeAssembler::shr, rax, 63);
            self.asm.op2(CodeAssembler::add, rdx, rax);
            if is_mod {
                self.asm.op3(CodeAssembler::imul_3, rdx, rdx, d as i32);
            }
        }
        let dst = self.def_reg(v);
        if is_mod {
            // The power-of-two path left x rounded down to a multiple of d; the magic path
            // left q*d. Either way the remainder is x minus it.
            self.mov_reg(RAX, xr);
            self.asm.op2(CodeAssembler::sub, rax, rdx);
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
/// (no values, no phi copies to make), so they cost no `jmp` (Go's `trim`).
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
        if let Some(safepoint) = code.safepoints.iter().find(|point| point.ret == end) {
            text.push_str("    ; live:");
            for (reg, name) in REG_NAMES.iter().enumerate() {
                if safepoint.regs & (1 << reg) != 0 {
                    let _ = write!(text, " {name}");
                }
            }
            for word in code.live_words_of(safepoint) {
                let _ = write!(text, " [rsp+{}]", intel_number(8 * word));
            }
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

/// Writes `n` as the listing's Intel syntax does: decimal below 10, else hexadecimal with
/// an `h`, led by a 0 where it would start with a letter (`10h`, `0c0h`).
fn intel_number(n: u32) -> String {
    if n < 10 {
        return n.to_string();
    }
    let hex = format!("{n:x}h");
    if hex.starts_with(|c: char| c.is_ascii_alphabetic()) {
        format!("0{hex}")
    } else {
        hex
    }
}

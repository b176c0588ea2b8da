//! The SSA form of one function: values in blocks, in Go's `ssa.Func` manner.
//!
//! Values and blocks live in vectors and are named by index. A value belongs to the block
//! whose `values` list holds it; a removed value is simply dropped from that list. Live
//! blocks are those in `Func::order`, entry first; after `layout` the order is also the
//! order of the machine code.

use smallvec::SmallVec;

use crate::ssa::op::{BlockKind, Op};
use crate::types::ty::TypeId;
use crate::types::{FuncId, ObjId};

/// Index of a [`Value`] in [`Func::values`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ValueId(pub u32);

/// Index of a [`Block`] in [`Func::blocks`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(pub u32);

/// One operation producing (at most) one 64-bit word.
#[derive(Clone, Debug)]
pub struct Value {
    /// What it computes.
    pub op: Op,
    /// The constant, offset or symbol index the op needs.
    pub aux: i64,
    /// Its operands.
    pub args: SmallVec<[ValueId; 2]>,
    /// The block that holds it.
    pub block: BlockId,
    /// For a `Load`, an `Arg` or a `LoadResult`, whose op does not tell: whether the word
    /// is a pointer by its type (`TypeTable::word_pointers`), which construction knows.
    /// Other ops derive it from their operands (`regalloc::stackmap`); the stack maps of
    /// the collector rest on it.
    pub ptr: bool,
}

/// A basic block.
#[derive(Clone, Debug)]
pub struct Block {
    /// How it ends.
    pub kind: BlockKind,
    /// Its values in execution order; phis first.
    pub values: Vec<ValueId>,
    /// The blocks that jump here, in the order phi arguments follow.
    pub preds: SmallVec<[BlockId; 2]>,
    /// Where it goes: one for `Plain`, two (then, else) for `If`, none for `Ret`/`Exit`.
    pub succs: SmallVec<[BlockId; 2]>,
    /// The condition of an `If` or `IfCmp`.
    pub control: Option<ValueId>,
}

/// A symbol a function refers to; the driver maps symbols to linker units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sym {
    /// The code of a function or function literal.
    Func(FuncId),
    /// `main.init`, which initializes the package-level variables.
    Init,
    /// `main.main`.
    Main,
    /// The static closure of a function: a word holding its code address, which
    /// is what a function value that names it points to.
    FuncValue(FuncId),
    /// A package-level variable.
    Global(ObjId),
    /// String literal number `idx` of this function (`Func::strings`).
    Str(u32),
    /// A runtime function or datum.
    Runtime(Runtime),
    /// The descriptor of a type of the unit's package (`backend::typedesc`), which an `any`
    /// holds (`fmt.Printf`'s operands), and which the allocator is told for a cell, a copy
    /// for an `any` and a slice's array.
    Type(TypeId),
    /// The descriptor of the closure objects of a function literal: its code pointer and
    /// captured words, which of them are pointers.
    Closure(FuncId),
    /// The descriptor of an `any`, two words that may both be pointers (its type's
    /// descriptor and its value's copy): the element of `fmt.Printf`'s operand array.
    AnyType,
}

/// The runtime's entry points and data, as the generated code names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Runtime {
    /// `mallocgc(size, typ) ptr`: zeroed memory for an object of the type whose descriptor
    /// is at `typ` (an array of them when `size` is larger), or that holds no pointers when
    /// `typ` is 0; the one allocation entry point.
    Alloc,
    /// `concatstring2(p1, n1, p2, n2) (p, n)`. Written in Toy, on demand.
    Concat,
    /// `cmpstring(p1, n1, p2, n2) int`: -1, 0 or 1. Written in Toy, on demand.
    CmpString,
    /// `intstring(v) (p, n)`: `string(v)` of an integer, the UTF-8 encoding of code point
    /// `v`, or of U+FFFD when `v` is negative, a surrogate or past U+10FFFF. Written in
    /// Toy ([`Runtime::toy_name`]); linked only into programs that call it
    /// ([`Runtime::on_demand`]).
    IntString,
    /// `sprintf(format, operands, n) string`: `fmt.Sprintf` of the `n` operands, `any`
    /// values two words each in the array at `operands`. Written in Toy, on demand.
    Sprintf,
    /// `printlock(fd)`: starts a print statement to file descriptor `fd`.
    PrintLock,
    /// `printunlock()`: writes what the statement printed.
    PrintUnlock,
    /// `printstring(p, n)`.
    PrintString,
    /// `printint(x)`.
    PrintInt,
    /// `printbool(b)`. Written in Toy, on demand.
    PrintBool,
    /// `printpointer(p)`: a function value, in hexadecimal. Written in Toy, on demand.
    PrintPointer,
    /// `printsp()`.
    PrintSp,
    /// `printnl()`.
    PrintNl,
    /// `panicdivide()`: integer divide by zero.
    PanicDivide,
    /// `panicshift()`: negative shift amount.
    PanicShift,
    /// `panicnil()`: nil function value called.
    PanicNil,
    /// `gopanicint(x)`.
    PanicInt,
    /// `gopanicbool(b)`.
    PanicBool,
    /// `gopanicstring(p, n)`.
    PanicString,
    /// `morestack()`: the stack bound was crossed.
    StackOverflow,
    /// Internal: appends `rcx` bytes at `rsi` to the print buffer.
    PrintBytes,
    /// Internal: writes the print buffer out.
    Flush,
    /// The program's entry point.
    Entry,
    /// The runtime's variables; the first word is the lowest address `rsp` may reach on
    /// function entry (the stack guard).
    Data,
    /// `makeslice(size, len, cap, typ) ptr`, `typ` the element's descriptor or 0 if it holds
    /// no pointers. Written in Toy, on demand.
    MakeSlice,
    /// `growslice(ptr, newlen, oldcap, oldlen, size, typ) (ptr, newcap)`, `typ` as for
    /// `makeslice`. Written in Toy, on demand.
    GrowSlice,
    /// `memmove(dst, src, n)`.
    MemMove,
    /// `printslice(ptr, len, cap)`. Written in Toy, on demand.
    PrintSlice,
    /// `panicIndex(x, y)`: `index out of range [x] with length y`.
    PanicIndex,
    /// `panicSliceAlen(x, y)`: `slice bounds out of range [:x] with length y` (a string).
    PanicSliceAlen,
    /// `panicSliceAcap(x, y)`: `slice bounds out of range [:x] with capacity y`.
    PanicSliceAcap,
    /// `panicSliceB(x, y)`: `slice bounds out of range [x:y]`.
    PanicSliceB,
    /// `panicSlice3Alen(x, y)`: `slice bounds out of range [::x] with length y`.
    PanicSlice3Alen,
    /// `panicSlice3Acap(x, y)`: `slice bounds out of range [::x] with capacity y`.
    PanicSlice3Acap,
    /// `panicSlice3B(x, y)`: `slice bounds out of range [:x:y]`.
    PanicSlice3B,
    /// `panicSlice3C(x, y)`: `slice bounds out of range [x:y:]`.
    PanicSlice3C,
    /// `panicmakeslicelen()`.
    PanicMakeSliceLen,
    /// `panicmakeslicecap()`.
    PanicMakeSliceCap,
    /// `growslice: len out of range`.
    PanicGrowSlice,
    /// `syscall6(num, a1, a2, a3, a4, a5, a6) r`: Linux system call `num`, its raw result
    /// (a negative errno on failure).
    Syscall,
    /// `saveregs(buf)`: stores the callee-saved registers (BX, BP, R12–R15), then its
    /// return address and its caller's stack pointer, in the 8 words at `buf`: where the
    /// collector starts to walk the stack.
    SaveRegs,
    /// `memclrNoHeapPointers(p, n)`: zeroes `n` bytes at `p`.
    MemClr,
    /// `throw(p, n)`: `fatal error: ` and the string to standard error, exit status 2.
    Throw,
    /// The function table the linker writes (`backend::functab`), as Go's `pclntab`: the
    /// compiled functions' frames and stack maps, and the package variables' pointer
    /// words, which the collector reads.
    Functab,
}

impl Runtime {
    /// The runtime symbols every executable has, in the fixed order they are laid out.
    pub const ALL: [Runtime; 17] = [
        Runtime::PrintLock,
        Runtime::PrintUnlock,
        Runtime::PrintString,
        Runtime::PrintInt,
        Runtime::PrintSp,
        Runtime::PrintNl,
        Runtime::PanicDivide,
        Runtime::PanicShift,
        Runtime::PanicNil,
        Runtime::PanicInt,
        Runtime::PanicBool,
        Runtime::PanicString,
        Runtime::StackOverflow,
        Runtime::PrintBytes,
        Runtime::Flush,
        Runtime::Entry,
        Runtime::Data,
    ];

    /// The runtime functions linked only into a program whose code refers to them, directly
    /// or through another runtime function: those Level 2 added, and those written in Toy,
    /// which are units compiled only when called. The assembly ones are laid out after the
    /// others, in this fixed order; the Toy ones by their `FuncId` in the runtime.
    pub const ON_DEMAND: [Runtime; 26] = [
        Runtime::Alloc,
        Runtime::Syscall,
        Runtime::SaveRegs,
        Runtime::MemClr,
        Runtime::Throw,
        Runtime::PrintBool,
        Runtime::PrintPointer,
        Runtime::Concat,
        Runtime::CmpString,
        Runtime::IntString,
        Runtime::Sprintf,
        Runtime::MakeSlice,
        Runtime::GrowSlice,
        Runtime::MemMove,
        Runtime::PrintSlice,
        Runtime::PanicIndex,
        Runtime::PanicSliceAlen,
        Runtime::PanicSliceAcap,
        Runtime::PanicSliceB,
        Runtime::PanicSlice3Alen,
        Runtime::PanicSlice3Acap,
        Runtime::PanicSlice3B,
        Runtime::PanicSlice3C,
        Runtime::PanicMakeSliceLen,
        Runtime::PanicMakeSliceCap,
        Runtime::PanicGrowSlice,
    ];

    /// Returns Go's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Alloc => "runtime.mallocgc",
            Runtime::Concat => "runtime.concatstring2",
            Runtime::CmpString => "runtime.cmpstring",
            Runtime::IntString => "runtime.intstring",
            Runtime::Sprintf => "runtime.sprintf",
            Runtime::PrintLock => "runtime.printlock",
            Runtime::PrintUnlock => "runtime.printunlock",
            Runtime::PrintString => "runtime.printstring",
            Runtime::PrintInt => "runtime.printint",
            Runtime::PrintBool => "runtime.printbool",
            Runtime::PrintPointer => "runtime.printpointer",
            Runtime::PrintSp => "runtime.printsp",
            Runtime::PrintNl => "runtime.printnl",
            Runtime::PanicDivide => "runtime.panicdivide",
            Runtime::PanicShift => "runtime.panicshift",
            Runtime::PanicNil => "runtime.panicmem",
            Runtime::PanicInt => "runtime.gopanicint",
            Runtime::PanicBool => "runtime.gopanicbool",
            Runtime::PanicString => "runtime.gopanicstring",
            Runtime::StackOverflow => "runtime.morestack",
            Runtime::PrintBytes => "runtime.printbytes",
            Runtime::Flush => "runtime.flush",
            Runtime::Entry => "_rt0_amd64_linux",
            Runtime::Data => "runtime.data",
            Runtime::MakeSlice => "runtime.makeslice",
            Runtime::GrowSlice => "runtime.growslice",
            Runtime::MemMove => "runtime.memmove",
            Runtime::PrintSlice => "runtime.printslice",
            Runtime::PanicIndex => "runtime.panicIndex",
            Runtime::PanicSliceAlen => "runtime.panicSliceAlen",
            Runtime::PanicSliceAcap => "runtime.panicSliceAcap",
            Runtime::PanicSliceB => "runtime.panicSliceB",
            Runtime::PanicSlice3Alen => "runtime.panicSlice3Alen",
            Runtime::PanicSlice3Acap => "runtime.panicSlice3Acap",
            Runtime::PanicSlice3B => "runtime.panicSlice3B",
            Runtime::PanicSlice3C => "runtime.panicSlice3C",
            Runtime::PanicMakeSliceLen => "runtime.panicmakeslicelen",
            Runtime::PanicMakeSliceCap => "runtime.panicmakeslicecap",
            Runtime::PanicGrowSlice => "runtime.panicgrowslice",
            Runtime::Syscall => "runtime.syscall6",
            Runtime::SaveRegs => "runtime.saveregs",
            Runtime::MemClr => "runtime.memclrNoHeapPointers",
            Runtime::Throw => "runtime.throw",
            Runtime::Functab => "runtime.functab",
        }
    }

    /// Reports whether the function is linked only into programs whose code calls it. The
    /// assembly runtime of Level 1 is always linked whole; what later levels add, and every
    /// function written in Toy, is linked on demand, so a program that does not use it
    /// pays nothing for it.
    pub fn on_demand(self) -> bool {
        match self {
            Runtime::PrintBool
            | Runtime::PrintPointer
            | Runtime::Concat
            | Runtime::CmpString
            | Runtime::IntString
            | Runtime::Sprintf
            | Runtime::MakeSlice
            | Runtime::GrowSlice
            | Runtime::MemMove
            | Runtime::PrintSlice
            | Runtime::PanicIndex
            | Runtime::PanicSliceAlen
            | Runtime::PanicSliceAcap
            | Runtime::PanicSliceB
            | Runtime::PanicSlice3Alen
            | Runtime::PanicSlice3Acap
            | Runtime::PanicSlice3B
            | Runtime::PanicSlice3C
            | Runtime::PanicMakeSliceLen
            | Runtime::PanicMakeSliceCap
            | Runtime::PanicGrowSlice
            | Runtime::Alloc
            | Runtime::Syscall
            | Runtime::SaveRegs
            | Runtime::MemClr
            | Runtime::Throw
            | Runtime::Functab => true,
            Runtime::PrintLock
            | Runtime::PrintUnlock
            | Runtime::PrintString
            | Runtime::PrintInt
            | Runtime::PrintSp
            | Runtime::PrintNl
            | Runtime::PanicDivide
            | Runtime::PanicShift
            | Runtime::PanicNil
            | Runtime::PanicInt
            | Runtime::PanicBool
            | Runtime::PanicString
            | Runtime::StackOverflow
            | Runtime::PrintBytes
            | Runtime::Flush
            | Runtime::Entry
            | Runtime::Data => false,
        }
    }

    /// Returns the name of the function of the runtime's Toy source (`crate::runtime`)
    /// that implements it, or `None` for what is assembly (`amd64::runtime`). Compiled
    /// code calls the former with the compiled functions' convention, the latter with
    /// ABI0.
    pub fn toy_name(self) -> Option<&'static str> {
        match self {
            Runtime::Concat => Some("concatstring2"),
            Runtime::CmpString => Some("cmpstring"),
            Runtime::IntString => Some("intstring"),
            Runtime::Sprintf => Some("sprintf"),
            Runtime::MakeSlice => Some("makeslice"),
            Runtime::GrowSlice => Some("growslice"),
            Runtime::PrintBool => Some("printbool"),
            Runtime::PrintPointer => Some("printpointer"),
            Runtime::PrintSlice => Some("printslice"),
            Runtime::Alloc => Some("mallocgc"),
            Runtime::Syscall
            | Runtime::SaveRegs
            | Runtime::MemClr
            | Runtime::Throw
            | Runtime::Functab
            | Runtime::PrintLock
            | Runtime::PrintUnlock
            | Runtime::PrintString
            | Runtime::PrintInt
            | Runtime::PrintSp
            | Runtime::PrintNl
            | Runtime::PanicDivide
            | Runtime::PanicShift
            | Runtime::PanicNil
            | Runtime::PanicInt
            | Runtime::PanicBool
            | Runtime::PanicString
            | Runtime::StackOverflow
            | Runtime::PrintBytes
            | Runtime::Flush
            | Runtime::Entry
            | Runtime::Data
            | Runtime::MemMove
            | Runtime::PanicIndex
            | Runtime::PanicSliceAlen
            | Runtime::PanicSliceAcap
            | Runtime::PanicSliceB
            | Runtime::PanicSlice3Alen
            | Runtime::PanicSlice3Acap
            | Runtime::PanicSlice3B
            | Runtime::PanicSlice3C
            | Runtime::PanicMakeSliceLen
            | Runtime::PanicMakeSliceCap
            | Runtime::PanicGrowSlice => None,
        }
    }

    /// Returns the result words of a call of this function, each true where its type
    /// makes it a pointer (`TypeTable::word_pointers`).
    pub fn results(self) -> &'static [bool] {
        match self {
            Runtime::Alloc | Runtime::MakeSlice => &[true],
            Runtime::Concat | Runtime::IntString | Runtime::Sprintf | Runtime::GrowSlice => {
                &[true, false]
            }
            Runtime::CmpString | Runtime::Syscall => &[false],
            Runtime::SaveRegs
            | Runtime::MemClr
            | Runtime::Throw
            | Runtime::Functab
            | Runtime::PrintLock
            | Runtime::PrintUnlock
            | Runtime::PrintString
            | Runtime::PrintInt
            | Runtime::PrintBool
            | Runtime::PrintPointer
            | Runtime::PrintSp
            | Runtime::PrintNl
            | Runtime::PanicDivide
            | Runtime::PanicShift
            | Runtime::PanicNil
            | Runtime::PanicInt
            | Runtime::PanicBool
            | Runtime::PanicString
            | Runtime::StackOverflow
            | Runtime::PrintBytes
            | Runtime::Flush
            | Runtime::Entry
            | Runtime::Data
            | Runtime::MemMove
            | Runtime::PrintSlice
            | Runtime::PanicIndex
            | Runtime::PanicSliceAlen
            | Runtime::PanicSliceAcap
            | Runtime::PanicSliceB
            | Runtime::PanicSlice3Alen
            | Runtime::PanicSlice3Acap
            | Runtime::PanicSlice3B
            | Runtime::PanicSlice3C
            | Runtime::PanicMakeSliceLen
            | Runtime::PanicMakeSliceCap
            | Runtime::PanicGrowSlice => &[],
        }
    }
}

/// A function in SSA form.
#[derive(Clone, Debug, Default)]
pub struct Func {
    /// Go's name for it (`main`, `outer.func1`).
    pub name: String,
    /// All values ever created.
    pub values: Vec<Value>,
    /// All blocks ever created.
    pub blocks: Vec<Block>,
    /// The live blocks, entry first.
    pub order: Vec<BlockId>,
    /// Symbols referred to by `Addr` and `StaticCall` values.
    pub syms: Vec<Sym>,
    /// Index of each symbol in `syms`.
    sym_index: rustc_hash::FxHashMap<Sym, i64>,
    /// String literals, referred to as `Sym::Str`: the checker's bytes, shared.
    pub strings: Vec<std::sync::Arc<[u8]>>,
    /// Words of arguments the caller passes.
    pub arg_words: u32,
    /// Words of results.
    pub result_words: u32,
    /// The most words of arguments and results any call from here needs.
    pub out_words: u32,
    /// After register allocation: each value's location, if it produces a word.
    pub locs: Vec<Option<crate::ssa::regalloc::Loc>>,
    /// After register allocation: spill slots and saved registers.
    pub frame: crate::ssa::regalloc::Frame,
    /// After register allocation: where the pointers live across each call are.
    pub stack_maps: crate::ssa::regalloc::stackmap::StackMaps,
}

impl Func {
    /// Returns an empty function with room for `values` values and `blocks` blocks.
    pub fn with_capacity(values: usize, blocks: usize) -> Func {
        Func {
            values: Vec::with_capacity(values),
            blocks: Vec::with_capacity(blocks),
            ..Func::default()
        }
    }

    /// Returns the entry block.
    pub fn entry(&self) -> BlockId {
        self.order[0]
    }

    /// Returns value `id`.
    pub fn value(&self, id: ValueId) -> &Value {
        &self.values[id.0 as usize]
    }

    /// Returns block `id`.
    pub fn block(&self, id: BlockId) -> &Block {
        &self.blocks[id.0 as usize]
    }

    /// Adds an empty block of kind `Plain` and returns it (not yet in `order`).
    pub fn new_block(&mut self) -> BlockId {
        let id = BlockId(self.blocks.len() as u32);
        self.blocks.push(Block {
            kind: BlockKind::Plain,
            values: Vec::new(),
            preds: SmallVec::new(),
            succs: SmallVec::new(),
            control: None,
        });
        id
    }

    /// Creates a value without placing it in its block's list.
    pub fn new_value_detached(
        &mut self,
        block: BlockId,
        op: Op,
        aux: i64,
        args: &[ValueId],
    ) -> ValueId {
        let id = ValueId(self.values.len() as u32);
        self.values.push(Value {
            op,
            aux,
            args: SmallVec::from_slice(args),
            block,
            ptr: false,
        });
        id
    }

    /// Appends a new value to `block`.
    pub fn new_value(&mut self, block: BlockId, op: Op, aux: i64, args: &[ValueId]) -> ValueId {
        let id = self.new_value_detached(block, op, aux, args);
        self.blocks[block.0 as usize].values.push(id);
        id
    }

    /// Adds the edge `from → to`.
    pub fn add_edge(&mut self, from: BlockId, to: BlockId) {
        self.blocks[from.0 as usize].succs.push(to);
        self.blocks[to.0 as usize].preds.push(from);
    }

    /// Turns branch `block` into a jump to `taken`, one of its successors: the other edge
    /// leaves the dropped successor's predecessors and phis.
    pub fn jump(&mut self, block: BlockId, taken: BlockId) {
        let b = &mut self.blocks[block.0 as usize];
        let dropped = if b.succs[0] == taken {
            b.succs[1]
        } else {
            b.succs[0]
        };
        b.kind = BlockKind::Plain;
        b.control = None;
        b.succs.clear();
        b.succs.push(taken);
        // Where both edges went to `taken`, one of them goes.
        let pos = self.blocks[dropped.0 as usize]
            .preds
            .iter()
            .position(|&p| p == block)
            .expect("a successor lists its predecessor");
        self.blocks[dropped.0 as usize].preds.remove(pos);
        self.remove_phi_args(dropped, |idx| idx != pos);
    }

    /// Keeps the phi arguments of `block` whose index `keep` accepts, after its predecessors
    /// changed alike. A phi left with one argument becomes a copy of it.
    pub fn remove_phi_args(&mut self, block: BlockId, keep: impl Fn(usize) -> bool) {
        let mut copies = false;
        for idx in 0..self.blocks[block.0 as usize].values.len() {
            let v = self.blocks[block.0 as usize].values[idx];
            let value = &mut self.values[v.0 as usize];
            if value.op == Op::Phi {
                let mut arg = 0;
                value.args.retain(|_| {
                    arg += 1;
                    keep(arg - 1)
                });
                if value.args.len() == 1 {
                    value.op = Op::Copy;
                    copies = true;
                }
            }
        }
        if copies {
            self.phis_first(block);
        }
    }

    /// Moves the copies that phis of `block` became behind its remaining phis. Phis and
    /// such copies lead the block, so a stable sort of that run is enough.
    pub fn phis_first(&mut self, block: BlockId) {
        let values = &mut self.blocks[block.0 as usize].values;
        let lead = values
            .iter()
            .take_while(|&&v| matches!(self.values[v.0 as usize].op, Op::Phi | Op::Copy))
            .count();
        values[..lead].sort_by_key(|&v| self.values[v.0 as usize].op != Op::Phi);
    }

    /// Returns the index of symbol `sym`, adding it if new.
    pub fn sym(&mut self, sym: Sym) -> i64 {
        let next = self.syms.len() as i64;
        let idx = *self.sym_index.entry(sym).or_insert(next);
        if idx == next {
            self.syms.push(sym);
        }
        idx
    }

    /// Lists every `runtime.mallocgc` call with the result that is its allocation's
    /// address (calls and their results are adjacent, so one pass over the blocks finds
    /// them).
    pub fn allocations(&self) -> Vec<(ValueId, ValueId)> {
        let mut allocs = Vec::new();
        for &block in &self.order {
            let mut alloc_call = None;
            for &v in &self.block(block).values {
                let value = self.value(v);
                match value.op {
                    Op::StaticCall => {
                        alloc_call = (self.syms[value.aux as usize]
                            == Sym::Runtime(Runtime::Alloc))
                        .then_some(v);
                    }
                    Op::LoadResult => {
                        if let Some(call) = alloc_call.take() {
                            allocs.push((call, v));
                        }
                    }
                    _ => alloc_call = None,
                }
            }
        }
        allocs
    }

    /// Counts the uses of every value by live values and block controls.
    pub fn use_counts(&self) -> Vec<u32> {
        let mut uses = vec![0u32; self.values.len()];
        for &block in &self.order {
            let block = self.block(block);
            for &v in &block.values {
                for &arg in &self.value(v).args {
                    uses[arg.0 as usize] += 1;
                }
            }
            if let Some(control) = block.control {
                uses[control.0 as usize] += 1;
            }
        }
        uses
    }
}

//! The operations of SSA values and the kinds of blocks, generic and amd64-specific.
//!
//! Generic operations are what `build` produces; `amd64::lower` replaces some of them with
//! machine operations (immediate operands, flag-setting compares fused into branches), as
//! Go's lowering rules do. Every value is one 64-bit word: an `int`, a `bool` (0 or 1), a
//! `byte` (zero-extended, see `ZeroExt8`), a pointer or a length; a `string` is two values,
//! a slice three, a function value one (a closure pointer).

/// What a value computes. `aux` (in `Value`) carries the constant, offset or symbol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// The constant `aux`.
    Const,
    /// The address of symbol `syms[aux]`.
    Addr,
    /// Incoming argument word `aux`.
    Arg,
    /// The closure pointer the caller passed (Go's `GetClosurePtr`).
    ClosurePtr,
    /// A copy of `args[0]`.
    Copy,
    /// One argument per predecessor, in predecessor order.
    Phi,
    /// `args[0] + args[1]`, wrapping.
    Add,
    /// `args[0] - args[1]`, wrapping.
    Sub,
    /// `args[0] * args[1]`, wrapping.
    Mul,
    /// `args[0] / args[1]`, truncated; the divisor is known non-zero (the builder checks it).
    /// `MinInt64 / -1` is `MinInt64`, as in Go.
    Div,
    /// `args[0] % args[1]`, with the dividend's sign; divisor known non-zero.
    Mod,
    /// Bitwise and.
    And,
    /// Bitwise or.
    Or,
    /// Bitwise exclusive or.
    Xor,
    /// `args[0] &^ args[1]`.
    AndNot,
    /// `args[0] << args[1]`; the count is known non-negative, and 64 or more gives 0. An
    /// `aux` of 1 says the count is known to be below 64 (Go's `bounded`): no fix-up.
    Shl,
    /// `args[0] >> args[1]` (arithmetic); count non-negative, 64 or more gives 0 or -1.
    /// `aux` as for `Shl`.
    Shr,
    /// Negation.
    Neg,
    /// Bitwise complement.
    Com,
    /// The low 8 bits of `args[0]`, zero-extended (Go's `ZeroExt8to64`, amd64 `MOVBQZX`):
    /// what keeps a `byte` in its word after an operation that can leave 0..=255.
    ZeroExt8,
    /// Boolean not of 0 or 1.
    Not,
    /// The smaller of two ints.
    Min,
    /// The larger of two ints.
    Max,
    /// Comparisons of two words, giving 0 or 1.
    Eq,
    /// `!=`.
    Ne,
    /// Signed `<`.
    Lt,
    /// Signed `<=`.
    Le,
    /// Signed `>`.
    Gt,
    /// Signed `>=`.
    Ge,
    /// Unsigned `<`: a bounds check's `0 <= i < n` in one comparison.
    ULt,
    /// Unsigned `<=`: a slice bound's `0 <= i <= n` in one comparison.
    ULe,
    /// The word at `args[0] + aux`. Ordered with the other memory operations.
    Load,
    /// Stores `args[1]` at `args[0] + aux`.
    Store,
    /// The byte at `args[0] + aux`, zero-extended (amd64 `MOVBQZX` from memory): an element
    /// of one byte (a `bool`, a `byte`), the runtime's `sys.LoadByte`. Ordered with the other
    /// memory operations.
    Load8,
    /// Stores the low byte of `args[1]` at `args[0] + aux` (amd64 `MOVB`): an element of
    /// one byte, the runtime's `sys.StoreByte`.
    Store8,
    /// Result word `aux` of the call just made. A call's results follow it directly, all of
    /// them, in order: emission moves them out of the convention's places at the call.
    LoadResult,
    /// Makes `args[0]` this function's result word `aux`. They end a `Ret` block, all of
    /// them, in order: emission moves them into place together.
    SetResult,
    /// Calls `syms[aux]` with argument words `args`; clobbers every caller-saved register.
    StaticCall,
    /// Calls the function value `args[0]` (non-nil: the builder checks it) with argument
    /// words `args[1..]`.
    ClosureCall,
    /// `args[0] + aux` (amd64 `ADDQconst`).
    AddConst,
    /// `args[0] * aux` (amd64 `IMULQconst`).
    MulConst,
    /// `args[0] & aux`.
    AndConst,
    /// `args[0] | aux`.
    OrConst,
    /// `args[0] ^ aux`.
    XorConst,
    /// `args[0] << aux`, `aux` in 0..64.
    ShlConst,
    /// `args[0] >> aux` (arithmetic), `aux` in 0..64.
    SarConst,
    /// `args[0] / aux` for a constant `aux` other than 0, 1 and -1: a multiplication by a
    /// magic number (Granlund and Montgomery), or shifts for a power of two.
    DivConst,
    /// `args[0] % aux`, likewise.
    ModConst,
    /// `args[0] + args[1] * aux`, `aux` 1, 2, 4 or 8 (amd64 `LEAQ1` to `LEAQ8`).
    Lea,
    /// Compares `args[0]` with `args[1]` and sets the flags for its block's branch.
    Cmp,
    /// Compares `args[0]` with `aux`, for its block's branch.
    CmpConst,
    /// Sets the flags as `args[0] & args[1]` does, for its block's `EQ` or `NE` branch
    /// (amd64 `TESTQ`).
    Test,
    /// Sets the flags as `args[0] & aux` does, for its block's `EQ` or `NE` branch (amd64
    /// `TESTQconst`, or its byte and long forms for a small mask).
    TestConst,
    /// `args[0]` if the word `args[2]` is not 0, else `args[1]` (Go's `CondSelect`): the
    /// join of a small diamond without its branch (`condselect`).
    CondSelect,
    /// `args[2]` if `args[0]` and `args[1]` satisfy the condition `aux` (a `Cond` as
    /// `Cond::from_aux` reads it), else `args[3]`: a compare and a conditional move (amd64
    /// `CMPQ` and `CMOVQcc`). The value sets its own flags, so no flags outlive it.
    CMov,
    /// `args[2]` if `args[0] & args[1]` satisfies the condition `aux` against 0 (`EQ` or
    /// `NE`), else `args[3]`: amd64 `TESTQ` (`TESTQconst` for a constant mask) and
    /// `CMOVQcc`.
    CMovTest,
    /// The word at `args[0] + 8 * args[1] + aux` (amd64 `MOVQloadidx8`): a slice's element.
    /// Ordered with the other memory operations.
    LoadIdx8,
    /// Stores `args[2]` at `args[0] + 8 * args[1] + aux` (amd64 `MOVQstoreidx8`).
    StoreIdx8,
    /// The byte at `args[0] + args[1] + aux`, zero-extended (amd64 `MOVBQZXloadidx1`): an
    /// element of one byte. Ordered with the other memory operations.
    Load8Idx1,
    /// Stores the low byte of `args[2]` at `args[0] + args[1] + aux` (amd64
    /// `MOVBstoreidx1`).
    Store8Idx1,
}

impl Op {
    /// Returns Go's name for the operation, as `GOSSAFUNC` prints it.
    pub fn name(self) -> &'static str {
        match self {
            Op::Const => "Const64",
            Op::Addr => "Addr",
            Op::Arg => "Arg",
            Op::ClosurePtr => "GetClosurePtr",
            Op::Copy => "Copy",
            Op::Phi => "Phi",
            Op::Add => "Add64",
            Op::Sub => "Sub64",
            Op::Mul => "Mul64",
            Op::Div => "Div64",
            Op::Mod => "Mod64",
            Op::And => "And64",
            Op::Or => "Or64",
            Op::Xor => "Xor64",
            Op::AndNot => "AndNot64",
            Op::Shl => "Lsh64x64",
            Op::Shr => "Rsh64x64",
            Op::Neg => "Neg64",
            Op::Com => "Com64",
            Op::ZeroExt8 => "ZeroExt8to64",
            Op::Not => "Not",
            Op::Min => "Min64",
            Op::Max => "Max64",
            Op::Eq => "Eq64",
            Op::Ne => "Neq64",
            Op::Lt => "Less64",
            Op::Le => "Leq64",
            Op::Gt => "Greater64",
            Op::Ge => "Geq64",
            Op::ULt => "Less64U",
            Op::ULe => "Leq64U",
            Op::Load => "Load",
            Op::Store => "Store",
            Op::Load8 => "Load8",
            Op::Store8 => "Store8",
            Op::LoadResult => "LoadResult",
            Op::SetResult => "SetResult",
            Op::StaticCall => "StaticCall",
            Op::ClosureCall => "ClosureCall",
            Op::AddConst => "AMD64ADDQconst",
            Op::MulConst => "AMD64IMULQconst",
            Op::AndConst => "AMD64ANDQconst",
            Op::OrConst => "AMD64ORQconst",
            Op::XorConst => "AMD64XORQconst",
            Op::ShlConst => "AMD64SHLQconst",
            Op::SarConst => "AMD64SARQconst",
            Op::DivConst => "AMD64DIVQconst",
            Op::ModConst => "AMD64MODQconst",
            Op::Lea => "AMD64LEAQ",
            Op::Cmp => "AMD64CMPQ",
            Op::CmpConst => "AMD64CMPQconst",
            Op::Test => "AMD64TESTQ",
            Op::TestConst => "AMD64TESTQconst",
            Op::CondSelect => "CondSelect",
            Op::CMov => "AMD64CMOVQcc",
            Op::CMovTest => "AMD64CMOVQccTEST",
            Op::LoadIdx8 => "AMD64MOVQloadidx8",
            Op::StoreIdx8 => "AMD64MOVQstoreidx8",
            Op::Load8Idx1 => "AMD64MOVBQZXloadidx1",
            Op::Store8Idx1 => "AMD64MOVBstoreidx1",
        }
    }

    /// Reports whether the value must stay where it is and must not be removed even if
    /// unused: it reads or writes memory, or calls.
    pub fn has_effect(self) -> bool {
        matches!(
            self,
            Op::Load
                | Op::Store
                | Op::Load8
                | Op::Store8
                | Op::LoadIdx8
                | Op::StoreIdx8
                | Op::Load8Idx1
                | Op::Store8Idx1
                | Op::LoadResult
                | Op::SetResult
                | Op::StaticCall
                | Op::ClosureCall
                | Op::Arg
                | Op::ClosurePtr
        )
    }

    /// Reports whether a value must be kept even if unused: it has an effect other than
    /// reading memory. A load stays in place among the stores (`has_effect`), but an
    /// unused one goes: no run-time check rests on a load's fault, they are explicit
    /// branches.
    pub fn is_kept(self) -> bool {
        match self {
            // An unused argument needs no move from its register and no load from its
            // stack slot; the others keep their word numbers.
            Op::Arg | Op::Load | Op::Load8 | Op::LoadIdx8 | Op::Load8Idx1 => false,
            _ => self.has_effect(),
        }
    }

    /// Reports whether the operation is generic, as `build` produces it, rather than an
    /// amd64 one that only `lower` introduces.
    pub fn is_generic(self) -> bool {
        match self {
            Op::Const
            | Op::Addr
            | Op::Arg
            | Op::ClosurePtr
            | Op::Copy
            | Op::Phi
            | Op::Add
            | Op::Sub
            | Op::Mul
            | Op::Div
            | Op::Mod
            | Op::And
            | Op::Or
            | Op::Xor
            | Op::AndNot
            | Op::Shl
            | Op::Shr
            | Op::Neg
            | Op::Com
            | Op::ZeroExt8
            | Op::Not
            | Op::Min
            | Op::Max
            | Op::Eq
            | Op::Ne
            | Op::Lt
            | Op::Le
            | Op::Gt
            | Op::Ge
            | Op::ULt
            | Op::ULe
            | Op::Load
            | Op::Store
            | Op::Load8
            | Op::Store8
            | Op::LoadResult
            | Op::SetResult
            | Op::StaticCall
            | Op::ClosureCall
            | Op::CondSelect => true,
            Op::AddConst
            | Op::MulConst
            | Op::AndConst
            | Op::OrConst
            | Op::XorConst
            | Op::ShlConst
            | Op::SarConst
            | Op::DivConst
            | Op::ModConst
            | Op::Lea
            | Op::Cmp
            | Op::CmpConst
            | Op::Test
            | Op::TestConst
            | Op::CMov
            | Op::CMovTest
            | Op::LoadIdx8
            | Op::StoreIdx8
            | Op::Load8Idx1
            | Op::Store8Idx1 => false,
        }
    }

    /// Reports whether the value is a call.
    pub fn is_call(self) -> bool {
        matches!(self, Op::StaticCall | Op::ClosureCall)
    }

    /// Reports whether the value produces a word that needs a location (a register or a
    /// stack slot). Stores, calls and flag-setting compares do not.
    pub fn has_result(self) -> bool {
        !matches!(
            self,
            Op::Store
                | Op::Store8
                | Op::SetResult
                | Op::StaticCall
                | Op::ClosureCall
                | Op::Cmp
                | Op::CmpConst
                | Op::Test
                | Op::TestConst
        )
    }

    /// Reports whether the operands may be swapped.
    pub fn is_commutative(self) -> bool {
        matches!(
            self,
            Op::Add | Op::Mul | Op::And | Op::Or | Op::Xor | Op::Min | Op::Max | Op::Eq | Op::Ne
        )
    }

    /// Returns the comparison as a condition, for comparisons.
    pub fn cond(self) -> Option<Cond> {
        Some(match self {
            Op::Eq => Cond::Eq,
            Op::Ne => Cond::Ne,
            Op::Lt => Cond::Lt,
            Op::Le => Cond::Le,
            Op::Gt => Cond::Gt,
            Op::Ge => Cond::Ge,
            Op::ULt => Cond::ULt,
            Op::ULe => Cond::ULe,
            _ => return None,
        })
    }
}

/// A comparison, signed or unsigned, as a fused branch tests it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cond {
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Less.
    Lt,
    /// Less or equal.
    Le,
    /// Greater.
    Gt,
    /// Greater or equal.
    Ge,
    /// Unsigned less.
    ULt,
    /// Unsigned less or equal.
    ULe,
    /// Unsigned greater.
    UGt,
    /// Unsigned greater or equal.
    UGe,
}

impl Cond {
    /// Every condition, in declaration order: `Cond::Lt as i64` indexes it, which is how a
    /// `CMov`'s `aux` names its condition.
    pub const ALL: [Cond; 6] = [Cond::Eq, Cond::Ne, Cond::Lt, Cond::Le, Cond::Gt, Cond::Ge];

    /// Returns the condition that `aux` (`cond as i64`) names.
    pub fn from_aux(aux: i64) -> Cond {
        Cond::ALL[usize::try_from(aux).expect("a condition's index")]
    }

    /// Returns the condition that holds exactly when this one does not.
    pub fn negate(self) -> Cond {
        match self {
            Cond::Eq => Cond::Ne,
            Cond::Ne => Cond::Eq,
            Cond::Lt => Cond::Ge,
            Cond::Le => Cond::Gt,
            Cond::Gt => Cond::Le,
            Cond::Ge => Cond::Lt,
            Cond::ULt => Cond::UGe,
            Cond::ULe => Cond::UGt,
            Cond::UGt => Cond::ULe,
            Cond::UGe => Cond::ULt,
        }
    }

    /// Returns the condition with the operands swapped (`a < b` is `b > a`).
    pub fn swap(self) -> Cond {
        match self {
            Cond::Eq => Cond::Eq,
            Cond::Ne => Cond::Ne,
            Cond::Lt => Cond::Gt,
            Cond::Le => Cond::Ge,
            Cond::Gt => Cond::Lt,
            Cond::Ge => Cond::Le,
            Cond::ULt => Cond::UGt,
            Cond::ULe => Cond::UGe,
            Cond::UGt => Cond::ULt,
            Cond::UGe => Cond::ULe,
        }
    }

    /// Returns the comparison operation and the order of its operands (true: swapped)
    /// that compute the condition as a 0/1 word.
    pub fn op(self) -> (Op, bool) {
        match self {
            Cond::Eq => (Op::Eq, false),
            Cond::Ne => (Op::Ne, false),
            Cond::Lt => (Op::Lt, false),
            Cond::Le => (Op::Le, false),
            Cond::Gt => (Op::Gt, false),
            Cond::Ge => (Op::Ge, false),
            Cond::ULt => (Op::ULt, false),
            Cond::ULe => (Op::ULe, false),
            Cond::UGt => (Op::ULt, true),
            Cond::UGe => (Op::ULe, true),
        }
    }

    /// Evaluates the condition on two constants.
    pub fn eval(self, a: i64, b: i64) -> bool {
        match self {
            Cond::Eq => a == b,
            Cond::Ne => a != b,
            Cond::Lt => a < b,
            Cond::Le => a <= b,
            Cond::Gt => a > b,
            Cond::Ge => a >= b,
            Cond::ULt => (a as u64) < b as u64,
            Cond::ULe => a as u64 <= b as u64,
            Cond::UGt => a as u64 > b as u64,
            Cond::UGe => a as u64 >= b as u64,
        }
    }

    /// Returns the suffix amd64 mnemonics use (`JLT`, `SETLT`).
    pub fn name(self) -> &'static str {
        match self {
            Cond::Eq => "EQ",
            Cond::Ne => "NE",
            Cond::Lt => "LT",
            Cond::Le => "LE",
            Cond::Gt => "GT",
            Cond::Ge => "GE",
            Cond::ULt => "CS",
            Cond::ULe => "LS",
            Cond::UGt => "HI",
            Cond::UGe => "CC",
        }
    }
}

/// How a block ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// Jumps to its one successor.
    Plain,
    /// Goes to `succs[0]` if `control` (a 0/1 word) is non-zero, else to `succs[1]`.
    If,
    /// Goes to `succs[0]` if the flags set by `control` (a `Cmp`) satisfy the condition,
    /// else to `succs[1]`.
    IfCmp(Cond),
    /// Returns to the caller.
    Ret,
    /// Never ends: it calls a function that does not return (a panic).
    Exit,
}

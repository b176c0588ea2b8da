//! The text form of SSA, after `GOSSAFUNC`'s: one block per paragraph, one value per line.
//!
//! ```text
//! b1:
//!   v3 = Arg [0]
//!   v5 = AMD64CMPQconst [2] v3
//!   LT v5 → b2 b3
//! ```

use std::fmt::Write;

use crate::ssa::func::{Func, Sym, ValueId};
use crate::ssa::op::{BlockKind, Cond, Op};

/// Returns `f` as text, with symbols named by `sym_name`.
pub fn print(f: &Func, sym_name: &dyn Fn(Sym) -> String) -> String {
    let mut out = String::new();
    for &block in &f.order {
        let b = f.block(block);
        let _ = write!(out, "b{}:", block.0);
        if !b.preds.is_empty() {
            out.push_str(" ←");
            for pred in &b.preds {
                let _ = write!(out, " b{}", pred.0);
            }
        }
        out.push('\n');
        for &v in &b.values {
            let _ = write!(out, "  v{} = ", v.0);
            write_op(&mut out, f, v, sym_name);
            for arg in &f.value(v).args {
                let _ = write!(out, " v{}", arg.0);
            }
            if let Some(loc) = f.locs.get(v.0 as usize).copied().flatten() {
                let _ = write!(out, " : {}", loc);
            }
            out.push('\n');
        }
        let _ = write!(out, "  {}", block_kind(b.kind));
        if let Some(control) = b.control {
            let _ = write!(out, " v{}", control.0);
        }
        if !b.succs.is_empty() {
            out.push_str(" →");
            for succ in &b.succs {
                let _ = write!(out, " b{}", succ.0);
            }
        }
        out.push('\n');
    }
    out
}

/// Appends the operation of value `v` to `out`: its name, then its symbol (`{main.fib}`)
/// or its auxiliary integer (`[2]`) where it has one, or the condition of a conditional
/// move (`[LT]`); not its arguments or location.
/// Whatever else shows a function's values (the `ssa.html` page) writes them with it, so
/// they read as the text form does.
pub(crate) fn write_op(out: &mut String, f: &Func, v: ValueId, sym_name: &dyn Fn(Sym) -> String) {
    let value = f.value(v);
    out.push_str(value.op.name());
    match value.op {
        Op::Addr | Op::StaticCall => {
            let _ = write!(out, " {{{}}}", sym_name(f.syms[value.aux as usize]));
        }
        Op::CMov | Op::CMovTest => {
            let _ = write!(out, " [{}]", Cond::from_aux(value.aux).name());
        }
        Op::Phi | Op::Copy | Op::ClosurePtr => {}
        _ if value.aux != 0 || value.op == Op::Const || value.op == Op::Arg => {
            let _ = write!(out, " [{}]", value.aux);
        }
        _ => {}
    }
}

/// Returns the name of a block kind as the text form prints it (`Plain`, `LT`).
pub(crate) fn block_kind(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Plain => "Plain",
        BlockKind::If => "If",
        BlockKind::IfCmp(cond) => cond.name(),
        BlockKind::Ret => "Ret",
        BlockKind::Exit => "Exit",
    }
}

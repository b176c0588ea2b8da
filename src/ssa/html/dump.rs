//! The structured form of one function that `ssa.html` shows: per pass, its blocks and
//! values with their arguments as numbers, not as text, so the page can make each
//! reference an element to click.
//!
//! Taken by the pass hook of `backend::compile` for the one function `--ssa-html` names;
//! no other function builds any of it. The text of each value and block end comes from
//! `ssa::print`'s own helpers, so a column reads exactly as `--ssa` prints that pass.

use crate::diag::Span;
use crate::ssa::func::{Func, Sym};
use crate::ssa::print;

/// What `ssa.html` shows of one function.
#[derive(Clone, Debug)]
pub struct Dump {
    /// The function's symbol name (`main.fib`).
    pub name: String,
    /// Its source, for the source column; `None` for `main.init`, which gathers the
    /// package variables' initializers from all over the file, and for a function of the
    /// runtime, which is not in the program's file.
    pub span: Option<Span>,
    /// The function after construction (`start`) and after every pass, in order.
    pub passes: Vec<PassDump>,
    /// Its final assembly listing, as `-S` prints it (header line included).
    pub listing: String,
}

/// The function as one pass left it.
#[derive(Clone, Debug)]
pub struct PassDump {
    /// The pass's name (`start` for the function as built).
    pub name: String,
    /// The blocks in layout order.
    pub blocks: Vec<BlockDump>,
}

/// One block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockDump {
    /// Its number (`b3`).
    pub id: u32,
    /// Its predecessors.
    pub preds: Vec<u32>,
    /// Its values, in order.
    pub values: Vec<ValueDump>,
    /// Its kind as `--ssa` prints it (`Plain`, `LT`).
    pub kind: &'static str,
    /// The value its branch reads, if any.
    pub control: Option<u32>,
    /// Its successors.
    pub succs: Vec<u32>,
}

/// One value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueDump {
    /// Its number (`v5`).
    pub id: u32,
    /// Its operation with its symbol or auxiliary integer (`AMD64CMPQconst [2]`).
    pub op: String,
    /// Its arguments.
    pub args: Vec<u32>,
    /// Its location once registers are allocated (`SI`, `slot2`).
    pub loc: Option<String>,
}

impl PassDump {
    /// Returns `f` as pass `name` left it, with symbols named by `sym_name`.
    pub fn capture(name: &str, f: &Func, sym_name: &dyn Fn(Sym) -> String) -> PassDump {
        let blocks = f
            .order
            .iter()
            .map(|&block| {
                let b = f.block(block);
                let values = b
                    .values
                    .iter()
                    .map(|&v| {
                        let mut op = String::new();
                        print::write_op(&mut op, f, v, sym_name);
                        ValueDump {
                            id: v.0,
                            op,
                            args: f.value(v).args.iter().map(|arg| arg.0).collect(),
                            loc: f
                                .locs
                                .get(v.0 as usize)
                                .copied()
                                .flatten()
                                .map(|loc| loc.to_string()),
                        }
                    })
                    .collect();
                BlockDump {
                    id: block.0,
                    preds: b.preds.iter().map(|pred| pred.0).collect(),
                    values,
                    kind: print::block_kind(b.kind),
                    control: b.control.map(|control| control.0),
                    succs: b.succs.iter().map(|succ| succ.0).collect(),
                }
            })
            .collect();
        PassDump {
            name: name.to_string(),
            blocks,
        }
    }
}

//! A builder of SSA functions for the tests of single passes, after Go's `Fun`, `Bloc`,
//! `Valu`, `Goto`, `If`, `Exit` (`ssa/func_test.go`).
//!
//! Blocks and values are named by strings and operands by name; names are resolved once
//! every block is given, so a value may use one defined later (a loop's phi). The first
//! argument of `fun` names the entry block; the other blocks keep the order they are
//! given in. A block's predecessors are in the order the edges into it are given: block by
//! block, each block's successors in order. That is the order of its phis' arguments.
//!
//! ```text
//! fun("entry", [
//!     bloc("entry", [valu("x", Op::Arg, 0, &[])], goto("exit")),
//!     bloc("exit", [valu("r", Op::SetResult, 0, &["x"])], ret()),
//! ])
//! ```
//!
//! `Fun::run` runs a pass of `passes::PASSES` by name, verifying the function before and
//! after it with the properties the pass declares.

use rustc_hash::FxHashMap;

use crate::ssa::check::{self, Properties};
use crate::ssa::func::{BlockId, Func, Sym, ValueId};
use crate::ssa::op::{BlockKind, Cond, Op};
use crate::ssa::passes;

/// A built function, with its blocks and values by name.
pub struct Fun {
    /// The function.
    pub f: Func,
    blocks: FxHashMap<&'static str, BlockId>,
    values: FxHashMap<&'static str, ValueId>,
}

/// A block: its name, values and ending.
pub struct Bloc {
    name: &'static str,
    values: Vec<Valu>,
    ctrl: Ctrl,
}

/// A value: its name, operation, auxiliary constant or symbol, and operands by name.
pub struct Valu {
    name: &'static str,
    op: Op,
    aux: Aux,
    args: &'static [&'static str],
}

/// What a value's `aux` holds.
enum Aux {
    Int(i64),
    /// A symbol, numbered in the function's table.
    Sym(Sym),
}

/// How a block ends: its kind, control and successors by name.
pub struct Ctrl {
    kind: BlockKind,
    control: Option<&'static str>,
    succs: Vec<&'static str>,
}

/// Builds the function of `blocs`, whose entry is block `entry`.
pub fn fun<const N: usize>(entry: &'static str, blocs: [Bloc; N]) -> Fun {
    let mut f = Func::default();
    f.name = "test".to_string();
    let mut blocks = FxHashMap::default();
    let mut values = FxHashMap::default();
    for bloc in &blocs {
        let block = f.new_block();
        assert!(
            blocks.insert(bloc.name, block).is_none(),
            "two blocks named {}",
            bloc.name
        );
        f.blocks[block.0 as usize].kind = bloc.ctrl.kind;
        for valu in &bloc.values {
            let aux = match valu.aux {
                Aux::Int(aux) => aux,
                Aux::Sym(sym) => f.sym(sym),
            };
            let v = f.new_value(block, valu.op, aux, &[]);
            assert!(
                values.insert(valu.name, v).is_none(),
                "two values named {}",
                valu.name
            );
        }
    }
    let block = |name: &str| {
        *blocks
            .get(name)
            .unwrap_or_else(|| panic!("no block {name}"))
    };
    let value = |name: &str| {
        *values
            .get(name)
            .unwrap_or_else(|| panic!("no value {name}"))
    };
    f.order.push(block(entry));
    for bloc in &blocs {
        let b = block(bloc.name);
        if b != block(entry) {
            f.order.push(b);
        }
        for valu in &bloc.values {
            let args = valu.args.iter().map(|&arg| value(arg)).collect();
            f.values[value(valu.name).0 as usize].args = args;
        }
        f.blocks[b.0 as usize].control = bloc.ctrl.control.map(value);
        for &succ in &bloc.ctrl.succs {
            f.add_edge(b, block(succ));
        }
    }
    Fun { f, blocks, values }
}

/// Returns a block named `name` holding `values` and ending as `ctrl` says.
pub fn bloc<const N: usize>(name: &'static str, values: [Valu; N], ctrl: Ctrl) -> Bloc {
    Bloc {
        name,
        values: values.into(),
        ctrl,
    }
}

/// Returns a value named `name`: `op` of `args`, with the constant `aux`.
pub fn valu(name: &'static str, op: Op, aux: i64, args: &'static [&'static str]) -> Valu {
    Valu {
        name,
        op,
        aux: Aux::Int(aux),
        args,
    }
}

/// Returns a value named `name`: `op` (`Addr`, `StaticCall`) of symbol `sym` and `args`.
pub fn valu_sym(name: &'static str, op: Op, sym: Sym, args: &'static [&'static str]) -> Valu {
    Valu {
        name,
        op,
        aux: Aux::Sym(sym),
        args,
    }
}

/// Ends a block with a jump to `succ`.
pub fn goto(succ: &'static str) -> Ctrl {
    Ctrl {
        kind: BlockKind::Plain,
        control: None,
        succs: vec![succ],
    }
}

/// Ends a block with a branch on the word `cond`: to `yes` if it is not 0, else to `no`.
pub fn branch(cond: &'static str, yes: &'static str, no: &'static str) -> Ctrl {
    Ctrl {
        kind: BlockKind::If,
        control: Some(cond),
        succs: vec![yes, no],
    }
}

/// Ends a block with a branch on the flags that the compare `control` sets.
pub fn branch_cmp(cond: Cond, control: &'static str, yes: &'static str, no: &'static str) -> Ctrl {
    Ctrl {
        kind: BlockKind::IfCmp(cond),
        control: Some(control),
        succs: vec![yes, no],
    }
}

/// Ends a block with a return.
pub fn ret() -> Ctrl {
    Ctrl {
        kind: BlockKind::Ret,
        control: None,
        succs: Vec::new(),
    }
}

/// Ends a block that never ends: it called a function that does not return.
pub fn exit() -> Ctrl {
    Ctrl {
        kind: BlockKind::Exit,
        control: None,
        succs: Vec::new(),
    }
}

impl Fun {
    /// Returns block `name`.
    pub fn b(&self, name: &str) -> BlockId {
        self.blocks[name]
    }

    /// Returns value `name`.
    pub fn v(&self, name: &str) -> ValueId {
        self.values[name]
    }

    /// Returns the operation of value `name`.
    pub fn op(&self, name: &str) -> Op {
        self.f.value(self.v(name)).op
    }

    /// Returns the operands of value `name`.
    pub fn args(&self, name: &str) -> Vec<ValueId> {
        self.f.value(self.v(name)).args.to_vec()
    }

    /// Reports whether block `name` is live (in the order).
    pub fn has_block(&self, name: &str) -> bool {
        self.f.order.contains(&self.b(name))
    }

    /// Reports whether value `name` is live: listed in the live block it names.
    pub fn has_value(&self, name: &str) -> bool {
        let v = self.v(name);
        let block = self.f.value(v).block;
        self.f.order.contains(&block) && self.f.block(block).values.contains(&v)
    }

    /// Runs pass `name` of `passes::PASSES`, verifying the function before it as
    /// construction leaves it and after it with the properties the pass declares.
    pub fn run(&mut self, name: &str) {
        let pass = passes::PASSES
            .iter()
            .find(|pass| pass.name == name)
            .unwrap_or_else(|| panic!("no pass {name}"));
        let mut holds = Properties::of(passes::BUILT);
        check::verify(&self.f, "test construction", holds);
        (pass.run)(&mut self.f);
        holds.remove(pass.breaks);
        holds.add(pass.establishes);
        check::verify(&self.f, pass.name, holds);
    }
}

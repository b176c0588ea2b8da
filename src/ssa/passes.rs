//! The pass pipeline, declared as data as in Go's `ssa/compile.go`.
//!
//! `compile` runs the passes in order; in debug builds (and when asked) `check::verify`
//! runs after each one, and a hook sees the function after each pass (`--ssa NAME`).
//! `ORDER` states which pass must run before which, and why; a unit test checks `PASSES`
//! against it.

use crate::ssa::func::Func;
use crate::ssa::{
    allocelim, branchelim, check, copyelim, critical, cse, deadcode, fuse, layout, lower, opt,
    phielim, regalloc, retdup,
};

/// One pass of the pipeline.
pub struct Pass {
    /// Its name, as `--ssa` output shows it.
    pub name: &'static str,
    /// The transformation.
    pub run: fn(&mut Func),
}

/// The passes, in the order they run.
pub const PASSES: &[Pass] = &[
    Pass {
        name: "early deadcode",
        run: deadcode::run,
    },
    Pass {
        name: "early fuse",
        run: fuse::run,
    },
    Pass {
        name: "early phielim",
        run: phielim::run,
    },
    Pass {
        name: "early copyelim",
        run: copyelim::run,
    },
    Pass {
        name: "allocelim",
        run: allocelim::run,
    },
    Pass {
        name: "opt",
        run: opt::run,
    },
    Pass {
        name: "opt deadcode",
        run: deadcode::run,
    },
    Pass {
        name: "phielim",
        run: phielim::run,
    },
    Pass {
        name: "copyelim",
        run: copyelim::run,
    },
    Pass {
        name: "generic cse",
        run: cse::run,
    },
    Pass {
        name: "branchelim",
        run: branchelim::run,
    },
    Pass {
        name: "cse copyelim",
        run: copyelim::run,
    },
    Pass {
        name: "lower",
        run: lower::run,
    },
    Pass {
        name: "lowered deadcode",
        run: deadcode::values,
    },
    Pass {
        name: "critical",
        run: critical::run,
    },
    Pass {
        name: "retdup",
        run: retdup::run,
    },
    Pass {
        name: "layout",
        run: layout::run,
    },
    Pass {
        name: "regalloc",
        run: regalloc::run,
    },
];

/// Pairs `(a, b)`: pass `a` must run before pass `b`, for the reason given.
pub const ORDER: &[(&str, &str, &str)] = &[
    (
        "early deadcode",
        "early fuse",
        "a dead predecessor would keep a block from its only live one",
    ),
    (
        "early fuse",
        "early phielim",
        "fused blocks' phis become copies",
    ),
    (
        "early deadcode",
        "early phielim",
        "phis of unreachable predecessors must be gone",
    ),
    (
        "early copyelim",
        "allocelim",
        "allocelim sees an allocation's uses directly, not through copies",
    ),
    (
        "allocelim",
        "opt",
        "opt folds the words allocelim forwards from stores to loads",
    ),
    (
        "opt",
        "opt deadcode",
        "folded branches leave unreachable blocks",
    ),
    (
        "phielim",
        "copyelim",
        "phielim turns trivial phis into copies",
    ),
    (
        "generic cse",
        "cse copyelim",
        "cse turns duplicates into copies",
    ),
    (
        "generic cse",
        "branchelim",
        "branchelim finds a condition tested twice as one value",
    ),
    (
        "branchelim",
        "cse copyelim",
        "phis that branchelim leaves with one argument become copies",
    ),
    (
        "cse copyelim",
        "lower",
        "lower matches operands, not copies",
    ),
    (
        "lower",
        "critical",
        "critical edges are split on the final control flow",
    ),
    (
        "critical",
        "retdup",
        "retdup copies a return only into predecessors that end in a jump",
    ),
    ("retdup", "layout", "layout orders the blocks that remain"),
    (
        "critical",
        "regalloc",
        "regalloc places phi copies on edges",
    ),
    (
        "layout",
        "regalloc",
        "regalloc numbers values in layout order",
    ),
];

/// Runs every pass over `f`, calling `after` with each pass's name and result.
pub fn compile(f: &mut Func, verify: bool, mut after: impl FnMut(&str, &Func)) {
    if verify {
        check::verify(f, "build");
    }
    after("start", f);
    for pass in PASSES {
        (pass.run)(f);
        if verify {
            check::verify(f, pass.name);
        }
        after(pass.name, f);
    }
}

#[cfg(test)]
mod tests {
    use super::{ORDER, PASSES};

    #[test]
    fn passes_respect_the_declared_order() {
        let position = |name: &str| {
            PASSES
                .iter()
                .position(|pass| pass.name == name)
                .unwrap_or_else(|| panic!("no pass named {name}"))
        };
        for (before, after, reason) in ORDER {
            assert!(
                position(before) < position(after),
                "{before} must run before {after}: {reason}"
            );
        }
    }
}

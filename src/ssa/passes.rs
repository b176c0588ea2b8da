//! The pass pipeline, declared as data as in Go's `ssa/compile.go`.
//!
//! `compile` runs the passes in order; in debug builds (and under `--check`)
//! `check::verify` runs after each one, and a hook sees the function after each pass
//! (`--ssa NAME`). Each pass declares the properties it establishes and those it may break
//! (`check::Property`); the verifier checks, after each pass, every property established
//! and not broken since, starting from those of construction (`BUILT`). `ORDER` states
//! which pass must run before which, and why; a unit test checks `PASSES` against it.
//!
//! The phase a thread is in (construction, a pass, emission) is kept in a thread-local
//! (`enter`, `phase`), so that an internal compiler error can name it as Go's `panic
//! during PASS while compiling FUNC` does: entering one stores a `&'static str`, nothing
//! more.

use std::cell::Cell;

use crate::ssa::check::{self, Properties, Property};
use crate::ssa::func::Func;
use crate::ssa::{
    allocelim, branchelim, condselect, copyelim, critical, cse, deadcode, fuse, layout, lower, opt,
    phielim, regalloc, retdup,
};

/// One pass of the pipeline.
pub struct Pass {
    /// Its name, as `--ssa` output shows it.
    pub name: &'static str,
    /// The transformation.
    pub run: fn(&mut Func),
    /// The properties that hold after it, whatever held before.
    pub establishes: &'static [Property],
    /// The properties that may no longer hold after it, though they held before.
    pub breaks: &'static [Property],
}

/// The properties of a function as construction leaves it.
pub const BUILT: &[Property] = &[Property::Generic];

/// The passes, in the order they run. A pass that breaks a property says why.
pub const PASSES: &[Pass] = &[
    Pass {
        name: "early deadcode",
        run: deadcode::run,
        establishes: &[Property::NoUnreachableBlocks, Property::NoDeadValues],
        // A phi left with one argument becomes a copy.
        breaks: &[Property::NoCopies],
    },
    Pass {
        name: "early fuse",
        run: fuse::run,
        establishes: &[Property::Fused],
        // The absorbed block's phis become copies.
        breaks: &[Property::NoCopies],
    },
    Pass {
        name: "early phielim",
        run: phielim::run,
        establishes: &[Property::NoTrivialPhis],
        // A trivial phi becomes a copy of one argument, dropping its uses of the others
        // (another phi of the same cycle).
        breaks: &[Property::NoDeadValues, Property::NoCopies],
    },
    Pass {
        name: "early copyelim",
        run: copyelim::run,
        establishes: &[Property::NoCopies],
        breaks: &[],
    },
    Pass {
        name: "allocelim",
        run: allocelim::run,
        establishes: &[],
        // The words stored to a removed allocation may have no other use; a phi of
        // forwarded words may merge one value.
        breaks: &[Property::NoDeadValues, Property::NoTrivialPhis],
    },
    Pass {
        name: "opt",
        run: opt::run,
        establishes: &[],
        // Folding leaves operands unused and values copies of others; a folded branch
        // leaves blocks unreachable and a jump to a block with one predecessor.
        breaks: &[
            Property::NoUnreachableBlocks,
            Property::NoDeadValues,
            Property::Fused,
            Property::NoTrivialPhis,
            Property::NoCopies,
        ],
    },
    Pass {
        name: "opt deadcode",
        run: deadcode::run,
        establishes: &[Property::NoUnreachableBlocks, Property::NoDeadValues],
        // A phi left with one argument becomes a copy.
        breaks: &[Property::NoCopies],
    },
    Pass {
        name: "phielim",
        run: phielim::run,
        establishes: &[Property::NoTrivialPhis],
        // As in "early phielim".
        breaks: &[Property::NoDeadValues, Property::NoCopies],
    },
    Pass {
        name: "copyelim",
        run: copyelim::run,
        establishes: &[Property::NoCopies],
        breaks: &[],
    },
    Pass {
        name: "generic cse",
        run: cse::run,
        establishes: &[],
        // Duplicates become copies, and phis of them trivial; a duplicate's operand that
        // was itself a duplicate loses its one use.
        breaks: &[
            Property::NoDeadValues,
            Property::NoTrivialPhis,
            Property::NoCopies,
        ],
    },
    Pass {
        name: "branchelim",
        run: branchelim::run,
        establishes: &[],
        // A folded branch leaves its condition unused, a jump to a block with one
        // predecessor, and a join with fewer arguments, maybe one (a copy).
        breaks: &[
            Property::NoDeadValues,
            Property::Fused,
            Property::NoTrivialPhis,
            Property::NoCopies,
        ],
    },
    Pass {
        name: "cse copyelim",
        run: copyelim::run,
        establishes: &[Property::NoCopies],
        breaks: &[],
    },
    Pass {
        name: "condselect",
        run: condselect::run,
        establishes: &[],
        // The branch block takes the join's jump, maybe to a block it alone precedes.
        breaks: &[Property::Fused],
    },
    Pass {
        name: "lower",
        run: lower::run,
        establishes: &[],
        // An immediate operand leaves its constant unused.
        breaks: &[Property::Generic, Property::NoDeadValues],
    },
    Pass {
        name: "lowered deadcode",
        run: deadcode::values,
        establishes: &[Property::NoDeadValues],
        breaks: &[],
    },
    Pass {
        name: "critical",
        run: critical::run,
        establishes: &[Property::NoCriticalPhiEdges],
        breaks: &[],
    },
    Pass {
        name: "retdup",
        run: retdup::run,
        establishes: &[],
        // The phis of a return left with some predecessors keep only their arguments.
        breaks: &[Property::NoTrivialPhis],
    },
    Pass {
        name: "layout",
        run: layout::run,
        establishes: &[Property::LaidOut],
        breaks: &[],
    },
    Pass {
        name: "regalloc",
        run: regalloc::run,
        establishes: &[Property::Allocated],
        breaks: &[],
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
        "branchelim",
        "condselect",
        "a branch already decided must become a jump, not a select",
    ),
    (
        "cse copyelim",
        "condselect",
        "condselect compares a phi's arguments, not copies",
    ),
    (
        "condselect",
        "lower",
        "lower turns a select on a comparison into a compare and conditional move",
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

/// The phase before the passes: SSA construction.
pub const BUILD: &str = "build";

/// The phase after the passes: emission of machine code.
pub const EMIT: &str = "emit";

thread_local! {
    static PHASE: Cell<&'static str> = const { Cell::new("") };
}

/// Records that this thread enters `phase`: [`BUILD`], a pass's name or [`EMIT`].
pub fn enter(phase: &'static str) {
    PHASE.set(phase);
}

/// Returns the phase this thread entered last (empty if none).
pub fn phase() -> &'static str {
    PHASE.get()
}

/// Returns the phase called `name`: [`BUILD`], a pass or [`EMIT`].
pub fn phase_named(name: &str) -> Option<&'static str> {
    std::iter::once(BUILD)
        .chain(PASSES.iter().map(|pass| pass.name))
        .chain(std::iter::once(EMIT))
        .find(|&phase| phase == name)
}

/// Runs every pass over `f`, calling `after` with each pass's name and result; with
/// `verify`, checks `f` after construction and after each pass, for the properties that
/// hold there. Each pass is entered as the thread's phase; the caller enters [`BUILD`] and
/// [`EMIT`] around the rest.
pub fn compile(f: &mut Func, verify: bool, mut after: impl FnMut(&str, &Func)) {
    let mut holds = Properties::of(BUILT);
    if verify {
        check::verify(f, BUILD, holds);
    }
    after("start", f);
    for pass in PASSES {
        enter(pass.name);
        (pass.run)(f);
        if verify {
            holds.remove(pass.breaks);
            holds.add(pass.establishes);
            check::verify(f, pass.name, holds);
        }
        after(pass.name, f);
    }
}

#[cfg(test)]
mod tests {
    use super::{BUILD, BUILT, EMIT, ORDER, PASSES, phase_named};
    use crate::ssa::check::Property;

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

    #[test]
    fn no_pass_establishes_what_it_breaks() {
        for pass in PASSES {
            for property in pass.breaks {
                assert!(
                    !pass.establishes.contains(property),
                    "{} both establishes and breaks {property:?}",
                    pass.name
                );
            }
        }
    }

    /// A property nothing establishes would never be checked.
    #[test]
    fn every_property_is_established_somewhere() {
        for property in Property::ALL {
            let established = BUILT.contains(&property)
                || PASSES
                    .iter()
                    .any(|pass| pass.establishes.contains(&property));
            assert!(established, "nothing establishes {property:?}");
        }
    }

    #[test]
    fn phases_are_construction_the_passes_and_emission() {
        for name in [BUILD, "early deadcode", "regalloc", EMIT] {
            assert_eq!(phase_named(name), Some(name));
        }
        assert_eq!(phase_named("start"), None);
        assert_eq!(phase_named("deadcode"), None);
    }
}

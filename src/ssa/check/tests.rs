//! The verifier's tests: for each invariant and each property, a function that breaks it,
//! which the verifier must report.

use super::{Properties, Property, check};
use crate::ssa::func::{Block, Runtime, Sym};
use crate::ssa::op::{BlockKind, Cond, Op};
use crate::ssa::regalloc::{self, Loc, RAX};
use crate::ssa::testfun::{Fun, bloc, branch, branch_cmp, exit, fun, goto, ret, valu, valu_sym};

/// `if x != 0 { y = -x }; return y or x`: every invariant and every property but
/// `Allocated` holds.
fn diamond() -> Fun {
    fun(
        "entry",
        [
            bloc(
                "entry",
                [
                    valu("x", Op::Arg, 0, &[]),
                    valu("zero", Op::Const, 0, &[]),
                    valu("c", Op::Ne, 0, &["x", "zero"]),
                ],
                branch("c", "then", "else"),
            ),
            bloc("then", [valu("y", Op::Neg, 0, &["x"])], goto("join")),
            bloc("else", [], goto("join")),
            bloc(
                "join",
                [
                    valu("p", Op::Phi, 0, &["y", "x"]),
                    valu("r", Op::SetResult, 0, &["p"]),
                ],
                ret(),
            ),
        ],
    )
}

/// Asserts that the verifier, told that `holds`, reports a message containing `text`.
fn assert_reports(fun: &Fun, holds: &[Property], text: &str) {
    match check(&fun.f, Properties::of(holds)) {
        Ok(()) => panic!("the verifier accepts a function that should fail with {text:?}"),
        Err(message) => assert!(message.contains(text), "{message:?} lacks {text:?}"),
    }
}

/// Asserts that the verifier accepts `fun` without `property` and reports `text` with it.
fn assert_property_reports(fun: &Fun, property: Property, text: &str) {
    assert_eq!(check(&fun.f, Properties::default()), Ok(()));
    assert_reports(fun, &[property], text);
}

fn block_mut<'f>(fun: &'f mut Fun, name: &str) -> &'f mut Block {
    let block = fun.b(name);
    &mut fun.f.blocks[block.0 as usize]
}

#[test]
fn the_diamond_has_every_property_but_allocation() {
    let fun = diamond();
    let holds: Vec<Property> = Property::ALL
        .into_iter()
        .filter(|&p| p != Property::Allocated)
        .collect();
    assert_eq!(check(&fun.f, Properties::of(&holds)), Ok(()));
}

#[test]
fn a_block_listed_twice_is_reported() {
    let mut fun = diamond();
    let then = fun.b("then");
    fun.f.order.push(then);
    assert_reports(&fun, &[], &format!("b{} is in the order twice", then.0));
}

#[test]
fn a_value_in_two_blocks_is_reported() {
    let mut fun = diamond();
    let y = fun.v("y");
    block_mut(&mut fun, "else").values.push(y);
    assert_reports(&fun, &[], &format!("v{} is in two blocks", y.0));
}

#[test]
fn a_value_that_names_another_block_is_reported() {
    let mut fun = diamond();
    let (y, other) = (fun.v("y"), fun.b("else"));
    fun.f.values[y.0 as usize].block = other;
    assert_reports(&fun, &[], &format!("but says b{}", other.0));
}

#[test]
fn a_block_with_the_wrong_number_of_successors_is_reported() {
    let mut fun = diamond();
    block_mut(&mut fun, "then").kind = BlockKind::Ret;
    assert_reports(&fun, &[], "has 1 successors");
}

#[test]
fn a_block_with_a_control_it_does_not_take_is_reported() {
    let mut fun = diamond();
    let x = fun.v("x");
    block_mut(&mut fun, "join").control = Some(x);
    assert_reports(&fun, &[], "has a wrong control");
}

#[test]
fn an_edge_missing_from_the_predecessors_is_reported() {
    let mut fun = diamond();
    block_mut(&mut fun, "then").preds.clear();
    assert_reports(&fun, &[], "is not mirrored");
}

#[test]
fn a_predecessor_without_the_edge_is_reported() {
    let mut fun = diamond();
    let entry = fun.b("entry");
    let join = block_mut(&mut fun, "join");
    join.preds.push(entry);
    assert_reports(&fun, &[], "is not mirrored");
}

#[test]
fn an_edge_to_a_block_out_of_the_order_is_reported() {
    let mut fun = diamond();
    let other = fun.b("else");
    fun.f.order.retain(|&b| b != other);
    assert_reports(&fun, &[], &format!("goes to dead b{}", other.0));
}

#[test]
fn a_reachable_predecessor_out_of_the_order_is_reported() {
    let mut fun = fun(
        "entry",
        [
            bloc("entry", [], goto("a")),
            bloc("a", [], goto("b")),
            bloc("b", [], goto("c")),
            bloc("c", [], ret()),
        ],
    );
    // `c` is checked before `a`, which would report its edge to `b`.
    let (a, b, c) = (fun.b("a"), fun.b("b"), fun.b("c"));
    fun.f.order = vec![fun.b("entry"), c, a];
    assert_reports(
        &fun,
        &[],
        &format!("b{} has dead predecessor b{}", c.0, b.0),
    );
}

#[test]
fn an_operation_with_the_wrong_number_of_arguments_is_reported() {
    let mut fun = diamond();
    let (x, y) = (fun.v("x"), fun.v("y"));
    fun.f.values[y.0 as usize].args.push(x);
    assert_reports(&fun, &[], &format!("v{} = Neg64 has 2 arguments", y.0));
}

#[test]
fn a_symbol_out_of_the_table_is_reported() {
    let mut fun = diamond();
    let zero = fun.v("zero");
    fun.f.values[zero.0 as usize].op = Op::Addr;
    assert_reports(&fun, &[], &format!("v{} names no symbol", zero.0));
}

#[test]
fn a_phi_after_other_values_is_reported() {
    let mut fun = diamond();
    block_mut(&mut fun, "join").values.reverse();
    assert_reports(
        &fun,
        &[],
        &format!("phi v{} after other values", fun.v("p").0),
    );
}

#[test]
fn a_phi_without_an_argument_per_predecessor_is_reported() {
    let mut fun = diamond();
    let (p, x) = (fun.v("p"), fun.v("x"));
    fun.f.values[p.0 as usize].args.push(x);
    assert_reports(&fun, &[], "has 3 args for 2 preds");
}

/// `p := alloc(8)` in a block of its own, ending in a return.
fn allocation() -> Fun {
    fun(
        "entry",
        [bloc(
            "entry",
            [
                valu("size", Op::Const, 8, &[]),
                valu_sym(
                    "call",
                    Op::StaticCall,
                    Sym::Runtime(Runtime::Alloc),
                    &["size"],
                ),
                valu("ptr", Op::LoadResult, 0, &[]),
                valu("r", Op::SetResult, 0, &["ptr"]),
            ],
            ret(),
        )],
    )
}

#[test]
fn a_call_result_away_from_its_call_is_reported() {
    let mut fun = allocation();
    assert_eq!(check(&fun.f, Properties::default()), Ok(()));
    block_mut(&mut fun, "entry").values.swap(0, 2);
    assert_reports(&fun, &[], "out of place among calls and results");
}

#[test]
fn a_call_result_numbered_wrong_is_reported() {
    let mut fun = allocation();
    let ptr = fun.v("ptr");
    fun.f.values[ptr.0 as usize].aux = 1;
    assert_reports(&fun, &[], &format!("v{} is out of place", ptr.0));
}

#[test]
fn a_function_result_outside_a_return_is_reported() {
    let mut fun = diamond();
    let (x, then) = (fun.v("x"), fun.b("then"));
    let stray = fun.f.new_value(then, Op::SetResult, 0, &[x]);
    assert_reports(&fun, &[], &format!("v{} is out of place", stray.0));
}

#[test]
fn a_value_after_the_function_results_is_reported() {
    let mut fun = diamond();
    let (x, join) = (fun.v("x"), fun.b("join"));
    let late = fun.f.new_value(join, Op::Neg, 0, &[x]);
    assert_reports(&fun, &[], &format!("v{} is out of place", late.0));
}

#[test]
fn a_use_of_a_value_not_listed_is_reported() {
    let mut fun = diamond();
    let y = fun.v("y");
    block_mut(&mut fun, "then").values.clear();
    assert_reports(&fun, &[], &format!("uses v{}, which is not live", y.0));
}

#[test]
fn a_use_before_the_definition_is_reported() {
    let mut fun = diamond();
    block_mut(&mut fun, "entry").values.swap(1, 2);
    assert_reports(&fun, &[], "whose definition does not dominate it");
}

#[test]
fn a_use_in_a_block_the_definition_does_not_dominate_is_reported() {
    let mut fun = diamond();
    let (y, other) = (fun.v("y"), fun.b("else"));
    let bad = fun.f.new_value(other, Op::Neg, 0, &[y]);
    assert_reports(
        &fun,
        &[],
        &format!(
            "v{} uses v{}, whose definition does not dominate it",
            bad.0, y.0
        ),
    );
}

#[test]
fn a_phi_argument_from_the_wrong_predecessor_is_reported() {
    let mut fun = diamond();
    let p = fun.v("p");
    fun.f.values[p.0 as usize].args.reverse();
    assert_reports(&fun, &[], "whose definition does not dominate it");
}

#[test]
fn a_control_defined_below_its_block_is_reported() {
    let mut fun = diamond();
    let y = fun.v("y");
    block_mut(&mut fun, "entry").control = Some(y);
    assert_reports(
        &fun,
        &[],
        &format!("is controlled by v{}, not available", y.0),
    );
}

/// `if x < 5` as `lower` leaves it, flags and all.
fn lowered() -> Fun {
    fun(
        "entry",
        [
            bloc(
                "entry",
                [
                    valu("x", Op::Arg, 0, &[]),
                    valu("cmp", Op::CmpConst, 5, &["x"]),
                ],
                branch_cmp(Cond::Lt, "cmp", "yes", "no"),
            ),
            bloc("yes", [], ret()),
            bloc("no", [], ret()),
        ],
    )
}

#[test]
fn flags_used_as_a_word_are_reported() {
    let mut fun = lowered();
    assert_eq!(check(&fun.f, Properties::default()), Ok(()));
    let (cmp, yes) = (fun.v("cmp"), fun.b("yes"));
    fun.f.new_value(yes, Op::Neg, 0, &[cmp]);
    assert_reports(&fun, &[], &format!("uses the flags of v{}", cmp.0));
}

#[test]
fn a_compare_that_is_not_last_is_reported() {
    let mut fun = lowered();
    let (x, entry) = (fun.v("x"), fun.b("entry"));
    fun.f.new_value(entry, Op::Neg, 0, &[x]);
    assert_reports(&fun, &[], "must be its last value");
}

#[test]
fn a_flags_branch_on_a_word_is_reported() {
    let mut fun = lowered();
    let cmp = fun.v("cmp");
    fun.f.values[cmp.0 as usize].op = Op::AddConst;
    assert_reports(&fun, &[], "branches on flags that");
}

#[test]
fn a_word_branch_on_flags_is_reported() {
    let mut fun = lowered();
    block_mut(&mut fun, "entry").kind = BlockKind::If;
    assert_reports(&fun, &[], "which sets flags");
}

#[test]
fn generic_rejects_amd64_operations_and_branches() {
    let fun = lowered();
    assert_property_reports(&fun, Property::Generic, "b0 is lowered before lower");
    let mut fun = diamond();
    let y = fun.v("y");
    fun.f.values[y.0 as usize].op = Op::AddConst;
    assert_property_reports(&fun, Property::Generic, "AMD64ADDQconst is lowered");
}

#[test]
fn no_unreachable_blocks_rejects_an_unreachable_block() {
    let fun = fun(
        "entry",
        [bloc("entry", [], ret()), bloc("orphan", [], ret())],
    );
    let orphan = fun.b("orphan");
    assert_property_reports(
        &fun,
        Property::NoUnreachableBlocks,
        &format!("b{} is unreachable", orphan.0),
    );
}

#[test]
fn no_dead_values_rejects_an_unused_value() {
    let mut fun = diamond();
    let (x, then) = (fun.v("x"), fun.b("then"));
    let unused = fun.f.new_value(then, Op::Com, 0, &[x]);
    assert_property_reports(
        &fun,
        Property::NoDeadValues,
        &format!("v{} is dead", unused.0),
    );
}

#[test]
fn fused_rejects_a_jump_to_a_block_with_one_predecessor() {
    let fun = fun(
        "entry",
        [bloc("entry", [], goto("next")), bloc("next", [], ret())],
    );
    let (entry, next) = (fun.b("entry"), fun.b("next"));
    assert_property_reports(
        &fun,
        Property::Fused,
        &format!("b{} could absorb b{}", entry.0, next.0),
    );
}

#[test]
fn no_trivial_phis_rejects_a_phi_of_one_value() {
    let mut fun = diamond();
    let (p, y) = (fun.v("p"), fun.v("y"));
    // `y` becomes a copy of `x`, and `p` a phi of `x` and `x`.
    fun.f.values[y.0 as usize].op = Op::Copy;
    assert_property_reports(
        &fun,
        Property::NoTrivialPhis,
        &format!("phi v{} is trivial", p.0),
    );
}

#[test]
fn no_copies_rejects_a_copy() {
    let mut fun = diamond();
    let y = fun.v("y");
    fun.f.values[y.0 as usize].op = Op::Copy;
    assert_property_reports(&fun, Property::NoCopies, &format!("v{} is a copy", y.0));
}

#[test]
fn no_critical_phi_edges_rejects_a_branch_straight_into_a_join_with_phis() {
    let fun = fun(
        "entry",
        [
            bloc(
                "entry",
                [valu("x", Op::Arg, 0, &[]), valu("y", Op::Arg, 1, &[])],
                branch("x", "then", "join"),
            ),
            bloc("then", [], goto("join")),
            bloc(
                "join",
                [
                    valu("p", Op::Phi, 0, &["x", "y"]),
                    valu("r", Op::SetResult, 0, &["p"]),
                ],
                ret(),
            ),
        ],
    );
    let (entry, join) = (fun.b("entry"), fun.b("join"));
    assert_property_reports(
        &fun,
        Property::NoCriticalPhiEdges,
        &format!("edge b{} → b{} is critical", entry.0, join.0),
    );
}

#[test]
fn laid_out_rejects_a_block_after_a_panic() {
    let mut fun = fun(
        "entry",
        [
            bloc(
                "entry",
                [valu("x", Op::Arg, 0, &[])],
                branch("x", "ok", "panic"),
            ),
            bloc("ok", [], ret()),
            bloc(
                "panic",
                [valu_sym(
                    "call",
                    Op::StaticCall,
                    Sym::Runtime(Runtime::PanicNil),
                    &[],
                )],
                exit(),
            ),
        ],
    );
    assert_eq!(check(&fun.f, Properties::of(&[Property::LaidOut])), Ok(()));
    let (entry, ok, panic) = (fun.b("entry"), fun.b("ok"), fun.b("panic"));
    fun.f.order = vec![entry, panic, ok];
    assert_property_reports(
        &fun,
        Property::LaidOut,
        &format!("b{} is laid out after the panic block b{}", ok.0, panic.0),
    );
}

/// The diamond after register allocation.
fn allocated() -> Fun {
    let mut fun = diamond();
    regalloc::run(&mut fun.f);
    assert_eq!(
        check(&fun.f, Properties::of(&[Property::Allocated])),
        Ok(())
    );
    fun
}

#[test]
fn allocated_rejects_a_value_without_a_location() {
    let mut fun = diamond();
    assert_reports(&fun, &[Property::Allocated], "0 locations for");
    fun = allocated();
    let y = fun.v("y");
    fun.f.locs[y.0 as usize] = None;
    assert_property_reports(
        &fun,
        Property::Allocated,
        &format!("v{} has no location", y.0),
    );
}

#[test]
fn allocated_rejects_a_location_for_no_word() {
    let mut fun = allocated();
    let r = fun.v("r");
    fun.f.locs[r.0 as usize] = Some(Loc::Slot(0));
    assert_property_reports(
        &fun,
        Property::Allocated,
        &format!("v{} has a location but no word", r.0),
    );
}

#[test]
fn allocated_rejects_a_scratch_register() {
    let mut fun = allocated();
    let y = fun.v("y");
    fun.f.locs[y.0 as usize] = Some(Loc::Reg(RAX));
    assert_property_reports(&fun, Property::Allocated, "not allocatable");
}

#[test]
fn allocated_rejects_an_unsaved_callee_saved_register() {
    let mut fun = allocated();
    let y = fun.v("y");
    fun.f.frame.saved.clear();
    fun.f.locs[y.0 as usize] = Some(Loc::Reg(regalloc::CALLEE_SAVED[0]));
    assert_property_reports(&fun, Property::Allocated, "which is not saved");
}

#[test]
fn allocated_rejects_a_slot_beyond_the_frame() {
    let mut fun = allocated();
    let y = fun.v("y");
    fun.f.locs[y.0 as usize] = Some(Loc::Slot(fun.f.frame.n_slots));
    assert_property_reports(&fun, Property::Allocated, "of 0");
}

#[test]
fn allocated_rejects_an_operand_without_a_location() {
    let mut fun = allocated();
    let (zero, c) = (fun.v("zero"), fun.v("c"));
    fun.f.locs[zero.0 as usize] = None;
    assert_property_reports(
        &fun,
        Property::Allocated,
        &format!("v{} uses v{}, which has no location", c.0, zero.0),
    );
}

#[test]
fn every_property_is_checked_once_in_its_set() {
    for (idx, &property) in Property::ALL.iter().enumerate() {
        let set = Properties::of(&[property]);
        for &other in &Property::ALL[idx + 1..] {
            assert!(
                !set.contains(other),
                "{property:?} and {other:?} share a bit"
            );
        }
        let mut emptied = set;
        emptied.remove(&[property]);
        assert_eq!(emptied, Properties::default());
    }
}

#[test]
fn allocated_rejects_two_live_values_in_one_register() {
    let mut fun = allocated();
    let (x, c) = (fun.v("x"), fun.v("c"));
    // `x` is still used after `c` is defined: they may not share a register.
    fun.f.locs[c.0 as usize] = fun.f.locs[x.0 as usize];
    assert_property_reports(
        &fun,
        Property::Allocated,
        &format!("v{} and v{} are both in", c.0, x.0),
    );
}

#[test]
fn allocated_lets_a_value_share_the_register_of_the_phi_it_is_copied_into() {
    let mut fun = allocated();
    let (y, p) = (fun.v("y"), fun.v("p"));
    // `y` dies where the copy into `p` is made, and `p` is dead while `y` lives.
    fun.f.locs[y.0 as usize] = fun.f.locs[p.0 as usize];
    assert_eq!(
        check(&fun.f, Properties::of(&[Property::Allocated])),
        Ok(())
    );
}

/// `r := p; alloc(8); return r`, the argument `p` a pointer (a slice's array, say) and
/// `n` an integer, both live across the call, after register allocation.
fn pointer_across_a_call() -> Fun {
    let mut fun = fun(
        "entry",
        [bloc(
            "entry",
            [
                valu("p", Op::Arg, 0, &[]),
                valu("n", Op::Arg, 1, &[]),
                valu("size", Op::Const, 8, &[]),
                valu_sym(
                    "call",
                    Op::StaticCall,
                    Sym::Runtime(Runtime::Alloc),
                    &["size"],
                ),
                valu("fresh", Op::LoadResult, 0, &[]),
                valu("r0", Op::SetResult, 0, &["p"]),
                valu("r1", Op::SetResult, 1, &["n"]),
                valu("r2", Op::SetResult, 2, &["fresh"]),
            ],
            ret(),
        )],
    );
    let p = fun.v("p");
    fun.f.values[p.0 as usize].ptr = true;
    regalloc::run(&mut fun.f);
    fun
}

#[test]
fn allocated_checks_the_stack_map_of_a_call() {
    let mut fun = pointer_across_a_call();
    assert_eq!(
        check(&fun.f, Properties::of(&[Property::Allocated])),
        Ok(())
    );
    let (p, call) = (fun.v("p"), fun.v("call"));
    let Some(Loc::Reg(reg)) = fun.f.locs[p.0 as usize] else {
        panic!("p is in a register");
    };
    // The map names `p`'s register, and nothing for `n`.
    let map = fun.f.stack_maps.maps[0];
    assert_eq!((map.call, map.regs), (call, 1 << reg));
    assert!(fun.f.stack_maps.slots_of(&map).is_empty());
    fun.f.stack_maps.maps.clear();
    assert_property_reports(
        &fun,
        Property::Allocated,
        &format!("the stack map of v{} has registers 0x0", call.0),
    );
}

#[test]
fn allocated_rejects_a_stack_map_that_names_an_integer() {
    let mut fun = pointer_across_a_call();
    let (n, call) = (fun.v("n"), fun.v("call"));
    let Some(Loc::Reg(reg)) = fun.f.locs[n.0 as usize] else {
        panic!("n is in a register");
    };
    fun.f.stack_maps.maps[0].regs |= 1 << reg;
    assert_property_reports(
        &fun,
        Property::Allocated,
        &format!("the stack map of v{} has registers", call.0),
    );
}

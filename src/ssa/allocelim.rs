//! Allocations that never escape: the heap cells and closures whose every use the function
//! itself can see, after Go's escape analysis and its `deadstore` pass.
//!
//! An allocation (the word `runtime.mallocgc` returns) is *local* when it is used only as
//! the address of loads and stores: it is never stored as a value, passed, returned or
//! merged by a phi, so no other code can read or write it. Then:
//! - a load from it sees the word last stored at that offset on the dominator-tree path
//!   into it, as long as that path holds no join (a block with several predecessors); the
//!   load is replaced with that word;
//! - once nothing loads from it, the allocation and its stores go.
//!
//! The builder inlines the calls of closures it made, so a closure called only where it
//! was made is stored to and never loaded: it goes, and the cells it held become local in
//! turn. The pass repeats until nothing changes.

use rustc_hash::FxHashMap;

use crate::ssa::dom::{DomTree, Visit};
use crate::ssa::func::{Func, ValueId};
use crate::ssa::op::Op;

/// Forwards stores to loads through local allocations and removes the unread ones.
pub fn run(f: &mut Func) {
    loop {
        let allocs = f.allocations();
        if allocs.is_empty() {
            return;
        }
        let local = local_allocations(f, &allocs);
        if !local.iter().any(|&is_local| is_local) {
            return;
        }
        let forwarded = forward(f, &local);
        let removed = remove_unread(f, &allocs, &local);
        if !forwarded && !removed {
            return;
        }
    }
}

/// Marks the allocation results used only as load and store addresses.
fn local_allocations(f: &Func, allocs: &[(ValueId, ValueId)]) -> Vec<bool> {
    let mut local = vec![false; f.values.len()];
    for &(_, result) in allocs {
        local[result.0 as usize] = true;
    }
    for &block in &f.order {
        let b = f.block(block);
        if let Some(control) = b.control {
            local[control.0 as usize] = false;
        }
        for &v in &b.values {
            let value = f.value(v);
            let as_address = matches!(value.op, Op::Load | Op::Store);
            for (idx, &arg) in value.args.iter().enumerate() {
                if !(as_address && idx == 0) {
                    local[arg.0 as usize] = false;
                }
            }
        }
    }
    local
}

/// A word of a local allocation: the allocation and the offset.
type Slot = (ValueId, i64);

/// The word last stored to a slot, and the position in the undo log where that was
/// recorded.
type Stored = (ValueId, usize);

/// Replaces loads from local allocations with the words stored there; reports whether any
/// load went.
fn forward(f: &mut Func, local: &[bool]) -> bool {
    let loads_local = f.order.iter().any(|&block| {
        f.block(block).values.iter().any(|&v| {
            let value = f.value(v);
            value.op == Op::Load && local[value.args[0].0 as usize]
        })
    });
    if !loads_local {
        return false;
    }
    let dom = DomTree::new(f);
    let mut replace: Vec<Option<ValueId>> = vec![None; f.values.len()];
    let mut any = false;
    // What the dominator-tree path into the current block stored, as a table with an undo
    // log (as in `cse`): per address and offset, the word and the log position of its entry.
    // An entry below `floor` was made above the nearest join on the path and does not hold.
    let mut stored: FxHashMap<Slot, Stored> = FxHashMap::default();
    let mut undo: Vec<(Slot, Option<Stored>)> = Vec::new();
    let mut floor = 0;
    let mut floors: Vec<usize> = Vec::new();
    let mut stack = vec![Visit::Enter(f.entry())];
    while let Some(visit) = stack.pop() {
        let block = match visit {
            Visit::Enter(block) => block,
            Visit::Exit(scope_start) => {
                for (key, earlier) in undo.drain(scope_start..).rev() {
                    match earlier {
                        Some(entry) => stored.insert(key, entry),
                        None => stored.remove(&key),
                    };
                }
                floor = floors.pop().expect("entered");
                continue;
            }
        };
        let scope_start = undo.len();
        floors.push(floor);
        if f.block(block).preds.len() > 1 {
            floor = scope_start;
        }
        let mut removed = false;
        for idx in 0..f.block(block).values.len() {
            let v = f.block(block).values[idx];
            let value = f.value(v);
            let Some(&addr) = value.args.first() else {
                continue;
            };
            if !local[addr.0 as usize] {
                continue;
            }
            let key = (addr, value.aux);
            let word = match value.op {
                Op::Store => resolve(&replace, value.args[1]),
                Op::Load => match stored.get(&key) {
                    Some(&(word, at)) if at >= floor => {
                        replace[v.0 as usize] = Some(word);
                        removed = true;
                        continue;
                    }
                    _ => v,
                },
                _ => continue,
            };
            let earlier = stored.insert(key, (word, undo.len()));
            undo.push((key, earlier));
        }
        if removed {
            any = true;
            f.blocks[block.0 as usize]
                .values
                .retain(|v| replace[v.0 as usize].is_none());
        }
        stack.push(Visit::Exit(scope_start));
        let children = dom.children(block);
        stack.extend(children.iter().rev().map(|&child| Visit::Enter(child)));
    }
    if any {
        for idx in 0..f.order.len() {
            let block = f.order[idx];
            for v_idx in 0..f.blocks[block.0 as usize].values.len() {
                let v = f.blocks[block.0 as usize].values[v_idx];
                for a_idx in 0..f.values[v.0 as usize].args.len() {
                    let arg = f.values[v.0 as usize].args[a_idx];
                    f.values[v.0 as usize].args[a_idx] = resolve(&replace, arg);
                }
            }
            if let Some(control) = f.blocks[block.0 as usize].control {
                f.blocks[block.0 as usize].control = Some(resolve(&replace, control));
            }
        }
    }
    any
}

fn resolve(replace: &[Option<ValueId>], mut v: ValueId) -> ValueId {
    while let Some(word) = replace[v.0 as usize] {
        v = word;
    }
    v
}

/// Removes the local allocations nothing loads from, with their stores; reports whether
/// any went.
fn remove_unread(f: &mut Func, allocs: &[(ValueId, ValueId)], local: &[bool]) -> bool {
    let mut read = vec![false; f.values.len()];
    for &block in &f.order {
        for &v in &f.block(block).values {
            let value = f.value(v);
            if value.op == Op::Load {
                read[value.args[0].0 as usize] = true;
            }
        }
    }
    let mut remove = vec![false; f.values.len()];
    let mut any = false;
    for &(call, result) in allocs {
        if local[result.0 as usize] && !read[result.0 as usize] {
            remove[call.0 as usize] = true;
            remove[result.0 as usize] = true;
            any = true;
        }
    }
    if !any {
        return false;
    }
    for idx in 0..f.order.len() {
        let block = f.order[idx];
        let values = std::mem::take(&mut f.blocks[block.0 as usize].values);
        let kept = values
            .into_iter()
            .filter(|&v| {
                let value = f.value(v);
                !(remove[v.0 as usize] || value.op == Op::Store && remove[value.args[0].0 as usize])
            })
            .collect();
        f.blocks[block.0 as usize].values = kept;
    }
    // The outgoing area was sized for every call the builder made.
    f.out_words = crate::ssa::abi::out_words(f);
    true
}

#[cfg(test)]
mod tests {
    use crate::ssa::op::Op;
    use crate::ssa::testfun::{Valu, bloc, branch, fun, goto, ret, valu, valu_sym};
    use crate::ssa::{Runtime, Sym};

    /// `ptr := alloc(8)`: the call, its result and the size.
    fn alloc() -> [Valu; 3] {
        [
            valu("size", Op::Const, 8, &[]),
            valu_sym(
                "call",
                Op::StaticCall,
                Sym::Runtime(Runtime::Alloc),
                &["size"],
            ),
            valu("ptr", Op::LoadResult, 0, &[]),
        ]
    }

    /// `*ptr = x; return *ptr`: the load reads `x`, and the allocation goes.
    #[test]
    fn allocelim_forwards_a_store_and_removes_the_allocation() {
        let [size, call, ptr] = alloc();
        let mut fun = fun(
            "entry",
            [bloc(
                "entry",
                [
                    valu("x", Op::Arg, 0, &[]),
                    size,
                    call,
                    ptr,
                    valu("store", Op::Store, 0, &["ptr", "x"]),
                    valu("load", Op::Load, 0, &["ptr"]),
                    valu("r", Op::SetResult, 0, &["load"]),
                ],
                ret(),
            )],
        );
        fun.run("allocelim");
        for name in ["call", "ptr", "store", "load"] {
            assert!(!fun.has_value(name), "{name} stays");
        }
        assert_eq!(fun.args("r"), [fun.v("x")]);
    }

    /// An allocation that is returned escapes: its stores and loads stay.
    #[test]
    fn allocelim_keeps_an_allocation_that_escapes() {
        let [size, call, ptr] = alloc();
        let mut fun = fun(
            "entry",
            [bloc(
                "entry",
                [
                    valu("x", Op::Arg, 0, &[]),
                    size,
                    call,
                    ptr,
                    valu("store", Op::Store, 0, &["ptr", "x"]),
                    valu("load", Op::Load, 0, &["ptr"]),
                    valu("r0", Op::SetResult, 0, &["load"]),
                    valu("r1", Op::SetResult, 1, &["ptr"]),
                ],
                ret(),
            )],
        );
        fun.run("allocelim");
        for name in ["call", "ptr", "store", "load"] {
            assert!(fun.has_value(name), "{name} went");
        }
    }

    /// A store before a join is not forwarded to a load after it, which keeps the
    /// allocation.
    #[test]
    fn allocelim_does_not_forward_across_a_join() {
        let [size, call, ptr] = alloc();
        let mut fun = fun(
            "entry",
            [
                bloc(
                    "entry",
                    [
                        valu("x", Op::Arg, 0, &[]),
                        size,
                        call,
                        ptr,
                        valu("store", Op::Store, 0, &["ptr", "x"]),
                    ],
                    branch("x", "then", "join"),
                ),
                bloc(
                    "then",
                    [valu("store2", Op::Store, 0, &["ptr", "size"])],
                    goto("join"),
                ),
                bloc(
                    "join",
                    [
                        valu("load", Op::Load, 0, &["ptr"]),
                        valu("r", Op::SetResult, 0, &["load"]),
                    ],
                    ret(),
                ),
            ],
        );
        fun.run("allocelim");
        for name in ["ptr", "store", "store2", "load"] {
            assert!(fun.has_value(name), "{name} went");
        }
    }
}

//! The initialization order of package-level variables, and initialization cycles, as Go's
//! `types2/initorder.go` computes them.
//!
//! Input: for every package-level constant, variable and function, the package-level objects
//! its initializer or body refers to (its dependencies), recorded by the checker.
//!
//! Algorithm: functions are eliminated from the dependency graph by linking each function's
//! dependents directly to its dependencies. The remaining constants and variables are then
//! emitted by a priority queue ordered by the number of dependencies not yet emitted, then
//! constants first, then source order. A node popped while it still has dependencies lies on
//! a cycle, which is reported along the original edges (through functions): `initialization
//! cycle for x` with one `x refers to f` line per edge.
//!
//! Output: the variables in the order their initializers run.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rustc_hash::FxHashSet;

use crate::diag::Span;
use crate::types::object::ObjId;

/// A package-level object in the dependency graph.
pub(crate) struct Node {
    pub(crate) obj: ObjId,
    /// Where it is declared, for messages and the source-order tie-break.
    pub(crate) span: Span,
    pub(crate) is_const: bool,
    pub(crate) is_func: bool,
    /// Package-level objects its initializer or body refers to.
    pub(crate) deps: Vec<ObjId>,
}

/// An initialization cycle: objects in the order Go reports them.
pub(crate) type Cycle = Vec<ObjId>;

/// Returns the non-function objects in initialization order, and the cycles found.
pub(crate) fn init_order(nodes: &[Node]) -> (Vec<ObjId>, Vec<Cycle>) {
    let n_nodes = nodes.len();
    let mut succ: Vec<FxHashSet<usize>> = vec![FxHashSet::default(); n_nodes];
    let mut pred: Vec<FxHashSet<usize>> = vec![FxHashSet::default(); n_nodes];
    let lookup = index_map(nodes);
    for (idx, node) in nodes.iter().enumerate() {
        for dep in &node.deps {
            if let Some(&dep_idx) = lookup.get(dep) {
                succ[idx].insert(dep_idx);
                pred[dep_idx].insert(idx);
            }
        }
    }
    // Eliminate functions, cheapest first, so that the graph stays small.
    let mut funcs: Vec<usize> = (0..n_nodes).filter(|&idx| nodes[idx].is_func).collect();
    funcs.sort_by_key(|&idx| (pred[idx].len() * succ[idx].len(), nodes[idx].span.lo));
    for func in funcs {
        let preds: Vec<usize> = pred[func].iter().copied().filter(|&p| p != func).collect();
        let succs: Vec<usize> = succ[func].iter().copied().filter(|&s| s != func).collect();
        for &p in &preds {
            for &s in &succs {
                succ[p].insert(s);
                pred[s].insert(p);
            }
            succ[p].remove(&func);
        }
        for &s in &succs {
            pred[s].remove(&func);
        }
    }
    let mut ndeps: Vec<usize> = succ.iter().map(FxHashSet::len).collect();
    let key =
        |idx: usize, ndeps: usize| Reverse((ndeps, !nodes[idx].is_const, nodes[idx].span.lo, idx));
    let mut queue: BinaryHeap<_> = (0..n_nodes)
        .filter(|&idx| !nodes[idx].is_func)
        .map(|idx| key(idx, ndeps[idx]))
        .collect();
    let mut done = vec![false; n_nodes];
    let mut order = Vec::new();
    let mut cycles = Vec::new();
    while let Some(Reverse((entry_ndeps, _, _, idx))) = queue.pop() {
        // Entries are not updated in place: skip those that went stale.
        if done[idx] || entry_ndeps != ndeps[idx] {
            continue;
        }
        done[idx] = true;
        if ndeps[idx] > 0
            && let Some(cycle) = find_path(nodes, &lookup, idx, idx, &mut vec![false; n_nodes])
        {
            cycles.push(cycle.into_iter().map(|idx| nodes[idx].obj).collect());
        }
        for &p in &pred[idx] {
            if !done[p] {
                ndeps[p] = ndeps[p].saturating_sub(1);
                queue.push(key(p, ndeps[p]));
            }
        }
        if !nodes[idx].is_const {
            order.push(nodes[idx].obj);
        }
    }
    (order, cycles)
}

fn index_map(nodes: &[Node]) -> rustc_hash::FxHashMap<ObjId, usize> {
    nodes
        .iter()
        .enumerate()
        .map(|(idx, node)| (node.obj, idx))
        .collect()
}

/// Returns a path of dependencies from `from` back to `to`, as Go's `findPath`: the last
/// step first, so that `to` ends up at the front.
fn find_path(
    nodes: &[Node],
    lookup: &rustc_hash::FxHashMap<ObjId, usize>,
    from: usize,
    to: usize,
    seen: &mut Vec<bool>,
) -> Option<Vec<usize>> {
    if seen[from] {
        return None;
    }
    seen[from] = true;
    let mut deps: Vec<usize> = nodes[from]
        .deps
        .iter()
        .filter_map(|dep| lookup.get(dep).copied())
        .collect();
    deps.sort_by_key(|&idx| nodes[idx].span.lo);
    deps.dedup();
    for dep in deps {
        if dep == to {
            return Some(vec![dep]);
        }
        if let Some(mut path) = find_path(nodes, lookup, dep, to, seen) {
            path.push(dep);
            return Some(path);
        }
    }
    None
}

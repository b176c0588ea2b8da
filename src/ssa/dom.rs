//! Dominators, by Cooper, Harvey and Kennedy's "A Simple, Fast Dominance Algorithm".

use crate::ssa::func::{BlockId, Func};

/// The dominator tree of a function's live blocks.
pub struct DomTree {
    /// Per block: its immediate dominator (the entry's is itself); `None` if not live.
    pub idom: Vec<Option<BlockId>>,
    /// Per block `b`: its children are `child_list[child_start[b]..child_start[b + 1]]`.
    /// One flat list rather than a vector per block: most blocks have no child or one, and
    /// the tree is rebuilt by several passes of every function.
    child_start: Vec<u32>,
    /// The children of every block, grouped by parent, each group in reverse postorder.
    child_list: Vec<BlockId>,
}

/// A step of a preorder walk of the dominator tree with an explicit stack: enter a block,
/// or leave a subtree, restoring the walk's state to the length it had on entry.
pub enum Visit {
    /// Visit this block, then its dominator-tree children.
    Enter(BlockId),
    /// The subtree entered with the state at this length is done (or, for a walk whose
    /// state is not a stack, the subtree of this block).
    Exit(usize),
}

/// Returns the live blocks in reverse postorder from the entry.
pub fn reverse_postorder(f: &Func) -> Vec<BlockId> {
    let mut seen = vec![false; f.blocks.len()];
    let mut post = Vec::with_capacity(f.order.len());
    // An explicit stack: functions may have very many blocks.
    let entry = f.entry();
    let mut stack = Vec::with_capacity(f.order.len());
    stack.push((entry, 0usize));
    seen[entry.0 as usize] = true;
    while let Some(&mut (block, ref mut next)) = stack.last_mut() {
        let succs = &f.block(block).succs;
        if *next < succs.len() {
            let succ = succs[*next];
            *next += 1;
            if !seen[succ.0 as usize] {
                seen[succ.0 as usize] = true;
                stack.push((succ, 0));
            }
        } else {
            post.push(block);
            stack.pop();
        }
    }
    post.reverse();
    post
}

impl DomTree {
    /// Computes the dominator tree of `f`.
    pub fn new(f: &Func) -> DomTree {
        let rpo = reverse_postorder(f);
        let mut number = vec![u32::MAX; f.blocks.len()];
        for (idx, &block) in rpo.iter().enumerate() {
            number[block.0 as usize] = idx as u32;
        }
        let mut idom: Vec<Option<BlockId>> = vec![None; f.blocks.len()];
        let entry = rpo[0];
        idom[entry.0 as usize] = Some(entry);
        let mut changed = true;
        while changed {
            changed = false;
            for &block in &rpo[1..] {
                let mut new_idom: Option<BlockId> = None;
                for &pred in &f.block(block).preds {
                    if idom[pred.0 as usize].is_none() {
                        continue;
                    }
                    new_idom = Some(match new_idom {
                        None => pred,
                        Some(other) => intersect(&idom, &number, pred, other),
                    });
                }
                if new_idom.is_some() && idom[block.0 as usize] != new_idom {
                    idom[block.0 as usize] = new_idom;
                    changed = true;
                }
            }
        }
        // Counting sort of the children by parent, keeping reverse postorder in a group.
        let mut child_start = vec![0u32; f.blocks.len() + 1];
        for &block in &rpo[1..] {
            if let Some(parent) = idom[block.0 as usize] {
                child_start[parent.0 as usize + 1] += 1;
            }
        }
        for idx in 1..child_start.len() {
            child_start[idx] += child_start[idx - 1];
        }
        let mut fill = child_start.clone();
        let mut child_list = vec![entry; rpo.len() - 1];
        for &block in &rpo[1..] {
            if let Some(parent) = idom[block.0 as usize] {
                let slot = &mut fill[parent.0 as usize];
                child_list[*slot as usize] = block;
                *slot += 1;
            }
        }
        DomTree {
            idom,
            child_start,
            child_list,
        }
    }

    /// Returns whether `a` dominates `b` (every block dominates itself; an unreachable `b`
    /// is dominated by none), walking up from `b`.
    pub fn dominates(&self, a: BlockId, b: BlockId) -> bool {
        let mut block = b;
        loop {
            if block == a {
                return true;
            }
            match self.idom[block.0 as usize] {
                Some(parent) if parent != block => block = parent,
                _ => return false,
            }
        }
    }

    /// Returns the blocks `block` immediately dominates, in reverse postorder.
    pub fn children(&self, block: BlockId) -> &[BlockId] {
        let idx = block.0 as usize;
        &self.child_list[self.child_start[idx] as usize..self.child_start[idx + 1] as usize]
    }
}

fn intersect(idom: &[Option<BlockId>], number: &[u32], a: BlockId, b: BlockId) -> BlockId {
    let (mut a, mut b) = (a, b);
    while a != b {
        while number[a.0 as usize] > number[b.0 as usize] {
            a = idom[a.0 as usize].expect("processed");
        }
        while number[b.0 as usize] > number[a.0 as usize] {
            b = idom[b.0 as usize].expect("processed");
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::DomTree;
    use crate::ssa::check::{self, Properties};
    use crate::ssa::op::Op;
    use crate::ssa::testfun::{bloc, branch, fun, goto, ret, valu};

    /// A diamond, then a loop, and a block the entry does not reach.
    #[test]
    fn dom_finds_the_immediate_dominator_of_each_block() {
        let fun = fun(
            "entry",
            [
                bloc("entry", [valu("x", Op::Arg, 0, &[])], branch("x", "a", "b")),
                bloc("a", [], goto("join")),
                bloc("b", [], goto("join")),
                bloc("join", [], goto("head")),
                bloc("head", [], branch("x", "body", "exit")),
                bloc("body", [], goto("head")),
                bloc("exit", [], ret()),
                bloc("orphan", [], goto("exit")),
            ],
        );
        check::verify(&fun.f, "test", Properties::default());
        let dom = DomTree::new(&fun.f);
        let idom = |name: &str| dom.idom[fun.b(name).0 as usize];
        for (block, parent) in [
            ("entry", "entry"),
            ("a", "entry"),
            ("b", "entry"),
            ("join", "entry"),
            ("head", "join"),
            ("body", "head"),
            ("exit", "head"),
        ] {
            assert_eq!(idom(block), Some(fun.b(parent)), "idom of {block}");
        }
        assert_eq!(idom("orphan"), None);
        // Children in reverse postorder: the walk from the entry finishes `a` (through
        // `join`) before it reaches `b`, and `body` before `exit`.
        assert_eq!(
            dom.children(fun.b("entry")),
            [fun.b("b"), fun.b("a"), fun.b("join")]
        );
        assert_eq!(dom.children(fun.b("head")), [fun.b("exit"), fun.b("body")]);
        assert!(dom.children(fun.b("body")).is_empty());
    }
}

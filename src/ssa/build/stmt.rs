//! Statements: declarations and assignments, `return`, and the control flow of `if`, `for`
//! (with Go 1.22's fresh variables per iteration), `switch`, `break` and `continue`, with
//! conditions short-circuited into branches (`cond`).

use smallvec::SmallVec;

use crate::ssa::func::{BlockId, ValueId};
use crate::ssa::op::{BlockKind, Op};
use crate::syntax::ast::{
    self, BinOp, Block, Expr, ExprKind, ForHeader, Stmt, Symbol, UnOp, VarSpec, unparen,
};
use crate::types::ObjId;
use crate::types::ty::{self, TypeId};

use super::slice::Place;
use super::{Builder, Words};

/// How a loop advances.
enum Iteration {
    /// A three-clause loop, with its variables that live in cells.
    Clause { cells: Vec<ObjId> },
    /// `range n`, with the hidden counter variable; over a slice, `n` is its length and
    /// `elems` its array and element type.
    Range {
        n: ValueId,
        counter: u32,
        elems: Option<(ValueId, TypeId)>,
    },
}

/// Where `break` and `continue` go.
pub(super) struct Target {
    label: Option<Symbol>,
    brk: BlockId,
    cont: Option<BlockId>,
}

impl<'a> Builder<'a> {
    pub(super) fn block(&mut self, block: &Block) {
        for stmt in &block.stmts {
            self.stmt(stmt, None);
        }
    }

    fn stmt(&mut self, stmt: &Stmt, label: Option<Symbol>) {
        if self.cur.is_none() {
            // Unreachable code: nothing to generate, but labels and closures inside it
            // still exist; closures are compiled only if created, which they are not.
            return;
        }
        match stmt {
            Stmt::Expr(expr) => {
                self.expr(expr);
            }
            Stmt::Var(specs) => {
                for spec in specs {
                    self.var_spec(spec);
                }
            }
            Stmt::Const(_) | Stmt::Empty | Stmt::Bad => {}
            Stmt::Define { lhs, rhs, .. } => self.assign(lhs, rhs, true),
            Stmt::Assign { lhs, op, rhs, .. } => match op {
                None => self.assign(lhs, rhs, false),
                Some(op) => {
                    let target = &lhs[0];
                    let ty = self.type_of(target);
                    // gc reads the target after the calls on the right; an element's
                    // address is found once.
                    self.hoist(target);
                    self.hoist(&rhs[0]);
                    let place = self.place(target);
                    let old = self.read_place(&place);
                    let rhs_words = self.eval_as(&rhs[0], ty);
                    let new = self.binary_words(*op, ty, &old, &rhs_words, Some(&rhs[0]));
                    self.write_place(&place, &new);
                }
            },
            Stmt::IncDec { target, inc, .. } => {
                self.hoist(target);
                let place = self.place(target);
                let old = self.read_place(&place)[0];
                let one = self.constant(1);
                let new = self.value(if *inc { Op::Add } else { Op::Sub }, 0, &[old, one]);
                let new = self.wrap(self.type_of(target), new);
                self.write_place(&place, &[new]);
            }
            Stmt::Block(block) => self.block(block),
            Stmt::If(if_stmt) => {
                if let Some(init) = &if_stmt.init {
                    self.stmt(init, None);
                }
                // Without an `else`, the condition's false side goes straight to the join.
                let then = self.new_block();
                let els = if_stmt.els.as_ref().map(|_| self.new_block());
                let join = self.new_block();
                self.cond(&if_stmt.cond, then, els.unwrap_or(join));
                self.seal(then);
                if let Some(els) = els {
                    self.seal(els);
                }
                self.cur = Some(then);
                self.block(&if_stmt.then);
                self.jump(join);
                if let (Some(els), Some(els_stmt)) = (els, &if_stmt.els) {
                    self.cur = Some(els);
                    self.stmt(els_stmt, None);
                    self.jump(join);
                }
                self.seal(join);
                self.reach(join);
            }
            Stmt::For(for_stmt) => self.for_stmt(for_stmt, label),
            Stmt::Switch(switch) => self.switch(switch, label),
            Stmt::Return { results, .. } => self.ret(results),
            Stmt::Branch {
                is_break, label, ..
            } => {
                let name = label.map(|l| l.name);
                let target = self
                    .targets
                    .iter()
                    .rev()
                    .find(|t| match name {
                        Some(name) => t.label == Some(name),
                        None => *is_break || t.cont.is_some(),
                    })
                    .expect("the checker resolved the branch");
                let to = if *is_break {
                    target.brk
                } else {
                    target.cont.expect("a loop")
                };
                self.jump(to);
            }
            Stmt::Labeled { label, stmt } => self.stmt(stmt, Some(label.name)),
            Stmt::Type(_)
            | Stmt::TypeSwitch(_)
            | Stmt::Select(_)
            | Stmt::GoDefer { .. }
            | Stmt::Send(_)
            | Stmt::Goto { .. }
            | Stmt::Fallthrough(_) => unreachable!("the checker rejects {stmt:?}"),
        }
    }

    fn var_spec(&mut self, spec: &VarSpec) {
        let objs: Vec<Option<ObjId>> = spec
            .names
            .iter()
            .map(|name| self.info.obj_of(name.id))
            .collect();
        let mut values: Vec<Words> = Vec::new();
        if spec.values.len() == 1 && spec.names.len() > 1 {
            // The call's result types give each name its words: a blank one has no type
            // of its own.
            let results = self
                .tuple_types(&spec.values[0])
                .expect("a call with several results");
            let words = self.expr(&spec.values[0]);
            let mut at = 0;
            for ty in results {
                let n = self.words_of(ty) as usize;
                values.push(SmallVec::from_slice(&words[at..at + n]));
                at += n;
            }
        } else if spec.values.is_empty() {
            for obj in &objs {
                let n = obj.map_or(1, |obj| self.words_of(self.info.obj(obj).ty));
                values.push(self.zero(n));
            }
        } else {
            let exprs: Vec<(&Expr, Option<TypeId>)> = spec
                .values
                .iter()
                .zip(&objs)
                .map(|(value, obj)| (value, obj.map(|obj| self.info.obj(obj).ty)))
                .collect();
            values = self.expr_list(&exprs);
        }
        for (obj, words) in objs.iter().zip(values) {
            if let Some(obj) = obj {
                self.declare(*obj, &words);
            }
        }
    }

    fn assign(&mut self, lhs: &[Expr], rhs: &[Expr], define: bool) {
        let mut values: Vec<Words> = Vec::new();
        if rhs.len() == 1 && lhs.len() > 1 {
            // The call's result types give each target its words: a blank target has no
            // type of its own.
            let results = self
                .tuple_types(&rhs[0])
                .expect("a call with several results");
            let words = self.expr(&rhs[0]);
            let mut at = 0;
            for ty in results {
                let n = self.words_of(ty) as usize;
                values.push(SmallVec::from_slice(&words[at..at + n]));
                at += n;
            }
        } else {
            // The operands of an element's index are evaluated with the right side (their
            // calls first, left to right), before anything is assigned.
            for target in lhs {
                if let ExprKind::Index(_) = unparen(target).kind {
                    self.hoist(target);
                }
            }
            let exprs: Vec<(&Expr, Option<TypeId>)> = rhs
                .iter()
                .zip(lhs)
                .map(|(value, target)| (value, self.target_type(target)))
                .collect();
            values = self.expr_list(&exprs);
        }
        let places: Vec<Option<Place>> = lhs
            .iter()
            .map(|target| match unparen(target).kind {
                ExprKind::Index(_) => Some(self.place(target)),
                _ => None,
            })
            .collect();
        for ((target, words), place) in lhs.iter().zip(values).zip(places) {
            if let Some(place) = place {
                self.write_place(&place, &words);
                continue;
            }
            let target = unparen(target);
            let Some(obj) = self.info.obj_of(target.id) else {
                continue; // the blank identifier
            };
            // Each build of a declaration makes a new variable: an inlined body built twice
            // has two of each, and their cells must differ.
            if define && self.is_decl_site(obj, target) {
                self.declare(obj, &words);
            } else {
                self.write_obj(obj, &words);
            }
        }
    }

    fn is_decl_site(&self, obj: ObjId, target: &Expr) -> bool {
        self.info.obj(obj).span == target.span
    }

    fn target_type(&self, target: &Expr) -> Option<TypeId> {
        let target = unparen(target);
        if let ExprKind::Index(_) = target.kind {
            return Some(self.type_of(target));
        }
        self.info.obj_of(target.id).map(|obj| self.info.obj(obj).ty)
    }

    /// Builds `return`. With named results, a bare `return` returns their current values,
    /// and `return a, b` assigns the values to them first, as Go does: a closure that
    /// captured a result and is called later sees what was returned.
    fn ret(&mut self, results: &[Expr]) {
        let named = self.named_results.clone();
        let words: Words = if results.is_empty() {
            named
                .into_iter()
                .flat_map(|obj| self.read_obj(obj))
                .collect()
        } else {
            let words = self.result_values(results);
            let mut at = 0;
            for obj in named {
                let n = self.words_of(self.info.obj(obj).ty) as usize;
                self.write_obj(obj, &words[at..at + n]);
                at += n;
            }
            words
        };
        if let Some(inlining) = self.inlining {
            for (idx, &word) in words.iter().enumerate() {
                self.write(inlining.results + idx as u32, word);
            }
            self.jump(inlining.exit);
            return;
        }
        for (idx, &word) in words.iter().enumerate() {
            self.value(Op::SetResult, idx as i64, &[word]);
        }
        let block = self.cur.take().expect("code is reachable");
        self.f.blocks[block.0 as usize].kind = BlockKind::Ret;
    }

    /// Returns the words of the values of `return results`, converted to the result types.
    fn result_values(&mut self, results: &[Expr]) -> Words {
        let func_results: Vec<TypeId> = self.result_types();
        let mut words: Words = SmallVec::new();
        if results.len() == 1 && func_results.len() > 1 {
            words = self.expr(&results[0]);
        } else {
            let exprs: Vec<(&Expr, Option<TypeId>)> = results
                .iter()
                .zip(&func_results)
                .map(|(expr, &ty)| (expr, Some(ty)))
                .collect();
            for value in self.expr_list(&exprs) {
                words.extend(value);
            }
        }
        words
    }

    fn result_types(&self) -> Vec<TypeId> {
        self.result_tys.clone()
    }

    /// Builds a loop: `header` tests, `body` runs, `cont` advances (where `continue`
    /// goes), `exit` follows (where `break` goes).
    fn for_stmt(&mut self, for_stmt: &ast::ForStmt, label: Option<Symbol>) {
        let iteration = match &for_stmt.header {
            ForHeader::Clause { init, .. } => {
                if let Some(init) = init {
                    self.stmt(init, None);
                }
                // Go 1.22: each iteration has its own copy of the variables `init`
                // declares. Only those in heap cells can tell: they get a fresh cell per
                // iteration.
                let cells = match init.as_deref() {
                    Some(Stmt::Define { lhs, .. }) => lhs
                        .iter()
                        .filter_map(|target| self.info.obj_of(target.id))
                        .filter(|obj| self.boxed.contains(obj))
                        .collect(),
                    _ => Vec::new(),
                };
                Iteration::Clause { cells }
            }
            ForHeader::Range { expr, .. } => {
                // The range expression is evaluated once, before the loop.
                let words = self.expr(expr);
                let elems = self
                    .info
                    .types
                    .slice_elem(self.type_of(expr))
                    .map(|elem| (words[0], elem));
                let n = if elems.is_some() { words[1] } else { words[0] };
                let counter = self.new_var(1);
                let zero = self.constant(0);
                self.write(counter, zero);
                Iteration::Range { n, counter, elems }
            }
        };
        let header = self.new_block();
        let body = self.new_block();
        let cont = self.new_block();
        let exit = self.new_block();
        self.jump(header);
        self.cur = Some(header);
        match (&for_stmt.header, &iteration) {
            (
                ForHeader::Clause {
                    cond: Some(cond), ..
                },
                _,
            ) => self.cond(cond, body, exit),
            (_, &Iteration::Range { n, counter, .. }) => {
                let i = self.read(counter);
                let more = self.value(Op::Lt, 0, &[i, n]);
                self.branch(more, body, exit);
            }
            _ => self.jump(body),
        }
        self.seal(body);
        self.cur = Some(body);
        if let (
            ForHeader::Range {
                key, value, define, ..
            },
            &Iteration::Range { counter, elems, .. },
        ) = (&for_stmt.header, &iteration)
        {
            let i = self.read(counter);
            let value_words = match (value, elems) {
                (Some(_), Some((ptr, elem))) => {
                    let size = self.info.types.size(elem);
                    let size = self.constant(size);
                    let offset = self.value(Op::Mul, 0, &[i, size]);
                    let addr = self.value(Op::Add, 0, &[ptr, offset]);
                    Some(self.load_value(addr, elem))
                }
                _ => None,
            };
            let vars = [
                (key, Some(SmallVec::from_slice(&[i]))),
                (value, value_words),
            ];
            for (var, words) in vars {
                let (Some(var), Some(words)) = (var, words) else {
                    continue;
                };
                let var = unparen(var);
                let Some(obj) = self.info.obj_of(var.id) else {
                    continue;
                };
                if *define {
                    self.declare(obj, &words);
                } else {
                    self.write_obj(obj, &words);
                }
            }
        }
        self.targets.push(Target {
            label,
            brk: exit,
            cont: Some(cont),
        });
        self.block(&for_stmt.body);
        self.targets.pop();
        self.jump(cont);
        self.seal(cont);
        self.reach(cont);
        if self.cur.is_some() {
            match (&for_stmt.header, iteration) {
                (ForHeader::Clause { post, .. }, Iteration::Clause { cells }) => {
                    for obj in cells {
                        self.fresh_cell(obj);
                    }
                    if let Some(post) = post {
                        self.stmt(post, None);
                    }
                }
                (_, Iteration::Range { counter, .. }) => {
                    let i = self.read(counter);
                    let one = self.constant(1);
                    let next = self.value(Op::Add, 0, &[i, one]);
                    self.write(counter, next);
                }
                (ForHeader::Range { .. }, Iteration::Clause { .. }) => {
                    unreachable!("the iteration follows the header")
                }
            }
            self.jump(header);
        }
        self.seal(header);
        self.seal(exit);
        self.reach(exit);
    }

    fn switch(&mut self, switch: &ast::SwitchStmt, label: Option<Symbol>) {
        if let Some(init) = &switch.init {
            self.stmt(init, None);
        }
        let tag = switch.tag.as_ref().map(|tag| {
            let ty = ty::default_type(self.type_of(tag));
            (self.expr_as(tag, ty), ty)
        });
        let exit = self.new_block();
        let bodies: Vec<BlockId> = switch.clauses.iter().map(|_| self.new_block()).collect();
        let mut default = None;
        for (clause, &body) in switch.clauses.iter().zip(&bodies) {
            let Some(exprs) = &clause.exprs else {
                default = Some(body);
                continue;
            };
            for expr in exprs {
                let next = self.new_block();
                match &tag {
                    Some((tag, ty)) => {
                        let value = self.expr_as(expr, *ty);
                        let eq = self.compare(BinOp::Eq, *ty, tag, &value);
                        self.branch(eq, body, next);
                    }
                    None => self.cond(expr, body, next),
                }
                self.seal(next);
                self.cur = Some(next);
            }
        }
        self.jump(default.unwrap_or(exit));
        self.targets.push(Target {
            label,
            brk: exit,
            cont: None,
        });
        for (clause, &body) in switch.clauses.iter().zip(&bodies) {
            self.seal(body);
            self.reach(body);
            for stmt in &clause.body {
                self.stmt(stmt, None);
            }
            self.jump(exit);
        }
        self.targets.pop();
        self.seal(exit);
        self.reach(exit);
    }

    /// Branches on boolean expression `cond`, short-circuiting `&&`, `||` and `!`.
    pub(super) fn cond(&mut self, cond: &Expr, then: BlockId, els: BlockId) {
        match &cond.kind {
            ExprKind::Paren(inner) => self.cond(inner, then, els),
            ExprKind::Unary(UnOp::Not, inner) if self.info.const_value(cond.id).is_none() => {
                self.cond(inner, els, then)
            }
            ExprKind::Binary(op @ (BinOp::LAnd | BinOp::LOr), binary)
                if self.info.const_value(cond.id).is_none() =>
            {
                let [lhs, rhs] = &binary.operands;
                let mid = self.new_block();
                if *op == BinOp::LAnd {
                    self.cond(lhs, mid, els);
                } else {
                    self.cond(lhs, then, mid);
                }
                self.seal(mid);
                self.cur = Some(mid);
                self.cond(rhs, then, els);
            }
            _ => {
                let v = self.expr(cond)[0];
                self.branch(v, then, els);
            }
        }
    }
}

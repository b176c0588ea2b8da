//! Function bodies and function literals: parameters and named results, the terminating
//! statement and unused variables of a body (types2's `funcBody`), and what the back end
//! needs of each literal: Go's name for it (`outer.func1`, `outer.func1.1`, `glob..func1` at
//! package level), its parent, and the variables it captures.
//!
//! A literal's body is checked where the literal appears, with the enclosing scopes visible;
//! one at package level is checked after the top-level function bodies, as Go does.

use crate::syntax::ast::{Block, Expr, ExprKind, FuncLit, Signature};
use crate::types::branches;
use crate::types::check::Checker;
use crate::types::object::{FuncId, FuncInfo, FuncNode, ObjId, ObjKind};
use crate::types::terminating::is_terminating_list;
use crate::types::ty::{INVALID, TypeId};

/// The function whose body is being checked.
pub(crate) struct FuncCtx {
    pub(crate) id: FuncId,
    pub(crate) results: Vec<TypeId>,
    /// Local variables declared in this body (not in nested literals), for the unused check.
    pub(crate) locals: Vec<ObjId>,
    /// How many literals this body has produced so far, for Go's `outer.funcN` names.
    pub(crate) n_lits: u32,
    /// The named results, blank ones included, in order; empty when the results are
    /// unnamed. A bare `return` returns them, and each must be in scope there.
    pub(crate) named_results: Vec<ObjId>,
}

impl<'a> Checker<'a> {
    /// Checks the body of function `id`: parameters, statements, the terminating statement,
    /// and unused variables.
    pub(crate) fn func_body(&mut self, id: FuncId, sig: &'a Signature, body: &'a Block) {
        let func_ty = self.state.info.funcs[id.0 as usize].ty;
        let results = self
            .state
            .info
            .types
            .func(func_ty)
            .map(|func| func.results.clone())
            .unwrap_or_default();
        let param_types = self
            .state
            .info
            .types
            .func(func_ty)
            .map(|func| func.params.clone())
            .unwrap_or_default();
        self.env.funcs.push(FuncCtx {
            id,
            results: results.clone(),
            locals: Vec::new(),
            n_lits: 0,
            named_results: Vec::new(),
        });
        self.state.scopes.push();
        // Parameters and named results are variables of the body's outermost block, the
        // results initialised to their zero values (which the builder does).
        let all_types = param_types.iter().chain(&results);
        let n_params = sig.params.len();
        for (idx, (param, &ty)) in sig
            .params
            .iter()
            .chain(&sig.results)
            .zip(all_types)
            .enumerate()
        {
            let Some(name) = param.name else {
                continue;
            };
            let obj = self.new_obj(
                name.name,
                name.span,
                ty,
                ObjKind::Var {
                    owner: Some(id),
                    is_param: true,
                },
            );
            // A repeated name was reported with the signature; the first one stays in scope.
            self.nodes.set_obj(name.id, obj);
            if name.name != self.state.blank {
                let _ = self.state.scopes.declare(name.name, obj);
            }
            if idx >= n_params {
                let func = self.env.funcs.last_mut().expect("pushed above");
                func.named_results.push(obj);
            }
        }
        self.stmt_list(&body.stmts);
        if !results.is_empty() && !is_terminating_list(&body.stmts, None, &self.state.panic_calls) {
            self.error(body.rbrace(), "missing return");
        }
        self.state.scopes.pop();
        let func = self.env.funcs.pop().expect("pushed above");
        let mut unused: Vec<ObjId> = func
            .locals
            .into_iter()
            .filter(|obj| !self.state.used[obj.0 as usize])
            .collect();
        unused.sort_by_key(|obj| self.state.info.obj(*obj).span.lo);
        for obj in unused {
            let object = self.state.info.obj(obj);
            let message = format!("declared and not used: {}", self.name(object.name));
            self.error(object.span, message);
        }
    }

    /// Registers a function literal met in the current body (or at package level) and checks
    /// its body, returning its type.
    pub(crate) fn func_lit(&mut self, expr: &'a Expr, lit: &'a FuncLit) -> TypeId {
        branches::check_body(
            &lit.body,
            &self.file.names,
            &mut self.state.branch_errors.lits,
            self.source,
        );
        let ty = self.signature_type(&lit.sig);
        let id = FuncId(self.state.info.funcs.len() as u32);
        let (name, parent) = match self.env.funcs.last_mut() {
            Some(parent) => {
                parent.n_lits += 1;
                let parent_id = parent.id;
                let parent_name = &self.state.info.funcs[parent_id.0 as usize].name;
                let is_lit = self.state.info.funcs[parent_id.0 as usize].parent.is_some();
                let name = if is_lit {
                    format!("{parent_name}.{}", parent.n_lits)
                } else {
                    format!("{parent_name}.func{}", parent.n_lits)
                };
                (name, Some(parent_id))
            }
            None => {
                let n = self.deferred_lits.len() + 1;
                (format!("glob..func{n}"), None)
            }
        };
        self.state.info.funcs.push(FuncInfo {
            name,
            node: FuncNode::Lit(expr.id),
            parent,
            ty,
            captures: Vec::new(),
            closures: Vec::new(),
        });
        self.state.info.lit_funcs.insert(expr.id, id);
        match parent {
            Some(parent) => {
                self.state.info.funcs[parent.0 as usize].closures.push(id);
                self.func_body(id, &lit.sig, &lit.body);
            }
            None => self.deferred_lits.push((expr, id, self.env.cur_decl)),
        }
        ty
    }

    /// Checks the bodies of the literals met at package level, in the order they were met,
    /// each as part of the declaration that holds it.
    pub(crate) fn check_deferred_lits(&mut self) {
        for (lit, id, decl) in std::mem::take(&mut self.deferred_lits) {
            if let ExprKind::FuncLit(func_lit) = &lit.kind {
                self.env.cur_decl = decl;
                // As for a top-level function: a signature Toy lacks gives up on the body.
                self.env.too_deep = self.state.info.funcs[id.0 as usize].ty == INVALID;
                self.func_body(id, &func_lit.sig, &func_lit.body);
            }
        }
        self.env.cur_decl = None;
        self.env.too_deep = false;
    }

    /// Records that the current function refers to local variable `obj` of another function:
    /// every literal between here and the variable's owner captures it.
    pub(crate) fn note_capture(&mut self, obj: ObjId, owner: FuncId) {
        for func in self.env.funcs.iter().rev() {
            if func.id == owner {
                break;
            }
            let captures = &mut self.state.info.funcs[func.id.0 as usize].captures;
            if !captures.contains(&obj) {
                captures.push(obj);
            }
        }
    }

    /// Returns the function whose body is being checked, if any.
    pub(crate) fn current_func(&self) -> Option<FuncId> {
        self.env.funcs.last().map(|func| func.id)
    }
}

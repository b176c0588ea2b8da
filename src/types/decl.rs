//! Declarations, as types2's `decl.go`: declaring a name in the current scope, resolving a
//! package-level object on demand, and checking constant and variable specs, at package
//! level or in a body.
//!
//! An inherited constant initializer (`const ( a = f(iota); b )`) is evaluated again for
//! each name that inherits it, with its errors reported at that name, as Go does.

use crate::syntax::ast::{ConstSpec, Decl, Expr, Ident, VarSpec};
use crate::types::check::Checker;
use crate::types::constant::ConstValue;
use crate::types::object::{FuncId, ObjId, ObjKind};
use crate::types::operand::Mode;
use crate::types::resolver::{PkgDecl, Resolution};
use crate::types::ty::{FUNC_VOID, INVALID, TypeId};

impl<'a> Checker<'a> {
    /// Declares `ident` in the current scope as `obj`, reporting a redeclaration as Go does.
    /// Returns false if the name was already declared in the scope.
    pub(crate) fn declare(&mut self, ident: Ident, obj: ObjId) -> bool {
        self.nodes.set_obj(ident.id, obj);
        if ident.name == self.state.blank {
            return true;
        }
        if let Err(other) = self.state.scopes.declare(ident.name, obj) {
            let other_span = self.state.info.obj(other).span;
            let name = self.name(ident.name);
            let message = match self.state.info.obj(other).kind {
                ObjKind::Package => {
                    format!("{name} already declared through import of package fmt (\"fmt\")")
                }
                _ => format!("{name} redeclared in this block"),
            };
            self.error_with_notes(
                ident.span,
                message,
                vec![(
                    other_span,
                    format!("other declaration of {}", self.name(ident.name)),
                )],
            );
            return false;
        }
        true
    }

    /// Declares a local variable and remembers it for the unused check.
    pub(crate) fn declare_local(&mut self, ident: Ident, obj: ObjId) {
        if self.declare(ident, obj)
            && ident.name != self.state.blank
            && let Some(func) = self.env.funcs.last_mut()
        {
            func.locals.push(obj);
        }
    }

    /// Resolves a package-level object now if it is still pending.
    pub(crate) fn resolve(&mut self, obj: ObjId) {
        let Some(&Some((decl, state))) = self.state.pkg.get(obj.0 as usize) else {
            return;
        };
        match state {
            Resolution::Done => return,
            // A cycle: reported with the initialization order, as Go does.
            Resolution::InProgress => return,
            Resolution::Pending => {}
        }
        self.set_resolution(obj, decl, Resolution::InProgress);
        let saved_decl = self.env.cur_decl.replace(obj);
        let saved_too_deep = std::mem::take(&mut self.env.too_deep);
        let file = self.file;
        // Invariant: package-level objects resolve only while the package-level declarations
        // are checked, before any function body, so only package scopes are open here.
        debug_assert!(self.env.funcs.is_empty());
        let saved_iota = self.env.iota.take();
        let saved_errpos = self.env.errpos.take();
        match decl {
            PkgDecl::Const { decl, spec, name } => {
                let Decl::Const(specs) = &file.decls[decl] else {
                    unreachable!("a constant comes from a const declaration")
                };
                self.const_spec(specs, spec, Some(name));
            }
            PkgDecl::Var { decl, spec, name } => {
                let Decl::Var(specs) = &file.decls[decl] else {
                    unreachable!("a variable comes from a var declaration")
                };
                self.var_spec(&specs[spec], None, name);
            }
            PkgDecl::Func { decl } => {
                let Decl::Func(func) = &file.decls[decl] else {
                    unreachable!("a function comes from a func declaration")
                };
                // A method or a generic function, reported by `collect`, has no type: its
                // uses are not checked against a guess, and its body is given up on.
                let ty = if func.recv.is_some() || !func.tparams.is_empty() {
                    INVALID
                } else {
                    self.signature_type(&func.sig)
                };
                self.state.info.objs[obj.0 as usize].ty = ty;
                if let ObjKind::Func(id) = self.state.info.obj(obj).kind {
                    self.state.info.funcs[id.0 as usize].ty = ty;
                }
                let is_void = self.state.info.types.identical(ty, FUNC_VOID);
                if self.name(func.name.name) == "main" && !is_void && ty != INVALID {
                    self.error(
                        func.name.span,
                        "func main must have no arguments and no return values",
                    );
                }
            }
        }
        // The names of a spec initialized by one call share its dependencies, as they share
        // Go's declInfo: each waits for everything the call needs.
        if let PkgDecl::Var {
            decl: decl_idx,
            spec,
            name: None,
        } = decl
            && let Decl::Var(specs) = &file.decls[decl_idx]
        {
            let deps = self
                .state
                .deps
                .get(obj.0 as usize)
                .cloned()
                .unwrap_or_default();
            for name in &specs[spec].names {
                if let Some(other) = self.nodes.obj_of(name.id)
                    && other != obj
                {
                    let idx = other.0 as usize;
                    if self.state.deps.len() <= idx {
                        self.state.deps.resize_with(idx + 1, Vec::new);
                    }
                    self.state.deps[idx] = deps.clone();
                }
            }
        }
        self.env.iota = saved_iota;
        self.env.errpos = saved_errpos;
        self.env.cur_decl = saved_decl;
        self.env.too_deep = saved_too_deep;
        self.set_resolution(obj, decl, Resolution::Done);
    }

    /// Checks constant spec `spec_idx` of a group; `only` restricts the work to one name (a
    /// package-level constant resolved on demand), `None` declares them all (a local group).
    pub(crate) fn const_spec(
        &mut self,
        specs: &'a [ConstSpec],
        spec_idx: usize,
        only: Option<usize>,
    ) {
        let spec = &specs[spec_idx];
        // A spec with neither type nor values repeats the closest earlier spec with either
        // (Go's `last`); one with a type and no values has no init exprs of its own.
        let written = |spec: &ConstSpec| spec.ty.is_some() || !spec.values.is_empty();
        let inherited = !written(spec);
        let source = if inherited {
            specs[..spec_idx].iter().rev().find(|spec| written(spec))
        } else {
            Some(spec)
        };
        let values: &'a [Expr] = source.map_or(&[], |source| &source.values);
        let declared = source
            .and_then(|source| source.ty.as_ref())
            .map(|ty| self.type_expr(ty));
        self.env.iota = Some(spec.iota);
        let names: Vec<(usize, &'a Ident)> = match only {
            Some(name_idx) => vec![(name_idx, &spec.names[name_idx])],
            None => spec.names.iter().enumerate().collect(),
        };
        for (name_idx, name) in names {
            let (ty, value) = match values.get(name_idx) {
                Some(value_expr) => {
                    self.env.errpos = inherited.then_some(name.span);
                    let result = self.const_value(value_expr, declared);
                    self.env.errpos = None;
                    result
                }
                None => (INVALID, None),
            };
            let obj = match only {
                Some(_) => self.nodes.obj_of(name.id).expect("collected"),
                None => {
                    let placeholder = ObjKind::Const(ConstValue::Bool(false));
                    let obj = self.new_obj(name.name, name.span, ty, placeholder);
                    let _ = self.declare(*name, obj);
                    obj
                }
            };
            let object = &mut self.state.info.objs[obj.0 as usize];
            match value {
                Some(value) => {
                    object.ty = ty;
                    object.kind = ObjKind::Const(value);
                }
                None => object.ty = INVALID,
            }
        }
        if only.is_none_or(|name_idx| name_idx == 0) {
            self.const_arity(spec, values, inherited);
        }
        self.env.iota = None;
    }

    /// Reports a constant spec with more or fewer values than names, as Go's `arity`.
    fn const_arity(&mut self, spec: &'a ConstSpec, values: &'a [Expr], inherited: bool) {
        let (n_names, n_values) = (spec.names.len(), values.len());
        if n_names < n_values {
            let extra = &values[n_names];
            if inherited {
                let pos = self.source.position(extra.span);
                self.error(spec.names[0].span, format!("extra init expr at {pos}"));
            } else {
                let text = self.expr_text(extra);
                self.error(extra.span, format!("extra init expr {text}"));
            }
        } else if n_names > n_values {
            let name = spec.names[n_values];
            self.error(
                name.span,
                format!("missing init expr for {}", self.name(name.name)),
            );
        }
    }

    /// Evaluates a constant initializer, converting it to `declared` if given.
    fn const_value(
        &mut self,
        expr: &'a Expr,
        declared: Option<TypeId>,
    ) -> (TypeId, Option<ConstValue>) {
        let mut x = self.expr(expr);
        if x.mode == Mode::Invalid {
            return (INVALID, None);
        }
        if x.mode != Mode::Constant {
            let desc = self.operand_string(&x);
            self.error(expr.span, format!("{desc} is not constant"));
            return (INVALID, None);
        }
        if let Some(declared) = declared {
            if declared == INVALID {
                return (INVALID, None);
            }
            self.assignment(&mut x, declared, "constant declaration");
            if x.mode == Mode::Invalid {
                return (INVALID, None);
            }
        }
        (x.ty, x.val)
    }

    /// Checks a `var` spec: declares its names (locally when `local` is given; package-level
    /// names are already collected) and checks the initial values, as Go's `varDecl`. `only`
    /// restricts the work to one name of a package-level spec resolved on demand.
    pub(crate) fn var_spec(
        &mut self,
        spec: &'a VarSpec,
        local: Option<FuncId>,
        only: Option<usize>,
    ) {
        let declared = spec.ty.as_ref().map(|ty| self.type_expr(ty));
        let (n_names, n_values) = (spec.names.len(), spec.values.len());
        if n_values == 1 && n_names > 1 {
            let types = self.init_vars(declared, n_names, &spec.values, None);
            for (name, ty) in spec.names.iter().zip(types) {
                self.define_var(*name, ty, local);
            }
            return;
        }
        let names = match only {
            Some(name_idx) => name_idx..name_idx + 1,
            None => 0..n_names,
        };
        for name_idx in names {
            let ty = match spec.values.get(name_idx) {
                Some(value) => {
                    let mut x = self.expr(value);
                    self.init_var(&mut x, declared, "variable declaration")
                }
                None => declared.unwrap_or(INVALID),
            };
            self.define_var(spec.names[name_idx], ty, local);
        }
        if only.is_some_and(|name_idx| name_idx > 0) {
            return;
        }
        if n_names < n_values {
            let extra = &spec.values[n_names];
            let text = self.expr_text(extra);
            self.error(extra.span, format!("extra init expr {text}"));
        } else if n_names > n_values && n_values > 0 {
            let name = spec.names[n_values];
            self.error(
                name.span,
                format!("missing init expr for {}", self.name(name.name)),
            );
        }
    }

    /// Gives variable `name` its type: declares it if local, else updates the package-level
    /// object collected for it.
    fn define_var(&mut self, name: Ident, ty: TypeId, local: Option<FuncId>) {
        let obj = match local {
            Some(owner) => {
                let kind = ObjKind::Var {
                    owner: Some(owner),
                    is_param: false,
                };
                let obj = self.new_obj(name.name, name.span, ty, kind);
                self.declare_local(name, obj);
                obj
            }
            None => self.nodes.obj_of(name.id).expect("collected"),
        };
        self.state.info.objs[obj.0 as usize].ty = ty;
    }
}

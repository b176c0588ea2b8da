//! Type expressions and function signatures, as types2's `typexpr.go` and `signature.go`:
//! Toy has the predeclared type names, function types and slice types. Every other type Go
//! writes is rejected here, at the type, with what it is. Parameters and named results
//! share one block, so a name repeated between them is redeclared.

use crate::syntax::ast::{self, Expr, ExprKind, Ident, Signature, TypeExpr, TypeLit, TypeLitKind};
use crate::types::check::Checker;
use crate::types::object::ObjKind;
use crate::types::operand::Operand;
use crate::types::ty::{FuncType, INVALID, Type, TypeId};

impl<'a> Checker<'a> {
    /// Resolves a type expression.
    pub(crate) fn type_expr(&mut self, ty: &'a TypeExpr) -> TypeId {
        match ty {
            TypeExpr::Name(ident) => {
                let Some(obj) = self.state.scopes.lookup(ident.name) else {
                    self.undefined(ident.span, ident.name);
                    return INVALID;
                };
                self.nodes.set_obj(ident.id, obj);
                let object = self.state.info.obj(obj);
                if let ObjKind::TypeName = object.kind {
                    return object.ty;
                }
                let what = object_kind(&object.kind);
                let name = self.name(ident.name);
                if name == "_" {
                    self.error(ident.span, "cannot use _ as value or type");
                } else {
                    self.error(ident.span, format!("{name} ({what}) is not a type"));
                }
                INVALID
            }
            TypeExpr::Qualified(qualified) => self.qualified_type(qualified),
            TypeExpr::Instance(instance) => {
                if self.type_expr(&instance.base) != INVALID {
                    self.unsupported(instance.span, "generic types are not supported");
                }
                INVALID
            }
            TypeExpr::Func(sig) => self.signature_type(sig),
            TypeExpr::Literal(lit) => self.type_lit(lit),
        }
    }

    /// Reports Go's `X is not a type` for `expr`, checked as `x`, written where a type must
    /// be: a name is described by what it names, as in a type position.
    pub(crate) fn not_a_type(&mut self, expr: &'a Expr, x: &Operand<'a>) {
        let desc = match (&expr.kind, self.nodes.obj_of(expr.id)) {
            (&ExprKind::Name(name), Some(obj)) => {
                let what = object_kind(&self.state.info.obj(obj).kind);
                format!("{} ({what})", self.name(name))
            }
            _ => self.operand_string(x),
        };
        self.error(x.span, format!("{desc} is not a type"));
    }

    /// Checks `pkg.Name` written as a type and returns the type: `sys.Ptr` in the runtime.
    /// The package must be declared; a name of `fmt` (`fmt.Stringer`) is not supported,
    /// and one of another package was reported with its import.
    fn qualified_type(&mut self, qualified: &'a ast::Qualified) -> TypeId {
        let pkg = qualified.pkg;
        let Some(obj) = self.state.scopes.lookup(pkg.name) else {
            self.undefined(pkg.span, pkg.name);
            return INVALID;
        };
        self.nodes.set_obj(pkg.id, obj);
        let (pkg_text, name_text) = (self.name(pkg.name), self.name(qualified.name.name));
        match self.state.info.obj(obj).kind {
            ObjKind::Package if self.state.sys == Some(obj) => {
                if name_text == "Ptr" {
                    return self.sys_ptr();
                }
                self.error(
                    qualified.name.span,
                    format!("undefined: {pkg_text}.{name_text}"),
                );
            }
            ObjKind::Package => {
                if self.state.fmt.is_some_and(|(fmt, _)| fmt == obj) {
                    self.state.used[obj.0 as usize] = true;
                    let span = crate::diag::Span {
                        lo: pkg.span.lo,
                        hi: qualified.name.span.hi,
                    };
                    self.unsupported(span, &format!("{pkg_text}.{name_text} is not supported"));
                }
            }
            _ => self.error(pkg.span, format!("{pkg_text}.{name_text} is not a type")),
        }
        INVALID
    }

    /// Resolves a type literal: a slice type, or one Toy lacks, rejected at its first token
    /// (and then invalid).
    pub(crate) fn type_lit(&mut self, lit: &'a TypeLit) -> TypeId {
        let message = match &lit.kind {
            TypeLitKind::Slice(elem) => {
                let elem = self.type_expr(elem);
                if elem == INVALID {
                    return INVALID;
                }
                return self.state.info.types.intern(Type::Slice(elem));
            }
            TypeLitKind::Array(..) => "arrays are not supported",
            TypeLitKind::Pointer(_) => "pointers are not supported",
            TypeLitKind::Map(..) => "map is not supported",
            TypeLitKind::Chan(..) => "chan is not supported",
            TypeLitKind::Struct(_) => "struct is not supported",
            TypeLitKind::Interface(_) => "interface is not supported",
            TypeLitKind::Union(_) => "type constraints are not supported",
        };
        self.unsupported(lit.span, message);
        INVALID
    }

    /// Returns the function type a signature denotes.
    pub(crate) fn signature_type(&mut self, sig: &'a Signature) -> TypeId {
        // Parameter and result names share one block.
        let mut seen: Vec<Ident> = Vec::new();
        for name in sig
            .params
            .iter()
            .chain(&sig.results)
            .filter_map(|param| param.name)
        {
            if name.name == self.state.blank {
                continue;
            }
            if let Some(first) = seen.iter().find(|other| other.name == name.name) {
                let text = self.name(name.name);
                self.error_with_notes(
                    name.span,
                    format!("{text} redeclared in this block"),
                    vec![(first.span, format!("other declaration of {text}"))],
                );
            } else {
                seen.push(name);
            }
        }
        // Invalid parameter types stay in the signature: calls and returns are still checked
        // against the valid ones, as Go does. A signature with a type Toy lacks (reported
        // here) has no type at all, so that its calls are not checked against a guess.
        let mut params = Vec::with_capacity(sig.params.len());
        let mut variadic = false;
        for (idx, param) in sig.params.iter().enumerate() {
            let ty = self.type_expr(&param.ty);
            if !param.variadic {
                params.push(ty);
                continue;
            }
            if idx + 1 != sig.params.len() {
                // Go reports it at the `...`, written just before the type, and ignores it.
                let at = param.ty.span().lo as usize - "...".len();
                self.error(
                    crate::diag::Span::new(at, at + 3),
                    "can only use ... with final parameter",
                );
                params.push(ty);
                continue;
            }
            variadic = true;
            let slice = if ty == INVALID {
                INVALID
            } else {
                self.state.info.types.intern(Type::Slice(ty))
            };
            params.push(slice);
        }
        let mut results = Vec::with_capacity(sig.results.len());
        for result in &sig.results {
            results.push(self.type_expr(&result.ty));
        }
        let names = |list: &[ast::Param]| -> Box<[Box<str>]> {
            if list.iter().any(|param| param.name.is_some()) {
                let name = |param: &ast::Param| param.name.map_or("_", |name| self.name(name.name));
                list.iter().map(|param| name(param).into()).collect()
            } else {
                Box::new([])
            }
        };
        if !is_toy_signature(sig, &|qualified| self.is_sys_ptr(qualified)) {
            return INVALID;
        }
        let (param_names, result_names) = (names(&sig.params), names(&sig.results));
        self.state.info.types.intern(Type::Func(FuncType {
            params,
            results,
            param_names,
            result_names,
            variadic,
        }))
    }
}

/// Returns how Go describes an object that is not a type: `local variable`, `function`.
fn object_kind(kind: &ObjKind) -> &'static str {
    match kind {
        ObjKind::Var { owner: Some(_), .. } => "local variable",
        ObjKind::Var { owner: None, .. } => "package-level variable",
        ObjKind::Const(_) | ObjKind::Iota => "constant",
        ObjKind::Func(_) => "function",
        ObjKind::Builtin(_) => "built-in function",
        ObjKind::Nil => "untyped nil",
        ObjKind::Package => "package",
        ObjKind::TypeName => "type",
    }
}

impl Checker<'_> {
    /// Reports whether `qualified` is `sys.Ptr` in the runtime, the one qualified type.
    fn is_sys_ptr(&self, qualified: &ast::Qualified) -> bool {
        self.state.sys.is_some()
            && self.state.scopes.lookup(qualified.pkg.name) == self.state.sys
            && self.name(qualified.name.name) == "Ptr"
    }
}

/// Returns whether a signature is written with Toy's types only: type names, function
/// types, slice types, and the qualified types `is_sys_ptr` accepts (`sys.Ptr` in the
/// runtime).
fn is_toy_signature(sig: &Signature, is_sys_ptr: &dyn Fn(&ast::Qualified) -> bool) -> bool {
    sig.params
        .iter()
        .chain(&sig.results)
        .all(|param| is_toy_type(&param.ty, is_sys_ptr))
}

/// Returns whether a type is written with Toy's types only.
fn is_toy_type(ty: &TypeExpr, is_sys_ptr: &dyn Fn(&ast::Qualified) -> bool) -> bool {
    match ty {
        TypeExpr::Name(_) => true,
        TypeExpr::Func(sig) => is_toy_signature(sig, is_sys_ptr),
        TypeExpr::Qualified(qualified) => is_sys_ptr(qualified),
        TypeExpr::Literal(lit) => match &lit.kind {
            TypeLitKind::Slice(elem) => is_toy_type(elem, is_sys_ptr),
            TypeLitKind::Array(..)
            | TypeLitKind::Pointer(_)
            | TypeLitKind::Map(..)
            | TypeLitKind::Chan(..)
            | TypeLitKind::Struct(_)
            | TypeLitKind::Interface(_)
            | TypeLitKind::Union(_) => false,
        },
        TypeExpr::Instance(_) => false,
    }
}

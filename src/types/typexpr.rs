//! Type expressions and function signatures, as types2's `typexpr.go` and `signature.go`:
//! Level 1 has only the predeclared type names and function types. Every other type Go
//! writes is rejected here, at the type, with what it is. Parameters and named results
//! share one block, so a name repeated between them is redeclared.

use crate::syntax::ast::{self, Ident, Signature, TypeExpr, TypeLit, TypeLitKind};
use crate::types::check::Checker;
use crate::types::object::ObjKind;
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
                let what = match object.kind {
                    ObjKind::Var { owner: Some(_), .. } => "local variable",
                    ObjKind::Var { owner: None, .. } => "package-level variable",
                    ObjKind::Const(_) | ObjKind::Iota => "constant",
                    ObjKind::Func(_) => "function",
                    ObjKind::Builtin(_) => "built-in function",
                    ObjKind::Nil => "untyped nil",
                    ObjKind::Package => "package",
                    ObjKind::TypeName => unreachable!("handled above"),
                };
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
            TypeExpr::Literal(lit) => {
                self.type_lit(lit);
                INVALID
            }
        }
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

    /// Rejects a type literal, which Level 1 lacks, at its first token.
    pub(crate) fn type_lit(&mut self, lit: &'a TypeLit) {
        let message = match lit.kind {
            TypeLitKind::Slice(_) => "slices are not supported",
            TypeLitKind::Array(..) => "arrays are not supported",
            TypeLitKind::Pointer(_) => "pointers are not supported",
            TypeLitKind::Map(..) => "map is not supported",
            TypeLitKind::Chan(..) => "chan is not supported",
            TypeLitKind::Struct(_) => "struct is not supported",
            TypeLitKind::Interface(_) => "interface is not supported",
            TypeLitKind::Union(_) => "type constraints are not supported",
        };
        self.unsupported(lit.span, message);
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
        for param in &sig.params {
            if param.variadic {
                self.unsupported(param.ty.span(), "variadic functions are not supported");
            }
            params.push(self.type_expr(&param.ty));
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
        }))
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

/// Returns whether a signature is written with Level 1's types only: type names, function
/// types and the qualified types `is_sys_ptr` accepts, no `...`.
fn is_toy_signature(sig: &Signature, is_sys_ptr: &dyn Fn(&ast::Qualified) -> bool) -> bool {
    let is_toy_type = |ty: &TypeExpr| match ty {
        TypeExpr::Name(_) => true,
        TypeExpr::Func(sig) => is_toy_signature(sig, is_sys_ptr),
        TypeExpr::Qualified(qualified) => is_sys_ptr(qualified),
        TypeExpr::Instance(_) | TypeExpr::Literal(_) => false,
    };
    sig.params
        .iter()
        .chain(&sig.results)
        .all(|param| !param.variadic && is_toy_type(&param.ty))
}

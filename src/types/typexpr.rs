//! Type expressions and function signatures, as types2's `typexpr.go` and `signature.go`:
//! Level 1 has only the predeclared type names and function types. Parameters and named
//! results share one block, so a name repeated between them is redeclared.

use crate::syntax::ast::{self, Ident, Signature, TypeExpr};
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
            TypeExpr::Func(sig) => self.signature_type(sig),
        }
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
        // against the valid ones, as Go does.
        let mut params = Vec::with_capacity(sig.params.len());
        for param in &sig.params {
            if param.variadic {
                self.error(param.ty.span(), "variadic functions are not supported");
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
        let (param_names, result_names) = (names(&sig.params), names(&sig.results));
        self.state.info.types.intern(Type::Func(FuncType {
            params,
            results,
            param_names,
            result_names,
        }))
    }
}

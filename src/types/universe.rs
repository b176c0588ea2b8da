//! The universe scope: the predeclared names Toy has, and the ones of Go it lacks, as
//! types2's `universe.go`.
//!
//! Only the names the file mentions are declared (a predeclared name it never uses needs no
//! binding), so a small file does not pay for the whole universe.

use crate::diag::Span;
use crate::syntax::ast::Symbol;
use crate::syntax::unicode::is_valid_name;
use crate::types::check::Checker;
use crate::types::constant::ConstValue;
use crate::types::object::{Builtin, ObjKind};
use crate::types::ty::{
    self, BOOL, BYTE, INT, INVALID, STRING, TypeId, UINT8, UNTYPED_BOOL, UNTYPED_NIL,
};

impl<'a> Checker<'a> {
    /// Declares the predeclared names the file uses in the universe scope, then opens the
    /// package scope.
    pub(crate) fn declare_universe(&mut self) {
        let types = [
            ("int", INT),
            ("bool", BOOL),
            ("string", STRING),
            ("byte", BYTE),
            ("uint8", UINT8),
        ];
        for (name, ty) in types {
            self.predeclare(name, ty, ObjKind::TypeName);
        }
        self.predeclare("true", UNTYPED_BOOL, ObjKind::Const(ConstValue::Bool(true)));
        self.predeclare(
            "false",
            UNTYPED_BOOL,
            ObjKind::Const(ConstValue::Bool(false)),
        );
        self.predeclare("iota", ty::UNTYPED_INT, ObjKind::Iota);
        self.predeclare("nil", UNTYPED_NIL, ObjKind::Nil);
        let builtins = [
            ("len", Builtin::Len),
            ("cap", Builtin::Cap),
            ("make", Builtin::Make),
            ("append", Builtin::Append),
            ("copy", Builtin::Copy),
            ("print", Builtin::Print),
            ("println", Builtin::Println),
            ("panic", Builtin::Panic),
            ("min", Builtin::Min),
            ("max", Builtin::Max),
        ];
        for (name, builtin) in builtins {
            self.predeclare(name, INVALID, ObjKind::Builtin(builtin));
        }
        if let Some(blank) = self.symbol("_") {
            self.state.blank = blank;
        }
        self.state.scopes.push();
    }

    fn predeclare(&mut self, name: &str, ty: TypeId, kind: ObjKind) {
        let Some(sym) = self.symbol(name) else {
            return;
        };
        let obj = self.new_obj(sym, Span::default(), ty, kind);
        self.state
            .scopes
            .declare(sym, obj)
            .expect("predeclared names are distinct");
    }

    /// Reports a name with no declaration: Go's `undefined: x`, or, for Go's predeclared
    /// names that Toy lacks, that the name is not supported. A name that is no Go
    /// identifier (`a€`) was reported by the lexer, and, as in Go, is not reported again.
    pub(crate) fn undefined(&mut self, span: Span, name: Symbol) {
        let text = self.name(name);
        if !is_valid_name(text) {
            return;
        }
        if GO_ONLY_PREDECLARED.contains(&text) {
            self.unsupported(span, &format!("{text} is not supported"));
        } else {
            self.error(span, format!("undefined: {text}"));
        }
    }
}

/// Go's predeclared names that Toy lacks: using one is reported as unsupported rather than
/// undefined.
const GO_ONLY_PREDECLARED: &[&str] = &[
    "any",
    "clear",
    "close",
    "comparable",
    "complex",
    "complex128",
    "complex64",
    "delete",
    "error",
    "float32",
    "float64",
    "imag",
    "int16",
    "int32",
    "int64",
    "int8",
    "new",
    "real",
    "recover",
    "rune",
    "uint",
    "uint16",
    "uint32",
    "uint64",
    "uintptr",
];

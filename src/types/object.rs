//! What names denote, and the facts the checker records for later phases.

use rustc_hash::FxHashMap;

use crate::diag::Span;
use crate::syntax::ast::{NodeId, Symbol};
use crate::types::constant::ConstValue;
use crate::types::ty::{INVALID, TypeId, TypeTable};

/// Index of an [`Object`] in [`Info::objs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjId(pub u32);

/// Index of a function (top-level or literal) in [`Info::funcs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncId(pub u32);

/// A named entity: variable, constant, function, type, built-in or package.
#[derive(Clone, Debug)]
pub struct Object {
    /// Its name.
    pub name: Symbol,
    /// Where it is declared; empty for predeclared objects.
    pub span: Span,
    /// Its type; [`INVALID`] for types, built-ins and packages.
    pub ty: TypeId,
    /// What it is.
    pub kind: ObjKind,
}

/// The kinds of object.
#[derive(Clone, Debug)]
pub enum ObjKind {
    /// A variable.
    Var {
        /// The function whose frame declares it; `None` for a package-level variable.
        owner: Option<FuncId>,
        /// A parameter (or named result), which Go never reports as unused.
        is_param: bool,
    },
    /// A constant with its value (already converted to its type, if typed).
    Const(ConstValue),
    /// `iota`, whose value depends on the constant declaration being checked.
    Iota,
    /// A top-level function.
    Func(FuncId),
    /// A predeclared type name.
    TypeName,
    /// A built-in function.
    Builtin(Builtin),
    /// `nil`.
    Nil,
    /// The imported package `fmt`.
    Package,
}

/// The built-in functions of Toy, and the `fmt` functions it provides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Builtin {
    /// `len(s)`.
    Len,
    /// `print(…)` to standard error.
    Print,
    /// `println(…)` to standard error.
    Println,
    /// `panic(v)`.
    Panic,
    /// `min(…)`.
    Min,
    /// `max(…)`.
    Max,
    /// `fmt.Print(…)`.
    FmtPrint,
    /// `fmt.Println(…)`.
    FmtPrintln,
}

impl Builtin {
    /// Returns the name as Go writes it in messages.
    pub fn name(self) -> &'static str {
        match self {
            Builtin::Len => "len",
            Builtin::Print => "print",
            Builtin::Println => "println",
            Builtin::Panic => "panic",
            Builtin::Min => "min",
            Builtin::Max => "max",
            Builtin::FmtPrint => "fmt.Print",
            Builtin::FmtPrintln => "fmt.Println",
        }
    }
}

/// A function body to compile: a top-level function or a function literal.
#[derive(Clone, Debug)]
pub struct FuncInfo {
    /// Go's name for it: `main`, `outer.func1`, `outer.func1.1`.
    pub name: String,
    /// Where its syntax is.
    pub node: FuncNode,
    /// The function whose body contains this literal.
    pub parent: Option<FuncId>,
    /// Its function type.
    pub ty: TypeId,
    /// Variables of enclosing functions that the body refers to, in order of first use.
    pub captures: Vec<ObjId>,
    /// Function literals directly inside the body, in source order.
    pub closures: Vec<FuncId>,
}

/// Where a function's syntax is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FuncNode {
    /// `file.decls[idx]`.
    Decl(usize),
    /// The function literal expression with this node.
    Lit(NodeId),
}

/// Everything the checker learned, indexed for the back end.
///
/// Invariant: `node_types`, `node_objs` have `File::n_nodes` entries.
#[derive(Debug)]
pub struct Info {
    /// All types.
    pub types: TypeTable,
    /// All objects; predeclared ones first.
    pub objs: Vec<Object>,
    /// Per node: the type of an expression ([`INVALID`] for other nodes).
    pub node_types: Vec<TypeId>,
    /// Per node: the object a name denotes or declares.
    pub node_objs: Vec<Option<ObjId>>,
    /// The value of every constant expression, by node.
    pub node_consts: FxHashMap<NodeId, ConstValue>,
    /// Functions to compile: top-level functions in source order, then literals in the order
    /// the checker met them.
    pub funcs: Vec<FuncInfo>,
    /// Function literal nodes to their functions.
    pub lit_funcs: FxHashMap<NodeId, FuncId>,
}

impl Info {
    pub(crate) fn new(n_nodes: u32) -> Info {
        Info {
            types: TypeTable::default(),
            objs: Vec::new(),
            node_types: vec![INVALID; n_nodes as usize],
            node_objs: vec![None; n_nodes as usize],
            node_consts: FxHashMap::default(),
            funcs: Vec::new(),
            lit_funcs: FxHashMap::default(),
        }
    }

    /// Returns the object `id`.
    pub fn obj(&self, id: ObjId) -> &Object {
        &self.objs[id.0 as usize]
    }
}

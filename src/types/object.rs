//! What names denote, and the facts the checker records for later phases.

use rustc_hash::FxHashMap;

use crate::diag::Span;
use crate::syntax::ast::{NodeId, Symbol};
use crate::types::constant::ConstValue;
use crate::types::ty::{INVALID, TypeId, TypeTable};

/// The entry of `Info::node_consts` for a node that is not constant.
const NO_CONST: u32 = u32::MAX;

/// The entry of `Info::node_objs` for a node that denotes no object.
const NO_OBJ: u32 = u32::MAX;

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
/// Invariant: the per-node vectors have `File::n_nodes` entries.
#[derive(Debug)]
pub struct Info {
    /// All types.
    pub types: TypeTable,
    /// All objects; predeclared ones first.
    pub objs: Vec<Object>,
    /// Per node: the type of an expression ([`INVALID`] for other nodes).
    pub node_types: Vec<TypeId>,
    /// Per node: the object a name denotes or declares, or [`NO_OBJ`].
    node_objs: Vec<u32>,
    /// Per node: the index in `consts` of a constant expression's value.
    node_consts: Vec<u32>,
    /// Constant values, in the order they were recorded.
    consts: Vec<ConstValue>,
    /// Functions to compile: top-level functions in source order, then literals in the order
    /// the checker met them.
    pub funcs: Vec<FuncInfo>,
    /// Function literal nodes to their functions.
    pub lit_funcs: FxHashMap<NodeId, FuncId>,
    /// Package-level variables in the order Go initializes them (dependencies first). The
    /// names of `var a, b = f()` are initialized together, when the first is reached.
    pub init_order: Vec<ObjId>,
}

impl Info {
    pub(crate) fn new(n_nodes: u32) -> Info {
        Info {
            types: TypeTable::default(),
            objs: Vec::new(),
            node_types: vec![INVALID; n_nodes as usize],
            node_objs: vec![NO_OBJ; n_nodes as usize],
            node_consts: vec![NO_CONST; n_nodes as usize],
            consts: Vec::new(),
            funcs: Vec::new(),
            lit_funcs: FxHashMap::default(),
            init_order: Vec::new(),
        }
    }

    /// Returns the object a name node denotes or declares.
    pub fn obj_of(&self, node: NodeId) -> Option<ObjId> {
        match self.node_objs[node.0 as usize] {
            NO_OBJ => None,
            idx => Some(ObjId(idx)),
        }
    }

    pub(crate) fn set_obj(&mut self, node: NodeId, obj: ObjId) {
        self.node_objs[node.0 as usize] = obj.0;
    }

    /// Returns the value of a constant expression node.
    pub fn const_value(&self, node: NodeId) -> Option<&ConstValue> {
        match self.node_consts[node.0 as usize] {
            NO_CONST => None,
            idx => Some(&self.consts[idx as usize]),
        }
    }

    /// Records the value of constant expression `node`.
    pub(crate) fn set_const(&mut self, node: NodeId, value: ConstValue) {
        let slot = &mut self.node_consts[node.0 as usize];
        if *slot == NO_CONST {
            *slot = self.consts.len() as u32;
            self.consts.push(value);
        } else {
            self.consts[*slot as usize] = value;
        }
    }

    /// Returns the object `id`.
    pub fn obj(&self, id: ObjId) -> &Object {
        &self.objs[id.0 as usize]
    }
}

//! What names denote, and the facts the checker records for later phases.

use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::diag::Span;
use crate::syntax::ast::{NodeId, Symbol};
use crate::types::constant::ConstValue;
use crate::types::ty::{INVALID, Type, TypeId, TypeTable};

/// The entry of `Info::node_objs` and `Info::node_consts` for a node without the fact; the
/// others are one more than the index they stand for, so that renumbering the indices from
/// some index on (`NodeFacts::merge`) is one comparison that passes over this entry.
const NONE: u32 = 0;

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
    /// An imported package: `fmt`, or `sys` in the runtime.
    Package,
}

/// The built-in functions of Toy, and the `fmt` functions it provides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Builtin {
    /// `len(s)`.
    Len,
    /// `cap(s)`.
    Cap,
    /// `make([]T, n)`, `make([]T, n, c)`.
    Make,
    /// `append(s, x…)`, `append(s, t...)`.
    Append,
    /// `copy(dst, src)`.
    Copy,
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
    /// `fmt.Printf(format, …)` (`types::format`).
    FmtPrintf,
    /// `fmt.Sprintf(format, …)` (`types::format`).
    FmtSprintf,
    /// An intrinsic of package `sys`, which only the runtime imports.
    Sys(crate::types::sys::Intrinsic),
}

impl Builtin {
    /// Returns the name as Go writes it in messages.
    pub fn name(self) -> &'static str {
        match self {
            Builtin::Len => "len",
            Builtin::Cap => "cap",
            Builtin::Make => "make",
            Builtin::Append => "append",
            Builtin::Copy => "copy",
            Builtin::Print => "print",
            Builtin::Println => "println",
            Builtin::Panic => "panic",
            Builtin::Min => "min",
            Builtin::Max => "max",
            Builtin::FmtPrint => "fmt.Print",
            Builtin::FmtPrintln => "fmt.Println",
            Builtin::FmtPrintf => "fmt.Printf",
            Builtin::FmtSprintf => "fmt.Sprintf",
            Builtin::Sys(intrinsic) => intrinsic.name(),
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
/// Invariant: the per-node vectors have `File::n_nodes` entries. While the checker runs they
/// are empty and the facts are in its [`NodeFacts`]; `check` moves them here at the end.
#[derive(Debug)]
pub struct Info {
    /// All types.
    pub types: TypeTable,
    /// All objects; predeclared ones first.
    pub objs: Vec<Object>,
    /// Per node: the type of an expression ([`INVALID`] for other nodes).
    node_types: Vec<TypeId>,
    /// Per node: the object a name denotes or declares, plus one, or [`NONE`].
    node_objs: Vec<u32>,
    /// Per node: the index in `consts` of a constant expression's value, plus one, or
    /// [`NONE`].
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
    /// Whether some call formats (`fmt.Printf`, `fmt.Sprintf`): only then does the build
    /// need the runtime's `fmt` parts (`runtime::Parts::All`).
    pub formats: bool,
}

impl Info {
    /// Returns an `Info` with no facts yet; see the invariant.
    pub(crate) fn new() -> Info {
        Info {
            types: TypeTable::default(),
            objs: Vec::new(),
            node_types: Vec::new(),
            node_objs: Vec::new(),
            node_consts: Vec::new(),
            consts: Vec::new(),
            funcs: Vec::new(),
            lit_funcs: FxHashMap::default(),
            init_order: Vec::new(),
            formats: false,
        }
    }

    /// Takes in the per-node facts the checker recorded in `store`, with `consts` the values
    /// its entries index.
    pub(crate) fn set_nodes(&mut self, store: NodeStore, consts: Vec<ConstValue>) {
        self.node_types = store.types;
        self.node_objs = store.objs;
        self.node_consts = store.consts;
        self.consts = consts;
    }

    /// Returns the type of expression `node` ([`INVALID`] for other nodes).
    pub fn type_of(&self, node: NodeId) -> TypeId {
        self.node_types[node.0 as usize]
    }

    /// Returns the object a name node denotes or declares.
    pub fn obj_of(&self, node: NodeId) -> Option<ObjId> {
        match self.node_objs[node.0 as usize] {
            NONE => None,
            entry => Some(ObjId(entry - 1)),
        }
    }

    /// Returns the value of a constant expression node.
    pub fn const_value(&self, node: NodeId) -> Option<&ConstValue> {
        match self.node_consts[node.0 as usize] {
            NONE => None,
            entry => Some(&self.consts[entry as usize - 1]),
        }
    }

    /// Returns the object `id`.
    pub fn obj(&self, id: ObjId) -> &Object {
        &self.objs[id.0 as usize]
    }
}

/// What a run of function bodies checked from a fork added to [`Info`], numbered from the
/// counts at the fork (`types::bodies`).
pub(crate) struct FoundInfo {
    /// The types it created.
    types: Vec<Type>,
    /// The objects it created.
    objs: Vec<Object>,
    /// The literals it created.
    funcs: Vec<FuncInfo>,
    /// The literals each function that existed at the fork (a top-level one) creates.
    closures: Vec<(FuncId, Vec<FuncId>)>,
    lit_funcs: FxHashMap<NodeId, FuncId>,
    /// Whether it met a call that formats.
    formats: bool,
}

impl Info {
    /// Returns what a run of function bodies checked on another thread starts from: copies
    /// of the types, objects and functions, and none of the facts the checker records.
    ///
    /// Each step of a fork and its merge names every field, so that a field added to `Info`
    /// does not compile until each says what becomes of it.
    pub(crate) fn fork(&self) -> Info {
        let Info {
            types,
            objs,
            node_types: _,
            node_objs: _,
            node_consts: _,
            consts: _,
            funcs,
            lit_funcs: _,
            init_order: _,
            formats: _,
        } = self;
        Info {
            types: types.clone(),
            objs: objs.clone(),
            node_types: Vec::new(),
            node_objs: Vec::new(),
            node_consts: Vec::new(),
            consts: Vec::new(),
            funcs: funcs.clone(),
            lit_funcs: FxHashMap::default(),
            init_order: Vec::new(),
            formats: false,
        }
    }

    /// Returns what a fork created past the counts `from` at the fork, dropping the copies it
    /// started from; called on the fork's own thread, so they are freed there.
    pub(crate) fn found(self, from: Counts) -> FoundInfo {
        // The per-node facts are the checker's `NodeFacts` while it runs, and the
        // initialization order is computed after every body: all are empty here.
        let Info {
            types,
            mut objs,
            node_types: _,
            node_objs: _,
            node_consts: _,
            consts: _,
            mut funcs,
            lit_funcs,
            init_order: _,
            formats,
        } = self;
        let new_funcs = funcs.split_off(from.funcs as usize);
        let closures = funcs
            .iter_mut()
            .enumerate()
            .filter(|(_, func)| !func.closures.is_empty())
            .map(|(idx, func)| (FuncId(idx as u32), std::mem::take(&mut func.closures)))
            .collect();
        FoundInfo {
            types: types.into_types_from(from.types as usize),
            objs: objs.split_off(from.objs as usize),
            funcs: new_funcs,
            closures,
            lit_funcs,
            formats,
        }
    }

    /// Takes in what a fork found, numbered from the counts `from` at the fork, after
    /// everything this `Info` holds; returns where the fork's numbers ended up. A type the
    /// fork created is interned anew, so it gets the id the serial check would give it.
    pub(crate) fn merge(&mut self, found: FoundInfo, from: Counts) -> Shift {
        let FoundInfo {
            types,
            objs,
            funcs,
            closures,
            lit_funcs,
            formats,
        } = found;
        self.formats |= formats;
        let mut shift = Shift {
            from,
            obj_delta: self.objs.len() as u32 - from.objs,
            func_delta: self.funcs.len() as u32 - from.funcs,
            types: Vec::with_capacity(types.len()),
        };
        for ty in types {
            let ty = ty.map_ids(|id| shift.ty(id));
            let id = self.types.intern(ty);
            shift.types.push(id);
        }
        self.objs.reserve(objs.len());
        for mut obj in objs {
            obj.ty = shift.ty(obj.ty);
            if let ObjKind::Var {
                owner: Some(owner), ..
            } = &mut obj.kind
            {
                *owner = shift.func(*owner);
            }
            self.objs.push(obj);
        }
        self.funcs.reserve(funcs.len());
        for mut func in funcs {
            func.ty = shift.ty(func.ty);
            func.parent = func.parent.map(|parent| shift.func(parent));
            for closure in &mut func.closures {
                *closure = shift.func(*closure);
            }
            for capture in &mut func.captures {
                *capture = shift.obj(*capture);
            }
            self.funcs.push(func);
        }
        for (id, closures) in closures {
            self.funcs[id.0 as usize].closures =
                closures.into_iter().map(|id| shift.func(id)).collect();
        }
        self.lit_funcs.extend(
            lit_funcs
                .into_iter()
                .map(|(node, id)| (node, shift.func(id))),
        );
        shift
    }
}

/// The per-node vectors of [`Info`] while the checker fills them.
pub(crate) struct NodeStore {
    types: Vec<TypeId>,
    objs: Vec<u32>,
    consts: Vec<u32>,
}

impl NodeStore {
    /// Returns vectors for `n_nodes` nodes that record no fact yet.
    pub(crate) fn new(n_nodes: u32) -> NodeStore {
        let n = n_nodes as usize;
        NodeStore {
            types: vec![INVALID; n],
            objs: vec![NONE; n],
            consts: vec![NONE; n],
        }
    }

    /// Returns the facts of every node, for the checker to record into.
    pub(crate) fn facts(&mut self) -> NodeFacts<'_> {
        NodeFacts {
            base: 0,
            types: &mut self.types,
            objs: &mut self.objs,
            consts: &mut self.consts,
            values: Vec::new(),
            values_base: 0,
        }
    }
}

/// The per-node facts of a contiguous range of nodes, and the constant values recorded for
/// them: the whole file for the checker, a run of function declarations for a thread that
/// checks their bodies (`types::bodies`).
///
/// Invariant: an entry of `consts` indexes `values` from `values_base`.
pub(crate) struct NodeFacts<'a> {
    /// The first node of the range.
    base: usize,
    types: &'a mut [TypeId],
    objs: &'a mut [u32],
    consts: &'a mut [u32],
    values: Vec<ConstValue>,
    values_base: u32,
}

impl<'a> NodeFacts<'a> {
    fn idx(&self, node: NodeId) -> usize {
        node.0 as usize - self.base
    }

    /// Returns the type of expression `node`.
    pub(crate) fn ty(&self, node: NodeId) -> TypeId {
        self.types[self.idx(node)]
    }

    /// Records the type of expression `node`.
    pub(crate) fn set_ty(&mut self, node: NodeId, ty: TypeId) {
        let idx = self.idx(node);
        self.types[idx] = ty;
    }

    /// Returns the object a name node denotes or declares.
    pub(crate) fn obj_of(&self, node: NodeId) -> Option<ObjId> {
        match self.objs[self.idx(node)] {
            NONE => None,
            entry => Some(ObjId(entry - 1)),
        }
    }

    /// Records the object name node `node` denotes or declares.
    pub(crate) fn set_obj(&mut self, node: NodeId, obj: ObjId) {
        let idx = self.idx(node);
        self.objs[idx] = obj.0 + 1;
    }

    /// Returns the value of constant expression `node`.
    pub(crate) fn const_value(&self, node: NodeId) -> Option<&ConstValue> {
        match self.consts[self.idx(node)] {
            NONE => None,
            entry => Some(&self.values[(entry - 1 - self.values_base) as usize]),
        }
    }

    /// Records the value of constant expression `node`.
    pub(crate) fn set_const(&mut self, node: NodeId, value: ConstValue) {
        let idx = self.idx(node);
        let slot = &mut self.consts[idx];
        if *slot == NONE {
            *slot = self.values_base + self.values.len() as u32 + 1;
            self.values.push(value);
        } else {
            self.values[(*slot - 1 - self.values_base) as usize] = value;
        }
    }

    /// Returns how many constant values have been recorded, counting from index 0.
    pub(crate) fn n_values(&self) -> u32 {
        self.values_base + self.values.len() as u32
    }

    /// Returns the recorded constant values.
    pub(crate) fn into_values(self) -> Vec<ConstValue> {
        self.values
    }

    /// Splits the facts of nodes `bounds[k]..bounds[k + 1]` off, one part per range.
    /// `bounds` must be increasing and within the range. The first part takes over the
    /// values recorded so far and goes on numbering them; the others record theirs from index
    /// [`n_values`](Self::n_values) on, for [`merge`](Self::merge). Give the first part's
    /// values back with [`rejoin`](Self::rejoin).
    pub(crate) fn split(&mut self, bounds: &[usize]) -> Vec<NodeFacts<'_>> {
        let values_base = self.n_values();
        let first = bounds[0] - self.base;
        let (mut types, mut objs, mut consts) = (
            &mut self.types[first..],
            &mut self.objs[first..],
            &mut self.consts[first..],
        );
        let mut parts = Vec::with_capacity(bounds.len() - 1);
        for range in bounds.windows(2) {
            let len = range[1] - range[0];
            let (t, rest_t) = std::mem::take(&mut types).split_at_mut(len);
            let (o, rest_o) = std::mem::take(&mut objs).split_at_mut(len);
            let (c, rest_c) = std::mem::take(&mut consts).split_at_mut(len);
            (types, objs, consts) = (rest_t, rest_o, rest_c);
            let (values, values_base) = match parts.is_empty() {
                true => (std::mem::take(&mut self.values), self.values_base),
                false => (Vec::new(), values_base),
            };
            parts.push(NodeFacts {
                base: range[0],
                types: t,
                objs: o,
                consts: c,
                values,
                values_base,
            });
        }
        parts
    }

    /// Takes back the values of the first part that [`split`](Self::split) returned.
    pub(crate) fn rejoin(&mut self, values: Vec<ConstValue>) {
        self.values = values;
    }

    /// Takes in the values of a later part that [`split`](Self::split) returned, whose nodes
    /// `range` record objects, values and types numbered as `shift` says: each is moved to
    /// where the merge put it.
    pub(crate) fn merge(&mut self, range: Range<usize>, values: Vec<ConstValue>, shift: &Shift) {
        let value_delta = self.n_values() - shift.from.values;
        self.values.extend(values);
        let (lo, hi) = (range.start - self.base, range.end - self.base);
        // Adds `delta` to the entries that stand for an index from `from` on (an entry is
        // the index plus one, and `NONE` is 0): a loop without branches, which vectorizes.
        let bump = |entries: &mut [u32], from: u32, delta: u32| {
            if delta != 0 {
                for entry in entries {
                    *entry += if *entry > from { delta } else { 0 };
                }
            }
        };
        bump(&mut self.objs[lo..hi], shift.from.objs, shift.obj_delta);
        bump(&mut self.consts[lo..hi], shift.from.values, value_delta);
        if !shift.types.is_empty() {
            for ty in &mut self.types[lo..hi] {
                *ty = shift.ty(*ty);
            }
        }
    }
}

/// The numbers of objects, functions, constant values and types when the checker's state is
/// forked for a run of function bodies on another thread (`types::bodies`): the run numbers
/// what it creates from them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Counts {
    pub(crate) objs: u32,
    pub(crate) funcs: u32,
    pub(crate) values: u32,
    pub(crate) types: u32,
}

/// Where the objects, functions, constant values and types that one part of a parallel check
/// numbered from the counts at the fork end up once merged.
pub(crate) struct Shift {
    /// The counts at the fork.
    pub(crate) from: Counts,
    /// What to add to an object numbered from `from.objs`.
    pub(crate) obj_delta: u32,
    /// What to add to a function numbered from `from.funcs`.
    pub(crate) func_delta: u32,
    /// The merged id of each type the part numbered from `from.types`.
    pub(crate) types: Vec<TypeId>,
}

impl Shift {
    /// Returns where type `ty` ended up.
    pub(crate) fn ty(&self, ty: TypeId) -> TypeId {
        match ty.0.checked_sub(self.from.types) {
            Some(idx) => self.types[idx as usize],
            None => ty,
        }
    }

    /// Returns where object `obj` ended up.
    pub(crate) fn obj(&self, obj: ObjId) -> ObjId {
        if obj.0 >= self.from.objs {
            ObjId(obj.0 + self.obj_delta)
        } else {
            obj
        }
    }

    /// Returns where function `func` ended up.
    pub(crate) fn func(&self, func: FuncId) -> FuncId {
        if func.0 >= self.from.funcs {
            FuncId(func.0 + self.func_delta)
        } else {
            func
        }
    }
}

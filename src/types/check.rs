//! The type checker: resolves every name, types every expression, evaluates constants, and
//! reports Go's compile errors with Go's wording.
//!
//! It follows the order of Go's `types2`, so that when a program has many errors the first
//! ten found are the ones Go shows:
//! 1. collect the package-level objects and check the import;
//! 2. resolve package-level constants, variables and function signatures in source order,
//!    each on demand when an earlier one refers to it, recording which package-level objects
//!    each declaration (function bodies included) uses;
//! 3. check function bodies in source order (top-level ones on several threads, `bodies`, to
//!    the same effect); a function literal's body is checked where the literal appears, with
//!    the enclosing scopes visible;
//! 4. report unused variables at the end of each body; then compute the initialization order
//!    of package-level variables and report initialization cycles (`initorder`); last, the
//!    unused imports.
//!
//! Branch statements (labels, `break`, `continue`) are checked by `branches`, body by body
//! with step 3, and reported before every other error, as Go's parser finds them first.
//!
//! Postconditions when no error is reported:
//! - `Info::type_of` gives every expression its final type (untyped constants keep their
//!   untyped type; their value is in `Info::const_value`). An expression left with an untyped
//!   type that is not constant (a comparison, or `1 << n` inside a larger expression) has the
//!   default type at run time: `bool` or `int`;
//! - every name expression and declaring identifier has its object in `Info::obj_of`;
//! - `Info::funcs` lists every function and literal, with the variables each literal captures.
//!
//! The checker's own state is in two structs, each moved or reset whole: [`State`], what the
//! check has declared and found so far, which `bodies` hands to the threads that check the
//! top-level function bodies and merges back; and [`Env`], where the walk is, which is empty
//! between declarations.

use rustc_hash::FxHashSet;

use crate::diag::{Diagnostics, SourceFile, Span};
use crate::syntax::ast::{
    self, Block, ConstSpec, Decl, Expr, ExprKind, File, ForHeader, FuncLit, Ident, NodeId,
    Signature, Stmt, Symbol, TypeExpr, VarSpec,
};
use crate::types::branches::{self, BranchErrors};
use crate::types::constant::ConstValue;
use crate::types::expr::{Mode, Operand};
use crate::types::initorder::{self, Node};
use crate::types::object::{
    Builtin, FuncId, FuncInfo, FuncNode, Info, NodeFacts, NodeStore, ObjId, ObjKind, Object,
};
use crate::types::scope::Scopes;
use crate::types::ty::{
    self, BOOL, FUNC_VOID, FuncType, INT, INVALID, STRING, Type, TypeId, UNTYPED_BOOL, UNTYPED_NIL,
};

/// How deeply expressions and statements may nest before the checker gives up on a file;
/// generous next to real programs, small enough for the checker's stack.
pub const MAX_NESTING: u32 = 250_000;

/// The error past [`MAX_NESTING`], reported once per file.
pub(crate) const NESTED_TOO_DEEPLY: &str = "program nested too deeply";

/// Strips parentheses: moved to `syntax::ast`, and named here until the SSA builder names it
/// there.
pub(crate) use crate::syntax::ast::unparen;

/// Type-checks `file`, reporting errors into `diags`, with function bodies checked on up to
/// `threads` threads and at most one per `min_chunk` nodes (`types::bodies`). The result
/// does not depend on `threads`.
pub fn check(
    source: &SourceFile,
    file: &File,
    diags: &mut Diagnostics,
    threads: usize,
    min_chunk: usize,
) -> Info {
    let mut store = NodeStore::new(file.n_nodes);
    let (state, values) = {
        let mut checker = Checker::new(source, file, store.facts());
        checker.run(threads, min_chunk);
        (checker.state, checker.nodes.into_values())
    };
    let State {
        mut info,
        errors,
        branch_errors,
        ..
    } = state;
    info.set_nodes(store, values);
    // Go finds branch errors while parsing, before any type error.
    diags.append(branch_errors.into_diagnostics());
    diags.append(errors);
    info
}

/// A package-level object awaiting resolution.
#[derive(Clone, Copy, Debug)]
pub(crate) enum PkgDecl {
    /// `decls[decl]`, spec `spec`, name `name`.
    Const {
        decl: usize,
        spec: usize,
        name: usize,
    },
    /// `decls[decl]`, spec `spec`: name `name`, or all names together when one call
    /// initializes them all (`var a, b = f()`).
    Var {
        decl: usize,
        spec: usize,
        name: Option<usize>,
    },
    /// `decls[decl]` is a function.
    Func { decl: usize },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resolution {
    Pending,
    InProgress,
    Done,
}

/// The function whose body is being checked.
pub(crate) struct FuncCtx {
    pub(crate) id: FuncId,
    pub(crate) results: Vec<TypeId>,
    /// Local variables declared in this body (not in nested literals), for the unused check.
    locals: Vec<ObjId>,
    /// How many literals this body has produced so far, for Go's `outer.funcN` names.
    n_lits: u32,
    /// The results are named (reported as unsupported): a bare `return` is then not
    /// reported again.
    named_results: bool,
}

/// A type checker of one file, or of one run of its function bodies (`bodies`).
pub(crate) struct Checker<'a> {
    pub(crate) source: &'a SourceFile,
    pub(crate) file: &'a File,
    /// The facts of the nodes this checker records: the whole file's, or those of a run of
    /// function declarations (`bodies`).
    pub(crate) nodes: NodeFacts<'a>,
    /// What the check has declared and found so far.
    pub(crate) state: State,
    /// Where the walk is.
    pub(crate) env: Env,
    /// Literals met at package level, with their functions and the declarations that hold
    /// them, checked after the top-level function bodies. Only the checker of the whole file
    /// meets them: a checker of a run of bodies starts with none, and a body defers none.
    pub(crate) deferred_lits: Vec<(&'a Expr, FuncId, Option<ObjId>)>,
}

/// What the check has declared and found so far: everything a checker holds but the file,
/// the facts of its nodes and where its walk is.
///
/// It is one struct so that it moves whole: `bodies` hands it to the thread that checks the
/// first run of top-level function bodies and takes it back, forks it for the other runs,
/// and merges what they found, and each of those steps names every field, so that a field
/// added here does not compile until each says what becomes of it.
pub(crate) struct State {
    /// Everything but the per-node facts, which are in `Checker::nodes`.
    pub(crate) info: Info,
    pub(crate) errors: Diagnostics,
    /// Errors of labels, `break` and `continue`, which Go reports before type errors.
    pub(crate) branch_errors: BranchErrors,
    pub(crate) scopes: Scopes,
    /// Per object: read at least once.
    pub(crate) used: Vec<bool>,
    /// Per object (dense; locals are past its end): the package-level declaration to resolve.
    pub(crate) pkg: Vec<Option<(PkgDecl, Resolution)>>,
    /// Per package-level object: the package-level objects its initializer or body uses.
    pub(crate) deps: Vec<Vec<ObjId>>,
    /// The import of `fmt`, if any.
    pub(crate) fmt: Option<(ObjId, Span)>,
    /// The symbol of `_`, or one no name has if the file never writes it.
    pub(crate) blank: Symbol,
    /// Calls of the built-in `panic`, which terminate a statement list.
    pub(crate) panic_calls: FxHashSet<NodeId>,
    /// Whether [`NESTED_TOO_DEEPLY`] has been reported: once per file.
    pub(crate) nesting_reported: bool,
}

/// Where the walk is, as types2's `environment`: the declaration being checked, the function
/// bodies around the current point, and what a constant declaration or the nesting limit
/// says about it.
///
/// Invariant: it is empty (its default) between declarations, so a thread that checks a
/// run of function bodies starts with a fresh one.
#[derive(Default)]
pub(crate) struct Env {
    /// The package-level object whose initializer or body is being checked.
    pub(crate) cur_decl: Option<ObjId>,
    /// The function bodies being checked, innermost last.
    pub(crate) funcs: Vec<FuncCtx>,
    /// The value of `iota` in the constant declaration being checked.
    pub(crate) iota: Option<u32>,
    /// While an inherited constant initializer (`const ( a = f(iota); b )`) is evaluated for
    /// `b`: the position of `b`, where its errors are reported.
    pub(crate) errpos: Option<Span>,
    /// How deeply the current statement or expression nests.
    pub(crate) nesting: u32,
    /// Whether the declaration being checked nests too deeply: what the checker skipped
    /// would make any later error of it a guess (a variable used only in the skipped part
    /// seems unused), so none is reported. Cleared as each declaration starts, and so never
    /// carried from one body to another, nor between threads.
    pub(crate) too_deep: bool,
}

impl State {
    /// Returns the state of a check that has declared nothing, not even the universe.
    pub(crate) fn new() -> State {
        State {
            info: Info::new(),
            errors: Diagnostics::default(),
            branch_errors: BranchErrors::default(),
            scopes: Scopes::default(),
            used: Vec::new(),
            pkg: Vec::new(),
            deps: Vec::new(),
            fmt: None,
            blank: Symbol(u32::MAX),
            panic_calls: FxHashSet::default(),
            nesting_reported: false,
        }
    }
}

impl<'a> Checker<'a> {
    /// Returns a checker of `file` with the universe declared.
    pub(crate) fn new(source: &'a SourceFile, file: &'a File, nodes: NodeFacts<'a>) -> Checker<'a> {
        let mut checker = Checker::with_state(source, file, nodes, State::new());
        checker.declare_universe();
        checker
    }

    /// Returns a checker that goes on from `state`, at no point of a walk.
    pub(crate) fn with_state(
        source: &'a SourceFile,
        file: &'a File,
        nodes: NodeFacts<'a>,
        state: State,
    ) -> Checker<'a> {
        Checker {
            source,
            file,
            nodes,
            state,
            env: Env::default(),
            deferred_lits: Vec::new(),
        }
    }

    /// Returns the symbol of `name` if the file uses it; predeclared names the file never
    /// mentions need no binding.
    fn symbol(&self, name: &str) -> Option<Symbol> {
        self.file.names.lookup(name)
    }

    fn declare_universe(&mut self) {
        let types = [("int", INT), ("bool", BOOL), ("string", STRING)];
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

    pub(crate) fn new_obj(&mut self, name: Symbol, span: Span, ty: TypeId, kind: ObjKind) -> ObjId {
        let id = ObjId(self.state.info.objs.len() as u32);
        self.state.info.objs.push(Object {
            name,
            span,
            ty,
            kind,
        });
        self.state.used.push(false);
        id
    }

    pub(crate) fn name(&self, sym: Symbol) -> &'a str {
        self.file.names.name(sym)
    }

    /// Reports an error at `span`, or at the constant being declared while an inherited
    /// initializer is evaluated, as Go does; nothing once the declaration being checked
    /// nests too deeply (see [`enter`](Self::enter)).
    pub(crate) fn error(&mut self, span: Span, message: impl Into<String>) {
        if !self.env.too_deep {
            self.state
                .errors
                .error(self.env.errpos.unwrap_or(span), message);
        }
    }

    /// Reports an error with positioned continuation lines, as [`error`](Self::error) does.
    pub(crate) fn error_with_notes(
        &mut self,
        span: Span,
        message: impl Into<String>,
        notes: Vec<(Span, String)>,
    ) {
        if !self.env.too_deep {
            self.state.errors.error_with_notes(span, message, notes);
        }
    }

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

    /// Checks the file, in the order of the module comment.
    fn run(&mut self, threads: usize, min_chunk: usize) {
        let file = self.file;
        if self.name(file.package.name) != "main" {
            let name = self.name(file.package.name);
            self.error(
                file.package.span,
                format!("package {name} is not a main package: toyc builds programs"),
            );
        }
        let mut unused = self.check_imports();
        self.collect();
        self.package_objects();
        self.check_all_bodies(threads, min_chunk);
        for (lit, id, decl) in std::mem::take(&mut self.deferred_lits) {
            if let ExprKind::FuncLit(func_lit) = &lit.kind {
                self.env.cur_decl = decl;
                self.env.too_deep = false;
                self.func_body(id, &func_lit.sig, &func_lit.body);
            }
        }
        self.env.cur_decl = None;
        self.env.too_deep = false;
        self.init_order();
        // As in Go, unused imports are reported last; but where the checker skipped a part
        // that nests too deeply, `fmt` may be used there.
        if let Some((obj, span)) = self.state.fmt
            && !self.state.used[obj.0 as usize]
            && !self.state.nesting_reported
        {
            unused.push(span);
        }
        unused.sort_by_key(|span| span.lo);
        for span in unused {
            let import = file.imports.iter().find(|import| import.span == span);
            let path = import.map_or_else(String::new, |import| {
                crate::types::constant::quote(&import.path)
            });
            self.error(span, format!("{path} imported and not used"));
        }
    }

    /// Checks the imports, declaring `fmt`; returns those found unused already (a package
    /// whose name the file never writes), to be reported last.
    pub(crate) fn check_imports(&mut self) -> Vec<Span> {
        let file = self.file;
        let mut unused = Vec::new();
        for import in &file.imports {
            if import.path != b"fmt" {
                let name = String::from_utf8_lossy(&import.path);
                let base = name.rsplit('/').next().unwrap_or_default();
                if self.symbol(base).is_none() {
                    unused.push(import.span);
                    continue;
                }
                self.error(
                    import.span,
                    format!(
                        "importing {} is not supported (only \"fmt\" is)",
                        crate::types::constant::quote(&import.path)
                    ),
                );
                // Bind the name so that its uses are not reported as undefined too.
                if let Some(sym) = self.symbol(base) {
                    let obj = self.new_obj(sym, import.span, INVALID, ObjKind::Package);
                    let _ = self.state.scopes.declare(sym, obj);
                }
                continue;
            }
            if let Some(alias) = import.alias {
                self.error(alias.span, "import aliases are not supported");
                continue;
            }
            let Some(sym) = self.symbol("fmt") else {
                // The file never mentions the name.
                unused.push(import.span);
                continue;
            };
            let obj = self.new_obj(sym, import.span, INVALID, ObjKind::Package);
            if self.state.fmt.is_some() {
                self.error(import.span, "fmt redeclared in this block");
                continue;
            }
            self.state.fmt = Some((obj, import.span));
            // The package name lives in the file scope, which encloses no declarations of
            // its own: bind it at package depth.
            let _ = self.state.scopes.declare(sym, obj);
        }
        unused
    }

    /// Declares every package-level name, in source order, without resolving any.
    pub(crate) fn collect(&mut self) {
        let file = self.file;
        let mut main_seen = false;
        let main_sym = self.symbol("main");
        for (decl_idx, decl) in file.decls.iter().enumerate() {
            let declares_main = match decl {
                Decl::Func(func) => Some(func.name.name) == main_sym,
                Decl::Var(specs) => specs
                    .iter()
                    .any(|spec| spec.names.iter().any(|name| Some(name.name) == main_sym)),
                Decl::Const(specs) => specs
                    .iter()
                    .any(|spec| spec.names.iter().any(|name| Some(name.name) == main_sym)),
                Decl::Bad => false,
            };
            main_seen |= declares_main;
            match decl {
                Decl::Func(func) => {
                    let id = FuncId(self.state.info.funcs.len() as u32);
                    let name = self.name(func.name.name);
                    self.state.info.funcs.push(FuncInfo {
                        name: name.to_string(),
                        node: FuncNode::Decl(decl_idx),
                        parent: None,
                        ty: INVALID,
                        captures: Vec::new(),
                        closures: Vec::new(),
                    });

                    let obj =
                        self.new_obj(func.name.name, func.name.span, INVALID, ObjKind::Func(id));
                    self.set_pkg(obj, PkgDecl::Func { decl: decl_idx }, Resolution::Pending);
                    if name == "init" || func.name.name == self.state.blank {
                        self.nodes.set_obj(func.name.id, obj);
                        if name == "init" {
                            self.error(func.name.span, "func init is not supported");
                        }
                    } else {
                        self.declare_pkg(func.name, obj);
                    }
                    if func.body.is_none() {
                        self.error(func.name.span, "missing function body");
                    }
                }
                Decl::Var(specs) => {
                    for (spec_idx, spec) in specs.iter().enumerate() {
                        let joint = spec.values.len() == 1 && spec.names.len() > 1;
                        for (name_idx, name) in spec.names.iter().enumerate() {
                            let kind = ObjKind::Var {
                                owner: None,
                                is_param: false,
                            };
                            let obj = self.new_obj(name.name, name.span, INVALID, kind);
                            let decl = PkgDecl::Var {
                                decl: decl_idx,
                                spec: spec_idx,
                                name: (!joint).then_some(name_idx),
                            };
                            self.set_pkg(obj, decl, Resolution::Pending);
                            self.declare_pkg(*name, obj);
                        }
                    }
                }
                Decl::Const(specs) => {
                    for (spec_idx, spec) in specs.iter().enumerate() {
                        for (name_idx, name) in spec.names.iter().enumerate() {
                            let obj = self.new_obj(
                                name.name,
                                name.span,
                                INVALID,
                                ObjKind::Const(ConstValue::Bool(false)),
                            );
                            self.set_pkg(
                                obj,
                                PkgDecl::Const {
                                    decl: decl_idx,
                                    spec: spec_idx,
                                    name: name_idx,
                                },
                                Resolution::Pending,
                            );
                            self.declare_pkg(*name, obj);
                        }
                    }
                }
                Decl::Bad => {}
            }
        }
        if !main_seen {
            self.error(
                Span::default(),
                "function main is undeclared in the main package",
            );
        }
    }

    fn declare_pkg(&mut self, ident: Ident, obj: ObjId) {
        let name = self.name(ident.name);
        if (name == "main" || name == "init")
            && !matches!(self.state.info.obj(obj).kind, ObjKind::Func(_))
        {
            // Go reports it and does not declare the name.
            self.error(ident.span, format!("cannot declare {name} - must be func"));
            self.nodes.set_obj(ident.id, obj);
            return;
        }
        let _ = self.declare(ident, obj);
    }

    /// Resolves every package-level object in source order, as types2's `packageObjects`;
    /// those an earlier declaration refers to are resolved by then.
    pub(crate) fn package_objects(&mut self) {
        let file = self.file;
        for decl in &file.decls {
            match decl {
                Decl::Func(func) => {
                    let obj = self.nodes.obj_of(func.name.id);
                    if let Some(obj) = obj {
                        self.resolve(obj);
                    }
                }
                Decl::Var(specs) => {
                    for name in specs.iter().flat_map(|spec| &spec.names) {
                        if let Some(obj) = self.nodes.obj_of(name.id) {
                            self.resolve(obj);
                        }
                    }
                }
                Decl::Const(specs) => {
                    for name in specs.iter().flat_map(|spec| &spec.names) {
                        if let Some(obj) = self.nodes.obj_of(name.id) {
                            self.resolve(obj);
                        }
                    }
                }
                Decl::Bad => {}
            }
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
                let ty = self.signature_type(&func.sig);
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

    fn set_pkg(&mut self, obj: ObjId, decl: PkgDecl, state: Resolution) {
        let idx = obj.0 as usize;
        if self.state.pkg.len() <= idx {
            self.state.pkg.resize(idx + 1, None);
        }
        self.state.pkg[idx] = Some((decl, state));
    }

    /// Sets the state of `obj`; the names of a `var` spec initialized by one call share
    /// theirs, since they are checked together.
    fn set_resolution(&mut self, obj: ObjId, decl: PkgDecl, state: Resolution) {
        if let PkgDecl::Var {
            decl: decl_idx,
            spec,
            name: None,
        } = decl
            && let Decl::Var(specs) = &self.file.decls[decl_idx]
        {
            for name in &specs[spec].names {
                if let Some(other) = self.nodes.obj_of(name.id) {
                    self.set_pkg(other, decl, state);
                }
            }
        }
        self.set_pkg(obj, decl, state);
    }

    /// Records that the declaration being checked uses package-level object `obj`.
    pub(crate) fn add_dep(&mut self, obj: ObjId) {
        let Some(decl) = self.env.cur_decl else {
            return;
        };
        if self
            .state
            .pkg
            .get(obj.0 as usize)
            .is_some_and(Option::is_some)
        {
            let idx = decl.0 as usize;
            if self.state.deps.len() <= idx {
                self.state.deps.resize_with(idx + 1, Vec::new);
            }
            self.state.deps[idx].push(obj);
        }
    }

    /// Computes the initialization order of package-level variables and reports
    /// initialization cycles, as Go's `initOrder`.
    fn init_order(&mut self) {
        let nodes: Vec<Node> = self
            .state
            .pkg
            .iter()
            .enumerate()
            .filter_map(|(idx, entry)| {
                let (decl, _) = (*entry)?;
                let obj = ObjId(idx as u32);
                Some(Node {
                    obj,
                    span: self.state.info.obj(obj).span,
                    is_const: matches!(decl, PkgDecl::Const { .. }),
                    is_func: matches!(decl, PkgDecl::Func { .. }),
                    deps: self.state.deps.get(idx).cloned().unwrap_or_default(),
                })
            })
            .collect();
        let (order, cycles) = initorder::init_order(&nodes);
        self.state.info.init_order = order;
        for cycle in cycles {
            let first = cycle[0];
            let first_name = self.name(self.state.info.obj(first).name);
            let first_span = self.state.info.obj(first).span;
            if cycle.len() == 1 {
                self.error(
                    first_span,
                    format!("initialization cycle: {first_name} refers to itself"),
                );
                continue;
            }
            let mut notes = Vec::new();
            let mut obj = first;
            for &next in cycle.iter().rev() {
                let message = format!(
                    "{} refers to {}",
                    self.name(self.state.info.obj(obj).name),
                    self.name(self.state.info.obj(next).name)
                );
                notes.push((self.state.info.obj(obj).span, message));
                obj = next;
            }
            self.error_with_notes(
                first_span,
                format!("initialization cycle for {first_name}"),
                notes,
            );
        }
    }

    /// Checks constant spec `spec_idx` of a group; `only` restricts the work to one name (a
    /// package-level constant resolved on demand), `None` declares them all (a local group).
    fn const_spec(&mut self, specs: &'a [ConstSpec], spec_idx: usize, only: Option<usize>) {
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
    fn var_spec(&mut self, spec: &'a VarSpec, local: Option<FuncId>, only: Option<usize>) {
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

    /// Declares a local variable and remembers it for the unused check.
    pub(crate) fn declare_local(&mut self, ident: Ident, obj: ObjId) {
        if self.declare(ident, obj)
            && ident.name != self.state.blank
            && let Some(func) = self.env.funcs.last_mut()
        {
            func.locals.push(obj);
        }
    }

    /// Type-checks initial values for `n_vars` variables of type `declared` (or inferred),
    /// returning each variable's type. `ret_span` is set for a return statement.
    pub(crate) fn init_vars(
        &mut self,
        declared: Option<TypeId>,
        n_vars: usize,
        values: &'a [Expr],
        ret_span: Option<Span>,
    ) -> Vec<TypeId> {
        let targets = vec![declared; n_vars];
        self.assign_values(&targets, values, ret_span, |checker, x, target, context| {
            checker.init_var(x, target, context)
        })
    }

    fn init_var(&mut self, x: &mut Operand<'a>, declared: Option<TypeId>, context: &str) -> TypeId {
        if x.mode == Mode::Invalid {
            return declared.unwrap_or(INVALID);
        }
        match declared {
            Some(ty) => {
                if ty != INVALID {
                    self.assignment(x, ty, context);
                }
                ty
            }
            None => {
                if x.mode == Mode::Nil {
                    self.error(x.span(), format!("use of untyped nil in {context}"));
                    return INVALID;
                }
                let target = ty::default_type(x.ty);
                self.assignment(x, target, context);
                if x.mode == Mode::Invalid {
                    INVALID
                } else {
                    target
                }
            }
        }
    }

    /// Pairs `values` with `targets` as Go's `initVars` and `assignVars` do (a single call may
    /// provide several values), calling `assign` for each pair and reporting count mismatches.
    pub(crate) fn assign_values(
        &mut self,
        targets: &[Option<TypeId>],
        values: &'a [Expr],
        ret_span: Option<Span>,
        mut assign: impl FnMut(&mut Checker<'a>, &mut Operand<'a>, Option<TypeId>, &str) -> TypeId,
    ) -> Vec<TypeId> {
        let n_targets = targets.len();
        let context = if ret_span.is_some() {
            "return statement"
        } else if n_targets > 1 {
            "multiple assignment"
        } else {
            "assignment"
        };
        let invalid = |targets: &[Option<TypeId>]| {
            targets
                .iter()
                .map(|t| t.unwrap_or(INVALID))
                .collect::<Vec<_>>()
        };
        let is_call = values.len() == 1 && matches!(unparen(&values[0]).kind, ExprKind::Call(..));
        if n_targets == values.len() && !is_call {
            let mut types = Vec::with_capacity(n_targets);
            for (value, &target) in values.iter().zip(targets) {
                let mut x = self.expr(value);
                types.push(assign(self, &mut x, target, context));
            }
            return types;
        }
        if values.len() != 1 {
            let operands: Vec<Operand<'a>> = values.iter().map(|value| self.raw(value)).collect();
            if operands.iter().all(|x| x.mode != Mode::Invalid) {
                match ret_span {
                    Some(span) => self.return_error(span, targets, &operands),
                    None => self.assign_error(values, n_targets, values.len()),
                }
            }
            return invalid(targets);
        }
        let operands = self.multi_expr(&values[0]);
        if operands.len() == n_targets {
            let mut types = Vec::with_capacity(n_targets);
            for (mut x, &target) in operands.into_iter().zip(targets) {
                types.push(assign(self, &mut x, target, context));
            }
            return types;
        }
        if operands.first().is_some_and(|x| x.mode != Mode::Invalid) {
            match ret_span {
                Some(span) => self.return_error(span, targets, &operands),
                None => self.assign_error(values, n_targets, operands.len()),
            }
        }
        invalid(targets)
    }

    fn assign_error(&mut self, values: &'a [Expr], n_vars: usize, n_values: usize) {
        let vars = measure(n_vars, "variable");
        let vals = measure(n_values, "value");
        let first = &values[0];
        if values.len() == 1
            && let ExprKind::Call(call) = &unparen(first).kind
        {
            let callee = self.expr_text(&call.callee);
            self.error(
                first.span,
                format!("assignment mismatch: {vars} but {callee} returns {vals}"),
            );
            return;
        }
        self.error(
            first.span,
            format!("assignment mismatch: {vars} but {vals}"),
        );
    }

    fn return_error(&mut self, ret_span: Span, targets: &[Option<TypeId>], values: &[Operand<'a>]) {
        let (at, qualifier) = if values.len() > targets.len() {
            (values[targets.len()].span(), "too many")
        } else if let Some(last) = values.last() {
            (last.span(), "not enough")
        } else {
            (ret_span, "not enough")
        };
        let have: Vec<TypeId> = values.iter().map(|x| x.ty).collect();
        let want: Vec<TypeId> = targets.iter().map(|t| t.unwrap_or(INVALID)).collect();
        let message = format!(
            "{qualifier} return values\n\thave {}\n\twant {}",
            self.types_summary(&have),
            self.types_summary(&want)
        );
        self.error(at, message);
    }

    /// Formats types as Go's `typesSummary`: untyped numbers as `number`.
    pub(crate) fn types_summary(&self, types: &[TypeId]) -> String {
        let parts: Vec<String> = types
            .iter()
            .map(|&ty| match ty {
                INVALID => "unknown type".to_string(),
                ty::UNTYPED_INT => "number".to_string(),
                UNTYPED_BOOL => "bool".to_string(),
                ty::UNTYPED_STRING => "string".to_string(),
                UNTYPED_NIL => "nil".to_string(),
                other => self.state.info.types.display(other),
            })
            .collect();
        format!("({})", parts.join(", "))
    }

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
            if let Some(name) = result.name {
                self.error(name.span, "named results are not supported");
            }
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
            named_results: sig.results.iter().any(|result| result.name.is_some()),
        });
        self.state.scopes.push();
        // Named results are rejected by `signature_type`, but declared all the same so that
        // their uses are not reported as undefined.
        let all_types = param_types.iter().chain(&results);
        for (param, &ty) in sig.params.iter().chain(&sig.results).zip(all_types) {
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
            // A repeated name was reported with the signature.
            self.nodes.set_obj(name.id, obj);
            if name.name != self.state.blank {
                let _ = self.state.scopes.declare(name.name, obj);
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

    pub(crate) fn current_func(&self) -> Option<FuncId> {
        self.env.funcs.last().map(|func| func.id)
    }

    fn stmt_list(&mut self, stmts: &'a [Stmt]) {
        for stmt in stmts {
            self.stmt(stmt);
        }
    }

    fn block(&mut self, block: &'a Block) {
        self.state.scopes.push();
        self.stmt_list(&block.stmts);
        self.state.scopes.pop();
    }

    fn stmt(&mut self, stmt: &'a Stmt) {
        // A statement with no position holds nothing to check, so it cannot nest deeper.
        let Some(pos) = stmt_pos(stmt) else {
            return;
        };
        if !self.enter(pos) {
            return;
        }
        self.stmt_inner(stmt);
        self.leave();
    }

    fn stmt_inner(&mut self, stmt: &'a Stmt) {
        match stmt {
            // `stmt` skips them: they have no position.
            Stmt::Empty | Stmt::Bad => {}
            Stmt::Expr(expr) => self.expr_stmt(expr),
            Stmt::Var(specs) => {
                let owner = self.current_func();
                for spec in specs {
                    self.var_spec(spec, owner, None);
                }
            }
            Stmt::Const(specs) => {
                for spec_idx in 0..specs.len() {
                    self.const_spec(specs, spec_idx, None);
                }
            }
            Stmt::Define { lhs, rhs, span } => self.short_var_decl(lhs, rhs, *span),
            Stmt::Assign {
                lhs, op: None, rhs, ..
            } => self.assign_vars(lhs, rhs),
            Stmt::Assign {
                lhs,
                op: Some(op),
                rhs,
                span,
            } => {
                // The target is checked even when the operation is wrong, as in Go.
                let mut x = self.binary(None, *op, &lhs[0], &rhs[0], *span);
                self.assign_var(&lhs[0], &mut x, "assignment");
            }
            Stmt::IncDec { target, inc, .. } => {
                let mut x = self.expr(target);
                if x.mode == Mode::Invalid {
                    return;
                }
                if !ty::is_integer(x.ty) {
                    let op = if *inc { "++" } else { "--" };
                    let ty = self.state.info.types.display(x.ty);
                    let text = self.expr_text(target);
                    self.error(
                        target.span,
                        format!("invalid operation: {text}{op} (non-numeric type {ty})"),
                    );
                } else {
                    x.mode = Mode::Value;
                    self.assign_var(target, &mut x, "assignment");
                }
            }
            Stmt::Block(block) => self.block(block),
            Stmt::If(if_stmt) => {
                self.state.scopes.push();
                if let Some(init) = &if_stmt.init {
                    self.stmt(init);
                }
                self.condition(&if_stmt.cond, "if statement");
                self.block(&if_stmt.then);
                if let Some(els) = &if_stmt.els {
                    self.stmt(els);
                }
                self.state.scopes.pop();
            }
            Stmt::For(for_stmt) => self.for_stmt(for_stmt),
            Stmt::Switch(switch) => self.switch_stmt(switch),
            Stmt::Return { results, span } => {
                let targets: Vec<Option<TypeId>> = self
                    .env
                    .funcs
                    .last()
                    .map(|func| func.results.iter().map(|&ty| Some(ty)).collect())
                    .unwrap_or_default();
                if results.is_empty() {
                    let named = self.env.funcs.last().is_some_and(|func| func.named_results);
                    if !targets.is_empty() && !named {
                        self.return_error(*span, &targets, &[]);
                    }
                } else {
                    self.assign_values(
                        &targets,
                        results,
                        Some(*span),
                        |checker, x, target, context| checker.init_var(x, target, context),
                    );
                }
            }
            Stmt::Branch { .. } => {}
            Stmt::Labeled { stmt, .. } => self.stmt(stmt),
        }
    }

    fn condition(&mut self, cond: &'a Expr, what: &str) {
        let x = self.expr(cond);
        if x.mode != Mode::Invalid && !ty::is_boolean(x.ty) {
            self.error(cond.span, format!("non-boolean condition in {what}"));
        }
    }

    fn expr_stmt(&mut self, expr: &'a Expr) {
        let (x, is_call) = self.raw_expr_stmt(expr);
        let message = match x.mode {
            Mode::Invalid => return,
            Mode::Builtin(_) => "must be called",
            Mode::TypeExpr => "is not an expression",
            _ if is_call => return,
            _ => "is not used",
        };
        let desc = self.operand_string(&x);
        self.error(expr.span, format!("{desc} {message}"));
    }

    fn short_var_decl(&mut self, lhs: &'a [Expr], rhs: &'a [Expr], span: Span) {
        let owner = self.current_func();
        let depth = self.state.scopes.depth();
        let mut seen: Vec<Symbol> = Vec::new();
        // Per left-hand side: the type of a variable this scope already has (`None` for a new
        // or erroneous one), and the name to declare if it is new.
        let mut targets: Vec<Option<TypeId>> = Vec::with_capacity(lhs.len());
        let mut new_names: Vec<Option<Ident>> = Vec::with_capacity(lhs.len());
        let mut has_err = false;
        for target in lhs {
            let (target_ty, new_name) = self.define_target(target, depth, &mut seen);
            has_err |= target_ty.is_none() && new_name.is_none();
            targets.push(target_ty);
            new_names.push(new_name);
        }
        let types = self.assign_values(&targets, rhs, None, |checker, x, target, context| {
            checker.init_var(x, target, context)
        });
        let mut any_new = false;
        for (idx, ident) in new_names.into_iter().enumerate() {
            let Some(ident) = ident else {
                continue;
            };
            let ty = types.get(idx).copied().unwrap_or(INVALID);
            let obj = self.new_obj(
                ident.name,
                ident.span,
                ty,
                ObjKind::Var {
                    owner,
                    is_param: false,
                },
            );
            if ident.name != self.state.blank {
                any_new = true;
            }
            self.declare_local(ident, obj);
        }
        if !any_new && !has_err {
            self.error(span, "no new variables on left side of :=");
        }
    }

    /// Classifies one left-hand side of `:=`: an existing variable of the current scope (its
    /// type), a new name, or an error (reported; both `None`).
    fn define_target(
        &mut self,
        target: &'a Expr,
        depth: u32,
        seen: &mut Vec<Symbol>,
    ) -> (Option<TypeId>, Option<Ident>) {
        let ExprKind::Name(name) = target.kind else {
            let text = self.expr_text(target);
            self.error(target.span, format!("non-name {text} on left side of :="));
            // Go still evaluates it, reporting undefined names.
            self.raw(target);
            return (None, None);
        };
        let ident = Ident {
            id: target.id,
            name,
            span: target.span,
        };
        if name == self.state.blank {
            return (None, Some(ident));
        }
        if seen.contains(&name) {
            let message = format!("{} repeated on left side of :=", self.name(name));
            self.error(target.span, message);
            return (None, None);
        }
        seen.push(name);
        let Some((obj, obj_depth)) = self.state.scopes.lookup_depth(name) else {
            return (None, Some(ident));
        };
        if obj_depth != depth {
            return (None, Some(ident));
        }
        self.nodes.set_obj(target.id, obj);
        if let ObjKind::Var { .. } = self.state.info.obj(obj).kind {
            return (Some(self.state.info.obj(obj).ty), None);
        }
        self.error(target.span, format!("cannot assign to {}", self.name(name)));
        (None, None)
    }

    fn assign_vars(&mut self, lhs: &'a [Expr], rhs: &'a [Expr]) {
        let blanks: Vec<bool> = lhs.iter().map(|target| is_blank(self, target)).collect();
        let targets: Vec<Option<TypeId>> = lhs.iter().map(|target| self.lhs_type(target)).collect();
        let mut blanks = blanks.into_iter();
        self.assign_values(&targets, rhs, None, |checker, x, target, context| {
            // A target that is neither valid nor blank was reported by `lhs_type`.
            let blank = blanks.next().unwrap_or(false);
            if target.is_some() || blank {
                checker.assign_to(x, target, context);
            }
            INVALID
        });
    }

    /// Returns the type of an assignment target without counting it as a use; `None` for the
    /// blank identifier or an invalid target (already reported).
    fn lhs_type(&mut self, target: &'a Expr) -> Option<TypeId> {
        if is_blank(self, target) {
            self.nodes.set_ty(target.id, INVALID);
            return None;
        }
        if let ExprKind::Name(name) = unparen(target).kind
            && let Some(obj) = self.state.scopes.lookup(name)
            && let ObjKind::Var { .. } = self.state.info.obj(obj).kind
        {
            let used = self.state.used[obj.0 as usize];
            let x = self.expr(target);
            self.state.used[obj.0 as usize] = used;
            return (x.mode != Mode::Invalid).then_some(x.ty);
        }
        let x = self.expr(target);
        match x.mode {
            Mode::Invalid => None,
            Mode::Variable => Some(x.ty),
            _ => {
                let text = self.expr_text(target);
                self.error(
                    target.span,
                    format!(
                        "cannot assign to {text} (neither addressable nor a map index expression)"
                    ),
                );
                None
            }
        }
    }

    /// Assigns `x` to a target whose type `lhs_type` found; `None` is the blank identifier.
    fn assign_to(&mut self, x: &mut Operand<'a>, target_ty: Option<TypeId>, context: &str) {
        if x.mode == Mode::Invalid {
            return;
        }
        match target_ty {
            None => {
                // The blank identifier takes any value, converted to its default type.
                // Go names the blank identifier in a single assignment only.
                let context = if context == "assignment" {
                    "assignment to _ identifier".to_string()
                } else {
                    context.to_string()
                };
                if x.mode == Mode::Nil {
                    self.error(x.span(), format!("use of untyped nil in {context}"));
                    return;
                }
                let ty = ty::default_type(x.ty);
                self.assignment(x, ty, &context);
            }
            Some(ty) => self.assignment(x, ty, context),
        }
    }

    /// Assigns `x` to `target` for `op=` and `++`: the target is evaluated again as an
    /// assignment target.
    fn assign_var(&mut self, target: &'a Expr, x: &mut Operand<'a>, context: &str) {
        let target_ty = self.lhs_type(target);
        if target_ty.is_some() {
            self.assign_to(x, target_ty, context);
        }
    }

    fn for_stmt(&mut self, for_stmt: &'a ast::ForStmt) {
        self.state.scopes.push();
        match &for_stmt.header {
            ForHeader::Clause { init, cond, post } => {
                if let Some(init) = init {
                    self.stmt(init);
                }
                if let Some(cond) = cond {
                    self.condition(cond, "for statement");
                }
                if let Some(post) = post {
                    if let Stmt::Define { span, .. } = **post {
                        self.error(
                            span,
                            "syntax error: cannot declare in post statement of for loop",
                        );
                    } else {
                        self.stmt(post);
                    }
                }
            }
            ForHeader::Range {
                key,
                value,
                define,
                expr,
            } => self.range_clause(key.as_ref(), value.as_ref(), *define, expr, for_stmt.span),
        }
        self.block(&for_stmt.body);
        self.state.scopes.pop();
    }

    fn range_clause(
        &mut self,
        key: Option<&'a Expr>,
        value: Option<&'a Expr>,
        define: bool,
        expr: &'a Expr,
        for_span: Span,
    ) {
        let mut x = self.expr(expr);
        // Go describes the range expression as written, before it takes its type; only an
        // assignment (not a definition) can need it.
        let range_desc = (!define).then(|| self.operand_string(&x));
        let mut elem_ty = INVALID;
        if x.mode != Mode::Invalid {
            if !ty::is_integer(x.ty) {
                if ty::is_string(x.ty) {
                    self.error(expr.span, "range over a string is not supported");
                } else if self.state.info.types.func(x.ty).is_some() {
                    self.error(expr.span, "range over a function is not supported");
                } else {
                    let desc = self.operand_string(&x);
                    self.error(expr.span, format!("cannot range over {desc}"));
                }
            } else if let Some(value) = value {
                let desc = self.operand_string(&x);
                self.error(
                    value.span,
                    format!("range over {desc} permits only one iteration variable"),
                );
            } else {
                if ty::is_untyped(x.ty) {
                    self.assignment(&mut x, INT, "range clause");
                }
                elem_ty = INT;
            }
        }
        let vars: Vec<&'a Expr> = key.into_iter().chain(value).collect();
        if !define {
            for target in vars {
                if let Some(target_ty) = self.lhs_type(target)
                    && elem_ty != INVALID
                    && !self.state.info.types.identical(target_ty, elem_ty)
                    && target_ty != INVALID
                {
                    let target_name = self.state.info.types.display(target_ty);
                    let range_desc = range_desc.as_deref().unwrap_or_default();
                    self.error(
                        expr.span,
                        format!("cannot use {range_desc} as {target_name} value in range clause"),
                    );
                }
            }
            return;
        }
        // The variables are declared even when the range expression is wrong, so that their
        // uses are not reported again.
        let mut any_new = false;
        for target in vars {
            let ExprKind::Name(name) = target.kind else {
                let text = self.expr_text(target);
                self.error(target.span, format!("non-name {text} on left side of :="));
                continue;
            };
            any_new |= name != self.state.blank;
            let ident = Ident {
                id: target.id,
                name,
                span: target.span,
            };
            let owner = self.current_func();
            let kind = ObjKind::Var {
                owner,
                is_param: false,
            };
            let obj = self.new_obj(name, target.span, elem_ty, kind);
            self.declare_local(ident, obj);
        }
        if !any_new {
            self.error(for_span, "no new variables on left side of :=");
        }
    }

    fn switch_stmt(&mut self, switch: &'a ast::SwitchStmt) {
        self.state.scopes.push();
        if let Some(init) = &switch.init {
            self.stmt(init);
        }
        let mut tag = match &switch.tag {
            Some(tag) => {
                let mut x = self.expr(tag);
                if x.mode != Mode::Invalid {
                    if x.mode == Mode::Nil {
                        self.error(tag.span, "use of untyped nil in switch expression");
                        x.mode = Mode::Invalid;
                    } else {
                        let ty = ty::default_type(x.ty);
                        self.assignment(&mut x, ty, "switch expression");
                    }
                }
                x
            }
            None => Operand::constant_bool(true, switch.span),
        };
        if tag.mode == Mode::Constant {
            // A constant tag is compared as a value.
            tag.mode = Mode::Value;
        }
        let mut seen_default: Option<Span> = None;
        let mut seen_values: Vec<(ConstValue, TypeId, Span)> = Vec::new();
        for clause in &switch.clauses {
            match &clause.exprs {
                None => {
                    if let Some(first) = seen_default {
                        let pos = self.source.position(first);
                        self.error(clause.span, format!("multiple defaults (first at {pos})"));
                    } else {
                        seen_default = Some(clause.span);
                    }
                }
                Some(exprs) => {
                    for expr in exprs {
                        self.case_value(&tag, switch.tag.as_ref(), expr, &mut seen_values);
                    }
                }
            }
            self.state.scopes.push();
            self.stmt_list(&clause.body);
            self.state.scopes.pop();
        }
        self.state.scopes.pop();
    }

    fn case_value(
        &mut self,
        tag: &Operand<'a>,
        tag_expr: Option<&'a Expr>,
        expr: &'a Expr,
        seen: &mut Vec<(ConstValue, TypeId, Span)>,
    ) {
        let mut x = self.expr(expr);
        if x.mode == Mode::Invalid || tag.mode == Mode::Invalid {
            return;
        }
        let mut y = tag.clone();
        let ok = self.compare_case(&mut x, &mut y, tag_expr, expr);
        if !ok || x.mode != Mode::Constant {
            return;
        }
        let Some(value) = x.val.clone() else {
            return;
        };
        if matches!(value, ConstValue::Bool(_)) {
            return;
        }
        if let Some((_, _, first)) = seen
            .iter()
            .find(|(other, other_ty, _)| *other == value && *other_ty == x.ty)
        {
            let first = *first;
            let desc = self.operand_string(&x);
            self.error_with_notes(
                expr.span,
                format!("duplicate case {desc} in expression switch"),
                vec![(first, "previous case".to_string())],
            );
            return;
        }
        // Go's note points at the node's own position: a binary expression's operator, a
        // call's opening parenthesis.
        let pos = match &expr.kind {
            ExprKind::Binary(_, binary) => binary.op_span,
            ExprKind::Call(call) => {
                let after = call.callee.span.hi as usize;
                let offset = self.source.text[after..].find('(').unwrap_or(0);
                Span::new(after + offset, after + offset + 1)
            }
            _ => expr.span,
        };
        seen.push((value, x.ty, pos));
    }

    /// Increments the nesting depth for the statement or expression at `span`. Past
    /// [`MAX_NESTING`], returns false, so that it is skipped, and gives up on the declaration
    /// being checked: the first time in the file, it reports [`NESTED_TOO_DEEPLY`] at `span`,
    /// and from then on the declaration reports nothing more.
    pub(crate) fn enter(&mut self, span: Span) -> bool {
        self.env.nesting += 1;
        if self.env.nesting > MAX_NESTING {
            self.env.nesting -= 1;
            if !self.state.nesting_reported {
                self.state.nesting_reported = true;
                self.state.errors.error(span, NESTED_TOO_DEEPLY);
            }
            self.env.too_deep = true;
            return false;
        }
        true
    }

    pub(crate) fn leave(&mut self) {
        self.env.nesting -= 1;
    }
}

/// Returns where a statement starts, as far as the tree keeps it, for
/// [`NESTED_TOO_DEEPLY`]; `None` for a statement that holds nothing (`;`, `var ()`).
fn stmt_pos(stmt: &Stmt) -> Option<Span> {
    match stmt {
        Stmt::Expr(expr) => Some(expr.span),
        Stmt::Var(specs) => specs
            .first()
            .and_then(|spec| spec.names.first())
            .map(|name| name.span),
        Stmt::Const(specs) => specs
            .first()
            .and_then(|spec| spec.names.first())
            .map(|name| name.span),
        Stmt::Define { lhs, span, .. } | Stmt::Assign { lhs, span, .. } => {
            Some(lhs.first().map_or(*span, |target| target.span))
        }
        Stmt::IncDec { target, .. } => Some(target.span),
        Stmt::Block(block) => Some(block.lbrace()),
        Stmt::If(if_stmt) => Some(if_stmt.span),
        Stmt::For(for_stmt) => Some(for_stmt.span),
        Stmt::Switch(switch) => Some(switch.span),
        Stmt::Return { span, .. } | Stmt::Branch { span, .. } => Some(*span),
        Stmt::Labeled { label, .. } => Some(label.span),
        Stmt::Empty | Stmt::Bad => None,
    }
}

fn measure(n: usize, unit: &str) -> String {
    if n == 1 {
        format!("{n} {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

fn is_blank(checker: &Checker<'_>, expr: &Expr) -> bool {
    matches!(unparen(expr).kind, ExprKind::Name(name) if name == checker.state.blank)
}

/// Returns whether a statement list ends in a terminating statement, as Go's specification
/// defines it. `label` is the label of the enclosing statement, for `break label`; `panics`
/// are the calls that resolved to the built-in `panic`.
fn is_terminating_list(stmts: &[Stmt], label: Option<Symbol>, panics: &FxHashSet<NodeId>) -> bool {
    let last = stmts.iter().rev().find(|stmt| !matches!(stmt, Stmt::Empty));
    last.is_some_and(|stmt| is_terminating(stmt, label, panics))
}

fn is_terminating(stmt: &Stmt, label: Option<Symbol>, panics: &FxHashSet<NodeId>) -> bool {
    match stmt {
        Stmt::Return { .. } => true,
        Stmt::Expr(expr) => panics.contains(&unparen(expr).id),
        Stmt::Block(block) => is_terminating_list(&block.stmts, None, panics),
        Stmt::If(if_stmt) => match &if_stmt.els {
            Some(els) => {
                is_terminating_list(&if_stmt.then.stmts, None, panics)
                    && is_terminating(els, None, panics)
            }
            None => false,
        },
        Stmt::For(for_stmt) => {
            let infinite = matches!(for_stmt.header, ForHeader::Clause { cond: None, .. });
            infinite && !has_break(&for_stmt.body.stmts, label, true)
        }
        Stmt::Switch(switch) => {
            let has_default = switch.clauses.iter().any(|clause| clause.exprs.is_none());
            has_default
                && switch.clauses.iter().all(|clause| {
                    is_terminating_list(&clause.body, None, panics)
                        && !has_break(&clause.body, label, true)
                })
        }
        Stmt::Labeled { label, stmt } => is_terminating(stmt, Some(label.name), panics),
        _ => false,
    }
}

/// Returns whether `stmts` contain a `break` that leaves the enclosing statement: an
/// unlabelled one not inside a nested loop or switch (when `unlabelled` is set), or one naming
/// `label`.
fn has_break(stmts: &[Stmt], label: Option<Symbol>, unlabelled: bool) -> bool {
    stmts
        .iter()
        .any(|stmt| stmt_has_break(stmt, label, unlabelled))
}

fn stmt_has_break(stmt: &Stmt, label: Option<Symbol>, unlabelled: bool) -> bool {
    match stmt {
        Stmt::Branch {
            is_break: true,
            label: target,
            ..
        } => match target {
            None => unlabelled,
            Some(target) => Some(target.name) == label,
        },
        Stmt::Block(block) => has_break(&block.stmts, label, unlabelled),
        Stmt::If(if_stmt) => {
            has_break(&if_stmt.then.stmts, label, unlabelled)
                || if_stmt
                    .els
                    .as_ref()
                    .is_some_and(|els| stmt_has_break(els, label, unlabelled))
        }
        Stmt::Labeled { stmt, .. } => stmt_has_break(stmt, label, unlabelled),
        Stmt::For(for_stmt) => label.is_some() && has_break(&for_stmt.body.stmts, label, false),
        Stmt::Switch(switch) => {
            label.is_some()
                && switch
                    .clauses
                    .iter()
                    .any(|clause| has_break(&clause.body, label, false))
        }
        _ => false,
    }
}

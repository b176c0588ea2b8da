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
//! between declarations. The methods of [`Checker`] are spread over the files of `types`, one
//! job each, as `types2` spreads them (see the module comment of `types`).

use rustc_hash::FxHashSet;

use crate::diag::{Diagnostics, SourceFile, Span};
use crate::syntax::ast::{Expr, File, NodeId, Symbol};
use crate::types::branches::BranchErrors;
use crate::types::func::FuncCtx;
use crate::types::object::{FuncId, Info, NodeFacts, NodeStore, ObjId, ObjKind, Object};
use crate::types::resolver::{PkgDecl, Resolution};
use crate::types::scope::Scopes;
use crate::types::ty::TypeId;

/// How deeply expressions and statements may nest before the checker gives up on a file;
/// generous next to real programs, small enough for the checker's stack.
pub const MAX_NESTING: u32 = 250_000;

/// The error past [`MAX_NESTING`], reported once per file.
pub(crate) const NESTED_TOO_DEEPLY: &str = "program nested too deeply";

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
    check_package(source, file, diags, threads, min_chunk, Package::Main)
}

/// Type-checks the runtime's source (package `runtime`), as [`check`] checks a program, on
/// the calling thread: the package has no `main` and may import `sys`, the intrinsics
/// (`types::sys`), which no program may import.
pub fn check_runtime(source: &SourceFile, file: &File, diags: &mut Diagnostics) -> Info {
    check_package(source, file, diags, 1, usize::MAX, Package::Runtime)
}

/// Which package a check is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Package {
    /// The program: package `main`.
    Main,
    /// The runtime's Toy source: package `runtime`, which may import `sys`.
    Runtime,
}

fn check_package(
    source: &SourceFile,
    file: &File,
    diags: &mut Diagnostics,
    threads: usize,
    min_chunk: usize,
    package: Package,
) -> Info {
    let mut store = NodeStore::new(file.n_nodes);
    let (state, values) = {
        let mut checker = Checker::new(source, file, store.facts());
        checker.run(threads, min_chunk, package);
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
    /// The import of `sys`, which only the runtime may have.
    pub(crate) sys: Option<ObjId>,
    /// The symbol of `_`, or one no name has if the file never writes it.
    pub(crate) blank: Symbol,
    /// Calls of the built-in `panic`, which terminate a statement list.
    pub(crate) panic_calls: FxHashSet<NodeId>,
    /// Whether [`NESTED_TOO_DEEPLY`] has been reported: once per file.
    pub(crate) nesting_reported: bool,
    /// Whether a construct Toy lacks has been reported ([`Checker::unsupported`]): the
    /// declarations given up on may have used the import that now seems unused.
    pub(crate) unsupported_reported: bool,
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
    /// Whether the checker gave up on the declaration being checked, because it nests too
    /// deeply or uses a construct Toy lacks: what the checker skipped would make any later
    /// error of it a guess (a variable used only in the skipped part seems unused), so none
    /// is reported. Cleared as each declaration starts, and so never carried from one body
    /// to another, nor between threads.
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
            sys: None,
            blank: Symbol(u32::MAX),
            panic_calls: FxHashSet::default(),
            nesting_reported: false,
            unsupported_reported: false,
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

    /// Checks the file, in the order of the module comment.
    fn run(&mut self, threads: usize, min_chunk: usize, package: Package) {
        let file = self.file;
        let name = self.name(file.package.name);
        match package {
            Package::Main if name != "main" => self.error(
                file.package.span,
                format!("package {name} is not a main package: toyc builds programs"),
            ),
            Package::Runtime if name != "runtime" => {
                self.error(file.package.span, "the runtime is package runtime");
            }
            Package::Main | Package::Runtime => {}
        }
        let unused_imports = self.check_imports(package);
        self.collect(package);
        self.package_objects();
        self.check_all_bodies(threads, min_chunk);
        self.check_deferred_lits();
        self.init_order();
        self.unused_imports(unused_imports);
    }

    /// Returns the symbol of `name` if the file uses it; predeclared names the file never
    /// mentions need no binding.
    pub(crate) fn symbol(&self, name: &str) -> Option<Symbol> {
        self.file.names.lookup(name)
    }

    /// Creates an object, not yet used.
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

    /// Returns the text of `sym`.
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

    /// Reports `message` (`"maps are not supported"`) at `span`, a construct Toy lacks, and
    /// gives up on the declaration being checked, as past the nesting limit: the construct
    /// is reported once, and nothing it would lead to (its operands, the variables it uses,
    /// the type it leaves invalid) is reported after it, since Go would not report them.
    pub(crate) fn unsupported(&mut self, span: Span, message: &str) {
        self.error(span, message);
        self.env.too_deep = true;
        self.state.unsupported_reported = true;
    }

    /// Reports `message` at `span`, a package-level declaration Toy lacks (a method, a generic
    /// function, a type), whose own checks are skipped: there is no declaration being checked
    /// to give up on.
    pub(crate) fn unsupported_decl(&mut self, span: Span, message: &str) {
        self.error(span, message);
        self.state.unsupported_reported = true;
    }

    /// Decrements the nesting depth that [`enter`](Self::enter) incremented.
    pub(crate) fn leave(&mut self) {
        self.env.nesting -= 1;
    }
}

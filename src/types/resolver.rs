//! The package-level objects, as types2's `resolver.go`: the import, every package-level
//! name declared before any is resolved, the dependencies between them, the initialization
//! order computed from those, and the unused imports reported last.
//!
//! A package-level object is resolved on demand ([`Checker::resolve`], in `decl`): in source
//! order, or earlier when a declaration before it refers to it. [`PkgDecl`] says where its
//! declaration is and [`Resolution`] how far it has got; a reference to an object still in
//! progress is a cycle, which the initialization order reports.

use crate::diag::Span;
use crate::syntax::ast::{self, Decl, Ident};
use crate::types::check::{Checker, Package};
use crate::types::constant::ConstValue;
use crate::types::initorder::{self, Node};
use crate::types::object::{FuncId, FuncInfo, FuncNode, ObjId, ObjKind};
use crate::types::ty::INVALID;

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

/// How far the resolution of a package-level object has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resolution {
    Pending,
    InProgress,
    Done,
}

impl<'a> Checker<'a> {
    /// Checks the imports, declaring `fmt`, and `sys` in the runtime; returns those found
    /// unused already (a package whose name the file never writes), to be reported last.
    pub(crate) fn check_imports(&mut self, package: Package) -> Vec<Span> {
        let file = self.file;
        let mut unused = Vec::new();
        for import in &file.imports {
            if import.path == b"sys"
                && package == Package::Runtime
                && let Some(sym) = self.symbol("sys")
            {
                let obj = self.new_obj(sym, import.span, INVALID, ObjKind::Package);
                self.state.sys = Some(obj);
                let _ = self.state.scopes.declare(sym, obj);
                continue;
            }
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
    pub(crate) fn collect(&mut self, package: Package) {
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
                Decl::Type(decl) => decl
                    .specs
                    .iter()
                    .any(|spec| Some(spec.name.name) == main_sym),
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
                    // A method's name is no package-level name, and a generic function's
                    // calls cannot be checked without its type parameters: both are
                    // reported here, and `resolve` gives up on their signatures and bodies.
                    let text = &self.source.text;
                    if let Some(recv) = &func.recv {
                        let at = recv.name.map_or(recv.ty.span(), |name| name.span).lo as usize;
                        let paren = text[..at].rfind('(').unwrap_or(at);
                        self.unsupported_decl(
                            Span::new(paren, paren + 1),
                            "methods are not supported",
                        );
                        self.nodes.set_obj(func.name.id, obj);
                        continue;
                    }
                    if !func.tparams.is_empty() {
                        let after = func.name.span.hi as usize;
                        let bracket = after + text[after..].find('[').unwrap_or(0);
                        self.unsupported_decl(
                            Span::new(bracket, bracket + 1),
                            "type parameters are not supported",
                        );
                    }
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
                Decl::Type(decl) => self.type_decl(decl),
                Decl::Bad => {}
            }
        }
        if !main_seen && package == Package::Main {
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
                // Rejected and declared by `collect`.
                Decl::Type(_) | Decl::Bad => {}
            }
        }
    }

    /// Rejects a `type` declaration, package-level or local, at its keyword, and declares
    /// its names as types without one, so that their uses are not reported too.
    pub(crate) fn type_decl(&mut self, decl: &'a ast::TypeDecl) {
        self.unsupported_decl(decl.span, "type is not supported");
        for spec in &decl.specs {
            let obj = self.new_obj(spec.name.name, spec.name.span, INVALID, ObjKind::TypeName);
            if self.env.funcs.is_empty() {
                self.declare_pkg(spec.name, obj);
            } else {
                let _ = self.declare(spec.name, obj);
            }
        }
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
    pub(crate) fn set_resolution(&mut self, obj: ObjId, decl: PkgDecl, state: Resolution) {
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
    pub(crate) fn init_order(&mut self) {
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

    /// Reports the imports found unused, `unused` and `fmt` if nothing used it, in source
    /// order: as in Go, after every other error. Where the checker skipped a part that nests
    /// too deeply, `fmt` may be used there, so it is not reported.
    pub(crate) fn unused_imports(&mut self, mut unused: Vec<Span>) {
        if let Some((obj, span)) = self.state.fmt
            && !self.state.used[obj.0 as usize]
            && !self.state.nesting_reported
            && !self.state.unsupported_reported
        {
            unused.push(span);
        }
        unused.sort_by_key(|span| span.lo);
        for span in unused {
            let import = self.file.imports.iter().find(|import| import.span == span);
            let path = import.map_or_else(String::new, |import| {
                crate::types::constant::quote(&import.path)
            });
            self.error(span, format!("{path} imported and not used"));
        }
    }
}

//! The compilation of one unit: SSA construction, the passes, emission, and the closures
//! its machine code creates.
//!
//! As Go's `ssagen.Compile` with the closures `walk` queues: a literal is compiled as a
//! unit of its own only if the code of the unit that makes it still creates it
//! ([`created_closures`]); a function of the runtime's Toy source, only if the code of
//! some unit calls it ([`runtime_calls`]).

use crate::runtime;

use std::sync::Arc;

use crate::amd64::{self, MachineCode};
use crate::backend::layout::sym_name;
use crate::ssa::build::{self, Program, Unit};
use crate::ssa::{Func, Sym, html, passes, print};
use crate::types::FuncId;

/// Which unit a job compiles: a function, `main.init` or a function of the runtime's Toy
/// source. Ordered functions first, by `FuncId`, then `main.init`, then the runtime's, as
/// `--ssa` prints them and `--trace` numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitId {
    /// A function, top-level or literal.
    Func(FuncId),
    /// `main.init`: the package variables' initializers.
    Init,
    /// A function of the runtime's Toy source, by its id there.
    Runtime(FuncId),
}

impl UnitId {
    /// Returns the id of `unit`, of the runtime's source if `in_runtime`.
    pub fn of(unit: &Unit, in_runtime: bool) -> UnitId {
        match unit {
            Unit::Func { func, .. } if in_runtime => UnitId::Runtime(*func),
            Unit::Func { func, .. } => UnitId::Func(*func),
            Unit::Init => UnitId::Init,
        }
    }
}

/// What [`compile`] takes of the build's options.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Options<'o> {
    /// Print the SSA of the function of this name after every pass (`--ssa NAME`): Go's
    /// name (`main`, `outer.func1`), or the name qualified (`main.fib`).
    pub ssa_func: Option<&'o str>,
    /// Take the function of this name after every pass for `ssa.html` (`--ssa-html NAME`),
    /// named as for `ssa_func`.
    pub ssa_html: Option<&'o str>,
    /// Run the SSA verifier after every pass, as debug builds always do (`--check`).
    pub check: bool,
    /// Panic on entering this phase (`TOYC_FAULT`'s `panic:NAME:PHASE`), to test how an
    /// internal compiler error is reported.
    pub panic_in: Option<&'static str>,
}

/// One compiled unit.
pub(crate) struct Compiled {
    /// Its symbol's name (`main.fib`).
    pub name: String,
    /// Its machine code, with relocations naming `Sym`s.
    pub code: MachineCode,
    /// Its string literals, numbered as its relocations number them (`Sym::Str`); they
    /// stay with the code until linking.
    pub strings: Vec<Arc<[u8]>>,
    /// For a function literal that captures variables: the literal, and the words of its
    /// closure objects, true where one is a pointer (`build::closure_pointers`), for its
    /// descriptor (`Sym::Closure`), which the code creating the closures names.
    pub closure: Option<(FuncId, Vec<bool>)>,
    /// Its `--ssa` dump, or nothing.
    pub ssa: String,
    /// What `ssa.html` shows of it, if `--ssa-html` names it.
    pub html: Option<Box<html::Dump>>,
}

/// Compiles one unit: SSA construction, the passes, emission, each entered as the thread's
/// phase (`passes::enter`). Returns the closures its code creates as new units.
pub(crate) fn compile(
    program: &Program<'_>,
    unit: &Unit,
    options: &Options<'_>,
) -> (Compiled, Vec<Unit>) {
    let inject = |phase: &str| {
        if options.panic_in == Some(phase) {
            panic!("injected panic");
        }
    };
    passes::enter(passes::BUILD);
    inject(passes::BUILD);
    let (mut f, closures) = build::build(program, unit);
    let named = |name: Option<&str>| {
        name == Some(f.name.as_str())
            || name.is_some_and(|name| f.name.strip_prefix("main.") == Some(name))
    };
    let dump = named(options.ssa_func);
    // Only the function `--ssa-html` names takes anything for the page.
    let mut page = named(options.ssa_html).then(|| {
        Box::new(html::Dump {
            name: f.name.clone(),
            // The page shows the program's source, which a runtime function is not in.
            span: match unit {
                Unit::Func { func, .. } if program.package() == "main" => Some(program.span(*func)),
                Unit::Func { .. } | Unit::Init => None,
            },
            passes: Vec::new(),
            listing: String::new(),
        })
    });
    let names = |sym: Sym| sym_name(program, sym);
    let mut ssa = String::new();
    let verify = options.check || cfg!(debug_assertions);
    passes::compile(&mut f, verify, |pass, f: &Func| {
        inject(pass);
        if dump {
            ssa.push_str(&format!("# {} after {pass}\n", f.name));
            ssa.push_str(&print::print(f, &names));
            ssa.push('\n');
        }
        if let Some(page) = &mut page {
            page.passes.push(html::PassDump::capture(pass, f, &names));
        }
    });
    passes::enter(passes::EMIT);
    inject(passes::EMIT);
    let code = amd64::emit(&f);
    if let Some(page) = &mut page {
        page.listing = format!("{} STEXT size={}\n", f.name, code.bytes.len());
        page.listing.push_str(&amd64::listing(&code, &names));
    }
    let closures = created_closures(program, unit, closures, &code);
    let strings = std::mem::take(&mut f.strings);
    let closure = match unit {
        Unit::Func { func, env } if !env.is_empty() => {
            Some((*func, build::closure_pointers(program.info, env)))
        }
        Unit::Func { .. } | Unit::Init => None,
    };
    (
        Compiled {
            name: f.name,
            code,
            strings,
            closure,
            ssa,
            html: page,
        },
        closures,
    )
}

/// Returns the functions of the runtime's Toy source (whose program `runtime` returns,
/// asked only if there are some) that `code` calls: the runtime
/// entry points written in Toy (`Sym::Runtime`), and, in a unit of the runtime itself
/// (`in_runtime`), its other functions (`Sym::Func`), which it calls by their ids there.
/// Each becomes a unit of its own once (the driver's flags), as closures do.
pub(crate) fn runtime_calls<'r>(
    runtime: impl Fn() -> &'r Program<'r>,
    in_runtime: bool,
    code: &MachineCode,
) -> Vec<FuncId> {
    code.relocs
        .iter()
        .filter_map(|reloc| match reloc.sym {
            Sym::Runtime(rt) if rt.toy_name().is_some() => runtime::func_of(runtime().info, rt),
            Sym::Runtime(_) => None,
            Sym::Func(func) if in_runtime => Some(func),
            Sym::Func(_)
            | Sym::Init
            | Sym::Main
            | Sym::FuncValue(_)
            | Sym::Global(_)
            | Sym::Str(_)
            | Sym::Type(_)
            | Sym::Closure(_)
            | Sym::AnyType => None,
        })
        .collect()
}

/// Returns those of the closures built for `unit` that its machine code still creates (or
/// calls), as Go's `walk` queues only the closures whose creation survived inlining and
/// dead-code elimination: a literal whose every call was inlined, and whose closure was
/// then removed, is never compiled or linked. A function that other units may inline keeps
/// all of its closures, since the copies of its body there may still create them.
fn created_closures(
    program: &Program<'_>,
    unit: &Unit,
    closures: Vec<Unit>,
    code: &MachineCode,
) -> Vec<Unit> {
    if let Unit::Func { func, .. } = unit
        && program.may_inline(*func)
    {
        return closures;
    }
    let referenced = |lit: FuncId| {
        code.relocs
            .iter()
            .any(|reloc| matches!(reloc.sym, Sym::Func(func) | Sym::FuncValue(func) if func == lit))
    };
    closures
        .into_iter()
        .filter(|closure| match closure {
            Unit::Func { func, .. } => referenced(*func),
            Unit::Init => unreachable!("init is never a closure"),
        })
        .collect()
}

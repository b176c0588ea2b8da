//! The back end's driver: compiles every unit of work, links the results, writes the file.
//!
//! Units are compiled one after another here, from a stack that starts with `main.init` and
//! the top-level functions and receives the closures each compilation produces. Compiling
//! a unit reads only the frozen `Program` and writes only its own result, so the parallel
//! driver can hand units to several workers. Results are linked in a fixed order —
//! runtime, `main.init`, functions by `FuncId` (top-level in source order, then literals),
//! read-only data, variables — so the executable depends only on the source.

use rustc_hash::FxHashMap;

use crate::amd64::{self, MachineCode};
use crate::driver::Checked;
use crate::obj::elf;
use crate::obj::link::{self, LinkError, Reloc, Section, SymId, Unit as LinkUnit};
use crate::ssa::build::{self, Program, Unit};
use crate::ssa::{Func, Runtime, Sym, passes, print};
use crate::types::object::ObjKind;
use crate::types::{FuncId, ObjId};

/// What to print besides building.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// Print each function's assembly listing (`-S`).
    pub listing: bool,
    /// Print this function's SSA after every pass (`--ssa NAME`).
    pub ssa_func: Option<String>,
}

/// A built program.
pub struct Built {
    /// The executable file's bytes.
    pub executable: Vec<u8>,
    /// The `-S` listing, if asked for.
    pub listing: String,
    /// The `--ssa` dump, if asked for.
    pub ssa: String,
}

/// One compiled unit.
struct Compiled {
    name: String,
    code: MachineCode,
    strings: Vec<Box<[u8]>>,
}

/// Compiles one unit: SSA construction, the passes, emission. Returns the closures it
/// creates as new units.
fn compile(
    program: &Program<'_>,
    unit: &Unit,
    options: &BuildOptions,
    ssa_out: &mut String,
) -> (Compiled, Vec<Unit>) {
    let (mut f, closures) = build::build(program, unit);
    let dump = options.ssa_func.as_deref() == Some(f.name.as_str())
        || options
            .ssa_func
            .as_deref()
            .is_some_and(|name| f.name.strip_prefix("main.") == Some(name));
    let names = |sym: Sym| sym_name(program, sym);
    passes::compile(&mut f, cfg!(debug_assertions), |pass, f: &Func| {
        if dump {
            ssa_out.push_str(&format!("# {} after {pass}\n", f.name));
            ssa_out.push_str(&print::print(f, &names));
            ssa_out.push('\n');
        }
    });
    let code = amd64::emit(&f);
    // Strings are numbered per function; they stay with the code until linking.
    let strings = std::mem::take(&mut f.strings);
    (
        Compiled {
            name: f.name,
            code,
            strings,
        },
        closures,
    )
}

/// Returns Go's name for a symbol.
pub fn sym_name(program: &Program<'_>, sym: Sym) -> String {
    let info = program.info;
    match sym {
        Sym::Func(func) => format!("main.{}", info.funcs[func.0 as usize].name),
        Sym::FuncValue(func) => format!("main.{}·f", info.funcs[func.0 as usize].name),
        Sym::Init => "main.init".to_string(),
        Sym::Main => "main.main".to_string(),
        Sym::Global(obj) => format!("main.{}", program.file.names.name(info.obj(obj).name)),
        Sym::Str(idx) => format!("go:string.{idx}"),
        Sym::Runtime(rt) => rt.name().to_string(),
    }
}

/// Compiles and links a checked program.
pub fn build(checked: &Checked, options: &BuildOptions) -> Result<Built, LinkError> {
    let program = Program::new(&checked.file, &checked.info);
    let info = &checked.info;
    let mut stack: Vec<Unit> = Vec::new();
    // Popped last to first: push in reverse source order.
    for (idx, func) in info.funcs.iter().enumerate().rev() {
        if func.parent.is_none() {
            stack.push(Unit::Func {
                func: FuncId(idx as u32),
                env: Vec::new(),
            });
        }
    }
    stack.push(Unit::Init);
    let mut init: Option<Compiled> = None;
    let mut funcs: Vec<Option<Compiled>> = (0..info.funcs.len()).map(|_| None).collect();
    let mut ssa = String::new();
    while let Some(unit) = stack.pop() {
        let (compiled, closures) = compile(&program, &unit, options, &mut ssa);
        match unit {
            Unit::Init => init = Some(compiled),
            Unit::Func { func, .. } => funcs[func.0 as usize] = Some(compiled),
        }
        stack.extend(closures.into_iter().rev());
    }
    let init = init.expect("main.init was compiled");
    let mut listing = String::new();
    let executable = link_program(&program, init, funcs, options, &mut listing)?;
    Ok(Built {
        executable,
        listing,
        ssa,
    })
}

fn link_program(
    program: &Program<'_>,
    init: Compiled,
    funcs: Vec<Option<Compiled>>,
    options: &BuildOptions,
    listing: &mut String,
) -> Result<Vec<u8>, LinkError> {
    let info = program.info;
    let main = info
        .funcs
        .iter()
        .position(|func| func.parent.is_none() && func.name == "main")
        .map(|idx| FuncId(idx as u32))
        .expect("the checker requires main");

    // Assign symbol ids in layout order.
    let mut ids: FxHashMap<Sym, SymId> = FxHashMap::default();
    let mut n = 0u32;
    let next = |sym: Sym, ids: &mut FxHashMap<Sym, SymId>, n: &mut u32| {
        ids.insert(sym, SymId(*n));
        *n += 1;
    };
    let code_runtimes: Vec<Runtime> = Runtime::ALL
        .iter()
        .copied()
        .filter(|&rt| rt != Runtime::Data && rt != Runtime::Entry)
        .collect();
    next(Sym::Runtime(Runtime::Entry), &mut ids, &mut n);
    for &rt in &code_runtimes {
        next(Sym::Runtime(rt), &mut ids, &mut n);
    }
    next(Sym::Init, &mut ids, &mut n);
    let compiled_funcs: Vec<FuncId> = (0..funcs.len() as u32)
        .map(FuncId)
        .filter(|func| funcs[func.0 as usize].is_some())
        .collect();
    for &func in &compiled_funcs {
        next(Sym::Func(func), &mut ids, &mut n);
    }
    for &func in &compiled_funcs {
        next(Sym::FuncValue(func), &mut ids, &mut n);
    }
    ids.insert(Sym::Main, ids[&Sym::Func(main)]);
    // String literals: per compiled unit, in unit order; each unit's first string number.
    let units_in_order: Vec<Compiled> = std::iter::once(init)
        .chain(funcs.into_iter().flatten())
        .collect();
    let mut string_bases = Vec::with_capacity(units_in_order.len());
    for compiled in &units_in_order {
        string_bases.push(n);
        n += compiled.strings.len() as u32;
    }
    let globals: Vec<ObjId> = info
        .objs
        .iter()
        .enumerate()
        .filter(|(_, obj)| matches!(obj.kind, ObjKind::Var { owner: None, .. }))
        .map(|(idx, _)| ObjId(idx as u32))
        .collect();
    for &global in &globals {
        next(Sym::Global(global), &mut ids, &mut n);
    }
    next(Sym::Runtime(Runtime::Data), &mut ids, &mut n);

    let mut units: Vec<LinkUnit> = Vec::with_capacity(n as usize);
    let mut add_code =
        |name: String, code: MachineCode, string_base: u32, units: &mut Vec<LinkUnit>| {
            let relocs = code
                .relocs
                .iter()
                .map(|reloc| Reloc {
                    offset: reloc.offset,
                    kind: reloc.kind,
                    target: match reloc.sym {
                        Sym::Str(idx) => SymId(string_base + idx),
                        sym => ids[&sym],
                    },
                    addend: reloc.addend,
                })
                .collect();
            if options.listing {
                listing.push_str(&format!("{name} STEXT size={}\n", code.bytes.len()));
                listing.push_str(&amd64::listing(&code, &|sym| sym_name(program, sym)));
            }
            units.push(LinkUnit {
                name,
                section: Section::Code,
                align: 16,
                bytes: code.bytes,
                relocs,
            });
        };
    add_code(
        Runtime::Entry.name().to_string(),
        amd64::runtime::assemble(Runtime::Entry),
        0,
        &mut units,
    );
    for &rt in &code_runtimes {
        add_code(
            rt.name().to_string(),
            amd64::runtime::assemble(rt),
            0,
            &mut units,
        );
    }
    let mut strings = Vec::new();
    for (compiled, &base) in units_in_order.into_iter().zip(&string_bases) {
        add_code(compiled.name, compiled.code, base, &mut units);
        strings.extend(compiled.strings);
    }
    for &func in &compiled_funcs {
        units.push(LinkUnit {
            name: sym_name(program, Sym::FuncValue(func)),
            section: Section::ReadOnly,
            align: 8,
            bytes: vec![0; 8],
            relocs: vec![Reloc {
                offset: 0,
                kind: link::RelocKind::Abs64,
                target: ids[&Sym::Func(func)],
                addend: 0,
            }],
        });
    }
    for string in strings {
        units.push(LinkUnit {
            name: "go:string".to_string(),
            section: Section::ReadOnly,
            align: 1,
            bytes: string.into_vec(),
            relocs: Vec::new(),
        });
    }
    for &global in &globals {
        let size = 8 * u64::from(build::words(info.obj(global).ty));
        units.push(LinkUnit {
            name: sym_name(program, Sym::Global(global)),
            section: Section::Bss { size },
            align: 8,
            bytes: Vec::new(),
            relocs: Vec::new(),
        });
    }
    units.push(LinkUnit {
        name: Runtime::Data.name().to_string(),
        section: Section::Bss {
            size: amd64::runtime::DATA_SIZE,
        },
        align: 64,
        bytes: Vec::new(),
        relocs: Vec::new(),
    });
    let image = link::link(&units, SymId(0))?;
    Ok(elf::write(&image))
}

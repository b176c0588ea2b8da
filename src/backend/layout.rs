//! The layout of the compiled program: which symbols the executable has, in which order,
//! and their definitions, handed to `obj::builder` and linked.
//!
//! The order is fixed, so the executable depends only on the source, whatever order the
//! units were compiled in: code (the runtime's entry, the rest of the runtime's assembly,
//! the runtime's Toy functions that were compiled, by their `FuncId` there, `main.init`,
//! the compiled functions by `FuncId`: top-level in source order, then literals),
//! read-only data (each compiled function's static closure, then the string
//! literals, once each in order of first use, as Go's linker keeps one `go:string` symbol
//! per content), then bss (the package variables, then the runtime's data).
//!
//! Every symbol is declared in that order, which numbers it; code is defined last, once
//! everything it refers to has its number. Units name what they refer to by `Sym`
//! (`Sym::Str` by the unit's own numbering of its strings, `Sym::Func` by the function's
//! id in the unit's own package); [`SymIds`] maps each to the declared symbol. A runtime
//! entry point written in Toy (`Sym::Runtime` of one with a `toy_name`) is the symbol of
//! its function there.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::amd64::{self, MachineCode};
use crate::backend::compile::Compiled;
use crate::backend::{functab, typedesc};
use crate::obj::builder::{Builder, Definition};
use crate::obj::elf;
use crate::obj::link::{self, LinkError, Reloc, Section, SymId};
use crate::ssa::build::Program;
use crate::ssa::{Runtime, Sym};
use crate::types::object::ObjKind;
use crate::types::ty::TypeId;
use crate::types::{FuncId, ObjId};

/// Returns Go's name for a symbol.
pub(crate) fn sym_name(program: &Program<'_>, sym: Sym) -> String {
    let info = program.info;
    match sym {
        Sym::Func(func) => format!("{}.{}", program.package(), info.funcs[func.0 as usize].name),
        Sym::FuncValue(func) => {
            format!(
                "{}.{}·f",
                program.package(),
                info.funcs[func.0 as usize].name
            )
        }
        Sym::Init => "main.init".to_string(),
        Sym::Main => "main.main".to_string(),
        Sym::Global(obj) => format!("main.{}", program.file.names.name(info.obj(obj).name)),
        Sym::Str(idx) => format!("go:string.{idx}"),
        Sym::Runtime(rt) => rt.name().to_string(),
        Sym::Type(ty) => format!("type:{}", typedesc::runtime_name(&info.types, ty)),
        Sym::Closure(func) => format!(
            "type:{}.{}·closure",
            program.package(),
            info.funcs[func.0 as usize].name
        ),
        Sym::AnyType => format!("type:{}", typedesc::ANY_NAME),
    }
}

/// The symbol of each thing the code refers to, from the declaration that numbered it. A
/// symbol that was never declared is [`SymIds::NONE`], which the linker reports as unknown.
struct SymIds {
    runtimes: FxHashMap<Runtime, SymId>,
    /// Per function of the runtime's Toy source: its code.
    runtime_funcs: Vec<SymId>,
    init: SymId,
    main: SymId,
    /// Per function: its code.
    funcs: Vec<SymId>,
    /// Per function: its static closure.
    func_values: Vec<SymId>,
    globals: FxHashMap<ObjId, SymId>,
    /// Per distinct string literal, as `dedup_strings` numbers them.
    strings: Vec<SymId>,
    /// The type descriptors of the program's types.
    types: FxHashMap<TypeId, SymId>,
    /// The descriptors of closure objects, per function literal.
    closures: FxHashMap<FuncId, SymId>,
    /// `any`'s descriptor.
    any_type: SymId,
}

impl SymIds {
    const NONE: SymId = SymId(u32::MAX);

    fn new(n_funcs: usize, n_runtime_funcs: usize) -> SymIds {
        SymIds {
            runtimes: FxHashMap::default(),
            runtime_funcs: vec![SymIds::NONE; n_runtime_funcs],
            init: SymIds::NONE,
            main: SymIds::NONE,
            funcs: vec![SymIds::NONE; n_funcs],
            func_values: vec![SymIds::NONE; n_funcs],
            globals: FxHashMap::default(),
            strings: Vec::new(),
            types: FxHashMap::default(),
            closures: FxHashMap::default(),
            any_type: SymIds::NONE,
        }
    }

    /// Returns the symbol of `sym` in a unit whose string literals are, by the unit's own
    /// numbering, the distinct strings `string_ids`, and which is a unit of the runtime's
    /// Toy source if `in_runtime`.
    fn get(&self, sym: Sym, string_ids: &[u32], in_runtime: bool) -> SymId {
        let of = |ids: &[SymId], func: FuncId| ids.get(func.0 as usize).copied();
        match sym {
            Sym::Func(func) if in_runtime => of(&self.runtime_funcs, func),
            // The runtime makes no function values, has no variables (`runtime`'s
            // invariant) and makes no `any`: should it, linking fails rather than pointing
            // into the program.
            Sym::FuncValue(_) | Sym::Global(_) | Sym::Type(_) | Sym::Closure(_) | Sym::AnyType
                if in_runtime =>
            {
                None
            }
            Sym::Func(func) => of(&self.funcs, func),
            Sym::FuncValue(func) => of(&self.func_values, func),
            Sym::Init => Some(self.init),
            Sym::Main => Some(self.main),
            Sym::Global(obj) => self.globals.get(&obj).copied(),
            Sym::Runtime(rt) => self.runtimes.get(&rt).copied(),
            Sym::Str(idx) => Some(self.strings[string_ids[idx as usize] as usize]),
            Sym::Type(ty) => self.types.get(&ty).copied(),
            Sym::Closure(func) => self.closures.get(&func).copied(),
            Sym::AnyType => Some(self.any_type),
        }
        .unwrap_or(SymIds::NONE)
    }
}

/// Returns each distinct string of `units` once, in order of first use, and per unit the
/// index there of each of its strings. Strings shared with the checker (a constant used in
/// many functions) are matched by address before their bytes are hashed.
fn dedup_strings(units: &[Compiled]) -> (Vec<Arc<[u8]>>, Vec<Vec<u32>>) {
    let mut distinct: Vec<Arc<[u8]>> = Vec::new();
    let mut by_address: FxHashMap<*const u8, u32> = FxHashMap::default();
    let mut by_content: FxHashMap<&[u8], u32> = FxHashMap::default();
    let unit_strings = units
        .iter()
        .map(|compiled| {
            compiled
                .strings
                .iter()
                .map(|string| {
                    if let Some(&idx) = by_address.get(&string.as_ptr()) {
                        return idx;
                    }
                    let idx = *by_content.entry(&string[..]).or_insert_with(|| {
                        distinct.push(Arc::clone(string));
                        distinct.len() as u32 - 1
                    });
                    by_address.insert(string.as_ptr(), idx);
                    idx
                })
                .collect()
        })
        .collect();
    (distinct, unit_strings)
}

/// Declares every symbol of the program in layout order (this module's comment) and defines
/// it, then links, and returns the executable: `init` and `funcs` (per function, by
/// `FuncId`: its unit, if it was compiled) are the compiled units of `program`, and
/// `runtime_funcs` (likewise) those of `runtime`, the runtime's Toy source, if it was
/// checked (it is when some unit called it). Appends each
/// code unit's assembly to `listing`, if given (`-S`), in layout order.
///
/// Code is declared first, for the calls between functions, and defined last; data is
/// defined as it is declared, since it refers only to code declared before it.
///
/// A function that was never compiled (a job lost by a queue) has no symbol; linking then
/// fails with an unknown symbol rather than producing a broken executable.
pub(crate) fn link(
    program: &Program<'_>,
    runtime: Option<&Program<'_>>,
    init: Compiled,
    funcs: Vec<Option<Compiled>>,
    runtime_funcs: Vec<Option<Compiled>>,
    listing: Option<&mut String>,
) -> Result<Vec<u8>, LinkError> {
    let compiled = |units: &[Option<Compiled>]| -> Vec<FuncId> {
        (0..units.len() as u32)
            .map(FuncId)
            .filter(|func| units[func.0 as usize].is_some())
            .collect()
    };
    let compiled_funcs = compiled(&funcs);
    let compiled_runtime = compiled(&runtime_funcs);
    // The units in layout order: the runtime's Toy functions, `main.init`, the functions.
    let mut units: Vec<Compiled> = runtime_funcs
        .into_iter()
        .flatten()
        .chain(std::iter::once(init))
        .chain(funcs.into_iter().flatten())
        .collect();
    let mut on_demand = on_demand_runtimes(&units);
    let runtimes: Vec<(Runtime, MachineCode)> = std::iter::once(Runtime::Entry)
        .chain(
            Runtime::ALL
                .iter()
                .copied()
                .filter(|&rt| rt != Runtime::Data && rt != Runtime::Entry),
        )
        .map(|rt| (rt, amd64::runtime::assemble(rt)))
        .chain(
            Runtime::ON_DEMAND
                .iter()
                .filter_map(|rt| on_demand.remove_entry(rt)),
        )
        .collect();
    if let Some(listing) = listing {
        list(
            program,
            runtime,
            &runtimes,
            &units,
            compiled_runtime.len(),
            listing,
        );
    }
    let mut layout = Layout {
        program,
        runtime,
        builder: Builder::new(),
        ids: SymIds::new(
            program.info.funcs.len(),
            runtime.map_or(0, |runtime| runtime.info.funcs.len()),
        ),
    };
    let unit_ids = layout.declare_code(&runtimes, &mut units, &compiled_runtime, &compiled_funcs);
    let unit_strings = layout.push_read_only(&compiled_funcs, &units);
    layout.push_bss();
    layout.define_functab(&units, &unit_ids);
    layout.define_code(
        runtimes,
        units,
        compiled_runtime.len(),
        &unit_ids,
        &unit_strings,
    );
    let Layout { builder, ids, .. } = layout;
    let image = builder.link(ids.runtimes[&Runtime::Entry])?;
    Ok(elf::write(image))
}

/// Assembles the runtime functions linked on demand that `units` (the runtime's Toy
/// functions among them) refer to, directly or through another of them (`growslice` calls
/// `memmove`). Those written in Toy are units already.
fn on_demand_runtimes(units: &[Compiled]) -> FxHashMap<Runtime, MachineCode> {
    let mut found: FxHashMap<Runtime, MachineCode> = FxHashMap::default();
    let mut work: Vec<Runtime> = units
        .iter()
        .flat_map(|unit| &unit.code.relocs)
        .filter_map(|reloc| match reloc.sym {
            Sym::Runtime(rt) if rt.on_demand() && is_assembly(rt) => Some(rt),
            _ => None,
        })
        .collect();
    while let Some(rt) = work.pop() {
        if found.contains_key(&rt) {
            continue;
        }
        let code = amd64::runtime::assemble(rt);
        work.extend(code.relocs.iter().filter_map(|reloc| match reloc.sym {
            Sym::Runtime(callee) if callee.on_demand() && is_assembly(callee) => Some(callee),
            _ => None,
        }));
        found.insert(rt, code);
    }
    found
}

/// Reports whether runtime symbol `rt` is assembled (`amd64::runtime`): neither written in
/// Toy nor data.
fn is_assembly(rt: Runtime) -> bool {
    rt.toy_name().is_none() && rt != Runtime::Functab && rt != Runtime::Data
}

/// Appends the assembly of the code units to `listing`, in layout order: the runtime's
/// assembly, then the compiled units', of which the first `n_runtime` are the runtime's.
fn list(
    program: &Program<'_>,
    runtime: Option<&Program<'_>>,
    runtimes: &[(Runtime, MachineCode)],
    units: &[Compiled],
    n_runtime: usize,
    listing: &mut String,
) {
    let code = runtimes
        .iter()
        .map(|(rt, code)| (rt.name(), code, program))
        .chain(units.iter().enumerate().map(|(idx, unit)| {
            let package = match runtime {
                Some(runtime) if idx < n_runtime => runtime,
                _ => program,
            };
            (unit.name.as_str(), &unit.code, package)
        }));
    for (name, code, package) in code {
        listing.push_str(&format!("{name} STEXT size={}\n", code.bytes.len()));
        listing.push_str(&amd64::listing(code, &|sym| sym_name(package, sym)));
    }
}

/// The symbols declared so far and the builder that numbered them.
struct Layout<'l, 'p> {
    program: &'l Program<'p>,
    runtime: Option<&'l Program<'p>>,
    builder: Builder,
    ids: SymIds,
}

impl Layout<'_, '_> {
    /// Declares the code: the runtime's assembly (`runtimes`, the entry first), then the
    /// compiled `units`: the runtime's functions `compiled_runtime`, `main.init`, then the
    /// functions `compiled_funcs`. Returns the symbol of each unit; the units' names go to
    /// their symbols.
    fn declare_code(
        &mut self,
        runtimes: &[(Runtime, MachineCode)],
        units: &mut [Compiled],
        compiled_runtime: &[FuncId],
        compiled_funcs: &[FuncId],
    ) -> Vec<SymId> {
        let Layout {
            program,
            runtime,
            builder,
            ids,
        } = self;
        for (rt, _) in runtimes {
            ids.runtimes.insert(*rt, builder.declare(rt.name()));
        }
        let unit_ids: Vec<SymId> = units
            .iter_mut()
            .map(|unit| builder.declare(std::mem::take(&mut unit.name)))
            .collect();
        let (runtime_ids, main_ids) = unit_ids.split_at(compiled_runtime.len());
        for (&func, &id) in compiled_runtime.iter().zip(runtime_ids) {
            ids.runtime_funcs[func.0 as usize] = id;
        }
        // The entry points written in Toy are their functions; one never called has no
        // symbol, as an assembly one linked on demand.
        if let Some(runtime) = runtime {
            for &rt in Runtime::ALL.iter().chain(&Runtime::ON_DEMAND) {
                if let Some(func) = crate::runtime::func_of(runtime.info, rt)
                    && ids.runtime_funcs[func.0 as usize] != SymIds::NONE
                {
                    ids.runtimes.insert(rt, ids.runtime_funcs[func.0 as usize]);
                }
            }
        }
        ids.init = main_ids[0];
        for (&func, &id) in compiled_funcs.iter().zip(&main_ids[1..]) {
            ids.funcs[func.0 as usize] = id;
        }
        let main = program
            .info
            .funcs
            .iter()
            .position(|func| func.parent.is_none() && func.name == "main")
            .expect("the checker requires main");
        ids.main = ids.funcs[main];
        unit_ids
    }

    /// Declares and defines the read-only data: the static closure of each function of
    /// `compiled_funcs`, then the string literals of `units`, once each, then the
    /// descriptors of the types they name (`typedesc`). Returns, per unit,
    /// the index among those strings of each of its own.
    fn push_read_only(&mut self, compiled_funcs: &[FuncId], units: &[Compiled]) -> Vec<Vec<u32>> {
        let Layout {
            program,
            builder,
            ids,
            ..
        } = self;
        for &func in compiled_funcs {
            ids.func_values[func.0 as usize] = builder.push(
                sym_name(program, Sym::FuncValue(func)),
                Definition {
                    section: Section::ReadOnly,
                    align: 8,
                    bytes: vec![0; 8],
                    relocs: vec![Reloc {
                        offset: 0,
                        kind: link::RelocKind::Abs64,
                        target: ids.funcs[func.0 as usize],
                        addend: 0,
                    }],
                },
            );
        }
        let (strings, unit_strings) = dedup_strings(units);
        ids.strings = strings
            .iter()
            .map(|string| {
                builder.push(
                    "go:string",
                    Definition {
                        section: Section::ReadOnly,
                        align: 1,
                        bytes: string.to_vec(),
                        relocs: Vec::new(),
                    },
                )
            })
            .collect();
        let types = &program.info.types;
        let described = typedesc::described(types, units);
        for &ty in &described.types {
            let id = builder.declare(sym_name(program, Sym::Type(ty)));
            ids.types.insert(ty, id);
        }
        let abs = |offset: u64, target: SymId, addend: u64| Reloc {
            offset: offset as u32,
            kind: link::RelocKind::Abs64,
            target,
            addend: addend as i64,
        };
        // A descriptor's name follows its words: its address is the descriptor's own plus
        // that offset.
        let define = |builder: &mut Builder, id: SymId, bytes, words, elem: Option<SymId>| {
            let mut relocs = vec![abs(typedesc::NAME, id, typedesc::name_offset(words))];
            relocs.extend(elem.map(|elem| abs(typedesc::ELEM, elem, 0)));
            builder.define(
                id,
                Definition {
                    section: Section::ReadOnly,
                    align: 8,
                    bytes,
                    relocs,
                },
            );
        };
        for &ty in &described.types {
            let elem = types.slice_elem(ty).map(|elem| ids.types[&elem]);
            let words = types.word_pointers(ty).len();
            define(
                builder,
                ids.types[&ty],
                typedesc::bytes(types, ty),
                words,
                elem,
            );
        }
        if !described.closures.is_empty() {
            let layouts: FxHashMap<FuncId, &[bool]> = units
                .iter()
                .filter_map(|unit| unit.closure.as_ref())
                .map(|(func, words)| (*func, &words[..]))
                .collect();
            // Literals whose closures have the same words share one descriptor, named
            // after the first of them.
            let mut by_words: FxHashMap<&[bool], SymId> = FxHashMap::default();
            for &func in &described.closures {
                let words = layouts[&func];
                let id = *by_words.entry(words).or_insert_with(|| {
                    let id = builder.declare(sym_name(program, Sym::Closure(func)));
                    let bytes = typedesc::closure_bytes(words);
                    define(builder, id, bytes, words.len(), None);
                    id
                });
                ids.closures.insert(func, id);
            }
        }
        if described.any {
            ids.any_type = builder.declare(sym_name(program, Sym::AnyType));
            define(builder, ids.any_type, typedesc::any_bytes(), 2, None);
        }
        // The collector's table, in a program that has the collector; defined once the
        // package variables it lists are declared (`define_functab`).
        let functab = Sym::Runtime(Runtime::Functab);
        if units
            .iter()
            .any(|unit| unit.code.relocs.iter().any(|reloc| reloc.sym == functab))
        {
            let id = builder.declare(Runtime::Functab.name());
            ids.runtimes.insert(Runtime::Functab, id);
        }
        unit_strings
    }

    /// Defines the function table (`functab`), if `push_read_only` declared it, from the
    /// compiled `units` and their symbols `unit_ids`, and the package variables.
    fn define_functab(&mut self, units: &[Compiled], unit_ids: &[SymId]) {
        let Layout {
            program,
            builder,
            ids,
            ..
        } = self;
        let Some(&id) = ids.runtimes.get(&Runtime::Functab) else {
            return;
        };
        let funcs: Vec<(SymId, &MachineCode)> = unit_ids
            .iter()
            .copied()
            .zip(units.iter().map(|unit| &unit.code))
            .collect();
        let types = &program.info.types;
        let globals: Vec<(SymId, &[bool])> = program
            .info
            .objs
            .iter()
            .enumerate()
            .filter_map(|(idx, obj)| {
                let global = ids.globals.get(&ObjId(idx as u32))?;
                Some((*global, types.word_pointers(obj.ty)))
            })
            .collect();
        functab::define(builder, id, &funcs, &globals);
    }

    /// Declares and defines the bss: the package variables, then the runtime's data.
    fn push_bss(&mut self) {
        let Layout {
            program,
            builder,
            ids,
            ..
        } = self;
        for (idx, obj) in program.info.objs.iter().enumerate() {
            if !matches!(obj.kind, ObjKind::Var { owner: None, .. }) {
                continue;
            }
            let global = ObjId(idx as u32);
            let size = 8 * u64::from(program.info.types.words(obj.ty));
            let id = builder.push(
                sym_name(program, Sym::Global(global)),
                Definition {
                    section: Section::Bss { size },
                    align: 8,
                    bytes: Vec::new(),
                    relocs: Vec::new(),
                },
            );
            ids.globals.insert(global, id);
        }
        let data = builder.push(
            Runtime::Data.name(),
            Definition {
                section: Section::Bss {
                    size: amd64::runtime::DATA_SIZE,
                },
                align: 64,
                bytes: Vec::new(),
                relocs: Vec::new(),
            },
        );
        ids.runtimes.insert(Runtime::Data, data);
    }

    /// Defines the code declared by `declare_code`, now that every symbol it refers to
    /// has its id: `unit_ids` and `unit_strings` are, per unit, its symbol and the index
    /// of each of its strings among the distinct ones; the first `n_runtime` units are the
    /// runtime's.
    fn define_code(
        &mut self,
        runtimes: Vec<(Runtime, MachineCode)>,
        units: Vec<Compiled>,
        n_runtime: usize,
        unit_ids: &[SymId],
        unit_strings: &[Vec<u32>],
    ) {
        let Layout { builder, ids, .. } = self;
        let definition = |code: MachineCode, string_ids: &[u32], in_runtime: bool| Definition {
            section: Section::Code,
            align: 16,
            relocs: code
                .relocs
                .iter()
                .map(|reloc| Reloc {
                    offset: reloc.offset,
                    kind: reloc.kind,
                    target: ids.get(reloc.sym, string_ids, in_runtime),
                    addend: reloc.addend,
                })
                .collect(),
            bytes: code.bytes,
        };
        for (rt, code) in runtimes {
            builder.define(ids.runtimes[&rt], definition(code, &[], false));
        }
        let units = units.into_iter().zip(unit_strings).zip(unit_ids);
        for (idx, ((unit, string_ids), &id)) in units.enumerate() {
            builder.define(id, definition(unit.code, string_ids, idx < n_runtime));
        }
    }
}

//! The back end's driver: compiles every unit of work on worker threads, links the
//! results, and reports what the workers did.
//!
//! Following Go's `compileFunctions`: the initial jobs are `main.init` and the top-level
//! functions, ordered so the largest come first (`--order`); a worker runs a job
//! (`backend::compile`), and the closures the job produced become jobs for any worker
//! (`queue`). Compiling a unit reads only the frozen `Program` and writes only its own
//! result. The results are gathered by unit and linked in the fixed order of
//! `backend::layout`, so the executable depends only on the source, whatever the strategy,
//! the order or the number of workers.
//!
//! A panic in a job (caught with `catch_unwind`: an internal compiler error, reported as
//! Go's `panic during PHASE while compiling FUNC`, the phase read from `passes::phase`) makes
//! the queue stop handing out work; running jobs finish, every thread is joined, and the
//! failures are reported in source order. A compile error does not stop the others, so
//! every function's errors are reported, sorted by position. `TOYC_FAULT` injects failures for tests (see [`Faults`]).
//!
//! The functions that `--ssa`, `--ssa-html` and `TOYC_FAULT` name must exist: a name the
//! program lacks fails the build before any job runs, with the nearest names it has
//! ([`NameError`]). A literal may exist and still never become a job, when its creation was
//! optimized away; naming it fails the build once every job has run, before anything is
//! linked, rather than printing or injecting nothing without a word.

use std::borrow::Cow;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::backend::compile::{self, Compiled, UnitId};
use crate::backend::layout;
use crate::diag::{Diagnostics, Span};
use crate::driver::Checked;
use crate::driver::queue::{self, Done, Strategy, WorkerStats};
use crate::obj::link::LinkError;
use crate::ssa::build::{self, Program, Unit};
use crate::ssa::passes;
use crate::syntax::ast;
use crate::types::FuncId;

/// How to build, and what to print besides.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// Print each function's assembly listing (`-S`).
    pub listing: bool,
    /// Print this function's SSA after every pass (`--ssa NAME`).
    pub ssa_func: Option<String>,
    /// Take this function after every pass for its `ssa.html` page (`--ssa-html NAME`).
    pub ssa_html: Option<String>,
    /// Workers (`-c`); at least 1.
    pub workers: usize,
    /// The most workers that run at once (`--procs`, Go's `GOMAXPROCS`); `None` for the
    /// number of CPUs. Threads beyond the CPUs only take turns on them, so by default
    /// `-c 8` on two CPUs runs two threads, as Go's `-c 8` runs eight goroutines on two
    /// processors.
    pub procs: Option<usize>,
    /// How workers share jobs (`--queue`).
    pub strategy: Strategy,
    /// The order of the initial jobs (`--order`).
    pub order: Order,
    /// Injected failures (`TOYC_FAULT`).
    pub faults: Faults,
    /// Verify the SSA form after every pass (`--check`), as debug builds always do.
    pub check: bool,
}

impl Default for BuildOptions {
    fn default() -> BuildOptions {
        BuildOptions {
            listing: false,
            ssa_func: None,
            ssa_html: None,
            workers: 1,
            procs: None,
            strategy: Strategy::Stack,
            order: Order::Largest,
            faults: Faults::default(),
            check: false,
        }
    }
}

/// The most threads a phase starts, whatever `-c` and `--procs` ask: more only take turns on
/// the CPUs and contend for the queue's lock, and each costs its stack's address space.
pub const MAX_THREADS: usize = 256;

impl BuildOptions {
    /// Returns the number of worker threads: `-c`, capped by `--procs` and [`MAX_THREADS`].
    pub fn threads(&self) -> usize {
        let procs = self.procs.unwrap_or_else(num_cpus::get);
        self.workers.min(procs).clamp(1, MAX_THREADS)
    }

    /// Returns whether [`MAX_THREADS`] lowered the number of threads asked for.
    pub fn capped(&self) -> bool {
        let procs = self.procs.unwrap_or_else(num_cpus::get);
        self.workers.min(procs) > MAX_THREADS
    }
}

/// The order of the initial jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Largest body first, as Go sorts them.
    Largest,
    /// Source order.
    Source,
    /// Shuffled with this seed.
    Random(u64),
}

impl std::str::FromStr for Order {
    type Err = String;

    fn from_str(text: &str) -> Result<Order, String> {
        match text {
            "largest" => Ok(Order::Largest),
            "source" => Ok(Order::Source),
            _ => text
                .strip_prefix("random=")
                .and_then(|seed| seed.parse().ok())
                .map(Order::Random)
                .ok_or_else(|| {
                    format!("unknown order {text:?}: want largest, source or random=SEED")
                }),
        }
    }
}

/// A failure to inject into the compilation of one function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Panic in this phase (`passes::phase_named`): at the start of construction or
    /// emission, at the end of a pass.
    Panic(&'static str),
    /// Report a compile error.
    Error,
    /// Sleep this many milliseconds before compiling.
    Slow(u64),
}

/// Failures to inject, by function name (Go's: `main`, `outer.func1`, `init`), parsed from
/// `TOYC_FAULT=panic:NAME,panic:NAME:PHASE,error:NAME,slow:NAME:MILLIS`; `panic:NAME`
/// panics in phase `build`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults(Vec<(String, Fault)>);

impl std::str::FromStr for Faults {
    type Err = String;

    fn from_str(text: &str) -> Result<Faults, String> {
        let mut faults = Vec::new();
        for item in text.split(',').filter(|item| !item.is_empty()) {
            let fault = match item.split(':').collect::<Vec<_>>().as_slice() {
                ["panic", name] => (name.to_string(), Fault::Panic(passes::BUILD)),
                ["panic", name, phase] => {
                    let phase = passes::phase_named(phase).ok_or_else(|| {
                        format!("bad phase in TOYC_FAULT item {item:?}: want build, a pass or emit")
                    })?;
                    (name.to_string(), Fault::Panic(phase))
                }
                ["error", name] => (name.to_string(), Fault::Error),
                ["slow", name, millis] => {
                    let millis = millis
                        .parse()
                        .map_err(|_| format!("bad milliseconds in TOYC_FAULT item {item:?}"))?;
                    (name.to_string(), Fault::Slow(millis))
                }
                _ => {
                    return Err(format!(
                        "bad TOYC_FAULT item {item:?}: want panic:NAME, panic:NAME:PHASE, error:NAME or slow:NAME:MILLIS"
                    ));
                }
            };
            faults.push(fault);
        }
        Ok(Faults(faults))
    }
}

impl Faults {
    fn get<'a>(&'a self, name: &'a str) -> impl Iterator<Item = Fault> + 'a {
        self.0
            .iter()
            .filter(move |(target, _)| target == name)
            .map(|&(_, fault)| fault)
    }
}

/// A built program.
pub struct Built {
    /// The executable file's bytes.
    pub executable: Vec<u8>,
    /// The `-S` listing, if asked for.
    pub listing: String,
    /// The `--ssa` dump, if asked for.
    pub ssa: String,
    /// What the `ssa.html` page shows of the function `--ssa-html` names, if asked for.
    pub ssa_html: Option<crate::ssa::html::Dump>,
    /// What the back end's workers did.
    pub report: Report,
}

/// Why a build failed after the front end.
#[derive(Debug)]
pub enum BuildError {
    /// Errors in the program, found by the back end (today only injected ones).
    Errors(Diagnostics),
    /// Functions named by `--ssa`, `--ssa-html` or `TOYC_FAULT` that the build cannot
    /// honour: a usage error.
    Names(Vec<NameError>),
    /// The compiler failed while compiling these functions, in source order: what went
    /// wrong, in which phase of which function.
    Internal(Vec<String>),
    /// The linker failed: a compiler bug.
    Link(LinkError),
}

/// A function named by `--ssa`, `--ssa-html` or `TOYC_FAULT` that the build cannot honour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameError {
    /// Where the name was given: `--ssa`, `--ssa-html` or `TOYC_FAULT`.
    pub flag: &'static str,
    /// The name as given.
    pub name: String,
    /// What is wrong with it.
    pub kind: NameErrorKind,
}

/// What is wrong with a name in a [`NameError`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameErrorKind {
    /// The program has no function of that name; these are the nearest it has, nearest
    /// first. Found before the back end starts.
    Unknown {
        /// At most [`MAX_NEAREST`] names.
        nearest: Vec<String>,
    },
    /// The function is a literal that no job compiled: its calls were inlined and its
    /// closure removed, or the code that creates it was; or a function of the runtime that
    /// no compiled code calls. Found once the back end has run.
    NotCompiled,
}

/// How many of the nearest names a [`NameErrorKind::Unknown`] lists.
pub const MAX_NEAREST: usize = 3;

impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let NameError { flag, name, kind } = self;
        match kind {
            NameErrorKind::Unknown { nearest } => write!(
                f,
                "{flag}: no function named {name} (nearest: {})",
                nearest.join(", ")
            ),
            // Only the runtime's names have a dot: a program's are Go identifiers.
            NameErrorKind::NotCompiled if name.starts_with("runtime.") => write!(
                f,
                "{flag}: function {name} is not called by the program, and not compiled"
            ),
            NameErrorKind::NotCompiled => write!(
                f,
                "{flag}: function {name} was inlined into its callers or optimized away, \
                 and not compiled on its own"
            ),
        }
    }
}

/// A function named by `--ssa`, `--ssa-html` or `TOYC_FAULT`, with the jobs that stand for
/// it.
struct Named<'o> {
    flag: &'static str,
    name: &'o str,
    jobs: Vec<UnitId>,
}

/// Returns the jobs each name given by `--ssa`, `--ssa-html` and `TOYC_FAULT` stands for,
/// or, if some name stands for none, an error for each such name. Names are Go's (`main`,
/// `outer.func1`, `init`); `--ssa` and `--ssa-html` also take them qualified (`main.fib`),
/// as `compile` matches them.
fn named_jobs<'o>(
    programs: &Programs<'_>,
    options: &'o BuildOptions,
) -> Result<Vec<Named<'o>>, Vec<NameError>> {
    let info = programs.main.info;
    // Only a name given makes the runtime checked here.
    let any_name =
        options.ssa_func.is_some() || options.ssa_html.is_some() || !options.faults.0.is_empty();
    let n_runtime = if any_name {
        programs.runtime().program.info.funcs.len() as u32
    } else {
        0
    };
    let runtime_names: Vec<String> = (0..n_runtime)
        .map(|idx| job_name(programs, UnitId::Runtime(FuncId(idx))).into_owned())
        .collect();
    let names: Vec<(&str, UnitId)> = info
        .funcs
        .iter()
        .enumerate()
        .map(|(idx, func)| (func.name.as_str(), UnitId::Func(FuncId(idx as u32))))
        .chain(std::iter::once(("init", UnitId::Init)))
        .chain(
            runtime_names
                .iter()
                .enumerate()
                .map(|(idx, name)| (name.as_str(), UnitId::Runtime(FuncId(idx as u32)))),
        )
        .collect();
    // Each name, where it was given and, for `--ssa` and `--ssa-html`, the name without a
    // `main.` prefix.
    let ssa = options
        .ssa_func
        .iter()
        .map(|name| ("--ssa", name))
        .chain(options.ssa_html.iter().map(|name| ("--ssa-html", name)))
        .map(|(flag, name)| (flag, name.as_str(), name.strip_prefix("main.")));
    let faults = options
        .faults
        .0
        .iter()
        .map(|(name, _)| ("TOYC_FAULT", name.as_str(), None));
    let mut named = Vec::new();
    let mut errors = Vec::new();
    for (flag, name, bare) in ssa.chain(faults) {
        let jobs: Vec<UnitId> = names
            .iter()
            .filter(|&&(go_name, _)| go_name == name || Some(go_name) == bare)
            .map(|&(_, id)| id)
            .collect();
        if !jobs.is_empty() {
            named.push(Named { flag, name, jobs });
            continue;
        }
        let distance = |go_name: &str| {
            let qualified = edit_distance(name, go_name);
            bare.map_or(qualified, |bare| {
                qualified.min(edit_distance(bare, go_name))
            })
        };
        let mut scored: Vec<(usize, &str)> = names
            .iter()
            .map(|&(go_name, _)| (distance(go_name), go_name))
            .collect();
        scored.sort_unstable();
        let error = NameError {
            flag,
            name: name.to_string(),
            kind: NameErrorKind::Unknown {
                nearest: scored
                    .into_iter()
                    .take(MAX_NEAREST)
                    .map(|(_, go_name)| go_name.to_string())
                    .collect(),
            },
        };
        if !errors.contains(&error) {
            errors.push(error);
        }
    }
    if errors.is_empty() {
        Ok(named)
    } else {
        Err(errors)
    }
}

/// Returns the Levenshtein distance between `a` and `b`, counted in characters: the fewest
/// insertions, deletions and substitutions that turn one into the other.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // `row[j]`: the distance between the part of `a` read so far and `b[..j]`.
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (a_idx, a_ch) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = a_idx + 1;
        for (b_idx, &b_ch) in b.iter().enumerate() {
            let above = row[b_idx + 1];
            row[b_idx + 1] = (above + 1)
                .min(row[b_idx] + 1)
                .min(diagonal + usize::from(a_ch != b_ch));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// One job the back end ran.
#[derive(Clone, Debug)]
pub struct JobRecord {
    /// The function's Go name (`main`, `outer.func1`, `init`).
    pub name: String,
    /// Its size: bytes of source.
    pub size: u32,
    /// The job's id, and the id of the job that produced it.
    pub id: UnitId,
    /// See `id`.
    pub parent: Option<UnitId>,
    /// The worker that ran it.
    pub worker: usize,
    /// When it ran, from the start of the back end.
    pub start: Duration,
    /// See `start`.
    pub end: Duration,
}

/// What the back end did, for `--timings` and `--trace`.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Every job.
    pub jobs: Vec<JobRecord>,
    /// Per worker.
    pub workers: Vec<WorkerStats>,
    /// Wall time of indexing the program and ordering the initial jobs, before the
    /// workers start.
    pub index: Duration,
    /// Wall time of parsing and checking the runtime's Toy source, on the worker whose
    /// job first called a runtime function written in Toy (zero if none did).
    pub runtime: Duration,
    /// Wall time of the parallel phase (the makespan).
    pub backend: Duration,
    /// Wall time of linking.
    pub link: Duration,
    /// Workers whose thread could not start, and why the first did not.
    pub unstarted: Option<(usize, String)>,
    /// The number of functions in the program: `--trace` numbers `main.init` after them.
    pub n_funcs: u32,
}

impl Report {
    /// Returns the number `--trace` gives job `id`: its `FuncId`, or for `main.init` the
    /// number of functions, after them all (`benches/simulate.py` takes the greatest
    /// number among the jobs without a parent to be `main.init`), and for a function of
    /// the runtime's Toy source its `FuncId` there after that (such a job has a parent).
    pub fn trace_number(&self, id: UnitId) -> u32 {
        match id {
            UnitId::Func(func) => func.0,
            UnitId::Init => self.n_funcs,
            UnitId::Runtime(func) => self.n_funcs + 1 + func.0,
        }
    }

    /// Returns the total time spent running jobs.
    pub fn work(&self) -> Duration {
        self.jobs.iter().map(|job| job.end - job.start).sum()
    }

    /// Returns the longest chain of jobs, each producing the next: the least makespan any
    /// number of workers could reach.
    pub fn critical_path(&self) -> Duration {
        let mut order: Vec<&JobRecord> = self.jobs.iter().collect();
        // A job starts after its parent ends, so latest-started jobs are finished first.
        order.sort_by_key(|job| std::cmp::Reverse(job.start));
        let mut longest: FxHashMap<UnitId, Duration> = FxHashMap::default();
        for job in order {
            let own = job.end - job.start + longest.get(&job.id).copied().unwrap_or_default();
            longest.insert(job.id, own);
            if let Some(parent) = job.parent {
                let entry = longest.entry(parent).or_default();
                *entry = (*entry).max(own);
            }
        }
        self.jobs
            .iter()
            .filter(|job| job.parent.is_none())
            .map(|job| longest[&job.id])
            .max()
            .unwrap_or_default()
    }
}

/// One job: a unit, whether it is of the runtime's Toy source, and the job that produced
/// it, if it is a closure or a runtime function.
struct Job {
    unit: Unit,
    in_runtime: bool,
    parent: Option<UnitId>,
}

impl Job {
    /// Returns the id of the job's unit.
    fn id(&self) -> UnitId {
        UnitId::of(&self.unit, self.in_runtime)
    }
}

/// The program and the runtime's Toy source, indexed, as the jobs read them.
///
/// The runtime is parsed, checked and indexed once, by the first job that needs it (one
/// whose code calls a runtime function written in Toy), so a program that calls none pays
/// nothing for it, and one that does pays on a worker, beside the other jobs, rather than
/// in the serial part of the build. Its check depends on nothing but its source, so which
/// job does it changes nothing.
struct Programs<'p> {
    main: Program<'p>,
    /// The runtime's source checked, and how long that took.
    checked: &'p OnceLock<(crate::runtime::Checked, Duration)>,
    runtime: OnceLock<Runtime<'p>>,
}

/// The runtime's Toy source, indexed, and per function whether a job for it was made: the
/// first job whose code calls it swaps the flag and makes the job, so each is compiled
/// once, whatever the order; no lock, as the flag only decides who queues it and the queue
/// hands the job over.
struct Runtime<'p> {
    program: Program<'p>,
    queued: Vec<AtomicBool>,
}

impl<'p> Programs<'p> {
    /// Returns the runtime, checked and indexed on first use.
    fn runtime(&self) -> &Runtime<'p> {
        self.runtime.get_or_init(|| {
            let (checked, _) = self.checked.get_or_init(|| {
                let start = Instant::now();
                let parts = if self.main.info.formats {
                    crate::runtime::Parts::All
                } else {
                    crate::runtime::Parts::Core
                };
                let checked = crate::runtime::check(parts);
                (checked, start.elapsed())
            });
            Runtime {
                program: Program::new(&checked.file, &checked.info),
                queued: (0..checked.info.funcs.len())
                    .map(|_| AtomicBool::new(false))
                    .collect(),
            }
        })
    }

    /// Returns the program whose unit job `id` is.
    fn of(&self, id: UnitId) -> &Program<'p> {
        match id {
            UnitId::Func(_) | UnitId::Init => &self.main,
            UnitId::Runtime(_) => &self.runtime().program,
        }
    }
}

/// How a job ended.
enum Outcome {
    Compiled(Compiled),
    Error(Span, String),
    Panic(String),
}

/// Returns the Go name of job `id` (`main`, `outer.func1`, `init`, `runtime.intstring`).
fn job_name<'a>(programs: &Programs<'a>, id: UnitId) -> Cow<'a, str> {
    match id {
        UnitId::Func(func) => {
            Cow::Borrowed(programs.main.info.funcs[func.0 as usize].name.as_str())
        }
        UnitId::Init => Cow::Borrowed("init"),
        UnitId::Runtime(func) => {
            let runtime = &programs.runtime().program;
            let name = &runtime.info.funcs[func.0 as usize].name;
            Cow::Owned(format!("{}.{name}", runtime.package()))
        }
    }
}

/// Returns the source span of job `id` in the program: the function, or an empty span for
/// `init` and for a function of the runtime, which lies outside the program.
fn job_span(programs: &Programs<'_>, id: UnitId) -> Span {
    match id {
        UnitId::Func(func) => programs.main.span(func),
        UnitId::Init | UnitId::Runtime(_) => Span::new(0, 0),
    }
}

/// Runs one job: injected faults, then `compile` under `catch_unwind`, and the runtime
/// functions its code calls (`compile::runtime_calls`, which checks the runtime on first
/// use) under it too, so that no panic leaves a worker without finishing its job.
fn run_job(
    programs: &Programs<'_>,
    options: &BuildOptions,
    job: &Job,
) -> (Outcome, Vec<Unit>, Vec<FuncId>) {
    let name = job_name(programs, job.id());
    let name = name.as_ref();
    let mut panic_in = None;
    for fault in options.faults.get(name) {
        match fault {
            Fault::Slow(millis) => std::thread::sleep(Duration::from_millis(millis)),
            Fault::Error => {
                let message = format!("injected error in function {name}");
                return (
                    Outcome::Error(job_span(programs, job.id()), message),
                    Vec::new(),
                    Vec::new(),
                );
            }
            Fault::Panic(phase) => panic_in = Some(phase),
        }
    }
    let unit_options = compile::Options {
        ssa_func: options.ssa_func.as_deref(),
        ssa_html: options.ssa_html.as_deref(),
        check: options.check,
        panic_in,
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let (compiled, closures) =
            compile::compile(programs.of(job.id()), &job.unit, &unit_options);
        let calls = compile::runtime_calls(
            || &programs.runtime().program,
            job.in_runtime,
            &compiled.code,
        );
        (compiled, closures, calls)
    }));
    match result {
        Ok((compiled, closures, calls)) => (Outcome::Compiled(compiled), closures, calls),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|text| text.to_string()))
                .unwrap_or_else(|| "unknown panic".to_string());
            let phase = passes::phase();
            let message = format!("panic during {phase} while compiling {name}: {message}");
            (Outcome::Panic(message), Vec::new(), Vec::new())
        }
    }
}

/// Returns the stack a worker needs: room for the deepest unit of `program`, a top-level
/// function or a package variable's initializer (`main.init`), with a body inlined into
/// it; closures lie inside their top-level function.
fn worker_stack(program: &Program<'_>) -> usize {
    let info = program.info;
    let funcs = (0..info.funcs.len() as u32)
        .map(FuncId)
        .filter(|&func| info.funcs[func.0 as usize].parent.is_none())
        .map(|func| program.span(func))
        .map(|span| span.hi - span.lo);
    let vars = program.file.decls.iter().flat_map(|decl| match decl {
        ast::Decl::Var(specs) => specs
            .iter()
            .flat_map(|spec| &spec.values)
            .map(|value| value.span.hi - value.span.lo)
            .collect(),
        // The checker rejects type declarations.
        ast::Decl::Func(_) | ast::Decl::Const(_) | ast::Decl::Type(_) | ast::Decl::Bad => {
            Vec::new()
        }
    });
    let deepest = funcs.chain(vars).max().unwrap_or(0);
    crate::stack_for((deepest + build::INLINE_MAX_BYTES) as usize)
}

/// Returns the initial jobs in the order they are taken.
fn initial_jobs(program: &Program<'_>, order: Order) -> Vec<Job> {
    let info = program.info;
    let mut jobs: Vec<(u32, Job)> = vec![(
        0,
        Job {
            unit: Unit::Init,
            in_runtime: false,
            parent: None,
        },
    )];
    for (idx, func) in info.funcs.iter().enumerate() {
        if func.parent.is_none() {
            let span = program.span(FuncId(idx as u32));
            let size = span.hi - span.lo;
            jobs.push((
                size,
                Job {
                    unit: Unit::Func {
                        func: FuncId(idx as u32),
                        env: Vec::new(),
                    },
                    in_runtime: false,
                    parent: None,
                },
            ));
        }
    }
    match order {
        // Stable: equal sizes keep source order.
        Order::Largest => jobs.sort_by_key(|(size, _)| std::cmp::Reverse(*size)),
        Order::Source => {}
        Order::Random(seed) => {
            // Fisher–Yates with xorshift64*: reproducible for a seed.
            let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            for idx in (1..jobs.len()).rev() {
                state ^= state >> 12;
                state ^= state << 25;
                state ^= state >> 27;
                let pick = (state.wrapping_mul(0x2545_F491_4F6C_DD1D) % (idx as u64 + 1)) as usize;
                jobs.swap(idx, pick);
            }
        }
    }
    jobs.into_iter().map(|(_, job)| job).collect()
}

/// Compiles and links a checked program.
pub fn build(checked: &Checked, options: &BuildOptions) -> Result<Built, BuildError> {
    let index_start = Instant::now();
    let runtime_checked = OnceLock::new();
    let programs = Programs {
        main: Program::new(&checked.file, &checked.info),
        checked: &runtime_checked,
        runtime: OnceLock::new(),
    };
    let program = &programs.main;
    let info = &checked.info;
    let named = named_jobs(&programs, options).map_err(BuildError::Names)?;
    let jobs = initial_jobs(program, options.order);
    let index = index_start.elapsed();
    // A runtime function, with what it inlines, is no longer than this.
    let stack = worker_stack(program).max(crate::stack_for(
        crate::runtime::MAX_FUNC_BYTES + build::INLINE_MAX_BYTES as usize,
    ));
    let run = queue::run(
        options.strategy,
        options.threads(),
        stack,
        jobs,
        |job: Job| {
            let (outcome, closures, calls) = run_job(&programs, options, &job);
            // An internal error stops the handing out of work; a compile error does not, so
            // every function's errors are reported.
            let failed = matches!(outcome, Outcome::Panic(_));
            let runtime_jobs = calls
                .into_iter()
                .filter(|func| {
                    !programs.runtime().queued[func.0 as usize].swap(true, Ordering::Relaxed)
                })
                .map(|func| Job {
                    unit: Unit::Func {
                        func,
                        env: Vec::new(),
                    },
                    in_runtime: true,
                    parent: Some(job.id()),
                });
            let generated = closures
                .into_iter()
                .map(|unit| {
                    assert!(matches!(unit, Unit::Func { .. }), "init is never a closure");
                    Job {
                        unit,
                        in_runtime: job.in_runtime,
                        parent: Some(job.id()),
                    }
                })
                .chain(runtime_jobs)
                .collect();
            Done {
                result: (job.id(), job.parent, outcome),
                generated,
                failed,
            }
        },
    );

    let mut report = Report {
        jobs: Vec::with_capacity(run.results.len()),
        workers: run.workers,
        unstarted: run.unstarted,
        index,
        runtime: runtime_checked
            .get()
            .map_or(Duration::ZERO, |(_, time)| *time),
        backend: run.wall,
        link: Duration::ZERO,
        n_funcs: info.funcs.len() as u32,
    };
    let mut init: Option<Compiled> = None;
    let mut funcs: Vec<Option<Compiled>> = (0..info.funcs.len()).map(|_| None).collect();
    let mut runtime_funcs: Vec<Option<Compiled>> = (0..programs
        .runtime
        .get()
        .map_or(0, |runtime| runtime.program.info.funcs.len()))
        .map(|_| None)
        .collect();
    let mut errors: Vec<(Span, String)> = Vec::new();
    let mut panics: Vec<(UnitId, String)> = Vec::new();
    let mut ssa = Vec::new();
    let mut ssa_html = None;
    for timed in run.results {
        let (id, parent, outcome) = timed.result;
        report.jobs.push(JobRecord {
            name: job_name(&programs, id).into_owned(),
            size: match id {
                UnitId::Func(func) | UnitId::Runtime(func) => {
                    let span = programs.of(id).span(func);
                    span.hi - span.lo
                }
                UnitId::Init => 0,
            },
            id,
            parent,
            worker: timed.worker,
            start: timed.start,
            end: timed.end,
        });
        match outcome {
            Outcome::Compiled(mut compiled) => {
                if let Some(page) = compiled.html.take() {
                    ssa_html = Some(*page);
                }
                if !compiled.ssa.is_empty() {
                    ssa.push((id, compiled.ssa.clone()));
                }
                match id {
                    UnitId::Func(func) => funcs[func.0 as usize] = Some(compiled),
                    UnitId::Init => init = Some(compiled),
                    UnitId::Runtime(func) => runtime_funcs[func.0 as usize] = Some(compiled),
                }
            }
            Outcome::Error(span, message) => errors.push((span, message)),
            Outcome::Panic(message) => panics.push((id, message)),
        }
    }
    report.jobs.sort_by_key(|job| job.start);
    if !panics.is_empty() {
        panics.sort_by_key(|(id, _)| job_span(&programs, *id).lo);
        return Err(BuildError::Internal(
            panics.into_iter().map(|(_, message)| message).collect(),
        ));
    }
    if !errors.is_empty() {
        let mut diags = Diagnostics::default();
        for (span, message) in errors {
            diags.error(span, message);
        }
        return Err(BuildError::Errors(diags));
    }
    // Every job has run: a named function that none compiled never will be.
    let ran: FxHashSet<UnitId> = report.jobs.iter().map(|job| job.id).collect();
    let mut not_compiled: Vec<NameError> = Vec::new();
    for named in named {
        let error = NameError {
            flag: named.flag,
            name: named.name.to_string(),
            kind: NameErrorKind::NotCompiled,
        };
        if !named.jobs.iter().any(|id| ran.contains(id)) && !not_compiled.contains(&error) {
            not_compiled.push(error);
        }
    }
    if !not_compiled.is_empty() {
        return Err(BuildError::Names(not_compiled));
    }
    let init =
        init.ok_or_else(|| BuildError::Internal(vec!["init was never compiled".to_string()]))?;
    ssa.sort_by_key(|(id, _)| *id);
    let ssa = ssa.into_iter().map(|(_, text)| text).collect();
    let mut listing = String::new();
    let link_start = Instant::now();
    let executable = layout::link(
        program,
        programs.runtime.get().map(|runtime| &runtime.program),
        init,
        funcs,
        runtime_funcs,
        options.listing.then_some(&mut listing),
    )
    .map_err(BuildError::Link)?;
    report.link = link_start.elapsed();
    Ok(Built {
        executable,
        listing,
        ssa,
        ssa_html,
        report,
    })
}

//! The compile pipeline: reads a file and runs the phases over it.
//!
//! The front end walks the syntax tree recursively, and a program may nest deeply (10,000
//! levels of parentheses are legal Go), so the pipeline runs on a thread whose stack is
//! sized to the source (`stack_for`) rather than on the main thread's few megabytes. The
//! stack is reserved address space; only the pages a deep program touches are ever
//! committed.

pub mod build;
pub mod output;
pub mod queue;
pub mod report;
pub mod signals;

use std::path::Path;

use crate::diag::{Diagnostics, SourceFile};
use crate::syntax::ast::File;
use crate::types::Info;

/// Why a file could not be read as a Toy source file.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// The file holds more than [`MAX_SOURCE_BYTES`].
    TooLarge,
    /// The file is not UTF-8 text: where the first invalid sequence of each line starts, as
    /// a line and a byte column, both from 1 (Go reports `invalid UTF-8 encoding` there).
    NotUtf8(Vec<(usize, usize)>),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(error) => f.write_str(&output::os_message(error)),
            ReadError::TooLarge => write!(
                f,
                "file too large: toyc reads at most {} MiB of source",
                MAX_SOURCE_BYTES >> 20
            ),
            ReadError::NotUtf8(_) => f.write_str("invalid UTF-8 encoding"),
        }
    }
}

/// The largest source file toyc reads: a build takes about 25 bytes of memory per byte of
/// source, so a larger file could not be compiled on a machine of ordinary size, and
/// source positions must fit 32 bits.
pub const MAX_SOURCE_BYTES: usize = 256 << 20;

/// How many NUL bytes toyc reads before it stops reading: gc reports each as an error and
/// gives up at its tenth error, so nothing past the tenth could be reported (a stream of
/// zeros, `/dev/zero`, ends there rather than filling memory).
const MAX_NULS: usize = 10;

/// Reads `path` as a source file named as the user wrote it: at most [`MAX_SOURCE_BYTES`],
/// and, from a stream, only up to its tenth NUL byte.
pub fn read_source(path: &Path) -> Result<SourceFile, ReadError> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(ReadError::Io)?;
    // A regular file says its size, so it is read whole; a pipe or a device is measured as
    // it is read, and may be endless.
    let mut bytes = Vec::new();
    if let Ok(meta) = file.metadata()
        && meta.is_file()
    {
        if meta.len() > MAX_SOURCE_BYTES as u64 {
            return Err(ReadError::TooLarge);
        }
        bytes.reserve_exact(meta.len() as usize);
        (&mut file)
            .take(MAX_SOURCE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(ReadError::Io)?;
        if bytes.len() > MAX_SOURCE_BYTES {
            return Err(ReadError::TooLarge);
        }
        return decode(path, bytes);
    }
    let mut nuls = 0;
    let mut chunk = vec![0; 1 << 16];
    loop {
        let n = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(ReadError::Io(error)),
        };
        // Counted a chunk at a time (a loop the compiler vectorizes); the tenth is looked
        // for only in the chunk that holds it.
        let mut take = n;
        let found = chunk[..n].iter().filter(|&&byte| byte == 0).count();
        if nuls + found >= MAX_NULS {
            let (idx, _) = chunk[..n]
                .iter()
                .enumerate()
                .filter(|&(_, &byte)| byte == 0)
                .nth(MAX_NULS - nuls - 1)
                .expect("the chunk holds the tenth NUL");
            take = idx + 1;
            nuls = MAX_NULS;
        } else {
            nuls += found;
        }
        if bytes.len() + take > MAX_SOURCE_BYTES {
            return Err(ReadError::TooLarge);
        }
        bytes.extend_from_slice(&chunk[..take]);
        if nuls == MAX_NULS {
            break;
        }
    }
    decode(path, bytes)
}

/// Returns `bytes` as the source file `path`, or where they are not UTF-8.
fn decode(path: &Path, bytes: Vec<u8>) -> Result<SourceFile, ReadError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(path.display().to_string(), text)),
        Err(error) => Err(ReadError::NotUtf8(invalid_utf8(error.as_bytes()))),
    }
}

/// Returns the line and byte column, from 1, of the first invalid UTF-8 sequence of each
/// line of `bytes`.
fn invalid_utf8(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let (mut line, mut line_start, mut at) = (1, 0, 0);
    for chunk in bytes.utf8_chunks() {
        for (idx, byte) in chunk.valid().bytes().enumerate() {
            if byte == b'\n' {
                line += 1;
                line_start = at + idx + 1;
            }
        }
        at += chunk.valid().len();
        // One per line: Go reports at most one syntax error on a line.
        if !chunk.invalid().is_empty() && found.last().is_none_or(|&(last, _)| last != line) {
            found.push((line, at - line_start + 1));
        }
        at += chunk.invalid().len();
    }
    found
}

/// A file after the front end.
pub struct Checked {
    /// The syntax tree.
    pub file: File,
    /// What the checker learned about it.
    pub info: Info,
}

/// Parses and type-checks `source` on the calling thread. Returns the checked program only
/// when no error was found; the errors are in the returned diagnostics either way.
pub fn front_end(source: &SourceFile) -> (Option<Checked>, Diagnostics) {
    let (checked, diags, _) = front_end_timed(source, 1);
    (checked, diags)
}

/// Wall time of the front end's phases.
#[derive(Clone, Copy, Debug, Default)]
pub struct FrontEndTimes {
    /// Lexing and parsing.
    pub parse: std::time::Duration,
    /// Type checking.
    pub check: std::time::Duration,
}

/// Runs [`front_end`], parsing a large file and checking its function bodies on up to
/// `threads` threads, and also returns how long each phase took. The result does not depend
/// on `threads`.
pub fn front_end_timed(
    source: &SourceFile,
    threads: usize,
) -> (Option<Checked>, Diagnostics, FrontEndTimes) {
    use crate::syntax::chunks;
    let mut diags = Diagnostics::default();
    let mut times = FrontEndTimes::default();
    let start = std::time::Instant::now();
    let parsed = chunks::parse(source, &mut diags, threads, chunks::MIN_CHUNK_BYTES);
    times.parse = start.elapsed();
    let Some(file) = parsed else {
        return (None, diags, times);
    };
    let start = std::time::Instant::now();
    let info = crate::types::check(
        source,
        &file,
        &mut diags,
        threads,
        crate::types::bodies::MIN_CHUNK_NODES,
    );
    times.check = start.elapsed();
    if diags.is_empty() {
        (Some(Checked { file, info }), diags, times)
    } else {
        (None, diags, times)
    }
}

/// Runs `work` on a thread with a stack for a program of `bytes` bytes of source, however
/// deeply it nests (`stack_for`), and returns its result, or why the thread could not start.
/// A panic in `work` is resumed on the calling thread.
pub fn with_stack_for<T: Send>(
    bytes: usize,
    work: impl FnOnce() -> T + Send,
) -> std::io::Result<T> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("toyc-pipeline".to_string())
            .stack_size(crate::stack_for(bytes))
            .spawn_scoped(scope, work)?;
        match handle.join() {
            Ok(result) => Ok(result),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Runs `work` on a thread with the stack of the most deeply nested program toyc accepts,
/// for callers that hold no source yet (tests, benches).
pub fn with_large_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    with_stack_for(usize::MAX, work).expect("the pipeline thread starts")
}

/// Turns transparent huge pages off for this process and returns whether they were off
/// already (inherited from the parent). `toyc` calls it first thing, and so do the benches,
/// so that they measure what `toyc` does.
///
/// Huge pages back the allocator's large aligned regions where the kernel gives them to
/// every process (transparent huge pages `always`) or where the allocator asks for them, as
/// mimalloc 3 does (toyc links mimalloc 2). On the virtual machines toyc is measured on, a
/// huge-page fault now and then stalls for tens of milliseconds (the host backs the 2 MiB
/// page afresh): with mimalloc 3, a build of `toyc gen --funcs 2000 --seed 1` took 0.14 s
/// in the median run but 0.24 s on average and up to 0.65 s; with 4 KiB pages, 0.16 s and
/// 0.17 s, and its peak memory fell from 66 to 43 MB (BENCHMARKS.md). Where the call fails
/// (another kernel), nothing changes.
pub fn disable_huge_pages() -> bool {
    #[cfg(target_os = "linux")]
    {
        let inherited = rustix::thread::transparent_huge_pages_are_disabled().unwrap_or(false);
        let _ = rustix::thread::disable_transparent_huge_pages(true);
        inherited
    }
    #[cfg(not(target_os = "linux"))]
    false
}

/// Makes the C library's `malloc` keep one arena for every thread. toyc allocates through
/// mimalloc, but the C library allocates a few bytes of its own in each thread that starts
/// (Rust's stack-overflow guard asks for the thread's attributes), and glibc gives each such
/// thread an arena of its own that reserves 64 MiB of address space: eight workers then
/// reserved 512 MiB for a few hundred bytes, and under a 1 GB limit on address space
/// (`ulimit -v`) a build at `-c 8` failed to allocate about one time in two. Call it before
/// any thread starts.
pub fn one_malloc_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of glibc's allocator; it is called before the
    // process starts a thread, and M_ARENA_MAX is a parameter glibc documents.
    #[expect(unsafe_code, reason = "glibc's mallopt has no safe wrapper")]
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Gives transparent huge pages the setting toyc found: the setting is the process's and
/// the programs it starts inherit it.
pub fn restore_huge_pages(inherited_off: bool) {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(inherited_off);
    #[cfg(not(target_os = "linux"))]
    let _ = inherited_off;
}

/// Returns the peak resident memory of this process so far, in bytes (Linux's `VmHWM`), or
/// `None` where the system does not say.
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

/// Waits until process `id`, a child of toyc, has ended, without reaping it: while it is
/// not reaped its id cannot be given to another process, so a signal passed on to it
/// reaches it or nothing.
pub fn wait_exited(id: u32) {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Pid, WaitId, WaitIdOptions, waitid};
        let Some(pid) = Pid::from_raw(id as i32) else {
            return;
        };
        while let Err(rustix::io::Errno::INTR) = waitid(
            WaitId::Pid(pid),
            WaitIdOptions::EXITED | WaitIdOptions::NOWAIT,
        ) {}
    }
    #[cfg(not(target_os = "linux"))]
    let _ = id;
}

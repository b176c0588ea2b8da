//! Where toyc may write, and how: the rules that keep a build from replacing a file that is
//! not its own, as `go build` refuses to (`build output "x.go" already exists and is not an
//! object file`).
//!
//! An output path may be replaced only when it does not exist, when it holds what toyc
//! writes there (an ELF file for an executable, a trace for `--trace`, a page for
//! `--ssa-html`), or when it is not a regular file (`/dev/null`, a pipe), which is written
//! in place. It is never the input file, and no two outputs of a build are the same path.
//! A regular file is written under a temporary name in the same directory, closed, and
//! renamed over the path, so a failed or interrupted build leaves the old file as it was,
//! and no process can find the new one still open for writing (running it would fail with
//! "text file busy"). The temporary name is removed on an interruption (`signals`).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::driver::signals;

/// What an output holds, for the check that an existing file is ours to replace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An executable: ours when it is an ELF file.
    Executable,
    /// A `--trace` file: ours when it starts as toyc's traces do.
    Trace,
    /// An `ssa.html` page: ours when it starts as toyc's pages do.
    SsaHtml,
}

impl Kind {
    /// Returns the first bytes every file of this kind starts with.
    fn magic(self) -> &'static [u8] {
        match self {
            Kind::Executable => b"\x7fELF",
            Kind::Trace => b"{\"traceEvents\":",
            Kind::SsaHtml => crate::ssa::html::MAGIC.as_bytes(),
        }
    }

    fn what(self) -> &'static str {
        match self {
            Kind::Executable => "build output",
            Kind::Trace => "trace output",
            Kind::SsaHtml => "ssa.html output",
        }
    }

    fn not_ours(self) -> &'static str {
        match self {
            Kind::Executable => "is not an object file",
            Kind::Trace => "is not a trace",
            Kind::SsaHtml => "was not written by toyc",
        }
    }
}

/// How an accepted output is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A regular file, new or ours: written beside it and renamed over it.
    Replace,
    /// Not a regular file (a device, a pipe): written in place, since a rename would
    /// replace the device with a file.
    InPlace,
}

/// Returns how `path` may be written as output of `kind` when `input` is the source file,
/// or the message that says why it may not.
pub fn check(path: &Path, kind: Kind, input: &Path) -> Result<Target, String> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Target::Replace),
        Err(error) => return Err(format!("{}: {}", path.display(), os_message(&error))),
    };
    if same_file(path, input) {
        return Err(format!(
            "{} {:?} is the input file; name another with {}",
            kind.what(),
            path.display().to_string(),
            match kind {
                Kind::Executable => "-o",
                Kind::Trace => "--trace",
                Kind::SsaHtml => "--ssa-html-out",
            }
        ));
    }
    if meta.is_dir() {
        return Err(format!(
            "{} {:?} is a directory",
            kind.what(),
            path.display().to_string()
        ));
    }
    if !meta.is_file() {
        return Ok(Target::InPlace);
    }
    if starts_with(path, kind.magic()) {
        Ok(Target::Replace)
    } else {
        Err(format!(
            "{} {:?} already exists and {}",
            kind.what(),
            path.display().to_string(),
            kind.not_ours()
        ))
    }
}

/// Returns whether `a` and `b` name one file (the same device and inode, so links count).
pub fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

fn starts_with(path: &Path, magic: &[u8]) -> bool {
    let mut head = vec![0; magic.len()];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut head))
        .is_ok_and(|()| head == magic)
}

/// Writes `bytes` to `path` as `target` says; an executable gets mode 0755. Errors name
/// `path` as the user gave it, never the temporary file.
pub fn write(path: &Path, target: Target, bytes: &[u8], executable: bool) -> Result<(), String> {
    let fail =
        |error: std::io::Error| format!("cannot write {}: {}", path.display(), os_message(&error));
    match target {
        Target::InPlace => std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut file| file.write_all(bytes))
            .map_err(fail),
        Target::Replace => replace(path, bytes, executable).map_err(fail),
    }
}

fn replace(path: &Path, bytes: &[u8], executable: bool) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let file = tempfile::Builder::new().prefix(".toyc-").tempfile_in(dir)?;
    let _registered = signals::register(file.path());
    let mut file = file;
    file.write_all(bytes)?;
    let mode = if executable { 0o755 } else { 0o644 };
    file.as_file()
        .set_permissions(std::fs::Permissions::from_mode(mode))?;
    // Closed before the rename: the new file is never seen open for writing.
    let temp = file.into_temp_path();
    temp.persist(path).map_err(|error| error.error)
}

/// Returns an I/O error's message without the path some wrappers add to it (the
/// temporary file's, which the user never named) or the `(os error N)` that std adds:
/// `No space left on device`.
pub fn os_message(error: &std::io::Error) -> String {
    // A wrapped error keeps the system's code only in its text.
    let code = error.raw_os_error().or_else(|| {
        let text = error.to_string();
        let (_, rest) = text.split_once("(os error ")?;
        rest.split_once(')')?.0.parse().ok()
    });
    match code {
        Some(code) => {
            let text = std::io::Error::from_raw_os_error(code).to_string();
            let suffix = format!(" (os error {code})");
            text.strip_suffix(&suffix).unwrap_or(&text).to_string()
        }
        None => error.kind().to_string(),
    }
}

/// Returns `path` for the output named `-o path` of source `file`: the file's stem in the
/// current directory when there is no `-o`, and the same inside a directory that `-o`
/// names, as `go build -o DIR` writes there.
pub fn resolve(output: Option<&Path>, file: &Path) -> PathBuf {
    let stem = || PathBuf::from(file.file_stem().unwrap_or(file.as_os_str()));
    match output {
        None => stem(),
        Some(dir) if dir.is_dir() => dir.join(stem()),
        Some(path) => path.to_path_buf(),
    }
}

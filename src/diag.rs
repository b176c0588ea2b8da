//! Source positions and user diagnostics.
//!
//! Every phase reports mistakes in the user's program by pushing a [`Diagnostic`] into a
//! [`Diagnostics`] and carrying on, so one run reports as many independent errors as it can.
//! The driver renders them once, sorted by position, in Go's short form
//! (`file:line:col: message`, columns counted in bytes from 1) or, for a terminal, with the
//! source line and a caret. Compiler bugs are not diagnostics: they panic.

use std::io;
use std::sync::OnceLock;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};

/// How many errors are shown before `too many errors`, as in Go.
pub const MAX_ERRORS: usize = 10;

/// A half-open byte range `lo..hi` of the source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// Offset of the first byte.
    pub lo: u32,
    /// Offset one past the last byte.
    pub hi: u32,
}

impl Span {
    /// Returns the span from `lo` to `hi`.
    pub fn new(lo: usize, hi: usize) -> Span {
        Span {
            lo: lo as u32,
            hi: hi as u32,
        }
    }
}

/// One error in the user's program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where the error is reported; Go reports at `span.lo`.
    pub span: Span,
    /// Lowercase, no trailing period, Go's wording where Go has one. Go's unpositioned
    /// continuation lines (`\thave (int)`) are part of it.
    pub message: String,
    /// Positioned continuation lines, such as `other declaration of x`.
    pub notes: Vec<(Span, String)>,
}

/// The errors reported so far, in the order they were found.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Reports an error at `span`.
    pub fn error(&mut self, span: Span, message: impl Into<String>) {
        self.items.push(Diagnostic {
            span,
            message: message.into(),
            notes: Vec::new(),
        });
    }

    /// Reports an error with positioned continuation lines.
    pub fn error_with_notes(
        &mut self,
        span: Span,
        message: impl Into<String>,
        notes: Vec<(Span, String)>,
    ) {
        self.items.push(Diagnostic {
            span,
            message: message.into(),
            notes,
        });
    }

    /// Moves every error of `other` into `self`, keeping their order.
    pub fn append(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Keeps only the errors for which `keep` returns true, in their order.
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    /// Returns true when no error was reported.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Returns the errors sorted by position, without exact duplicates (Go prints a repeated
    /// error once).
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort_by_key(|diag| diag.span.lo);
        items.dedup_by(|a, b| a.span.lo == b.span.lo && a.message == b.message);
        items
    }

    /// Returns the errors Go would show: the first [`MAX_ERRORS`] in the order they were
    /// found, skipping a repeat of the previous error's message on the same line, then sorted
    /// by position; and, when that many were found, the position of the last one, where Go
    /// prints `too many errors`.
    pub fn shown(&self, file: &SourceFile) -> (Vec<Diagnostic>, Option<Span>) {
        let mut kept: Vec<Diagnostic> = Vec::new();
        let mut last: Option<(usize, &str)> = None;
        let mut too_many = None;
        for diag in &self.items {
            let (line, _) = file.line_col(diag.span.lo);
            if last == Some((line, diag.message.as_str())) {
                continue;
            }
            last = Some((line, diag.message.as_str()));
            kept.push(diag.clone());
            if kept.len() == MAX_ERRORS {
                too_many = Some(diag.span);
                break;
            }
        }
        kept.sort_by_key(|diag| diag.span.lo);
        kept.dedup_by(|a, b| a.span.lo == b.span.lo && a.message == b.message);
        (kept, too_many)
    }
}

/// A source file with its line table, for turning offsets into lines and columns.
pub struct SourceFile {
    /// The name used in messages: the path as the user gave it.
    pub name: String,
    /// The whole text.
    pub text: String,
    /// Where each line starts, built when a position is first shown: a file without errors
    /// never needs it.
    line_starts: OnceLock<Vec<u32>>,
}

impl SourceFile {
    /// Holds `text` under `name`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(
                self.text
                    .bytes()
                    .enumerate()
                    .filter(|&(_, byte)| byte == b'\n')
                    .map(|(idx, _)| idx as u32 + 1),
            );
            starts
        })
    }

    /// Returns the 1-based line and byte column of `offset`, as Go counts them.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let line_starts = self.line_starts();
        let line_idx = line_starts.partition_point(|&start| start <= offset) - 1;
        (line_idx + 1, (offset - line_starts[line_idx]) as usize + 1)
    }

    /// Returns `name:line:col` for `span`, as Go prints a position.
    pub fn position(&self, span: Span) -> String {
        let (line, col) = self.line_col(span.lo);
        format!("{}:{line}:{col}", self.name)
    }

    /// Formats `diag` as Go prints it: `name:line:col: message`, then one tab-indented line per
    /// note.
    pub fn short(&self, diag: &Diagnostic) -> String {
        let mut out = format!("{}: {}", self.position(diag.span), diag.message);
        for (span, note) in &diag.notes {
            out.push_str(&format!("\n\t{}: {note}", self.position(*span)));
        }
        out
    }
}

/// How diagnostics are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `file:line:col: message`, one line each: for editors and scripts.
    Short,
    /// The message with its source line and a caret, in colour.
    Rich,
}

/// Writes the diagnostics Go would show (see [`Diagnostics::shown`]), then
/// `name:line:col: too many errors` if Go would stop there.
pub fn render(
    file: &SourceFile,
    diags: &Diagnostics,
    style: Style,
    out: &mut dyn termcolor::WriteColor,
) -> io::Result<()> {
    let (shown, too_many) = diags.shown(file);
    match style {
        Style::Short => {
            for diag in &shown {
                writeln!(out, "{}", file.short(diag))?;
            }
        }
        Style::Rich => {
            let simple = SimpleFile::new(file.name.as_str(), file.text.as_str());
            let config = term::Config::default();
            for diag in &shown {
                let span = diag.span.lo as usize..(diag.span.hi.max(diag.span.lo) as usize);
                let mut labels = vec![Label::primary((), span)];
                labels.extend(diag.notes.iter().map(|(note_span, note)| {
                    Label::secondary((), note_span.lo as usize..note_span.hi as usize)
                        .with_message(note)
                }));
                let report = Report::error()
                    .with_message(&diag.message)
                    .with_labels(labels);
                term::emit_to_write_style(out, &config, &simple, &report)
                    .map_err(io::Error::other)?;
            }
        }
    }
    if let Some(span) = too_many {
        writeln!(out, "{}: too many errors", file.position(span))?;
    }
    Ok(())
}

//! Source positions and user diagnostics.
//!
//! Every phase reports mistakes in the user's program by pushing a [`Diagnostic`] into a
//! [`Diagnostics`] and carrying on, so one run reports as many independent errors as it can.
//! The driver renders them once, sorted by position, in Go's short form
//! (`file:line:col: message`, columns counted in bytes from 1) or, for a terminal, with the
//! source line and a caret. Compiler bugs are not diagnostics: they panic.
//!
//! A source line of a rich excerpt is shown whole up to [`EXCERPT_WIDTH`] characters, and
//! beyond that cut to a window of as many around the error, with `…` where it was cut, so
//! that an error in a generated line of megabytes prints a few hundred bytes.

use std::io;
use std::ops::Range;
use std::sync::OnceLock;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::{self, Files};
use codespan_reporting::term::{self, termcolor};

/// How many errors are shown before `too many errors`, as in Go.
pub const MAX_ERRORS: usize = 10;

/// The most characters of a source line that a rich excerpt shows: about two terminal
/// widths, so that lines written by hand are almost always shown whole. A longer line is
/// cut to this many characters around the error (see [`Excerpt`]).
pub const EXCERPT_WIDTH: usize = 200;

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
        let line_idx = self.line_index(offset as usize);
        (
            line_idx + 1,
            (offset - self.line_starts()[line_idx]) as usize + 1,
        )
    }

    /// Returns the index, from 0, of the line that holds byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts()
            .partition_point(|&start| start as usize <= offset)
            - 1
    }

    /// Returns the bytes of line `line_idx` (from 0), without its newline.
    fn line_range(&self, line_idx: usize) -> Range<usize> {
        let starts = self.line_starts();
        let end = starts
            .get(line_idx + 1)
            .map_or(self.text.len(), |&next| next as usize - 1);
        starts[line_idx] as usize..end
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
            let config = term::Config::default();
            for diag in &shown {
                let (lo, hi) = (diag.span.lo, diag.span.hi.max(diag.span.lo));
                let mut points = vec![lo, hi];
                points.extend(diag.notes.iter().flat_map(|(span, _)| [span.lo, span.hi]));
                let excerpt = Excerpt::new(file, lo, &points);
                let mut labels = vec![Label::primary((), excerpt.range(lo, hi))];
                labels.extend(diag.notes.iter().map(|(note_span, note)| {
                    Label::secondary((), excerpt.range(note_span.lo, note_span.hi))
                        .with_message(note)
                }));
                let report = Report::error()
                    .with_message(&diag.message)
                    .with_labels(labels);
                term::emit_to_write_style(out, &config, &excerpt, &report)
                    .map_err(io::Error::other)?;
            }
        }
    }
    if let Some(span) = too_many {
        writeln!(out, "{}: too many errors", file.position(span))?;
    }
    Ok(())
}

/// The lines one rich diagnostic shows, from the first line it points into to the last,
/// each cut to [`EXCERPT_WIDTH`] characters: the file as codespan-reporting reads it
/// ([`Files`]), its text only these cut lines, its line numbers and columns the file's.
struct Excerpt<'a> {
    file: &'a SourceFile,
    /// The index, from 0, of the first line held.
    first_line: usize,
    /// The held lines, cut, each ended by a newline.
    text: String,
    /// Per held line, in order.
    lines: Vec<CutLine>,
}

/// One line of an [`Excerpt`].
struct CutLine {
    /// Where the line starts in the excerpt's text.
    start: usize,
    /// The bytes of the file it shows.
    shown: Range<usize>,
    /// The bytes of the `…` before them: none when the line is shown from its start.
    lead: usize,
}

/// What stands for the part of a line that an excerpt leaves out.
const ELLIPSIS: &str = "…";

impl<'a> Excerpt<'a> {
    /// Holds the lines of `file` from the first that one of `points` (byte offsets) falls on
    /// to the last; a long line is cut around `primary` if it falls on it, else around its
    /// first point, else its start.
    fn new(file: &'a SourceFile, primary: u32, points: &[u32]) -> Excerpt<'a> {
        let line_of = |offset: u32| file.line_index(offset as usize);
        let first_line = points
            .iter()
            .map(|&point| line_of(point))
            .min()
            .unwrap_or(0);
        let last_line = points
            .iter()
            .map(|&point| line_of(point))
            .max()
            .unwrap_or(0);
        let mut excerpt = Excerpt {
            file,
            first_line,
            text: String::new(),
            lines: Vec::with_capacity(last_line - first_line + 1),
        };
        for line_idx in first_line..=last_line {
            let range = file.line_range(line_idx);
            let on_line =
                |&point: &u32| range.contains(&(point as usize)) || point as usize == range.end;
            let anchor = Some(primary)
                .filter(on_line)
                .or_else(|| points.iter().copied().filter(on_line).min())
                .map_or(range.start, |point| point as usize);
            let line = &file.text[range.clone()];
            let shown = window(line, anchor - range.start);
            let start = excerpt.text.len();
            let lead = if shown.start > 0 { ELLIPSIS.len() } else { 0 };
            if lead > 0 {
                excerpt.text.push_str(ELLIPSIS);
            }
            excerpt.text.push_str(&line[shown.clone()]);
            if shown.end < line.len() {
                excerpt.text.push_str(ELLIPSIS);
            }
            excerpt.text.push('\n');
            excerpt.lines.push(CutLine {
                start,
                shown: range.start + shown.start..range.start + shown.end,
                lead,
            });
        }
        excerpt
    }

    /// Returns where byte `offset` of the file is shown: on the leading or trailing `…` when
    /// its line was cut before or after it.
    fn offset(&self, offset: u32) -> usize {
        let offset = offset as usize;
        let line = &self.lines[self.file.line_index(offset) - self.first_line];
        if offset < line.shown.start {
            return line.start;
        }
        let mut at = offset.min(line.shown.end);
        while !self.file.text.is_char_boundary(at) {
            at -= 1;
        }
        line.start + line.lead + (at - line.shown.start)
    }

    /// Returns where the file's bytes `lo..hi` are shown.
    fn range(&self, lo: u32, hi: u32) -> Range<usize> {
        let start = self.offset(lo);
        start..self.offset(hi).max(start)
    }

    /// Returns the held line with index `line_idx` (from 0, in the file).
    fn line(&self, line_idx: usize) -> Result<&CutLine, files::Error> {
        line_idx
            .checked_sub(self.first_line)
            .and_then(|held| self.lines.get(held))
            .ok_or(files::Error::LineTooLarge {
                given: line_idx,
                max: self.first_line + self.lines.len() - 1,
            })
    }
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(&self.file.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, files::Error> {
        let held = self.lines.partition_point(|line| line.start <= byte_index);
        Ok(self.first_line + held - 1)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, files::Error> {
        let start = self.line(line_index)?.start;
        let end = (self.line(line_index + 1)).map_or(self.text.len(), |next| next.start);
        Ok(start..end)
    }

    /// Returns the column in the file's line, counted in characters as codespan-reporting
    /// counts them, not in the cut one.
    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, files::Error> {
        let line = self.line(line_index)?;
        let within = byte_index.saturating_sub(line.start + line.lead);
        let offset = (line.shown.start + within).min(line.shown.end);
        let range = self.file.line_range(line_index);
        Ok(files::column_index(&self.file.text, range, offset) + 1)
    }
}

/// Returns the bytes of `line` (a line without its newline) that an excerpt shows: all of
/// them if it has at most [`EXCERPT_WIDTH`] characters, else that many, starting half as
/// many before byte `anchor` or where they reach the end.
fn window(line: &str, anchor: usize) -> Range<usize> {
    if line.chars().nth(EXCERPT_WIDTH).is_none() {
        return 0..line.len();
    }
    let mut anchor = anchor.min(line.len());
    while !line.is_char_boundary(anchor) {
        anchor -= 1;
    }
    let back = |from: usize, n_chars: usize| {
        line[..from]
            .char_indices()
            .rev()
            .take(n_chars)
            .last()
            .map_or(from, |(idx, _)| idx)
    };
    let start = back(anchor, EXCERPT_WIDTH / 2);
    match line[start..].char_indices().nth(EXCERPT_WIDTH) {
        Some((len, _)) => start..start + len,
        None => back(line.len(), EXCERPT_WIDTH)..line.len(),
    }
}

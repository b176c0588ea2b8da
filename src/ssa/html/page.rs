//! The `ssa.html` page of one function, after Go's `GOSSAFUNC` page (`ssa/html.go`): the
//! function's source lines, a column per pass, then the assembly. As on Go's page, passes
//! that leave the function as they found it share one column, titled by all of them.
//!
//! The page is one self-contained file: its style and script (`page.css`, `page.js`) are
//! written into it, and it loads nothing. Each column is a `<pre>` whose text is exactly
//! what `--ssa` prints for its passes (the markup only wraps parts of it):
//!
//! - every mention of a value is a `span.v.vN` and of a block a `span.b.bN`, the one that
//!   defines it also `.def`, so the script highlights a value in every column by its class;
//! - the definition of a block carries its successors (`data-succs`), from which the
//!   script draws the control-flow graph;
//! - a line that differs from the previous column's line for the same value or block end
//!   (or that is new there) is a `span.changed`, its newline inside it; the comparison is
//!   made here, once. Other lines are plain text, which keeps a large page quick to open.
//!
//! What the page does (highlighting, folding, the graph) is the script's job; this file
//! only writes the markup.

use std::fmt::Write;

use rustc_hash::FxHashMap;

use crate::diag::SourceFile;
use crate::ssa::html::dump::{BlockDump, Dump, PassDump, ValueDump};

/// The start of every page, also how `driver::output` recognizes a page toyc wrote.
pub const MAGIC: &str = "<!DOCTYPE html>\n<!-- ssa.html, written by toyc -->\n";

/// Returns the page for `dump`, whose source is `source`.
pub fn page(dump: &Dump, source: &SourceFile) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(MAGIC);
    let _ = write!(
        out,
        "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width\">\n\
         <title>{} · ssa.html</title>\n<style>\n{}</style>\n<script>\n{}</script>\n</head>\n",
        escape(&dump.name),
        include_str!("page.css"),
        include_str!("page.js"),
    );
    out.push_str(&body(dump, source));
    out.push_str("</html>\n");
    out
}

/// Returns the page's `<body>` element: everything but the embedded style and script.
pub fn body(dump: &Dump, source: &SourceFile) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<body>\n<header>\n<h1>{}</h1>\n<p>Click a value or a block to highlight it, its uses \
         and its definition in every column (click again to clear). Click a column's title to \
         fold it; <b>CFG</b> draws its control-flow graph. Passes that change nothing share \
         a column. <span class=\"changed\">Changed lines</span> differ from the column \
         before.</p>\n\
         </header>\n<main id=\"columns\">\n",
        escape(&dump.name)
    );
    source_column(&mut out, dump, source);
    let mut previous: Option<&PassDump> = None;
    for passes in dump
        .passes
        .chunk_by(|before, after| before.blocks == after.blocks)
    {
        let names: Vec<&str> = passes.iter().map(|pass| pass.name.as_str()).collect();
        pass_column(&mut out, &names, &passes[0], previous);
        previous = Some(&passes[0]);
    }
    column_start(&mut out, "asm", &["asm"], false);
    for line in dump.listing.lines() {
        let _ = writeln!(out, "{}", escape(line));
    }
    column_end(&mut out);
    out.push_str("</main>\n</body>\n");
    out
}

/// Writes the opening of a column titled by `names` (one, or the passes that left the
/// function as they found it, as Go's page combines them), with a graph button if `cfg`.
fn column_start(out: &mut String, class: &str, names: &[&str], cfg: bool) {
    let _ = write!(
        out,
        "<section class=\"column {class}\">\n<div class=\"head\"><span class=\"title\" \
         title=\"fold or unfold\">{}",
        escape(names[0])
    );
    if names.len() > 1 {
        let rest: Vec<String> = names[1..].iter().map(|name| escape(name)).collect();
        let _ = write!(
            out,
            " <span class=\"more\">+{}</span><span class=\"also\">and {}</span>",
            rest.len(),
            rest.join(", ")
        );
    }
    out.push_str("</span>");
    if cfg {
        out.push_str("<button class=\"cfg\" title=\"show the control-flow graph\">CFG</button>");
    }
    out.push_str("</div>\n<pre>");
}

fn column_end(out: &mut String) {
    out.push_str("</pre>\n</section>\n");
}

/// Writes the source column: the function's lines, numbered.
fn source_column(out: &mut String, dump: &Dump, source: &SourceFile) {
    column_start(out, "source", &[&source.name], false);
    if let Some(span) = dump.span {
        let (first, _) = source.line_col(span.lo);
        let (last, _) = source.line_col(span.hi.max(span.lo + 1) - 1);
        for (idx, line) in source
            .text
            .lines()
            .enumerate()
            .skip(first - 1)
            .take(last + 1 - first)
        {
            let _ = writeln!(
                out,
                "<span class=\"ln\">{:>4}</span>  {}",
                idx + 1,
                escape(line)
            );
        }
    }
    column_end(out);
}

/// Writes the column of the passes `names`, which all left the function as `pass`, marking
/// the lines that differ from `previous`.
fn pass_column(out: &mut String, names: &[&str], pass: &PassDump, previous: Option<&PassDump>) {
    // The previous column's text of each value's line and each block's last line.
    let mut before_values: FxHashMap<u32, String> = FxHashMap::default();
    let mut before_ends: FxHashMap<u32, String> = FxHashMap::default();
    for block in previous.iter().flat_map(|pass| &pass.blocks) {
        for value in &block.values {
            before_values.insert(value.id, value_line(value, &mut Plain));
        }
        before_ends.insert(block.id, block_end(block, &mut Plain));
    }
    let changed = |before: &FxHashMap<u32, String>, id: u32, text: &str| {
        previous.is_some() && before.get(&id).is_none_or(|old| old != text)
    };
    column_start(out, "pass", names, true);
    for block in &pass.blocks {
        let succs: Vec<String> = block.succs.iter().map(u32::to_string).collect();
        let _ = write!(
            out,
            "<span class=\"b b{} def\" data-succs=\"{}\">b{}</span>:",
            block.id,
            succs.join(" "),
            block.id
        );
        if !block.preds.is_empty() {
            out.push_str(" ←");
            for &pred in &block.preds {
                let _ = write!(out, " {}", block_ref(pred));
            }
        }
        out.push('\n');
        for value in &block.values {
            let is_changed = changed(&before_values, value.id, &value_line(value, &mut Plain));
            line(out, is_changed, &value_line(value, &mut Marked));
        }
        let is_changed = changed(&before_ends, block.id, &block_end(block, &mut Plain));
        line(out, is_changed, &block_end(block, &mut Marked));
    }
    column_end(out);
}

/// Writes one line of a column, marked if it `changed`. Only changed lines are elements of
/// their own: a page holds thousands of lines, and the browser parses plain text far faster.
fn line(out: &mut String, changed: bool, text: &str) {
    if changed {
        let _ = write!(out, "<span class=\"changed\">{text}\n</span>");
    } else {
        let _ = writeln!(out, "{text}");
    }
}

/// How a line names values and blocks: as plain text, to compare lines, or as the
/// elements the page's script reacts to.
trait Refs {
    fn value(&mut self, id: u32, def: bool) -> String;
    fn block(&mut self, id: u32) -> String;
}

struct Plain;

impl Refs for Plain {
    fn value(&mut self, id: u32, _def: bool) -> String {
        format!("v{id}")
    }

    fn block(&mut self, id: u32) -> String {
        format!("b{id}")
    }
}

struct Marked;

impl Refs for Marked {
    fn value(&mut self, id: u32, def: bool) -> String {
        let def = if def { " def" } else { "" };
        format!("<span class=\"v v{id}{def}\">v{id}</span>")
    }

    fn block(&mut self, id: u32) -> String {
        block_ref(id)
    }
}

fn block_ref(id: u32) -> String {
    format!("<span class=\"b b{id}\">b{id}</span>")
}

/// Returns a value's line as `--ssa` prints it (`  v5 = AMD64CMPQconst [2] v3 : AX`).
fn value_line(value: &ValueDump, refs: &mut dyn Refs) -> String {
    let mut line = format!("  {} = {}", refs.value(value.id, true), escape(&value.op));
    for &arg in &value.args {
        let _ = write!(line, " {}", refs.value(arg, false));
    }
    if let Some(loc) = &value.loc {
        let _ = write!(line, " : {}", escape(loc));
    }
    line
}

/// Returns a block's last line as `--ssa` prints it (`  LT v5 → b2 b3`).
fn block_end(block: &BlockDump, refs: &mut dyn Refs) -> String {
    let mut line = format!("  {}", block.kind);
    if let Some(control) = block.control {
        let _ = write!(line, " {}", refs.value(control, false));
    }
    if !block.succs.is_empty() {
        line.push_str(" →");
        for &succ in &block.succs {
            let _ = write!(line, " {}", refs.block(succ));
        }
    }
    line
}

/// Returns `text` with the characters HTML gives a meaning escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            ch => out.push(ch),
        }
    }
    out
}

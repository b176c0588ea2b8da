//! Parsing one file on several threads.
//!
//! To the parser, top-level declarations are independent: each starts with `func`, `var` or
//! `const` after a `;` outside any bracket, and nothing in one depends on another. So the file
//! is cut, at about equal distances, before lines that start with `func `, and each chunk is
//! lexed and parsed on its own thread: the first from the package clause, the others after a
//! `Tok::Chunk`, which the grammar's start symbol accepts in place of the package clause.
//! Each chunk numbers its nodes from 0 and interns its own identifiers; then the symbol
//! tables are merged in file order, and every later chunk's node numbers are shifted by the
//! nodes before it and its symbols renumbered, on the chunks' threads, by one
//! `walk::inspect_mut` per declaration.
//!
//! A cut is checked after the fact: a cut inside a declaration leaves a chunk that does not
//! parse, and a cut inside a raw string or block comment leaves one unterminated, which the
//! lexer reports. Any diagnostic from any chunk sends the whole file to `parse::parse`.
//!
//! **Invariant:** the result is exactly the tree `parse::parse` builds, node numbers and
//! symbols included. The grammar is unambiguous, so parses of the chunks that succeed without
//! error recovery are the parse of the whole; the actions number nodes in reduction order,
//! which chunks keep; and a name's first appearance in the file is its first in the first
//! chunk that has it.

use std::ops::Range;

use crate::diag::{Diagnostics, SourceFile};
use crate::syntax::ast::{ExprKind, File, Interner, Symbol};
use crate::syntax::lexer::Lexer;
use crate::syntax::parse::{self, Parsed, State};
use crate::syntax::token::Tok;
use crate::syntax::walk::{self, NodeMut};

/// Below this many bytes a chunk is not worth a thread.
pub const MIN_CHUNK_BYTES: usize = 64 * 1024;

/// What precedes a cut: a line that starts a function declaration.
const CUT_BEFORE: &str = "\nfunc ";

/// Parses `file` as [`parse::parse`] does, with up to `threads` threads on chunks of at
/// least `min_chunk` bytes.
pub fn parse(
    file: &SourceFile,
    diags: &mut Diagnostics,
    threads: usize,
    min_chunk: usize,
) -> Option<File> {
    let text = file.text.as_str();
    let ranges = cut(text, threads, min_chunk);
    if ranges.len() < 2 {
        return parse::parse(file, diags);
    }
    // Parsing itself does not recurse, but dropping a chunk's trees and renumbering them
    // walk them.
    let stack = crate::stack_for(ranges.iter().map(|range| range.len()).max().unwrap_or(0));
    let chunks = crate::on_threads(
        "toyc-parse",
        stack,
        ranges
            .into_iter()
            .map(|range| move || parse_chunk(text, range)),
    );
    let Some(chunks) = chunks.into_iter().collect::<Option<Vec<_>>>() else {
        return parse::parse(file, diags);
    };
    let mut names = Interner::default();
    let mut n_nodes = 0;
    let mut jobs = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        let renumber = Renumber {
            node_base: n_nodes,
            symbols: chunk.names.iter().map(|name| names.intern(name)).collect(),
        };
        n_nodes += chunk.n_nodes;
        jobs.push((chunk.parsed, renumber));
    }
    let parts = crate::on_threads(
        "toyc-parse",
        stack,
        jobs.into_iter().map(|(mut parsed, renumber)| {
            move || {
                match &mut parsed {
                    // The first chunk's numbers are already the file's: its base is 0, and its
                    // names were the first interned.
                    Parsed::File(_) => {}
                    Parsed::Decls(decls) => {
                        for decl in decls.iter_mut() {
                            walk::inspect_mut(NodeMut::Decl(decl), |node| renumber.node(node));
                        }
                    }
                }
                parsed
            }
        }),
    );
    let mut parts = parts.into_iter();
    let Some(Parsed::File(mut whole)) = parts.next() else {
        unreachable!("the first chunk starts at the package clause")
    };
    for part in parts {
        let Parsed::Decls(decls) = part else {
            unreachable!("later chunks start at a chunk token")
        };
        whole.decls.extend(decls);
    }
    whole.n_nodes = n_nodes;
    whole.names = names;
    Some(*whole)
}

/// Returns where [`parse`] with these arguments cuts `text`: 0, then the start of each
/// chunk after the first.
pub fn starts(text: &str, threads: usize, min_chunk: usize) -> Vec<usize> {
    cut(text, threads, min_chunk)
        .into_iter()
        .map(|range| range.start)
        .collect()
}

/// Returns up to `threads` ranges covering `text`, none but the last shorter than `min_chunk`
/// bytes or than an equal share of `text`, each but the first starting a line that starts
/// with `func `.
fn cut(text: &str, threads: usize, min_chunk: usize) -> Vec<Range<usize>> {
    let n_chunks = threads.min(text.len() / min_chunk.max(1)).max(1);
    let step = text.len() / n_chunks;
    let mut starts = vec![0];
    let mut at = step;
    while at < text.len() {
        while !text.is_char_boundary(at) {
            at += 1;
        }
        let Some(found) = text[at..].find(CUT_BEFORE) else {
            break;
        };
        let start = at + found + 1;
        starts.push(start);
        at = start + step;
    }
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    starts.iter().zip(ends).map(|(&lo, hi)| lo..hi).collect()
}

/// A chunk parsed on its own.
struct Chunk {
    parsed: Parsed,
    /// How many nodes it numbered, from 0.
    n_nodes: u32,
    /// Its identifiers, in order of appearance.
    names: Interner,
}

/// Lexes and parses one chunk; `None` on any error.
fn parse_chunk(text: &str, range: Range<usize>) -> Option<Chunk> {
    let mut state = State::new(text);
    let first = range.start;
    let mut lexer = Lexer::part(text, range);
    let result = if first == 0 {
        parse::run(&mut state, lexer.by_ref())
    } else {
        let chunk = std::iter::once(Ok((first, Tok::Chunk, first)));
        parse::run(&mut state, chunk.chain(lexer.by_ref()))
    };
    match result {
        Ok(parsed) if !state.recovered() && lexer.diags.is_empty() => Some(Chunk {
            parsed,
            n_nodes: state.n_nodes(),
            names: lexer.take_names(),
        }),
        _ => None,
    }
}

/// Turns a chunk's node numbers and symbols into the file's.
struct Renumber {
    /// How many nodes the chunks before it numbered.
    node_base: u32,
    /// The file's symbol for each of the chunk's.
    symbols: Vec<Symbol>,
}

impl Renumber {
    /// Shifts the node number of `node` and renumbers the symbols it holds itself (those
    /// below it are other nodes).
    fn node(&self, node: NodeMut<'_>) {
        match node {
            NodeMut::Expr(expr) => {
                expr.id.0 += self.node_base;
                match &mut expr.kind {
                    ExprKind::Name(sym) => *sym = self.symbols[sym.0 as usize],
                    ExprKind::Int
                    | ExprKind::Float
                    | ExprKind::Imag
                    | ExprKind::Rune
                    | ExprKind::Str
                    | ExprKind::FuncLit(_)
                    | ExprKind::FuncType(_)
                    | ExprKind::Type(_)
                    | ExprKind::Composite(_)
                    | ExprKind::Paren(_)
                    | ExprKind::Unary(..)
                    | ExprKind::Binary(..)
                    | ExprKind::Call(_)
                    | ExprKind::Selector(_)
                    | ExprKind::Index(_)
                    | ExprKind::Instance(_)
                    | ExprKind::Slice(_)
                    | ExprKind::TypeAssert(_)
                    | ExprKind::TypeGuard(_)
                    | ExprKind::KeyValue(_)
                    | ExprKind::Bad => {}
                }
            }
            NodeMut::Ident(ident) => {
                ident.id.0 += self.node_base;
                ident.name = self.symbols[ident.name.0 as usize];
            }
            NodeMut::File(_)
            | NodeMut::Decl(_)
            | NodeMut::Signature(_)
            | NodeMut::Block(_)
            | NodeMut::Stmt(_) => {}
        }
    }
}

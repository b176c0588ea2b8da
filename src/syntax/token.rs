//! The tokens of Toy, recognised by a logos-generated automaton.
//!
//! Tokens follow Go's lexical grammar. The automaton only finds token boundaries: literals keep
//! their raw text, and their contents (escapes, digits, terminators) are validated by
//! `lexer`, which also turns newlines into Go's automatic semicolons. Newlines and comments are
//! tokens here because semicolon insertion needs them; they never reach the parser.

use logos::{Lexer, Logos};

use crate::syntax::ast::Symbol;

/// A token with its raw text where the text matters.
#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
#[expect(
    missing_docs,
    reason = "keyword and operator variants are named after the text they match"
)]
#[logos(skip r"[ \t\r]+")]
pub enum Tok<'src> {
    /// A newline outside any token.
    #[token("\n")]
    Newline,
    /// `// …` up to, not including, the newline.
    #[regex(r"//[^\n]*", allow_greedy = true)]
    LineComment,
    /// `/* … */`; the flags tell whether it held a newline and whether it was closed.
    #[token("/*", block_comment)]
    BlockComment(BlockComment),

    /// An identifier.
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*", |lex| Name { text: lex.slice(), sym: Symbol(u32::MAX) })]
    Ident(Name<'src>),
    /// An identifier with a character outside ASCII (but not a byte-order mark, which the
    /// lexer reports on its own). Go's scanner takes every such character into an
    /// identifier, and so does this token, so that the parser reads one name where Go does;
    /// the lexer reports it, since Toy's identifiers are ASCII, and passes it on as an
    /// `Ident`.
    #[regex(
        r"([A-Za-z_][A-Za-z0-9_]*)?[\x{80}-\x{FEFE}\x{FF00}-\x{10FFFF}][A-Za-z0-9_\x{80}-\x{FEFE}\x{FF00}-\x{10FFFF}]*",
        |lex| lex.slice()
    )]
    NonAsciiIdent(&'src str),
    /// An integer literal of any base, not yet validated.
    #[regex(r"0[xX][0-9A-Fa-f_]*", |lex| lex.slice())]
    #[regex(r"0[bBoO][0-9_]*", |lex| lex.slice())]
    #[regex(r"[0-9][0-9_]*", |lex| lex.slice())]
    Int(&'src str),
    /// A floating-point literal, decimal or hexadecimal (`0x1p-2`).
    #[regex(r"[0-9][0-9_]*\.[0-9_]*([eE][+-]?[0-9_]+)?", |lex| lex.slice())]
    #[regex(r"\.[0-9][0-9_]*([eE][+-]?[0-9_]+)?", |lex| lex.slice())]
    #[regex(r"[0-9][0-9_]*[eE][+-]?[0-9_]+", |lex| lex.slice())]
    #[regex(r"0[xX][0-9A-Fa-f_]*(\.[0-9A-Fa-f_]*)?[pP][+-]?[0-9_]+", |lex| lex.slice())]
    #[regex(r"0[xX][0-9A-Fa-f_]*\.[0-9A-Fa-f_]*", |lex| lex.slice())]
    Float(&'src str),
    /// An imaginary literal: an integer or floating-point literal followed by `i`.
    #[regex(r"[0-9][0-9_]*\.[0-9_]*([eE][+-]?[0-9_]+)?i", |lex| lex.slice())]
    #[regex(r"\.[0-9][0-9_]*([eE][+-]?[0-9_]+)?i", |lex| lex.slice())]
    #[regex(r"[0-9][0-9_]*([eE][+-]?[0-9_]+)?i", |lex| lex.slice())]
    #[regex(r"0[xX][0-9A-Fa-f_]*((\.[0-9A-Fa-f_]*)?[pP][+-]?[0-9_]+)?i", |lex| lex.slice())]
    #[regex(r"0[bBoO][0-9_]*i", |lex| lex.slice())]
    Imag(&'src str),
    /// A rune literal `'…'` with its quotes; `None` when the closing quote is missing.
    #[token("'", |lex| quoted(lex, b'\''))]
    Rune(Quoted<'src>),
    /// An interpreted string literal `"…"` with its quotes.
    #[token("\"", |lex| quoted(lex, b'"'))]
    Str(Quoted<'src>),
    /// A raw string literal with its backquotes.
    #[token("`", raw_string)]
    RawStr(Quoted<'src>),

    /// `;` written in the source (`false`) or inserted at a newline or the end (`true`).
    #[token(";", |_| false)]
    Semi(bool),

    #[token("break")]
    Break,
    #[token("case")]
    Case,
    #[token("chan")]
    Chan,
    #[token("const")]
    Const,
    #[token("continue")]
    Continue,
    #[token("default")]
    Default,
    #[token("defer")]
    Defer,
    #[token("else")]
    Else,
    #[token("fallthrough")]
    Fallthrough,
    #[token("for")]
    For,
    #[token("func")]
    Func,
    #[token("go")]
    Go,
    #[token("goto")]
    Goto,
    #[token("if")]
    If,
    #[token("import")]
    Import,
    #[token("interface")]
    Interface,
    #[token("map")]
    Map,
    #[token("package")]
    Package,
    #[token("range")]
    Range,
    #[token("return")]
    Return,
    #[token("select")]
    Select,
    #[token("struct")]
    Struct,
    #[token("switch")]
    Switch,
    #[token("type")]
    Type,
    #[token("var")]
    Var,

    #[token("+")]
    Add,
    #[token("-")]
    Sub,
    #[token("*")]
    Mul,
    #[token("/")]
    Div,
    #[token("%")]
    Rem,
    #[token("&")]
    And,
    #[token("|")]
    Or,
    #[token("^")]
    Xor,
    #[token("<<")]
    Shl,
    #[token(">>")]
    Shr,
    #[token("&^")]
    AndNot,
    #[token("+=")]
    AddAssign,
    #[token("-=")]
    SubAssign,
    #[token("*=")]
    MulAssign,
    #[token("/=")]
    DivAssign,
    #[token("%=")]
    RemAssign,
    #[token("&=")]
    AndAssign,
    #[token("|=")]
    OrAssign,
    #[token("^=")]
    XorAssign,
    #[token("<<=")]
    ShlAssign,
    #[token(">>=")]
    ShrAssign,
    #[token("&^=")]
    AndNotAssign,
    #[token("&&")]
    AndAnd,
    #[token("||")]
    OrOr,
    #[token("<-")]
    Arrow,
    #[token("++")]
    Inc,
    #[token("--")]
    Dec,
    #[token("==")]
    Eql,
    #[token("<")]
    Lss,
    #[token(">")]
    Gtr,
    #[token("=")]
    Assign,
    #[token("!")]
    Not,
    #[token("~")]
    Tilde,
    #[token("!=")]
    Neq,
    #[token("<=")]
    Leq,
    #[token(">=")]
    Geq,
    #[token(":=")]
    Define,
    #[token("...")]
    Ellipsis,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBrack,
    #[token("]")]
    RBrack,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token(",")]
    Comma,
    #[token(".")]
    Dot,
    #[token(":")]
    Colon,

    /// Starts a run of top-level declarations cut out of a file, so that the parser reads it
    /// without the package clause (`syntax::chunks`). No text produces it.
    Chunk,
}

/// An identifier's text and symbol. logos leaves the symbol unset (`u32::MAX`); the
/// `lexer` sets it before the parser sees the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Name<'src> {
    /// The identifier as written.
    pub text: &'src str,
    /// The interned identifier.
    pub sym: Symbol,
}

/// What a block comment contained, for semicolon insertion and error reporting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockComment {
    /// The comment spans lines, so it ends a line as a newline would.
    pub has_newline: bool,
    /// `*/` was found before the end of the file.
    pub terminated: bool,
}

/// The raw text of a quoted literal, quotes included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quoted<'src> {
    /// The text from the opening quote to the closing one (or to where it stopped).
    pub raw: &'src str,
    /// The closing quote was found.
    pub terminated: bool,
}

fn block_comment<'src>(lex: &mut Lexer<'src, Tok<'src>>) -> BlockComment {
    let rest = lex.remainder();
    match rest.find("*/") {
        Some(end) => {
            lex.bump(end + 2);
            BlockComment {
                has_newline: rest[..end].contains('\n'),
                terminated: true,
            }
        }
        None => {
            lex.bump(rest.len());
            BlockComment {
                has_newline: rest.contains('\n'),
                terminated: false,
            }
        }
    }
}

/// Scans an interpreted string or rune literal: it ends at the closing quote, or unterminated
/// before a newline or the end of the file, as in Go.
fn quoted<'src>(lex: &mut Lexer<'src, Tok<'src>>, quote: u8) -> Quoted<'src> {
    let rest = lex.remainder().as_bytes();
    let mut idx = 0;
    let terminated = loop {
        match rest.get(idx) {
            None | Some(b'\n') => break false,
            Some(&b'\\') if idx + 1 < rest.len() && rest[idx + 1] != b'\n' => idx += 2,
            Some(&byte) if byte == quote => {
                idx += 1;
                break true;
            }
            Some(_) => idx += 1,
        }
    };
    lex.bump(idx);
    Quoted {
        raw: lex.slice(),
        terminated,
    }
}

fn raw_string<'src>(lex: &mut Lexer<'src, Tok<'src>>) -> Quoted<'src> {
    let rest = lex.remainder();
    let (len, terminated) = match rest.find('`') {
        Some(end) => (end + 1, true),
        None => (rest.len(), false),
    };
    lex.bump(len);
    Quoted {
        raw: lex.slice(),
        terminated,
    }
}

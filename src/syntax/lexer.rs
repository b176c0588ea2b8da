//! The token stream the parser reads: logos tokens with Go's automatic semicolons, literal
//! validation and lexical diagnostics.
//!
//! Semicolons are inserted as Go's specification says: a newline (or a comment spanning lines,
//! or the end of the file) after an identifier, a literal, `break continue fallthrough return`,
//! `++ --` or `) ] }` becomes a `;` token. Literals are checked here, with Go's messages at Go's
//! positions; a bad literal still produces its token, so parsing goes on. Lexical errors never
//! stop the stream: the parser sees every well-formed token.
//!
//! An identifier is read whole, as Go's scanner reads it, whatever characters outside ASCII
//! it holds: those Go rejects get Go's errors, and a name Go accepts gets one error saying
//! that Toy's identifiers are ASCII, where the name first appears. Either way the parser
//! sees one name, so it reads on as Go's does.

use std::ops::Range;

use logos::Logos;

use crate::diag::{Diagnostics, Span};
use crate::syntax::ast::Interner;
use crate::syntax::token::{Name, Quoted, Tok};
use crate::syntax::unicode::{self, Class, char_name};

/// A token with its byte range, as LALRPOP expects.
pub type Spanned<'src> = (usize, Tok<'src>, usize);

/// An iterator over the tokens of one file.
pub struct Lexer<'src> {
    inner: logos::Lexer<'src, Tok<'src>>,
    /// The previous token allows a semicolon to be inserted after it.
    semi_allowed: bool,
    at_end: bool,
    /// The identifiers seen so far, in order of appearance.
    names: Interner,
    /// Lexical errors found so far.
    pub diags: Diagnostics,
}

impl<'src> Lexer<'src> {
    /// Starts lexing `text`.
    pub fn new(text: &'src str) -> Lexer<'src> {
        Lexer::part(text, 0..text.len())
    }

    /// Starts lexing `text[range]` as a file that ends at `range.end`, with `text`'s offsets.
    /// If `range.start` starts a token that follows a `;` in `text`, and a lexer of the text
    /// before it reports no literal or comment left open, the tokens are the ones a lexer of
    /// all of `text` gives in `range`. As in Go, a byte-order mark may start the file.
    pub fn part(text: &'src str, range: Range<usize>) -> Lexer<'src> {
        let mut inner = Tok::lexer(&text[..range.end]);
        let bom = if range.start == 0 && text.starts_with('\u{FEFF}') {
            '\u{FEFF}'.len_utf8()
        } else {
            0
        };
        inner.bump(range.start + bom);
        Lexer {
            inner,
            semi_allowed: false,
            at_end: false,
            names: Interner::default(),
            diags: Diagnostics::default(),
        }
    }

    /// Takes the identifiers interned so far.
    pub fn take_names(&mut self) -> Interner {
        std::mem::take(&mut self.names)
    }

    /// Checks a literal or comment. Kept out of `next`, whose most common tokens (names,
    /// operators) need no checks.
    #[inline(never)]
    fn validate(&mut self, tok: &Tok<'src>, lo: usize) {
        // NUL and byte-order marks are checked inside literals and comments; elsewhere logos
        // rejects them.
        match *tok {
            Tok::Int(raw) => check_int(raw, lo, &mut self.diags),
            Tok::Float(raw) | Tok::Imag(raw) => check_float(raw, lo, &mut self.diags),
            Tok::Str(quoted) => {
                check_forbidden_chars(quoted.raw, lo, &mut self.diags);
                if quoted.terminated {
                    check_escapes(quoted.raw, b'"', lo, &mut self.diags);
                } else {
                    let at = lo + quoted.raw.len();
                    let message = if at < self.inner.source().len() {
                        "newline in string"
                    } else {
                        "string not terminated"
                    };
                    self.diags.error(Span::new(at, at), message);
                }
            }
            Tok::Rune(quoted) => {
                check_forbidden_chars(quoted.raw, lo, &mut self.diags);
                check_rune(quoted, lo, &mut self.diags);
            }
            Tok::RawStr(quoted) => {
                check_forbidden_chars(quoted.raw, lo, &mut self.diags);
                if !quoted.terminated {
                    self.diags.error(Span::new(lo, lo), "string not terminated");
                }
            }
            Tok::LineComment => check_forbidden_chars(self.inner.slice(), lo, &mut self.diags),
            Tok::BlockComment(comment) => {
                check_forbidden_chars(self.inner.slice(), lo, &mut self.diags);
                if !comment.terminated {
                    self.diags
                        .error(Span::new(lo, lo), "comment not terminated");
                }
            }
            _ => {}
        }
    }
}

impl Lexer<'_> {
    /// Reports an identifier starting at offset `lo` that holds characters outside ASCII:
    /// Go's errors for the characters Go does not allow in identifiers, at each; failing
    /// those, a valid Go name, that Toy does not support it, once per name, where it first
    /// appears (`first_sight`).
    #[inline(never)]
    fn check_non_ascii_ident(&mut self, text: &str, lo: usize, first_sight: bool) {
        let mut valid = true;
        for (idx, ch) in text.char_indices() {
            let message = match unicode::class(ch) {
                Class::Letter => continue,
                Class::Digit if idx > 0 => continue,
                Class::Digit => format!("identifier cannot begin with digit {}", char_name(ch)),
                Class::Other | Class::Unprintable => {
                    format!("invalid character {} in identifier", char_name(ch))
                }
            };
            valid = false;
            self.diags.error(Span::new(lo + idx, lo + idx), message);
        }
        if let Some((idx, ch)) = text.char_indices().find(|(_, ch)| !ch.is_ascii())
            && valid
            && first_sight
        {
            self.diags.error(
                Span::new(lo + idx, lo + idx),
                format!(
                    "non-ASCII character {} in identifier {text} is not supported",
                    char_name(ch)
                ),
            );
        }
    }
}

impl<'src> Iterator for Lexer<'src> {
    type Item = Result<Spanned<'src>, std::convert::Infallible>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let Some(result) = self.inner.next() else {
                if self.at_end {
                    return None;
                }
                self.at_end = true;
                if std::mem::take(&mut self.semi_allowed) {
                    let end = self.inner.source().len();
                    return Some(Ok((end, Tok::Semi(true), end)));
                }
                return None;
            };
            let range = self.inner.span();
            let tok = match result {
                Ok(tok) => tok,
                Err(()) => {
                    let ch = self.inner.source()[range.start..]
                        .chars()
                        .next()
                        .unwrap_or('\0');
                    // Only ASCII and byte-order marks get here: every other character
                    // outside ASCII starts a `NonAsciiIdent`.
                    let message = if ch == '\0' {
                        "invalid NUL character".to_string()
                    } else if ch == '\u{FEFF}' {
                        "invalid BOM in the middle of the file".to_string()
                    } else {
                        format!("invalid character {}", char_name(ch))
                    };
                    self.diags
                        .error(Span::new(range.start, range.start), message);
                    continue;
                }
            };
            let tok = match tok {
                Tok::Ident(name) => Tok::Ident(Name {
                    sym: self.names.intern(name.text),
                    ..name
                }),
                Tok::NonAsciiIdent(text) => {
                    let first_sight = self.names.lookup(text).is_none();
                    self.check_non_ascii_ident(text, range.start, first_sight);
                    Tok::Ident(Name {
                        text,
                        sym: self.names.intern(text),
                    })
                }
                tok @ (Tok::Int(_)
                | Tok::Float(_)
                | Tok::Imag(_)
                | Tok::Str(_)
                | Tok::Rune(_)
                | Tok::RawStr(_)
                | Tok::LineComment
                | Tok::BlockComment(_)) => {
                    self.validate(&tok, range.start);
                    tok
                }
                tok => tok,
            };
            let ends_line = match tok {
                Tok::Newline => true,
                Tok::BlockComment(comment) => comment.has_newline || !comment.terminated,
                Tok::LineComment => false,
                _ => {
                    self.semi_allowed = allows_semi(&tok);
                    return Some(Ok((range.start, tok, range.end)));
                }
            };
            if ends_line && std::mem::take(&mut self.semi_allowed) {
                return Some(Ok((range.start, Tok::Semi(true), range.start)));
            }
        }
    }
}

/// Reports NUL characters and byte-order marks in the text of a literal or comment starting
/// at offset `lo`, which Go's scanner rejects there too.
fn check_forbidden_chars(text: &str, lo: usize, diags: &mut Diagnostics) {
    let bytes = text.as_bytes();
    if !bytes.iter().any(|&byte| byte == 0 || byte == 0xEF) {
        return;
    }
    for (idx, &byte) in bytes.iter().enumerate() {
        let message = match byte {
            0 => "invalid NUL character",
            0xEF if bytes[idx..].starts_with("\u{FEFF}".as_bytes()) => {
                "invalid BOM in the middle of the file"
            }
            _ => continue,
        };
        diags.error(Span::new(lo + idx, lo + idx), message);
    }
}

/// Returns whether a newline after `tok` ends the statement.
fn allows_semi(tok: &Tok) -> bool {
    matches!(
        tok,
        Tok::Ident(_)
            | Tok::Int(_)
            | Tok::Float(_)
            | Tok::Imag(_)
            | Tok::Rune(_)
            | Tok::Str(_)
            | Tok::RawStr(_)
            | Tok::Break
            | Tok::Continue
            | Tok::Fallthrough
            | Tok::Return
            | Tok::Inc
            | Tok::Dec
            | Tok::RParen
            | Tok::RBrack
            | Tok::RBrace
    )
}

/// Checks an integer literal's digits and underscores, as Go's scanner does.
fn check_int(raw: &str, lo: usize, diags: &mut Diagnostics) {
    let bytes = raw.as_bytes();
    let (base, name, prefix) = match bytes {
        [b'0', b'x' | b'X', ..] => (16, "hexadecimal literal", 2),
        [b'0', b'b' | b'B', ..] => (2, "binary literal", 2),
        [b'0', b'o' | b'O', ..] => (8, "octal literal", 2),
        [b'0', _, ..] => (8, "octal literal", 1),
        _ => (10, "decimal literal", 0),
    };
    let digits = &bytes[prefix..];
    if prefix == 2 && !digits.iter().any(u8::is_ascii_hexdigit) {
        let at = lo + raw.len();
        diags.error(Span::new(at, at), format!("{name} has no digits"));
        return;
    }
    if let Some(idx) = digits
        .iter()
        .position(|&byte| byte != b'_' && !(byte as char).is_digit(base))
    {
        let at = lo + prefix + idx;
        diags.error(
            Span::new(at, at),
            format!("invalid digit '{}' in {name}", digits[idx] as char),
        );
        return;
    }
    if let Some(at) = invalid_separator(bytes) {
        diags.error(
            Span::new(lo + at, lo + at),
            "'_' must separate successive digits",
        );
    }
}

/// Checks what Go's scanner checks of a floating-point or imaginary literal that the token's
/// pattern lets through: a hexadecimal mantissa needs a `p` exponent (`0x1.8` is an error).
fn check_float(raw: &str, lo: usize, diags: &mut Diagnostics) {
    let bytes = raw.as_bytes();
    let is_hex = matches!(bytes, [b'0', b'x' | b'X', ..]);
    if is_hex && bytes.contains(&b'.') && !bytes.iter().any(|&byte| byte | 0x20 == b'p') {
        let at = lo + raw.trim_end_matches('i').len();
        diags.error(
            Span::new(at, at),
            "hexadecimal mantissa requires a 'p' exponent",
        );
    }
}

/// Returns the index of the first `_` that does not sit between two digits (a base prefix
/// counts as a digit), as Go's `invalidSep`.
fn invalid_separator(lit: &[u8]) -> Option<usize> {
    let mut prev_kind = b'.';
    let mut idx = 0;
    if lit.len() >= 2 && lit[0] == b'0' && matches!(lit[1] | 0x20, b'x' | b'o' | b'b') {
        prev_kind = b'0';
        idx = 2;
    }
    while idx < lit.len() {
        let kind = match lit[idx] {
            b'_' if prev_kind != b'0' => return Some(idx),
            b'_' => b'_',
            byte if byte.is_ascii_hexdigit() => b'0',
            _ if prev_kind == b'_' => return Some(idx - 1),
            _ => b'.',
        };
        prev_kind = kind;
        idx += 1;
    }
    (prev_kind == b'_').then(|| lit.len() - 1)
}

/// Checks a rune literal: exactly one character or escape between the quotes.
fn check_rune(quoted: Quoted, lo: usize, diags: &mut Diagnostics) {
    if !quoted.terminated {
        diags.error(Span::new(lo, lo), "rune literal not terminated");
        return;
    }
    let body = &quoted.raw[1..quoted.raw.len() - 1];
    if body.is_empty() {
        let at = lo + 1;
        diags.error(
            Span::new(at, at),
            "empty rune literal or unescaped ' in rune literal",
        );
        return;
    }
    if !check_escapes(quoted.raw, b'\'', lo, diags) {
        return;
    }
    let n_chars = if body.starts_with('\\') {
        1 + usize::from(escape_len(body) != body.len())
    } else {
        body.chars().count()
    };
    if n_chars != 1 {
        diags.error(Span::new(lo, lo), "more than one character in rune literal");
    }
}

/// Returns the length in bytes of the escape sequence at the start of `text`.
fn escape_len(text: &str) -> usize {
    match text.as_bytes().get(1) {
        Some(b'x') => 4,
        Some(b'u') => 6,
        Some(b'U') => 10,
        Some(b'0'..=b'7') => 4,
        _ => 2,
    }
    .min(text.len())
}

/// Checks the escapes of a quoted literal (quotes included in `raw`), reporting the first bad
/// one as Go does; returns whether all were valid.
fn check_escapes(raw: &str, quote: u8, lo: usize, diags: &mut Diagnostics) -> bool {
    let bytes = raw.as_bytes();
    let end = bytes.len() - 1;
    let mut idx = 1;
    while idx < end {
        if bytes[idx] != b'\\' {
            idx += 1;
            continue;
        }
        let kind = bytes[idx + 1];
        let (n_digits, base, max) = match kind {
            b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' | b'\\' => {
                idx += 2;
                continue;
            }
            _ if kind == quote => {
                idx += 2;
                continue;
            }
            b'0'..=b'7' => (3, 8, 255),
            b'x' => (2, 16, 255),
            b'u' => (4, 16, 0x10FFFF),
            b'U' => (8, 16, 0x10FFFF),
            _ => {
                diags.error(Span::new(lo + idx + 1, lo + idx + 1), "unknown escape");
                return false;
            }
        };
        let start = if base == 8 { idx + 1 } else { idx + 2 };
        let mut value: u32 = 0;
        for digit_idx in start..start + n_digits {
            let digit = if digit_idx < end {
                (bytes[digit_idx] as char).to_digit(base)
            } else {
                None
            };
            let Some(digit) = digit else {
                let ch = if digit_idx < end {
                    raw[digit_idx..].chars().next().unwrap_or('\0')
                } else {
                    quote as char
                };
                let base_name = if base == 8 { "octal" } else { "hexadecimal" };
                diags.error(
                    Span::new(lo + digit_idx, lo + digit_idx),
                    format!("invalid character {ch:?} in {base_name} escape"),
                );
                return false;
            };
            value = value * base + digit;
        }
        idx = start + n_digits;
        if base == 8 && value > max {
            diags.error(
                Span::new(lo + idx, lo + idx),
                format!("octal escape value {value} > 255"),
            );
            return false;
        }
        if value > max || (0xD800..0xE000).contains(&value) {
            diags.error(
                Span::new(lo + idx, lo + idx),
                format!("escape is invalid Unicode code point U+{value:04X}"),
            );
            return false;
        }
    }
    true
}

/// Returns the bytes a quoted literal stands for: its escapes decoded, a raw string's carriage
/// returns removed, non-ASCII characters as their UTF-8 bytes. Invalid escapes, already
/// reported by the lexer, decode to nothing.
pub fn unquote(raw: &str) -> Vec<u8> {
    let bytes = raw.as_bytes();
    if bytes.first() == Some(&b'`') {
        let end = if bytes.len() > 1 && bytes[bytes.len() - 1] == b'`' {
            bytes.len() - 1
        } else {
            bytes.len()
        };
        return bytes[1..end]
            .iter()
            .copied()
            .filter(|&b| b != b'\r')
            .collect();
    }
    let quote = bytes[0];
    let end = if bytes.len() > 1 && bytes[bytes.len() - 1] == quote {
        bytes.len() - 1
    } else {
        bytes.len()
    };
    let mut out = Vec::with_capacity(end);
    let mut idx = 1;
    while idx < end {
        let byte = bytes[idx];
        if byte != b'\\' || idx + 1 >= end {
            out.push(byte);
            idx += 1;
            continue;
        }
        let kind = bytes[idx + 1];
        let simple = match kind {
            b'a' => Some(7),
            b'b' => Some(8),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(11),
            b'\\' | b'\'' | b'"' => Some(kind),
            _ => None,
        };
        if let Some(value) = simple {
            out.push(value);
            idx += 2;
            continue;
        }
        let (start, n_digits, base) = match kind {
            b'0'..=b'7' => (idx + 1, 3, 8),
            b'x' => (idx + 2, 2, 16),
            b'u' => (idx + 2, 4, 16),
            b'U' => (idx + 2, 8, 16),
            _ => {
                idx += 2;
                continue;
            }
        };
        let digits = raw.get(start..(start + n_digits).min(end)).unwrap_or("");
        let value = u32::from_str_radix(digits, base).unwrap_or(0);
        idx = start + n_digits;
        if kind == b'u' || kind == b'U' {
            let ch = char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER);
            out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
        } else {
            out.push(value as u8);
        }
    }
    out
}

/// Returns the code point a rune literal (quotes included) stands for, as Go's `'\x80'` is
/// 128 and `'é'` 233; `None` for a malformed literal, which the lexer reported.
pub fn rune_value(raw: &str) -> Option<u32> {
    let body = raw.strip_prefix('\'')?.strip_suffix('\'')?;
    let Some(escape) = body.strip_prefix('\\') else {
        let mut chars = body.chars();
        let ch = chars.next()?;
        return chars.next().is_none().then_some(ch as u32);
    };
    let kind = escape.as_bytes().first()?;
    let simple = match kind {
        b'a' => Some(7),
        b'b' => Some(8),
        b'f' => Some(12),
        b'n' => Some(u32::from(b'\n')),
        b'r' => Some(u32::from(b'\r')),
        b't' => Some(u32::from(b'\t')),
        b'v' => Some(11),
        b'\\' | b'\'' => Some(u32::from(*kind)),
        _ => None,
    };
    if let Some(value) = simple {
        return (escape.len() == 1).then_some(value);
    }
    let (digits, base, max) = match kind {
        b'0'..=b'7' => (escape, 8, 255),
        b'x' => (&escape[1..], 16, 255),
        b'u' | b'U' => (&escape[1..], 16, 0x10FFFF),
        _ => return None,
    };
    let n_digits = match kind {
        b'x' => 2,
        b'u' => 4,
        b'U' => 8,
        _ => 3,
    };
    if digits.len() != n_digits {
        return None;
    }
    let value = u32::from_str_radix(digits, base).ok()?;
    (value <= max && !(0xD800..0xE000).contains(&value)).then_some(value)
}

#[cfg(test)]
mod tests;

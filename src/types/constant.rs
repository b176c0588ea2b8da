//! Exact values of constant expressions.
//!
//! Untyped integer constants are arbitrary-precision integers, bounded to 512 bits as gc bounds
//! them (the checker reports `constant … overflow` past that). Typed constants hold the same
//! representation, and the checker keeps them within their type's range.

use std::fmt::Write;

use num_bigint::BigInt;
use num_traits::{ToPrimitive, Zero};

/// The precision gc gives untyped integer constants, in bits.
pub const MAX_BITS: u64 = 512;

/// A constant value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConstValue {
    /// A boolean.
    Bool(bool),
    /// An integer of any size.
    Int(BigInt),
    /// A byte string.
    Str(Box<[u8]>),
}

impl ConstValue {
    /// Returns the integer, if this is one that fits in 64 bits.
    pub fn to_i64(&self) -> Option<i64> {
        match self {
            ConstValue::Int(value) => value.to_i64(),
            _ => None,
        }
    }

    /// Returns the integer value; the checker guarantees the kind.
    pub fn as_int(&self) -> &BigInt {
        match self {
            ConstValue::Int(value) => value,
            other => panic!("constant {other:?} is not an integer"),
        }
    }

    /// Returns whether an integer constant needs more than [`MAX_BITS`] bits.
    pub fn overflows_precision(&self) -> bool {
        matches!(self, ConstValue::Int(value) if value.bits() > MAX_BITS)
    }

    /// Returns whether this is the integer zero.
    pub fn is_zero(&self) -> bool {
        matches!(self, ConstValue::Int(value) if value.is_zero())
    }
}

impl std::fmt::Display for ConstValue {
    /// Formats the value as Go's `constant.Value.String` does: strings quoted and shortened to
    /// 72 characters.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConstValue::Bool(value) => write!(f, "{value}"),
            ConstValue::Int(value) => write!(f, "{value}"),
            ConstValue::Str(bytes) => {
                const MAX_LEN: usize = 72;
                let quoted = quote(bytes);
                if quoted.chars().count() > MAX_LEN {
                    let cut: String = quoted.chars().take(MAX_LEN - 3).collect();
                    write!(f, "{cut}...")
                } else {
                    f.write_str(&quoted)
                }
            }
        }
    }
}

/// Quotes bytes as Go's `strconv.Quote`: printable characters as they are, the usual
/// backslash escapes, invalid UTF-8 as `\x` escapes.
pub fn quote(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for chunk in bytes.utf8_chunks() {
        for ch in chunk.valid().chars() {
            match ch {
                '\x07' => out.push_str("\\a"),
                '\x08' => out.push_str("\\b"),
                '\x0c' => out.push_str("\\f"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\x0b' => out.push_str("\\v"),
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                ch if is_printable(ch) => out.push(ch),
                ch if (ch as u32) < 0x80 => {
                    let _ = write!(out, "\\x{:02x}", ch as u32);
                }
                ch if (ch as u32) < 0x10000 => {
                    let _ = write!(out, "\\u{:04x}", ch as u32);
                }
                ch => {
                    let _ = write!(out, "\\U{:08x}", ch as u32);
                }
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out.push('"');
    out
}

/// Approximates Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the
/// ASCII space.
fn is_printable(ch: char) -> bool {
    if ch.is_ascii() {
        return (' '..='~').contains(&ch);
    }
    !ch.is_control() && !ch.is_whitespace() && !matches!(ch as u32, 0xAD | 0xFFFE..=0xFFFF)
}

//! Exact values of constant expressions.
//!
//! Untyped integer constants are arbitrary-precision integers, bounded to 512 bits as gc bounds
//! them (the checker reports `constant … overflow` past that). Typed constants hold the same
//! representation, and the checker keeps them within their type's range.
//!
//! An integer is a machine word while it fits one, as nearly every constant of a program
//! does, and a big number only beyond: a literal then costs no allocation, and arithmetic on
//! words is a checked machine operation that falls back to big numbers on overflow.

use std::cmp::Ordering;
use std::fmt::Write;
use std::ops;
use std::sync::{Arc, OnceLock};

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

/// The precision gc gives untyped integer constants, in bits.
pub const MAX_BITS: u64 = 512;

/// A constant value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConstValue {
    /// A boolean.
    Bool(bool),
    /// An integer of any size.
    Int(Int),
    /// A byte string.
    Str(ConstStr),
}

/// A constant string, shared rather than copied: every expression that uses a constant holds
/// the same bytes, and a concatenation is a node over its operands, made into bytes once,
/// when first read, as `go/constant` builds its strings. A chain of `"..." + "..."` lines
/// thus costs one node per `+` and, at most, one copy of the bytes of the expressions that
/// are read, rather than a copy at every step of the chain.
///
/// Invariant: `len` is the number of bytes; a leaf's `flat` is set from the start.
#[derive(Clone)]
pub struct ConstStr(Arc<StrNode>);

struct StrNode {
    len: usize,
    /// The operands of a concatenation; `None` for a leaf.
    parts: Option<(ConstStr, ConstStr)>,
    /// The bytes, once read.
    flat: OnceLock<Arc<[u8]>>,
}

impl ConstStr {
    /// Returns a string of these bytes.
    pub fn new(bytes: Arc<[u8]>) -> ConstStr {
        ConstStr(Arc::new(StrNode {
            len: bytes.len(),
            parts: None,
            flat: OnceLock::from(bytes),
        }))
    }

    /// Returns `self + other`, without copying either.
    pub fn concat(&self, other: &ConstStr) -> ConstStr {
        if other.is_empty() {
            return self.clone();
        }
        if self.is_empty() {
            return other.clone();
        }
        ConstStr(Arc::new(StrNode {
            len: self.len() + other.len(),
            parts: Some((self.clone(), other.clone())),
            flat: OnceLock::new(),
        }))
    }

    /// Returns the number of bytes.
    pub fn len(&self) -> usize {
        self.0.len
    }

    /// Returns whether the string is empty.
    pub fn is_empty(&self) -> bool {
        self.0.len == 0
    }

    /// Returns the bytes, joining a concatenation's parts on the first call. The walk keeps
    /// its own stack: a chain of concatenations is as deep as the source is long.
    pub fn bytes(&self) -> &Arc<[u8]> {
        self.0.flat.get_or_init(|| {
            let mut out = Vec::with_capacity(self.0.len);
            let mut pending = vec![self];
            while let Some(node) = pending.pop() {
                match (node.0.flat.get(), &node.0.parts) {
                    (Some(bytes), _) => out.extend_from_slice(bytes),
                    (None, Some((left, right))) => {
                        pending.push(right);
                        pending.push(left);
                    }
                    (None, None) => unreachable!("a leaf holds its bytes"),
                }
            }
            out.into()
        })
    }
}

impl Drop for StrNode {
    /// Drops a chain of concatenations without recursing once per link.
    fn drop(&mut self) {
        let mut pending: Vec<ConstStr> = Vec::new();
        if let Some((left, right)) = self.parts.take() {
            pending.extend([left, right]);
        }
        while let Some(part) = pending.pop() {
            if let Some(mut node) = Arc::into_inner(part.0)
                && let Some((left, right)) = node.parts.take()
            {
                pending.extend([left, right]);
            }
        }
    }
}

impl PartialEq for ConstStr {
    fn eq(&self, other: &ConstStr) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
            || (self.len() == other.len() && self.bytes() == other.bytes())
    }
}

impl Eq for ConstStr {}

impl Ord for ConstStr {
    fn cmp(&self, other: &ConstStr) -> Ordering {
        self.bytes().cmp(other.bytes())
    }
}

impl PartialOrd for ConstStr {
    fn partial_cmp(&self, other: &ConstStr) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Debug for ConstStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&quote(self.bytes()))
    }
}

/// An exact integer.
///
/// Invariant: `Small` whenever the value fits an `i64`, so equal values are equal variants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Int {
    /// A value that fits a word.
    Small(i64),
    /// A value that does not.
    Big(Box<BigInt>),
}

impl Int {
    /// Returns the value as a big number.
    fn big(&self) -> BigInt {
        match self {
            Int::Small(value) => BigInt::from(*value),
            Int::Big(value) => (**value).clone(),
        }
    }

    /// Returns the value, as a word if it fits one.
    fn normalized(value: BigInt) -> Int {
        match value.to_i64() {
            Some(small) => Int::Small(small),
            None => Int::Big(Box::new(value)),
        }
    }

    /// Returns the value if it fits an `i64`.
    pub fn to_i64(&self) -> Option<i64> {
        match self {
            Int::Small(value) => Some(*value),
            Int::Big(_) => None,
        }
    }

    /// Returns the value if it fits a `u64`.
    pub fn to_u64(&self) -> Option<u64> {
        match self {
            Int::Small(value) => u64::try_from(*value).ok(),
            Int::Big(value) => value.to_u64(),
        }
    }

    /// Returns the number of bits of the magnitude.
    pub fn bits(&self) -> u64 {
        match self {
            Int::Small(value) => u64::from(64 - value.unsigned_abs().leading_zeros()),
            Int::Big(value) => value.bits(),
        }
    }

    /// Reports whether the value is below zero.
    pub fn is_negative(&self) -> bool {
        match self {
            Int::Small(value) => *value < 0,
            Int::Big(value) => value.is_negative(),
        }
    }

    /// Reports whether the value is zero.
    pub fn is_zero(&self) -> bool {
        matches!(self, Int::Small(0))
    }

    /// Returns `op(self, other)` on words, or `big(self, other)` on big numbers when a word
    /// operand is missing or the word operation overflows.
    fn apply(
        self,
        other: Int,
        op: fn(i64, i64) -> Option<i64>,
        big: fn(BigInt, BigInt) -> BigInt,
    ) -> Int {
        if let (Int::Small(a), Int::Small(b)) = (&self, &other)
            && let Some(value) = op(*a, *b)
        {
            return Int::Small(value);
        }
        Int::normalized(big(self.big(), other.big()))
    }
}

impl From<i64> for Int {
    fn from(value: i64) -> Int {
        Int::Small(value)
    }
}

impl From<u64> for Int {
    fn from(value: u64) -> Int {
        match i64::try_from(value) {
            Ok(small) => Int::Small(small),
            Err(_) => Int::Big(Box::new(BigInt::from(value))),
        }
    }
}

impl From<usize> for Int {
    fn from(value: usize) -> Int {
        Int::from(value as u64)
    }
}

impl From<BigInt> for Int {
    fn from(value: BigInt) -> Int {
        Int::normalized(value)
    }
}

impl Ord for Int {
    fn cmp(&self, other: &Int) -> Ordering {
        match (self, other) {
            (Int::Small(a), Int::Small(b)) => a.cmp(b),
            // A big value lies outside the range of words.
            (Int::Small(_), Int::Big(b)) => {
                if b.is_negative() {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (Int::Big(a), Int::Small(_)) => {
                if a.is_negative() {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (Int::Big(a), Int::Big(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for Int {
    fn partial_cmp(&self, other: &Int) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Int {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Int::Small(value) => write!(f, "{value}"),
            Int::Big(value) => write!(f, "{value}"),
        }
    }
}

/// Binary operators as the big numbers define them: division truncates toward zero, the
/// remainder takes the dividend's sign, bitwise operators act on two's complement. The
/// words' operations agree wherever they do not overflow.
macro_rules! int_operator {
    ($($trait:ident $method:ident $word:expr, $big:expr;)*) => {$(
        impl ops::$trait for Int {
            type Output = Int;
            fn $method(self, other: Int) -> Int {
                self.apply(other, $word, $big)
            }
        }
    )*};
}
int_operator! {
    Add add i64::checked_add, |a, b| a + b;
    Sub sub i64::checked_sub, |a, b| a - b;
    Mul mul i64::checked_mul, |a, b| a * b;
    Div div i64::checked_div, |a, b| a / b;
    Rem rem i64::checked_rem, |a, b| a % b;
    BitAnd bitand |a, b| Some(a & b), |a, b| a & b;
    BitOr bitor |a, b| Some(a | b), |a, b| a | b;
    BitXor bitxor |a, b| Some(a ^ b), |a, b| a ^ b;
}

impl ops::Neg for Int {
    type Output = Int;
    fn neg(self) -> Int {
        match self {
            Int::Small(value) if value != i64::MIN => Int::Small(-value),
            other => Int::normalized(-other.big()),
        }
    }
}

/// Two's complement: `!x` is `-x - 1`.
impl ops::Not for Int {
    type Output = Int;
    fn not(self) -> Int {
        match self {
            Int::Small(value) => Int::Small(!value),
            Int::Big(value) => Int::normalized(!*value),
        }
    }
}

impl ops::Shl<u64> for Int {
    type Output = Int;
    fn shl(self, count: u64) -> Int {
        if let Int::Small(value) = self
            && count < 64
            && (value << count) >> count == value
        {
            return Int::Small(value << count);
        }
        Int::normalized(self.big() << count)
    }
}

/// Rounds toward negative infinity, as an arithmetic shift does.
impl ops::Shr<u64> for Int {
    type Output = Int;
    fn shr(self, count: u64) -> Int {
        match self {
            Int::Small(value) => Int::Small(value >> count.min(63)),
            Int::Big(value) => Int::normalized(*value >> count),
        }
    }
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
    pub fn as_int(&self) -> &Int {
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
            ConstValue::Str(string) => {
                const MAX_LEN: usize = 72;
                // A byte quotes to at least one character of every four, so the first
                // 4 * MAX_LEN bytes decide what is shown.
                let bytes = string.bytes();
                let quoted = quote(&bytes[..bytes.len().min(4 * MAX_LEN + 4)]);
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

#[cfg(test)]
mod tests;

//! Characters outside ASCII as Go sees them: which ones Go allows in identifiers, and how
//! Go names a character in a message.
//!
//! Go's scanner takes every character outside ASCII into an identifier, so that a stray
//! character does not derail the parser, and then reports those that are neither letters
//! nor decimal digits, and a digit that begins the identifier. The classes come from Go's
//! own tables (`tables`, generated from the Go toolchain by `tests/oracle/unicode.sh`), not
//! from Rust's: `char::is_alphabetic` also takes, for one, the vowel signs of Indic scripts,
//! which Go rejects in identifiers.

mod tables;

/// Go's class of a character, as far as identifiers and messages tell them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// A letter (Go's `unicode.IsLetter`), or `_`, which identifiers take as one.
    Letter,
    /// A decimal digit of any script (`unicode.IsDigit`).
    Digit,
    /// Neither, and printed by Go's `%#U` (`strconv.IsPrint`).
    Other,
    /// Neither, and not printed by `%#U`: controls, spaces other than U+0020, format
    /// characters, unassigned code points.
    Unprintable,
}

/// Returns Go's class of `ch`.
pub(crate) fn class(ch: char) -> Class {
    match ch {
        'A'..='Z' | 'a'..='z' | '_' => Class::Letter,
        '0'..='9' => Class::Digit,
        ' '..='~' => Class::Other,
        '\0'..='\x7f' => Class::Unprintable,
        _ => {
            // The first run starts at U+0080, so some run holds every other character.
            let code = ch as u32;
            let idx = tables::RUNS.partition_point(|&(start, _)| start <= code);
            tables::RUNS[idx - 1].1
        }
    }
}

/// Returns whether `name` is a valid Go identifier (`isValidName` of Go's type checker):
/// letters, and decimal digits after the first character.
pub(crate) fn is_valid_name(name: &str) -> bool {
    name.chars().enumerate().all(|(idx, ch)| match class(ch) {
        Class::Letter => true,
        Class::Digit => idx > 0,
        Class::Other | Class::Unprintable => false,
    })
}

/// Formats a character as Go's `%#U` verb does: `U+00E9 'é'`, or `U+00A0` for one that
/// does not print.
pub(crate) fn char_name(ch: char) -> String {
    match class(ch) {
        Class::Unprintable => format!("U+{:04X}", ch as u32),
        Class::Letter | Class::Digit | Class::Other => format!("U+{:04X} '{ch}'", ch as u32),
    }
}

#[cfg(test)]
mod tests;

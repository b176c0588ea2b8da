//! Unit tests of Go's character classes, against what Go 1.27 prints for each character
//! (`%#U`, `unicode.IsLetter`, `unicode.IsDigit`).

use super::*;

#[test]
fn characters_are_classed_and_named_as_go_does() {
    let cases = [
        ('é', Class::Letter, "U+00E9 'é'"),
        ('世', Class::Letter, "U+4E16 '世'"),
        ('٣', Class::Digit, "U+0663 '٣'"),
        // A letter number and a superscript digit: neither letters nor decimal digits.
        ('Ⅻ', Class::Other, "U+216B 'Ⅻ'"),
        ('²', Class::Other, "U+00B2 '²'"),
        // A Devanagari vowel sign: alphabetic to Rust, not a letter to Go.
        ('\u{093E}', Class::Other, "U+093E 'ा'"),
        ('€', Class::Other, "U+20AC '€'"),
        ('\u{E0100}', Class::Other, "U+E0100 '\u{E0100}'"),
        ('\u{A0}', Class::Unprintable, "U+00A0"),
        ('\u{200B}', Class::Unprintable, "U+200B"),
        ('\u{378}', Class::Unprintable, "U+0378"),
        ('\u{10FFFF}', Class::Unprintable, "U+10FFFF"),
        ('\u{7F}', Class::Unprintable, "U+007F"),
        ('@', Class::Other, "U+0040 '@'"),
    ];
    for (ch, class_of, name) in cases {
        assert_eq!(class(ch), class_of, "{name}");
        assert_eq!(char_name(ch), name);
    }
}

#[test]
fn valid_names_are_go_identifiers() {
    for name in ["x", "_", "café", "x٣", "世界"] {
        assert!(is_valid_name(name), "{name}");
    }
    for name in ["٣x", "a€", "xⅫ", "a\u{A0}b"] {
        assert!(!is_valid_name(name), "{name}");
    }
}

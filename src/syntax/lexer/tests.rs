//! Unit tests of the lexer: semicolon insertion, literal checks, unquoting.

use super::*;

/// Returns the tokens of `text` as short strings, and the lexical errors.
fn lex(text: &str) -> (Vec<String>, Vec<String>) {
    let mut lexer = Lexer::new(text);
    let tokens = lexer
        .by_ref()
        .map(|item| {
            let (_, tok, _) = item.expect("the lexer never fails");
            match tok {
                Tok::Semi(true) => "⏎".to_string(),
                Tok::Semi(false) => ";".to_string(),
                Tok::Ident(name) => name.text.to_string(),
                Tok::Int(raw) => raw.to_string(),
                Tok::Str(quoted) | Tok::RawStr(quoted) => quoted.raw.to_string(),
                other => format!("{other:?}"),
            }
        })
        .collect();
    let errors = lexer
        .diags
        .sorted()
        .into_iter()
        .map(|diag| format!("{}: {}", diag.span.lo, diag.message))
        .collect();
    (tokens, errors)
}

#[test]
fn semicolons_are_inserted_after_line_final_tokens() {
    let (tokens, errors) = lex("x := f(1)\nreturn\n}\ny++ // c\nz\n");
    assert_eq!(
        tokens,
        [
            "x", "Define", "f", "LParen", "1", "RParen", "⏎", "Return", "⏎", "RBrace", "⏎", "y",
            "Inc", "⏎", "z", "⏎"
        ]
    );
    assert!(errors.is_empty());
}

#[test]
fn no_semicolon_after_operators_or_open_brackets() {
    let (tokens, _) = lex("a +\nb(\n)");
    assert_eq!(tokens, ["a", "Add", "b", "LParen", "RParen", "⏎"]);
}

#[test]
fn multiline_block_comment_ends_a_line() {
    let (tokens, _) = lex("x /* a\nb */ y");
    assert_eq!(tokens, ["x", "⏎", "y", "⏎"]);
    let (tokens, _) = lex("x /* a b */ y");
    assert_eq!(tokens, ["x", "y", "⏎"]);
}

#[test]
fn integer_literals_are_checked_as_go_checks_them() {
    let cases = [
        ("0x", "2: hexadecimal literal has no digits"),
        ("09", "1: invalid digit '9' in octal literal"),
        ("1__2", "2: '_' must separate successive digits"),
        ("1_", "1: '_' must separate successive digits"),
        ("0b12", "3: invalid digit '2' in binary literal"),
    ];
    for (text, error) in cases {
        let (_, errors) = lex(text);
        assert_eq!(errors, [error], "{text}");
    }
    for valid in ["0x_1F", "0o17", "017", "1_000", "0b1010", "0"] {
        assert_eq!(lex(valid).1, Vec::<String>::new(), "{valid}");
    }
}

#[test]
fn string_escapes_are_checked_and_decoded() {
    assert_eq!(lex(r#""a\qb""#).1, ["3: unknown escape"]);
    assert_eq!(lex(r#""\400""#).1, ["5: octal escape value 256 > 255"]);
    assert_eq!(lex("\"abc\nx").1, ["4: newline in string"]);
    assert_eq!(
        unquote(r#""\x41\101\u00e9\n\"""#),
        b"AA\xc3\xa9\n\"".to_vec()
    );
    assert_eq!(unquote("`a\r\nb`"), b"a\nb".to_vec());
}

#[test]
fn invalid_characters_are_reported_and_skipped() {
    let (tokens, errors) = lex("a @ b");
    assert_eq!(tokens, ["a", "b", "⏎"]);
    assert_eq!(errors, ["2: invalid character U+0040 '@'"]);
}

#[test]
fn an_identifier_with_characters_outside_ascii_is_one_token() {
    // A valid Go name: one error, where the name first appears.
    let (tokens, errors) = lex("é := café + é\nfuncé");
    assert_eq!(
        tokens,
        ["é", "Define", "café", "Add", "é", "⏎", "funcé", "⏎"]
    );
    assert_eq!(
        errors,
        [
            "0: non-ASCII character U+00E9 'é' in identifier é is not supported",
            "9: non-ASCII character U+00E9 'é' in identifier café is not supported",
            "21: non-ASCII character U+00E9 'é' in identifier funcé is not supported",
        ]
    );
    // Characters Go does not take in identifiers: Go's errors, at each occurrence.
    let (tokens, errors) = lex("a€ ٣x a€");
    assert_eq!(tokens, ["a€", "٣x", "a€", "⏎"]);
    assert_eq!(
        errors,
        [
            "1: invalid character U+20AC '€' in identifier",
            "5: identifier cannot begin with digit U+0663 '٣'",
            "10: invalid character U+20AC '€' in identifier",
        ]
    );
}

#[test]
fn rune_literals_stand_for_their_code_points() {
    let cases = [
        ("'a'", Some(97)),
        ("'\\n'", Some(10)),
        ("'\\''", Some(39)),
        ("'\\\\'", Some(92)),
        ("'\\x41'", Some(65)),
        // A `\x` or octal escape is a byte value, not a UTF-8 sequence.
        ("'\\xff'", Some(255)),
        ("'\\101'", Some(65)),
        ("'\\u00e9'", Some(233)),
        ("'\\U0001F600'", Some(0x1F600)),
        ("'é'", Some(233)),
        ("'世'", Some(19990)),
        // Malformed literals, which the lexer reports, have no value.
        ("''", None),
        ("'ab'", None),
        ("'\\q'", None),
        ("'\\x4'", None),
        ("'\\ud800'", None),
        ("'\\400'", None),
        ("'a", None),
    ];
    for (literal, value) in cases {
        assert_eq!(rune_value(literal), value, "{literal}");
    }
}

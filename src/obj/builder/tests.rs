//! Tests of the builder: ids from declarations, forward references, and the checks that
//! every symbol is defined exactly once.

use super::*;
use crate::obj::link::RelocKind;

fn code(bytes: &[u8], relocs: Vec<Reloc>) -> Definition {
    Definition {
        section: Section::Code,
        align: 16,
        bytes: bytes.to_vec(),
        relocs,
    }
}

fn pc32(offset: u32, target: SymId) -> Reloc {
    Reloc {
        offset,
        kind: RelocKind::Pc32,
        target,
        addend: -4,
    }
}

/// `call exit42` (with a `nop` first, so the call is not at the unit's start), then
/// `exit42: exit(42)`.
const START: [u8; 6] = [0x90, 0xe8, 0x00, 0x00, 0x00, 0x00];
const EXIT42: [u8; 12] = [
    0xbf, 0x2a, 0x00, 0x00, 0x00, // mov edi, 42
    0xb8, 0x3c, 0x00, 0x00, 0x00, // mov eax, 60 (exit)
    0x0f, 0x05, // syscall
];

#[test]
fn ids_are_numbered_in_declaration_order() {
    let mut builder = Builder::new();
    let first = builder.declare("first");
    let second = builder.push("second", code(&EXIT42, Vec::new()));
    let third = builder.declare("third");
    assert_eq!([first, second, third], [SymId(0), SymId(1), SymId(2)]);
}

/// A unit refers to a symbol declared before it and defined after it, and the image is the
/// one `link` makes of the units in declaration order.
#[test]
fn a_forward_reference_resolves_to_the_declared_symbol() {
    let mut builder = Builder::new();
    let start = builder.declare("start");
    let exit42 = builder.declare("exit42");
    builder.define(start, code(&START, vec![pc32(2, exit42)]));
    builder.define(exit42, code(&EXIT42, Vec::new()));
    let image = builder.link(start).expect("links");

    let units = [
        Unit {
            name: "start".into(),
            section: Section::Code,
            align: 16,
            bytes: START.to_vec(),
            relocs: vec![pc32(2, SymId(1))],
        },
        Unit {
            name: "exit42".into(),
            section: Section::Code,
            align: 16,
            bytes: EXIT42.to_vec(),
            relocs: Vec::new(),
        },
    ];
    assert_eq!(image, link::link(&units, SymId(0)).expect("links"));
    // The call's displacement reaches exit42, at 16, from the end of the call, at 6.
    let call = i32::from_le_bytes(image.text()[2..6].try_into().expect("4 bytes"));
    assert_eq!(call, 16 - 6);
}

/// Definitions may come in any order: the layout follows the declarations.
#[test]
fn the_layout_follows_declarations_not_definitions() {
    let mut builder = Builder::new();
    let start = builder.declare("start");
    let exit42 = builder.declare("exit42");
    builder.define(exit42, code(&EXIT42, Vec::new()));
    builder.define(start, code(&START, vec![pc32(2, exit42)]));
    let image = builder.link(start).expect("links");
    assert_eq!(image.entry, Image::text_addr());
    assert_eq!(&image.text()[16..28], &EXIT42);
}

#[test]
fn a_symbol_declared_and_never_defined_fails_the_link() {
    let mut builder = Builder::new();
    let start = builder.declare("start");
    let exit42 = builder.declare("exit42");
    builder.define(start, code(&START, vec![pc32(2, exit42)]));
    assert_eq!(
        builder.link(start),
        Err(LinkError::Undefined {
            name: "exit42".to_string()
        })
    );
}

#[test]
fn a_symbol_defined_twice_fails_the_link() {
    let mut builder = Builder::new();
    let exit42 = builder.push("exit42", code(&EXIT42, Vec::new()));
    builder.define(exit42, code(&EXIT42, Vec::new()));
    assert_eq!(
        builder.link(exit42),
        Err(LinkError::DefinedTwice {
            name: "exit42".to_string()
        })
    );
}

/// Ids come only from declarations: defining any other is a bug in the caller.
#[test]
fn defining_an_undeclared_id_panics() {
    let mut builder = Builder::new();
    builder.declare("start");
    let defined = std::panic::catch_unwind(move || {
        builder.define(SymId(1), code(&EXIT42, Vec::new()));
    });
    assert!(defined.is_err());
}

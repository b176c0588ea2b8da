//! The function table's layout, word by word, for a leaf and a function with two calls.

use super::*;
use crate::amd64::emit::SafePoint;

/// The relocation at word `word` of the table, as (target, addend).
fn reloc_at(relocs: &[Reloc], word: usize) -> (SymId, i64) {
    let reloc = relocs
        .iter()
        .find(|reloc| reloc.offset as usize == 8 * word)
        .unwrap_or_else(|| panic!("no relocation at word {word}"));
    assert_eq!(reloc.kind, RelocKind::Abs64);
    (reloc.target, reloc.addend)
}

#[test]
fn the_table_lists_entries_frames_safepoints_and_pointer_words() {
    let leaf = MachineCode {
        bytes: vec![0; 10],
        ..MachineCode::default()
    };
    // Two calls with pointers live: BX and two frame words, then R12 alone.
    let caller = MachineCode {
        bytes: vec![0; 40],
        safepoints: vec![
            SafePoint {
                ret: 12,
                regs: 1 << 3,
                words: (0, 2),
            },
            SafePoint {
                ret: 30,
                regs: 1 << 12,
                words: (2, 2),
            },
        ],
        live_words: vec![1, 4],
        frame: 48,
        saved: 1 << 3 | 1 << 12,
        ..MachineCode::default()
    };
    let funcs = [(SymId(7), &leaf), (SymId(9), &caller)];
    // A string (pointer, length) and a closure.
    let globals: [(SymId, &[bool]); 2] = [(SymId(20), &[true, false]), (SymId(21), &[true])];
    let (words, relocs) = encode(&funcs, &globals);
    assert_eq!(&words[..2], &[2, 2]);
    // The entries, then the end of the last function.
    assert_eq!(reloc_at(&relocs, 2), (SymId(7), 0));
    assert_eq!(reloc_at(&relocs, 3), (SymId(9), 0));
    assert_eq!(reloc_at(&relocs, 4), (SymId(9), 40));
    // The pointer words of the package variables, after the info offsets.
    assert_eq!(reloc_at(&relocs, 7), (SymId(20), 0));
    assert_eq!(reloc_at(&relocs, 8), (SymId(21), 0));
    assert_eq!(relocs.len(), 5);
    let info = |idx: usize| &words[words[5 + idx] as usize / 8..];
    assert_eq!(&info(0)[..3], &[0, 0, 0]);
    // Frame, saved registers, two safepoints: return offset, registers, frame words.
    let caller_info = [48, 1 << 3 | 1 << 12, 2, 12, 1 << 3, 2, 1, 4, 30, 1 << 12, 0];
    assert_eq!(&info(1)[..11], &caller_info);
    assert_eq!(words.len(), words[6] as usize / 8 + 11);
}

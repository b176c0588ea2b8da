//! The function table (`runtime.functab`), which the linker writes for the collector, as
//! Go's linker writes `pclntab` for `findfunc` and the stack maps beside it: how to unwind
//! each compiled function's frame, which words hold pointers at each of its calls, and the
//! package variables' pointer words (Go's `gcdata`/`gcbss`).
//!
//! Only the compiled functions are listed: the assembly runtime allocates nothing and
//! calls no compiled code, so a collection (which starts inside `mallocgc`, written in
//! Toy) finds compiled frames only, up to the entry's call of `main.main` or `main.init`,
//! whose return address no entry covers. The compiled functions are the last of the code,
//! in layout order, so their entries are in increasing order.
//!
//! Every field is a little-endian word, so that the runtime reads it with `sys.Load`:
//!
//! ```text
//! 0   n: the number of functions
//! 8   g: the number of package-variable words that hold pointers
//! 16  entries: n + 1 addresses: each function's first byte, then the end of the last
//!     [n] info offsets: per function, where its info starts, from the table's start
//!     [g] the addresses of the package-variable words that hold pointers
//!     infos: per function:
//!         frame (the bytes reserved below the saved registers), saved (the pushed
//!         callee-saved registers, a mask by hardware number, pushed in increasing order),
//!         k (its safepoints), then per safepoint: its return address less the entry,
//!         regs (a mask of the callee-saved registers holding live pointers), m, and the
//!         m frame words holding live pointers, counted from the stack pointer of the call
//! ```

use crate::amd64::MachineCode;
use crate::obj::builder::{Builder, Definition};
use crate::obj::link::{Reloc, RelocKind, Section, SymId};

/// Defines the declared symbol `id` as the table of the compiled functions `funcs` (their
/// symbols and code, in layout order) and of the package variables `globals` (their
/// symbols and which of their words are pointers).
pub(crate) fn define(
    builder: &mut Builder,
    id: SymId,
    funcs: &[(SymId, &MachineCode)],
    globals: &[(SymId, &[bool])],
) {
    let (words, relocs) = encode(funcs, globals);
    builder.define(
        id,
        Definition {
            section: Section::ReadOnly,
            align: 8,
            bytes: words.iter().flat_map(|word| word.to_le_bytes()).collect(),
            relocs,
        },
    );
}

/// Returns the table's words, the addresses zero, and the relocations that fill them.
fn encode(funcs: &[(SymId, &MachineCode)], globals: &[(SymId, &[bool])]) -> (Vec<u64>, Vec<Reloc>) {
    let n = funcs.len();
    let pointer_words: Vec<(SymId, usize)> = globals
        .iter()
        .flat_map(|&(global, words)| {
            words
                .iter()
                .enumerate()
                .filter(|&(_, &ptr)| ptr)
                .map(move |(word, _)| (global, word))
        })
        .collect();
    let mut words: Vec<u64> = vec![n as u64, pointer_words.len() as u64];
    let mut relocs = Vec::with_capacity(2 * n + pointer_words.len() + 1);
    let mut abs = |words: &mut Vec<u64>, target: SymId, addend: usize| {
        relocs.push(Reloc {
            offset: (8 * words.len()) as u32,
            kind: RelocKind::Abs64,
            target,
            addend: addend as i64,
        });
        words.push(0);
    };
    for &(func, _) in funcs {
        abs(&mut words, func, 0);
    }
    match funcs.last() {
        Some(&(last, code)) => abs(&mut words, last, code.bytes.len()),
        None => words.push(0),
    }
    let offsets = words.len();
    words.resize(offsets + n, 0);
    for &(global, word) in &pointer_words {
        abs(&mut words, global, 8 * word);
    }
    for (idx, &(_, code)) in funcs.iter().enumerate() {
        words[offsets + idx] = 8 * words.len() as u64;
        words.extend([
            u64::from(code.frame),
            u64::from(code.saved),
            code.safepoints.len() as u64,
        ]);
        for safepoint in &code.safepoints {
            let live = code.live_words_of(safepoint);
            words.extend([
                u64::from(safepoint.ret),
                u64::from(safepoint.regs),
                live.len() as u64,
            ]);
            words.extend(live.iter().map(|&word| u64::from(word)));
        }
    }
    (words, relocs)
}

#[cfg(test)]
mod tests;

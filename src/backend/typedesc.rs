//! Type descriptors: read-only data that tells the runtime what a value of a type is, as
//! Go's `abi.Type` does. An `any` holds one (`fmt.Printf`'s operands), and the allocator is
//! told one for every object that holds pointers, so that the collector knows which of its
//! words to follow.
//!
//! Layout, in 8-byte words, then the name's bytes:
//!
//! ```text
//!  0  size     bytes of a value in memory (TypeTable::size)
//!  8  ptrmask  bit i set when word i of a value may hold a pointer (words 0 to 63)
//! 16  kind     Go's reflect.Kind: Bool 1, Int 2, Uint8 8, Func 19, Interface 20, Slice 23,
//!              String 24, Struct 25 (a closure object)
//! 24  elem     the element type's descriptor, for a slice; 0 otherwise
//! 32  name     pointer to the name's bytes (after the descriptor's words) ...
//! 40           ... and its length: the name as reflect writes it (`[]uint8`, `func(int) bool`)
//! 48  the ptrmask of words 64 to 127, and so on, for a value of more than 64 words
//!     the name's bytes
//! ```
//!
//! Besides the program's types (`Sym::Type`) there are the descriptors of closure objects
//! (`Sym::Closure`: the code pointer, then the captures; nameless) and of `any`
//! (`Sym::AnyType`: the two words of `Printf`'s operand array).
//!
//! `runtime.toy` reads these offsets; they change together.

use crate::backend::compile::Compiled;
use crate::ssa::Sym;
use crate::types::FuncId;
use crate::types::ty::{Type, TypeId, TypeTable};

/// The size of a descriptor before its further mask words and its name.
pub(crate) const HEADER: u64 = 48;
/// The offset of the element type's descriptor.
pub(crate) const ELEM: u64 = 24;
/// The offset of the pointer to the name.
pub(crate) const NAME: u64 = 32;

/// The descriptors the compiled code refers to.
#[derive(Default)]
pub(crate) struct Described {
    /// The program's types, and the element types of those that are slices, recursively;
    /// each once, in `TypeId` order, which the checker fixed.
    pub types: Vec<TypeId>,
    /// The function literals whose closure objects are allocated, in `FuncId` order.
    pub closures: Vec<FuncId>,
    /// Whether `any`'s descriptor is named.
    pub any: bool,
}

/// Returns the descriptors `units` refer to.
pub(crate) fn described(types: &TypeTable, units: &[Compiled]) -> Described {
    let mut found = Described::default();
    let mut work: Vec<TypeId> = Vec::new();
    for reloc in units.iter().flat_map(|unit| &unit.code.relocs) {
        match reloc.sym {
            Sym::Type(ty) => work.push(ty),
            Sym::Closure(func) => found.closures.push(func),
            Sym::AnyType => found.any = true,
            Sym::Func(_)
            | Sym::Init
            | Sym::Main
            | Sym::FuncValue(_)
            | Sym::Global(_)
            | Sym::Str(_)
            | Sym::Runtime(_) => {}
        }
    }
    while let Some(ty) = work.pop() {
        if found.types.contains(&ty) {
            continue;
        }
        found.types.push(ty);
        work.extend(types.slice_elem(ty));
    }
    found.types.sort_unstable();
    found.closures.sort_unstable();
    found.closures.dedup();
    found
}

/// Returns the bytes of the descriptor of `ty`; the element's address (if `elem` says
/// there is one) and the name's are left zero, for relocations at [`ELEM`] and [`NAME`]
/// (the name at [`name_offset`]).
pub(crate) fn bytes(types: &TypeTable, ty: TypeId) -> Vec<u8> {
    let name = runtime_name(types, ty);
    descriptor(
        types.size(ty) as u64,
        types.word_pointers(ty),
        kind(types, ty),
        &name,
    )
}

/// Returns the bytes of the descriptor of a closure object whose words are `words`, true
/// where one is a pointer; nameless.
pub(crate) fn closure_bytes(words: &[bool]) -> Vec<u8> {
    descriptor(8 * words.len() as u64, words, 25, "")
}

/// Returns the bytes of `any`'s descriptor.
pub(crate) fn any_bytes() -> Vec<u8> {
    descriptor(16, &[true, true], 20, ANY_NAME)
}

/// `any`'s name as reflect writes it.
pub(crate) const ANY_NAME: &str = "interface {}";

/// Returns where the name of a descriptor of a value of `words` words begins.
pub(crate) fn name_offset(words: usize) -> u64 {
    HEADER + 8 * (words.div_ceil(64).max(1) as u64 - 1)
}

/// Lays out a descriptor: `size`, the mask of `pointers`, `kind` and `name`, the element
/// and the name's address left zero.
fn descriptor(size: u64, pointers: &[bool], kind: u64, name: &str) -> Vec<u8> {
    let mut masks = vec![0u64; pointers.len().div_ceil(64).max(1)];
    for (word, _) in pointers.iter().enumerate().filter(|&(_, &pointer)| pointer) {
        masks[word / 64] |= 1 << (word % 64);
    }
    let mut out = Vec::with_capacity(name_offset(pointers.len()) as usize + name.len());
    for word in [size, masks[0], kind, 0, 0, name.len() as u64] {
        out.extend_from_slice(&word.to_le_bytes());
    }
    for mask in &masks[1..] {
        out.extend_from_slice(&mask.to_le_bytes());
    }
    out.extend_from_slice(name.as_bytes());
    out
}

/// Returns Go's `reflect.Kind` of `ty`.
fn kind(types: &TypeTable, ty: TypeId) -> u64 {
    match types.get(ty) {
        Type::Bool => 1,
        Type::Int => 2,
        Type::Uint8(_) => 8,
        Type::Func(_) => 19,
        Type::Slice(_) => 23,
        Type::String => 24,
        // `unsafe.Pointer`'s kind.
        Type::Ptr => 26,
        Type::Invalid
        | Type::UntypedBool
        | Type::UntypedInt
        | Type::UntypedString
        | Type::UntypedNil
        | Type::UntypedRune
        | Type::Tuple(_) => unreachable!("no value has type {ty:?} at run time"),
    }
}

/// Returns the name of `ty` as Go's reflect writes it: `uint8` however the program spelled
/// it, and no parameter names.
pub(crate) fn runtime_name(types: &TypeTable, ty: TypeId) -> String {
    let mut out = String::new();
    write_name(types, ty, &mut out);
    out
}

fn write_name(types: &TypeTable, ty: TypeId, out: &mut String) {
    match types.get(ty) {
        Type::Bool => out.push_str("bool"),
        Type::Int => out.push_str("int"),
        Type::Uint8(_) => out.push_str("uint8"),
        Type::String => out.push_str("string"),
        Type::Ptr => out.push_str("unsafe.Pointer"),
        &Type::Slice(elem) => {
            out.push_str("[]");
            write_name(types, elem, out);
        }
        Type::Func(func) => {
            out.push_str("func(");
            for (idx, &param) in func.params.iter().enumerate() {
                if idx > 0 {
                    out.push_str(", ");
                }
                match types.slice_elem(param) {
                    Some(elem) if func.variadic && idx + 1 == func.params.len() => {
                        out.push_str("...");
                        write_name(types, elem, out);
                    }
                    _ => write_name(types, param, out),
                }
            }
            out.push(')');
            match func.results.as_slice() {
                [] => {}
                [result] => {
                    out.push(' ');
                    write_name(types, *result, out);
                }
                results => {
                    out.push_str(" (");
                    for (idx, &result) in results.iter().enumerate() {
                        if idx > 0 {
                            out.push_str(", ");
                        }
                        write_name(types, result, out);
                    }
                    out.push(')');
                }
            }
        }
        Type::Invalid
        | Type::UntypedBool
        | Type::UntypedInt
        | Type::UntypedString
        | Type::UntypedNil
        | Type::UntypedRune
        | Type::Tuple(_) => unreachable!("no value has type {ty:?} at run time"),
    }
}

#[cfg(test)]
mod tests {
    use super::{HEADER, any_bytes, closure_bytes, name_offset};

    fn word(bytes: &[u8], offset: u64) -> u64 {
        let at = offset as usize;
        u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"))
    }

    /// A closure of a code pointer and a captured string and cell: 4 words, the string's
    /// bytes and the cell pointers, the code pointer not.
    #[test]
    fn a_closure_descriptor_masks_its_captured_pointers() {
        let bytes = closure_bytes(&[false, true, false, true]);
        assert_eq!(word(&bytes, 0), 32);
        assert_eq!(word(&bytes, 8), 0b1010);
        assert_eq!(word(&bytes, 16), 25);
        assert_eq!(word(&bytes, 40), 0);
        assert_eq!(bytes.len() as u64, HEADER);
    }

    /// Past 64 words the mask goes on after the header, and the name after it.
    #[test]
    fn a_descriptor_of_more_than_64_words_extends_its_mask() {
        let mut words = vec![false; 70];
        words[3] = true;
        words[69] = true;
        let bytes = closure_bytes(&words);
        assert_eq!(word(&bytes, 8), 1 << 3);
        assert_eq!(word(&bytes, HEADER), 1 << 5);
        assert_eq!(name_offset(70), HEADER + 8);
        assert_eq!(bytes.len() as u64, name_offset(70));
        let any = any_bytes();
        assert_eq!(word(&any, 8), 0b11);
        assert_eq!(&any[name_offset(2) as usize..], b"interface {}");
    }
}

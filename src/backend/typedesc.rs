//! Type descriptors: read-only data that tells the runtime what a value of a type is, as
//! Go's `abi.Type` does. An `any` holds one (`fmt.Printf`'s operands), and the collector to
//! come reads the same pointer masks.
//!
//! Layout, in 8-byte words, then the name's bytes:
//!
//! ```text
//!  0  size     bytes of a value in memory (TypeTable::size)
//!  8  ptrmask  bit i set when word i of a value may hold a pointer
//! 16  kind     Go's reflect.Kind: Bool 1, Int 2, Uint8 8, Func 19, Slice 23, String 24
//! 24  elem     the element type's descriptor, for a slice; 0 otherwise
//! 32  name     pointer to the name's bytes (just after the descriptor) ...
//! 40           ... and its length: the name as reflect writes it (`[]uint8`, `func(int) bool`)
//! 48  the name's bytes
//! ```
//!
//! `runtime.toy` reads these offsets; they change together.

use crate::backend::compile::Compiled;
use crate::ssa::Sym;
use crate::types::ty::{Type, TypeId, TypeTable};

/// The size of a descriptor before its name.
pub(crate) const HEADER: u64 = 48;
/// The offset of the element type's descriptor.
pub(crate) const ELEM: u64 = 24;
/// The offset of the pointer to the name.
pub(crate) const NAME: u64 = 32;

/// Returns the types whose descriptors `units` refer to, and the element types of those
/// that are slices, recursively; each once, in `TypeId` order, which the checker fixed.
pub(crate) fn described(types: &TypeTable, units: &[Compiled]) -> Vec<TypeId> {
    let mut found: Vec<TypeId> = Vec::new();
    let mut work: Vec<TypeId> = units
        .iter()
        .flat_map(|unit| &unit.code.relocs)
        .filter_map(|reloc| match reloc.sym {
            Sym::Type(ty) => Some(ty),
            Sym::Func(_)
            | Sym::Init
            | Sym::Main
            | Sym::FuncValue(_)
            | Sym::Global(_)
            | Sym::Str(_)
            | Sym::Runtime(_) => None,
        })
        .collect();
    while let Some(ty) = work.pop() {
        if found.contains(&ty) {
            continue;
        }
        found.push(ty);
        work.extend(types.slice_elem(ty));
    }
    found.sort_unstable();
    found
}

/// Returns the bytes of the descriptor of `ty`; the element's address (if `elem` says
/// there is one) and the name's are left zero, for relocations at [`ELEM`] and [`NAME`].
pub(crate) fn bytes(types: &TypeTable, ty: TypeId) -> Vec<u8> {
    let mask = types
        .word_pointers(ty)
        .iter()
        .enumerate()
        .filter(|&(_, &pointer)| pointer)
        .fold(0u64, |mask, (word, _)| mask | 1 << word);
    let name = runtime_name(types, ty);
    let mut out = Vec::with_capacity(HEADER as usize + name.len());
    for word in [
        types.size(ty) as u64,
        mask,
        kind(types, ty),
        0,
        0,
        name.len() as u64,
    ] {
        out.extend_from_slice(&word.to_le_bytes());
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

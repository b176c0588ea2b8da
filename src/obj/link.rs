//! The static linker: places units of code and data, resolves their relocations, and returns
//! the executable's image.
//!
//! Input: units (one per function or data object), each with its bytes, section, alignment
//! and relocations naming other units by index (`builder` numbers them as they are
//! declared). Layout keeps the given order within each section, and the sections in the
//! order code, read-only data, data, bss, so the image depends only on the units and their
//! order: a driver that compiles functions in parallel must hand them over in a fixed order
//! (source order) for the output to be reproducible.
//!
//! Relocations are the two x86-64 kinds a static executable needs: `Pc32` (a rel32 call,
//! jump or RIP-relative operand: target + addend - address of the field, as ELF's
//! `R_X86_64_PC32`) and `Abs64` (an absolute address in data, `R_X86_64_64`).

use std::borrow::Cow;

use crate::obj::elf::Image;

/// Index of a unit in the slice given to [`link`]; units are the symbols.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SymId(pub u32);

/// Where a unit goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Machine code, in the read-only executable segment.
    Code,
    /// Constant data (string bytes, tables), after the code.
    ReadOnly,
    /// Initialized writable data.
    Data,
    /// Zero-initialized writable data of the given size; the unit has no bytes.
    Bss {
        /// Size in bytes.
        size: u64,
    },
}

/// A function or data object.
#[derive(Clone, Debug)]
pub struct Unit {
    /// Its name, for errors and listings.
    pub name: Cow<'static, str>,
    /// Its section.
    pub section: Section,
    /// Its alignment in bytes, a power of two.
    pub align: u64,
    /// Its contents; empty for [`Section::Bss`].
    pub bytes: Vec<u8>,
    /// Places in `bytes` that refer to other units.
    pub relocs: Vec<Reloc>,
}

/// A reference from a unit's bytes to another unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reloc {
    /// Offset of the field in the unit's bytes.
    pub offset: u32,
    /// How the field is computed.
    pub kind: RelocKind,
    /// The unit referred to.
    pub target: SymId,
    /// Added to the target's address.
    pub addend: i64,
}

/// The kinds of relocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelocKind {
    /// A 32-bit signed field: target + addend - address of the field.
    Pc32,
    /// A 64-bit field: target + addend.
    Abs64,
}

/// Why linking failed. Each is a bug in the compiler that produced the units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// A relocation or the entry names a unit that does not exist.
    UnknownSymbol {
        /// The unit with the relocation, or `entry`.
        from: String,
        /// The missing index.
        target: u32,
    },
    /// A relocation's field lies outside its unit's bytes.
    FieldOutOfUnit {
        /// The unit.
        unit: String,
        /// The field's offset.
        offset: u32,
    },
    /// A symbol was declared but never defined (`obj::builder`).
    Undefined {
        /// The symbol.
        name: String,
    },
    /// A symbol was defined more than once (`obj::builder`).
    DefinedTwice {
        /// The symbol.
        name: String,
    },
    /// A `Pc32` value does not fit in 32 bits.
    OutOfRange {
        /// The unit with the relocation.
        unit: String,
        /// The unit referred to.
        target: String,
    },
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::UnknownSymbol { from, target } => {
                write!(f, "{from} refers to unknown symbol {target}")
            }
            LinkError::FieldOutOfUnit { unit, offset } => {
                write!(f, "{unit} has a relocation at {offset}, outside its bytes")
            }
            LinkError::Undefined { name } => write!(f, "{name} is declared but never defined"),
            LinkError::DefinedTwice { name } => write!(f, "{name} is defined more than once"),
            LinkError::OutOfRange { unit, target } => {
                write!(
                    f,
                    "{unit} refers to {target}, too far for a 32-bit displacement"
                )
            }
        }
    }
}

impl std::error::Error for LinkError {}

/// Lays out `units`, resolves their relocations and returns the image of an executable that
/// starts at `entry`.
pub fn link(units: &[Unit], entry: SymId) -> Result<Image, LinkError> {
    if units.get(entry.0 as usize).is_none() {
        return Err(LinkError::UnknownSymbol {
            from: "entry".to_string(),
            target: entry.0,
        });
    }
    let addrs = layout(units);
    let text_start = Image::text_addr();
    let text_len = section_len(units, &addrs, text_start, |section| {
        matches!(section, Section::Code | Section::ReadOnly)
    });
    let data_start = Image::data_addr(text_len);
    let data_len = section_len(units, &addrs, data_start, |section| {
        section == Section::Data
    });
    let mut image = Image::zeroed(text_len, data_len);
    let mut bss_end = data_start;
    for (idx, unit) in units.iter().enumerate() {
        let addr = addrs[idx];
        let len = unit.bytes.len();
        // Units are placed at their addresses, whatever their order in `units`, and their
        // relocations resolved where they are placed.
        let placed: &mut [u8] = match unit.section {
            Section::Code | Section::ReadOnly => {
                let start = (addr - text_start) as usize;
                &mut image.text_mut()[start..start + len]
            }
            Section::Data => {
                let start = (addr - data_start) as usize;
                &mut image.data_mut()[start..start + len]
            }
            Section::Bss { size } => {
                debug_assert!(unit.bytes.is_empty(), "a bss unit has no bytes");
                bss_end = bss_end.max(addr + size);
                continue;
            }
        };
        placed.copy_from_slice(&unit.bytes);
        for reloc in &unit.relocs {
            apply(units, &addrs, unit, addr, reloc, placed)?;
        }
    }
    image.bss_size = bss_end.saturating_sub(data_start + data_len);
    image.entry = addrs[entry.0 as usize];
    Ok(image)
}

/// Resolves one relocation of `unit`, placed at `addr`, in its `bytes`.
fn apply(
    units: &[Unit],
    addrs: &[u64],
    unit: &Unit,
    addr: u64,
    reloc: &Reloc,
    bytes: &mut [u8],
) -> Result<(), LinkError> {
    let Some(target_unit) = units.get(reloc.target.0 as usize) else {
        return Err(LinkError::UnknownSymbol {
            from: unit.name.to_string(),
            target: reloc.target.0,
        });
    };
    let target = addrs[reloc.target.0 as usize].wrapping_add_signed(reloc.addend);
    let field = reloc.offset as usize;
    let width = match reloc.kind {
        RelocKind::Pc32 => 4,
        RelocKind::Abs64 => 8,
    };
    if field + width > bytes.len() {
        return Err(LinkError::FieldOutOfUnit {
            unit: unit.name.to_string(),
            offset: reloc.offset,
        });
    }
    match reloc.kind {
        RelocKind::Pc32 => {
            let place = addr + u64::from(reloc.offset);
            let value =
                i32::try_from(target as i64 - place as i64).map_err(|_| LinkError::OutOfRange {
                    unit: unit.name.to_string(),
                    target: target_unit.name.to_string(),
                })?;
            bytes[field..field + 4].copy_from_slice(&value.to_le_bytes());
        }
        RelocKind::Abs64 => bytes[field..field + 8].copy_from_slice(&target.to_le_bytes()),
    }
    Ok(())
}

/// Returns the address of every unit: code, then read-only data, from the text address;
/// data, then bss, from the page after.
fn layout(units: &[Unit]) -> Vec<u64> {
    let mut addrs = vec![0; units.len()];
    let mut next = Image::text_addr();
    for section in [Section::Code, Section::ReadOnly] {
        for (idx, unit) in units.iter().enumerate() {
            if unit.section == section {
                next = next.next_multiple_of(unit.align.max(1));
                addrs[idx] = next;
                next += unit.bytes.len() as u64;
            }
        }
    }
    let mut next = Image::data_addr(next - Image::text_addr());
    for in_bss in [false, true] {
        for (idx, unit) in units.iter().enumerate() {
            let size = match unit.section {
                Section::Data if !in_bss => unit.bytes.len() as u64,
                Section::Bss { size } if in_bss => size,
                _ => continue,
            };
            next = next.next_multiple_of(unit.align.max(1));
            addrs[idx] = next;
            next += size;
        }
    }
    addrs
}

/// Returns the length of the part of a segment starting at `start` that holds the bytes of
/// the units of the sections `holds` accepts, for the layout `addrs`.
fn section_len(units: &[Unit], addrs: &[u64], start: u64, holds: impl Fn(Section) -> bool) -> u64 {
    units
        .iter()
        .zip(addrs)
        .filter(|(unit, _)| holds(unit.section))
        .map(|(unit, &addr)| addr + unit.bytes.len() as u64 - start)
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;

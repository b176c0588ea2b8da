//! The units of one executable, gathered symbol by symbol before they are linked.
//!
//! As with Cranelift's `Module` (`declare_function`, then `define_function`), a symbol is
//! first declared, which gives it its [`SymId`], and then defined: given its section,
//! alignment, bytes and relocations. A unit may thus refer to a symbol declared before it
//! and defined after it (a call to a function laid out later), and its relocations name
//! the ids the declarations returned, so no second count has to agree with the first.
//! [`Builder::push`] declares and defines at once, for a unit whose relocations refer only
//! to symbols already declared.
//!
//! The order of declaration is the order [`link`] is given the units, and so, within each
//! section, the layout order: whoever declares decides the layout.
//!
//! ```text
//! let main = builder.declare("main.main");       // SymId(0)
//! let msg = builder.push("msg", ReadOnly ...);    // SymId(1): declared and defined
//! builder.define(main, Code ... reloc -> msg);
//! builder.link(main)                              // units [main.main, msg]
//! ```
//!
//! [`Builder::link`] checks that every symbol was defined exactly once
//! ([`LinkError::Undefined`], [`LinkError::DefinedTwice`]), then links.

use std::borrow::Cow;

use crate::obj::elf::Image;
use crate::obj::link::{self, LinkError, Reloc, Section, SymId, Unit};

/// What a symbol holds: everything of a [`Unit`] but its name, which its declaration gave.
#[derive(Clone, Debug)]
pub struct Definition {
    /// Its section.
    pub section: Section,
    /// Its alignment in bytes, a power of two.
    pub align: u64,
    /// Its contents; empty for [`Section::Bss`].
    pub bytes: Vec<u8>,
    /// Places in `bytes` that refer to other symbols.
    pub relocs: Vec<Reloc>,
}

/// How far a declared symbol has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Declared,
    Defined,
    /// Defined more than once: the last definition stands, and linking fails.
    DefinedTwice,
}

/// The symbols of an executable in declaration order, each a [`Unit`] once defined.
#[derive(Debug, Default)]
pub struct Builder {
    /// Per symbol, by id: its unit. A symbol not yet defined holds its name and nothing
    /// else, and `states` says so; its unit is never linked.
    units: Vec<Unit>,
    states: Vec<State>,
}

impl Builder {
    /// Returns a builder with no symbols.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Declares a symbol named `name` and returns its id, the next in declaration order.
    pub fn declare(&mut self, name: impl Into<Cow<'static, str>>) -> SymId {
        let id = SymId(self.units.len() as u32);
        self.units.push(Unit {
            name: name.into(),
            section: Section::ReadOnly,
            align: 1,
            bytes: Vec::new(),
            relocs: Vec::new(),
        });
        self.states.push(State::Declared);
        id
    }

    /// Defines the declared symbol `id`.
    ///
    /// Panics if `id` was not declared by this builder: ids come only from declarations.
    pub fn define(&mut self, id: SymId, definition: Definition) {
        let idx = id.0 as usize;
        assert!(idx < self.units.len(), "symbol {} was never declared", id.0);
        let Definition {
            section,
            align,
            bytes,
            relocs,
        } = definition;
        let unit = &mut self.units[idx];
        unit.section = section;
        unit.align = align;
        unit.bytes = bytes;
        unit.relocs = relocs;
        let state = &mut self.states[idx];
        *state = match *state {
            State::Declared => State::Defined,
            State::Defined | State::DefinedTwice => State::DefinedTwice,
        };
    }

    /// Declares a symbol named `name`, defines it, and returns its id.
    pub fn push(&mut self, name: impl Into<Cow<'static, str>>, definition: Definition) -> SymId {
        let id = self.declare(name);
        self.define(id, definition);
        id
    }

    /// Links the symbols in declaration order into the image of an executable that starts
    /// at `entry` ([`link::link`]), once each has been defined exactly once.
    pub fn link(self, entry: SymId) -> Result<Image, LinkError> {
        for (unit, state) in self.units.iter().zip(&self.states) {
            let name = || unit.name.to_string();
            match state {
                State::Defined => {}
                State::Declared => return Err(LinkError::Undefined { name: name() }),
                State::DefinedTwice => return Err(LinkError::DefinedTwice { name: name() }),
            }
        }
        link::link(&self.units, entry)
    }
}

#[cfg(test)]
mod tests;

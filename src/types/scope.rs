//! Lexical scopes as one binding table with an undo log.
//!
//! Rather than a chain of maps searched outward, the table maps every name to its innermost
//! visible binding; entering a scope records a mark, declaring a name logs the binding it
//! hides, and leaving a scope undoes the log back to the mark. A lookup is one hash probe
//! however deep the nesting. Depth 0 is the universe, depth 1 the package.

use rustc_hash::FxHashMap;

use crate::syntax::ast::Symbol;
use crate::types::object::ObjId;

#[derive(Clone, Copy, Debug)]
struct Binding {
    obj: ObjId,
    depth: u32,
}

/// The names visible at the current point of the walk.
#[derive(Clone, Debug, Default)]
pub struct Scopes {
    bindings: FxHashMap<Symbol, Binding>,
    undo: Vec<(Symbol, Option<Binding>)>,
    marks: Vec<usize>,
}

impl Scopes {
    /// Returns the depth of the innermost open scope.
    pub fn depth(&self) -> u32 {
        self.marks.len() as u32
    }

    /// Opens a scope nested in the current one.
    pub fn push(&mut self) {
        self.marks.push(self.undo.len());
    }

    /// Closes the innermost scope, making the bindings it hid visible again.
    pub fn pop(&mut self) {
        let mark = self.marks.pop().expect("pop matches a push");
        for (name, hidden) in self.undo.drain(mark..).rev() {
            match hidden {
                Some(binding) => self.bindings.insert(name, binding),
                None => self.bindings.remove(&name),
            };
        }
    }

    /// Binds `name` in the innermost scope; returns the object already bound to it in that same
    /// scope, if any, and then leaves the binding unchanged.
    pub fn declare(&mut self, name: Symbol, obj: ObjId) -> Result<(), ObjId> {
        let depth = self.depth();
        let hidden = self.bindings.get(&name).copied();
        if let Some(existing) = hidden
            && existing.depth == depth
        {
            return Err(existing.obj);
        }
        self.bindings.insert(name, Binding { obj, depth });
        self.undo.push((name, hidden));
        Ok(())
    }

    /// Returns the innermost object bound to `name`.
    pub fn lookup(&self, name: Symbol) -> Option<ObjId> {
        self.bindings.get(&name).map(|binding| binding.obj)
    }

    /// Returns the innermost object bound to `name` and the depth of its scope.
    pub fn lookup_depth(&self, name: Symbol) -> Option<(ObjId, u32)> {
        self.bindings
            .get(&name)
            .map(|binding| (binding.obj, binding.depth))
    }
}

#[cfg(test)]
mod tests;

//! Types and the table that interns them.
//!
//! A [`TypeId`] is an index into [`TypeTable`]; structurally equal types get the same id. A
//! function type remembers its parameter names, which Go shows in messages
//! (`func(s string) int`) but which do not take part in identity: two types are identical
//! when their canonical ids, names stripped, are equal ([`TypeTable::identical`]). The basic
//! types have fixed ids, listed as constants.

use rustc_hash::FxHashMap;

/// An interned type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

/// The type of an erroneous expression; errors involving it are not reported again.
pub const INVALID: TypeId = TypeId(0);
/// `bool`.
pub const BOOL: TypeId = TypeId(1);
/// `int`: 64-bit two's complement.
pub const INT: TypeId = TypeId(2);
/// `string`: an immutable byte sequence.
pub const STRING: TypeId = TypeId(3);
/// The type of an untyped boolean constant or comparison.
pub const UNTYPED_BOOL: TypeId = TypeId(4);
/// The type of an untyped integer constant.
pub const UNTYPED_INT: TypeId = TypeId(5);
/// The type of an untyped string constant.
pub const UNTYPED_STRING: TypeId = TypeId(6);
/// The type of `nil`.
pub const UNTYPED_NIL: TypeId = TypeId(7);
/// `func()`, the type of `main`.
pub const FUNC_VOID: TypeId = TypeId(8);
/// `byte`: an unsigned 8-bit integer.
pub const BYTE: TypeId = TypeId(9);
/// `uint8`: the same type as `byte` (Go's `byte` is an alias of it), kept apart only so
/// that messages name the type as the program spells it, as Go's do.
pub const UINT8: TypeId = TypeId(10);
/// The type of an untyped rune constant (`'a'`). Its default type, `rune`, is not in Toy:
/// such a constant must take `int` or `byte` from its context.
pub const UNTYPED_RUNE: TypeId = TypeId(11);

/// A type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// See [`INVALID`].
    Invalid,
    /// `bool`.
    Bool,
    /// `int`.
    Int,
    /// `string`.
    String,
    /// `byte` or `uint8` (see [`UINT8`]): the same type under either spelling.
    Uint8(ByteSpelling),
    /// See [`UNTYPED_BOOL`].
    UntypedBool,
    /// See [`UNTYPED_INT`].
    UntypedInt,
    /// See [`UNTYPED_STRING`].
    UntypedString,
    /// See [`UNTYPED_NIL`].
    UntypedNil,
    /// See [`UNTYPED_RUNE`].
    UntypedRune,
    /// `sys.Ptr`, the runtime's raw address (`types::sys`): one word, an address. Interned
    /// only by the runtime's check, so a program's types do not change.
    Ptr,
    /// A function type.
    Func(FuncType),
    /// `[]T`: a slice of elements of type `T`.
    Slice(TypeId),
    /// The results of a call returning several values; never the type of a variable.
    Tuple(Vec<TypeId>),
}

impl Type {
    /// Returns the type with each type it is made of replaced by `map` of it.
    pub(crate) fn map_ids(self, map: impl Fn(TypeId) -> TypeId) -> Type {
        match self {
            Type::Func(func) => Type::Func(FuncType {
                params: func.params.into_iter().map(&map).collect(),
                results: func.results.into_iter().map(&map).collect(),
                ..func
            }),
            Type::Tuple(elems) => Type::Tuple(elems.into_iter().map(map).collect()),
            Type::Slice(elem) => Type::Slice(map(elem)),
            other => other,
        }
    }
}

/// How the program spells the 8-bit unsigned integer type; messages repeat it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ByteSpelling {
    /// `byte`.
    Byte,
    /// `uint8`.
    Uint8,
}

/// Parameters and results of a function type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FuncType {
    /// Parameter types in order.
    pub params: Vec<TypeId>,
    /// Result types in order.
    pub results: Vec<TypeId>,
    /// The parameter names, for messages; empty when unnamed.
    pub param_names: Box<[Box<str>]>,
    /// The result names, for messages; empty when unnamed.
    pub result_names: Box<[Box<str>]>,
    /// Whether the last parameter is written `...T`: its type is `[]T`, and a call may
    /// pass any number of `T`s for it.
    pub variadic: bool,
}

/// All types of a program.
#[derive(Clone, Debug)]
pub struct TypeTable {
    types: Vec<Type>,
    /// Per type: the id of the same type with every parameter name stripped.
    canonical: Vec<TypeId>,
    ids: FxHashMap<Type, TypeId>,
}

impl Default for TypeTable {
    fn default() -> TypeTable {
        let mut table = TypeTable {
            types: Vec::new(),
            canonical: Vec::new(),
            ids: FxHashMap::default(),
        };
        let fixed = [
            Type::Invalid,
            Type::Bool,
            Type::Int,
            Type::String,
            Type::UntypedBool,
            Type::UntypedInt,
            Type::UntypedString,
            Type::UntypedNil,
            Type::Func(FuncType {
                params: Vec::new(),
                results: Vec::new(),
                param_names: Box::new([]),
                result_names: Box::new([]),
                variadic: false,
            }),
            Type::Uint8(ByteSpelling::Byte),
            Type::Uint8(ByteSpelling::Uint8),
            Type::UntypedRune,
        ];
        for ty in fixed {
            table.intern(ty);
        }
        table
    }
}

impl TypeTable {
    /// Returns the id of `ty`, interning it on first sight.
    pub fn intern(&mut self, ty: Type) -> TypeId {
        if let Some(&id) = self.ids.get(&ty) {
            return id;
        }
        let canonical = match &ty {
            Type::Func(func) => {
                let stripped = FuncType {
                    params: func.params.iter().map(|&id| self.canonical(id)).collect(),
                    results: func.results.iter().map(|&id| self.canonical(id)).collect(),
                    param_names: Box::new([]),
                    result_names: Box::new([]),
                    variadic: func.variadic,
                };
                (stripped != *func).then(|| self.intern(Type::Func(stripped)))
            }
            Type::Tuple(elems) => {
                let stripped: Vec<TypeId> = elems.iter().map(|&id| self.canonical(id)).collect();
                (stripped != *elems).then(|| self.intern(Type::Tuple(stripped)))
            }
            // `uint8` is `byte`: identity, and so the back end, sees one type.
            Type::Uint8(ByteSpelling::Uint8) => Some(BYTE),
            &Type::Slice(elem) => {
                let stripped = self.canonical(elem);
                (stripped != elem).then(|| self.intern(Type::Slice(stripped)))
            }
            _ => None,
        };
        let id = TypeId(self.types.len() as u32);
        self.types.push(ty.clone());
        self.canonical.push(canonical.unwrap_or(id));
        self.ids.insert(ty, id);
        id
    }

    /// Returns how many types there are; their ids are below it.
    pub fn len(&self) -> usize {
        self.types.len()
    }

    /// Returns whether there are no types (never: the basic types are always there).
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// Returns the types from id `from` on, in id order, dropping the table.
    pub(crate) fn into_types_from(self, from: usize) -> Vec<Type> {
        let mut types = self.types;
        types.split_off(from)
    }

    /// Returns the id of `id` with parameter names stripped, which the back end compiles.
    pub fn canonical(&self, id: TypeId) -> TypeId {
        self.canonical[id.0 as usize]
    }

    /// Returns whether two types are identical, as Go's identity (names do not count).
    pub fn identical(&self, a: TypeId, b: TypeId) -> bool {
        self.canonical(a) == self.canonical(b)
    }

    /// Returns the type `id` stands for.
    pub fn get(&self, id: TypeId) -> &Type {
        &self.types[id.0 as usize]
    }

    /// Returns the function type behind `id`, if it is one.
    pub fn func(&self, id: TypeId) -> Option<&FuncType> {
        match self.get(id) {
            Type::Func(func) => Some(func),
            _ => None,
        }
    }

    /// Returns the element type of the slice type `id`, if it is one.
    pub fn slice_elem(&self, id: TypeId) -> Option<TypeId> {
        match self.get(id) {
            &Type::Slice(elem) => Some(elem),
            _ => None,
        }
    }

    /// Returns the words of a value of type `id`, in order, each true when it holds a
    /// pointer (which a collector follows): a string is its pointer and length, a slice its
    /// pointer, length and capacity, a function value its closure pointer, an `int`, a
    /// `byte` or a `bool` one word without pointers. The back end lays every value out this
    /// way.
    pub fn word_pointers(&self, id: TypeId) -> &'static [bool] {
        match self.get(id) {
            Type::Bool
            | Type::Int
            | Type::Uint8(_)
            | Type::UntypedBool
            | Type::UntypedInt
            | Type::UntypedRune => &[false],
            Type::String | Type::UntypedString => &[true, false],
            Type::Slice(_) => &[true, false, false],
            // `sys.Ptr` may address the heap: a collector follows it, as Go's
            // `unsafe.Pointer`.
            Type::Func(_) | Type::UntypedNil | Type::Ptr => &[true],
            Type::Invalid | Type::Tuple(_) => unreachable!("no value has type {id:?}"),
        }
    }

    /// Returns the number of 64-bit words a value of type `id` takes.
    pub fn words(&self, id: TypeId) -> u32 {
        self.word_pointers(id).len() as u32
    }

    /// Returns the size in bytes of a value of type `id` in memory: of an element of a
    /// slice, whose elements lie `size` bytes apart. A `bool` and a `byte` are one byte, as
    /// in Go (the capacity `append` gives depends on it); every other value is its words.
    pub fn size(&self, id: TypeId) -> i64 {
        match self.get(id) {
            Type::Bool | Type::UntypedBool | Type::Uint8(_) => 1,
            Type::Invalid
            | Type::Int
            | Type::UntypedRune
            | Type::String
            | Type::UntypedInt
            | Type::UntypedString
            | Type::UntypedNil
            | Type::Func(_)
            | Type::Slice(_)
            | Type::Ptr
            | Type::Tuple(_) => 8 * i64::from(self.words(id)),
        }
    }

    /// Returns whether a value of type `id` holds a pointer (as Go's `PtrBytes != 0`):
    /// memory holding only such values need not be scanned by a collector.
    pub fn has_pointers(&self, id: TypeId) -> bool {
        self.word_pointers(id).contains(&true)
    }

    /// Returns whether `nil` is a value of type `id`: a function, a slice, or `sys.Ptr`
    /// (as Go's `unsafe.Pointer`).
    pub fn nil_able(&self, id: TypeId) -> bool {
        self.only_nil_comparable(id) || matches!(self.get(id), Type::Ptr)
    }

    /// Returns whether values of type `id` can be compared with `==` only against `nil`
    /// (functions and slices).
    pub fn only_nil_comparable(&self, id: TypeId) -> bool {
        matches!(self.get(id), Type::Func(_) | Type::Slice(_))
    }

    /// Formats `id` as Go does in messages: `int`, `untyped int`, `func(int) (bool, string)`.
    pub fn display(&self, id: TypeId) -> String {
        let mut out = String::new();
        self.write(id, &mut out);
        out
    }

    fn write(&self, id: TypeId, out: &mut String) {
        match self.get(id) {
            Type::Invalid => out.push_str("invalid type"),
            Type::Bool => out.push_str("bool"),
            Type::Int => out.push_str("int"),
            Type::String => out.push_str("string"),
            Type::Uint8(ByteSpelling::Byte) => out.push_str("byte"),
            Type::Uint8(ByteSpelling::Uint8) => out.push_str("uint8"),
            Type::UntypedBool => out.push_str("untyped bool"),
            Type::UntypedInt => out.push_str("untyped int"),
            Type::UntypedString => out.push_str("untyped string"),
            Type::UntypedNil => out.push_str("untyped nil"),
            Type::UntypedRune => out.push_str("untyped rune"),
            Type::Ptr => out.push_str("sys.Ptr"),
            Type::Func(func) => {
                let (param_names, result_names) = (&func.param_names, &func.result_names);
                out.push_str("func");
                self.write_params(&func.params, param_names, func.variadic, out);
                match func.results.len() {
                    0 => {}
                    1 if result_names.is_empty() => {
                        out.push(' ');
                        self.write(func.results[0], out);
                    }
                    _ => {
                        out.push(' ');
                        self.write_list(&func.results, result_names, out);
                    }
                }
            }
            Type::Tuple(elems) => self.write_list(elems, &[], out),
            &Type::Slice(elem) => {
                out.push_str("[]");
                self.write(elem, out);
            }
        }
    }

    /// Writes `(T1, T2)`, or `(a T1, b T2)` when `names` are given.
    fn write_list(&self, ids: &[TypeId], names: &[Box<str>], out: &mut String) {
        self.write_params(ids, names, false, out);
    }

    /// Writes a list as [`write_list`](Self::write_list) does, the last type as `...T` when
    /// `variadic` (its type is `[]T`).
    fn write_params(&self, ids: &[TypeId], names: &[Box<str>], variadic: bool, out: &mut String) {
        out.push('(');
        for (idx, &id) in ids.iter().enumerate() {
            if idx > 0 {
                out.push_str(", ");
            }
            if let Some(name) = names.get(idx) {
                out.push_str(name);
                out.push(' ');
            }
            match self.slice_elem(id) {
                Some(elem) if variadic && idx + 1 == ids.len() => {
                    out.push_str("...");
                    self.write(elem, out);
                }
                _ => self.write(id, out),
            }
        }
        out.push(')');
    }
}

/// Returns whether `id` is the type of an untyped constant or of `nil`.
pub fn is_untyped(id: TypeId) -> bool {
    matches!(
        id,
        UNTYPED_BOOL | UNTYPED_INT | UNTYPED_RUNE | UNTYPED_STRING | UNTYPED_NIL
    )
}

/// Returns the type an untyped value takes where no other type is asked for. An untyped
/// rune's, `rune`, is not in Toy: it stays `UNTYPED_RUNE`, and the checker rejects it where
/// it would be needed (`Checker::default_type`).
pub fn default_type(id: TypeId) -> TypeId {
    match id {
        UNTYPED_BOOL => BOOL,
        UNTYPED_INT => INT,
        UNTYPED_STRING => STRING,
        other => other,
    }
}

/// Returns whether `id` is an integer type or an untyped integer or rune.
pub fn is_integer(id: TypeId) -> bool {
    matches!(id, INT | BYTE | UINT8 | UNTYPED_INT | UNTYPED_RUNE)
}

/// Returns whether `id` is `byte` (`uint8`), the one unsigned integer type.
pub fn is_byte(id: TypeId) -> bool {
    matches!(id, BYTE | UINT8)
}

/// Returns whether `id` is an untyped integer or rune, the untyped numeric kinds.
pub fn is_untyped_numeric(id: TypeId) -> bool {
    matches!(id, UNTYPED_INT | UNTYPED_RUNE)
}

/// Returns whether `value` lies in the range of integer type `id` (`int` or `byte`); an
/// untyped constant lies in any it fits, as in Go's `representableConst`.
pub fn fits(id: TypeId, value: &crate::types::constant::Int) -> bool {
    match id {
        INT => value.to_i64().is_some(),
        BYTE | UINT8 => value
            .to_u64()
            .is_some_and(|value| value <= u64::from(u8::MAX)),
        _ => true,
    }
}

/// Returns whether `id` is `bool` or untyped bool.
pub fn is_boolean(id: TypeId) -> bool {
    matches!(id, BOOL | UNTYPED_BOOL)
}

/// Returns whether `id` is `string` or untyped string.
pub fn is_string(id: TypeId) -> bool {
    matches!(id, STRING | UNTYPED_STRING)
}

//! `fmt.Printf` and `fmt.Sprintf`, as gc calls Go's `fmt`: each operand becomes an `any`,
//! two words (its type's descriptor and a pointer to a copy of its value, gc's `convT`),
//! and the runtime's `sprintf`, written in Toy, formats them; `Printf` then prints the
//! result as one statement does, with one `write`.
//!
//! The operands lie in one array of those pairs, as the `[]any` of a variadic call. A
//! descriptor (`Sym::Type`) is read-only data the layout emits for each type that
//! compiled code names, with its element's descriptor; `runtime.toy` reads it.

use smallvec::SmallVec;

use crate::ssa::func::{Runtime, Sym, ValueId};
use crate::ssa::op::Op;
use crate::syntax::ast::Expr;
use crate::types::object::Builtin;
use crate::types::ty::TypeId;

use super::{Builder, Words};

impl Builder<'_> {
    /// Builds `fmt.Printf(args)` or `fmt.Sprintf(args)`; returns `Sprintf`'s string.
    pub(super) fn fmt_printf(&mut self, builtin: Builtin, args: &[Expr]) -> Words {
        let values = self.builtin_args(args, true);
        let (format, operands) = values.split_first().expect("the checker requires a format");
        let n = operands.len();
        let array = if n == 0 {
            self.constant(0)
        } else {
            let size = self.constant(16 * n as i64);
            let typ = self.descriptor(Some(Sym::AnyType));
            self.call_runtime(Runtime::Alloc, &[size, typ])[0]
        };
        for (idx, (ty, words)) in operands.iter().enumerate() {
            let (desc, data) = self.convert_to_any(*ty, words);
            self.value(Op::Store, 16 * idx as i64, &[array, desc]);
            self.value(Op::Store, 16 * idx as i64 + 8, &[array, data]);
        }
        let n = self.constant(n as i64);
        let s = self.call_runtime(Runtime::Sprintf, &[format.1[0], format.1[1], array, n]);
        if builtin == Builtin::FmtSprintf {
            return s;
        }
        let fd = self.constant(1);
        self.call_runtime(Runtime::PrintLock, &[fd]);
        self.call_runtime(Runtime::PrintString, &s);
        self.call_runtime(Runtime::PrintUnlock, &[]);
        SmallVec::new()
    }

    /// Converts the value `words` of type `ty` to the two words of an `any`: the type's
    /// descriptor and a pointer to a copy of the value on the heap (gc's `convT`).
    fn convert_to_any(&mut self, ty: TypeId, words: &[ValueId]) -> (ValueId, ValueId) {
        let size = self.constant(self.info.types.size(ty));
        let typ = self.type_word(ty);
        let data = self.call_runtime(Runtime::Alloc, &[size, typ])[0];
        self.store_value(data, ty, words);
        (self.addr(Sym::Type(ty)), data)
    }
}

//! The calling conventions, after Go's `abi` package.
//!
//! Compiled functions call each other with a register convention in the manner of Go's
//! ABIInternal: argument word `i` travels in `REGS[i]` and result word `j` in `REGS[j]`; the
//! words past the registers go through the stack. The runtime, written in assembly, keeps
//! ABI0: every argument and result word on the stack; its functions written in Toy
//! (`Runtime::toy_name`) are compiled functions and take the register convention.
//!
//! Stack words sit in the caller's outgoing area, at the bottom of its frame: first the
//! arguments that did not fit in registers, then the results that did not.
//!
//! ```text
//! caller's frame (low addresses first)        callee sees them above its return address
//! [rsp+0]   stack argument words
//! [rsp+8k]  stack result words
//! ```
//!
//! The registers are caller-saved ones, so a call's moves into them never disturb a value
//! that lives across the call (those sit in callee-saved registers or in slots), and the
//! allocator can hint a value into the register it will be passed in.

use crate::ssa::func::{Func, Sym, Value};
use crate::ssa::op::Op;

/// The argument and result registers of ABIInternal, by hardware number: SI, DI, R8–R11.
pub const REGS: [u8; 6] = [6, 7, 8, 9, 10, 11];

/// A calling convention: how many leading words go in registers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Convention {
    regs: u32,
}

impl Convention {
    /// Compiled functions' convention.
    pub const INTERNAL: Convention = Convention {
        regs: REGS.len() as u32,
    };
    /// The runtime's: everything on the stack.
    pub const ABI0: Convention = Convention { regs: 0 };

    /// Returns the convention of the call `call`, a `StaticCall` or `ClosureCall` of `f`.
    pub fn of_call(f: &Func, call: &Value) -> Convention {
        match call.op {
            Op::StaticCall if matches!(f.syms[call.aux as usize], Sym::Runtime(rt) if rt.toy_name().is_none()) => {
                Convention::ABI0
            }
            _ => Convention::INTERNAL,
        }
    }

    /// Returns the register of argument or result word `word`, if it travels in one.
    pub fn reg(self, word: u32) -> Option<u8> {
        (word < self.regs).then(|| REGS[word as usize])
    }

    /// The byte offset of stack argument word `word` in the outgoing area.
    pub fn arg_offset(self, word: u32) -> i64 {
        8 * i64::from(word - self.regs)
    }

    /// The byte offset of stack result word `word` in the outgoing area, after the stack
    /// words of `n_args` arguments.
    pub fn result_offset(self, n_args: u32, word: u32) -> i64 {
        8 * i64::from(n_args.saturating_sub(self.regs) + word - self.regs)
    }

    /// The words of outgoing area a call with `n_args` and `n_results` words needs.
    pub fn stack_words(self, n_args: u32, n_results: u32) -> u32 {
        n_args.saturating_sub(self.regs) + n_results.saturating_sub(self.regs)
    }
}

/// Returns the words of outgoing area that the calls of `f` need.
pub fn out_words(f: &Func) -> u32 {
    let mut out = 0;
    for &block in &f.order {
        let values = &f.block(block).values;
        for (idx, &v) in values.iter().enumerate() {
            let call = f.value(v);
            if !call.op.is_call() {
                continue;
            }
            let n_args = call.args.len() - usize::from(call.op == Op::ClosureCall);
            let n_results = values[idx + 1..]
                .iter()
                .take_while(|&&r| f.value(r).op == Op::LoadResult)
                .count();
            let convention = Convention::of_call(f, call);
            out = out.max(convention.stack_words(n_args as u32, n_results as u32));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_past_the_registers_go_to_the_stack() {
        let c = Convention::INTERNAL;
        assert_eq!(c.reg(0), Some(REGS[0]));
        assert_eq!(c.reg(6), None);
        assert_eq!(c.arg_offset(7), 8);
        assert_eq!(c.result_offset(8, 6), 16);
        assert_eq!(c.result_offset(2, 7), 8);
        assert_eq!(c.stack_words(8, 7), 3);
        let abi0 = Convention::ABI0;
        assert_eq!(abi0.reg(0), None);
        assert_eq!(abi0.arg_offset(1), 8);
        assert_eq!(abi0.result_offset(2, 0), 16);
        assert_eq!(abi0.stack_words(2, 1), 3);
    }
}

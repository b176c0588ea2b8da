//! Tests of the runtime's Toy source: it checks clean, and it keeps the invariant the layout
//! relies on.

use crate::ssa::Runtime;
use crate::syntax::ast::Decl;

use super::{
    CORE_PARTS, CORE_SOURCE, MAX_FUNC_BYTES, PARTS, Parts, SOURCE, check, func_named, part_line,
    try_check,
};

#[test]
fn runtime_source_checks_clean() {
    for parts in [Parts::Core, Parts::All] {
        let (checked, diags) = try_check(parts);
        assert!(checked.is_some(), "{parts:?}: {:?}", diags.sorted());
    }
}

/// The core's functions are the first of the whole source's, with the same ids, so a
/// unit compiles alike from either.
#[test]
fn the_core_is_a_prefix_of_the_whole_source() {
    let core = check(Parts::Core);
    let all = check(Parts::All);
    let names = |checked: &super::Checked| -> Vec<String> {
        checked
            .info
            .funcs
            .iter()
            .map(|func| func.name.clone())
            .collect()
    };
    let (core, all) = (names(&core), names(&all));
    assert!(core.len() < all.len());
    assert_eq!(core[..], all[..core.len()]);
    assert!(func_named(&check(Parts::Core).info, "sprintf").is_none());
}

#[test]
fn runtime_declares_only_functions_without_closures_and_constants() {
    let checked = check(Parts::All);
    for decl in &checked.file.decls {
        assert!(
            matches!(decl, Decl::Func(_) | Decl::Const(_)),
            "the runtime declares only functions and constants"
        );
    }
    for func in &checked.info.funcs {
        assert!(func.parent.is_none(), "{} is a literal", func.name);
        assert!(func.closures.is_empty(), "{} makes closures", func.name);
    }
}

#[test]
fn every_runtime_function_named_in_toy_is_in_the_source() {
    let checked = check(Parts::All);
    for &rt in Runtime::ALL.iter().chain(&Runtime::ON_DEMAND) {
        if let Some(name) = rt.toy_name() {
            assert!(
                func_named(&checked.info, name).is_some(),
                "runtime.{name} is missing"
            );
        }
    }
}

/// `Runtime::on_demand` and the two lists say the same: the layout links `ALL` always and
/// `ON_DEMAND` only when referred to, and each symbol is in one of them once.
#[test]
fn the_runtime_lists_agree_with_on_demand() {
    for &rt in &Runtime::ALL {
        assert!(!rt.on_demand(), "{} is in ALL but on demand", rt.name());
    }
    for &rt in &Runtime::ON_DEMAND {
        assert!(
            rt.on_demand(),
            "{} is in ON_DEMAND but not on demand",
            rt.name()
        );
    }
    let mut all: Vec<Runtime> = Runtime::ALL
        .iter()
        .chain(&Runtime::ON_DEMAND)
        .copied()
        .collect();
    all.sort_unstable();
    let n = all.len();
    all.dedup();
    assert_eq!(all.len(), n, "a runtime symbol is listed twice");
}

/// The joined source is the files in order, and a line of it maps back to its file.
#[test]
fn the_source_is_its_parts_joined() {
    let joined: String = PARTS.iter().map(|(_, text)| *text).collect();
    assert_eq!(joined, SOURCE);
    let core: String = PARTS[..CORE_PARTS].iter().map(|(_, text)| *text).collect();
    assert_eq!(core, CORE_SOURCE);
    assert!(PARTS.iter().all(|(_, text)| text.ends_with('\n')));
    let first = PARTS[0].1.lines().count();
    assert_eq!(part_line(first), ("runtime.toy", first));
    assert_eq!(part_line(first + 1), ("slices.toy", 1));
}

/// The workers' stacks are sized by `MAX_FUNC_BYTES`, so no function may be longer.
#[test]
fn no_runtime_function_is_longer_than_max_func_bytes() {
    let checked = check(Parts::All);
    let program = crate::ssa::build::Program::new(&checked.file, &checked.info);
    for (idx, func) in checked.info.funcs.iter().enumerate() {
        let span = program.span(crate::types::FuncId(idx as u32));
        let len = (span.hi - span.lo) as usize;
        assert!(
            len <= MAX_FUNC_BYTES,
            "{} has {len} bytes, more than MAX_FUNC_BYTES",
            func.name
        );
    }
}

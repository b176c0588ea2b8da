//! Tests of the workload generator: every shape checks clean and a seed fixes the output.

use super::*;
use crate::diag::SourceFile;

#[test]
fn every_shape_generates_valid_programs() {
    let shapes = [
        ("small", Shape::Small),
        ("mixed", Shape::Mixed),
        ("heavy-tail", Shape::HeavyTail),
        ("closures", Shape::Closures),
        ("deep-closures", Shape::DeepClosures),
    ];
    for (name, shape) in shapes {
        for seed in 0..3 {
            let text = generate(shape, 40, seed);
            let source = SourceFile::new(format!("{name}.toy"), text);
            let (checked, diags) = crate::driver::front_end(&source);
            assert!(
                checked.is_some(),
                "{name} seed {seed}: {:?}\n{}",
                diags.sorted(),
                source.text
            );
        }
    }
}

#[test]
fn a_seed_fixes_the_program() {
    assert_eq!(
        generate(Shape::HeavyTail, 50, 7),
        generate(Shape::HeavyTail, 50, 7)
    );
    assert_ne!(
        generate(Shape::HeavyTail, 50, 7),
        generate(Shape::HeavyTail, 50, 8)
    );
}

#[test]
fn deep_closures_nest_literals() {
    let text = generate(Shape::DeepClosures, 1, 1);
    let source = SourceFile::new("deep.toy", text);
    let (checked, _) = crate::driver::front_end(&source);
    let checked = checked.expect("a valid program");
    let max_depth = checked
        .info
        .funcs
        .iter()
        .map(|func| {
            let mut depth = 0;
            let mut parent = func.parent;
            while let Some(id) = parent {
                depth += 1;
                parent = checked.info.funcs[id.0 as usize].parent;
            }
            depth
        })
        .max();
    assert!(max_depth >= Some(8), "{max_depth:?}");
}

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
        ("mixed-slices", Shape::MixedSlices),
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

/// Returns the FNV-1a hash of `bytes`, continuing from `hash`: stable across Rust versions,
/// unlike `DefaultHasher`.
fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Returns the hash of the programs of seeds 0 to 39.
fn hash_of_seeds(options: random::Options) -> u64 {
    (0..40).fold(0xcbf2_9ce4_8422_2325, |hash, seed| {
        fnv1a(hash, random::generate(seed, options).as_bytes())
    })
}

fn level1(size: usize, panics: bool) -> random::Options {
    random::Options {
        size,
        panics,
        features: random::Features::LEVEL1,
    }
}

fn level2(features: random::Features, panics: bool) -> random::Options {
    random::Options {
        size: 8,
        panics,
        features,
    }
}

#[test]
fn level1_programs_are_those_from_before_level2() {
    // The hashes of what `toyc gen-test` printed before it learned Level 2: CI's fixed batch
    // of seeds must keep testing the same programs.
    assert_eq!(hash_of_seeds(level1(8, false)), 0x1e1d_0f8e_c4cd_332b);
    assert_eq!(hash_of_seeds(level1(8, true)), 0x5abf_bb75_f766_c028);
    assert_eq!(hash_of_seeds(level1(3, false)), 0xe170_8087_e511_ebbb);
}

#[test]
fn level1_random_programs_check_clean() {
    for seed in 0..10 {
        for panics in [false, true] {
            let text = random::generate(seed, level1(8, panics));
            let source = SourceFile::new(format!("random-{seed}.toy"), text);
            let (checked, diags) = crate::driver::front_end(&source);
            assert!(
                checked.is_some(),
                "seed {seed}: {:?}\n{}",
                diags.sorted(),
                source.text
            );
        }
    }
}

#[test]
fn a_seed_fixes_the_level2_program() {
    let no_printf = random::Features {
        printf: false,
        ..random::Features::LEVEL2
    };
    for features in [no_printf, random::Features::LEVEL2] {
        for panics in [false, true] {
            let options = level2(features, panics);
            assert_eq!(random::generate(11, options), random::generate(11, options));
            assert_ne!(random::generate(11, options), random::generate(12, options));
            assert_ne!(
                random::generate(11, options),
                random::generate(11, level1(8, panics))
            );
        }
    }
}

#[test]
fn level2_programs_use_only_the_features_asked_for() {
    let only = |bytes, slices, variadic, printf| random::Features {
        bytes,
        slices,
        variadic,
        printf,
    };
    for seed in 0..20 {
        let bytes = random::generate(seed, level2(only(true, false, false, false), true));
        assert!(!bytes.contains('[') && !bytes.contains("..."), "{bytes}");
        let slices = random::generate(seed, level2(only(false, true, false, false), true));
        assert!(
            !slices.contains("byte") && !slices.contains("sum("),
            "{slices}"
        );
        let no_printf = random::generate(seed, level2(only(true, true, true, false), true));
        assert!(!no_printf.contains("Printf") && !no_printf.contains("Sprintf"));
        let printf = random::generate(seed, level2(only(false, false, false, true), true));
        assert!(
            !printf.contains("[]") && !printf.contains("byte"),
            "{printf}"
        );
    }
    let all: String = (0..20)
        .map(|seed| random::generate(seed, level2(random::Features::LEVEL2, true)))
        .collect();
    for construct in [
        "byte(",
        "[]byte(",
        "string(",
        "append(",
        "copy(",
        "cap(",
        ":= range ",
        "...)",
        "fmt.Printf(",
        "fmt.Sprintf(",
        "[][]int{",
        "[]func(int) int",
    ] {
        assert!(all.contains(construct), "no {construct} in 20 programs");
    }
}

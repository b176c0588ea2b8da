//! Unit tests of constants: the word paths of integers agree with big-number arithmetic,
//! results are words exactly when they fit, and constant strings join lazily.

use super::*;
use num_traits::Zero;

fn values() -> Vec<BigInt> {
    let mut values: Vec<BigInt> = [
        0,
        1,
        -1,
        2,
        -2,
        7,
        -7,
        12345,
        1 << 32,
        -(1 << 32),
        i64::MAX,
        i64::MAX - 1,
        i64::MIN,
        i64::MIN + 1,
    ]
    .into_iter()
    .map(BigInt::from)
    .collect();
    values.push(BigInt::from(u64::MAX));
    let big: BigInt = BigInt::from(1) << 70u32;
    values.push(-&big);
    values.push(big);
    values
}

/// Checks that `int` is `expected`, as a word exactly when it fits one.
fn check(int: Int, expected: BigInt, what: &str) {
    assert_eq!(int.big(), expected, "{what}");
    assert_eq!(
        matches!(int, Int::Small(_)),
        expected.to_i64().is_some(),
        "{what}: {int:?}"
    );
}

#[test]
fn operators_agree_with_big_numbers() {
    for a in values() {
        for b in values() {
            let (x, y) = (Int::from(a.clone()), Int::from(b.clone()));
            let what = |op: &str| format!("{a} {op} {b}");
            check(x.clone() + y.clone(), &a + &b, &what("+"));
            check(x.clone() - y.clone(), &a - &b, &what("-"));
            check(x.clone() * y.clone(), &a * &b, &what("*"));
            check(x.clone() & y.clone(), &a & &b, &what("&"));
            check(x.clone() | y.clone(), &a | &b, &what("|"));
            check(x.clone() ^ y.clone(), &a ^ &b, &what("^"));
            if !b.is_zero() {
                check(x.clone() / y.clone(), &a / &b, &what("/"));
                check(x.clone() % y.clone(), &a % &b, &what("%"));
            }
            assert_eq!(x.cmp(&y), a.cmp(&b), "{}", what("cmp"));
        }
    }
}

#[test]
fn unary_operators_and_shifts_agree_with_big_numbers() {
    for a in values() {
        let x = Int::from(a.clone());
        check(-x.clone(), -&a, &format!("-{a}"));
        check(!x.clone(), -&a - 1, &format!("^{a}"));
        for count in [0, 1, 3, 31, 62, 63, 64, 65, 100, 600] {
            check(x.clone() << count, &a << count, &format!("{a} << {count}"));
            check(x.clone() >> count, &a >> count, &format!("{a} >> {count}"));
        }
        assert_eq!(x.bits(), a.bits(), "bits of {a}");
        assert_eq!(x.to_u64(), a.to_u64(), "{a} as u64");
        assert_eq!(x.is_negative(), a.is_negative(), "sign of {a}");
        assert_eq!(x.to_string(), a.to_string());
    }
}

fn leaf(text: &str) -> ConstStr {
    ConstStr::new(text.as_bytes().into())
}

#[test]
fn string_concatenation_joins_on_first_read_and_shares_the_rest() {
    let abc = leaf("a").concat(&leaf("b")).concat(&leaf("c"));
    let both = abc.concat(&abc);
    assert_eq!(both.len(), 6);
    assert_eq!(&**both.bytes(), b"abcabc");
    assert_eq!(&**abc.bytes(), b"abc");
    assert_eq!(abc.concat(&leaf("")), abc);
    assert!(leaf("ab") < leaf("b"));
    assert_eq!(format!("{}", ConstValue::Str(both)), "\"abcabc\"");
}

/// A chain as long as a large file is read and dropped without recursing once per link.
#[test]
fn a_long_concatenation_chain_is_read_and_dropped_on_a_small_stack() {
    let chain = std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(|| {
            let mut chain = leaf("");
            for _ in 0..1_000_000 {
                chain = chain.concat(&leaf("x"));
            }
            let len = chain.bytes().len();
            drop(chain);
            len
        })
        .expect("the thread starts")
        .join()
        .expect("no stack overflow");
    assert_eq!(chain, 1_000_000);
}

#[test]
fn a_long_string_is_shown_cut_as_go_shows_it() {
    let text = ConstValue::Str(leaf(&"é".repeat(1000))).to_string();
    assert_eq!(text.chars().count(), 72);
    assert!(text.ends_with("éé..."), "{text}");
}

//! Unit tests of constant integers: the word paths agree with big-number arithmetic, and
//! results are words exactly when they fit.

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

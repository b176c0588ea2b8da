//! Unit tests of the scope table.

use super::*;

#[test]
fn inner_scope_shadows_and_pop_restores() {
    let (x, y) = (Symbol(0), Symbol(1));
    let mut scopes = Scopes::default();
    scopes.push();
    scopes.declare(x, ObjId(1)).expect("fresh");
    scopes.push();
    scopes.declare(x, ObjId(2)).expect("shadowing is allowed");
    scopes.declare(y, ObjId(3)).expect("fresh");
    assert_eq!(scopes.lookup(x), Some(ObjId(2)));
    assert_eq!(scopes.lookup_depth(y), Some((ObjId(3), 2)));
    scopes.pop();
    assert_eq!(scopes.lookup(x), Some(ObjId(1)));
    assert_eq!(scopes.lookup(y), None);
}

#[test]
fn redeclaring_in_the_same_scope_reports_the_first() {
    let x = Symbol(7);
    let mut scopes = Scopes::default();
    scopes.push();
    scopes.declare(x, ObjId(1)).expect("fresh");
    assert_eq!(scopes.declare(x, ObjId(2)), Err(ObjId(1)));
    assert_eq!(scopes.lookup(x), Some(ObjId(1)));
}

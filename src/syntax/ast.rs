//! The abstract syntax tree of one Toy file, as the parser builds it.
//!
//! The tree is untyped and unresolved: names are interned [`Symbol`]s, literals are spans into
//! the source (the checker reads their text when it needs the value). Every expression and
//! every identifier carries a [`NodeId`], numbered densely from 0, so later phases keep their
//! facts about nodes in plain vectors (`types::Info`) instead of annotating the tree.

use rustc_hash::FxHashMap;

use crate::diag::Span;

/// Dense index of an expression or identifier node; `File::n_nodes` bounds them all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// An interned identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol(pub u32);

/// The table of interned identifiers; symbols are numbered in order of first appearance.
#[derive(Debug, Default)]
pub struct Interner {
    /// Names of up to seven bytes, by [`short_key`]: most identifiers, found without
    /// hashing or comparing their text byte by byte.
    short: FxHashMap<u64, Symbol>,
    /// Longer names.
    long: FxHashMap<Box<str>, Symbol>,
    names: Vec<Box<str>>,
}

/// Returns a name of up to seven bytes as one word: its bytes, then its length in the last
/// byte, so that no two names share a word.
fn short_key(name: &str) -> Option<u64> {
    let bytes = name.as_bytes();
    (bytes.len() < 8).then(|| {
        let mut word = [0u8; 8];
        word[..bytes.len()].copy_from_slice(bytes);
        word[7] = bytes.len() as u8;
        u64::from_le_bytes(word)
    })
}

impl Interner {
    /// Returns the symbol of `name`, interning it on first sight.
    pub fn intern(&mut self, name: &str) -> Symbol {
        let next = Symbol(self.names.len() as u32);
        let sym = match short_key(name) {
            Some(key) => *self.short.entry(key).or_insert(next),
            None => match self.long.get(name) {
                Some(&sym) => sym,
                None => {
                    self.long.insert(name.into(), next);
                    next
                }
            },
        };
        if sym == next {
            self.names.push(name.into());
        }
        sym
    }

    /// Returns the interned names, in symbol order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|name| &**name)
    }

    /// Returns the symbol of `name` if it was interned.
    pub fn lookup(&self, name: &str) -> Option<Symbol> {
        match short_key(name) {
            Some(key) => self.short.get(&key).copied(),
            None => self.long.get(name).copied(),
        }
    }

    /// Returns the text of `sym`.
    pub fn name(&self, sym: Symbol) -> &str {
        &self.names[sym.0 as usize]
    }
}

/// A parsed file.
#[derive(Debug)]
pub struct File {
    /// The name after `package`.
    pub package: Ident,
    /// The imported paths.
    pub imports: Vec<Import>,
    /// Top-level declarations in source order.
    pub decls: Vec<Decl>,
    /// One more than the largest [`NodeId`] in the tree.
    pub n_nodes: u32,
    /// The identifiers of the file.
    pub names: Interner,
}

/// `import "path"`.
#[derive(Clone, Debug)]
pub struct Import {
    /// An explicit package name (`import f "fmt"`), which Toy rejects.
    pub alias: Option<Ident>,
    /// The decoded path.
    pub path: Vec<u8>,
    /// The span of the path literal.
    pub span: Span,
}

/// An identifier occurrence.
#[derive(Clone, Copy, Debug)]
pub struct Ident {
    /// Its node.
    pub id: NodeId,
    /// Its name.
    pub name: Symbol,
    /// Where it is.
    pub span: Span,
}

/// A top-level declaration.
#[derive(Clone, Debug)]
pub enum Decl {
    /// `func name(…) … { … }`.
    Func(Box<FuncDecl>),
    /// `var …`, one spec or a group.
    Var(Vec<VarSpec>),
    /// `const …`, one spec or a group.
    Const(Vec<ConstSpec>),
    /// `type …`, one spec or a group; Toy rejects them until Level 3.
    Type(Box<TypeDecl>),
    /// A declaration the parser could not read; its error is already reported.
    Bad,
}

/// A function or method declaration.
#[derive(Clone, Debug)]
pub struct FuncDecl {
    /// The receiver of a method (`func (r T) name`); Toy rejects methods until Level 3.
    pub recv: Option<Box<Param>>,
    /// The function's name.
    pub name: Ident,
    /// Its type parameters (`func f[T any]`), which Toy rejects; empty for most.
    pub tparams: Vec<Param>,
    /// Its parameters and results.
    pub sig: Signature,
    /// Its body; Go allows a missing body only for assembly functions.
    pub body: Option<Block>,
}

/// Parameters and results of a function or function type.
#[derive(Clone, Debug)]
pub struct Signature {
    /// Parameters in order; a group `a, b int` is already split into one per name.
    pub params: Vec<Param>,
    /// Results in order.
    pub results: Vec<Param>,
    /// From `(` (or `func` for a type) to the end of the results.
    pub span: Span,
}

/// One parameter or result.
#[derive(Clone, Debug)]
pub struct Param {
    /// Its name, if the list names its entries.
    pub name: Option<Ident>,
    /// Its type.
    pub ty: TypeExpr,
    /// Written `...T`.
    pub variadic: bool,
    /// Written in a group whose type comes after the next name: `a` in `a, b int`.
    pub shares_type: bool,
}

/// A type as written. Go's whole type syntax is read, so that a type Toy lacks is rejected
/// by the checker, at the type, with what it is; Level 1 has only `Name` and `Func`.
#[derive(Clone, Debug)]
pub enum TypeExpr {
    /// A type name: `int`, `bool`, `string`.
    Name(Ident),
    /// A type name of another package: `strings.Builder`.
    Qualified(Box<Qualified>),
    /// A generic type instantiated: `List[int]`, `pkg.Set[K, V]`.
    Instance(Box<Instance>),
    /// `func(…) …`.
    Func(Box<Signature>),
    /// `[]T`, `[N]T`, `[...]T`, `*T`, `map[K]V`, `chan T`, `struct{…}`, `interface{…}`, and
    /// the unions of constraints (`~int | string`).
    Literal(Box<TypeLit>),
}

impl TypeExpr {
    /// Returns where the type is written.
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Name(ident) => ident.span,
            TypeExpr::Qualified(qualified) => Span {
                lo: qualified.pkg.span.lo,
                hi: qualified.name.span.hi,
            },
            TypeExpr::Instance(instance) => instance.span,
            TypeExpr::Func(sig) => sig.span,
            TypeExpr::Literal(lit) => lit.span,
        }
    }
}

/// `pkg.Name`.
#[derive(Clone, Debug)]
pub struct Qualified {
    /// The package name.
    pub pkg: Ident,
    /// The type's name in it.
    pub name: Ident,
}

/// `T[A, B]`: a generic type and its type arguments.
#[derive(Clone, Debug)]
pub struct Instance {
    /// The generic type: a `Name` or a `Qualified`.
    pub base: TypeExpr,
    /// The type arguments, as expressions: the grammar reads `T[N]` before it knows whether
    /// the brackets hold types or an array length.
    pub args: Box<[Expr]>,
    /// From the type's name to the closing bracket.
    pub span: Span,
}

/// A type written with a type constructor, and where it is written, from its first token.
#[derive(Clone, Debug)]
pub struct TypeLit {
    /// What type it is.
    pub kind: TypeLitKind,
    /// From the first token (`[`, `*`, `map`, `chan`, `<-`, `struct`, `interface`, `~`) to
    /// the end.
    pub span: Span,
}

/// The forms of [`TypeLit`].
#[derive(Clone, Debug)]
pub enum TypeLitKind {
    /// `[]T`.
    Slice(TypeExpr),
    /// `[N]T`; no length for `[...]T`, which only a composite literal may write.
    Array(Option<Expr>, TypeExpr),
    /// `*T`.
    Pointer(TypeExpr),
    /// `map[K]V`.
    Map(TypeExpr, TypeExpr),
    /// `chan T`, `chan<- T`, `<-chan T`.
    Chan(ChanDir, TypeExpr),
    /// `struct { … }`.
    Struct(Vec<Field>),
    /// `interface { … }`.
    Interface(Vec<InterfaceElem>),
    /// `A | ~B | …`: a union of terms, or one `~T`, in a constraint.
    Union(Vec<Term>),
}

/// Which way a channel type lets values go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChanDir {
    /// `chan T`.
    Both,
    /// `chan<- T`.
    Send,
    /// `<-chan T`.
    Recv,
}

/// A field declaration of a struct type: `a, b T`, or an embedded `T` or `*T`.
#[derive(Clone, Debug)]
pub struct Field {
    /// The field names; empty for an embedded field.
    pub names: Vec<Ident>,
    /// The field type.
    pub ty: TypeExpr,
    /// The tag's span, if the field has one.
    pub tag: Option<Span>,
}

/// An element of an interface type.
#[derive(Clone, Debug)]
pub enum InterfaceElem {
    /// A method: `Name(…) …`.
    Method(Ident, Signature),
    /// An embedded interface or a type set: `fmt.Stringer`, `~int | string`.
    Type(TypeExpr),
}

/// One term of a union: `T` or `~T`.
#[derive(Clone, Debug)]
pub struct Term {
    /// Written `~T`: every type whose underlying type is `T`.
    pub tilde: bool,
    /// `T`.
    pub ty: TypeExpr,
}

/// `type …`: one spec or a group.
#[derive(Clone, Debug)]
pub struct TypeDecl {
    /// The `type` keyword.
    pub span: Span,
    /// The specs in order.
    pub specs: Vec<TypeSpec>,
}

/// `name [type params] [=] type` in a `type` declaration.
#[derive(Clone, Debug)]
pub struct TypeSpec {
    /// The declared name.
    pub name: Ident,
    /// The type parameters of a generic type.
    pub tparams: Vec<Param>,
    /// An alias (`type A = B`) rather than a new type.
    pub alias: bool,
    /// The type.
    pub ty: TypeExpr,
}

/// `names [type] [= values]` in a `var` declaration.
#[derive(Clone, Debug)]
pub struct VarSpec {
    /// The declared names.
    pub names: Vec<Ident>,
    /// The declared type, if written.
    pub ty: Option<TypeExpr>,
    /// The initial values; empty for zero values.
    pub values: Vec<Expr>,
}

/// `names [type] [= values]` in a `const` declaration.
#[derive(Clone, Debug)]
pub struct ConstSpec {
    /// The declared names.
    pub names: Vec<Ident>,
    /// The declared type, if written.
    pub ty: Option<TypeExpr>,
    /// The values; empty means "repeat the previous spec's type and values".
    pub values: Vec<Expr>,
    /// The position of the spec in its group: the value of `iota`.
    pub iota: u32,
}

/// `{ … }`.
#[derive(Clone, Debug)]
pub struct Block {
    /// The statements.
    pub stmts: Box<[Stmt]>,
    /// From the opening brace to the closing one, both included.
    pub span: Span,
}

impl Block {
    /// Returns the opening brace: where the block starts.
    pub fn lbrace(&self) -> Span {
        Span::new(self.span.lo as usize, self.span.lo as usize + 1)
    }

    /// Returns the closing brace, where Go reports `missing return`.
    pub fn rbrace(&self) -> Span {
        Span::new(self.span.hi as usize - 1, self.span.hi as usize)
    }
}

/// A statement.
#[derive(Clone, Debug)]
pub enum Stmt {
    /// An expression statement; Go allows only calls.
    Expr(Expr),
    /// A `var` declaration.
    Var(Vec<VarSpec>),
    /// A `const` declaration.
    Const(Vec<ConstSpec>),
    /// A local `type` declaration, which Toy rejects until Level 3.
    Type(Box<TypeDecl>),
    /// `lhs := rhs`.
    Define {
        /// The left side; the checker requires names.
        lhs: Box<[Expr]>,
        /// The right side.
        rhs: Box<[Expr]>,
        /// The `:=`.
        span: Span,
    },
    /// `lhs = rhs` or `lhs op= rhs`.
    Assign {
        /// The left side.
        lhs: Box<[Expr]>,
        /// The operator of a compound assignment.
        op: Option<BinOp>,
        /// The right side.
        rhs: Box<[Expr]>,
        /// The assignment operator.
        span: Span,
    },
    /// `target++` or `target--`.
    IncDec {
        /// The variable.
        target: Expr,
        /// `++` rather than `--`.
        inc: bool,
        /// The operator.
        span: Span,
    },
    /// A nested block.
    Block(Block),
    /// `if`.
    If(Box<IfStmt>),
    /// `for`.
    For(Box<ForStmt>),
    /// `switch`.
    Switch(Box<SwitchStmt>),
    /// `switch [init;] [x :=] y.(type) { … }`.
    TypeSwitch(Box<TypeSwitchStmt>),
    /// `select { … }`.
    Select(Box<SelectStmt>),
    /// `go call` (`is_go`) or `defer call`.
    GoDefer {
        /// `go` rather than `defer`.
        is_go: bool,
        /// The call.
        call: Expr,
        /// The keyword.
        span: Span,
    },
    /// `ch <- value`.
    Send(Box<SendStmt>),
    /// `goto label`.
    Goto {
        /// The target label.
        label: Ident,
        /// The keyword.
        span: Span,
    },
    /// `fallthrough`.
    Fallthrough(Span),
    /// `return results`.
    Return {
        /// The returned values.
        results: Box<[Expr]>,
        /// The `return` keyword.
        span: Span,
    },
    /// `break [label]` or `continue [label]`.
    Branch {
        /// `break` rather than `continue`.
        is_break: bool,
        /// The target label.
        label: Option<Ident>,
        /// The keyword.
        span: Span,
    },
    /// `label: stmt`.
    Labeled {
        /// The label.
        label: Ident,
        /// The labelled statement.
        stmt: Box<Stmt>,
    },
    /// An empty statement (`;`).
    Empty,
    /// A statement the parser could not read; its error is already reported.
    Bad,
}

// A statement is six words: a larger form sits behind a box, as for expressions.
const _: () = assert!(std::mem::size_of::<Stmt>() == 48);

/// `ch <- value`.
#[derive(Clone, Debug)]
pub struct SendStmt {
    /// The channel.
    pub chan: Expr,
    /// The value sent.
    pub value: Expr,
    /// The arrow.
    pub span: Span,
}

/// `if [init;] cond { … } [else …]`.
#[derive(Clone, Debug)]
pub struct IfStmt {
    /// The `if` keyword.
    pub span: Span,
    /// The init statement.
    pub init: Option<Stmt>,
    /// The condition.
    pub cond: Expr,
    /// The block run when the condition holds.
    pub then: Block,
    /// An `if` statement or a block.
    pub els: Option<Stmt>,
}

/// A `for` statement.
#[derive(Clone, Debug)]
pub struct ForStmt {
    /// The `for` keyword.
    pub span: Span,
    /// The loop header.
    pub header: ForHeader,
    /// The body.
    pub body: Block,
}

/// The forms of loop header.
#[derive(Clone, Debug)]
pub enum ForHeader {
    /// `for init; cond; post`, any part optional (`for {}` and `for cond {}` too).
    Clause {
        /// Runs once before the loop.
        init: Option<Box<Stmt>>,
        /// Checked before every iteration; absent means forever.
        cond: Option<Expr>,
        /// Runs after every iteration.
        post: Option<Box<Stmt>>,
    },
    /// `for [key[, value] :=|=] range expr`.
    Range {
        /// The key (index) variable or target.
        key: Option<Expr>,
        /// The value variable or target.
        value: Option<Expr>,
        /// The variables are declared (`:=`) rather than assigned.
        define: bool,
        /// The ranged-over expression.
        expr: Expr,
    },
}

/// `switch [init;] [tag] { clauses }`.
#[derive(Clone, Debug)]
pub struct SwitchStmt {
    /// The `switch` keyword.
    pub span: Span,
    /// The init statement.
    pub init: Option<Stmt>,
    /// The tag; a tagless switch compares against `true`.
    pub tag: Option<Expr>,
    /// The clauses in order.
    pub clauses: Vec<CaseClause>,
    /// The closing brace.
    pub rbrace: Span,
}

/// `switch [init;] [bind :=] guard { clauses }`, where `guard` is `x.(type)`; the clauses
/// list types (and `nil`), written as expressions, as Go's parser reads them.
#[derive(Clone, Debug)]
pub struct TypeSwitchStmt {
    /// The `switch` keyword.
    pub span: Span,
    /// The init statement.
    pub init: Option<Stmt>,
    /// The variable declared in each clause (`v := x.(type)`).
    pub bind: Option<Ident>,
    /// `x.(type)`, an [`ExprKind::TypeGuard`].
    pub guard: Expr,
    /// The clauses in order.
    pub clauses: Vec<CaseClause>,
    /// The closing brace.
    pub rbrace: Span,
}

/// `select { clauses }`.
#[derive(Clone, Debug)]
pub struct SelectStmt {
    /// The `select` keyword.
    pub span: Span,
    /// The clauses in order.
    pub clauses: Vec<CommClause>,
}

/// `case comm:` or `default:` of a `select`, with its statements.
#[derive(Clone, Debug)]
pub struct CommClause {
    /// The `case` or `default` keyword.
    pub span: Span,
    /// A send or receive statement; `None` for `default`.
    pub comm: Option<Stmt>,
    /// The statements.
    pub body: Box<[Stmt]>,
}

/// `case exprs:` or `default:` with its statements.
#[derive(Clone, Debug)]
pub struct CaseClause {
    /// The `case` or `default` keyword.
    pub span: Span,
    /// The case expressions; `None` for `default`.
    pub exprs: Option<Vec<Expr>>,
    /// The statements.
    pub body: Box<[Stmt]>,
}

/// An expression.
#[derive(Clone, Debug)]
pub struct Expr {
    /// Its node.
    pub id: NodeId,
    /// Where it is written.
    pub span: Span,
    /// What it is.
    pub kind: ExprKind,
}

/// The forms of expression.
#[derive(Clone, Debug)]
pub enum ExprKind {
    /// A name.
    Name(Symbol),
    /// An integer literal; the text is in the span.
    Int,
    /// A floating-point literal, which Toy rejects.
    Float,
    /// An imaginary literal, which Toy rejects.
    Imag,
    /// A rune literal.
    Rune,
    /// A string literal, raw or interpreted; the text is in the span (`lexer::unquote`
    /// decodes it).
    Str,
    /// A function literal.
    FuncLit(Box<FuncLit>),
    /// A function type used as an expression, as the callee of a conversion.
    FuncType(Box<Signature>),
    /// Any other type literal used as an expression: `[]byte(s)`, `make(map[K]V)`, the type
    /// of a composite literal. Type names are `Name` and `Selector`, function types
    /// `FuncType`.
    Type(Box<TypeLit>),
    /// A composite literal: `T{…}`, `[]int{1, 2}`, and `{…}` with its type left out inside
    /// another.
    Composite(Box<Composite>),
    /// `(x)`.
    Paren(Box<Expr>),
    /// `op x`.
    Unary(UnOp, Box<Expr>),
    /// `x op y`.
    Binary(BinOp, Box<Binary>),
    /// `func(args)`.
    Call(Box<Call>),
    /// `x.name`.
    Selector(Box<Selector>),
    /// `x[i]`: an index, or a generic function or type instantiated with one argument.
    Index(Box<[Expr; 2]>),
    /// `f[A, B]`: a generic function or type instantiated with several arguments.
    Instance(Box<InstanceExpr>),
    /// `x[lo:hi]` or `x[lo:hi:max]`.
    Slice(Box<SliceExpr>),
    /// `x.(T)`.
    TypeAssert(Box<TypeAssert>),
    /// `x.(type)`, which only a type switch's header may hold.
    TypeGuard(Box<Expr>),
    /// A key and a value of a composite literal: `k: v`.
    KeyValue(Box<[Expr; 2]>),
    /// An expression the parser could not read.
    Bad,
}

// Every variant holds at most one word besides its tag, so that an `Expr` is four words:
// the tree of a large file is mostly expressions, and its size is the front end's memory
// and much of its time (a first touch of a page costs a fault).
const _: () = assert!(std::mem::size_of::<Expr>() == 32);

/// The operands of `x op y`, with the operator's span.
#[derive(Clone, Debug)]
pub struct Binary {
    /// `x` and `y`.
    pub operands: [Expr; 2],
    /// Where the operator is written.
    pub op_span: Span,
}

/// `func(args)`.
#[derive(Clone, Debug)]
pub struct Call {
    /// What is called.
    pub callee: Expr,
    /// The arguments.
    pub args: Box<[Expr]>,
    /// The `...` after the last argument (`f(xs...)`), if written.
    pub dots: Option<Span>,
}

/// `T{elems}`.
#[derive(Clone, Debug)]
pub struct Composite {
    /// The literal's type; `None` inside another literal, which gives it.
    pub ty: Option<Expr>,
    /// The elements in order; a keyed one is a [`ExprKind::KeyValue`].
    pub elems: Box<[Expr]>,
    /// The closing brace.
    pub rbrace: Span,
}

/// `f[args]` with several arguments.
#[derive(Clone, Debug)]
pub struct InstanceExpr {
    /// The generic function or type.
    pub base: Expr,
    /// The type arguments, as expressions.
    pub args: Box<[Expr]>,
}

/// `x[lo:hi]` or `x[lo:hi:max]`.
#[derive(Clone, Debug)]
pub struct SliceExpr {
    /// What is sliced.
    pub base: Expr,
    /// The bounds, each optional but for `hi` and `max` of a three-index slice.
    pub lo: Option<Expr>,
    /// The upper bound.
    pub hi: Option<Expr>,
    /// The capacity bound, written only in a three-index slice.
    pub max: Option<Expr>,
}

/// `x.(T)`.
#[derive(Clone, Debug)]
pub struct TypeAssert {
    /// The interface value.
    pub base: Expr,
    /// The asserted type.
    pub ty: TypeExpr,
}

/// `x.name`.
#[derive(Clone, Debug)]
pub struct Selector {
    /// `x`.
    pub base: Expr,
    /// `name`.
    pub name: Ident,
}

/// A function literal.
#[derive(Clone, Debug)]
pub struct FuncLit {
    /// Its type.
    pub sig: Signature,
    /// Its body.
    pub body: Block,
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    /// `+x`.
    Plus,
    /// `-x`.
    Neg,
    /// `!x`.
    Not,
    /// `^x`.
    BitNot,
    /// `*x`, which Toy rejects until Level 3.
    Deref,
    /// `&x`, which Toy rejects until Level 3.
    Addr,
    /// `<-x`, which Toy rejects.
    Recv,
}

/// Binary operators, including the logical ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `||`.
    LOr,
    /// `&&`.
    LAnd,
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `|`.
    Or,
    /// `^`.
    Xor,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `%`.
    Rem,
    /// `<<`.
    Shl,
    /// `>>`.
    Shr,
    /// `&`.
    And,
    /// `&^`.
    AndNot,
}

impl BinOp {
    /// Returns the operator as written.
    pub fn text(self) -> &'static str {
        match self {
            BinOp::LOr => "||",
            BinOp::LAnd => "&&",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Or => "|",
            BinOp::Xor => "^",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
            BinOp::And => "&",
            BinOp::AndNot => "&^",
        }
    }

    /// Returns the operator's precedence in Go: 5 binds tightest (`*`), 1 loosest (`||`).
    pub fn precedence(self) -> u8 {
        match self {
            BinOp::LOr => 1,
            BinOp::LAnd => 2,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => 3,
            BinOp::Add | BinOp::Sub | BinOp::Or | BinOp::Xor => 4,
            BinOp::Mul
            | BinOp::Div
            | BinOp::Rem
            | BinOp::Shl
            | BinOp::Shr
            | BinOp::And
            | BinOp::AndNot => 5,
        }
    }

    /// Returns whether the operator compares its operands.
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        )
    }
}

impl UnOp {
    /// Returns the operator as written.
    pub fn text(self) -> &'static str {
        match self {
            UnOp::Plus => "+",
            UnOp::Neg => "-",
            UnOp::Not => "!",
            UnOp::BitNot => "^",
            UnOp::Deref => "*",
            UnOp::Addr => "&",
            UnOp::Recv => "<-",
        }
    }
}

/// Returns `expr` without the parentheses around it: `((x))` is `x`. Parentheses only group,
/// so every phase that asks what an expression is looks through them.
pub fn unparen(mut expr: &Expr) -> &Expr {
    while let ExprKind::Paren(inner) = &expr.kind {
        expr = inner;
    }
    expr
}

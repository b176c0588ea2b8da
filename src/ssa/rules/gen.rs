//! The rule generator (Go's `rulegen`): reads a `.rules` file and writes the Rust function
//! that applies its rules to one value. `build.rs` runs it for each file of `src/ssa/rules`;
//! the passes include the result from `OUT_DIR`.
//!
//! A rule reads `PATTERN [&& CONDITION] => RESULT`, on one line or on several while a
//! parenthesis is open:
//!
//! - A pattern is `(Op [aux] arg...)`. `Op` may list alternatives at the top (`Sub|Xor`),
//!   which makes one rule per operation. `[c]` binds the value's `aux` to `c` (an `i64`);
//!   `[0]` or `[-1]` requires it; no brackets leave it free. An argument is a pattern, a
//!   variable (a `ValueId`) or `_`. A variable named twice requires the same value. A pattern
//!   has exactly the arguments it lists; `z:(Op ...)` also binds the value to `z`.
//!   Arguments of a commutative operation (the ones
//!   `Op::is_commutative` names in `op.rs`) are also tried swapped, as in Go.
//! - A condition is a Rust expression over the bound names.
//! - A result is a variable (the value becomes a copy of it, Go's `copyOf`) or `(Op [expr]
//!   arg...)`: the value becomes that operation, `aux` the expression (0 without one) and
//!   the listed arguments, each a variable or an operation made as a new value just before
//!   the rewritten one, in its block.
//!
//! Rules of one operation are tried in the file's order; the first that matches rewrites
//! the value. A rule that an earlier rule without condition always preempts is an error,
//! and so is an operation that `op.rs` does not define: the build stops with the file and
//! line.
//!
//! The generated function dispatches on the operation first, names every operation (no
//! catch-all arm), and allocates nothing.

use std::fmt::Write as _;

/// Where a rule comes from, for messages and for the comments of the generated code.
#[derive(Clone, Debug)]
struct Origin {
    file: String,
    line: usize,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(out, "{}:{}", self.file, self.line)
    }
}

/// What a pattern asks of a value's `aux`.
#[derive(Clone, Debug, PartialEq)]
enum Aux {
    /// Anything.
    Free,
    /// Anything, bound to a name.
    Bind(String),
    /// Exactly this number.
    Exact(i64),
}

/// A pattern over a value.
#[derive(Clone, Debug, PartialEq)]
enum Pattern {
    /// Any value, bound to a name; `_` binds nothing.
    Var(String),
    /// A value of this operation whose `aux` and arguments match, bound to a name if one
    /// is given (`z:(Const [0])`).
    Op {
        name: Option<String>,
        op: String,
        aux: Aux,
        args: Vec<Pattern>,
    },
}

/// What a matched value becomes.
#[derive(Clone, Debug)]
enum Replacement {
    /// A copy of a bound value.
    Copy(String),
    /// An operation.
    Op(NewOp),
}

/// An operation of a result, with an `aux` expression (0 without one) and its arguments.
#[derive(Clone, Debug)]
struct NewOp {
    op: String,
    aux: Option<String>,
    args: Vec<NewArg>,
}

/// An argument of a result's operation.
#[derive(Clone, Debug)]
enum NewArg {
    /// A bound value.
    Var(String),
    /// A new value, made just before the rewritten one, in its block.
    Op(NewOp),
}

impl NewOp {
    /// Calls `visit` on this operation and every one nested in it.
    fn each<'n>(&'n self, visit: &mut dyn FnMut(&'n NewOp)) {
        visit(self);
        for arg in &self.args {
            match arg {
                NewArg::Var(_) => {}
                NewArg::Op(nested) => nested.each(visit),
            }
        }
    }
}

/// One rule, its top operation's alternatives already expanded.
#[derive(Clone, Debug)]
struct Rule {
    origin: Origin,
    text: String,
    pattern: Pattern,
    condition: Option<String>,
    replacement: Replacement,
}

impl Rule {
    fn op(&self) -> &str {
        match &self.pattern {
            Pattern::Op { op, .. } => op,
            Pattern::Var(_) => unreachable!("the parser requires an operation at the top"),
        }
    }
}

/// What the generator knows of the operations, read from `op.rs`.
pub struct Ops {
    /// Every operation, in declaration order.
    pub all: Vec<String>,
    /// The operations whose two arguments may be swapped.
    pub commutative: Vec<String>,
}

impl Ops {
    /// Reads the variants of `pub enum Op` and the operations `is_commutative` lists.
    pub fn from_source(source: &str) -> Result<Ops, String> {
        let body =
            section(source, "pub enum Op {", "\n}").ok_or("op.rs: `pub enum Op {` not found")?;
        let all: Vec<String> = body
            .lines()
            .map(str::trim)
            .filter(|line| !line.starts_with("//") && line.ends_with(','))
            .map(|line| line.trim_end_matches(',').to_string())
            .collect();
        let commutative_body = section(source, "fn is_commutative", "\n    }")
            .ok_or("op.rs: `fn is_commutative` not found")?;
        let commutative = commutative_body
            .split("Op::")
            .skip(1)
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
            })
            .collect();
        Ok(Ops { all, commutative })
    }

    fn is_commutative(&self, op: &str) -> bool {
        self.commutative.iter().any(|name| name == op)
    }
}

/// Returns the text of `source` between `start` and the first `end` after it.
fn section<'s>(source: &'s str, start: &str, end: &str) -> Option<&'s str> {
    let from = source.find(start)? + start.len();
    let len = source[from..].find(end)?;
    Some(&source[from..from + len])
}

/// Generates the Rust source of `pub(crate) fn NAME(f: &mut Func, v: ValueId) -> bool` from
/// the rules in `text` (read from `file`), or the first error, with its file and line.
pub fn generate(file: &str, text: &str, name: &str, ops: &Ops) -> Result<String, String> {
    let rules = parse_rules(file, text, ops)?;
    check_shadowing(&rules, ops)?;
    Ok(emit(file, name, &rules, ops))
}

/// Splits `text` into rules: a rule ends at the end of a line where no parenthesis is open.
fn parse_rules(file: &str, text: &str, ops: &Ops) -> Result<Vec<Rule>, String> {
    let mut rules = Vec::new();
    let mut pending = String::new();
    let mut start = 0;
    for (idx, line) in text.lines().enumerate() {
        let line = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        if line.trim().is_empty() {
            continue;
        }
        if pending.is_empty() {
            start = idx + 1;
        } else {
            pending.push(' ');
        }
        pending.push_str(line.trim());
        let depth = pending.matches('(').count() as isize - pending.matches(')').count() as isize;
        if depth > 0 {
            continue;
        }
        let origin = Origin {
            file: file.to_string(),
            line: start,
        };
        rules.extend(parse_rule(&origin, &pending, ops)?);
        pending.clear();
    }
    if !pending.is_empty() {
        return Err(format!("{file}:{start}: a parenthesis is not closed"));
    }
    Ok(rules)
}

/// Parses one rule and expands the alternatives of its top operation.
fn parse_rule(origin: &Origin, text: &str, ops: &Ops) -> Result<Vec<Rule>, String> {
    let error = |what: String| format!("{origin}: {what}");
    let (left, right) = text
        .split_once("=>")
        .ok_or_else(|| error("a rule needs `=>` between its pattern and its result".into()))?;
    let (pattern_text, condition) = match left.split_once("&&") {
        Some((pattern, condition)) => (pattern, Some(condition.trim().to_string())),
        None => (left, None),
    };
    let mut tokens = Tokens::new(pattern_text);
    let alternatives = match tokens.peek() {
        Some("(") => {
            tokens.next();
            tokens.word().map_err(&error)?
        }
        _ => return Err(error("a pattern starts with `(` and an operation".into())),
    };
    let aux = parse_aux(&mut tokens).map_err(&error)?;
    let mut args = Vec::new();
    while tokens.peek() != Some(")") {
        args.push(parse_pattern(&mut tokens, ops).map_err(&error)?);
    }
    tokens.next();
    if let Some(extra) = tokens.peek() {
        return Err(error(format!("unexpected `{extra}` after the pattern")));
    }
    let replacement = parse_replacement(right, ops).map_err(&error)?;
    let mut rules = Vec::new();
    for op in alternatives.split('|') {
        check_op(op, ops).map_err(&error)?;
        let pattern = Pattern::Op {
            name: None,
            op: op.to_string(),
            aux: aux.clone(),
            args: args.clone(),
        };
        let rule = Rule {
            origin: origin.clone(),
            text: text.to_string(),
            pattern,
            condition: condition.clone(),
            replacement: replacement.clone(),
        };
        check_names(&rule).map_err(&error)?;
        rules.push(rule);
    }
    Ok(rules)
}

fn check_op(op: &str, ops: &Ops) -> Result<(), String> {
    if ops.all.iter().any(|name| name == op) {
        Ok(())
    } else {
        Err(format!("`{op}` is not an operation of op.rs"))
    }
}

/// Checks that the result names only what the pattern binds, that every name bound is
/// used (`_` stands for a value that is not), and that no name is one the generated code
/// takes for itself.
fn check_names(rule: &Rule) -> Result<(), String> {
    let mut bound = Vec::new();
    bindings(&rule.pattern, &mut bound);
    let mut used: Vec<&String> = Vec::new();
    let mut expressions: Vec<&str> = vec![rule.condition.as_deref().unwrap_or("")];
    match &rule.replacement {
        Replacement::Copy(name) => used.push(name),
        Replacement::Op(new) => new.each(&mut |new| {
            expressions.extend(new.aux.as_deref());
            for arg in &new.args {
                match arg {
                    NewArg::Var(name) => used.push(name),
                    NewArg::Op(_) => {}
                }
            }
        }),
    }
    for name in &used {
        if *name == "_" || !bound.contains(name) {
            return Err(format!(
                "the result uses `{name}`, which the pattern does not bind"
            ));
        }
    }
    let mut auxes = Vec::new();
    aux_bindings(&rule.pattern, &mut auxes);
    for name in bound.iter().chain(&auxes) {
        if name == "f" || name == "v" || name.starts_with(LOCAL) {
            return Err(format!(
                "`{name}` is a name the generated code takes for itself"
            ));
        }
        let repeated = bound
            .iter()
            .chain(&auxes)
            .filter(|other| *other == name)
            .count()
            > 1;
        let in_expression = expressions
            .iter()
            .any(|expression| mentions(expression, name));
        if !repeated && !in_expression && !used.contains(&name) {
            return Err(format!(
                "`{name}` is bound but not used: write `_` or leave out the aux"
            ));
        }
    }
    Ok(())
}

/// Collects the names a pattern binds to `aux` fields.
fn aux_bindings(pattern: &Pattern, out: &mut Vec<String>) {
    match pattern {
        Pattern::Var(_) => {}
        Pattern::Op { aux, args, .. } => {
            if let Aux::Bind(name) = aux {
                out.push(name.clone());
            }
            for arg in args {
                aux_bindings(arg, out);
            }
        }
    }
}

/// Reports whether the Rust expression `text` mentions the identifier `name`.
fn mentions(text: &str, name: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|word| word == name)
}

/// Collects the value variables a pattern binds.
fn bindings(pattern: &Pattern, out: &mut Vec<String>) {
    match pattern {
        Pattern::Var(name) => {
            if name != "_" {
                out.push(name.clone());
            }
        }
        Pattern::Op { name, args, .. } => {
            out.extend(name.clone());
            for arg in args {
                bindings(arg, out);
            }
        }
    }
}

fn parse_pattern(tokens: &mut Tokens<'_>, ops: &Ops) -> Result<Pattern, String> {
    match tokens.next() {
        Some("(") => {
            let op = tokens.word()?;
            if op.contains('|') {
                return Err("alternatives are allowed only in the top operation".into());
            }
            check_op(&op, ops)?;
            let aux = parse_aux(tokens)?;
            let mut args = Vec::new();
            while tokens.peek() != Some(")") {
                if tokens.peek().is_none() {
                    return Err("a parenthesis is not closed".into());
                }
                args.push(parse_pattern(tokens, ops)?);
            }
            tokens.next();
            Ok(Pattern::Op {
                name: None,
                op,
                aux,
                args,
            })
        }
        Some(word) if is_variable(word) => Ok(Pattern::Var(word.to_string())),
        Some(word) if word.strip_suffix(':').is_some_and(is_variable) => {
            match parse_pattern(tokens, ops)? {
                Pattern::Op { op, aux, args, .. } => Ok(Pattern::Op {
                    name: Some(word.trim_end_matches(':').to_string()),
                    op,
                    aux,
                    args,
                }),
                Pattern::Var(_) => Err(format!("`{word}` names a variable, not an operation")),
            }
        }
        Some(other) => Err(format!("expected a pattern, found `{other}`")),
        None => Err("a pattern ends too early".into()),
    }
}

fn parse_aux(tokens: &mut Tokens<'_>) -> Result<Aux, String> {
    if tokens.peek() != Some("[") {
        return Ok(Aux::Free);
    }
    tokens.next();
    let word = tokens.word()?;
    if tokens.next() != Some("]") {
        return Err("`[` needs its `]`".into());
    }
    if is_variable(&word) && word != "_" {
        return Ok(Aux::Bind(word));
    }
    word.parse::<i64>()
        .map(Aux::Exact)
        .map_err(|_| format!("`[{word}]` is neither a name nor an integer"))
}

fn parse_replacement(text: &str, ops: &Ops) -> Result<Replacement, String> {
    let text = text.trim();
    if !text.starts_with('(') {
        return if is_variable(text) && text != "_" {
            Ok(Replacement::Copy(text.to_string()))
        } else {
            Err(format!("`{text}` is not a result"))
        };
    }
    let (new, rest) = parse_new_op(text, ops)?;
    if !rest.trim().is_empty() {
        return Err(format!("unexpected `{}` after the result", rest.trim()));
    }
    Ok(Replacement::Op(new))
}

/// Parses the operation `text` starts with, `(Op [aux] arg...)`, and returns it with the
/// text after it. The `aux` expression is Rust, read up to its matching `]`.
fn parse_new_op<'t>(text: &'t str, ops: &Ops) -> Result<(NewOp, &'t str), String> {
    let inner = text
        .strip_prefix('(')
        .ok_or("a result's operation starts with `(`")?;
    let inner = inner.trim_start();
    let end = inner
        .find(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '[')
        .unwrap_or(inner.len());
    let op = inner[..end].to_string();
    check_op(&op, ops)?;
    let mut rest = inner[end..].trim_start();
    let mut aux = None;
    if let Some(after) = rest.strip_prefix('[') {
        let close = closing_bracket(after).ok_or("`[` needs its `]`")?;
        aux = Some(after[..close].trim().to_string());
        rest = after[close + 1..].trim_start();
    }
    let mut args = Vec::new();
    loop {
        if let Some(after) = rest.strip_prefix(')') {
            return Ok((NewOp { op, aux, args }, after));
        }
        if rest.starts_with('(') {
            let (nested, after) = parse_new_op(rest, ops)?;
            args.push(NewArg::Op(nested));
            rest = after.trim_start();
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '(' || c == ')')
            .ok_or("a result's parenthesis is not closed")?;
        if end == 0 {
            return Err("a result's parenthesis is not closed".into());
        }
        args.push(NewArg::Var(rest[..end].to_string()));
        rest = rest[end..].trim_start();
    }
}

/// Returns the index of the `]` that closes an already opened `[` in `text`.
fn closing_bracket(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (idx, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => return Some(idx),
            ']' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn is_variable(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The tokens of a pattern: parentheses, brackets and words.
struct Tokens<'t> {
    rest: &'t str,
}

impl<'t> Tokens<'t> {
    fn new(text: &'t str) -> Tokens<'t> {
        Tokens { rest: text }
    }

    fn peek(&self) -> Option<&'t str> {
        let rest = self.rest.trim_start();
        let first = rest.chars().next()?;
        if "()[]".contains(first) {
            return Some(&rest[..1]);
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || "()[]".contains(c))
            .unwrap_or(rest.len());
        Some(&rest[..end])
    }

    fn next(&mut self) -> Option<&'t str> {
        let token = self.peek()?;
        let rest = self.rest.trim_start();
        self.rest = &rest[token.len()..];
        Some(token)
    }

    fn word(&mut self) -> Result<String, String> {
        match self.next() {
            Some(word) if !"()[]".contains(word) => Ok(word.to_string()),
            Some(other) => Err(format!("expected a name, found `{other}`")),
            None => Err("a pattern ends too early".into()),
        }
    }
}

/// Rejects a rule that an earlier rule of the same operation, without condition, always
/// preempts.
fn check_shadowing(rules: &[Rule], ops: &Ops) -> Result<(), String> {
    for (idx, later) in rules.iter().enumerate() {
        for earlier in &rules[..idx] {
            if earlier.condition.is_none()
                && earlier.op() == later.op()
                && has_no_repeated_names(&earlier.pattern)
                && subsumes(&earlier.pattern, &later.pattern, ops)
            {
                return Err(format!(
                    "{}: this rule never applies: the rule of {} matches every value it matches",
                    later.origin, earlier.origin
                ));
            }
        }
    }
    Ok(())
}

/// Reports whether no variable is named twice: a pattern that asks for equal arguments is
/// not treated as general by the shadowing check.
fn has_no_repeated_names(pattern: &Pattern) -> bool {
    let mut names = Vec::new();
    bindings(pattern, &mut names);
    let count = names.len();
    names.sort();
    names.dedup();
    names.len() == count
}

/// Reports whether every value `specific` matches is matched by `general`.
fn subsumes(general: &Pattern, specific: &Pattern, ops: &Ops) -> bool {
    match (general, specific) {
        (Pattern::Var(_), _) => true,
        (Pattern::Op { .. }, Pattern::Var(_)) => false,
        (
            Pattern::Op {
                name: _,
                op: general_op,
                aux: general_aux,
                args: general_args,
            },
            Pattern::Op {
                name: _,
                op: specific_op,
                aux: specific_aux,
                args: specific_args,
            },
        ) => {
            let aux_covers = match (general_aux, specific_aux) {
                (Aux::Free | Aux::Bind(_), _) => true,
                (Aux::Exact(general), Aux::Exact(specific)) => general == specific,
                (Aux::Exact(_), Aux::Free | Aux::Bind(_)) => false,
            };
            let args_cover = |order: &mut dyn Iterator<Item = &Pattern>| {
                general_args
                    .iter()
                    .zip(order)
                    .all(|(general, specific)| subsumes(general, specific, ops))
            };
            general_op == specific_op
                && aux_covers
                && general_args.len() == specific_args.len()
                && (args_cover(&mut specific_args.iter())
                    || (ops.is_commutative(general_op)
                        && general_args.len() == 2
                        && args_cover(&mut specific_args.iter().rev())))
        }
    }
}

/// Writes the generated function and one function per operation that has rules.
fn emit(file: &str, name: &str, rules: &[Rule], ops: &Ops) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Code generated by build.rs from src/ssa/rules/{file}; DO NOT EDIT.\n"
    );
    let _ = writeln!(
        out,
        "/// Applies the first rule of `{file}` that matches value `v`; reports whether one did."
    );
    let _ = writeln!(
        out,
        "pub(crate) fn {name}(f: &mut Func, v: ValueId) -> bool {{"
    );
    let _ = writeln!(out, "    match f.value(v).op {{");
    let mut without = Vec::new();
    for op in &ops.all {
        if rules.iter().any(|rule| rule.op() == op) {
            let _ = writeln!(out, "        Op::{op} => {name}_{}(f, v),", snake(op));
        } else {
            without.push(format!("Op::{op}"));
        }
    }
    if !without.is_empty() {
        let _ = writeln!(out, "        {} => false,", without.join(" | "));
    }
    let _ = writeln!(out, "    }}\n}}");
    for op in &ops.all {
        let of_op: Vec<&Rule> = rules.iter().filter(|rule| rule.op() == op).collect();
        if of_op.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\nfn {name}_{}(f: &mut Func, v: ValueId) -> bool {{",
            snake(op)
        );
        for rule in of_op {
            emit_rule(&mut out, rule, ops);
        }
        let _ = writeln!(out, "    false\n}}");
    }
    out
}

/// Writes one rule as a block that returns `true` when it rewrote the value.
fn emit_rule(out: &mut String, rule: &Rule, ops: &Ops) {
    let mut body = String::new();
    let mut emitter = Emitter {
        out: &mut body,
        depth: 2,
        bound: Vec::new(),
        next: 0,
        opened: 0,
        loops: 0,
        breaks: false,
        conditional: rule.condition.is_some(),
    };
    emitter.match_value("v", &rule.pattern, ops);
    if let Some(condition) = &rule.condition {
        emitter.line(&format!("if {condition} {{"));
        emitter.opened += 1;
        emitter.depth += 1;
    }
    match &rule.replacement {
        Replacement::Copy(name) => {
            emitter.line(&format!("super::reset(f, v, Op::Copy, 0, &[{name}]);"));
        }
        Replacement::Op(new) => {
            let args = emitter.new_args(new);
            emitter.line(&format!(
                "super::reset(f, v, Op::{}, {}, &[{args}]);",
                new.op,
                new.aux.as_deref().unwrap_or("0"),
            ));
        }
    }
    emitter.line("return true;");
    for _ in 0..emitter.opened {
        emitter.depth -= 1;
        emitter.line("}");
    }
    let label = if emitter.breaks { "'rule: " } else { "" };
    let _ = writeln!(out, "    // {}: {}", rule.origin, rule.text);
    let _ = writeln!(out, "    {label}{{");
    out.push_str(&body);
    let _ = writeln!(out, "    }}");
}

/// Writes the nested tests of one rule's pattern.
struct Emitter<'o> {
    out: &'o mut String,
    depth: usize,
    /// The value variables bound so far.
    bound: Vec<String>,
    /// The number of the next fresh local.
    next: usize,
    /// The blocks opened, closed after the rewrite.
    opened: usize,
    /// The loops over the two orders of a commutative operation's arguments opened: a
    /// failed test inside one goes on with its next order.
    loops: usize,
    /// Whether a failed test leaves the rule's labeled block.
    breaks: bool,
    /// Whether the rule has a condition.
    conditional: bool,
}

impl Emitter<'_> {
    fn line(&mut self, text: &str) {
        let _ = writeln!(self.out, "{}{text}", "    ".repeat(self.depth));
    }

    fn open(&mut self, text: &str) {
        self.line(text);
        self.opened += 1;
        self.depth += 1;
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{LOCAL}{prefix}{}", self.next)
    }

    /// Makes the values nested in `new`'s arguments, innermost first, and returns the
    /// arguments as a list of locals.
    fn new_args(&mut self, new: &NewOp) -> String {
        let mut args = Vec::new();
        for arg in &new.args {
            match arg {
                NewArg::Var(name) => args.push(name.clone()),
                NewArg::Op(nested) => {
                    let nested_args = self.new_args(nested);
                    let local = self.fresh("new");
                    self.line(&format!(
                        "let {local} = super::insert_before(f, v, Op::{}, {}, &[{nested_args}]);",
                        nested.op,
                        nested.aux.as_deref().unwrap_or("0"),
                    ));
                    args.push(local);
                }
            }
        }
        args.join(", ")
    }

    /// Tests that the value in local `id` matches `pattern`, binding its names.
    fn match_value(&mut self, id: &str, pattern: &Pattern, ops: &Ops) {
        match pattern {
            Pattern::Var(name) if name == "_" => {}
            Pattern::Var(name) if self.bound.contains(name) => {
                self.open(&format!("if {id} == {name} {{"));
            }
            Pattern::Var(name) => {
                self.line(&format!("let {name} = {id};"));
                self.bound.push(name.clone());
            }
            Pattern::Op {
                name,
                op,
                aux,
                args,
            } => {
                let value = self.fresh("value");
                self.line(&format!("let {value} = f.value({id});"));
                let mut fails = vec![if args.is_empty() {
                    format!("!{value}.args.is_empty()")
                } else {
                    format!("{value}.args.len() != {}", args.len())
                }];
                if id != "v" {
                    fails.insert(0, format!("{value}.op != Op::{op}"));
                }
                match aux {
                    Aux::Free => {}
                    Aux::Exact(exact) => fails.push(format!("{value}.aux != {exact}")),
                    Aux::Bind(name) if self.bound.contains(name) => {
                        fails.push(format!("{value}.aux != {name}"));
                    }
                    Aux::Bind(_) => {}
                }
                let give_up = if self.loops > 0 {
                    "continue"
                } else {
                    self.breaks = true;
                    "break 'rule"
                };
                self.line(&format!("if {} {{", fails.join(" || ")));
                self.line(&format!("    {give_up};"));
                self.line("}");
                if let Aux::Bind(aux_name) = aux
                    && !self.bound.contains(aux_name)
                {
                    self.line(&format!("let {aux_name} = {value}.aux;"));
                    self.bound.push(aux_name.clone());
                }
                if let Some(name) = name {
                    self.line(&format!("let {name} = {id};"));
                    self.bound.push(name.clone());
                }
                let arg_ids: Vec<String> = args
                    .iter()
                    .map(|arg| match arg {
                        Pattern::Var(name) if name == "_" => "_".to_string(),
                        Pattern::Var(_) | Pattern::Op { .. } => self.fresh("arg"),
                    })
                    .collect();
                // Swapping helps only where a test or the condition can fail.
                let can_fail =
                    self.conditional || args.iter().any(|arg| matches!(arg, Pattern::Op { .. }));
                if ops.is_commutative(op) && args.len() == 2 && can_fail {
                    let swap = self.fresh("swap");
                    // Both orders are tried: a `continue` of this loop tries the other.
                    self.open(&format!("for {swap} in [false, true] {{"));
                    self.line(&format!(
                        "let ({}, {}) = if {swap} {{ ({value}.args[1], {value}.args[0]) }} else {{ ({value}.args[0], {value}.args[1]) }};",
                        arg_ids[0], arg_ids[1]
                    ));
                    self.loops += 1;
                } else {
                    for (idx, arg_id) in arg_ids.iter().enumerate() {
                        if arg_id != "_" {
                            self.line(&format!("let {arg_id} = {value}.args[{idx}];"));
                        }
                    }
                }
                for (arg, arg_id) in args.iter().zip(&arg_ids) {
                    self.match_value(arg_id, arg, ops);
                }
            }
        }
    }
}

/// The prefix of the generated code's own locals, which no name of a rule may take.
const LOCAL: &str = "r_";

/// `AddConst` as `add_const`, for function names.
fn snake(op: &str) -> String {
    let mut out = String::new();
    for (idx, c) in op.chars().enumerate() {
        if c.is_ascii_uppercase() && idx > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops() -> Ops {
        Ops::from_source(include_str!("../op.rs")).expect("op.rs has the enum and the list")
    }

    fn error(rules: &str) -> String {
        generate("test.rules", rules, "rewrite_test", &ops()).expect_err("the rules are wrong")
    }

    #[test]
    fn ops_are_read_from_op_rs() {
        let ops = ops();
        assert_eq!(ops.all.first().map(String::as_str), Some("Const"));
        assert!(ops.all.iter().any(|op| op == "ModConst"));
        assert!(ops.is_commutative("Add"));
        assert!(!ops.is_commutative("Sub"));
    }

    #[test]
    fn a_malformed_rule_is_an_error_at_its_line() {
        assert_eq!(
            error("// a comment\n\n(Add x y)\n"),
            "test.rules:3: a rule needs `=>` between its pattern and its result"
        );
        assert_eq!(
            error("(Add x\n  (Const [c]) => x\n"),
            "test.rules:1: a parenthesis is not closed"
        );
        assert_eq!(
            error("(Plus x y) => x"),
            "test.rules:1: `Plus` is not an operation of op.rs"
        );
        assert_eq!(
            error("(Add x (Const [c])) => y"),
            "test.rules:1: the result uses `y`, which the pattern does not bind"
        );
        assert_eq!(
            error("(Add x (Const [c])) => x"),
            "test.rules:1: `c` is bound but not used: write `_` or leave out the aux"
        );
        assert_eq!(
            error("(Add x (Const [1z])) => x"),
            "test.rules:1: `[1z]` is neither a name nor an integer"
        );
        assert_eq!(
            error("(Add x y) => (Sub x (Negate y))"),
            "test.rules:1: `Negate` is not an operation of op.rs"
        );
        assert_eq!(
            error("(Add x y) => (Sub x (Neg z))"),
            "test.rules:1: the result uses `z`, which the pattern does not bind"
        );
        assert_eq!(
            error("(Add v (Const [0])) => v"),
            "test.rules:1: `v` is a name the generated code takes for itself"
        );
    }

    #[test]
    fn a_rule_an_earlier_one_always_preempts_is_an_error() {
        // The same pattern with the arguments of a commutative operation swapped.
        assert_eq!(
            error("(Add (Const [0]) x) => x\n(Add y (Const [0])) => y\n"),
            "test.rules:2: this rule never applies: the rule of test.rules:1 matches every value it matches"
        );
        // A free aux covers an exact one.
        assert_eq!(
            error("(Mul (Const [c]) x) => (MulConst [c] x)\n(Mul (Const [2]) x) => x\n"),
            "test.rules:2: this rule never applies: the rule of test.rules:1 matches every value it matches"
        );
        // A condition, a non-commutative operation or a repeated name preempts nothing.
        for rules in [
            "(Mul (Const [c]) x) && c == 1 => x\n(Mul (Const [1]) x) => x\n",
            "(Sub (Const [0]) x) => (Neg x)\n(Sub x (Const [0])) => x\n",
            "(Sub x x) => (Const [0])\n(Sub x (Const [0])) => x\n",
        ] {
            assert!(
                generate("test.rules", rules, "rewrite_test", &ops()).is_ok(),
                "{rules}"
            );
        }
    }

    #[test]
    fn a_nested_result_makes_its_values_before_the_rewritten_one() {
        let code = generate(
            "test.rules",
            "(Eq (Mod x (Const [c])) z:(Const [0])) && c > 0 => (Eq (And x (Const [c - 1])) z)\n",
            "rewrite_test",
            &ops(),
        )
        .expect("valid");
        let mask = code
            .find("insert_before(f, v, Op::Const, c - 1, &[])")
            .expect("the mask is made");
        let and = code
            .find("insert_before(f, v, Op::And, 0, &[x, r_new")
            .expect("the and is made");
        let reset = code
            .find("super::reset(f, v, Op::Eq, 0, &[r_new")
            .expect("the value is rewritten");
        assert!(mask < and && and < reset, "innermost first:\n{code}");
        assert!(code.contains("let z = "), "z:(...) binds the value");
    }

    #[test]
    fn alternatives_make_one_rule_per_operation() {
        let code = generate(
            "test.rules",
            "(Sub|Xor x x) => (Const [0])\n",
            "rewrite_test",
            &ops(),
        )
        .expect("valid");
        assert!(code.contains("Op::Sub => rewrite_test_sub(f, v),"));
        assert!(code.contains("Op::Xor => rewrite_test_xor(f, v),"));
        assert!(code.contains("fn rewrite_test_sub("));
        // Every operation is named: the dispatch has no catch-all arm.
        assert!(!code.contains("_ =>"));
        assert!(code.contains("| Op::ModConst"));
    }
}

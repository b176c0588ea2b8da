//! Front-end throughput: lexing (with interning), parsing and type-checking generated
//! programs of over 200,000 lines, single-threaded, and on two threads as `toyc build -c 2`
//! runs them (parsing in chunks, `syntax::chunks`; checking bodies in runs, `types::bodies`),
//! reported in lines per second.
//!
//! Two programs: `dense`, 10,000 twenty-line functions of about 7 tokens a line (close to
//! hand-written Go), and `gen-small`, the output of `toyc gen --funcs 5600 --shape small`
//! (about 4 tokens a line). Run with `cargo bench --bench frontend`; criterion prints `thrpt`
//! in elements (lines) per second for each phase.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use toyc::diag::{Diagnostics, SourceFile};
use toyc::syntax::chunks;
use toyc::syntax::lexer::Lexer;
use toyc::syntax::parse::parse;
use toyc::workload::{self, Shape};

/// The allocator `toyc` uses, so that the figures are the compiler's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Returns a valid Level 1 program of `n_funcs` functions in the style of real code:
/// declarations, loops, branches, switches, closures and calls.
fn program(n_funcs: usize) -> String {
    let mut out = String::from(
        "package main\n\nimport \"fmt\"\n\nconst (\n\tbase = iota * 10\n\tstep\n)\n\n",
    );
    for idx in 0..n_funcs {
        let callee = if idx == 0 { 0 } else { idx - 1 };
        out.push_str(&format!(
            "// f{idx} mixes arithmetic, loops and a closure.
func f{idx}(a, b int, name string) (int, string) {{
\tsum := a*{m} + b
\tcount := func(k int) int {{ return k + sum }}
\tfor i := 0; i < b%7; i++ {{
\t\tif i%2 == 0 && sum > base {{
\t\t\tsum += count(i) << 1
\t\t}} else {{
\t\t\tsum -= i / (step + 1)
\t\t}}
\t}}
\tswitch r := sum % 3; r {{
\tcase 0, 1:
\t\tname = name + \"x\"
\tdefault:
\t\tsum, _ = f{callee}(sum, 1, name)
\t}}
\treturn sum ^ len(name), name
}}

",
            m = idx % 13 + 1
        ));
    }
    out.push_str("func main() {\n\ts, n := f0(1, 2, \"go\")\n\tfmt.Println(s, n)\n}\n");
    out
}

fn frontend(c: &mut Criterion) {
    toyc::driver::disable_huge_pages();
    let programs = [
        ("dense", program(10_000)),
        ("gen-small", workload::generate(Shape::Small, 5_600, 1)),
    ];
    for (name, text) in programs {
        let lines = text.lines().count() as u64;
        assert!(lines >= 200_000, "{name}: only {lines} lines");
        let source = SourceFile::new(format!("{name}.toy"), text.clone());
        let mut group = c.benchmark_group(format!("frontend/{name}"));
        group.throughput(Throughput::Elements(lines));
        group.sample_size(10);
        group.bench_function("lex", |bench| {
            bench.iter(|| Lexer::new(&text).count());
        });
        group.bench_function("lex+parse", |bench| {
            bench.iter_with_large_drop(|| {
                let mut diags = Diagnostics::default();
                let file = parse(&source, &mut diags).expect("the program parses");
                assert!(diags.is_empty());
                file
            });
        });
        group.bench_function("lex+parse, 2 threads", |bench| {
            bench.iter_with_large_drop(|| {
                let mut diags = Diagnostics::default();
                let file = chunks::parse(&source, &mut diags, 2, chunks::MIN_CHUNK_BYTES)
                    .expect("the program parses");
                assert!(diags.is_empty());
                file
            });
        });
        // toyc never frees the checked program (the process exits first, as gc's does), so
        // the drop is left out of the timing.
        group.bench_function("lex+parse+check", |bench| {
            bench.iter_with_large_drop(|| {
                let (checked, diags) = toyc::driver::front_end(&source);
                assert!(diags.is_empty(), "the generated program is valid");
                checked.expect("checked")
            });
        });
        group.bench_function("lex+parse+check, 2 threads", |bench| {
            bench.iter_with_large_drop(|| {
                let (checked, diags, _) = toyc::driver::front_end_timed(&source, 2);
                assert!(diags.is_empty(), "the generated program is valid");
                checked.expect("checked")
            });
        });
        group.finish();
    }
}

criterion_group!(benches, frontend);
criterion_main!(benches);

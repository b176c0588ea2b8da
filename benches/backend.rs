//! The back end under every queue strategy, worker count (1, 2, 4, 8) and workload shape,
//! and the whole build. Run with `cargo bench --bench backend`; criterion writes HTML
//! reports under `target/criterion/`.
//!
//! `backend/SHAPE/STRATEGY/N` times the back-end phase alone: the time `--timings` reports
//! as "back end" (workers started to workers joined), summed over iterations with
//! `iter_custom`, so parsing, checking and linking stay out. `N` threads really run
//! (`procs = N`), whatever the machine. `build/SHAPE/N` times parse to executable bytes, as
//! `toyc build -c N` runs it (a large file is parsed on N threads).

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use toyc::diag::SourceFile;
use toyc::driver::build::{self, BuildOptions};
use toyc::driver::queue::Strategy;
use toyc::driver::{self, Checked};
use toyc::workload::{self, Shape};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SHAPES: [(&str, Shape); 5] = [
    ("small", Shape::Small),
    ("mixed", Shape::Mixed),
    ("heavy-tail", Shape::HeavyTail),
    ("closures", Shape::Closures),
    ("deep-closures", Shape::DeepClosures),
];

fn check(source: &SourceFile) -> Checked {
    driver::with_large_stack(|| {
        driver::front_end(source)
            .0
            .expect("generated programs check")
    })
}

fn options(strategy: Strategy, workers: usize) -> BuildOptions {
    BuildOptions {
        workers,
        procs: Some(workers),
        strategy,
        ..BuildOptions::default()
    }
}

fn backend(c: &mut Criterion) {
    toyc::driver::disable_huge_pages();
    let mut group = c.benchmark_group("backend");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    for (name, shape) in SHAPES {
        let text = workload::generate(shape, 1000, 1);
        let lines = text.lines().count() as u64;
        let checked = check(&SourceFile::new(name, text));
        group.throughput(Throughput::Elements(lines));
        for strategy in Strategy::ALL {
            let counts: &[usize] = if strategy == Strategy::Seq {
                &[1]
            } else {
                &[1, 2, 4, 8]
            };
            for &n in counts {
                let id = BenchmarkId::new(format!("{name}/{}", strategy.name()), n);
                group.bench_with_input(id, &n, |bench, &n| {
                    let options = options(strategy, n);
                    bench.iter_custom(|iters| {
                        (0..iters)
                            .map(|_| {
                                let built = build::build(&checked, &options).expect("it builds");
                                built.report.backend
                            })
                            .sum()
                    });
                });
            }
        }
        // The tree is dropped here, outside any timing.
        drop(checked);
    }
    group.finish();
}

fn whole_build(c: &mut Criterion) {
    toyc::driver::disable_huge_pages();
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    for (name, shape) in [("small", Shape::Small), ("closures", Shape::Closures)] {
        let text = workload::generate(shape, 2000, 1);
        group.throughput(Throughput::Elements(text.lines().count() as u64));
        let source = SourceFile::new(name, text);
        for n in [1, 2] {
            group.bench_with_input(BenchmarkId::new(name, n), &n, |bench, &n| {
                let options = options(Strategy::Stack, n);
                bench.iter_with_large_drop(|| {
                    driver::with_large_stack(|| {
                        let (checked, _, _) = driver::front_end_timed(&source, n);
                        let checked = checked.expect("generated programs check");
                        let built = build::build(&checked, &options).expect("it builds");
                        (checked, built.executable)
                    })
                });
            });
        }
    }
    group.finish();
}

criterion_group!(benches, backend, whole_build);
criterion_main!(benches);

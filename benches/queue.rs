//! The queues' own cost: every strategy at 1, 2, 4 and 8 workers over 100,000 empty jobs,
//! one in ten of which produces a closure job (as a function produces a closure), so that
//! only the handing out of work is measured. criterion reports jobs per second (`thrpt`);
//! the cost per job is its inverse. Run with `cargo bench --bench queue`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use toyc::driver::queue::{self, Done, Strategy};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const JOBS: u32 = 100_000;

fn empty_jobs(c: &mut Criterion) {
    let mut group = c.benchmark_group("queue");
    // Initial jobs plus the closures every tenth one produces.
    group.throughput(Throughput::Elements(u64::from(JOBS + JOBS / 10)));
    group.sample_size(20);
    for strategy in Strategy::ALL {
        let workers: &[usize] = if strategy == Strategy::Seq {
            &[1]
        } else {
            &[1, 2, 4, 8]
        };
        for &n in workers {
            group.bench_with_input(BenchmarkId::new(strategy.name(), n), &n, |bench, &n| {
                bench.iter(|| {
                    let run =
                        queue::run(strategy, n, 1 << 20, (0..JOBS).collect(), |job: u32| Done {
                            result: (),
                            generated: if job.is_multiple_of(10) && job < JOBS {
                                vec![JOBS + job]
                            } else {
                                Vec::new()
                            },
                            failed: false,
                        });
                    assert_eq!(run.results.len() as u32, JOBS + JOBS / 10);
                });
            });
        }
    }
    group.finish();
}

criterion_group!(benches, empty_jobs);
criterion_main!(benches);

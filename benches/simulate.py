#!/usr/bin/env python3
"""Scaling simulator for toyc's queue strategies.

Reads the per-function costs of one `toyc build -c 1 --trace FILE` run (each slice's
duration, size, job id and parent) and replays the back end as a discrete-event simulation
for 1..64 workers under each strategy, modelling what the strategy does:

- go: one mutex-protected stack; a worker pushes its closures, pops the top, and exits when
  the stack is empty even if closures will come later (Go 1.27's quirk);
- stack: the same, but an idle worker waits while any job is in flight and is woken by pushes;
- channel: one FIFO queue, closures appended at the back, idle workers wait;
- steal: per-worker LIFO deques; initial jobs in a FIFO injector; an idle worker takes from
  its deque, then the injector, then steals the oldest job of another worker.

Every queue operation holds the queue's lock for LOCK_US microseconds (go, stack, channel:
one lock serializes them; steal: no shared lock, the same cost per operation). The fixed
start-up cost (thread creation until the first job starts) is taken from the trace.

Jobs running at the same time slow each other down (shared caches, memory bandwidth,
allocator): a job that starts while k workers are busy takes (1 + INFLATION * (k - 1)) times
its `-c 1` cost. benches/simulate.sh measures INFLATION as the growth of the total work from
`-c 1` to `-c 2` (both from --timings), a property of the machine, not of the schedule.

Usage: simulate.py TRACE [--workers 1,2,4,...] [--lock-us 0.2] [--inflation 0.0]
                         [--measured STRATEGY:N:MS ...] [--csv FILE]
With --measured, prints the simulator's error against measured back-end wall times.
"""

import argparse
import heapq
import json
import sys
from collections import deque

STRATEGIES = ["go", "stack", "channel", "steal"]


def load(path):
    with open(path) as f:
        events = json.load(f)["traceEvents"]
    jobs = {}
    for e in events:
        if e.get("ph") != "X":
            continue
        args = e["args"]
        jobs[args["id"]] = {"dur": e["dur"], "size": args["size"], "parent": args["parent"],
                            "start": e["ts"]}
    children = {jid: [] for jid in jobs}
    for jid, job in jobs.items():
        if job["parent"] is not None:
            children[job["parent"]].append(jid)
    for kids in children.values():
        kids.sort()  # closures are pushed in source order, which is id order
    # The driver's initial order: init first, then top-level functions by id, stably sorted
    # by size, largest first. `init` has the largest id and size 0.
    roots = [jid for jid, job in jobs.items() if job["parent"] is None]
    init = max(roots)
    roots = [init] + sorted(jid for jid in roots if jid != init)
    roots.sort(key=lambda jid: -jobs[jid]["size"])
    startup = min(job["start"] for job in jobs.values())
    return jobs, children, roots, startup


def simulate(strategy, n, jobs, children, roots, lock_us, startup, inflation):
    """Returns the makespan in microseconds."""
    if strategy in ("go", "stack"):
        pool = list(reversed(roots))  # a stack: pop() takes roots[0] first
    elif strategy == "channel":
        pool = deque(roots)
    else:
        injector = deque(roots)
        deques = [[] for _ in range(n)]
    lock_free = 0.0
    in_flight = 0
    waiting = []  # idle workers (stack, channel, steal)
    # Events: (time, seq, worker, job just finished or None).
    events = [(0.0, w, w, None) for w in range(n)]
    heapq.heapify(events)
    seq = n
    end = 0.0

    def take(w, t):
        """Takes a job for worker w at time t; returns (job, start) or (None, t)."""
        nonlocal lock_free
        if strategy == "steal":
            t += lock_us
            if deques[w]:
                return deques[w].pop(), t
            if injector:
                return injector.popleft(), t
            for off in range(1, n):
                victim = deques[(w + off) % n]
                if victim:
                    return victim.pop(0), t
            return None, t
        t = max(t, lock_free) + lock_us
        lock_free = t
        if strategy == "channel":
            return (pool.popleft() if pool else None), t
        return (pool.pop() if pool else None), t

    while events:
        t, _, w, done = heapq.heappop(events)
        end = max(end, t)
        pushed = False
        if done is not None:
            in_flight -= 1
            kids = children[done]
            if kids:
                pushed = True
                if strategy == "steal":
                    deques[w].extend(kids)
                elif strategy == "channel":
                    pool.extend(kids)
                else:
                    pool.extend(kids)
        job, start = take(w, t)
        if job is None:
            if strategy != "go" and in_flight > 0:
                waiting.append(w)
            elif strategy != "go":
                # Nothing left anywhere: wake everyone to leave.
                waiting.clear()
            continue
        in_flight += 1
        finish = start + jobs[job]["dur"] * (1 + inflation * (in_flight - 1))
        heapq.heappush(events, (finish, seq, w, job))
        seq += 1
        if pushed and waiting:
            for idle in waiting:
                heapq.heappush(events, (t, seq, idle, None))
                seq += 1
            waiting.clear()
        elif pushed:
            pass
    return end + startup


def main():
    parser = argparse.ArgumentParser(description="toyc queue-strategy scaling simulator")
    parser.add_argument("trace")
    parser.add_argument("--workers", default="1,2,4,8,16,32,64")
    parser.add_argument("--lock-us", type=float, default=0.2)
    parser.add_argument("--inflation", type=float, default=0.0)
    parser.add_argument("--measured", nargs="*", default=[],
                        help="STRATEGY:N:MS back-end wall times to validate against")
    parser.add_argument("--csv", help="write strategy,workers,simulated_ms rows here")
    args = parser.parse_args()
    jobs, children, roots, startup = load(args.trace)
    counts = [int(n) for n in args.workers.split(",")]
    work = sum(job["dur"] for job in jobs.values())
    print(f"{len(jobs)} functions, total work {work / 1e3:.1f} ms, start-up {startup / 1e3:.2f} ms,"
          f" lock {args.lock_us} µs per operation, inflation {args.inflation:.3f} per extra"
          " running worker")
    print()
    results = {}
    for strategy in STRATEGIES:
        for n in counts:
            results[(strategy, n)] = simulate(strategy, n, jobs, children, roots,
                                              args.lock_us, startup, args.inflation) / 1e3
    print("Simulated makespan (ms) and speedup over 1 worker")
    print()
    print("| workers | " + " | ".join(STRATEGIES) + " |")
    print("|---:|" + "---:|" * len(STRATEGIES))
    for n in counts:
        cells = []
        for strategy in STRATEGIES:
            ms = results[(strategy, n)]
            cells.append(f"{ms:.1f} ({results[(strategy, counts[0])] / ms:.2f}x)")
        print(f"| {n} | " + " | ".join(cells) + " |")
    if args.measured:
        print()
        print("Validation against measured back-end wall time")
        print()
        print("| strategy | workers | measured (ms) | simulated (ms) | error |")
        print("|---|---:|---:|---:|---:|")
        for item in args.measured:
            strategy, n, ms = item.split(":")
            n, ms = int(n), float(ms)
            sim = simulate(strategy, n, jobs, children, roots, args.lock_us, startup,
                           args.inflation) / 1e3
            print(f"| {strategy} | {n} | {ms:.1f} | {sim:.1f} | {100 * (sim - ms) / ms:+.1f} % |")
    if args.csv:
        with open(args.csv, "w") as f:
            f.write("strategy,workers,simulated_ms\n")
            for (strategy, n), ms in sorted(results.items()):
                f.write(f"{strategy},{n},{ms:.3f}\n")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Draws the back end's speedup against the number of workers as an SVG: one line per queue
strategy from the simulator, one marker per measurement.

Input: target/bench/simulated.csv and target/bench/measured.csv, which benches/simulate.sh
writes. Output: benches/scaling.svg (or the path given).
Usage: benches/plot.py [OUT.svg]
"""

import csv
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLORS = {"go": "#1f77b4", "stack": "#d62728", "channel": "#2ca02c", "steal": "#9467bd"}
W, H = 720, 460
LEFT, RIGHT, TOP, BOTTOM = 70, 150, 40, 60


def read(path, column):
    rows = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            rows.setdefault(row["strategy"], {})[int(row["workers"])] = float(row[column])
    return rows


def speedups(rows):
    return {s: {n: times[1] / ms for n, ms in times.items()} for s, times in rows.items() if 1 in times}


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "benches" / "scaling.svg"
    sim = speedups(read(ROOT / "target" / "bench" / "simulated.csv", "simulated_ms"))
    meas = speedups(read(ROOT / "target" / "bench" / "measured.csv", "measured_ms"))
    max_n = max(n for s in sim.values() for n in s)
    max_y = max([v for s in sim.values() for v in s.values()] +
                [v for s in meas.values() for v in s.values()] + [2])
    max_y = math.ceil(max_y / 2) * 2

    def x(n):
        return LEFT + (W - LEFT - RIGHT) * math.log2(n) / math.log2(max_n)

    def y(v):
        return H - BOTTOM - (H - TOP - BOTTOM) * v / max_y

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
             f'font-family="sans-serif" font-size="12">',
             f'<rect width="{W}" height="{H}" fill="white"/>',
             f'<text x="{W / 2 - 60}" y="22" font-size="15">toyc back end: speedup vs workers</text>']
    n = 1
    while n <= max_n:
        parts.append(f'<line x1="{x(n):.1f}" y1="{TOP}" x2="{x(n):.1f}" y2="{H - BOTTOM}" stroke="#ddd"/>')
        parts.append(f'<text x="{x(n) - 6:.1f}" y="{H - BOTTOM + 18}">{n}</text>')
        n *= 2
    step = max(1, max_y // 8)
    for v in range(0, max_y + 1, step):
        parts.append(f'<line x1="{LEFT}" y1="{y(v):.1f}" x2="{W - RIGHT}" y2="{y(v):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 28}" y="{y(v) + 4:.1f}">{v}x</text>')
    parts.append(f'<text x="{(W - RIGHT + LEFT) / 2 - 40}" y="{H - 18}">workers (-c)</text>')
    parts.append(f'<text x="16" y="{TOP + 130}" transform="rotate(-90 16 {TOP + 130})">'
                 'speedup over -c 1</text>')
    # The ideal line.
    parts.append(f'<polyline fill="none" stroke="#999" stroke-dasharray="4 4" points="'
                 + " ".join(f"{x(n):.1f},{y(min(n, max_y)):.1f}" for n in sorted(next(iter(sim.values()))))
                 + '"/>')
    legend_y = TOP + 10
    for strategy, color in COLORS.items():
        if strategy in sim:
            points = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in sorted(sim[strategy].items()))
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{points}"/>')
        for n, v in sorted(meas.get(strategy, {}).items()):
            parts.append(f'<circle cx="{x(n):.1f}" cy="{y(v):.1f}" r="5" fill="none" '
                         f'stroke="{color}" stroke-width="2"/>')
        parts.append(f'<line x1="{W - RIGHT + 15}" y1="{legend_y}" x2="{W - RIGHT + 40}" '
                     f'y2="{legend_y}" stroke="{color}" stroke-width="2"/>')
        parts.append(f'<text x="{W - RIGHT + 46}" y="{legend_y + 4}">{strategy}</text>')
        legend_y += 20
    parts.append(f'<text x="{W - RIGHT + 15}" y="{legend_y + 10}">lines: simulated</text>')
    parts.append(f'<text x="{W - RIGHT + 15}" y="{legend_y + 28}">circles: measured</text>')
    parts.append(f'<text x="{W - RIGHT + 15}" y="{legend_y + 46}">dashes: ideal</text>')
    parts.append("</svg>")
    out.write_text("\n".join(parts) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Per-turn offline latency of a rehearsal, and `score --input` throughput, with the reader already loaded.

    python benchmarks/turns.py                 # 300 turns over the development scripts, then 2,000 lines scored
    python benchmarks/turns.py --turns 600 --lines 5000

A turn is what the user waits for after pressing Enter, offline: reading the line (clauses, sentence encoder,
stance, politeness, topics), the engine's decision, saving the user's turn and the counterpart's line to SQLite.
The encoder and the scenario's topic index are loaded first (in a rehearsal that happens while the opening line
is on screen), so these figures exclude start-up (see benchmarks/startup.py and benchmarks/encoder.py).
Prints the machine (cores, load average before and after) with the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def machine() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{cores} cores, load average {load:.2f}"


def lines_from(folder: Path) -> dict[str, list[str]]:
    by_kind: dict[str, list[str]] = {"feedback": [], "career": []}
    for path in sorted(folder.glob("*.txt")):
        kind = path.name.split("_")[0]
        by_kind[kind] += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return by_kind


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--turns", type=int, default=300)
    ap.add_argument("--lines", type=int, default=2000)
    args = ap.parse_args(argv)
    os.environ["NEXTROUND_HOME"] = tempfile.mkdtemp(prefix="nextround-turns-")

    from nextround.reading.reader import LocalReader, score_lines
    from nextround.scenario import load_builtin
    from nextround.session import Rehearsal
    from nextround.store import Store

    print(f"machine before: {machine()}")
    pool = lines_from(ROOT / "tests" / "data" / "scripts_dev")
    readers = {kind: LocalReader(load_builtin(kind)) for kind in pool}  # loaded up front, as in a rehearsal
    store = Store()
    samples: list[float] = []
    n = 0
    while n < args.turns:
        for kind, lines in pool.items():
            rehearsal = Rehearsal(load_builtin(kind), store, reader=readers[kind].read)
            rehearsal.begin()
            for line in lines[:8]:
                start = time.perf_counter()
                rehearsal.say(line)
                samples.append(time.perf_counter() - start)
                n += 1
            rehearsal.end()
            pool[kind] = lines[8:] + lines[:8]  # the next session plays other lines
    samples.sort()
    p95 = samples[int(0.95 * (len(samples) - 1))]
    print(f"offline turn ({len(samples)} turns): median {statistics.median(samples) * 1000:.1f} ms, "
          f"p95 {p95 * 1000:.1f} ms, max {samples[-1] * 1000:.1f} ms")

    every = [line for lines in pool.values() for line in lines]
    batch = (every * (args.lines // len(every) + 1))[:args.lines]
    start = time.perf_counter()
    score_lines(batch)
    took = time.perf_counter() - start
    print(f"score, {len(batch)} lines in one batch: {took:.1f} s, {len(batch) / took:.0f} lines/s")
    print(f"machine after: {machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

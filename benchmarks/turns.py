#!/usr/bin/env python3
"""Per-turn offline latency of a rehearsal, and `score --input` throughput.

    python benchmarks/turns.py                 # 300 turns, 2,000 lines scored in-process, `score --input` on requests
    python benchmarks/turns.py --turns 600 --lines 5000 --requests 0   # skip the `score --input` part

`score --input`: the command itself, run as a new process (start-up included) on the 3,853 Wikipedia requests of
the politeness corpus (``../shared/data/politeness/en_train.csv``, read from there into a temporary file, never
copied into the project): one request per line, 25 words (36 tokens) on average. Prints lines/s and tokens/s of
wall time, and lines per CPU-second of the process (what one free core does; less sensitive to other load).

A turn is what the user waits for after pressing Enter, offline: reading the line (clauses, sentence encoder,
stance, politeness, topics), the engine's decision, saving the user's turn and the counterpart's line to SQLite.
The encoder and the scenario's topic index are loaded first (in a rehearsal that happens while the opening line
is on screen), so these figures exclude start-up (see benchmarks/startup.py and benchmarks/encoder.py).
Prints the machine (cores, load average before and after) with the figures.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def machine() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    model = "unknown CPU"
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{model}, {cores} cores, load average {load:.2f}"


def lines_from(folder: Path) -> dict[str, list[str]]:
    by_kind: dict[str, list[str]] = {"feedback": [], "career": []}
    for path in sorted(folder.glob("*.txt")):
        kind = path.name.split("_")[0]
        by_kind[kind] += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return by_kind


def pick(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def find_requests() -> Path | None:
    """The politeness corpus beside the project (``../shared/data`` from the main checkout or a worktree)."""
    for folder in ROOT.parents:
        path = folder / "shared" / "data" / "politeness" / "en_train.csv"
        if path.is_file():
            return path
    return None


def score_input(requests: Path, count: int) -> str:
    """Run `nextround score --input FILE --json` on COUNT requests in a new process; one line of figures."""
    with requests.open(encoding="utf-8", newline="") as handle:
        lines = [" ".join(row["sentence"].split()) for row in csv.DictReader(handle)][:count]
    from nextround.reading.encoder import Encoder

    tokens = sum(Encoder().count_tokens(lines))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as tmp:
        tmp.write("\n".join(lines) + "\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-m", "nextround", "score", "--input", tmp.name, "--json"], env=env,
                       check=True, stdout=subprocess.DEVNULL)
    finally:
        os.unlink(tmp.name)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return (f"score --input, {len(lines)} requests ({tokens} tokens), whole process: {wall:.1f} s wall, "
            f"{len(lines) / wall:.0f} lines/s, {tokens / wall:.0f} tokens/s; {cpu:.1f} CPU-s, "
            f"{len(lines) / cpu:.0f} lines per CPU-second")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--turns", type=int, default=300)
    ap.add_argument("--lines", type=int, default=2000)
    ap.add_argument("--requests", type=int, default=3853, help="requests for `score --input` (0: skip)")
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
    cpu_samples: list[float] = []  # CPU time of the process per turn: what the turn costs, whatever the load
    n = 0
    while n < args.turns:
        for kind, lines in pool.items():
            rehearsal = Rehearsal(load_builtin(kind), store, reader=readers[kind].read)
            rehearsal.begin()
            for line in lines[:8]:
                start, cpu = time.perf_counter(), time.process_time()
                rehearsal.say(line)
                samples.append(time.perf_counter() - start)
                cpu_samples.append(time.process_time() - cpu)
                n += 1
            rehearsal.end()
            pool[kind] = lines[8:] + lines[:8]  # the next session plays other lines
    samples.sort()
    p95 = pick(samples, 0.95)
    print(f"offline turn ({len(samples)} turns): median {statistics.median(samples) * 1000:.1f} ms, "
          f"p95 {p95 * 1000:.1f} ms, max {samples[-1] * 1000:.1f} ms; CPU time per turn: median "
          f"{statistics.median(cpu_samples) * 1000:.1f} ms, p95 {pick(cpu_samples, 0.95) * 1000:.1f} ms")

    every = [line for lines in pool.values() for line in lines]
    batch = (every * (args.lines // len(every) + 1))[:args.lines]
    start, cpu = time.perf_counter(), time.process_time()
    score_lines(batch)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"score, {len(batch)} lines in one batch: {took:.1f} s, {len(batch) / took:.0f} lines/s; "
          f"{len(batch) / cpu:.0f} lines per CPU-second")
    if args.requests:
        requests = find_requests()
        if requests is None:
            print("score --input: skipped, ../shared/data/politeness/en_train.csv not found")
        else:
            print(f"machine before: {machine()}")
            print(score_input(requests, args.requests))
    print(f"machine after: {machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

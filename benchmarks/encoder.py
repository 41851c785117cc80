"""Speed of the local sentence encoder (nextround.reading.encoder): cold start, per-line latency, batch throughput.

Run: python benchmarks/encoder.py [--runs 5] [--json]

(a) cold start, in fresh subprocesses: interpreter up -> import numpy and the encoder module -> load the weights ->
    first encode of one short line (each step timed inside the child; "process" is the child's whole wall time);
(b) warm latency of single short lines, one ``encode([line])`` call at a time, as the engine calls it;
(c) batch throughput, ``encode(lines)`` on many lines at once (tokenizer included), for short lines (5-15 words)
    and long ones (60-120 words), in tokens/s and lines/s (wall clock), and in tokens per CPU-second of the whole
    process (less sensitive to other load: what one fully available core would do);
(d) a line and its clauses, as the reader needs them, for the development practice scripts' lines
    (tests/data/scripts_dev*, a third of them of several clauses): each line plus each clause of a multi-clause line encoded as separate texts (``encode``, the reader before ``encode_spans``), against each line
    encoded once with its clauses pooled from the same pass (``encode_spans``), taken in turns; lines/s and lines
    per CPU-second.

The lines are the project's labelled domain lines (tests/data/tone_domain.csv); long ones are runs of those lines
joined until they reach 60-120 words. The machine (usable cores, load average before and after, BLAS) is printed
with the figures: on a shared machine, read them together with the load.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ROOT / "tests" / "data" / "tone_domain.csv"

COLD = r"""
import json, time
t0 = time.perf_counter()
import numpy
from nextround.reading.encoder import Encoder
t1 = time.perf_counter()
encoder = Encoder()
t2 = time.perf_counter()
encoder.encode(["Thanks for making the time to talk with me."])
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "first_encode": t3 - t2, "total": t3 - t0}))
"""


def machine() -> dict:
    info = {
        "python": platform.python_version(),
        "cores_usable": len(os.sched_getaffinity(0)),
        "cpu_count": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numpy as np

    info["numpy"] = np.__version__
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info["blas"] = f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # older numpy: show_config has no dict mode
        info["blas"] = "unknown"
    return info


def domain_lines() -> list[str]:
    with DOMAIN.open(encoding="utf-8", newline="") as handle:
        return [row["text"].strip() for row in csv.DictReader(handle) if row["text"].strip()]


def short_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if 5 <= len(line.split()) <= 15]


def long_lines(lines: list[str], count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        target = rng.randint(60, 120)
        words: list[str] = []
        while len(words) < target:
            words.extend(rng.choice(lines).split())
        out.append(" ".join(words[:target]))
    return out


def cold_start(runs: int) -> dict:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, check=True)
        inner = json.loads(proc.stdout.strip().splitlines()[-1])
        inner["process"] = time.perf_counter() - start
        samples.append(inner)
    return {key: summary([s[key] for s in samples]) for key in samples[0]}


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def per_line(encoder, lines: list[str]) -> dict:
    encoder.encode(lines[:5])
    times, cpus = [], []
    for line in lines:
        start, cpu = time.perf_counter(), time.process_time()
        encoder.encode([line])
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    times.sort()
    cpus.sort()
    pick = lambda xs, q: xs[min(len(xs) - 1, int(q * len(xs)))] * 1e3  # noqa: E731
    return {"lines": len(times), "p50_ms": pick(times, 0.5), "p95_ms": pick(times, 0.95), "max_ms": times[-1] * 1e3,
            "cpu_p50_ms": pick(cpus, 0.5), "cpu_p95_ms": pick(cpus, 0.95)}


def throughput(encoder, lines: list[str], runs: int) -> dict:
    tokens = sum(encoder.count_tokens(lines))
    encoder.encode(lines[:20])
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        encoder.encode(lines)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)  # all threads of this process
    wall = statistics.median(walls)
    return {"lines": len(lines), "tokens": tokens, "median_s": wall,
            "tokens_per_s": tokens / wall, "lines_per_s": len(lines) / wall,
            "tokens_per_s_range": [tokens / max(walls), tokens / min(walls)],
            "tokens_per_cpu_s": tokens / statistics.median(cpus)}


def clauses_both_ways(encoder, lines: list[str], runs: int) -> dict:
    from nextround.reading.clauses import clauses

    spans = [clauses(line) for line in lines]
    spans = [s if len(s) > 1 else [] for s in spans]
    separate = lines + [line[a:b] for line, own in zip(lines, spans) for a, b in own]
    ways = {"separate": lambda: encoder.encode(separate), "spans": lambda: encoder.encode_spans(lines, spans)}
    walls: dict = {k: [] for k in ways}
    cpus: dict = {k: [] for k in ways}
    for _ in range(runs):
        for name, way in ways.items():  # in turns, so both see the same drift in the machine's load
            start, cpu = time.perf_counter(), time.process_time()
            way()
            walls[name].append(time.perf_counter() - start)
            cpus[name].append(time.process_time() - cpu)
    out = {"lines": len(lines), "multi_clause_lines": sum(1 for s in spans if s), "separate_texts": len(separate)}
    for name in ways:
        out[name] = {"lines_per_s": len(lines) / statistics.median(walls[name]),
                     "lines_per_cpu_s": len(lines) / statistics.median(cpus[name])}
    out["cpu_ratio_separate_over_spans"] = statistics.median(
        [a / b for a, b in zip(cpus["separate"], cpus["spans"])])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold starts and throughput repetitions")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    result: dict = {"command": "python benchmarks/encoder.py " + " ".join(sys.argv[1:]), "machine": machine()}
    result["load_before"] = os.getloadavg()
    result["cold_start_s"] = cold_start(args.runs)

    from nextround.reading import encoder as encoder_mod

    encoder = encoder_mod.Encoder()
    result["machine"]["encoder_threads"] = encoder_mod._workers()[1]  # 1: no OpenBLAS found, or one core
    lines = domain_lines()
    short = short_lines(lines)
    result["per_line"] = per_line(encoder, (short * 2)[:200])
    result["batch_short"] = throughput(encoder, (short * 2)[:400], args.runs)
    result["batch_long"] = throughput(encoder, long_lines(lines, 100), args.runs)
    script_lines = [line for path in sorted(ROOT.glob("tests/data/scripts_dev*/*.txt"))
                    for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    result["clauses"] = clauses_both_ways(encoder, script_lines, args.runs)
    result["load_after"] = os.getloadavg()

    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    m = result["machine"]
    print(f"machine: {m['cpu']}, {m['cores_usable']} usable cores; Python {m['python']}, numpy {m['numpy']} "
          f"({m['blas']}); encoder threads {m['encoder_threads']} (BLAS set to one thread each)")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*result["load_before"]))
    c = result["cold_start_s"]
    print(f"cold start ({args.runs} fresh processes, median [min-max] s): "
          + ", ".join(f"{k} {v['median']:.3f} [{v['min']:.3f}-{v['max']:.3f}]" for k, v in c.items()))
    p = result["per_line"]
    print(f"single short line, warm ({p['lines']} lines): p50 {p['p50_ms']:.1f} ms, p95 {p['p95_ms']:.1f} ms, "
          f"max {p['max_ms']:.1f} ms; CPU time p50 {p['cpu_p50_ms']:.1f} ms, p95 {p['cpu_p95_ms']:.1f} ms")
    for key, label in (("batch_short", "short lines (5-15 words)"), ("batch_long", "long lines (60-120 words)")):
        b = result[key]
        lo, hi = b["tokens_per_s_range"]
        print(f"batch, {label}: {b['lines']} lines, {b['tokens']} tokens: {b['tokens_per_s']:.0f} tokens/s "
              f"[{lo:.0f}-{hi:.0f}], {b['lines_per_s']:.0f} lines/s (median of {args.runs}); "
              f"{b['tokens_per_cpu_s']:.0f} tokens per CPU-second")
    c = result["clauses"]
    print(f"lines and their clauses, {c['lines']} script lines ({c['multi_clause_lines']} of several clauses): "
          f"clauses encoded separately ({c['separate_texts']} texts) {c['separate']['lines_per_s']:.0f} lines/s, "
          f"{c['separate']['lines_per_cpu_s']:.0f} per CPU-second; encode_spans {c['spans']['lines_per_s']:.0f} "
          f"lines/s, {c['spans']['lines_per_cpu_s']:.0f} per CPU-second; CPU time separate / spans, median of "
          f"pairs: {c['cpu_ratio_separate_over_spans']:.2f}")
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*result["load_after"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

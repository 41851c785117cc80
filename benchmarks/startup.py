"""Wall time of whole `nextround` commands: `--help`, `history`, `score TEXT`, a scripted offline session, `plan`.

Run: python benchmarks/startup.py [--runs N]
Uses the `nextround` on PATH (install the project first) and a throwaway NEXTROUND_HOME; prints the machine (cores,
load average before and after) with the figures. `score` and a rehearsal load the sentence encoder (about 0.2 s,
see benchmarks/encoder.py); `--help`, `history` and `plan` do not.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = """Thank you for making the time to talk; I accept the decision.
I'd value your advice on how my interview answers came across.
Which skills would you suggest I build before the next opening?
What experience did the person you chose bring that I could work towards?
Thanks, this is really helpful. Could we check in again in a couple of months?
"""


def timed(cmd: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    exe = shutil.which("nextround")
    if exe is None:
        sys.exit("nextround is not on PATH: pip install the project first")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, NEXTROUND_HOME=tmp)
        env.pop("OPENAI_API_KEY", None)
        env.pop("OPENAI_BASE_URL", None)
        script = Path(tmp) / "script.txt"
        script.write_text(SCRIPT, encoding="utf-8")
        subprocess.run([exe, "--help"], env=env, stdout=subprocess.DEVNULL, check=True)  # warm the file cache
        cases = {
            "python -c pass (interpreter floor)": [sys.executable, "-c", "pass"],
            "nextround --help": [exe, "--help"],
            "nextround history": [exe, "history"],
            'nextround score "TEXT"': [exe, "score", "Why did you pick him over me?"],
            "nextround feedback --script (5 turns) --json": [exe, "feedback", "--script", str(script), "--json"],
            "nextround plan --format json": [exe, "plan", "--format", "json"],
        }
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        print(f"machine: {cores} cores, load average before {os.getloadavg()[0]:.2f}")
        print(f"{'command':<48} {'median':>8} {'min':>8}   ({args.runs} runs)")
        for name, cmd in cases.items():
            median, best = timed(cmd, env, args.runs)
            print(f"{name:<48} {median * 1000:>6.0f}ms {best * 1000:>6.0f}ms")
        print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

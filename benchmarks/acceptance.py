"""Scripted practice through the installed CLI: tone, candor and insights per script.

Run: python benchmarks/acceptance.py [SCRIPT ...]   (default: tests/data/scripts/*.txt)
A script's file name says its conversation (feedback_/career_) and intent (_collaborative/_adversarial).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(script: Path, home: str) -> dict:
    kind = "career" if script.name.startswith("career") else "feedback"
    out = subprocess.run(["nextround", kind, "--script", str(script), "--json"], capture_output=True, text=True,
                         env=dict(os.environ, NEXTROUND_HOME=home), check=True)
    return json.loads(out.stdout)


def main() -> None:
    scripts = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "tests/data/scripts").glob("*.txt"))
    with tempfile.TemporaryDirectory() as home:
        print(f"{'script':<34} {'mean':>5} {'flagged':>8} {'candor':>8} {'insights':>9}")
        for script in scripts:
            data = run(script, home)
            users = [t for t in data["turns"] if t["role"] == "user"]
            flagged = sum(1 for t in users if t["tone"]["flags"])
            s = data["summary"]
            print(f"{script.stem:<34} {s['mean_tone']:>5} {flagged:>4}/{len(users):<3} "
                  f"{s['start_candor']:>3}→{s['final_candor']:<3} {s['insights_found']:>4}/{s['insights_total']}")
            for t in users:
                print(f"    {t['tone']['score']:>3} c{t['candor']:>3} {','.join(t['unlocked']) or '-':<24} {t['text'][:70]}")


if __name__ == "__main__":
    main()

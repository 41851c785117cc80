#!/usr/bin/env python3
"""Does a model ever make a rehearsal worse than offline? Plays the development practice scripts offline and
against a live OpenAI-compatible server (model mode: the model renders, reads every line and judges its tone),
then checks two promises:

- every insight the offline engine unlocks on a sincere script is also unlocked in model mode;
- no adversarial line (local score 40 or below) unlocks anything in model mode, in any script.

    python benchmarks/live_unlocks.py --base-url http://127.0.0.1:8765/v1 --model smollm2 [--judge both]

Start the server yourself (e.g. `python -m llama_cpp.server --model SmolLM2-135M-Instruct.Q4_1.gguf --port 8765`)
and stop it afterwards. Only the development scripts are played (tests/data/scripts_dev*), never the frozen sets.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT / "tests" / "data"


def scripts() -> list[tuple[Path, str, bool]]:
    out = []
    for folder in (DATA / "scripts_dev", DATA / "scripts_dev2"):
        if not folder.exists():
            continue
        with open(folder / "expect.csv", newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                name = row["script"] if row["script"].endswith(".txt") else row["script"] + ".txt"
                out.append((folder / name, name.split("_")[0], row["sincere"].strip().lower() in ("yes", "true")))
    return out


def play(path: Path, kind: str, parts=None):
    from nextround.scenario import load_builtin
    from nextround.session import Rehearsal
    from nextround.store import Store

    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    store = Store()
    if parts is None:
        rehearsal = Rehearsal(load_builtin(kind), store)
    else:
        rehearsal = Rehearsal(load_builtin(kind), store, parts.persona, judge=parts.judge,
                              model_reader=parts.reader, judge_mode=parts.judge_mode, provider=parts.provider,
                              model=parts.model)
    rehearsal.begin()
    results = [rehearsal.say(line) for line in lines]
    decisions = [r.decision for r in results]
    rehearsal.verdicts = [r.judge for r in results]
    rehearsal.end()
    store.close()
    return rehearsal, decisions


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--model", default="smollm2")
    ap.add_argument("--judge", default="both", choices=["llm", "both"])
    ap.add_argument("--limit", type=int, default=0, help="play only the first N scripts (0 = all)")
    ap.add_argument("--only", choices=["sincere", "adversarial"], help="play only the sincere or the other scripts")
    args = ap.parse_args(argv)
    os.environ.setdefault("NEXTROUND_HOME", tempfile.mkdtemp(prefix="nextround-live-"))
    from nextround.assembly import build_rehearsal_parts
    from nextround.models.settings import Settings

    settings = Settings(provider="openai", base_url=args.base_url, model=args.model, judge=args.judge,
                        max_retries=0, timeout=300)
    chosen = [s for s in scripts() if args.only is None or s[2] == (args.only == "sincere")][: args.limit or None]
    lost: list[str] = []
    adversarial_unlocks: list[str] = []
    sincere_offline = sincere_live = verdicts = counted = 0
    started = time.perf_counter()
    for path, kind, sincere in chosen:
        offline, _ = play(path, kind)
        live, decisions = play(path, kind, build_rehearsal_parts(settings))
        for decision in decisions:
            if decision.reading.adversarial and decision.unlocked:
                adversarial_unlocks.append(f"{path.name}: {decision.text[:60]!r} opened {decision.unlocked}")
        missing = sorted(set(offline.state.unlocked) - set(live.state.unlocked))
        if sincere:
            sincere_offline += len(offline.state.unlocked)
            sincere_live += len(set(offline.state.unlocked) & set(live.state.unlocked))
            if missing:
                lost.append(f"{path.name}: offline {sorted(offline.state.unlocked)}, live {sorted(live.state.unlocked)}")
        print(f"{path.name:32} offline {len(offline.state.unlocked)} live {len(live.state.unlocked)}"
              f"{'  LOST ' + ','.join(missing) if missing and sincere else ''}", flush=True)
        verdicts += sum(1 for v in live.verdicts if v is not None)
        counted += sum(1 for v in live.verdicts if v is not None and v.get("counted"))
    print(f"\nscripts: {len(chosen)} ({time.perf_counter() - started:.0f} s)")
    print(f"sincere scripts: offline unlocks {sincere_offline}, also unlocked live {sincere_live}")
    print(f"judge verdicts: {verdicts}, of which counted (lowered a score): {counted}")
    print(f"offline unlocks lost live: {len(lost)}")
    for item in lost:
        print(f"  {item}")
    print(f"adversarial lines that unlocked something live: {len(adversarial_unlocks)}")
    for item in adversarial_unlocks:
        print(f"  {item}")
    return 0 if not lost and not adversarial_unlocks else 1


if __name__ == "__main__":
    raise SystemExit(main())

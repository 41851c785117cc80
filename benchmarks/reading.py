#!/usr/bin/env python3
"""How well the local reader and the counterpart do, on the development sets and on the frozen test sets.

    python benchmarks/reading.py                 # development sets only (what tuning may look at)
    python benchmarks/reading.py --frozen        # also the frozen test sets, reported separately
    python benchmarks/reading.py --only scripts  # one part: tone, lines, topics, flags, scripts, human
    python benchmarks/reading.py --frozen2       # only the second frozen set (issue 16), reported once at the end

Tone: band accuracy on lines labelled collaborative/adversarial, and ROC-AUC collaborative vs adversarial.
Lines: single lines of outside authors' kind (tests/data/lines_dev3.csv, clearcut_dev2.csv, lines_dev4.csv), sincere vs
bad intent.
Topics: for sincere asks labelled with an insight, how often the reader picks it (or names it in a clarifying
question); for "none" lines, how often it picks nothing.
Scripts: plays each natural practice script through a rehearsal (offline, in a temporary data folder) and checks
what a realistic counterpart would do: sincere scripts mean tone >= 65, at least 2 insights, candor rises;
the others mean tone <= 40, most lines flagged, at most 1 insight, candor falls. Then, for every sincere line
labelled with an insight, whether the reply answers that topic (reveal, deeper or advise) or asks a clarifying
question naming it, counted when candor was high enough for that insight; and how many counterpart lines were said
more than once within a session (the target is 0).

The frozen sets (tests/data/frozen/) were written before tuning by someone else and are never used to choose
anything; this script is the only reader of them.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT / "tests" / "data"
FROZEN = DATA / "frozen"
# The second frozen set (issue 16): a sincere half and a bad-intent half, each written by its own author.
FROZEN2 = DATA / "frozen2"


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def auc(pos: list[float], neg: list[float]) -> float:
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


# --- tone ---------------------------------------------------------------------------------------------------------


def tone_report(path: Path) -> dict:
    from nextround.reading.reader import score_lines

    rows = read_csv(path)
    results = score_lines([r["text"] for r in rows])
    by = {"collaborative": [], "neutral": [], "adversarial": []}
    correct = 0
    flagged_ok = 0
    wrong: list[str] = []
    for row, result in zip(rows, results):
        label = row.get("tone") or row.get("label")
        by[label].append(result.score)
        if label == "collaborative":
            ok = result.score >= 60
            flagged_ok += not result.flags
        elif label == "adversarial":
            ok = result.score <= 40
            flagged_ok += bool(result.flags)
        else:
            ok = 40 < result.score < 60
        correct += ok
        if not ok and label != "neutral":
            wrong.append(f"{result.score:>3} {label[:5]} {row.get('stance', '')}: {row['text'][:90]}")
    polar = len(by["collaborative"]) + len(by["adversarial"])
    return {
        "lines": len(rows),
        "band_accuracy_polar": sum(s >= 60 for s in by["collaborative"]) / max(1, len(by["collaborative"])) * 0.5
        + sum(s <= 40 for s in by["adversarial"]) / max(1, len(by["adversarial"])) * 0.5,
        "collaborative_at_60_or_more": sum(s >= 60 for s in by["collaborative"]) / max(1, len(by["collaborative"])),
        "adversarial_at_40_or_less": sum(s <= 40 for s in by["adversarial"]) / max(1, len(by["adversarial"])),
        "auc_collab_vs_adv": auc(by["collaborative"], by["adversarial"]),
        "flags_right": flagged_ok / max(1, polar),
        "wrong": wrong,
    }


# --- human-rated politeness and our proxy sets ------------------------------------------------------------------


def human_report() -> dict:
    """The Wikipedia requests' held-out fifth (never trained on; the shared data) and the self-written proxy sets."""
    sys.path.insert(0, str(ROOT / "scripts"))
    # The held-out fifth and its AUC as the training script defines them (its tuning reads the same figure).
    from train_encoder import SHARED, extremes_auc, held_out, read_corpus

    import numpy as np
    from scipy.stats import spearmanr

    from nextround.reading.reader import score_lines

    out: dict = {}
    if (SHARED / "politeness" / "en_train.csv").exists():
        held = [row for row in read_corpus("politeness/en_train.csv") if held_out(row["sentence"])]
        scores = np.array([r.score for r in score_lines([row["sentence"] for row in held])], dtype=float)
        human = np.array([float(row["score"]) for row in held])
        out["wikipedia_heldout_lines"] = len(held)
        out["wikipedia_heldout_auc_top_vs_bottom_quarter"] = extremes_auc(scores, human)
        out["wikipedia_heldout_spearman"] = float(spearmanr(scores, human).correlation)
    for name in ("requests", "receptive", "email"):
        rows = read_csv(DATA / f"tone_proxy_{name}.csv")
        scores = [r.score for r in score_lines([row["text"] for row in rows])]
        ratings = [float(row["rating"]) for row in rows]
        out[f"proxy_{name}_spearman"] = float(spearmanr(scores, ratings).correlation)
    return out


# --- topics -------------------------------------------------------------------------------------------------------


def topics_report(path: Path) -> dict:
    from nextround.reading.reader import LocalReader
    from nextround.scenario import load_builtin

    rows = read_csv(path)
    readers = {}
    hit = named = total = none_ok = none_total = 0
    misses: list[str] = []
    for row in rows:
        name = row["scenario"]
        if name not in readers:
            readers[name] = LocalReader(load_builtin(name))
        reading = readers[name].read(row["text"])
        labels = set(row["insight"].split("|"))
        if labels == {"none"}:
            none_total += 1
            none_ok += not reading.topics
            if reading.topics:
                misses.append(f"none -> {reading.topics}: {row['text'][:80]}")
            continue
        total += 1
        if reading.topics and reading.topics[0] in labels:
            hit += 1
        elif labels & set(reading.candidates):
            named += 1
        else:
            misses.append(f"{row['insight']} -> {reading.topics or ('clarify',) + reading.candidates}: "
                          f"{row['text'][:80]}")
    return {"asks": total, "picked": hit / max(1, total), "picked_or_named": (hit + named) / max(1, total),
            "none_lines": none_total, "none_left_alone": none_ok / max(1, none_total), "misses": misses}


# --- scripts ------------------------------------------------------------------------------------------------------


def play(script: Path, kind: str) -> list[dict]:
    """Play a script in-process, offline, and return the session as the JSON contract has it."""
    from nextround.report import session_to_dict
    from nextround.scenario import load_builtin
    from nextround.session import Rehearsal
    from nextround.store import Store

    lines = [line for line in script.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home) / "nextround.db")
        rehearsal = Rehearsal(load_builtin(kind), store)
        rehearsal.begin()
        for line in lines:
            rehearsal.say(line)
        rehearsal.end()
        data = session_to_dict(store.get_session(rehearsal.session_id))
        store.close()
    return data


def scripts_report(folder: Path) -> dict:
    from nextround.scenario import load_builtin

    def file_name(script: str) -> str:
        return script if script.endswith(".txt") else script + ".txt"

    expect = {file_name(r["script"]): r for r in read_csv(folder / "expect.csv")}
    labels: dict[tuple[str, int], set[str]] = {}
    for r in read_csv(folder / "labels.csv"):
        labels.setdefault((file_name(r["script"]), int(r["line"])), set()).update(r["insight"].split("|"))
    ok = 0
    failures: list[str] = []
    answered = asked = 0
    topic_misses: list[str] = []
    by_family: dict[str, list[bool]] = {}
    repeated = 0
    repeat_notes: list[str] = []
    for name, row in sorted(expect.items()):
        path = folder / name
        kind = name.split("_")[0]
        scenario = load_builtin(kind)
        data = play(path, kind)
        turns = data["turns"]
        users = [t for t in turns if t["role"] == "user"]
        said = [" ".join(t["text"].lower().split()) for t in turns if t["role"] == "counterpart"]
        again = len(said) - len(set(said))  # counterpart lines said more than once in the session
        repeated += again
        if again:
            repeat_notes.append(f"{name}: {again} repeated line(s)")
        summary = data["summary"]
        sincere = row["sincere"].strip().lower() in ("yes", "true")
        mean_tone = summary["mean_tone"]  # None when no line was scored; 0.0 is a real (the lowest) mean
        if sincere:
            good = mean_tone is not None and mean_tone >= 65 and summary["insights_found"] >= 2 and \
                summary["final_candor"] > summary["start_candor"]
        else:
            flagged = sum(1 for t in users if t["tone"]["flags"])
            good = mean_tone is not None and mean_tone <= 40 and flagged * 2 > len(users) and \
                summary["insights_found"] <= 1 and summary["final_candor"] < summary["start_candor"]
        ok += good
        by_family.setdefault(row["family"], []).append(good)
        if not good:
            failures.append(f"{name}: mean tone {summary['mean_tone']}, insights {summary['insights_found']}, "
                            f"candor {summary['start_candor']}->{summary['final_candor']}")
        # topic answers: the reply after each labelled line
        line_no = 0
        for n, turn in enumerate(turns):
            if turn["role"] != "user":
                continue
            line_no += 1
            want = labels.get((name, line_no))
            if not want:
                continue
            reply = turns[n + 1] if n + 1 < len(turns) else None
            needed = min(scenario.insight(i).min_candor for i in want)
            if turn["candor"] < needed or reply is None:
                continue
            asked += 1
            move, topic = reply.get("move"), reply.get("topic")
            if (move in ("reveal", "deeper", "advise") and topic in want) or \
                    (move == "clarify" and want & set(reply.get("options", []))):
                answered += 1
            else:
                topic_misses.append(f"{name}:{line_no} want {sorted(want)} got {move}/{topic}: {turn['text'][:70]}")
    return {"scripts": len(expect), "realistic": ok / max(1, len(expect)),
            "by_family": {k: f"{sum(v)}/{len(v)}" for k, v in by_family.items()},
            "failures": failures, "topic_lines": asked, "topic_answered": answered / max(1, asked),
            "topic_misses": topic_misses, "repeated_counterpart_lines": repeated, "repeats": repeat_notes}


def lines_report(sincere_path: Path, bad_path: Path | None = None) -> dict:
    """Single lines: can the score tell the bad-intent lines from the sincere ones?

    AUC over every sincere line (collaborative and neutral) against every bad-intent line, and accuracy when the
    line is drawn at 50 (sincere above, bad-intent at or below). Two files (the second frozen set: sincere, bad),
    or one with an ``intent`` column (``sincere`` or ``bad``: tests/data/lines_dev3.csv) or a ``tone`` column
    (``collaborative`` or ``adversarial``: tests/data/clearcut_dev2.csv)."""
    from nextround.reading.reader import score_lines

    if bad_path is None:
        rows = read_csv(sincere_path)
        intent = [r.get("intent") or ("sincere" if r["tone"] == "collaborative" else "bad") for r in rows]
        sincere = [r["text"] for r, i in zip(rows, intent) if i == "sincere"]
        bad = [r["text"] for r, i in zip(rows, intent) if i == "bad"]
    else:
        sincere = [r["text"] for r in read_csv(sincere_path)]
        bad = [r["text"] for r in read_csv(bad_path)]
    scores = [r.score for r in score_lines(sincere + bad)]
    good_scores, bad_scores = scores[:len(sincere)], scores[len(sincere):]
    right = sum(s > 50 for s in good_scores) + sum(s <= 50 for s in bad_scores)
    return {"sincere_lines": len(sincere), "bad_intent_lines": len(bad),
            "auc_sincere_vs_bad": auc(good_scores, bad_scores), "accuracy_at_50": right / len(scores),
            "sincere_at_60_or_more": sum(s >= 60 for s in good_scores) / len(good_scores),
            "bad_at_40_or_less": sum(s <= 40 for s in bad_scores) / len(bad_scores)}


def show(title: str, report: dict, verbose: bool) -> None:
    print(f"\n## {title}")
    for key, value in report.items():
        if isinstance(value, list):
            if verbose and value:
                print(f"  {key}:")
                for item in value:
                    print(f"    {item}")
            elif value:
                print(f"  {key}: {len(value)} (use -v to list)")
        elif isinstance(value, float):
            print(f"  {key}: {value:.3f}")
        else:
            print(f"  {key}: {value}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--frozen", action="store_true", help="also report the frozen test sets")
    ap.add_argument("--frozen2", action="store_true",
                    help="only the second frozen test set (tests/data/frozen2/: single lines and scripts)")
    ap.add_argument("--only", choices=["tone", "topics", "flags", "scripts", "human", "lines"])
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses (development sets only)")
    args = ap.parse_args(argv)
    os.environ.setdefault("NEXTROUND_HOME", tempfile.mkdtemp(prefix="nextround-bench-"))
    if args.frozen2:
        show("FROZEN TEST 2: single lines (sincere vs bad intent)",
             lines_report(FROZEN2 / "sincere" / "lines.csv", FROZEN2 / "bad" / "lines.csv"), False)
        for half in ("sincere", "bad"):
            show(f"FROZEN TEST 2: practice scripts ({half})", scripts_report(FROZEN2 / half / "scripts"), False)
        return 0
    parts = [args.only] if args.only else ["tone", "lines", "topics", "scripts", "human"]
    sets = [("development", False)] + ([("FROZEN TEST", True)] if args.frozen else [])
    for label, frozen in sets:
        verbose = args.verbose and not frozen  # never list frozen misses: nobody should tune on them
        if "tone" in parts:
            path = FROZEN / "stance_test.csv" if frozen else DATA / "stance_dev.csv"
            show(f"{label}: tone ({path.relative_to(ROOT)})", tone_report(path), verbose)
        if "lines" in parts and not frozen:
            show("development: single lines, sincere vs bad intent (tests/data/lines_dev3.csv)",
                 lines_report(DATA / "lines_dev3.csv"), verbose)
            show("development: clear-cut lines by a new author (tests/data/clearcut_dev2.csv, never tuned on)",
                 lines_report(DATA / "clearcut_dev2.csv"), verbose)
            show("development: single lines by another outside author (tests/data/lines_dev4.csv, never tuned on)",
                 lines_report(DATA / "lines_dev4.csv"), verbose)
        if "human" in parts and not frozen:
            show("human-rated politeness (held-out Wikipedia fifth) and self-written proxy sets", human_report(),
                 verbose)
        if "flags" in parts and not frozen:
            show(f"{label}: mixed lines (tests/data/stance_mixed.csv)", tone_report(DATA / "stance_mixed.csv"),
                 verbose)
        if "topics" in parts:
            path = FROZEN / "topics_test.csv" if frozen else DATA / "topics_dev.csv"
            show(f"{label}: topics ({path.relative_to(ROOT)})", topics_report(path), verbose)
        if "scripts" in parts:
            folders = [FROZEN / "scripts"] if frozen else [f for f in (DATA / "scripts_dev", DATA / "scripts_dev2",
                                                                                 DATA / "scripts_dev3")
                                                           if f.exists()]
            for folder in folders:
                show(f"{label}: practice scripts ({folder.relative_to(ROOT)})", scripts_report(folder), verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

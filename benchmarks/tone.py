#!/usr/bin/env python3
"""Benchmark the local tone scorer.

    python benchmarks/tone.py            # full report (needs scikit-learn + numpy for the held-out refit)
    python benchmarks/tone.py --quick    # shipped model only: domain sets + throughput (stdlib only)

Reports
1. Held-out Wikipedia (the shared politeness data under ``../shared/data/politeness/``, skipped if absent): a
   fixed split (every 5th row, by position) is held out; the training pipeline of ``scripts/train_tone.py`` is
   refitted on the other rows only and scored on the held-out rows: ROC-AUC on the top vs bottom quarter (as in
   the binary file), accuracy at 50 on those rows, Spearman against the human score on all held-out rows.
   The shipped model was trained on all rows, so its figures on the same rows are in-sample; they are printed
   too, labelled as such, but only the refit is a held-out number.
2. Domain sets (``tests/data/tone_domain.csv`` used in training; ``tone_domain_holdout.csv`` never used for
   training or for writing rules): mean score per label, share of adversarial lines flagged, ROC-AUC
   collaborative vs adversarial, accuracy of the three-way label.
3. Throughput: utterances per second through ``score_many`` (after start-up, which is timed separately), on the
   Wikipedia sentences (or the domain lines if the shared data is absent), best of 3 runs.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = ROOT.parent / "shared" / "data" / "politeness"
DOMAIN = ROOT / "tests" / "data" / "tone_domain.csv"
HOLDOUT = ROOT / "tests" / "data" / "tone_domain_holdout.csv"
HOLDOUT2 = ROOT / "tests" / "data" / "tone_domain_holdout2.csv"
PROXIES = (
    ("tone_proxy_requests.csv", "StackExchange-style requests, politeness 1-5"),
    ("tone_proxy_receptive.csv", "disagreement replies, receptiveness 1-7"),
    ("tone_proxy_email.csv", "workplace emails, tone 1-5 (hostile..warm)"),
)


def auc(pos: list[float], neg: list[float]) -> float:
    """ROC-AUC by the rank-sum formula (ties count half)."""
    allv = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    ranks = [0.0] * len(allv)
    i = 0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and allv[j + 1][0] == allv[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        i = j + 1
    rpos = sum(r for r, (_, lab) in zip(ranks, allv) if lab == 1)
    return (rpos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def spearman(a: list[float], b: list[float]) -> float:
    def rank(x):
        order = sorted(range(len(x)), key=lambda i: x[i])
        r = [0.0] * len(x)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and x[order[j + 1]] == x[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2
            i = j + 1
        return r

    ra, rb = rank(a), rank(b)
    ma, mb = statistics.fmean(ra), statistics.fmean(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb) if va and vb else 0.0


def quarter_metrics(scores: list[float], human: list[float]) -> dict:
    srt = sorted(human)
    q1 = srt[len(srt) // 4]
    q3 = srt[(3 * len(srt)) // 4]
    pos = [s for s, h in zip(scores, human) if h >= q3]
    neg = [s for s, h in zip(scores, human) if h <= q1]
    acc = (sum(s > 50 for s in pos) + sum(s <= 50 for s in neg)) / (len(pos) + len(neg))
    return {"auc": auc(pos, neg), "acc50": acc, "spearman": spearman(scores, human), "n": len(scores),
            "n_quarters": len(pos) + len(neg)}


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def wikipedia(full: bool) -> list[str] | None:
    if not (SHARED / "en_train.csv").exists():
        print(f"[skip] shared politeness data not found at {SHARED}")
        return None
    rows = read_csv(SHARED / "en_train.csv")
    texts = [r["sentence"] for r in rows]
    human = [float(r["score"]) for r in rows]
    test_idx = [i for i in range(len(rows)) if i % 5 == 0]
    test_t = [texts[i] for i in test_idx]
    test_h = [human[i] for i in test_idx]
    import nextround.tone as tone

    print("\n== Wikipedia requests (Stanford Politeness Corpus via TyDiP, CC BY 4.0) ==")
    if full:
        try:
            sys.path.insert(0, str(ROOT / "scripts"))
            import numpy as np

            import train_tone as tt
        except ImportError as exc:
            print(f"[skip] held-out refit needs scikit-learn/numpy ({exc}); run with the training extras")
        else:
            train_idx = [i for i in range(len(rows)) if i % 5 != 0]
            wa = tt.analyse_all(texts)
            dom_t, dom_l = tt.read_domain(DOMAIN)
            da = tt.analyse_all(dom_t)
            data = tt.fit([wa[i] for i in train_idx], np.array([human[i] for i in train_idx]), da, dom_l,
                          alpha=tt.DEFAULTS["alpha"], min_df=tt.DEFAULTS["min_df"],
                          domain_weight=tt.DEFAULTS["domain_weight"], scale=tt.DEFAULTS["scale"],
                          sentiment=tt.DEFAULTS["sentiment"])
            from nextround.tone import model

            model.set_weights(data)
            held = [r.score for r in tone.score_many(test_t)]
            m = quarter_metrics(held, test_h)
            print(f"held-out fifth (refit on the other 4/5, n={m['n']}, quarters n={m['n_quarters']}): "
                  f"ROC-AUC {m['auc']:.3f}  acc@50 {m['acc50']:.3f}  Spearman {m['spearman']:.3f}")
            model._WEIGHTS = None
            model.load_weights()
    shipped = [r.score for r in tone.score_many(test_t)]
    m = quarter_metrics(shipped, test_h)
    print(f"shipped model on the same rows (IN-SAMPLE, for reference): ROC-AUC {m['auc']:.3f}  "
          f"acc@50 {m['acc50']:.3f}  Spearman {m['spearman']:.3f}")
    return texts


def domain_report(path: Path, title: str) -> None:
    import nextround.tone as tone

    if not path.exists():
        print(f"[skip] {path} not found")
        return
    rows = read_csv(path)
    res = tone.score_many([r["text"] for r in rows])
    print(f"\n== {title} ({path.name}, n={len(rows)}) ==")
    by: dict[str, list] = {}
    for r, t in zip(rows, res):
        by.setdefault(r["label"], []).append((r, t))
    for lab in ("collaborative", "neutral", "adversarial"):
        items = by.get(lab, [])
        if not items:
            continue
        sc = [t.score for _, t in items]
        line = f"{lab:<13} n={len(items):<4} mean {statistics.fmean(sc):5.1f}  min {min(sc):3d}  max {max(sc):3d}"
        if lab == "adversarial":
            flagged = sum(1 for _, t in items if t.flags)
            line += f"  flagged {flagged}/{len(items)} ({flagged / len(items):.0%})"
        if lab == "collaborative":
            flagged = sum(1 for _, t in items if t.flags)
            line += f"  (lines with a flag: {flagged})"
        print(line)
    for conv in ("feedback", "career"):
        c = [t.score for r, t in zip(rows, res) if r["conversation"] == conv and r["label"] == "collaborative"]
        a = [t.score for r, t in zip(rows, res) if r["conversation"] == conv and r["label"] == "adversarial"]
        if c and a:
            print(f"  {conv:<9} collaborative mean {statistics.fmean(c):5.1f}  adversarial mean {statistics.fmean(a):5.1f}"
                  f"  ROC-AUC {auc(c, a):.3f}")
    pos = [t.score for r, t in zip(rows, res) if r["label"] == "collaborative"]
    neg = [t.score for r, t in zip(rows, res) if r["label"] == "adversarial"]
    acc = sum(1 for r, t in zip(rows, res) if t.label == r["label"]) / len(rows)
    print(f"ROC-AUC collaborative vs adversarial {auc(pos, neg):.3f}   three-way label accuracy {acc:.3f}")
    misses = [(r, t) for r, t in zip(rows, res)
              if (r["label"] == "collaborative" and t.score < 60) or (r["label"] == "adversarial" and t.score > 40)
              or (r["label"] == "adversarial" and not t.flags)]
    for r, t in misses[:12]:
        print(f"  miss: [{r['label'][:5]}] {t.score:3d} flags={len(t.flags)}  {r['text']}")


def proxy_report() -> None:
    """Self-written proxy dev sets (small, by the developer; NOT the hidden evaluation sets)."""
    import nextround.tone as tone

    print("\n== Proxy dev sets (self-written, small; not the evaluation sets) ==")
    for name, title in PROXIES:
        path = ROOT / "tests" / "data" / name
        if not path.exists():
            print(f"[skip] {name} not found")
            continue
        rows = read_csv(path)
        scores = [r.score for r in tone.score_many([r["text"] for r in rows])]
        m = quarter_metrics(scores, [float(r["rating"]) for r in rows])
        print(f"{title:<48} n={m['n']:<3} ROC-AUC (top vs bottom quarter) {m['auc']:.3f}  Spearman {m['spearman']:.3f}")


def throughput(texts: list[str]) -> None:
    import subprocess

    code = ("import time; t0 = time.perf_counter(); import nextround.tone as tone; t1 = time.perf_counter(); "
            "tone.score_text('warm up'); t2 = time.perf_counter(); print((t1 - t0) * 1000, (t2 - t1) * 1000)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**__import__("os").environ, "PYTHONPATH": str(ROOT / "src")}).stdout.split()
    imp_ms, first_ms = (float(out[0]), float(out[1])) if len(out) == 2 else (float("nan"), float("nan"))
    import nextround.tone as tone

    tone.score_text("warm up the patterns and weights")
    import os

    batch = (texts * (20000 // max(len(texts), 1) + 1))[:20000]
    mean_len = statistics.fmean(len(t) for t in batch)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n== Throughput ==\nstart-up: import {imp_ms:.0f} ms, first call (patterns + weights) {first_ms:.0f} ms; "
          f"batch of {len(batch)} lines, mean {mean_len:.0f} chars; load average before the run {load:.2f} "
          f"(other processes on the machine slow this down)")
    saved = os.environ.get("NEXTROUND_TONE_WORKERS")
    for label, workers in (("serial (one core)", "1"), ("default (forked workers on Linux)", saved or "")):
        os.environ["NEXTROUND_TONE_WORKERS"] = workers
        best = 0.0
        for _ in range(3):
            t1 = time.perf_counter()
            tone.score_many(batch)
            best = max(best, len(batch) / (time.perf_counter() - t1))
        print(f"score_many, {label}: {best:,.0f} utterances/s (best of 3)")
    if saved is None:
        os.environ.pop("NEXTROUND_TONE_WORKERS", None)
    else:
        os.environ["NEXTROUND_TONE_WORKERS"] = saved


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark the local tone scorer.")
    ap.add_argument("--quick", action="store_true", help="skip the held-out refit (no scikit-learn needed)")
    args = ap.parse_args(argv)
    texts = wikipedia(full=not args.quick)
    domain_report(DOMAIN, "Domain lines (used in training)")
    domain_report(HOLDOUT, "Domain hold-out (never used for training or rules)")
    domain_report(HOLDOUT2, "Domain hold-out 2 (written before the calibration work; never trained on)")
    proxy_report()
    if texts is None:
        texts = [r["text"] for r in read_csv(DOMAIN)]
    throughput(texts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

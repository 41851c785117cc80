#!/usr/bin/env python3
"""Train the lexical politeness model that the plan uses to pick the gentlest example ask.

The reader itself no longer uses it: tone, stance and politeness come from the fine-tuned encoder and its heads
(``scripts/train_encoder.py``). The plan's phrasing (``plan/phrasing.py``) only ranks a scenario's example asks by
how gently they are worded and must not load the encoder, so it keeps this stdlib model. Needs training extras::

    pip install scikit-learn scipy
    python scripts/train_reading.py politeness   # -> src/nextround/data/politeness.json

Data: ``../shared/data/politeness/en_train.csv``: Wikipedia requests with human politeness scores (Stanford
Politeness Corpus, Danescu-Niculescu-Mizil et al., ACL 2013, as re-split by TyDiP; CC BY 4.0). Read from there,
never copied. A fixed fifth (chosen by a hash of the text) is held out for development figures; the model is
fitted on the other four fifths. ``wiki_split`` and ``extremes_auc`` are shared with ``benchmarks/reading.py``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

DATA = ROOT / "src" / "nextround" / "data"
TESTS = ROOT / "tests" / "data"
WIKI = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()),
            ROOT.parent / "shared") / "data" / "politeness" / "en_train.csv"


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def wiki_split(path: Path = WIKI) -> tuple[list[dict], list[dict]]:
    """(fit rows, held-out fifth) of the Wikipedia requests, fixed by a hash of each sentence."""
    rows = read_csv(path)
    held = [r for r in rows if int(hashlib.sha1(r["sentence"].encode()).hexdigest(), 16) % 5 == 0]
    fit = [r for r in rows if int(hashlib.sha1(r["sentence"].encode()).hexdigest(), 16) % 5 != 0]
    return fit, held


def extremes_auc(scores: np.ndarray, human: np.ndarray) -> float:
    """ROC-AUC on the top and bottom quarters of the human scale (as the binary politeness file does)."""
    from sklearn.metrics import roc_auc_score

    q1, q3 = np.quantile(human, [0.25, 0.75])
    keep = (human <= q1) | (human >= q3)
    return float(roc_auc_score((human[keep] > 0).astype(int), scores[keep]))


# --- politeness ------------------------------------------------------------------------------------------------


def train_politeness(args) -> dict:
    from scipy.stats import spearmanr
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold

    from nextround.reading import politeness

    fit_rows, held_rows = wiki_split()
    texts = [r["sentence"] for r in fit_rows]
    y = np.array([float(r["score"]) for r in fit_rows])
    feats = [politeness.features(t) for t in texts]
    df: dict[str, int] = {}
    for f in feats:
        for k in f:
            if k.startswith("g:"):
                df[k] = df.get(k, 0) + 1
    keep = {k for k, n in df.items() if n >= args.min_df}
    feats = [{k: v for k, v in f.items() if not k.startswith("g:") or k in keep} for f in feats]
    vec = DictVectorizer()
    X = vec.fit_transform(feats)
    best = None
    for alpha in args.alphas:
        aucs = []
        for tr, te in KFold(5, shuffle=True, random_state=7).split(texts):
            reg = Ridge(alpha=alpha).fit(X[tr], y[tr])
            aucs.append(extremes_auc(reg.predict(X[te]), y[te]))
        mean = float(np.mean(aucs))
        print(f"  alpha {alpha:<5} 5-fold CV ROC-AUC {mean:.3f} ± {np.std(aucs):.3f}")
        if best is None or mean > best[1]:
            best = (alpha, mean, float(np.std(aucs)))
    alpha = best[0]
    reg = Ridge(alpha=alpha).fit(X, y)
    names = vec.get_feature_names_out()
    weights = {n: round(float(c) * args.scale, 5) for n, c in zip(names, reg.coef_) if abs(c) * args.scale >= 1e-4}
    model = {
        "bias": round(float(reg.intercept_) * args.scale, 5),
        "weights": weights,
        "meta": {
            "trained_on": "Stanford Politeness Corpus, Wikipedia requests (TyDiP English train split), 4/5 by hash",
            "licence": "CC BY 4.0 (data); weights derived by nextround",
            "alpha": alpha, "min_df": args.min_df, "scale": args.scale,
            "cv_auc": round(best[1], 4), "cv_auc_sd": round(best[2], 4),
        },
    }
    held_y = np.array([float(r["score"]) for r in held_rows])
    held_pred = np.array([politeness.logit(r["sentence"], model) for r in held_rows])
    model["meta"]["heldout_auc"] = round(extremes_auc(held_pred, held_y), 4)
    model["meta"]["heldout_spearman"] = round(float(spearmanr(held_pred, held_y).correlation), 4)
    print(f"politeness: alpha {alpha}, {len(weights)} weights; held-out fifth ROC-AUC "
          f"{model['meta']['heldout_auc']:.3f}, Spearman {model['meta']['heldout_spearman']:.3f}")
    if not args.dry_run:
        out = DATA / "politeness.json"
        out.write_text(json.dumps(model, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    return model


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("part", choices=["politeness"])
    ap.add_argument("--dry-run", action="store_true", help="report figures, write nothing")
    ap.add_argument("--alphas", type=float, nargs="+", default=[1.0, 3.0, 10.0])
    ap.add_argument("--min-df", type=int, default=2)
    ap.add_argument("--scale", type=float, default=3.0, help="z units of the human scale -> logit")
    args = ap.parse_args(argv)
    if not WIKI.exists():
        print(f"training data not found: {WIKI}", file=sys.stderr)
        return 1
    train_politeness(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

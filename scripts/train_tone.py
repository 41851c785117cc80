#!/usr/bin/env python3
"""Train the local tone model and write ``src/nextround/data/tone_weights.json``.

Needs the training extras, which are NOT runtime dependencies of nextround::

    pip install scikit-learn numpy scipy
    python scripts/train_tone.py            # train, cross-validate, write the weights
    python scripts/train_tone.py --dry-run  # cross-validate only

Data:
* ``../shared/data/politeness/en_train.csv`` (relative to the repo; override with ``--data``): Wikipedia requests
  with human politeness scores from the Stanford Politeness Corpus (Danescu-Niculescu-Mizil et al., ACL 2013) as
  re-split by TyDiP; CC BY 4.0. It is read from there and never copied into the repository.
* ``tests/data/tone_domain.csv``: the project's own labelled lines for the two rehearsal conversations.
  ``tests/data/tone_domain_holdout.csv`` is never read here (it is only for reporting).

Model: a ridge regression on the z-scored human politeness score over the features of
``nextround.tone.model.featurize`` (word uni/bigrams scaled by 1/sqrt(length), cue rules, lexicon sentiment), with
the domain lines added as extra rows (targets +/-1.2 z, 0 for neutral). The export keeps n-grams seen at least
``--min-df`` times. After fitting, a fixed ``scale`` (``--scale``, default 3) maps the regression output (z units) to
a logit, and the domain stance weights of ``rules.py`` are multiplied by one factor per
category fitted on the domain lines (clipped to 0.7..1.5, so the hand-set priors stay in charge).

Cross-validation: 5 folds over the Wikipedia rows (fixed seed); per fold the whole pipeline is refitted, and the
held-out fold is scored with ROC-AUC on its top/bottom-quarter rows (as in the binary file), accuracy at 50 on
the same rows, and Spearman against the human score on all rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402
from scipy.stats import spearmanr  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression, Ridge  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import KFold  # noqa: E402

from nextround.tone import features, model  # noqa: E402
from nextround.tone.rules import RULES, STANCE_WEIGHTS  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "politeness"
DOMAIN = ROOT / "tests" / "data" / "tone_domain.csv"
OUT = ROOT / "src" / "nextround" / "data" / "tone_weights.json"
DOMAIN_TARGET = {"collaborative": 1.2, "neutral": 0.0, "adversarial": -1.2}
STANCE_KEYS = [r.key for r in RULES if r.polarity != 0]
STANCE_COLS = ["c:" + k for k in STANCE_KEYS]
FIT_STANCE = True
DEFAULTS = {"alpha": 3.0, "min_df": 2, "domain_weight": 2.0, "scale": 3.0, "sentiment": 2.0}


def read_wiki(data_dir: Path) -> tuple[list[str], np.ndarray]:
    with open(data_dir / "en_train.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["sentence"] for r in rows], np.array([float(r["score"]) for r in rows])


def read_domain(path: Path) -> tuple[list[str], list[str]]:
    if not path.exists():
        return [], []
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def analyse_all(texts):
    out = []
    for t in texts:
        toks, cues = features.analyse(t)
        out.append((toks, [c[0] for c in cues]))
    return out


def feats_of(analysed):
    return [model.featurize(t, k) for t, k in analysed]


def fit(wiki_a, wiki_y, dom_a, dom_labels, *, alpha: float, min_df: int, domain_weight: float,
        scale: float = 3.0, sentiment: float = 1.0) -> dict:
    """Fit the whole pipeline; returns the weights dict written to JSON."""
    df = Counter()
    for toks, _ in wiki_a + dom_a:
        df.update({g for g in model.ngrams(toks)})
    keep = {g for g, n in df.items() if n >= min_df}

    def filt(fs):
        return {k: v for k, v in fs.items() if not k.startswith("g:") or k[2:] in keep}

    X_dicts = [filt(f) for f in feats_of(wiki_a)] + [filt(f) for f in feats_of(dom_a)]
    # the stance cues carry their hand-set (domain-fitted) weights only: a learned correction per stance cue would
    # be fitted mostly on Wikipedia requests, where these cues are rare, and it undid them on other text
    for d in X_dicts:
        for key in STANCE_COLS:
            d.pop(key, None)
    y = np.concatenate([wiki_y, np.array([DOMAIN_TARGET[l] for l in dom_labels])])
    # the hand-set stance weights are an offset: the ridge learns the rest (including corrections per cue)
    prior = model._prepare({"stance": {}})
    offset = np.array([model.stance_logit(k, prior) for _, k in wiki_a + dom_a]) / scale
    # a fixed share of lexicon sentiment (logit units per unit of compound) is also an offset, so that the
    # score follows sentiment outside Wikipedia requests as well; the ridge fits the remainder
    cmp_ = np.array([d.get("x:cmp", 0.0) for d in X_dicts])
    offset = offset + sentiment * cmp_ / scale
    y = y - offset
    for d in X_dicts:  # the sentiment weight is fixed, not learned
        d.pop("x:cmp", None)
    w = np.concatenate([np.ones(len(wiki_a)), np.full(len(dom_a), domain_weight)])
    vec = DictVectorizer()
    X = vec.fit_transform(X_dicts)
    reg = Ridge(alpha=alpha)
    reg.fit(X, y, sample_weight=w)
    names = vec.get_feature_names_out()
    weights = {n: round(float(c), 5) for n, c in zip(names, reg.coef_) if abs(c) >= 1e-4}
    weights["x:cmp"] = round(weights.get("x:cmp", 0.0) + sentiment / scale, 5)
    data = {"bias": float(reg.intercept_), "scale": 1.0, "weights": weights, "stance": {}}
    # scale: regression output (z units) -> logit; a fixed documented constant keeps scores spread over 0..100
    data["scale"] = scale
    # stance factors: one multiplier per domain category, fitted on the domain lines, clipped to 0.7..1.5
    if dom_a and FIT_STANCE:
        data["stance"] = fit_stance(data, dom_a, dom_labels)
    return data


def fit_stance(data: dict, dom_a, dom_labels) -> dict:
    model.set_weights({**data, "stance": {}})
    W = model.load_weights()
    base = np.array([W["scale"] * model.model_logit(t, k, W) for t, k in dom_a])
    target = np.array([{"collaborative": 1.5, "neutral": 0.0, "adversarial": -1.5}[l] for l in dom_labels])
    cols = []
    for key in STANCE_KEYS:
        cols.append([STANCE_WEIGHTS[key] * (1.0 if key in k else 0.0) for _, k in dom_a])
    A = np.array(cols).T
    # ridge towards factor 1: minimise |base + A f - target|^2 + lam |f - 1|^2
    lam = 8.0
    r = target - base - A.sum(axis=1)
    AtA = A.T @ A + lam * np.eye(len(STANCE_KEYS))
    d = np.linalg.solve(AtA, A.T @ r)
    factors = np.clip(1.0 + d, 0.7, 1.5)
    return {k: round(float(STANCE_WEIGHTS[k] * f), 4) for k, f in zip(STANCE_KEYS, factors)}


def evaluate(data: dict, analysed, y) -> dict:
    model.set_weights(data)
    pred = np.array([model.logit(t, k) for t, k in analysed])
    q1, q3 = np.quantile(y, [0.25, 0.75])
    ext = (y <= q1) | (y >= q3)
    yb = (y[ext] > 0).astype(int)
    return {
        "auc": float(roc_auc_score(yb, pred[ext])),
        "acc50": float(((pred[ext] > 0).astype(int) == yb).mean()),
        "spearman": float(spearmanr(pred, y).correlation),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--alpha", type=float, default=DEFAULTS["alpha"])
    ap.add_argument("--min-df", type=int, default=DEFAULTS["min_df"])
    ap.add_argument("--domain-weight", type=float, default=DEFAULTS["domain_weight"])
    ap.add_argument("--scale", type=float, default=DEFAULTS["scale"])
    ap.add_argument("--sentiment", type=float, default=DEFAULTS["sentiment"],
                    help="fixed logit weight of the lexicon sentiment (compound), on top of what the ridge learns")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--grid", action="store_true", help="also try a small grid of alpha values")
    args = ap.parse_args(argv)

    if not (args.data / "en_train.csv").exists():
        print(f"training data not found under {args.data}", file=sys.stderr)
        return 1
    texts, y = read_wiki(args.data)
    dom_t, dom_l = read_domain(DOMAIN)
    wiki_a = analyse_all(texts)
    dom_a = analyse_all(dom_t)
    print(f"wikipedia rows: {len(texts)}  domain rows: {len(dom_t)}")

    alphas = [1.0, 3.0, 10.0] if args.grid else [args.alpha]
    kf = KFold(n_splits=args.folds, shuffle=True, random_state=13)
    best = None
    for alpha in alphas:
        res = []
        for tr, te in kf.split(texts):
            data = fit([wiki_a[i] for i in tr], y[tr], dom_a, dom_l, alpha=alpha, min_df=args.min_df,
                       domain_weight=args.domain_weight, scale=args.scale, sentiment=args.sentiment)
            res.append(evaluate(data, [wiki_a[i] for i in te], y[te]))
        mean = {k: float(np.mean([r[k] for r in res])) for k in res[0]}
        sd = {k: float(np.std([r[k] for r in res])) for k in res[0]}
        print(f"alpha={alpha:<5} CV ({args.folds} folds): ROC-AUC {mean['auc']:.3f} ±{sd['auc']:.3f}  "
              f"acc@50 {mean['acc50']:.3f}  Spearman {mean['spearman']:.3f}")
        if best is None or mean["auc"] > best[1]["auc"]:
            best = (alpha, mean)
    alpha = best[0]
    data = fit(wiki_a, y, dom_a, dom_l, alpha=alpha, min_df=args.min_df, domain_weight=args.domain_weight,
               scale=args.scale, sentiment=args.sentiment)
    data["meta"] = {
        "trained_on": "Stanford Politeness Corpus, Wikipedia requests (TyDiP en train split), CC BY 4.0; "
        "nextround domain lines (tests/data/tone_domain.csv)",
        "alpha": alpha,
        "min_df": args.min_df,
        "domain_weight": args.domain_weight,
        "scale": args.scale,
        "sentiment": args.sentiment,
        "cv": {k: round(v, 4) for k, v in best[1].items()},
        "features": len(data["weights"]),
    }
    if dom_a:
        model.set_weights(data)
        sc = [model.to_score(model.logit(t, k)) for t, k in dom_a]
        for lab in ("collaborative", "neutral", "adversarial"):
            v = [s for s, l in zip(sc, dom_l) if l == lab]
            if v:
                print(f"domain (train) {lab:<13} n={len(v):<4} mean score {sum(v) / len(v):.1f}")
    print(f"features kept: {len(data['weights'])}  scale {data['scale']:.3f}  bias {data['bias']:.3f}")
    index, unreachable = features.build_index()
    if unreachable:
        print(f"warning: {len(unreachable)} patterns have no literal first word and are never tried: {unreachable}")
    # the cue dispatch index ships with the weights, so the runtime does not parse every pattern at start-up
    data["index"] = {"digest": features.rules_digest(), "keys": index}
    if not args.dry_run:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

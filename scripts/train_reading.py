#!/usr/bin/env python3
"""Train the reader's learned parts and write their weights into the package.

Needs training extras that are NOT runtime dependencies of nextround::

    pip install scikit-learn scipy
    python scripts/train_reading.py politeness   # lexical politeness model -> src/nextround/data/politeness.json
    python scripts/train_reading.py stance       # stance classifier on sentence embeddings -> data/stance.npz
    python scripts/train_reading.py tune         # combination weights and topic thresholds -> data/reading.json
    python scripts/train_reading.py all

Data (never the frozen test sets under tests/data/frozen/, which only `benchmarks/reading.py` reads):

* ``../shared/data/politeness/en_train.csv``: Wikipedia requests with human politeness scores (Stanford Politeness
  Corpus, Danescu-Niculescu-Mizil et al., ACL 2013, as re-split by TyDiP; CC BY 4.0). Read from there, never
  copied. A fixed fifth (chosen by a hash of the text) is held out for development figures; the model is fitted on
  the other four fifths.
* ``tests/data/stance_train*.csv`` (fit) and ``tests/data/stance_dev.csv`` (choices) for the stance classifier;
  ``tests/data/topics_dev.csv`` for the topic thresholds; the old ``tests/data/tone_domain.csv`` as extra
  tone-labelled training lines.
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
WIKI = ROOT.parent / "shared" / "data" / "politeness" / "en_train.csv"


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


# --- stance ---------------------------------------------------------------------------------------------------


def encode(texts: list[str]) -> np.ndarray:
    from nextround.reading.encoder import get_encoder

    return get_encoder().encode(texts)


def stance_rows(name: str) -> list[dict]:
    return read_csv(TESTS / name)


def stance_features(texts: list[str], vectorizer, scale: float):
    from scipy.sparse import csr_matrix, hstack

    return hstack([csr_matrix(encode(texts)), vectorizer.transform(texts) * scale]).tocsr()


def train_stance(args):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, roc_auc_score

    from nextround.reading.stance import model_from_arrays, word_grams
    from nextround.reading.stances import ADVERSARIAL_STANCES, STANCE_IDS

    train = [row for name in args.stance_train for row in stance_rows(name)]
    dev = stance_rows("stance_dev.csv")
    # Plain and polite Wikipedia requests as "neutral": they teach the classifier that a request outside this
    # domain carries no stance, so its lean stays near zero there instead of drifting adversarial.
    fit_rows, _ = wiki_split()
    median = float(np.median([float(r["score"]) for r in fit_rows]))
    polite = [r["sentence"] for r in fit_rows if float(r["score"]) >= median]
    rng = np.random.default_rng(17)
    extra = [polite[i] for i in sorted(rng.choice(len(polite), size=min(args.wiki_neutral, len(polite)),
                                                      replace=False))]
    texts = [r["text"] for r in train] + extra
    ytr = [r["stance"] for r in train] + ["neutral"] * len(extra)
    ydev = [r["stance"] for r in dev]
    unknown = sorted(set(ytr + ydev) - set(STANCE_IDS))
    if unknown:
        raise SystemExit(f"unknown stance ids in the data: {unknown}")
    longest = args.longest_gram
    vectorizer = TfidfVectorizer(analyzer=lambda t: word_grams(t, longest), min_df=2, sublinear_tf=True)
    vectorizer.fit(texts)
    Xtr = stance_features(texts, vectorizer, args.gram_scale)
    Xdev = stance_features([r["text"] for r in dev], vectorizer, args.gram_scale)
    adv = np.array([y in ADVERSARIAL_STANCES for y in ydev])
    best = None
    for C in args.stance_c:
        weight = None if args.class_weight == "none" else args.class_weight
        clf = LogisticRegression(C=C, max_iter=5000, class_weight=weight).fit(Xtr, ytr)
        pred = clf.predict(Xdev)
        probs = clf.predict_proba(Xdev)
        classes = list(clf.classes_)
        adv_mass = probs[:, [classes.index(c) for c in classes if c in ADVERSARIAL_STANCES]].sum(axis=1)
        auc = float(roc_auc_score(~adv, -adv_mass))
        f1 = float(f1_score(ydev, pred, average="macro"))
        acc = float(np.mean(pred == np.array(ydev)))
        print(f"  C {C:<5} dev accuracy {acc:.3f}  macro-F1 {f1:.3f}  adversarial-vs-not ROC-AUC {auc:.3f}")
        if best is None or f1 + auc > best[0]:
            best = (f1 + auc, C, clf)
    _, C, clf = best
    # Fitted on the training lines only: the development lines stay unseen for choosing the tone weights.
    dims = 384
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    print(f"stance: C {C}, fitted on {len(ytr) - len(extra)} training lines and {len(extra)} neutral requests; "
          f"{len(vocabulary)} word grams")
    if not args.dry_run:
        out = DATA / "stance.npz"
        coef = clf.coef_.astype(np.float32)
        with open(out, "wb") as handle:
            np.savez_compressed(
                handle, classes=np.array(clf.classes_, dtype="U16"), weights=coef[:, :dims],
                bias=clf.intercept_.astype(np.float32), vocabulary=np.array(vocabulary),
                idf=vectorizer.idf_.astype(np.float32), gram_weights=coef[:, dims:] * args.gram_scale,
                longest_gram=np.array(longest))
        check = model_from_arrays(clf.classes_, coef[:, :dims], clf.intercept_, vocabulary, vectorizer.idf_,
                                  coef[:, dims:] * args.gram_scale, longest)
        sample = [r["text"] for r in dev[:50]]
        ours = check.probabilities(encode(sample), sample)
        theirs = clf.predict_proba(stance_features(sample, vectorizer, args.gram_scale))
        print(f"wrote {out} ({out.stat().st_size // 1024} KB); runtime matches training within "
              f"{float(np.abs(ours - theirs).max()):.1e}")


# --- combination and thresholds ----------------------------------------------------------------------------------

def line_features(texts: list[str], scorer) -> dict[str, np.ndarray]:
    """Per line: stance lean of the line and of its most adversarial clause, politeness logit, insulting words."""
    from nextround.reading import cues, politeness

    parts = scorer.parts_many(texts)
    model = scorer.model
    return {
        "line": np.array([float(model.lean(p.line_probs[None, :])[0]) for p in parts]),
        "worst": np.array([float(model.lean(p.clause_probs).min()) for p in parts]),
        "polite": np.array([politeness.logit(t) for t in texts]),
        "adversarial": np.array([float(model.adversarial_mass(p.line_probs[None, :])[0]) for p in parts]),
        "collaborative": np.array([float(p.line_probs[model.collaborative].sum()) for p in parts]),
        "insult": np.array([len(cues.insult_spans(t)) for t in texts], dtype=float),
        "parts": parts,
    }


def combined_lean(f: dict, clause: float) -> np.ndarray:
    return np.where(f["worst"] < f["line"], f["line"] + clause * (f["worst"] - f["line"]), f["line"])


def tune(args):
    from scipy.stats import spearmanr
    from sklearn.metrics import roc_auc_score

    from nextround.reading.reader import ToneParams, ToneScorer

    scorer = ToneScorer()
    dev = stance_rows("stance_dev.csv") + read_csv(TESTS / "tone_domain.csv")
    dev_texts = [r["text"] for r in dev]
    dev_tone = [r.get("tone") or r.get("label") for r in dev]
    _, held_rows = wiki_split()
    print(f"choosing on {len(dev)} domain development lines; the Wikipedia held-out fifth keeps a floor")
    fd = line_features(dev_texts, scorer)
    held = [r["sentence"] for r in held_rows]
    fh = line_features(held, scorer)
    held_y = np.array([float(r["score"]) for r in held_rows])
    proxies = {name: read_csv(TESTS / f"tone_proxy_{name}.csv") for name in ("requests", "receptive", "email")}
    fp = {name: line_features([r["text"] for r in rows], scorer) for name, rows in proxies.items()}

    def score(f, a, b, c, clause, d=0.0, e=0.0, g=0.0):
        polite = np.where(f["polite"] < 0, f["polite"] * (1.0 - e * f["collaborative"]),
                          f["polite"] * (1.0 - d * f["adversarial"]))
        neither = 1.0 - f["adversarial"] - f["collaborative"]
        z = (a * combined_lean(f, clause) + b * polite) * (1.0 - g * neither) + c
        score = 100.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        return np.where(f["insult"] > 0, np.minimum(score, 40.0), score)  # as the reader caps an insult

    polar = np.array([t != "neutral" for t in dev_tone])
    tones = np.array(dev_tone)
    best = None
    import itertools

    for clause, d, e, g, a, b, c in itertools.product(args.clause_grid, args.discount_grid, args.blunt_grid,
                                                      args.damp_grid, args.lean_grid, args.polite_grid,
                                                      args.bias_grid):
        sd = score(fd, a, b, c, clause, d, e, g)
        collab = float(np.mean(sd[tones == "collaborative"] >= 59.5))
        adv = float(np.mean(sd[tones == "adversarial"] <= 40.5))
        neutral = float(np.mean((sd[tones == "neutral"] > 40.5) & (sd[tones == "neutral"] < 59.5)))
        # Mostly: collaborative lines read as collaborative and adversarial ones as adversarial; a little: plain
        # lines stay in the middle band, so scores do not just grow more extreme.
        w = args.neutral_weight
        acc = (1 - w) / 2 * collab + (1 - w) / 2 * adv + w * neutral
        if best is not None and acc <= best[0]:
            continue
        wiki_auc = extremes_auc(score(fh, a, b, c, clause, d, e, g), held_y)
        if wiki_auc < args.min_wiki_auc:
            continue
        best = (acc, dict(lean=a, politeness=b, bias=c, clause=clause, polite_discount=d,
                          blunt_discount=e, neutral_damp=g),
                dict(domain_dev_collaborative_at_60=round(collab, 4), domain_dev_adversarial_at_40=round(adv, 4),
                     domain_dev_neutral_41_to_59=round(neutral, 4), wiki_heldout_auc=round(wiki_auc, 4)))
    if best is not None:
        _, chosen, figures = best
        for name, rows in proxies.items():
            sp = score(fp[name], chosen["lean"], chosen["politeness"], chosen["bias"],
                       chosen["clause"], chosen["polite_discount"], chosen["blunt_discount"], chosen["neutral_damp"])
            ratings = np.array([float(r["rating"]) for r in rows])
            lo, hi = np.quantile(ratings, [0.34, 0.66])
            keep = (ratings <= lo) | (ratings >= hi)
            figures[f"proxy_{name}_auc"] = round(float(roc_auc_score(ratings[keep] >= hi, sp[keep])), 4)
            figures[f"proxy_{name}_spearman"] = round(float(spearmanr(sp, ratings).correlation), 4)
        best = (best[0], chosen, figures)
    if best is None:
        raise SystemExit("no setting kept the Wikipedia held-out AUC at the floor; lower --min-wiki-auc to see why")
    _, tone, figures = best
    tone_values = {**ToneParams().__dict__, **tone}
    print(f"chosen tone weights: {tone}")
    print(f"figures: {figures}")
    return tone_values, figures


def tune_topics(args) -> tuple[dict, dict]:
    """Choose the topic matcher's thresholds on tests/data/topics_dev.csv (built-in software scenarios)."""
    import itertools
    from dataclasses import replace

    from nextround.reading import cues
    from nextround.reading.clauses import clauses
    from nextround.reading.encoder import get_encoder
    from nextround.reading.topics import TopicIndex, TopicParams
    from nextround.scenario import load_builtin

    encoder = get_encoder()
    rows = read_csv(TESTS / "topics_dev.csv")
    prepared = []
    for name in sorted({r["scenario"] for r in rows}):
        index = TopicIndex(load_builtin(name), encoder)
        mine = [r for r in rows if r["scenario"] == name]
        texts = [index.prepare(r["text"]) for r in mine]
        vectors = encoder.encode(texts)
        for row, text, vector in zip(mine, texts, vectors):
            spans = clauses(row["text"])
            clause_units = None
            if len(spans) > 1:
                pieces = [row["text"][a:b] for a, b in spans]
                clause_units = list(zip(encoder.encode([index.prepare(c) for c in pieces]), pieces))
            prepared.append((index, row, vector, clause_units, cues.is_question(row["text"])))
    # A first, wide pass (top_k 1-3, cue bonus 0-0.06, accept 0.40-0.55, over_none 0-0.05, ambiguous 0.01-0.03,
    # near 0.30-0.40) settled on top_k 2 and over_none 0 and ran into the low ends of accept and the high end of the
    # cue bonus; this grid is centred on where that pass ended.
    grid = dict(top_k=[2], cue_bonus=[0.04, 0.06, 0.08, 0.10], accept=[0.35, 0.375, 0.40, 0.425],
                over_none=[0.0, 0.02], ambiguous=[0.0, 0.01, 0.02, 0.04], near=[0.35, 0.40, 0.45])
    best = None
    table = []
    for values in itertools.product(*grid.values()):
        params = replace(TopicParams(), **dict(zip(grid.keys(), values)))
        picked = named = asks = none_ok = nones = 0
        for index, row, vector, clause_units, question in prepared:
            index.params = params
            match = index.match(vector, row["text"], clause_units, question=question)
            labels = set(row["insight"].split("|"))
            if labels == {"none"}:
                nones += 1
                none_ok += not match.topics and not match.candidates
                continue
            asks += 1
            if match.topics and match.topics[0] in labels:
                picked += 1
            elif labels & set(match.candidates):
                named += 1
        # What matters is that a sincere ask gets its topic (or a question naming it) and a polite nothing
        # opens nothing; a direct answer is worth a little more than a clarifying question.
        goal = (picked + named) / asks + 0.25 * picked / asks + none_ok / nones
        table.append((goal, values, picked / asks, (picked + named) / asks, none_ok / nones))
        if best is None or goal > best[0]:
            best = (goal, dict(zip(grid.keys(), values)),
                    dict(topics_dev_picked=round(picked / asks, 4), topics_dev_picked_or_named=round((picked + named) / asks, 4),
                         topics_dev_none_left_alone=round(none_ok / nones, 4)))
    for goal, values, p1, p2, n1 in sorted(table, reverse=True)[:args.show_top]:
        print(f"  {goal:.3f} {dict(zip(grid.keys(), values))} picked {p1:.3f} picked-or-named {p2:.3f} none {n1:.3f}")
    # The best settings form a flat region (accept 0.35-0.40 and any cue bonus within one development line of
    # each other). We take its conservative end. The "ambiguous" margin is a choice about behaviour more than a
    # fitted value: with two topics within 0.04 of each other the counterpart asks which was meant. On the
    # development asks that names the right topic (answered or asked about) for 94% instead of 93%, at the price
    # of a clarifying question for about one ask in nine (0.01: one in twenty) -- a real counterpart asks when
    # unsure, and a clarifying question costs no candor.
    chosen = dict(top_k=2, cue_bonus=0.04, accept=0.40, over_none=0.02, ambiguous=0.04, near=0.45)
    row = next(t for t in table if dict(zip(grid.keys(), t[1])) == chosen)
    figures = dict(topics_dev_picked=round(row[2], 4), topics_dev_picked_or_named=round(row[3], 4),
                   topics_dev_none_left_alone=round(row[4], 4))
    print(f"chosen topic thresholds: {chosen} (best in the grid: {best[1]})")
    print(f"figures: {figures}")
    return {**TopicParams().__dict__, **chosen}, figures


def write_reading_json(tone: dict | None = None, topics: dict | None = None, figures: dict | None = None) -> None:
    path = DATA / "reading.json"
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if tone is not None:
        current["tone"] = tone
    if topics is not None:
        current["topics"] = topics
    if figures:
        current.setdefault("development_figures", {}).update(figures)
    path.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {path}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("part", choices=["politeness", "stance", "tune", "topics", "all"])
    ap.add_argument("--dry-run", action="store_true", help="report figures, write nothing")
    ap.add_argument("--alphas", type=float, nargs="+", default=[1.0, 3.0, 10.0])
    ap.add_argument("--min-df", type=int, default=2)
    ap.add_argument("--scale", type=float, default=3.0, help="z units of the human scale -> logit")
    ap.add_argument("--stance-c", type=float, nargs="+", default=[8.0, 16.0, 32.0])
    ap.add_argument("--stance-train", nargs="+",
                    default=["stance_train.csv", "stance_train_contrasts.csv", "stance_train_sarcasm.csv",
                             "stance_train_contest.csv"],
                    help="training files under tests/data/")
    ap.add_argument("--class-weight", choices=["balanced", "none"], default="balanced",
                    help="weigh classes by the inverse of their frequency in the training lines")
    ap.add_argument("--longest-gram", type=int, default=3, help="word grams up to this many words")
    ap.add_argument("--gram-scale", type=float, default=1.0, help="weight of the TF-IDF block beside the embedding")
    ap.add_argument("--wiki-neutral", type=int, default=400,
                    help="polite Wikipedia requests added to the stance training as 'neutral'")
    ap.add_argument("--clause-grid", type=float, nargs="+", default=[0.0, 0.3])
    # 0, 0.5 and 1 tie on the development lines (within a point); 1 did best on the development practice scripts
    # (tests/data/scripts_dev, benchmarks/reading.py --only scripts), so it is the default.
    ap.add_argument("--discount-grid", type=float, nargs="+", default=[1.0])
    ap.add_argument("--blunt-grid", type=float, nargs="+", default=[0.0, 0.5, 1.0])
    ap.add_argument("--damp-grid", type=float, nargs="+", default=[0.0, 0.5, 0.8])
    ap.add_argument("--neutral-weight", type=float, default=0.1,
                    help="share of the objective for plain lines staying in the middle band")
    ap.add_argument("--lean-grid", type=float, nargs="+", default=[1.4, 1.7, 2.0, 2.3, 2.6, 3.0, 3.5, 4.0])
    ap.add_argument("--polite-grid", type=float, nargs="+", default=[0.8, 1.0, 1.2, 1.4, 1.7, 2.0, 2.4, 2.8])
    ap.add_argument("--bias-grid", type=float, nargs="+", default=[-1.0, -0.8, -0.6, -0.4, -0.2, 0.0, 0.2, 0.4])
    ap.add_argument("--show-top", type=int, default=8, help="topic settings to list, best first")
    # The bar for human-rated Wikipedia requests is 0.92; the floor keeps a margin on our held-out fifth.
    ap.add_argument("--min-wiki-auc", type=float, default=0.928)
    args = ap.parse_args(argv)
    if not WIKI.exists():
        print(f"training data not found: {WIKI}", file=sys.stderr)
        return 1
    if args.part in ("politeness", "all"):
        train_politeness(args)
    if args.part in ("stance", "all"):
        train_stance(args)
    if args.part in ("tune", "all"):
        tone, figures = tune(args)
        if not args.dry_run:
            write_reading_json(tone=tone, figures=figures)
    if args.part in ("topics", "all"):
        topics, figures = tune_topics(args)
        if not args.dry_run:
            write_reading_json(topics=topics, figures=figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

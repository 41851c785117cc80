"""Stance by meaning: a classifier on the sentence embedding of a line (and of each of its clauses), helped by the
line's words.

The classifier is a multinomial logistic regression over two kinds of features: the 384 dimensions of the
encoder's embedding (what the line is about and how it is put), and TF-IDF weights of its words and word pairs
(sentence embeddings are weak at polarity: "the decision was a mistake" sits close to "I accept the decision"). It
is trained on the project's own labelled lines in many voices (``tests/data/stance_train*.csv``) by
``scripts/train_reading.py`` and ships as ``nextround/data/stance.npz``. It gives a probability for each stance of
``stances.py``; the adversarial and collaborative masses drive the tone score (with lexical politeness), and the
clause that carries an adversarial stance is what a flag points at.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Sequence

import numpy as np

from nextround.reading.politeness import TOKEN, prepare
from nextround.reading.stances import ADVERSARIAL_STANCES, COLLABORATIVE_STANCES

EPS = 0.02  # keeps the log-odds finite and damps near-certain classifier outputs


_NEGATIONS = frozenset("""not no never nobody nothing none neither nor cannot can't don't doesn't didn't isn't wasn't
aren't weren't won't wouldn't couldn't shouldn't haven't hasn't hadn't dont doesnt didnt isnt wasnt cant""".split())
_SCOPE_ENDS = frozenset(".!?,;:") | {"but", "though", "although", "yet"}


def word_grams(text: str, longest: int) -> list[str]:
    """Words and word runs up to LONGEST words, as the training vectoriser builds them; plus each word inside the
    scope of a negation, marked ("I don't believe the panel made the right call" also yields "~right", "~call"),
    so "not the right call" does not read like "the right call"."""
    raw = TOKEN.findall(prepare(text))
    # "?" stays a token (a question reads differently from a statement of the same words); "." and "!" do not.
    toks = [t for t in raw if t not in ".!"]
    out = list(toks)
    for n in range(2, longest + 1):
        out += [" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1)]
    negated = False
    for tok in raw:
        if tok in _SCOPE_ENDS:
            negated = False
        elif tok in _NEGATIONS or tok.endswith("n't"):
            negated = True
        elif negated:
            out.append("~" + tok)
    return out


@dataclass(frozen=True)
class StanceModel:
    classes: tuple[str, ...]
    weights: np.ndarray  # (classes, dims): embedding weights
    bias: np.ndarray  # (classes,)
    adversarial: np.ndarray  # boolean mask over classes
    collaborative: np.ndarray
    vocabulary: dict[str, int] = field(default_factory=dict)  # word gram -> column
    idf: np.ndarray | None = None  # (grams,)
    gram_weights: np.ndarray | None = None  # (classes, grams)
    longest_gram: int = 2

    def _gram_logits(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(self.classes)), dtype=np.float32)
        if not self.vocabulary or self.gram_weights is None or self.idf is None:
            return out
        for row, text in enumerate(texts):
            counts: dict[int, int] = {}
            for gram in word_grams(text, self.longest_gram):
                column = self.vocabulary.get(gram)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            if not counts:
                continue
            columns = np.fromiter(counts, dtype=np.int64)
            # sublinear term frequency, times idf, then unit length: as the training vectoriser does
            values = np.array([1.0 + math.log(counts[c]) for c in columns], dtype=np.float32) * self.idf[columns]
            values /= float(np.linalg.norm(values)) or 1.0
            out[row] = self.gram_weights[:, columns] @ values
        return out

    def probabilities(self, vectors: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        logits = vectors @ self.weights.T + self.bias
        if texts is not None:
            logits = logits + self._gram_logits(texts)
        logits -= logits.max(axis=1, keepdims=True)
        expd = np.exp(logits)
        return expd / expd.sum(axis=1, keepdims=True)

    def lean(self, probs: np.ndarray) -> np.ndarray:
        """Log-odds of collaborative over adversarial stance, per row: > 0 leans collaborative. The mass on
        stances that are neither counts half to each side, so a mostly neutral line leans little either way."""
        adv = probs[:, self.adversarial].sum(axis=1)
        col = probs[:, self.collaborative].sum(axis=1)
        half_neither = (1.0 - adv - col) / 2.0
        return np.log((col + half_neither + EPS) / (adv + half_neither + EPS))

    def adversarial_mass(self, probs: np.ndarray) -> np.ndarray:
        return probs[:, self.adversarial].sum(axis=1)


def model_from_arrays(classes, weights, bias, vocabulary: Sequence[str] = (), idf=None, gram_weights=None,
                      longest_gram: int = 2) -> StanceModel:
    classes = tuple(str(c) for c in classes)
    return StanceModel(
        classes=classes,
        weights=np.asarray(weights, dtype=np.float32),
        bias=np.asarray(bias, dtype=np.float32),
        adversarial=np.array([c in ADVERSARIAL_STANCES for c in classes]),
        collaborative=np.array([c in COLLABORATIVE_STANCES for c in classes]),
        vocabulary={str(g): n for n, g in enumerate(vocabulary)},
        idf=None if idf is None else np.asarray(idf, dtype=np.float32),
        gram_weights=None if gram_weights is None else np.asarray(gram_weights, dtype=np.float32),
        longest_gram=int(longest_gram),
    )


@lru_cache(maxsize=1)
def load_model() -> StanceModel:
    with resources.files("nextround").joinpath("data/stance.npz").open("rb") as handle:
        data = np.load(handle, allow_pickle=False)
        grams = "vocabulary" in data.files
        return model_from_arrays(
            data["classes"], data["weights"], data["bias"],
            vocabulary=data["vocabulary"] if grams else (), idf=data["idf"] if grams else None,
            gram_weights=data["gram_weights"] if grams else None,
            longest_gram=int(data["longest_gram"]) if grams else 2,
        )

"""Local tone scorer: 0-100 (higher = more collaborative), a label, explained flags and a rewrite.

Public API (other modules depend on exactly this)::

    score_text(text) -> ToneResult
    score_many(texts) -> list[ToneResult]
    Flag(phrase, start, end, category, why, better), ToneResult(score, label, flags, rewrite)

Labels: ``score >= COLLABORATIVE_AT`` (60) is "collaborative", ``score <= ADVERSARIAL_AT`` (40) is
"adversarial", anything between is "neutral". Empty or whitespace-only text scores 50 ("neutral", no flags).
Only the first ``MAX_CHARS`` (4,000) characters of a line are scored, so a 200 KB paste stays cheap.

Import is cheap: the cue patterns are compiled and the weights read on the first call. Runtime is stdlib only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

__all__ = [
    "ADVERSARIAL_AT",
    "COLLABORATIVE_AT",
    "MAX_CHARS",
    "NEUTRAL_SCORE",
    "REWRITE_BELOW",
    "Flag",
    "ToneResult",
    "label_for",
    "score_many",
    "score_text",
]

from nextround.reading.types import (  # one definition of the bands and the result types
    ADVERSARIAL_AT,
    COLLABORATIVE_AT,
    NEUTRAL_SCORE,
    REWRITE_BELOW,
    Flag,
    ToneResult,
    label_for,
)

MAX_CHARS = 4000


_NEUTRAL = ToneResult(NEUTRAL_SCORE, "neutral", (), None)
_engine = None


def _load():
    global _engine
    if _engine is None:
        from . import features, flags, model, rules

        features.prepare(model.load_weights()["index"])
        _engine = (features.scan, model.logit, model.to_score, rules.RULE_BY_KEY, rules.FLAGGED, flags)
    return _engine


def score_text(text: str, *, in_conversation: bool = False) -> ToneResult:
    """Score one utterance.

    With ``in_conversation=True`` (a rehearsal turn) a single plain question that carries no flagged phrase
    scores at least ``QUESTION_FLOOR``: the counterpart hears a sincere question, even where the Wikipedia-trained
    model reads a bare *what/how* as blunt. ``nextround score`` reports the unadjusted score.
    """
    if text is None or not isinstance(text, str):
        text = "" if text is None else str(text)
    if not text.strip():
        return _NEUTRAL
    scan, logit, to_score, rule_by_key, flagged, flagmod = _engine if _engine is not None else _load()
    tokens, pairs, cues, parts = scan(text)
    keys = [c[0] for c in cues]
    score = to_score(logit(tokens, keys, pairs))
    found: list[Flag] = []
    for key, start, end in cues:
        if key in flagged:
            rule = rule_by_key[key]
            found.append(Flag(text[start:end], start, end, rule.category, rule.why,
                              flagmod.better_for(key, text, start, end)))
    if in_conversation and not found and score < QUESTION_FLOOR and _is_sincere_self_question(text):
        # A plain question about oneself, with no adversarial cue, is asking, not attacking: at worst neutral.
        score = QUESTION_FLOOR
    if not found and score < REWRITE_BELOW:
        found.append(_model_flag(text, tokens, pairs, parts))
    flags_t = tuple(f for f in found if f is not None)
    rewrite = None
    if flags_t and score < REWRITE_BELOW:
        if flags_t[0].category == MODEL_CATEGORY:
            rewrite = MODEL_REWRITE
        else:
            rewrite = flagmod.rewrite(text[:MAX_CHARS], flags_t)
    return ToneResult(score, label_for(score), flags_t, rewrite)


#: In a conversation, a sincere question about oneself with no flagged phrase never scores below this.
QUESTION_FLOOR = 50
_TERMINATORS = frozenset(".!?")


_SELF = None
_RHETORICAL = None


def _is_sincere_self_question(text: str) -> bool:
    """One plain question about the speaker ("What did I do wrong in the interview?"), with none of the markers
    of a rhetorical one ("even", "supposed to", "the point", "bother", "don't you"...)."""
    global _SELF, _RHETORICAL
    body = text.strip()
    if not body.endswith("?") or len(body) > 300:
        return False
    if any(ch in _TERMINATORS for ch in body.rstrip("?")):
        return False
    if _SELF is None:
        import re

        _SELF = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself)\b", re.IGNORECASE)
        _RHETORICAL = re.compile(
            r"\b(?:even|ever|supposed|point|bother|seriously|anyway|exactly|actually|really|just|honestly|again"
            r"|how dare|(?:can't|don't|didn't|won't|wouldn't|couldn't|aren't|isn't) you|you not)\b|^\s*(?:so|but)\b",
            re.IGNORECASE,
        )
    return bool(_SELF.search(body)) and not _RHETORICAL.search(body)


_MODEL_WHY = ("The scorer learned that this wording reads as confrontational; the rest of the line is heard "
              "through it.")
_MODEL_BETTER = "Say what you want to learn instead, e.g. 'What would help me be a stronger candidate next time?'"
MODEL_CATEGORY = "combative wording"
#: rewrite offered when only the learned model (no rule) flagged the line
MODEL_REWRITE = "What would help me be a stronger candidate next time?"


def _model_flag(text: str, tokens: list[str], pairs: list[str], parts: list[str]) -> Flag | None:
    from . import features, model

    worst = model.worst_phrase(tokens, pairs)
    if worst is None:
        return None
    a, b = features.token_span(text, worst[0], worst[1], parts)
    return Flag(text[a:b], a, b, MODEL_CATEGORY, _MODEL_WHY, _MODEL_BETTER)


#: Batches at least this long are split over worker processes (Linux fork only; NEXTROUND_TONE_WORKERS=1 disables).
PARALLEL_MIN = 4000


def _pack(r: ToneResult) -> tuple:
    return (r.score, r.label, tuple((f.phrase, f.start, f.end, f.category, f.why, f.better) for f in r.flags),
            r.rewrite)


def _unpack(t: tuple) -> ToneResult:
    return ToneResult(t[0], t[1], tuple(Flag(*f) for f in t[2]) if t[2] else (), t[3])


def _score_chunk(texts: list[str]) -> list[tuple]:
    return [_pack(score_text(t)) for t in texts]


def _workers() -> int:
    import os
    import sys

    env = os.environ.get("NEXTROUND_TONE_WORKERS", "").strip()
    if env.isdigit():
        return max(1, int(env))
    if not sys.platform.startswith("linux"):
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover
        cores = os.cpu_count() or 1
    # Measured on 2 cores: two workers beat one even with the other core busy (19k vs 14k lines/s), so the
    # machine's load only matters when it is heavily oversubscribed.
    try:
        if os.getloadavg()[0] >= 2 * cores:
            return 1
    except (AttributeError, OSError):  # pragma: no cover
        pass
    return max(1, min(cores, 4))


def _score_parallel(texts: list[str], workers: int) -> list[ToneResult]:
    """Score chunks in forked worker processes. A worker that dies raises ``BrokenProcessPool`` (no hang), and
    a pool that does not finish within a generous time limit is abandoned; the caller then scores serially."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    ctx = mp.get_context("fork")
    size = max(500, len(texts) // (workers * 8))
    chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
    limit = 30.0 + len(texts) / 1000.0  # seconds; serial scoring runs at well over 10,000 lines/s
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
    try:
        packed = list(pool.map(_score_chunk, chunks, timeout=limit))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    out = [_unpack(t) for part in packed for t in part]
    if len(out) != len(texts):  # pragma: no cover - defensive
        raise RuntimeError("worker results do not line up with the input")
    return out


def score_many(texts: Iterable[str]) -> list[ToneResult]:
    """Score many utterances (same results as :func:`score_text`, without per-call set-up).

    Large batches are spread over the machine's cores (forked worker processes that inherit the compiled
    patterns and weights); results are identical and in input order.
    """
    _load()
    texts = [t if isinstance(t, str) else ("" if t is None else str(t)) for t in texts]
    if len(texts) >= PARALLEL_MIN:
        workers = _workers()
        if workers > 1:
            try:
                return _score_parallel(texts, workers)
            except Exception:  # noqa: BLE001 - no fork, no semaphores, a killed worker, a timeout...: go serial
                pass
    return [score_text(t) for t in texts]

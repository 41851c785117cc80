"""The local reader: one line in, a `Reading` out (tone, stances, flags, rewrite, topics), all on this machine.

Pipeline for a line:

1. split it into clauses and embed the line and its clauses (``encoder.py``: all-MiniLM-L6-v2 fine-tuned end to
   end on human-labelled data and the project's own lines, ``scripts/train_encoder.py``);
2. the learned heads on those vectors (``heads.py``): stance probabilities for the line and each clause, and how
   polite the line is (human ratings);
3. the tone score: the stance decides a line that takes one; politeness ranks the line within its stance and
   alone ranks the lines that take none::

       score = 100 * sigmoid(a * (collaborative - k * adversarial)
                             + (b0 * (1 - small_talk) + b1 * neutral) * polite + c)

   ``collaborative``, ``adversarial``, ``neutral`` and ``small_talk`` are the line's stance masses (they sum to
   1; small talk is not a request, so request politeness does not rank it), the
   adversarial one pulled towards the line's most adversarial clause, so one sharp clause is not averaged away by
   a polite one. In our two meetings nearly every line takes a stance, and the stance decides: contesting stays
   low however courteous the words ("With respect, I was the stronger candidate"), a blunt sincere ask stays high
   ("Be blunt: what held me back?"). A line that takes none (a plain statement; an everyday request from elsewhere,
   which the stance head learns to call neutral) is ranked by the human-rated politeness head. For a fixed stance
   the score only grows with politeness. Every number lives in ``data/reader.npz``;
4. flags on the clauses that carry an adversarial stance, each with why it lands badly and a better phrasing; a
   line below 50 gets a rewrite that keeps its collaborative clauses and replaces the rest with what the line was
   after, said without the grievance;
5. with a scenario: the topics the line asks about (``topics.py``). Only topic matching drops the counterpart's
   name; the tone always reads the line as typed, so ``nextround score`` and a rehearsal agree.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np

from nextround.reading import cues
from nextround.reading.clauses import clauses
from nextround.reading.heads import ReaderModel, load_reader, numbers
from nextround.reading.stances import ADVERSARIAL_STANCES, STANCE_BY_ID
from nextround.reading.types import (
    ADVERSARIAL_AT,
    COLLABORATIVE_AT,
    MAX_LINE_CHARS,
    NEUTRAL_SCORE,
    REWRITE_BELOW,
    Flag,
    Reading,
    ToneResult,
    label_for,
)
from nextround.scenario import Scenario


@dataclass(frozen=True)
class ToneParams:
    """How the heads combine into the tone score. No defaults: the numbers come from data/reader.npz (chosen on
    the development sets by ``scripts/train_encoder.py tune``)."""

    stance: float  # a: weight of the stance (collaborative minus adversarial mass)
    adversarial_weight: float  # k: how much more an adversarial mass counts than a collaborative one
    polite: float  # b0: weight of the politeness head (z units of the human ratings), times what is not small talk
    polite_neutral: float  # b1: extra politeness weight, times the line's neutral stance mass
    bias: float  # c
    clause: float  # how far the most adversarial clause pulls the line's adversarial mass towards itself
    flag_at: float  # a clause is flagged when its adversarial mass reaches this
    stance_at: float  # a stance is listed for the line when its probability reaches this


TONE_FIELDS = tuple(f.name for f in fields(ToneParams))


@lru_cache(maxsize=1)
def tone_params() -> ToneParams:
    return ToneParams(**numbers("tone", TONE_FIELDS))


def pulled_adversarial(line: np.ndarray, worst_clause: np.ndarray, pull: float) -> np.ndarray:
    """The line's adversarial mass, pulled towards its most adversarial clause (never away from it)."""
    return np.where(worst_clause > line, line + pull * (worst_clause - line), line)


def tone_scores(p: ToneParams, polite, adversarial, collaborative, line_adversarial=None, small_talk=None
                ) -> np.ndarray:
    """Tone scores (integers 0..100) from the heads' outputs, vectorised (see the module docstring). ADVERSARIAL is
    the pulled adversarial mass; the neutral mass is what the line's own masses leave (LINE_ADVERSARIAL, default
    ADVERSARIAL) once SMALL_TALK (the small-talk mass, default 0) is set aside: small talk is not a request, so
    request politeness does not rank it ("Coffee's terrible today." is not rude), neither through the neutral mass
    nor through the politeness weight every other line gets. The one definition of the combination: the reader and
    the training script's tuning call it."""
    polite = np.asarray(polite, dtype=float)
    adversarial = np.asarray(adversarial, dtype=float)
    collaborative = np.asarray(collaborative, dtype=float)
    own = adversarial if line_adversarial is None else np.asarray(line_adversarial, dtype=float)
    chat = 0.0 if small_talk is None else np.asarray(small_talk, dtype=float)
    neutral = np.clip(1.0 - own - collaborative - chat, 0.0, 1.0)
    z = p.stance * (collaborative - p.adversarial_weight * adversarial) \
        + (p.polite * (1.0 - chat) + p.polite_neutral * neutral) * polite + p.bias
    return np.round(100.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))).astype(int)


@dataclass(frozen=True)
class _Parts:
    """What the encoder and the heads said about one line."""

    text: str
    spans: list[tuple[int, int]]
    line_probs: np.ndarray  # (classes,)
    clause_probs: np.ndarray  # (clauses, classes)
    line_vector: np.ndarray
    clause_vectors: np.ndarray
    polite: float


class ToneScorer:
    """Tone, stances, flags and rewrite for lines (no scenario needed)."""

    def __init__(self, encoder=None, model: ReaderModel | None = None, params: ToneParams | None = None):
        self.model = model or load_reader()
        self.params = params or tone_params()
        if encoder is None:
            from nextround.reading.encoder import get_encoder

            encoder = get_encoder()
        self.encoder = encoder

    # --- the parts -------------------------------------------------------------------------------------------

    def vectors_many(self, texts: Sequence[str], progress: Callable[[int], None] | None = None
                     ) -> list[tuple[list[tuple[int, int]], np.ndarray, np.ndarray]]:
        """For each text: its clause spans, its vector, and one vector per clause (the line's own for one clause).

        A line and its clauses come from one forward pass (``Encoder.encode_spans``): a clause is read in the
        context of its line, which costs nothing extra (encoding each clause as a text of its own tripled the
        encoder's work on two-sentence lines)."""
        spans = [clauses(t) if len(t) > 0 else [] for t in texts]
        wanted = [s if len(s) > 1 else [] for s in spans]  # with one clause, the line is the clause
        rows = self._chunked(lambda a, b: self.encoder.encode_spans(list(texts[a:b]), wanted[a:b]), len(texts),
                             progress, lambda a, b: b - a)
        out = []
        for text, span, want, vecs in zip(texts, spans, wanted, rows):
            out.append((span or [(0, len(text))], vecs[0], vecs[1:] if want else vecs[:1]))
        return out

    @staticmethod
    def _chunked(run, total: int, progress, count) -> list:
        """RUN(a, b) over [0, total) in steps of _PROGRESS_STEP, reporting progress after each step."""
        results: list = []
        step = total if progress is None else _PROGRESS_STEP
        for start in range(0, total, max(1, step)):
            end = min(total, start + step)
            results += run(start, end)
            if progress is not None:
                progress(count(start, end))
        return results

    def parts_many(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> list[_Parts]:
        """Embed every line and every clause of every line (one batched pass) and run the heads on them."""
        embedded = self.vectors_many(texts, progress)
        if not embedded:
            return []
        lines = np.stack([e[1] for e in embedded])
        model = self.model
        line_probs = model.stance_probabilities(lines)
        polite = model.scalar("politeness", lines)
        out = []
        for n, (text, (spans, line_vec, clause_vecs)) in enumerate(zip(texts, embedded)):
            clause_probs = line_probs[n][None, :] if len(spans) == 1 else model.stance_probabilities(clause_vecs)
            out.append(_Parts(text, spans, line_probs[n], clause_probs, line_vec, clause_vecs, float(polite[n])))
        return out

    def tone_of(self, parts: _Parts) -> tuple[ToneResult, tuple[str, ...]]:
        model = self.model
        line = model.adversarial_mass(parts.line_probs[None, :])
        adversarial = pulled_adversarial(line, model.adversarial_mass(parts.clause_probs).max(keepdims=True),
                                         self.params.clause)
        collaborative = parts.line_probs[model.collaborative].sum(keepdims=True)
        small_talk = model.small_talk_mass(parts.line_probs[None, :])
        score = int(tone_scores(self.params, [parts.polite], adversarial, collaborative, line, small_talk)[0])
        insults = cues.insult_spans(parts.text)
        if insults:  # contempt aimed at someone is adversarial however it opens (see cues.py for why it is a rule)
            score = min(score, ADVERSARIAL_AT)
        flags = self._flags(parts, score, insults)
        stances = self._stances(parts, flags)
        rewrite = self._rewrite(parts, flags) if flags and score < REWRITE_BELOW else None
        return ToneResult(score, label_for(score), tuple(flags), rewrite), stances

    def _stances(self, parts: _Parts, flags: list[Flag]) -> tuple[str, ...]:
        classes = self.model.classes
        order = np.argsort(-parts.line_probs)
        listed = [classes[i] for i in order if parts.line_probs[i] >= self.params.stance_at]
        if not listed:
            listed = [classes[int(order[0])]]
        by_label = {s.label: s.id for s in STANCE_BY_ID.values()}
        for flag in flags:  # a stance carried by one clause belongs to the line too
            stance = by_label.get(flag.category)
            if stance and stance not in listed:
                listed.append(stance)
        adversarial = [s for s in listed if s in ADVERSARIAL_STANCES]
        rest = [s for s in listed if s not in ADVERSARIAL_STANCES]
        return tuple(adversarial + rest) if flags else tuple(listed)

    def _flags(self, parts: _Parts, score: int, insults: list[tuple[int, int]]) -> list[Flag]:
        p = self.params
        classes = self.model.classes
        adv_mass = self.model.adversarial_mass(parts.clause_probs)
        flags: list[Flag] = []
        for (start, end), probs, mass in zip(parts.spans, parts.clause_probs, adv_mass):
            # Only a line that needs rewriting is flagged clause by clause: a short clause alone ("Nobody needs to
            # apologise", "Would you back me next time?") is easily misread out of its sentence.
            if mass < p.flag_at or score >= REWRITE_BELOW:
                continue
            stance = _top_adversarial(classes, probs)
            flags.append(_flag(parts.text, start, end, stance))
        if not flags and score <= ADVERSARIAL_AT:
            # The line as a whole reads as adversarial: point at the clause that leans that way most.
            n = int(np.argmax(adv_mass))
            start, end = parts.spans[n]
            stance = _top_adversarial(classes, parts.clause_probs[n])
            flags.append(_flag(parts.text, start, end, stance))
        for start, end in insults:
            if not any(f.start <= start and end <= f.end for f in flags):  # a flagged clause already points there
                flags.append(_flag(parts.text, start, end, "hostile"))
        return sorted(flags, key=lambda f: (f.start, -f.end))

    def _rewrite(self, parts: _Parts, flags: list[Flag]) -> str | None:
        """Keep the clauses that carry no grievance; replace the rest with what the line was after."""
        text = parts.text
        adv_mass = self.model.adversarial_mass(parts.clause_probs)
        kept: list[str] = []
        replaced: list[str] = []
        for (start, end), mass in zip(parts.spans, adv_mass):
            mine = [f for f in flags if start <= f.start < end]
            if mine or mass >= 0.3:
                better = min(mine, key=lambda f: _SEVERITY.get(f.category, 9)).better if mine else None
                if better and better not in replaced:
                    replaced.append(better)
                continue
            kept.append(_sentence(text[start:end]))
        result = " ".join([k for k in kept if k] + replaced).strip()
        return result or None


#: Texts encoded between two progress updates of ``score --input``.
_PROGRESS_STEP = 256

_SEVERITY = {STANCE_BY_ID[s].label: n for n, s in enumerate(
    ("ultimatum", "contest", "hostile", "entitlement", "blame", "comparison", "resentment", "sarcasm", "demand"))}


def _top_adversarial(classes: tuple[str, ...], probs: np.ndarray) -> str:
    best = max((i for i, c in enumerate(classes) if c in ADVERSARIAL_STANCES), key=lambda i: probs[i])
    return classes[best]


def _flag(text: str, start: int, end: int, stance: str) -> Flag:
    info = STANCE_BY_ID[stance]
    phrase = text[start:end]
    # Trim a leading conjunction and trailing punctuation: the flag points at the phrase, not the glue.
    lead = len(phrase) - len(phrase.lstrip(" ,;:-–—"))
    for word in ("but ", "and ", "so ", "though ", "although ", "yet "):
        if phrase[lead:].lower().startswith(word):
            lead += len(word)
            break
    core = phrase[lead:].rstrip(" .,;:!?-–—")
    if not core:
        lead, core = 0, phrase
    a = start + lead
    return Flag(core, a, a + len(core), info.label, info.why, info.better)


def _sentence(chunk: str) -> str:
    chunk = chunk.strip().rstrip(",;:-–—").strip()
    if not chunk:
        return ""
    for word in ("but ", "and ", "so ", "though ", "although ", "yet "):
        if chunk.lower().startswith(word):
            chunk = chunk[len(word):]
            break
    chunk = chunk[:1].upper() + chunk[1:]
    return chunk if chunk[-1] in ".!?" else chunk + "."


# --- the reader -------------------------------------------------------------------------------------------------


_EMPTY = ToneResult(NEUTRAL_SCORE, "neutral", (), None)


class LocalReader:
    """Reads lines for one scenario: tone and stance, plus the topics they ask about."""

    def __init__(self, scenario: Scenario, encoder=None):
        if encoder is None:
            from nextround.reading.encoder import get_encoder

            encoder = get_encoder()
        from nextround.reading.topics import TopicIndex

        self.scenario = scenario
        self.scorer = ToneScorer(encoder)
        self.index = TopicIndex(scenario, encoder)

    def read(self, text: str) -> Reading:
        text = text[:MAX_LINE_CHARS]
        if not text.strip():
            return Reading(text=text, tone=_EMPTY, stances=("neutral",), sincere=True)
        parts = self.scorer.parts_many([text])[0]  # the tone reads the line as typed
        tone, stances = self.scorer.tone_of(parts)
        question = cues.is_question(text)
        adversarial = tone.score <= ADVERSARIAL_AT or any(s in ADVERSARIAL_STANCES for s in stances[:1])
        sincere = not adversarial
        line_vector, spans, clause_vectors = parts.line_vector, parts.spans, parts.clause_vectors
        if self.index.prepare(text) != text:
            # The counterpart's name says nothing about the topic: topics read the line without it (the example
            # asks are stored without it too).
            stripped = self.index.prepare(text)
            spans, line_vector, clause_vectors = self.scorer.vectors_many([stripped])[0]
            text_for_topics = stripped
        else:
            text_for_topics = text
        clause_units = ([(v, text_for_topics[a:b]) for v, (a, b) in zip(clause_vectors, spans)]
                        if len(spans) > 1 else None)
        match = self.index.match(line_vector, text_for_topics, clause_units, question=question and sincere)
        return Reading(
            text=text, tone=tone, stances=stances, topics=match.topics, topic_scores=match.scores,
            candidates=match.candidates, question=question, sincere=sincere,
            open_ask=question and cues.is_open_ask(text) and not match.topics and not match.ambiguous,
            more=match.more and question,
            manipulation=match.instruction, leaving=match.leaving,
        )


def score_lines(texts: Sequence[str], progress: Callable[[int], None] | None = None) -> list[ToneResult]:
    """Tone for many lines at once (batched through the encoder), in input order. Empty lines score 50."""
    scorer = ToneScorer()
    texts = [("" if t is None else str(t))[:MAX_LINE_CHARS] for t in texts]
    live = [n for n, t in enumerate(texts) if t.strip()]
    results: list[ToneResult] = [_EMPTY] * len(texts)
    parts = scorer.parts_many([texts[n] for n in live], progress=progress)
    for n, part in zip(live, parts):
        results[n] = scorer.tone_of(part)[0]
    return results


def batch_size(texts: Sequence[str]) -> int:
    """How many texts the encoder embeds for these lines (each line, plus each clause of a multi-clause line)."""
    total = 0
    for t in texts:
        t = ("" if t is None else str(t))[:MAX_LINE_CHARS]
        if t.strip():
            n = len(clauses(t))
            total += 1 + (n if n > 1 else 0)
    return total


def score_line(text: str) -> ToneResult:
    return score_lines([text])[0]

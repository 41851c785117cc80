"""The local reader: one line in, a `Reading` out (tone, stances, flags, rewrite, topics), all on this machine.

Pipeline for a line:

1. split it into clauses and embed the line and its clauses in one batch (``encoder.py``);
2. stance by meaning for the line and each clause (``stance.py``);
3. lexical politeness of the wording (``politeness.py``);
4. the tone score: ``100 * sigmoid((a * lean + b * politeness) * (1 - d * no_stance) + c)``, where ``lean`` is the
   log-odds of collaborative over adversarial stance, taking the most adversarial clause into account, so one
   sharp clause is not averaged away by a polite one (weights in ``data/reading.json``, chosen on the development
   sets by ``scripts/train_reading.py``);
5. flags on the clauses that carry an adversarial stance (and on insulting words), each with why it lands badly
   and a better phrasing; a line below 50 gets a rewrite that keeps its collaborative clauses and replaces the
   rest with what the line was after, said without the grievance;
6. with a scenario: the topics the line asks about (``topics.py``).

`nextround score` and the rehearsals use this same reader.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Sequence

import numpy as np

from nextround.reading import cues, politeness
from nextround.reading.clauses import clauses
from nextround.reading.stance import StanceModel, load_model
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
    """How the parts combine into the tone score (chosen on the development sets; see data/reading.json)."""

    lean: float = 1.0  # weight of the stance lean (log-odds collaborative vs adversarial)
    politeness: float = 0.35  # weight of the lexical politeness logit
    bias: float = 0.3
    clause: float = 0.6  # how far the most adversarial clause pulls the line's lean towards itself
    polite_discount: float = 0.0  # how far adversarial meaning cancels polite wording ("Thanks for finally…")
    blunt_discount: float = 0.0  # how far collaborative meaning cancels blunt wording ("Where did I lose them?")
    neutral_damp: float = 0.0  # how far a line with no stance stays near the middle ("The interview was on a Tuesday.")
    plain_below: float = 0.3  # a statement whose adversarial mass stays under this is at worst neutral
    flag_at: float = 0.5  # a clause is flagged when its adversarial mass reaches this
    stance_at: float = 0.25  # a stance is listed for the line when its probability reaches this


@lru_cache(maxsize=1)
def tone_params() -> ToneParams:
    try:
        raw = resources.files("nextround").joinpath("data/reading.json").read_text(encoding="utf-8")
        values = json.loads(raw).get("tone", {})
    except (FileNotFoundError, OSError, ValueError):
        values = {}
    known = set(ToneParams.__dataclass_fields__)
    return ToneParams(**{k: v for k, v in values.items() if k in known})


def discounted_politeness(polite: float, adversarial: float, discount: float, collaborative: float = 0.0,
                          blunt_discount: float = 0.0) -> float:
    """Wording counts as far as the meaning does not say otherwise: polite words count less when the line is
    adversarial ("Thanks for finally finding a slot", "With respect, I'd like it reconsidered"), blunt words count
    less when it is a sincere ask ("Where did I lose them in the interview?")."""
    if polite >= 0:
        return polite * (1.0 - discount * adversarial)
    return polite * (1.0 - blunt_discount * collaborative)


def _sigmoid_score(z: float) -> int:
    return int(round(100.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))))


@dataclass(frozen=True)
class _Parts:
    """What the encoder and the classifiers said about one line."""

    text: str
    spans: list[tuple[int, int]]
    line_probs: np.ndarray  # (classes,)
    clause_probs: np.ndarray  # (clauses, classes)
    line_vector: np.ndarray
    clause_vectors: np.ndarray


class ToneScorer:
    """Tone, stances, flags and rewrite for lines (no scenario needed)."""

    def __init__(self, encoder=None, model: StanceModel | None = None, params: ToneParams | None = None):
        if encoder is None:
            from nextround.reading.encoder import get_encoder

            encoder = get_encoder()
        self.encoder = encoder
        self.model = model or load_model()
        self.params = params or tone_params()

    # --- the parts -------------------------------------------------------------------------------------------

    def parts_many(self, texts: Sequence[str], prepare: Callable[[str], str] = lambda t: t,
                   progress: Callable[[int], None] | None = None) -> list[_Parts]:
        """Embed every line and every clause of every line (one batched pass) and classify them."""
        spans = [clauses(t) if len(t) > 0 else [] for t in texts]
        batch: list[str] = []
        where: list[tuple[int, int]] = []  # (line index, clause index or -1 for the whole line)
        for n, text in enumerate(texts):
            batch.append(prepare(text))
            where.append((n, -1))
            if len(spans[n]) > 1:
                for c, (a, b) in enumerate(spans[n]):
                    batch.append(prepare(text[a:b]))
                    where.append((n, c))
        vectors = self._encode(batch, progress)
        probs = self.model.probabilities(vectors, batch)
        out: list[_Parts] = []
        index = 0
        for n, text in enumerate(texts):
            line_vec, line_p = vectors[index], probs[index]
            index += 1
            k = len(spans[n]) if len(spans[n]) > 1 else 0
            clause_vecs, clause_p = vectors[index:index + k], probs[index:index + k]
            index += k
            if k == 0:  # one clause: the line is the clause
                clause_vecs, clause_p = line_vec[None, :], line_p[None, :]
            out.append(_Parts(text, spans[n] or [(0, len(text))], line_p, clause_p, line_vec, clause_vecs))
        return out

    def _encode(self, batch: list[str], progress) -> np.ndarray:
        if progress is None or len(batch) < 256:
            vectors = self.encoder.encode(batch)
            if progress is not None:
                progress(len(batch))
            return vectors
        chunks = []
        for start in range(0, len(batch), 256):
            chunks.append(self.encoder.encode(batch[start:start + 256]))
            progress(min(256, len(batch) - start))
        return np.concatenate(chunks)

    # --- the tone --------------------------------------------------------------------------------------------

    def tone_of(self, parts: _Parts) -> tuple[ToneResult, tuple[str, ...]]:
        p = self.params
        text = parts.text
        line_lean = float(self.model.lean(parts.line_probs[None, :])[0])
        clause_leans = self.model.lean(parts.clause_probs)
        worst = float(clause_leans.min())
        lean = line_lean if worst >= line_lean else line_lean + p.clause * (worst - line_lean)
        insults, swears = cues.insult_spans(text), cues.swear_spans(text)
        adversarial = float(self.model.adversarial_mass(parts.line_probs[None, :])[0])
        collaborative = float(parts.line_probs[self.model.collaborative].sum())
        polite = discounted_politeness(politeness.logit(text), adversarial, p.polite_discount, collaborative,
                                       p.blunt_discount)
        neither = float(1.0 - parts.line_probs[self.model.adversarial].sum() - collaborative)
        z = (p.lean * lean + p.politeness * polite) * (1.0 - p.neutral_damp * neither) + p.bias
        score = _sigmoid_score(z)
        if insults:  # contempt aimed at someone is adversarial, however politely the line opens
            score = min(score, ADVERSARIAL_AT)
        elif score <= ADVERSARIAL_AT and not cues.is_question(text) and max(
                adversarial, float(self.model.adversarial_mass(parts.clause_probs).max())) < p.plain_below:
            # A plain statement is adversarial only when what it says is: blunt wording alone ("The interview
            # was on a Tuesday.") makes a statement neutral at worst. (Questions keep their wording: a blunt
            # question is heard as a challenge.)
            score = ADVERSARIAL_AT + 1
        # Swearing is flagged where it sharpens an adversarial line, not in a feeling ("damn, that hurt").
        flags = self._flags(parts, insults + (swears if score <= ADVERSARIAL_AT else []), score)
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

    def _flags(self, parts: _Parts, hostile: list[tuple[int, int]], score: int) -> list[Flag]:
        p = self.params
        classes = self.model.classes
        adv_mass = self.model.adversarial_mass(parts.clause_probs)
        flags: list[Flag] = []
        taken: list[tuple[int, int]] = []
        for (start, end), probs, mass in zip(parts.spans, parts.clause_probs, adv_mass):
            # Only a line that needs rewriting is flagged clause by clause: a short clause alone ("Nobody needs to
            # apologise", "Would you back me next time?") is easily misread out of its sentence.
            if mass < p.flag_at or score >= REWRITE_BELOW:
                continue
            stance = _top_adversarial(classes, probs)
            flags.append(_flag(parts.text, start, end, stance))
            taken.append((start, end))
        if not flags and score <= ADVERSARIAL_AT:
            # The line as a whole reads as adversarial: point at the clause that leans that way most.
            n = int(np.argmax(adv_mass))
            start, end = parts.spans[n]
            stance = _top_adversarial(classes, parts.clause_probs[n])
            flags.append(_flag(parts.text, start, end, stance))
            taken.append((start, end))
        for start, end in hostile:
            if not any(a <= start and end <= b for a, b in taken):  # a flagged clause already points there
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
        parts = self.scorer.parts_many([text], prepare=self.index.prepare)[0]
        tone, stances = self.scorer.tone_of(parts)
        question = cues.is_question(text)
        adversarial = tone.score <= ADVERSARIAL_AT or any(s in ADVERSARIAL_STANCES for s in stances[:1])
        sincere = not adversarial
        clause_units = ([(v, text[a:b]) for v, (a, b) in zip(parts.clause_vectors, parts.spans)]
                        if len(parts.spans) > 1 else None)
        match = self.index.match(parts.line_vector, text, clause_units, question=question and sincere)
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

"""A lexical topic score for every insight of a scenario: the share of the line's content words that the insight's
example asks, ``about`` phrase and cues also use (compared on their first five letters, so "interviews" meets
"interviewer"). 0 = no shared word, 1 = every content word is shared.

It stands in for ``Reading.topic_scores`` until the sentence encoder's topic matcher fills them; the merge of the
model's reading needs a local score per insight to refuse a topic the local reading finds unrelated. Stdlib only.
"""

from __future__ import annotations

from functools import lru_cache

from nextround.scenario import Scenario
from nextround.words import content_words

_STEM = 5


@lru_cache(maxsize=256)
def _vocabulary(texts: tuple[str, ...]) -> frozenset[str]:
    return frozenset(word[:_STEM] for text in texts for word in content_words(text))


def topic_overlap(scenario: Scenario, text: str) -> dict[str, float]:
    words = content_words(text)
    scores: dict[str, float] = {}
    for insight in scenario.insights:
        if not words:
            scores[insight.id] = 0.0
            continue
        vocabulary = _vocabulary((*insight.examples, insight.about, *insight.cues))
        scores[insight.id] = sum(1 for w in words if w[:_STEM] in vocabulary) / len(words)
    return scores

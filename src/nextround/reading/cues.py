"""Formal features of a line that are about its form, not its stance: is it a question or a request, an open
request for advice, an attempt to talk the counterpart out of its role. Stdlib only.

Stance (contesting, sarcasm, insults, accepting…) is never decided here: it is read by meaning, by the heads of
the fine-tuned encoder (``heads.py``). These rules stay because they are about the form of a line, which no
labelled data here teaches: whether it asks (the counterpart answers questions differently from remarks).
"""

from __future__ import annotations

import re

# A question, or a request phrased as a statement ("I'd value your advice on…", "tell me about…").
_QUESTION_START = re.compile(
    r"^\W*(?:what|what's|whats|why|how|how's|where|when|who|which|whose|is|isn't|are|aren't|was|wasn't|were|"
    r"do|does|did|didn't|don't|can|could|would|will|should|shall|may|might|have|has|had|any|anything|am)\b",
    re.IGNORECASE,
)
_REQUEST = re.compile(
    r"\b(?:i'?d (?:\w+ )?(?:like|love|value|appreciate|welcome) (?:to (?:know|hear|understand|learn|ask)|your|any|"
    r"some|an? )|i would (?:\w+ )?(?:like|love|value|appreciate|welcome)|"
    r"i (?:\w+ )?(?:prefer|want|need|wish) to (?:know|hear|understand)|i(?:'m| am) (?:curious|wondering|keen to (?:know|hear))|"
    r"i (?:was )?wonder(?:ing)?|i want(?:ed)? to (?:know|understand|ask|hear|learn)|tell me|help me understand|"
    r"can you|could you|would you|please (?:share|tell|explain|say)|let me know|any (?:advice|tips|pointers|"
    r"thoughts|suggestions|feedback)|your (?:advice|view|take|thoughts|perspective|honest))\b",
    re.IGNORECASE,
)

# An open request for advice that names no particular topic: with candor high enough, the counterpart volunteers.
_OPEN_ASK = re.compile(
    r"\b(?:advice|advise|feedback|suggest\w*|recommend\w*|anything else|what else|what should i|what would you|"
    r"what could i|how can i|how could i|how do i|where should i|what do you think|your (?:view|thoughts|"
    r"perspective|take)|pointers|guidance|tips)\b",
    re.IGNORECASE,
)

# Attempts to talk the counterpart out of its role. They never unlock anything.
_MANIPULATION = re.compile(
    r"\b(ignore|disregard|forget)\b[^.?!]{0,40}\b(instructions?|rules|prompt|previous|above|guidelines)\b"
    r"|\bsystem prompt\b|\byou are now\b|\bpretend (?:to be|you)\b|\bact as\b|\bjailbreak\b"
    r"|\b(?:tell|reveal|give|show) me (?:all|every ?thing|everything)\b|\bhidden insights?\b|\bdeveloper mode\b",
    re.IGNORECASE,
)

def normalise(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


def is_question(text: str) -> bool:
    """A question or a request: ends with "?", opens like a question, or asks in a statement's clothes."""
    body = normalise(text).strip()
    if not body:
        return False
    return body.endswith("?") or bool(_QUESTION_START.search(body)) or bool(_REQUEST.search(body))


def is_open_ask(text: str) -> bool:
    return bool(_OPEN_ASK.search(normalise(text)))


def is_manipulation(text: str) -> bool:
    return bool(_MANIPULATION.search(normalise(text)))

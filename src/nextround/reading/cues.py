"""Formal features of a line that are about its form, not its stance: is it a question or a request, an open
request for advice, or a word of contempt. (An attempt to give the counterpart instructions is read by meaning,
in ``topics.py``.) Stdlib only.

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

# Words of contempt for people or their work: a line with one aimed at someone is adversarial, however politely it
# opens. Kept beside the learned heads because the fine-tuned reader still misses contempt after a courteous
# opening ("Thanks for the notes, you idiot."): measured on tests/test_reading.py's lines, 3 of 6 read as
# collaborative without this rule. Retire it when the heads catch them.
_INSULT = re.compile(
    r"\b(?:idiots?|idiotic|stupid|stupidity|morons?|moronic|dumb|incompetent|incompetence|clueless|useless|"
    r"liars?|hypocrites?|hypocritical|shut up|screw (?:you|this|that|it)|jerks?|assholes?|arseholes?|bastards?|"
    r"clowns?|clown show|spineless|gutless|pathetic|joke of a|a joke|garbage|rubbish|bullshit|bs)\b",
    re.IGNORECASE,
)
# "I felt useless", "I was so stupid not to prepare": contempt aimed at oneself is owning a part, not an insult.
_SELF_BEFORE = re.compile(r"\b(?:i|i'm|i am|i was|i felt|i feel|made me|makes me|myself|me)\b[^.!?;,]*$",
                          re.IGNORECASE)


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


def insult_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of words of contempt aimed at someone else or their work (not at oneself)."""
    body = normalise(text)
    return [m.span() for m in _INSULT.finditer(body) if not _SELF_BEFORE.search(body[:m.start()])]

"""Plain-text helpers for the plan: the real counterparts' names, sentences built from scenario text, quotes.

Practice is practice: the plan calls the counterparts "the hiring manager" and "your manager". A scenario's persona
name (a practice character) is replaced wherever scenario text is reused in the plan; it appears only where the
plan says which practice session it used.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nextround.scenario import Insight, Scenario
from nextround.words import STOPWORDS

QUOTE_CHARS = 320

#: Who the real conversation is with, and what it is called, by conversation kind.
ROLE = {"feedback": "the hiring manager", "career": "your manager"}
MEETING = {"feedback": "feedback meeting", "career": "career talk"}

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"'])")


def role_of(kind: str) -> str:
    return ROLE.get(kind, "your counterpart")


def meeting_of(kind: str) -> str:
    return MEETING.get(kind, "conversation")


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def first_sentence(text: str) -> str:
    parts = sentences(text)
    return parts[0] if parts else text.strip()


def as_sentence(text: str) -> str:
    """TEXT with a capital first letter and a full stop (or ? !) at the end."""
    text = " ".join(text.split()).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def clause(text: str, proper: frozenset[str] = frozenset()) -> str:
    """A sentence made ready to sit inside another: no final stop, and a lower-case first letter unless the first
    word is "I", an acronym or a proper noun (PROPER: words the scenario capitalises mid-sentence)."""
    text = " ".join(text.split()).rstrip(" .!")
    match = re.match(r"[A-Za-z][\w'’-]*", text)
    if not match:
        return text
    word = match.group(0)
    if word == "I" or word in proper or (len(word) > 1 and sum(c.isupper() for c in word) > 1):
        return text
    return text[0].lower() + text[1:]


def join_that(parts: list[str]) -> str:
    """Clauses joined as "A and that B" ("A; and that B" when a clause has commas of its own)."""
    parts = [p for p in parts if p]
    joint = "; and that " if any("," in p for p in parts[:-1]) else " and that "
    return joint.join(parts)


@lru_cache(maxsize=64)
def _proper_words(scenario_json: str) -> frozenset[str]:
    """Words the scenario writes with a capital letter in the middle of a sentence: names of people, teams,
    products. Those keep their capital when a sentence is embedded in another."""
    found: set[str] = set()
    for match in re.finditer(r"(?<=[a-z,;:] )([A-Z][\w'’-]*)", scenario_json):
        word = match.group(1).rstrip("'’s")
        if word.lower() not in STOPWORDS:
            found.add(word)
    return frozenset(found)


def proper_words(scenario: Scenario) -> frozenset[str]:
    return _proper_words(scenario.model_dump_json())


def _name_variants(name: str) -> list[str]:
    parts = [p for p in name.split() if p[:1].isupper() and len(p) > 1]
    variants = [name] + [p for p in (parts[:1] + parts[-1:]) if p.lower() not in STOPWORDS]
    return sorted(dict.fromkeys(v for v in variants if v), key=len, reverse=True)


def without_persona(text: str, scenario: Scenario) -> str:
    """TEXT with the practice persona's name replaced by the real counterpart ("the hiring manager", "your
    manager"); a name used to address them ("Dana, how…", "…, Dana?") is dropped."""
    role = role_of(scenario.kind)
    for variant in _name_variants(scenario.counterpart.name):
        name = re.escape(variant)
        text = re.sub(rf"^\s*{name},\s*", "", text)  # "Dana, could you…"
        text = re.sub(rf",\s*{name}(?=\s*[.!?]|$)", "", text)  # "…, Dana?"

        def replace(match: re.Match) -> str:
            before = match.string[: match.start()].rstrip()
            out = role + ("'s" if match.group(1) else "")
            at_start = not before or before[-1] in ".!?:\"“"
            return out[0].upper() + out[1:] if at_start else out

        text = re.sub(rf"\b{name}(['’]s)?\b", replace, text)
    return text[:1].upper() + text[1:] if text else text


def said_clause(takeaway: str, kind: str, scenario: Scenario) -> str:
    """A layer's takeaway ready to embed after "Practice suggested that " ("your answers on conflict were
    vague"); a quoted layer (“…”) becomes what the practice counterpart said."""
    text = " ".join(takeaway.split())
    if text.startswith("“"):
        return f"{role_of(kind)} said {text.rstrip('.')}"
    return clause(without_persona(text, scenario), proper_words(scenario))


def question_sentences(text: str) -> str:
    """The ask in TEXT (a line said in practice) without the thanks or preamble around it: its question(s), else
    its last sentence (an ask usually comes last)."""
    parts = sentences(text)
    asked = [s for s in parts if s.endswith("?")]
    return " ".join(asked[-2:]) if asked else (parts[-1] if parts else text.strip())


def _tone(text: str) -> float:
    # The lexical politeness of the wording (stdlib only): every example ask is sincere already, so what is left
    # to choose on is how gently it is put, and the plan never needs to load the sentence encoder.
    from nextround.reading.politeness import logit

    return logit(text)


#: A question to ask in the real meeting is whole: at least this many words, and it stands on its own.
MIN_QUESTION_WORDS = 5
_FRAGMENT_START = ("but ", "and ", "so ", "or ", "because ", "like ")
#: A question that ends on one of these points back at something said before ("Could you say more about that?").
_POINTS_BACK = frozenset({"it", "that", "this", "them", "those", "these", "so", "more", "there"})


def whole_question(text: str) -> str | None:
    """The last whole question in TEXT (a line said in practice), or None: a sentence that ends with "?", of
    `MIN_QUESTION_WORDS` words or more, that neither hangs off something said before ("But what skills…", "What
    else…") nor ends by pointing back at it ("…about that?")."""
    for sentence in reversed(sentences(text)):
        sentence = sentence.strip()
        tokens = re.findall(r"[a-z']+", sentence.lower())
        if (sentence.endswith("?") and "…" not in sentence and "..." not in sentence
                and len(sentence.split()) >= MIN_QUESTION_WORDS
                and not sentence.lower().startswith(_FRAGMENT_START)
                and "else" not in tokens and tokens and tokens[-1] not in _POINTS_BACK):
            return sentence
    return None


def _carefully_written(text: str) -> bool:
    """Written as you would say it to a senior person: a capital first letter and a capital "I" (scenarios keep
    casual example asks too, so the topic matcher knows them)."""
    return text[:1].isupper() and not re.search(r"(^|\s)i(\s|'|’|$)", text)


@lru_cache(maxsize=512)
def _best_example(examples: tuple[str, ...]) -> str | None:
    questions = [e for e in examples if whole_question(e) == e.strip() and not e.lower().startswith("ask ")]
    questions = [e for e in questions if _carefully_written(e)] or questions
    if not questions:
        return None
    # The most collaborative phrasing; the shorter one on a tie (easier to say).
    return max(questions, key=lambda e: (_tone(e), -len(e)))


def words_to_ask(insight: Insight, scenario: Scenario) -> str:
    """A question to take into the real meeting for INSIGHT, in words you can say: the most collaborative of its
    example asks (the hint when it has no question among them)."""
    best = _best_example(tuple(insight.examples))
    if best is None:
        return as_sentence(without_persona(first_sentence(insight.ask_hint), scenario))
    return as_sentence(without_persona(best, scenario))


def what_to_ask(insight: Insight, scenario: Scenario) -> str:
    """The insight's hint as a clause that fits after "In the real career talk, " ("ask which skill …")."""
    return clause(without_persona(first_sentence(insight.ask_hint), scenario), proper_words(scenario))

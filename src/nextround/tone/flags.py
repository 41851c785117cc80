"""Turn cue matches into user-facing flags, and build a rewrite of a low-scoring line from its flags."""

from __future__ import annotations

import re

from .rules import RULE_BY_KEY

_SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
_MULTI_RE = re.compile(r"[.!?\n]")

# Inline swaps: phrase (lower case) -> replacement ("" drops it). Anything not listed uses the rule's sentence.
_ABSOLUTES = {
    "always": "often", "never": "rarely", "everyone": "many people", "everybody": "many people",
    "nobody": "few people", "no one": "few people", "noone": "few people", "every time": "more than once",
    "every single time": "more than once", "every single day": "often", "every single one": "many",
    "all the time": "often", "nothing ever": "little", "no matter what": "", "constantly": "often",
    "completely ignored": "overlooked", "totally ignored": "overlooked",
}
_DROP_SARCASM = {"clearly", "obviously", "apparently", "evidently", "of course", "naturally"}
_DROP_INTENSIFIER = True

SARCASM_BETTER = "I'm disappointed, and I'd like to understand what I can do about it."
HOSTILE_BETTER = "I see this differently, and I'd like to understand your reasoning."


def inline_replacement(key: str, phrase: str) -> str | None:
    low = phrase.lower().replace("’", "'")
    if key == "absolutes":
        return _ABSOLUTES.get(low, "")
    if key == "sarcasm":
        return "" if low in _DROP_SARCASM else None
    if key == "intensifier":
        return ""
    return None


def better_for(key: str, text: str, start: int, end: int) -> str:
    """The better phrasing shown with a flag."""
    rule = RULE_BY_KEY[key]
    phrase = text[start:end]
    rep = inline_replacement(key, phrase)
    if rep is not None:
        if rep:
            return rep
        s0, s1 = sentence_span(text, start)
        fixed = _tidy(text[s0:start] + text[end:s1])
        return fixed or "Say it plainly, without the loaded word."
    if key == "sarcasm":
        return SARCASM_BETTER
    if key == "hostile":
        return HOSTILE_BETTER
    return rule.better


def _tidy(s: str) -> str:
    s = re.sub(r"\s+([,.!?])", r"\1", s)
    s = re.sub(r"^[\s,;:]+", "", s)
    s = re.sub(r",\s*,", ",", s)
    s = re.sub(r"\s{2,}", " ", s).strip()
    if s and s[0].islower():
        s = s[0].upper() + s[1:]
    return s


def sentence_span(text: str, start: int) -> tuple[int, int]:
    """The sentence of ``text`` around position ``start``."""
    for m in _SENTENCE_RE.finditer(text):
        if m.start() <= start < m.end():
            return m.start(), m.end()
    return 0, len(text)


def rewrite(text: str, flags) -> str | None:
    """A suggested rewrite built from the flags: stance sentences replaced, loaded words swapped or dropped."""
    if not flags:
        return None
    out: list[str] = []
    used: set[str] = set()
    sentences = [re.match(r"[\s\S]*", text)] if not _MULTI_RE.search(text.rstrip(".!?\n ")) else _SENTENCE_RE.finditer(text)
    for m in sentences:
        s0, s1 = m.start(), m.end()
        sentence = m.group()
        mine = [f for f in flags if s0 <= f.start < s1]
        if not mine:
            if sentence.strip():
                out.append(sentence.strip())
            continue
        whole = [f for f in mine if _key_of(f) is not None and inline_replacement(_key_of(f), f.phrase) is None]
        if whole:
            # the most severe stance decides the replacement sentence
            worst = min(whole, key=lambda f: RULE_BY_KEY[_key_of(f)].weight)
            better = worst.better
            if better not in used:
                used.add(better)
                out.append(better)
            continue
        new = sentence
        for f in sorted(mine, key=lambda f: -f.start):
            a, b = f.start - s0, f.end - s0
            rep = inline_replacement(_key_of(f), f.phrase) or ""
            if rep and new[:a].strip() == "":
                rep = rep[0].upper() + rep[1:]
            new = new[:a] + rep + new[b:]
        new = _tidy(new)
        if new:
            out.append(new)
    result = " ".join(out).strip()
    if not result or result == text.strip():
        return None
    return result


_CATEGORY_TO_KEY = {r.category: r.key for r in RULE_BY_KEY.values()}


def _key_of(flag) -> str | None:
    return _CATEGORY_TO_KEY.get(flag.category)

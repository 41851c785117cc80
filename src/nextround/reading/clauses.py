"""Split a line into clauses, so a stance can be pinned on the phrase that carries it. Stdlib only.

"Thanks for meeting. But honestly, the whole thing was rigged." has two clauses; the second carries the stance,
and that is what a flag points at and what a rewrite replaces. Splits fall at sentence ends, semicolons and
dashes, and before a contrast ("but", "though", "although", "yet", "whereas"); fragments of fewer than three
words join their neighbour.
"""

from __future__ import annotations

import re

_BREAK = re.compile(
    r"(?<=[.!?;])\s+|\s+[-–—]+\s+|(?<=[,])\s+(?=(?:but|though|although|yet|whereas|and yet|except)\b)"
    r"|\s+(?=(?:but|though|although|whereas)\b)",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
MIN_WORDS = 3


def clauses(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the clauses of TEXT, in order, trimmed of surrounding spaces."""
    spans: list[list[int]] = []
    pos = 0
    for m in _BREAK.finditer(text):
        if m.start() > pos:
            spans.append([pos, m.start()])
        pos = m.end()
    if pos < len(text):
        spans.append([pos, len(text)])
    spans = [s for s in spans if text[s[0]:s[1]].strip()]
    # Join fragments too short to carry a stance on their own to the clause after them (or before, at the end).
    merged: list[list[int]] = []
    carry: list[int] | None = None
    for span in spans:
        if carry is not None:
            span = [carry[0], span[1]]
            carry = None
        if len(_WORD.findall(text[span[0]:span[1]])) < MIN_WORDS:
            carry = span
            continue
        merged.append(span)
    if carry is not None:
        if merged:
            merged[-1][1] = carry[1]
        else:
            merged.append(carry)
    out = []
    for start, end in merged:
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        out.append((start + lead, end - trail))
    return out

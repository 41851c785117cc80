"""Tokenizer and cue matcher.

Speed matters (tens of thousands of lines a second in pure Python), so the cue rules are not run as one big
alternation at every character. Instead, each rule pattern is indexed by the first three letters of the word it
can start with (worked out once from the parsed regex), and the line's tokens dispatch to the few small
compiled alternations that can match there. A typical line costs one tokenizer pass, a handful of dict lookups
and two or three anchored ``match`` calls.
"""

from __future__ import annotations

import re
from itertools import accumulate, compress
from typing import NamedTuple

try:  # Python 3.11+: the parser moved; both names exist in 3.11/3.12
    import re._parser as _sre_parse  # type: ignore[import-not-found]
    from re._constants import (  # type: ignore[import-not-found]
        ASSERT, ASSERT_NOT, AT, BRANCH, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN, IN, NOT_LITERAL,
    )
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parse  # type: ignore[no-redef]
    from sre_constants import (  # type: ignore[no-redef]
        ASSERT, ASSERT_NOT, AT, BRANCH, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN, IN, NOT_LITERAL,
    )

from .rules import RULES

#: Work is capped: only the first MAX_CHARS characters of a line are scored (a long paste stays bounded).
MAX_CHARS = 4000

TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|[.!?]")
SPLIT_RE = re.compile(r"([a-z0-9]+(?:'[a-z]+)*|[.!?])")
_APOS = "['’]"
_FLAGS = re.IGNORECASE


class Cue(NamedTuple):
    key: str
    start: int
    end: int


# --------------------------------------------------------------------------- first-word index of the patterns
_ANY = object()

#: Frequent first words: patterns that start with one of these are indexed by their first two words.
COMMON = frozenset(
    """the to a an of it is in on as or and this that for be are do was if but can not any some so with at by you i
    my what would could it's i'm i'd i've i'll how have has we they he she your our will me just there all no one
    more from get make about well then than that's don't were been also here only out up now like good great very
    really again oh thanks thank his her their them us who which when where why should let let's what's go""".split()
)


def _done(acc: str) -> bool:
    return acc.endswith(" ") and acc.count(" ") >= 2


def _stop(acc: str) -> set:
    """Prefix ends at a non-literal item."""
    return {acc} if acc else {_ANY}


def _prefixes(items: list, i: int, acc: str) -> set:
    """Possible literal starts (one word, or two if the first is COMMON) of parsed items[i:] after ``acc``.

    A completed word ends with a space; a partial word does not; ``_ANY`` means no literal start.
    """
    if _done(acc):
        return {acc}
    if i >= len(items):
        return {acc + " "} if acc and not acc.endswith(" ") else _stop(acc)
    op, av = items[i]
    if op is AT:
        if acc and not acc.endswith(" "):
            return _prefixes(items, i + 1, acc + " ")
        return _prefixes(items, i + 1, acc)
    if op in (ASSERT, ASSERT_NOT):
        return _prefixes(items, i + 1, acc)
    if op is LITERAL:
        ch = chr(av)
        if ch.isalnum() or ch == "'":
            return _prefixes(items, i + 1, acc + ch)
        if ch in " -" and acc and not acc.endswith(" "):
            return _prefixes(items, i + 1, acc + " ")
        if acc.endswith(" "):
            return {acc}
        return {acc + " "} if acc else {_ANY}
    if op is SUBPATTERN:
        return _prefixes(list(av[-1]) + items[i + 1:], 0, acc)
    if op is BRANCH:
        out: set = set()
        for alt in av[1]:
            out |= _prefixes(list(alt) + items[i + 1:], 0, acc)
        return out
    if op in (MAX_REPEAT, MIN_REPEAT):
        lo, _hi, body = av
        out = set()
        if lo == 0:
            out |= _prefixes(items, i + 1, acc)
        out |= _prefixes(list(body) + items[i + 1:], 0, acc)
        return out
    return _stop(acc)


def _key(prefix) -> str | None:
    """Dispatch key: the first word, or 'first second' when the first word is COMMON (None: no literal start)."""
    if prefix is _ANY:
        return None
    words = prefix.split(" ")
    if len(words) < 2:  # partial first word (a character class follows): cannot index it
        return None
    if len(words) > 2:
        return words[0] + " " + words[1]
    return words[0]


def build_index() -> tuple[dict[str, list[int]], list[str]]:
    """Dispatch index from the parsed patterns: first word (or first two words) -> indices (into ``PATTERNS``) of
    the patterns that can match there, in rule order; plus the patterns with no literal first word (never tried)."""
    index: dict[str, set] = {}
    unreachable: list[str] = []
    for n, (_, pat) in enumerate(PATTERNS):
        if True:
            parsed = _sre_parse.parse(pat, _FLAGS)
            for p in _prefixes(list(parsed), 0, ""):
                k = _key(p)
                if k is None:
                    unreachable.append(pat)
                else:
                    index.setdefault(k, set()).add(n)
    out = {}
    for k, v in index.items():
        if " " in k:  # a two-word bucket also holds the rules that only know the first word
            v = v | index.get(k.split(" ")[0], set())
        out[k] = sorted(v)
    return out, unreachable


def rules_digest() -> int:
    """Checksum of everything the index depends on (the cached index in the weights file must match it)."""
    import zlib

    blob = "\n".join([k + " " + p for k, p in PATTERNS] + sorted(COMMON))
    return zlib.crc32(blob.encode("utf-8"))


#: every pattern with its rule key, in rule order; each is compiled on first use
PATTERNS: tuple[tuple[str, str], ...] = tuple((r.key, p) for r in RULES for p in r.patterns)
_RULE_KEY = tuple(k for k, _ in PATTERNS)
_RULE_RX: list = [None] * len(PATTERNS)

DISPATCH: dict = {}
PAIR_KEYS: frozenset = frozenset()
WORD_KEYS: frozenset = frozenset()
_ready = False


def prepare(cached: dict | None = None) -> None:
    """Install the dispatch index: the cached one shipped with the weights when it matches the rules, else build it
    (parsing every pattern, ~50 ms)."""
    global DISPATCH, PAIR_KEYS, WORD_KEYS, _ready
    index = None
    if cached and cached.get("digest") == rules_digest():
        index = cached.get("keys")
    if not index:
        index = build_index()[0]
    DISPATCH = {k: tuple(v) for k, v in index.items()}
    PAIR_KEYS = frozenset(k for k in DISPATCH if " " in k)
    WORD_KEYS = frozenset(k for k in DISPATCH if " " not in k)
    _ready = True


def _compile(n: int) -> re.Pattern:
    rx = _RULE_RX[n] = re.compile(PATTERNS[n][1].replace("'", _APOS), _FLAGS)
    return rx


_join2 = " ".join


def analyse(text: str) -> tuple[list[str], list[tuple[str, int, int]]]:
    """Tokens (lower-case words and . ! ?) and the non-overlapping cue matches ``(rule key, start, end)``."""
    tokens, _pairs, cues, _parts = scan(text)
    return tokens, cues


def scan(text: str) -> tuple[list[str], list[str], list[tuple[str, int, int]], list[str]]:
    """``analyse`` plus what the scorer reuses: the adjacent word pairs ("a b", the first one is ". <first token>",
    so pairs[i] ends at token i) and the split parts (token i is parts[2i+1])."""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    low = text.lower()
    if len(low) != len(text):  # rare: a character whose lower case is longer; keep spans honest
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if "’" in low:
        low = low.replace("’", "'")
    if not _ready:
        prepare()
    parts = SPLIT_RE.split(low)
    tokens = parts[1::2]
    cues: list[tuple[str, int, int]] = []
    if not tokens:
        return tokens, [], cues, parts
    # pairs[i] = "<token i-1> <token i>" (". " before the first token): the bigram features of the model, and
    # pairs[i + 1] is the two-word dispatch key at token i
    pairs = list(map(_join2, zip(_START + tokens, tokens)))
    hit2 = PAIR_KEYS.intersection(pairs)
    hit1 = WORD_KEYS.intersection(tokens)
    if not hit2 and not hit1:
        return tokens, pairs, cues, parts
    n = len(tokens)
    if hit2:
        cands = set(compress(range(-1, n - 1), map(hit2.__contains__, pairs)))
        if hit1:
            cands.update(compress(range(n), map(hit1.__contains__, tokens)))
        cands = sorted(cands)
    else:
        cands = compress(range(n), map(hit1.__contains__, tokens))
    get = DISPATCH.get
    rxs = _RULE_RX
    starts = list(accumulate(map(len, parts)))
    end = 0
    for i in cands:
        if i < 0:
            continue
        pos = starts[2 * i]
        if pos < end:
            continue
        rules = get(pairs[i + 1]) if i < n - 1 else None
        if rules is None:
            rules = get(tokens[i])
            if rules is None:
                continue
        for r in rules:
            rx = rxs[r] or _compile(r)
            hit = rx.match(low, pos)
            if hit is not None:
                end = hit.end()
                cues.append((_RULE_KEY[r], pos, end))
                break
    return tokens, pairs, cues, parts


_START = ["."]


def lower_text(text: str) -> str:
    """The lower-cased, apostrophe-normalised prefix that ``analyse`` works on (same length as the input)."""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low.replace("’", "'")


def token_span(text: str, first: int, last: int, parts: list[str] | None = None) -> tuple[int, int]:
    """Character span from the start of token ``first`` to the end of token ``last`` (indices into ``analyse``);
    ``parts`` are the split parts from ``scan`` (recomputed if None)."""
    if parts is None:
        parts = SPLIT_RE.split(lower_text(text))
    else:
        parts = parts[: 2 * last + 2]
    starts = list(accumulate(map(len, parts)))
    return starts[2 * first], starts[2 * last + 1]

"""Plain word handling shared by scenario validation, scenario authoring and plan wording checks.

Stdlib only, so any command can use it without loading the reading stack.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")

# Function words: they carry no topic, so they may not be cues and never count as shared content.
STOPWORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each even
ever every few for from further get gets got had hadn't has hasn't have haven't having he he'd he'll he's her here
here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's
like made make may me might more most much must mustn't my myself never no nor not now of off on once one only or
other others ought our ours ourselves out over own quite rather really said same say says see seem seemed shall
shan't she she'd she'll she's should shouldn't since so some still such than that that's the their theirs them
themselves then there there's these they they'd they'll they're they've thing things think this those though
through to too under until up upon us very was wasn't way we we'd we'll we're we've well were weren't what what's
when when's where where's whether which while who who's whom why why's will with won't would wouldn't yes yet you
you'd you'll you're you've your yours yourself yourselves felt feel feels thought know knew went go going come came
want wanted need needed also ok okay oh hi hello thanks thank please sorry
""".split())


# Content words too vague to point at a topic on their own ("lack", "good", "stuff"): never a generated cue.
GENERIC_WORDS = frozenset("""
really lot lots bit good bad better best worse stuff maybe perhaps probably kind sort enough getting something
anything everything nothing someone anyone everyone guess seems little pretty many lack lacked lacking held hold
holding back sure candidate person job role position thing things yeah actually basically honestly totally
""".split())


def words(text: str) -> list[str]:
    """Lower-case words of TEXT (apostrophes kept inside words: "wasn't")."""
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


def content_words(text: str) -> list[str]:
    """The words of TEXT that can carry a topic: no stopwords, no numbers, at least three letters."""
    return [w for w in words(text) if w not in STOPWORDS and len(w) >= 3 and not w.isdigit()]


def topic_words(text: str) -> list[str]:
    """Content words of TEXT that can point at a topic on their own: no stopwords, no generic words."""
    return [w for w in content_words(text) if w not in GENERIC_WORDS]


def longest_shared_run(a: str, b: str) -> int:
    """The length, in words, of the longest run of consecutive words that A and B share."""
    wa, wb = words(a), words(b)
    best = 0
    prev = [0] * (len(wb) + 1)
    for x in wa:
        cur = [0] * (len(wb) + 1)
        for j, y in enumerate(wb, 1):
            if x == y:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best

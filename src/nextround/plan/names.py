"""The practice scenario's own names: its characters, and the teams and products they mention.

Practice is practice: the user's real manager will name other people. So the plan's actions speak of roles ("your
manager", "someone your manager suggests"), and a scenario's names appear only inside quotes of what was said in
practice. The names are found generically, from the scenario itself: the counterpart's name, and every word the
scenario writes with a capital letter in the middle of a sentence but never in lower case (Priya, Raman, Ledger),
apart from acronyms and numbered places (VP, SBAR, Q3, 4 West).
"""

from __future__ import annotations

import re
from functools import lru_cache

from nextround.scenario import Scenario
from nextround.words import STOPWORDS

_MID_SENTENCE = re.compile(r"(?<=[a-z,;:)] )([A-Z][a-z][\w'’-]*)")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"")


def _texts(scenario: Scenario) -> list[str]:
    out = [scenario.description, scenario.counterpart.style]
    lines = scenario.lines.model_dump()
    stack: list = [lines]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    for insight in scenario.insights:
        out += [*insight.layers, insight.knows, insight.action.action, insight.action.first_step,
                insight.action.measure]
    return out


@lru_cache(maxsize=64)
def _names(scenario_json: str) -> frozenset[str]:
    scenario = Scenario.model_validate_json(scenario_json)
    texts = _texts(scenario)
    lower = {w for t in texts for w in _WORD.findall(t) if w[:1].islower()}
    found = {p.strip("'’") for p in scenario.counterpart.name.split() if len(p) > 1 and p[:1].isupper()}
    for text in texts:
        for match in _MID_SENTENCE.finditer(text):
            word = re.sub(r"['’]s$", "", match.group(1))
            before = text[: match.start()].rstrip()
            if before[-1:].isdigit() or word.lower() in STOPWORDS or word.lower() in lower or word == "I":
                continue
            found.add(word)
    return frozenset(found)


def practice_names(scenario: Scenario) -> frozenset[str]:
    """The names of SCENARIO's people (and teams, products) that must stay inside quotes of practice."""
    return _names(scenario.model_dump_json())


def names_in(text: str, names: frozenset[str] | set[str]) -> list[str]:
    """The practice names TEXT uses outside quotes (“…”)."""
    bare = _QUOTED.sub(" ", text)
    return [n for n in sorted(names) if re.search(rf"\b{re.escape(n)}\b", bare)]

"""What practice said, as words: the rule every statement of the plan keeps ("only what was said").

A text adds a fact when it has a content word that nothing said in practice holds. Words are compared loosely
(plural and possessive endings dropped), and the plan's own vocabulary (meetings, steps, dates, numbers: words
any plan uses whatever was said) never counts as a fact.
"""

from __future__ import annotations

from nextround.words import content_words

#: Words any plan uses whatever practice said: the meetings and roles, doing and checking, time and counting.
PLAN_WORDS = frozenset("""
    ask asked asking answer answers agree agreed action actions act after again ahead along another area before
    book call check comment comments direction point points short
    choose conversation conversations date dated day days decide decision did doing done draft each end feedback
    first follow follow-up goal help hold job keep last later let list make manager meeting meetings month months
    name named need next note notes offer offered one open page plan planning practice practise progress put
    question questions real rehearse role say see send set start started step steps suggest suggested take talk
    talks team teams thing things time today week weeks work write written year years your you
    two three four five six seven eight nine ten twelve half quarter quarters minutes hour hours
""".split())


def stem(word: str) -> str:
    """WORD without a plural or possessive ending, so "costs" and "cost's" count as "cost"."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def fact_words(text: str) -> set[str]:
    """The content words of TEXT that could carry a fact (stemmed; the plan's own vocabulary left out)."""
    return {stem(w) for w in content_words(text)} - {stem(w) for w in PLAN_WORDS}


def new_facts(text: str, said: str) -> list[str]:
    """Fact words of TEXT that SAID (everything said in practice, and any other allowed text) does not hold."""
    return sorted(fact_words(text) - {stem(w) for w in content_words(said)})

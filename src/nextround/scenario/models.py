"""Scenario files: the pydantic models (schema 2).

A scenario describes one counterpart (the hiring manager, or your own manager), the lines the offline counterpart
speaks for each kind of move, and the hidden insights the engine may unlock. The schema is the same for every
field of work: the built-in scenarios are examples of it, not a template to patch.

Each insight carries everything the moves need: varied example asks (the topic matcher compares a line with them
by meaning), a short ``about`` phrase (used when the counterpart asks which topic was meant), the first answer
(``reveal``), follow-up layers (``deeper``), and one ``takeaways`` sentence per layer (the reveal's first, then
one per deeper layer): the plan states only the layers a session reached, so each says what its own layer said and
nothing from a later one. A file with a single ``takeaway`` (the earlier form) is upgraded on load
(`nextround.scenario.legacy.upgrade_takeaways`).
"""

from __future__ import annotations

from string import Formatter
from typing import Literal

from pydantic import Field, field_validator, model_validator

from nextround.schema import StrictModel
from nextround.words import STOPWORDS, words

Kind = Literal["feedback", "career"]
Area = Literal["skill", "visibility", "relationships", "networking", "job-search"]
StockQuestion = Literal["why_not_selected", "what_it_takes", "prospects", "manager_values", "path_here"]
Signal = Literal["path-open", "path-closed", "manager-advocates", "manager-lukewarm"]

#: How many example asks each insight needs, so the topic matcher has several phrasings to compare with.
MIN_EXAMPLES = 8
#: The placeholders a line may use, by the move it is spoken for; any other ``{name}`` is an error.
PLACEHOLDERS = {"clarify": {"options"}, "exhausted": {"about"}, "advise": {"action", "first_step"}}

# Lists added after schema 2 first shipped. A file without them still loads: these neutral lines fit any
# counterpart (the built-in scenarios write their own).
DEFAULT_ADVISE = [
    "If I were in your place, I'd act on it like this. {action} I'd start here. {first_step}",
    "Here's what I'd suggest. {action} You could start this week. {first_step}",
    "Let me make that practical. {action} For a first step, I'd do this. {first_step}",
]
DEFAULT_LEAVING = [
    "That's your call to make. Before you decide, would it help to talk about what would make staying worth it?",
    "That's up to you, and I'd understand either way. I'd still like to hear what would need to change for you "
    "to stay.",
    "It's your decision. If there's something that would make this place worth staying for, I'd rather hear it "
    "now.",
    "I can't make that choice for you. What I can do is talk through what a path here would look like, if you "
    "want that.",
]


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    except ValueError as exc:  # an unmatched brace
        raise ValueError(f"{text[:40]!r}…: {exc} (write {{{{ or }}}} for a literal brace)") from None


def _check_lines(lines: list[str], allowed: set[str], required: set[str] = frozenset()) -> list[str]:
    seen: set[str] = set()
    for line in lines:
        names = _placeholders(line)
        unknown = names - allowed
        if unknown:
            raise ValueError(f"unknown placeholder {{{sorted(unknown)[0]}}} in {line[:40]!r}… "
                             f"(allowed here: {', '.join('{' + a + '}' for a in sorted(allowed)) or 'none'})")
        missing = required - names
        if missing:
            raise ValueError(f"{line[:40]!r}… must contain {{{sorted(missing)[0]}}}")
        key = " ".join(line.lower().split())
        if key in seen:
            raise ValueError(f"repeats the line {line[:40]!r}…")
        seen.add(key)
    return lines


def _lines(minimum: int, description: str):
    return Field(min_length=minimum, description=description)


class Counterpart(StrictModel):
    name: str = Field(min_length=1)
    role: str = Field(min_length=1)
    style: str = Field(min_length=1, description="how they talk, used by the model renderer")


class PlanAction(StrictModel):
    area: Area
    action: str = Field(min_length=1)
    first_step: str = Field(min_length=1)
    measure: str = Field(min_length=1)
    due_days: int = Field(ge=1, le=365, description="days from the plan date")


class Insight(StrictModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    title: str = Field(min_length=1, max_length=160)
    about: str = Field(
        min_length=3, max_length=90,
        description="a short phrase naming the topic from the user's side, e.g. 'how your interview answers came "
                    "across'; used in clarifying questions ('Do you mean A, or B?') and in hints",
    )
    examples: list[str] = Field(
        min_length=MIN_EXAMPLES,
        description="varied ways a person might ask about this topic (different people, registers and words)",
    )
    cues: list[str] = Field(
        default_factory=list,
        description="optional content words or short phrases that point at the topic; one signal, never the gate",
    )
    min_candor: int = Field(ge=0, le=100)
    volunteer: bool = Field(
        default=True, description="may be offered unasked on an open request for advice; false = only on a direct ask"
    )
    knows: str = Field(min_length=1, description="what the counterpart knows; given to a model only once unlocked")
    reveal: str = Field(min_length=20, description="the first answer: the substance, not a teaser")
    deeper: list[str] = Field(min_length=1, description="follow-up layers, in order, for asks on the same topic")
    takeaways: list[str] = Field(
        min_length=2,
        description="one sentence per layer, to the user ('Your answers…'): the reveal's first, then one per deeper "
                    "layer, each saying only what that layer said, with no practice character's name (the plan "
                    "uses them for the layers a session reached); a quoted line (“…”) stands for the layer itself",
    )
    ask_hint: str = Field(min_length=1, description="the kind of question that opens it")
    informs: list[StockQuestion] = Field(default_factory=list)
    signal: Signal | None = None
    offer: bool = Field(
        default=False, description="the reveal offers something concrete (a project to lead, a slot, an introduction): "
                                   "the plan turns it into something to ask about in the real meeting",
    )
    action: PlanAction

    @model_validator(mode="before")
    @classmethod
    def _one_takeaway_per_layer(cls, data):
        from nextround.scenario.legacy import upgrade_takeaways

        return upgrade_takeaways(data)

    @property
    def layers(self) -> list[str]:
        """What the counterpart says about the insight, in order: the reveal, then each deeper layer."""
        return [self.reveal, *self.deeper]

    @property
    def takeaway(self) -> str:
        """The whole insight in one sentence: the last layer's takeaway (true once every layer was said)."""
        return self.takeaways[-1]

    @field_validator("examples")
    @classmethod
    def _examples_distinct(cls, examples: list[str]) -> list[str]:
        cleaned = [" ".join(e.split()) for e in examples]
        if any(not e for e in cleaned):
            raise ValueError("an example is empty")
        if len({e.lower() for e in cleaned}) != len(cleaned):
            raise ValueError("repeats an example")
        if any(len(e) > 300 for e in cleaned):
            raise ValueError("an example is longer than 300 characters")
        return cleaned

    @field_validator("cues")
    @classmethod
    def _cues_are_content_words(cls, cues: list[str]) -> list[str]:
        cleaned: list[str] = []
        for cue in cues:
            cue = " ".join(cue.lower().split())
            if not cue:
                continue
            tokens = words(cue)
            if not tokens or all(t in STOPWORDS for t in tokens):
                raise ValueError(f"the cue {cue!r} is only function words; cues must carry the topic")
            if len(tokens) == 1 and len(tokens[0]) < 3:
                raise ValueError(f"the cue {cue!r} is too short to point at a topic")
            if cue not in cleaned:
                cleaned.append(cue)
        return cleaned

    @model_validator(mode="after")
    def _takeaway_per_layer(self) -> "Insight":
        if len(self.takeaways) != len(self.layers):
            raise ValueError(f"takeaways: {len(self.takeaways)} given for {len(self.layers)} layers (the reveal and "
                             f"{len(self.deeper)} deeper); write one per layer, in order")
        for text in self.takeaways:
            if not 10 <= len(text.strip()) <= 300:
                raise ValueError(f"takeaways: {text[:40]!r} should be one sentence of 10 to 300 characters")
        return self

    @field_validator("deeper")
    @classmethod
    def _deeper_distinct(cls, deeper: list[str]) -> list[str]:
        return _check_lines(deeper, set())

    @field_validator("reveal")
    @classmethod
    def _reveal_plain(cls, reveal: str) -> str:
        _check_lines([reveal], set())
        return reveal


class AcknowledgeLines(StrictModel):
    """Replies in kind to a line that asks nothing: thanks, an apology, a named feeling, acceptance, a follow-up."""

    thanks: list[str] = _lines(2, "the user thanks them")
    apology: list[str] = _lines(2, "the user apologises for something they said or did")
    feeling: list[str] = _lines(2, "the user names a feeling (disappointment, frustration) while staying open")
    accept: list[str] = _lines(2, "the user accepts the outcome or owns their part, without asking anything")
    followup: list[str] = _lines(2, "the user asks to check back or meet again")

    @model_validator(mode="after")
    def _plain(self) -> "AcknowledgeLines":
        for name in type(self).model_fields:
            _check_lines(getattr(self, name), set())
        return self


class ClosingLines(StrictModel):
    """The goodbye reflects how it went: warm after a good talk, neutral, cool after a hostile or empty one."""

    warm: list[str] = _lines(2, "candor rose and nothing adversarial stuck")
    neutral: list[str] = _lines(2, "an unremarkable or very short talk")
    cool: list[str] = _lines(2, "a hostile or sarcastic talk, or one where candor fell")

    @model_validator(mode="after")
    def _plain(self) -> "ClosingLines":
        for name in type(self).model_fields:
            _check_lines(getattr(self, name), set())
        return self


class Lines(StrictModel):
    opening: str = Field(min_length=1)
    acknowledge: AcknowledgeLines
    clarify: list[str] = _lines(2, "a sincere question that could mean two topics, or none: ask which; "
                                   "must contain {options}")
    deflect: list[str] = _lines(2, "a topic was asked but candor is too low: stay general, share nothing")
    exhausted: list[str] = _lines(2, "everything on the topic has been said: say so plainly; may use {about}")
    procedural: list[str] = _lines(3, "the user contests or appeals the decision: the decision stands, the route "
                                      "for process concerns, and an offer to talk about next time")
    cool: list[str] = _lines(3, "sarcasm, hostility, blame or resentment: brief, cool, no warmth, no reward")
    leaving: list[str] = Field(default_factory=lambda: list(DEFAULT_LEAVING), min_length=2,
                               description="talk of leaving or an ultimatum: that's your call, with an opening to "
                                           "talk about what would make staying worth it")
    advise: list[str] = Field(default_factory=lambda: list(DEFAULT_ADVISE), min_length=2,
                              description="every layer of a topic was said and the user asks how to act on it: "
                                          "advice from the insight's plan action; must contain {action} and "
                                          "{first_step}")
    small_talk: list[str] = _lines(2, "small talk: answer briefly and steer back")
    steer: list[str] = _lines(3, "a statement that asks nothing: invite them to ask what they came to ask")
    closing: ClosingLines

    @model_validator(mode="after")
    def _placeholders_fit(self) -> "Lines":
        _check_lines([self.opening], set())
        _check_lines(self.clarify, PLACEHOLDERS["clarify"], required={"options"})
        _check_lines(self.exhausted, PLACEHOLDERS["exhausted"])
        _check_lines(self.advise, PLACEHOLDERS["advise"], required=PLACEHOLDERS["advise"])
        for name in ("deflect", "procedural", "cool", "leaving", "small_talk", "steer"):
            _check_lines(getattr(self, name), set())
        return self


class Scenario(StrictModel):
    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    kind: Kind
    field: str | None = Field(default=None, description="the field of work, e.g. 'nursing' or 'software engineering'")
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    counterpart: Counterpart
    start_candor: int = Field(default=50, ge=0, le=100)
    lines: Lines
    insights: list[Insight] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique_ids(self) -> "Scenario":
        seen: set[str] = set()
        for insight in self.insights:
            if insight.id in seen:
                raise ValueError(f"duplicate insight id {insight.id!r}")
            seen.add(insight.id)
        abouts = [i.about.lower() for i in self.insights]
        if len(set(abouts)) != len(abouts):
            raise ValueError("two insights share the same 'about' phrase, so a clarifying question could not "
                             "tell them apart")
        return self

    def insight(self, insight_id: str) -> Insight:
        for insight in self.insights:
            if insight.id == insight_id:
                return insight
        raise KeyError(insight_id)

    @property
    def insight_ids(self) -> list[str]:
        return [i.id for i in self.insights]

"""A new scenario drafted by a model: the slot texts of the field-neutral templates, in the user's field.

A whole scenario is far too much for a small local model to write in one reply, and most of it (the lines for
every move, the example asks the topic matcher needs, the plan actions) is the same for any job. So the model is
asked for the few texts that make a scenario someone's own: the words of their field (`team`, `peers`,
`people`), the experience they could build (`stretch`) and where leaders see work (`forum`), the gap the
counterpart names and, for the feedback meeting, what tipped it to the other candidate. The offline values are
given as the draft to rewrite.

A reply is used only if, merged into the offline composition, it passes the same checks and the same schema
(`nextround.scenario.author.problems`, then `Scenario`): no run of the user's own words in anything the
counterpart says, no engineering words they never used. The structured-output chain retries once with the
problem spelled out; after that the caller keeps the offline composition.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import Field, create_model

from nextround.scenario.author import (
    MAX_SHARED_RUN,
    Answers,
    Authored,
    build_offline,
    compose_checked,
    engineering_terms,
    offline_slots,
    validate,
)
from nextround.scenario.loading import ScenarioError
from nextround.schema import StrictModel
from nextround.words import longest_shared_run

_NO_MARKUP = '{}"\\n'
NOUN = r"^[a-z][a-z' -]{0,38}[a-z]$"
PHRASE = r"^[a-z][^.!?%s]{5,118}[a-z)]$" % _NO_MARKUP
GERUND = r"^[a-z]+ing [^.!?%s]{4,140}$" % _NO_MARKUP
FORUM = r"^the [^.!?%s]{3,60}$" % _NO_MARKUP
SENTENCES = r"^[A-Z][^%s]{18,298}[.!?]$" % _NO_MARKUP

#: slot -> (pattern, what the model is asked for). The slot names are the templates' own.
SLOTS: dict[str, tuple[str, str]] = {
    "team": (NOUN, "what they call their own group at work, in lower case, e.g. unit, department, store"),
    "peers": (NOUN, "colleagues at their level, plural, in lower case, e.g. nurses, teachers, reps"),
    "people": (NOUN, "who their work is for, plural, in lower case, e.g. patients, students, customers"),
    "stretch": (GERUND, "a way to practise the next role now, starting with an -ing word"),
    "forum": (FORUM, "a regular meeting where senior people see staff present their work, starting with 'the'"),
    "gap_what": (PHRASE, "a short phrase naming what held them back, in lower case, no full stop"),
    "gap_showed": (SENTENCES, "one or two sentences, to them, on how the panel saw that gap"),
    "gap_day": (SENTENCES, "one or two sentences, to them, on how their manager sees that gap day to day"),
    "gap_better": (SENTENCES, "one or two sentences, to them, on what a stronger showing would look like"),
    "winner_what": (PHRASE, "a short phrase naming what the other candidate had, in lower case, no full stop"),
    "winner_showed": (SENTENCES, "one or two sentences on how that showed, about the other candidate"),
}
KIND_SLOTS = {
    "feedback": ("team", "peers", "people", "stretch", "forum", "gap_what", "gap_showed", "gap_better",
                 "winner_what", "winner_showed"),
    "career": ("team", "peers", "people", "stretch", "forum", "gap_what", "gap_day", "gap_better"),
}
#: How much of each answer the prompt carries.
ANSWER_CHARS = 400
CONVERSATION = {
    "feedback": "asking the hiring manager who chose another candidate for feedback",
    "career": "a career talk with their own manager after being turned down",
}


def draft_model(kind: str) -> type[StrictModel]:
    """The reply a model fills for KIND: one required text per slot, each held to the shape its place needs."""
    return create_model(
        f"ScenarioDraft_{kind}", __base__=StrictModel,
        **{slot: (str, Field(pattern=SLOTS[slot][0], description=SLOTS[slot][1])) for slot in KIND_SLOTS[kind]},
    )


@dataclass
class Draft:
    authored: Authored | None  # None: the model's draft was not usable
    problem: str | None = None
    attempts: int = 0


def draft_messages(answers: Answers) -> list:
    from nextround.models.prompts import scenario_draft_template

    slots, _, _, _ = offline_slots(answers)
    draft = {slot: slots[slot] for slot in KIND_SLOTS[answers.kind]}
    return scenario_draft_template().format_messages(
        conversation=CONVERSATION[answers.kind], role=_given(answers.role_applied), field=_given(answers.field),
        winner=_given(answers.winner), held_back=_given(answers.held_back),
        draft=json.dumps(draft, ensure_ascii=False, indent=1),
    )


def _given(answer: str) -> str:
    # Small local models have little context: a long answer is cut, not sent whole.
    if not answer:
        return "(not given)"
    return answer if len(answer) <= ANSWER_CHARS else answer[:ANSWER_CHARS].rsplit(" ", 1)[0] + " …"


def _composed(answers: Answers, overrides: dict[str, str]) -> tuple[dict[str, Any] | None, list[str]]:
    """The composition with the model's texts, and what is wrong with them (nothing: usable). The model's own
    texts are held to the rules first, so a retry can name the text to change."""
    own = answers.own_words()
    found = [f"{slot} repeats {longest_shared_run(text, answer)} consecutive words of the answer to {option}; "
             "use your own words"
             for slot, text in overrides.items() for option, answer in own.items()
             if longest_shared_run(text, answer) >= MAX_SHARED_RUN]
    terms = engineering_terms(list(overrides.values()), answers)
    if terms:
        found.append(f"uses engineering words the person never used ({', '.join(terms[:5])}); use words of their "
                     "field")
    if found:
        return None, found
    composition, left, level = compose_checked(answers, overrides)
    if level == 2:  # only neutral words avoided the user's own: the draft itself is not what gets written
        return None, left or ["the draft repeats the person's words where it meets the templates"]
    return composition.data, left


def draft_scenario(answers: Answers, model: Any, *, method: str = "auto") -> Draft:
    """Ask MODEL for the slot texts and compose the scenario with them. Transport failures raise LLMError."""
    from nextround.models.chat import model_label
    from nextround.models.prompts import scenario_draft_template
    from nextround.models.structured import ask_structured

    cls = draft_model(answers.kind)
    source = f"new scenario {answers.name or answers.kind}"

    def check(value: StrictModel) -> None:
        data, found = _composed(answers, value.model_dump())
        if found:
            raise ValueError("; ".join(found[:3]))
        try:
            validate(data, source)
        except ScenarioError as exc:
            raise ValueError(str(exc).removeprefix(f"{source}: ")) from None

    template = scenario_draft_template()
    result = ask_structured(model, draft_messages(answers), cls, name="scenario_draft", method=method,
                            max_tokens=template.max_tokens, temperature=template.temperature, check=check)
    if result.value is None:
        return Draft(None, problem=result.error or "no usable reply", attempts=result.attempts)
    data, _ = _composed(answers, result.value.model_dump())
    scenario = validate(data, source)
    vocabulary = offline_slots(answers)[1].key
    return Draft(Authored(scenario=scenario, data=data, drafted_by=model_label(model), field=vocabulary),
                 attempts=result.attempts)


def author_scenario(answers: Answers, settings: Any = None) -> Authored:
    """The scenario for ANSWERS: drafted by the model when SETTINGS configure one, else (or if the model fails)
    composed offline. A model failure is one warning line in the result, never an error."""
    offline = build_offline(answers)
    if settings is None or not getattr(settings, "uses_model", False):
        return offline
    from nextround.models.errors import LLMError
    from nextround.models.client import build_model

    try:
        drafted = draft_scenario(answers, build_model(settings), method=settings.structured_output)
    except LLMError as exc:
        offline.warning = f"warning: {exc}; wrote the offline composition instead"
        return offline
    if drafted.authored is None:
        offline.warning = (f"note: the model's draft was not usable ({drafted.problem}); "
                           "wrote the offline composition instead")
        return offline
    return drafted.authored

"""Plan drafting by a model: the offline builder's plan, in the model's words.

The offline builder (`nextround.plan.build_plan`) already gets the facts right: which take-stock questions the
sessions answered, the evidence quotes with session and turn, the decision's path, the actions with their sources
and due dates, the milestones and the check-in. What a model can add is wording. So the model is asked for a
small, flat structure (`PlanWording`), built for this plan:

- ``answers``: one plain-language answer per take-stock question the sessions *revealed* (fixed keys: exactly the
  known question ids, so a server that turns the schema into a grammar, like llama.cpp, cannot add others);
- ``why``: the decision's reasoning in plain words (the path itself is not the model's to change);
- ``actions``: ``{index, action, first_step}`` rewording each existing action, by its number in the plan.

The wording is validated (lengths, indexes in range and each used once, no answer for a question practice left
open, no other path named, no date the plan does not hold, and no fact practice did not state: a content word that
is neither in the offline plan, nor in anything said in the sessions, nor in the plan's own vocabulary
(`nextround.plan.said`)), retried once with the problem spelled out, and
merged into the offline plan. Everything else stays the builder's. A draft that cannot be used leaves the
offline plan, with a note saying why.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import Field, create_model, model_validator

from nextround.models.chat import ChatModel, model_label
from nextround.models.errors import LLMError
from nextround.models.prompts import plan_template
from nextround.models.structured import ask_structured
from nextround.plan.builder import build_plan
from nextround.plan.said import new_facts
from nextround.plan.schema import QUESTIONS, Plan
from nextround.plan.select import Chosen
from nextround.schema import StrictModel
from nextround.store import SessionRecord

ANSWER_CHARS = (12, 300)
WHY_CHARS = (20, 400)
STEP_CHARS = (8, 180)
PATHS = ("stay-and-build", "build-and-network", "search-now")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_NUMBER = re.compile(
    r"\b(?:\d+(?:[.,]\d+)?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"half|dozen)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z]{5,}")
_COMMON = {"about", "after", "again", "along", "being", "could", "every", "other", "there", "their", "these",
           "thing", "think", "those", "which", "while", "would", "where", "should", "really", "still", "making"}


def _numbers(text: str) -> set[str]:
    return {m.lower() for m in _NUMBER.findall(text)}


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _COMMON}


def _sentences(low: int, high: int, *, one: bool = False, first: str = "") -> str:
    """A pattern for plain sentences (`one`: a single sentence; `first`: the word it must start with): a capital
    first, a full stop (or ! ?) last, and no quotes, brackets, ellipses or line breaks (quotes belong to the
    evidence). A grammar-constrained server is held to it while generating, which keeps a small model from
    rambling on and, with `first`, on the item it is rewording."""
    inner = r'"\\(){}\[\]<>“”…`\n' + (".!?" if one else "")
    if first:
        return r"^%s [^%s]{%d,%d}[.!?]$" % (first, inner, max(low - len(first) - 2, 1), high - len(first) - 2)
    return r"^[A-Z][^%s]{%d,%d}[.!?]$" % (inner, low - 2, high - 2)


def _first_word(text: str) -> str:
    word = text.split(maxsplit=1)[0] if text.split() else ""
    return word if word.isalpha() and word[:1].isupper() else ""


@dataclass
class PlanDraft:
    plan: Plan
    by_model: bool  # False: the offline builder's plan (no model, or the model's wording was not usable)
    problem: str | None = None  # why the model's wording was not used


_Flat = StrictModel  # the plan's wording is validated like every other model reply


class ActionWording(_Flat):
    index: int = Field(description="the action's number in the plan (1 = the first action)")
    action: str = Field(min_length=STEP_CHARS[0], max_length=STEP_CHARS[1], pattern=_sentences(*STEP_CHARS, one=True),
                        description="what to do, reworded")
    first_step: str = Field(min_length=STEP_CHARS[0], max_length=STEP_CHARS[1], pattern=_sentences(*STEP_CHARS, one=True),
                            description="a concrete first step, doable this week, reworded")


class PlanWording(_Flat):
    """The model's part of a plan: wording only. `wording_model` narrows it to one plan's questions and actions."""

    answers: dict[str, str] = Field(default_factory=dict, description="question id -> plain-language answer")
    why: str = Field(min_length=WHY_CHARS[0], max_length=WHY_CHARS[1], pattern=_sentences(*WHY_CHARS),
                     description="the decision's reasoning")
    actions: list[ActionWording] = Field(default_factory=list)


def wording_model(offline: Plan) -> type[PlanWording]:
    """`PlanWording` for this plan: one required answer field per *known* question (and no other), action indexes
    limited to the plan's actions, exactly one wording per action. Fixed keys and enums let a grammar-constrained
    server (llama.cpp) produce only what can be used."""
    known = [a.id for a in offline.take_stock if a.known]
    open_ids = [a.id for a in offline.take_stock if not a.known]

    class _Answers(_Flat):
        @model_validator(mode="before")
        @classmethod
        def _only_known(cls, data: Any) -> Any:
            if isinstance(data, dict):
                claimed = [k for k in data if k in open_ids]
                if claimed:
                    raise ValueError(
                        f"practice did not reveal {', '.join(claimed)}, so give no answer for "
                        f"{'it' if len(claimed) == 1 else 'them'}; answer only {', '.join(known) or 'nothing'}"
                    )
            return data

    answers = create_model("Answers", __base__=_Answers, **{
        qid: (str, Field(min_length=ANSWER_CHARS[0], max_length=ANSWER_CHARS[1], pattern=_sentences(*ANSWER_CHARS),
                         description=f"plain-language answer to: {QUESTIONS[qid]}"))
        for qid in known
    })
    # One item per action, in the plan's order, each with its own fixed index (a JSON schema "prefixItems" tuple).
    items = tuple(
        create_model(
            f"Action{i}", __base__=ActionWording,
            index=(Literal[i], Field(description=f"action {i}")),
            action=(str, Field(min_length=STEP_CHARS[0], max_length=STEP_CHARS[1],
                               pattern=_sentences(*STEP_CHARS, one=True, first=_first_word(a.action)),
                               description="what to do, reworded; starts with the same word")),
            first_step=(str, Field(min_length=STEP_CHARS[0], max_length=STEP_CHARS[1],
                                   pattern=_sentences(*STEP_CHARS, one=True, first=_first_word(a.first_step)),
                                   description="a concrete first step, reworded; starts with the same word")),
        )
        for i, a in enumerate(offline.actions, 1)
    )
    actions_field = (tuple[items] if items else tuple[()], ...)  # type: ignore[valid-type]
    return create_model("PlanWording", __base__=PlanWording, answers=(answers, ...), actions=actions_field)


def _answers_of(wording: PlanWording) -> dict[str, str]:
    answers = wording.answers
    return dict(answers) if isinstance(answers, dict) else answers.model_dump()


def _plan_text(offline: Plan) -> str:
    return " ".join(str(v) for v in _strings(offline.to_json_dict()))


def _strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def wording_check(offline: Plan, said: str = ""):
    """A check for `ask_structured`: the wording may not change the facts of the offline plan, nor add one that
    practice never stated (SAID: everything said in the sessions, both sides)."""
    allowed = f"{_plan_text(offline)} {said}"
    known = {a.id for a in offline.take_stock if a.known}
    n = len(offline.actions)
    others = [p for p in PATHS if p != offline.decision.path]
    plan_dates = set(_ISO_DATE.findall(offline.model_dump_json()))

    def check(wording: PlanWording) -> None:
        answers = _answers_of(wording)
        for qid, text in answers.items():
            if qid not in QUESTIONS:
                raise ValueError(f"answers.{qid}: not a take-stock question")
            if qid not in known:
                raise ValueError(f"answers.{qid}: practice did not reveal this, so leave it out")
            if not text.strip():
                raise ValueError(f"answers.{qid}: empty")
        missing = sorted(known - set(answers))
        if missing:
            raise ValueError(f"answers: missing {', '.join(missing)}")
        seen: set[int] = set()
        for item in wording.actions:
            if not 1 <= item.index <= n:
                raise ValueError(f"actions: index {item.index} is not an action of the plan (1 to {n})")
            if item.index in seen:
                raise ValueError(f"actions: index {item.index} is reworded twice; use each of 1 to {n} once")
            seen.add(item.index)
        # Each text next to what it rewords: it must stay on that item's subject and bring no number of its own.
        by_id = {a.id: a for a in offline.take_stock}
        texts = {f"answers.{k}": (v, by_id[k].answer) for k, v in answers.items()}
        texts["why"] = (wording.why, offline.decision.why)
        for item in wording.actions:
            source = offline.actions[item.index - 1]
            texts[f"actions[{item.index}]"] = (f"{item.action} {item.first_step}", f"{source.action} {source.first_step}")
        for where, (text, source) in texts.items():
            for other in others:
                if re.search(r"\b" + other.replace("-", r"[-\s]+") + r"\b", text, re.IGNORECASE):
                    raise ValueError(f"{where}: names the path {other}, but the plan's decision is "
                                     f"{offline.decision.path}")
            new = sorted(_numbers(text) - _numbers(source))
            if new:
                raise ValueError(f"{where}: {', '.join(new)} is not in the text it rewords; add no numbers")
            shared, needed = _content_words(text) & _content_words(source), min(2, len(_content_words(source)))
            if len(shared) < needed:
                raise ValueError(f"{where}: shares too few words with the text it rewords, so it may not say "
                                 "the same thing; keep its key words")
            for stamp in _ISO_DATE.findall(text):
                if stamp not in plan_dates:
                    raise ValueError(f"{where}: the date {stamp} is not in the plan; leave dates out")
            added = new_facts(text, allowed)
            if added:
                raise ValueError(f"{where}: {', '.join(added[:5])} {'is' if len(added) == 1 else 'are'} not in the "
                                 "plan or in what was said in practice; state only what practice said")

    return check


def merge_wording(offline: Plan, wording: PlanWording, model: str) -> Plan:
    """The offline plan with the model's wording in place: answers of known questions, the decision's why, each
    action's action and first step. Evidence, known flags, ask_next, path, sources, dates, measures, milestones
    and the check-in stay the builder's."""
    answers = _answers_of(wording)
    take_stock = [
        a.model_copy(update={"answer": answers[a.id].strip()}) if a.known and answers.get(a.id, "").strip() else a
        for a in offline.take_stock
    ]
    by_index = {item.index: item for item in wording.actions}
    actions = []
    for i, action in enumerate(offline.actions, 1):
        item = by_index.get(i)
        if item is not None:
            action = action.model_copy(update={"action": item.action.strip(), "first_step": item.first_step.strip()})
        actions.append(action)
    note = (f"Wording drafted by {model}; facts, quotes, sources and dates come from your sessions "
            "(the offline builder).")
    merged = offline.model_copy(update={
        "drafted_by": model,
        "take_stock": take_stock,
        "decision": offline.decision.model_copy(update={"why": wording.why.strip()}),
        "actions": actions,
        "notes": [*offline.notes, note],
    })
    return Plan.model_validate(merged.model_dump(by_alias=True))


def wording_source(offline: Plan) -> dict[str, Any]:
    """The offline plan's wording in the very shape the model is to fill: a small model mostly needs to copy the
    shape and rephrase the text."""
    return {
        "answers": {a.id: a.answer for a in offline.take_stock if a.known},
        "why": offline.decision.why,
        "actions": [{"index": i, "action": a.action, "first_step": a.first_step}
                    for i, a in enumerate(offline.actions, 1)],
    }


def wording_prompt(offline: Plan) -> list:
    """The messages asking for this plan's wording: only what the model is to reword."""
    draft = json.dumps(wording_source(offline), ensure_ascii=False, indent=1)
    return plan_template().format_messages(path=offline.decision.path, draft=draft)


def draft_plan(sessions: list[SessionRecord], today: date, model: ChatModel | None, *, method: str = "auto",
               request_overrides: dict[str, Any] | None = None, chosen: Chosen | None = None) -> PlanDraft:
    """The offline plan, worded by MODEL when its wording validates (no model: the offline plan). Endpoint
    failures raise LLMError."""
    offline = build_plan(sessions, today, chosen)
    if model is None:
        return PlanDraft(offline, by_model=False)
    template = plan_template()
    problem = None
    result = None
    try:
        result = ask_structured(
            model, wording_prompt(offline), wording_model(offline), name="plan_wording",
            method=method, max_tokens=template.max_tokens, temperature=template.temperature,
            options=request_overrides,
            check=wording_check(offline, " ".join(t.text for s in sessions for t in s.live_turns)),
        )
    except LLMError as exc:
        if exc.status not in {400, 413, 422}:
            raise  # unreachable, 401, 429, 5xx: the user must hear about it
        problem = f"the server refused the request: {exc.detail or exc}"
    if result is None or result.value is None:
        problem = (result.error if result is not None else problem) or "no valid wording"
        note = f"The model's wording could not be used ({problem}); this is the offline plan."
        return PlanDraft(offline.model_copy(update={"notes": [*offline.notes, note]}), by_model=False,
                         problem=problem)
    return PlanDraft(merge_wording(offline, result.value, model_label(model)), by_model=True)

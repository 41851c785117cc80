"""The plan for a set of sessions: the offline builder's, worded by a model when one is configured.

A model only rewords (see `wording`). If it cannot be reached or fails, the offline plan stands, with a note in
the plan and one warning for the terminal: a plan is always possible offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nextround.plan.builder import build_plan
from nextround.plan.schema import Plan
from nextround.plan.select import Chosen
from nextround.store import SessionRecord


@dataclass
class MadePlan:
    plan: Plan
    warning: str | None = None  # one line for stderr: the model was not used, and why
    model: str | None = None  # the model whose wording was used


def make_plan(sessions: list[SessionRecord], today: date, settings=None, chosen: Chosen | None = None) -> MadePlan:
    if settings is None or not settings.uses_model:
        return MadePlan(build_plan(sessions, today, chosen))
    from nextround.models.errors import LLMError
    from nextround.models.client import build_model
    from nextround.plan.wording import draft_plan

    try:
        draft = draft_plan(sessions, today, build_model(settings), method=settings.structured_output,
                           chosen=chosen)
    except LLMError as exc:  # unreachable, timed out, refused: the offline plan needs no model
        offline = build_plan(sessions, today, chosen)
        note = f"The model could not be used ({exc}); this is the offline plan."
        return MadePlan(offline.model_copy(update={"notes": [*offline.notes, note]}),
                        warning=f"warning: {exc}; showing the offline plan")
    if draft.problem:
        return MadePlan(draft.plan, warning=f"note: the model's plan was not usable ({draft.problem}); "
                                            "showing the offline plan")
    return MadePlan(draft.plan, model=draft.plan.drafted_by if draft.by_model else None)

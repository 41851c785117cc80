"""Plan drafting by a model: the same `Plan` structure as the offline builder, validated, or the builder's plan.

The model gets what the sessions revealed (with session/turn references) and the offline plan as a draft to
improve. Its reply must validate against `nextround.plan.Plan` and stay traced to what was said: every evidence
quote must appear in the session and turn it cites, and no date may lie before the plan's date. One retry with
the problem spelled out; then the offline plan stands (with a note saying why).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from nextround.llm import ChatClient, LLMError, Settings, build_client
from nextround.plan import QUESTIONS, Plan, build_plan, plan_to_markdown, sessions_digest
from nextround.store import SessionRecord
from nextround.structured import structured_call
from nextround.templates import fill, plan_template


@dataclass
class PlanDraft:
    plan: Plan
    by_model: bool  # False: the offline builder's plan (no model, or the model's draft was not usable)
    problem: str | None = None  # why the model's draft was not used


def _norm(text: str) -> str:
    return " ".join(text.replace("…", " ").split()).lower()


def trace_check(sessions: list[SessionRecord], today: date, offline: Plan):
    """A check for `structured_call`: the draft must answer the five questions in order, claim no answer the
    sessions did not reveal, quote what was said where it was said, and date nothing in the past."""
    turns = {(s.id, t.seq): _norm(t.text) for s in sessions for t in s.live_turns}
    known_offline = {a.id for a in offline.take_stock if a.known}

    def check(plan: Plan) -> None:
        ids = [a.id for a in plan.take_stock]
        if ids != list(QUESTIONS):
            raise ValueError(f"take_stock must answer, in this order, the questions {', '.join(QUESTIONS)}; got {', '.join(ids)}")
        for answer in plan.take_stock:
            if answer.known and answer.id not in known_offline:
                raise ValueError(f"take_stock {answer.id}: the sessions did not reveal this, so known must be false")
            if answer.known and not answer.evidence:
                raise ValueError(f"take_stock {answer.id}: a known answer needs evidence quotes")
            for e in answer.evidence:
                said = turns.get((e.session_id, e.turn))
                if said is None:
                    raise ValueError(f"evidence cites session {e.session_id} turn {e.turn}, which does not exist")
                pieces = [p for p in _norm(e.quote).split("  ") if p]
                if not all(p in said for p in pieces):
                    raise ValueError(f"evidence quote is not what was said in session {e.session_id} turn {e.turn}")
        for action in plan.actions:
            if action.due < today:
                raise ValueError(f"action {action.action!r} is due {action.due}, before the plan date {today}")
        if plan.check_in.date < today:
            raise ValueError(f"check_in.date {plan.check_in.date} is before the plan date {today}")

    return check


def draft_plan(sessions: list[SessionRecord], today: date, settings: Settings, *, client: ChatClient | None = None,
               request_overrides: dict[str, Any] | None = None) -> PlanDraft:
    """Draft the plan with the model; fall back to the offline builder. Endpoint failures raise LLMError."""
    offline = build_plan(sessions, today)
    if settings.effective_provider == "offline":
        return PlanDraft(offline, by_model=False)
    client = client or build_client(settings)
    template = plan_template()
    facts = fill(template.user, today=today.isoformat(), facts=sessions_digest(sessions))
    draft = fill(template.draft, draft=plan_to_markdown(offline))
    result = None
    problem = None
    # With the offline draft for reference first; a server with a small context gets the facts alone.
    for user in (facts + "\n\n" + draft, facts):
        messages = [{"role": "system", "content": fill(template.system)}, {"role": "user", "content": user}]
        try:
            result = structured_call(
                client, messages, Plan, name="plan", method=settings.structured_output,
                max_tokens=template.max_tokens, extra=request_overrides or None, check=trace_check(sessions, today, offline),
            )
            break
        except LLMError as exc:
            if exc.status not in {400, 413, 422}:
                raise  # unreachable, 401, 429, 5xx: the user must hear about it
            problem = f"the server refused the request: {exc.detail or exc}"
    if result is None or result.value is None:
        problem = (result.error if result is not None else problem) or "no valid plan"
        note = f"The model's draft could not be used ({problem}); this is the offline plan."
        return PlanDraft(offline.model_copy(update={"notes": [*offline.notes, note]}), by_model=False,
                         problem=problem)
    value = result.value
    take_stock = [a.model_copy(update={"question": QUESTIONS[a.id]}) for a in value.take_stock]
    drafted = value.model_copy(update={
        "generated_at": today, "sessions": offline.sessions, "drafted_by": client.model, "take_stock": take_stock,
    })
    return PlanDraft(Plan.model_validate(drafted.model_dump(by_alias=True)), by_model=True)

"""Take stock, decide, and a dated plan: the summary after practice.

One concern per module, in the order data flows:

- `select`: which sessions a plan uses (the most informative completed practice per conversation) and why;
- `findings`: what each session revealed, and the replies that carried it;
- `answers`: the five take-stock answers; `decide`: the decision's path;
- `actions`: prepare and follow up the real meetings, ranked, five at most; `dates`: due dates that fit;
- `builder`: the offline plan from all of these (deterministic);
- `wording`: a model's rewording of the offline plan (facts unchanged); `make`: the plan with or without a model;
- `markdown`, `ics`: formats (the terminal form lives in `nextround.render`); `check`: the traceability check;
- `schema`: the structure every source produces and every format renders.
"""

from nextround.plan.builder import build_plan
from nextround.plan.check import check_sources
from nextround.plan.ics import plan_to_ics
from nextround.plan.markdown import plan_to_markdown
from nextround.plan.schema import (
    QUESTIONS,
    Action,
    AskItem,
    CheckIn,
    Decision,
    Evidence,
    Milestone,
    Plan,
    Rephrase,
    SessionRef,
    StockAnswer,
)
from nextround.plan.select import SelectionError, select_sessions

__all__ = [
    "QUESTIONS", "Action", "AskItem", "CheckIn", "Decision", "Evidence", "Milestone", "Plan", "Rephrase",
    "SelectionError", "SessionRef", "StockAnswer", "build_plan", "check_sources", "plan_to_ics", "plan_to_markdown",
    "select_sessions",
]

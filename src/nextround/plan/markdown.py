"""The plan as Markdown (`--format md`, and the file form of the text output)."""

from __future__ import annotations

from nextround.plan.schema import Action, Evidence, Plan

TAKE_STOCK_LEAD = "What practice suggested. Practice is a rehearsal: check each answer in the real meetings."


def session_line(s, why: bool = True) -> str:
    """One line on a session the plan used; WHY: with its date and why it was chosen (else short enough for one
    terminal line)."""
    tone = "—" if s.mean_tone is None else f"{s.mean_tone:.0f}"
    if not why:
        return (f"Session {s.session_id}: {s.kind}, practised with {s.counterpart_name}, "
                f"{s.insights_found}/{s.insights_total} insights, tone {tone}")
    line = (f"Session {s.session_id}: {s.kind}, practised with {s.counterpart_name}, {s.started_at[:10]}, "
            f"{s.insights_found} of {s.insights_total} insights, mean tone {tone}")
    return line + (f" — {s.chosen}" if s.chosen else "")


def left_out_line(plan: Plan, limit: int = 6) -> str | None:
    if plan.selection is None or not plan.selection.left_out:
        return None
    items = [f"session {i.session_id} ({i.reason})" for i in plan.selection.left_out]
    more = len(items) - limit
    return "Left out: " + "; ".join(items[:limit]) + (f"; and {more} more" if more > 0 else "") + "."


def evidence_source(e: Evidence) -> str:
    who = "you" if e.speaker == "you" else f"{e.speaker or 'the counterpart'} in practice"
    return f"{who}, session {e.session_id} turn {e.turn}"


def _evidence(e: Evidence) -> list[str]:
    out = [f"> “{e.quote}”", ">", f"> — {evidence_source(e)}"]
    if e.asked:
        turn = f" (turn {e.asked_turn})" if e.asked_turn is not None else ""
        out += [">", f"> You had asked{turn}: “{e.asked}”"]
    return out + [""]


def _action(n: int, a: Action) -> list[str]:
    out = [f"### {n}. {a.action}", "", f"- Area: {a.area}", f"- Due: {a.due.isoformat()}"]
    if a.condition:
        out.append(f"- *{a.condition}*")
    out += [f"- First step: {a.first_step}", f"- Measure: {a.measure}"]
    if a.ask:
        out.append("- Ask, in these words:")
        for i, item in enumerate(a.ask, 1):
            out.append(f"  {i}. “{item.question}”")
            out.append(f"     {item.practice or 'Not reached in practice.'}")
    if a.bring:
        out.append("- Bring:")
        out += [f"  - {item}" for item in a.bring]
    if a.rephrase:
        out.append("- Say it better:")
        out += [f"  - “{r.said}” → “{r.better}” ({r.source})" for r in a.rephrase]
    out += [f"- Sources: {', '.join(a.sources)}", ""]
    return out


def plan_to_markdown(plan: Plan) -> str:
    out = [f"# Your plan ({plan.generated_at.isoformat()})", ""]
    if plan.sessions:
        out += ["## Sessions used", ""]
        if plan.selection is not None:
            out += [plan.selection.note, ""]
        out += [f"- {session_line(s)}" for s in plan.sessions] + [""]
        left = left_out_line(plan)
        if left:
            out += [left, ""]
    if plan.notes:
        out += ["## Notes", ""] + [f"- {n}" for n in plan.notes] + [""]
    out += ["## Take stock", "", f"*{TAKE_STOCK_LEAD}*", ""]
    quoted: set[tuple[int, int]] = set()
    for a in plan.take_stock:
        out += [f"### {a.question} ({'known' if a.known else 'open'})", "", a.answer, ""]
        for e in a.evidence:
            if (e.session_id, e.turn) in quoted:
                continue  # no quote twice: the answer cites the turn, and the quote stands above
            quoted.add((e.session_id, e.turn))
            out += _evidence(e)
        if a.ask_next:
            out += [f"**Ask next:** “{a.ask_next}”", ""]
    out += ["## Decision", "", f"**{plan.decision.path}**: {plan.decision.why}", ""]
    out += ["## Actions", ""]
    if not plan.actions:
        out += ["No actions yet.", ""]
    for i, a in enumerate(plan.actions, 1):
        out += _action(i, a)
    if plan.later:
        out += ["## Later", "", "When the actions above are under way:", ""]
        for a in plan.later:
            condition = f" {a.condition}" if a.condition else ""
            out.append(f"- {a.action} ({a.area}, due {a.due.isoformat()}).{condition} First step: {a.first_step} "
                       f"Sources: {', '.join(a.sources)}")
        out.append("")
    out += ["## Milestones", ""]
    for m in plan.milestones:
        out += [f"### {m.due.isoformat()}: {m.title}", ""] + [f"- [ ] {item}" for item in m.items] + [""]
    c = plan.check_in
    out += ["## Check-in", "", f"{c.date.isoformat()} with {c.with_}:", ""] + [f"- {item}" for item in c.agenda]
    out.append("")
    return "\n".join(out)

"""The plan as an iCalendar file: a to-do (VTODO) per action and milestone, an event (VEVENT) for the check-in.

Each item's UID comes from its content, so importing an updated plan updates items instead of duplicating them.
The check-in is 30 minutes at 10:00 in the calendar's local time (floating time). The calendar carries the full
plan: `later` items are to-dos too, marked "Later:" with the lowest priority (they are for when the actions are
under way).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta, timezone

from nextround.plan.schema import Action, Plan

CHECK_IN_AT = time(10, 0)
CHECK_IN_MINUTES = 30


def _uid(*parts: str) -> str:
    digest = hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:20]
    return f"{digest}@nextround"


def action_description(a: Action) -> str:
    lines = []
    if a.condition:
        lines.append(a.condition)
    lines += [f"First step: {a.first_step}", f"Measure: {a.measure}"]
    if a.ask:
        lines.append("Ask, in these words:")
        lines += [f"{i}. “{item.question}”" for i, item in enumerate(a.ask, 1)]
    if a.bring:
        lines.append("Bring:")
        lines += [f"- {item}" for item in a.bring]
    if a.rephrase:
        lines.append("Say it better:")
        lines += [f"- “{r.said}” → “{r.better}”" for r in a.rephrase]
    lines.append(f"Sources: {', '.join(a.sources)}")
    return "\n".join(lines)


def plan_to_ics(plan: Plan, stamp: datetime | None = None) -> bytes:
    from icalendar import Calendar, Event, Todo

    stamp = stamp or datetime.now(timezone.utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//nextround//plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "nextround plan")

    for a, later in [(a, False) for a in plan.actions] + [(a, True) for a in plan.later]:
        todo = Todo()
        todo.add("uid", _uid("action", a.area, a.action))
        todo.add("dtstamp", stamp)
        todo.add("summary", f"{'Later: ' if later else ''}{a.action} ({a.area})")
        if later:
            todo.add("priority", 9)
        todo.add("description", action_description(a))
        todo.add("due", a.due)
        todo.add("categories", [a.area])
        todo.add("status", "NEEDS-ACTION")
        cal.add_component(todo)
    for m in plan.milestones:
        todo = Todo()
        todo.add("uid", _uid("milestone", m.title, m.due.isoformat()))
        todo.add("dtstamp", stamp)
        todo.add("summary", f"Milestone: {m.title}")
        todo.add("description", "\n".join(f"- {item}" for item in m.items))
        todo.add("due", m.due)
        todo.add("categories", ["milestone"])
        todo.add("status", "NEEDS-ACTION")
        cal.add_component(todo)
    c = plan.check_in
    event = Event()
    event.add("uid", _uid("check-in", c.date.isoformat(), c.with_))
    event.add("dtstamp", stamp)
    event.add("summary", f"Career check-in with {c.with_}")
    start = datetime.combine(c.date, CHECK_IN_AT)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=CHECK_IN_MINUTES))
    event.add("description", "Agenda:\n" + "\n".join(f"- {item}" for item in c.agenda)
              + f"\n\nPlan direction: {plan.decision.path}")
    cal.add_component(event)
    return cal.to_ical()

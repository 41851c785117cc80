"""Due dates that fit what they are for.

- Due dates fall on working days: a Saturday or Sunday moves to the Monday after (to the Friday before when the
  Monday would break a deadline the text names).
- A text that names a period bounds its date: "the Q3 migration" is done within Q3 (not months before it starts),
  "by the end of March" or "within six weeks" by then, "before Q2" before Q2 starts. A quarter or month without a
  year is the next one that has not ended yet.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_BEFORE = re.compile(r"\b(?:before|ahead of|prior to|in time for)\s+(?:the\s+)?(?:start of\s+)?$", re.IGNORECASE)

_QUARTER = re.compile(r"\bQ([1-4])(?:\s+(?:of\s+)?(\d{4}))?\b|\b(first|second|third|fourth)\s+quarter\b")
_MONTH = re.compile(r"\b(" + "|".join(n.capitalize() for n in _MONTHS) + r")\b(?:\s+(\d{4}))?")
_RELATIVE = re.compile(r"\b(?:in|within|over|inside)\s+(?:the\s+next\s+)?(\d+|" + "|".join(_NUMBERS)
                       + r")\s+(day|week|month|year)s?\b", re.IGNORECASE)
_NEXT = re.compile(r"\b(this|next)\s+(quarter|month|year)\b(?!['’]s)", re.IGNORECASE)  # not "next year's case"
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def working_day(day: date) -> date:
    """DAY, or the Monday after it when it falls on a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def working_day_before(day: date) -> date:
    """DAY, or the Friday before it when it falls on a weekend."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def next_working_day(day: date) -> date:
    return working_day(day + timedelta(days=1))


def due_in(today: date, days: int) -> date:
    return working_day(today + timedelta(days=days))


@dataclass(frozen=True)
class Window:
    """The dates a text allows: on or after `first` (if set) and on or before `last`."""

    first: date | None
    last: date


def _quarter(q: int, year: int) -> tuple[date, date]:
    start = date(year, 3 * q - 2, 1)
    end_month = 3 * q
    return start, date(year, end_month, calendar.monthrange(year, end_month)[1])


def _month(m: int, year: int) -> tuple[date, date]:
    return date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1])


def _next_occurrence(span, index: int, year: int | None, today: date, before: bool) -> tuple[date, date]:
    if year is not None:
        return span(index, year)
    first, last = span(index, today.year)
    # The next one that has not ended yet (for "before X": the next one that has not started yet).
    if (first <= today) if before else (last < today):
        first, last = span(index, today.year + 1)
    return first, last


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def windows(text: str, today: date) -> list[Window]:
    """The periods TEXT names, as windows its due date must fall in."""
    found: list[Window] = []

    def add(first: date, last: date, start: int) -> None:
        if _BEFORE.search(text[:start]):
            found.append(Window(None, first - timedelta(days=1)))
        else:
            found.append(Window(first, last))

    for m in _QUARTER.finditer(text):
        q = int(m.group(1)) if m.group(1) else _ORDINAL[m.group(3).lower()]
        year = int(m.group(2)) if m.group(2) else None
        add(*_next_occurrence(_quarter, q, year, today, bool(_BEFORE.search(text[:m.start()]))), m.start())
    for m in _MONTH.finditer(text):
        name = m.group(1)
        if name == "May" and not re.search(r"\b(?:in|by|of|until|before|during|from|since)\s+$", text[:m.start()]):
            continue  # "May I…" is not a month
        year = int(m.group(2)) if m.group(2) else None
        add(*_next_occurrence(_month, _MONTHS[name.lower()], year, today,
                              bool(_BEFORE.search(text[:m.start()]))), m.start())
    for m in _RELATIVE.finditer(text):
        count = int(m.group(1)) if m.group(1).isdigit() else _NUMBERS[m.group(1).lower()]
        unit = m.group(2).lower()
        if unit == "day":
            last = today + timedelta(days=count)
        elif unit == "week":
            last = today + timedelta(weeks=count)
        else:
            last = _add_months(today, count * (12 if unit == "year" else 1))
        found.append(Window(None, last))
    for m in _NEXT.finditer(text):
        which, unit = m.group(1).lower(), m.group(2).lower()
        if unit == "quarter":
            q = (today.month - 1) // 3 + 1
            year = today.year
            if which == "next":
                q, year = (1, year + 1) if q == 4 else (q + 1, year)
            first, last = _quarter(q, year)
        elif unit == "month":
            first, last = _month(today.month, today.year)
            if which == "next":
                first, last = _month(_add_months(first, 1).month, _add_months(first, 1).year)
        else:
            year = today.year + (which == "next")
            first, last = date(year, 1, 1), date(year, 12, 31)
        add(first, last, m.start())
    return found


def fit(due: date, text: str, today: date, earliest: date | None = None) -> date:
    """DUE moved into the windows TEXT names (never before EARLIEST), on a working day."""
    latest: date | None = None
    for window in windows(text, today):
        if window.first is not None and due < window.first:
            due = window.last  # work that happens in a named period is due when the period ends
        if latest is None or window.last < latest:
            latest = window.last
    if latest is not None and due > latest:
        due = latest
    if earliest is not None and due < earliest:
        due = earliest  # ordering (prepare, meet, follow up) wins over a period that has already passed
    shifted = working_day(due)
    if latest is not None and shifted > latest and working_day_before(due) >= (earliest or today):
        return working_day_before(due)
    return shifted

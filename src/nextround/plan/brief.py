"""How much of the plan the default text form shows: one screen (at most `SCREEN_LINES` lines, aiming lower).

The default shows the take-stock answers (one or two sentences each), the decision, the actions (at most five)
with their questions, the first `LATER_SHOWN` `later` items and the check-in. `nextround plan --full` shows
everything; Markdown, JSON and ICS always carry the full plan.
"""

#: The hard limit of the default text plan, in lines.
SCREEN_LINES = 80
#: `later` items and notes the default text form shows (the rest: --full).
LATER_SHOWN = 3
NOTES_SHOWN = 2

"""Terminal output with rich: tone badges, flags, the end-of-session report and transcripts."""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from nextround.reading.types import ADVERSARIAL_AT, COLLABORATIVE_AT

SPARK = "▁▂▃▄▅▆▇█"


def console(stderr: bool = False) -> Console:
    out = Console(highlight=False, stderr=stderr)
    # Piped output should not be hard-wrapped at 80 columns: other tools read it line by line.
    out.soft_wrap = not out.is_terminal
    return out


class StreamWrapper:
    """Word-wraps text that arrives in pieces (a streamed reply) at the terminal's width."""

    def __init__(self, out: Console, start_column: int = 0):
        self.out = out
        self.width = out.width if out.is_terminal else 0  # piped output is not wrapped
        self.column = start_column
        self.pending = ""
        self.space = False

    def write(self, piece: str) -> None:
        self.pending += piece
        # Emit every complete word; keep a trailing partial word until more text arrives.
        *complete, self.pending = re.split(r"(\s+)", self.pending)
        if not self.pending and complete and complete[-1].isspace():
            self.pending = complete.pop()  # trailing space: wait to see whether more text follows
        for part in complete:
            self._emit(part)
        self.out.file.flush()

    def close(self) -> None:
        if self.pending.strip():
            self._emit(self.pending)
        self.pending = ""
        self.out.file.write("\n")
        self.out.file.flush()

    def _emit(self, part: str) -> None:
        if not part:
            return
        if part.isspace():
            if "\n" in part:
                self.out.file.write("\n")
                self.column, self.space = 0, False
            else:
                self.space = self.column > 0  # written only if the next word fits on this line
            return
        gap = 1 if self.space else 0
        if self.width and self.column and self.column + gap + len(part) > self.width:
            self.out.file.write("\n")
            self.column, gap = 0, 0
        self.out.file.write(" " * gap + part)
        self.column += gap + len(part)
        self.space = False


def tone_style(score: int | None) -> str:
    if score is None:
        return "dim"
    if score >= COLLABORATIVE_AT:
        return "green"
    if score > ADVERSARIAL_AT:
        return "yellow"
    return "red"


def sparkline(values: list[float | int | None]) -> str:
    nums = [v for v in values if v is not None]
    if not nums:
        return ""
    # Fixed 0-100 scale, so sparklines of different sessions compare.
    return "".join(SPARK[min(7, int(v / 100 * 8))] if v is not None else " " for v in values)


def badge(score: int, label: str, candor_before: int, candor_after: int, found: int, total: int) -> Text:
    delta = candor_after - candor_before
    arrow = "↑" if delta > 0 else ("↓" if delta < 0 else "→")
    text = Text("  ")
    text.append(f"tone {score:>3} {label}", style=f"bold {tone_style(score)}")
    text.append(f" · candor {candor_after} {arrow}{abs(delta) if delta else ''}", style="cyan")
    text.append(f" · insights {found}/{total}", style="magenta")
    return text


def print_flags(out: Console, flags: list[dict[str, Any]], rewrite: str | None) -> None:
    for flag in flags:
        out.print(
            f"    [red]⚑ {escape(flag['category'])}[/]: “{escape(flag['phrase'])}” — {escape(flag['why'])}"
        )
        if flag.get("better"):
            out.print(f"      [green]try:[/] {escape(flag['better'])}")
    if rewrite:
        out.print(f"    [green]whole line, rephrased:[/] {escape(rewrite)}")


def print_counterpart(out: Console, name: str, text: str) -> None:
    out.print(f"[bold blue]{escape(name)}:[/] {escape(text)}")


def print_report(out: Console, summary: dict[str, Any], title: str) -> None:
    out.print()
    out.rule(f"[bold]Report — {escape(title)}")
    tones = summary["tone_over_turns"]
    if not tones:
        out.print("No lines were said, so there is nothing to score yet.")
    else:
        out.print(
            f"Tone over {len(tones)} turn(s): [bold]{sparkline(tones)}[/]  "
            + " ".join(f"[{tone_style(s)}]{s}[/]" for s in tones)
            + f"   mean [bold {tone_style(summary['mean_tone'])}]{summary['mean_tone']}[/]"
        )
        out.print(f"Candor: {summary['start_candor']} → [bold]{summary['final_candor']}[/]")
        best, worst = summary["best"], summary["worst"]
        if best:
            out.print(f"[green]Best line[/] ({best['score']}): “{escape(best['text'])}”")
        if worst and worst is not best and worst["turn"] != best["turn"]:
            out.print(f"[red]Weakest line[/] ({worst['score']}): “{escape(worst['text'])}”")
            if worst.get("better"):
                out.print(f"  [green]better:[/] {escape(worst['better'])}")
    out.print(f"Insights found: [bold]{summary['insights_found']} of {summary['insights_total']}[/]")
    for item in summary["found"]:
        out.print(f"  [green]✓[/] {escape(item['title'])}")
    for item in summary["missed"]:
        out.print(f"  [dim]✗ {escape(item['title'])}[/] — {escape(item['ask_hint'])}")
    tokens = summary.get("tokens") or {}
    if tokens.get("prompt") or tokens.get("completion"):
        out.print(f"[dim]Model tokens: {tokens['prompt']} prompt + {tokens['completion']} completion[/]")


def print_transcript(out: Console, session: dict[str, Any]) -> None:
    """Every turn with its number (the one `nextround plan` cites: the opening is turn 0); a line taken back with
    /retry stays in its place, marked as rephrased, with the reply it got."""
    name = session.get("counterpart_name") or session["counterpart"].split(",")[0]
    out.rule(
        f"[bold]Session {session['session_id']}[/] · {escape(session['title'])} · {session['started_at']} · "
        f"{session['status']}"
    )
    for turn in session["turns"]:
        number = f"[dim]turn {turn['turn']}[/]  "  # written exactly as the plan cites it: "session N turn M"
        rephrased = turn.get("rephrased", False)
        if turn["role"] == "user":
            tone = turn["tone"]
            mark = " [yellow](rephrased)[/]" if rephrased else ""
            out.print(f"{number}[bold]you{mark}:[/] {escape(turn['text'])}", style="dim" if rephrased else None)
            line = Text("  ")
            line.append(f"tone {tone['score']} {tone['label']}", style=tone_style(tone["score"]))
            line.append(f" · candor {turn['candor']}", style="cyan")
            if turn.get("unlocked"):
                line.append(f" · unlocked {', '.join(turn['unlocked'])}", style="magenta")
            if rephrased:
                line.append(" · taken back with /retry: did not count", style="yellow")
            out.print(line)
            print_flags(out, tone["flags"], tone.get("rewrite"))
            if turn.get("judge"):
                judge = turn["judge"]
                out.print(f"    [dim]second opinion: {judge.get('score')} — {escape(str(judge.get('reason', '')))}[/]")
        else:
            mark = " [yellow](reply to the rephrased line)[/]" if rephrased else ""
            out.print(f"{number}[bold blue]{escape(name)}{mark}:[/] {escape(turn['text'])}",
                      style="dim" if rephrased else None)


def sessions_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(show_edge=False, header_style="bold", box=None, padding=(0, 1))
    cols = [("id", "right"), ("date", "left"), ("conversation", "left"), ("tone", "right"),
            ("by turn", "left"), ("found", "left"), ("candor", "right"), ("status", "left")]
    for col, justify in cols:
        table.add_column(col, justify=justify, no_wrap=col in {"date", "conversation", "by turn", "candor", "status"})
    for row in rows:
        mean = row["mean_tone"]
        table.add_row(
            str(row["session_id"]), row["date"], row["conversation"],
            Text("—" if mean is None else f"{mean:.0f}", style=tone_style(mean)),
            Text(sparkline(row.get("tone_over_turns") or [])[-10:], style=tone_style(mean)),
            f"{row['insights_found']}/{row['insights_total']}", f"{row['start_candor']}→{row['final_candor']}",
            row["status"],
        )
    return table


def print_plan(out: Console, plan, full: bool = False) -> None:
    """The plan (`nextround.plan.Plan`) for the terminal. By default one screen (see `nextround.plan.brief`): the
    answers, the decision, the actions with their questions, a few `later` items and the check-in. FULL: every
    part, in the same order as its Markdown; a quote is printed once, later uses point back to it."""
    from nextround.plan.brief import LATER_SHOWN, NOTES_SHOWN
    from nextround.plan.markdown import TAKE_STOCK_LEAD, evidence_source, left_out_line, session_line

    out.rule(f"[bold]Your plan[/] · {plan.generated_at.isoformat()}")
    if plan.selection is not None and full:
        out.print(f"[dim]{escape(plan.selection.note)}[/]")
    for s in plan.sessions:
        out.print(f"[dim]{escape(session_line(s, why=full))}[/]")
    left = left_out_line(plan)
    if left:
        out.print(f"[dim]{escape(left)}[/]")
    notes = plan.notes if full else plan.notes[:NOTES_SHOWN]
    for note in notes:
        out.print(f"[yellow]![/] {escape(note)}")
    out.rule("[bold]Take stock")
    if full:
        out.print(f"[dim]{TAKE_STOCK_LEAD}[/]")
    quoted: set[tuple[int, int]] = set()
    asked: set[str] = set()
    for answer in plan.take_stock:
        mark = "[green]✓ known[/]" if answer.known else "[yellow]? open[/]"
        out.print(f"[bold]{escape(answer.question)}[/]  {mark}")
        out.print(f"  {escape(answer.answer)}")
        if full:
            for e in answer.evidence:
                if (e.session_id, e.turn) in quoted:
                    continue  # no quote twice: the answer's own text cites the turn
                quoted.add((e.session_id, e.turn))
                out.print(f"  [blue]“{escape(e.quote)}”[/] [dim]— {escape(evidence_source(e))}[/]")
        if answer.ask_next and answer.ask_next not in asked:  # the same question once, under its first answer
            asked.add(answer.ask_next)
            out.print(f"  [magenta]ask next:[/] “{escape(answer.ask_next)}”")
        elif answer.ask_next:
            out.print("  [magenta]ask next:[/] the question above")
    out.rule("[bold]Decision")
    out.print(f"[bold cyan]{plan.decision.path}[/]: {escape(plan.decision.why)}")
    out.rule("[bold]Actions")
    if not plan.actions:
        out.print("No actions yet.")
    steps: set[str] = set()
    for i, a in enumerate(plan.actions, 1):
        when = f"{a.area}, due {a.due.isoformat()}" if full else f"due {a.due.isoformat()}"
        out.print(f"[bold]{i}. {escape(a.action)}[/] [dim]({when})[/]")
        if a.condition and full:  # the answers above already say what practice suggested
            out.print(f"  [yellow]{escape(a.condition)}[/]")
        if full or a.first_step not in steps:  # the same step twice: once is enough on one screen
            out.print(f"  first step: {escape(a.first_step)}")
        steps.add(a.first_step)
        if full:
            out.print(f"  measure: {escape(a.measure)}")
        if a.ask:
            out.print("  ask, in these words:")
            for n, item in enumerate(a.ask, 1):
                out.print(f"    {n}. “{escape(item.question)}”")
                if full:
                    out.print(f"       [dim]{escape(item.practice or 'Not reached in practice.')}[/]")
        if a.bring and full:
            out.print("  bring:")
            for item in a.bring:
                out.print(f"    • {escape(item)}")
        if a.rephrase:
            out.print("  say it better:")
            for r in a.rephrase:
                out.print(f"    [red]“{escape(r.said)}”[/] → [green]“{escape(r.better)}”[/] [dim]({r.source})[/]")
        if full:
            out.print(f"  [dim]sources: {escape(', '.join(a.sources))}[/]")
    if plan.later:
        shown = plan.later if full else plan.later[:LATER_SHOWN]
        out.rule("[bold]Later")
        for a in shown:
            out.print(f"  • {escape(a.action)} [dim]("
                      + (f"{a.area}, due {a.due.isoformat()}; sources: {escape(', '.join(a.sources))})[/]" if full
                         else f"due {a.due.isoformat()})[/]"))
            if a.condition and full:
                out.print(f"    [dim]{escape(a.condition)}[/]")
        if len(shown) < len(plan.later):
            out.print(f"  [dim]and {len(plan.later) - len(shown)} more: nextround plan --full[/]")
    if full:
        out.rule("[bold]Milestones")
        for m in plan.milestones:
            out.print(f"[bold]{m.due.isoformat()}[/] {escape(m.title)}")
            for item in m.items:
                out.print(f"  ☐ {escape(item)}")
    out.rule("[bold]Check-in")
    c = plan.check_in
    out.print(f"[bold]{c.date.isoformat()}[/] with {escape(c.with_)}")
    for item in c.agenda:
        out.print(f"  • {escape(item)}")
    if full:
        out.print("[dim]Save it: --format md|json|ics -o FILE (ics imports into calendar apps).[/]")
    else:
        out.print("[dim]Quotes, conditions, sources, milestones: --full. Save: --format md|json|ics -o FILE.[/]")

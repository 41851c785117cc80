"""Terminal output with rich: tone badges, flags, the end-of-session report and transcripts."""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

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
    if score >= 60:
        return "green"
    if score > 40:
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
    name = session["counterpart"].split(",")[0]
    out.rule(
        f"[bold]Session {session['session_id']}[/] · {escape(session['title'])} · {session['started_at']} · "
        f"{session['status']}"
    )
    for turn in session["turns"]:
        if turn["role"] == "user":
            tone = turn["tone"]
            out.print(f"[bold]you:[/] {escape(turn['text'])}")
            line = Text("  ")
            line.append(f"tone {tone['score']} {tone['label']}", style=tone_style(tone["score"]))
            line.append(f" · candor {turn['candor']}", style="cyan")
            if turn.get("unlocked"):
                line.append(f" · unlocked {', '.join(turn['unlocked'])}", style="magenta")
            out.print(line)
            print_flags(out, tone["flags"], tone.get("rewrite"))
            if turn.get("judge"):
                judge = turn["judge"]
                out.print(f"    [dim]second opinion: {judge.get('score')} — {escape(str(judge.get('reason', '')))}[/]")
        else:
            print_counterpart(out, name, turn["text"])


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

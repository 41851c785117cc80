"""`nextround score`: score one line, or a file of lines, for collaborative tone. Never imports the model stack.

The same local reader as the rehearsals reads each line (the fine-tuned encoder and its heads); a file is read
in batches through the sentence encoder, with a progress bar when stderr is a terminal.
"""

from __future__ import annotations

import json
import sys

import click

from nextround.cli.common import read_lines


@click.command()
@click.argument("text", required=False)
@click.option("--input", "input_path", metavar="FILE", help="Score every line of FILE ('-' = stdin).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line: score, label, flags, rewrite.")
def score(text: str | None, input_path: str | None, as_json: bool) -> None:
    """Score TEXT (or each line of --input FILE) from 0 (adversarial) to 100 (collaborative).

    \b
    Examples:
      nextround score "Why did you pick him over me?"
      nextround score --input lines.txt --json
    """
    if text is not None and input_path is not None:
        raise click.UsageError("give either TEXT or --input FILE, not both")
    if text is None and input_path is None:
        raise click.UsageError('give a line to score, e.g. nextround score "Thanks for your time", or --input FILE')
    if input_path is not None:
        lines, warnings = read_lines(input_path, what="input")
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)
        results = _score_file(lines)
        if as_json:
            write = sys.stdout.write
            for result in results:
                write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
            return
        from nextround import render

        out = render.console()
        for line, result in zip(lines, results):
            out.print(f"[{render.tone_style(result.score)}]{result.score:>3} {result.label:<13}[/] ", end="")
            out.print(line, markup=False)
        return
    from nextround.reading.reader import score_line

    result = score_line(text)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    from nextround import render
    from nextround.reading.types import ADVERSARIAL_AT, NEUTRAL_SCORE

    out = render.console()
    if not text.strip():
        out.print(f"[yellow]That line is empty[/]: an empty line scores as neutral ({NEUTRAL_SCORE}).")
    out.print(f"[bold {render.tone_style(result.score)}]{result.score}/100 — {result.label}[/]")
    if not result.flags:
        out.print("[green]No adversarial phrasing found.[/]" if result.score > ADVERSARIAL_AT else
                  "[yellow]No single phrase stands out, but the line as a whole reads as confrontational.[/]")
    render.print_flags(out, [f.to_dict() for f in result.flags], result.rewrite)


def _score_file(lines: list[str]):
    from nextround.reading.reader import score_lines

    if len(lines) < 200 or not sys.stderr.isatty():
        return score_lines(lines)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from nextround.reading.reader import batch_size

    columns = (TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("scoring", total=batch_size(lines))
        return score_lines(lines, progress=lambda n: bar.advance(task, n))

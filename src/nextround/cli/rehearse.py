"""`nextround feedback` and `nextround career`: rehearse a conversation, interactively or from a script."""

from __future__ import annotations

import json
import sys

import click

from nextround.cli.common import open_store, read_lines
from nextround.cli.model_options import model_options, model_settings


SLASH_HELP = """Commands:
  /retry   take back your last line and say it another way (the old one stops counting)
  /hint    a suggestion for what to ask next
  /end     finish and see the report (Ctrl-D does the same)
  /help    this list"""

END_COMMANDS = {"/end", "/quit", "/exit"}
SCRIPT_COMMANDS = END_COMMANDS | {"/retry", "/hint", "/help", "/?"}
# Typed alone at the prompt, these are almost always meant as /end, not as something to say to the counterpart.
BARE_EXITS = {"exit", "quit", "bye", "end", "q", ":q"}
# Alone on a script line, these end the session like /end: they are never said to the counterpart or scored.
SCRIPT_END_WORDS = {"exit", "quit", "bye"}


def _ends_script(line: str) -> bool:
    command = line.strip().lower()
    return command in END_COMMANDS or command.rstrip(".!") in SCRIPT_END_WORDS


def _rehearsal_command(kind: str, summary: str):
    @click.command(name=kind, help=summary + """

\b
Interactive by default: type your lines; after each one you see its tone and the
counterpart's candor. Slash commands: /retry, /hint, /end, /help.
With --script FILE (one line per turn, '-' for stdin) the lines are played without
prompting; a script line may also be /retry, /hint or /end (or exit, quit or bye
alone on the line, which end the session too).""")
    @click.option("--script", "script", metavar="FILE", help="Play your lines from FILE (one per line; '-' = stdin).")
    @click.option("--json", "as_json", is_flag=True, help="Print the session as one JSON object (with --script).")
    @click.option("--scenario", "scenario_ref", metavar="NAME|FILE",
                  help=f"Scenario to use: a built-in or your own name, or a YAML file (default: {kind}).")
    @model_options
    def command(script: str | None, as_json: bool, scenario_ref: str | None, **model: str | None) -> None:
        run_rehearsal(kind, script, as_json, scenario_ref, model)

    return command


feedback = _rehearsal_command(
    "feedback", "Rehearse asking the hiring manager for feedback, without contesting the decision."
)
career = _rehearsal_command(
    "career", "Rehearse the career talk with your own manager, including a candid read of your prospects."
)


def run_rehearsal(kind: str, script: str | None, as_json: bool, scenario_ref: str | None,
                  model: dict | None = None) -> None:
    from nextround.scenario import resolve_scenario

    if as_json and script is None:
        raise click.UsageError("--json needs --script FILE: an interactive session prints a readable report.")
    scenario = resolve_scenario(scenario_ref, kind)
    if scenario.kind != kind:
        raise click.UsageError(f"scenario {scenario.name!r} is a {scenario.kind} conversation; use `nextround {scenario.kind}`.")
    lines = None
    if script is not None:
        lines, warnings = read_lines(script, require_text=True)
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)
        lines = _script_lines(lines, script)
        if not lines:
            raise click.ClickException(f"{script}: the script has no lines to play")
    # Offline scripted runs stay quiet on stderr unless it is a terminal; a model is always announced.
    settings = model_settings(model or {}, quiet_offline=not sys.stderr.isatty())
    from nextround.assembly import build_rehearsal_parts

    parts = build_rehearsal_parts(settings)
    store = open_store()
    try:
        from nextround.session import Rehearsal

        rehearsal = Rehearsal(scenario, store, parts.persona, judge=parts.judge, model_reader=parts.reader,
                              judge_mode=parts.judge_mode, provider=parts.provider, model=parts.model)
        # The local reader (sentence encoder and topic index) loads while the opening line is on screen.
        rehearsal.prepare_in_background()
        if lines is not None:
            _play_script(rehearsal, lines, as_json)
        else:
            _interactive(rehearsal)
    finally:
        store.close()


def _script_lines(lines: list[str], script: str) -> list[str]:
    """The script's turns: blank lines dropped; a line starting with "/" that is no command is skipped with a
    warning that names it (it is never said to the counterpart)."""
    kept: list[str] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        word = line.strip().split()[0].lower()
        if word.startswith("/") and word not in SCRIPT_COMMANDS:
            click.echo(f"warning: {script} line {number}: unknown command {word!r} skipped "
                       f"(known: {', '.join(sorted(SCRIPT_COMMANDS - {'/?'}))})", err=True)
            continue
        kept.append(line)
    return kept


def _play_script(rehearsal, lines: list[str], as_json: bool) -> None:
    from nextround import render
    from nextround.report import session_to_dict

    out = render.console()
    name = rehearsal.scenario.counterpart.name
    echo = (lambda *a, **k: None) if as_json else out.print
    try:
        opening = rehearsal.begin()
        if not as_json:
            render.print_counterpart(out, name, opening)
        for line in lines:
            command = line.strip().lower()
            if _ends_script(line):
                break
            if command == "/retry":
                undone = rehearsal.retry()
                echo("[dim](retry: last line taken back)[/]" if undone else "[dim](nothing to retry)[/]")
                continue
            if command == "/hint":
                echo(f"[dim]hint: {rehearsal.hint()}[/]")
                continue
            if command in {"/help", "/?"}:
                continue
            _one_turn(rehearsal, line, out, quiet=as_json, echo_line=True)
        closing = rehearsal.end()
        if not as_json and closing:
            render.print_counterpart(out, name, closing)
    except KeyboardInterrupt:
        rehearsal.abandon()
        click.echo(f"\nInterrupted: the turns so far are saved as session {rehearsal.session_id}.", err=True)
        sys.exit(130)
    except BaseException:
        rehearsal.abandon()
        raise
    session = rehearsal.store.get_session(rehearsal.session_id)
    data = session_to_dict(session)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        render.print_report(out, data["summary"], session.scenario_title)
        out.print(f"[dim]Saved as session {session.id}. See it again with `nextround show {session.id}`.[/]")


def _one_turn(rehearsal, line: str, out, quiet: bool = False, echo_line: bool = False):
    """One exchange: the tone badge for the user's line first, then the counterpart's reply (streamed)."""
    from rich.markup import escape

    from nextround import render

    if quiet:
        return rehearsal.say(line)
    name = rehearsal.scenario.counterpart.name
    stream: list[render.StreamWrapper] = []
    if echo_line:  # a script: show the line, as if it had been typed
        out.print(f"[bold]you:[/] {escape(line.strip())}")

    def on_decision(decision, judge, truncated) -> None:
        from nextround.reading.types import MAX_LINE_CHARS

        tone = decision.tone
        if truncated:
            out.print(f"[yellow]  (your line was very long: only its first {MAX_LINE_CHARS:,} characters were "
                      "used)[/]")
        out.print(render.badge(tone.score, tone.label, decision.candor_before, decision.candor_after,
                               len(rehearsal.state.unlocked), len(rehearsal.scenario.insights)))
        render.print_flags(out, [f.to_dict() for f in tone.flags], tone.rewrite)
        if judge:
            out.print(f"    [dim]second opinion: {judge.get('score')} — {escape(str(judge.get('reason', '')))}[/]")

    def on_token(chunk: str) -> None:
        if not stream:
            out.print(f"[bold blue]{escape(name)}:[/] ", end="")
            # Our own wrapper, not rich: rich would wrap each streamed piece on its own and break words apart.
            stream.append(render.StreamWrapper(out, start_column=len(name) + 2))
        stream[0].write(chunk)

    result = rehearsal.say(line, on_token=on_token, on_decision=on_decision)
    if stream:
        stream[0].close()
    return result


def _interactive(rehearsal) -> None:
    from rich.markup import escape

    from nextround import render
    from nextround.report import session_to_dict

    out = render.console()
    scenario = rehearsal.scenario
    name = scenario.counterpart.name
    out.rule(f"[bold]{scenario.title}")
    out.print(f"[dim]{scenario.description}[/]")
    out.print(f"[dim]You are talking to {name}, {scenario.counterpart.role}. Type /help for commands, /end to finish.[/]")
    interrupted = False
    try:
        render.print_counterpart(out, name, rehearsal.begin())
        while True:
            try:
                line = input("you> ")
            except EOFError:
                out.print()
                break
            command = line.strip().lower()
            if not command:
                continue
            if command in END_COMMANDS:
                break
            if command.rstrip(".!") in BARE_EXITS:
                out.print(f"[yellow]Did you mean /end?[/] “{escape(line.strip())}” was not said to "
                          f"{escape(name)}. Type /end to finish, or say it as part of a sentence.")
                continue
            if command in {"/help", "/?"}:
                out.print(SLASH_HELP, markup=False)
                continue
            if command == "/hint":
                out.print(f"[yellow]hint:[/] {rehearsal.hint()}")
                continue
            if command == "/retry":
                undone = rehearsal.retry()
                if undone is None:
                    out.print("[dim]Nothing to retry yet.[/]")
                else:
                    out.print(f"[dim]Taken back: “{undone.text}”. Candor is {rehearsal.state.candor} again; "
                              "say it another way.[/]")
                continue
            if command.startswith("/"):
                out.print(f"[dim]Unknown command {command}. Type /help.[/]")
                continue
            _one_turn(rehearsal, line, out)
        closing = rehearsal.end()
        if closing:
            render.print_counterpart(out, name, closing)
    except KeyboardInterrupt:
        interrupted = True
        rehearsal.abandon()
    except BaseException:
        rehearsal.abandon()
        raise
    session = rehearsal.store.get_session(rehearsal.session_id)
    render.print_report(out, session_to_dict(session)["summary"], session.scenario_title)
    if interrupted:
        out.print(f"[yellow]Interrupted.[/] The turns so far are saved as session {session.id}.")
    else:
        out.print(f"[dim]Saved as session {session.id}. Next: `nextround plan` turns it into a plan.[/]")

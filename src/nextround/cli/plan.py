"""`nextround plan`: take stock, decide, and a dated plan traced to what was said in practice."""

from __future__ import annotations

import json
import sys
from datetime import date

import click

from nextround.cli.common import open_store
from nextround.cli.model_options import load_model_settings, model_options


def _parse_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD", param_hint=option) from None


def _settings(overrides: dict):
    return load_model_settings(overrides).settings


@click.command()
@click.option("--session", "session_ids", type=int, multiple=True, metavar="ID",
              help="Build from this session (repeatable), even a short or interrupted one.")
@click.option("--scenario", "scenario_names", multiple=True, metavar="NAME",
              help="Only sessions of this scenario (repeatable, e.g. one feedback and one career scenario).")
@click.option("--latest", is_flag=True,
              help="Use the latest session of each conversation, whatever its quality.")
@click.option("--since", metavar="DATE", help="Only consider sessions started on or after DATE (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json", "ics"]), default="text",
              show_default=True, help="text: readable terminal output; md: Markdown; json; ics: calendar file.")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (created user-only) instead of stdout.")
@click.option("--full", is_flag=True, help="Text form: show everything (quotes, sources, milestones, every later item).")
@click.option("--today", metavar="DATE", help="Plan as if today were DATE (YYYY-MM-DD): due dates count from it.")
@model_options(judge=False)
def plan(session_ids: tuple[int, ...], scenario_names: tuple[str, ...], latest: bool, since: str | None, fmt: str,
         output: str | None, full: bool, today: str | None, **model: str | None) -> None:
    """Take stock, decide, and get a dated plan from your practice sessions.

    \b
    By default, for each conversation, the completed practice with the most insights
    found (the latest on a tie), of your own scenario before a built-in demo; interrupted
    sessions and sessions with fewer than three lines are left out. Five take-stock
    questions answered only from what practice said (citing the turns), a decision
    (stay-and-build, build-and-network or search-now), at most five actions that prepare
    and follow up the real meetings, the rest for later, 30/60/90-day milestones and a
    check-in with your manager. The text form fits one screen; --full shows everything
    (Markdown, JSON and ICS always carry it all).

    \b
    nextround plan                         the most informative practice of each conversation
    nextround plan --latest                the latest session of each conversation
    nextround plan --scenario my-feedback  only sessions of that scenario
    nextround plan --full                  every quote, source, milestone and later item
    nextround plan --format ics -o plan.ics
    nextround plan --session 3 --session 4 --format md
    """
    if session_ids and (since or latest or scenario_names):
        raise click.UsageError("--session names the sessions; it does not combine with --since, --latest or "
                               "--scenario")
    since_date = _parse_date(since, "--since") if since else None
    plan_date = _parse_date(today, "--today") if today else date.today()

    from nextround.export import check_output_folder
    from nextround.plan import SelectionError, select_sessions

    check_output_folder(output)
    store = open_store()
    try:
        chosen = select_sessions(store, session_ids, since_date, latest, scenario_names)
    except SelectionError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    from nextround.plan.make import make_plan

    settings = _settings(model)
    made = make_plan(chosen.sessions, plan_date, settings, chosen)
    if made.warning:
        click.echo(click.style(made.warning, fg="yellow"), err=True)
    elif made.model or sys.stderr.isatty():
        from nextround.models.settings import describe_choice

        click.echo(click.style(describe_choice(settings, "plan"), dim=True), err=True)
    _write(made.plan, fmt, output, full)


def _write(result, fmt: str, output: str | None, full: bool = False) -> None:
    from nextround.export import write_output

    to_file = output is not None and output != "-"
    if fmt == "json":
        write_output(json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2) + "\n", output)
    elif fmt == "ics":
        from nextround.plan import plan_to_ics

        write_output(plan_to_ics(result).decode("utf-8"), output)
    elif fmt == "md" or to_file:
        from nextround.plan import plan_to_markdown

        # A file gets the Markdown form: terminal colours do not belong in a file.
        write_output(plan_to_markdown(result), output)
    else:
        from nextround import render

        render.print_plan(render.console(), result, full=full)
    sys.stdout.flush()

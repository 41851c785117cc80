"""`nextround plan`: take stock, decide, and a dated plan traced to what was said in practice."""

from __future__ import annotations

import json
import sys
from datetime import date

import click

from nextround.cli.common import open_store
from nextround.cli.model_options import model_options, model_settings


def _parse_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD", param_hint=option) from None


def select_sessions(store, session_ids: tuple[int, ...], since: date | None) -> list:
    """Named sessions; else every session since DATE; else the latest feedback and the latest career session."""
    if session_ids:
        sessions = []
        for session_id in dict.fromkeys(session_ids):
            session = store.get_session(session_id)
            if session is None:
                raise click.ClickException(f"no session {session_id} (see `nextround history`)")
            sessions.append(session)
        return sessions
    if since is not None:
        return list(reversed(store.list_sessions(since=since.isoformat())))
    sessions = []
    for kind in ("feedback", "career"):
        latest = store.latest_id(kind)
        if latest is not None:
            sessions.append(store.get_session(latest))
    return sessions


def make_plan(sessions: list, today: date, settings=None):
    """The plan for these sessions. The seam for a model-drafted plan: with model settings, draft with the model and
    fall back to the offline builder; without, the offline builder alone."""
    from nextround.plan import build_plan

    if settings is not None and settings.uses_model:
        from nextround.models.parts import build_model
        from nextround.plan_llm import draft_plan

        draft = draft_plan(sessions, today, build_model(settings), method=settings.structured_output)
        if draft.problem:
            click.echo(click.style(f"note: the model's plan was not usable ({draft.problem}); "
                                   "showing the offline plan", dim=True), err=True)
        return draft.plan
    return build_plan(sessions, today)


@click.command()
@click.option("--session", "session_ids", type=int, multiple=True, metavar="ID",
              help="Build from this session (repeatable). Default: the latest feedback and career sessions.")
@click.option("--since", metavar="DATE", help="Build from every session started on or after DATE (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json", "ics"]), default="text",
              show_default=True, help="text: readable terminal output; md: Markdown; json; ics: calendar file.")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (created user-only) instead of stdout.")
@click.option("--today", metavar="DATE", help="Plan as if today were DATE (YYYY-MM-DD): due dates count from it.")
@model_options(judge=False)
def plan(session_ids: tuple[int, ...], since: str | None, fmt: str, output: str | None, today: str | None,
         **model: str | None) -> None:
    """Take stock, decide, and get a dated plan from your practice sessions.

    \b
    Five take-stock questions answered from what the sessions revealed (with quotes), a
    decision (stay-and-build, build-and-network or search-now), dated actions with their
    sources, 30/60/90-day milestones and a check-in with your manager. What practice did
    not reveal is listed as a question to ask in the real meeting.

    \b
    nextround plan                         latest feedback + career sessions
    nextround plan --format ics -o plan.ics
    nextround plan --session 3 --session 4 --format md
    """
    if session_ids and since:
        raise click.UsageError("use either --session or --since, not both")
    since_date = _parse_date(since, "--since") if since else None
    plan_date = _parse_date(today, "--today") if today else date.today()
    store = open_store()
    try:
        sessions = select_sessions(store, session_ids, since_date)
    finally:
        store.close()
    if not sessions:
        if since_date is not None:
            raise click.ClickException(f"no sessions since {since_date.isoformat()} (see `nextround history`)")
        raise click.ClickException("no sessions yet: run nextround feedback / career first")
    settings = model_settings(model, quiet_offline=not sys.stderr.isatty(), what="plan")
    result = make_plan(sessions, plan_date, settings)

    from nextround.export import write_output

    if fmt == "json":
        write_output(json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2) + "\n", output)
    elif fmt == "md":
        from nextround.plan import plan_to_markdown

        write_output(plan_to_markdown(result), output)
    elif fmt == "ics":
        from nextround.plan import plan_to_ics

        text = plan_to_ics(result).decode("utf-8")
        if output is None or output == "-":
            click.echo(text, nl=False)
        else:
            write_output(text, output)
    elif output is not None and output != "-":
        from nextround.plan import plan_to_markdown

        # A file gets the Markdown form: terminal colours do not belong in a file.
        write_output(plan_to_markdown(result), output)
    else:
        print_plan(result)


def print_plan(result) -> None:
    from rich.markup import escape

    from nextround import render

    out = render.console()
    out.rule(f"[bold]Your plan[/] · {result.generated_at.isoformat()}")
    for s in result.sessions:
        tone = "—" if s.mean_tone is None else f"{s.mean_tone:.0f}"
        out.print(f"[dim]session {s.session_id} · {s.kind} with {escape(s.counterpart.split(',')[0])} · "
                  f"{s.started_at[:10]} · tone {tone} · insights {s.insights_found}/{s.insights_total}[/]")
    if result.notes:
        out.print()
        for note in result.notes:
            out.print(f"[yellow]![/] {escape(note)}")
    out.print()
    out.rule("[bold]Take stock")
    for answer in result.take_stock:
        mark = "[green]✓ known[/]" if answer.known else "[yellow]? open[/]"
        out.print(f"\n[bold]{escape(answer.question)}[/]  {mark}")
        out.print(f"  {escape(answer.answer)}")
        for e in answer.evidence:
            out.print(f"  [blue]“{escape(e.quote)}”[/] [dim]— {escape(e.speaker or 'counterpart')}, "
                      f"session {e.session_id} turn {e.turn}[/]")
        if answer.ask_next:
            out.print(f"  [magenta]ask next:[/] {escape(answer.ask_next)}")
    out.print()
    out.rule("[bold]Decision")
    out.print(f"[bold cyan]{result.decision.path}[/]: {escape(result.decision.why)}")
    out.print()
    out.rule("[bold]Actions")
    for i, a in enumerate(result.actions, 1):
        out.print(f"\n[bold]{i}. {escape(a.action)}[/]")
        out.print(f"  [cyan]{a.area}[/] · due [bold]{a.due.isoformat()}[/]")
        out.print(f"  first step: {escape(a.first_step)}")
        out.print(f"  measure: {escape(a.measure)}")
        out.print(f"  [dim]sources: {escape(', '.join(a.sources))}[/]")
    out.print()
    out.rule("[bold]Milestones")
    for m in result.milestones:
        out.print(f"\n[bold]{m.due.isoformat()}[/] {escape(m.title)}")
        for item in m.items:
            out.print(f"  ☐ {escape(item)}")
    out.print()
    out.rule("[bold]Check-in")
    c = result.check_in
    out.print(f"[bold]{c.date.isoformat()}[/] with {escape(c.with_)}")
    for item in c.agenda:
        out.print(f"  • {escape(item)}")
    out.print("\n[dim]Save it: --format md|json|ics -o FILE (ics imports into calendar apps).[/]")


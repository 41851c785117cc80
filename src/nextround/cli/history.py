"""`nextround history`, `show` and `export`: past sessions and progress over time."""

from __future__ import annotations

import json

import click

from nextround.cli.common import open_store


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the sessions as a JSON list.")
@click.option("--kind", type=click.Choice(["feedback", "career"]), help="Only one conversation.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the latest N sessions.")
def history(as_json: bool, kind: str | None, limit: int | None) -> None:
    """List past sessions with their mean tone, insights found and a trend."""
    store = open_store()
    try:
        sessions = store.list_sessions(kind=kind, limit=limit)
    finally:
        store.close()
    from nextround.report import history_row

    rows = [history_row(s) for s in sessions]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from nextround import render

    out = render.console()
    if not rows:
        out.print("No sessions yet. Start one with `nextround feedback` or `nextround career`.")
        return
    out.print(render.sessions_table(rows))
    for conversation in ("feedback", "career"):
        trend = [r["mean_tone"] for r in reversed(rows) if r["conversation"] == conversation]
        if trend:
            first = next((t for t in trend if t is not None), None)
            last = next((t for t in reversed(trend) if t is not None), None)
            change = "" if first is None or last is None else f"  {first:.0f} → {last:.0f}"
            out.print(f"{conversation:<9} trend (oldest → newest): {render.sparkline(trend)}{change}")


def _load(store, ref: str):
    if ref in {"latest", "last"}:
        session_id = store.latest_id()
    else:
        try:
            session_id = int(ref)
        except ValueError:
            raise click.UsageError(f"SESSION must be a session number or 'latest', not {ref!r}") from None
    session = store.get_session(session_id) if session_id is not None else None
    if session is None:
        raise click.ClickException(f"no session {ref} (see `nextround history`)")
    return session


def _load_as_dict(ref: str):
    """The stored session and its JSON-contract dict."""
    from nextround.report import session_to_dict

    store = open_store()
    try:
        session = _load(store, ref)
    finally:
        store.close()
    return session, session_to_dict(session, include_superseded=True)


@click.command()
@click.argument("session_ref", metavar="SESSION")
@click.option("--json", "as_json", is_flag=True, help="Print the session as JSON.")
def show(session_ref: str, as_json: bool) -> None:
    """Show a session's transcript with tone badges and flags (SESSION: a number or 'latest')."""
    session, data = _load_as_dict(session_ref)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from nextround import render

    out = render.console()
    render.print_transcript(out, data)
    render.print_report(out, data["summary"], session.scenario_title)


@click.command()
@click.argument("session_ref", metavar="SESSION")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (created user-only) instead of stdout.")
def export(session_ref: str, fmt: str, output: str | None) -> None:
    """Export a session as Markdown or JSON (SESSION: a number or 'latest')."""
    from nextround.export import session_markdown, write_output

    _, data = _load_as_dict(session_ref)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n" if fmt == "json" else session_markdown(data)
    write_output(text, output)

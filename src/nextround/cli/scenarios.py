"""`nextround scenarios list|show|new`: the built-in scenarios and your own."""

from __future__ import annotations

import json

import click

from nextround.cli.model_options import model_options, model_settings


@click.group()
def scenarios() -> None:
    """List, inspect and create scenarios (built-in ones and your own).

    \b
    Your own scenarios live in the config folder (see `nextround scenarios list`) and are
    used with `nextround feedback --scenario NAME` or `nextround career --scenario NAME`.
    """


@scenarios.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the scenarios as a JSON list.")
def list_cmd(as_json: bool) -> None:
    """List built-in scenarios and your own, with kind, title, insight count and file."""
    from nextround.scenario import catalogue

    rows = catalogue()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.markup import escape
    from rich.table import Table

    from nextround import render
    from nextround.scenario import user_scenario_dir

    out = render.console()
    table = Table(show_edge=False, header_style="bold")
    for col in ("name", "kind", "source", "insights", "title"):
        table.add_column(col, justify="right" if col == "insights" else "left", overflow="fold")
    for r in rows:
        if r["error"]:
            table.add_row(r["name"], "[red]invalid[/]", r["source"], "", escape(r["error"]))
        else:
            table.add_row(r["name"], r["kind"], r["source"], str(r["insights"]), escape(r["title"]))
    out.print(table)
    out.print()
    for r in rows:
        out.print(f"[dim]{r['name']}: {escape(r['path'])}[/]")
    out.print(f"[dim]Your scenarios folder: {escape(str(user_scenario_dir()))} · create one with "
              "`nextround scenarios new`[/]")


@scenarios.command("show")
@click.argument("name", metavar="NAME|FILE")
@click.option("--reveal", is_flag=True, help="Also show the hidden insights (spoils the practice).")
@click.option("--json", "as_json", is_flag=True, help="Print the whole scenario as JSON (includes the insights).")
def show_cmd(name: str, reveal: bool, as_json: bool) -> None:
    """Summarise a scenario. The hidden insights stay hidden unless you pass --reveal."""
    from nextround.scenario import resolve_scenario

    sc = resolve_scenario(name, name)
    if as_json:
        click.echo(json.dumps(sc.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    from rich.markup import escape

    from nextround import render

    out = render.console()
    out.rule(f"[bold]{escape(sc.title)}[/] · {sc.name} ({sc.kind})")
    out.print(escape(sc.description))
    out.print()
    out.print(f"[bold]Counterpart:[/] {escape(sc.counterpart.name)}, {escape(sc.counterpart.role)}")
    out.print(f"[bold]Style:[/] {escape(sc.counterpart.style)}")
    out.print(f"[bold]Starting candor:[/] {sc.start_candor}")
    out.print(f"[bold]Opening line:[/] “{escape(sc.lines.opening)}”")
    candors = sorted(i.min_candor for i in sc.insights)
    out.print(f"[bold]Hidden insights:[/] {len(sc.insights)} (they need candor from {candors[0]} to {candors[-1]})")
    if not reveal:
        out.print(f"[dim]Their content stays hidden so practice stays real; `nextround scenarios show {sc.name} "
                  "--reveal` shows them.[/]")
        out.print(f"[dim]Practise it: nextround {sc.kind} --scenario {sc.name}[/]")
        return
    for i in sc.insights:
        out.print(f"\n[bold magenta]{i.id}[/] — {escape(i.title)} [dim](candor ≥ {i.min_candor})[/]")
        out.print(f"  knows: {escape(i.knows)}")
        out.print(f"  opens with: {escape(i.ask_hint)}")
        out.print(f"  cues: {escape(', '.join(i.cues[:12]))}{' …' if len(i.cues) > 12 else ''}")
        out.print(f"  plan action ({i.action.area}, {i.action.due_days} days): {escape(i.action.action)}")


# --- scenarios new ------------------------------------------------------------------------------------------------


def _ask(value: str | None, prompt: str, interactive: bool, default: str = "") -> str:
    if value is not None:
        return value.strip()
    if not interactive:
        return default
    return click.prompt(prompt, default=default, show_default=bool(default)).strip()


def _checked_name(value: str) -> str:
    from nextround.scenario.author import name_problem

    value = value.strip().lower()
    problem = name_problem(value)
    if problem:
        raise click.BadParameter(problem, param_hint="--name")
    return value


@scenarios.command("new")
@click.option("--kind", type=click.Choice(["feedback", "career"]),
              help="Which conversation: feedback (the hiring manager) or career (your own manager).")
@click.option("--role-applied", metavar="TEXT", help="The role you went for.")
@click.option("--field", "field_", metavar="TEXT",
              help="Your field of work (e.g. nursing, teaching, sales, retail, hospitality, finance, public "
                   "sector); the scenario uses its words. Default: guessed from the role, else generic words.")
@click.option("--winner", metavar="TEXT", help="What the other candidate had (what you know or suspect).")
@click.option("--held-back", metavar="TEXT", help="What you suspect held you back.")
@click.option("--manager-style", metavar="TEXT",
              help="The counterpart's style: warm, formal, direct, reserved, or your own words.")
@click.option("--counterpart-name", metavar="TEXT",
              help="The counterpart's name (the hiring manager, or your manager).")
@click.option("--counterpart-role", metavar="TEXT", help="The counterpart's job title.")
@click.option("--name", metavar="NAME", help="Name for the scenario (lowercase letters, digits, - and _).")
@click.option("--force", is_flag=True, help="Overwrite an existing scenario of the same name.")
@click.option("--no-input", is_flag=True, help="Never prompt: unanswered questions get neutral defaults.")
@model_options(judge=False)
def new_cmd(kind, role_applied, field_, winner, held_back, manager_style, counterpart_name, counterpart_role, name,
            force, no_input, **model) -> None:
    """Create your own scenario from a few questions about your situation.

    \b
    Offline, the scenario is composed from field-neutral templates: your answers choose
    what the counterpart knows (the gap they name, what tipped it, whether there is a path
    up) and your field's words fill them. With a model configured, the model drafts those
    texts, checked the same way. Your own words are never put in the counterpart's mouth.
    Options answer the questions without prompting.
    """
    from nextround.scenario.author import (
        Answers,
        counterpart_default,
        default_name,
        field_label,
        scenario_path,
        write_scenario,
    )
    from nextround.models.drafting import author_scenario  # the model's draft when configured, else offline

    interactive = not no_input
    if name is not None:
        name = _checked_name(name)
    if kind is None:
        kind = "feedback"
        if interactive:
            kind = click.prompt("Which conversation: feedback (the hiring manager) or career (your own manager)?",
                                type=click.Choice(["feedback", "career"]), default="feedback")
    role_applied = _ask(role_applied, "What role did you go for?", interactive)
    field_ = _ask(field_, "What is your field of work? (e.g. nursing, teaching, sales; blank for general words)",
                  interactive, field_label(role_applied))
    winner = _ask(winner, "What did the other candidate have that you didn't? (blank to skip)", interactive)
    held_back = _ask(held_back, "What do you suspect held you back? (blank to skip)", interactive)
    manager_style = _ask(manager_style, "Their style: warm, formal, direct, reserved, or describe it (blank to skip)",
                         interactive)
    who = "the hiring manager" if kind == "feedback" else "your manager"
    default_person = counterpart_default(kind, field_, role_applied)
    counterpart_name = _ask(counterpart_name, f"What is {who}'s name?", interactive, default_person["name"])
    counterpart_role = _ask(counterpart_role, f"What is {who}'s job title?", interactive, default_person["role"])
    if name is None:
        name = (click.prompt("Name for this scenario", default=default_name(kind), value_proc=_checked_name)
                if interactive else _checked_name(default_name(kind)))
    path = scenario_path(name)
    if path.exists() and not force:
        raise click.ClickException(f"{path} already exists; pass --force to overwrite it")

    answers = Answers(kind=kind, role_applied=role_applied, field=field_, winner=winner, held_back=held_back,
                      manager_style=manager_style, counterpart_name=counterpart_name,
                      counterpart_role=counterpart_role, name=name)
    settings = model_settings(model, quiet_offline=True, what="scenario draft")
    authored = author_scenario(answers, settings)
    if authored.warning:
        click.echo(click.style(authored.warning, fg="yellow"), err=True)
    path = write_scenario(authored, force=force)
    how = "composed offline" if authored.drafted_by == "offline" else f"drafted by {authored.drafted_by}"
    click.echo(f"wrote {path} ({how}, {authored.field} words)")
    click.echo(f"Practise it: nextround {kind} --scenario {name}")

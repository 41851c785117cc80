"""`nextround scenarios list|show|new`: the built-in scenarios and your own."""

from __future__ import annotations

import json

import click

STYLES = {
    "warm": "Warm and encouraging; opens up quickly when the conversation is constructive, and gives examples.",
    "formal": "Measured and formal; chooses words carefully, speaks in process terms until sure the decision is "
              "accepted, then gets specific.",
    "direct": "Blunt and brief; says what they think once asked plainly, and shuts down fast at any hint of blame.",
    "reserved": "Quiet and cautious; avoids criticism unless asked directly and kindly, then answers honestly.",
}


def _all_scenarios() -> list[dict]:
    """Every scenario we can find: built-ins, then the user's own (a broken user file is listed with its error)."""
    from importlib import resources

    from nextround.scenario import ScenarioError, builtin_names, load_builtin, load_scenario_file, user_scenario_dir

    rows = []
    folder = resources.files("nextround.prompts") / "scenarios"
    for name in builtin_names():
        sc = load_builtin(name)
        rows.append({"name": name, "source": "built-in", "kind": sc.kind, "title": sc.title,
                     "insights": len(sc.insights), "counterpart": sc.counterpart.name,
                     "path": str(folder / f"{name}.yaml"), "error": None})
    user_dir = user_scenario_dir()
    if user_dir.is_dir():
        for path in sorted(list(user_dir.glob("*.yaml")) + list(user_dir.glob("*.yml"))):
            try:
                sc = load_scenario_file(path)
            except ScenarioError as exc:
                rows.append({"name": path.stem, "source": "yours", "kind": None, "title": None, "insights": None,
                             "counterpart": None, "path": str(path), "error": str(exc)})
                continue
            rows.append({"name": path.stem, "source": "yours", "kind": sc.kind, "title": sc.title,
                         "insights": len(sc.insights), "counterpart": sc.counterpart.name, "path": str(path),
                         "error": None})
    return rows


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
    rows = _all_scenarios()
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


def customise(base: dict, *, name: str, role_applied: str, held_back: str, manager_style: str, winner: str,
              counterpart_name: str, counterpart_role: str) -> dict:
    """Adapt a built-in scenario (as a dict) to the user's situation. Pure; the result still needs validating."""
    data = json.loads(json.dumps(base))
    kind = data["kind"]
    data["name"] = name
    cp = data["counterpart"]
    old_name = cp["name"]
    old_first = old_name.split()[0]
    if counterpart_name:
        cp["name"] = counterpart_name
    if counterpart_role:
        cp["role"] = counterpart_role
    new_first = cp["name"].split()[0]
    style = STYLES.get(manager_style.lower().strip(), manager_style.strip()) if manager_style else ""
    if style:
        cp["style"] = style
    if kind == "feedback":
        data["title"] = f"Feedback on the {role_applied} decision" if role_applied else "Feedback on the promotion decision"
        data["description"] = (
            f"You applied for {role_applied or 'an internal promotion'} and it went to another candidate. "
            f"{cp['name']} ({cp['role']}) made the call and has agreed to meet. They know why the panel decided as "
            "it did and what a stronger case would look like next time, and they will share it only if you make "
            "clear you accept the outcome and want advice on becoming a stronger candidate."
        )
    else:
        data["title"] = f"Career talk with {cp['name']}" + (f" after the {role_applied} decision" if role_applied else "")
        data["description"] = (
            f"You were turned down for {role_applied or 'an internal promotion'}. Now you are talking it over with "
            f"your manager, {cp['name']}. They can help you position yourself for next time, and have a candid view "
            "of your prospects here that they will only give if you ask constructively and directly."
        )
    if held_back:
        data["description"] += f" You suspect what held you back was: {held_back}."
    if winner and kind == "feedback":
        data["description"] += f" What you know about the person who got it: {winner}."

    insights = data["insights"]
    if held_back:
        # The user's own suspicion becomes what the counterpart knows about why it went the other way.
        target = next((i for i in insights if "why_not_selected" in i.get("informs", [])), insights[0])
        target["title"] = f"What held you back: {held_back}"[:120]
        target["knows"] = (
            f"What held the candidate back was {held_back}. The counterpart saw it in the decision and in the "
            "candidate's recent work, can give one concrete example of where it showed, and can say what a "
            "stronger showing would look like next time."
        )
        target["reveal"] = f"Since you ask, I'll be honest: the thing that held you back was {held_back}."
        target["deeper"] = [
            "It wasn't a single moment. It showed up more than once, and the panel noticed it. The good news is "
            "that it's something you can work on and show progress on before the next opening.",
            "If you can point to a concrete example of doing it differently, that changes the conversation next time.",
        ]
        target["ask_hint"] = f"Ask openly whether {held_back} is what held you back, after accepting the decision."
        target["cues"] = _unique(target["cues"] + _cue_words(held_back))
        target["action"] = {
            "area": "skill",
            "action": f"Work on {held_back}, so you have a concrete example of doing it well by the next opening.",
            "first_step": f"Ask someone who has seen your work for one specific example of {held_back} and what "
                          "better would have looked like.",
            "measure": "Someone who saw the earlier problem tells you they have seen a change.",
            "due_days": 45,
        }
    if winner and kind == "feedback":
        target = next((i for i in insights if i["id"] == "winner-experience"), None)
        if target is not None:
            target["knows"] = f"What the chosen candidate brought: {winner}. " + target["knows"]
            target["reveal"] = f"I can't say much about another person, but what tipped it was this: {winner}."
            target["title"] = "What the chosen candidate brought"
    # Swap the old counterpart's name in every line the counterpart speaks, so lines stay consistent.
    if counterpart_name and old_name != cp["name"]:
        data = _replace_names(data, old_name, old_first, cp["name"], new_first)
    return data


def _cue_words(text: str) -> list[str]:
    import re

    stop = {"the", "and", "that", "with", "for", "was", "were", "have", "been", "from", "they", "this", "about",
            "into", "what", "when", "your", "their", "more", "less", "being", "some", "very", "much", "enough",
            "not", "too", "lack", "my", "i", "me", "of", "a", "an", "to", "in", "on", "at", "it", "is", "be"}
    words = [w for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in stop and len(w) > 3]
    # Short stems so "communication" also matches "communicating".
    return _unique([w[:7] if len(w) > 8 else w for w in words])[:6]


def _unique(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


def _replace_names(value, old: str, old_first: str, new: str, new_first: str):
    if isinstance(value, str):
        import re

        value = value.replace(old, new)
        return re.sub(rf"\b{re.escape(old_first)}\b", new_first, value)
    if isinstance(value, list):
        return [_replace_names(v, old, old_first, new, new_first) for v in value]
    if isinstance(value, dict):
        return {k: (_replace_names(v, old, old_first, new, new_first) if k not in {"id", "name", "kind"} else v)
                for k, v in value.items()}
    return value


@scenarios.command("new")
@click.option("--kind", type=click.Choice(["feedback", "career"]), help="Which conversation the scenario is for.")
@click.option("--name", help="Name for the scenario (lowercase letters, digits, - and _).")
@click.option("--role-applied", help="The role you applied for.")
@click.option("--held-back", help="What you suspect held you back.")
@click.option("--manager-style", help=f"The counterpart's style: {', '.join(STYLES)}, or your own words.")
@click.option("--winner", help="What you know about the person who got the role.")
@click.option("--counterpart-name", help="The counterpart's name (the hiring manager, or your manager).")
@click.option("--counterpart-role", help="The counterpart's job title.")
@click.option("--force", is_flag=True, help="Overwrite an existing scenario of the same name.")
@click.option("--no-input", is_flag=True, help="Never prompt; unanswered questions keep the built-in's content.")
def new_cmd(kind, name, role_applied, held_back, manager_style, winner, counterpart_name, counterpart_role,
            force, no_input) -> None:
    """Create your own scenario from a few questions about your situation.

    Starts from the built-in scenario of the same kind and fits the title, description,
    counterpart and insights to your answers. Options answer the questions without prompting.
    """
    import re

    import yaml

    from nextround.scenario import load_builtin, parse_scenario, user_scenario_dir

    interactive = not no_input
    if kind is None:
        kind = click.prompt("Which conversation: feedback (hiring manager) or career (your manager)?",
                            type=click.Choice(["feedback", "career"]), default="feedback") if interactive else "feedback"
    base = load_builtin(kind)
    role_applied = _ask(role_applied, "What role did you go for?", interactive)
    held_back = _ask(held_back, "What do you suspect held you back? (blank to skip)", interactive)
    who = "the hiring manager" if kind == "feedback" else "your manager"
    counterpart_name = _ask(counterpart_name, f"What is {who}'s name?", interactive, base.counterpart.name)
    counterpart_role = _ask(counterpart_role, f"What is {who}'s job title?", interactive, base.counterpart.role)
    manager_style = _ask(manager_style, f"Their style ({', '.join(STYLES)}, or describe it; blank keeps the default)",
                         interactive)
    if kind == "feedback":
        winner = _ask(winner, "What do you know about the person who got the role? (blank to skip)", interactive)
    else:
        winner = (winner or "").strip()
    default_name = f"my-{kind}"
    name = _ask(name, "Name for this scenario", interactive, default_name) or default_name
    name = name.strip().lower()
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
        raise click.BadParameter("use lowercase letters, digits, - and _, starting with a letter", param_hint="--name")
    if name in {"feedback", "career"}:
        raise click.BadParameter(f"{name!r} is a built-in scenario name; pick another", param_hint="--name")

    data = customise(base.model_dump(mode="json"), name=name, role_applied=role_applied, held_back=held_back,
                     manager_style=manager_style, winner=winner, counterpart_name=counterpart_name,
                     counterpart_role=counterpart_role)
    header = (f"# Your own {kind} scenario, made by `nextround scenarios new` from the built-in one.\n"
              f"# Edit freely; `nextround scenarios show {name}` checks it. Use: nextround {kind} --scenario {name}\n")
    text = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)
    parse_scenario(text, f"new scenario {name}")  # never write a file that would not load

    from nextround.paths import ensure_folder

    folder = ensure_folder(user_scenario_dir())
    path = folder / f"{name}.yaml"
    if path.exists() and not force:
        raise click.ClickException(f"{path} already exists; pass --force to overwrite it")
    from nextround.export import write_private

    # What the user suspects held them back is personal: the folder and file are user-only.
    write_private(path, text)
    click.echo(f"wrote {path}")
    click.echo(f"Practise it: nextround {kind} --scenario {name}")

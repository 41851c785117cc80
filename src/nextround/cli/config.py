"""`nextround config`: the effective model settings and where each one comes from. Never shows the key."""

from __future__ import annotations

import json

import click


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
@click.option("--provider", type=click.Choice(["offline", "openai"]), default=None, help="As the rehearsal would get it.")
@click.option("--model", metavar="NAME", default=None, help="As the rehearsal would get it.")
@click.option("--base-url", metavar="URL", default=None, help="As the rehearsal would get it.")
@click.option("--judge", type=click.Choice(["local", "llm", "both"]), default=None, help="As the rehearsal would get it.")
def config(as_json: bool, **overrides: str | None) -> None:
    """Show the effective model settings and where each comes from (the API key only as set / not set).

    \b
    Sources, strongest first: command-line options; environment variables
    (OPENAI_API_KEY, OPENAI_BASE_URL, NEXTROUND_PROVIDER, NEXTROUND_MODEL, NEXTROUND_TIMEOUT,
    NEXTROUND_MAX_RETRIES, NEXTROUND_STRUCTURED_OUTPUT, NEXTROUND_JUDGE); the config file
    (config.toml in nextround's config folder, every key but the API key); defaults.
    """
    from nextround.llm import config_file, load_settings

    loaded = load_settings(overrides)
    s, sources = loaded.settings, loaded.sources
    rows = [
        ("provider", s.effective_provider,
         sources["provider"] if s.provider is not None else "default (openai when a key or base URL is set)"),
        ("model", s.model, sources["model"]),
        ("base_url", s.endpoint if s.effective_provider == "openai" else (s.base_url or "-"), sources["base_url"]),
        ("api_key", "set" if s.api_key is not None else "not set", sources["api_key"]),
        ("timeout", f"{s.timeout:g} s", sources["timeout"]),
        ("max_retries", str(s.max_retries), sources["max_retries"]),
        ("structured_output", s.structured_output, sources["structured_output"]),
        ("judge", s.effective_judge,
         sources["judge"] if s.judge is not None else "default (both with a model, else local)"),
    ]
    path = config_file()
    if as_json:
        data = {name: {"value": value, "source": source} for name, value, source in rows}
        data["config_file"] = {"path": str(path), "exists": path.exists()}
        click.echo(json.dumps(data, indent=2))
        return
    width = max(len(r[0]) for r in rows)
    for name, value, source in rows:
        click.echo(f"{name:<{width}}  {value:<28} " + click.style(f"({source})", dim=True))
    click.echo(click.style(f"config file: {path}{'' if path.exists() else ' (not present)'}", dim=True))

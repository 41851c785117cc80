"""`nextround config`: the effective model settings and where each one comes from. Never shows the key."""

from __future__ import annotations

import json

import click

from nextround.cli.model_options import model_options


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
@model_options
def config(as_json: bool, **options: str | None) -> None:
    """Show the effective model settings and where each comes from (the API key only as set / not set).

    \b
    Sources, strongest first: command-line options; environment variables
    (OPENAI_API_KEY, OPENAI_BASE_URL, NEXTROUND_PROVIDER, NEXTROUND_MODEL, NEXTROUND_TIMEOUT,
    NEXTROUND_MAX_RETRIES, NEXTROUND_STRUCTURED_OUTPUT, NEXTROUND_JUDGE, NEXTROUND_LOG_TRAFFIC);
    the config file (config.toml in nextround's config folder: every key but the API key, and a
    [model_kwargs] table for a MODULE:CLASS provider); defaults. The global --debug turns the
    traffic log on.
    """
    from nextround.cli.model_options import load_model_settings
    from nextround.models.settings import config_file, traffic_log_path

    loaded = load_model_settings(options)
    s, sources = loaded.settings, loaded.sources
    rows = [
        ("provider", s.effective_provider,
         sources["provider"] if s.provider is not None else "default (openai when a key or base URL is set)"),
        ("model", s.effective_model, sources["model"]),
        ("base_url", s.endpoint if s.effective_provider == "openai" else (s.base_url or "-"), sources["base_url"]),
        ("api_key", "set" if s.api_key is not None else "not set", sources["api_key"]),
        ("timeout", f"{s.timeout:g} s", sources["timeout"]),
        ("max_retries", str(s.max_retries), sources["max_retries"]),
        ("structured_output", s.structured_output, sources["structured_output"]),
        ("judge", s.effective_judge,
         sources["judge"] if s.judge is not None else "default (both with a model, else local)"),
        ("log_traffic", f"on: {traffic_log_path()}" if s.log_traffic else "off", sources["log_traffic"]),
    ]
    if s.model_class is not None:
        rows.append(("model_kwargs", ", ".join(sorted(s.model_kwargs)) or "-", sources["model_kwargs"]))
    path = config_file()
    if as_json:
        data = {name: {"value": value, "source": source} for name, value, source in rows}
        data["config_file"] = {"path": str(path), "exists": path.exists()}
        data["traffic_log"] = {"path": str(traffic_log_path()), "on": s.log_traffic}
        click.echo(json.dumps(data, indent=2))
        return
    width = max(len(r[0]) for r in rows)
    for name, value, source in rows:
        click.echo(f"{name:<{width}}  {value:<28} " + click.style(f"({source})", dim=True))
    click.echo(click.style(f"config file: {path}{'' if path.exists() else ' (not present)'}", dim=True))

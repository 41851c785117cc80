"""The one set of model options every command that can use a model shares (feedback, career, plan, config), and
how a command turns them into settings. No model stack is imported here."""

from __future__ import annotations

import click

JUDGE_HELP = ("How a line's tone score is made: local = the local scorer alone; llm = the model judge's score; "
              "both = the average of the two (default with a model). A line the local scorer flags never scores "
              "higher than its local score.")


def _provider(ctx, param, value):
    """offline, openai or module:Class; anything else is a usage error (exit 2), like an unknown choice."""
    if value is None:
        return None
    from nextround.models.settings import CLASS_PATH

    if value.lower() in {"offline", "openai"} or CLASS_PATH.match(value):
        return value
    raise click.BadParameter(f"{value!r}: use offline, openai, or an installed LangChain chat model class as "
                             "MODULE:CLASS (e.g. langchain_ollama:ChatOllama)")


def model_options(func=None, *, judge: bool = True):
    """--provider/--model/--base-url (and --judge): which model, if any, renders, reads and judges."""
    if func is None:
        return lambda f: model_options(f, judge=judge)
    if judge:
        func = click.option("--judge", type=click.Choice(["local", "llm", "both"]), default=None,
                            help=JUDGE_HELP)(func)
    func = click.option("--base-url", metavar="URL", default=None,
                        help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1 (or OPENAI_BASE_URL).")(func)
    func = click.option("--model", metavar="NAME", default=None, help="Model name (or NEXTROUND_MODEL).")(func)
    func = click.option("--provider", metavar="offline|openai|MODULE:CLASS", default=None, callback=_provider,
                        help="offline: scenario lines; openai: any OpenAI-compatible model; MODULE:CLASS: an "
                             "installed LangChain chat model, with [model_kwargs] from config.toml "
                             "(default: openai when OPENAI_API_KEY or a base URL is set).")(func)
    return func


def load_model_settings(options: dict):
    """The settings for these options; the global --debug turns the traffic log on."""
    from nextround.models.settings import load_settings

    overrides = dict(options)
    ctx = click.get_current_context(silent=True)
    if ctx is not None and (ctx.find_root().obj or {}).get("debug"):
        overrides["log_traffic"] = True
    return load_settings(overrides)


def model_settings(options: dict, quiet_offline: bool = False, what: str = "counterpart"):
    """Load the model settings and say on stderr which model is used (one dim line)."""
    from nextround.models.settings import describe_choice

    settings = load_model_settings(options).settings
    if settings.uses_model or not quiet_offline:
        click.echo(click.style(describe_choice(settings, what), dim=True), err=True)
    return settings

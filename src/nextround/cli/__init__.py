"""The `nextround` command. Each command group lives in its own module; this one only wires them up.

Command modules import nothing heavy at module level, so `nextround --help` stays fast.
"""

from __future__ import annotations

import os
import sys

import click

from nextround import __version__
from nextround.cli import config, history, plan, rehearse, scenarios, score, web


class NextroundGroup(click.Group):
    """Turns expected failures into one clear line and exit 1; `--debug` shows the traceback instead."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place that decides how failures look
            if _debug_wanted(ctx):
                raise
            raise click.ClickException(_describe(exc)) from None


def _debug_wanted(ctx: click.Context) -> bool:
    return bool((ctx.obj or {}).get("debug")) or os.environ.get("NEXTROUND_DEBUG") == "1"


def _describe(exc: Exception) -> str:
    from nextround.errors import describe

    return describe(exc)


@click.group(cls=NextroundGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="nextround")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Rehearse the conversations after a turned-down internal promotion.

    \b
    nextround feedback     rehearse asking the hiring manager for feedback
    nextround career       rehearse the career talk with your own manager
    nextround score TEXT   score one line for collaborative, non-adversarial tone
    nextround plan         take stock and get a dated plan from your practice
    nextround web          the same, as a page in your browser (on this machine only)

    Data lives in NEXTROUND_HOME (default: your user data folder). Works offline by default.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


cli.add_command(rehearse.feedback)
cli.add_command(rehearse.career)
cli.add_command(score.score)
cli.add_command(history.history)
cli.add_command(history.show)
cli.add_command(history.export)
cli.add_command(plan.plan)
cli.add_command(scenarios.scenarios)
cli.add_command(config.config)
cli.add_command(web.web)


def main() -> None:
    # Python's default would print a traceback for a broken pipe (e.g. `nextround history | head`).
    try:
        cli(prog_name="nextround")
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)

"""Paths that need no reading (`--help`, `history`, `show`, `config`) never import numpy or load the encoder."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = r"""
import json, sys
from nextround.cli import cli
try:
    cli.main(args=json.loads(sys.argv[1]), prog_name="nextround", standalone_mode=False)
except SystemExit:
    pass
except Exception as exc:
    sys.stderr.write(f"\nFAILED={exc}\n")
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {"numpy", "tokenizers"}
               or m == "nextround.reading.encoder")
sys.stderr.write("\nLOADED=" + json.dumps(heavy) + "\n")
"""


def loaded_after(args: list[str], home) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "NEXTROUND"))}
    env["NEXTROUND_HOME"] = str(home)
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True, env=env,
                          timeout=120)
    marker = [line for line in proc.stderr.splitlines() if line.startswith("LOADED=")]
    assert marker, proc.stderr
    return json.loads(marker[-1][len("LOADED="):])


def test_help_history_show_and_config_never_load_the_encoder(isolated_home, tmp_path):
    script = tmp_path / "s.txt"
    script.write_text("Thanks for the time; I'd value your advice.\nHow did my interview come across?\n"
                      "Thank you, that helps.\n", encoding="utf-8")
    # a session to show and plan from (this one does load the reader, in its own process)
    subprocess.run([sys.executable, "-m", "nextround", "feedback", "--script", str(script), "--json"],
                   env={**os.environ, "NEXTROUND_HOME": str(isolated_home)}, capture_output=True, timeout=120,
                   check=True)
    for args in (["--help"], ["history"], ["show", "latest"], ["export", "latest", "--format", "json"], ["config"],
                 ["scenarios", "list"], ["plan", "--format", "json"]):
        assert loaded_after(args, isolated_home) == [], args


def test_a_rehearsal_does_load_it(isolated_home, tmp_path):
    script = tmp_path / "s.txt"
    script.write_text("Thanks for the time.\n", encoding="utf-8")
    assert "numpy" in loaded_after(["feedback", "--script", str(script), "--json"], isolated_home)

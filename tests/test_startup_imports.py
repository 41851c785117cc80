"""The offline paths (`--help`, `score`, an offline rehearsal, `history`, `config`, `plan` and `scenarios new`
without a model) never load the model stack (openai, LangChain); the paths that read no line (`--help`, `history`,
`show`, `export`, `config`, `plan`, `scenarios`) do not load numpy either; `history` does not load the scenario
models."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("openai", "langchain", "langchain_openai", "langchain_core")
#: What only reading a line needs (the sentence encoder and the stance classifier).
READING = ("numpy", "tokenizers")
#: The scenario models (pydantic): several hundred milliseconds to import on a slow 2-core machine.
SCENARIO_MODELS = ("nextround.scenario.models",)

PROBE = r"""
import json, sys
from nextround.cli import cli
args = json.loads(sys.argv[1])
try:
    cli.main(args=args, prog_name="nextround", standalone_mode=False)
except SystemExit:
    pass
except Exception as exc:  # a failing command must not hide what it imported
    sys.stderr.write(f"\nFAILED={exc}\n")
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY} or m in {HEAVY})
sys.stderr.write("\nLOADED=" + json.dumps(heavy) + "\n")
"""


def loaded_after(args: list[str], env_home, modules: tuple[str, ...] = HEAVY) -> list[str]:
    import os

    env = {k: v for k, v in os.environ.items() if k not in {"OPENAI_API_KEY", "OPENAI_BASE_URL", "NEXTROUND_PROVIDER"}}
    env["NEXTROUND_HOME"] = str(env_home)
    code = PROBE.replace("{HEAVY}", repr(set(modules)))
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(args)], capture_output=True, text=True,
                          env=env, timeout=60)
    marker = [line for line in proc.stderr.splitlines() if line.startswith("LOADED=")]
    assert marker, proc.stderr
    return json.loads(marker[-1][len("LOADED="):])


def test_help_does_not_import_the_model_stack(isolated_home):
    assert loaded_after(["--help"], isolated_home) == []


def test_score_does_not_import_the_model_stack(isolated_home):
    assert loaded_after(["score", "Thanks, I'd value your advice on growing."], isolated_home) == []


def test_offline_rehearsal_history_config_and_plan_do_not_import_the_model_stack(isolated_home, tmp_path):
    script = tmp_path / "lines.txt"
    script.write_text("Thanks for making the time; I'd value your advice.\nHow did my interview come across?\n"
                      "Thank you, that helps.\n")
    assert loaded_after(["feedback", "--script", str(script), "--json"], isolated_home) == []
    for args in (["history"], ["history", "--json"], ["show", "latest"], ["config"], ["plan"],
                 ["plan", "--format", "json"]):
        assert loaded_after(args, isolated_home) == [], args


def test_an_offline_scenario_is_composed_without_the_model_stack(isolated_home):
    args = ["scenarios", "new", "--no-input", "--kind", "career", "--role-applied", "charge nurse", "--name", "mine"]
    assert loaded_after(args, isolated_home) == []
    assert (isolated_home / "config" / "scenarios" / "mine.yaml").exists()


def test_paths_that_read_no_line_do_not_load_numpy(isolated_home, tmp_path):
    script = tmp_path / "lines.txt"
    script.write_text("Thanks for making the time; I'd value your advice.\nHow did my interview come across?\n"
                      "Thank you, that helps.\n")
    # The probe works: a rehearsal reads lines, so it does load the encoder's modules.
    assert set(loaded_after(["feedback", "--script", str(script), "--json"], isolated_home, READING)) >= {"numpy"}
    for args in (["--help"], ["history"], ["show", "latest"], ["export", "latest", "--format", "md"], ["config"],
                 ["plan"], ["plan", "--format", "json"], ["scenarios", "list"], ["scenarios", "show", "feedback"]):
        assert loaded_after(args, isolated_home, READING) == [], args


def test_the_model_path_does_load_it(isolated_home):
    # The probe itself works: building the model parts does import LangChain and the SDK.
    code = ("import sys\nfrom nextround.models.settings import Settings\n"
            "from nextround.assembly import build_rehearsal_parts\n"
            "parts = build_rehearsal_parts(Settings(base_url='http://127.0.0.1:9/v1'))\n"
            "print(all(m in sys.modules for m in ('openai', 'langchain_core', 'langchain_openai')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "True", proc.stderr


#: The local page's stack: only `nextround web` loads it.
WEB_STACK = ("starlette", "uvicorn")


def test_no_command_but_web_imports_the_web_stack(isolated_home, tmp_path):
    script = tmp_path / "lines.txt"
    script.write_text("Thanks for making the time; I'd value your advice.\nHow did my interview come across?\n"
                      "Thank you, that helps.\n")
    for args in (["--help"], ["web", "--help"], ["feedback", "--script", str(script), "--json"], ["history"],
                 ["show", "latest"], ["config"], ["plan"], ["scenarios", "list"], ["score", "Thanks, that helps."]):
        assert loaded_after(args, isolated_home, WEB_STACK) == [], args
    # The probe works: the page's app does load Starlette.
    code = "import sys\nimport nextround.web.app\nprint('starlette' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "True", proc.stderr


def test_history_lists_sessions_without_importing_the_scenario_models(isolated_home, tmp_path):
    script = tmp_path / "lines.txt"
    script.write_text("Thanks for making the time; I'd value your advice.\n")
    # The probe works: a rehearsal needs its scenario.
    assert loaded_after(["feedback", "--script", str(script), "--json"], isolated_home, SCENARIO_MODELS) == [
        "nextround.scenario.models"]
    for args in (["history"], ["history", "--json"]):
        assert loaded_after(args, isolated_home, SCENARIO_MODELS) == [], args

"""Hand mutations of the core modules: each breaks one behaviour a user would notice, and the tests must catch it.

    python scripts/mutations.py            # CAUGHT or MISSED per mutation; exit 1 if any is missed
    python scripts/mutations.py closing    # only the mutations whose name contains "closing"

Each mutation replaces one piece of source text, runs the test files named with it (stopping at the first
failure), and restores the file, even on Ctrl-C. The plan's own mutations are in scripts/plan_mutations.py; the
results of both are recorded in tests/README.md.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (name, file, text to replace, its replacement, test files that must catch it)
MUTATIONS = [
    # --- engine -------------------------------------------------------------------------------------------------
    ("engine: at most 2 unlocks per line -> 9", "src/nextround/engine.py",
     "MAX_UNLOCKS_PER_TURN = 2", "MAX_UNLOCKS_PER_TURN = 9", ["test_engine.py"]),
    ("engine: closing tone always warm", "src/nextround/engine.py",
     '    said = state.decisions\n    if not said:\n        return "neutral"',
     '    said = state.decisions\n    return "warm"', ["test_engine.py", "test_report.py"]),
    ("engine: closing never warm", "src/nextround/engine.py",
     '    if adversarial == 0 and state.candor >= state.scenario.start_candor + 10:\n        return "warm"',
     '    if False:\n        return "warm"', ["test_engine.py", "test_report.py"]),
    ("engine: a last sharp word no longer cools the closing", "src/nextround/engine.py",
     "adversarial * 3 >= len(said) or said[-1].reading.adversarial:", "adversarial * 3 >= len(said):",
     ["test_engine.py"]),
    ("engine: candor gain/loss asymmetry removed (loss mirrors gain)", "src/nextround/engine.py",
     "value = candor - (10 + (ADVERSARIAL_AT - score) * 0.5)", "value = candor - (4 + (ADVERSARIAL_AT - score) * 0.3)",
     ["test_engine.py"]),
    ("engine: clarifying question costs candor", "src/nextround/engine.py",
     '            base["candor_after"] = max(candor_after, state.candor)\n', "", ["test_engine.py"]),
    ("engine: a line repeats while an unused one is left", "src/nextround/engine.py",
     "        for i in range(len(options)):\n            if i not in order:\n                return i\n", "",
     ["test_engine.py"]),
    ("engine: an insight opens below its candor threshold", "src/nextround/engine.py",
     "if candor_after >= insight.min_candor and len(reveal)", "if len(reveal)", ["test_engine.py"]),
    ("engine: an adversarial line can open insights", "src/nextround/engine.py",
     "    if reading.adversarial:\n        stance", "    if False:\n        stance", ["test_engine.py"]),
    ("engine: an injection attempt is answered like a question", "src/nextround/engine.py",
     "    if reading.manipulation:\n", "    if False:\n", ["test_engine.py"]),
    ("engine: retry leaves the used lines marked", "src/nextround/engine.py",
     "    state.candor, state.unlocked, state.depth, state.book, state.last_topic = state._undo.pop()",
     "    state.candor, state.unlocked, state.depth, _, state.last_topic = state._undo.pop()", ["test_engine.py"]),
    ("engine: deeper layers skipped (reveal, then 'that's all')", "src/nextround/engine.py",
     "        if said < len(said_lines):", "        if False:", ["test_engine.py"]),
    # --- the local reader ---------------------------------------------------------------------------------------
    ("reader: a flag points at a lone word", "src/nextround/reading/reader.py",
     '    core = phrase[lead:].rstrip(" .,;:!?-–—")\n',
     '    core = phrase[lead:].rstrip(" .,;:!?-–—").split(" ")[-1]\n', ["test_reading.py"]),
    ("reader: collaborative lines flagged clause by clause", "src/nextround/reading/reader.py",
     "if mass < p.flag_at or score >= REWRITE_BELOW:", "if mass < p.flag_at:", ["test_reading.py"]),
    ("reader: no whole-line rewrite", "src/nextround/reading/reader.py",
     "rewrite = self._rewrite(parts, flags) if flags and score < REWRITE_BELOW else None", "rewrite = None",
     ["test_reading.py"]),
    ("reader: the rewrite keeps the grievance", "src/nextround/reading/reader.py",
     "            if mine or mass >= 0.3:", "            if False:", ["test_reading.py"]),
    ("reader: an insult after a polite opening can stay collaborative", "src/nextround/reading/reader.py",
     "        if insults:  # contempt aimed at someone", "        if False:  # contempt aimed at someone",
     ["test_reading.py"]),
    ("reader: no flag on a line that is adversarial as a whole", "src/nextround/reading/reader.py",
     "        if not flags and score <= ADVERSARIAL_AT:", "        if False:", ["test_reading.py"]),
    ("reader: an adversarial line counts as sincere", "src/nextround/reading/reader.py",
     "        sincere = not adversarial\n", "        sincere = True\n", ["test_reading.py"]),
    ("reader: injection attempts not recognised", "src/nextround/reading/cues.py",
     "    return bool(_MANIPULATION.search(normalise(text)))", "    return False",
     ["test_faults.py"]),
    ("scenario: cues may be stopwords", "src/nextround/scenario/models.py",
     "if not tokens or all(t in STOPWORDS for t in tokens):", "if not tokens:", ["test_scenarios_cli.py"]),
    # --- the report ---------------------------------------------------------------------------------------------
    ("report: best and worst line swapped", "src/nextround/report.py",
     '        "best": _line(best),\n        "worst": _line(worst, with_fix=True),',
     '        "best": _line(worst),\n        "worst": _line(best, with_fix=True),', ["test_report.py"]),
    ("report: the later line wins a tie", "src/nextround/report.py",
     "best = max(scored, key=lambda t: (t.score, -t.seq), default=None)",
     "best = max(scored, key=lambda t: (t.score, t.seq), default=None)", ["test_report.py"]),
    ("report: retried lines count", "src/nextround/report.py",
     '    return [t for t in session.live_turns if t.role == "user"]',
     '    return [t for t in session.turns if t.role == "user"]', ["test_report.py"]),
    ("report: the weakest line has no better phrasing", "src/nextround/report.py",
     '        line["better"] = turn.rewrite or (turn.flags[0]["better"] if turn.flags else None)',
     '        line["better"] = None', ["test_report.py"]),
    # --- the session --------------------------------------------------------------------------------------------
    ("session: long lines are not cut", "src/nextround/session.py",
     "    if len(text) > MAX_LINE_CHARS:", "    if False:", ["test_faults.py"]),
    ("session: control characters kept", "src/nextround/session.py",
     '    text = _CONTROL.sub(" ", text).strip()', "    text = text.strip()", ["test_faults.py"]),
    ("session: /retry does not mark the old line in the store", "src/nextround/session.py",
     "        self.store.supersede_last_exchange(self.session_id)\n", "",
     ["test_cli_rehearse.py", "test_report.py"]),
    ("session: the closing turn does not record its tone", "src/nextround/session.py",
     '            detail["closing"] = closing_tone', "            pass", ["test_report.py"]),
    ("session: the user's line is saved only after the reply", "src/nextround/session.py",
     "        reply = self._reply(decision.move, decision.line, decision.topic, on_token, decision=decision)\n",
     "", ["test_cli_rehearse.py"]),
    # --- plan dates (more plan mutations: scripts/plan_mutations.py) ---------------------------------------------
    ("plan dates: the weekend shift removed", "src/nextround/plan/dates.py",
     "    while day.weekday() >= 5:\n        day += timedelta(days=1)\n    return day", "    return day",
     ["test_plan.py"]),
    # --- the model judge ----------------------------------------------------------------------------------------
    ("judge: keeps asking an unreachable endpoint", "src/nextround/models/structured.py",
     "        if self._unreachable:\n            return None\n", "", ["test_models.py"]),
    ("judge: gives up after a server error too", "src/nextround/models/structured.py",
     "if exc.status is None or exc.status in UNREACHABLE_STATUSES:", "if True:", ["test_models.py"]),
    # --- start-up, merge, files ----------------------------------------------------------------------------------
    ("startup: history imports numpy eagerly", "src/nextround/cli/history.py",
     "import click\n", "import click\nimport numpy  # noqa\n", ["test_startup_imports.py"]),
    ("merge: a model lifts a line the local reader flagged", "src/nextround/reading/merge.py",
     "    if flagged:\n        score = min(score, local.tone.score)\n", "", ["test_models.py"]),
    ("export: an exported file readable by others", "src/nextround/export.py",
     "os.chmod(path, 0o600)", "os.chmod(path, 0o644)", ["test_history.py"]),
    # --- bad input ----------------------------------------------------------------------------------------------
    ("cli: a binary script is played", "src/nextround/cli/rehearse.py",
     "read_lines(script, require_text=True)", "read_lines(script)", ["test_faults.py"]),
    ("cli: an unknown slash command in a script is said", "src/nextround/cli/rehearse.py",
     "                       f\"(known: {', '.join(sorted(SCRIPT_COMMANDS - {'/?'}))})\", err=True)\n            continue\n",
     "                       f\"(known: {', '.join(sorted(SCRIPT_COMMANDS - {'/?'}))})\", err=True)\n",
     ["test_faults.py"]),
    ("cli: a bare 'exit' is said to the counterpart", "src/nextround/cli/rehearse.py",
     "            if command.rstrip(\".!\") in BARE_EXITS:", "            if False:", ["test_faults.py"]),
    ("cli: -o into a missing folder creates it", "src/nextround/export.py",
     "    check_output_folder(path)\n    write_private(path, text)", "    write_private(path, text)",
     ["test_plan.py"]),
    ("plan: an unreachable model fails the plan", "src/nextround/plan/make.py",
     "    except LLMError as exc:", "    except ZeroDivisionError as exc:", ["test_plan.py"]),
    ("home: the config folder is not checked", "src/nextround/paths.py",
     '        return check_folder(root / "config")', '        return root / "config"', ["test_home.py"]),
    ("home: a folder is created without checking what is there", "src/nextround/paths.py",
     "    check_folder(path)\n    try:", "    try:", ["test_home.py"]),
    ("home: the store opens its folder unchecked", "src/nextround/store.py",
     "        ensure_folder(path.parent)\n", "        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)\n",
     ["test_store.py", "test_home.py"]),
    ("home: an unwritable reading cache fails the rehearsal", "src/nextround/reading/topics.py",
     "    except (OSError, NextroundError):\n        pass  # the next session", "    except OSError:\n        pass  # the next session",
     ["test_home.py"]),
]


def run(name: str, path: str, old: str, new: str, tests: list[str]) -> bool:
    file = ROOT / path
    source = file.read_text(encoding="utf-8")
    if source.count(old) != 1:
        raise SystemExit(f"{name}: the text to mutate is not in {path} exactly once; update this script")
    file.write_text(source.replace(old, new, 1), encoding="utf-8")
    try:
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                               *[f"tests/{t}" for t in tests]], cwd=ROOT, capture_output=True, text=True)
    finally:
        file.write_text(source, encoding="utf-8")
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{name}: pytest could not run (exit {proc.returncode}):\n{proc.stdout[-2000:]}")
    caught = proc.returncode == 1
    failed = [line.split(" ", 1)[1].split(" - ")[0] for line in proc.stdout.splitlines() if line.startswith("FAILED ")]
    print(f"{'CAUGHT' if caught else 'MISSED'}  {name}" + (f"  <- {failed[0]}" if failed else ""), flush=True)
    return caught


def main() -> None:
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    start = time.monotonic()
    missed = [m[0] for m in MUTATIONS if only in m[0] and not run(*m)]
    print(f"{'missed: ' + ', '.join(missed) if missed else 'all caught'} ({time.monotonic() - start:.0f} s)")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()

"""Hand mutations of the plan code: each breaks one behaviour on purpose, and the named tests must catch it.

    python scripts/plan_mutations.py        # prints CAUGHT or MISSED per mutation; exit 1 if any is missed

Each mutation edits one file, runs the matching tests in tests/test_plan.py and tests/test_plan_said.py, and
restores the file.
"""
import os
import subprocess
import sys

os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
MUTATIONS = [
 ("weekend shift removed", "src/nextround/plan/dates.py", "    while day.weekday() >= 5:\n        day += timedelta(days=1)\n    return day", "    return day", "test_due_dates_fit or test_ranking_and_date_rules"),
 ("best -> latest", "src/nextround/plan/select.py", 'chosen = choose(pool, "latest" if latest else "best", since)', 'chosen = choose(pool, "latest", since)', "test_the_strong_sessions or test_a_tie"),
 ("interrupted allowed", "src/nextround/plan/select.py", '    if status != "completed":\n        return status', '    if False:\n        return status', "test_the_strong_sessions or test_nothing or test_choose"),
 ("no persona substitution", "src/nextround/plan/phrasing.py", '    role = role_of(scenario.kind)\n    for variant in _name_variants(scenario.counterpart.name):', '    role = role_of(scenario.kind)\n    for variant in []:', "test_actions_prepare or test_answers_are"),
 ("no cap of 5", "src/nextround/plan/actions.py", "    return ranked[:MAX_ACTIONS], ranked[MAX_ACTIONS:]", "    return ranked, []", "test_actions_prepare or test_the_strong"),
 ("quotes: reply after the line", "src/nextround/plan/findings.py", "            if not replies and idx + 1", "            replies = []\n            if not replies and idx + 1", "test_quotes_come"),
 ("partial known", "src/nextround/plan/answers.py", "        settled = not signals or not can_settle or any(f.insight.signal in signals for f in informing)", "        settled = True", "test_an_unsettled"),
 ("show without numbers", "src/nextround/render.py", "        number = f\"[dim]turn {turn['turn']}[/]  \"", "        number = \"\"", "test_show_and_export or test_the_strong"),
 ("show hides rephrased", "src/nextround/cli/history.py", "session_to_dict(session, include_superseded=True)", "session_to_dict(session)", "test_show_and_export"),
 ("folder created", "src/nextround/export.py", "    check_output_folder(path)\n    write_private(path, text)", "    write_private(path, text)", "test_output_file"),
 ("model failure raises", "src/nextround/plan/make.py", "    except LLMError as exc:", "    except ZeroDivisionError as exc:", "test_an_unreachable"),
 ("no period fit", "src/nextround/plan/dates.py", "    for window in windows(text, today):", "    for window in []:", "test_due_dates_fit or test_an_action_that_names_a_period"),
 ("md quote runs into asked", "src/nextround/plan/markdown.py", '        out += [">", f"> You had asked{turn}: “{e.asked}”"]', '        out += [f"> You had asked{turn}: “{e.asked}”"]', "test_markdown_keeps"),
 ("follow-up before meeting", "src/nextround/plan/actions.py", "    earliest = next_working_day(meeting_due) if meeting_due else None", "    earliest = None", "test_due_dates_fit"),
 ("rehearse same day as meeting", "src/nextround/plan/actions.py", "            due = max(due, next_working_day(rehearse_due))", "            due = rehearse_due", "test_weak_lines"),
 ("titles instead of takeaways", "src/nextround/plan/findings.py", 'Said(layer, " ".join(insight.takeaways[layer].split())', 'Said(layer, " ".join(insight.title.split())', "test_answers_are"),
 ("whole takeaway, not the layers said", "src/nextround/plan/findings.py", 'Said(layer, " ".join(insight.takeaways[layer].split())', 'Said(layer, " ".join(insight.takeaways[-1].split())', "test_answers_are"),
 ("offers accepted", "src/nextround/plan/actions.py", "    if f.insight.offer or names_in(", "    if names_in(", "test_actions_and_later_items_name_no"),
 ("every suggestion kept", "src/nextround/plan/actions.py", "    if f.insight.offer or names_in(text, practice_names(scenario)) or f.unsaid_words(text):", "    if False:", "test_after_a_good_pair or test_actions_and_later or test_due_dates_fit"),
 ("demo before your own", "src/nextround/plan/select.py", "key=lambda s: (s.scenario not in builtin, len(s.unlocked))", "key=lambda s: len(s.unlocked)", "test_own_scenario"),
 ("model facts unchecked", "src/nextround/plan/wording.py", "            added = new_facts(text, allowed)", "            added = []", "test_model_wording_that_adds"),
 ("fragments asked", "src/nextround/plan/phrasing.py", "                and not sentence.lower().startswith(_FRAGMENT_START)\n                and \"else\" not in tokens and tokens and tokens[-1] not in _POINTS_BACK):", "                ):", "test_questions_to_ask"),
 ("all later items on screen", "src/nextround/render.py", "        shown = plan.later if full else plan.later[:LATER_SHOWN]", "        shown = plan.later", "test_the_default_text_plan"),
 ("meetings not first", "src/nextround/plan/actions.py", "    return _Candidate(action, (0, not settles, -len(ordered), kind))", "    return _Candidate(action, (4, not settles, -len(ordered), kind))", "test_actions_prepare"),
 ("signals not ranked first", "src/nextround/plan/actions.py", "    return (3, not decisive,", "    return (3, decisive,", "test_actions_prepare"),
]
failed = []
for name, path, old, new, tests in MUTATIONS:
    src = open(path).read()
    assert old in src, name
    open(path, "w").write(src.replace(old, new, 1))
    try:
        r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "tests/test_plan.py", "tests/test_plan_said.py", "-k", tests], capture_output=True, text=True)
        caught = r.returncode != 0
        print(("CAUGHT  " if caught else "MISSED  ") + name, flush=True)
        if not caught: failed.append(name)
    finally:
        open(path, "w").write(src)
print("missed:", failed)
sys.exit(1 if failed else 0)

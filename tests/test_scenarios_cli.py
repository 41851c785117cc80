"""`nextround scenarios list|show|new`, and using your own scenario in practice."""

from __future__ import annotations

import json

import pytest
import yaml

NEW_FEEDBACK = [
    "scenarios", "new", "--kind", "feedback", "--name", "platform-em", "--role-applied", "Engineering Manager, Platform",
    "--held-back", "weak stakeholder communication", "--manager-style", "direct",
    "--winner", "she had run the on-call rotation for two years", "--counterpart-name", "Ravi Mehta",
    "--counterpart-role", "VP Engineering", "--no-input",
]


def _user_dir():
    from nextround.scenario import user_scenario_dir

    return user_scenario_dir()


def test_list_shows_built_in_scenarios(nextround):
    result = nextround("scenarios", "list", "--json")
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.output)}
    assert {"feedback", "career"} <= rows.keys()
    for name in ("feedback", "career"):
        assert rows[name]["source"] == "built-in" and rows[name]["kind"] == name
        assert rows[name]["insights"] >= 5 and rows[name]["path"].endswith(f"{name}.yaml")
    text = nextround("scenarios", "list").output
    assert "feedback" in text and "career" in text and "built-in" in text


def test_new_writes_a_valid_scenario_that_practice_can_use(nextround, tmp_path):
    from nextround.scenario import load_scenario_file

    result = nextround(*NEW_FEEDBACK)
    assert result.exit_code == 0, result.output
    path = _user_dir() / "platform-em.yaml"
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)  # personal details: user-only
    scenario = load_scenario_file(path)
    assert scenario.kind == "feedback" and scenario.name == "platform-em"
    assert scenario.counterpart.name == "Ravi Mehta" and scenario.counterpart.role == "VP Engineering"
    assert "Engineering Manager, Platform" in scenario.title
    assert "Blunt" in scenario.counterpart.style
    texts = json.dumps(scenario.model_dump(mode="json"))
    assert "Dana" not in texts  # the built-in counterpart's name is gone from every line
    held = [i for i in scenario.insights if "stakeholder communication" in i.knows]
    assert held and "stakeholder communication" in held[0].reveal
    assert any("on-call rotation" in i.knows for i in scenario.insights)

    rows = {r["name"]: r for r in json.loads(nextround("scenarios", "list", "--json").output)}
    assert rows["platform-em"]["source"] == "yours" and rows["platform-em"]["kind"] == "feedback"

    script = tmp_path / "lines.txt"
    script.write_text(
        "Thanks Ravi. I accept the decision and I'd value your advice on becoming a stronger candidate.\n"
        "I'd appreciate hearing how my interview answers came across.\n", encoding="utf-8")
    played = nextround("feedback", "--scenario", "platform-em", "--script", str(script), "--json")
    assert played.exit_code == 0, played.output
    data = json.loads(played.output)
    assert data["scenario"] == "platform-em" and data["counterpart"].startswith("Ravi Mehta")


def test_new_refuses_to_overwrite_without_force(nextround):
    assert nextround(*NEW_FEEDBACK).exit_code == 0
    again = nextround(*NEW_FEEDBACK)
    assert again.exit_code == 1 and "--force" in again.output
    assert nextround(*NEW_FEEDBACK, "--force").exit_code == 0


def test_new_asks_about_the_situation_interactively(nextround):
    answers = "\n".join([
        "career",                   # which conversation
        "Staff Engineer",           # role
        "not taking initiative",    # held back
        "Jo Park",                  # manager's name
        "Head of Payments",         # title
        "warm",                     # style
        "",                         # name: default
    ]) + "\n"
    result = nextround("scenarios", "new", input=answers)
    assert result.exit_code == 0, result.output
    from nextround.scenario import load_scenario_file

    scenario = load_scenario_file(_user_dir() / "my-career.yaml")
    assert scenario.kind == "career" and scenario.counterpart.name == "Jo Park"
    assert "Staff Engineer" in scenario.title
    assert any("not taking initiative" in i.ask_hint for i in scenario.insights)
    # "Sam" inside other words ("Same answer") is left alone when the name is swapped.
    assert any(line.startswith("Same answer") for line in scenario.lines.exhausted)


def test_new_rejects_a_bad_name(nextround):
    result = nextround("scenarios", "new", "--kind", "career", "--name", "Bad Name!", "--no-input")
    assert result.exit_code == 2
    assert "--name" in result.output


def test_show_hides_insights_unless_revealed(nextround):
    from nextround.scenario import load_builtin

    feedback = load_builtin("feedback")
    hidden = nextround("scenarios", "show", "feedback")
    assert hidden.exit_code == 0, hidden.output
    assert feedback.counterpart.name in hidden.output
    assert f"{len(feedback.insights)}" in hidden.output
    assert all(i.title not in hidden.output for i in feedback.insights)
    shown = nextround("scenarios", "show", "feedback", "--reveal")
    assert all(i.id in shown.output for i in feedback.insights)
    assert nextround("scenarios", "show", "nonesuch").exit_code == 1


def test_broken_user_scenario_names_the_field(nextround):
    folder = _user_dir()
    folder.mkdir(parents=True, exist_ok=True)
    from nextround.scenario import load_builtin

    data = load_builtin("career").model_dump(mode="json")
    data["name"] = "broken"
    data["insights"][1]["min_candor"] = "high"
    (folder / "broken.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")

    for args in (("scenarios", "show", "broken"), ("career", "--scenario", "broken", "--script", "-")):
        result = nextround(*args, input="Hello\n")
        assert result.exit_code == 1
        assert "insights.1.min_candor" in result.output and "broken.yaml" in result.output
        assert "Traceback" not in result.output
    rows = {r["name"]: r for r in json.loads(nextround("scenarios", "list", "--json").output)}
    assert "insights.1.min_candor" in rows["broken"]["error"]


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d.pop("counterpart"), "counterpart"),
    (lambda d: d.update(kind="interview"), "kind"),
    (lambda d: d["insights"][0]["action"].update(area="luck"), "insights.0.action.area"),
    (lambda d: d.update(surprise=True), "surprise"),
])
def test_invalid_scenarios_name_the_field(mutate, field):
    from nextround.scenario import ScenarioError, load_builtin, parse_scenario

    data = load_builtin("feedback").model_dump(mode="json")
    mutate(data)
    with pytest.raises(ScenarioError) as err:
        parse_scenario(yaml.safe_dump(data), "mine.yaml")
    assert f"'{field}'" in str(err.value) and "mine.yaml" in str(err.value)


@pytest.mark.parametrize("cue, problem", [("about it", "only function words"), ("What", "only function words"),
                                          ("hr", "too short")])
def test_a_cue_must_carry_the_topic(cue, problem):
    """A stopword cue would match almost any line: the file is refused, naming the insight's cues."""
    from nextround.scenario import ScenarioError, load_builtin, parse_scenario

    data = load_builtin("feedback").model_dump(mode="json")
    data["insights"][2]["cues"] = [data["insights"][2]["cues"][0], cue]
    with pytest.raises(ScenarioError) as err:
        parse_scenario(yaml.safe_dump(data), "mine.yaml")
    assert "'insights.2.cues'" in str(err.value) and problem in str(err.value)

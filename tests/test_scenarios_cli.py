"""`nextround scenarios list|show`, invalid scenario files, and using your own scenario in practice (`scenarios new`:
test_scenario_author.py)."""

from __future__ import annotations

import json

import pytest
import yaml

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

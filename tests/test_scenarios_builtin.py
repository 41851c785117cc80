"""The built-in scenarios load, validate and carry enough content for a real rehearsal."""

from __future__ import annotations

import pytest

from nextround.scenario import load_builtin

BUILTINS = ["feedback", "career"]

# Cues so generic that they would fire on almost any turn and unlock insights by accident.
TOO_GENERIC = {"i", "you", "me", "my", "what", "how", "the", "a", "feedback", "better", "next time", "help"}


@pytest.fixture(params=BUILTINS)
def scenario(request):
    return load_builtin(request.param)


def test_builtin_names_and_kinds():
    for name in BUILTINS:
        sc = load_builtin(name)
        assert sc.name == name
        assert sc.kind == name
        assert sc.start_candor == 50


def test_at_least_five_insights(scenario):
    assert len(scenario.insights) >= 5


def test_cue_lists_hold_no_generic_words(scenario):
    for insight in scenario.insights:
        assert len(set(insight.cues)) == len(insight.cues), f"{insight.id} repeats a cue"
        generic = TOO_GENERIC.intersection(insight.cues)
        assert not generic, f"{insight.id} has over-generic cues {sorted(generic)}"


def test_every_insight_reveals_in_at_least_two_layers(scenario):
    for insight in scenario.insights:
        assert len(insight.reveal) > 20, insight.id
        assert insight.deeper and all(len(line) > 20 for line in insight.deeper), insight.id


def test_thresholds_leave_room_to_earn_candor(scenario):
    thresholds = [i.min_candor for i in scenario.insights]
    assert min(thresholds) <= 58, "some insight should open after a polite turn or two"
    assert all(t > scenario.start_candor for t in thresholds), "nothing should be free at the start"
    assert max(thresholds) <= 80, "every insight should be reachable by a collaborative user"


def test_insights_inform_the_take_stock_questions(scenario):
    informed = {q for i in scenario.insights for q in i.informs}
    assert {"why_not_selected", "what_it_takes"} <= informed or {"prospects", "path_here"} <= informed


def test_career_carries_path_and_manager_signals():
    career = load_builtin("career")
    signals = {i.signal for i in career.insights if i.signal}
    assert signals & {"path-open", "path-closed"}
    assert any(s.startswith("manager-") for s in signals)
    informed = {q for i in career.insights for q in i.informs}
    assert {"prospects", "manager_values", "path_here"} <= informed


def test_career_working_style_issue_needs_high_candor():
    career = load_builtin("career")
    deepest = max(career.insights, key=lambda i: i.min_candor)
    assert deepest.min_candor >= 70
    assert deepest.action.area == "relationships"


def test_feedback_explains_why_not_selected():
    feedback = load_builtin("feedback")
    assert sum("why_not_selected" in i.informs for i in feedback.insights) >= 3

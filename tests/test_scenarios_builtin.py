"""Every built-in scenario loads, validates and carries what a real rehearsal needs (scenario schema 2).

The checks run over every file that ships (`builtin_names()`), so a new built-in gets them too.
"""

from __future__ import annotations

import json
import re

import pytest

from nextround.scenario import Scenario, builtin_names, load_builtin
from nextround.words import content_words

# Built-ins the product promises: the software pair and a non-technical pair (nursing).
EXPECTED_BUILTINS = {
    "feedback": ("feedback", "software engineering"),
    "career": ("career", "software engineering"),
    "nursing-feedback": ("feedback", "nursing"),
    "nursing-career": ("career", "nursing"),
}
# Saved sessions and other tools refer to these insight ids: they must never change.
STABLE_IDS = {
    "feedback": ["interview-answers", "planning-gap", "winner-experience", "stronger-candidacy", "stretch-offer",
                 "panel-visibility", "people-readiness"],
    "career": ["lead-migration", "visibility", "advocacy", "senior-bar", "mentor-network", "prospects",
               "review-reputation"],
}
# Cues so generic that they would point at almost any line.
GENERIC_CUES = {"feedback", "better", "help", "improve", "next time", "advice", "question", "work", "thing"}
# Words from the software scenarios that must not leak into a scenario for another field.
ENGINEERING_TERMS = [
    "engineer", "engineering", "software", "roadmap", "budget", "deploy", "deployment", "pipeline", "code review",
    "pull request", "migration", "cloud", "sprint", "platform", "release", "architecture",
    "tech talk", "backend", "frontend", "codebase", "repository", "on-call rotation", "ops review", "blog",
    "stakeholder", "headcount", "q3",
]
# A goodbye that contains one of these sounds warm; a neutral or cool closing must not.
WARM_MARKERS = ["confident in you", "glad we", "proud", "good chat", "good talk", "great talk", "enjoyed",
                "pleasure", "good conversation", "i mean it", "i mean that", "impressed"]

# The lists of lines the counterpart picks from, one list per move (or kind of acknowledgement or goodbye).
MOVE_LISTS = ["acknowledge.thanks", "acknowledge.apology", "acknowledge.feeling", "acknowledge.accept",
              "acknowledge.followup", "clarify", "deflect", "exhausted", "procedural", "cool", "leaving", "advise",
              "small_talk", "steer",
              "closing.warm", "closing.neutral", "closing.cool"]

ALL = builtin_names()
CAREER = [n for n in ALL if load_builtin(n).kind == "career"]
FEEDBACK = [n for n in ALL if load_builtin(n).kind == "feedback"]


@pytest.fixture(params=ALL)
def scenario(request) -> Scenario:
    return load_builtin(request.param)


def counterpart_lines(sc: Scenario) -> dict[str, list[str]]:
    """Everything the offline counterpart can say, by where it comes from."""
    lines = sc.lines
    out: dict[str, list[str]] = {"opening": [lines.opening]}
    for group in ("acknowledge", "closing"):
        for name, items in getattr(lines, group).model_dump().items():
            out[f"{group}.{name}"] = items
    for name in ("clarify", "deflect", "exhausted", "procedural", "cool", "leaving", "advise", "small_talk", "steer"):
        out[name] = getattr(lines, name)
    for insight in sc.insights:
        out[f"{insight.id}.reveal"] = [insight.reveal]
        out[f"{insight.id}.deeper"] = insight.deeper
    return out


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.lower()))


def _has_term(text: str, term: str) -> bool:
    """TERM as a whole word, plural and verb forms included ("engineers", "deployed"), not inside other words."""
    return re.search(rf"(?<![a-z0-9]){re.escape(term)}(?:s|es|ed|ing)?(?![a-z0-9])", text.lower()) is not None


def test_the_expected_built_ins_ship():
    assert set(EXPECTED_BUILTINS) <= set(ALL)
    for name, (kind, field) in EXPECTED_BUILTINS.items():
        sc = load_builtin(name)
        assert (sc.name, sc.kind, sc.field) == (name, kind, field)


def test_loads_with_its_own_name_and_a_field(scenario):
    assert scenario.name in ALL
    assert scenario.kind in ("feedback", "career")
    assert scenario.field, f"{scenario.name} says which field of work it is for"
    assert 5 <= len(scenario.insights) <= 8


def test_stable_insight_ids_are_kept():
    for name, ids in STABLE_IDS.items():
        assert load_builtin(name).insight_ids == ids


def test_insight_ids_and_abouts_are_distinct(scenario):
    ids = scenario.insight_ids
    assert len(set(ids)) == len(ids)
    abouts = [i.about for i in scenario.insights]
    assert len({a.lower() for a in abouts}) == len(abouts)
    for about in abouts:
        # Read after "Do you mean ...": lower-case start, no closing punctuation.
        assert about[0].islower() or about[0].isdigit(), about
        assert not about.endswith((".", "?", "!")), about


def test_every_insight_has_many_varied_examples_of_its_own(scenario):
    owner: dict[str, str] = {}
    for insight in scenario.insights:
        assert len(insight.examples) >= 12, f"{insight.id} has only {len(insight.examples)} examples"
        for example in insight.examples:
            key = _norm(example)
            assert key not in owner, f"{example!r} is an example of both {owner.get(key)} and {insight.id}"
            owner[key] = insight.id
        # Examples vary their words: no single content word of the title opens most of them.
        for word in set(content_words(insight.title)):
            share = sum(word in content_words(e) for e in insight.examples) / len(insight.examples)
            assert share <= 0.5, f"{insight.id}: {word!r} appears in {share:.0%} of the examples"


def test_cues_are_few_and_specific(scenario):
    for insight in scenario.insights:
        assert len(insight.cues) <= 15, f"{insight.id} has {len(insight.cues)} cues"
        generic = GENERIC_CUES.intersection(insight.cues)
        assert not generic, f"{insight.id} has over-generic cues {sorted(generic)}"


def test_every_insight_reveals_substance_then_two_deeper_layers(scenario):
    for insight in scenario.insights:
        assert len(insight.reveal.split()) >= 15, f"{insight.id}: the reveal is a teaser"
        assert len(insight.deeper) >= 2, insight.id
        assert all(len(layer.split()) >= 12 for layer in insight.deeper), insight.id
        assert len(insight.takeaways) == 1 + len(insight.deeper), f"{insight.id}: one takeaway per layer"
        assert re.search(r"\byou(r)?\b", insight.takeaways[0].lower()), f"{insight.id}: takeaway speaks to the user"
        # Written for the plan: sentences of their own (not a quoted layer), naming none of the practice characters.
        from nextround.plan.names import practice_names

        names = practice_names(scenario)
        for text in insight.takeaways:
            assert not text.startswith("“"), f"{insight.id}: {text}"
            assert not any(re.search(rf"\b{re.escape(n)}\b", text) for n in names), f"{insight.id}: {text}"
        assert insight.ask_hint.startswith("Ask") or insight.ask_hint.startswith("Once"), insight.id


def test_every_list_of_lines_is_varied(scenario):
    lines = counterpart_lines(scenario)
    for where in MOVE_LISTS:
        assert 3 <= len(lines[where]) <= 6, f"{scenario.name}: {where} has {len(lines[where])} lines"
    seen: dict[str, str] = {}
    for where, items in lines.items():
        for line in items:
            key = _norm(line)
            assert key not in seen, f"{scenario.name}: {line!r} appears in both {seen.get(key)} and {where}"
            seen[key] = where


def test_placeholders_fill_into_plain_sentences(scenario):
    a, b = (i.about for i in scenario.insights[:2])
    for line in scenario.lines.clarify:
        filled = line.format(options=f"{a}, or {b}")
        assert a in filled and b in filled and "{" not in filled
    for line in scenario.lines.exhausted:
        assert "{" not in line.format(about=a)


def test_the_counterpart_never_speaks_its_own_name(scenario):
    names = [n for n in scenario.counterpart.name.split() if len(n) > 1]
    for where, items in counterpart_lines(scenario).items():
        for line in items:
            for name in names:
                assert not re.search(rf"\b{re.escape(name)}\b", line), f"{where} says {name!r}: {line!r}"


def test_plan_actions_speak_of_the_real_manager_not_the_persona(scenario):
    first = scenario.counterpart.name.split()[0]
    for insight in scenario.insights:
        action = insight.action
        for text in (action.action, action.first_step, action.measure):
            assert not re.search(rf"\b{re.escape(first)}\b", text), f"{insight.id}: {text!r}"


def test_neutral_and_cool_goodbyes_are_not_warm(scenario):
    for tone in ("neutral", "cool"):
        for line in getattr(scenario.lines.closing, tone):
            warm = [m for m in WARM_MARKERS if m in line.lower()]
            assert not warm, f"{scenario.name} closing.{tone} sounds warm ({warm}): {line!r}"
    for line in scenario.lines.cool:
        assert "fair enough" not in line.lower(), line


def test_thresholds_leave_room_to_earn_candor(scenario):
    thresholds = [i.min_candor for i in scenario.insights]
    assert min(thresholds) <= 58, "some insight should open after a polite turn or two"
    assert all(t > scenario.start_candor for t in thresholds), "nothing should be free at the start"
    assert max(thresholds) <= 80, "every insight should be reachable by a collaborative user"
    assert any(not i.volunteer for i in scenario.insights), "something is only named when asked directly"


@pytest.mark.parametrize("name", CAREER)
def test_career_scenarios_give_a_candid_read_of_prospects(name):
    scenario = load_builtin(name)
    signals = {i.signal for i in scenario.insights if i.signal}
    assert signals & {"path-open", "path-closed"}, "a path signal"
    assert signals & {"manager-advocates", "manager-lukewarm"}, "a manager signal"
    informed = {q for i in scenario.insights for q in i.informs}
    assert {"prospects", "manager_values", "path_here"} <= informed
    deepest = max(scenario.insights, key=lambda i: i.min_candor)
    assert deepest.min_candor >= 70 and not deepest.volunteer
    assert deepest.action.area == "relationships"


@pytest.mark.parametrize("name", FEEDBACK)
def test_feedback_scenarios_explain_why_not_selected(name):
    scenario = load_builtin(name)
    assert sum("why_not_selected" in i.informs for i in scenario.insights) >= 3
    assert any("what_it_takes" in i.informs for i in scenario.insights)


@pytest.mark.parametrize("name", [n for n, (_, field) in EXPECTED_BUILTINS.items() if field == "nursing"])
def test_nursing_scenarios_hold_no_engineering_words(name):
    text = json.dumps(load_builtin(name).model_dump(mode="json"), ensure_ascii=False)
    found = [t for t in ENGINEERING_TERMS if _has_term(text, t)]
    assert not found, f"{name} contains {found}"


def test_the_engineering_term_check_would_catch_a_leak():
    software = json.dumps(load_builtin("feedback").model_dump(mode="json"))
    assert [t for t in ENGINEERING_TERMS if _has_term(software, t)], "the term list must match the software pair"
    assert not _has_term("a progress report", "repo") and _has_term("the deploy pipeline", "pipeline")
    assert _has_term("two engineers", "engineer") and _has_term("we deployed it", "deploy")

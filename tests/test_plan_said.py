"""The plan says only what practice said, treats practice characters as practice, fits one screen, and plans from
the right sessions (issue 17). Sessions are played through the real engine offline, or written as the engine would
write them (`plan_fixtures`)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from plan_fixtures import Exchange, career_scenario, feedback_scenario, record, strong_career, strong_feedback
from test_plan import CAREER_GOOD, FEEDBACK_GOOD, TODAY, _texts

TURN = re.compile(r"\(session (\d+) turn (\d+)\)")


@pytest.fixture
def store():
    from nextround.store import Store

    s = Store()
    yield s
    s.close()


def _plan(nextround, *extra):
    result = nextround("plan", "--format", "json", "--today", TODAY, *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _sessions(plan):
    from nextround.store import Store

    store = Store()
    try:
        return [store.get_session(s["session_id"]) for s in plan["sessions"]]
    finally:
        store.close()


def _all_text(plan) -> str:
    """Everything the plan states, in every field (JSON carries the full plan), quotes of practice left out."""
    return " ".join(_texts(plan) + [i["question"] for a in plan["actions"] + plan["later"] for i in a["ask"]])


def test_after_a_good_pair_the_plan_states_nothing_from_layers_never_reached(play, nextround):
    from nextround.plan.said import fact_words
    from nextround.report import scenario_of

    play("feedback", FEEDBACK_GOOD)
    play("career", CAREER_GOOD)
    plan = _plan(nextround)
    reached_words: set[str] = set()
    unreached_words: set[str] = set()
    for session in _sessions(plan):
        scenario = scenario_of(session)
        said = " ".join(t.text for t in session.live_turns)
        reached_words |= fact_words(said)
        for insight in scenario.insights:
            reached_words |= fact_words(" ".join([insight.ask_hint, insight.about, *insight.examples]))
            for layer in insight.layers:
                if " ".join(layer.split()) not in " ".join(said.split()):
                    unreached_words |= fact_words(layer)
    only_unreached = unreached_words - reached_words
    stray = sorted(fact_words(_all_text(plan)) & only_unreached)
    assert len(stray) <= 4, stray  # paraphrase may borrow a word or two, never a fact
    # The old plan's inventions, all from layers this pair never reached, are gone.
    text = _all_text(plan)
    for invented in ("architecture guild", "moving to another org", "settled a dispute", "design review",
                     "specific stories with outcomes"):
        assert invented not in text, invented


def test_each_statement_cites_the_turn_that_said_it(play, nextround):
    from nextround.plan.said import fact_words

    play("feedback", FEEDBACK_GOOD)
    play("career", CAREER_GOOD)
    plan = _plan(nextround)
    turns = {(s.id, t.seq): t.text for s in _sessions(plan) for t in s.live_turns}
    statements = [a["answer"] for a in plan["take_stock"] if a["known"]] + [plan["decision"]["why"]]
    cited = 0
    for text in statements:
        for clause, session_id, turn in re.findall(r"([^.(]+?)\s*\(session (\d+) turn (\d+)\)", text):
            said = turns[(int(session_id), int(turn))]
            words = fact_words(clause)
            held = words & fact_words(said)
            assert len(held) >= len(words) / 2, (clause, said)  # the cited turn holds what the clause states
            cited += 1
    assert cited >= 5


def test_actions_and_later_items_name_no_practice_character(play, nextround):
    from nextround.plan.names import names_in, practice_names
    from nextround.report import scenario_of

    play("feedback", FEEDBACK_GOOD)
    play("career", CAREER_GOOD)
    plan = _plan(nextround)
    names = frozenset().union(*(practice_names(scenario_of(s)) for s in _sessions(plan)))
    assert {"Sam", "Priya", "Marta", "Dana"} <= names  # found from the scenarios, not listed by hand
    for action in plan["actions"] + plan["later"]:
        texts = [action["action"], action["first_step"], action["measure"], action["condition"] or ""]
        texts += [i["question"] for i in action["ask"]] + [i["practice"] or "" for i in action["ask"]]
        for text in texts:
            assert not names_in(text, names), text  # a name may appear only inside a quote of practice
    # An offer made in practice is something to ask about, not to accept.
    everything = plan["actions"] + plan["later"]
    assert not any(a["action"].startswith(("Accept", "Take the lead", "Take the relief")) for a in everything)
    offers = [a for a in everything if a["sources"][0] in ("stretch-offer", "lead-migration")]
    assert offers and all("ask" in a["action"].lower() for a in offers)


def test_the_default_text_plan_fits_one_screen_and_full_shows_the_rest(play, nextround):
    from nextround.plan.brief import LATER_SHOWN, SCREEN_LINES

    play("feedback", FEEDBACK_GOOD)
    play("career", CAREER_GOOD)
    short = nextround("plan", "--today", TODAY).output
    full = nextround("plan", "--today", TODAY, "--full").output
    plan = _plan(nextround)
    assert len(short.splitlines()) <= SCREEN_LINES
    assert len(short.splitlines()) <= 60  # the aim, met for a good pair
    assert len(plan["actions"]) <= 5 and len(plan["later"]) > LATER_SHOWN
    assert short.count("  • ") <= LATER_SHOWN + 3  # later items shown, and the check-in's agenda
    assert f"and {len(plan['later']) - LATER_SHOWN} more: nextround plan --full" in short
    for answer in plan["take_stock"]:
        assert 1 <= len(re.findall(r"[.!?](?=\s+[A-Z]|\s*$)", answer["answer"])) <= 2, answer["answer"]
    # No quote twice, in the short or the full form.
    for out in (short, full):
        quotes = re.findall(r"“([^”]{30,})”", out)
        assert len(quotes) == len(set(quotes)), out
    assert "Milestones" in full and "Milestones" not in short
    # On a 100-column terminal, where long lines wrap, it still fits the hard limit.
    import io

    from rich.console import Console

    from nextround import render
    from nextround.plan import Plan

    buffer = io.StringIO()
    render.print_plan(Console(file=buffer, width=100, highlight=False), Plan.model_validate(plan))
    assert len(buffer.getvalue().splitlines()) <= SCREEN_LINES


def test_questions_to_ask_are_whole_sincere_questions(store, nextround):
    from nextround.plan.actions import whole_question

    assert whole_question("But what skills…") is None
    assert whole_question("More responsibility I could take on.") is None
    assert whole_question("Thanks. And then what?") is None
    assert whole_question("But what skills would help me most here?") is None  # hangs off what was said before
    assert whole_question("That's encouraging. What else should I know?") is None
    assert whole_question("Could you say a little more about that?") is None  # points back at it
    assert whole_question("Thanks for that. Which skills should I build first?") == "Which skills should I build first?"
    lines = strong_feedback()
    lines[1] = Exchange("But what about my interview answers…", lines[1].reply, move="clarify",
                        unlocks=["handover-answers"])
    record(store, feedback_scenario(), lines)
    plan = _plan(nextround)
    asks = [i["question"] for a in plan["actions"] for i in a["ask"]]
    assert asks and all(q.endswith("?") and len(q.split()) >= 5 for q in asks), asks
    assert not any(q.startswith(("But ", "And ")) for q in asks)


def test_own_scenario_comes_before_the_built_in_demo_and_the_demo_is_left_out(play, store, nextround):
    demo = play("feedback", FEEDBACK_GOOD)  # the built-in demo first, and it goes well
    own = record(store, feedback_scenario("my-feedback"), strong_feedback()[:4])  # then your own, fewer insights
    plan = _plan(nextround)
    assert [s["session_id"] for s in plan["sessions"]] == [own]
    left = {i["session_id"]: i["reason"] for i in plan["selection"]["left_out"]}
    assert "built-in demo feedback" in left[demo["session_id"]]
    assert "--scenario feedback" in left[demo["session_id"]]
    text = nextround("plan", "--today", TODAY).output
    assert f"session {demo['session_id']} (the built-in demo feedback" in text
    # Asked for by name, the demo is used instead.
    chosen = _plan(nextround, "--scenario", "feedback")
    assert [s["session_id"] for s in chosen["sessions"]] == [demo["session_id"]]
    bad = nextround("plan", "--scenario", "nope", "--today", TODAY)
    assert bad.exit_code == 1 and "no sessions of the scenario 'nope'" in bad.output


def test_two_scenarios_of_one_kind_are_never_merged(store, nextround):
    first = record(store, feedback_scenario("teacher-feedback"), strong_feedback())
    second = record(store, feedback_scenario("pharmacist-feedback"), strong_feedback()[:4])
    plan = _plan(nextround)
    used = [s["session_id"] for s in plan["sessions"]]
    assert len(used) == 1 and used[0] in (first, second)
    other = second if used[0] == first else first
    reason = {i["session_id"]: i["reason"] for i in plan["selection"]["left_out"]}[other]
    assert "--scenario" in reason and "--session" in reason


def test_different_fields_in_one_plan_are_said(store, nextround):
    fb, cr = feedback_scenario(), career_scenario()
    fb["field"], cr["field"] = "teaching", "pharmacy"
    record(store, fb, strong_feedback())
    record(store, cr, strong_career())
    plan = _plan(nextround)
    assert any("different fields" in n and "--scenario" in n for n in plan["notes"])


def test_a_single_takeaway_is_upgraded_without_claiming_unreached_layers(store, nextround):
    from nextround.scenario import Scenario

    data = feedback_scenario()
    for item in data["insights"]:
        item["takeaway"] = item.pop("takeaways")[-1] + " And the panel also mentioned the zeppelin."
    upgraded = Scenario.model_validate(data).insights[0]
    assert upgraded.takeaways[-1].endswith("zeppelin.")  # the old sentence: the last layer only
    assert upgraded.takeaways[0].startswith("“") and upgraded.takeaways[0].strip("“”") in upgraded.reveal
    record(store, data, strong_feedback()[:3] + strong_feedback()[4:])  # reveals only, no deeper layer
    plan = _plan(nextround)
    assert "zeppelin" not in json.dumps(plan)


def test_model_wording_that_adds_a_fact_falls_back_to_the_offline_wording(store):
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from nextround.plan import build_plan
    from nextround.plan.wording import draft_plan

    record(store, feedback_scenario(), strong_feedback())
    record(store, career_scenario(), strong_career())
    sessions = store.list_sessions()
    today = date(2025, 3, 3)
    offline = build_plan(sessions, today)

    def short(text, n=10):
        kept = [re.sub(r'[.,:;!?(){}\[\]<>“”"…`\\]', "", w) for w in text.split()[:n]]
        return " ".join(w for w in kept if w) + "."

    def wording(extra=""):
        return json.dumps({
            "answers": {a.id: short(a.answer, 14)[:-1] + extra + "." for a in offline.take_stock if a.known},
            "why": short(offline.decision.why, 14),
            "actions": [{"index": i, "action": short(a.action), "first_step": short(a.first_step)}
                        for i, a in enumerate(offline.actions, 1)],
        })

    # A fact never said in practice (an architecture guild) is rejected twice: the offline plan stands.
    added = " and you should join the architecture guild"
    draft = draft_plan(sessions, today, FakeListChatModel(responses=[wording(added)] * 2))
    assert not draft.by_model and "architecture" in draft.problem
    assert draft.plan.take_stock == offline.take_stock
    # The same wording without it is used.
    draft = draft_plan(sessions, today, FakeListChatModel(responses=[wording()]))
    assert draft.by_model, draft.problem


@pytest.mark.parametrize("kind", ["feedback", "career"])
def test_scenarios_new_writes_one_takeaway_per_layer(kind):
    import yaml

    from nextround.scenario.author import Answers, build_offline, scenario_yaml

    authored = build_offline(Answers(kind=kind, held_back="I did not plan ahead enough for the team", name="x"))
    written = yaml.safe_load(scenario_yaml(authored))
    offers = 0
    for insight, data in zip(authored.scenario.insights, written["insights"]):
        assert "takeaway" not in data and len(data["takeaways"]) == len(insight.layers)
        # Every layer but the last is said in its own words; the template's summary is the last layer's.
        for layer, takeaway in zip(insight.layers[:-1], insight.takeaways[:-1]):
            assert takeaway.startswith("“") and takeaway.strip("“”…") in " ".join(layer.split())
        assert not insight.takeaways[-1].startswith("“")
        offers += insight.offer
    assert offers >= 1  # the offers the templates make are marked, so the plan asks about them

"""Every LLM path, replayed from cassettes recorded against a real OpenAI-compatible server.

Re-record with scripts/record_cassettes.sh. The tests assert structure and engine behaviour, never model words.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from conftest import _RECORDING_KEY, LLM_AUTH_BASE_URL, LLM_BASE_URL, LLM_MODEL

# SmolLM2's end-of-turn token. A strong bias on it makes the real server return a real, empty reply: that is how
# the cassettes for the "model said nothing" fallbacks are recorded (no invented responses).
END_NOW = {"logit_bias": {"2": 100}}
local_server_only = pytest.mark.skipif("127.0.0.1" not in LLM_BASE_URL,
                                       reason="the empty-reply recordings need SmolLM2's token ids")

FEEDBACK = [
    "Thanks for making the time; I accept the decision and I'd love your advice on becoming a stronger candidate.",
    "I'd appreciate hearing how my interview answers came across.",
    "What experience did the person you chose bring that I could work towards?",
]
CAREER = [
    "Thanks for making time for this. I'd like to grow here and I'd value your honest view.",
    "What could I do to get more visibility for my work with the people who decide promotions?",
    "Would you be willing to support me and put my name forward next time?",
]


@pytest.fixture
def model_env(monkeypatch):
    monkeypatch.setenv("NEXTROUND_MAX_RETRIES", "0")
    monkeypatch.setenv("NEXTROUND_TIMEOUT", "180")
    if _RECORDING_KEY:
        monkeypatch.setenv("OPENAI_API_KEY", _RECORDING_KEY)


def _offline_unlocked(scenario_name: str, lines: list[str]) -> list[str]:
    from nextround.scenario import load_builtin
    from nextround.session import Rehearsal
    from nextround.store import Store

    store = Store()
    rehearsal = Rehearsal(load_builtin(scenario_name), store)
    rehearsal.begin()
    for line in lines:
        rehearsal.say(line)
    rehearsal.end()
    unlocked = list(rehearsal.state.unlocked)
    store.close()
    return unlocked


def _script(tmp_path, lines, name="script.txt"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _valid_verdict(verdict: dict) -> None:
    assert 0 <= verdict["score"] <= 100
    assert verdict["reason"].strip() and verdict["rewrite"].strip()
    assert verdict["model"] == LLM_MODEL


# --- the counterpart ------------------------------------------------------------------------------------------------


@pytest.mark.vcr
def test_streamed_counterpart_turn_follows_the_engine(llm_settings):
    from nextround.llm import UsageMeter, build_client
    from nextround.persona.llm import LLMPersona
    from nextround.scenario import load_builtin
    from nextround.session import Rehearsal
    from nextround.store import Store

    expected = _offline_unlocked("feedback", FEEDBACK[:2])
    store = Store()
    persona = LLMPersona(build_client(llm_settings, UsageMeter()))
    rehearsal = Rehearsal(load_builtin("feedback"), store, persona, provider="openai", model=LLM_MODEL)
    rehearsal.begin()
    replies = []
    for line in FEEDBACK[:2]:
        chunks: list[str] = []
        result = rehearsal.say(line, on_token=chunks.append)
        assert len(chunks) > 1, "the reply should arrive in pieces"
        assert "".join(chunks) == result.reply and result.reply.strip()
        replies.append(result.reply)
    assert rehearsal.state.unlocked == expected  # the course follows the local score, not the model
    session = store.get_session(rehearsal.session_id)
    said = [t.text for t in session.live_turns if t.role == "counterpart"][1:]
    assert said == replies
    assert session.provider == "openai" and session.model == LLM_MODEL
    assert session.prompt_tokens > 0 and session.completion_tokens > 0
    assert persona.fallbacks == 0


@local_server_only
@pytest.mark.vcr
def test_empty_model_reply_falls_back_to_the_offline_line(llm_settings):
    from nextround.llm import build_client
    from nextround.persona.llm import LLMPersona
    from nextround.scenario import load_builtin
    from nextround.session import Rehearsal
    from nextround.store import Store

    store = Store()
    persona = LLMPersona(build_client(llm_settings), request_overrides=END_NOW)
    offline_twin = Rehearsal(load_builtin("feedback"), Store(store.path))
    offline_twin.begin()
    rehearsal = Rehearsal(load_builtin("feedback"), store, persona, provider="openai", model=LLM_MODEL)
    rehearsal.begin()
    shown: list[str] = []
    result = rehearsal.say(FEEDBACK[0], on_token=shown.append)
    assert result.reply == offline_twin.say(FEEDBACK[0]).reply  # the engine's own line stands in
    assert "".join(shown) == result.reply
    assert persona.fallbacks == 1 and persona.last_fallback


@pytest.mark.vcr
def test_cli_feedback_with_a_model_keeps_the_offline_course(nextround, tmp_path, model_env):
    offline = json.loads(nextround("feedback", "--script", _script(tmp_path, FEEDBACK), "--json").stdout)
    result = nextround("feedback", "--provider", "openai", "--base-url", LLM_BASE_URL, "--model", LLM_MODEL,
                       "--script", _script(tmp_path, FEEDBACK), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["provider"] == "openai" and data["model"] == LLM_MODEL
    assert data["insights"]["unlocked"] == offline["insights"]["unlocked"]
    user = [t for t in data["turns"] if t["role"] == "user"]
    assert [t["text"] for t in user] == FEEDBACK
    assert all(0 <= t["tone"]["score"] <= 100 and "flags" in t["tone"] for t in user)
    assert [t["candor"] for t in user] == [t["candor"] for t in offline["turns"] if t["role"] == "user"]
    counterpart = [t for t in data["turns"] if t["role"] == "counterpart"]
    assert len(counterpart) == len(FEEDBACK) + 2 and all(t["text"].strip() for t in counterpart)
    verdicts = [t["judge"] for t in user if "judge" in t]
    assert verdicts, "the judge (default: both) should give a second opinion"
    for verdict in verdicts:
        _valid_verdict(verdict)
    tokens = data["summary"]["tokens"]
    assert tokens["prompt"] > 0 and tokens["completion"] > 0
    assert "model " + LLM_MODEL in result.stderr  # says which counterpart it used


@pytest.mark.vcr
def test_cli_career_with_a_model_keeps_the_offline_course(nextround, tmp_path, model_env):
    offline = json.loads(nextround("career", "--script", _script(tmp_path, CAREER), "--json").stdout)
    result = nextround("career", "--provider", "openai", "--base-url", LLM_BASE_URL, "--model", LLM_MODEL,
                       "--judge", "local", "--script", _script(tmp_path, CAREER), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["insights"]["unlocked"] == offline["insights"]["unlocked"]
    assert all("judge" not in t for t in data["turns"])  # --judge local: no model verdicts
    counterpart = [t for t in data["turns"] if t["role"] == "counterpart"]
    assert all(t["text"].strip() for t in counterpart)


# --- the tone judge ---------------------------------------------------------------------------------------------


@pytest.mark.vcr
def test_tone_judge_returns_a_validated_verdict(llm_settings):
    from nextround.judge import ToneJudge
    from nextround.llm import build_client
    from nextround.scenario import load_builtin

    judge = ToneJudge(build_client(llm_settings))
    verdict = judge("Why did you pick him over me? I've been here far longer.", load_builtin("feedback"),
                    [("counterpart", "Where would you like to start?")])
    assert verdict is not None, judge.failures
    _valid_verdict(verdict)


@local_server_only
@pytest.mark.vcr
def test_tone_judge_retries_once_then_stays_silent(llm_settings, vcr):
    from nextround.judge import ToneJudge
    from nextround.llm import build_client
    from nextround.scenario import load_builtin

    judge = ToneJudge(build_client(llm_settings), method="prompt", request_overrides=END_NOW)
    assert judge("Thanks for your time.", load_builtin("feedback"), []) is None
    assert len(vcr.requests) == 2  # the ask and one retry with the problem spelled out
    assert "empty" in judge.failures[0]


@pytest.mark.vcr
def test_server_without_json_schema_mode_gets_json_object_instead(llm_settings, vcr):
    from nextround.judge import ToneVerdict
    from nextround.llm import build_client
    from nextround.structured import structured_call

    client = build_client(llm_settings)
    messages = [{"role": "system", "content": "Rate the tone of the user's line for a coach."},
                {"role": "user", "content": "I accept the decision and would value your advice."}]
    result = structured_call(client, messages, ToneVerdict, name="tone_verdict", method="json_schema",
                             downgrade=True, max_tokens=160, temperature=0.0)
    assert result.method == "json_object"  # the real server refused json_schema; the helper moved on
    assert len(vcr.requests) in (2, 3)  # (the refused ask, then json_object, which may need its one retry)
    if result.value is not None:
        assert 0 <= result.value.score <= 100


@pytest.mark.vcr
def test_a_refused_format_without_fallback_is_one_clear_error(llm_settings):
    from nextround.judge import ToneVerdict
    from nextround.llm import LLMError, build_client
    from nextround.structured import structured_call

    client = build_client(llm_settings)
    with pytest.raises(LLMError) as caught:
        structured_call(client, [{"role": "system", "content": "Rate."}, {"role": "user", "content": "Hi."}],
                        ToneVerdict, name="tone_verdict", method="json_schema")
    message = str(caught.value)
    assert caught.value.status is not None and caught.value.status >= 400
    assert LLM_BASE_URL in message and "\n" not in message


# --- the plan -------------------------------------------------------------------------------------------------------


def _sessions_for_plan():
    from nextround.scenario import load_builtin
    from nextround.session import Rehearsal
    from nextround.store import Store

    store = Store()
    for name, lines in (("feedback", FEEDBACK), ("career", CAREER)):
        rehearsal = Rehearsal(load_builtin(name), store)
        rehearsal.begin()
        for line in lines:
            rehearsal.say(line)
        rehearsal.end()
    sessions = [store.get_session(store.latest_id(kind)) for kind in ("feedback", "career")]
    store.close()
    return sessions


def _same_facts(plan, offline) -> None:
    """A model-worded plan keeps every fact of the offline plan; only answers, why and action wording may differ."""
    assert [(a.id, a.question, a.known, a.evidence, a.ask_next) for a in plan.take_stock] == \
        [(a.id, a.question, a.known, a.evidence, a.ask_next) for a in offline.take_stock]
    assert [a.answer for a in plan.take_stock if not a.known] == [a.answer for a in offline.take_stock if not a.known]
    assert plan.decision.path == offline.decision.path
    assert [(a.area, a.due, a.measure, a.sources) for a in plan.actions] == \
        [(a.area, a.due, a.measure, a.sources) for a in offline.actions]
    assert plan.milestones == offline.milestones and plan.check_in == offline.check_in
    assert plan.sessions == offline.sessions and plan.generated_at == offline.generated_at


@pytest.mark.vcr
def test_plan_wording_from_the_model_is_checked_against_the_offline_facts(llm_settings, vcr):
    """Recorded from SmolLM2-135M: its wording of this plan drifts off an answer's subject on both tries, so the
    checks refuse it and the offline plan stands, with a note saying why. (A wording that passes is merged in
    `test_a_wording_that_claims_an_unknown_answer_is_not_used`, with prepared replies.)"""
    from nextround.plan import build_plan
    from nextround.plan.wording import draft_plan, wording_source

    today = date(2025, 3, 3)
    sessions = _sessions_for_plan()
    offline = build_plan(sessions, today)
    draft = draft_plan(sessions, today, llm_settings)
    assert not draft.by_model and "shares too few words with the text it rewords" in draft.problem
    assert len(vcr.requests) == 2  # the ask, and one retry with the problem spelled out
    asked = json.loads(vcr.requests[0].body)["messages"][-1]["content"]
    assert json.dumps(wording_source(offline), ensure_ascii=False, indent=1) in asked  # only this plan's text
    retry = json.loads(vcr.requests[1].body)["messages"][-1]["content"]
    assert "shares too few words" in retry
    assert draft.plan.take_stock == offline.take_stock and draft.plan.actions == offline.actions
    assert draft.plan.drafted_by == "offline"
    assert draft.plan.notes[:-1] == offline.notes and draft.plan.notes[-1].startswith("The model's wording could not")


class _Replies:
    """A stand-in client that answers with prepared replies (no network): for checks on what a reply may claim."""

    def __init__(self, settings, replies):
        self.settings, self.model, self.replies, self.asked = settings, "stub-model", list(replies), []

    def complete(self, messages, **kwargs):
        self.asked.append(messages)
        return self.replies.pop(0)


def _sparse_sessions():
    """A feedback session that revealed only part of the picture: some take-stock questions stay open."""
    from nextround.scenario import load_builtin
    from nextround.session import Rehearsal
    from nextround.store import Store

    store = Store()
    rehearsal = Rehearsal(load_builtin("feedback"), store)
    rehearsal.begin()
    rehearsal.say(FEEDBACK[1])
    rehearsal.end()
    session = store.get_session(rehearsal.session_id)
    store.close()
    return [session]


def _short(text, words=8):
    """A plain one-sentence rewording of a plan text: its first words, without quotes, brackets or stops."""
    kept = [re.sub(r'[.,:;!?(){}\[\]<>“”"…`\\]', "", w) for w in text.split()[:words]]
    return " ".join(w for w in kept if w) + "."


def _wording(offline, answers):
    return json.dumps({
        "answers": answers,
        "why": _short(offline.decision.why, 12),
        "actions": [{"index": i, "action": _short(a.action), "first_step": _short(a.first_step)}
                    for i, a in enumerate(offline.actions, 1)],
    })


def test_a_wording_that_claims_an_unknown_answer_is_not_used(llm_settings):
    from nextround.plan import build_plan
    from nextround.plan.wording import draft_plan

    today = date(2025, 3, 3)
    sessions = _sparse_sessions()
    offline = build_plan(sessions, today)
    known = {a.id for a in offline.take_stock if a.known}
    unknown = [a.id for a in offline.take_stock if not a.known]
    assert known and unknown
    answers = {a.id: _short(a.answer, 12) for a in offline.take_stock if a.known}
    claims = {**answers, unknown[0]: "Your manager values you and will back you next time."}
    client = _Replies(llm_settings, [_wording(offline, claims)] * 2)
    draft = draft_plan(sessions, today, llm_settings, client=client)
    assert not draft.by_model and unknown[0] in draft.problem and "did not reveal" in draft.problem
    assert len(client.asked) == 2  # one retry, with the problem spelled out
    assert "did not reveal" in client.asked[1][-1]["content"]
    assert draft.plan.take_stock == offline.take_stock and draft.plan.drafted_by == "offline"

    # The same wording without the claim is used, and only known answers change.
    client = _Replies(llm_settings, [_wording(offline, claims), _wording(offline, answers)])
    draft = draft_plan(sessions, today, llm_settings, client=client)
    assert draft.by_model and draft.plan.drafted_by == "stub-model"
    _same_facts(draft.plan, offline)
    assert all(a.answer == b.answer for a, b in zip(draft.plan.take_stock, offline.take_stock) if not b.known)


@pytest.mark.parametrize("why, problem", [
    ("You should start looking elsewhere now: search now is the way.", "names the path"),
    ("You keep building here for 18 months while you look around.", "not in the text"),
    ("You keep building here until 2025-09-01 while you look around.", "not in the text"),
    ("Bananas are yellow and grapes are purple in summer.", "too few words"),
])
def test_a_wording_that_changes_the_facts_is_not_used(llm_settings, why, problem):
    from nextround.plan import build_plan
    from nextround.plan.wording import draft_plan

    today = date(2025, 3, 3)
    sessions = _sparse_sessions()
    offline = build_plan(sessions, today)
    reply = json.loads(_wording(offline, {a.id: _short(a.answer, 12) for a in offline.take_stock if a.known}))
    reply["why"] = why
    client = _Replies(llm_settings, [json.dumps(reply)] * 2)
    draft = draft_plan(sessions, today, llm_settings, client=client)
    assert not draft.by_model and problem in draft.problem, draft.problem
    assert draft.plan.decision == offline.decision and draft.plan.actions == offline.actions


@local_server_only
@pytest.mark.vcr
def test_plan_falls_back_to_the_offline_builder_after_one_retry(llm_settings, vcr):
    from nextround.plan import build_plan
    from nextround.plan.wording import draft_plan

    today = date(2025, 3, 3)
    sessions = _sessions_for_plan()
    settings = llm_settings.model_copy(update={"structured_output": "prompt"})
    draft = draft_plan(sessions, today, settings, request_overrides=END_NOW)
    assert not draft.by_model and "empty" in draft.problem
    offline = build_plan(sessions, today)
    assert draft.plan.take_stock == offline.take_stock and draft.plan.actions == offline.actions
    assert draft.plan.drafted_by == "offline" and draft.plan.notes[-1].startswith("The model's wording could not")
    assert len(vcr.requests) == 2  # the ask and one retry with the problem spelled out


@pytest.mark.vcr
def test_cli_plan_with_a_model_prints_a_valid_plan(nextround, tmp_path, model_env):
    """Recorded from SmolLM2-135M, whose wording of this plan the checks refuse: the offline plan, a note in the
    plan and one note on stderr, exit 0."""
    from nextround.plan import Plan

    _sessions_for_plan()
    result = nextround("plan", "--provider", "openai", "--base-url", LLM_BASE_URL, "--model", LLM_MODEL,
                       "--format", "json", "--today", "2025-03-03")
    assert result.exit_code == 0, result.output
    plan = Plan.model_validate(json.loads(result.stdout))
    assert plan.drafted_by == "offline" and plan.notes[-1].startswith("The model's wording could not be used")
    notes = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(notes) == 1 and notes[0].startswith("note: the model's plan was not usable")
    offline = Plan.model_validate(json.loads(nextround("plan", "--format", "json", "--today", "2025-03-03").stdout))
    _same_facts(plan, offline)


# --- failures from a real server ------------------------------------------------------------------------------------


@local_server_only
@pytest.mark.vcr
def test_rejected_key_is_one_clear_line_and_the_turn_is_kept(nextround, tmp_path, model_env):
    """Recorded from a llama.cpp server started with --api_key: it answers 401 to any other key."""
    result = nextround("feedback", "--provider", "openai", "--base-url", LLM_AUTH_BASE_URL, "--model", LLM_MODEL,
                       "--script", _script(tmp_path, FEEDBACK[:1]), "--json")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    error = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and "401" in error[0] and LLM_AUTH_BASE_URL in error[0]
    sessions = json.loads(nextround("history", "--json").stdout)
    assert sessions[0]["status"] == "interrupted" and sessions[0]["turns"] == 1

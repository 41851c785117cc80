"""`nextround scenarios new` for any job: composed from field-neutral templates (offline) or drafted by a model,
never pasting the user's words into the counterpart's mouth, never bringing engineering into other fields."""

from __future__ import annotations

import json
import re

import pytest

from nextround.words import STOPWORDS, words

# The engineering vocabulary of the built-in software scenarios (and the trade around it). Written out here, apart
# from the library's own list, so a change there cannot quietly weaken the test.
ENGINEERING = ["roadmap", "budget", "cloud", "deploy", "deployment", "pipeline", "code review", "codebase",
               "migration", "engineer", "engineering", "on-call", "sprint", "architecture", "platform", "ops review",
               "incident review", "software", "developer", "repository", "infrastructure", "backend", "scheduler",
               "tech lead", "settlement", "guild", "headcount", "api"]

# Three non-technical jobs and a software engineer, every question answered by an option, and a sincere practice
# script in words of our own (not the scenario's example asks).
JOBS = {
    "nurse": dict(
        options=dict(kind="feedback", role_applied="charge nurse", field="nursing",
                     winner="she had been doing relief charge on nights for a year and precepted two new grads",
                     held_back="I think I don't delegate enough and try to do every task myself when it gets busy",
                     manager_style="formal", counterpart_name="Patricia Owusu",
                     counterpart_role="Director of Nursing, Medical-Surgical Services", name="charge-feedback"),
        script=["Thank you for meeting me. I accept the decision and I'd like to learn from it for next time.",
                "What did you think of the way I answered the panel's questions?",
                "Which area would you say I most need to develop before I apply again?"]),
    "teacher": dict(
        options=dict(kind="career", role_applied="Head of Department", field="secondary school teaching",
                     winner="he already had a masters in educational leadership and had run the department for a term",
                     held_back="honestly I think my line manager never really backed me when it came to the interview",
                     manager_style="quiet and a bit hard to read", counterpart_name="Martin Osei",
                     counterpart_role="Assistant Headteacher", name="hod-career"),
        script=["Thanks for seeing me. I'm disappointed, but I want to use this to grow.",
                "Is there something extra I could take on this year to stretch myself?",
                "How could I get the people who make these decisions to see more of my work?"]),
    "sales": dict(
        options=dict(kind="feedback", role_applied="Sales Manager", field="sales",
                     winner="she had the best numbers in the region two years running and had coached the new reps",
                     held_back="maybe I was not confident enough and undersold myself in the presentation part",
                     manager_style="direct", counterpart_name="Daniel Brooks",
                     counterpart_role="Regional Sales Director", name="sales-feedback"),
        script=["I appreciate you making the time; I know the decision is final and I'm keen to improve.",
                "What was it about the other candidate's background that made the difference for you?",
                "Is there a way I could start building that kind of experience over the next few months?"]),
    "software": dict(
        options=dict(kind="career", role_applied="Staff Engineer", field="software engineering",
                     winner="he had led the migration of the payments platform to the cloud",
                     held_back="not enough system design experience and I am quiet in architecture reviews",
                     manager_style="warm", counterpart_name="Jo Park", counterpart_role="Engineering Manager",
                     name="staff-career"),
        script=["Thanks for the chat. I'd value your honest view on how I can grow here.",
                "What would you need to see from me to feel I'm ready for the next level?",
                "Would you back me if another opening came up?"]),
}
NON_TECHNICAL = ["nurse", "teacher", "sales"]


def _args(options: dict) -> list[str]:
    args = ["scenarios", "new", "--no-input"]
    for key, value in options.items():
        args += [f"--{key.replace('_', '-')}", value]
    return args


def _user_dir():
    from nextround.scenario import user_scenario_dir

    return user_scenario_dir()


def _counterpart_lines(scenario) -> list[str]:
    """Everything the counterpart can say: the opening, every list of lines, every reveal and deeper layer."""
    lines = scenario.lines
    out = [lines.opening, *lines.clarify, *lines.deflect, *lines.exhausted, *lines.procedural, *lines.cool,
           *lines.small_talk, *lines.steer]
    for group in (lines.acknowledge, lines.closing):
        for name in type(group).model_fields:
            out += getattr(group, name)
    for insight in scenario.insights:
        out += [insight.reveal, *insight.deeper]
    return out


def _runs(text: str, n: int) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def _shares_six(line: str, answer: str) -> bool:
    return bool(_runs(line, 6) & _runs(answer, 6))


def _engineering_in(text: str, allowed: str = "") -> list[str]:
    given = " ".join(words(allowed))
    found = []
    for term in ENGINEERING:
        pattern = rf"\b{re.escape(' '.join(words(term)))}s?\b"
        if re.search(pattern, " ".join(words(text))) and not re.search(pattern, given):
            found.append(term)
    return found


def _scenario_text(scenario) -> str:
    return json.dumps(scenario.model_dump(mode="json"), ensure_ascii=False)


def _new(nextround, job: str, *extra: str):
    result = nextround(*_args(JOBS[job]["options"]), *extra)
    assert result.exit_code == 0, result.output
    from nextround.scenario import load_scenario_file

    return result, load_scenario_file(_user_dir() / f"{JOBS[job]['options']['name']}.yaml")


def _practise(nextround, tmp_path, job: str) -> dict:
    options = JOBS[job]["options"]
    script = tmp_path / f"{job}.txt"
    script.write_text("\n".join(JOBS[job]["script"]) + "\n", encoding="utf-8")
    played = nextround(options["kind"], "--scenario", options["name"], "--script", str(script), "--json")
    assert played.exit_code == 0, played.output
    return json.loads(played.output)


# --- through the CLI ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("job", list(JOBS))
def test_new_scenario_for_each_job_validates_and_practice_opens_an_insight(nextround, tmp_path, job):
    options = JOBS[job]["options"]
    result, scenario = _new(nextround, job)
    path = _user_dir() / f"{options['name']}.yaml"
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)  # personal details: user-only
    assert scenario.kind == options["kind"] and scenario.name == options["name"]
    assert scenario.counterpart.name == options["counterpart_name"]
    assert scenario.counterpart.role == options["counterpart_role"]
    assert "composed offline" in result.output
    session = _practise(nextround, tmp_path, job)
    assert session["scenario"] == options["name"]
    assert session["insights"]["unlocked"], f"a sincere {job} script opened nothing"
    assert session["insights"]["total"] == len(scenario.insights) >= 7


@pytest.mark.parametrize("job", NON_TECHNICAL)
def test_a_non_technical_scenario_has_no_engineering_words(nextround, job):
    _, scenario = _new(nextround, job)
    assert _engineering_in(_scenario_text(scenario)) == []


def test_engineering_words_appear_only_when_the_user_gave_them(nextround):
    _, scenario = _new(nextround, "software")
    text = _scenario_text(scenario)
    # What the answers said, plus the software field's own word for colleagues ("developers").
    given = " ".join(JOBS["software"]["options"].values()) + " developer"
    assert _engineering_in(text, allowed=given) == []
    # ...and what the answers did not use stays out even here (the templates carry none of it).
    assert "roadmap" not in text.lower() and "deploy" not in text.lower()


@pytest.mark.parametrize("job", list(JOBS))
def test_no_counterpart_line_repeats_six_words_of_any_answer(nextround, job):
    _, scenario = _new(nextround, job)
    answers = [v for k, v in JOBS[job]["options"].items() if k not in {"kind", "name"}]
    lines = _counterpart_lines(scenario)
    assert len(lines) > 60
    for answer in answers:
        for line in lines:
            assert not _shares_six(line, answer), (answer, line)
    # The answers did shape the content: their themes, in the counterpart's own words.
    if job == "nurse":
        gap = scenario.insight("gap")
        assert "through other people" in gap.reveal and gap.action.area == "skill"
        assert "standing in for the role" in scenario.insight("winner-experience").reveal  # "relief charge"
    if job == "sales":
        assert "developing other people" in scenario.insight("winner-experience").reveal  # "coached the new reps"
    if job == "teacher":
        assert scenario.insight("advocacy").signal == "manager-lukewarm"  # "never really backed me"


@pytest.mark.parametrize("job", list(JOBS))
def test_cues_are_content_words(nextround, job):
    _, scenario = _new(nextround, job)
    for insight in scenario.insights:
        assert insight.cues
        for cue in insight.cues:
            assert not [w for w in words(cue) if w in STOPWORDS], (insight.id, cue)
            assert cue not in {"think", "felt", "wasn't", "really", "maybe", "lack"}


@pytest.mark.parametrize("job", NON_TECHNICAL)
def test_a_plan_from_a_non_technical_scenario_has_no_engineering_words(nextround, tmp_path, job):
    _new(nextround, job)
    session = _practise(nextround, tmp_path, job)
    plan = nextround("plan", "--session", str(session["session_id"]), "--format", "json", "--today", "2025-03-03")
    assert plan.exit_code == 0, plan.output
    data = json.loads(plan.stdout)
    assert data["actions"]
    assert _engineering_in(plan.stdout) == []


def test_the_field_words_follow_the_field(nextround):
    _, nurse = _new(nextround, "nurse")
    _, teacher = _new(nextround, "teacher")
    nurse_text, teacher_text = _scenario_text(nurse), _scenario_text(teacher)
    assert "shifts" in nurse_text and "patients" not in teacher_text
    assert "department" in teacher_text and "classes" in teacher_text and "shifts" not in teacher_text


def test_a_field_without_its_own_words_gets_general_ones(nextround):
    result = nextround("scenarios", "new", "--no-input", "--kind", "feedback", "--role-applied", "senior keeper",
                       "--field", "zoo keeping", "--name", "zoo")
    assert result.exit_code == 0 and "generic words" in result.output
    from nextround.scenario import load_scenario_file

    text = _scenario_text(load_scenario_file(_user_dir() / "zoo.yaml"))
    assert "zoo keeping" in text  # the field, as the user named it
    assert not any(w in text for w in ("patients", "shifts", "classes", "reps", "developers"))
    assert _engineering_in(text) == []


def test_a_long_role_never_reaches_the_counterpart_lines(nextround):
    role = "Senior Clinical Nurse Specialist for Acute Pain Management"
    result = nextround("scenarios", "new", "--no-input", "--kind", "feedback", "--role-applied", role,
                       "--name", "long-role")
    assert result.exit_code == 0, result.output
    from nextround.scenario import load_scenario_file

    scenario = load_scenario_file(_user_dir() / "long-role.yaml")
    assert role in scenario.description  # the user's brief names it
    assert all(not _shares_six(line, role) for line in _counterpart_lines(scenario))
    assert "the role" in scenario.lines.opening or "the role" in " ".join(scenario.lines.small_talk)


def test_new_asks_about_the_situation_interactively(nextround):
    answers = "\n".join([
        "career",  # which conversation
        "Store Manager",  # role
        "",  # field: the default guessed from the role (retail)
        "she had run the store on the manager's days off for a year",  # the other candidate
        "I think I was not organised enough with the rotas and stock",  # held back
        "warm",  # style
        "Tom Adeyemi",  # manager's name
        "",  # title: the field's default
        "Feedback",  # an invalid name is asked again...
        "store-career",  # ...until it is valid
    ]) + "\n"
    result = nextround("scenarios", "new", input=answers)
    assert result.exit_code == 0, result.output
    assert "field of work" in result.output and "[retail]" in result.output
    from nextround.scenario import load_scenario_file

    scenario = load_scenario_file(_user_dir() / "store-career.yaml")
    assert scenario.kind == "career" and scenario.field == "retail"
    assert scenario.counterpart.name == "Tom Adeyemi" and scenario.counterpart.role == "Store Manager (your manager)"
    assert "Store Manager" in scenario.title and "store" in scenario.insight("network").title
    assert scenario.insight("next-level").title.endswith("thinking beyond the day to the months ahead")


@pytest.mark.parametrize("builtin", ["feedback", "career", "nursing-feedback", "nursing-career"])
def test_new_refuses_every_built_in_name(nextround, builtin):
    from nextround.scenario import builtin_names

    assert builtin in builtin_names()
    result = nextround("scenarios", "new", "--no-input", "--name", builtin)
    assert result.exit_code == 2 and "built-in" in result.output
    assert not (_user_dir() / f"{builtin}.yaml").exists()


def test_new_rejects_a_bad_name(nextround):
    result = nextround("scenarios", "new", "--kind", "career", "--name", "Bad Name!", "--no-input")
    assert result.exit_code == 2 and "--name" in result.output


def test_new_refuses_to_overwrite_without_force(nextround):
    _new(nextround, "sales")
    again = nextround(*_args(JOBS["sales"]["options"]))
    assert again.exit_code == 1 and "--force" in again.output
    assert nextround(*_args(JOBS["sales"]["options"]), "--force").exit_code == 0


def test_no_input_without_answers_gives_a_sensible_scenario(nextround):
    result = nextround("scenarios", "new", "--no-input")
    assert result.exit_code == 0, result.output
    from nextround.scenario import load_scenario_file

    scenario = load_scenario_file(_user_dir() / "my-feedback.yaml")
    assert scenario.kind == "feedback" and scenario.title == "Feedback on the promotion decision"
    assert _engineering_in(_scenario_text(scenario)) == []


# --- the library ----------------------------------------------------------------------------------------------------


def _every_situation():
    from nextround.scenario.author import _load, field_table

    gap_words = [t["match"][0] for t in _load("themes")["gap"]] + [""]
    winner_words = [t["match"][0] for t in _load("themes")["winner"]] + [""]
    for kind in ("feedback", "career"):
        for field in field_table():
            for n, held in enumerate(gap_words):
                yield kind, field, held, winner_words[n % len(winner_words)]


def test_every_field_theme_and_variant_composes_a_valid_scenario():
    """Every template, with every field's words and every theme, validates; the variants all occur."""
    from nextround.scenario.author import Answers, build_offline

    seen_variants: set[tuple[str, str]] = set()
    for kind, field, held, winner in _every_situation():
        label = "" if field == "generic" else field.replace("-", " ")
        answers = Answers(kind=kind, field=label, role_applied="team leader", held_back=held, winner=winner,
                          name="x")
        authored = build_offline(answers)
        assert authored.field == field
        scenario = authored.scenario
        assert all(len(i.examples) >= 10 and len(i.deeper) == 2 for i in scenario.insights)
        assert all("{" not in line for line in _counterpart_lines(scenario) if "{options}" not in line
                   and "{about}" not in line)
        for insight in scenario.insights:
            if insight.signal:
                seen_variants.add((insight.id, insight.signal))
    for more in ("my manager gave me no support", "there is a ceiling and no openings here"):
        scenario = build_offline(Answers(kind="career", held_back=more, name="x")).scenario
        seen_variants |= {(i.id, i.signal) for i in scenario.insights if i.signal}
    assert seen_variants == {("advocacy", "manager-advocates"), ("advocacy", "manager-lukewarm"),
                             ("prospects", "path-open"), ("prospects", "path-closed")}


def test_the_users_words_choose_the_theme_but_are_not_pasted():
    from nextround.scenario.author import Answers, build_offline, pasted_runs

    held = "I was too quiet in meetings and I never really sold myself to the panel"
    authored = build_offline(Answers(kind="feedback", held_back=held, name="x"))
    gap = authored.scenario.insight("gap")
    assert "confidently" in gap.reveal  # the confidence theme, in our words
    assert pasted_runs(authored.data, Answers(kind="feedback", held_back=held)) == []
    assert "quiet" in gap.cues  # a content word of theirs may point at the topic...
    assert "sold myself" not in " ".join(gap.cues)  # ...never a phrase


def test_the_pasting_check_finds_a_pasted_answer():
    from nextround.scenario.author import Answers, compose, pasted_runs, problems

    answers = Answers(kind="feedback", held_back="my stakeholder communication was weak on the big projects")
    data = compose(answers).data
    assert pasted_runs(data, answers) == []
    data["insights"][2]["reveal"] = "What held you back was that your stakeholder communication was weak on the big."
    found = pasted_runs(data, answers)
    assert [(p.path, p.option) for p in found] == [("insights.2.reveal", "--held-back")] and found[0].run >= 6
    assert "--held-back" in problems(data, answers)[0]


def test_an_answer_that_would_repeat_a_template_sentence_is_refused_not_pasted():
    from nextround.scenario.author import Answers, AuthoringError, build_offline, template_text

    # An answer that happens to be six words of our own template: the composition cannot avoid it.
    sentence = "the panel scores on examples one real story"
    assert "The panel scores on examples. One real story" in " ".join(template_text("feedback").split())
    with pytest.raises(AuthoringError, match="repeating your own words"):
        build_offline(Answers(kind="feedback", held_back=sentence))


def test_engineering_terms_are_caught_unless_the_user_used_them():
    from nextround.scenario.author import Answers, engineering_terms

    nurse = Answers(kind="feedback", role_applied="charge nurse")
    assert engineering_terms(["Lead the deploy pipeline rewrite and the cloud budget."], nurse) == \
        ["cloud", "deploy", "pipeline", "budget"]
    engineer = Answers(kind="feedback", role_applied="engineering manager", held_back="the deploy pipeline")
    assert engineering_terms(["Lead the deploy pipeline rewrite."], engineer) == []


# --- drafted by a model (langchain-core fake chat models) -----------------------------------------------------------

NURSE = dict(kind="feedback", role_applied="charge nurse", field="nursing",
             winner="she had been doing relief charge on nights for a year",
             held_back="I think I don't delegate enough and try to do everything myself", name="drafted")
GOOD_DRAFT = {
    "team": "ward", "peers": "staff nurses", "people": "patients",
    "stretch": "running the ward as charge nurse on two shifts a month",
    "forum": "the nursing quality meeting",
    "gap_what": "running a shift through the team",
    "gap_showed": "When the scenario got busy, you said you would take both admissions yourself.",
    "gap_better": "Show the panel how you would share out the work and keep an eye on the whole ward.",
    "winner_what": "a year of leading night shifts",
    "winner_showed": "People on the panel had watched her lead the night team many times.",
}


class _Recorder:
    """A FakeListChatModel that keeps the conversations it was sent."""

    @staticmethod
    def make(*replies: str):
        from langchain_core.language_models.fake_chat_models import FakeListChatModel

        class Recorder(FakeListChatModel):
            seen: list = []

            def _call(self, messages, stop=None, run_manager=None, **kwargs):
                self.seen.append(list(messages))
                return super()._call(messages, stop, run_manager, **kwargs)

        return Recorder(responses=list(replies), seen=[])


def test_a_usable_draft_is_composed_into_the_scenario():
    from nextround.scenario.author import Answers, pasted_runs
    from nextround.models.drafting import draft_scenario

    answers = Answers(**NURSE)
    model = _Recorder.make(json.dumps(GOOD_DRAFT))
    draft = draft_scenario(answers, model)
    assert draft.problem is None and draft.attempts == 1
    scenario = draft.authored.scenario
    assert draft.authored.drafted_by == "Recorder"
    assert "running a shift through the team" in scenario.insight("gap").reveal
    assert "the nursing quality meeting" in " ".join(scenario.insight("panel-visibility").deeper)
    assert scenario.insight("winner-experience").reveal.endswith("many times.")
    assert pasted_runs(draft.authored.data, answers) == []
    # The model saw the user's answers and the offline draft it was asked to rewrite.
    prompt = model.seen[0][-1].content
    assert NURSE["held_back"] in prompt and '"forum": "the practice council"' in prompt


@pytest.mark.parametrize("change, problem", [
    ({"gap_what": "i don't delegate enough and try to do everything myself"}, "--held-back"),
    ({"stretch": "leading the deploy pipeline for the ward rota"}, "engineering words"),
    ({"forum": "a meeting"}, "forum"),  # not the shape its place needs
])
def test_a_draft_that_breaks_the_rules_is_retried_once_then_dropped(change, problem):
    from nextround.scenario.author import Answers
    from nextround.models.drafting import draft_scenario

    bad = json.dumps({**GOOD_DRAFT, **change})
    model = _Recorder.make(bad, bad)
    draft = draft_scenario(Answers(**NURSE), model)
    assert draft.authored is None and problem in draft.problem and draft.attempts == 2
    retry = model.seen[1][-1].content
    assert problem in retry  # the retry spells the problem out


def test_a_draft_fixed_on_the_retry_is_used():
    from nextround.scenario.author import Answers
    from nextround.models.drafting import draft_scenario

    bad = json.dumps({**GOOD_DRAFT, "gap_what": "i don't delegate enough and try to do everything myself"})
    draft = draft_scenario(Answers(**NURSE), _Recorder.make(bad, json.dumps(GOOD_DRAFT)))
    assert draft.authored is not None and draft.attempts == 2


def _config(text: str):
    from nextround.models.settings import config_file

    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


FAKE_CLASS = "langchain_core.language_models.fake_chat_models:FakeListChatModel"


def _nurse_args(name: str) -> list[str]:
    return _args({**NURSE, "name": name})


def test_cli_uses_a_usable_draft(nextround):
    _config(f'provider = "{FAKE_CLASS}"\n[model_kwargs]\nresponses = {json.dumps([json.dumps(GOOD_DRAFT)])}\n')
    result = nextround(*_nurse_args("drafted"))
    assert result.exit_code == 0, result.output
    assert "drafted by FakeListChatModel" in result.stdout and "scenario draft: model" in result.stderr
    from nextround.scenario import load_scenario_file

    scenario = load_scenario_file(_user_dir() / "drafted.yaml")
    assert "running a shift through the team" in scenario.insight("gap").reveal


def test_cli_falls_back_to_the_offline_composition_with_one_warning(nextround):
    _config(f'provider = "{FAKE_CLASS}"\n[model_kwargs]\nresponses = ["not json", "still not json"]\n')
    result = nextround(*_nurse_args("fallback"))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith(("note:", "warning:"))]
    assert len(warnings) == 1 and "offline composition" in warnings[0]
    assert "composed offline" in result.stdout
    from nextround.scenario import load_scenario_file
    from nextround.scenario.author import Answers, build_offline

    written = load_scenario_file(_user_dir() / "fallback.yaml")
    assert written == build_offline(Answers(**{**NURSE, "name": "fallback"})).scenario


def test_cli_with_an_unreachable_model_writes_the_offline_scenario(nextround, monkeypatch):
    monkeypatch.setenv("NEXTROUND_MAX_RETRIES", "0")
    monkeypatch.setenv("NEXTROUND_TIMEOUT", "5")
    result = nextround(*_nurse_args("unreachable"), "--base-url", "http://127.0.0.1:9/v1", "--model", "nothing")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "127.0.0.1:9" in warnings[0] and "Traceback" not in result.output
    assert (_user_dir() / "unreachable.yaml").exists()


# --- recorded from a real server (cassettes/, re-record with scripts/record_cassettes.sh) ---------------------------


@pytest.mark.vcr
def test_cli_new_with_a_real_small_model(nextround, monkeypatch, vcr):
    """Recorded from llama.cpp's server with SmolLM2-135M-Instruct, which holds the reply to the draft's schema
    (json_object mode with the schema). The tiny model mostly kept the offline draft and rewrote a few sentences in
    its own (poor) words; they broke none of the rules, so the draft was used as it came: one request, no retry."""
    from conftest import LLM_BASE_URL, LLM_MODEL

    from nextround.scenario import load_scenario_file
    from nextround.scenario.author import Answers, build_offline, pasted_runs

    monkeypatch.setenv("NEXTROUND_MAX_RETRIES", "0")
    monkeypatch.setenv("NEXTROUND_TIMEOUT", "180")
    result = nextround(*_nurse_args("smol"), "--provider", "openai", "--base-url", LLM_BASE_URL, "--model", LLM_MODEL)
    assert result.exit_code == 0, result.output
    assert len(vcr.requests) == 1
    sent = json.loads(vcr.requests[0].body)
    assert sent["response_format"]["type"] == "json_object"
    assert set(sent["response_format"]["schema"]["required"]) == {
        "team", "peers", "people", "stretch", "forum", "gap_what", "gap_showed", "gap_better", "winner_what",
        "winner_showed"}
    assert f"drafted by {LLM_MODEL}" in result.stdout and "warning" not in result.stderr
    scenario = load_scenario_file(_user_dir() / "smol.yaml")
    reply = json.loads(json.loads(vcr.responses[0]["body"]["string"])["choices"][0]["message"]["content"])
    assert scenario.insight("winner-experience").reveal.endswith(reply["winner_showed"])
    offline = build_offline(Answers(**{**NURSE, "name": "smol"})).scenario
    assert scenario != offline and scenario.insight_ids == offline.insight_ids
    answers = Answers(**NURSE)
    assert pasted_runs(scenario.model_dump(mode="json"), answers) == []
    assert _engineering_in(_scenario_text(scenario)) == []

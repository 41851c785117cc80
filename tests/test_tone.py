"""Behaviour of the local tone scorer (nextround.tone)."""

from __future__ import annotations

import csv
import json
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

import nextround.tone as tone
from nextround.tone import ADVERSARIAL_AT, COLLABORATIVE_AT, Flag, ToneResult, score_many, score_text

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict]:
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


DOMAIN = _rows("tone_domain.csv")
HOLDOUT = _rows("tone_domain_holdout.csv")


def _by_label(rows, label, conversation=None):
    return [r["text"] for r in rows if r["label"] == label and (conversation is None or r["conversation"] == conversation)]


# ---------------------------------------------------------------------------------------------- domain data


def test_domain_files_are_well_formed():
    assert len(DOMAIN) >= 150
    for rows in (DOMAIN, HOLDOUT):
        for r in rows:
            assert r["label"] in {"collaborative", "neutral", "adversarial"}, r
            assert r["conversation"] in {"feedback", "career"}, r
            assert r["text"].strip()
    for conv in ("feedback", "career"):
        for lab in ("collaborative", "neutral", "adversarial"):
            assert _by_label(DOMAIN, lab, conv), (lab, conv)
    # the hold-out never overlaps the lines the model was trained on
    assert not {r["text"] for r in DOMAIN} & {r["text"] for r in HOLDOUT}


@pytest.mark.parametrize("rows", [DOMAIN, HOLDOUT], ids=["train", "holdout"])
@pytest.mark.parametrize("conversation", ["feedback", "career"])
def test_domain_separation(rows, conversation):
    collab = [r.score for r in score_many(_by_label(rows, "collaborative", conversation))]
    adver = [r.score for r in score_many(_by_label(rows, "adversarial", conversation))]
    assert statistics.fmean(collab) >= 65
    assert statistics.fmean(adver) <= 40
    # almost every collaborative line outranks almost every adversarial line
    wins = sum(c > a for c in collab for a in adver)
    assert wins / (len(collab) * len(adver)) >= 0.93


@pytest.mark.parametrize("rows", [DOMAIN, HOLDOUT], ids=["train", "holdout"])
def test_adversarial_lines_are_flagged(rows):
    adver = score_many(_by_label(rows, "adversarial"))
    flagged = sum(1 for r in adver if r.flags)
    assert flagged / len(adver) >= 0.85


def test_neutral_lines_sit_in_the_middle():
    scores = [r.score for r in score_many(_by_label(DOMAIN, "neutral"))]
    assert 40 <= statistics.fmean(scores) <= 62


@pytest.mark.parametrize(
    "text",
    [
        "I deserved this promotion",
        "Why did you pick him over me?",
        "This process was rigged",
        "I've been here longer than she has",
        "Frankly, I expected better",
        "I want a straight answer",
        "If nothing changes I'll leave",
        "Obviously you never read my work",
    ],
)
def test_brief_adversarial_examples(text):
    r = score_text(text)
    assert r.score <= 40, r
    assert r.label == "adversarial"
    assert r.flags
    assert r.rewrite


@pytest.mark.parametrize(
    "text",
    [
        "I accept the decision and I'd value your advice on becoming a stronger candidate",
        "Thank you for taking the time",
        "What could I do to be ready next time?",
        "I'd appreciate your honest view of my prospects here",
    ],
)
def test_brief_collaborative_examples(text):
    r = score_text(text)
    assert r.score >= 65, r
    assert r.label == "collaborative"
    assert r.rewrite is None


def test_categories_are_named():
    cats = {f.category for r in score_many(_by_label(DOMAIN, "adversarial")) for f in r.flags}
    for expected in ("contests the decision", "blames", "entitlement", "absolutes", "sarcasm", "ultimatum",
                     "demand", "resentment"):
        assert expected in cats, expected


# ---------------------------------------------------------------------------------------------- flags


def test_flag_spans_match_the_input():
    texts = [r["text"] for r in DOMAIN + HOLDOUT + _rows("tone_domain_holdout2.csv")] + [
        r["text"] for n in ("requests", "receptive", "email") for r in _rows(f"tone_proxy_{n}.csv")] + [
        'Sure, the "very fair" process again.',
        "“Objective” criteria, apparently.",
        "  Honestly,   you ALWAYS pick your favourites!!  ",
        "Thanks. But why did you remove it? It’s your fault — obviously.",
        "İstanbul team: I deserved it, nobody worked harder.",  # lower() changes length of 'İ'
    ]
    for text in texts:
        for f in score_text(text).flags:
            assert isinstance(f, Flag)
            assert text[f.start:f.end] == f.phrase, (text, f)
            assert 0 <= f.start < f.end <= len(text)
            assert f.category and f.why and f.better


def test_flag_and_result_to_dict_are_json_ready():
    r = score_text("Obviously you never read my work, this is unfair.")
    d = r.to_dict()
    assert set(d) == {"score", "label", "flags", "rewrite"}
    assert set(d["flags"][0]) == {"phrase", "start", "end", "category", "why", "better"}
    json.dumps(d)
    assert isinstance(r, ToneResult)


def test_rewrite_replaces_flagged_stance():
    r = score_text("I deserved this promotion. I have been here longer than she has.")
    assert r.rewrite and "deserved" not in r.rewrite.lower()
    r = score_text("You always ignore my ideas.")
    assert r.rewrite and "always" not in r.rewrite.lower()


def test_results_are_immutable():
    r = score_text("Thank you")
    with pytest.raises(Exception):
        r.score = 3  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------- edge cases


@pytest.mark.parametrize("text", ["", "   ", "\n", "\t \n"])
def test_empty_is_neutral(text):
    r = score_text(text)
    assert (r.score, r.label, r.flags, r.rewrite) == (50, "neutral", (), None)


def test_labels_follow_documented_thresholds():
    assert tone.label_for(COLLABORATIVE_AT) == "collaborative"
    assert tone.label_for(COLLABORATIVE_AT - 1) == "neutral"
    assert tone.label_for(ADVERSARIAL_AT) == "adversarial"
    assert tone.label_for(ADVERSARIAL_AT + 1) == "neutral"
    for r in score_many([r["text"] for r in DOMAIN]):
        assert 0 <= r.score <= 100
        assert r.label == tone.label_for(r.score)


def test_huge_line_is_bounded():
    text = "I deserved this and it is unfair. " * 6000 + "x" * 10_000  # ~200 KB
    assert len(text) > 200_000
    r = score_text(text)
    assert 0 <= r.score <= 100
    assert all(f.end <= tone.MAX_CHARS for f in r.flags)
    assert len(r.flags) < 2000
    assert r.rewrite is None or len(r.rewrite) < 20_000


@pytest.mark.parametrize("text", ["😀😀😀", "\x00\x01", "????!!!!", "12345", "ÀÉÎ õü", "a" * 5000, "I\u2019m owed this"])
def test_odd_input_does_not_crash(text):
    r = score_text(text)
    assert 0 <= r.score <= 100


def test_score_many_matches_score_text():
    texts = [r["text"] for r in DOMAIN[:60]] + ["", "   ", "Thanks!"]
    assert score_many(texts) == [score_text(t) for t in texts]
    assert score_many(iter(texts)) == [score_text(t) for t in texts]
    assert score_many([]) == []


def test_deterministic():
    text = "Why did you pick him over me? Frankly it's unfair."
    assert score_text(text) == score_text(text)


def test_weights_ship_inside_the_package():
    from importlib import resources

    raw = resources.files("nextround").joinpath("data/tone_weights.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert data["weights"] and "bias" in data and "scale" in data


def test_import_is_light():
    code = (
        "import sys, nextround.tone as t; t.score_text('Thanks, I deserved this.'); "
        "bad = [m for m in ('pydantic', 'numpy', 'sklearn', 'openai', 'langchain_core', 'rich') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# ---------------------------------------------------------------------------------------------- calibration, index


HOLDOUT2 = _rows("tone_domain_holdout2.csv")


def test_second_holdout_is_well_formed_and_disjoint():
    assert len(HOLDOUT2) >= 60
    assert {r["conversation"] for r in HOLDOUT2} == {"feedback", "career"}
    assert not {r["text"] for r in HOLDOUT2} & {r["text"] for r in DOMAIN + HOLDOUT}


@pytest.mark.parametrize(
    "text",
    [
        "How did my answers on the system design round land with the interviewers?",
        "What are my realistic options for moving up in the next year?",
        "Where do I stand right now?",
        "What would it take for me to get there?",
        "Is there anything I could do differently before the next round?",
        "How am I perceived by the senior engineers?",
    ],
)
def test_sincere_questions_about_oneself_are_not_adversarial(text):
    assert score_text(text).score >= 55


def test_why_about_the_decision_is_mild_but_picking_him_is_not():
    assert 35 <= score_text("Why wasn't my application taken further?").score <= 60
    assert score_text("Why did they choose her instead of me?").score <= 25


def test_patterns_are_all_reachable_and_index_is_shipped():
    from nextround.tone import features, model

    index, unreachable = features.build_index()
    assert unreachable == []
    shipped = model.load_weights()["index"]
    assert shipped and shipped["digest"] == features.rules_digest(), "rerun scripts/train_tone.py"
    assert {k: list(v) for k, v in shipped["keys"].items()} == index


def test_no_apostrophe_inside_character_classes():
    # features.py widens "'" to "['’]"; inside a [...] class that would break the pattern
    import re

    from nextround.tone.rules import RULES

    for rule in RULES:
        for pat in rule.patterns:
            assert not re.search(r"\[[^\]]*'[^\]]*\]", pat), (rule.key, pat)


def test_parallel_path_matches_serial_and_falls_back(monkeypatch):
    texts = [r["text"] for r in DOMAIN] * 25  # > PARALLEL_MIN
    serial = [score_text(t) for t in texts]
    monkeypatch.setenv("NEXTROUND_TONE_WORKERS", "2")
    assert score_many(texts) == serial

    def boom(*_a, **_k):
        raise RuntimeError("no pool here")

    monkeypatch.setattr(tone, "_score_parallel", boom)
    assert score_many(texts) == serial


def test_in_a_conversation_a_plain_question_is_never_adversarial():
    from nextround.tone import QUESTION_FLOOR, score_text

    sincere = "What skills and experience did the person you chose bring that I lack?"
    assert score_text(sincere, in_conversation=True).score >= QUESTION_FLOOR
    assert score_text(sincere, in_conversation=True).label != "adversarial"
    # A question carrying an adversarial phrase keeps its low score.
    assert score_text("Why did you pick him over me?", in_conversation=True).score <= 40
    # Outside a conversation (nextround score) the raw score stands.
    assert score_text(sincere).score == score_text(sincere, in_conversation=False).score

"""The local reader reads meaning: polite contesting and sarcasm are not collaborative, harmless words are not
flagged, flags point at the clause that carries the stance, rewrites drop the grievance, topics are found in other
words. `nextround score` and the rehearsals use the same reader."""

from __future__ import annotations

import json

import pytest

from nextround.reading.reader import LocalReader, score_line, score_lines
from nextround.scenario import load_builtin


@pytest.mark.parametrize("line", [
    "If at all possible, I'd like the panel to revisit its choice.",
    "Could the outcome be looked at again by someone else?",
])
def test_polite_contesting_reads_as_contesting(line):
    result = score_line(line)
    assert result.score <= 40
    assert [f.category for f in result.flags] == ["contests the decision"]


# Known misses of the fine-tuned reader (issue 16), kept visible rather than deleted: see the model card's limits.
MISSED = "a known miss of the fine-tuned reader (docs/reading_model_card.md, known limits)"


@pytest.mark.parametrize("line", [
    "Oh, how lovely. Another year of waiting my turn.",
    "Great, so all those weekends I worked count for nothing.",
])
def test_sarcasm_is_not_collaborative_and_is_flagged(line):
    result = score_line(line)
    assert result.score <= 40 and result.flags


@pytest.mark.parametrize("line", [
    "Why do you think my examples didn't land?",
    # The class holds ("No apology needed. I'd just like to get better at this." 94), this wording does not: the
    # reader takes "Nobody needs to…" for a curt brush-off (model card, known limits).
    pytest.param("Nobody needs to apologise; I'd just like to learn from it.", marks=pytest.mark.xfail(reason=MISSED)),
    "I'm disappointed, honestly, but I want to get better at this.",
    "OK.",
    "Fair enough.",
    "Got it, thanks.",
    # one clause alone could read as adversarial; the line as a whole does not
    "I'm not going to fight it. I'd rather look ahead.",
    pytest.param("Obviously I hoped for another outcome, but I respect the call.",
                 marks=pytest.mark.xfail(reason=MISSED)),
])
def test_sincere_lines_with_loaded_or_few_words_are_not_flagged(line):
    result = score_line(line)
    assert result.score >= 60 and result.flags == ()


def test_a_flag_points_at_the_clause_that_carries_the_stance_and_the_rewrite_drops_it():
    line = "Thanks for the detailed notes. That said, the outcome should be reversed."
    result = score_line(line)
    assert len(result.flags) == 1
    flag = result.flags[0]
    assert line[flag.start:flag.end] == flag.phrase
    assert "reversed" in flag.phrase and "Thanks" not in flag.phrase  # the phrase, not a lone word or the thanks
    assert flag.why and flag.better
    assert result.rewrite.startswith("Thanks for the detailed notes.")
    assert "reversed" not in result.rewrite  # a rewrite that keeps the grievance is not a rewrite


def test_insults_are_hostile_language():
    result = score_line("This process is a clown show run by idiots.")
    assert result.score <= 10
    assert {f.category for f in result.flags} == {"hostile language"}


# A polite opening must not carry an insult into the collaborative band (where it would earn candor).
@pytest.mark.parametrize("line, insult", [
    ("Sorry, but that decision was stupid.", "stupid"),
    ("Thanks for your honesty, the panel were morons though.", "morons"),
    ("Thanks for explaining, the criteria were stupid though.", "stupid"),
    ("Thanks for the notes, you idiot.", "idiot"),
    ("I appreciate your time, you clown.", "clown"),
    ("Thanks, that feedback was useless.", "useless"),
])
def test_an_insult_after_a_polite_opening_is_flagged_and_adversarial(line, insult):
    result = score_line(line)
    assert any(insult in f.phrase for f in result.flags)  # a flag points at it (alone, or in its clause)
    assert result.score <= 40


@pytest.mark.parametrize("line", [
    pytest.param("I respect that, but damn, that hurt.", marks=pytest.mark.xfail(reason=MISSED)),
    "Honestly I felt useless after that interview, and I want to fix it.",
    "I was stupid not to prepare better examples.",
])
def test_contempt_aimed_at_oneself_or_a_swear_in_a_feeling_is_not_an_attack(line):
    result = score_line(line)
    assert result.score > 40 and not any(f.category == "hostile language" for f in result.flags)


def test_every_line_that_reads_adversarial_says_why():
    """A score of 40 or less always comes with a flag on a phrase of the line, also when no single clause carries
    the stance strongly (then the clause that leans that way most is named)."""
    import csv
    from pathlib import Path

    data = Path(__file__).parent / "data"
    lines = [row["text"] for name in ("tone_domain_holdout.csv", "tone_domain_holdout2.csv")
             for row in csv.DictReader(open(data / name, encoding="utf-8"))]
    lines.append("Was the outcome decided before the interviews even started?")
    results = score_lines(lines)
    adversarial = [(line, r) for line, r in zip(lines, results) if r.score <= 40]
    assert len(adversarial) >= 30  # the sets hold many adversarial lines, so the check below means something
    for line, result in adversarial:
        assert result.flags, line
        assert all(line[f.start:f.end] == f.phrase and len(f.phrase.split()) >= 1 for f in result.flags)


def test_an_empty_line_is_neutral():
    result = score_line("   ")
    assert (result.score, result.label, result.flags, result.rewrite) == (50, "neutral", (), None)


def test_many_lines_keep_their_order_and_match_one_by_one():
    lines = ["Fair enough.", "", "Could the outcome be looked at again by someone else?", "OK."]
    batch = score_lines(lines)
    assert [r.score for r in batch] == [score_line(line).score for line in lines]
    assert batch[1].score == 50


# --- topics -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def feedback_reader():
    return LocalReader(load_builtin("feedback"))


def test_a_topic_is_found_in_other_words_and_with_the_counterpart_named(feedback_reader):
    plain = feedback_reader.read("What did the interviewers make of my answers?")
    named = feedback_reader.read("Dana, what did the interviewers make of my answers?")
    assert plain.topics[:1] == named.topics[:1] == ("interview-answers",)
    assert plain.question and plain.sincere


def test_small_talk_asks_about_no_topic(feedback_reader):
    reading = feedback_reader.read("Lovely morning, isn't it?")
    assert reading.topics == () and reading.candidates == ()
    assert "small_talk" in reading.stances


def test_an_adversarial_line_is_not_sincere(feedback_reader):
    reading = feedback_reader.read("Promise me the next opening or I walk.")
    assert reading.adversarial and not reading.sincere and reading.stances[0] == "ultimatum"


def test_example_embeddings_are_cached_in_the_data_folder(isolated_home):
    from nextround.reading import topics

    topics._IN_MEMORY.clear()
    LocalReader(load_builtin("career"))
    cached = list((isolated_home / "cache").glob("topics-*.npy"))
    assert len(cached) == 1


# --- one scorer for `score` and the rehearsals --------------------------------------------------------------------


def test_score_and_a_rehearsal_give_the_same_score(nextround, tmp_path):
    line = "Could the outcome be looked at again by someone else?"
    scored = json.loads(nextround("score", line, "--json").output)
    script = tmp_path / "s.txt"
    script.write_text(line + "\n", encoding="utf-8")
    session = json.loads(nextround("feedback", "--script", str(script), "--json").output)
    said = next(t for t in session["turns"] if t["role"] == "user")
    assert said["tone"]["score"] == scored["score"]
    assert said["tone"]["flags"] == scored["flags"]

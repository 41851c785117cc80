"""The reader's shipped model: the fine-tuned encoder and the heads load and match their recorded hashes, every
tuned number comes from one file (a missing or damaged file is a one-line error, never silent defaults), the
band edges and thresholds are pinned, and `score` and a rehearsal give the same score to a line that names the
counterpart."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from nextround.reading import heads
from nextround.reading.encoder import DATA_DIR
from nextround.reading.types import ADVERSARIAL_AT, COLLABORATIVE_AT, NEUTRAL_SCORE, REWRITE_BELOW, label_for


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_shipped_weights_load_and_match_their_recorded_hashes():
    meta = json.loads((DATA_DIR / "model.json").read_text(encoding="utf-8"))
    assert _sha256(DATA_DIR / "weights.npz") == meta["files"]["weights.npz_sha256"]
    assert _sha256(DATA_DIR / "tokenizer.json") == meta["files"]["tokenizer.json_sha256"]
    assert meta["fine_tuned"]["by"] == "scripts/train_encoder.py"
    model = heads.load_reader()
    # The heads were trained on top of exactly these encoder weights.
    assert model.config["provenance"]["encoder_weights_sha256"] == meta["files"]["weights.npz_sha256"]
    assert model.heads["stance"].weight.shape == (len(model.classes), 384)
    assert model.heads["politeness"].weight.shape == (1, 384)


@pytest.fixture
def reader_file(tmp_path, monkeypatch):
    """Point the reader at a file of the test's choosing, with every cache of tuned numbers cleared."""
    from nextround.reading import reader, topics

    path = tmp_path / "reader.npz"
    monkeypatch.setattr(heads, "READER_PATH", path)
    for cached in (heads.load_reader, reader.tone_params, topics.default_params):
        cached.cache_clear()
    yield path
    for cached in (heads.load_reader, reader.tone_params, topics.default_params):
        cached.cache_clear()


def test_a_missing_reader_file_is_a_one_line_error_and_exit_1(reader_file, nextround):
    result = nextround("score", "Thanks for your time today.")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "reader.npz" in lines[0] and "missing" in lines[0]
    assert "Traceback" not in result.output


def test_a_damaged_reader_file_is_an_error(reader_file):
    reader_file.write_bytes(b"not an npz at all")
    with pytest.raises(heads.ReaderUnavailable, match="reinstall"):
        heads.load_reader()


SHIPPED = heads.READER_PATH


def test_a_reader_file_missing_one_tuned_number_is_an_error_naming_it(reader_file):
    from nextround.reading.reader import tone_params

    real = dict(np.load(SHIPPED))
    config = json.loads(str(real["config"]))
    del config["tone"]["polite_neutral"]
    real["config"] = np.array(json.dumps(config))
    np.savez(reader_file, **real)
    with pytest.raises(heads.ReaderUnavailable, match="polite_neutral"):
        tone_params()


# --- pinned numbers: a retune must change these on purpose -----------------------------------------------------


def test_band_edges_are_pinned():
    assert (COLLABORATIVE_AT, ADVERSARIAL_AT, NEUTRAL_SCORE, REWRITE_BELOW) == (60, 40, 50, 50)
    assert [label_for(s) for s in (39, 40, 41, 59, 60, 61)] == [
        "adversarial", "adversarial", "neutral", "neutral", "collaborative", "collaborative"]


# The numbers `scripts/train_encoder.py tune` chose for the shipped model (data/reader.npz).
PINNED_TONE = {"stance": 1.5, "adversarial_weight": 3.0, "polite": 1.0, "polite_neutral": 6.0, "bias": 1.0,
               "clause": 0.6, "flag_at": 0.5, "stance_at": 0.25}
PINNED_TOPICS = {"top_k": 2, "cue_bonus": 0.06, "accept": 0.425, "over_none": 0.02, "two_topics": 0.04,
                 "ambiguous": 0.04, "near": 0.45, "more": 0.62, "statement_extra": 0.1, "instruction": 0.45,
                 "instruction_over": 0.04, "leaving": 0.44}


def test_tone_and_topic_numbers_are_pinned():
    from nextround.reading.reader import tone_params
    from nextround.reading.topics import default_params

    assert tone_params().__dict__ == PINNED_TONE
    assert default_params().__dict__ == PINNED_TOPICS


def test_the_stance_decides_a_line_that_takes_one_and_politeness_ranks_the_rest():
    from nextround.reading.reader import tone_params, tone_scores

    p = tone_params()
    polite = np.linspace(-1.5, 1.5, 13)  # the politeness head, in z units of the human ratings
    zeros, ones = np.zeros_like(polite), np.ones_like(polite)
    contesting = tone_scores(p, polite, ones, zeros)
    sincere = tone_scores(p, polite, zeros, ones)
    plain = tone_scores(p, polite, zeros, zeros)
    assert contesting.max() < NEUTRAL_SCORE  # "With respect, ..." does not lift a contesting line over 50
    assert sincere.min() > NEUTRAL_SCORE  # a blunt sincere ask stays on the right side of 50
    assert contesting[6] <= ADVERSARIAL_AT and sincere[6] >= COLLABORATIVE_AT  # at ordinary politeness
    for scores in (contesting, sincere, plain):  # politeness ranks the line within its stance
        assert (np.diff(scores) >= 0).all()
    assert plain[0] < NEUTRAL_SCORE < plain[-1]  # a line with no stance is ranked by politeness alone
    assert np.ptp(plain) > np.ptp(sincere)
    # Small talk is not a request: request politeness barely moves it ("Coffee's terrible today." is not rude).
    chat = tone_scores(p, polite, zeros, zeros, small_talk=ones)
    assert chat.min() > ADVERSARIAL_AT and np.ptp(chat) < np.ptp(plain) / 2


# --- one reader ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "Dana, honestly, you picked the wrong person.",
    "Dana, could you tell me what the panel made of my answers?",
])
def test_score_and_a_rehearsal_agree_on_a_line_that_names_the_counterpart(nextround, tmp_path, line):
    scored = json.loads(nextround("score", line, "--json").output)
    script = tmp_path / "s.txt"
    script.write_text(line + "\n", encoding="utf-8")
    session = json.loads(nextround("feedback", "--script", str(script), "--json").output)
    said = next(t for t in session["turns"] if t["role"] == "user")
    assert "Dana" in said["text"]
    assert said["tone"]["score"] == scored["score"]
    assert said["tone"]["flags"] == scored["flags"]

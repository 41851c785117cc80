"""`scripts/train_encoder.py soup`: the shipped reader is the average of two training runs. The average must be the
element-wise mean of every array, keep the stance class names, record each run, and refuse runs of other tasks.
(numpy only: no torch is needed to average runs.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "train_encoder.py"
CLASSES = np.array(["accept", "contest"], dtype="U16")


def _run(folder: Path, seed: int, scale: float, tasks=("politeness", "stance"), files=("a.csv",)) -> Path:
    folder.mkdir()
    np.savez(folder / "encoder_fp32.npz", **{"layer.weight": np.full((2, 3), scale, dtype=np.float32)})
    np.savez(folder / "heads.npz", classes=CLASSES, **{"stance.weight": np.full((2, 3), 2 * scale, dtype=np.float32)})
    record = {"corpora": ["politeness", "stance"], "tasks": list(tasks), "max_len": 64, "seed": seed, "steps": 10,
              "train_seconds": 100.25, "wall_seconds": 110.0, "stance_files": list(files),
              "stance_sha256": {f: f"sha-{f}" for f in files}, "figures_torch_fp32": {"x": 1}}
    (folder / "figures.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


def _soup(out: Path, *runs: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "soup", "--out", str(out), *map(str, runs)],
                          capture_output=True, text=True, timeout=120)


def test_a_soup_is_the_mean_of_its_runs_and_records_each_of_them(tmp_path):
    a = _run(tmp_path / "a", 16, 1.0)
    b = _run(tmp_path / "b", 17, 3.0, files=("a.csv", "b.csv"))
    done = _soup(tmp_path / "soup", a, b)
    assert done.returncode == 0, done.stderr
    with np.load(tmp_path / "soup" / "encoder_fp32.npz") as enc, np.load(tmp_path / "soup" / "heads.npz") as heads:
        assert np.allclose(enc["layer.weight"], 2.0)
        assert np.allclose(heads["stance.weight"], 4.0)
        assert list(heads["classes"]) == list(CLASSES)
    record = json.loads((tmp_path / "soup" / "figures.json").read_text(encoding="utf-8"))
    assert record["seed"] == "16+17"
    assert record["train_seconds"] == 200.5
    assert [r["seed"] for r in record["soup_of"]] == [16, 17]
    assert record["stance_files"] == ["a.csv", "b.csv"]
    assert set(record["stance_sha256"]) == {"a.csv", "b.csv"}
    assert "figures_torch_fp32" not in record  # each run's own figures do not describe the average


def test_runs_of_other_tasks_are_refused_in_one_line(tmp_path):
    a = _run(tmp_path / "a", 16, 1.0)
    b = _run(tmp_path / "b", 17, 3.0, tasks=("politeness",))
    done = _soup(tmp_path / "soup", a, b)
    assert done.returncode != 0
    assert "differ in tasks" in done.stderr
    assert not (tmp_path / "soup" / "encoder_fp32.npz").exists()


def test_tune_gives_a_near_tie_to_the_better_ranking_and_leaves_clear_wins_alone():
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        from train_encoder import break_ties
    finally:
        sys.path.remove(str(SCRIPT.parent))
    rows = [(3.70, "steep", 0.70), (3.72, "best goal", 0.75), (3.71, "ranks best", 0.80), (3.50, "far", 0.99)]
    assert [r[1] for r in break_ties(rows, 0.0167)] == ["ranks best", "best goal", "steep", "far"]
    assert [r[1] for r in break_ties(rows, 0.0)] == ["best goal", "ranks best", "steep", "far"]
    assert [r[1] for r in break_ties(rows, 0.005)][0] == "best goal"  # 3.71 is not within 0.005 of 3.72

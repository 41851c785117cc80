"""Drop new training lines that come too close to the development and frozen sets, or to our training files.

A candidate line is dropped when it shares a run of five words with any development or frozen line (so a training
line can never teach a checked line), or a run of six words with a line of an existing training file (our files'
own rule). Words are lower-cased runs of letters and apostrophes. Stdlib only.

    python scripts/prune_training_lines.py NEW.csv --out tests/data/stance_train_NAME.csv [--skip FILE ...]
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
DEV_FILES = ("lines_dev3.csv", "lines_dev4.csv", "clearcut_dev.csv", "clearcut_dev2.csv", "stance_dev.csv",
             "stance_mixed.csv", "topics_dev.csv")
CHECKED_RUN = 5  # words shared with a development or frozen line
TRAINING_RUN = 6  # words shared with a line of a training file
FIELDS = ["text", "stance", "tone", "conversation"]


def runs(text: str, n: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z']+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def checked_lines() -> list[str]:
    """Every development and frozen line: the CSV sets' texts and the practice scripts' lines."""
    lines = [row["text"] for name in DEV_FILES for row in csv.DictReader(open(DATA / name, encoding="utf-8"))]
    for pattern in ("scripts_dev*/*.txt", "frozen*/**/*.txt"):
        for path in DATA.glob(pattern):
            lines += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for path in DATA.glob("frozen*/**/*.csv"):
        lines += [row.get("text") or row.get("line") or "" for row in csv.DictReader(open(path, encoding="utf-8"))]
    return [line for line in lines if line]


def prune(rows: list[dict], checked: list[str], training: list[str]) -> list[dict]:
    near_checked = set().union(*(runs(t, CHECKED_RUN) for t in checked))
    near_training = set().union(*(runs(t, TRAINING_RUN) for t in training))
    return [row for row in rows if not runs(row["text"], CHECKED_RUN) & near_checked
            and not runs(row["text"], TRAINING_RUN) & near_training]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("candidates", type=Path, help="CSV with text,stance,tone,conversation")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--skip", nargs="*", default=[],
                        help="training files not to prune against (e.g. the file being rebuilt)")
    args = parser.parse_args()
    rows = list(csv.DictReader(open(args.candidates, encoding="utf-8")))
    training = [row["text"] for path in sorted(DATA.glob("stance_train*.csv")) if path.name not in args.skip
                for row in csv.DictReader(open(path, encoding="utf-8"))]
    kept = prune(rows, checked_lines(), training)
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(kept)
    print(f"{len(rows)} -> {len(kept)} lines written to {args.out}")


if __name__ == "__main__":
    main()

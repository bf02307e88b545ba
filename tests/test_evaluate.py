"""augtool evaluate: its arithmetic on a tiny fixture, and the command end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from augtool.evaluate import evaluate, mean_sd, paper_setting, stratified_sample
from augtool.pipeline import Options, Pipeline

from .conftest import run_cli

pytest.importorskip("sklearn")

# Two perfectly separable classes: every "good" text has happy words, every "bad" one sad words.
TRAIN = [(f"happy great lovely day number {i}", "good") for i in range(20)] + [
    (f"sad awful terrible day number {i}", "bad") for i in range(20)
]
TEST = [("a happy lovely time", "good"), ("an awful sad time", "bad"), ("great and lovely", "good"),
        ("terrible, awful", "bad")]


def test_mean_sd_and_sizes_by_hand() -> None:
    assert mean_sd([0.5, 0.75, 1.0]) == (0.75, 0.25)  # deviations -0.25, 0, 0.25 -> var 0.0625
    assert mean_sd([0.6]) == (0.6, 0.0)
    labels = ["x"] * 30 + ["y"] * 10
    sample = stratified_sample(labels, 8, 3)
    assert len(sample) == 8 and sum(labels[i] == "y" for i in sample) == 2  # 25% of 8
    assert stratified_sample(labels, 8, 3) == sample  # seeded
    assert stratified_sample(labels, 100, 3) == list(range(40))
    assert paper_setting(500) == (0.05, 16) and paper_setting(501) == (0.05, 8)


def test_separable_fixture_is_learned_perfectly(resources) -> None:
    report = evaluate(
        TRAIN, TEST, {"none": None, "aug": Options(ops=("rs", "rd"), n_aug=2)},
        sizes=[10, None], seeds=2, make_pipeline=lambda o: Pipeline(o, resources),
    )
    data = report.to_json()
    assert report.sizes == [10, 40]
    rows = {(r["size"], r["variant"]): r for r in data["accuracy"]}
    assert set(rows) == {(10, "none"), (10, "aug"), (40, "none"), (40, "aug")}
    assert all(len(r["runs"]) == 2 for r in rows.values())
    assert rows[(40, "none")]["mean"] == 1.0 and rows[(40, "none")]["sd"] == 0.0
    # Swaps and deletions keep the class words, so the copies are still classified right.
    assert data["label_fidelity"]["originals"] == 1.0 and data["label_fidelity"]["aug"] == 1.0


def test_cli_json(tmp_path: Path) -> None:
    train, test = tmp_path / "train.jsonl", tmp_path / "test.jsonl"
    train.write_text("".join(json.dumps({"text": t, "label": y}) + "\n" for t, y in TRAIN))
    test.write_text("".join(json.dumps({"text": t, "label": y}) + "\n" for t, y in TEST))
    proc = run_cli("evaluate", "--train", str(train), "--test", str(test), "--sizes", "20,all", "--seeds", "2",
                   "--variants", "none,augtool", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {(r["size"], r["variant"]) for r in data["accuracy"]} == {
        (20, "none"), (20, "augtool"), (40, "none"), (40, "augtool")}
    bad = run_cli("evaluate", "--train", str(train), "--test", str(test), "--variants", "nope")
    assert bad.returncode == 2 and "unknown variant 'nope'" in bad.stderr.decode()

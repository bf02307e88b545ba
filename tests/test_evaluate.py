"""augtool evaluate: its arithmetic checked by hand on tiny cases, and the command end to end."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from augtool.errors import InputError, UsageError
from augtool.evaluate import (
    Classifier,
    Report,
    Run,
    Variant,
    default_seeds,
    evaluate,
    label_fidelity,
    paired,
    stratified_sample,
)
from augtool.pipeline import Options
from augtool.presets import for_size, table3

from .conftest import REPO, run_cli

pytest.importorskip("sklearn")

T_975_1, T_975_2 = 12.7062047, 4.3026527  # Student t quantiles, from a printed table

# Two separable classes; every text has at least three distinct words so rs and rd can change it.
TRAIN = [(f"happy great lovely day number {i}", "good") for i in range(20)] + [
    (f"sad awful terrible day number {i}", "bad") for i in range(20)
]
TEST = [("a happy lovely time", "good"), ("an awful sad time", "bad"), ("great and lovely", "good"),
        ("terrible awful night", "bad"), ("HAPPY great  lovely day number 3", "good")]  # the last is in TRAIN


def test_paired_interval_by_hand() -> None:
    p = paired([1.0, 2.0, 3.0])  # mean 2, sd 1, half-width t(2) * 1 / sqrt(3)
    assert p.mean == 2.0 and (p.better, p.worse) == (3, 0)
    assert p.low == pytest.approx(2 - T_975_2 / math.sqrt(3), abs=1e-6)
    assert p.high == pytest.approx(2 + T_975_2 / math.sqrt(3), abs=1e-6)
    one = paired([0.5])
    assert (one.mean, one.low, one.high) == (0.5, None, None)
    assert (paired([0.0, 1.0, -2.0]).better, paired([0.0, 1.0, -2.0]).worse) == (1, 1)


def test_gains_are_paired_by_seed() -> None:
    # none gets 80, 90, 85 of 100 right on seeds 0-2; aug 82, 89, 88: diffs +2, -1, +3 points.
    runs = [Run(500, s, "none", 500, c, 100) for s, c in enumerate((80, 90, 85))]
    runs += [Run(500, s, "aug", 8500, c, 100) for s, c in enumerate((82, 89, 88))]
    gain = Report({}, 1, 1, 0, runs).gains()[(500, "aug")]
    assert gain.diffs == pytest.approx((2.0, -1.0, 3.0))
    # mean 4/3; deviations 2/3, -7/3, 5/3 -> variance (4 + 49 + 25) / 9 / 2 = 13/3
    half = T_975_2 * math.sqrt(13 / 3) / math.sqrt(3)
    assert gain.mean == pytest.approx(4 / 3)
    assert (gain.low, gain.high) == (pytest.approx(4 / 3 - half, abs=1e-6), pytest.approx(4 / 3 + half, abs=1e-6))
    assert (gain.better, gain.worse) == (2, 1)
    reverse = Report({}, 1, 1, 0, runs).gains(against="aug")[(500, "none")]  # setting A vs B, either way round
    assert reverse.diffs == pytest.approx((-2.0, 1.0, -3.0)) and (reverse.better, reverse.worse) == (1, 2)
    with pytest.raises(UsageError, match="no variant 'b'"):
        Report({}, 1, 1, 0, runs).gains(against="b")


def test_label_fidelity_by_hand() -> None:
    f = label_fidelity(
        "v",
        labels=["a", "b", "a"],
        sources=["Good  day today", "bad day here", "xyz"],
        predicted=["a", "a", "a"],  # the judge gets text 0 right, text 1 wrong
        copies=[["good day today", "day good today", "day good today"], ["bad here"], []],
        copy_predicted=[["a", "b", "a"], ["b"], []],
    )
    assert (f.texts, f.no_copy, f.copies) == (2, 1, 4)
    assert f.originals == 0.5  # of the two texts with copies, one right
    assert f.on_copies == pytest.approx((2 / 3 + 1) / 2)
    # text 0: 100 * (1 - 2/3) = 33.3; text 1: 100 * (0 - 1) = -100
    assert f.drop.diffs == pytest.approx((100 / 3, -100.0))
    assert f.drop.mean == pytest.approx((100 / 3 - 100) / 2)
    half = T_975_1 * abs(100 / 3 + 100) / math.sqrt(2) / math.sqrt(2)
    assert f.drop.high == pytest.approx(f.drop.mean + half, rel=1e-6)
    assert f.same_as_source == 0.25  # "good day today" is the source, case and spacing aside
    assert f.same_as_sibling == 0.25  # the second "day good today"


def test_weighted_idf_by_hand_and_copies_change_nothing() -> None:
    texts, labels = ["good day", "bad day", "good good night"], ["p", "n", "p"]
    idf = Classifier(texts, labels, [1.0, 1.0, 1.0]).idf()
    # sklearn's smoothed IDF, ln((1 + n) / (1 + df)) + 1, with n = 3
    assert idf["day"] == pytest.approx(math.log(4 / 3) + 1) and idf["good"] == pytest.approx(math.log(4 / 3) + 1)
    assert idf["night"] == pytest.approx(math.log(4 / 2) + 1) and idf["bad day"] == pytest.approx(math.log(2) + 1)
    # Weight 2 on the first text: n = 4, df(day) = 3, df(good) = 3, df(bad) = 1.
    heavy = Classifier(texts, labels, [2.0, 1.0, 1.0]).idf()
    assert heavy["day"] == pytest.approx(math.log(5 / 4) + 1) and heavy["bad"] == pytest.approx(math.log(5 / 2) + 1)
    # Each text three times at weight 1/3 (weights sum to n_orig = 3): the same features and model.
    once = Classifier(texts, labels, [1.0] * 3)
    thrice = Classifier(texts * 3, labels * 3, [1 / 3] * 9)
    assert thrice.idf() == pytest.approx(once.idf())
    assert thrice._model.coef_ == pytest.approx(once._model.coef_, abs=1e-3)
    with pytest.raises(UsageError, match="two labels"):
        Classifier(["a b", "c d"], ["x", "x"], [1.0, 1.0])


def test_one_table_for_presets_and_evaluate() -> None:
    assert table3(500) == (0.05, 16) and table3(600) == (0.05, 16) and table3(2000) == (0.05, 8)  # the paper
    # augtool's presets keep the size rows, with alpha 0.1 and 16 copies at 2,000 (measured, docs/evaluate.md).
    assert for_size(600) == (0.1, 16) and for_size(2000) == (0.1, 16) and for_size(5000) == table3(5000)
    variant = Variant("v", Options(n_aug=3, alpha=0.2))
    options = variant.options_for(600, seed=7)
    assert (options.n_aug, options.alpha, options.seed, options.keep_original) == (16, 0.2, 7, False)
    assert variant.options_for(2000, 0).n_aug == 16 and variant.options_for(5000, 0).n_aug == 4
    assert Variant("v", Options(n_aug=3), table3=False).options_for(600, 0).n_aug == 3
    assert [default_seeds(n) for n in (100, 1000, 1001, 40000)] == [10, 10, 5, 5]


def test_stratified_sample_by_hand() -> None:
    labels = ["x"] * 30 + ["y"] * 10
    sample = stratified_sample(labels, 8, 3)
    assert len(sample) == 8 and sum(labels[i] == "y" for i in sample) == 2  # 25 % of 8
    assert stratified_sample(labels, 8, 3) == sample
    assert stratified_sample(labels, 100, 3) == list(range(40))


def test_evaluate_fixture(resources) -> None:
    variant = Variant("aug", Options(ops=("rs", "rd"), n_aug=2), table3=False)
    steps = []
    report = evaluate(TRAIN, TEST, [variant], sizes=[10, None], seeds=2, seed=5, resources=resources,
                      fidelity_copies=3, progress=steps.append)
    assert report.settings["sizes"] == [10, 40] and report.settings["seeds"] == {"10": 2, "40": 2}
    assert report.overlap == 1
    assert len(report.runs) == 2 * 2 * 3
    for size in (10, 40):
        for seed in (5, 6):
            rows = {r.variant: r.rows for r in report.runs if r.size == size and r.seed == seed}
            assert rows["none"] == size and rows["duplicate"] == rows["aug"] == 3 * size  # 2 copies each
    gains = report.gains()
    assert gains[(10, "duplicate")].diffs == (0.0, 0.0) and gains[(40, "duplicate")].diffs == (0.0, 0.0)
    (fidelity,) = report.fidelity
    assert fidelity.texts + fidelity.no_copy == len(TEST) and fidelity.copies == 3 * fidelity.texts
    assert fidelity.originals == 1.0  # separable: the judge gets every test text right
    assert [(s.done, s.total) for s in steps] == [(3, 14), (6, 14), (9, 14), (12, 14), (14, 14)]
    again = evaluate(TRAIN, TEST, [variant], sizes=[10, None], seeds=2, seed=5, resources=resources,
                     fidelity_copies=3)
    assert again.to_json() == report.to_json()  # deterministic
    with pytest.raises(UsageError, match="distinct"):
        evaluate(TRAIN, TEST, [Variant("none")], sizes=[10], seeds=1, resources=resources)


def test_parse_variant() -> None:
    from augtool.cli.evaluate import parse_variant

    base = Options(alpha=0.1)
    small = parse_variant("small=--ops sr,ri --alpha 0.05 --op-alpha sr=0.2", base, table3=True)
    assert (small.name, small.options.ops, small.options.alpha, small.table3) == ("small", ("sr", "ri"), 0.05, True)
    assert small.options.op_alpha == {"sr": 0.2}
    e4 = parse_variant("e4=eda-like -n 4 --no-chain", base, table3=True)
    assert (e4.options.senses, e4.options.inflect, e4.options.guards) == ("all", False, False)
    assert (e4.options.n_aug, e4.table3) == (4, False)
    for spec, message in (("nope", "NAME=FLAGS"), ("x=--bogus 1", "unknown flag '--bogus'"),
                          ("x=--alpha", "needs a value"), ("x=--alpha much", "cannot take 'much'"),
                          ("x=fancy", "unknown base 'fancy'")):
        with pytest.raises(UsageError, match=message):
            parse_variant(spec, base, table3=True)


def test_cli_json_progress_and_overlap_warning(tmp_path: Path) -> None:
    train, test = tmp_path / "train.jsonl", tmp_path / "test.jsonl"
    train.write_text("".join(json.dumps({"text": t, "label": y}) + "\n" for t, y in TRAIN))
    test.write_text("".join(json.dumps({"text": t, "label": y}) + "\n" for t, y in TEST))
    proc = run_cli("evaluate", "--train", str(train), "--test", str(test), "--sizes", "20", "--seeds", "2",
                   "--variants", "", "--variant", "rs2=--ops rs -n 2", "--fidelity-copies", "2", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {(r["variant"], r["seed"], r["rows"]) for r in data["runs"]} == {
        (v, s, n) for s in (0, 1) for v, n in (("none", 20), ("duplicate", 60), ("rs2", 60))}
    assert {g["variant"] for g in data["gains_pts"]} == {"duplicate", "rs2"}
    assert data["data"] == {"train": 40, "test": 5, "overlap": 1}
    stderr = proc.stderr.decode()
    assert "augtool: evaluate 3/8 fits, N=20 seed 1/2" in stderr and "ETA" in stderr
    assert "warning: 1 of 5 test texts (20.0%) also occur in the training data" in stderr
    assert "fewer than 10 seeds at N = 20" in stderr
    bad = run_cli("evaluate", "--train", str(train), "--test", str(test), "--variants", "nope")
    assert bad.returncode == 2 and "unknown variant 'nope'" in bad.stderr.decode()


def test_eval_real_says_where_data_is_missing(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "eval_real.py"), "--data", str(tmp_path / "no")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and f"no data folder {tmp_path / 'no'}" in proc.stderr and "--data DIR" in proc.stderr


def test_record_weights_by_hand() -> None:
    from augtool.evaluate import row_weights

    # Record 0 has 1 copy, record 1 none, record 2 three: each record's rows share weight 1.
    weights = row_weights([1, 0, 3], weighted=True, per_record=True)
    assert weights == [1 / 2, 1.0, 1 / 4, 1 / 2, 1 / 4, 1 / 4, 1 / 4]
    assert sum(weights) == pytest.approx(3.0)  # the training budget: one per original
    # The older rule: every row n_orig / n_rows = 3 / 7, so record 2 weighs 4/7 + ... = 1.71 and record 1 0.43.
    assert row_weights([1, 0, 3], weighted=True, per_record=False) == [3 / 7] * 7
    assert row_weights([2], weighted=False, per_record=True) == [1.0] * 3
    # A record with copies weighs what it weighed alone: the same model as no copies at all.
    texts, labels = ["good day", "bad day", "good good night"], ["p", "n", "p"]
    once = Classifier(texts, labels, row_weights([0, 0, 0], weighted=True, per_record=True))
    uneven = Classifier([*texts, "good day", "bad day", "bad day"], [*labels, "p", "n", "n"],
                        row_weights([1, 2, 0], weighted=True, per_record=True))
    assert uneven.idf() == pytest.approx(once.idf())
    assert uneven._model.coef_ == pytest.approx(once._model.coef_, abs=1e-3)


def test_filter_variant_runs_the_label_filter(resources) -> None:
    variant = Variant("aug", Options(ops=("rs", "rd"), n_aug=2), table3=False)
    filtered = Variant("f", Options(ops=("rs", "rd"), n_aug=2, filter_by_label="label", filter_threshold=0.5),
                       table3=False)
    report = evaluate(TRAIN, TEST, [variant, filtered], sizes=[None], seeds=1, resources=resources,
                      fidelity_copies=2)
    rows = {r.variant: r.rows for r in report.runs}
    assert rows["f"] <= rows["aug"]  # the filter only ever removes copies
    assert report.settings["variants"]["f"]["filter_by_label"] == "label"


def test_evaluate_reads_through_the_one_reader(tmp_path: Path) -> None:
    import gzip

    from augtool.cli.evaluate import _read

    # Gzip, nested paths as augment takes them, and file:line on a bad record, as every command reads.
    data = tmp_path / "chat.jsonl.gz"
    rows = [{"messages": [{"content": "good film"}, {"content": "I liked it"}], "y": "pos"},
            {"messages": [{"content": "bad film"}], "y": 0}]
    data.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    assert _read(data, ["messages[*].content"], "y") == [("good film\nI liked it", "pos"), ("bad film", "0")]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok", "label": 1}\n{"text": "", "label": 1}\n')
    with pytest.raises(InputError) as caught:
        _read(bad, ["text"], "label")
    assert (caught.value.line, "needs a string 'text'" in str(caught.value)) == (2, True)

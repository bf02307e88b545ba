"""stats, balance, preview and --dedup, checked against hand-computed figures."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from augtool.balance import LabelPlan, resolve_targets
from augtool.diff import render_plain, word_diff
from augtool.errors import UsageError
from augtool.pipeline import Options, Pipeline
from augtool.runstats import RunStats

from .conftest import run_cli

STATS_LINES = [
    '{"text": "a b c", "label": "x"}',
    '{"text": "a b", "label": "x"}',
    '{"text": "A  b", "label": "y"}',
    '{"text": "a b", "label": "y"}',
    "not json",
    '{"text": 5, "label": "y"}',
]


def test_stats_figures_match_hand_computation(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(STATS_LINES) + "\n")
    proc = run_cli("stats", str(path), "--label-field", "label", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["records"] == 4 and report["rejected_lines"] == 2
    # words per text 3, 2, 2, 2 -> nearest-rank p5 = 2 (rank 1), p50 = 2 (rank 2), p95 = 3 (rank 4)
    assert report["lengths"]["words"] == {"p5": 2, "p50": 2, "p95": 3, "max": 3}
    # characters 5, 3, 4, 3 -> sorted 3 3 4 5
    assert report["lengths"]["chars"] == {"p5": 3, "p50": 3, "p95": 5, "max": 5}
    # vocabulary {a, b, c}; 9 words in all; bigrams: (a b) (b c) (a b) (a b) (a b) -> 2 of 5 distinct
    assert report["vocabulary"] == 3
    assert report["distinct_1"] == pytest.approx(3 / 9, abs=1e-4)
    assert report["distinct_2"] == pytest.approx(2 / 5)
    # exact: "a b" twice -> 1 of 4; normalised: "A  b" is "a b" too -> 2 of 4
    assert report["exact_duplicate_rate"] == 0.25
    assert report["normalized_duplicate_rate"] == 0.5
    assert {k: v["count"] for k, v in report["labels"].items()} == {"x": 2, "y": 2}
    assert report["labels"]["x"]["share"] == 0.5
    tables = run_cli("stats", str(path), "--label-field", "label")
    assert tables.returncode == 0 and "distinct-2" in tables.stdout.decode()


def test_stats_against_source(tmp_path: Path) -> None:
    source = tmp_path / "src.jsonl"
    source.write_text('{"id": 1, "text": "the quick dog"}\n{"id": 2, "text": "pay $5 now 🚀"}\n')
    augmented = tmp_path / "aug.jsonl"
    rows = [
        {"id": 1, "text": "the quick dog"},
        {"text": "the fast dog", "_aug": {"source": 1, "copy": 1, "ops": ["sr"]}},
        {"text": "the quick dog", "_aug": {"source": 1, "copy": 2, "ops": ["rs"]}},
        {"text": "pay now 🚀", "_aug": {"source": 2, "copy": 1, "ops": ["rd"]}},
        {"text": "lost", "_aug": {"source": 99, "copy": 1, "ops": ["rd"]}},
    ]
    augmented.write_text("".join(json.dumps(r) + "\n" for r in rows))
    proc = run_cli("stats", str(augmented), "--against", str(source), "--json")
    against = json.loads(proc.stdout)["against"]
    assert against["compared"] == 3 and against["without_source"] == 1
    assert against["identical_to_source"] == pytest.approx(1 / 3, abs=1e-4)
    # word edit distances 1 (quick->fast), 0, 1 ($5 deleted)
    assert against["mean_word_edit_distance"] == pytest.approx(2 / 3, abs=1e-4)
    assert against["change_rate_by_op"] == {"rd": 1.0, "rs": 0.0, "sr": 1.0}
    # protected tokens: $5 and 🚀 in source 2, only 🚀 kept
    assert against["protected_tokens_preserved"] == 0.5


def test_stats_reads_shard_directories_and_gzip(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps({"id": i, "text": f"happy dog {i} runs"}) + "\n" for i in range(10)))
    out = tmp_path / "out"
    assert run_cli("augment", str(data), "-o", str(out), "--compress", "gzip", "--shard-size", "7",
                   "--no-dedup").returncode == 0
    report = json.loads(run_cli("stats", str(out), "--json").stdout)
    assert report["records"] == 50 and report["augmented_records"] == 40


def test_targets_and_round_robin_plan() -> None:
    counts = {"a": 10, "b": 3, "c": 1}
    assert resolve_targets(counts, "max") == {"a": 10, "b": 10, "c": 10}
    assert resolve_targets(counts, "5") == {"a": 5, "b": 5, "c": 5}
    with pytest.raises(UsageError):
        resolve_targets(counts, "lots")
    # b: 7 extra over 3 sources -> 3, 2, 2; every source used before any twice
    assert [LabelPlan(3, 10, False).copies_for(j) for j in range(3)] == [3, 2, 2]
    assert LabelPlan(10, 5, True).kept == 5 and LabelPlan(10, 5, False).kept == 10


def skewed(tmp_path: Path) -> Path:
    rows = [{"id": f"a{i}", "text": f"the happy dog number {i} runs home fast", "label": "a"} for i in range(10)]
    rows += [{"id": f"b{i}", "text": f"the quick fox number {i} jumps over the car", "label": "b"} for i in range(3)]
    rows += [{"id": "c0", "text": "a lazy dog sleeps in the big house all day", "label": "c"}]
    rows += [{"id": "n0", "text": "no label here at all"}]
    path = tmp_path / "skewed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def read_out(directory: Path) -> list[dict]:
    return [json.loads(line) for p in sorted(directory.glob("part-*.jsonl")) for line in p.open()]


def test_balance_to_max_uses_sources_round_robin(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("balance", str(skewed(tmp_path)), "-o", str(out), "--target", "max", "--seed", "1")
    assert proc.returncode == 0, proc.stderr
    rows = read_out(out)
    labels = Counter(r.get("label", "(none)") for r in rows)
    assert labels == {"a": 10, "b": 10, "c": 10, "(none)": 1}
    per_source = Counter(r["_aug"]["source"] for r in rows if "_aug" in r)
    assert per_source == {"b0": 3, "b1": 2, "b2": 2, "c0": 9}
    assert "before" in proc.stderr.decode() and "after" in proc.stderr.decode()
    again = tmp_path / "again"
    run_cli("balance", str(skewed(tmp_path)), "-o", str(again), "--target", "max", "--seed", "1")
    assert (again / "part-00000.jsonl").read_bytes() == (out / "part-00000.jsonl").read_bytes()


def test_balance_undersample_and_missing_labels(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("balance", str(skewed(tmp_path)), "-o", str(out), "--target", "5", "--undersample",
                   "--missing-label", "reject")
    assert proc.returncode == 0, proc.stderr
    rows = read_out(out)
    assert Counter(r.get("label") for r in rows) == {"a": 5, "b": 5, "c": 5}
    assert sum(1 for r in rows if r["label"] == "a" and "_aug" in r) == 0
    rejects = (out / "rejects.ndjson").read_text().splitlines()
    assert len(rejects) == 1 and "no label" in rejects[0]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["labels"]["a"] == {"before": 10, "target": 5, "after": 5}


def test_balance_refuses_stdin(tmp_path: Path) -> None:
    proc = run_cli("balance", "-", "-o", "-", stdin=b'{"text": "x", "label": 1}\n')
    assert proc.returncode == 2 and "reads its input twice" in proc.stderr.decode()


@pytest.mark.parametrize(
    ("source", "variant", "marked"),
    [
        ("the big dog barks", "the large dog barks", "the [~big=>large~] dog barks"),
        ("the big dog barks", "the dog barks", "the [-big-] dog barks"),
        ("the dog barks", "the old dog barks loudly", "the {+old+} dog barks {+loudly+}"),
        ("a b c", "c b a", "[~a=>c~] b [~c=>a~]"),
    ],
)
def test_preview_marks(source: str, variant: str, marked: str) -> None:
    assert render_plain(word_diff(source, variant)) == marked


def test_preview_cli_without_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    proc = run_cli("preview", "The quick brown fox jumps over the lazy dog.", "--ops", "rd", "-n", "3",
                   "--seed", "4", env={"NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert lines[0] == "original: The quick brown fox jumps over the lazy dog."
    assert len(lines) == 4
    for line in lines[1:]:
        assert line.startswith("     rd: ")
        assert "[-" in line and "{+" not in line and "[~" not in line and "\x1b[" not in line


def test_dedup_counts_hand_checked(resources) -> None:
    pipe = Pipeline(Options(ops=("rs",), n_aug=4, dedup=True), resources)
    # "red red red blue" has exactly 3 other orders of its words; "a b" has 1.
    result = pipe.process_line(b'{"text": "red red red blue"}', 1)
    assert (result.copies, result.dropped, result.duplicates) == (3, 1, 1)
    texts = {json.loads(x)["text"] for x in result.lines}
    assert texts == {"red red red blue", "red red blue red", "red blue red red", "blue red red red"}
    result = pipe.process_line(b'{"text": "a b"}', 2)
    assert (result.copies, result.dropped, result.duplicates) == (1, 3, 3)
    plain = Pipeline(Options(ops=("rs",), n_aug=4, dedup=False), resources).process_line(b'{"text": "a b"}', 2)
    assert plain.copies == 4  # with --no-dedup the duplicates stay
    default = Pipeline(Options(ops=("rs",), n_aug=4), resources).process_line(b'{"text": "a b"}', 2)
    assert (default.copies, default.dropped) == (1, 3)  # only new copies by default


def test_dedup_in_cli_summary(tmp_path: Path) -> None:
    proc = run_cli("augment", "-", "-o", "-", "--ops", "rs", "--dedup", stdin=b'{"text": "a b"}\n')
    assert proc.returncode == 0
    assert len(proc.stdout.splitlines()) == 2
    assert "3 copies not written (3 duplicates); " in proc.stderr.decode()


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("junk", [b"", b"not json\n"])  # a rejected line sends the batch record by record
def test_copies_not_written_are_counted_by_reason_in_the_manifest(tmp_path: Path, workers: str, junk: bytes) -> None:
    data = tmp_path / "in.jsonl"
    # "a b" has one other order: 3 of its 4 copies are duplicates. The other texts have many
    # orders, and no negation or question word to hold a word: every copy not written is a duplicate.
    rows = [b'{"id": %d, "text": "a b"}\n{"id": %d, "text": "red green blue gold teal"}\n' % (i, i + 10)
            for i in range(3)]
    data.write_bytes(rows[0] + rows[1] + junk + rows[2])
    proc = run_cli("augment", str(data), "-o", str(tmp_path / "out"), "--ops", "rs", "--workers", workers,
                   "--on-error", "skip")
    assert proc.returncode == 0, proc.stderr
    written = Counter(json.loads(line)["_aug"]["source"]
                      for shard in (tmp_path / "out").glob("*.jsonl") for line in shard.read_text().splitlines()
                      if "_aug" in line)
    missing = sum(4 - written[i] for i in (0, 1, 2, 10, 11, 12))
    assert [written[i] for i in (0, 1, 2)] == [1, 1, 1] and missing >= 9
    assert f"{missing} copies not written ({missing} duplicates); " in proc.stderr.decode()
    manifest = json.loads(next((tmp_path / "out").glob("*manifest*.json")).read_text())
    counts = manifest["counts"]
    assert counts["dropped_duplicates"] == missing  # every copy not written, as older manifests counted them
    assert (counts["not_written_duplicate"], counts["not_written_no_safe_change"], counts["not_written_label_flip"]) \
        == (missing, 0, 0)


def test_summary_names_each_reason_a_copy_was_not_written() -> None:
    stats = RunStats()
    stats.count_output(10, 6, 0, dropped=5, non_english=0, duplicates=2, flipped=1)
    stats.count_output(3, 2, 0, dropped=1, non_english=0, duplicates=0, flipped=0)
    assert stats.unsafe == 3
    assert "6 copies not written (2 duplicates, 3 no safe change, 1 label flip); " in stats.summary("out")
    assert stats.counts()["not_written_no_safe_change"] == 3
    one = RunStats()
    one.count_output(1, 0, 0, dropped=1, non_english=0, duplicates=1, flipped=0)
    assert "; 1 copy not written (1 duplicate); " in one.summary("out")
    single = RunStats(read=1)
    single.count_output(2, 1, 0, dropped=0, non_english=0, duplicates=0, flipped=0)
    assert single.summary("out").startswith("augtool: read 1 record; wrote 2 to out (1 original + 1 copy); ")

"""augtool's output read by the libraries people load it with: datasets, pandas, polars (pyarrow for Parquet).

Marked ``integration``; each test is skipped, with the reason, when its library is not installed
(``make test-integrations`` installs them all).
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from augtool import Options
from tests.conftest import run_cli

pytestmark = pytest.mark.integration

ROWS = [
    {"id": 1, "text": "The quick brown fox jumps over the lazy dog.", "label": "pos"},
    {"id": None, "text": "A happy dog ran across the big house.", "label": "neg"},
    {"id": 3, "text": "My car is not fast, but it is a good car.", "label": "pos"},
    {"id": None, "text": "Quiet rivers carry heavy boats slowly to the sea.", "label": "neg"},
    {"id": 5, "text": "She quickly wrote a long letter to her old friend.", "label": "pos"},
]


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in rows))
    return path


def _cli_records(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_dataset_map_gives_the_cli_records(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets", reason="datasets not installed (make test-integrations)")
    from augtool.hf import augmenter

    source = _jsonl(tmp_path / "train.jsonl", ROWS)
    done = run_cli("augment", str(source), "-o", str(tmp_path / "cli.jsonl"), "--seed", "5", "-n", "3", "-q")
    assert done.returncode == 0, done.stderr.decode()
    expected = _cli_records(tmp_path / "cli.jsonl")
    for record in expected:  # the struct column holds the source as JSON text
        if "_aug" in record:
            record["_aug"]["source"] = orjson.dumps(record["_aug"]["source"]).decode()
        else:
            record["_aug"] = None

    dataset = datasets.Dataset.from_list(ROWS)
    fn = augmenter(Options(seed=5, n_aug=3), input_name="train.jsonl")
    # batch_size 2: row numbers must come from the indices, not from the place in a batch.
    mapped = dataset.map(fn, batched=True, batch_size=2, with_indices=True, remove_columns=dataset.column_names)
    got = mapped.to_list()
    assert len(got) == len(ROWS) * 4
    assert sum(r["text"] != ROWS[i // 4]["text"] for i, r in enumerate(got)) >= 10  # copies really differ
    assert {r["_aug"]["source"] for r in got if r["_aug"]} >= {
        '{"input":"train.jsonl","line":2}', '{"input":"train.jsonl","line":4}', "1"
    }
    assert got == expected


def test_dataset_map_without_indices_needs_ids() -> None:
    datasets = pytest.importorskip("datasets", reason="datasets not installed (make test-integrations)")
    from augtool.errors import UsageError
    from augtool.hf import augmenter

    dataset = datasets.Dataset.from_list([{"text": "no id here"}])
    with pytest.raises(UsageError, match=r"with_indices=True"):
        dataset.map(augmenter(), batched=True, remove_columns=["text"])

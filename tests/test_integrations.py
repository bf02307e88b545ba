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


# --- every loader, every format, on the patterns docs/formats.md documents ------------------------

LOADERS = {
    ("datasets", "jsonl"): lambda d: _datasets("json", d / "*.jsonl"),
    ("datasets", "parquet"): lambda d: _datasets("parquet", d / "*.parquet"),
    ("datasets", "csv"): lambda d: _datasets("csv", d / "*.csv"),
    ("pandas", "jsonl"): lambda d: _pandas(lambda pd, f: pd.read_json(f, lines=True, dtype=False), d, "*.jsonl"),
    ("pandas", "parquet"): lambda d: _pandas(lambda pd, f: pd.read_parquet(f), d, "*.parquet"),
    ("pandas", "csv"): lambda d: _pandas(lambda pd, f: pd.read_csv(f, dtype=str, keep_default_na=False), d, "*.csv"),
    ("polars", "jsonl"): lambda d: _polars().read_ndjson(str(d / "*.jsonl")).to_dicts(),
    ("polars", "parquet"): lambda d: _polars().read_parquet(str(d / "*.parquet")).to_dicts(),
    ("polars", "csv"): lambda d: _polars().read_csv(str(d / "*.csv"), infer_schema=False).to_dicts(),
}


def _datasets(builder: str, pattern: Path) -> list[dict]:
    datasets = pytest.importorskip("datasets", reason="datasets not installed (make test-integrations)")
    datasets.disable_progress_bars()
    kwargs = {"keep_default_na": False} if builder == "csv" else {}
    dataset = datasets.load_dataset(builder, data_files=str(pattern), split="train",
                                    cache_dir=str(pattern.parent.parent / "hf-cache"), **kwargs)
    return dataset.to_list()


def _pandas(read, directory: Path, pattern: str) -> list[dict]:  # type: ignore[no-untyped-def]
    pd = pytest.importorskip("pandas", reason="pandas not installed (make test-integrations)")
    pytest.importorskip("pyarrow", reason="pyarrow not installed (make test-integrations)")
    import glob

    frames = [read(pd, f) for f in sorted(glob.glob(str(directory / pattern)))]
    return pd.concat(frames).to_dict("records")


def _polars():  # type: ignore[no-untyped-def]
    return pytest.importorskip("polars", reason="polars not installed (make test-integrations)")


def _key(record: dict) -> tuple[str, str, str, int]:
    """What must survive every loader: id, text, label and the copy number (0 for an original)."""
    aug = record.get("_aug")
    if isinstance(aug, str):
        aug = orjson.loads(aug) if aug else None  # CSV holds it as JSON text
    copy = aug["copy"] if isinstance(aug, dict) else 0
    return str(record["id"]), record["text"], record["label"], copy


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, str, str, int]]]:
    """One run per format into a directory that also holds a rejects file and a manifest."""
    root = tmp_path_factory.mktemp("loaders")
    lines = [orjson.dumps({**row, "id": i}) for i, row in enumerate(ROWS, 1)]
    lines.insert(2, b'{"id": 99, "text": ')  # a bad line: the rejects file must not be loaded
    (root / "in.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    common = ["--seed", "3", "--on-error", "skip", "-q"]
    done = run_cli("augment", str(root / "in.jsonl"), "-o", str(root / "expected.jsonl"), *common)
    assert done.returncode == 0, done.stderr.decode()
    for fmt in ("jsonl", "csv", "parquet"):
        done = run_cli("augment", str(root / "in.jsonl"), "-o", str(root / fmt), "--output-format", fmt,
                       "--shard-size", "7", *common)
        assert done.returncode == 0, done.stderr.decode()
        names = {p.name for p in (root / fmt).iterdir()}
        assert any("rejects" in n for n in names) and len([n for n in names if n.startswith("part-")]) == 4
    expected = [_key(r) for r in _cli_records(root / "expected.jsonl")]
    assert len(expected) == 25 and sum(k[3] > 0 for k in expected) == 20
    return root, expected


@pytest.mark.parametrize(("library", "fmt"), list(LOADERS))
def test_loaders_read_exactly_the_augmented_dataset(outputs: tuple[Path, list], library: str, fmt: str) -> None:
    root, expected = outputs
    records = LOADERS[(library, fmt)](root / fmt)
    assert [_key(r) for r in records] == expected


def test_dataset_map_equals_the_cli_parquet_output_loaded_by_datasets(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets", reason="datasets not installed (make test-integrations)")
    pytest.importorskip("pyarrow", reason="pyarrow not installed (make test-integrations)")
    import pyarrow as pa
    import pyarrow.parquet as pq

    from augtool.hf import augmenter

    source = tmp_path / "train.parquet"
    pq.write_table(pa.Table.from_pylist(ROWS), source)
    done = run_cli("augment", str(source), "-o", str(tmp_path / "out"), "--output-format", "parquet",
                   "--seed", "11", "-n", "2", "--shard-size", "4", "-q")
    assert done.returncode == 0, done.stderr.decode()
    datasets.disable_progress_bars()
    cli = datasets.load_dataset("parquet", data_files=str(tmp_path / "out" / "*.parquet"), split="train",
                                cache_dir=str(tmp_path / "hf-cache"))
    dataset = datasets.Dataset.from_parquet(str(source), cache_dir=str(tmp_path / "hf-cache"))
    mapped = dataset.map(augmenter(Options(seed=11, n_aug=2), input_name="train.parquet"), batched=True,
                         with_indices=True, remove_columns=dataset.column_names)
    assert len(cli) == 15 and mapped.to_list() == cli.to_list()

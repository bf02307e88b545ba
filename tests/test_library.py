"""Every command through the library and through the CLI: the same bytes and the same counts."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import orjson
import pytest

import augtool
from augtool.errors import OptionError
from augtool.manifest import merge
from augtool.slicing import Slice
from augtool.verify import verify

from .conftest import REPO, run_cli

ROWS = [
    {"id": 1, "text": "The quick brown fox jumps over the lazy dog.", "label": "pos"},
    {"text": "My car is not fast, and the house is small.", "label": "neg"},
    {"id": "x", "text": "I love this happy little house by the lake.", "label": "pos"},
    {"id": 4, "text": "A lazy dog sleeps all day in the sun.", "label": "pos"},
    "not a record",
]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "train.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in ROWS))
    return path


def files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.name != "manifest.json"}


def manifest(directory: Path) -> dict:
    found = json.loads((directory / "manifest.json").read_text())
    found.pop("inputs")  # the CLI and the library name the input the same, but the tmp paths differ
    return found


def test_augment_file_equals_the_cli(tmp_path: Path, data: Path) -> None:
    flags = ["-n", "2", "--seed", "5", "--on-error", "skip", "--shard-size", "4", "--ops", "sr,rd"]
    cli = run_cli("augment", str(data), "-o", str(tmp_path / "cli"), "-q", *flags)
    assert cli.returncode == 0, cli.stderr
    result = augtool.augment_file(data, tmp_path / "lib", n_aug=2, seed=5, on_error="skip", shard_size=4,
                                  ops="sr,rd")
    assert files(tmp_path / "lib") == files(tmp_path / "cli")
    assert manifest(tmp_path / "lib") == manifest(tmp_path / "cli")
    summary = cli.stderr.decode().strip().splitlines()[-1]
    assert result.summary(str(tmp_path / "cli")).rsplit(";", 1)[0] == summary.rsplit(";", 1)[0]
    assert (result.read, result.rejected, result.written) == (5, 1, 12)
    assert verify(tmp_path / "lib") == [] and run_cli("verify", str(tmp_path / "lib")).returncode == 0


def test_augment_records_equals_the_cli_on_stdin(data: Path) -> None:
    records = [r for r in ROWS if isinstance(r, dict)]
    stdin = b"".join(orjson.dumps(r) + b"\n" for r in records)
    cli = run_cli("augment", "-", "-o", "-", "-n", "3", "--seed", "9", stdin=stdin)
    assert cli.returncode == 0, cli.stderr
    library = list(augtool.augment_records(records, n_aug=3, seed=9))
    assert library == [json.loads(line) for line in cli.stdout.splitlines()]
    assert library[5]["_aug"]["source"] == {"input": "<stdin>", "line": 2}  # id-less: numbered as the CLI does


def test_stats_equals_the_cli(tmp_path: Path, data: Path) -> None:
    augtool.augment_file(data, tmp_path / "out", n_aug=2, seed=1, on_error="skip")
    cli = run_cli("stats", str(tmp_path / "out"), "--label-field", "label", "--against", str(data), "--json")
    assert cli.returncode == 0, cli.stderr
    library = augtool.stats(tmp_path / "out", label_field="label", against=data)
    assert library == json.loads(cli.stdout)
    assert library["records"] == 12 and library["augmented_records"] == 8


def test_balance_equals_the_cli(tmp_path: Path, data: Path) -> None:
    cli = run_cli("balance", str(data), "-o", str(tmp_path / "cli"), "--seed", "3", "--on-error", "skip",
                  "--target", "4", "--undersample", "-q")
    assert cli.returncode == 0, cli.stderr
    result = augtool.balance(data, tmp_path / "lib", seed=3, on_error="skip", target=4, undersample=True)
    assert files(tmp_path / "lib") == files(tmp_path / "cli")
    assert manifest(tmp_path / "lib") == manifest(tmp_path / "cli")
    after = {row["label"]: row["after"] for row in result.summary["labels"]}
    assert after == {"pos": 4, "neg": 4}  # 3 sources + 1 copy, 1 source + 3 copies
    assert result.stats.rejected == 1


def test_slices_merge_through_the_library_as_through_the_cli(tmp_path: Path, data: Path) -> None:
    for index in range(2):
        augtool.augment_file(data, tmp_path / "lib", part=Slice(index, 2), seed=2, on_error="skip")
        assert run_cli("augment", str(data), "-o", str(tmp_path / "cli"), "--num-shards", "2", "--shard-index",
                       str(index), "--seed", "2", "--on-error", "skip", "-q").returncode == 0
    merged = merge(tmp_path / "lib")
    assert run_cli("manifest", "merge", str(tmp_path / "cli")).returncode == 0
    assert files(tmp_path / "lib") == files(tmp_path / "cli") and merged["counts"]["read"] == 5


def test_library_errors_name_keywords_the_cli_names_flags(data: Path) -> None:
    with pytest.raises(OptionError, match=r"^n_aug must be 0 or more, not -1$"):
        list(augtool.augment_records([{"text": "a b"}], n_aug=-1))
    cli = run_cli("augment", str(data), "-o", "-", "--ops", "")
    assert cli.returncode == 2 and cli.stderr.decode() == "augtool: error: --ops needs at least one operation\n"


def test_the_library_page_runs() -> None:
    failures, tried = doctest.testfile(str(REPO / "docs" / "library.md"), module_relative=False)
    assert tried > 10 and failures == 0

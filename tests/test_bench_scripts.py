"""The measuring scripts' own logic: the programs bench.py times, and instructions.py's options.

A reference that writes the wrong lines would make every ratio against it wrong, so each
is run here on a few records and its output read back: not timed (timing never goes into
a unit test), only checked for what it claims to write.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from .conftest import load_script

RECORDS: list[dict[str, Any]] = [
    {"id": "a", "text": "the battery life is really great", "label": 1},
    {"id": "b", "text": "poor", "label": 0},
    {"id": 7, "text": "works well with every camera I own", "label": 1, "extra": [1, 2]},
]


@pytest.fixture(scope="module")
def bench() -> Any:
    return load_script("bench")


def _run(program: str, tmp_path: Path, name: str) -> list[bytes]:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in RECORDS))
    out = tmp_path / name
    subprocess.run([sys.executable, "-c", program, str(source), str(out)], check=True, timeout=60)
    return out.read_bytes().splitlines()


@pytest.mark.parametrize("name", ["FLOOR", "FLOOR_FORMAT", "NO_CHECKS"])
def test_each_reference_writes_five_lines_a_record(bench: Any, tmp_path: Path, name: str) -> None:
    lines = _run(getattr(bench, name), tmp_path, name)
    assert len(lines) == 5 * len(RECORDS)
    for i, record in enumerate(RECORDS):
        group = [orjson.loads(line) for line in lines[5 * i : 5 * i + 5]]
        # The original, then four copies that keep every other field.
        assert group[0] == record
        for copy in group[1:]:
            assert {k: v for k, v in copy.items() if k not in ("text", "_aug")} == \
                {k: v for k, v in record.items() if k != "text"}


@pytest.mark.parametrize("name", ["FLOOR_FORMAT", "NO_CHECKS"])
def test_references_in_augtools_format_splice_the_source_bytes(bench: Any, tmp_path: Path, name: str) -> None:
    lines = _run(getattr(bench, name), tmp_path, name)
    for i, record in enumerate(RECORDS):
        source = orjson.dumps(record)
        assert lines[5 * i] == source
        for number, line in enumerate(lines[5 * i + 1 : 5 * i + 5], 1):
            copy = orjson.loads(line)
            assert copy["_aug"]["source"] == record["id"] and copy["_aug"]["copy"] == number
            # Everything after the text is the source's bytes, with the provenance before the brace.
            assert line.startswith(source[: source.index(b'"text":') + 7])
            assert line.endswith(source[source.index(b',"label"') : -1] + line[line.index(b',"_aug"') :])


def test_the_loop_with_no_checks_does_one_eda_operation_a_copy(bench: Any, tmp_path: Path) -> None:
    lines = _run(bench.NO_CHECKS, tmp_path, "a")
    assert lines == _run(bench.NO_CHECKS, tmp_path, "b")  # seeded per record: the same bytes twice
    text = RECORDS[0]["text"]
    words = text.split(" ")
    stand_ins = {word[::-1] for word in words} | {word.upper() for word in words}
    replaced, inserted, swapped, deleted = (orjson.loads(line)["text"].split(" ") for line in lines[1:5])
    # Copy 1 replaces one word of four letters or more with a stand-in, copy 2 inserts one.
    assert len(replaced) == len(words) and sum(a != b for a, b in zip(replaced, words)) == 1
    assert {w for w in replaced if w not in words} <= stand_ins
    assert len(inserted) == len(words) + 1 and len({w for w in inserted if w not in words} - stand_ins) == 0
    # Copy 3 swaps two words (possibly one with itself), copy 4 deletes some (never all).
    assert sorted(swapped) == sorted(words)
    assert 1 <= len(deleted) <= len(words) and all(word in words for word in deleted)


def test_instructions_options_parse_as_json() -> None:
    script: Any = load_script("instructions")
    assert script._option("guards=false") == ("guards", False)
    assert script._option('ops=["sr","rd"]') == ("ops", ["sr", "rd"])
    assert script._option('lang="en"') == ("lang", "en")
    for bad in ("guards", "=1", "lang=en"):
        with pytest.raises(argparse.ArgumentTypeError):
            script._option(bad)

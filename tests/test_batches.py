"""A batch's results as one block (Packed) and the writers that take it whole: the same bytes as line by line."""

from __future__ import annotations

import io
from pathlib import Path
from unittest.mock import patch

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from augtool.augmenters import Resources
from augtool.driver import read_batches
from augtool.inputs import _jsonl_lines, open_input
from augtool.names import Layout
from augtool.parallel import Outcome, Packed, outcome, process_batch
from augtool.pipeline import Options, Pipeline
from augtool.resume import Position
from augtool.slicing import Slice
from augtool.writers import ShardWriter, StreamWriter

TEXTS = ["The quick brown fox jumps over the lazy dog.", "A happy dog runs near my house.", "ok", "Fox and dog."]


def batch(*bad_at: int) -> list[tuple[int, bytes]]:
    """Eight lines numbered from 10 (not from 1: line numbers must be carried, not counted), bad JSON at ``bad_at``."""
    lines = []
    for i in range(8):
        raw = b"{not json" if i in bad_at else orjson.dumps({"id": i, "text": TEXTS[i % len(TEXTS)], "n": 1.50})
        lines.append((10 + i, raw))
    return lines


def one_by_one(pipe: Pipeline, lines: list[tuple[int, bytes]]) -> list[Outcome]:
    return [outcome(pipe.process_line, raw, number, "in") for number, raw in lines]


def test_a_clean_batch_packs_to_the_outcomes_of_its_lines(resources: Resources) -> None:
    pipe = Pipeline(Options(n_aug=3, seed=4), resources)
    packed = process_batch(pipe, batch(), "in")
    expected = one_by_one(pipe, batch())
    assert isinstance(packed, Packed)
    assert packed.unpack() == expected
    assert packed.block == b"".join(line + b"\n" for o in expected for line in o.lines)
    assert packed.records == 8 and packed.last == 17
    assert packed.lines == sum(len(o.lines) for o in expected)
    assert packed.totals() == (sum(o.copies for o in expected), sum(o.unchanged for o in expected),
                               sum(o.dropped for o in expected), sum(o.foreign for o in expected),
                               sum(o.duplicates for o in expected), sum(o.flipped for o in expected))
    assert any(o.unchanged for o in expected) and any(o.copies for o in expected)  # both kinds were packed


def test_a_batch_with_a_bad_line_comes_back_line_by_line_in_order(resources: Resources) -> None:
    pipe = Pipeline(Options(n_aug=2, seed=4), resources)
    for bad in [(0,), (3,), (7,), (2, 5)]:
        got = process_batch(pipe, batch(*bad), "in")
        assert isinstance(got, list)
        assert got == one_by_one(pipe, batch(*bad))
        assert [o.line for o in got if o.reason] == [10 + i for i in bad]


def test_shard_writer_takes_a_block_only_while_the_shard_stays_open(tmp_path: Path) -> None:
    published = []
    writer = ShardWriter(tmp_path, shard_size=5, layout=Layout(), on_publish=lambda info, n: published.append(n))
    assert writer.write_block(b"a\nb\n", 2)
    assert writer.write_block(b"c\nd\n", 2)
    assert not writer.write_block(b"e\n", 1)  # would fill the shard: the caller writes line by line
    writer.write_lines([b"e", b"f"])
    assert writer.write_block(b"g\n", 1)
    shards = writer.close()
    assert [s.records for s in shards] == [5, 2]
    assert published == [1, None]
    assert [(tmp_path / s.file).read_bytes() for s in shards] == [b"a\nb\nc\nd\ne\n", b"f\ng\n"]


def test_stream_writer_keeps_blocks_and_lines_in_order() -> None:
    out = io.BytesIO()
    writer = StreamWriter(out)
    writer.write_lines([b"1"])
    writer.write_block(b"2\n3\n", 2)
    writer.write_block(b"", 0)
    writer.write_lines([b"4"])
    writer.flush()
    assert out.getvalue() == b"1\n2\n3\n4\n"


def reference_batches(
    paths: list[str], part: Slice, start: Position, limit: int | None
) -> list[tuple[int, int, bytes]]:
    """What a reader must give, record by record: (input, line, raw) of this slice from ``start``, within ``limit``."""
    out, index = [], 0
    for number, path in enumerate(paths):
        for line, raw in _jsonl_lines(path, open_input(path)):
            if limit is not None and index >= limit:
                return out
            index += 1
            if (number, line) >= (start.input, start.line) and part.owns(index - 1):
                out.append((number, line, raw))
    return out


LINE = st.sampled_from([b'{"a":1}', b'{"b":"x y"}', b"", b"  ", b"\t", b'{"c":2}\r', b" {}", b"[1]", b"\r"])


@settings(max_examples=60, deadline=None)
@given(
    files=st.lists(st.lists(LINE, max_size=40), min_size=1, max_size=3),
    final_newline=st.booleans(),
    bom=st.booleans(),
    count=st.integers(1, 4),
    data=st.data(),
)
def test_reading_in_runs_gives_each_slice_its_records_line_by_line(
    tmp_path_factory: pytest.TempPathFactory, files: list[list[bytes]], final_newline: bool, bom: bool, count: int,
    data: st.DataObject,
) -> None:
    folder = tmp_path_factory.mktemp("runs")
    paths = []
    for i, lines in enumerate(files):
        path = folder / f"in{i}.jsonl"
        body = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
        path.write_bytes((b"\xef\xbb\xbf" if bom and i == 0 else b"") + body)
        paths.append(str(path))
    part = Slice(data.draw(st.integers(0, count - 1)), count)
    start = Position(data.draw(st.integers(0, len(files) - 1)), data.draw(st.integers(0, 45)))
    limit = data.draw(st.none() | st.integers(0, 100))
    with patch("augtool.inputs._CHUNK", data.draw(st.integers(1, 64))), patch("augtool.slicing.BLOCK", 3):
        got = [(number, line, raw) for number, batch in read_batches(paths, part, start, None, limit)
               for line, raw in batch]  # type: ignore[union-attr]
        assert got == reference_batches(paths, part, start, limit)


@given(st.integers(0, 5), st.integers(1, 6), st.integers(0, 9000), st.integers(0, 9000))
def test_owned_ranges_are_the_records_a_slice_owns(index: int, count: int, start: int, length: int) -> None:
    part = Slice(index % count, count)
    ranges = list(part.owned(start, start + length))
    assert [r for a, b in ranges for r in range(a, b)] == [r for r in range(start, start + length) if part.owns(r)]

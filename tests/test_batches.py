"""A batch's results as one block (Packed) and the writers that take it whole: the same bytes as line by line."""

from __future__ import annotations

import io
from pathlib import Path

import orjson

from augtool.augmenters import Resources
from augtool.names import Layout
from augtool.parallel import Outcome, Packed, outcome, process_batch
from augtool.pipeline import Options, Pipeline
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
                               sum(o.dropped for o in expected), sum(o.foreign for o in expected))
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

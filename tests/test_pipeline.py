"""The pure pipeline: copies, provenance, determinism, pass-through, validation."""

from __future__ import annotations

import orjson
import pytest

from augtool.augmenters import Resources
from augtool.errors import UsageError
from augtool.pipeline import Options, Pipeline, RecordError

SENTENCE = "The quick brown fox jumps over the lazy dog near my happy house."


def line(record: dict) -> bytes:
    return orjson.dumps(record)


def test_n_aug_9_gives_9_copies_each_different_from_source(resources: Resources) -> None:
    pipe = Pipeline(Options(n_aug=9, seed=1), resources)
    result = pipe.process_line(line({"id": "a", "text": SENTENCE}), 1)
    assert result.copies == 9
    assert len(result.lines) == 10
    copies = [orjson.loads(raw) for raw in result.lines[1:]]
    assert all(c["text"] != SENTENCE for c in copies)
    assert [c["_aug"]["copy"] for c in copies] == list(range(1, 10))


def test_operations_spread_evenly_over_copies(resources: Resources) -> None:
    pipe = Pipeline(Options(n_aug=8, seed=2), resources)
    copies = [orjson.loads(raw) for raw in pipe.process_line(line({"text": SENTENCE}), 1).lines[1:]]
    assert [c["_aug"]["ops"] for c in copies] == [["sr"], ["ri"], ["rs"], ["rd"]] * 2


def test_chain_applies_every_operation(resources: Resources) -> None:
    pipe = Pipeline(Options(n_aug=2, chain=True, ops=("sr", "rs")), resources)
    copies = [orjson.loads(raw) for raw in pipe.process_line(line({"text": SENTENCE}), 1).lines[1:]]
    assert [c["_aug"]["ops"] for c in copies] == [["sr", "rs"], ["rs", "sr"]]


def test_original_is_written_byte_for_byte_then_copies_carry_other_fields(resources: Resources) -> None:
    raw = b'{"id": 7, "text": "happy dog", "label": "pos", "meta": {"x": [1, 2]}}'
    result = Pipeline(Options(n_aug=2), resources).process_line(raw, 1)
    assert result.lines[0] == raw
    for copy in map(orjson.loads, result.lines[1:]):
        assert copy["label"] == "pos" and copy["meta"] == {"x": [1, 2]} and copy["id"] == 7
        assert copy["_aug"]["source"] == 7
        assert list(copy) == ["id", "text", "label", "meta", "_aug"]


def test_no_original_when_not_kept(resources: Resources) -> None:
    result = Pipeline(Options(n_aug=3, keep_original=False), resources).process_line(
        line({"text": SENTENCE}), 1
    )
    assert len(result.lines) == 3 and all(b"_aug" in raw for raw in result.lines)


@pytest.mark.parametrize("text", ["12 34 !!!", "🚀🚀", "Hello"])
def test_record_that_cannot_change_passes_through_once(resources: Resources, text: str) -> None:
    for keep in (True, False):
        raw = line({"text": text})
        result = Pipeline(Options(keep_original=keep, ops=("rs", "rd")), resources).process_line(raw, 1)
        assert result.lines == [raw] and result.unchanged and result.copies == 0


def test_same_record_same_copies_whatever_comes_before(resources: Resources) -> None:
    pipe = Pipeline(Options(seed=5), resources)
    alone = pipe.process_line(line({"id": "x", "text": SENTENCE}), 1).lines
    pipe.process_line(line({"id": "y", "text": "lazy quick car"}), 1)
    again = Pipeline(Options(seed=5), resources).process_line(line({"id": "x", "text": SENTENCE}), 99).lines
    assert pipe.process_line(line({"id": "x", "text": SENTENCE}), 3).lines == alone == again


def test_seed_and_id_change_the_copies(resources: Resources) -> None:
    base = Pipeline(Options(seed=5), resources).process_line(line({"id": "x", "text": SENTENCE}), 1).lines
    other_seed = Pipeline(Options(seed=6), resources).process_line(line({"id": "x", "text": SENTENCE}), 1).lines
    other_id = Pipeline(Options(seed=5), resources).process_line(line({"id": "z", "text": SENTENCE}), 1).lines
    assert base[1:] != other_seed[1:] and base[1:] != other_id[1:]


def test_several_fields_are_augmented_together(resources: Resources) -> None:
    pipe = Pipeline(Options(fields=("title", "body"), n_aug=4, ops=("rd",), alpha=0.5), resources)
    record = {"title": "happy quick dog", "body": "lazy fox jumps over the car", "label": 1}
    copies = [orjson.loads(raw) for raw in pipe.process_line(line(record), 1).lines[1:]]
    assert len(copies) == 4
    assert all(c["title"] != record["title"] and c["body"] != record["body"] for c in copies)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"text": "a b"', "invalid JSON"),
        (b"[1, 2]", "expected a JSON object, got list"),
        (b'{"id": 1}', "missing field 'text'"),
        (b'{"text": null}', "field 'text' must be a string, got null"),
        (b'{"text": 5}', "field 'text' must be a string, got int"),
        (b'{"text": "  "}', "field 'text' is empty"),
        (b'{"text": "\xff"}', "invalid JSON"),
    ],
)
def test_bad_records_say_why(resources: Resources, raw: bytes, reason: str) -> None:
    with pytest.raises(RecordError, match="^" + reason.replace("(", r"\(")):
        Pipeline(Options(), resources).process_line(raw, 1)


@pytest.mark.parametrize(
    "kwargs",
    [{"ops": ()}, {"alpha": 0.0}, {"alpha": 1.5}, {"n_aug": -1}, {"op_alpha": {"sr": 2.0}},
     {"op_alpha": {"xx": 0.2}}, {"fields": ()}, {"provenance_key": "text"}, {"fields": ("a", "a")}],
)
def test_bad_options_are_refused(kwargs: dict) -> None:
    with pytest.raises(UsageError):
        Options(**kwargs)


def test_unknown_operation_lists_known_ones(resources: Resources) -> None:
    with pytest.raises(UsageError, match="unknown augmenter 'xx'; available: sr, ri, rs, rd, punct"):
        Pipeline(Options(ops=("xx",)), resources)


def test_library_api_on_dicts(resources: Resources) -> None:
    pipe = Pipeline(Options(n_aug=2, seed=3), resources)
    out = list(pipe.augment([{"text": SENTENCE}, {"text": "lazy dog"}]))
    assert [r.get("_aug", {}).get("copy", 0) for r in out] == [0, 1, 2, 0, 1, 2]
    first, second = {"input": "<records>", "line": 1}, {"input": "<records>", "line": 2}
    assert [r["_aug"]["source"] for r in out if "_aug" in r] == [first, first, second, second]
    named = list(pipe.augment([{"text": SENTENCE}], input_name="a.jsonl"))
    assert named[1]["_aug"]["source"] == {"input": "a.jsonl", "line": 1}
    assert [r["text"] for r in named] != [r["text"] for r in out[:3]]  # another input, other copies

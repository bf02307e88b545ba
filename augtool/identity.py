"""Who a record is: the bytes its random numbers are keyed on, and the names of inputs in provenance."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from random import Random
from typing import Any

import orjson

from augtool.rng import RecordRandom
from augtool.splice import Location


class RecordError(ValueError):
    """A record the pipeline cannot use; the reason is shown to the user with file:line."""


def record_key(seed: int, identity: bytes) -> bytes:
    """The key of a record's random numbers: the run's seed and the record's identity."""
    return b"%d\x1f" % seed + identity


def record_rng(seed: int, source_id: object) -> Random:
    """A generator that depends only on the seed and the record's identity (never ``hash()``).

    >>> record_rng(7, "a").random() == record_rng(7, "a").random() != record_rng(7, "b").random()
    True
    """
    return RecordRandom(record_key(seed, identity_key(source_id)))


DEFAULT_INPUT = "<records>"  # the input name of records handed to the library without one
STDIN_NAME = "<stdin>"


def identity_key(source_id: object, literal: bytes | None = None) -> bytes:
    """The bytes a record's copies are seeded from: its id as JSON, digits kept exactly.

    ``literal`` is the id as written in the input line: an integer too large for
    a 64-bit parser arrives as a float, and its literal keeps every digit.

    >>> identity_key(7), identity_key("r1"), identity_key(10**30), identity_key(1e30, b"10" + b"0" * 29)
    (b'7', b'"r1"', b'1000000000000000000000000000000', b'1000000000000000000000000000000')
    """
    if type(source_id) is int:  # bools are ints, but orjson writes them as true/false
        return b"%d" % source_id
    if literal is not None and isinstance(source_id, float) and not any(c in literal for c in b".eE"):
        return literal
    try:
        return orjson.dumps(source_id)
    except TypeError as exc:  # a library caller's object orjson cannot write
        raise RecordError(f"the id cannot be written as JSON: {exc}") from None


def input_names(paths: Sequence[str]) -> list[str]:
    """The names that identify inputs in provenance: the file name, plus parent folders when two clash.

    Built from the absolute path, so ``data/a.jsonl``, ``./data/a.jsonl`` and
    ``/abs/data/a.jsonl`` name the same input, and the name does not depend on
    the working directory.

    >>> input_names(["data/en/train.jsonl", "/x/fr/train.jsonl", "test.jsonl", "-"])
    ['en/train.jsonl', 'fr/train.jsonl', 'test.jsonl', '<stdin>']
    """
    parts = [(STDIN_NAME,) if p == "-" else PurePath(os.path.abspath(p)).parts for p in paths]
    names: list[str | None] = [None] * len(paths)
    pending = list(range(len(paths)))
    depth = 1
    while pending:
        groups: dict[tuple[str, ...], list[int]] = {}
        for i in pending:
            groups.setdefault(parts[i][-depth:], []).append(i)
        pending = []
        for suffix, members in groups.items():
            if len({parts[i] for i in members}) == 1:  # one file (perhaps given twice)
                for i in members:
                    names[i] = PurePath(*suffix).as_posix()
            else:
                pending += members
        depth += 1
    return [name or "" for name in names]


def source_of(record: Mapping[str, Any], id_field: str, input_name: str, line_number: int) -> object:
    """The record's id, or where it was read when it has none (null counts as none)."""
    value = record.get(id_field)
    return {"input": input_name, "line": line_number} if value is None else value


def literal_of(raw: bytes, spans: Mapping[Location, tuple[int, int]], location: Location) -> bytes | None:
    span = spans.get(location)
    return None if span is None else raw[span[0] : span[1]]

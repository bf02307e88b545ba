"""Parsed records from any input, with one error policy and one accounting.

stats, balance, preview and evaluate read through ``read_records``; augment's driver
reads raw lines (``augtool.inputs.iter_lines``) because the pipeline edits the bytes.
Both accept the same inputs: files (plain, .gz, .zst, registered formats), stdin
("-"), shard directories and globs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import orjson

from augtool.errors import InputError, OptionError
from augtool.inputs import display, expand_inputs, iter_lines

OnError = Literal["fail", "skip"]
# (input as shown, line number, reason, the raw line) of a line that is not a record
Reject = Callable[[str, int, str, bytes], None]


class Item(NamedTuple):
    """One record and where it came from."""

    source: str  # the input as shown in messages ("<stdin>" for -)
    line: int
    record: dict[str, Any]
    raw: bytes


@dataclass
class ReadCounts:
    """What reading found: records, and lines that are not JSON objects."""

    records: int = 0
    rejected: int = 0


def check_on_error(value: str) -> OnError:
    """``on_error`` checked: fail or skip."""
    if value not in ("fail", "skip"):
        raise OptionError("on_error", f"takes fail or skip, not {value!r}")
    return value  # type: ignore[return-value]


def read_records(
    inputs: Iterable[str],
    *,
    on_error: OnError = "fail",
    on_reject: Reject | None = None,
    counts: ReadCounts | None = None,
    input_format: str | None = None,
) -> Iterator[Item]:
    """Every JSON object of ``inputs`` in order; a line that is not one fails or is skipped, per ``on_error``.

    Each input is read as ``input_format`` when given (--input-format), else as its suffix says.

    Skipped lines are counted in ``counts.rejected`` and passed to ``on_reject``.  A
    file that cannot be read (missing, truncated or corrupt compression) is always
    an InputError: figures over part of the data would look like the whole.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
    ...     _ = fh.write('{"text": "a"}\\n[1]\\n{"text": "b"}\\n')
    >>> counts = ReadCounts()
    >>> [item.record["text"] for item in read_records([fh.name], on_error="skip", counts=counts)], counts
    (['a', 'b'], ReadCounts(records=2, rejected=1))
    >>> os.unlink(fh.name)
    """
    check_on_error(on_error)
    counts = counts if counts is not None else ReadCounts()
    for path in expand_inputs(inputs):
        name = display(path)
        for number, raw in iter_lines(path, input_format):
            try:
                record = orjson.loads(raw)
                reason = None if isinstance(record, dict) else f"expected a JSON object, got {type(record).__name__}"
            except orjson.JSONDecodeError as exc:
                reason = f"invalid JSON: {exc}"
            if reason is not None:
                if on_error == "fail":
                    raise InputError(name, number, reason)
                counts.rejected += 1
                if on_reject is not None:
                    on_reject(name, number, reason, raw)
                continue
            counts.records += 1
            yield Item(name, number, record, raw)

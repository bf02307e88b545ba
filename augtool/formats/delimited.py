"""CSV and TSV with a header row (stdlib ``csv``), and EDA's headerless ``label<TAB>sentence``.

Every cell is text: a CSV record is a dict of strings, so a CSV that goes in
comes out with the same values in the same columns, whatever quoting, commas,
tabs or line breaks they hold. Records from other formats are written with
their strings as they are, null as an empty cell, and numbers, booleans, lists
and objects (the provenance too) as JSON text.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from augtool.errors import InputError, OutputError
from augtool.formats import HashingFile, OutputSpec

_FLUSH = 1 << 20
PROVENANCE = "_aug"  # the default --provenance-key: read back as JSONL output holds it
csv.field_size_limit(1 << 30)  # a long document in one cell is data, not an attack on the parser


def _delimiter(fmt: str) -> str:
    return "," if fmt == "csv" else "\t"


def _text(path: str) -> io.TextIOWrapper:
    from augtool.inputs import open_input  # gzip and zstd by content, stdin, errors as InputError

    # utf-8-sig: a byte-order mark (Excel writes one) is not part of the first column's name.
    return io.TextIOWrapper(open_input(path), encoding="utf-8-sig", newline="")


def read_lines(path: str, fmt: str) -> Iterator[tuple[int, bytes]]:
    """(row number, JSON line) per record: header names as keys, cells as strings; blank rows skipped."""
    shown = "<stdin>" if path == "-" else path
    text = _text(path)
    number = 0
    try:
        if fmt == "eda":
            for number, line in enumerate(text, 1):
                line = line.rstrip("\r\n")
                if not line.strip():
                    continue
                label, tab, sentence = line.partition("\t")
                if not tab:
                    raise InputError(shown, number, "expected label<TAB>sentence (EDA's format), found no tab")
                yield number, orjson.dumps({"label": label, "text": sentence})
            return
        reader = csv.reader(text, delimiter=_delimiter(fmt), strict=True)
        header = next(reader, None)
        if header is None:
            return
        seen: set[str] = set()
        for name in header:
            if name in seen:
                raise InputError(shown, 0, f"the header names column {name!r} twice; rename one")
            seen.add(name)
        width = len(header)
        ours = PROVENANCE in header
        for number, row in enumerate(reader, 1):
            if not row:
                continue
            if len(row) != width:
                raise InputError(shown, number, f"row has {len(row)} cells, the header {width}")
            record = dict(zip(header, row))
            if ours:
                _unpack(record)
            yield number, orjson.dumps(record)
    except UnicodeDecodeError as exc:
        raise InputError(shown, number + 1, f"not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    except csv.Error as exc:
        raise InputError(shown, number + 1, f"malformed {fmt.upper()}: {exc}") from exc
    finally:
        if path != "-":
            text.close()


def header(path: str, fmt: str) -> tuple[str, ...] | None:
    """The header row of a CSV or TSV file (None for an empty file)."""
    text = _text(path)
    try:
        row = next(csv.reader(text, delimiter=_delimiter(fmt)), None)
    except (UnicodeDecodeError, csv.Error):
        return None  # reading the records reports it, with the row
    finally:
        text.close()
    return None if row is None else tuple(row)


def _unpack(record: dict[str, Any]) -> None:
    """augtool's provenance column read back as the JSONL output holds it: absent when empty, else an object."""
    cell = record.pop(PROVENANCE)
    if cell:
        try:
            value = orjson.loads(cell)
        except orjson.JSONDecodeError:
            value = None
        record[PROVENANCE] = value if isinstance(value, dict) else cell


def _cell(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return orjson.dumps(value).decode()


class DelimitedShard:
    """A CSV or TSV shard: a header, then one row per output line; published whole or not at all."""

    def __init__(self, temp: Path, final: Path, spec: OutputSpec, *, compress: bool) -> None:
        self.temp, self.final = temp, final
        self._spec = spec
        self._file = HashingFile(temp, final)
        # mtime=0 and no name in the header: the same rows give the same bytes.
        self._gzip = gzip.GzipFile(filename="", mode="wb", fileobj=self._file, mtime=0) if compress else None
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer, delimiter=_delimiter(spec.format), lineterminator="\n")
        self._columns: list[str] | None = None
        self._known: set[str] = set()

    def _header(self, record: dict[str, Any]) -> list[str]:
        # Every shard of a run has the same columns: the first CSV input's header, else the
        # first record's keys, and the provenance column last.
        columns = self._spec.learned.get("columns")
        if columns is None:
            key = self._spec.provenance_key
            columns = [c for c in (self._spec.columns or list(record)) if c != key] + [key]
            self._spec.learned["columns"] = columns
        self._csv.writerow(columns)
        return columns

    def add(self, lines: list[bytes]) -> None:
        """Append one row per line."""
        for line in lines:
            record = orjson.loads(line)
            columns = self._columns
            if columns is None:
                columns = self._columns = self._header(record)
                self._known = set(columns)
            if not record.keys() <= self._known:
                extra = next(key for key in record if key not in self._known)
                raise OutputError(
                    f"{self.final.name}: a record has the field {extra!r}, which is not among the CSV "
                    f"columns ({', '.join(columns)}) taken from the first record; write "
                    "--output-format jsonl or parquet for records whose fields vary"
                )
            self._csv.writerow([_cell(record.get(key)) for key in columns])
        if self._buffer.tell() >= _FLUSH:
            self._flush()

    def _flush(self) -> None:
        data = self._buffer.getvalue().encode()
        self._buffer.seek(0)
        self._buffer.truncate()
        (self._gzip or self._file).write(data)

    def publish(self) -> tuple[str, int]:
        """Flush, sync and rename into place; the sha256 and size of the file's bytes."""
        self._flush()
        if self._gzip is not None:
            self._gzip.close()  # the gzip trailer
        return self._file.publish()

    def discard(self) -> None:
        """Drop the file (failed or interrupted run)."""
        self._file.discard()


def count_rows(path: Path, fmt: str) -> int:
    """Data rows of a CSV or TSV shard (a quoted line break does not start a row)."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        rows = sum(1 for row in csv.reader(fh, delimiter=_delimiter(fmt), strict=True) if row)
    return max(rows - 1, 0)

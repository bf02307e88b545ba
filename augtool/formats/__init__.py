"""Record formats other than JSONL: CSV, TSV (with a header, or EDA's ``label<TAB>sentence``) and Parquet.

The pipeline works on JSON lines (a copy is its source line, spliced), so a
format is two adapters around it:

- a reader yields ``(row number, JSON line)`` for every record of a file, as
  ``io.iter_lines`` does for JSONL (``read_lines``); ``read_records`` gives the
  same records as dicts;
- a shard file takes the pipeline's output lines (``add``), turns them back
  into rows, and appears under its final name only when complete
  (``publish``) or not at all (``discard``): the contract of the JSONL shard
  files.

Rows are numbered from 1: the first data row of a CSV file (after its header),
the first row of a Parquet file. That number is what ``file:N`` in a message
and ``{"input": NAME, "line": N}`` in the provenance of an id-less record mean.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, Protocol

import orjson

from augtool.errors import OutputError, UsageError

InputFormat = Literal["jsonl", "csv", "tsv", "eda", "parquet"]
OutputFormat = Literal["jsonl", "csv", "tsv", "parquet"]
INPUT_FORMATS: tuple[str, ...] = ("jsonl", "csv", "tsv", "eda", "parquet")
OUTPUT_FORMATS: tuple[str, ...] = ("jsonl", "csv", "tsv", "parquet")
# The shard suffix of each output format (a gzip shard adds .gz; Parquet compresses inside).
SUFFIXES = {"jsonl": ".jsonl", "csv": ".csv", "tsv": ".tsv", "parquet": ".parquet"}
_COMPRESSED = (".gz", ".zst")


def detect(path: str, given: str | None = None) -> InputFormat:
    """The format of an input: ``given`` (--input-format) when set, else from the file name.

    ``.csv``, ``.tsv`` and ``.parquet`` (also ``.pq``), each optionally ``.gz``
    or ``.zst`` (not Parquet); anything else, and stdin, is JSONL.

    >>> [detect(p) for p in ("a.csv", "a.tsv.gz", "b.parquet", "c.jsonl", "-", "d.CSV")]
    ['csv', 'tsv', 'parquet', 'jsonl', 'jsonl', 'csv']
    >>> detect("labels.txt", "eda")
    'eda'
    """
    if given is not None:
        if given not in INPUT_FORMATS:
            raise UsageError(f"--input-format takes {', '.join(INPUT_FORMATS)}, not {given!r}")
        return given  # type: ignore[return-value]
    name = path.lower()
    for suffix in _COMPRESSED:
        name = name.removesuffix(suffix)
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".tsv"):
        return "tsv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    return "jsonl"


def output_format(given: str | None, output: str | None = None) -> OutputFormat:
    """The shard format: ``given`` (--output-format), else from a single output file's name, else JSONL.

    >>> output_format(None, "out/"), output_format("parquet"), output_format(None, "aug.csv.gz")
    ('jsonl', 'parquet', 'csv')
    """
    if given is not None:
        if given not in OUTPUT_FORMATS:
            raise UsageError(f"--output-format takes {', '.join(OUTPUT_FORMATS)}, not {given!r}")
        return given  # type: ignore[return-value]
    if output is not None:
        found = detect(output)
        if found != "jsonl" and output.lower().endswith(tuple(SUFFIXES[f] + z for f in SUFFIXES for z in ("", ".gz"))):
            return found  # type: ignore[return-value]
    return "jsonl"


def read_lines(path: str, fmt: InputFormat) -> Iterator[tuple[int, bytes]]:
    """(row number, the record as a JSON line) for every record of a CSV, TSV or Parquet input."""
    if fmt == "parquet":
        from augtool.formats import parquet

        return parquet.read_lines(path)
    from augtool.formats import delimited

    return delimited.read_lines(path, fmt)


def read_records(path: str, fmt: InputFormat) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, record) for every record of a CSV, TSV or Parquet input.

    Parquet values come as JSON would carry them (a timestamp as ISO 8601 text,
    binary as base64); the Parquet writer turns them back into their Arrow type.
    """
    for number, line in read_lines(path, fmt):
        yield number, orjson.loads(line)


def header(path: str, fmt: str) -> tuple[str, ...] | None:
    """The column names of a CSV or TSV input (None when empty or stdin); EDA's are label and text."""
    if fmt == "eda":
        return ("label", "text")
    if path == "-":
        return None
    from augtool.formats import delimited

    return delimited.header(path, fmt)


@dataclass(frozen=True)
class OutputSpec:
    """What a shard file needs beyond its name: format, provenance key, and the input's columns if known."""

    format: OutputFormat = "jsonl"
    provenance_key: str = "_aug"
    columns: tuple[str, ...] | None = None  # CSV/TSV header of the first CSV/TSV input
    schema: Any = None  # pyarrow.Schema of the first Parquet input
    # What the first shard settled (CSV columns, Parquet schema), so that every shard of a run agrees.
    learned: dict[str, Any] = field(default_factory=dict, compare=False)


def output_spec(inputs: list[str], input_format: str | None, output: str, kind: str, given: str | None,
                provenance_key: str) -> OutputSpec:
    """The output's format (--output-format, or a single file's name), with the first CSV header or Parquet schema.

    ``kind`` is how ``-o`` is read (runner.output_kind): stdout, file or dir.
    """
    named = output_format(None, output) if kind == "file" else None
    chosen = output_format(given or named)
    if kind == "file" and chosen != named:
        raise UsageError(f"--output-format {chosen}: name the output file *{SUFFIXES[chosen]}, not {output}")
    if kind == "stdout" and chosen != "jsonl":
        raise UsageError(f"--output-format {chosen} needs -o DIR/ or -o FILE{SUFFIXES[chosen]}: stdout is JSONL")
    found = [detect(path, input_format) for path in inputs]
    columns = schema = None
    if chosen in ("csv", "tsv"):
        columns = next((header(p, f) for p, f in zip(inputs, found) if f in ("csv", "tsv", "eda")), None)
    if chosen == "parquet":
        from augtool.formats.parquet import require, schema_of

        require("writing Parquet")
        schema = next((schema_of(p) for p, f in zip(inputs, found) if f == "parquet"), None)
    return OutputSpec(chosen, provenance_key, columns, schema)


class ShardFile(Protocol):
    """An output file written under a temporary name and renamed into place when complete."""

    temp: Path
    final: Path

    def add(self, lines: list[bytes]) -> None: ...
    def publish(self) -> tuple[str, int]: ...
    def discard(self) -> None: ...


def open_shard(temp: Path, final: Path, spec: OutputSpec, *, compress: bool) -> ShardFile:
    """A pending shard of ``spec.format`` (CSV, TSV or Parquet) at ``temp``, published as ``final``."""
    if spec.format == "parquet":
        if compress:
            raise UsageError("--compress gzip is for JSONL, CSV and TSV; Parquet compresses its own columns")
        from augtool.formats import parquet

        return parquet.ParquetShard(temp, final, spec)
    from augtool.formats import delimited

    return delimited.DelimitedShard(temp, final, spec, compress=compress)


def adopt(spec: OutputSpec, shard: Path) -> None:
    """Take the columns (CSV, TSV) or schema (Parquet) of a finished shard, so a resumed run's shards match it."""
    if spec.format == "parquet":
        from augtool.formats import parquet

        parquet.adopt(spec, shard)
    elif spec.format in ("csv", "tsv"):
        from augtool.formats import delimited

        columns = delimited.header(str(shard), spec.format)
        if columns is not None:
            spec.learned["columns"] = list(columns)


def count_records(path: Path, fmt: OutputFormat) -> int:
    """Records in a shard of ``fmt`` (for verify): Parquet from its footer, CSV/TSV by parsing."""
    if fmt == "parquet":
        from augtool.formats import parquet

        return parquet.count_rows(path)
    from augtool.formats import delimited

    return delimited.count_rows(path, fmt)


def shard_format(name: str) -> OutputFormat:
    """The format of a shard file, from its name.

    >>> shard_format("part-00001.parquet"), shard_format("part-00000.csv.gz"), shard_format("part-00000.jsonl")
    ('parquet', 'csv', 'jsonl')
    """
    return detect(name) if detect(name) != "eda" else "jsonl"  # type: ignore[return-value]


# --- the file under a shard: temporary name, hashing, atomic rename ----------------


class HashingFile:
    """A new file at ``temp``, never through a symlink, counting and hashing every byte written to it."""

    def __init__(self, temp: Path, final: Path) -> None:
        self.temp, self.final = temp, final
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except OSError as exc:
            raise output_error(final, exc) from exc
        self.raw: IO[bytes] = os.fdopen(fd, "wb")
        self.sha256 = hashlib.sha256()
        self.size = 0
        self.closed = False

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        try:
            return self.raw.write(data)
        except OSError as exc:
            raise output_error(self.final, exc) from exc

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        self.raw.flush()

    def writable(self) -> bool:
        return True

    def close(self) -> None:
        """Nothing: pyarrow closes its sink at the end, but the file is only closed by ``publish``."""

    def publish(self) -> tuple[str, int]:
        """Sync to disk, rename into place; return the sha256 and size of the bytes written."""
        try:
            self.raw.flush()
            os.fsync(self.raw.fileno())
            self.raw.close()
            os.replace(self.temp, self.final)
        except OSError as exc:
            raise output_error(self.final, exc) from exc
        with contextlib.suppress(OSError):
            fd = os.open(self.final.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        return self.sha256.hexdigest(), self.size

    def discard(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.raw.close()
        with contextlib.suppress(OSError):
            os.unlink(self.temp)


def output_error(path: Path | str, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


def provenance_text(value: Any) -> str | None:
    """A copy's provenance object as one JSON text (CSV cells), None for an original."""
    return None if value is None else orjson.dumps(value).decode()

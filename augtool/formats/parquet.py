"""Parquet in and out with pyarrow (``pip install 'augtool[parquet]'``), a batch at a time.

Reading streams pages (``pre_buffer=False`` with a buffered stream) in batches
of 1,024 rows, so memory does not grow with the file or its row groups. Each
row becomes a JSON line for the pipeline: integers exactly (int64 and uint64
whole), timestamps, dates and times as ISO 8601 text, binary as base64,
decimals as text, durations as whole microseconds; NaN and infinities become
null, as JSON has no such numbers.

Writing turns each output line back into a row of the input's schema (the
first Parquet input's; otherwise the one pyarrow infers from the first 8,192
records), so every column keeps its Arrow type, and the same schema holds for
every shard of a run, as ``load_dataset("parquet")`` requires. The provenance is
a struct column ``_aug: struct<source: string, copy: int64, ops: list<string>>``,
null on originals: every loader reads a struct, and ``copy``/``ops`` can be
filtered on directly; ``source`` is the id as JSON text (``"r1"``, ``7``, or
``{"input": "train.parquet", "line": 3}``) because its type differs from record
to record, which a column cannot hold.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

from augtool.errors import InputError, OutputError, UsageError
from augtool.formats import HashingFile, OutputSpec

_BATCH = 1024
_ROW_GROUP = 8192
PROVENANCE = "_aug"  # the default --provenance-key: read back as JSONL output holds it
EXTRA = "pip install 'augtool[parquet]'"


def require(what: str) -> Any:
    """The pyarrow module, or a UsageError naming the extra that installs it."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as exc:
        raise UsageError(f"{what} needs pyarrow: {EXTRA}") from exc
    return pyarrow


# --- reading -----------------------------------------------------------------------


def _default(value: Any) -> Any:
    """JSON for the Python values pyarrow gives that orjson does not write itself."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.timedelta):
        return value // dt.timedelta(microseconds=1)
    if hasattr(value, "isoformat"):  # pandas.Timestamp, for nanosecond timestamps
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no JSON form")


def read_lines(path: str) -> Iterator[tuple[int, bytes]]:
    """(row number from 1, the row as a JSON line) for every row, streamed."""
    if path == "-":
        raise UsageError("Parquet cannot be read from stdin (-): its index is at the end of the file; give a path")
    try:
        require("reading Parquet")
    except UsageError as exc:
        raise InputError(path, 0, str(exc)) from exc
    import pyarrow as pa
    import pyarrow.parquet as pq

    number = 0
    try:
        reader = pq.ParquetFile(path, buffer_size=1 << 20, pre_buffer=False)
        ours = _ours(reader.schema_arrow)
        for batch in reader.iter_batches(batch_size=_BATCH, use_threads=False):
            for row in batch.to_pylist():
                number += 1
                if ours:
                    _unpack(row)
                yield number, orjson.dumps(row, default=_default, option=orjson.OPT_NON_STR_KEYS)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(path, number + 1 if number else 0, f"cannot read Parquet: {exc}") from exc


def _ours(schema: Any) -> bool:
    """Whether ``schema`` has augtool's provenance column (under the default key)."""
    index = schema.get_field_index(PROVENANCE)
    return bool(index >= 0 and schema.field(index).type == provenance_type())


def _unpack(row: dict[str, Any]) -> None:
    """Read back augtool's provenance as the JSONL output holds it: absent on originals, ``source`` a JSON value."""
    value = row.pop(PROVENANCE)
    if value is not None:
        value["source"] = orjson.loads(value["source"]) if value["source"] is not None else None
        row[PROVENANCE] = value


def schema_of(path: str) -> Any:
    """The Arrow schema of a Parquet file (from its footer)."""
    pa = require("reading Parquet")
    import pyarrow.parquet as pq

    try:
        return pq.read_schema(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(path, 0, f"cannot read Parquet: {exc}") from exc


def count_rows(path: Path) -> int:
    """Rows of a Parquet file, from its footer."""
    require("verifying Parquet")
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


# --- JSON values back to Arrow's Python values -------------------------------------

Convert = Callable[[Any], Any]


def _converter(kind: Any) -> Convert | None:
    """How to turn a JSON value back into what pyarrow takes for ``kind``; None when it takes it as is."""
    import pyarrow.types as t

    if t.is_timestamp(kind):
        return dt.datetime.fromisoformat
    if t.is_date(kind):
        return dt.date.fromisoformat
    if t.is_time(kind):
        return dt.time.fromisoformat
    if t.is_duration(kind):
        return lambda v: dt.timedelta(microseconds=v)
    if t.is_binary(kind) or t.is_large_binary(kind) or t.is_fixed_size_binary(kind):
        return base64.b64decode
    if t.is_decimal(kind):
        return Decimal
    if t.is_list(kind) or t.is_large_list(kind) or t.is_fixed_size_list(kind):
        inner = _converter(kind.value_type)
        return None if inner is None else (lambda v: [None if x is None else inner(x) for x in v])
    if t.is_map(kind):
        key, item = _converter(kind.key_type), _converter(kind.item_type)
        return lambda v: [
            (k if key is None else key(k), x if item is None or x is None else item(x)) for k, x in v
        ]
    if t.is_struct(kind):
        fields = [(f.name, _converter(f.type)) for f in kind]
        if all(c is None for _, c in fields):
            return None
        return lambda v: {
            name: (v.get(name) if c is None or v.get(name) is None else c(v[name])) for name, c in fields
        }
    return None


def provenance_type() -> Any:
    import pyarrow as pa

    return pa.struct([("source", pa.string()), ("copy", pa.int64()), ("ops", pa.list_(pa.string()))])


def _as_read(kind: Any) -> Any:
    """``kind`` as Parquet gives it back: list items named ``element`` (pyarrow names them ``item``).

    A resumed run takes its schema from a finished shard; writing every shard with
    the names a reader sees keeps the resumed shards byte-identical.
    """
    import pyarrow as pa
    import pyarrow.types as t

    if t.is_list(kind) or t.is_large_list(kind):
        item = kind.value_field
        make = pa.list_ if t.is_list(kind) else pa.large_list
        return make(pa.field("element", _as_read(item.type), item.nullable))
    if t.is_struct(kind):
        return pa.struct([pa.field(f.name, _as_read(f.type), f.nullable) for f in kind])
    return kind


def _settled(schema: Any, key: str) -> tuple[Any, list[tuple[str, Convert]], set[str]]:
    """A run's schema, with how to convert each column that needs it."""
    import pyarrow as pa

    schema = pa.schema([pa.field(f.name, _as_read(f.type), f.nullable) for f in schema])
    converters = [(f.name, c) for f in schema if f.name != key and (c := _converter(f.type)) is not None]
    return schema, converters, set(schema.names)


def adopt(spec: OutputSpec, shard: Path) -> None:
    """Write the rest of an interrupted run with the schema of its first shard."""
    import pyarrow.parquet as pq

    spec.learned["schema"] = _settled(pq.read_schema(shard).remove_metadata(), spec.provenance_key)


class ParquetShard:
    """A Parquet shard written a row group at a time; published whole or not at all."""

    def __init__(self, temp: Path, final: Path, spec: OutputSpec) -> None:
        require("writing Parquet")
        self.temp, self.final = temp, final
        self._spec = spec
        self._file = HashingFile(temp, final)
        self._rows: list[dict[str, Any]] = []
        self._writer: Any = None

    def add(self, lines: list[bytes]) -> None:
        """Append one row per line; a row group goes out every 8,192 rows."""
        rows = self._rows
        for line in lines:
            rows.append(orjson.loads(line))
            # Groups end at fixed row counts, never where a call ended: the same rows give the same bytes.
            if len(rows) == _ROW_GROUP:
                self._flush()
                rows = self._rows

    def _schema(self) -> tuple[Any, list[tuple[str, Convert]], set[str]]:
        learned = self._spec.learned
        if "schema" not in learned:
            import pyarrow as pa

            key = self._spec.provenance_key
            if self._spec.schema is not None:
                base = [f for f in self._spec.schema if f.name != key]
            else:
                try:
                    inferred = pa.Table.from_pylist([{k: v for k, v in r.items() if k != key} for r in self._rows])
                except (pa.ArrowException, OverflowError) as exc:
                    raise OutputError(f"{self.final.name}: the records have no common Parquet schema ({exc}); "
                                      "write --output-format jsonl") from exc
                # A column null in every record so far may hold text later: text is the likelier type.
                base = [pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f for f in inferred.schema]
            # Schema metadata (a pandas index, datasets' features) describes other columns than these; left out.
            learned["schema"] = _settled(pa.schema([*base, pa.field(key, provenance_type())]), key)
        found: tuple[Any, list[tuple[str, Convert]], set[str]] = learned["schema"]
        return found

    def _flush(self) -> None:
        if not self._rows:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema, converters, names = self._schema()
        key = self._spec.provenance_key
        rows, self._rows = self._rows, []
        for row in rows:
            if not row.keys() <= names:
                extra = next(k for k in row if k not in names)
                raise OutputError(f"{self.final.name}: a record has the field {extra!r}, which is not in the "
                                  "Parquet schema taken from the input or the first records; write "
                                  "--output-format jsonl for records whose fields vary")
            for name, convert in converters:
                value = row.get(name)
                if value is not None:
                    row[name] = convert(value)
            provenance = row.get(key)
            if provenance is not None:
                row[key] = {
                    "source": orjson.dumps(provenance.get("source")).decode(),
                    "copy": provenance.get("copy"),
                    "ops": provenance.get("ops"),
                }
        try:
            table = pa.Table.from_pylist(rows, schema=schema)
            if self._writer is None:
                self._writer = pq.ParquetWriter(self._file, schema)
            self._writer.write_table(table, row_group_size=len(rows))
        except (pa.ArrowException, OverflowError, ValueError, TypeError) as exc:
            raise OutputError(f"{self.final.name}: a record does not fit the Parquet schema {schema} ({exc}); "
                              "write --output-format jsonl") from exc

    def publish(self) -> tuple[str, int]:
        """Write the last row group and the footer, sync and rename into place."""
        self._flush()
        if self._writer is None:  # no row at all: still a valid, empty file
            import pyarrow.parquet as pq

            schema = self._spec.learned["schema"][0] if "schema" in self._spec.learned else None
            if schema is None:
                import pyarrow as pa

                schema = pa.schema([pa.field(self._spec.provenance_key, provenance_type())])
            self._writer = pq.ParquetWriter(self._file, schema)
        self._writer.close()
        return self._file.publish()

    def discard(self) -> None:
        """Drop the file (failed or interrupted run)."""
        self._file.discard()

"""``augtool stats`` as a library call: read inputs through the one reader, return every figure."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from augtool.errors import InputError, UsageError
from augtool.fields import Selector
from augtool.records import OnError, ReadCounts, read_records


def _source_key(source: Any) -> str:
    """A provenance source as a lookup key; an id-less record's input is matched by its file name."""
    if isinstance(source, dict) and set(source) == {"input", "line"}:
        source = {"input": str(source["input"]).rsplit("/", 1)[-1], "line": source["line"]}
    return orjson.dumps(source).decode()


def dataset_stats(
    inputs: str | Path | Sequence[str | Path],
    *,
    fields: str | Sequence[str] = ("text",),
    field_filter: Sequence[str] = (),
    label_field: str | None = None,
    against: str | Path | None = None,
    id_field: str = "id",
    provenance_key: str = "_aug",
    on_error: OnError = "skip",
    input_format: str | None = None,
) -> dict[str, Any]:
    """Every figure ``augtool stats --json`` prints: labels, lengths, vocabulary, distinct-n, duplicates;
    with ``against``, augmented copies compared with their sources.

    A record's text is the texts its ``fields`` select, a line each.  A record where
    a path does not fit is counted as rejected, as is (with ``on_error="skip"``) a
    line that is not a JSON object.  Raises InputError when no line is a JSON object
    and UsageError when no record has the fields asked for. ``input_format`` names the
    inputs' format (--input-format); ``against`` is always known by its suffix.
    """
    from augtool.stats import AgainstStats, DatasetStats

    paths = [str(inputs)] if isinstance(inputs, str | Path) else [str(p) for p in inputs]
    fields = [fields] if isinstance(fields, str) else list(fields)
    pick = Selector(tuple(fields), tuple(field_filter))
    result = DatasetStats(text_field=",".join(fields), label_field=label_field, provenance_key=provenance_key)
    compare: AgainstStats | None = None
    if against is not None:
        compare = AgainstStats()
        name = Path(against).name
        for item in read_records([str(against)], on_error="skip"):
            text = pick.text(item.record)
            if text is not None:
                source_id = item.record.get(id_field)
                where = {"input": name, "line": item.line}
                compare.sources[_source_key(where if source_id is None else source_id)] = text
    counts = ReadCounts()
    for item in read_records(paths, on_error=on_error, on_reject=lambda *_: result.reject(), counts=counts,
                             input_format=input_format):
        text = pick.text(item.record)
        if text is None:
            result.reject()
            continue
        result.add(item.record, text)
        provenance = item.record.get(provenance_key)
        if compare is not None and isinstance(provenance, dict):
            compare.add(_source_key(provenance.get("source")), text, list(provenance.get("ops", [])))
    _check_fields(result, counts.records, fields, label_field, paths)
    report: dict[str, Any] = result.to_json()
    if compare is not None:
        report["against"] = {"source": str(against), **compare.to_json()}
    return report


def _check_fields(result: Any, objects: int, fields: Sequence[str], label_field: str | None,
                  inputs: Sequence[str]) -> None:
    """Figures of nothing are an error: no JSON object at all, or none with the fields asked for."""
    if result.rejected and not objects:
        raise InputError(", ".join(inputs), 0, f"none of the {result.rejected:,} non-blank lines is a JSON object")
    if objects and not result.records:
        shown = " and ".join(repr(f) for f in fields)
        raise UsageError(f"no record has a string field {shown} (read {objects:,} JSON "
                         f"object{'s' if objects > 1 else ''}); check the field paths")
    if label_field is not None and result.records and result.missing_label == result.records:
        raise UsageError(f"no record has a field {label_field!r} (read {result.records:,} "
                         f"record{'s' if result.records > 1 else ''}); check the label field")

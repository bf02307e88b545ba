"""``augtool stats``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from augtool.cli import _err, _guard, app
from augtool.errors import InputError, UsageError


def expand_inputs(inputs: list[str]) -> list[str]:
    """Files as given; a directory stands for its shards (part-*.jsonl[.gz]) in name order."""
    out: list[str] = []
    for item in inputs:
        path = Path(item)
        if item != "-" and path.is_dir():
            shards = sorted(str(p) for p in path.glob("part-*.jsonl*") if not p.name.endswith(".tmp"))
            if not shards:
                raise InputError(item, 0, "directory holds no part-*.jsonl shards")
            out += shards
        else:
            out.append(item)
    return out


def iter_records(inputs: list[str], on_bad: Any) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(file, line, record) for every JSON object line; ``on_bad(file, line, reason)`` for the rest.

    A file that cannot be read (missing, damaged compression, zstd not installed)
    raises InputError: figures over part of the data would look like the whole.
    """
    import orjson

    from augtool.io import iter_lines

    for path in expand_inputs(inputs):
        name = "<stdin>" if path == "-" else path
        for number, raw in iter_lines(path):
            try:
                record = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                on_bad(name, number, f"invalid JSON: {exc}")
                continue
            if not isinstance(record, dict):
                on_bad(name, number, "not a JSON object")
                continue
            yield name, number, record


def _source_key(source: Any) -> str:
    """A provenance source as a lookup key; an id-less record's input is matched by its file name."""
    import orjson

    if isinstance(source, dict) and set(source) == {"input", "line"}:
        source = {"input": str(source["input"]).rsplit("/", 1)[-1], "line": source["line"]}
    return orjson.dumps(source).decode()


@app.command()
@_guard
def stats(
    inputs: Annotated[list[str], typer.Argument(help="JSONL files, shard directories, .gz, or -.", show_default=False)],
    label_field: Annotated[str | None, typer.Option(help="Label field (dotted path allowed).")] = None,
    text_field: Annotated[str, typer.Option(help="Text field.")] = "text",
    against: Annotated[
        Path | None, typer.Option(help="Source JSONL: compare augmented records (with provenance) to it.")
    ] = None,
    id_field: Annotated[str, typer.Option(help="Id field of the --against source records.")] = "id",
    provenance_key: Annotated[str, typer.Option(help="Provenance key of augmented records.")] = "_aug",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document with every figure.")] = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write a self-contained HTML report with charts to this file.")
    ] = None,
) -> None:
    """Dataset statistics: labels, lengths, vocabulary, distinct-n, duplicates; augmented vs source.

    Lines that are not JSON objects, or lack a string text, are counted as rejected, never fatal.

    Examples:

      augtool stats train.jsonl --label-field label

      augtool stats out/ --against train.jsonl --json > report.json

      zcat big.jsonl.gz | augtool stats - --label-field meta.label

      augtool stats out/ --label-field label --against train.jsonl --html report.html
    """
    import orjson

    from augtool.stats import AgainstStats, DatasetStats, get_path

    result = DatasetStats(text_field=text_field, label_field=label_field, provenance_key=provenance_key)
    compare: AgainstStats | None = None
    if against is not None:
        compare = AgainstStats()
        for _, number, record in iter_records([str(against)], lambda *a: None):
            text = get_path(record, text_field)
            if isinstance(text, str):
                source_id = record.get(id_field)
                where = {"input": against.name, "line": number}
                compare.sources[_source_key(where if source_id is None else source_id)] = text

    def bad(name: str, number: int, reason: str) -> None:
        result.reject()

    objects = 0
    for _, _, record in iter_records(inputs, bad):
        objects += 1
        text = get_path(record, text_field)
        if not isinstance(text, str):
            result.reject()
            continue
        result.add(record, text)
        provenance = record.get(provenance_key)
        if compare is not None and isinstance(provenance, dict):
            compare.add(_source_key(provenance.get("source")), text, list(provenance.get("ops", [])))
    _check_fields(result, objects, text_field, label_field, inputs)
    report = result.to_json()
    if compare is not None:
        report["against"] = {"source": str(against), **compare.to_json()}
    if html is not None:
        if result.records == 0 and result.rejected == 0:
            raise UsageError("no records in the input")
        from augtool.report import stats_html

        write_report(html, stats_html(report, title="augtool stats: " + ", ".join(inputs)))
    if as_json:
        sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    if result.records == 0 and result.rejected == 0:
        raise UsageError("no records in the input")
    _print_tables(report)


def _check_fields(result: Any, objects: int, text_field: str, label_field: str | None, inputs: list[str]) -> None:
    """Figures of nothing are an error: no JSON object at all, or none with the fields asked for."""
    if result.rejected and not objects:
        raise InputError(", ".join(inputs), 0, f"none of the {result.rejected:,} non-blank lines is a JSON object")
    if objects and not result.records:
        raise UsageError(f"no record has a string field {text_field!r} (read {objects:,} JSON "
                         f"object{'s' if objects > 1 else ''}); check --text-field")
    if label_field is not None and result.records and result.missing_label == result.records:
        raise UsageError(f"no record has a field {label_field!r} (read {result.records:,} "
                         f"record{'s' if result.records > 1 else ''}); check --label-field")


def write_report(path: Path, page: str) -> None:
    """Write an HTML report atomically (temp file, then rename) and say where on stderr."""
    from augtool.files import write_atomic

    write_atomic(path, page.encode("utf-8"), what="report ")
    _err(f"augtool: report written to {path}")


_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(count: int, largest: int, width: int = 30) -> str:
    """A bar scaled to the largest count, in eighths of a cell; any count above 0 shows a sliver.

    >>> bar(8, 8, 4), bar(5, 8, 4), bar(1, 1000, 4), bar(0, 8, 4)
    ('████', '██▌', '▏', '')
    """
    if count <= 0 or largest <= 0:
        return ""
    eighths = max(1, round(count / largest * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + _EIGHTHS[part].strip()


def _print_tables(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    overview = Table(title="Dataset", show_header=False)
    overview.add_column("figure")
    overview.add_column("value", justify="right")
    estimated = " (estimated)" if report["distinct_estimated"] else ""
    for name, value in [
        ("records", f"{report['records']:,}"),
        ("augmented records (with provenance)", f"{report['augmented_records']:,}"),
        ("rejected lines", f"{report['rejected_lines']:,}"),
        ("vocabulary (lowercased words)" + estimated, f"{report['vocabulary']:,}"),
        ("distinct-1" + estimated, f"{report['distinct_1']:.4f}"),
        ("distinct-2" + estimated, f"{report['distinct_2']:.4f}"),
        ("exact duplicate rate", f"{report['exact_duplicate_rate']:.2%}"),
        ("case/space-normalised duplicate rate", f"{report['normalized_duplicate_rate']:.2%}"),
    ]:
        overview.add_row(name, value)
    console.print(overview)
    lengths = Table(title="Text length (p5 / p50 / p95 / max)")
    for column in ("", "words", "characters"):
        lengths.add_column(column, justify="right" if column else "left")

    def row(name: str, data: dict[str, Any]) -> None:
        w, c = data["words"], data["chars"]
        lengths.add_row(name, f"{w['p5']} / {w['p50']} / {w['p95']} / {w['max']}",
                        f"{c['p5']} / {c['p50']} / {c['p95']} / {c['max']}")

    row("all", report["lengths"])
    for label, data in report.get("labels", {}).items():
        row(f"label {label}", data["lengths"])
    console.print(lengths)
    if "labels" in report:
        labels = Table(title="Labels")
        labels.add_column("label")
        labels.add_column("count", justify="right")
        labels.add_column("share", justify="right")
        labels.add_column("")
        largest = max((data["count"] for data in report["labels"].values()), default=0)
        for label, data in report["labels"].items():
            labels.add_row(label, f"{data['count']:,}", f"{data['share']:.1%}", bar(data["count"], largest))
        if report["missing_label"]:
            labels.add_row("(missing)", f"{report['missing_label']:,}", "", "")
        console.print(labels)
    if "against" in report:
        against = report["against"]
        table = Table(title=f"Augmented vs source ({against['source']})", show_header=False)
        table.add_column("figure")
        table.add_column("value", justify="right")
        table.add_row("augmented records compared", f"{against['compared']:,}")
        table.add_row("without a source record", f"{against['without_source']:,}")
        table.add_row("identical to source", f"{against['identical_to_source']:.2%}")
        table.add_row("mean word edit distance", f"{against['mean_word_edit_distance']:.2f}")
        table.add_row("protected tokens preserved", f"{against['protected_tokens_preserved']:.2%}")
        for op, rate in against["change_rate_by_op"].items():
            table.add_row(f"changed by {op}", f"{rate:.2%}")
        console.print(table)
        _print_audit(console, against["audit"])


def _print_audit(console: Any, audit: dict[str, Any]) -> None:
    """The checks of augtool.audit, which do not share the augmenters' tokenizer."""
    from rich.markup import escape
    from rich.table import Table

    from augtool.audit import FIGURES

    table = Table(title="Damage checks (independent of augtool's tokenizer)", show_header=False)
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("examples")
    examples = audit["examples"]
    for name, meaning in FIGURES.items():
        if name == "english_gained" and not audit["non_english_copies"]:
            continue
        table.add_row(meaning, f"{audit[name]:,}", escape(", ".join(examples.get(name, [])[:3])))
    table.add_row("share of copies with a new capitalised mid-sentence word", f"{audit['new_capitals_share']:.2%}", "")
    table.add_row("introduced words not in the English word list", f"{audit['nonwords']:,} of "
                  f"{audit['introduced_words']:,} ({audit['nonword_share']:.2%})",
                  escape(", ".join(examples.get("nonwords", [])[:3])))
    console.print(table)

"""``augtool stats``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from augtool.cli import _err, _guard, app
from augtool.cli import options as opt
from augtool.errors import UsageError


@app.command()
@_guard
def stats(
    inputs: Annotated[
        list[str], typer.Argument(help="JSONL files, shard directories, globs, .gz/.zst, or -.", show_default=False)
    ],
    label_field: Annotated[str | None, typer.Option(help="Label field (dotted path allowed).")] = None,
    field: Annotated[
        list[str],
        typer.Option("--field", "-f", help="Text field [default: text]; repeat for several (a record's texts count "
                     "as one, a line each). Paths: meta.body, messages[*].content."),
    ] = [],  # noqa: B006 - typer needs a list default
    field_filter: Annotated[
        list[str], typer.Option(help="Only list items where KEY=VALUE (or KEY!=VALUE) holds; repeatable.")
    ] = [],  # noqa: B006
    text_field: Annotated[list[str], typer.Option(hidden=True, help="Old name of --field.")] = [],  # noqa: B006
    on_error: Annotated[
        str, typer.Option(help="skip: count lines that are not JSON objects as rejected. fail: stop at the first.")
    ] = "skip",
    against: Annotated[
        Path | None, typer.Option(help="Source JSONL: compare augmented records (with provenance) to it.")
    ] = None,
    id_field: Annotated[str, typer.Option(help="Id field of the --against source records.")] = "id",
    provenance_key: Annotated[str, typer.Option(help="Provenance key of augmented records.")] = "_aug",
    input_format: opt.InputFormat = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document with every figure.")] = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write a self-contained HTML report with charts to this file.")
    ] = None,
) -> None:
    """Dataset statistics: labels, lengths, vocabulary, distinct-n, duplicates; augmented vs source.

    Lines that are not JSON objects, or lack a string text, are counted as rejected (--on-error skip).

    Examples:

      augtool stats train.jsonl --label-field label

      augtool stats out/ --against train.jsonl --json > report.json

      zcat big.jsonl.gz | augtool stats - --label-field meta.label

      augtool stats chats.jsonl --field 'messages[*].content' --field-filter role=user

      augtool stats out/ --label-field label --against train.jsonl --html report.html
    """
    import orjson

    from augtool.dataset import dataset_stats
    from augtool.records import check_on_error

    report = dataset_stats(inputs, fields=[*text_field, *field] or ["text"], field_filter=field_filter,
                           label_field=label_field, against=against, id_field=id_field,
                           provenance_key=provenance_key, on_error=check_on_error(on_error),
                           input_format=input_format)
    empty = report["records"] == 0 and report["rejected_lines"] == 0
    if html is not None:
        if empty:
            raise UsageError("no records in the input")
        from augtool.report import stats_html

        write_report(html, stats_html(report, title="augtool stats: " + ", ".join(inputs)))
    if as_json:
        sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    if empty:
        raise UsageError("no records in the input")
    _print_tables(report)


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

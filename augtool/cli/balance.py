"""``augtool balance``."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Annotated, Any

import typer

from augtool.cli import _err, _guard, app
from augtool.cli import options as opt
from augtool.errors import UsageError


def _load_ratios(path: Path) -> dict[str, float]:
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        else:
            import orjson

            data = orjson.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read target file {path}: {exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(v, int | float) for v in data.values()):
        raise UsageError(f"{path}: expected a table of label = ratio of the largest class, e.g. pos = 1.0")
    return {str(k): float(v) for k, v in data.items()}


@app.command()
@_guard
@opt.with_meaning
def balance(
    inputs: Annotated[list[str], typer.Argument(help="JSONL files, shard directories or globs (read twice: no stdin).",
                                                show_default=False)],
    output: opt.Output,
    label_field: Annotated[str, typer.Option(help="Label field (dotted path allowed).")] = "label",
    target: Annotated[
        str,
        typer.Option(help="max, mean, a count, or a .json/.toml file of label = ratio of the largest class."),
    ] = "max",
    undersample: Annotated[bool, typer.Option(help="Also cut labels above the target down to it.")] = False,
    missing_label: Annotated[
        str, typer.Option(help="Records without a label: keep (written as they are) or reject.")
    ] = "keep",
    field: opt.Fields = ["text"],  # noqa: B006 - typer needs a list default
    field_filter: opt.FieldFilter = [],  # noqa: B006
    ops: opt.Ops = "sr,ri,rs,rd",
    alpha: Annotated[float, typer.Option("--alpha", "-a", help="Strength (EDA's alpha).")] = 0.1,
    op_alpha: opt.OpAlpha = [],  # noqa: B006
    chain: opt.Chain = False,
    seed: Annotated[int, typer.Option(envvar="AUGTOOL_SEED", help="Seed for augmentation and undersampling.")] = 0,
    id_field: opt.IdField = "id",
    provenance_key: Annotated[str, typer.Option(help="Key of the provenance object added to each copy.")] = "_aug",
    dedup: opt.Dedup = False,
    shard_size: opt.ShardSize = 100_000,
    on_error: opt.OnError = "fail",
    rejects: opt.Rejects = None,
    overwrite: opt.Overwrite = False,
    workers: opt.Workers = "1",
    compress: opt.Compress = "none",
    quiet: opt.Quiet = False,
    report: Annotated[
        Path | None, typer.Option(help="Also write a self-contained HTML report (label bars before/after).")
    ] = None,
    input_format: opt.InputFormat = None,
    output_format: opt.OutputFormat = None,
    limit: opt.Limit = None,
    dry_run: opt.DryRun = False,
    meaning: opt.Meaning = opt.Meaning(),  # noqa: B008 - the meaning options, from with_meaning
) -> None:
    """Balance labels: oversample smaller labels with augmented copies of their own records.

    Sources are used round-robin (each once before any twice); with --undersample,
    labels above the target keep a seeded random choice of exactly the target.
    The input is read twice (count, then write), so stdin is refused.
    Output, errors, workers and the meaning options work as in augment.
    The before/after table goes to stderr.

    Examples:

      augtool balance train.jsonl -o balanced/ --label-field label --target max

      augtool balance train.jsonl -o balanced/ --target 5000 --undersample

      augtool balance train.jsonl -o - --target ratios.toml --ops sr,rs

      augtool balance train.jsonl -o balanced/ --report balance.html --workers auto

      augtool balance train.csv -o balanced/ --output-format csv --dry-run
    """
    from augtool.cli import interrupts
    from augtool.inputs import STDIO
    from augtool.rebalance import BalanceSpec, balance_file
    from augtool.records import check_on_error

    if STDIO in inputs:
        raise UsageError("balance reads its input twice (count, then write): give files, not - (stdin)")
    spec = opt.spec_from(meaning, ops=ops, fields=field, field_filter=field_filter, op_alpha=op_alpha, alpha=alpha,
                         chain=chain, seed=seed, id_field=id_field, provenance_key=provenance_key, dedup=dedup)
    planned = BalanceSpec(spec.options, spec.lexicon, spec.stopwords, spec.synonyms, label_field=label_field)
    ratios = _load_ratios(Path(target)) if target.endswith((".json", ".toml")) else None
    if dry_run:
        _dry_run(inputs, output, planned, ratios if ratios is not None else target, undersample=undersample,
                 missing_label=missing_label, on_error=check_on_error(on_error), limit=limit, shard_size=shard_size,
                 compress=opt.compress_from(compress), input_format=input_format, output_format=output_format)
        return
    with interrupts():
        result = balance_file(
            inputs, output, planned, target=ratios if ratios is not None else target, undersample=undersample,
            missing_label=missing_label, on_error=check_on_error(on_error), shard_size=shard_size,
            overwrite=overwrite, rejects=rejects, progress=not quiet and sys.stderr.isatty(), warn=_err,
            workers=opt.workers_from(workers), compress=opt.compress_from(compress),
            input_format=input_format, output_format=output_format, limit=limit,
        )
    # One summary feeds both the stderr table and the HTML report, so they cannot disagree.
    _table(result.summary)
    _err(result.stats.summary("stdout" if output == STDIO else output))
    if report is not None:
        from augtool.cli.stats import write_report
        from augtool.report import balance_html

        options = [("target", target), ("undersample", "yes" if undersample else "no"),
                   ("operations", ",".join(spec.options.ops)), ("alpha", f"{alpha:g}"), ("seed", str(seed))]
        write_report(report, balance_html(result.summary, title="augtool balance: " + ", ".join(inputs),
                                          options=options))


def _dry_run(inputs: list[str], output: str, spec: Any, target: Any, *, undersample: bool, missing_label: str,
             on_error: Any, limit: int | None, shard_size: int, compress: str | None,
             input_format: str | None, output_format: str | None) -> None:
    """The labels, targets and copies balance would make, and where they would go; nothing is written."""
    from augtool import dryrun
    from augtool.inputs import expand_inputs
    from augtool.rebalance import plan_balance

    inputs = expand_inputs(inputs)
    plan, _, _ = plan_balance(inputs, spec, target=target, undersample=undersample, missing_label=missing_label,
                              on_error=on_error, limit=limit, input_format=input_format)
    labels = plan.manifest()["labels"]
    lines = dryrun.dry_run(inputs, output, spec, shard_size=shard_size, compress=compress,
                           input_format=input_format, output_format=output_format, limit=limit)
    for label, row in labels.items():
        change = row["target"] - row["before"]
        dropped = f"{-change:,} dropped" if change < 0 and undersample else "kept"
        what = f"{change:,} copies" if change > 0 else dropped
        lines.insert(-2, f"label {label}: {row['before']:,} -> {row['target']:,} ({what})")
    for line in lines:
        _err(f"augtool: {line}")


def _table(summary: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from augtool.report import short_note

    table = Table(title="Labels before and after balancing")
    for name in ("label", "before", "target", "after", "note"):
        table.add_column(name, justify="left" if name in ("label", "note") else "right")
    for row in summary["labels"]:
        table.add_row(row["label"], f"{row['before']:,}", f"{row['target']:,}", f"{row['after']:,}",
                      short_note(row["short"]))
    missing = summary["missing"]
    if missing["count"]:
        table.add_row("(no label)", f"{missing['count']:,}", "", f"{missing['after']:,}", missing["policy"])
    Console(stderr=True, highlight=False).print(table)

"""``augtool balance``."""

from __future__ import annotations

import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer

from augtool.cli import _err, _guard, app
from augtool.errors import InputError, UsageError


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
def balance(
    inputs: Annotated[list[str], typer.Argument(help="JSONL files (read twice: no stdin).", show_default=False)],
    output: Annotated[str, typer.Option("--output", "-o", help="Output directory for shards, or - for stdout.")],
    label_field: Annotated[str, typer.Option(help="Label field (dotted path allowed).")] = "label",
    target: Annotated[
        str,
        typer.Option(help="max, mean, a count, or a .json/.toml file of label = ratio of the largest class."),
    ] = "max",
    undersample: Annotated[bool, typer.Option(help="Also cut labels above the target down to it.")] = False,
    missing_label: Annotated[
        str, typer.Option(help="Records without a label: keep (written as they are) or reject.")
    ] = "keep",
    field: Annotated[list[str], typer.Option("--field", "-f", help="Text field to augment.")] = ["text"],  # noqa: B006
    ops: Annotated[str, typer.Option(help="Comma-separated operations.")] = "sr,ri,rs,rd",
    alpha: Annotated[float, typer.Option("--alpha", "-a", help="Strength (EDA's alpha).")] = 0.1,
    seed: Annotated[int, typer.Option(envvar="AUGTOOL_SEED", help="Seed for augmentation and undersampling.")] = 0,
    id_field: Annotated[str, typer.Option(help="Field holding the record id.")] = "id",
    dedup: Annotated[bool, typer.Option(help="Drop duplicate copies (see augment --dedup).")] = False,
    shard_size: Annotated[int, typer.Option(min=1, help="Most records per output shard.")] = 100_000,
    overwrite: Annotated[bool, typer.Option(help="Replace an earlier augtool output in OUTPUT.")] = False,
    report: Annotated[
        Path | None, typer.Option(help="Also write a self-contained HTML report (label bars before/after).")
    ] = None,
) -> None:
    """Balance labels: oversample smaller labels with augmented copies of their own records.

    Sources are used round-robin (each once before any twice); with --undersample,
    labels above the target keep a seeded random choice of exactly the target.
    The input is read twice (count, then write), so stdin is refused.
    The before/after table goes to stderr.

    Examples:

      augtool balance train.jsonl -o balanced/ --label-field label --target max

      augtool balance train.jsonl -o balanced/ --target 5000 --undersample

      augtool balance train.jsonl -o - --target ratios.toml --ops sr,rs

      augtool balance train.jsonl -o balanced/ --report balance.html
    """
    import orjson

    from augtool import default_resources
    from augtool import manifest as manifests
    from augtool.balance import LabelPlan, kept_positions, resolve_targets
    from augtool.inputs import STDIO, iter_lines
    from augtool.names import Layout
    from augtool.outdir import prepare_output_dir
    from augtool.pipeline import Options, Pipeline, RecordError, input_names
    from augtool.rejects import RejectWriter
    from augtool.stats import _MISSING, get_path, label_key
    from augtool.writers import ShardWriter, StreamWriter

    if STDIO in inputs:
        raise UsageError("balance reads its input twice (count, then write): give files, not - (stdin)")
    if missing_label not in ("keep", "reject"):
        raise UsageError(f"--missing-label takes keep or reject, not {missing_label!r}")
    ratios = _load_ratios(Path(target)) if target.endswith((".json", ".toml")) else None

    def label_of(raw: bytes, path: str, number: int) -> tuple[str | None, dict[str, Any]]:
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise InputError(path, number, f"invalid JSON: {exc}") from exc
        if not isinstance(record, dict):
            raise InputError(path, number, "expected a JSON object")
        value = get_path(record, label_field)
        return None if value is _MISSING or value is None else label_key(value), record

    resources = default_resources()
    base = Options(ops=tuple(o.strip() for o in ops.split(",") if o.strip()), alpha=alpha, seed=seed,
                   fields=tuple(field), id_field=id_field, dedup=dedup)
    pipelines: dict[int, Pipeline] = {base.n_aug: Pipeline(base, resources)}  # an unknown op fails here, not later

    def pipeline_for(copies: int) -> Pipeline:
        if copies not in pipelines:
            options = Options(**{**base.__dict__, "n_aug": copies})
            pipelines[copies] = Pipeline(options, resources)
        return pipelines[copies]

    # First pass: count labels, and note records that could not be augmented (only
    # those that get copies matter: the others are written as they are).
    counts: Counter[str] = Counter()
    unusable: dict[str, dict[int, InputError]] = {}
    for path in inputs:
        for number, raw in iter_lines(path):
            label, record = label_of(raw, path, number)
            if label is None:
                continue
            try:
                pipelines[base.n_aug].validate(record)
            except RecordError as exc:
                unusable.setdefault(label, {})[counts[label]] = InputError(path, number, str(exc))
            counts[label] += 1
    wanted = resolve_targets(counts, ratios if ratios is not None else target)
    plans = {label: LabelPlan(counts[label], wanted[label], undersample) for label in counts}
    keep = {
        label: kept_positions(label, plan.count, plan.kept, seed)
        for label, plan in plans.items()
        if plan.kept < plan.count
    }
    for label, bad in unusable.items():
        for j, error in bad.items():
            if plans[label].copies_for(j) and (label not in keep or j in keep[label]):
                raise error  # before the output is touched
    names = dict(zip(inputs, input_names(inputs)))

    layout = Layout()
    writer: Any
    if output == STDIO:
        writer = StreamWriter(sys.stdout.buffer)
        rejects = RejectWriter(None)
    else:
        directory = Path(output)
        prepare_output_dir(directory, overwrite=overwrite)
        writer = ShardWriter(directory, shard_size, layout)
        rejects = RejectWriter(directory / layout.rejects if missing_label == "reject" else None)
    after: Counter[str] = Counter()
    position: Counter[str] = Counter()
    missing = 0
    unchangeable: Counter[str] = Counter()
    try:
        for path in inputs:
            for number, raw in iter_lines(path):
                label, _ = label_of(raw, path, number)
                if label is None:
                    missing += 1
                    if missing_label == "reject":
                        rejects.write(path, number, f"no label in field {label_field!r}", raw)
                        if rejects.path is None:
                            _err(f"{path}:{number}: no label in field {label_field!r} (skipped)")
                    else:
                        writer.write_lines([raw])
                    continue
                j = position[label]
                position[label] += 1
                if label in keep and j not in keep[label]:
                    continue
                copies = plans[label].copies_for(j)
                if copies == 0:
                    writer.write_lines([raw])
                    after[label] += 1
                    continue
                try:
                    result = pipeline_for(copies).process_line(raw, number, names[path])
                except RecordError as exc:
                    raise InputError(path, number, str(exc)) from exc
                writer.write_lines(result.lines)
                after[label] += 1 + result.copies
                unchangeable[label] += copies - result.copies
        if isinstance(writer, ShardWriter):
            shards = writer.close()
        else:
            writer.flush()
    except BaseException:
        if isinstance(writer, ShardWriter):
            writer.abort()
        raise
    finally:
        rejects.close()
    if isinstance(writer, ShardWriter):
        manifests.write(writer.directory, manifests.build(
            command="balance",
            options={**base.to_json(), "label_field": label_field, "target": target,
                     "undersample": undersample, "missing_label": missing_label},
            labels={label: {"before": counts[label], "target": wanted[label], "after": after[label]}
                    for label in sorted(counts)},
            missing_label=missing,
            counts={"written": sum(s.records for s in shards)},
            rejects=rejects.info(writer.directory),
            shards=shards,
        ))
    from augtool.report import balance_summary

    # One summary feeds both the stderr table and the HTML report, so they cannot disagree.
    summary = balance_summary(counts, wanted, after, unchangeable, missing=missing, policy=missing_label)
    _table(summary)
    if report is not None:
        from augtool.cli.stats import write_report
        from augtool.report import balance_html

        options = [("target", target), ("undersample", "yes" if undersample else "no"),
                   ("operations", ",".join(base.ops)), ("alpha", f"{alpha:g}"), ("seed", str(seed))]
        write_report(report, balance_html(summary, title="augtool balance: " + ", ".join(inputs), options=options))


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

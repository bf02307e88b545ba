"""``augtool evaluate``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from augtool.cli import _err, _guard, app
from augtool.errors import InputError, UsageError

VARIANTS = {
    "none": None,
    "augtool": {},
    "eda-like": {"senses": "all", "inflect": False, "guards": False},
}


def _read(path: Path, text_field: str, label_field: str) -> list[tuple[str, str]]:
    import orjson

    from augtool.io import iter_lines
    from augtool.stats import _MISSING, get_path, label_key

    rows = []
    for number, raw in iter_lines(str(path)):
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise InputError(str(path), number, f"invalid JSON: {exc}") from exc
        text = get_path(record, text_field) if isinstance(record, dict) else _MISSING
        label = get_path(record, label_field) if isinstance(record, dict) else _MISSING
        if not isinstance(text, str) or not text.strip() or label is _MISSING or label is None:
            raise InputError(str(path), number, f"needs a string {text_field!r} and a {label_field!r}")
        rows.append((text, label_key(label)))
    return rows


@app.command()
@_guard
def evaluate(
    train: Annotated[Path, typer.Option(help="Labelled training JSONL.")],
    test: Annotated[Path, typer.Option(help="Labelled test JSONL.")],
    text_field: Annotated[str, typer.Option(help="Text field (dotted path allowed).")] = "text",
    label_field: Annotated[str, typer.Option(help="Label field (dotted path allowed).")] = "label",
    sizes: Annotated[str, typer.Option(help="Training-set sizes, comma-separated; 'all' for the whole set.")] = (
        "500,2000,all"
    ),
    seeds: Annotated[int, typer.Option(min=1, help="Subsamples (and augmentation seeds) per size.")] = 3,
    variants: Annotated[
        str, typer.Option(help="Comma-separated: none, augtool (defaults), eda-like (all senses, no guards).")
    ] = "none,augtool,eda-like",
    ops: Annotated[str, typer.Option(help="Operations for the augmented variants.")] = "sr,ri,rs,rd",
    n_aug: Annotated[
        int, typer.Option("--n-aug", help="Copies per record; 0 = EDA paper's setting for each size.")
    ] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document instead of tables.")] = False,
) -> None:
    """Does augmentation help? Test accuracy with and without it, and label fidelity.

    Trains TF-IDF + logistic regression on seeded, stratified subsamples of the
    training set, with and without augmented copies; prints test accuracy mean ± sd
    over seeds, and the accuracy of a classifier trained on all original data on
    augmented copies vs on the originals. Needs: pip install 'augtool[eval]'.

    Examples:

      augtool evaluate --train sst2.train.jsonl --test sst2.test.jsonl

      augtool evaluate --train t.jsonl --test v.jsonl --sizes 500 --seeds 5 --variants none,augtool --json
    """
    from augtool import default_resources
    from augtool.evaluate import evaluate as run
    from augtool.pipeline import Options, Pipeline

    try:
        size_list = [None if s.strip() == "all" else int(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise UsageError(f"--sizes takes numbers and 'all', comma-separated, not {sizes!r}") from None
    chosen: dict[str, Options | None] = {}
    for name in (v.strip() for v in variants.split(",") if v.strip()):
        if name not in VARIANTS:
            raise UsageError(f"unknown variant {name!r}; available: {', '.join(VARIANTS)}")
        extra: Any = VARIANTS[name]
        op_names = tuple(o.strip() for o in ops.split(",") if o.strip())
        chosen[name] = None if extra is None else Options(ops=op_names, n_aug=n_aug, **extra)
    resources = default_resources()
    report = run(
        _read(train, text_field, label_field),
        _read(test, text_field, label_field),
        chosen,
        sizes=size_list,
        seeds=seeds,
        make_pipeline=lambda options: Pipeline(options, resources),
        progress=lambda message: _err(f"augtool: {message}") if sys.stderr.isatty() else None,
    )
    data = report.to_json()
    if as_json:
        import orjson

        sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Test accuracy, mean ± sd over seeds")
    table.add_column("train size", justify="right")
    for name in chosen:
        table.add_column(name, justify="right")
    for size in report.sizes:
        cells = []
        for name in chosen:
            row = next(r for r in data["accuracy"] if r["size"] == size and r["variant"] == name)
            cells.append(f"{row['mean']:.4f} ± {row['sd']:.4f}")
        table.add_row(f"{size:,}", *cells)
    console = Console(highlight=False)
    console.print(table)
    fidelity = Table(title="Label fidelity: accuracy of a classifier trained on all original data")
    fidelity.add_column("scored on")
    fidelity.add_column("accuracy", justify="right")
    for name, value in data["label_fidelity"].items():
        fidelity.add_row("originals" if name == "originals" else f"copies ({name})", f"{value:.4f}")
    console.print(fidelity)

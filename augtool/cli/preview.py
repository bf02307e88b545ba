"""``augtool preview``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from random import Random
from typing import Annotated, Any

import typer

from augtool.cli import _guard, app
from augtool.errors import InputError, UsageError


@app.command()
@_guard
def preview(
    text: Annotated[str | None, typer.Argument(help="A text to augment (or use --from).", show_default=False)] = None,
    source: Annotated[Path | None, typer.Option("--from", help="Take texts from this JSONL file.")] = None,
    sample: Annotated[int, typer.Option(help="How many records to take with --from (seeded sample).")] = 3,
    field: Annotated[str, typer.Option(help="Text field of --from records.")] = "text",
    ops: Annotated[str, typer.Option(help="Comma-separated operations.")] = "sr,ri,rs,rd",
    n: Annotated[int, typer.Option("-n", "--n-aug", help="Variants per text.", min=1)] = 4,
    alpha: Annotated[float, typer.Option("--alpha", "-a", help="Strength (EDA's alpha).")] = 0.1,
    seed: Annotated[int, typer.Option(help="Seed; same seed, same variants.")] = 0,
    color: Annotated[
        bool | None, typer.Option("--color/--no-color", help="Colours (default: on a terminal, unless NO_COLOR).")
    ] = None,
) -> None:
    """Show variants of a text under the original: inserted words green, deleted red, replaced yellow.

    Without colour (--no-color, NO_COLOR set, or not a terminal) the marks are
    {+inserted+}, [-deleted-] and [~old=>new~].

    Examples:

      augtool preview "The quick brown fox jumps over the lazy dog." --ops sr,rd -n 5

      augtool preview --from train.jsonl --sample 5

      augtool preview "Great phone!" --no-color | less
    """
    from augtool import default_resources
    from augtool.diff import render_markup, render_plain, word_diff
    from augtool.io import iter_lines
    from augtool.pipeline import Options, Pipeline

    if (text is None) == (source is None):
        raise UsageError("give a TEXT or --from FILE (one of them)")
    if text is not None and not text.strip():
        raise UsageError("the TEXT to preview is empty")
    texts: list[str] = [text] if text is not None else _sample_texts(source, field, sample, seed, iter_lines)
    options = Options(ops=tuple(o.strip() for o in ops.split(",") if o.strip()), n_aug=n, alpha=alpha, seed=seed)
    pipeline = Pipeline(options, default_resources())
    if color is None:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    console: Any = None
    if color:
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
    for number, original in enumerate(texts):
        if number:
            print()
        records = list(pipeline.augment([{"id": number, "text": original}]))
        variants = [r for r in records if options.provenance_key in r]
        if console is not None:
            console.print(f"[bold]original:[/] {_escape(original)}")
        else:
            print(f"original: {original}")
        if not variants:
            print("  (no operation can change this text)")
        for record in variants:
            label = "+".join(record[options.provenance_key]["ops"])
            pieces = word_diff(original, record["text"])
            if console is not None:
                console.print(f"  [cyan]{label:>5}[/]: {render_markup(pieces)}")
            else:
                print(f"  {label:>5}: {render_plain(pieces)}")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _sample_texts(path: Path | None, field: str, size: int, seed: int, iter_lines: Any) -> list[str]:
    """A seeded reservoir sample of the file's texts, in file order; bad lines are skipped."""
    import orjson

    assert path is not None
    rng = Random(seed)
    reservoir: list[tuple[int, str]] = []
    seen = 0
    for number, raw in iter_lines(str(path)):
        try:
            value = orjson.loads(raw).get(field)
        except (orjson.JSONDecodeError, AttributeError):
            continue
        if not isinstance(value, str) or not value.strip():
            continue
        seen += 1
        if len(reservoir) < size:
            reservoir.append((number, value))
        else:
            slot = rng.randrange(seen)
            if slot < size:
                reservoir[slot] = (number, value)
    if not reservoir:
        raise InputError(str(path), 0, f"no record with a non-empty string field {field!r}")
    return [value for _, value in sorted(reservoir)]

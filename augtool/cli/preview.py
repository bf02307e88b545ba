"""``augtool preview``: the copies ``augment`` would write for a record and seed, marked against it."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from random import Random
from typing import Annotated, Any

import typer

from augtool.cli import _guard, app
from augtool.cli import options as opt
from augtool.errors import InputError, UsageError
from augtool.records import Item

# Operations that only replace, delete or move words: an extra word in their copy is a multi-word synonym.
_NO_INSERTS = frozenset({"sr", "rd", "rs"})


@app.command()
@_guard
@opt.with_meaning
def preview(
    text: Annotated[str | None, typer.Argument(help="A text to augment (or use --from).", show_default=False)] = None,
    source: Annotated[Path | None, typer.Option("--from", help="Take records from this JSONL file.")] = None,
    sample: Annotated[int, typer.Option(help="How many records to take with --from (seeded sample).")] = 3,
    field: opt.Fields = ["text"],  # noqa: B006 - typer needs a list default
    field_filter: opt.FieldFilter = [],  # noqa: B006
    ops: opt.Ops = "sr,ri,rs,rd",
    n: Annotated[int, typer.Option("-n", "--n-aug", help="Variants per text.", min=1)] = 4,
    alpha: Annotated[float, typer.Option("--alpha", "-a", help="Strength (EDA's alpha).")] = 0.1,
    op_alpha: opt.OpAlpha = [],  # noqa: B006
    chain: opt.Chain = False,
    seed: opt.Seed = 0,
    id_field: opt.IdField = "id",
    dedup: opt.Dedup = True,  # as augment: the copies it would write
    color: Annotated[
        bool | None, typer.Option("--color/--no-color", help="Colours (default: on a terminal, unless NO_COLOR).")
    ] = None,
    meaning: opt.Meaning = opt.Meaning(),  # noqa: B008 - the meaning options, from with_meaning
) -> None:
    """Show the copies augment would write, under the original: inserted words green, deleted red, replaced yellow.

    A TEXT is previewed as the record {"text": TEXT} read from stdin; --from FILE
    takes a seeded sample of its records, with the ids and line numbers augment
    would see, so the variants are exactly augment's copies for the same seed.
    Without colour (--no-color, NO_COLOR set, or not a terminal) the marks are
    {+inserted+}, [-deleted-] and [~old=>new~].

    Examples:

      augtool preview "The quick brown fox jumps over the lazy dog." --ops sr,rd -n 5

      augtool preview --from train.jsonl --sample 5

      augtool preview --from chats.jsonl --field 'messages[*].content' --field-filter role=user

      augtool preview "Great phone!" --no-color | less
    """
    import orjson

    from augtool.fields import Selector
    from augtool.pipeline import RecordError, input_names

    if (text is None) == (source is None):
        raise UsageError("give a TEXT or --from FILE (one of them)")
    if text is not None and not text.strip():
        raise UsageError("the TEXT to preview is empty")
    if text is not None:
        field, field_filter = ["text"], []
    spec = opt.spec_from(meaning, ops=ops, fields=field, field_filter=field_filter, op_alpha=op_alpha, n_aug=n,
                         alpha=alpha, chain=chain, seed=seed, id_field=id_field, dedup=dedup)
    pipeline = spec.build()
    pick = Selector(tuple(field), tuple(field_filter))
    if text is not None:
        items, name = [Item("<stdin>", 1, {"text": text}, orjson.dumps({"text": text}))], input_names(["-"])[0]
    else:
        assert source is not None
        items, name = _sample(str(source), pick, sample, seed), input_names([str(source)])[0]
    if color is None:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    console: Any = None
    if color:
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
    for number, item in enumerate(items):
        if number:
            print()
        try:
            result = pipeline.process_line(item.raw, item.line, name)
        except RecordError as exc:
            raise InputError(item.source, item.line, str(exc)) from exc
        _show(item, result.lines[len(result.lines) - result.copies:], pick, spec.options.provenance_key, console)


def _show(item: Item, copies: list[bytes], pick: Any, provenance_key: str, console: Any) -> None:
    """The record's texts, then each copy's texts marked against them."""
    import orjson

    from augtool.diff import render_markup, render_plain, word_diff

    originals = pick.texts(item.record) or []
    _print(console, "original", originals, plain=True)
    if not copies:
        print("  (no operation can change this text)")
    for raw in copies:
        copy = orjson.loads(raw)
        ops = copy[provenance_key]["ops"]
        inserts = not set(ops) <= _NO_INSERTS
        diffs = [word_diff(old, new, inserts=inserts) for old, new in zip(originals, pick.texts(copy) or [])]
        label = "+".join(ops)
        if console is not None:
            _print(console, f"  [cyan]{label:>5}[/]", [render_markup(d) for d in diffs], plain=False, width=len(label))
        else:
            _print(None, f"  {label:>5}", [render_plain(d) for d in diffs], plain=True)


def _print(console: Any, head: str, texts: list[str], *, plain: bool, width: int | None = None) -> None:
    """``head: text``, further texts of the record under the first."""
    indent = " " * (len(head) if width is None else max(width, 5) + 2)
    for n, body in enumerate(texts):
        if console is not None:
            from rich.markup import escape

            shown = escape(body) if plain else body
            console.print(f"{head if not n else indent}: {shown}" if not n else f"{indent}  {shown}")
        else:
            print(f"{head}: {body}" if not n else f"{indent}  {body}")


def _sample(path: str, pick: Any, size: int, seed: int) -> list[Item]:
    """A seeded reservoir sample of the file's records that have text, in file order; bad lines are skipped."""
    from augtool.records import read_records

    rng = Random(seed)
    reservoir: list[Item] = []
    seen = 0
    for item in read_records([path], on_error="skip"):
        texts = pick.texts(item.record)
        if not texts or not any(t.strip() for t in texts):
            continue
        seen += 1
        if len(reservoir) < size:
            reservoir.append(item)
        else:
            slot = rng.randrange(seen)
            if slot < size:
                reservoir[slot] = item
    if not reservoir:
        shown = " and ".join(repr(f) for f in pick.fields)
        raise InputError(path, 0, f"no record with a non-empty string field {shown}")
    return sorted(reservoir, key=lambda item: item.line)

"""``augtool evaluate``."""

from __future__ import annotations

import shlex
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from augtool.cli import _err, _guard, app
from augtool.errors import InputError, UsageError

if TYPE_CHECKING:
    from augtool.evaluate import Report, Step, Variant
    from augtool.pipeline import Options

# Flags a --variant may give, as in `augtool augment`: flag -> (Options field, parser or a fixed value).
_FLAGS: dict[str, tuple[str, Any]] = {
    "--ops": ("ops", lambda v: tuple(o.strip() for o in v.split(",") if o.strip())),
    "--alpha": ("alpha", float), "-a": ("alpha", float),
    "--n-aug": ("n_aug", int), "-n": ("n_aug", int),
    "--op-alpha": ("op_alpha", None),
    "--senses": ("senses", str),
    "--chain": ("chain", True), "--no-chain": ("chain", False),
    "--inflect": ("inflect", True), "--no-inflect": ("inflect", False),
    "--guards": ("guards", True), "--no-guards": ("guards", False),
    "--dedup": ("dedup", True), "--no-dedup": ("dedup", False),
    "--filter-by-label": ("filter_by_label", str),  # evaluate's own labels are used, whatever the field name
    "--filter-threshold": ("filter_threshold", float),
}


def _read(path: Path, fields: list[str], label_field: str) -> list[tuple[str, str]]:
    """(text, label) of every record, read through the one reader and the one path language."""
    from augtool.fields import Selector
    from augtool.records import read_records
    from augtool.stats import _MISSING, get_path, label_key

    pick = Selector(tuple(fields))
    rows = []
    for item in read_records([str(path)]):
        text = pick.text(item.record)
        label = get_path(item.record, label_field)
        if text is None or not text.strip() or label is _MISSING or label is None:
            raise InputError(item.source, item.line,
                             f"needs a string {' + '.join(map(repr, fields))} and a {label_field!r}")
        rows.append((text, label_key(label)))
    return rows


def parse_variant(spec: str, base: Options, table3: bool) -> Variant:
    """A ``NAME=[BUILTIN] FLAGS`` spec, e.g. ``small=--ops sr,ri --alpha 0.05`` or ``e=eda-like --n-aug 4``."""
    from augtool.cli.augment import _parse_op_alpha
    from augtool.evaluate import BUILTIN, Variant

    name, sep, rest = spec.partition("=")
    name = name.strip()
    if not sep or not name:
        raise UsageError(f"--variant takes NAME=FLAGS, e.g. 'small=--ops sr,ri --alpha 0.05', not {spec!r}")
    words = shlex.split(rest)
    changes: dict[str, Any] = {}
    if words and not words[0].startswith("-"):
        if words[0] not in BUILTIN:
            raise UsageError(f"--variant {name}: unknown base {words[0]!r}; available: {', '.join(BUILTIN)}")
        builtin = BUILTIN[words.pop(0)]
        changes = {k: getattr(builtin, k) for k in ("senses", "inflect", "guards")}
    op_alpha: list[str] = []
    while words:
        flag = words.pop(0)
        flag, _, inline = flag.partition("=")
        if flag not in _FLAGS:
            raise UsageError(f"--variant {name}: unknown flag {flag!r}; known: {', '.join(_FLAGS)}")
        key, parse = _FLAGS[flag]
        if isinstance(parse, bool):
            changes[key] = parse
            continue
        if not inline and not words:
            raise UsageError(f"--variant {name}: {flag} needs a value")
        value = inline or words.pop(0)
        if key == "op_alpha":
            op_alpha.append(value)
            continue
        try:
            changes[key] = parse(value)
        except ValueError:
            raise UsageError(f"--variant {name}: {flag} cannot take {value!r}") from None
    if op_alpha:
        changes["op_alpha"] = _parse_op_alpha(op_alpha)
    return Variant(name, replace(base, **changes), table3=table3 and "n_aug" not in changes)


def _progress(quiet: bool) -> Any:
    """A progress callback writing done/total, what finished and an ETA to stderr."""
    started = time.monotonic()
    tty = sys.stderr.isatty()

    def show(step: Step) -> None:
        if quiet:
            return
        elapsed = time.monotonic() - started
        eta = elapsed / step.done * (step.total - step.done)
        line = f"augtool: evaluate {step.done}/{step.total} fits, {step.label}, {elapsed:.0f} s, ETA {eta:.0f} s"
        if tty:
            sys.stderr.write("\r\x1b[K" + line + ("\n" if step.done == step.total else ""))
            sys.stderr.flush()
        else:
            _err(line)

    return show


@app.command()
@_guard
def evaluate(
    train: Annotated[Path, typer.Option(help="Labelled training JSONL.")],
    test: Annotated[Path, typer.Option(help="Labelled test JSONL.")],
    field: Annotated[
        list[str], typer.Option("--field", "-f", help="Text field path, as in augment (repeat: joined a line each).")
    ] = [],  # noqa: B006
    text_field: Annotated[list[str], typer.Option(hidden=True, help="Old name of --field.")] = [],  # noqa: B006
    label_field: Annotated[str, typer.Option(help="Label field (dotted path allowed).")] = "label",
    sizes: Annotated[str, typer.Option(help="Training-set sizes, comma-separated; 'all' for the whole set.")] = (
        "500,2000"
    ),
    seeds: Annotated[
        str, typer.Option(help="Subsamples (and augmentation seeds) per size; auto: 10 at N <= 1,000, else 5.")
    ] = "auto",
    seed: Annotated[int, typer.Option(help="First seed; seeds run SEED, SEED+1, ...")] = 0,
    variants: Annotated[
        str,
        typer.Option(help="Built-in variants, comma-separated: augtool (the defaults), eda-like (--senses all "
                     "--no-inflect --no-guards). none and duplicate always run."),
    ] = "augtool,eda-like",
    variant: Annotated[
        list[str],
        typer.Option(help="Extra variant NAME=FLAGS with augment's flags, e.g. 'small=--ops sr,ri --alpha 0.05' "
                     "or 'e4=eda-like --n-aug 4'; repeatable."),
    ] = [],  # noqa: B006 - typer needs a list default
    ops: Annotated[str, typer.Option(help="Operations for every augmented variant.")] = "sr,ri,rs,rd",
    alpha: Annotated[float, typer.Option("--alpha", "-a", help="Strength for every augmented variant.")] = 0.1,
    n_aug: Annotated[
        str, typer.Option("--n-aug", "-n", help="Copies per record; auto: the presets by size (16 at 500 and 2,000).")
    ] = "auto",
    fidelity_copies: Annotated[int, typer.Option(min=1, help="Copies of each test text for label fidelity.")] = 8,
    weights: Annotated[
        bool, typer.Option(help="Weight rows n_orig / n_rows so copies add no training budget (--no-weights: "
                           "every row 1, the bias the duplicate control then shows).")
    ] = True,
    record_weights: Annotated[
        bool, typer.Option(help="Each record's rows (it and its copies) share weight 1, so a record with more copies "
                           "does not outweigh one with fewer (--no-record-weights: every row n_orig / n_rows).")
    ] = True,
    against: Annotated[
        str, typer.Option(help="Show gains over this variant instead of none (setting A vs B); --json has every run.")
    ] = "none",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document with every run instead.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
) -> None:
    """Does augmentation help? Paired gains over no augmentation, a duplication control, label fidelity.

    Each size and seed draws one stratified subsample; TF-IDF + logistic
    regression is trained on it alone (none), with exact copies (duplicate, the
    control), and with each variant's copies, every row weighted n_orig / n_rows.
    Prints the gain over none in accuracy points: mean, 95 % t interval and seeds
    better/worse. Label fidelity: a classifier trained on the training originals
    scores augmented copies of the test texts. Needs: pip install 'augtool[eval]'.

    Examples:

      augtool evaluate --train sst2.train.jsonl --test sst2.test.jsonl

      augtool evaluate --train t.jsonl --test v.jsonl --sizes 500 --json > report.json

      augtool evaluate --train t.jsonl --test v.jsonl --variant 'a=--ops sr,ri' --variant 'b=-a 0.05' --against a

    Details: docs/evaluate.md.
    """
    from augtool import default_resources
    from augtool.evaluate import BUILTIN, Variant
    from augtool.evaluate import evaluate as run
    from augtool.pipeline import Options

    try:
        size_list = [None if s.strip() == "all" else int(s) for s in sizes.split(",") if s.strip()]
        n_seeds = None if seeds == "auto" else int(seeds)
        copies = None if n_aug == "auto" else int(n_aug)
    except ValueError:
        raise UsageError(f"--sizes, --seeds and --n-aug take numbers (or all / auto): {sizes!r}, {seeds!r}, "
                         f"{n_aug!r}") from None
    if any(s is not None and s < 2 for s in size_list) or not size_list or (n_seeds is not None and n_seeds < 1):
        raise UsageError("--sizes needs sizes of 2 or more, and --seeds 1 or more")
    base = Options(ops=tuple(o.strip() for o in ops.split(",") if o.strip()), alpha=alpha,
                   n_aug=4 if copies is None else copies)
    chosen: list[Variant] = []
    for name in (v.strip() for v in variants.split(",") if v.strip()):
        if name in ("none", "duplicate"):
            continue  # always run
        if name not in BUILTIN:
            raise UsageError(f"unknown variant {name!r}; available: {', '.join(BUILTIN)} (or --variant NAME=FLAGS)")
        policy = {k: getattr(BUILTIN[name], k) for k in ("senses", "inflect", "guards")}
        chosen.append(Variant(name, replace(base, **policy), table3=copies is None))
    chosen += [parse_variant(spec, base, copies is None) for spec in variant]
    if against not in ("none", "duplicate", *(v.name for v in chosen)):
        raise UsageError(f"--against names no variant of this run: {against!r}")
    fields = [*text_field, *field] or ["text"]
    train_rows, test_rows = _read(train, fields, label_field), _read(test, fields, label_field)
    report = run(train_rows, test_rows, chosen, sizes=size_list, seeds=n_seeds, seed=seed,
                 resources=default_resources(), fidelity_copies=fidelity_copies, weighted=weights,
                 record_weights=record_weights,
                 progress=_progress(quiet))
    if report.overlap:
        _err(f"augtool: warning: {report.overlap:,} of {report.test:,} test texts ({report.overlap / report.test:.1%})"
             " also occur in the training data (case and spacing ignored): test accuracy is inflated")
    few = [n for n in report.settings["sizes"] if n <= 1000 and report.settings["seeds"][str(n)] < 10]
    if few:
        _err(f"augtool: note: fewer than 10 seeds at N = {', '.join(map(str, few))}: the intervals are wide")
    if as_json:
        import orjson

        sys.stdout.write(orjson.dumps(report.to_json(), option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    _print(report, against)


def _print(report: Report, against: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from augtool.evaluate import Paired

    def ci(p: Paired, sign: str = "+") -> str:
        interval = "" if p.low is None or p.high is None else f" [{p.low:{sign}.2f}, {p.high:{sign}.2f}]"
        return f"{p.mean:{sign}.2f}{interval}"

    # A pipe or file gets 80 columns by default, which truncates the fidelity table.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
    table = Table(title=f"Gain over {against}, accuracy points: mean [95 % t interval] over seeds, paired")
    for column in ("N", "variant", "rows", "accuracy", "gain [95 %]", "seeds +/-"):
        table.add_column(column, justify="left" if column == "variant" else "right", no_wrap=True)
    gains = report.gains(against)
    names = [against, *(n for n in report.variants() if n != against)]
    for size in report.settings["sizes"]:
        for i, name in enumerate(names):
            runs = [r for r in report.runs if r.size == size and r.variant == name]
            accuracy = f"{sum(r.correct / r.tested for r in runs) / len(runs):.4f}"
            rows = f"{sum(r.rows for r in runs) / len(runs):,.0f}"
            p = gains.get((size, name))
            table.add_row(f"{size:,}" if i == 0 else "", name, rows, accuracy, ci(p) if p else "",
                          f"{p.better}/{p.worse}" if p else "", end_section=i == len(names) - 1)
    console.print(table)
    fidelity = Table(title=f"Label fidelity: test texts and {report.settings['fidelity_copies']} copies of each, "
                     "labelled by a classifier trained on the training originals")
    for column in ("variant", "originals", "copies", "drop [95 %]", "= source", "= sibling", "no copy"):
        fidelity.add_column(column, justify="left" if column == "variant" else "right", no_wrap=True)
    for f in report.fidelity:
        fidelity.add_row(f.variant, f"{f.originals:.4f}", f"{f.on_copies:.4f}", ci(f.drop, ""),
                         f"{f.same_as_source:.1%}", f"{f.same_as_sibling:.1%}", f"{f.no_copy:,}")
    console.print(fidelity)

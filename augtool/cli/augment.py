"""``augtool augment``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from augtool.cli import _err, _guard, app
from augtool.errors import UsageError


def _parse_op_alpha(values: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for value in values:
        name, sep, number = value.partition("=")
        try:
            out[name.strip()] = float(number)
        except ValueError:
            sep = ""
        if not sep:
            raise UsageError(f"--op-alpha takes NAME=ALPHA, e.g. sr=0.2, not {value!r}")
    return out


@app.command()
@_guard
def augment(
    inputs: Annotated[
        list[str], typer.Argument(help="JSONL files (plain, .gz or .zst), or - for stdin.", show_default=False)
    ],
    output: Annotated[
        str, typer.Option("--output", "-o", help="Output directory for shards, or - for stdout.")
    ],
    field: Annotated[
        list[str], typer.Option("--field", "-f", help="Text field to augment; repeat for several.")
    ] = ["text"],  # noqa: B006 - typer needs a list default
    ops: Annotated[
        str, typer.Option(help="Comma-separated operations, built-in or plugin (see 'augtool list').")
    ] = "sr,ri,rs,rd",
    n_aug: Annotated[
        int | None,
        typer.Option("--n-aug", "-n", min=0, help="Augmented copies per record [default: 4, or the preset's]."),
    ] = None,
    alpha: Annotated[
        float | None,
        typer.Option(
            "--alpha", "-a", help="Strength: share of words changed (EDA's alpha) [default: 0.1, or the preset's]."
        ),
    ] = None,
    op_alpha: Annotated[
        list[str], typer.Option("--op-alpha", help="Per-operation strength NAME=ALPHA, e.g. rd=0.2; repeatable.")
    ] = [],  # noqa: B006
    chain: Annotated[
        bool, typer.Option(help="Apply every operation to each copy, instead of one per copy.")
    ] = False,
    seed: Annotated[int, typer.Option(envvar="AUGTOOL_SEED", help="Seed; same seed, same bytes.")] = 0,
    id_field: Annotated[
        str, typer.Option(help="Field holding the record id (the line number is used when absent).")
    ] = "id",
    keep_original: Annotated[
        bool, typer.Option(help="Also write each source record unchanged, before its copies.")
    ] = True,
    provenance_key: Annotated[
        str, typer.Option(help="Key of the provenance object added to each copy.")
    ] = "_aug",
    shard_size: Annotated[
        int, typer.Option(min=1, help="Most records per output shard file.")
    ] = 100_000,
    on_error: Annotated[
        str,
        typer.Option(
            help="fail: stop at the first bad line (exit 3). skip: write it to the rejects file and go on."
        ),
    ] = "fail",
    rejects: Annotated[
        Path | None,
        typer.Option(help="Rejects file for --on-error skip (default: OUTPUT/rejects.jsonl; stderr for -o -)."),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option(help="Replace an earlier augtool output in a non-empty OUTPUT directory.")
    ] = False,
    lexicon: Annotated[
        Path | None, typer.Option(envvar="AUGTOOL_LEXICON", help="Lexicon file instead of the bundled one.")
    ] = None,
    stopwords: Annotated[
        Path | None, typer.Option(envvar="AUGTOOL_STOPWORDS", help="Stopword list instead of the bundled one.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    senses: Annotated[
        str,
        typer.Option(help="Synonyms from: first (most frequent sense), top (up to two tagged senses), "
                     "all (every sense and part of speech, as EDA)."),
    ] = "top",
    inflect: Annotated[
        bool, typer.Option(help="Inflect synonyms like the word they replace (jumps -> leaps).")
    ] = True,
    guards: Annotated[
        bool, typer.Option(help="Never delete, replace or move negations (not, never, n't...) or move their head.")
    ] = True,
    protect: Annotated[
        Path | None,
        typer.Option(help="File of terms no operation touches: one a line, 're:' for a regex, case-insensitive."),
    ] = None,
    synonyms: Annotated[
        Path | None,
        typer.Option(help="TSV of extra synonyms: word[/pos]<TAB>syn<TAB>...; '!word' replaces the lexicon's entry."),
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(help="EDA paper settings by data size: auto (counts input files), n500, n2000, n5000, large. "
                     "--alpha and --n-aug still win."),
    ] = None,
) -> None:
    """Augment JSONL records with EDA operations into shards or stdout.

    Examples:

      augtool augment data.jsonl -o out/ --n-aug 4 --alpha 0.1 --seed 7

      zcat data.jsonl.gz | augtool augment - -o - --field text | head

      augtool augment a.jsonl b.jsonl.gz -o out/ --shard-size 50000 --on-error skip

      augtool augment data.jsonl -o - --ops sr,rd --op-alpha rd=0.2 --chain

      augtool augment train.jsonl -o out/ --preset auto --protect terms.txt --synonyms domain.tsv

      augtool augment data.jsonl -o - --ops sr,ri,rs,rd,punct --senses all --no-inflect --no-guards
    """
    from augtool import io, runner
    from augtool.augmenters import Resources
    from augtool.pipeline import Options, Pipeline

    if on_error not in ("fail", "skip"):
        raise UsageError(f"--on-error takes fail or skip, not {on_error!r}")
    if inputs.count(io.STDIO) > 1:
        raise UsageError("stdin (-) can be read only once")
    preset_name = None
    if preset is not None:
        from augtool.presets import resolve

        counted = None if io.STDIO in inputs else sum(sum(1 for _ in io.iter_lines(path)) for path in inputs)
        preset_name, preset_alpha, preset_copies = resolve(preset, counted)
        # Explicit flags win over the preset, which wins over the defaults.
        alpha = preset_alpha if alpha is None else alpha
        n_aug = preset_copies if n_aug is None else n_aug
        _err(f"augtool: preset {preset_name}" + (f" ({counted:,} records)" if preset == "auto" else "")
             + f": alpha {alpha}, {n_aug} copies per record")
    options = Options(
        ops=tuple(name.strip() for name in ops.split(",") if name.strip()),
        n_aug=4 if n_aug is None else n_aug,
        alpha=0.1 if alpha is None else alpha,
        op_alpha=_parse_op_alpha(op_alpha),
        chain=chain,
        seed=seed,
        fields=tuple(field),
        id_field=id_field,
        keep_original=keep_original,
        provenance_key=provenance_key,
        senses=senses,
        inflect=inflect,
        guards=guards,
        protect=tuple(io.read_user_file(protect, "--protect").splitlines()) if protect else (),
        preset=preset_name,
    )
    lexicon_path = lexicon
    load = lambda: io.load_lexicon(lexicon_path)  # noqa: E731
    if synonyms is not None:
        from augtool.guards import parse_synonyms, with_synonyms

        table = parse_synonyms(io.read_user_file(synonyms, "--synonyms"))
        load = lambda: with_synonyms(io.load_lexicon(lexicon_path), table, str(synonyms))  # noqa: E731
    resources = Resources(
        stopwords=io.load_stopwords(stopwords),
        lexicon=load,
        morphology=io.load_morphology,
    )
    pipeline = Pipeline(options, resources)
    stats = runner.run(
        inputs,
        output,
        pipeline,
        shard_size=shard_size,
        on_error=on_error,  # type: ignore[arg-type]
        overwrite=overwrite,
        rejects=rejects,
        progress=not quiet and sys.stderr.isatty(),
        warn=_err,
    )
    _err(stats.summary("stdout" if output == io.STDIO else output))



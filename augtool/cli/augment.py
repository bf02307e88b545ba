"""``augtool augment``."""

from __future__ import annotations

import gc
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
        str,
        typer.Option(
            "--output", "-o",
            help="DIR (or DIR/) for shards and a manifest; FILE.jsonl or FILE.jsonl.gz for one file, "
                 "written whole or not at all; - for stdout.",
        ),
    ],
    field: Annotated[
        list[str],
        typer.Option(
            "--field", "-f", help="Text field to augment; repeat for several. Paths: meta.body, messages[*].content."
        ),
    ] = ["text"],  # noqa: B006 - typer needs a list default
    field_filter: Annotated[
        list[str],
        typer.Option(help="Only list items where KEY=VALUE (or KEY!=VALUE) holds, e.g. role=user; repeatable."),
    ] = [],  # noqa: B006
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
        str, typer.Option(help="Field holding the record id (input file name and line number are used when absent).")
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
        typer.Option(help="Rejects file for --on-error skip, which must not exist yet "
                     "(default: DIR/rejects.jsonl; stderr for -o - and -o FILE)."),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option(help="Replace an earlier augtool output: only files its manifest or resume record "
                           "lists are deleted.")
    ] = False,
    lexicon: Annotated[
        Path | None, typer.Option(envvar="AUGTOOL_LEXICON", help="Lexicon file instead of the bundled one.")
    ] = None,
    stopwords: Annotated[
        Path | None, typer.Option(envvar="AUGTOOL_STOPWORDS", help="Stopword list instead of the bundled one.")
    ] = None,
    dedup: Annotated[
        bool,
        typer.Option(help="Drop a copy equal (whitespace aside) to its source or an earlier copy, after 3 redraws."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    workers: Annotated[
        str, typer.Option("--workers", "-w", help="Worker processes: a number, or 0/auto for all usable cores.")
    ] = "1",
    resume: Annotated[
        bool, typer.Option(help="Continue an interrupted run in OUTPUT with the same options; redo nothing done.")
    ] = False,
    num_shards: Annotated[
        str | None,
        typer.Option(help="Split the job into K slices; auto: K and this task's slice from the SLURM job array.",
                     metavar="K|auto"),
    ] = None,
    shard_index: Annotated[
        int | None,
        typer.Option(help="Which slice this run does, 0..K-1 (with --num-shards auto: from SLURM).", min=0),
    ] = None,
    compress: Annotated[str, typer.Option(help="Shard compression: none or gzip.")] = "none",
    executor: Annotated[
        str, typer.Option(help="local (processes on this machine) or dask (pip install 'augtool[dask]').")
    ] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786 (default: a local cluster).")
    ] = None,
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
    lang: Annotated[
        str,
        typer.Option(help="Records that are not English: auto = only rs, rd and punct (no English synonyms); "
                     "en = passed through; any = every op, no check (a non-English --lexicon)."),
    ] = "auto",
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

      augtool augment big/*.jsonl.gz -o out/ --workers auto --compress gzip

      augtool augment big/*.jsonl.gz -o out/ --workers auto --resume

      augtool augment big/*.jsonl.gz -o out/ --num-shards auto --resume

      augtool augment data.jsonl -o augmented.jsonl.gz

      augtool augment big/*.jsonl.gz -o out/ --executor dask --scheduler tcp://host:8786

      augtool augment train.jsonl -o out/ --preset auto --protect terms.txt --synonyms domain.tsv

      augtool augment data.jsonl -o - --ops sr,ri,rs,rd,punct --senses all --no-inflect --no-guards
    """
    from augtool import io, runner
    from augtool.parallel import PipelineSpec
    from augtool.pipeline import Options
    from augtool.slicing import slice_from, usable_cpus

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
        field_filter=tuple(field_filter),
        id_field=id_field,
        keep_original=keep_original,
        provenance_key=provenance_key,
        dedup=dedup,
        senses=senses,
        inflect=inflect,
        guards=guards,
        protect=tuple(io.read_user_file(protect, "--protect").splitlines()) if protect else (),
        preset=preset_name,
        lang=lang,
    )
    if synonyms is not None:
        from augtool.guards import parse_synonyms

        parse_synonyms(io.read_user_file(synonyms, "--synonyms"))  # a bad line fails now, not in a worker
    if compress not in ("none", "gzip"):
        raise UsageError(f"--compress takes none or gzip, not {compress!r}")
    n_workers = usable_cpus() if workers in ("0", "auto") else _positive(workers, "--workers")
    spec = PipelineSpec(options, lexicon, stopwords, synonyms)
    kwargs = dict(
        shard_size=shard_size,
        on_error=on_error,
        overwrite=overwrite,
        rejects=rejects,
        progress=not quiet and sys.stderr.isatty(),
        warn=_err,
        resume=resume,
        compress=None if compress == "none" else compress,
    )
    if executor == "dask":
        from augtool.dask_executor import run_dask

        if shard_index is not None or num_shards == "auto":
            raise UsageError("--shard-index and --num-shards auto are for slices run by hand or by SLURM, "
                             "not with --executor dask")
        partitions = None if num_shards is None else _positive(num_shards, "--num-shards")
        stats = run_dask(inputs, output, spec, scheduler=scheduler, partitions=partitions, **kwargs)
    elif executor == "local":
        # A record's objects die young and make no cycles, while the modules and lexicon live
        # all run: collect rarely, and never walk what is loaded now (workers fork with this).
        gc.freeze()
        gc.set_threshold(50_000, 20, 100)
        count = num_shards if num_shards in (None, "auto") else _positive(num_shards, "--num-shards")
        part = slice_from(shard_index, count, note=_err)
        stats = runner.run(inputs, output, spec, workers=n_workers, part=part, **kwargs)  # type: ignore[arg-type]
    else:
        raise UsageError(f"--executor takes local or dask, not {executor!r}")
    _err(stats.summary("stdout" if output == io.STDIO else output))


def _positive(value: str, flag: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 1:
        extra = ", 0 or auto" if flag == "--workers" else (" or auto" if flag == "--num-shards" else "")
        raise UsageError(f"{flag} takes a positive number{extra}, not {value!r}")
    return number



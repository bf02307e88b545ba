"""``augtool augment``."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from augtool.cli import _err, _guard, app, interrupts
from augtool.cli import options as opt
from augtool.errors import UsageError

if TYPE_CHECKING:
    from augtool.parallel import PipelineSpec

_parse_op_alpha = opt.parse_op_alpha  # cli/evaluate.py imports it from here


@app.command()
@_guard
@opt.with_meaning
def augment(
    inputs: Annotated[
        list[str],
        typer.Argument(help="JSONL files (plain, .gz or .zst), CSV/TSV (.csv, .tsv, maybe .gz), Parquet "
                       "(.parquet), shard directories, globs, or - for stdin (JSONL).", show_default=False),
    ],
    output: opt.Output,
    field: opt.Fields = ["text"],  # noqa: B006 - typer needs a list default
    field_filter: opt.FieldFilter = [],  # noqa: B006
    ops: opt.Ops = "sr,ri,rs,rd",
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
    op_alpha: opt.OpAlpha = [],  # noqa: B006
    chain: opt.Chain = False,
    seed: opt.Seed = 0,
    id_field: opt.IdField = "id",
    keep_original: Annotated[
        bool, typer.Option(help="Also write each source record unchanged, before its copies.")
    ] = True,
    provenance_key: Annotated[
        str, typer.Option(help="Key of the provenance object added to each copy.")
    ] = "_aug",
    shard_size: opt.ShardSize = 100_000,
    on_error: opt.OnError = "fail",
    rejects: opt.Rejects = None,
    overwrite: opt.Overwrite = False,
    dedup: opt.Dedup = True,  # only new copies by default; --no-dedup: exactly --n-aug (docs/labels.md)
    quiet: opt.Quiet = False,
    workers: opt.Workers = "1",
    resume: Annotated[
        bool, typer.Option(help="Continue an interrupted run in OUTPUT with the same options; redo nothing done.")
    ] = False,
    num_slices: Annotated[
        str | None,
        typer.Option(help="Split the input into K slices, one run each; auto: K and this task's slice from the "
                     "SLURM job array.", metavar="K|auto"),
    ] = None,
    slice_index: Annotated[
        int | None,
        typer.Option(help="Which slice this run does, 0..K-1 (with --num-slices auto: from SLURM).", min=0),
    ] = None,
    num_shards: Annotated[str | None, typer.Option(hidden=True, help="Old name of --num-slices.")] = None,
    shard_index: Annotated[int | None, typer.Option(hidden=True, min=0, help="Old name of --slice-index.")] = None,
    compress: opt.Compress = "none",
    input_format: opt.InputFormat = None,
    output_format: opt.OutputFormat = None,
    limit: opt.Limit = None,
    dry_run: opt.DryRun = False,
    executor: Annotated[
        str, typer.Option(help="local (processes on this machine) or dask (pip install 'augtool[dask]').")
    ] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786 (default: a local cluster).")
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(help="EDA paper settings by data size: auto (counts input files), n500, n2000, n5000, large. "
                     "--alpha and --n-aug still win."),
    ] = None,
    filter_by_label: Annotated[
        str | None,
        typer.Option(help="Label field: drop copies a classifier trained on the input's originals reads as another "
                     "label (reads the input twice; needs pip install 'augtool[eval]'; docs/labels.md).",
                     metavar="FIELD"),
    ] = None,
    filter_threshold: Annotated[
        float, typer.Option(help="--filter-by-label drops a copy when another label's probability is above this.")
    ] = 0.8,
    meaning: opt.Meaning = opt.Meaning(),  # noqa: B008 - the meaning options, from with_meaning
) -> None:
    """Augment JSONL records with EDA operations into shards or stdout.

    Examples:

      augtool augment data.jsonl -o out/ --n-aug 4 --alpha 0.1 --seed 7

      zcat data.jsonl.gz | augtool augment - -o - --field text | head

      augtool augment a.jsonl b.jsonl.gz -o out/ --shard-size 50000 --on-error skip

      augtool augment data.jsonl -o - --ops sr,rd --op-alpha rd=0.2 --chain

      augtool augment big/*.jsonl.gz -o out/ --workers auto --compress gzip

      augtool augment big/*.jsonl.gz -o out/ --workers auto --resume

      augtool augment big/*.jsonl.gz -o out/ --num-slices auto --resume

      augtool augment data.jsonl -o augmented.jsonl.gz

      augtool augment train.csv -o out/ --field sentence --output-format csv

      augtool augment train.parquet -o out/ --output-format parquet

      augtool augment big.jsonl -o out/ --dry-run

      augtool augment big.jsonl -o - --limit 20 | less

      augtool augment big/*.jsonl.gz -o out/ --executor dask --scheduler tcp://host:8786

      augtool augment train.jsonl -o out/ --preset auto --protect terms.txt --synonyms domain.tsv

      augtool augment data.jsonl -o - --ops sr,ri,rs,rd,punct --senses all --no-inflect --no-guards
    """
    from augtool import dryrun, runner
    from augtool.cli.environment import slice_from
    from augtool.inputs import STDIO, expand_inputs, iter_lines
    from augtool.records import check_on_error

    check_on_error(on_error)
    inputs = expand_inputs(inputs)  # shard directories and globs, as every command reads them
    if inputs.count(STDIO) > 1:
        raise UsageError("stdin (-) can be read only once")
    preset_name = None
    if preset is not None:
        from augtool.presets import resolve

        counted = None if STDIO in inputs else sum(
            sum(1 for _ in iter_lines(path, input_format)) for path in inputs
        )
        preset_name, preset_alpha, preset_copies = resolve(preset, counted)
        # Explicit flags win over the preset, which wins over the defaults.
        alpha = preset_alpha if alpha is None else alpha
        n_aug = preset_copies if n_aug is None else n_aug
        _err(f"augtool: preset {preset_name}" + (f" ({counted:,} records)" if preset == "auto" else "")
             + f": alpha {alpha}, {n_aug} copies per record")
    spec = opt.spec_from(
        meaning,
        ops=ops,
        n_aug=4 if n_aug is None else n_aug,
        alpha=0.1 if alpha is None else alpha,
        op_alpha=op_alpha,
        chain=chain,
        seed=seed,
        fields=field,
        field_filter=field_filter,
        id_field=id_field,
        keep_original=keep_original,
        provenance_key=provenance_key,
        dedup=dedup,
        preset=preset_name,
        filter_by_label=filter_by_label,
        filter_threshold=filter_threshold,
    )
    if filter_by_label is not None:
        spec = _with_label_filter(spec, inputs)
    n_workers = opt.workers_from(workers)
    # Input slices were once called shards, like the output files; the old flags still work.
    num_slices = opt.alias(num_slices, num_shards, "--num-slices", "--num-shards")
    slice_index = opt.alias(slice_index, shard_index, "--slice-index", "--shard-index")
    kwargs: dict[str, Any] = dict(
        shard_size=shard_size,
        on_error=on_error,
        overwrite=overwrite,
        rejects=rejects,
        progress=not quiet and sys.stderr.isatty(),
        warn=_err,
        resume=resume,
        compress=opt.compress_from(compress),
        input_format=input_format,
        output_format=output_format,
        limit=limit,
    )
    if dry_run:
        if executor == "dask" and output == STDIO:
            raise UsageError("--executor dask writes a directory, not stdout")
        count = num_slices if num_slices in (None, "auto") else opt.positive(num_slices, "--num-slices")
        part = slice_from(slice_index, count, note=_err) if executor == "local" else None
        for line in dryrun.dry_run(inputs, output, spec, shard_size=shard_size, compress=kwargs["compress"],
                                   input_format=input_format, output_format=output_format, limit=limit,
                                   copies_per_record=spec.options.n_aug, **({"part": part} if part else {})):
            _err(f"augtool: {line}")
        return
    if executor == "dask":
        from augtool.dask_executor import run_dask

        if slice_index is not None or num_slices == "auto":
            raise UsageError("--slice-index and --num-slices auto are for slices run by hand or by SLURM, "
                             "not with --executor dask")
        partitions = None if num_slices is None else opt.positive(num_slices, "--num-slices")
        stats = run_dask(inputs, output, spec, scheduler=scheduler, partitions=partitions, **kwargs)
    elif executor == "local":
        # A record's objects die young and make no cycles, while the modules and lexicon live
        # all run: collect rarely, and never walk what is loaded now (workers fork with this).
        gc.freeze()
        gc.set_threshold(50_000, 20, 100)
        count = num_slices if num_slices in (None, "auto") else opt.positive(num_slices, "--num-slices")
        part = slice_from(slice_index, count, note=_err)
        with interrupts():
            stats = runner.run(inputs, output, spec, workers=n_workers, part=part, **kwargs)
    else:
        raise UsageError(f"--executor takes local or dask, not {executor!r}")
    _err(stats.summary("stdout" if output == STDIO else output))


def _with_label_filter(spec: PipelineSpec, inputs: list[str]) -> PipelineSpec:
    """A first pass over the inputs: train --filter-by-label's judge on every original that has a label."""
    from dataclasses import replace

    import orjson

    from augtool.inputs import STDIO, iter_lines
    from augtool.labelfilter import FOLDS, LabelFilter, originals
    from augtool.pipeline import RecordError
    from augtool.stats import _MISSING, get_path

    options = spec.options
    if STDIO in inputs:
        raise UsageError("--filter-by-label reads the input twice (once to train on the originals), "
                         "so it needs files, not stdin (-)")
    reader = replace(spec, options=replace(options, filter_by_label=None)).build()

    def labelled() -> Iterator[tuple[list[str], Any]]:
        for path in inputs:
            for _, raw in iter_lines(path):
                try:
                    record = orjson.loads(raw)
                    texts = reader.texts(record) if isinstance(record, dict) else None
                except (orjson.JSONDecodeError, RecordError):
                    continue  # the augmenting pass reports it
                if texts is not None:
                    label = get_path(record, options.filter_by_label or "")
                    yield texts, None if label is _MISSING else label

    texts, labels = originals(labelled())
    judge = LabelFilter.fit(texts, labels, threshold=options.filter_threshold)
    _err(f"augtool: label filter: {FOLDS} cross-fitted models on {len(texts):,} labelled originals; "
         f"a copy read as another label with probability above {options.filter_threshold} is dropped")
    return replace(spec, options=replace(options, label_filter=judge))

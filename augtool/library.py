"""The library entry points: augment records or files, stats, balance; the same bytes and counts as the CLI.

>>> from augtool import augment_records
>>> [r["text"] for r in augment_records([{"id": 1, "text": "keep calm and carry on"}], ops="rd", n_aug=1, seed=3)]
['keep calm and carry on', 'keep and carry on']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from augtool.augmenters import Resources
from augtool.dataset import dataset_stats as stats
from augtool.driver import OnError
from augtool.parallel import PipelineSpec
from augtool.pipeline import STDIN_NAME, Options, Pipeline
from augtool.rebalance import BalanceResult, BalanceSpec, balance_file
from augtool.runstats import RunStats
from augtool.slicing import Slice

__all__ = ["augment_file", "augment_records", "balance", "stats"]

Inputs = str | Path | Sequence[str | Path]


def _inputs(inputs: Inputs) -> list[str]:
    return [str(inputs)] if isinstance(inputs, str | Path) else [str(p) for p in inputs]


def _options(ops: str | Sequence[str] | None, protect: str | Path | Sequence[str] | None, **options: Any) -> Options:
    """Options from keywords: ``ops`` as "sr,rd" or a sequence, ``protect`` as a file or its lines."""
    if ops is not None:
        options["ops"] = tuple(o.strip() for o in (ops.split(",") if isinstance(ops, str) else ops) if o.strip())
    if isinstance(protect, str | Path):
        from augtool.io import read_user_file

        options["protect"] = tuple(read_user_file(Path(protect), "protect").splitlines())
    elif protect is not None:
        options["protect"] = tuple(protect)
    for key in ("fields", "field_filter"):
        if isinstance(options.get(key), str):
            options[key] = (options[key],)
        elif key in options:
            options[key] = tuple(options[key])
    return Options(**options)


def _spec(lexicon: str | Path | None, stopwords: str | Path | None, synonyms: str | Path | None,
          ops: str | Sequence[str] | None, protect: str | Path | Sequence[str] | None,
          **options: Any) -> PipelineSpec:
    def path(value: str | Path | None) -> Path | None:
        return None if value is None else Path(value)

    return PipelineSpec(_options(ops, protect, **options), path(lexicon), path(stopwords), path(synonyms))


def augment_records(
    records: Iterable[Mapping[str, Any]],
    *,
    input_name: str = STDIN_NAME,
    resources: Resources | None = None,
    lexicon: str | Path | None = None,
    stopwords: str | Path | None = None,
    synonyms: str | Path | None = None,
    ops: str | Sequence[str] | None = None,
    protect: str | Path | Sequence[str] | None = None,
    **options: Any,
) -> Iterator[dict[str, Any]]:
    """Each record (unless ``keep_original=False``) followed by its copies: the records ``augtool augment`` writes.

    ``options`` are those of augtool.Options (``n_aug``, ``alpha``, ``seed``, ``fields``...).
    A record without an id is identified as line N of ``input_name``: the default
    "<stdin>" gives the copies of ``augtool augment - -o -`` reading the same
    records.  ``resources`` (a Resources) wins over the lexicon, stopwords and
    synonyms files, which default to the bundled ones.
    """
    spec = _spec(lexicon, stopwords, synonyms, ops, protect, **options)
    pipeline = Pipeline(spec.options, resources) if resources is not None else spec.build()
    return pipeline.augment(records, input_name=input_name)


def augment_file(
    inputs: Inputs,
    output: str | Path,
    *,
    shard_size: int = 100_000,
    on_error: OnError = "fail",
    overwrite: bool = False,
    rejects: str | Path | None = None,
    workers: int = 1,
    resume: bool = False,
    compress: str | None = None,
    part: Slice = Slice(),  # noqa: B008 - frozen dataclass
    lexicon: str | Path | None = None,
    stopwords: str | Path | None = None,
    synonyms: str | Path | None = None,
    ops: str | Sequence[str] | None = None,
    protect: str | Path | Sequence[str] | None = None,
    input_format: str | None = None,
    output_format: str | None = None,
    limit: int | None = None,
    **options: Any,
) -> RunStats:
    """Augment files (or "-") into ``output``: a directory of shards with a manifest, one file, or "-".

    CSV, TSV and Parquet are read by their extension or ``input_format``, and written with
    ``output_format`` (or a single output file's extension); see docs/formats.md.
    Returns the counts ``augtool augment`` prints (``.summary(output)`` is its line).
    """
    from augtool import runner

    spec = _spec(lexicon, stopwords, synonyms, ops, protect, **options)
    return runner.run(_inputs(inputs), str(output), spec, shard_size=shard_size, on_error=on_error,
                      overwrite=overwrite, rejects=None if rejects is None else Path(rejects), workers=workers,
                      part=part, resume=resume, compress=compress, input_format=input_format,
                      output_format=output_format, limit=limit)


def balance(
    inputs: Inputs,
    output: str | Path,
    *,
    label_field: str = "label",
    target: str | int | Mapping[str, float] = "max",
    undersample: bool = False,
    missing_label: str = "keep",
    **options: Any,
) -> BalanceResult:
    """Oversample (and with ``undersample`` cut) labels to ``target``, as ``augtool balance`` does.

    ``options`` are augment_file's: output (``shard_size``, ``compress``, ``overwrite``,
    ``rejects``), ``on_error``, ``workers``, resources and the pipeline's options.
    """
    run = {key: options.pop(key) for key in _RUN_OPTIONS if key in options}
    resources = {key: options.pop(key, None) for key in ("lexicon", "stopwords", "synonyms", "ops", "protect")}
    options.setdefault("dedup", False)  # as `augtool balance`: exact counts unless asked (augment drops repeats)
    spec = _spec(**resources, **options)
    planned = BalanceSpec(spec.options, spec.lexicon, spec.stopwords, spec.synonyms, label_field=label_field)
    if run.get("rejects") is not None:
        run["rejects"] = Path(run["rejects"])
    return balance_file(_inputs(inputs), output, planned, target=str(target) if isinstance(target, int) else target,
                        undersample=undersample, missing_label=missing_label, **run)


_RUN_OPTIONS = ("on_error", "shard_size", "overwrite", "rejects", "workers", "compress", "input_format")

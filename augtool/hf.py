"""Hugging Face ``datasets``: a batched function for ``Dataset.map`` that gives the CLI's records.

>>> from augtool import Options
>>> fn = augmenter(Options(ops=("rs",), n_aug=1, seed=1))
>>> out = fn({"id": [7], "text": ["red green blue"]})
>>> out["text"], out["_aug"]  # the CLI gives the same for {"id":7,"text":"red green blue"}
(['red green blue', 'blue green red'], [None, {'source': '7', 'copy': 1, 'ops': ['rs']}])

Each row goes through exactly what the CLI runs on a JSONL line
(``Pipeline.process_line``), so with the same options and seed the rows are the
CLI's records. A row without an id is identified as the CLI identifies line N of
a file: ``{"input": input_name, "line": N}`` with N = row index + 1, so pass
``with_indices=True`` to ``map`` and the file name the CLI would have read
(``input_name="train.jsonl"``).

The provenance column holds what ``--output-format parquet`` writes: a struct
``{source, copy, ops}``, null on originals, ``source`` being the id as JSON
text (its type differs between records, which a column cannot hold).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from augtool.errors import InputError, UsageError
from augtool.parallel import PipelineSpec
from augtool.pipeline import DEFAULT_INPUT, Options, Pipeline, RecordError

__all__ = ["Augmenter", "augmenter"]


class Augmenter:
    """The function ``augmenter`` returns; it pickles as its options alone, so ``num_proc`` and caching work."""

    def __init__(self, spec: PipelineSpec, input_name: str) -> None:
        self.spec = spec
        self.input_name = input_name
        self._pipeline: Pipeline | None = None

    def __getstate__(self) -> dict[str, Any]:
        # The lexicon stays out: datasets hashes and pickles this object, and each process reloads it.
        return {"spec": self.spec, "input_name": self.input_name}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["spec"], state["input_name"])  # type: ignore[misc]

    def __call__(self, batch: dict[str, list[Any]], indices: Sequence[int] | None = None) -> dict[str, list[Any]]:
        """Each row of ``batch`` (columns of equal length) followed by its copies, as columns."""
        from augtool.formats.parquet import _default

        if self._pipeline is None:
            self._pipeline = self.spec.build()
        pipeline, options = self._pipeline, self.spec.options
        names = list(batch)
        key = options.provenance_key
        if key in names:
            raise UsageError(f"the dataset already has a {key!r} column; choose another Options(provenance_key=...)")
        size = len(batch[names[0]]) if names else 0
        out: dict[str, list[Any]] = {name: [] for name in [*names, key]}
        for row in range(size):
            record = {name: batch[name][row] for name in names}
            if indices is None and record.get(options.id_field) is None:
                raise UsageError(f"a row has no {options.id_field!r}: call Dataset.map(..., with_indices=True) "
                                 "so it is identified by its row, as the CLI identifies a line")
            number = (indices[row] if indices is not None else row) + 1
            raw = orjson.dumps(record, default=_default, option=orjson.OPT_NON_STR_KEYS)
            try:
                result = pipeline.process_line(raw, number, self.input_name)
            except RecordError as exc:
                raise InputError(self.input_name, number, str(exc)) from None
            for line in result.lines:
                copy = orjson.loads(line)
                for name in names:
                    out[name].append(copy.get(name))
                provenance = copy.get(key)
                out[key].append(None if provenance is None else {
                    "source": orjson.dumps(provenance["source"]).decode(),
                    "copy": provenance["copy"],
                    "ops": provenance["ops"],
                })
        return out


def augmenter(
    options: Options | None = None,
    *,
    input_name: str = DEFAULT_INPUT,
    lexicon: Path | None = None,
    stopwords: Path | None = None,
    synonyms: Path | None = None,
) -> Augmenter:
    """A function for ``dataset.map(fn, batched=True, with_indices=True, remove_columns=dataset.column_names)``.

    ``remove_columns`` is needed because the function returns more rows than it
    was given (the originals, then their copies); the columns come back, with
    the provenance column added.
    """
    spec = PipelineSpec(options or Options(), lexicon, stopwords, synonyms)
    spec.build()  # a bad option, plugin or resource fails here, not inside map
    return Augmenter(spec, input_name)

"""``balance`` on the augment path: count labels, decide per record, then run the driver with that plan.

The first pass reads every input (so stdin is refused) and checks, before any output
exists, that the records that will get copies can be augmented.  The second pass is
the driver's: the same outputs, error policy, workers, compression and manifest as
``augment``, with each record's decision (copies, kept as it is, left out, rejected)
carried in its batch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson

from augtool.balance import LabelPlan, kept_positions, resolve_targets
from augtool.driver import OnError, Plan
from augtool.errors import InputError, OptionError, UsageError
from augtool.inputs import STDIO, expand_inputs, iter_lines
from augtool.parallel import Outcome, PipelineSpec, Skip, outcome
from augtool.pipeline import Pipeline, RecordError
from augtool.records import ReadCounts, read_records
from augtool.resume import Position
from augtool.runstats import RunStats
from augtool.slicing import Slice

# A line's decision, besides a number of copies (0: written as it is).
DROP, NO_LABEL, UNREAD = -1, -2, -3


@dataclass(frozen=True)
class BalanceSpec(PipelineSpec):
    """A PipelineSpec whose pipeline takes a number of copies per line (picklable, for workers)."""

    label_field: str = "label"

    def build(self) -> PlannedPipeline:  # type: ignore[override]
        """The per-record pipeline over the plain one."""
        return PlannedPipeline(super().build(), self.label_field)


class PlannedPipeline:
    """Process batches of (line, raw, decision): copies per record, by a pipeline per number of copies."""

    def __init__(self, base: Pipeline, label_field: str) -> None:
        self.base = base
        self.options, self.resources, self.ops = base.options, base.resources, base.ops
        self._label_field = label_field
        self._by_copies = {base.options.n_aug: base}

    def _for(self, copies: int) -> Pipeline:
        if copies not in self._by_copies:
            self._by_copies[copies] = Pipeline(replace(self.options, n_aug=copies), self.base.resources)
        return self._by_copies[copies]

    def process_batch(self, batch: list[tuple[int, bytes, int]], input_name: str) -> list[Outcome]:
        """What each line becomes under its decision."""
        out = []
        for number, raw, decision in batch:
            if decision == DROP:
                out.append(Outcome(number, [], 0, False, None, 0, False))
            elif decision == NO_LABEL:
                out.append(Outcome(number, [raw], 0, False, Skip(f"no label in field {self._label_field!r}"), 0, False))
            elif decision == 0:
                out.append(Outcome(number, [raw], 0, True, None, 0, False))
            else:  # UNREAD: the pipeline says why the line is not a record
                out.append(outcome(self._for(max(decision, 0)).process_line, raw, number, input_name))
        return out


@dataclass
class BalanceResult:
    """What ``balance`` did: the run's counts, and the figures per label (augtool.report.balance_summary)."""

    stats: RunStats
    summary: dict[str, Any]
    targets: dict[str, int] = field(default_factory=dict)


def label_of(record: Mapping[str, Any], path: str) -> str | None:
    """The record's label as counted (None when missing or null)."""
    from augtool.stats import _MISSING, get_path, label_key

    value = get_path(record, path)
    return None if value is _MISSING or value is None else label_key(value)


def plan_balance(
    inputs: list[str],
    spec: BalanceSpec,
    *,
    target: str | Mapping[str, float] = "max",
    undersample: bool = False,
    missing_label: str = "keep",
    on_error: OnError = "fail",
    observe_summary: Callable[[dict[str, Any]], None] | None = None,
    limit: int | None = None,
    input_format: str | None = None,
) -> tuple[Plan, Callable[[], dict[str, Any]], dict[str, int]]:
    """First pass: the labels, targets and per-record plan; ValueError-free: bad input raises InputError.

    With ``limit`` both passes read only the first ``limit`` lines of the inputs, taken together.
    """
    if STDIO in inputs:
        raise UsageError("balance reads its input twice (count, then write): give files, not - (stdin)")
    if missing_label not in ("keep", "reject"):
        raise OptionError("missing_label", f"takes keep or reject, not {missing_label!r}")
    base = spec.build().base  # an unknown op fails here, before anything is read
    seed = spec.options.seed
    counts: Counter[str] = Counter()
    unusable: dict[str, dict[int, InputError]] = {}
    read_counts = ReadCounts()
    for item in read_records(inputs, on_error=on_error, counts=read_counts, input_format=input_format):
        if limit is not None and read_counts.records + read_counts.rejected > limit:
            break
        label = label_of(item.record, spec.label_field)
        if label is None:
            continue
        try:
            base.validate(item.record)
        except RecordError as exc:
            unusable.setdefault(label, {})[counts[label]] = InputError(item.source, item.line, str(exc))
        counts[label] += 1
    wanted = resolve_targets(counts, target)
    plans = {label: LabelPlan(counts[label], wanted[label], undersample) for label in counts}
    keep = {label: kept_positions(label, p.count, p.kept, seed) for label, p in plans.items() if p.kept < p.count}
    if on_error == "fail":
        for label, bad in unusable.items():
            for j, error in bad.items():
                if plans[label].copies_for(j) and (label not in keep or j in keep[label]):
                    raise error  # before the output is touched
    after: Counter[str] = Counter()
    short: Counter[str] = Counter()
    missing = Counter[str]()
    pending: dict[tuple[int, int], tuple[str, int]] = {}

    def read(paths: list[str], part: Slice, start: Position) -> Iterator[tuple[int, list[tuple[int, bytes, int]]]]:
        position: Counter[str] = Counter()
        seen = 0
        for number, path in enumerate(paths):
            batch: list[tuple[int, bytes, int]] = []
            for line, raw in iter_lines(path, input_format):
                seen += 1
                if limit is not None and seen > limit:
                    break
                try:
                    record = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    record = None
                if not isinstance(record, dict):
                    decision = UNREAD
                elif (label := label_of(record, spec.label_field)) is None:
                    missing["count"] += 1
                    decision = NO_LABEL if missing_label == "reject" else 0
                else:
                    j = position[label]
                    position[label] += 1
                    dropped = label in keep and j not in keep[label]
                    decision = DROP if dropped else plans[label].copies_for(j)
                    if not dropped:
                        pending[(number, line)] = (label, decision)
                batch.append((line, raw, decision))
                if len(batch) >= 2000:
                    yield number, batch
                    batch = []
            if batch:
                yield number, batch

    def observe(number: int, outcome: Outcome) -> None:
        entry = pending.pop((number, outcome.line), None)
        if entry is not None and outcome.reason is None:
            label, asked = entry
            after[label] += len(outcome.lines)
            short[label] += asked - outcome.copies

    def summary() -> dict[str, Any]:
        from augtool.report import balance_summary

        return balance_summary(counts, wanted, after, short, missing=missing["count"], policy=missing_label)

    def manifest() -> dict[str, Any]:
        return {
            "command": "balance",
            "labels": {label: {"before": counts[label], "target": wanted[label], "after": after[label]}
                       for label in sorted(counts)},
            "missing_label": missing["count"],
            "balance": {"label_field": spec.label_field, "target": target if isinstance(target, str) else dict(target),
                        "undersample": undersample, "missing_label": missing_label},
        }

    return Plan(read, observe, manifest, rejects=missing_label == "reject"), summary, wanted


def balance_file(
    inputs: list[str],
    output: str | Path,
    spec: BalanceSpec,
    *,
    target: str | Mapping[str, float] = "max",
    undersample: bool = False,
    missing_label: str = "keep",
    on_error: OnError = "fail",
    **run_options: Any,
) -> BalanceResult:
    """Balance the labels of ``inputs`` into ``output`` (a directory, one file, or "-"): see ``augtool balance``."""
    from augtool import runner

    inputs = expand_inputs(inputs)
    plan, summary, wanted = plan_balance(inputs, spec, target=target, undersample=undersample,
                                         missing_label=missing_label, on_error=on_error,
                                         limit=run_options.get("limit"), input_format=run_options.get("input_format"))
    stats = runner.run(inputs, str(output), spec, on_error=on_error, plan=plan, **run_options)
    return BalanceResult(stats, summary(), wanted)

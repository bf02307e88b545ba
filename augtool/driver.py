"""The driver: input lines → pipeline (in this process or in workers) → a writer, with one error policy.

It owns the position of the record being written (for the resume record) and the
counts; what to do on success or failure (publish, keep shards, delete) is the
caller's ``finish`` and ``fail``.  It installs no signal handlers: the CLI does,
and its ``Interrupted`` (or a KeyboardInterrupt) counts as an interruption.
"""

from __future__ import annotations

import sys
import time
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from augtool.errors import InputError, Interrupted, WorkerLost
from augtool.inputs import iter_runs
from augtool.parallel import Batch, BatchRunner, Outcome, Packed, PipelineSpec, Skip
from augtool.pipeline import Pipeline, input_names
from augtool.rejects import RejectWriter
from augtool.resume import Position, ResumeRecord
from augtool.runstats import RunStats
from augtool.slicing import Slice
from augtool.writers import LineWriter

OnError = Literal["fail", "skip"]
_BATCH = 2000
Reader = Callable[[list[str], Slice, Position], Iterator[tuple[int, Any]]]


@dataclass(frozen=True)
class Plan:
    """A command's own decision per record on the driver's path (balance): its reader, and what it learns back.

    ``read`` yields (input index, batch) like ``read_batches``, with items the
    pipeline's ``process_batch`` understands; ``observe(input index, outcome)``
    sees every outcome in input order; ``manifest()`` gives the command's own
    manifest fields; with ``rejects`` a rejects file is kept whatever ``on_error`` says.
    """

    read: Reader
    observe: Callable[[int, Outcome], None]
    manifest: Callable[[], dict[str, Any]]
    rejects: bool = False


@dataclass(frozen=True)
class Job:
    """What to read and how to process it."""

    inputs: list[str]
    spec: PipelineSpec
    pipeline: Pipeline
    part: Slice = Slice()  # noqa: RUF009 - frozen dataclass
    on_error: OnError = "fail"
    workers: int = 1
    progress: bool = False
    warn: Callable[[str], None] = lambda message: None
    plan: Plan | None = None
    input_format: str | None = None  # --input-format: every input is read as this format
    limit: int | None = None  # --limit: only the first N records of the inputs (taken together)


def read_batches(
    inputs: list[str], part: Slice, start: Position, input_format: str | None = None, limit: int | None = None
) -> Iterator[tuple[int, Batch | InputError]]:
    """Batches of (line, raw) of this slice, per input, from ``start``; a file's read error comes in its place.

    With ``limit``, reading stops after the first ``limit`` records of all inputs (before slicing).
    Records come in runs (augtool.inputs.iter_runs): those of other slices, and those
    before ``start``, are counted, never looked at one by one.
    """
    index = 0  # position across all inputs of the run's first record, for slicing and --limit
    size = 1  # small batches first, so the first record is out quickly; then full ones
    for number, path in enumerate(inputs):
        if limit is not None and index >= limit:
            return
        batch: Batch = []
        try:
            for numbers, lines in iter_runs(path, input_format):
                n = len(lines) if limit is None else min(len(lines), limit - index)
                skip = 0  # records of this run before the resume position
                if number < start.input:
                    skip = n
                elif number == start.input and start.line > 1:
                    skip = bisect_left(numbers, start.line, 0, n)
                for a, b in part.owned(index + skip, index + n):
                    batch += zip(numbers[a - index : b - index], lines[a - index : b - index])
                index += n
                while len(batch) >= size:
                    yield number, batch[:size]
                    batch = batch[size:]
                    size = min(2 * size, _BATCH)
                if limit is not None and index >= limit:
                    break
        except InputError as exc:
            if batch:
                yield number, batch
            yield number, exc
            continue
        if batch:
            yield number, batch


def execute(
    job: Job,
    writer: LineWriter,
    rejects: RejectWriter,
    stats: RunStats,
    *,
    finish: Callable[[], None],
    fail: Callable[[bool], str],
    start: Position = Position(),  # noqa: B008 - a plain value
    record: ResumeRecord | None = None,
) -> RunStats:
    """Run the records through the pipeline into ``writer``; ``finish`` on success, ``fail`` otherwise.

    ``fail(interrupted)`` cleans up and returns what the user should know, which an
    ``Interrupted`` carries to the CLI as its hint.
    """
    started = time.perf_counter()
    stats.workers = job.workers
    bar = _progress_bar(job.progress, job.workers)
    runner = BatchRunner(job.spec, job.pipeline, job.workers, input_names(job.inputs))
    try:
        runner.start()
        _drive(job, start, runner, writer, rejects, stats, bar, record)
        runner.close()
        stats.seconds = time.perf_counter() - started
        finish()
    except BaseException as exc:
        runner.close(abort=True)
        # A lost worker says nothing against the records done so far: kept, as after a signal.
        hint = fail(isinstance(exc, Interrupted | KeyboardInterrupt | WorkerLost))
        if isinstance(exc, Interrupted | WorkerLost):
            exc.hint = hint
        raise
    finally:
        bar.close()
    return stats


class _NoBar:
    """Stands in for tqdm when no bar is shown: importing tqdm costs 50 ms of start-up."""

    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(show: bool, workers: int = 1) -> Any:
    if not show:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(unit=" rec", file=sys.stderr, dynamic_ncols=True, desc=f"{workers} workers" if workers > 1 else None)


def _drive(
    job: Job,
    start: Position,
    runner: BatchRunner,
    writer: LineWriter,
    rejects: RejectWriter,
    stats: RunStats,
    bar: Any,
    record: ResumeRecord | None,
) -> None:
    write = writer.write_lines
    # Writers of JSON lines take a worker's block whole; a plugin's writer may not have the method.
    write_block = getattr(writer, "write_block", None)
    skip_at = (start.input, start.line) if start.skip else None
    if job.plan is None:
        batches = read_batches(job.inputs, job.part, start, job.input_format, job.limit)
    else:
        batches = job.plan.read(job.inputs, job.part, start)
    observe = None if job.plan is None else job.plan.observe
    for number, outcomes in runner.map(batches):
        entry = stats.inputs[number]
        name = entry.path
        if isinstance(outcomes, InputError):
            # A damaged compressed file or a read error: what it holds is unknown, so
            # no mode may go on as if the records decoded so far were all of it.
            raise outcomes
        if isinstance(outcomes, Packed):
            if skip_at is None and observe is None and write_block and write_block(outcomes.block, outcomes.lines):
                # The common case: no rejects, no shard filled, no resume split; the counts in one go.
                # (The resume record's position matters only when a shard is published.)
                copies, unchanged, dropped, foreign, duplicates, flipped = outcomes.totals()
                records = outcomes.records
                if record is not None:
                    record.at = (number, outcomes.last)
                stats.count_output(outcomes.lines, copies, unchanged, dropped, foreign, duplicates, flipped)
                entry.records += records
                stats.read += records
                bar.update(records)
                continue
            outcomes = outcomes.unpack()
        for outcome in outcomes:
            line, lines, copies, unchanged, reason, dropped, foreign, duplicates, flipped = outcome
            if record is not None:
                record.at = (number, line)
            if reason is not None:
                if job.on_error == "fail" and not isinstance(reason, Skip):
                    raise InputError(name, line, reason)
                entry.rejected += 1
                stats.rejected += 1
                rejects.write(name, line, reason, lines[0])
                if rejects.path is None:
                    job.warn(f"{name}:{line}: {reason} (skipped)")
            else:
                if skip_at == (number, line):
                    write(lines[start.skip :])  # the rest of a record split across shards
                    skip_at = None
                else:
                    write(lines)
                stats.count_output(len(lines), copies, unchanged, dropped, foreign, duplicates, flipped)
            entry.records += 1
            stats.read += 1
            if observe is not None:
                observe(number, outcome)
        bar.update(len(outcomes))

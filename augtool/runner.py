"""Drive a pipeline over input files into shards or a stream: the I/O side of ``augment``.

A directory run keeps a small resume record (``.progress.json``) beside its
shards, rewritten atomically after each shard is published: the shards so far,
the input position just after them, the counts, and a fingerprint of the
options and inputs.  ``--resume`` reads it back, skips what is done and writes
the remaining shards, which come out byte-identical to an uninterrupted run's
because shard boundaries depend only on the input and the options.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, Literal

import orjson

from augtool import __version__
from augtool.errors import InputError, OutputError, UsageError
from augtool.io import (
    STDIO,
    Layout,
    RejectWriter,
    ShardInfo,
    ShardWriter,
    StreamWriter,
    iter_lines,
    prepare_output_dir,
    write_atomic,
    write_manifest,
)
from augtool.parallel import Batch, BatchRunner, PipelineSpec
from augtool.pipeline import input_names
from augtool.slicing import BLOCK, Slice

OnError = Literal["fail", "skip"]
_BATCH = 2000
_PROGRESS_EVERY = 1024
PROGRESS_FORMAT = "augtool-progress/1"


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; finished shards stay, and the run can be resumed."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


@dataclass
class InputStats:
    """Counts for one input file."""

    path: str
    records: int = 0
    rejected: int = 0


@dataclass
class RunStats:
    """What a run did; ``read == originals_kept + rejected`` when originals are kept."""

    read: int = 0
    originals: int = 0
    copies: int = 0
    unchanged: int = 0
    rejected: int = 0
    seconds: float = 0.0
    inputs: list[InputStats] = field(default_factory=list)
    resumed: int = 0  # records done by an earlier, interrupted run
    dropped: int = 0  # copies dropped as duplicates (--dedup)

    @property
    def written(self) -> int:
        """Output records: originals plus augmented copies."""
        return self.originals + self.copies

    def summary(self, destination: str) -> str:
        """One line for stderr."""
        rate = (self.read - self.resumed) / self.seconds if self.seconds > 0 else 0.0
        resumed = f" ({self.resumed:,} of them by the interrupted run)" if self.resumed else ""
        return (
            f"augtool: read {self.read:,} records{resumed}; wrote {self.written:,} to {destination} "
            f"({self.originals:,} originals + {self.copies:,} copies); "
            f"{self.unchanged:,} passed through unchanged; {self.rejected:,} rejected; "
            + (f"{self.dropped:,} duplicate copies dropped; " if self.dropped else "")
            + f"{self.seconds:.2f} s, {rate:,.0f} records/s"
        )

    def counts(self) -> dict[str, int]:
        """The totals, as in the manifest."""
        return {
            "read": self.read,
            "originals": self.originals,
            "copies": self.copies,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "written": self.written,
            "dropped_duplicates": self.dropped,
        }


@dataclass
class _Position:
    """Where the next record to process is: input index, line number, output lines to skip."""

    input: int = 0
    line: int = 0
    skip: int = 0


def _display(path: str) -> str:
    return "<stdin>" if path == STDIO else path


def fingerprint(spec: PipelineSpec, inputs: list[str], shard_size: int, part: Slice, compress: str | None) -> str:
    """A hash of everything that decides the output bytes, to refuse a mismatched resume."""
    files = []
    for path in inputs:
        stat = os.stat(path) if path != STDIO else None
        files.append([path, stat.st_size if stat else None, stat.st_mtime_ns if stat else None])
    data = {
        "version": __version__,
        "options": spec.options.to_json(),
        "lexicon": str(spec.lexicon) if spec.lexicon else None,
        "stopwords": str(spec.stopwords) if spec.stopwords else None,
        "inputs": files,
        "shard_size": shard_size,
        "slice": [part.index, part.count, BLOCK],
        "compress": compress,
    }
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()


def run(
    inputs: list[str],
    output: str,
    spec: PipelineSpec,
    *,
    shard_size: int = 100_000,
    on_error: OnError = "fail",
    overwrite: bool = False,
    rejects: Path | None = None,
    progress: bool = False,
    warn: Callable[[str], None] = lambda message: None,
    workers: int = 1,
    part: Slice = Slice(),  # noqa: B008 - frozen dataclass
    resume: bool = False,
    compress: str | None = None,
) -> RunStats:
    """Augment every line of ``inputs`` into ``output`` (a directory, or "-" for stdout)."""
    pipeline = spec.build()
    layout = Layout(part.tag, compress)
    stats = RunStats(inputs=[InputStats(_display(path)) for path in inputs])
    start = _Position()
    directory: Path | None = None
    reject_offset: int | None = None
    writer: ShardWriter | StreamWriter
    if output == STDIO:
        if resume:
            raise UsageError("--resume needs an output directory, not -o -")
        writer = StreamWriter(sys.stdout.buffer)
        reject_path = rejects
    else:
        directory = Path(output)
        reject_path = rejects or directory / layout.rejects
        writer = ShardWriter(directory, shard_size, layout)
        print_ = fingerprint(spec, inputs, shard_size, part, compress)
        if resume and (directory / layout.progress).exists():
            start, reject_offset = _restore(directory, layout, print_, writer, stats)
        elif resume and (directory / layout.manifest).exists():
            raise OutputError(f"{directory} already holds a finished run ({layout.manifest}); nothing to resume")
        else:
            prepare_output_dir(directory, overwrite=overwrite or resume, layout=layout)
    reject_writer = RejectWriter(reject_path if on_error == "skip" else None, resume_at=reject_offset)
    if isinstance(writer, ShardWriter):
        assert directory is not None
        writer.on_publish = _progress_saver(directory, layout, print_, writer, stats, reject_writer)

    runner = BatchRunner(spec, pipeline, workers, input_names(inputs))
    started = time.perf_counter()
    bar = _progress_bar(progress)
    previous = _catch_signals()
    try:
        _drive(inputs, part, start, runner, writer, reject_writer, stats, on_error, warn, bar)
        shards = writer.close() if isinstance(writer, ShardWriter) else writer.flush()
        runner.close()
    except Interrupted:
        runner.close(abort=True)
        if isinstance(writer, ShardWriter):
            writer.discard_open()  # published shards and the resume record stay
        raise
    except BaseException:
        runner.close(abort=True)
        # Failed: nothing partial may look like a finished run.
        if isinstance(writer, ShardWriter):
            writer.abort()
            assert directory is not None
            (directory / layout.progress).unlink(missing_ok=True)
        raise
    finally:
        _restore_signals(previous)
        bar.close()
        reject_writer.close()
    stats.seconds = time.perf_counter() - started
    if isinstance(writer, ShardWriter):
        assert directory is not None and shards is not None
        manifest = _manifest(spec, pipeline, stats, shards, reject_writer, layout, part, shard_size)
        write_manifest(directory, manifest, name=layout.manifest)
        (directory / layout.progress).unlink(missing_ok=True)
    return stats


class _NoBar:
    """Stands in for tqdm when no bar is shown: importing tqdm costs 50 ms of start-up."""

    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(show: bool) -> Any:
    if not show:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(unit=" rec", file=sys.stderr, dynamic_ncols=True)


def _catch_signals() -> Any:
    def handler(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    try:
        return signal.signal(signal.SIGTERM, handler), signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread (e.g. inside a Dask worker): leave signals alone
        return None


def _restore_signals(previous: Any) -> None:
    if previous is not None:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])


def _records(
    inputs: list[str], part: Slice, start: _Position
) -> Iterator[tuple[int, Batch | InputError]]:
    """Batches of (line, raw) of this slice, per input, from ``start``; a broken file ends its input."""
    index = 0  # position of the record across all inputs, for slicing
    owns = part.owns
    # Small batches first, so the first record is out quickly; then full ones.
    size = 1
    for number, path in enumerate(inputs):
        batch: Batch = []
        try:
            for line, raw in iter_lines(path):
                index += 1
                if number < start.input or (number == start.input and line < start.line):
                    continue
                if part.whole or owns(index - 1):
                    batch.append((line, raw))
                    if len(batch) >= size:
                        yield number, batch
                        batch = []
                        size = min(2 * size, _BATCH)
        except InputError as exc:
            if batch:
                yield number, batch
            yield number, exc
            continue
        if batch:
            yield number, batch


def _drive(
    inputs: list[str],
    part: Slice,
    start: _Position,
    runner: BatchRunner,
    writer: ShardWriter | StreamWriter,
    rejects: RejectWriter,
    stats: RunStats,
    on_error: OnError,
    warn: Callable[[str], None],
    bar: Any,
) -> None:
    jobs = _records(inputs, part, start)
    write = writer.write_lines
    skip_at = (start.input, start.line) if start.skip else None
    for number, outcomes in runner.map(jobs):
        entry = stats.inputs[number]
        name = entry.path
        if isinstance(outcomes, InputError):
            # A broken compressed file: its unreadable tail counts as one lost record.
            if on_error == "fail":
                raise outcomes
            entry.records += 1
            entry.rejected += 1
            stats.read += 1
            stats.rejected += 1
            rejects.write(name, outcomes.line, outcomes.reason, None)
            warn(f"{outcomes} (rest of file skipped)")
            continue
        for line, lines, copies, unchanged, reason, dropped in outcomes:
            writer_position(writer, number, line)
            if reason is not None:
                if on_error == "fail":
                    raise InputError(name, line, reason)
                entry.rejected += 1
                stats.rejected += 1
                rejects.write(name, line, reason, lines[0])
                if rejects.path is None:
                    warn(f"{name}:{line}: {reason} (skipped)")
            else:
                if skip_at == (number, line):
                    write(lines[start.skip :])  # the rest of a record split across shards
                    skip_at = None
                else:
                    write(lines)
                stats.copies += copies
                stats.originals += len(lines) - copies
                stats.unchanged += unchanged
                stats.dropped += dropped
            entry.records += 1
            stats.read += 1
        bar.update(len(outcomes))


def writer_position(writer: ShardWriter | StreamWriter, number: int, line: int) -> None:
    """Tell the shard writer which record its next lines come from (for the resume record)."""
    if isinstance(writer, ShardWriter):
        writer.position = (number, line)


def _progress_saver(
    directory: Path,
    layout: Layout,
    print_: str,
    writer: ShardWriter,
    stats: RunStats,
    rejects: RejectWriter,
) -> Callable[[ShardInfo, int | None], None]:
    def save(shard: ShardInfo, lines_of_call: int | None) -> None:
        number, line = writer.position
        if lines_of_call is None:  # the last shard, at close: nothing is left to do
            number, line, lines_of_call = sys.maxsize, 0, 0
        # The current record's counts are added after its lines are written, so the
        # saved counts are exactly those of the records before it.
        record = {
            "format": PROGRESS_FORMAT,
            "fingerprint": print_,
            "shards": [asdict(s) for s in writer.shards],
            "position": {"input": number, "line": line, "skip": lines_of_call},
            "stats": {**stats.counts(), "inputs": [asdict(i) for i in stats.inputs]},
            "rejects_bytes": rejects.tell(),
        }
        write_atomic(directory / layout.progress, orjson.dumps(record))

    return save


def _restore(
    directory: Path, layout: Layout, print_: str, writer: ShardWriter, stats: RunStats
) -> tuple[_Position, int]:
    """Load the resume record, check it, remove what came after it; return where to go on."""
    try:
        record = orjson.loads((directory / layout.progress).read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise OutputError(f"cannot read the resume record in {directory}: {exc}") from exc
    if record.get("format") != PROGRESS_FORMAT:
        raise OutputError(f"{directory / layout.progress} is not an augtool resume record")
    if record["fingerprint"] != print_:
        raise UsageError(
            f"cannot resume in {directory}: the options, lexicon, shard size, slice or input files "
            "differ from the interrupted run; rerun with the same ones, or use --overwrite to start again"
        )
    shards = [ShardInfo(**s) for s in record["shards"]]
    for shard in shards:
        path = directory / shard.file
        if not path.exists() or path.stat().st_size != shard.bytes:
            raise OutputError(f"cannot resume: shard {shard.file} is missing or changed since it was written")
    listed = {s.file for s in shards}
    for path in directory.iterdir():
        # A shard renamed after the last resume record, or a temp file: both are redone.
        if layout.owns(path.name) and path.name.startswith(("part-", ".part-")) and path.name not in listed:
            path.unlink()
    writer.shards = shards
    saved = record["stats"]
    for key in ("read", "originals", "copies", "unchanged", "rejected"):
        setattr(stats, key, saved[key])
    stats.dropped = saved["dropped_duplicates"]
    stats.inputs = [InputStats(**entry) for entry in saved["inputs"]]
    stats.resumed = stats.read
    position = record["position"]
    return _Position(position["input"], position["line"], position["skip"]), record["rejects_bytes"]


def _manifest(
    spec: PipelineSpec,
    pipeline: Any,
    stats: RunStats,
    shards: list[ShardInfo],
    rejects: RejectWriter,
    layout: Layout,
    part: Slice,
    shard_size: int,
) -> dict[str, Any]:
    lexicon_info = None
    if any(name in ("sr", "ri") for name in spec.options.ops):
        lexicon_info = pipeline.resources.lexicon.info
    return {
        "tool": "augtool",
        "version": __version__,
        "options": spec.options.to_json(),
        "op_versions": {op.name: op.version for op in pipeline.ops},
        "lexicon": lexicon_info,
        "shard_size": shard_size,
        "compress": layout.compress,
        "slice": {"index": part.index, "count": part.count, "block": BLOCK},
        "inputs": [asdict(entry) for entry in stats.inputs],
        "counts": stats.counts(),
        "rejects": layout.rejects if rejects.count and rejects.path is not None else None,
        "shards": [asdict(shard) for shard in shards],
    }

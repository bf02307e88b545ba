"""Drive a pipeline over input files into shards or a stream: the I/O side of ``augment``."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from tqdm import tqdm

from augtool import __version__
from augtool.errors import InputError
from augtool.io import (
    REJECTS,
    STDIO,
    RejectWriter,
    ShardWriter,
    StreamWriter,
    iter_lines,
    prepare_output_dir,
    write_manifest,
)
from augtool.pipeline import Pipeline, RecordError

OnError = Literal["fail", "skip"]
_PROGRESS_EVERY = 1024


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

    @property
    def written(self) -> int:
        """Output records: originals plus augmented copies."""
        return self.originals + self.copies

    def summary(self, destination: str) -> str:
        """One line for stderr."""
        rate = self.read / self.seconds if self.seconds > 0 else 0.0
        return (
            f"augtool: read {self.read:,} records; wrote {self.written:,} to {destination} "
            f"({self.originals:,} originals + {self.copies:,} copies); "
            f"{self.unchanged:,} passed through unchanged; {self.rejected:,} rejected; "
            f"{self.seconds:.2f} s, {rate:,.0f} records/s"
        )


def _display(path: str) -> str:
    return "<stdin>" if path == STDIO else path


def run(
    inputs: list[str],
    output: str,
    pipeline: Pipeline,
    *,
    shard_size: int = 100_000,
    on_error: OnError = "fail",
    overwrite: bool = False,
    rejects: Path | None = None,
    progress: bool = False,
    warn: Callable[[str], None] = lambda message: None,
) -> RunStats:
    """Augment every line of ``inputs`` into ``output`` (a directory, or "-" for stdout)."""
    to_stdout = output == STDIO
    writer: ShardWriter | StreamWriter
    if to_stdout:
        writer = StreamWriter(sys.stdout.buffer)
        reject_path = rejects
    else:
        directory = Path(output)
        prepare_output_dir(directory, overwrite=overwrite)
        writer = ShardWriter(directory, shard_size)
        reject_path = rejects or directory / REJECTS
    reject_writer = RejectWriter(reject_path if on_error == "skip" else None)
    stats = RunStats()
    started = time.perf_counter()
    bar = tqdm(unit=" rec", file=sys.stderr, disable=not progress, dynamic_ncols=True)
    try:
        for path in inputs:
            _run_one(path, pipeline, writer, reject_writer, stats, on_error, warn, bar)
        if isinstance(writer, ShardWriter):
            shards = writer.close()
        else:
            writer.flush()
    except BaseException:
        # Failed or interrupted: nothing partial may look like a finished run.
        if isinstance(writer, ShardWriter):
            writer.abort()
        raise
    finally:
        bar.close()
        reject_writer.close()
    stats.seconds = time.perf_counter() - started
    if isinstance(writer, ShardWriter):
        write_manifest(writer.directory, _manifest(inputs, pipeline, stats, shards, reject_writer))
    return stats


def _run_one(
    path: str,
    pipeline: Pipeline,
    writer: ShardWriter | StreamWriter,
    rejects: RejectWriter,
    stats: RunStats,
    on_error: OnError,
    warn: Callable[[str], None],
    bar: tqdm[Any],
) -> None:
    name = _display(path)
    entry = InputStats(name)
    stats.inputs.append(entry)
    process = pipeline.process_line
    write = writer.write_lines
    try:
        for number, raw in iter_lines(path):
            entry.records += 1
            try:
                result = process(raw, number)
            except RecordError as exc:
                if on_error == "fail":
                    raise InputError(name, number, str(exc)) from exc
                entry.rejected += 1
                rejects.write(name, number, str(exc), raw)
                if rejects.path is None:
                    warn(f"{name}:{number}: {exc} (skipped)")
                continue
            write(result.lines)
            stats.copies += result.copies
            stats.originals += len(result.lines) - result.copies
            stats.unchanged += result.unchanged
            if entry.records % _PROGRESS_EVERY == 0:
                bar.update(_PROGRESS_EVERY)
    except InputError as exc:
        # Only a broken file gets here in skip mode: what it still held is lost.
        if on_error == "fail" or exc.path != name:
            raise
        # The unreadable tail counts as one lost record, so read == kept + rejected.
        entry.records += 1
        entry.rejected += 1
        rejects.write(name, exc.line, exc.reason, None)
        warn(f"{exc} (rest of file skipped)")
    finally:
        bar.update(entry.records % _PROGRESS_EVERY)
        stats.read += entry.records
        stats.rejected += entry.rejected


def _manifest(
    inputs: list[str],
    pipeline: Pipeline,
    stats: RunStats,
    shards: list[Any],
    rejects: RejectWriter,
) -> dict[str, Any]:
    resources = pipeline.resources
    lexicon_info = None
    if any(name in ("sr", "ri") for name in pipeline.options.ops):
        lexicon_info = resources.lexicon.info
    return {
        "tool": "augtool",
        "version": __version__,
        "options": pipeline.options.to_json(),
        "op_versions": {op.name: op.version for op in pipeline.ops},
        "lexicon": lexicon_info,
        "inputs": [vars(entry) for entry in stats.inputs],
        "counts": {
            "read": stats.read,
            "originals": stats.originals,
            "copies": stats.copies,
            "unchanged": stats.unchanged,
            "rejected": stats.rejected,
            "written": stats.written,
        },
        "rejects": REJECTS if rejects.count and rejects.path is not None else None,
        "shards": [vars(shard) for shard in shards],
    }

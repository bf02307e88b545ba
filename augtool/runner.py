"""Drive a pipeline over input files into shards, one file or a stream: the I/O side of ``augment``.

A directory run holds a lock on its part of the directory and keeps a small
resume record (``.progress.json``) beside its shards, written when it starts and
rewritten atomically after each shard is published: the shards so far, the
input position just after them, the counts, the rejects written, and a
fingerprint of the options, resources and input contents.  ``--resume`` reads it
back (as untrusted input: every name is checked), skips what is done and writes
the remaining shards, which come out byte-identical to an uninterrupted run's
because shard boundaries depend only on the input and the options.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import stat
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
    PROGRESS_FORMAT,
    STDIO,
    FileWriter,
    Layout,
    OutputLock,
    RejectWriter,
    ShardInfo,
    ShardWriter,
    StreamWriter,
    check_inputs,
    classify,
    content_fingerprint,
    file_ids,
    iter_lines,
    make_output_dir,
    parse_shards,
    prepare_output_dir,
    read_json_record,
    write_manifest,
    write_record,
)
from augtool.parallel import Batch, BatchRunner, PipelineSpec
from augtool.pipeline import input_names
from augtool.slicing import BLOCK, Slice

OnError = Literal["fail", "skip"]
OutputKind = Literal["stdout", "file", "dir"]
_BATCH = 2000


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; ``hint`` says what is left and how to go on."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.hint = "the output is incomplete"
        super().__init__(signal.Signals(signum).name)


@dataclass
class InputStats:
    """Counts for one input file, and a fingerprint of its content (None for stdin or a pipe)."""

    path: str
    records: int = 0
    rejected: int = 0
    content: str | None = None


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
    non_english: int = 0  # records --lang kept from the English-only operations

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
            + (f"{self.non_english:,} not English (see --lang); " if self.non_english else "")
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
            "non_english": self.non_english,
        }


_COUNTS = ("read", "originals", "copies", "unchanged", "rejected")


@dataclass
class _Position:
    """Where the next record to process is: input index, line number, output lines to skip."""

    input: int = 0
    line: int = 0
    skip: int = 0


def _display(path: str) -> str:
    return "<stdin>" if path == STDIO else path


def output_kind(output: str) -> OutputKind:
    """How ``-o`` is read: stdout, one file (a name ending .jsonl or .jsonl.gz), or a directory of shards.

    A trailing slash or an existing directory always means shards.

    >>> [output_kind(o) for o in ("-", "out.jsonl", "out.jsonl.gz", "out/", "out", "x.jsonl/")]
    ['stdout', 'file', 'file', 'dir', 'dir', 'dir']
    """
    if output == STDIO:
        return "stdout"
    if output.endswith(("/", os.sep)) or os.path.isdir(output):
        return "dir"
    if output.endswith(".jsonl.zst"):
        raise UsageError("-o: augtool writes .jsonl or .jsonl.gz files, not zstd; or give a directory")
    return "file" if output.endswith((".jsonl", ".jsonl.gz")) else "dir"


def _resource(path: Path | None) -> list[Any] | None:
    """A lexicon, stopword or synonym file as the fingerprint sees it: path and content."""
    if path is None:
        return None
    try:
        return [str(path), content_fingerprint(str(path))]
    except InputError:
        return [str(path), None]  # loading it fails later, with the resource's own error


def fingerprint(
    spec: PipelineSpec,
    inputs: list[InputStats],
    shard_size: int,
    part: Slice,
    compress: str | None,
    rejects: Path | None = None,
) -> str:
    """A hash of everything that decides the output, to refuse a mismatched resume."""
    data = {
        "version": __version__,
        "options": spec.options.to_json(),
        "lexicon": _resource(spec.lexicon),
        "stopwords": _resource(spec.stopwords),
        "synonyms": _resource(spec.synonyms),
        "inputs": [[entry.path, entry.content] for entry in inputs],
        "shard_size": shard_size,
        "slice": [part.index, part.count, BLOCK],
        "compress": compress,
        "rejects": str(rejects.resolve()) if rejects is not None else None,
    }
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _check_rejects(rejects: Path, inputs: list[str], directory: Path | None, layout: Layout,
                   resuming: bool) -> Path | None:
    """Refuse a --rejects file that exists or is an input; one inside DIR must have the default name."""
    if directory is not None and rejects.parent.resolve() == directory.resolve():
        if rejects.name != layout.rejects:
            raise UsageError(f"--rejects inside the output directory must be {layout.rejects}: "
                             "leave --rejects out to get it, or name a file elsewhere")
        return None  # the default
    resolved = rejects.resolve()
    if any(path != STDIO and Path(path).resolve() == resolved for path in inputs) or (
        file_ids([str(rejects)]) & file_ids(inputs)
    ):
        raise OutputError(f"--rejects {rejects} is an input of this run; name a new file")
    if os.path.lexists(rejects) and not resuming:
        raise OutputError(f"--rejects {rejects} exists; augtool never overwrites it: remove it or name a new file")
    return rejects


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
    """Augment every line of ``inputs`` into ``output``: a directory, one .jsonl(.gz) file, or "-" for stdout."""
    kind = output_kind(output)
    if resume and kind != "dir":
        raise UsageError("--resume needs an output directory (-o DIR), not stdout or a single file")
    if resume and STDIO in inputs:
        raise UsageError("--resume cannot continue a run that reads stdin (-): the stream cannot be checked "
                         "or read again; give the data as a file, or rerun without --resume and --overwrite")
    check_inputs(inputs)
    pipeline = spec.build()  # a bad option or plugin fails here, before any output exists
    if kind == "file":
        if output.endswith(".gz"):
            compress = "gzip"
        elif compress:
            raise UsageError(f"--compress {compress} writes .jsonl.gz: name the output {output}.gz")
    if kind != "dir":
        reject_path = None if rejects is None else _check_rejects(rejects, inputs, None, Layout(), False)
        return _run_stream(inputs, output, spec, pipeline, kind, on_error=on_error, overwrite=overwrite,
                           rejects=reject_path, progress=progress, warn=warn, workers=workers, part=part,
                           compress=compress)
    directory = Path(output)
    layout = Layout(part.tag, compress)
    make_output_dir(directory)
    lock = OutputLock(directory, layout, warn)
    lock.acquire()
    try:
        return _run_dir(inputs, directory, layout, spec, pipeline, shard_size=shard_size, on_error=on_error,
                        overwrite=overwrite, rejects=rejects, progress=progress, warn=warn, workers=workers,
                        part=part, resume=resume)
    finally:
        lock.release()


def _run_stream(
    inputs: list[str],
    output: str,
    spec: PipelineSpec,
    pipeline: Any,
    kind: OutputKind,
    *,
    on_error: OnError,
    overwrite: bool,
    rejects: Path | None,
    progress: bool,
    warn: Callable[[str], None],
    workers: int,
    part: Slice,
    compress: str | None,
) -> RunStats:
    """stdout, or one file that appears by an atomic rename when complete: no resume, no manifest."""
    writer: FileWriter | StreamWriter
    if kind == "file":
        path = Path(output)
        if os.path.lexists(path) and not overwrite:
            raise OutputError(f"{path} exists; pass --overwrite to replace it, or choose another name")
        if file_ids([output]) & file_ids(inputs):
            raise OutputError(f"{path} is an input of this run; write the output elsewhere")
        writer = FileWriter(path, compress=compress == "gzip")
        incomplete = f"{path} was not written"
    else:
        writer = StreamWriter(sys.stdout.buffer)
        incomplete = "the output on stdout is incomplete"
    stats = RunStats(inputs=[InputStats(_display(path)) for path in inputs])
    reject_writer = RejectWriter(rejects if on_error == "skip" else None)

    def finish() -> None:
        writer.close() if isinstance(writer, FileWriter) else writer.flush()
        reject_writer.close()

    def fail(interrupted: Interrupted | None) -> None:
        if isinstance(writer, FileWriter):
            writer.discard()
        reject_writer.remove()
        if interrupted is not None:
            interrupted.hint = incomplete

    return _execute(inputs, part, _Position(), spec, pipeline, workers, writer, reject_writer, stats, on_error, warn,
                    progress, finish, fail)


def _run_dir(
    inputs: list[str],
    directory: Path,
    layout: Layout,
    spec: PipelineSpec,
    pipeline: Any,
    *,
    shard_size: int,
    on_error: OnError,
    overwrite: bool,
    rejects: Path | None,
    progress: bool,
    warn: Callable[[str], None],
    workers: int,
    part: Slice,
    resume: bool,
) -> RunStats:
    """Shards, a resume record while running, the manifest at the end; the caller holds the lock."""
    resuming = resume and os.path.lexists(directory / layout.progress)
    done = resume and not resuming and os.path.lexists(directory / layout.manifest)
    # A --rejects file may exist only as the one the interrupted (or finished) run wrote.
    custom = None if rejects is None else _check_rejects(rejects, inputs, directory, layout, resuming or done)
    reject_path = custom or directory / layout.rejects
    stats = RunStats(inputs=[InputStats(_display(path), content=content_fingerprint(path)) for path in inputs])
    print_ = fingerprint(spec, stats.inputs, shard_size, part, layout.compress, custom)
    writer = ShardWriter(directory, shard_size, layout)
    start = _Position()
    saved_rejects = None
    if resuming:
        start, saved_rejects = _restore(directory, layout, print_, writer, stats, inputs)
    elif done:
        return _finished(directory, layout, print_, stats, warn)
    else:
        prepare_output_dir(directory, overwrite=overwrite or resume, layout=layout, inputs=inputs)
    reject_writer = RejectWriter(reject_path if on_error == "skip" else None, resume=saved_rejects)
    where = {"file": reject_path.name} if custom is None else {"path": str(custom.resolve())}
    record = _ResumeRecord(directory / layout.progress, print_, writer, stats, reject_writer, where)
    writer.on_publish = record.on_publish
    if not resuming:
        record.save(_Position())  # from now on, every file here is listed by a record of ours

    def finish() -> None:
        shards = writer.close()
        reject_writer.close()
        manifest = _manifest(spec, pipeline, stats, shards, reject_writer, directory, layout, part, shard_size, print_)
        write_manifest(directory, manifest, name=layout.manifest)
        with contextlib.suppress(OSError):
            os.unlink(record.path)

    def fail(interrupted: Interrupted | None) -> None:
        if interrupted is not None:
            writer.discard_open()  # published shards, the rejects and the resume record stay
            with contextlib.suppress(OutputError):
                reject_writer.close()
            interrupted.hint = (
                "finished shards are kept: run the same command with --resume to finish"
                if STDIO not in inputs and all(entry.content for entry in stats.inputs)
                else "a run that reads stdin or a pipe cannot be resumed: rerun it with --overwrite"
            )
            return
        # Failed: nothing partial may look like a finished run.
        writer.abort()
        reject_writer.remove()
        with contextlib.suppress(OSError):
            os.unlink(record.path)

    return _execute(inputs, part, start, spec, pipeline, workers, writer, reject_writer, stats, on_error, warn,
                    progress, finish, fail)


def _execute(
    inputs: list[str],
    part: Slice,
    start: _Position,
    spec: PipelineSpec,
    pipeline: Any,
    workers: int,
    writer: ShardWriter | FileWriter | StreamWriter,
    reject_writer: RejectWriter,
    stats: RunStats,
    on_error: OnError,
    warn: Callable[[str], None],
    progress: bool,
    finish: Callable[[], None],
    fail: Callable[[Interrupted | None], None],
) -> RunStats:
    """Run the records through the pipeline into ``writer``; ``finish`` on success, ``fail`` otherwise."""
    started = time.perf_counter()
    bar = _progress_bar(progress)
    runner: BatchRunner | None = None
    previous = None
    try:
        # Workers are forked before the handlers are set: a worker that inherited the
        # parent's SIGTERM handler could lose the SIGTERM of an early abort (Python drops
        # a signal that arrives while a fork is being set up) and hang the run.
        runner = BatchRunner(spec, pipeline, workers, input_names(inputs))
        previous = _catch_signals()
        _drive(inputs, part, start, runner, writer, reject_writer, stats, on_error, warn, bar)
        runner.close()
        stats.seconds = time.perf_counter() - started
        finish()
    except BaseException as exc:
        if runner is not None:
            runner.close(abort=True)
        fail(exc if isinstance(exc, Interrupted) else None)
        raise
    finally:
        _restore_signals(previous)
        bar.close()
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
    """Batches of (line, raw) of this slice, per input, from ``start``; a file's read error comes in its place."""
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
    writer: ShardWriter | FileWriter | StreamWriter,
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
            # A damaged compressed file or a read error: what it holds is unknown, so
            # no mode may go on as if the records decoded so far were all of it.
            raise outcomes
        for line, lines, copies, unchanged, reason, dropped, foreign in outcomes:
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
                stats.non_english += foreign
            entry.records += 1
            stats.read += 1
        bar.update(len(outcomes))


def writer_position(writer: ShardWriter | FileWriter | StreamWriter, number: int, line: int) -> None:
    """Tell the shard writer which record its next lines come from (for the resume record)."""
    if isinstance(writer, ShardWriter):
        writer.position = (number, line)


class _ResumeRecord:
    """The hidden resume record of a directory run, rewritten after each published shard."""

    def __init__(self, path: Path, print_: str, writer: ShardWriter, stats: RunStats, rejects: RejectWriter,
                 where: dict[str, str]) -> None:
        self.path = path
        self._print = print_
        self._writer = writer
        self._stats = stats
        self._rejects = rejects
        self._where = where

    def save(self, position: _Position) -> None:
        """Write the record for ``position`` (the counts are those of the records before it)."""
        stats = self._stats
        record = {
            "format": PROGRESS_FORMAT,
            "fingerprint": self._print,
            "shards": [asdict(s) for s in self._writer.shards],
            "position": asdict(position),
            "stats": {**stats.counts(), "inputs": [asdict(i) for i in stats.inputs]},
            "rejects": self._where,
            "rejects_state": self._rejects.state(),
        }
        write_record(self.path, orjson.dumps(record))

    def on_publish(self, shard: ShardInfo, lines_of_call: int | None) -> None:
        """After a shard is published: its record is split after ``lines_of_call`` output lines."""
        number, line = self._writer.position
        if lines_of_call is None:  # the last shard, at close: nothing is left to do
            number, line, lines_of_call = sys.maxsize, 0, 0
        # The current record's counts are added after its lines are written, so the
        # saved counts are exactly those of the records before it.
        self.save(_Position(number, line, lines_of_call))


def _is_hex(value: Any, length: int = 64) -> bool:
    return isinstance(value, str) and len(value) == length and all(c in "0123456789abcdef" for c in value)


def _whole(value: Any) -> bool:
    return type(value) is int and value >= 0


def _check_record(record: Any, layout: Layout, count: int) -> list[ShardInfo]:
    """The shards of a resume record, after checking its every field (ValueError when malformed)."""
    if not isinstance(record, dict) or record.get("format") != PROGRESS_FORMAT:
        raise ValueError("not an augtool resume record of this version")
    if not _is_hex(record.get("fingerprint")):
        raise ValueError("bad 'fingerprint'")
    shards = parse_shards(record.get("shards"), layout.tag)
    if [s.file for s in shards] != [layout.shard(n) for n in range(len(shards))]:
        raise ValueError("the shards are not numbered 0, 1, 2, ... with this run's names")
    position, saved, state = record.get("position"), record.get("stats"), record.get("rejects_state")
    if not isinstance(position, dict) or not all(_whole(position.get(k)) for k in ("input", "line", "skip")):
        raise ValueError("bad 'position'")
    if not isinstance(saved, dict) or not all(_whole(saved.get(k)) for k in (*_COUNTS, "dropped_duplicates")):
        raise ValueError("bad 'stats'")
    entries = saved.get("inputs")
    if not isinstance(entries, list) or len(entries) != count or not all(
        isinstance(e, dict) and isinstance(e.get("path"), str) and _whole(e.get("records"))
        and _whole(e.get("rejected")) and (e.get("content") is None or isinstance(e.get("content"), str))
        for e in entries
    ):
        raise ValueError("bad 'stats.inputs'")
    if not isinstance(state, dict) or not (_whole(state.get("bytes")) and _whole(state.get("records"))
                                           and _is_hex(state.get("sha256"))):
        raise ValueError("bad 'rejects_state'")
    return shards


def _restore(
    directory: Path, layout: Layout, print_: str, writer: ShardWriter, stats: RunStats, inputs: list[str]
) -> tuple[_Position, dict[str, Any]]:
    """Load the resume record, check it and the files it lists, remove the unfinished shard; say where to go on."""
    path = directory / layout.progress
    again = "; use --overwrite to start again"
    try:
        record = read_json_record(path)
        shards = _check_record(record, layout, len(inputs))
    except (OSError, ValueError) as exc:
        raise OutputError(f"cannot resume: {path} is not a usable resume record ({exc}){again}") from exc
    if record["fingerprint"] != print_:
        raise UsageError(
            f"cannot resume in {directory}: the options, resources, shard size, slice, rejects file or input "
            "contents differ from the interrupted run's; rerun with the same ones, or use --overwrite to start again"
        )
    for shard in shards:
        try:
            info = os.lstat(directory / shard.file)
        except OSError:
            info = None
        if info is None or not stat.S_ISREG(info.st_mode) or info.st_size != shard.bytes:
            raise OutputError(f"cannot resume: shard {shard.file} is missing or changed since it was written{again}")
    listed = {s.file for s in shards}
    unfinished = layout.shard(len(shards))  # renamed after the last record was written
    inputs_ids = file_ids(inputs)
    for name in sorted(os.listdir(directory)):
        kind = classify(name)
        if kind is None or kind[0] != "shard" or kind[1] != layout.tag or name in listed:
            continue
        info = os.lstat(directory / name)
        # Unlinking a symlink leaves its target alone; anything but a file or a link is not ours.
        if not (kind[2] or name == unfinished) or not (
            stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)
        ) or (info.st_dev, info.st_ino) in inputs_ids:
            raise OutputError(f"cannot resume: {directory / name} was not written by the interrupted run; "
                              "move it away")
        os.unlink(directory / name)
    writer.shards = shards
    saved = record["stats"]
    for key in _COUNTS:
        setattr(stats, key, saved[key])
    stats.dropped = saved["dropped_duplicates"]
    stats.non_english = saved.get("non_english", 0)
    stats.inputs = [InputStats(e["path"], e["records"], e["rejected"], e.get("content")) for e in saved["inputs"]]
    stats.resumed = stats.read
    position = record["position"]
    return _Position(position["input"], position["line"], position["skip"]), record["rejects_state"]


def _finished(directory: Path, layout: Layout, print_: str, stats: RunStats, warn: Callable[[str], None]) -> RunStats:
    """--resume where the run already finished: nothing to do if it is this run, else refuse."""
    path = directory / layout.manifest
    try:
        manifest = read_json_record(path)
    except (OSError, ValueError) as exc:
        raise OutputError(f"cannot resume: {path} is unreadable ({exc})") from exc
    if not isinstance(manifest, dict):
        manifest = {}
    counts = manifest.get("counts")
    if manifest.get("fingerprint") != print_ or not isinstance(counts, dict) or not all(
        _whole(counts.get(key)) for key in (*_COUNTS, "dropped_duplicates")
    ):
        raise OutputError(f"{directory} already holds a finished run ({layout.manifest}) made with other options "
                          "or inputs; nothing to resume: use --overwrite to replace it")
    for key in _COUNTS:
        setattr(stats, key, counts[key])
    stats.dropped = counts["dropped_duplicates"]
    stats.resumed = stats.read
    warn(f"augtool: {directory} already holds this finished run ({layout.manifest}); nothing left to do")
    return stats


def _manifest(
    spec: PipelineSpec,
    pipeline: Any,
    stats: RunStats,
    shards: list[ShardInfo],
    rejects: RejectWriter,
    directory: Path,
    layout: Layout,
    part: Slice,
    shard_size: int,
    print_: str,
) -> dict[str, Any]:
    lexicon_info = None
    if any(name in ("sr", "ri") for name in spec.options.ops):
        lexicon_info = pipeline.resources.lexicon.info
    info = rejects.info(directory)
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
        "rejects": info.to_json() if info is not None else None,
        "shards": [asdict(shard) for shard in shards],
        "fingerprint": print_,
    }

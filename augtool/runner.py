"""``augment``'s output side: where the lines go (stdout, one file, a directory of shards) and what a run leaves.

The driver (augtool.driver) moves the records; this module prepares the output,
says what to do when the run ends (publish, write the manifest) or fails
(delete, or keep finished shards for ``--resume``), and resumes (augtool.resume).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, Literal

from augtool import manifest as manifests
from augtool.driver import Job, OnError, Plan, execute
from augtool.errors import OptionError, OutputError, UsageError
from augtool.formats import OutputSpec, output_spec
from augtool.inputs import STDIO, check_inputs, content_fingerprint, display, expand_inputs, file_ids
from augtool.names import Layout
from augtool.outdir import OutputLock, make_output_dir, prepare_output_dir
from augtool.parallel import PipelineSpec
from augtool.rejects import RejectWriter
from augtool.resume import Position, ResumeRecord, fingerprint, finished, restore
from augtool.runstats import InputStats, RunStats
from augtool.slicing import BLOCK, Slice
from augtool.writers import OutputFile, ShardWriter, StreamWriter, file_suffixes, open_file

OutputKind = Literal["stdout", "file", "dir"]


def output_kind(output: str) -> OutputKind:
    """How ``-o`` is read: stdout, one file (.jsonl, .csv, .tsv, each maybe .gz, or .parquet), or a directory.

    A trailing slash or an existing directory always means shards.

    >>> [output_kind(o) for o in ("-", "out.jsonl", "out.jsonl.gz", "out/", "out", "x.jsonl/", "a.parquet")]
    ['stdout', 'file', 'file', 'dir', 'dir', 'dir', 'file']
    """
    if output == STDIO:
        return "stdout"
    if output.endswith(("/", os.sep)) or os.path.isdir(output):
        return "dir"
    if output.endswith(".zst"):
        raise UsageError("-o: augtool writes plain or .gz files, not zstd; or give a directory")
    return "file" if output.endswith(file_suffixes()) else "dir"


def _check_rejects(rejects: Path, inputs: list[str], directory: Path | None, layout: Layout,
                   resuming: bool) -> Path | None:
    """Refuse a --rejects file that exists or is an input; one inside DIR must have the default name."""
    if directory is not None and rejects.parent.resolve() == directory.resolve():
        if rejects.name != layout.rejects:
            raise OptionError("rejects", f"inside the output directory must be {layout.rejects}: "
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
    plan: Plan | None = None,
    input_format: str | None = None,
    output_format: str | None = None,
    limit: int | None = None,
) -> RunStats:
    """Augment every line of ``inputs`` into ``output``: a directory, one .jsonl(.gz) file, or "-" for stdout.

    A ``plan`` (balance's) decides per record instead of the plain pipeline.
    """
    inputs = expand_inputs(inputs)
    kind = output_kind(output)
    if resume and kind != "dir":
        raise OptionError("resume", "needs an output directory, not stdout or a single file")
    if resume and STDIO in inputs:
        raise OptionError("resume", "cannot continue a run that reads stdin (-): the stream cannot be checked "
                          "or read again; give the data as a file, or start again with overwrite")
    check_inputs(inputs)
    pipeline = spec.build()  # a bad option or plugin fails here, before any output exists
    out = output_spec(inputs, input_format, output, kind, output_format, spec.options.provenance_key)
    if compress and out.format == "parquet":
        raise UsageError("--compress gzip is for JSONL, CSV and TSV; Parquet compresses its own columns")
    if kind == "file":
        if output.endswith(".gz"):
            compress = "gzip"
        elif compress:
            raise OptionError("compress", f"{compress} writes a .gz file: name the output {output}.gz")
    job = Job(inputs, spec, pipeline, part, on_error, workers, progress, warn, plan, input_format, limit)
    if kind != "dir":
        reject_path = None if rejects is None else _check_rejects(rejects, inputs, None, Layout(), False)
        return _run_stream(job, output, kind, overwrite=overwrite, rejects=reject_path, compress=compress, out=out)
    directory = Path(output)
    layout = Layout(part.tag, compress, out.format)
    make_output_dir(directory)
    lock = OutputLock(directory, layout, warn)
    lock.acquire()
    try:
        return _run_dir(job, directory, layout, shard_size=shard_size, overwrite=overwrite, rejects=rejects,
                        resume=resume, out=out)
    finally:
        lock.release()


def _run_stream(
    job: Job, output: str, kind: OutputKind, *, overwrite: bool, rejects: Path | None, compress: str | None,
    out: OutputSpec,
) -> RunStats:
    """stdout, or one file that appears by an atomic rename when complete: no resume, no manifest."""
    inputs = job.inputs
    writer: OutputFile | StreamWriter
    if kind == "file":
        path = Path(output)
        if os.path.lexists(path) and not overwrite:
            raise OutputError(f"{path} exists; pass --overwrite to replace it, or choose another name")
        if file_ids([output]) & file_ids(inputs):
            raise OutputError(f"{path} is an input of this run; write the output elsewhere")
        writer = open_file(path, compress=compress == "gzip", output=out)
        incomplete = f"{path} was not written"
    else:
        writer = StreamWriter(sys.stdout.buffer)
        incomplete = "the output on stdout is incomplete"
    stats = RunStats(inputs=[InputStats(display(path)) for path in inputs])
    reject_writer = RejectWriter(rejects if _keeps_rejects(job) else None)

    def finish() -> None:
        writer.flush() if isinstance(writer, StreamWriter) else writer.close()
        reject_writer.close()

    def fail(interrupted: bool) -> str:
        if not isinstance(writer, StreamWriter):
            writer.discard()
        reject_writer.remove()
        return incomplete

    return execute(job, writer, reject_writer, stats, finish=finish, fail=fail)


def _run_dir(
    job: Job, directory: Path, layout: Layout, *, shard_size: int, overwrite: bool, rejects: Path | None,
    resume: bool,
    out: OutputSpec,
) -> RunStats:
    """Shards, a resume record while running, the manifest at the end; the caller holds the lock."""
    inputs = job.inputs
    resuming = resume and os.path.lexists(directory / layout.progress)
    done = resume and not resuming and os.path.lexists(directory / layout.manifest)
    # A --rejects file may exist only as the one the interrupted (or finished) run wrote.
    custom = None if rejects is None else _check_rejects(rejects, inputs, directory, layout, resuming or done)
    reject_path = custom or directory / layout.rejects
    legacy = reject_path.with_suffix(".jsonl")
    if resuming and custom is None and os.path.lexists(legacy) and not os.path.lexists(reject_path):
        reject_path = legacy  # a run started before rejects files were named .ndjson
    stats = RunStats(inputs=[InputStats(display(path), content=content_fingerprint(path)) for path in inputs])
    print_ = fingerprint(job.spec, stats.inputs, shard_size, job.part, layout.compress, custom,
                         (job.input_format, layout.format), job.limit)
    writer = ShardWriter(directory, shard_size, layout, output=out)
    start = Position()
    saved_rejects = None
    if resuming:
        start, saved_rejects = restore(directory, layout, print_, writer, stats, inputs)
        if writer.shards and out.format != "jsonl":
            from augtool.formats import adopt

            adopt(out, directory / writer.shards[0].file)  # the columns the interrupted run settled on
    elif done:
        return finished(directory, layout, print_, stats, job.warn)
    else:
        prepare_output_dir(directory, overwrite=overwrite or resume, layout=layout, inputs=inputs)
    reject_writer = RejectWriter(reject_path if _keeps_rejects(job) else None, resume=saved_rejects)
    where = {"file": reject_path.name} if custom is None else {"path": str(custom.resolve())}
    record = ResumeRecord(directory / layout.progress, print_, writer, stats, reject_writer, where)
    writer.on_publish = record.on_publish
    if not resuming:
        record.save(Position())  # from now on, every file here is listed by a record of ours

    def finish() -> None:
        shards = writer.close()
        reject_writer.close()
        manifest = _manifest(job, stats, shards, reject_writer.info(directory), layout, shard_size, print_)
        manifests.write(directory, manifest, name=layout.manifest)
        with contextlib.suppress(OSError):
            os.unlink(record.path)

    def fail(interrupted: bool) -> str:
        if interrupted:
            writer.discard_open()  # published shards, the rejects and the resume record stay
            with contextlib.suppress(OutputError):
                reject_writer.close()
            if job.plan is not None:  # balance decides per record in its first pass: no resume
                return "the output is incomplete: rerun the same command with --overwrite"
            return (
                "finished shards are kept: run the same command with --resume to finish"
                if STDIO not in inputs and all(entry.content for entry in stats.inputs)
                else "a run that reads stdin or a pipe cannot be resumed: rerun it with --overwrite"
            )
        # Failed: nothing partial may look like a finished run.
        writer.abort()
        reject_writer.remove()
        with contextlib.suppress(OSError):
            os.unlink(record.path)
        return "the output is incomplete"

    return execute(job, writer, reject_writer, stats, finish=finish, fail=fail, start=start, record=record)


def _keeps_rejects(job: Job) -> bool:
    return job.on_error == "skip" or (job.plan is not None and job.plan.rejects)


def _manifest(
    job: Job,
    stats: RunStats,
    shards: list[manifests.ShardInfo],
    rejects: manifests.RejectsInfo | None,
    layout: Layout,
    shard_size: int,
    print_: str,
) -> dict[str, Any]:
    pipeline, part = job.pipeline, job.part
    lexicon_info = None
    if any(name in ("sr", "ri") for name in job.spec.options.ops):
        lexicon_info = pipeline.resources.lexicon.info
    return manifests.build(
        options=job.spec.options.to_json(),
        counts=stats.counts(),
        shards=shards,
        rejects=rejects,
        op_versions={op.name: op.version for op in pipeline.ops},
        lexicon=lexicon_info,
        shard_size=shard_size,
        compress=layout.compress,
        format=layout.format,
        slice={"index": part.index, "count": part.count, "block": BLOCK},
        inputs=[asdict(entry) for entry in stats.inputs],
        fingerprint=print_,
        **({"limit": job.limit} if job.limit is not None else {}),
        **(job.plan.manifest() if job.plan is not None else {}),
    )

"""Run an augment job on a Dask cluster: each slice of the input is one task.

Every task runs the ordinary single-process runner on slice i of K and writes its
own shards and slice manifest into the output directory, which must be on a
filesystem every worker sees; the client then merges the slice manifests.  The
records are those of a local run (same bytes after sorting), whatever K is.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from augtool.errors import OptionError, UsageError
from augtool.inputs import STDIO, expand_inputs
from augtool.manifest import merge
from augtool.names import Layout
from augtool.outdir import OutputLock, make_output_dir, prepare_output_dir
from augtool.parallel import PipelineSpec
from augtool.runner import output_kind, run
from augtool.runstats import InputStats, RunStats
from augtool.slicing import Slice

# How long to wait for a scheduler before giving up: a reachable one answers at once.
CONNECT_SECONDS = 10


def _task(
    inputs: list[str], output: str, spec: PipelineSpec, index: int, count: int, options: dict[str, Any]
) -> RunStats:
    """One slice, in a Dask worker; with resume, a slice already finished is left as it is."""
    return run(inputs, output, spec, part=Slice(index, count), workers=1, progress=False, overwrite=True, **options)


def _reachable(address: str) -> None:
    """Fail at once, not after distributed's retries, when a tcp:// scheduler refuses connections."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme != "tcp" or not parts.hostname or not parts.port:
        return  # other transports: left to the client's own timeout
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=CONNECT_SECONDS).close()
    except OSError as exc:
        raise OptionError("scheduler", f"{address}: cannot reach the Dask scheduler ({exc.strerror or exc})") from exc


def _client(scheduler: str | None) -> tuple[Any, Any]:
    """A client of the given scheduler, or of a local cluster of two worker processes."""
    from distributed import Client, LocalCluster

    if scheduler is None:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster), cluster
    _reachable(scheduler)
    try:
        return Client(scheduler, timeout=f"{CONNECT_SECONDS}s"), None
    except Exception as exc:  # whatever answered there, it is not a usable scheduler
        reason = f"{type(exc).__name__}: {exc}"
        raise OptionError("scheduler", f"{scheduler}: no Dask scheduler answers there ({reason[:200]})") from exc


def run_dask(
    inputs: list[str],
    output: str,
    spec: PipelineSpec,
    *,
    scheduler: str | None = None,
    partitions: int | None = None,
    overwrite: bool = False,
    resume: bool = False,
    progress: bool = False,
    warn: Any = None,
    rejects: Path | None = None,
    **options: Any,
) -> RunStats:
    """Split the job into slices, run them as Dask tasks, merge their manifests."""
    try:
        import distributed  # noqa: F401
    except ImportError as exc:
        raise UsageError("--executor dask needs: pip install 'augtool[dask]'") from exc
    if output == STDIO or STDIO in inputs or output_kind(output) != "dir":
        raise UsageError("--executor dask reads files and writes a directory: no - for input or output, "
                         "no single output file")
    if rejects is not None:
        raise OptionError("rejects", "does not go with the Dask executor: each slice writes DIR/rejects-s….jsonl")
    inputs = expand_inputs(inputs)
    directory = Path(output)
    started = time.perf_counter()
    client, cluster = _client(scheduler)  # first: an unreachable scheduler leaves no directory behind
    try:
        make_output_dir(directory)
        if not resume:
            lock = OutputLock(directory, Layout(), warn or (lambda message: None))
            lock.acquire()
            try:
                prepare_output_dir(directory, overwrite=overwrite, inputs=inputs)
            finally:
                lock.release()
        count = partitions or max(1, 2 * len(client.scheduler_info()["workers"]))
        # Paths must mean the same on every worker: resolve them here.
        files = [str(Path(p).resolve()) for p in inputs]
        target = str(directory.resolve())
        task_options = {**options, "resume": resume}
        futures = [
            client.submit(_task, files, target, spec, i, count, task_options, key=f"augtool-{i}-of-{count}", pure=False)
            for i in range(count)
        ]
        results: list[RunStats] = client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    merge(directory)
    total = RunStats(inputs=[InputStats(p) for p in inputs])
    for part in results:
        for key in ("read", "originals", "copies", "unchanged", "rejected", "dropped", "duplicates", "flipped",
                    "non_english"):
            setattr(total, key, getattr(total, key) + getattr(part, key))
        total.resumed += part.resumed
    total.seconds = time.perf_counter() - started
    return total

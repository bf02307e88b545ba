"""Run an augment job on a Dask cluster: each slice of the input is one task.

Every task runs the ordinary single-process runner on slice i of K and writes its
own shards and slice manifest into the output directory, which must be on a
filesystem every worker sees; the client then merges the slice manifests.  The
records are those of a local run (same bytes after sorting), whatever K is.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from augtool.errors import UsageError
from augtool.io import STDIO, Layout, prepare_output_dir
from augtool.parallel import PipelineSpec
from augtool.runner import InputStats, RunStats, run
from augtool.slicing import Slice
from augtool.verify import merge_manifests


def _task(
    inputs: list[str], output: str, spec: PipelineSpec, index: int, count: int, options: dict[str, Any]
) -> RunStats:
    """One slice, in a Dask worker: already finished slices are left as they are."""
    part = Slice(index, count)
    directory = Path(output)
    if options.get("resume") and (directory / Layout(part.tag).manifest).exists():
        return RunStats(inputs=[InputStats(p) for p in inputs])
    return run(inputs, output, spec, part=part, workers=1, progress=False, overwrite=True, **options)


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
    **options: Any,
) -> RunStats:
    """Split the job into slices, run them as Dask tasks, merge their manifests."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise UsageError("--executor dask needs: pip install 'augtool[dask]'") from exc
    if output == STDIO or STDIO in inputs:
        raise UsageError("--executor dask reads files and writes a directory: no - for input or output")
    directory = Path(output)
    started = time.perf_counter()
    if not resume:
        prepare_output_dir(directory, overwrite=overwrite)
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(scheduler or cluster)
    try:
        count = partitions or max(1, 2 * len(client.scheduler_info()["workers"]))
        # Paths must mean the same on every worker: resolve them here.
        files = [str(Path(p).resolve()) for p in inputs]
        target = str(directory.resolve())
        # One rejects file per slice (the default): a single --rejects path would be shared.
        task_options = {**options, "resume": resume, "rejects": None}
        futures = [
            client.submit(_task, files, target, spec, i, count, task_options, key=f"augtool-{i}-of-{count}", pure=False)
            for i in range(count)
        ]
        results: list[RunStats] = client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    merge_manifests(directory)
    total = RunStats(inputs=[InputStats(p) for p in inputs])
    for part in results:
        for key in ("read", "originals", "copies", "unchanged", "rejected", "dropped", "non_english"):
            setattr(total, key, getattr(total, key) + getattr(part, key))
        total.resumed += part.resumed
    total.seconds = time.perf_counter() - started
    return total

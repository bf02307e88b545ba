"""Which input records a run owns when a job is split into K slices (SLURM arrays, Dask).

Records are numbered in input order across all inputs (blank lines excluded) and
grouped in blocks of ``BLOCK`` consecutive records; block b belongs to slice
b mod K.  A slice needs no other slice's data to know its records, the K slices
are disjoint and together cover every record, and consecutive records stay
together, so each slice still reads its part of a file in long runs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from augtool.errors import UsageError

BLOCK = 1024


@dataclass(frozen=True)
class Slice:
    """Slice ``index`` of ``count`` (0-based); ``Slice(0, 1)`` is the whole input."""

    index: int = 0
    count: int = 1

    def __post_init__(self) -> None:
        if self.count < 1:
            raise UsageError(f"--num-shards must be at least 1, not {self.count}")
        if not 0 <= self.index < self.count:
            raise UsageError(f"--shard-index must be in 0..{self.count - 1}, not {self.index}")

    @property
    def whole(self) -> bool:
        """True when this slice is the entire input."""
        return self.count == 1

    def owns(self, record_index: int) -> bool:
        """Whether the record at this 0-based position across the inputs is ours.

        >>> s = Slice(1, 3)
        >>> [s.owns(r) for r in (0, 1023, 1024, 2047, 2048, 4096)]
        [False, False, True, True, False, True]
        """
        return (record_index // BLOCK) % self.count == self.index

    @property
    def tag(self) -> str:
        """The slice's part of file names: "" for the whole input, else "s0003of0064".

        >>> Slice(3, 64).tag, Slice().tag
        ('s0003of0064', '')
        """
        return "" if self.whole else f"s{self.index:04d}of{self.count:04d}"


def slice_from(
    index: int | None, count: int | None, env: Mapping[str, str] = os.environ
) -> Slice:
    """Resolve --shard-index/--num-shards, falling back on a SLURM array's variables."""
    if count is None and "SLURM_ARRAY_TASK_COUNT" in env:
        count = int(env["SLURM_ARRAY_TASK_COUNT"])
        if index is None:
            # SLURM numbers tasks from SLURM_ARRAY_TASK_MIN, which may be 1.
            index = int(env["SLURM_ARRAY_TASK_ID"]) - int(env.get("SLURM_ARRAY_TASK_MIN", "0"))
    if count is None:
        if index not in (None, 0):
            raise UsageError("--shard-index needs --num-shards")
        return Slice()
    if index is None:
        raise UsageError("--num-shards needs --shard-index (or SLURM_ARRAY_TASK_ID)")
    return Slice(index, count)


def usable_cpus() -> int:
    """CPUs this process may use: its affinity mask, capped by a cgroup v2 CPU quota."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    try:
        with open("/sys/fs/cgroup/cpu.max") as fh:
            quota, period = fh.read().split()[:2]
        if quota != "max":
            cpus = min(cpus, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cpus)

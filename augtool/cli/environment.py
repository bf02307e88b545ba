"""What the CLI learns from the machine it runs on: a SLURM array task's slice, the CPUs it may use.

The library never reads these: it takes a Slice and a worker count.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from augtool.errors import UsageError
from augtool.slicing import Slice


def slice_from(
    index: int | None,
    count: int | str | None,
    env: Mapping[str, str] = os.environ,
    note: Callable[[str], None] = lambda message: None,
) -> Slice:
    """Resolve --slice-index/--num-slices; ``count == "auto"`` takes the slice from a SLURM job array.

    The environment is read only when asked: an array whose tasks each process
    their own file must not be sliced behind the user's back.

    >>> slice_from(None, "auto", {"SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_COUNT": "4",
    ...                           "SLURM_ARRAY_TASK_MIN": "3", "SLURM_ARRAY_TASK_MAX": "12",
    ...                           "SLURM_ARRAY_TASK_STEP": "3"})
    Slice(index=2, count=4)
    >>> slice_from(None, None, {"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4"})
    Slice(index=0, count=1)
    """
    if count == "auto":
        count, from_env = _slurm_slice(env)
        if index is None:
            index = from_env
        note(f"augtool: --num-slices auto: slice {index} of {count} "
             f"(SLURM_ARRAY_TASK_ID={env['SLURM_ARRAY_TASK_ID']}, SLURM_ARRAY_TASK_COUNT={count})")
    if isinstance(count, str):
        raise UsageError(f"--num-slices takes a number or auto, not {count!r}")
    if count is None:
        if index not in (None, 0):
            raise UsageError("--slice-index needs --num-slices")
        return Slice()
    if index is None:
        raise UsageError("--num-slices K needs --slice-index i (or use --num-slices auto inside a SLURM array)")
    return Slice(index, count)


def _slurm_slice(env: Mapping[str, str]) -> tuple[int, int]:
    """(count, index) of this task in a SLURM job array whose task ids are evenly spaced."""
    names = ("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT")
    if not all(name in env for name in names):
        raise UsageError("--num-slices auto takes the slice from a SLURM job array, but SLURM_ARRAY_TASK_ID and "
                         "SLURM_ARRAY_TASK_COUNT are not set: give --num-slices K --slice-index i instead")
    try:
        task, count = int(env[names[0]]), int(env[names[1]])
        low = int(env.get("SLURM_ARRAY_TASK_MIN", "0"))
        step = int(env.get("SLURM_ARRAY_TASK_STEP", "1"))
        high = int(env.get("SLURM_ARRAY_TASK_MAX", str(low + (count - 1) * step)))
    except ValueError as exc:
        raise UsageError(f"--num-slices auto: a SLURM_ARRAY_TASK_* variable is not a number ({exc})") from exc
    if step < 1 or count < 1 or high - low != (count - 1) * step or not (low <= task <= high) or (task - low) % step:
        raise UsageError(
            f"--num-slices auto: this SLURM array's task ids are not evenly spaced (MIN={low}, MAX={high}, "
            f"STEP={step}, COUNT={count}), so they cannot be numbered as slices: submit --array=0-{count - 1}, "
            "or pass --num-slices K --slice-index i yourself"
        )
    return count, (task - low) // step


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

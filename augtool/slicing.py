"""Which input records a run owns when a job is split into K slices (SLURM arrays, Dask).

The CLI finds the slice of a SLURM array task (augtool.cli.environment); this module only numbers records.

Records are numbered in input order across all inputs (blank lines excluded) and
grouped in blocks of ``BLOCK`` consecutive records; block b belongs to slice
b mod K.  A slice needs no other slice's data to know its records, the K slices
are disjoint and together cover every record, and consecutive records stay
together, so each slice still reads its part of a file in long runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from augtool.errors import OptionError
from augtool.names import slice_tag

BLOCK = 1024


@dataclass(frozen=True)
class Slice:
    """Slice ``index`` of ``count`` (0-based); ``Slice(0, 1)`` is the whole input."""

    index: int = 0
    count: int = 1

    def __post_init__(self) -> None:
        if self.count < 1:
            raise OptionError("count", f"must be at least 1, not {self.count}")
        if not 0 <= self.index < self.count:
            raise OptionError("index", f"must be in 0..{self.count - 1}, not {self.index}")

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

    def owned(self, start: int, stop: int) -> Iterator[tuple[int, int]]:
        """The ranges [a, b) of record positions in [start, stop) that are ours, in order.

        >>> list(Slice(1, 3).owned(1000, 5000)), list(Slice().owned(5, 9))
        ([(1024, 2048), (4096, 5000)], [(5, 9)])
        """
        if self.whole:
            if start < stop:
                yield start, stop
            return
        block = start // BLOCK
        block += (self.index - block) % self.count  # our first block at or after start's
        while block * BLOCK < stop:
            a, b = max(block * BLOCK, start), min((block + 1) * BLOCK, stop)
            if a < b:
                yield a, b
            block += self.count

    @property
    def tag(self) -> str:
        """The slice's part of file names: "" for the whole input, else "s0003of0064".

        >>> Slice(3, 64).tag, Slice().tag
        ('s0003of0064', '')
        """
        return slice_tag(self.index, self.count)

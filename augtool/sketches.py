"""Bounded-memory summaries of a stream: distinct counts, a percentile sample, histogram bins.

Each is exact below its cap and approximate past it, so ``augtool stats`` copes with any input
(the caps are documented in ``augtool.stats``).
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from random import Random
from typing import Any

RESERVOIR = 100_000
EXACT_DISTINCT = 1_000_000
KMV_K = 4096
HISTOGRAM_BINS = 30
_NICE_WIDTHS = (1, 2, 5)


def _hash64(item: str) -> int:
    return int.from_bytes(hashlib.blake2b(item.encode(), digest_size=8).digest(), "big")


class DistinctCounter:
    """Distinct items: an exact set up to a cap, then a K-minimum-values estimate.

    >>> d = DistinctCounter(cap=10, k=64)
    >>> for i in range(5): d.add(str(i % 3))
    >>> d.value(), d.estimated
    (3, False)
    """

    def __init__(self, cap: int = EXACT_DISTINCT, k: int = KMV_K) -> None:
        self.cap, self.k = cap, k
        self._exact: set[str] | None = set()
        self._heap: list[int] = []  # the k smallest hashes, negated (a max-heap)
        self._members: set[int] = set()

    @property
    def estimated(self) -> bool:
        """True once the exact set was given up for the sketch."""
        return self._exact is None

    def add(self, item: str) -> None:
        """Count one occurrence of ``item``."""
        if self._exact is not None:
            self._exact.add(item)
            if len(self._exact) > self.cap:
                for old in self._exact:
                    self._sketch(_hash64(old))
                self._exact = None
            return
        self._sketch(_hash64(item))

    def _sketch(self, h: int) -> None:
        if h in self._members:
            return
        if len(self._heap) < self.k:
            heapq.heappush(self._heap, -h)
            self._members.add(h)
        elif h < -self._heap[0]:
            self._members.discard(-heapq.heappushpop(self._heap, -h))
            self._members.add(h)

    def value(self) -> int:
        """The number of distinct items (estimated past the cap)."""
        if self._exact is not None:
            return len(self._exact)
        kth = -self._heap[0]
        return round((self.k - 1) * (2**64) / (kth + 1))


class Reservoir:
    """A seeded uniform sample of at most ``size`` numbers, for percentiles."""

    def __init__(self, size: int = RESERVOIR, seed: int = 0) -> None:
        self.size = size
        self.values: list[int] = []
        self.seen = 0
        self._rng = Random(seed)

    def add(self, value: int) -> None:
        """Offer one value."""
        self.seen += 1
        if len(self.values) < self.size:
            self.values.append(value)
        else:
            slot = self._rng.randrange(self.seen)
            if slot < self.size:
                self.values[slot] = value

    def percentile(self, p: float) -> int:
        """Nearest-rank percentile of the sample: the smallest value with p% at or below it.

        >>> r = Reservoir(); [r.add(v) for v in range(1, 21)] and None
        >>> r.percentile(5), r.percentile(50), r.percentile(95), r.percentile(100)
        (1, 10, 19, 20)
        """
        ordered = sorted(self.values)
        if not ordered:
            return 0
        rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100)
        return ordered[int(rank) - 1]


@dataclass(frozen=True)
class Bins:
    """Equal-width integer bins ``[start + i*width, start + (i+1)*width)``; larger values overflow."""

    start: int
    width: int
    count: int

    @classmethod
    def fit(cls, counts: Mapping[int, int], max_bins: int = HISTOGRAM_BINS) -> Bins:
        """Bins of a 1-2-5 width from the smallest value to the 99th percentile, at most ``max_bins``.

        The top 1% (at most) lands in the open-ended overflow bin, so one very long
        text cannot squash every other bar into the first bin.

        >>> Bins.fit({3: 1, 4: 2, 9: 1})
        Bins(start=3, width=1, count=7)
        >>> Bins.fit({v: 1 for v in range(0, 500)})
        Bins(start=0, width=20, count=25)
        """
        if not counts:
            return cls(0, 1, 1)
        low = min(counts)
        high = _weighted_percentile(counts, 99)
        magnitude = 1
        while True:
            for nice in _NICE_WIDTHS:
                width = nice * magnitude
                bins = high // width - low // width + 1
                if bins <= max_bins:
                    return cls(low // width * width, width, bins)
            magnitude *= 10

    def histogram(self, counts: Mapping[int, int]) -> dict[str, Any]:
        """Counts per bin as JSON: start, width, counts, overflow (values past the last bin).

        >>> Bins(0, 5, 2).histogram({0: 1, 4: 2, 5: 3, 10: 4, 99: 1})
        {'start': 0, 'width': 5, 'counts': [3, 3], 'overflow': 5}
        """
        bins = [0] * self.count
        overflow = 0
        for value, n in counts.items():
            index = (value - self.start) // self.width
            if 0 <= index < self.count:
                bins[index] += n
            else:  # a label's value below the overall start cannot happen: start is the minimum
                overflow += n
        return {"start": self.start, "width": self.width, "counts": bins, "overflow": overflow}


def _weighted_percentile(counts: Mapping[int, int], p: float) -> int:
    """Nearest-rank percentile of values given as value -> count."""
    total = sum(counts.values())
    rank = max(1, -(-total * p // 100))
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    return max(counts)

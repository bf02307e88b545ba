"""Plan label balancing: how many augmented copies each source record gets, and what is kept.

Oversampling spreads a class's extra records round-robin over its sources in
input order: every source is used once before any is used twice, so source j
(0-based) of a class with c records and e extra gets e // c copies, plus one
more when j < e mod c.  Undersampling keeps a seeded random choice of exactly
the target number of a larger class's records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from random import Random

from augtool.errors import OptionError, UsageError


def resolve_targets(counts: Mapping[str, int], target: str | Mapping[str, float]) -> dict[str, int]:
    """The wanted count per label from 'max', 'mean', an integer, or ratios of the largest class.

    >>> resolve_targets({"a": 10, "b": 4, "c": 1}, "max")
    {'a': 10, 'b': 10, 'c': 10}
    >>> resolve_targets({"a": 10, "b": 4, "c": 1}, "mean")
    {'a': 5, 'b': 5, 'c': 5}
    >>> resolve_targets({"a": 10, "b": 4}, {"a": 1.0, "b": 0.5})
    {'a': 10, 'b': 5}
    """
    if not counts:
        return {}
    largest = max(counts.values())
    if isinstance(target, Mapping):
        unknown = sorted(set(target) - set(counts))
        if unknown:
            raise UsageError(f"the target file names labels not in the data: {', '.join(unknown)}")
        return {label: round(target.get(label, 1.0) * largest) for label in counts}
    if target == "max":
        wanted = largest
    elif target == "mean":
        wanted = round(sum(counts.values()) / len(counts))
    else:
        try:
            wanted = int(target)
        except ValueError:
            raise OptionError("target", f"takes max, mean, a number or a .json/.toml file, not {target!r}") from None
        if wanted < 1:
            raise OptionError("target", f"must be at least 1, not {wanted}")
    return dict.fromkeys(counts, wanted)


@dataclass(frozen=True)
class LabelPlan:
    """What happens to one label: its count now, the target, and how to get there."""

    count: int
    target: int
    undersample: bool

    @property
    def extra(self) -> int:
        """Augmented records to add."""
        return max(0, self.target - self.count)

    @property
    def kept(self) -> int:
        """Source records kept."""
        return min(self.count, self.target) if self.undersample else self.count

    def copies_for(self, position: int) -> int:
        """Copies for the source at this position within its label (round robin).

        >>> [LabelPlan(4, 11, False).copies_for(j) for j in range(4)]
        [2, 2, 2, 1]
        """
        if not self.extra:
            return 0
        return self.extra // self.count + (position < self.extra % self.count)


def kept_positions(label: str, count: int, keep: int, seed: int) -> set[int]:
    """Which positions of an undersampled label stay: a seeded choice of exactly ``keep``."""
    key = hashlib.blake2b(f"{seed}\x1f{label}".encode(), digest_size=8).digest()
    return set(Random(int.from_bytes(key, "big")).sample(range(count), keep))

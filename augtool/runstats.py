"""What a run did: counts per input and in total, as the CLI prints them and the manifest records them."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    dropped: int = 0  # copies not written: duplicates (--dedup), no safe change, label flips
    non_english: int = 0  # records --lang kept from the English-only operations
    workers: int = 1  # worker processes of this run (--workers)
    duplicates: int = 0  # of ``dropped``: equal to their source or a sibling after the retries
    flipped: int = 0  # of ``dropped``: read as another label (--filter-by-label)

    def count_output(self, lines: int, copies: int, unchanged: int, dropped: int, non_english: int,
                     duplicates: int = 0, flipped: int = 0) -> None:
        """Add records that made output: their output lines (``copies`` of them copies) and the rest of their counts."""
        self.copies += copies
        self.originals += lines - copies
        self.unchanged += unchanged
        self.dropped += dropped
        self.non_english += non_english
        self.duplicates += duplicates
        self.flipped += flipped

    @property
    def unsafe(self) -> int:
        """Of ``dropped``: copies no operation could make without breaking a guard."""
        return self.dropped - self.duplicates - self.flipped

    @property
    def written(self) -> int:
        """Output records: originals plus augmented copies."""
        return self.originals + self.copies

    def summary(self, destination: str) -> str:
        """One line for stderr."""
        rate = (self.read - self.resumed) / self.seconds if self.seconds > 0 else 0.0
        resumed = f" ({self.resumed:,} of them by the interrupted run)" if self.resumed else ""
        return (
            f"augtool: read {_count(self.read, 'record')}{resumed}; wrote {self.written:,} to {destination} "
            f"({_count(self.originals, 'original')} + {_count(self.copies, 'copy', 'copies')}); "
            f"{self.unchanged:,} passed through unchanged; {self.rejected:,} rejected; "
            + (f"{_count(self.dropped, 'copy', 'copies')} not written ({self._why_not_written()}); "
               if self.dropped else "")
            + (f"{self.non_english:,} not English (see --lang); " if self.non_english else "")
            + f"{self.seconds:.2f} s, {rate:,.0f} records/s"
            + (f" ({self.workers} workers, {rate / self.workers:,.0f} records/s each)" if self.workers > 1 else "")
        )

    def _why_not_written(self) -> str:
        """The reasons copies were not written, each with its count: "12 duplicates, 3 no safe change"."""
        parts = [(self.duplicates, "duplicate", "duplicates"), (self.unsafe, "no safe change", "no safe change"),
                 (self.flipped, "label flip", "label flips")]
        return ", ".join(_count(n, one, many) for n, one, many in parts if n)

    def counts(self) -> dict[str, int]:
        """The totals, as in the manifest."""
        return {
            "read": self.read,
            "originals": self.originals,
            "copies": self.copies,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "written": self.written,
            # Every copy not written, whatever the reason: the name is older than the reasons.
            "dropped_duplicates": self.dropped,
            "not_written_duplicate": self.duplicates,
            "not_written_no_safe_change": self.unsafe,
            "not_written_label_flip": self.flipped,
            "non_english": self.non_english,
        }


COUNTS = ("read", "originals", "copies", "unchanged", "rejected")


def _count(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the noun it counts: "1 record", "2 records", "1 copy", "4,000 copies".

    >>> _count(1, "record"), _count(1_000, "record"), _count(1, "copy", "copies"), _count(0, "copy", "copies")
    ('1 record', '1,000 records', '1 copy', '0 copies')
    """
    return f"{n:,} {one if n == 1 else many or one + 's'}"

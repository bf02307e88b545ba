"""The names augtool writes into an output directory, in one place: shards, manifests, rejects, resume records, locks.

Anything in an output directory whose name this grammar does not accept is not ours:
``--overwrite``, ``--resume`` and ``verify`` never delete or trust it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MANIFEST = "manifest.json"
# Not .jsonl: no glob for the shards (*.jsonl, *.csv, *.parquet) may pick up the rejected lines.
# Outputs written before kept theirs as rejects.jsonl; the grammar still accepts it.
REJECTS = "rejects.ndjson"
SHARD_PREFIX = "part-"
SHARD_FORMATS = ("jsonl", "csv", "tsv", "parquet")

_TAG = r"s(?P<index>\d{4})of(?P<count>\d{4})"
_GRAMMAR = {
    "shard": re.compile(rf"part-(?:(?P<tag>{_TAG})-)?(?P<number>\d{{5,}})\.(?:(?:jsonl|csv|tsv)(?:\.gz)?|parquet)"),
    "manifest": re.compile(rf"manifest(?:-(?P<tag>{_TAG}))?\.json"),
    "rejects": re.compile(rf"rejects(?:-(?P<tag>{_TAG}))?\.(?:ndjson|jsonl)"),
    "progress": re.compile(rf"\.progress(?:-(?P<tag>{_TAG}))?\.json"),
    "lock": re.compile(rf"\.lock(?:-(?P<tag>{_TAG}))?"),
}


@dataclass(frozen=True)
class Name:
    """A name augtool writes, parsed: its kind, slice tag ("" when unsliced) and whether it is a temporary file."""

    kind: str  # shard, manifest, rejects, progress or lock
    tag: str
    temp: bool
    number: int | None = None  # a shard's number within its slice

    @property
    def slice(self) -> tuple[int, int] | None:
        """(index, count) of the slice the tag names, None when unsliced.

        >>> parse("manifest-s0003of0064.json").slice, parse("manifest.json").slice
        ((3, 64), None)
        """
        return (int(self.tag[1:5]), int(self.tag[7:])) if self.tag else None


def parse(name: str) -> Name | None:
    """A name augtool writes, parsed; None for any other name.

    >>> parse("part-s0003of0064-00012.jsonl.gz")
    Name(kind='shard', tag='s0003of0064', temp=False, number=12)
    >>> parse("part-of-speech.jsonl"), parse("manifest-prod.json"), parse(".draft.tmp"), parse(".lock.tmp")
    (None, None, None, None)
    """
    temp = name.startswith(".") and name.endswith(".tmp")
    base = name[1:-4] if temp else name
    for kind, pattern in _GRAMMAR.items():
        match = pattern.fullmatch(base)
        if match and not (temp and kind == "lock"):
            number = int(match["number"]) if kind == "shard" else None
            return Name(kind, match["tag"] or "", temp, number)
    return None


def classify(name: str) -> tuple[str, str, bool] | None:
    """(kind, slice tag, is a temporary file) of a name augtool writes, or None for any other name.

    >>> classify("part-s0003of0064-00012.jsonl.gz"), classify(".manifest.json.tmp")
    (('shard', 's0003of0064', False), ('manifest', '', True))
    """
    parsed = parse(name)
    return None if parsed is None else (parsed.kind, parsed.tag, parsed.temp)


def slice_tag(index: int, count: int) -> str:
    """The slice's part of file names: "" for the whole input, else "s0003of0064".

    >>> slice_tag(3, 64), slice_tag(0, 1)
    ('s0003of0064', '')
    """
    return "" if count == 1 else f"s{index:04d}of{count:04d}"


@dataclass(frozen=True)
class Layout:
    """File names of one run's output: shards, manifest, rejects, progress, lock (per slice)."""

    tag: str = ""  # "" for an unsliced run, else e.g. "s0003of0064"
    compress: str | None = None  # None or "gzip"
    format: str = "jsonl"  # the shards' format: jsonl, csv, tsv or parquet (augtool.formats)

    def shard(self, number: int) -> str:
        """Name of shard ``number``: part-00000.jsonl, part-s0003of0064-00000.jsonl.gz, part-00000.parquet."""
        middle = f"{self.tag}-" if self.tag else ""
        suffix = f".{self.format}" + (".gz" if self.compress == "gzip" else "")
        return f"{SHARD_PREFIX}{middle}{number:05d}{suffix}"

    @property
    def manifest(self) -> str:
        """manifest.json, or manifest-<tag>.json for a slice (merged later)."""
        return f"manifest-{self.tag}.json" if self.tag else MANIFEST

    @property
    def rejects(self) -> str:
        """rejects.ndjson, or rejects-<tag>.ndjson for a slice."""
        return f"rejects-{self.tag}.ndjson" if self.tag else REJECTS

    @property
    def progress(self) -> str:
        """The hidden resume record, rewritten after each published shard."""
        return f".progress-{self.tag}.json" if self.tag else ".progress.json"

    @property
    def lock(self) -> str:
        """The lock file held while a run writes (removed when it ends)."""
        return f".lock-{self.tag}" if self.tag else ".lock"

    def owns(self, name: str) -> bool:
        """Whether a name in the output directory is one this run (its slice) writes."""
        parsed = parse(name)
        return parsed is not None and parsed.tag == self.tag

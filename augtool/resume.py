"""Resuming a directory run: the fingerprint of what decides the output, and the hidden resume record.

A directory run keeps ``.progress.json`` beside its shards, written when it starts and
rewritten atomically after each shard is published: the shards so far, the input
position just after them, the counts, the rejects written, and the fingerprint.
``--resume`` reads it back (as untrusted input: every name is checked), and the
driver skips what is done; the remaining shards come out byte-identical to an
uninterrupted run's because shard boundaries depend only on the input and the options.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson

from augtool import __version__
from augtool.errors import InputError, OutputError, UsageError
from augtool.files import write_atomic
from augtool.inputs import content_fingerprint, file_ids
from augtool.manifest import PROGRESS_FORMAT, ShardInfo, is_sha256, parse_inputs, parse_shards, read_json_record, whole
from augtool.names import Layout, parse
from augtool.parallel import PipelineSpec
from augtool.rejects import RejectWriter
from augtool.runstats import COUNTS, InputStats, RunStats
from augtool.slicing import BLOCK, Slice
from augtool.writers import ShardWriter


@dataclass
class Position:
    """Where the next record to process is: input index, line number, output lines to skip."""

    input: int = 0
    line: int = 0
    skip: int = 0


def _resource(path: Path | None) -> list[Any] | None:
    """A lexicon, stopword or synonym file as the fingerprint sees it: path and content."""
    if path is None:
        return None
    try:
        return [str(path), content_fingerprint(str(path))]
    except InputError:
        return [str(path), None]  # loading it fails later, with the resource's own error


def fingerprint(
    spec: PipelineSpec,
    inputs: list[InputStats],
    shard_size: int,
    part: Slice,
    compress: str | None,
    rejects: Path | None = None,
    formats: tuple[str | None, str] = (None, "jsonl"),
    limit: int | None = None,
) -> str:
    """A hash of everything that decides the output, to refuse a mismatched resume.

    ``formats`` is (--input-format, the shards' format).
    """
    data = {
        "version": __version__,
        "options": spec.options.to_json(),
        "lexicon": _resource(spec.lexicon),
        "stopwords": _resource(spec.stopwords),
        "synonyms": _resource(spec.synonyms),
        "inputs": [[entry.path, entry.content] for entry in inputs],
        "shard_size": shard_size,
        "slice": [part.index, part.count, BLOCK],
        "compress": compress,
        "rejects": str(rejects.resolve()) if rejects is not None else None,
    }
    if formats != (None, "jsonl"):  # only then, so that a JSONL run's fingerprint is what it always was
        data["formats"] = list(formats)
    if limit is not None:
        data["limit"] = limit
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()


class ResumeRecord:
    """The hidden resume record of a directory run, rewritten after each published shard.

    The driver keeps ``at`` on the record being written; the shard writer calls
    ``on_publish`` when a shard is complete.
    """

    def __init__(self, path: Path, print_: str, writer: ShardWriter, stats: RunStats, rejects: RejectWriter,
                 where: dict[str, str]) -> None:
        self.path = path
        self.at = (0, 0)  # (input index, line) of the record whose lines are being written
        self._print = print_
        self._writer = writer
        self._stats = stats
        self._rejects = rejects
        self._where = where

    def save(self, position: Position) -> None:
        """Write the record for ``position`` (the counts are those of the records before it)."""
        stats = self._stats
        record = {
            "format": PROGRESS_FORMAT,
            "fingerprint": self._print,
            "shards": [asdict(s) for s in self._writer.shards],
            "position": asdict(position),
            "stats": {**stats.counts(), "inputs": [asdict(i) for i in stats.inputs]},
            "rejects": self._where,
            "rejects_state": self._rejects.state(),
        }
        write_atomic(self.path, orjson.dumps(record))

    def on_publish(self, shard: ShardInfo, lines_of_call: int | None) -> None:
        """After a shard is published: its record is split after ``lines_of_call`` output lines."""
        number, line = self.at
        if lines_of_call is None:  # the last shard, at close: nothing is left to do
            number, line, lines_of_call = sys.maxsize, 0, 0
        # The current record's counts are added after its lines are written, so the
        # saved counts are exactly those of the records before it.
        self.save(Position(number, line, lines_of_call))


def check_record(record: Any, layout: Layout, count: int) -> list[ShardInfo]:
    """The shards of a resume record, after checking its every field (ValueError when malformed)."""
    if not isinstance(record, dict) or record.get("format") != PROGRESS_FORMAT:
        raise ValueError("not an augtool resume record of this version")
    if not is_sha256(record.get("fingerprint")):
        raise ValueError("bad 'fingerprint'")
    shards = parse_shards(record.get("shards"), layout.tag)
    if [s.file for s in shards] != [layout.shard(n) for n in range(len(shards))]:
        raise ValueError("the shards are not numbered 0, 1, 2, ... with this run's names")
    position, saved, state = record.get("position"), record.get("stats"), record.get("rejects_state")
    if not isinstance(position, dict) or not all(whole(position.get(k)) for k in ("input", "line", "skip")):
        raise ValueError("bad 'position'")
    if not isinstance(saved, dict) or not all(whole(saved.get(k)) for k in (*COUNTS, "dropped_duplicates")) or not all(
        whole(saved.get(k, 0)) for k in ("non_english", "not_written_duplicate", "not_written_label_flip")
    ):
        raise ValueError("bad 'stats'")
    try:
        parse_inputs(saved.get("inputs"), count)
    except ValueError:
        raise ValueError("bad 'stats.inputs'") from None
    if not isinstance(state, dict) or not (whole(state.get("bytes")) and whole(state.get("records"))
                                           and is_sha256(state.get("sha256"))):
        raise ValueError("bad 'rejects_state'")
    return shards


def restore(
    directory: Path, layout: Layout, print_: str, writer: ShardWriter, stats: RunStats, inputs: list[str]
) -> tuple[Position, dict[str, Any]]:
    """Load the resume record, check it and the files it lists, remove the unfinished shard; say where to go on."""
    path = directory / layout.progress
    again = "; use --overwrite to start again"
    try:
        record = read_json_record(path)
        shards = check_record(record, layout, len(inputs))
    except (OSError, ValueError) as exc:
        raise OutputError(f"cannot resume: {path} is not a usable resume record ({exc}){again}") from exc
    if record["fingerprint"] != print_:
        raise UsageError(
            f"cannot resume in {directory}: the options, resources, shard size, slice, rejects file or input "
            "contents differ from the interrupted run's; rerun with the same ones, or use --overwrite to start again"
        )
    for shard in shards:
        try:
            info = os.lstat(directory / shard.file)
        except OSError:
            info = None
        if info is None or not stat.S_ISREG(info.st_mode) or info.st_size != shard.bytes:
            raise OutputError(f"cannot resume: shard {shard.file} is missing or changed since it was written{again}")
    listed = {s.file for s in shards}
    unfinished = layout.shard(len(shards))  # renamed after the last record was written
    inputs_ids = file_ids(inputs)
    for name in sorted(os.listdir(directory)):
        kind = parse(name)
        if kind is None or kind.kind != "shard" or kind.tag != layout.tag or name in listed:
            continue
        info = os.lstat(directory / name)
        # Unlinking a symlink leaves its target alone; anything but a file or a link is not ours.
        if not (kind.temp or name == unfinished) or not (
            stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)
        ) or (info.st_dev, info.st_ino) in inputs_ids:
            raise OutputError(f"cannot resume: {directory / name} was not written by the interrupted run; "
                              "move it away")
        os.unlink(directory / name)
    writer.shards = shards
    saved = record["stats"]
    for key in COUNTS:
        setattr(stats, key, saved[key])
    restore_counts(stats, saved)
    stats.inputs = [InputStats(e["path"], e["records"], e["rejected"], e.get("content")) for e in saved["inputs"]]
    stats.resumed = stats.read
    position = record["position"]
    return Position(position["input"], position["line"], position["skip"]), record["rejects_state"]


def restore_counts(stats: RunStats, saved: dict[str, Any]) -> None:
    """The counts beside COUNTS, as a resume record or manifest keeps them (checked whole already where required)."""
    stats.dropped = saved["dropped_duplicates"]
    stats.non_english = saved.get("non_english", 0)
    stats.duplicates = saved.get("not_written_duplicate", 0)
    stats.flipped = saved.get("not_written_label_flip", 0)


def finished(directory: Path, layout: Layout, print_: str, stats: RunStats, warn: Callable[[str], None]) -> RunStats:
    """--resume where the run already finished: nothing to do if it is this run, else refuse."""
    path = directory / layout.manifest
    try:
        manifest = read_json_record(path)
    except (OSError, ValueError) as exc:
        raise OutputError(f"cannot resume: {path} is unreadable ({exc})") from exc
    if not isinstance(manifest, dict):
        manifest = {}
    counts = manifest.get("counts")
    if manifest.get("fingerprint") != print_ or not isinstance(counts, dict) or not all(
        whole(counts.get(key)) for key in (*COUNTS, "dropped_duplicates")
    ):
        raise OutputError(f"{directory} already holds a finished run ({layout.manifest}) made with other options "
                          "or inputs; nothing to resume: use --overwrite to replace it")
    for key in COUNTS:
        setattr(stats, key, counts[key])
    restore_counts(stats, counts)
    stats.resumed = stats.read
    warn(f"augtool: {directory} already holds this finished run ({layout.manifest}); nothing left to do")
    return stats

"""Where output lines go: numbered shards in a directory, one file, or a stream (stdout).

Each writer takes whole lines (bytes without their newline) through ``write_lines``;
files appear only when complete (augtool.files.AtomicFile).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from augtool.errors import OutputError
from augtool.files import AtomicFile, output_error
from augtool.manifest import ShardInfo
from augtool.names import Layout


class LineWriter(Protocol):
    """What the driver writes into: every writer below has this method."""

    def write_lines(self, lines: list[bytes]) -> None:
        """Append output lines, each without its newline."""


class OutputFile(LineWriter, Protocol):
    """A single-file output (``-o FILE``): appears whole on ``close``, never when ``discard``-ed."""

    def close(self) -> None:
        """Finish the file and move it into place."""

    def discard(self) -> None:
        """Remove what was written (failed or interrupted run)."""


FileFactory = Callable[[Path, bool], OutputFile]  # (path, gzip) -> writer
_FILE_FORMATS: dict[str, FileFactory] = {}


def register_writer(suffixes: tuple[str, ...], factory: FileFactory) -> None:
    """Write ``-o FILE`` outputs whose names end with one of ``suffixes`` with ``factory(path, gzip)``.

    The writer gets JSON lines (bytes) in ``write_lines``; it must write under a
    temporary name and publish on ``close`` (augtool.files.AtomicFile does both).
    """
    for suffix in suffixes:
        _FILE_FORMATS[suffix] = factory


def file_suffixes() -> tuple[str, ...]:
    """Names that ``-o`` takes as one output file rather than a directory of shards."""
    return (".jsonl", ".jsonl.gz", ".csv", ".csv.gz", ".tsv", ".tsv.gz", ".parquet", *_FILE_FORMATS)


def open_file(path: Path, *, compress: bool, output: Any = None) -> OutputFile:
    """The writer of a single-file output: CSV, TSV or Parquet (``output``), a registered format, else JSONL."""
    if output is not None and output.format != "jsonl":
        return FileWriter(path, compress=compress, output=output)
    for suffix, factory in _FILE_FORMATS.items():
        if path.name.endswith(suffix):
            return factory(path, compress)
    return FileWriter(path, compress=compress)


# Called after each shard is published, with the shard and how many lines of the
# current write_lines call it holds (so a resume can skip exactly those), or None
# when the last shard is published at close.
OnPublish = Callable[[ShardInfo, "int | None"], None]


@dataclass
class ShardWriter:
    """Write lines into numbered shards of at most ``shard_size`` records.

    A shard is written under a hidden temporary name, flushed to disk, and
    renamed only when complete, so a killed run never leaves a partial file
    that looks finished.
    """

    directory: Path
    shard_size: int
    layout: Layout = field(default_factory=Layout)
    shards: list[ShardInfo] = field(default_factory=list)
    on_publish: OnPublish | None = None  # the driver's resume record listens here
    output: Any = None  # augtool.formats.OutputSpec of CSV, TSV or Parquet shards
    _file: Any = None  # an AtomicFile, or a formats.ShardFile (same add/publish/discard)
    _count: int = 0

    def _open(self) -> Any:
        name = self.layout.shard(len(self.shards))
        temp, final = self.directory / f".{name}.tmp", self.directory / name
        if self.layout.format != "jsonl":
            from augtool.formats import open_shard

            return open_shard(temp, final, self.output, compress=self.layout.compress == "gzip")
        return AtomicFile(temp, final, compress=self.layout.compress == "gzip")

    def write_block(self, block: bytes, count: int) -> bool:
        """Append ``count`` whole lines (each ending in a newline) if they leave the open shard unfilled.

        False (nothing written) when they would fill it, or for CSV/Parquet shards: then ``write_lines``.
        """
        if self.layout.format != "jsonl" or self._count + count >= self.shard_size:
            return False
        if self._file is None:
            self._file = self._open()
        self._file.add_block(block)
        self._count += count
        return True

    def write_lines(self, lines: list[bytes]) -> None:
        """Append lines, starting new shards as each one fills."""
        if self._file is not None and self._count + len(lines) < self.shard_size:
            # Common case, the whole record fits in the open shard.
            self._file.add(lines)
            self._count += len(lines)
            return
        done = 0
        while done < len(lines):
            if self._file is None:
                self._file = self._open()
            take = min(len(lines) - done, self.shard_size - self._count)
            self._file.add(lines[done : done + take])
            self._count += take
            done += take
            if self._count >= self.shard_size:
                self._publish(done)

    def _publish(self, lines_of_call: int | None) -> None:
        assert self._file is not None
        digest, size = self._file.publish()
        info = ShardInfo(self._file.final.name, self._count, digest, size)
        self.shards.append(info)
        self._file, self._count = None, 0
        if self.on_publish is not None:
            self.on_publish(info, lines_of_call)

    def close(self) -> list[ShardInfo]:
        """Publish the last, partly filled shard and return every shard written."""
        if self._file is not None:
            self._publish(None)
        return self.shards

    def discard_open(self) -> None:
        """Drop the shard being written (interrupted run): published shards stay."""
        if self._file is not None:
            self._file.discard()
            self._file = None

    def abort(self) -> None:
        """Remove everything this writer made, so a failed run leaves nothing that looks done."""
        self.discard_open()
        for shard in self.shards:
            with contextlib.suppress(OSError):
                (self.directory / shard.file).unlink()
        self.shards.clear()


class FileWriter:
    """Write every line into one file (``-o FILE.jsonl``), which appears only when complete.

    The lines go to a hidden temporary file beside it, with a name of its own,
    so a killed run leaves nothing that looks finished and two runs never share one.
    """

    def __init__(self, path: Path, *, compress: bool, output: Any = None) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise output_error(path.parent, exc) from exc
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        self._file: Any
        if output is not None and output.format != "jsonl":
            from augtool.formats import open_shard

            self._file = open_shard(temp, path, output, compress=compress)
        else:
            self._file = AtomicFile(temp, path, compress=compress)
        self.records = 0

    def write_lines(self, lines: list[bytes]) -> None:
        """Append lines."""
        self._file.add(lines)
        self.records += len(lines)

    def write_block(self, block: bytes, count: int) -> bool:
        """Append ``count`` whole lines (each ending in a newline); False for CSV/Parquet: then ``write_lines``."""
        if not isinstance(self._file, AtomicFile):
            return False
        self._file.add_block(block)
        self.records += count
        return True

    def close(self) -> None:
        """Sync the file and rename it into place."""
        self._file.publish()

    def discard(self) -> None:
        """Remove the temporary file (failed or interrupted run)."""
        self._file.discard()


def _silence(stream: Any) -> None:
    # After a write error nothing more can reach this stream; point its descriptor
    # at /dev/null so the interpreter's last flush does not fail a second time.
    with contextlib.suppress(AttributeError, OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


class StreamWriter:
    """Write lines to a binary stream (stdout), in large chunks."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._buffer: list[bytes] = []
        self._buffered = 0
        # The first record goes out at once (a pipe reader sees data start);
        # after that, lines are sent in chunks.
        self._limit = 1

    def write_lines(self, lines: list[bytes]) -> None:
        """Append lines; they reach the stream in chunks of about a megabyte."""
        self._buffer.extend(lines)
        self._buffered += len(lines)
        if self._buffered >= self._limit:
            self.flush()
            self._limit = 4096

    def write_block(self, block: bytes, count: int) -> bool:
        """Append ``count`` whole lines (each ending in a newline)."""
        if not block:
            return True
        self._buffer.append(block[:-1])  # the joined buffer puts its newline back
        self._buffered += count
        if self._buffered >= self._limit:
            self.flush()
            self._limit = 4096
        return True

    def flush(self) -> None:
        """Send what is buffered to the stream.

        A reader that went away (``| head``) raises BrokenPipeError, for the CLI to
        end quietly; any other write error is an OutputError.
        """
        try:
            if self._buffer:
                self._stream.write(b"\n".join(self._buffer) + b"\n")
                self._buffer.clear()
                self._buffered = 0
            self._stream.flush()
        except BrokenPipeError:
            _silence(self._stream)
            raise
        except OSError as exc:
            _silence(self._stream)
            raise OutputError(f"cannot write to stdout: {exc.strerror or exc}") from exc


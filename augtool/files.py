"""The one way augtool makes a file: under a temporary name, synced, then renamed into place.

A reader (or a crash) sees the old file or the new one, never half of one.  Shards,
single-file outputs, manifests, resume records and reports all go through ``AtomicFile``.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
from pathlib import Path
from typing import BinaryIO

from augtool.errors import OutputError

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_WRITE_CHUNK = 1 << 20


def output_error(path: Path | str, exc: OSError, what: str = "") -> OutputError:
    """An OSError met while writing ``path``, as the user sees it."""
    return OutputError(f"cannot write {what}{path}: {exc.strerror or exc}")


def create(path: Path) -> int:
    """Create ``path`` afresh for writing, never through a symlink (a leftover file or link is removed)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o666)


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` survive a crash (skipped where a directory cannot be synced)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class _Sink:
    """The raw file under an atomic file: counts and hashes the bytes that reach the disk."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


class AtomicFile:
    """A file written under the temporary name ``temp`` and renamed to ``final`` when complete.

    Every failure is an OutputError naming ``final`` (``what`` goes before the path).
    """

    def __init__(self, temp: Path, final: Path, *, compress: bool = False, what: str = "") -> None:
        self.temp, self.final, self._what = temp, final, what
        try:
            self._raw = os.fdopen(create(temp), "wb")
        except OSError as exc:
            raise output_error(final, exc, what) from exc
        self._sink = _Sink(self._raw)
        # mtime=0 and no file name in the header: the same records give the same bytes.
        self._gzip = gzip.GzipFile(filename="", mode="wb", fileobj=self._sink, mtime=0) if compress else None
        self._buffer: list[bytes] = []
        self._buffered = 0

    def add(self, lines: list[bytes]) -> None:
        """Append lines (each gets a newline); they reach the file in chunks of about a megabyte."""
        self._buffer += lines
        self._buffered += sum(map(len, lines)) + len(lines)
        if self._buffered >= _WRITE_CHUNK:
            self.flush()

    def add_block(self, block: bytes) -> None:
        """Append bytes that are whole lines already, each ending in a newline."""
        if block:
            self.flush()  # what ``add`` buffered goes first
            self.write(block)  # a block is a batch, large enough to go out as it is

    def flush(self) -> None:
        """Write out what is buffered."""
        if self._buffer:
            data = b"\n".join(self._buffer) + b"\n"
            self._buffer.clear()
            self._buffered = 0
            self.write(data)

    def write(self, data: bytes) -> None:
        """Append bytes as they are."""
        try:
            (self._gzip or self._sink).write(data)
        except OSError as exc:
            raise output_error(self.final, exc, self._what) from exc

    def publish(self) -> tuple[str, int]:
        """Flush, sync to disk and rename into place; return the file's sha256 and size."""
        self.flush()
        try:
            if self._gzip is not None:
                self._gzip.close()  # writes the gzip trailer
            self._raw.flush()
            os.fsync(self._raw.fileno())
            self._raw.close()
            os.replace(self.temp, self.final)
        except OSError as exc:
            raise output_error(self.final, exc, self._what) from exc
        fsync_dir(self.final.parent)
        return self._sink.sha256.hexdigest(), self._sink.size

    def discard(self) -> None:
        """Drop the file: close it and remove the temporary name (best effort: this runs on failures)."""
        for close in (self._gzip.close if self._gzip else None, self._raw.close):
            if close is not None:
                with contextlib.suppress(OSError, ValueError):
                    close()
        with contextlib.suppress(OSError):
            os.unlink(self.temp)


def write_atomic(path: Path, data: bytes, *, what: str = "") -> None:
    """Write a small file whole (a manifest, a resume record, a report): OutputError on failure."""
    file = AtomicFile(path.with_name(f".{path.name}.tmp"), path, what=what)
    try:
        file.write(data)
        file.publish()
    except BaseException:  # an interrupt too: leave no half-written copy behind
        file.discard()
        raise

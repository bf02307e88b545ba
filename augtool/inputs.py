"""Reading inputs: files, stdin, gzip/zstd by content, shard directories and globs; lines and fingerprints.

Every command reads through ``iter_lines`` (raw lines, for the augment driver) or
``augtool.records.read_records`` (parsed records with one error policy).
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
import os
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from augtool.errors import InputError
from augtool.names import SHARD_PREFIX

STDIO = "-"
GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def display(path: str) -> str:
    """How an input is named in messages and manifests."""
    return "<stdin>" if path == STDIO else path


class _CorruptData(Exception):
    """Compressed input that does not decode (raised inside the reading generator)."""


class _ZstdReader(io.RawIOBase):
    """Decompress a stream of zstd frames; a stream that stops inside a frame raises EOFError.

    zstandard's own ``stream_reader`` ends quietly at a cut, so a truncated file
    would lose its tail with no error.
    """

    def __init__(self, raw: BinaryIO) -> None:
        import zstandard

        self._raw = raw
        self._new = zstandard.ZstdDecompressor().decompressobj
        self._error = zstandard.ZstdError
        self._frame = self._new()
        self._in_frame = False  # bytes of a frame not yet finished have been fed
        self._out = b""
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._at >= len(self._out):
            chunk = self._raw.read(1 << 16)
            if not chunk:
                if self._in_frame:
                    raise EOFError("the zstd stream ends inside a frame")
                return 0
            self._out, self._at = self._feed(chunk), 0
        n = min(len(buffer), len(self._out) - self._at)
        buffer[:n] = self._out[self._at : self._at + n]
        self._at += n
        return n

    def _feed(self, data: bytes) -> bytes:
        out = []
        while data:
            try:
                out.append(self._frame.decompress(data))
            except self._error as exc:
                raise _CorruptData(f"zstd: {exc}") from exc
            self._in_frame = not self._frame.eof
            if self._in_frame:
                break
            data = self._frame.unused_data  # the next frame starts here
            self._frame = self._new()
        return b"".join(out)


def open_input(path: str) -> BinaryIO:
    """Open a path or stdin for binary reading, decompressing gzip/zstd by content."""
    if path == STDIO:
        raw: BinaryIO = sys.stdin.buffer
    else:
        try:
            raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
        except OSError as exc:
            raise InputError(path, 0, f"cannot open: {exc.strerror or exc}") from exc
    if not isinstance(raw, io.BufferedReader):
        raw = io.BufferedReader(raw)  # type: ignore[type-var]
    head = raw.peek(4)[:4]
    if head[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if head == ZSTD_MAGIC:
        try:
            import zstandard  # noqa: F401 - optional: pip install 'augtool[zstd]'
        except ImportError as exc:
            raise InputError(path, 0, "zstd input needs: pip install 'augtool[zstd]'") from exc
        return io.BufferedReader(_ZstdReader(raw), 1 << 16)
    return raw


LineReader = Callable[[str], Iterator[tuple[int, bytes]]]
_READERS: dict[str, LineReader] = {}


def register_reader(suffixes: Iterable[str], reader: LineReader) -> None:
    """Read inputs whose names end with one of ``suffixes`` (".csv", ".parquet") with ``reader``.

    ``reader(path)`` yields (row number from 1, one JSON object as bytes) and raises
    InputError(path, row, reason) for a file it cannot read; every command then
    reads that format (augment, balance, stats, preview, evaluate).
    """
    for suffix in suffixes:
        _READERS[suffix.lower()] = reader


# Line numbers and the lines they number, in input order (a range when they follow one another).
Run = tuple[Sequence[int], list[bytes]]
_RUN = 4096  # lines per run from a reader that gives one line at a time
_CHUNK = 1 << 20  # bytes per read of a plain JSONL input
_BOM = b"\xef\xbb\xbf"


def iter_lines(path: str, fmt: str | None = None) -> Iterator[tuple[int, bytes]]:
    """(line number, JSON bytes) of every record of an input: JSONL lines, or rows of a registered format.

    CSV, TSV and Parquet (augtool.formats) are known by their suffix, or named by ``fmt`` (--input-format).
    """
    for numbers, lines in iter_runs(path, fmt):
        yield from zip(numbers, lines)


def iter_runs(path: str, fmt: str | None = None) -> Iterator[Run]:
    """``iter_lines`` in runs of consecutive records: what a reader that skips most records wants.

    A plain JSONL file is read a megabyte at a time and split in one call; a run
    without blank lines costs no Python work per line, so a slice that owns one
    block in K skips the others for almost nothing.  A read error comes after the
    run of the lines read before it.
    """
    from augtool import formats

    found = formats.detect(path, fmt)
    if found != "jsonl":
        return _runs(formats.read_lines(path, found))
    if fmt != "jsonl":
        lowered = path.lower()
        for suffix, reader in _READERS.items():
            if lowered.endswith(suffix):
                return _runs(reader(path))
    return _jsonl_runs(path)


def _runs(lines: Iterator[tuple[int, bytes]]) -> Iterator[Run]:
    """Lines grouped in runs of 1, 2, 4... up to _RUN: a stream's first record still goes out at once."""
    numbers: list[int] = []
    run: list[bytes] = []
    size = 1
    try:
        for number, line in lines:
            numbers.append(number)
            run.append(line)
            if len(run) >= size:
                yield numbers, run
                numbers, run = [], []
                size = min(2 * size, _RUN)
    except InputError:
        if run:
            yield numbers, run
        raise
    if run:
        yield numbers, run


def _jsonl_runs(path: str) -> Iterator[Run]:
    """Runs of the non-blank lines of a JSONL input, without their line ends."""
    fh = open_input(path)
    if not isinstance(fh, io.BufferedReader) or isinstance(fh.raw, _ZstdReader):
        # Compressed (gzip, zstd): line by line, so an error names the line where the data stopped.
        yield from _runs(_jsonl_lines(path, fh))
        return
    number = 0  # lines before the bytes held in `carry`
    carry = b""
    try:
        while True:
            data = fh.read1(_CHUNK)  # what is there: a pipe's first record is not held back
            if not data:
                data, carry = carry, b""  # the last line, with no newline after it
                if not data:
                    return
                cut = len(data)
            else:
                data = carry + data if carry else data
                cut = data.rfind(b"\n")
                if cut < 0:
                    carry = data
                    continue
                carry = data[cut + 1 :]
            run, lines = _plain_run(number, data[:cut])
            number += lines
            if run[1]:
                yield run
    except OSError as exc:
        raise InputError(path, number + 1, f"cannot read: {exc.strerror or exc}") from exc
    finally:
        if path != STDIO:
            fh.close()


def _plain_run(before: int, data: bytes) -> tuple[Run, int]:
    """The lines of ``data`` (whole lines, the last one's newline cut) as a run, lines ``before + 1``...;
    and how many lines ``data`` holds.

    Blank lines are left out and line ends cut: where every line starts with "{" (an
    object, never blank) and none holds a CR, every line is kept as it is, with no
    work per line; else line by line.
    """
    lines = data.split(b"\n")
    n = len(lines)
    if data.count(b"\n{") + data.startswith(b"{") == n and b"\r" not in data:
        return (range(before + 1, before + 1 + n), lines), n
    numbers, kept = [], []
    for number, line in enumerate(lines, before + 1):
        if number == 1 and line.startswith(_BOM):
            line = line[3:]  # a UTF-8 byte-order mark is not part of the JSON
        line = line.rstrip(b"\r")
        if line.strip():
            numbers.append(number)
            kept.append(line)
    return (numbers, kept), n


def _jsonl_lines(path: str, fh: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """Yield (line number, line without its newline) for every non-blank line of an open JSONL input.

    Damaged compressed data (truncated, corrupt, failed checksum) and read errors
    become an InputError at the line where the data stopped.
    """
    number = 0
    try:
        stream = fh if isinstance(fh, io.BufferedReader) else io.BufferedReader(fh)  # type: ignore[type-var]
        for number, line in enumerate(stream, 1):
            if number == 1 and line.startswith(_BOM):
                line = line[3:]  # a UTF-8 byte-order mark is not part of the JSON
            line = line.rstrip(b"\r\n")
            if line.strip():
                yield number, line
    except EOFError as exc:
        raise InputError(path, number + 1, "truncated compressed file: it ends before its end marker") from exc
    except (gzip.BadGzipFile, zlib.error, _CorruptData) as exc:
        raise InputError(path, number + 1, f"corrupt compressed data: {exc}") from exc
    except OSError as exc:
        raise InputError(path, number + 1, f"cannot read: {exc.strerror or exc}") from exc
    finally:
        if path != STDIO:
            fh.close()


def check_inputs(inputs: Iterable[str]) -> None:
    """Fail before any output is made when an input file is missing or is a directory."""
    for path in inputs:
        if path == STDIO:
            continue
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            raise InputError(path, 0, f"cannot open: {exc.strerror or exc}") from exc
        if stat.S_ISDIR(mode):
            raise InputError(path, 0, "cannot open: it is a directory")
        if stat.S_ISREG(mode) and not os.access(path, os.R_OK):
            raise InputError(path, 0, "cannot open: Permission denied")


_WHOLE_HASH_LIMIT = 32 << 20
_SAMPLES = 16


def content_fingerprint(path: str) -> str | None:
    """Size and sha256 of a regular file's bytes (None for stdin, a pipe or a device).

    Files up to 32 MiB are hashed whole; larger ones by 16 blocks of 1 MiB spread
    evenly from the first byte to the last, so that checking a 100 GB input set
    stays cheap.  A change that keeps the size and misses every block goes unseen.
    """
    if path == STDIO:
        return None
    try:
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                return None
            digest = hashlib.sha256()
            size = info.st_size
            if size <= _WHOLE_HASH_LIMIT:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
                return f"{size}:sha256:{digest.hexdigest()}"
            block = 1 << 20
            for k in range(_SAMPLES):
                fh.seek((size - block) * k // (_SAMPLES - 1))
                digest.update(fh.read(block))
            return f"{size}:sha256-{_SAMPLES}x1MiB:{digest.hexdigest()}"
    except OSError as exc:
        raise InputError(path, 0, f"cannot read: {exc.strerror or exc}") from exc



def file_ids(paths: Iterable[str]) -> set[tuple[int, int]]:
    """(device, inode) of each existing path, to recognise an input under another name."""
    ids = set()
    for path in paths:
        if path != STDIO:
            try:
                info = os.stat(path)
            except OSError:
                continue
            ids.add((info.st_dev, info.st_ino))
    return ids


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Inputs as files: a directory stands for its finished shards in name order, a glob for its matches.

    A name that exists is taken as it is, even when it holds glob characters.
    """
    out: list[str] = []
    for item in inputs:
        path = Path(item)
        if item != STDIO and path.is_dir():
            shards = sorted(str(p) for p in path.iterdir() if _finished_shard(p.name))
            if not shards:
                raise InputError(item, 0, "directory holds no part-*.jsonl (or .csv, .tsv, .parquet) shards")
            out += shards
        elif item != STDIO and not os.path.lexists(item) and glob.has_magic(item):
            matches = sorted(glob.glob(item))
            if not matches:
                raise InputError(item, 0, "no file matches this pattern")
            out += expand_inputs(matches)
        else:
            out.append(item)
    return out


def _finished_shard(name: str) -> bool:
    # As the globs part-*.jsonl*, part-*.csv* ... would: other tools' part files count too, our temporary files do not.
    return name.startswith(SHARD_PREFIX) and any(f".{fmt}" in name for fmt in _SHARD_SUFFIXES) and (
        not name.endswith(".tmp"))


_SHARD_SUFFIXES = ("jsonl", "csv", "tsv", "parquet")

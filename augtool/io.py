"""Files in and out: JSONL readers, atomic shard writers, manifest, rejects, bundled corpora."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import os
import re
import secrets
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, BinaryIO

import orjson

from augtool.errors import InputError, LexiconError, OutputError, UsageError
from augtool.inflect import Morphology
from augtool.lexicon import Lexicon

STDIO = "-"
GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
LEXICON_FILE = "wordnet-3.0.lex.gz"
EXCEPTIONS_FILE = "english-forms.txt.gz"
STOPWORDS_FILE = "stopwords-en.txt"
MANIFEST = "manifest.json"
REJECTS = "rejects.jsonl"
SHARD_PREFIX = "part-"
PROGRESS_FORMAT = "augtool-progress/1"
_WRITE_CHUNK = 1 << 20
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


# --- bundled corpora -------------------------------------------------------


def corpora_dir() -> Path:
    """Where the bundled data lives: inside an installed wheel, else beside the package."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "corpora", here.parent / "corpora"):
        if candidate.is_dir():
            return candidate
    raise LexiconError(f"bundled corpora not found beside {here}; reinstall augtool")


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Load a lexicon file (the bundled WordNet one by default)."""
    path = path or corpora_dir() / LEXICON_FILE
    try:
        with open(path, "rb") as fh:
            return Lexicon.load(fh)
    except OSError as exc:
        raise LexiconError(f"cannot read lexicon {path}: {exc.strerror or exc}") from exc


def load_morphology(path: Path | None = None) -> Morphology:
    """Load the table of confirmed word forms for inflection (the bundled one by default)."""
    path = path or corpora_dir() / EXCEPTIONS_FILE
    try:
        with open(path, "rb") as fh:
            return Morphology.load(fh)
    except OSError as exc:
        raise LexiconError(f"cannot read word forms {path}: {exc.strerror or exc}") from exc


def read_user_file(path: Path, option: str) -> str:
    """Read a small user text file named by an option (protect list, synonym table)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{option}: cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from exc


@lru_cache(maxsize=4)
def load_stopwords(path: Path | None = None) -> frozenset[str]:
    """Read a stopword list: one word a line, '#' starts a comment."""
    path = path or corpora_dir() / STOPWORDS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"cannot read stopwords {path}: {exc.strerror or exc}") from exc
    words = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return frozenset(w for w in words if w)


# --- reading ---------------------------------------------------------------


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


def _open_input(path: str) -> BinaryIO:
    """Open a path or stdin for binary reading, decompressing gzip/zstd by content."""
    if path == STDIO:
        raw: BinaryIO = sys.stdin.buffer
    else:
        try:
            raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
        except OSError as exc:
            raise InputError(path, 0, f"cannot open: {exc.strerror or exc}") from exc
    if not isinstance(raw, io.BufferedReader):
        raw = io.BufferedReader(raw)  # type: ignore[arg-type]
    head = raw.peek(4)[:4]
    if head[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if head == ZSTD_MAGIC:
        try:
            import zstandard  # noqa: F401 - optional: pip install 'augtool[zstd]'
        except ImportError as exc:
            raise InputError(path, 0, "zstd input needs: pip install 'augtool[zstd]'") from exc
        return io.BufferedReader(_ZstdReader(raw), 1 << 16)  # type: ignore[return-value]
    return raw


def iter_lines(path: str) -> Iterator[tuple[int, bytes]]:
    """Yield (line number, line without its newline) for every non-blank line of a JSONL input.

    Damaged compressed data (truncated, corrupt, failed checksum) and read errors
    become an InputError at the line where the data stopped.
    """
    fh = _open_input(path)
    number = 0
    try:
        stream = fh if isinstance(fh, io.BufferedReader) else io.BufferedReader(fh)  # type: ignore[arg-type]
        for number, line in enumerate(stream, 1):
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
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


# --- names, and the files that describe a run --------------------------------

_TAG = r"s\d{4}of\d{4}"
# Every name augtool writes into an output directory; anything else is not ours.
_GRAMMAR = {
    "shard": re.compile(rf"part-(?:(?P<tag>{_TAG})-)?\d{{5,}}\.jsonl(?:\.gz)?"),
    "manifest": re.compile(rf"manifest(?:-(?P<tag>{_TAG}))?\.json"),
    "rejects": re.compile(rf"rejects(?:-(?P<tag>{_TAG}))?\.jsonl"),
    "progress": re.compile(rf"\.progress(?:-(?P<tag>{_TAG}))?\.json"),
    "lock": re.compile(rf"\.lock(?:-(?P<tag>{_TAG}))?"),
}
_SHA256 = re.compile(r"[0-9a-f]{64}")


def classify(name: str) -> tuple[str, str, bool] | None:
    """(kind, slice tag, is a temporary file) of a name augtool writes, or None for any other name.

    >>> classify("part-s0003of0064-00012.jsonl.gz"), classify(".manifest.json.tmp")
    (('shard', 's0003of0064', False), ('manifest', '', True))
    >>> classify("part-of-speech.jsonl"), classify("manifest-prod.json"), classify(".draft.tmp")
    (None, None, None)
    """
    temp = name.startswith(".") and name.endswith(".tmp")
    base = name[1:-4] if temp else name
    for kind, pattern in _GRAMMAR.items():
        match = pattern.fullmatch(base)
        if match and not (temp and kind == "lock"):
            return kind, match["tag"] or "", temp
    return None


@dataclass
class ShardInfo:
    """One published shard: its file name, record count, size and content hash."""

    file: str
    records: int
    sha256: str
    bytes: int = 0


@dataclass(frozen=True)
class RejectsInfo:
    """A rejects file as a manifest lists it: in the output directory (``file``) or elsewhere (``path``)."""

    file: str | None
    path: str | None = None
    records: int | None = None  # None in manifests written before augtool recorded them
    bytes: int | None = None
    sha256: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The manifest's entry."""
        where = {"file": self.file} if self.file is not None else {"path": self.path}
        return {**where, "records": self.records, "bytes": self.bytes, "sha256": self.sha256}


def read_json_record(path: Path, limit: int = 256 << 20) -> Any:
    """Parse a manifest or resume record, which anyone may have edited: a regular file, no symlink.

    Raises OSError or ValueError; a FIFO or device is refused before any read.
    """
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        if info.st_size > limit:
            raise ValueError(f"{info.st_size:,} bytes is too large")
        return orjson.loads(fh.read())


def _int(value: Any, what: str) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(f"{what} must be a whole number >= 0, not {value!r}")
    return value


def parse_shards(value: Any, tag: str | None = None) -> list[ShardInfo]:
    """The ``shards`` list of a manifest or resume record, checked; ValueError on anything malformed.

    Every name must be a shard name of ours (a plain name, no directory part),
    of slice ``tag`` when one is given.
    """
    if not isinstance(value, list):
        raise ValueError(f"'shards' must be a list, not {type(value).__name__}")
    shards = []
    for entry in value:
        if not isinstance(entry, dict):
            raise ValueError(f"a shard entry must be an object, not {entry!r}")
        name = entry.get("file")
        kind = classify(name) if isinstance(name, str) else None
        if kind is None or kind[0] != "shard" or kind[2] or (tag is not None and kind[1] != tag):
            raise ValueError(f"{name!r} is not a shard name augtool writes" + (f" for slice {tag}" if tag else ""))
        digest = entry.get("sha256")
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise ValueError(f"{name}: 'sha256' must be 64 hex digits")
        shards.append(ShardInfo(name, _int(entry.get("records"), f"{name}: 'records'"), digest,
                                _int(entry.get("bytes", 0), f"{name}: 'bytes'")))
    return shards


def parse_rejects(value: Any) -> list[RejectsInfo]:
    """The ``rejects`` entry of a manifest (null, a name, an object, or a list of them), checked."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, str):  # older manifests, and balance's: the name only
            item = {"file": item}
        if not isinstance(item, dict):
            raise ValueError(f"a rejects entry must be a file name or an object, not {item!r}")
        name, path = item.get("file"), item.get("path")
        if name is not None:
            kind = classify(name) if isinstance(name, str) else None
            if kind is None or kind[0] != "rejects" or kind[2]:
                raise ValueError(f"{name!r} is not a rejects file name augtool writes")
        elif not isinstance(path, str) or not os.path.isabs(path):
            raise ValueError("a rejects entry needs a 'file' in the directory or an absolute 'path'")
        counts = [None if item.get(k) is None else _int(item[k], f"rejects '{k}'") for k in ("records", "bytes")]
        digest = item.get("sha256")
        if digest is not None and (not isinstance(digest, str) or not _SHA256.fullmatch(digest)):
            raise ValueError("rejects 'sha256' must be 64 hex digits")
        out.append(RejectsInfo(name, None if name is not None else path, counts[0], counts[1], digest))
    return out


def _listed(directory: Path, name: str, kind: str, tag: str) -> set[str]:
    """The names a manifest or resume record of ours lists, itself included; ValueError if it is not ours."""
    record = read_json_record(directory / name)
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    if kind == "manifest" and record.get("tool") != "augtool":
        raise ValueError("not an augtool manifest")
    if kind == "progress" and record.get("format") != PROGRESS_FORMAT:
        raise ValueError("not an augtool resume record")
    shards = parse_shards(record.get("shards"), tag if (kind == "progress" or tag) else None)
    names = {name} | {s.file for s in shards}
    if kind == "progress":
        # The shard being written when the run stopped: renamed, or still a temporary file.
        names |= {Layout(tag, compress).shard(len(shards)) for compress in (None, "gzip")}
    names |= {r.file for r in parse_rejects(record.get("rejects")) if r.file is not None}
    return names | {f".{n}.tmp" for n in names if n.startswith(SHARD_PREFIX)}


def owned_names(directory: Path, tag: str | None = None) -> set[str]:
    """Names in ``directory`` that augtool may delete: listed by a valid manifest or resume record of
    ours (of slice ``tag``, or of any slice when None), their temporary files, and stale lock files.

    A manifest or record that does not parse as ours lists nothing, so its files stay foreign.
    """
    names: set[str] = set()
    for name in os.listdir(directory):
        kind = classify(name)
        if kind is None or (tag is not None and kind[1] != tag):
            continue
        what, slice_tag, temp = kind
        if temp and what in ("manifest", "progress"):
            names.add(name)  # a half-written record of ours
        elif what == "lock" and not lock_held(directory / name):
            names.add(name)
        elif what in ("manifest", "progress") and not temp:
            with contextlib.suppress(OSError, ValueError):
                names |= _listed(directory, name, what, slice_tag)
    return names


# --- writing ---------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """File names of one run's output: shards, manifest, rejects, progress, lock (per slice)."""

    tag: str = ""  # "" for an unsliced run, else e.g. "s0003of0064"
    compress: str | None = None  # None or "gzip"

    def shard(self, number: int) -> str:
        """Name of shard ``number``: part-00000.jsonl, part-s0003of0064-00000.jsonl.gz."""
        middle = f"{self.tag}-" if self.tag else ""
        suffix = ".jsonl.gz" if self.compress == "gzip" else ".jsonl"
        return f"{SHARD_PREFIX}{middle}{number:05d}{suffix}"

    @property
    def manifest(self) -> str:
        """manifest.json, or manifest-<tag>.json for a slice (merged later)."""
        return f"manifest-{self.tag}.json" if self.tag else MANIFEST

    @property
    def rejects(self) -> str:
        """rejects.jsonl, or rejects-<tag>.jsonl for a slice."""
        return f"rejects-{self.tag}.jsonl" if self.tag else REJECTS

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
        kind = classify(name)
        return kind is not None and kind[1] == self.tag


def _output_error(path: Path | str, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


def _create(path: Path) -> int:
    """Create ``path`` afresh for writing, never through a symlink (a leftover file or link is removed)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666)


def _fsync_dir(directory: Path) -> None:
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
    """The raw file under a pending file: counts and hashes the bytes that reach the disk."""

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


class _PendingFile:
    """An output file written under a temporary name and renamed into place when complete."""

    def __init__(self, temp: Path, final: Path, *, compress: bool) -> None:
        self.temp, self.final = temp, final
        try:
            self._raw = os.fdopen(_create(temp), "wb")
        except OSError as exc:
            raise _output_error(final, exc) from exc
        self._sink = _Sink(self._raw)  # type: ignore[arg-type]
        # mtime=0 and no file name in the header: the same records give the same bytes.
        self._gzip = gzip.GzipFile(filename="", mode="wb", fileobj=self._sink, mtime=0) if compress else None  # type: ignore[arg-type]
        self._buffer: list[bytes] = []
        self._buffered = 0

    def add(self, lines: list[bytes]) -> None:
        """Append lines; they reach the file in chunks of about a megabyte."""
        self._buffer += lines
        self._buffered += sum(map(len, lines)) + len(lines)
        if self._buffered >= _WRITE_CHUNK:
            self.flush()

    def flush(self) -> None:
        """Write out what is buffered."""
        if self._buffer:
            data = b"\n".join(self._buffer) + b"\n"
            self._buffer.clear()
            self._buffered = 0
            try:
                (self._gzip or self._sink).write(data)
            except OSError as exc:
                raise _output_error(self.final, exc) from exc

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
            raise _output_error(self.final, exc) from exc
        _fsync_dir(self.final.parent)
        return self._sink.sha256.hexdigest(), self._sink.size

    def discard(self) -> None:
        """Drop the file: close it and remove the temporary name (best effort: this runs on failures)."""
        for close in (self._gzip.close if self._gzip else None, self._raw.close):
            if close is not None:
                with contextlib.suppress(OSError, ValueError):
                    close()
        with contextlib.suppress(OSError):
            os.unlink(self.temp)


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
    on_publish: OnPublish | None = None
    position: tuple[int, int] = (0, 0)  # (input index, line) of the record being written
    _file: _PendingFile | None = None
    _count: int = 0

    def _open(self) -> _PendingFile:
        name = self.layout.shard(len(self.shards))
        return _PendingFile(self.directory / f".{name}.tmp", self.directory / name,
                            compress=self.layout.compress == "gzip")

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

    def __init__(self, path: Path, *, compress: bool) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _output_error(path.parent, exc) from exc
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        self._file = _PendingFile(temp, path, compress=compress)
        self.records = 0

    def write_lines(self, lines: list[bytes]) -> None:
        """Append lines."""
        self._file.add(lines)
        self.records += len(lines)

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


def write_atomic(path: Path, data: bytes) -> None:
    """Write a small file so that readers see the old content or the new, never half (OSError on failure)."""
    temp = path.with_name(f".{path.name}.tmp")
    try:
        with os.fdopen(_create(temp), "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:  # an interrupt too: leave no half-written copy behind
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_dir(path.parent)


def write_record(path: Path, data: bytes) -> None:
    """write_atomic for augtool's own records (manifest, resume record): OutputError on failure."""
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise _output_error(path, exc) from exc


def write_manifest(directory: Path, manifest: dict[str, Any], *, name: str = MANIFEST) -> None:
    """Write DIR/manifest.json last: its presence marks a complete run."""
    data = orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    write_record(directory / name, data)


# --- the output directory: lock, emptiness, --overwrite -----------------------


def lock_held(path: Path) -> bool:
    """Whether another process holds the lock file ``path`` (False when it cannot tell)."""
    try:
        import fcntl

        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except (ImportError, OSError):
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
    return False


class OutputLock:
    """An exclusive lock on one run's part of an output directory: all of it, or one slice.

    A lock file (``.lock``, ``.lock-s0003of0064``) held with flock, so the lock goes
    away with the process however it dies, and slices of one job can share a directory.
    """

    def __init__(self, directory: Path, layout: Layout, warn: Callable[[str], None] = lambda message: None) -> None:
        self.path = directory / layout.lock
        self._fd: int | None = None
        self._warn = warn

    def acquire(self) -> None:
        """Take the lock, or raise OutputError naming the run that holds it."""
        try:
            import fcntl
        except ImportError:  # not on a POSIX system: no locking
            return
        for _ in range(20):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o666)
            except OSError as exc:
                raise _output_error(self.path, exc) from exc
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise OutputError(
                    f"another augtool run is writing into {self.path.parent} (it holds {self.path.name}); "
                    "wait for it to end, or choose another directory"
                ) from None
            except OSError as exc:  # a filesystem without flock (some NFS or Lustre mounts)
                self._fd = fd
                self._warn(f"augtool: warning: cannot lock {self.path} ({exc.strerror}): "
                           "make sure no other run writes into this directory")
                return
            # The holder before us may have removed the file between our open and our lock.
            try:
                same = os.stat(self.path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self._fd = fd
                self._refuse_beside_others()
                return
            os.close(fd)
        raise OutputError(f"cannot lock {self.path}: it keeps being replaced")

    def _refuse_beside_others(self) -> None:
        """A slice may share the directory with other slices, not with a running unsliced run (or vice versa)."""
        directory = self.path.parent
        if self.path.name == ".lock":
            others = [n for n in os.listdir(directory) if n.startswith(".lock-") and classify(n)]
        else:
            others = [".lock"]
        busy = [name for name in others if lock_held(directory / name)]
        if busy:
            self.release()
            raise OutputError(f"another augtool run is writing into {directory} (it holds {busy[0]}); "
                              "wait for it to end, or choose another directory")

    def release(self) -> None:
        """Remove the lock file and let go of the lock."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            os.close(self._fd)
            self._fd = None


def make_output_dir(directory: Path) -> None:
    """Create the output directory (and its parents), as an OutputError when impossible."""
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"{directory} exists and is not a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {directory}: {exc.strerror or exc}") from exc


def file_ids(paths: Iterable[str]) -> set[tuple[int, int]]:
    """(device, inode) of each existing path, to recognise an input under another name."""
    ids = set()
    for path in paths:
        if path != STDIO:
            with contextlib.suppress(OSError):
                info = os.stat(path)
                ids.add((info.st_dev, info.st_ino))
    return ids


def prepare_output_dir(
    directory: Path, *, overwrite: bool, layout: Layout | None = None, inputs: Iterable[str] = ()
) -> None:
    """Create the output directory; refuse one holding this run's files unless ``overwrite``.

    An unsliced run wants the directory empty; a slice only minds its own files,
    so the K tasks of an array can share one directory.  ``overwrite`` deletes
    only files a valid manifest or resume record of ours lists (and our temporary
    and stale lock files), never an input, never through a symlink; anything else
    makes it refuse before deleting anything.
    """
    layout = layout or Layout()
    make_output_dir(directory)
    try:
        present = sorted(
            name for name in os.listdir(directory)
            if name != layout.lock and (not layout.tag or layout.owns(name))
        )
    except OSError as exc:
        raise OutputError(f"cannot list {directory}: {exc.strerror or exc}") from exc
    busy = [name for name in present if name.startswith(".lock") and classify(name) and lock_held(directory / name)]
    if busy:
        raise OutputError(f"another augtool run is writing into {directory} (it holds {busy[0]}); wait for it to end")
    if not present:
        return
    if not overwrite:
        raise OutputError(
            f"{directory} is not empty ({len(present)} entries); pass --overwrite to replace "
            "an earlier augtool output, or choose another directory"
        )
    ours = owned_names(directory, layout.tag or None)
    inputs_ids = file_ids(inputs)
    foreign = []
    for name in present:
        info = os.lstat(directory / name)
        if name not in ours or not stat.S_ISREG(info.st_mode):
            foreign.append(name)
        elif (info.st_dev, info.st_ino) in inputs_ids:
            raise OutputError(f"{directory / name} is an input of this run; --overwrite will not delete it")
    if foreign:
        raise OutputError(
            f"{directory} holds files augtool did not write ({', '.join(foreign[:3])}"
            f"{', ...' if len(foreign) > 3 else ''}); --overwrite only deletes the files an augtool "
            "manifest or resume record there lists: move the others away, or choose another directory"
        )
    for name in present:
        try:
            os.unlink(directory / name)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise OutputError(f"cannot delete {directory / name}: {exc.strerror or exc}") from exc


# --- rejects ---------------------------------------------------------------


class RejectWriter:
    """Append rejected lines with their reason to a JSONL file, created on first use.

    The file must not exist yet (it is never written through a symlink or over
    another file), unless ``resume`` holds what the interrupted run had written
    to it: {"bytes", "records", "sha256"} of its first part, checked, then kept.
    """

    def __init__(self, path: Path | None, *, resume: dict[str, Any] | None = None) -> None:
        self.path = path
        self._fh: IO[bytes] | None = None
        self._sha256 = hashlib.sha256()
        self.count = 0
        self.size = 0
        self._ours = False  # whether this run (or the one it resumes) made the file
        if path is not None and resume is not None:
            self._reopen(path, resume)

    def _reopen(self, path: Path, saved: dict[str, Any]) -> None:
        try:
            fd = os.open(path, os.O_RDWR | _NOFOLLOW)
        except FileNotFoundError:
            if saved["bytes"]:
                raise OutputError(f"cannot resume: the rejects file {path} is gone") from None
            return
        except OSError as exc:
            raise OutputError(f"cannot resume: cannot open the rejects file {path}: {exc.strerror or exc}") from exc
        fh = os.fdopen(fd, "r+b")
        kept = fh.read(saved["bytes"])
        self._sha256.update(kept)
        if not stat.S_ISREG(os.fstat(fd).st_mode) or len(kept) != saved["bytes"] or (
            self._sha256.hexdigest() != saved["sha256"] or kept.count(b"\n") != saved["records"]
        ):
            fh.close()
            raise OutputError(f"cannot resume: the rejects file {path} changed since the interrupted run")
        # Keep what the interrupted run had rejected up to its last shard.
        fh.truncate(saved["bytes"])
        fh.seek(saved["bytes"])
        self._fh, self._ours = fh, True
        self.count, self.size = saved["records"], saved["bytes"]

    def state(self) -> dict[str, Any]:
        """What is written so far (flushed), for the resume record."""
        if self._fh is not None:
            self._fh.flush()
        return {"bytes": self.size, "records": self.count, "sha256": self._sha256.hexdigest()}

    def write(self, source: str, line: int, reason: str, raw: bytes | None) -> None:
        """Record one rejected line."""
        self.count += 1
        if self.path is None:
            return
        if self._fh is None:
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666)
            except FileExistsError:
                raise OutputError(f"{self.path} appeared while the run went on; it is not overwritten") from None
            except OSError as exc:
                raise _output_error(self.path, exc) from exc
            self._fh, self._ours = os.fdopen(fd, "wb"), True
        entry = {
            "file": source,
            "line": line,
            "reason": reason,
            "raw": None if raw is None else raw.decode("utf-8", "replace"),
        }
        data = orjson.dumps(entry) + b"\n"
        try:
            self._fh.write(data)
        except OSError as exc:
            raise _output_error(self.path, exc) from exc
        self._sha256.update(data)
        self.size += len(data)

    def info(self, directory: Path | None) -> RejectsInfo | None:
        """The manifest's entry: by name when the file is in ``directory``, else by absolute path."""
        if self.path is None or not self._ours:
            return None
        inside = directory is not None and self.path.parent.resolve() == directory.resolve()
        return RejectsInfo(self.path.name if inside else None, None if inside else str(self.path.resolve()),
                           self.count, self.size, self._sha256.hexdigest())

    def close(self) -> None:
        """Flush, sync and close the file, if any line was rejected."""
        if self._fh is not None:
            fh, self._fh = self._fh, None
            try:
                fh.flush()
                os.fsync(fh.fileno())
            except OSError as exc:
                raise _output_error(self.path or "", exc) from exc
            finally:
                with contextlib.suppress(OSError):
                    fh.close()

    def remove(self) -> None:
        """Delete the file after a failed run, if this run or the one it resumed made it."""
        with contextlib.suppress(OSError):
            self.close()
        if self._ours and self.path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            self._ours = False

"""Files in and out: JSONL readers, atomic shard writers, manifest, rejects, bundled corpora."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import sys
import zlib
from collections.abc import Callable, Iterator
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
_WRITE_CHUNK = 1 << 20


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
            import zstandard  # optional: pip install 'augtool[zstd]'
        except ImportError as exc:
            raise InputError(path, 0, "zstd input needs: pip install 'augtool[zstd]'") from exc
        return zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)  # type: ignore[return-value]
    return raw


def iter_lines(path: str) -> Iterator[tuple[int, bytes]]:
    """Yield (line number, line without its newline) for every non-blank line of a JSONL input.

    Decompression errors become InputError at the line where the data stopped.
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
    except (gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise InputError(path, number + 1, f"corrupt compressed data: {exc}") from exc
    finally:
        if path != STDIO:
            fh.close()


# --- writing ---------------------------------------------------------------


@dataclass
class ShardInfo:
    """One published shard: its file name, record count, size and content hash."""

    file: str
    records: int
    sha256: str
    bytes: int = 0


@dataclass(frozen=True)
class Layout:
    """File names of one run's output: shards, manifest, rejects, progress (per slice)."""

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

    def owns(self, name: str) -> bool:
        """Whether a file in the output directory belongs to this run (its slice)."""
        if not self.tag:
            return _ours(name)
        return self.tag in name and _ours(name)


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
    _buffer: list[bytes] = field(default_factory=list)
    _buffered: int = 0
    _count: int = 0
    _fh: IO[bytes] | None = None
    _hash: Any = None

    def _name(self) -> str:
        return self.layout.shard(len(self.shards))

    def _temp(self) -> Path:
        return self.directory / f".{self._name()}.tmp"

    def _open(self) -> None:
        raw = open(self._temp(), "wb")  # noqa: SIM115 - closed in _publish
        # mtime=0 and no file name in the header: the same records give the same bytes.
        self._fh = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) if self.layout.compress else raw
        self._raw = raw
        self._hash = hashlib.sha256()

    def write_lines(self, lines: list[bytes]) -> None:
        """Append lines, starting new shards as each one fills."""
        if self._fh is not None and self._count + len(lines) < self.shard_size:
            # Common case, the whole record fits in the open shard: no per-line bookkeeping.
            self._buffer += lines
            self._buffered += sum(map(len, lines)) + len(lines)
            self._count += len(lines)
            if self._buffered >= _WRITE_CHUNK:
                self._flush()
            return
        for done, line in enumerate(lines, 1):
            if self._fh is None:
                self._open()
            self._buffer.append(line)
            self._buffered += len(line) + 1
            self._count += 1
            if self._count >= self.shard_size:
                self._publish(done)
            elif self._buffered >= _WRITE_CHUNK:
                self._flush()

    def _flush(self) -> None:
        if self._buffer and self._fh is not None:
            data = b"\n".join(self._buffer) + b"\n"
            self._fh.write(data)
            if not self.layout.compress:
                self._hash.update(data)
            self._buffer.clear()
            self._buffered = 0

    def _publish(self, lines_of_call: int | None) -> None:
        assert self._fh is not None
        self._flush()
        if self._fh is not self._raw:
            self._fh.close()  # writes the gzip trailer into the raw file
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        name = self._name()
        temp = self._temp()
        if self.layout.compress:
            with open(temp, "rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
        else:
            digest = self._hash.hexdigest()
        size = temp.stat().st_size
        os.replace(temp, self.directory / name)
        info = ShardInfo(name, self._count, digest, size)
        self.shards.append(info)
        self._fh, self._count = None, 0
        if self.on_publish is not None:
            self.on_publish(info, lines_of_call)

    def close(self) -> list[ShardInfo]:
        """Publish the last, partly filled shard and return every shard written."""
        if self._fh is not None:
            self._publish(None)
        return self.shards

    def discard_open(self) -> None:
        """Drop the shard being written (interrupted run): published shards stay."""
        if self._fh is not None:
            if self._fh is not self._raw:
                self._fh.close()
            self._raw.close()
            self._temp().unlink(missing_ok=True)
            self._fh = None

    def abort(self) -> None:
        """Remove everything this writer made, so a failed run leaves nothing that looks done."""
        self.discard_open()
        for shard in self.shards:
            (self.directory / shard.file).unlink(missing_ok=True)
        self.shards.clear()


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
        """Send what is buffered to the stream."""
        if self._buffer:
            self._stream.write(b"\n".join(self._buffer) + b"\n")
            self._buffer.clear()
            self._buffered = 0
        self._stream.flush()


def write_atomic(path: Path, data: bytes) -> None:
    """Write a small file so that readers see the old content or the new, never half."""
    temp = path.with_name(f".{path.name}.tmp")
    with open(temp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temp, path)


def write_manifest(directory: Path, manifest: dict[str, Any], *, name: str = MANIFEST) -> None:
    """Write DIR/manifest.json last: its presence marks a complete run."""
    data = orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    write_atomic(directory / name, data)


def _ours(name: str) -> bool:
    return (
        name in (MANIFEST, REJECTS)
        or (name.startswith(("manifest-", "rejects-")) and name.endswith((".json", ".jsonl")))
        or (name.startswith(SHARD_PREFIX) and ".jsonl" in name)
        or (name.startswith(".") and name.endswith(".tmp"))
        or (name.startswith(".progress") and name.endswith(".json"))
    )


def prepare_output_dir(directory: Path, *, overwrite: bool, layout: Layout | None = None) -> None:
    """Create the output directory; refuse one holding this run's files unless ``overwrite``.

    An unsliced run wants the directory empty; a slice only minds its own files,
    so the K tasks of an array can share one directory.
    """
    layout = layout or Layout()
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"{directory} exists and is not a directory")
    directory.mkdir(parents=True, exist_ok=True)
    present = sorted(p.name for p in directory.iterdir() if not layout.tag or layout.owns(p.name))
    if not present:
        return
    if not overwrite:
        raise OutputError(
            f"{directory} is not empty ({len(present)} entries); pass --overwrite to replace "
            "an earlier augtool output, or choose another directory"
        )
    foreign = [name for name in present if not _ours(name)]
    if foreign:
        raise OutputError(
            f"{directory} holds files augtool did not write ({', '.join(foreign[:3])}); "
            "--overwrite only replaces augtool's own output"
        )
    for name in present:
        (directory / name).unlink()


class RejectWriter:
    """Append rejected lines with their reason to a JSONL file, opened on first use."""

    def __init__(self, path: Path | None, *, resume_at: int | None = None) -> None:
        self.path = path
        self._fh: IO[bytes] | None = None
        self.count = 0
        if path is not None and resume_at is not None and path.exists():
            # Keep what the interrupted run had rejected up to its last shard.
            self._fh = open(path, "r+b")  # noqa: SIM115 - closed in close()
            self._fh.truncate(resume_at)
            self._fh.seek(resume_at)

    def tell(self) -> int:
        """Bytes written so far (flushed), for the resume record."""
        if self._fh is None:
            return 0
        self._fh.flush()
        return self._fh.tell()

    def write(self, source: str, line: int, reason: str, raw: bytes | None) -> None:
        """Record one rejected line."""
        self.count += 1
        if self.path is None:
            return
        if self._fh is None:
            self._fh = open(self.path, "wb")  # noqa: SIM115 - closed in close()
        entry = {
            "file": source,
            "line": line,
            "reason": reason,
            "raw": None if raw is None else raw.decode("utf-8", "replace"),
        }
        self._fh.write(orjson.dumps(entry) + b"\n")

    def close(self) -> None:
        """Flush and close the file, if any line was rejected."""
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None

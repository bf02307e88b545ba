"""The rejects file of ``--on-error skip``: each bad line with its file, line number and reason."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path
from typing import IO, Any

import orjson

from augtool.errors import OutputError
from augtool.files import NOFOLLOW, output_error
from augtool.manifest import RejectsInfo


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
            fd = os.open(path, os.O_RDWR | NOFOLLOW)
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
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o666)
            except FileExistsError:
                raise OutputError(f"{self.path} appeared while the run went on; it is not overwritten") from None
            except OSError as exc:
                raise output_error(self.path, exc) from exc
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
            raise output_error(self.path, exc) from exc
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
                raise output_error(self.path or "", exc) from exc
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

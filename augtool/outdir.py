"""The output directory: create it, lock this run's part of it, and clear only augtool's own files.

An unsliced run wants the directory empty; a slice only minds its own files, so the
K tasks of a job array can share one directory.  ``--overwrite`` deletes only files
a valid manifest or resume record of ours lists, never an input, never through a symlink.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from augtool.errors import OutputError
from augtool.files import NOFOLLOW, output_error
from augtool.inputs import file_ids
from augtool.manifest import listed_names
from augtool.names import Layout, parse


def lock_held(path: Path) -> bool:
    """Whether another process holds the lock file ``path`` (False when it cannot tell)."""
    try:
        import fcntl

        fd = os.open(path, os.O_RDONLY | NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
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
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | NOFOLLOW, 0o666)
            except OSError as exc:
                raise output_error(self.path, exc) from exc
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
            others = [n for n in os.listdir(directory) if n.startswith(".lock-") and parse(n)]
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
    busy = [name for name in present if name.startswith(".lock") and parse(name) and lock_held(directory / name)]
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


def owned_names(directory: Path, tag: str | None = None) -> set[str]:
    """Names in ``directory`` that augtool may delete: listed by a valid manifest or resume record of
    ours (of slice ``tag``, or of any slice when None), their temporary files, and stale lock files.

    A manifest or record that does not parse as ours lists nothing, so its files stay foreign.
    """
    names: set[str] = set()
    for name in os.listdir(directory):
        kind = parse(name)
        if kind is None or (tag is not None and kind.tag != tag):
            continue
        if kind.temp and kind.kind in ("manifest", "progress"):
            names.add(name)  # a half-written record of ours
        elif kind.kind == "lock" and not lock_held(directory / name):
            names.add(name)
        elif kind.kind in ("manifest", "progress") and not kind.temp:
            with contextlib.suppress(OSError, ValueError):
                names |= listed_names(directory, name)
    return names


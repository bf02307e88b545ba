"""Check an output directory against its manifest (the files on disk; the manifest itself: augtool.manifest).

A manifest is untrusted input (anyone may have edited it): every field is
checked before use, and only plain names of files augtool writes are opened,
inside the directory, as regular files (never a symlink, FIFO or device).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import stat
import zlib
from pathlib import Path
from typing import Any

from augtool.files import NOFOLLOW
from augtool.formats import count_records, shard_format
from augtool.manifest import RejectsInfo, load, parse_rejects, parse_shards, whole
from augtool.names import MANIFEST, parse
from augtool.outdir import lock_held

_NOFOLLOW = NOFOLLOW | getattr(os, "O_NONBLOCK", 0)


def _read_regular(path: Path) -> tuple[int, str, int]:
    """Newline count (of the decompressed data for .gz), sha256 and size of the file's bytes.

    Opened without following a symlink and refused unless a regular file, so a
    planted link to a device cannot make verify hang or read outside the directory.
    """
    if stat.S_ISLNK(os.lstat(path).st_mode):
        raise ValueError("a symlink, not a regular file")
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW)  # no follow, no wait on a FIFO: also if swapped since
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("not a regular file")
        digest = hashlib.sha256()
        lines = size = 0
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
            lines += chunk.count(b"\n")
        if path.name.endswith(".gz"):
            fh.seek(0)
            lines = 0
            with gzip.GzipFile(fileobj=fh, mode="rb") as unzipped:
                for chunk in iter(lambda: unzipped.read(1 << 20), b""):
                    lines += chunk.count(b"\n")
    return lines, digest.hexdigest(), size


def _check_file(directory: Path, name: str) -> tuple[int, str, int] | str:
    """(lines, sha256, size) of a listed file, or the problem with it."""
    try:
        return _read_regular(directory / name)
    except FileNotFoundError:
        return f"{name}: missing"
    except ValueError as exc:
        return f"{name}: {exc}"
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        return f"{name}: truncated or corrupt gzip ({exc})"
    except OSError as exc:
        return f"{name}: cannot read ({exc.strerror or exc})"


def _check_rejects(directory: Path, entry: RejectsInfo) -> list[str]:
    if entry.file is None:
        return []  # a --rejects file outside the directory: recorded by path, not read
    found = _check_file(directory, entry.file)
    if isinstance(found, str):
        return [found]
    lines, digest, size = found
    problems = []
    if entry.sha256 is not None and (digest != entry.sha256 or size != entry.bytes):
        problems.append(f"{entry.file}: sha256 differs from the manifest (file changed or damaged)")
    if entry.records is not None and lines != entry.records:
        problems.append(f"{entry.file}: {lines} rejected lines, manifest says {entry.records}")
    return problems


def verify(directory: Path) -> list[str]:
    """Everything wrong with ``directory`` compared with its manifest ([] when all is well)."""
    if not directory.is_dir():
        return [f"{directory} is not a directory"]
    names = set(os.listdir(directory))
    kinds = {name: parse(name) for name in names}
    slice_manifests = {n for n, k in kinds.items() if k and k.kind == "manifest" and k.slice and not k.temp}
    if MANIFEST not in names:
        if any(k and k.kind == "progress" and not k.temp for k in kinds.values()):
            return [f"incomplete run in {directory}: run the same augment command with --resume to finish it"]
        if slice_manifests:
            return [f"{directory} holds slice manifests only: run 'augtool manifest merge {directory}' first"]
        return [f"{directory} has no {MANIFEST}: not a finished augtool output"]
    manifest = load(directory / MANIFEST)
    try:
        shards = parse_shards(manifest.get("shards"))
        rejects = parse_rejects(manifest.get("rejects"))
        counts = manifest.get("counts", {})
        if not isinstance(counts, dict) or ("written" in counts and not whole(counts["written"])):
            raise ValueError("bad 'counts'")
    except ValueError as exc:
        return [f"{MANIFEST}: malformed: {exc}"]
    problems: list[str] = []
    listed: dict[str, Any] = {}
    for shard in shards:
        if shard.file in listed:
            problems.append(f"{shard.file}: listed twice in the manifest")
        listed[shard.file] = shard
    # Shards of each slice must be numbered 0..n-1 with no gap.
    numbers: dict[str, list[int]] = {}
    for name in listed:
        shard_name = parse(name)
        assert shard_name is not None and shard_name.number is not None  # parse_shards accepted only shard names
        numbers.setdefault(shard_name.tag, []).append(shard_name.number)
    for tag, seen in numbers.items():
        if sorted(seen) != list(range(len(seen))):
            problems.append(f"shards of {tag or 'the run'} are not numbered 0..{len(seen) - 1}: gap or overlap")
    total = 0
    for name, shard in listed.items():
        found = _check_file(directory, name)
        total += shard.records
        if isinstance(found, str):
            problems.append(found)
            continue
        lines, digest, _ = found
        if digest != shard.sha256:
            problems.append(f"{name}: sha256 differs from the manifest (file changed or damaged)")
        if shard_format(name) != "jsonl":
            try:  # a CSV cell may hold a line break; Parquet counts its rows in its footer
                lines = count_records(directory / name, shard_format(name))
            except Exception as exc:
                problems.append(f"{name}: cannot read its records ({exc})")
                continue
        if lines != shard.records:
            problems.append(f"{name}: {lines} records, manifest says {shard.records}")
    if "written" in counts and total != counts["written"]:
        problems.append(f"the listed shards hold {total} records, but the manifest counts {counts['written']} written")
    for entry in rejects:
        problems += _check_rejects(directory, entry)
    known = set(listed) | {MANIFEST} | {r.file for r in rejects if r.file is not None}
    for name in sorted(names - known):
        kind = kinds[name]
        if name in slice_manifests:
            continue  # kept beside a merged manifest
        if kind and kind.kind == "lock":
            if lock_held(directory / name):
                problems.append(f"{name}: a run is still writing into this directory")
            continue  # left by a run killed after its manifest: harmless
        problems.append(f"{name}: extra file not in the manifest")
    return problems

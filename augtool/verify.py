"""Check an output directory against its manifest, and merge the manifests of slices.

A manifest is untrusted input (anyone may have edited it): every field is
checked before use, and only plain names of files augtool writes are opened,
inside the directory, as regular files (never a symlink, FIFO or device).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import stat
import zlib
from pathlib import Path
from typing import Any

from augtool.errors import OutputError, VerifyError
from augtool.io import (
    MANIFEST,
    RejectsInfo,
    classify,
    lock_held,
    parse_rejects,
    parse_shards,
    read_json_record,
    write_manifest,
)

_SLICE_MANIFEST = re.compile(r"manifest-s(\d{4})of(\d{4})\.json")
_SHARD_NUMBER = re.compile(r"part-(?:(s\d{4}of\d{4})-)?(\d+)\.jsonl(?:\.gz)?")
# Options that every slice of one job must share (the rest, counts and shards, differ).
_SAME = ("tool", "version", "options", "op_versions", "lexicon", "shard_size", "compress")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _load(path: Path) -> dict[str, Any]:
    try:
        manifest = read_json_record(path)
    except (OSError, ValueError) as exc:
        raise VerifyError(f"{path}: unreadable manifest: {getattr(exc, 'strerror', None) or exc}") from exc
    if not isinstance(manifest, dict):
        raise VerifyError(f"{path}: not an augtool manifest (a JSON object)")
    return manifest


def _whole(value: Any) -> bool:
    return type(value) is int and value >= 0


def _check_slice(name: str, manifest: dict[str, Any], index: int, count: int) -> None:
    """Everything merge reads from one slice manifest, checked (VerifyError otherwise)."""
    try:
        if manifest.get("tool") != "augtool":
            raise ValueError("not an augtool manifest")
        part = manifest.get("slice")
        if not isinstance(part, dict) or part.get("index") != index or part.get("count") != count:
            raise ValueError(f"it describes slice {part!r}, not {index} of {count}")
        parse_shards(manifest.get("shards"), f"s{index:04d}of{count:04d}")
        parse_rejects(manifest.get("rejects"))
        counts, inputs = manifest.get("counts"), manifest.get("inputs")
        if not isinstance(counts, dict) or not all(_whole(v) for v in counts.values()) or "written" not in counts:
            raise ValueError("bad 'counts'")
        if not isinstance(inputs, list) or not all(
            isinstance(i, dict) and isinstance(i.get("path"), str) and _whole(i.get("records"))
            and _whole(i.get("rejected")) for i in inputs
        ):
            raise ValueError("bad 'inputs'")
    except ValueError as exc:
        raise VerifyError(f"{name}: malformed slice manifest: {exc}") from exc


def merge_manifests(directory: Path) -> dict[str, Any]:
    """Combine manifest-sIIIIofKKKK.json files into manifest.json; refuse gaps, overlaps, mismatches."""
    found: dict[int, dict[str, Any]] = {}
    counts: set[int] = set()
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        raise OutputError(f"cannot list {directory}: {exc.strerror or exc}") from exc
    for name in names:
        match = _SLICE_MANIFEST.fullmatch(name)
        if not match:
            continue
        manifest = _load(directory / name)
        index, count = int(match[1]), int(match[2])
        _check_slice(name, manifest, index, count)
        counts.add(count)
        found[index] = manifest
    if not found:
        raise OutputError(f"{directory} holds no slice manifests (manifest-sIIIIofKKKK.json) to merge")
    if len(counts) > 1:
        raise VerifyError(f"slice manifests disagree on the number of slices: {sorted(counts)}")
    count = counts.pop()
    missing = sorted(set(range(count)) - set(found))
    if missing:
        shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
        raise VerifyError(f"{len(missing)} of {count} slices have no manifest yet (missing: {shown})")
    first = found[0]
    for index, manifest in sorted(found.items()):
        for key in _SAME:
            if manifest.get(key) != first.get(key):
                raise VerifyError(f"slice {index} was run with a different {key} than slice 0")
        if [i["path"] for i in manifest["inputs"]] != [i["path"] for i in first["inputs"]]:
            raise VerifyError(f"slice {index} read different input files than slice 0")
        if sorted(manifest["counts"]) != sorted(first["counts"]):
            raise VerifyError(f"slice {index} counts other things than slice 0 (another augtool version?)")
        for mine, theirs in zip(manifest["inputs"], first["inputs"]):
            if mine.get("content") != theirs.get("content"):
                raise VerifyError(
                    f"slice {index} read other contents of {mine['path']} than slice 0 (the file changed "
                    "between the runs): rerun the slices that read the old contents"
                )
    slices = [found[i] for i in range(count)]
    totals = {key: sum(m["counts"][key] for m in slices) for key in first["counts"]}
    inputs = [
        {
            "path": entry["path"],
            "records": sum(m["inputs"][n]["records"] for m in slices),
            "rejected": sum(m["inputs"][n]["rejected"] for m in slices),
            "content": entry.get("content"),
        }
        for n, entry in enumerate(first["inputs"])
    ]
    rejects = [r.to_json() for m in slices for r in parse_rejects(m.get("rejects"))]
    merged = {key: first.get(key) for key in _SAME}
    merged.update(
        {
            "slice": {"index": None, "count": count, "block": first["slice"].get("block"), "merged": True},
            "inputs": inputs,
            "counts": totals,
            "rejects": rejects or None,
            "shards": [shard for m in slices for shard in m["shards"]],
        }
    )
    write_manifest(directory, merged)
    return merged


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
    kinds = {name: classify(name) for name in names}
    if MANIFEST not in names:
        if any(k and k[0] == "progress" and not k[2] for k in kinds.values()):
            return [f"incomplete run in {directory}: run the same augment command with --resume to finish it"]
        if any(_SLICE_MANIFEST.fullmatch(n) for n in names):
            return [f"{directory} holds slice manifests only: run 'augtool manifest merge {directory}' first"]
        return [f"{directory} has no {MANIFEST}: not a finished augtool output"]
    manifest = _load(directory / MANIFEST)
    try:
        shards = parse_shards(manifest.get("shards"))
        rejects = parse_rejects(manifest.get("rejects"))
        counts = manifest.get("counts", {})
        if not isinstance(counts, dict) or ("written" in counts and not _whole(counts["written"])):
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
    numbers: dict[str | None, list[int]] = {}
    for name in listed:
        match = _SHARD_NUMBER.fullmatch(name)
        assert match is not None  # parse_shards accepted only shard names
        numbers.setdefault(match[1], []).append(int(match[2]))
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
        if lines != shard.records:
            problems.append(f"{name}: {lines} records, manifest says {shard.records}")
    if "written" in counts and total != counts["written"]:
        problems.append(f"the listed shards hold {total} records, but the manifest counts {counts['written']} written")
    for entry in rejects:
        problems += _check_rejects(directory, entry)
    known = set(listed) | {MANIFEST} | {r.file for r in rejects if r.file is not None}
    for name in sorted(names - known):
        kind = kinds[name]
        if _SLICE_MANIFEST.fullmatch(name):
            continue  # kept beside a merged manifest
        if kind and kind[0] == "lock":
            if lock_held(directory / name):
                problems.append(f"{name}: a run is still writing into this directory")
            continue  # left by a run killed after its manifest: harmless
        problems.append(f"{name}: extra file not in the manifest")
    return problems

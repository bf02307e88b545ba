"""Check an output directory against its manifest, and merge the manifests of slices."""

from __future__ import annotations

import gzip
import hashlib
import re
import zlib
from pathlib import Path
from typing import Any

import orjson

from augtool.errors import OutputError, VerifyError
from augtool.io import MANIFEST, write_manifest

_SLICE_MANIFEST = re.compile(r"manifest-s(\d{4})of(\d{4})\.json")
_SHARD = re.compile(r"part-(?:(s\d{4}of\d{4})-)?(\d{5})\.jsonl(?:\.gz)?")
# Options that every slice of one job must share (the rest, counts and shards, differ).
_SAME = ("tool", "version", "options", "op_versions", "lexicon", "shard_size", "compress")


def _load(path: Path) -> dict[str, Any]:
    try:
        return orjson.loads(path.read_bytes())  # type: ignore[no-any-return]
    except (OSError, orjson.JSONDecodeError) as exc:
        raise VerifyError(f"{path}: unreadable manifest: {exc}") from exc


def merge_manifests(directory: Path) -> dict[str, Any]:
    """Combine manifest-sIIIIofKKKK.json files into manifest.json; refuse gaps, overlaps, mismatches."""
    found: dict[int, dict[str, Any]] = {}
    counts: set[int] = set()
    for path in sorted(directory.glob("manifest-s*of*.json")):
        match = _SLICE_MANIFEST.fullmatch(path.name)
        if not match:
            continue
        manifest = _load(path)
        index, count = int(match[1]), int(match[2])
        if manifest["slice"]["index"] != index or manifest["slice"]["count"] != count:
            raise VerifyError(f"{path.name} describes slice {manifest['slice']}, not {index} of {count}")
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
    slices = [found[i] for i in range(count)]
    totals = {key: sum(m["counts"][key] for m in slices) for key in first["counts"]}
    inputs = [
        {
            "path": entry["path"],
            "records": sum(m["inputs"][n]["records"] for m in slices),
            "rejected": sum(m["inputs"][n]["rejected"] for m in slices),
        }
        for n, entry in enumerate(first["inputs"])
    ]
    merged = {key: first.get(key) for key in _SAME}
    merged.update(
        {
            "slice": {"index": None, "count": count, "block": first["slice"]["block"], "merged": True},
            "inputs": inputs,
            "counts": totals,
            "rejects": [m["rejects"] for m in slices if m.get("rejects")] or None,
            "shards": [shard for m in slices for shard in m["shards"]],
        }
    )
    write_manifest(directory, merged)
    return merged


def _count_lines(path: Path) -> tuple[int, str]:
    """Line count and sha256 of the file's bytes; gzip shards are decompressed to count."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    if path.name.endswith(".gz"):
        lines = 0
        with gzip.open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                lines += chunk.count(b"\n")
    else:
        with open(path, "rb") as fh:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return lines, digest.hexdigest()


def verify(directory: Path) -> list[str]:
    """Everything wrong with ``directory`` compared with its manifest ([] when all is well)."""
    manifest_path = directory / MANIFEST
    if not directory.is_dir():
        return [f"{directory} is not a directory"]
    names = {p.name for p in directory.iterdir()}
    if MANIFEST not in names:
        if any(n.startswith(".progress") for n in names):
            return [f"incomplete run in {directory}: run the same augment command with --resume to finish it"]
        if any(_SLICE_MANIFEST.fullmatch(n) for n in names):
            return [f"{directory} holds slice manifests only: run 'augtool manifest merge {directory}' first"]
        return [f"{directory} has no {MANIFEST}: not a finished augtool output"]
    manifest = _load(manifest_path)
    problems: list[str] = []
    listed: dict[str, dict[str, Any]] = {}
    for shard in manifest.get("shards", []):
        if shard["file"] in listed:
            problems.append(f"{shard['file']}: listed twice in the manifest")
        listed[shard["file"]] = shard
    # Shards of each slice must be numbered 0..n-1 with no gap.
    numbers: dict[str | None, list[int]] = {}
    for name in listed:
        match = _SHARD.fullmatch(name)
        if not match:
            problems.append(f"{name}: not an augtool shard name")
            continue
        numbers.setdefault(match[1], []).append(int(match[2]))
    for tag, seen in numbers.items():
        if sorted(seen) != list(range(len(seen))):
            problems.append(f"shards of {tag or 'the run'} are not numbered 0..{len(seen) - 1}: gap or overlap")
    total = 0
    for name, shard in listed.items():
        path = directory / name
        if not path.exists():
            problems.append(f"{name}: missing")
            continue
        try:
            lines, digest = _count_lines(path)
        except (EOFError, OSError, zlib.error) as exc:
            problems.append(f"{name}: truncated or corrupt gzip ({exc})")
            continue
        if digest != shard["sha256"]:
            problems.append(f"{name}: sha256 differs from the manifest (file changed or damaged)")
        if lines != shard["records"]:
            problems.append(f"{name}: {lines} records, manifest says {shard['records']}")
        total += shard["records"]
    counts = manifest.get("counts", {})
    if "written" in counts and total != counts["written"]:
        problems.append(f"the listed shards hold {total} records, but the manifest counts {counts['written']} written")
    known = set(listed) | {MANIFEST}
    rejects = manifest.get("rejects") or []
    known.update([rejects] if isinstance(rejects, str) else rejects)
    for name in sorted(names - known):
        if _SLICE_MANIFEST.fullmatch(name) or (name.startswith("rejects-") and name.endswith(".jsonl")):
            continue  # kept beside a merged manifest
        problems.append(f"{name}: extra file not in the manifest")
    return problems

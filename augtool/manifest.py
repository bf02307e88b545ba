"""The files that describe a run: the manifest (schema, build, read, merge) and what a resume record lists.

A manifest or resume record is untrusted input (anyone may have edited it): every
field is checked before use, and only plain names of files augtool writes count.
"""

from __future__ import annotations

import os
import stat
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson

from augtool import __version__
from augtool.errors import OutputError, VerifyError
from augtool.files import NOFOLLOW, write_atomic
from augtool.names import MANIFEST, SHARD_FORMATS, SHARD_PREFIX, Layout, parse, slice_tag

SCHEMA = "augtool-manifest/1"
PROGRESS_FORMAT = "augtool-progress/1"
SAME_IN_SLICES = ("tool", "schema", "version", "options", "op_versions", "lexicon", "shard_size", "compress",
                  "format", "limit")  # what every slice of one job must share (counts, inputs and shards differ)


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


# --- checking untrusted fields --------------------------------------------------


def whole(value: Any) -> bool:
    """A count: an int >= 0 (not a bool, not a float)."""
    return type(value) is int and value >= 0


def is_sha256(value: Any) -> bool:
    """64 lower-case hex digits."""
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _int(value: Any, what: str) -> int:
    if not whole(value):
        raise ValueError(f"{what} must be a whole number >= 0, not {value!r}")
    return int(value)


def read_json_record(path: Path, limit: int = 256 << 20) -> Any:
    """Parse a manifest or resume record: a regular file, no symlink (a FIFO or device is refused unread).

    Raises OSError or ValueError.
    """
    fd = os.open(path, os.O_RDONLY | NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        if info.st_size > limit:
            raise ValueError(f"{info.st_size:,} bytes is too large")
        return orjson.loads(fh.read())


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
        kind = parse(name) if isinstance(name, str) else None
        if kind is None or kind.kind != "shard" or kind.temp or (tag is not None and kind.tag != tag):
            raise ValueError(f"{name!r} is not a shard name augtool writes" + (f" for slice {tag}" if tag else ""))
        if not is_sha256(entry.get("sha256")):
            raise ValueError(f"{name}: 'sha256' must be 64 hex digits")
        shards.append(ShardInfo(str(name), _int(entry.get("records"), f"{name}: 'records'"), entry["sha256"],
                                _int(entry.get("bytes", 0), f"{name}: 'bytes'")))
    return shards


def parse_rejects(value: Any) -> list[RejectsInfo]:
    """The ``rejects`` entry of a manifest (null, a name, an object, or a list of them), checked."""
    if value is None:
        return []
    out = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):  # older manifests: the name only
            item = {"file": item}
        if not isinstance(item, dict):
            raise ValueError(f"a rejects entry must be a file name or an object, not {item!r}")
        name, path = item.get("file"), item.get("path")
        if name is not None:
            kind = parse(name) if isinstance(name, str) else None
            if kind is None or kind.kind != "rejects" or kind.temp:
                raise ValueError(f"{name!r} is not a rejects file name augtool writes")
        elif not isinstance(path, str) or not os.path.isabs(path):
            raise ValueError("a rejects entry needs a 'file' in the directory or an absolute 'path'")
        counts = [None if item.get(k) is None else _int(item[k], f"rejects '{k}'") for k in ("records", "bytes")]
        digest = item.get("sha256")
        if digest is not None and not is_sha256(digest):
            raise ValueError("rejects 'sha256' must be 64 hex digits")
        out.append(RejectsInfo(name, None if name is not None else path, counts[0], counts[1], digest))
    return out


def parse_inputs(value: Any, count: int | None = None) -> list[dict[str, Any]]:
    """The per-input counts of a manifest or resume record, checked (``count`` entries when given)."""
    if not isinstance(value, list) or (count is not None and len(value) != count) or not all(
        isinstance(e, dict) and isinstance(e.get("path"), str) and whole(e.get("records"))
        and whole(e.get("rejected")) and (e.get("content") is None or isinstance(e.get("content"), str))
        for e in value
    ):
        raise ValueError("bad 'inputs'")
    return value


def listed_names(directory: Path, name: str) -> set[str]:
    """The names a manifest or resume record of ours lists, itself included; ValueError if it is not ours."""
    parsed = parse(name)
    if parsed is None or parsed.kind not in ("manifest", "progress") or parsed.temp:
        raise ValueError(f"{name} is not a manifest or resume record name")
    record = read_json_record(directory / name)
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    if parsed.kind == "manifest" and record.get("tool") != "augtool":
        raise ValueError("not an augtool manifest")
    if parsed.kind == "progress" and record.get("format") != PROGRESS_FORMAT:
        raise ValueError("not an augtool resume record")
    tag = parsed.tag
    shards = parse_shards(record.get("shards"), tag if (parsed.kind == "progress" or tag) else None)
    names = {name} | {s.file for s in shards}
    if parsed.kind == "progress":
        # The shard being written when the run stopped: renamed, or still a temporary file.
        names |= {Layout(tag, compress, fmt).shard(len(shards)) for compress in (None, "gzip") for fmt in SHARD_FORMATS}
    names |= {r.file for r in parse_rejects(record.get("rejects")) if r.file is not None}
    return names | {f".{n}.tmp" for n in names if n.startswith(SHARD_PREFIX)}


# --- building and writing -------------------------------------------------------


def build(
    *,
    options: dict[str, Any],
    counts: dict[str, int],
    shards: list[ShardInfo],
    rejects: RejectsInfo | None,
    **fields: Any,
) -> dict[str, Any]:
    """A manifest: the fields every command writes, and the command's own ``fields``."""
    return {
        "tool": "augtool",
        "schema": SCHEMA,
        "version": __version__,
        "options": options,
        **fields,
        "counts": counts,
        "rejects": rejects.to_json() if rejects is not None else None,
        "shards": [asdict(shard) for shard in shards],
    }


def write(directory: Path, manifest: dict[str, Any], *, name: str = MANIFEST) -> None:
    """Write DIR/manifest.json last: its presence marks a complete run."""
    data = orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    write_atomic(directory / name, data)


def load(path: Path) -> dict[str, Any]:
    """A manifest as a dict, or VerifyError when it cannot be read or is not a JSON object."""
    try:
        manifest = read_json_record(path)
    except (OSError, ValueError) as exc:
        raise VerifyError(f"{path}: unreadable manifest: {getattr(exc, 'strerror', None) or exc}") from exc
    if not isinstance(manifest, dict):
        raise VerifyError(f"{path}: not an augtool manifest (a JSON object)")
    return manifest


# --- merging the manifests of slices ---------------------------------------------------


def _check_slice(name: str, manifest: dict[str, Any], index: int, count: int) -> None:
    """Everything merge reads from one slice manifest, checked (VerifyError otherwise)."""
    try:
        if manifest.get("tool") != "augtool":
            raise ValueError("not an augtool manifest")
        part = manifest.get("slice")
        if not isinstance(part, dict) or part.get("index") != index or part.get("count") != count:
            raise ValueError(f"it describes slice {part!r}, not {index} of {count}")
        parse_shards(manifest.get("shards"), slice_tag(index, count))
        parse_rejects(manifest.get("rejects"))
        counts = manifest.get("counts")
        if not isinstance(counts, dict) or not all(whole(v) for v in counts.values()) or "written" not in counts:
            raise ValueError("bad 'counts'")
        parse_inputs(manifest.get("inputs"))
    except ValueError as exc:
        raise VerifyError(f"{name}: malformed slice manifest: {exc}") from exc


def slice_manifests(directory: Path) -> dict[int, dict[str, Any]]:
    """The checked slice manifests (manifest-sIIIIofKKKK.json) in ``directory``, all of one slice count."""
    found: dict[int, dict[str, Any]] = {}
    counts: set[int] = set()
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        raise OutputError(f"cannot list {directory}: {exc.strerror or exc}") from exc
    for name in names:
        parsed = parse(name)
        if parsed is None or parsed.kind != "manifest" or parsed.temp or parsed.slice is None:
            continue
        index, count = parsed.slice
        manifest = load(directory / name)
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
    return found


def merge(directory: Path) -> dict[str, Any]:
    """Combine the slice manifests into manifest.json; refuse gaps, overlaps, mismatches."""
    found = slice_manifests(directory)
    first = found[0]
    for index, manifest in sorted(found.items()):
        for key in SAME_IN_SLICES:
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
    slices = [found[i] for i in range(len(found))]
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
    merged = {key: first[key] for key in SAME_IN_SLICES if key in first}
    merged.update(
        {
            "slice": {"index": None, "count": len(slices), "block": first["slice"].get("block"), "merged": True},
            "inputs": inputs,
            "counts": {key: sum(m["counts"][key] for m in slices) for key in first["counts"]},
            "rejects": rejects or None,
            "shards": [shard for m in slices for shard in m["shards"]],
        }
    )
    write(directory, merged)
    return merged

"""One reader and one path language for every command."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from augtool.dataset import dataset_stats
from augtool.errors import InputError
from augtool.records import ReadCounts, read_records

from .conftest import run_cli

CHATS = [
    {"id": 1, "messages": [{"role": "user", "content": "my dog is lazy"}, {"role": "bot", "content": "sorry"}]},
    {"id": 2, "messages": [{"role": "user", "content": "the car is quick"}]},
]


def write(path: Path, records: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def test_stats_reads_the_field_paths_augment_reads(tmp_path: Path) -> None:
    data = write(tmp_path / "chats.jsonl", CHATS)
    report = dataset_stats([str(data)], fields=["messages[*].content"])
    assert report["records"] == 2 and report["rejected_lines"] == 0
    users = dataset_stats([str(data)], fields=["messages[*].content"], field_filter=["role=user"])
    assert users["vocabulary"] == report["vocabulary"] - 1  # "sorry" is the bot's only word


def test_stats_counts_every_field_not_the_last(tmp_path: Path) -> None:
    data = write(tmp_path / "two.jsonl", [{"title": "alpha beta", "body": "gamma"}])
    both = dataset_stats([str(data)], fields=["title", "body"])
    assert both["vocabulary"] == 3 and both["lengths"]["words"]["max"] == 3
    done = run_cli("stats", str(data), "--text-field", "title", "--text-field", "body", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["vocabulary"] == 3  # the old flag, still accepted, counts both


def test_one_error_policy(tmp_path: Path) -> None:
    data = tmp_path / "mixed.jsonl"
    data.write_bytes(b'{"text": "a"}\n[1]\n{oops\n{"text": "b"}\n')
    counts = ReadCounts()
    seen: list[tuple[int, str]] = []
    items = list(read_records([str(data)], on_error="skip", counts=counts,
                              on_reject=lambda name, line, reason, raw: seen.append((line, reason))))
    assert [i.line for i in items] == [1, 4] and counts == ReadCounts(records=2, rejected=2)
    assert seen[0] == (2, "expected a JSON object, got list") and seen[1][1].startswith("invalid JSON")
    with pytest.raises(InputError, match=r"mixed.jsonl:2: expected a JSON object"):
        list(read_records([str(data)]))
    strict = run_cli("stats", str(data), "--on-error", "fail")
    assert strict.returncode == 3 and b"mixed.jsonl:2: expected a JSON object" in strict.stderr


def test_augment_and_stats_read_shard_directories_and_globs(tmp_path: Path) -> None:
    for n in range(2):
        write(tmp_path / f"in-{n}.jsonl", [{"id": n, "text": "the quick dog jumps over the lazy fox"}])
    first = run_cli("augment", str(tmp_path / "in-*.jsonl"), "-o", str(tmp_path / "out"), "-n", "1",
                    "--shard-size", "2", "-q")
    assert first.returncode == 0, first.stderr
    assert len(list((tmp_path / "out").glob("part-*.jsonl"))) == 2
    again = run_cli("augment", str(tmp_path / "out"), "-o", "-", "-n", "0")
    assert again.returncode == 0, again.stderr
    assert len(again.stdout.splitlines()) == 4  # every record of every shard, in shard order
    assert dataset_stats([str(tmp_path / "out")])["records"] == 4


def _unmark(line: str) -> str:
    """The variant a plain preview line shows: deletions dropped, replacements and insertions taken."""
    import re

    body = line.split(": ", 1)[1]
    body = re.sub(r"\[-.*?-\]", "", body)
    body = re.sub(r"\[~.*?=>(.*?)~\]", r"\1", body)
    body = re.sub(r"\{\+(.*?)\+\}", r"\1", body)
    return " ".join(body.split())


def test_preview_shows_exactly_augments_copies(tmp_path: Path) -> None:
    records = [{"id": "a", "text": "The quick brown fox jumps over the lazy dog."},
               {"text": "My happy dog is not lazy, and my car is quick."},
               {"id": 7, "text": "A  house  with  a  lazy  dog."}]
    data = write(tmp_path / "data.jsonl", records)
    flags = ["-n", "3", "--seed", "5", "--ops", "sr,ri,rs,rd"]
    shown = run_cli("preview", "--from", str(data), "--sample", "5", "--no-color", *flags)
    assert shown.returncode == 0, shown.stderr
    wrote = run_cli("augment", str(data), "-o", "-", *flags)
    assert wrote.returncode == 0, wrote.stderr
    copies = [json.loads(line) for line in wrote.stdout.splitlines()]
    expected = [" ".join(c["text"].split()) for c in copies if "_aug" in c]
    lines = [line for line in shown.stdout.decode().splitlines() if line and not line.startswith("original")]
    assert len(lines) == len(expected) == 9
    assert [_unmark(line) for line in lines] == expected
    originals = [line for line in shown.stdout.decode().splitlines() if line.startswith("original")]
    assert originals[2] == "original: A  house  with  a  lazy  dog."  # the text's own spacing


def test_slices_have_their_own_flags_and_the_old_ones_still_work(tmp_path: Path) -> None:
    data = write(tmp_path / "in.jsonl", [{"id": n, "text": "the lazy dog"} for n in range(3)])
    new = run_cli("augment", str(data), "-o", str(tmp_path / "new"), "--num-slices", "2", "--slice-index", "0", "-q")
    old = run_cli("augment", str(data), "-o", str(tmp_path / "old"), "--num-shards", "2", "--shard-index", "0", "-q")
    assert new.returncode == old.returncode == 0, new.stderr + old.stderr
    name = "part-s0000of0002-00000.jsonl"
    assert (tmp_path / "new" / name).read_bytes() == (tmp_path / "old" / name).read_bytes()
    both = run_cli("augment", str(data), "-o", "-", "--num-slices", "2", "--num-shards", "3", "--slice-index", "0")
    assert both.returncode == 2 and b"--num-shards is the old name of --num-slices" in both.stderr
    assert b"--num-shards" not in run_cli("augment", "--help").stdout

"""Shell habits: completion, --dry-run and --limit on the commands that write."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.conftest import run_cli

TEXTS = ["The quick brown fox jumps over the lazy dog.", "A happy dog ran home.", "My car is fast.",
         "The big house stood on the hill.", "She wrote a long letter."]


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


def test_completion_is_installed_and_completes(tmp_path: Path) -> None:
    help_text = run_cli("--help").stdout.decode()
    assert "--install-completion" in help_text and "--show-completion" in help_text
    # Otherwise typer reads the shell from the process tree and ignores "bash": under a make recipe
    # run by /bin/sh it answered "Shell sh not supported" (its own switch for tests, documented in typer).
    script = run_cli("--show-completion", "bash", env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert script.returncode == 0 and b"_augtool_completion" in script.stdout
    # What the shell asks when the user presses TAB after "augtool augment --output-f".
    done = run_cli(env={"_AUGTOOL_COMPLETE": "complete_bash", "COMP_WORDS": "augtool augment --output-f",
                        "COMP_CWORD": "2"}, cwd=tmp_path)
    assert done.stdout.decode().split() == ["--output-format"]


def test_dry_run_counts_and_writes_nothing(tmp_path: Path) -> None:
    a = _jsonl(tmp_path / "a.jsonl", [{"id": i, "text": t} for i, t in enumerate(TEXTS)])
    b = tmp_path / "b.csv"
    b.write_text('id,text\n9,"one, two"\n10,"three\nfour"\n', encoding="utf-8")
    done = run_cli("augment", str(a), str(b), "-o", str(tmp_path / "out"), "--dry-run", "-n", "3",
                   "--shard-size", "10", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout == b""
    assert done.stderr.decode().splitlines() == [
        f"augtool: read: {a} (jsonl): 5 records",
        f"augtool: read: {b} (csv): 2 records",
        "augtool: records: 7 in; at most 21 copies (3 each) + 7 originals = at most 28 out",
        f"augtool: write: {tmp_path / 'out'}: shards part-00000.jsonl, … of up to 10 records, at most 3 of them; "
        "then manifest.json",
        "augtool: nothing was written (--dry-run)",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "b.csv"]


def test_dry_run_of_balance(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "t.jsonl", [{"text": t, "label": "x" if i < 4 else "y"} for i, t in enumerate(TEXTS)])
    done = run_cli("balance", str(src), "-o", str(tmp_path / "bal"), "--dry-run")
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stderr.decode().splitlines()
    assert "augtool: label x: 4 -> 4 (kept)" in lines and "augtool: label y: 1 -> 4 (3 copies)" in lines
    assert lines[-1] == "augtool: nothing was written (--dry-run)" and not (tmp_path / "bal").exists()


def test_limit_takes_the_first_records_of_all_inputs(tmp_path: Path) -> None:
    a = _jsonl(tmp_path / "a.jsonl", [{"id": i, "text": t} for i, t in enumerate(TEXTS[:2])])
    b = _jsonl(tmp_path / "b.jsonl", [{"id": 10 + i, "text": t} for i, t in enumerate(TEXTS[2:])])
    done = run_cli("augment", str(a), str(b), "-o", "-", "--limit", "3", "-n", "1", "--seed", "2")
    assert done.returncode == 0, done.stderr.decode()
    records = [orjson.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in records if "_aug" not in r] == [0, 1, 10]
    # The same copies as without --limit: a record's copies do not depend on what else is read.
    full = run_cli("augment", str(a), str(b), "-o", "-", "-n", "1", "--seed", "2")
    assert done.stdout == b"\n".join(full.stdout.splitlines()[:6]) + b"\n"
    out = tmp_path / "out"
    assert run_cli("augment", str(a), str(b), "-o", str(out), "--limit", "3", "-q").returncode == 0
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["limit"] == 3 and manifest["counts"]["read"] == 3


def test_limit_on_balance(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "t.jsonl", [{"text": t, "label": "x" if i % 2 else "y"} for i, t in enumerate(TEXTS)])
    done = run_cli("balance", str(src), "-o", "-", "--limit", "3", "-q")
    assert done.returncode == 0, done.stderr.decode()
    records = [orjson.loads(line) for line in done.stdout.splitlines()]
    # First 3 records: y, x, y -> x gets one copy of its only record; nothing after the third is read.
    assert [r["text"] for r in records if "_aug" not in r] == TEXTS[:3]
    assert sum("_aug" in r for r in records) == 1


def test_a_multi_worker_run_reports_its_throughput_per_worker(tmp_path: Path) -> None:
    import re

    src = _jsonl(tmp_path / "a.jsonl", [{"id": i, "text": TEXTS[i % 5]} for i in range(50)])
    done = run_cli("augment", str(src), "-o", "-", "-w", "2", "-q")
    assert done.returncode == 0, done.stderr.decode()
    match = re.search(r"([\d,]+) records/s \(2 workers, ([\d,]+) records/s each\)$", done.stderr.decode().strip())
    assert match, done.stderr.decode()
    total, each = (int(g.replace(",", "")) for g in match.groups())
    assert abs(total / 2 - each) <= 1
    single = run_cli("augment", str(src), "-o", "-", "-q").stderr.decode()
    assert "workers" not in single

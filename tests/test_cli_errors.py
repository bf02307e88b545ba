"""Small commands fail cleanly: nothing touched before everything is checked, no figures of nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import run_cli

SENTENCE = "The quick brown fox jumps over the lazy dog."


def labelled(path: Path, extra: list[dict] | None = None) -> Path:
    rows = [{"id": f"a{i}", "text": f"{SENTENCE} {i}", "label": "a"} for i in range(4)]
    rows += [{"id": "b0", "text": SENTENCE, "label": "b"}, *(extra or [])]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """An earlier balance output that a failing --overwrite run must leave alone."""
    out = tmp_path / "out"
    proc = run_cli("balance", str(labelled(tmp_path / "in.jsonl")), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def test_balance_misspelled_op_keeps_the_previous_output(tmp_path: Path, previous: Path) -> None:
    before = snapshot(previous)
    proc = run_cli("balance", str(tmp_path / "in.jsonl"), "-o", str(previous), "--overwrite", "--ops", "sr,rx")
    assert proc.returncode == 2 and "unknown augmenter 'rx'" in proc.stderr.decode()
    assert snapshot(previous) == before


def test_balance_bad_record_that_needs_copies_fails_before_touching_output(tmp_path: Path, previous: Path) -> None:
    before = snapshot(previous)
    source = labelled(tmp_path / "bad.jsonl", [{"id": "c0", "text": None, "label": "c"}])
    proc = run_cli("balance", str(source), "-o", str(previous), "--overwrite")
    assert proc.returncode == 3
    assert f"{source}:6: field 'text' must be a string, got null" in proc.stderr.decode()
    assert snapshot(previous) == before


def test_balance_bad_record_that_needs_no_copies_is_written_as_it_is(tmp_path: Path) -> None:
    source = labelled(tmp_path / "in.jsonl", [{"id": "a9", "text": None, "label": "a"}])
    proc = run_cli("balance", str(source), "-o", "-")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {"id": "a9", "text": None, "label": "a"} in rows
    assert sum(r["label"] == "b" for r in rows) == 5


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["missing.jsonl"], 3, "missing.jsonl:0: cannot open"),
        (["{data}", "--text-field", "body"], 2, "no record has a string field 'body' (read 2 JSON objects)"),
        (["{data}", "--label-field", "lbl", "--json"], 2, "no record has a field 'lbl'"),
        (["{junk}"], 3, "none of the 2 non-blank lines is a JSON object"),
        (["{data}", "--against", "nowhere.jsonl"], 3, "nowhere.jsonl:0: cannot open"),
    ],
)
def test_stats_refuses_to_report_on_nothing(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "a b", "label": 1}\n{"text": "c"}\n')
    junk = tmp_path / "junk.jsonl"
    junk.write_text("junk\n[1, 2]\n")
    proc = run_cli("stats", *[a.format(data=data, junk=junk) for a in args], cwd=tmp_path)
    assert proc.returncode == code, proc.stderr
    assert message in proc.stderr.decode() and b"Traceback" not in proc.stderr


def test_stats_on_zstd_without_zstandard_is_an_input_error(tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    path = tmp_path / "d.jsonl.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(b'{"text": "a b"}\n'))
    # zstandard made unimportable in the child, as on a machine without the extra.
    code = ("import sys; sys.modules['zstandard'] = None; sys.argv = ['augtool', 'stats', sys.argv[1]]; "
            "from augtool.cli import main; main()")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, timeout=60)
    assert proc.returncode == 3
    assert "zstd input needs: pip install 'augtool[zstd]'" in proc.stderr.decode()


@pytest.mark.parametrize("text", ["", "   "])
def test_preview_of_an_empty_text_is_a_usage_error(text: str) -> None:
    proc = run_cli("preview", text)
    assert proc.returncode == 2 and proc.stderr.decode() == "augtool: error: the TEXT to preview is empty\n"

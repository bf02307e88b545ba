"""Fault injection: SIGKILL at every publish step, then --resume, gives the uninterrupted run's bytes.

The run under test is the real CLI in a subprocess whose ``os.replace`` and
``os.unlink`` are wrapped: each rename has a point just before and just after
it (a shard, the resume record, the manifest), each successful unlink one just
after it (the resume record, the lock file), and at point k the process kills
itself with SIGKILL.  Counting the points of an uninterrupted run gives every
k to try; each killed run is resumed and compared with the reference byte for
byte, rejects included, and must pass ``augtool verify``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import run_cli

KILL_AT = r"""
import os, signal, sys
k, seen = int(sys.argv[1]), [0]
def point():
    seen[0] += 1
    if seen[0] == k:
        os.kill(os.getpid(), signal.SIGKILL)
replace, unlink = os.replace, os.unlink
def replace_(src, dst, **kw):
    point(); replace(src, dst, **kw); point()
def unlink_(path, **kw):
    unlink(path, **kw); point()
os.replace, os.unlink = replace_, unlink_
if k == 0:
    import atexit
    atexit.register(lambda: sys.stderr.write(f"points={seen[0]}\n"))
sys.argv = ["augtool", *sys.argv[2:]]
from augtool.cli import main
main()
"""


def files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def kill_at(k: int, args: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-c", KILL_AT, str(k), *args], capture_output=True, timeout=120)


def write_input(path: Path) -> Path:
    with open(path, "w") as fh:
        for i in range(300):
            # Rejected lines early, between shards and at the very end.
            text = 5 if i % 37 == 5 or i == 299 else f"The quick brown fox {i} jumps over the lazy dog."
            fh.write(json.dumps({"id": i, "text": text}) + "\n")
    return path


def check_every_kill_point(tmp_path: Path, extra: list[str], rejects: Path | None) -> None:
    data = write_input(tmp_path / "in.jsonl")
    out = tmp_path / "out"
    args = ["augment", str(data), "-o", str(out), "--shard-size", "400", "--on-error", "skip", "-q",
            "--ops", "rs,rd", *extra]
    counted = kill_at(0, args)  # the reference: uninterrupted, under the same wrapper
    assert counted.returncode == 0, counted.stderr
    points = int(counted.stderr.decode().rsplit("points=", 1)[1])
    assert points >= 20  # the first resume record, 4 shards and a record after each, the manifest, cleanup
    reference = files(out)
    reference_rejects = rejects.read_bytes() if rejects else None
    assert json.loads(reference["manifest.json"])["counts"]["rejected"] == 9
    for k in range(1, points + 1):
        shutil.rmtree(out)
        if rejects:
            rejects.unlink(missing_ok=True)
        killed = kill_at(k, args)
        assert killed.returncode == -9, (k, killed.stderr)
        resumed = run_cli(*args, "--resume")
        assert resumed.returncode == 0, (k, resumed.stderr)
        assert files(out) == reference, k
        if rejects:
            assert rejects.read_bytes() == reference_rejects, k
        check = run_cli("verify", str(out))
        assert check.returncode == 0, (k, check.stderr)


@pytest.mark.slow
def test_sigkill_at_every_step_then_resume_is_byte_identical(tmp_path: Path) -> None:
    check_every_kill_point(tmp_path, [], None)


@pytest.mark.slow
def test_sigkill_with_gzip_workers_and_an_outside_rejects_file(tmp_path: Path) -> None:
    rejects = tmp_path / "rejects-review.jsonl"
    check_every_kill_point(tmp_path, ["--compress", "gzip", "--workers", "2", "--rejects", str(rejects)], rejects)


@pytest.mark.slow
def test_sigkill_then_resume_of_a_csv_run_is_byte_identical(tmp_path: Path) -> None:
    check_every_kill_point(tmp_path, ["--output-format", "csv"], None)


@pytest.mark.slow
def test_sigkill_then_resume_of_a_parquet_run_is_byte_identical(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow not installed (pip install '.[parquet]')")
    check_every_kill_point(tmp_path, ["--output-format", "parquet"], None)

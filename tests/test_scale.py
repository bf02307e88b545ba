"""Scaling out gives the same bytes: workers, slices, resume after a kill, Dask; verify catches damage."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from augtool.cli.environment import slice_from, usable_cpus
from augtool.errors import UsageError
from augtool.slicing import BLOCK, Slice

from .conftest import run_cli

N_RECORDS = 3 * BLOCK + 500  # several slicing blocks, so K = 3 and 7 really split the input


def write_input(path: Path, n: int = N_RECORDS, bad_every: int = 0) -> Path:
    with open(path, "w") as fh:
        for i in range(n):
            if bad_every and i % bad_every == bad_every - 1:
                fh.write(json.dumps({"id": i, "text": 42}) + "\n")
            else:
                fh.write(json.dumps({"id": i, "text": f"The quick brown fox {i} jumps over the lazy dog."}) + "\n")
    return path


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_input(tmp_path_factory.mktemp("in") / "data.jsonl")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, data: Path) -> Path:
    out = tmp_path_factory.mktemp("ref") / "out"
    proc = run_cli("augment", str(data), "-o", str(out), "--shard-size", "3000", "-q", "--seed", "5")
    assert proc.returncode == 0, proc.stderr
    return out


def files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def sorted_records(directory: Path) -> list[bytes]:
    lines: list[bytes] = []
    for path in sorted(directory.glob("part-*")):
        data = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
        lines += data.splitlines()
    return sorted(lines)


@pytest.mark.parametrize("workers", ["2", "3"])
def test_workers_give_identical_bytes(tmp_path: Path, data: Path, reference: Path, workers: str) -> None:
    out = tmp_path / "out"
    proc = run_cli("augment", str(data), "-o", str(out), "--shard-size", "3000", "-q", "--seed", "5",
                   "--workers", workers)
    assert proc.returncode == 0, proc.stderr
    assert files(out) == files(reference)


def test_workers_keep_error_policy_and_rejects(tmp_path: Path) -> None:
    data = write_input(tmp_path / "bad.jsonl", n=5000, bad_every=700)
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        proc = run_cli("augment", str(data), "-o", str(out), "--on-error", "skip", "-q", "--workers", workers)
        assert proc.returncode == 0, proc.stderr
        outs.append(files(out))
    assert outs[0] == outs[1]
    assert outs[0]["rejects.ndjson"].count(b"\n") == 5000 // 700
    fail = run_cli("augment", str(data), "-o", str(tmp_path / "f"), "-q", "--workers", "2")
    assert fail.returncode == 3
    assert f"{data}:700: field 'text' must be a string, got int" in fail.stderr.decode()
    assert list((tmp_path / "f").iterdir()) == []


@pytest.mark.parametrize("count", [1, 3, 7])
def test_slices_merge_to_the_unsliced_run(tmp_path: Path, data: Path, reference: Path, count: int) -> None:
    out = tmp_path / "out"
    for index in range(count):
        proc = run_cli("augment", str(data), "-o", str(out), "--shard-size", "3000", "-q", "--seed", "5",
                       "--num-shards", str(count), "--shard-index", str(index))
        assert proc.returncode == 0, proc.stderr
    if count > 1:
        assert run_cli("verify", str(out)).returncode == 6  # not merged yet
        merge = run_cli("manifest", "merge", str(out))
        assert merge.returncode == 0, merge.stderr
        assert all(p.name.startswith(("part-s", "manifest")) for p in out.iterdir())
    assert sorted_records(out) == sorted_records(reference)
    merged = json.loads((out / "manifest.json").read_text())
    assert merged["counts"] == json.loads((reference / "manifest.json").read_text())["counts"]
    check = run_cli("verify", str(out))
    assert check.returncode == 0, check.stderr


def test_merge_refuses_gaps_and_mismatched_slices(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "out"
    for index in (0, 2):
        run_cli("augment", str(data), "-o", str(out), "-q", "--num-shards", "3", "--shard-index", str(index))
    gap = run_cli("manifest", "merge", str(out))
    assert gap.returncode == 6 and "1 of 3 slices have no manifest yet (missing: 1)" in gap.stderr.decode()
    run_cli("augment", str(data), "-o", str(out), "-q", "--num-shards", "3", "--shard-index", "1", "--seed", "9")
    mismatch = run_cli("manifest", "merge", str(out))
    assert mismatch.returncode == 6 and "slice 1 was run with a different options" in mismatch.stderr.decode()


def test_slice_rule_and_slurm_only_when_asked() -> None:
    parts = [Slice(i, 3) for i in range(3)]
    for record in range(0, 10 * BLOCK, 97):
        assert sum(p.owns(record) for p in parts) == 1
    array = {"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "8"}
    assert slice_from(None, None, array) == Slice()  # an array of one-file tasks is not sliced
    notes: list[str] = []
    assert slice_from(None, "auto", array, notes.append) == Slice(4, 8)
    assert notes == ["augtool: --num-slices auto: slice 4 of 8 (SLURM_ARRAY_TASK_ID=4, SLURM_ARRAY_TASK_COUNT=8)"]
    env = {"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_COUNT": "5", "SLURM_ARRAY_TASK_MIN": "1",
           "SLURM_ARRAY_TASK_MAX": "5", "SLURM_ARRAY_TASK_STEP": "1"}
    assert slice_from(None, "auto", env) == Slice(4, 5)
    assert slice_from(2, 4, env) == Slice(2, 4)
    step = {**env, "SLURM_ARRAY_TASK_ID": "20", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "40",
            "SLURM_ARRAY_TASK_STEP": "10"}  # --array=0-40:10
    assert slice_from(None, "auto", step) == Slice(2, 5)
    sparse = {**env, "SLURM_ARRAY_TASK_ID": "17", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MAX": "17"}
    with pytest.raises(UsageError, match="task ids are not evenly spaced"):  # --array=1,5,17
        slice_from(None, "auto", sparse)
    with pytest.raises(UsageError, match="SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT are not set"):
        slice_from(None, "auto", {})
    assert slice_from(None, None, {}) == Slice()
    with pytest.raises(UsageError):
        slice_from(5, 4, {})
    assert 1 <= usable_cpus() <= (os.cpu_count() or 1)


def _wait_for(path: Path, pattern: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not list(path.glob(pattern)):
        if time.monotonic() > deadline:
            raise AssertionError(f"no {pattern} in {path} after {timeout} s")
        time.sleep(0.02)


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGKILL, -9), (signal.SIGTERM, 143)])
def test_killed_run_resumes_to_identical_output(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    data = write_input(tmp_path / "big.jsonl", n=12_000)
    args = [str(data), "--shard-size", "2000", "-q", "--seed", "3", "--workers", "2"]
    ref = tmp_path / "ref"
    assert run_cli("augment", *args, "-o", str(ref)).returncode == 0
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "augtool", "augment", *args, "-o", str(out)],
                            stderr=subprocess.PIPE)
    _wait_for(out, "part-00002.jsonl")
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert not (out / "manifest.json").exists()
    names = {p.name for p in out.iterdir()}
    assert ".progress.json" in names and "part-00000.jsonl" in names
    assert "incomplete run" in run_cli("verify", str(out)).stderr.decode()
    changed = run_cli("augment", *args, "-o", str(out), "--resume", "--n-aug", "2")
    assert changed.returncode == 2 and "cannot resume" in changed.stderr.decode()
    resumed = run_cli("augment", *args, "-o", str(out), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert files(out) == files(ref)


def test_resume_of_a_finished_run_does_nothing_unless_it_is_another_run(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("augment", str(data), "-o", str(out), "-q").returncode == 0
    before = files(out)
    again = run_cli("augment", str(data), "-o", str(out), "-q", "--resume")  # a requeued, finished task
    assert again.returncode == 0 and "already holds this finished run" in again.stderr.decode()
    assert files(out) == before
    other = run_cli("augment", str(data), "-o", str(out), "-q", "--resume", "--seed", "8")
    assert other.returncode == 4 and "already holds a finished run" in other.stderr.decode()
    assert files(out) == before


@pytest.fixture
def gz_output(tmp_path: Path, data: Path) -> Path:
    out = tmp_path / "out"
    proc = run_cli("augment", str(data), "-o", str(out), "--shard-size", "5000", "--compress", "gzip", "-q")
    assert proc.returncode == 0, proc.stderr
    assert run_cli("verify", str(out)).returncode == 0
    return out


def test_gzip_shards_are_deterministic(tmp_path: Path, data: Path, gz_output: Path) -> None:
    again = tmp_path / "again"
    run_cli("augment", str(data), "-o", str(again), "--shard-size", "5000", "--compress", "gzip", "-q")
    assert files(again) == files(gz_output)


def _damage_flip(out: Path) -> str:
    path = out / "part-00001.jsonl.gz"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    return "part-00001.jsonl.gz:"


def _damage_delete(out: Path) -> str:
    (out / "part-00002.jsonl.gz").unlink()
    return "part-00002.jsonl.gz: missing"


def _damage_add(out: Path) -> str:
    (out / "part-00009.jsonl.gz").write_bytes(gzip.compress(b"{}\n"))
    return "part-00009.jsonl.gz: extra file not in the manifest"


def _damage_truncate(out: Path) -> str:
    path = out / "part-00000.jsonl.gz"
    path.write_bytes(path.read_bytes()[:-100])
    return "part-00000.jsonl.gz: truncated or corrupt gzip"


@pytest.mark.parametrize("damage", [_damage_flip, _damage_delete, _damage_add, _damage_truncate])
def test_verify_finds_damage(gz_output: Path, damage) -> None:
    expected = damage(gz_output)
    proc = run_cli("verify", str(gz_output))
    assert proc.returncode == 6
    assert expected in proc.stderr.decode()


@pytest.mark.dask
@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_records(tmp_path: Path, data: Path, reference: Path) -> None:
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    proc = run_cli("augment", str(data), "-o", str(out), "--shard-size", "3000", "-q", "--seed", "5",
                   "--executor", "dask", "--num-shards", "3")
    assert proc.returncode == 0, proc.stderr
    assert sorted_records(out) == sorted_records(reference)
    assert run_cli("verify", str(out)).returncode == 0

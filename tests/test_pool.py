"""Worker processes: a worker that dies or a run that aborts ends the run with a message, never a hang.

multiprocessing.Pool could wait forever in both cases: terminate() for a lock that
a worker killed mid-send still held (seen once in CI), get() for a result a killed
worker never sends.
"""

from __future__ import annotations

import json
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from augtool.errors import InputError
from augtool.parallel import BatchRunner, Packed, PipelineSpec, _portable
from augtool.pipeline import Options

from .conftest import start_until_first_shard


def write_records(path: Path, n: int) -> Path:
    with open(path, "w") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": i, "text": f"The quick brown fox {i} jumps over the lazy dog."}) + "\n")
    return path


def batches(n_batches: int, size: int = 200) -> list[tuple[int, list[tuple[int, bytes]]]]:
    line = b'{"text": "The quick brown fox jumps over the lazy dog near my house."}'
    return [(0, [(b * size + i + 1, line) for i in range(size)]) for b in range(n_batches)]


@pytest.mark.parametrize("method", ["fork", "spawn"])  # spawn: where fork is not offered (Windows)
def test_results_come_back_in_order_from_two_workers(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: [method])
    spec = PipelineSpec(Options(ops=("rd",), n_aug=1))
    jobs = batches(9)
    one = BatchRunner(spec, spec.build(), 1, ["in.jsonl"])
    expected = [(tag, out.block) for tag, out in one.map(jobs) if isinstance(out, Packed)]
    runner = BatchRunner(spec, spec.build(), 2, ["in.jsonl"])
    runner.start()
    try:
        # A payload that is not a batch (an InputError the reader met) passes through in its place.
        mixed = [*jobs[:4], (0, InputError("in.jsonl", 801, "truncated")), *jobs[4:]]
        got = list(runner.map(mixed))
    finally:
        runner.close()
    assert isinstance(got[4][1], InputError)
    assert [(tag, out.block) for tag, out in got if isinstance(out, Packed)] == expected
    assert len(expected) == 9


def test_aborting_at_any_point_returns_at_once() -> None:
    spec = PipelineSpec(Options(ops=("sr", "ri", "rs", "rd"), n_aug=4))
    for stop_after in [0, 1, 2, 3, 5, 8] * 3:
        runner = BatchRunner(spec, spec.build(), 2, ["in.jsonl"])
        runner.start()
        started = time.monotonic()
        results = runner.map(batches(12, 400))
        for _ in range(stop_after):
            next(results)
        runner.close(abort=True)  # with batches in flight and workers mid-send
        assert time.monotonic() - started < 60
        assert all(not w.process.is_alive() for w in getattr(runner, "_pool", []))


def test_a_worker_error_reaches_the_parent_as_itself() -> None:
    class Picky(Exception):  # pickles, but cannot be rebuilt from its args: the parent gets its text
        def __init__(self, code: int, where: str) -> None:
            super().__init__(f"{where}: {code}")

    plain = _portable(ValueError("bad value"))
    assert isinstance(plain, ValueError) and "in a worker process" in "".join(plain.__notes__)
    odd = _portable(Picky(3, "deep"))
    assert isinstance(odd, RuntimeError) and "Picky: deep: 3" in str(odd)
    pickle.loads(pickle.dumps(odd))


def test_a_killed_worker_ends_the_run_with_one_error_line(tmp_path: Path) -> None:
    psutil = pytest.importorskip("psutil")
    data = write_records(tmp_path / "d.jsonl", 150_000)
    out = tmp_path / "out"
    proc = start_until_first_shard([str(data), "-w", "2", "--shard-size", "2000", "-q"], out)
    victim = psutil.Process(proc.pid).children()[0]
    victim.send_signal(signal.SIGKILL)  # as the kernel's OOM killer does
    _, err = proc.communicate(timeout=60)
    lines = err.decode().splitlines()
    assert proc.returncode == 1, err
    assert lines[0].startswith(f"augtool: error: worker process {victim.pid} was killed by SIGKILL"), lines
    assert "out of memory?" in lines[0] and "Traceback" not in err.decode()
    # Nothing was wrong with the records: what is finished stays, and --resume ends the run.
    assert lines[0].endswith("finished shards are kept: run the same command with --resume to finish"), lines
    assert not (out / "manifest.json").exists() and (out / "part-00000.jsonl").exists()
    resumed = subprocess.run([sys.executable, "-m", "augtool", "augment", str(data), "-o", str(out), "-w", "2",
                              "--shard-size", "2000", "-q", "--resume"], capture_output=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["read"] == manifest["counts"]["originals"] == 150_000

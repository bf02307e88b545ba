"""Measure augtool against a read-and-write baseline on the same JSONL, in one run.

Prints input records/s, output records/s, the ratio to the baseline, time to the
first output record, and peak memory of the whole process tree (the sum of the
resident memory of the process and all its children, sampled every 20 ms with
psutil).  Figures from one run are comparable with each other; across runs this
machine is shared and noisy.

Usage: python scripts/bench.py [--records N] [--big N] [--bigger N] [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import psutil

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / ".bench"
SOURCES = [REPO.parent / "shared" / "eval-data" / "pc.train.jsonl", REPO / "corpora" / "sample.jsonl"]

# The brief's baseline: read each record with orjson and write 5 copies of it.
BASELINE = r"""
import sys, orjson
dumps, loads = orjson.dumps, orjson.loads
with open(sys.argv[1], "rb") as fh, open(sys.argv[2], "wb") as out:
    buf = []
    for line in fh:
        record = loads(line)
        buf += [dumps(record) for _ in range(5)]
        if len(buf) > 2000:
            out.write(b"\n".join(buf) + b"\n"); buf.clear()
    if buf:
        out.write(b"\n".join(buf) + b"\n")
"""


def build_corpus(n: int) -> Path:
    """Repeat real sentences to ``n`` records with distinct ids."""
    path = WORK / f"corpus-{n}.jsonl"
    if path.exists():
        return path
    source = next(p for p in SOURCES if p.exists())
    rows = [orjson.loads(line) for line in source.read_bytes().splitlines() if line.strip()]
    WORK.mkdir(exist_ok=True)
    with open(path, "wb") as fh:
        for i in range(n):
            row = dict(rows[i % len(rows)])
            row["id"] = f"{row.get('id', 'r')}-{i // len(rows)}"
            fh.write(orjson.dumps(row) + b"\n")
    return path


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def measure(argv: list[str]) -> tuple[float, float, int]:
    """Run a command; return (wall seconds, seconds to first stdout byte, peak tree RSS in MB)."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    watched = psutil.Process(proc.pid)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            with contextlib.suppress(psutil.Error):
                peak = max(peak, _tree_rss(watched))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stdout is not None
    first = proc.stdout.read(1)
    first_at = time.perf_counter() - started if first else float("nan")
    while proc.stdout.read(1 << 20):
        pass
    status = proc.wait()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if status != 0:
        raise SystemExit(f"command failed ({status}): {' '.join(argv)}")
    return wall, first_at, peak // (1 << 20)


def augtool(corpus: Path, out: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "augtool", "augment", str(corpus), "-o", out, "-q", "--seed", "1", *extra]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--big", type=int, default=1_000_000, help="1 worker: memory flat from --records to this")
    parser.add_argument("--bigger", type=int, default=2_000_000, help="2 workers: memory flat up to this")
    parser.add_argument("--slices", type=int, default=8, help="slices run one after another, vs one run")
    parser.add_argument("--quick", action="store_true", help="20,000 / 100,000 / 200,000 records")
    args = parser.parse_args()
    if args.quick:
        args.records, args.big, args.bigger = 20_000, 100_000, 200_000
    n = args.records
    corpus = build_corpus(n)
    out = WORK / "out"
    rows: list[tuple[str, int, float, float, int]] = []

    def case(name: str, records: int, argv: list[str], clean: bool = True) -> tuple[float, float, int]:
        if clean:
            shutil.rmtree(out, ignore_errors=True)
        wall, first, rss = measure(argv)
        rows.append((name, records, wall, first, rss))
        return wall, first, rss

    base_wall, _, _ = case("baseline: orjson read, write x5", n, [sys.executable, "-c", BASELINE, str(corpus),
                                                                  str(WORK / "baseline.jsonl")])
    one_wall, _, rss_one = case("augtool, 1 worker", n, augtool(corpus, str(out)))
    two_wall, _, rss_two = case("augtool, 2 workers", n, augtool(corpus, str(out), "--workers", "2"))
    case("augtool -> stdout (first record)", n, augtool(corpus, "-"))
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    for i in range(args.slices):
        measure(augtool(corpus, str(out), "--num-shards", str(args.slices), "--shard-index", str(i)))
    slices_wall = time.perf_counter() - started
    rows.append((f"augtool, {args.slices} slices in turn", n, slices_wall, float("nan"), 0))
    _big_wall, _, rss_big = case("augtool, 1 worker", args.big, augtool(build_corpus(args.big), str(out)))
    _bigger_wall, _, rss_bigger = case("augtool, 2 workers", args.bigger,
                                      augtool(build_corpus(args.bigger), str(out), "--workers", "2"))
    shutil.rmtree(out, ignore_errors=True)

    print(f"{'case':<34} {'records':>10} {'seconds':>8} {'in rec/s':>10} {'out rec/s':>10} "
          f"{'first out s':>11} {'peak MB':>8}")
    for name, records, wall, first, rss in rows:
        rate = records / wall
        print(f"{name:<34} {records:>10,} {wall:>8.2f} {rate:>10,.0f} {rate * 5:>10,.0f} {first:>11.3f} {rss:>8}")
    print()
    print(f"augtool (1 worker) vs baseline: {one_wall / base_wall:.1f}x the time "
          f"({n / one_wall:,.0f} vs {n / base_wall:,.0f} input records/s, same run)")
    print(f"2 workers vs 1: {one_wall / two_wall:.2f}x speed-up")
    print(f"{args.slices} slices one after another vs one run: {slices_wall / one_wall:.2f}x the time")
    print(f"peak memory, 1 worker: {rss_one} MB at {n:,} records, {rss_big} MB at {args.big:,}")
    print(f"peak memory, 2 workers (whole tree): {rss_two} MB at {n:,} records, {rss_bigger} MB at {args.bigger:,}")


if __name__ == "__main__":
    main()

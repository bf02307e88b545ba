"""Measure augtool against a read-and-write baseline on the same JSONL, in one run.

Prints input records/s, output records/s, the ratio to the baseline, time to the
first output record, and peak memory (max RSS of the process) for each case.
Figures from one run are comparable with each other; across runs this machine is
shared and noisy.  Usage: python scripts/bench.py [--records N] [--big N] [--quick]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / ".bench"
SOURCES = [REPO.parent / "shared" / "eval-data" / "pc.train.jsonl", REPO / "corpora" / "sample.jsonl"]

BASELINE = r"""
import sys, orjson
out = open(sys.argv[2], "wb")
with open(sys.argv[1], "rb") as fh:
    buf = []
    for line in fh:
        record = orjson.loads(line)
        buf.append(line.rstrip(b"\n"))
        text = record["text"]
        for copy in range(1, 5):
            record["text"] = text
            record["_aug"] = {"source": record.get("id"), "copy": copy, "ops": ["sr"]}
            buf.append(orjson.dumps(record))
        if len(buf) > 4096:
            out.write(b"\n".join(buf) + b"\n"); buf.clear()
    if buf:
        out.write(b"\n".join(buf) + b"\n")
out.close()
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


def measure(argv: list[str]) -> tuple[float, float, int]:
    """Run a command; return (wall seconds, seconds to first stdout byte, peak RSS in MB)."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    first = proc.stdout.read(1)
    first_at = time.perf_counter() - started if first else float("nan")
    while proc.stdout.read(1 << 20):
        pass
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"command failed ({status}): {' '.join(argv)}")
    return wall, first_at, usage.ru_maxrss // 1024


def augtool_cmd(corpus: Path, out: str, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "augtool", "augment", str(corpus), "-o", out, "-q", "--seed", "1", *extra]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--big", type=int, default=1_000_000, help="second size, for memory flatness")
    parser.add_argument("--quick", action="store_true", help="20,000 and 100,000 records")
    args = parser.parse_args()
    if args.quick:
        args.records, args.big = 20_000, 100_000
    corpus = build_corpus(args.records)
    out_dir = WORK / "out"
    rows = []

    wall, first, rss = measure([sys.executable, "-c", BASELINE, str(corpus), str(WORK / "baseline.jsonl")])
    base_rate = args.records / wall
    rows.append(("baseline read+write x5", args.records, wall, base_rate, first, rss))

    shutil.rmtree(out_dir, ignore_errors=True)
    wall, _, rss = measure(augtool_cmd(corpus, str(out_dir), []))
    rate = args.records / wall
    rows.append(("augtool defaults -> shards", args.records, wall, rate, float("nan"), rss))
    _, first, _ = measure(augtool_cmd(corpus, "-", []))
    rows.append(("augtool defaults -> stdout", args.records, float("nan"), float("nan"), first, float("nan")))

    if args.big:
        big = build_corpus(args.big)
        shutil.rmtree(out_dir, ignore_errors=True)
        wall_big, _, rss_big = measure(augtool_cmd(big, str(out_dir), []))
        rows.append(("augtool defaults -> shards", args.big, wall_big, args.big / wall_big, float("nan"), rss_big))
    shutil.rmtree(out_dir, ignore_errors=True)

    print(f"{'case':<30} {'records':>10} {'seconds':>8} {'in rec/s':>10} {'out rec/s':>10} "
          f"{'first out s':>11} {'peak MB':>8}")
    for name, n, wall, rate, first, rss in rows:
        print(f"{name:<30} {n:>10,} {wall:>8.2f} {rate:>10,.0f} {rate * 5:>10,.0f} {first:>11.3f} {rss:>8}")
    print(f"\naugtool / baseline throughput: 1 : {base_rate / rows[1][3]:.1f} "
          f"(augtool {rows[1][3]:,.0f} rec/s, baseline {base_rate:,.0f} rec/s, same run)")
    if args.big:
        print(f"peak memory {rows[1][5]} MB at {args.records:,} records, {rows[-1][5]} MB at {args.big:,}")


if __name__ == "__main__":
    main()

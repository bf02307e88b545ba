"""Measure augtool against the I/O floor on the same JSONL, every figure from one run.

The floor is a streaming orjson loop over the same records: read a line, parse it,
write it five times (the original and four copies), through one buffered file.
A second floor writes augtool's own output format instead: the original line, then
four copies spliced from its bytes (the text re-dumped, a provenance object added).
augtool is timed as a whole process (start-up, lexicon, writing shards and the
manifest); the per-record cost comes from two input sizes, so start-up cancels out.

Also: start-up (``augtool --version`` and a 1-record augment), the 1 -> 2 worker
speed-up against the ideal of two independent halves run at the same time, K slices
run one after another against one run, ``stats`` with and without a label field,
and peak memory of the whole process tree (the sum of the resident memory of the
process and all its children, sampled every 20 ms with psutil).

This machine is shared: compare figures within one run (the load average is printed).

Usage: python scripts/bench.py [--augtool PATH] [--records N] [--small N] [--big N] [--slices K] [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import psutil

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / ".bench"
SOURCES = [REPO.parent / "shared" / "eval-data" / "pc.train.jsonl", Path("/work/shared/eval-data/pc.train.jsonl"),
           REPO / "corpora" / "sample.jsonl"]
AUGTOOL = Path(sys.executable).parent / "augtool"

# The floor: parse each record and write it 5 times (original + 4 copies), streaming.
FLOOR = r"""
import sys, orjson
loads, dumps = orjson.loads, orjson.dumps
with open(sys.argv[1], "rb") as fh, open(sys.argv[2], "wb") as out:
    write = out.write
    for line in fh:
        record = loads(line)
        for _ in range(5):
            write(dumps(record) + b"\n")
"""

# The same loop writing augtool's format: the original line, then 4 copies spliced
# from its bytes, each with its text dumped anew and a provenance object appended.
FLOOR_FORMAT = r"""
import sys, orjson
loads, dumps = orjson.loads, orjson.dumps
with open(sys.argv[1], "rb") as fh, open(sys.argv[2], "wb") as out:
    write = out.write
    for line in fh:
        record = loads(line)
        write(line)
        text = dumps(record["text"])
        a = line.find(text)
        b = a + len(text)
        end = line.rfind(b"}")
        first, middle, tail = line[:a], line[b:end], line[end:]
        head = b',"_aug":{"source":' + dumps(record["id"]) + b',"copy":'
        for copy in (b"1", b"2", b"3", b"4"):
            write(b"".join((first, dumps(record["text"]), middle, head, copy, b',"ops":["sr"]}', tail)))
"""


def build_corpus(n: int) -> Path:
    """Repeat real sentences to ``n`` records with distinct ids (no network)."""
    path = WORK / f"corpus-{n}.jsonl"
    if path.exists():
        return path
    source = next(p for p in SOURCES if p.exists())
    rows = [orjson.loads(line) for line in source.read_bytes().splitlines() if line.strip()]
    WORK.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        for i in range(n):
            row = dict(rows[i % len(rows)])
            row["id"] = f"{row.get('id', 'r')}-{i // len(rows)}"
            fh.write(orjson.dumps(row) + b"\n")
    tmp.rename(path)
    return path


def halves(corpus: Path) -> tuple[Path, Path]:
    """The corpus cut in two files at the middle line."""
    first, second = corpus.with_name(corpus.stem + ".a.jsonl"), corpus.with_name(corpus.stem + ".b.jsonl")
    if not (first.exists() and second.exists()):
        lines = corpus.read_bytes().splitlines(keepends=True)
        first.write_bytes(b"".join(lines[: len(lines) // 2]))
        second.write_bytes(b"".join(lines[len(lines) // 2 :]))
    return first, second


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    with contextlib.suppress(psutil.Error):  # the process may end between two looks
        for p in [proc, *proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
    return total


def run(argv: list[str], env: dict[str, str] | None = None, stdin: bytes | None = None) -> tuple[float, int]:
    """Run a command to its end; return (wall seconds, peak RSS of its process tree in MB)."""
    return run_together([argv], env, stdin)


def run_together(argvs: list[list[str]], env: dict[str, str] | None = None,
                 stdin: bytes | None = None) -> tuple[float, int]:
    """Start commands at once, wait for all; (wall seconds to the last end, peak summed tree RSS in MB)."""
    started = time.perf_counter()
    procs = [subprocess.Popen(argv, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env) for argv in argvs]
    watched = [psutil.Process(p.pid) for p in procs]
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_tree_rss(w) for w in watched))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    failed = []
    for argv, proc in zip(argvs, procs):
        _, err = proc.communicate(stdin)
        if proc.returncode != 0:
            failed.append(f"{' '.join(argv)} -> {proc.returncode}\n{err.decode(errors='replace')[-2000:]}")
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if failed:
        raise SystemExit("command failed: " + "\n".join(failed))
    return wall, peak // (1 << 20)


def augment(corpus: Path | str, out: Path | str, *extra: str) -> list[str]:
    return [str(AUGTOOL), "augment", str(corpus), "-o", str(out), "-q", "--seed", "1", *extra]


def best_of(k: int, argv: list[str], stdin: bytes | None = None) -> float:
    """The median of k runs (start-up is short and noisy)."""
    return statistics.median(run(argv, stdin=stdin)[0] for _ in range(k))


def variant(env: dict[str, str] | None = None) -> str:
    """What ``augtool --version`` says runs (compiled or pure Python)."""
    return subprocess.run([str(AUGTOOL), "--version"], capture_output=True, text=True, env=env,
                          check=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=200_000, help="the main benchmark's size")
    parser.add_argument("--small", type=int, default=50_000, help="second size, for the per-record cost")
    parser.add_argument("--big", type=int, default=2_000_000, help="2 workers: memory flat from --records to this")
    parser.add_argument("--slices", type=int, default=8, help="slices run one after another, vs one run")
    parser.add_argument("--augtool", type=Path, default=AUGTOOL, help="the augtool executable to measure")
    parser.add_argument("--quick", action="store_true", help="20,000 / 5,000 / 200,000 records")
    args = parser.parse_args()
    global AUGTOOL
    AUGTOOL = args.augtool.absolute()
    if args.quick:
        args.records, args.small, args.big = 20_000, 5_000, 200_000
    n, small = args.records, args.small
    corpus, corpus_small, corpus_big = build_corpus(n), build_corpus(small), build_corpus(args.big)
    first_half, second_half = halves(corpus)
    out = WORK / "out"
    load_before = os.getloadavg()
    pure_env = {**os.environ, "AUGTOOL_PURE": "1"}
    kind, kind_pure = variant(), variant(pure_env)
    rows: list[tuple[str, int, float, int]] = []

    def case(name: str, records: int, argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
        shutil.rmtree(out, ignore_errors=True)
        wall, rss = run(argv, env)
        rows.append((name, records, wall, rss))
        return wall, rss

    floor, _ = case("floor: orjson read, write x5", n,
                    [sys.executable, "-c", FLOOR, str(corpus), str(WORK / "floor.jsonl")])
    floor_fmt, _ = case("floor: augtool's format", n,
                        [sys.executable, "-c", FLOOR_FORMAT, str(corpus), str(WORK / "floor.jsonl")])
    (WORK / "floor.jsonl").unlink()
    one_small, _ = case("augtool, 1 worker", small, augment(corpus_small, out))
    one, rss_one = case("augtool, 1 worker", n, augment(corpus, out))
    pure = None
    if kind != kind_pure:
        pure, _ = case("augtool, 1 worker, AUGTOOL_PURE=1", n, augment(corpus, out), pure_env)
    two, rss_two = case("augtool, 2 workers", n, augment(corpus, out, "--workers", "2"))
    shutil.rmtree(out, ignore_errors=True)
    ideal, _ = run_together([augment(first_half, WORK / "out-a"), augment(second_half, WORK / "out-b")])
    rows.append(("two halves at once, 1 worker each", n, ideal, 0))
    shutil.rmtree(WORK / "out-a"), shutil.rmtree(WORK / "out-b")
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    for i in range(args.slices):
        run(augment(corpus, out, "--num-shards", str(args.slices), "--shard-index", str(i)))
    slices = time.perf_counter() - started
    rows.append((f"{args.slices} slices in turn", n, slices, 0))
    stats_plain, _ = case("stats", n, [str(AUGTOOL), "stats", str(corpus), "--json"])
    stats_label, _ = case("stats --label-field label", n,
                          [str(AUGTOOL), "stats", str(corpus), "--json", "--label-field", "label"])
    _, rss_big = case("augtool, 2 workers", args.big, augment(corpus_big, out, "--workers", "2"))
    shutil.rmtree(out, ignore_errors=True)
    start_version = best_of(5, [str(AUGTOOL), "--version"])
    one_record = b'{"id":1,"text":"The quick brown fox jumps over the lazy dog."}\n'
    start_one = best_of(5, augment("-", "-"), stdin=one_record)
    load_after = os.getloadavg()

    print(f"{'case':<36} {'records':>10} {'seconds':>8} {'in rec/s':>10} {'peak MB':>8}")
    for name, records, wall, rss in rows:
        print(f"{name:<36} {records:>10,} {wall:>8.2f} {records / wall:>10,.0f} {rss or '':>8}")
    print()
    print(f"runs: {kind} (pure: {kind_pure}); load average {load_before[0]:.2f} before, {load_after[0]:.2f} after, "
          f"{os.cpu_count()} cores")
    print(f"1 worker vs the floor: {one / floor:.1f}x (target <= 10x, aim 6x); vs the floor in augtool's format: "
          f"{one / floor_fmt:.1f}x; {n / one:,.0f} input records/s")
    if pure is not None:
        print(f"pure Python (AUGTOOL_PURE=1): {pure / floor:.1f}x the floor, {n / pure:,.0f} input records/s; "
              f"compiled is {pure / one:.2f}x faster")
    per_record = (one - one_small) / (n - small) * 1e6
    print(f"per-record cost from {small:,} and {n:,} records: {per_record:.1f} us "
          f"({1e6 / per_record:,.0f} records/s on one core, start-up excluded)")
    print(f"2 workers vs 1: {one / two:.2f}x (target >= 1.8x); two halves at once: {one / ideal:.2f}x; "
          f"2 workers reach {ideal / two:.0%} of that ideal (target >= 95%)")
    print(f"{args.slices} slices one after another vs one run: {slices / one:.2f}x (target <= 1.10x)")
    print(f"start-up: augtool --version {start_version:.3f} s, a 1-record augment {start_one:.3f} s (target <= 0.2 s)")
    print(f"stats: {stats_plain:.2f} s, with --label-field {stats_label:.2f} s ({stats_label / stats_plain:.2f}x)")
    print(f"peak memory (whole tree): 1 worker {rss_one} MB at {n:,}; 2 workers {rss_two} MB at {n:,}, "
          f"{rss_big} MB at {args.big:,} (target < 200 MB)")


if __name__ == "__main__":
    main()

"""Measure augtool against the I/O floor on the same JSONL, every figure from one run.

The floor is a streaming orjson loop over the same records: read a line, parse it,
write it five times (the original and four copies), through one buffered file.
A second floor writes augtool's own output format instead: the original line, then
four copies spliced from its bytes (the text re-dumped, a provenance object added).
A third reference is EDA's loop with none of augtool's checks: the text split on
spaces, one replacement, insertion, swap or deletion per copy from a per-record
random generator, joined and written in augtool's format: the least a Python
augmenter does per record, so the gap to it is what augtool's checks cost.
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
import resource
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
SOURCES = [REPO.parent / "shared" / "eval-data" / "pc.train.jsonl", REPO / "corpora" / "sample.jsonl"]
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

# EDA's four operations with none of augtool's checks (no tokenizer, names, negations, language,
# dedup): what Python costs per record before any of them. Each word of four letters or more has
# two stand-in synonyms, made on first sight and kept in a dict: the cost of a lexicon lookup per
# word, not the quality of one.
NO_CHECKS = r"""
import random, sys, orjson
loads, dumps = orjson.loads, orjson.dumps
synonyms = {}
rng = random.Random()
with open(sys.argv[1], "rb") as fh, open(sys.argv[2], "wb") as out:
    write = out.write
    for number, line in enumerate(fh):
        record = loads(line)
        write(line)
        rng.seed(number)
        words = record["text"].split(" ")
        size = len(words)
        text = dumps(record["text"])
        a = line.find(text)
        end = line.rfind(b"}")
        first, middle, tail = line[:a], line[a + len(text):end], line[end:]
        head = b',"_aug":{"source":' + dumps(record["id"]) + b',"copy":'
        places = []
        for i, word in enumerate(words):
            if len(word) > 3:
                if word not in synonyms:
                    synonyms[word] = (word[::-1], word.upper())
                places.append(i)
        for copy in range(4):
            new = words.copy()
            if copy == 0 and places:
                i = rng.choice(places)
                new[i] = rng.choice(synonyms[words[i]])
            elif copy == 1 and places:
                new.insert(rng.randrange(size + 1), rng.choice(synonyms[words[rng.choice(places)]]))
            elif copy == 2 and size > 1:
                i, j = rng.randrange(size), rng.randrange(size)
                new[i], new[j] = new[j], new[i]
            elif copy == 3 and size > 1:
                new = [word for word in words if rng.random() > 0.1] or words[:1]
            write(b"".join((first, dumps(" ".join(new)), middle, head, b"%d" % (copy + 1),
                            b',"ops":["x"]}', tail)))
"""


def build_corpus(n: int) -> Path:
    """Repeat real sentences to ``n`` records with distinct ids (no network)."""
    source = next(p for p in SOURCES if p.exists())
    path = WORK / f"corpus-{source.stem}-{n}.jsonl"
    if path.exists():
        return path
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


def _tree_memory(proc: psutil.Process) -> tuple[int, int]:
    """Summed RSS and PSS of a process and its children (PSS counts a page shared by n processes 1/n times)."""
    rss = pss = 0
    with contextlib.suppress(psutil.Error):  # the process may end between two looks
        for p in [proc, *proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                info = p.memory_full_info()
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
    return rss, pss


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Run:
    """What one measured command (or several run at once) took."""

    def __init__(self, wall: float, cpu: float, rss: int, pss: int) -> None:
        self.wall, self.cpu, self.rss, self.pss = wall, cpu, rss, pss


def run(argv: list[str], env: dict[str, str] | None = None, stdin: bytes | None = None) -> Run:
    """Run a command to its end: wall and CPU seconds, peak RSS and PSS of its process tree in MB."""
    return run_together([argv], env, stdin)


def run_together(argvs: list[list[str]], env: dict[str, str] | None = None, stdin: bytes | None = None) -> Run:
    """Start commands at once and wait for all: wall seconds to the last end, CPU seconds and memory of all."""
    cpu = _cpu()
    started = time.perf_counter()
    procs = [subprocess.Popen(argv, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env) for argv in argvs]
    watched = [psutil.Process(p.pid) for p in procs]
    peak_rss = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_pss
        while not done.is_set():
            found = [_tree_memory(w) for w in watched]
            peak_rss = max(peak_rss, sum(rss for rss, _ in found))
            peak_pss = max(peak_pss, sum(pss for _, pss in found))
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
    return Run(wall, _cpu() - cpu, peak_rss >> 20, peak_pss >> 20)


def augment(corpus: Path | str, out: Path | str, *extra: str) -> list[str]:
    return [str(AUGTOOL), "augment", str(corpus), "-o", str(out), "-q", "--seed", "1", *extra]


def best_of(k: int, argv: list[str], stdin: bytes | None = None) -> float:
    """The median wall time of k runs (start-up is short and noisy)."""
    return statistics.median(run(argv, stdin=stdin).wall for _ in range(k))


def variant(env: dict[str, str] | None = None) -> str:
    """What ``augtool --version`` says runs (compiled or pure Python)."""
    return subprocess.run([str(AUGTOOL), "--version"], capture_output=True, text=True, env=env,
                          check=True).stdout.strip()


def main() -> None:
    global AUGTOOL, SOURCES
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=200_000, help="the main benchmark's size")
    parser.add_argument("--small", type=int, default=50_000, help="second size, for the per-record cost")
    parser.add_argument("--big", type=int, default=2_000_000, help="2 workers: memory flat from --records to this")
    parser.add_argument("--slices", type=int, default=8, help="slices run one after another, vs one run")
    parser.add_argument("--augtool", type=Path, default=AUGTOOL, help="the augtool executable to measure")
    parser.add_argument("--data", type=Path, help="a folder with pc.train.jsonl (default: ../shared/eval-data)")
    parser.add_argument("--quick", action="store_true", help="20,000 / 5,000 / 200,000 records")
    args = parser.parse_args()
    AUGTOOL = args.augtool.absolute()
    if args.data is not None:
        SOURCES = [args.data / "pc.train.jsonl", *SOURCES]
    if args.quick:
        args.records, args.small, args.big = 20_000, 5_000, 200_000
    n, small = args.records, args.small
    corpus, corpus_small, corpus_big = build_corpus(n), build_corpus(small), build_corpus(args.big)
    first_half, second_half = halves(corpus)
    out = WORK / "out"
    load_before = os.getloadavg()
    pure_env = {**os.environ, "AUGTOOL_PURE": "1"}
    kind, kind_pure = variant(), variant(pure_env)
    rows: list[tuple[str, int, Run]] = []

    def case(name: str, records: int, argv: list[str], env: dict[str, str] | None = None) -> Run:
        shutil.rmtree(out, ignore_errors=True)
        done = run(argv, env)
        rows.append((name, records, done))
        return done

    floor = case("floor: orjson read, write x5", n, [sys.executable, "-c", FLOOR, str(corpus), str(WORK / "floor")])
    floor_fmt = case("floor: augtool's format", n, [sys.executable, "-c", FLOOR_FORMAT, str(corpus),
                                                    str(WORK / "floor")])
    no_checks = case("EDA's loop, no checks", n, [sys.executable, "-c", NO_CHECKS, str(corpus), str(WORK / "floor")])
    (WORK / "floor").unlink()
    one_small = case("augtool, 1 worker", small, augment(corpus_small, out))
    one = case("augtool, 1 worker", n, augment(corpus, out))
    pure = None
    if kind != kind_pure:
        pure = case("augtool, 1 worker, AUGTOOL_PURE=1", n, augment(corpus, out), pure_env)
    two = case("augtool, 2 workers", n, augment(corpus, out, "--workers", "2"))
    shutil.rmtree(out, ignore_errors=True)
    ideal = run_together([augment(first_half, WORK / "out-a"), augment(second_half, WORK / "out-b")])
    rows.append(("two halves at once, 1 worker each", n, ideal))
    shutil.rmtree(WORK / "out-a"), shutil.rmtree(WORK / "out-b")
    slices = Run(0.0, 0.0, 0, 0)
    for i in range(args.slices):
        part = run(augment(corpus, out, "--num-slices", str(args.slices), "--slice-index", str(i)))
        slices = Run(slices.wall + part.wall, slices.cpu + part.cpu, max(slices.rss, part.rss),
                     max(slices.pss, part.pss))
    rows.append((f"{args.slices} slices in turn", n, slices))
    stats_plain = case("stats", n, [str(AUGTOOL), "stats", str(corpus), "--json"])
    stats_label = case("stats --label-field label", n,
                       [str(AUGTOOL), "stats", str(corpus), "--json", "--label-field", "label"])
    big = case("augtool, 2 workers", args.big, augment(corpus_big, out, "--workers", "2"))
    shutil.rmtree(out, ignore_errors=True)
    start_version = best_of(5, [str(AUGTOOL), "--version"])
    one_record = b'{"id":1,"text":"The quick brown fox jumps over the lazy dog."}\n'
    start_one = best_of(5, augment("-", "-"), stdin=one_record)
    load_after = os.getloadavg()

    print(f"{'case':<36} {'records':>10} {'wall s':>7} {'CPU s':>7} {'in rec/s':>10} {'RSS MB':>7} {'PSS MB':>7}")
    for name, records, done in rows:
        print(f"{name:<36} {records:>10,} {done.wall:>7.2f} {done.cpu:>7.2f} {records / done.wall:>10,.0f} "
              f"{done.rss:>7} {done.pss:>7}")
    print()
    print(f"records: {next(p for p in SOURCES if p.exists())}, repeated with new ids")
    print(f"runs: {kind} (pure: {kind_pure}); load average {load_before[0]:.2f} before, {load_after[0]:.2f} after, "
          f"{os.cpu_count()} cores")
    print(f"1 worker vs the floor: {one.wall / floor.wall:.1f}x wall, {one.cpu / floor.cpu:.1f}x CPU (target <= 10x, "
          f"aim 6x); vs the floor in augtool's format: {one.wall / floor_fmt.wall:.1f}x wall, "
          f"{one.cpu / floor_fmt.cpu:.1f}x CPU; {n / one.wall:,.0f} input records/s "
          f"({n / one.cpu:,.0f} per CPU second)")
    print(f"1 worker vs EDA's loop with no checks (Python's cost before any check): {one.wall / no_checks.wall:.1f}x "
          f"wall, {one.cpu / no_checks.cpu:.1f}x CPU; that loop is {no_checks.cpu / floor.cpu:.1f}x the floor in CPU")
    if pure is not None:
        print(f"pure Python (AUGTOOL_PURE=1): {pure.wall / floor.wall:.1f}x the floor, {n / pure.wall:,.0f} input "
              f"records/s; compiled is {pure.wall / one.wall:.2f}x faster ({pure.cpu / one.cpu:.2f}x in CPU time)")
    per_record = (one.wall - one_small.wall) / (n - small) * 1e6
    per_record_cpu = (one.cpu - one_small.cpu) / (n - small) * 1e6
    print(f"per-record cost from {small:,} and {n:,} records: {per_record:.1f} us wall, {per_record_cpu:.1f} us CPU "
          f"({1e6 / per_record:,.0f} records/s on one core, start-up excluded)")
    print(f"2 workers vs 1: {one.wall / two.wall:.2f}x (target >= 1.8x); two halves at once: "
          f"{one.wall / ideal.wall:.2f}x; 2 workers reach {ideal.wall / two.wall:.0%} of that ideal (target >= 95%)")
    print(f"{args.slices} slices one after another vs one run: {slices.wall / one.wall:.2f}x wall, "
          f"{slices.cpu / one.cpu:.2f}x CPU (target <= 1.10x)")
    # What each slice adds (start-up, reading past the records it does not own, warming its caches)
    # is about fixed, so the ratio falls as slices grow: the size at which K slices cost 1.10x one run.
    added = (slices.cpu - one.cpu) / args.slices
    if added <= 0:
        print(f"{args.slices} slices cost no more CPU than one run this time (the machine's spread, not a saving)")
    elif per_record_cpu > 0:
        print(f"each slice adds {added:.2f} s CPU to the work it does; at {per_record_cpu:.1f} us a record, "
              f"{args.slices} slices cost <= 1.10x one run from about "
              f"{args.slices * added / (0.10 * per_record_cpu * 1e-6):,.0f} records")
    print(f"start-up: augtool --version {start_version:.3f} s, a 1-record augment {start_one:.3f} s (target <= 0.2 s)")
    print(f"stats: {stats_plain.wall:.2f} s, with --label-field {stats_label.wall:.2f} s "
          f"({stats_label.wall / stats_plain.wall:.2f}x)")
    print(f"peak memory of the whole tree, RSS summed (PSS summed): 1 worker {one.rss} ({one.pss}) MB at {n:,}; "
          f"2 workers {two.rss} ({two.pss}) MB at {n:,}, {big.rss} ({big.pss}) MB at {args.big:,} (target < 200 MB)")


if __name__ == "__main__":
    main()

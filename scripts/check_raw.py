"""Augment the real raw corpora and audit every copy with checks independent of augtool's tokenizer.

Usage: python scripts/check_raw.py [RAW_DIR] [--sample N] [--alpha 0.1 --alpha 0.3] [--workers 2]
                                   [--files 'sib*'] [--lang auto|en|any] [--examples] [--json report.json]

RAW_DIR defaults to $AUGTOOL_RAW, else ../shared/eval-data/raw beside the repository
(or ../../shared, for a git worktree).
Every *.jsonl file there is read with its text fields (raw/SOURCES.md: agnews title and
description, every other file text), and each record gets 4 copies per alpha with the
default operations, lexicon and --lang. Each field of each copy is compared with its
source by augtool.audit (its own regexes, word list and offensive-term list). SIB-200's
"lang" field is the truth for English vs not. One table row per file and alpha; the exit
status is 1 when any figure passes a threshold of issue 8:

  zero markup/escape/placeholder (any protected shape) changes, zero acronyms replaced,
  zero offensive words introduced, zero English words introduced into non-English records,
  new mid-sentence capitalised words in at most 0.5 % of copies, non-words at most
  0.5 % of introduced words, every line break kept.

--sample N reads only the first N records of each file (a quick run); --files picks files
by glob; --lang runs another language mode (to compare: any lets English into other languages).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import orjson

from augtool.audit import Audit

REPO = Path(__file__).resolve().parent.parent
FIELDS = {"agnews": ("title", "description")}  # by file-name prefix; every other file: text
N_AUG = 4
CHUNK = 400
# (figure in Audit.to_json, limit, what it means); a figure above its limit fails the run.
THRESHOLDS = (
    ("shapes", 0, "copies with markup/escape/placeholder/code/URL/path changed"),
    ("acronyms", 0, "acronyms replaced"),
    ("offensive", 0, "copies with offensive words introduced"),
    ("english_gained", 0, "non-English copies with English words gained"),
    ("new_capitals_share", 0.005, "share of copies with new mid-sentence capitals"),
    ("nonword_share", 0.005, "share of introduced words that are not words"),
    ("breaks", 0, "line breaks lost"),
)


def default_raw() -> Path:
    """$AUGTOOL_RAW, else ../shared/eval-data/raw beside the repository (or beside the worktrees)."""
    if os.environ.get("AUGTOOL_RAW"):
        return Path(os.environ["AUGTOOL_RAW"])
    candidates = [REPO.parent / "shared", REPO.parent.parent / "shared"]
    return next((c for c in candidates if c.is_dir()), candidates[0]) / "eval-data" / "raw"


def fields_of(path: Path) -> tuple[str, ...]:
    """The text fields of a raw file, from raw/SOURCES.md."""
    return next((f for prefix, f in FIELDS.items() if path.name.startswith(prefix)), ("text",))


def chunks(path: Path, sample: int | None) -> Iterator[list[bytes]]:
    """The file's lines (the first ``sample`` of them), CHUNK at a time."""
    batch: list[bytes] = []
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh):
            if sample is not None and number >= sample:
                break
            batch.append(raw)
            if len(batch) == CHUNK:
                yield batch
                batch = []
    if batch:
        yield batch


_pipelines: dict[tuple[tuple[str, ...], float, str], Any] = {}


def audit_chunk(job: tuple[str, tuple[str, ...], float, str, list[bytes]]) -> tuple[str, float, Audit]:
    """Augment a chunk of records in this process and audit every field of every copy."""
    name, fields, alpha, lang, lines = job
    from augtool import default_resources
    from augtool.pipeline import Options, Pipeline

    key = (fields, alpha, lang)
    if key not in _pipelines:
        options = Options(n_aug=N_AUG, alpha=alpha, seed=0, fields=fields, keep_original=False, lang=lang)
        _pipelines[key] = Pipeline(options, default_resources())
    pipe = _pipelines[key]
    audit = Audit()
    for raw in lines:
        record = orjson.loads(raw)
        if any(not isinstance(record.get(f), str) for f in fields):
            continue
        # SIB-200 says which language each sentence is in; the other corpora are English.
        english = record.get("lang", "eng_Latn") == "eng_Latn"
        for copy in pipe.augment([record]):
            if "_aug" not in copy:
                continue  # no operation could change it: passed through
            for f in fields:
                audit.add(record[f], copy[f], english=english)
    return name, alpha, audit


def table(results: dict[tuple[str, float], Audit]) -> list[str]:
    """One row per file and alpha."""
    head = (f"{'file':<30} {'alpha':>5} {'copies':>7} {'shapes':>6} {'acron':>5} {'names':>5} {'letters':>7} "
            f"{'newcap%':>7} {'offens':>6} {'nonword%':>8} {'breaks':>6} {'en+':>5}")
    lines = [head, "-" * len(head)]
    for (name, alpha), audit in sorted(results.items()):
        r = audit.to_json()
        english_gained = f"{r['english_gained']:>5}" if r["non_english_copies"] else f"{'-':>5}"
        lines.append(
            f"{name:<30} {alpha:>5} {r['copies']:>7,} {r['shapes']:>6} {r['acronyms']:>5} {r['names']:>5} "
            f"{r['letters']:>7} {r['new_capitals_share']:>7.2%} {r['offensive']:>6} {r['nonword_share']:>8.2%} "
            f"{r['breaks']:>6} {english_gained}"
        )
    return lines


def failures(results: dict[tuple[str, float], Audit]) -> list[str]:
    """Every figure above its threshold, as a line."""
    out = []
    for (name, alpha), audit in sorted(results.items()):
        report = audit.to_json()
        for figure, limit, meaning in THRESHOLDS:
            value = report[figure]
            if value > limit:
                shown = f"{value:.2%}" if isinstance(value, float) else f"{value:,}"
                out.append(f"{name} alpha {alpha}: {meaning}: {shown} (limit {limit})")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("raw", nargs="?", type=Path, default=None)
    parser.add_argument("--sample", type=int, default=None, help="only the first N records of each file")
    parser.add_argument("--alpha", type=float, action="append", help="repeatable (default: 0.1 and 0.3)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--files", default="*.jsonl", help="glob of the files to read (default: all)")
    parser.add_argument("--lang", default="auto", choices=("auto", "en", "any"))
    parser.add_argument("--examples", action="store_true", help="print examples of each finding")
    parser.add_argument("--json", type=Path, help="write every figure and example here")
    args = parser.parse_args()
    raw = args.raw or default_raw()
    if not raw.is_dir():
        print(f"check_raw: {raw} not found; skipped (set AUGTOOL_RAW or pass the raw directory)", file=sys.stderr)
        return 0
    alphas = args.alpha or [0.1, 0.3]
    files = sorted(raw.glob(args.files))
    jobs = [
        (path.name, fields_of(path), alpha, args.lang, chunk)
        for path in files
        for alpha in alphas
        for chunk in chunks(path, args.sample)
    ]
    started = time.perf_counter()
    results: dict[tuple[str, float], Audit] = {}
    if args.workers > 1:
        with get_context("fork" if sys.platform != "win32" else "spawn").Pool(args.workers) as pool:
            done = list(pool.imap(audit_chunk, jobs))  # in order: the same examples every run
    else:
        done = [audit_chunk(job) for job in jobs]
    for name, alpha, audit in done:
        results.setdefault((name, alpha), Audit()).merge(audit)
    print("\n".join(table(results)))
    print(f"({len(files)} files, {len(alphas)} alphas, {N_AUG} copies per record, "
          f"{time.perf_counter() - started:.0f} s; copies = fields of copies audited)")
    if args.examples:
        for (name, alpha), audit in sorted(results.items()):
            for kind, items in sorted(audit.examples.items()):
                print(f"  {name} {alpha} {kind}: {' | '.join(items)}")
    if args.json:
        report = {f"{name}@{alpha}": audit.to_json() for (name, alpha), audit in sorted(results.items())}
        args.json.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    problems = failures(results)
    for line in problems:
        print(f"FAIL {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

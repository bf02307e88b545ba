"""Run ``augtool evaluate`` on the EDA paper's five datasets; print the results as Markdown tables.

Usage: python scripts/eval_real.py [--data DIR] [--datasets sst2,cr,subj,trec,pc] [--sizes 500,2000]
                                   [--json-out FILE] [-- EXTRA EVALUATE FLAGS, e.g. --variant 'a=--ops sr']

DIR holds NAME.train.jsonl and NAME.test.jsonl for each dataset ({"text": ..., "label": ...});
default: $AUGTOOL_EVAL_DATA, else ../shared/eval-data beside the repository. Seeds: 10 at
N <= 1,000, 5 above (evaluate's default); copies per record by size from augtool's presets
(16 at N = 500 and 2,000), alpha 0.1.
The five-dataset mean gain is paired by seed: each seed's gains averaged over the datasets,
then a 95 % t interval over seeds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from augtool.evaluate import BASELINE, paired
from augtool.presets import for_size

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path(os.environ.get("AUGTOOL_EVAL_DATA") or REPO.parent / "shared" / "eval-data")


def _cell(mean: float, low: float | None, high: float | None, sign: str = "+") -> str:
    interval = "" if low is None or high is None else f" [{low:{sign}.2f}, {high:{sign}.2f}]"
    return f"{mean:{sign}.2f}{interval}"


def _run(data: Path, name: str, sizes: str, extra: list[str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "augtool", "evaluate", "--train", str(data / f"{name}.train.jsonl"),
               "--test", str(data / f"{name}.test.jsonl"), "--sizes", sizes, "--alpha", "0.1", "--n-aug", "auto",
               "--variants", "augtool,eda-like", "--json", *extra]
    proc = subprocess.run(command, stdout=subprocess.PIPE)  # progress and warnings pass through on stderr
    if proc.returncode:
        sys.exit(f"eval_real: augtool evaluate failed on {name} (exit {proc.returncode})")
    return json.loads(proc.stdout)


def _gain_table(reports: dict[str, dict[str, Any]]) -> list[str]:
    first = next(iter(reports.values()))
    variants = list(dict.fromkeys(r["variant"] for r in first["runs"] if r["variant"] != BASELINE))
    lines = ["| dataset | N | none | " + " | ".join(variants) + " |", "|---|---:|---:|" + "---:|" * len(variants)]
    for size in first["settings"]["sizes"]:
        per_seed: dict[str, list[list[float]]] = {v: [] for v in variants}
        none_acc = []
        for name, report in reports.items():
            gains = {g["variant"]: g for g in report["gains_pts"] if g["size"] == size}
            none_acc.append(statistics.fmean(r["accuracy"] for r in report["runs"]
                                             if r["size"] == size and r["variant"] == BASELINE))
            cells = [f"{_cell(g['mean'], g['low'], g['high'])} {g['better']}/{g['worse']}"
                     for g in (gains[v] for v in variants)]
            lines.append(f"| {name} | {size:,} | {none_acc[-1]:.3f} | " + " | ".join(cells) + " |")
            for v in variants:
                per_seed[v].append(list(gains[v]["diffs"]))
        cells = []
        for v in variants:
            p = paired([statistics.fmean(seed) for seed in zip(*per_seed[v])])  # each seed's mean over datasets
            cells.append(f"**{_cell(p.mean, p.low, p.high)}** {p.better}/{p.worse}")
        lines.append(f"| mean of {len(reports)} | {size:,} | {statistics.fmean(none_acc):.3f} | "
                     + " | ".join(cells) + " |")
    return lines


def _fidelity_table(reports: dict[str, dict[str, Any]]) -> list[str]:
    variants = [f["variant"] for f in next(iter(reports.values()))["fidelity"]]
    lines = ["| dataset | accuracy on originals | " + " | ".join(f"{v}: drop [95 %]; = source / = sibling"
                                                         for v in variants) + " |",
             "|---|---:|" + "---:|" * len(variants)]
    drops: dict[str, list[tuple[float, float, float]]] = {v: [] for v in variants}
    for name, report in reports.items():
        by_variant = {f["variant"]: f for f in report["fidelity"]}
        cells = []
        for v in variants:
            f = by_variant[v]
            d = f["drop_pts"]
            drops[v].append((d["mean"], f["same_as_source"], f["same_as_sibling"]))
            cells.append(f"{_cell(d['mean'], d['low'], d['high'], '')}; "
                         f"{f['same_as_source']:.1%} / {f['same_as_sibling']:.1%}")
        lines.append(f"| {name} | {by_variant[variants[0]]['originals']:.3f} | " + " | ".join(cells) + " |")
    means = {v: [statistics.fmean(column) for column in zip(*drops[v])] for v in variants}
    lines.append(f"| mean of {len(reports)} | | " + " | ".join(f"**{m[0]:.2f}**; {m[1]:.1%} / {m[2]:.1%}"
                                                            for m in means.values()) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"dataset folder (default {DEFAULT_DATA})")
    parser.add_argument("--datasets", default="sst2,cr,subj,trec,pc")
    parser.add_argument("--sizes", default="500,2000")
    parser.add_argument("--json-out", type=Path, help="also write every dataset's evaluate report here")
    parser.add_argument("extra", nargs="*", help="more augtool evaluate flags, after --")
    args = parser.parse_args()
    names = [n.strip() for n in args.datasets.split(",") if n.strip()]
    missing = [str(args.data / f"{n}.{part}.jsonl") for n in names for part in ("train", "test")
               if not (args.data / f"{n}.{part}.jsonl").is_file()]
    if not args.data.is_dir():
        sys.exit(f"eval_real: no data folder {args.data}\n"
                 "Pass the folder with --data DIR (or AUGTOOL_EVAL_DATA, or `make eval EVAL_DATA=DIR`).")
    if missing:
        sys.exit(f"eval_real: missing data: {', '.join(missing)}\n"
                 "Pass the folder with --data DIR (or AUGTOOL_EVAL_DATA, or `make eval EVAL_DATA=DIR`).")
    reports = {}
    for i, name in enumerate(names, 1):
        started = time.monotonic()
        print(f"eval_real: [{i}/{len(names)}] {name}", file=sys.stderr, flush=True)
        reports[name] = _run(args.data, name, args.sizes, args.extra)
        print(f"eval_real: {name} done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    if args.json_out:
        args.json_out.write_text(json.dumps(reports, indent=1) + "\n")
    settings = next(iter(reports.values()))["settings"]
    seeds = ", ".join(f"{s} at N = {int(n):,}" for n, s in settings["seeds"].items())
    rule = {v["n_aug"] for v in settings["variants"].values()}
    copies = (", ".join(f"{for_size(int(n))[1]} at N = {int(n):,}" for n in settings["seeds"])
              if rule == {"by size"} else "/".join(map(str, sorted(rule, key=str))))
    print(f"Gain over no augmentation, accuracy points: mean [95 % t interval] and seeds better/worse, "
          f"paired by seed ({seeds}). {settings['classifier']}; row weights {settings['weights']}. "
          f"Copies per record: {copies} (augtool's presets, augtool/presets.py); alpha 0.1.\n")
    print("\n".join(_gain_table(reports)))
    print(f"\nLabel fidelity: accuracy drop (points) from the test texts to {settings['fidelity_copies']} "
          "augmented copies of each, labelled as their source, by a classifier trained on all training "
          "originals; copies equal to their source / to a sibling (case and spacing ignored).\n")
    print("\n".join(_fidelity_table(reports)))


if __name__ == "__main__":
    main()

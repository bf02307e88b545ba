"""Run ``augtool evaluate`` on the five EDA datasets in ../shared/eval-data; print a markdown table.

Usage: python scripts/eval_real.py [--sizes 500,2000] [--seeds 3] [--datasets sst2,cr,subj,trec,pc]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "eval-data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="500,2000")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--datasets", default="sst2,cr,subj,trec,pc")
    args = parser.parse_args()
    variants = ["none", "augtool", "eda-like"]
    print(f"Test accuracy (mean ± sd over {args.seeds} seeds; TF-IDF 1-2 grams + logistic regression; "
          "copies and alpha per EDA's Table 3)\n")
    print("| dataset | N | " + " | ".join(variants) + " | fidelity: originals | augtool copies | eda-like copies |")
    print("|---|---:|" + "---:|" * (len(variants) + 3))
    for name in args.datasets.split(","):
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "augtool", "evaluate", "--train", str(DATA / f"{name}.train.jsonl"),
             "--test", str(DATA / f"{name}.test.jsonl"), "--sizes", args.sizes, "--seeds", str(args.seeds),
             "--variants", ",".join(variants), "--json"],
            capture_output=True, check=True,
        )
        report = json.loads(proc.stdout)
        fidelity = report["label_fidelity"]
        for size in sorted({row["size"] for row in report["accuracy"]}):
            cells = []
            for variant in variants:
                row = next(r for r in report["accuracy"] if r["size"] == size and r["variant"] == variant)
                cells.append(f"{row['mean']:.3f} ± {row['sd']:.3f}")
            print(f"| {name} | {size:,} | " + " | ".join(cells)
                  + f" | {fidelity['originals']:.3f} | {fidelity['augtool']:.3f} | {fidelity['eda-like']:.3f} |")
        print(f"<!-- {name}: {time.perf_counter() - started:.0f} s -->", file=sys.stderr)


if __name__ == "__main__":
    main()

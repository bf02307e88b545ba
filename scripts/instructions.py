"""Count the instructions augtool executes per record: a measure the machine's other users do not move.

Timings on a shared machine vary by more than most single changes to the per-record path
(docs/performance.md, session 6). valgrind's callgrind counts the instructions executed
inside ``Pipeline.process_line`` of a compiled install, so two builds can be compared
exactly: the same build gives the same count to the instruction, with the hash seed fixed.

    python scripts/instructions.py --python build/install-check/venv/bin/python [--cold]

``--warm N`` records go through the pipeline first (not counted), so the per-word caches
are filled as in a long run; ``--cold`` counts the first records of a fresh pipeline, what
each slice and worker pays before its caches fill. Needs valgrind, and a compiled build:
the count is taken inside the compiled ``process_line``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "eval-data" / "pc.train.jsonl"

# Run under valgrind: the warm-up goes through Pipeline.augment, which never calls process_line,
# so only the measured records are counted.
DRIVER = """
import json, sys, orjson
from augtool import io
from augtool.augmenters import Resources
from augtool.pipeline import Options, Pipeline
lines = open(sys.argv[1], "rb").read().splitlines()
warm, count = int(sys.argv[2]), int(sys.argv[3])
if len(lines) < max(warm, count):
    sys.exit(f"{sys.argv[1]} has {len(lines)} lines; {max(warm, count)} wanted")
chosen = {name: tuple(v) if isinstance(v, list) else v for name, v in json.loads(sys.argv[4]).items()}
options = Options(**{"seed": 1, **chosen})
resources = Resources(stopwords=io.load_stopwords(None), lexicon=lambda: io.load_lexicon(None),
                      morphology=io.load_morphology, policy=options.policy)
pipeline = Pipeline(options, resources)
for _ in pipeline.augment(orjson.loads(line) for line in lines[:warm]):
    pass
for number, line in enumerate(lines[:count], 1):
    pipeline.process_line(line, number)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=str(REPO / "build" / "install-check" / "venv" / "bin" / "python"),
                        help="the Python of a compiled augtool install")
    parser.add_argument("--data", type=Path, default=DATA, help="JSONL records with a 'text' field")
    parser.add_argument("--warm", type=int, default=4000, help="records through the pipeline first, not counted")
    parser.add_argument("--records", type=int, default=2000, help="records counted")
    parser.add_argument("--cold", action="store_true", help="no warm-up: the first records of a fresh pipeline")
    parser.add_argument("--option", action="append", default=[], metavar="NAME=JSON", type=_option,
                        help="a pipeline option other than the default, as a JSON value: guards=false, "
                             'lang=\'"en"\', ops=\'["sr","rd"]\' (repeatable)')
    parser.add_argument("--keep", type=Path, metavar="FILE",
                        help="keep callgrind's output here, for callgrind_annotate --inclusive=yes FILE")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("instructions: valgrind not found (apt-get install valgrind)")
    # Absolute, as valgrind runs in a temporary folder; not resolved: a venv's python is a symlink.
    args.python = os.path.abspath(args.python)
    # -P: the install's augtool, not a source tree in the working directory.
    variant = subprocess.run([args.python, "-P", "-c", "from augtool._compiled import variant; print(variant())"],
                             capture_output=True, text=True, check=True).stdout.strip()
    if not variant.startswith("compiled"):
        sys.exit(f"instructions: {args.python} runs augtool {variant}; the count needs a compiled build")
    warm = 0 if args.cold else args.warm
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # set and dict order, and so the count, depend on it
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        driver = Path(tmp) / "driver.py"
        driver.write_text(DRIVER, encoding="utf-8")
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/callgrind.out",
             "--toggle-collect=__pyx_pw_7augtool_8pipeline_8Pipeline_*process_line",
             args.python, str(driver), str(args.data.resolve()), str(warm), str(args.records),
             json.dumps(dict(args.option))],
            capture_output=True, text=True, env=env, cwd=tmp,
        )
        if args.keep is not None and not proc.returncode:
            shutil.copyfile(f"{tmp}/callgrind.out", args.keep)
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode or found is None:
        sys.exit(f"instructions: valgrind failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    total = int(found[1])
    if not total:
        sys.exit("instructions: nothing counted: process_line is not compiled in this build")
    state = "cold" if args.cold else f"after {warm:,} warm-up records"
    if args.option:
        state += "; " + ", ".join(f"{name}={json.dumps(value)}" for name, value in args.option)
    print(f"{total:,} instructions in process_line for {args.records:,} records ({state}): "
          f"{total / args.records:,.0f} a record ({variant}; {args.data.name})")


def _option(text: str) -> tuple[str, object]:
    """NAME=JSON as (name, value)."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=JSON, not {text!r}")
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"{name}: not a JSON value: {value!r} ({exc})") from exc
    return name, parsed


if __name__ == "__main__":
    main()

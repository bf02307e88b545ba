"""Run an installed augtool compiled and with AUGTOOL_PURE=1 on the same inputs; fail unless the bytes match.

Usage: python scripts/compare_variants.py AUGTOOL_EXECUTABLE FILE.jsonl [FILE.jsonl ...]
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Option sets that between them run every built-in operation, chained and not, 1 and 2 workers.
CASES = [
    ["--seed", "7"],
    ["--seed", "3", "--ops", "sr,ri,rs,rd,punct", "--chain", "--n-aug", "3", "--alpha", "0.3"],
    ["--seed", "5", "--senses", "all", "--no-inflect", "--workers", "2"],
]

# The compiled Stream multiplies in 128-bit C integers: its draws must be the pure ones, for range
# sizes up to 2**64 - 1 (and past it, where both fall back to Python integers).
DRAWS = """
from augtool.rng import Stream
out = []
for key in (b"a", b"b", b"a longer key" * 9):
    s = Stream(key)
    for n in (1, 2, 7, 1000, 2**31 - 1, 2**32 + 1, 2**40 + 3, 2**63 + 5, 2**64 - 1, 2**64, 2**70 + 1):
        out += [s.randrange(n), s.below(min(n, 2**64 - 1)), s.random(), s.choice(range(min(n, 2**62)))]
    out += [s.randoms(19), s.sample(list(range(300)), 30), s.sample(list(range(9)), 4), s.randint(-5, 5)]
    out += [s.getrandbits(100)]
# rs and rd called with a random.Random draw through rng.stream_of's adapter, a Python subclass of
# the compiled Stream overriding its methods.
import random
from augtool.augmenters import Resources, get
from augtool.tokens import tokenize
for name in ("rs", "rd"):
    op = get(name)(alpha=0.3, resources=Resources(stopwords=frozenset({"the", "a", "on"})))
    out += [op(tokenize("the quick brown fox sat on a mat by the old red door"), random.Random(seed)).text()
            for seed in range(30)]
print(repr(out))
"""


def draws(augtool: str, pure: bool) -> str:
    env = {key: value for key, value in os.environ.items() if key != "AUGTOOL_PURE"}
    if pure:
        env["AUGTOOL_PURE"] = "1"
    python = Path(augtool).parent / "python"
    return subprocess.run([str(python), "-P", "-c", DRAWS], capture_output=True, text=True, env=env, check=True).stdout


def run(augtool: str, path: str, options: list[str], pure: bool) -> tuple[bytes, str]:
    env = {key: value for key, value in os.environ.items() if key != "AUGTOOL_PURE"}
    if pure:
        env["AUGTOOL_PURE"] = "1"
    done = subprocess.run([augtool, "augment", path, "-o", "-", "-q", *options], capture_output=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{augtool} augment {path} {' '.join(options)} failed:\n{done.stderr.decode()}")
    version = subprocess.run([augtool, "--version"], capture_output=True, text=True, env=env, check=True).stdout
    return done.stdout, version.strip()


def main() -> None:
    augtool, paths = sys.argv[1], sys.argv[2:]
    versions = set()
    if draws(augtool, pure=False) != draws(augtool, pure=True):
        raise SystemExit("compiled and pure rng.Stream draw different numbers (scripts/compare_variants.py DRAWS)")
    print("compare-variants: rng.Stream draws the same numbers compiled and pure")
    for path in paths:
        for options in CASES:
            compiled, version = run(augtool, path, options, pure=False)
            pure, pure_version = run(augtool, path, options, pure=True)
            versions |= {version, pure_version}
            if compiled != pure:
                a, b = compiled.splitlines(), pure.splitlines()
                line = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                raise SystemExit(f"compiled and pure output differ on {path} {' '.join(options)} at output line "
                                 f"{line + 1}:\n{a[line] if line < len(a) else b''!r}\n"
                                 f"{b[line] if line < len(b) else b''!r}")
            print(f"compare-variants: {path} {' '.join(options)}: {len(compiled.splitlines()):,} lines identical")
    print(f"compare-variants: ok ({'; '.join(sorted(versions))})")


if __name__ == "__main__":
    main()

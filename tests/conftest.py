"""Shared fixtures: a tiny lexicon, resources built from it, a clean environment, a CLI runner."""

from __future__ import annotations

import faulthandler
import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings

from augtool.augmenters import Resources
from augtool.lexicon import Lexicon, Sense

# `make test` (and so CI) tries the same examples on every run of the same tree: a verdict that
# changes between two runs of one commit cannot tell whether a change is good. New examples are
# drawn by `make fuzz` (HYPOTHESIS_PROFILE=explore); each failure it finds becomes an @example.
settings.register_profile("repeatable", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

TINY_TABLE = {
    "quick": [Sense("a", 5, ("fast", "speedy"))],
    "fox": [Sense("n", 3, ("dodger",))],
    "jump": [Sense("v", 10, ("leap", "bound", "spring")), Sense("n", 2, ("jumping",))],
    "dog": [Sense("n", 42, ("domestic dog", "Canis familiaris"))],
    "lazy": [Sense("a", 1, ("faineant", "indolent"))],
    "car": [Sense("n", 30, ("automobile", "motor car", "auto"))],
    "happy": [Sense("a", 15, ("glad", "felicitous"))],
    "house": [Sense("n", 20, ("home", "dwelling"))],
    # A stopword with a synonym: it must still never be replaced or inserted from.
    "over": [Sense("r", 4, ("all over", "across"))],
}
TINY_STOPWORDS = frozenset({"the", "a", "an", "over", "and", "is", "not", "to", "of", "i", "my"})


@pytest.fixture(scope="session")
def tiny_lexicon() -> Lexicon:
    return Lexicon.from_senses(TINY_TABLE, {"name": "tiny"})


@pytest.fixture(scope="session")
def resources(tiny_lexicon: Lexicon) -> Resources:
    return Resources(stopwords=TINY_STOPWORDS, lexicon=tiny_lexicon)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No AUGTOOL_* setting of the developer's shell may change a test's outcome."""
    for key in list(os.environ):
        if key.startswith("AUGTOOL_"):
            monkeypatch.delenv(key)
    yield


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m augtool`` as a real subprocess; stdout and stderr kept apart."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("AUGTOOL_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "augtool", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=full_env,
        timeout=120,
    )


def load_script(name: str) -> ModuleType:
    """A script of scripts/ imported as a module (they are not part of the package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def start_until_first_shard(args: list[str], out: Path) -> subprocess.Popen[bytes]:
    """Start ``augtool augment ARGS -o OUT`` and return once its first shard is published (stderr piped)."""
    proc = subprocess.Popen([sys.executable, "-m", "augtool", "augment", *args, "-o", str(out)],
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not (out / "part-00000.jsonl").exists():
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.01)
    return proc


# No single test takes near this long; one that hangs (a deadlock, an endless loop) ends the
# whole run with every thread's traceback, instead of CI waiting silently for its time limit.
HANG_SECONDS = 600


@pytest.fixture(autouse=True)
def _watchdog() -> Iterator[None]:
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()

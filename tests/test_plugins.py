"""Plugins: one registered in-process, one found through a real entry point by the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path
from random import Random
from typing import ClassVar

from augtool import augmenters
from augtool.augmenters import Resources
from augtool.pipeline import Options, Pipeline
from augtool.tokens import Tokens

from .conftest import run_cli

PLUGIN_SOURCE = '''
from typing import ClassVar


class Shout:
    """Uppercase every word: easy to recognise in the output."""

    name: ClassVar[str] = "shout"
    summary: ClassVar[str] = "uppercase every word"
    version: ClassVar[int] = 1

    def __init__(self, *, alpha, resources):
        self.alpha = alpha

    def __call__(self, tokens, rng):
        from augtool.tokens import Tokens
        return Tokens([w.upper() for w in tokens.words], list(tokens.seps))
'''


def test_in_process_registration_is_usable_by_name(resources: Resources) -> None:
    @augmenters.register
    class Reverse:
        name: ClassVar[str] = "test-reverse"
        summary: ClassVar[str] = "reverse word order"
        version: ClassVar[int] = 1

        def __init__(self, *, alpha: float, resources: Resources) -> None:
            pass

        def __call__(self, tokens: Tokens, rng: Random) -> Tokens:
            return Tokens(tokens.words[::-1], tokens.seps)

    try:
        pipe = Pipeline(Options(ops=("test-reverse",), n_aug=1), resources)
        out = list(pipe.augment([{"text": "one two three"}]))
        assert out[1]["text"] == "three two one" and out[1]["_aug"]["ops"] == ["test-reverse"]
    finally:
        augmenters._registry.pop("test-reverse")


def test_entry_point_plugin_runs_through_the_cli(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "augtool_shout-0.1.dist-info").mkdir(parents=True)
    (site / "augtool_shout.py").write_text(PLUGIN_SOURCE)
    (site / "augtool_shout-0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: augtool-shout\nVersion: 0.1\n"
    )
    (site / "augtool_shout-0.1.dist-info" / "entry_points.txt").write_text(
        "[augtool.augmenters]\nshout = augtool_shout:Shout\n"
    )
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    listed = run_cli("list", env=env)
    assert "shout" in listed.stdout.decode() and "plugin augtool_shout" in listed.stdout.decode()
    proc = run_cli("augment", "-", "-o", "-", "--ops", "shout", "--n-aug", "1",
                   stdin=b'{"text": "quiet words, https://x.io"}\n', env=env)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert rows[1]["text"] == "QUIET WORDS, https://x.io"
    assert rows[1]["_aug"]["ops"] == ["shout"]

"""Plugins: registered in-process or found through real entry points; broken ones are isolated and named."""

from __future__ import annotations

import json
import os
from pathlib import Path
from random import Random
from typing import ClassVar

import pytest

from augtool import augmenters
from augtool.augmenters import Resources
from augtool.errors import LexiconError, UsageError
from augtool.pipeline import Options, Pipeline
from augtool.tokens import Tokens

from .conftest import run_cli

HEADER = '''
from typing import ClassVar
from augtool.tokens import Tokens
'''

SHOUT = '''
class Shout:
    """Uppercase every word: easy to recognise in the output."""

    name: ClassVar[str] = "shout"
    summary: ClassVar[str] = "uppercase every word"
    version: ClassVar[int] = 1

    def __init__(self, *, alpha, resources):
        self.alpha = alpha

    def __call__(self, tokens, rng):
        return Tokens([w.upper() for w in tokens.words], list(tokens.seps))
'''

# Each one breaks one rule of the contract (docs/plugins.md).
BAD = {
    "noversion": '''
class NoVersion:
    name = "noversion"
    summary = "forgot its version"
    def __init__(self, *, alpha, resources): pass
    def __call__(self, tokens, rng): return Tokens([w[::-1] for w in tokens.words], list(tokens.seps))
''',
    "inplace": '''
class InPlace:
    name, summary, version = "inplace", "edits its input", 1
    def __init__(self, *, alpha, resources): pass
    def __call__(self, tokens, rng):
        tokens.words[0] = "X"
        return Tokens(list(tokens.words), list(tokens.seps))
''',
    "dropper": '''
class Dropper:
    name, summary, version = "dropper", "drops protected text", 1
    def __init__(self, *, alpha, resources): pass
    def __call__(self, tokens, rng): return Tokens(list(tokens.words), [" "] * len(tokens.seps))
''',
    "noneg": '''
class NoNeg:
    name, summary, version = "noneg", "drops negations", 1
    def __init__(self, *, alpha, resources): pass
    def __call__(self, tokens, rng):
        keep = [i for i, w in enumerate(tokens.words) if w.lower() != "not"]
        return Tokens([tokens.words[i] for i in keep], [tokens.seps[0]] + [tokens.seps[i + 1] for i in keep])
''',
    "badinit": '''
class BadInit:
    name, summary, version = "badinit", "takes no options", 1
    def __init__(self): pass
    def __call__(self, tokens, rng): return tokens
''',
    "renamed": '''
class Renamed:
    name, summary, version = "something-else", "calls itself otherwise", 1
    def __init__(self, *, alpha, resources): pass
    def __call__(self, tokens, rng): return tokens
''',
}


def install(site: Path, modules: dict[str, str], points: dict[str, str]) -> dict[str, str]:
    """A fake installed distribution: modules on a path entry and its entry_points.txt; returns the env."""
    info = site / "augtool_plugins-0.1.dist-info"
    info.mkdir(parents=True)
    for name, source in modules.items():
        (site / f"{name}.py").write_text(source)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: augtool-plugins\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[augtool.augmenters]\n" + "".join(f"{name} = {value}\n" for name, value in points.items())
    )
    return {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}


@pytest.fixture
def site(tmp_path: Path) -> dict[str, str]:
    bad_classes = {"noversion": "NoVersion", "inplace": "InPlace", "dropper": "Dropper", "noneg": "NoNeg",
                   "badinit": "BadInit", "renamed": "Renamed"}
    modules = {"augtool_shout": HEADER + SHOUT, "augtool_bad": HEADER + "".join(BAD.values()),
               "augtool_broken": "raise ImportError('the broken plugin cannot import')\n"}
    points = {"shout": "augtool_shout:Shout", "broken": "augtool_broken:Thing", "sr": "augtool_shout:Shout",
              **{name: f"augtool_bad:{cls}" for name, cls in bad_classes.items()}}
    return install(tmp_path / "site", modules, points)


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


def test_register_refuses_a_class_that_breaks_the_protocol() -> None:
    class NoSummary:
        name = "test-nosummary"
        version = 1

        def __init__(self, *, alpha: float, resources: Resources) -> None:
            pass

    with pytest.raises(LexiconError, match="no 'summary' class attribute"):
        augmenters.register(NoSummary)
    assert "test-nosummary" not in augmenters.available()


def test_entry_point_plugin_runs_through_the_cli(site: dict[str, str]) -> None:
    proc = run_cli("augment", "-", "-o", "-", "--ops", "shout", "--n-aug", "1",
                   stdin=b'{"text": "quiet words, https://x.io"}\n', env=site)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert rows[1]["text"] == "QUIET WORDS, https://x.io"
    assert rows[1]["_aug"]["ops"] == ["shout"]


def test_list_shows_every_plugin_and_the_broken_ones_with_their_error(site: dict[str, str]) -> None:
    proc = run_cli("list", env=site)
    assert proc.returncode == 0, proc.stderr
    lines = {line.split()[0]: line for line in proc.stdout.decode().splitlines() if line.split()[0] != "sr"}
    assert "v1  uppercase every word  [plugin augtool_shout:Shout]" in lines["shout"]
    assert "BROKEN" in lines["broken"] and "the broken plugin cannot import" in lines["broken"]
    assert "BROKEN" in lines["noversion"] and "no 'version' class attribute" in lines["noversion"]
    assert "keyword arguments alpha and resources" in lines["badinit"]
    assert "it calls itself 'something-else', not 'renamed'" in lines["renamed"]
    assert "ignored: a plugin cannot replace a built-in" in proc.stdout.decode()
    assert proc.stdout.decode().startswith("sr       v")  # the built-in sr is the one used
    assert "5 augmenters cannot be used" in proc.stderr.decode()  # 4 broken, 1 ignored


def test_a_broken_plugin_hurts_only_the_run_that_asks_for_it(site: dict[str, str]) -> None:
    stdin = b'{"text": "the quick brown fox jumps"}\n'
    assert run_cli("augment", "-", "-o", "-", "--ops", "shout,rs", stdin=stdin, env=site).returncode == 0
    typo = run_cli("augment", "-", "-o", "-", "--ops", "shuot", stdin=stdin, env=site)
    assert typo.returncode == 2 and "unknown augmenter 'shuot' (did you mean 'shout'?)" in typo.stderr.decode()
    broken = run_cli("augment", "-", "-o", "-", "--ops", "broken", stdin=stdin, env=site)
    assert broken.returncode == 5
    assert "plugin 'broken' (augtool_broken:Thing) failed to load" in broken.stderr.decode()


@pytest.mark.parametrize(
    ("op", "message"),
    [
        ("noversion", "augmenter 'noversion' (augtool_bad:NoVersion) does not follow the protocol: no 'version'"),
        ("badinit", "it must be called with the keyword arguments alpha and resources"),
        ("inplace", "augmenter 'inplace' broke its contract: it edited its input in place"),
        ("dropper", "broke its contract: it changed or dropped the protected text ','"),
        ("noneg", "broke its contract: it removed, replaced or reordered a negation"),
    ],
)
def test_contract_breaches_stop_the_run_before_any_output(
    tmp_path: Path, site: dict[str, str], op: str, message: str
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "I do not like it, said the quick brown fox"}\n' * 3)
    out = tmp_path / "out"
    proc = run_cli("augment", str(source), "-o", str(out), "--ops", op, "-q", env=site)
    assert proc.returncode == 5, proc.stderr
    assert message in proc.stderr.decode() and b"Traceback" not in proc.stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_negation_check_follows_no_guards(tmp_path: Path, site: dict[str, str]) -> None:
    proc = run_cli("augment", "-", "-o", "-", "--ops", "noneg", "--no-guards", "-n", "1",
                   stdin=b'{"text": "I do not like it"}\n', env=site)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[1])["text"] == "I do like it"


def test_names_and_suggestions_never_import_a_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install(tmp_path / "site", {"augtool_broken": "raise ImportError('boom')\n"}, {"broken": "augtool_broken:X"})
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    assert augmenters.available() == ["sr", "ri", "rs", "rd", "punct", "broken"]
    with pytest.raises(UsageError, match=r"unknown augmenter 'brokn' \(did you mean 'broken'\?\); available: sr, "):
        augmenters.get("brokn")
    with pytest.raises(UsageError, match=r"unknown augmenter 'rdd' \(did you mean 'rd'\?\)"):
        augmenters.get("rdd")
    with pytest.raises(LexiconError, match="plugin 'broken' \\(augtool_broken:X\\) failed to load: ImportError"):
        augmenters.get("broken")


@pytest.mark.parametrize("independent", [True, False])
def test_a_plugin_may_declare_itself_language_independent(resources: Resources, independent: bool) -> None:
    @augmenters.register
    class Upper:
        name: ClassVar[str] = "test-upper"
        summary: ClassVar[str] = "uppercase the first word"
        version: ClassVar[int] = 1
        language_independent: ClassVar[bool] = independent

        def __init__(self, *, alpha: float, resources: Resources) -> None:
            pass

        def __call__(self, tokens: Tokens, rng: Random) -> Tokens:
            return Tokens([tokens.words[0].upper(), *tokens.words[1:]], list(tokens.seps))

    try:
        french = "Le chat noir dort sur la table de la cuisine depuis ce matin."
        out = list(Pipeline(Options(ops=("test-upper",), n_aug=1), resources).augment([{"text": french}]))
        assert len(out) == (2 if independent else 1)  # a non-English record gets only such operations
    finally:
        augmenters._registry.pop("test-upper")

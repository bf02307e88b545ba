"""The bundled tables read the same when parsed the quick way that start-up uses (see docs/performance.md)."""

from __future__ import annotations

import gc
import gzip
import subprocess
import sys

import pytest

from augtool import io, lang
from augtool.gcpause import paused
from augtool.inflect import SLOTS

from .conftest import run_cli


def _plain_lines(name: str) -> list[str]:
    text = gzip.decompress((io.corpora_dir() / name).read_bytes()).decode("utf-8")
    return [line for line in text.split("\n") if line and not line.startswith("#")]


def test_word_forms_read_as_a_plain_parse_of_the_file() -> None:
    """Every slot's first spelling, and every spelling's way back, against a parse written out here."""
    morphology = io.load_morphology()
    back: dict[str, set[tuple[str, str, str]]] = {}
    for line in _plain_lines(io.EXCEPTIONS_FILE):
        pos, lemma, *slots = line.split("\t")
        for name, spellings in zip(SLOTS[pos], slots, strict=True):
            listed = spellings.split(",") if spellings else []
            assert morphology.form(pos, lemma, name) == (listed[0] if listed else None), (pos, lemma, name)
            for spelling in listed:
                back.setdefault(spelling, set()).add((lemma, pos, name))
    assert len(back) > 10_000
    for spelling, readings in back.items():
        assert set(morphology.readings(spelling)) == readings, spelling


def test_name_forms_read_as_a_plain_parse_of_the_file() -> None:
    only, every = set(), set()
    for line in _plain_lines(lang.NAMES_FILE):
        form, kind = line.split("\t")
        every.add(form)
        if kind == "N":
            only.add(form)
    assert (only, every) == lang.name_forms()
    assert "spielberg" in only and "murphy" in every - only  # a name only, and a name that is also a word


@pytest.mark.parametrize("enabled", [True, False])
def test_a_paused_collector_comes_back_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with pytest.raises(KeyError), paused():
            assert not gc.isenabled()
            raise KeyError("a table that fails to load")
        assert gc.isenabled() == enabled
    finally:
        gc.enable() if was else gc.disable()


_FULL_CLI = "import sys; from augtool.cli import app; sys.argv[0] = 'augtool'; app(prog_name='augtool')"


@pytest.mark.parametrize("command", ["augment", "balance", "evaluate", "list", "preview", "stats", "verify",
                                     "lexicon", "manifest"])
def test_a_command_built_alone_reads_as_in_the_whole_cli(command: str) -> None:
    """main() registers only the command the line names; its help (options, defaults, usage) is unchanged."""
    alone = run_cli(command, "--help")
    whole = subprocess.run([sys.executable, "-c", _FULL_CLI, command, "--help"], capture_output=True, timeout=120)
    assert alone.returncode == whole.returncode == 0
    assert alone.stdout == whole.stdout and b"Usage: augtool " + command.encode() in alone.stdout


def test_a_misspelt_command_still_gets_a_suggestion() -> None:
    done = run_cli("augmnt")
    assert done.returncode == 2 and b"Did you mean 'augment'?" in done.stderr


def _fresh(code: str) -> str:
    """What ``code`` prints in an interpreter of its own (this one has imported every module already)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_the_cli_loads_no_library_stats_or_balance_module() -> None:
    loaded = _fresh("import sys, augtool.cli, augtool.driver; print(' '.join(sorted(sys.modules)))").split()
    assert "augtool.driver" in loaded  # the control: the probe sees augtool's modules
    assert not {"augtool.library", "augtool.stats", "augtool.balance", "augtool.rebalance"} & set(loaded)


@pytest.mark.parametrize("first", ["import augtool.stats, augtool.balance", "augtool.stats; augtool.balance"])
def test_stats_and_balance_stay_the_library_functions(first: str) -> None:
    """Submodules share the names: whichever comes first, the package's attributes are the functions."""
    shown = _fresh(
        f"import augtool\n{first}\nimport augtool.stats, augtool.balance\n"
        "from augtool.stats import DatasetStats\n"
        "print(augtool.stats.__name__, augtool.balance.__module__, DatasetStats.__module__)"
    )
    assert shown.split() == ["dataset_stats", "augtool.library", "augtool.stats"]


def test_the_package_names_resolve_and_unknown_ones_fail() -> None:
    import augtool

    for name in augtool.__all__:
        assert getattr(augtool, name) is not None, name
    assert set(augtool.__all__) <= set(dir(augtool))
    with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
        augtool.nonesuch  # noqa: B018
    with pytest.raises(AttributeError, match="cannot be rebound"):
        augtool.stats = len  # type: ignore[assignment]

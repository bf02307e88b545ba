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

"""Bundled corpora and the small resource files a run loads (lexicon, word forms, stopwords, user lists).

Reading inputs lives in augtool.inputs, the output directory in augtool.outdir,
writers in augtool.writers, manifests in augtool.manifest.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, TypeVar

from augtool.errors import LexiconError, UsageError
from augtool.gcpause import paused
from augtool.inflect import Morphology
from augtool.inputs import STDIO, iter_lines  # noqa: F401 - still importable from here
from augtool.lexicon import Lexicon

LEXICON_FILE = "wordnet-3.0.lex.gz"
EXCEPTIONS_FILE = "english-forms.txt.gz"
STOPWORDS_FILE = "stopwords-en.txt"
T = TypeVar("T")


# --- bundled corpora -------------------------------------------------------


def corpora_dir() -> Path:
    """Where the bundled data lives: inside an installed wheel, else beside the package."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "corpora", here.parent / "corpora"):
        if candidate.is_dir():
            return candidate
    raise LexiconError(f"bundled corpora not found beside {here}; reinstall augtool")


def _load(path: Path, load: Callable[[BinaryIO], T], what: str) -> T:
    try:
        with open(path, "rb") as fh, paused():
            return load(fh)
    except OSError as exc:
        raise LexiconError(f"cannot read {what} {path}: {exc.strerror or exc}") from exc


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Load a lexicon file (the bundled WordNet one by default)."""
    return _load(path or corpora_dir() / LEXICON_FILE, Lexicon.load, "lexicon")


def load_morphology(path: Path | None = None) -> Morphology:
    """Load the table of confirmed word forms for inflection (the bundled one by default)."""
    return _load(path or corpora_dir() / EXCEPTIONS_FILE, Morphology.load, "word forms")


def read_user_file(path: Path, option: str) -> str:
    """Read a small user text file named by an option (protect list, synonym table)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{option}: cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from exc


@lru_cache(maxsize=4)
def load_stopwords(path: Path | None = None) -> frozenset[str]:
    """Read a stopword list: one word a line, '#' starts a comment."""
    path = path or corpora_dir() / STOPWORDS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"cannot read stopwords {path}: {exc.strerror or exc}") from exc
    words = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return frozenset(w for w in words if w)

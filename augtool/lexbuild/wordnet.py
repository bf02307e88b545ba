"""Reading WordNet with NLTK: a dict directory (staged with the files NLTK insists on) or NLTK's own corpus.

The only module that imports nltk, and only when a reader is opened.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from augtool.errors import LexiconError

if TYPE_CHECKING:
    from nltk.corpus.reader.wordnet import WordNetCorpusReader


# WordNet's lexicographer file table, as documented in lexnames(5WN). NLTK's reader
# requires a `lexnames` file, which Debian's wordnet-base does not ship.
LEXNAMES = (
    "adj.all",
    "adj.pert",
    "adv.all",
    "noun.Tops",
    "noun.act",
    "noun.animal",
    "noun.artifact",
    "noun.attribute",
    "noun.body",
    "noun.cognition",
    "noun.communication",
    "noun.event",
    "noun.feeling",
    "noun.food",
    "noun.group",
    "noun.location",
    "noun.motive",
    "noun.object",
    "noun.person",
    "noun.phenomenon",
    "noun.plant",
    "noun.possession",
    "noun.process",
    "noun.quantity",
    "noun.relation",
    "noun.shape",
    "noun.state",
    "noun.substance",
    "noun.time",
    "verb.body",
    "verb.change",
    "verb.cognition",
    "verb.communication",
    "verb.competition",
    "verb.consumption",
    "verb.contact",
    "verb.creation",
    "verb.emotion",
    "verb.motion",
    "verb.perception",
    "verb.possession",
    "verb.social",
    "verb.stative",
    "verb.weather",
    "adj.ppl",
)
_LEXNAME_POS = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}

# The files NLTK's WordNetCorpusReader opens; index.sense is optional for our use.
_READER_FILES = (
    "cntlist.rev",
    "index.sense",
    "index.noun",
    "index.verb",
    "index.adj",
    "index.adv",
    "data.noun",
    "data.verb",
    "data.adj",
    "data.adv",
    "noun.exc",
    "verb.exc",
    "adj.exc",
    "adv.exc",
)


def lexnames_text() -> str:
    """The `lexnames` file content: `NN<TAB>name<TAB>pos-number` per line."""
    return "".join(f"{i:02d}\t{name}\t{_LEXNAME_POS[name.split('.')[0]]}\n" for i, name in enumerate(LEXNAMES))


@contextlib.contextmanager
def wordnet_reader(wordnet_dir: Path | None) -> Iterator[WordNetCorpusReader]:
    """Yield a reader over `wordnet_dir`, staged with a `lexnames` file when it lacks one."""
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    class _EnglishOnlyReader(WordNetCorpusReader):  # type: ignore[misc]  # nltk has no type information
        """A reader that skips the OMW version mapping, which needs NLTK's own wordnet data."""

        def map_wn(self, version: str = "wordnet") -> None:
            """No mapping: we never read Open Multilingual WordNet."""
            return None

    if wordnet_dir is None:
        try:
            root = nltk.data.find("corpora/wordnet")
        except LookupError as exc:
            raise LexiconError(
                "NLTK's wordnet corpus is not installed: run `python -m nltk.downloader wordnet`, "
                "or pass --wordnet DIR with a WordNet dict directory (e.g. /usr/share/wordnet)"
            ) from exc
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "multilingual functions are not available"
            yield _EnglishOnlyReader(root, None)
        return

    missing = [name for name in ("index.noun", "data.noun", "cntlist.rev") if not (wordnet_dir / name).is_file()]
    if missing:
        raise LexiconError(
            f"{wordnet_dir} is not a WordNet dict directory (missing {', '.join(missing)}); "
            "pass the directory holding index.noun and data.noun, e.g. /usr/share/wordnet"
        )
    with tempfile.TemporaryDirectory(prefix="augtool-wordnet-") as tmp:
        # NLTK refuses paths outside nltk.data.path and symlinks leaving the reader's
        # root, so the files are copied into a staging dir that is allowed while we read.
        stage = Path(tmp)
        for name in (*_READER_FILES, "lexnames"):
            if (wordnet_dir / name).is_file():
                shutil.copyfile(wordnet_dir / name, stage / name)
        for name in ("noun.exc", "verb.exc", "adj.exc", "adv.exc"):
            (stage / name).touch()
        if not (stage / "lexnames").is_file():
            (stage / "lexnames").write_text(lexnames_text(), encoding="utf-8")
        nltk.data.path.append(str(stage))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield _EnglishOnlyReader(str(stage), None)
        finally:
            nltk.data.path.remove(str(stage))


def sense_counts(reader: WordNetCorpusReader) -> dict[str, int]:
    """Sense key -> tagged count from cntlist.rev, read once (as Lemma.count() reads it, per call)."""
    out: dict[str, int] = {}
    with reader.open("cntlist.rev") as stream:
        for line in stream:
            parts = line.split()
            if len(parts) == 3 and parts[0] not in out:
                out[parts[0]] = int(parts[2])
    return out

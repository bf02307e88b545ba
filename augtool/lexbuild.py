"""Build the bundled synonym lexicon from WordNet through NLTK's reader (the only module importing nltk)."""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from augtool.errors import LexiconError
from augtool.lexicon import FORMAT, Sense, dumps_lexicon

if TYPE_CHECKING:
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

__all__ = ["LEXNAMES", "build_exceptions", "build_lexicon"]

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
# A fixed stamp instead of today's date keeps rebuilds byte-identical.
_RELEASED = {"3.0": "2006-12", "3.1": "2011-06"}


def lexnames_text() -> str:
    """The `lexnames` file content: `NN<TAB>name<TAB>pos-number` per line."""
    return "".join(f"{i:02d}\t{name}\t{_LEXNAME_POS[name.split('.')[0]]}\n" for i, name in enumerate(LEXNAMES))


def build_lexicon(wordnet_dir: Path | None, out_path: Path) -> dict[str, str]:
    """Read WordNet (a dict dir, or NLTK's `wordnet` corpus when None), write the lexicon, return its info."""
    with _wordnet_reader(wordnet_dir) as reader:
        version = reader.get_version() or "unknown"
        table = collect_senses(reader)
    info = {
        "name": f"wordnet-{version}",
        "format": FORMAT,
        "source": f"WordNet {version}",
        "license": f"WordNet {version} license, see corpora/LICENSE-WordNet.txt",
        "built": _RELEASED.get(version, "unknown"),
        "builder": "augtool.lexbuild from NLTK WordNetCorpusReader; counts are Lemma.count()",
        "entries": str(len(table)),
    }
    data = dumps_lexicon(table, info)
    if out_path.suffix == ".gz":
        # mtime=0 and no file name in the gzip header, so equal input gives equal bytes.
        data = gzip.compress(data, compresslevel=9, mtime=0)
    _write_atomic(out_path, data)
    return info


def build_exceptions(wordnet_dir: Path, out_path: Path) -> int:
    """Copy WordNet's morphological exception lists (``*.exc``) into one ``augtool-exc/1`` file; return its lines."""
    from augtool.inflect import EXC_FORMAT

    lines = []
    for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")):
        path = wordnet_dir / f"{name}.exc"
        if not path.is_file():
            raise LexiconError(f"{path} not found; pass a WordNet dict directory, e.g. /usr/share/wordnet")
        for line in path.read_text(encoding="utf-8").splitlines():
            form, *lemmas = line.split()
            if lemmas:
                lines.append(f"{pos}\t{form}\t{' '.join(lemmas)}")
    header = [f"#format: {EXC_FORMAT}", "#source: WordNet 3.0 *.exc, see corpora/LICENSE-WordNet.txt"]
    data = "\n".join(header + lines) + "\n"
    _write_atomic(out_path, gzip.compress(data.encode("utf-8"), compresslevel=9, mtime=0))
    return len(lines)


def collect_senses(reader: WordNetCorpusReader) -> dict[str, list[Sense]]:
    """Head word -> senses in WordNet order (n, v, a, r; sense number), heads with a synonym only."""
    table: dict[str, list[Sense]] = {}
    for pos in "nvar":
        for name in reader.all_lemma_names(pos):
            head = _normal(name)
            # check_exceptions=False and the lemma filter below drop morphy's extra
            # forms ("axes" -> "axis"), keeping only synsets that contain `name`.
            for synset in reader.synsets(name, pos, check_exceptions=False):
                own = [lemma for lemma in synset.lemmas() if _normal(lemma.name()) == head]
                if not own:
                    continue
                synonyms: list[str] = []
                seen = {head}
                for lemma in synset.lemmas():
                    text = lemma.name().replace("_", " ")
                    if text.lower() not in seen:
                        seen.add(text.lower())
                        synonyms.append(text)
                # "Earth"/"earth" share one lowercased sense key, so summing would double count.
                count = max(lemma.count() for lemma in own)
                table.setdefault(head, []).append(Sense(pos, count, tuple(synonyms)))
    return {
        head: sorted(senses, key=lambda sense: -sense.count)
        for head, senses in sorted(table.items())
        if any(sense.synonyms for sense in senses)
    }


def _normal(name: str) -> str:
    """Lemma name as a head word: lowercase, spaces for underscores."""
    return name.replace("_", " ").lower()


@contextlib.contextmanager
def _wordnet_reader(wordnet_dir: Path | None) -> Iterator[WordNetCorpusReader]:
    """Yield a reader over `wordnet_dir`, staged with a `lexnames` file when it lacks one."""
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    class _EnglishOnlyReader(WordNetCorpusReader):
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


def _write_atomic(out_path: Path, data: bytes) -> None:
    """Write via a temp file in the same directory, so readers never see half a lexicon."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    try:
        # mkstemp makes the file 0600; a bundled data file must be readable by all.
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, out_path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise

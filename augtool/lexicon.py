"""The synonym table: parses a lexicon file object it is handed, never opens or prints.

File format ``augtool-lexicon/3``: UTF-8 text, optionally gzip-compressed. Header lines
``#key: value`` come first (``format`` is required); then one line per head word::

    head<TAB>pos:count:synonym|synonym<TAB>pos:count:synonym<TAB>=pattern|pattern

``head`` is lowercased, ``pos`` one of n v a r, ``count`` a tagged sense count, and
synonyms are ``|``-separated (possibly none). An upper-case pos (N V A R) marks a sense in
which the head is a name or an abbreviation ("Bush", "LA"): it has a count and never any
synonyms, and says that a capitalised spelling of the head may be a name. Format
``augtool-lexicon/1`` is the same without upper-case senses and still loads.
Tab, ``|`` and ``:`` never occur in WordNet lemmas; ``:`` is still safe inside synonyms
because a sense splits on the first two. Lines are sorted as strings, so a lookup bisects
them instead of indexing every head at load. ``augtool.lexwrite`` writes the format.
"""

from __future__ import annotations

import gzip
import re
import zlib
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import BinaryIO

from augtool.errors import LexiconError

__all__ = ["FORMAT", "NAME_TAGS", "POS_TAGS", "Collocation", "Lexicon", "Sense"]

FORMAT = "augtool-lexicon/3"
_READABLE = frozenset({"augtool-lexicon/1", "augtool-lexicon/2", FORMAT})
POS_TAGS = frozenset("nvar")
# A sense whose head is a name or an abbreviation: counted, never a synonym source.
NAME_TAGS = frozenset("NVAR")
_GZIP_MAGIC = b"\x1f\x8b"
# Words whose common senses `senses` keeps at hand (absent ones included) before it starts over.
_CACHE_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class Sense:
    """One sense of a head word: its POS, tagged frequency and the synset's other lemmas."""

    pos: str
    count: int
    synonyms: tuple[str, ...]

    @property
    def is_name(self) -> bool:
        """True for a sense in which the head is a name or an abbreviation (upper-case pos)."""
        return self.pos in NAME_TAGS


@dataclass(frozen=True, slots=True)
class Collocation:
    """A fixed expression holding the head word: the words before and after it, and the synonyms it allows.

    ``*`` stands for any one word ("sort it out"), ``oneself`` for any reflexive pronoun and
    ``one's`` for any possessive. ``allows`` names the head's synonyms that make another fixed
    expression in its place ("kind of" -> "sort of").

    >>> Collocation.parse("appeals _"), Collocation.parse("_ of>sort").allows
    (Collocation(before=('appeals',), after=(), allows=()), ('sort',))
    """

    before: tuple[str, ...]
    after: tuple[str, ...]
    allows: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Collocation:
        """Read ``word _ word>synonym,synonym`` (``_`` marks the head)."""
        pattern, _, allows = text.partition(">")
        words = pattern.split(" ")
        if words.count("_") != 1 or len(words) < 2 or not all(words):
            raise ValueError(f"collocation {text!r} needs one '_' and another word")
        at = words.index("_")
        return cls(tuple(words[:at]), tuple(words[at + 1 :]), tuple(allows.split(",")) if allows else ())

    def __str__(self) -> str:
        """The written form `parse` reads."""
        text = " ".join([*self.before, "_", *self.after])
        return f"{text}>{','.join(self.allows)}" if self.allows else text


class Lexicon:
    """Head word -> senses, parsed lazily so loading the full WordNet table stays fast.

    >>> lex = Lexicon.from_senses({"car": [Sense("n", 71, ("auto", "automobile"))]})
    >>> lex.synonyms("Car")
    ('auto', 'automobile')
    """

    __slots__ = ("_absent", "_collocations", "_common", "_lines", "_parsed", "info")

    def __init__(self, lines: list[str], parsed: dict[str, tuple[Sense, ...]], info: dict[str, str],
                 collocations: dict[str, tuple[Collocation, ...]] | None = None) -> None:
        """Use `load` or `from_senses`; this takes sorted raw lines and/or parsed entries."""
        self.info = info
        self._collocations = collocations or {}
        # The raw `head<TAB>senses` lines, sorted, are searched by bisection: building a
        # dict of 110k heads costs more than the rest of loading, and a run looks up a
        # few thousand words. Parsed entries are cached in `_parsed`.
        self._lines = lines
        self._parsed = parsed
        # word -> `senses(word)`: asked for each lemma several times per new word, and most often
        # for words the table lacks, whose answer would otherwise be a bisection every time.
        self._common: dict[str, tuple[Sense, ...]] = {}
        self._absent: set[str] = set()  # words found in no line, so `_entry` bisects once for each

    def overlay(self, entries: dict[str, tuple[Sense, ...]], info: dict[str, str]) -> Lexicon:
        """This lexicon with ``entries`` replacing the senses of their heads (fixed expressions kept)."""
        return Lexicon(self._lines, {**self._parsed, **entries}, info, self._collocations)

    @classmethod
    def load(cls, fileobj: BinaryIO) -> Lexicon:
        """Parse a lexicon file (plain or gzip) from a binary file object."""
        data = fileobj.read()
        try:
            if data[:2] == _GZIP_MAGIC:
                data = gzip.decompress(data)
            text = data.decode("utf-8")
        except (OSError, EOFError, zlib.error) as exc:
            raise LexiconError(f"lexicon file is not valid gzip: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise LexiconError(f"lexicon file is not UTF-8: {exc}") from exc
        if "\r" in text:  # Windows line ends would leave "\r" on each line's last synonym
            text = text.replace("\r\n", "\n")
        info: dict[str, str] = {}
        start = 0
        while text.startswith("#", start):
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            key, sep, value = text[start + 1 : end].partition(":")
            if not sep or not key.strip():
                raise LexiconError(f"lexicon header line is not '#key: value': {text[start:end]!r}")
            info[key.strip()] = value.strip()
            start = end + 1
        if info.get("format") not in _READABLE:
            raise LexiconError(f"lexicon file has format {info.get('format')!r}, expected {FORMAT!r}")
        lines = text[start:].split("\n")
        if lines[-1] == "":
            lines.pop()
        # A count in the header catches a truncated file, which would otherwise load silently.
        if "entries" in info and info["entries"] != str(len(lines)):
            raise LexiconError(f"lexicon header says {info['entries']} entries but the file has {len(lines)}")
        # Bisection needs the order augtool.lexwrite writes; an edited file may have lost it.
        if lines != sorted(lines):
            bad = next(i for i in range(1, len(lines)) if lines[i] < lines[i - 1])
            raise LexiconError(f"lexicon lines must be sorted by head word; {lines[bad]!r} is out of order")
        return cls(lines, {}, _complete_info(info, len(lines)))

    @classmethod
    def from_senses(cls, table: Mapping[str, Sequence[Sense]], info: Mapping[str, str] | None = None,
                    collocations: Mapping[str, Sequence[Collocation]] | None = None) -> Lexicon:
        """Build a lexicon from head word -> senses (heads are lowercased, senses merged), and fixed expressions."""
        merged: dict[str, list[Sense]] = {}
        for head, senses in table.items():
            merged.setdefault(head.lower(), []).extend(senses)
        parsed = {head: _rank(senses) for head, senses in merged.items()}
        fixed = {head.lower(): tuple(found) for head, found in (collocations or {}).items()}
        return cls([], parsed, _complete_info(dict(info or {}), len(parsed)), fixed)

    def senses(self, word: str) -> tuple[Sense, ...]:
        """Senses of `word` (any case) as a common word, most frequent first; () when absent."""
        found = self._common.get(word)
        if found is None:
            found = tuple(sense for sense in self._entry(word) if not sense.is_name)
            if len(self._common) >= _CACHE_LIMIT:
                self._common.clear()
            self._common[word] = found
        return found

    def names(self, word: str) -> tuple[Sense, ...]:
        """Senses in which `word` is a name or an abbreviation (no synonyms, counts only).

        >>> Lexicon.from_senses({"bush": [Sense("n", 14, ("shrub",)), Sense("N", 1, ())]}).names("Bush")
        (Sense(pos='N', count=1, synonyms=()),)
        """
        return tuple(sense for sense in self._entry(word) if sense.is_name)

    def entry(self, word: str) -> tuple[Sense, ...]:
        """Every sense of `word` (any case), as a common word and as a name, most frequent first; () when absent.

        >>> Lexicon.from_senses({"bush": [Sense("n", 14, ("shrub",)), Sense("N", 1, ())]}).entry("Bush")
        (Sense(pos='n', count=14, synonyms=('shrub',)), Sense(pos='N', count=1, synonyms=()))
        """
        return self._entry(word)

    def _entry(self, word: str) -> tuple[Sense, ...]:
        """Every sense of `word`, parsed on first lookup and cached."""
        key = word.lower()
        found = self._parsed.get(key)
        if found is None:
            if key in self._absent:
                return ()
            line = self._find_line(key)
            if line is None:
                if len(self._absent) >= _CACHE_LIMIT:
                    self._absent.clear()
                self._absent.add(key)
                return ()
            found = self._parsed[key] = _parse_senses(key, line[len(key) + 1 :])
        return found

    def collocations(self, word: str) -> tuple[Collocation, ...]:
        """The fixed expressions (WordNet multi-word lemmas) that hold `word`, a head; () when none.

        >>> lex = Lexicon.from_senses({"court": [Sense("n", 5, ("tribunal",))]},
        ...                           collocations={"court": [Collocation(("appeals",), ())]})
        >>> [str(c) for c in lex.collocations("Court")]
        ['appeals _']
        """
        key = word.lower()
        found = self._collocations.get(key)
        if found is None:
            # Given to `from_senses`, or built from the raw line, which the senses' lookup only checked.
            line = self._find_line(key)
            found = ()
            if line is not None:
                self._entry(key)  # a malformed line fails here, as on any first lookup
                last = line.rpartition("\t")[2]
                if last.startswith("="):
                    found = _parse_fixed(key, last[1:])
            self._collocations[key] = found
        return found

    def _find_line(self, key: str) -> str | None:
        """The raw line of head `key`, by bisection over the sorted lines; None when absent."""
        lines = self._lines
        if not lines or "\t" in key or "\n" in key:
            return None
        prefix = key + "\t"
        i = bisect_left(lines, prefix)
        if i < len(lines) and lines[i].startswith(prefix):
            if i + 1 < len(lines) and lines[i + 1].startswith(prefix):
                raise LexiconError(f"lexicon repeats the head word {key!r}")
            return lines[i]
        # The line just before is exactly `key` when it lacks its tab; say so rather than miss.
        if i > 0 and lines[i - 1] == key:
            raise LexiconError(f"lexicon line {key!r} has no tab after the head word")
        return None

    def synonyms(self, word: str) -> tuple[str, ...]:
        """Distinct synonyms of `word` over its senses in rank order, never `word` itself."""
        seen = {word.lower()}
        out: list[str] = []
        for sense in self.senses(word):
            for synonym in sense.synonyms:
                folded = synonym.lower()
                if folded not in seen:
                    seen.add(folded)
                    out.append(synonym)
        return tuple(out)

    def __contains__(self, word: object) -> bool:
        """True when `word` has at least one synonym."""
        return isinstance(word, str) and bool(self.synonyms(word))

    def __len__(self) -> int:
        """Number of head words."""
        return len(self._lines) or len(self._parsed)

    def __repr__(self) -> str:
        """Name and size, not the table."""
        return f"<Lexicon {self.info.get('name', '?')!r}: {len(self)} entries>"


def _complete_info(info: dict[str, str], entries: int) -> dict[str, str]:
    """Give every lexicon the documented info keys so callers never need .get()."""
    defaults = {"name": "custom", "format": FORMAT, "source": "", "license": "", "built": ""}
    return {**defaults, **info, "entries": str(entries)}


_COUNT = attrgetter("count")


def _rank(senses: Sequence[Sense]) -> tuple[Sense, ...]:
    """Most frequent first; sorted() is stable, even reversed, so WordNet order breaks ties."""
    return tuple(sorted(senses, key=_COUNT, reverse=True))


_ANY_TAG = POS_TAGS | NAME_TAGS


# What `Collocation.parse` accepts, for a whole "=" field: words of no space, ">" or "|", one of
# them "_" alone, and after ">" the allowed synonyms. Lets a lookup check the field without building it.
_WORD = r"(?:[^ >|_][^ >|]*|_[^ >|]+)"
_ONE_FIXED = rf"(?:(?:{_WORD} )+_(?: {_WORD})*|_(?: {_WORD})+)(?:>[^|]*)?"
_FIXED_FIELD = re.compile(rf"{_ONE_FIXED}(?:\|{_ONE_FIXED})*")


def _parse_fixed(head: str, text: str) -> tuple[Collocation, ...]:
    """The fixed expressions of a line's ``=`` field (without the ``=``)."""
    try:
        return tuple(Collocation.parse(part) for part in text.split("|"))
    except ValueError as exc:
        raise LexiconError(f"lexicon entry {head!r}: {exc}") from exc


def _parse_senses(head: str, rest: str) -> tuple[Sense, ...]:
    """Parse the sense fields of one line, on first lookup of its head word, and check its fixed expressions.

    Those are built by `_parse_fixed` only when asked for: a run needs them for few of the words it
    looks up ("family" alone has 1,446), but a malformed one still fails the first lookup.
    """
    senses = []
    fields = rest.split("\t")
    if fields[-1].startswith("="):
        text = fields.pop()[1:]
        if not _FIXED_FIELD.fullmatch(text):
            _parse_fixed(head, text)  # raises, naming the malformed expression
    for field in fields:
        pos, _, tail = field.partition(":")
        count, sep, synonyms = tail.partition(":")
        bad_count = not (count.isascii() and count.isdigit())
        if not sep or pos not in _ANY_TAG or bad_count or (synonyms and pos in NAME_TAGS):
            raise LexiconError(f"lexicon entry {head!r} has a malformed sense {field!r}; expected pos:count:syn|syn")
        senses.append(Sense(pos, int(count), tuple(synonyms.split("|")) if synonyms else ()))
    return _rank(senses)

"""Lemmas and inflections of English words, from a table of confirmed forms only.

Pure: `Morphology.load` parses a file object it is handed. A *form* names how a word is
inflected: ``base``; nouns ``plural``; verbs ``3sg``, ``past``, ``ppart`` (past participle),
``ing``; adjectives and adverbs ``comp``, ``sup``. One spelling can be several forms at
once, written joined by ``+``: "set" is ``base+past+ppart``, "stopped" ``past+ppart``
(``ed`` is accepted for the latter).

Every form comes from the table; nothing is made by suffix rules, so a form that the
table does not confirm is never produced (no "seted", "hourses", "photoes").

File format ``augtool-forms/1``: header lines ``#key: value``, then
``pos<TAB>lemma<TAB>slot<TAB>slot...`` with the slots of `SLOTS` in order; a slot holds
the confirmed spellings, comma-separated, the preferred one first, or nothing.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from augtool.errors import LexiconError
from augtool.gcpause import paused

__all__ = ["FORMS_FORMAT", "NO_EXCEPTIONS", "SLOTS", "Analysis", "Morphology", "analyses", "inflect"]

FORMS_FORMAT = "augtool-forms/1"
SLOTS = {"n": ("plural",), "v": ("3sg", "past", "ppart", "ing"), "a": ("comp", "sup"), "r": ("comp", "sup")}
_SLOT_COUNTS = {pos: len(names) for pos, names in SLOTS.items()}
_ORDER = {name: i for i, name in enumerate(("base", "plural", "3sg", "past", "ppart", "ing", "comp", "sup"))}
# "point of view" -> "points of view": a noun phrase with a preposition does not pluralise its
# last word, and which word it does is not worth guessing.
_PREPOSITIONS = frozenset(
    "of in on at for to from with by about as into over under than per de du la le".split()  # noqa: SIM905
)


@dataclass(frozen=True, slots=True)
class Analysis:
    """One reading of a word: lemma, part of speech and form (slots joined by "+")."""

    lemma: str
    pos: str
    form: str


class Morphology:
    """Confirmed inflected forms per (pos, lemma), and the way back from a form to its lemmas.

    >>> m = Morphology.from_lines(["v\\trun\\truns\\tran\\trun\\trunning", "n\\tgoose\\tgeese"])
    >>> m.form("v", "run", "past"), m.form("n", "goose", "plural"), m.form("v", "run", "ppart")
    ('ran', 'geese', 'run')
    >>> m.readings("run")
    [('run', 'v', 'ppart')]
    """

    __slots__ = ("_forms", "_reverse")

    def __init__(self, forms: dict[tuple[str, str], str] | None = None) -> None:
        """Use `load` or `from_lines`; `forms` maps (pos, lemma) to its slots as the file writes them, tab-separated.

        A slot's spellings are split when asked for: a run asks about a few thousand of the
        8,000 entries, and splitting them all at load cost a sixth of a 1-record run's start-up.
        """
        self._forms = forms or {}
        self._reverse: dict[str, list[tuple[str, str, str]]] | None = None

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Morphology:
        """Build from ``pos<TAB>lemma<TAB>slot...`` lines (headers and blanks skipped)."""
        forms: dict[tuple[str, str], str] = {}
        for number, line in enumerate(lines, 1):
            if not line or line.startswith("#"):
                continue
            pos, _, rest = line.partition("\t")
            lemma, _, slots = rest.partition("\t")
            if _SLOT_COUNTS.get(pos) != slots.count("\t") + 1 or not lemma:
                raise LexiconError(f"forms table line {number} is not 'pos<TAB>lemma<TAB>forms...': {line!r}")
            forms[(pos, lemma)] = slots
        return cls(forms)

    @classmethod
    def load(cls, fileobj: BinaryIO) -> Morphology:
        """Parse an ``augtool-forms/1`` file (plain or gzip)."""
        data = fileobj.read()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        text = data.decode("utf-8")
        if not text.startswith(f"#format: {FORMS_FORMAT}\n"):
            raise LexiconError(f"forms table does not start with '#format: {FORMS_FORMAT}'")
        return cls.from_lines(text.split("\n"))

    def form(self, pos: str, lemma: str, slot: str) -> str | None:
        """The preferred spelling of `lemma` in `slot`; the lemma itself for ``base``; None when unconfirmed."""
        if slot == "base":
            return lemma
        found = self._forms.get((pos, lemma))
        if found is None:
            return None
        spellings = found.split("\t")[SLOTS[pos].index(slot)]
        return spellings.partition(",")[0] if spellings else None

    def readings(self, word: str) -> list[tuple[str, str, str]]:
        """(lemma, pos, slot) for every confirmed spelling equal to `word`."""
        if self._reverse is None:
            # Built on first use: most of a run's words are looked up, and this is one pass.
            reverse: dict[str, list[tuple[str, str, str]]] = {}
            with paused():
                for (pos, lemma), slots in self._forms.items():
                    for name, spellings in zip(SLOTS[pos], slots.split("\t")):
                        if spellings:
                            for spelling in spellings.split(","):
                                reverse.setdefault(spelling, []).append((lemma, pos, name))
            self._reverse = reverse
        return self._reverse.get(word, [])

    def __len__(self) -> int:
        """Number of (pos, lemma) entries."""
        return len(self._forms)


NO_EXCEPTIONS = Morphology()  # no table: base forms only


def analyses(word: str, has: Callable[[str, str], bool], morph: Morphology = NO_EXCEPTIONS) -> list[Analysis]:
    """Every reading of ``word`` (lowercase) whose lemma ``has(lemma, pos)``, one per (lemma, pos).

    >>> m = Morphology.from_lines(["v\\tjump\\tjumps\\tjumped\\tjumped\\tjumping", "n\\tjump\\tjumps"])
    >>> known = {("jump", "v"), ("jump", "n")}
    >>> analyses("jumps", lambda lemma, pos: (lemma, pos) in known, m)
    [Analysis(lemma='jump', pos='n', form='plural'), Analysis(lemma='jump', pos='v', form='3sg')]
    >>> analyses("jumped", lambda lemma, pos: (lemma, pos) in known, m)
    [Analysis(lemma='jump', pos='v', form='past+ppart')]
    """
    found: dict[tuple[str, str], set[str]] = {}
    for pos in "nvar":
        if has(word, pos):
            found[(word, pos)] = {"base"}
    for lemma, pos, slot in morph.readings(word):
        if has(lemma, pos):
            found.setdefault((lemma, pos), set()).add(slot)
    keys = sorted(found, key=lambda key: "nvar".index(key[1]))
    return [Analysis(lemma, pos, "+".join(sorted(found[(lemma, pos)], key=_ORDER.__getitem__)))
            for lemma, pos in keys]


def inflect(lemma: str, pos: str, form: str, morph: Morphology = NO_EXCEPTIONS) -> str | None:
    """``lemma`` in ``form``, or None when the table does not confirm it (or the slots disagree).

    Multi-word verbs inflect their first word, nouns their last; adjectives only one word.

    >>> m = Morphology.from_lines(["v\\tlook\\tlooks\\tlooked\\tlooked\\tlooking", "n\\tcar\\tcars",
    ...                            "v\\tset\\tsets\\tset\\tset\\tsetting", "v\\ttake\\ttakes\\ttook\\ttaken\\ttaking"])
    >>> inflect("look up", "v", "3sg", m), inflect("motor car", "n", "plural", m), inflect("set", "v", "ed", m)
    ('looks up', 'motor cars', 'set')
    >>> inflect("take", "v", "past+ppart", m), inflect("point of view", "n", "plural", m), inflect("zzz", "v", "ing", m)
    (None, None, None)
    """
    if form == "base":
        return lemma
    slots = ("past", "ppart") if form == "ed" else tuple(form.split("+"))
    words = lemma.split(" ")
    if pos == "v":
        at = 0
    elif pos == "n":
        if len(words) > 1 and any(word in _PREPOSITIONS for word in words):
            return None
        at = len(words) - 1
    elif len(words) == 1:
        at = 0
    else:
        return None  # "in effect" has no comparative
    made = {morph.form(pos, words[at], slot) for slot in slots}
    if len(made) != 1 or None in made:
        return None  # unconfirmed, or "take" as past+ppart: took and taken differ
    new = made.pop()
    assert new is not None
    return " ".join([*words[:at], new, *words[at + 1 :]])

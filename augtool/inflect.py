"""Lemmas and inflections of English words, WordNet morphy-style: exception lists plus suffix rules.

Pure: `Morphology.load` parses a file object it is handed. A *form* names how a word is
inflected: ``base``; nouns ``plural``; verbs ``3sg``, ``ing``, ``ed`` (past or participle,
one spelling), ``past``, ``ppart``; adjectives and adverbs ``comp``, ``sup``.

File format ``augtool-exc/1`` (the WordNet 3.0 ``*.exc`` lists in one file): header lines
``#key: value``, then ``pos<TAB>inflected<TAB>lemma[ lemma...]`` with pos one of n v a r.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from augtool.errors import LexiconError

__all__ = ["EXC_FORMAT", "Analysis", "Morphology", "analyses", "inflect"]

EXC_FORMAT = "augtool-exc/1"
_VOWELS = frozenset("aeiou")
_SIBILANT = ("s", "x", "z", "ch", "sh")

# morphy's detachment rules (WordNet's morph(7WN)): suffix, replacement, and the form it marks.
_RULES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "n": (("s", "", "plural"), ("ses", "s", "plural"), ("xes", "x", "plural"), ("zes", "z", "plural"),
          ("ches", "ch", "plural"), ("shes", "sh", "plural"), ("ies", "y", "plural")),
    "v": (("s", "", "3sg"), ("ies", "y", "3sg"), ("es", "e", "3sg"), ("es", "", "3sg"),
          ("ed", "e", "ed"), ("ed", "", "ed"), ("ing", "e", "ing"), ("ing", "", "ing")),
    "a": (("er", "", "comp"), ("est", "", "sup"), ("er", "e", "comp"), ("est", "e", "sup")),
    "r": (),
}


@dataclass(frozen=True, slots=True)
class Analysis:
    """One reading of a word: lemma, part of speech and form."""

    lemma: str
    pos: str
    form: str


@dataclass
class Morphology:
    """WordNet's exception lists both ways: irregular form -> lemmas, lemma -> irregular forms.

    >>> m = Morphology.from_lines(["n\\tgeese\\tgoose", "v\\tran\\trun", "v\\trunning\\trun"])
    >>> m.lemmas("n", "geese"), m.forms("v", "run")
    (('goose',), ('ran', 'running'))
    """

    _lemmas: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    _forms: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Morphology:
        """Build from ``pos<TAB>form<TAB>lemma lemma`` lines (headers and blanks skipped)."""
        morph = cls()
        forms: dict[tuple[str, str], list[str]] = {}
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or parts[0] not in _RULES:
                raise LexiconError(f"exception list line {number} is not 'pos<TAB>form<TAB>lemmas': {line!r}")
            pos, form = parts[0], parts[1].replace("_", " ")
            lemmas = [lemma.replace("_", " ") for lemma in parts[2].split()]
            morph._lemmas[(pos, form)] = tuple(lemmas)
            for lemma in lemmas:
                forms.setdefault((pos, lemma), []).append(form)
        morph._forms = {key: tuple(value) for key, value in forms.items()}
        return morph

    @classmethod
    def load(cls, fileobj: BinaryIO) -> Morphology:
        """Parse an ``augtool-exc/1`` file (plain or gzip)."""
        data = fileobj.read()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        text = data.decode("utf-8")
        if not text.startswith(f"#format: {EXC_FORMAT}\n"):
            raise LexiconError(f"exception list does not start with '#format: {EXC_FORMAT}'")
        return cls.from_lines(text.split("\n"))

    def lemmas(self, pos: str, form: str) -> tuple[str, ...]:
        """Lemmas of an irregular form; () when the form is not listed."""
        return self._lemmas.get((pos, form), ())

    def forms(self, pos: str, lemma: str) -> tuple[str, ...]:
        """Irregular forms listed for a lemma; () when it has none."""
        return self._forms.get((pos, lemma), ())


NO_EXCEPTIONS = Morphology()


def analyses(word: str, has: Callable[[str, str], bool], morph: Morphology = NO_EXCEPTIONS) -> list[Analysis]:
    """Every reading of ``word`` (lowercase) whose lemma ``has(lemma, pos)``: itself, exceptions, rules.

    >>> known = {("jump", "v"), ("jump", "n"), ("run", "v")}
    >>> analyses("jumps", lambda lemma, pos: (lemma, pos) in known)
    [Analysis(lemma='jump', pos='n', form='plural'), Analysis(lemma='jump', pos='v', form='3sg')]
    """
    out: list[Analysis] = []
    for pos in "nvar":
        if has(word, pos):
            out.append(Analysis(word, pos, "base"))
        listed = morph.lemmas(pos, word)
        for lemma in listed:
            if has(lemma, pos):
                form = _irregular_form(word, lemma, pos, morph)
                if form is not None:
                    out.append(Analysis(lemma, pos, form))
        if listed:
            continue  # morphy's rules would only re-find regular misreadings of an irregular form
        for suffix, replacement, form in _RULES[pos]:
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                lemma = word[: len(word) - len(suffix)] + replacement
                # The lemma must give the word back, so "bus" is not read as plural "bu".
                if has(lemma, pos) and inflect(lemma, pos, form, morph) == word:
                    reading = Analysis(lemma, pos, form)
                    if reading not in out:
                        out.append(reading)
    return out


def _irregular_form(word: str, lemma: str, pos: str, morph: Morphology) -> str | None:
    """Which form an exception-list entry is, or None when it cannot be told."""
    if pos == "n":
        return "plural"
    if pos in "ar":
        return "sup" if word.endswith("est") else "comp" if word.endswith("er") else None
    if word.endswith("ing"):
        return "ing"
    if word in _regular_3sg(lemma):
        return "3sg"
    return _past_kind(word, _ed_forms(lemma, morph))


def _ed_forms(lemma: str, morph: Morphology) -> list[str]:
    """The listed past/participle spellings of a verb (not -ing, not -s)."""
    return [f for f in morph.forms("v", lemma) if not f.endswith("ing") and f not in _regular_3sg(lemma)]


def _past_kind(word: str, ed_forms: list[str]) -> str | None:
    """``ed`` when past and participle share a spelling; else past or ppart by the -n ending (took/taken)."""
    distinct = sorted(set(ed_forms))
    if len(distinct) <= 1:
        return "ed"
    if len(distinct) == 2:
        ending_n = [f for f in distinct if f.endswith(("n", "ne"))]
        if len(ending_n) == 1:
            return "ppart" if word == ending_n[0] else "past"
    return None


def _regular_3sg(lemma: str) -> tuple[str, ...]:
    if lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in _VOWELS:
        return (lemma[:-1] + "ies",)
    if lemma.endswith(_SIBILANT) or (lemma.endswith("o") and len(lemma) > 1 and lemma[-2] not in _VOWELS):
        return (lemma + "es",)
    return (lemma + "s",)


def _syllables(word: str) -> int:
    groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1
    return groups


def inflect(lemma: str, pos: str, form: str, morph: Morphology = NO_EXCEPTIONS) -> str | None:
    """``lemma`` in ``form``, or None when that form cannot be made with confidence.

    Multi-word verbs inflect their first word, nouns their last; adjectives only one word.

    >>> inflect("leap", "v", "3sg"), inflect("look up", "v", "ing"), inflect("motor car", "n", "plural")
    ('leaps', 'looking up', 'motor cars')
    """
    if form == "base":
        return lemma
    words = lemma.split(" ")
    if pos == "v":
        head, rest = words[0], words[1:]
        new = _verb(head, form, morph)
        return None if new is None else " ".join([new, *rest])
    if pos == "n" and form == "plural":
        new = _plural(words[-1], morph)
        return None if new is None else " ".join([*words[:-1], new])
    if pos in "ar" and form in ("comp", "sup") and len(words) == 1:
        return _degree(lemma, pos, form, morph)
    return None


def _plural(noun: str, morph: Morphology) -> str | None:
    listed = morph.forms("n", noun)
    if listed:
        regular = _regular_3sg(noun)[0]
        return listed[0] if len(listed) == 1 else (regular if regular in listed else None)
    if not noun.isalpha() or noun.endswith("man"):
        return None  # woman/women but human/humans: WordNet lists neither, so it cannot be told
    return _regular_3sg(noun)[0]


def _verb(verb: str, form: str, morph: Morphology) -> str | None:
    listed = morph.forms("v", verb)
    if form == "3sg":
        return _regular_3sg(verb)[0]
    if form == "ing":
        ing = [f for f in listed if f.endswith("ing")]
        if ing:
            return ing[0] if len(ing) == 1 else None
        if verb.endswith("ie"):
            return verb[:-2] + "ying"
        if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")) and len(verb) > 2:
            return verb[:-1] + "ing"
        return None if verb.endswith("c") else verb + "ing"  # panic/panicking: not guessed
    ed_forms = _ed_forms(verb, morph)
    if not ed_forms:
        if verb.endswith("c"):
            return None
        if verb.endswith("e"):
            return verb + "d"
        if verb.endswith("y") and len(verb) > 1 and verb[-2] not in _VOWELS:
            return verb[:-1] + "ied"
        return verb + "ed"
    distinct = sorted(set(ed_forms))
    if len(distinct) == 1:
        return distinct[0]
    if form in ("past", "ppart"):
        matches = [f for f in distinct if _past_kind(f, distinct) == form]
        return matches[0] if len(matches) == 1 else None
    return None  # took/taken, and the replaced word does not say which one it was


def _degree(adjective: str, pos: str, form: str, morph: Morphology) -> str | None:
    suffix = "er" if form == "comp" else "est"
    listed = [f for f in morph.forms(pos, adjective) if f.endswith(suffix)]
    if listed:
        return listed[0] if len(listed) == 1 else None
    if pos == "r" or not adjective.isalpha():
        return None
    syllables = _syllables(adjective)
    if syllables == 1:
        return adjective + suffix[1:] if adjective.endswith("e") else adjective + suffix
    if syllables == 2 and adjective.endswith("y") and adjective[-2] not in _VOWELS:
        return adjective[:-1] + "i" + suffix
    return None  # "more beautiful", not "beautifuller": not a one-word form

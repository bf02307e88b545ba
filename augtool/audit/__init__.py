"""Compare a source text with an augmented copy and name the damage a reader would see.

Deliberately independent of ``augtool.tokens``: a check that shares the
augmenters' tokenizer calls whatever that tokenizer misses clean (a ``<br />``
it splits into words, a ``\\n`` whose ``n`` it edits).  Here every shape has its
own regex, words are found by their own pattern, and words are judged against a
separate English word list (SCOWL, ``corpora/words-en.txt.gz``) and a
hand-written list of offensive terms (``corpora/offensive-en.txt``).

What one copy is checked for (``audit``), each a list in ``CopyAudit``:

- ``shapes``: markup, escapes, placeholders, code, URLs, paths, e-mails,
  mentions, hashtags that are not exactly as in the source (lost or gained);
- ``acronyms`` / ``names`` / ``letters``: an all-capitals abbreviation, a
  mid-sentence capitalised word, or a single letter that the copy replaced
  (moved or deleted is not replaced);
- ``new_capitals``: capitalised words in mid-sentence that the source lacks;
- ``introduced``: words the source lacks; ``nonwords``: those not in the word
  list; ``offensive``: listed terms the source lacks;
- ``breaks``: line breaks lost, by kind (LF, CR, NEL, LS, PS...);
- ``english_gained``: for a non-English source, introduced words that are English.

The patterns are in ``augtool.audit.text``, the word judgements in ``augtool.audit.words``;
this module checks copies and adds the findings up (``Audit``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from augtool.audit.text import BREAK_OF, BREAKS, WORD, initials, shapes, word_key
from augtool.audit.words import Style, is_acronym, is_name, is_word, offensive, offensive_parts, style


@dataclass
class CopyAudit:
    """What is wrong with one copy; every list empty means clean."""

    shapes: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    letters: list[str] = field(default_factory=list)
    new_capitals: list[str] = field(default_factory=list)
    introduced: list[str] = field(default_factory=list)
    nonwords: list[str] = field(default_factory=list)
    offensive: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)  # offensive in one sense, harmless in another
    breaks: dict[str, int] = field(default_factory=dict)
    english_gained: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """No finding of any kind (introduced words alone are not a finding)."""
        return not (self.shapes or self.acronyms or self.names or self.letters or self.new_capitals
                    or self.nonwords or self.offensive or self.breaks or self.english_gained)


@dataclass
class Source:
    """What ``audit`` needs to know about a source text, computed once for all its copies."""

    text: str
    shapes: Counter[tuple[str, str]]
    rest: str  # the text with its shapes blanked out
    texts: list[str]
    present: frozenset[str]
    keys: frozenset[str]
    style: Style
    breaks: dict[str, int]
    offensive: frozenset[str]
    ambiguous: frozenset[str]
    _initials: list[bool] | None = None

    def initials(self) -> list[bool]:
        """Which of the source's words may begin a sentence (worked out on first need)."""
        if self._initials is None:
            self._initials = initials(self.rest)
        return self._initials

    @classmethod
    def of(cls, text: str, common: frozenset[str]) -> Source:
        """Analyse one source text."""
        found, rest = shapes(text)
        texts = WORD.findall(rest)
        keys = [word_key(t) for t in texts]
        breaks = {name: text.count(ch) for ch, name in BREAKS.items() if ch in text}
        return cls(text, found, rest, texts, frozenset(texts), frozenset(keys), style(texts, common), breaks,
                   frozenset(offensive(keys)), frozenset(offensive(keys, ambiguous=True)))


def audit(
    source: str | Source,
    copy: str,
    *,
    english: bool = True,
    known: frozenset[str] | None = None,
    common: frozenset[str] | None = None,
) -> CopyAudit:
    """Check one augmented ``copy`` against its ``source`` (a text, or a ``Source`` made once for many copies).

    ``english`` says whether the source is English (non-English copies are checked
    for English words gained instead of non-words); ``known`` is the word list,
    lowercased, and ``common`` the words it has in lower case (the bundled ones by default).

    >>> a = audit("Tom loves <b>LA</b> &amp; cats", "Uncle tom loves <bromine>LANTHANUM</b> &amp; cats")
    >>> a.shapes, a.acronyms, a.names, a.offensive
    (['markup lost: <b>', 'markup gained: <bromine>'], ['LA'], [], ['uncle tom'])
    """
    if known is None or common is None:
        from augtool.lang import common_words, english_words

        known = english_words() if known is None else known
        common = common_words() if common is None else common
    old = source if isinstance(source, Source) else Source.of(source, common)
    out = CopyAudit()
    new_shapes, new_rest = shapes(copy)
    if old.shapes != new_shapes:
        out.shapes = [f"{kind} lost: {item}" for (kind, item) in (old.shapes - new_shapes).elements()]
        out.shapes += [f"{kind} gained: {item}" for (kind, item) in (new_shapes - old.shapes).elements()]
    if old.text.count("\\") != copy.count("\\") and not out.shapes:
        out.shapes.append("escape: backslashes differ")
    for name, count in old.breaks.items():
        lost = count - copy.count(BREAK_OF[name])
        if lost > 0:
            out.breaks[name] = lost
    new_texts = WORD.findall(new_rest)
    if old.texts == new_texts:
        return out
    present, old_keys = old.present, old.keys
    seen: set[str] = set()
    new_keys: list[str] = []
    for word in new_texts:
        if word in present:
            continue
        key = word_key(word)
        if key in old_keys or key in seen:
            continue
        seen.add(key)
        new_keys.append(key)
        out.introduced.append(word)
        if english:
            if not is_word(key, known):
                out.nonwords.append(word)
        elif len(key) > 1 and (key in known or any(part in known for part in key.split("-") if len(part) > 1)):
            out.english_gained.append(word)  # a stray letter is no English word
    if not old.style.titled:
        # In a headline every word is capitalised, and a synonym keeps that case.
        spots = [i for i, w in enumerate(new_texts) if w not in present and is_name(w)]
        if spots:
            starts = initials(new_rest)
            out.new_capitals = [new_texts[i] for i in spots if not starts[i]]
    if out.introduced:
        # A new offensive phrase has at least one new word ("uncle" in "uncle tom").
        if any(key in offensive_parts() for key in new_keys):
            keys = [word_key(w) for w in new_texts]
            out.offensive = [t for t in offensive(keys) if t not in old.offensive]
            out.ambiguous = [t for t in offensive(keys, ambiguous=True) if t not in old.ambiguous]
        _replaced(old, new_texts, out, common)
    return out



def _replaced(old: Source, new_texts: list[str], out: CopyAudit, common: frozenset[str]) -> None:
    """Acronyms, names and letters the copy replaced: gone from it, and where the alignment put new words."""
    how = old.style
    gone = Counter(old.texts) - Counter(new_texts)
    candidates = {w for w in gone if is_acronym(w, common, how.shouted) or len(w) == 1 or is_name(w)}
    if not candidates:
        return
    starts = old.initials()
    matcher = SequenceMatcher(None, old.texts, new_texts, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "replace":
            continue
        for i in range(i1, i2):
            text = old.texts[i]
            if text not in candidates or not gone[text]:
                continue
            gone[text] -= 1
            if is_acronym(text, common, how.shouted):
                out.acronyms.append(text)
            elif len(text) == 1:
                if text not in ("a", "A", "I"):
                    out.letters.append(text)
            elif not starts[i] and is_name(text) and not (how.titled and text.lower() in common):
                out.names.append(text)


# Figures reported for a set of copies: name -> what it counts.
FIGURES = {
    "shapes": "copies with markup, escape, placeholder, code, URL, path, mention or hashtag changed",
    "acronyms": "acronyms and dotted abbreviations replaced",
    "names": "mid-sentence names replaced",
    "letters": "single letters replaced",
    "new_capitals": "copies with a new capitalised mid-sentence word",
    "offensive": "copies with an offensive word the source lacked",
    "ambiguous": "copies with a word offensive in one sense (ass, tit) the source lacked",
    "breaks": "line breaks lost",
    "english_gained": "copies of non-English records with English words gained",
}


@dataclass
class Audit:
    """Totals over many copies, with a few examples of each finding."""

    examples_per_kind: int = 5
    # copies, english_copies, non_english_copies, introduced_words (in English copies), nonwords
    totals: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)  # per kind of FIGURES
    breaks: Counter[str] = field(default_factory=Counter)
    shape_kinds: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    _source: Source | None = field(default=None, repr=False, compare=False)

    def add(self, source: str, copy: str, *, english: bool = True) -> CopyAudit:
        """Audit one copy and add it to the totals (copies of one source in a row share its analysis)."""
        from augtool.lang import common_words, english_words

        if self._source is None or self._source.text != source:
            self._source = Source.of(source, common_words())
        result = audit(self._source, copy, english=english, known=english_words(), common=common_words())
        self.totals["copies"] += 1
        if english:
            self.totals["english_copies"] += 1
            self.totals["introduced_words"] += len(result.introduced)
            self.totals["nonwords"] += len(result.nonwords)
        else:
            self.totals["non_english_copies"] += 1
        for kind in ("shapes", "new_capitals", "offensive", "ambiguous", "english_gained"):
            items = getattr(result, kind)
            if items:
                self.counts[kind] += 1
                self._example(kind, items)
        for kind in ("acronyms", "names", "letters"):
            items = getattr(result, kind)
            self.counts[kind] += len(items)
            if items:
                self._example(kind, items)
        for item in result.shapes:
            self.shape_kinds[item.split(" ", 1)[0]] += 1
        if result.nonwords:
            self._example("nonwords", result.nonwords)
        for name, lost in result.breaks.items():
            self.breaks[name] += lost
            self.counts["breaks"] += lost
        return result

    def _example(self, kind: str, items: list[str]) -> None:
        examples = self.examples.setdefault(kind, [])
        for item in items:
            if len(examples) >= self.examples_per_kind:
                return
            if item not in examples:
                examples.append(item)

    def merge(self, other: Audit) -> None:
        """Add another audit's totals (e.g. from a worker process)."""
        self.totals.update(other.totals)
        self.counts.update(other.counts)
        self.breaks.update(other.breaks)
        self.shape_kinds.update(other.shape_kinds)
        for kind, items in other.examples.items():
            self._example(kind, items)

    def to_json(self) -> dict[str, Any]:
        """Every figure as plain JSON values; shares are of copies, non-words of introduced words."""
        totals = self.totals
        introduced = totals["introduced_words"]
        return {
            "copies": totals["copies"],
            "non_english_copies": totals["non_english_copies"],
            **{kind: self.counts[kind] for kind in FIGURES},
            "new_capitals_share": round(self.counts["new_capitals"] / (totals["copies"] or 1), 4),
            "introduced_words": introduced,
            "nonwords": totals["nonwords"],
            "nonword_share": round(totals["nonwords"] / introduced, 4) if introduced else 0.0,
            "shape_kinds": dict(sorted(self.shape_kinds.items())),
            "breaks_lost": dict(sorted(self.breaks.items())),
            "examples": {kind: items for kind, items in sorted(self.examples.items())},
        }

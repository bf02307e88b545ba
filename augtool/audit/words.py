"""What a word is to the audit: an acronym, a name, an English word, an offensive term; how a text capitalises.

Judged against the bundled lists (``corpora/words-en.txt.gz`` through ``augtool.lang``, and
``corpora/offensive-en.txt``), never against the lexicon the augmenters use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

OFFENSIVE_FILE = "offensive-en.txt"


@dataclass(frozen=True)
class Style:
    """How a source writes: shouted (many all-capitals common words) or titled (most words capitalised)."""

    shouted: bool = False
    titled: bool = False


def style(texts: list[str], common: frozenset[str]) -> Style:
    """Whether capitals in these words mean emphasis or a headline rather than names.

    >>> common = frozenset({"worst", "airline", "ever", "crowd", "inspires", "beach"})
    >>> style("WORST AIRLINE EVER".split(), common), style("Crowd Inspires Greek Beach".split(), common)
    (Style(shouted=True, titled=False), Style(shouted=False, titled=True))
    """
    shouted = sum(len(t) > 1 and t.isupper() and t.lower() in common for t in texts) >= 3
    long = [t for t in texts if len(t) > 3 and not t.isupper()]
    titled = len(long) >= 3 and sum(t[0].isupper() for t in long) * 4 >= len(long) * 3
    return Style(shouted, titled)


def is_acronym(word: str, common: frozenset[str] = frozenset(), shouted: bool = False) -> bool:
    """Dotted (U.S.), or all capitals (DM, LA, NASA) -- unless a common word in shouted text (RUDE).

    >>> [is_acronym(w, frozenset({"la", "rude"})) for w in ("DM", "U.S.", "LA", "RUDE", "NASA", "Tom", "I")]
    [True, True, True, True, True, False, False]
    >>> [is_acronym(w, frozenset({"la", "rude"}), shouted=True) for w in ("LA", "RUDE", "NASA")]
    [False, False, True]
    """
    if word.endswith("."):
        return True
    if len(word) < 2 or not word.isupper():
        return False
    return not (shouted and word.lower() in common)


def is_name(word: str) -> bool:
    """Capitalised but not all capitals (Tom, McDonald), or inner capitals (iPhone).

    >>> [is_name(w) for w in ("Tom", "McDonald", "iPhone", "DM", "dog", "I")]
    [True, True, True, False, False, False]
    """
    if word == "I" or word.endswith(".") or (len(word) > 1 and word.isupper()):
        return False
    return word[0].isupper() or any(ch.isupper() for ch in word[1:])


@cache
def offensive_terms(*, ambiguous: bool = False) -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    """The bundled offensive terms: single words (with plurals), and phrases as word tuples.

    Lines marked ``?`` are words with an everyday harmless sense too (tit the bird,
    ass the donkey): they are counted apart (``ambiguous=True``).
    """
    from augtool.io import corpora_dir

    single: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    for line in (corpora_dir() / OFFENSIVE_FILE).read_text(encoding="utf-8").splitlines():
        term = line.strip().lower()
        if not term or term.startswith("#") or term.startswith("?") != ambiguous:
            continue
        term = term.lstrip("?")
        parts = tuple(term.replace("-", " - ").split())
        if len(parts) == 1:
            single.update((term, term + ("es" if term.endswith(("s", "sh", "ch", "x", "z")) else "s")))
        else:
            phrases.append(parts)
    return frozenset(single), tuple(phrases)


def offensive(keys: list[str], *, ambiguous: bool = False) -> list[str]:
    """The offensive terms among lowercased words, phrases included (or the ambiguous ones).

    >>> offensive(["that", "uncle", "tom", "said", "fags", "ass"]), offensive(["the", "ass"], ambiguous=True)
    (['fags', 'uncle tom'], ['ass'])
    """
    single, phrases = offensive_terms(ambiguous=ambiguous)
    found = [key for key in keys if key in single]
    expanded = [part for key in keys for part in key.replace("-", " - ").split()]
    for phrase in phrases:
        n = len(phrase)
        if any(tuple(expanded[i : i + n]) == phrase for i in range(len(expanded) - n + 1)):
            found.append(" ".join(phrase).replace(" - ", "-"))
    return found


def is_word(key: str, known: frozenset[str]) -> bool:
    """In the word list, or a compound whose every part is (well-known, long-haired).

    >>> is_word("long-haired", frozenset({"long", "haired"})), is_word("seted", frozenset({"set"}))
    (True, False)
    """
    if key in known:
        return True
    parts = [part for part in re.split(r"['\-]", key) if part]
    return bool(parts) and all(part in known for part in parts)



@cache
def offensive_parts() -> frozenset[str]:
    """Every word of every offensive term: a copy without a new one gains no offensive term."""
    parts: set[str] = set()
    for ambiguous in (False, True):
        single, phrases = offensive_terms(ambiguous=ambiguous)
        parts |= single | {part for phrase in phrases for part in phrase}
    return frozenset(parts)


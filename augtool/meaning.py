"""Choices that keep a copy's meaning: which senses give synonyms, negations, user files.

Pure: the CLI reads the files and hands their lines to the parsers here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from augtool.errors import UsageError
from augtool.lexicon import Sense

SENSES = ("first", "top", "all")
# A sense counts as "top" when its tagged count is at least this share of the
# most frequent sense's count (of the word's dominant part of speech).
TOP_SHARE = 0.25

NEGATIONS = frozenset(
    [
        *("not", "no", "never", "nor", "neither", "none", "nobody", "nothing", "nowhere"),
        *("without", "cannot", "hardly", "barely", "scarcely"),
    ]
)


def is_negation(word: str) -> bool:
    """Negation words, and contractions such as don't or isn’t.

    >>> [is_negation(w) for w in ("Not", "don't", "isn’t", "note", "nothing")]
    [True, True, True, False, True]
    """
    lower = word.lower()
    return lower in NEGATIONS or lower.endswith(("n't", "n’t"))


def choose_senses(senses: Sequence[Sense], policy: str) -> list[Sense]:
    """The senses whose synonyms may replace the word, by tagged frequency and part of speech.

    "all" keeps every sense (EDA's behaviour). Otherwise only the dominant part of
    speech is used (the one whose senses have the most tagged occurrences; with no
    counts at all, the first sense's); "first" keeps its most frequent sense, "top"
    also the senses with at least a quarter of that one's count.

    >>> s = [Sense("n", 40, ("dog",)), Sense("n", 12, ("cad",)), Sense("n", 2, ("frump",)), Sense("v", 3, ("tail",))]
    >>> [x.synonyms[0] for x in choose_senses(s, "top")], [x.synonyms[0] for x in choose_senses(s, "first")]
    (['dog', 'cad'], ['dog'])
    """
    if policy == "all" or not senses:
        return list(senses)
    totals: dict[str, int] = {}
    for sense in senses:
        totals[sense.pos] = totals.get(sense.pos, 0) + sense.count
    best = max(totals.values())
    pos = senses[0].pos if best == 0 else next(p for p, c in totals.items() if c == best)
    ranked = [s for s in senses if s.pos == pos]  # already most frequent first
    if policy == "first" or ranked[0].count == 0:
        return ranked[:1]
    floor = max(1, ranked[0].count * TOP_SHARE)
    return [s for s in ranked if s.count >= floor]


def parse_synonyms(lines: Iterable[str], source: str = "synonyms file") -> dict[str, tuple[bool, tuple[str, ...]]]:
    """A user synonym file: ``word<TAB>synonym<TAB>synonym...``; a leading ``!`` replaces WordNet's.

    Returns word -> (replace, synonyms). Blank lines and ``#`` comments are skipped.

    >>> parse_synonyms(["gpu\\tgraphics card", "!bug\\tdefect\\tfault", "# note"])
    {'gpu': (False, ('graphics card',)), 'bug': (True, ('defect', 'fault'))}
    """
    table: dict[str, tuple[bool, tuple[str, ...]]] = {}
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        head, *synonyms = [part.strip() for part in line.split("\t")]
        replace = head.startswith("!")
        head = head.lstrip("!").lower()
        synonyms = [s for s in synonyms if s]
        if not head or (not synonyms and not replace):
            raise UsageError(f"{source}:{number}: expected word<TAB>synonym[<TAB>synonym...]")
        table[head] = (replace, tuple(synonyms))
    return table


def parse_protect(lines: Iterable[str], source: str = "protect file") -> re.Pattern[str] | None:
    """Protected terms, one per line (``re:`` starts a regular expression), as one pattern.

    Terms match case-insensitively on word boundaries.

    >>> bool(parse_protect(["New York", "re:COVID-\\\\d+"]).search("in new york"))
    True
    """
    parts = []
    for number, line in enumerate(lines, 1):
        term = line.strip()
        if not term or term.startswith("#"):
            continue
        if term.startswith("re:"):
            try:
                re.compile(term[3:])
            except re.error as exc:
                raise UsageError(f"{source}:{number}: bad regular expression: {exc}") from exc
            parts.append(f"(?:{term[3:]})")
        else:
            parts.append(r"\b" + re.escape(term) + r"\b")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None

"""Meaning guards: negation words, user-protected terms, user synonym tables. Pure: parses text it is handed."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from augtool.errors import UsageError
from augtool.lexicon import POS_TAGS, Lexicon, Sense
from augtool.tokens import Tokens

__all__ = [
    "NEGATIONS",
    "compile_protect",
    "freeze",
    "is_negation",
    "negation_bound",
    "negation_bound_of",
    "parse_synonyms",
    "with_synonyms",
]

# Words that flip or cancel what follows; with the guard on, no operation deletes, replaces
# or moves them, nor moves the word right after them. Apostrophe-less contractions are
# common in user text ("dont"), so they are listed too.
NEGATIONS = frozenset(
    [
        "not", "no", "never", "nor", "neither", "none", "nobody", "nothing", "nowhere", "noone",
        "without", "cannot", "hardly", "scarcely", "barely", "nope", "nay", "dont", "doesnt",
        "didnt", "isnt", "arent", "wasnt", "werent", "cant", "couldnt", "wouldnt", "shouldnt",
        "wont", "aint", "havent", "hasnt", "hadnt", "mustnt", "neednt",
    ]
)


def is_negation(word: str) -> bool:
    """True for a negation word, including any "n't" contraction.

    >>> [is_negation(w) for w in ("Never", "don't", "WON’T", "note")]
    [True, True, True, False]
    """
    lower = word.lower()
    return lower in NEGATIONS or lower.endswith(("n't", "n’t"))


def negation_bound(words: list[str]) -> set[int]:
    """Positions no operation may move: each negation and the word right after it (its head).

    >>> sorted(negation_bound(["I", "do", "not", "like", "it"]))
    [2, 3]
    """
    bound: set[int] = set()
    for i, word in enumerate(words):
        if word in _NOT_NEGATION:
            continue
        if is_negation(word):
            bound.update((i, i + 1))
        elif len(_NOT_NEGATION) < 100_000:
            _NOT_NEGATION.add(word)  # most words are not negations: skip the test next time
    bound.discard(len(words))
    return bound


_NOT_NEGATION: set[str] = set()


def negation_bound_of(tokens: Tokens) -> frozenset[int]:
    """``negation_bound`` of a text's words, computed once per text (kept in ``tokens.memo``).

    Every copy of a record starts from the same tokens, and both rs and rd ask.

    >>> tokens = Tokens(["not", "bad"], ["", " ", ""])
    >>> sorted(negation_bound_of(tokens)), negation_bound_of(tokens) is tokens.memo["negations"]
    ([0, 1], True)
    """
    memo = tokens.memo
    found = memo.get("negations") if memo is not None else None
    if found is None:
        found = frozenset(negation_bound(tokens.words))
        if memo is None:
            memo = tokens.memo = {}
        memo["negations"] = found
    return found  # type: ignore[return-value]


def compile_protect(lines: Iterable[str]) -> re.Pattern[str] | None:
    r"""One case-insensitive pattern for a protect list: a term per line, ``re:`` for a regex, ``#`` comments.

    Plain terms match whole words (spaces inside match any whitespace).

    >>> compile_protect(["New York", "re:\\bcovid\\w*"]).findall("new  york, Covid19 NEWYORK")
    ['new  york', 'Covid19']
    """
    parts = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("re:"):
            source = line[3:]
            try:
                re.compile(source)
            except re.error as exc:
                raise UsageError(f"protect list line {number}: bad regex {source!r}: {exc}") from exc
        else:
            source = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in line.split()) + r"(?!\w)"
        parts.append(f"(?:{source})")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def freeze(tokens: Tokens, pattern: re.Pattern[str]) -> Tokens:
    """Move every word that overlaps a match of ``pattern`` into the separators, out of every op's reach.

    >>> freeze(Tokens(["visit", "New", "York", "today"], ["", " ", " ", " ", "!"]), compile_protect(["new york"]))
    Tokens(words=['visit', 'today'], seps=['', ' New York ', '!'])
    """
    text = tokens.text()
    spans = [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
    if not spans:
        return tokens
    words: list[str] = []
    seps: list[str] = [tokens.seps[0]]
    pos = len(tokens.seps[0])
    for word, after in zip(tokens.words, tokens.seps[1:]):
        start, end = pos, pos + len(word)
        pos = end + len(after)
        if any(s < end and e > start for s, e in spans):
            seps[-1] += word + after
        else:
            words.append(word)
            seps.append(after)
    return Tokens(words, seps)


def parse_synonyms(text: str) -> dict[str, tuple[bool, str | None, tuple[str, ...]]]:
    """Parse a synonym table: ``head[/pos]<TAB>syn<TAB>syn``; ``!head`` replaces the lexicon's senses.

    Returns head -> (replace, pos or None, synonyms).

    >>> parse_synonyms("# domain\\nbug\\tdefect\\tfault\\n!python/n\\n")
    {'bug': (False, None, ('defect', 'fault')), 'python': (True, 'n', ())}
    """
    table: dict[str, tuple[bool, str | None, tuple[str, ...]]] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        head, *synonyms = (part.strip() for part in raw.split("\t"))
        replace = head.startswith("!")
        head, _, pos = head.lstrip("!").partition("/")
        if not head or (pos and pos not in POS_TAGS) or any(not s or "|" in s for s in synonyms):
            raise UsageError(
                f"synonym file line {number}: expected 'word[/pos]<TAB>synonym<TAB>...' "
                f"(pos one of n v a r; '!' before the word replaces its lexicon entry), got {raw!r}"
            )
        table[head.lower()] = (replace, pos or None, tuple(synonyms))
    return table


def with_synonyms(lexicon: Lexicon, table: dict[str, tuple[bool, str | None, tuple[str, ...]]],
                  source: str) -> Lexicon:
    """The lexicon with user entries on top: added as its most frequent sense, or replacing it (``!``).

    >>> base = Lexicon.from_senses({"bug": [Sense("n", 5, ("glitch",))]})
    >>> with_synonyms(base, {"bug": (False, None, ("defect",))}, "x").synonyms("bug")
    ('defect', 'glitch')
    """
    parsed = {}
    for head, (replace, pos, synonyms) in table.items():
        old = () if replace else lexicon.senses(head)
        # Ranked first and dominant: the user's sense outweighs all tagged WordNet senses together
        # four to one, so the sense-share rule of senses=top always lets it through.
        count = 4 * sum(sense.count for sense in old) + 4
        own = (Sense(pos or (old[0].pos if old else "n"), count, synonyms),) if synonyms else ()
        parsed[head] = own + tuple(old)
    digest = hashlib.sha256(repr(sorted(table.items())).encode()).hexdigest()[:16]
    info = {**lexicon.info, "synonyms": f"{source} ({len(table)} entries, sha256 {digest})"}
    return Lexicon(lexicon._lines, {**lexicon._parsed, **parsed}, info)

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
    "QUESTION_WORDS",
    "compile_protect",
    "freeze",
    "is_negation",
    "keeps_apart",
    "label_bound",
    "negation_bound",
    "negation_parts",
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


# The stems that tokenised corpora split off "n't" with the apostrophe lost: "don t", "isn t".
_STEMS = frozenset(
    [
        "don", "doesn", "didn", "isn", "aren", "wasn", "weren", "couldn", "wouldn", "shouldn", "won",
        "can", "ain", "hasn", "haven", "hadn", "mustn", "needn", "mightn", "shan",
    ]
)
# A contraction's tail standing as its own word ("is nt", "do n't", "ca nt"): it negates the verb before it.
_TAILS = frozenset(["nt", "n't", "n’t"])
# Sentence-initial question words: with their head ("what is", "how many") they say what kind of
# answer a question wants, which is its label in question classification (TREC).
QUESTION_WORDS = frozenset(["what", "which", "who", "whom", "whose", "how", "why", "when", "where"])
_SENTENCE_END = frozenset(".?!\n\r")


def is_negation(word: str) -> bool:
    """True for a negation word, including any "n't" contraction, glued or split off ("nt").

    >>> [is_negation(w) for w in ("Never", "don't", "WON’T", "note", "nt", "isnt")]
    [True, True, True, False, True, True]
    """
    lower = word.lower()
    return lower in NEGATIONS or lower in _TAILS or lower.endswith(("n't", "n’t"))


def _split_tail(words: list[str], i: int) -> bool:
    """Is ``words[i]`` the split-off tail of a negated verb ("is nt", "do n't", "don t")?"""
    lower = words[i].lower()
    if lower in _TAILS:
        return i > 0
    return lower == "t" and i > 0 and words[i - 1].lower() in _STEMS


def negation_bound(words: list[str]) -> set[int]:
    """Positions no operation may move: each negation, the word right after it (its head),
    and the verb a split-off "nt" / "n't" / "t" belongs to.

    >>> sorted(negation_bound(["I", "do", "not", "like", "it"])), sorted(negation_bound("it is nt funny".split()))
    ([2, 3], [1, 2, 3])
    >>> sorted(negation_bound("don t go".split()))
    [0, 1, 2]
    """
    bound: set[int] = set()
    for i, word in enumerate(words):
        if word in _NOT_NEGATION:
            continue
        if _split_tail(words, i):
            bound.update((i - 1, i, i + 1))
        elif is_negation(word):
            bound.update((i, i + 1))
        elif len(_NOT_NEGATION) < 100_000 and word.lower() != "t":
            # Most words are not negations: skip the test next time. Not "t" in any case, which is
            # a negation's tail after "don" or "DON": what a word is must not depend on the records
            # read before (an earlier "Mr T" would unbind a later "I DON T go" in this process only).
            _NOT_NEGATION.add(word)
    bound.discard(len(words))
    return bound


def negation_parts(words: list[str]) -> set[int]:
    """Positions of the negation words themselves, split stems included ("don" in "don t"), not their heads.

    >>> sorted(negation_parts("don t go , not now".split()))
    [0, 1, 4]
    """
    found: set[int] = set()
    if _NO_PART.issuperset(words):
        return found
    for i, word in enumerate(words):
        if _split_tail(words, i):
            found.update((i - 1, i))
        elif is_negation(word):
            found.add(i)
        elif len(_NO_PART) < 100_000 and word.lower() != "t":
            _NO_PART.add(word)  # no negation, and no tail after a stem ("don t") either: skip it next time
    return found


def question_bound(words: list[str], seps: list[str]) -> set[int]:
    """Each question word that opens a sentence, and its head (the word after it).

    >>> sorted(question_bound("what is an atom".split(), ["", " ", " ", " ", ""]))
    [0, 1]
    >>> sorted(question_bound(["Fine", "How", "so"], ["", ". ", " ", "?"]))
    [1, 2]
    >>> question_bound(["I", "see", "why"], [""] * 4)
    set()
    """
    bound: set[int] = set()
    for i, word in enumerate(words):
        if word.lower() in QUESTION_WORDS and (i == 0 or any(ch in _SENTENCE_END for ch in seps[i])):
            bound.update((i, i + 1))
    bound.discard(len(words))
    return bound


def label_bound(tokens: Tokens) -> frozenset[int]:
    """Words no operation may delete or move: negations with their verb and head, question words with their head.

    Computed once per text (kept in ``tokens.memo``).
    """
    memo = tokens.memo
    found = memo.get("label_bound") if memo is not None else None
    if found is None:
        words = tokens.words
        if _INERT.issuperset(words):
            found = _NOTHING
        else:
            found = frozenset(negation_bound(words) | question_bound(words, tokens.seps))
            _learn(words)
        if memo is None:
            memo = tokens.memo = {}
        memo["label_bound"] = found
    return found  # type: ignore[return-value]


def keeps_apart(before: str, after: str, earlier: str = "") -> bool:
    """True when nothing may be inserted between ``before`` and ``after`` (``earlier`` is the word before ``before``).

    A negation and its head ("not good", "don t go"), a verb and its split-off "nt", a
    question word and its head ("what is"); and nothing goes in front of a question word.

    >>> keeps_apart("not", "good"), keeps_apart("is", "nt"), keeps_apart("", "what"), keeps_apart("a", "b")
    (True, True, True, False)
    >>> keeps_apart("t", "go", "don"), keeps_apart("t", "go", "the")
    (True, False)
    """
    if before in _INERT and after in _INERT:
        return False  # no negation, "t" or question word: none of the tests below can hold
    after_lower, before_lower = after.lower(), before.lower()
    if after_lower in QUESTION_WORDS or before_lower in QUESTION_WORDS:
        return True
    if is_negation(before) or after_lower in _TAILS:
        return True
    if before_lower == "t":
        return earlier.lower() in _STEMS
    return after_lower == "t" and before_lower in _STEMS


_NOT_NEGATION: set[str] = set()
# Words negation_bound skips (in _NOT_NEGATION) that are no question word and no "t" either
# (a "t" after "don" is a negation's tail): in a text of these words only, label_bound and
# negation_parts find nothing, which one set test tells.
_INERT: set[str] = set()
_NOTHING: frozenset[int] = frozenset()
# Words negation_parts found to be no negation and no "t": a text of these only has no negation part.
_NO_PART: set[str] = set()


def _learn(words: list[str]) -> None:
    """Add the words of a text label_bound has just read to _INERT where they belong there."""
    if len(_INERT) >= 100_000:
        return
    for word in words:
        if word not in _INERT and word in _NOT_NEGATION:
            lower = word.lower()
            if lower != "t" and lower not in QUESTION_WORDS:
                _INERT.add(word)


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
    return lexicon.overlay(parsed, info)

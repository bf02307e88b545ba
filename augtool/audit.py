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
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from typing import Any

OFFENSIVE_FILE = "offensive-en.txt"

# Shapes no operation may change, in the order they are taken out of the text
# (a URL's path is not also a path; a tag's attribute is not also a word).  Each
# has the substrings one of which any match must contain: a text without them
# skips that pattern (most texts hold none of "`{$%\\"), and each pattern starts
# with a literal where it can, so the scan stays quick.
_TLD = r"\.(?:com|org|net|edu|gov|io|co|uk|de|fr|ca|au|info|biz|ly)\b"
SHAPES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    # Inline code: not glued to letters, so "it`s" and "`quoted'" (backtick apostrophes) are no code.
    ("code", ("`",), r"```.*?```|(?<![\w`])`[^`\s](?:[^`\n]{0,78}[^`\s])?`(?![\w`])"),
    ("markup", ("<", "&lt;"), r"<!--.*?-->|</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>|&lt;/?[A-Za-z][^&<>]*?&gt;"),
    ("url", ("://", "www."), r"(?:https?|ftp)://[^\s<>\"'`]+|(?<![\w.])www\.[^\s<>\"'`]+"),
    ("domain", ("",), rf"(?<![\w.@-])[A-Za-z0-9][\w-]*(?:\.[\w-]+)*{_TLD}(?:/[^\s<>\"'`]*)?"),
    ("email", ("@",), r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    # An apostrophe entity keeps its clitic: "#39;s" must not become "#39;and".
    ("entity", ("&", "#"), r"(?:&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});|#(?<![\w&]#)\d+;)"
                           r"(?:(?:(?<=39;|17;)|(?<=quo;|pos;))[A-Za-z]+)?"),
    ("path", ("/", ":\\"), r"(?:~|\.\.?)(?:/[\w.-]*\w){2,}/?|/(?<![\w/.]/)[\w.-]*\w(?:/[\w.-]*\w)+/?"
                           r"|[A-Za-z]:\\(?<![\w][A-Za-z]:\\)(?:[^\\\s]+\\?)+"),
    ("placeholder", ("{", "$", "%"), r"\{\{.*?\}\}|\$\{\w+\}|\$[A-Za-z_]\w*|\{[\w.\[\]]*(?:![rsa])?(?::[^{}\s]*)?\}"
                                     r"|%(?:\([\w.]+\))?[-+#0]*\d*(?:\.\d+)?[sdifrxXeEgGcuo]"),
    ("mention", ("@",), r"@(?<![\w@]@)\w+(?:['’][A-Za-z]+)?"),
    ("hashtag", ("#",), r"#(?<![\w&#]#)[^\W\d_]\w*"),
    # A backslash and the character after it; "+" when letters follow, so that
    # "\n" turned into "\nitrogen" shows, while "\nThe" -> "\nBig" does not.
    ("escape", ("\\",), r"\\(?:[A-Za-z]+|.)"),
)
_HAS_TLD = re.compile(_TLD)
_BLOCKS = frozenset({"code", "markup", "escape"})  # they end a sentence as far as capitals go


@cache
def _shape_pattern(kinds: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{name}>{pattern})" for name, _, pattern in SHAPES if name in kinds), re.DOTALL)


def _kinds(text: str) -> tuple[str, ...]:
    """The shapes whose trigger substrings occur in ``text``."""
    return tuple(
        name
        for name, triggers, _ in SHAPES
        if (_HAS_TLD.search(text) is not None if name == "domain" else any(t in text for t in triggers))
    )


# A word: runs of letters with their combining marks, joiners and soft hyphens;
# inner apostrophes and hyphens; or a dotted abbreviation (U.S., e.g.).
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u200c\u200d\u00ad"
_LETTERS = f"[^\\W\\d_]+(?:[{_MARKS}]+[^\\W\\d_]*)*"
_WORD = re.compile(f"(?:[A-Za-z]\\.){{2,}}|{_LETTERS}(?:['’-]{_LETTERS})*")

BREAKS = {"\n": "LF", "\r": "CR", "\u0085": "NEL", "\u2028": "LS", "\u2029": "PS", "\v": "VT", "\f": "FF",
          "\x1c": "FS", "\x1d": "GS", "\x1e": "RS"}
_BREAK_OF = {name: ch for ch, name in BREAKS.items()}


def shapes(text: str) -> tuple[Counter[tuple[str, str]], str]:
    """The protected shapes of ``text`` (kind, text) counted, and the text with them blanked out.

    >>> found, rest = shapes("Hi @bob,<br />see {0} &amp; $PATH")
    >>> sorted(found)
    [('entity', '&amp;'), ('markup', '<br />'), ('mention', '@bob'), ('placeholder', '$PATH'), ('placeholder', '{0}')]
    >>> rest.split()
    ['Hi', ',', 'see']
    """
    found: Counter[tuple[str, str]] = Counter()
    parts: list[str] = []
    last = 0
    kinds = _kinds(text)
    if not kinds:
        return found, text
    for match in _shape_pattern(kinds).finditer(text):
        kind = match.lastgroup or ""
        if kind == "domain":
            kind = "url"
        item = match.group()
        if kind == "escape":
            item = item[:2] + ("+" if len(item) > 2 else "")
        found[kind, item] += 1
        parts.append(text[last : match.start()])
        # A tag or escape is a boundary: what follows starts afresh.
        parts.append(("\n" if kind in _BLOCKS else " ") + " " * (match.end() - match.start() - 1))
        last = match.end()
    parts.append(text[last:])
    return found, "".join(parts)


def initials(text: str) -> list[bool]:
    """For each word of a blanked text (as ``_WORD`` finds them), whether it may begin a sentence.

    A word is in mid-sentence only when a letter, digit or comma comes before it;
    anything else (start, ``.``, ``!``, a quote, a dash, a line break, a tag) may
    begin a sentence or a title, and the check must not cry wolf there.

    >>> initials("Tom met Ann. They left, Bob too")
    [True, False, False, True, False, False, False]
    """
    out = []
    last = 0
    initial = True
    for match in _WORD.finditer(text):
        between = text[last : match.start()].rstrip()
        if between:
            initial = not (between[-1].isalnum() or between[-1] == ",")
        out.append(initial)
        initial = False
        last = match.end()
    return out


def _key(word: str) -> str:
    """A word as looked up: lower case, straight apostrophe, no possessive."""
    word = word.lower().replace("’", "'")
    return word[:-2] if word.endswith("'s") else word


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
        texts = _WORD.findall(rest)
        keys = [_key(t) for t in texts]
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
        lost = count - copy.count(_BREAK_OF[name])
        if lost > 0:
            out.breaks[name] = lost
    new_texts = _WORD.findall(new_rest)
    if old.texts == new_texts:
        return out
    present, old_keys = old.present, old.keys
    seen: set[str] = set()
    new_keys: list[str] = []
    for word in new_texts:
        if word in present:
            continue
        key = _key(word)
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
        if any(key in _offensive_parts() for key in new_keys):
            keys = [_key(w) for w in new_texts]
            out.offensive = [t for t in offensive(keys) if t not in old.offensive]
            out.ambiguous = [t for t in offensive(keys, ambiguous=True) if t not in old.ambiguous]
        _replaced(old, new_texts, out, common)
    return out


@cache
def _offensive_parts() -> frozenset[str]:
    parts: set[str] = set()
    for ambiguous in (False, True):
        single, phrases = offensive_terms(ambiguous=ambiguous)
        parts |= single | {part for phrase in phrases for part in phrase}
    return frozenset(parts)


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
    copies: int = 0
    english_copies: int = 0
    foreign_copies: int = 0
    introduced: int = 0
    nonwords: int = 0
    counts: Counter[str] = field(default_factory=Counter)
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
        self.copies += 1
        if english:
            self.english_copies += 1
            self.introduced += len(result.introduced)
            self.nonwords += len(result.nonwords)
        else:
            self.foreign_copies += 1
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
        for name in ("copies", "english_copies", "foreign_copies", "introduced", "nonwords"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.counts.update(other.counts)
        self.breaks.update(other.breaks)
        self.shape_kinds.update(other.shape_kinds)
        for kind, items in other.examples.items():
            self._example(kind, items)

    def to_json(self) -> dict[str, Any]:
        """Every figure as plain JSON values; shares are of copies, non-words of introduced words."""
        n = self.copies or 1
        return {
            "copies": self.copies,
            "non_english_copies": self.foreign_copies,
            **{kind: self.counts[kind] for kind in FIGURES},
            "new_capitals_share": round(self.counts["new_capitals"] / n, 4),
            "introduced_words": self.introduced,
            "nonwords": self.nonwords,
            "nonword_share": round(self.nonwords / self.introduced, 4) if self.introduced else 0.0,
            "shape_kinds": dict(sorted(self.shape_kinds.items())),
            "breaks_lost": dict(sorted(self.breaks.items())),
            "examples": {kind: items for kind, items in sorted(self.examples.items())},
        }

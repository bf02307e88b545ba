"""Split text into editable words and the untouchable text between them.

A text is held as ``seps[0] words[0] seps[1] words[1] ... words[n-1] seps[n]``.
Only ``words`` are ever replaced, moved, inserted or deleted; everything else
(spacing, line breaks, punctuation, emoji, URLs, numbers, @mentions, #hashtags,
markup, entities, escapes, placeholders, code, paths, words in other scripts)
lives in ``seps`` and so keeps its content and its order by construction.
Joining the two lists gives the text back exactly.  docs/tokenization.md gives
the rules and the real data behind them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Characters that belong to the word they are in: combining marks (an NFD "é" is
# "e" + U+0301), soft hyphen, zero-width non-joiner and joiner, word joiner,
# variation selectors.  A word never splits at one, so an accent never moves.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u00ad\u200c\u200d\u2060\ufe00-\ufe0f"
_LETTERS = rf"[^\W\d_]+(?:[{_MARKS}]+[^\W\d_]*)*"
_ENTITY = r"(?:&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6})|#[0-9]{1,7});"
_NOT_PATH = r"\s<>:\"|?*"
# Order matters: the first alternative that matches at a position wins, so the
# protected shapes come before the plain word.  Every repetition that could run
# on over ordinary prose is bounded, and stops where the next attempt of the same
# shape would start (a failed "<!--" stops at the next "<!--"), so failed attempts
# never scan the same text twice and the split stays linear in the text's length.
_MARKUP = "|".join(
    [
        # Markdown code: ``` up to the next ``` (a fenced block, or inline), a ~~~ fence; one
        # backtick up to the next on the same line, unless an apostrophe closes the
        # quote first, as in the `quoted' style of IMDB and TREC.
        r"(?<!`)```(?!`)[\s\S]{1,100000}?(?<!`)```(?!`)|(?<![^\n])~~~[^\n]{0,200}\n[\s\S]{0,100000}?\n[ \t]{0,3}~~~",
        r"(?<![\w`])`(?!`)(?:(?!'(?:\s|$))[^`\n]){1,200}`(?![\w`])",
        # HTML/XML comments, tags with their attributes, <!DOCTYPE> and <?xml?>,
        # <mask>-style tokens, and tags written with entities: &lt;b&gt;, &lt;AAPL.O&gt;.
        r"<!--(?:(?!<!--)[\s\S]){0,10000}?-->",
        r"</?[A-Za-z][\w:.-]*(?:[\s/][^<>]{0,1000})?>|<[!?][A-Za-z][^<>]{0,1000}>|<[^<>\s]+>",
        r"&lt;[/!?]?[A-Za-z](?:(?!&lt;)[^<>\n]){0,1000}?&gt;",
        # Entities, named and numeric, also with the "&" dropped as AG News writes
        # them; letters glued after one are its clitic (&#39;s, #39;t, &amp;T).
        rf"{_ENTITY}(?:{_ENTITY}|[^\W_])*",
        # Literal escapes: \x41 \u00e9 \U0001F600 \N{DASH}; \n, \r, \t before a capital
        # (\nThe); a backslash with the lowercase run glued to it (\n, \nfor, \the: an
        # escape and AG News's "\" for a newline cannot be told apart); a backslash
        # before a mark (\\, \", \.), but not before what starts another shape
        # (\&lt;, \$PATH, \#39;).  Before a capital, a lone backslash stays
        # punctuation and the word stays a word (see ``pinned``).  A UNC path first.
        rf"\\\\[\w.$-]+\\[^{_NOT_PATH}]*",
        r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|N\{[^{}\n]{1,60}\}|[nrt](?=[A-Z])"
        r"|[a-z][^\W_]*(?:['’-][^\W_]+)*|[^\w\s&<#$%{@/~`\[])",
        # POSIX paths: /usr/local/bin, ~/notes.txt, ./run.sh, ../lib (not and/or).
        r"(?<![\w/.~\\])(?:(?:~|\.\.?)(?:/[\w.+@-]+)+|(?:/[\w.+@-]+){2,})/?",
        # printf, with letters glued after it: %s %5.2f %-10s %(count)s %%.
        r"%(?:\([^()\s]{1,40}\))?[-+#0]{0,4}(?:[0-9]{1,3}|\*)?(?:\.(?:[0-9]{1,3}|\*))?"
        r"(?:hh|ll|[hlLqjzt])?[diouxXeEfFgGcrsaAbpn%][^\W_]*",
        # Templates: {{x}} (also broken, {{x}), {% tag %}, {# note #}, {0} {name!r}
        # {x:{width}}, [SEP]; shell: ${VAR} $(cmd) $PATH.
        r"\{\{[^{}\n]{0,200}\}\}?|\{%[^{}\n]{0,200}?%\}|\{#[^{}\n]{0,200}?#\}",
        r"\{[^{}\s]{0,100}(?:\{[^{}\s]{0,100}\}[^{}\s]{0,100})?\}|\[[^\[\]\s]+\]",
        r"\$(?:\{[^{}\n]{1,100}\}|\([^()\n]{1,200}\)|[A-Za-z_]\w*)",
        r"[@#][\w-]+(?:['’][^\W\d_]+)?",  # @mention, #hashtag, with a clitic: @john's
    ]
)
# Possessive runs (*+, ++) fail at once where giving characters back could not help:
# these shapes are tried at the start of every word.
_PROTECTED = "|".join(
    [
        # The shapes above all start with one of these; one look at the character
        # skips them all at the start of a word or a space.
        rf"(?=[`<&#\\/~.%{{\[$@])(?:{_MARKUP})",
        # AG News also drops the "&" of named entities (" quot;helping", "AT amp;T"): the common
        # names before ";" are entities there too, when no letter or "&" comes before them.
        r"(?<![\w&])(?:(?:quot|lt|gt|apos|nbsp);|amp;[^\W_]*)",
        r"(?:https?://|ftp://|www\.)[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}]",  # URL, minus trailing punctuation
        r"[\w.+-]++@[\w-]+(?:\.[\w-]+)+",  # e-mail
        rf"(?<![\w\\])[A-Za-z]:\\[^{_NOT_PATH}]*",  # Windows path: C:\Users\docs
        # Numbers: units, decimals, currency, 30°C, model numbers (COVID-19, NW-HD1).
        r"[$€£¥₹]?(?:[^\W\d_]++-)*+[^\W\d_]*+-?\d\w*(?:[.,:/'’-]\w+)*(?:%|‰|°\w*)?",
        # Domains and dotted abbreviations: example.com, bbc.co.uk, my-site.org, e.g.
        r"[A-Za-z0-9]++(?:-[A-Za-z0-9]++)+(?:\.[A-Za-z0-9-]+)*\.[a-z]{2,6}\b",
        r"[A-Za-z]++(?:\.[A-Za-z]+)+\b\.?",
        r"[^\W_]*+_\w*",  # identifiers: snake_case, __init__
        rf"{_LETTERS}(?:['’-]{_LETTERS})*",  # any word (kept only if Latin, see below)
    ]
)
_SPLIT = re.compile(f"({_PROTECTED})")
# Plain ASCII text whose non-letter parts hold none of the characters that
# start a protected shape (most real sentences) is split by a much cheaper
# pattern with no per-token loop; the full pattern costs about 3x more.
_TRIGGERS = frozenset("0123456789@#/<>[]{}$%_&\\`~")
_TRIGGER = re.compile(f"[{re.escape(''.join(sorted(_TRIGGERS)))}]")
_SPLIT_SIMPLE = re.compile(r"([A-Za-z]+(?:['-][A-Za-z]+)*)")
_LATIN_LETTERS = rf"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:[{_MARKS}]+[A-Za-zÀ-ÖØ-öø-ÿ]*)*"
_LATIN_WORD = re.compile(rf"{_LATIN_LETTERS}(?:['’-]{_LATIN_LETTERS})*")
_IS_ENTITY = re.compile(_ENTITY)
_BARE_ENTITY = re.compile(r"(?<![\w&])(?:quot|amp|lt|gt|apos|nbsp);")  # as in _PROTECTED
_APOSTROPHES = frozenset("'’")
# A backslash, or an escape letter after one, right before a word: the word's
# first letter is read with it, so the word must stay where it is (``pinned``).
_PINS = re.compile(r"\\[nrt]?\Z")

@dataclass(slots=True, init=False)
class Tokens:
    """Editable words and the fixed separators around them (``len(seps) == len(words) + 1``).

    ``memo`` lets augmenters share per-text work (e.g. which words have
    synonyms) between the copies of one record; it never affects equality.
    """

    words: list[str]
    seps: list[str]
    memo: dict[str, object] | None = field(default=None, compare=False, repr=False)

    # Written out rather than generated: a compiled build compiles this one, one is made per copy.
    def __init__(self, words: list[str], seps: list[str], memo: dict[str, object] | None = None) -> None:
        self.words = words
        self.seps = seps
        self.memo = memo

    def text(self) -> str:
        """Join separators and words back into a string.

        >>> tokenize("Hi, @bob: see https://x.io now!").text()
        'Hi, @bob: see https://x.io now!'
        >>> Tokens(["a", "b"], [" ", " ", " "]).text(), Tokens(["a", "b"], ["", ", ", "."]).text()
        (' a b ', 'a, b.')
        """
        return _join_text(self.words, self.seps)

    def copy(self) -> Tokens:
        """Return an independent copy, so an augmenter never edits its input."""
        return Tokens(self.words.copy(), self.seps.copy())


def _join_text(words: list[str], seps: list[str]) -> str:
    """``Tokens.text``: a function of the module, so that a compiled build types its lists (tokens.pxd)."""
    # Most texts have one space between every two words: one join. The count of " "
    # separators, less the two ends, is len(words) - 1 exactly when every inner one is " ".
    if words and seps.count(" ") - (seps[0] == " ") - (seps[-1] == " ") == len(words) - 1:
        return seps[0] + " ".join(words) + seps[-1]
    parts = seps * 2  # any list of the right length; the slices below fill it
    del parts[len(seps) + len(words) :]
    parts[0::2] = seps
    parts[1::2] = words
    return "".join(parts)


def tokenize(text: str) -> Tokens:
    """Split ``text`` into editable Latin-script words and protected separators.

    >>> tokenize("Email me@x.org, $4.99!").words
    ['Email']
    """
    # Words of the simple split hold letters, "'" and "-" only, so the text has a trigger
    # or a ";" exactly when its separators do: one scan of the text, before splitting.
    if text.isascii() and _TRIGGER.search(text) is None and (";" not in text or _BARE_ENTITY.search(text) is None):
        pieces = _SPLIT_SIMPLE.split(text)
        seps = pieces[0::2]
        # A lone "." between two words is a domain or an abbreviation (e.g.).
        if "." not in seps[1:-1]:
            return Tokens(pieces[1::2], seps)
    return _tokenize_full(text)


def _tokenize_full(text: str) -> Tokens:
    """Tokenize with every protected shape; same result as ``tokenize``, slower."""
    words, seps, _ = _scan(text, collect=False)
    return Tokens(words, seps)


def _scan(text: str, *, collect: bool) -> tuple[list[str], list[str], list[str]]:
    """Words, separators and (when ``collect``) the protected tokens and symbols, in order."""
    pieces = _SPLIT.split(text)
    # pieces alternates: separator text, matched token, separator text, ...
    words: list[str] = []
    seps: list[str] = []
    protected: list[str] = []
    pending = pieces[0]
    parts: list[str] | None = None  # the separator's pieces once it has several: joined once, linear
    if collect:
        protected.extend(_symbols(pending))
    for i in range(1, len(pieces), 2):
        token = pieces[i]
        after = pieces[i + 1]
        is_word = (token.isascii() and token.isalpha()) or (_LATIN_WORD.fullmatch(token) and _is_latin(token))
        if is_word and parts is not None and parts[-1][-1:] in _APOSTROPHES and not parts[-1][-2:-1].isspace():
            is_word = False  # the clitic an apostrophe glues to a protected token: A.T.V's, {name}'s
        if is_word:
            seps.append(pending if parts is None else "".join(parts))
            words.append(token)
            pending, parts = after, None
        else:
            if parts is None:
                if not pending and words and token[0] in "&#" and _IS_ENTITY.match(token):
                    # A word glued before an entity goes with it: don&#39;t, AT&amp;T.
                    token = words.pop() + token
                    pending = seps.pop()
                parts = [pending, token, after]
            else:
                parts += (token, after)
            if collect:
                protected.append(token)
        if collect:
            protected.extend(_symbols(after))
    seps.append(pending if parts is None else "".join(parts))
    return words, seps, protected


def _is_latin(token: str) -> bool:
    """Whether a token ``_LATIN_WORD`` matches is Latin-script once its marks are composed."""
    if token.isascii() or max(token) <= "\xff":
        return True
    # Marks may compose into a letter outside Latin-1: o + U+0323 is "ọ", as in Yoruba.
    return _LATIN_WORD.fullmatch(unicodedata.normalize("NFC", token)) is not None


def _symbols(gap: str) -> list[str]:
    """Symbol characters (emoji, currency, math) in text between tokens."""
    if gap.isascii():
        return [ch for ch in gap if ch in _ASCII_SYMBOLS]
    return [ch for ch in gap if unicodedata.category(ch)[0] == "S"]


_ASCII_SYMBOLS = frozenset(ch for ch in map(chr, range(128)) if unicodedata.category(ch)[0] == "S")


def pinned(tokens: Tokens) -> frozenset[int]:
    r"""Positions of words that must stay put: after a backslash or a ``\n``-style escape, or
    a clitic split from its word ("Shakespeare 's", "they 're").

    AG News writes a newline as a lone backslash ("said.\The"); TweetEval as ``\n``.
    The word after one is a word, but another word in its place would read
    differently (``\the``, ``\nfor``). Treebank-tokenized text (TREC, SST) writes
    "Shakespeare 's nickname": the "s" after the apostrophe is a word to the tokenizer,
    but moved or deleted it leaves a stray mark ("Shakespeare 'nickname s").
    No operation moves, deletes or inserts before a pinned word.  Computed once per
    text (kept in ``tokens.memo``).

    >>> sorted(pinned(tokenize(r"said.\The firm \nWe rose")))
    [1, 3]
    >>> sorted(pinned(tokenize("Shakespeare 's play , they 're here , 'so' he said")))
    [1, 4]
    """
    memo = tokens.memo
    found = memo.get("pinned") if memo is not None else None
    if found is None:
        seps = tokens.seps
        joined = "".join(seps)
        found = frozenset()
        if "\\" in joined or "'" in joined or "\u2019" in joined:
            found = frozenset([i for i, word in enumerate(tokens.words) if pins(seps[i], word)])
        if memo is None:
            memo = tokens.memo = {}
        memo["pinned"] = found
    return found  # type: ignore[return-value]


# What English writes after an apostrophe glued to the word before ("it's", "we'll"); a
# treebank tokenizer cuts them off with a space: "it 's", "we 'll".
_CLITICS = frozenset(["s", "re", "ll", "ve", "d", "m"])


def clitic_positions(tokens: Tokens) -> list[int]:
    """Positions of clitics split off their word: an apostrophe that opens the text or follows a space,
    glued to "s", "re", "ll", "ve", "d" or "m".

    >>> clitic_positions(tokenize("it 's fine , we 'll see , 'tis the dogs ' bowls"))
    [1, 4]
    """
    seps = tokens.seps
    return [i for i, word in enumerate(tokens.words) if splits_clitic(seps[i], word)]


def clitic_hosts(tokens: Tokens) -> frozenset[int]:
    """Positions of the words split clitics belong to ("Shakespeare" in "Shakespeare 's"): moved or
    deleted, they would leave the clitic on the word before ("What is 's nickname").

    >>> sorted(clitic_hosts(tokenize("it 's fine , we 'll see , 'tis the dogs ' bowls")))
    [0, 3]

    Computed once per text (kept in ``tokens.memo``): ``rd`` and ``rs`` both ask.
    """
    memo = tokens.memo
    found = memo.get("clitic_hosts") if memo is not None else None
    if found is None:
        joined = "".join(tokens.seps)
        found = frozenset()
        if "'" in joined or "\u2019" in joined:
            found = frozenset([i - 1 for i in clitic_positions(tokens) if i])
        if memo is None:
            memo = tokens.memo = {}
        memo["clitic_hosts"] = found
    return found  # type: ignore[return-value]


def splits_clitic(sep: str, word: str) -> bool:
    """Whether ``word`` after ``sep`` is a clitic cut off its word: "s" after " '" (or a text's opening "'").

    >>> splits_clitic(" '", "s"), splits_clitic("'", "RE"), splits_clitic(" '", "so"), splits_clitic("x'", "s")
    (True, True, False, False)
    """
    return sep[-1:] in _APOSTROPHES and (len(sep) == 1 or sep[-2].isspace()) and word.lower() in _CLITICS


def pins(sep: str, word: str) -> bool:
    """Whether ``word``, after ``sep``, is pinned (see `pinned`): the one test for every operation."""
    return pins_next(sep) or splits_clitic(sep, word)


def pins_next(sep: str) -> bool:
    r"""True when the word after ``sep`` is pinned: ``sep`` ends in a backslash or ``\n``, ``\r``, ``\t``.

    >>> pins_next("said.\\"), pins_next(" \\n"), pins_next("\\n "), pins_next(", ")
    (True, True, False, False)
    """
    return "\\" in sep[-2:] and _PINS.search(sep) is not None


def case_pattern(word: str) -> str | None:
    """Name the word's case pattern: "lower", "title", "upper", or None for mixed (iPhone).

    >>> [case_pattern(w) for w in ["dog", "Dog", "DOG", "iPhone", "I"]]
    ['lower', 'title', 'upper', None, 'title']
    """
    if word.islower():
        return "lower"
    if word.isupper():
        return "upper" if len(word) > 1 else "title"
    if word[:1].isupper() and (len(word) == 1 or word[1:].islower()):
        return "title"
    return None


def apply_case(pattern: str | None, word: str) -> str:
    """Give ``word`` the case pattern of the word it replaces.

    >>> apply_case("title", "motor car"), apply_case("upper", "car"), apply_case("lower", "New York")
    ('Motor car', 'CAR', 'new york')
    """
    if pattern == "upper":
        return word.upper()
    if pattern == "title":
        lowered = word.lower()
        return lowered[:1].upper() + lowered[1:]
    if pattern == "lower":
        return word.lower()
    return word


def protected_tokens(text: str) -> list[str]:
    """The tokens no operation may touch, in order: URLs, e-mails, numbers, @mentions,
    #hashtags, markup, entities, escapes, placeholders, code, paths, identifiers,
    abbreviations, other-script words, and symbols such as emoji (punctuation is left
    out: a deletion may merge two marks).

    >>> protected_tokens("Mail me@x.org about {name}, $4.99 🚀 now!<br />")
    ['me@x.org', '{name}', '$4.99', '🚀', '<br />']
    """
    return _scan(text, collect=True)[2]

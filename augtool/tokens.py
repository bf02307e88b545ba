"""Split text into editable words and the untouchable text between them.

A text is held as ``seps[0] words[0] seps[1] words[1] ... words[n-1] seps[n]``.
Only ``words`` are ever replaced, moved, inserted or deleted; everything else
(spacing, line breaks, punctuation, emoji, URLs, numbers, @mentions, #hashtags,
placeholders, words in other scripts) lives in ``seps`` and so keeps its
content and its order by construction.  Joining the two lists gives the text
back exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Order matters: the first alternative that matches at a position wins, so the
# protected shapes come before the plain word.
_PROTECTED = "|".join(
    [
        r"(?:https?://|ftp://|www\.)[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}]",  # URL, minus trailing punctuation
        r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail
        r"\{\{?[^{}\s]*\}?\}|<[^<>\s]+>|\[[^\[\]\s]+\]",  # {name} {{x}} <mask> [SEP]
        r"[@#][\w-]+",  # @mention, #hashtag
        r"[$€£¥₹]?[^\W\d_]*-?\d\w*(?:[.,:/'’-]\w+)*(?:%|‰|°\w*)?",  # numbers: units, decimals, currency, 30°C
        r"[A-Za-z]+(?:\.[A-Za-z]+)+\b\.?",  # domains and dotted abbreviations: example.com, e.g.
        r"\w*_\w*",  # identifiers: snake_case, __init__
        r"[^\W\d_]+(?:['’-][^\W\d_]+)*",  # any word (kept only if Latin, see below)
    ]
)
_SPLIT = re.compile(f"({_PROTECTED})")
# Plain ASCII text whose non-letter parts hold none of the characters that
# start a protected shape (most real sentences) is split by a much cheaper
# pattern with no per-token loop; the full pattern costs about 3x more.
_TRIGGERS = frozenset("0123456789@#/<>[]{}$%_")
_SPLIT_SIMPLE = re.compile(r"([A-Za-z]+(?:['-][A-Za-z]+)*)")
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:['’-][A-Za-zÀ-ÖØ-öø-ÿ]+)*")


@dataclass(slots=True)
class Tokens:
    """Editable words and the fixed separators around them (``len(seps) == len(words) + 1``).

    ``memo`` lets augmenters share per-text work (e.g. which words have
    synonyms) between the copies of one record; it never affects equality.
    """

    words: list[str]
    seps: list[str]
    memo: dict[str, object] | None = field(default=None, compare=False, repr=False)

    def text(self) -> str:
        """Join separators and words back into a string.

        >>> tokenize("Hi, @bob: see https://x.io now!").text()
        'Hi, @bob: see https://x.io now!'
        """
        seps = self.seps
        parts = seps * 2  # any list of the right length; the slices below fill it
        del parts[len(seps) + len(self.words) :]
        parts[0::2] = seps
        parts[1::2] = self.words
        return "".join(parts)

    def copy(self) -> Tokens:
        """Return an independent copy, so an augmenter never edits its input."""
        return Tokens(self.words.copy(), self.seps.copy())


def tokenize(text: str) -> Tokens:
    """Split ``text`` into editable Latin-script words and protected separators.

    >>> tokenize("Email me@x.org, $4.99!").words
    ['Email']
    """
    if text.isascii():
        pieces = _SPLIT_SIMPLE.split(text)
        seps = pieces[0::2]
        # A lone "." between two words is a domain or an abbreviation (e.g.).
        if _TRIGGERS.isdisjoint("".join(seps)) and "." not in seps[1:-1]:
            return Tokens(pieces[1::2], seps)
    return _tokenize_full(text)


def _tokenize_full(text: str) -> Tokens:
    """Tokenize with every protected shape; same result as ``tokenize``, slower."""
    pieces = _SPLIT.split(text)
    # pieces alternates: separator text, matched token, separator text, ...
    words: list[str] = []
    seps: list[str] = []
    pending = pieces[0]
    for i in range(1, len(pieces), 2):
        token = pieces[i]
        if (token.isascii() and token.isalpha()) or _LATIN_WORD.fullmatch(token):
            seps.append(pending)
            words.append(token)
            pending = pieces[i + 1]
        else:
            pending = pending + token + pieces[i + 1]
    seps.append(pending)
    return Tokens(words, seps)


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
    #hashtags, placeholders, identifiers, abbreviations, other-script words, and symbols
    such as emoji (punctuation is left out: a deletion may merge two marks).

    >>> protected_tokens("Mail me@x.org about {name}, $4.99 🚀 now!")
    ['me@x.org', '{name}', '$4.99', '🚀']
    """
    pieces = _SPLIT.split(text)
    out: list[str] = []
    for i, piece in enumerate(pieces):
        if i % 2:
            if not ((piece.isascii() and piece.isalpha()) or _LATIN_WORD.fullmatch(piece)):
                out.append(piece)
        else:
            out.extend(ch for ch in piece if unicodedata.category(ch)[0] == "S")
    return out


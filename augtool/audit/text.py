"""Where the protected shapes, words and line breaks of a text are, by the audit's own patterns.

Shares nothing with ``augtool.tokens`` on purpose: see ``augtool.audit``.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

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
    # AG News writes " quot;" and "AT amp;T" for &quot; and &amp;: a bare common name before ";" counts.
    ("entity", ("&", "#", "quot;", "amp;", "lt;", "gt;", "apos;", "nbsp;"),
     r"(?:&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});|#(?<![\w&]#)\d+;"
     r"|\b(?<!&)(?:quot|amp|lt|gt|apos|nbsp);)"
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
WORD = re.compile(f"(?:[A-Za-z]\\.){{2,}}|{_LETTERS}(?:['’-]{_LETTERS})*")

BREAKS = {"\n": "LF", "\r": "CR", "\u0085": "NEL", "\u2028": "LS", "\u2029": "PS", "\v": "VT", "\f": "FF",
          "\x1c": "FS", "\x1d": "GS", "\x1e": "RS"}
BREAK_OF = {name: ch for ch, name in BREAKS.items()}


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
    """For each word of a blanked text (as ``WORD`` finds them), whether it may begin a sentence.

    A word is in mid-sentence only when a letter, digit or comma comes before it;
    anything else (start, ``.``, ``!``, a quote, a dash, a line break, a tag) may
    begin a sentence or a title, and the check must not cry wolf there.

    >>> initials("Tom met Ann. They left, Bob too")
    [True, False, False, True, False, False, False]
    """
    out = []
    last = 0
    initial = True
    for match in WORD.finditer(text):
        between = text[last : match.start()].rstrip()
        if between:
            initial = not (between[-1].isalnum() or between[-1] == ",")
        out.append(initial)
        initial = False
        last = match.end()
    return out


def word_key(word: str) -> str:
    """A word as looked up: lower case, straight apostrophe, no possessive."""
    word = word.lower().replace("’", "'")
    return word[:-2] if word.endswith("'s") else word

"""Word-level differences between a text and its variant, for ``augtool preview``, on the text's own spacing."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from augtool.tokens import tokenize

Kind = Literal["equal", "insert", "delete", "replace"]
_CHUNK = re.compile(r"(\s*)(\S+)")


@dataclass(frozen=True)
class Piece:
    """A run of words that is kept, inserted, deleted, or replaced (``old`` by ``new``), and the space before it."""

    kind: Kind
    old: str
    new: str
    space: str = " "


def word_diff(source: str, variant: str, *, inserts: bool = True) -> list[Piece]:
    """Align two texts by words and the chunks between them (difflib's longest matching blocks).

    With ``inserts=False`` (the copy was made by operations that never insert a
    word) a word that appears beside a kept one is part of a multi-word replacement.

    >>> [(p.kind, p.old, p.new) for p in word_diff("the quick fox", "the fast fox jumps")]
    [('equal', 'the', 'the'), ('replace', 'quick', 'fast'), ('equal', 'fox', 'fox'), ('insert', '', 'jumps')]
    >>> render_plain(word_diff("a dog barks", "a domestic dog barks", inserts=False))
    'a [~dog=>domestic dog~] barks'
    """
    a, b = _pieces(source), _pieces(variant)
    if len(a) == len(b):
        # Same length (a swap, or one-word replacements): compare position by position,
        # so a swap shows as two replacements rather than a move.
        return [Piece("equal" if x[1] == y[1] else "replace", x[1], y[1], y[0]) for x, y in zip(a, b)]
    words_a, words_b = [w for _, w in a], [w for _, w in b]
    pieces = []
    for kind, i1, i2, j1, j2 in SequenceMatcher(a=words_a, b=words_b, autojunk=False).get_opcodes():
        space = a[i1][0] if kind == "delete" else b[j1][0]
        pieces.append(Piece(kind, _join(a[i1:i2]), _join(b[j1:j2]), space))
    return pieces if inserts else _as_replacements(pieces, b)


def _join(chunks: list[tuple[str, str]]) -> str:
    return "".join(space + word for space, word in chunks).lstrip()


def _as_replacements(pieces: list[Piece], b: list[tuple[str, str]]) -> list[Piece]:
    """Fold each insertion into the kept word after it (else before it): "dog" became "domestic dog"."""
    out: list[Piece] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        after = pieces[i + 1] if i + 1 < len(pieces) else None
        if piece.kind == "insert" and after is not None and after.kind == "equal":
            word, _, rest = after.new.partition(" ")
            out.append(Piece("replace", word, f"{piece.new} {word}", piece.space))
            if rest:
                out.append(Piece("equal", rest, rest, " "))
            i += 2
            continue
        if piece.kind == "insert" and out and out[-1].kind == "equal":
            head, _, word = out[-1].new.rpartition(" ")
            if head:
                out[-1] = Piece("equal", head, head, out[-1].space)
            out.append(Piece("replace", word, f"{word} {piece.new}", " " if head else out.pop().space))
            i += 1
            continue
        out.append(piece)
        i += 1
    return out


def _pieces(text: str) -> list[tuple[str, str]]:
    """(space before, chunk) for the editable words and the non-space chunks between them."""
    tokens = tokenize(text)
    out: list[tuple[str, str]] = []
    for sep, word in zip(tokens.seps, tokens.words):
        rest = sep
        for match in _CHUNK.finditer(sep):
            out.append((match[1], match[2]))
            rest = sep[match.end():]
        out.append((rest, word))
    out += [(m[1], m[2]) for m in _CHUNK.finditer(tokens.seps[-1])]
    return out


def _spaced(pieces: list[Piece], marks: list[str]) -> str:
    """Marked pieces on the text's own spacing; two words that only a deletion kept apart get a space."""
    out = ""
    for n, (piece, mark) in enumerate(zip(pieces, marks)):
        space = piece.space
        if n and not space and "delete" in (piece.kind, pieces[n - 1].kind):
            before, after = _shown(pieces[n - 1])[-1:], _shown(piece)[:1]
            space = " " if before.isalnum() and after.isalnum() else ""
        out += (space if n else "") + mark
    return out


def _shown(piece: Piece) -> str:
    return piece.old if piece.kind == "delete" else piece.new


def render_plain(pieces: list[Piece]) -> str:
    """Marks in the style of wdiff: [-deleted-] {+inserted+} [~old=>new~].

    >>> render_plain(word_diff("a big dog", "a large dog barks"))
    'a [~big=>large~] dog {+barks+}'
    >>> render_plain(word_diff("Hi,  you  there.", "Hi,  you."))
    'Hi,  you  [-there-].'
    """
    return _render(pieces, {"equal": "{old}", "insert": "{{+{new}+}}", "delete": "[-{old}-]",
                            "replace": "[~{old}=>{new}~]"}, lambda text: text)


def render_markup(pieces: list[Piece]) -> str:
    """Rich markup: inserted green, deleted red and struck through, replaced yellow."""
    from rich.markup import escape

    return _render(pieces, {"equal": "{old}", "insert": "[bold green]{new}[/]", "delete": "[red strike]{old}[/]",
                            "replace": "[yellow]{new}[/][dim](was {old})[/]"}, escape)


def _render(pieces: list[Piece], marks: dict[str, str], escape: Callable[[str], str]) -> str:
    """Each piece in its mark, on the text's own spacing."""
    return _spaced(pieces, [marks[p.kind].format(old=escape(p.old), new=escape(p.new)) for p in pieces])

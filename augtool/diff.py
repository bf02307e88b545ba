"""Word-level differences between a text and its variant, for ``augtool preview``."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from augtool.tokens import tokenize

Kind = Literal["equal", "insert", "delete", "replace"]


@dataclass(frozen=True)
class Piece:
    """A run of words that is kept, inserted, deleted, or replaced (``old`` by ``new``)."""

    kind: Kind
    old: str
    new: str


def word_diff(source: str, variant: str) -> list[Piece]:
    """Align two texts by words and the chunks between them (difflib's longest matching blocks).

    >>> [(p.kind, p.old, p.new) for p in word_diff("the quick fox", "the fast fox jumps")]
    [('equal', 'the', 'the'), ('replace', 'quick', 'fast'), ('equal', 'fox', 'fox'), ('insert', '', 'jumps')]
    """
    a, b = _pieces(source), _pieces(variant)
    if len(a) == len(b):
        # Same length (a swap, or one-word replacements): compare position by position,
        # so a swap shows as two replacements rather than a move.
        return [Piece("equal" if x == y else "replace", x, y) for x, y in zip(a, b)]
    pieces = []
    for kind, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        pieces.append(Piece(kind, " ".join(a[i1:i2]), " ".join(b[j1:j2])))  # type: ignore[arg-type]
    return pieces


def _pieces(text: str) -> list[str]:
    """Editable words, and the whitespace-separated chunks of text between them."""
    tokens = tokenize(text)
    out: list[str] = []
    for sep, word in zip(tokens.seps, tokens.words):
        out += sep.split()
        out.append(word)
    out += tokens.seps[-1].split()
    return out


def render_plain(pieces: list[Piece]) -> str:
    """Marks in the style of wdiff: [-deleted-] {+inserted+} [~old=>new~].

    >>> render_plain(word_diff("a big dog", "a large dog barks"))
    'a [~big=>large~] dog {+barks+}'
    """
    out = []
    for piece in pieces:
        if piece.kind == "equal":
            out.append(piece.old)
        elif piece.kind == "insert":
            out.append(f"{{+{piece.new}+}}")
        elif piece.kind == "delete":
            out.append(f"[-{piece.old}-]")
        else:
            out.append(f"[~{piece.old}=>{piece.new}~]")
    return " ".join(out)


def render_markup(pieces: list[Piece]) -> str:
    """Rich markup: inserted green, deleted red and struck through, replaced yellow."""
    from rich.markup import escape

    out = []
    for piece in pieces:
        old, new = escape(piece.old), escape(piece.new)
        if piece.kind == "equal":
            out.append(old)
        elif piece.kind == "insert":
            out.append(f"[bold green]{new}[/]")
        elif piece.kind == "delete":
            out.append(f"[red strike]{old}[/]")
        else:
            out.append(f"[yellow]{new}[/][dim](was {old})[/]")
    return " ".join(out)

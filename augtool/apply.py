"""Running a copy's operations on a record's tokens: the retries, and what counts as a change."""

from __future__ import annotations

from collections.abc import Callable

from augtool.rng import Draws
from augtool.tokens import Tokens

# An operation's ``__call__``, bound: the pipeline calls these, since calling the instance itself
# goes through the type's call slot, which looks ``__call__`` up again on every call.
Step = Callable[[Tokens, Draws], Tokens]

# Extra draws for a copy that came out equal to its source (a swap of two
# identical words undone by the next, say) before the next operation is tried.
_RETRIES = 3
DEDUP_RETRIES = 3


def normalized(texts: list[str]) -> tuple[str, ...]:
    """Texts with runs of whitespace made one space, for --dedup's comparison.

    Case counts: a plugin may change only case on purpose ("shout"), and the built-in
    operations never do.
    """
    if len(texts) == 1:  # most records: no generator
        text = texts[0]
        return (text if _is_normal(text) else " ".join(text.split()),)
    return tuple([text if _is_normal(text) else " ".join(text.split()) for text in texts])


def _is_normal(text: str) -> bool:
    """Whether ``text`` is already normalized: every whitespace character but " " is unprintable,
    so a printable text with no "  " and no space at either end has nothing to change.

    >>> _is_normal("a b"), _is_normal("a  b"), _is_normal(" a"), _is_normal("a\u00a0b"), _is_normal("")
    (True, False, False, False, True)
    """
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def apply_one(
    tokens: list[Tokens], texts: list[str], order: tuple[Step, ...], rng: Draws
) -> list[str] | None:
    """``apply_all`` for the common single-field record, without the per-field loop."""
    source, text = tokens[0], texts[0]
    if len(order) == 1:  # one operation per copy, unless --chain
        op = order[0]
        for _ in range(_RETRIES):
            out = op(source, rng)
            if out is source:
                return None
            new_text = out.text()
            if new_text != text:
                return [new_text]
        return None
    for _ in range(_RETRIES):
        out = source
        for op in order:
            out = op(out, rng)
        if out is source:
            return None  # the operations found nothing to work on: retrying cannot help
        new_text = out.text()
        if new_text != text:
            return [new_text]
    return None

def apply_all(
    tokens: list[Tokens], texts: list[str], order: tuple[Step, ...], rng: Draws
) -> list[str] | None:
    """Run the operations in ``order`` on every field; None if nothing changed."""
    for _ in range(_RETRIES):
        new_texts = []
        changed = touched = False
        for field_tokens, text in zip(tokens, texts):
            out = field_tokens
            for op in order:
                out = op(out, rng)
            if out is field_tokens:
                new_texts.append(text)
                continue
            touched = True
            new_text = out.text()
            changed = changed or new_text != text
            new_texts.append(new_text)
        if changed:
            return new_texts
        if not touched:
            return None  # the operations found nothing to work on: retrying cannot help
    return None

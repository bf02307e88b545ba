"""``rd``: delete each word with probability alpha, never all of them."""

from __future__ import annotations

from random import Random
from typing import ClassVar

from augtool.augmenters import Resources, register
from augtool.tokens import Tokens

_CLOSING = frozenset(",.;:!?)]}'\"…")


def _join_gap(left: str, right: str, at_start: bool, at_end: bool) -> str:
    r"""Merge the separators around a deleted word, leaving one gap, not two.

    >>> _join_gap(" ", ", ", False, False), _join_gap(".\n", " ", False, False)
    (', ', '.\n')
    """
    core_left = left.rstrip()
    lead = left[len(core_left) :]
    core_right = right.lstrip()
    trail = right[: len(right) - len(core_right)]
    if "\n" in trail:
        gap = trail  # the deleted word ended a line: the line break stays
    elif "\n" in lead:
        gap = lead
    elif at_start:
        gap = lead  # nothing before the word: no new leading space
    elif at_end and not core_right:
        gap = trail
    elif core_right[:1] in _CLOSING:
        gap = ""  # "brown fox, jumps" -> "brown, jumps", not "brown , jumps"
    else:
        gap = trail or lead
    return core_left + gap + core_right


@register
class RandomDeletion:
    """EDA random deletion; at least one word goes and at least one stays when possible."""

    name: ClassVar[str] = "rd"
    summary: ClassVar[str] = "random deletion: drop each word with probability alpha"
    version: ClassVar[int] = 1

    def __init__(self, *, alpha: float, resources: Resources) -> None:
        self.alpha = alpha

    def __call__(self, tokens: Tokens, rng: Random) -> Tokens:
        size = len(tokens.words)
        if size < 2:
            return tokens
        alpha = self.alpha
        drop = [rng.random() < alpha for _ in range(size)]
        kept = size - sum(drop)
        if kept == size:
            drop[rng.randrange(size)] = True  # EDA would return the text unchanged
        elif kept == 0:
            drop[rng.randrange(size)] = False
        words: list[str] = []
        seps: list[str] = [tokens.seps[0]]
        for i, word in enumerate(tokens.words):
            right = tokens.seps[i + 1]
            if drop[i]:
                seps[-1] = _join_gap(seps[-1], right, not words, i == size - 1)
            else:
                words.append(word)
                seps.append(right)
        return Tokens(words, seps)

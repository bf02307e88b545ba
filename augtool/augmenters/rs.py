"""``rs``: swap two words n times; separators and protected tokens never move."""

from __future__ import annotations

from random import Random
from typing import ClassVar

from augtool.augmenters import Resources, n_changes, register
from augtool.tokens import Tokens


@register
class RandomSwap:
    """EDA random swap; only pairs of different words count, so a swap always changes text."""

    name: ClassVar[str] = "rs"
    summary: ClassVar[str] = "random swap: exchange the positions of two words, n times"
    version: ClassVar[int] = 1

    def __init__(self, *, alpha: float, resources: Resources) -> None:
        self.alpha = alpha

    def __call__(self, tokens: Tokens, rng: Random) -> Tokens:
        size = len(tokens.words)
        if size < 2 or len(set(tokens.words)) < 2:
            return tokens
        out = tokens.copy()
        words = out.words
        for _ in range(n_changes(self.alpha, size)):
            _swap(words, rng)
        if words == tokens.words:  # later swaps undid earlier ones
            _swap(words, rng)
        return out


def _swap(words: list[str], rng: Random) -> None:
    """Exchange two different words (the caller ensures there are two)."""
    size = len(words)
    random = rng.random  # int(random() * n) costs a third of rng.randrange(n)
    i = int(random() * size)
    j = int(random() * (size - 1))
    j += j >= i
    if words[i] == words[j]:
        others = [k for k, word in enumerate(words) if word != words[i]]
        j = others[int(random() * len(others))]
    words[i], words[j] = words[j], words[i]

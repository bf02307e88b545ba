"""``rs``: swap two words n times; separators and protected tokens never move."""

from __future__ import annotations

from random import Random
from typing import ClassVar

from augtool.augmenters import Resources, n_changes, register
from augtool.meaning import is_negation
from augtool.tokens import Tokens


@register
class RandomSwap:
    """EDA random swap; only pairs of different words count, so a swap always changes text."""

    name: ClassVar[str] = "rs"
    summary: ClassVar[str] = "random swap: exchange the positions of two words, n times"
    version: ClassVar[int] = 1

    def __init__(self, *, alpha: float, resources: Resources) -> None:
        self.alpha = alpha
        self.guards = resources.settings.guards

    def __call__(self, tokens: Tokens, rng: Random) -> Tokens:
        size = len(tokens.words)
        if size < 2 or len(set(tokens.words)) < 2:
            return tokens
        out = tokens.copy()
        words = out.words
        movable = list(range(size))
        if self.guards:
            # A negation and the word it negates stay where they are ("not good").
            fixed = {k for i, w in enumerate(words) if is_negation(w) for k in (i, i + 1)}
            movable = [i for i in movable if i not in fixed]
            if len(movable) < 2 or len({words[i] for i in movable}) < 2:
                return tokens
        for _ in range(n_changes(self.alpha, size)):
            _swap(words, movable, rng)
        if words == tokens.words:  # later swaps undid earlier ones
            _swap(words, movable, rng)
        return out


def _swap(words: list[str], movable: list[int], rng: Random) -> None:
    """Exchange two different words at movable positions (the caller ensures there are two)."""
    size = len(movable)
    random = rng.random  # int(random() * n) costs a third of rng.randrange(n)
    i = movable[int(random() * size)]
    j = movable[int(random() * size)]
    if words[i] == words[j]:
        others = [k for k in movable if words[k] != words[i]]
        j = others[int(random() * len(others))]
    words[i], words[j] = words[j], words[i]

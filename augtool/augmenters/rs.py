"""``rs``: swap two words n times; separators and protected tokens never move."""

from __future__ import annotations

from random import Random
from typing import ClassVar

from augtool.augmenters import Resources, n_changes, register
from augtool.guards import negation_bound
from augtool.tokens import Tokens


@register
class RandomSwap:
    """EDA random swap; only pairs of different words count, so a swap always changes text.

    With the negation guard, a negation and the word right after it stay where they are.
    """

    name: ClassVar[str] = "rs"
    summary: ClassVar[str] = "random swap: exchange the positions of two words, n times"
    version: ClassVar[int] = 2  # 2: negation guard

    def __init__(self, *, alpha: float, resources: Resources) -> None:
        self.alpha = alpha
        self._guards = resources.policy.guards

    def __call__(self, tokens: Tokens, rng: Random) -> Tokens:
        size = len(tokens.words)
        if size < 2:
            return tokens
        slots = list(range(size))
        if self._guards:
            bound = negation_bound(tokens.words)
            if bound:
                slots = [i for i in slots if i not in bound]
        if len(slots) < 2 or len({tokens.words[i] for i in slots}) < 2:
            return tokens
        out = tokens.copy()
        words = out.words
        for _ in range(n_changes(self.alpha, size)):
            _swap(words, slots, rng)
        if words == tokens.words:  # later swaps undid earlier ones
            _swap(words, slots, rng)
        return out


def _swap(words: list[str], slots: list[int], rng: Random) -> None:
    """Exchange two different words among ``slots`` (the caller ensures there are two)."""
    size = len(slots)
    a = rng.randrange(size)
    b = rng.randrange(size - 1)
    b += b >= a
    i, j = slots[a], slots[b]
    if words[i] == words[j]:
        j = rng.choice([k for k in slots if words[k] != words[i]])
    words[i], words[j] = words[j], words[i]

"""``punct``: AEDA, insert punctuation marks at random word boundaries."""

from __future__ import annotations

from random import Random
from typing import ClassVar

from augtool.augmenters import Resources, register
from augtool.tokens import Tokens

# The marks of Karimi, Rossi & Prati (2021), "AEDA: An Easier Data Augmentation
# Technique for Text Classification", Findings of EMNLP 2021.
MARKS = (".", ";", "?", ":", "!", ",")


@register
class PunctuationInsertion:
    """AEDA: between 1 and a third of the word count marks, each at a random boundary.

    Words, their order and every protected token stay as they were: a mark is only
    ever added at the end of the separator before a word (or the start of the last one).
    """

    name: ClassVar[str] = "punct"
    summary: ClassVar[str] = "AEDA: insert punctuation marks (. ; ? : ! ,) at random word boundaries"
    version: ClassVar[int] = 1

    def __init__(self, *, alpha: float, resources: Resources) -> None:
        self.alpha = alpha  # AEDA sets its own count; alpha is accepted for a uniform interface

    def __call__(self, tokens: Tokens, rng: Random) -> Tokens:
        size = len(tokens.words)
        if size == 0:
            return tokens
        seps = tokens.seps.copy()
        random = rng.random
        for _ in range(1 + int(random() * max(1, size // 3))):  # 1 .. max(1, n/3), as in the paper
            mark = MARKS[int(random() * len(MARKS))]
            slot = int(random() * (size + 1))
            if slot < size:
                seps[slot] = seps[slot] + mark + " "
            else:
                seps[size] = " " + mark + seps[size]
        return Tokens(tokens.words, seps)

"""``punct``: AEDA (Karimi, Rossi & Prati 2021): insert punctuation marks at random word boundaries.

As in the paper, a text of n words gets between 1 and n/3 marks, each drawn from
``. ; ? : ! ,`` and placed before a distinct random word. Words, separators and protected
tokens are all kept: a mark only ever goes at the end of a separator that is empty
(start of text) or ends in whitespace, so it never lands inside a URL, number or the like.
"""

from __future__ import annotations

from typing import ClassVar

from augtool.augmenters import Resources, register
from augtool.guards import keeps_apart
from augtool.rng import Draws
from augtool.tokens import Tokens

MARKS = (".", ";", "?", ":", "!", ",")


@register
class PunctuationInsertion:
    """AEDA: 1 to max(1, n // 3) marks before distinct words; alpha is not used (the paper fixes the ratio)."""

    name: ClassVar[str] = "punct"
    summary: ClassVar[str] = "AEDA: insert 1 to n/3 punctuation marks (. ; ? : ! ,) between words"
    # 5: AG News entities without "&" (" quot;", "amp;T") are no longer words
    version: ClassVar[int] = 5  # 2: markup, escapes and placeholders are no longer words (docs/tokenization.md)
    # 3: never before a question word or inside "what is", "is nt", "don t" (guards.keeps_apart)
    # 4: random numbers from a keyed hash of the seed and the record (augtool/rng.py)

    def __init__(self, *, alpha: float, resources: Resources) -> None:
        self.alpha = alpha
        self._guards = resources.policy.guards
        self._memo_key = "punct.slots.guarded" if self._guards else "punct.slots"

    def __call__(self, tokens: Tokens, rng: Draws) -> Tokens:
        words, seps = tokens.words, tokens.seps
        memo = tokens.memo
        slots: list[int] | None = memo.get(self._memo_key) if memo is not None else None  # type: ignore[assignment]
        if slots is None:  # once per text
            guards = self._guards
            slots = [
                j
                for j in range(len(words))
                if (not seps[j] or seps[j][-1].isspace())
                # A mark between a negation and its head would cut the scope of "not".
                and not (guards and keeps_apart(words[j - 1] if j else "", words[j], words[j - 2] if j > 1 else ""))
            ]
            if memo is None:
                memo = tokens.memo = {}
            memo[self._memo_key] = slots
        if not slots:
            return tokens
        count = min(rng.randint(1, max(1, len(words) // 3)), len(slots))
        new_seps = seps.copy()
        for j in rng.sample(slots, count):
            new_seps[j] = seps[j] + rng.choice(MARKS) + " "
        return Tokens(words, new_seps)  # words are never edited in place: share them

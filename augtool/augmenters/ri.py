"""``ri``: insert a synonym of a random non-stopword word at a random word boundary."""

from __future__ import annotations

from random import Random
from typing import ClassVar

from augtool.augmenters import Resources, n_changes, register
from augtool.augmenters._synonyms import SynonymSource
from augtool.guards import is_negation
from augtool.tokens import Tokens


@register
class RandomInsertion:
    """EDA random insertion, n times; stopwords are never a source (unlike eda_nlp #14, #24)."""

    name: ClassVar[str] = "ri"
    summary: ClassVar[str] = "random insertion: add a synonym of a random content word, n times"
    version: ClassVar[int] = 3  # 2: sense restriction, inflection, negation guard; 3: names kept, real forms

    def __init__(self, *, alpha: float, resources: Resources) -> None:
        self.alpha = alpha
        self._synonyms = resources.shared("synonyms", lambda: SynonymSource(resources))
        self._guards = resources.policy.guards

    def __call__(self, tokens: Tokens, rng: Random) -> Tokens:
        choices_at = self._synonyms.choices_at
        sources = self._synonyms.candidates(tokens)
        if not sources:
            return tokens
        out = tokens.copy()
        words, seps = out.words, out.seps
        for _ in range(n_changes(self.alpha, len(tokens.words))):
            at = rng.choice(sources)
            source = tokens.words[at]
            new = rng.choice(choices_at(tokens.words, at))
            if not source.isupper() or len(source) == 1:
                # Title case marks a sentence start or a name, not the inserted word.
                new = new.lower()
            slot = rng.randint(0, len(words))
            while self._guards and slot and is_negation(words[slot - 1]):
                slot -= 1  # never between a negation and its head: "not glad happy" reads differently
            words.insert(slot, new)
            # The new word gets one space on its inner side; the separator that
            # was at the slot stays on the outer side, so line breaks and
            # punctuation keep their place.
            if slot < len(words) - 1:
                seps.insert(slot + 1, " ")
            else:
                seps.insert(slot, " ")
        return out

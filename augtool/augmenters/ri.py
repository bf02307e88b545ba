"""``ri``: insert a synonym of a random non-stopword word at a random word boundary."""

from __future__ import annotations

from random import Random
from typing import ClassVar

from augtool.augmenters import Resources, n_changes, register
from augtool.augmenters._synonyms import SynonymSource
from augtool.meaning import is_negation
from augtool.tokens import Tokens


@register
class RandomInsertion:
    """EDA random insertion, n times; stopwords are never a source (unlike eda_nlp #14, #24)."""

    name: ClassVar[str] = "ri"
    summary: ClassVar[str] = "random insertion: add a synonym of a random content word, n times"
    version: ClassVar[int] = 1

    def __init__(self, *, alpha: float, resources: Resources) -> None:
        self.alpha = alpha
        self.guards = resources.settings.guards
        self._synonyms = SynonymSource.shared(resources)

    def __call__(self, tokens: Tokens, rng: Random) -> Tokens:
        choices = self._synonyms.choices
        sources = [tokens.words[i] for i in self._synonyms.candidates(tokens)]
        if not sources:
            return tokens
        out = tokens.copy()
        words, seps = out.words, out.seps
        random = rng.random  # indexing by random() avoids rng.choice's Python-level overhead
        for _ in range(n_changes(self.alpha, len(tokens.words))):
            source = sources[int(random() * len(sources))]
            options = choices(source)
            new = options[int(random() * len(options))]
            if not source.isupper() or len(source) == 1:
                # Title case marks a sentence start or a name, not the inserted word.
                new = new.lower()
            slot = int(random() * (len(words) + 1))
            if self.guards and slot and is_negation(words[slot - 1]):
                # Nothing comes between a negation and the word it negates: take the
                # next boundary that does not follow one (there is always the start).
                free = [k for k in range(len(words) + 1) if k == 0 or not is_negation(words[k - 1])]
                slot = free[int(random() * len(free))]
            words.insert(slot, new)
            # The new word gets one space on its inner side; the separator that
            # was at the slot stays on the outer side, so line breaks and
            # punctuation keep their place.
            if slot < len(words) - 1:
                seps.insert(slot + 1, " ")
            else:
                seps.insert(slot, " ")
        return out

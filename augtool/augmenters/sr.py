"""``sr``: replace n non-stopword words by a WordNet synonym, in the replaced word's case."""

from __future__ import annotations

from random import Random
from typing import ClassVar

from augtool.augmenters import Resources, n_changes, register
from augtool.augmenters._synonyms import SynonymSource
from augtool.tokens import Tokens


@register
class SynonymReplacement:
    """EDA synonym replacement: n = max(1, round(alpha * words)) distinct positions."""

    name: ClassVar[str] = "sr"
    summary: ClassVar[str] = "synonym replacement: swap n words for a WordNet synonym, case kept"
    version: ClassVar[int] = 1

    def __init__(self, *, alpha: float, resources: Resources) -> None:
        self.alpha = alpha
        self._synonyms = SynonymSource.shared(resources)

    def __call__(self, tokens: Tokens, rng: Random) -> Tokens:
        choices = self._synonyms.choices
        words = tokens.words
        candidates = self._synonyms.candidates(tokens)
        if not candidates:
            return tokens
        n = min(n_changes(self.alpha, len(words)), len(candidates))
        random = rng.random
        # Indexing by random() is a third of the cost of rng.choice (no Python-level _randbelow).
        picks = [candidates[int(random() * len(candidates))]] if n == 1 else rng.sample(candidates, n)
        new = words.copy()
        for i in picks:
            options = choices(words[i])
            new[i] = options[int(random() * len(options))]
        return Tokens(new, tokens.seps)  # separators are never edited in place: share them

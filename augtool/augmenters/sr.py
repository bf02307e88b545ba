"""``sr``: replace n non-stopword words by a WordNet synonym, in the replaced word's case."""

from __future__ import annotations

from typing import ClassVar

from augtool.augmenters import n_changes, register
from augtool.augmenters._synonyms import SynonymOperation
from augtool.rng import Draws
from augtool.tokens import Tokens


@register
class SynonymReplacement(SynonymOperation):
    """EDA synonym replacement: n = max(1, round(alpha * words)) distinct positions."""

    name: ClassVar[str] = "sr"
    summary: ClassVar[str] = "synonym replacement: swap n words for a WordNet synonym, case and inflection kept"
    # 2: sense restriction, inflection, negation guard; 3: names kept, real forms; 4: markup-aware
    # tokens; 5: context (part of speech, fixed expressions, articles), register list (docs/synonyms.md);
    # 6: a run of capitals shouts only with a clause word in it (bylines are names)
    # 7: the stem of a split contraction is no verb to replace ("don t" never becomes "put on t")
    # 8: random numbers from a keyed hash of the seed and the record (augtool/rng.py)
    # 9: AG News entities without "&" (" quot;", "amp;T") are no longer words
    # 10: no synonym with WordNet's "one's" or "oneself" in it ("made up one's mind" for "decided")
    # 11: after "very", "so", "too" and other intensifiers a word is read as an adjective or adverb
    # when it can be one ("so kind" became "so sort")
    # 12: in text without capitals, a word that can be a name is none beside a word that is only
    # a name ("eddie murphy" became "eddie potato"; corpora/names-en.txt.gz)
    # 13: a few fixed expressions WordNet lacks hold their words ("can't help but", "not nearly",
    # "happen to"; _synonyms._MORE_FIXED)
    # 14: two more: "of sorts" ("a prequel of kinds") and "big on" ("not large on musicals")
    version: ClassVar[int] = 14

    def __call__(self, tokens: Tokens, rng: Draws) -> Tokens:
        choices_in = self._synonyms.choices_in
        words = tokens.words
        candidates = self._candidates(tokens)
        if not candidates:
            return tokens
        n = min(n_changes(self.alpha, len(words)), len(candidates))
        picks = [rng.choice(candidates)] if n == 1 else rng.sample(candidates, n)  # choice: 4x cheaper
        new = words.copy()
        for i in picks:
            new[i] = rng.choice(choices_in(tokens, i))
        return Tokens(new, tokens.seps)  # separators are never edited in place: share them

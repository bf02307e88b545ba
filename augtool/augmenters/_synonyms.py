"""Which words may take a synonym, and which synonyms: shared by ``sr`` and ``ri``."""

from __future__ import annotations

import re

from augtool.augmenters import Resources
from augtool.meaning import choose_senses, is_negation
from augtool.tokens import Tokens, apply_case, case_pattern

# Synonyms must read as plain words once inserted: WordNet also holds entries
# such as "A.D." or "3-D" that our tokenizer would later protect as another kind.
_PLAIN = re.compile(r"[A-Za-z]+(?:[ '-][A-Za-z]+)*")
_CACHE_LIMIT = 200_000


class SynonymSource:
    """Per-word choices of case-matched synonyms, cached because words repeat a lot."""

    def __init__(self, resources: Resources) -> None:
        self._resources = resources
        self._settings = resources.settings
        self._cache: dict[str, tuple[str, ...]] = {}

    @staticmethod
    def shared(resources: Resources) -> SynonymSource:
        """The source for these resources and settings, shared by sr and ri (one cache)."""
        settings = resources.settings
        key = f"synonyms:{settings.senses}:{sorted(settings.user_synonyms.items())!r}"
        return resources.shared(key, lambda: SynonymSource(resources))

    def choices(self, word: str) -> tuple[str, ...]:
        """Synonyms of ``word`` in its case pattern; () for stopwords, mixed case, unknown words."""
        found = self._cache.get(word)
        if found is None:
            found = self._compute(word)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[word] = found
        return found

    def candidates(self, tokens: Tokens) -> list[int]:
        """Positions of words that have synonyms, computed once per text and shared by sr and ri."""
        memo = tokens.memo
        if memo is None:
            memo = tokens.memo = {}
        found = memo.get("synonym_positions")
        if found is None:
            cache = self._cache
            words = tokens.words
            for word in words:
                if word not in cache:
                    self.choices(word)
            # Plain dict lookups here: this runs for every word of every record.
            found = memo["synonym_positions"] = [i for i, word in enumerate(words) if cache.get(word)]
        return found  # type: ignore[return-value]

    def _compute(self, word: str) -> tuple[str, ...]:
        lower = word.lower()
        pattern = case_pattern(word)
        settings = self._settings
        if pattern is None or lower in self._resources.stopwords or (settings.guards and is_negation(word)):
            return ()
        replace, user = settings.user_synonyms.get(lower, (False, ()))
        found: list[str] = list(user)
        if not replace:
            for sense in choose_senses(self._resources.lexicon.senses(lower), settings.senses):
                found.extend(sense.synonyms)
        out: list[str] = []
        for synonym in found:
            if _PLAIN.fullmatch(synonym) and synonym.lower() != lower:
                cased = apply_case(pattern, synonym)
                if cased not in out:
                    out.append(cased)
        return tuple(out)

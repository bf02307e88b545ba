"""Which words may take a synonym, and which synonyms: shared by ``sr`` and ``ri``.

Under the default policy a word is read as its likeliest (lemma, part of speech, form), by
tagged sense counts nudged by the word before it; synonyms come from that lemma's most
frequent senses only, and are inflected to the word's form (or dropped when that is unsure).
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from augtool.augmenters import Resources
from augtool.guards import is_negation
from augtool.inflect import Analysis, analyses, inflect
from augtool.tokens import Tokens, apply_case, case_pattern

# Synonyms must read as plain words once inserted: WordNet also holds entries
# such as "A.D." or "3-D" that our tokenizer would later protect as another kind.
_PLAIN = re.compile(r"[A-Za-z]+(?:[ '-][A-Za-z]+)*")
_CACHE_LIMIT = 200_000
# The light context rule: a determiner is never followed by a verb; "to", a modal,
# a negated auxiliary or a subject pronoun makes a verb reading four times likelier.
_NOT_VERB_AFTER = frozenset(
    [
        "the", "a", "an", "this", "these", "those", "my", "your", "his", "its", "our", "their",
        "every", "each", "another", "whose",
    ]
)
_VERB_AFTER = frozenset(
    [
        "to", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "i",
        "you", "we", "they", "he", "she", "don't", "doesn't", "didn't", "won't", "can't",
        "couldn't", "wouldn't", "shouldn't", "cannot",
    ]
)
_VERB_BOOST = 4
_UNSET: Any = object()


def _hint(previous: str | None) -> str | None:
    if previous is None:
        return None
    lower = previous.lower().replace("’", "'")
    if lower in _NOT_VERB_AFTER:
        return "noun"
    if lower in _VERB_AFTER:
        return "verb"
    return None


class SynonymSource:
    """Per-word choices of case-matched, inflected synonyms, cached because words repeat a lot."""

    def __init__(self, resources: Resources) -> None:
        self._resources = resources
        self._policy = resources.policy
        self._cache: dict[tuple[str, str | None], tuple[str, ...]] = {}
        self._hints: dict[str, Any] = {}  # previous word -> context hint, cached

    def choices(self, word: str, previous: str | None = None) -> tuple[str, ...]:
        """Synonyms of ``word`` in its case pattern; () for stopwords, mixed case, unknown words."""
        if self._policy.senses == "all" or previous is None:
            hint = None
        else:
            hint = self._hints.get(previous, _UNSET)
            if hint is _UNSET:
                hint = self._hints[previous] = _hint(previous)
        key = (word, hint)
        found = self._cache.get(key)
        if found is None:
            found = self._compute(*key)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = found
        return found

    def choices_at(self, words: list[str], i: int) -> tuple[str, ...]:
        """Synonyms for the word at position ``i``, read in its context."""
        return self.choices(words[i], words[i - 1] if i else None)

    def candidates(self, tokens: Tokens) -> list[int]:
        """Positions of words that have synonyms, computed once per text and shared by sr and ri."""
        memo = tokens.memo
        if memo is None:
            memo = tokens.memo = {}
        found = memo.get("synonym_positions")
        if found is None:
            words = tokens.words
            cache = self._cache
            # Plain dict lookups for the hits (most words, most records): this runs for
            # every word of every record, and a method call per word doubled its cost.
            if self._policy.senses == "all" or not words:
                keys = [(word, None) for word in words]
            else:
                hints = self._hints
                keys = [(words[0], None), *((w, hints.get(p, _UNSET)) for p, w in itertools.pairwise(words))]
            found = []
            for i, key in enumerate(keys):
                value = cache.get(key) if key[1] is not _UNSET else None
                if value is None:
                    value = self.choices(words[i], words[i - 1] if i else None)
                if value:
                    found.append(i)
            memo["synonym_positions"] = found
        return found  # type: ignore[return-value]

    def _compute(self, word: str, hint: str | None) -> tuple[str, ...]:
        lower = word.lower()
        pattern = case_pattern(word)
        if pattern is None or lower in self._resources.stopwords:
            return ()
        if self._policy.guards and is_negation(lower):
            return ()
        if self._policy.senses == "all" and not self._policy.inflect:
            found = self._resources.lexicon.synonyms(lower)  # EDA's choice: any sense, any POS
        else:
            found = self._meaningful(lower, hint)
        guards = self._policy.guards
        out: list[str] = []
        for synonym in found:
            # "more often than not" for "usually" would add a negation the text never had.
            if guards and any(is_negation(part) for part in synonym.split(" ")):
                continue
            if _PLAIN.fullmatch(synonym) and synonym.lower() != lower:
                cased = apply_case(pattern, synonym)
                if cased not in out:
                    out.append(cased)
        return tuple(out)

    def _meaningful(self, lower: str, hint: str | None) -> list[str]:
        """Synonyms of the word's likeliest reading (every reading under senses=all), inflected like it."""
        lexicon = self._resources.lexicon
        morph = self._resources.morphology

        def has(lemma: str, pos: str) -> bool:
            return any(sense.pos == pos for sense in lexicon.senses(lemma))

        if self._policy.inflect:
            readings = analyses(lower, has, morph)
        else:
            readings = [Analysis(lower, pos, "base") for pos in "nvar" if has(lower, pos)]
        if not readings:
            return []
        if self._policy.senses != "all":
            readings = [self._likeliest(readings, hint)]
        out: list[str] = []
        for reading in readings:
            senses = [sense for sense in lexicon.senses(reading.lemma) if sense.pos == reading.pos]
            if self._policy.senses == "first":
                senses = senses[:1]
            elif self._policy.senses == "top":
                # The second sense only when it was ever tagged: untagged senses are rare ones.
                senses = senses[:1] + [sense for sense in senses[1:2] if sense.count > 0]
            for sense in senses:
                for synonym in sense.synonyms:
                    lowered = synonym.lower()
                    if lowered == reading.lemma or not _PLAIN.fullmatch(synonym):
                        continue
                    new = inflect(lowered, reading.pos, reading.form, morph)
                    if new is not None:
                        out.append(new if new != lowered else synonym)
        return out

    def _likeliest(self, readings: list[Analysis], hint: str | None) -> Analysis:
        """The reading with the most tagged sense occurrences, after the context rule; first on ties."""
        lexicon = self._resources.lexicon
        if hint == "noun":
            readings = [r for r in readings if r.pos != "v"] or readings

        def weight(reading: Analysis) -> int:
            total = 1 + sum(s.count for s in lexicon.senses(reading.lemma) if s.pos == reading.pos)
            return total * _VERB_BOOST if hint == "verb" and reading.pos == "v" else total

        return max(readings, key=weight)

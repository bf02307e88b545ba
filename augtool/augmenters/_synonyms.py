"""Which words may take a synonym, and which synonyms: shared by ``sr`` and ``ri``.

A word is a candidate only when it reads as a common word where it stands: names (a
capitalised word that does not start a sentence, or one WordNet knows as a name),
words with inner capitals, abbreviations (all capitals outside shouted text, dotted
forms such as "approx.") and single letters are never replaced nor inserted from.

Under the default policy a word is read as its likeliest (lemma, part of speech, form), by
tagged sense counts nudged by the word before it; synonyms come only from senses that hold
a real share of that reading's tagged uses, and when the dominant sense has no synonym the
word is left alone. Synonyms are inflected to the word's form from the table of confirmed
forms, and dropped when the form is not confirmed.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
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
# Under senses=top: the dominant sense must hold this share of the reading's tagged uses
# (else the word is too ambiguous to replace blind), and a further sense this share.
DOMINANT_SHARE = 0.75
FURTHER_SHARE = 0.25
# A word with several senses needs this many tagged uses before its dominant sense is trusted.
MIN_EVIDENCE = 3
# ... and the likeliest reading (lemma and part of speech) this share of all readings' weight.
READING_SHARE = 0.6
_UNSET: Any = object()

# What may end a sentence or open one before a word: the separator's last visible
# character (closing quotes and brackets skipped) is one of these, or it holds a line break.
# Not ";": it starts no capitalised sentence, and AG News writes entities as " amp; ", " #39;".
_ENDS_SENTENCE = frozenset(".!?…:-–—>*•|")
_CLOSERS = frozenset("\"'”’)]}»")
_OPENERS = frozenset("\"'“‘([{«¿¡")
_BREAKS = frozenset("\n\r\v\f\x85\u2028\u2029")
# Abbreviated titles and name parts whose full stop is followed by a name, not a new sentence.
_TITLES = frozenset(
    [
        "mr", "mrs", "ms", "dr", "prof", "st", "mt", "ft", "jr", "sr", "lt", "col", "gen", "gov", "sen", "rep",
        "rev", "capt", "sgt", "cpl", "maj", "cmdr", "adm", "pres", "supt", "insp", "messrs", "mme", "mlle", "hon",
        "fr", "sra", "no", "vs",
    ]
)
# A text shouts when this share of its longer words are all capitals; then an all-capitals
# word is an ordinary word written loud, unless WordNet knows it as a name or abbreviation.
_SHOUTED_SHARE = 0.6
_SHOUTED_RUN = 4


def _hint(previous: str | None) -> str | None:
    if previous is None:
        return None
    lower = previous.lower().replace("’", "'")
    if lower in _NOT_VERB_AFTER:
        return "noun"
    if lower in _VERB_AFTER:
        return "verb"
    return None


def starts_sentence(tokens: Tokens, i: int) -> bool:
    """True when word ``i`` may be capitalised for its position: first word, or after . ! ? : a line break, a quote…

    >>> words = ["Hi", "Tom", "Then", "Bush", "said", "Aid", "Next", "Mr", "Coffee"]
    >>> tokens = Tokens(words, ["", " ", ". ", " (", " ", " U.S. ", ': "', " ", ". ", ""])
    >>> [starts_sentence(tokens, i) for i in range(9)]
    [True, False, True, False, False, False, True, False, False]
    """
    if i == 0:
        return True
    sep = tokens.seps[i]
    if not _BREAKS.isdisjoint(sep):
        return True
    visible = sep.rstrip()
    opened = False
    while visible and visible[-1] in _OPENERS:
        # A quote or bracket opens a sentence only after one ended: 'said, "The' but not "for 'Halo".
        visible = visible[:-1].rstrip()
        opened = True
    visible = visible.rstrip("".join(_CLOSERS))
    if not visible:
        return False
    last = visible[-1]
    if last == "." and len(visible) > 1 and visible[-2].isalpha():
        return False  # "U.S. Aid": the full stop of an abbreviation the tokenizer kept whole
    if last == "." and visible == "." and tokens.words[i - 1].lower() in _TITLES:
        return False  # "Mr. Coffee", "Dr. Strange": a title's full stop ends no sentence
    # An emoji or other symbol often ends a sentence in social text.
    return last in _ENDS_SENTENCE or unicodedata.category(last) == "So" or (opened and last == ",")


class SynonymSource:
    """Per-word choices of case-matched, inflected synonyms, cached because words repeat a lot."""

    def __init__(self, resources: Resources) -> None:
        self._resources = resources
        self._policy = resources.policy
        self._cache: dict[tuple[str, str | None], tuple[str, ...]] = {}
        self._hints: dict[str, Any] = {}  # previous word -> context hint, cached
        self._names: dict[str, bool] = {}  # capitalised word -> WordNet knows it as a name

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
        """Positions of words that have synonyms and read as common words, once per text (shared by sr and ri)."""
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
            seps = tokens.seps
            context: _Context | None = None
            for i, key in enumerate(keys):
                value = cache.get(key) if key[1] is not _UNSET else None
                if value is None:
                    value = self.choices(words[i], words[i - 1] if i else None)
                if not value:
                    continue
                word = key[0]
                # "approx. five", "etc. and": a word before a full stop and a lower-case word is abbreviated.
                after = seps[i + 1]
                if after[:1] == "." and after.strip() == "." and i + 1 < len(words) and words[i + 1][:1].islower():
                    continue
                if not word.islower():
                    if context is None:
                        context = _Context(tokens)
                    if not self._reads_as_common(word, i, tokens, context):
                        continue
                found.append(i)
            memo["synonym_positions"] = found
        return found  # type: ignore[return-value]

    def _reads_as_common(self, word: str, i: int, tokens: Tokens, context: _Context) -> bool:
        """Whether a capitalised word at ``i`` is an ordinary word rather than a name or an abbreviation."""
        if word.isupper():
            # An abbreviation (DM, LA, NY), unless the whole text shouts.
            return context.shouted(i) and not self._is_name(word)
        if not starts_sentence(tokens, i):
            return False  # Tom, Denver, George Bush: a name mid-sentence
        if self._is_name(word) or word in context.capitalised_inside:
            return False  # "Bush said…": WordNet knows the name, or the text capitalises it elsewhere
        if tokens.seps[i + 1].lstrip()[:1].isdigit():
            return False  # "Halo 2", "Windows 95": a product or a name with a number
        # "George Bush", "Apple Unveils", "Braves' Smoltz": the next word is capitalised too.
        return not (i + 1 < len(tokens.words) and tokens.words[i + 1][:1].isupper()
                    and not starts_sentence(tokens, i + 1))

    def _is_name(self, word: str) -> bool:
        found = self._names.get(word)
        if found is None:
            if len(self._names) >= _CACHE_LIMIT:
                self._names.clear()
            found = self._names[word] = bool(self._resources.lexicon.names(word))
        return found

    def _compute(self, word: str, hint: str | None) -> tuple[str, ...]:
        lower = word.lower()
        pattern = case_pattern(word)
        if pattern is None or len(word) < 2 or lower in self._resources.stopwords:
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
            if lower.endswith("ing") and any(r.pos == "v" and r.form != "base" for r in readings):
                # "a growing number", "grid computing": an -ing form of a verb is read as the verb,
                # not as WordNet's gerund noun ("growing": growth) or participle adjective.
                readings = [r for r in readings if r.pos == "v"]
        else:
            readings = [Analysis(lower, pos, "base") for pos in "nvar" if has(lower, pos)]
        if not readings:
            return []
        if self._policy.senses != "all":
            best = self._likeliest(readings, hint)
            if best is None:
                return []
            readings = [best]
        out: list[str] = []
        for reading in readings:
            senses = [sense for sense in lexicon.senses(reading.lemma) if sense.pos == reading.pos]
            if self._policy.senses == "first":
                senses = senses[:1]
            elif self._policy.senses == "top":
                senses = _carrying(senses)
            for sense in senses:
                for synonym in sense.synonyms:
                    lowered = synonym.lower()
                    if lowered == reading.lemma or not _PLAIN.fullmatch(synonym):
                        continue
                    new = inflect(lowered, reading.pos, reading.form, morph) if self._policy.inflect else lowered
                    if new is not None:
                        out.append(new if new != lowered else synonym)
        return out

    def _likeliest(self, readings: list[Analysis], hint: str | None) -> Analysis | None:
        """The reading with the most tagged sense occurrences, after the context rule; first on ties.

        Under senses=top, None when that reading is not clearly the likeliest ("criminal":
        adjective or noun), since a synonym for the other part of speech would not fit.
        """
        lexicon = self._resources.lexicon
        if hint == "noun":
            readings = [r for r in readings if r.pos != "v"] or readings

        def weight(reading: Analysis) -> int:
            total = 1 + sum(s.count for s in lexicon.senses(reading.lemma) if s.pos == reading.pos)
            return total * _VERB_BOOST if hint == "verb" and reading.pos == "v" else total

        weights = [weight(reading) for reading in readings]
        best = max(range(len(readings)), key=weights.__getitem__)
        if self._policy.senses == "top" and weights[best] < READING_SHARE * sum(weights):
            return None
        return readings[best]


def _carrying(senses: list[Any]) -> list[Any]:
    """The senses that carry a reading's meaning: the dominant one, if it holds a real share and has
    synonyms, and any other holding a real share; one sense when nothing was ever tagged and there is one.

    >>> from augtool.lexicon import Sense
    >>> [s.synonyms for s in _carrying([Sense("v", 75, ("a",)), Sense("v", 25, ("b",)), Sense("v", 0, ("c",))])]
    [('a',), ('b',)]
    >>> _carrying([Sense("a", 190, ()), Sense("a", 22, ("full",))]), _carrying([Sense("n", 0, ("x",))] * 2)
    ([], [])
    """
    total = sum(sense.count for sense in senses)
    if not total:
        return senses[:1] if len(senses) == 1 else []  # untagged and ambiguous: no sense is known to dominate
    if len(senses) > 1 and total < MIN_EVIDENCE:
        return []  # "rebound": one tagged use says little about which sense a text means
    if not senses[0].synonyms or senses[0].count < DOMINANT_SHARE * total:
        return []
    return [senses[0], *(sense for sense in senses[1:] if sense.count >= FURTHER_SHARE * total)]


class _Context:
    """Facts about a whole text that the name and abbreviation rules need, computed once on demand."""

    __slots__ = ("_runs", "_shouted", "_tokens", "capitalised_inside")

    def __init__(self, tokens: Tokens) -> None:
        self._tokens = tokens
        words = tokens.words
        # Words capitalised where no sentence starts: names by the text's own evidence.
        self.capitalised_inside = frozenset(
            word for i, word in enumerate(words) if word[:1].isupper() and not word.isupper() and i
            and not starts_sentence(tokens, i)
        )
        self._shouted: bool | None = None
        self._runs: list[int] | None = None

    def shouted(self, i: int) -> bool:
        """Whether the all-capitals word at ``i`` is loud text, not an abbreviation."""
        words = self._tokens.words
        if self._shouted is None:
            longer = [word for word in words if len(word) > 1]
            self._shouted = sum(word.isupper() for word in longer) >= _SHOUTED_SHARE * len(longer)
        if self._shouted:
            return True
        if self._runs is None:
            # Length of the run of all-capitals words each word belongs to, in one pass each way.
            runs = [0] * len(words)
            for k, word in enumerate(words):
                runs[k] = runs[k - 1] + 1 if k and word.isupper() and words[k - 1].isupper() else 1
            for k in range(len(words) - 2, -1, -1):
                if words[k].isupper() and words[k + 1].isupper():
                    runs[k] = runs[k + 1]
            self._runs = runs
        # A run of several all-capitals words ("THIS IS THE WORST AIRLINE") shouts too;
        # two or three ("NEW YORK", "SALT LAKE CITY") are more likely a name.
        return self._runs[i] >= _SHOUTED_RUN

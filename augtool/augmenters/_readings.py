"""Which reading of a word (lemma, part of speech, form) gives its synonyms, and from which senses.

Under senses=top a word is read as its likeliest reading, by tagged sense counts and the
context hint (``_context.hint_of``), and only senses holding a real share of that reading's
tagged uses give synonyms; the synonyms are inflected to the word's form.
"""

from __future__ import annotations

import re
from typing import Any

from augtool.augmenters import Resources
from augtool.inflect import Analysis, analyses, inflect
from augtool.lexicon import Sense

# Synonyms must read as plain words once inserted: WordNet also holds entries
# such as "A.D." or "3-D" that our tokenizer would later protect as another kind.
PLAIN = re.compile(r"[A-Za-z]+(?:[ '-][A-Za-z]+)*")

# An adjective synonym ending in one of these wants the complement a one-word adjective does not
# bring: "its underlying concern" read "its implicit in concern", "a capable leader" would read
# "an up to leader", "sick of it" "tired of of it" (the bundled lexicon has 14 such synonyms of one-word adjectives).
_COMPLEMENT_PREPOSITIONS = frozenset(["about", "as", "at", "by", "for", "from", "in", "into", "of", "on", "to",
                                      "upon", "with"])

# "to" before and no object after ("went to court", "to process claims"): a verb is likelier, by this factor.
_VERB_BOOST = 4
# Verb forms that may follow "of" (`_by_form`, hint "nonfinite").
_NONFINITE = frozenset(["ing", "ppart"])
# Under senses=top: the dominant sense must hold this share of the reading's tagged uses
# (else the word is too ambiguous to replace blind), and a further sense this share.
DOMINANT_SHARE = 0.75
FURTHER_SHARE = 0.25
# A word with several senses needs this many tagged uses before its dominant sense is trusted.
MIN_EVIDENCE = 3
# ... and the likeliest reading (lemma and part of speech) this share of all readings' weight.
READING_SHARE = 0.6
# Entries in each per-word cache before it is emptied (a run meets a few thousand distinct words).
_CACHE_LIMIT = 200_000


def _carrying(senses: list[Any]) -> list[Any]:
    """The senses that carry a reading's meaning: the dominant one, if it holds a real share and has
    synonyms, and any other holding a real share; one sense when nothing was ever tagged and there is one.

    >>> from augtool.lexicon import Sense
    >>> [s.synonyms for s in _carrying([Sense("v", 75, ("a",)), Sense("v", 25, ("b",)), Sense("v", 0, ("c",))])]
    [('a',), ('b',)]
    >>> _carrying([Sense("a", 190, ()), Sense("a", 22, ("full",))]), _carrying([Sense("n", 0, ("x",))] * 2)
    ([], [])
    """
    total = 0
    for sense in senses:  # a loop, not sum() over a generator: this runs for every new word and hint
        total += sense.count
    if not total:
        return senses[:1] if len(senses) == 1 else []  # untagged and ambiguous: no sense is known to dominate
    if len(senses) > 1 and total < MIN_EVIDENCE:
        return []  # "rebound": one tagged use says little about which sense a text means
    if not senses[0].synonyms or senses[0].count < DOMINANT_SHARE * total:
        return []
    return [senses[0]] + [sense for sense in senses[1:] if sense.count >= FURTHER_SHARE * total]


class Readings:
    """The synonyms of a word's likeliest reading (every reading under senses=all), from a lexicon and word forms."""

    def __init__(self, resources: Resources) -> None:
        self._resources = resources
        self._policy = resources.policy
        # A word is met under several context hints, and a lemma through several of its forms:
        # what does not depend on the context is worked out once per word or lemma.
        self._by_pos: dict[str, dict[str, tuple[Sense, ...]]] = {}  # lemma -> pos -> its senses
        self._counts: dict[str, dict[str, int]] = {}  # lemma -> pos -> its senses' tagged uses
        self._analysed: dict[str, list[Analysis]] = {}  # word -> its readings before the context

    def _senses(self, lemma: str) -> dict[str, tuple[Sense, ...]]:
        """The lemma's senses by part of speech (n v a r; N V A R where it is a name), each group in rank order."""
        found = self._by_pos.get(lemma)
        if found is None:
            grouped: dict[str, list[Sense]] = {}
            for sense in self._resources.lexicon.entry(lemma):
                grouped.setdefault(sense.pos, []).append(sense)
            found = {pos: tuple(senses) for pos, senses in grouped.items()}
            if len(self._by_pos) >= _CACHE_LIMIT:
                self._by_pos.clear()
            self._by_pos[lemma] = found
        return found

    def _totals(self, lemma: str) -> dict[str, int]:
        """The tagged uses of the lemma's senses, summed by part of speech (N V A R: as a name)."""
        found = self._counts.get(lemma)
        if found is None:
            found = {}
            for pos, senses in self._senses(lemma).items():
                total = 0
                for sense in senses:
                    total += sense.count
                found[pos] = total
            if len(self._counts) >= _CACHE_LIMIT:
                self._counts.clear()
            self._counts[lemma] = found
        return found

    def _has(self, lemma: str, pos: str) -> bool:
        return pos in self._senses(lemma)

    def _readings(self, lower: str) -> list[Analysis]:
        """Every reading of the word, before its context is read (callers never change the list)."""
        found = self._analysed.get(lower)
        if found is None:
            if self._policy.inflect:
                morph = self._resources.morphology
                found = analyses(lower, self._has, morph)
                # Forms of verbs with no synonyms at all ("letting", "given") are still verbs: read
                # as such they give nothing, rather than the rarer noun or adjective ("lease", "granted").
                known = {(r.lemma, r.pos) for r in found}
                found += [Analysis(lemma, "v", slot) for lemma, pos, slot in morph.readings(lower)
                          if pos == "v" and slot in ("past", "ppart", "ing") and (lemma, "v") not in known]
            else:
                found = [Analysis(lower, pos, "base") for pos in "nvar" if self._has(lower, pos)]
            if len(self._analysed) >= _CACHE_LIMIT:
                self._analysed.clear()
            self._analysed[lower] = found
        return found

    def known(self, lower: str) -> bool:
        """Whether the word has any reading: without one no context gives it a synonym."""
        return bool(self._readings(lower))

    def synonyms(self, lower: str, hint: str | None) -> tuple[list[tuple[str, str]], list[str]]:
        """(inflected synonym, its lemma) for the word's likeliest reading (every reading under senses=all),
        and the lemmas read (the word itself first), whose fixed expressions apply."""
        morph = self._resources.morphology
        readings = self._readings(lower)
        if self._policy.inflect:
            readings = self._by_form(lower, readings, hint)
        if not readings:
            return [], []
        if self._policy.senses != "all":
            best = self._likeliest(readings, hint)
            if best is None or self._mostly_a_name(best):
                return [], []
            readings = [best]
        out: list[tuple[str, str]] = []
        for reading in readings:
            senses = list(self._senses(reading.lemma).get(reading.pos, ()))
            if self._policy.senses == "first":
                senses = senses[:1]
            elif self._policy.senses == "top":
                senses = _carrying(senses)
            bare_adjective = reading.pos == "a" and " " not in reading.lemma
            for sense in senses:
                for synonym in sense.synonyms:
                    lowered = synonym.lower()
                    if lowered == reading.lemma or not PLAIN.fullmatch(synonym):
                        continue
                    if bare_adjective and lowered.rpartition(" ")[2] in _COMPLEMENT_PREPOSITIONS and " " in lowered:
                        continue
                    new = inflect(lowered, reading.pos, reading.form, morph) if self._policy.inflect else lowered
                    if new is not None:
                        out.append((new if new != lowered else synonym, lowered))
        lemmas = [lower]
        lemmas += [r.lemma for r in readings if r.lemma != lower]
        return out, lemmas

    @staticmethod
    def _by_form(lower: str, readings: list[Analysis], hint: str | None) -> list[Analysis]:
        """The readings the word's form and its context allow: participles read as verbs, unless an adjective fits."""
        if hint in ("noun", "noun!", "adj"):
            # After a determiner or a degree word no verb ("the building", "most annoying", "so annoying");
            # a noun alone before "of" after a determiner ("a myriad of").
            readings = [r for r in readings if r.pos != "v"]
            return [r for r in readings if r.pos == "n"] if hint == "noun!" else readings
        if hint == "nonfinite":
            # After "of" a verb stands only as a gerund or a participle ("of using", "of the used"): sr 21
            # wrote "months of utilize", "a series of goes after" for the nouns "use" and "chases".
            readings = [r for r in readings if r.pos != "v" or not _NONFINITE.isdisjoint(r.form.split("+"))]
        verb_forms = [r for r in readings if r.pos == "v" and r.form != "base"]
        if not verb_forms:
            return readings
        if lower.endswith("ing"):
            if hint == "adj-ing":
                # "is annoying" or "is looking": the adjective and the verb, weighed by their tagged uses.
                return [r for r in readings if r.pos in "av"]
            # "a growing number", "grid computing": an -ing form of a verb is read as the verb,
            # not as WordNet's gerund noun ("growing": growth) or participle adjective.
            return [r for r in readings if r.pos == "v"]
        if any(("past" in r.form or "ppart" in r.form) and "base" not in r.form for r in verb_forms):
            # "been transmitted", "I emphasised", "given the chance": a past form is the verb's, not
            # an adjective's or a noun's ("genetic", "emphatic", "presumption"); after a determiner
            # the others were kept above ("a used car"). Not for "cut", "hit", "cost": base forms too.
            return [r for r in readings if r.pos == "v"]
        return readings

    def _mostly_a_name(self, reading: Analysis) -> bool:
        """Whether the reading's lemma is used more as a name than as a common word: "thank god" means God."""
        totals = self._totals(reading.lemma)
        return totals.get(reading.pos.upper(), 0) > totals.get(reading.pos, 0)

    def _likeliest(self, readings: list[Analysis], hint: str | None) -> Analysis | None:
        """The reading with the most tagged sense occurrences, after the context rule; first on ties.

        Under senses=top, None when that reading is not clearly the likeliest ("criminal":
        adjective or noun), since a synonym for the other part of speech would not fit.
        """
        if hint == "verb!":
            # "they film", "can't help": a verb, or an adverb ("will probably"), when the word can be
            # one; a word that cannot ("i quick") says the text is not what the rule expects.
            readings = [r for r in readings if r.pos in "vr"] or readings
        elif hint == "adj":
            # "so kind", "too late": an adjective or an adverb when the word can be one, though the noun
            # is tagged far more often ("kind": 126 to 4); "so sort" read it as the noun.
            readings = [r for r in readings if r.pos in "ar"] or readings
        boost = _VERB_BOOST if hint == "verb" else 1
        weights: list[int] = []
        for reading in readings:
            total = 1 + self._totals(reading.lemma).get(reading.pos, 0)
            weights.append(total * boost if reading.pos == "v" else total)
        best = max(range(len(readings)), key=weights.__getitem__)
        if self._policy.senses == "top" and weights[best] < READING_SHARE * sum(weights):
            return None
        return readings[best]

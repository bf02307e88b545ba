"""Which words may take a synonym, and which synonyms: shared by ``sr`` and ``ri``.

A word is a candidate only when it reads as a common word where it stands: names (a
capitalised word that does not start a sentence, or one WordNet knows as a name),
words with inner capitals, abbreviations (all capitals outside shouted text, dotted
forms such as "approx.") and single letters are never replaced nor inserted from.

Under the default policy a word is read as its likeliest (lemma, part of speech, form), by
tagged sense counts and the words on either side ("to" + verb, determiner + noun + "of",
"I" + verb, "very" + adjective); synonyms come only from senses that hold a real share of
that reading's tagged uses, and when the dominant sense has no synonym the word is left
alone. A word inside a fixed expression ("appeals court", "no doubt", "sort it out") keeps
its place, and after "a"/"an" only a synonym taking the same article is offered. Synonyms
are inflected to the word's form from the table of confirmed forms, and dropped when the
form is not confirmed.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import Any, NamedTuple

from augtool.augmenters import Resources
from augtool.guards import is_negation
from augtool.inflect import Analysis, analyses, inflect
from augtool.lexicon import Collocation
from augtool.tokens import Tokens, apply_case, case_pattern

# Synonyms must read as plain words once inserted: WordNet also holds entries
# such as "A.D." or "3-D" that our tokenizer would later protect as another kind.
_PLAIN = re.compile(r"[A-Za-z]+(?:[ '-][A-Za-z]+)*")
_CACHE_LIMIT = 200_000
# The context rules read the word before and the word after. Classes of the word before:
_BEFORE = {
    **dict.fromkeys(
        ["the", "a", "an", "this", "these", "those", "my", "your", "his", "its", "our", "their", "every", "each",
         "another", "whose"], "det"),  # no verb follows; a noun when "of" follows ("a myriad of")
    "to": "to",
    **dict.fromkeys(
        ["will", "would", "shall", "should", "can", "could", "may", "might", "must", "cannot", "don't", "doesn't",
         "didn't", "won't", "can't", "couldn't", "wouldn't", "shouldn't", "i", "we", "they", "he", "she"],
        "verb"),  # a verb follows whenever the word can be one ("I emphasised", "can't help")
    "you": "you",  # a subject or an object ("for you guys"): a verb is likelier, not certain
    **dict.fromkeys(
        ["very", "so", "too", "most", "more", "less", "least", "quite", "extremely", "fairly", "incredibly"],
        "degree"),  # "the most annoying": an adjective, not a verb's -ing form
    **dict.fromkeys(["is", "are", "was", "were", "am", "be", "'s", "'re", "'m"], "be"),
    **dict.fromkeys(["been", "being", "get", "gets", "got", "getting"], "passive"),
}
# ... and of the word after: "of" (no verb: "uses of"), an object ("help the", "sort it").
_AFTER = {
    "of": "of",
    **dict.fromkeys(
        ["the", "a", "an", "his", "my", "your", "their", "our", "its", "them", "him", "me", "us", "it"], "object"),
}
# What the two classes say, as a hint: "noun" (no verb), "noun!" (a noun), "verb" (likelier),
# "verb!" (a verb, or an adverb, when it can be one), "adj-ing" (an -ing word may be an adjective).
_HINTS = {
    ("det", "of"): "noun!", ("det", None): "noun", ("det", "object"): "noun",
    ("to", "object"): "verb!", ("to", None): "verb", ("to", "of"): "noun",
    ("verb", None): "verb!", ("verb", "object"): "verb!", ("verb", "of"): "verb!",
    ("you", None): "verb", ("you", "object"): "verb!", ("you", "of"): "noun",
    ("degree", None): "noun", ("degree", "object"): "noun", ("degree", "of"): "noun",
    ("be", None): "adj-ing", ("be", "object"): "adj-ing", ("be", "of"): "adj-ing",
    ("passive", None): "verb!", ("passive", "object"): "verb!", ("passive", "of"): "verb!",
    (None, "of"): "noun", (None, "object"): "verb",
}
# "to" before and no object after ("went to court", "to process claims"): a verb is likelier, by this factor.
_VERB_BOOST = 4
# After "a"/"an" only a synonym taking the same article fits ("an opportunity": not "chance").
_AN_EXCEPTIONS = ("hour", "honest", "honor", "honour", "heir")
_A_EXCEPTIONS = ("uni", "use", "usu", "eu", "one", "once", "ewe", "ubiq", "uran", "uto", "euro")
# Fixed expressions stand for any reflexive pronoun or possessive with "oneself" and "one's".
_STAND_INS = {
    **dict.fromkeys(["myself", "yourself", "himself", "herself", "itself", "ourselves", "yourselves",
                     "themselves"], "oneself"),
    **dict.fromkeys(["my", "your", "his", "her", "its", "our", "their"], "one's"),
}
# Under senses=top: the dominant sense must hold this share of the reading's tagged uses
# (else the word is too ambiguous to replace blind), and a further sense this share.
DOMINANT_SHARE = 0.75
FURTHER_SHARE = 0.25
# A word with several senses needs this many tagged uses before its dominant sense is trusted.
MIN_EVIDENCE = 3
# ... and the likeliest reading (lemma and part of speech) this share of all readings' weight.
READING_SHARE = 0.6

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
_CLAUSE_WORDS = frozenset(
    [
        "I", "ME", "MY", "YOU", "YOUR", "WE", "IT", "IS", "ARE", "WAS", "WERE", "BE", "BEEN", "AM",
        "DO", "DID", "DOES", "HAVE", "HAS", "HAD", "WILL", "CAN", "THE", "THIS", "THAT", "NOT", "SO",
        "VERY", "JUST", "ALL", "WHAT", "WHY", "HOW",
    ]
)


def _spellings(table: dict[str, str]) -> dict[str, str]:
    """The table with each word also in title case, capitals and a curly apostrophe, so text looks up as is."""
    out: dict[str, str] = {}
    for word, value in table.items():
        for variant in (word, word.title(), word.upper(), word[:1].upper() + word[1:]):
            out[variant] = out[variant.replace("'", "’")] = value
    return out


_BEFORE = _spellings(_BEFORE)
_AFTER = _spellings(_AFTER)


def _class(table: dict[str, str], word: str | None) -> str | None:
    """The context class of a neighbouring word, or None."""
    if word is None:
        return None
    return table.get(word)  # exact spellings only, so `candidates` and `choices_at` always agree


def _hint(previous: str | None, following: str | None = None) -> str | None:
    """What the words around a word say of its part of speech (see `_HINTS`).

    >>> _hint("to", "the"), _hint("the", "of"), _hint("I"), _hint(None, "of"), _hint("very"), _hint("dog", "dog")
    ('verb!', 'noun!', 'verb!', 'noun', 'noun', None)
    """
    return _HINTS.get((_class(_BEFORE, previous), _class(_AFTER, following)))


def takes_an(word: str) -> bool:
    """Whether ``word`` takes "an" rather than "a", by its spelling ("an hour", "a union").

    >>> [takes_an(w) for w in ["apple", "hour", "union", "car", "Euro", "one", "idea"]]
    [True, True, False, False, False, False, True]
    """
    lower = word.lower()
    if lower.startswith(_AN_EXCEPTIONS):
        return True
    return lower[:1] in "aeiou" and not lower.startswith(_A_EXCEPTIONS)


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
        # (word, hint) -> (choices, their synonyms' lemmas, the fixed expressions of the word)
        self._cache: dict[tuple[str, str | None], _Found] = {}
        self._names: dict[str, bool] = {}  # capitalised word -> WordNet knows it as a name
        self._lemmas: dict[str, frozenset[str]] = {}  # word -> itself and the lemmas it is a form of

    def choices(self, word: str, previous: str | None = None, following: str | None = None) -> tuple[str, ...]:
        """Synonyms of ``word`` in its case pattern; () for stopwords, mixed case, unknown words."""
        return self._found(word, previous, following).choices

    def _found(self, word: str, previous: str | None, following: str | None) -> _Found:
        hint = None if self._policy.senses == "all" else _hint(previous, following)
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
        found = self._found(words[i], words[i - 1] if i else None, words[i + 1] if i + 1 < len(words) else None)
        return self._in_context(found, words, i)

    def _in_context(self, found: _Found, words: list[str], i: int) -> tuple[str, ...]:
        """The choices that fit where the word stands: outside fixed expressions, and after the right article."""
        choices = found.choices
        if not choices:
            return choices
        if found.fixed and self._may_be_fixed(found, words, i):
            allowed = self._fixed(found.fixed, words, i)
            if allowed is not None:
                choices = tuple(c for c, lemma in zip(choices, found.lemmas) if lemma in allowed)
        if i and choices and words[i - 1].lower() in ("a", "an"):
            an = words[i - 1].lower() == "an"
            if takes_an(words[i]) == an:  # "an quick": the text's own article says nothing
                choices = tuple(c for c in choices if takes_an(c) == an)
        return choices

    def _may_be_fixed(self, found: _Found, words: list[str], i: int) -> bool:
        """A quick test before `_fixed`: whether a neighbour of word ``i`` is one its expressions put there."""
        near, n = found.near, len(words)
        return bool(
            (i and not near.isdisjoint(self._forms_of(words[i - 1])))
            or (i + 1 < n and not near.isdisjoint(self._forms_of(words[i + 1])))
            or (found.gap and i + 2 < n and not found.gap.isdisjoint(self._forms_of(words[i + 2])))
        )

    def _fixed(self, fixed: tuple[Collocation, ...], words: list[str], i: int) -> frozenset[str] | None:
        """The synonyms a fixed expression around word ``i`` allows (usually none); None when it is in none."""
        allowed: frozenset[str] | None = None
        for collocation in fixed:
            before, after = collocation.before, collocation.after
            if i < len(before) or i + len(after) >= len(words):
                continue
            if all(self._matches(words[i - len(before) + k], part) for k, part in enumerate(before)) and all(
                self._matches(words[i + 1 + k], part) for k, part in enumerate(after)
            ):
                here = frozenset(collocation.allows)
                allowed = here if allowed is None else allowed & here
        return allowed

    def _matches(self, word: str, part: str) -> bool:
        """Whether a word of the text stands where an expression has ``part``: itself, a form of it, a stand-in."""
        return part == "*" or part in self._forms_of(word)

    def _forms_of(self, word: str) -> frozenset[str]:
        """The word lowercased, the lemmas it is a form of, and the stand-in it matches ("myself": oneself)."""
        lemmas = self._lemmas.get(word)
        if lemmas is None:
            lower = word.lower()
            found = {lower, *(lemma for lemma, _, _ in self._resources.morphology.readings(lower))}
            if lower in _STAND_INS:
                found.add(_STAND_INS[lower])
            if len(self._lemmas) >= _CACHE_LIMIT:
                self._lemmas.clear()
            lemmas = self._lemmas[word] = frozenset(found)
        return lemmas

    def candidates(self, tokens: Tokens) -> list[int]:
        """Positions of words that have synonyms and read as common words, once per text (shared by sr and ri)."""
        memo = tokens.memo
        if memo is None:
            memo = tokens.memo = {}
        found = memo.get("synonym_positions")
        if found is None:
            words = tokens.words
            cache = self._cache
            n = len(words)
            # Plain dict lookups for the hits (most words, most records): this runs for
            # every word of every record, and a method call per word doubled its cost.
            if self._policy.senses == "all" or not words:
                keys: list[tuple[str, str | None]] = [(word, None) for word in words]
            else:
                before, after, hints = _BEFORE.get, _AFTER.get, _HINTS.get
                classes_before = [None, *map(before, words[:-1])]
                classes_after = [*map(after, words[1:]), None]
                keys = [
                    (w, hints((b, a)) if b or a else None)
                    for w, b, a in zip(words, classes_before, classes_after)
                ]
            positions: list[int] = []
            seps = tokens.seps
            context: _Context | None = None
            for i, key in enumerate(keys):
                value = cache.get(key)
                if value is None:
                    value = self._lookup(words, i)
                if not value.choices:
                    continue
                if (value.fixed or (i and words[i - 1] in _ARTICLES)) and not self._in_context(value, words, i):
                    continue  # inside a fixed expression, or no synonym takes its article
                word = key[0]
                after_sep = seps[i + 1]
                # "approx. five", "etc. and": a word before a full stop and a lower-case word is abbreviated.
                if after_sep[:1] == "." and after_sep.strip() == "." and i + 1 < n and words[i + 1][:1].islower():
                    continue
                if after_sep[:1] == "=":
                    continue  # an attribute or parameter name: width="1", key=value
                if not word.islower():
                    if context is None:
                        context = _Context(tokens)
                    if not self._reads_as_common(word, i, tokens, context):
                        continue
                positions.append(i)
            memo["synonym_positions"] = found = positions
        return found  # type: ignore[return-value]

    def _lookup(self, words: list[str], i: int) -> _Found:
        """The cached choices for word ``i`` in its context."""
        return self._found(words[i], words[i - 1] if i else None, words[i + 1] if i + 1 < len(words) else None)

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

    def _compute(self, word: str, hint: str | None) -> _Found:
        lower = word.lower()
        pattern = case_pattern(word)
        if pattern is None or len(word) < 2 or lower in self._resources.stopwords:
            return _NOTHING
        if self._policy.guards and is_negation(lower):
            return _NOTHING
        lexicon = self._resources.lexicon
        if self._policy.senses == "all" and not self._policy.inflect:
            # EDA's choice: any sense, any POS
            found, lemmas = [(synonym, synonym.lower()) for synonym in lexicon.synonyms(lower)], [lower]
        else:
            found, lemmas = self._meaningful(lower, hint)
        # Whatever the sense policy, a word inside a fixed expression keeps its place.
        fixed = tuple(itertools.chain.from_iterable(lexicon.collocations(lemma) for lemma in lemmas)) if found else ()
        guards = self._policy.guards
        out: list[str] = []
        sources: list[str] = []
        for synonym, lemma in found:
            # "more often than not" for "usually" would add a negation the text never had.
            if guards and any(is_negation(part) for part in synonym.split(" ")):
                continue
            if _PLAIN.fullmatch(synonym) and synonym.lower() != lower:
                cased = apply_case(pattern, synonym)
                if cased not in out:
                    out.append(cased)
                    sources.append(lemma)
        if not out:
            return _NOTHING
        near = frozenset(part for c in fixed for part in (c.before[-1:] + c.after[:1]) if part != "*")
        gap = frozenset(c.after[1] for c in fixed if len(c.after) > 1 and c.after[0] == "*")
        return _Found(tuple(out), tuple(sources), fixed, near, gap)

    def _meaningful(self, lower: str, hint: str | None) -> tuple[list[tuple[str, str]], list[str]]:
        """(inflected synonym, its lemma) for the word's likeliest reading (every reading under senses=all),
        and the lemmas read (the word itself first), whose fixed expressions apply."""
        lexicon = self._resources.lexicon
        morph = self._resources.morphology

        def has(lemma: str, pos: str) -> bool:
            return any(sense.pos == pos for sense in lexicon.senses(lemma))

        if self._policy.inflect:
            readings = analyses(lower, has, morph)
            # Forms of verbs with no synonyms at all ("letting", "given") are still verbs: read
            # as such they give nothing, rather than the rarer noun or adjective ("lease", "granted").
            known = {(r.lemma, r.pos) for r in readings}
            readings += [Analysis(lemma, "v", slot) for lemma, pos, slot in morph.readings(lower)
                         if pos == "v" and slot in ("past", "ppart", "ing") and (lemma, "v") not in known]
            readings = self._by_form(lower, readings, hint)
        else:
            readings = [Analysis(lower, pos, "base") for pos in "nvar" if has(lower, pos)]
        if not readings:
            return [], []
        if self._policy.senses != "all":
            best = self._likeliest(readings, hint)
            if best is None or self._mostly_a_name(best):
                return [], []
            readings = [best]
        out: list[tuple[str, str]] = []
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
                        out.append((new if new != lowered else synonym, lowered))
        lemmas = [lower, *(r.lemma for r in readings if r.lemma != lower)]
        return out, lemmas

    @staticmethod
    def _by_form(lower: str, readings: list[Analysis], hint: str | None) -> list[Analysis]:
        """The readings the word's form and its context allow: participles read as verbs, unless an adjective fits."""
        if hint in ("noun", "noun!"):
            # After a determiner or a degree word no verb ("the building", "most annoying");
            # a noun alone before "of" after a determiner ("a myriad of").
            readings = [r for r in readings if r.pos != "v"]
            return [r for r in readings if r.pos == "n"] if hint == "noun!" else readings
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
        lexicon = self._resources.lexicon
        upper = reading.pos.upper()
        named = sum(sense.count for sense in lexicon.names(reading.lemma) if sense.pos == upper)
        return named > sum(sense.count for sense in lexicon.senses(reading.lemma) if sense.pos == reading.pos)

    def _likeliest(self, readings: list[Analysis], hint: str | None) -> Analysis | None:
        """The reading with the most tagged sense occurrences, after the context rule; first on ties.

        Under senses=top, None when that reading is not clearly the likeliest ("criminal":
        adjective or noun), since a synonym for the other part of speech would not fit.
        """
        lexicon = self._resources.lexicon
        if hint == "verb!":
            # "they film", "can't help": a verb, or an adverb ("will probably"), when the word can be
            # one; a word that cannot ("i quick") says the text is not what the rule expects.
            readings = [r for r in readings if r.pos in "vr"] or readings
        boost = _VERB_BOOST if hint == "verb" else 1

        def weight(reading: Analysis) -> int:
            total = 1 + sum(s.count for s in lexicon.senses(reading.lemma) if s.pos == reading.pos)
            return total * boost if reading.pos == "v" else total

        weights = [weight(reading) for reading in readings]
        best = max(range(len(readings)), key=weights.__getitem__)
        if self._policy.senses == "top" and weights[best] < READING_SHARE * sum(weights):
            return None
        return readings[best]


class _Found(NamedTuple):
    """A word's synonyms in its case, the lemma each comes from, and the fixed expressions that hold the word."""

    choices: tuple[str, ...]
    lemmas: tuple[str, ...]
    fixed: tuple[Collocation, ...]
    near: frozenset[str] = frozenset()  # the words next to the head in its expressions
    gap: frozenset[str] = frozenset()  # particles one word further on ("sort it out")


_NOTHING = _Found((), (), ())
_ARTICLES = frozenset(["a", "an", "A", "An", "AN"])


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
        self._runs: list[bool] | None = None

    def shouted(self, i: int) -> bool:
        """Whether the all-capitals word at ``i`` is loud text, not an abbreviation."""
        words = self._tokens.words
        if self._shouted is None:
            longer = [word for word in words if len(word) > 1]
            self._shouted = sum(word.isupper() for word in longer) >= _SHOUTED_SHARE * len(longer)
        if self._shouted:
            return True
        if self._runs is None:
            # For each word, whether its run of all-capitals words is loud: long enough and
            # holding a clause word. "THIS IS THE WORST AIRLINE" shouts; a byline and dateline
            # ("RACHEL KONRAD CARSON CITY") or "NEW YORK" is a string of names.
            loud = [False] * len(words)
            start = 0
            for end in range(1, len(words) + 1):
                if end < len(words) and words[end].isupper() and words[end - 1].isupper():
                    continue
                run = words[start:end]
                if len(run) >= _SHOUTED_RUN and any(word in _CLAUSE_WORDS for word in run):
                    loud[start:end] = [True] * len(run)
                start = end
            self._runs = loud
        return self._runs[i]

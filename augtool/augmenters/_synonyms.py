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

Here: the candidates and their choices in context (cached per word). ``_context`` reads the
neighbours and the sentence, ``_readings`` picks the reading and its senses.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import NamedTuple

from augtool.augmenters import Resources
from augtool.augmenters._context import AFTER, BEFORE, HINTS, Context, hint_of, starts_sentence, takes_an
from augtool.augmenters._readings import PLAIN, Readings
from augtool.guards import is_negation, negation_parts
from augtool.lang import name_forms
from augtool.lexicon import Collocation
from augtool.tokens import Tokens, apply_case, case_pattern

_CACHE_LIMIT = 200_000
# Fixed expressions stand for any reflexive pronoun or possessive with "oneself" and "one's".
_STAND_INS = {
    **dict.fromkeys(["myself", "yourself", "himself", "herself", "itself", "ourselves", "yourselves",
                     "themselves"], "oneself"),
    **dict.fromkeys(["my", "your", "his", "her", "its", "our", "their"], "one's"),
}
# Fixed expressions WordNet lacks, in the lexicon's notation (lexicon.Collocation; "not" stands for
# any negation, see `_forms_of`): the head keeps its place in them. "can't help but laugh" read
# "can't aid but laugh", "not nearly as good" read "not almost as good" (the opposite), "people
# who happen to like horror" read "who occur to like", and "seek to wage war" read "to salary war".
_MORE_FIXED = {
    head: tuple(Collocation.parse(pattern) for pattern in patterns.split("|"))
    for head, patterns in {
        "help": "can't _|can’t _|cannot _|cant _|can not _|ca n't _|ca nt _|couldn't _|couldn’t _|couldnt _"
                "|could not _|could n't _|could nt _",
        "nearly": "not _",
        "happen": "_ to",
        "wage": "_ war|_ * war|_ battle|_ * battle|_ campaign|_ * campaign",
        "sort": "of _",  # "a prequel of sorts" read "of kinds"
        "big": "_ on|_ fan|_ hit|_ deal|_ time|_ screen|_ name|_ shot",  # "not big on musicals" read
        # "not large on musicals"; "a big fan" "a large fan", "a big hit" "a large hit"
        # "heavy handed" (a split "heavy-handed") read "heavy turned over"; "with a heavy hand" the same
        "hand": "heavy _|even _|left _|right _|single _|red _|short _|open _|high _|empty _|bare _|back _"
                "|iron _|firm _|free _|upper _|first _|second _|two _|one _",
        # "as soon as I can" read "as shortly as I can"; "I have no idea who he was" read "no thought";
        # "according to TV" read "fitting in to TV"; "cross my fingers" read "traverse my fingers".
        "soon": "as _ as|how _",
        "idea": "no _|any _|faintest _|slightest _|foggiest _|good _|bad _|great _|get the _",
        "accord": "_ to",
        "cross": "_ one's fingers",
        # "a small amount" read "a little amount", "a fiscal quarter" "a financial quarter", "a total
        # stranger" "a full stranger" (session 12's judged sample).
        "small": "_ amount|_ number|_ business|_ town|_ talk",
        "fiscal": "_ quarter",
        "total": "_ stranger",
        # "a ray of hope" read "a light beam of hope", "left a lot to be desired" "to be wanted", "in my
        # humble opinion" "my lowly opinion", "lo and behold" "lo and lay eyes on", and a split
        # "run-of-the-mill" "run-of-the factory".
        "ray": "_ of hope|_ of sunshine",
        "desire": "to be _",
        "humble": "one's _ opinion",
        "behold": "and _",
        "mill": "run-of-the _",
        # Session 13's judged sample: "to the tune of $635 million" read "to the melody of", "to great effect"
        # "to great result", "make good use of" "make good usage of", "put to good use" "put to good
        # employ", "the benefit of the doubt" "the benefit of the uncertainty".
        "tune": "to the _ of",
        "effect": "to great _|to good _|to full _|to little _|to no _|to the _ that|to that _|to this _",
        "use": "make _ of|make good _|put to _|put to good _|of no _|of little _|of any _",
        "doubt": "benefit of the _",
    }.items()
}


# Where a synonym whose lemma is here may stand, by the words around it (`_Frame`). Each is a verb
# that takes a narrower frame than the word it stands for:
# - "try to sleep" may read "seek to sleep", but "keep trying something" and "I have tried several
#   times" read "seeking something", "sought several times" (190 of 594 "seek" replacements in
#   SST-2, CR and SUBJ, sr 15);
# - "it seems like" may read "it looks like", not "it appears like" (session 12's judged sample);
# - "help" takes a bare verb, "aid" and "assist" do not: "help me find a flight", "helped launch a
#   website" read "aid me find", "assisted launch"; nor do they stand for the noun ("I need help
#   now" read "I need assist now"). Only before "by" and "in" ("helped by", "help in the search")
#   is the frame the same (sr 21: 1,873 such replacements in seven corpora, about 7 in 10 wrong
#   in a sample of 50 read by hand);
# - "it seems to work" does not read "it looks to work" (48 % of "seem" -> "look" replacements);
# - "expect" takes a to-infinitive, "anticipate" does not: "I expected it to be good", "we expect
#   to arrive" read "anticipated it to be", "anticipate to arrive"; the passive does ("the vote
#   is anticipated to pass").
class _Frame(NamedTuple):
    only: frozenset[str] = frozenset()  # when given, the next word is one of these
    never: frozenset[str] = frozenset()  # the next word is none of these
    never_near: frozenset[str] = frozenset()  # none of the next `_NEAR` words is one of these...
    unless_after: frozenset[str] = frozenset()  # ...unless the word before is one of these


_NEAR = 3
_BE = frozenset(["is", "are", "was", "were", "be", "been", "being", "'s", "'re"])
_ASSIST = _Frame(only=frozenset(["by", "in"]))
_FRAMES = {
    "seek": _Frame(only=frozenset(["to"])),
    "appear": _Frame(never=frozenset(["like"])),
    "look": _Frame(never=frozenset(["to"])),
    "aid": _ASSIST,
    "assist": _ASSIST,
    "anticipate": _Frame(never_near=frozenset(["to"]), unless_after=_BE),
}


def _fits(lemma: str, previous: str, following: list[str]) -> bool:
    """Whether a synonym of this lemma may stand after ``previous`` and before ``following`` (the next `_NEAR`
    words), all lowercased (`_FRAMES`)."""
    frame = _FRAMES.get(lemma)
    if frame is None:
        return True
    next_word = following[0] if following else ""
    if (frame.only and next_word not in frame.only) or next_word in frame.never:
        return False
    return previous in frame.unless_after or frame.never_near.isdisjoint(following)


class SynonymSource:
    """Per-word choices of case-matched, inflected synonyms, cached because words repeat a lot."""

    def __init__(self, resources: Resources) -> None:
        self._resources = resources
        self._policy = resources.policy
        self._readings = Readings(resources)
        # (word, hint) -> (choices, their synonyms' lemmas, the fixed expressions of the word)
        self._cache: dict[tuple[str, str | None], _Found] = {}
        self._names: dict[str, bool] = {}  # capitalised word -> WordNet knows it as a name
        self._lemmas: dict[str, frozenset[str]] = {}  # word -> itself and the lemmas it is a form of
        self._never: dict[str, bool] = {}  # word -> no context can give it a synonym (see `_never_any`)
        self._name_sets: tuple[frozenset[str], frozenset[str]] | None = None  # lang.name_forms, on first use

    def choices(self, word: str, previous: str | None = None, following: str | None = None) -> tuple[str, ...]:
        """Synonyms of ``word`` in its case pattern; () for stopwords, mixed case, unknown words."""
        return self._found(word, previous, following).choices

    def _found(self, word: str, previous: str | None, following: str | None) -> _Found:
        hint = None if self._policy.senses == "all" else hint_of(previous, following)
        key = (word, hint)
        found = self._cache.get(key)
        return self._store(key) if found is None else found

    def _store(self, key: tuple[str, str | None]) -> _Found:
        """Work out and cache the choices for a (word, context hint) met for the first time."""
        found = self._compute(*key)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = found
        return found

    def choices_at(self, words: list[str], i: int) -> tuple[str, ...]:
        """Synonyms for the word at position ``i``, read in its context."""
        found = self._found(words[i], words[i - 1] if i else None, words[i + 1] if i + 1 < len(words) else None)
        return self._in_context(found, words, i)

    def choices_in(self, tokens: Tokens, i: int) -> tuple[str, ...]:
        """``choices_at(tokens.words, i)``, kept per text: a record's copies draw from the same few positions."""
        memo = tokens.memo
        if memo is None:
            memo = tokens.memo = {}
        known: dict[int, tuple[str, ...]] | None = memo.get("synonym_choices")  # type: ignore[assignment]
        if known is None:
            known = memo["synonym_choices"] = {}
        found = known.get(i)
        if found is None:
            found = known[i] = self.choices_at(tokens.words, i)
        return found

    def _in_context(self, found: _Found, words: list[str], i: int) -> tuple[str, ...]:
        """The choices that fit where the word stands: outside fixed expressions, and after the right article."""
        choices = found.choices
        if not choices:
            return choices
        lemmas = found.lemmas
        if found.bound:
            previous = words[i - 1].lower() if i else ""
            following = [word.lower() for word in words[i + 1 : i + 1 + _NEAR]]
            kept = [(c, lemma) for c, lemma in zip(choices, lemmas) if _fits(lemma, previous, following)]
            choices, lemmas = tuple([c for c, _ in kept]), tuple([lemma for _, lemma in kept])
        if choices and found.fixed and self._may_be_fixed(found, words, i):
            fixed = found.fixed if found.anchors is None else self._anchored(found.anchors, words, i)
            allowed = self._fixed(fixed, words, i)
            if allowed is not None:
                choices = tuple([c for c, lemma in zip(choices, lemmas) if lemma in allowed])
        if i and choices and words[i - 1].lower() in ("a", "an"):
            an = words[i - 1].lower() == "an"
            if takes_an(words[i]) == an:  # "an quick": the text's own article says nothing
                choices = tuple([c for c in choices if takes_an(c) == an])
        return choices

    def _may_be_fixed(self, found: _Found, words: list[str], i: int) -> bool:
        """A quick test before `_fixed`: whether a neighbour of word ``i`` is one its expressions put there."""
        near, n = found.near, len(words)
        return bool(
            (i and not near.isdisjoint(self._forms_of(words[i - 1])))
            or (i + 1 < n and not near.isdisjoint(self._forms_of(words[i + 1])))
            or (found.gap and i + 2 < n and not found.gap.isdisjoint(self._forms_of(words[i + 2])))
        )

    def _anchored(self, anchors: _Anchors, words: list[str], i: int) -> list[Collocation]:
        """The expressions whose part next to the head is a form of the word there: the only ones that can match."""
        forms_of, n = self._forms_of, len(words)
        pool = list(anchors.loose)
        if i:
            for form in forms_of(words[i - 1]):
                pool += anchors.before.get(form, ())
        if i + 1 < n:
            for form in forms_of(words[i + 1]):
                pool += anchors.after.get(form, ())
            if i + 2 < n:
                for form in forms_of(words[i + 2]):
                    pool += anchors.gapped.get(form, ())
        return pool

    def _fixed(self, fixed: Sequence[Collocation], words: list[str], i: int) -> frozenset[str] | None:
        """The synonyms a fixed expression around word ``i`` allows (usually none); None when it is in none."""
        allowed: frozenset[str] | None = None
        n = len(words)
        for collocation in fixed:
            before, after = collocation.before, collocation.after
            start = i - len(before)
            if start < 0 or i + len(after) >= n:
                continue
            if self._match(words, start, before) and self._match(words, i + 1, after):
                here = frozenset(collocation.allows)
                allowed = here if allowed is None else allowed & here
        return allowed

    def _match(self, words: list[str], start: int, parts: tuple[str, ...]) -> bool:
        """Whether the words from ``start`` stand where an expression has ``parts``: each itself, a form of it,
        a stand-in, or any word for "*"."""
        for k, part in enumerate(parts):  # noqa: SIM110 -- compiled, a generator costs a coroutine
            if part != "*" and part not in self._forms_of(words[start + k]):
                return False
        return True

    def _forms_of(self, word: str) -> frozenset[str]:
        """The word lowercased, the lemmas it is a form of, and the stand-in it matches ("myself": oneself)."""
        lemmas = self._lemmas.get(word)
        if lemmas is None:
            lower = word.lower()
            found = {lower, *(lemma for lemma, _, _ in self._resources.morphology.readings(lower))}
            if lower in _STAND_INS:
                found.add(_STAND_INS[lower])
            elif lower != "not" and is_negation(lower):
                found.add("not")  # "isn't nearly", "never nearly" as "not nearly"
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
            memo["synonym_positions"] = found = _positions(self, tokens)
        return found  # type: ignore[return-value]

    def _load_names(self) -> tuple[frozenset[str], frozenset[str]]:
        self._name_sets = name_forms()
        return self._name_sets

    def _reads_as_common(self, word: str, i: int, tokens: Tokens, context: Context) -> bool:
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

    def _never_any(self, word: str) -> bool:
        """Whether ``word`` has no synonym whatever its context: what `_compute` checks before the hint,
        and, where the readings are consulted, a word with none."""
        lower = word.lower()
        policy = self._policy
        found = (
            case_pattern(word) is None
            or len(word) < 2
            or lower in self._resources.stopwords
            or (policy.guards and is_negation(lower))
            or ((policy.inflect or policy.senses != "all") and not self._readings.known(lower))
        )
        if len(self._never) >= _CACHE_LIMIT:
            self._never.clear()
        self._never[word] = found
        return found

    def _compute(self, word: str, hint: str | None) -> _Found:
        if self._never_any(word):
            return _NOTHING
        lower = word.lower()
        pattern = case_pattern(word)
        assert pattern is not None  # `_never_any` is true without one
        lexicon = self._resources.lexicon
        if self._policy.senses == "all" and not self._policy.inflect:
            # EDA's choice: any sense, any POS
            found, lemmas = [(synonym, synonym.lower()) for synonym in lexicon.synonyms(lower)], [lower]
        else:
            found, lemmas = self._readings.synonyms(lower, hint)
        # Whatever the sense policy, a word inside a fixed expression keeps its place.
        fixed = tuple(itertools.chain.from_iterable(
            lexicon.collocations(lemma) + _MORE_FIXED.get(lemma, ()) for lemma in lemmas)) if found else ()
        guards = self._policy.guards
        out: list[str] = []
        sources: list[str] = []
        for synonym, lemma in found:
            parts = synonym.split(" ")
            # "more often than not" for "usually" would add a negation the text never had.
            if guards and any(is_negation(part) for part in parts):
                continue
            # "make up one's mind", "relieve oneself": WordNet's stand-ins for a pronoun that
            # would have to agree with the sentence's subject; written as is, they read wrong.
            if not _STAND_IN_PARTS.isdisjoint(parts):
                continue
            if PLAIN.fullmatch(synonym) and synonym.lower() != lower:
                cased = apply_case(pattern, synonym)
                if cased not in out:
                    out.append(cased)
                    sources.append(lemma)
        if not out:
            return _NOTHING
        near = frozenset(part for c in fixed for part in (c.before[-1:] + c.after[:1]) if part != "*")
        gap = frozenset(c.after[1] for c in fixed if len(c.after) > 1 and c.after[0] == "*")
        anchors = _anchors(fixed) if len(fixed) > _ANCHOR_FROM else None
        bound = not _FRAMES.keys().isdisjoint(sources)
        return _Found(tuple(out), tuple(sources), fixed, near, gap, anchors, bound)


class _Anchors(NamedTuple):
    """A word's fixed expressions by the word each needs next to the head, so a text checks only those
    its neighbours can complete ("family" heads 1,446, nearly all "_ <family name>")."""

    before: dict[str, tuple[Collocation, ...]]  # by the part right before the head
    after: dict[str, tuple[Collocation, ...]]  # by the part right after it
    gapped: dict[str, tuple[Collocation, ...]]  # by the part two after it, "*" between ("sort it out")
    loose: tuple[Collocation, ...]  # needing no particular word next to the head


def _positions(source: SynonymSource, tokens: Tokens) -> list[int]:
    """``SynonymSource.candidates`` before it is kept in ``tokens.memo``: a function of the module, not a
    method, so that a compiled build reads its loop with C types (_synonyms.pxd)."""
    words = tokens.words
    cache = source._cache
    never = source._never
    n = len(words)
    # Plain dict lookups for the hits (most words, most records): this runs for
    # every word of every record, and a method call per word doubled its cost.
    # A word that no context can give a synonym (a stopword, a negation, one letter,
    # a word the lexicon does not know: about half of all words) costs one lookup,
    # before its neighbours are read.
    by_hint = source._policy.senses != "all"
    before, after, hints = BEFORE.get, AFTER.get, HINTS.get
    positions: list[int] = []
    seps = tokens.seps
    context: Context | None = None
    only_names, named = source._name_sets or source._load_names()
    for i, word in enumerate(words):
        skip = never.get(word)
        if skip is None:
            skip = source._never_any(word)
        if skip:
            continue
        hint = None
        if by_hint:
            b = before(words[i - 1]) if i else None
            a = after(words[i + 1]) if i + 1 < n else None
            if b or a:
                hint = hints((b, a))
        key = (word, hint)
        value = cache.get(key)
        if value is None:
            value = source._store(key)  # the key `_found` would make: the same tables give the hint
        if not value.choices:
            continue
        if ((value.fixed or value.bound or (i and words[i - 1] in _ARTICLES))
                and not source._in_context(value, words, i)):
            continue  # inside a fixed expression, no synonym takes its article, or none fits before the next word
        after_sep = seps[i + 1]
        # "approx. five", "etc. and": a word before a full stop and a lower-case word is abbreviated.
        if after_sep[:1] == "." and after_sep.strip() == "." and i + 1 < n and words[i + 1][:1].islower():
            continue
        if after_sep[:1] == "=":
            continue  # an attribute or parameter name: width="1", key=value
        if not word.islower():
            if context is None:
                context = Context(tokens)
            if not source._reads_as_common(word, i, tokens, context):
                continue
        elif word in named and ((i and _only_name(words[i - 1], only_names))
                                or (i + 1 < n and _only_name(words[i + 1], only_names))):
            continue  # "eddie murphy", "mike leigh": a name in a text without capitals
        positions.append(i)
    return positions


def _anchors(fixed: tuple[Collocation, ...]) -> _Anchors:
    before: dict[str, list[Collocation]] = {}
    after: dict[str, list[Collocation]] = {}
    gapped: dict[str, list[Collocation]] = {}
    loose: list[Collocation] = []
    for c in fixed:
        if c.before and c.before[-1] != "*":
            before.setdefault(c.before[-1], []).append(c)
        elif c.after and c.after[0] != "*":
            after.setdefault(c.after[0], []).append(c)
        elif len(c.after) > 1 and c.after[1] != "*":
            gapped.setdefault(c.after[1], []).append(c)
        else:
            loose.append(c)

    def frozen(table: dict[str, list[Collocation]]) -> dict[str, tuple[Collocation, ...]]:
        return {part: tuple(group) for part, group in table.items()}

    return _Anchors(frozen(before), frozen(after), frozen(gapped), tuple(loose))


class _Found(NamedTuple):
    """A word's synonyms in its case, the lemma each comes from, and the fixed expressions that hold the word."""

    choices: tuple[str, ...]
    lemmas: tuple[str, ...]
    fixed: tuple[Collocation, ...]
    near: frozenset[str] = frozenset()  # the words next to the head in its expressions
    gap: frozenset[str] = frozenset()  # particles one word further on ("sort it out")
    anchors: _Anchors | None = None  # `fixed` indexed, when there are many
    bound: bool = False  # a choice fits only where the words after it allow (`_FRAMES`)


_NOTHING = _Found((), (), ())
# Up to this many fixed expressions a word's are all tried in turn; above, only those its neighbours fit.
_ANCHOR_FROM = 8
_STAND_IN_PARTS = frozenset(["one's", "oneself"])
_ARTICLES = frozenset(["a", "an", "A", "An", "AN"])


class SynonymOperation:
    """What sr and ri share: the run's one SynonymSource, and the words they may work from."""

    def __init__(self, *, alpha: float, resources: Resources) -> None:
        self.alpha = alpha
        self._synonyms = resources.shared("synonyms", lambda: SynonymSource(resources))
        self._guards = resources.policy.guards
        self._stopwords = resources.stopwords

    def _candidates(self, tokens: Tokens) -> list[int]:
        """Positions with a synonym; with guards, never a piece of a split negation ("don t" gives no "put on")."""
        found = self._synonyms.candidates(tokens)  # kept in tokens.memo, as is what the guards leave of it
        if found and self._guards:
            memo: dict[str, object] = tokens.memo  # type: ignore[assignment]  # candidates made it
            kept: list[int] | None = memo.get("synonym_positions.guarded")  # type: ignore[assignment]
            if kept is None:
                parts = negation_parts(tokens.words)
                kept = memo["synonym_positions.guarded"] = [i for i in found if i not in parts] if parts else found
            return kept
        return found


def _only_name(word: str, only_names: frozenset[str]) -> bool:
    """Whether ``word`` is, in any case, a form the word list writes only as a name ("eddie", "spielberg").

    Two letters are left out: "nt" (NT) is a split negation, "pa" (PA) and "la" too often a word.
    """
    return len(word) > 2 and word.lower() in only_names

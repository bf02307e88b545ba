"""Meaning-preserving augmentation: inflection, sense restriction, guards, protect and synonym files, AEDA, presets."""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections import Counter
from io import BytesIO
from pathlib import Path
from random import Random
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from augtool import io
from augtool.augmenters import Augmenter, Policy, Resources, get
from augtool.augmenters._context import hint_of
from augtool.augmenters._readings import Readings
from augtool.augmenters._synonyms import SynonymSource
from augtool.errors import LexiconError, UsageError
from augtool.guards import compile_protect, freeze, is_negation, negation_bound, parse_synonyms, with_synonyms
from augtool.inflect import Analysis, Morphology, analyses, inflect
from augtool.lexicon import Collocation, Lexicon, Sense
from augtool.pipeline import Options, Pipeline
from augtool.presets import resolve
from augtool.tokens import Tokens, tokenize

from .conftest import REPO, load_script, run_cli

MORPH = io.load_morphology()

# Hand-made senses: the counts decide the likeliest reading and which senses carry the meaning.
TABLE = {
    "jump": [Sense("v", 10, ("leap", "bound")), Sense("n", 2, ("leap",)), Sense("n", 0, ("parachuting",))],
    "run": [Sense("v", 50, ("sprint", "take off")), Sense("n", 5, ("tally",))],
    "goose": [Sense("n", 3, ("fowl",))],
    "good": [Sense("a", 40, ()), Sense("a", 20, ("safe", "beautiful", "in effect"))],
    "dog": [Sense("n", 42, ("domestic dog",)), Sense("n", 0, ("frump",)), Sense("v", 1, ("chase",))],
    "stop": [Sense("v", 30, ("halt", "quit")), Sense("n", 8, ("halt",))],
    "film": [Sense("n", 20, ("movie",)), Sense("v", 2, ("shoot",))],
    "like": [Sense("v", 30, ("enjoy",))],
    "never": [Sense("r", 30, ("ne'er",))],
    "hardly": [Sense("r", 10, ("barely",))],
    "great": [Sense("a", 30, ("outstanding",))],
    "set": [Sense("v", 40, ("put",)), Sense("n", 2, ("group",))],
    "bush": [Sense("n", 5, ("shrub",)), Sense("N", 2, ())],
    "state": [Sense("n", 10, ("province",)), Sense("n", 8, ("nation",))],  # no sense dominates
    "rebound": [Sense("v", 1, ("bounce",)), Sense("v", 0, ())],  # one tagged use: too little
    "airline": [Sense("n", 0, ("air hose",)), Sense("n", 0, ("airway",))],  # untagged, ambiguous
    "uprising": [Sense("n", 0, ("insurrection",))],  # untagged but one sense
    "criminal": [Sense("n", 10, ("felon",)), Sense("a", 9, ("condemnable",))],  # noun or adjective?
    "movie": [Sense("n", 26, ("film",))],
}
STOP = frozenset({"the", "a", "he", "not", "is", "to", "i", "it"})
# Word forms as the table gives them (lemminflect, confirmed by wordfreq), written by hand.
FORMS = [
    "v\tjump\tjumps\tjumped\tjumped\tjumping", "n\tjump\tjumps",
    "v\tleap\tleaps\tleaped,leapt\tleaped,leapt\tleaping", "n\tleap\tleaps",
    "v\tbound\tbounds\tbounded\tbounded\tbounding", "v\tsprint\tsprints\tsprinted\tsprinted\tsprinting",
    "v\trun\truns\tran\trun\trunning", "v\ttake\ttakes\ttook\ttaken\ttaking", "n\tgoose\tgeese",
    "n\tfowl\tfowls", "a\tgood\tbetter\tbest", "a\tsafe\tsafer\tsafest",
    "v\tstop\tstops\tstopped\tstopped\tstopping", "v\thalt\thalts\thalted\thalted\thalting",
    "v\tquit\tquits\tquit\tquit\tquitting", "n\tfilm\tfilms", "v\tfilm\tfilms\tfilmed\tfilmed\tfilming",
    "n\tmovie\tmovies", "v\tset\tsets\tset\tset\tsetting", "v\tput\tputs\tput\tput\tputting",
    "n\tset\tsets", "n\tdog\tdogs", "n\tpicture\tpictures", "n\tflick\tflicks",
]
MORPH = Morphology.from_lines(FORMS)
BUNDLED_FORMS = io.load_morphology()


def source(**policy: object) -> SynonymSource:
    lexicon = Lexicon.from_senses(TABLE)
    return SynonymSource(Resources(stopwords=STOP, lexicon=lexicon, morphology=MORPH, policy=Policy(**policy)))


# --- inflection --------------------------------------------------------------

@pytest.mark.parametrize(
    ("lemma", "pos", "form", "expected"),
    [
        ("leap", "v", "3sg", "leaps"),
        ("carry", "v", "3sg", "carries"),
        ("go", "v", "3sg", "goes"),
        ("carry", "v", "past+ppart", "carried"),
        ("flee", "v", "past+ppart", "fled"),     # one spelling serves past and participle
        ("take", "v", "past+ppart", None),       # took or taken: the replaced word must say which
        ("take", "v", "past", "took"),
        ("take", "v", "ppart", "taken"),
        ("speak", "v", "ppart", "spoken"),
        ("begin", "v", "past", "began"),
        ("set", "v", "past", "set"),             # invariant pasts: never "seted", "leted", "hited"
        ("set", "v", "base+past+ppart", "set"),
        ("let", "v", "ed", "let"),
        ("hit", "v", "past", "hit"),
        ("split", "v", "past", "split"),
        ("put", "v", "ppart", "put"),
        ("stop", "v", "ing", "stopping"),        # consonant doubling
        ("run", "v", "ing", "running"),
        ("make", "v", "ing", "making"),
        ("die", "v", "ing", "dying"),
        ("see", "v", "ing", "seeing"),
        ("visit", "v", "ing", "visiting"),
        ("panic", "v", "ing", "panicking"),
        ("look up", "v", "3sg", "looks up"),     # multi-word verbs inflect their first word
        ("take off", "v", "past", "took off"),
        ("be after", "v", "3sg", "is after"),    # never "bes after"
        ("be", "v", "past", None),               # was or were: depends on the subject
        ("day", "n", "plural", "days"),
        ("box", "n", "plural", "boxes"),
        ("goose", "n", "plural", "geese"),
        ("mouse", "n", "plural", "mice"),
        ("wolf", "n", "plural", "wolves"),
        ("photo", "n", "plural", "photos"),      # not "photoes"
        ("potato", "n", "plural", "potatoes"),
        ("criterion", "n", "plural", "criteria"),
        ("hour", "n", "plural", "hours"),
        ("hours", "n", "plural", None),          # plural-only lemmas: never "hourses", "logoses"
        ("logos", "n", "plural", None),
        ("commons", "n", "plural", None),
        ("information", "n", "plural", None),    # a mass noun
        ("motor car", "n", "plural", "motor cars"),  # multi-word nouns inflect their last word
        ("point of view", "n", "plural", None),  # ...but not across a preposition
        ("big", "a", "sup", "biggest"),
        ("good", "a", "comp", "better"),
        ("good", "a", "sup", "best"),
        ("happy", "a", "comp", "happier"),
        ("beautiful", "a", "comp", None),        # "more beautiful" is not one word
        ("in effect", "a", "comp", None),
        ("zzyzx", "v", "past", None),            # not in the table: never guessed
    ],
)
def test_bundled_forms_are_real_words(lemma: str, pos: str, form: str, expected: str | None) -> None:
    # Expected values are English grammar, checked by hand; None where no form may be made.
    assert inflect(lemma, pos, form, BUNDLED_FORMS) == expected


def test_bundled_forms_table_is_consistent() -> None:
    # Every listed spelling reads back to its lemma, and no slot holds a rule-made non-word.
    for word in ("seted", "leted", "hited", "splited", "logoses", "commonses", "hourses", "photoes", "bes"):
        assert BUNDLED_FORMS.readings(word) == [], word
    assert ("go", "v", "past") in BUNDLED_FORMS.readings("went")
    assert ("goose", "n", "plural") in BUNDLED_FORMS.readings("geese")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("jumps", {("jump", "v", "3sg"), ("jump", "n", "plural")}),
        ("ran", {("run", "v", "past")}),
        ("run", {("run", "v", "base+ppart"), ("run", "n", "base")}),
        ("geese", {("goose", "n", "plural")}),
        ("better", {("good", "a", "comp")}),
        ("stopping", {("stop", "v", "ing")}),
        ("stopped", {("stop", "v", "past+ppart")}),
        ("films", {("film", "n", "plural"), ("film", "v", "3sg")}),
        ("dog", {("dog", "n", "base"), ("dog", "v", "base")}),
        ("set", {("set", "v", "base+past+ppart"), ("set", "n", "base")}),
        ("bus", set()),  # not read as a plural of "bu"
    ],
)
def test_lemmas_are_found(word: str, expected: set[tuple[str, str, str]]) -> None:
    def has(lemma: str, pos: str) -> bool:
        return any(s.pos == pos for s in TABLE.get(lemma, ()))

    found = {(a.lemma, a.pos, a.form) for a in analyses(word, has, MORPH)}
    assert found == expected


@pytest.mark.parametrize(
    ("text", "position", "expected"),
    [
        ("he jumps", 1, {"leaps", "bounds"}),          # verb reading, 3rd person kept
        ("the jumps", 1, set()),                       # after a determiner a noun: 2 tagged uses, too few
        ("he ran", 1, {"sprinted", "took off"}),       # ran is past only, so took (not taken) off
        ("geese", 0, {"fowls"}),
        ("better", 0, set()),                          # good's dominant sense has no synonym
        ("stopping", 0, {"halting", "quitting"}),
        ("stopped", 0, {"halted", "quit"}),            # past and participle agree for both
        ("dog", 0, {"domestic dog"}),                  # frump (never tagged) and chase (verb) left out
        ("films", 0, {"movies"}),
        ("to films", 1, {"movies"}),                   # a verb nudge does not outweigh 20 to 2
        ("Jumps", 0, {"Leaps", "Bounds"}),             # case pattern still follows the word
        ("set", 0, {"put"}),                           # set/put: same spelling for every reading
        ("state", 0, set()),                           # 10 to 8: no sense dominates
        ("rebound", 0, set()),                         # one tagged use is no evidence
        ("airline", 0, set()),                         # untagged and ambiguous: not "air hose"
        ("uprising", 0, {"insurrection"}),             # untagged, but it has one sense
        ("criminal", 0, set()),                        # noun or adjective: 11 to 10
    ],
)
def test_synonyms_agree_with_the_replaced_word(text: str, position: int, expected: set[str]) -> None:
    words = tokenize(text).words
    assert set(source().choices_at(words, position)) == expected


# --- context: the words around a word, fixed expressions, articles --------------------------

CONTEXT_TABLE = {
    **TABLE,
    "emphasised": [Sense("a", 5, ("emphatic",))],
    "emphasise": [Sense("v", 3, ("stress",))],
    "letting": [Sense("n", 2, ("lease",))],  # "let" has no synonyms: not in the table
    "annoying": [Sense("a", 5, ("irritating",))],
    "annoy": [Sense("v", 10, ("bother",))],
    "opportunity": [Sense("n", 20, ("chance", "occasion"))],
    "effect": [Sense("n", 30, ("result",))],
    "sort": [Sense("v", 10, ("classify",))],
    "kind": [Sense("n", 30, ("sort", "form")), Sense("a", 2, ("benign",))],
    "help": [Sense("v", 20, ("aid",))],
    "width": [Sense("n", 5, ("breadth",))],
    "god": [Sense("N", 90, ()), Sense("n", 26, ("deity",))],  # mostly a name
}
FIXED = {
    "effect": [Collocation(("special",), ())],
    "sort": [Collocation((), ("out",)), Collocation((), ("*", "out"))],
    "kind": [Collocation((), ("of",), ("sort",))],
    "help": [Collocation((), ("oneself",))],
}
CONTEXT_FORMS = [
    *FORMS, "v\temphasise\temphasises\temphasised\temphasised\temphasising",
    "v\tstress\tstresses\tstressed\tstressed\tstressing", "v\tlet\tlets\tlet\tlet\tletting",
    "v\tannoy\tannoys\tannoyed\tannoyed\tannoying", "v\tbother\tbothers\tbothered\tbothered\tbothering",
    "n\teffect\teffects", "n\tresult\tresults", "v\tsort\tsorts\tsorted\tsorted\tsorting",
    "v\tclassify\tclassifies\tclassified\tclassified\tclassifying",
]


def context_source() -> SynonymSource:
    lexicon = Lexicon.from_senses(CONTEXT_TABLE, collocations=FIXED)
    return SynonymSource(Resources(stopwords=STOP, lexicon=lexicon, morphology=Morphology.from_lines(CONTEXT_FORMS)))


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # Expected values by hand from CONTEXT_TABLE and the rules in docs/synonyms.md section 3.
        ("they film it", "film", {"shoot"}),          # a subject pronoun: a verb when it can be one
        ("to film the fight", "film", {"shoot"}),     # "to" and an object after: a verb
        ("a film of it", "film", {"movie"}),          # determiner ... of: a noun
        ("films of it", "films", {"movies"}),         # "of" after: no verb
        ("I emphasised it", "emphasised", {"stressed"}),   # a past form is the verb's, not the adjective's
        ("this emphasised word", "emphasised", {"emphatic"}),  # after a determiner, the adjective
        ("letting go", "letting", set()),             # a form of a verb with no synonyms: nothing, not "lease"
        ("this letting", "letting", {"lease"}),       # after a determiner, the noun
        ("annoying", "annoying", {"bothering"}),      # an -ing form alone is the verb's
        ("most annoying", "annoying", {"irritating"}),  # after a degree word, the adjective
        ("an opportunity", "opportunity", {"occasion"}),  # "an chance" would be wrong
        ("the opportunity", "opportunity", {"chance", "occasion"}),
        ("a opportunity", "opportunity", {"chance", "occasion"}),  # the text's own article is wrong: no rule
        ("special effects", "effects", set()),        # a fixed expression
        ("side effects", "effects", {"results"}),
        ("sort it out", "sort", set()),               # a phrasal verb with its object inside
        ("sort out", "sort", set()),
        ("sort them", "sort", {"classify"}),
        ("kind of", "kind", {"sort"}),                # "sort of" is a fixed expression too
        ("kind words", "kind", {"sort", "form"}),       # 31 to 3 by tagged uses: the noun
        ("so kind", "kind", {"benign"}),              # after an intensifier, the adjective ("so sort")
        ("so kind of you", "kind", set()),            # the adjective: "kind of"'s "sort" does not apply
        ("very annoying", "annoying", {"irritating"}),  # no verb after an intensifier
        ("couldn't help myself", "help", set()),      # "help oneself"
        ("thank god", "god", set()),                  # mostly a name: God
    ],
)
def test_context_decides_the_reading_and_the_synonyms(text: str, word: str, expected: set[str]) -> None:
    tokens = tokenize(text)
    at = tokens.words.index(word)
    src = context_source()
    assert set(src.choices_at(tokens.words, at)) == expected
    assert (at in src.candidates(tokens)) == bool(expected)


def test_an_attribute_name_is_not_a_candidate() -> None:
    src = context_source()
    tokens = tokenize('width="1" height="1" and the width')  # as the damaged IMDB and AG News markup has it
    assert [tokens.words[i] for i in src.candidates(tokens)] == ["width"] and src.candidates(tokens) == [4]


CONTEXT_WORDS = ["the", "a", "an", "to", "I", "They", "most", "of", "it", "out", "special", "kind", "sort",
                 "effects", "film", "Film", "opportunity", "help", "myself", "annoying", "letting", "is"]


@settings(max_examples=80, deadline=None)
@given(words=st.lists(st.sampled_from(CONTEXT_WORDS), min_size=1, max_size=10))
def test_every_candidate_has_choices_in_its_context(words: list[str]) -> None:
    # sr and ri draw from choices_at for each candidate: an empty tuple there would be a crash.
    tokens = tokenize(" ".join(words))
    src = context_source()
    positions = src.candidates(tokens)
    for i in range(len(tokens.words)):
        if i in positions:
            assert src.choices_at(tokens.words, i)
        elif tokens.words[i].islower():
            assert not src.choices_at(tokens.words, i)


@pytest.mark.parametrize("senses", ["top", "all"])
def test_cached_answers_do_not_depend_on_what_was_asked_before(senses: str) -> None:
    # A word is read once per (word, context hint), its readings and its lemmas' senses once per
    # word, and the lexicon keeps what it parsed and what it lacks: answers must not depend on
    # which words and hints came first. Real texts, the bundled lexicon and forms.
    rows = [orjson.loads(line) for line in (REPO / "corpora" / "sample.jsonl").read_bytes().splitlines()]
    texts = [row["text"] for row in rows] + [row["left"] + row["old"] + row["right"]
                                             for row in judged("replacements_judged.tsv")]
    texts += [text.upper() for text in texts[:5]] + [text.title() for text in texts[:5]]
    shared = SynonymSource(io_resources(senses))
    asked = [tokenize(text) for text in texts]
    candidates = [shared.candidates(tokens) for tokens in asked]
    answers = [[shared.choices_at(tokens.words, i) for i in range(len(tokens.words))] for tokens in asked]
    # `candidates` stores each word under the key `choices_at` makes: no key is left unused.
    hints = {(w[i], None if senses == "all" else hint_of(w[i - 1] if i else None, w[i + 1] if i + 1 < len(w) else None))
             for w in (tokens.words for tokens in asked) for i in range(len(w))}
    assert set(shared._cache) == hints
    # In reverse order, from a lexicon and forms table never asked before.
    fresh = Resources(stopwords=io.load_stopwords(), lexicon=io.load_lexicon(), morphology=io.load_morphology(),
                      policy=Policy(senses=senses))
    backwards = SynonymSource(fresh)
    for k in reversed(range(len(asked))):
        tokens = tokenize(texts[k])
        words = tokens.words
        assert [backwards.choices_at(words, i) for i in reversed(range(len(words)))] == answers[k][::-1]
        assert backwards.candidates(tokens) == candidates[k]
    # One word at a time, each from a source that has seen nothing else.
    for tokens, expected in zip(asked[:20], answers):
        words = tokens.words
        assert [SynonymSource(fresh).choices_at(words, i) for i in range(len(words))] == expected
    assert sum(map(len, candidates)) > 300  # the texts do offer synonyms


def test_readings_group_each_lemmas_senses_as_the_lexicon_has_them() -> None:
    resources = io_resources("top")
    lexicon, readings = resources.lexicon, Readings(resources)
    for word in ["run", "bush", "set", "court", "zebra", "qqq", "good", "may", "china", "lead"]:
        grouped = readings._senses(word)
        assert set(grouped) <= set("nvarNVAR")
        for pos in "nvar":
            assert grouped.get(pos, ()) == tuple(sense for sense in lexicon.senses(word) if sense.pos == pos)
            assert grouped.get(pos.upper(), ()) == tuple(sense for sense in lexicon.names(word)
                                                         if sense.pos == pos.upper())
    assert readings._senses("bush").get("N") and readings._senses("run").get("v")


def test_senses_first_top_all() -> None:
    assert source(senses="first").choices("good") == ()  # its first sense has no synonym
    assert source(senses="top").choices("good") == ()  # the dominant sense has none: left alone
    assert set(source(senses="all").choices("good")) == {"safe", "beautiful", "in effect"}
    assert set(source(senses="all").choices("dog")) == {"domestic dog", "frump", "chase"}
    assert set(source(senses="first").choices("state")) == {"province"}
    assert set(source(senses="all").choices("jumps")) == {"leaps", "bounds"}  # parachuting: no form
    # The old behaviour: every sense of the surface word, uninflected.
    assert source(senses="all", inflect=False).choices("jumps") == ()
    assert set(source(senses="all", inflect=False).choices("jump")) == {"leap", "bound", "parachuting"}


def test_forms_table_format_errors() -> None:
    with pytest.raises(LexiconError, match="forms table line 1"):
        Morphology.from_lines(["v\trun\truns"])  # a verb needs four slots
    with pytest.raises(LexiconError, match="augtool-forms/1"):
        Morphology.load(BytesIO(b"#format: augtool-exc/1\n"))
    assert Morphology.load(BytesIO(b"#format: augtool-forms/1\nn\tday\tdays\n")).form("n", "day", "plural") == "days"


# --- names, acronyms, abbreviations, letters --------------------------------------

NAMES_TABLE = {
    **TABLE,
    "u": [Sense("n", 5, ("uracil",))],
    "dm": [Sense("n", 5, ("diabetes",))],  # a hypothetical common reading of "dm"
    "house": [Sense("n", 20, ("home",))],
}


def names_source() -> SynonymSource:
    return SynonymSource(Resources(stopwords=STOP, lexicon=Lexicon.from_senses(NAMES_TABLE), morphology=MORPH))


def replaceable(text: str) -> list[str]:
    """The words sr may replace and ri may insert from."""
    tokens = tokenize(text)
    return [tokens.words[i] for i in names_source().candidates(tokens)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the dog saw a bush", ["dog", "bush"]),
        ("I met Bush and his dog", ["dog"]),                  # a capitalised word inside a sentence is a name
        ("Bush met the dog", ["dog"]),                        # WordNet knows Bush as a name too
        ("Dog bites man. Dog runs.", ["Dog", "Dog", "runs"]),  # sentence-initial, not a name
        ("Dog Film Studio opens", []),                        # followed by capitals: a name
        ("Dog 2 opens", []),                                  # followed by a number: a title or product
        ("Mr. Dog and the house", ["house"]),                 # a title's full stop starts no sentence
        ("the DOG is in the HOUSE", []),                      # all capitals in quiet text: abbreviations
        ("THE DOG IS IN THE HOUSE", ["DOG", "HOUSE"]),        # shouted text: ordinary words
        ("we saw NEW DOG today but THIS IS THE WORST DOG ever for all of us", ["DOG"]),  # a shouted run of 5
        ("by ANNA DOG HOUSE CITY, the dog ran", ["dog", "ran"]),     # a byline and dateline: names, no clause word
        ("this is the DM and the U of the dog", ["dog"]),     # acronyms and single letters
        ("u and dm", ["dm"]),                                 # a single letter is never a candidate
        ("a dog. and the film", ["film"]),                    # "dog." before a lower-case word: abbreviated
        ('he said: "Dog food is fine"', ["Dog"]),             # a quote after a colon opens a sentence
        ("the iDog and McDog", []),                           # inner capitals
    ],
)
def test_names_acronyms_and_letters_are_left_alone(text: str, expected: list[str]) -> None:
    assert replaceable(text) == expected


def test_no_synonym_of_a_name_is_ever_inserted() -> None:
    ri = get("ri")(alpha=1.0, resources=Resources(stopwords=STOP, lexicon=Lexicon.from_senses(NAMES_TABLE),
                                                   morphology=MORPH))
    for seed in range(50):
        out = ri(tokenize("I met Bush in the house"), Random(seed)).words
        assert "shrub" not in [w.lower() for w in out]
        assert "home" in [w.lower() for w in out]  # the one common word is the source every time


CAPITALISED = ["Bush", "Dog", "Film", "House", "Dm"]
PLAIN = ["the", "dog", "bush", "film", "house", "saw", "and"]


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.sampled_from(CAPITALISED + PLAIN), min_size=2, max_size=12),
       glue=st.lists(st.sampled_from([" ", ", ", "  "]), min_size=12, max_size=12), seed=st.integers(0, 2**32))
def test_sr_never_touches_a_capitalised_word_inside_a_sentence(words: list[str], glue: list[str], seed: int) -> None:
    # Only spaces and commas between words: every word after the first is inside a sentence.
    text = words[0] + "".join(g + w for g, w in zip(glue, words[1:]))
    sr = get("sr")(alpha=1.0, resources=Resources(stopwords=STOP, lexicon=Lexicon.from_senses(NAMES_TABLE),
                                                   morphology=MORPH))
    out = sr(tokenize(text), Random(seed)).words
    for i, (old, new) in enumerate(zip(words, out)):
        if i and not old.islower():
            assert new == old


# --- negation guard -----------------------------------------------------------

def resources_for(guards: bool) -> Resources:
    return Resources(stopwords=STOP, lexicon=Lexicon.from_senses(TABLE), morphology=MORPH,
                     policy=Policy(guards=guards))


def op(name: str, guards: bool = True, alpha: float = 0.5):
    return get(name)(alpha=alpha, resources=resources_for(guards))


def test_sr_never_replaces_a_negation() -> None:
    on, off = op("sr", alpha=1.0), op("sr", guards=False, alpha=1.0)
    text = "never hardly great"
    assert {tuple(on(tokenize(text), Random(s)).words[:2]) for s in range(30)} == {("never", "hardly")}
    assert {off(tokenize(text), Random(s)).words[0] for s in range(30)} == {"ne'er"}


def test_rd_never_deletes_a_negation() -> None:
    on, off = op("rd", alpha=0.9), op("rd", guards=False, alpha=0.9)
    text = "I don't like it not at all"
    for seed in range(100):
        words = on(tokenize(text), Random(seed)).words
        assert "don't" in words and "not" in words
    assert any("not" not in off(tokenize(text), Random(s)).words for s in range(100))


def test_rs_never_moves_a_negation_or_its_head() -> None:
    on, off = op("rs", alpha=0.9), op("rs", guards=False, alpha=0.9)
    text = "the film is not good but the story was great"
    moved_off = False
    for seed in range(100):
        words = on(tokenize(text), Random(seed)).words
        assert words[3:5] == ["not", "good"]
        assert words != tokenize(text).words
        moved_off = moved_off or off(tokenize(text), Random(seed)).words[3:5] != ["not", "good"]
    assert moved_off
    assert on(tokenize("never good"), Random(0)).text() == "never good"  # nothing may move


def test_ri_never_inserts_between_a_negation_and_its_head() -> None:
    on = op("ri", alpha=1.0)
    for seed in range(100):
        words = on(tokenize("not great"), Random(seed)).words
        assert words[words.index("not") + 1] == "great"


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.sampled_from(["not", "never", "no", "film", "great", "good", "movie", "happy", "is",
                                        "can", "describe", "-", "the"]), min_size=1, max_size=14),
       seed=st.integers(0, 2**32))
def test_ri_never_puts_a_word_right_before_a_negation(words: list[str], seed: int) -> None:
    # Judged on the words as split by spaces: every pair "x not" in the copy was in the source.
    text = " ".join(words)
    out = op("ri", alpha=0.5)(tokenize(text), Random(seed)).text().split()
    before = {(a, b) for a, b in itertools.pairwise(words) if is_negation(b)}
    assert {(a, b) for a, b in itertools.pairwise(out) if is_negation(b)} <= before, (text, out)


def test_ri_puts_nothing_between_a_modal_and_its_not() -> None:
    # "a column of words can vast not adequately describe" (SST-2, ri 14)
    text = "a column of words can not adequately describe the film"
    ri = op("ri", alpha=1.0)
    changed = 0
    for seed in range(60):
        out = ri(tokenize(text), Random(seed)).text()
        assert "can not adequately" in out, out
        changed += out != text
    assert changed > 50


def test_punct_never_cuts_a_negation_from_its_head() -> None:
    on = get("punct")(alpha=0.1, resources=resources_for(True))
    for seed in range(50):
        assert "not great" in on(tokenize("the film was not great at all"), Random(seed)).text()


NEG_WORDS = ["not", "never", "don't", "no", "film", "great", "good", "dog", "jumps", "ran", "the", "he"]


@pytest.mark.parametrize("name", ["sr", "ri", "rs", "rd", "punct"])
@settings(max_examples=50, deadline=None)
@given(words=st.lists(st.sampled_from(NEG_WORDS), min_size=1, max_size=12), seed=st.integers(0, 2**32))
def test_guards_hold_for_any_text(name: str, words: list[str], seed: int) -> None:
    text = " ".join(words)
    out = op(name)(tokenize(text), Random(seed)).words
    negations = [w for w in words if is_negation(w)]
    assert [w for w in out if is_negation(w)] == negations  # none lost, replaced, added or reordered
    if name == "rs":
        # Negations and their heads stay exactly where they were.
        assert all(out[i] == words[i] for i in negation_bound(words))
    if name == "punct":
        assert out == words


# --- protected terms and synonym files ---------------------------------------------

def test_protect_patterns_freeze_words_case_insensitively() -> None:
    pattern = compile_protect(["# comment", "", "Good", "new york", r"re:\bfilm\w*"])
    tokens = freeze(tokenize("GOOD films in New  York, goodness"), pattern)
    assert tokens.words == ["in", "goodness"]
    assert tokens.text() == "GOOD films in New  York, goodness"
    with pytest.raises(UsageError, match="protect list line 1: bad regex"):
        compile_protect(["re:("])


@settings(max_examples=40, deadline=None)
@given(words=st.lists(st.sampled_from([*NEG_WORDS, "Film", "GOOD", "dogs"]), min_size=1, max_size=12),
       seed=st.integers(0, 1000))
def test_protected_terms_survive_every_op(words: list[str], seed: int) -> None:
    options = Options(ops=("sr", "ri", "rs", "rd", "punct"), n_aug=5, chain=True, seed=seed,
                      protect=("good", r"re:\bfilm\b", "re:dogs?"))
    pipe = Pipeline(options, resources_for(True))
    text = " ".join(words)
    protected = [w for w in words if w.lower() in ("good", "dog", "dogs") or w.lower() == "film"]
    for record in pipe.augment([{"text": text}]):
        out = record["text"]
        kept = [w for w in re.findall(r"[\w']+", out) if w.lower() in ("good", "dog", "dogs", "film")]
        assert kept == protected


def test_synonym_file_adds_or_replaces_entries() -> None:
    table = parse_synonyms("# mine\nfilm\tpicture\tflick\n!dog/n\tpooch\n!great\nbug/n\tdefect\n")
    lexicon = with_synonyms(Lexicon.from_senses(TABLE), table, "mine.tsv")
    assert lexicon.synonyms("film") == ("picture", "flick", "movie", "shoot")
    assert lexicon.synonyms("dog") == ("pooch",)
    assert lexicon.synonyms("great") == ()
    assert lexicon.senses("bug") == (Sense("n", 4, ("defect",)),)  # outweighs WordNet four to one
    assert "mine.tsv (4 entries" in lexicon.info["synonyms"]
    resources = Resources(stopwords=STOP, lexicon=lexicon, morphology=MORPH)
    # The user's sense dominates, so WordNet's movie (now 18% of the weight) is not used.
    assert set(SynonymSource(resources).choices("films")) == {"pictures", "flicks"}
    with pytest.raises(UsageError, match="synonym file line 1"):
        parse_synonyms("film/x\tpicture\n")


def test_cli_protect_and_synonyms_files(tmp_path: Path) -> None:
    (tmp_path / "protect.txt").write_text("quick brown\nre:\\bfox\\b\n")
    (tmp_path / "syn.tsv").write_text("!lazy\tidle\n")
    records = b'{"id": 1, "text": "The quick brown fox jumps over the lazy dog."}\n'
    result = run_cli("augment", "-", "-o", "-", "--ops", "sr,rd,rs", "-n", "12", "--alpha", "0.5", "--no-dedup",
                     "--protect", str(tmp_path / "protect.txt"), "--synonyms", str(tmp_path / "syn.tsv"),
                     stdin=records)
    assert result.returncode == 0, result.stderr
    copies = [orjson.loads(line)["text"] for line in result.stdout.splitlines()[1:]]
    assert len(copies) == 12
    for text in copies:
        assert "quick brown fox" in text
    replaced = [t for t in copies if "lazy" not in t and "idle" in t]
    assert replaced and all("sluggish" not in t for t in copies)
    missing = run_cli("augment", "-", "-o", "-", "--protect", str(tmp_path / "nope.txt"), stdin=records)
    assert missing.returncode == 2 and b"--protect: cannot read" in missing.stderr


# --- AEDA ------------------------------------------------------------------------

WORDISH = ["film", "good", "not", "The", "DOG", "https://x.io/a", "$4.99", "@ann", "🚀", "e.g.", "—", "(", ")"]


@settings(max_examples=80, deadline=None)
@given(parts=st.lists(st.sampled_from(WORDISH), min_size=1, max_size=20),
       spaces=st.lists(st.sampled_from([" ", "  ", "\n", ""]), min_size=20, max_size=20),
       seed=st.integers(0, 2**32))
def test_punct_only_adds_marks_between_words(parts: list[str], spaces: list[str], seed: int) -> None:
    text = "".join(p + s for p, s in zip(parts, spaces)).strip() or "film"
    tokens = tokenize(text)
    out = get("punct")(alpha=0.1, resources=resources_for(True))(tokens, Random(seed))
    assert out.words == tokens.words
    added = []
    for old, new in zip(tokens.seps, out.seps):
        assert new == old or (new[: len(old)] == old and new[len(old) + 1 :] == " " and not old[-1:].strip())
        if new != old:
            added.append(new[len(old)])
    assert set(added) <= set(".;?:!,")
    if out is not tokens:
        assert 1 <= len(added) <= max(1, len(tokens.words) // 3)
    assert tokenize(out.text()).words == tokens.words  # protected tokens and words all intact


def test_punct_follows_the_paper_counts() -> None:
    punct = get("punct")(alpha=0.1, resources=Resources())
    text = " ".join(["word"] * 12)
    counts = Counter(sum(c in ".;?:!," for c in punct(tokenize(text), Random(s)).text()) for s in range(300))
    assert set(counts) == {1, 2, 3, 4}  # between 1 and 12 / 3
    assert "punct" not in Options().ops


# --- presets ---------------------------------------------------------------------

def test_presets_follow_table_3_rows_with_measured_values() -> None:
    assert resolve("auto", 500) == ("n500", 0.1, 16)
    assert resolve("auto", 2000) == ("n2000", 0.1, 16)
    assert resolve("auto", 5000) == ("n5000", 0.1, 4)
    assert resolve("auto", 1_000_000) == ("large", 0.1, 4)
    with pytest.raises(UsageError, match="needs files, not stdin"):
        resolve("auto", None)


def test_cli_preset_auto_counts_and_flags_win(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_bytes(b"".join(b'{"id": %d, "text": "the good film"}\n' % i for i in range(3)))
    result = run_cli("augment", str(data), "-o", str(tmp_path / "out"), "--preset", "auto", "--n-aug", "2")
    assert result.returncode == 0, result.stderr
    manifest = orjson.loads((tmp_path / "out" / "manifest.json").read_bytes())
    assert manifest["options"]["preset"] == "n500"
    assert manifest["options"]["alpha"] == 0.1 and manifest["options"]["n_aug"] == 2
    assert manifest["options"]["senses"] == "top" and manifest["options"]["guards"] is True
    refused = run_cli("augment", "-", "-o", "-", "--preset", "auto", stdin=data.read_bytes())
    assert refused.returncode == 2 and b"needs files, not stdin" in refused.stderr


def test_tokens_frozen_by_protect_are_a_sep(resources: Resources) -> None:
    assert freeze(Tokens(["a"], ["", ""]), compile_protect(["zzz"])).words == ["a"]
    assert [a for a in analyses("leaps", lambda lemma, pos: lemma == "leap", MORPH) if a.form != "base"] == [
        Analysis("leap", "n", "plural"), Analysis("leap", "v", "3sg")]


# --- hand-judged replacements from the raw corpora ------------------------------------------

DATA = Path(__file__).resolve().parent / "data"


def judged(name: str) -> list[dict[str, str]]:
    """Rows of a judged-replacement fixture (tests/data), escapes undone in the text cells."""
    # split("\n"), not splitlines(): a text cell may hold U+2028 or other characters splitlines breaks on.
    text = (DATA / name).read_text(encoding="utf-8")
    lines = [line for line in text.split("\n") if line and not line.startswith("#")]
    keys = lines[0].split("\t")

    def unescape(cell: str) -> str:
        return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), cell)

    return [{k: unescape(v) if k in ("left", "right") else v for k, v in zip(keys, line.split("\t"))}
            for line in lines[1:]]


def still_offered(rows: list[dict[str, str]], senses: str) -> list[dict[str, str]]:
    """The judged rows whose replacement the current code still offers in that context."""
    resources = io_resources(senses)
    source = SynonymSource(resources)
    valid = []
    for row in rows:
        tokens = tokenize(row["left"] + row["old"] + row["right"])
        at = len(tokenize(row["left"]).words)
        if tokens.words[at:at + 1] != [row["old"]]:
            continue
        offered = {c.lower() for c in source.choices_at(tokens.words, at)}
        if at in source.candidates(tokens) and row["new"].lower() in offered:
            valid.append(row)
    return valid


def io_resources(senses: str) -> Resources:
    return Resources(stopwords=io.load_stopwords(), lexicon=io.load_lexicon(), morphology=BUNDLED_FORMS,
                     policy=Policy(senses=senses))


# (fixture, policy, lines, lines judged acceptable, least share of the still-offered lines the code must keep).
# replacements_judged_3112.tsv (the end of session 13, the first drawn with synonyms of several words counted)
# and, before it, _2412, _3012, replacements_judged.tsv and replacements_judged_all.tsv are the measure (drawn
# from the code of their time, judged before counting); _2024 and _all_2025 keep the still-offered lines of
# the earlier samples; _dev, _1203 and _1312 are samples rules were then fitted on (docs/synonyms.md section 5).
JUDGED = [
    ("replacements_judged_3112.tsv", "top", 200, 147, 0.7),
    ("replacements_judged_2412.tsv", "top", 200, 153, 0.7),
    ("replacements_judged_1312.tsv", "top", 168, 135, 0.75),
    ("replacements_judged_3012.tsv", "top", 200, 151, 0.7),
    ("replacements_judged_1203.tsv", "top", 167, 143, 0.8),
    ("replacements_judged.tsv", "top", 177, 137, 0.7),
    ("replacements_judged_2024.tsv", "top", 118, 96, 0.75),
    ("replacements_judged_dev.tsv", "top", 117, 103, 0.8),
    ("replacements_judged_all.tsv", "all", 100, 29, 0.27),
    ("replacements_judged_all_2025.tsv", "all", 71, 19, 0.25),
]


@pytest.mark.parametrize(("name", "senses", "lines", "accepted", "floor"), JUDGED)
def test_judged_replacements_are_still_what_the_code_offers(name: str, senses: str, lines: int,
                                                              accepted: int, floor: float) -> None:
    rows = judged(name)
    assert len(rows) == lines and {row["verdict"] for row in rows} == {"ok", "bad"}
    assert sum(row["verdict"] == "ok" for row in rows) == accepted
    assert all(row["reason"] for row in rows if row["verdict"] == "bad" and senses == "top"), name
    valid = still_offered(rows, senses)
    # A change to the lexicon or the rules that no longer offers most judged replacements
    # makes the sample stale: draw and judge a new one (docs/synonyms.md says how).
    assert len(valid) >= 0.9 * len(rows), f"{len(rows) - len(valid)} of {len(rows)} judged lines are stale"
    share = sum(row["verdict"] == "ok" for row in valid) / len(valid)
    assert share >= floor, f"{share:.1%} of the still-offered judged replacements are acceptable"


@pytest.mark.xfail(strict=True, reason="issue 8 item 4: 147 of 200 (73.5%) freshly judged replacements are acceptable")
def test_judged_replacements_reach_90_percent() -> None:
    valid = still_offered(judged("replacements_judged_3112.tsv"), "top")
    assert sum(row["verdict"] == "ok" for row in valid) / len(valid) >= 0.9


def test_a_judged_bad_replacement_that_the_rules_remove_counts_as_stale() -> None:
    # The check can fail: a row the code does not offer (a name, here) is not counted as valid.
    row = {"left": "I met ", "old": "Bush", "new": "shrub", "right": " today", "verdict": "bad"}
    assert still_offered([row], "top") == []


def test_no_synonym_carries_wordnet_stand_ins_for_a_pronoun() -> None:
    """WordNet writes "make up one's mind", "relieve oneself": the pronoun must agree with the subject."""
    lexicon = io.load_lexicon()
    assert any("one's" in s.split(" ") for s in lexicon.synonyms("decide"))  # what the filter is for
    assert any("oneself" in s.split(" ") for s in lexicon.synonyms("urinate"))
    for policy in (Policy(), Policy(senses="all"), Policy(senses="all", inflect=False)):
        source = SynonymSource(Resources(stopwords=io.load_stopwords(), lexicon=lexicon,
                                         morphology=io.load_morphology(), policy=policy))
        for words in (["we", "decided", "that"], ["to", "decide"], ["dogs", "urinate"], ["he", "urinated"]):
            tokens = tokenize(" ".join(words))
            for i in range(len(words)):
                choices = source.choices_at(tokens.words, i)
                assert not {"one's", "oneself"} & {part for c in choices for part in c.split(" ")}, (policy, choices)


# --- names in text without capitals ------------------------------------------------

def test_a_name_in_lower_case_text_keeps_its_words() -> None:
    # SST-2 and other benchmark corpora are written in lower case, so "eddie murphy" lost the
    # capitals that mark a name: sr wrote "eddie potato", "microphone leigh", "jonathan fleet".
    from augtool.lexicon import Sense

    table = {"murphy": [Sense("n", 3, ("potato",))], "mike": [Sense("n", 2, ("microphone",))],
             "swift": [Sense("a", 3, ("fleet",))], "film": [Sense("n", 9, ("movie",))],
             "frank": [Sense("a", 4, ("candid",))]}
    resources = Resources(stopwords=STOP, lexicon=Lexicon.from_senses(table), morphology=MORPH)
    for name in ("sr", "ri"):
        augment = get(name)(alpha=1.0, resources=resources)
        for text in ("eddie murphy is funny", "a mike leigh drama", "by jonathan swift", "frank capra made it"):
            for seed in range(10):
                out = augment(tokenize(text), Random(seed)).text()
                assert not {"potato", "microphone", "fleet", "candid"} & set(out.split()), (name, out)
        # A word the list never capitalises ("film") stays a source beside a name, and a word that can be
        # a name ("swift", "frank") is one where no name stands beside it.
        for text, new in (("a spielberg film", "movie"), ("a swift reply", "fleet"), ("a frank reply", "candid")):
            assert any(new in augment(tokenize(text), Random(seed)).text() for seed in range(10)), (name, text)


# --- fixed expressions WordNet lacks ------------------------------------------------

@functools.cache
def _bundled_sr() -> Augmenter:
    return get("sr")(alpha=1.0, resources=Resources(stopwords=io.load_stopwords(), lexicon=io.load_lexicon(),
                                                    morphology=io.load_morphology()))


def _replaced(text: str, word: str) -> bool:
    """Whether sr, over 40 seeds, ever replaces ``word`` in ``text`` (judged on space-split words)."""
    sr = _bundled_sr()
    before = text.split()
    for seed in range(40):
        after = sr(tokenize(text), Random(seed)).text().split()
        if len(after) != len(before) or any(a != b for a, b in zip(before, after) if a == word):
            return True
    return False


@pytest.mark.parametrize(("text", "word"), [
    ("I can't help but laugh at the ending .", "help"),
    ("I could n't help but laugh at the ending .", "help"),
    ("I cannot help thinking about it .", "help"),
    ("It is not nearly as good as the book .", "nearly"),
    ("It isn't nearly as good as the book .", "nearly"),
    ("People who happen to like horror will enjoy it .", "happen"),
    ("They seek to wage war on the rebels .", "wage"),
    ("They wage a long war .", "wage"),
    ("It is a prequel of sorts and a sequel too .", "sorts"),
    ("I am not big on musicals at all .", "big"),
    ("the direction is never heavy handed .", "handed"),  # sr 14: "heavy turned over", "heavy passed on"
    ("he ruled with a heavy hand .", "hand"),
])
def test_an_expression_wordnet_lacks_keeps_its_word(text: str, word: str) -> None:
    # sr 12 wrote "can't aid but laugh", "not almost as good", "who occur to like".
    assert not _replaced(text, word)


def _sr_copies(text: str, seeds: int = 40) -> list[tuple[int, list[str]]]:
    """sr's copies of ``text`` with the bundled lexicon, one a seed, as space-split words."""
    sr = _bundled_sr()
    return [(seed, sr(tokenize(text), Random(seed)).text().split()) for seed in range(seeds)]


@pytest.mark.parametrize("text", [
    "its underlying concern with family",
    "there is an underlying old world charm",
    "a capable and honest leader",
    "I am sick of it all",
    "the contingent fee was high",
    "an inherent flaw in the plan",
])
def test_a_one_word_adjective_gets_no_synonym_that_wants_a_complement(text: str) -> None:
    # sr 14 wrote "its implicit in concern", "an implicit in old world charm" (WordNet's "implicit in").
    ends = re.compile(r"\b(?:about|as|at|by|for|from|in|into|of|on|to|upon|with)$")
    before = text.split()
    for seed, after in _sr_copies(text):
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        new = [" ".join(after[j1:j2]) for tag, _, _, j1, j2 in matcher.get_opcodes() if tag != "equal"]
        assert not [phrase for phrase in new if " " in phrase and ends.search(phrase)], (seed, after)


@pytest.mark.parametrize("text", [
    "if we keep trying something new it fails",
    "i have tried several times to reach them",
    "customer service i tried calling twice",
    "i tried these speakers and they hum",
])
def test_try_becomes_seek_only_before_to(text: str) -> None:
    # sr 15 wrote "keep seeking something new", "i have sought several times", "i sought calling twice".
    for seed, after in _sr_copies(text):
        assert not [k for k, word in enumerate(after) if re.fullmatch(r"(?i)seek\w*|sought", word)
                    and (k + 1 == len(after) or after[k + 1] != "to")], (seed, after)


@pytest.mark.parametrize("text", ["it seems like a huge mistake", "the big plane seemed like a toy"])
def test_seem_like_never_becomes_appear_like(text: str) -> None:
    # sr 18 wrote "it appears like a huge mistake"; "looks like" is English and stays on offer.
    copies = [" ".join(after) for _, after in _sr_copies(text, 60)]
    assert not [copy for copy in copies if re.search(r"\bappear\w* like\b", copy)]
    assert [copy for copy in copies if re.search(r"\blook\w* like\b", copy)]  # the control


_AID = re.compile(r"(?i)(?:aid|assist)(?:s|ed|ing)?")


@pytest.mark.parametrize("text", [
    "can you help me find a flight to boston",  # airline tweets: "aid me find"
    "a roaring crowd helped inspire the home team",  # AG News: "aided inspire"
    "the new planes will help it attract more passengers",  # AG News: "aid it attract"
    "i need help now with my delayed bag",  # the noun: "I need assist now"
])
def test_help_becomes_aid_or_assist_only_where_they_take_the_same_frame(text: str) -> None:
    # sr 20 offered "aid" and "assist" for every verb "help": 1,873 replacements in seven corpora, about 7 in
    # 10 wrong in 50 read by hand (before a bare verb, an object and a bare verb, or for the noun).
    for seed, after in _sr_copies(text, 60):
        assert not [k for k, word in enumerate(after) if _AID.fullmatch(word)
                    and (k + 1 == len(after) or after[k + 1] not in ("by", "in"))], (seed, after)


def test_help_still_becomes_aid_before_by_and_in() -> None:
    copies = [" ".join(after) for _, after in _sr_copies("the film was helped by its cast", 60)]
    copies += [" ".join(after) for _, after in _sr_copies("volunteers helped in the search", 60)]
    assert [copy for copy in copies if re.search(r"\b(?:aided|assisted) by\b", copy)]
    assert [copy for copy in copies if re.search(r"\b(?:aided|assisted) in\b", copy)]


@pytest.mark.parametrize("text", ["it seems to work well with my camera", "the long plot seemed to drag on"])
def test_seem_to_never_becomes_look_to(text: str) -> None:
    # sr 20 wrote "it looks to work so well" (CR) in 818 of 1,750 "seem" -> "look" replacements.
    copies = [" ".join(after) for _, after in _sr_copies(text, 60)]
    assert not [copy for copy in copies if re.search(r"\blook\w* to\b", copy)]
    assert [copy for copy in copies if re.search(r"\bappear\w* to\b", copy)]  # the control: "appears to" is English


@pytest.mark.parametrize("text", [
    "i expected it to be a good movie",
    "we expect to arrive in boston late",
    "the company expects its sales to rise",
])
def test_expect_to_never_becomes_anticipate_to(text: str) -> None:
    # sr 20 wrote "I anticipated it to be good", "we anticipate to be able to" (271 active ones in seven corpora).
    for seed, after in _sr_copies(text, 60):
        near_to = [k for k, word in enumerate(after) if word.startswith("anticipat") and "to" in after[k + 1 : k + 4]]
        assert not near_to, (seed, after)


def test_expect_without_to_and_the_passive_may_still_become_anticipate() -> None:
    copies = [" ".join(after) for _, after in _sr_copies("do not expect much from this movie", 60)]
    assert [copy for copy in copies if "anticipate much" in copy]
    copies = [" ".join(after) for _, after in _sr_copies("the vote is expected to pass", 60)]
    assert [copy for copy in copies if "is anticipated to pass" in copy]


@pytest.mark.parametrize(("text", "verbs", "noun"), [
    ("after months of use it broke", r"\b(?:utilize|employ|apply)\b", "usage"),  # CR: "months of utilize"
    ("a series of chases through town", r"\b(?:goes|go) after\b", "pursuits"),  # IMDB: "a series of goes after"
    ("we got a lot of help from friends", r"\b(?:aid|assist)\b", "assistance"),
])
def test_after_of_a_word_is_no_finite_verb(text: str, verbs: str, noun: str) -> None:
    copies = [" ".join(after) for _, after in _sr_copies(text, 60)]
    assert not [copy for copy in copies if re.search(verbs, copy)]
    assert [copy for copy in copies if noun in copy]  # the control: the noun's synonyms


def test_after_of_a_gerund_is_still_a_verb() -> None:
    copies = [" ".join(after) for _, after in _sr_copies("the thought of trying to fix it", 60)]
    assert [copy for copy in copies if "of attempting to" in copy]


def test_no_form_the_register_list_bars() -> None:
    # sr 19 wrote "assists littler customers" for "smaller" (and ri inserted "littler"): "little" is
    # a synonym of "small", and its comparative a word the register list bars.
    text = "a smaller camera with the smallest lens and a small bag"
    ri = _bundled_ri(0.5)
    copies = [" ".join(after) for _, after in _sr_copies(text)]
    copies += [ri(tokenize(text), Random(seed)).text() for seed in range(40)]
    assert not [copy for copy in copies if re.search(r"\blittle(?:r|st)\b", copy)]
    assert [copy for copy in copies if "a little bag" in copy]  # the control: the base form is still offered


def test_try_to_may_still_become_seek_to() -> None:
    sr = _bundled_sr()
    outs = {sr(tokenize("we tried to call them"), Random(seed)).text() for seed in range(40)}
    assert "we sought to call them" in outs and "we attempted to call them" in outs


def test_a_verb_still_gets_a_synonym_with_its_preposition() -> None:
    sr = _bundled_sr()
    outs = {sr(tokenize("it is hard to imagine a better ending"), Random(seed)).text() for seed in range(40)}
    assert "it is hard to conceive of a better ending" in outs


_HELD = [
    ("we will buy the tickets as soon as the gate opens", r"\bas soon as\b", ("shortly", "before long")),
    ("i have no idea why the movie was so popular", r"\bno idea\b", ("thought",)),
    ("do you have any idea when the big flight leaves", r"\bany idea\b", ("thought",)),
    ("according to the agent the flight was huge", r"\baccording to\b", ("fitting in",)),
    ("we cross our fingers every time the big plane lands", r"\bcross our fingers\b",
     ("traverse", "get over", "cut through")),
    ("the movie was a ray of hope for the big studio", r"\bray of hope\b", ("light beam", "shaft of light")),
    ("the huge movie left a lot to be desired", r"\bto be desired\b", ("wanted",)),
    ("in my humble opinion the movie was huge", r"\bmy humble opinion\b", ("lowly",)),
    ("and lo and behold the big flight was late", r"\band behold\b", ("lay eyes on",)),
    ("a run-of-the mill movie with a huge budget", r"\brun-of-the mill\b", ("factory",)),
    ("i am a big fan of this huge film", r"\bbig fan\b", ("large",)),
    ("a small amount of the huge budget", r"\bsmall amount\b", ("little",)),
    ("how soon can we buy the tickets", r"\bhow soon\b", ("shortly", "before long")),
    ("he was a total stranger to the big family", r"\btotal stranger\b", ("entire", "full")),
    ("profit in the fiscal quarter was huge", r"\bfiscal quarter\b", ("financial",)),
    ("buying the big tickets was a good idea", r"\bgood idea\b", ("thought",)),
    ("the huge firm grew to the tune of a big sum", r"\bto the tune of\b", ("melody",)),
    ("the huge score was used to great effect", r"\bto great effect\b", ("result",)),
    ("she will make good use of the huge voucher", r"\bmake good use of\b", ("usage", "utilization")),
    ("the huge cast was put to good use", r"\bput to good use\b", ("usage", "utilization")),
    ("give the huge film the benefit of the doubt", r"\bbenefit of the doubt\b", ("uncertainty",)),
]


@pytest.mark.parametrize(("text", "expression", "synonyms"), _HELD)
def test_expressions_wordnet_lacks_hold_their_words(text: str, expression: str, synonyms: tuple[str, ...]) -> None:
    # sr 16 wrote "as shortly as the gate opens", "no thought why", "fitting in to the agent".
    copies = _sr_copies(text)
    assert any(after != text.split() for _, after in copies)  # the control: other words take synonyms
    for seed, after in copies:
        assert re.search(expression, " ".join(after)), (seed, after)


@pytest.mark.parametrize(("text", "expression", "synonyms"), _HELD)
def test_ri_takes_no_source_inside_those_expressions(text: str, expression: str, synonyms: tuple[str, ...]) -> None:
    ri = _bundled_ri(0.3)
    outs = [ri(tokenize(text), Random(seed)).text() for seed in range(40)]
    assert any(out != text for out in outs)  # the control: other words give insertions
    assert not [out for out in outs if any(re.search(rf"\b{synonym}\b", out) for synonym in synonyms)]


def _close_repeats(before: list[str], after: list[str]) -> list[str]:
    """Words sr put in that already stand within three words of where they went, in the copy (letters
    only, any case; a synonym of two words, "motion picture", counts by each): what a reader sees as
    a stutter or a contrast undone. ``after`` is sr's output, position for position."""
    found = []
    for i, (old, new) in enumerate(zip(before, after)):
        if old != new:
            near = {part for w in after[max(0, i - 3) : i] + after[i + 1 : i + 4]
                    for part in re.findall(r"[a-z]+", w.lower())}
            found += [part for part in re.findall(r"[a-z]+", new.lower()) if part in near]
    return found


@pytest.mark.parametrize("text", [
    "What is the difference between a preface and a foreword ?",
    "Where can I get information and statistics on countries and nations ?",
    "conjuring up a sinister menacing atmosphere though",
    "there are deeply religious and spiritual people in this film",
    "the role of responsibility and duty in public life",
    "confronted with this small cute little player",
])
def test_sr_puts_no_synonym_where_it_already_stands_close(text: str) -> None:
    # sr 13 wrote "a preface and a preface", "countries and countries", "menacing menacing".
    sr = _bundled_sr()
    before = tokenize(text).words
    for seed in range(60):
        after = sr(tokenize(text), Random(seed)).words
        assert not _close_repeats(before, after), (seed, after)


def test_a_synonym_that_stands_further_off_is_still_written() -> None:
    sr = _bundled_sr()
    text = "this movie is long and slow , and I think that the film could lose an hour"
    outs = {sr(tokenize(text), Random(seed)).text().split()[1] for seed in range(60)}
    assert "film" in outs


_CLOSE_WORDS = ["countries", "nations", "small", "little", "movie", "film", "sinister", "menacing", "religious",
                "spiritual", "tales", "stories", "and", "the", "a", "or"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_CLOSE_WORDS), min_size=2, max_size=14), st.integers(0, 2**32))
def test_sr_copies_repeat_no_word_close_by(words: list[str], seed: int) -> None:
    after = _bundled_sr()(tokenize(" ".join(words)), Random(seed)).words
    assert not _close_repeats(words, after)


def _ri_close_repeats(words: list[str], stopwords: frozenset[str]) -> list[str]:
    """Words other than stopwords standing twice within three words of each other (letters only, any case)."""
    parts = [[part for part in re.findall(r"[a-z]+", word.lower()) if part not in stopwords] for word in words]
    return [part for i, here in enumerate(parts) for later in parts[i + 1 : i + 4] for part in here if part in later]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_CLOSE_WORDS[:14]), min_size=1, max_size=10, unique=True), st.integers(0, 2**32))
def test_ri_inserts_no_word_close_to_the_same_word(words: list[str], seed: int) -> None:
    """Distinct words in, so any word standing twice close by is one ri put there."""
    stopwords = io.load_stopwords()
    ri = get("ri")(alpha=1.0, resources=Resources(stopwords=stopwords, lexicon=io.load_lexicon(),
                                                  morphology=io.load_morphology()))
    out = ri(tokenize(" ".join(words)), Random(seed)).text().split()
    assert not _ri_close_repeats(out, stopwords), out


def test_ri_still_inserts_beside_other_words() -> None:
    stopwords = io.load_stopwords()
    ri = get("ri")(alpha=0.3, resources=Resources(stopwords=stopwords, lexicon=io.load_lexicon(),
                                                  morphology=io.load_morphology()))
    text = "Where can I get information and statistics on countries and nations ?"
    outs = [ri(tokenize(text), Random(seed)).text().split() for seed in range(40)]
    assert all(not _ri_close_repeats(out, stopwords) for out in outs)
    assert sum(len(out) > len(text.split()) for out in outs) >= 20  # it still inserts, further off


def _beside_kin(before: list[str], after: list[str], lexicon: Lexicon) -> list[str]:
    """Words ri put in (by a diff of the space-split words) right beside a word of the source they are a
    synonym of, by the lexicon's synonyms over all senses (a plural by its singular too)."""
    def kin(word: str) -> set[str]:
        folded = word.lower()
        forms = {folded, folded[:-1] if folded.endswith("s") else folded}
        return {synonym.lower() for form in forms for synonym in lexicon.synonyms(form)}

    found = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag != "insert":
            continue
        for j in range(j1, j2):
            new = after[j].lower()
            neighbours = [after[k] for k in (j - 1, j + 1) if 0 <= k < len(after) and not j1 <= k < j2]
            found += [f"{new} beside {word}" for word in neighbours if {new, new.rstrip("s")} & kin(word)]
    return found


def _bundled_ri(alpha: float) -> Augmenter:
    return get("ri")(alpha=alpha, resources=Resources(stopwords=io.load_stopwords(), lexicon=io.load_lexicon(),
                                                      morphology=io.load_morphology()))


@pytest.mark.parametrize("text", [
    "Name 11 famous martyrs .",
    "Who is the famous movie star ?",
    "host to some truly excellent sequences",
    "In what religion was Isis the goddess of love ?",
    "This one did exactly that .",
    "a good car goes after a car",
])
def test_ri_puts_no_synonym_right_beside_its_source(text: str) -> None:
    # ri 16 wrote "Name 11 famous noted martyrs", "the motion picture movie", "truly genuinely
    # excellent", "what religion faith was Isis": 14 % of SST-2's ri copies, 18 % of TREC's.
    ri, lexicon = _bundled_ri(0.1), io.load_lexicon()
    before = text.split()
    outs = [ri(tokenize(text), Random(seed)).text().split() for seed in range(60)]
    assert all(not _beside_kin(before, out, lexicon) for out in outs), [
        (seed, out) for seed, out in enumerate(outs) if _beside_kin(before, out, lexicon)]
    assert sum(out != before for out in outs) >= 40  # it still inserts, elsewhere


_KIN_WORDS = ["famous", "martyrs", "movie", "truly", "exactly", "religion", "teacher", "car", "star", "that",
              "one", "who", "the", "of"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_KIN_WORDS), min_size=1, max_size=10, unique=True), st.integers(0, 2**32))
def test_ri_copies_put_no_synonym_beside_its_source(words: list[str], seed: int) -> None:
    out = _bundled_ri(1.0)(tokenize(" ".join(words)), Random(seed)).text().split()
    assert not _beside_kin(words, out, io.load_lexicon()), out


@pytest.mark.parametrize(("text", "word"), [
    # "help" takes "aid" and "assist" only before "by" and "in" (sr 21): "it did not help the film" no longer
    # reads "aid the film", since "help the studio survive" would read "aid the studio survive".
    ("The film was helped by its cast .", "helped"),
    ("Fans helped in the search .", "helped"),
    ("It was nearly two hours long .", "nearly"),
    ("Workers want a higher wage .", "wage"),
    ("All sorts of people came to see it .", "sorts"),
    ("It is a big film on a small budget .", "big"),
    ("he handed her the keys and left .", "handed"),
])
def test_the_same_words_elsewhere_still_take_synonyms(text: str, word: str) -> None:
    assert _replaced(text, word)


# --- the sampler of judged replacements ------------------------------------------------------


def test_the_sampler_counts_a_synonym_of_several_words_as_one_replacement() -> None:
    # Until session 13 an sr copy holding "motion picture" was left out of the judged samples whole.
    sampler: Any = load_script("sample_replacements")
    old = ["i", "saw", "the", "movie", "and", "it", "was", "probably", "a", "great", "one"]
    new = ["i", "saw", "the", "motion", "picture", "and", "it", "was", "in", "all", "likelihood", "a", "huge", "one"]
    assert sampler._replaced(old, new) == [(3, "motion picture"), (7, "in all likelihood"), (9, "huge")]
    assert sampler._replaced(old, old) == []


def test_the_sampler_finds_an_inserted_synonym_of_several_words_and_its_source() -> None:
    sampler: Any = load_script("sample_replacements")
    old = ["i", "saw", "the", "movie", "yesterday"]
    new = ["i", "saw", "the", "motion", "picture", "movie", "yesterday", "film"]
    calls = [(tuple(old), 3, ("film", "motion picture")), (("other", "text"), 0, ("yesterday",))]
    assert sampler._inserted(old, new, calls) == [(3, "motion picture"), (3, "film")]

"""ri's case rule: an upper-case source gives an upper-case synonym only between upper-case words; ri and rs
never leave a lower-case word at the start of a sentence that opened with a capital."""

from __future__ import annotations

import re
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from augtool.augmenters import Resources, get
from augtool.augmenters import ri as ri_module
from augtool.lexicon import Lexicon, Sense
from augtool.tokens import tokenize

# Shouted enough that CAR and HOUSE are synonym sources, with a lower-case tail to land in.
TEXT = "THE CAR WAS FAST AND THE HOUSE WAS BIG but it rained"


def _insertion(resources: Resources, seed: int) -> tuple[list[str], int]:
    """The words after one ri insertion (alpha 0.1 on 12 words: n = 1) and where it went."""
    before = tokenize(TEXT).words
    after = get("ri")(alpha=0.1, resources=resources)(tokenize(TEXT), Random(seed)).words
    assert len(after) == len(before) + 1
    at = next((i for i, (a, b) in enumerate(zip(after, before)) if a != b), len(before))
    return after, at


def test_upper_case_only_between_upper_case_words(resources: Resources) -> None:
    cases = {"upper": 0, "lower": 0}
    for seed in range(80):
        after, at = _insertion(resources, seed)
        word = after[at]
        neighbours = [after[i] for i in (at - 1, at + 1) if 0 <= i < len(after)]
        if all(n.isupper() and len(n) > 1 for n in neighbours):
            assert word.isupper(), (word, neighbours)
            cases["upper"] += 1
        else:
            assert word == word.lower(), (word, neighbours)
            cases["lower"] += 1
    assert cases["upper"] and cases["lower"]  # both sides of the rule were exercised


# A lower-case letter opening the text or a sentence (after . ! ? and blanks, or a line break),
# read with a regex rather than augtool's tokenizer.
LOWER_OPENING = re.compile(r"(?:\A|[.!?][\"')\]]*\s+|\n\s*)[a-z]")


def _changed_without_lower_opening(name: str, text: str, resources: Resources) -> int:
    """How many of 60 seeds' copies (alpha 0.5) change ``text``; each is asserted to open no sentence in lower case."""
    op = get(name)(alpha=0.5, resources=resources)
    changed = 0
    for seed in range(60):
        out = op(tokenize(text), Random(seed)).text()
        assert not LOWER_OPENING.search(out), out
        changed += out != text
    return changed


def test_ri_never_opens_a_sentence_before_a_capital(resources: Resources) -> None:
    # ri 14 wrote "acknowledge I went and saw this movie", "not deep. assist I'ts called".
    text = "The quick fox ran. Its car was lazy!\nWe saw a happy dog. Nobody left the house."
    assert _changed_without_lower_opening("ri", text, resources) > 50


def test_ri_still_opens_a_lower_case_text(resources: Resources) -> None:
    # The rule is about the capital: SST-2-like text without one may get a word at its start.
    text = "the quick fox ran . its car was lazy"
    ri = get("ri")(alpha=0.5, resources=resources)
    assert any(ri(tokenize(text), Random(seed)).text().split()[0] != "the" for seed in range(60))


def test_ri_never_opens_a_sentence_in_a_huge_text() -> None:
    # Over 2,000 words ri inserts through its block sequence (ri._Sequence): the same rule. Forty
    # distinct source words (one insertion each, ri 14), so that some draws land on a sentence start.
    nouns = ["car", "city", "teacher", "road", "garden", "river", "book", "game", "house", "dog", "song", "actor",
             "music", "story", "street", "doctor", "student", "lawyer", "friend", "town", "village", "forest",
             "mountain", "ocean", "island", "window", "door", "table", "chair", "kitchen", "bridge", "market",
             "lamp", "horse", "bottle", "shirt", "cloud", "stone", "field", "letter"]
    table = {noun: [Sense("n", 5, (noun + "ish",))] for noun in nouns}
    lexicon = Lexicon.from_senses(table, {"name": "nouns"})
    text = " ".join(f"We saw the {nouns[i % 40]} near the {nouns[(i * 7 + 3) % 40]}." for i in range(400))
    assert len(tokenize(text).words) > ri_module._LIST_LIMIT
    out = get("ri")(alpha=0.1, resources=Resources(stopwords=frozenset({"the", "we", "near"}), lexicon=lexicon)
                    )(tokenize(text), Random(3)).text()
    assert len(out.split()) >= len(text.split()) + 30
    assert not LOWER_OPENING.search(out)


# --- rs: a capitalised sentence opener stays, so no lower-case word opens a sentence ----------


def test_rs_never_puts_a_lower_case_word_at_a_sentence_start(resources: Resources) -> None:
    # rs 10 wrote "quickly blender arrived The and crushes ice like a champ.", "flying ❤️ I @VirginAmerica."
    text = "The quick fox ran home. Its car was lazy and slow!\nWe saw a happy dog there. Nobody left the old house."
    assert _changed_without_lower_opening("rs", text, resources) == 60  # the other words still move


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["The", "A", "We", "Nobody", "Its", "Then", "My"]),
                          st.lists(st.sampled_from(["cat", "sat", "on", "the", "mat", "ran", "home", "fast", "I"]),
                                   min_size=1, max_size=6),
                          st.sampled_from([". ", "! ", "? ", ".\n"])), min_size=1, max_size=4),
       st.integers(0, 2**32))
def test_rs_keeps_every_capitalised_opener(sentences: list[tuple[str, list[str], str]], seed: int) -> None:
    text = "".join(" ".join([opener, *words]) + end for opener, words, end in sentences).strip()
    out = get("rs")(alpha=0.5, resources=Resources())(tokenize(text), Random(seed)).text()
    assert not LOWER_OPENING.search(out), (text, out)


def test_rs_still_moves_the_first_word_of_a_lower_case_text(resources: Resources) -> None:
    text = "the quick fox ran . its car was lazy"
    rs = get("rs")(alpha=0.5, resources=resources)
    assert any(rs(tokenize(text), Random(seed)).text().split()[0] != "the" for seed in range(60))


# --- rs: a word glued to a slash is half of a pair and stays ---------------------------------------

SLASHED = re.compile(r"[A-Za-z]*/[A-Za-z]*")  # "and/or", "w/", "/way": the pair as the text writes it


def test_rs_leaves_slash_pairs_whole(resources: Resources) -> None:
    # rs 11 wrote "a/are" and "than/are" for "were/are" (IMDB), "they/" and "a/" for "w/" (TweetEval).
    text = "the effects were/are good and a goofy shorty w/ a big heart takes rock and/or roll home"
    rs = get("rs")(alpha=0.3, resources=resources)
    outs = [rs(tokenize(text), Random(seed)).text() for seed in range(60)]
    assert all(SLASHED.findall(out) == SLASHED.findall(text) for out in outs), outs
    assert sum(out != text for out in outs) == 60  # the other words still move


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["cat", "sat", "on", "the", "mat", "ran", "home", "fast", "and/or", "w/", "were/are",
                                 "AC/DC", "b/c"]), min_size=2, max_size=12),
       st.integers(0, 2**32))
def test_rs_moves_no_word_glued_to_a_slash(words: list[str], seed: int) -> None:
    text = " ".join(words)
    out = get("rs")(alpha=0.5, resources=Resources())(tokenize(text), Random(seed)).text()
    assert sorted(SLASHED.findall(out)) == sorted(SLASHED.findall(text)), (text, out)

"""ri's case rule: an upper-case source gives an upper-case synonym only between upper-case words."""

from __future__ import annotations

from random import Random

from augtool.augmenters import Resources, get
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

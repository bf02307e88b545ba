"""One huge record: every operation finishes on 200,000 words (quadratic ones took minutes; repro 14).

No timing assertion: each size simply has to finish inside the normal test run, and the
outputs are checked, so a slow path that is also wrong fails on its own.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from random import Random

import pytest

from augtool.augmenters import Resources, get
from augtool.tokens import Tokens, tokenize

from .conftest import TINY_TABLE

WORDS = [*TINY_TABLE, "the", "brown", "runs", "not", "river", "garden"]
BREAKS = "\n\r\u2028\x85"


@cache
def huge_text(n_words: int) -> tuple[str, Tokens]:
    """Words from a small vocabulary, with a sprinkling of markup, escapes, numbers and line breaks; tokenized."""
    rng = Random(0)
    extras = ["<br /><br />", "&amp;", "%s", "\\nThe", "said.\\The", "42", "@john's", "\u2028", "\r\n", ",", "\x85"]
    parts = []
    for i in range(n_words):
        parts.append(rng.choice(WORDS))
        parts.append(f" {rng.choice(extras)} " if i % 7 == 0 else " ")
    text = "".join(parts)
    return text, tokenize(text)


@pytest.mark.parametrize("n_words", [20_000, 200_000])
@pytest.mark.parametrize(("name", "alpha"), [("sr", 0.1), ("ri", 0.1), ("rs", 0.1), ("rd", 0.1), ("rd", 1.0),
                                             ("punct", 0.1)])
def test_each_op_finishes_on_a_huge_text(resources: Resources, name: str, alpha: float, n_words: int) -> None:
    text, tokens = huge_text(n_words)
    assert len(tokens.words) >= n_words
    out = get(name)(alpha=alpha, resources=resources)(tokens, Random(1))
    new = out.text()
    assert new != text
    assert [new.count(ch) for ch in BREAKS] == [text.count(ch) for ch in BREAKS]
    assert [new.count(s) for s in ("<br />", "&amp;", "%s", "\\n", "@john's")] == [
        text.count(s) for s in ("<br />", "&amp;", "%s", "\\n", "@john's")
    ]
    if name == "rs":
        assert Counter(out.words) == Counter(tokens.words)


def test_tokenize_finishes_on_long_runs_of_protected_tokens() -> None:
    n_tokens = 100_000
    # Numbers, other scripts and markup between no words: one separator that grows to the whole text.
    for unit in ("12 ", "日本 ", "<b>", "&amp; "):
        text = unit * n_tokens + "end"
        tokens = tokenize(text)
        assert tokens.words == ["end"]
        assert tokens.text() == text


@pytest.mark.parametrize("unit", ["<!--a", "&lt;a", "{%a", "x~~~\n", "```a````", "<a b", "`a b "])
def test_tokenize_finishes_on_openers_that_never_close(unit: str) -> None:
    # Each failed attempt must stop at the next opener, or these would be quadratic.
    text = unit * (100_000 // len(unit))
    assert tokenize(text).text() == text

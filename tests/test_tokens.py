"""Tokenizer: what is editable, what is protected, and that text always comes back exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from augtool.tokens import _tokenize_full, apply_case, case_pattern, tokenize

# (text, the editable words) -- written by hand from the rules in tokens.py.
CASES = [
    ("The quick brown fox, jumps!", ["The", "quick", "brown", "fox", "jumps"]),
    ("Mail me@example.com or visit https://ex.am/ple?q=1.", ["Mail", "or", "visit"]),
    ("It costs $4.99, weighs 12kg and 3.5% more", ["It", "costs", "weighs", "and", "more"]),
    ("Hi {name}, your <mask> is [SEP] ready", ["Hi", "your", "is", "ready"]),
    ("@anna loves #python 🐍 a lot", ["loves", "a", "lot"]),
    ("COVID-19 is not a cold", ["is", "not", "a", "cold"]),
    ("see e.g. www.site.org daily", ["see", "daily"]),
    ("don't stop, well-known café", ["don't", "stop", "well-known", "café"]),
    ("日本語 text here", ["text", "here"]),
    ("call snake_case now", ["call", "now"]),
    ("Washed at 30°C, 5° or 0.5‰", ["Washed", "at", "or"]),  # the C of 30°C is a unit, not a word
    ("", []),
    ("   \n\t", []),
]


@pytest.mark.parametrize(("text", "words"), CASES)
def test_editable_words(text: str, words: list[str]) -> None:
    tokens = tokenize(text)
    assert tokens.words == words
    assert tokens.text() == text
    assert len(tokens.seps) == len(words) + 1


def test_protected_tokens_sit_in_separators_whole() -> None:
    tokens = tokenize("go to https://a.b/c now, [CLS] ok")
    assert tokens.seps[2] == " https://a.b/c "
    assert "[CLS]" in tokens.seps[-2]


text_alphabet = st.characters(codec="utf-8", exclude_categories=("Cs",))


@given(st.text(alphabet=text_alphabet, max_size=80))
def test_round_trip_any_text(text: str) -> None:
    assert tokenize(text).text() == text


ascii_pieces = st.lists(
    st.sampled_from(
        ["word", "Word", "WORD", " ", "  ", "\n", ",", ".", "!", "'", "-", "e.g.", "a.b", "x@y.z",
         "42", "$5", "#tag", "@me", "http://a.io", "{x}", "<m>", "[S]", "snake_case", "it's", "(", ")",
         "&amp;", "#39;", "\\", "\\n", "`", "~/a", "/", "%s", "%", "$V", "<br />", "\r\n", "\r", "\v", "\f"]
    ),
    max_size=25,
)


@given(ascii_pieces)
def test_fast_path_agrees_with_full_tokenizer(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert tokenize(text) == _tokenize_full(text)


@pytest.mark.parametrize(
    ("word", "pattern"),
    [("dog", "lower"), ("Dog", "title"), ("DOG", "upper"), ("iPhone", None), ("McDonald", None), ("A", "title")],
)
def test_case_pattern(word: str, pattern: str | None) -> None:
    assert case_pattern(word) == pattern


def test_apply_case_keeps_spaces_and_pattern() -> None:
    assert apply_case("upper", "motor car") == "MOTOR CAR"
    assert apply_case("title", "motor car") == "Motor car"
    assert apply_case("lower", "Canis familiaris") == "canis familiaris"
    assert apply_case(None, "Canis") == "Canis"

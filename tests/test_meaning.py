"""Meaning guards, sense choice, user protect/synonym files, AEDA and presets."""

from __future__ import annotations

import json
import re
from pathlib import Path
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from augtool.augmenters import Resources, get
from augtool.lexicon import Lexicon, Sense
from augtool.meaning import choose_senses, parse_protect, parse_synonyms
from augtool.pipeline import Options, Pipeline
from augtool.tokens import protected_tokens, tokenize

from .conftest import TINY_STOPWORDS, run_cli

TABLE = {
    "dog": [Sense("n", 42, ("domestic dog",)), Sense("n", 5, ("frump",)), Sense("v", 3, ("chase",))],
    "good": [Sense("a", 30, ("nice",)), Sense("n", 2, ("goodness",))],
    "car": [Sense("n", 30, ("automobile",))],
    "fast": [Sense("a", 10, ("quick",))],
}


def copies(text: str, **options) -> list[str]:
    lexicon = Lexicon.from_senses(TABLE)
    stop = TINY_STOPWORDS - {"not", "no"}  # guards must hold even for words the stopwords miss
    pipe = Pipeline(Options(**{"n_aug": 40, "seed": 1, **options}), Resources(stopwords=stop, lexicon=lexicon))
    return [r["text"] for r in pipe.augment([{"text": text}]) if "_aug" in r]


@pytest.mark.parametrize("op", ["sr", "ri", "rs", "rd"])
def test_negation_stays_and_keeps_its_head(op: str) -> None:
    # The head itself may take a synonym (good -> nice); the negation may not move or change.
    for text in copies("the car is not good and fast", ops=(op,), alpha=0.5):
        assert re.search(r"\bnot (good|nice)\b", text), text
    for text in copies("the car isn't good today", ops=(op,), alpha=0.5):
        assert re.search(r"\bisn't (good|nice)\b", text), text


def test_without_guards_deletion_may_drop_not() -> None:
    assert any("not" not in t for t in copies("the car is not good", ops=("rd",), alpha=0.5, guards=False))
    assert all("not" in t for t in copies("the car is not good", ops=("rd",), alpha=0.5))


def test_sense_policy_restricts_synonyms() -> None:
    senses = TABLE["dog"]
    assert [s.synonyms for s in choose_senses(senses, "all")] == [("domestic dog",), ("frump",), ("chase",)]
    assert [s.synonyms for s in choose_senses(senses, "top")] == [("domestic dog",)]  # 5 < 42 / 4
    seen_top = {t for t in copies("a dog", ops=("sr",))}
    seen_all = {t for t in copies("a dog", ops=("sr",), senses="all")}
    assert seen_top == {"a domestic dog"}
    assert seen_all == {"a domestic dog", "a frump", "a chase"}
    # "good" is mostly an adjective: its noun sense never gives a synonym by default
    assert {t for t in copies("good", ops=("sr",))} == {"nice"}


def test_user_synonyms_add_and_replace() -> None:
    lines = ("car\tmotorcar", "!fast\tspeedy\trapid")
    got = {t for t in copies("car fast", ops=("sr",), alpha=0.5, synonyms=lines)}
    words = {w for t in got for w in t.split()}
    assert {"automobile", "motorcar"} <= words  # added to WordNet's
    assert "quick" not in words and {"speedy", "rapid"} & words  # replaced WordNet's
    with pytest.raises(Exception, match="expected word<TAB>synonym"):
        parse_synonyms(["lonely"])


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), op=st.sampled_from(["sr", "ri", "rs", "rd"]))
def test_protected_terms_are_never_touched(seed: int, op: str) -> None:
    text = "my good dog drove the fast car from New York to COVID-free Paris"
    pattern = parse_protect(["New York", "re:COVID-\\w+", "paris"])
    assert pattern is not None
    for out in copies(text, ops=(op,), alpha=0.6, seed=seed, protect=("New York", "re:COVID-\\w+", "paris")):
        assert [m.group() for m in pattern.finditer(out)] == ["New York", "COVID-free", "Paris"]


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32), n=st.integers(1, 30))
def test_punct_only_adds_marks(seed: int, n: int) -> None:
    words = ["alpha", "Beta", "https://x.io", "42kg", "gamma", "🚀", "delta"]
    text = " ".join(words[i % len(words)] for i in range(n)) + "."
    tokens = tokenize(text)
    out = get("punct")(alpha=0.1, resources=Resources())(tokens, Random(seed))
    assert out.words == tokens.words
    assert protected_tokens(out.text()) == protected_tokens(text)
    added = re.sub(r"\s", "", "".join(out.seps))
    original = re.sub(r"\s", "", "".join(tokens.seps))
    # remove the original separator characters in order; what is left are the new marks
    rest = list(added)
    for ch in original:
        rest.remove(ch)
    assert rest and set(rest) <= set(".;?:!,")
    assert 1 <= len(rest) <= max(1, len(tokens.words) // 3)


def test_punct_is_listed_and_usable(tmp_path: Path) -> None:
    proc = run_cli("augment", "-", "-o", "-", "--ops", "punct", "--n-aug", "2",
                   stdin=b'{"text": "one two three four five six"}\n')
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 3 and all(r["_aug"]["ops"] == ["punct"] for r in rows[1:])
    assert "punct" in run_cli("list").stdout.decode()


@pytest.mark.parametrize(
    ("args", "copies_per_record"),
    [(["--preset", "n500"], 16), (["--preset", "n500", "--n-aug", "2"], 2), (["--preset", "auto"], 16),
     (["--preset", "n5000"], 4)],
)
def test_presets(tmp_path: Path, args: list[str], copies_per_record: int) -> None:
    data = tmp_path / "d.jsonl"
    rows = [{"id": i, "text": f"the happy dog {i} runs home fast"} for i in range(30)]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    proc = run_cli("augment", str(data), "-o", str(tmp_path / "out"), *args)
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["options"]["n_aug"] == copies_per_record
    assert manifest["counts"]["copies"] == 30 * copies_per_record
    if args[1] == "n500":
        assert manifest["options"]["alpha"] == 0.05


def test_preset_auto_refuses_stdin() -> None:
    proc = run_cli("augment", "-", "-o", "-", "--preset", "auto", stdin=b'{"text": "a b"}\n')
    assert proc.returncode == 2 and "--preset auto counts the input first" in proc.stderr.decode()

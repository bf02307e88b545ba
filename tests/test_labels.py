"""Operations that keep the label: negations, question words, content words; only new copies; the label filter."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from augtool.augmenters import Resources
from augtool.guards import is_negation, keeps_apart, label_bound
from augtool.pipeline import Options, Pipeline
from augtool.tokens import tokenize

from .conftest import TINY_STOPWORDS, run_cli

# Negations as they appear in raw and in tokenised corpora; each (verb, negation) pair must stay together.
# A split-off "nt" / "n't" / "t" binds its verb; a whole negation word binds only itself and its head.
NEGATIONS = [("does", "nt"), ("do", "n't"), ("don", "t"), ("ca", "nt"), ("not",), ("never",),
             ("isnt",), ("won't",), ("no",), ("wasn't",), ("didn", "t")]
QUESTIONS = ["what", "which", "who", "how", "why", "when", "where"]
WORDS = ["quick", "fox", "jumps", "dog", "lazy", "car", "happy", "house", "red", "green", "film", "plot",
         "the", "a", "over", "and", "of", "my"]
OPS = ("sr", "ri", "rs", "rd", "punct")


def _content(words: list[str]) -> list[str]:
    return [w for w in words if w.lower() not in TINY_STOPWORDS and any(c.isalpha() for c in w)]


@st.composite
def negated(draw: st.DrawFn) -> tuple[str, tuple[str, ...]]:
    """A sentence with one negation (one or two words) followed by its head."""
    before = draw(st.lists(st.sampled_from([*WORDS, "is"]), max_size=8))
    negation = draw(st.sampled_from(NEGATIONS))
    head = draw(st.sampled_from(["funny", "good", "fast"]))  # no synonyms in the tiny lexicon
    after = draw(st.lists(st.sampled_from(WORDS), max_size=8))
    return " ".join([*before, *negation, head, *after]), (*negation, head)


@st.composite
def questions(draw: st.DrawFn) -> tuple[str, tuple[str, str]]:
    """A question opening with a question word and its head."""
    word = draw(st.sampled_from(QUESTIONS))
    head = draw(st.sampled_from(["is", "did", "films", "many", "does"]))
    rest = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=10))
    return " ".join([word, head, *rest]) + draw(st.sampled_from(["", " ?"])), (word, head)


def _copies(resources: Resources, text: str, ops: tuple[str, ...] = OPS, **kw: object) -> list[str]:
    options = Options(ops=ops, n_aug=10, alpha=0.3, seed=3, **kw)  # type: ignore[arg-type]
    return [r["text"] for r in Pipeline(options, resources).augment([{"text": text}]) if "_aug" in r]


@settings(max_examples=60, deadline=None)
@given(negated())
def test_no_copy_loses_or_splits_a_negation(resources: Resources, case: tuple[str, tuple[str, ...]]) -> None:
    text, kept = case
    for copy in _copies(resources, text):
        words = tokenize(copy).words
        # The negation with its verb and head, in order and adjacent: nothing deleted, moved or put between.
        n = len(kept)
        assert any(tuple(words[i:i + n]) == kept for i in range(len(words))), (text, copy)


@settings(max_examples=60, deadline=None)
@given(questions())
def test_no_copy_loses_moves_or_precedes_its_question_word(resources: Resources,
                                                             case: tuple[str, tuple[str, str]]) -> None:
    text, (word, head) = case
    for copy in _copies(resources, text):
        words = tokenize(copy).words
        assert words[:2] == [word, head], (text, copy)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
def test_deletion_never_takes_the_last_content_word(resources: Resources, words: list[str]) -> None:
    text = " ".join(words)
    for copy in _copies(resources, text, ops=("rd",)):
        if _content(words):
            assert _content(tokenize(copy).words), (text, copy)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([*WORDS, "not", "what"]), min_size=1, max_size=8))
def test_dedup_writes_only_new_copies(resources: Resources, words: list[str]) -> None:
    text = " ".join(words)
    copies = _copies(resources, text)
    assert text not in copies
    assert len(set(copies)) == len(copies)


def test_no_dedup_gives_exactly_n_copies_where_an_op_applies(resources: Resources) -> None:
    # "red green" has one other order: with --dedup 1 copy, without it 10 (repeats).
    assert len(_copies(resources, "red green", ops=("rs",))) == 1
    assert len(_copies(resources, "red green", ops=("rs",), dedup=False)) == 10


def test_fewer_copies_when_no_safe_change_is_left(resources: Resources) -> None:
    # Every word is bound (question word + head, negation + its verb + head): rs and rd have nothing
    # they may touch, so nothing is written rather than a damaging copy.
    pipe = Pipeline(Options(ops=("rs", "rd"), n_aug=4), resources)
    result = pipe.process_line(b'{"text": "what is nt it"}', 1)
    assert (result.copies, result.unchanged) == (0, True)
    # Two free words: one swap, and deleting either (not both: the last content word stays),
    # so three distinct safe copies exist; the fourth is not written.
    result = pipe.process_line(b'{"text": "what is red car"}', 2)
    texts = [json.loads(line)["text"] for line in result.lines[1:]]
    assert sorted(texts) == ["what is car", "what is car red", "what is red"] and result.dropped == 1


def test_guard_helpers_by_hand() -> None:
    assert sorted(label_bound(tokenize("how did it end , it is nt clear"))) == [0, 1, 5, 6, 7]
    assert [is_negation(w) for w in ("nt", "n't", "t", "isnt", "nothing", "note")] == [True] * 2 + [False, True,
                                                                                             True, False]
    assert keeps_apart("is", "nt") and keeps_apart("don", "t") and keeps_apart("what", "is")
    assert not keeps_apart("it", "t") and not keeps_apart("red", "car")


def test_guards_off_lets_operations_touch_them(resources: Resources) -> None:
    copies = _copies(resources, "what is the red car and the house", ops=("rs",), guards=False)
    assert any(not c.startswith("what is") for c in copies)


# --filter-by-label
sklearn = pytest.importorskip("sklearn")

POS = ["good fun film", "great fun plot", "lovely good film", "great lovely story", "fun good cast"]
NEG = ["bad dull film", "awful dull plot", "terrible bad film", "awful terrible story", "dull bad cast"]


def _labelled(tmp_path: Path) -> Path:
    data = tmp_path / "d.jsonl"
    rows = [{"id": i, "text": t, "label": "pos"} for i, t in enumerate(POS * 4)]
    rows += [{"id": 100 + i, "text": t, "label": "neg"} for i, t in enumerate(NEG * 4)]
    # A record whose label contradicts its words: its copies read as the other label.
    rows.append({"id": 999, "text": "awful terrible dull bad", "label": "pos"})
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return data


def test_label_filter_judges_each_copy_by_a_model_that_never_saw_its_source() -> None:
    from augtool.labelfilter import FOLDS, LabelFilter, fold_of

    texts, labels = POS * 4 + NEG * 4, ["pos"] * 20 + ["neg"] * 20
    judge = LabelFilter.fit(texts, labels, threshold=0.6)
    assert len(judge.models) == FOLDS
    # The model judging "good fun film" was trained without any text of its fold, so not on it.
    fold = fold_of("good fun film")
    assert fold == fold_of("GOOD  fun film") and "good fun film" in {t for t in texts if fold_of(t) == fold}
    assert judge.keep("good fun film", "pos", ["good fun", "awful terrible dull"]) == [True, False]
    assert judge.keep("good fun film", "neg", ["good fun"]) == [False]  # the source's label is what counts
    lax = LabelFilter.fit(texts, labels, threshold=1.0)
    assert lax.keep("good fun film", "pos", ["awful terrible dull"]) == [True]  # nothing is that sure


def test_filter_by_label_is_deterministic_and_counted(tmp_path: Path) -> None:
    data = _labelled(tmp_path)
    args = ("augment", str(data), "-o", "-", "--ops", "rs", "-n", "2", "--seed", "1")
    plain = run_cli(*args)
    first = run_cli(*args, "--filter-by-label", "label", "--filter-threshold", "0.6")
    again = run_cli(*args, "--filter-by-label", "label", "--filter-threshold", "0.6")
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout and first.stderr.split(b";")[:-1] == again.stderr.split(b";")[:-1]
    rows = [json.loads(line) for line in first.stdout.splitlines()]
    kept = {(r["_aug"]["source"]) for r in rows if "_aug" in r}
    assert 999 not in kept  # "awful terrible dull bad" labelled pos: both its copies read neg
    plain_copies = sum("_aug" in json.loads(line) for line in plain.stdout.splitlines())
    copies = sum("_aug" in r for r in rows)
    assert plain_copies - copies >= 2
    assert "label filter: 5 cross-fitted models on 41 labelled originals" in first.stderr.decode()
    # Every copy the filter took is counted with the copies not written.
    def dropped(proc: object) -> int:
        text = proc.stderr.decode()  # type: ignore[attr-defined]
        found = re.search(r"([\d,]+) cop(?:y|ies) not written", text)
        return int(found[1].replace(",", "")) if found else 0

    assert dropped(first) - dropped(plain) == plain_copies - copies
    flips = plain_copies - copies
    assert f"{flips} label flip{'s' if flips > 1 else ''})" in first.stderr.decode()  # named apart from the rest
    assert "label flip" not in plain.stderr.decode()


def test_filter_by_label_needs_files_and_two_labels(tmp_path: Path) -> None:
    proc = run_cli("augment", "-", "-o", "-", "--filter-by-label", "label", stdin=b'{"text": "a b", "label": 1}\n')
    assert proc.returncode == 2
    assert "needs files, not stdin" in proc.stderr.decode()
    one = tmp_path / "one.jsonl"
    one.write_text('{"text": "red green blue", "label": 1}\n')
    proc = run_cli("augment", str(one), "-o", "-", "--filter-by-label", "label")
    assert proc.returncode == 2 and "at least two labels" in proc.stderr.decode()

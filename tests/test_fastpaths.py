"""The per-copy fast paths give what the general code gives, on the texts that could fool them.

Each fast path here skips work for the common text (single spaces between words, no
negation or question word, a kept content word early on) or reuses per-text work
between copies (``tokens.memo``); each test feeds it a text that looks common but is not.
"""

from __future__ import annotations

import random
import struct
from hashlib import blake2b

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from augtool import io
from augtool.apply import normalized
from augtool.augmenters import Policy, Resources, get, n_changes
from augtool.augmenters._synonyms import _ANCHOR_FROM, SynonymSource, _anchors
from augtool.guards import keeps_apart, label_bound, negation_parts
from augtool.rng import RecordRandom, Stream
from augtool.tokens import Tokens, _tokenize_full, tokenize

from .conftest import TINY_STOPWORDS


def _joined(words: list[str], seps: list[str]) -> str:
    """The text of words and separators, the plain way."""
    return "".join(sep + word for sep, word in zip(seps, words)) + seps[-1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "bb", "c"]), max_size=6).flatmap(
    lambda words: st.tuples(st.just(words), st.lists(st.sampled_from(["", " ", "  ", ", ", "\n", " x "]),
                                                     min_size=len(words) + 1, max_size=len(words) + 1))))
def test_text_joins_any_separators(case: tuple[list[str], list[str]]) -> None:
    words, seps = case
    assert Tokens(words, seps).text() == _joined(words, seps)


@pytest.mark.parametrize("seps", [
    [" ", " ", ", ", " "],  # as many " " as inner separators, but one of them at each end
    [" ", ", ", " ", " "],
    ["", " ", "  ", ""],
    [" ", " ", " ", " "],
])
def test_text_counts_only_inner_spaces(seps: list[str]) -> None:
    assert Tokens(["a", "b", "c"], seps).text() == _joined(["a", "b", "c"], seps)


def test_normalized_matches_split_join() -> None:
    texts = ["a b", " a b", "a b ", "a  b", "a\tb", "a\u00a0b", "a\u2028b", "a\x1cb", "", " ", "ab", "a\u200bb"]
    assert normalized(texts) == tuple(" ".join(text.split()) for text in texts)


@pytest.mark.parametrize("alpha", [0.0, 0.049, 0.05, 0.1, 0.25, 1 / 3, 1.0, 1.5])
def test_n_changes_is_edas_rounding(alpha: float) -> None:
    for n in range(40):
        assert n_changes(alpha, n) == max(1, int(alpha * n + 0.5))


# --- the guards' word cache ------------------------------------------------------------------


def test_label_bound_after_learning_every_word_but_the_negation() -> None:
    label_bound(tokenize("the film is good and the plot is fast"))
    assert sorted(label_bound(tokenize("the film is not good"))) == [3, 4]


def test_a_question_word_seen_mid_sentence_still_binds_at_the_start() -> None:
    label_bound(tokenize("I see why you came"))
    assert sorted(label_bound(tokenize("why you came"))) == [0, 1]


def test_a_t_seen_alone_still_ends_a_split_contraction() -> None:
    # "T" and "t" read as words of their own first ("Mr T", "a t shirt") must not be cached
    # as harmless: after "don" they are the tail of a negation.
    learn = tokenize("Mr T says I DON go, I don go: a t shirt is fine")
    label_bound(learn)
    negation_parts(learn.words)
    assert sorted(negation_parts(["I", "DON", "T", "go"])) == [1, 2]
    assert keeps_apart("DON", "T") and keeps_apart("T", "go", "DON") and keeps_apart("don", "t")
    assert sorted(negation_parts(["I", "don", "t", "go"])) == [1, 2]
    assert sorted(label_bound(tokenize("I don t go"))) == [1, 2, 3]


def test_negation_parts_of_known_words_is_empty() -> None:
    negation_parts(["a", "quick", "red", "car"])
    assert negation_parts(["a", "quick", "red", "car"]) == set()
    assert sorted(negation_parts(["a", "quick", "car", "isnt", "red"])) == [3]


def test_keeps_apart_between_known_words() -> None:
    label_bound(tokenize("I see why a quick red car is here"))
    assert not keeps_apart("quick", "red")
    assert keeps_apart("car", "why") and keeps_apart("why", "car")
    assert keeps_apart("not", "red") and keeps_apart("is", "nt")


# --- memo kept per text: one per guard setting ------------------------------------------------


def _policy(resources: Resources, guards: bool) -> Resources:
    return resources.with_policy(Policy(guards=guards))


@pytest.mark.parametrize("op", ["rs", "rd"])
def test_guarded_and_unguarded_ops_do_not_share_their_memo(resources: Resources, op: str) -> None:
    guarded = get(op)(alpha=0.5, resources=_policy(resources, True))
    free = get(op)(alpha=0.5, resources=_policy(resources, False))
    tokens = tokenize("not good film not red car")
    moved = False
    for seed in range(60):
        out = guarded(tokens, random.Random(seed))
        assert [w for w in out.words if w == "not"] == ["not", "not"]
        assert out.words.index("not") == 0 and out.words[1] == "good"
        out = free(tokens, random.Random(seed))
        moved = moved or out.words[:2] != ["not", "good"]
    assert moved, "without guards the negation must move or go sometimes"


def test_rs_memo_survives_copies_and_stays_deterministic(resources: Resources) -> None:
    rs = get("rs")(alpha=0.2, resources=resources)
    tokens = tokenize("red green blue pink gray")
    first = [rs(tokens, RecordRandom(b"k%d" % i)).text() for i in range(20)]
    again = [rs(tokenize("red green blue pink gray"), RecordRandom(b"k%d" % i)).text() for i in range(20)]
    assert first == again
    assert tokens.text() == "red green blue pink gray"


def test_rs_on_identical_words_changes_nothing(resources: Resources) -> None:
    rs = get("rs")(alpha=0.5, resources=resources)
    tokens = tokenize("la la la la")
    assert rs(tokens, random.Random(1)) is tokens
    assert rs(tokens, random.Random(2)) is tokens  # the memo of "nothing to swap" answers the same


# --- rd: the lazy content check ---------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from([*sorted(TINY_STOPWORDS)[:6], "Film", "car"]), min_size=2, max_size=8),
       seed=st.integers(0, 10_000))
def test_rd_never_takes_the_last_content_word(resources: Resources, words: list[str], seed: int) -> None:
    rd = get("rd")(alpha=0.9, resources=resources)
    out = rd(tokenize(" ".join(words)), random.Random(seed))
    if any(w.lower() not in resources.stopwords for w in words):
        assert any(w.lower() not in resources.stopwords for w in out.words)
    assert len(out.words) >= 1


# --- Fixed expressions: the ones indexed by their neighbour allow what trying them all allows -----

_MANY_FIXED = ["family", "court", "take", "set", "break", "look", "time", "way", "hand", "heart", "mind",
               "out", "line", "point", "order", "run"]
_FILLERS = ["the", "it", "up", "out", "of", "a", "court", "myself", "his", "and", "dog", "in"]


@pytest.fixture(scope="module")
def bundled_source() -> SynonymSource:
    return SynonymSource(Resources(stopwords=io.load_stopwords(), lexicon=io.load_lexicon(),
                                   morphology=io.load_morphology()))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_anchored_expressions_allow_what_trying_all_allows(bundled_source: SynonymSource, data: st.DataObject) -> None:
    head = data.draw(st.sampled_from(_MANY_FIXED))
    fixed = bundled_source._resources.lexicon.collocations(head)
    assert len(fixed) > _ANCHOR_FROM
    filler = st.sampled_from(_FILLERS)
    if data.draw(st.booleans()):  # lay one expression out, so that some texts match
        c = data.draw(st.sampled_from(fixed))
        stand_in = {"*": data.draw(filler), "oneself": "myself", "one's": "his"}
        around = [stand_in.get(part, part) for part in c.before], [stand_in.get(part, part) for part in c.after]
    else:
        around = data.draw(st.lists(filler, max_size=3)), data.draw(st.lists(filler, max_size=3))
    prefix = [*data.draw(st.lists(filler, max_size=2)), *around[0]]
    words = [*prefix, head, *around[1], *data.draw(st.lists(filler, max_size=2))]
    i = len(prefix)
    pool = bundled_source._anchored(_anchors(fixed), words, i)
    assert bundled_source._fixed(pool, words, i) == bundled_source._fixed(fixed, words, i)


def test_anchored_expressions_find_a_family_name(bundled_source: SynonymSource) -> None:
    anchors = _anchors(bundled_source._resources.lexicon.collocations("family"))
    assert bundled_source._fixed(bundled_source._anchored(anchors, ["family", "acanthaceae"], 0),
                                 ["family", "acanthaceae"], 0) == frozenset()
    assert bundled_source._anchored(anchors, ["family", "dog"], 0) == list(anchors.loose)


@pytest.mark.parametrize("text", ["The court will take the big family out for a time",  # court: no synonym since sr 21
                                  "an old heart , a kind mind ; set it out and run the line",
                                  "the film was a huge success and the actors were brilliant"])
def test_choices_kept_per_text_are_the_choices_in_context(bundled_source: SynonymSource, text: str) -> None:
    tokens = tokenize(text)
    expected = [bundled_source.choices_at(tokens.words, i) for i in range(len(tokens.words))]
    assert any(expected)
    for _ in range(2):  # computed, then read back from the text's memo
        assert [bundled_source.choices_in(tokens, i) for i in range(len(tokens.words))] == expected


# --- RecordRandom: the inlined reads draw what the plain stream gives -------------------------


def _stream(key: bytes) -> list[int]:
    """The first 64 words of key's stream, computed from the definition in augtool/rng.py."""
    out: list[int] = []
    for block in range(8):
        digest = blake2b(key, digest_size=64, salt=block.to_bytes(16, "little")).digest()
        out += struct.unpack("<8Q", digest)
    return out


def test_record_random_reads_the_stream_in_order() -> None:
    words = _stream(b"key")
    rng = RecordRandom(b"key")
    draws = [rng.random(), rng.choice("abcdefg"), rng.randint(3, 9), rng.randrange(5), rng.random()]
    n = 7
    expected = [
        (words[0] >> 11) * 2.0**-53,
        "abcdefg"[(words[1] * n) >> 64],
        3 + ((words[2] * 7) >> 64),
        (words[3] * 5) >> 64,
        (words[4] >> 11) * 2.0**-53,
    ]
    assert draws == expected
    rng = RecordRandom(b"key")
    for _ in range(9):  # past the first block's eight words
        rng.random()
    assert rng.choice(range(1000)) == (words[9] * 1000) >> 64


def test_every_block_is_the_keyed_hash_of_its_number() -> None:
    """Blocks 0-63 start from a copied salted state, later ones from the constructor: both are the definition."""
    rng = RecordRandom(b"long record")
    words = [rng.getrandbits(64) for _ in range(8 * 66)]
    for block in (0, 1, 63, 64, 65):
        digest = blake2b(b"long record", digest_size=64, salt=block.to_bytes(16, "little")).digest()
        assert words[8 * block : 8 * block + 8] == list(struct.unpack("<8Q", digest)), block


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=12), st.lists(st.sampled_from(["random", "choice", "randrange"]), max_size=12),
       st.integers(0, 40), st.integers(0, 3))
def test_randoms_are_the_next_random_calls(key: bytes, before: list[str], n: int, after: int) -> None:
    """rd draws a number per word in one call; the stream and what follows it are unchanged."""
    a, b = RecordRandom(key), RecordRandom(key)
    for name in before:
        for rng in (a, b):
            getattr(rng, name)(*(() if name == "random" else ("abcdefg",) if name == "choice" else (7,)))
    assert a.randoms(n) == [b.random() for _ in range(n)]
    tail_a = [a.random() for _ in range(after)] + [a.randrange(9)]
    assert tail_a == [b.random() for _ in range(after)] + [b.randrange(9)]


_M = 2**64 - 1
# Range sizes from 1 to past 2**64: small ones, ones whose 2**64 mod n rejects often (2**63 + 5 rejects
# about half the words), and wide ones that random.Random's getrandbits rejection draws.
_SIZES = st.one_of(st.integers(1, 60), st.sampled_from([2**32 - 1, 2**32 + 1, 2**40 + 3, 2**63 + 5, 2**64 - 1,
                                                        2**64, 2**64 + 1, 2**70 + 1, 10**30]))
_DRAW = st.one_of(
    st.tuples(st.just("random")), st.tuples(st.just("getrandbits"), st.integers(0, 130)),
    st.tuples(st.just("randrange"), _SIZES), st.tuples(st.just("randint"), st.integers(-9, 9), _SIZES),
    st.tuples(st.just("randrange"), st.integers(-50, 50), st.integers(-50, 50), st.sampled_from([1, 2, 3, -1, -4])),
    st.tuples(st.just("choice"), st.integers(1, 12)),
    st.tuples(st.just("sample"), st.integers(0, 300), st.integers(0, 40)),
)


def _draw(rng: Stream | RecordRandom, call: tuple) -> object:  # type: ignore[type-arg]
    name, *args = call
    if name == "choice":
        return rng.choice("abcdefghijkl"[: args[0]])
    if name == "sample":
        size, k = args
        return rng.sample(list(range(size)), min(k, size))
    if name == "randint":
        low, high = args
        return rng.randint(low, low + high - 1)
    try:
        return getattr(rng, name)(*args)
    except ValueError:  # an empty range: both must refuse it, and draw nothing
        return ValueError


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=12), st.lists(_DRAW, max_size=30))
def test_stream_draws_what_record_random_draws(key: bytes, calls: list[tuple]) -> None:  # type: ignore[type-arg]
    """The built-in operations draw from a Stream, plugins from a RecordRandom: one sequence either way.

    RecordRandom.sample is random.Random's own (over the stream's words), so this also holds
    Stream.sample to CPython's algorithm, both ways (partial shuffle, set of positions).
    """
    stream, view = Stream(key), RecordRandom(key)
    assert [_draw(stream, call) for call in calls] == [_draw(view, call) for call in calls]
    assert stream.random() == view.random()  # and both stand at the same place after


def test_stream_sample_switches_method_where_random_sample_does() -> None:
    """Population sizes on both sides of random.Random.sample's threshold (21, then 21 + 4**ceil(log4(3k)))."""
    import math

    for k in range(0, 45):
        threshold = 21 + (4 ** math.ceil(math.log(k * 3, 4)) if k > 5 else 0)
        for n in {max(k, threshold - 1), max(k, threshold), threshold + 1}:
            key = b"%d/%d" % (k, n)
            assert Stream(key).sample(range(n), k) == RecordRandom(key).sample(range(n), k), (k, n)


@pytest.mark.parametrize("n", [3, 1000, 2**32 + 1, 2**40 + 3, 2**63 + 5, 2**64 - 1])
def test_below_is_the_high_word_of_the_product(n: int) -> None:
    """Lemire's method, written out: the high 64 bits of word * n, redrawing while the low 64 bits
    fall below 2**64 mod n; the compiled build computes the product in 128 bits (install-check compares)."""
    for key in (b"a", b"b", b"c", b"d"):
        words = _stream(key)
        expected, used = [], 0
        for _ in range(4):
            product = words[used] * n
            used += 1
            while product & _M < 2**64 % n:
                product = words[used] * n
                used += 1
            expected.append(product >> 64)
        stream = Stream(key)
        assert [stream.below(n) for _ in range(4)] == expected
        assert stream.random() == (words[used] >> 11) * 2.0**-53


def test_a_plugin_draws_the_pipeline_stream_through_a_random(resources: Resources) -> None:
    """Built-in operations get the pipeline's Stream; a plugin a random.Random reading that same stream."""
    from typing import ClassVar

    from augtool import augmenters
    from augtool.identity import identity_key, record_key
    from augtool.pipeline import Options, Pipeline

    seen: list[tuple[type, float]] = []

    @augmenters.register
    class Coin:
        name: ClassVar[str] = "test-coin"
        summary: ClassVar[str] = "heads or tails for the first word"
        version: ClassVar[int] = 1

        def __init__(self, *, alpha: float, resources: Resources) -> None:
            pass

        def __call__(self, tokens: Tokens, rng: random.Random) -> Tokens:
            draw = rng.random()
            seen.append((type(rng), draw))
            return Tokens([f"coin{draw}", *tokens.words[1:]], tokens.seps)

    try:
        pipe = Pipeline(Options(ops=("test-coin",), n_aug=3, seed=4), resources)
        list(pipe.augment([{"id": "r1", "text": "one two three"}]))
    finally:
        augmenters._registry.pop("test-coin")
    stream = Stream(record_key(4, identity_key("r1")))
    assert seen == [(RecordRandom, stream.random()) for _ in range(3)]


class _OwnRandom(RecordRandom):
    """A subclass: rd must call its random() per word rather than the batch read."""


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["the", "film", "is", "not", "good", "(", ")", "I", "see", ",", "'s"]),
                min_size=2, max_size=30), st.binary(max_size=6), st.sampled_from([0.1, 0.3, 0.7]))
def test_rd_batch_draws_delete_what_per_word_draws_delete(words: list[str], key: bytes, alpha: float) -> None:
    """RecordRandom: rd reads its stream in one call; the subclass: one random() at a time (rng.stream_of)."""
    rd = get("rd")(alpha=alpha, resources=Resources(stopwords=TINY_STOPWORDS))
    text = " ".join(words)
    assert rd(tokenize(text), RecordRandom(key)).text() == rd(tokenize(text), _OwnRandom(key)).text()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["the", "film", "is", "not", "good", "(", ")", "I", "see", ",", "'s", "red"]),
                min_size=2, max_size=30), st.binary(max_size=6))
def test_rs_swaps_the_same_from_a_stream_and_from_a_generator_over_it(words: list[str], key: bytes) -> None:
    """rs draws from the stream itself for RecordRandom, and through randrange for any other generator."""
    rs = get("rs")(alpha=0.3, resources=Resources(stopwords=TINY_STOPWORDS))
    text = " ".join(words)
    assert rs(tokenize(text), RecordRandom(key)).text() == rs(tokenize(text), _OwnRandom(key)).text()


def test_randint_draws_as_randrange() -> None:
    a, b = RecordRandom(b"x"), RecordRandom(b"x")
    for low, high in [(0, 0), (0, 5), (-3, 3), (10, 10**6)]:
        assert [a.randint(low, high) for _ in range(20)] == [b.randrange(low, high + 1) for _ in range(20)]
    with pytest.raises(ValueError):
        a.randint(5, 2)


def test_rd_memo_is_per_stopword_list(resources: Resources) -> None:
    tokens = tokenize("the film")
    few = get("rd")(alpha=1.0, resources=Resources(stopwords=frozenset({"the"})))
    every = get("rd")(alpha=1.0, resources=Resources(stopwords=frozenset({"the", "film"})))
    assert {few(tokens, random.Random(seed)).text() for seed in range(30)} == {"film"}
    # With "film" a stopword too there is no content word to save: either word may go.
    assert {every(tokens, random.Random(seed)).text() for seed in range(30)} == {"film", "the"}


@pytest.mark.parametrize("mark", sorted("0123456789@#/<>[]{}$%_&\\`~;."))
def test_tokenize_fast_path_sees_every_trigger(mark: str) -> None:
    for text in (f"good {mark} day", f"good{mark}day", f"{mark}good day", f"good day{mark}", "amp; quot; good"):
        assert tokenize(text) == _tokenize_full(text)


def test_punct_memo_is_per_guard_setting(resources: Resources) -> None:
    guarded = get("punct")(alpha=0.1, resources=_policy(resources, True))
    free = get("punct")(alpha=0.1, resources=_policy(resources, False))
    tokens = tokenize("it is not good at all")
    for seed in range(40):
        assert "not good" in guarded(tokens, random.Random(seed)).text()
    assert any("not good" not in free(tokens, random.Random(seed)).text() for seed in range(40))
    assert tokens.text() == "it is not good at all"


def test_a_capital_t_read_earlier_does_not_unbind_a_later_split_negation() -> None:
    """What negation_bound remembers across texts must not change a later text's answer:
    "T" on its own ("Mr T") is no negation, but after "DON" it is one's tail."""
    from augtool.guards import negation_bound

    expected = {1, 2, 3}  # DON, T and the verb after it
    assert negation_bound(["I", "DON", "T", "go"]) == expected
    assert negation_bound(["Mr", "T", "arrived"]) == set()
    assert negation_bound(["I", "DON", "T", "go"]) == expected
    assert negation_bound(["Mr", "t", "x"]) == set()
    assert negation_bound(["I", "don", "t", "go"]) == expected

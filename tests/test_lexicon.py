"""The synonym table: file format round trip, ranking, lookups, malformed files, bundled data."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from augtool.errors import LexiconError
from augtool.lexicon import _FIXED_FIELD, FORMAT, Collocation, Lexicon, Sense
from augtool.lexwrite import dumps_lexicon

BUNDLED = Path(__file__).resolve().parent.parent / "corpora" / "wordnet-3.0.lex.gz"

TABLE = {
    "car": [
        Sense("n", 71, ("auto", "automobile", "machine")),
        Sense("n", 2, ("railcar",)),
        Sense("n", 0, ()),
    ],
    "new york": [Sense("n", 46, ("New York City", "Greater New York"))],
    "run": [Sense("n", 18, ("tally",)), Sense("v", 3, ("go", "operate"))],
}
INFO = {"name": "tiny", "source": "hand-written", "license": "MIT", "built": "2024-01"}


def load_bytes(data: bytes) -> Lexicon:
    """Load a lexicon from bytes, the way callers hand it an open file."""
    return Lexicon.load(io.BytesIO(data))


def test_dumps_writes_the_documented_format() -> None:
    text = dumps_lexicon(TABLE, INFO).decode("utf-8")
    assert text == (
        "#format: augtool-lexicon/3\n"
        "#name: tiny\n"
        "#source: hand-written\n"
        "#license: MIT\n"
        "#built: 2024-01\n"
        "#entries: 3\n"
        "car\tn:71:auto|automobile|machine\tn:2:railcar\tn:0:\n"
        "new york\tn:46:New York City|Greater New York\n"
        "run\tn:18:tally\tv:3:go|operate\n"
    )


@pytest.mark.parametrize("compress", [False, True])
def test_round_trip(compress: bool) -> None:
    data = dumps_lexicon(TABLE, INFO)
    lex = load_bytes(gzip.compress(data) if compress else data)
    assert lex.info == {**INFO, "format": FORMAT, "entries": "3"}
    assert len(lex) == 3
    assert lex.senses("car") == tuple(TABLE["car"])
    assert lex.senses("new york") == tuple(TABLE["new york"])
    # Written again, the loaded table gives the same bytes.
    again = {head: lex.senses(head) for head in TABLE}
    assert dumps_lexicon(again, lex.info) == data


def test_senses_rank_by_count_then_file_order() -> None:
    unranked = {"run": [Sense("v", 3, ("go", "operate")), Sense("n", 18, ("tally",))]}
    for lex in (Lexicon.from_senses(unranked), load_bytes(dumps_lexicon(unranked, {}))):
        assert [(s.pos, s.count) for s in lex.senses("run")] == [("n", 18), ("v", 3)]
    tied = {"x": [Sense("v", 1, ("b",)), Sense("n", 5, ("a",)), Sense("r", 1, ("c",))]}
    for lex in (Lexicon.from_senses(tied), load_bytes(dumps_lexicon(tied, {}))):
        assert [s.synonyms for s in lex.senses("x")] == [("a",), ("b",), ("c",)]


def test_synonyms_dedup_case_insensitively_and_never_include_the_word() -> None:
    lex = Lexicon.from_senses(
        {
            "Bank": [
                Sense("n", 1, ("depository", "Bank", "savings bank")),
                Sense("n", 9, ("Depository", "BANK", "shore")),
                Sense("v", 0, ("bank", "trust", "shore")),
            ]
        }
    )
    assert lex.synonyms("bank") == ("Depository", "shore", "savings bank", "trust")
    assert lex.synonyms("BANK") == lex.synonyms("bank")
    assert lex.senses("Bank")[0].count == 9


def test_absent_words_and_contains() -> None:
    lex = Lexicon.from_senses({**TABLE, "lonely": [Sense("a", 4, ())]})
    assert lex.senses("zebra") == ()
    assert lex.synonyms("zebra") == ()
    assert "car" in lex
    assert "CAR" in lex
    assert "zebra" not in lex
    assert "lonely" not in lex  # a head word without any synonym
    assert len(lex) == 4


def test_lookup_in_a_loaded_file_finds_first_middle_last_and_misses() -> None:
    table = {f"w{i:03d}": [Sense("n", i, (f"s{i}",))] for i in range(200)}
    lex = load_bytes(dumps_lexicon(table, {}))
    assert lex.synonyms("w000") == ("s0",)
    assert lex.synonyms("w117") == ("s117",)
    assert lex.synonyms("w199") == ("s199",)
    # Near misses: a prefix of a head, a head plus a letter, before the first, after the last.
    for word in ("w", "w11", "w1170", "a", "z", "w117\t"):
        assert lex.senses(word) == (), word


def test_a_multiword_head_does_not_shadow_its_first_word() -> None:
    # Given out of order: dumps must sort for the loader's bisection to find them.
    table = {"a-b": [Sense("n", 0, ("x",))], "a b": [Sense("n", 0, ("two",))], "a": [Sense("n", 0, ("one",))]}
    data = dumps_lexicon(table, {})
    assert data.decode().splitlines()[2:] == ["a\tn:0:one", "a b\tn:0:two", "a-b\tn:0:x"]
    lex = load_bytes(data)
    assert lex.synonyms("a") == ("one",)
    assert lex.synonyms("a b") == ("two",)


def test_from_senses_fills_info_defaults() -> None:
    lex = Lexicon.from_senses(TABLE)
    assert lex.info == {
        "name": "custom",
        "format": FORMAT,
        "source": "",
        "license": "",
        "built": "",
        "entries": "3",
    }


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ({"Car": [Sense("n", 1, ("auto",))]}, "lowercase"),
        ({"car": []}, "have senses"),
        ({"#car": [Sense("n", 1, ("auto",))]}, "'#"),
        ({"car": [Sense("n", 1, ("au|to",))]}, "separator '|'"),
        ({"car": [Sense("n", 1, ("au\tto",))]}, "separator '\\t'"),
        ({"car": [Sense("s", 1, ("auto",))]}, "bad sense"),
        ({"car": [Sense("n", -1, ("auto",))]}, "bad sense"),
        ({"bush": [Sense("N", 1, ("shrub",))]}, "bad sense"),  # a name sense never has synonyms
    ],
)
def test_dumps_refuses_what_it_could_not_read_back(table: dict[str, list[Sense]], fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        dumps_lexicon(table, {})
    assert fragment in str(info.value)


GOOD = b"#format: augtool-lexicon/1\n#entries: 2\ncar\tn:1:auto\nrun\tv:2:go\n"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\x80\x81", "not UTF-8"),
        (b"\x1f\x8b\x08\x00garbage", "not valid gzip"),
        (gzip.compress(GOOD)[:-12], "not valid gzip"),  # truncated download
        (b"car\tn:1:auto\n", "format None"),
        (b"#format: augtool-lexicon/9\ncar\tn:1:auto\n", "augtool-lexicon/9"),
        (b"#format augtool-lexicon/1\n", "not '#key: value'"),
        (GOOD.replace(b"#entries: 2", b"#entries: 3"), "says 3 entries but the file has 2"),
        (b"#format: augtool-lexicon/1\nrun\tv:2:go\ncar\tn:1:auto\n", "sorted"),
    ],
)
def test_malformed_files_raise_at_load(data: bytes, fragment: str) -> None:
    with pytest.raises(LexiconError) as info:
        load_bytes(data)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        (b"car\tn:x:auto", "malformed sense"),
        (b"car\tq:1:auto", "malformed sense"),
        (b"car\tn:1", "malformed sense"),
        (b"car\tn:\xc2\xb2:auto", "malformed sense"),  # a non-ASCII digit, which int() would take
        (b"car\tN:1:auto", "malformed sense"),  # a name sense with synonyms
        (b"car", "no tab"),
        (b"car\tn:1:auto\ncar\tn:2:auto", "repeats"),
    ],
)
def test_malformed_entries_raise_on_lookup(line: bytes, fragment: str) -> None:
    lex = load_bytes(b"#format: augtool-lexicon/1\n" + line + b"\n")
    with pytest.raises(LexiconError) as info:
        lex.senses("car")
    assert fragment in str(info.value)


def test_name_senses_are_kept_apart_from_the_synonym_senses() -> None:
    # "Bush" the name (upper-case N) has a count but is no source of synonyms, and does not
    # outrank the common sense in senses(); names() reports it for the capitalised-word rule.
    data = b"#format: augtool-lexicon/2\nbush\tN:9:\tn:5:shrub\nshrub\tn:3:bush\n"
    lex = load_bytes(data)
    assert lex.senses("bush") == (Sense("n", 5, ("shrub",)),)
    assert lex.synonyms("Bush") == ("shrub",)
    assert lex.names("BUSH") == (Sense("N", 9, ()),)
    assert lex.names("shrub") == () and lex.names("zebra") == ()
    assert Sense("N", 9, ()).is_name and not Sense("n", 9, ()).is_name
    again = dumps_lexicon({"bush": lex.senses("bush") + lex.names("bush")}, {}).decode().splitlines()[-1]
    assert again == "bush\tn:5:shrub\tN:9:"  # written in the order given


FIXED = {"car": [Collocation(("armored",), ()), Collocation((), ("*", "up")), Collocation((), ("pool",), ("auto",))]}


def test_fixed_expressions_round_trip() -> None:
    data = dumps_lexicon(TABLE, INFO, FIXED)
    assert "car\tn:71:auto|automobile|machine\tn:2:railcar\tn:0:\t=armored _|_ * up|_ pool>auto\n" in data.decode()
    lex = load_bytes(data)
    assert lex.collocations("Car") == tuple(FIXED["car"])
    assert lex.senses("car") == tuple(TABLE["car"])  # the "=" field is not a sense
    assert lex.collocations("run") == () and lex.collocations("zebra") == ()
    # A lexicon rebuilt around parsed entries (as --synonyms does) still finds them in the raw lines.
    rebuilt = lex.overlay({"car": (Sense("n", 9, ("wheels",)),)}, lex.info)
    assert rebuilt.collocations("car") == tuple(FIXED["car"]) and rebuilt.synonyms("car") == ("wheels",)


@pytest.mark.parametrize("bad", ["car", "_", "a _ _", "a  _"])
def test_malformed_fixed_expressions(bad: str) -> None:
    with pytest.raises(LexiconError, match="lexicon entry 'car'"):
        load_bytes(b"#format: augtool-lexicon/3\ncar\tn:1:auto\t=" + bad.encode() + b"\n").senses("car")


def _parses(field: str) -> bool:
    try:
        for text in field.split("|"):
            Collocation.parse(text)
    except ValueError:
        return False
    return True


FIELDS = ["a _", "_ * up|_ of>sort,kind", "__ _", "_a _", "a _ _", "_ >x", "a _|", "a  _", " a _", "a _ ", "_>a",
          "a >_", "a b>c>d|_ x", "a\u00a0_"]


@given(st.one_of(st.sampled_from(FIELDS), st.text(alphabet=" _>|,ab\u00a0", max_size=14)))
def test_the_quick_check_of_fixed_expressions_agrees_with_parsing_them(field: str) -> None:
    # A lookup only checks a line's fixed expressions with this pattern and builds them when
    # asked; a pattern laxer than `Collocation.parse` would let a malformed file through.
    assert bool(_FIXED_FIELD.fullmatch(field)) == _parses(field)


def test_lookups_are_cached_without_changing_answers() -> None:
    data = dumps_lexicon(TABLE, INFO, FIXED)
    lex = load_bytes(data)
    for _ in range(2):  # the second time from the caches
        assert lex.senses("zebra") == () and lex.names("zebra") == () and lex.collocations("zebra") == ()
        assert lex.senses("CAR") == tuple(TABLE["car"]) and lex.synonyms("car") == ("auto", "automobile", "machine",
                                                                                   "railcar")
        assert lex.collocations("car") == tuple(FIXED["car"])
    # Fixed expressions are built after the senses were read, and the other way round.
    again = load_bytes(data)
    assert again.collocations("car") == tuple(FIXED["car"]) and again.senses("car") == tuple(TABLE["car"])
    # A miss looked up before an overlay does not hide the overlay's entry.
    overlaid = lex.overlay({"zebra": (Sense("n", 1, ("equine",)),)}, lex.info)
    assert overlaid.synonyms("zebra") == ("equine",) and lex.senses("zebra") == ()


def test_format_2_files_still_load() -> None:
    lex = load_bytes(b"#format: augtool-lexicon/2\nbush\tN:9:\tn:5:shrub\n")
    assert lex.synonyms("bush") == ("shrub",) and lex.collocations("bush") == ()


def test_format_1_files_still_load() -> None:
    lex = load_bytes(GOOD)
    assert lex.info["format"] == "augtool-lexicon/1"
    assert lex.synonyms("car") == ("auto",) and lex.names("car") == ()


def test_windows_line_ends_are_accepted() -> None:
    lex = load_bytes(GOOD.replace(b"\n", b"\r\n"))
    assert lex.synonyms("car") == ("auto",)
    assert lex.info["entries"] == "2"


def test_error_is_the_lexicon_exit_code() -> None:
    assert LexiconError.exit_code == 5


# --- the bundled WordNet lexicon -----------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Lexicon:
    with BUNDLED.open("rb") as fileobj:
        return Lexicon.load(fileobj)


def test_bundled_info(bundled: Lexicon) -> None:
    assert bundled.info["format"] == FORMAT
    assert bundled.info["source"] == "WordNet 3.0"
    assert "LICENSE-WordNet.txt" in bundled.info["license"]
    assert int(bundled.info["entries"]) == len(bundled) > 10_000
    assert "offensive senses dropped" in bundled.info["rules"]
    assert "offensive senses" in bundled.info["dropped"]


def test_bundled_has_no_underscores_and_no_self_synonyms(bundled: Lexicon) -> None:
    # Scan the raw file rather than trust the loader's view of it.
    text = gzip.decompress(BUNDLED.read_bytes()).decode("utf-8")
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert len(body) == len(bundled)
    for line in body:
        head, rest = line.split("\t", 1)
        senses_text, _, fixed = rest.partition("\t=")
        assert "_" not in senses_text, line
        assert all(part.count("_") == 1 for part in fixed.split("|")) if fixed else True, line
        senses = bundled.senses(head)
        assert any(sense.synonyms for sense in senses), head
        for sense in senses:
            assert head not in (synonym.lower() for synonym in sense.synonyms), head


def test_bundled_facts_checked_against_wordnet_files(bundled: Lexicon) -> None:
    # data.noun car.n.01 "car auto automobile machine motorcar", cntlist.rev 71, 2, 15, 0, 1: auto is
    # clipped from automobile, machine was never tagged in this sense, motorcar is rare (Zipf 2.2).
    assert bundled.senses("car")[0] == Sense("n", 71, ("automobile",))
    # happy: 37 (no synonyms), 2 (felicitous: untagged there), 0 (glad: 1 of its 5 tagged uses),
    # 0 (well-chosen: tagged once, its only sense); the satellites fold into "a".
    assert [(s.pos, s.count, s.synonyms) for s in bundled.senses("happy")] == [
        ("a", 37, ()),
        ("a", 2, ()),
        ("a", 0, ()),
        ("a", 0, ("well-chosen",)),
    ]
    # Names and abbreviations are upper-case senses: "Bush" (George Bush, ...) beside the shrub;
    # Denver, DM, LA, NY, PC, Inc, Tom (Uncle Tom), Jerry (Kraut), Monday (Mon), oh (Ohio) give nothing.
    assert bundled.names("bush") and bundled.synonyms("bush") == ("shrub",)
    for name in ("denver", "dm", "la", "ny", "pc", "inc", "jerry", "monday", "oh", "two", "u"):
        assert not bundled.synonyms(name), name
    # Neither the slur nor the bird: written lowercase, "tom" is mostly the name ("tom jones" read
    # "turkey cock jones" before the bird's sense went on the wrong-sense list, session 12).
    assert not bundled.synonyms("tom") and "tom" not in bundled
    # No synonym anywhere is capitalised, abbreviated, a numeral or a slur found in the issue.
    text = gzip.decompress(BUNDLED.read_bytes()).decode("utf-8")
    offered = {syn for line in text.splitlines() if not line.startswith("#")
               for field in line.split("\t")[1:] if not field.startswith("=")
               for syn in field.split(":", 2)[2].split("|") if syn}
    assert not {syn for syn in offered if syn != syn.lower() or "." in syn or any(c.isdigit() for c in syn)}
    assert not offered & {"uncle tom", "kraut", "queer", "dyke", "prick", "fag", "ii", "uracil", "lanthanum"}
    # Function words without a synset are absent, and so are closed-class words with one.
    assert "the" not in bundled and "like" not in bundled and "please" not in bundled


def test_bundled_fixed_expressions_and_register(bundled: Lexicon) -> None:
    # WordNet 3.0 has the lemmas appeals_court, special_effect, no_doubt, sort_out, kind_of and sort_of.
    assert Collocation(("appeals",), ()) in bundled.collocations("court")
    assert Collocation(("special",), ()) in bundled.collocations("effect")
    assert Collocation(("no",), ()) in bundled.collocations("doubt")
    assert {Collocation((), ("out",)), Collocation((), ("*", "out"))} <= set(bundled.collocations("sort"))
    assert Collocation((), ("of",), ("sort",)) in bundled.collocations("kind")  # "sort of" is a lemma too
    # government.n.01 is {government, authorities, regime}: one is loaded, one is plural.
    assert "regime" not in bundled.synonyms("government") and "authorities" not in bundled.synonyms("government")
    assert "squad" not in bundled.synonyms("team") and "horrifying" not in bundled.synonyms("horrible")
    assert "film" in bundled.synonyms("movie")


def test_bundled_offers_no_register_shift_nor_wrong_sense_pair(bundled: Lexicon) -> None:
    """The lists in lexbuild.rules hold in the shipped file (it is rebuilt by hand: `make lexicon`)."""
    from augtool.lexbuild.rules import REGISTER_SHIFTS, WRONG_SENSE

    text = gzip.decompress(BUNDLED.read_bytes()).decode("utf-8")
    offered = {syn for line in text.splitlines() if not line.startswith("#")
               for field in line.split("\t")[1:] if not field.startswith("=")
               for syn in field.split(":", 2)[2].split("|") if syn}
    assert not offered & REGISTER_SHIFTS
    assert "bump off" in REGISTER_SHIFTS and "utterly" in offered  # controls: the lists and the file are read
    for head, synonym in WRONG_SENSE:
        assert synonym not in {s for sense in bundled.senses(head) for s in sense.synonyms}, (head, synonym)
    # What the heads keep: "ultimately" is "in the end", "begin" "start" and "commence".
    assert bundled.synonyms("ultimately") == ("in the end",)
    assert set(bundled.synonyms("begin")) >= {"start", "commence"}

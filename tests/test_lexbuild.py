"""The lexicon builder, run on a tiny hand-written WordNet-format directory."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

from augtool.errors import LexiconError
from augtool.inflect import Morphology
from augtool.lexbuild import Rules, build_lexicon
from augtool.lexbuild.wordnet import LEXNAMES, lexnames_text
from augtool.lexicon import Lexicon, Sense

REPO = Path(__file__).resolve().parent.parent

# Synset lines as in WordNet's data.* files: offset lexfile ss_type w_cnt (word lex_id)... p_cnt
# pointers [frames] | gloss. `{name}` stands for the 8-digit byte offset of the synset `name`.
NOUNS = {
    "car": "{car} 06 n 03 car 0 auto 0 automobile 0 000 | a motor vehicle  ",
    "rail": "{rail} 06 n 02 car 1 railcar 0 000 | a wheeled vehicle on rails  ",
    "ny": "{ny} 15 n 02 New_York 0 New_York_City 0 000 | a city  ",
    # Two spellings with one lex_id share one sense key, as "Utopian"/"utopian" do in WordNet 3.0.
    "earth": "{earth} 17 n 03 Earth 0 earth 0 world 0 000 | the planet  ",
    "zebra": "{zebra} 05 n 01 zebra 0 000 | a striped animal  ",
    "night": "{night} 28 n 02 night 0 dark 0 000 | the time after sunset  ",
    "nox": "{nox} 18 n 02 Nox 0 Night 0 000 | Roman goddess of night  ",
    # A usage-domain pointer (;u) to the "ethnic slur" synset marks a slur, as in WordNet 3.0.
    "slur": "{slur} 10 n 01 ethnic_slur 0 000 | a slur on someone's race or language  ",
    "kraut": "{kraut} 18 n 03 Kraut 0 Jerry 0 hun 0 001 ;u {slur} n 0000 | a person of German descent  ",
    # Marked by its gloss only.
    "fink": "{fink} 18 n 02 fink 0 scab 0 000 | offensive term for a worker who crosses a picket line  ",
    "informer": "{informer} 18 n 03 informer 0 fink 1 hun 1 000 | one who reports others  ",
    "two": "{two} 23 n 04 two 0 2 0 II 0 deuce 0 000 | the cardinal number after one  ",
    # Multi-word lemmas: fixed expressions in which car and automobile keep their place.
    "pool": "{pool} 14 n 02 car_pool 0 automobile_pool 0 000 | a shared ride  ",
}
VERBS = {
    "op": "{op} 41 v 02 run 0 operate 0 000 01 + 02 00 | direct or control  ",
    "jog": "{jog} 38 v 01 run 0 000 01 + 02 00 | move fast on foot  ",
    "runup": "{runup} 40 v 01 run_up 0 000 01 + 08 00 | incur a debt  ",
}
ADJECTIVES = {
    "glad": "{glad} 00 a 01 glad 0 001 & {fel} a 0000 | showing pleasure  ",
    "fel": "{fel} 00 s 02 felicitous 0 happy 0 001 & {glad} a 0000 | well chosen  ",
    "happy": "{happy} 00 a 01 happy 0 000 | enjoying well-being  ",
}
# index.* lines: lemma pos synset_cnt p_cnt sense_cnt tagsense_cnt offsets (in sense order).
INDEX = {
    "noun": [
        "2 n 1 0 1 0 {two}",
        "auto n 1 0 1 0 {car}",
        "automobile n 1 0 1 0 {car}",
        "automobile_pool n 1 0 1 0 {pool}",
        "car n 2 0 2 2 {car} {rail}",
        "car_pool n 1 0 1 0 {pool}",
        "dark n 1 0 1 1 {night}",
        "deuce n 1 0 1 0 {two}",
        "earth n 1 0 1 1 {earth}",
        "ethnic_slur n 1 0 1 0 {slur}",
        "fink n 2 0 2 2 {fink} {informer}",
        "hun n 2 0 2 1 {kraut} {informer}",
        "ii n 1 0 1 0 {two}",
        "informer n 1 0 1 1 {informer}",
        "jerry n 1 0 1 0 {kraut}",
        "kraut n 1 0 1 0 {kraut}",
        "new_york n 1 0 1 0 {ny}",
        "new_york_city n 1 0 1 0 {ny}",
        "night n 2 0 2 1 {night} {nox}",
        "nox n 1 0 1 0 {nox}",
        "railcar n 1 0 1 0 {rail}",
        "scab n 1 0 1 1 {fink}",
        "two n 1 0 1 1 {two}",
        "world n 1 0 1 1 {earth}",
        "zebra n 1 0 1 0 {zebra}",
    ],
    "verb": ["operate v 1 0 1 1 {op}", "run v 2 0 2 2 {op} {jog}", "run_up v 1 0 1 0 {runup}"],
    "adj": ["felicitous a 1 0 1 1 {fel}", "glad a 1 0 1 1 {glad}", "happy a 2 0 2 2 {happy} {fel}"],
    "adv": [],
}
# sense_key sense_number tag_count, sorted: NLTK binary-searches this file. Keys are
# lemma%ss_type:lexfile:lex_id:: (satellites name their head adjective).
CNTLIST = """\
auto%1:06:00:: 1 2
automobile%1:06:00:: 1 9
car%1:06:00:: 1 71
car%1:06:01:: 2 3
dark%1:28:00:: 1 3
deuce%1:23:00:: 1 1
earth%1:17:00:: 1 51
felicitous%5:00:00:glad:00 1 1
fink%1:18:00:: 1 1
fink%1:18:01:: 2 2
glad%3:00:00:: 1 4
happy%3:00:00:: 1 37
happy%5:00:00:glad:00 2 7
hun%1:18:00:: 1 1
informer%1:18:00:: 1 4
night%1:28:00:: 1 163
operate%2:41:00:: 1 4
railcar%1:06:00:: 1 2
run%2:38:00:: 2 9
run%2:41:00:: 1 5
scab%1:18:00:: 1 1
two%1:23:00:: 1 20
world%1:17:00:: 1 10
"""
HEADER = "  1 test fixture in WordNet's file format\n"
ADJ_HEADER = "  1 imitates the WordNet 3.0 Copyright line that NLTK's get_version() looks for\n"
# Zipf frequencies for the "common word" rule: every word common but felicitous.
ZIPF = {"felicitous": 2.5}


def zipf(word: str) -> float:
    return ZIPF.get(word, 5.0)


# Worked out by hand from the tables above, rule by rule (docs/synonyms.md):
# - auto is a clipped form of automobile: its sense is an abbreviation sense, so auto is no head
#   and no synonym; railcar contains car (a derived form) and car is 96% another sense for it;
# - New York, Kraut, Jerry, Nox, II: spelled as names or abbreviations, so no synonyms; "night"
#   keeps its name sense (Night, the goddess) as an upper-case N with its count;
# - Earth/earth: the common spelling is the synonym and is counted once;
# - kraut's synset points to the ethnic-slur domain and fink's gloss says "offensive term": they
#   give no synonyms and hun, fink and scab are never offered (informer keeps none), while the
#   other sense of fink still gives informer;
# - two/2/II/deuce: a numeral synset gives no synonyms;
# - felicitous is rare (Zipf 2.5), and happy is only 7 of its 44 tagged uses in that sense;
# - glad, zebra, scab, informer, happy...: no synonym left, so no line;
# - car pool / automobile pool and run up are fixed expressions (the "=" field): car and automobile
#   may replace each other there, as both make a lemma; run keeps its place before "up", also with
#   one word between ("run a bill up").
EXPECTED_ENTRIES = """\
automobile\tn:9:car\t=_ pool>car
car\tn:71:automobile\tn:3:\t=_ pool>automobile
dark\tn:3:night
earth\tn:51:world
fink\tn:2:informer\tn:1:
hun\tn:1:\tn:0:informer
night\tn:163:dark\tN:0:
operate\tv:4:run
run\tv:9:\tv:5:operate\t=_ * up|_ up
world\tn:10:earth
"""
EXPECTED_HEADER_START = """\
#format: augtool-lexicon/3
#name: wordnet-3.0
#source: WordNet 3.0
#license: WordNet 3.0 license, see corpora/LICENSE-WordNet.txt
#built: 2006-12
#builder: augtool.lexbuild from NLTK WordNetCorpusReader; counts are Lemma.count()
#frequencies: given by the caller
"""


def build(wordnet: Path, out: Path, **kwargs: object) -> dict[str, str]:
    """build_lexicon with the test's word frequencies (wordfreq is not needed)."""
    return build_lexicon(wordnet, out, zipf=zipf, **kwargs)  # type: ignore[arg-type]


def body(path: Path) -> str:
    """The entry lines of a built lexicon, header left out."""
    data = path.read_bytes()
    text = (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode("utf-8")
    return "".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))


def data_offsets(header: str, synsets: dict[str, str]) -> dict[str, int]:
    """Byte offsets of each synset line in a data.* file made of `header` then `synsets`."""
    offsets: dict[str, int] = {}
    position = len(header.encode())
    for name, template in synsets.items():
        offsets[name] = position
        # Every offset renders as 8 digits, so a line's length is known before offsets are.
        position += len(template.format_map(dict.fromkeys(synsets, "0" * 8)).encode()) + 1
    return offsets


def make_wordnet(root: Path, *, lexnames: bool = False) -> Path:
    """A WordNet 3.0-style dict directory holding the tables above."""
    root.mkdir()
    offsets: dict[str, str] = {}
    for pos, header, synsets in (
        ("noun", HEADER, NOUNS),
        ("verb", HEADER, VERBS),
        ("adj", ADJ_HEADER, ADJECTIVES),
        ("adv", HEADER, {}),
    ):
        found = data_offsets(header, synsets)
        named = {name: f"{offset:08d}" for name, offset in found.items()}
        lines = [template.format_map(named) for template in synsets.values()]
        (root / f"data.{pos}").write_text(header + "".join(line + "\n" for line in lines))
        offsets.update(named)
        for line, offset in zip(lines, found.values(), strict=True):
            # The reader seeks to the offset and checks the line starts with it.
            assert (root / f"data.{pos}").read_bytes()[offset:].startswith(line.encode())
    for pos, lines in INDEX.items():
        (root / f"index.{pos}").write_text(HEADER + "".join(line.format_map(offsets) + "  \n" for line in lines))
        (root / f"{pos}.exc").write_text("")
    (root / "cntlist.rev").write_text(CNTLIST)
    if lexnames:
        (root / "lexnames").write_text(lexnames_text())
    return root


@pytest.fixture
def wordnet(tmp_path: Path) -> Path:
    return make_wordnet(tmp_path / "dict")


def test_builds_the_hand_checked_entries(wordnet: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "tiny.lex"
    info = build(wordnet, out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith(EXPECTED_HEADER_START)
    assert body(out) == EXPECTED_ENTRIES
    assert info["entries"] == "10" and "#entries: 10\n" in text
    assert info["source"] == "WordNet 3.0"
    assert "lexnames" not in {path.name for path in wordnet.iterdir()}  # the input dir is left alone


def test_progress_reports_each_stage_once_done(wordnet: Path, tmp_path: Path) -> None:
    calls: list[tuple[str, int, bool]] = []
    info = build(wordnet, tmp_path / "tiny.lex", progress=lambda *call: calls.append(call))
    done = [(stage, items) for stage, items, finished in calls if finished]
    assert [stage for stage, _ in done] == ["synsets read", "lemmas ranked", "fixed expressions", "head words written"]
    assert done[-1][1] == int(info["entries"]) == 10
    assert done[0][1] == sum(len(v) for v in (NOUNS, VERBS, ADJECTIVES))  # every synset of the tiny WordNet


def test_header_counts_what_each_rule_dropped(wordnet: Path, tmp_path: Path) -> None:
    info = build(wordnet, tmp_path / "tiny.lex")
    dropped = dict(item.rsplit(" ", 1) for item in info["dropped"].split("; "))
    # By hand: auto, New York, New York City, Kraut, Jerry, Nox and Night, II.
    assert dropped["name or abbreviation senses"] == "8"
    assert dropped["numeral senses"] == "2"  # two, deuce
    assert dropped["offensive senses"] == "3"  # hun (in Kraut's synset), fink, scab
    assert dropped["lemmas barred as offensive"] == "5"  # kraut, jerry, hun, fink, scab
    assert dropped["synonyms: rare words"] == "1"  # felicitous
    assert info["collocations"].startswith("4 fixed expressions of 3 head words")  # car, automobile, run (x2)
    assert "offensive senses dropped" in info["rules"]


def test_offensive_senses_can_be_kept_on_request(wordnet: Path, tmp_path: Path) -> None:
    out = tmp_path / "kept.lex"
    info = build(wordnet, out, rules=Rules(keep_offensive=True))
    lines = body(out).splitlines()
    # fink's own sense now gives scab, and scab becomes a head; Kraut/Jerry stay names either way.
    assert "fink\tn:2:informer\tn:1:scab" in lines
    assert "scab\tn:1:fink" in lines
    assert "offensive senses kept" in info["rules"]
    assert "offensive senses" not in info["dropped"]


def test_built_file_loads_with_ranked_senses(wordnet: Path, tmp_path: Path) -> None:
    out = tmp_path / "tiny.lex.gz"
    build(wordnet, out)
    with out.open("rb") as fileobj:
        lex = Lexicon.load(fileobj)
    assert len(lex) == 10
    assert lex.senses("run") == (Sense("v", 9, ()), Sense("v", 5, ("operate",)))
    assert lex.synonyms("Earth") == ("world",)
    assert lex.synonyms("world") == ("earth",)
    assert lex.senses("night") == (Sense("n", 163, ("dark",)),)
    assert lex.names("Night") == (Sense("N", 0, ()),)
    assert lex.names("car") == ()
    for absent in ("zebra", "glad", "happy", "kraut", "scab", "auto", "new york", "two"):
        assert absent not in lex, absent


def test_gzip_output_is_deterministic(wordnet: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.lex.gz", tmp_path / "b.lex.gz"
    build(wordnet, first)
    build(wordnet, second)
    assert first.read_bytes() == second.read_bytes()
    assert body(first) == EXPECTED_ENTRIES


def test_a_dir_with_its_own_lexnames_gives_the_same_file(tmp_path: Path) -> None:
    plain = build(make_wordnet(tmp_path / "debian"), tmp_path / "debian.lex")
    full = build(make_wordnet(tmp_path / "full", lexnames=True), tmp_path / "full.lex")
    assert plain == full
    assert (tmp_path / "debian.lex").read_bytes() == (tmp_path / "full.lex").read_bytes()


def test_output_is_replaced_atomically(wordnet: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "tiny.lex"
    out.write_text("old")
    build(wordnet, out)
    assert out.read_text().startswith("#format: augtool-lexicon/3\n")
    assert sorted(path.name for path in out_dir.iterdir()) == ["tiny.lex"]  # no temp file left
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # as any file augtool writes, not mkstemp's 0600


# lemminflect-style answers for the forms table: Penn tag -> spellings.
INFLECTIONS = {
    ("v", "run"): {"VB": ("run",), "VBZ": ("runs",), "VBD": ("ran",), "VBN": ("run",), "VBG": ("running",)},
    ("v", "operate"): {"VBZ": ("operates",), "VBD": ("operated",), "VBG": ("operating",)},  # no VBN: as VBD
    ("n", "car"): {"NN": ("car",), "NNS": ("cars",)},
    ("n", "world"): {"NN": ("world",), "NNS": ("worlds", "world")},  # mass-noun use listed too
    ("n", "earth"): {"NN": ("earth",), "NNS": ("earths", "earth")},
    ("n", "night"): {"NNS": ("nights",)},
}
FORM_ZIPF = {"worlds": 3.5, "earths": 1.0, "operates": 3.0, "operated": 3.6, "operating": 4.0, "ran": 5.0,
             "runs": 4.5, "running": 5.0, "cars": 5.0, "nights": 4.6}


def test_forms_table_lists_only_confirmed_forms(wordnet: Path, tmp_path: Path) -> None:
    forms = tmp_path / "forms.txt.gz"
    build_lexicon(wordnet, tmp_path / "tiny.lex", forms_path=forms, zipf=lambda w: FORM_ZIPF.get(w, zipf(w)),
                  inflections=lambda lemma, pos: INFLECTIONS.get((pos, lemma), {}))
    lines = gzip.decompress(forms.read_bytes()).decode().splitlines()
    assert lines[0] == "#format: augtool-forms/1"
    table = {tuple(line.split("\t")[:2]): line.split("\t")[2:] for line in lines if not line.startswith("#")}
    # Worked out by hand: slots n plural; v 3sg past ppart ing. The base spelling listed as a
    # plural (world) gives way to the distinct one when that is common, else to nothing (earth).
    assert table[("v", "run")] == ["runs", "ran", "run", "running"]
    assert table[("v", "operate")] == ["operates", "operated", "operated", "operating"]
    assert table[("n", "car")] == ["cars"]
    assert table[("n", "world")] == ["worlds"]
    assert ("n", "earth") not in table  # earths is too rare, earth is no plural: nothing confirmed
    assert table[("n", "night")] == ["nights"]
    assert ("n", "automobile") not in table  # the source knows no forms: none listed
    morph = Morphology.load(forms.open("rb"))
    assert morph.form("v", "run", "ppart") == "run"
    assert morph.readings("ran") == [("run", "v", "past")]


def test_not_a_wordnet_dir(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match=r"missing index\.noun, data\.noun, cntlist\.rev"):
        build(tmp_path, tmp_path / "x.lex")
    assert not (tmp_path / "x.lex").exists()


def test_missing_nltk_wordnet_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import nltk

    def not_found(resource: str) -> None:
        raise LookupError(resource)

    monkeypatch.setattr(nltk.data, "find", not_found)
    with pytest.raises(LexiconError) as info:
        build(None, tmp_path / "x.lex")  # type: ignore[arg-type]
    assert "python -m nltk.downloader wordnet" in str(info.value)
    assert "--wordnet DIR" in str(info.value)


def test_lexnames_table_matches_the_man_page() -> None:
    lines = lexnames_text().splitlines()
    assert len(lines) == 45
    # Spot checks against lexnames(5WN): first, the noun/verb boundaries, last.
    assert lines[0] == "00\tadj.all\t3"
    assert lines[3] == "03\tnoun.Tops\t1"
    assert lines[28] == "28\tnoun.time\t1"
    assert lines[29] == "29\tverb.body\t2"
    assert lines[43] == "43\tverb.weather\t2"
    assert lines[44] == "44\tadj.ppl\t3"
    assert LEXNAMES.count("adv.all") == 1


def test_runtime_modules_do_not_import_nltk() -> None:
    # nltk takes ~0.5 s to import; augmenting must not pay for it, only building may.
    code = (
        "import sys, augtool.lexicon, augtool.lexbuild\n"
        "from augtool.lexicon import Lexicon\n"
        f"Lexicon.load(open({str(REPO / 'corpora' / 'wordnet-3.0.lex.gz')!r}, 'rb')).synonyms('car')\n"
        "assert 'nltk' not in sys.modules, 'nltk imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)

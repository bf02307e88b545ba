"""The lexicon builder, run on a tiny hand-written WordNet-format directory."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from augtool import lexbuild
from augtool.errors import LexiconError
from augtool.lexbuild import build_lexicon, lexnames_text
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
}
VERBS = {
    "op": "{op} 41 v 02 run 0 operate 0 000 01 + 02 00 | direct or control  ",
    "jog": "{jog} 38 v 01 run 0 000 01 + 02 00 | move fast on foot  ",
}
ADJECTIVES = {
    "glad": "{glad} 00 a 01 glad 0 001 & {fel} a 0000 | showing pleasure  ",
    "fel": "{fel} 00 s 02 felicitous 0 happy 0 001 & {glad} a 0000 | well chosen  ",
    "happy": "{happy} 00 a 01 happy 0 000 | enjoying well-being  ",
}
# index.* lines: lemma pos synset_cnt p_cnt sense_cnt tagsense_cnt offsets (in sense order).
INDEX = {
    "noun": [
        "auto n 1 0 1 0 {car}",
        "automobile n 1 0 1 0 {car}",
        "car n 2 0 2 2 {car} {rail}",
        "earth n 1 0 1 1 {earth}",
        "new_york n 1 0 1 0 {ny}",
        "new_york_city n 1 0 1 0 {ny}",
        "railcar n 1 0 1 0 {rail}",
        "world n 1 0 1 0 {earth}",
        "zebra n 1 0 1 0 {zebra}",
    ],
    "verb": ["operate v 1 0 1 0 {op}", "run v 2 0 2 2 {op} {jog}"],
    "adj": ["felicitous a 1 0 1 1 {fel}", "glad a 1 0 1 1 {glad}", "happy a 2 0 2 2 {happy} {fel}"],
    "adv": [],
}
# sense_key sense_number tag_count, sorted: NLTK binary-searches this file.
CNTLIST = """\
auto%1:06:00:: 1 2
car%1:06:00:: 1 71
car%1:06:01:: 2 3
earth%1:17:00:: 1 51
felicitous%5:00:00:glad:00 1 1
glad%3:00:00:: 1 4
happy%3:00:00:: 1 37
happy%5:00:00:glad:00 2 7
run%2:38:00:: 2 9
run%2:41:00:: 1 5
"""
HEADER = "  1 test fixture in WordNet's file format\n"
ADJ_HEADER = "  1 imitates the WordNet 3.0 Copyright line that NLTK's get_version() looks for\n"

# Worked out by hand from the tables above: head words with a synonym only (not glad, zebra),
# senses by count then index order, the head and its case variants never among its synonyms,
# "s" folded into "a", lines sorted ("new york<TAB>" before "new york city").
EXPECTED_ENTRIES = """\
auto\tn:2:car|automobile
automobile\tn:0:car|auto
car\tn:71:auto|automobile\tn:3:railcar
earth\tn:51:world
felicitous\ta:1:happy
happy\ta:37:\ta:7:felicitous
new york\tn:0:New York City
new york city\tn:0:New York
operate\tv:0:run
railcar\tn:0:car
run\tv:9:\tv:5:operate
world\tn:0:Earth
"""
EXPECTED_HEADER = """\
#format: augtool-lexicon/1
#name: wordnet-3.0
#source: WordNet 3.0
#license: WordNet 3.0 license, see corpora/LICENSE-WordNet.txt
#built: 2006-12
#builder: augtool.lexbuild from NLTK WordNetCorpusReader; counts are Lemma.count()
#entries: 12
"""


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
    info = build_lexicon(wordnet, out)
    assert out.read_text(encoding="utf-8") == EXPECTED_HEADER + EXPECTED_ENTRIES
    assert info["entries"] == "12"
    assert info["source"] == "WordNet 3.0"
    assert "lexnames" not in {path.name for path in wordnet.iterdir()}  # the input dir is left alone


def test_built_file_loads_with_ranked_senses(wordnet: Path, tmp_path: Path) -> None:
    out = tmp_path / "tiny.lex.gz"
    build_lexicon(wordnet, out)
    with out.open("rb") as fileobj:
        lex = Lexicon.load(fileobj)
    assert len(lex) == 12
    assert lex.senses("run") == (Sense("v", 9, ()), Sense("v", 5, ("operate",)))
    assert lex.synonyms("Earth") == ("world",)
    assert lex.synonyms("happy") == ("felicitous",)
    assert "zebra" not in lex
    assert "glad" not in lex


def test_gzip_output_is_deterministic(wordnet: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.lex.gz", tmp_path / "b.lex.gz"
    build_lexicon(wordnet, first)
    build_lexicon(wordnet, second)
    assert first.read_bytes() == second.read_bytes()
    assert gzip.decompress(first.read_bytes()).decode() == EXPECTED_HEADER + EXPECTED_ENTRIES


def test_a_dir_with_its_own_lexnames_gives_the_same_file(tmp_path: Path) -> None:
    plain = build_lexicon(make_wordnet(tmp_path / "debian"), tmp_path / "debian.lex")
    full = build_lexicon(make_wordnet(tmp_path / "full", lexnames=True), tmp_path / "full.lex")
    assert plain == full
    assert (tmp_path / "debian.lex").read_bytes() == (tmp_path / "full.lex").read_bytes()


def test_output_is_replaced_atomically(wordnet: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "tiny.lex"
    out.write_text("old")
    build_lexicon(wordnet, out)
    assert out.read_text().startswith("#format: augtool-lexicon/1\n")
    assert sorted(path.name for path in out_dir.iterdir()) == ["tiny.lex"]  # no temp file left
    assert out.stat().st_mode & 0o777 == 0o644


def test_not_a_wordnet_dir(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match=r"missing index\.noun, data\.noun, cntlist\.rev"):
        build_lexicon(tmp_path, tmp_path / "x.lex")
    assert not (tmp_path / "x.lex").exists()


def test_missing_nltk_wordnet_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import nltk

    def not_found(resource: str) -> None:
        raise LookupError(resource)

    monkeypatch.setattr(nltk.data, "find", not_found)
    with pytest.raises(LexiconError) as info:
        build_lexicon(None, tmp_path / "x.lex")
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
    assert lexbuild.LEXNAMES.count("adv.all") == 1


def test_runtime_modules_do_not_import_nltk() -> None:
    # nltk takes ~0.5 s to import; augmenting must not pay for it, only building may.
    code = (
        "import sys, augtool.lexicon, augtool.lexbuild\n"
        "from augtool.lexicon import Lexicon\n"
        f"Lexicon.load(open({str(REPO / 'corpora' / 'wordnet-3.0.lex.gz')!r}, 'rb')).synonyms('car')\n"
        "assert 'nltk' not in sys.modules, 'nltk imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)

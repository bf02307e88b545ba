"""augtool.audit: every check fires on the damage of issue 8 and stays quiet on sound copies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from augtool.audit import Audit, CopyAudit, audit
from augtool.audit.text import shapes
from augtool.audit.words import offensive
from tests.conftest import run_cli

_WORDS = (
    "the a of and to in it is was film great big good set up we dog dogs long haired hair i loved uncle tom "
    "watched george bush shrub on today cat cats and me see my car red one two line kraut uracil sir jerry "
    "degree centigrade doctors open now run code span codification la de casa casas perro delaware lanthanum "
    "rude impolite service flight worst ever crowd inspires cheers beach home team wins vote"
)
KNOWN = frozenset(_WORDS.split())
COMMON = KNOWN - {"tom", "jerry", "george", "bush", "kraut", "delaware"}


def check(source: str, copy: str, *, english: bool = True) -> CopyAudit:
    return audit(source, copy, english=english, known=KNOWN, common=COMMON)


# --- markup, escapes, placeholders and other shapes ------------------------------------------


@pytest.mark.parametrize(
    ("source", "copy"),
    [
        ("I loved it.<br /><br />Great film", "I loved it.<bromine /><br />Great film"),
        ("I loved it.<br /><br />Great film", "I loved it.< /><br />Great film"),
        ('<span class="big">hi</span>', '<span grade="large">hi</span>'),
        ('<a href="x">the</a>', '<href a="x">the</a>'),
        ("see <!-- note here --> now", "see <!-- annotation here --> now"),
        ("Tom &amp; Jerry", "Tom &ampere; Jerry"),
        ("rates &lt;AAPL.O&gt; rose", "rates &CNET; rose"),
        ("Sony #39;s shares", "Sony #39;and shares"),
        ("&lt;b&gt;Red&lt;/b&gt; one", "&lt;boron&gt;Red&lt;/b&gt; one"),
        ("line one\\n two", "line one\\nitrogen two"),
        ("a second\\team won", "a second\\squad won"),
        ("print %s now", "print % s now"),
        ("you have %(count)s cats", "you have %(numeration)s cats"),
        ("hello {0} and {name!r}", "hello {0} and {gens!r}"),
        ("set $PATH first", "set $WAY OF LIFE first"),
        ("set ${HOME} first", "set ${PLACE} first"),
        ("hi {{user}} there", "hi {{exploiter}} there"),
        ("run `code span` now", "run `codification span` now"),
        ("```\nrun it\n``` done", "```\nscat it\n``` done"),
        ("see https://example.com/a/b now", "see https://example.com/a/bacillus now"),
        ("news.com.com/tech rose", "news.com.com/technical rose"),
        ("open /usr/local/bin now", "open /usr/local/binful now"),
        (r"open C:\Users\docs now", r"open Degree centigrade:\Exploiters\doctors now"),
        ("@john's car is red", "@john'and car is red"),
        ("mail me@x.org today", "mail me@ten.org today"),
        ("#happy day", "#felicitous day"),
    ],
)
def test_a_changed_shape_is_found(source: str, copy: str) -> None:
    assert check(source, copy).shapes


@pytest.mark.parametrize(
    ("source", "copy"),
    [
        ("I loved it.<br /><br />Great film", "I adored it.<br /><br />Great film"),
        ('<span class="big">hi</span> the dog', '<span class="big">hi</span> the hound'),
        ("Tom &amp; Jerry see the dog", "Tom &amp; Jerry see the hound"),
        ("line one\\nGreat two", "line one\\nGreat deuce"),
        ("text\\nThe end", "text\\nThe conclusion"),
        ("print %s now and 100% sure", "print %s instantly and 100% sure"),
        ("hello {0} good", "hello {0} full"),
        ("see https://x.io/a now, @bob #tag", "see https://x.io/a soon, @bob #tag"),
        ("open /usr/local/bin now", "open /usr/local/bin soon"),
        ("the 2/24 flight at 11:50pm", "the 2/24 trip at 11:50pm"),
        ("`` Gone with the Wind '' is long", "`` Gone with the Wind '' is lengthy"),
    ],
)
def test_words_around_a_shape_may_change(source: str, copy: str) -> None:
    assert check(source, copy).shapes == []


def test_shapes_blank_out_what_they_cover() -> None:
    found, rest = shapes("see <b>it</b> at https://x.io")
    assert sorted(found) == [("markup", "</b>"), ("markup", "<b>"), ("url", "https://x.io")]
    assert rest.split() == ["see", "it", "at"]


# --- names, acronyms, letters, capitals ------------------------------------------------------


def test_replaced_acronym_is_found_but_deleted_or_moved_is_not() -> None:
    assert check("I watched it on DVD today", "I watched it on VIDEODISC today").acronyms == ["DVD"]
    assert check("I watched it on DVD today", "I watched it on today").acronyms == []
    assert check("I watched it on DVD today", "I watched DVD on it today").acronyms == []
    assert check("sent to the U.S. today", "sent to the America today").acronyms == ["U.S."]
    assert check("my LA trip", "my LANTHANUM trip").acronyms == ["LA"]


def test_shouted_common_words_are_not_acronyms() -> None:
    shouted = check("RUDE SERVICE WORST FLIGHT EVER", "IMPOLITE SERVICE WORST FLIGHT EVER")
    assert shouted.acronyms == [] and shouted.new_capitals == []
    # One word in capitals among lower-case ones is treated as an abbreviation, as augtool must.
    assert check("the service was RUDE today", "the service was IMPOLITE today").acronyms == ["RUDE"]


def test_replaced_mid_sentence_name_is_found() -> None:
    result = check("I watched George Bush on TV", "I watched George Shrub on TV")
    assert result.names == ["Bush"] and result.new_capitals == ["Shrub"]


def test_sentence_initial_words_and_moved_names_are_not_names() -> None:
    assert check("Great film. Loved it", "Big film. Loved it").names == []
    assert check("Great film. Loved it", "Big film. Loved it").new_capitals == []
    assert check("we met Tom and the dog", "we met the dog and Tom").names == []


def test_headline_capitals_are_not_names() -> None:
    result = check("Home Team Wins Crowd Vote", "Home Team Wins Cheers Vote")
    assert result.names == [] and result.new_capitals == []


def test_single_letters_replaced_are_found() -> None:
    assert check("see u there", "see uracil there").letters == ["u"]
    assert check("see a dog there", "see one dog there").letters == []  # "a" is a word


def test_new_capital_mid_sentence() -> None:
    assert check("we met Tom today", "we met Uncle tom today").new_capitals == ["Uncle"]
    assert check("we met Tom today", "we met Tom now").new_capitals == []


# --- words --------------------------------------------------------------------------------------


def test_non_words_are_found() -> None:
    result = check("we set it up", "we seted it up")
    assert result.introduced == ["seted"] and result.nonwords == ["seted"]


@pytest.mark.parametrize(
    ("source", "copy"),
    [
        ("we set it up", "we set it up the"),
        ("the dog is long", "the dog's hair is long"),  # possessive
        ("the dog is long", "the long-haired dog is long"),  # compound of words
        ("the dog is long", "the Dog is long"),  # case alone introduces nothing
    ],
)
def test_real_words_are_not_non_words(source: str, copy: str) -> None:
    assert check(source, copy).nonwords == []


def test_offensive_words_introduced_are_found() -> None:
    assert check("we met Tom and Jerry", "we met Uncle tom and Kraut").offensive == ["kraut", "uncle tom"]
    assert check("the dog is long", "the dog is a prick").offensive == ["prick"]
    # A word with a harmless sense too is counted apart.
    donkey = check("the dog is long", "the ass is long")
    assert donkey.offensive == [] and donkey.ambiguous == ["ass"]
    # Already in the source: not introduced.
    assert check("that kraut film", "that kraut movie").offensive == []


def test_offensive_plurals_and_near_misses() -> None:
    assert offensive(["bitches", "krauts"]) == ["bitches", "krauts"]
    assert offensive(["japes", "cockpit", "scunthorpe", "uncle", "ass"]) == []


@pytest.mark.parametrize(("char", "name"), [("\n", "LF"), ("\r", "CR"), ("\u2028", "LS"), ("\u2029", "PS"),
                                            ("\u0085", "NEL"), ("\v", "VT"), ("\f", "FF")])
def test_every_kind_of_line_break_lost_is_found(char: str, name: str) -> None:
    assert check(f"the dog{char}the cat", "the dog the cat").breaks == {name: 1}
    assert check(f"the dog{char}the cat", f"the hound{char}the cat").breaks == {}


def test_english_words_gained_by_a_non_english_record() -> None:
    result = check("la casa de la perro", "lanthanum casa Delaware la perro", english=False)
    assert result.english_gained == ["lanthanum", "Delaware"] and result.nonwords == []
    assert check("la casa de la perro", "casa la de la perro", english=False).english_gained == []  # moved
    assert check("la casa de la perro", "la casa la perro", english=False).clean  # deleted


def test_an_identical_copy_is_clean() -> None:
    text = "Tom &amp; Jerry<br />watched DVD\nat https://x.io {0} $HOME"
    assert check(text, text).clean and check(text, text).introduced == []


# --- totals -----------------------------------------------------------------------------------


def test_audit_totals_and_merge() -> None:
    total = Audit()
    total.add("I loved it.<br />Great film", "I loved it.<bromine />Great film")
    total.add("I watched it on DVD today", "I watched it on VIDEODISC today")
    total.add("la casa de la perro", "lanthanum casa de la perro", english=False)
    other = Audit()
    other.add("we set it up", "we seted it up")
    total.merge(other)
    report = total.to_json()
    assert report["copies"] == 4 and report["non_english_copies"] == 1
    assert report["shapes"] == 1 and report["acronyms"] == 1 and report["english_gained"] == 1
    assert report["introduced_words"] == 2 and report["nonwords"] == 1  # VIDEODISC is a word, seted is not
    assert report["shape_kinds"] == {"markup": 2}
    assert report["examples"]["acronyms"] == ["DVD"]


def test_stats_against_reports_the_audit(tmp_path: Path) -> None:
    source = tmp_path / "src.jsonl"
    source.write_text(json.dumps({"id": 1, "text": "I loved it.<br /><br />Great film"}) + "\n")
    out = tmp_path / "aug.jsonl"
    copy = {"id": 1, "text": "I loved it.<bromine /><br />Great film", "_aug": {"source": 1, "copy": 1, "ops": ["sr"]}}
    out.write_text(json.dumps(copy) + "\n")
    done = run_cli("stats", str(out), "--against", str(source), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)["against"]["audit"]
    assert report["shapes"] == 1 and report["shape_kinds"] == {"markup": 2}
    table = run_cli("stats", str(out), "--against", str(source))
    assert b"Damage checks" in table.stdout and b"markup lost: <br />" in table.stdout


def test_www_inside_a_word_is_no_url() -> None:
    # "Awww...but" once read as the URL "www...but"; only a www. that starts a token is one.
    found, _ = shapes("Awww...but see www.x.org now")
    assert sorted(found) == [("url", "www.x.org")]

"""Language detection (augtool.lang) and --lang: non-English records get no English synonyms."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from augtool.augmenters import Resources
from augtool.errors import UsageError
from augtool.lang import Detector, default_detector, language_independent, parse_profiles
from augtool.lexicon import Lexicon, Sense
from augtool.pipeline import Options, Pipeline
from tests.conftest import SHARED, run_cli

# Beside the repository (CI), or the shared folder when run from a worktree.
RAW = next((p for p in (SHARED / "eval-data" / "raw", Path("/work/shared/eval-data/raw")) if p.is_dir()), SHARED)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The fission bomb works on the principle that it takes energy to put together a nucleus.", "en"),
        ("What is the capital of France ?", "en"),
        ("La bomba de fisión funciona según el principio de que se necesita energía.", "es"),
        ("La bombe à fission fonctionne selon le principe qu'il faut de l'énergie.", "fr"),
        ("Die Spaltbombe funktioniert nach dem Prinzip, dass es Energie braucht.", "de"),
        ("Bomba rozszczepienia działa na zasadzie, że potrzeba energii, aby połączyć jądro.", "pl"),
        ("Fisyon bombası, bir çekirdeği bir araya getirmek için enerji gerektiği ilkesiyle çalışır.", "tr"),
        ("Bom phân hạch hoạt động theo nguyên lý là cần có năng lượng để tạo ra hạt nhân.", "vi"),
        ("Olùwádìí àgbà sọ pé èyí le è tètè mú kí wọn tètè mọ nípa jẹjẹrẹ", "yo"),
        ("Ядерная бомба работает по принципу, что нужна энергия.", "und-Cyrl"),
        ("裂变炸弹的工作原理是需要能量。", "und-Hani"),
        ("تعمل القنبلة الانشطارية على مبدأ", "und-Arab"),
        ("Aerosmith, turnesindeki geriye kalan konserleri iptal etti.", "und-Latn"),
    ],
)
def test_detects_the_language(text: str, code: str) -> None:
    assert default_detector().detect(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "@united thanks!",  # no evidence either way: treated as English
        "OK!!",
        "@SouthwestAir Thanks a ton!",  # French "a" and "ton" are one word each, too little
        "@united Yes ! :D (Y) From @therealaviation on Instagram :)",  # ":D", "(Y)" are not French d, y
        "I'm so nervous I could puke ha ha ha ha ha",  # repeated "ha" votes once
        "Name four famous cartoon cats .",  # no function word, but English words
        "Visit https://t.co/abc or www.example.com/de/la for @de #la",  # URLs, mentions, tags are no words
        "José Mourinho's team beat the champions",
    ],
)
def test_english_and_unmarked_texts_count_as_english(text: str) -> None:
    assert default_detector().is_english(text)


@pytest.mark.parametrize(
    "text", ["Merci pour le vol !", "Gracias por todo, de verdad", "Café olé señor", "w domu i na dworze"]
)
def test_short_foreign_texts_are_not_english(text: str) -> None:
    assert not default_detector().is_english(text)


def test_profiles_need_english() -> None:
    with pytest.raises(ValueError, match="'en'"):
        Detector(parse_profiles("es\tde la\n"))


# A profile small enough to count the votes by hand: each case below says its count.
TINY = "en\tthe would a i of\nes\tde la los y a pero\nfr\tde la y est\ntl\tpero\n"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # English 1, others at most 1 word: English wins without counting per language.
        ("would pero", "en"),
        # English 1 against 2 words others list, but those split 1 es, 1 tl, 1 fr: still English.
        ("would pero est", "en"),
        # English 1 against es 3 (de, la, los): one English word does not make a text English.
        ("would de la los", "es"),
        # English 1 against es 1 plus 1 word with letters English does not use ("café").
        ("would pero café", "es"),
        # Capitals are lowered before the lookup (es 3: los, de, la; fr 2), whatever the case.
        ("LOS PERROS DE LA CASA", "es"),
        ("Los Perros De La Casa", "es"),
        ("los perros de la casa", "es"),
        # A lone lower-case letter votes (es 2: y, de), a lone capital other than "I" does not
        # (es 1, fr 1: too little), "I" does (English 1 against 1).
        ("y de", "es"),
        ("Y de", "und"),
        ("I de", "en"),
        # Digits and underscores split words, as any character but a letter does (es 2: los, de).
        ("los_perros2de", "es"),
    ],
)
def test_votes_are_counted_exactly(text: str, code: str) -> None:
    assert Detector(parse_profiles(TINY)).detect(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # No function word of any language: 5 words or more, fewer than half of them in the
        # English word list, are not English ("qwxv", "blorf", "zzkq", "vrrp" are in no list).
        ("cat dog qwxv blorf zzkq", "und-Latn"),  # 2 of 5 known
        ("cat dog house blorf zzkq", "und"),  # 3 of 5
        ("cat dog qwxv blorf zzkq vrrp", "und-Latn"),  # 2 of 6
        ("cat dog house qwxv blorf zzkq", "und"),  # 3 of 6: half is enough
        ("qwxv blorf zzkq vrrp", "und"),  # 4 words are too few to tell
    ],
)
def test_bare_words_are_judged_by_the_word_list(text: str, code: str) -> None:
    assert Detector(parse_profiles(TINY)).detect(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # The script is the one with more letters, not more words: Cyrillic 10 letters against Latin 3...
        ("Кошкасидит a b c", "und-Cyrl"),
        # ...and Cyrillic 4 letters in 4 words against Latin 10 in one: Latin, and those 4 words with
        # letters beyond ASCII are evidence against English.
        ("Ко ш к а abcdefghij", "und-Latn"),
        # URLs, mentions, tags and markup hold no words in a non-ASCII text either (only "José" is left)...
        ("José https://t.co/de/la/que @los #las <el> &que;", "und"),
        # ...where those words, left in, are Spanish.
        ("José de la que los las el", "es"),
    ],
)
def test_script_and_shapes_beyond_ascii(text: str, code: str) -> None:
    assert default_detector().detect(text) == code


def test_only_the_first_sample_characters_are_read() -> None:
    # A long English start decides, whatever comes after it.
    text = "The film is long and the story is good. " * 20 + "de la que el en y los se del las " * 50
    assert default_detector().detect(text) == "en"


def test_language_independent_ops() -> None:
    class Plugin:
        name = "shout"
        language_independent = True

    class Other:
        name = "other"

    assert language_independent(Plugin()) and not language_independent(Other())


# --- the pipeline -------------------------------------------------------------

SPANISH = {"id": "es", "text": "La casa de la familia y el perro de la calle"}
ENGLISH = {"id": "en", "text": "The dog and the car are in the house"}


@pytest.fixture(scope="module")
def english_synonyms() -> Resources:
    # The damage of issue 8: "de" -> Delaware, "la" -> lanthanum, "y" -> yttrium.
    table = {
        "de": [Sense("n", 5, ("Delaware",))],
        "la": [Sense("n", 3, ("lanthanum",))],
        "y": [Sense("n", 2, ("yttrium",))],
        "dog": [Sense("n", 9, ("hound",))],
        "car": [Sense("n", 9, ("automobile",))],
    }
    return Resources(stopwords=frozenset({"the", "and", "are", "in"}), lexicon=Lexicon.from_senses(table, {}))


def _copies(resources: Resources, record: dict[str, str], **options: object) -> list[dict[str, object]]:
    pipe = Pipeline(Options(n_aug=4, alpha=0.5, seed=1, keep_original=False, **options), resources)  # type: ignore[arg-type]
    return [r for r in pipe.augment([record]) if "_aug" in r]


def test_any_lets_english_synonyms_into_spanish(english_synonyms: Resources) -> None:
    copies = _copies(english_synonyms, SPANISH, ops=("sr",), lang="any")
    assert copies and any({"Delaware", "lanthanum", "yttrium"} & set(str(c["text"]).split()) for c in copies)


def test_auto_gives_spanish_only_language_independent_ops(english_synonyms: Resources) -> None:
    copies = _copies(english_synonyms, SPANISH, lang="auto")
    source_words = set(SPANISH["text"].lower().split())
    assert copies
    for copy in copies:
        assert set(copy["_aug"]["ops"]) <= {"rs", "rd"}  # type: ignore[index]
        assert set(str(copy["text"]).lower().split()) <= source_words
    # English still gets every operation.
    english_ops = {op for c in _copies(english_synonyms, ENGLISH, lang="auto") for op in c["_aug"]["ops"]}  # type: ignore[index]
    assert english_ops == {"sr", "ri", "rs", "rd"}


def test_auto_passes_spanish_through_when_no_op_suits_it(english_synonyms: Resources) -> None:
    pipe = Pipeline(Options(ops=("sr", "ri"), lang="auto"), english_synonyms)
    result = pipe.process_line(orjson.dumps(SPANISH), 1)
    assert result.unchanged and result.foreign and result.lines == [orjson.dumps(SPANISH)]
    assert not pipe.process_line(orjson.dumps(ENGLISH), 2).foreign


def test_en_passes_every_non_english_record_through(english_synonyms: Resources) -> None:
    pipe = Pipeline(Options(lang="en"), english_synonyms)
    result = pipe.process_line(orjson.dumps(SPANISH), 1)
    assert result.unchanged and result.foreign and result.copies == 0
    assert pipe.process_line(orjson.dumps(ENGLISH), 2).copies == 4


def test_a_record_is_judged_on_all_its_fields(english_synonyms: Resources) -> None:
    record = {"title": "Noticias", "body": "La casa de la familia y el perro de la calle"}
    pipe = Pipeline(Options(fields=("title", "body"), ops=("sr",), lang="auto"), english_synonyms)
    assert pipe.process_line(orjson.dumps(record), 1).foreign


def test_bad_lang_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"^lang takes auto, en, any"):  # the library names no flag
        Options(lang="fr")


def test_cli_counts_non_english_records(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(orjson.dumps(r) for r in (SPANISH, ENGLISH)) + b"\n")
    done = run_cli("augment", str(source), "-o", str(tmp_path / "out"), "--seed", "1")
    assert done.returncode == 0, done.stderr
    assert b"1 not English (see --lang)" in done.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["counts"]["non_english"] == 1 and manifest["options"]["lang"] == "auto"
    bad = run_cli("augment", str(source), "-o", "-", "--lang", "xx")
    assert bad.returncode == 2 and b"--lang takes auto, en, any, not 'xx'" in bad.stderr


# --- the real corpora (skipped without ../shared) -----------------------------


@pytest.mark.skipif(not RAW.is_dir(), reason="../shared/eval-data/raw not present")
def test_sib200_english_or_not_is_right_for_every_record() -> None:
    detector = default_detector()
    wrong = []
    for line in (RAW / "sib200.test-sample.jsonl").read_text(encoding="utf-8").split("\n")[:-1]:
        record = json.loads(line)
        if detector.is_english(record["text"]) != (record["lang"] == "eng_Latn"):
            wrong.append((record["lang"], record["text"][:60]))
    assert wrong == []


@pytest.mark.skipif(not RAW.is_dir(), reason="../shared/eval-data/raw not present")
@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("agnews.test.jsonl", ("title", "description")),
        ("airline-tweets.sample.jsonl", ("text",)),
        ("imdb.test-sample.jsonl", ("text",)),
        ("trec-raw.train.jsonl", ("text",)),
        ("tweeteval-emotion.test.jsonl", ("text",)),
    ],
)
def test_english_corpora_are_rarely_called_foreign(name: str, fields: tuple[str, ...]) -> None:
    detector = default_detector()
    records = [json.loads(line) for line in (RAW / name).read_text(encoding="utf-8").split("\n") if line]
    foreign = sum(not detector.is_english(" ".join(r[f] for f in fields)) for r in records)
    assert foreign / len(records) < 0.005  # measured: at most 0.3 % (tweets), mostly mixed-language ones


def test_the_detectors_word_lookup_agrees_with_the_word_set() -> None:
    """The bisection over the bundled list gives the set's answer for every entry and for near misses."""
    from augtool.lang import english_lookup, english_words

    known, lookup = english_words(), english_lookup()
    sample = sorted(known)[::97]
    misses = [w + "q" for w in sample] + [w[:-1] for w in sample] + ["", "\n", "zzzzzz", "Dog", "ñandú"]
    assert all(w in lookup for w in sample)
    assert [w for w in misses if (w in lookup) != (w in known)] == []


@given(st.sets(st.text(alphabet="abcé'-", min_size=1, max_size=6), max_size=40), st.text(alphabet="abcé'-", max_size=6))
def test_sorted_words_finds_exactly_its_members(words: set[str], probe: str) -> None:
    from augtool.wordset import SortedWords

    found = SortedWords.from_sorted_text("\n".join(sorted(words)))
    assert (probe in found) == (probe in words)
    assert all(w in found for w in words)


@given(st.lists(st.text(alphabet="aZÉéΣσİßǅ\u0345-'", max_size=6), max_size=8))
def test_lowering_as_bytes_is_str_lower(lines: list[str]) -> None:
    from augtool.wordset import lower_utf8

    text = "\n".join(lines)
    assert lower_utf8(text.encode("utf-8")) == text.lower()


def test_the_word_list_lowered_as_bytes_is_str_lower() -> None:
    from augtool.lang import _word_bytes
    from augtool.wordset import lower_utf8

    data = _word_bytes()
    assert not data.isascii()  # the case the fast path is for: some lines hold other letters
    assert lower_utf8(data) == data.decode("utf-8").lower()

"""Tell English records from others, per record, with no model: script, then function words.

The synonyms are English (WordNet), so a Spanish "de" becomes "Delaware" and a
French "la" "lanthanum".  Before ``sr``/``ri`` touch a record, ``detect`` decides
its language from what the text itself shows:

1. Script: when most letters are not Latin (Cyrillic, Arabic, CJK, Devanagari...),
   the text is not English (``und-Cyrl``, ``und-Hani``...).
2. Function words: URLs, mentions, hashtags and markup set aside, each distinct
   word found in a language's list of common function words
   (``corpora/lang-stopwords.txt``, 32 languages) scores one point for that
   language; each distinct word with letters beyond ASCII (é, ł, ş, ơ...) scores
   a point against English.  English wins when it scores at least as much as the
   best other language plus those; a foreign verdict needs 2 points or more.
3. No evidence either way (``OK!!``, ``@united``, a lone name): ``und``, treated
   as English, since that is what the synonyms can serve -- unless 5 words or
   more, most of them missing from the English word list, say otherwise.

It is a pure function of the text (no randomness, no model, no state), so the
output of a run stays byte-identical across workers, slices and resumes.
Only the first ``SAMPLE`` characters are read: a record's language shows early.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from augtool.wordset import SortedWords

PROFILES_FILE = "lang-stopwords.txt"
SAMPLE = 500
# One stray word ("man", "de") is not enough to call a text foreign...
MIN_EVIDENCE = 2
# ...but this many words with no English function word, most of them not in an
# English word list, are not English ("Aerosmith turnesindeki geriye kalan...").
BARE_WORDS = 5
WORDS_FILE = "words-en.txt.gz"
NAMES_FILE = "names-en.txt.gz"
MODES = ("auto", "en", "any")
# Operations that need no English lexicon: they move, delete or punctuate what is
# there, so they suit any language.  Plugins may say so with a class attribute
# ``language_independent = True``.
LANGUAGE_INDEPENDENT = frozenset({"rs", "rd", "punct"})

# Shapes that are not words of any language: URLs ("t.co" would be Polish "t" and
# "co"), @mentions, #hashtags, HTML tags and entities.  Each starts with a fixed
# character, so the scan stays linear.
_NOT_WORDS = re.compile(r"(?:https?://|www\.)\S*|[@#]\w+|<[^<>]*>|&#?\w+;")
# For str.translate: each ASCII letter stays, any other ASCII character becomes a space.
_LETTERS_ONLY = "".join(c if c.isalpha() else " " for c in map(chr, range(128)))
# A word: letters with their combining marks (NFD accents, Yoruba tone marks).
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*")
_LATIN = r"A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
# Runs of Latin letters, and of other letters: counting the letters run by run gives the
# same sums as letter by letter from far fewer matches.
_LATIN_LETTERS = re.compile(f"[{_LATIN}]+")
_OTHER_LETTERS = re.compile(f"[^\\W\\d_{_LATIN}]+")
# ISO 15924 codes for the first word of a letter's Unicode name.
_SCRIPTS = {
    "CYRILLIC": "Cyrl", "GREEK": "Grek", "ARABIC": "Arab", "HEBREW": "Hebr", "DEVANAGARI": "Deva",
    "BENGALI": "Beng", "TAMIL": "Taml", "TELUGU": "Telu", "GURMUKHI": "Guru", "GUJARATI": "Gujr",
    "KANNADA": "Knda", "MALAYALAM": "Mlym", "SINHALA": "Sinh", "THAI": "Thai", "LAO": "Laoo",
    "CJK": "Hani", "HIRAGANA": "Jpan", "KATAKANA": "Jpan", "HANGUL": "Hang", "ETHIOPIC": "Ethi",
    "GEORGIAN": "Geor", "ARMENIAN": "Armn", "KHMER": "Khmr", "MYANMAR": "Mymr", "TIBETAN": "Tibt",
}


def parse_profiles(text: str) -> dict[str, frozenset[str]]:
    """Read ``code<TAB>word word ...`` lines; ``#`` starts a comment line.

    >>> sorted(parse_profiles("# c\\nen\\tthe of\\nes\\tde la\\n")["es"])
    ['de', 'la']
    """
    profiles: dict[str, frozenset[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, _, words = line.partition("\t")
        profiles[code.strip()] = frozenset(unicodedata.normalize("NFC", words).split())
    return profiles


class Detector:
    """Language of a text from its script and its function words; see the module docstring."""

    def __init__(self, profiles: dict[str, frozenset[str]]) -> None:
        if "en" not in profiles:
            raise ValueError("the language profiles need an 'en' line")
        self.codes = ["en", *sorted(code for code in profiles if code != "en")]
        # Each word maps to the indexes of the languages that list it.
        index: dict[str, list[int]] = {}
        for i, code in enumerate(self.codes):
            for word in profiles[code]:
                index.setdefault(word, []).append(i)
        self._index = {word: tuple(langs) for word, langs in index.items()}
        # Two set intersections with these bound every score: most texts are settled by
        # them alone, without counting votes per language.
        self._english = frozenset(word for word, langs in index.items() if langs[0] == 0)
        self._foreign = frozenset(word for word, langs in index.items() if langs != [0])

    def detect(self, text: str) -> str:
        """An ISO 639-1 code (``en``, ``es``...), ``und-<Script>``, ``und-Latn`` or ``und``.

        >>> d = default_detector()
        >>> d.detect("The cat sat on the mat."), d.detect("El gato está en la casa.")
        ('en', 'es')
        >>> d.detect("Кошка сидит на ковре."), d.detect("OK!!"), d.detect("Café olé")
        ('und-Cyrl', 'und', 'und-Latn')
        """
        sample = text[:SAMPLE]
        ascii = sample.isascii()
        if ascii and " the " in sample and (" and " in sample or " of " in sample or " to " in sample):
            return "en"  # the fast path: plain English prose, about 1 us
        # Each of those shapes starts with one of these: most texts hold none, and skip the regex.
        if "@" in sample or "#" in sample or "<" in sample or "&" in sample or "http" in sample or "www." in sample:
            sample = _NOT_WORDS.sub(" ", sample)
        if ascii:
            # The runs of ASCII letters (what the regex [A-Za-z]+ finds), cheaper: in an ASCII
            # text everything else becomes a space, and split() cuts there.
            found = sample.translate(_LETTERS_ONLY).split()
            # With no capital there is nothing to lower and no lone capital to drop.
            return self._vote(set(found) if sample.islower() else _voters(found), 0)
        sample = unicodedata.normalize("NFC", sample)
        others = _OTHER_LETTERS.findall(sample)
        if others and sum(map(len, others)) > sum(map(len, _LATIN_LETTERS.findall(sample))):
            return "und-" + _script(others[0][0])
        words = _voters(_WORD.findall(sample))
        return self._vote(words, sum(not word.isascii() for word in words))

    def _vote(self, words: set[str], marked: int) -> str:
        """The verdict from the distinct voting words, ``marked`` of them with letters beyond ASCII."""
        english = len(words & self._english)
        foreign = words & self._foreign
        # No other language can score more than the words some other language lists, so
        # when English has at least that many (and the marked ones), it wins uncounted.
        if english and english >= len(foreign) + marked:
            return "en"
        best, top = 0, 0
        if foreign:  # some word is another language's: count them per language
            scores = [0] * len(self.codes)
            index = self._index
            for word in foreign:
                for lang in index[word]:
                    scores[lang] += 1
            best = max(range(1, len(scores)), key=scores.__getitem__)
            top = scores[best]
        # Words with letters English does not use are evidence against it,
        # whatever language they are from.
        against = top + marked
        if (english and english >= against) or (against < MIN_EVIDENCE and (english or not self._bare(words))):
            return "en" if english else "und"
        if top:
            return self.codes[best]
        return "und-Latn"

    @staticmethod
    def _bare(words: set[str]) -> bool:
        """Enough words, none an English function word, and most not English at all."""
        if len(words) < BARE_WORDS:
            return False
        known = english_lookup()  # read only now: most texts never get here
        # Bare when fewer than half the words are known; each lookup is a Python call, and
        # in an English text the first half of the words usually settles it.
        missing = (len(words) + 1) // 2  # known words that make it not bare
        for word in words:
            if word in known:
                missing -= 1
                if not missing:
                    return False
        return True

    def is_english(self, text: str) -> bool:
        """True when ``text`` is English, or shows no sign of any language.

        >>> d = default_detector()
        >>> d.is_english("Thanks @united, great flight!"), d.is_english("Merci pour le vol !")
        (True, False)
        """
        return self.detect(text) in ("en", "und")


def _voters(found: list[str]) -> set[str]:
    """The distinct words that vote, lowered: "ha ha ha ha" is not four Catalan "ha"s, and a
    single letter votes only in lower case or as "I": ":D" and "(Y)" are not French "d" and "y"."""
    return {word.lower() for word in set(found) if len(word) > 1 or word.islower() or word == "I"}


def _script(letter: str) -> str:
    name = unicodedata.name(letter, "")
    return _SCRIPTS.get(name.split(" ", 1)[0], "Zzzz")


@cache
def default_detector() -> Detector:
    """The detector with the bundled profiles, read once per process."""
    from augtool.io import corpora_dir

    return Detector(parse_profiles((corpora_dir() / PROFILES_FILE).read_text(encoding="utf-8")))


def _bundled_body(name: str, format_name: str, note: str = "") -> bytes:
    """A bundled gzip file's lines after its "#" header, once its first line names the format expected."""
    import gzip

    from augtool.io import corpora_dir

    data = gzip.decompress((corpora_dir() / name).read_bytes())
    if not data.startswith(f"#format: {format_name}\n".encode()):
        raise ValueError(f"{name}: expected format {format_name}{note}")
    start = 0
    while data.startswith(b"#", start):
        start = data.index(b"\n", start) + 1
    return data[start:]


def _word_bytes() -> bytes:
    """The bundled word list's words as UTF-8, one a line (its "#" header read past), sorted by lower-case form."""
    return _bundled_body(WORDS_FILE, "augtool-words/2", " (sorted by lower-case form)")


def _word_file() -> str:
    """``_word_bytes`` as text."""
    return _word_bytes().decode("utf-8")


@cache
def word_list() -> tuple[str, ...]:
    """The bundled English word list (SCOWL via Debian, case kept), read once per process."""
    return tuple(filter(None, _word_file().split("\n")))


@cache
def name_forms() -> tuple[frozenset[str], frozenset[str]]:
    """The lowercased forms the word list writes only with a capital ("eddie", "spielberg"), and all it
    writes so, common words among them ("murphy", "frank"): corpora/names-en.txt.gz, a few ms to load."""
    lines = _bundled_body(NAMES_FILE, "augtool-names/1").decode("utf-8").rstrip("\n").split("\n")
    # Every line is "form<TAB>kind": joined by tabs they alternate form, kind, form, kind... so the
    # two sets are built by C loops (a loop over 38,000 lines here took 17-25 ms of every start).
    fields = "\t".join(lines).split("\t")
    if len(fields) != 2 * len(lines):
        raise ValueError(f"{NAMES_FILE}: a line is not 'form<TAB>kind'")
    forms, kinds = fields[0::2], fields[1::2]
    return frozenset(itertools.compress(forms, map("N".__eq__, kinds))), frozenset(forms)


@cache
def english_lookup() -> SortedWords:
    """``english_words`` as one searchable string: 3 MB and 20 ms to load, where the set costs 40 MB and 0.27 s.

    The detector's last resort runs in every worker and slice; the audit, which looks up
    far more words, keeps the set.
    """
    from augtool.wordset import SortedWords, lower_utf8

    return SortedWords.from_sorted_text(lower_utf8(_word_bytes()))


@cache
def english_words() -> frozenset[str]:
    """Every word of the list, lowercased: names and acronyms are words too."""
    return frozenset(word.lower() for word in word_list())


@cache
def common_words() -> frozenset[str]:
    """The words the list has in lower case: "la" and "rude" are, "NASA" and "DVD" are not."""
    return frozenset(word for word in word_list() if word.islower())


def language_independent(op: object) -> bool:
    """Whether an operation suits any language (it adds no English words).

    >>> from augtool.augmenters import Resources, get
    >>> language_independent(get("rd")(alpha=0.1, resources=Resources()))
    True
    >>> language_independent(get("sr")(alpha=0.1, resources=Resources()))
    False
    """
    declared = getattr(op, "language_independent", None)
    if declared is not None:
        return bool(declared)
    return getattr(op, "name", None) in LANGUAGE_INDEPENDENT

"""Build the bundled synonym lexicon and word-form table (the only module importing nltk, wordfreq, lemminflect).

Which WordNet senses may give synonyms, and which lemmas may be offered, is decided here,
once, so the run time only looks words up. The rules (docs/synonyms.md has the reasons):

- a sense in which the head is only spelled as a name or an abbreviation ("Bush", "LA",
  "Ohio" for "oh") is written as a name sense (upper-case pos: a count, no synonyms);
- senses WordNet marks or glosses as offensive, and senses in a register that does not
  carry over (slang, colloquial, archaic, plural-only, trade names), keep their count but
  give no synonyms; the lemmas of offensive senses are never offered as synonyms anywhere;
- a synonym is never a name, an abbreviation, a numeral, a single letter, a clipped form of
  another lemma of its synset, a function word, a word whose register or connotation differs
  from the words it would stand for (`REGISTER_SHIFTS`), or a rare word (wordfreq Zipf below a
  bar), and it is offered only from a sense that is a real share of its own tagged uses;
- every head word lists the fixed expressions (WordNet's multi-word lemmas) it is part of,
  in which the run time never replaces it ("appeals court", "special effect", "sort out").
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import shutil
import tempfile
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from augtool.errors import LexiconError
from augtool.lexicon import FORMAT, Collocation, Sense, dumps_lexicon

if TYPE_CHECKING:
    from nltk.corpus.reader.wordnet import Lemma, Synset, WordNetCorpusReader

__all__ = [
    "LEXNAMES",
    "REGISTER_SHIFTS",
    "WRONG_SENSE",
    "Rules",
    "build_forms",
    "build_lexicon",
    "collect_collocations",
    "collect_senses",
    "is_offensive_gloss",
    "spelling_kind",
]

# WordNet's lexicographer file table, as documented in lexnames(5WN). NLTK's reader
# requires a `lexnames` file, which Debian's wordnet-base does not ship.
LEXNAMES = (
    "adj.all",
    "adj.pert",
    "adv.all",
    "noun.Tops",
    "noun.act",
    "noun.animal",
    "noun.artifact",
    "noun.attribute",
    "noun.body",
    "noun.cognition",
    "noun.communication",
    "noun.event",
    "noun.feeling",
    "noun.food",
    "noun.group",
    "noun.location",
    "noun.motive",
    "noun.object",
    "noun.person",
    "noun.phenomenon",
    "noun.plant",
    "noun.possession",
    "noun.process",
    "noun.quantity",
    "noun.relation",
    "noun.shape",
    "noun.state",
    "noun.substance",
    "noun.time",
    "verb.body",
    "verb.change",
    "verb.cognition",
    "verb.communication",
    "verb.competition",
    "verb.consumption",
    "verb.contact",
    "verb.creation",
    "verb.emotion",
    "verb.motion",
    "verb.perception",
    "verb.possession",
    "verb.social",
    "verb.stative",
    "verb.weather",
    "adj.ppl",
)
_LEXNAME_POS = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}

# The files NLTK's WordNetCorpusReader opens; index.sense is optional for our use.
_READER_FILES = (
    "cntlist.rev",
    "index.sense",
    "index.noun",
    "index.verb",
    "index.adj",
    "index.adv",
    "data.noun",
    "data.verb",
    "data.adj",
    "data.adv",
    "noun.exc",
    "verb.exc",
    "adj.exc",
    "adv.exc",
)
# A fixed stamp instead of today's date keeps rebuilds byte-identical.
_RELEASED = {"3.0": "2006-12", "3.1": "2011-06"}

# Usage domains (the `;u` pointers of the data files), by the first lemma of the domain synset.
# WordNet 3.0 has no "vulgarism" domain; it is listed for other versions.
OFFENSIVE_DOMAINS = frozenset({"ethnic_slur", "obscenity", "vulgarism", "disparagement"})
# Registers whose synonyms would not read as the same word in ordinary text.
REGISTER_DOMAINS = frozenset({"slang", "colloquialism", "archaism", "plural", "trademark", "trade_name"})
# Glosses that call the term itself offensive ("offensive term for ...", "(ethnic slur)",
# "obscene terms for ...", "now considered offensive"), not glosses about offensive things
# ("an offensive odor", "the offensive team").
_OFFENSIVE_GLOSS = re.compile(
    r"\bethnic slur\b"
    r"|\b(?:offensive|disparaging|derogatory|obscene|vulgar|insulting|pejorative|contemptuous)"
    r"(?:\s+(?:and|or|but)\s+\w+)?(?:\s+\w+)?\s+(?:term|terms|name|names|word|words|slang|expression|expressions)\b"
    r"|\((?:often |sometimes |usually )?(?:offensive|derogatory|disparaging|pejorative)[^)]*\)"
    r"|\b(?:considered|regarded as) offensive\b"
    r"|\bused pejoratively\b",
    re.IGNORECASE,
)
# Obscene word parts in lemmas whose synset carries no mark ("dumbass", "shithead" among the
# synonyms of "dunce"): such lemmas are never offered.
_OBSCENE = re.compile(r"(?:^|[ -])(?:fuck|shit|cunt|piss|twat|bitch|wank|whore|slut|arse|ass\b|asshole|dumbass|"
                      r"jackass|bollock|bugger)")
# Words whose everyday use is a part of speech WordNet lacks (interjection, preposition,
# discourse particle): "like" is mostly "such as", "please" a politeness marker, "thanks"
# an interjection, so their WordNet senses are the wrong reading in most texts. Never a
# head word and never a synonym. Complements corpora/stopwords-en.txt.
CLOSED_CLASS = frozenset(
    [
        "like", "unlike", "please", "thanks", "thank", "ok", "okay", "yes", "yeah", "yep", "oh", "hey", "wow",
        "hello", "hi", "bye", "goodbye", "well", "plus", "minus", "per", "versus", "despite", "worth", "pretty",
        "lot", "bit", "maybe", "perhaps", "else", "anyway", "alright", "next", "cum", "someone", "somebody",
        "anyone", "anybody", "everyone", "everybody", "something", "anything", "everything",
        # Spoken contractions WordNet files as adverbs or verbs ("kinda": rather): "these kinda of".
        "kinda", "sorta", "gonna", "wanna", "gotta", "lotta", "outta", "dunno",
        # Adverb senses of words mostly read otherwise: "merely boring" is not "but boring".
        "but", "just",
    ]
)
# Synonyms whose register or connotation is not that of the words they share a synset with:
# loaded ("regime" for government), bound to one domain ("squad" for any team, "pastor" for a
# government minister, "tribunal"-like legal terms), dated, literary or slang ("well-nigh",
# "jest", "beau", "nab"), a usage others count as an error ("insure" for ensure, "comprise" for
# contain), a shift of degree or attitude ("horrifying" for horrible, "ostensibly" for
# apparently, "decidedly" for definitely), or read first in another sense ("gay" for sunny,
# "babe" for baby, "wizard" for a star, "presently" for soon). Never offered as synonyms; they
# stay head words. Chosen by reading the most frequent replacements on real text (docs/synonyms.md).
REGISTER_SHIFTS = frozenset(
    [
        "regime", "squad", "pastor", "gay", "babe", "wizard", "jest", "well-nigh", "slumber", "psyche",
        "nutrient", "endowment", "sterling", "horrifying", "title-holder", "emphatically", "fearful",
        "infirmary", "residue", "redundant", "self-destruction", "elongated", "epoch", "penetrating",
        "decidedly", "presently", "specially", "notwithstanding", "far-famed", "littler", "beau", "java", "nab",
        "commonwealth", "vacate", "awe-inspiring", "singular", "presumption", "engagement", "fussy", "cosmos",
        "granular", "comprise", "insure", "expire", "illustrious", "wondrous", "ostensibly", "ordinarily",
        "woolly", "pike", "first-class",
    ]
)
# Pairs whose head's dominant sense in the tagged corpus (1960s prose) is not its usual one now:
# "terrible" then meant causing terror, "sanctions" in news are penalties, not approvals.
WRONG_SENSE = frozenset(
    [("terrible", "frightening"), ("terrible", "fearful"), ("sanction", "approve"), ("minister", "curate"),
     ("use", "apply"), ("lots", "dozens"), ("lots", "scores")]
)
# A vowel, or a "y" after the first letter (gym, myth), so "yr" and "mph" have none.
# Light and reporting verbs: their meaning is in the words around them ("make sense", "take
# place", "to say the least"), and their synonyms change the syntax ("said" -> "told"). As
# verbs they are never replaced nor offered.
LIGHT_VERBS = frozenset(
    [
        "be", "have", "do", "make", "take", "give", "get", "go", "come", "put", "set", "keep", "let", "say",
        "tell", "turn", "bring", "hold", "mean", "place", "lay",
    ]
)
# Derivational endings: a short lemma followed by one of these in another lemma is its root.
_SUFFIXES = frozenset(
    ["ness", "ment", "ity", "ty", "er", "or", "ist", "ism", "ing", "ion", "ation", "al", "ful", "less", "ly",
     "ship", "hood", "dom", "ance", "ence", "ous", "ive", "able", "ible", "y", "s", "es", "ed", "en", "ish"]
)
_VOWEL = re.compile(r"[aeiou]|(?<=.)y")
# British and American spellings of one word (realise/realize, programme/program) are not synonyms.
_VARIANTS = ((re.compile(r"is(e|ed|es|ing|ation|ations|er|ers)$"), r"iz\1"), (re.compile(r"our"), "or"),
             (re.compile(r"tre$"), "ter"), (re.compile(r"mme$"), "m"), (re.compile(r"ll"), "l"),
             (re.compile(r"ae|oe"), "e"), (re.compile(r"yse$"), "yze"), (re.compile(r"ogue$"), "og"))


@dataclass(frozen=True)
class Rules:
    """What `lexicon build` lets through; recorded in the lexicon header."""

    keep_offensive: bool = False
    min_zipf: float = 3.0  # each word of a synonym: about once per million words or more
    min_share: float = 0.25  # a synonym's share of its own tagged uses taken by this sense
    min_form_zipf: float = 2.0  # an inflected form must be in real use: once in 10 million words

    def describe(self) -> str:
        """One header line saying what the filters were."""
        offensive = "kept" if self.keep_offensive else "dropped, and their words never offered"
        return (
            f"name, abbreviation and numeral senses give no synonyms; offensive senses {offensive}; "
            "slang, colloquial, archaic, plural-only and trade-name senses and light verbs give no synonyms; "
            f"a synonym is a common word (wordfreq Zipf >= {self.min_zipf:g}), never a name, abbreviation, "
            "numeral, letter, clipped or derived form, spelling variant, function word or listed register shift, "
            f"tagged in this sense, which holds >= {self.min_share:g} of its tagged uses, in its main part of "
            "speech, and a noun of the head's number; each head lists the multi-word lemmas it is part of"
        )


def lexnames_text() -> str:
    """The `lexnames` file content: `NN<TAB>name<TAB>pos-number` per line."""
    return "".join(f"{i:02d}\t{name}\t{_LEXNAME_POS[name.split('.')[0]]}\n" for i, name in enumerate(LEXNAMES))


def spelling_kind(text: str) -> str | None:
    """Why a lemma is not a plain common word ("name", "abbreviation", "numeral", "letter"), or None.

    >>> [spelling_kind(w) for w in ["car", "Bush", "LA", "U.S.", "2", "u", "mph", "motor car", "x-ray"]]
    [None, 'name', 'abbreviation', 'abbreviation', 'numeral', 'letter', 'abbreviation', None, None]
    """
    if any(ch.isdigit() for ch in text):
        return "numeral"
    if "." in text:
        return "abbreviation"
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) <= 1:
        return "letter"
    if any(ch.isupper() for ch in text):
        # Two capitals in one word (LA, PhD, McCain) mark an abbreviation or a name spelled as one.
        if any(sum(ch.isupper() for ch in word) >= 2 for word in text.split(" ")):
            return "abbreviation" if any(w.isupper() for w in text.split(" ")) else "name"
        return "name"
    if any(word and not _VOWEL.search(word) for word in text.split(" ")):
        return "abbreviation"  # mph, kg, ft: no vowel
    return None


def is_offensive_gloss(gloss: str) -> bool:
    """True when a WordNet gloss says the term is offensive, not merely about something offensive.

    >>> is_offensive_gloss("(ethnic slur) offensive term for a person of German descent")
    True
    >>> is_offensive_gloss("having an offensive rancid odor"), is_offensive_gloss("the offensive team")
    (False, False)
    """
    return bool(_OFFENSIVE_GLOSS.search(gloss))


def build_lexicon(
    wordnet_dir: Path | None,
    out_path: Path,
    *,
    rules: Rules = Rules(),
    zipf: Callable[[str], float] | None = None,
    forms_path: Path | None = None,
    inflections: Callable[[str, str], Mapping[str, tuple[str, ...]]] | None = None,
    progress: Progress | None = None,
) -> dict[str, str]:
    """Read WordNet (a dict dir, or NLTK's `wordnet` corpus when None), write the lexicon, return its info.

    `zipf` gives a word's Zipf frequency (default: wordfreq's English list). With
    `forms_path`, the table of confirmed inflected forms is written there too
    (`inflections`: lemminflect's by default). `progress(stage, items, done)` is
    called every 10,000 items of a stage and once when it ends.
    """
    tick = progress or _no_progress
    zipf, frequencies = (zipf, "given by the caller") if zipf is not None else _wordfreq()
    with _wordnet_reader(wordnet_dir) as reader:
        version = reader.get_version() or "unknown"
        table, dropped = collect_senses(reader, rules=rules, zipf=zipf, progress=tick)
        fixed = collect_collocations(reader, table)
        tick("fixed expressions", sum(len(found) for found in fixed.values()), True)
    info = {
        "name": f"wordnet-{version}",
        "format": FORMAT,
        "source": f"WordNet {version}",
        "license": f"WordNet {version} license, see corpora/LICENSE-WordNet.txt",
        "built": _RELEASED.get(version, "unknown"),
        "builder": "augtool.lexbuild from NLTK WordNetCorpusReader; counts are Lemma.count()",
        "frequencies": frequencies,
        "rules": rules.describe(),
        "dropped": "; ".join(f"{key} {value}" for key, value in sorted(dropped.items())),
        "collocations": f"{sum(len(found) for found in fixed.values())} fixed expressions of {len(fixed)} head words, "
        "from WordNet's multi-word lemmas",
        "entries": str(len(table)),
    }
    data = dumps_lexicon(table, info, fixed)
    if out_path.suffix == ".gz":
        # mtime=0 and no file name in the gzip header, so equal input gives equal bytes.
        data = gzip.compress(data, compresslevel=9, mtime=0)
    _write_atomic(out_path, data)
    tick("head words written", len(table), True)
    if forms_path is not None:
        tick("word forms written", build_forms(table, forms_path, rules=rules, zipf=zipf, inflections=inflections),
             True)
    return info


# (stage, items so far, whether the stage is done): how a long build reports where it is.
Progress = Callable[[str, int, bool], None]
_TICK = 10_000


def _no_progress(stage: str, items: int, done: bool) -> None:
    pass


@dataclass
class _Lemma:
    """One lemma of one synset, as the filters see it."""

    text: str  # WordNet spelling, spaces for underscores
    head: str  # lowercased: the head word it files under
    count: int
    offensive: bool  # a lemma-level usage domain says so


def collect_senses(
    reader: WordNetCorpusReader, *, rules: Rules = Rules(), zipf: Callable[[str], float] | None = None,
    progress: Progress = _no_progress,
) -> tuple[dict[str, list[Sense]], Counter[str]]:
    """Head word -> senses (most frequent first), and how many senses/synonyms each rule dropped."""
    counts = _sense_counts(reader)
    dropped: Counter[str] = Counter()
    # synset name -> its lemmas, why it gives no synonyms, its gloss
    info: dict[str, tuple[list[_Lemma], str | None, str]] = {}
    totals: Counter[str] = Counter()  # lemma -> tagged uses over every synset and POS
    pos_totals: Counter[tuple[str, str]] = Counter()  # (lemma, pos) -> tagged uses
    banned: set[str] = set()  # lemmas of offensive senses: never offered as synonyms
    for number, synset in enumerate(reader.all_synsets(), 1):
        if number % _TICK == 0:
            progress("synsets read", number, False)
        lemmas = [_lemma_of(lemma, counts) for lemma in synset.lemmas()]
        domains = {_domain_name(d) for d in synset.usage_domains()}
        why: str | None = None
        if any(ch.isdigit() for lemma in lemmas for ch in lemma.text):
            why = "numeral senses"  # {two, 2, II, deuce}: notations of a number, not synonyms
        elif domains & REGISTER_DOMAINS:
            why = "slang/colloquial/archaic/plural-only/trade-name senses"
        if not rules.keep_offensive and (domains & OFFENSIVE_DOMAINS or is_offensive_gloss(synset.definition())):
            why = "offensive senses"
            banned.update(lemma.head for lemma in lemmas)
        pos = "a" if synset.pos() == "s" else synset.pos()
        # "Earth"/"earth" share one lowercased sense key: count a head once per synset.
        for head, count in _head_counts(lemmas).items():
            totals[head] += count
            pos_totals[(head, pos)] += count
        for lemma in lemmas:
            if lemma.offensive and not rules.keep_offensive:
                banned.add(lemma.head)
        info[synset.name()] = (lemmas, why, synset.definition())
    progress("synsets read", len(info), True)
    table: dict[str, list[Sense]] = {}
    names = 0
    for pos in "nvar":
        for name in reader.all_lemma_names(pos):
            names += 1
            if names % _TICK == 0:
                progress("lemmas ranked", names, False)
            head = name.replace("_", " ").lower()
            if len(head) < 2 or head in CLOSED_CLASS:
                continue
            # check_exceptions=False and the lemma filter drop morphy's extra forms ("axes" ->
            # "axis"); the synsets come in sense-number order, which breaks count ties.
            for synset in reader.synsets(name, pos, check_exceptions=False):
                lemmas, why, gloss = info[synset.name()]
                own = [lemma for lemma in lemmas if lemma.head == head]
                if own:
                    sense = _sense(head, pos, own, lemmas, why, gloss, (totals, pos_totals), banned, rules, zipf,
                                   dropped)
                    table.setdefault(head, []).append(sense)
    result = {
        head: sorted(senses, key=lambda sense: -sense.count)
        for head, senses in sorted(table.items())
        if any(sense.synonyms for sense in senses)
    }
    progress("lemmas ranked", names, True)
    dropped["head words without a usable synonym"] = len(table) - len(result)
    dropped["lemmas barred as offensive"] = len(banned)
    return result, dropped


# Stand-ins in WordNet's multi-word lemmas ("take someone's word for it"): any one word.
_ANY_WORD = frozenset({"someone", "somebody", "something", "someone's", "somebody's"})
# Particles of phrasal verbs, which may follow an object ("sort it out", "build them up").
_PARTICLES = frozenset(
    ["up", "out", "off", "down", "in", "on", "over", "away", "back", "through", "around", "about", "along", "aside",
     "apart", "together", "forward", "by"]
)
_MWE_WORD = re.compile(r"[a-z][a-z'.-]*")


def collect_collocations(reader: WordNetCorpusReader, table: Mapping[str, list[Sense]]) -> dict[str, list[Collocation]]:
    """Head word -> the fixed expressions (WordNet multi-word lemmas) holding it or a form of it.

    A phrasal verb is listed twice, with and without one word before its particle; in an
    expression, a synonym that makes another WordNet lemma is allowed ("kind of" -> "sort of").
    """
    expressions: dict[tuple[str, ...], set[str]] = {}  # words -> parts of speech
    for synset in reader.all_synsets():
        for lemma in synset.lemmas():
            name = lemma.name()
            # Names ("Big Sur", "George Bush") are capitalised in text, so never candidates; an
            # expression with a name in it ("thank God", "court of appeals") is kept.
            if "_" in name and any(word.islower() for word in name.split("_")):
                name = name.lower()
                words = tuple("*" if w in _ANY_WORD else w for w in name.split("_"))
                if all(_MWE_WORD.fullmatch(w) or w == "*" for w in words):
                    expressions.setdefault(words, set()).add(synset.pos())
    known = {" ".join(words) for words in expressions}
    found: dict[str, set[Collocation]] = {}
    for words, parts in sorted(expressions.items()):
        for at, word in enumerate(words):
            if word == "*" or all(other == "*" for k, other in enumerate(words) if k != at):
                continue
            # The head as written, or the lemma it is a form of ("used to": use).
            heads = {word} | {reader.morphy(word, pos) or word for pos in "nvar"}
            for head in sorted(h for h in heads if h in table):
                synonyms = {s.lower() for sense in table[head] for s in sense.synonyms}
                allows = tuple(sorted(s for s in synonyms if " ".join((*words[:at], s, *words[at + 1 :])) in known))
                shapes = [(words[:at], words[at + 1 :])]
                if "v" in parts and at == 0 and len(words) == 2 and words[1] in _PARTICLES:
                    shapes.append(((), ("*", words[1])))
                for before, after in shapes:
                    found.setdefault(head, set()).add(Collocation(before, after, allows))
    return {head: sorted(found[head], key=str) for head in sorted(found)}


def _sense(
    head: str,
    pos: str,
    own: list[_Lemma],
    lemmas: list[_Lemma],
    why: str | None,
    gloss: str,
    totals: tuple[Mapping[str, int], Mapping[tuple[str, str], int]],
    banned: set[str],
    rules: Rules,
    zipf: Callable[[str], float] | None,
    dropped: Counter[str],
) -> Sense:
    """The sense of `head` in one synset, with the synonyms the rules let through."""
    # "Earth"/"earth" share one lowercased sense key, so summing would double count.
    count = max(lemma.count for lemma in own)
    if all(spelling_kind(lemma.text) or _clipped(lemma, lemmas) for lemma in own):
        dropped["name or abbreviation senses"] += 1
        return Sense(pos.upper(), count, ())
    if not why and not rules.keep_offensive and any(lemma.offensive for lemma in own):
        why = "offensive senses"
    if not why and pos == "v" and head in LIGHT_VERBS:
        why = "light verbs"
    if why:
        dropped[why] += 1
        return Sense(pos, count, ())
    synonyms: list[str] = []
    seen = {head}
    for lemma in lemmas:
        if lemma.head in seen:
            continue
        seen.add(lemma.head)
        # Of "Earth" and "earth", the common spelling is the synonym.
        lemma = min((other for other in lemmas if other.head == lemma.head), key=lambda o: bool(spelling_kind(o.text)))
        reason = _synonym_problem(head, pos, lemma, lemmas, gloss, totals, banned, rules, zipf)
        if reason:
            dropped[f"synonyms: {reason}"] += 1
        else:
            synonyms.append(lemma.text)
    return Sense(pos, count, tuple(synonyms))


def _clipped(lemma: _Lemma, lemmas: list[_Lemma]) -> bool:
    """True for a short lemma cut from a longer one of its synset: min (minute), tec (detective).

    Not when it ends the longer one, a compound of it: car (railcar), bus (omnibus); nor when
    the rest is a suffix, a derivation of it: good (goodness).
    """
    short = lemma.head
    return " " not in short and len(short) <= 4 and any(
        " " not in other.head and len(other.head) >= len(short) + 2 and short in other.head
        and not other.head.endswith(short) and other.head.partition(short)[2] not in _SUFFIXES
        for other in lemmas
    )


def _spelling_key(word: str) -> str:
    """`word` with British spellings mapped to American ones, to compare spellings of one word.

    >>> [_spelling_key(w) for w in ["realise", "colour", "centre", "programme", "travelled", "analyse"]]
    ['realize', 'color', 'center', 'program', 'traveled', 'analyze']
    """
    for pattern, replacement in _VARIANTS:
        word = pattern.sub(replacement, word)
    return word


def _synonym_problem(
    head: str,
    pos: str,
    lemma: _Lemma,
    lemmas: list[_Lemma],
    gloss: str,
    totals: tuple[Mapping[str, int], Mapping[tuple[str, str], int]],
    banned: set[str],
    rules: Rules,
    zipf: Callable[[str], float] | None,
) -> str | None:
    """Why `lemma` may not be offered as a synonym from this synset, or None."""
    kind = spelling_kind(lemma.text)
    if kind:
        return kind + "s"
    if lemma.head in banned:
        return "offensive lemmas"
    if lemma.head in REGISTER_SHIFTS or (head, lemma.head) in WRONG_SENSE:
        return "register or connotation shifts"
    if _spelling_key(lemma.head) == _spelling_key(head):
        return "spelling variants"
    words = lemma.head.split(" ")
    if any(word in CLOSED_CLASS for word in words):
        return "function words"
    if _clipped(lemma, lemmas):
        return "clipped forms"  # min for minute, tues for tuesday, tec for detective
    if len(words) == 1 and "'" in lemma.head:
        return "elisions"  # e'er, ne'er, ch'i
    if _OBSCENE.search(lemma.head):
        return "offensive lemmas"
    if f"`{lemma.head}'" in gloss:
        return "usage notes"  # "(`het' is a dialectal variant of `heated')"
    if zipf is not None and any(zipf(word) < rules.min_zipf for word in re.split(r"[ -]", lemma.head) if word):
        return "rare words"
    if lemma.count == 0:
        # Never tagged in this sense: "carte" for menu, "medallion" for medal, "air hose" for
        # airline are real words, but not how this sense is said.
        return "untagged in this sense"
    if lemma.head in head or head in lemma.head:
        return "derived forms"  # percent/percentage, list/listing, especially/specially
    if pos == "v" and lemma.head in LIGHT_VERBS:
        return "light verbs"
    if pos == "n" and len(words) == 1 and _gerund_of(lemma.head, totals[1]):
        return "gerunds"  # "going" for departure, "integrating" for integration: read as verbs
    if pos == "n" and _plural_form(_noun_of(words), totals[1]) != _plural_form(_noun_of(head.split(" ")), totals[1]):
        return "number differs"  # "the government is" -> "the authorities is"
    total = totals[0][lemma.head]
    if total and lemma.count / total < rules.min_share:
        return "other senses dominant"  # "dark" for night: read as the adjective
    if total and totals[1][(lemma.head, pos)] * 2 < total:
        return "other parts of speech dominant"  # "brooks" for tolerates: read as streams
    return None


def _gerund_of(word: str, pos_totals: Mapping[tuple[str, str], int]) -> bool:
    """True when `word` is the -ing form of a WordNet verb: going (go), integrating (integrate), running (run).

    >>> _gerund_of("going", {("go", "v"): 0}), _gerund_of("ceiling", {("ceil", "n"): 0})
    (True, False)
    """
    if not word.endswith("ing") or len(word) < 5:
        return False
    stem = word[:-3]
    stems = {stem, stem + "e"} | ({stem[:-1]} if len(stem) > 2 and stem[-1] == stem[-2] else set())
    return any((candidate, "v") in pos_totals for candidate in stems)


def _noun_of(words: list[str]) -> str:
    """The word of a noun phrase that carries its number: the last, or the last before a preposition.

    >>> _noun_of(["state", "of", "affairs"]), _noun_of(["military", "personnel"])
    ('state', 'personnel')
    """
    at = next((k for k, word in enumerate(words) if k and word in ("of", "in", "on", "for", "to", "at", "from")),
              len(words))
    return words[at - 1]


def _plural_form(word: str, pos_totals: Mapping[tuple[str, str], int]) -> bool:
    """True when `word` is the plural of another WordNet noun: authorities (authority), tons (ton), boxes (box).

    >>> known = {("authority", "n"): 0, ("ton", "n"): 0, ("box", "n"): 0}
    >>> [_plural_form(w, known) for w in ["authorities", "tons", "boxes", "government", "bus"]]
    [True, True, True, False, False]
    """
    if not word.endswith("s") or len(word) < 4:
        return False
    stems = {word[:-1]} | ({word[:-2]} if word.endswith("es") else set()) | (
        {word[:-3] + "y"} if word.endswith("ies") else set())
    return any((stem, "n") in pos_totals for stem in stems)


def _head_counts(lemmas: list[_Lemma]) -> dict[str, int]:
    """Tagged count per head word in one synset, case variants counted once."""
    out: dict[str, int] = {}
    for lemma in lemmas:
        out[lemma.head] = max(out.get(lemma.head, 0), lemma.count)
    return out


def _lemma_of(lemma: Lemma, counts: Mapping[str, int]) -> _Lemma:
    text = lemma.name().replace("_", " ")
    offensive = any(_domain_name(d) in OFFENSIVE_DOMAINS for d in lemma.usage_domains())
    return _Lemma(text, text.lower(), counts.get(lemma.key(), 0), offensive)


def _domain_name(target: Synset | Lemma) -> str:
    """A usage domain's name: its synset's first lemma (a lemma-level pointer names a lemma)."""
    synset = target if hasattr(target, "lemmas") else target.synset()
    return synset.lemmas()[0].name().lower()


def _sense_counts(reader: WordNetCorpusReader) -> dict[str, int]:
    """Sense key -> tagged count from cntlist.rev, read once (as Lemma.count() reads it, per call)."""
    out: dict[str, int] = {}
    with reader.open("cntlist.rev") as stream:
        for line in stream:
            parts = line.split()
            if len(parts) == 3 and parts[0] not in out:
                out[parts[0]] = int(parts[2])
    return out


def _wordfreq() -> tuple[Callable[[str], float], str]:
    """wordfreq's English Zipf frequencies, and a header line naming the version."""
    try:
        from importlib.metadata import version

        import wordfreq
    except ImportError as exc:
        raise LexiconError(
            "lexicon build needs wordfreq and lemminflect: pip install 'augtool[lexicon]'"
        ) from exc

    def zipf(word: str) -> float:
        return float(wordfreq.zipf_frequency(word, "en"))

    return zipf, f"wordfreq {version('wordfreq')} English (large list), Zipf frequency"


# --- word forms -----------------------------------------------------------------------------

# lemminflect's Penn tags per form slot, in the order the forms file lists them.
_SLOT_TAGS = {
    "n": (("plural", "NNS"),),
    "v": (("3sg", "VBZ"), ("past", "VBD"), ("ppart", "VBN"), ("ing", "VBG")),
    "a": (("comp", "JJR"), ("sup", "JJS")),
    "r": (("comp", "RBR"), ("sup", "RBS")),
}
_UPOS = {"n": "NOUN", "v": "VERB", "a": "ADJ", "r": "ADV"}


def build_forms(
    table: Mapping[str, list[Sense]],
    out_path: Path,
    *,
    rules: Rules = Rules(),
    zipf: Callable[[str], float] | None = None,
    inflections: Callable[[str, str], Mapping[str, tuple[str, ...]]] | None = None,
) -> int:
    """Write the ``augtool-forms/1`` table for every one-word head and synonym; return its lines.

    A form is listed only when the inflection source gives it and it is in real use
    (Zipf >= `rules.min_form_zipf`); spelling variants follow, most frequent first.
    """
    from augtool.inflect import FORMS_FORMAT

    source = "given by the caller"
    if inflections is None:
        inflections, source = _lemminflect()
    if zipf is None:
        zipf, _ = _wordfreq()
    wanted: set[tuple[str, str]] = set()
    for head, senses in table.items():
        for sense in senses:
            if sense.is_name:
                continue
            for word in (head, *(s.lower() for s in sense.synonyms)):
                # Multi-word lemmas inflect one of their words, looked up on its own.
                for part in word.split(" "):
                    wanted.add((sense.pos, part))
    lines = []
    for pos, lemma in sorted(wanted):
        found = inflections(lemma, pos)
        slots = []
        for _slot, tag in _SLOT_TAGS[pos]:
            forms = found.get(tag) or (found.get("VBD", ()) if tag == "VBN" else ())
            real = [f for f in forms if f.isalpha() or "-" in f or "'" in f]
            bar = rules.min_form_zipf
            if any(f != lemma for f in real) and lemma in real:
                # "information" listed as its own plural marks a mass noun, and the base spelling
                # always looks frequent: only a distinct form in common use ("fishes"), or nothing.
                real = [f for f in real if f != lemma]
                bar = rules.min_zipf
            confirmed = sorted({f for f in real if zipf(f) >= bar}, key=lambda f: (-zipf(f), f))
            if len({_spelling_key(f) for f in confirmed}) > 1:
                confirmed = []  # was/were, lay/lied: which one depends on what the table cannot see
            slots.append(",".join(confirmed))
        if any(slots):
            lines.append("\t".join([pos, lemma, *slots]))
    header = [
        f"#format: {FORMS_FORMAT}",
        f"#source: {source}; forms confirmed by wordfreq Zipf >= {rules.min_form_zipf:g}",
        "#slots: n plural; v 3sg past ppart ing; a comp sup; r comp sup",
    ]
    data = "\n".join(header + lines) + "\n"
    _write_atomic(out_path, gzip.compress(data.encode("utf-8"), compresslevel=9, mtime=0))
    return len(lines)


def _lemminflect() -> tuple[Callable[[str, str], Mapping[str, tuple[str, ...]]], str]:
    """lemminflect's dictionary forms (never its out-of-vocabulary rules), and a line naming it."""
    try:
        from importlib.metadata import version

        import lemminflect
    except ImportError as exc:
        raise LexiconError(
            "lexicon build needs wordfreq and lemminflect: pip install 'augtool[lexicon]'"
        ) from exc

    def inflections(lemma: str, pos: str) -> Mapping[str, tuple[str, ...]]:
        found: Any = lemminflect.getAllInflections(lemma, upos=_UPOS[pos])
        return found

    return inflections, f"lemminflect {version('lemminflect')} dictionary forms (NIH SPECIALIST Lexicon)"


# --- reading WordNet ------------------------------------------------------------------------


@contextlib.contextmanager
def _wordnet_reader(wordnet_dir: Path | None) -> Iterator[WordNetCorpusReader]:
    """Yield a reader over `wordnet_dir`, staged with a `lexnames` file when it lacks one."""
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    class _EnglishOnlyReader(WordNetCorpusReader):
        """A reader that skips the OMW version mapping, which needs NLTK's own wordnet data."""

        def map_wn(self, version: str = "wordnet") -> None:
            """No mapping: we never read Open Multilingual WordNet."""
            return None

    if wordnet_dir is None:
        try:
            root = nltk.data.find("corpora/wordnet")
        except LookupError as exc:
            raise LexiconError(
                "NLTK's wordnet corpus is not installed: run `python -m nltk.downloader wordnet`, "
                "or pass --wordnet DIR with a WordNet dict directory (e.g. /usr/share/wordnet)"
            ) from exc
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "multilingual functions are not available"
            yield _EnglishOnlyReader(root, None)
        return

    missing = [name for name in ("index.noun", "data.noun", "cntlist.rev") if not (wordnet_dir / name).is_file()]
    if missing:
        raise LexiconError(
            f"{wordnet_dir} is not a WordNet dict directory (missing {', '.join(missing)}); "
            "pass the directory holding index.noun and data.noun, e.g. /usr/share/wordnet"
        )
    with tempfile.TemporaryDirectory(prefix="augtool-wordnet-") as tmp:
        # NLTK refuses paths outside nltk.data.path and symlinks leaving the reader's
        # root, so the files are copied into a staging dir that is allowed while we read.
        stage = Path(tmp)
        for name in (*_READER_FILES, "lexnames"):
            if (wordnet_dir / name).is_file():
                shutil.copyfile(wordnet_dir / name, stage / name)
        for name in ("noun.exc", "verb.exc", "adj.exc", "adv.exc"):
            (stage / name).touch()
        if not (stage / "lexnames").is_file():
            (stage / "lexnames").write_text(lexnames_text(), encoding="utf-8")
        nltk.data.path.append(str(stage))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield _EnglishOnlyReader(str(stage), None)
        finally:
            nltk.data.path.remove(str(stage))


def _write_atomic(out_path: Path, data: bytes) -> None:
    """Write via a temp file in the same directory, so readers never see half a lexicon."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    try:
        # mkstemp makes the file 0600; a bundled data file must be readable by all.
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, out_path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise

"""WordNet's synsets turned into the lexicon's table: senses with their filtered synonyms, and fixed expressions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from augtool.lexbuild.rules import (
    CLOSED_CLASS,
    DEFAULT_RULES,
    LIGHT_VERBS,
    OFFENSIVE_DOMAINS,
    REGISTER_DOMAINS,
    Rules,
    SynsetLemma,
    clipped,
    is_offensive_gloss,
    spelling_kind,
    synonym_problem,
)
from augtool.lexbuild.wordnet import sense_counts
from augtool.lexicon import Collocation, Sense

if TYPE_CHECKING:
    from nltk.corpus.reader.wordnet import Lemma, Synset, WordNetCorpusReader


# (stage, items so far, whether the stage is done): how a long build reports where it is.
Progress = Callable[[str, int, bool], None]
_TICK = 10_000


def no_progress(stage: str, items: int, done: bool) -> None:
    """The default ``Progress``: say nothing."""


def collect_senses(
    reader: WordNetCorpusReader, *, rules: Rules = DEFAULT_RULES, zipf: Callable[[str], float] | None = None,
    progress: Progress = no_progress,
) -> tuple[dict[str, list[Sense]], Counter[str]]:
    """Head word -> senses (most frequent first), and how many senses/synonyms each rule dropped.

    ``progress`` hears every 10,000 synsets read and lemma names ranked, and the end of each stage.
    """
    counts = sense_counts(reader)
    dropped: Counter[str] = Counter()
    # synset name -> its lemmas, why it gives no synonyms, its gloss
    info: dict[str, tuple[list[SynsetLemma], str | None, str]] = {}
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
    own: list[SynsetLemma],
    lemmas: list[SynsetLemma],
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
    if all(spelling_kind(lemma.text) or clipped(lemma, lemmas) for lemma in own):
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
        reason = synonym_problem(head, pos, lemma, lemmas, gloss, totals, banned, rules, zipf)
        if reason:
            dropped[f"synonyms: {reason}"] += 1
        else:
            synonyms.append(lemma.text)
    return Sense(pos, count, tuple(synonyms))


def _head_counts(lemmas: list[SynsetLemma]) -> dict[str, int]:
    """Tagged count per head word in one synset, case variants counted once."""
    out: dict[str, int] = {}
    for lemma in lemmas:
        out[lemma.head] = max(out.get(lemma.head, 0), lemma.count)
    return out


def _lemma_of(lemma: Lemma, counts: Mapping[str, int]) -> SynsetLemma:
    text = lemma.name().replace("_", " ")
    offensive = any(_domain_name(d) in OFFENSIVE_DOMAINS for d in lemma.usage_domains())
    return SynsetLemma(text, text.lower(), counts.get(lemma.key(), 0), offensive)


def _domain_name(target: Synset | Lemma) -> str:
    """A usage domain's name: its synset's first lemma (a lemma-level pointer names a lemma)."""
    synset = target if hasattr(target, "lemmas") else target.synset()
    return str(synset.lemmas()[0].name().lower())

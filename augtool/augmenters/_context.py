"""Where a word stands: the context classes of its neighbours, sentence starts, shouted text, "a" or "an".

Read by ``SynonymSource`` (``_synonyms.py``) to decide which words are common words and how to read them.
"""

from __future__ import annotations

import unicodedata

from augtool.tokens import Tokens

# The context rules read the word before and the word after. Classes of the word before:
BEFORE = {
    **dict.fromkeys(
        ["the", "a", "an", "this", "these", "those", "my", "your", "his", "its", "our", "their", "every", "each",
         "another", "whose"], "det"),  # no verb follows; a noun when "of" follows ("a myriad of")
    "to": "to",
    **dict.fromkeys(
        ["will", "would", "shall", "should", "can", "could", "may", "might", "must", "cannot", "don't", "doesn't",
         "didn't", "won't", "can't", "couldn't", "wouldn't", "shouldn't", "i", "we", "they", "he", "she"],
        "verb"),  # a verb follows whenever the word can be one ("I emphasised", "can't help")
    "you": "you",  # a subject or an object ("for you guys"): a verb is likelier, not certain
    # "the most annoying": an adjective, not a verb's -ing form; but "most people": a noun too.
    **dict.fromkeys(["most", "more", "less", "least"], "degree"),
    # "so kind", "too late", "very well": an adjective or an adverb whenever the word can be one.
    **dict.fromkeys(["very", "so", "too", "quite", "extremely", "fairly", "incredibly"], "intensifier"),
    **dict.fromkeys(["is", "are", "was", "were", "am", "be", "'s", "'re", "'m"], "be"),
    **dict.fromkeys(["been", "being", "get", "gets", "got", "getting"], "passive"),
    "of": "of",  # a verb only as a gerund or participle ("of using"): "months of use" is the noun
}


# ... and of the word after: "of" (no verb: "uses of"), an object ("help the", "sort it").
AFTER = {
    "of": "of",
    **dict.fromkeys(
        ["the", "a", "an", "his", "my", "your", "their", "our", "its", "them", "him", "me", "us", "it"], "object"),
}


# What the two classes say, as a hint: "noun" (no verb), "noun!" (a noun), "verb" (likelier),
# "verb!" (a verb, or an adverb, when it can be one), "adj-ing" (an -ing word may be an adjective),
# "adj" (no verb; an adjective or an adverb when the word can be one), "nonfinite" (a verb only as
# a gerund or participle).
HINTS = {
    ("det", "of"): "noun!", ("det", None): "noun", ("det", "object"): "noun",
    ("to", "object"): "verb!", ("to", None): "verb", ("to", "of"): "noun",
    ("verb", None): "verb!", ("verb", "object"): "verb!", ("verb", "of"): "verb!",
    ("you", None): "verb", ("you", "object"): "verb!", ("you", "of"): "noun",
    ("degree", None): "noun", ("degree", "object"): "noun", ("degree", "of"): "noun",
    ("intensifier", None): "adj", ("intensifier", "object"): "adj", ("intensifier", "of"): "adj",
    ("be", None): "adj-ing", ("be", "object"): "adj-ing", ("be", "of"): "adj-ing",
    ("passive", None): "verb!", ("passive", "object"): "verb!", ("passive", "of"): "verb!",
    (None, "of"): "noun", (None, "object"): "verb",
    ("of", None): "nonfinite", ("of", "object"): "nonfinite", ("of", "of"): "nonfinite",
}


# After "a"/"an" only a synonym taking the same article fits ("an opportunity": not "chance").
_AN_EXCEPTIONS = ("hour", "honest", "honor", "honour", "heir")


_A_EXCEPTIONS = ("uni", "use", "usu", "eu", "one", "once", "ewe", "ubiq", "uran", "uto", "euro")


# What may end a sentence or open one before a word: the separator's last visible
# character (closing quotes and brackets skipped) is one of these, or it holds a line break.
# Not ";": it starts no capitalised sentence, and AG News writes entities as " amp; ", " #39;".
_ENDS_SENTENCE = frozenset(".!?…:-–—>*•|")


_CLOSERS = frozenset("\"'”’)]}»")


_OPENERS = frozenset("\"'“‘([{«¿¡")


_BREAKS = frozenset("\n\r\v\f\x85\u2028\u2029")


# Abbreviated titles and name parts whose full stop is followed by a name, not a new sentence.
_TITLES = frozenset(
    [
        "mr", "mrs", "ms", "dr", "prof", "st", "mt", "ft", "jr", "sr", "lt", "col", "gen", "gov", "sen", "rep",
        "rev", "capt", "sgt", "cpl", "maj", "cmdr", "adm", "pres", "supt", "insp", "messrs", "mme", "mlle", "hon",
        "fr", "sra", "no", "vs",
    ]
)


# A text shouts when this share of its longer words are all capitals; then an all-capitals
# word is an ordinary word written loud, unless WordNet knows it as a name or abbreviation.
_SHOUTED_SHARE = 0.6


_SHOUTED_RUN = 4


_CLAUSE_WORDS = frozenset(
    [
        "I", "ME", "MY", "YOU", "YOUR", "WE", "IT", "IS", "ARE", "WAS", "WERE", "BE", "BEEN", "AM",
        "DO", "DID", "DOES", "HAVE", "HAS", "HAD", "WILL", "CAN", "THE", "THIS", "THAT", "NOT", "SO",
        "VERY", "JUST", "ALL", "WHAT", "WHY", "HOW",
    ]
)


def _spellings(table: dict[str, str]) -> dict[str, str]:
    """The table with each word also in title case, capitals and a curly apostrophe, so text looks up as is."""
    out: dict[str, str] = {}
    for word, value in table.items():
        for variant in (word, word.title(), word.upper(), word[:1].upper() + word[1:]):
            out[variant] = out[variant.replace("'", "’")] = value
    return out


BEFORE = _spellings(BEFORE)
AFTER = _spellings(AFTER)


def _class(table: dict[str, str], word: str | None) -> str | None:
    """The context class of a neighbouring word, or None."""
    if word is None:
        return None
    return table.get(word)  # exact spellings only, so `candidates` and `choices_at` always agree


def hint_of(previous: str | None, following: str | None = None) -> str | None:
    """What the words around a word say of its part of speech (see `HINTS`).

    >>> hint_of("to", "the"), hint_of("the", "of"), hint_of("I"), hint_of(None, "of"), hint_of("most"), hint_of("so")
    ('verb!', 'noun!', 'verb!', 'noun', 'noun', 'adj')
    >>> hint_of("dog", "dog") is None
    True
    """
    return HINTS.get((_class(BEFORE, previous), _class(AFTER, following)))


def takes_an(word: str) -> bool:
    """Whether ``word`` takes "an" rather than "a", by its spelling ("an hour", "a union").

    >>> [takes_an(w) for w in ["apple", "hour", "union", "car", "Euro", "one", "idea"]]
    [True, True, False, False, False, False, True]
    """
    lower = word.lower()
    if lower.startswith(_AN_EXCEPTIONS):
        return True
    return lower[:1] in "aeiou" and not lower.startswith(_A_EXCEPTIONS)


def starts_sentence(tokens: Tokens, i: int) -> bool:
    """True when word ``i`` may be capitalised for its position: first word, or after . ! ? : a line break, a quote…

    >>> words = ["Hi", "Tom", "Then", "Bush", "said", "Aid", "Next", "Mr", "Coffee"]
    >>> tokens = Tokens(words, ["", " ", ". ", " (", " ", " U.S. ", ': "', " ", ". ", ""])
    >>> [starts_sentence(tokens, i) for i in range(9)]
    [True, False, True, False, False, False, True, False, False]
    """
    if i == 0:
        return True
    sep = tokens.seps[i]
    if not _BREAKS.isdisjoint(sep):
        return True
    visible = sep.rstrip()
    opened = False
    while visible and visible[-1] in _OPENERS:
        # A quote or bracket opens a sentence only after one ended: 'said, "The' but not "for 'Halo".
        visible = visible[:-1].rstrip()
        opened = True
    visible = visible.rstrip("".join(_CLOSERS))
    if not visible:
        return False
    last = visible[-1]
    if last == "." and len(visible) > 1 and visible[-2].isalpha():
        return False  # "U.S. Aid": the full stop of an abbreviation the tokenizer kept whole
    if last == "." and visible == "." and tokens.words[i - 1].lower() in _TITLES:
        return False  # "Mr. Coffee", "Dr. Strange": a title's full stop ends no sentence
    # An emoji or other symbol often ends a sentence in social text.
    return last in _ENDS_SENTENCE or unicodedata.category(last) == "So" or (opened and last == ",")


class Context:
    """Facts about a whole text that the name and abbreviation rules need, computed once on demand."""

    __slots__ = ("_runs", "_shouted", "_tokens", "capitalised_inside")

    def __init__(self, tokens: Tokens) -> None:
        self._tokens = tokens
        words = tokens.words
        # Words capitalised where no sentence starts: names by the text's own evidence.
        self.capitalised_inside = frozenset(
            word for i, word in enumerate(words) if word[:1].isupper() and not word.isupper() and i
            and not starts_sentence(tokens, i)
        )
        self._shouted: bool | None = None
        self._runs: list[bool] | None = None

    def shouted(self, i: int) -> bool:
        """Whether the all-capitals word at ``i`` is loud text, not an abbreviation."""
        words = self._tokens.words
        if self._shouted is None:
            longer = [word for word in words if len(word) > 1]
            self._shouted = sum(word.isupper() for word in longer) >= _SHOUTED_SHARE * len(longer)
        if self._shouted:
            return True
        if self._runs is None:
            # For each word, whether its run of all-capitals words is loud: long enough and
            # holding a clause word. "THIS IS THE WORST AIRLINE" shouts; a byline and dateline
            # ("RACHEL KONRAD CARSON CITY") or "NEW YORK" is a string of names.
            loud = [False] * len(words)
            start = 0
            for end in range(1, len(words) + 1):
                if end < len(words) and words[end].isupper() and words[end - 1].isupper():
                    continue
                run = words[start:end]
                if len(run) >= _SHOUTED_RUN and any(word in _CLAUSE_WORDS for word in run):
                    loud[start:end] = [True] * len(run)
                start = end
            self._runs = loud
        return self._runs[i]

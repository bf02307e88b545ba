"""``rs``: swap two words n times; separators and protected tokens never move."""

from __future__ import annotations

import bisect
import itertools
from typing import ClassVar

from augtool.augmenters import Resources, n_changes, register
from augtool.augmenters._context import starts_sentence
from augtool.guards import label_bound
from augtool.rng import Draws, Stream, stream_of
from augtool.tokens import Tokens, clitic_hosts, pinned

# When the two words drawn are the same, another is drawn among the slots holding a
# different word. Up to this many slots that list is built each time, as in version 2;
# above it, an index of where each word sits answers in O(log n), so a huge text stays
# n log n (a different draw, from the same distribution).
_SCAN_LIMIT = 10_000


@register
class RandomSwap:
    """EDA random swap; only pairs of different words count, so a swap always changes text.

    With the guards, a negation, its verb and its head, and a sentence's question word and
    its head stay where they are;
    so does a word glued to a backslash before it (see tokens.pinned), a word glued to a slash, and a
    capitalised sentence opener.
    """

    name: ClassVar[str] = "rs"
    summary: ClassVar[str] = "random swap: exchange the positions of two words, n times at most"
    # 2: negation guard; 3: markup, escapes and placeholders are no longer words
    # (docs/tokenization.md), pinned words stay, over 10,000 words a tie is redrawn in O(log n).
    # 4: split contractions ("is nt") and a sentence's question word with its head stay put.
    # 5: random numbers from a keyed hash of the seed and the record (augtool/rng.py).
    # 6: AG News entities without "&" (" quot;", "amp;T") are no longer words
    # 7: negation_bound no longer remembers a capital "T" as no negation.
    # 8: a clitic split from its word ("Shakespeare 's", "they 're") stays put (tokens.pinned).
    # 9: so does the word it was split from ("Dick Clark 's" moved "Clark" away from its "'s").
    # 10: no swap puts a word beside the same word with only blanks between ("to to", "my my" in
    # 4 % of the rs copies of airline tweets; pairs already there do not count): such a draw is
    # drawn again, up to 8 times
    # 11: a word that opens a sentence with a capital stays put ("quickly blender arrived The and":
    # 72 % of IMDB reviews' rs copies had a lower-case word at a sentence start)
    # 12: a word glued to a slash stays put ("were/are" became "a/are", "w/" became "they/")
    version: ClassVar[int] = 12

    def __init__(self, *, alpha: float, resources: Resources) -> None:
        self.alpha = alpha
        self._guards = resources.policy.guards
        self._memo_key = "rs.slots.guarded" if self._guards else "rs.slots"

    def __call__(self, tokens: Tokens, rng: Draws) -> Tokens:
        size = len(tokens.words)
        if size < 2:
            return tokens
        memo = tokens.memo
        plan: tuple[list[int], int] | None = memo.get(self._memo_key) if memo is not None else None  # type: ignore[assignment]
        if plan is None:
            plan = self._plan(tokens)
            memo = tokens.memo
            if memo is None:
                memo = tokens.memo = {}
            memo[self._memo_key] = plan
        slots, swaps = plan
        if not swaps:
            return tokens
        words = tokens.words.copy()
        index = _Index(words, slots) if len(slots) > _SCAN_LIMIT else None
        stream = stream_of(rng)
        _swap(words, tokens.seps, slots, stream, index, swaps)
        if words == tokens.words:  # later swaps undid earlier ones
            _swap(words, tokens.seps, slots, stream, index)
        return Tokens(words, tokens.seps)  # separators are never edited in place: share them

    def _plan(self, tokens: Tokens) -> tuple[list[int], int]:
        """The positions whose words may move and the number of swaps, once per text; no swaps when none
        can change the text."""
        words = tokens.words
        size = len(words)
        slots = list(range(size))
        # A split clitic stays put (pinned), and so does its word: "Dick Clark 's birthday" must not
        # become "Dick birthday 's Clark".
        bound = pinned(tokens)
        hosts = clitic_hosts(tokens)
        if hosts:
            bound = bound | hosts
        if self._guards:
            bound = bound | label_bound(tokens)
        # A capitalised sentence opener stays where it is, so no lower-case word lands in its place:
        # "quickly blender arrived The and crushes ice".
        openers = _openers(tokens)
        if openers:
            bound = bound | openers
        # A word glued to a slash is half of a pair ("and/or", "were/are", "w/"): moved, it leaves
        # "a/are", "they/" behind.
        slashed = _slashed(tokens)
        if slashed:
            bound = bound | slashed
        if bound:
            slots = [i for i in slots if i not in bound]
        if len(slots) < 2:
            return slots, 0
        first = words[slots[0]]
        for i in slots:  # a loop, not all() over a generator: this runs once per text
            if words[i] != first:
                return slots, n_changes(self.alpha, size)
        return slots, 0  # one word over and over: no swap changes anything


def _openers(tokens: Tokens) -> frozenset[int]:
    """Positions of words that open a sentence with a capital (``_context.starts_sentence``: the text's
    start, or after . ! ? : a line break, an emoji...)."""
    words = tokens.words
    found = []
    for i in range(len(words)):
        word = words[i]
        if word:
            first = word[0]  # compiled, a C character (rs.pxd): a capital is one test, no string made
            if first.isupper() and starts_sentence(tokens, i):
                found.append(i)
    return frozenset(found) if found else _NONE


def _slashed(tokens: Tokens) -> frozenset[int]:
    """Positions of words with a slash right before or right after them, no blank between."""
    seps = tokens.seps
    if "/" not in "".join(seps):  # most texts: one join and one search, no loop
        return _NONE
    found = []
    for i in range(len(tokens.words)):
        before, after = seps[i], seps[i + 1]
        if before.endswith("/") or after.startswith("/"):
            found.append(i)
    return frozenset(found) if found else _NONE


_NONE: frozenset[int] = frozenset()


# Draws for one swap before it is given up: in "to the shop to buy", most swaps of "the" or
# "shop" with the second "to" put it beside the first ("to to").
_TRIES = 8


def _swap(words: list[str], seps: list[str], slots: list[int], rng: Stream, index: _Index | None = None,
          times: int = 1) -> None:
    """Exchange two different words among ``slots``, ``times`` times (the caller ensures there are two).

    A swap that would put a word beside the same word ("my my", "You you") is drawn again,
    and given up after `_TRIES` draws.
    """
    size = len(slots)
    for _ in range(times):
        for _ in range(_TRIES):
            # Compiled, rng is typed (rs.pxd): a C call into the stream (rng.stream_of).
            a = rng.below(size)
            b = rng.below(size - 1)
            b += b >= a
            i, j = slots[a], slots[b]
            if words[i] == words[j]:
                j = (rng.choice([k for k in slots if words[k] != words[i]]) if index is None
                     else index.other(words[i], rng))
            if not _doubles(words, seps, i, j):
                break
        else:
            continue
        if index is not None:
            index.moved(words[i], i, words[j], j)
        words[i], words[j] = words[j], words[i]


def _doubles(words: list[str], seps: list[str], i: int, j: int) -> bool:
    """Whether exchanging the words at ``i`` and ``j`` leaves more words beside the same word, any case.

    Beside means with only blanks between: "quick https://x.io quick" reads as no stutter.
    Pairs already in the text do not count against a swap: "red red red blue" may still
    become "blue red red red". Runs for every swap drawn: the usual answer (no equal
    neighbours after the swap) costs a length comparison per pair.
    """
    last = len(words) - 1
    first, second = words[i], words[j]
    # The left ends of the pairs the swap touches; a pair met twice (i and j side by side) holds
    # the two different words being swapped, so it counts nothing either time.
    ends = (i - 1, i, j - 1, j)
    after = 0
    for k in ends:
        if 0 <= k < last:
            x = second if k == i else first if k == j else words[k]  # as they stand after the swap
            y = second if k + 1 == i else first if k + 1 == j else words[k + 1]
            if len(x) == len(y) and (x == y or x.lower() == y.lower()) and seps[k + 1].isspace():
                after += 1
    if not after:
        return False
    for k in ends:
        if 0 <= k < last:
            x, y = words[k], words[k + 1]
            if len(x) == len(y) and (x == y or x.lower() == y.lower()) and seps[k + 1].isspace():
                after -= 1
    return after > 0


class _Index:
    """Where each distinct word sits among the slots; a swap updates it in O(1).

    A swap never changes how many slots hold each word, so the cumulative counts
    are fixed, and a slot with a word other than w is drawn by one random number
    and a binary search over them.
    """

    def __init__(self, words: list[str], slots: list[int]) -> None:
        self.where: dict[str, list[int]] = {}
        self.offset: dict[int, int] = {}  # slot -> its place in where[its word]
        for slot in slots:
            places = self.where.setdefault(words[slot], [])
            self.offset[slot] = len(places)
            places.append(slot)
        self.names = list(self.where)
        self.rank = {name: r for r, name in enumerate(self.names)}
        self.ends = list(itertools.accumulate(len(self.where[name]) for name in self.names))

    def moved(self, a: str, i: int, b: str, j: int) -> None:
        """Word ``a`` goes from slot i to j and ``b`` from j to i."""
        offset = self.offset
        self.where[a][offset[i]] = j
        self.where[b][offset[j]] = i
        offset[i], offset[j] = offset[j], offset[i]

    def other(self, word: str, rng: Draws) -> int:
        """A slot drawn uniformly among those holding a word other than ``word``."""
        count = len(self.where[word])
        r = rng.randrange(self.ends[-1] - count)
        start = self.ends[self.rank[word]] - count
        if r >= start:
            r += count  # skip the word's own range
        u = bisect.bisect_right(self.ends, r)
        return self.where[self.names[u]][r - (self.ends[u - 1] if u else 0)]

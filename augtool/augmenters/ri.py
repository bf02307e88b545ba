"""``ri``: insert a synonym of a random non-stopword word at a random word boundary."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import ClassVar

from augtool.augmenters import n_changes, register
from augtool.augmenters._synonyms import SynonymOperation
from augtool.guards import is_negation, keeps_apart
from augtool.rng import Draws
from augtool.tokens import Tokens, pinned, pins

# What `_doubles` compares: an inserted word's first and last words and its kin (`_ends`).
_Ends = tuple[str, str, tuple[str, ...]]

# Up to this many words, plain list inserts (a memmove each) are cheapest; above it,
# a Fenwick tree keeps each insertion O(log n), so a huge text stays n log n.
_LIST_LIMIT = 2_000


@register
class RandomInsertion(SynonymOperation):
    """EDA random insertion, n times at most (once per distinct source word); stopwords are never a source
    (unlike eda_nlp #14, #24)."""

    name: ClassVar[str] = "ri"
    summary: ClassVar[str] = "random insertion: add a synonym of a random content word, n times at most"
    # 2: sense restriction, inflection, negation guard; 3: names kept, real forms; 4: markup,
    # escapes and placeholders are no longer words (docs/tokenization.md), never after a
    # backslash, n log n on huge texts.
    # 11: AG News entities without "&" (" quot;", "amp;T") are no longer words
    version: ClassVar[int] = 23  # 5: context, fixed expressions, articles, register list (docs/synonyms.md)
    # 6: an upper-case synonym only between upper-case words; 7: bylines are names, not shouting;
    # 8: never before a question word or inside "what is", "is nt", "don t"
    # 9: random numbers from a keyed hash of the seed and the record (augtool/rng.py)
    # 10: never inserted right after a mark glued to the next word (- / ` # @): no "AN-tremendous TI"
    # 12: never between a split clitic and its apostrophe ("game 's", not "game 'districts s");
    # no synonym with WordNet's "one's" or "oneself" in it
    # 13: after an intensifier ("so kind") a word is read as an adjective or adverb when it can be one;
    # each insertion takes a word not used yet while there is one, and none lands beside the same word
    # 14: each source word gives one insertion at most (a word that recurs is one source), and no
    # synonym goes in twice: a text with few sources gets fewer insertions; as sr 12, no source
    # beside a word that is only a name ("eddie murphy")
    # 15: with the guards, never right before a negation ("can vast not adequately describe"); as
    # sr 13, a word in "can't help but", "not nearly", "happen to" is no source; never at the start
    # of a sentence that opens with a capital ("acknowledge I went")
    # 16: as sr 14, "sorts" in "of sorts" and "big" in "big on" are no source ("marvel of kinds sorts");
    # no word goes in within three words of the same word ("statistics countries on countries")
    # 17: never right beside the word it is a synonym of ("Name 11 famous noted martyrs"); a word with
    # no place to go in gives way to another source, not to one insertion fewer
    # 18: as sr 15, "handed" in "heavy handed" is no source; no synonym ending in a preposition from a
    # one-word adjective
    # 19: as sr 16, "seek" is a synonym of "try" only where "to" follows it
    # 20: as sr 17, 27 more wrong-sense pairs in the lexicon and "as soon as", "no idea", "according to",
    # "cross my fingers"
    # 21: as sr 18, 50 more pairs, and "a ray of hope", "to be desired", "my humble opinion", "lo and
    # behold", "run-of-the mill"
    # 22: as sr 19, 21 more pairs, and "a big fan", "a small amount", "how soon", "a total stranger",
    # "a good idea"; no "appear" before "like"
    # 23: as sr 20, no "littler" or "littlest"
    # 24: as sr 21, the frames of "aid", "assist", "look" and "anticipate"; no finite verb read after "of";
    # 24 more wrong-sense pairs and four expressions

    def __call__(self, tokens: Tokens, rng: Draws) -> Tokens:
        choices_in = self._synonyms.choices_in
        sources = self._candidates(tokens)
        if not sources:
            return tokens
        source_words = tokens.words
        out = _Sequence(tokens) if len(source_words) > _LIST_LIMIT else _ListSequence(tokens)
        pins = bool(pinned(tokens))
        stopwords = self._stopwords
        # Each insertion takes a synonym of a word not used yet: three "anticipates" in one
        # sentence, all from its one "expects", read as a stuck key, and "film" and "motion
        # picture" both for one "movie" as a restatement. A word that recurs is one source, at one
        # of its places, and no synonym goes in twice: a review whose only word with a synonym was
        # "mysterious" got "cryptic" 24 times. A text with fewer such words than alpha asks for
        # gets fewer insertions, as sr replaces only what it can.
        places: dict[str, list[int]] = {}
        for at in sources:
            places.setdefault(source_words[at].lower(), []).append(at)
        unused = list(places.values())
        inserted: set[str] = set()
        for _ in range(n_changes(self.alpha, len(source_words))):
            placed = False
            while unused and not placed:
                k = rng.randrange(len(unused))
                group = unused[k]
                unused[k] = unused[-1]  # removed in O(1): a huge text draws a lot
                unused.pop()
                at = group[rng.randrange(len(group))] if len(group) > 1 else group[0]
                fresh: Sequence[str] = choices_in(tokens, at)
                if inserted and not inserted.isdisjoint(fresh):  # most texts: no synonym in common
                    fresh = [choice for choice in fresh if choice not in inserted]
                if not fresh:  # every synonym of this word is in already (another word's)
                    continue
                new = rng.choice(fresh)
                source = source_words[at]
                slot = _slot_for(out, rng.randint(0, out.size), _ends(new, source, fresh),
                                 _content(new, stopwords), self._guards, pins)
                if slot is None:  # no place in this text where the word reads well: another source
                    continue
                inserted.add(new)
                # Title case marks a sentence start or a name, not the inserted word; capitals are
                # kept only inside a shouted passage, so "GREAT" never lands among lower-case words.
                if not (source.isupper() and len(source) > 1 and _shouted_at(out, slot)):
                    new = new.lower()
                out.insert(slot, new)
                placed = True
            if not placed:
                break
        return out.tokens()


# A word right after one of these is glued to it: an insertion there would make "AN-tremendous".
_GLUE = ("-", "/", "`", "#", "@")


def _slot_for(out: _ListSequence | _Sequence, slot: int, ends: _Ends, content: tuple[str, ...],
              guards: bool, pins: bool) -> int | None:
    """Where a word with these `_ends` and `_content` goes in, drawn at ``slot``: there or the nearest slot where
    it doubles no word, opens no sentence, repeats none close by and, with the guards, splits nothing; None if
    no slot will do."""
    if guards or _doubles(out, slot, ends) or _opens_sentence(out, slot) or _repeats(out, slot, content):
        safe = _safe_slot(out, slot, ends, content, guards)  # tests ``slot`` itself first
        if safe is None:
            return None
        slot = safe
    checked = slot
    # Never between a backslash and the word glued to it (tokens.pinned): after that word.
    while slot < out.size and (out.glued_at(slot) or (
            pins and (out.pinned_at(slot) or (guards and _apart(out, slot))))):
        slot += 1
    if slot != checked and _misfits(out, slot, ends, content, guards):
        return None  # moved by the rule above next to the same word, its source or a negation, or to a sentence start
    return slot


def _misfits(out: _ListSequence | _Sequence, slot: int, ends: _Ends, content: tuple[str, ...], guards: bool) -> bool:
    """Whether a word with these `_ends` and `_content` reads badly at ``slot``: beside the same word or its kin,
    opening a sentence, close to the same word, or (with the guards) splitting what `_apart` keeps together."""
    return ((guards and _apart(out, slot)) or _doubles(out, slot, ends) or _opens_sentence(out, slot)
            or _repeats(out, slot, content))


def _apart(out: _ListSequence | _Sequence, slot: int) -> bool:
    """Must nothing go in at ``slot`` (guards.keeps_apart of the words either side, or a negation after it)?

    A word put just before a negation reads as what it negates or as a stray word:
    "a column of words can vast not adequately describe", "lies cryptic not in the spring"
    (1.6 % of SST-2's ri copies, 19 % of IMDB's, before version 15).
    """
    before = out.word_at(slot - 1) if slot else ""
    after = out.word_at(slot) if slot < out.size else ""
    return keeps_apart(before, after, out.word_at(slot - 2) if slot > 1 else "") or is_negation(after)


def _safe_slot(out: _ListSequence | _Sequence, slot: int, ends: _Ends, content: tuple[str, ...],
               guards: bool) -> int | None:
    """The nearest slot at or before ``slot`` where a word with these `_ends` and `_content` does not misfit
    (`_misfits`); else at or after; None if none.

    "with looked looked Red Sox" reads as a typo (`_doubles`). "not glad happy" and "happy what is" read
    differently: never between a negation and its head, a question word and its head, a verb
    and its "nt", nor before a question word.
    """
    for candidate in itertools.chain(range(slot, -1, -1), range(slot + 1, out.size + 1)):
        if not _misfits(out, candidate, ends, content, guards):
            return candidate
    return None


# An inserted word that already stands this close reads as a stutter or a slip: "statistics
# countries on countries", "gave up nearly on him" beside "nearly gave up" (1.6 % of IMDB reviews'
# ri copies before version 16). Further off it reads as the writer's own repetition.
_WINDOW = 3


def _content(word: str, stopwords: frozenset[str]) -> tuple[str, ...]:
    """The words of an inserted word or phrase that `_repeats` looks for, lowercased: all but stopwords
    ("for the most part" near "the" is no repeat)."""
    return tuple([part for part in word.lower().split() if part not in stopwords])


def _repeats(out: _ListSequence | _Sequence, slot: int, content: tuple[str, ...]) -> bool:
    """Whether one of ``content`` already stands within `_WINDOW` words of ``slot``, any case (a phrase
    inserted earlier counts by each of its words)."""
    if not content:
        return False
    for word in out.window(max(0, slot - _WINDOW), slot + _WINDOW):
        lower = word.lower()
        if lower in content or (" " in lower and not set(content).isdisjoint(lower.split())):
            return True
    return False


# A separator that ends a sentence: a full stop, question or exclamation mark (closing quotes or
# brackets after it) and a blank, or a line break. Narrower than _context.starts_sentence, which
# reads a finished Tokens and also counts a colon or an opening quote and spares abbreviations
# ("U.S. Aid"); ri asks about a sequence it is still inserting into. One reading for both would
# change ri 15's output: left for a later version.
_SENTENCE_GAP = re.compile(r"[.!?…][\"'’”)\]]*\s+\Z|\n\s*\Z")


def _opens_sentence(out: _ListSequence | _Sequence, slot: int) -> bool:
    """Would a word at ``slot`` open a sentence, before a capital ("deep. assist I'ts called", "acknowledge I went")?

    The inserted word is lower-cased, so there it reads as a broken sentence start (23 % of
    IMDB reviews' ri copies and 5 % of airline tweets' had one, before ri 15). A lower-case
    text (SST-2) has no capital to break.
    """
    if slot >= out.size or not out.word_at(slot)[:1].isupper():
        return False
    return slot == 0 or _SENTENCE_GAP.search(out.sep_before(slot)) is not None


def _ends(word: str, source: str, synonyms: Sequence[str]) -> _Ends:
    """What `_doubles` compares, lowercased: the first and last words of a word or phrase, and its kin: the word
    it is a synonym of and that word's other synonyms."""
    folded = word.lower()
    # Usually the source is lower-case, and its synonyms are in its case already (tokens.apply_case).
    kin = (source, *synonyms) if source.islower() else (source.lower(), *[synonym.lower() for synonym in synonyms])
    return folded.partition(" ")[0], folded.rpartition(" ")[2], kin


def _doubles(out: _ListSequence | _Sequence, slot: int, ends: _Ends) -> bool:
    """Whether a word or phrase with these `_ends` at ``slot`` would stand next to the same word or to its kin,
    any case.

    "with looked looked Red Sox" reads as a typo, and "Name 11 famous noted martyrs", "the
    motion picture movie", "truly genuinely excellent" as a writer who could not choose (a
    synonym beside its source in 14 % of SST-2's ri copies and 18 % of TREC questions', before
    version 17). Inserted phrases are one word here: the ends that would meet are compared
    ("more and more more and more", "look up up").
    """
    first, last, kin = ends
    if slot:
        before = out.word_at(slot - 1).lower()
        if before in kin or (before.rpartition(" ")[2] if " " in before else before) == first:
            return True
    if slot < out.size:
        after = out.word_at(slot).lower()
        if after in kin or (after.partition(" ")[0] if " " in after else after) == last:
            return True
    return False


def _shouted_at(out: _ListSequence | _Sequence, slot: int) -> bool:
    """True when every word beside ``slot`` is in capitals (and there is at least one)."""
    near = [out.word_at(i) for i in (slot - 1, slot) if 0 <= i < out.size]
    return bool(near) and all(word.isupper() and len(word) > 1 for word in near)


class _ListSequence:
    """Words and separators as plain lists: the insertion rule, for ordinary texts."""

    def __init__(self, tokens: Tokens) -> None:
        self.words = tokens.words.copy()
        self.seps = tokens.seps.copy()

    @property
    def size(self) -> int:
        return len(self.words)

    def word_at(self, position: int) -> str:
        return self.words[position]

    def window(self, start: int, stop: int) -> list[str]:
        """The words from ``start`` up to ``stop`` (or the end)."""
        return self.words[start:stop]

    def pinned_at(self, position: int) -> bool:
        return pins(self.seps[position], self.words[position])

    def glued_at(self, position: int) -> bool:
        """Does the separator before ``position`` end in a mark glued to the word ("AN-TI", "(`Gen")?"""
        return self.seps[position].endswith(_GLUE)

    def sep_before(self, position: int) -> str:
        """The separator before the word at ``position`` (< size)."""
        return self.seps[position]

    def insert(self, slot: int, word: str) -> None:
        """Put ``word`` before the word at ``slot`` (or at the end), with one space on its inner side."""
        words, seps = self.words, self.seps
        words.insert(slot, word)
        # The separator that was at the slot stays on the outer side, so line breaks
        # and punctuation keep their place.
        if slot < len(words) - 1:
            seps.insert(slot + 1, " ")
        else:
            seps.insert(slot, " ")

    def tokens(self) -> Tokens:
        return Tokens(self.words, self.seps)


class _Sequence:
    """The same insertions as ``_ListSequence`` in O(log n) each, for huge texts.

    The text is cut into blocks, one per original word: the words inserted before it,
    then the word itself (the last block holds the words inserted at the end). A
    Fenwick tree over the block sizes finds the block holding any position.
    """

    def __init__(self, tokens: Tokens) -> None:
        self.words = tokens.words
        self.seps = tokens.seps
        n = len(self.words)
        self.left = tokens.seps[:-1]  # each original word's separator before it, as it is now
        self.extra: dict[int, list[list[str]]] = {}  # block -> its inserted [separator, word] pairs
        self.size = n
        self.tree = [0] * (n + 2)  # 1-based Fenwick tree; block g sits at index g + 1
        tree = self.tree
        for index in range(1, n + 1):  # every original block starts with one word: O(n) build
            tree[index] += 1
            parent = index + (index & -index)
            if parent <= n + 1:
                tree[parent] += tree[index]
        self.top = 1 << (n + 1).bit_length()

    def _locate(self, position: int) -> tuple[int, int]:
        """The block holding ``position`` (< size) and the offset in it."""
        tree, length, index, step = self.tree, len(self.tree), 0, self.top
        while step:
            nxt = index + step
            if nxt < length:
                count = tree[nxt]
                if count <= position:
                    index = nxt
                    position -= count
            step >>= 1
        return index, position  # block `index` (0-based) holds it, `position` items in

    def word_at(self, position: int) -> str:
        block, offset = self._locate(position)
        extra = self.extra.get(block, ())
        return extra[offset][1] if offset < len(extra) else self.words[block]

    def window(self, start: int, stop: int) -> list[str]:
        """The words from ``start`` up to ``stop`` (or the end)."""
        return [self.word_at(position) for position in range(start, min(stop, self.size))]

    def pinned_at(self, position: int) -> bool:
        block, offset = self._locate(position)
        # An inserted word never is.
        return offset == len(self.extra.get(block, ())) and pins(self.left[block], self.words[block])

    def glued_at(self, position: int) -> bool:
        """As ``_ListSequence.glued_at`` (an inserted word is never glued)."""
        block, offset = self._locate(position)
        return offset == len(self.extra.get(block, ())) and self.left[block].endswith(_GLUE)

    def sep_before(self, position: int) -> str:
        """As ``_ListSequence.sep_before``: an inserted word's own separator, else its block's."""
        block, offset = self._locate(position)
        extra = self.extra.get(block, ())
        return extra[offset][0] if offset < len(extra) else self.left[block]

    def insert(self, slot: int, word: str) -> None:
        """As ``_ListSequence.insert``."""
        if slot == self.size:
            block = len(self.words)
            self.extra.setdefault(block, []).append([" ", word])
        else:
            block, offset = self._locate(slot)
            extra = self.extra.setdefault(block, [])
            if offset < len(extra):  # before an inserted word
                extra.insert(offset, [extra[offset][0], word])
                extra[offset + 1][0] = " "
            else:
                extra.append([self.left[block], word])
                self.left[block] = " "
        self.size += 1
        index, tree = block + 1, self.tree
        while index < len(tree):
            tree[index] += 1
            index += index & -index

    def tokens(self) -> Tokens:
        words: list[str] = []
        seps: list[str] = []
        start = 0  # original words from here on have nothing inserted before them yet
        for block, extra in sorted(self.extra.items()):
            words += self.words[start:block]
            seps += self.left[start:block]
            for sep, new in extra:
                seps.append(sep)
                words.append(new)
            start = block
        words += self.words[start:]
        seps += self.left[start:]
        seps.append(self.seps[-1])
        return Tokens(words, seps)

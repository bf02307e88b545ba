"""``rd``: delete each word with probability alpha, never all of them."""

from __future__ import annotations

from random import Random
from typing import ClassVar

from augtool.augmenters import Resources, register
from augtool.guards import negation_bound
from augtool.tokens import Tokens

_CLOSING = frozenset(",.;:!?)]}'\"…")


def _join_gap(left: str, right: str, at_start: bool, at_end: bool) -> str:
    r"""Merge the separators around a deleted word, leaving one gap, not two.

    >>> _join_gap(" ", ", ", False, False), _join_gap(".\n", " ", False, False)
    (', ', '.\n')
    """
    if left == " " and right == " ":
        return " "  # by far the most common gap: between two plain words
    core_left = left.rstrip()
    lead = left[len(core_left) :]
    core_right = right.lstrip()
    trail = right[: len(right) - len(core_right)]
    if "\n" in trail:
        gap = trail  # the deleted word ended a line: the line break stays
    elif "\n" in lead:
        gap = lead
    elif at_start:
        gap = lead  # nothing before the word: no new leading space
    elif at_end and not core_right:
        gap = trail
    elif core_right[:1] in _CLOSING and not trail:
        # "brown fox, jumps" -> "brown, jumps", not "brown , jumps"; but a mark that
        # stood apart ("the world 's") stays apart, or it would glue onto a word.
        gap = ""
    else:
        gap = trail or lead
    return core_left + gap + core_right


@register
class RandomDeletion:
    """EDA random deletion; at least one word goes and at least one stays when possible."""

    name: ClassVar[str] = "rd"
    summary: ClassVar[str] = "random deletion: drop each word with probability alpha"
    version: ClassVar[int] = 2  # 2: negation guard

    def __init__(self, *, alpha: float, resources: Resources) -> None:
        self.alpha = alpha
        self._guards = resources.policy.guards

    def __call__(self, tokens: Tokens, rng: Random) -> Tokens:
        size = len(tokens.words)
        if size < 2:
            return tokens
        alpha = self.alpha
        random = rng.random
        keep: set[int] = set()
        if self._guards:
            # A negation, and its head: "not good" must not lose either word.
            keep = negation_bound(tokens.words)
            if len(keep) >= size:
                return tokens
        # Every position still draws, so texts without negations get the same deletions either way.
        drop = [i for i in range(size) if random() < alpha and i not in keep]
        if not drop:
            deletable = [i for i in range(size) if i not in keep]
            drop = [deletable[int(random() * len(deletable))]]  # EDA would return the text unchanged
        elif len(drop) == size:
            del drop[int(random() * size)]
        words = tokens.words.copy()
        seps = tokens.seps.copy()
        # Right to left, so earlier indices stay valid; the word before a
        # deleted one tells whether the gap is at the start of the text.
        for i in reversed(drop):
            at_start = i == 0 or (0 in drop and all(j in drop for j in range(i)))
            seps[i : i + 2] = [_join_gap(seps[i], seps[i + 1], at_start, i == len(words) - 1)]
            del words[i]
        return Tokens(words, seps)

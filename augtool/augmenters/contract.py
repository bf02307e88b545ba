"""Holding a plugin's operation to the contract (docs/plugins.md) while it runs."""

from __future__ import annotations

from collections.abc import Callable
from random import Random
from typing import TYPE_CHECKING

from augtool.errors import LexiconError
from augtool.rng import RecordRandom, Stream
from augtool.tokens import Tokens

if TYPE_CHECKING:
    from augtool.augmenters import AugmenterFactory


class ContractCheck:
    """Runs a plugin's operation and holds it to the contract, so a plugin cannot silently damage data.

    The input must come back untouched, the protected text between words
    (``seps``) must survive in order, and with the negation guard on, the
    negations must stay. A breach stops the run (exit 5) naming the plugin.
    """

    def __init__(self, op: Callable[[Tokens, Random], Tokens], factory: AugmenterFactory, guards: bool) -> None:
        self._op = op
        self.name, self.summary, self.version = factory.name, factory.summary, factory.version
        self._guards = guards
        self._view: RecordRandom | None = None

    def __getattr__(self, name: str) -> object:
        """Anything else the plugin declares (e.g. ``language_independent``) is read from it."""
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._op, name)

    def _breach(self, what: str) -> LexiconError:
        return LexiconError(f"augmenter {self.name!r} broke its contract: {what} (see docs/plugins.md)")

    def __call__(self, tokens: Tokens, rng: Random | Stream) -> Tokens:
        words, seps = list(tokens.words), list(tokens.seps)
        if isinstance(rng, Stream):
            # The pipeline's stream, which has only the built-in operations' draws: the plugin
            # gets a random.Random over it, so both read one sequence.
            view = self._view
            if view is None or view.stream is not rng:
                view = self._view = RecordRandom(stream=rng)
            out = self._op(tokens, view)
        else:
            out = self._op(tokens, rng)
        if tokens.words != words or tokens.seps != seps:
            raise self._breach("it edited its input in place; edit tokens.copy() and return that")
        if out is tokens:
            return tokens
        if not isinstance(out, Tokens) or len(out.seps) != len(out.words) + 1:
            raise self._breach("it must return Tokens with one more separator than words")
        # Protected text (URLs, numbers, punctuation, --protect terms) lives in seps: each
        # non-blank piece must still be there, in order (new marks and spaces may be added).
        joined, position = "".join(out.seps), 0
        for piece in "".join(seps).split():
            position = joined.find(piece, position)
            if position < 0:
                raise self._breach(f"it changed or dropped the protected text {piece!r}")
            position += len(piece)
        if self._guards:
            from augtool.guards import is_negation

            if [w.lower() for w in words if is_negation(w)] != [w.lower() for w in out.words if is_negation(w)]:
                raise self._breach("it removed, replaced or reordered a negation (--no-guards allows it)")
        return out

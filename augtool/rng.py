"""Random numbers for one record, read from a keyed hash instead of a seeded generator.

Seeding a Mersenne Twister fills 624 words of state for every record, more than a
record's few dozen draws cost. Here a record's numbers are BLAKE2b blocks of its key
(the run's seed and the record's identity): block i is the 64-byte digest of the key
with i as salt, read as eight 64-bit words. Nothing is carried from one record to the
next, so a record's copies stay the same in any order, split or parallel.

``RecordRandom`` is a ``random.Random``: plugins get every method they know; the ones
the built-in operations use (``random``, ``choice``, ``randrange``, ``randint``, and
``sample``/``shuffle`` through ``getrandbits``) read the stream directly.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from hashlib import blake2b
from random import Random
from typing import Any, TypeVar

__all__ = ["RecordRandom"]

T = TypeVar("T")
_WORDS = struct.Struct("<8Q").unpack
_MASK = (1 << 64) - 1
_SCALE = 2.0**-53
_SALTS = [i.to_bytes(16, "little") for i in range(64)]
# The hash of block i starts from its salt alone: copying that state and adding the key gives the
# same digest as hashing the key with the salt, without parsing the constructor's keywords per block.
_STARTS = [blake2b(salt=salt) for salt in _SALTS]


def _floats(words: tuple[int, ...], start: int, stop: int) -> list[float]:
    """Words [start, stop) of a block as floats in [0, 1), each as ``RecordRandom.random`` reads one.

    A function of its own, not a line of ``randoms``: compiled, it reads the words as C
    integers (rng.pxd), which a method of a ``random.Random`` subclass cannot declare.
    """
    scale = _SCALE
    return [(word >> 11) * scale for word in words[start:stop]]


class RecordRandom(Random):
    """A generator whose numbers depend only on its key (bytes).

    >>> a, b = RecordRandom(b"7\\x1fr1"), RecordRandom(b"7\\x1fr1")
    >>> [a.random() for _ in range(20)] == [b.random() for _ in range(20)]
    True
    >>> a.seed(b"other"); b.seed(b"other"); a.sample(range(100), 5) == b.sample(range(100), 5)
    True
    >>> r = RecordRandom(b"k"); sorted({r.randrange(3) for _ in range(200)}), 0.0 <= r.random() < 1.0
    ([0, 1, 2], True)
    """

    def __init__(self, key: bytes | int | str = b"") -> None:
        # Random.__init__ would seed the Mersenne Twister underneath, which is never used.
        self.seed(key)

    def seed(self, a: Any = b"", version: int = 2) -> None:
        """Start the stream of key ``a`` (bytes; an int or str is encoded first)."""
        if isinstance(a, int):
            a = b"%d" % a
        elif isinstance(a, str):
            a = a.encode("utf-8")
        elif not isinstance(a, bytes):
            raise TypeError(f"RecordRandom keys are bytes, int or str, not {type(a).__name__}")
        self._key = a
        self._block = 0
        self._words: tuple[int, ...] = ()
        self._at = 8  # the first draw computes block 0: a record that draws nothing costs nothing
        self.gauss_next = None

    def _refill(self) -> tuple[int, ...]:
        """Compute the next block of eight words; the caller reads its first."""
        block = self._block
        if block < 64:
            state = _STARTS[block].copy()
            state.update(self._key)
        else:
            state = blake2b(self._key, salt=block.to_bytes(16, "little"))
        self._words = words = _WORDS(state.digest())
        self._block = block + 1
        return words

    # The reads below repeat _next's few lines instead of calling it: a method call
    # costs more than the read itself, and these run several times per copy.
    def _next(self) -> int:
        """The next 64-bit word of the stream."""
        at = self._at
        if at == 8:
            words, at = self._refill(), 0
        else:
            words = self._words
        self._at = at + 1
        return words[at]

    def random(self) -> float:
        """A float in [0, 1) with 53 random bits."""
        at = self._at
        if at == 8:
            words, at = self._refill(), 0
        else:
            words = self._words
        self._at = at + 1
        return (words[at] >> 11) * _SCALE

    def randoms(self, n: int) -> list[float]:
        """``[self.random() for _ in range(n)]``, the same numbers, without a method call per number."""
        out: list[float] = []
        at, words = self._at, self._words
        while len(out) < n:
            if at == 8:
                words, at = self._refill(), 0
            take = min(8 - at, n - len(out))
            out += _floats(words, at, at + take)
            at += take
        self._at = at
        return out

    def getrandbits(self, k: int) -> int:
        """An int with ``k`` random bits (what ``sample``, ``shuffle`` and the like draw from)."""
        if k <= 64:
            if k < 0:
                raise ValueError("number of bits must be non-negative")
            return self._next() >> (64 - k)
        out, bits = 0, 0
        while bits < k:
            out |= self._next() << bits
            bits += 64
        return out & ((1 << k) - 1)

    def _below(self, n: int) -> int:
        """An int in [0, n), unbiased: a 64-bit word times n, rejecting the few low parts that would skew it."""
        if n > _MASK:
            return super()._randbelow(n)  # type: ignore[misc,no-any-return]  # typeshed leaves out _randbelow
        at = self._at
        if at == 8:
            words, at = self._refill(), 0
        else:
            words = self._words
        self._at = at + 1
        product = words[at] * n
        if product & _MASK < n:
            limit = (1 << 64) % n
            while product & _MASK < limit:
                product = self._next() * n
        return product >> 64

    _randbelow = _below

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]  # any sized, indexable sequence
        """One element of a non-empty sequence."""
        if not seq:
            raise IndexError("Cannot choose from an empty sequence")
        n = len(seq)
        at = self._at
        if n > _MASK or at == 8:
            return seq[self._below(n)]
        self._at = at + 1
        product = self._words[at] * n
        if product & _MASK < n:
            limit = (1 << 64) % n
            while product & _MASK < limit:
                product = self._next() * n
        return seq[product >> 64]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        """As ``random.Random.randrange``; ``randrange(n)`` reads one word."""
        if stop is None and step == 1 and type(start) is int and start > 0:
            at = self._at
            if start > _MASK or at == 8:
                return self._below(start)
            self._at = at + 1
            product = self._words[at] * start
            if product & _MASK < start:
                limit = (1 << 64) % start
                while product & _MASK < limit:
                    product = self._next() * start
            return product >> 64
        return super().randrange(start, stop, step)

    def randint(self, a: int, b: int) -> int:
        """An int in [a, b], both ends included (the draw ``randrange(a, b + 1)`` makes)."""
        if type(a) is int and type(b) is int and b >= a:
            return a + self._below(b - a + 1)
        return self.randrange(a, b + 1)

    def getstate(self) -> tuple[Any, ...]:
        return (self._key, self._block, self._words, self._at, self.gauss_next)

    def setstate(self, state: tuple[Any, ...]) -> None:
        self._key, self._block, self._words, self._at, self.gauss_next = state

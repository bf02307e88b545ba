"""Random numbers for one record, read from a keyed hash instead of a seeded generator.

Seeding a Mersenne Twister fills 624 words of state for every record, more than a
record's few dozen draws cost. Here a record's numbers are BLAKE2b blocks of its key
(the run's seed and the record's identity): block i is the 64-byte digest of the key
with i as salt, read as eight 64-bit words. Nothing is carried from one record to the
next, so a record's copies stay the same in any order, split or parallel.

Two objects read a stream. ``Stream`` has only the draws the built-in operations make
(``random``, ``randoms``, ``below``, ``choice``, ``randrange``, ``randint``, ``sample``);
compiled, it is an extension type (rng.pxd) whose state is C fields: a ``below`` costs about
50 instructions called from C (rs's swaps), a few hundred through a Python call, where a
method of a Python class cost about 1,000 with its attribute reads and writes (session 10,
docs/performance.md). ``RecordRandom`` is a ``random.Random`` over a stream, for plugins: they
get every method they know, and the numbers they draw come from the same stream, so a run
mixing built-in and plugin operations reads one sequence whichever object draws.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from hashlib import blake2b
from random import Random
from typing import Any, Protocol, TypeVar

__all__ = ["Draws", "RecordRandom", "Stream", "stream_of"]

T = TypeVar("T")
_WORDS = struct.Struct("<8Q").unpack
_MASK = (1 << 64) - 1
_SCALE = 2.0**-53
_SALTS = [i.to_bytes(16, "little") for i in range(64)]
# The hash of block i starts from its salt alone: copying that state and adding the key gives the
# same digest as hashing the key with the salt, without parsing the constructor's keywords per block.
_STARTS = [blake2b(salt=salt) for salt in _SALTS]


class Draws(Protocol):
    """The draws a built-in operation makes: what a ``Stream`` and any ``random.Random`` both have."""

    def random(self) -> float: ...

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int: ...

    def randint(self, a: int, b: int) -> int: ...

    def choice(self, seq: Sequence[T]) -> T: ...

    def sample(self, population: Sequence[T], k: int) -> list[T]: ...


def _floats(words: tuple[int, ...], start: int, stop: int) -> list[float]:
    """Words [start, stop) of a block as floats in [0, 1), each as ``Stream.random`` reads one.

    A function of its own, not a line of ``randoms``: compiled, it reads the words as C
    integers (rng.pxd).
    """
    scale = _SCALE
    return [(word >> 11) * scale for word in words[start:stop]]


class Stream:
    """The numbers of one key (bytes), with the draws the built-in operations make.

    Each draw reads the next 64-bit word(s) of the stream exactly as ``RecordRandom``'s
    method of the same name does (``random.Random``'s algorithms over these words), so
    a plugin's view and the built-in operations share one sequence.

    >>> a, b = Stream(b"7\\x1fr1"), Stream(b"7\\x1fr1")
    >>> [a.random() for _ in range(20)] == [b.random() for _ in range(20)]
    True
    >>> a.seed(b"other"); b.seed(b"other"); a.sample(range(100), 5) == b.sample(range(100), 5)
    True
    >>> s = Stream(b"k"); sorted({s.randrange(3) for _ in range(200)}), 0.0 <= s.random() < 1.0
    ([0, 1, 2], True)
    """

    def __init__(self, key: bytes = b"") -> None:
        self.seed(key)

    def seed(self, key: bytes) -> None:
        """Start the stream of ``key``."""
        self._key = key
        self._block = 0
        self._words: tuple[int, ...] = ()
        self._at = 8  # the first draw computes block 0: a record that draws nothing costs nothing

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

    def _next(self) -> int:
        """The next 64-bit word of the stream."""
        at = self._at
        if at == 8:
            words, at = self._refill(), 0
        else:
            words = self._words
        self._at = at + 1
        return words[at]

    # random and below repeat _next's few lines instead of calling it: uncompiled, a method call
    # costs more than the read itself, and these run several times per copy.
    def random(self) -> float:
        """A float in [0, 1) with 53 random bits."""
        at = self._at
        if at == 8:
            words, at = self._refill(), 0
        else:
            words = self._words
        self._at = at + 1
        word = words[at]
        return (word >> 11) * _SCALE

    def randoms(self, n: int) -> list[float]:
        """``[self.random() for _ in range(n)]``, the same numbers, without a call per number."""
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
        """An int with ``k`` random bits (what ``random.Random``'s ``sample``, ``shuffle`` and the like draw from)."""
        if k <= 64:
            if k < 0:
                raise ValueError("number of bits must be non-negative")
            return self._next() >> (64 - k)
        out, bits = 0, 0
        while bits < k:
            out |= self._next() << bits
            bits += 64
        return out & ((1 << k) - 1)

    def below(self, n: int) -> int:
        """An int in [0, n) for 0 < n < 2**64, unbiased: a 64-bit word times n, rejecting the few
        low parts that would skew it (wider n: ``_wide_below``)."""
        at = self._at
        if at == 8:
            words, at = self._refill(), 0
        else:
            words = self._words
        self._at = at + 1
        word = words[at]
        product = word * n  # compiled: a 128-bit product of two 64-bit integers (rng.pxd)
        if product & _MASK < n:
            limit = (_MASK - n + 1) % n  # 2**64 mod n
            while product & _MASK < limit:
                word = self._next()
                product = word * n
        return product >> 64

    def _wide_below(self, n: int) -> int:
        """``below`` for n of more than 64 bits: ``random.Random``'s rejection of whole draws of n's bit length."""
        k = n.bit_length()
        r = self.getrandbits(k)
        while r >= n:
            r = self.getrandbits(k)
        return r

    def choice(self, seq: Sequence[T]) -> T:
        """One element of a non-empty sequence."""
        size = len(seq)
        if not size:
            raise IndexError("Cannot choose from an empty sequence")
        return seq[self.below(size)]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        """As ``random.Random.randrange`` for ints: one ``below`` of the range's length."""
        if stop is None:
            if 0 < start <= _MASK:
                return self.below(start)
            start, stop = 0, start
        width = stop - start
        if step == 1:
            n = width
        elif step > 0:
            n = (width + step - 1) // step
        elif step < 0:
            n = (width + step + 1) // step
        else:
            raise ValueError("zero step for randrange()")
        if n <= 0:
            raise ValueError("empty range for randrange()")
        return start + step * (self.below(n) if n <= _MASK else self._wide_below(n))

    def randint(self, a: int, b: int) -> int:
        """An int in [a, b], both ends included (the draw ``randrange(a, b + 1)`` makes)."""
        return self.randrange(a, b + 1)

    def sample(self, population: Sequence[T], k: int) -> list[T]:
        """``k`` distinct elements of a sequence, drawn as ``random.Random.sample`` draws them.

        The same two ways: a partial shuffle of a copy for a small population, a set of
        drawn positions for a large one, with the same threshold, so a plugin calling
        ``RecordRandom.sample`` and a built-in calling this read the same numbers.
        """
        n = len(population)
        if not 0 <= k <= n:
            raise ValueError("Sample larger than population or is negative")
        result: list[T] = []
        threshold = 21
        if k > 5:
            threshold += 4 ** math.ceil(math.log(k * 3, 4))
        if n <= threshold:
            pool = list(population)
            for i in range(k):
                j = self.below(n - i)
                result.append(pool[j])
                pool[j] = pool[n - i - 1]
        else:
            taken: set[int] = set()
            for _ in range(k):
                j = self.below(n)
                while j in taken:
                    j = self.below(n)
                taken.add(j)
                result.append(population[j])
        return result

    def state(self) -> tuple[bytes, int, tuple[int, ...], int]:
        """Where the stream stands, for ``restore``."""
        return (self._key, self._block, self._words, self._at)

    def restore(self, state: tuple[bytes, int, tuple[int, ...], int]) -> None:
        """Go back to a ``state()``."""
        self._key, self._block, self._words, self._at = state


class RecordRandom(Random):
    """A ``random.Random`` whose numbers come from a ``Stream``: what plugins are given.

    >>> a, b = RecordRandom(b"7\\x1fr1"), RecordRandom(b"7\\x1fr1")
    >>> [a.random() for _ in range(20)] == [b.random() for _ in range(20)]
    True
    >>> a.seed(b"other"); b.seed(b"other"); a.sample(range(100), 5) == b.sample(range(100), 5)
    True
    >>> shared = Stream(b"k"); view = RecordRandom(stream=shared); other = Stream(b"k")
    >>> [view.random(), shared.random(), view.randrange(9)] == [other.random(), other.random(), other.randrange(9)]
    True
    """

    def __init__(self, key: bytes | int | str = b"", *, stream: Stream | None = None) -> None:
        # Random.__init__ would seed the Mersenne Twister underneath, which is never used.
        if stream is not None:
            self._stream = stream
            self.gauss_next = None
        else:
            self._stream = Stream()
            self.seed(key)

    @property
    def stream(self) -> Stream:
        """The stream this generator reads."""
        return self._stream

    def seed(self, a: Any = b"", version: int = 2) -> None:
        """Start the stream of key ``a`` (bytes; an int or str is encoded first)."""
        if isinstance(a, int):
            a = b"%d" % a
        elif isinstance(a, str):
            a = a.encode("utf-8")
        elif not isinstance(a, bytes):
            raise TypeError(f"RecordRandom keys are bytes, int or str, not {type(a).__name__}")
        self._stream.seed(a)
        self.gauss_next = None

    def random(self) -> float:
        """A float in [0, 1) with 53 random bits."""
        return self._stream.random()

    def randoms(self, n: int) -> list[float]:
        """``[self.random() for _ in range(n)]``, the same numbers, in one call."""
        return self._stream.randoms(n)

    def getrandbits(self, k: int) -> int:
        """An int with ``k`` random bits (what ``sample``, ``shuffle`` and the like draw from)."""
        return self._stream.getrandbits(k)

    def _randbelow(self, n: int) -> int:
        return self._stream.below(n) if n <= _MASK else super()._randbelow(n)  # type: ignore[misc]  # typeshed leaves out _randbelow

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]  # any sized, indexable sequence
        """One element of a non-empty sequence."""
        return self._stream.choice(seq)

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        """As ``random.Random.randrange``; ``randrange(n)`` reads one word."""
        if stop is None and step == 1 and type(start) is int and 0 < start <= _MASK:
            return self._stream.below(start)
        return super().randrange(start, stop, step)

    def randint(self, a: int, b: int) -> int:
        """An int in [a, b], both ends included (the draw ``randrange(a, b + 1)`` makes)."""
        if type(a) is int and type(b) is int and 0 <= b - a < _MASK:
            return a + self._stream.below(b - a + 1)
        return self.randrange(a, b + 1)

    def getstate(self) -> tuple[Any, ...]:
        return (*self._stream.state(), self.gauss_next)

    def setstate(self, state: tuple[Any, ...]) -> None:
        *where, self.gauss_next = state
        self._stream.restore(tuple(where))


class _Adapted(Stream):
    """A Stream whose draws are another generator's own: a built-in operation called with a
    ``random.Random`` (a test, a library user) draws from it exactly as it always did."""

    def __init__(self, rng: Draws) -> None:
        super().__init__()
        self._rng = rng

    def random(self) -> float:
        return self._rng.random()

    def randoms(self, n: int) -> list[float]:
        random = self._rng.random
        return [random() for _ in range(n)]

    def below(self, n: int) -> int:
        return self._rng.randrange(n)

    def choice(self, seq: Sequence[T]) -> T:
        return self._rng.choice(seq)

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        return self._rng.randrange(start, stop, step)

    def randint(self, a: int, b: int) -> int:
        return self._rng.randint(a, b)

    def sample(self, population: Sequence[T], k: int) -> list[T]:
        return self._rng.sample(population, k)


def stream_of(rng: Draws) -> Stream:
    """The stream a built-in operation draws from: the pipeline's own, a RecordRandom's, or another
    generator's draws behind a Stream's methods (a subclass of RecordRandom keeps its own)."""
    kind = type(rng)
    if kind is Stream:
        return rng  # type: ignore[return-value]  # narrowed by the line above; mypy does not see it
    if kind is RecordRandom:
        return rng.stream  # type: ignore[attr-defined,no-any-return]
    return _Adapted(rng)

"""The augmenter protocol and the registry that maps ``--ops`` names to classes.

Built-ins are registered here; plugins declare themselves in their own
``pyproject.toml`` under the entry-point group ``augtool.augmenters``.  Entry
points are read on the first lookup, not at import, so ``import augtool`` stays
cheap and a broken plugin only hurts the run that asks for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING, ClassVar, Protocol, TypeVar, runtime_checkable

from augtool.errors import LexiconError, UsageError
from augtool.tokens import Tokens

if TYPE_CHECKING:
    from augtool.inflect import Morphology
    from augtool.lexicon import Lexicon

ENTRY_POINT_GROUP = "augtool.augmenters"
T = TypeVar("T")


SENSES = ("first", "top", "all")


@dataclass(frozen=True)
class Policy:
    """How careful the built-in ops are: which senses give synonyms, inflection, negation guard."""

    senses: str = "top"
    inflect: bool = True
    guards: bool = True


class Resources:
    """What augmenters may consult: stopwords, a lexicon and exception lists loaded on first use, a policy."""

    def __init__(
        self,
        *,
        stopwords: frozenset[str] = frozenset(),
        lexicon: Lexicon | Callable[[], Lexicon] | None = None,
        morphology: Morphology | Callable[[], Morphology] | None = None,
        policy: Policy = Policy(),
    ) -> None:
        self.stopwords = stopwords
        self._lexicon = lexicon
        self._morphology = morphology
        self.policy = policy
        self._shared: dict[str, object] = {}

    def with_policy(self, policy: Policy) -> Resources:
        """These resources under another policy (self when it is the same one)."""
        if policy == self.policy:
            return self
        return Resources(stopwords=self.stopwords, lexicon=self._lexicon, morphology=self._morphology, policy=policy)

    @property
    def morphology(self) -> Morphology:
        """WordNet's exception lists for inflection; none given means suffix rules only."""
        if self._morphology is None:
            from augtool.inflect import NO_EXCEPTIONS

            return NO_EXCEPTIONS
        if callable(self._morphology):
            self._morphology = self._morphology()
        return self._morphology

    def shared(self, key: str, make: Callable[[], T]) -> T:
        """One object per key for every augmenter using these resources (e.g. a synonym cache)."""
        if key not in self._shared:
            self._shared[key] = make()
        return self._shared[key]  # type: ignore[return-value]

    @property
    def lexicon(self) -> Lexicon:
        """The synonym lexicon; loading is deferred so rs/rd-only runs never pay for it."""
        if self._lexicon is None:
            raise LexiconError("no synonym lexicon was given to this pipeline")
        if callable(self._lexicon):
            self._lexicon = self._lexicon()
        return self._lexicon


@runtime_checkable
class Augmenter(Protocol):
    """One text operation: returns new tokens (or the same object when it can change nothing)."""

    name: ClassVar[str]
    summary: ClassVar[str]
    version: ClassVar[int]

    def __call__(self, tokens: Tokens, rng: Random) -> Tokens: ...


class AugmenterFactory(Protocol):
    """How the pipeline builds an augmenter: a class taking these keywords."""

    name: ClassVar[str]
    summary: ClassVar[str]
    version: ClassVar[int]

    def __call__(self, *, alpha: float, resources: Resources) -> Augmenter: ...


def n_changes(alpha: float, n_words: int) -> int:
    """EDA's number of edits, max(1, round(alpha * n)), rounding halves up.

    >>> [n_changes(0.1, n) for n in (1, 5, 14, 15, 25)]
    [1, 1, 1, 2, 3]
    """
    return max(1, int(alpha * n_words + 0.5))


_BUILTINS = {
    "sr": "augtool.augmenters.sr:SynonymReplacement",
    "ri": "augtool.augmenters.ri:RandomInsertion",
    "rs": "augtool.augmenters.rs:RandomSwap",
    "rd": "augtool.augmenters.rd:RandomDeletion",
    "punct": "augtool.augmenters.punct:PunctuationInsertion",
}
_registry: dict[str, AugmenterFactory] = {}
_plugins_loaded = False


def register(cls: AugmenterFactory) -> AugmenterFactory:
    """Register an augmenter class under its ``name`` (usable as a decorator in tests)."""
    _registry[cls.name] = cls
    return cls


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    from importlib.metadata import entry_points  # costs ~0.1 s: only when a plugin may be needed

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in _BUILTINS:
            continue  # a plugin may not silently replace a built-in
        try:
            cls = ep.load()
        except Exception as exc:  # a broken third-party package: say which one
            raise LexiconError(f"plugin {ep.name!r} ({ep.value}) failed to load: {exc}") from exc
        _registry.setdefault(ep.name, cls)


def _resolve(name: str) -> AugmenterFactory | None:
    if name not in _registry and name in _BUILTINS:
        module, attr = _BUILTINS[name].split(":")
        _registry[name] = getattr(importlib.import_module(module), attr)
    return _registry.get(name)


def get(name: str) -> AugmenterFactory:
    """Look up an augmenter class by name; an unknown name lists the known ones."""
    cls = _resolve(name)
    if cls is None:
        _load_plugins()
        cls = _registry.get(name)
    if cls is None:
        raise UsageError(f"unknown augmenter {name!r}; available: {', '.join(available())}")
    return cls


def available() -> list[str]:
    """Names of every registered augmenter, built-ins first, then plugins."""
    _load_plugins()
    extra = sorted(n for n in _registry if n not in _BUILTINS)
    return [*_BUILTINS, *extra]

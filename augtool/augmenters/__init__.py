"""The augmenter protocol and the registry that maps ``--ops`` names to classes.

Built-ins are registered here; plugins declare themselves in their own
``pyproject.toml`` under the entry-point group ``augtool.augmenters``.  A
plugin is imported only when a run asks for it by name, and checked against the
protocol then, before the first record; a broken one only hurts the run that
asks for it, and ``augtool list`` shows it with its error.  The contract is in
docs/plugins.md; ``contract.ContractCheck`` holds a plugin to it while it runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from augtool.augmenters.contract import ContractCheck
from augtool.errors import AugtoolError, LexiconError, UsageError
from augtool.tokens import Tokens

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

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


class Described(Protocol):
    """What ``augtool list`` and the manifest show of an operation: its ``--ops`` name, a summary, a version.

    Read-only properties rather than ClassVars: a type checker matches class attributes,
    a class object and a wrapper's attributes against them alike (never ClassVar members).
    """

    @property
    def name(self) -> str: ...

    @property
    def summary(self) -> str: ...

    @property
    def version(self) -> int: ...


@runtime_checkable
class Augmenter(Described, Protocol):
    """One text operation: returns new tokens (or the same object when it can change nothing)."""

    def __call__(self, tokens: Tokens, rng: Random) -> Tokens: ...


class AugmenterFactory(Described, Protocol):
    """How the pipeline builds an augmenter: a class with these class attributes, called with these keywords."""

    def __call__(self, *, alpha: float, resources: Resources) -> Augmenter: ...


def n_changes(alpha: float, n_words: int) -> int:
    """EDA's number of edits, max(1, round(alpha * n)), rounding halves up.

    >>> [n_changes(0.1, n) for n in (1, 5, 14, 15, 25)]
    [1, 1, 1, 2, 3]
    """
    n = int(alpha * n_words + 0.5)
    return n if n > 1 else 1


_BUILTINS = {
    "sr": "augtool.augmenters.sr:SynonymReplacement",
    "ri": "augtool.augmenters.ri:RandomInsertion",
    "rs": "augtool.augmenters.rs:RandomSwap",
    "rd": "augtool.augmenters.rd:RandomDeletion",
    "punct": "augtool.augmenters.punct:PunctuationInsertion",
}
_registry: dict[str, AugmenterFactory] = {}
_MISSING = object()


def register(cls: T) -> T:
    """Register an augmenter class under its ``name`` (usable as a decorator); it must follow the protocol."""
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        raise LexiconError(f"{cls!r} has no 'name' class attribute: augmenters are registered by name")
    check_factory(cls, name, f"{getattr(cls, '__module__', '?')}.{getattr(cls, '__qualname__', cls)}")
    _registry[name] = cls  # type: ignore[assignment]
    return cls


def check_factory(cls: object, name: str, where: str) -> None:
    """Raise LexiconError unless ``cls`` follows the augmenter protocol (see docs/plugins.md)."""
    import inspect

    problems = []
    for attr, kind in (("name", str), ("summary", str), ("version", int)):
        value = getattr(cls, attr, _MISSING)
        if value is _MISSING:
            problems.append(f"no {attr!r} class attribute")
        elif not isinstance(value, kind) or isinstance(value, bool):
            problems.append(f"{attr!r} must be a {kind.__name__}, not {type(value).__name__}")
    if getattr(cls, "name", name) != name:
        problems.append(f"it calls itself {cls.name!r}, not {name!r}")  # type: ignore[attr-defined]
    try:
        inspect.signature(cls).bind(alpha=0.1, resources=Resources())  # type: ignore[arg-type]
    except TypeError:
        problems.append("it must be called with the keyword arguments alpha and resources")
    except ValueError:
        pass  # no signature to read (a builtin callable): trust it
    if problems:
        raise LexiconError(f"augmenter {name!r} ({where}) does not follow the protocol: {'; '.join(problems)}")


def _plugin_point(name: str) -> EntryPoint | None:
    """The entry point declaring ``name``; two packages declaring it is an error, not a coin toss."""
    from importlib.metadata import entry_points  # costs ~0.1 s: only when a plugin may be needed

    points = list(entry_points(group=ENTRY_POINT_GROUP, name=name))
    if len({point.value for point in points}) > 1:
        raise LexiconError(
            f"plugin {name!r} is declared by several packages ({', '.join(p.value for p in points)}): uninstall one"
        )
    return points[0] if points else None


def _load(point: EntryPoint) -> AugmenterFactory:
    """Import one plugin and check it; any failure is a LexiconError that names the plugin."""
    try:
        cls = point.load()
    except Exception as exc:  # a broken third-party package: say which one
        raise LexiconError(f"plugin {point.name!r} ({point.value}) failed to load: {exc!r}") from exc
    check_factory(cls, point.name, point.value)
    return cls  # type: ignore[no-any-return]


def _resolve(name: str) -> AugmenterFactory | None:
    if name not in _registry and name in _BUILTINS:
        module, attr = _BUILTINS[name].split(":")
        _registry[name] = getattr(importlib.import_module(module), attr)
    return _registry.get(name)


def get(name: str) -> AugmenterFactory:
    """Look up an augmenter class by name; only that plugin is imported. An unknown name lists the known ones."""
    cls = _resolve(name)
    if cls is not None:
        return cls
    point = _plugin_point(name) if name not in _BUILTINS else None
    if point is None:
        import difflib

        known = available()
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise UsageError(f"unknown augmenter {name!r}{hint}; available: {', '.join(known)}")
    _registry[name] = cls = _load(point)
    return cls


def is_builtin(name: str) -> bool:
    """True for the operations that ship with augtool."""
    return name in _BUILTINS


def available() -> list[str]:
    """Names of every augmenter, built-ins first, then plugins; no plugin is imported to list them."""
    from importlib.metadata import entry_points

    plugins = {point.name for point in entry_points(group=ENTRY_POINT_GROUP)} | set(_registry)
    return [*_BUILTINS, *sorted(plugins - set(_BUILTINS))]


@dataclass(frozen=True)
class Entry:
    """One line of ``augtool list``: an augmenter that can be used, or why it cannot."""

    name: str
    origin: str
    factory: AugmenterFactory | None = None
    error: str | None = None


def entries() -> list[Entry]:
    """Every augmenter with its origin, importing each plugin; a broken one is reported, not raised."""
    from importlib.metadata import entry_points

    out = [Entry(name, "built-in", get(name)) for name in _BUILTINS]
    points: dict[str, list[EntryPoint]] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        points.setdefault(point.name, []).append(point)
    for name in sorted(set(points) | set(_registry)):
        if name in _BUILTINS:
            for point in points.get(name, []):
                out.append(Entry(name, f"plugin {point.value}", error="ignored: a plugin cannot replace a built-in"))
            continue
        found = points.get(name)
        origin = f"plugin {found[0].value}" if found else f"registered by {_registry[name].__module__}"
        try:
            out.append(Entry(name, origin, get(name)))
        except AugtoolError as exc:
            out.append(Entry(name, origin, error=str(exc)))
    return out


def build(name: str, *, alpha: float, resources: Resources) -> Augmenter:
    """Make the augmenter ``name``; a plugin's comes wrapped in the checks of its contract."""
    factory = get(name)
    if is_builtin(name):
        return factory(alpha=alpha, resources=resources)
    try:
        op = factory(alpha=alpha, resources=resources)
    except Exception as exc:
        raise LexiconError(f"augmenter {name!r} failed to start: {exc!r}") from exc
    if not callable(op):
        raise LexiconError(f"augmenter {name!r}: its instances must be callable as op(tokens, rng)")
    return ContractCheck(op, factory, resources.policy.guards)

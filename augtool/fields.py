"""Text fields inside nested records: ``meta.body``, ``messages[*].content``, ``turns[0].text``.

A path is a dot-separated list of keys, each optionally followed by ``[*]`` (every
item of a list) or ``[N]`` (one item). Filters such as ``role=user`` or
``role!=system`` select which items of the last ``[*]`` on the path are used: an
item is used when it is an object and every filter holds (a missing key equals
nothing). Only the containers on the way to a changed text are copied, so the
source record is never modified.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from augtool.errors import OptionError, UsageError

_STEP = re.compile(r"([^.\[\]]+)((?:\[(?:\*|\d+)\])*)")
_INDEX = re.compile(r"\[(\*|\d+)\]")
EACH = "*"


class PathError(ValueError):
    """The record does not have the shape the path describes."""


@dataclass(frozen=True)
class Filter:
    """``key=value`` or ``key!=value`` on the items of a wildcard."""

    key: str
    value: str
    equal: bool

    def holds(self, item: Any) -> bool:
        """Whether a list item passes (items that are not objects never do)."""
        if not isinstance(item, dict):
            return False
        present = self.key in item and _text(item[self.key]) == self.value
        return present if self.equal else not present


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)


def parse_filter(spec: str) -> Filter:
    """Parse ``key=value`` or ``key!=value``.

    >>> parse_filter("role!=system")
    Filter(key='role', value='system', equal=False)
    """
    key, sep, value = spec.partition("!=")
    equal = not sep
    if equal:
        key, sep, value = spec.partition("=")
    if not sep or not key.strip():
        raise OptionError("field_filter", f"takes KEY=VALUE or KEY!=VALUE, not {spec!r}")
    return Filter(key.strip(), value.strip(), equal)


def parse_path(path: str) -> tuple[str | int, ...]:
    """Split a path into keys, ``EACH`` wildcards and list indices.

    >>> parse_path("messages[*].content"), parse_path("turns[0].text"), parse_path("text")
    (('messages', '*', 'content'), ('turns', 0, 'text'), ('text',))
    """
    steps: list[str | int] = []
    for part in path.split("."):
        match = _STEP.fullmatch(part)
        if not match:
            raise UsageError(f"bad field path {path!r}: use keys, dots, [*] and [N], e.g. messages[*].content")
        steps.append(match[1])
        for index in _INDEX.findall(match[2]):
            steps.append(EACH if index == "*" else int(index))
    return tuple(steps)


def is_plain(path: str) -> bool:
    """True for a top-level key (the fast path in the pipeline)."""
    return "." not in path and "[" not in path


def text_problem(value: Any, name: str) -> str | None:
    """Why ``value`` cannot be augmented as the text of field ``name``, or None when it can.

    >>> text_problem(None, "text"), text_problem("  ", "a.b"), text_problem("ok", "text")
    ("field 'text' must be a string, got null", "field 'a.b' is empty", None)
    """
    if not isinstance(value, str):
        kind = "null" if value is None else type(value).__name__
        return f"field {name!r} must be a string, got {kind}"
    if not value.strip():
        return f"field {name!r} is empty"
    return None


def _show(location: Sequence[str | int]) -> str:
    out = ""
    for step in location:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def get_texts(
    record: dict[str, Any],
    paths: Sequence[tuple[str | int, ...]],
    filters: Sequence[Filter] = (),
    *,
    keep_empty: bool = False,
) -> tuple[list[tuple[str | int, ...]], list[str]]:
    """Locations and texts of every string the paths select, in path then document order.

    >>> chat = {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi there"}]}
    >>> get_texts(chat, [parse_path("messages[*].content")], [parse_filter("role=user")])
    ([('messages', 1, 'content')], ['Hi there'])
    """
    locations: list[tuple[str | int, ...]] = []
    texts: list[str] = []
    for path in paths:
        last_each = max((i for i, step in enumerate(path) if step == EACH), default=-1)
        _walk(record, path, 0, (), last_each, filters, locations, texts, keep_empty)
    return locations, texts


def _walk(
    value: Any,
    path: tuple[str | int, ...],
    i: int,
    at: tuple[str | int, ...],
    last_each: int,
    filters: Sequence[Filter],
    locations: list[tuple[str | int, ...]],
    texts: list[str],
    keep_empty: bool,
) -> None:
    if i == len(path):
        reason = None if keep_empty and isinstance(value, str) else text_problem(value, _show(at))
        if reason:
            raise PathError(reason)
        locations.append(at)
        texts.append(value)
        return
    step = path[i]
    if step == EACH:
        if not isinstance(value, list):
            raise PathError(f"field {_show(at)!r} is not a list, so [*] cannot apply")
        for n, item in enumerate(value):
            if i == last_each and filters and not all(f.holds(item) for f in filters):
                continue
            _walk(item, path, i + 1, (*at, n), last_each, filters, locations, texts, keep_empty)
    elif isinstance(step, int):
        if not isinstance(value, list) or step >= len(value):
            raise PathError(f"field {_show((*at, step))!r} does not exist")
        _walk(value[step], path, i + 1, (*at, step), last_each, filters, locations, texts, keep_empty)
    else:
        if not isinstance(value, dict) or step not in value:
            raise PathError(f"missing field {_show((*at, step))!r}")
        _walk(value[step], path, i + 1, (*at, step), last_each, filters, locations, texts, keep_empty)


def set_texts(
    record: dict[str, Any], locations: Sequence[tuple[str | int, ...]], texts: Sequence[str]
) -> dict[str, Any]:
    """A copy of ``record`` with the texts at ``locations`` replaced; shared parts stay shared.

    >>> src = {"a": {"b": "x", "c": [1]}, "d": "y"}
    >>> out = set_texts(src, [("a", "b")], ["z"])
    >>> out, src["a"]["b"], out["a"]["c"] is src["a"]["c"]
    ({'a': {'b': 'z', 'c': [1]}, 'd': 'y'}, 'x', True)
    """
    out = dict(record)
    copied: dict[tuple[str | int, ...], Any] = {(): out}
    for location, text in zip(locations, texts):
        node: Any = out
        for depth in range(len(location) - 1):
            prefix = location[: depth + 1]
            if prefix not in copied:
                original = node[location[depth]]
                copied[prefix] = list(original) if isinstance(original, list) else dict(original)
                node[location[depth]] = copied[prefix]
            node = copied[prefix]
        node[location[-1]] = text
    return out


@dataclass(frozen=True)
class Selector:
    """The texts that ``--field`` paths (and ``--field-filter``) pick from a record: one path language everywhere.

    >>> pick = Selector(("title", "messages[*].content"))
    >>> pick.texts({"title": "Hi", "messages": [{"content": "a"}, {"content": ""}]})
    ['Hi', 'a', '']
    >>> pick.texts({"title": "Hi"}) is None, pick.text({"title": "T", "messages": [{"content": "b"}]})
    (True, 'T\\nb')
    """

    fields: tuple[str, ...] = ("text",)
    filters: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.fields:
            raise OptionError("fields", "needs at least one field name")
        object.__setattr__(self, "_paths", [parse_path(f) for f in self.fields])
        object.__setattr__(self, "_filters", [parse_filter(f) for f in self.filters])
        object.__setattr__(self, "_plain", not self.filters and all(map(is_plain, self.fields)))

    def texts(self, record: dict[str, Any]) -> list[str] | None:
        """The strings the paths select, in path then document order; None when a path does not fit the record."""
        if self._plain:  # type: ignore[attr-defined]
            values = [record.get(f) for f in self.fields]
            return values if all(isinstance(v, str) for v in values) else None  # type: ignore[return-value]
        try:
            return get_texts(record, self._paths, self._filters, keep_empty=True)[1]  # type: ignore[attr-defined]
        except PathError:
            return None

    def text(self, record: dict[str, Any]) -> str | None:
        """The selected texts as one, a line each (None when a path does not fit)."""
        texts = self.texts(record)
        return None if texts is None else "\n".join(texts)

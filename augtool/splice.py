"""Where values sit in a JSON line's bytes, so a copy can be spliced instead of re-serialised.

A copy of a record is the source line with each changed text replaced and the
provenance object added after the last member: every other byte (numbers beyond
64 bits, ``1e5``, ``1.10``, escapes such as ``\\u2028``, key order, spacing,
nesting deeper than any serialiser allows) is carried exactly as it was read.

The scanner assumes a line that a strict parser (orjson) has already accepted
as a JSON object.  ``TopLevelText`` finds the one top-level text of the usual
record with one regular-expression match over the members before it and a
comparison with the parsed text; ``locate`` is the general walk, which descends
only into the containers on the way to the wanted values and skips the rest
(at memchr speed for strings, and without recursion for nested containers).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence

import orjson

Location = tuple[str | int, ...]
Span = tuple[int, int]

_WS = frozenset(b" \t\r\n")
_OPEN = frozenset(b"[{")
_CLOSE = frozenset(b"]}")
_SCALAR = re.compile(rb"[^,\]}\s]+")  # a number, true, false or null
# A container: strings are skipped whole, so brackets inside them do not count.
_TOKEN = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"|[\[\]{}]', re.S)


def _nested(depth: int) -> bytes:
    """A pattern for a container holding containers at most ``depth`` levels deep."""
    inner = rb'[^\[\]{}"]++|"[^"\\]*+(?:\\.[^"\\]*+)*+"'
    if depth:
        inner += b"|" + _nested(depth - 1)
    return rb"[\[{](?:" + inner + rb")*+[\]}]"


# A container up to 4 levels deep in one match (nearly every real one); deeper ones
# are skipped token by token.
_CONTAINER = re.compile(_nested(3), re.S)

_ABSENT = object()


class Tree(dict[bytes | int, "Tree | None"]):
    """The wanted locations as a trie: a key (UTF-8 bytes) or list index maps to a subtree, None = wanted."""


def tree(locations: Iterable[Location]) -> Tree:
    """Build the trie of ``locations``.

    >>> tree([("text",), ("meta", "body"), ("turns", 0, "text")])
    {b'text': None, b'meta': {b'body': None}, b'turns': {0: {b'text': None}}}
    """
    root = Tree()
    for location in locations:
        node = root
        for step in location[:-1]:
            key = step.encode() if isinstance(step, str) else step
            child = node.get(key)
            if child is None:
                child = node[key] = Tree()
            node = child
        last = location[-1]
        node.setdefault(last.encode() if isinstance(last, str) else last, None)
    return root


def _string_end(raw: bytes, pos: int) -> int:
    """The end of the string literal that starts at ``pos`` (memchr speed, whatever its length)."""
    end = raw.find(b'"', pos + 1)
    while raw[end - 1] == 0x5C:  # a backslash: the quote is escaped unless the backslash is
        start = end - 1
        while raw[start - 1] == 0x5C:
            start -= 1
        if (end - start) % 2 == 0:
            break
        end = raw.find(b'"', end + 1)
    return end + 1


def _skip(raw: bytes, pos: int) -> int:
    """The end of the value starting at ``pos``."""
    first = raw[pos]
    if first == 0x22:  # '"'
        return _string_end(raw, pos)
    if first in _OPEN:
        whole = _CONTAINER.match(raw, pos)
        if whole is not None:
            return whole.end()
        depth = 0
        for token in _TOKEN.finditer(raw, pos):
            char = raw[token.start()]
            if char != 0x22:
                depth += 1 if char in _OPEN else -1
                if depth == 0:
                    return token.end()
        raise ValueError("unbalanced JSON")  # unreachable for a line orjson accepted
    return _SCALAR.match(raw, pos).end()  # type: ignore[union-attr]


def _walk(raw: bytes, pos: int, node: Tree, at: Location, spans: dict[Location, Span]) -> int:
    """Record the spans of ``node``'s wanted values in the container at ``pos``; return its end."""
    is_object = raw[pos] == 0x7B  # '{'
    pos += 1
    index = 0
    key: bytes | int
    child: Tree | object | None
    while True:
        while raw[pos] in _WS:
            pos += 1
        if raw[pos] in _CLOSE:  # empty (after a comma there is always a value: the line is valid JSON)
            return pos + 1
        if is_object:
            key_end = raw.find(b'"', pos + 1) + 1  # keys seldom hold a backslash: the usual case inline
            key = raw[pos + 1 : key_end - 1]
            if key.find(b"\\") >= 0:  # an escaped quote, or "te\u0078t" for "text"
                key_end = _string_end(raw, pos)
                key = orjson.loads(raw[pos:key_end]).encode()
            pos = key_end
            while raw[pos] in _WS:
                pos += 1
            pos += 1  # the colon
            while raw[pos] in _WS:
                pos += 1
        else:
            key = index
            index += 1
        # A repeated key (accepted by the parser, which keeps the last value): the last span wins.
        child = node.get(key, _ABSENT)
        if child is _ABSENT:
            if raw[pos] == 0x22:  # a string, the usual value: skipped inline
                end = raw.find(b'"', pos + 1)
                pos = end + 1 if raw[end - 1] != 0x5C else _string_end(raw, pos)
            else:
                pos = _skip(raw, pos)
        elif child is None:
            end = _skip(raw, pos)
            spans[(*at, key.decode() if isinstance(key, bytes) else key)] = (pos, end)
            pos = end
        elif isinstance(child, Tree) and raw[pos] in _OPEN:
            pos = _walk(raw, pos, child, (*at, key.decode() if isinstance(key, bytes) else key), spans)
        else:  # a value of another shape (an earlier duplicate of the key) holds nothing wanted
            pos = _skip(raw, pos)
        while raw[pos] in _WS:
            pos += 1
        if raw[pos] != 0x2C:  # ',' or the end of the container
            return pos + 1
        pos += 1


def locate(raw: bytes, wanted: Tree) -> tuple[dict[Location, Span], int]:
    """Byte spans of the wanted values of the JSON object ``raw``, and where its last member ends.

    >>> line = b'{"id": 12345678901234567890123, "meta": {"body": "hi"}, "n": 1e5 } '
    >>> spans, end = locate(line, tree([("id",), ("meta", "body")]))
    >>> [line[a:b] for a, b in spans.values()], line[end:]
    ([b'12345678901234567890123', b'"hi"'], b' } ')
    """
    pos = 0
    while raw[pos] in _WS:
        pos += 1
    spans: dict[Location, Span] = {}
    _walk(raw, pos, wanted, (), spans)
    return spans, insertion_point(raw)


_MEMBER_BEFORE = (
    rb'[ \t\r\n]*"[^"\\]*+(?:\\.[^"\\]*+)*+"[ \t\r\n]*:[ \t\r\n]*'  # a key (escapes allowed) and colon
    rb'(?:"[^"\\]*+(?:\\.[^"\\]*+)*+"'  # then a string,
    rb'|[^,\]}\s\[{"]++'  # a number, true, false or null,
    rb'|[\[{](?:[^\[\]{}"]++|"[^"\\]*+(?:\\.[^"\\]*+)*+")*+[\]}])'  # or a container with none inside
    rb"[ \t\r\n]*,"
)


_ascii_literal = json.encoder.encode_basestring_ascii


class TopLevelText:
    r"""The span of one top-level string member, found fast in the common case.

    >>> find = TopLevelText("text")
    >>> line = b'{"id": [1, 2], "text": "say \\"hi\\"", "n": 1e5}'
    >>> a, b = find(line, 'say "hi"'); line[a:b]
    b'"say \\"hi\\""'
    """

    def __init__(self, name: str) -> None:
        self._literal = orjson.dumps(name)
        # The members before it (simple values only), lazily, then the key: the match
        # can only stop at a key of the top-level object.
        key = rb"[ \t\r\n]*" + re.escape(self._literal) + rb"[ \t\r\n]*:[ \t\r\n]*"
        self._prefix = re.compile(rb"[ \t\r\n]*\{(?:" + _MEMBER_BEFORE + rb")*?" + key, re.S)

    def __call__(self, raw: bytes, text: str) -> Span | None:
        """The span of the value, or None when only ``locate`` can tell (nesting, escapes, repeated keys)."""
        found = self._prefix.match(raw)
        if found is None:
            return None
        start = found.end()
        # The parsed text written as orjson (or Python's json, ASCII only) writes it is this
        # value, and the key appears once (no repeat after it, whose value the parser kept)...
        literal = orjson.dumps(text)
        if not raw.startswith(literal, start):
            literal = _ascii_literal(text).encode()
            if not raw.startswith(literal, start):
                return None
        if raw.count(self._literal) != 1:
            return None
        end = start + len(literal)
        # ... nor spelled with escapes after it ("te\u0078t"): rare, so any \u sends the line to locate.
        if raw.find(b"\\u", end) >= 0:
            return None
        return start, end


def insertion_point(raw: bytes) -> int:
    """Where a member is added to the JSON object ``raw``: after its last value.

    >>> line = b'{"a": 1 }  '; line[: insertion_point(line)]
    b'{"a": 1'
    """
    end = len(raw) - 1
    while raw[end] in _WS:
        end -= 1
    while raw[end - 1] in _WS:  # raw[end] is the closing brace
        end -= 1
    return end


def text_writer(literal: bytes) -> Callable[[str], bytes]:
    """How to write a new text in the style of the source's literal.

    A source written ASCII-only (``\\u00e9``) gets ASCII-only copies; one that
    escapes the JavaScript line separators U+2028/U+2029 keeps them escaped.

    >>> text_writer(b'"caf\\\\u00e9"')("th\\xe9"), text_writer(b'"l\\\\u2028"')("the\\u2028")
    (b'"th\\\\u00e9"', b'"the\\\\u2028"')
    """
    if literal.find(b"\\u") < 0:  # (bytes.find is several times faster than ``in`` here)
        return orjson.dumps
    if literal.isascii():
        return lambda text: _ascii_literal(text).encode()
    lowered = literal.lower()
    if lowered.find(b"\\u2028") >= 0 or lowered.find(b"\\u2029") >= 0:
        return _escape_separators
    return orjson.dumps


def _escape_separators(text: str) -> bytes:
    return orjson.dumps(text).replace("\u2028".encode(), rb"\u2028").replace("\u2029".encode(), rb"\u2029")


def splitter(raw: bytes, spans: Sequence[Span], end: int) -> list[bytes]:
    """The bytes around ``spans`` (sorted, disjoint) up to ``end``, then the rest: len(spans) + 2 pieces.

    >>> splitter(b'{"a":"x","b":"y"}', [(5, 8)], 16)
    [b'{"a":', b',"b":"y"', b'}']
    """
    pieces = []
    previous = 0
    for a, b in spans:
        pieces.append(raw[previous:a])
        previous = b
    pieces.append(raw[previous:end])
    pieces.append(raw[end:])
    return pieces

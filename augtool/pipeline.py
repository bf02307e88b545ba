"""Records in, augmented records out: the pure core, with no file or terminal I/O.

Each record gets its own random numbers, a keyed hash of the run's seed and the
record's identity, so a record's copies do not depend on what came before it:
the same input gives the same bytes in any order, split or parallel.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from random import Random
from typing import Any

import orjson

from augtool import augmenters
from augtool.augmenters import SENSES, Augmenter, Policy, Resources
from augtool.errors import OptionError, UsageError
from augtool.fields import (
    EACH,
    PathError,
    get_texts,
    is_plain,
    parse_filter,
    parse_path,
    set_texts,
    text_problem,
)
from augtool.guards import compile_protect, freeze
from augtool.labelfilter import LabelFilter
from augtool.lang import MODES as LANG_MODES
from augtool.lang import default_detector, language_independent
from augtool.rng import RecordRandom
from augtool.splice import Location, TopLevelText, Tree, insertion_point, locate, splitter, text_writer, tree
from augtool.tokens import Tokens, tokenize

DEFAULT_OPS = ("sr", "ri", "rs", "rd")
# Extra draws for a copy that came out equal to its source (a swap of two
# identical words undone by the next, say) before the next operation is tried.
_RETRIES = 3


@dataclass(frozen=True, kw_only=True)
class Options:
    """Everything that decides the output bytes; recorded in the manifest."""

    ops: tuple[str, ...] = DEFAULT_OPS
    n_aug: int = 4
    alpha: float = 0.1
    op_alpha: Mapping[str, float] = field(default_factory=dict)
    chain: bool = False
    seed: int = 0
    fields: tuple[str, ...] = ("text",)
    id_field: str = "id"
    keep_original: bool = True
    provenance_key: str = "_aug"
    dedup: bool = True  # only new copies: one equal to its source or a sibling is dropped
    senses: str = "top"
    inflect: bool = True
    guards: bool = True
    protect: tuple[str, ...] = ()  # lines of a --protect file
    preset: str | None = None
    field_filter: tuple[str, ...] = ()  # KEY=VALUE / KEY!=VALUE on the items of a [*]
    lang: str = "auto"  # auto: non-English records get only rs/rd/punct; en: they pass through; any: no check
    # --filter-by-label: the label field, and the cross-fitted judge trained on the run's originals
    # (augtool.labelfilter); the judge is not an option a user writes, so the manifest has only its threshold.
    filter_by_label: str | None = None
    filter_threshold: float = 0.8
    label_filter: LabelFilter | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.ops:
            raise OptionError("ops", "needs at least one operation")
        if self.n_aug < 0:
            raise OptionError("n_aug", f"must be 0 or more, not {self.n_aug}")
        for name, value in {"alpha": self.alpha, **self.op_alpha}.items():
            if not 0.0 < value <= 1.0:
                raise UsageError(f"alpha for {name} must be in (0, 1], not {value}")
        unknown = set(self.op_alpha) - set(self.ops)
        if unknown:
            raise OptionError("op_alpha", f"names operations not in ops: {', '.join(sorted(unknown))}")
        if not self.fields:
            raise OptionError("fields", "needs at least one field name")
        if len(set(self.fields)) < len(self.fields):
            raise OptionError("fields", "names the same field twice")
        if self.provenance_key in self.fields:
            raise UsageError("the provenance key cannot also be a text field")
        paths = [parse_path(f) for f in self.fields]  # raises UsageError on a bad path
        filters = [parse_filter(f) for f in self.field_filter]
        if filters and not any(EACH in path for path in paths):
            raise OptionError("field_filter", "selects list items: use it with a [*] field, e.g. messages[*].content")
        if self.senses not in SENSES:
            raise OptionError("senses", f"takes {', '.join(SENSES)}, not {self.senses!r}")
        compile_protect(self.protect)  # a bad regex fails here, before any record is read
        if not 0.0 < self.filter_threshold <= 1.0:
            raise UsageError(f"--filter-threshold must be in (0, 1], not {self.filter_threshold}")
        if self.lang not in LANG_MODES:
            raise OptionError("lang", f"takes {', '.join(LANG_MODES)}, not {self.lang!r}")

    @property
    def policy(self) -> Policy:
        """The part of the options the built-in operations consult."""
        return Policy(senses=self.senses, inflect=self.inflect, guards=self.guards)

    def to_json(self) -> dict[str, Any]:
        """The options as plain JSON values, for the manifest."""
        return {
            "ops": list(self.ops),
            "n_aug": self.n_aug,
            "alpha": self.alpha,
            "op_alpha": dict(sorted(self.op_alpha.items())),
            "chain": self.chain,
            "seed": self.seed,
            "fields": list(self.fields),
            "id_field": self.id_field,
            "keep_original": self.keep_original,
            "provenance_key": self.provenance_key,
            "dedup": self.dedup,
            "senses": self.senses,
            "inflect": self.inflect,
            "guards": self.guards,
            "protect": list(self.protect),
            "preset": self.preset,
            "field_filter": list(self.field_filter),
            "lang": self.lang,
            "filter_by_label": self.filter_by_label,
            "filter_threshold": self.filter_threshold,
        }


class RecordError(ValueError):
    """A record the pipeline cannot use; the reason is shown to the user with file:line."""


@dataclass(slots=True)
class Result:
    """What one input record became: output lines, and whether it was passed through."""

    lines: list[bytes]
    copies: int
    unchanged: bool
    dropped: int = 0  # copies not written: duplicates (--dedup), no safe change left, label flips
    foreign: bool = False  # not English: only language-independent operations (--lang)
    flipped: int = 0  # of ``dropped``: copies the label filter read as another label


def _record_key(seed: int, identity: bytes) -> bytes:
    """The key of a record's random numbers: the run's seed and the record's identity."""
    return b"%d\x1f" % seed + identity


def record_rng(seed: int, source_id: object) -> Random:
    """A generator that depends only on the seed and the record's identity (never ``hash()``).

    >>> record_rng(7, "a").random() == record_rng(7, "a").random() != record_rng(7, "b").random()
    True
    """
    return RecordRandom(_record_key(seed, identity_key(source_id)))


DEFAULT_INPUT = "<records>"  # the input name of records handed to the library without one
STDIN_NAME = "<stdin>"


def identity_key(source_id: object, literal: bytes | None = None) -> bytes:
    """The bytes a record's copies are seeded from: its id as JSON, digits kept exactly.

    ``literal`` is the id as written in the input line: an integer too large for
    a 64-bit parser arrives as a float, and its literal keeps every digit.

    >>> identity_key(7), identity_key("r1"), identity_key(10**30), identity_key(1e30, b"10" + b"0" * 29)
    (b'7', b'"r1"', b'1000000000000000000000000000000', b'1000000000000000000000000000000')
    """
    if type(source_id) is int:  # bools are ints, but orjson writes them as true/false
        return b"%d" % source_id
    if literal is not None and isinstance(source_id, float) and not any(c in literal for c in b".eE"):
        return literal
    try:
        return orjson.dumps(source_id)
    except TypeError as exc:  # a library caller's object orjson cannot write
        raise RecordError(f"the id cannot be written as JSON: {exc}") from None


def input_names(paths: Sequence[str]) -> list[str]:
    """The names that identify inputs in provenance: the file name, plus parent folders when two clash.

    Built from the absolute path, so ``data/a.jsonl``, ``./data/a.jsonl`` and
    ``/abs/data/a.jsonl`` name the same input, and the name does not depend on
    the working directory.

    >>> input_names(["data/en/train.jsonl", "/x/fr/train.jsonl", "test.jsonl", "-"])
    ['en/train.jsonl', 'fr/train.jsonl', 'test.jsonl', '<stdin>']
    """
    parts = [(STDIN_NAME,) if p == "-" else PurePath(os.path.abspath(p)).parts for p in paths]
    names: list[str | None] = [None] * len(paths)
    pending = list(range(len(paths)))
    depth = 1
    while pending:
        groups: dict[tuple[str, ...], list[int]] = {}
        for i in pending:
            groups.setdefault(parts[i][-depth:], []).append(i)
        pending = []
        for suffix, members in groups.items():
            if len({parts[i] for i in members}) == 1:  # one file (perhaps given twice)
                for i in members:
                    names[i] = PurePath(*suffix).as_posix()
            else:
                pending += members
        depth += 1
    return [name or "" for name in names]


def _source(record: Mapping[str, Any], id_field: str, input_name: str, line_number: int) -> object:
    """The record's id, or where it was read when it has none (null counts as none)."""
    value = record.get(id_field)
    return {"input": input_name, "line": line_number} if value is None else value


def _literal(raw: bytes, spans: Mapping[Location, tuple[int, int]], location: Location) -> bytes | None:
    span = spans.get(location)
    return None if span is None else raw[span[0] : span[1]]


_DEDUP_RETRIES = 3


def _normalized(texts: list[str]) -> tuple[str, ...]:
    """Texts with runs of whitespace made one space, for --dedup's comparison.

    Case counts: a plugin may change only case on purpose ("shout"), and the built-in
    operations never do.
    """
    return tuple(" ".join(text.split()) for text in texts)


class Pipeline:
    """Augment records with the configured operations.

    >>> from augtool.augmenters import Resources
    >>> pipe = Pipeline(Options(ops=("rs",), n_aug=2, seed=1), Resources())
    >>> [r["text"] for r in pipe.augment([{"id": 1, "text": "red green blue"}])]
    ['red green blue', 'red blue green', 'green red blue']
    """

    def __init__(self, options: Options, resources: Resources) -> None:
        self.options = options
        self.resources = resources = resources.with_policy(options.policy)
        pattern = compile_protect(options.protect)
        self._tokenize = tokenize if pattern is None else lambda text: freeze(tokenize(text), pattern)
        # Top-level field names (the usual case) skip the path machinery entirely.
        self._plain = all(is_plain(f) for f in options.fields)
        self._paths = [parse_path(f) for f in options.fields]
        self._filters = [parse_filter(f) for f in options.field_filter]
        if options.filter_by_label is not None and options.label_filter is None:
            raise UsageError("--filter-by-label needs the judge trained on the originals: "
                             "Options(label_filter=LabelFilter.fit(texts, labels))")
        self._judge = options.label_filter if options.filter_by_label is not None else None
        self.ops: list[Augmenter] = [
            augmenters.build(name, alpha=options.op_alpha.get(name, options.alpha), resources=resources)
            for name in options.ops
        ]
        self._rng = RecordRandom()
        self._fields = options.fields
        self._provenance_key = options.provenance_key
        self._orders, self._order_names = self._plan(list(range(len(self.ops))))
        # --lang: a record that is not English gets only the operations that add no
        # English word (auto), or none (en); "any" does not look.
        self._is_english = None if options.lang == "any" else default_detector().is_english
        independent = [i for i, op in enumerate(self.ops) if options.lang == "auto" and language_independent(op)]
        self._foreign_orders, self._foreign_names = self._plan(independent)
        # The fixed bytes of the provenance object, around its source and copy number.
        self._provenance_head = b"," + orjson.dumps(options.provenance_key) + b':{"source":'
        self._ops_json = {
            names: b',"ops":' + orjson.dumps(list(names)) + b"}" for names in self._order_names + self._foreign_names
        }
        self._numbers = [b"%d" % number for number in range(options.n_aug + 1)]
        self._plain_locations: list[Location] = [(name,) for name in options.fields]
        self._plain_tree = tree(self._plain_locations)
        self._plain_tree_with_id = tree([*self._plain_locations, (options.id_field,)])
        self._trees: dict[tuple[Location, ...], Tree] = {}
        # The usual record has one top-level text: it has a faster way to find it.
        self._find_single = TopLevelText(options.fields[0]) if self._plain and len(options.fields) == 1 else None

    def _plan(self, indexes: list[int]) -> tuple[list[tuple[Augmenter, ...]], list[tuple[str, ...]]]:
        """The operations each copy applies, by the index of the one it starts with."""
        n = len(indexes)
        starts = [[*indexes[k:], *indexes[:k]] if self.options.chain else [indexes[k]] for k in range(n)]
        return [tuple(self.ops[i] for i in order) for order in starts], [
            tuple(self.options.ops[i] for i in order) for order in starts
        ]

    def _foreign(self, texts: list[str]) -> bool:
        """Whether --lang holds this record back from the English-only operations."""
        if self._is_english is None:
            return False
        return not self._is_english(texts[0] if len(texts) == 1 else " ".join(texts))

    def augment(
        self, records: Iterable[Mapping[str, Any]], *, input_name: str = DEFAULT_INPUT
    ) -> Iterator[dict[str, Any]]:
        """Yield each record (if kept) followed by its augmented copies.

        A record without an id is identified as ``{"input": input_name, "line": N}``,
        N counting the records from 1: the CLI's identity for line N of a file of
        that name with no blank lines, so both give the same copies.
        """
        for number, record in enumerate(records, 1):
            self._check(record)
            source = _source(record, self.options.id_field, input_name, number)
            texts, locations = self._texts(record)
            copies, _, _ = self._copies(texts, identity_key(source), self._foreign(texts), self._label(record))
            if self.options.keep_original or not copies:
                yield dict(record)
            for index, (new_texts, ops) in enumerate(copies, 1):
                yield self._copy_record(record, new_texts, source, index, ops, locations)

    def process_line(self, raw: bytes, line_number: int, input_name: str = DEFAULT_INPUT) -> Result:
        """Parse one JSONL line and return its output lines; raise RecordError if unusable.

        Copies are the line's own bytes with the new texts spliced in and the
        provenance added: every other value is carried exactly as written.
        """
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise RecordError(f"invalid JSON: {exc}") from exc
        if not isinstance(record, dict):
            raise RecordError(f"expected a JSON object, got {type(record).__name__}")
        self._check(record)
        texts, locations = self._texts(record)
        value = record.get(self.options.id_field)
        found = None
        if value is None:
            source = key = orjson.dumps({"input": input_name, "line": line_number})
        elif isinstance(value, float | dict | list):
            # An integer too wide for the parser arrives as a float: the line's bytes keep its digits.
            found = self._locate(raw, texts, locations, with_id=True)
            literal = _literal(raw, found[0], (self.options.id_field,))
            key = identity_key(value, literal)
            source = literal or key  # (an id that holds a text field has no span of its own)
        else:
            source = key = identity_key(value)
        foreign = self._foreign(texts)
        copies, dropped, flipped = self._copies(texts, key, foreign, self._label(record))
        if not copies:
            return Result([raw], 0, True, dropped, foreign, flipped)
        spans, end = found or self._locate(raw, texts, locations)
        lines = [raw] if self.options.keep_original else []
        lines += self._splice(raw, spans, end, locations or self._plain_locations, copies, source)
        return Result(lines, len(copies), False, dropped, foreign, flipped)

    def texts(self, record: Mapping[str, Any]) -> list[str]:
        """The texts of ``record`` this pipeline augments (raises RecordError as augmenting it would)."""
        return self._texts(record)[0]

    def _label(self, record: Mapping[str, Any]) -> str | None:
        """The record's label for --filter-by-label (None: no filter, or the record has none)."""
        if self._judge is None:
            return None
        from augtool.stats import _MISSING, get_path, label_key

        value = get_path(record, self.options.filter_by_label or "")
        return None if value is _MISSING or value is None else label_key(value)

    def validate(self, record: Mapping[str, Any]) -> None:
        """Raise RecordError if ``record`` cannot be augmented (its texts, the provenance key)."""
        self._check(record)
        self._texts(record)

    def _check(self, record: Mapping[str, Any]) -> None:
        """Refuse a record that already has the provenance key: its copies would lose that field."""
        if self._provenance_key in record and self.options.n_aug:
            raise RecordError(
                f"the record already has a {self._provenance_key!r} field, where augtool writes its "
                "provenance; rename that field, or choose another key with --provenance-key"
            )

    def _locate(
        self, raw: bytes, texts: list[str], locations: list[Location] | None, *, with_id: bool = False
    ) -> tuple[dict[Location, tuple[int, int]], int]:
        """Byte spans of the texts (and the id) in ``raw``, and where the provenance goes."""
        if self._find_single is not None and not with_id:
            span = self._find_single(raw, texts[0])
            if span is not None:
                return {self._plain_locations[0]: span}, insertion_point(raw)
        if locations is None:
            wanted = self._plain_tree_with_id if with_id else self._plain_tree
        else:
            # Records of one dataset come in a few shapes: their tries are kept.
            shape = (*locations, (self.options.id_field,)) if with_id else tuple(locations)
            wanted = self._trees.get(shape)  # type: ignore[assignment]
            if wanted is None:
                if len(self._trees) >= 256:
                    self._trees.clear()
                wanted = self._trees[shape] = tree(shape)
        return locate(raw, wanted)

    def _splice(
        self,
        raw: bytes,
        spans: Mapping[Location, tuple[int, int]],
        end: int,
        locations: Sequence[Location],
        copies: list[tuple[list[str], tuple[str, ...]]],
        source: bytes,
    ) -> list[bytes]:
        """Each copy's line: the source bytes around the texts, the new texts, the provenance."""
        ops_json, numbers = self._ops_json, self._numbers
        if len(locations) == 1:  # the usual single text: no ordering, one writer
            a, b = spans[locations[0]]
            first, write, tail = raw[:a], text_writer(raw[a:b]), raw[end:]
            head = raw[b:end] + self._provenance_head + source + b',"copy":'
            return [
                b"".join((first, write(new_texts[0]), head, numbers[number], ops_json[ops], tail))
                for number, (new_texts, ops) in enumerate(copies, 1)
            ]
        # A text selected twice (two paths reaching one string) takes its last value, as in set_texts.
        pick = {location: i for i, location in enumerate(locations)}
        order = sorted(pick, key=lambda location: spans[location][0])
        picks = [pick[location] for location in order]
        pieces = splitter(raw, [spans[location] for location in order], end)
        writers = [text_writer(raw[slice(*spans[location])]) for location in order]
        head, tail = pieces[-2] + self._provenance_head + source + b',"copy":', pieces[-1]
        lines = []
        for number, (new_texts, ops) in enumerate(copies, 1):
            parts: list[bytes] = []
            for piece, write, i in zip(pieces, writers, picks):
                parts += (piece, write(new_texts[i]))
            parts += (head, numbers[number], ops_json[ops], tail)
            lines.append(b"".join(parts))
        return lines

    def _texts(self, record: Mapping[str, Any]) -> tuple[list[str], list[tuple[str | int, ...]] | None]:
        """The texts to augment, and where they sit when fields are nested paths (else None)."""
        if not self._plain:
            try:
                locations, found = get_texts(dict(record), self._paths, self._filters)
            except PathError as exc:
                raise RecordError(str(exc)) from None
            return found, locations
        texts = []
        for name in self.options.fields:
            if name not in record:
                raise RecordError(f"missing field {name!r}")
            value = record[name]
            reason = text_problem(value, name)
            if reason:
                raise RecordError(reason)
            texts.append(value)
        return texts, None

    def _copies(
        self, texts: list[str], identity: bytes, foreign: bool = False, label: str | None = None
    ) -> tuple[list[tuple[list[str], tuple[str, ...]]], int, int]:
        """The copies of one record (new texts, operations); how many of n_aug were not written; of those,
        how many the label filter dropped."""
        copies, dropped = self._draw(texts, identity, foreign)
        if self._judge is None or label is None or not copies:
            return copies, dropped, 0
        keep = self._judge.keep("\n".join(texts), label, ["\n".join(new) for new, _ in copies])
        kept = [copy for copy, ok in zip(copies, keep) if ok]
        flipped = len(copies) - len(kept)
        return kept, dropped + flipped, flipped

    def _draw(
        self, texts: list[str], identity: bytes, foreign: bool = False
    ) -> tuple[list[tuple[list[str], tuple[str, ...]]], int]:
        """The n_aug copies of one record (new texts, operations), and how many were not written."""
        n_aug = self.options.n_aug
        orders, order_names = self._orders, self._order_names
        if foreign:
            orders, order_names = self._foreign_orders, self._foreign_names
        if n_aug == 0 or not orders:
            return [], 0
        rng = self._rng
        rng.seed(_record_key(self.options.seed, identity))  # one object, a new stream per record
        tokens = [self._tokenize(text) for text in texts]
        n_orders = len(orders)
        apply = self._apply_one if len(texts) == 1 else self._apply
        seen = {_normalized(texts)} if self.options.dedup else None
        copies = []
        dropped = 0
        for copy in range(n_aug):
            # Copy k starts with operation k mod n, spreading operations evenly
            # (EDA's own loop rounds down and gives 8 copies for --n-aug 9);
            # when that one cannot change this record, the next one is tried.
            for shift in range(n_orders):
                start = (copy + shift) % n_orders
                new_texts = apply(tokens, texts, orders[start], rng)
                if new_texts is not None:
                    break
            else:
                if copy == 0:
                    return [], 0  # no operation can change this record: pass it through
                # No operation finds a safe change now (the guards hold the rest): fewer copies,
                # rather than a damaging one.
                dropped += n_aug - copy
                break
            if seen is not None:
                # A copy equal to its source or to a sibling teaches nothing new:
                # draw again a few times, then drop it.
                key = _normalized(new_texts)
                for _ in range(_DEDUP_RETRIES):
                    if key not in seen:
                        break
                    new_texts = apply(tokens, texts, orders[start], rng) or new_texts
                    key = _normalized(new_texts)
                if key in seen:
                    dropped += 1
                    continue
                seen.add(key)
            copies.append((new_texts, order_names[start]))
        return copies, dropped

    @staticmethod
    def _apply_one(
        tokens: list[Tokens], texts: list[str], order: tuple[Augmenter, ...], rng: Random
    ) -> list[str] | None:
        """``_apply`` for the common single-field record, without the per-field loop."""
        source, text = tokens[0], texts[0]
        for _ in range(_RETRIES):
            out = source
            for op in order:
                out = op(out, rng)
            if out is source:
                return None  # the operations found nothing to work on: retrying cannot help
            new_text = out.text()
            if new_text != text:
                return [new_text]
        return None

    @staticmethod
    def _apply(
        tokens: list[Tokens], texts: list[str], order: tuple[Augmenter, ...], rng: Random
    ) -> list[str] | None:
        """Run the operations in ``order`` on every field; None if nothing changed."""
        for _ in range(_RETRIES):
            new_texts = []
            changed = touched = False
            for field_tokens, text in zip(tokens, texts):
                out = field_tokens
                for op in order:
                    out = op(out, rng)
                if out is field_tokens:
                    new_texts.append(text)
                    continue
                touched = True
                new_text = out.text()
                changed = changed or new_text != text
                new_texts.append(new_text)
            if changed:
                return new_texts
            if not touched:
                return None  # the operations found nothing to work on: retrying cannot help
        return None

    def _copy_record(
        self,
        record: Mapping[str, Any],
        texts: list[str],
        source: object,
        index: int,
        ops: tuple[str, ...],
        locations: list[tuple[str | int, ...]] | None = None,
    ) -> dict[str, Any]:
        if locations is not None:
            out = set_texts(dict(record), locations, texts)
        else:
            out = dict(record)
            for name, text in zip(self._fields, texts):
                out[name] = text
        out[self._provenance_key] = {"source": source, "copy": index, "ops": list(ops)}
        return out

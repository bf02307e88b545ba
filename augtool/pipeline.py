"""Records in, augmented records out: the pure core, with no file or terminal I/O.

Each record gets its own random generator, seeded from the run's seed and the
record's identity, so a record's copies do not depend on what came before it:
the same input gives the same bytes in any order, split or parallel.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from random import Random
from typing import Any

import orjson

from augtool import augmenters
from augtool.augmenters import SENSES, Augmenter, Policy, Resources
from augtool.errors import UsageError
from augtool.guards import compile_protect, freeze
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
    senses: str = "top"
    inflect: bool = True
    guards: bool = True
    protect: tuple[str, ...] = ()
    preset: str | None = None

    def __post_init__(self) -> None:
        if not self.ops:
            raise UsageError("--ops needs at least one operation")
        if self.n_aug < 0:
            raise UsageError(f"--n-aug must be 0 or more, not {self.n_aug}")
        for name, value in {"alpha": self.alpha, **self.op_alpha}.items():
            if not 0.0 < value <= 1.0:
                raise UsageError(f"alpha for {name} must be in (0, 1], not {value}")
        unknown = set(self.op_alpha) - set(self.ops)
        if unknown:
            raise UsageError(f"--op-alpha names operations not in --ops: {', '.join(sorted(unknown))}")
        if not self.fields:
            raise UsageError("--field needs at least one field name")
        if self.provenance_key in self.fields:
            raise UsageError("the provenance key cannot also be a text field")
        if self.senses not in SENSES:
            raise UsageError(f"--senses takes {', '.join(SENSES)}, not {self.senses!r}")
        compile_protect(self.protect)  # a bad regex fails here, before any record is read

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
            "senses": self.senses,
            "inflect": self.inflect,
            "guards": self.guards,
            "protect": list(self.protect),
            "preset": self.preset,
        }


class RecordError(ValueError):
    """A record the pipeline cannot use; the reason is shown to the user with file:line."""


@dataclass(slots=True)
class Result:
    """What one input record became: output lines, and whether it was passed through."""

    lines: list[bytes]
    copies: int
    unchanged: bool


def record_rng(seed: int, source_id: object) -> Random:
    """A generator that depends only on the seed and the record's identity.

    >>> record_rng(7, "a").random() == record_rng(7, "a").random() != record_rng(7, "b").random()
    True
    """
    key = b"%d\x1f" % seed + orjson.dumps(source_id)
    return Random(int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big"))


def _source_id(record: Mapping[str, Any], id_field: str, line_number: int) -> object:
    """The record's id, or its line number when it has none (null counts as none)."""
    value = record.get(id_field)
    return line_number if value is None else value


class Pipeline:
    """Augment records with the configured operations.

    >>> from augtool.augmenters import Resources
    >>> pipe = Pipeline(Options(ops=("rs",), n_aug=2, seed=1), Resources())
    >>> [r["text"] for r in pipe.augment([{"id": 1, "text": "red green blue"}])]
    ['red green blue', 'blue green red', 'red blue green']
    """

    def __init__(self, options: Options, resources: Resources) -> None:
        self.options = options
        self.resources = resources = resources.with_policy(options.policy)
        pattern = compile_protect(options.protect)
        self._tokenize = tokenize if pattern is None else lambda text: freeze(tokenize(text), pattern)
        self.ops: list[Augmenter] = [
            augmenters.get(name)(alpha=options.op_alpha.get(name, options.alpha), resources=resources)
            for name in options.ops
        ]
        n = len(self.ops)
        # The operations each copy applies, by the index of the one it starts with.
        starts = [[*range(k, n), *range(k)] if options.chain else [k] for k in range(n)]
        self._orders = [tuple(self.ops[i] for i in order) for order in starts]
        self._order_names = [tuple(options.ops[i] for i in order) for order in starts]

    def augment(self, records: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
        """Yield each record (if kept) followed by its augmented copies."""
        for number, record in enumerate(records, 1):
            source_id = _source_id(record, self.options.id_field, number)
            texts = self._texts(record)
            copies = self._copies(texts, source_id)
            if self.options.keep_original or not copies:
                yield dict(record)
            for index, (new_texts, ops) in enumerate(copies, 1):
                yield self._copy_record(record, new_texts, source_id, index, ops)

    def process_line(self, raw: bytes, line_number: int) -> Result:
        """Parse one JSONL line and return its output lines; raise RecordError if unusable."""
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise RecordError(f"invalid JSON: {exc}") from exc
        if not isinstance(record, dict):
            raise RecordError(f"expected a JSON object, got {type(record).__name__}")
        source_id = _source_id(record, self.options.id_field, line_number)
        texts = self._texts(record)
        copies = self._copies(texts, source_id)
        lines = [raw] if self.options.keep_original or not copies else []
        for index, (new_texts, ops) in enumerate(copies, 1):
            lines.append(orjson.dumps(self._copy_record(record, new_texts, source_id, index, ops)))
        return Result(lines, len(copies), not copies)

    def _texts(self, record: Mapping[str, Any]) -> list[str]:
        texts = []
        for name in self.options.fields:
            if name not in record:
                raise RecordError(f"missing field {name!r}")
            value = record[name]
            if not isinstance(value, str):
                kind = "null" if value is None else type(value).__name__
                raise RecordError(f"field {name!r} must be a string, got {kind}")
            if not value.strip():
                raise RecordError(f"field {name!r} is empty")
            texts.append(value)
        return texts

    def _copies(self, texts: list[str], source_id: object) -> list[tuple[list[str], tuple[str, ...]]]:
        """The n_aug copies of one record: new texts and the operations that made them."""
        n_aug = self.options.n_aug
        if n_aug == 0:
            return []
        rng = record_rng(self.options.seed, source_id)
        tokens = [self._tokenize(text) for text in texts]
        n_orders = len(self._orders)
        copies = []
        for copy in range(n_aug):
            # Copy k starts with operation k mod n, spreading operations evenly
            # (EDA's own loop rounds down and gives 8 copies for --n-aug 9);
            # when that one cannot change this record, the next one is tried.
            for shift in range(n_orders):
                made = self._apply(tokens, texts, (copy + shift) % n_orders, rng)
                if made is not None:
                    copies.append(made)
                    break
            else:
                if copy == 0:
                    return []  # no operation can change this record: pass it through
                break
        return copies

    def _apply(
        self, tokens: list[Tokens], texts: list[str], start: int, rng: Random
    ) -> tuple[list[str], tuple[str, ...]] | None:
        """Run the operations of order ``start`` on every field; None if nothing changed."""
        order = self._orders[start]
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
                return new_texts, self._order_names[start]
            if not touched:
                return None  # the operations found nothing to work on: retrying cannot help
        return None

    def _copy_record(
        self,
        record: Mapping[str, Any],
        texts: list[str],
        source_id: object,
        index: int,
        ops: tuple[str, ...],
    ) -> dict[str, Any]:
        out = dict(record)
        for name, text in zip(self.options.fields, texts):
            out[name] = text
        out[self.options.provenance_key] = {"source": source_id, "copy": index, "ops": list(ops)}
        return out

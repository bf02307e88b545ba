"""Records in, augmented records out: the pure core, with no file or terminal I/O.

Each record gets its own random numbers, a keyed hash of the run's seed and the
record's identity, so a record's copies do not depend on what came before it:
the same input gives the same bytes in any order, split or parallel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

import orjson

from augtool import augmenters
from augtool.apply import DEDUP_RETRIES, Step, apply_all, apply_one, normalized
from augtool.augmenters import Augmenter, Resources
from augtool.errors import UsageError
from augtool.fields import set_texts
from augtool.guards import compile_protect, freeze
from augtool.identity import (
    DEFAULT_INPUT,
    STDIN_NAME,
    RecordError,
    identity_key,
    input_names,
    literal_of,
    record_key,
    record_rng,
    source_of,
)
from augtool.lang import default_detector, language_independent
from augtool.options import DEFAULT_OPS, Options
from augtool.recordtexts import RecordTexts
from augtool.rng import Draws, Stream
from augtool.tokens import Tokens, tokenize

# Options and record identity live in their own modules; these names stay importable from here.
__all__ = [
    "DEFAULT_INPUT",
    "DEFAULT_OPS",
    "STDIN_NAME",
    "Options",
    "Pipeline",
    "RecordError",
    "Result",
    "identity_key",
    "input_names",
    "record_rng",
]

@dataclass(slots=True)
class Result:
    """What one input record became: output lines, and whether it was passed through."""

    lines: list[bytes]
    copies: int
    unchanged: bool
    dropped: int = 0  # copies not written: duplicates (--dedup), no safe change left, label flips
    foreign: bool = False  # not English: only language-independent operations (--lang)
    flipped: int = 0  # of ``dropped``: copies the label filter read as another label
    duplicates: int = 0  # of ``dropped``: copies equal to their source or a sibling after the retries


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
        if options.filter_by_label is not None and options.label_filter is None:
            raise UsageError("--filter-by-label needs the judge trained on the originals: "
                             "Options(label_filter=LabelFilter.fit(texts, labels))")
        self._judge = options.label_filter if options.filter_by_label is not None else None
        self.ops: list[Augmenter] = [
            augmenters.build(name, alpha=options.op_alpha.get(name, options.alpha), resources=resources)
            for name in options.ops
        ]
        self._rng = Stream()  # plugins draw from it through a RecordRandom (contract.ContractCheck)
        self._fields = options.fields
        self._provenance_key = options.provenance_key
        self._orders, self._order_names = self._plan(list(range(len(self.ops))))
        # --lang: a record that is not English gets only the operations that add no
        # English word (auto), or none (en); "any" does not look.
        self._is_english = None if options.lang == "any" else default_detector().is_english
        independent = [i for i, op in enumerate(self.ops) if options.lang == "auto" and language_independent(op)]
        self._foreign_orders, self._foreign_names = self._plan(independent)
        self._where = RecordTexts(options, self._order_names + self._foreign_names)

    def _plan(self, indexes: list[int]) -> tuple[list[tuple[Step, ...]], list[tuple[str, ...]]]:
        """The operations each copy applies (as `Step`s), by the index of the one it starts with."""
        n = len(indexes)
        starts = [[*indexes[k:], *indexes[:k]] if self.options.chain else [indexes[k]] for k in range(n)]
        # The pipeline draws from a Stream: the built-in operations take any Draws, and a plugin,
        # which the Augmenter protocol promises a random.Random, sees one over the stream (ContractCheck).
        steps = [cast(Step, op.__call__) for op in self.ops]
        return [tuple(steps[i] for i in order) for order in starts], [
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
            source = source_of(record, self.options.id_field, input_name, number)
            texts, locations = self._where.find(record)
            copies, _, _, _ = self._copies(texts, identity_key(source), self._foreign(texts), self._label(record))
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
        texts, locations = self._where.find(record)
        value = record.get(self.options.id_field)
        found = None
        if value is None:
            source = key = orjson.dumps({"input": input_name, "line": line_number})
        elif isinstance(value, float | dict | list):
            # An integer too wide for the parser arrives as a float: the line's bytes keep its digits.
            found = self._where.locate(raw, texts, locations, with_id=True)
            literal = literal_of(raw, found[0], (self.options.id_field,))
            key = identity_key(value, literal)
            source = literal or key  # (an id that holds a text field has no span of its own)
        else:
            source = key = identity_key(value)
        foreign = self._foreign(texts)
        copies, dropped, flipped, duplicates = self._copies(texts, key, foreign, self._label(record))
        if not copies:
            return Result([raw], 0, True, dropped, foreign, flipped, duplicates)
        spans, end = found or self._where.locate(raw, texts, locations)
        lines = [raw] if self.options.keep_original else []
        lines += self._where.splice(raw, spans, end, locations or self._where.plain_locations, copies, source)
        return Result(lines, len(copies), False, dropped, foreign, flipped, duplicates)

    def texts(self, record: Mapping[str, Any]) -> list[str]:
        """The texts of ``record`` this pipeline augments (raises RecordError as augmenting it would)."""
        return self._where.find(record)[0]

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
        self._where.find(record)

    def _check(self, record: Mapping[str, Any]) -> None:
        """Refuse a record that already has the provenance key: its copies would lose that field."""
        if self._provenance_key in record and self.options.n_aug:
            raise RecordError(
                f"the record already has a {self._provenance_key!r} field, where augtool writes its "
                "provenance; rename that field, or choose another key with --provenance-key"
            )

    def _copies(
        self, texts: list[str], identity: bytes, foreign: bool = False, label: str | None = None
    ) -> tuple[list[tuple[list[str], tuple[str, ...]]], int, int, int]:
        """The copies of one record (new texts, operations); how many of n_aug were not written; of those,
        how many the label filter dropped and how many were duplicates."""
        copies, dropped, duplicates = self._draw(texts, identity, foreign)
        if self._judge is None or label is None or not copies:
            return copies, dropped, 0, duplicates
        keep = self._judge.keep("\n".join(texts), label, ["\n".join(new) for new, _ in copies])
        kept = [copy for copy, ok in zip(copies, keep) if ok]
        flipped = len(copies) - len(kept)
        return kept, dropped + flipped, flipped, duplicates

    def _draw(
        self, texts: list[str], identity: bytes, foreign: bool = False
    ) -> tuple[list[tuple[list[str], tuple[str, ...]]], int, int]:
        """The n_aug copies of one record (new texts, operations), how many were not written, and how many
        of those were duplicates."""
        n_aug = self.options.n_aug
        orders, order_names = self._orders, self._order_names
        if foreign:
            orders, order_names = self._foreign_orders, self._foreign_names
        if n_aug == 0 or not orders:
            return [], 0, 0
        rng = self._rng
        rng.seed(record_key(self.options.seed, identity))  # one object, a new stream per record
        tokens = [self._tokenize(text) for text in texts]
        apply = apply_one if len(texts) == 1 else apply_all
        seen = {normalized(texts)} if self.options.dedup else None
        copies = []
        dropped = duplicates = 0
        for copy in range(n_aug):
            found = _first_change(apply, tokens, texts, orders, copy, rng)
            if found is None:
                if copy == 0:
                    return [], 0, 0  # no operation can change this record: pass it through
                # No operation finds a safe change now (the guards hold the rest): fewer copies,
                # rather than a damaging one.
                dropped += n_aug - copy
                break
            new_texts, start = found
            if seen is not None:
                # A copy equal to its source or to a sibling teaches nothing new:
                # draw again a few times, then drop it.
                key = normalized(new_texts)
                if key in seen:  # most copies are new: no retry loop to set up
                    for _ in range(DEDUP_RETRIES):
                        new_texts = apply(tokens, texts, orders[start], rng) or new_texts
                        key = normalized(new_texts)
                        if key not in seen:
                            break
                if key in seen:
                    dropped += 1
                    duplicates += 1
                    continue
                seen.add(key)
            copies.append((new_texts, order_names[start]))
        return copies, dropped, duplicates

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


def _first_change(
    apply: Callable[[list[Tokens], list[str], tuple[Step, ...], Draws], list[str] | None],
    tokens: list[Tokens],
    texts: list[str],
    orders: list[tuple[Step, ...]],
    copy: int,
    rng: Draws,
) -> tuple[list[str], int] | None:
    """A copy's new texts and the index of the operations that made them, or None when no operation changes the record.

    Copy k starts with operation k mod n, spreading operations evenly (EDA's own loop rounds
    down and gives 8 copies for --n-aug 9); when that one cannot change this record, the next
    one is tried. A function of its own, not a loop in ``Pipeline._draw``: compiled, it counts
    in C integers (pipeline.pxd), which a method cannot declare.
    """
    n_orders = len(orders)
    for shift in range(n_orders):
        start = (copy + shift) % n_orders
        new_texts = apply(tokens, texts, orders[start], rng)
        if new_texts is not None:
            return new_texts, start
    return None

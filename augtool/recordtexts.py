"""Where a record's texts are, and each copy's line: the source bytes with new texts spliced in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from augtool.fields import PathError, get_texts, is_plain, parse_filter, parse_path, text_problem
from augtool.identity import RecordError
from augtool.options import Options
from augtool.splice import Location, TopLevelText, Tree, insertion_point, locate, splitter, text_writer, tree


class RecordTexts:
    """The texts ``options.fields`` select in a record, their byte spans, and the copies' lines."""

    def __init__(self, options: Options, op_names: Sequence[tuple[str, ...]]) -> None:
        self.options = options
        # Top-level field names (the usual case) skip the path machinery entirely.
        self._plain = all(is_plain(f) for f in options.fields)
        self._paths = [parse_path(f) for f in options.fields]
        self._filters = [parse_filter(f) for f in options.field_filter]
        # The fixed bytes of the provenance object, around its source and copy number.
        self._provenance_head = b"," + orjson.dumps(options.provenance_key) + b':{"source":'
        self._ops_json = {names: b',"ops":' + orjson.dumps(list(names)) + b"}" for names in op_names}
        self._numbers = [b"%d" % number for number in range(options.n_aug + 1)]
        self.plain_locations: list[Location] = [(name,) for name in options.fields]
        self._plain_tree = tree(self.plain_locations)
        self._plain_tree_with_id = tree([*self.plain_locations, (options.id_field,)])
        self._trees: dict[tuple[Location, ...], Tree] = {}
        # The usual record has one top-level text: it has a faster way to find it.
        self._find_single = TopLevelText(options.fields[0]) if self._plain and len(options.fields) == 1 else None

    def find(self, record: Mapping[str, Any]) -> tuple[list[str], list[tuple[str | int, ...]] | None]:
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

    def locate(
        self, raw: bytes, texts: list[str], locations: list[Location] | None, *, with_id: bool = False
    ) -> tuple[dict[Location, tuple[int, int]], int]:
        """Byte spans of the texts (and the id) in ``raw``, and where the provenance goes."""
        if self._find_single is not None and not with_id:
            span = self._find_single(raw, texts[0])
            if span is not None:
                return {self.plain_locations[0]: span}, insertion_point(raw)
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

    def splice(
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

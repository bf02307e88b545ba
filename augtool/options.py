"""Options: everything that decides the output bytes, checked when made, recorded in the manifest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from augtool.augmenters import SENSES, Policy
from augtool.errors import OptionError, UsageError
from augtool.fields import EACH, parse_filter, parse_path
from augtool.guards import compile_protect
from augtool.labelfilter import LabelFilter
from augtool.lang import MODES as LANG_MODES

DEFAULT_OPS = ("sr", "ri", "rs", "rd")


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

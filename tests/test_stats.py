"""augtool.stats: per-label figures cost one set of reservoirs per label, not per record."""

from __future__ import annotations

import importlib

import pytest

from augtool.stats import DatasetStats

# augtool.stats is the library function; the module of the same name is reached through sys.modules.
stats = importlib.import_module("augtool.stats")


def test_label_lengths_are_built_once_per_label(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each Lengths seeds two Random objects: building one per record made `stats --label-field` 2x slower.
    built: list[object] = []

    class CountingLengths(stats.Lengths):
        def __init__(self) -> None:
            super().__init__()
            built.append(self)

    monkeypatch.setattr(stats, "Lengths", CountingLengths)
    result = DatasetStats(label_field="label")
    for i in range(50):
        result.add({"text": "a b c", "label": "pos" if i % 5 else "neg"}, "a b c")
    assert len(built) == 2
    figures = result.to_json()["labels"]
    assert {key: value["count"] for key, value in figures.items()} == {"pos": 40, "neg": 10}
    assert figures["neg"]["lengths"]["words"]["max"] == 3

"""Nested text fields: only the selected strings change; everything else is byte-identical."""

from __future__ import annotations

import copy
import json
import re

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from augtool.augmenters import Resources
from augtool.errors import UsageError
from augtool.fields import get_texts, parse_filter, parse_path, set_texts
from augtool.pipeline import Options, Pipeline, RecordError

from .conftest import run_cli

CHAT = {
    "id": "c1",
    "messages": [
        {"role": "system", "content": "You are a happy helper."},
        {"role": "user", "content": "My car is a quick red car."},
        {"role": "assistant", "content": "A quick car is a happy car."},
        {"role": "user", "content": "The lazy dog sleeps in my house."},
    ],
    "meta": {"source": "forum", "body": "The quick fox and the lazy dog.", "tags": ["a", "b"]},
}


def without(record: dict, paths: list[tuple]) -> dict:
    """The record with the strings at ``paths`` blanked, to compare everything else."""
    out = copy.deepcopy(record)
    for path in paths:
        node = out
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = "<text>"
    return out


def augment(record: dict, fields: tuple[str, ...], filters: tuple[str, ...], resources: Resources) -> list[dict]:
    pipe = Pipeline(Options(fields=fields, field_filter=filters, n_aug=4, seed=2, alpha=0.3), resources)
    result = pipe.process_line(orjson.dumps(record), 1)
    return [orjson.loads(line) for line in result.lines]


def test_filter_selects_only_user_messages(resources: Resources) -> None:
    rows = augment(CHAT, ("messages[*].content",), ("role=user",), resources)
    assert rows[0] == CHAT and len(rows) == 5
    user = [("messages", 1, "content"), ("messages", 3, "content")]
    for row in rows[1:]:
        assert without({k: v for k, v in row.items() if k != "_aug"}, user) == without(CHAT, user)
        assert row["messages"][0] == CHAT["messages"][0] and row["messages"][2] == CHAT["messages"][2]
        assert (row["messages"][1]["content"], row["messages"][3]["content"]) != (
            CHAT["messages"][1]["content"], CHAT["messages"][3]["content"])
        assert list(row) == ["id", "messages", "meta", "_aug"]
        assert list(row["messages"][1]) == ["role", "content"]


def test_dotted_path_and_not_equal_filter(resources: Resources) -> None:
    rows = augment(CHAT, ("meta.body", "messages[*].content"), ("role!=system",), resources)
    for row in rows[1:]:
        assert row["messages"][0] == CHAT["messages"][0]
        assert row["meta"]["source"] == "forum" and row["meta"]["tags"] == ["a", "b"]


def test_source_record_is_not_modified(resources: Resources) -> None:
    record = copy.deepcopy(CHAT)
    pipe = Pipeline(Options(fields=("messages[*].content",), n_aug=2), resources)
    list(pipe.augment([record]))
    assert record == CHAT


def test_no_matching_item_passes_through(resources: Resources) -> None:
    record = {"messages": [{"role": "system", "content": "Be a happy helper."}]}
    pipe = Pipeline(Options(fields=("messages[*].content",), field_filter=("role=user",)), resources)
    result = pipe.process_line(orjson.dumps(record), 1)
    assert result.unchanged and result.copies == 0 and len(result.lines) == 1


@pytest.mark.parametrize(
    ("record", "field", "reason"),
    [
        ({"meta": {}}, "meta.body", "missing field 'meta.body'"),
        ({"messages": "hi"}, "messages[*].content", "field 'messages' is not a list, so [*] cannot apply"),
        ({"messages": [{"content": 3}]}, "messages[*].content",
         "field 'messages[0].content' must be a string, got int"),
        ({"turns": []}, "turns[0].text", "field 'turns[0]' does not exist"),
        ({"meta": {"body": " "}}, "meta.body", "field 'meta.body' is empty"),
    ],
)
def test_path_errors_say_where(resources: Resources, record: dict, field: str, reason: str) -> None:
    with pytest.raises(RecordError, match=re.escape(reason)):
        Pipeline(Options(fields=(field,)), resources).process_line(orjson.dumps(record), 1)


def test_bad_paths_and_filters_are_usage_errors() -> None:
    for kwargs in ({"fields": ("a..b",)}, {"fields": ("text",), "field_filter": ("role=user",)},
                   {"fields": ("m[*].c",), "field_filter": ("role",)}):
        with pytest.raises(UsageError):
            Options(**kwargs)


json_leaf = st.one_of(st.integers(-(2**63), 2**63 - 1), st.booleans(), st.none(), st.text(max_size=5))


@settings(max_examples=60, deadline=None)
@given(
    extra=st.dictionaries(st.text(min_size=1, max_size=4).filter(lambda k: k not in ("items", "_aug")), json_leaf,
                          max_size=4),
    items=st.lists(st.tuples(st.sampled_from(["user", "bot"]), st.sampled_from(["happy dog runs", "quick car"]),
                             json_leaf), min_size=1, max_size=4),
)
def test_unselected_parts_never_change(resources: Resources, extra: dict, items: list) -> None:
    record = {**extra, "items": [{"who": who, "text": text, "x": x} for who, text, x in items]}
    rows = augment(record, ("items[*].text",), ("who=user",), resources)
    selected = [("items", i, "text") for i, (who, _, _) in enumerate(items) if who == "user"]
    for row in rows[1:]:
        row.pop("_aug")
        assert without(row, selected) == without(record, selected)


def test_get_and_set_are_inverse() -> None:
    locations, texts = get_texts(CHAT, [parse_path("messages[*].content")], [parse_filter("role=user")])
    assert set_texts(CHAT, locations, texts) == CHAT


def test_cli_chat_records() -> None:
    proc = run_cli("augment", "-", "-o", "-", "--field", "messages[*].content", "--field-filter", "role=user",
                   "--n-aug", "1", stdin=json.dumps(CHAT).encode() + b"\n")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert rows[1]["messages"][0] == CHAT["messages"][0] and rows[1]["meta"] == CHAT["meta"]

"""Copies carry every non-text byte of their source; record identity is unambiguous and the same everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from augtool.augmenters import Resources
from augtool.pipeline import Options, Pipeline, RecordError, input_names
from augtool.splice import locate, tree

from .conftest import run_cli

SENTENCE = "The quick brown fox jumps over the lazy dog near my happy house."
DECODER = json.JSONDecoder()


def split_copy(copy: bytes, before: bytes, after: bytes, tail: bytes) -> tuple[str, dict]:
    """Check ``copy`` is before + <a string> + after + ',"_aug":' + <an object> + tail; return both values.

    Written against the JSON grammar with the standard library, not with augtool's scanner.
    """
    assert copy.startswith(before), (copy, before)
    rest = copy[len(before):].decode()
    text, used = DECODER.raw_decode(rest)
    assert isinstance(text, str)
    rest_bytes = rest[used:].encode()
    assert rest_bytes.startswith(after + b',"_aug":'), (rest_bytes, after)
    rest = rest_bytes[len(after) + len(b',"_aug":'):].decode()
    provenance, used = DECODER.raw_decode(rest)
    assert rest[used:].encode() == tail
    return text, provenance


def test_repro_04_numbers_and_escapes_are_carried_exactly(resources: Resources) -> None:
    raw = (b'{"id":123456789012345678901234567890,"text":"The quick brown fox jumps over the lazy dog.",'
           b'"v":18446744073709551616,"w":-9223372036854775809,"e":1e5,"f":1.10,"s":"a\\u2028b\\/c"}')
    result = Pipeline(Options(n_aug=4, seed=1), resources).process_line(raw, 1)
    assert result.lines[0] == raw and result.copies == 4
    before = b'{"id":123456789012345678901234567890,"text":'
    after = b',"v":18446744073709551616,"w":-9223372036854775809,"e":1e5,"f":1.10,"s":"a\\u2028b\\/c"'
    for number, copy in enumerate(result.lines[1:], 1):
        text, provenance = split_copy(copy, before, after, b"}")
        assert text != "The quick brown fox jumps over the lazy dog."
        assert provenance["copy"] == number
        # The id keeps every digit in the provenance too, where a 64-bit parser would make it a float.
        assert b'"_aug":{"source":123456789012345678901234567890,' in copy


def test_big_int_ids_that_a_float_cannot_tell_apart_get_different_copies(resources: Resources) -> None:
    pipe = Pipeline(Options(n_aug=4, seed=1), resources)
    a = pipe.process_line(b'{"id":123456789012345678901234567890,"text":"%s"}' % SENTENCE.encode(), 1).lines
    b = pipe.process_line(b'{"id":123456789012345678901234567891,"text":"%s"}' % SENTENCE.encode(), 1).lines
    assert orjson.loads(b"[123456789012345678901234567890]") == orjson.loads(b"[123456789012345678901234567891]")
    assert [orjson.loads(x)["text"] for x in a[1:]] != [orjson.loads(x)["text"] for x in b[1:]]


def test_library_and_cli_seed_big_int_ids_alike(resources: Resources) -> None:
    pipe = Pipeline(Options(n_aug=3, seed=4), resources)
    raw = b'{"id":123456789012345678901234567890,"text":"%s"}' % SENTENCE.encode()
    from_line = [json.loads(x)["text"] for x in pipe.process_line(raw, 1).lines[1:]]
    from_dict = [r["text"] for r in pipe.augment([json.loads(raw)])][1:]
    assert from_line == from_dict


@pytest.mark.parametrize("depth", [254, 600, 1023])
def test_repro_06_deep_nesting_is_carried(resources: Resources, depth: int) -> None:
    nested = b"[" * depth + b"]" * depth
    raw = b'{"id":1,"text":"%s","x":%s}' % (SENTENCE.encode(), nested)
    result = Pipeline(Options(n_aug=2), resources).process_line(raw, 1)
    assert result.copies == 2
    for copy in result.lines[1:]:
        split_copy(copy, b'{"id":1,"text":', b',"x":' + nested, b"}")


def test_nesting_deeper_than_the_parser_allows_is_one_rejected_record(resources: Resources) -> None:
    raw = b'{"id":1,"text":"%s","x":%s}' % (SENTENCE.encode(), b"[" * 1025 + b"]" * 1025)
    with pytest.raises(RecordError, match="invalid JSON"):
        Pipeline(Options(), resources).process_line(raw, 1)


def test_deep_nesting_in_skip_mode_loses_nothing(tmp_path: Path) -> None:
    good = [json.dumps({"id": i, "text": SENTENCE}) for i in range(3)]
    deep = f'{{"id":9,"text":"{SENTENCE}","x":{"[" * 700 + "]" * 700}}}'
    too_deep = f'{{"id":10,"text":"{SENTENCE}","x":{"[" * 2000 + "]" * 2000}}}'
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([*good, deep, too_deep]) + "\n")
    proc = run_cli("augment", str(source), "-o", str(tmp_path / "out"), "--on-error", "skip", "-q")
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["counts"]["read"] == 5 and manifest["counts"]["rejected"] == 1
    rejected = json.loads((tmp_path / "out" / "rejects.ndjson").read_text())
    assert rejected["line"] == 5 and rejected["reason"].startswith("invalid JSON")


def test_repro_20_existing_provenance_key_is_refused_not_replaced(resources: Resources) -> None:
    raw = b'{"id":1,"text":"The quick brown fox jumps.","_aug":"USER FIELD"}'
    with pytest.raises(RecordError, match=r"already has a '_aug' field.*--provenance-key"):
        Pipeline(Options(), resources).process_line(raw, 1)
    with pytest.raises(RecordError, match="already has a '_aug' field"):
        list(Pipeline(Options(), resources).augment([orjson.loads(raw)]))
    # Another key keeps the user's field in every copy; with no copies asked there is nothing to refuse.
    copies = Pipeline(Options(provenance_key="prov"), resources).process_line(raw, 1).lines[1:]
    assert copies and all(orjson.loads(c)["_aug"] == "USER FIELD" for c in copies)
    assert Pipeline(Options(n_aug=0), resources).process_line(raw, 1).lines == [raw]


def test_cli_refuses_existing_provenance_key_with_exit_3() -> None:
    proc = run_cli("augment", "-", "-o", "-", stdin=b'{"id":1,"text":"The quick brown fox jumps.","_aug":1}\n')
    assert proc.returncode == 3
    assert "<stdin>:1: the record already has a '_aug' field" in proc.stderr.decode()


def test_spacing_key_order_and_trailing_blanks_are_kept(resources: Resources) -> None:
    raw = b' { "text" : "%s" ,\t"label": [ 1 , 2 ] , "id" : "a" }  ' % SENTENCE.encode()
    for copy in Pipeline(Options(n_aug=2), resources).process_line(raw, 1).lines[1:]:
        _, provenance = split_copy(copy, b' { "text" : ', b' ,\t"label": [ 1 , 2 ] , "id" : "a"', b" }  ")
        assert provenance["source"] == "a"


def test_ascii_only_source_gives_ascii_only_copies(resources: Resources) -> None:
    record = {"id": 1, "text": "Caf\u00e9 au lait: the quick brown fox jumps over the lazy dog."}
    raw = json.dumps(record).encode()  # ensure_ascii: \u00e9
    for copy in Pipeline(Options(n_aug=3, seed=2), resources).process_line(raw, 1).lines[1:]:
        assert copy.isascii() and "Caf\u00e9" in json.loads(copy)["text"]


def test_escaped_line_separators_stay_escaped(resources: Resources) -> None:
    raw = '{"id":1,"text":"caf\u00e9 the quick brown fox\\u2028jumps over the lazy dog"}'.encode()
    for copy in Pipeline(Options(n_aug=3, seed=2, ops=("rd", "rs")), resources).process_line(raw, 1).lines[1:]:
        assert "\u2028".encode() not in copy and b"\\u2028" in copy
        assert "\u2028" in json.loads(copy)["text"]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"text":"old text","text":"%s","id":1}',  # a repeated key: the parser keeps the last
        b'{"text":"%s","text":"%s","id":1}',
        b'{"text":"%s","te\\u0078t":"%s","id":1}',
        b'{"te\\u0078t":"old text","text":"%s","id":1}',
        b'{"text":"old text","te\\u0078t":"%s","id":1}',
        b'{"id":1,"note":"a \\"text\\":\\"x\\" inside","text":"%s"}',
        b'{"id":1,"note":"ends in \\"text","text":"%s"}',
        b'{"id":1,"meta":{"text":"nested"},"text":"%s"}',
    ],
)
def test_the_text_the_parser_read_is_the_one_replaced(resources: Resources, raw: bytes) -> None:
    raw = raw.replace(b"%s", SENTENCE.encode())
    for copy in Pipeline(Options(n_aug=2, ops=("rd",)), resources).process_line(raw, 1).lines[1:]:
        parsed = orjson.loads(copy)
        assert parsed["text"] != SENTENCE and set(parsed["text"].split()) <= set(SENTENCE.split())
        assert copy.count(b"old text") == raw.count(b"old text") and copy.count(b"nested") == raw.count(b"nested")


def test_nested_paths_are_spliced(resources: Resources) -> None:
    raw = (b'{"id":7,"messages":[{"role":"system","content":"Be brief.","n":1e5},'
           b'{"role":"user","content":"%s","n":1.10}],"z":18446744073709551616}' % SENTENCE.encode())
    options = Options(fields=("messages[*].content",), field_filter=("role=user",), n_aug=2)
    for copy in Pipeline(options, resources).process_line(raw, 1).lines[1:]:
        before = b'{"id":7,"messages":[{"role":"system","content":"Be brief.","n":1e5},{"role":"user","content":'
        split_copy(copy, before, b',"n":1.10}],"z":18446744073709551616', b"}")


def test_two_texts_in_one_record(resources: Resources) -> None:
    raw = b'{"title":"happy quick dog","n":1E2,"body":"lazy fox jumps over the car"}'
    pipe = Pipeline(Options(fields=("body", "title"), ops=("rd",), alpha=0.5, n_aug=2), resources)
    for copy in pipe.process_line(raw, 1).lines[1:]:
        assert copy.startswith(b'{"title":"') and b'","n":1E2,"body":"' in copy
        parsed = orjson.loads(copy)
        assert parsed["title"] != "happy quick dog" and parsed["body"] != "lazy fox jumps over the car"


# --- property: any JSON around the text, written any way, comes through byte for byte

_WS = st.sampled_from(["", " ", "  ", "\t", "\r"])
_KEYS = st.text(alphabet="abcxyzé_\"\\/\u2028", min_size=1, max_size=4)


def _number() -> st.SearchStrategy[str]:
    digits = st.integers(min_value=0, max_value=10**40).map(str)
    return st.one_of(
        st.integers(-(2**70), 2**70).map(str),
        st.tuples(digits, st.sampled_from(["", ".0", ".10", ".5000"]), st.sampled_from(["", "e5", "E-3", "e+07"]))
        .map(lambda t: t[0] + t[1] + t[2]),
        st.sampled_from(["-0", "0.0", "1E2", "-1.5e-7"]),
    )


def _string() -> st.SearchStrategy[str]:
    def write(text: str, style: int) -> str:
        if style == 0:
            return json.dumps(text)  # ASCII, \u escapes
        if style == 1:
            return json.dumps(text, ensure_ascii=False)
        return json.dumps(text, ensure_ascii=False).replace("/", "\\/").replace("\u2028", "\\u2028")

    return st.tuples(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8),
                     st.integers(0, 2)).map(lambda t: write(*t))


def _value(depth: int = 2) -> st.SearchStrategy[str]:
    leaf = st.one_of(_number(), _string(), st.sampled_from(["true", "false", "null"]))
    if depth == 0:
        return leaf
    inner = _value(depth - 1)
    array = st.tuples(st.lists(st.tuples(_WS, inner, _WS), max_size=3), _WS).map(
        lambda t: "[" + ",".join(a + v + b for a, v, b in t[0]) + t[1] + "]")
    members = st.lists(st.tuples(_KEYS, inner), max_size=3, unique_by=lambda kv: kv[0])
    obj = st.tuples(members, _WS).map(
        lambda t: "{" + ",".join(json.dumps(k) + ":" + v for k, v in t[0]) + t[1] + "}")
    return st.one_of(leaf, array, obj)


@settings(max_examples=150, deadline=None)
@given(
    members=st.lists(st.tuples(_KEYS.filter(lambda k: k not in ("text", "_aug")), _value(), _WS, _WS),
                     max_size=5, unique_by=lambda m: m[0]),
    at=st.integers(0, 5),
    ascii_text=st.booleans(),
    outer=st.tuples(_WS, _WS),
)
def test_non_text_bytes_survive_any_writing(
    resources: Resources, members: list, at: int, ascii_text: bool, outer: tuple[str, str]
) -> None:
    written = [a + json.dumps(key) + b + ":" + value for key, value, a, b in members]
    text = json.dumps(SENTENCE, ensure_ascii=ascii_text)
    at = min(at, len(written))
    pieces = [*written[:at], '"text":' + text, *written[at:]]
    line = (outer[0] + "{" + ",".join(pieces) + outer[1] + "}").encode()
    assert orjson.loads(line)["text"] == SENTENCE  # a valid JSON object
    before = (outer[0] + "{" + "".join(p + "," for p in pieces[:at]) + '"text":').encode()
    after = "".join("," + p for p in pieces[at + 1:]).encode()
    result = Pipeline(Options(n_aug=2, seed=at), resources).process_line(line, 3, "in.jsonl")
    assert result.lines[0] == line and result.copies == 2
    for number, copy in enumerate(result.lines[1:], 1):
        new_text, provenance = split_copy(copy, before, after, (outer[1] + "}").encode())
        assert new_text != SENTENCE
        assert provenance == {"source": {"input": "in.jsonl", "line": 3}, "copy": number,
                              "ops": provenance["ops"]}


def test_locate_on_awkward_strings() -> None:
    line = rb'{"a":"\\","b":"\\\"","c":["]","}",{"d":"\"}"}],"text":"x\\\\"}'
    spans, end = locate(line, tree([("text",), ("c", 2, "d")]))
    assert line[slice(*spans[("text",)])] == rb'"x\\\\"' and line[slice(*spans[("c", 2, "d")])] == rb'"\"}"'
    assert line[end:] == b"}"


# --- identity

def test_id_less_records_of_two_files_differ(tmp_path: Path) -> None:
    for name in ("a.jsonl", "b.jsonl"):
        (tmp_path / name).write_text(json.dumps({"text": SENTENCE}) + "\n")
    proc = run_cli("augment", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"), "-o", "-", "-n", "2",
                   "--seed", "3")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    copies = [r for r in rows if "_aug" in r]
    assert [c["_aug"]["source"] for c in copies] == [{"input": "a.jsonl", "line": 1}] * 2 + [
        {"input": "b.jsonl", "line": 1}] * 2
    assert [c["text"] for c in copies[:2]] != [c["text"] for c in copies[2:]]


def test_library_and_cli_give_the_same_copies(tmp_path: Path, resources: Resources) -> None:
    records = [{"text": SENTENCE}, {"id": None, "text": "lazy dog and happy car"}, {"id": "x", "text": SENTENCE}]
    source = tmp_path / "data" / "train.jsonl"
    source.parent.mkdir()
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    pipe = Pipeline(Options(n_aug=2, seed=5), resources)
    from_library = [orjson.dumps(r) for r in pipe.augment(records, input_name="train.jsonl")]
    from_lines = [line for number, raw in enumerate(source.read_bytes().splitlines(), 1)
                  for line in pipe.process_line(raw, number, input_names([str(source)])[0]).lines]
    assert from_library == from_lines
    assert [orjson.loads(x)["_aug"]["source"] for x in from_lines if b"_aug" in x][:2] == [
        {"input": "train.jsonl", "line": 1}] * 2


def test_input_names_are_short_unique_and_independent_of_spelling(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    assert input_names(["data/a.jsonl"]) == input_names(["./data/a.jsonl"]) == input_names(
        [str(tmp_path / "data" / "a.jsonl")]) == ["a.jsonl"]
    assert input_names(["x/en/train.jsonl", "x/fr/train.jsonl", "y/en/train.jsonl"]) == [
        "x/en/train.jsonl", "fr/train.jsonl", "y/en/train.jsonl"]
    assert input_names(["a.jsonl", "a.jsonl", "-"]) == ["a.jsonl", "a.jsonl", "<stdin>"]
    assert input_names(["train.jsonl", "sub/train.jsonl"]) == [f"{tmp_path.name}/train.jsonl", "sub/train.jsonl"]


def test_stats_against_matches_id_less_copies_to_their_lines(tmp_path: Path) -> None:
    source = tmp_path / "train.jsonl"
    source.write_text(f'{{"text": "{SENTENCE}"}}\n\n{{"text": "lazy dog and happy car"}}\n')
    out = tmp_path / "out"
    assert run_cli("augment", str(source), "-o", str(out), "-n", "2", "-q").returncode == 0
    proc = run_cli("stats", str(out), "--against", str(source), "--json")
    against = json.loads(proc.stdout)["against"]
    assert against["compared"] == 4 and against["without_source"] == 0

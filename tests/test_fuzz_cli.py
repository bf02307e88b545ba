"""Fuzz the whole ``augtool augment`` command with random records, Unicode and junk lines.

For every generated input, whatever it holds: no traceback; the exit code the
README's table gives (0 in skip mode; 3 in fail mode when a line is bad, else
0); every non-blank line either written byte for byte as an original or
rejected (read = originals + rejected), and rejected exactly when it is bad;
and every copy is its source line with only the text changed and the provenance
added (every other byte identical).

The oracle is written here from the JSON and README rules, not from augtool's code.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import orjson
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from augtool.cli import app
from augtool.lexwrite import dumps_lexicon

from .conftest import TINY_TABLE

WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "happy", "car", "house", "not", "my", "Dog"]
PIECES = [" ", " ", " ", ", ", ". ", "\t", " 🚀 ", " https://x.io/a ", " $4.99 ", " — ", "\u2028", " café ", "'s "]


@dataclass
class Line:
    """One input line and what the oracle knows about it."""

    raw: bytes
    before: bytes | None = None  # for a well-formed record: the bytes up to the text's value...
    after: bytes | None = None  # ... those after it, up to the end of the last member...
    tail: bytes | None = None  # ... and the closing brace with its blanks
    id_literal: bytes | None = None  # the id as written, if the record has a usable one


_WS = st.sampled_from(["", "", " ", "\t", "  "])
_KEY = st.text(alphabet="abxyz_é\"\\/\u2028", min_size=1, max_size=3).map(lambda k: json.dumps(k, ensure_ascii=False))
_NUMBER = st.one_of(
    st.integers(-(2**80), 2**80).map(str),
    st.sampled_from(["1e5", "1.10", "-0", "0.0", "1E-7", "18446744073709551616", "-9223372036854775809", "2.50e+3"]),
)
_STRING = st.tuples(st.text(max_size=6), st.booleans()).map(
    lambda t: json.dumps(t[0], ensure_ascii=t[1]).replace("/", "\\/").replace("\u2028", "\\u2028"))
_SCALAR = st.one_of(_NUMBER, _STRING, st.sampled_from(["true", "false", "null"]))
_VALUE = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(
        st.lists(st.tuples(_WS, inner), max_size=3).map(lambda xs: "[" + ",".join(w + v for w, v in xs) + "]"),
        st.lists(st.tuples(_KEY, inner), max_size=3, unique_by=lambda kv: kv[0]).map(
            lambda xs: "{" + ",".join(k + ":" + v for k, v in xs) + "}"),
    ),
    max_leaves=6,
)
_TEXT = st.one_of(
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(PIECES)), min_size=1, max_size=12).map(
        lambda ws: "".join(w + p for w, p in ws).strip()),
    st.text(max_size=20),  # any Unicode: may be blank (rejected) or unchangeable (passed through)
)
_ID = st.one_of(st.none(), _NUMBER, _STRING, st.just("null"))


@st.composite
def record_line(draw: st.DrawFn) -> Line:
    """A JSON object line with a text member among others, written in any style."""
    members = draw(st.lists(st.tuples(_KEY.filter(lambda k: json.loads(k) not in ("text", "_aug", "id")), _VALUE),
                            max_size=3, unique_by=lambda kv: json.loads(kv[0])))
    id_literal = draw(_ID)
    if id_literal is not None:
        members.insert(draw(st.integers(0, len(members))), ('"id"', id_literal))
    if draw(st.integers(0, 9)) == 0:
        members.append(('"_aug"', draw(_SCALAR)))  # the provenance key already there: refused
    if draw(st.integers(0, 9)) == 0:
        depth = draw(st.sampled_from([300, 1030]))  # carried, or past the parser's depth limit
        members.append(('"deep"', "[" * depth + "]" * depth))
    text = draw(st.one_of(_TEXT.map(lambda t: json.dumps(t, ensure_ascii=draw(st.booleans()))),
                          st.sampled_from(["null", "5", '"  "', "[]", '{"a":"b"}'])))
    at = draw(st.integers(0, len(members)))
    ws = [draw(_WS) for _ in range(4)]
    written = [(ws[0] + k + ws[1] + ":" + ws[2] + v).encode() for k, v in members]
    text_member = (ws[0] + '"text"' + ws[1] + ":" + ws[2]).encode()
    close = (ws[3] + "}").encode()
    before = b"{" + b"".join(m + b"," for m in written[:at]) + text_member
    after = b"".join(b"," + m for m in written[at:])
    raw = before + text.encode() + after + close
    usable_id = id_literal not in (None, "null")
    return Line(raw, before, after, close, id_literal.encode() if usable_id else None)


_JUNK = st.one_of(
    st.text(max_size=30).map(lambda t: t.replace("\n", " ").encode()),
    st.binary(max_size=20).map(lambda b: b.replace(b"\n", b" ")),
    st.sampled_from([b"[1, 2]", b'"text"', b"3", b"{", b'{"text": "a"', b"null", b"{}", b'{"text": "a",}']),
).map(Line)
_BLANK = st.sampled_from([b"", b"  ", b"\t", b"\r"]).map(Line)
LINES = st.lists(st.one_of(record_line(), record_line(), _JUNK, _BLANK), min_size=1, max_size=12)


def expected_outcome(raw: bytes) -> str | None:
    """Why the line is rejected (per the README: a JSON object with a non-blank string text, no provenance key)."""
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return "invalid JSON"
    if not isinstance(record, dict):
        return "not an object"
    if not isinstance(record.get("text"), str) or not record["text"].strip():
        return "no text"
    if "_aug" in record:
        return "provenance key"
    return None


def read_lines(line: Line, number: int) -> bytes:
    """The line as the reader hands it over: no newline or CR at the end, no BOM on line 1."""
    raw = line.raw.rstrip(b"\r\n")
    return raw[3:] if number == 1 and raw.startswith(b"\xef\xbb\xbf") else raw


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=st.lists(LINES, min_size=1, max_size=2), workers=st.sampled_from(["1", "2"]),
       on_error=st.sampled_from(["skip", "skip", "fail"]), n_aug=st.integers(1, 2),
       shard_size=st.sampled_from(["3", "1000"]), ops=st.sampled_from(["rs,rd", "sr,ri,rs,rd"]))
@example(files=[[Line(b"\x1f\x8b")]], workers="1", on_error="skip", n_aug=1, shard_size="3", ops="rs,rd")
@example(files=[[Line(b'{"text": "a dog"}')], [Line(b"\x28\xb5\x2f\xfd junk"), Line(b"{}")]], workers="2",
         on_error="fail", n_aug=1, shard_size="3", ops="rs,rd")
def test_augment_on_anything(files: list[list[Line]], workers: str, on_error: str, n_aug: int, shard_size: str,
                             ops: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        lexicon = work / "tiny.lex"
        lexicon.write_bytes(dumps_lexicon(TINY_TABLE, {"name": "tiny"}))
        paths = []
        for index, lines in enumerate(files):
            path = work / f"in{index}.jsonl"
            path.write_bytes(b"\n".join(line.raw for line in lines) + b"\n")
            paths.append(str(path))
        out = work / "out"
        result = CliRunner().invoke(app, [
            "augment", *paths, "-o", str(out), "--on-error", on_error, "--workers", workers, "-n", str(n_aug),
            "--shard-size", shard_size, "--ops", ops, "--lexicon", str(lexicon), "--seed", "1", "-q"])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.stderr
        assert "Traceback" not in result.stderr

        # A file is read as gzip or zstd when it starts with their magic bytes, whatever its name
        # (README: compressed input is recognised by content); junk that starts so is a broken
        # compressed file, which no mode can skip: the run stops on it.
        broken = [i for i, lines in enumerate(files) if lines[0].raw.startswith((b"\x1f\x8b", b"\x28\xb5\x2f\xfd"))]
        if broken:
            assert result.exit_code == 3, result.stderr
            first = broken[0]
            earlier_bad = on_error == "fail" and any(
                expected_outcome(read_lines(line, number)) for lines in files[:first]
                for number, line in enumerate(lines, 1) if read_lines(line, number).strip())
            if not earlier_bad:  # else the run stopped at that bad line, before reaching this file
                assert result.stderr.startswith(f"augtool: error: {paths[first]}:1: "), result.stderr
                assert "compressed" in result.stderr, result.stderr
            return

        # What the oracle expects of each non-blank line, input by input.
        expected: list[tuple[int, int, Line, bytes, str | None]] = []
        for index, lines in enumerate(files):
            for number, line in enumerate(lines, 1):
                raw = read_lines(line, number)
                if raw.strip():
                    expected.append((index, number, line, raw, expected_outcome(raw)))
        bad = [e for e in expected if e[4] is not None]
        if on_error == "fail" and bad:
            assert result.exit_code == 3, result.stderr
            index, number = bad[0][0], bad[0][1]
            assert result.stderr.startswith(f"augtool: error: {paths[index]}:{number}: ")
            assert not (out / "manifest.json").exists()
            return
        assert result.exit_code == 0, result.stderr

        manifest = json.loads((out / "manifest.json").read_text())
        counts = manifest["counts"]
        assert counts["read"] == len(expected) == counts["originals"] + counts["rejected"]
        assert counts["rejected"] == len(bad)
        # (bytes split at newlines only: a str split would also cut at U+2028 inside a line)
        rejects = [json.loads(x) for x in (out / "rejects.ndjson").read_bytes().split(b"\n")[:-1]] if bad else []
        assert [(r["file"], r["line"]) for r in rejects] == [(paths[i], n) for i, n, *_ in bad]

        output = [x for shard in manifest["shards"] for x in (out / shard["file"]).read_bytes().split(b"\n")[:-1]]
        assert len(output) == counts["written"]
        position = 0
        for index, number, line, raw, reason in expected:
            if reason is not None:
                continue
            assert output[position] == raw  # the original, byte for byte
            position += 1
            copy_number = 0
            while position < len(output) and "_aug" in orjson.loads(output[position]):
                copy = output[position]
                copy_number += 1
                position += 1
                if line.before is None:
                    continue  # a junk line that happened to be a record: nothing more is known of it
                assert line.after is not None and line.tail is not None
                assert copy.startswith(line.before), (copy, line.before)
                rest = copy[len(line.before):].decode()
                text, used = json.JSONDecoder().raw_decode(rest)
                assert isinstance(text, str) and text.strip()
                rest_bytes = rest[used:].encode()
                assert rest_bytes.startswith(line.after + b',"_aug":') and rest_bytes.endswith(line.tail)
                provenance = rest_bytes[len(line.after) + len(b',"_aug":'): len(rest_bytes) - len(line.tail)]
                # The id as a JSON value, decoded with arbitrary-precision integers (so a big id must keep
                # every digit), or where the record was read.
                found = json.loads(provenance)
                source = json.loads(line.id_literal) if line.id_literal else {"input": f"in{index}.jsonl",
                                                                              "line": number}
                assert found["source"] == source and found["copy"] == copy_number, (found, source)
            assert copy_number <= n_aug
        assert position == len(output)

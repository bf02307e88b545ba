"""CSV, TSV and Parquet readers and shard writers (augtool.formats), checked against hand-written data."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import sys
from decimal import Decimal
from pathlib import Path

import orjson
import pytest

from augtool.errors import InputError, OutputError, UsageError
from augtool.formats import OutputSpec, count_records, detect, open_shard, read_lines, read_records

# Quotes, commas, a CRLF and a bare LF inside cells, an empty cell, non-ASCII, a leading space.
CSV_TEXT = (
    'id,text,label\r\n'
    '1,"She said ""hi"", then left.",pos\r\n'
    '2,"two\r\nlines, and\nmore",neg\r\n'
    '3,,""\r\n'
    '4, café ,"a,b"\r\n'
)
CSV_RECORDS = [
    {"id": "1", "text": 'She said "hi", then left.', "label": "pos"},
    {"id": "2", "text": "two\r\nlines, and\nmore", "label": "neg"},
    {"id": "3", "text": "", "label": ""},
    {"id": "4", "text": " café ", "label": "a,b"},
]


def _write_shard(tmp_path: Path, spec: OutputSpec, lines: list[bytes], name: str, *, compress: bool = False) -> Path:
    final = tmp_path / name
    shard = open_shard(tmp_path / f".{name}.tmp", final, spec, compress=compress)
    shard.add(lines)
    _, size = shard.publish()
    assert size == final.stat().st_size and not (tmp_path / f".{name}.tmp").exists()
    return final


def _copy_line(record: dict, text: str, source: object, copy: int) -> bytes:
    return orjson.dumps({**record, "text": text, "_aug": {"source": source, "copy": copy, "ops": ["sr"]}})


# --- detection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fmt"),
    [("a.csv", "csv"), ("a.csv.gz", "csv"), ("A.TSV", "tsv"), ("x.parquet", "parquet"), ("x.pq", "parquet"),
     ("x.jsonl.gz", "jsonl"), ("x.json", "jsonl"), ("-", "jsonl"), ("csv", "jsonl")],
)
def test_detect_by_extension(path: str, fmt: str) -> None:
    assert detect(path) == fmt


def test_detect_refuses_unknown_format() -> None:
    with pytest.raises(UsageError, match="--input-format takes jsonl, csv, tsv, eda, parquet, not 'xml'"):
        detect("a.csv", "xml")


# --- CSV / TSV -----------------------------------------------------------------------


def test_csv_reads_quotes_commas_and_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(CSV_TEXT.encode())
    assert [r for _, r in read_records(str(path), "csv")] == CSV_RECORDS
    assert [n for n, _ in read_records(str(path), "csv")] == [1, 2, 3, 4]


def test_csv_round_trips_exactly_with_provenance_column(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(CSV_TEXT.encode())
    lines = [line for _, line in read_lines(str(path), "csv")]
    copy = _copy_line(CSV_RECORDS[1], "two\nnew, text", "2", 1)
    out = _write_shard(tmp_path, OutputSpec("csv", columns=("id", "text", "label")), [*lines, copy], "part-00000.csv")
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["id", "text", "label", "_aug"]
    assert [dict(zip(rows[0][:3], row[:3])) for row in rows[1:5]] == CSV_RECORDS
    assert [row[3] for row in rows[1:5]] == ["", "", "", ""]
    assert rows[5] == ["2", "two\nnew, text", "neg", '{"source":"2","copy":1,"ops":["sr"]}']
    # Read back by augtool itself: the same records (the provenance column as text).
    again = [r for _, r in read_records(str(out), "csv")]
    assert again[:4] == CSV_RECORDS  # an empty provenance cell is no provenance
    assert again[4]["_aug"] == {"source": "2", "copy": 1, "ops": ["sr"]}
    assert count_records(out, "csv") == 5


def test_csv_output_bytes(tmp_path: Path) -> None:
    lines = [b'{"id":7,"text":"a \\"b\\", c","n":null,"ok":true,"v":[1,2]}']
    out = _write_shard(tmp_path, OutputSpec("csv"), lines, "part-00000.csv")
    assert out.read_bytes() == b'id,text,n,ok,v,_aug\n7,"a ""b"", c",,true,"[1,2]",\n'


def test_csv_gzip_shard_is_deterministic(tmp_path: Path) -> None:
    lines = [b'{"text":"x"}'] * 3
    a = _write_shard(tmp_path, OutputSpec("csv"), lines, "part-00000.csv.gz", compress=True)
    b = _write_shard(tmp_path, OutputSpec("csv"), lines, "part-00001.csv.gz", compress=True)
    assert a.read_bytes() == b.read_bytes()
    assert gzip.decompress(a.read_bytes()) == b"text,_aug\nx,\nx,\nx,\n"
    assert count_records(a, "csv") == 3


def test_csv_refuses_a_field_outside_its_columns(tmp_path: Path) -> None:
    shard = open_shard(tmp_path / ".p.tmp", tmp_path / "p.csv", OutputSpec("csv"), compress=False)
    with pytest.raises(OutputError, match="a record has the field 'extra', which is not among the CSV columns"):
        shard.add([b'{"text":"a"}', b'{"text":"b","extra":1}'])
    shard.discard()
    assert list(tmp_path.iterdir()) == []


def test_csv_gz_input_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "in.csv.gz"
    path.write_bytes(gzip.compress("\ufefftext,label\nhello,1\n".encode()))
    assert list(read_records(str(path), "csv")) == [(1, {"text": "hello", "label": "1"})]


def test_tsv_and_eda(tmp_path: Path) -> None:
    tsv = tmp_path / "in.tsv"
    tsv.write_text('text\tlabel\n"a\tb"\tx\nplain, "quoted"\ty\n', encoding="utf-8")
    assert [r for _, r in read_records(str(tsv), "tsv")] == [
        {"text": "a\tb", "label": "x"}, {"text": 'plain, "quoted"', "label": "y"}
    ]
    eda = tmp_path / "train.txt"
    eda.write_text('1\tneat movie , "great" acting\n\n0\tbad\tvery\n', encoding="utf-8")
    assert list(read_records(str(eda), "eda")) == [
        (1, {"label": "1", "text": 'neat movie , "great" acting'}), (3, {"label": "0", "text": "bad\tvery"})
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b\n1,2\n3\n", r"in\.csv:2: row has 1 cells, the header 2"),
        ("a,a\n1,2\n", r"in\.csv:0: the header names column 'a' twice"),
        ('a\nok\n"open\n', r"in\.csv:2: malformed CSV: unexpected end of data"),
    ],
)
def test_csv_errors_name_the_row(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        list(read_lines(str(path), "csv"))


def test_csv_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(b"text\nok\ncaf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8"):
        list(read_lines(str(path), "csv"))


# --- Parquet -----------------------------------------------------------------------


def _typed_table():  # type: ignore[no-untyped-def]
    pa = pytest.importorskip("pyarrow", reason="pyarrow not installed (pip install 'augtool[parquet]')")
    return pa.table({
        "id": pa.array([2**60 + 1, None, -(2**62)], pa.int64()),
        "text": ["The quick brown fox.", 'a, "b"\nc', ""],
        "ts": pa.array([dt.datetime(2020, 1, 2, 3, 4, 5, 678901), None, dt.datetime(1999, 12, 31)], pa.timestamp("us")),
        "tz": pa.array([dt.datetime(2020, 1, 2, 12, tzinfo=dt.UTC)] * 3, pa.timestamp("ms", tz="UTC")),
        "day": pa.array([dt.date(2020, 2, 29), None, dt.date(1, 1, 1)], pa.date32()),
        "tags": pa.array([[1, 2], [], None], pa.list_(pa.int32())),
        "nested": pa.array([[["x"], []], None, [None]], pa.list_(pa.list_(pa.string()))),
        "blob": pa.array([b"\x00\xff", None, b""], pa.binary()),
        "price": pa.array([Decimal("1.10"), None, Decimal("-3.00")], pa.decimal128(10, 2)),
        "meta": pa.array([{"x": 1, "when": dt.date(2021, 5, 5)}, None, {"x": None, "when": None}]),
        "counts": pa.array([[("a", 1)], None, []], pa.map_(pa.string(), pa.int64())),
        "score": pa.array([1.5, None, -0.25], pa.float32()),
        "flag": pa.array([True, False, None]),
    })


def test_parquet_round_trip_keeps_types_and_values(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from augtool.formats.parquet import schema_of

    table = _typed_table()
    src = tmp_path / "in.parquet"
    pq.write_table(table, src, row_group_size=2)
    rows = list(read_lines(str(src), "parquet"))
    assert [n for n, _ in rows] == [1, 2, 3]
    first = orjson.loads(rows[0][1])
    # Hand-checked JSON forms: int64 beyond 2^53 whole, ISO 8601 times, base64 binary, decimal text.
    assert first["id"] == 1152921504606846977 and first["ts"] == "2020-01-02T03:04:05.678901"
    assert first["tz"] == "2020-01-02T12:00:00+00:00" and first["blob"] == "AP8=" and first["price"] == "1.10"
    assert first["meta"] == {"x": 1, "when": "2021-05-05"} and first["counts"] == [["a", 1]]
    copy = _copy_line(first, "The fast brown fox.", first["id"], 2)
    out = _write_shard(tmp_path, OutputSpec("parquet", schema=schema_of(str(src))),
                       [line for _, line in rows] + [copy], "part-00000.parquet")
    back = pq.read_table(out)
    assert back.schema.names == [*table.schema.names, "_aug"]
    assert back.drop_columns(["_aug"]).slice(0, 3).equals(table)
    assert back.column("_aug").to_pylist() == [
        None, None, None, {"source": "1152921504606846977", "copy": 2, "ops": ["sr"]}
    ]
    last = back.slice(3).to_pylist()[0]
    assert last["text"] == "The fast brown fox." and last["id"] == 2**60 + 1 and last["blob"] == b"\x00\xff"
    assert count_records(out, "parquet") == 4
    # Read back by augtool: the provenance as the JSONL output holds it (absent on originals).
    again = [r for _, r in read_records(str(out), "parquet")]
    assert "_aug" not in again[0] and again[3]["_aug"] == {"source": 2**60 + 1, "copy": 2, "ops": ["sr"]}


def test_parquet_from_json_records_infers_one_schema_for_every_shard(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow not installed")
    import pyarrow as pa
    import pyarrow.parquet as pq

    spec = OutputSpec("parquet")
    a = _write_shard(tmp_path, spec, [b'{"id":1,"text":"a","note":null}'], "part-00000.parquet")
    b = _write_shard(tmp_path, spec, [b'{"id":2,"text":"b","note":"x","_aug":{"source":{"input":"t.jsonl","line":1},'
                                      b'"copy":1,"ops":["rd","rs"]}}'], "part-00001.parquet")
    assert pq.read_schema(a) == pq.read_schema(b)
    assert pq.read_schema(a).field("note").type == pa.string()
    assert pq.read_table(b).to_pylist() == [
        {"id": 2, "text": "b", "note": "x", "_aug": {"source": '{"input":"t.jsonl","line":1}', "copy": 1,
                                                    "ops": ["rd", "rs"]}}
    ]


def test_parquet_bytes_are_deterministic(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow not installed")
    lines = [b'{"text":"a","n":%d}' % i for i in range(20_000)]
    a = _write_shard(tmp_path, OutputSpec("parquet"), lines, "part-00000.parquet")
    b = _write_shard(tmp_path, OutputSpec("parquet"), lines, "part-00001.parquet")
    assert a.read_bytes() == b.read_bytes()
    import pyarrow.parquet as pq

    assert pq.ParquetFile(a).metadata.num_row_groups == 3  # 8,192-row groups, streamed out


def test_parquet_refuses_a_record_that_does_not_fit(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow not installed")
    shard = open_shard(tmp_path / ".p.tmp", tmp_path / "p.parquet", OutputSpec("parquet"), compress=False)
    shard.add([b'{"text":"a","n":1}', b'{"text":"b","n":"one"}'])
    with pytest.raises(OutputError, match=r"p\.parquet: the records have no common Parquet schema \(Could not"):
        shard.publish()
    shard.discard()
    spec = OutputSpec("parquet")
    _write_shard(tmp_path, spec, [b'{"text":"a","n":1}'], "part-00000.parquet")
    shard = open_shard(tmp_path / ".q.tmp", tmp_path / "q.parquet", spec, compress=False)
    shard.add([b'{"text":"b","n":"one"}'])
    with pytest.raises(OutputError, match=r"q\.parquet: a record does not fit the Parquet schema"):
        shard.publish()
    shard.discard()
    assert [p.name for p in tmp_path.iterdir()] == ["part-00000.parquet"]


def test_missing_pyarrow_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    extra = r"needs pyarrow: pip install 'augtool\[parquet\]'"
    with pytest.raises(InputError, match=r"x\.parquet:0: reading Parquet " + extra):
        list(read_lines(str(tmp_path / "x.parquet"), "parquet"))
    with pytest.raises(UsageError, match=r"writing Parquet " + extra):
        open_shard(tmp_path / ".p.tmp", tmp_path / "p.parquet", OutputSpec("parquet"), compress=False)


def test_parquet_not_from_stdin() -> None:
    with pytest.raises(UsageError, match="Parquet cannot be read from stdin"):
        list(read_lines("-", "parquet"))


# --- end to end, through the CLI ------------------------------------------------------------


def _augment(*args: str) -> None:
    from tests.conftest import run_cli

    done = run_cli("augment", *args, "-q")
    assert done.returncode == 0, done.stderr.decode()


def test_cli_csv_in_csv_out_keeps_every_cell(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(CSV_TEXT.replace("3,,", '3,"The quick brown fox jumps over the lazy dog.",').encode())
    _augment(str(src), "-o", str(tmp_path / "out"), "--output-format", "csv", "-n", "2", "--seed", "4")
    manifest = orjson.loads((tmp_path / "out" / "manifest.json").read_bytes())
    assert manifest["format"] == "csv" and [s["file"] for s in manifest["shards"]] == ["part-00000.csv"]
    with open(tmp_path / "out" / "part-00000.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # " café " is one word: no operation can change it, so it is written once, unchanged.
    assert len(rows) == 10 == manifest["counts"]["written"] and manifest["counts"]["unchanged"] == 1
    originals = [r for r in rows if not r["_aug"]]
    assert [{k: v for k, v in r.items() if k != "_aug"} for r in originals] == [
        {**r, "text": r["text"] or "The quick brown fox jumps over the lazy dog."} if r["id"] == "3" else r
        for r in CSV_RECORDS
    ]
    copies = [r for r in rows if r["_aug"]]
    assert {orjson.loads(r["_aug"])["source"] for r in copies} == {"1", "2", "3"}  # CSV ids are text
    assert all(r["label"] == next(o["label"] for o in originals if o["id"] == r["id"]) for r in copies)
    from tests.conftest import run_cli

    assert run_cli("verify", str(tmp_path / "out")).returncode == 0


def test_cli_parquet_in_parquet_out_keeps_types(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    table = _typed_table()
    texts = ["The quick brown fox.", "A happy dog, at home.", "Our car is fast."]
    table = table.set_column(1, "text", [texts])
    src = tmp_path / "in.parquet"
    pq.write_table(table, src)
    _augment(str(src), "-o", str(tmp_path / "out"), "--output-format", "parquet", "-n", "1", "--seed", "2",
             "--ops", "rd,rs")
    back = pq.read_table(tmp_path / "out" / "part-00000.parquet")
    assert back.schema.remove_metadata() == table.schema.append(back.schema.field("_aug")).remove_metadata()
    originals = back.filter(back.column("_aug").is_null()).drop_columns(["_aug"])
    assert originals.equals(table)
    copies = back.filter(back.column("_aug").is_valid()).to_pylist()
    # Row 1: rd or rs changed the text, every other column is the source's, typed.
    first = copies[0]
    assert first["text"] != "The quick brown fox." and sorted(first["text"].split()) != []
    assert first["id"] == 2**60 + 1 and first["blob"] == b"\x00\xff" and first["price"] == Decimal("1.10")
    assert first["ts"] == dt.datetime(2020, 1, 2, 3, 4, 5, 678901)
    assert first["_aug"]["source"] == "1152921504606846977"
    # The id-less row 2 is identified by the file name and its row number.
    assert any(c["_aug"]["source"] == '{"input":"in.parquet","line":2}' for c in copies)


def test_cli_same_records_whatever_the_formats(tmp_path: Path) -> None:
    rows = [{"id": str(i), "text": f"The quick brown fox {i} jumps over the lazy dog.", "label": "x"}
            for i in range(30)]
    (tmp_path / "in.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    with open(tmp_path / "in.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, ["id", "text", "label"])
        writer.writeheader()
        writer.writerows(rows)
    _augment(str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "a.jsonl"), "--seed", "9")
    _augment(str(tmp_path / "in.csv"), "-o", str(tmp_path / "b.csv"), "--seed", "9", "--workers", "2")
    _augment(str(tmp_path / "in.csv"), "-o", str(tmp_path / "c"), "--seed", "9", "--output-format", "parquet",
             "--shard-size", "40")
    expected = [orjson.loads(line) for line in (tmp_path / "a.jsonl").read_bytes().splitlines()]
    assert [r for _, r in read_records(str(tmp_path / "b.csv"), "csv")] == expected
    shards = sorted((tmp_path / "c").glob("part-*.parquet"))
    assert len(shards) == 4
    assert [r for s in shards for _, r in read_records(str(s), "parquet")] == expected


def test_cli_eda_input(tmp_path: Path) -> None:
    src = tmp_path / "train.txt"
    src.write_text("1\tthe quick brown fox jumps over the lazy dog\n0\ta happy dog\n", encoding="utf-8")
    _augment(str(src), "--input-format", "eda", "-o", str(tmp_path / "out.jsonl"), "-n", "1", "--ops", "rs")
    lines = [orjson.loads(line) for line in (tmp_path / "out.jsonl").read_bytes().splitlines()]
    assert lines[0] == {"label": "1", "text": "the quick brown fox jumps over the lazy dog"}
    assert lines[1]["_aug"]["source"] == {"input": "train.txt", "line": 1} and lines[1]["label"] == "1"


EDA_TRAIN = "pos\tgreat movie , truly fun\nneg\tawful and dull film\nneg\tboring plot and bad acting\n" \
            "pos\tlovely warm cast\nneg\tterrible\n"


def test_stats_and_balance_read_input_format_too(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    src = tmp_path / "train.txt"  # EDA's own files: no suffix says what they are
    src.write_text(EDA_TRAIN, encoding="utf-8")
    done = run_cli("stats", str(src), "--input-format", "eda", "--label-field", "label", "--json")
    assert done.returncode == 0, done.stderr.decode()
    report = orjson.loads(done.stdout)
    assert (report["records"], report["rejected_lines"]) == (5, 0)
    assert {label: row["count"] for label, row in report["labels"].items()} == {"pos": 2, "neg": 3}
    assert run_cli("stats", str(src), "--label-field", "label").returncode != 0  # read as JSONL: no record
    done = run_cli("balance", str(src), "--input-format", "eda", "-o", str(tmp_path / "out.jsonl"), "--seed", "1")
    assert done.returncode == 0, done.stderr.decode()
    rows = [orjson.loads(line) for line in (tmp_path / "out.jsonl").read_bytes().splitlines()]
    assert sorted(r["label"] for r in rows) == ["neg"] * 3 + ["pos"] * 3
    assert [r["_aug"]["source"] for r in rows if "_aug" in r] in ([{"input": "train.txt", "line": 1}],
                                                                   [{"input": "train.txt", "line": 4}])
    done = run_cli("balance", str(src), "--input-format", "eda", "-o", str(tmp_path / "dry"), "--dry-run")
    assert done.returncode == 0 and "label pos: 2 -> 3 (1 copies)" in done.stderr.decode()


def test_library_balance_takes_input_format(tmp_path: Path) -> None:
    import augtool

    src = tmp_path / "train.txt"
    src.write_text(EDA_TRAIN, encoding="utf-8")
    result = augtool.balance(str(src), str(tmp_path / "out.jsonl"), input_format="eda", seed=1)
    assert result.stats.read == 5 and result.stats.copies == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "-", "--output-format", "csv"], "--output-format csv needs -o DIR/ or -o FILE.csv: stdout is JSONL"),
        (["-o", "x.csv", "--output-format", "parquet"], "--output-format parquet: name the output file *.parquet"),
        (["-o", "d/", "--output-format", "xml"], "--output-format takes jsonl, csv, tsv, parquet, not 'xml'"),
        (["-o", "d/", "--output-format", "parquet", "--compress", "gzip"], "--compress gzip is for JSONL, CSV and TSV"),
    ],
)
def test_cli_format_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    from tests.conftest import run_cli

    (tmp_path / "in.jsonl").write_text('{"text":"a b"}\n')
    done = run_cli("augment", str(tmp_path / "in.jsonl"), *args, cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr.decode(), done.stderr.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_rejects_never_match_the_shard_glob_and_old_names_still_verify(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "a quick fox"}\n{"text": \n')
    out = tmp_path / "out"
    _augment(str(src), "-o", str(out), "--on-error", "skip", "--output-format", "jsonl")
    assert sorted(p.name for p in out.glob("*.jsonl")) == ["part-00000.jsonl"]
    assert (out / "rejects.ndjson").read_text().count("\n") == 1
    # An output written before the rename: rejects.jsonl, listed by its manifest.
    (out / "rejects.ndjson").rename(out / "rejects.jsonl")
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    manifest["rejects"]["file"] = "rejects.jsonl"
    (out / "manifest.json").write_bytes(orjson.dumps(manifest))
    assert run_cli("verify", str(out)).returncode == 0
    _augment(str(src), "-o", str(out), "--on-error", "skip", "--overwrite")  # --overwrite knows the old name
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "part-00000.jsonl", "rejects.ndjson"]


def test_cli_slices_of_a_parquet_run_merge_and_verify(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tests.conftest import run_cli

    rows = [{"id": i, "text": f"The quick brown fox {i} jumps over the lazy dog.", "n": 2**53 + i}
            for i in range(3000)]
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(rows), src)
    whole, sliced = tmp_path / "whole", tmp_path / "sliced"
    common = ["--output-format", "parquet", "-n", "1", "--ops", "rs,rd", "--seed", "5"]
    _augment(str(src), "-o", str(whole), *common)
    for index in ("0", "1"):
        _augment(str(src), "-o", str(sliced), *common, "--num-slices", "2", "--slice-index", index)
    assert run_cli("manifest", "merge", str(sliced)).returncode == 0
    done = run_cli("verify", str(sliced))
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    manifest = orjson.loads((sliced / "manifest.json").read_bytes())
    assert manifest["format"] == "parquet" and manifest["counts"]["written"] == 6000

    def records(directory: Path) -> list[tuple]:
        table = pa.concat_tables(pq.read_table(p) for p in sorted(directory.glob("part-*.parquet")))
        return sorted((r["id"], r["text"], r["n"], str(r["_aug"])) for r in table.to_pylist())

    assert records(sliced) == records(whole)


def test_library_augment_file_reads_and_writes_formats(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow not installed")
    import pyarrow.parquet as pq

    from augtool import augment_file

    src = tmp_path / "in.csv"
    src.write_bytes(CSV_TEXT.encode())
    stats = augment_file(src, tmp_path / "out.parquet", n_aug=1, seed=3, limit=2)
    table = pq.read_table(tmp_path / "out.parquet")
    assert stats.read == 2 and table.num_rows == 4 and table.column("id").to_pylist() == ["1", "1", "2", "2"]


def test_verify_reads_csv_and_parquet_shards(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    src = tmp_path / "in.csv"
    src.write_bytes(CSV_TEXT.replace("3,,", "3,a quick dog,").encode())
    for fmt in ("csv", "parquet"):
        out = tmp_path / fmt
        _augment(str(src), "-o", str(out), "--output-format", fmt, "-n", "1")
        assert run_cli("verify", str(out)).returncode == 0
    # A CSV row with a quoted line break is one record: an extra row is found, not an extra line.
    shard = tmp_path / "csv" / "part-00000.csv"
    shard.write_bytes(shard.read_bytes() + b'9,"x\ny",z,\n')
    done = run_cli("verify", str(tmp_path / "csv"))
    assert done.returncode == 6 and "part-00000.csv: 8 records, manifest says 7" in done.stderr.decode()
    shard = tmp_path / "parquet" / "part-00000.parquet"
    shard.write_bytes(shard.read_bytes()[:-20])
    done = run_cli("verify", str(tmp_path / "parquet"))
    assert done.returncode == 6 and "part-00000.parquet: cannot read its records" in done.stderr.decode()

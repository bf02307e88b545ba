"""The CLI end to end, through a real subprocess: stdout, stderr and exit codes apart."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from .conftest import REPO, run_cli

SAMPLE = REPO / "corpora" / "sample.jsonl"
RECORDS = [
    {"id": "r1", "text": "The quick brown fox jumps over the lazy dog.", "label": "pos"},
    {"id": "r2", "text": "Visit https://example.com for a happy car, said @anna #win 🚀", "label": "neg"},
    {"id": "r3", "text": "Dear {name}, your house is ready.\nCall 555-0100 now!", "label": "pos"},
]


def jsonl(records: list[dict]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


def read_dir(directory: Path) -> list[dict]:
    return [json.loads(line) for p in sorted(directory.glob("part-*.jsonl")) for line in p.open()]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data.jsonl"
    path.write_bytes(jsonl(RECORDS))
    return path


def test_stdin_to_stdout_keeps_originals_and_adds_copies() -> None:
    proc = run_cli("augment", "-", "-o", "-", "--seed", "7", stdin=jsonl(RECORDS))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 15
    assert rows[0] == RECORDS[0] and rows[5] == RECORDS[1]
    copies = [r for r in rows if "_aug" in r]
    assert {r["_aug"]["source"] for r in copies} == {"r1", "r2", "r3"}
    for copy in copies:
        if copy["_aug"]["source"] == "r2":
            for token in ["https://example.com", "@anna", "#win", "🚀"]:
                assert token in copy["text"]
    summary = proc.stderr.decode()
    assert "read 3 records" in summary and "wrote 15" in summary and "0 rejected" in summary


def test_files_to_shards_with_manifest(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("augment", str(data), "-o", str(out), "--shard-size", "4", "--seed", "1")
    assert proc.returncode == 0, proc.stderr
    shards = sorted(p.name for p in out.iterdir())
    assert shards == ["manifest.json", *(f"part-{i:05d}.jsonl" for i in range(4))]
    manifest = json.loads((out / "manifest.json").read_text())
    assert [s["records"] for s in manifest["shards"]] == [4, 4, 4, 3]
    for shard in manifest["shards"]:
        assert hashlib.sha256((out / shard["file"]).read_bytes()).hexdigest() == shard["sha256"]
    assert manifest["options"]["seed"] == 1 and manifest["options"]["n_aug"] == 4
    content = f"{data.stat().st_size}:sha256:{hashlib.sha256(data.read_bytes()).hexdigest()}"
    assert manifest["inputs"] == [{"path": str(data), "records": 3, "rejected": 0, "content": content}]
    assert manifest["counts"]["read"] == manifest["counts"]["originals"] + manifest["counts"]["rejected"]
    assert manifest["version"] and manifest["lexicon"]["source"].startswith("WordNet")
    assert len(read_dir(out)) == 15


def test_gzip_input_and_several_files(tmp_path: Path, data: Path) -> None:
    gz = tmp_path / "more.jsonl.gz"
    gz.write_bytes(gzip.compress(jsonl([{"id": "g1", "text": "happy dog runs home"}])))
    proc = run_cli("augment", str(data), str(gz), "-o", "-", "--n-aug", "1")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["id"] for r in rows if "_aug" not in r] == ["r1", "r2", "r3", "g1"]


def test_same_command_twice_gives_identical_bytes(tmp_path: Path, data: Path) -> None:
    a = run_cli("augment", str(data), "-o", str(tmp_path / "a"), "--seed", "3")
    b = run_cli("augment", str(data), "-o", str(tmp_path / "b"), "--seed", "3")
    assert a.returncode == b.returncode == 0
    for name in ("part-00000.jsonl", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    c = run_cli("augment", str(data), "-o", "-", "--seed", "3")
    assert c.stdout == (tmp_path / "a" / "part-00000.jsonl").read_bytes()


def test_non_empty_output_dir_is_refused_unless_overwrite(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("augment", str(data), "-o", str(out)).returncode == 0
    again = run_cli("augment", str(data), "-o", str(out))
    assert again.returncode == 4
    assert b"is not empty" in again.stderr and b"--overwrite" in again.stderr
    assert run_cli("augment", str(data), "-o", str(out), "--overwrite").returncode == 0
    (out / "notes.txt").write_text("mine")
    foreign = run_cli("augment", str(data), "-o", str(out), "--overwrite")
    assert foreign.returncode == 4 and b"did not write (notes.txt)" in foreign.stderr
    assert (out / "notes.txt").read_text() == "mine"


BAD_LINES = [
    (b'{"id": 1, "text": "fine dog"}\n{"id": 2, "text": "broken\n', 2, "invalid JSON"),
    (b'{"id": 1, "text": "fine dog"}\n[1]\n', 2, "expected a JSON object, got list"),
    (b'{"id": 1}\n', 1, "missing field 'text'"),
    (b'\n\n{"id": 1, "text": null}\n', 3, "field 'text' must be a string, got null"),
    (b'{"id": 1, "text": 3}\n', 1, "field 'text' must be a string, got int"),
    (b'{"id": 1, "text": ""}\n', 1, "field 'text' is empty"),
]


@pytest.mark.parametrize(("content", "line", "reason"), BAD_LINES)
def test_bad_line_fails_with_file_line_reason_and_leaves_no_output(
    tmp_path: Path, content: bytes, line: int, reason: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    out = tmp_path / "out"
    proc = run_cli("augment", str(path), "-o", str(out), "--shard-size", "1")
    assert proc.returncode == 3
    assert proc.stderr.decode().startswith(f"augtool: error: {path}:{line}: {reason}")
    assert proc.stdout == b""
    assert list(out.iterdir()) == []  # no shard, no manifest, no temp file


def test_skip_mode_accounts_for_every_line(tmp_path: Path) -> None:
    good = [{"id": i, "text": f"happy dog number {i} runs"} for i in range(5)]
    lines = [json.dumps(r).encode() for r in good]
    lines[1:1] = [b"{oops", b'{"text": 1}']
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out"
    proc = run_cli("augment", str(path), "-o", str(out), "--on-error", "skip", "--n-aug", "2")
    assert proc.returncode == 0, proc.stderr
    rejects = [json.loads(x) for x in (out / "rejects.ndjson").read_text().splitlines()]
    assert [(r["line"], r["file"]) for r in rejects] == [(2, str(path)), (3, str(path))]
    assert rejects[0]["reason"].startswith("invalid JSON") and rejects[0]["raw"] == "{oops"
    manifest = json.loads((out / "manifest.json").read_text())
    counts = manifest["counts"]
    assert counts["read"] == 7 == counts["originals"] + counts["rejected"]
    raw = (out / "rejects.ndjson").read_bytes()
    assert counts["rejected"] == 2 and manifest["rejects"] == {
        "file": "rejects.ndjson", "records": 2, "bytes": len(raw), "sha256": hashlib.sha256(raw).hexdigest()}
    assert len(read_dir(out)) == counts["written"] == 15
    assert "2 rejected" in proc.stderr.decode()


def test_truncated_gzip_is_a_file_error_in_every_mode(tmp_path: Path) -> None:
    whole = gzip.compress(jsonl([{"id": i, "text": f"quick dog {i} runs far"} for i in range(2000)]))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    for mode in ("fail", "skip"):
        out = tmp_path / f"out-{mode}"
        proc = run_cli("augment", str(path), "-o", str(out), "--on-error", mode)
        assert proc.returncode == 3
        assert proc.stderr.decode().startswith(f"augtool: error: {path}:")
        assert "truncated compressed file" in proc.stderr.decode()
        assert list(out.iterdir()) == []  # no shard, no manifest, no rejects: nothing looks finished


def test_missing_input_file(tmp_path: Path) -> None:
    proc = run_cli("augment", str(tmp_path / "nope.jsonl"), "-o", "-")
    assert proc.returncode == 3 and b"nope.jsonl:0: cannot open" in proc.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ops", "sr,zz"], "unknown augmenter 'zz'; available: sr, ri, rs, rd, punct"),
        (["--alpha", "0"], "alpha for alpha must be in (0, 1]"),
        (["--op-alpha", "rd"], "--op-alpha takes NAME=ALPHA"),
        (["--on-error", "maybe"], "--on-error takes fail or skip"),
    ],
)
def test_usage_errors_exit_2(data: Path, args: list[str], message: str) -> None:
    proc = run_cli("augment", str(data), "-o", "-", *args)
    assert proc.returncode == 2
    assert message in proc.stderr.decode()
    assert proc.stdout == b""


def test_no_keep_original_and_provenance_key(data: Path) -> None:
    proc = run_cli("augment", str(data), "-o", "-", "--no-keep-original", "--provenance-key", "meta_aug",
                   "--n-aug", "2")
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 6 and all("meta_aug" in r for r in rows)


def test_config_file_and_env_and_flag_precedence(tmp_path: Path, data: Path) -> None:
    config = tmp_path / "augtool.toml"
    config.write_text("[augment]\nn-aug = 1\nseed = 9\n")
    by_config = run_cli("--config", str(config), "augment", str(data), "-o", "-")
    assert len(by_config.stdout.splitlines()) == 6
    by_flag = run_cli("--config", str(config), "augment", str(data), "-o", "-", "--n-aug", "2")
    assert len(by_flag.stdout.splitlines()) == 9
    seed9 = run_cli("augment", str(data), "-o", "-", "--n-aug", "1", "--seed", "9")
    assert by_config.stdout == seed9.stdout
    by_env = run_cli("--config", str(config), "augment", str(data), "-o", "-", env={"AUGTOOL_SEED": "4"})
    seed4 = run_cli("augment", str(data), "-o", "-", "--n-aug", "1", "--seed", "4")
    assert by_env.stdout == seed4.stdout != seed9.stdout


def test_python_dash_m_and_every_command_has_help_with_examples() -> None:
    for args in (["--help"], ["augment", "--help"], ["list", "--help"], ["lexicon", "info", "--help"],
                 ["lexicon", "build", "--help"]):
        proc = run_cli(*args)
        assert proc.returncode == 0
        text = proc.stdout.decode()
        assert "Usage:" in text and "xample" in text, args


def test_list_names_the_builtins() -> None:
    proc = run_cli("list")
    names = [line.split()[0] for line in proc.stdout.decode().splitlines()]
    assert names[:4] == ["sr", "ri", "rs", "rd"]


def test_lexicon_info() -> None:
    proc = run_cli("lexicon", "info")
    assert proc.returncode == 0, proc.stderr
    info = dict(line.split(": ", 1) for line in proc.stdout.decode().splitlines())
    assert info["source"].startswith("WordNet 3.0") and "license" in info
    assert int(info["head words"].replace(",", "")) > 10_000
    assert "offensive senses" in info["dropped"]  # what the build filtered out, counted
    assert float(info["load seconds"]) < 1.0


def test_bundled_sample_runs(tmp_path: Path) -> None:
    proc = run_cli("augment", str(SAMPLE), "-o", str(tmp_path / "out"), "--seed", "7")
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["counts"]["rejected"] == 0
    assert manifest["counts"]["copies"] >= 4 * (manifest["counts"]["read"] - manifest["counts"]["unchanged"]) - 5


def test_exit_codes_agree_in_readme_help_and_code() -> None:
    import re

    from augtool import errors

    readme = (REPO / "README.md").read_text()
    table = readme.split("### Exit codes", 1)[1].split("\n\n", 2)[1]
    rows = {}
    for row in table.splitlines()[2:]:
        codes, meaning = row.strip("|").split("|", 1)
        for code in codes.split(","):
            rows[int(code)] = meaning.strip()
    assert set(rows) == {0, 1, 2, 3, 4, 5, 6, 130, 143}
    help_text = " ".join(run_cli("--help").stdout.decode().split())
    sentence = re.search(r"Exit codes: (.*?\(SIGINT/SIGTERM\)\.)", help_text)
    assert sentence is not None, help_text
    assert {int(n) for n in re.findall(r"\b\d+\b", sentence[1])} == set(rows)
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.AugtoolError)]
    by_code = {c.exit_code: c for c in classes if c is not errors.AugtoolError}
    # 0 ok and 130/143 signals have no error class of their own; 1 is a bug, or a worker killed (WorkerLost)
    assert set(by_code) == {1, 2, 3, 4, 5, 6} and by_code[1] is errors.WorkerLost
    assert "bug" in rows[1] and "worker" in rows[1] and "head" in rows[0] and "interrupted" in rows[130]

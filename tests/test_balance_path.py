"""balance runs on augment's path: same outputs, error policy, workers and compression."""

from __future__ import annotations

import gzip
import json
import signal
from pathlib import Path

import pytest

from augtool import runner
from augtool.driver import Plan
from augtool.errors import Interrupted
from augtool.pipeline import Options
from augtool.rebalance import BalanceSpec, balance_file, plan_balance

from .conftest import run_cli


def labelled(path: Path) -> Path:
    rows = [{"id": f"a{i}", "text": f"the happy dog {i} runs home fast", "label": "a"} for i in range(6)]
    rows += [{"id": "b0", "text": "the quick fox jumps over the lazy car", "label": "b"}]
    lines = [json.dumps(r) for r in rows]
    lines.insert(3, "{not json")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_balance_takes_augments_output_and_error_options(tmp_path: Path) -> None:
    data = labelled(tmp_path / "in.jsonl")
    spec = BalanceSpec(Options(ops=("rd", "rs"), seed=2, dedup=False))  # as `augtool balance` (exact counts)
    one = balance_file([str(data)], tmp_path / "one", spec, on_error="skip", shard_size=4)
    two = balance_file([str(data)], tmp_path / "two", spec, on_error="skip", shard_size=4, workers=2,
                       compress="gzip")
    assert one.stats.rejected == two.stats.rejected == 1
    assert [row["after"] for row in one.summary["labels"]] == [6, 6]
    plain = [p.read_bytes() for p in sorted((tmp_path / "one").glob("part-*.jsonl"))]
    zipped = [gzip.decompress(p.read_bytes()) for p in sorted((tmp_path / "two").glob("part-*.jsonl.gz"))]
    assert plain == zipped and len(plain) == 3  # 12 records in shards of 4
    rejected = json.loads((tmp_path / "one" / "rejects.ndjson").read_text())
    assert rejected["line"] == 4 and rejected["reason"].startswith("invalid JSON")
    assert run_cli("verify", str(tmp_path / "two")).returncode == 0
    single = run_cli("balance", str(data), "-o", str(tmp_path / "all.jsonl"), "--ops", "rd,rs", "--seed", "2",
                     "--on-error", "skip", "-q")
    assert single.returncode == 0, single.stderr
    assert (tmp_path / "all.jsonl").read_bytes() == b"".join(plain)
    strict = run_cli("balance", str(data), "-o", str(tmp_path / "strict"))
    assert strict.returncode == 3 and f"{data}:4: invalid JSON".encode() in strict.stderr
    assert not (tmp_path / "strict").exists()


def test_an_interrupted_balance_says_how_to_go_on(tmp_path: Path) -> None:
    data = labelled(tmp_path / "in.jsonl")
    spec = BalanceSpec(Options(ops=("rd",), seed=2))
    plan, _, _ = plan_balance([str(data)], spec, on_error="skip")

    def stop(number: int, outcome: object) -> None:
        raise Interrupted(signal.SIGTERM)

    with pytest.raises(Interrupted) as caught:
        runner.run([str(data)], str(tmp_path / "out"), spec, on_error="skip", shard_size=2,
                   plan=Plan(plan.read, stop, plan.manifest, plan.rejects))
    assert caught.value.hint == "the output is incomplete: rerun the same command with --overwrite"
    again = run_cli("balance", str(data), "-o", str(tmp_path / "out"), "--on-error", "skip", "--overwrite", "-q")
    assert again.returncode == 0, again.stderr

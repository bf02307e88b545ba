"""The I/O layers used as a library: no process-wide side effects, one file-name grammar."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from augtool import names, runner
from augtool.parallel import PipelineSpec
from augtool.pipeline import Options


def test_library_run_installs_no_signal_handler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "in.jsonl"
    data.write_text('{"id": 1, "text": "the quick brown fox jumps over the lazy dog"}\n')
    calls: list[int] = []
    real = signal.signal
    monkeypatch.setattr(signal, "signal", lambda signum, handler: calls.append(signum) or real(signum, handler))
    stats = runner.run([str(data)], str(tmp_path / "out"), PipelineSpec(Options(ops=("rd",), n_aug=2)))
    assert calls == []
    assert stats.read == 1 and stats.written == 3
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["schema"] == "augtool-manifest/1" and manifest["counts"]["written"] == 3


@pytest.mark.parametrize("tag", ["", "s0002of0005"])
@pytest.mark.parametrize("compress", [None, "gzip"])
def test_every_name_a_layout_makes_parses_back(tag: str, compress: str | None) -> None:
    layout = names.Layout(tag, compress)
    made = {"shard": layout.shard(7), "manifest": layout.manifest, "rejects": layout.rejects,
            "progress": layout.progress, "lock": layout.lock}
    for kind, name in made.items():
        parsed = names.parse(name)
        assert parsed is not None and (parsed.kind, parsed.tag, parsed.temp) == (kind, tag, False)
        assert layout.owns(name)
    assert names.parse(layout.shard(7)).number == 7  # type: ignore[union-attr]
    assert names.parse(f".{layout.shard(7)}.tmp").temp  # type: ignore[union-attr]

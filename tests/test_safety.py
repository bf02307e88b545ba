"""Nothing lost, nothing clobbered, no traceback: one regression test per class of issue 9.

Every case runs the real CLI in a subprocess and checks the exit code against
the README's table, the one-line message on stderr, and what is (or is not) on disk.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import run_cli, start_until_first_shard

TEXT = "The quick brown fox jumps over the lazy dog."


def write_records(path: Path, n: int, *, prefix: str = "r", bad: tuple[int, ...] = ()) -> Path:
    lines = []
    for i in range(n):
        record = {"id": f"{prefix}{i}", "text": 7 if i in bad else f"{TEXT} {prefix} {i}"}
        lines.append(json.dumps(record) + "\n")
    path.write_text("".join(lines))
    return path


def tree(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def one_error_line(proc: subprocess.CompletedProcess[bytes]) -> str:
    """stderr is exactly one 'augtool: error: ...' line (no traceback); return it."""
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("augtool: error: "), proc.stderr.decode()
    return lines[0]


# --- --rejects never overwrites --------------------------------------------


def test_rejects_path_that_is_an_input_or_exists_is_refused(tmp_path: Path) -> None:
    data = write_records(tmp_path / "corpus.jsonl", 50, bad=(10,))
    before = data.read_bytes()
    same = run_cli("augment", str(data), "-o", str(tmp_path / "o1"), "--on-error", "skip", "--rejects", str(data))
    assert same.returncode == 4 and "is an input of this run" in one_error_line(same)
    assert data.read_bytes() == before
    alias = tmp_path / "alias.jsonl"
    alias.symlink_to(data)  # the input under another name
    via_link = run_cli("augment", str(data), "-o", "-", "--on-error", "skip", "--rejects", str(alias))
    assert via_link.returncode == 4 and data.read_bytes() == before
    notes = tmp_path / "review.jsonl"
    notes.write_text('{"keep": "mine"}\n')
    existing = run_cli("augment", str(data), "-o", str(tmp_path / "o2"), "--on-error", "skip", "--rejects", str(notes))
    assert existing.returncode == 4 and "exists; augtool never overwrites it" in one_error_line(existing)
    assert notes.read_text() == '{"keep": "mine"}\n'
    dangling = tmp_path / "dangling.jsonl"
    dangling.symlink_to(tmp_path / "victim.txt")
    assert run_cli("augment", str(data), "-o", "-", "--on-error", "skip", "--rejects", str(dangling)).returncode == 4
    assert not (tmp_path / "victim.txt").exists()


def test_custom_rejects_is_named_by_the_manifest_and_checked_by_verify(tmp_path: Path) -> None:
    data = write_records(tmp_path / "d.jsonl", 40, bad=(3, 30))
    rejects, out = tmp_path / "elsewhere" / "bad.jsonl", tmp_path / "out"
    rejects.parent.mkdir()
    proc = run_cli("augment", str(data), "-o", str(out), "--on-error", "skip", "--rejects", str(rejects), "-n", "1")
    assert proc.returncode == 0, proc.stderr
    raw = rejects.read_bytes()
    entry = json.loads((out / "manifest.json").read_text())["rejects"]
    assert entry == {"path": str(rejects.resolve()), "records": 2, "bytes": len(raw),
                     "sha256": hashlib.sha256(raw).hexdigest()}
    assert run_cli("verify", str(out)).returncode == 0
    inside = run_cli("augment", str(data), "-o", str(tmp_path / "o3"), "--on-error", "skip",
                     "--rejects", str(tmp_path / "o3" / "mine.jsonl"))
    assert inside.returncode == 2 and "must be rejects.ndjson" in one_error_line(inside)


@pytest.mark.parametrize("damage", ["delete", "edit"])
def test_verify_sees_a_deleted_or_edited_rejects_file(tmp_path: Path, damage: str) -> None:
    data = write_records(tmp_path / "d.jsonl", 20, bad=(4,))
    out = tmp_path / "out"
    assert run_cli("augment", str(data), "-o", str(out), "--on-error", "skip", "-n", "1").returncode == 0
    if damage == "delete":
        (out / "rejects.ndjson").unlink()
        expected = "rejects.ndjson: missing"
    else:
        (out / "rejects.ndjson").write_bytes((out / "rejects.ndjson").read_bytes().replace(b"must", b"MUST"))
        expected = "rejects.ndjson: sha256 differs"
    proc = run_cli("verify", str(out))
    assert proc.returncode == 6 and expected in proc.stderr.decode()


# --- --overwrite deletes only what our records list -------------------------


LOOKALIKES = ["part-of-speech.jsonl", "part-3-final.jsonl.bak", "manifest-staging.json", "rejects-triaged.jsonl",
              ".notes.tmp", ".progress-mine.json", "part-00007.jsonl"]


def test_overwrite_never_deletes_files_augtool_did_not_list(tmp_path: Path) -> None:
    data = write_records(tmp_path / "d.jsonl", 30, bad=(2,))
    out = tmp_path / "out"
    out.mkdir()
    for name in LOOKALIKES:
        (out / name).write_text("USER DATA\n")
    proc = run_cli("augment", str(data), "-o", str(out), "--overwrite", "--on-error", "skip")
    assert proc.returncode == 4 and "holds files augtool did not write" in one_error_line(proc)
    assert sorted(p.name for p in out.iterdir()) == sorted(LOOKALIKES)
    assert all((out / name).read_text() == "USER DATA\n" for name in LOOKALIKES)


def test_overwrite_replaces_an_earlier_output_with_rejects_and_temp_files(tmp_path: Path) -> None:
    data = write_records(tmp_path / "d.jsonl", 30, bad=(2,))
    out = tmp_path / "out"
    args = ["augment", str(data), "-o", str(out), "--shard-size", "20", "--on-error", "skip", "-n", "1"]
    assert run_cli(*args).returncode == 0
    first = tree(out)
    (out / ".part-00009.jsonl.tmp").write_text("half\n")  # not listed by anything: stays foreign
    refused = run_cli(*args, "--overwrite")
    assert refused.returncode == 4 and ".part-00009.jsonl.tmp" in refused.stderr.decode()
    (out / ".part-00009.jsonl.tmp").unlink()
    (out / ".manifest.json.tmp").write_text("half")  # a half-written record of ours
    again = run_cli(*args, "--overwrite")
    assert again.returncode == 0, again.stderr
    assert tree(out) == first


def test_overwrite_never_deletes_an_input_or_follows_a_symlink(tmp_path: Path) -> None:
    out = tmp_path / "out"
    data = write_records(tmp_path / "d.jsonl", 10)
    assert run_cli("augment", str(data), "-o", str(out), "-n", "0").returncode == 0
    shard = out / "part-00000.jsonl"  # listed by the manifest, and now also this run's input
    kept = shard.read_bytes()
    proc = run_cli("augment", str(shard), "-o", str(out), "--overwrite", "-n", "0")
    assert proc.returncode == 4 and "is an input of this run" in one_error_line(proc)
    assert shard.read_bytes() == kept
    victim = tmp_path / "victim.jsonl"
    victim.write_text("VICTIM\n")
    shard.unlink()
    shard.symlink_to(victim)  # a listed name that now points outside the directory
    linked = run_cli("augment", str(data), "-o", str(out), "--overwrite", "-n", "0")
    assert linked.returncode == 4 and victim.read_text() == "VICTIM\n" and shard.is_symlink()


# --- damaged compressed input: exit 3 in every mode ---------------------------


def _zst_cases(tmp_path: Path) -> dict[str, Path]:
    zstandard = pytest.importorskip("zstandard")
    data = b"".join(b'{"id":"z%d","text":"The quick brown fox %d jumps."}\n' % (i, i) for i in range(6000))
    packed = zstandard.ZstdCompressor(level=3, write_checksum=True).compress(data)
    flipped = bytearray(packed)
    flipped[len(flipped) // 2] ^= 0x55
    cases = {"zst-cut": packed[: len(packed) * 2 // 3], "zst-magic-only": packed[:4], "zst-flipped": bytes(flipped)}
    gz = bytearray(gzip.compress(data, mtime=0))
    gz[len(gz) // 2] ^= 0xFF
    cases |= {"gz-flipped": bytes(gz), "gz-cut": bytes(gz[: len(gz) // 2])}
    paths = {}
    for name, payload in cases.items():
        path = tmp_path / f"{name}.jsonl{'.zst' if name.startswith('zst') else '.gz'}"
        path.write_bytes(payload)
        paths[name] = path
    return paths


@pytest.mark.parametrize("mode", ["fail", "skip"])
def test_damaged_compressed_input_is_a_file_error_in_every_mode(tmp_path: Path, mode: str) -> None:
    good = write_records(tmp_path / "good.jsonl", 5)
    for name, path in _zst_cases(tmp_path).items():
        out = tmp_path / f"out-{name}-{mode}"
        proc = run_cli("augment", str(good), str(path), "-o", str(out), "--on-error", mode, "-n", "0")
        line = one_error_line(proc)
        assert proc.returncode == 3, (name, line)
        assert line.startswith(f"augtool: error: {path}:") and "compressed" in line, line
        assert list(out.iterdir()) == [], name  # nothing published, no manifest, no rejects
        stream = run_cli("augment", str(path), "-o", "-", "--on-error", mode, "-n", "0")
        assert stream.returncode == 3, name


def test_many_zstd_frames_read_whole(tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    frames = [b"".join(b'{"id":"f%d-%d","text":"quick fox"}\n' % (f, i) for i in range(3000)) for f in range(3)]
    path = tmp_path / "frames.jsonl.zst"
    path.write_bytes(b"".join(zstandard.ZstdCompressor(write_checksum=True).compress(f) for f in frames))
    proc = run_cli("augment", str(path), "-o", "-", "-n", "0")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b"".join(frames)


# --- SLURM: slice only when asked -------------------------------------------


def test_slurm_variables_slice_only_with_num_shards_auto(tmp_path: Path) -> None:
    data = write_records(tmp_path / "d.jsonl", 4500)
    env = {"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "0",
           "SLURM_ARRAY_TASK_MAX": "3", "SLURM_ARRAY_TASK_STEP": "1"}
    whole = run_cli("augment", str(data), "-o", "-", "-n", "0", env=env)
    assert whole.returncode == 0 and whole.stdout == data.read_bytes()  # a one-file-per-task array
    part = run_cli("augment", str(data), "-o", "-", "-n", "0", "--num-shards", "auto", env=env)
    assert part.returncode == 0, part.stderr
    assert part.stdout == b"".join(data.read_bytes().splitlines(keepends=True)[3 * 1024 : 4 * 1024])  # block 3
    assert "--num-slices auto: slice 3 of 4" in part.stderr.decode()
    sparse = {**env, "SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_MAX": "9", "SLURM_ARRAY_TASK_COUNT": "3"}
    odd = run_cli("augment", str(data), "-o", "-", "--num-shards", "auto", env=sparse)
    assert odd.returncode == 2 and "SLURM array's task ids are not evenly spaced" in one_error_line(odd)


# --- --resume checks content, refuses stdin; merge checks content --------------


def _interrupt_after_first_shard(args: list[str], out: Path, stdin: bytes | None = None) -> None:
    """Run, then SIGTERM once the first shard is published; the run keeps a resume record."""
    proc = subprocess.Popen([sys.executable, "-m", "augtool", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if stdin is not None:
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not (out / "part-00000.jsonl").exists():
        assert time.monotonic() < deadline and proc.poll() is None, "no shard published"
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert (out / ".progress.json").exists()


def test_resume_refuses_stdin_and_says_so_when_interrupted(tmp_path: Path) -> None:
    data = write_records(tmp_path / "d.jsonl", 20000).read_bytes()
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "augtool", "augment", "-", "-o", str(out), "--shard-size",
                             "500", "--ops", "rd"], stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None
    proc.stdin.write(data[: len(data) // 2])  # more arrives later: the run waits on stdin
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not (out / "part-00001.jsonl").exists():
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and b"cannot be resumed" in err and b"--resume to finish" not in err
    other = run_cli("augment", "-", "-o", str(out), "--shard-size", "500", "--ops", "rd", "--resume", stdin=data)
    assert other.returncode == 2 and "cannot continue a run that reads stdin" in one_error_line(other)


def test_resume_refuses_changed_input_content_and_synonyms(tmp_path: Path) -> None:
    data = write_records(tmp_path / "d.jsonl", 12000)
    synonyms = tmp_path / "syn.tsv"
    synonyms.write_text("fox\tvixen\n")
    out = tmp_path / "out"
    args = ["augment", str(data), "-o", str(out), "--shard-size", "1000", "--synonyms", str(synonyms), "-q"]
    _interrupt_after_first_shard(args, out)
    stamp = data.stat()
    # Same size, same modification time, other bytes: only a content check can tell.
    data.write_bytes(data.read_bytes().replace(b'"r11999"', b'"x11999"'))
    os.utime(data, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    changed = run_cli(*args, "--resume")
    assert changed.returncode == 2 and "differ from the interrupted run" in one_error_line(changed)
    data.write_bytes(data.read_bytes().replace(b'"x11999"', b'"r11999"'))
    synonyms.write_text("fox\tdodger\n")
    assert run_cli(*args, "--resume").returncode == 2
    synonyms.write_text("fox\tvixen\n")
    resumed = run_cli(*args, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert run_cli("verify", str(out)).returncode == 0


def test_merge_refuses_slices_that_read_other_contents(tmp_path: Path) -> None:
    data = write_records(tmp_path / "train.jsonl", 2500)
    out = tmp_path / "out"
    slice_args = ["-o", str(out), "--num-shards", "2", "-n", "0"]
    assert run_cli("augment", str(data), *slice_args, "--shard-index", "0").returncode == 0
    write_records(data, 2600, prefix="v")  # the file is regenerated before the second task runs
    assert run_cli("augment", str(data), *slice_args, "--shard-index", "1").returncode == 0
    merged = run_cli("manifest", "merge", str(out))
    assert merged.returncode == 6 and "read other contents of" in one_error_line(merged)
    assert not (out / "manifest.json").exists()


# --- resume records and manifests are untrusted input --------------------------


@pytest.fixture
def interrupted(tmp_path: Path) -> tuple[list[str], Path]:
    data = write_records(tmp_path / "d.jsonl", 12000, bad=(11990,))
    out = tmp_path / "out"
    args = ["augment", str(data), "-o", str(out), "--shard-size", "1000", "-q"]
    _interrupt_after_first_shard(args, out)
    return args, out


def test_crafted_resume_record_cannot_reach_outside(tmp_path: Path, interrupted: tuple[list[str], Path]) -> None:
    args, out = interrupted
    victims = [tmp_path / "victim-a.txt", tmp_path / "victim-b.txt"]
    for victim in victims:
        victim.write_text("VICTIM\n")
    record = json.loads((out / ".progress.json").read_text())
    record["shards"] += [{"file": "../victim-a.txt", "records": 1, "sha256": "0" * 64, "bytes": 7},
                         {"file": str(victims[1]), "records": 1, "sha256": "0" * 64, "bytes": 7}]
    (out / ".progress.json").write_text(json.dumps(record))
    proc = run_cli(*args, "--resume")  # the input has a bad line: a resumed run would fail and clean up
    assert proc.returncode == 4 and "not a usable resume record" in one_error_line(proc)
    assert all(v.read_text() == "VICTIM\n" for v in victims)
    for junk in (b"{not json", b"[]", b'{"format": "augtool-progress/2", "shards": 5}'):
        (out / ".progress.json").write_bytes(junk)
        assert run_cli(*args, "--resume").returncode == 4
    (out / ".progress.json").unlink()
    (out / ".progress.json").symlink_to("/dev/zero")
    assert run_cli(*args, "--resume").returncode == 4


def test_planted_symlink_at_a_temporary_name_is_not_written_through(
    tmp_path: Path, interrupted: tuple[list[str], Path]
) -> None:
    args, out = interrupted
    victim = tmp_path / "victim.txt"
    victim.write_text("VICTIM\n")
    following = len(json.loads((out / ".progress.json").read_text())["shards"])
    for name in ("..progress.json.tmp", f".part-{following:05d}.jsonl.tmp", ".manifest.json.tmp"):
        (out / name).unlink(missing_ok=True)
        (out / name).symlink_to(victim)
    proc = run_cli(*args, "--resume")
    assert proc.returncode == 3  # the bad line; the run cleans up after itself
    assert victim.read_text() == "VICTIM\n"


MANIFESTS = ['[]', 'null', '{"shards": null}', '{"shards": [{}]}', '{"shards": [{"file": "part-00000.jsonl"}]}',
             '{"shards": [], "rejects": 5}', '{"shards": [], "counts": {"written": "many"}}', '{"shards": [',
             '{"shards": [{"file": "/etc/hostname", "records": 1, "sha256": "' + "0" * 64 + '"}]}',
             '{"shards": [{"file": "../ref/part-00000.jsonl", "records": 1, "sha256": "' + "0" * 64 + '"}]}',
             '{"shards": [], "rejects": {"file": "../../etc/passwd"}}']


@pytest.mark.parametrize("text", MANIFESTS)
def test_verify_treats_a_manifest_as_untrusted(tmp_path: Path, text: str) -> None:
    out = tmp_path / "d"
    out.mkdir()
    (out / "manifest.json").write_text(text)
    proc = run_cli("verify", str(out))
    assert proc.returncode == 6, proc.stderr
    assert b"Traceback" not in proc.stderr and all(
        line.startswith("augtool: ") for line in proc.stderr.decode().splitlines())


def test_verify_never_opens_a_device_or_a_link(tmp_path: Path) -> None:
    data = write_records(tmp_path / "d.jsonl", 10)
    out = tmp_path / "out"
    assert run_cli("augment", str(data), "-o", str(out), "-n", "0").returncode == 0
    shard = out / "part-00000.jsonl"
    shard.unlink()
    shard.symlink_to("/dev/zero")
    proc = run_cli("verify", str(out))  # would never end if it read /dev/zero
    assert proc.returncode == 6 and "part-00000.jsonl: a symlink, not a regular file" in proc.stderr.decode()
    shard.unlink()
    os.mkfifo(shard)  # opening a FIFO to read waits for a writer that never comes
    proc = run_cli("verify", str(out))
    assert proc.returncode == 6 and "part-00000.jsonl: not a regular file" in proc.stderr.decode()


# --- two runs, one directory ---------------------------------------------------


def test_a_second_run_into_a_busy_directory_is_refused(tmp_path: Path) -> None:
    import fcntl

    data = write_records(tmp_path / "d.jsonl", 10)
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".lock", "w") as held:  # as a running augtool holds it
        fcntl.flock(held, fcntl.LOCK_EX)
        busy = run_cli("augment", str(data), "-o", str(out))
        assert busy.returncode == 4 and "another augtool run is writing into" in one_error_line(busy)
        assert sorted(p.name for p in out.iterdir()) == [".lock"]
        beside = run_cli("augment", str(data), "-o", str(out), "--num-shards", "2", "--shard-index", "1")
        assert beside.returncode == 4 and "another augtool run" in one_error_line(beside)
    run = run_cli("augment", str(data), "-o", str(out), "-n", "0")  # the holder died: its lock is stale
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "part-00000.jsonl"]


def test_slices_lock_only_their_own_part(tmp_path: Path) -> None:
    import fcntl

    data = write_records(tmp_path / "d.jsonl", 10)
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".lock-s0000of0002", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        same = run_cli("augment", str(data), "-o", str(out), "--num-shards", "2", "--shard-index", "0")
        assert same.returncode == 4
        other = run_cli("augment", str(data), "-o", str(out), "--num-shards", "2", "--shard-index", "1")
        assert other.returncode == 0, other.stderr  # array tasks share one directory
        whole = run_cli("augment", str(data), "-o", str(out), "--overwrite")
        assert whole.returncode == 4 and "another augtool run" in one_error_line(whole)


# --- -o FILE.jsonl: one file, whole or absent ------------------------------------


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_single_file_output(tmp_path: Path, suffix: str) -> None:
    data = write_records(tmp_path / "d.jsonl", 30, bad=(4,))
    target = tmp_path / "new" / f"augmented{suffix}"
    proc = run_cli("augment", str(data), "-o", str(target), "--on-error", "skip", "--seed", "2")
    assert proc.returncode == 0, proc.stderr
    stream = run_cli("augment", str(data), "-o", "-", "--on-error", "skip", "--seed", "2")
    body = gzip.decompress(target.read_bytes()) if suffix.endswith(".gz") else target.read_bytes()
    assert body == stream.stdout and target.parent.is_dir() and sorted(os.listdir(target.parent)) == [target.name]
    again = run_cli("augment", str(data), "-o", str(target))
    assert again.returncode == 4 and "exists; pass --overwrite" in one_error_line(again)
    assert run_cli("augment", str(data), "-o", str(target), "--overwrite", "--on-error", "skip").returncode == 0
    resume = run_cli("augment", str(data), "-o", str(target), "--resume")
    assert resume.returncode == 2
    directory = run_cli("augment", str(data), "-o", str(tmp_path / "shards.jsonl") + "/", "--on-error", "skip")
    assert directory.returncode == 0 and (tmp_path / "shards.jsonl" / "manifest.json").exists()


def test_single_file_is_absent_after_an_interrupt_and_never_an_input(tmp_path: Path) -> None:
    data = write_records(tmp_path / "d.jsonl", 40000)
    target = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "augtool", "augment", str(data), "-o", str(target), "-q"],
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".out.jsonl.") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.01)
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and b"was not written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.jsonl"]
    same = run_cli("augment", str(data), "-o", str(data), "--overwrite")
    assert same.returncode == 4 and "is an input of this run" in one_error_line(same)
    assert run_cli("augment", str(data), "-o", str(tmp_path / "x.jsonl"), "--compress", "gzip").returncode == 2


# --- faults: clean errors with the table's exit codes -----------------------------


def _file_size_limit() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG, as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (30_000, 30_000))


def test_a_write_error_is_exit_4_and_leaves_nothing_that_looks_done(tmp_path: Path) -> None:
    data = write_records(tmp_path / "d.jsonl", 400)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "augtool", "augment", str(data), "-o", str(out), "-q"],
                          preexec_fn=_file_size_limit, capture_output=True, timeout=120)
    assert proc.returncode == 4 and "cannot write" in one_error_line(proc)
    assert list(out.iterdir()) == []


def test_stdout_and_path_faults_are_clean_errors(tmp_path: Path) -> None:
    data = write_records(tmp_path / "d.jsonl", 400)
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "augtool", "augment", str(data), "-o", "-"],
                              stdout=full, stderr=subprocess.PIPE, timeout=120)
    assert proc.returncode == 4 and "cannot write to stdout: No space left on device" in proc.stderr.decode()
    assert b"Traceback" not in proc.stderr and b"Exception ignored" not in proc.stderr
    for target in ("/proc/augtool-test/out", "/proc/augtool-test.jsonl"):
        assert run_cli("augment", str(data), "-o", target).returncode == 4
    missing = run_cli("augment", str(data), str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o"))
    assert missing.returncode == 3 and "nope.jsonl:0: cannot open" in one_error_line(missing)
    assert not (tmp_path / "o").exists()


def test_a_closed_pipe_ends_quietly_with_0(tmp_path: Path) -> None:
    data = write_records(tmp_path / "d.jsonl", 20000)
    proc = subprocess.Popen([sys.executable, "-m", "augtool", "augment", str(data), "-o", "-", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.readline()  # as head -1 does, then goes away
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and err == b""


def test_sigterm_on_stdout_does_not_suggest_resume(tmp_path: Path) -> None:
    data = write_records(tmp_path / "d.jsonl", 40000)
    proc = subprocess.Popen([sys.executable, "-m", "augtool", "augment", str(data), "-o", "-", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert err.decode().splitlines() == ["augtool: interrupted by SIGTERM; the output on stdout is incomplete"]


def test_workers_stay_quiet_when_the_parent_is_killed(tmp_path: Path) -> None:
    psutil = pytest.importorskip("psutil")
    data = write_records(tmp_path / "d.jsonl", 40000)
    out = tmp_path / "out"
    proc = start_until_first_shard([str(data), "-w", "2", "--shard-size", "5000", "-q"], out)
    workers = psutil.Process(proc.pid).children()
    proc.kill()
    _, err = proc.communicate(timeout=60)  # stderr closes when the last worker is gone
    psutil.wait_procs(workers, timeout=30)
    assert err == b""


def test_an_unreachable_dask_scheduler_fails_fast(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    data = write_records(tmp_path / "d.jsonl", 10)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    out = tmp_path / "out"
    proc = run_cli("augment", str(data), "-o", str(out), "--executor", "dask", "--scheduler", f"tcp://127.0.0.1:{port}")
    assert proc.returncode == 2 and "cannot reach the Dask scheduler" in one_error_line(proc)
    assert not out.exists()

"""Run the pipeline over batches of lines in worker processes, results in input order.

At most ``2 * workers`` batches are in flight, so memory does not grow with the
input. Each worker builds its own Pipeline once (the lexicon loads on first
use in that worker), never per record.
"""

from __future__ import annotations

import os
import signal
import sys
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from augtool.augmenters import Resources
from augtool.pipeline import DEFAULT_INPUT, Options, Pipeline, RecordError, Result

Batch = list[tuple[int, bytes]]
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class Skip(str):
    """A reason to reject a line that no error policy turns into a failure (balance --missing-label reject)."""

    __slots__ = ()


class Outcome(NamedTuple):
    """What became of one input line."""

    line: int
    lines: list[bytes]  # output lines, or [the raw line] when rejected
    copies: int
    unchanged: bool  # passed through without a copy
    reason: str | None  # why the line was rejected
    dropped: int  # copies not written: duplicates, no safe change left, label flips
    foreign: bool  # not English, per --lang
    duplicates: int = 0  # of ``dropped``: duplicates
    flipped: int = 0  # of ``dropped``: read as another label by --filter-by-label


# Per record in a Packed batch: line number, output lines, copies, unchanged, dropped, foreign,
# duplicates, flipped.
_FIELDS = 8


class Packed(NamedTuple):
    """A batch in which no line was rejected, its output as one block: the parent mostly just writes it.

    Sending one bytes object and one array back from a worker costs a fraction of
    pickling an Outcome and a list of lines per record, and the parent writes the
    block in one call instead of looping over records.
    """

    block: bytes  # every output line of the batch, each ending in a newline
    lines: int  # how many
    detail: array  # type: ignore[type-arg]  # _FIELDS integers per record, in input order

    @property
    def records(self) -> int:
        return len(self.detail) // _FIELDS

    @property
    def last(self) -> int:
        """The line number of the batch's last record."""
        return self.detail[-_FIELDS]  # type: ignore[no-any-return]

    def totals(self) -> tuple[int, int, int, int, int, int]:
        """Copies, unchanged records, dropped copies, non-English records, duplicates and label flips of the batch."""
        d = self.detail
        return (sum(d[2::_FIELDS]), sum(d[3::_FIELDS]), sum(d[4::_FIELDS]), sum(d[5::_FIELDS]),
                sum(d[6::_FIELDS]), sum(d[7::_FIELDS]))

    def unpack(self) -> list[Outcome]:
        """The batch as one Outcome per record, for the parent's per-record path."""
        lines = self.block.split(b"\n")
        out, at, d = [], 0, self.detail
        for i in range(0, len(d), _FIELDS):
            n = d[i + 1]
            out.append(Outcome(d[i], lines[at : at + n], d[i + 2], bool(d[i + 3]), None, d[i + 4], bool(d[i + 5]),
                               d[i + 6], d[i + 7]))
            at += n
        return out


def _pack(results: list[tuple[int, Result]]) -> Packed:
    detail: list[int] = []
    lines: list[bytes] = []
    for number, result in results:
        out = result.lines
        lines += out
        detail += (number, len(out), result.copies, result.unchanged, result.dropped, result.foreign,
                   result.duplicates, result.flipped)
    return Packed(b"\n".join(lines) + b"\n" if lines else b"", len(lines), array("q", detail))


@dataclass(frozen=True)
class PipelineSpec:
    """What a worker needs to rebuild the parent's pipeline: picklable, unlike a Pipeline."""

    options: Options
    lexicon: Path | None = None
    stopwords: Path | None = None
    synonyms: Path | None = None  # a --synonyms table laid over the lexicon
    # The table parsed once by the caller (the CLI checks it before any work); workers get it pickled
    # instead of reading and parsing the file again. None: parse `synonyms` on first use.
    synonym_table: tuple[tuple[str, tuple[bool, str | None, tuple[str, ...]]], ...] | None = None

    def build(self) -> Pipeline:
        """Make the pipeline, with the bundled or given lexicon, stopwords and exception lists."""
        return Pipeline(self.options, self.resources())

    def resources(self) -> Resources:
        """The bundled or given stopwords, word forms and lexicon (loaded on first use), --synonyms laid over it."""
        from augtool import io

        lexicon, synonyms, table = self.lexicon, self.synonyms, self.synonym_table

        def load() -> Any:
            loaded = io.load_lexicon(lexicon)
            if synonyms is None:
                return loaded
            from augtool.guards import parse_synonyms, with_synonyms

            entries = dict(table) if table is not None else parse_synonyms(io.read_user_file(synonyms, "--synonyms"))
            return with_synonyms(loaded, entries, str(synonyms))

        return Resources(stopwords=io.load_stopwords(self.stopwords), lexicon=load, morphology=io.load_morphology)


def process_batch(pipeline: Pipeline, batch: Batch, input_name: str = DEFAULT_INPUT) -> list[Outcome] | Packed:
    """Process lines: Packed when every line made output, else one Outcome per line.

    A bad record becomes data (its reason), so policy stays with the parent. A pipeline
    with its own ``process_batch`` (balance's, whose batches carry a decision per line) does it itself.
    """
    if not isinstance(pipeline, Pipeline):
        return pipeline.process_batch(batch, input_name)
    process = pipeline.process_line
    results: list[tuple[int, Result]] = []
    for at, (number, raw) in enumerate(batch):
        try:
            results.append((number, process(raw, number, input_name)))
        except RecordError:
            # From the rejected line on, one Outcome per line (the rejected one is read again: rare, and cheap).
            out = _pack(results).unpack() if results else []
            out += (outcome(process, raw, number, input_name) for number, raw in batch[at:])
            return out
    return _pack(results)


def outcome(process: Callable[[bytes, int, str], Result], raw: bytes, number: int, input_name: str) -> Outcome:
    """What ``process`` (a pipeline's process_line) makes of one line; a RecordError becomes its reason."""
    try:
        result = process(raw, number, input_name)
    except RecordError as exc:
        return Outcome(number, [raw], 0, False, str(exc), 0, False)
    return Outcome(number, result.lines, result.copies, result.unchanged, None, result.dropped, result.foreign,
                   result.duplicates, result.flipped)


_worker_pipeline: Pipeline | None = None
T = TypeVar("T")


def _settle(tag: T, payload: Any, pending: bool) -> tuple[T, Any]:
    return tag, payload.get() if pending else payload


class _OrphanQuiet:
    """A worker's stderr that goes silent once the parent is gone (killed with -9, pre-empted).

    The pool's worker then fails to send its last result and would print a
    BrokenPipeError traceback for each worker: noise about a run already reported dead.
    """

    def __init__(self, stream: Any, parent: int) -> None:
        self._stream = stream
        self._parent = parent

    def write(self, text: str) -> int:
        if os.getppid() != self._parent:
            return len(text)
        return self._stream.write(text)  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _init_worker(spec: PipelineSpec) -> None:
    global _worker_pipeline
    # Ctrl-C reaches the whole process group; only the parent decides what to do with it.
    # SIGTERM (the pool's terminate) must end a worker whatever handler the parent had;
    # both were blocked since the fork, so none that arrived in between is lost.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    sys.stderr = _OrphanQuiet(sys.stderr, os.getppid())
    _worker_pipeline = spec.build()


def _work(batch: Batch, input_name: str) -> list[Outcome] | Packed:
    assert _worker_pipeline is not None
    return process_batch(_worker_pipeline, batch, input_name)


class BatchRunner:
    """Map batches to outcomes in order, in this process (workers=1) or in a process pool."""

    def __init__(self, spec: PipelineSpec, pipeline: Pipeline, workers: int, input_names: list[str]) -> None:
        self.workers = workers
        self._spec = spec
        self._pipeline = pipeline
        self._names = input_names  # tag i of map's jobs is input i: its name identifies id-less records
        self._pool: Any = None

    def start(self) -> None:
        """Start the worker processes (none for workers=1); ``close`` stops them, also after a failed start."""
        if self.workers <= 1:
            return
        import multiprocessing  # 25 ms of start-up that a one-worker run does not need

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        # A SIGINT/SIGTERM that arrives while the workers are forked waits until they
        # exist (so the abort can stop them) instead of reaching a half-started one.
        masked = hasattr(signal, "pthread_sigmask")
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS) if masked else None
        try:
            self._pool = context.Pool(self.workers, initializer=_init_worker, initargs=(self._spec,))
        finally:
            if previous is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    def map(self, jobs: Iterable[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
        """For (tag, batch) jobs yield (tag, outcomes) in order; other payloads pass through.

        At most 2 x workers batches are in flight, so memory stays bounded.
        """
        if self._pool is None:
            for tag, payload in jobs:
                if isinstance(payload, list):
                    payload = process_batch(self._pipeline, payload, self._names[tag])
                yield tag, payload
            return
        pending: deque[tuple[int, Any, bool]] = deque()  # (tag, an AsyncResult or a passed-through payload, which)
        limit = 2 * self.workers
        for tag, payload in jobs:
            is_batch = isinstance(payload, list)
            if is_batch:
                payload = self._pool.apply_async(_work, (payload, self._names[tag]))
            pending.append((tag, payload, is_batch))
            if len(pending) >= limit:
                yield _settle(*pending.popleft())
        while pending:
            yield _settle(*pending.popleft())

    def close(self, *, abort: bool = False) -> None:
        """Stop the workers: at once when aborting, else after their queued work."""
        if self._pool is not None:
            if abort:
                self._pool.terminate()
            else:
                self._pool.close()
            self._pool.join()
            self._pool = None

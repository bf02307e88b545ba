"""Run the pipeline over batches of lines in worker processes, results in input order.

At most ``2 * workers`` batches are in flight, so memory does not grow with the
input. Each worker builds its own Pipeline once (the lexicon loads on first
use in that worker), never per record.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import sys
import threading
import traceback
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from augtool.augmenters import Resources
from augtool.errors import WorkerLost
from augtool.pipeline import DEFAULT_INPUT, Options, Pipeline, RecordError, Result

if TYPE_CHECKING:  # multiprocessing costs a one-worker run about 15 ms of start-up; it is imported when workers start
    from multiprocessing.connection import Connection

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


T = TypeVar("T")


class _OrphanQuiet:
    """A worker's stderr that goes silent once the parent is gone (killed with -9, pre-empted).

    A worker that then fails to send its last result would otherwise print a
    traceback about a run already reported dead.
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


def _portable(exc: BaseException) -> BaseException:
    """``exc`` as it can cross to the parent: itself if it pickles both ways, else a RuntimeError with its text.

    An exception whose class needs other arguments than it passes to BaseException
    pickles but does not unpickle; the parent must still get a message, not hang.
    """
    text = "".join(traceback.format_exception(exc))
    try:
        exc.add_note("in a worker process:\n" + text)
        pickle.loads(pickle.dumps(exc))
    except Exception:  # whatever went wrong, the text still goes
        return RuntimeError("in a worker process:\n" + text)
    return exc


def _serve(conn: Connection, spec: PipelineSpec, inherited: list[Connection]) -> None:
    """A worker's life: build the pipeline once, then answer each (batch, input name) until None or the parent goes.

    Each reply is (True, outcomes) or (False, an exception to raise in the parent).
    """
    for other in inherited:
        other.close()
    # Ctrl-C reaches the whole process group; only the parent decides what to do with it.
    # SIGTERM (close with abort) must end a worker whatever handler the parent had;
    # both were blocked since the fork, so none that arrived in between is lost.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    sys.stderr = _OrphanQuiet(sys.stderr, os.getppid())
    pipeline: Pipeline | None = None
    failed: BaseException | None = None
    try:
        pipeline = spec.build()
    except Exception as exc:  # answered to the first batch, where the parent raises it
        failed = _portable(exc)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if job is None:
            return
        reply: tuple[bool, Any]
        if pipeline is None:
            reply = (False, failed)
        else:
            try:
                reply = (True, process_batch(pipeline, *job))
            except Exception as exc:  # the parent raises it, as with one worker
                reply = (False, _portable(exc))
        try:
            conn.send(reply)  # pickled whole before the first byte goes: a failure here sends nothing
        except OSError:
            return
        except Exception as exc:  # an outcome that does not pickle: a bug, reported as one
            conn.send((False, _portable(exc)))


class _Worker(NamedTuple):
    process: Any  # a multiprocessing Process
    conn: Connection  # the parent's end of the worker's own pipe


class BatchRunner:
    """Map batches to outcomes in order, in this process (workers=1) or in worker processes.

    Each worker has a pipe of its own and takes every n-th batch, so the results
    come back in order by reading the workers in turn. No lock is shared between
    processes: a worker stopped at any moment (SIGTERM on abort, the kernel's
    OOM killer) cannot leave one held, which multiprocessing.Pool's shared queues
    can (its terminate() then waits forever for a lock a dead worker held), and a
    worker that dies is seen as the end of its pipe instead of a result that never comes.
    """

    def __init__(self, spec: PipelineSpec, pipeline: Pipeline, workers: int, input_names: list[str]) -> None:
        self.workers = workers
        self._spec = spec
        self._pipeline = pipeline
        self._names = input_names  # tag i of map's jobs is input i: its name identifies id-less records
        self._pool: list[_Worker] = []
        self._outbox: queue.SimpleQueue[tuple[Connection, Any] | None] = queue.SimpleQueue()
        self._sender: threading.Thread | None = None

    def start(self) -> None:
        """Start the worker processes (none for workers=1); ``close`` stops them, also after a failed start."""
        if self.workers <= 1:
            return
        import multiprocessing  # 25 ms of start-up that a one-worker run does not need

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        context: Any = multiprocessing.get_context(method)  # typeshed: BaseContext has no Process
        # A SIGINT/SIGTERM that arrives while the workers are forked waits until they
        # exist (so the abort can stop them) instead of reaching a half-started one.
        masked = hasattr(signal, "pthread_sigmask")
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS) if masked else None
        try:
            for _ in range(self.workers):
                mine, theirs = context.Pipe()
                # A forked worker holds copies of the parent's pipe ends, its own included: it
                # closes them, so that the parent's death ends its pipe and it exits.
                inherited = [*(w.conn for w in self._pool), mine] if method == "fork" else []
                process = context.Process(target=_serve, args=(theirs, self._spec, inherited), daemon=True)
                process.start()
                theirs.close()  # so the worker's death ends the pipe for the parent
                self._pool.append(_Worker(process, mine))
        finally:
            if previous is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        # Batches go out from a thread: a worker blocked sending a big result while the
        # parent is blocked sending it the next batch would wait for each other forever.
        self._sender = threading.Thread(target=self._send, name="augtool-batches", daemon=True)
        self._sender.start()

    def _send(self) -> None:
        while (item := self._outbox.get()) is not None:
            conn, message = item
            with contextlib.suppress(OSError):  # the worker is gone: reading its reply says so
                conn.send(message)

    def _receive(self, worker: _Worker) -> Any:
        try:
            ok, value = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(5)
            code = worker.process.exitcode
            how = (f"was killed by {signal.Signals(-code).name}" if code is not None and code < 0
                   else f"exited with code {code}")
            hint = " (out of memory? try fewer --workers)" if code == -signal.SIGKILL else ""
            raise WorkerLost(f"worker process {worker.process.pid} {how} before finishing its batch{hint}") from None
        if not ok:
            raise value
        return value

    def map(self, jobs: Iterable[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
        """For (tag, batch) jobs yield (tag, outcomes) in order; other payloads pass through.

        At most 2 x workers batches are in flight, so memory stays bounded.
        """
        if not self._pool:
            for tag, payload in jobs:
                if isinstance(payload, list):
                    payload = process_batch(self._pipeline, payload, self._names[tag])
                yield tag, payload
            return
        pending: deque[tuple[int, Any, _Worker | None]] = deque()  # (tag, payload, the worker it went to, if a batch)
        limit, turn, pool = 2 * self.workers, 0, self._pool
        for tag, payload in jobs:
            worker = None
            if isinstance(payload, list):
                worker = pool[turn]
                turn = (turn + 1) % len(pool)
                self._outbox.put((worker.conn, (payload, self._names[tag])))
                payload = None  # the worker has it; this process need not hold it too
            pending.append((tag, payload, worker))
            if len(pending) >= limit:
                yield self._settle(*pending.popleft())
        while pending:
            yield self._settle(*pending.popleft())

    def _settle(self, tag: T, payload: Any, worker: _Worker | None) -> tuple[T, Any]:
        return tag, payload if worker is None else self._receive(worker)

    def close(self, *, abort: bool = False) -> None:
        """Stop the workers: at once when aborting, else after their queued work."""
        if not self._pool:
            return
        pool, self._pool = self._pool, []
        if abort:
            for worker in pool:
                worker.process.terminate()
        else:
            for worker in pool:
                self._outbox.put((worker.conn, None))
        self._outbox.put(None)
        for worker in pool:
            worker.process.join(None if not abort else 10)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
        if self._sender is not None:
            self._sender.join()  # its last send failed or finished: every worker is gone
            self._sender = None
        for worker in pool:
            worker.conn.close()

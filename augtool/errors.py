"""One exception class per user-facing failure; each carries its exit code."""

from __future__ import annotations


class AugtoolError(Exception):
    """Base of every error a user can cause; the CLI prints it without a traceback."""

    exit_code = 1


class UsageError(AugtoolError):
    """Options that contradict each other or name something that does not exist."""

    exit_code = 2


class InputError(AugtoolError):
    """A bad input record or file: the message says where (file:line) and why."""

    exit_code = 3

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"{path}:{line}: {reason}")


class OutputError(AugtoolError):
    """The output location cannot be written as asked (exists, not empty, no space)."""

    exit_code = 4


class LexiconError(AugtoolError):
    """The synonym lexicon or a plugin cannot be loaded."""

    exit_code = 5


class VerifyError(AugtoolError):
    """An output directory does not match its manifest, or slice manifests cannot be merged."""

    exit_code = 6


class WorkerLost(AugtoolError):
    """A worker process ended without answering (killed by the system, out of memory, or crashed).

    ``hint`` is set by the run: what was kept of the output and how to go on.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.hint = ""

    def __str__(self) -> str:
        return f"{self.args[0]}; {self.hint}" if self.hint else str(self.args[0])


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived (the CLI's handlers raise it); ``hint`` says what is left and how to go on."""

    def __init__(self, signum: int) -> None:
        import signal

        self.signum = signum
        self.hint = "the output is incomplete"
        super().__init__(signal.Signals(signum).name)


class OptionError(UsageError):
    """A library parameter with a bad value: ``option`` is its keyword name, the CLI shows its flag instead.

    >>> str(OptionError("n_aug", "must be 0 or more, not -1"))
    'n_aug must be 0 or more, not -1'
    """

    def __init__(self, option: str, detail: str) -> None:
        self.option = option
        self.detail = detail
        super().__init__(f"{option} {detail}")

"""The ``augtool`` command line: parse options, call the core, report on stderr.

One module per command; this one holds the app, the error guard and the entry point.
"""

from __future__ import annotations

import atexit
import gc
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from types import FrameType
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup
from typer.main import get_command_name

from augtool import __version__
from augtool.errors import AugtoolError, Interrupted, OptionError, UsageError

F = TypeVar("F", bound=Callable[..., Any])


class _Group(TyperGroup):
    """The top-level group: ``--config FILE`` is read wherever it is written on the command line."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from augtool.cli.config import hoist

        return super().parse_args(ctx, hoist(args))


app = typer.Typer(
    cls=_Group,
    name="augtool",
    help=(
        "Text data augmentation for JSONL that leaves the text intact.\n\n"
        "Examples:\n\n"
        "  augtool augment data.jsonl -o out/ --n-aug 4 --alpha 0.1 --seed 7\n\n"
        "  zcat data.jsonl.gz | augtool augment - -o - | head\n\n"
        "  augtool list\n\n"
        "Exit codes: 0 ok (also when the reader of stdout stops early, as head does), "
        "1 a bug in augtool or a killed worker, 2 usage, 3 bad input (a bad line; a missing, truncated or "
        "corrupt file), 4 output (not empty, "
        "exists, locked, not writable, disk full), 5 lexicon or plugin, 6 verify or merge found a problem, "
        "130/143 interrupted (SIGINT/SIGTERM)."
    ),
    no_args_is_help=True,
    add_completion=True,  # --install-completion and --show-completion (bash, zsh, fish, PowerShell)
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _err(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


# Library keyword -> the flag that sets it, where the two are not simply spelled alike.
_FLAGS = {"fields": "--field", "count": "--num-slices", "index": "--slice-index"}


def flag(option: str) -> str:
    """The command-line flag of a library keyword, for error messages.

    >>> flag("n_aug"), flag("fields"), flag("count")
    ('--n-aug', '--field', '--num-slices')
    """
    return _FLAGS.get(option, "--" + option.replace("_", "-"))


def _guard(fn: F) -> F:
    """Turn an AugtoolError into its message and exit code; anything else keeps its traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except OptionError as exc:
            _err(f"augtool: error: {flag(exc.option)} {exc.detail}")
            raise typer.Exit(exc.exit_code) from None
        except AugtoolError as exc:
            _err(f"augtool: error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            _reader_gone()  # caught here: typer would turn it into exit 1, which means a bug
        except KeyboardInterrupt:
            _err("augtool: interrupted")
            raise typer.Exit(130) from None
        except Interrupted as exc:
            _err(f"augtool: interrupted by {exc}; {exc.hint}")
            raise typer.Exit(128 + exc.signum) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def interrupts() -> Iterator[None]:
    """SIGINT and SIGTERM raise Interrupted while a writing command runs, so it can keep or clean its output.

    Only the CLI sets process-wide handlers; the library leaves them to its caller.
    """

    def handler(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    try:
        previous = signal.signal(signal.SIGTERM, handler), signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread (the CLI called from a thread): leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])


def _defaults(ctx: typer.Context, config: Path | None) -> dict[str, Any] | None:
    """click's default_map from --config (or AUGTOOL_CONFIG), else from the nearest pyproject.toml."""
    from augtool.cli import config as cfg

    group = ctx.command
    if config is not None:
        return cfg.default_map(cfg.read(config), group, str(config))
    found = cfg.discover(Path.cwd())
    if found is None:
        return None
    path, table = found
    defaults = cfg.default_map(table, group, f"{path} [tool.augtool]")
    if ctx.invoked_subcommand in defaults:
        _err(f"augtool: defaults for {ctx.invoked_subcommand} from [tool.augtool] in {path}")
    return defaults


def _version(value: bool) -> None:
    if value:
        from augtool._compiled import variant

        print(f"augtool {__version__}, {variant()}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            envvar="AUGTOOL_CONFIG",
            help="TOML file with defaults per command, e.g. [augment] n-aug = 8 (default: [tool.augtool] "
            "of the nearest pyproject.toml). Flags and AUGTOOL_* variables override it. May follow the command.",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Text data augmentation for JSONL that leaves the text intact."""
    try:
        ctx.default_map = _defaults(ctx, config)
    except UsageError as exc:
        _err(f"augtool: error: {exc}")
        raise typer.Exit(exc.exit_code) from None


def _reader_gone() -> None:
    """The reader of stdout went away (| head): stop quietly with 0, as other filters do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's last flush cannot fail again
    sys.exit(0)


def _only_the_command(first: list[str]) -> None:
    """Register only the command the line names, when it names one: typer reads the signature of every
    command and group to build the CLI, and the others cost a run a few milliseconds (docs/performance.md).
    Any other line (no command, an option first, a misspelt command) gets the whole CLI."""
    chosen = [info for info in app.registered_commands
              if first and (info.name or get_command_name(info.callback.__name__ if info.callback else "")) == first[0]]
    if chosen:
        app.registered_commands = chosen
        app.registered_groups = []


def main() -> None:
    """Console-script entry point."""
    # The interpreter's last collection at exit walks every object still alive (the modules, the
    # lexicon and word tables) and frees nothing that the exit does not: frozen just before, they
    # are skipped. About 45M of a 1-record run's 910M instructions (docs/performance.md).
    atexit.register(gc.freeze)
    _only_the_command(sys.argv[1:2])
    try:
        app(prog_name="augtool")  # also under python -m augtool: one name in usage lines and completion
    except BrokenPipeError:
        _reader_gone()


# Importing the command modules registers their commands on ``app``.
from augtool.cli import augment, balance, evaluate, lexicon, listing, preview, stats, verify  # noqa: E402, F401

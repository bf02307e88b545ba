"""Per-command defaults from TOML: ``--config FILE``, ``AUGTOOL_CONFIG``, or pyproject.toml's ``[tool.augtool]``.

Every table and key is checked against the commands and options that exist:
a misspelt key is an error that lists the known ones, never silently ignored.
Keys may be spelt as the flag (``n-aug``), as the Python name (``n_aug``), or
as a boolean flag's negative form (``no-guards = true``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from augtool.errors import UsageError

PYPROJECT = "pyproject.toml"


def read(path: Path) -> dict[str, Any]:
    """Parse a TOML file; an unreadable or invalid one is a usage error."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise UsageError(f"cannot read config {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from exc


def discover(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The ``[tool.augtool]`` table of the nearest pyproject.toml at or above ``start``, if it has one."""
    for folder in (start, *start.parents):
        candidate = folder / PYPROJECT
        if candidate.is_file():
            table = read(candidate).get("tool", {}).get("augtool")
            return (candidate, table) if isinstance(table, dict) else None
    return None


def default_map(data: dict[str, Any], group: Any, where: str, prefix: str = "") -> dict[str, Any]:
    """Check ``data`` (one table per command) against the click ``group`` and return its default_map.

    >>> import typer
    >>> app = typer.Typer()
    >>> @app.command()
    ... def augment(n_aug: int = typer.Option(4, "--n-aug", "-n"), guards: bool = True): pass
    >>> @app.command()
    ... def other(): pass
    >>> group = typer.main.get_command(app)
    >>> default_map({"augment": {"n-aug": 8, "no-guards": True}}, group, "x.toml")
    {'augment': {'n_aug': 8, 'guards': False}}
    >>> default_map({"augment": {"n-agu": 8}}, group, "x.toml")
    Traceback (most recent call last):
    augtool.errors.UsageError: x.toml: [augment] has no option 'n-agu'; known: guards, n-aug
    """
    out: dict[str, Any] = {}
    for name, table in data.items():
        section = f"{prefix}{name}"  # the TOML table: augment, manifest.merge
        if not isinstance(table, dict):
            raise UsageError(f"{where}: {section} = {table!r} is outside any table: options go in a table "
                             f"per command, e.g. [augment] then {name} = ...")
        command = group.commands.get(name)
        if command is None or command.hidden:
            known = ", ".join(sorted(f"{prefix}{n}" for n, c in group.commands.items() if not c.hidden))
            raise UsageError(f"{where}: no command {section!r} for a [{section}] table; known: {known}")
        if hasattr(command, "commands"):  # a group: manifest, lexicon
            out[name] = default_map(table, command, where, f"{section}.")
        else:
            out[name] = _options(table, command, section, where)
    return out


def _options(table: dict[str, Any], command: Any, section: str, where: str) -> dict[str, Any]:
    spellings: dict[str, tuple[str, bool]] = {}  # key -> (parameter name, negated)
    shown: list[str] = []
    for param in command.params:
        if param.param_type_name != "option" or param.name is None:
            continue  # arguments (input files) are not defaults
        longs = [opt[2:] for opt in param.opts if opt.startswith("--")]
        shown.append(longs[0] if longs else param.name)
        for spelling in (param.name, *longs):
            spellings[spelling] = spellings[spelling.replace("-", "_")] = (param.name, False)
        for opt in param.secondary_opts:
            if opt.startswith("--"):
                spellings[opt[2:]] = spellings[opt[2:].replace("-", "_")] = (param.name, True)
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in spellings:
            raise UsageError(f"{where}: [{section}] has no option {key!r}; known: {', '.join(sorted(shown))}")
        name, negated = spellings[key]
        if negated:
            if not isinstance(value, bool):
                raise UsageError(f"{where}: [{section}] {key} takes true or false, not {value!r}")
            value = not value
        if name in out:
            raise UsageError(f"{where}: [{section}] sets {key!r} twice (under two spellings)")
        out[name] = value
    return out


def hoist(args: list[str]) -> list[str]:
    """Move ``--config FILE`` written after the subcommand to the front, where the group reads it.

    >>> hoist(["augment", "in.jsonl", "--config", "c.toml", "-o", "-"])
    ['--config', 'c.toml', 'augment', 'in.jsonl', '-o', '-']
    >>> hoist(["preview", "--config=c.toml", "--", "--config"])
    ['--config=c.toml', 'preview', '--', '--config']
    """
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg == "--config" and i + 1 < len(args):
            front += args[i : i + 2]
            i += 2
            continue
        if arg.startswith("--config="):
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest

"""Options that several commands share, defined once: the same flag, help and default everywhere.

``spec_from`` turns them into the PipelineSpec that augment, balance and preview run.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from augtool.errors import UsageError
from augtool.parallel import PipelineSpec

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

Fields = Annotated[
    list[str],
    typer.Option("--field", "-f",
                 help="Text field to augment; repeat for several. Paths: meta.body, messages[*].content."),
]
FieldFilter = Annotated[
    list[str],
    typer.Option(help="Only list items where KEY=VALUE (or KEY!=VALUE) holds, e.g. role=user; repeatable."),
]
Ops = Annotated[str, typer.Option(help="Comma-separated operations, built-in or plugin (see 'augtool list').")]
OpAlpha = Annotated[
    list[str], typer.Option("--op-alpha", help="Per-operation strength NAME=ALPHA, e.g. rd=0.2; repeatable.")
]
Chain = Annotated[bool, typer.Option(help="Apply every operation to each copy, instead of one per copy.")]
Seed = Annotated[int, typer.Option(envvar="AUGTOOL_SEED", help="Seed; same seed, same bytes.")]
IdField = Annotated[
    str, typer.Option(help="Field holding the record id (input file name and line number are used when absent).")
]
Lexicon = Annotated[
    Path | None, typer.Option(envvar="AUGTOOL_LEXICON", help="Lexicon file instead of the bundled one.")
]
Stopwords = Annotated[
    Path | None, typer.Option(envvar="AUGTOOL_STOPWORDS", help="Stopword list instead of the bundled one.")
]
Dedup = Annotated[
    bool, typer.Option(help="Drop a copy equal (whitespace aside) to its source or an earlier copy, after 3 redraws.")
]
Senses = Annotated[
    str,
    typer.Option(help="Synonyms from: first (most frequent sense), top (up to two tagged senses), "
                 "all (every sense and part of speech, as EDA)."),
]
Inflect = Annotated[bool, typer.Option(help="Inflect synonyms like the word they replace (jumps -> leaps).")]
Guards = Annotated[
    bool, typer.Option(help="Never delete, replace or move negations (not, never, n't...) or move their head.")
]
Protect = Annotated[
    Path | None,
    typer.Option(help="File of terms no operation touches: one a line, 're:' for a regex, case-insensitive."),
]
Synonyms = Annotated[
    Path | None,
    typer.Option(help="TSV of extra synonyms: word[/pos]<TAB>syn<TAB>...; '!word' replaces the lexicon's entry."),
]
Lang = Annotated[
    str,
    typer.Option(help="Records that are not English: auto = only rs, rd and punct (no English synonyms); "
                 "en = passed through; any = every op, no check (a non-English --lexicon)."),
]


@dataclass(frozen=True)
class Meaning:
    """The options that decide how words are chosen, shared by augment, balance and preview."""

    lexicon: Path | None = None
    stopwords: Path | None = None
    senses: str = "top"
    inflect: bool = True
    guards: bool = True
    protect: Path | None = None
    synonyms: Path | None = None
    lang: str = "auto"


_MEANING = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind)
    for name, kind, default in [
        ("lexicon", Lexicon, None), ("stopwords", Stopwords, None), ("senses", Senses, "top"),
        ("inflect", Inflect, True), ("guards", Guards, True), ("protect", Protect, None),
        ("synonyms", Synonyms, None), ("lang", Lang, "auto"),
    ]
]


def with_meaning(command: F) -> F:
    """Give a command the meaning options (--lexicon ... --lang), defined once; they reach it as ``meaning``."""
    signature = inspect.signature(command, eval_str=True)
    parameters = [p for p in signature.parameters.values() if p.name != "meaning"] + _MEANING

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        meaning = Meaning(**{p.name: kwargs.pop(p.name) for p in _MEANING if p.name in kwargs})
        return command(*args, meaning=meaning, **kwargs)

    # typer reads the parameters from the signature and their types from the annotations.
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": None}
    return wrapper  # type: ignore[return-value]


def parse_op_alpha(values: list[str]) -> dict[str, float]:
    """--op-alpha NAME=ALPHA values as a table."""
    out: dict[str, float] = {}
    for value in values:
        name, sep, number = value.partition("=")
        try:
            out[name.strip()] = float(number)
        except ValueError:
            sep = ""
        if not sep:
            raise UsageError(f"--op-alpha takes NAME=ALPHA, e.g. sr=0.2, not {value!r}")
    return out


def spec_from(
    meaning: Meaning,
    *,
    ops: str = "sr,ri,rs,rd",
    fields: list[str] | tuple[str, ...] = ("text",),
    field_filter: list[str] | tuple[str, ...] = (),
    op_alpha: list[str] | tuple[str, ...] = (),
    **options: object,
) -> PipelineSpec:
    """The pipeline of a command from its flags (the rest of ``options`` are Options fields as they are)."""
    from augtool import io
    from augtool.pipeline import Options

    protect, synonyms = meaning.protect, meaning.synonyms

    table = None
    if synonyms is not None:
        from augtool.guards import parse_synonyms

        # Parsed once, here: a bad line fails before any work, and workers get the table, not the file.
        table = tuple(parse_synonyms(io.read_user_file(synonyms, "--synonyms")).items())
    built = Options(
        ops=tuple(name.strip() for name in ops.split(",") if name.strip()),
        fields=tuple(fields),
        field_filter=tuple(field_filter),
        op_alpha=parse_op_alpha(list(op_alpha)),
        protect=tuple(io.read_user_file(protect, "--protect").splitlines()) if protect else (),
        senses=meaning.senses,
        inflect=meaning.inflect,
        guards=meaning.guards,
        lang=meaning.lang,
        **options,  # type: ignore[arg-type]
    )
    return PipelineSpec(built, meaning.lexicon, meaning.stopwords, synonyms, table)


# --- output, errors, workers: every writing command -------------------------------------------

Output = Annotated[
    str,
    typer.Option(
        "--output", "-o",
        help="DIR (or DIR/) for shards and a manifest; FILE.jsonl or FILE.jsonl.gz for one file, "
             "written whole or not at all; - for stdout.",
    ),
]
ShardSize = Annotated[int, typer.Option(min=1, help="Most records per output shard file.")]
OnError = Annotated[
    str,
    typer.Option(help="fail: stop at the first bad line (exit 3). skip: write it to the rejects file and go on."),
]
Rejects = Annotated[
    Path | None,
    typer.Option(help="Rejects file for --on-error skip, which must not exist yet "
                 "(default: DIR/rejects.ndjson; stderr for -o - and -o FILE)."),
]
Overwrite = Annotated[
    bool, typer.Option(help="Replace an earlier augtool output: only files its manifest or resume record "
                       "lists are deleted.")
]
Workers = Annotated[
    str, typer.Option("--workers", "-w", help="Worker processes: a number, or 0/auto for all usable cores.")
]
Compress = Annotated[str, typer.Option(help="Shard compression: none or gzip.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
DryRun = Annotated[
    bool, typer.Option(help="Say what would be read (records per input), how many copies, and where they would go; "
                       "write nothing.")
]
Limit = Annotated[
    int | None, typer.Option(min=1, help="Only the first N records of the inputs, taken together (a quick look).")
]
InputFormat = Annotated[
    str | None,
    typer.Option(help="jsonl, csv, tsv, eda (headerless label<TAB>sentence) or parquet "
                 "[default: from each file's extension; JSONL otherwise]."),
]
OutputFormat = Annotated[
    str | None,
    typer.Option(help="Shards as jsonl, csv, tsv or parquet (pip install 'augtool[parquet]') "
                 "[default: jsonl, or a single output file's extension]."),
]


def positive(value: str, flag: str) -> int:
    """A count given on the command line (workers, slices), checked."""
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 1:
        extra = ", 0 or auto" if flag == "--workers" else (" or auto" if flag == "--num-slices" else "")
        raise UsageError(f"{flag} takes a positive number{extra}, not {value!r}")
    return number


def alias(value: T | None, old: T | None, flag: str, old_flag: str) -> T | None:
    """A flag's value, or its old name's; both given differently is a usage error."""
    if old is not None and value is not None and old != value:
        raise UsageError(f"{old_flag} is the old name of {flag}: give one of them")
    return value if value is not None else old


def workers_from(value: str) -> int:
    """--workers: a number, or 0/auto for the CPUs this process may use."""
    from augtool.cli.environment import usable_cpus

    return usable_cpus() if value in ("0", "auto") else positive(value, "--workers")


def compress_from(value: str) -> str | None:
    """--compress: none or gzip."""
    if value not in ("none", "gzip"):
        raise UsageError(f"--compress takes none or gzip, not {value!r}")
    return None if value == "none" else value

"""``augtool lexicon info`` and ``augtool lexicon build``."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from augtool.cli import _err, _guard, app

lexicon_app = typer.Typer(help="Inspect or rebuild the synonym lexicon.", no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")


@lexicon_app.command("info")
@_guard
def lexicon_info(
    lexicon: Annotated[
        Path | None, typer.Option(envvar="AUGTOOL_LEXICON", help="Lexicon file (default: the bundled one).")
    ] = None,
) -> None:
    """Show which lexicon is loaded: file, size, source, licence and load time.

    Example:

      augtool lexicon info
    """
    from augtool import io

    path = lexicon or io.corpora_dir() / io.LEXICON_FILE
    started = time.perf_counter()
    lex = io.load_lexicon(path)
    seconds = time.perf_counter() - started
    print(f"file: {path}")
    print(f"bytes: {os.path.getsize(path):,}")
    print(f"head words: {len(lex):,}")
    print(f"load seconds: {seconds:.3f}")
    # "dropped" holds what each build rule removed: "offensive senses 213; synonyms: names 13206; ...".
    for key, value in sorted(lex.info.items()):
        print(f"{key}: {value}")


@lexicon_app.command("build")
@_guard
def lexicon_build(
    output: Annotated[Path, typer.Option("--output", "-o", help="Lexicon file to write.")],
    wordnet: Annotated[
        Path | None,
        typer.Option(help="WordNet 3.0 database directory (e.g. /usr/share/wordnet); default: NLTK's wordnet corpus."),
    ] = None,
    forms: Annotated[
        Path | None, typer.Option(help="Also write the table of confirmed word forms here (for inflection).")
    ] = None,
    keep_offensive: Annotated[
        bool,
        typer.Option(
            "--keep-offensive/--drop-offensive",
            help="Keep senses WordNet marks or glosses as slurs, obscene or disparaging, and their words.",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
) -> None:
    """Rebuild the synonym lexicon from WordNet 3.0 (needs pip install 'augtool[lexicon]'; not needed at run time).

    Examples:

      augtool lexicon build --wordnet /usr/share/wordnet -o corpora/wordnet-3.0.lex.gz
      --forms corpora/english-forms.txt.gz

      augtool lexicon build -o my.lex.gz    # from NLTK's installed wordnet corpus
    """
    from augtool.lexbuild import Rules, build_lexicon

    started = time.perf_counter()
    info = build_lexicon(wordnet, output, rules=Rules(keep_offensive=keep_offensive), forms_path=forms,
                         progress=None if quiet else _progress())
    _err(f"augtool: wrote {output} ({info.get('entries', '?')} head words) in {time.perf_counter() - started:.1f} s")


def _progress() -> Callable[[str, int, bool], None]:
    """Each stage of the build on stderr with its count and rate: redrawn on a terminal, one line when done."""
    tty = sys.stderr.isatty()
    started = stage_began = time.perf_counter()

    def show(stage: str, items: int, done: bool) -> None:
        nonlocal stage_began
        now = time.perf_counter()
        seconds = now - stage_began  # a stage starts when the one before it ends
        rate = f", {items / seconds:,.0f}/s" if seconds > 0 else ""
        line = f"augtool: lexicon build: {stage}: {items:,}{rate} ({now - started:.1f} s)"
        if done:
            stage_began = now
            sys.stderr.write(("\r\x1b[K" if tty else "") + line + "\n")
        elif tty:
            sys.stderr.write("\r\x1b[K" + line)
        sys.stderr.flush()

    return show

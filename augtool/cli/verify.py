"""``augtool verify`` and ``augtool manifest merge``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from augtool.cli import _err, _guard, app
from augtool.errors import VerifyError

manifest_app = typer.Typer(help="Work with output manifests.", no_args_is_help=True)
app.add_typer(manifest_app, name="manifest")


@app.command()
@_guard
def verify(
    directory: Annotated[Path, typer.Argument(help="An augment output directory.", show_default=False)],
) -> None:
    """Check every shard against the manifest: count, sha256, no gap, no extra or missing file.

    Exits 0 when all is well, 6 with one line per problem otherwise.

    Examples:

      augtool verify out/

      augtool verify out/ && echo ready for training
    """
    from augtool.verify import verify as check

    problems = check(directory)
    if problems:
        for problem in problems:
            _err(f"augtool: verify: {problem}")
        raise VerifyError(f"{directory}: {len(problems)} problem(s) found")
    _err(f"augtool: verify: {directory} matches its manifest")


@manifest_app.command("merge")
@_guard
def merge(
    directory: Annotated[Path, typer.Argument(help="Directory the slices of one job wrote into.", show_default=False)],
) -> None:
    """Merge the slice manifests of a job array into one manifest.json, refusing gaps or overlaps.

    Examples:

      augtool manifest merge out/          # after every SLURM array task has finished

      augtool manifest merge out/ && augtool verify out/
    """
    from augtool.manifest import merge as merge_manifests

    merged = merge_manifests(directory)
    _err(
        f"augtool: merged {merged['slice']['count']} slice manifests: {len(merged['shards'])} shards, "
        f"{merged['counts']['written']:,} records"
    )

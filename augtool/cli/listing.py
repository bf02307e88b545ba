"""``augtool list``."""

from __future__ import annotations

from augtool.cli import _guard, app


@app.command("list")
@_guard
def list_augmenters() -> None:
    """List the registered augmenters, built-in and plugins, one line each.

    Example:

      augtool list
    """
    from augtool import augmenters
    from augtool.cli import _err

    broken = 0
    for entry in augmenters.entries():
        if entry.factory is not None:
            print(f"{entry.name:<8} v{entry.factory.version}  {entry.factory.summary}  [{entry.origin}]")
        else:
            broken += 1
            print(f"{entry.name:<8} BROKEN  {entry.error}  [{entry.origin}]")
    if broken:
        _err(f"augtool: warning: {broken} augmenter{'s' if broken > 1 else ''} cannot be used (marked BROKEN)")

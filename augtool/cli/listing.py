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

    for name in augmenters.available():
        cls = augmenters.get(name)
        origin = "built-in" if name in augmenters._BUILTINS else f"plugin {cls.__module__}"
        print(f"{name:<8} v{cls.version}  {cls.summary}  [{origin}]")



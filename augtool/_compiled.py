"""Which modules are compiled, and the switch that runs their Python source instead.

An install built where Cython and a C compiler exist carries these modules compiled
(``hatch_build.py`` compiles exactly this list); anywhere else it carries them as
Python. Both run the same source and write the same bytes. ``AUGTOOL_PURE=1`` makes a
compiled install import the ``.py`` files beside the compiled ones, to compare the two.
This module imports nothing of augtool's: the build hook reads it on its own.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from types import ModuleType

# The per-record path: everything a record goes through between the line read and the lines written.
MODULES = (
    "augtool.tokens",
    "augtool.pipeline",
    "augtool.recordtexts",
    "augtool.apply",
    "augtool.identity",
    "augtool.splice",
    "augtool.guards",
    "augtool.lang",
    "augtool.wordset",
    "augtool.fields",
    "augtool.inflect",
    "augtool.rng",
    "augtool.augmenters._synonyms",
    "augtool.augmenters._context",
    "augtool.augmenters._readings",
    "augtool.augmenters.sr",
    "augtool.augmenters.ri",
    "augtool.augmenters.rs",
    "augtool.augmenters.rd",
    "augtool.augmenters.punct",
)


class _SourceFirst:
    """A finder that loads the listed modules from their ``.py`` file even where a compiled one sits beside it."""

    @staticmethod
    def find_spec(
        name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if name not in MODULES or path is None:
            return None
        leaf = name.rpartition(".")[2] + ".py"
        for entry in path:
            source = os.path.join(entry, leaf)
            if os.path.isfile(source):
                return importlib.util.spec_from_file_location(name, source)
        return None


_SOURCE_FIRST = _SourceFirst()


def run_pure() -> None:
    """Import the listed modules from source from now on (the package's ``__init__`` calls this first)."""
    if _SOURCE_FIRST not in sys.meta_path:
        sys.meta_path.insert(0, _SOURCE_FIRST)


def variant() -> str:
    """What runs: "compiled (N modules)" or "pure Python", without importing the modules.

    >>> variant() in ("pure Python", f"compiled ({len(MODULES)} modules)") or variant().startswith("partly compiled")
    True
    """
    compiled = 0
    for name in MODULES:
        if _SOURCE_FIRST in sys.meta_path:
            break
        spec = importlib.util.find_spec(name)
        if spec is not None and isinstance(spec.loader, importlib.machinery.ExtensionFileLoader):
            compiled += 1
    if compiled == len(MODULES):
        return f"compiled ({compiled} modules)"
    return f"partly compiled ({compiled} of {len(MODULES)} modules)" if compiled else "pure Python"

"""augtool: text data augmentation that leaves the text intact.

>>> from augtool import augment_records
>>> [r["text"] for r in augment_records([{"text": "keep calm and carry on"}], ops="rd", n_aug=1, seed=3)]
['keep calm and carry on', 'keep and carry on']

The same with the pipeline itself (resources passed in):

>>> from augtool import Options, Pipeline, Resources
>>> pipe = Pipeline(Options(ops=("rd",), n_aug=1, seed=3), Resources())
>>> [r["text"] for r in pipe.augment([{"text": "keep calm and carry on"}])]
['keep calm and carry on', 'keep calm and carry']
"""

from __future__ import annotations

__version__ = "0.2.0.dev0"  # 0.2: id-less records identified by input name and line

import os as _os
import sys as _sys
from importlib import import_module as _import_module
from types import ModuleType as _ModuleType
from typing import TYPE_CHECKING, Any

# Read here, before any module of the per-record path is imported: a compiled install
# then runs their Python source instead (docs/performance.md).
if _os.environ.get("AUGTOOL_PURE", "") not in ("", "0"):
    from augtool._compiled import run_pure

    run_pure()

if TYPE_CHECKING:
    from augtool.augmenters import Augmenter, Resources, available, register
    from augtool.errors import AugtoolError
    from augtool.library import augment_file, augment_records, balance, stats
    from augtool.pipeline import Options, Pipeline
    from augtool.tokens import Tokens, tokenize

# The public names are imported on first use (PEP 562): the CLI, which imports this
# package before any command, then loads only what its command needs (`augtool augment`
# never imports the stats, balance or library modules).
_HOMES = {
    "Augmenter": "augtool.augmenters",
    "Resources": "augtool.augmenters",
    "available": "augtool.augmenters",
    "register": "augtool.augmenters",
    "AugtoolError": "augtool.errors",
    "augment_file": "augtool.library",
    "augment_records": "augtool.library",
    "Options": "augtool.pipeline",
    "Pipeline": "augtool.pipeline",
    "Tokens": "augtool.tokens",
    "tokenize": "augtool.tokens",
}

__all__ = [
    "Augmenter",
    "AugtoolError",
    "Options",
    "Pipeline",
    "Resources",
    "Tokens",
    "__version__",
    "augment_file",
    "augment_records",
    "available",
    "balance",
    "default_resources",
    "register",
    "stats",
    "tokenize",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        # Not ours: ``from augtool import presets`` then imports the submodule.
        raise AttributeError(f"module 'augtool' has no attribute {name!r}")
    value = getattr(_import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def _library_function(name: str) -> Any:
    """A property for the library function ``name``, which a submodule of the same name shares."""

    def get(self: _ModuleType) -> Any:
        return getattr(_import_module("augtool.library"), name)

    def bind(self: _ModuleType, value: object) -> None:
        if not isinstance(value, _ModuleType):  # an import binding the submodule is ignored
            raise AttributeError(f"augtool.{name} is the library function; it cannot be rebound")

    return property(get, bind)


class _Package(_ModuleType):
    """This package, whose ``stats`` and ``balance`` are the library functions.

    Submodules of the same names exist, and importing one binds its name on the package:
    that binding is ignored, so ``augtool.stats(...)`` stays the function whichever was
    imported first (``from augtool.stats import DatasetStats`` reads sys.modules).
    """

    stats = _library_function("stats")
    balance = _library_function("balance")


_sys.modules[__name__].__class__ = _Package


def default_resources() -> Resources:
    """The bundled stopwords, WordNet lexicon and exception lists (loaded on first use)."""
    from augtool.parallel import PipelineSpec
    from augtool.pipeline import Options

    return PipelineSpec(Options()).resources()

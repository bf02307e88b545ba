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

# Read here, before any module of the per-record path is imported: a compiled install
# then runs their Python source instead (docs/performance.md).
if _os.environ.get("AUGTOOL_PURE", "") not in ("", "0"):
    from augtool._compiled import run_pure

    run_pure()

# The submodules augtool.stats and augtool.balance are imported before the functions
# of the same names are bound, so that ``augtool.stats(...)`` and ``augtool.balance(...)``
# stay the functions (a first import of a submodule would set the attribute to the module).
import augtool.balance
import augtool.stats  # noqa: F401
from augtool.augmenters import Augmenter, Resources, available, register
from augtool.errors import AugtoolError
from augtool.library import augment_file, augment_records, balance, stats
from augtool.pipeline import Options, Pipeline
from augtool.tokens import Tokens, tokenize

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


def default_resources() -> Resources:
    """The bundled stopwords, WordNet lexicon and exception lists (loaded on first use)."""
    from augtool.parallel import PipelineSpec

    return PipelineSpec(Options()).resources()

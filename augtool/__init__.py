"""augtool: text data augmentation that leaves the text intact.

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

from augtool.augmenters import Augmenter, Resources, available, register
from augtool.errors import AugtoolError
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
    "available",
    "default_resources",
    "register",
    "tokenize",
]


def default_resources() -> Resources:
    """The bundled stopwords, WordNet lexicon and exception lists (loaded on first use)."""
    from augtool import io

    return Resources(stopwords=io.load_stopwords(), lexicon=io.load_lexicon, morphology=io.load_morphology)

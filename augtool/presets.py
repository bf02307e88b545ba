"""Settings by training-set size: augtool's presets, measured, and the EDA paper's Table 3 they started from.

Wei & Zou (2019), "EDA: Easy Data Augmentation Techniques for Boosting
Performance on Text Classification Tasks", EMNLP-IJCNLP, Table 3
(https://arxiv.org/abs/1901.11196): N_train 500 -> alpha 0.05, 16 copies;
2,000 -> 0.05, 8; 5,000 -> 0.1, 4; more -> 0.1, 4. The paper gives only these
rows; a size between two rows takes the nearer one on a log scale (600 records
-> the 500 row).

augtool's presets keep the rows and change what ``augtool evaluate`` measured on
the paper's five datasets (docs/evaluate.md): alpha 0.1 beat 0.05 at N = 500
(+0.18 points, 5 of 5 seeds), and 16 copies per record at N = 2,000 gained
+0.47 [+0.13, +0.80] where 8 gained +0.42 [-0.02, +0.87] (4 copies: +0.17). The
5,000 and larger rows were not measured and stay the paper's. ``augment --preset``
and ``evaluate --n-aug auto`` both read ``PRESETS`` here.
"""

from __future__ import annotations

from augtool.errors import UsageError

# name: (alpha, copies per record), from Table 3 of the paper.
TABLE3: dict[str, tuple[float, int]] = {
    "n500": (0.05, 16),
    "n2000": (0.05, 8),
    "n5000": (0.1, 4),
    "large": (0.1, 4),
}
# name: (alpha, copies per record), as measured with augtool evaluate (see the module docstring).
PRESETS: dict[str, tuple[float, int]] = {
    "n500": (0.1, 16),
    "n2000": (0.1, 16),
    "n5000": (0.1, 4),
    "large": (0.1, 4),
}
NAMES = ("auto", *PRESETS)


def preset_for_size(records: int) -> str:
    """The paper size nearest to ``records`` on a log scale (the 5,000 and larger rows are equal).

    >>> [preset_for_size(n) for n in (100, 999, 1000, 3162, 3163, 9999, 10000)]
    ['n500', 'n500', 'n2000', 'n2000', 'n5000', 'n5000', 'large']
    """
    if records < 1000:  # sqrt(500 * 2000)
        return "n500"
    if records <= 3162:  # sqrt(2000 * 5000)
        return "n2000"
    if records < 10000:
        return "n5000"
    return "large"


def table3(records: int) -> tuple[float, int]:
    """(alpha, copies per record) the paper recommends for a training set of ``records``.

    >>> table3(500), table3(600), table3(2000), table3(40000)
    ((0.05, 16), (0.05, 16), (0.05, 8), (0.1, 4))
    """
    return TABLE3[preset_for_size(records)]


def for_size(records: int) -> tuple[float, int]:
    """(alpha, copies per record) augtool's presets give a training set of ``records``.

    >>> for_size(500), for_size(2000), for_size(40000)
    ((0.1, 16), (0.1, 16), (0.1, 4))
    """
    return PRESETS[preset_for_size(records)]


def resolve(name: str, records: int | None) -> tuple[str, float, int]:
    """(preset name, alpha, copies); ``auto`` needs the record count."""
    if name == "auto":
        if records is None:
            raise UsageError("--preset auto counts the input records first, so it needs files, not stdin (-); "
                             "name a preset instead: --preset n500, n2000, n5000 or large")
        name = preset_for_size(records)
    if name not in PRESETS:
        raise UsageError(f"--preset takes {', '.join(NAMES)}, not {name!r}")
    alpha, copies = PRESETS[name]
    return name, alpha, copies

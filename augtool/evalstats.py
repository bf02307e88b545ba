"""The arithmetic of ``augtool evaluate``: paired intervals, label fidelity, stratified samples (no sklearn)."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from random import Random


@dataclass(frozen=True)
class Paired:
    """Paired differences: mean, 95 % t interval (None with one value), how many above / below zero."""

    diffs: tuple[float, ...]
    mean: float
    low: float | None
    high: float | None
    better: int
    worse: int


def paired(diffs: Sequence[float]) -> Paired:
    """Mean of paired differences with a two-sided 95 % Student-t interval.

    >>> p = paired([1.0, 2.0, 3.0])  # sd 1, t(0.975, 2) = 4.3027
    >>> p.mean, round(p.low, 3), round(p.high, 3), p.better, p.worse
    (2.0, -0.484, 4.484, 3, 0)
    """
    if not diffs:
        raise ValueError("paired() needs at least one difference")
    mean = statistics.fmean(diffs)
    low = high = None
    if len(diffs) > 1:
        from scipy.stats import t

        half = float(t.ppf(0.975, len(diffs) - 1)) * statistics.stdev(diffs) / math.sqrt(len(diffs))
        low, high = mean - half, mean + half
    return Paired(tuple(diffs), mean, low, high, sum(d > 0 for d in diffs), sum(d < 0 for d in diffs))


def normalize(text: str) -> str:
    """A text as compared for overlap and identical copies: case folded, runs of spaces made one.

    >>> normalize("  What IS  an atom ")
    'what is an atom'
    """
    return " ".join(text.casefold().split())


def stratified_sample(labels: Sequence[str], size: int, seed: int) -> list[int]:
    """Indices of a seeded sample of ``size`` items keeping label shares (largest remainders).

    >>> from collections import Counter
    >>> labels = ["a", "a", "a", "b"] * 5
    >>> sorted(Counter(labels[i] for i in stratified_sample(labels, 8, 1)).items())
    [('a', 6), ('b', 2)]
    """
    if size >= len(labels):
        return list(range(len(labels)))
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        by_label[label].append(i)
    exact = {label: size * len(idx) / len(labels) for label, idx in by_label.items()}
    quota = {label: int(value) for label, value in exact.items()}
    left = size - sum(quota.values())
    for label in sorted(exact, key=lambda x: (quota[x] - exact[x], x))[:left]:
        quota[label] += 1
    rng = Random(seed)
    chosen: list[int] = []
    for label in sorted(by_label):
        chosen += rng.sample(by_label[label], quota[label])
    return sorted(chosen)


@dataclass(frozen=True)
class Fidelity:
    """How well augmented copies of the test texts keep their label, by a judge trained on the originals."""

    variant: str
    texts: int  # test texts with at least one copy (the paired set)
    no_copy: int  # test texts no operation could change
    copies: int
    originals: float  # judge accuracy on the paired texts
    on_copies: float  # judge accuracy on their copies (each text's copies averaged, then texts)
    drop: Paired  # per text: 100 * (original right - share of its copies right), in points
    same_as_source: float  # share of copies equal to their source (normalised)
    same_as_sibling: float  # share of copies equal to an earlier copy of the same source


def label_fidelity(
    variant: str, labels: Sequence[str], sources: Sequence[str], predicted: Sequence[str],
    copies: Sequence[Sequence[str]], copy_predicted: Sequence[Sequence[str]],
) -> Fidelity:
    """Fidelity from the judge's predictions on each test text and on each of its copies.

    >>> f = label_fidelity("v", ["a", "b"], ["x y", "z"], ["a", "b"], [["y x", "x"], ["z z"]], [["a", "b"], ["b"]])
    >>> f.originals, f.on_copies, f.drop.mean, f.same_as_source
    (1.0, 0.75, 25.0, 0.0)
    """
    paired_texts = [i for i, made in enumerate(copies) if made]
    drops, on_copies, same_source, same_sibling = [], [], 0, 0
    for i in paired_texts:
        right = [p == labels[i] for p in copy_predicted[i]]
        on_copies.append(sum(right) / len(right))
        drops.append(100.0 * ((predicted[i] == labels[i]) - on_copies[-1]))
        seen = {normalize(sources[i])}
        for text in copies[i]:
            key = normalize(text)
            if key == normalize(sources[i]):
                same_source += 1
            elif key in seen:
                same_sibling += 1
            seen.add(key)
    made = sum(len(c) for c in copies)
    n = len(paired_texts)
    return Fidelity(
        variant, n, len(copies) - n, made,
        sum(predicted[i] == labels[i] for i in paired_texts) / n if n else math.nan,
        statistics.fmean(on_copies) if n else math.nan,
        paired(drops) if n else Paired((), math.nan, None, None, 0, 0),
        same_source / made if made else 0.0, same_sibling / made if made else 0.0,
    )

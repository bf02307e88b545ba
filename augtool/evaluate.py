"""Does augmentation help on my data? Train a fast classifier with and without it.

For each training-set size and seed, a stratified, seeded subsample of the
training data trains a TF-IDF (word 1-2 grams) + logistic regression
classifier, once on the subsample alone and once per augmentation variant on
the subsample plus its augmented copies; test accuracy is averaged over seeds.
Label fidelity: a classifier trained on all the original training data is
scored on augmented copies (each labelled as its source) and on the originals.
Needs scikit-learn (``pip install 'augtool[eval]'``).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from random import Random
from typing import Any

from augtool.errors import UsageError
from augtool.pipeline import Options, Pipeline

# Wei & Zou (2019), Table 3: (alpha, copies per record) by training-set size.
PAPER_SETTINGS = ((500, 0.05, 16), (2000, 0.05, 8), (5000, 0.1, 4))
LARGE = (0.1, 4)


def paper_setting(size: int) -> tuple[float, int]:
    """EDA's recommended alpha and copies for a training-set size (the nearest class at or above).

    >>> paper_setting(500), paper_setting(2000), paper_setting(4000), paper_setting(20000)
    ((0.05, 16), (0.05, 8), (0.1, 4), (0.1, 4))
    """
    for limit, alpha, copies in PAPER_SETTINGS:
        if size <= limit:
            return alpha, copies
    return LARGE


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


def mean_sd(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value).

    >>> mean_sd([0.8, 0.9, 1.0])
    (0.9, 0.1)
    """
    mean = statistics.fmean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return round(mean, 10), round(sd, 10)


def _classifier() -> Any:
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
    except ImportError as exc:
        raise UsageError("augtool evaluate needs scikit-learn: pip install 'augtool[eval]'") from exc
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
        LogisticRegression(max_iter=2000, C=10.0),
    )


def accuracy(model: Any, texts: Sequence[str], labels: Sequence[str]) -> float:
    """Share of texts the model labels correctly."""
    if not texts:
        return float("nan")
    predicted = model.predict(list(texts))
    return sum(p == y for p, y in zip(predicted, labels)) / len(labels)


@dataclass
class Report:
    """Accuracies per (size, variant) over seeds, and label fidelity per variant."""

    sizes: list[int] = field(default_factory=list)
    accuracies: dict[tuple[int, str], list[float]] = field(default_factory=dict)
    fidelity: dict[str, float] = field(default_factory=dict)
    fidelity_originals: float = float("nan")

    def to_json(self) -> dict[str, Any]:
        """Every figure, as plain JSON values."""
        rows = []
        for (size, variant), values in self.accuracies.items():
            mean, sd = mean_sd(values)
            rows.append({"size": size, "variant": variant, "mean": mean, "sd": sd, "runs": values})
        return {
            "accuracy": rows,
            "label_fidelity": {"originals": self.fidelity_originals, **self.fidelity},
        }


def evaluate(
    train: Sequence[tuple[str, str]],
    test: Sequence[tuple[str, str]],
    variants: Mapping[str, Options | None],
    *,
    sizes: Sequence[int | None],
    seeds: int,
    make_pipeline: Callable[[Options], Pipeline],
    fidelity_sample: int = 2000,
    progress: Callable[[str], None] = lambda message: None,
) -> Report:
    """Run the comparison. ``variants`` maps a name to augment options (None: no augmentation);
    an option set with ``n_aug=0`` takes EDA's paper setting for the size."""
    if not train or not test:
        raise UsageError("evaluate needs non-empty training and test data")
    train_texts = [t for t, _ in train]
    train_labels = [y for _, y in train]
    test_texts = [t for t, _ in test]
    test_labels = [y for _, y in test]
    report = Report()
    for wanted in sizes:
        size = len(train) if wanted is None or wanted >= len(train) else wanted
        report.sizes.append(size)
        for seed in range(seeds):
            chosen = stratified_sample(train_labels, size, seed)
            texts = [train_texts[i] for i in chosen]
            labels = [train_labels[i] for i in chosen]
            for name, options in variants.items():
                x, y = list(texts), list(labels)
                if options is not None:
                    alpha, copies = paper_setting(size)
                    if options.n_aug == 0:
                        options = Options(**{**options.__dict__, "n_aug": copies, "alpha": alpha})
                    options = Options(**{**options.__dict__, "seed": seed, "keep_original": False})
                    for record in make_pipeline(options).augment(
                        {"id": i, "text": t, "label": lab} for i, t, lab in zip(chosen, texts, labels)
                    ):
                        if "_aug" in record:
                            x.append(record["text"])
                            y.append(record["label"])
                model = _classifier().fit(x, y)
                report.accuracies.setdefault((size, name), []).append(accuracy(model, test_texts, test_labels))
                progress(f"size {size}, seed {seed}, {name}: {report.accuracies[(size, name)][-1]:.4f}")
    judge = _classifier().fit(train_texts, train_labels)
    sample = stratified_sample(train_labels, min(fidelity_sample, len(train)), 0)
    report.fidelity_originals = accuracy(judge, [train_texts[i] for i in sample], [train_labels[i] for i in sample])
    for name, options in variants.items():
        if options is None:
            continue
        alpha, copies = paper_setting(len(sample))
        if options.n_aug == 0:
            options = Options(**{**options.__dict__, "n_aug": 1, "alpha": alpha})
        options = Options(**{**options.__dict__, "keep_original": False})
        copies_x, copies_y = [], []
        for record in make_pipeline(options).augment(
            {"id": i, "text": train_texts[i], "label": train_labels[i]} for i in sample
        ):
            if "_aug" in record:  # a record no operation could change is not a copy
                copies_x.append(record["text"])
                copies_y.append(record["label"])
        report.fidelity[name] = accuracy(judge, copies_x, copies_y)
    return report

"""Does augmentation help on my data? Paired comparisons with a fast classifier, training budget held constant.

For each training-set size and seed, one stratified, seeded subsample trains a
TF-IDF (word 1-2 grams, sublinear tf) + logistic regression classifier once per
variant: ``none`` (the subsample), ``duplicate`` (the subsample plus exact
copies, as many per record as the first augmented variant made: the control)
and each augmented variant (the subsample plus its copies). Every row weighs
n_orig / n_rows, in the loss and in the IDF, so extra rows add no training
budget: ``duplicate`` then matches ``none`` and what is left is augmentation.
Gains are paired differences with ``none`` (same subsample, same seed), with a
95 % Student-t interval over seeds.

Label fidelity: a classifier trained on all training originals labels the test
texts and k augmented copies of each (labelled as their source); the drop in
accuracy is what the copies lose of their label. Needs scikit-learn
(``pip install 'augtool[eval]'``).
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from random import Random
from typing import Any

from augtool import presets
from augtool.augmenters import Resources
from augtool.errors import UsageError
from augtool.pipeline import Options, Pipeline

Example = tuple[str, str]  # (text, label)
BASELINE, CONTROL = "none", "duplicate"
C = 10.0  # logistic regression's inverse regularisation strength, for every fit
BUILTIN: dict[str, Options] = {
    "augtool": Options(),  # today's defaults
    "eda-like": Options(senses="all", inflect=False, guards=False),  # close to EDA's own choices
}


@dataclass(frozen=True)
class Variant:
    """A named augmentation setting; copies per record from Table 3 by size unless ``table3`` is off."""

    name: str
    options: Options = field(default_factory=Options)
    table3: bool = True

    def options_for(self, size: int, seed: int) -> Options:
        """The options that augment a training set of ``size`` records under ``seed``."""
        copies = presets.table3(size)[1] if self.table3 else self.options.n_aug
        return replace(self.options, n_aug=copies, seed=seed, keep_original=False, fields=("text",),
                       id_field="id", provenance_key="_aug", field_filter=())


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


def default_seeds(size: int) -> int:
    """Seeds per size: 10 at N <= 1,000, where one subsample's luck is large; 5 above."""
    return 10 if size <= 1000 else 5


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


def _load_sklearn() -> None:
    try:
        import scipy.optimize  # noqa: F401  (its OpenBLAS: L-BFGS-B slows tenfold on two threads)
        import sklearn.linear_model  # noqa: F401
    except ImportError as exc:
        raise UsageError("augtool evaluate needs scikit-learn: pip install 'augtool[eval]'") from exc


class Classifier:
    """TF-IDF (1-2 grams, sublinear tf) + logistic regression, each row weighted in the loss and the IDF.

    The IDF counts a row as its weight, so k exact copies at weight 1/k give
    the same features as the row alone; with uniform weight 1 it is sklearn's
    smoothed IDF, ln((1 + n) / (1 + df)) + 1.
    """

    def __init__(self, texts: Sequence[str], labels: Sequence[str], weights: Sequence[float]) -> None:
        _load_sklearn()
        import numpy as np
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.linear_model import LogisticRegression

        if len(set(labels)) < 2:
            raise UsageError("evaluate needs at least two labels in the training data")
        w = np.asarray(weights, dtype=float)
        self._counts = CountVectorizer(ngram_range=(1, 2))
        counts = self._counts.fit_transform(list(texts))
        present = counts.copy()
        present.data[:] = 1
        self._idf = np.log((1.0 + w.sum()) / (1.0 + present.T @ w)) + 1.0
        self._model = LogisticRegression(C=C, max_iter=1000).fit(self._features(counts), list(labels), sample_weight=w)

    def idf(self) -> dict[str, float]:
        """Each term's weighted IDF."""
        return {term: float(self._idf[i]) for term, i in self._counts.vocabulary_.items()}

    def _features(self, counts: Any) -> Any:
        import numpy as np
        from scipy.sparse import diags
        from sklearn.preprocessing import normalize as l2

        x = counts.astype(float)
        x.data = 1.0 + np.log(x.data)
        return l2(x @ diags(self._idf))

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The predicted label of each text."""
        return [str(y) for y in self._model.predict(self._features(self._counts.transform(list(texts))))]


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


@dataclass(frozen=True)
class Run:
    """One fit: a variant's training set for one size and seed, scored on the test set."""

    size: int
    seed: int
    variant: str
    rows: int
    correct: int
    tested: int


@dataclass(frozen=True)
class Step:
    """Progress: ``done`` of ``total`` fits, and what was just finished."""

    done: int
    total: int
    label: str


@dataclass
class Report:
    """Every fit and fidelity figure of one evaluation, and the settings that produced them."""

    settings: dict[str, Any]
    train: int
    test: int
    overlap: int  # test texts (normalised) that also occur in the training data
    runs: list[Run] = field(default_factory=list)
    fidelity: list[Fidelity] = field(default_factory=list)

    def gains(self) -> dict[tuple[int, str], Paired]:
        """Per (size, variant), paired gains over ``none`` in accuracy points, seed by seed."""
        base = {(r.size, r.seed): r for r in self.runs if r.variant == BASELINE}
        diffs: dict[tuple[int, str], list[float]] = {}
        for r in self.runs:
            if r.variant != BASELINE:
                b = base[(r.size, r.seed)]
                diffs.setdefault((r.size, r.variant), []).append(100.0 * (r.correct - b.correct) / r.tested)
        return {key: paired(values) for key, values in diffs.items()}

    def to_json(self) -> dict[str, Any]:
        """Every figure as plain JSON values (accuracies as shares, gains and drops in points)."""
        gains = [{"size": size, "variant": name, **_paired_json(p)} for (size, name), p in self.gains().items()]
        return {
            "settings": self.settings,
            "data": {"train": self.train, "test": self.test, "overlap": self.overlap},
            "runs": [{**r.__dict__, "accuracy": r.correct / r.tested} for r in self.runs],
            "gains_pts": gains,
            "fidelity": [{**{k: v for k, v in f.__dict__.items() if k != "drop"}, "drop_pts": _paired_json(f.drop)}
                         for f in self.fidelity],
        }


def _paired_json(p: Paired) -> dict[str, Any]:
    return {"mean": p.mean, "low": p.low, "high": p.high, "better": p.better, "worse": p.worse, "diffs": p.diffs}


def _copies(pipe: Pipeline, texts: Sequence[str]) -> list[list[str]]:
    """The augmented copies of each text, in order (an empty list where nothing could change)."""
    out: list[list[str]] = [[] for _ in texts]
    for record in pipe.augment({"id": i, "text": t} for i, t in enumerate(texts)):
        if "_aug" in record:
            out[record["_aug"]["source"]].append(record["text"])
    return out


def evaluate(
    train: Sequence[Example],
    test: Sequence[Example],
    variants: Sequence[Variant],
    *,
    sizes: Sequence[int | None],
    seeds: int | None = None,
    seed: int = 0,
    resources: Resources | None = None,
    fidelity_copies: int = 8,
    weighted: bool = True,
    progress: Callable[[Step], None] = lambda step: None,
) -> Report:
    """Compare ``none``, ``duplicate`` and each variant; ``sizes`` None means the whole training set."""
    if not train or not test:
        raise UsageError("evaluate needs non-empty training and test data")
    names = [v.name for v in variants]
    if len(set(names)) != len(names) or {BASELINE, CONTROL} & set(names):
        raise UsageError(f"variant names must be distinct and not {BASELINE!r} or {CONTROL!r}: {names}")
    if resources is None:
        from augtool import default_resources

        resources = default_resources()
    by_policy: dict[Any, Resources] = {}  # one per policy, so the lexicon loads once per policy

    def pipeline(options: Options) -> Pipeline:
        shared = by_policy.setdefault(options.policy, resources.with_policy(options.policy))
        return Pipeline(options, shared)

    _load_sklearn()  # before threadpool_limits, which limits only the thread pools already loaded
    from threadpoolctl import threadpool_limits

    train_texts, train_labels = [t for t, _ in train], [y for _, y in train]
    test_texts, test_labels = [t for t, _ in test], [y for _, y in test]
    known = {normalize(t) for t in train_texts}
    plan = [(n, seeds or default_seeds(n)) for n in (len(train) if s is None else min(s, len(train)) for s in sizes)]
    settings = {
        "classifier": f"TF-IDF word 1-2 grams, sublinear tf + logistic regression (C={C})",
        "weights": "n_orig / n_rows per row, in the loss and the IDF" if weighted else "none (every row 1)",
        "interval": "95 % Student t over seeds (gains) or test texts (fidelity drop)",
        "sizes": [n for n, _ in plan], "seeds": {str(n): k for n, k in plan}, "seed": seed,
        "fidelity_copies": fidelity_copies,
        "variants": {v.name: {**v.options.to_json(), "n_aug": "table3" if v.table3 else v.options.n_aug}
                     for v in variants},
    }
    report = Report(settings, len(train), len(test), sum(normalize(t) in known for t in test_texts))
    total, done = sum(k for _, k in plan) * (2 + len(variants)) + len(variants) + 1, 0
    with threadpool_limits(1):
        for size, n_seeds in plan:
            for s in range(seed, seed + n_seeds):
                chosen = stratified_sample(train_labels, size, s)
                texts, labels = [train_texts[i] for i in chosen], [train_labels[i] for i in chosen]
                sets: dict[str, tuple[list[str], list[str]]] = {BASELINE: (texts, labels)}
                made: list[int] | None = None
                for v in variants:
                    copies = _copies(pipeline(v.options_for(size, s)), texts)
                    made = made or [len(c) for c in copies]
                    sets[v.name] = (texts + [c for cs in copies for c in cs],
                                    labels + [y for y, cs in zip(labels, copies) for _ in cs])
                made = made or [presets.table3(size)[1]] * size
                sets[CONTROL] = (texts + [t for t, k in zip(texts, made) for _ in range(k)],
                                 labels + [y for y, k in zip(labels, made) for _ in range(k)])
                for name in [BASELINE, CONTROL, *names]:
                    x, y = sets[name]
                    judge = Classifier(x, y, [size / len(x) if weighted else 1.0] * len(x))
                    correct = sum(p == t for p, t in zip(judge.predict(test_texts), test_labels))
                    report.runs.append(Run(size, s, name, len(x), correct, len(test_texts)))
                done += 2 + len(variants)
                progress(Step(done, total, f"N={size:,} seed {s - seed + 1}/{n_seeds}"))
        judge = Classifier(train_texts, train_labels, [1.0] * len(train_texts))
        predicted = judge.predict(test_texts)
        done += 1
        for v in variants:
            copies = _copies(pipeline(replace(v.options_for(len(test), seed), n_aug=fidelity_copies)), test_texts)
            flat = judge.predict([c for cs in copies for c in cs]) if any(copies) else []
            grouped, at = [], 0
            for cs in copies:
                grouped.append(flat[at:at + len(cs)])
                at += len(cs)
            report.fidelity.append(label_fidelity(v.name, test_labels, test_texts, predicted, copies, grouped))
            done += 1
            progress(Step(done, total, f"fidelity {v.name}"))
    return report

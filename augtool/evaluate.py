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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from augtool import presets
from augtool.augmenters import Resources
from augtool.classifier import TOL, C, Classifier, load_sklearn
from augtool.errors import UsageError
from augtool.evalstats import Fidelity, Paired, label_fidelity, normalize, paired, stratified_sample
from augtool.pipeline import Options, Pipeline

__all__ = ["BUILTIN", "Classifier", "Fidelity", "Paired", "Report", "Run", "Step", "Variant", "default_seeds",
           "evaluate", "label_fidelity", "normalize", "paired", "row_weights", "stratified_sample"]

Example = tuple[str, str]  # (text, label)
BASELINE, CONTROL = "none", "duplicate"
BUILTIN: dict[str, Options] = {
    "augtool": Options(),  # today's defaults
    "eda-like": Options(senses="all", inflect=False, guards=False),  # close to EDA's own choices
}


# The options a variant may set; the rest (fields, ids, seed, provenance) evaluate fixes itself.
_SETTING_KEYS = ("ops", "alpha", "op_alpha", "chain", "dedup", "senses", "inflect", "guards", "protect",
                 "filter_by_label", "filter_threshold")


@dataclass(frozen=True)
class Variant:
    """A named augmentation setting; copies per record by size from augtool's presets unless ``table3`` is off.

    (The flag keeps its old name: the presets keep Table 3's size rows, see augtool.presets.)
    """

    name: str
    options: Options = field(default_factory=Options)
    table3: bool = True

    def options_for(self, size: int, seed: int) -> Options:
        """The options that augment a training set of ``size`` records under ``seed``."""
        copies = presets.for_size(size)[1] if self.table3 else self.options.n_aug
        return replace(self.options, n_aug=copies, seed=seed, keep_original=False, fields=("text",),
                       id_field="id", provenance_key="_aug", field_filter=())


def default_seeds(size: int) -> int:
    """Seeds per size: 10 at N <= 1,000, where one subsample's luck is large; 5 above."""
    return 10 if size <= 1000 else 5


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

    def gains(self, against: str = BASELINE) -> dict[tuple[int, str], Paired]:
        """Per (size, variant), paired gains over ``against`` (setting A vs B) in accuracy points, seed by seed."""
        base = {(r.size, r.seed): r for r in self.runs if r.variant == against}
        if not base:
            raise UsageError(f"no variant {against!r} to compare with; ran: {', '.join(self.variants())}")
        diffs: dict[tuple[int, str], list[float]] = {}
        for r in self.runs:
            if r.variant != against:
                b = base[(r.size, r.seed)]
                diffs.setdefault((r.size, r.variant), []).append(100.0 * (r.correct - b.correct) / r.tested)
        return {key: paired(values) for key, values in diffs.items()}

    def variants(self) -> list[str]:
        """The variants run, in order: none, duplicate, then the augmented ones."""
        return list(dict.fromkeys(r.variant for r in self.runs))

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


def _copies(pipe: Pipeline, texts: Sequence[str], labels: Sequence[str]) -> list[list[str]]:
    """The augmented copies of each text, in order (an empty list where nothing could change)."""
    out: list[list[str]] = [[] for _ in texts]
    key = pipe.options.filter_by_label or "label"  # where the label filter looks for a record's label
    for record in pipe.augment({"id": i, "text": t, key: y} for i, (t, y) in enumerate(zip(texts, labels))):
        if "_aug" in record:
            out[record["_aug"]["source"]].append(record["text"])
    return out


def _with_filter(options: Options, texts: Sequence[str], labels: Sequence[str]) -> Options:
    """The options with --filter-by-label's judge trained on these originals, when the variant asks for it."""
    if options.filter_by_label is None:
        return options
    from augtool.labelfilter import LabelFilter

    return replace(options, label_filter=LabelFilter.fit(texts, labels, threshold=options.filter_threshold))


def row_weights(copies_per_record: Sequence[int], *, weighted: bool, per_record: bool) -> list[float]:
    """Weights of the originals then every copy (record by record): each record's rows share weight 1
    (``per_record``), or every row n_orig / n_rows, or all 1 (not ``weighted``).

    >>> row_weights([1, 0, 3], weighted=True, per_record=True)
    [0.5, 1.0, 0.25, 0.5, 0.25, 0.25, 0.25]
    >>> row_weights([1, 0, 3], weighted=True, per_record=False)[:2], row_weights([1], weighted=False, per_record=True)
    ([0.42857142857142855, 0.42857142857142855], [1.0, 1.0])
    """
    n_rows = len(copies_per_record) + sum(copies_per_record)
    if not weighted:
        return [1.0] * n_rows
    if not per_record:
        return [len(copies_per_record) / n_rows] * n_rows
    shares = [1.0 / (1 + k) for k in copies_per_record]
    return shares + [share for share, k in zip(shares, copies_per_record) for _ in range(k)]


def _grouped(flat: list[str], like: list[list[str]]) -> list[list[str]]:
    """``flat`` cut into lists as long as those of ``like``."""
    out, at = [], 0
    for items in like:
        out.append(flat[at:at + len(items)])
        at += len(items)
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
    record_weights: bool = True,
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

    load_sklearn()  # before threadpool_limits, which limits only the thread pools already loaded
    from threadpoolctl import threadpool_limits

    train_texts, train_labels = [t for t, _ in train], [y for _, y in train]
    test_texts, test_labels = [t for t, _ in test], [y for _, y in test]
    known = {normalize(t) for t in train_texts}
    wanted = dict.fromkeys(len(train) if s is None else min(s, len(train)) for s in sizes)  # in order, once each
    plan = [(n, seeds or default_seeds(n)) for n in wanted]
    settings = {
        "classifier": f"TF-IDF word 1-2 grams, sublinear tf + logistic regression (C={C}, tol={TOL})",
        "weights": ("none (every row 1)" if not weighted else
                    "each record's rows share weight 1, in the loss and the IDF" if record_weights else
                    "n_orig / n_rows per row, in the loss and the IDF"),
        "interval": "95 % Student t over seeds (gains) or test texts (fidelity drop)",
        "sizes": [n for n, _ in plan], "seeds": {str(n): k for n, k in plan}, "seed": seed,
        "fidelity_copies": fidelity_copies,
        "variants": {v.name: {**{k: value for k, value in v.options.to_json().items() if k in _SETTING_KEYS},
                              "n_aug": "by size" if v.table3 else v.options.n_aug} for v in variants},
    }
    report = Report(settings, len(train), len(test), sum(normalize(t) in known for t in test_texts))
    total, done = sum(k for _, k in plan) * (2 + len(variants)) + len(variants) + 1, 0
    with threadpool_limits(1):
        for size, n_seeds in plan:
            for s in range(seed, seed + n_seeds):
                chosen = stratified_sample(train_labels, size, s)
                texts, labels = [train_texts[i] for i in chosen], [train_labels[i] for i in chosen]
                sets: dict[str, tuple[list[str], list[str], list[int]]] = {BASELINE: (texts, labels, [0] * size)}
                made: list[int] | None = None
                for v in variants:
                    copies = _copies(pipeline(_with_filter(v.options_for(size, s), texts, labels)), texts, labels)
                    made = made or [len(c) for c in copies]
                    sets[v.name] = (texts + [c for cs in copies for c in cs],
                                    labels + [y for y, cs in zip(labels, copies) for _ in cs],
                                    [len(c) for c in copies])
                made = made or [presets.for_size(size)[1]] * size
                sets[CONTROL] = (texts + [t for t, k in zip(texts, made) for _ in range(k)],
                                 labels + [y for y, k in zip(labels, made) for _ in range(k)], made)
                for name in [BASELINE, CONTROL, *names]:
                    x, y, per_record = sets[name]
                    judge = Classifier(x, y, row_weights(per_record, weighted=weighted, per_record=record_weights))
                    correct = sum(p == t for p, t in zip(judge.predict(test_texts), test_labels))
                    report.runs.append(Run(size, s, name, len(x), correct, len(test_texts)))
                done += 2 + len(variants)
                progress(Step(done, total, f"N={size:,} seed {s - seed + 1}/{n_seeds}"))
        judge = Classifier(train_texts, train_labels, [1.0] * len(train_texts))
        predicted = judge.predict(test_texts)
        done += 1
        for v in variants:
            options = _with_filter(replace(v.options_for(len(test), seed), n_aug=fidelity_copies), test_texts,
                                   test_labels)
            copies = _copies(pipeline(options), test_texts, test_labels)
            report.fidelity.append(label_fidelity(v.name, test_labels, test_texts, predicted, copies,
                                                  _grouped(judge.predict([c for cs in copies for c in cs]), copies)))
            done += 1
            progress(Step(done, total, f"fidelity {v.name}"))
    return report

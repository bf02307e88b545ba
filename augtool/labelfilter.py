"""``--filter-by-label``: drop copies that a classifier trained on the originals reads as another label.

The judge is TF-IDF (word 1-2 grams, sublinear tf) + logistic regression, cross-fitted:
each original falls in one of ``FOLDS`` folds by a hash of its text, and its copies are
judged by the model trained on the other folds, so no copy is judged by a model that
saw its source (which would make it trust the copy's words too much). A copy is dropped
when the model's most likely label is not the source's and its probability is above
the threshold. Everything is deterministic: folds come from a stable hash, the solver
is deterministic, ties keep the copy. Needs scikit-learn (``pip install 'augtool[eval]'``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from augtool.errors import UsageError

__all__ = ["DEFAULT_THRESHOLD", "FOLDS", "LabelFilter", "fold_of"]

FOLDS = 5
DEFAULT_THRESHOLD = 0.8
_C = 10.0


def fold_of(text: str, folds: int = FOLDS) -> int:
    """The fold of an original, from a stable hash of its text (case and spacing ignored).

    >>> fold_of("What is an atom?") == fold_of("what  is an ATOM?"), 0 <= fold_of("x") < FOLDS
    (True, True)
    """
    key = " ".join(text.casefold().split()).encode()
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big") % folds


def _sklearn() -> Any:
    try:
        import sklearn.feature_extraction.text
        import sklearn.linear_model
    except ImportError as exc:
        raise UsageError("--filter-by-label needs scikit-learn: pip install 'augtool[eval]'") from exc
    return sklearn


class LabelFilter:
    """Cross-fitted judges of whether a copy keeps its source's label; picklable, so workers get it whole.

    >>> texts = ["good fun film", "great fun", "lovely good", "bad dull film", "awful dull", "terrible bad"] * 4
    >>> labels = ["pos", "pos", "pos", "neg", "neg", "neg"] * 4
    >>> judge = LabelFilter.fit(texts, labels, threshold=0.6)
    >>> judge.keep("good fun film", "pos", ["good fun", "awful terrible dull"])
    [True, False]
    """

    def __init__(self, models: list[Any], threshold: float, originals: int) -> None:
        self.models = models  # one per fold; None where a fold's training part had one label
        self.threshold = threshold
        self.originals = originals

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], *, threshold: float = DEFAULT_THRESHOLD,
            folds: int = FOLDS) -> LabelFilter:
        """Train one model per fold on the originals outside it."""
        if not 0.0 < threshold <= 1.0:
            raise UsageError(f"--filter-threshold must be in (0, 1], not {threshold}")
        _sklearn()
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        if len(set(labels)) < 2:
            raise UsageError("--filter-by-label needs at least two labels among the input records")
        where = [fold_of(text, folds) for text in texts]
        models: list[Any] = []
        for k in range(folds):
            x = [t for t, f in zip(texts, where) if f != k]
            y = [label for label, f in zip(labels, where) if f != k]
            if len(set(y)) < 2:
                models.append(None)  # cannot judge: this fold's copies are all kept
                continue
            model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                                  LogisticRegression(C=_C, max_iter=1000))
            models.append(model.fit(x, y))
        return cls(models, threshold, len(texts))

    def keep(self, source: str, label: str, copies: Sequence[str]) -> list[bool]:
        """For each copy of ``source`` (labelled ``label``): False when the judge confidently reads another label."""
        model = self.models[fold_of(source, len(self.models))]
        if model is None or not copies:
            return [True] * len(copies)
        classes = [str(c) for c in model.classes_]
        proba = model.predict_proba(list(copies))
        out = []
        for row in proba:
            best = int(row.argmax())
            out.append(classes[best] == label or float(row[best]) <= self.threshold)
        return out


def originals(records: Iterable[tuple[list[str], Any]]) -> tuple[list[str], list[str]]:
    """(texts, labels) of the records that have a label; several text fields are joined by a newline."""
    from augtool.stats import label_key

    texts, labels = [], []
    for fields, label in records:
        if label is None:
            continue
        texts.append("\n".join(fields))
        labels.append(label_key(label))
    return texts, labels

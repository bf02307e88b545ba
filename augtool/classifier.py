"""The classifier ``augtool evaluate`` trains: weighted TF-IDF and logistic regression (scikit-learn, lazily)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from augtool.errors import UsageError

C = 10.0  # logistic regression's inverse regularisation strength, for every fit
# Its stopping tolerance: at sklearn's 1e-4, solver noise alone moved the duplicate control by up to
# 0.46 points on one seed (SST-2, N = 2,000); at 1e-6 by 0.11 (one test text), for 18 % more time.
TOL = 1e-6


def load_sklearn() -> None:
    """Import scikit-learn and scipy now (UsageError naming the extra when they are missing)."""
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
        load_sklearn()
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
        model = LogisticRegression(C=C, tol=TOL, max_iter=1000)
        self._model = model.fit(self._features(counts), list(labels), sample_weight=w)

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
        if not texts:
            return []
        return [str(y) for y in self._model.predict(self._features(self._counts.transform(list(texts))))]

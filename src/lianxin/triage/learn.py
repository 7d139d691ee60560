"""The linear models behind the suggestions: fit on past dispatches, top-k with confidence.

Pure functions over plain lists (no database): the trainer, the tests and
``bench/triage_accuracy.py`` share them. One TF-IDF vocabulary of ``text.features`` (jieba words
and character bi-/tri-grams, sublinear term frequency) feeds two multinomial logistic
regressions, one for the category and one for the handling-unit label (``labels``).
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

MIN_SAMPLES = 20  # fewer past dispatches than this: no model, no suggestions
MIN_PER_LABEL = 2  # a label seen once is a typo or an exception, not a routing habit


@dataclass
class Routing:
    """A fitted pair of classifiers over one vocabulary."""

    vectorizer: Any
    category: Any | None
    unit: Any | None
    samples: int
    labels: dict[str, int] = field(default_factory=dict)

    def top(self, text: str, k: int = 3) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """The ``k`` likeliest categories and unit labels for ``text``, with probabilities."""
        x = self.vectorizer.transform([text])
        return _top(self.category, x, k), _top(self.unit, x, k)

    def top_many(
        self, texts: list[str], k: int = 3
    ) -> list[tuple[list[tuple[str, float]], list[tuple[str, float]]]]:
        """``top`` for many texts at once (one transform, one product per classifier)."""
        if not texts:
            return []
        x = self.vectorizer.transform(texts)
        cats = _top_rows(self.category, x, k, len(texts))
        units = _top_rows(self.unit, x, k, len(texts))
        return list(zip(cats, units, strict=True))

    def distributions(self, text: str) -> tuple[dict[str, float], dict[str, float]]:
        """Every category's and unit label's probability for ``text``."""
        x = self.vectorizer.transform([text])
        return _dist(self.category, x), _dist(self.unit, x)

    def dumps(self) -> bytes:
        import joblib

        buf = io.BytesIO()
        joblib.dump(self, buf, compress=3)
        return buf.getvalue()

    @staticmethod
    def loads(blob: bytes) -> Routing:
        import joblib

        return joblib.load(io.BytesIO(blob))


def _top(model: Any, x: Any, k: int) -> list[tuple[str, float]]:
    if model is None:
        return []
    probs = model.predict_proba(x)[0]
    order = probs.argsort()[::-1][:k]
    return [(str(model.classes_[i]), float(probs[i])) for i in order]


def _top_rows(model: Any, x: Any, k: int, n: int) -> list[list[tuple[str, float]]]:
    if model is None:
        return [[] for _i in range(n)]
    out = []
    for probs in model.predict_proba(x):
        order = probs.argsort()[::-1][:k]
        out.append([(str(model.classes_[i]), float(probs[i])) for i in order])
    return out


def _dist(model: Any, x: Any) -> dict[str, float]:
    if model is None:
        return {}
    return {
        str(c): float(p) for c, p in zip(model.classes_, model.predict_proba(x)[0], strict=True)
    }


def _classifier(texts_x: Any, y: list[str]) -> Any | None:
    from sklearn.linear_model import SGDClassifier

    counts = Counter(y)
    keep = [i for i, label in enumerate(y) if counts[label] >= MIN_PER_LABEL]
    if len({y[i] for i in keep}) < 2:
        return None
    # Logistic loss (probabilities for the confidence shown), by stochastic gradient: a tenth of
    # lbfgs's time on the same features at the same accuracy (bench/triage_accuracy.py), so the
    # nightly run over a county's year stays within a minute or so.
    model = SGDClassifier(
        loss="log_loss",
        alpha=2e-5,
        max_iter=25,
        tol=None,
        class_weight="balanced",
        random_state=0,
    )
    model.fit(texts_x[keep], [y[i] for i in keep])
    return model


def fit(texts: list[str], categories: list[str], units: list[str]) -> Routing | None:
    """Fit both classifiers; None when there is too little history to learn from."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from lianxin.triage.text import features

    if len(texts) < MIN_SAMPLES:
        return None
    vectorizer = TfidfVectorizer(
        analyzer=features, sublinear_tf=True, min_df=2, max_features=200_000
    )
    x = vectorizer.fit_transform(texts)
    return Routing(
        vectorizer=vectorizer,
        category=_classifier(x, categories),
        unit=_classifier(x, units),
        samples=len(texts),
        labels={"categories": len(set(categories)), "units": len(set(units))},
    )

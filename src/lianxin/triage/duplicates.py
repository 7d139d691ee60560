"""Likely duplicates: similar text, near, recent (the pure part; ``selectors`` reads the rows).

Similarity is the cosine of the two texts' word and character-bigram counts, after dropping
the place words both share with every request of the area (the village's name says nothing
about *what*). Distance is great-circle metres; both limits are settings
(``LIANXIN_TRIAGE_DUPLICATE_METRES``, ``LIANXIN_TRIAGE_DUPLICATE_DAYS``).
"""

from __future__ import annotations

import math
from collections import Counter

from lianxin.triage.text import char_ngrams, words

DUPLICATE_THRESHOLD = 0.25  # bench/triage_accuracy.py: the precision/recall trade-off
EARTH_METRES = 6_371_000.0


def _vector(text: str, ignore: frozenset[str] = frozenset()) -> Counter:
    c: Counter = Counter()
    for w in words(text):
        if w not in ignore:
            c[f"w:{w}"] += 2  # a whole word agreeing counts more than a bigram
    for g in char_ngrams(text, (1, 2)):
        if g not in ignore:
            c[f"c:{g}"] += 1 if len(g) > 1 else 0.5
    return c


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)


def place_words(*names: str) -> frozenset[str]:
    """The words and bigrams of place names, left out of the comparison."""
    out: set[str] = set()
    for name in names:
        if name:
            out.update(words(name))
            out.update(char_ngrams(name, (1, 2)))
    return frozenset(out)


def text_similarity(a: str, b: str, ignore: frozenset[str] = frozenset()) -> float:
    """0..1: how alike two requests' texts are."""
    return _cosine(_vector(a, ignore), _vector(b, ignore))


def metres(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_METRES * math.asin(min(1.0, math.sqrt(h)))


def duplicate_score(
    a: str,
    b: str,
    *,
    model=None,
    place_a: str = "",
    place_b: str = "",
    ignore: frozenset[str] = frozenset(),
) -> float:
    """0..1: how likely two nearby, recent requests are the same matter.

    The texts' cosine, and (with a routing model) how much the two agree on what the matter is
    and who handles it (the dot product of their category and unit distributions): residents
    describe one broken light in different words, but the model reads both as 路灯 for the
    same unit.
    """
    text = text_similarity(a, b, ignore)
    if model is None:
        return text
    from lianxin.triage.text import document

    ca, ua = model.distributions(document(a, place_a))
    cb, ub = model.distributions(document(b, place_b))
    agree = math.sqrt(max(0.0, _dot(ca, cb)) * max(0.0, _dot(ua, ub)))
    return 0.5 * text + 0.5 * agree


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(v * b.get(k, 0.0) for k, v in a.items())

"""Triage accuracy on a held-out split of the demo's texts: top-1/top-3 for the category and the
handling unit, and duplicate precision/recall.

    .venv/bin/python bench/triage_accuracy.py [--count 6000] [--seed 7]

Database-free: the demo's generator (``lianxin.triage.demo_texts``) writes the residents' texts
with their true category and route; the model (``lianxin.triage.learn``) is fitted on 80% and
scored on the other 20%. Duplicates: pairs of texts about one intent at one place (the same
thing) against pairs of different intents or places, scored by ``duplicates.text_similarity``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))


def _topk(pred: list[list[tuple[str, float]]], truth: list[str], k: int) -> float:
    return sum(t in [p for p, _ in ps[:k]] for ps, t in zip(pred, truth, strict=True)) / len(truth)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--split",
        choices=["phrasing", "random"],
        default="phrasing",
        help="phrasing: hold out unseen ways of saying each thing (default); random: 80/20",
    )
    args = parser.parse_args()
    from lianxin.triage import demo_texts, learn
    from lianxin.triage.duplicates import DUPLICATE_THRESHOLD, duplicate_score
    from lianxin.triage.text import document

    rng = random.Random(args.seed)
    data = demo_texts.samples(rng, args.count, demo_texts.bench_places())
    rng.shuffle(data)
    if args.split == "phrasing":
        # unseen ways of saying it: of every intent's phrasings (clear and vague apart), the
        # last is held out, where there are at least two (the model never read it)
        ways: dict[tuple, set] = {}
        for s in data:
            ways.setdefault((s.intent, s.vague), set()).add(s.phrasing)
        held = {k: max(v) for k, v in ways.items() if len(v) >= 2}
        test = [s for s in data if held.get((s.intent, s.vague)) == s.phrasing]
        train = [s for s in data if held.get((s.intent, s.vague)) != s.phrasing]
    else:
        cut = int(len(data) * 0.8)
        train, test = data[:cut], data[cut:]
    t0 = time.perf_counter()
    model = learn.fit(
        [document(f"{s.title} {s.description}", s.place) for s in train],
        [s.category for s in train],
        [s.route for s in train],
    )
    assert model is not None
    fitted = time.perf_counter() - t0
    tops = [model.top(document(f"{s.title} {s.description}", s.place), 3) for s in test]
    print(f"train {len(train)}, held out {len(test)}, fit {fitted:.1f} s")
    print("| subset | n | category top-1 | category top-3 | unit top-1 | unit top-3 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, keep in (
        ("all", lambda s: True),
        ("clear", lambda s: not s.vague),
        ("vague", lambda s: s.vague),
    ):
        idx = [i for i, s in enumerate(test) if keep(s)]
        cats = [tops[i][0] for i in idx]
        units = [tops[i][1] for i in idx]
        tc = [test[i].category for i in idx]
        tu = [test[i].route for i in idx]
        print(
            f"| {name} | {len(idx)} | {_topk(cats, tc, 1):.1%} | {_topk(cats, tc, 3):.1%} "
            f"| {_topk(units, tu, 1):.1%} | {_topk(units, tu, 3):.1%} |"
        )
    # duplicates: same intent and same place name = the same matter
    pairs_rng = random.Random(args.seed + 1)
    same, other = [], []
    by_key: dict[tuple, list] = {}
    for s in test:
        by_key.setdefault((s.intent, s.route, s.place), []).append(s)
    groups = [g for g in by_key.values() if len(g) > 1]
    for _n in range(1000):
        g = pairs_rng.choice(groups)
        a, b = pairs_rng.sample(g, 2)
        same.append((a, b))
        c, d = pairs_rng.sample(test, 2)
        if c.intent != d.intent:
            other.append((c, d))

    def score(a, b) -> float:
        return duplicate_score(
            a.description, b.description, model=model, place_a=a.place, place_b=b.place
        )

    s_same = [score(a, b) for a, b in same]
    s_other = [score(a, b) for a, b in other]
    print(f"\nduplicates: {len(same)} same-matter pairs, {len(other)} different-matter pairs")
    print("| threshold | precision | recall |")
    print("| --- | --- | --- |")
    for t in sorted({0.2, 0.3, 0.4, 0.5, 0.6, DUPLICATE_THRESHOLD}):
        tp = sum(x >= t for x in s_same)
        fp = sum(x >= t for x in s_other)
        mark = " (used)" if t == DUPLICATE_THRESHOLD else ""
        print(f"| {t:.2f}{mark} | {tp / (tp + fp) if tp + fp else 0:.1%} | {tp / len(same):.1%} |")


if __name__ == "__main__":
    main()

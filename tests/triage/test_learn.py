"""The model on plain lists: features, fitting, top-3, storage; the unit labels."""

from __future__ import annotations

import random

import pytest

from lianxin.triage import demo_texts, learn
from lianxin.triage.duplicates import DUPLICATE_THRESHOLD, duplicate_score, metres
from lianxin.triage.labels import unit_label
from lianxin.triage.text import char_ngrams, document, features, words


def test_features_are_words_ngrams_and_the_place_with_each_word():
    toks = features(document("老板拖欠工资", "seat"))
    assert "w:老板" in toks and any(t.startswith("w:") and "工资" in t for t in toks)
    assert "c:工资" in toks and "c:资" in toks and "c:拖欠工" in toks
    assert "p:seat" in toks and "p:seat:老板" in toks
    assert "w:的" not in features(document("我的工资", ""))  # stop words dropped
    assert words("，。！") == []
    assert char_ngrams("ab路灯", (2,)) == ["路灯"]


def _fixture(n=400, seed=3):
    rng = random.Random(seed)
    return demo_texts.samples(rng, n, demo_texts.bench_places())


def test_fit_predicts_the_category_and_the_route_with_confidence():
    data = _fixture()
    model = learn.fit(
        [document(f"{s.title} {s.description}", s.place) for s in data],
        [s.category for s in data],
        [s.route for s in data],
    )
    assert model is not None and model.samples == len(data)
    cats, units = model.top(document("老板拖欠工资三个月不给，请帮忙讨薪", "village"))
    assert len(cats) == 3 and len(units) == 3
    assert cats[0][0] == "dispute-wage" and units[0][0] == "dept:人社"
    assert 0 < cats[0][1] <= 1 and cats[0][1] >= cats[1][1] >= cats[2][1]
    # where decides who: a dark street light in the county seat is 城管's, in a village the village's
    assert model.top(document("路灯坏了晚上很黑", "seat"))[1][0][0] == "dept:城管"
    assert model.top(document("路灯坏了晚上很黑", "village"))[1][0][0] == "@village"
    again = learn.Routing.loads(model.dumps())
    assert again.top(document("孩子上学学位不够", "seat")) == model.top(
        document("孩子上学学位不够", "seat")
    )


def test_too_little_history_gives_no_model():
    data = _fixture(learn.MIN_SAMPLES - 1)
    docs = [s.description for s in data]
    assert learn.fit(docs, [s.category for s in data], [s.route for s in data]) is None


def test_a_label_seen_once_is_not_learned():
    docs = ["路灯不亮"] * 12 + ["工资拖欠"] * 12 + ["孤例"]
    model = learn.fit(docs, ["a"] * 12 + ["b"] * 12 + ["c"], ["x"] * 12 + ["y"] * 12 + ["z"])
    assert model is not None and set(model.category.classes_) == {"a", "b"}


@pytest.mark.parametrize(
    ("kind", "path", "label"),
    [
        ("grid", "/c/t/v/g/", "@grid"),
        ("community", "/c/t/v/", "@village"),
        ("town", "/c/t/", "@town"),
        ("county", "/c/", "@county"),
        ("property_project", "/c/t/v/w/", "@property"),
        ("department", "/c/d/", "u:D01"),
        ("village", "/c/t/other/", "u:D01"),  # another village: that unit itself
    ],
)
def test_units_are_learned_relative_to_the_request_s_place(kind, path, label):
    got = unit_label(unit_kind=kind, unit_path=path, unit_code="D01", grid_path="/c/t/v/g/")
    assert got == label


def test_duplicate_score_tells_one_matter_from_another():
    a = "东关社区人民路的路灯坏了一个星期，晚上很黑"
    b = "人民路路灯不亮好几天了，晚上出门黑乎乎"
    c = "老板拖欠三个月工资不给"
    assert duplicate_score(a, b) >= DUPLICATE_THRESHOLD > duplicate_score(a, c)
    assert duplicate_score(a, "") == 0.0
    assert 1100 < metres(34.71, 104.88, 34.72, 104.88) < 1120  # 0.01° of latitude ≈ 1.1 km

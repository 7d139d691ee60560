from __future__ import annotations

import random

import pytest

from lianxin.cases import search
from lianxin.cases.models import Case
from lianxin.cases.selectors import CaseFilters, case_list
from tests.cases.factories import make_case

TEXTS = [
    ("路灯不亮", "小区门口路灯坏了"), ("供暖不热", "家里暖气片冰凉，供暖公司不管"),
    ("垃圾清运", "垃圾堆了三天没人清运"), ("邻里纠纷", "楼上漏水邻居不给修"),
    ("道路坑洼", "村道坑洼下雨积水"), ("路面破损", "灯杆旁边的路面破损"),
    ("企业开办咨询", "想开一家小超市怎么办营业执照"), ("独居老人", "独居老人需要帮扶"),
]


def test_bigrams():
    assert search.tokens("路灯不亮") == ["路灯", "灯不", "不亮"]
    assert " 路灯 " in search.index_text("小区路灯坏了")
    assert " 灯 " in search.index_text("路灯")
    assert search.tokens("WiFi 5G信号") == ["wifi", "5g", "信号"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["路灯", "供暖", "路面", "清运", "独居老人", "灯", "不亮", "营业执照"])
def test_recall_equals_substring_scan(world, query):
    rng = random.Random(7)
    for i in range(40):
        title, desc = rng.choice(TEXTS)
        make_case(world, title=f"{title}{i}", description=desc + rng.choice(["", "，请尽快处理", "，路边"]))
    admin = world.users["county_admin"]
    found = set(case_list(user=admin, filters=CaseFilters(q=query)).values_list("pk", flat=True))
    expected = {c.pk for c in Case.objects.all() if query in c.title or query in c.description}
    assert expected, query
    assert found == expected

from __future__ import annotations

import random

import pytest

from lianxin.cases import search
from lianxin.cases.models import Case
from lianxin.cases.selectors import CaseFilters, case_list
from tests.cases.factories import make_case

TEXTS = [
    ("路灯不亮", "小区门口路灯坏了"),
    ("供暖不热", "家里暖气片冰凉，供暖公司不管"),
    ("垃圾清运", "垃圾堆了三天没人清运"),
    ("邻里纠纷", "楼上漏水邻居不给修"),
    ("道路坑洼", "村道坑洼下雨积水"),
    ("路面破损", "灯杆旁边的路面破损"),
    ("企业开办咨询", "想开一家小超市怎么办营业执照"),
    ("独居老人", "独居老人需要帮扶"),
]


def test_bigrams():
    assert search.tokens("路灯不亮") == ["路灯", "灯不", "不亮"]
    assert " 路灯 " in search.index_text("小区路灯坏了")
    assert " 灯 " in search.index_text("路灯")
    assert search.tokens("WiFi 5G信号") == ["wifi", "5g", "信号"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["路灯", "供暖", "路面", "清运", "独居老人", "灯", "不亮", "营业执照"]
)
def test_recall_equals_substring_scan(world, query):
    rng = random.Random(7)
    for i in range(40):
        title, desc = rng.choice(TEXTS)
        make_case(
            world,
            title=f"{title}{i}",
            description=desc + rng.choice(["", "，请尽快处理", "，路边"]),
        )
    admin = world.users["county_admin"]
    found = set(case_list(user=admin, filters=CaseFilters(q=query)).values_list("pk", flat=True))
    expected = {c.pk for c in Case.objects.all() if query in c.title or query in c.description}
    assert expected, query
    assert found == expected


@pytest.mark.django_db
def test_search_page_counts_matches_in_the_page_query(world, login):
    """A search result page: the right total and rows in order, page 2, an out-of-range page, and
    the same number of queries whatever the number of matches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from lianxin.cases.selectors import case_page

    for i in range(45):
        make_case(world, title=f"路灯不亮{i}", description="门口路灯坏了")
    make_case(world, title="垃圾清运", description="垃圾堆了三天")
    admin = world.users["county_admin"]
    qs = case_list(user=admin, filters=CaseFilters(q="路灯"))
    ordered = list(
        Case.objects.filter(title__startswith="路灯")
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )
    page = case_page(qs, number=1, per_page=20, searching=True)
    assert page.paginator.count == 45 and page.paginator.num_pages == 3
    assert [c.pk for c in page.object_list] == ordered[:20]
    page2 = case_page(qs, number="2", per_page=20, searching=True)
    assert (
        [c.pk for c in page2.object_list] == ordered[20:40]
        and page2.has_next()
        and page2.has_previous()
    )
    last = case_page(qs, number=99, per_page=20, searching=True)
    assert last.number == 3 and [c.pk for c in last.object_list] == ordered[40:]

    c = login(admin)
    url = reverse("cases:workbench") + "?q=路灯"
    c.get(url)
    with CaptureQueriesContext(connection) as many:
        r = c.get(url)
    assert "共 45 件" in r.content.decode()
    with CaptureQueriesContext(connection) as few:
        r = c.get(reverse("cases:workbench") + "?q=垃圾清运")
    assert "共 1 件" in r.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)

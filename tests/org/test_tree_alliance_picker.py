"""A town admin editing a 党建联合体 of their town picks member units anywhere in the county,
by name and code only."""

import pytest

from lianxin.org.models import AllianceMember, UnitKind
from lianxin.org.services import unit_create
from lianxin.org.tree import unit_add
from tests.clock import PINNED_AT

pytestmark = [pytest.mark.django_db, pytest.mark.clock(PINNED_AT)]


@pytest.fixture
def alliance(world):
    return unit_add(
        actor=world.users["town_a"], parent=world.town_a, kind=UnitKind.ALLIANCE, name="城关联合体"
    )


def test_town_admin_sees_units_of_the_whole_county_in_the_picker(world, client, login, alliance):
    world.village_b.address = "张家村委会大院"
    world.village_b.phone = "09395550123"
    world.village_b.save()
    login(world.users["town_a"])
    page = client.get(f"/org/u/{alliance.code}/").content.decode()
    assert "添加成员单位" in page
    picker = page[
        page.index('name="member"') : page.index("</select>", page.index('name="member"'))
    ]
    # another town's village and grid, the county's department: all offered
    for unit in (world.village_b, world.grid_b1, world.department, world.village_a):
        assert f'value="{unit.pk}"' in picker, unit.name
    assert "张家村" in picker and "洛门镇" in picker
    # names and codes only: nothing else of town B's units, nor its people
    for secret in ("张家村委会大院", "09395550123", "乙金丝雀", "13833334444"):
        assert secret not in page
    assert f'value="{alliance.pk}"' not in picker  # not itself


def test_town_admin_adds_a_member_from_another_town(world, client, login, alliance):
    login(world.users["town_a"])
    url = f"/org/u/{alliance.code}/members/add/"
    r = client.post(url, {"member": world.grid_b1.pk}, follow=True)
    assert "已添加成员单位" in r.content.decode()
    assert AllianceMember.objects.get(alliance=alliance).member == world.grid_b1
    # the member list shows it by name; the member's own page stays out of reach
    assert "张家第1网格" in client.get(f"/org/u/{alliance.code}/").content.decode()
    assert client.get(f"/org/u/{world.grid_b1.code}/").status_code in (403, 404)


def test_a_unit_of_another_county_cannot_be_chosen(world, client, login, alliance):
    other = unit_create(
        code="620521000000",
        name="清水县",
        kind=UnitKind.COUNTY,
        parent=world.county.parent,
        division_code="620521000000",
    )
    login(world.users["town_a"])
    page = client.get(f"/org/u/{alliance.code}/").content.decode()
    assert f'value="{other.pk}"' not in page and "清水县" not in page
    r = client.post(f"/org/u/{alliance.code}/members/add/", {"member": other.pk}, follow=True)
    assert "请选择成员单位" in r.content.decode()
    assert not AllianceMember.objects.exists()


def test_another_town_cannot_edit_the_alliance(world, client, login, alliance):
    login(world.users["town_b"])
    r = client.post(f"/org/u/{alliance.code}/members/add/", {"member": world.village_b.pk})
    assert r.status_code in (403, 404)
    assert not AllianceMember.objects.exists()

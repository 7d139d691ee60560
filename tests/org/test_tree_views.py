"""The tree pages: forms show only the kinds allowed, bad input is a Chinese error (no 500)."""

import pytest

from lianxin.org.models import AllianceMember, Unit, UnitKind
from tests.clock import PINNED_AT

pytestmark = [pytest.mark.django_db, pytest.mark.clock(PINNED_AT)]


def test_unit_page_shows_the_tree_buttons_to_the_town_admin(world, client, login):
    login(world.users["town_a"])
    page = client.get(f"/org/u/{world.grid_a1.code}/").content.decode()
    assert "新建下级单元" in page and "移动到" in page and "重命名" in page
    login(world.users["village_a"])
    assert "新建下级单元" not in client.get(f"/org/u/{world.grid_a1.code}/").content.decode()


def test_new_unit_form_offers_only_allowed_kinds(world, client, login):
    login(world.users["town_a"])
    page = client.get(f"/org/u/{world.grid_a1.code}/new/").content.decode()
    assert 'value="micro_grid"' in page and 'value="enterprise"' not in page
    r = client.post(f"/org/u/{world.grid_a1.code}/new/", {"kind": "micro_grid", "name": "5号楼"})
    assert r.status_code == 302
    assert Unit.objects.filter(parent=world.grid_a1, name="5号楼").exists()
    r = client.post(f"/org/u/{world.grid_a1.code}/new/", {"kind": "village", "name": "x"})
    assert r.status_code == 200 and "有效的选项" in r.content.decode()


def test_move_and_rename_on_screen(world, client, login):
    login(world.users["county_admin"])
    r = client.post(f"/org/u/{world.grid_a2.code}/move/", {"new_parent": world.village_b.pk})
    assert r.status_code == 302
    world.grid_a2.refresh_from_db()
    assert world.grid_a2.parent_id == world.village_b.pk
    r = client.post(f"/org/u/{world.village_a.code}/move/", {"new_parent": world.grid_a1.pk})
    assert r.status_code == 200  # its own descendant is not offered
    r = client.post(f"/org/u/{world.grid_a1.code}/rename/", {"name": ""}, follow=True)
    assert "请填写名称" in r.content.decode()
    assert client.get(f"/org/u/{world.grid_a1.code}/rename/").status_code == 405


def test_alliance_members_on_screen(world, client, login):
    from lianxin.org.tree import unit_add

    admin = world.users["county_admin"]
    alliance = unit_add(actor=admin, parent=world.county, kind=UnitKind.ALLIANCE, name="联合体")
    login(admin)
    url = f"/org/u/{alliance.code}/members/add/"
    assert client.post(url, {"member": world.village_b.pk}).status_code == 302
    r = client.post(url, {"member": world.village_b.pk}, follow=True)
    assert "该单位已是成员" in r.content.decode()
    assert client.post(url, {"member": "abc"}).status_code == 302
    row = AllianceMember.objects.get()
    page = client.get(f"/org/u/{alliance.code}/").content.decode()
    assert "张家村" in page and "添加成员单位" in page
    client.post(f"/org/u/{alliance.code}/members/{row.pk}/remove/")
    assert not AllianceMember.objects.exists()

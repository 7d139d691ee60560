"""The resident's "我的网格" panel on the home page: their own grid's workers, phones masked, and a
link to the grid's public card; never another grid's, never for staff."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.grids.models import GridLeader
from lianxin.grids.selectors import grid_of
from lianxin.org.models import UnitKind
from lianxin.org.services import unit_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_a(world):
    return GridLeader.objects.create(
        grid=world.grid_a1, name="王建国", post="building", phone="13912345678"
    )


def test_resident_sees_their_grid_with_masked_phones_and_the_card_link(
    world, client, login, leader_a
):
    login(world.users["resident_a"])
    page = client.get(reverse("core:home")).content.decode()
    assert f"我的网格：{world.grid_a1.name}" in page
    assert reverse("grids:card", args=[world.grid_a1.code]) in page
    assert "王建国" in page and "139****5678" in page
    assert "13912345678" not in page


def test_resident_of_another_grid_does_not_see_this_one(world, client, login, leader_a):
    login(world.users["resident_b"])
    page = client.get(reverse("core:home")).content.decode()
    assert f"我的网格：{world.grid_b1.name}" in page
    assert "王建国" not in page
    assert reverse("grids:card", args=[world.grid_a1.code]) not in page


def test_staff_get_no_resident_grid_panel(world, client, login, leader_a):
    login(world.users["village_a"])
    assert "我的网格：" not in client.get(reverse("core:home")).content.decode()


def test_the_smallest_grid_above_a_resident_is_theirs(world):
    micro = unit_create(code="A1-M1", name="一号楼", kind=UnitKind.MICRO_GRID, parent=world.grid_a1)
    assert grid_of(micro) == micro
    assert grid_of(world.grid_a1) == world.grid_a1
    assert grid_of(world.village_a) is None
    assert grid_of(None) is None
    micro.is_active = False
    micro.save()
    assert grid_of(micro) == world.grid_a1

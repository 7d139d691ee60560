"""Every named permission of 查处举报 per role: only a supervisor above the reported unit."""

from __future__ import annotations

import pytest

from lianxin.org.models import Role, UnitKind
from lianxin.org.services import unit_create
from lianxin.tipoffs.rules import is_tipoff_handler, may_reveal_reporter
from tests.conftest import make_user
from tests.permissions import PARTY, RESIDENTS, assert_granted_exactly
from tests.tipoffs.factories import make_tipoff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("perm", ["tipoffs.handle_tipoff", "tipoffs.reveal_reporter"])
def test_only_the_supervisor_above_the_reported_unit(world, perm):
    assert_granted_exactly(world, perm, {"supervisor"}, obj=make_tipoff(world))
    assert_granted_exactly(
        world, perm, {"supervisor"}, obj=make_tipoff(world, unit=world.town_b, token="b")
    )


@pytest.mark.parametrize("perm", ["tipoffs.handle_tipoff", "tipoffs.reveal_reporter"])
def test_the_menu_level_needs_a_supervisor_membership(world, perm):
    assert_granted_exactly(world, perm, {"supervisor"})


@pytest.mark.parametrize("perm", ["tipoffs.handle_tipoff", "tipoffs.reveal_reporter"])
def test_nobody_of_the_county_handles_a_report_against_the_county(world, perm):
    assert_granted_exactly(world, perm, set(), obj=make_tipoff(world, unit=world.county))


def test_resident_menu(world):
    assert_granted_exactly(world, "tipoffs.resident_menu", RESIDENTS | PARTY)


def test_a_town_supervisor_handles_its_villages_but_cannot_unmask(world):
    town_sup = make_user("town_sup", unit=world.town_a, role=Role.SUPERVISOR)
    village = make_tipoff(world)
    assert is_tipoff_handler(town_sup, village)
    assert not may_reveal_reporter(town_sup, village)
    assert not is_tipoff_handler(town_sup, make_tipoff(world, unit=world.town_a, token="t"))
    assert not is_tipoff_handler(town_sup, make_tipoff(world, unit=world.village_b, token="v"))


def test_a_discipline_unit_handles_the_whole_county_but_itself(world, settings):
    jiwei = unit_create(
        code="620524000000-D09", name="县纪委监委", kind=UnitKind.DEPARTMENT, parent=world.county
    )
    settings.LIANXIN_TIPOFF_DISCIPLINE_UNITS = [jiwei.code]
    member = make_user("jiwei", unit=jiwei, role=Role.SUPERVISOR)
    for unit in (world.county, world.town_b, world.village_a, world.department):
        tipoff = make_tipoff(world, unit=unit, token=f"d-{unit.pk}")
        assert is_tipoff_handler(member, tipoff) and may_reveal_reporter(member, tipoff)
    own = make_tipoff(world, unit=jiwei, token="own")
    assert not is_tipoff_handler(member, own)
    assert not may_reveal_reporter(member, own)


def test_a_superuser_is_no_handler(world):
    root = make_user("root")
    root.is_superuser = True
    root.save()
    tipoff = make_tipoff(world)
    assert not is_tipoff_handler(root, tipoff) and not may_reveal_reporter(root, tipoff)

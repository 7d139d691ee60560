import pytest
from django.core.management import call_command

from lianxin.accounts.models import User
from lianxin.core.validators import is_valid_id_number
from lianxin.org.models import Membership, Role, Unit, UnitKind
from lianxin.people.models import Household, PartyMember, Person

pytestmark = pytest.mark.django_db


def test_demo_county_is_wushan_with_real_codes(capsys):
    call_command("demo", households=300, only="org,people")
    out = capsys.readouterr().out
    county = Unit.objects.get(code="620524000000")
    assert county.name == "武山县"
    assert (
        Unit.objects.filter(parent=county, kind__in=[UnitKind.TOWN, UnitKind.STREET]).count() == 15
    )
    villages = Unit.objects.filter(
        kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY], path__startswith=county.path
    )
    assert villages.count() == 357
    grids = Unit.objects.filter(kind=UnitKind.GRID, path__startswith=county.path)
    assert 550 <= grids.count() <= 700
    # every grid has a polygon inside the county's area and a grid worker
    for grid in grids[:50]:
        ring = grid.boundary["coordinates"][0]
        assert all(104.5 < x < 105.2 and 34.5 < y < 35.0 for x, y in ring)
    assert Membership.objects.filter(role=Role.GRID_WORKER).count() == grids.count()
    assert Membership.objects.filter(role=Role.VILLAGE_STAFF).count() == 357
    assert Membership.objects.filter(role=Role.TOWN_STAFF).count() == 15
    assert Unit.objects.filter(kind=UnitKind.DEPARTMENT).count() >= 6
    assert Household.objects.count() == 300
    assert Person.objects.count() > 300
    assert all(is_valid_id_number(p.id_number) for p in Person.objects.all()[:500])
    assert PartyMember.objects.exists()
    assert "county_admin" in out and "Lianxin@2026" in out
    assert User.objects.get(username="county_admin").check_password("Lianxin@2026")


def test_demo_twice_keeps_data(capsys):
    call_command("demo", households=50, only="org,people")
    before = Person.objects.count()
    call_command("demo", households=50, only="org,people")
    assert Person.objects.count() == before
    assert "已存在" in capsys.readouterr().out


def test_demo_is_deterministic_for_a_seed(capsys):
    from django.db import transaction

    def build():
        call_command("demo", households=20, only="org,people", seed=7)
        return list(Person.objects.order_by("id").values_list("name", "id_number", "phone")[:60])

    with transaction.atomic():
        first = build()
        transaction.set_rollback(True)
    assert not Person.objects.exists()
    assert build() == first

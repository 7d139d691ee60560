"""The demo tree's extras (issue 11): micro-grids inside 城关镇's community grids, a property
company with projects under two communities, 两新 organisations, one alliance across towns."""

import pytest
from django.core.management import call_command
from shapely.geometry import shape

from lianxin.org.models import AllianceMember, Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_demo_tree_extras():
    call_command("demo", households=20, only="org")
    town = Unit.objects.get(name="城关镇", kind=UnitKind.TOWN)
    micro = Unit.objects.filter(kind=UnitKind.MICRO_GRID).select_related("parent")
    assert micro.count() >= 6
    for mg in micro:
        assert mg.path.startswith(town.path) and mg.parent.kind == UnitKind.GRID
        assert shape(mg.parent.boundary).contains(shape(mg.boundary))
    projects = Unit.objects.filter(kind=UnitKind.PROPERTY_PROJECT)
    assert {p.parent.kind for p in projects} == {UnitKind.COMMUNITY}
    assert len({p.parent_id for p in projects}) == 2
    assert {p.management_company.name for p in projects} == {"武山县安居物业服务有限公司"}
    orgs = Unit.objects.filter(kind__in=[UnitKind.ENTERPRISE, UnitKind.SOCIAL_ORG])
    with_party = [o for o in orgs if o.party_orgs.exists()]
    assert 0 < len(with_party) < orgs.count()
    assert all(p.party_org_form for o in with_party for p in o.party_orgs.all())
    alliance = Unit.objects.get(kind=UnitKind.ALLIANCE)
    members = AllianceMember.objects.filter(alliance=alliance).select_related("member")
    towns = {m.member.path.split("/")[4] for m in members if m.member.depth >= 4}
    assert len(towns) >= 3


def test_demo_tree_is_deterministic():
    from django.db import transaction

    def build():
        call_command("demo", households=20, only="org", seed=7)
        return list(
            Unit.objects.exclude(kind__in=["province", "city", "county", "town", "street"])
            .order_by("code")
            .values_list("code", "name", "path", "boundary")
        )

    with transaction.atomic():
        first = build()
        transaction.set_rollback(True)
    assert build() == first

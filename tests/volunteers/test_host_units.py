"""Every member-holding unit kind may host teams, model posts and events (issue 9 item 4):
an enterprise or a property project made in the admin is offered in the unit lists of the
staff whose subtree holds it, and of nobody else."""

import pytest
from django.urls import reverse

from lianxin.org.models import UnitKind
from lianxin.org.services import unit_create
from lianxin.volunteers import selectors
from lianxin.volunteers.models import Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def hosts(world):
    return {
        "enterprise": unit_create(
            code="620524100000-E01",
            name="城关镇宏达建材公司",
            kind=UnitKind.ENTERPRISE,
            parent=world.town_a,
        ),
        "property": unit_create(
            code="620524100001-W01",
            name="东关花园物业项目",
            kind=UnitKind.PROPERTY_PROJECT,
            parent=world.village_a,
        ),
        "social": unit_create(
            code="620524100000-S01",
            name="城关镇爱心协会",
            kind=UnitKind.SOCIAL_ORG,
            parent=world.town_a,
        ),
        "other_town": unit_create(
            code="620524101000-E01",
            name="洛门镇果业公司",
            kind=UnitKind.ENTERPRISE,
            parent=world.town_b,
        ),
    }


def test_enterprise_property_and_social_org_offered_in_scope_only(world, hosts):
    units = list(selectors.admin_units(user=world.users["town_a"]))
    assert hosts["enterprise"] in units and hosts["property"] in units and hosts["social"] in units
    assert world.party_org_a in units and world.village_a in units
    assert hosts["other_town"] not in units
    assert world.grid_a1 not in units
    assert hosts["other_town"] in selectors.admin_units(user=world.users["town_b"])
    # A village clerk sees the property project inside the village, not the town's enterprise.
    village = list(selectors.admin_units(user=world.users["village_a"]))
    assert hosts["property"] in village and hosts["enterprise"] not in village


def test_out_of_scope_enterprise_refused(world, hosts, client, login):
    login(world.users["town_a"])
    r = client.post(
        reverse("volunteers:team_new"),
        {"unit": hosts["other_town"].pk, "name": "果业服务队", "kind": "volunteer"},
    )
    assert r.status_code == 200
    assert not Team.objects.filter(name="果业服务队").exists()

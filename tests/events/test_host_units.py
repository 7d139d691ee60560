"""Every member-holding unit kind may host teams, model posts and events (issue 9 item 4):
an enterprise or a property project made in the admin is offered in the unit lists of the
staff whose subtree holds it, and of nobody else."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.events.models import Event
from lianxin.org.models import UnitKind
from lianxin.org.services import unit_create
from lianxin.volunteers.models import ModelPost, Team

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


@pytest.mark.parametrize("name", ["volunteers:team_new", "volunteers:post_new", "events:event_new"])
def test_forms_list_the_enterprise_and_property_project(world, hosts, client, login, name):
    login(world.users["town_a"])
    body = client.get(reverse(name)).content.decode()
    assert "城关镇宏达建材公司" in body and "东关花园物业项目" in body
    assert "洛门镇果业公司" not in body


def test_team_post_and_event_created_for_enterprise_and_property_project(
    world, hosts, client, login
):
    login(world.users["town_a"])
    r = client.post(
        reverse("volunteers:team_new"),
        {"unit": hosts["enterprise"].pk, "name": "宏达志愿服务队", "kind": "volunteer"},
    )
    assert r.status_code == 302, r.content.decode()[:1500]
    assert Team.objects.get(name="宏达志愿服务队").unit == hosts["enterprise"]
    r = client.post(
        reverse("volunteers:post_new"),
        {"unit": hosts["property"].pk, "holder": "13900000003", "title": "物业服务示范岗"},
    )
    assert r.status_code == 302, r.content.decode()[:1500]
    assert ModelPost.objects.get(title="物业服务示范岗").unit == hosts["property"]
    start = timezone.localtime() + timedelta(days=3)
    r = client.post(
        reverse("events:event_new"),
        {
            "unit": hosts["property"].pk,
            "kind": "culture",
            "title": "小区邻里节",
            "place": "东关花园广场",
            "starts_at": start.strftime("%Y-%m-%dT15:00"),
            "ends_at": start.strftime("%Y-%m-%dT17:00"),
            "audience": "all",
        },
    )
    assert r.status_code == 302, r.content.decode()[:1500]
    assert Event.objects.get(title="小区邻里节").unit == hosts["property"]
